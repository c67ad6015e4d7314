//! The second clock in the window, on the Oman-channel example (sources published on different days;
//! round 4 first reported as planned, then as postponed): the knowledge bar sets the as-of clock and
//! steps it from report to report, the list, the map and the time axis show only what was reported by
//! then; the selection follows its contact; saving writes the whole story, not the part known; the
//! replay of knowledge follows the clock; "new since" marks what was reported later, on the map, in the
//! list and in the legend, and "since I last opened this file" comes from what the app remembers.

mod support;

use std::path::{Path, PathBuf};

use demarche::app::{AppOptions, DemarcheApp, Persisted};
use demarche::model::Status;
use demarche::model::as_of::{AsOf, NewSince, as_known};
use demarche::scene::{Item, Pick};
use demarche::ui::AppCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use support::fixtures::ts;

fn oman_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/oman-channel-2025.toml")
}

fn harness_on(path: &Path) -> Harness<'static, DemarcheApp> {
    let options = AppOptions {
        scenario: Some(path.to_path_buf()),
        ..AppOptions::default()
    };
    let mut harness = support::app::app_with_fonts([1366.0, 900.0], options);
    harness.run();
    harness
}

fn shown_ids(app: &DemarcheApp) -> Vec<String> {
    let s = &app.shown().loaded.scenario;
    app.visible()
        .iter()
        .map(|&id| s.contact(id).id.clone())
        .collect()
}

fn pick(harness: &mut Harness<'static, DemarcheApp>, combo: &str, option: &str) {
    harness
        .get_all_by_label(combo)
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .unwrap_or_else(|| panic!("a picker labelled {combo}"))
        .click();
    harness.run();
    harness.get_by_label(option).click();
    harness.run();
}

#[test]
fn the_as_of_clock_shows_only_what_was_reported_and_steps_from_report_to_report() {
    let mut harness = harness_on(&oman_path());
    let whole = harness.state().document.loaded.scenario.clone();
    let all = harness.state().visible().len();
    assert_eq!(all, whole.contacts.len());
    assert!(
        harness.query_by_label("‹ report").is_none(),
        "no stepper while everything is shown"
    );

    // As known on 28 April: round 4 is planned, round 3 not yet reported... as `as_known` says.
    harness
        .state_mut()
        .apply(vec![AppCommand::SetAsOf(AsOf::At(ts(
            "2025-04-28T00:00:00Z",
        )))]);
    harness.run();
    let expected = as_known(&whole, ts("2025-04-28T00:00:00Z"));
    let mut listed = shown_ids(harness.state());
    listed.sort();
    let mut known: Vec<String> = expected.contacts.iter().map(|c| c.id.clone()).collect();
    known.sort();
    assert_eq!(listed, known);
    assert!(listed.len() < all, "later reports are held back");
    let round_4 = |app: &DemarcheApp| {
        let s = &app.shown().loaded.scenario;
        s.contact_by_id("round-4-rome-postponed")
            .map(|id| s.contact(id).status)
    };
    assert_eq!(round_4(harness.state()), Some(Status::Planned));
    // The whole story is kept, for saving and reviewing.
    assert_eq!(
        harness.state().document.loaded.scenario.contacts.len(),
        whole.contacts.len()
    );
    harness.get_by_label_contains("contacts reported by then");

    // Step forward report by report: the known set only grows, and round 4 becomes postponed.
    let mut counts = vec![harness.state().visible().len()];
    while round_4(harness.state()) != Some(Status::Postponed) {
        let before = harness.state().knowledge().as_of();
        harness.get_by_label("report ›").click();
        harness.run();
        let after = harness.state().knowledge().as_of();
        assert_ne!(before, after, "the next report moves the as-of clock");
        counts.push(harness.state().visible().len());
        assert!(counts.len() < 50, "round 4 is postponed at some report");
    }
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    // And back: one report less.
    harness.get_by_label("‹ report").click();
    harness.run();
    assert_eq!(round_4(harness.state()), Some(Status::Planned));

    // Everything again.
    pick(&mut harness, "As known", "everything reported");
    assert_eq!(harness.state().knowledge().as_of(), AsOf::Everything);
    assert_eq!(harness.state().visible().len(), all);
}

#[test]
fn the_selection_follows_its_contact_and_a_save_writes_the_whole_story() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness_on(&oman_path());
    let whole = harness.state().document.loaded.scenario.contacts.len();
    let id = {
        let s = &harness.state().shown().loaded.scenario;
        s.contact_by_id("round-4-rome-postponed").expect("round 4")
    };
    harness.state_mut().apply(vec![AppCommand::Select(id)]);
    harness
        .state_mut()
        .apply(vec![AppCommand::SetAsOf(AsOf::At(ts(
            "2025-04-28T00:00:00Z",
        )))]);
    harness.run();
    let app = harness.state();
    let Some(Pick::Contact(now)) = app.selection else {
        panic!("still selected: {:?}", app.selection);
    };
    assert_eq!(
        app.shown().loaded.scenario.contact(now).id,
        "round-4-rome-postponed",
        "the selection is the same contact, under its id in the known story"
    );
    // Before round 4 was reported, nothing can be selected of it.
    harness
        .state_mut()
        .apply(vec![AppCommand::SetAsOf(AsOf::At(ts(
            "2025-04-14T00:00:00Z",
        )))]);
    harness.run();
    assert_eq!(harness.state().selection, None);

    let out = dir.path().join("oman.json");
    harness
        .state_mut()
        .apply(vec![AppCommand::SaveAs(out.clone())]);
    assert!(
        support::app::step_until(&mut harness, &|app| !app.document.unsaved && out.exists()),
        "saved"
    );
    let saved = demarche::io::scenario::load(&out).expect("the saved file loads");
    assert_eq!(
        saved.scenario.contacts.len(),
        whole,
        "the whole story is saved, not what was known at the as-of moment"
    );
}

#[test]
fn the_replay_of_knowledge_follows_the_clock() {
    let mut harness = harness_on(&oman_path());
    let whole = harness.state().document.loaded.scenario.clone();
    pick(&mut harness, "As known", "at the clock's time (replay)");
    assert_eq!(harness.state().knowledge().as_of(), AsOf::FollowsClock);
    for t in [
        "2025-04-13T00:00:00Z",
        "2025-04-28T00:00:00Z",
        "2025-05-20T00:00:00Z",
    ] {
        harness.state_mut().apply(vec![AppCommand::Time(
            demarche::playback::TimeCommand::SetTime(ts(t)),
        )]);
        harness.run();
        assert_eq!(
            harness.state().shown().loaded.scenario.contacts.len(),
            as_known(&whole, ts(t)).contacts.len(),
            "as known at {t}"
        );
    }
}

/// The texts of the map's overlays in the last frame.
fn map_texts(app: &DemarcheApp) -> Vec<String> {
    let scene = app.map.scene().expect("a map was drawn");
    scene
        .layers
        .iter()
        .flat_map(|layer| layer.items.iter())
        .filter_map(|item| match item {
            Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn new_since_marks_what_was_reported_later_on_the_map_in_the_list_and_the_legend() {
    let mut harness = harness_on(&oman_path());
    // The clock at round 4, so that it is on the map.
    let round_4 = {
        let s = &harness.state().shown().loaded.scenario;
        s.contact_by_id("round-4-rome-postponed").expect("round 4")
    };
    harness.state_mut().apply(vec![AppCommand::Select(round_4)]);
    harness.run();
    assert!(!map_texts(harness.state()).iter().any(|t| t == "+"));
    assert!(harness.query_by_label_contains("(new)").is_none());

    // New since 28 April: round 4 (postponed on 1 May) is new; round 1 (April 12) is not.
    harness
        .state_mut()
        .apply(vec![AppCommand::SetNewSince(Some(NewSince {
            since: ts("2025-04-28T00:00:00Z"),
            last_opened: false,
        }))]);
    harness.run();
    let app = harness.state();
    assert!(
        map_texts(app).iter().any(|t| t == "+"),
        "a + beside round 4's mark"
    );
    assert!(
        map_texts(app)
            .iter()
            .any(|t| t == "Reported since 28 Apr 2025"),
        "a legend row: {:?}",
        map_texts(app)
    );
    let new_rows = harness.get_all_by_label_contains("(new)").count();
    assert!(new_rows >= 1);
    assert_eq!(
        new_rows,
        harness.state().knowledge().new_count(),
        "every new contact listed is marked, no other"
    );
    assert!(
        harness.state().knowledge().new_count() < harness.state().visible().len(),
        "what was reported before is not new"
    );
    harness.get_by_label_contains("reported since");
}

#[test]
fn since_i_last_opened_this_file_comes_from_what_the_app_remembers() {
    let mut harness = harness_on(&oman_path());
    assert_eq!(harness.state().knowledge().last_opened(), None);
    let key = std::path::absolute(oman_path())
        .expect("absolute")
        .display()
        .to_string();
    let before = ts("2025-04-28T00:00:00Z");
    let mut saved = Persisted::default();
    saved.opened.insert(key.clone(), before.as_second());
    harness.state_mut().restore(saved);
    harness.run();
    assert_eq!(harness.state().knowledge().last_opened(), Some(before));
    pick(&mut harness, "New since", "I last opened this file");
    assert_eq!(
        harness.state().knowledge().new_since(),
        Some(NewSince {
            since: before,
            last_opened: true
        })
    );
    assert!(harness.state().knowledge().new_count() > 0);
    // This opening is remembered for the next session.
    let remembered = harness.state().persisted().opened[&key];
    assert!(remembered > before.as_second());
}

#[test]
fn an_export_from_the_window_says_its_filter_and_clocks_and_replays_the_whole_story() {
    let mut harness = harness_on(&oman_path());
    let whole = harness.state().document.loaded.scenario.contacts.len();
    let mut filter = demarche::model::Filter::default();
    filter.kinds.insert(demarche::model::ContactKind::Mediation);
    harness.state_mut().apply(vec![
        AppCommand::SetFilter(filter),
        AppCommand::SetAsOf(AsOf::At(ts("2025-04-28T00:00:00Z"))),
    ]);
    harness.run();
    let cx = harness
        .state_mut()
        .export_context()
        .expect("the map was drawn");
    assert_eq!(
        cx.source.stamp.filter.as_deref(),
        Some("filter: kinds mediation")
    );
    assert_eq!(cx.source.stamp.as_of, Some(ts("2025-04-28T00:00:00Z")));
    assert!(!cx.source.replay);
    assert!(cx.source.scenario.contacts.len() < whole, "what was known");

    pick(&mut harness, "As known", "at the clock's time (replay)");
    let cx = harness
        .state_mut()
        .export_context()
        .expect("the map was drawn");
    assert!(cx.source.replay, "each frame as known at its own time");
    assert_eq!(cx.source.scenario.contacts.len(), whole);
    assert_eq!(cx.source.stamp.as_of, None, "set frame by frame");
    let s = &cx.source.scenario;
    assert!(
        cx.source
            .order
            .iter()
            .all(|&id| s.contact(id).kind == demarche::model::ContactKind::Mediation),
        "the filter still applies"
    );
}

#[test]
fn a_review_decision_under_the_as_of_clock_goes_to_the_right_contact() {
    let Some(events) = support::shared_files::shared("events/gdelt2/events-sample.tsv") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let imported = demarche::import::import(&[events], &demarche::import::Options::default())
        .expect("imports");
    // The latest reported first in the file, so that the contacts known early are not its first ones.
    let mut scenario = imported.scenario;
    scenario.contacts.reverse();
    let path = dir.path().join("gdelt.json");
    std::fs::write(&path, demarche::io::scenario::write::to_json(&scenario)).expect("write");
    let mut harness = harness_on(&path);
    let times = harness.state().knowledge().report_times().to_vec();
    assert!(
        times.len() >= 2,
        "first reports at different times: {times:?}"
    );
    // As known at a report when some contacts are held back, so that ids differ from the file's.
    let total = harness.state().document.loaded.scenario.contacts.len();
    let partly = times.iter().find(|&&t| {
        let known =
            demarche::model::as_of::as_known_with_ids(&harness.state().document.loaded.scenario, t);
        known
            .whole_ids
            .iter()
            .enumerate()
            .any(|(i, id)| id.0 as usize != i)
    });
    let t = *partly.expect("a report when a contact known comes after one not yet known");
    harness
        .state_mut()
        .apply(vec![AppCommand::SetAsOf(AsOf::At(t))]);
    harness.run();
    let app = harness.state();
    let shown = &app.shown().loaded.scenario;
    assert!(shown.contacts.len() < total);
    // The last contact shown whose id in the file is not its id here.
    let (known_id, file_id) = app
        .visible()
        .iter()
        .rev()
        .map(|&id| (id, shown.contact(id).id.clone()))
        .find(|(id, file_id)| app.document.loaded.scenario.contact_by_id(file_id) != Some(*id))
        .expect("a contact whose place differs in the known story");
    harness.state_mut().apply(vec![AppCommand::Review(
        known_id,
        demarche::model::Review::Rejected,
    )]);
    harness.run();
    let whole = &harness.state().document.loaded.scenario;
    let rejected: Vec<&str> = whole
        .contacts
        .iter()
        .filter(|c| {
            c.provenance
                .as_ref()
                .is_some_and(|p| p.review == demarche::model::Review::Rejected)
        })
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(rejected, vec![file_id.as_str()]);
    assert!(harness.state().document.unsaved);
}
