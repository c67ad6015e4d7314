//! Files as a user meets them in the window: a broken scenario fixed on disk is picked up, the problems
//! panel has Retry and says what kind of file failed, files opened from the command line are in Open
//! recent, and opening a scenario fits it and puts the clock at its first contact.

mod support;

use demarche::app::{AppOptions, DemarcheApp, Persisted, ProblemSource};
use demarche::io::scenario::DEFAULT_SCENARIO_TOML;
use demarche::ui::AppCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use support::app::step_until;

fn harness_with(options: AppOptions) -> Harness<'static, DemarcheApp> {
    Harness::builder()
        .with_size([1366.0, 768.0])
        .build_eframe(move |_cc| DemarcheApp::new(&options))
}

/// The default scenario retitled, as another file.
fn retitled(title: &str) -> String {
    DEFAULT_SCENARIO_TOML.replacen(
        "title = \"The Ankara channel",
        &format!("title = \"{title}"),
        1,
    )
}

#[test]
fn a_scenario_that_failed_to_open_opens_once_fixed_on_disk_or_on_retry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("story.toml");
    let good = retitled("Fixed story");
    std::fs::write(
        &path,
        good.replacen("kind = \"meeting\"", "kind = \"meeeting\"", 1),
    )
    .expect("write");
    let mut harness = harness_with(AppOptions::default());
    harness.run();
    harness
        .state_mut()
        .apply(vec![AppCommand::OpenScenario(path.clone())]);
    assert!(step_until(&mut harness, &|app| app.problems().is_some()));
    let problems = harness.state().problems().expect("shown").clone();
    assert_eq!(problems.source, ProblemSource::Scenario(path.clone()));
    assert!(
        demarche::app::problems_title(&problems).starts_with("The scenario"),
        "{}",
        demarche::app::problems_title(&problems)
    );
    harness.get_by_label("Retry");
    harness.get_by_label_contains("Watching the file");

    // Fixed on disk: opened by itself.
    std::fs::write(&path, &good).expect("write");
    assert!(
        step_until(&mut harness, &|app| app
            .document
            .loaded
            .scenario
            .meta
            .title
            .starts_with("Fixed story")),
        "the fixed file was picked up"
    );
    assert!(harness.state().problems().is_none());

    // Broken again in another file, then Retry after fixing it (no watch needed).
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "format = \"demarche-scenario\"\n").expect("write");
    harness
        .state_mut()
        .apply(vec![AppCommand::OpenScenario(other.clone())]);
    assert!(step_until(&mut harness, &|app| app.problems().is_some()));
    std::fs::write(&other, retitled("Other story")).expect("write");
    harness
        .state_mut()
        .apply(vec![AppCommand::RetryProblemFile]);
    assert!(step_until(&mut harness, &|app| app
        .document
        .loaded
        .scenario
        .meta
        .title
        .starts_with("Other story")));
}

#[test]
fn a_broken_map_file_is_reported_as_a_map_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.geojson");
    std::fs::write(&path, "{\"type\": \"FeatureCollection\", \"features\": [").expect("write");
    let mut harness = harness_with(AppOptions {
        basemaps: vec![path.clone()],
        ..AppOptions::default()
    });
    assert!(step_until(&mut harness, &|app| app.problems().is_some()));
    let problems = harness.state().problems().expect("shown").clone();
    let title = demarche::app::problems_title(&problems);
    assert!(title.starts_with("The map file"), "{title}");
    assert!(title.contains("The map is unchanged"), "{title}");
    assert!(!title.contains("scenario"), "{title}");
}

#[test]
fn a_file_opened_from_the_command_line_is_first_in_open_recent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cli.toml");
    std::fs::write(&path, retitled("From the command line")).expect("write");
    let mut harness = harness_with(AppOptions {
        scenario: Some(path.clone()),
        ..AppOptions::default()
    });
    // What the last session remembered comes after it.
    harness.state_mut().restore(Persisted {
        recent: vec![dir.path().join("older.toml")],
        ..Persisted::default()
    });
    harness.run();
    let recent = &harness.state().recent;
    assert_eq!(
        recent.first(),
        Some(&std::path::absolute(&path).expect("abs"))
    );
    assert_eq!(recent.len(), 2);
}

#[test]
fn a_remembered_view_comes_back_only_for_its_own_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("story.toml");
    std::fs::write(&path, retitled("Another story")).expect("write");
    let mut harness = harness_with(AppOptions {
        scenario: Some(path.clone()),
        ..AppOptions::default()
    });
    // A view remembered of the embedded default is not this scenario's.
    harness.state_mut().restore(Persisted {
        view: Some(([0.0, 0.0], 1.0)),
        view_of: None,
        ..Persisted::default()
    });
    harness.run();
    assert!(harness.state().map.is_fitted(), "opened fitted");
}

#[test]
fn opening_a_scenario_fits_it_and_starts_the_clock_at_its_first_contact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("story.toml");
    std::fs::write(&path, retitled("Another story")).expect("write");
    let mut harness = harness_with(AppOptions::default());
    harness.run();
    // The user scrubs and zooms the default scenario...
    let (_, end) = harness.state().clock.range();
    harness.state_mut().apply(vec![AppCommand::Time(
        demarche::playback::TimeCommand::SetTime(end),
    )]);
    harness.key_press(egui::Key::Plus);
    harness.run();
    assert!(!harness.state().map.is_fitted());
    // ...then opens another file: fitted, from its first contact.
    harness
        .state_mut()
        .apply(vec![AppCommand::OpenScenario(path.clone())]);
    assert!(step_until(&mut harness, &|app| app.document.path.is_some()));
    harness.run();
    let app = harness.state();
    assert!(app.map.is_fitted(), "fitted");
    assert_eq!(
        app.clock.time(),
        app.clock.range().0,
        "at the first contact"
    );

    // The same file opened again after the user moved the map keeps the view and the clock.
    harness.key_press(egui::Key::Plus);
    harness.run();
    let moved = harness.state().map.camera;
    harness.state_mut().apply(vec![AppCommand::Time(
        demarche::playback::TimeCommand::SetTime(end),
    )]);
    harness
        .state_mut()
        .apply(vec![AppCommand::OpenScenario(path.clone())]);
    assert!(step_until(&mut harness, &|app| app.loading().is_none()));
    harness.run();
    assert_eq!(harness.state().map.camera, moved, "the view stayed");
    assert_eq!(
        harness.state().clock.time(),
        end.min(harness.state().clock.range().1)
    );
}

#[test]
fn ctrl_o_opens_a_dialog_where_a_path_can_be_typed_when_there_is_no_file_dialog_service() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("typed.toml");
    std::fs::write(&path, retitled("Typed story")).expect("write");
    let mut harness = harness_with(AppOptions::default());
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    // A wrong path says so in the dialog, which stays open.
    harness.get_by_label("Path").focus();
    harness.run();
    harness
        .get_by_label("Path")
        .type_text(&dir.path().join("nope.toml").display().to_string());
    harness.run();
    assert!(harness.state().open_dialog.path.ends_with("nope.toml"));
    harness.get_by_label("Open").click();
    harness.run();
    harness.get_by_label_contains("There is no file at");
    assert!(harness.state().open_dialog.target().is_some());

    harness.state_mut().open_dialog.path = path.display().to_string();
    harness.run();
    harness.get_by_label("Open").click();
    assert!(step_until(&mut harness, &|app| app
        .document
        .loaded
        .scenario
        .meta
        .title
        .starts_with("Typed story")));
    assert!(harness.state().open_dialog.target().is_none(), "closed");
}

#[test]
fn a_file_dialog_that_comes_back_empty_says_so_and_one_that_picks_opens_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("picked.toml");
    std::fs::write(&path, retitled("Picked story")).expect("write");
    let mut harness = harness_with(AppOptions::default());
    harness.run();
    harness.state_mut().apply(vec![AppCommand::PickScenario]);
    // A desktop without a file-dialog service: the dialog returns nothing.
    harness
        .state_mut()
        .open_dialog
        .browse_with(Box::new(|| {}), || None);
    assert!(step_until(&mut harness, &|app| !app
        .open_dialog
        .is_browsing()));
    harness.run();
    harness.get_by_label_contains("no file-dialog service");

    let picked = path.clone();
    harness
        .state_mut()
        .open_dialog
        .browse_with(Box::new(|| {}), move || Some(picked));
    assert!(step_until(&mut harness, &|app| app
        .document
        .loaded
        .scenario
        .meta
        .title
        .starts_with("Picked story")));
}

/// Runs frames until the export under way ends.
fn wait_for_export(harness: &mut Harness<'static, DemarcheApp>) {
    assert!(step_until(harness, &|app| !app.export.is_running()
        && app.export.last.is_some()));
}

#[test]
fn export_writes_to_the_typed_path_and_says_when_the_file_dialog_gives_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness_with(AppOptions::default());
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    harness.state_mut().export.scale = 1.0;

    // A path whose extension is not the format's is refused, in the dialog.
    harness.state_mut().export.path = dir.path().join("view.svg").display().to_string();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
        .click();
    harness.run();
    let last = harness.state().export.last.clone();
    assert!(
        matches!(&last, Some(Err(e)) if e.contains("ends in .svg")),
        "{last:?}"
    );

    // The typed path, without an extension: the format's is added.
    let typed = dir.path().join("view");
    harness.state_mut().export.path = typed.display().to_string();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
        .click();
    wait_for_export(&mut harness);
    let written = dir.path().join("view.png");
    assert_eq!(harness.state().export.last, Some(Ok(written.clone())));
    assert!(std::fs::metadata(&written).expect("written").len() > 1000);

    // No file-dialog service: Browse… comes back empty and the dialog says so.
    harness
        .state_mut()
        .export
        .browse_with(Box::new(|| {}), || None);
    assert!(step_until(&mut harness, &|app| matches!(
        &app.export.last,
        Some(Err(e)) if e.contains("no file-dialog service")
    )));
    harness.run();
    harness.get_by_label_contains("no file-dialog service");

    // A path picked in the file dialog is exported to at once.
    let picked = dir.path().join("picked.png");
    let to = picked.clone();
    harness
        .state_mut()
        .export
        .browse_with(Box::new(|| {}), move || Some(to));
    assert!(step_until(&mut harness, &|app| app.export.last
        == Some(Ok(picked.clone()))));
}

/// A scenario named on the command line that is not read when the window opens (a large file: here a
/// FIFO nobody writes yet) does not hold the window: frames are drawn, with "Reading …", and the story is
/// shown once it is read.
#[cfg(unix)]
#[test]
fn a_file_still_being_read_when_the_window_opens_is_shown_once_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("slow.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
    let mut app = DemarcheApp::starting(&AppOptions {
        scenario: Some(path.clone()),
        ..AppOptions::default()
    });
    app.finish_loading_within(std::time::Duration::from_millis(50));
    assert_eq!(app.loading(), Some(path.as_path()), "still being read");
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .build_eframe(move |_cc| app);
    harness.step();
    assert!(
        harness
            .query_by_label_contains("Reading slow.toml")
            .is_some(),
        "the window says what it reads"
    );
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || std::fs::write(&path, retitled("Read while the window drew")))
    };
    assert!(step_until(&mut harness, &|app| app.loading().is_none()));
    writer.join().expect("joined").expect("written");
    harness.run();
    assert!(
        harness
            .state()
            .document
            .loaded
            .scenario
            .meta
            .title
            .starts_with("Read while the window drew")
    );
}
