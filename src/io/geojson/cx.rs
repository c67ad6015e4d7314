//! What the GeoJSON reader carries while it reads: where it is, what it found wrong, what it counts.
//!
//! Problems that can repeat thousands of times in a real file are capped per kind (the first few are shown
//! with their places, then one line says how many more there were); problems that are normal in real data
//! (winding, precision) are only counted, and reported once per file.

use crate::diagnostics::{Diagnostic, Report, thousands};
use crate::io::json::{Locator, Problem, Seg, path_string, sort_in_file_order};

/// Families of problems, each capped at [`SHOWN_PER_KIND`] diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Structure,
    Coordinate,
    ExtraValues,
    OutOfRange,
    Ring,
}

const KINDS: usize = 5;
const SHOWN_PER_KIND: usize = 10;

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Structure => "structure problems",
            Kind::Coordinate => "bad positions",
            Kind::ExtraValues => "positions with more than 3 values",
            Kind::OutOfRange => "coordinates out of range",
            Kind::Ring => "ring and line problems",
        }
    }
}

/// How many times something happened, where it happened first, and in which features.
#[derive(Debug, Default)]
pub struct Tally {
    pub count: usize,
    pub first: Option<Vec<Seg>>,
    /// The first few feature indices, without repeats.
    pub features: Vec<usize>,
}

impl Tally {
    pub fn add(&mut self, path: &[Seg]) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(path.to_vec());
        }
        if self.features.len() < 5
            && let [Seg::Key(k), Seg::Index(i), ..] = path
            && self.features.last() != Some(i)
            && k == "features"
        {
            self.features.push(*i);
        }
    }

    /// `features[0], features[3], features[7]`, or the first path for a single geometry.
    pub fn places(&self) -> String {
        if self.features.is_empty() {
            return self.first.as_deref().map(path_string).unwrap_or_default();
        }
        let list: Vec<String> = self
            .features
            .iter()
            .map(|i| format!("features[{i}]"))
            .collect();
        let more = if self.count > self.features.len() {
            ", ..."
        } else {
            ""
        };
        format!("{}{more}", list.join(", "))
    }
}

/// The reader's state: the path of the value being read and the problems found so far.
#[derive(Debug, Default)]
pub struct Cx {
    pub path: Vec<Seg>,
    pending: Vec<Problem>,
    shown: [usize; KINDS],
    hidden: [usize; KINDS],
    /// Errors reported so far (including hidden ones): a geometry whose reading added errors is dropped.
    pub errors: usize,
    pub clockwise_outer: Tally,
    pub counter_clockwise_holes: Tally,
    pub precision: Tally,
    /// The text's address and length, to turn borrowed member names into byte offsets.
    pub text: (usize, usize),
    /// For features of the file's `features`: their index and the byte offset of their first member name.
    pub feature_starts: Vec<(usize, usize)>,
    /// Where the features of the file's `features` go as soon as each is whole, when they are handed
    /// over while reading ([`super::stream_geojson`]); the list keeps each one's id only.
    pub sink: Option<std::sync::mpsc::Sender<crate::model::map::Feature>>,
    /// How many features went to the sink.
    pub streamed: usize,
}

impl Cx {
    pub fn new(text: &str) -> Self {
        Self {
            text: (text.as_ptr() as usize, text.len()),
            ..Self::default()
        }
    }

    /// The byte offset in the text of an address inside it.
    pub fn text_offset(&self, address: usize) -> Option<usize> {
        let offset = address.checked_sub(self.text.0)?;
        (offset < self.text.1).then_some(offset)
    }

    /// Records a problem at the current path followed by `suffix`.
    pub fn report(&mut self, kind: Kind, diagnostic: Diagnostic, suffix: &[Seg]) {
        if diagnostic.is_error() {
            self.errors += 1;
        }
        let k = kind as usize;
        if self.shown[k] >= SHOWN_PER_KIND {
            self.hidden[k] += 1;
            return;
        }
        self.shown[k] += 1;
        let mut path = self.path.clone();
        path.extend_from_slice(suffix);
        self.pending.push(Problem::at(diagnostic, path));
    }

    /// Records a problem that already has its place (or has none).
    pub fn report_placed(&mut self, diagnostic: Diagnostic) {
        if diagnostic.is_error() {
            self.errors += 1;
        }
        self.pending.push(Problem::placed(diagnostic));
    }

    /// Records a once-per-file problem placed at a path.
    pub fn report_at(&mut self, diagnostic: Diagnostic, path: Option<Vec<Seg>>) {
        if diagnostic.is_error() {
            self.errors += 1;
        }
        self.pending.push(Problem {
            diagnostic,
            anchor: path,
        });
    }

    /// Adds the per-file summaries (winding, precision, hidden counts).
    pub fn summarise(&mut self) {
        let outer = std::mem::take(&mut self.clockwise_outer);
        let holes = std::mem::take(&mut self.counter_clockwise_holes);
        if outer.count + holes.count > 0 {
            let mut parts = Vec::new();
            if outer.count > 0 {
                parts.push(format!(
                    "{} outer ring{} clockwise ({})",
                    thousands(outer.count),
                    if outer.count == 1 { " is" } else { "s are" },
                    outer.places()
                ));
            }
            if holes.count > 0 {
                parts.push(format!(
                    "{} hole{} counter-clockwise ({})",
                    thousands(holes.count),
                    if holes.count == 1 { " is" } else { "s are" },
                    holes.places()
                ));
            }
            let message = format!(
                "{}; RFC 7946 asks for counter-clockwise outer rings and clockwise holes (the right-hand rule): accepted, drawing does not depend on winding",
                parts.join(" and ")
            );
            let first = outer.first.or(holes.first);
            self.report_at(Diagnostic::warning(message), first);
        }
        let precision = std::mem::take(&mut self.precision);
        if precision.count > 0 {
            let message = format!(
                "{} position{} more than 8 decimal places (finer than a millimetre) ({}): excessive precision only makes the file larger; loaded as is",
                thousands(precision.count),
                if precision.count == 1 {
                    " has"
                } else {
                    "s have"
                },
                precision.places()
            );
            self.report_at(Diagnostic::warning(message), precision.first);
        }
        for (k, kind) in [
            Kind::Structure,
            Kind::Coordinate,
            Kind::ExtraValues,
            Kind::OutOfRange,
            Kind::Ring,
        ]
        .into_iter()
        .enumerate()
        {
            if self.hidden[k] > 0 {
                let message = format!(
                    "... and {} more {} not shown",
                    thousands(self.hidden[k]),
                    kind.describe()
                );
                self.pending
                    .push(Problem::placed(Diagnostic::warning(message)));
            }
        }
    }

    /// The report: paths resolved into spans, problems in file order (those without a place last). An
    /// owned text is kept without being copied.
    pub fn into_report(self, name: &str, text: std::borrow::Cow<'_, str>) -> Report {
        let mut locator = Locator::new(&text);
        if !self.pending.is_empty() {
            let starts: Vec<usize> = self
                .feature_starts
                .iter()
                .enumerate()
                .map_while(|(n, &(i, offset))| (n == i).then_some(offset))
                .collect();
            locator.seed_objects(&[Seg::key("features")], &starts);
        }
        let mut diagnostics: Vec<Diagnostic> = self
            .pending
            .into_iter()
            .map(|problem| locator.place(problem))
            .collect();
        sort_in_file_order(&mut diagnostics);
        // The report keeps the text only up to the end of the last line a diagnostic points at (at most
        // 1 KiB past its span): enough for line numbers and excerpts, without copying a whole 20 MB file.
        let bytes = text.as_bytes();
        let kept = diagnostics
            .iter()
            .filter_map(|d| d.span.as_ref())
            .map(|s| {
                let window = s.end.min(bytes.len())..(s.end + 1024).min(bytes.len());
                let start = window.start;
                bytes[window.clone()]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(window.end, |n| start + n)
            })
            .max()
            .unwrap_or(0);
        let mut kept = kept.min(text.len());
        while !text.is_char_boundary(kept) {
            kept += 1;
        }
        let kept_text = match text {
            std::borrow::Cow::Owned(mut text) => {
                text.truncate(kept);
                text.shrink_to_fit();
                text
            }
            std::borrow::Cow::Borrowed(text) => text[..kept].to_owned(),
        };
        let mut report = Report::new(name, kept_text);
        report.diagnostics = diagnostics;
        report
    }
}
