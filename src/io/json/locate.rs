//! Finding a path's place in a JSON text, and serde_json's syntax errors turned into places.
//!
//! The readers deserialize in one fast pass that does not track byte offsets (serde_json gives none to a
//! visitor). A problem is recorded with its path only; when the file has problems, a [`Locator`] finds each
//! path's span afterwards by skimming the text. That keeps the common case (a valid file) free of
//! bookkeeping, and the rare case correct.

use std::collections::HashMap;
use std::ops::Range;

use super::Seg;
use crate::diagnostics::Diagnostic;

/// The longest span [`Locator::locate`] gives.
const SPAN_BYTES: usize = 240;

/// Finds the span of the value at a path, in a text that is (mostly) JSON.
///
/// Never panics: on text that does not have the expected shape it answers `None`. Arrays and objects walked
/// once are remembered (the start of each element, the place of each member), so locating many paths into
/// the same large `features` array, or past the same large members of the top-level object, costs one scan,
/// not one per path.
#[derive(Debug)]
pub struct Locator<'t> {
    bytes: &'t [u8],
    /// For each array walked (by the offset of its `[`): the starts of its elements found so far, and where
    /// to continue (`None` once its `]` was reached).
    arrays: HashMap<usize, (Vec<usize>, Option<usize>)>,
    /// For each object walked (by the offset of its `{`): its members found so far, and where to continue.
    objects: HashMap<usize, Members<'t>>,
}

/// The members of an object found so far: each name (the first time it occurs) with the offsets of the
/// name and of the value.
#[derive(Debug)]
struct Members<'t> {
    found: HashMap<&'t [u8], (usize, usize)>,
    next: Next,
}

/// Where the walk of an object goes on.
#[derive(Clone, Copy, Debug)]
enum Next {
    /// At a member's name (or blanks before it).
    Member(usize),
    /// After the value that starts here.
    AfterValue(usize),
    Done,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Self {
            bytes: text.as_bytes(),
            arrays: HashMap::new(),
            objects: HashMap::new(),
        }
    }

    /// The span of the value at `path`, cut at the end of its first line (and at most [`SPAN_BYTES`] long),
    /// so an excerpt stays short and a large value is not scanned to its end.
    pub fn locate(&mut self, path: &[Seg]) -> Option<Range<usize>> {
        let start = self.find(path)?;
        Some(start..self.span_end(start))
    }

    /// The span of the member name (with its quotes) that `path` ends with, e.g. the `"prt"` of
    /// `contacts[0].participants[1].prt`: where an unknown field is reported.
    pub fn locate_key(&mut self, path: &[Seg]) -> Option<Range<usize>> {
        let (Seg::Key(key), parent) = path.split_last()? else {
            return None;
        };
        let object = self.find(parent)?;
        let (name, _) = self.member_at(object, key)?;
        Some(name..self.skip_string(name)?)
    }

    /// The offset where the value at `path` starts.
    fn find(&mut self, path: &[Seg]) -> Option<usize> {
        let mut pos = self.skip_ws(0);
        self.bytes.get(pos)?;
        for seg in path {
            pos = match seg {
                Seg::Key(key) => self.member(pos, key)?,
                Seg::Index(i) => self.element(pos, *i)?,
            };
        }
        Some(pos)
    }

    /// Where the value starting at `start` ends, or the end of its first line, or `start + SPAN_BYTES`.
    fn span_end(&self, start: usize) -> usize {
        let limit = (start + SPAN_BYTES).min(self.bytes.len());
        let mut depth = 0usize;
        let mut i = start;
        while i < limit {
            match self.bytes[i] {
                b'"' => match self.skip_string(i) {
                    Some(end) if end <= limit => i = end,
                    _ => return limit,
                },
                b'{' | b'[' => {
                    depth += 1;
                    i += 1;
                }
                b'}' | b']' if depth == 0 => return i.max(start + 1),
                b'}' | b']' => {
                    depth -= 1;
                    i += 1;
                }
                b'\n' => return i.max(start + 1),
                b',' | b' ' | b'\t' | b'\r' if depth == 0 => return i.max(start + 1),
                _ => i += 1,
            }
            if depth == 0
                && i > start
                && !self.bytes[start].is_ascii_alphanumeric()
                && self.bytes[start] != b'-'
            {
                return i;
            }
        }
        limit.max(start + 1).min(self.bytes.len().max(start))
    }

    /// Tells the locator where the first elements of the array at `path` are, given the offset of the first
    /// member name of each (the element is an object: its `{` is found by looking back over blanks). A reader
    /// that saw those names while parsing saves the locator from scanning the array.
    pub fn seed_objects(&mut self, path: &[Seg], first_names: &[usize]) {
        let Some(array) = self.find(path) else {
            return;
        };
        if self.bytes.get(array) != Some(&b'[') {
            return;
        }
        let mut starts = Vec::with_capacity(first_names.len());
        for &name in first_names {
            // `name` is just after the opening quote of the member name.
            let mut i = name.saturating_sub(1);
            while i > array && matches!(self.bytes.get(i - 1), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                i -= 1;
            }
            match i.checked_sub(1) {
                Some(brace) if brace > array && self.bytes.get(brace) == Some(&b'{') => {
                    starts.push(brace);
                }
                _ => break,
            }
        }
        // Scanning on from the last known element finds any that were not given.
        let next = starts.last().and_then(|&last| {
            let after = self.skip_ws(self.skip_value(last)?);
            (self.bytes.get(after) == Some(&b',')).then_some(after + 1)
        });
        if !starts.is_empty() {
            self.arrays.insert(array, (starts, next));
        }
    }

    fn member(&mut self, object: usize, key: &str) -> Option<usize> {
        self.member_at(object, key).map(|(_, value)| value)
    }

    /// The offsets of the name and of the value of an object's member.
    fn member_at(&mut self, object: usize, key: &str) -> Option<(usize, usize)> {
        if self.bytes.get(object) != Some(&b'{') {
            return None;
        }
        let mut members = self.objects.remove(&object).unwrap_or_else(|| Members {
            found: HashMap::new(),
            next: Next::Member(object + 1),
        });
        let found = loop {
            if let Some(&place) = members.found.get(key.as_bytes()) {
                break Some(place);
            }
            members.next = match members.next {
                Next::Done => break None,
                Next::Member(pos) => match self.member_name(pos) {
                    Some((name, key_start, value)) => {
                        members.found.entry(name).or_insert((key_start, value));
                        Next::AfterValue(value)
                    }
                    None => Next::Done,
                },
                Next::AfterValue(value) => match self.skip_value(value) {
                    Some(end) => {
                        let pos = self.skip_ws(end);
                        if self.bytes.get(pos) == Some(&b',') {
                            Next::Member(pos + 1)
                        } else {
                            Next::Done
                        }
                    }
                    None => Next::Done,
                },
            };
        };
        self.objects.insert(object, members);
        found
    }

    /// The member whose name starts at `pos` (after blanks): its name, and the offsets of the name and of
    /// the value.
    fn member_name(&self, pos: usize) -> Option<(&'t [u8], usize, usize)> {
        let key_start = self.skip_ws(pos);
        if self.bytes.get(key_start) != Some(&b'"') {
            return None;
        }
        let key_end = self.skip_string(key_start)?;
        let bytes: &'t [u8] = self.bytes;
        let name = bytes.get(key_start + 1..key_end - 1)?;
        let colon = self.skip_ws(key_end);
        if self.bytes.get(colon) != Some(&b':') {
            return None;
        }
        Some((name, key_start, self.skip_ws(colon + 1)))
    }

    fn element(&mut self, array: usize, index: usize) -> Option<usize> {
        if self.bytes.get(array) != Some(&b'[') {
            return None;
        }
        let (mut starts, mut next) = self
            .arrays
            .remove(&array)
            .unwrap_or_else(|| (Vec::new(), Some(array + 1)));
        while starts.len() <= index {
            let Some(from) = next else { break };
            let start = self.skip_ws(from);
            if self.bytes.get(start) == Some(&b']') {
                next = None;
                break;
            }
            let Some(end) = self.skip_value(start) else {
                next = None;
                break;
            };
            starts.push(start);
            let after = self.skip_ws(end);
            next = (self.bytes.get(after) == Some(&b',')).then_some(after + 1);
        }
        let found = starts.get(index).copied();
        self.arrays.insert(array, (starts, next));
        found
    }

    fn skip_ws(&self, mut pos: usize) -> usize {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(pos) {
            pos += 1;
        }
        pos
    }

    /// The offset just after the string starting at `pos` (a `"`).
    fn skip_string(&self, pos: usize) -> Option<usize> {
        let mut i = pos + 1;
        loop {
            match self.bytes.get(i)? {
                b'"' => return Some(i + 1),
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
    }

    /// The offset just after the value starting at `pos`; iterative, so deep nesting cannot overflow.
    fn skip_value(&self, pos: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut i = pos;
        loop {
            match *self.bytes.get(i)? {
                b'"' => i = self.skip_string(i)?,
                b'{' | b'[' => {
                    depth += 1;
                    i += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    i += 1;
                }
                _ if depth > 0 => i += 1,
                _ => {
                    // A scalar: up to the next delimiter.
                    while let Some(&b) = self.bytes.get(i) {
                        if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                            break;
                        }
                        i += 1;
                    }
                    return Some(i.max(pos + 1).min(self.bytes.len()));
                }
            }
            if depth == 0 {
                return Some(i);
            }
        }
    }
}

/// A serde_json syntax (or recursion) error as a diagnostic with a span, so the report shows `file:line:col`
/// once (the position is taken out of serde_json's message).
pub fn syntax_diagnostic(err: &serde_json::Error, text: &str) -> Diagnostic {
    let message = message_without_position(err);
    let message = message.as_str();
    let offset = byte_offset(text, err.line(), err.column());
    if let Some(diagnostic) = trailing_comma(text, offset) {
        return diagnostic;
    }
    let hint = if err.is_eof() {
        Some("the file ends in the middle of a value: is it truncated?")
    } else if message.contains("expected `,` or") {
        Some("a comma may be missing between two values")
    } else if message.contains("recursion limit") {
        Some("arrays and objects may nest at most 128 deep")
    } else if message.contains("trailing characters") {
        Some("the file holds more than one JSON value")
    } else {
        None
    };
    let mut diagnostic = Diagnostic::error(format!("JSON syntax error: {message}"))
        .at(offset..(offset + 1).min(text.len()).max(offset));
    if let Some(hint) = hint {
        diagnostic = diagnostic.hint(hint);
    }
    diagnostic
}

/// A comma before a closing `}` or `]` (at `offset`, where serde_json stops): JSON allows none, though
/// many other formats do. Said so, at the comma.
fn trailing_comma(text: &str, offset: usize) -> Option<Diagnostic> {
    let bytes = text.as_bytes();
    let close = *bytes.get(offset)?;
    let what = match close {
        b'}' => "member of an object",
        b']' => "element of a list",
        _ => return None,
    };
    let comma = bytes[..offset]
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .filter(|&i| bytes[i] == b',')?;
    Some(
        Diagnostic::error(format!("JSON syntax error: a comma after the last {what}"))
            .at(comma..comma + 1)
            .hint(format!(
                "JSON allows no comma before the closing `{}`: remove this one",
                close as char
            )),
    )
}

/// serde_json's message without the " at line 3 column 7" it ends with.
pub fn message_without_position(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match message.strip_suffix(&suffix) {
        Some(bare) => bare.to_owned(),
        None => message,
    }
}

/// The byte offset of serde_json's 1-based line and byte column (column 0 means "before the line").
pub fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let line_start = if line == 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A JSON value's kind, for messages: "found a string".
pub fn value_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::super::path::tests::path;
    use super::*;

    #[test]
    fn locator_finds_members_and_elements() {
        let text = r#"{"a": "x\"]", "features": [ {"g": [1, [2, 3]]}, {"g": {"k": [4,
 5]}} ]}"#;
        let mut loc = Locator::new(text);
        let at = |r: Range<usize>| &text[r];
        assert_eq!(loc.locate(&path("a")).map(at), Some(r#""x\"]""#));
        assert_eq!(loc.locate(&path("features[0].g[1][1]")).map(at), Some("3"));
        assert_eq!(loc.locate(&path("features[1].g.k")).map(at), Some("[4,"));
        assert_eq!(loc.locate(&path("features[2]")), None);
        assert_eq!(
            loc.locate_key(&path("features[1].g.k")).map(at),
            Some("\"k\"")
        );
        assert_eq!(loc.locate_key(&path("features[1].g.nope")), None);
        assert_eq!(loc.locate_key(&path("features[1]")), None);
        assert_eq!(loc.locate(&path("nope")), None);
    }

    #[test]
    fn locator_survives_garbage() {
        for text in [
            "",
            "{",
            "[",
            "{\"a\"",
            "[1,",
            "\"",
            "]]]",
            "{\"a\": [1, {]}",
        ] {
            let mut loc = Locator::new(text);
            let _ = loc.locate(&path("a[3].b"));
            let _ = loc.locate(&[]);
        }
    }

    #[test]
    fn syntax_errors_point_at_their_place() {
        let text = "{\n  \"type\": \"Point\"\n  \"coordinates\": [1, 2]\n}";
        let err = serde_json::from_str::<serde_json::Value>(text).expect_err("bad json");
        let d = syntax_diagnostic(&err, text);
        let span = d.span.clone().expect("span");
        assert!(text[span.start..].starts_with("\"coordinates\""), "{d:?}");
        assert!(!d.message.contains("line"), "{}", d.message);
        let err = serde_json::from_str::<serde_json::Value>("").expect_err("empty");
        assert_eq!(syntax_diagnostic(&err, "").span, Some(0..0));
    }

    /// A JSON tree of numbers: anything else (a string) is a value of the wrong type.
    #[derive(Debug)]
    struct Numbers;

    impl<'de> serde::Deserialize<'de> for Numbers {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Numbers;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("numbers")
                }
                fn visit_i64<E>(self, _: i64) -> Result<Numbers, E> {
                    Ok(Numbers)
                }
                fn visit_u64<E>(self, _: u64) -> Result<Numbers, E> {
                    Ok(Numbers)
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<Numbers, A::Error> {
                    while seq.next_element::<Numbers>()?.is_some() {}
                    Ok(Numbers)
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Numbers, A::Error> {
                    while map.next_key::<String>()?.is_some() {
                        map.next_value::<Numbers>()?;
                    }
                    Ok(Numbers)
                }
            }
            d.deserialize_any(V)
        }
    }

    fn tree() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = any::<i32>().prop_map(Value::from);
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-zé_]{1,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// The paths of the leaves of `value`.
    fn leaves(value: &serde_json::Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        use serde_json::Value;
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    leaves(item, path, out);
                    path.pop();
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    path.push(Seg::Key(std::borrow::Cow::Owned(k.clone())));
                    leaves(item, path, out);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }

    fn at_mut<'v>(value: &'v mut serde_json::Value, path: &[Seg]) -> &'v mut serde_json::Value {
        path.iter().fold(value, |v, seg| match seg {
            Seg::Key(k) => &mut v[k.as_ref()],
            Seg::Index(i) => &mut v[*i],
        })
    }

    proptest::proptest! {
        /// The locator finds the place serde reports: a value of the wrong type anywhere in a document
        /// (written compactly or pretty) is reported by serde_json at a line and column inside the span
        /// the locator gives for the path serde_path_to_error reports, and that path is the value's.
        #[test]
        fn the_locator_finds_the_place_serde_reports(
            mut doc in tree(),
            pick in proptest::prelude::any::<proptest::sample::Index>(),
            pretty in proptest::prelude::any::<bool>(),
        ) {
            let mut paths = Vec::new();
            leaves(&doc, &mut Vec::new(), &mut paths);
            proptest::prop_assume!(!paths.is_empty());
            let wrong = pick.get(&paths).clone();
            *at_mut(&mut doc, &wrong) = serde_json::Value::from("not a number");
            let text = if pretty {
                serde_json::to_string_pretty(&doc)
            } else {
                serde_json::to_string(&doc)
            }
            .expect("serialises");
            let mut deserializer = serde_json::Deserializer::from_str(&text);
            let err = serde_path_to_error::deserialize::<_, Numbers>(&mut deserializer)
                .expect_err("a string where a number belongs");
            let path: Vec<Seg> = err.path().iter().filter_map(Seg::from_serde).collect();
            proptest::prop_assert_eq!(&path, &wrong);
            let reported = byte_offset(&text, err.inner().line(), err.inner().column());
            let span = Locator::new(&text).locate(&path).expect("located");
            let value = "\"not a number\"";
            proptest::prop_assert!(text[span.start..].starts_with(value), "{text} {span:?}");
            proptest::prop_assert!(
                (span.start..=span.start + value.len()).contains(&reported),
                "serde says {reported}, the locator {span:?}, in {text}"
            );
        }
    }
}
