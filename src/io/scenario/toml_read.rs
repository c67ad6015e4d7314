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
/// A piece is read without the ones before it, so a key given in two distant pieces is not seen twice:
/// this count is that of the errors within each piece, used only when there are too many to read the
/// whole file (see [`super::read_toml`]).
pub fn syntax_in_pieces(text: &str, piece_bytes: usize, diagnostics: &mut Kept<Diagnostic>) {
    let ends = line_cuts(text, piece_bytes).into_iter().chain([text.len()]);
    let mut start = 0;
    for end in ends {
        let Some(piece) = text.get(start..end) else {
            continue;
        };
        let (_, errors) = DeTable::parse_recoverable(piece);
        for error in &errors {
            let mut diagnostic = syntax_error(error);
            if let Some(span) = &mut diagnostic.span {
                *span = span.start + start..span.end + start;
            }
            diagnostics.push(diagnostic);
        }
        start = end;
    }
}

/// Offsets just after a line break at the top level (not inside a string, an array or an inline table),
/// one at least every `piece_bytes`.
fn line_cuts(text: &str, piece_bytes: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    let mut last = 0;
    for token in toml_parser::Source::new(text).lex() {
        match token.kind() {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
            }
            TokenKind::Newline if depth == 0 => {
                let end = token.span().end();
                if end - last >= piece_bytes && end < text.len() {
                    cuts.push(end);
                    last = end;
                }
            }
            _ => {}
        }
    }
    cuts
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
