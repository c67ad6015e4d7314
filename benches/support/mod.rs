//! What the frame benchmarks share: one window frame of the map, as the window makes it, and the large
//! generated story.

use demarche::render::egui_painter::MapPainter;
use demarche::scene::map::MapInputs;

/// The window's size the frames are made at.
pub const SIZE: [f32; 2] = [1920.0, 1080.0];

/// Builds what to draw and tessellates it with egui, as a frame of the window does: the map painter keeps
/// the basemap on the GPU (a mesh in world coordinates, made once per zoom level, drawn by a paint callback
/// with the camera as a uniform), the graticule tessellated while the camera stays, and builds the rest.
/// Gives the number of clipped primitives.
pub fn frame(ctx: &egui::Context, painter: &mut MapPainter, inputs: &MapInputs<'_>) -> usize {
    let raw = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(SIZE[0], SIZE[1]),
        )),
        ..Default::default()
    };
    let output = ctx.run_ui(raw, |ui| {
        painter.paint(ui.painter(), inputs);
    });
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

/// The large generated story: `DEMARCHE_LARGE_CONTACTS` contacts (default 1,000,000) over 300 actors and
/// 200 venues, read as the app reads a JSON file.
#[allow(dead_code)] // not every bench that includes this module reads the large story
pub fn large_story() -> (usize, demarche::io::scenario::Loaded) {
    let contacts = std::env::var("DEMARCHE_LARGE_CONTACTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let text = demarche::synth::scenario_json(
        demarche::synth::SynthSize {
            contacts,
            actors: 300,
            venues: 200,
        },
        11,
    );
    let loaded = demarche::io::scenario::parse("large.json", &text).expect("valid");
    (contacts, loaded)
}
