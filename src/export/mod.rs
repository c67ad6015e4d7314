//! Exports of the map: snapshots (PNG, SVG) and animations (GIF, APNG, numbered PNGs), from the same scene
//! the window paints, with no window, GPU or display.
//!
//! A library API first: [`Source`] (what is drawn) and [`FrameSpec`] (how) make a [`Scene`] for a moment;
//! [`write_snapshot`] and [`animation::write_animation`] write files atomically. The command line
//! (`demarche export`, [`command`]) and the app both call these; an animation reports progress through a
//! callback and stops when its cancel flag is set, so the app can run it on a background thread.

pub mod animation;
pub mod args;
pub mod command;
pub mod decorations;
mod encode;
mod frames;
pub mod layout;
pub mod leftovers;
pub mod output;
mod target_checks;

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
use crate::scene::map::{MapInputs, build, build_over_ground, build_reserving, layers_on_top};
use crate::scene::style::ThemeKind;
use crate::scene::{Anchor, Rgba, Scene, Theme, view};
pub use command::ExportRequest;
pub use decorations::Zone;
pub use layout::{Layout, Place, Spot};

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
    /// What was reported after this moment is marked new.
    pub new_since: Option<Timestamp>,
    /// The replay of knowledge: each frame shows `scenario` as it was known at the frame's own time (the
    /// as-of clock follows the event clock), and its stamp says both.
    pub replay: bool,
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
    /// The picture's decorations (see [`decorations`]): the title and date, the stamp, and the map's
    /// legend, scale bar and credit put where they cover least of the map, as `layout` says. `false`
    /// draws the map exactly as the window does (its legend, scale bar and credit where it puts them).
    pub decorations: bool,
    /// Which decorations are shown, and where.
    pub layout: Layout,
    pub title: String,
    /// The zone the date is written in.
    pub zone: Zone,
    /// How long contacts stay, fading, after they end (the window's trail).
    pub trail: jiff::SignedDuration,
    /// How an SVG writes its labels: text with a font stack, text with embedded fonts, or outlines.
    pub svg_text: svg::SvgText,
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
    /// Numbered PNGs stopped part-way: the frames written are whole and kept.
    #[error("{}", frames_cancelled(dir, *written, *total))]
    FramesCancelled {
        dir: PathBuf,
        /// Frames written, from the first: `frame-00001.png` to this one.
        written: usize,
        total: usize,
    },
}

/// What a cancelled export of numbered PNGs left: which frames, where, and that the set is incomplete.
fn frames_cancelled(dir: &Path, written: usize, total: usize) -> String {
    let dir = dir.display();
    match written {
        0 => format!(
            "the export was cancelled before any of its {total} frames was written to {dir}"
        ),
        1 => format!(
            "the export was cancelled after 1 of {total} frames: {} is in {dir}, an incomplete set",
            animation::frame_file_name(0)
        ),
        n => format!(
            "the export was cancelled after {n} of {total} frames: {} to {} are in {dir}, an incomplete set",
            animation::frame_file_name(0),
            animation::frame_file_name(n - 1)
        ),
    }
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
        self.camera_measured(projection, scenario, &mut self.typesetter())
    }

    /// [`FrameSpec::camera_for`], a fitted view's decorations measured with `typesetter` (the
    /// picture's, which then has their glyphs ready).
    pub fn camera_measured(
        &self,
        projection: &Projection,
        scenario: &Scenario,
        typesetter: &mut Typesetter,
    ) -> Result<Camera, ExportError> {
        let viewport = self.viewport();
        let p = projection;
        match self.view {
            // Clear of the picture's decorations (not of the window's legend, which it does not draw).
            View::Fit if self.decorations => Ok(decorations::fitted_camera_with(
                p, scenario, self, typesetter,
            )),
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

/// What the map of the picture at `time` is built from.
fn map_inputs<'a>(
    source: &'a Source,
    spec: &FrameSpec,
    camera: &'a Camera,
    theme: &'a Theme,
    time: Timestamp,
    pulse: Option<f32>,
) -> MapInputs<'a> {
    MapInputs {
        projection: &source.projection,
        camera,
        theme,
        scenario: Some(&source.scenario),
        order: &source.order,
        index: None,
        basemap: &source.basemap,
        time: Some(time),
        trail: spec.trail,
        pulse,
        selection: None,
        legend: true,
        new_since: source.new_since,
    }
}

/// The scene of the picture at `time`: the map as the window builds it, and the decorations, each where
/// it covers least of the map (or where `spec.layout` puts it), the map's labels kept clear of them.
/// `pulse` is where the pulses are in their beat (an animation's frames); a snapshot draws them at rest
/// (`None`).
pub fn scene(
    source: &Source,
    spec: &FrameSpec,
    camera: &Camera,
    time: Timestamp,
    pulse: Option<f32>,
    typesetter: &mut Typesetter,
) -> Scene {
    scene_and_decorations(source, spec, camera, time, pulse, typesetter).0
}

/// As [`scene`], with the box each decoration takes (none when `spec.decorations` is off).
pub fn scene_and_decorations(
    source: &Source,
    spec: &FrameSpec,
    camera: &Camera,
    time: Timestamp,
    pulse: Option<f32>,
    typesetter: &mut Typesetter,
) -> (Scene, Vec<(layout::Block, layout::Box2)>) {
    if source.replay {
        let known = as_known_at(source, time);
        return scene_and_decorations(&known, spec, camera, time, pulse, typesetter);
    }
    let theme = Theme::of(spec.theme);
    let inputs = map_inputs(source, spec, camera, &theme, time, pulse);
    if !spec.decorations {
        return (build(&inputs), Vec::new());
    }
    let pieces = decoration_pieces(&inputs, source, spec, time, typesetter);
    let viewport = [0.0, 0.0, spec.size[0], spec.size[1]];
    // Where the map's content is when nothing is in its way, for the decorations to keep clear of.
    let content = || layout::obstacles(&build_over_ground(&inputs, &[]));
    let boxes = decorations::spots(&pieces, &spec.layout, viewport, content);
    let reserved: Vec<_> = boxes.iter().map(|(_, b)| *b).collect();
    let mut scene = build_reserving(&inputs, &reserved);
    decorations::put(&mut scene, pieces, &boxes);
    (scene, boxes)
}

/// The source of a replay of knowledge as it was known at `time`: the contacts known then (those of
/// `source.order` among them, in that order), stamped with `time` as the as-of moment.
fn as_known_at(source: &Source, time: Timestamp) -> Source {
    let known = crate::model::as_of::as_known_with_ids(&source.scenario, time);
    let order = source
        .order
        .iter()
        .filter_map(|&id| known.known_id(id))
        .collect();
    let mut stamp = source.stamp.clone();
    stamp.as_of = Some(time);
    Source {
        scenario: known.scenario,
        order,
        basemap: source.basemap.clone(),
        projection: source.projection,
        stamp,
        new_since: source.new_since,
        replay: false,
    }
}

/// A measure of texts as `typesetter` lays them out.
fn measurer(typesetter: &mut Typesetter) -> impl FnMut(&str, f32) -> [f32; 2] + '_ {
    |text: &str, size: f32| {
        let size = typesetter
            .place([0.0, 0.0], text, size, Rgba::rgb(0, 0, 0), Anchor::Center)
            .galley
            .size();
        [size.x, size.y]
    }
}

/// The decorations of `spec` at `time`, as pieces to put in place.
fn decoration_pieces(
    inputs: &MapInputs<'_>,
    source: &Source,
    spec: &FrameSpec,
    time: Timestamp,
    typesetter: &mut Typesetter,
) -> Vec<decorations::Piece> {
    let d = decorations::Decorations {
        title: &spec.title,
        time,
        zone: &spec.zone,
        stamp: &source.stamp,
    };
    decorations::pieces(
        layers_on_top(inputs),
        spec.size[0],
        &d,
        &spec.layout,
        inputs.theme,
        &mut measurer(typesetter),
    )
}

/// `spec` with its decorations' spots fixed where they cover least of the map at all of `times` (an
/// animation's frames keep their title and legend in one place).
pub fn fixed_layout(
    source: &Source,
    spec: &FrameSpec,
    camera: &Camera,
    times: &[Timestamp],
    typesetter: &mut Typesetter,
) -> FrameSpec {
    if !spec.decorations {
        return spec.clone();
    }
    let theme = Theme::of(spec.theme);
    let mut sizes: Vec<(layout::Block, [f32; 2])> = Vec::new();
    let mut content = Vec::new();
    for &t in times {
        let inputs = map_inputs(source, spec, camera, &theme, t, None);
        for p in decoration_pieces(&inputs, source, spec, t, typesetter) {
            match sizes.iter_mut().find(|(b, _)| *b == p.block) {
                Some((_, s)) => *s = [s[0].max(p.size[0]), s[1].max(p.size[1])],
                None => sizes.push((p.block, p.size)),
            }
        }
        content.extend(layout::obstacles(&build_over_ground(&inputs, &[])));
    }
    let viewport = [0.0, 0.0, spec.size[0], spec.size[1]];
    FrameSpec {
        layout: layout::resolve(&spec.layout, &sizes, viewport, &content),
        ..spec.clone()
    }
}

/// The snapshot at `time` as the bytes of a file.
pub fn snapshot_bytes(
    source: &Source,
    spec: &FrameSpec,
    time: Timestamp,
    format: SnapshotFormat,
) -> Result<Vec<u8>, ExportError> {
    snapshot_bytes_with(source, spec, time, format, &mut spec.typesetter())
}

/// [`snapshot_bytes`] with `typesetter`, made by `spec.typesetter()` (and perhaps used already, by
/// [`FrameSpec::camera_measured`]: its glyphs are ready).
pub fn snapshot_bytes_with(
    source: &Source,
    spec: &FrameSpec,
    time: Timestamp,
    format: SnapshotFormat,
    typesetter: &mut Typesetter,
) -> Result<Vec<u8>, ExportError> {
    let camera = spec.camera(source)?;
    let scene = scene(source, spec, &camera, time, None, typesetter);
    match format {
        SnapshotFormat::Png => {
            let pixmap = raster::render(&scene, typesetter)?;
            let mut bytes = Vec::with_capacity(pixmap.data().len() / 4);
            png_out::write_png_owned(pixmap, spec.scale, &mut bytes)?;
            Ok(bytes)
        }
        SnapshotFormat::Svg => {
            raster::pixel_size(scene.size, spec.scale)?;
            Ok(
                svg::to_svg(&scene, &spec.title, spec.scale, typesetter, spec.svg_text)
                    .into_bytes(),
            )
        }
    }
}

/// Writes the snapshot at `time` to `path`, atomically: a failure leaves no file and no temporary behind.
/// Temporaries that killed exports left in that folder are removed ([`leftovers`]).
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
    let mut typesetter = spec.typesetter();
    write_snapshot_with(source, spec, time, format, path, cancel, &mut typesetter)
}

/// [`write_snapshot`] with `typesetter` (see [`snapshot_bytes_with`]).
pub fn write_snapshot_with(
    source: &Source,
    spec: &FrameSpec,
    time: Timestamp,
    format: SnapshotFormat,
    path: &Path,
    cancel: &AtomicBool,
    typesetter: &mut Typesetter,
) -> Result<(), ExportError> {
    let bytes = snapshot_bytes_with(source, spec, time, format, typesetter)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(ExportError::Cancelled);
    }
    leftovers::remove_stale_parts_beside(path);
    output::write_atomic(path, |w| {
        std::io::Write::write_all(w, &bytes).map_err(|source| ExportError::Io {
            path: path.to_owned(),
            source,
        })
    })
}
