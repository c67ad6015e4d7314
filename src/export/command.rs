//! `demarche export`: checks every argument before any work (exit status 2 with a message naming the
//! problem), loads the scenario and map files (their problems as `check` prints them, exit status 1), then
//! writes the snapshot or the animation.
//!
//! It takes an [`ExportRequest`] of plain values, which the command line (`cli`) builds from its
//! arguments: this module does not know clap. The values' parsers are in [`super::args`].

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::{SignedDuration, Timestamp};

use super::args::TimeArg;

use super::animation::{
    AnimationFormat, FrameProgress, Timeline, ends_with_separator, write_animation,
};
use super::target_checks::{
    TargetProblem, check_frames, check_target, check_title, interrupted, scenario_title,
};
use super::{
    ExportError, FrameSpec, Layout, SnapshotFormat, Source, Stamp, View, Zone, output,
    write_snapshot_with,
};
use crate::basemap::compact::CompactTopology;
use crate::basemap::embedded::{self, EmbeddedLayer};
use crate::basemap::prepare::{Extent, PreparedLayer};
use crate::diagnostics::{Report, plural};
use crate::geo_math::camera::{Camera, WorldRect};
use crate::geo_math::projection::{Projection, ProjectionKind};
use crate::io::map_file::{DEFAULT_MAX_MAP_BYTES, MapReadProgress, load_map_file};
use crate::io::scenario::{self, DEFAULT_SCENARIO_NAME};
use crate::render::raster::{self, MAX_SIDE_PX};
use crate::render::text::Typesetter;
use crate::scene::style::ThemeKind;

/// What `demarche export` is asked for.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    /// Scenario file; `None` for the embedded Ankara-channel scenario.
    pub scenario: Option<PathBuf>,
    /// The moment of a snapshot, or the span of an animation.
    pub when: When,
    /// Frames per second of an animation.
    pub fps: u32,
    /// How long an animation plays.
    pub duration: SignedDuration,
    /// The file to write (or the folder, for numbered PNGs).
    pub output: PathBuf,
    /// Width and height in points.
    pub size: [f32; 2],
    /// Pixels per point of a PNG.
    pub scale: f32,
    /// Map files drawn over the embedded basemap.
    pub basemap: Vec<PathBuf>,
    /// Which part of the world is shown.
    pub view: View,
    /// The zone the date is written in.
    pub zone: Zone,
    pub theme: ThemeKind,
    /// The title over the map; `None` for the scenario's.
    pub title: Option<String>,
    /// How an SVG writes its labels (`--svg-text`).
    pub svg_text: crate::render::svg::SvgText,
    /// The map's projection.
    pub projection: ProjectionKind,
    /// Which decorations are shown, and where.
    pub layout: Layout,
    /// Replace a read-only file (`--force`); without it, one is refused.
    pub force: bool,
    /// Show what was known at this moment (`--as-of`; a date alone: the end of that day in the zone of
    /// `--tz`); `None` for everything known.
    pub as_of: Option<TimeArg>,
    /// Mark what was reported after this moment (`--new-since`).
    pub new_since: Option<TimeArg>,
    /// The replay of knowledge (`--replay-knowledge`): each frame shows what was known at its own time.
    pub replay: bool,
}

/// The longest title an export takes, in characters (`--title`; a scenario's longer title is cut): far
/// more than fits across the widest picture, and few enough that fitting it stays quick.
pub const MAX_TITLE_CHARS: usize = 500;

/// What an export shows: one moment, or a span of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// A snapshot; a date alone is the start of that day in the export's zone.
    At(TimeArg),
    /// An animation from `from` to `to`; a date alone is the start (for `from`) or the end (for `to`)
    /// of that day in the export's zone.
    Range { from: TimeArg, to: TimeArg },
    /// An animation from the start of the scenario's first contact to the end of its last.
    WholeStory,
}

/// What to write, checked.
enum Picture {
    Snapshot {
        at: Timestamp,
        format: SnapshotFormat,
    },
    Animation {
        timeline: Timeline,
        format: AnimationFormat,
    },
}

/// What to write, as far as it is known before the scenario is read.
enum Planned {
    Ready(Picture),
    /// An animation of the whole story, whose span is known once the scenario is read.
    WholeStory(AnimationFormat),
}

/// A usage error: printed and exit status 2.
fn usage(message: &str) -> ExitCode {
    eprintln!("demarche export: error: {message}");
    ExitCode::from(2)
}

/// Checks what can be checked before any work: the title, the output's format, folder and target, the
/// picture's size, the times.
fn plan(request: &ExportRequest) -> Result<Planned, String> {
    let [w, h] = request.size;
    if raster::pixel_size(request.size, request.scale).is_err() {
        return Err(format!(
            "--size {w}x{h} at --scale {} is {}x{} pixels: each side must be 1 to {MAX_SIDE_PX} pixels",
            request.scale,
            (w * request.scale).round(),
            (h * request.scale).round()
        ));
    }
    if let Some(title) = &request.title {
        check_title(title)?;
    }
    let out = &request.output;
    let zone = &request.zone.zone;
    let animation_format = || {
        AnimationFormat::from_path(out).ok_or_else(|| {
            if out.is_dir() {
                return format!(
                    "{} is a folder: end the path with / ({}/) to write numbered PNGs into it, or name a .gif or .apng file",
                    out.display(),
                    out.display()
                );
            }
            format!(
                "unknown format for {}: an animation (--from/--to, --whole-story) is written as .gif, .apng, or numbered PNGs in a folder (end the path with /)",
                out.display()
            )
        })
    };
    let picture = match request.when {
        When::At(at) => {
            let format = SnapshotFormat::from_path(out).ok_or_else(|| {
                format!(
                    "unknown format for {}: a snapshot (--at) is written as .png or .svg",
                    out.display()
                )
            })?;
            if ends_with_separator(out) {
                return Err(format!(
                    "{} ends with /, which names a folder: a snapshot (--at) is written to a file",
                    out.display()
                ));
            }
            let at = at.start_in(zone)?;
            Planned::Ready(Picture::Snapshot { at, format })
        }
        When::Range { from, to } => {
            let format = animation_format()?;
            let (from, to) = (from.start_in(zone)?, to.end_in(zone)?);
            let timeline = Timeline::new(from, to, request.fps, request.duration)?;
            Planned::Ready(Picture::Animation { timeline, format })
        }
        When::WholeStory => {
            let format = animation_format()?;
            // The frame rate and the duration are checked now, the span once the scenario is read.
            Timeline::new(
                Timestamp::UNIX_EPOCH,
                Timestamp::UNIX_EPOCH,
                request.fps,
                request.duration,
            )?;
            Planned::WholeStory(format)
        }
    };
    let format = match &picture {
        Planned::Ready(Picture::Animation { format, .. }) | Planned::WholeStory(format) => {
            Some(*format)
        }
        Planned::Ready(Picture::Snapshot { .. }) => None,
    };
    if format == Some(AnimationFormat::PngFolder) {
        // The frames are checked once their number is known (`check_frames`).
        output::check_writable_dir(out)?;
    } else {
        let target = output::resolve_target(out)
            .map_err(|e| format!("cannot follow the link {}: {e}", out.display()))?;
        // What is there first: a link to a device is refused before its folder is tried.
        check_target(out, &target, request.force).map_err(|problem| match problem {
            TargetProblem::Folder if format.is_some() => format!(
                "{} is a folder, not a file: an animation's extension names its format; to write numbered PNGs into this folder, end the path with / ({}/)",
                out.display(),
                out.display()
            ),
            TargetProblem::Folder => format!(
                "{} is a folder, not a file: a snapshot (--at) is written to a file; choose another name",
                out.display()
            ),
            other => other.message(out, &target),
        })?;
        output::check_writable_dir(output::parent_dir(&target))?;
    }
    Ok(picture)
}

/// The scenario (file or embedded) with the stamp of its bytes; its problems printed as `check` prints
/// them.
fn load_scenario(path: Option<&Path>) -> Result<(scenario::Loaded, Stamp), ExitCode> {
    let (loaded, stamp) = match path {
        None => scenario::default_scenario_with_stamp(),
        Some(path) => scenario::read_file_with_stamp(path).map_err(|report| {
            report.eprint();
            eprintln!(
                "{}: invalid: {}",
                crate::diagnostics::terminal_safe(&path.display().to_string()),
                plural(report.error_count(), "error", "errors")
            );
            ExitCode::FAILURE
        })?,
    };
    warn_about(
        &loaded.report,
        path.map_or(DEFAULT_SCENARIO_NAME.into(), |p| p.display().to_string()),
    );
    // The scripts no font has, as the window says them (render::fonts).
    for missing in crate::render::fonts::missing_after_search(&loaded.scenario, &[]) {
        eprintln!(
            "{}",
            crate::diagnostics::terminal_safe(&format!("demarche export: warning: {missing}"))
        );
    }
    Ok((loaded, stamp))
}

fn warn_about(report: &Report, name: String) {
    let n = report.warning_count();
    if n > 0 {
        eprintln!(
            "demarche export: {name} loads with {} (see `demarche check {name}`)",
            plural(n, "warning", "warnings")
        );
    }
}

/// A map layer to load: embedded (with its topology when it is decoded already) or a user's file.
enum LayerSource<'a> {
    Embedded(EmbeddedLayer, Option<Result<CompactTopology, Report>>),
    File(&'a Path),
}

impl LayerSource<'_> {
    /// The layer prepared for `projection`, its problems printed. The embedded level is prepared straight
    /// from its compact form, never held in degrees, and only where it reaches into `area` (world
    /// coordinates; drawn there exactly as the whole world would be).
    fn prepare(
        self,
        projection: Projection,
        area: Option<WorldRect>,
    ) -> Result<PreparedLayer, ExitCode> {
        match self {
            LayerSource::Embedded(embedded, decoded) => decoded
                .unwrap_or_else(|| embedded.decode())
                .map(|topology| embedded.prepare_topology(&topology, projection, area))
                .map_err(|report| {
                    report.eprint();
                    eprintln!("demarche export: the embedded basemap does not load");
                    ExitCode::FAILURE
                }),
            LayerSource::File(path) => match stream_map_file(path, projection) {
                Some(Ok((report, prepared))) => {
                    warn_about(&report, path.display().to_string());
                    Ok(prepared)
                }
                None => {
                    let loaded =
                        load_map_file(path, DEFAULT_MAX_MAP_BYTES, &MapReadProgress::new())
                            .map_err(|report| unloaded(path, &report))?;
                    warn_about(&loaded.report, path.display().to_string());
                    Ok(PreparedLayer::new(&loaded.layer, projection, None))
                }
                Some(Err(report)) => Err(unloaded(path, &report)),
            },
        }
    }
}

/// A map file read on its own thread while its features are prepared on this one as they come (see
/// [`PreparedLayer::from_stream`]). `None` when the file is to be read again, whole
/// ([`crate::io::geojson::Streamed::whole`]).
fn stream_map_file(
    path: &Path,
    projection: Projection,
) -> Option<Result<(Report, PreparedLayer), Report>> {
    let (sink, features) = std::sync::mpsc::channel();
    // About 24 bytes a position in a GeoJSON file: the topology's first size.
    let positions = std::fs::metadata(path).map_or(0, |m| m.len() as usize / 24);
    let name = path.display().to_string();
    let (read, prepared) = std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("demarche-map-read".to_owned())
            .spawn_scoped(scope, move || {
                crate::io::map_file::stream_map_file(
                    path,
                    DEFAULT_MAX_MAP_BYTES,
                    &MapReadProgress::new(),
                    sink,
                )
            });
        let reader = match reader {
            Ok(reader) => reader,
            // No thread: read it whole.
            Err(_) => return (None, None),
        };
        let prepared =
            PreparedLayer::from_stream(&name, features, positions, projection, Extent::default());
        (reader.join().ok(), Some(prepared))
    });
    match (read?, prepared?) {
        (Ok(streamed), prepared) if streamed.whole => Some(Ok((streamed.report, prepared))),
        (Ok(_), _) => None,
        (Err(report), _) => Some(Err(report)),
    }
}

/// Prints why a map file does not load; the export's exit status.
fn unloaded(path: &Path, report: &Report) -> ExitCode {
    report.eprint();
    eprintln!(
        "{}: the map file (--basemap) does not load: {}",
        path.display(),
        plural(report.error_count(), "error", "errors")
    );
    ExitCode::FAILURE
}

/// The embedded layers and the user's map files, each read, prepared for `projection` and simplified for
/// the camera's scale on its own core: the picture is ready to draw when this returns. An export draws one
/// view, once: the embedded level drawn at its scale is prepared only around that view, and every layer's
/// level is made only for it (see [`PreparedLayer::keep_level_for_area`]).
fn load_basemap(
    files: &[PathBuf],
    projection: Projection,
    camera: &Camera,
    decoded: Option<Result<CompactTopology, Report>>,
) -> Result<Vec<Arc<PreparedLayer>>, ExitCode> {
    use rayon::prelude::*;
    // One level of the embedded world: the one drawn at this scale.
    let mut sources = vec![LayerSource::Embedded(
        embedded::layer_for_scale(camera.scale),
        decoded,
    )];
    sources.extend(files.iter().map(|f| LayerSource::File(f)));
    let level = PreparedLayer::level_for_scale(camera.scale);
    let area = area_around(camera);
    let layers: Vec<Result<PreparedLayer, ExitCode>> = sources
        .into_par_iter()
        .map(|source| {
            let prepared = source.prepare(projection, area)?;
            match area {
                Some(area) => prepared.keep_level_for_area(level, area),
                None => prepared.level(level),
            };
            Ok(prepared)
        })
        .collect();
    layers.into_iter().map(|l| l.map(Arc::new)).collect()
}

/// What an export prepares the embedded basemap for: the view, widened by a sixteenth of it on each side
/// (the scene leaves out what lies outside the view; this keeps a margin over rounding).
fn area_around(camera: &Camera) -> Option<WorldRect> {
    let v = camera.visible_world();
    let (dx, dy) = (v.width() / 16.0, v.height() / 16.0);
    (!v.is_empty()).then_some(WorldRect {
        min: [v.min[0] - dx, v.min[1] - dy],
        max: [v.max[0] + dx, v.max[1] + dy],
    })
}

/// How `demarche export` ended: its exit status, and the map it read (when it got that far), which the
/// caller frees or not (`cli::export`, for `main`, does not).
#[derive(Debug)]
pub struct Finished {
    pub code: ExitCode,
    pub source: Option<Source>,
}

impl From<ExitCode> for Finished {
    fn from(code: ExitCode) -> Self {
        Self { code, source: None }
    }
}

/// `demarche export`: 0 when the file is written, 1 when an input file has errors or writing fails, 2 on
/// usage errors, 130 when interrupted by Ctrl+C (or SIGTERM).
pub fn run(request: &ExportRequest) -> Finished {
    run_with(request, cancel_on_ctrl_c)
}

/// [`run`], stopped by the flag `cancel` makes when the writing starts (Ctrl+C's for [`run`]; a test's
/// own, to interrupt an export without a signal).
pub fn run_with(request: &ExportRequest, cancel: impl FnOnce() -> Arc<AtomicBool>) -> Finished {
    let planned = match plan(request) {
        Ok(planned) => planned,
        Err(message) => return usage(&message).into(),
    };
    let (source, spec, mut typesetter) = match load(request) {
        Ok(loaded) => loaded,
        Err(code) => return code.into(),
    };
    let picture = match whole_story(planned, &source.scenario, request) {
        Ok(picture) => picture,
        Err(message) => return usage(&message).into(),
    };
    let out = &request.output;
    if let Picture::Animation {
        timeline,
        format: AnimationFormat::PngFolder,
    } = &picture
        && let Err(message) = check_frames(out, timeline.frames, request.force)
    {
        return Finished {
            code: usage(&message),
            source: Some(source),
        };
    }
    let result = write(&source, &spec, picture, out, &cancel(), &mut typesetter);
    let code = match result {
        Ok(()) => {
            let (w, h) = raster::pixel_size(spec.size, spec.scale).unwrap_or((0, 0));
            println!("{}: {w}x{h}", out.display());
            ExitCode::SUCCESS
        }
        Err(err @ (ExportError::Cancelled | ExportError::FramesCancelled { .. })) => {
            eprintln!("demarche export: {}", interrupted(&err, out));
            ExitCode::from(130)
        }
        Err(err) => {
            eprintln!("demarche export: error: {err}");
            ExitCode::FAILURE
        }
    };
    Finished {
        code,
        source: Some(source),
    }
}

/// The animation of the whole story, from the start of the first contact to the end of the last.
fn whole_story(
    planned: Planned,
    scenario: &crate::model::Scenario,
    request: &ExportRequest,
) -> Result<Picture, String> {
    let format = match planned {
        Planned::Ready(picture) => return Ok(picture),
        Planned::WholeStory(format) => format,
    };
    let (from, to) = scenario
        .time_extent()
        .ok_or("--whole-story: the scenario has no contacts, so no story to span")?;
    let timeline = Timeline::new(from, to, request.fps, request.duration)?;
    Ok(Picture::Animation { timeline, format })
}

/// The scenario, the picture's spec and the basemap prepared for its camera, and the picture's
/// typesetter (which measured the decorations of a fitted view: their glyphs are ready).
fn load(request: &ExportRequest) -> Result<(Source, FrameSpec, Typesetter), ExitCode> {
    let (mut loaded, mut stamp) = load_scenario(request.scenario.as_deref())?;
    if let Some(as_of) = request.as_of {
        let as_of = as_of
            .end_in(&request.zone.zone)
            .map_err(|err| usage(&format!("--as-of: {err}")))?;
        loaded.scenario = crate::model::as_of::as_known(&loaded.scenario, as_of);
        stamp.as_of = Some(as_of);
    }
    let projection = request.projection.projection_for(&loaded.scenario);
    let spec = FrameSpec {
        size: request.size,
        scale: request.scale,
        view: request.view,
        theme: request.theme,
        decorations: true,
        layout: request.layout,
        title: request
            .title
            .clone()
            .unwrap_or_else(|| scenario_title(&loaded.scenario.meta.title)),
        zone: request.zone.clone(),
        trail: crate::scene::contacts::TRAIL,
        svg_text: request.svg_text,
    };
    // The finest embedded level is decoded while the view is fitted (on another core): most stories
    // are drawn with it. Unused when the view is wide.
    let finest = *embedded::LAYERS.last().unwrap_or(&embedded::LAYERS[0]);
    let mut typesetter = spec.typesetter();
    let (camera, decoded) = rayon::join(
        || spec.camera_measured(&projection, &loaded.scenario, &mut typesetter),
        || finest.decode(),
    );
    let camera = camera.map_err(|err| usage(&err.to_string()))?;
    // Fitted once: the picture uses this camera rather than fitting the view again.
    let spec = FrameSpec {
        view: View::Camera(camera),
        ..spec
    };
    let decoded = (embedded::layer_for_scale(camera.scale).name == finest.name).then_some(decoded);
    let basemap = load_basemap(&request.basemap, projection, &camera, decoded)?;
    // What the window shows with no filter set: everything but the contacts the analyst rejected.
    let order =
        crate::model::Filter::default().apply(&loaded.scenario, &loaded.scenario.chronological());
    let new_since = request
        .new_since
        .map(|t| t.end_in(&request.zone.zone))
        .transpose()
        .map_err(|err| usage(&format!("--new-since: {err}")))?;
    let source = Source {
        scenario: loaded.scenario,
        order,
        basemap,
        projection,
        stamp,
        new_since,
        replay: request.replay,
    };
    Ok((source, spec, typesetter))
}

/// Ctrl+C (or SIGTERM) stops the export cleanly: no partial file, no temporary, and numbered PNGs whole
/// up to the last one written. A second one quits.
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    if let Err(err) = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    }) {
        log::warn!("Ctrl+C will not stop the export cleanly: {err}");
    }
    cancel
}

/// Writes the picture, with a progress bar on a terminal for an animation.
fn write(
    source: &Source,
    spec: &FrameSpec,
    picture: Picture,
    out: &Path,
    cancel: &AtomicBool,
    typesetter: &mut Typesetter,
) -> Result<(), ExportError> {
    match picture {
        Picture::Snapshot { at, format } => {
            write_snapshot_with(source, spec, at, format, out, cancel, typesetter)
        }
        Picture::Animation { timeline, format } => {
            let bar = if std::io::stderr().is_terminal() {
                indicatif::ProgressBar::new(timeline.frames as u64)
            } else {
                indicatif::ProgressBar::hidden()
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} frame {pos}/{len} [{bar:30}] {elapsed} (about {eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            let progress = |p: FrameProgress| bar.set_position(p.done as u64);
            let result = write_animation(source, spec, &timeline, format, out, &progress, cancel);
            bar.finish_and_clear();
            result
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(when: When) -> ExportRequest {
        ExportRequest {
            scenario: None,
            when,
            fps: 10,
            duration: SignedDuration::from_secs(2),
            output: PathBuf::from("story.gif"),
            size: [320.0, 200.0],
            scale: 1.0,
            basemap: Vec::new(),
            view: View::Fit,
            zone: Zone::utc(),
            theme: ThemeKind::Light,
            title: None,
            svg_text: crate::render::svg::SvgText::default(),
            projection: ProjectionKind::default(),
            layout: Layout::default(),
            force: false,
            as_of: None,
            new_since: None,
            replay: false,
        }
    }

    #[test]
    fn the_whole_story_spans_the_first_contact_to_the_last() {
        let scenario = scenario::default_scenario().scenario;
        let request = request(When::WholeStory);
        let Ok(Planned::WholeStory(format)) = plan(&request) else {
            panic!("a whole-story animation is planned before the scenario is read");
        };
        let Ok(Picture::Animation { timeline, .. }) =
            whole_story(Planned::WholeStory(format), &scenario, &request)
        else {
            panic!("an animation");
        };
        let (first, last) = scenario.time_extent().expect("contacts");
        assert_eq!((timeline.from, timeline.to), (first, last));
        assert_eq!(timeline.frames, 20);
        let mut empty = scenario;
        empty.contacts.clear();
        assert!(
            whole_story(Planned::WholeStory(format), &empty, &request)
                .err()
                .is_some_and(|e| e.contains("no contacts"))
        );
    }

    #[test]
    fn a_range_of_days_runs_from_the_start_of_the_first_to_the_end_of_the_last() {
        let day = |s: &str| TimeArg::Day(s.parse().expect("date"));
        let mut request = request(When::Range {
            from: day("2025-04-12"),
            to: day("2025-04-12"),
        });
        request.zone = super::super::args::parse_zone("Tehran").expect("zone");
        let Ok(Planned::Ready(Picture::Animation { timeline, .. })) = plan(&request) else {
            panic!("an animation");
        };
        let ts = |s: &str| s.parse::<Timestamp>().expect("timestamp");
        assert_eq!(timeline.from, ts("2025-04-11T20:30:00Z"));
        assert_eq!(timeline.to, ts("2025-04-12T20:30:00Z"));
    }
}
