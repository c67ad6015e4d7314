//! Draws a scene into an RGBA pixmap on the CPU, antialiased: tiny-skia for the shapes, epaint's own glyph
//! atlas for the text (see [`super::text`]). No window, GPU or display is involved.

use egui::epaint::ColorImage;
use std::sync::Arc;

use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, PathStroker, Pixmap, PixmapMut, Stroke,
    StrokeDash, Transform,
};

use super::outline;
use super::text::{PlacedText, Typesetter};
use crate::scene::{Item, Pt, Rgba, Scene};

/// The largest side of a picture, in pixels.
pub const MAX_SIDE_PX: u32 = 16_384;

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RasterError {
    #[error(
        "a picture of {width}x{height} pixels cannot be made: each side must be 1 to {MAX_SIDE_PX} pixels"
    )]
    BadSize { width: u32, height: u32 },
}

/// The pixel size of a scene drawn at `scale` pixels per point.
pub fn pixel_size(scene_size: [f32; 2], scale: f32) -> Result<(u32, u32), RasterError> {
    let side = |v: f32| {
        let px = (v * scale).round();
        if px.is_finite() && px >= 1.0 && px <= MAX_SIDE_PX as f32 {
            Some(px as u32)
        } else {
            None
        }
    };
    match (side(scene_size[0]), side(scene_size[1])) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(RasterError::BadSize {
            width: (scene_size[0] * scale).max(0.0).round() as u32,
            height: (scene_size[1] * scale).max(0.0).round() as u32,
        }),
    }
}

/// A picture is drawn in this many horizontal bands, in parallel.
///
/// Always the same number, whatever the machine: tiny-skia's antialiasing of the pixels next to a cut
/// depends a little on where the picture is cut (lines thinner than a pixel may fall half a pixel apart on
/// either side; edges of shapes by a few levels), so the number of bands, and where they are cut (from the
/// picture's own paths: [`band_rows`]), are part of what makes the bytes of a picture. Two bands use both
/// cores of a small machine for a single picture; an animation draws several frames at once as well.
pub const BANDS: usize = 2;

/// Draws the scene at the typesetter's scale (pixels per point), back to front.
pub fn render(scene: &Scene, typesetter: &mut Typesetter) -> Result<Pixmap, RasterError> {
    render_in_bands(scene, typesetter, BANDS)
}

/// Draws the scene cut into `bands` horizontal bands drawn in parallel. Every band draws the same paths,
/// clipped to its rows.
pub fn render_in_bands(
    scene: &Scene,
    typesetter: &mut Typesetter,
    bands: usize,
) -> Result<Pixmap, RasterError> {
    use rayon::prelude::*;
    let scale = typesetter.pixels_per_point();
    let (width, height) = pixel_size(scene.size, scale)?;
    let mut pixmap = Pixmap::new(width, height).ok_or(RasterError::BadSize { width, height })?;
    let (texts, ops) = rayon::join(|| Texts::lay_out(scene, typesetter), || ops(scene, scale));
    let row_bytes = width as usize * 4;
    let cuts = band_rows(&ops, scale, [width as usize, height as usize], bands);
    let mut rest = pixmap.data_mut();
    let mut parts = Vec::with_capacity(cuts.len());
    for rows in cuts.windows(2) {
        let (part, tail) = std::mem::take(&mut rest).split_at_mut((rows[1] - rows[0]) * row_bytes);
        parts.push((rows[0], part));
        rest = tail;
    }
    parts.into_par_iter().for_each(|(top, band)| {
        let rows = band.len() / row_bytes;
        if let Some(mut tile) = PixmapMut::from_bytes(band, width, rows as u32) {
            draw(&mut tile, scene.background, &ops, &texts, scale, top as i64);
        }
    });
    Ok(pixmap)
}

/// Where the picture's rows (`size`: width and height in pixels) are cut into `bands`: the first row of
/// each band, then the height. Each band gets about as much work: the paths' points (the edges tiny-skia
/// builds, sorts and walks for the band) and its pixels, a pixel counting for [`PIXEL_WEIGHT`] of a
/// point, at `scale` pixels per point. The top half of a world map holds most of its coasts, and drew for
/// twice as long as the bottom half when the rows were shared out evenly (27 against 13 ms for the 1:10m
/// world at 1920x1080; 20 and 20 ms cut so). No band is thinner than a fifth of an even share, in whole
/// rows. The cuts depend only on the picture's paths and size, so the same scene always makes the same
/// bytes.
fn band_rows(ops: &[Op], scale: f32, [width, height]: [usize; 2], bands: usize) -> Vec<usize> {
    let bands = bands.clamp(1, height.max(1));
    let mut weight = vec![0.0f64; height];
    for op in ops {
        if let Op::Fill { path, .. } | Op::Hairline { path, .. } = op {
            // The points in the picture only: what lies beyond it depends on how much of the map was
            // prepared (an export prepares a little more than its view), not on what is drawn.
            for p in path.points() {
                let (column, row) = ((p.x * scale).floor(), (p.y * scale).floor());
                if (0.0..width as f32).contains(&column) && (0.0..height as f32).contains(&row) {
                    weight[row as usize] += 1.0;
                }
            }
        }
    }
    let per_row = width as f64 * PIXEL_WEIGHT;
    // prefix[r]: the weight of the rows above row r.
    let mut prefix = Vec::with_capacity(height + 1);
    prefix.push(0.0);
    for w in &weight {
        prefix.push(prefix[prefix.len() - 1] + w + per_row);
    }
    let total = prefix[height];
    let thinnest = height / bands / 5;
    let mut cuts = vec![0];
    for band in 1..bands {
        let goal = total * band as f64 / bands as f64;
        let lowest = cuts[band - 1] + thinnest;
        let highest = (height - (bands - band) * thinnest).max(lowest);
        cuts.push(prefix.partition_point(|&s| s < goal).clamp(lowest, highest));
    }
    cuts.push(height);
    cuts
}

/// How much a pixel of a band weighs against a point of its paths in [`band_rows`]: fitted to the times
/// of the bands of the 1:10m world and of the default story (a row of 1920 pixels takes about 7 µs to
/// fill, a point about 0.18 µs to build, sort and walk).
const PIXEL_WEIGHT: f64 = 0.02;

/// Every label of a scene laid out, and the glyph atlas they point into.
struct Texts {
    placed: Vec<PlacedText>,
    atlas: Option<Arc<ColorImage>>,
}

impl Texts {
    /// Lays out every label first, so the glyph atlas is complete before the first one is copied from it.
    fn lay_out(scene: &Scene, typesetter: &mut Typesetter) -> Self {
        typesetter.prepare(scene.layers.iter().flat_map(|l| &l.items).filter_map(
            |item| match item {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            },
        ));
        typesetter.begin_pass();
        let placed: Vec<PlacedText> = scene
            .layers
            .iter()
            .flat_map(|l| &l.items)
            .filter_map(|item| match item {
                Item::Text {
                    pos,
                    text,
                    size,
                    color,
                    anchor,
                } => Some(typesetter.place(*pos, text, *size, *color, *anchor)),
                _ => None,
            })
            .collect();
        let atlas = (!placed.is_empty()).then(|| typesetter.atlas());
        Self { placed, atlas }
    }
}

/// One drawing operation, in points, ready for any band: outlines, dashes and strokes are worked out
/// once per picture, not once per band.
enum Op {
    /// A shape filled with the non-zero rule.
    Fill { path: Path, color: Rgba },
    /// Lines a pixel wide or thinner, drawn as hairlines (fainter in proportion, much as egui draws them).
    Hairline { path: Path, color: Rgba, width: f32 },
    /// The next label.
    Text,
}

/// The drawing operations of a scene drawn at `scale` pixels per point, back to front.
fn ops(scene: &Scene, scale: f32) -> Vec<Op> {
    use rayon::prelude::*;
    // The outlines of the meshes (the basemap's countries: most of the work) on every core, in order.
    let meshes: Vec<(&[Pt], &[u32])> = scene
        .layers
        .iter()
        .flat_map(|l| &l.items)
        .filter_map(|item| match item {
            Item::Mesh {
                vertices, indices, ..
            } => Some((vertices.as_slice(), indices.as_slice())),
            _ => None,
        })
        .collect();
    let outlines: Vec<Option<Path>> = meshes
        .into_par_iter()
        .map(|(vertices, indices)| mesh_outline(vertices, indices))
        .collect();
    let mut outlines = outlines.into_iter();
    let mut builder = OpBuilder {
        scale,
        res_scale: PathStroker::compute_resolution_scale(&Transform::from_scale(scale, scale)),
        ops: Vec::new(),
    };
    for layer in &scene.layers {
        let items = &layer.items;
        let mut i = 0;
        while i < items.len() {
            i = match &items[i] {
                Item::Mesh { fill, .. } => {
                    if let Some(path) = outlines.next().flatten() {
                        builder.ops.push(Op::Fill { path, color: *fill });
                    }
                    i + 1
                }
                Item::Polyline { .. } => builder.polylines(items, i),
                Item::Circle {
                    center,
                    radius,
                    fill,
                    stroke: outline,
                } => {
                    builder.circle(*center, *radius, *fill, *outline);
                    i + 1
                }
                Item::Text { .. } => {
                    builder.ops.push(Op::Text);
                    i + 1
                }
            };
        }
    }
    builder.ops
}

/// Turns a scene's items into [`Op`]s for one scale.
struct OpBuilder {
    scale: f32,
    /// The stroker's and the dasher's precision at `scale`.
    res_scale: f32,
    ops: Vec<Op>,
}

impl OpBuilder {
    /// Strokes `path`: as a hairline when a pixel wide or thinner, else as a filled outline.
    fn stroke(&mut self, path: Path, width: f32, color: Rgba, dash: Option<[f32; 2]>) {
        let path = match dash.and_then(|[d, g]| StrokeDash::new(vec![d, g], 0.0)) {
            Some(dash) => match path.dash(&dash, self.res_scale) {
                Some(dashed) => dashed,
                None => return,
            },
            None => path,
        };
        if width * self.scale <= 1.0 {
            self.ops.push(Op::Hairline { path, color, width });
        } else if let Some(outline) = path.stroke(&stroke(width), self.res_scale) {
            self.ops.push(Op::Fill {
                path: outline,
                color,
            });
        }
    }

    /// The polyline at `items[i]`, and the ones after it of the same style if they are thinner than a
    /// pixel (borders, the graticule): one path of hairlines, a third faster together than one by one.
    /// Returns the index of the next item.
    fn polylines(&mut self, items: &[Item], i: usize) -> usize {
        let Some(Item::Polyline {
            width,
            color: c,
            dash,
            ..
        }) = items.get(i)
        else {
            return i + 1;
        };
        let thin = dash.is_none() && width * self.scale <= 1.0;
        let mut pb = PathBuilder::new();
        let mut j = i;
        while let Some(Item::Polyline {
            points,
            width: w,
            color: k,
            dash: d,
        }) = items.get(j)
        {
            if j > i && !(thin && w == width && k == c && d.is_none()) {
                break;
            }
            add_polyline(&mut pb, points);
            j += 1;
        }
        if let Some(path) = pb.finish() {
            self.stroke(path, *width, *c, *dash);
        }
        j
    }

    fn circle(
        &mut self,
        center: Pt,
        radius: f32,
        fill: Option<Rgba>,
        outline: Option<(f32, Rgba)>,
    ) {
        if let Some(c) = fill
            && let Some(path) = PathBuilder::from_circle(center[0], center[1], radius)
        {
            self.ops.push(Op::Fill { path, color: c });
        }
        // egui strokes a circle outside its radius: the ring's middle is half a width out.
        if let Some((width, c)) = outline
            && let Some(ring) = PathBuilder::from_circle(center[0], center[1], radius + width / 2.0)
        {
            self.stroke(ring, width, c, None);
        }
    }
}

/// Draws the operations into a band of the picture whose first row is `top`.
fn draw(
    pixmap: &mut PixmapMut<'_>,
    background: Rgba,
    ops: &[Op],
    texts: &Texts,
    scale: f32,
    top: i64,
) {
    pixmap.fill(color(background));
    let transform = Transform::from_scale(scale, scale).post_translate(0.0, -(top as f32));
    let mut placed = texts.placed.iter();
    for op in ops {
        match op {
            Op::Fill { path, color } => {
                pixmap.fill_path(path, &paint(*color), FillRule::Winding, transform, None);
            }
            Op::Hairline { path, color, width } => {
                pixmap.stroke_path(path, &paint(*color), &stroke(*width), transform, None);
            }
            Op::Text => {
                if let (Some(text), Some(atlas)) = (placed.next(), &texts.atlas) {
                    draw_text(pixmap, text, atlas, scale, top);
                }
            }
        }
    }
}

fn color(c: Rgba) -> tiny_skia::Color {
    tiny_skia::Color::from_rgba8(c.0[0], c.0[1], c.0[2], c.0[3])
}

fn paint(c: Rgba) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color(c));
    paint.anti_alias = true;
    paint
}

/// A stroke as egui draws it: butt ends, mitred corners (dashes are applied before, from the start of the
/// line). tiny-skia draws a line a pixel wide or thinner as a hairline, fainter in proportion.
fn stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Butt,
        line_join: LineJoin::Miter,
        ..Stroke::default()
    }
}

/// Adds a polyline (its finite points) to a path as a new subpath.
fn add_polyline(pb: &mut PathBuilder, points: &[Pt]) {
    let mut iter = points
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite());
    let Some(first) = iter.next() else { return };
    pb.move_to(first[0], first[1]);
    for p in iter {
        pb.line_to(p[0], p[1]);
    }
}

/// A mesh as the path of its outline, so no seam shows between its triangles.
fn mesh_outline(vertices: &[Pt], indices: &[u32]) -> Option<Path> {
    let rings = outline::rings(vertices, indices);
    let mut pb = PathBuilder::with_capacity(vertices.len() + rings.len(), vertices.len());
    for ring in &rings {
        let mut first = true;
        for &i in ring {
            let Some(p) = vertices.get(i as usize) else {
                continue;
            };
            if first {
                pb.move_to(p[0], p[1]);
                first = false;
            } else {
                pb.line_to(p[0], p[1]);
            }
        }
        pb.close();
    }
    pb.finish()
}

/// Copies a label's glyphs from the atlas, as the window's GPU does: each glyph is a pixel-aligned quad whose
/// texels map one to one onto pixels, tinted with the text's colour and blended over what is there.
fn draw_text(
    pixmap: &mut PixmapMut<'_>,
    text: &PlacedText,
    atlas: &ColorImage,
    scale: f32,
    top: i64,
) {
    let (width, height) = (pixmap.width() as i64, pixmap.height() as i64);
    let data = pixmap.data_mut();
    let [aw, ah] = atlas.size;
    for row in &text.galley.rows {
        let mesh = &row.row.visuals.mesh;
        let range = &row.row.visuals.glyph_vertex_range;
        for quad in mesh.vertices[range.clone()].chunks_exact(4) {
            // Corners of the quad: min and max of its four vertices.
            let (mut min, mut max) = (quad[0], quad[0]);
            for v in quad {
                if v.pos.x + v.pos.y < min.pos.x + min.pos.y {
                    min = *v;
                }
                if v.pos.x + v.pos.y > max.pos.x + max.pos.y {
                    max = *v;
                }
            }
            let x0 = ((text.origin.x + row.pos.x + min.pos.x) * scale).round() as i64;
            let y0 = ((text.origin.y + row.pos.y + min.pos.y) * scale).round() as i64 - top;
            let u0 = min.uv.x.round() as i64;
            let v0 = min.uv.y.round() as i64;
            let w = (max.uv.x - min.uv.x).round() as i64;
            let h = (max.uv.y - min.uv.y).round() as i64;
            let tint = min.color;
            for dy in 0..h {
                let (y, v) = (y0 + dy, v0 + dy);
                if y < 0 || y >= height || v < 0 || v >= ah as i64 {
                    continue;
                }
                for dx in 0..w {
                    let (x, u) = (x0 + dx, u0 + dx);
                    if x < 0 || x >= width || u < 0 || u >= aw as i64 {
                        continue;
                    }
                    // Both premultiplied, multiplied channel by channel (egui's shader does the same).
                    let texel = atlas.pixels[v as usize * aw + u as usize].to_array();
                    if texel[3] == 0 {
                        continue;
                    }
                    let tint = tint.to_array();
                    let src: [u32; 4] =
                        std::array::from_fn(|c| mul(u32::from(tint[c]), u32::from(texel[c])));
                    let at = (y as usize * width as usize + x as usize) * 4;
                    let dst = &mut data[at..at + 4];
                    let inv = 255 - src[3];
                    for c in 0..4 {
                        dst[c] = (src[c] + mul(u32::from(dst[c]), inv)).min(255) as u8;
                    }
                }
            }
        }
    }
}

/// `a * b / 255`, rounded.
fn mul(a: u32, b: u32) -> u32 {
    let t = a * b + 128;
    (t + (t >> 8)) >> 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_outside_one_to_16384_pixels_are_refused() {
        assert_eq!(pixel_size([100.0, 50.0], 2.0), Ok((200, 100)));
        assert!(pixel_size([0.0, 50.0], 1.0).is_err());
        assert!(pixel_size([10_000.0, 50.0], 2.0).is_err());
        assert!(pixel_size([100.0, 50.0], f32::NAN).is_err());
    }

    /// A fill whose `n` points lie along the row `y` (in points), from x 0 to 100.
    fn points_along(y: f32, n: usize) -> Op {
        let mut pb = PathBuilder::new();
        pb.move_to(0.0, y);
        for i in 1..n {
            pb.line_to(100.0 * i as f32 / n as f32, y + 0.5 * (i % 2) as f32);
        }
        pb.close();
        Op::Fill {
            path: pb.finish().expect("a path"),
            color: Rgba([0, 0, 0, 255]),
        }
    }

    /// The bands share out the points and pixels: a picture whose coasts are all near its top is cut
    /// above its middle, one with even detail in the middle; no band is thinner than a fifth of an even
    /// share; the cuts run from the first row to the last, in order.
    #[test]
    fn bands_are_cut_where_the_work_is_shared_out() {
        let size = [400, 1000];
        let even = band_rows(
            &[points_along(250.0, 4000), points_along(750.0, 4000)],
            1.0,
            size,
            2,
        );
        assert!((even[1] as i64 - 500).abs() <= 10, "{even:?}");
        let top = band_rows(&[points_along(100.0, 20_000)], 1.0, size, 2);
        assert!(top[1] < 300, "{top:?}");
        assert!(top[1] >= 100, "no thinner than a fifth of 500: {top:?}");
        // At 2 pixels a point, the same paths lie twice as far down.
        let scaled = band_rows(&[points_along(100.0, 20_000)], 2.0, [800, 2000], 2);
        assert!(scaled[1] > top[1] && scaled[1] < 600, "{scaled:?}");
        // Nothing to draw: even bands.
        assert_eq!(band_rows(&[], 1.0, size, 2), vec![0, 500, 1000]);
        for bands in [1, 2, 3, 7] {
            let cuts = band_rows(&[points_along(900.0, 5000)], 1.0, size, bands);
            assert_eq!(cuts.len(), bands + 1);
            assert_eq!((cuts[0], cuts[bands]), (0, 1000));
            assert!(
                cuts.windows(2).all(|w| w[1] - w[0] >= 1000 / bands / 5),
                "{cuts:?}"
            );
        }
        assert_eq!(
            band_rows(&[], 1.0, [10, 1], 4),
            vec![0, 1],
            "never more bands than rows"
        );
    }

    /// A picture drawn in two bands, cut above its middle (its lines crowd its top), is the picture drawn
    /// whole, every row of it, but for the antialiasing of the rows either side of the cut.
    #[test]
    fn bands_cut_anywhere_draw_the_whole_picture() {
        let ink = Rgba([40, 60, 200, 255]);
        let mut layer = crate::scene::SceneLayer::new("test");
        // A filled shape across the whole height, and many fine lines near the top.
        layer.items.push(Item::Mesh {
            vertices: vec![[20.0, 5.0], [180.0, 10.0], [100.0, 95.0]],
            indices: vec![0, 1, 2],
            fill: Rgba([200, 120, 40, 255]),
        });
        for i in 0..300 {
            let y = 5.0 + (i % 20) as f32;
            layer.items.push(Item::Polyline {
                points: (0..40)
                    .map(|k| [5.0 * k as f32, y + (k % 3) as f32])
                    .collect(),
                width: 0.8,
                color: ink,
                dash: None,
            });
        }
        let scene = Scene {
            size: [200.0, 100.0],
            background: Rgba([250, 250, 250, 255]),
            layers: vec![layer],
        };
        let mut typesetter = Typesetter::new(1.0, crate::scene::style::ThemeKind::Light);
        let cuts = band_rows(&ops(&scene, 1.0), 1.0, [200, 100], 2);
        assert!(cuts[1] < 40, "cut above the middle: {cuts:?}");
        let whole = render_in_bands(&scene, &mut typesetter, 1).expect("drawn");
        let banded = render_in_bands(&scene, &mut typesetter, 2).expect("drawn");
        assert_eq!(banded.width(), whole.width());
        let rows: Vec<usize> = whole
            .data()
            .chunks(200 * 4)
            .zip(banded.data().chunks(200 * 4))
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(row, _)| row)
            .collect();
        assert!(
            rows.iter().all(|&r| r + 1 >= cuts[1] && r <= cuts[1] + 1),
            "rows that differ: {rows:?}, cut at {}",
            cuts[1]
        );
        let drawn = banded
            .data()
            .chunks(4)
            .filter(|p| p[..3] != [250, 250, 250])
            .count();
        assert!(
            drawn > 4_000,
            "the shape and the lines are drawn: {drawn} pixels"
        );
    }

    #[test]
    fn multiplying_by_255_is_the_identity() {
        for a in 0..=255 {
            assert_eq!(mul(a, 255), a);
            assert_eq!(mul(a, 0), 0);
        }
    }
}
