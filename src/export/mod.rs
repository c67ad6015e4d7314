//! Exports of the map: snapshots (PNG, SVG) and animations (GIF, APNG, numbered PNGs), from the same scene
//! the window paints, with no window, GPU or display.
//!
//! A library API first: [`Source`] (what is drawn) and [`FrameSpec`] (how) make a [`Scene`] for a moment;
//! [`write_snapshot`] and [`animation::write_animation`] write files atomically. The command line
//! (`demarche export`, [`command`]) and the app both call these; an animation reports progress through a
//! callback and stops when its cancel flag is set, so the app can run it on a background thread.

pub mod animation;
pub mod command;
pub mod decorations;
mod encode;
mod frames;
pub mod output;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;

use crate::basemap::prepare::PreparedLayer;
use crate::geo_math::camera::{Camera, ScreenRect};
use crate::geo_math::projection::Projection;
/// The stamp is the scenario's (read with it by [`crate::io::scenario::read_file_with_stamp`]).
pub use crate::io::scenario::Stamp;
use crate::model::{ContactId, Scenario};
use crate::render::raster::{self, RasterError};
use crate::render::text::Typesetter;
use crate::render::{png as png_out, svg};
use crate::scene::map::{MapInputs, build};
use crate::scene::style::ThemeKind;
use crate::scene::{Scene, Theme, view};
pub use command::ExportRequest;
pub use decorations::Zone;

/// Everything a picture is drawn from; shared by the threads of an animation.
#[derive(Clone, Debug)]
pub struct Source {
    pub scenario: Scenario,
    /// The scenario's contacts in time order ([`Scenario::chronological`]).
    pub order: Vec<ContactId>,
    /// Map layers, bottom first, prepared for `projection`.
    pub basemap: Vec<Arc<PreparedLayer>>,
    pub projection: Projection,
    pub stamp: Stamp,
}

/// Which part of the world is shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum View {
    /// The scenario fitted as the window fits it.
    Fit,
    /// A box in degrees: west, south, east, north.
    BBox([f64; 4]),
    /// A centre in degrees and a web-map zoom level.
    Center { lon: f64, lat: f64, zoom: f64 },
    /// A camera as the window has it (centre and scale), resized to the picture.
    Camera(Camera),
}

/// How a picture is drawn.
#[derive(Clone, Debug)]
pub struct FrameSpec {
    /// Width and height in points.
    pub size: [f32; 2],
    /// Pixels per point of a PNG (an SVG keeps points and is `scale` times larger on screen).
    pub scale: f32,
    pub view: View,
    pub theme: ThemeKind,
    /// Title, date and stamp over the map (see [`decorations`]).
    pub decorations: bool,
    pub title: String,
    /// The zone the date is written in.
    pub zone: Zone,
    /// How long contacts stay, fading, after they end (the window's trail).
    pub trail: jiff::SignedDuration,
}

/// Snapshot file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotFormat {
    Png,
    Svg,
}

impl SnapshotFormat {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Self::Png),
            "svg" => Some(Self::Svg),
            _ => None,
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Raster(#[from] RasterError),
    #[error("the view cannot be shown: {0}")]
    View(String),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] png::EncodingError),
    #[error("cannot encode the GIF: {0}")]
    Gif(#[from] gif::EncodingError),
    #[error("the export was cancelled")]
    Cancelled,
}

impl FrameSpec {
    /// The map's viewport, in points.
    pub fn viewport(&self) -> ScreenRect {
        ScreenRect::from_size(self.size[0], self.size[1])
    }

    /// The camera of the picture.
    pub fn camera(&self, source: &Source) -> Result<Camera, ExportError> {
        self.camera_for(&source.projection, &source.scenario)
    }

    /// The camera of the picture of `scenario` in `projection` (the basemap plays no part).
    pub fn camera_for(
        &self,
        projection: &Projection,
        scenario: &Scenario,
    ) -> Result<Camera, ExportError> {
        let viewport = self.viewport();
        let p = projection;
        match self.view {
            View::Fit => Ok(view::fitted_camera(p, scenario, viewport)),
            View::BBox(b) => view::bbox_camera(p, b, viewport).ok_or_else(|| {
                ExportError::View(format!(
                    "no part of the box {},{},{},{} can be projected",
                    b[0], b[1], b[2], b[3]
                ))
            }),
            View::Center { lon, lat, zoom } => view::zoom_camera(p, lon, lat, zoom, viewport)
                .ok_or_else(|| {
                    ExportError::View(format!("the centre {lon},{lat} cannot be projected"))
                }),
            View::Camera(camera) => Ok(camera.with_viewport(viewport)),
        }
    }

    /// A typesetter for this spec's scale and theme.
    pub fn typesetter(&self) -> Typesetter {
        Typesetter::new(self.scale, self.theme)
    }
}

/// The scene of the picture at `time`: the map as the window builds it, and the decorations. `pulse` is
/// where the pulses are in their beat (an animation's frames); a snapshot draws them at rest (`None`).
pub fn scene(
    source: &Source,
    spec: &FrameSpec,
    camera: &Camera,
    time: Timestamp,
    pulse: Option<f32>,
    typesetter: &mut Typesetter,
) -> Scene {
    let theme = Theme::of(spec.theme);
    let mut scene = build(&MapInputs {
        projection: &source.projection,
        camera,
        theme: &theme,
        scenario: Some(&source.scenario),
        order: &source.order,
        basemap: &source.basemap,
        time: Some(time),
        trail: spec.trail,
        pulse,
        selection: None,
    });
    if spec.decorations {
        let d = decorations::Decorations {
            title: &spec.title,
            time,
            zone: &spec.zone,
            stamp: &source.stamp,
        };
        let mut measure = |text: &str, size: f32| {
            typesetter
                .place(
                    [0.0, 0.0],
                    text,
                    size,
                    theme.text,
                    crate::scene::Anchor::Center,
                )
                .galley
                .size()
                .x
        };
        scene.layers.extend(decorations::layers(
            &d,
            camera.viewport,
            &theme,
            &mut measure,
        ));
    }
    scene
}

/// The snapshot at `time` as the bytes of a file.
pub fn snapshot_bytes(
    source: &Source,
    spec: &FrameSpec,
    time: Timestamp,
    format: SnapshotFormat,
) -> Result<Vec<u8>, ExportError> {
    let camera = spec.camera(source)?;
    let mut typesetter = spec.typesetter();
    let scene = scene(source, spec, &camera, time, None, &mut typesetter);
    match format {
        SnapshotFormat::Png => {
            let pixmap = raster::render(&scene, &mut typesetter)?;
            let mut bytes = Vec::with_capacity(pixmap.data().len() / 4);
            png_out::write_png(&pixmap, spec.scale, &mut bytes)?;
            Ok(bytes)
        }
        SnapshotFormat::Svg => {
            raster::pixel_size(scene.size, spec.scale)?;
            Ok(svg::to_svg(&scene, &spec.title, spec.scale, &mut typesetter).into_bytes())
        }
    }
}

/// Writes the snapshot at `time` to `path`, atomically: a failure leaves no file and no temporary behind.
/// When `cancel` is set before the file is written, nothing is written and [`ExportError::Cancelled`] is
/// returned.
pub fn write_snapshot(
    source: &Source,
    spec: &FrameSpec,
    time: Timestamp,
    format: SnapshotFormat,
    path: &Path,
    cancel: &AtomicBool,
) -> Result<(), ExportError> {
    let bytes = snapshot_bytes(source, spec, time, format)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(ExportError::Cancelled);
    }
    output::write_atomic(path, |w| {
        std::io::Write::write_all(w, &bytes).map_err(|source| ExportError::Io {
            path: path.to_owned(),
            source,
        })
    })
}
