//! The basemap on the GPU (OpenGL, through egui's `glow` backend): each layer's [`WorldMesh`] is uploaded
//! once into a vertex and an index buffer, and every frame draws the runs in view with the camera as a
//! uniform (an egui paint callback), so that egui neither scans, copies nor uploads the basemap's hundreds
//! of thousands of vertices each frame. The vertex shader does [`ScreenTransform::screen`]'s arithmetic.
//!
//! OpenGL calls are `unsafe` (glow is a thin binding): this module is the one place that makes them.
//! What it needs from the driver is GLSL 1.40 or GLSL ES 3.00 and vertex array objects (OpenGL 3.1, or ES 3);
//! without them, or if a shader does not build, it says so once ([`GlBasemap::failed`]) and the map draws
//! the same mesh through egui instead.
#![allow(unsafe_code)]

use std::sync::{Arc, Mutex, Weak};

use eframe::egui_glow;
use eframe::glow::{self, HasContext as _};

use super::basemap_mesh::{BasemapPaint, MeshKey, WorldVertex};

const VERTEX_SHADER: &str = r"
uniform vec2 u_center_hi;
uniform vec2 u_center_lo;
uniform float u_scale;
uniform vec2 u_origin;
uniform float u_pixels_per_point;
uniform vec2 u_viewport_min_px;
uniform vec2 u_viewport_size_px;
in vec2 a_hi;
in vec2 a_lo;
in vec2 a_offset;
in vec4 a_color;
out vec4 v_color;
void main() {
    vec2 d = (a_hi - u_center_hi) + (a_lo - u_center_lo);
    vec2 p = vec2(u_origin.x + d.x * u_scale + a_offset.x, u_origin.y - d.y * u_scale + a_offset.y);
    vec2 px = p * u_pixels_per_point - u_viewport_min_px;
    gl_Position = vec4(
        2.0 * px.x / u_viewport_size_px.x - 1.0,
        1.0 - 2.0 * px.y / u_viewport_size_px.y,
        0.0,
        1.0);
    v_color = a_color;
}
";

const FRAGMENT_SHADER: &str = r"
in vec4 v_color;
out vec4 f_color;
void main() {
    f_color = v_color;
}
";

/// The attributes' locations, bound before linking.
const ATTRIBUTES: [(&str, u32); 4] = [("a_hi", 0), ("a_lo", 1), ("a_offset", 2), ("a_color", 3)];

/// A mesh in GPU buffers.
struct Upload {
    key: MeshKey,
    vertices: glow::Buffer,
    indices: glow::Buffer,
    /// The frame it was last drawn in.
    used: u64,
}

/// Uploads kept beyond those of the current frame (the previous zoom level of a layer or two).
const SPARE_UPLOADS: usize = 2;

struct Program {
    program: glow::Program,
    vao: glow::VertexArray,
    uniforms: Uniforms,
}

struct Uniforms {
    center_hi: Option<glow::UniformLocation>,
    center_lo: Option<glow::UniformLocation>,
    scale: Option<glow::UniformLocation>,
    origin: Option<glow::UniformLocation>,
    pixels_per_point: Option<glow::UniformLocation>,
    viewport_min_px: Option<glow::UniformLocation>,
    viewport_size_px: Option<glow::UniformLocation>,
}

/// The GL side of the map's basemap: program and buffers, made on first use inside a paint callback (where
/// the context is current) and deleted by [`GlBasemap::destroy`] when the app exits.
#[derive(Default)]
pub struct GlBasemap {
    program: Option<Program>,
    uploads: Vec<Upload>,
    frame: u64,
    /// Why the GPU path cannot be used here, once it failed.
    failed: Option<String>,
    /// Vertices uploaded so far and frames drawn (for tests and logs).
    stats: GlStats,
}

/// What the GPU basemap has done so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GlStats {
    pub uploads: u64,
    pub vertices_uploaded: u64,
    pub frames_drawn: u64,
    pub draw_calls: u64,
}

impl std::fmt::Debug for GlBasemap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlBasemap")
            .field("ready", &self.program.is_some())
            .field("uploads", &self.uploads.len())
            .field("failed", &self.failed)
            .field("stats", &self.stats)
            .finish()
    }
}

impl GlBasemap {
    /// Why the basemap cannot be drawn on the GPU, if it was tried and failed.
    pub fn failed(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    pub fn stats(&self) -> GlStats {
        self.stats
    }

    /// Draws `paint` into the callback's viewport; the first time, builds the program, and a mesh not
    /// uploaded yet is uploaded. On failure, records why and draws nothing (the next frame draws through
    /// egui).
    pub fn paint(
        &mut self,
        gl: &glow::Context,
        info: &egui::PaintCallbackInfo,
        paint: &BasemapPaint,
    ) {
        if self.failed.is_some() {
            return;
        }
        if self.program.is_none() {
            match build_program(gl) {
                Ok(program) => self.program = Some(program),
                Err(why) => {
                    log::warn!("the basemap is drawn without the GPU's help: {why}");
                    self.failed = Some(why);
                    return;
                }
            }
        }
        self.frame += 1;
        let frame = self.frame;
        let Some(program) = &self.program else {
            return;
        };
        let viewport = info.viewport_in_pixels();
        let t = &paint.transform;
        // SAFETY: called from egui_glow's paint callback, with `gl` current; the program, its uniforms and
        // its vertex array were made on this context.
        unsafe {
            gl.use_program(Some(program.program));
            let u = &program.uniforms;
            gl.uniform_2_f32(u.center_hi.as_ref(), t.center_hi[0], t.center_hi[1]);
            gl.uniform_2_f32(u.center_lo.as_ref(), t.center_lo[0], t.center_lo[1]);
            gl.uniform_1_f32(u.scale.as_ref(), t.scale);
            gl.uniform_2_f32(u.origin.as_ref(), t.origin[0], t.origin[1]);
            gl.uniform_1_f32(u.pixels_per_point.as_ref(), info.pixels_per_point);
            gl.uniform_2_f32(
                u.viewport_min_px.as_ref(),
                viewport.left_px as f32,
                viewport.top_px as f32,
            );
            gl.uniform_2_f32(
                u.viewport_size_px.as_ref(),
                viewport.width_px.max(1) as f32,
                viewport.height_px.max(1) as f32,
            );
            gl.bind_vertex_array(Some(program.vao));
        }
        for layer in &paint.layers {
            if layer.runs.is_empty() {
                continue;
            }
            let at = match self.uploads.iter().position(|u| u.key == layer.key) {
                Some(at) => at,
                None => match upload(gl, layer.key.clone(), &layer.mesh) {
                    Ok(made) => {
                        self.stats.uploads += 1;
                        self.stats.vertices_uploaded += layer.mesh.vertices.len() as u64;
                        self.uploads.push(made);
                        self.uploads.len() - 1
                    }
                    Err(why) => {
                        log::warn!("the basemap could not be uploaded to the GPU: {why}");
                        self.failed = Some(why);
                        break;
                    }
                },
            };
            let upload = &mut self.uploads[at];
            upload.used = frame;
            // SAFETY: as above; the buffers were made on this context and hold `layer.mesh` whole, so every
            // run's indices are within them.
            unsafe {
                gl.bind_buffer(glow::ARRAY_BUFFER, Some(upload.vertices));
                set_attributes(gl);
                gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(upload.indices));
                for run in &layer.runs {
                    gl.draw_elements(
                        glow::TRIANGLES,
                        (run.indices.end - run.indices.start) as i32,
                        glow::UNSIGNED_INT,
                        (run.indices.start as usize * std::mem::size_of::<u32>()) as i32,
                    );
                    self.stats.draw_calls += 1;
                }
            }
        }
        // SAFETY: as above; unbinding restores what egui_glow expects to rebind after a callback.
        unsafe {
            gl.bind_vertex_array(None);
            gl.bind_buffer(glow::ARRAY_BUFFER, None);
        }
        self.stats.frames_drawn += 1;
        self.evict(gl, paint.layers.len() + SPARE_UPLOADS);
    }

    /// Deletes the uploads not drawn in this frame beyond `keep` in all, least recently drawn first, and
    /// those whose layer is gone.
    fn evict(&mut self, gl: &glow::Context, keep: usize) {
        self.uploads.sort_by_key(|u| u.used);
        let excess = self.uploads.len().saturating_sub(keep);
        let frame = self.frame;
        let mut dropped = 0;
        self.uploads.retain(|u| {
            let stale = u.used != frame && (dropped < excess || !u.key.layer_alive());
            if stale {
                dropped += 1;
                // SAFETY: the buffers were made on this context, which is current.
                unsafe {
                    gl.delete_buffer(u.vertices);
                    gl.delete_buffer(u.indices);
                }
            }
            !stale
        });
    }

    /// Deletes the program and the buffers (call with the context current, e.g. from `App::on_exit`).
    pub fn destroy(&mut self, gl: &glow::Context) {
        // SAFETY: everything was made on this context, which the caller has current.
        unsafe {
            for u in self.uploads.drain(..) {
                gl.delete_buffer(u.vertices);
                gl.delete_buffer(u.indices);
            }
            if let Some(p) = self.program.take() {
                gl.delete_vertex_array(p.vao);
                gl.delete_program(p.program);
            }
        }
    }

    /// Whether GL objects are still held (not destroyed).
    pub fn holds_gl_objects(&self) -> bool {
        self.program.is_some() || !self.uploads.is_empty()
    }
}

impl Drop for GlBasemap {
    fn drop(&mut self) {
        if self.holds_gl_objects() {
            log::warn!("the GPU basemap was dropped without GlBasemap::destroy: its buffers leak");
        }
    }
}

/// Points the vertex array's attributes at the bound vertex buffer.
///
/// # Safety
/// `gl` must be current with a vertex array and an `ARRAY_BUFFER` of [`WorldVertex`] bound.
unsafe fn set_attributes(gl: &glow::Context) {
    let stride = std::mem::size_of::<WorldVertex>() as i32;
    let float = std::mem::size_of::<f32>() as i32;
    // SAFETY: per this function's contract.
    unsafe {
        for (location, size, offset) in [(0, 2, 0), (1, 2, 2 * float), (2, 2, 4 * float)] {
            gl.vertex_attrib_pointer_f32(location, size, glow::FLOAT, false, stride, offset);
            gl.enable_vertex_attrib_array(location);
        }
        gl.vertex_attrib_pointer_f32(3, 4, glow::UNSIGNED_BYTE, true, stride, 6 * float);
        gl.enable_vertex_attrib_array(3);
    }
}

fn build_program(gl: &glow::Context) -> Result<Program, String> {
    let version = egui_glow::ShaderVersion::get(gl);
    if !version.is_new_shader_interface() {
        return Err(format!(
            "the GL context offers {version:?} shaders; GLSL 1.40 or ES 3.00 is needed"
        ));
    }
    let header = format!("{}precision highp float;\n", version.version_declaration());
    // `precision` is for GLSL ES; desktop GLSL 1.40 accepts it and ignores it.
    // SAFETY: `gl` is current (this runs inside egui_glow's paint callback); every object made here is
    // deleted on failure, or kept in the returned program.
    unsafe {
        let program = gl.create_program()?;
        let mut shaders = Vec::new();
        for (kind, source) in [
            (glow::VERTEX_SHADER, VERTEX_SHADER),
            (glow::FRAGMENT_SHADER, FRAGMENT_SHADER),
        ] {
            let shader = gl.create_shader(kind)?;
            gl.shader_source(shader, &format!("{header}{source}"));
            gl.compile_shader(shader);
            if !gl.get_shader_compile_status(shader) {
                let log = gl.get_shader_info_log(shader);
                gl.delete_shader(shader);
                for s in shaders {
                    gl.delete_shader(s);
                }
                gl.delete_program(program);
                return Err(format!("a basemap shader does not compile: {log}"));
            }
            gl.attach_shader(program, shader);
            shaders.push(shader);
        }
        for (name, location) in ATTRIBUTES {
            gl.bind_attrib_location(program, location, name);
        }
        gl.link_program(program);
        for s in shaders {
            gl.detach_shader(program, s);
            gl.delete_shader(s);
        }
        if !gl.get_program_link_status(program) {
            let log = gl.get_program_info_log(program);
            gl.delete_program(program);
            return Err(format!("the basemap's shaders do not link: {log}"));
        }
        let vao = match gl.create_vertex_array() {
            Ok(vao) => vao,
            Err(why) => {
                gl.delete_program(program);
                return Err(why);
            }
        };
        let at = |name: &str| gl.get_uniform_location(program, name);
        let uniforms = Uniforms {
            center_hi: at("u_center_hi"),
            center_lo: at("u_center_lo"),
            scale: at("u_scale"),
            origin: at("u_origin"),
            pixels_per_point: at("u_pixels_per_point"),
            viewport_min_px: at("u_viewport_min_px"),
            viewport_size_px: at("u_viewport_size_px"),
        };
        Ok(Program {
            program,
            vao,
            uniforms,
        })
    }
}

fn upload(
    gl: &glow::Context,
    key: MeshKey,
    mesh: &super::basemap_mesh::WorldMesh,
) -> Result<Upload, String> {
    // SAFETY: `gl` is current (inside egui_glow's paint callback); the data are plain bytes (`Pod`).
    unsafe {
        let vertices = gl.create_buffer()?;
        let indices = match gl.create_buffer() {
            Ok(b) => b,
            Err(why) => {
                gl.delete_buffer(vertices);
                return Err(why);
            }
        };
        gl.bind_buffer(glow::ARRAY_BUFFER, Some(vertices));
        gl.buffer_data_u8_slice(
            glow::ARRAY_BUFFER,
            bytemuck::cast_slice(&mesh.vertices),
            glow::STATIC_DRAW,
        );
        gl.bind_buffer(glow::ARRAY_BUFFER, None);
        gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(indices));
        gl.buffer_data_u8_slice(
            glow::ELEMENT_ARRAY_BUFFER,
            bytemuck::cast_slice(&mesh.indices),
            glow::STATIC_DRAW,
        );
        Ok(Upload {
            key,
            vertices,
            indices,
            used: 0,
        })
    }
}

/// The paint callback that draws `paint` with `gl_basemap`; `wake` asks for another frame if the GPU
/// path fails (that frame draws through egui). The paint is registered in `ctx` for renderers that are
/// not OpenGL (the tests' CPU renderer, see [`registered`]).
pub fn callback(
    ctx: &egui::Context,
    rect: egui::Rect,
    paint: Arc<BasemapPaint>,
    gl_basemap: Arc<Mutex<GlBasemap>>,
) -> egui::PaintCallback {
    let wake = ctx.clone();
    let drawn = Arc::clone(&paint);
    let callback = Arc::new(egui_glow::CallbackFn::new(move |info, painter| {
        let Ok(mut gl_basemap) = gl_basemap.lock() else {
            return;
        };
        gl_basemap.paint(painter.gl(), &info, &drawn);
        if gl_basemap.failed().is_some() {
            wake.request_repaint();
        }
    }));
    register(ctx, &callback, &paint);
    egui::PaintCallback { rect, callback }
}

/// The paints of the callbacks made lately, by the callback's address (kept weakly: a paint lives as long
/// as its callback).
#[derive(Clone, Default)]
struct Registry(Vec<(usize, Weak<BasemapPaint>)>);

fn registry_id() -> egui::Id {
    egui::Id::unique("demarche-basemap-paints")
}

fn address<T: ?Sized>(callback: &Arc<T>) -> usize {
    Arc::as_ptr(callback).cast::<()>() as usize
}

fn register(ctx: &egui::Context, callback: &Arc<egui_glow::CallbackFn>, paint: &Arc<BasemapPaint>) {
    ctx.data_mut(|d| {
        let registry = d.get_temp_mut_or_default::<Registry>(registry_id());
        let at = address(callback);
        registry.0.retain(|(a, p)| *a != at && p.strong_count() > 0);
        registry.0.push((at, Arc::downgrade(paint)));
    });
}

/// The basemap a paint callback of this module draws, for a renderer that cannot run GL callbacks (the
/// tests' CPU renderer draws [`BasemapPaint::screen_mesh`] in its place: what the GPU draws).
pub fn registered(
    ctx: &egui::Context,
    callback: &egui::PaintCallback,
) -> Option<Arc<BasemapPaint>> {
    let at = address(&callback.callback);
    ctx.data(|d| {
        d.get_temp::<Registry>(registry_id()).and_then(|r| {
            r.0.iter()
                .find(|(a, _)| *a == at)
                .and_then(|(_, p)| p.upgrade())
        })
    })
}
