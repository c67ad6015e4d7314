//! Animations of a time range: frames drawn in parallel on every core, written in order as a GIF, an APNG
//! or numbered PNGs in a folder.
//!
//! Memory stays bounded: frames are drawn a chunk at a time (a few per core), written, and dropped. Only
//! the part of a frame that changed since the previous one is stored in a GIF or an APNG (the basemap does
//! not move, the contacts do), which keeps files small and writing fast.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rayon::prelude::*;

pub use super::frames::{FPS_RANGE, FrameProgress, MAX_FRAMES, Timeline};
use super::frames::{Frames, Renderer};
use super::{ExportError, FrameSpec, Source, encode, leftovers, output};
use crate::render::raster;

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
    /// The format an output path asks for, by how it is written, never by what is on disk: a folder when
    /// it ends with `/`, else `.gif` or `.apng` by its extension (an existing folder named `x.gif` is not
    /// taken for a folder of frames: the export refuses it, see [`super::command`]).
    pub fn from_path(path: &Path) -> Option<Self> {
        if ends_with_separator(path) {
            return Some(Self::PngFolder);
        }
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "gif" => Some(Self::Gif),
            "apng" => Some(Self::Apng),
            _ => None,
        }
    }
}

/// Whether `path` is written with a trailing `/` (or the platform's separator).
pub fn ends_with_separator(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)
}

/// Writes the animation to `path`: a GIF or an APNG file (atomically), or numbered PNGs in the folder
/// `path` (each atomically). `progress` is called as frames are written; setting `cancel` stops the export
/// soon after, with [`ExportError::Cancelled`] and no partial file, or for a folder
/// [`ExportError::FramesCancelled`], which says how many whole frames were written (they are kept).
/// Temporaries that killed exports left in the folder written to are removed ([`super::leftovers`]).
pub fn write_animation(
    source: &Source,
    spec: &FrameSpec,
    timeline: &Timeline,
    format: AnimationFormat,
    path: &Path,
    progress: &(dyn Fn(FrameProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<(), ExportError> {
    let (width, height) = raster::pixel_size(spec.size, spec.scale)?;
    let renderer = Renderer::new(source, spec, timeline)?;
    let frame_bytes = width as usize * height as usize * 4;
    let chunk = (rayon::current_num_threads() * 2)
        .min(CHUNK_BYTES / frame_bytes.max(1))
        .max(1);
    let mut frames = Frames::new(&renderer, timeline, chunk, cancel, progress);
    match format {
        AnimationFormat::PngFolder => leftovers::remove_stale_parts(path),
        AnimationFormat::Gif | AnimationFormat::Apng => leftovers::remove_stale_parts_beside(path),
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

/// The file name of frame `i` (0-based) in a folder: `frame-00001.png`.
pub fn frame_file_name(i: usize) -> String {
    format!("frame-{:05}.png", i + 1)
}

/// Writes the frames into `dir`; when cancelled, says how many were written (whole, in order from the
/// first: a chunk is written in full before the next is drawn).
fn write_folder(frames: &mut Frames<'_>, scale: f32, dir: &Path) -> Result<(), ExportError> {
    write_frames(frames, scale, dir).map_err(|err| match err {
        ExportError::Cancelled => ExportError::FramesCancelled {
            dir: dir.to_owned(),
            written: frames.done(),
            total: frames.timeline.frames,
        },
        other => other,
    })
}

fn write_frames(frames: &mut Frames<'_>, scale: f32, dir: &Path) -> Result<(), ExportError> {
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
        // What is on disk does not choose the format: only the trailing `/` does.
        let dir = tempfile::tempdir().expect("tempdir");
        let gif = dir.path().join("x.gif");
        std::fs::create_dir(&gif).expect("mkdir");
        assert_eq!(AnimationFormat::from_path(&gif), Some(AnimationFormat::Gif));
        assert_eq!(AnimationFormat::from_path(dir.path()), None);
        assert_eq!(AnimationFormat::from_path(Path::new("a.mp4")), None);
        assert_eq!(frame_file_name(0), "frame-00001.png");
    }
}
