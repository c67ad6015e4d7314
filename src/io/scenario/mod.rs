//! Reading scenario files (format `demarche-scenario`, version 1; see the README for the reference), in
//! either encoding of the same schema: TOML, written by hand, or JSON, for large generated or exported
//! scenarios. A text whose first non-blank character is `{` is JSON (a TOML file cannot start so).
//!
//! Both encodings read into the same structs ([`raw`]) and go through the same validator ([`validate`]).
//! The embedded default goes through the same path as a user's file.

pub mod examples;
mod json_read;
mod raw;
pub mod save;
mod stamp;
pub(crate) mod toml_read;
mod validate;
pub mod write;

use std::path::Path;

use raw::TOP_LEVEL_KEYS;
pub use raw::{FORMAT, VERSION};
pub use stamp::Stamp;

use crate::diagnostics::{Diagnostic, Report};
use crate::io::json::{Locator, Seg};
use crate::io::kept::Kept;
use crate::io::text::{
    DEFAULT_MAX_SCENARIO_BYTES, MAX_JSON_SCENARIO_BYTES, TextError, human_bytes,
    read_text_limited_by,
};
use crate::model::Scenario;

/// The Ankara-channel weekend (30 Jan - 1 Feb 2026), the scenario the app opens with.
pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../../data/scenarios/ankara-channel.toml");
/// The name the embedded scenario is reported under.
pub const DEFAULT_SCENARIO_NAME: &str = "<embedded>/data/scenarios/ankara-channel.toml";

/// A scenario that loaded, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub scenario: Scenario,
    /// Warnings only (a report with errors is returned as the `Err` of the loaders).
    pub report: Report,
}

/// The two encodings of a scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Toml,
    Json,
}

impl Encoding {
    /// JSON when the first non-blank character (after a byte-order mark) is `{`, TOML otherwise.
    fn of(text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with('{') {
            Encoding::Json
        } else {
            Encoding::Toml
        }
    }
}

/// Whether the start of a JSON text is a scenario rather than a map: its top-level `format` is
/// `demarche-scenario`, or its first key is one of a scenario's top-level keys (`format`, `version`,
/// `scenario`, `sources`, `actors`, `venues`, `contacts`), none of which starts a GeoJSON or TopoJSON file.
/// `head` may be cut anywhere (the first few KiB of a file).
pub fn looks_like_json_scenario(head: &str) -> bool {
    let head = head.strip_prefix('\u{feff}').unwrap_or(head);
    let format = Locator::new(head)
        .locate(&[Seg::key("format")])
        .and_then(|span| head.get(span));
    if format == Some(&format!("\"{FORMAT}\"")) {
        return true;
    }
    let first_key = head
        .trim_start()
        .strip_prefix('{')
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix('"'))
        .and_then(|rest| rest.split_once('"'))
        .map(|(key, _)| key);
    first_key.is_some_and(|key| TOP_LEVEL_KEYS.contains(&key))
}

/// Parses and validates scenario text, TOML or JSON (told by its content). `name` is how the file is
/// named in diagnostics.
///
/// A scenario with problems comes back as a [`Report`] that names each one with its place in the text:
///
/// ```
/// use demarche::io::scenario::{DEFAULT_SCENARIO_TOML, parse};
///
/// let loaded = parse("ankara-channel.toml", DEFAULT_SCENARIO_TOML).expect("the default scenario is valid");
/// assert_eq!(loaded.scenario.contacts.len(), 13);
/// assert!(loaded.report.diagnostics.is_empty(), "and has no warnings");
///
/// let broken = DEFAULT_SCENARIO_TOML.replacen("kind = \"phone_call\"", "kind = \"phone_cal\"", 1);
/// let report = parse("broken.toml", &broken).expect_err("an unknown kind is an error");
/// assert!(report.has_errors());
/// let text = report.to_lines().join("\n");
/// assert!(text.contains("phone_cal") && text.contains("broken.toml:"), "{text}");
/// ```
pub fn parse(name: &str, text: &str) -> Result<Loaded, Report> {
    parse_keeping(name, text, true).map(|(loaded, _)| loaded)
}

/// What `demarche check` says of a valid scenario file: its sizes and warnings.
#[derive(Clone, Debug)]
pub struct Checked {
    pub contacts: usize,
    pub actors: usize,
    pub venues: usize,
    pub sources: usize,
    /// Warnings only.
    pub report: Report,
    /// The scenario, without its contacts when they were let go once checked.
    pub scenario: Scenario,
    /// When the contacts were let go: the characters beyond ASCII of the file, each once (the file is
    /// JSON, whose only text is in strings), so that `check` can tell the scripts no font has.
    pub unkept_text: String,
}

/// Reads and validates a scenario file as [`load`] does, without keeping its contacts where the reader
/// can let them go (a JSON file whose contacts come last, as demarche writes it): a check of a million
/// contacts holds their ids, not the contacts.
///
/// ```
/// use std::path::Path;
///
/// let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/ankara-channel.toml");
/// let checked = demarche::io::scenario::check_file(&path).expect("valid");
/// assert_eq!(checked.contacts, 13);
/// ```
pub fn check_file(path: &Path) -> Result<Checked, Report> {
    let text = read_scenario_text(path, DEFAULT_MAX_SCENARIO_BYTES)?;
    let (loaded, contacts) = parse_keeping(&path.display().to_string(), &text, false)?;
    let s = &loaded.scenario;
    let unkept_text = if s.contacts.len() < contacts {
        let mut seen = std::collections::BTreeSet::new();
        text.chars()
            .filter(|c| !c.is_ascii() && seen.insert(*c))
            .collect()
    } else {
        String::new()
    };
    Ok(Checked {
        contacts,
        actors: s.actors.len(),
        venues: s.venues.len(),
        sources: s.sources.len(),
        report: loaded.report,
        scenario: loaded.scenario,
        unkept_text,
    })
}

/// [`parse`], with the number of contacts read; the contacts are kept only if `keep_contacts` (or where
/// the reader needs them all anyway).
fn parse_keeping(name: &str, text: &str, keep_contacts: bool) -> Result<(Loaded, usize), Report> {
    if text.starts_with("\u{feff}\u{feff}") {
        return Err(two_marks(name, text, 3));
    }
    let (scenario, diagnostics, count) = match Encoding::of(text) {
        Encoding::Json => json_read::read_keeping(text, keep_contacts),
        Encoding::Toml => {
            let (scenario, diagnostics) = read_toml(text);
            let count = scenario.as_ref().map_or(0, |s| s.contacts.len());
            (scenario, diagnostics, count)
        }
    };
    // In file order (those without a place first), the first SHOWN_PROBLEMS; the others counted.
    let (diagnostics, omitted) = diagnostics.into_parts();
    let mut report = Report::new(name, kept_text(text, &diagnostics));
    report.diagnostics = diagnostics;
    report.omitted = omitted;
    match scenario {
        Some(scenario) if !report.has_errors() => Ok((Loaded { scenario, report }, count)),
        _ => Err(report),
    }
}

pub use crate::io::kept::SHOWN_PROBLEMS;

/// Reads and validates TOML text: the scenario when it has no error, and every problem.
fn read_toml(text: &str) -> (Option<Scenario>, Kept<Diagnostic>) {
    if text.len() >= toml_read::PIECES_FROM_BYTES
        && let Some(scenario) = toml_read::read_valid_in_pieces(text, toml_read::PIECE_BYTES)
    {
        return (Some(scenario), Kept::default());
    }
    if text.len() >= toml_read::PIECES_FROM_BYTES {
        // More syntax errors than are shown: the file is reported from its pieces, never held whole
        // (`toml` keeps every error, and the tree of the whole file).
        let mut syntax = Kept::default();
        toml_read::syntax_in_pieces(text, toml_read::PIECE_BYTES, &mut syntax);
        if syntax.total() > SHOWN_PROBLEMS {
            syntax.only_syntax();
            return (None, syntax);
        }
    }
    let mut diagnostics = Kept::default();
    let raw = toml_read::read(text, &mut diagnostics);
    let read_cleanly = !diagnostics.has_errors();
    // What could be read is validated anyway, so the user sees those problems too.
    let outcome = validate::validate(raw, text);
    diagnostics.append(outcome.problems.map(|p| p.diagnostic));
    (outcome.scenario.filter(|_| read_cleanly), diagnostics)
}

/// The part of the text a report needs: up to the end of the last line a diagnostic points at. A valid
/// 30 MiB file is not copied into its report.
fn kept_text<'t>(text: &'t str, diagnostics: &[Diagnostic]) -> &'t str {
    let last = diagnostics
        .iter()
        .filter_map(|d| d.span.as_ref())
        .map(|s| s.end)
        .max();
    let Some(last) = last else {
        return "";
    };
    let last = last.min(text.len());
    let end = text.as_bytes()[last..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |n| last + n);
    text.get(..end).unwrap_or(text)
}

/// Reads, parses and validates a scenario file, refusing files over the default size limit.
///
/// ```
/// use std::path::Path;
///
/// let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/ankara-channel.toml");
/// let loaded = demarche::io::scenario::load(&path).expect("valid");
/// assert_eq!(loaded.scenario.meta.title, "The Ankara channel, 30 Jan - 1 Feb 2026");
///
/// let missing = demarche::io::scenario::load(Path::new("no-such-file.toml")).expect_err("no file");
/// assert!(missing.to_lines().join("\n").contains("cannot read the file"));
/// ```
pub fn load(path: &Path) -> Result<Loaded, Report> {
    load_with_limit(path, DEFAULT_MAX_SCENARIO_BYTES)
}

/// Reads, parses and validates a scenario file of at most `limit` bytes in TOML (JSON: see
/// [`read_scenario_text`]).
pub fn load_with_limit(path: &Path, limit: u64) -> Result<Loaded, Report> {
    let text = read_scenario_text(path, limit)?;
    parse(&path.display().to_string(), &text)
}

/// Reads, parses and validates a scenario file (at most the default size limit), with the stamp of the
/// very bytes that were read: the command line's export and the window's documents both read so.
///
/// ```
/// use demarche::io::scenario::{DEFAULT_SCENARIO_TOML, Stamp, read_file_with_stamp};
/// let dir = tempfile::tempdir().expect("a folder");
/// let path = dir.path().join("crisis.toml");
/// std::fs::write(&path, DEFAULT_SCENARIO_TOML).expect("written");
/// let (loaded, stamp) = read_file_with_stamp(&path).map_err(|r| r.to_lines()).expect("valid");
/// assert_eq!(stamp, Stamp::new(&loaded.scenario.meta.id, DEFAULT_SCENARIO_TOML.as_bytes()));
/// ```
pub fn read_file_with_stamp(path: &Path) -> Result<(Loaded, Stamp), Report> {
    // Read once: the stamp hashes the very text that was drawn.
    let started = std::time::Instant::now();
    let text = read_scenario_text(path, DEFAULT_MAX_SCENARIO_BYTES)?;
    let read = started.elapsed();
    // A large file is hashed on another thread while it is parsed (hashing 350 MB takes 0.2 s).
    let (loaded, stamp) = std::thread::scope(|scope| {
        let hashing = (text.len() >= PARALLEL_STAMP_BYTES)
            .then(|| {
                std::thread::Builder::new()
                    .name("stamp".to_owned())
                    .spawn_scoped(scope, || Stamp::new("", text.as_bytes()))
                    .ok()
            })
            .flatten();
        let loaded = parse(&path.display().to_string(), &text);
        let stamp = hashing
            .and_then(|h| h.join().ok())
            .unwrap_or_else(|| Stamp::new("", text.as_bytes()));
        (loaded, stamp)
    });
    let loaded = loaded?;
    log::info!(
        "{}: {} bytes read in {:.0} ms, parsed and checked in {:.0} ms",
        path.display(),
        text.len(),
        read.as_secs_f64() * 1000.0,
        (started.elapsed() - read).as_secs_f64() * 1000.0
    );
    let stamp = stamp.for_scenario(&loaded.scenario.meta.id);
    Ok((loaded, stamp))
}

/// From this size on, [`read_file_with_stamp`] hashes the text on another thread while parsing it.
const PARALLEL_STAMP_BYTES: usize = 4 << 20;

/// The embedded default scenario with the stamp of its text.
pub fn default_scenario_with_stamp() -> (Loaded, Stamp) {
    let loaded = default_scenario();
    let stamp = Stamp::new(&loaded.scenario.meta.id, DEFAULT_SCENARIO_TOML.as_bytes());
    (loaded, stamp)
}

/// Reads a scenario file's text (UTF-8, without a byte-order mark), for [`parse`]: a TOML file of at most
/// `limit` bytes, a JSON one (told by its first character, `{`) of at most [`MAX_JSON_SCENARIO_BYTES`];
/// what stops it is reported as [`load`] reports it.
pub fn read_scenario_text(path: &Path, limit: u64) -> Result<String, Report> {
    let name = path.display().to_string();
    let limit_for = |head: &[u8]| {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => MAX_JSON_SCENARIO_BYTES.max(limit),
            _ => limit,
        }
    };
    let mut json = false;
    let result = read_text_limited_by(path, |head| {
        let chosen = limit_for(head);
        json = chosen != limit;
        chosen
    });
    match result {
        // The reader dropped one mark: a second one is an error (a file saved twice with a BOM added).
        Ok(text) if text.starts_with('\u{feff}') => Err(two_marks(&name, &text, 0)),
        Ok(text) => Ok(text),
        Err(TextError::Io(err)) => Err(file_report(
            &name,
            format!("cannot read the file: {err}"),
            None,
        )),
        Err(TextError::TooLarge { size, limit }) if json => Err(file_report(
            &name,
            format!(
                "the file is {}, more than the {} a JSON scenario file may have",
                human_bytes(size),
                human_bytes(limit)
            ),
            Some("is it really a scenario?".to_owned()),
        )),
        Err(TextError::TooLarge { size, limit }) => Err(file_report(
            &name,
            format!(
                "the file is {}, more than the {} a scenario file may have in TOML",
                human_bytes(size),
                human_bytes(limit)
            ),
            Some(format!(
                "write a scenario this large in JSON, the same schema (see \"The JSON encoding\" in the \
                 README): JSON is read in one streaming pass, in files of up to {}",
                human_bytes(MAX_JSON_SCENARIO_BYTES)
            )),
        )),
        Err(TextError::NotUtf8(bad)) => {
            let mut report = Report::new(name, bad.lossy);
            report.diagnostics.push(bad.diagnostic);
            Err(report)
        }
    }
}

/// The embedded Ankara-channel scenario.
///
/// ```
/// let loaded = demarche::io::scenario::default_scenario();
/// let s = &loaded.scenario;
/// let first = s.chronological()[0];
/// println!("{} contacts, the first: {}", s.contacts.len(), s.contact(first).id);
/// assert_eq!(s.contacts.len(), 13);
/// ```
///
/// # Panics
/// Never in a released build: a test checks that the embedded file is valid.
pub fn default_scenario() -> Loaded {
    match parse(DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML) {
        Ok(loaded) => loaded,
        Err(report) => panic!(
            "the embedded scenario is invalid:\n{}",
            report.to_lines().join("\n")
        ),
    }
}

/// A scenario that starts with two byte-order marks (the second at `at`): refused, said plainly (a
/// parser would only see a strange character).
fn two_marks(name: &str, text: &str, at: usize) -> Report {
    let shown = text.get(..at + 3).unwrap_or(text);
    let mut report = Report::new(name, shown);
    report.diagnostics.push(
        Diagnostic::error(
            "the file starts with two byte-order marks (U+FEFF); one at most is allowed",
        )
        .at(at..at + 3)
        .hint("save the file as UTF-8 without a byte-order mark, or remove the second one"),
    );
    report
}

fn file_report(name: &str, message: String, hint: Option<String>) -> Report {
    let mut report = Report::new(name, "");
    report
        .diagnostics
        .push(Diagnostic::error(message).maybe_hint(hint));
    report
}
