//! The command line: `demarche [SCENARIO]` opens the app; `demarche check FILE...` validates files.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diagnostics::Report;
use crate::io::map_file::{DEFAULT_MAX_MAP_BYTES, Progress, load_map_file, looks_like_map_file};
use crate::io::scenario;

const EXAMPLES: &str = "\
Examples:
  demarche                                  Open the app on the embedded Ankara-channel scenario
  demarche my-crisis.toml                   Open the app on your own scenario file
  demarche --basemap rivers.geojson         Add a GeoJSON or TopoJSON layer over the embedded basemap
  demarche check my-crisis.toml             Validate a scenario: every problem, with file:line:column
  demarche check generated.json             A scenario in JSON (the same schema, for large generated files)
  demarche check --short a.toml b.toml      One line per problem, for scripts and editors
  demarche check countries.geojson          Check a map file (GeoJSON or TopoJSON): every defect, with its place

Exit status of `check`: 0 when every file is valid (warnings allowed), 1 when one is not, 2 on usage errors.
The scenario format is described in the README (section \"The scenario format\").";

/// A desktop map viewer for diplomacy in motion: who meets whom, where, when, through which mediator.
#[derive(Debug, Parser)]
#[command(name = "demarche", version, about, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Scenario file to open (TOML, or JSON); without one, the embedded Ankara-channel scenario.
    pub scenario: Option<PathBuf>,

    /// A map file (GeoJSON or TopoJSON) to draw over the embedded Natural Earth basemap; repeatable.
    #[arg(long, value_name = "FILE")]
    pub basemap: Vec<PathBuf>,

    /// Refuse map files larger than this many MiB before reading them (they take about five times their
    /// size in memory once loaded).
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_map_size: u64,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate scenario files and map files (GeoJSON, TopoJSON) and report every problem, compiler-style.
    ///
    /// A JSON file whose top-level `format` is "demarche-scenario" (or whose first key is a scenario's) is a
    /// scenario. Other files named `.geojson`, `.topojson` or `.json`, or starting with `{`, are map files (a
    /// TopoJSON file's `type` is "Topology"); anything else is a TOML scenario.
    #[command(
        after_help = "Exit status: 0 when every file is valid (warnings allowed), 1 when one is not, 2 on usage errors."
    )]
    Check {
        /// Files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// One line per problem (`file:line:col: error: message [path] (hint: ...)`) instead of excerpts.
        #[arg(long)]
        short: bool,
    },
}

/// `demarche check`: 0 when all files are valid, 1 otherwise.
pub fn check(files: &[PathBuf], short: bool) -> ExitCode {
    let mut all_valid = true;
    // Colours only on a terminal: piped into a file or an editor, the output stays plain text.
    let color = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut stderr = StandardStream::stderr(color);
    let mut stdout = std::io::stdout().lock();
    for path in files {
        let (report, summary) = if looks_like_map_file(path) {
            check_map(path, &mut all_valid)
        } else {
            match scenario::load(path) {
                Ok(loaded) => {
                    let s = &loaded.scenario;
                    let summary = format!(
                        "{}: valid: {}, {}, {}, {}{}",
                        path.display(),
                        count(s.contacts.len(), "contact"),
                        count(s.actors.len(), "actor"),
                        count(s.venues.len(), "venue"),
                        count(s.sources.len(), "source"),
                        plural_suffix(loaded.report.warning_count(), "warning"),
                    );
                    (loaded.report, summary)
                }
                Err(report) => {
                    all_valid = false;
                    let summary = failure_summary(path, "invalid", &report);
                    (report, summary)
                }
            }
        };
        if short {
            for line in report.to_lines() {
                let _ = writeln!(stderr, "{line}");
            }
        } else if let Err(err) = report.emit(&mut stderr) {
            let _ = writeln!(
                stderr,
                "{}: cannot show the problems: {err}",
                path.display()
            );
        }
        let _ = writeln!(stdout, "{summary}");
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Loads a map file for `check`: its report and its summary line.
fn check_map(path: &std::path::Path, all_valid: &mut bool) -> (Report, String) {
    match load_map_file(path, DEFAULT_MAX_MAP_BYTES, &Progress::new()) {
        Ok(loaded) => {
            let nulls = loaded.null_geometries();
            let summary = format!(
                "{}: loads: {}{}{}",
                path.display(),
                count(loaded.layer.features.len(), "feature"),
                if nulls == 0 {
                    String::new()
                } else {
                    format!(
                        " ({})",
                        count(nulls, "null geometry").replace("geometrys", "geometries")
                    )
                },
                plural_suffix(loaded.report.warning_count(), "warning"),
            );
            (loaded.report, summary)
        }
        Err(report) => {
            *all_valid = false;
            let summary = failure_summary(path, "does not load", &report);
            (report, summary)
        }
    }
}

/// `file: invalid: 2 errors, 1 warning`.
fn failure_summary(path: &std::path::Path, verdict: &str, report: &Report) -> String {
    format!(
        "{}: {verdict}: {}{}",
        path.display(),
        count(report.error_count(), "error"),
        plural_suffix(report.warning_count(), "warning"),
    )
}

/// `1 error`, `2 errors`.
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn plural_suffix(n: usize, what: &str) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {}", count(n, what))
    }
}
