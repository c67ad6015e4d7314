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

/// The Oman channel as known on 28 April 2025 (round 4 planned, its venue to be announced), with what
/// was reported after 26 April marked new: the knowledge bar set, "+" on the map and at the start of rows in the list.
#[test]
fn the_oman_channel_as_known_on_28_april_with_new_reports_marked() {
    use demarche::model::as_of::{AsOf, NewSince};
    use demarche::ui::AppCommand;
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/scenarios/oman-channel-2025.toml");
    let options = AppOptions {
        scenario: Some(path),
        ..AppOptions::default()
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_pixels_per_point(1.0)
        .with_render_cursor(false)
        .renderer(CpuRenderer::default())
        .build_eframe(move |cc| {
            demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
            DemarcheApp::new(&options)
        });
    harness.run();
    let at = |s: &str| s.parse::<jiff::Timestamp>().expect("time");
    harness.state_mut().apply(vec![
        AppCommand::SetAsOf(AsOf::At(at("2025-04-28T00:00:00Z"))),
        AppCommand::SetNewSince(Some(NewSince {
            since: at("2025-04-26T00:00:00Z"),
            last_opened: false,
        })),
        AppCommand::Time(TimeCommand::SetTime(at("2025-04-26T12:00:00Z"))),
    ]);
    harness.run();
    harness.snapshot("oman_as_known_new_since");
}
