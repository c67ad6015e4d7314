//! Draws a scene with egui's painter: the window's backend. It turns scene items into egui shapes and
//! tessellates them, and draws the basemap from meshes in world coordinates kept between frames
//! ([`super::basemap_mesh`], on the GPU by [`super::gl_basemap`]); which layers are rebuilt from frame to
//! frame is the [`SceneCache`]'s business.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, FontId, Painter, Pos2, Shape, Stroke};

use std::sync::{Arc, Mutex};

use super::basemap_mesh::{WorldMesh, WorldMeshes};
use super::gl_basemap::{GlBasemap, GlStats};
use super::text::{align, font_definitions, layout_job};
use crate::basemap::prepare::PreparedLayer;
use crate::geo_math::camera::Camera;
use crate::scene::cache::{SceneCache, ViewKey};
use crate::scene::map::MapInputs;
use crate::scene::{Item, Rgba, Scene, SceneLayer, Theme, basemap};

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

pub(crate) fn push_item(painter: &Painter, item: &Item, shapes: &mut Vec<Shape>) {
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

/// How the window draws the basemap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BasemapPath {
    /// Kept on the GPU and drawn by an OpenGL paint callback ([`super::gl_basemap`]); if the GPU path
    /// fails, the painter falls back to [`BasemapPath::Mesh`] by itself.
    #[default]
    PaintCallback,
    /// The same mesh moved to the camera on the CPU and drawn by egui (a renderer that cannot run
    /// OpenGL callbacks).
    Mesh,
}

/// Paints a map frame: the basemap from meshes in world coordinates kept while its layers, zoom level,
/// theme and pixel density stay ([`WorldMeshes`], on the GPU by default), the graticule tessellated while
/// the [`SceneCache`] keeps it, and the overlays the cache builds for the frame. While the clock runs, or
/// while the camera moves within a zoom level, the basemap costs the frame almost nothing.
#[derive(Debug, Default)]
pub struct MapPainter {
    scene: SceneCache,
    /// How the basemap is drawn.
    pub path: BasemapPath,
    meshes: WorldMeshes,
    gl: Arc<Mutex<GlBasemap>>,
    /// For [`BasemapPath::Mesh`]: the basemap in screen points, and what it was made from (the view and
    /// the world meshes).
    screen_basemap: Arc<Mesh>,
    screen_basemap_key: Option<(ViewKey, Vec<Arc<WorldMesh>>)>,
    /// The basemap layers shown in the last frame, its camera and theme, for [`MapPainter::base_layers`].
    last_basemap: Vec<Arc<PreparedLayer>>,
    last_view: Option<(Camera, Theme)>,
    /// Vertices and indices of the world meshes of the last frame.
    basemap_size: (usize, usize),
    /// The graticule's generation and the pixels per point (by their bits) `mesh` was tessellated for.
    tessellated: Option<(u64, u32)>,
    /// The base layers (graticule) of the last frame, as the scene has them.
    base: Arc<Vec<SceneLayer>>,
    mesh: Arc<Mesh>,
    /// Texts of the base layers (graticule labels): laid out by egui each frame, from its cache.
    texts: Vec<Item>,
    /// The overlays, tessellated here into a buffer kept from frame to frame (egui would grow a new one
    /// each frame, copying it each time it doubles).
    overlay: Arc<Mesh>,
    /// The size of the font atlas the overlays' text was tessellated for.
    font_image_size: [usize; 2],
    /// Each overlay layer of the last frame with its triangles.
    overlay_layers: Vec<LayerTriangles>,
    /// The discs of egui's font atlas the overlays' circles were drawn with.
    discs: DiscSprites,
}

/// The anti-aliased discs egui keeps in its font atlas (`TextureAtlas::prepared_discs`, radii 0.5 to 8
/// pixels), with which the overlays' small circles are drawn: a filled circle as one textured square (two
/// triangles) instead of a tessellated fan with a feathered edge (about 50 triangles for a venue's dot, 100
/// more for its stroke, 300 for an actor's badge). A story with a thousand venues and actors on the map
/// made 290,000 triangles a frame, which a software renderer (Mesa's llvmpipe) bins at some 400 bytes
/// each; drawn as discs they are 6,000. In the font atlas's texture, the squares go in the same mesh as
/// the labels, in the scene's order.
#[derive(Clone, Debug, Default, PartialEq)]
struct DiscSprites {
    /// From the smallest to the largest.
    discs: Vec<Disc>,
    pixels_per_point: f32,
    /// What they were found for: turned on, the atlas's size, the pixels per point (bits).
    made_for: Option<(bool, [usize; 2], u32)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Disc {
    /// Radius and side of the disc's square, in texels.
    r: f32,
    w: f32,
    /// Where it is in the font atlas (0 to 1).
    uv: egui::Rect,
}

impl DiscSprites {
    /// How much a disc may be enlarged: its edge, one texel wide, is drawn at most this many pixels wide
    /// (the tessellated circle's feathered edge is one pixel).
    const MAX_ENLARGEMENT: f32 = 1.1;

    /// Finds the discs of `ctx`'s font atlas again if its size, the pixels per point or the options
    /// changed (none if the options turn them off); returns whether they changed.
    fn refresh(
        &mut self,
        ctx: &egui::Context,
        options: &egui::epaint::TessellationOptions,
    ) -> bool {
        let (size, text_options) = ctx.fonts(|f| (f.font_image_size(), *f.options()));
        let made_for = (
            options.prerasterized_discs,
            size,
            ctx.pixels_per_point().to_bits(),
        );
        if self.made_for == Some(made_for) {
            return false;
        }
        self.made_for = Some(made_for);
        self.pixels_per_point = ctx.pixels_per_point();
        let before = std::mem::take(&mut self.discs);
        let [width, height] = size;
        // egui does not lend its atlas, but makes the discs first in every one it makes, at its top
        // (rows of glyphs come below, and each row's place depends on the atlas's width alone): a new
        // atlas as wide and a few rows high says where they are.
        if options.prerasterized_discs && width >= 1024 && height > 0 {
            let like = egui::epaint::TextureAtlas::new([width, 64], text_options);
            let scale_v = like.size()[1] as f32 / height as f32;
            self.discs = like
                .prepared_discs()
                .into_iter()
                .map(|d| Disc {
                    r: d.r,
                    w: d.w,
                    uv: egui::Rect::from_min_max(
                        egui::pos2(d.uv.min.x, d.uv.min.y * scale_v),
                        egui::pos2(d.uv.max.x, d.uv.max.y * scale_v),
                    ),
                })
                .collect();
        }
        self.discs != before
    }

    /// The disc that draws a circle of `radius` points: as egui chooses, the smallest at least 2^(1/4) as
    /// large as the circle (shrunk, its edge stays crisp); failing that, the largest, if enlarging it
    /// by at most [`Self::MAX_ENLARGEMENT`] is enough.
    fn disc(&self, radius: f32) -> Option<&Disc> {
        let radius_px = radius * self.pixels_per_point;
        let cutoff = radius_px * 2.0_f32.powf(0.25);
        self.discs.iter().find(|d| cutoff <= d.r).or_else(|| {
            self.discs
                .last()
                .filter(|d| radius_px <= d.r * Self::MAX_ENLARGEMENT)
        })
    }

    /// A square showing a disc of `radius` points round `center` in `color`, if a disc fits.
    fn push(&self, mesh: &mut Mesh, center: Pos2, radius: f32, color: Color32) -> Option<()> {
        let disc = self.disc(radius)?;
        let side = radius * disc.w / disc.r;
        let rect = egui::Rect::from_center_size(center, egui::Vec2::splat(side));
        mesh.add_rect_with_uv(rect, disc.uv, color);
        Some(())
    }

    /// `item` as discs, if it is a circle they can draw: a fill alone, or a stroke round an opaque fill
    /// (a disc out to the stroke's outer edge in its colour, the fill's disc over it; egui strokes a
    /// circle outside its radius). Not a ring (no fill), a stroke round a see-through fill, or a circle
    /// too large: those are tessellated.
    fn circle(&self, item: &Item) -> Option<Mesh> {
        let Item::Circle {
            center,
            radius,
            fill,
            stroke,
        } = item
        else {
            return None;
        };
        if self.discs.is_empty() {
            return None;
        }
        let (center, radius) = (pos(*center), *radius);
        let mut mesh = Mesh::default();
        if radius <= 0.0 {
            // egui draws nothing, stroke or not.
            return Some(mesh);
        }
        let fill = fill.map(color).filter(|c| *c != Color32::TRANSPARENT);
        let stroke = stroke
            .map(|(width, c)| (width, color(c)))
            .filter(|(width, c)| *width > 0.0 && *c != Color32::TRANSPARENT);
        match (fill, stroke) {
            (None, None) => {}
            (Some(fill), None) => self.push(&mut mesh, center, radius, fill)?,
            (Some(fill), Some((width, stroke))) if fill.is_opaque() => {
                self.push(&mut mesh, center, radius + width, stroke)?;
                self.push(&mut mesh, center, radius, fill)?;
            }
            _ => return None,
        }
        Some(mesh)
    }
}

/// An overlay layer tessellated: what it was made from and its triangles.
#[derive(Debug)]
struct LayerTriangles {
    name: String,
    items: Vec<Item>,
    /// The galleys of its texts, by identity: egui makes new ones when its font atlas is cleared.
    galleys: Vec<Arc<egui::Galley>>,
    /// The pixels per point (bits), the font atlas's size and the tessellation options.
    tessellated_with: (u32, [usize; 2], egui::epaint::TessellationOptions),
    mesh: Mesh,
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
    fn tessellate_base(&mut self, painter: &Painter, base: &[SceneLayer], ppp: f32) {
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
        self.mesh = Arc::new(mesh);
    }

    /// Vertices and indices of the basemap's world meshes drawn in the last frame (whole, in view or not).
    pub fn basemap_size(&self) -> (usize, usize) {
        self.basemap_size
    }

    /// The path the basemap takes now: [`MapPainter::path`], unless the GPU path failed here.
    pub fn basemap_path(&self) -> BasemapPath {
        let failed = self.gl.lock().map_or(true, |gl| gl.failed().is_some());
        if failed { BasemapPath::Mesh } else { self.path }
    }

    /// What the GPU basemap has done so far (nothing unless drawn by OpenGL).
    pub fn gl_stats(&self) -> GlStats {
        self.gl.lock().map(|gl| gl.stats()).unwrap_or_default()
    }

    /// Whether the GPU basemap holds GL objects (a program, buffers) not deleted yet.
    pub fn holds_gl_objects(&self) -> bool {
        self.gl.lock().is_ok_and(|gl| gl.holds_gl_objects())
    }

    /// Deletes the GPU basemap's GL objects (call from `App::on_exit`, with the context current).
    pub fn destroy_gl(&self, gl: &eframe::glow::Context) {
        if let Ok(mut gl_basemap) = self.gl.lock() {
            gl_basemap.destroy(gl);
        }
    }

    /// The base layers of the last frame as the scene has them: the basemap's (built here from what the
    /// frame drew, as the exports build them) and the graticule.
    pub fn base_layers(&self) -> Vec<SceneLayer> {
        let Some((camera, theme)) = &self.last_view else {
            return Vec::new();
        };
        let shown: Vec<&Arc<PreparedLayer>> = self.last_basemap.iter().collect();
        let mut layers = crate::scene::map::basemap_layers(&shown, camera, theme);
        layers.extend(self.base.iter().cloned());
        layers
    }

    /// Paints the map for `inputs` and returns its overlay layers and pick targets (the base layers are
    /// [`MapPainter::base_layers`]).
    pub fn paint(
        &mut self,
        painter: &Painter,
        inputs: &MapInputs<'_>,
    ) -> (Vec<SceneLayer>, Vec<crate::scene::Target>) {
        let ctx = painter.ctx();
        let ppp = ctx.pixels_per_point();
        let options = ctx.tessellation_options(|o| *o);
        let shown = basemap::shown(inputs.basemap, inputs.camera.scale);
        let paint = self
            .meshes
            .paint(&shown, inputs.camera, inputs.theme, ppp, &options);
        self.basemap_size = paint.layers.iter().fold((0, 0), |(v, i), l| {
            (v + l.mesh.vertices.len(), i + l.mesh.indices.len())
        });
        self.last_basemap = shown.into_iter().cloned().collect();
        self.last_view = Some((*inputs.camera, *inputs.theme));
        match self.basemap_path() {
            BasemapPath::PaintCallback => {
                self.screen_basemap_key = None;
                self.screen_basemap = Arc::default();
                painter.add(Shape::Callback(super::gl_basemap::callback(
                    ctx,
                    painter.clip_rect(),
                    Arc::new(paint),
                    Arc::clone(&self.gl),
                )));
            }
            BasemapPath::Mesh => {
                let key: (ViewKey, Vec<Arc<WorldMesh>>) = (
                    ViewKey::of(inputs.projection, inputs.camera),
                    paint.layers.iter().map(|l| Arc::clone(&l.mesh)).collect(),
                );
                let same = self.screen_basemap_key.as_ref().is_some_and(
                    |(view, meshes): &(ViewKey, Vec<Arc<WorldMesh>>)| {
                        *view == key.0
                            && meshes.len() == key.1.len()
                            && meshes.iter().zip(&key.1).all(|(a, b)| Arc::ptr_eq(a, b))
                    },
                );
                if !same {
                    self.screen_basemap = Arc::new(paint.screen_mesh());
                    self.screen_basemap_key = Some(key);
                }
                painter.add(Shape::Mesh(Arc::clone(&self.screen_basemap)));
            }
        }

        let frame = self.scene.frame(inputs);
        let key = (frame.base_generation, ppp.to_bits());
        if self.tessellated != Some(key) {
            self.tessellate_base(painter, &frame.base, ppp);
            self.base = frame.base;
            self.tessellated = Some(key);
        }
        let (overlays, targets) = (frame.overlays, frame.targets);
        // The overlays are tessellated into a mesh of their own, its buffers kept from frame to frame:
        // tessellated by egui after the graticule, they would grow its mesh, copying it again each time it
        // grew. egui lets go of last frame's shapes before this frame is painted, so the mesh is this
        // painter's alone again by now (if not, a new one is made).
        let mut shapes = Vec::with_capacity(self.texts.len() + 64);
        for item in &self.texts {
            push_item(painter, item, &mut shapes);
        }
        let font_image_size = ctx.fonts(|f| f.font_image_size());
        self.font_image_size = font_image_size;
        let mut tessellator =
            egui::epaint::Tessellator::new(ppp, options, font_image_size, Vec::new());
        if Arc::get_mut(&mut self.overlay).is_none() {
            self.overlay = Arc::default();
        }
        let tessellated_with = (ppp.to_bits(), font_image_size, options);
        let mut kept = std::mem::take(&mut self.overlay_layers);
        if self.discs.refresh(ctx, &options) {
            // Triangles kept from before point at the old discs.
            kept.clear();
        }
        if let Some(mesh) = Arc::get_mut(&mut self.overlay) {
            // Not `Mesh::clear`, which lets go of the vertices' buffer.
            mesh.indices.clear();
            mesh.vertices.clear();
            for shape in shapes.drain(..) {
                tessellator.tessellate_shape(shape, mesh);
            }
            // Each overlay layer's triangles are kept while its items, the galleys of its texts and
            // the tessellation's inputs stay: while the clock plays, the venues and their badges mostly
            // do, and copying their triangles costs far less than tessellating their circles again.
            for layer in &overlays {
                for item in &layer.items {
                    match self.discs.circle(item) {
                        Some(mesh) => shapes.push(Shape::mesh(mesh)),
                        None => push_item(painter, item, &mut shapes),
                    }
                }
                let galleys: Vec<Arc<egui::Galley>> = shapes
                    .iter()
                    .filter_map(|shape| match shape {
                        Shape::Text(text) => Some(Arc::clone(&text.galley)),
                        _ => None,
                    })
                    .collect();
                let same = |t: &LayerTriangles| {
                    t.name == layer.name
                        && t.tessellated_with == tessellated_with
                        && t.galleys.len() == galleys.len()
                        && t.galleys
                            .iter()
                            .zip(&galleys)
                            .all(|(a, b)| Arc::ptr_eq(a, b))
                        && t.items == layer.items
                };
                let triangles = match kept.iter().position(same) {
                    Some(at) => {
                        shapes.clear();
                        kept.swap_remove(at)
                    }
                    None => {
                        let mut triangles = Mesh::default();
                        for shape in shapes.drain(..) {
                            tessellator.tessellate_shape(shape, &mut triangles);
                        }
                        LayerTriangles {
                            name: layer.name.clone(),
                            items: layer.items.clone(),
                            galleys,
                            tessellated_with,
                            mesh: triangles,
                        }
                    }
                };
                mesh.append_ref(&triangles.mesh);
                self.overlay_layers.push(triangles);
            }
        }
        // Each mesh goes into a clipped primitive of its own (egui starts a new one where the clip
        // rectangle changes: each is a thousandth of a point smaller than the one before, the same pixels
        // once rounded); in one, egui would copy the meshes before it again as the primitive grew.
        let clip = painter.clip_rect();
        painter
            .with_clip_rect(clip.shrink(1e-3))
            .add(Shape::Mesh(Arc::clone(&self.mesh)));
        painter
            .with_clip_rect(clip.shrink(2e-3))
            .add(Shape::Mesh(Arc::clone(&self.overlay)));
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
            index: None,
            basemap: &[],
            time: None,
            trail: crate::scene::contacts::TRAIL,
            pulse: None,
            selection: None,
            legend: true,
            new_since: None,
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

    /// An overlay layer's triangles kept from the frame before are those a fresh painter makes: the
    /// same frame twice, then a later time (some layers change, some not), then a clock that jumps back.
    #[test]
    fn overlays_kept_from_frame_to_frame_are_tessellated_as_anew() {
        let loaded = crate::io::scenario::default_scenario();
        let scenario = loaded.scenario;
        let order = scenario.chronological();
        let projection = crate::scene::view::regional_projection();
        let camera = crate::scene::view::fitted_camera(
            &projection,
            &scenario,
            ScreenRect::from_size(900.0, 600.0),
        );
        let theme = Theme::light();
        let ctx = egui::Context::default();
        let mut kept = MapPainter::default();
        let mut reused = 0;
        let times = [
            "2026-01-31T12:00:00Z",
            "2026-01-31T12:00:00Z",
            "2026-01-31T12:05:00Z",
            "2026-01-31T18:00:00Z",
            "2026-01-30T09:00:00Z",
        ];
        for (frame, time) in times.into_iter().enumerate() {
            let time: jiff::Timestamp = time.parse().expect("time");
            let inputs = MapInputs {
                projection: &projection,
                camera: &camera,
                theme: &theme,
                scenario: Some(&scenario),
                order: &order,
                index: None,
                basemap: &[],
                time: Some(time),
                trail: crate::scene::contacts::TRAIL,
                pulse: Some(0.25 * frame as f32),
                selection: None,
                legend: true,
                new_since: None,
            };
            // A layer kept keeps its buffer of vertices.
            let before: Vec<*const egui::epaint::Vertex> = kept
                .overlay_layers
                .iter()
                .filter(|t| !t.mesh.vertices.is_empty())
                .map(|t| t.mesh.vertices.as_ptr())
                .collect();
            let mut fresh = MapPainter::default();
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                kept.paint(ui.painter(), &inputs);
                fresh.paint(ui.painter(), &inputs);
            });
            output.textures_delta.clear();
            assert!(!fresh.overlay.indices.is_empty());
            assert_eq!(*kept.overlay, *fresh.overlay, "frame {frame} at {time}");
            reused += kept
                .overlay_layers
                .iter()
                .filter(|t| before.contains(&t.mesh.vertices.as_ptr()))
                .count();
        }
        assert!(reused > 0, "no layer was kept from one frame to the next");
    }

    /// The squares [`DiscSprites`] finds in egui's font atlas hold discs of their radii: opaque inside,
    /// empty outside (were egui to lay out its atlas otherwise, they would hold glyphs or nothing).
    #[test]
    fn the_discs_are_found_where_egui_put_them_in_its_font_atlas() {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            ui.label("Ankara, Tehran, Doha");
        });
        output.textures_delta.clear();
        let options = egui::epaint::TessellationOptions::default();
        let mut discs = DiscSprites::default();
        assert!(discs.refresh(&ctx, &options));
        assert!(!discs.refresh(&ctx, &options), "nothing changed");
        assert!(discs.discs.len() >= 8, "{:?}", discs.discs);
        let image = ctx.fonts(|f| f.image());
        let [width, height] = image.size;
        for disc in &discs.discs {
            let x0 = (disc.uv.min.x * width as f32).round() as usize;
            let y0 = (disc.uv.min.y * height as f32).round() as usize;
            let side = (disc.uv.width() * width as f32).round() as usize;
            assert_eq!(side as f32, disc.w);
            assert_eq!((disc.uv.height() * height as f32).round() as usize, side);
            let middle = (disc.w - 1.0) / 2.0;
            for y in 0..side {
                for x in 0..side {
                    let d = (x as f32 - middle).hypot(y as f32 - middle);
                    let alpha = image.pixels[(y0 + y) * width + x0 + x].a();
                    if d < disc.r - 0.6 {
                        assert!(alpha > 250, "disc {disc:?} at {x},{y}: {alpha}");
                    } else if d > disc.r + 0.6 {
                        assert_eq!(alpha, 0, "disc {disc:?} at {x},{y}");
                    }
                }
            }
        }
    }

    /// Which circles are drawn as discs, and how: a fill alone as one square, a stroke round an opaque
    /// fill as a square out to the stroke's outer edge under the fill's; a ring, a stroke round a
    /// see-through fill and a circle too large for the discs are left to the tessellator.
    #[test]
    fn small_filled_circles_are_drawn_as_discs_and_the_rest_tessellated() {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let mut discs = DiscSprites::default();
        discs.refresh(&ctx, &egui::epaint::TessellationOptions::default());
        let opaque = Rgba([68, 119, 170, 255]);
        let halo = Rgba([255, 255, 255, 200]);
        let see_through = Rgba([0, 158, 115, 115]);
        let circle = |radius, fill, stroke| Item::Circle {
            center: [100.0, 50.0],
            radius,
            fill,
            stroke,
        };
        let sides = |mesh: &Mesh| -> Vec<f32> {
            mesh.vertices
                .chunks(4)
                .map(|quad| {
                    assert_eq!(quad[0].pos.x + quad[1].pos.x, 200.0, "centred");
                    quad[1].pos.x - quad[0].pos.x
                })
                .collect()
        };
        // A venue's dot with its stroke, an actor's badge with its halo: stroke colour, then fill.
        for (radius, width) in [(3.5, 1.5), (7.0, 1.5)] {
            let mesh = discs
                .circle(&circle(radius, Some(opaque), Some((width, halo))))
                .expect("drawn as discs");
            assert_eq!(mesh.indices.len(), 12);
            assert_eq!(mesh.vertices[0].color, color(halo));
            assert_eq!(mesh.vertices[4].color, color(opaque));
            let [outer, inner] = sides(&mesh)[..] else {
                panic!("two squares")
            };
            let grows = |r: f32| discs.disc(r).map(|d| d.w / d.r).expect("a disc");
            assert!((outer - (radius + width) * grows(radius + width)).abs() < 1e-3);
            assert!((inner - radius * grows(radius)).abs() < 1e-3);
        }
        let mesh = discs
            .circle(&circle(4.0, Some(see_through), None))
            .expect("a fill alone");
        assert_eq!(mesh.indices.len(), 6);
        for left in [
            circle(6.5, None, Some((1.5, opaque))),
            circle(4.0, Some(see_through), Some((1.5, halo))),
            circle(12.0, Some(opaque), None),
            circle(7.0, Some(opaque), Some((3.0, halo))),
        ] {
            assert!(discs.circle(&left).is_none(), "{left:?}");
        }
        let off = egui::epaint::TessellationOptions {
            prerasterized_discs: false,
            ..Default::default()
        };
        let mut none = DiscSprites::default();
        none.refresh(&ctx, &off);
        assert!(none.circle(&circle(3.5, Some(opaque), None)).is_none());
    }

    /// A story with hundreds of venues and actors on the map: their dots and badges cost the frame a
    /// few triangles each (with egui's tessellation, 150 to 300), so that a software renderer, which
    /// keeps every triangle of a frame in memory, is not swamped.
    #[test]
    fn a_crowded_map_draws_its_dots_and_badges_in_few_triangles() {
        let text = crate::synth::scenario_json(
            crate::synth::SynthSize {
                contacts: 2_000,
                actors: 300,
                venues: 600,
            },
            7,
        );
        let scenario = crate::io::scenario::parse("crowded.json", &text)
            .expect("valid")
            .scenario;
        let order = scenario.chronological();
        let projection = crate::scene::view::regional_projection();
        let camera = crate::scene::view::fitted_camera(
            &projection,
            &scenario,
            ScreenRect::from_size(700.0, 550.0),
        );
        let theme = Theme::light();
        let inputs = MapInputs {
            projection: &projection,
            camera: &camera,
            theme: &theme,
            scenario: Some(&scenario),
            order: &order,
            index: None,
            basemap: &[],
            time: scenario.time_extent().map(|(start, _)| start),
            trail: crate::scene::contacts::TRAIL,
            pulse: None,
            selection: None,
            legend: false,
            new_since: None,
        };
        let mut triangles = Vec::new();
        let mut circles = 0;
        for prerasterized_discs in [false, true] {
            let ctx = egui::Context::default();
            ctx.tessellation_options_mut(|o| o.prerasterized_discs = prerasterized_discs);
            let mut painter = MapPainter::default();
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let (overlays, _) = painter.paint(ui.painter(), &inputs);
                circles = overlays
                    .iter()
                    .flat_map(|l| &l.items)
                    .filter(|i| matches!(i, Item::Circle { .. }))
                    .count();
            });
            output.textures_delta.clear();
            triangles.push(painter.overlay.indices.len() / 3);
        }
        assert!(circles > 600, "{circles} circles on the map");
        let [tessellated, discs] = triangles[..] else {
            unreachable!()
        };
        assert!(
            tessellated - discs > circles * 100,
            "{tessellated} triangles tessellated, {discs} with discs, for {circles} circles"
        );
    }
}
