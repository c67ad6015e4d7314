//! Problems found in a user's file, compiler-style: each says what is wrong and where.
//!
//! A [`Diagnostic`] carries a byte span into the file's text; a [`Report`] holds the file's name and text so
//! every diagnostic can be shown as `file:line:column`, in the terminal (through `codespan-reporting`) or in
//! the app's error panel.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// How bad a problem is: errors stop a file from loading, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The path of the field in the document, e.g. `contacts[3].participants[1].actor`; empty for the file.
    pub path: String,
    /// Byte range in the file's text, when the problem has a place.
    pub span: Option<Range<usize>>,
    /// How to fix it, when a hint helps ("did you mean `meeting`?").
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            path: String::new(),
            span: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    #[must_use]
    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[must_use]
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A 1-based line and column (in characters) in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Turns byte offsets into lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { line_starts }
    }

    /// The bytes of the line that holds `offset`, without its line break.
    pub fn line_bytes(&self, text: &str, offset: usize) -> Range<usize> {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1);
        self.line_starts[line]..end
    }

    /// The line and column of a byte offset (clamped to the text, and to a character boundary).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }
}

/// Lines and columns of offsets asked for in increasing order, in time linear in the text: a column is
/// counted on from the previous offset when it is on the same line, so many diagnostics on one very long
/// line (a minified JSON file) do not each count the line from its start.
struct Cursor<'a> {
    index: &'a LineIndex,
    text: &'a str,
    /// The last place found: its offset and where it is.
    last: Option<(usize, LineCol)>,
}

impl<'a> Cursor<'a> {
    fn new(index: &'a LineIndex, text: &'a str) -> Self {
        Self {
            index,
            text,
            last: None,
        }
    }

    fn line_col(&mut self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_start = self.index.line_bytes(self.text, offset).start;
        let at = match self.last {
            Some((last, at)) if last >= line_start && last <= offset => {
                self.text.get(last..offset).map(|between| LineCol {
                    line: at.line,
                    column: at.column + between.chars().count(),
                })
            }
            _ => None,
        }
        .unwrap_or_else(|| self.index.line_col(self.text, offset));
        self.last = Some((offset, at));
        at
    }
}

/// Lines longer than this are not shown in excerpts (a minified file is one line): the diagnostic gives its
/// place as `file:line:column` instead.
const EXCERPT_LINE_BYTES: usize = 1000;

/// Problems found but not kept (past the first thousand of a file): only counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Omitted {
    pub errors: usize,
    pub warnings: usize,
    /// Only the file's syntax was checked (it had too many syntax errors to read it further).
    pub only_syntax: bool,
}

impl Omitted {
    pub fn count(&mut self, d: &Diagnostic) {
        if d.is_error() {
            self.errors += 1;
        } else {
            self.warnings += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors + self.warnings == 0
    }

    /// `... and 4,002 more problems not shown (4,002 errors, 0 warnings)`.
    pub fn message(&self) -> String {
        format!(
            "... and {} more problems not shown ({} errors, {} warnings)",
            thousands(self.errors + self.warnings),
            thousands(self.errors),
            thousands(self.warnings)
        )
    }

    /// The line that stands for the problems not shown: an error when any of them is.
    fn diagnostic(&self) -> Diagnostic {
        let d = if self.errors > 0 {
            Diagnostic::error(self.message())
        } else {
            Diagnostic::warning(self.message())
        };
        if self.only_syntax {
            d.hint(
                "only the syntax was checked, the file having this many syntax errors: fix them, then \
                 check again for the other problems",
            )
        } else {
            d.hint("fix the problems shown first: they often cause the others")
        }
    }
}

/// The diagnostics of one file, with the text they point into.
#[derive(Clone, Debug)]
pub struct Report {
    /// The file's name as the user gave it (or `<embedded: ...>`).
    pub file: String,
    /// The file's text (lossily decoded when it was not UTF-8), for line numbers and excerpts. A
    /// `String` behind the `Arc`, so a loader can hand over the text it read without copying it.
    pub text: Arc<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The problems found past those kept: counted in [`Report::error_count`] and
    /// [`Report::warning_count`], and shown as one last line.
    pub omitted: Omitted,
}

impl Report {
    pub fn new(file: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            text: Arc::new(text.into()),
            diagnostics: Vec::new(),
            omitted: Omitted::default(),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.omitted.errors > 0 || self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Every error found, shown or only counted.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count() + self.omitted.errors
    }

    /// Every warning found, shown or only counted.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count() + self.omitted.warnings
    }

    /// The diagnostics shown, and one more for those only counted.
    fn shown(&self) -> impl Iterator<Item = std::borrow::Cow<'_, Diagnostic>> {
        let more = (!self.omitted.is_empty()).then(|| self.omitted.diagnostic());
        self.diagnostics
            .iter()
            .map(std::borrow::Cow::Borrowed)
            .chain(more.map(std::borrow::Cow::Owned))
    }

    /// Where a diagnostic points, as a line and column.
    pub fn line_col(&self, diagnostic: &Diagnostic) -> Option<LineCol> {
        let span = diagnostic.span.as_ref()?;
        Some(LineIndex::new(&self.text).line_col(&self.text, span.start))
    }

    /// One line per diagnostic, `file:line:col: error: message [path] (hint: ...)`: for the app and for logs.
    pub fn to_lines(&self) -> Vec<String> {
        let index = LineIndex::new(&self.text);
        let mut cursor = Cursor::new(&index, &self.text);
        self.shown()
            .map(|d| {
                let place = match &d.span {
                    Some(span) => format!("{}:{}", self.file, cursor.line_col(span.start)),
                    None => self.file.clone(),
                };
                let severity = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let mut line = format!("{place}: {severity}: {}", d.message);
                if !d.path.is_empty() {
                    line.push_str(&format!(" [{}]", d.path));
                }
                if let Some(hint) = &d.hint {
                    line.push_str(&format!(" (hint: {hint})"));
                }
                line
            })
            .collect()
    }

    /// Prints the diagnostics to stderr compiler-style (in colour on a terminal only: piped into a file or
    /// an editor, the output stays plain text), or one line each if the excerpts cannot be shown. The
    /// command line's `check` and `export` both print reports so.
    ///
    /// Control characters from the file (ESC, BEL, ...), which a terminal would obey, are shown escaped
    /// ([`Report::for_terminal`]): a shared file cannot retitle or clear the reader's terminal.
    pub fn eprint(&self) {
        use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
        use std::io::IsTerminal as _;
        let safe = self.for_terminal();
        let this = &safe;
        let color = if std::io::stderr().is_terminal() {
            ColorChoice::Auto
        } else {
            ColorChoice::Never
        };
        if this.emit(&mut StandardStream::stderr(color)).is_err() {
            this.eprint_lines();
        }
    }

    /// Prints one line per diagnostic to stderr (see [`Report::to_lines`]), control characters escaped.
    pub fn eprint_lines(&self) {
        for line in self.for_terminal().to_lines() {
            eprintln!("{line}");
        }
    }

    /// The report as a terminal may show it: control characters in the messages, paths, hints and file
    /// name written as escapes (`\u{1b}`), and in the file's text replaced by a character of the same
    /// length in bytes (`?`, or `¿` for the two-byte C1 controls), so that every span still points where
    /// it did.
    pub fn for_terminal(&self) -> std::borrow::Cow<'_, Report> {
        let is_control = |c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r');
        let any = |t: &str| t.chars().any(is_control);
        let dirty = any(&self.file)
            || any(&self.text)
            || self
                .diagnostics
                .iter()
                .any(|d| any(&d.message) || any(&d.path) || d.hint.as_deref().is_some_and(any));
        if !dirty {
            return std::borrow::Cow::Borrowed(self);
        }
        let escaped = |t: &str| terminal_safe(t).into_owned();
        let text: String = self
            .text
            .chars()
            .map(|c| match c {
                c if !is_control(c) => c,
                c if c.len_utf8() == 2 => '¿',
                _ => '?',
            })
            .collect();
        std::borrow::Cow::Owned(Report {
            file: escaped(&self.file),
            text: Arc::new(text),
            diagnostics: self
                .diagnostics
                .iter()
                .map(|d| Diagnostic {
                    message: escaped(&d.message),
                    path: escaped(&d.path),
                    hint: d.hint.as_deref().map(escaped),
                    ..d.clone()
                })
                .collect(),
            omitted: self.omitted,
        })
    }

    /// Writes the diagnostics compiler-style, with the offending lines underlined.
    pub fn emit(
        &self,
        writer: &mut dyn codespan_reporting::term::WriteStyle,
    ) -> Result<(), codespan_reporting::files::Error> {
        use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
        use codespan_reporting::files::SimpleFile;

        let file = SimpleFile::new(self.file.as_str(), &*self.text);
        let config = codespan_reporting::term::Config::default();
        let index = LineIndex::new(&self.text);
        let mut cursor = Cursor::new(&index, &self.text);
        for d in self.shown() {
            let mut cs = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            }
            .with_message(&d.message);
            let long_line = d
                .span
                .as_ref()
                .map(|span| index.line_bytes(&self.text, span.start).len())
                .is_some_and(|len| len > EXCERPT_LINE_BYTES);
            if let (Some(span), true) = (&d.span, long_line) {
                let at = cursor.line_col(span.start);
                let path = if d.path.is_empty() {
                    String::new()
                } else {
                    format!(", `{}`", d.path)
                };
                cs = cs.with_notes(vec![format!(
                    "at {}:{at}{path} (the line is too long to show)",
                    self.file
                )]);
            } else if let Some(span) = &d.span {
                let label = Label::primary((), clamp_span(span, &self.text));
                cs = cs.with_labels(vec![if d.path.is_empty() {
                    label
                } else {
                    label.with_message(format!("at `{}`", d.path))
                }]);
            } else if !d.path.is_empty() {
                cs = cs.with_notes(vec![format!("at `{}`", d.path)]);
            }
            if let Some(hint) = &d.hint {
                cs.notes.push(format!("hint: {hint}"));
            }
            codespan_reporting::term::emit_to_write_style(writer, &config, &file, &cs)?;
        }
        Ok(())
    }
}

/// `text` as a terminal may show it: each control character (ESC, BEL, DEL, the C1 controls; not newline,
/// tab or carriage return) written as a `\u{..}` escape, so that printing it cannot move the cursor,
/// retitle the window or clear the screen.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let is_control = |c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r');
    if !text.chars().any(is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if is_control(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Keeps a span inside the text and on character boundaries, so excerpts never panic.
fn clamp_span(span: &Range<usize>, text: &str) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// A count with its noun: `1 error`, `2 errors`, `3 null geometries`. Every count shown to the user (the
/// command line's summaries, the window's problem bar) is written by this one function.
///
/// ```
/// use demarche::diagnostics::plural;
/// assert_eq!(plural(1, "error", "errors"), "1 error");
/// assert_eq!(plural(3, "null geometry", "null geometries"), "3 null geometries");
/// ```
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Names longer than this get no suggestion: no name anyone misspells is that long, and comparing a
/// megabyte-long "name" with every candidate would take seconds.
pub const SUGGEST_MAX_BYTES: usize = 256;

/// At most this many candidates are compared for one suggestion, so that the work stays bounded however
/// many names a file defines.
pub const SUGGEST_MAX_CANDIDATES: usize = 100_000;

/// "did you mean `x`?" for a misspelt name, when one of the candidates is close enough. Bounded: a name
/// over [`SUGGEST_MAX_BYTES`] gets none, and only the first [`SUGGEST_MAX_CANDIDATES`] candidates (and only
/// those of a plausible length) are compared.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    if given.len() > SUGGEST_MAX_BYTES {
        return None;
    }
    let given_lower = given.to_lowercase();
    candidates
        .into_iter()
        .take(SUGGEST_MAX_CANDIDATES)
        .filter(|c| c.len() <= SUGGEST_MAX_BYTES)
        .map(|c| (strsim::jaro_winkler(&given_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// `4230` as `4,230`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let text = "ab\nçd\nef";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 2, column: 1 });
        // 'ç' is two bytes: 'd' is the second character.
        assert_eq!(index.line_col(text, 5), LineCol { line: 2, column: 2 });
        assert_eq!(index.line_col(text, 100), LineCol { line: 3, column: 3 });
    }

    #[test]
    fn did_you_mean_finds_close_names_only() {
        let names = ["meeting", "visit", "phone_call"];
        assert_eq!(
            did_you_mean("meeeting", names).as_deref(),
            Some("did you mean `meeting`?")
        );
        assert_eq!(did_you_mean("zzz", names), None);
    }

    #[test]
    fn many_places_on_one_long_line_are_counted_in_characters() {
        let text = format!(
            "{}\n{}é{}",
            "x".repeat(10),
            "a".repeat(5000),
            "b".repeat(5000)
        );
        let mut report = Report::new("long.json", text.as_str());
        let after_accent = 11 + 5000 + 2 + 100;
        for offset in [3, 11 + 4000, after_accent, 12] {
            report
                .diagnostics
                .push(Diagnostic::error("here").at(offset..offset + 1));
        }
        let places: Vec<String> = report
            .to_lines()
            .iter()
            .map(|l| l.split(": ").next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            places,
            vec![
                "long.json:1:4",
                "long.json:2:4001",
                "long.json:2:5102",
                "long.json:2:2"
            ]
        );
        // The excerpt of a line that long is left out; its place is given instead.
        let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        report.emit(&mut out).expect("emits");
        let out = String::from_utf8(out.into_inner()).expect("utf-8");
        assert!(
            out.contains("at long.json:2:4001 (the line is too long to show)"),
            "{out}"
        );
        assert!(!out.contains("aaaaaaaaaa"), "{out}");
    }

    #[test]
    fn report_lines_name_file_line_and_column() {
        let mut report = Report::new("a.toml", "x = 1\ny = 2\n");
        report
            .diagnostics
            .push(Diagnostic::error("bad y").at(6..7).path("y").hint("fix it"));
        assert_eq!(
            report.to_lines(),
            vec!["a.toml:2:1: error: bad y [y] (hint: fix it)".to_owned()]
        );
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(4230), "4,230");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_report_for_the_terminal_shows_control_characters_escaped_and_keeps_its_places() {
        let text = "kind = \"a\u{1b}[2J\u{7}b\u{9b}c\"\nnext = 1\n";
        let mut report = Report::new("f\u{1b}.toml", text);
        let at = text.find('b').expect("b");
        report.diagnostics.push(Diagnostic {
            span: Some(at..at + 1),
            hint: Some("not \u{7}".to_owned()),
            ..Diagnostic::error("unknown `a\u{1b}[2J`")
        });
        let safe = report.for_terminal();
        assert_eq!(
            safe.text.len(),
            report.text.len(),
            "spans still point where they did"
        );
        assert_eq!(&safe.text[at..at + 1], "b");
        assert!(!safe.text.chars().any(|c| c.is_control() && c != '\n'));
        assert_eq!(safe.file, "f\\u{1b}.toml");
        assert_eq!(safe.diagnostics[0].message, "unknown `a\\u{1b}[2J`");
        assert_eq!(safe.diagnostics[0].hint.as_deref(), Some("not \\u{7}"));
        assert_eq!(
            report.line_col(&report.diagnostics[0]),
            safe.line_col(&safe.diagnostics[0])
        );
        let clean = Report::new("ok.toml", "a = 1\n");
        assert!(matches!(
            clean.for_terminal(),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_suggestion_is_looked_for_only_for_names_of_plausible_length() {
        let zones = ["Asia/Tehran", "Europe/Istanbul"];
        assert_eq!(
            did_you_mean("Asia/Teheran", zones).as_deref(),
            Some("did you mean `Asia/Tehran`?")
        );
        // A megabyte-long "name" that starts like a candidate gets no suggestion (and no minutes of work).
        let long = format!("Asia/Tehran{}", "x".repeat(1 << 20));
        assert_eq!(did_you_mean(&long, zones), None);
        // Among very many names, the work stops after a bound: a match past it is not looked for.
        let many: Vec<String> = (0..SUGGEST_MAX_CANDIDATES + 10)
            .map(|i| format!("zzzz-{i}"))
            .chain(std::iter::once("meeting".to_owned()))
            .collect();
        assert_eq!(
            did_you_mean("meetng", many.iter().map(String::as_str)),
            None
        );
        assert!(did_you_mean("meetng", ["meeting"]).is_some());
    }
}
