//! The analyst's review in the window: an imported scenario opens with its candidates marked, the details
//! show their provenance with Accept and Reject, a rejected contact leaves the list until the Review
//! filter asks for it, File > Save writes the decisions (whole, then renamed), and they are there when
//! the file is opened again. File > Import… runs on a background job and shows its counts.

mod support;

use std::path::{Path, PathBuf};

use demarche::app::{AppOptions, DemarcheApp, ProblemSource};
use demarche::model::{ContactId, Review};
use demarche::ui::AppCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use support::app::step_until;
use support::shared_files::shared;

fn harness_on(path: &Path) -> Harness<'static, DemarcheApp> {
    let options = AppOptions {
        scenario: Some(path.to_path_buf()),
        ..AppOptions::default()
    };
    let mut harness = Harness::builder()
        .with_size([1366.0, 900.0])
        .build_eframe(move |_cc| DemarcheApp::new(&options));
    harness.run();
    harness
}

/// The GDELT sample imported (with its mentions) into `dir/gdelt.json`.
fn imported_gdelt(dir: &Path) -> Option<PathBuf> {
    let events = shared("events/gdelt2/events-sample.tsv")?;
    let mentions = shared("events/gdelt2/mentions-sample.tsv")?;
    let imported =
        demarche::import::import(&[events, mentions], &demarche::import::Options::default())
            .expect("imports");
    let path = dir.join("gdelt.json");
    std::fs::write(
        &path,
        demarche::io::scenario::write::to_json(&imported.scenario),
    )
    .expect("write");
    Some(path)
}

fn review_of(app: &DemarcheApp, id: &str) -> Review {
    let s = &app.document.loaded.scenario;
    s.contact(s.contact_by_id(id).expect("the contact"))
        .provenance
        .as_ref()
        .expect("machine-coded")
        .review
}

#[test]
fn accept_one_reject_one_save_and_the_decisions_are_there_when_reopened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(path) = imported_gdelt(dir.path()) else {
        return;
    };
    let mut harness = harness_on(&path);
    let total = harness.state().document.loaded.scenario.contacts.len();
    assert!(total >= 3);
    assert_eq!(
        harness.state().visible().len(),
        total,
        "nothing rejected yet"
    );
    // The list marks candidates.
    harness
        .get_all_by_label_contains(", candidate)")
        .next()
        .expect("a candidate row");
    let order = harness.state().visible().to_vec();
    let (first, second) = (order[0], order[1]);
    let id_of = |h: &Harness<'static, DemarcheApp>, c: ContactId| {
        h.state().document.loaded.scenario.contact(c).id.clone()
    };
    let (accepted, rejected) = (id_of(&harness, first), id_of(&harness, second));

    harness.state_mut().apply(vec![AppCommand::Select(first)]);
    harness.run();
    harness.get_by_label_contains("Candidate: machine-coded");
    harness.get_by_label("Dataset");
    harness.get_by_label("GDELT 2.0 events");
    harness.get_by_label("Accept").click();
    harness.run();
    assert_eq!(review_of(harness.state(), &accepted), Review::Accepted);
    harness.get_by_label_contains("(unsaved)");

    harness.state_mut().apply(vec![AppCommand::Select(second)]);
    harness.run();
    harness.get_by_label("Reject").click();
    harness.run();
    assert_eq!(review_of(harness.state(), &rejected), Review::Rejected);
    assert_eq!(
        harness.state().visible().len(),
        total - 1,
        "the rejected one is hidden"
    );
    assert!(!harness.state().visible().contains(&second));
    harness.get_by_label_contains("(1 rejected hidden)");

    // The Review filter brings it back.
    harness.get_by_label("Filters").click();
    harness.run();
    harness.get_by_label("rejected").click();
    harness.run();
    assert_eq!(harness.state().visible(), [second]);
    assert!(
        harness.query_by_label_contains("rejected hidden").is_none(),
        "none hidden when the review filter asks for them"
    );

    // File > Save writes the open JSON file in place.
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Save (Ctrl+S)").click();
    harness.step();
    assert!(
        step_until(&mut harness, &|app| app.saving().is_none()),
        "the save ends"
    );
    assert!(!harness.state().document.unsaved);
    assert!(
        harness.state().problems().is_none(),
        "saved without a problem"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary left: {leftovers:?}");
    drop(harness);

    let reopened = harness_on(&path);
    assert_eq!(review_of(reopened.state(), &accepted), Review::Accepted);
    assert_eq!(review_of(reopened.state(), &rejected), Review::Rejected);
    assert_eq!(reopened.state().visible().len(), total - 1);
}

#[test]
fn save_as_refuses_toml_and_writes_json_beside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = dir.path().join("story.toml");
    std::fs::write(&toml, demarche::io::scenario::DEFAULT_SCENARIO_TOML).expect("write");
    let mut harness = harness_on(&toml);
    // Save on a TOML file asks where, suggesting a JSON name beside it.
    harness.state_mut().apply(vec![AppCommand::Save]);
    harness.run();
    harness.get_by_label("Save the scenario as");
    assert_eq!(
        harness.state().open_dialog.path,
        dir.path().join("story.json").display().to_string()
    );
    harness
        .state_mut()
        .apply(vec![AppCommand::SaveAs(dir.path().join("story.toml"))]);
    let problems = harness.state().problems().expect("refused").clone();
    assert!(matches!(problems.source, ProblemSource::Save(_)));
    assert!(
        std::fs::read_to_string(&toml).expect("read")
            == demarche::io::scenario::DEFAULT_SCENARIO_TOML,
        "the TOML file is untouched"
    );
    harness.get_by_label("Save").click();
    harness.step();
    harness.state_mut().finish_save();
    let json = dir.path().join("story.json");
    assert!(json.is_file(), "saved as JSON");
    assert_eq!(
        harness.state().document.path.as_deref(),
        Some(json.as_path())
    );
    assert!(harness.state().problems().is_none());
}

/// The `.part` files left in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect()
}

#[test]
fn saving_runs_in_the_background_and_a_change_made_meanwhile_stays_unsaved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(path) = imported_gdelt(dir.path()) else {
        return;
    };
    let before = std::fs::read_to_string(&path).expect("read");
    let mut harness = harness_on(&path);
    // Each save waits on its thread until the test lets it go (not forever if the test failed first).
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let wait = std::sync::Mutex::new(wait);
    harness.state_mut().hold_saves_with(move || {
        let _ = wait
            .lock()
            .expect("lock")
            .recv_timeout(std::time::Duration::from_secs(60));
    });
    let order = harness.state().visible().to_vec();
    let id_of = |h: &Harness<'static, DemarcheApp>, c: ContactId| {
        h.state().document.loaded.scenario.contact(c).id.clone()
    };
    let (accepted, rejected) = (id_of(&harness, order[0]), id_of(&harness, order[1]));
    harness
        .state_mut()
        .apply(vec![AppCommand::Review(order[0], Review::Accepted)]);
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Save (Ctrl+S)").click();
    // Frames are drawn while the save is held: it does not run on the window's thread.
    for _ in 0..5 {
        harness.step();
    }
    assert_eq!(harness.state().saving(), Some(path.as_path()));
    harness.get_by_label("Saving gdelt.json…");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        before,
        "nothing written yet"
    );
    // A decision made while it saves is not in this save, and is not marked saved.
    harness
        .state_mut()
        .apply(vec![AppCommand::Review(order[1], Review::Rejected)]);
    go.send(()).expect("the save waits");
    assert!(
        step_until(&mut harness, &|app| app.saving().is_none()),
        "the save ends"
    );
    assert!(
        harness.state().problems().is_none(),
        "saved without a problem"
    );
    assert!(
        harness.state().document.unsaved,
        "changed after the save started: still unsaved"
    );
    harness.get_by_label_contains("(unsaved)");
    let saved = demarche::io::scenario::read_file_with_stamp(&path)
        .expect("the file is whole and checks")
        .0;
    let review_in = |s: &demarche::model::Scenario, id: &str| {
        s.contact(s.contact_by_id(id).expect("the contact"))
            .provenance
            .as_ref()
            .expect("machine-coded")
            .review
    };
    assert_eq!(review_in(&saved.scenario, &accepted), Review::Accepted);
    assert_eq!(review_in(&saved.scenario, &rejected), Review::Candidate);
    assert!(temporaries(dir.path()).is_empty());

    // Saved again with nothing changed meanwhile: saved.
    harness.state_mut().apply(vec![AppCommand::Save]);
    go.send(()).expect("the save waits");
    harness.state_mut().finish_save();
    assert!(!harness.state().document.unsaved);
    let saved = demarche::io::scenario::read_file_with_stamp(&path)
        .expect("whole")
        .0;
    assert_eq!(review_in(&saved.scenario, &rejected), Review::Rejected);
}

#[test]
fn a_failed_save_shows_its_problem_and_keeps_the_changes_unsaved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(path) = imported_gdelt(dir.path()) else {
        return;
    };
    let mut harness = harness_on(&path);
    let first = harness.state().visible()[0];
    harness
        .state_mut()
        .apply(vec![AppCommand::Review(first, Review::Accepted)]);
    // A name that is a folder (a save fails there even as root, who may write in a read-only folder),
    // and a folder that does not exist.
    let folder = dir.path().join("taken.json");
    std::fs::create_dir(&folder).expect("folder");
    for target in [folder, dir.path().join("missing").join("story.json")] {
        harness
            .state_mut()
            .apply(vec![AppCommand::SaveAs(target.clone())]);
        harness.step();
        assert!(
            step_until(&mut harness, &|app| app.saving().is_none()),
            "the save ends"
        );
        let problems = harness.state().problems().expect("the failure is shown");
        assert_eq!(problems.source, ProblemSource::Save(target.clone()));
        assert!(problems.report.has_errors());
        assert!(
            problems.report.diagnostics[0]
                .message
                .starts_with(&format!("cannot write {}", target.display())),
            "{:?}",
            problems.report.diagnostics
        );
        assert!(harness.state().document.unsaved, "still unsaved");
        assert_eq!(
            harness.state().document.path.as_deref(),
            Some(path.as_path()),
            "still the file it was read from"
        );
        harness.run();
        harness.get_by_label_contains("(unsaved)");
    }
    assert!(temporaries(dir.path()).is_empty(), "no temporary left");
    // The problems panel's retry saves again (here, to the open file: it works).
    harness
        .state_mut()
        .apply(vec![AppCommand::SaveAs(path.clone())]);
    harness.state_mut().finish_save();
    assert!(!harness.state().document.unsaved);
    assert!(
        harness.state().problems().is_none(),
        "the save's problem is gone"
    );
}

/// The shapes of the time axis's lanes (below its ticks, above its density strip) this frame: filled
/// rectangles and diamonds (a marker drawn solid), and short segments (an outline drawn dotted or dashed).
fn axis_marks(harness: &Harness<'static, DemarcheApp>) -> (usize, usize) {
    let axis = harness.get_by_label("Time").rect();
    // The lanes: 30 points of ticks above, 6 + 14 of the density strip below (ui::time_axis).
    let lanes = egui::Rect::from_min_max(
        egui::pos2(axis.left(), axis.top() + 29.0),
        egui::pos2(axis.right(), axis.bottom() - 19.0),
    );
    fn walk(shape: &egui::Shape, lanes: egui::Rect, solid: &mut usize, segments: &mut usize) {
        match shape {
            egui::Shape::Rect(r) if lanes.contains_rect(r.rect) && r.fill.a() > 0 => *solid += 1,
            egui::Shape::Path(p)
                if p.closed && p.fill.a() > 0 && p.points.iter().all(|q| lanes.contains(*q)) =>
            {
                *solid += 1;
            }
            egui::Shape::LineSegment { points, .. }
                if points.iter().all(|q| lanes.contains(*q))
                    && points[0].distance(points[1]) < 4.0 =>
            {
                *segments += 1;
            }
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, lanes, solid, segments)),
            _ => {}
        }
    }
    let (mut solid, mut segments) = (0, 0);
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, lanes, &mut solid, &mut segments);
    }
    (solid, segments)
}

#[test]
fn candidates_are_hollow_and_dotted_on_the_time_axis_until_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(path) = imported_gdelt(dir.path()) else {
        return;
    };
    let mut harness = harness_on(&path);
    // The whole story on the axis (the sample's rows span years: its first eight weeks).
    harness.get_by_label("Whole story").click();
    harness.run();
    let (solid, dotted) = axis_marks(&harness);
    assert_eq!(solid, 0, "no candidate is drawn solid");
    assert!(dotted > 0, "the candidates are outlined in dots");
    // Accepted, they look like the analyst's own: solid.
    let all = harness.state().visible().to_vec();
    harness.state_mut().apply(
        all.iter()
            .map(|&id| AppCommand::Review(id, Review::Accepted))
            .collect(),
    );
    harness.run();
    let (solid, dotted) = axis_marks(&harness);
    assert!(solid > 0, "accepted contacts are drawn solid");
    assert_eq!(dotted, 0, "and not dotted");
}

#[test]
fn file_import_runs_in_the_background_and_merges_keeping_decisions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(path) = imported_gdelt(dir.path()) else {
        return;
    };
    let Some(events) = shared("events/gdelt2/events-sample.tsv") else {
        return;
    };
    let mut harness = harness_on(&path);
    let first = harness.state().visible()[0];
    harness
        .state_mut()
        .apply(vec![AppCommand::Review(first, Review::Rejected)]);
    let rejected = harness
        .state()
        .document
        .loaded
        .scenario
        .contact(first)
        .id
        .clone();
    let total = harness.state().document.loaded.scenario.contacts.len();

    // File > Import… offers merging, since the open scenario is machine-coded.
    harness.get_by_label("File").click();
    harness.run();
    harness
        .get_by_label("Import events (GDELT, ACLED, ICEWS)…")
        .click();
    harness.run();
    assert!(harness.state().open_dialog.merge_import);
    harness.state_mut().open_dialog.path = events.display().to_string();
    harness.get_by_label("Import").click();
    // The top bar's spinner keeps frames coming while it runs: step, do not wait to settle.
    harness.step();
    assert!(
        step_until(&mut harness, &|app| app.importing().is_none()
            && app.problems().is_some()),
        "the import ends"
    );
    let problems = harness.state().problems().expect("counts").clone();
    let ProblemSource::Import { summary, .. } = &problems.source else {
        panic!("the import's counts: {:?}", problems.source)
    };
    assert!(
        summary
            .iter()
            .any(|l| l.starts_with("Merged into the open scenario: 0 updated")),
        "{summary:?}"
    );
    harness.get_by_label_contains("Merged into the open scenario");
    let s = &harness.state().document.loaded.scenario;
    assert_eq!(s.contacts.len(), total, "the same rows: nothing duplicated");
    assert_eq!(
        review_of(harness.state(), &rejected),
        Review::Rejected,
        "the decision is kept"
    );
    assert!(harness.state().document.unsaved);

    // A file that is not event data: the import fails, the scenario stays.
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, "hello\n").expect("write");
    harness.state_mut().apply(vec![AppCommand::Import {
        paths: vec![junk],
        merge: false,
    }]);
    harness.state_mut().finish_import();
    let problems = harness.state().problems().expect("shown");
    assert!(problems.report.has_errors());
    assert!(
        demarche::app::problems_title(problems).starts_with("The import of junk.csv failed"),
        "{}",
        demarche::app::problems_title(problems)
    );
    assert_eq!(
        harness.state().document.loaded.scenario.contacts.len(),
        total
    );
}

#[test]
fn rejected_contacts_are_hidden_unless_the_review_filter_asks_for_them() {
    use demarche::model::{Filter, Origin, Provenance};
    let mut scenario = demarche::io::scenario::default_scenario().scenario;
    for (i, review) in [Review::Candidate, Review::Accepted, Review::Rejected]
        .into_iter()
        .enumerate()
    {
        scenario.contacts[i].provenance = Some(Box::new(Provenance {
            review,
            dataset: "GDELT 2.0 events".to_owned(),
            rows: vec![format!("{i}")],
            first_reported: None,
            sources: None,
            tone: None,
        }));
    }
    let order = scenario.chronological();
    let shown = Filter::default().apply(&scenario, &order);
    assert_eq!(shown.len(), order.len() - 1);
    assert!(!shown.contains(&ContactId(2)), "the rejected one is hidden");
    let only = |origins: &[Origin]| Filter {
        origins: origins.iter().copied().collect(),
        ..Filter::default()
    };
    assert_eq!(
        only(&[Origin::Rejected]).apply(&scenario, &order),
        [ContactId(2)]
    );
    assert_eq!(
        only(&[Origin::Candidate]).apply(&scenario, &order),
        [ContactId(0)]
    );
    assert_eq!(
        only(&[Origin::Accepted]).apply(&scenario, &order),
        [ContactId(1)]
    );
    assert_eq!(
        only(&[Origin::Own]).apply(&scenario, &order).len(),
        order.len() - 3
    );
    assert_eq!(
        only(&Origin::ALL).apply(&scenario, &order).len(),
        order.len()
    );
}
