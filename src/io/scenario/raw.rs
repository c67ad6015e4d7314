//! The scenario file as written: TOML read into plain structs that keep the place of every value.
//!
//! A valid file is read in one pass by `toml`. A broken one is read again by [`read_recoverable`], element
//! by element, so that every syntax error, unknown field and bad value is reported, not just the first.

use std::ops::Range;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::diagnostics::{Diagnostic, did_you_mean};

pub type Text = Spanned<String>;
/// A date or date-time, written as a TOML date (`2026-01-31`) or as a string (`"2026-01-31T18:00:00Z"`).
pub type TimeText = Spanned<toml::Value>;

/// The name every scenario file gives in `format`.
pub const FORMAT: &str = "demarche-scenario";
/// The version of the format this build reads and writes.
pub const VERSION: i64 = 1;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub format: Option<Text>,
    pub version: Option<Spanned<i64>>,
    pub scenario: Option<Spanned<RawMeta>>,
    #[serde(default)]
    pub sources: Vec<Spanned<RawSource>>,
    #[serde(default)]
    pub actors: Vec<Spanned<RawActor>>,
    #[serde(default)]
    pub venues: Vec<Spanned<RawVenue>>,
    #[serde(default)]
    pub contacts: Vec<Spanned<RawContact>>,
    /// Elements that could not be read at all (recoverable reading only), so paths keep their indices.
    #[serde(skip)]
    pub dropped: Dropped,
}

/// Indices, in the file, of the elements of each list that could not be read.
#[derive(Debug, Default)]
pub struct Dropped {
    pub sources: Vec<usize>,
    pub actors: Vec<usize>,
    pub venues: Vec<usize>,
    pub contacts: Vec<usize>,
}

/// The index in the file of the `i`-th element that was read, given the (sorted) indices of those dropped.
pub fn index_in_file(i: usize, dropped: &[usize]) -> usize {
    let mut index = i;
    for &d in dropped {
        if d <= index {
            index += 1;
        }
    }
    index
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub id: Text,
    pub title: Text,
    pub description: Option<Text>,
    pub time_zone: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Text,
    pub outlet: Text,
    pub title: Option<Text>,
    pub published: Option<TimeText>,
    pub url: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: Text,
    pub name: Text,
    pub kind: Text,
    pub affiliation: Option<Text>,
    pub role: Option<Text>,
    pub based_at: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVenue {
    pub id: Text,
    pub name: Text,
    pub kind: Text,
    pub country: Option<Text>,
    pub time_zone: Option<Text>,
    pub lon: Option<Spanned<f64>>,
    pub lat: Option<Spanned<f64>>,
    pub radius_km: Option<Spanned<f64>>,
    /// `[[lon, lat], ...]`.
    pub polygon: Option<Spanned<Vec<[f64; 2]>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub id: Text,
    pub kind: Text,
    pub status: Text,
    pub title: Text,
    pub summary: Option<Text>,
    #[serde(default)]
    pub participants: Vec<Spanned<RawParticipant>>,
    pub venue: Option<Text>,
    pub from: Option<Text>,
    pub to: Option<Text>,
    pub time: Spanned<RawTime>,
    #[serde(default)]
    pub quotes: Vec<Spanned<RawQuote>>,
    #[serde(default)]
    pub sources: Vec<Spanned<RawCitation>>,
    pub confidence: Option<Text>,
    pub notes: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParticipant {
    pub actor: Text,
    pub part: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuote {
    pub speaker: Text,
    pub text: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCitation {
    pub source: Text,
    pub says: Option<Text>,
    pub attribution: Option<Text>,
}

/// One of the shapes of a time; which keys are given says which shape (see the README's reference).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTime {
    pub at: Option<TimeText>,
    pub on: Option<TimeText>,
    pub part: Option<Text>,
    pub from: Option<TimeText>,
    pub to: Option<TimeText>,
    pub earliest: Option<TimeText>,
    pub latest: Option<TimeText>,
    pub since: Option<TimeText>,
    pub as_of: Option<TimeText>,
    pub tz: Option<Text>,
}

/// Reads a file that the one-pass reader rejected, reporting every problem it can find.
///
/// Syntax errors are all reported (the parser recovers); each table of the file is then read on its own, so
/// a bad value in one contact does not hide the problems of the next. Unknown fields are removed one by one
/// and reported, so every typo of an element shows at once.
pub fn read_recoverable(text: &str, diagnostics: &mut Vec<Diagnostic>) -> RawFile {
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
                Diagnostic::error(format!("unknown top-level key `{other}`"))
                    .at(key_span)
                    .path(other)
                    .hint(did_you_mean(other, TOP_LEVEL_KEYS).unwrap_or_else(|| {
                        format!(
                            "the top-level keys are {}",
                            TOP_LEVEL_KEYS.map(|k| format!("`{k}`")).join(", ")
                        )
                    })),
            ),
        }
    }
    file
}

const TOP_LEVEL_KEYS: [&str; 7] = [
    "format", "version", "scenario", "sources", "actors", "venues", "contacts",
];

fn syntax_error(error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().to_owned();
    let mut diagnostic = Diagnostic::error(format!("TOML syntax: {message}"));
    if let Some(span) = error.span() {
        diagnostic = diagnostic.at(span);
    }
    diagnostic
}

/// Reads each element of a list; returns those read and the indices of those that could not be.
fn read_each<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Spanned<T>>, Vec<usize>) {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => {
            let mut read = Vec::with_capacity(items.len());
            let mut dropped = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match read_one(item.clone(), &format!("{path}[{i}]"), diagnostics) {
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
fn read_one<T: DeserializeOwned>(
    mut value: Spanned<DeValue<'_>>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
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
        if let (Some(span), Some(field)) = (span.clone(), unknown_name(&message, "unknown field"))
            && remove_key(value.get_mut(), &span)
        {
            diagnostics.push(
                Diagnostic::error(format!("unknown field `{field}`"))
                    .at(span)
                    .path(inner_path)
                    .hint(
                        did_you_mean(&field, expected_names(&message).iter().map(String::as_str))
                            .unwrap_or_else(|| expected_hint(&message)),
                    ),
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

/// `unknown field `x`, expected ...` -> `x`.
fn unknown_name(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?.trim_start();
    let rest = rest.strip_prefix('`')?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// The names serde lists after "expected" in its messages.
fn expected_names(message: &str) -> Vec<String> {
    let Some(at) = message.find("expected") else {
        return Vec::new();
    };
    message[at..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn expected_hint(message: &str) -> String {
    let names = expected_names(message);
    if names.is_empty() {
        "remove it".to_owned()
    } else {
        format!(
            "the fields here are {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
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

    fn recover(text: &str) -> (RawFile, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let file = read_recoverable(text, &mut diagnostics);
        (file, diagnostics)
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
        assert_eq!(diagnostics[0].message, "unknown field `afiliation`");
        assert_eq!(
            diagnostics[0].hint.as_deref(),
            Some("did you mean `affiliation`?")
        );
        assert_eq!(diagnostics[0].path, "actors[0].afiliation");
        assert_eq!(
            &text[diagnostics[0].span.clone().expect("span")],
            "afiliation"
        );
        assert_eq!(diagnostics[1].message, "unknown field `nmae`");
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
    fn indices_in_the_file_skip_over_dropped_elements() {
        assert_eq!(index_in_file(0, &[]), 0);
        assert_eq!(index_in_file(0, &[0]), 1);
        assert_eq!(index_in_file(1, &[0, 2]), 3);
        assert_eq!(index_in_file(2, &[0, 2]), 4);
        assert_eq!(index_in_file(1, &[3]), 1);
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
