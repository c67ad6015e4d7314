//! The basemap as the window draws it: for each prepared layer, zoom level, theme and pixel density, one
//! mesh in world coordinates, made once and drawn at any camera. Each vertex is a world point plus an offset
//! in screen points (the half width of a border, the radius of a point), so that the camera is a transform
//! applied when drawing ([`ScreenTransform`]): the GPU keeps the mesh ([`super::gl_basemap`]) and panning
//! or zooming within a level uploads nothing.
//!
//! The triangles are the ones egui's tessellator makes from the scene's basemap items
//! ([`crate::scene::basemap::layer`]): fills as they are, borders and lines as feathered paths with
//! mitred joins, points as feathered discs. The camera is a similarity (one scale, a translation, y
//! flipped), so a path's normals and mitres worked out in the world are the screen's, and a vertex egui
//! puts at `p + n * k` is here the world point `p` with the offset `n * k`. The window, its CPU renderer in
//! the tests and the exports thus draw the same picture.

use std::ops::Range;
use std::sync::{Arc, Weak};

use bytemuck::{Pod, Zeroable};
use egui::epaint::{CircleShape, Mesh, TessellationOptions, Tessellator, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Stroke, Vec2};

use super::egui_painter::color;
use crate::basemap::prepare::{Level, PreparedLayer};
use crate::geo_math::camera::{Camera, WorldRect};
use crate::geo_math::projection::World;
use crate::scene::Theme;
use crate::scene::style::ThemeKey;

/// One vertex: a world point, split into a high and a low `f32` so that the GPU subtracts the camera's
/// centre without losing the precision of an `f64` (at the deepest zoom an `f32` world point would be off
/// by half a point), an offset in screen points, and a premultiplied colour.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct WorldVertex {
    pub hi: [f32; 2],
    pub lo: [f32; 2],
    pub offset: [f32; 2],
    pub color: [u8; 4],
}

/// A world coordinate as two `f32`s whose sum is it (to about 1e-14).
pub fn split(w: World) -> ([f32; 2], [f32; 2]) {
    let hi = w.map(|v| v as f32);
    let lo = [
        (w[0] - f64::from(hi[0])) as f32,
        (w[1] - f64::from(hi[1])) as f32,
    ];
    (hi, lo)
}

impl WorldVertex {
    fn new(at: World, offset: Vec2, color: Color32) -> Self {
        let (hi, lo) = split(at);
        Self {
            hi,
            lo,
            offset: [offset.x, offset.y],
            color: color.to_array(),
        }
    }
}

/// A piece of a mesh drawn or left out whole (a feature's fill, a border, a point): the vertices its
/// triangles use and the indices of its triangles.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    /// Drawn when this meets the view, as the scene draws the item it stands for.
    pub bounds: WorldRect,
    pub vertices: Range<u32>,
    pub indices: Range<u32>,
}

/// What a [`WorldMesh`] is made from: a prepared layer (by identity: a prepared layer never changes once
/// shared, and the `Weak` keeps its address from being reused), its zoom level, the theme and the size of
/// egui's feathering (from the pixel density).
#[derive(Clone, Debug)]
pub struct MeshKey {
    layer: Weak<PreparedLayer>,
    level: u8,
    theme: ThemeKey,
    pixels_per_point: u32,
    feathering: u32,
    /// The area the mesh covers ([`WorldMesh::covers`]), by the bits of its corners; `None` for the whole
    /// layer.
    area: Option<[u64; 4]>,
}

impl PartialEq for MeshKey {
    fn eq(&self, other: &Self) -> bool {
        Weak::ptr_eq(&self.layer, &other.layer)
            && self.level == other.level
            && self.theme == other.theme
            && self.pixels_per_point == other.pixels_per_point
            && self.feathering == other.feathering
            && self.area == other.area
    }
}

impl MeshKey {
    /// Whether the layer it was made from is still held by someone.
    pub fn layer_alive(&self) -> bool {
        self.layer.strong_count() > 0
    }

    pub fn of(
        layer: &Arc<PreparedLayer>,
        level: u8,
        theme: &Theme,
        pixels_per_point: f32,
        options: &TessellationOptions,
    ) -> Self {
        Self {
            layer: Arc::downgrade(layer),
            level,
            theme: theme.key(),
            pixels_per_point: pixels_per_point.to_bits(),
            feathering: feathering_pt(pixels_per_point, options).to_bits(),
            area: None,
        }
    }

    /// The key of the mesh made from the same inputs for `area` (`None`: the whole layer).
    #[must_use]
    pub fn for_area(mut self, area: Option<WorldRect>) -> Self {
        self.area = area.map(|a| [a.min[0], a.min[1], a.max[0], a.max[1]].map(f64::to_bits));
        self
    }

    /// Whether `self` and `other` are made from the same inputs, whatever area each covers.
    fn same_inputs(&self, other: &Self) -> bool {
        self.clone().for_area(None) == other.clone().for_area(None)
    }
}

/// A prepared layer's basemap at one zoom level, in world coordinates (see the module's documentation).
#[derive(Debug)]
pub struct WorldMesh {
    pub vertices: Vec<WorldVertex>,
    pub indices: Vec<u32>,
    /// In drawing order: the fills, the borders, the lines, the points.
    pub chunks: Vec<Chunk>,
    /// The layer's bounds: nothing is drawn when the view is elsewhere.
    pub bounds: WorldRect,
    /// The area whose chunks it holds (those that meet it, whole), `None` for all of the layer's: it
    /// draws a view inside that area as the whole layer's mesh would.
    pub covers: Option<WorldRect>,
}

/// Everything, for the chunk of a layer's lines (the scene draws them all, in view or not).
const EVERYWHERE: WorldRect = WorldRect {
    min: [f64::NEG_INFINITY, f64::NEG_INFINITY],
    max: [f64::INFINITY, f64::INFINITY],
};

/// The width of egui's feathering, in points (0: none).
fn feathering_pt(pixels_per_point: f32, options: &TessellationOptions) -> f32 {
    if options.feathering {
        options.feathering_size_in_pixels / pixels_per_point
    } else {
        0.0
    }
}

/// The radius of a point feature's disc, as [`crate::scene::basemap::layer`] draws it.
const POINT_RADIUS_PT: f32 = 2.5;

impl WorldMesh {
    /// The mesh of `prepared` at `level`, in `theme`'s colours, feathered as egui's tessellator would with
    /// `options` at `pixels_per_point`.
    pub fn build(
        prepared: &PreparedLayer,
        level: &Level,
        theme: &Theme,
        pixels_per_point: f32,
        options: &TessellationOptions,
    ) -> Self {
        Self::build_within(prepared, level, theme, pixels_per_point, options, None)
    }

    /// [`WorldMesh::build`] with only the chunks (fills, borders, points) that meet `area` (world
    /// coordinates; `None`: all), whole: a view inside `area` is drawn as with the whole mesh.
    pub fn build_within(
        prepared: &PreparedLayer,
        level: &Level,
        theme: &Theme,
        pixels_per_point: f32,
        options: &TessellationOptions,
        area: Option<WorldRect>,
    ) -> Self {
        let mut mesh = Self {
            vertices: Vec::new(),
            indices: Vec::new(),
            chunks: Vec::new(),
            bounds: prepared.bounds,
            covers: area,
        };
        let wanted = |bounds: &WorldRect| area.is_none_or(|a| bounds.intersects(&a));
        let feathering = feathering_pt(pixels_per_point, options);
        let land = color(theme.land);
        for (feature, fill) in prepared.features.iter().zip(&level.fills) {
            if fill.indices.is_empty() || !wanted(&feature.bounds) {
                continue;
            }
            mesh.chunk(feature.bounds, |m| {
                let base = m.vertices.len() as u32;
                m.vertices.extend(
                    fill.vertices
                        .iter()
                        .map(|&w| WorldVertex::new(w, Vec2::ZERO, land)),
                );
                m.indices.extend(fill.indices.iter().map(|&i| base + i));
            });
        }
        let border = Stroke::new(theme.border_width, color(theme.border));
        for (arc, bounds) in level.strokes.iter().filter(|(_, b)| wanted(b)) {
            mesh.chunk(*bounds, |m| m.stroke_open(arc, border, feathering));
        }
        let lines = Stroke::new(1.0, color(theme.lines));
        mesh.chunk(EVERYWHERE, |m| {
            for line in level.lines.iter().filter(|l| l.len() >= 2) {
                m.stroke_open(line, lines, feathering);
            }
        });
        // A disc tessellated around the origin: its vertices are the offsets from a point's centre.
        let mut disc = Mesh::default();
        Tessellator::new(pixels_per_point, *options, [1, 1], Vec::new()).tessellate_circle(
            CircleShape {
                center: Pos2::ZERO,
                radius: POINT_RADIUS_PT,
                fill: color(theme.points),
                stroke: Stroke::NONE,
            },
            &mut disc,
        );
        for feature in &prepared.features {
            for &p in feature
                .points
                .iter()
                .filter(|&&p| wanted(&WorldRect { min: p, max: p }))
            {
                mesh.chunk(WorldRect { min: p, max: p }, |m| {
                    let base = m.vertices.len() as u32;
                    m.vertices.extend(
                        disc.vertices
                            .iter()
                            .map(|v| WorldVertex::new(p, v.pos.to_vec2(), v.color)),
                    );
                    m.indices.extend(disc.indices.iter().map(|&i| base + i));
                });
            }
        }
        mesh
    }

    /// Adds what `add` appends as one chunk (none if it appends no triangle).
    fn chunk(&mut self, bounds: WorldRect, add: impl FnOnce(&mut Self)) {
        let (v0, i0) = (self.vertices.len() as u32, self.indices.len() as u32);
        add(self);
        let (v1, i1) = (self.vertices.len() as u32, self.indices.len() as u32);
        if i1 > i0 {
            self.chunks.push(Chunk {
                bounds,
                vertices: v0..v1,
                indices: i0..i1,
            });
        }
    }

    /// An open path stroked as egui strokes `Shape::line` (`epaint`'s `add_open_points` and
    /// `stroke_path`): mitred joins, sharp corners cut, feathered edges, thin lines as a faded ridge.
    fn stroke_open(&mut self, points: &[World], stroke: Stroke, feathering: f32) {
        let n = points.len();
        if n < 2 || stroke.width <= 0.0 || stroke.color == Color32::TRANSPARENT {
            return;
        }
        // The path's points and their normals, on screen (y down).
        let dir = |a: World, b: World| -> Vec2 {
            let (dx, dy) = (b[0] - a[0], -(b[1] - a[1]));
            let len = dx.hypot(dy);
            if len > 0.0 {
                Vec2::new((dx / len) as f32, (dy / len) as f32)
            } else {
                Vec2::ZERO
            }
        };
        let mut path: Vec<(World, Vec2)> = Vec::with_capacity(n + 2);
        path.push((points[0], dir(points[0], points[1]).rot90()));
        let mut n0 = dir(points[0], points[1]).rot90();
        for i in 1..n - 1 {
            let mut n1 = dir(points[i], points[i + 1]).rot90();
            if n0 == Vec2::ZERO {
                n0 = n1;
            } else if n1 == Vec2::ZERO {
                n1 = n0;
            }
            let normal = (n0 + n1) * 0.5;
            let length_sq = normal.length_sq();
            if length_sq < 0.5 {
                // Sharper than a right angle: the corner is cut.
                let center = normal.normalized();
                let n0c = (n0 + center) * 0.5;
                let n1c = (n1 + center) * 0.5;
                path.push((points[i], n0c / n0c.length_sq()));
                path.push((points[i], n1c / n1c.length_sq()));
            } else {
                path.push((points[i], normal / length_sq));
            }
            n0 = n1;
        }
        path.push((points[n - 1], dir(points[n - 2], points[n - 1]).rot90()));

        let idx = self.vertices.len() as u32;
        let n = path.len() as u32;
        let outer = Color32::TRANSPARENT;
        let tri =
            |m: &mut Self, a: u32, b: u32, c: u32| m.indices.extend([idx + a, idx + b, idx + c]);
        if feathering <= 0.0 {
            // Not anti-aliased: a band of the stroke's width.
            let half = 0.5 * stroke.width;
            for (i, &(p, normal)) in path.iter().enumerate() {
                let i = i as u32;
                self.push(p, normal * half, stroke.color);
                self.push(p, -normal * half, stroke.color);
                if i > 0 {
                    tri(self, 2 * i - 2, 2 * i - 1, 2 * i);
                    tri(self, 2 * i - 1, 2 * i, 2 * i + 1);
                }
            }
        } else if stroke.width <= 0.9 * feathering {
            // Thinner than a pixel: a ridge two feathers wide, faded by how thin the line is.
            let middle = stroke.color.gamma_multiply(stroke.width / feathering);
            for (i1, &(p, normal)) in path.iter().enumerate() {
                let i1 = i1 as u32;
                self.push(p, normal * feathering, outer);
                self.push(p, Vec2::ZERO, middle);
                self.push(p, -normal * feathering, Color32::TRANSPARENT);
                if i1 > 0 {
                    let i0 = i1 - 1;
                    tri(self, 3 * i0, 3 * i0 + 1, 3 * i1);
                    tri(self, 3 * i0 + 1, 3 * i1, 3 * i1 + 1);
                    tri(self, 3 * i0 + 1, 3 * i0 + 2, 3 * i1 + 1);
                    tri(self, 3 * i0 + 2, 3 * i1 + 1, 3 * i1 + 2);
                }
            }
        } else {
            let inner = 0.5 * (stroke.width - feathering);
            let outer_rad = 0.5 * (stroke.width + feathering);
            let middle = stroke.color;
            for (i1, &(p, normal)) in path.iter().enumerate() {
                let i1 = i1 as u32;
                // The ends reach a feather further, faded, as egui's line caps.
                let back = if i1 == 0 {
                    normal.rot90() * feathering
                } else if i1 == n - 1 {
                    -normal.rot90() * feathering
                } else {
                    Vec2::ZERO
                };
                self.push(p, normal * outer_rad + back, outer);
                self.push(p, normal * inner, middle);
                self.push(p, -normal * inner, middle);
                self.push(p, -normal * outer_rad + back, outer);
                if i1 == 0 {
                    tri(self, 0, 1, 2);
                    tri(self, 0, 2, 3);
                    continue;
                }
                let i0 = i1 - 1;
                for k in 0..3 {
                    tri(self, 4 * i0 + k, 4 * i0 + k + 1, 4 * i1 + k);
                    tri(self, 4 * i0 + k + 1, 4 * i1 + k, 4 * i1 + k + 1);
                }
                if i1 == n - 1 {
                    tri(self, 4 * i1, 4 * i1 + 1, 4 * i1 + 2);
                    tri(self, 4 * i1, 4 * i1 + 2, 4 * i1 + 3);
                }
            }
        }
    }

    fn push(&mut self, at: World, offset: Vec2, color: Color32) {
        self.vertices.push(WorldVertex::new(at, offset, color));
    }

    /// Whether this mesh draws a view showing `visible` as the whole layer's mesh would.
    pub fn serves(&self, visible: &WorldRect) -> bool {
        self.covers.is_none_or(|a| {
            a.min[0] <= visible.min[0]
                && a.min[1] <= visible.min[1]
                && a.max[0] >= visible.max[0]
                && a.max[1] >= visible.max[1]
        })
    }

    /// The runs of chunks to draw for a camera showing `visible`: the chunks that meet it, neighbours
    /// merged into one run (one draw call on the GPU).
    pub fn visible(&self, visible: &WorldRect) -> Vec<Chunk> {
        let mut runs: Vec<Chunk> = Vec::new();
        if !visible.intersects(&self.bounds) {
            return runs;
        }
        for chunk in self.chunks.iter().filter(|c| c.bounds.intersects(visible)) {
            match runs.last_mut() {
                Some(run)
                    if run.indices.end == chunk.indices.start
                        && run.vertices.end == chunk.vertices.start =>
                {
                    run.indices.end = chunk.indices.end;
                    run.vertices.end = chunk.vertices.end;
                    run.bounds = run.bounds.union(&chunk.bounds);
                }
                _ => runs.push(chunk.clone()),
            }
        }
        runs
    }

    /// Appends the `runs` of this mesh to `out` in screen points, as the GPU draws them.
    pub fn screen_mesh(&self, runs: &[Chunk], transform: &ScreenTransform, out: &mut Mesh) {
        for run in runs {
            let base = out.vertices.len() as u32;
            let (v0, v1) = (run.vertices.start as usize, run.vertices.end as usize);
            out.vertices
                .extend(self.vertices[v0..v1].iter().map(|v| Vertex {
                    pos: transform.screen(v),
                    uv: WHITE_UV,
                    color: Color32::from_rgba_premultiplied(
                        v.color[0], v.color[1], v.color[2], v.color[3],
                    ),
                }));
            let (i0, i1) = (run.indices.start as usize, run.indices.end as usize);
            out.indices.extend(
                self.indices[i0..i1]
                    .iter()
                    .map(|&i| i - run.vertices.start + base),
            );
        }
    }
}

/// The camera as the GPU applies it (the vertex shader of [`super::gl_basemap`] does this arithmetic, in
/// the same order): `screen = origin + (world - centre) * scale` with y flipped, plus the vertex's offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenTransform {
    pub center_hi: [f32; 2],
    pub center_lo: [f32; 2],
    /// Screen points per world unit.
    pub scale: f32,
    /// The centre of the viewport, in screen points.
    pub origin: [f32; 2],
}

impl ScreenTransform {
    pub fn of(camera: &Camera) -> Self {
        let (center_hi, center_lo) = split(camera.center);
        Self {
            center_hi,
            center_lo,
            scale: camera.scale as f32,
            origin: camera.viewport.center(),
        }
    }

    /// Where a vertex is on screen, in points.
    pub fn screen(&self, v: &WorldVertex) -> Pos2 {
        let d = [
            (v.hi[0] - self.center_hi[0]) + (v.lo[0] - self.center_lo[0]),
            (v.hi[1] - self.center_hi[1]) + (v.lo[1] - self.center_lo[1]),
        ];
        Pos2::new(
            self.origin[0] + d[0] * self.scale + v.offset[0],
            self.origin[1] - d[1] * self.scale + v.offset[1],
        )
    }
}

/// One layer of a frame's basemap: its mesh and the runs of it in view.
#[derive(Clone, Debug)]
pub struct LayerPaint {
    pub key: MeshKey,
    pub mesh: Arc<WorldMesh>,
    pub runs: Vec<Chunk>,
}

/// A frame's basemap: the layers' meshes, bottom first, and the camera they are drawn with. The GPU draws
/// it ([`super::gl_basemap`]); [`BasemapPaint::screen_mesh`] is the same on the CPU.
#[derive(Clone, Debug)]
pub struct BasemapPaint {
    pub layers: Vec<LayerPaint>,
    pub transform: ScreenTransform,
}

impl BasemapPaint {
    /// The frame's basemap as one egui mesh in screen points: what the GPU draws.
    pub fn screen_mesh(&self) -> Mesh {
        let mut mesh = Mesh::default();
        for layer in &self.layers {
            layer
                .mesh
                .screen_mesh(&layer.runs, &self.transform, &mut mesh);
        }
        mesh
    }
}

/// The meshes of the layers drawn lately, so that a frame makes one only when a layer, its zoom level,
/// the theme or the pixel density changes (and zooming back across one level boundary makes nothing).
#[derive(Debug, Default)]
pub struct WorldMeshes {
    /// Least recently used first.
    kept: Vec<(MeshKey, Arc<WorldMesh>)>,
}

/// Meshes kept beyond those of the current frame: the previous zoom level of each of a few layers.
const SPARE_MESHES: usize = 2;

/// A layer's mesh holds the chunks around the view (the view and this many views' widths and heights on
/// each side), not the whole world's: the window's first frame makes and uploads the 1:50m world's mesh
/// of its region only (a tenth of the whole, for a story in one region), and panning within that area
/// makes nothing. A view that leaves it gets a mesh of its own area.
pub const MESH_MARGIN_VIEWS: f64 = 1.0;

/// The area a mesh for a view showing `visible` covers: `None` (the whole layer) when that area would
/// hold the layer's `bounds` anyway, or the view is empty.
fn mesh_area(visible: &WorldRect, bounds: &WorldRect) -> Option<WorldRect> {
    if visible.is_empty()
        || !visible
            .min
            .iter()
            .chain(&visible.max)
            .all(|v| v.is_finite())
    {
        return None;
    }
    let (dx, dy) = (
        visible.width() * MESH_MARGIN_VIEWS,
        visible.height() * MESH_MARGIN_VIEWS,
    );
    let area = WorldRect {
        min: [visible.min[0] - dx, visible.min[1] - dy],
        max: [visible.max[0] + dx, visible.max[1] + dy],
    };
    let whole = area.min[0] <= bounds.min[0]
        && area.min[1] <= bounds.min[1]
        && area.max[0] >= bounds.max[0]
        && area.max[1] >= bounds.max[1];
    (!whole).then_some(area)
}

impl WorldMeshes {
    /// The basemap of a frame: `layers` (the ones shown) at the camera's zoom level, in `theme`.
    pub fn paint(
        &mut self,
        layers: &[&Arc<PreparedLayer>],
        camera: &Camera,
        theme: &Theme,
        pixels_per_point: f32,
        options: &TessellationOptions,
    ) -> BasemapPaint {
        let level = PreparedLayer::level_for_scale(camera.scale);
        let visible = camera.visible_world();
        let mut paint = BasemapPaint {
            layers: Vec::with_capacity(layers.len()),
            transform: ScreenTransform::of(camera),
        };
        for &layer in layers {
            let inputs = MeshKey::of(layer, level, theme, pixels_per_point, options);
            let found = self
                .kept
                .iter()
                .rposition(|(k, m)| k.same_inputs(&inputs) && m.serves(&visible));
            let (key, mesh) = match found {
                Some(at) => {
                    let kept = self.kept.remove(at);
                    let used = (kept.0.clone(), Arc::clone(&kept.1));
                    self.kept.push(kept);
                    used
                }
                None => {
                    // One mesh of a layer's level at a time: the one for the view replaces another area's.
                    self.kept.retain(|(k, _)| !k.same_inputs(&inputs));
                    let area = mesh_area(&visible, &layer.bounds);
                    let made = Arc::new(WorldMesh::build_within(
                        layer,
                        &layer.level_within(level, area),
                        theme,
                        pixels_per_point,
                        options,
                        area,
                    ));
                    let key = inputs.for_area(area);
                    self.kept.push((key.clone(), Arc::clone(&made)));
                    (key, made)
                }
            };
            let runs = mesh.visible(&visible);
            paint.layers.push(LayerPaint { key, mesh, runs });
        }
        self.kept.retain(|(k, _)| k.layer.strong_count() > 0);
        let excess = self.kept.len().saturating_sub(layers.len() + SPARE_MESHES);
        self.kept.drain(..excess);
        paint
    }
}

#[cfg(test)]
mod tests {
    use geo::{Geometry, LineString, Point, polygon};
    use serde_json::Map;

    use super::*;
    use crate::geo_math::camera::ScreenRect;
    use crate::geo_math::projection::Projection;
    use crate::model::map::{Feature, Layer};

    /// Two neighbouring countries, a jagged line, a sharp corner and a point.
    fn prepared() -> Arc<PreparedLayer> {
        let a =
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
        let b = polygon![(x: 10.0, y: 0.0), (x: 20.0, y: 1.0), (x: 11.0, y: 3.0), (x: 20.0, y: 10.0), (x: 10.0, y: 10.0)];
        let line = LineString::from(vec![
            (2.0, 2.0),
            (5.0, 8.0),
            (8.0, 2.0),
            (8.0, 2.0),
            (9.0, 9.0),
        ]);
        let features = vec![
            Geometry::Polygon(a),
            Geometry::Polygon(b),
            Geometry::LineString(line),
            Geometry::Point(Point::new(4.0, 4.0)),
        ]
        .into_iter()
        .map(|g| Feature::new(None, Map::new(), Some(g)))
        .collect();
        let layer = Layer {
            name: "test".to_owned(),
            features,
        };
        Arc::new(PreparedLayer::new(
            &layer,
            Projection::WebMercator { central_lon: 0.0 },
            None,
        ))
    }

    /// What egui makes of the scene's items for the layer.
    fn egui_mesh(prepared: &PreparedLayer, camera: &Camera, theme: &Theme, ppp: f32) -> Mesh {
        let items = crate::scene::basemap::layer(prepared, camera, theme, "basemap-0").items;
        let options = TessellationOptions::default();
        let mut tessellator = Tessellator::new(ppp, options, [1, 1], Vec::new());
        let ctx = egui::Context::default();
        let mut mesh = Mesh::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let mut shapes = Vec::new();
            for item in &items {
                super::super::egui_painter::push_item(ui.painter(), item, &mut shapes);
            }
            for shape in shapes {
                tessellator.tessellate_shape(shape, &mut mesh);
            }
        });
        output.textures_delta.clear();
        mesh
    }

    /// The world mesh, moved to the camera, is egui's tessellation of the scene's basemap: the same
    /// triangles, colours and (to a thousandth of a point) places, at one and two pixels a point, light and
    /// dark, whole and in part (culled as the scene culls).
    #[test]
    fn the_world_mesh_is_what_egui_tessellates_from_the_scene() {
        let prepared = prepared();
        let whole = Camera::fit(prepared.bounds, ScreenRect::from_size(640.0, 480.0), 20.0);
        let part = whole
            .zoomed_around([500.0, 240.0], 3.0)
            .panned([120.0, -40.0]);
        for camera in [whole, part] {
            for theme in [Theme::light(), Theme::dark()] {
                for ppp in [1.0, 2.0] {
                    let paint = WorldMeshes::default().paint(
                        &[&prepared],
                        &camera,
                        &theme,
                        ppp,
                        &TessellationOptions::default(),
                    );
                    let ours = paint.screen_mesh();
                    let egui = egui_mesh(&prepared, &camera, &theme, ppp);
                    assert!(!egui.indices.is_empty());
                    assert_eq!(ours.indices, egui.indices, "ppp {ppp}");
                    assert_eq!(ours.vertices.len(), egui.vertices.len());
                    for (a, b) in ours.vertices.iter().zip(&egui.vertices) {
                        assert_eq!(a.color, b.color);
                        assert!((a.pos - b.pos).length() < 1e-3, "{a:?} against {b:?}");
                    }
                }
            }
        }
    }

    /// Across the antimeridian of precision: the high and low parts add up to the coordinate.
    #[test]
    fn a_split_coordinate_adds_up_to_the_original() {
        for w in [[1.234_567_890_123, -0.000_001_234_5], [3.1, 1e-9]] {
            let (hi, lo) = split(w);
            for k in 0..2 {
                assert!((f64::from(hi[k]) + f64::from(lo[k]) - w[k]).abs() < 1e-13);
            }
        }
    }

    /// A level, a theme or a pixel density not seen makes a mesh; one seen lately is reused.
    #[test]
    fn meshes_are_made_once_per_level_theme_and_density() {
        let prepared = prepared();
        let camera = Camera::fit(prepared.bounds, ScreenRect::from_size(640.0, 480.0), 20.0);
        let options = TessellationOptions::default();
        let mut meshes = WorldMeshes::default();
        let light = Theme::light();
        let first = meshes.paint(&[&prepared], &camera, &light, 1.0, &options);
        let panned = camera.panned([30.0, 10.0]);
        let again = meshes.paint(&[&prepared], &panned, &light, 1.0, &options);
        assert!(Arc::ptr_eq(&first.layers[0].mesh, &again.layers[0].mesh));
        let dark = meshes.paint(&[&prepared], &camera, &Theme::dark(), 1.0, &options);
        assert!(!Arc::ptr_eq(&first.layers[0].mesh, &dark.layers[0].mesh));
        let dense = meshes.paint(&[&prepared], &camera, &light, 2.0, &options);
        assert!(!Arc::ptr_eq(&first.layers[0].mesh, &dense.layers[0].mesh));
        let zoomed = camera.zoomed_around([320.0, 240.0], 8.0);
        let deeper = meshes.paint(&[&prepared], &zoomed, &light, 1.0, &options);
        assert_ne!(deeper.layers[0].key, first.layers[0].key);
    }

    /// A grid of 20 by 20 squares, a degree apart, with a point in each.
    fn grid() -> Arc<PreparedLayer> {
        let mut features = Vec::new();
        for i in 0..20 {
            for j in 0..20 {
                let (x, y) = (f64::from(i) * 1.5, f64::from(j) * 1.5);
                let square = polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)];
                features.push(Geometry::Polygon(square));
                features.push(Geometry::Point(Point::new(x + 0.5, y + 0.5)));
            }
        }
        let layer = Layer {
            name: "grid".to_owned(),
            features: features
                .into_iter()
                .map(|g| Feature::new(None, Map::new(), Some(g)))
                .collect(),
        };
        Arc::new(PreparedLayer::new(
            &layer,
            Projection::WebMercator { central_lon: 0.0 },
            None,
        ))
    }

    /// A view of part of a layer gets a mesh of the chunks around it only, drawn as the whole layer's mesh
    /// draws that view; it serves while the view pans within its area, and a view beyond gets its own.
    #[test]
    fn a_view_of_part_of_a_layer_gets_the_mesh_of_its_area_drawn_as_the_whole() {
        let prepared = grid();
        let options = TessellationOptions::default();
        let theme = Theme::light();
        let whole_view = Camera::fit(prepared.bounds, ScreenRect::from_size(640.0, 480.0), 20.0);
        let near = whole_view.zoomed_around([100.0, 380.0], 6.0);
        let whole_mesh = |camera: &Camera| {
            let level = PreparedLayer::level_for_scale(camera.scale);
            let mesh = WorldMesh::build(&prepared, &prepared.level(level), &theme, 1.0, &options);
            let runs = mesh.visible(&camera.visible_world());
            BasemapPaint {
                layers: vec![LayerPaint {
                    key: MeshKey::of(&prepared, level, &theme, 1.0, &options),
                    mesh: Arc::new(mesh),
                    runs,
                }],
                transform: ScreenTransform::of(camera),
            }
        };
        // The level made for the area only gives the area's mesh of the whole level.
        let area = mesh_area(&near.visible_world(), &prepared.bounds);
        assert!(area.is_some());
        let level = PreparedLayer::level_for_scale(near.scale);
        let fresh = grid();
        let within = WorldMesh::build_within(
            &fresh,
            &fresh.level_within(level, area),
            &theme,
            1.0,
            &options,
            area,
        );
        assert!(
            fresh.levels_kept().is_empty(),
            "an area's level is not kept"
        );
        let of_whole =
            WorldMesh::build_within(&fresh, &fresh.level(level), &theme, 1.0, &options, area);
        assert_eq!(within.vertices, of_whole.vertices);
        assert_eq!(within.indices, of_whole.indices);
        assert_eq!(within.chunks, of_whole.chunks);

        let mut meshes = WorldMeshes::default();
        let first = meshes.paint(&[&prepared], &near, &theme, 1.0, &options);
        assert!(prepared.levels_kept().is_empty(), "made for the view only");
        let expected = whole_mesh(&near);
        let part = &first.layers[0].mesh;
        assert!(part.covers.is_some());
        assert!(
            part.vertices.len() * 3 < expected.layers[0].mesh.vertices.len(),
            "{} of {} vertices",
            part.vertices.len(),
            expected.layers[0].mesh.vertices.len()
        );
        assert_eq!(first.screen_mesh(), expected.screen_mesh());

        // Panned by half a view: the same mesh.
        let panned = near.panned([320.0, -240.0]);
        let again = meshes.paint(&[&prepared], &panned, &theme, 1.0, &options);
        assert!(Arc::ptr_eq(part, &again.layers[0].mesh));
        assert_eq!(again.screen_mesh(), whole_mesh(&panned).screen_mesh());

        // Far away: a mesh of that area, drawn as the whole.
        let far = near.panned([-3000.0, 2000.0]);
        let there = meshes.paint(&[&prepared], &far, &theme, 1.0, &options);
        assert!(!Arc::ptr_eq(part, &there.layers[0].mesh));
        assert!(!there.layers[0].mesh.indices.is_empty());
        assert_eq!(there.screen_mesh(), whole_mesh(&far).screen_mesh());

        // Zoomed out to the whole layer: its whole mesh.
        let all = meshes.paint(&[&prepared], &whole_view, &theme, 1.0, &options);
        assert!(all.layers[0].mesh.covers.is_none());
    }
}
