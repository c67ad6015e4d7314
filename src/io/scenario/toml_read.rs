//! Reading the TOML encoding: one pass with `toml` for a valid file; for a broken one, a second, slower pass
//! that reads element by element, so that every syntax error, unknown field and bad value is reported, not
//! just the first.

use std::ops::Range;

use rayon::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml_parser::lexer::TokenKind;

use super::raw::{NoSpan, RawFile, Span, messages};
use super::validate::{self, Validator};
use crate::diagnostics::Diagnostic;
use crate::io::kept::{Kept, echo};
use crate::model::Scenario;

/// Files from this size on are first read in pieces, in parallel (see [`read_valid_in_pieces`]).
pub const PIECES_FROM_BYTES: usize = 1024 * 1024;
/// The size of those pieces, at least.
pub const PIECE_BYTES: usize = 256 * 1024;

/// Reads and checks a large file in pieces, in parallel: the scenario, when the file has no problem at all.
/// `None` sends the file to the whole-file reader, which places every problem.
///
/// `toml` builds a tree of the whole document before reading it, at about 35 times the file's size, and
/// reads about 20 MB/s. A file cut before its `[[contacts]]` headers reads piece by piece: each piece
/// parses on its own (a TOML header names its table from the top), on rayon's threads, and its contacts
/// are checked and its tree dropped before the next pieces are read. The pieces give no positions, so
/// they are used only when nothing needs one: the head (everything before the first contact) holds all
/// else, the other pieces only contacts, and the checks find no problem, not even a warning.
pub fn read_valid_in_pieces(text: &str, piece_bytes: usize) -> Option<Scenario> {
    let cuts = contact_cuts(text, piece_bytes);
    let (&first, _) = cuts.split_first()?;
    let head = toml::from_str::<RawFile<'_, NoSpan>>(&text[..first]).ok()?;
    if !head.contacts.is_empty() {
        return None;
    }
    let mut validator = Validator::new(text);
    let prepared = validator.prepare(head)?;
    let ctx = prepared.ctx(&validator);
    let ends = cuts.iter().skip(1).copied().chain([text.len()]);
    let pieces: Vec<(usize, usize)> = cuts.iter().copied().zip(ends).collect();
    let checked = pieces
        .par_iter()
        .map(|&(start, end)| {
            let piece = toml::from_str::<RawFile<'_, NoSpan>>(&text[start..end]).ok()?;
            let only_contacts = piece.format.is_none()
                && piece.version.is_none()
                && piece.scenario.is_none()
                && piece.sources.is_empty()
                && piece.actors.is_empty()
                && piece.venues.is_empty();
            // Indices within the piece: they name no problem, since any problem sends the file back.
            only_contacts.then(|| {
                piece
                    .contacts
                    .iter()
                    .enumerate()
                    .map(|(i, contact)| validate::check_contact(&ctx, contact, i))
                    .collect::<Vec<_>>()
            })
        })
        .collect::<Option<Vec<_>>>()?;
    drop(ctx);
    let outcome = validator.finish(Some(prepared), checked);
    if outcome.problems.total() == 0 {
        outcome.scenario
    } else {
        None
    }
}

/// The offsets of `[[contacts]]` headers written at the top level (not inside a string or a value that
/// spans lines), the first one and then one at least every `piece_bytes`.
fn contact_cuts(text: &str, piece_bytes: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut line_start = true;
    // The significant tokens of the header being read, and where it started.
    let mut header: Option<(usize, Vec<&str>)> = None;
    for token in toml_parser::Source::new(text).lex() {
        let span = token.span();
        let raw = text.get(span.start()..span.end()).unwrap_or_default();
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::Newline | TokenKind::Eof => {
                if let Some((start, tokens)) = header.take()
                    && tokens == ["[", "[", "contacts", "]", "]"]
                    && cuts.last().is_none_or(|&last| start - last >= piece_bytes)
                {
                    cuts.push(start);
                }
                line_start = true;
            }
            _ if header.is_some() => {
                if let Some((_, tokens)) = &mut header
                    && tokens.len() < 6
                {
                    tokens.push(raw);
                }
            }
            TokenKind::LeftSquareBracket if line_start && depth == 0 => {
                header = Some((span.start(), vec![raw]));
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    cuts
}

/// Finds the syntax errors of a large file in pieces (cut at lines that end at the top level), so that a
/// file with millions of errors never holds them all, nor the tree of the whole file: each piece's errors
/// go to `diagnostics` (which keeps the first and counts the others) before the next piece is read.
///
/// Each piece is read after the table headers left open by the pieces before it (the last `[[array]]`
/// header and the last header under it), so its first keys land in the table they belong to; a key of that
/// table given again in a later piece, and a `[table]` header given again, are reported as the whole file's
/// reading would report them. Only the syntax is checked (see [`super::read_toml`]).
pub fn syntax_in_pieces(text: &str, piece_bytes: usize, diagnostics: &mut Kept<Diagnostic>) {
    let mut carry = Carry::default();
    let mut start = 0;
    for piece in line_pieces(text, piece_bytes) {
        let Some(body) = text.get(start..piece.end) else {
            continue;
        };
        let prefix = carry.prefix(text);
        let parsed_text = format!("{prefix}{body}");
        let (root, errors) = DeTable::parse_recoverable(&parsed_text);
        let root = root.get_ref();
        // From the text read (the headers, then the piece) to the file.
        let shift =
            |span: Range<usize>| span.start - prefix.len() + start..span.end - prefix.len() + start;
        let local = |offset: usize| offset - start + prefix.len();
        let mut found: Vec<Diagnostic> = Vec::with_capacity(errors.len());
        for error in &errors {
            let mut diagnostic = syntax_error(error);
            match diagnostic.span.clone() {
                // An error in the headers read again was reported with the piece they come from.
                Some(span) if span.start < prefix.len() => continue,
                Some(span) => diagnostic.span = Some(shift(span)),
                None => {}
            }
            found.push(diagnostic);
        }
        // A key given in an earlier piece to the same table.
        let repeated = |found: &mut Vec<Diagnostic>,
                        table: Option<&DeTable<'_>>,
                        within: Range<usize>,
                        known: Option<&KeySet>| {
            let (Some(table), Some(known)) = (table, known) else {
                return;
            };
            for (key, _) in table.iter() {
                let span = key.span();
                let dotted = parsed_text[span.end..].trim_start().starts_with('.');
                if within.contains(&span.start) && !dotted && known.contains(&hash(key.get_ref())) {
                    found.push(duplicate_key(shift(span)));
                }
            }
        };
        // The piece's first keys, before its own first header, belong to the table left open.
        let lead = prefix.len()..piece.first_header.map_or(parsed_text.len(), local);
        repeated(
            &mut found,
            table_at(root, &carry.open_path, Element::First),
            lead,
            carry.open_keys(),
        );
        // A `[table]` header given in an earlier piece (outside an array's elements, which repeat them)
        // reopens that table, with its keys.
        let mut tables = Vec::new();
        let mut array = carry.array.clone();
        for (i, header) in piece.headers.iter().enumerate() {
            if header.is_array {
                array = Some((header.span.clone(), header.path.clone()));
                continue;
            }
            if array
                .as_ref()
                .is_some_and(|(_, a)| header.path.starts_with(a))
            {
                continue;
            }
            array = None;
            let id = table_id(&header.path);
            // The reading of the piece reports the open table given again (its header was read first),
            // and a header given twice in the piece.
            let reported = carry
                .table
                .as_ref()
                .is_some_and(|(_, open)| *open == header.path)
                || tables.contains(&id);
            if carry.saved.contains_key(&id) && !reported {
                found.push(duplicate_key(header.span.clone()));
            }
            tables.push(id);
            let end = piece
                .headers
                .get(i + 1)
                .map_or(parsed_text.len(), |next| local(next.span.start));
            repeated(
                &mut found,
                table_at(root, &header.path, Element::Last),
                local(header.span.end)..end,
                carry.saved.get(&id),
            );
        }
        found.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
        for diagnostic in found {
            diagnostics.push(diagnostic);
        }
        carry.advance(&piece, root);
        start = piece.end;
    }
}

type KeySet = hashbrown::HashSet<u64, foldhash::fast::FixedState>;

/// What one piece passes to the next: the open headers, and the keys of the tables given so far.
#[derive(Default)]
struct Carry {
    /// The last `[[array]]` header (its line's range in the file) and its path.
    array: Option<(Range<usize>, Vec<String>)>,
    /// The last header when it is not that one, and its path.
    table: Option<(Range<usize>, Vec<String>)>,
    /// The path of the open table.
    open_path: Vec<String>,
    /// The keys of each `[table]` given so far (the top level's too), by hashed path.
    saved: hashbrown::HashMap<u64, KeySet, foldhash::fast::FixedState>,
    /// The keys of the open element of an array of tables (or of a table under it).
    element: KeySet,
    /// Keys carried, in all.
    carried: usize,
}

/// Keys carried from piece to piece, at most: past them, a key given again in a later piece is counted
/// only within its piece.
const CARRIED_KEYS: usize = 1_000_000;

impl Carry {
    fn prefix(&self, text: &str) -> String {
        let mut prefix = String::new();
        for (range, _) in self.array.iter().chain(&self.table) {
            prefix.push_str(&text[range.clone()]);
            prefix.push('\n');
        }
        prefix
    }

    fn in_array(&self, path: &[String]) -> bool {
        self.array
            .as_ref()
            .is_some_and(|(_, array)| path.starts_with(array))
    }

    fn open_keys(&self) -> Option<&KeySet> {
        if self.in_array(&self.open_path) {
            Some(&self.element)
        } else {
            self.saved.get(&table_id(&self.open_path))
        }
    }

    fn keep(&mut self, table: Option<&DeTable<'_>>, into: Option<u64>) {
        let Some(table) = table else {
            return;
        };
        let keys = match into {
            Some(id) => self.saved.entry(id).or_default(),
            None => &mut self.element,
        };
        for key in table.keys() {
            if self.carried >= CARRIED_KEYS {
                return;
            }
            if keys.insert(hash(key.get_ref())) {
                self.carried += 1;
            }
        }
    }

    fn advance(&mut self, piece: &Piece, root: &DeTable<'_>) {
        let open_id = (!self.in_array(&self.open_path)).then(|| table_id(&self.open_path));
        self.keep(table_at(root, &self.open_path, Element::First), open_id);
        for header in &piece.headers {
            if header.is_array {
                self.array = Some((header.span.clone(), header.path.clone()));
                self.table = None;
            } else {
                if !self.in_array(&header.path) {
                    self.array = None;
                    let id = table_id(&header.path);
                    self.keep(table_at(root, &header.path, Element::Last), Some(id));
                }
                self.table = Some((header.span.clone(), header.path.clone()));
            }
        }
        if let Some(last) = piece.headers.last() {
            self.open_path = last.path.clone();
            if self.in_array(&last.path) {
                self.carried -= self.element.len().min(self.carried);
                self.element.clear();
                self.keep(table_at(root, &last.path, Element::Last), None);
            }
        }
    }
}

fn table_id(path: &[String]) -> u64 {
    hash(&path.join("\u{1f}"))
}

fn hash(key: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x5eed).hash_one(key)
}

fn duplicate_key(span: Range<usize>) -> Diagnostic {
    Diagnostic::error("TOML syntax: duplicate key").at(span)
}

/// Which element of an array of tables [`table_at`] goes into.
#[derive(Clone, Copy)]
enum Element {
    /// The one the headers read before a piece opened.
    First,
    /// The one a piece left open.
    Last,
}

/// The table at `path` in a piece's tree (in an array of tables, its first or last element).
fn table_at<'t, 'i>(
    root: &'t DeTable<'i>,
    path: &[String],
    element: Element,
) -> Option<&'t DeTable<'i>> {
    let mut table = root;
    for name in path {
        let value = table.get(name.as_str())?;
        table = match value.get_ref() {
            DeValue::Table(t) => t,
            DeValue::Array(items) => match element {
                Element::First => items.first(),
                Element::Last => items.last(),
            }?
            .get_ref()
            .as_table()?,
            _ => return None,
        };
    }
    Some(table)
}

/// A piece of a large file: where it ends and the table headers it holds.
struct Piece {
    end: usize,
    /// Where its first header starts, if it has one.
    first_header: Option<usize>,
    headers: Vec<Header>,
}

/// A `[table]` or `[[array]]` header line of a piece.
struct Header {
    /// From its opening bracket to the end of its line (before the line break).
    span: Range<usize>,
    path: Vec<String>,
    is_array: bool,
}

/// The pieces of a file, cut just after line breaks at the top level (not inside a string, an array or an
/// inline table), one at least every `piece_bytes`.
fn line_pieces(text: &str, piece_bytes: usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut headers = Vec::new();
    let mut depth = 0usize;
    let mut last = 0;
    let mut line_start = true;
    let mut header_from: Option<usize> = None;
    for token in toml_parser::Source::new(text).lex() {
        let kind = token.kind();
        if let Some(from) = header_from {
            // A header is one line, whatever its brackets: an unclosed one does not hold the cuts back.
            if kind != TokenKind::Newline {
                continue;
            }
            close_header(text, from..token.span().start(), &mut headers);
            header_from = None;
            depth = 0;
        }
        match kind {
            TokenKind::LeftSquareBracket if depth == 0 && line_start => {
                header_from = Some(token.span().start());
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
            }
            TokenKind::Newline if depth == 0 => {
                let end = token.span().end();
                if end - last >= piece_bytes && end < text.len() {
                    pieces.push(Piece {
                        end,
                        first_header: headers.first().map(|h| h.span.start),
                        headers: std::mem::take(&mut headers),
                    });
                    last = end;
                }
            }
            _ => {}
        }
        line_start = matches!(kind, TokenKind::Newline | TokenKind::Whitespace)
            && (line_start || kind == TokenKind::Newline);
    }
    if let Some(from) = header_from {
        close_header(text, from..text.len(), &mut headers);
    }
    pieces.push(Piece {
        end: text.len(),
        first_header: headers.first().map(|h| h.span.start),
        headers,
    });
    pieces
}

fn close_header(text: &str, span: Range<usize>, headers: &mut Vec<Header>) {
    if let Some(header) = read_header(&text[span.clone()]) {
        headers.push(Header { span, ..header });
    }
}

/// The path of a header line (`[a.b]`, `[[contacts]]`, with a comment or not), if it reads.
fn read_header(line: &str) -> Option<Header> {
    let (root, errors) = DeTable::parse_recoverable(line);
    if !errors.is_empty() {
        return None;
    }
    let is_array = line.trim_start().starts_with("[[");
    let mut path = Vec::new();
    let mut table = root.get_ref();
    while let Some((key, value)) = table.iter().next() {
        path.push(key.get_ref().to_string());
        table = match value.get_ref() {
            DeValue::Table(t) => t,
            DeValue::Array(items) => items.iter().last()?.get_ref().as_table()?,
            _ => return None,
        };
    }
    (!path.is_empty()).then_some(Header {
        span: 0..0,
        path,
        is_array,
    })
}

/// Reads a TOML scenario, reporting every problem of a file the one-pass reader rejects.
pub fn read<'a>(text: &'a str, diagnostics: &mut Kept<Diagnostic>) -> RawFile<'a, Span> {
    match toml::from_str::<RawFile<'a, Span>>(text) {
        Ok(raw) => raw,
        Err(_) => read_recoverable(text, diagnostics),
    }
}

/// Reads a file that the one-pass reader rejected, reporting every problem it can find.
///
/// Syntax errors are all reported (the parser recovers); each table of the file is then read on its own, so
/// a bad value in one contact does not hide the problems of the next. Unknown fields are removed one by one
/// and reported, so every typo of an element shows at once.
pub fn read_recoverable<'a>(
    text: &'a str,
    diagnostics: &mut Kept<Diagnostic>,
) -> RawFile<'a, Span> {
    let (root, errors) = DeTable::parse_recoverable(text);
    for error in &errors {
        diagnostics.push(syntax_error(error));
    }
    let mut file = RawFile::default();
    for (key, value) in root.into_inner() {
        let key_span = key.span();
        match key.get_ref().as_ref() {
            "format" => file.format = read_one(value, "format", diagnostics),
            "version" => file.version = read_one(value, "version", diagnostics),
            "scenario" => file.scenario = read_one(value, "scenario", diagnostics),
            "sources" => {
                (file.sources, file.dropped.sources) = read_each(value, "sources", diagnostics)
            }
            "actors" => {
                (file.actors, file.dropped.actors) = read_each(value, "actors", diagnostics)
            }
            "venues" => {
                (file.venues, file.dropped.venues) = read_each(value, "venues", diagnostics)
            }
            "contacts" => {
                (file.contacts, file.dropped.contacts) = read_each(value, "contacts", diagnostics)
            }
            other => diagnostics.push(
                Diagnostic::error(format!("unknown top-level key `{}`", echo(other)))
                    .at(key_span)
                    .path(other)
                    .hint(messages::top_level_hint(other)),
            ),
        }
    }
    file
}

fn syntax_error(error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().to_owned();
    let mut diagnostic = Diagnostic::error(format!("TOML syntax: {message}"));
    if let Some(span) = error.span() {
        diagnostic = diagnostic.at(span);
    }
    diagnostic
}

/// Reads each element of a list; returns those read and the indices of those that could not be.
fn read_each<'a, T: Deserialize<'a>>(
    value: Spanned<DeValue<'a>>,
    path: &str,
    diagnostics: &mut Kept<Diagnostic>,
) -> (Vec<T>, Vec<usize>) {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => {
            let mut read = Vec::with_capacity(items.len());
            let mut dropped = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                match read_one(item, &format!("{path}[{i}]"), diagnostics) {
                    Some(element) => read.push(element),
                    None => dropped.push(i),
                }
            }
            (read, dropped)
        }
        other => {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{path}` must be a list of tables, not a {}",
                    other.type_str()
                ))
                .at(span)
                .path(path)
                .hint(format!("write each element as a `[[{path}]]` table")),
            );
            (Vec::new(), Vec::new())
        }
    }
}

/// Reads one value, reporting and dropping unknown fields until it reads or fails for another reason.
fn read_one<'a, T: Deserialize<'a>>(
    mut value: Spanned<DeValue<'a>>,
    path: &str,
    diagnostics: &mut Kept<Diagnostic>,
) -> Option<T> {
    // Each round removes one key; no table has more keys than the file has bytes, but bound it anyway.
    for _ in 0..1024 {
        let error = match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(read) => return Some(read),
            Err(error) => error,
        };
        let span = error.span();
        let inner_path = span
            .clone()
            .map_or_else(|| path.to_owned(), |s| path_to(&value, &s, path));
        let message = error.message().trim().to_owned();
        if let Some(diagnostic) = time_not_a_table(&value, span.clone(), &inner_path, &message) {
            diagnostics.push(diagnostic);
            return None;
        }
        if let (Some(span), Some(field)) = (span.clone(), messages::unknown_field(&message))
            && remove_key(value.get_mut(), &span)
        {
            diagnostics.push(
                Diagnostic::error(format!("unknown field `{}`", echo(&field)))
                    .at(span)
                    .path(inner_path)
                    .hint(messages::unknown_field_hint(&field, &message)),
            );
            continue;
        }
        let mut diagnostic = Diagnostic::error(message).path(inner_path);
        if let Some(span) = span {
            diagnostic = diagnostic.at(span);
        }
        diagnostics.push(diagnostic);
        return None;
    }
    None
}

/// A date or a string written where a time's table is expected (`time = 2025-04-07`, which TOML's reader
/// reports by its private name for dates): said so, with what to write instead.
fn time_not_a_table(
    value: &Spanned<DeValue<'_>>,
    span: Option<Range<usize>>,
    path: &str,
    message: &str,
) -> Option<Diagnostic> {
    let span = span?;
    let field = path.rsplit('.').next().unwrap_or(path);
    let (written, as_string) = if message.contains(messages::TOML_DATE_KEY) {
        match value_at(value, &span) {
            Some(DeValue::Datetime(d)) => (d.to_string(), false),
            _ => (String::new(), false),
        }
    } else {
        (messages::string_for_a_time(message)?.to_owned(), true)
    };
    let (message, hint) = messages::time_not_a_table(field, &written, as_string, false);
    Some(Diagnostic::error(message).at(span).path(path).hint(hint))
}

/// The value written at `span`, wherever it is nested.
fn value_at<'v, 'a>(
    value: &'v Spanned<DeValue<'a>>,
    span: &Range<usize>,
) -> Option<&'v DeValue<'a>> {
    if value.span() == *span {
        return Some(value.get_ref());
    }
    let contains = |outer: &Range<usize>| outer.start <= span.start && span.end <= outer.end;
    match value.get_ref() {
        DeValue::Table(table) => table
            .iter()
            .find(|(_, v)| contains(&v.span()))
            .and_then(|(_, v)| value_at(v, span)),
        DeValue::Array(items) => items
            .iter()
            .find(|v| contains(&v.span()))
            .and_then(|v| value_at(v, span)),
        _ => None,
    }
}

/// Removes the table key written at `span`, wherever it is nested.
fn remove_key(value: &mut DeValue<'_>, span: &Range<usize>) -> bool {
    match value {
        DeValue::Table(table) => {
            let found = table
                .iter()
                .find(|(key, _)| key.span() == *span)
                .map(|(key, _)| key.get_ref().to_string());
            if let Some(key) = found {
                table.remove(key.as_str());
                return true;
            }
            table.iter_mut().any(|(_, v)| remove_key(v.get_mut(), span))
        }
        DeValue::Array(items) => items.iter_mut().any(|v| remove_key(v.get_mut(), span)),
        _ => false,
    }
}

/// The path of the deepest value or key that contains `span`, e.g. `contacts[3].participants[1].actor`.
fn path_to(value: &Spanned<DeValue<'_>>, span: &Range<usize>, prefix: &str) -> String {
    let contains = |outer: &Range<usize>| outer.start <= span.start && span.end <= outer.end;
    match value.get_ref() {
        DeValue::Table(table) => {
            for (key, v) in table.iter() {
                let name = format!("{prefix}.{}", key.get_ref());
                if contains(&v.span()) {
                    return path_to(v, span, &name);
                }
                if contains(&key.span()) {
                    return name;
                }
            }
            prefix.to_owned()
        }
        DeValue::Array(items) => items
            .iter()
            .enumerate()
            .find(|(_, v)| contains(&v.span()))
            .map_or_else(
                || prefix.to_owned(),
                |(i, v)| path_to(v, span, &format!("{prefix}[{i}]")),
            ),
        _ => prefix.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recover(text: &str) -> (RawFile<'_, Span>, Vec<Diagnostic>) {
        let mut diagnostics = Kept::default();
        let file = read_recoverable(text, &mut diagnostics);
        (file, diagnostics.into_parts().0)
    }

    #[test]
    fn every_unknown_field_is_reported_with_a_suggestion() {
        let text = r#"
[[actors]]
id = "a"
nmae = "A"
name = "A"
kind = "person"
afiliation = "TR"
affiliation = "TR"
"#;
        let (file, diagnostics) = recover(text);
        assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
        // In file order.
        assert_eq!(diagnostics[0].message, "unknown field `nmae`");
        assert_eq!(diagnostics[1].message, "unknown field `afiliation`");
        assert_eq!(
            diagnostics[1].hint.as_deref(),
            Some("did you mean `affiliation`?")
        );
        assert_eq!(diagnostics[1].path, "actors[0].afiliation");
        assert_eq!(
            &text[diagnostics[1].span.clone().expect("span")],
            "afiliation"
        );
        // Once the typos are gone, the element itself reads.
        assert_eq!(file.actors.len(), 1);
    }

    #[test]
    fn a_bad_element_does_not_hide_the_next_one() {
        let text = r#"
[[venues]]
id = "a"
name = "A"
kind = "city"
lon = "east"

[[venues]]
id = "b"
name = "B"
kind = "city"
lat = "north"
"#;
        let (_, diagnostics) = recover(text);
        assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].path, "venues[0].lon");
        assert_eq!(diagnostics[1].path, "venues[1].lat");
    }

    #[test]
    fn every_syntax_error_is_reported() {
        let (_, diagnostics) = recover("format = \nversion = [1, 2\n[scenario]\nid = \"x\"\n");
        let syntax: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.message.starts_with("TOML syntax"))
            .collect();
        assert!(syntax.len() >= 2, "{diagnostics:#?}");
        assert!(syntax.iter().all(|d| d.span.is_some()));
    }

    #[test]
    fn a_large_file_is_cut_only_before_top_level_contact_headers() {
        let text = "format = \"x\"\n[[venues]]\nid = \"v\"\n[[contacts]]\nid = \"a\"\nnotes = \"\"\"\n[[contacts]]\n\"\"\"\n\
                    polygon = [\n[[1, 2]],\n]\n  [[ contacts ]] # second\nid = \"b\"\n[contacts.time]\non = 1\n[[contacts]]\n";
        let cuts = contact_cuts(text, 0);
        let lines: Vec<usize> = cuts
            .iter()
            .map(|&c| text[..c].matches('\n').count() + 1)
            .collect();
        // Not in the multi-line string (line 7), not in the array (line 10).
        assert_eq!(lines, vec![4, 12, 16], "{cuts:?}");
        // With pieces of at least 60 bytes, the last cut (58 bytes after the one before) is skipped.
        assert_eq!(contact_cuts(text, 60).len(), 2);
    }

    #[test]
    fn unknown_top_level_keys_get_a_suggestion() {
        let (_, diagnostics) = recover("[[contact]]\nid = \"x\"\n");
        assert_eq!(diagnostics[0].message, "unknown top-level key `contact`");
        assert_eq!(
            diagnostics[0].hint.as_deref(),
            Some("did you mean `contacts`?")
        );
    }
}

#[cfg(test)]
mod piece_tests {
    use proptest::prelude::*;

    use super::*;

    /// Lines of which the files below are made: keys given again, tables given again, arrays of tables
    /// with tables under them, values over several lines, and lines that do not read. (Not a table under
    /// an array of tables before the array, after which `toml`'s own count wanders; not a key without
    /// a value, after which `toml` stops looking for keys given twice in the whole file, but not in later
    /// pieces: there the pieces count more, each a real error.)
    const LINES: &[&str] = &[
        "a = 1",
        "b = 2",
        "id = \"c\"",
        "on = 1",
        "= 3",
        "[scenario]",
        "[venues]",
        "[[contacts]]",
        "[[contacts]]\n[contacts.time]",
        "[[actors]]",
        "list = [1,\n2]",
        "text = \"\"\"\n[scenario]\n\"\"\"",
        "# [[contacts]]",
    ];

    fn count_in_pieces(text: &str, piece_bytes: usize) -> usize {
        let mut kept = Kept::default();
        syntax_in_pieces(text, piece_bytes, &mut kept);
        kept.total()
    }

    proptest! {
        /// Read in pieces of any size, a file has as many syntax errors as read whole.
        #[test]
        fn pieces_count_the_errors_of_the_whole_file(
            lines in prop::collection::vec(0..LINES.len(), 1..120),
            piece_bytes in 1usize..200,
        ) {
            let text: String = lines.iter().map(|&i| format!("{}\n", LINES[i])).collect();
            let whole = DeTable::parse_recoverable(&text).1.len();
            prop_assert_eq!(count_in_pieces(&text, piece_bytes), whole, "{}", text);
        }
    }

    #[test]
    fn a_key_given_again_in_a_later_piece_is_counted_there() {
        let text = "a = 1\n".repeat(2_000);
        let mut kept = Kept::default();
        syntax_in_pieces(&text, 1_000, &mut kept);
        assert_eq!(kept.total(), 1_999);
        let (shown, _) = kept.into_parts();
        // The first repeat of each piece is placed on its own line, in file order.
        let starts: Vec<usize> = shown
            .iter()
            .filter_map(|d| d.span.clone())
            .map(|s| s.start)
            .collect();
        assert_eq!(starts[..3], [6, 12, 18]);
        assert!(starts.is_sorted());
    }
}
