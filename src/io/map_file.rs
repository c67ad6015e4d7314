//! Opening a map file (GeoJSON or TopoJSON): size limit, chunked reading with progress and cancellation,
//! format chosen by content.
//!
//! The format is decided by what the file says, not by its name: a TopoJSON file is an object whose `type`
//! is `"Topology"`; anything else is read as GeoJSON. Extensions (`.geojson`, `.topojson`, `.json`) are only
//! used by the command line to tell map files from scenarios.

use std::io::Read as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use crate::diagnostics::{Diagnostic, Report};
use crate::io::geojson::Streamed;
use crate::io::json::{Locator, Seg};
use crate::io::scenario::looks_like_json_scenario;
use crate::io::text::{TextError, decode, human_bytes};
use crate::model::map::LoadedLayer;

/// The largest map file read by default. Natural Earth's 10m countries as GeoJSON are 21.5 MB; a detailed
/// national boundaries file can reach a few hundred.
pub const DEFAULT_MAX_MAP_BYTES: u64 = 512 * 1024 * 1024;

/// Bytes read between two progress updates and cancellation checks.
const CHUNK_BYTES: usize = 1024 * 1024;

/// The two map formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapFormat {
    GeoJson,
    TopoJson,
}

/// What a load is doing, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Waiting,
    Reading,
    Parsing,
    Done,
}

/// MapReadProgress of a load, shared between the loading thread and the UI (all atomics: `Send + Sync`).
///
/// The UI reads [`MapReadProgress::bytes_read`] / [`MapReadProgress::total_bytes`] while the file is read and may call
/// [`MapReadProgress::cancel`]; reading stops at the next chunk (1 MiB). Parsing, which takes well under a second
/// for the largest files the limit allows per 100 MB, is not interrupted.
#[derive(Debug, Default)]
pub struct MapReadProgress {
    bytes_read: AtomicU64,
    total_bytes: AtomicU64,
    stage: AtomicU8,
    cancelled: AtomicBool,
}

impl MapReadProgress {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    pub fn total_bytes(&self) -> u64 {
        self.total_bytes.load(Ordering::Relaxed)
    }

    /// Read so far, from 0 to 1 (0 while the size is unknown).
    pub fn fraction(&self) -> f32 {
        let total = self.total_bytes();
        if total == 0 {
            0.0
        } else {
            (self.bytes_read() as f64 / total as f64).min(1.0) as f32
        }
    }

    pub fn stage(&self) -> Stage {
        match self.stage.load(Ordering::Relaxed) {
            1 => Stage::Reading,
            2 => Stage::Parsing,
            3 => Stage::Done,
            _ => Stage::Waiting,
        }
    }

    /// Asks the load to stop; it returns a report saying it was cancelled.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    fn set_stage(&self, stage: Stage) {
        let n = match stage {
            Stage::Waiting => 0,
            Stage::Reading => 1,
            Stage::Parsing => 2,
            Stage::Done => 3,
        };
        self.stage.store(n, Ordering::Relaxed);
    }
}

/// The format of a map file's text: TopoJSON when its top-level `type` is `"Topology"`, GeoJSON otherwise.
pub fn detect_format(text: &str) -> MapFormat {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let ty = Locator::new(text)
        .locate(&[Seg::key("type")])
        .and_then(|span| text.get(span));
    if ty == Some("\"Topology\"") {
        MapFormat::TopoJson
    } else {
        MapFormat::GeoJson
    }
}

/// Parses a map file's text in the format it has.
pub fn parse_map(name: &str, text: &str) -> Result<LoadedLayer, Report> {
    match detect_format(text) {
        MapFormat::GeoJson => crate::io::geojson::parse_geojson(name, text),
        MapFormat::TopoJson => crate::io::topojson::parse_topojson(name, text),
    }
}

/// Whether a file is a map rather than a scenario, for the command line and for files dropped on the
/// window. A JSON scenario is told by its content (see [`looks_like_json_scenario`]); otherwise a file is
/// a map when its extension is `.geojson`, `.topojson` or `.json`, or its first non-blank byte is `{`
/// (a TOML scenario cannot start so).
pub fn looks_like_map_file(path: &Path) -> bool {
    // The first 64 KiB: a JSON scenario's `format` comes first, or at least before its lists.
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
    let head = if read.is_ok() { head.as_slice() } else { &[] };
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // A multi-byte character cut at the end of the head does not matter: only the start is read.
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(err) => std::str::from_utf8(&head[..err.valid_up_to()]).unwrap_or_default(),
    };
    if looks_like_json_scenario(text) {
        return false;
    }
    let by_name = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["geojson", "topojson", "json"]
            .iter()
            .any(|m| e.eq_ignore_ascii_case(m))
    });
    by_name || head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// [`parse_map`] of a text the caller hands over (its report keeps it without a copy).
fn parse_map_owned(name: &str, text: String) -> Result<LoadedLayer, Report> {
    match detect_format(&text) {
        MapFormat::GeoJson => crate::io::geojson::parse_geojson_owned(name, text),
        MapFormat::TopoJson => crate::io::topojson::parse_topojson(name, &text),
    }
}

/// [`load_map_file`], handing the features to `sink` as they are read, so that they can be prepared
/// meanwhile (as `PreparedLayer::from_stream` does); the sink is closed when this
/// returns. When [`Streamed::whole`] is false the layer is to be loaded again with [`load_map_file`].
pub fn stream_map_file(
    path: &Path,
    limit_bytes: u64,
    progress: &MapReadProgress,
    sink: std::sync::mpsc::Sender<crate::model::map::Feature>,
) -> Result<Streamed, Report> {
    read_map_text(
        path,
        limit_bytes,
        progress,
        |name, text| match detect_format(&text) {
            MapFormat::GeoJson => crate::io::geojson::stream_geojson(name, text, sink),
            MapFormat::TopoJson => {
                let loaded = crate::io::topojson::parse_topojson(name, &text)?;
                for feature in loaded.layer.features {
                    if sink.send(feature).is_err() {
                        break;
                    }
                }
                Ok(Streamed {
                    report: loaded.report,
                    whole: true,
                })
            }
        },
    )
}

/// Reads and parses a map file of at most `limit_bytes`, reporting progress and honouring cancellation.
pub fn load_map_file(
    path: &Path,
    limit_bytes: u64,
    progress: &MapReadProgress,
) -> Result<LoadedLayer, Report> {
    read_map_text(path, limit_bytes, progress, parse_map_owned)
}

/// Reads a map file's text and hands it to `parse`, with the stages and errors of [`load_map_file`].
fn read_map_text<T>(
    path: &Path,
    limit_bytes: u64,
    progress: &MapReadProgress,
    parse: impl FnOnce(&str, String) -> Result<T, Report>,
) -> Result<T, Report> {
    let name = path.display().to_string();
    progress.set_stage(Stage::Reading);
    let result = read_chunked(path, limit_bytes, progress).and_then(|bytes| {
        progress.set_stage(Stage::Parsing);
        match decode(bytes) {
            Ok(text) => parse(&name, text),
            Err(TextError::NotUtf8(bad)) => {
                let mut report = Report::new(&name, bad.lossy);
                report.diagnostics.push(bad.diagnostic);
                Err(report)
            }
            Err(TextError::Io(err)) => {
                Err(file_error(&name, format!("cannot read the file: {err}")))
            }
            Err(TextError::TooLarge { size, limit }) => Err(too_large(&name, size, limit)),
        }
    });
    progress.set_stage(Stage::Done);
    result
}

fn read_chunked(path: &Path, limit: u64, progress: &MapReadProgress) -> Result<Vec<u8>, Report> {
    let name = path.display().to_string();
    let cannot_read =
        |err: std::io::Error| file_error(&name, format!("cannot read the file: {err}"));
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    if size > limit {
        return Err(too_large(&name, size, limit));
    }
    progress.total_bytes.store(size, Ordering::Relaxed);
    progress.bytes_read.store(0, Ordering::Relaxed);
    // The size may change while reading (a file being written): never read past the limit.
    let mut reader = file.take(limit + 1);
    let mut bytes = Vec::with_capacity(size as usize);
    loop {
        if progress.is_cancelled() {
            let mut report = file_error(&name, "loading was cancelled".to_owned());
            if let Some(d) = report.diagnostics.first_mut() {
                d.hint = Some(format!(
                    "{} of {} had been read",
                    human_bytes(bytes.len() as u64),
                    human_bytes(size)
                ));
            }
            return Err(report);
        }
        // Read straight into the buffer's spare room, a chunk at a time (no copy, no zeroing).
        match (&mut reader)
            .take(CHUNK_BYTES as u64)
            .read_to_end(&mut bytes)
        {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) => return Err(cannot_read(err)),
        }
        progress
            .bytes_read
            .store(bytes.len() as u64, Ordering::Relaxed);
    }
    if bytes.len() as u64 > limit {
        return Err(too_large(&name, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn too_large(name: &str, size: u64, limit: u64) -> Report {
    let mut report = file_error(
        name,
        format!(
            "the file is {}, more than the {} a map file may have",
            human_bytes(size),
            human_bytes(limit)
        ),
    );
    if let Some(d) = report.diagnostics.first_mut() {
        d.hint = Some("simplify the map (e.g. with mapshaper) or raise the limit".to_owned());
    }
    report
}

fn file_error(name: &str, message: String) -> Report {
    let mut report = Report::new(name, "");
    report.diagnostics.push(Diagnostic::error(message));
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}"#;

    #[test]
    fn the_format_is_chosen_by_content() {
        assert_eq!(detect_format(SQUARE), MapFormat::GeoJson);
        assert_eq!(
            detect_format(r#"{"arcs": [], "objects": {}, "type": "Topology"}"#),
            MapFormat::TopoJson
        );
        assert_eq!(
            detect_format("\u{feff}{\"type\":\"Topology\"}"),
            MapFormat::TopoJson
        );
        assert_eq!(detect_format("garbage"), MapFormat::GeoJson);
    }

    #[test]
    fn a_file_loads_with_progress_to_the_end() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("square.geojson");
        std::fs::write(&path, SQUARE).expect("write");
        let progress = MapReadProgress::new();
        let loaded = load_map_file(&path, DEFAULT_MAX_MAP_BYTES, &progress).expect("loads");
        assert_eq!(loaded.layer.features.len(), 1);
        assert_eq!(loaded.layer.features[0].label.as_deref(), Some("A"));
        assert_eq!(progress.bytes_read(), SQUARE.len() as u64);
        assert_eq!(progress.total_bytes(), SQUARE.len() as u64);
        assert_eq!(progress.stage(), Stage::Done);
        assert!((progress.fraction() - 1.0).abs() < f32::EPSILON);
    }

    #[test]
    fn files_over_the_limit_are_refused_unread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.geojson");
        std::fs::write(&path, vec![b' '; 4096]).expect("write");
        let progress = MapReadProgress::new();
        let report = load_map_file(&path, 1024, &progress).expect_err("too large");
        assert!(
            report.diagnostics[0]
                .message
                .contains("4.0 KiB, more than the 1.0 KiB"),
            "{:?}",
            report.diagnostics
        );
        assert_eq!(progress.bytes_read(), 0);
    }

    #[test]
    fn a_cancelled_load_says_so() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("square.geojson");
        std::fs::write(&path, SQUARE).expect("write");
        let progress = MapReadProgress::new();
        progress.cancel();
        let report = load_map_file(&path, DEFAULT_MAX_MAP_BYTES, &progress).expect_err("cancelled");
        assert!(report.diagnostics[0].message.contains("cancelled"));
    }

    #[test]
    fn missing_and_binary_files_are_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let progress = MapReadProgress::new();
        let missing = load_map_file(&dir.path().join("nope.json"), 1024, &progress);
        assert!(
            missing.expect_err("missing").diagnostics[0]
                .message
                .contains("cannot read")
        );
        let path = dir.path().join("bin.json");
        std::fs::write(&path, [0xFFu8, 0xFE, 0x00, 0x7B]).expect("write");
        let bad = load_map_file(&path, 1024, &progress).expect_err("binary");
        assert!(bad.diagnostics[0].message.contains("not UTF-8"));
    }

    #[test]
    fn map_files_are_told_from_scenarios() {
        let dir = tempfile::tempdir().expect("tempdir");
        let toml = dir.path().join("a.toml");
        std::fs::write(&toml, "format = \"demarche-scenario\"\n").expect("write");
        assert!(!looks_like_map_file(&toml));
        let braces = dir.path().join("a.txt");
        std::fs::write(&braces, "\n  {\"type\": \"Point\"}").expect("write");
        assert!(looks_like_map_file(&braces));
        assert!(looks_like_map_file(Path::new("x.GeoJSON")));
    }

    #[test]
    fn json_scenarios_are_told_from_maps_by_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            path
        };
        let scenario = write(
            "crisis.json",
            "\u{feff}\n{\"format\": \"demarche-scenario\", \"version\": 1}",
        );
        assert!(!looks_like_map_file(&scenario));
        // `format` after another member, and a scenario whose format is misspelt: still a scenario.
        let later = write(
            "later.geojson",
            "{\"version\": 1, \"format\": \"demarche-scenario\"}",
        );
        assert!(!looks_like_map_file(&later));
        let misspelt = write("typo.json", "{\"format\": \"demarche-scenari\"}");
        assert!(!looks_like_map_file(&misspelt));
        let map = write(
            "map.json",
            "{\"type\": \"FeatureCollection\", \"features\": []}",
        );
        assert!(looks_like_map_file(&map));
        let named = write("named.json", "{\"name\": \"x\", \"type\": \"Topology\"}");
        assert!(looks_like_map_file(&named));
    }
}
