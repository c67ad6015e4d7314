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
use super::{ExportError, FrameSpec, Source, encode, output};
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

/// Writes the animation to `path`: a GIF or an APNG file (atomically), or numbered PNGs in the folder
/// `path` (each atomically). `progress` is called as frames are written; setting `cancel` stops the export
/// soon after, with [`ExportError::Cancelled`] and no partial file.
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
