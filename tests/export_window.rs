//! Export and window agree (issue 5): the map view drawn by egui (through a CPU renderer, as the window's
//! GPU draws it) and the PNG export of the same view, size and time are the same picture, but for
//! antialiasing: egui feathers strokes (a dash of 2 points becomes a blob of 3 pixels) and leaves filled
//! meshes hard-edged, tiny-skia computes coverage. Labels come from the same glyph atlas at the same
//! places on both sides, so they may differ only where a line crosses them.

mod support;

use demarche::basemap::embedded::Basemap;
use demarche::export::{FrameSpec, SnapshotFormat, snapshot_bytes};
use demarche::io::scenario::default_scenario;
use demarche::render::egui_painter::BasemapPath;
use demarche::scene::Item;
use demarche::scene::settings::MapSettings;
use demarche::ui::map_view::{MapFrame, MapView};
use egui_kittest::Harness;
use jiff::Timestamp;
use support::cpu_renderer::CpuRenderer;

const W: f32 = 800.0;
const H: f32 = 450.0;

/// An app that shows only the map, at one moment.
struct MapOnly {
    map: MapView,
    basemap: Basemap,
    scenario: demarche::model::Scenario,
    order: Vec<demarche::model::ContactId>,
    time: Timestamp,
}

impl eframe::App for MapOnly {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let mut commands = Vec::new();
            let frame = MapFrame {
                scenario: &self.scenario,
                order: &self.order,
                index: None,
                time: self.time,
                zone: &jiff::tz::TimeZone::UTC,
                settings: &MapSettings::default(),
                projection: demarche::geo_math::projection::ProjectionKind::default()
                    .projection_for(&self.scenario),
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

/// The map alone in a window of the export's size (as the app lays it out: the central panel, without a
/// frame), its basemap drawn by `path`, at time `t`.
fn map_window(t: Timestamp, path: BasemapPath) -> Harness<'static, MapOnly> {
    let loaded = default_scenario();
    let order = loaded.scenario.chronological();
    Harness::builder()
        .with_size(egui::vec2(W, H))
        .with_pixels_per_point(1.0)
        .with_render_cursor(false)
        .renderer(CpuRenderer::default())
        .build_eframe(move |cc| {
            cc.egui_ctx.set_visuals(egui::Visuals::light());
            // The window's fonts, as `demarche` installs them at launch.
            demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
            let mut map = MapView::default();
            map.set_basemap_path(path);
            MapOnly {
                map,
                basemap: Basemap::embedded().expect("the embedded basemap"),
                scenario: loaded.scenario.clone(),
                order: order.clone(),
                time: t,
            }
        })
}

/// Where the paint callback cannot be used (a renderer that is not OpenGL, or a GL without what the GPU
/// basemap needs), egui draws the same mesh: the same picture, pixel for pixel.
#[test]
fn the_basemap_drawn_by_egui_is_the_one_drawn_on_the_gpu() {
    let t: Timestamp = "2026-01-31T12:00:00Z".parse().expect("timestamp");
    let mut images = Vec::new();
    for path in [BasemapPath::PaintCallback, BasemapPath::Mesh] {
        let mut harness = map_window(t, path);
        harness.run();
        assert_eq!(harness.state().map.basemap_path(), path);
        images.push(harness.render().expect("rendered on the CPU"));
    }
    let land = demarche::scene::Theme::light().land.0;
    let land_pixels = images[0].pixels().filter(|p| p.0[..3] == land[..3]).count();
    assert!(land_pixels > 10_000, "{land_pixels} pixels of land");
    assert!(
        images[0] == images[1],
        "the two paths draw different pictures"
    );
}

#[test]
fn the_export_is_what_the_window_shows() {
    let t: Timestamp = "2026-01-31T12:00:00Z".parse().expect("timestamp");

    // The window's map view, alone in a window of the export's size (as the app lays it out: the central
    // panel, without a frame).
    let mut harness = map_window(t, BasemapPath::PaintCallback);
    harness.run();
    // The window draws its basemap on the GPU (here the CPU renderer draws the mesh the GPU would get).
    assert_eq!(
        harness.state().map.basemap_path(),
        BasemapPath::PaintCallback
    );
    let window = harness.render().expect("rendered on the CPU");
    let window_scene = harness.state().map.scene().expect("the map drew a scene");

    // The export of the same view (fitted, as the window opens), without its title and stamp.
    let source = support::fixtures::source();
    let spec = FrameSpec {
        decorations: false,
        title: String::new(),
        ..support::fixtures::spec(W, H)
    };
    let camera = spec.camera(&source).expect("camera");
    let mut typesetter = spec.typesetter();
    let scene = demarche::export::scene(&source, &spec, &camera, t, None, &mut typesetter);
    assert!(
        scene == window_scene,
        "the export builds the window's scene"
    );

    let (_, _, png) = support::fixtures::decode_png(
        &snapshot_bytes(&source, &spec, t, SnapshotFormat::Png).expect("png"),
    );
    assert_eq!(window.dimensions(), (W as u32, H as u32));

    // Where the labels are (both draw them from epaint's glyph atlas, placed the same way).
    let mut in_text = vec![false; (W * H) as usize];
    for item in scene.layers.iter().flat_map(|l| &l.items) {
        if let Item::Text {
            pos,
            text,
            size,
            color,
            anchor,
        } = item
        {
            let placed = typesetter.place(*pos, text, *size, *color, *anchor);
            let (min, max) = (placed.origin, placed.origin + placed.galley.size());
            for y in (min.y.max(0.0) as usize)..(max.y.min(H) as usize) {
                for x in (min.x.max(0.0) as usize)..(max.x.min(W) as usize) {
                    in_text[y * W as usize + x] = true;
                }
            }
        }
    }

    let mut differ = 0;
    let mut differ_in_text = 0;
    let mut total = 0u64;
    for (i, (a, b)) in window
        .as_raw()
        .chunks_exact(4)
        .zip(png.chunks_exact(4))
        .enumerate()
    {
        let d = (0..3).map(|c| a[c].abs_diff(b[c])).max().unwrap_or(0);
        total += u64::from(d);
        if d > 40 {
            differ += 1;
            if in_text[i] {
                differ_in_text += 1;
            }
        }
    }
    let n = (W * H) as f64;
    let mean = total as f64 / n;
    println!(
        "mean difference {mean:.3}; {differ} pixels differ by more than 40 ({differ_in_text} in labels)"
    );
    assert!(mean < 1.2, "mean difference {mean}");
    assert!((differ as f64) < n * 0.006, "{differ} pixels differ");
    assert!(
        (differ_in_text as f64) < n * 0.0005,
        "{differ_in_text} pixels of labels differ"
    );
}
