//! Event datasets in: GDELT (2.0, 1.0, translated, BigQuery exports, mentions), ACLED and ICEWS files become
//! a scenario of *candidate* contacts, each saying where it comes from.
//!
//! The format is told from the content ([`detect`]), never from the name. Each file is read record by
//! record (the `csv` crate), so a file of any size takes the memory of what is kept, not of the file. Each
//! row is mapped by the table in [`cameo`], filtered ([`Options`]), and merged with the rows that report the
//! same event ([`build`]: same day, same actors, same code group, same place). Every row that is not kept is
//! counted with why, and every problem is reported at `file:line:column` ([`Problems`]).
//!
//! ```no_run
//! use demarche::import::{Options, import};
//!
//! let imported = import(&["20150218230000.export.CSV".into()], &Options::default())?;
//! println!("{}", imported.summary);
//! std::fs::write("out.json", demarche::io::scenario::write::to_json(&imported.scenario))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod build;
pub mod cameo;
pub mod countries;
pub mod detect;
pub mod gazetteer;
mod parquet_rows;
mod read;
pub mod sheet;
pub mod update;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diagnostics::{Severity, thousands};
use crate::model::Scenario;

pub use detect::Format;

/// What to keep. The defaults keep CAMEO roots 03, 04 and 05 (intentions to cooperate, consultations,
/// diplomatic cooperation) from every date and place.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// First day kept (inclusive), by the event's date.
    pub from: Option<Date>,
    /// Last day kept (inclusive).
    pub to: Option<Date>,
    /// West, south, east, north in degrees: rows placed outside, or not placed, are dropped.
    pub bbox: Option<[f64; 4]>,
    /// ISO alpha-2 codes: a row is kept when an actor or its place belongs to one of them.
    pub countries: Vec<String>,
    /// CAMEO code prefixes (`04`, `057`); ACLED rows are selected by the code of their type (see
    /// [`cameo::acled_code`]).
    pub kinds: Vec<String>,
    /// Contacts reported by fewer distinct sources are dropped.
    pub min_sources: u32,
}

/// The CAMEO roots kept when `--kinds` is not given.
pub const DEFAULT_KINDS: [&str; 3] = ["03", "04", "05"];

impl Default for Options {
    fn default() -> Self {
        Self {
            from: None,
            to: None,
            bbox: None,
            countries: Vec::new(),
            kinds: DEFAULT_KINDS.iter().map(|k| (*k).to_owned()).collect(),
            min_sources: 0,
        }
    }
}

/// The scenario made, what was counted, and the problems found.
#[derive(Debug)]
pub struct Imported {
    pub scenario: Scenario,
    pub summary: Summary,
    pub problems: Problems,
}

/// A problem in an input file, at its line and column (1-based; column 0 when the whole row is meant).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    pub line: u64,
    pub column: usize,
    pub message: String,
    /// The column's name (`SQLDATE`, `event_date`), when one field is meant.
    pub field: String,
    pub hint: Option<String>,
}

impl fmt::Display for Problem {
    /// `file:line:column: error: message [field] (hint: ...)`, as `demarche check --short` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: {}", self.message)?;
        if !self.field.is_empty() {
            write!(f, " [{}]", self.field)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The problems of an import: the first [`Problems::SHOWN`] kept, the others counted.
#[derive(Clone, Debug, Default)]
pub struct Problems {
    pub shown: Vec<Problem>,
    pub more_errors: usize,
    pub more_warnings: usize,
}

impl Problems {
    pub const SHOWN: usize = 1000;

    pub fn push(&mut self, problem: Problem) {
        if self.shown.len() < Self::SHOWN {
            self.shown.push(problem);
        } else if problem.severity == Severity::Error {
            self.more_errors += 1;
        } else {
            self.more_warnings += 1;
        }
    }

    pub fn error_count(&self) -> usize {
        self.shown
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
            + self.more_errors
    }

    pub fn warning_count(&self) -> usize {
        self.shown.len() + self.more_errors + self.more_warnings - self.error_count()
    }

    /// One line per problem, and one for those only counted.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.shown.iter().map(ToString::to_string).collect();
        if self.more_errors + self.more_warnings > 0 {
            lines.push(format!(
                "... and {} more problems not shown ({} errors, {} warnings)",
                thousands(self.more_errors + self.more_warnings),
                thousands(self.more_errors),
                thousands(self.more_warnings)
            ));
        }
        lines
    }
}

/// What happened to the rows of one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileCounts {
    pub file: String,
    /// The format detected, as the summary names it.
    pub format: String,
    /// Data rows read (a header is not a row).
    pub read: u64,
    /// Rows that went into a contact (for a mentions file: mentions read whole).
    pub kept: u64,
    /// A mentions file: its rows describe events of other files and make no contact of their own.
    pub is_mentions: bool,
    /// Rows left out, by why.
    pub dropped: BTreeMap<String, u64>,
}

impl FileCounts {
    pub fn dropped_total(&self) -> u64 {
        self.dropped.values().sum()
    }
}

/// The counts of an import.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub files: Vec<FileCounts>,
    /// Contacts made.
    pub contacts: usize,
    /// Kept rows that merged into another row's contact (kept = contacts + merged).
    pub merged: u64,
    /// Mentions read, and of those, the ones whose event was among the rows read.
    pub mentions: u64,
    pub mentions_joined: u64,
    /// Venues of a spreadsheet placed from the gazetteer by name: which city each was matched to.
    pub placed: Vec<String>,
}

impl Summary {
    /// Rows of event files that went into a contact (mentions are not counted: they make no contact).
    pub fn event_rows_kept(&self) -> u64 {
        self.files
            .iter()
            .filter(|c| !c.is_mentions)
            .map(|c| c.kept)
            .sum()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = |v: u64| thousands(v as usize);
        for file in &self.files {
            writeln!(
                f,
                "{}: {}: {} rows read, {} kept, {} dropped",
                file.file,
                file.format,
                n(file.read),
                n(file.kept),
                n(file.dropped_total())
            )?;
            for (why, count) in &file.dropped {
                writeln!(f, "  dropped {}: {why}", n(*count))?;
            }
        }
        if self.mentions > 0 {
            writeln!(
                f,
                "mentions: {} read, {} joined to an event read, {} of events not read",
                n(self.mentions),
                n(self.mentions_joined),
                n(self.mentions - self.mentions_joined)
            )?;
        }
        for line in &self.placed {
            writeln!(f, "{line}")?;
        }
        let kept = self.event_rows_kept();
        if !self.files.is_empty()
            && self
                .files
                .iter()
                .all(|c| c.format.starts_with(sheet::FORMAT))
        {
            return write!(
                f,
                "{} contacts (the analyst's own) from {} rows kept",
                thousands(self.contacts),
                n(kept)
            );
        }
        write!(
            f,
            "{} contacts (candidates) from {} rows kept: {} rows merged into another row's contact",
            thousands(self.contacts),
            n(kept),
            n(self.merged)
        )
    }
}

/// Why an import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {message}")]
    File {
        file: String,
        message: String,
        hint: Option<String>,
    },
    /// Every file failed or nothing was kept; the problems say why.
    #[error("no contact was kept")]
    NothingKept,
}

impl ImportError {
    pub fn hint(&self) -> Option<&str> {
        match self {
            Self::File { hint, .. } => hint.as_deref(),
            Self::NothingKept => None,
        }
    }
}

/// Reads `paths` (any mix of formats; mentions are joined to the GDELT events read) into a scenario.
///
/// A file that cannot be read or whose format is unknown is an error; a bad row is reported and counted,
/// and the import goes on.
pub fn import(paths: &[PathBuf], options: &Options) -> Result<Imported, ImportError> {
    let sheets: Vec<&PathBuf> = paths.iter().filter(|p| sheet::is_sheet_file(p)).collect();
    if !sheets.is_empty() {
        if sheets.len() < paths.len() {
            let other = paths.iter().find(|p| !sheet::is_sheet_file(p));
            return Err(ImportError::File {
                file: other.map(|p| p.display().to_string()).unwrap_or_default(),
                message:
                    "spreadsheets in demarche's template and event datasets are imported apart"
                        .to_owned(),
                hint: Some(
                    "run one `demarche import` for the template's files, one for the events"
                        .to_owned(),
                ),
            });
        }
        return sheet::import(paths);
    }
    let mut problems = Problems::default();
    let mut detected = Vec::with_capacity(paths.len());
    for path in paths {
        let format = detect::detect_file(path).map_err(|e| e.for_file(path))?;
        detected.push((path.as_path(), format));
    }
    // Mentions first: the events then take their first report and number of sources from them.
    let mut mentions = read::Mentions::default();
    let mut summary = Summary::default();
    for (path, (format, container)) in &detected {
        if format.is_mentions() {
            let counts =
                read::read_mentions(path, (format, *container), &mut mentions, &mut problems)
                    .map_err(|e| e.for_file(path))?;
            summary.files.push(counts);
        }
    }
    let mut builder = build::Builder::new(options, &mentions);
    for (path, (format, container)) in &detected {
        if !format.is_mentions() {
            builder.set_file(summary.files.len());
            let counts = read::read_events(path, (format, *container), &mut builder, &mut problems)
                .map_err(|e| e.for_file(path))?;
            summary.files.push(counts);
        }
    }
    summary.mentions = mentions.read;
    summary.mentions_joined = builder.mentions_joined();
    let title = title_of(paths);
    let built = builder.finish(&title, &mut summary);
    summary.contacts = built.contacts.len();
    Ok(Imported {
        scenario: built,
        summary,
        problems,
    })
}

/// "Imported from a.tsv and b.csv".
fn title_of(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            Path::new(p).file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    match names.as_slice() {
        [] => "Imported events".to_owned(),
        [one] => format!("Imported from {one}"),
        [first, rest @ ..] if rest.len() < 3 => {
            format!("Imported from {first} and {}", rest.join(", "))
        }
        [first, rest @ ..] => format!("Imported from {first} and {} other files", rest.len()),
    }
}
