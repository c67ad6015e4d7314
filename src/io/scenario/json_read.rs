//! Reading the JSON encoding of a scenario: the same schema as the TOML one, for large generated or
//! exported scenarios.
//!
//! A file is read in one fast pass, with strings borrowed from the text, and its contacts checked on
//! rayon's threads while the rest is read. serde_json gives no positions, so nothing is located until
//! there is a problem: each problem carries its path, and a [`Locator`] finds its place in the text
//! afterwards. A file the fast pass cannot read (an unknown field, a value of the wrong type, a syntax
//! error) is read again element by element, so that every problem is reported (a syntax error is reported
//! alone: after one, nothing can be read reliably).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;
use serde_json::value::RawValue;

use super::raw::{At, NoSpan, RawContact, RawFile, Str, TOP_LEVEL_KEYS, messages};
use super::validate::{self, Checked, Ctx, Outcome, Validator};
use crate::diagnostics::Diagnostic;
use crate::io::json::{
    Locator, Problem, Seg, byte_offset, message_without_position, path_string, syntax_diagnostic,
    value_kind,
};
use crate::io::kept::{Kept, echo};
use crate::model::Scenario;

/// Reads and validates a JSON scenario: the scenario when it has no error, every problem, placed, and the
/// number of contacts read. When `keep_contacts` is false, a file whose contacts
/// come last (as demarche writes it) comes back with none kept: each is checked and let go, its id kept
/// for the duplicate check (what `demarche check` needs of a million contacts).
pub fn read_keeping(
    text: &str,
    keep_contacts: bool,
) -> (Option<Scenario>, Kept<Diagnostic>, usize) {
    if let Some((outcome, streamed)) = read_fast(text, keep_contacts) {
        let diagnostics = place(outcome.problems, &mut Locator::new(text));
        let count = streamed
            .or_else(|| outcome.scenario.as_ref().map(|s| s.contacts.len()))
            .unwrap_or(0);
        return (outcome.scenario, diagnostics, count);
    }
    let (scenario, diagnostics) = read_slowly(text);
    let count = scenario.as_ref().map_or(0, |s| s.contacts.len());
    (scenario, diagnostics, count)
}

/// Reads the file in one pass; `None` when any part of it cannot be read (the slow reader then says why).
///
/// When the contacts come after everything else (as written by demarche), they are checked while they
/// are read: the reading thread hands them over in chunks to rayon's threads, so no contact is kept as
/// read, and reading and checking overlap.
/// With the outcome, how many contacts were streamed (`None` when they were read with the rest).
fn read_fast(text: &str, keep: bool) -> Option<(Outcome, Option<usize>)> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let outcome = FastFile { text, keep }
        .deserialize(&mut deserializer)
        .ok()?;
    deserializer.end().ok()?;
    Some(outcome)
}

/// The whole file, read by the fast pass; streamed contacts are let go after their check unless `keep`.
struct FastFile<'a> {
    text: &'a str,
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for FastFile<'de> {
    type Value = (Outcome, Option<usize>);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FastFile<'de> {
    type Value = (Outcome, Option<usize>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scenario object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut head = RawFile::<'de, NoSpan, ()>::default();
        let mut seen = [false; TOP_LEVEL_KEYS.len()];
        let mut buffered = Vec::new();
        let mut streamed = None;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            let Some(k) = TOP_LEVEL_KEYS.iter().position(|&name| name == &*key) else {
                return Err(de::Error::custom("unknown top-level key"));
            };
            if std::mem::replace(&mut seen[k], true) {
                return Err(de::Error::custom("duplicate top-level key"));
            }
            match TOP_LEVEL_KEYS[k] {
                "format" => head.format = map.next_value()?,
                "version" => head.version = map.next_value()?,
                "scenario" => head.scenario = map.next_value()?,
                "sources" => head.sources = map.next_value()?,
                "actors" => head.actors = map.next_value()?,
                "venues" => head.venues = map.next_value()?,
                _ if seen.iter().all(|&s| s) => {
                    let mut validator = Validator::new(self.text);
                    let prepared = validator.prepare(std::mem::take(&mut head));
                    let checked = match &prepared {
                        Some(prepared) => map.next_value_seed(Stream {
                            ctx: &prepared.ctx(&validator),
                            keep: self.keep,
                        })?,
                        None => {
                            map.next_value::<IgnoredAny>()?;
                            Vec::new()
                        }
                    };
                    let count = checked.iter().map(Vec::len).sum();
                    streamed = Some((validator.finish(prepared, checked), Some(count)));
                }
                _ => buffered = map.next_value()?,
            }
        }
        Ok(match streamed {
            Some(outcome) => outcome,
            None => (
                validate::validate(head.with_contacts(buffered), self.text),
                None,
            ),
        })
    }
}

/// Contacts checked in chunks of this many, each chunk on one of rayon's threads.
const CHUNK: usize = 512;

/// The contacts, checked while they are read.
struct Stream<'c, 'v> {
    ctx: &'c Ctx<'v>,
    /// Whether the contacts are kept, or let go once checked (their ids kept).
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for Stream<'_, '_> {
    type Value = Vec<Vec<Checked<NoSpan>>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Stream<'_, '_> {
    type Value = Vec<Vec<Checked<NoSpan>>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of contacts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (ctx, keep) = (self.ctx, self.keep);
        let checked: Mutex<InOrder<Checked<NoSpan>>> = Mutex::default();
        rayon::in_place_scope(|scope| -> Result<(), A::Error> {
            for start in (0..).step_by(CHUNK) {
                let mut chunk = Vec::with_capacity(CHUNK);
                while chunk.len() < CHUNK {
                    match seq.next_element::<At<RawContact<'de, NoSpan>, NoSpan>>()? {
                        Some(contact) => chunk.push(contact),
                        None => break,
                    }
                }
                let last = chunk.len() < CHUNK;
                let checked = &checked;
                scope.spawn(move |_| {
                    let done: Vec<_> = chunk
                        .iter()
                        .enumerate()
                        .map(|(i, raw)| {
                            let checked = validate::check_contact(ctx, raw, start + i);
                            if keep {
                                checked
                            } else {
                                checked.into_id_only()
                            }
                        })
                        .collect();
                    drop(chunk);
                    lock(checked).add(start, done);
                });
                if last {
                    break;
                }
            }
            Ok(())
        })?;
        let checked = checked.into_inner().unwrap_or_else(PoisonError::into_inner);
        Ok(vec![checked.into_list()])
    }
}

/// The checked contacts put in file order as their chunks come in from rayon's threads, so that the
/// list is whole (and one) when the last chunk is checked: made while the file is read, rather than
/// moved into one list after (a million contacts are hundreds of megabytes).
#[derive(Debug)]
struct InOrder<T> {
    list: Vec<T>,
    /// Chunks checked before one that comes earlier in the file, by their first index.
    waiting: std::collections::BTreeMap<usize, Vec<T>>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        Self {
            list: Vec::new(),
            waiting: std::collections::BTreeMap::new(),
        }
    }
}

impl<T> InOrder<T> {
    /// Takes the chunk that starts at index `start` of the file.
    fn add(&mut self, start: usize, mut chunk: Vec<T>) {
        if start != self.list.len() {
            self.waiting.insert(start, chunk);
            return;
        }
        self.list.append(&mut chunk);
        while let Some(next) = self.waiting.remove(&self.list.len()) {
            self.list.extend(next);
        }
    }

    /// The list, once every chunk is in.
    fn into_list(mut self) -> Vec<T> {
        // Every chunk came in, so none waits; were one lost, those after it are kept in order anyway.
        for (_, chunk) in std::mem::take(&mut self.waiting) {
            self.list.extend(chunk);
        }
        self.list
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Reads a file the fast pass rejected, element by element, reporting every problem it can find.
fn read_slowly(text: &str) -> (Option<Scenario>, Kept<Diagnostic>) {
    let members = match serde_json::from_str::<Members<'_>>(text) {
        Ok(members) => members,
        Err(err) => {
            let mut diagnostics = Kept::default();
            diagnostics.push(syntax_diagnostic(&err, text));
            return (None, diagnostics);
        }
    };
    let mut reading = Reading {
        text,
        locator: Locator::new(text),
        diagnostics: Kept::default(),
    };
    let mut file = RawFile::<'_, NoSpan>::default();
    let mut seen: HashSet<&str> = HashSet::new();
    for (key, value) in &members.0 {
        let key: &str = key;
        if !seen.insert(key) {
            let span = reading.span_of(value);
            reading.diagnostics.push(
                Diagnostic::error(format!("the key `{}` is given twice", echo(key)))
                    .at(span)
                    .path(key)
                    .hint("give each key once"),
            );
            continue;
        }
        match key {
            "format" => file.format = reading.one(value, &[Seg::key("format")]),
            "version" => file.version = reading.one(value, &[Seg::key("version")]),
            "scenario" => file.scenario = reading.one(value, &[Seg::key("scenario")]),
            "sources" => (file.sources, file.dropped.sources) = reading.each(value, "sources"),
            "actors" => (file.actors, file.dropped.actors) = reading.each(value, "actors"),
            "venues" => (file.venues, file.dropped.venues) = reading.each(value, "venues"),
            "contacts" => (file.contacts, file.dropped.contacts) = reading.each(value, "contacts"),
            other => {
                let path = [Seg::Key(Cow::Owned(other.to_owned()))];
                let mut diagnostic =
                    Diagnostic::error(format!("unknown top-level key `{}`", echo(other)))
                        .path(other)
                        .hint(messages::top_level_hint(other));
                diagnostic.span = reading.locator.locate_key(&path);
                reading.diagnostics.push(diagnostic);
            }
        }
    }
    let outcome = validate::validate(file, text);
    let mut diagnostics = reading.diagnostics;
    let read_cleanly = !diagnostics.has_errors();
    diagnostics.append(place(outcome.problems, &mut reading.locator));
    if !diagnostics.has_errors() {
        // The fast pass failed for a reason the slow one did not see: report serde_json's own words.
        if let Err(err) = serde_json::from_str::<RawFile<'_, NoSpan>>(text) {
            diagnostics.push(syntax_diagnostic(&err, text));
        }
    }
    let scenario = outcome.scenario.filter(|_| read_cleanly);
    (scenario, diagnostics)
}

/// Gives each problem kept the span of its anchor (or of the nearest enclosing value that is found).
fn place(problems: Kept<Problem>, locator: &mut Locator<'_>) -> Kept<Diagnostic> {
    problems.map(|problem| locator.place_within(problem))
}

/// The top-level members of the file, in order, each as raw text.
#[derive(Debug)]
struct Members<'a>(Vec<(Str<'a>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scenario object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    members.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// The slow reader's state: the text, a locator into it, and the problems found while reading.
struct Reading<'a> {
    text: &'a str,
    locator: Locator<'a>,
    diagnostics: Kept<Diagnostic>,
}

impl<'a> Reading<'a> {
    /// The span of a raw value of the text, cut at the end of its first line.
    fn span_of(&self, value: &RawValue) -> Range<usize> {
        let start = (value.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let first_line = value.get().find('\n').unwrap_or(value.get().len());
        start..start + first_line.max(1).min(value.get().len())
    }

    /// Reads each element of a list; returns those read and the indices of those that could not be.
    fn each<T: Deserialize<'a>>(
        &mut self,
        value: &'a RawValue,
        name: &'static str,
    ) -> (Vec<T>, Vec<usize>) {
        let items = match serde_json::from_str::<Vec<&'a RawValue>>(value.get()) {
            Ok(items) => items,
            Err(_) => {
                let kind = serde_json::from_str::<Value>(value.get())
                    .map_or("not a list", |v| value_kind(&v));
                let span = self.span_of(value);
                self.diagnostics.push(
                    Diagnostic::error(format!("`{name}` must be a list of objects, not {kind}"))
                        .at(span)
                        .path(name)
                        .hint(format!("write `\"{name}\": [{{ ... }}, {{ ... }}]`")),
                );
                return (Vec::new(), Vec::new());
            }
        };
        let mut read = Vec::with_capacity(items.len());
        let mut dropped = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            match self.one(item, &[Seg::key(name), Seg::Index(i)]) {
                Some(element) => read.push(element),
                None => dropped.push(i),
            }
        }
        (read, dropped)
    }

    /// Reads one value, reporting and dropping unknown fields until it reads or fails for another reason.
    fn one<T: Deserialize<'a>>(&mut self, raw: &'a RawValue, path: &[Seg]) -> Option<T> {
        let text = raw.get();
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let mut error = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Ok(read) => return Some(read),
            Err(error) => error,
        };
        // After the first unknown field, the element is read again from a tree with the field removed.
        let mut tree: Option<Value> = None;
        // Each round removes one key; bound it anyway.
        for _ in 0..1024 {
            let inner: Vec<Seg> = error.path().iter().filter_map(Seg::from_serde).collect();
            let full: Vec<Seg> = path.iter().cloned().chain(inner.iter().cloned()).collect();
            let message = message_without_position(error.inner());
            if let Some(field) = messages::unknown_field(&message) {
                let value = tree.get_or_insert_with(|| {
                    serde_json::from_str::<Value>(text).unwrap_or(Value::Null)
                });
                if remove_key(value, &inner) {
                    let mut diagnostic =
                        Diagnostic::error(format!("unknown field `{}`", echo(&field)))
                            .path(path_string(&full))
                            .hint(messages::unknown_field_hint(&field, &message));
                    diagnostic.span = self.locator.locate_key(&full);
                    self.diagnostics.push(diagnostic);
                    match serde_path_to_error::deserialize::<_, T>(value.clone()) {
                        Ok(read) => return Some(read),
                        Err(next) => {
                            error = next;
                            continue;
                        }
                    }
                }
            }
            // Without a path (a duplicate field), serde_json's own position in the element says where.
            let span = if inner.is_empty() && error.inner().line() > 0 {
                let start = (text.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
                let at = start + byte_offset(text, error.inner().line(), error.inner().column());
                Some(at..(at + 1).min(self.text.len()))
            } else {
                self.locator.locate_or_enclosing(&full)
            };
            let mut diagnostic = match messages::string_for_a_time(&message) {
                Some(written) => {
                    let field = full
                        .last()
                        .map_or_else(String::new, |s| path_string(std::slice::from_ref(s)));
                    let (message, hint) = messages::time_not_a_table(&field, written, true, true);
                    Diagnostic::error(message).hint(hint)
                }
                None => Diagnostic::error(message),
            }
            .path(path_string(&full));
            diagnostic.span = span;
            self.diagnostics.push(diagnostic);
            return None;
        }
        None
    }
}

/// Removes the member that `path` ends with from the tree.
fn remove_key(value: &mut Value, path: &[Seg]) -> bool {
    let Some((Seg::Key(key), parent)) = path.split_last() else {
        return false;
    };
    let mut node = value;
    for step in parent {
        node = match (step, node) {
            (Seg::Key(k), Value::Object(map)) => match map.get_mut(k.as_ref()) {
                Some(child) => child,
                None => return false,
            },
            (Seg::Index(i), Value::Array(items)) => match items.get_mut(*i) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    node.as_object_mut()
        .is_some_and(|map| map.remove(key.as_ref()).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_checked_in_any_order_are_put_in_file_order() {
        let chunks: Vec<(usize, Vec<usize>)> = (0..7)
            .map(|k| (k * 3, (k * 3..k * 3 + 3).collect()))
            .chain([(21, vec![21])])
            .collect();
        for order in [
            vec![0, 1, 2, 3, 4, 5, 6, 7],
            vec![7, 6, 5, 4, 3, 2, 1, 0],
            vec![3, 0, 7, 1, 5, 2, 6, 4],
        ] {
            let mut in_order = InOrder::default();
            for &k in &order {
                let (start, chunk) = &chunks[k];
                in_order.add(*start, chunk.clone());
            }
            assert!(in_order.waiting.is_empty(), "{order:?}");
            assert_eq!(
                in_order.into_list(),
                (0..22).collect::<Vec<_>>(),
                "{order:?}"
            );
        }
    }

    #[test]
    fn keys_are_removed_at_their_path() {
        let mut value: Value = serde_json::from_str(r#"{"a": [{"b": 1, "c": 2}]}"#).expect("json");
        let path = [Seg::key("a"), Seg::Index(0), Seg::key("c")];
        assert!(remove_key(&mut value, &path));
        assert_eq!(value, serde_json::json!({"a": [{"b": 1}]}));
        assert!(!remove_key(&mut value, &path));
        assert!(!remove_key(&mut value, &[Seg::Index(3)]));
    }

    #[test]
    fn every_unknown_field_of_an_element_is_reported_at_its_key() {
        let text = r#"{"format": "demarche-scenario", "version": 1,
"scenario": {"id": "x", "title": "X"},
"actors": [
  {"id": "a", "nmae": "A", "name": "A", "kind": "person", "afiliation": "TR"}
]}"#;
        let (scenario, diagnostics, _) = read_keeping(text, true);
        let diagnostics = diagnostics.into_parts().0;
        assert!(scenario.is_none());
        let found: Vec<(&str, &str)> = diagnostics
            .iter()
            .map(|d| (d.path.as_str(), &text[d.span.clone().expect("span")]))
            .collect();
        assert_eq!(
            found,
            vec![
                ("actors[0].nmae", "\"nmae\""),
                ("actors[0].afiliation", "\"afiliation\"")
            ],
            "{diagnostics:#?}"
        );
        assert_eq!(
            diagnostics[1].hint.as_deref(),
            Some("did you mean `affiliation`?")
        );
    }
}
