//! A JSON value read with its repeated keys noted. serde_json keeps the last of two members with the same
//! name and says nothing; the map readers want to say it (an error for a structural key, a warning in
//! `properties`, where real files do repeat keys), with the place of the second one.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::Seg;

/// At most this many repeated keys are noted in one value (the others are only counted).
const NOTED: usize = 1000;

/// A key given twice in an object: the object's path, the key, and the span of its second use (when the
/// key was read straight from the text, without escapes).
#[derive(Clone, Debug, PartialEq)]
pub struct Duplicate {
    pub object: Vec<Seg>,
    pub key: String,
    pub span: Option<Range<usize>>,
}

/// The repeated keys of a value read with [`ValueNotingDuplicates`].
#[derive(Debug, Default)]
pub struct Duplicates {
    pub noted: Vec<Duplicate>,
    /// All of them, noted or not.
    pub count: usize,
}

/// Reads a [`Value`] as serde_json does (the last of repeated members is kept), noting each repeated key.
/// `path` is the value's path in the document; `text` the document's address and length (for spans).
#[derive(Debug)]
pub struct ValueNotingDuplicates<'s> {
    pub text: (usize, usize),
    pub path: &'s mut Vec<Seg>,
    pub found: &'s mut Duplicates,
}

impl ValueNotingDuplicates<'_> {
    fn child(&mut self) -> ValueNotingDuplicates<'_> {
        ValueNotingDuplicates {
            text: self.text,
            path: self.path,
            found: self.found,
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueNotingDuplicates<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueNotingDuplicates<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            self.path.push(Seg::Index(items.len()));
            let item = seq.next_element_seed(self.child());
            self.path.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        let mut seen: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some((key, address)) = map.next_key_seed(KeyAddress)? {
            if !seen.insert(key.clone()) {
                self.found.count += 1;
                if self.found.noted.len() < NOTED {
                    let span = address
                        .and_then(|a| a.checked_sub(self.text.0))
                        .filter(|&offset| offset <= self.text.1)
                        .map(|offset| offset.saturating_sub(1)..offset + key.len() + 1);
                    self.found.noted.push(Duplicate {
                        object: self.path.clone(),
                        key: crate::io::kept::echo(&key).into_owned(),
                        span,
                    });
                }
            }
            self.path.push(Seg::Key(Cow::Owned(key.to_string())));
            let value = map.next_value_seed(self.child());
            self.path.pop();
            members.insert(key.into_owned(), value?);
        }
        Ok(Value::Object(members))
    }
}

/// A member's name, borrowed from the text when it has no escapes (then its address gives its place).
struct KeyAddress;

impl<'de> DeserializeSeed<'de> for KeyAddress {
    type Value = (Cow<'de, str>, Option<usize>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyAddress {
    type Value = (Cow<'de, str>, Option<usize>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok((Cow::Borrowed(name), Some(name.as_ptr() as usize)))
    }
    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok((Cow::Owned(name.to_owned()), None))
    }
}

/// Reads a whole document, noting its repeated keys.
pub fn from_str_noting_duplicates(text: &str) -> Result<(Value, Duplicates), serde_json::Error> {
    let mut found = Duplicates::default();
    let mut path = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = ValueNotingDuplicates {
        text: (text.as_ptr() as usize, text.len()),
        path: &mut path,
        found: &mut found,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok((value, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_noted_with_the_place_of_the_second_and_the_last_value_kept() {
        let text = r#"{"a": 1, "b": [{"x": 1, "x": 2}], "a": 3}"#;
        let (value, found) = from_str_noting_duplicates(text).expect("json");
        assert_eq!(value, serde_json::json!({"a": 3, "b": [{"x": 2}]}));
        assert_eq!(found.count, 2);
        let places: Vec<(String, &str)> = found
            .noted
            .iter()
            .map(|d| {
                (
                    super::super::path_string(&d.object),
                    &text[d.span.clone().expect("span")],
                )
            })
            .collect();
        assert_eq!(
            places,
            vec![("b[0]".to_owned(), "\"x\""), (String::new(), "\"a\"")]
        );
        assert_eq!(&text[found.noted[0].span.clone().expect("span")], "\"x\"");
        assert_eq!(found.noted[0].span.as_ref().map(|s| s.start), Some(24));
    }
}
