//! The frames of an animation: which moments they show ([`Timeline`]), and drawing them a chunk at a time
//! in parallel for the encoders ([`Frames`]), with the progress reported as chunks are written.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::{SignedDuration, Timestamp};
use rayon::prelude::*;
use tiny_skia::Pixmap;

use super::{ExportError, FrameSpec, Source, scene};
use crate::render::raster;
use crate::render::text::Typesetter;

/// How many frames, spread over an animation, its decorations' places are judged on.
const LAYOUT_SAMPLES: usize = 9;
/// The most frames an animation may have.
pub const MAX_FRAMES: usize = 100_000;
/// The frame rates allowed.
pub const FPS_RANGE: std::ops::RangeInclusive<u32> = 1..=120;
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
pub struct FrameProgress {
    /// Frames written.
    pub done: usize,
    pub total: usize,
}

/// Draws frames; keeps one typesetter per thread at work, reused across frames.
pub(super) struct Renderer<'a> {
    source: &'a Source,
    /// The spec, with the decorations' spots fixed for every frame.
    spec: FrameSpec,
    camera: crate::geo_math::camera::Camera,
    typesetters: Mutex<Vec<Typesetter>>,
}

impl<'a> Renderer<'a> {
    /// A renderer of `timeline`'s frames: the decorations go where they cover least of the map over
    /// the whole animation (judged on frames spread over it), the same place in every frame.
    pub(super) fn new(
        source: &'a Source,
        spec: &FrameSpec,
        timeline: &Timeline,
    ) -> Result<Self, ExportError> {
        let camera = spec.camera(source)?;
        let samples = timeline.frames.clamp(1, LAYOUT_SAMPLES);
        let times: Vec<Timestamp> = (0..samples)
            .map(|k| timeline.time_of(k * (timeline.frames - 1) / (samples - 1).max(1)))
            .collect();
        let mut typesetter = spec.typesetter();
        let spec = super::fixed_layout(source, spec, &camera, &times, &mut typesetter);
        Ok(Self {
            source,
            spec,
            camera,
            typesetters: Mutex::new(vec![typesetter]),
        })
    }

    pub(super) fn frame(&self, t: Timestamp, pulse: Option<f32>) -> Result<Pixmap, ExportError> {
        let pooled = self.typesetters.lock().map_or(None, |mut pool| pool.pop());
        let mut typesetter = pooled.unwrap_or_else(|| self.spec.typesetter());
        let scene = scene(
            self.source,
            &self.spec,
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

/// The frames in order, drawn a chunk at a time in parallel.
pub(super) struct Frames<'a> {
    renderer: &'a Renderer<'a>,
    pub(super) timeline: &'a Timeline,
    chunk: usize,
    next: usize,
    /// The last frame of the previous chunk.
    pub(super) previous: Option<Pixmap>,
    cancel: &'a AtomicBool,
    progress: &'a (dyn Fn(FrameProgress) + Sync),
}

impl<'a> Frames<'a> {
    /// The frames of `timeline`, drawn `chunk` at a time.
    pub(super) fn new(
        renderer: &'a Renderer<'a>,
        timeline: &'a Timeline,
        chunk: usize,
        cancel: &'a AtomicBool,
        progress: &'a (dyn Fn(FrameProgress) + Sync),
    ) -> Self {
        Self {
            renderer,
            timeline,
            chunk,
            next: 0,
            previous: None,
            cancel,
            progress,
        }
    }

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

    /// How many frames were written: every chunk before the one being drawn.
    pub(super) fn done(&self) -> usize {
        self.next
    }

    /// Reports the chunk written and keeps its last frame.
    pub(super) fn written(&mut self, mut frames: Vec<Pixmap>) -> Result<(), ExportError> {
        (self.progress)(FrameProgress {
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
}
