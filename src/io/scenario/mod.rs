//! Reading scenario files (TOML, format `demarche-scenario`, version 1; see the README for the reference).
//!
//! The embedded default goes through the same path as a user's file.

mod raw;
mod validate;

use std::path::Path;

pub use raw::{FORMAT, VERSION};

use crate::diagnostics::{Diagnostic, Report};
use crate::io::text::{DEFAULT_MAX_SCENARIO_BYTES, TextError, human_bytes, read_text};
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

/// Parses and validates scenario text. `name` is how the file is named in diagnostics.
pub fn parse(name: &str, text: &str) -> Result<Loaded, Report> {
    let mut diagnostics = Vec::new();
    let raw = match toml::from_str::<raw::RawFile>(text) {
        Ok(raw) => raw,
        // Read again, slowly, to find every problem rather than the first.
        Err(_) => raw::read_recoverable(text, &mut diagnostics),
    };
    let scenario = if diagnostics.iter().any(Diagnostic::is_error) {
        // Validate what could be read anyway, so the user sees those problems too.
        let _ = validate::validate(raw, text, &mut diagnostics);
        None
    } else {
        validate::validate(raw, text, &mut diagnostics)
    };
    diagnostics.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    let mut report = Report::new(name, text);
    report.diagnostics = diagnostics;
    match scenario {
        Some(scenario) if !report.has_errors() => Ok(Loaded { scenario, report }),
        _ => Err(report),
    }
}

/// Reads, parses and validates a scenario file, refusing files over the default size limit.
pub fn load(path: &Path) -> Result<Loaded, Report> {
    load_with_limit(path, DEFAULT_MAX_SCENARIO_BYTES)
}

/// Reads, parses and validates a scenario file of at most `limit` bytes.
pub fn load_with_limit(path: &Path, limit: u64) -> Result<Loaded, Report> {
    let name = path.display().to_string();
    match read_text(path, limit) {
        Ok(text) => parse(&name, &text),
        Err(TextError::Io(err)) => Err(file_report(
            &name,
            format!("cannot read the file: {err}"),
            None,
        )),
        Err(TextError::TooLarge { size, limit }) => Err(file_report(
            &name,
            format!(
                "the file is {}, more than the {} a scenario file may have",
                human_bytes(size),
                human_bytes(limit)
            ),
            Some(
                "is it really a scenario? Split very large scenarios into several files".to_owned(),
            ),
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

fn file_report(name: &str, message: String, hint: Option<String>) -> Report {
    let mut report = Report::new(name, "");
    report
        .diagnostics
        .push(Diagnostic::error(message).maybe_hint(hint));
    report
}
