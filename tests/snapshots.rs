//! Snapshot images of key states of the app, drawn on the CPU (no GPU, no display) by the test renderer in
//! `support/`. They are compared with the images in `tests/snapshots/`; when a change is meant, run
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots` and review the new images by eye before committing them.

mod support;

use demarche::app::{AppOptions, DemarcheApp};
use demarche::playback::TimeCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use support::cpu_renderer::CpuRenderer;

fn harness(time: &str) -> Harness<'static, DemarcheApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_pixels_per_point(1.0)
        .with_render_cursor(false)
        .renderer(CpuRenderer::default())
        .build_eframe(|_cc| DemarcheApp::new(&AppOptions::default()));
    harness.run();
    harness
        .state_mut()
        .clock
        .apply(TimeCommand::SetTime(time.parse().expect("time")));
    harness.run();
    harness
}

#[test]
fn saturday_noon_al_thani_in_tehran_and_the_sisi_call() {
    let mut harness = harness("2026-01-31T12:00:00Z");
    harness.snapshot("saturday_noon");
}

#[test]
fn a_selected_visit_with_its_sources_and_the_list_filtered_to_visits() {
    let mut harness = harness("2026-01-30T22:00:00Z");
    harness.get_by_label("Filters").click();
    harness.run();
    harness.get_by_label("visit").click();
    harness.run();
    // Fold the filters again, so that the list's rows are on screen (the filters fill the panel).
    harness.get_by_label_contains("Filters (1)").click();
    harness.run();
    harness
        .get_by_label_contains("Qatar's Prime Minister Al Thani in Tehran, meets Larijani  (held)")
        .click();
    harness.run();
    harness.snapshot("selected_visit_filtered");
}

#[test]
fn the_dark_theme_on_sunday_with_the_planned_ankara_meeting() {
    let mut harness = harness("2026-02-01T15:00:00Z");
    harness.get_by_label("Dark theme").click();
    harness.run();
    harness.snapshot("dark_sunday");
}
