//! The scenario file as written, in either encoding (TOML or JSON): plain structs that borrow their strings
//! from the text where they can, and keep each value's place when the encoding gives one.
//!
//! Both encodings read into the same structs, so one validator serves both. They differ in the position
//! type `P` of [`At`]: TOML's reader gives every value its byte span ([`Span`]); serde_json gives none
//! ([`NoSpan`]), and a JSON diagnostic is placed afterwards from its path (see `json_read`).

use std::borrow::Cow;
use std::fmt;
use std::ops::{Deref, Range};

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;

/// The name every scenario file gives in `format`.
pub const FORMAT: &str = "demarche-scenario";
/// The version of the format this build reads and writes.
pub const VERSION: i64 = 1;

/// The keys a scenario file may have at its top level.
pub const TOP_LEVEL_KEYS: [&str; 7] = [
    "format", "version", "scenario", "sources", "actors", "venues", "contacts",
];

/// Where a value was written, as far as the encoding's reader says.
pub trait Pos: Clone + fmt::Debug + Send + Sync + Sized {
    /// Reads a `T` and its position.
    fn read<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<At<T, Self>, D::Error>;

    /// The byte span, when the reader gave one.
    fn span(&self) -> Option<Range<usize>>;
}

/// A byte span in the text (TOML).
pub type Span = Range<usize>;

impl Pos for Span {
    fn read<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<At<T, Self>, D::Error> {
        let spanned = toml::Spanned::<T>::deserialize(deserializer)?;
        let pos = spanned.span();
        Ok(At {
            value: spanned.into_inner(),
            pos,
        })
    }

    fn span(&self) -> Option<Range<usize>> {
        Some(self.clone())
    }
}

/// No position: the value is placed later from its path (JSON).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoSpan;

impl Pos for NoSpan {
    fn read<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<At<T, Self>, D::Error> {
        Ok(At {
            value: T::deserialize(deserializer)?,
            pos: NoSpan,
        })
    }

    fn span(&self) -> Option<Range<usize>> {
        None
    }
}

/// A value and where it was written.
#[derive(Clone, Debug)]
pub struct At<T, P> {
    pub value: T,
    pub pos: P,
}

impl<'de, T: Deserialize<'de>, P: Pos> Deserialize<'de> for At<T, P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        P::read(deserializer)
    }
}

/// A string, borrowed from the text when it has no escapes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl Str<'_> {
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }

    /// A copy, as a `String`.
    pub fn owned(&self) -> String {
        self.0.as_ref().to_owned()
    }
}

impl Deref for Str<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// A date or date-time as written: a TOML date (`2026-01-31`) or a string (`"2026-01-31T18:00:00Z"`), as
/// text; or something else, kept as written for the message that says it is not a time.
#[derive(Clone, Debug, PartialEq)]
pub enum TimeValue<'a> {
    Text(Str<'a>),
    Other(Box<str>),
}

impl TimeValue<'_> {
    /// The value as text to parse; `None` when it is neither a string nor a date.
    pub fn text(&self) -> Option<&str> {
        match self {
            TimeValue::Text(s) => Some(s),
            TimeValue::Other(_) => None,
        }
    }

    /// The value as written, for messages.
    pub fn written(&self) -> &str {
        match self {
            TimeValue::Text(s) => s,
            TimeValue::Other(written) => written,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for TimeValue<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl<'de> Visitor<'de> for TimeVisitor {
            type Value = TimeValue<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date or a date and time")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(TimeValue::Text(Str(Cow::Borrowed(v))))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TimeValue::Text(Str(Cow::Owned(v.to_owned()))))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(TimeValue::Text(Str(Cow::Owned(v))))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(TimeValue::Other(v.to_string().into()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(TimeValue::Other(v.to_string().into()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(TimeValue::Other(v.to_string().into()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(TimeValue::Other(v.to_string().into()))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(TimeValue::Other("null".into()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TimeValue::Other("[...]".into()))
            }

            // A TOML date arrives as a map with one private key; toml's own `Value` knows how to read it.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let value = toml::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(match value {
                    toml::Value::Datetime(d) => TimeValue::Text(Str(Cow::Owned(d.to_string()))),
                    _ => TimeValue::Other("{...}".into()),
                })
            }
        }
        deserializer.deserialize_any(TimeVisitor)
    }
}

pub type Text<'a, P> = At<Str<'a>, P>;
pub type TimeText<'a, P> = At<TimeValue<'a>, P>;
/// A list of elements, each with its place.
pub type List<T, P> = Vec<At<T, P>>;

/// The whole file. `C` is how the contacts are held: read (`List<RawContact>`), or, on the JSON fast path,
/// as raw text to be read one by one in parallel.
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a scenario",
    bound(deserialize = "'de: 'a, P: Pos, C: Deserialize<'de> + Default")
)]
pub struct RawFile<'a, P, C = List<RawContact<'a, P>, P>> {
    pub format: Option<Text<'a, P>>,
    pub version: Option<At<i64, P>>,
    pub scenario: Option<At<RawMeta<'a, P>, P>>,
    #[serde(default)]
    pub sources: List<RawSource<'a, P>, P>,
    #[serde(default)]
    pub actors: List<RawActor<'a, P>, P>,
    #[serde(default)]
    pub venues: List<RawVenue<'a, P>, P>,
    #[serde(default)]
    pub contacts: C,
    /// Elements that could not be read at all (recoverable reading only), so paths keep their indices.
    #[serde(skip)]
    pub dropped: Dropped,
}

impl<P, C: Default> Default for RawFile<'_, P, C> {
    fn default() -> Self {
        Self {
            format: None,
            version: None,
            scenario: None,
            sources: Vec::new(),
            actors: Vec::new(),
            venues: Vec::new(),
            contacts: C::default(),
            dropped: Dropped::default(),
        }
    }
}

impl<'a, P> RawFile<'a, P, ()> {
    /// The file with its contacts.
    pub fn with_contacts<C>(self, contacts: C) -> RawFile<'a, P, C> {
        RawFile {
            format: self.format,
            version: self.version,
            scenario: self.scenario,
            sources: self.sources,
            actors: self.actors,
            venues: self.venues,
            contacts,
            dropped: self.dropped,
        }
    }
}

impl<'a, P, C> RawFile<'a, P, C> {
    /// The file without its contacts, and the contacts.
    pub fn take_contacts(self) -> (RawFile<'a, P, ()>, C) {
        let head = RawFile {
            format: self.format,
            version: self.version,
            scenario: self.scenario,
            sources: self.sources,
            actors: self.actors,
            venues: self.venues,
            contacts: (),
            dropped: self.dropped,
        };
        (head, self.contacts)
    }
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
///
/// A binary search, so that a file with many bad elements is not checked in quadratic time: `dropped[j] - j`
/// (how many elements were read before the `j`-th dropped one) never decreases, and the element's index is
/// `i` plus the number of dropped elements before it.
pub fn index_in_file(i: usize, dropped: &[usize]) -> usize {
    let (mut low, mut high) = (0, dropped.len());
    while low < high {
        let mid = low + (high - low) / 2;
        if dropped[mid].saturating_sub(mid) <= i {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    i + low
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "the scenario's `id` and `title`",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawMeta<'a, P> {
    pub id: Text<'a, P>,
    pub title: Text<'a, P>,
    pub description: Option<Text<'a, P>>,
    pub time_zone: Option<Text<'a, P>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a source",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawSource<'a, P> {
    pub id: Text<'a, P>,
    pub outlet: Text<'a, P>,
    pub title: Option<Text<'a, P>>,
    pub published: Option<TimeText<'a, P>>,
    pub retrieved: Option<TimeText<'a, P>>,
    /// The Admiralty grade: `B2`.
    pub grade: Option<Text<'a, P>>,
    pub url: Option<Text<'a, P>>,
    pub note: Option<Text<'a, P>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an actor",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawActor<'a, P> {
    pub id: Text<'a, P>,
    pub name: Text<'a, P>,
    pub kind: Text<'a, P>,
    pub affiliation: Option<Text<'a, P>>,
    pub role: Option<Text<'a, P>>,
    pub based_at: Option<Text<'a, P>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a venue",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawVenue<'a, P> {
    pub id: Text<'a, P>,
    pub name: Text<'a, P>,
    pub kind: Text<'a, P>,
    pub country: Option<Text<'a, P>>,
    pub time_zone: Option<Text<'a, P>>,
    pub lon: Option<At<f64, P>>,
    pub lat: Option<At<f64, P>>,
    pub radius_km: Option<At<f64, P>>,
    /// `[[lon, lat], ...]`.
    pub polygon: Option<At<Vec<[f64; 2]>, P>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a contact",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawContact<'a, P> {
    pub id: Text<'a, P>,
    pub kind: Text<'a, P>,
    pub status: Text<'a, P>,
    pub title: Text<'a, P>,
    pub summary: Option<Text<'a, P>>,
    /// Inline: most contacts have one or two participants.
    #[serde(default)]
    pub participants: SmallVec<[At<RawParticipant<'a, P>, P>; 2]>,
    pub venue: Option<Text<'a, P>>,
    pub from: Option<Text<'a, P>>,
    pub to: Option<Text<'a, P>>,
    pub time: At<RawTime<'a, P>, P>,
    #[serde(default)]
    pub quotes: List<RawQuote<'a, P>, P>,
    /// Inline: most contacts cite one source.
    #[serde(default)]
    pub sources: SmallVec<[At<RawCitation<'a, P>, P>; 1]>,
    pub confidence: Option<Text<'a, P>>,
    pub notes: Option<Text<'a, P>>,
    /// For a machine-coded contact: `candidate`, `accepted` or `rejected`.
    pub review: Option<Text<'a, P>>,
    /// For a machine-coded contact: where it comes from.
    pub provenance: Option<At<RawProvenance<'a, P>, P>>,
    /// Accounts other than the contact's own.
    #[serde(default)]
    pub accounts: List<RawAccount<'a, P>, P>,
}

/// An account of a contact other than its own (see `model::evidence`).
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an account: `asserts` and `sources`, and `time`, `venue` and `note` if they differ",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawAccount<'a, P> {
    pub asserts: Text<'a, P>,
    #[serde(default)]
    pub sources: SmallVec<[At<RawCitation<'a, P>, P>; 1]>,
    pub time: Option<At<RawTime<'a, P>, P>>,
    pub venue: Option<Text<'a, P>>,
    pub note: Option<Text<'a, P>>,
}

/// Where a machine-coded contact comes from (see `model::Provenance`).
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a provenance: `dataset`, and `rows`, `first_reported`, `sources`, `tone` if known",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawProvenance<'a, P> {
    pub dataset: Text<'a, P>,
    #[serde(default)]
    pub rows: Vec<Str<'a>>,
    pub first_reported: Option<TimeText<'a, P>>,
    pub sources: Option<At<i64, P>>,
    pub tone: Option<At<f64, P>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a participant: `actor` and `part`",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawParticipant<'a, P> {
    pub actor: Text<'a, P>,
    pub part: Text<'a, P>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a quote: `speaker` and `text`",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawQuote<'a, P> {
    pub speaker: Text<'a, P>,
    pub text: Text<'a, P>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a citation: `source`, and `says` and `attribution` if known",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawCitation<'a, P> {
    pub source: Text<'a, P>,
    pub says: Option<Text<'a, P>>,
    pub attribution: Option<Text<'a, P>>,
}

/// One of the shapes of a time; which keys are given says which shape (see the README's reference).
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a time",
    bound(deserialize = "'de: 'a, P: Pos")
)]
pub struct RawTime<'a, P> {
    pub at: Option<TimeText<'a, P>>,
    pub on: Option<TimeText<'a, P>>,
    pub part: Option<Text<'a, P>>,
    pub from: Option<TimeText<'a, P>>,
    pub to: Option<TimeText<'a, P>>,
    pub earliest: Option<TimeText<'a, P>>,
    pub latest: Option<TimeText<'a, P>>,
    pub since: Option<TimeText<'a, P>>,
    pub as_of: Option<TimeText<'a, P>>,
    /// A time relative to another contact's: its id, with `by`.
    pub after: Option<Text<'a, P>>,
    pub before: Option<Text<'a, P>>,
    /// The offset of a relative time: `2d`, `6h`, `1w`.
    pub by: Option<Text<'a, P>>,
    /// A time relative to a report's date: the source's id, with `span`.
    pub report: Option<Text<'a, P>>,
    /// How far from the report: `later this week`, `next week`, `3d`.
    pub span: Option<Text<'a, P>>,
    /// The first day of the report's weeks (`monday` unless given).
    pub week_starts: Option<Text<'a, P>>,
    pub tz: Option<Text<'a, P>>,
}

/// serde's messages, taken apart for the recoverable readers of both encodings.
pub mod messages;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_in_the_file_skip_over_dropped_elements() {
        assert_eq!(index_in_file(0, &[]), 0);
        assert_eq!(index_in_file(0, &[0]), 1);
        assert_eq!(index_in_file(1, &[0, 2]), 3);
        assert_eq!(index_in_file(2, &[0, 2]), 4);
        assert_eq!(index_in_file(1, &[3]), 1);
        // Against a plain count, on every pattern of drops among 8 elements.
        for mask in 0u32..256 {
            let dropped: Vec<usize> = (0..8).filter(|d| mask & (1 << d) != 0).collect();
            let kept: Vec<usize> = (0..8).filter(|d| mask & (1 << d) == 0).collect();
            for (i, &index) in kept.iter().enumerate() {
                assert_eq!(index_in_file(i, &dropped), index, "{dropped:?}");
            }
        }
    }

    #[test]
    fn json_strings_are_borrowed_unless_escaped() {
        let text = r#"{"id": "plain", "outlet": "with \"quotes\""}"#;
        let source: RawSource<'_, NoSpan> = serde_json::from_str(text).expect("reads");
        assert!(matches!(source.id.value.0, Cow::Borrowed("plain")));
        assert_eq!(&*source.outlet.value, "with \"quotes\"");
    }

    #[test]
    fn toml_values_keep_their_spans() {
        let text = "id = \"s\"\noutlet = \"o\"\npublished = 2026-02-01\n";
        let source: RawSource<'_, Span> = toml::from_str(text).expect("reads");
        assert_eq!(&text[source.id.pos.clone()], "\"s\"");
        let published = source.published.expect("published");
        assert_eq!(&text[published.pos.clone()], "2026-02-01");
        assert_eq!(published.value.text(), Some("2026-02-01"));
    }

    #[test]
    fn time_values_that_are_not_text_are_kept_as_written() {
        let t: TimeValue<'_> = serde_json::from_str("5").expect("reads");
        assert_eq!(t, TimeValue::Other("5".into()));
        assert_eq!(t.text(), None);
        let t: TimeValue<'_> = serde_json::from_str(r#"{"a": [1]}"#).expect("reads");
        assert_eq!(t.written(), "{...}");
    }
}
