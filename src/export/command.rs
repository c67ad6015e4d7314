//! `demarche export`: checks every argument before any work (exit status 2 with a message naming the
//! problem), loads the scenario and map files (their problems as `check` prints them, exit status 1), then
//! writes the snapshot or the animation.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use jiff::{SignedDuration, Timestamp};

use super::animation::{AnimationFormat, Timeline, write_animation};
use super::{
    ExportError, FrameSpec, SnapshotFormat, Source, Stamp, View, Zone, output, write_snapshot,
};
use crate::basemap::embedded;
use crate::basemap::prepare::PreparedLayer;
use crate::cli::ExportArgs;
use crate::diagnostics::Report;
use crate::geo_math::projection::Projection;
use crate::io::map_file::{DEFAULT_MAX_MAP_BYTES, Progress, load_map_file};
use crate::io::scenario::{self, DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML};
use crate::io::text::DEFAULT_MAX_SCENARIO_BYTES;
use crate::model::map::Layer;
use crate::render::raster::{self, MAX_SIDE_PX};
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

/// What to write, checked.
enum Job {
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
fn plan(args: &ExportArgs) -> Result<Job, String> {
    let [w, h] = args.size;
    if raster::pixel_size(args.size, args.scale).is_err() {
        return Err(format!(
            "--size {w}x{h} at --scale {} is {}x{} pixels: each side must be 1 to {MAX_SIDE_PX} pixels",
            args.scale,
            (w * args.scale).round(),
            (h * args.scale).round()
        ));
    }
    let out = &args.output;
    let job = match (args.at, args.from, args.to) {
        (Some(at), _, _) => {
            let format = SnapshotFormat::from_path(out).ok_or_else(|| {
                format!(
                    "unknown format for {}: a snapshot (--at) is written as .png or .svg",
                    out.display()
                )
            })?;
            Job::Snapshot { at, format }
        }
        (None, Some(from), Some(to)) => {
            let format = AnimationFormat::from_path(out).ok_or_else(|| {
                format!(
                    "unknown format for {}: an animation (--from/--to) is written as .gif, .apng, or numbered PNGs in a folder (end the path with /)",
                    out.display()
                )
            })?;
            let timeline = Timeline::new(from, to, args.fps, args.duration)?;
            Job::Animation { timeline, format }
        }
        _ => {
            return Err(
                "give --at TIME for a snapshot, or --from and --to for an animation".into(),
            );
        }
    };
    let dir: &Path = match &job {
        Job::Animation {
            format: AnimationFormat::PngFolder,
            ..
        } => out,
        _ => output::parent_dir(out),
    };
    output::check_writable_dir(dir)?;
    if !matches!(
        job,
        Job::Animation {
            format: AnimationFormat::PngFolder,
            ..
        }
    ) && out.is_dir()
    {
        return Err(format!("{} is a folder, not a file", out.display()));
    }
    Ok(job)
}

/// Prints a report's problems as `check` does.
fn emit(report: &Report) {
    let color = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut stderr = StandardStream::stderr(color);
    if report.emit(&mut stderr).is_err() {
        for line in report.to_lines() {
            eprintln!("{line}");
        }
    }
}

/// The scenario (file or embedded) with the stamp of its bytes.
fn load_scenario(path: Option<&Path>) -> Result<(scenario::Loaded, Stamp), ExitCode> {
    let (loaded, bytes) = match path {
        None => (
            scenario::default_scenario(),
            DEFAULT_SCENARIO_TOML.as_bytes().to_vec(),
        ),
        Some(path) => {
            let invalid = |report: Report| {
                emit(&report);
                eprintln!(
                    "{}: invalid: {}",
                    path.display(),
                    crate::cli::count(report.error_count(), "error")
                );
                ExitCode::FAILURE
            };
            // Read once: the stamp hashes the very text that was drawn.
            let text =
                scenario::read_scenario_text(path, DEFAULT_MAX_SCENARIO_BYTES).map_err(invalid)?;
            let loaded = scenario::parse(&path.display().to_string(), &text).map_err(invalid)?;
            (loaded, text.into_bytes())
        }
    };
    warn_about(
        &loaded.report,
        path.map_or(DEFAULT_SCENARIO_NAME.into(), |p| p.display().to_string()),
    );
    let stamp = Stamp::new(&loaded.scenario.meta.id, &bytes);
    Ok((loaded, stamp))
}

fn warn_about(report: &Report, name: String) {
    let n = report.warning_count();
    if n > 0 {
        eprintln!(
            "demarche export: {name} loads with {} (see `demarche check {name}`)",
            crate::cli::count(n, "warning")
        );
    }
}

/// A map layer to load: embedded text or a user's file.
enum LayerSource<'a> {
    Embedded {
        name: &'static str,
        text: &'static str,
    },
    File(&'a Path),
}

/// The embedded layers and the user's map files, each read, prepared for `projection` and simplified for
/// `scale` (the camera's) on its own core: the picture is ready to draw when this returns.
fn load_basemap(
    files: &[PathBuf],
    projection: Projection,
    scale: f64,
) -> Result<Vec<Arc<PreparedLayer>>, ExitCode> {
    use rayon::prelude::*;
    let region = crate::basemap::region::region();
    let mut sources = vec![
        LayerSource::Embedded {
            name: embedded::WORLD_NAME,
            text: embedded::WORLD_50M,
        },
        LayerSource::Embedded {
            name: embedded::REGION_NAME,
            text: embedded::REGION_10M,
        },
    ];
    sources.extend(files.iter().map(|f| LayerSource::File(f)));
    let level = PreparedLayer::level_for_scale(scale);
    let layers: Vec<Result<PreparedLayer, ExitCode>> = sources
        .par_iter()
        .map(|source| {
            let (layer, cut): (Layer, _) = match source {
                LayerSource::Embedded { name, text } => {
                    match crate::io::geojson::parse_geojson(name, text) {
                        Ok(loaded) => {
                            let mut layer = loaded.layer;
                            layer.name = (*name).to_owned();
                            (layer, Some(region))
                        }
                        Err(report) => {
                            emit(&report);
                            eprintln!("demarche export: the embedded basemap does not load");
                            return Err(ExitCode::FAILURE);
                        }
                    }
                }
                LayerSource::File(path) => {
                    match load_map_file(path, DEFAULT_MAX_MAP_BYTES, &Progress::new()) {
                        Ok(loaded) => {
                            warn_about(&loaded.report, path.display().to_string());
                            (loaded.layer, None)
                        }
                        Err(report) => {
                            emit(&report);
                            eprintln!(
                                "{}: does not load: {}",
                                path.display(),
                                crate::cli::count(report.error_count(), "error")
                            );
                            return Err(ExitCode::FAILURE);
                        }
                    }
                }
            };
            let prepared = PreparedLayer::new(&layer, projection, cut);
            prepared.level(level);
            Ok(prepared)
        })
        .collect();
    layers.into_iter().map(|l| l.map(Arc::new)).collect()
}

/// `demarche export`: 0 when the file is written, 1 when an input file has errors or writing fails, 2 on
/// usage errors.
///
/// Made for `main`, which exits right after: the map it read is not freed (the operating system takes
/// it back faster), so a program calling this repeatedly would keep every map it read.
pub fn run(args: &ExportArgs) -> ExitCode {
    let job = match plan(args) {
        Ok(job) => job,
        Err(message) => return usage(&message),
    };
    let projection = view::regional_projection();
    let (loaded, stamp) = match load_scenario(args.scenario.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let view = match (args.bbox, args.center, args.zoom) {
        (Some(b), _, _) => View::BBox(b),
        (None, Some([lon, lat]), Some(zoom)) => View::Center { lon, lat, zoom },
        _ => View::Fit,
    };
    let spec = FrameSpec {
        size: args.size,
        scale: args.scale,
        view,
        theme: args.theme.into(),
        decorations: true,
        title: args
            .title
            .clone()
            .unwrap_or_else(|| loaded.scenario.meta.title.clone()),
        zone: args.tz.clone(),
        trail: crate::scene::contacts::TRAIL,
    };
    let camera = match spec.camera_for(&projection, &loaded.scenario) {
        Ok(c) => c,
        Err(err) => return usage(&err.to_string()),
    };
    let basemap = match load_basemap(&args.basemap, projection, camera.scale) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let order = loaded.scenario.chronological();
    let source = Source {
        scenario: loaded.scenario,
        order,
        basemap,
        projection,
        stamp,
    };
    let out = &args.output;
    // Ctrl+C (or SIGTERM) stops the export cleanly: no partial file, no temporary. A second one quits.
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    if let Err(err) = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    }) {
        log::warn!("Ctrl+C will not stop the export cleanly: {err}");
    }
    let result = match job {
        Job::Snapshot { at, format } => write_snapshot(&source, &spec, at, format, out, &cancel),
        Job::Animation { timeline, format } => {
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
            let progress = |p: super::animation::FrameProgress| bar.set_position(p.done as u64);
            let result =
                write_animation(&source, &spec, &timeline, format, out, &progress, &cancel);
            bar.finish_and_clear();
            result
        }
    };
    // The process ends now: leave freeing the map's many small allocations to the operating system
    // (a few milliseconds of a command that should take a tenth of a second).
    std::mem::forget(source);
    match result {
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
