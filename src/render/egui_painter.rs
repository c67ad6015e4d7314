//! Draws a scene with egui's painter: the window's backend. It only turns scene items into egui shapes and
//! tessellates them; which layers are rebuilt from frame to frame is the [`SceneCache`]'s business.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, FontId, Painter, Pos2, Shape, Stroke};

use super::text::{align, font_definitions, layout_job};
use crate::scene::cache::SceneCache;
use crate::scene::map::MapInputs;
use crate::scene::{Item, Rgba, Scene};

pub fn color(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.0[0], c.0[1], c.0[2], c.0[3])
}

fn pos(p: [f32; 2]) -> Pos2 {
    Pos2::new(p[0], p[1])
}

/// Installs the fonts the map and the exports draw with ([`font_definitions`]: egui's, then the bundled
/// Arabic and Hebrew ones) into the window's context, so that the window shows what the PNG shows.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}

/// Paints every layer of the scene, back to front. Scene coordinates are the painter's (screen points).
pub fn paint_scene(painter: &Painter, scene: &Scene) {
    let mut shapes = Vec::with_capacity(scene.layers.iter().map(|l| l.items.len()).sum());
    for layer in &scene.layers {
        for item in &layer.items {
            push_item(painter, item, &mut shapes);
        }
    }
    painter.extend(shapes);
}

fn push_item(painter: &Painter, item: &Item, shapes: &mut Vec<Shape>) {
    match item {
        Item::Mesh {
            vertices,
            indices,
            fill,
        } => {
            let c = color(*fill);
            let mesh = Mesh {
                indices: indices.clone(),
                vertices: vertices
                    .iter()
                    .map(|&p| Vertex {
                        pos: pos(p),
                        uv: WHITE_UV,
                        color: c,
                    })
                    .collect(),
                ..Default::default()
            };
            shapes.push(Shape::mesh(mesh));
        }
        Item::Polyline {
            points,
            width,
            color: c,
            dash,
        } => {
            let stroke = Stroke::new(*width, color(*c));
            let points: Vec<Pos2> = points.iter().map(|&p| pos(p)).collect();
            match dash {
                Some([dash, gap]) => {
                    shapes.extend(Shape::dashed_line(&points, stroke, *dash, *gap))
                }
                None => shapes.push(Shape::line(points, stroke)),
            }
        }
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
        } => {
            shapes.push(Shape::Circle(egui::epaint::CircleShape {
                center: pos(*center),
                radius: *radius,
                fill: fill.map_or(Color32::TRANSPARENT, color),
                stroke: stroke.map_or(Stroke::NONE, |(width, c)| Stroke::new(width, color(c))),
            }));
        }
        Item::Text {
            pos: p,
            text,
            size,
            color: c,
            anchor,
        } => {
            let galley =
                painter.layout_job(layout_job(text, FontId::proportional(*size), color(*c)));
            let rect = align(*anchor).anchor_size(pos(*p), galley.size());
            shapes.push(Shape::galley(rect.min, galley, color(*c)));
        }
    }
}

/// Paints a map frame from the scene the [`SceneCache`] hands it, keeping the base layers (basemap,
/// graticule) tessellated while the cache keeps them: while the clock runs they do not change, so a frame
/// tessellates only what moves.
#[derive(Debug, Default)]
pub struct MapPainter {
    scene: SceneCache,
    /// The base layers' generation and the pixels per point (by their bits) `mesh` was tessellated for.
    tessellated: Option<(u64, u32)>,
    /// The base layers of the last frame, as the scene has them.
    pub base: std::sync::Arc<Vec<crate::scene::SceneLayer>>,
    mesh: std::sync::Arc<Mesh>,
    /// Texts of the base layers (graticule labels): laid out by egui each frame, from its cache.
    texts: Vec<Item>,
    /// The overlays, tessellated here into a buffer kept from frame to frame (egui would grow a new one
    /// each frame, copying it each time it doubles).
    overlay: std::sync::Arc<Mesh>,
    /// The size of the font atlas the overlays' text was tessellated for.
    font_image_size: [usize; 2],
}

impl MapPainter {
    /// Whether egui's font atlas has grown since the overlays' text was tessellated (text laid out later
    /// in the frame needed room): its texture coordinates would then be wrong for this frame, and the
    /// frame should be discarded and run again (see [`Self::discard_if_fonts_grew`]).
    pub fn fonts_grew(&self, ctx: &egui::Context) -> bool {
        self.font_image_size != [0, 0] && ctx.fonts(|f| f.font_image_size()) != self.font_image_size
    }

    /// Asks egui to run the frame again when [`Self::fonts_grew`]: call at the end of a frame.
    pub fn discard_if_fonts_grew(&self, ctx: &egui::Context) {
        if self.fonts_grew(ctx) {
            ctx.request_discard("the font atlas grew after the map's labels were tessellated");
        }
    }

    /// Tessellates the base layers into `mesh`, all but their texts (laid out each frame from egui's
    /// cache, into `texts`).
    fn tessellate_base(&mut self, painter: &Painter, base: &[crate::scene::SceneLayer], ppp: f32) {
        let mut shapes = Vec::new();
        self.texts.clear();
        for layer in base {
            for item in &layer.items {
                if matches!(item, Item::Text { .. }) {
                    self.texts.push(item.clone());
                } else {
                    push_item(painter, item, &mut shapes);
                }
            }
        }
        let options = painter.ctx().tessellation_options(|o| *o);
        let mut tessellator = egui::epaint::Tessellator::new(ppp, options, [1, 1], Vec::new());
        let mut mesh = Mesh::default();
        for shape in shapes {
            tessellator.tessellate_shape(shape, &mut mesh);
        }
        self.mesh = std::sync::Arc::new(mesh);
    }

    /// Vertices and indices of the tessellated base layers.
    pub fn base_mesh_size(&self) -> (usize, usize) {
        (self.mesh.vertices.len(), self.mesh.indices.len())
    }

    /// Paints the map for `inputs` and returns its overlay layers and pick targets (the base layers are in
    /// [`MapPainter::base`]).
    pub fn paint(
        &mut self,
        painter: &Painter,
        inputs: &MapInputs<'_>,
    ) -> (Vec<crate::scene::SceneLayer>, Vec<crate::scene::Target>) {
        let ctx = painter.ctx();
        let ppp = ctx.pixels_per_point();
        let frame = self.scene.frame(inputs);
        let key = (frame.base_generation, ppp.to_bits());
        if self.tessellated != Some(key) {
            self.tessellate_base(painter, &frame.base, ppp);
            self.base = frame.base;
            self.tessellated = Some(key);
        }
        let (overlays, targets) = (frame.overlays, frame.targets);
        // The overlays are tessellated into a mesh of their own, its buffers kept from frame to frame:
        // tessellated by egui after the basemap, they would grow the basemap's mesh, copying it again each
        // time it grew. egui lets go of last frame's shapes before this frame is painted, so the mesh is
        // this painter's alone again by now (if not, a new one is made).
        let mut shapes = Vec::with_capacity(self.texts.len() + 64);
        for item in &self.texts {
            push_item(painter, item, &mut shapes);
        }
        for layer in &overlays {
            for item in &layer.items {
                push_item(painter, item, &mut shapes);
            }
        }
        let font_image_size = ctx.fonts(|f| f.font_image_size());
        self.font_image_size = font_image_size;
        let options = ctx.tessellation_options(|o| *o);
        let mut tessellator =
            egui::epaint::Tessellator::new(ppp, options, font_image_size, Vec::new());
        if std::sync::Arc::get_mut(&mut self.overlay).is_none() {
            self.overlay = std::sync::Arc::default();
        }
        if let Some(mesh) = std::sync::Arc::get_mut(&mut self.overlay) {
            // Not `Mesh::clear`, which lets go of the vertices' buffer.
            mesh.indices.clear();
            mesh.vertices.clear();
            for shape in shapes {
                tessellator.tessellate_shape(shape, mesh);
            }
        }
        // Each mesh goes into a clipped primitive of its own (egui starts a new one where the clip
        // rectangle changes: the overlays' is a thousandth of a point smaller, the same pixels once
        // rounded); in one, egui would copy the basemap's vertices again as the primitive grew.
        painter.add(Shape::Mesh(self.mesh.clone()));
        painter
            .with_clip_rect(painter.clip_rect().shrink(1e-3))
            .add(Shape::Mesh(self.overlay.clone()));
        (overlays, targets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::camera::{Camera, ScreenRect};
    use crate::scene::Theme;

    /// Text laid out after the map in the same frame can grow the font atlas; the map's labels were
    /// tessellated for the old size, so the frame must be run again.
    #[test]
    fn a_font_atlas_grown_after_the_map_asks_for_the_frame_again() {
        let projection = crate::scene::view::regional_projection();
        let camera = Camera {
            center: [0.0, 0.0],
            scale: 1.0,
            viewport: ScreenRect::from_size(400.0, 300.0),
        };
        let theme = Theme::light();
        let inputs = MapInputs {
            projection: &projection,
            camera: &camera,
            theme: &theme,
            scenario: None,
            order: &[],
            basemap: &[],
            time: None,
            trail: crate::scene::contacts::TRAIL,
            pulse: None,
            selection: None,
            legend: true,
        };
        let ctx = egui::Context::default();
        let mut painter = MapPainter::default();
        let mut grew = Vec::new();
        for big_text in [false, true] {
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                painter.paint(ui.painter(), &inputs);
                if big_text {
                    // Many large glyphs: more than the atlas has room for.
                    let text: String = ('A'..='z').chain('0'..='9').collect();
                    for size in [180.0, 200.0, 220.0] {
                        let _ = ui.painter().layout_no_wrap(
                            text.clone(),
                            FontId::proportional(size),
                            Color32::BLACK,
                        );
                    }
                }
                grew.push(painter.fonts_grew(ui.ctx()));
            });
            output.textures_delta.clear();
        }
        assert_eq!(grew, [false, true]);
    }
}
