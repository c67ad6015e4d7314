//! Animations of a time range: frames drawn in parallel on every core, written in order as a GIF, an APNG
//! or numbered PNGs in a folder.
//!
//! Memory stays bounded: frames are drawn a chunk at a time (a few per core), written, and dropped. Only
//! the part of a frame that changed since the previous one is stored in a GIF or an APNG (the basemap does
//! not move, the contacts do), which keeps files small and writing fast.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::{SignedDuration, Timestamp};
use rayon::prelude::*;
use tiny_skia::Pixmap;

use super::{ExportError, FrameSpec, Source, output, scene};
use crate::render::png::encoder;
use crate::render::raster;
use crate::render::text::Typesetter;

/// The most frames an animation may have.
pub const MAX_FRAMES: usize = 100_000;
/// The frame rates allowed.
pub const FPS_RANGE: std::ops::RangeInclusive<u32> = 1..=120;
/// Frames drawn but not yet written take at most about this many bytes.
const CHUNK_BYTES: usize = 256 << 20;

/// Animation formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnimationFormat {
    Gif,
    Apng,
    /// `frame-00001.png`, `frame-00002.png`, ... in an existing folder.
    PngFolder,
}

impl AnimationFormat {
    /// The format an output path asks for: a folder (ends with `/`, or exists as one), `.gif` or `.apng`.
    pub fn from_path(path: &Path) -> Option<Self> {
        let text = path.as_os_str().to_string_lossy();
        if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || path.is_dir() {
            return Some(Self::PngFolder);
        }
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "gif" => Some(Self::Gif),
            "apng" => Some(Self::Apng),
            _ => None,
        }
    }
}

/// Which moments an animation shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub from: Timestamp,
    pub to: Timestamp,
    pub fps: u32,
    pub frames: usize,
}

impl Timeline {
    /// `fps` frames a second for `duration`, the first at `from` and the last at `to`.
    pub fn new(
        from: Timestamp,
        to: Timestamp,
        fps: u32,
        duration: SignedDuration,
    ) -> Result<Self, String> {
        if from > to {
            return Err(format!("--from {from} is after --to {to}"));
        }
        if !FPS_RANGE.contains(&fps) {
            return Err(format!(
                "--fps {fps} is out of range: {} to {} frames a second",
                FPS_RANGE.start(),
                FPS_RANGE.end()
            ));
        }
        if duration <= SignedDuration::ZERO {
            return Err(format!("--duration {duration:#} must be longer than zero"));
        }
        let frames = (duration.as_secs_f64() * f64::from(fps)).round().max(1.0);
        if frames > MAX_FRAMES as f64 {
            return Err(format!(
                "{frames} frames ({duration:#} at {fps} fps) are too many: at most {MAX_FRAMES}"
            ));
        }
        Ok(Self {
            from,
            to,
            fps,
            frames: frames as usize,
        })
    }

    /// The moment frame `i` shows (0-based).
    pub fn time_of(&self, i: usize) -> Timestamp {
        if self.frames <= 1 {
            return self.from;
        }
        let span = self.to.as_nanosecond() - self.from.as_nanosecond();
        let offset = span * i as i128 / (self.frames as i128 - 1);
        Timestamp::from_nanosecond(self.from.as_nanosecond() + offset).unwrap_or(self.to)
    }

    /// How long frame `i` stays, in hundredths of a second (GIF's unit): rounded so that the total stays
    /// exact (at 30 fps: 3, 3, 4, 3, 3, 4, ...).
    pub fn delay_cs(&self, i: usize) -> u16 {
        let at = |k: usize| (k as u64 * 100 + u64::from(self.fps) / 2) / u64::from(self.fps);
        (at(i + 1) - at(i)).min(u64::from(u16::MAX)) as u16
    }
}

/// How far an export has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Frames written.
    pub done: usize,
    pub total: usize,
}

/// Draws frames; keeps one typesetter per thread at work, reused across frames.
struct Renderer<'a> {
    source: &'a Source,
    spec: &'a FrameSpec,
    camera: crate::geo_math::camera::Camera,
    typesetters: Mutex<Vec<Typesetter>>,
}

impl Renderer<'_> {
    fn frame(&self, t: Timestamp) -> Result<Pixmap, ExportError> {
        let pooled = self.typesetters.lock().map_or(None, |mut pool| pool.pop());
        let mut typesetter = pooled.unwrap_or_else(|| self.spec.typesetter());
        let scene = scene(self.source, self.spec, &self.camera, t, &mut typesetter);
        let pixmap = raster::render(&scene, &mut typesetter);
        if let Ok(mut pool) = self.typesetters.lock() {
            pool.push(typesetter);
        }
        Ok(pixmap?)
    }
}

/// Writes the animation to `path`: a GIF or an APNG file (atomically), or numbered PNGs in the folder
/// `path` (each atomically). `progress` is called as frames are written; setting `cancel` stops the export
/// soon after, with [`ExportError::Cancelled`] and no partial file.
pub fn write_animation(
    source: &Source,
    spec: &FrameSpec,
    timeline: &Timeline,
    format: AnimationFormat,
    path: &Path,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<(), ExportError> {
    let (width, height) = raster::pixel_size(spec.size, spec.scale)?;
    let renderer = Renderer {
        source,
        spec,
        camera: spec.camera(source)?,
        typesetters: Mutex::new(Vec::new()),
    };
    let frame_bytes = width as usize * height as usize * 4;
    let chunk = (rayon::current_num_threads() * 2)
        .min(CHUNK_BYTES / frame_bytes.max(1))
        .max(1);
    let mut frames = Frames {
        renderer: &renderer,
        timeline,
        chunk,
        next: 0,
        previous: None,
        cancel,
        progress,
    };
    match format {
        AnimationFormat::Gif => {
            output::write_atomic(path, |out| write_gif(&mut frames, width, height, out))
        }
        AnimationFormat::Apng => output::write_atomic(path, |out| {
            write_apng(&mut frames, width, height, spec.scale, out)
        }),
        AnimationFormat::PngFolder => write_folder(&mut frames, spec.scale, path),
    }
}

/// The frames in order, drawn a chunk at a time in parallel.
struct Frames<'a> {
    renderer: &'a Renderer<'a>,
    timeline: &'a Timeline,
    chunk: usize,
    next: usize,
    /// The last frame of the previous chunk.
    previous: Option<Pixmap>,
    cancel: &'a AtomicBool,
    progress: &'a (dyn Fn(Progress) + Sync),
}

impl Frames<'_> {
    /// The next chunk: its first index and its frames; `None` at the end.
    fn next_chunk(&mut self) -> Result<Option<(usize, Vec<Pixmap>)>, ExportError> {
        let start = self.next;
        let end = (start + self.chunk).min(self.timeline.frames);
        if start >= end {
            return Ok(None);
        }
        let frames = (start..end)
            .into_par_iter()
            .map(|i| {
                if self.cancel.load(Ordering::Relaxed) {
                    return Err(ExportError::Cancelled);
                }
                self.renderer.frame(self.timeline.time_of(i))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.next = end;
        Ok(Some((start, frames)))
    }

    /// Reports the chunk written and keeps its last frame.
    fn written(&mut self, mut frames: Vec<Pixmap>) -> Result<(), ExportError> {
        (self.progress)(Progress {
            done: self.next,
            total: self.timeline.frames,
        });
        self.previous = frames.pop();
        if self.cancel.load(Ordering::Relaxed) {
            return Err(ExportError::Cancelled);
        }
        Ok(())
    }
}

/// A rectangle of pixels: x, y, width, height.
type PixelRect = (u32, u32, u32, u32);

/// The smallest rectangle holding every pixel that differs between two frames of the same size; a single
/// pixel when none does (a frame cannot be empty).
fn changed_rect(previous: &Pixmap, next: &Pixmap) -> PixelRect {
    let (w, h) = (next.width() as usize, next.height() as usize);
    fn row(p: &Pixmap, w: usize, y: usize) -> &[u8] {
        &p.data()[y * w * 4..(y + 1) * w * 4]
    }
    let Some(top) = (0..h).find(|&y| row(previous, w, y) != row(next, w, y)) else {
        return (0, 0, 1, 1);
    };
    let bottom = (top..h)
        .rev()
        .find(|&y| row(previous, w, y) != row(next, w, y))
        .unwrap_or(top);
    let (mut left, mut right) = (w, 0);
    for y in top..=bottom {
        let (a, b) = (row(previous, w, y), row(next, w, y));
        if a == b {
            continue;
        }
        let differs = |x: &usize| a[x * 4..x * 4 + 4] != b[x * 4..x * 4 + 4];
        if let Some(l) = (0..left.min(w)).find(differs) {
            left = l;
        }
        if let Some(r) = (right..w).rev().find(differs) {
            right = right.max(r);
        }
    }
    let right = right.max(left);
    (
        left as u32,
        top as u32,
        (right - left + 1) as u32,
        (bottom - top + 1) as u32,
    )
}

/// The pixels of a rectangle, straight RGBA.
fn crop_rgba(pixmap: &Pixmap, (x, y, w, h): PixelRect) -> Vec<u8> {
    let stride = pixmap.width() as usize;
    let mut out = Vec::with_capacity(w as usize * h as usize * 4);
    for row in y..y + h {
        let start = row as usize * stride + x as usize;
        for p in &pixmap.pixels()[start..start + w as usize] {
            let c = p.demultiply();
            out.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
    }
    out
}

/// GIF's palette for a whole animation: 255 colours learnt (NeuQuant) from frames spread over the time
/// range, and index 255 for "unchanged since the previous frame" (transparent). One palette for every frame
/// keeps colours from flickering; marking unchanged pixels lets LZW compress them to almost nothing.
struct GifPalette {
    quant: color_quant::NeuQuant,
    rgb: Vec<u8>,
}

/// The palette index that leaves a pixel as the previous frame had it.
const UNCHANGED: u8 = 255;

impl GifPalette {
    fn learn(samples: &[&Pixmap]) -> Self {
        let mut pixels = Vec::new();
        for pixmap in samples {
            pixels.extend(crop_rgba(pixmap, (0, 0, pixmap.width(), pixmap.height())));
        }
        let quant = color_quant::NeuQuant::new(10, usize::from(UNCHANGED), &pixels);
        let mut rgb = quant.color_map_rgb();
        rgb.resize(256 * 3, 0);
        Self { quant, rgb }
    }

    /// The frame's rectangle as palette indices; pixels equal in `before` (if given) are [`UNCHANGED`].
    fn indices(&self, pixmap: &Pixmap, before: Option<&Pixmap>, rect: PixelRect) -> Vec<u8> {
        // Maps have few colours: remember the last lookups (direct-mapped), NeuQuant's search is slow.
        const SLOTS: usize = 1 << 14;
        let mut cache: Vec<(u32, u8)> = vec![(u32::MAX, 0); SLOTS];
        let (x, y, w, h) = rect;
        let stride = pixmap.width() as usize;
        let mut out = Vec::with_capacity(w as usize * h as usize);
        for row in y as usize..(y + h) as usize {
            let start = row * stride + x as usize;
            let now = &pixmap.pixels()[start..start + w as usize];
            let was = before.map(|b| &b.pixels()[start..start + w as usize]);
            for (i, p) in now.iter().enumerate() {
                if was.is_some_and(|was| was[i] == *p) {
                    out.push(UNCHANGED);
                    continue;
                }
                let c = p.demultiply();
                let key = u32::from_le_bytes([c.red(), c.green(), c.blue(), c.alpha()]);
                let slot = (key.wrapping_mul(0x9E37_79B1) >> 18) as usize % SLOTS;
                if cache[slot].0 == key {
                    out.push(cache[slot].1);
                } else {
                    let index = self
                        .quant
                        .index_of(&[c.red(), c.green(), c.blue(), c.alpha()])
                        .min(usize::from(UNCHANGED) - 1) as u8;
                    cache[slot] = (key, index);
                    out.push(index);
                }
            }
        }
        out
    }
}

fn write_gif(
    frames: &mut Frames<'_>,
    width: u32,
    height: u32,
    out: &mut impl std::io::Write,
) -> Result<(), ExportError> {
    let (Ok(w16), Ok(h16)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(ExportError::Raster(raster::RasterError::BadSize {
            width,
            height,
        }));
    };
    let timeline = frames.timeline;
    let n = timeline.frames;
    // The palette is learnt from the first, middle and last frames.
    let samples = [0, n / 2, n - 1]
        .into_par_iter()
        .map(|i| frames.renderer.frame(timeline.time_of(i)))
        .collect::<Result<Vec<_>, _>>()?;
    let palette = GifPalette::learn(&samples.iter().collect::<Vec<_>>());
    drop(samples);
    let mut encoder = gif::Encoder::new(out, w16, h16, &palette.rgb)?;
    encoder.set_repeat(gif::Repeat::Infinite)?;
    while let Some((start, chunk)) = frames.next_chunk()? {
        let previous = frames.previous.as_ref();
        // Map to the palette and compress in parallel; write in order.
        let encoded: Vec<gif::Frame<'static>> = chunk
            .par_iter()
            .enumerate()
            .map(|(k, pixmap)| {
                let before = if k == 0 { previous } else { chunk.get(k - 1) };
                let rect = before.map_or((0, 0, width, height), |b| changed_rect(b, pixmap));
                // Sizes fit in u16: the frame's do, and the rectangle is inside it.
                let mut frame = gif::Frame {
                    left: rect.0 as u16,
                    top: rect.1 as u16,
                    width: rect.2 as u16,
                    height: rect.3 as u16,
                    buffer: palette.indices(pixmap, before, rect).into(),
                    transparent: before.map(|_| UNCHANGED),
                    delay: timeline.delay_cs(start + k),
                    dispose: gif::DisposalMethod::Keep,
                    ..gif::Frame::default()
                };
                frame.make_lzw_pre_encoded();
                frame
            })
            .collect();
        for frame in &encoded {
            encoder.write_lzw_pre_encoded_frame(frame)?;
        }
        frames.written(chunk)?;
    }
    encoder.into_inner()?;
    Ok(())
}

fn write_apng(
    frames: &mut Frames<'_>,
    width: u32,
    height: u32,
    scale: f32,
    out: &mut impl std::io::Write,
) -> Result<(), ExportError> {
    let timeline = frames.timeline;
    let Some((_, mut chunk)) = frames.next_chunk()? else {
        return Ok(());
    };
    let mut e = encoder(out, width, height, png::ColorType::Rgba, scale);
    e.set_animated(timeline.frames as u32, 0)?;
    let mut writer = e.write_header()?;
    loop {
        // The pixels of each frame's changed rectangle, unchanged ones transparent (drawn over the
        // previous frame, they leave it as it was, and compress to almost nothing).
        let rects: Vec<(PixelRect, Vec<u8>)> = chunk
            .par_iter()
            .enumerate()
            .map(|(k, pixmap)| {
                let before = if k == 0 {
                    frames.previous.as_ref()
                } else {
                    chunk.get(k - 1)
                };
                match before {
                    None => (
                        (0, 0, width, height),
                        crop_rgba(pixmap, (0, 0, width, height)),
                    ),
                    Some(b) => {
                        let rect = changed_rect(b, pixmap);
                        (rect, changed_rgba(b, pixmap, rect))
                    }
                }
            })
            .collect();
        for (rect, data) in &rects {
            writer.reset_frame_position()?;
            writer.set_frame_dimension(rect.2, rect.3)?;
            writer.set_frame_position(rect.0, rect.1)?;
            writer.set_frame_delay(1, timeline.fps as u16)?;
            writer.set_blend_op(png::BlendOp::Over)?;
            writer.set_dispose_op(png::DisposeOp::None)?;
            writer.write_image_data(data)?;
        }
        frames.written(chunk)?;
        match frames.next_chunk()? {
            Some((_, next)) => chunk = next,
            None => break,
        }
    }
    writer.finish()?;
    Ok(())
}

/// The straight RGBA pixels of a rectangle of `next`, transparent where `previous` has the same pixel
/// (the animated frames of both formats are drawn over the previous one). A changed pixel that is itself
/// not opaque cannot be drawn over the old one: the map is opaque, so this never happens.
fn changed_rgba(previous: &Pixmap, next: &Pixmap, (x, y, w, h): PixelRect) -> Vec<u8> {
    let stride = next.width() as usize;
    let mut out = Vec::with_capacity(w as usize * h as usize * 4);
    for row in y..y + h {
        let start = row as usize * stride + x as usize;
        let now = &next.pixels()[start..start + w as usize];
        let was = &previous.pixels()[start..start + w as usize];
        for (p, q) in now.iter().zip(was) {
            if p == q {
                out.extend_from_slice(&[0, 0, 0, 0]);
            } else {
                let c = p.demultiply();
                out.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            }
        }
    }
    out
}

/// The file name of frame `i` (0-based) in a folder: `frame-00001.png`.
pub fn frame_file_name(i: usize) -> String {
    format!("frame-{:05}.png", i + 1)
}

fn write_folder(frames: &mut Frames<'_>, scale: f32, dir: &Path) -> Result<(), ExportError> {
    while let Some((start, chunk)) = frames.next_chunk()? {
        chunk
            .par_iter()
            .enumerate()
            .map(|(k, pixmap)| {
                let path: PathBuf = dir.join(frame_file_name(start + k));
                output::write_atomic(&path, |out| {
                    crate::render::png::write_png(pixmap, scale, out).map_err(ExportError::from)
                })
            })
            .collect::<Result<Vec<()>, _>>()?;
        frames.written(chunk)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn frames_span_the_range_from_first_to_last() {
        let t = Timeline::new(
            ts("2026-01-30T00:00:00Z"),
            ts("2026-02-01T00:00:00Z"),
            30,
            SignedDuration::from_secs(10),
        )
        .expect("valid");
        assert_eq!(t.frames, 300);
        assert_eq!(t.time_of(0), ts("2026-01-30T00:00:00Z"));
        assert_eq!(t.time_of(299), ts("2026-02-01T00:00:00Z"));
        assert!(t.time_of(150) > ts("2026-01-31T00:00:00Z"));
    }

    #[test]
    fn gif_delays_add_up_to_the_duration() {
        let t = Timeline::new(
            ts("2026-01-30T00:00:00Z"),
            ts("2026-01-31T00:00:00Z"),
            30,
            SignedDuration::from_secs(10),
        )
        .expect("valid");
        let total: u32 = (0..t.frames).map(|i| u32::from(t.delay_cs(i))).sum();
        assert_eq!(total, 1000);
        assert!((0..t.frames).all(|i| (3..=4).contains(&t.delay_cs(i))));
    }

    #[test]
    fn bad_ranges_are_refused_with_the_reason() {
        let a = ts("2026-01-30T00:00:00Z");
        let b = ts("2026-01-31T00:00:00Z");
        let ten = SignedDuration::from_secs(10);
        assert!(
            Timeline::new(b, a, 30, ten)
                .expect_err("order")
                .contains("after")
        );
        assert!(
            Timeline::new(a, b, 0, ten)
                .expect_err("fps")
                .contains("--fps")
        );
        assert!(
            Timeline::new(a, b, 30, SignedDuration::ZERO)
                .expect_err("duration")
                .contains("--duration")
        );
        assert!(
            Timeline::new(a, b, 120, SignedDuration::from_hours(1))
                .expect_err("too many")
                .contains("too many")
        );
    }

    #[test]
    fn the_changed_rectangle_holds_every_change() {
        let mut a = Pixmap::new(20, 10).expect("pixmap");
        a.fill(tiny_skia::Color::WHITE);
        let mut b = a.clone();
        assert_eq!(changed_rect(&a, &b), (0, 0, 1, 1));
        b.pixels_mut()[3 * 20 + 5] = tiny_skia::PremultipliedColorU8::TRANSPARENT;
        b.pixels_mut()[7 * 20 + 12] = tiny_skia::PremultipliedColorU8::TRANSPARENT;
        b.pixels_mut()[5 * 20 + 2] = tiny_skia::PremultipliedColorU8::TRANSPARENT;
        assert_eq!(changed_rect(&a, &b), (2, 3, 11, 5));
    }

    #[test]
    fn output_paths_name_their_format() {
        assert_eq!(
            AnimationFormat::from_path(Path::new("a.GIF")),
            Some(AnimationFormat::Gif)
        );
        assert_eq!(
            AnimationFormat::from_path(Path::new("a.apng")),
            Some(AnimationFormat::Apng)
        );
        assert_eq!(
            AnimationFormat::from_path(Path::new("frames/")),
            Some(AnimationFormat::PngFolder)
        );
        assert_eq!(AnimationFormat::from_path(Path::new("a.mp4")), None);
        assert_eq!(frame_file_name(0), "frame-00001.png");
    }
}
