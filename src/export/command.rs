//! `demarche export`: checks every argument before any work (exit status 2 with a message naming the
//! problem), loads the scenario and map files (their problems as `check` prints them, exit status 1), then
//! writes the snapshot or the animation.
//!
//! It takes an [`ExportRequest`] of plain values, which the command line (`cli`) builds from its
//! arguments: this module does not know clap. The value parsers below are the command line's, kept here
//! beside the checks they share (sizes, zoom levels, zones).

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::{SignedDuration, Timestamp};

use super::animation::{AnimationFormat, FrameProgress, Timeline, write_animation};
use super::{
    ExportError, FrameSpec, SnapshotFormat, Source, Stamp, View, Zone, output, write_snapshot,
};
use crate::basemap::embedded::{self, EmbeddedLayer};
use crate::basemap::prepare::PreparedLayer;
use crate::diagnostics::{Report, plural};
use crate::geo_math::projection::Projection;
use crate::io::map_file::{DEFAULT_MAX_MAP_BYTES, MapReadProgress, load_map_file};
use crate::io::scenario::{self, DEFAULT_SCENARIO_NAME};
use crate::model::map::Layer;
use crate::render::raster::{self, MAX_SIDE_PX};
use crate::scene::style::ThemeKind;
use crate::scene::view;

/// `1920x1080`: width and height in points, each 1 to 16384.
pub fn parse_size(text: &str) -> Result<[f32; 2], String> {
    let bad = || format!("`{text}` is not a size: write WIDTHxHEIGHT, e.g. 1920x1080");
    let (w, h) = text.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let (w, h) = (
        w.trim().parse::<u32>().map_err(|_| bad())?,
        h.trim().parse::<u32>().map_err(|_| bad())?,
    );
    if w == 0 || h == 0 || w > MAX_SIDE_PX || h > MAX_SIDE_PX {
        return Err(format!(
            "{w}x{h}: each side must be 1 to {MAX_SIDE_PX} pixels"
        ));
    }
    Ok([w as f32, h as f32])
}

/// A scale: pixels per point, more than 0 and at most 16.
pub fn parse_scale(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 16.0 => Ok(s),
        _ => Err(format!(
            "`{text}` is not a scale: a number of pixels per point, more than 0 and at most 16 (e.g. 2)"
        )),
    }
}

/// A moment: RFC 3339 with `Z` or an offset (`2026-01-31T21:30:00+03:30`), or a date (noon UTC).
pub fn parse_time(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let has_time = text.contains(['T', 't', ' ']);
    if has_time && text.parse::<jiff::civil::DateTime>().is_ok() {
        return Err(format!(
            "`{text}` has no zone: add `Z` for UTC or an offset such as `+03:30` (e.g. 2026-01-31T18:00:00Z)"
        ));
    }
    if !has_time && let Ok(date) = text.parse::<jiff::civil::Date>() {
        return date
            .at(12, 0, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| format!("`{text}`: {e}"));
    }
    Err(format!(
        "`{text}` is not a time: write RFC 3339 (2026-01-31T18:00:00Z, 2026-01-31T21:30:00+03:30) or a date (2026-01-31, read as noon UTC)"
    ))
}

/// An IANA time zone name (`Asia/Tehran`) or `UTC`.
pub fn parse_zone(text: &str) -> Result<Zone, String> {
    match crate::model::time::zone_by_name(text.trim()) {
        Some(zone) => Ok(Zone {
            name: text.trim().to_owned(),
            zone,
        }),
        None => {
            let names = crate::model::time::zone_names();
            let hint = crate::diagnostics::did_you_mean(text, names.iter().map(String::as_str))
                .map_or_else(String::new, |h| format!(" ({h})"));
            Err(format!(
                "`{text}` is not a time zone{hint}: use an IANA name such as Europe/Istanbul, or UTC"
            ))
        }
    }
}

/// A duration: `10s`, `1m 30s`, `500ms`, or a number of seconds.
pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<f64>() {
        return SignedDuration::try_from_secs_f64(secs)
            .map_err(|_| format!("`{text}` is not a duration"));
    }
    text.parse::<SignedDuration>()
        .map_err(|_| format!("`{text}` is not a duration: write e.g. 10s, 1m30s or 500ms"))
}

fn numbers<const N: usize>(text: &str, what: &str) -> Result<[f64; N], String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let values: Vec<f64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if parts.len() != N || values.len() != N || values.iter().any(|v| !v.is_finite()) {
        return Err(format!("`{text}` is not {what}"));
    }
    let mut out = [0.0; N];
    out.copy_from_slice(&values);
    Ok(out)
}

/// `W,S,E,N` in degrees.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let b = numbers::<4>(
        text,
        "a box: write WEST,SOUTH,EAST,NORTH in degrees, e.g. 26,34,45,42",
    )?;
    if !(-180.0..=180.0).contains(&b[0]) || !(-180.0..=180.0).contains(&b[2]) {
        return Err(format!("`{text}`: longitudes must be from -180 to 180"));
    }
    if !(-90.0..=90.0).contains(&b[1]) || !(-90.0..=90.0).contains(&b[3]) || b[1] >= b[3] {
        return Err(format!(
            "`{text}`: latitudes must be from -90 to 90, south below north"
        ));
    }
    Ok(b)
}

/// `LON,LAT` in degrees.
pub fn parse_center(text: &str) -> Result<[f64; 2], String> {
    let c = numbers::<2>(
        text,
        "a centre: write LONGITUDE,LATITUDE in degrees, e.g. 32.85,39.93",
    )?;
    if !(-180.0..=180.0).contains(&c[0]) || !(-90.0..=90.0).contains(&c[1]) {
        return Err(format!(
            "`{text}`: the longitude must be from -180 to 180 and the latitude from -90 to 90"
        ));
    }
    Ok(c)
}

/// A web-map zoom level, 0 to 15.
pub fn parse_zoom(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(z) if view::ZOOM_RANGE.contains(&z) => Ok(z),
        _ => Err(format!(
            "`{text}` is not a zoom level: {} (the whole world) to {} (streets)",
            view::ZOOM_RANGE.start(),
            view::ZOOM_RANGE.end()
        )),
    }
}

/// What `demarche export` is asked for.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    /// Scenario file; `None` for the embedded Ankara-channel scenario.
    pub scenario: Option<PathBuf>,
    /// The moment of a snapshot.
    pub at: Option<Timestamp>,
    /// The first moment of an animation.
    pub from: Option<Timestamp>,
    /// The last moment of an animation.
    pub to: Option<Timestamp>,
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

/// A usage error: printed and exit status 2.
fn usage(message: &str) -> ExitCode {
    eprintln!("demarche export: error: {message}");
    ExitCode::from(2)
}

/// Checks what can be checked before any work: the output's format and folder, the picture's size, the
/// times.
fn plan(request: &ExportRequest) -> Result<Picture, String> {
    let [w, h] = request.size;
    if raster::pixel_size(request.size, request.scale).is_err() {
        return Err(format!(
            "--size {w}x{h} at --scale {} is {}x{} pixels: each side must be 1 to {MAX_SIDE_PX} pixels",
            request.scale,
            (w * request.scale).round(),
            (h * request.scale).round()
        ));
    }
    let out = &request.output;
    let picture = match (request.at, request.from, request.to) {
        (Some(at), _, _) => {
            let format = SnapshotFormat::from_path(out).ok_or_else(|| {
                format!(
                    "unknown format for {}: a snapshot (--at) is written as .png or .svg",
                    out.display()
                )
            })?;
            Picture::Snapshot { at, format }
        }
        (None, Some(from), Some(to)) => {
            let format = AnimationFormat::from_path(out).ok_or_else(|| {
                format!(
                    "unknown format for {}: an animation (--from/--to) is written as .gif, .apng, or numbered PNGs in a folder (end the path with /)",
                    out.display()
                )
            })?;
            let timeline = Timeline::new(from, to, request.fps, request.duration)?;
            Picture::Animation { timeline, format }
        }
        _ => {
            return Err(
                "give --at TIME for a snapshot, or --from and --to for an animation".into(),
            );
        }
    };
    let to_folder = matches!(
        picture,
        Picture::Animation {
            format: AnimationFormat::PngFolder,
            ..
        }
    );
    let dir: &Path = if to_folder {
        out
    } else {
        output::parent_dir(out)
    };
    output::check_writable_dir(dir)?;
    if !to_folder && out.is_dir() {
        return Err(format!("{} is a folder, not a file", out.display()));
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
                path.display(),
                plural(report.error_count(), "error", "errors")
            );
            ExitCode::FAILURE
        })?,
    };
    warn_about(
        &loaded.report,
        path.map_or(DEFAULT_SCENARIO_NAME.into(), |p| p.display().to_string()),
    );
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

/// A map layer to load: embedded or a user's file.
enum LayerSource<'a> {
    Embedded(EmbeddedLayer),
    File(&'a Path),
}

impl LayerSource<'_> {
    /// The layer, and the rectangle it is cut to; its problems printed.
    fn load(&self) -> Result<(Layer, Option<geo::Rect<f64>>), ExitCode> {
        match self {
            LayerSource::Embedded(embedded) => match embedded.load() {
                Ok(layer) => Ok((layer, None)),
                Err(report) => {
                    report.eprint();
                    eprintln!("demarche export: the embedded basemap does not load");
                    Err(ExitCode::FAILURE)
                }
            },
            LayerSource::File(path) => {
                match load_map_file(path, DEFAULT_MAX_MAP_BYTES, &MapReadProgress::new()) {
                    Ok(loaded) => {
                        warn_about(&loaded.report, path.display().to_string());
                        Ok((loaded.layer, None))
                    }
                    Err(report) => {
                        report.eprint();
                        eprintln!(
                            "{}: does not load: {}",
                            path.display(),
                            plural(report.error_count(), "error", "errors")
                        );
                        Err(ExitCode::FAILURE)
                    }
                }
            }
        }
    }
}

/// The embedded layers and the user's map files, each read, prepared for `projection` and simplified for
/// `scale` (the camera's) on its own core: the picture is ready to draw when this returns.
fn load_basemap(
    files: &[PathBuf],
    projection: Projection,
    scale: f64,
) -> Result<Vec<Arc<PreparedLayer>>, ExitCode> {
    use rayon::prelude::*;
    // One level of the embedded world: the one drawn at this scale.
    let mut sources = vec![LayerSource::Embedded(embedded::layer_for_scale(scale))];
    sources.extend(files.iter().map(|f| LayerSource::File(f)));
    let level = PreparedLayer::level_for_scale(scale);
    let layers: Vec<Result<PreparedLayer, ExitCode>> = sources
        .par_iter()
        .map(|source| {
            let (layer, cut) = source.load()?;
            let mut prepared = PreparedLayer::new(&layer, projection, cut);
            if let LayerSource::Embedded(embedded) = source {
                prepared = prepared.drawn_from_scale(embedded.from_scale);
            }
            prepared.level(level);
            Ok(prepared)
        })
        .collect();
    layers.into_iter().map(|l| l.map(Arc::new)).collect()
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
/// usage errors.
pub fn run(request: &ExportRequest) -> Finished {
    let picture = match plan(request) {
        Ok(picture) => picture,
        Err(message) => return usage(&message).into(),
    };
    let (source, spec) = match load(request) {
        Ok(loaded) => loaded,
        Err(code) => return code.into(),
    };
    let out = &request.output;
    let result = write(&source, &spec, picture, out, &cancel_on_ctrl_c());
    let code = match result {
        Ok(()) => {
            let (w, h) = raster::pixel_size(spec.size, spec.scale).unwrap_or((0, 0));
            println!("{}: {w}x{h}", out.display());
            ExitCode::SUCCESS
        }
        Err(ExportError::Cancelled) => {
            eprintln!(
                "demarche export: interrupted: {} was not written",
                out.display()
            );
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

/// The scenario, the picture's spec and the basemap prepared for its camera.
fn load(request: &ExportRequest) -> Result<(Source, FrameSpec), ExitCode> {
    let projection = view::regional_projection();
    let (loaded, stamp) = load_scenario(request.scenario.as_deref())?;
    let spec = FrameSpec {
        size: request.size,
        scale: request.scale,
        view: request.view,
        theme: request.theme,
        decorations: true,
        title: request
            .title
            .clone()
            .unwrap_or_else(|| loaded.scenario.meta.title.clone()),
        zone: request.zone.clone(),
        trail: crate::scene::contacts::TRAIL,
    };
    let camera = spec
        .camera_for(&projection, &loaded.scenario)
        .map_err(|err| usage(&err.to_string()))?;
    let basemap = load_basemap(&request.basemap, projection, camera.scale)?;
    let order = loaded.scenario.chronological();
    let source = Source {
        scenario: loaded.scenario,
        order,
        basemap,
        projection,
        stamp,
    };
    Ok((source, spec))
}

/// Ctrl+C (or SIGTERM) stops the export cleanly: no partial file, no temporary. A second one quits.
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
) -> Result<(), ExportError> {
    match picture {
        Picture::Snapshot { at, format } => write_snapshot(source, spec, at, format, out, cancel),
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

    #[test]
    fn sizes_parse_and_sides_are_checked() {
        assert_eq!(parse_size("1920x1080"), Ok([1920.0, 1080.0]));
        assert!(
            parse_size("0x100")
                .expect_err("zero")
                .contains("1 to 16384")
        );
        assert!(
            parse_size("16385x10")
                .expect_err("big")
                .contains("1 to 16384")
        );
        assert!(
            parse_size("1920")
                .expect_err("no x")
                .contains("WIDTHxHEIGHT")
        );
    }

    #[test]
    fn times_are_rfc3339_with_a_zone_or_dates_at_noon_utc() {
        let t = |s: &str| parse_time(s).expect("parses");
        assert_eq!(t("2026-01-31T21:30:00+03:30"), t("2026-01-31T18:00:00Z"));
        assert_eq!(t("2026-01-31"), t("2026-01-31T12:00:00Z"));
        assert!(
            parse_time("2026-01-31T18:00")
                .expect_err("no zone")
                .contains("no zone")
        );
        assert!(
            parse_time("tomorrow")
                .expect_err("bad")
                .contains("not a time")
        );
    }

    #[test]
    fn zones_boxes_and_centres_are_checked() {
        assert_eq!(parse_zone("Asia/Tehran").expect("zone").name, "Asia/Tehran");
        assert!(
            parse_zone("Asia/Teheran")
                .expect_err("typo")
                .contains("Asia/Tehran")
        );
        assert_eq!(parse_bbox("26,34,45,42"), Ok([26.0, 34.0, 45.0, 42.0]));
        assert!(parse_bbox("26,42,45,34").is_err());
        assert!(parse_bbox("26,34,45").is_err());
        assert_eq!(parse_center("32.85,39.93"), Ok([32.85, 39.93]));
        assert!(parse_center("200,0").is_err());
        assert!(parse_zoom("16").is_err());
        assert_eq!(parse_duration("10s"), Ok(SignedDuration::from_secs(10)));
        assert_eq!(parse_duration("2.5"), Ok(SignedDuration::from_millis(2500)));
        assert!(parse_duration("ten").is_err());
    }
}
