//! The window's fit keeps room for the legend only while the legend is shown: folded away, it takes no room
//! on the map and the story is framed as large as the map allows; folding or unfolding it fits the map
//! again (while the user has not moved it).

use demarche::geo_math::camera::{Camera, ScreenRect};
use demarche::geo_math::projection::{Projection, ProjectionKind};
use demarche::io::scenario::examples::EXAMPLES;
use demarche::model::Scenario;
use demarche::scene::settings::MapSettings;
use demarche::scene::view;
use egui_kittest::Harness;

/// An app that shows only the map of a story, with the map settings of the test.
struct MapOnly {
    map: demarche::ui::map_view::MapView,
    basemap: demarche::basemap::embedded::Basemap,
    scenario: Scenario,
    order: Vec<demarche::model::ContactId>,
    settings: MapSettings,
    projection: Projection,
}

impl eframe::App for MapOnly {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let mut commands = Vec::new();
            let frame = demarche::ui::map_view::MapFrame {
                scenario: &self.scenario,
                order: &self.order,
                index: None,
                time: self
                    .scenario
                    .time_extent()
                    .map_or(jiff::Timestamp::UNIX_EPOCH, |(start, _)| start),
                zone: &jiff::tz::TimeZone::UTC,
                settings: &self.settings,
                projection: self.projection,
                basemap: &mut self.basemap,
                pulse: None,
                loading: None,
                selection: None,
                new_since: None,
            };
            self.map.ui(ui, frame, &mut commands);
        });
    }
}

fn same(a: &Camera, b: &Camera) -> bool {
    (a.scale / b.scale - 1.0).abs() < 1e-9
        && (a.center[0] - b.center[0]).abs() < 1e-9
        && (a.center[1] - b.center[1]).abs() < 1e-9
}

#[test]
fn a_folded_legend_takes_no_room_in_the_fit_and_folding_it_fits_again() {
    // 600x500: the map beside open side panels, where the default story's legend meets a venue.
    let mut differ = 0;
    for example in EXAMPLES {
        let (loaded, _) = example.load().expect("valid");
        let scenario = loaded.scenario;
        let projection = ProjectionKind::default().projection_for(&scenario);
        for (w, h) in [(600.0_f32, 500.0_f32), (1280.0, 720.0), (1920.0, 1080.0)] {
            let at = format!("{} at {w}x{h}", example.file_name);
            let viewport = ScreenRect::from_size(w, h);
            let with_legend = view::fitted_camera_for(&projection, &scenario, None, viewport, true);
            let folded = view::fitted_camera_for(&projection, &scenario, None, viewport, false);
            // Folded, nothing is reserved.
            let nothing = view::fitted_camera_clear_of(&projection, &scenario, None, viewport, &[]);
            assert!(same(&folded, &nothing), "{at}");
            assert!(folded.scale >= with_legend.scale, "{at}");
            differ += usize::from(!same(&folded, &with_legend));

            let mut harness = Harness::builder()
                .with_size(egui::vec2(w, h))
                .with_pixels_per_point(1.0)
                .build_eframe(|cc| {
                    demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
                    MapOnly {
                        map: demarche::ui::map_view::MapView::default(),
                        basemap: demarche::basemap::embedded::Basemap::embedded()
                            .expect("the embedded basemap"),
                        order: scenario.chronological(),
                        scenario: scenario.clone(),
                        settings: MapSettings {
                            legend_folded: true,
                            ..MapSettings::default()
                        },
                        projection,
                    }
                });
            harness.run();
            let camera = harness.state().map.camera.expect("fitted");
            assert_eq!(camera.viewport, viewport, "{at}: the map fills the window");
            assert!(
                same(&camera, &folded),
                "{at}: folded, the window fits with no legend"
            );
            // Unfolded, the map fits again, clear of the legend.
            harness.state_mut().settings.legend_folded = false;
            harness.run();
            let camera = harness.state().map.camera.expect("fitted");
            assert!(
                same(&camera, &with_legend),
                "{at}: unfolded, the fit keeps the legend clear"
            );
            // Folded again, it takes the room back.
            harness.state_mut().settings.legend_folded = true;
            harness.run();
            let camera = harness.state().map.camera.expect("fitted");
            assert!(same(&camera, &folded), "{at}: folded again");
        }
    }
    assert!(
        differ > 0,
        "the test needs a story whose fit leaves room for the legend"
    );
}
