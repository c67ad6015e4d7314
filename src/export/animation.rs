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

use super::{ExportError, FrameSpec, Source, encode, output, scene};
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

    /// Where the pulses are in their beat at frame `i`: they beat at the window's pace in the animation's
    /// own time, whatever span of the scenario it covers.
    pub fn pulse_of(&self, i: usize) -> Option<f32> {
        Some(crate::scene::contacts::pulse_phase(
            i as f64 / f64::from(self.fps),
        ))
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
pub(super) struct Renderer<'a> {
    source: &'a Source,
    spec: &'a FrameSpec,
    camera: crate::geo_math::camera::Camera,
    typesetters: Mutex<Vec<Typesetter>>,
}

impl Renderer<'_> {
    pub(super) fn frame(&self, t: Timestamp, pulse: Option<f32>) -> Result<Pixmap, ExportError> {
        let pooled = self.typesetters.lock().map_or(None, |mut pool| pool.pop());
        let mut typesetter = pooled.unwrap_or_else(|| self.spec.typesetter());
        let scene = scene(
            self.source,
            self.spec,
            &self.camera,
            t,
            pulse,
            &mut typesetter,
        );
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
        AnimationFormat::Gif => output::write_atomic(path, |out| {
            encode::write_gif(&mut frames, width, height, out)
        }),
        AnimationFormat::Apng => output::write_atomic(path, |out| {
            encode::write_apng(&mut frames, width, height, spec.scale, out)
        }),
        AnimationFormat::PngFolder => write_folder(&mut frames, spec.scale, path),
    }
}

/// The frames in order, drawn a chunk at a time in parallel.
pub(super) struct Frames<'a> {
    renderer: &'a Renderer<'a>,
    pub(super) timeline: &'a Timeline,
    chunk: usize,
    next: usize,
    /// The last frame of the previous chunk.
    pub(super) previous: Option<Pixmap>,
    cancel: &'a AtomicBool,
    progress: &'a (dyn Fn(Progress) + Sync),
}

impl Frames<'_> {
    /// Draws frame `i` (outside the order, e.g. to learn a palette).
    pub(super) fn draw(&self, i: usize) -> Result<Pixmap, ExportError> {
        self.renderer
            .frame(self.timeline.time_of(i), self.timeline.pulse_of(i))
    }

    /// The next chunk: its first index and its frames; `None` at the end.
    pub(super) fn next_chunk(&mut self) -> Result<Option<(usize, Vec<Pixmap>)>, ExportError> {
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
                self.renderer
                    .frame(self.timeline.time_of(i), self.timeline.pulse_of(i))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.next = end;
        Ok(Some((start, frames)))
    }

    /// Reports the chunk written and keeps its last frame.
    pub(super) fn written(&mut self, mut frames: Vec<Pixmap>) -> Result<(), ExportError> {
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
        // Pulses beat in the animation's own seconds: a beat is 1.6 s, 48 frames at 30 fps.
        assert_eq!(t.pulse_of(0), Some(0.0));
        assert!((t.pulse_of(24).expect("a phase") - 0.5).abs() < 1e-6);
        assert!(t.pulse_of(48).expect("a phase") < 1e-6);
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
