//! A CPU renderer for `egui_kittest` snapshots: draws egui's tessellated meshes as a GPU would, with no
//! GPU and no display.
//!
//! The crates that software-render egui (`egui_software_backend`, `dream-soft-render`) target egui 0.34
//! and do not build with 0.37, so this is a small triangle rasteriser: pixel centres sampled once, the
//! top-left fill rule (shared edges drawn once, as by GPUs), vertex colours interpolated, textures sampled
//! bilinearly with clamped edges, premultiplied alpha blended in gamma space (egui's blending).
//!
//! The map's basemap, which the window draws on the GPU through a paint callback, is drawn from the mesh
//! that callback uploads ([`demarche::render::gl_basemap::registered`]), moved to the camera as the GPU
//! moves it.
//!
//! Use it with `Harness::builder().renderer(CpuRenderer::default())`.

use std::collections::HashMap;

use egui::epaint::{ClippedPrimitive, ColorImage, ImageData, Primitive, TextureId, Vertex};
use egui::{Color32, TexturesDelta};
use egui_kittest::TestRenderer;

/// Renders egui output on the CPU.
#[derive(Default)]
pub struct CpuRenderer {
    textures: HashMap<TextureId, ColorImage>,
}

impl TestRenderer for CpuRenderer {
    fn handle_delta(&mut self, delta: &mut TexturesDelta) {
        for (id, deltas) in &delta.set {
            for d in deltas {
                let ImageData::Color(image) = &d.image;
                match d.pos {
                    None => {
                        self.textures.insert(*id, (**image).clone());
                    }
                    Some([x0, y0]) => {
                        let Some(texture) = self.textures.get_mut(id) else {
                            continue;
                        };
                        let [w, _] = texture.size;
                        for y in 0..image.size[1] {
                            for x in 0..image.size[0] {
                                texture.pixels[(y0 + y) * w + x0 + x] =
                                    image.pixels[y * image.size[0] + x];
                            }
                        }
                    }
                }
            }
        }
        for id in &delta.free {
            self.textures.remove(id);
        }
        delta.clear();
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<image::RgbaImage, String> {
        let ppp = output.pixels_per_point;
        let primitives = ctx.tessellate(output.shapes.clone(), ppp);
        let size = ctx.content_rect().size() * ppp;
        let (w, h) = (size.x.round() as usize, size.y.round() as usize);
        let mut frame = vec![[0f32; 4]; w * h];
        for ClippedPrimitive {
            clip_rect,
            primitive,
        } in &primitives
        {
            // The map's basemap is a paint callback that draws its mesh on the GPU: drawn here from the
            // same mesh, moved to the camera as the GPU's vertex shader moves it.
            let basemap;
            let mesh = match primitive {
                Primitive::Mesh(mesh) => mesh,
                Primitive::Callback(callback) => {
                    let Some(paint) = demarche::render::gl_basemap::registered(ctx, callback)
                    else {
                        return Err("a paint callback that is not the map's basemap".to_owned());
                    };
                    basemap = paint.screen_mesh();
                    &basemap
                }
            };
            let texture = self
                .textures
                .get(&mesh.texture_id)
                .ok_or_else(|| format!("unknown texture {:?}", mesh.texture_id))?;
            // Scissor rectangle in whole pixels, as a GPU's.
            let clip = [
                ((clip_rect.min.x * ppp).round().max(0.0) as usize).min(w),
                ((clip_rect.min.y * ppp).round().max(0.0) as usize).min(h),
                ((clip_rect.max.x * ppp).round().max(0.0) as usize).min(w),
                ((clip_rect.max.y * ppp).round().max(0.0) as usize).min(h),
            ];
            for tri in mesh.indices.chunks_exact(3) {
                let v = [
                    mesh.vertices[tri[0] as usize],
                    mesh.vertices[tri[1] as usize],
                    mesh.vertices[tri[2] as usize],
                ];
                triangle(&mut frame, w, clip, &v, ppp, texture);
            }
        }
        let mut image = image::RgbaImage::new(w as u32, h as u32);
        for (out, p) in image.pixels_mut().zip(&frame) {
            // Premultiplied to straight alpha.
            let a = p[3];
            let c = |v: f32| {
                let v = if a > 0.0 { v / a } else { 0.0 };
                (v * 255.0).round().clamp(0.0, 255.0) as u8
            };
            *out = image::Rgba([c(p[0]), c(p[1]), c(p[2]), (a * 255.0).round() as u8]);
        }
        Ok(image)
    }
}

/// Premultiplied colour, 0..1.
fn rgba(c: Color32) -> [f32; 4] {
    let [r, g, b, a] = c.to_array();
    [r, g, b, a].map(|v| f32::from(v) / 255.0)
}

/// Bilinear sample of a premultiplied texture at `uv` (0..1), edges clamped.
fn sample(texture: &ColorImage, u: f32, v: f32) -> [f32; 4] {
    let [tw, th] = texture.size;
    let x = u * tw as f32 - 0.5;
    let y = v * th as f32 - 0.5;
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |xi: f32, yi: f32| {
        let xi = (xi as i64).clamp(0, tw as i64 - 1) as usize;
        let yi = (yi as i64).clamp(0, th as i64 - 1) as usize;
        rgba(texture.pixels[yi * tw + xi])
    };
    let (a, b, c, d) = (
        at(x0, y0),
        at(x0 + 1.0, y0),
        at(x0, y0 + 1.0),
        at(x0 + 1.0, y0 + 1.0),
    );
    std::array::from_fn(|i| {
        let top = a[i] + (b[i] - a[i]) * fx;
        let bottom = c[i] + (d[i] - c[i]) * fx;
        top + (bottom - top) * fy
    })
}

fn triangle(
    frame: &mut [[f32; 4]],
    w: usize,
    clip: [usize; 4],
    v: &[Vertex; 3],
    ppp: f32,
    texture: &ColorImage,
) {
    let p: [[f32; 2]; 3] = std::array::from_fn(|i| [v[i].pos.x * ppp, v[i].pos.y * ppp]);
    let area =
        (p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[1][1] - p[0][1]) * (p[2][0] - p[0][0]);
    if area == 0.0 || !area.is_finite() {
        return;
    }
    // Order the vertices so that the area is positive: then every edge function is positive inside.
    let (p, v) = if area < 0.0 {
        ([p[0], p[2], p[1]], [v[0], v[2], v[1]])
    } else {
        (p, *v)
    };
    let area = area.abs();
    let min_x = p
        .iter()
        .map(|q| q[0])
        .fold(f32::INFINITY, f32::min)
        .floor()
        .max(clip[0] as f32) as usize;
    let max_x = (p
        .iter()
        .map(|q| q[0])
        .fold(f32::NEG_INFINITY, f32::max)
        .ceil() as usize)
        .min(clip[2]);
    let min_y = p
        .iter()
        .map(|q| q[1])
        .fold(f32::INFINITY, f32::min)
        .floor()
        .max(clip[1] as f32) as usize;
    let max_y = (p
        .iter()
        .map(|q| q[1])
        .fold(f32::NEG_INFINITY, f32::max)
        .ceil() as usize)
        .min(clip[3]);
    let colors = [rgba(v[0].color), rgba(v[1].color), rgba(v[2].color)];
    let edge = |a: [f32; 2], b: [f32; 2], x: f32, y: f32| {
        (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0])
    };
    // A pixel centre exactly on an edge belongs to one triangle only: the edge is walked one way by each
    // of the two triangles that share it, and only one direction owns it (GPUs' top-left rule).
    let owns = |a: [f32; 2], b: [f32; 2]| {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        (dy == 0.0 && dx < 0.0) || dy > 0.0
    };
    let edges = [(p[1], p[2]), (p[2], p[0]), (p[0], p[1])];
    let owned = edges.map(|(a, b)| owns(a, b));
    for y in min_y..max_y {
        let cy = y as f32 + 0.5;
        for x in min_x..max_x {
            let cx = x as f32 + 0.5;
            let e = edges.map(|(a, b)| edge(a, b, cx, cy));
            let inside = (0..3).all(|i| e[i] > 0.0 || (e[i] == 0.0 && owned[i]));
            if !inside {
                continue;
            }
            // Edge i is opposite vertex i: its function, over the area, is vertex i's weight.
            let bary = e.map(|ei| ei / area);
            let color: [f32; 4] =
                std::array::from_fn(|c| (0..3).map(|i| bary[i] * colors[i][c]).sum());
            let u: f32 = (0..3).map(|i| bary[i] * v[i].uv.x).sum();
            let t: f32 = (0..3).map(|i| bary[i] * v[i].uv.y).sum();
            let tex = sample(texture, u, t);
            let src: [f32; 4] = std::array::from_fn(|c| color[c] * tex[c]);
            let dst = &mut frame[y * w + x];
            for c in 0..4 {
                dst[c] = src[c] + dst[c] * (1.0 - src[3]);
            }
        }
    }
}
