//! The window's export dialog never replaces a read-only file silently (as the command line refuses one
//! without `--force`): it says the file is read-only and offers to replace it, and replaces it only when
//! asked; and a write that fails is a visible error.

mod support;

use demarche::app::{AppOptions, DemarcheApp};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use support::app::step_until;

fn export_dialog() -> Harness<'static, DemarcheApp> {
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .build_eframe(|_cc| DemarcheApp::new(&AppOptions::default()));
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    harness.state_mut().export.scale = 1.0;
    harness
}

fn click_export(harness: &mut Harness<'static, DemarcheApp>) {
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    // An export under way shows a spinner: frames go on being asked for.
    harness.step();
    harness.step();
}

fn wait_for_export(harness: &mut Harness<'static, DemarcheApp>) {
    assert!(step_until(harness, &|app| !app.export.is_running()
        && app.export.last.is_some()));
    harness.run();
}

#[test]
fn a_read_only_file_is_replaced_only_when_the_user_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("kept.png");
    std::fs::write(&file, b"the user's own picture").expect("written");
    let mut permissions = std::fs::metadata(&file).expect("metadata").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&file, permissions).expect("made read-only");

    let mut harness = export_dialog();
    harness.state_mut().export.path = file.display().to_string();
    harness.run();
    click_export(&mut harness);
    // Refused, said in the dialog, and the file is as it was.
    assert!(!harness.state().export.is_running());
    harness.get_by_label_contains("is read-only: it is not replaced");
    assert_eq!(
        std::fs::read(&file).expect("still there"),
        b"the user's own picture"
    );
    // Export again without ticking the box: still refused.
    click_export(&mut harness);
    assert!(!harness.state().export.is_running());
    assert_eq!(
        std::fs::read(&file).expect("kept"),
        b"the user's own picture"
    );

    // Ticked: replaced.
    harness
        .get_by_role_and_label(Role::CheckBox, "Replace the read-only file")
        .click();
    harness.run();
    assert!(harness.state().export.replace_read_only);
    click_export(&mut harness);
    wait_for_export(&mut harness);
    assert_eq!(harness.state().export.last, Some(Ok(file.clone())));
    let written = std::fs::read(&file).expect("written");
    assert!(
        written.starts_with(b"\x89PNG"),
        "the picture replaced the file"
    );
    // The box is for that one export: it is gone.
    assert!(
        harness
            .query_by_label("Replace the read-only file")
            .is_none()
    );
}

#[test]
fn a_write_that_fails_is_a_visible_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A folder that does not exist.
    let file = dir.path().join("no such folder").join("view.png");
    let mut harness = export_dialog();
    harness.state_mut().export.path = file.display().to_string();
    harness.run();
    click_export(&mut harness);
    wait_for_export(&mut harness);
    let last = harness.state().export.last.clone();
    assert!(matches!(&last, Some(Err(_))), "{last:?}");
    let Some(Err(message)) = last else {
        unreachable!()
    };
    // Shown in the dialog, as written.
    harness.get_by_label(&message);
    assert!(!file.exists());
}
