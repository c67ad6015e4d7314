//! GeoJSON objects (FeatureCollection, Feature, geometries) read by one serde visitor.
//!
//! Members may come in any order (`type` is often last in files written by hand), so the visitor keeps what
//! it has read in [`Members`] and decides what the object is at its end. When `type` comes before
//! `coordinates`, as it does in nearly every real file, coordinates are read straight into flat vectors;
//! otherwise they are kept as a `serde_json::Value` and read from it at the end (same code, slower path).
//!
//! Nothing here returns an error for a bad value: the value is consumed, the problem recorded in [`Cx`],
//! and reading goes on, so one pass reports every problem. Only JSON syntax errors stop the reader.

use crate::io::json::value_kind;
use std::fmt;

use geo::{Geometry, GeometryCollection};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::coords::{CoordsSeed, Nested, Shape, build};
use super::cx::{Cx, Kind};
use super::members::{Coordinates, Key, KeySeed, Members, Type, TypeSeed};
use crate::diagnostics::Diagnostic;
use crate::io::json::{Duplicates, Seg, ValueNotingDuplicates, path_string};
use crate::model::map::Feature;

/// Runs `$body` with the reader's path extended by a member's name.
macro_rules! at_member {
    ($cx:expr, $key:expr, $inner:ident => $body:expr) => {{
        $cx.path.push(Seg::key($key.name()));
        let value = {
            let $inner = &mut *$cx;
            $body
        };
        $cx.path.pop();
        value
    }};
}

/// Where an object sits, which says what it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The whole file: a FeatureCollection, a Feature or a geometry.
    Root,
    /// An element of `features`.
    Feature,
    /// A Feature's `geometry` (may be null).
    Geometry,
    /// An element of a GeometryCollection's `geometries` (may not be null).
    Member,
}

/// What an object turned out to be; `Nothing` when it was wrong (an error has been recorded).
#[derive(Debug)]
pub enum Parsed {
    Features(Vec<Feature>),
    Feature(Feature),
    Geometry(Option<Geometry<f64>>),
    Nothing,
}

/// Reads one object in its role.
pub struct ObjectSeed<'a> {
    pub cx: &'a mut Cx,
    pub role: Role,
}

impl ObjectSeed<'_> {
    fn expected(&self) -> &'static str {
        match self.role {
            Role::Root => "a GeoJSON object (FeatureCollection, Feature or geometry)",
            Role::Feature => "a Feature object",
            Role::Geometry => "a geometry object or null",
            Role::Member => "a geometry object",
        }
    }

    fn wrong(self, what: &str) -> Parsed {
        if what == "null" && self.role == Role::Geometry {
            return Parsed::Geometry(None);
        }
        let message = format!("expected {}, found {what}", self.expected());
        self.cx
            .report(Kind::Structure, Diagnostic::error(message), &[]);
        Parsed::Nothing
    }

    fn error(&mut self, message: String, at: &[Seg], hint: Option<String>) {
        let d = Diagnostic::error(message).maybe_hint(hint);
        self.cx.report(Kind::Structure, d, at);
    }

    /// Remembers where a feature of the file's `features` starts (from the address of its first member
    /// name), so that problems in it are located without scanning the file from its start.
    fn note_start(&mut self, name_address: Option<usize>) {
        if self.role == Role::Feature
            && let [_, Seg::Index(i)] = self.cx.path[..]
            && let Some(offset) = name_address.and_then(|a| self.cx.text_offset(a))
        {
            self.cx.feature_starts.push((i, offset));
        }
    }

    /// What the object is, once all its members are read: its type checked against its role, members
    /// foreign to its type warned about, then the object of its type.
    fn finish(mut self, m: Members) -> Parsed {
        let Some(ty) = self.declared_type(&m) else {
            return Parsed::Nothing;
        };
        self.warn_foreign(ty, &m);
        match ty {
            Type::FeatureCollection => self.finish_collection(m),
            Type::Feature => self.finish_feature(m),
            Type::GeometryCollection => self.finish_geometry_collection(m),
            Type::Shape(shape) => self.finish_shape(shape, m),
        }
    }

    /// The object's `type`, when it has one that fits its role (otherwise the problem is reported).
    fn declared_type(&mut self, m: &Members) -> Option<Type> {
        let ty = match m.ty {
            Some(Ok(t)) => t,
            Some(Err(())) => return None,
            None => {
                let guess = if m.has(Key::Geometry) || m.has(Key::Properties) {
                    Some("add \"type\": \"Feature\"")
                } else if m.has(Key::Features) {
                    Some("add \"type\": \"FeatureCollection\"")
                } else if m.has(Key::Geometries) {
                    Some("add \"type\": \"GeometryCollection\"")
                } else if m.has(Key::Coordinates) {
                    Some("add the geometry's type, e.g. \"type\": \"Polygon\"")
                } else {
                    None
                };
                let message = format!("{} has no `type` member", self.expected());
                self.error(message, &[], guess.map(str::to_owned));
                return None;
            }
        };
        let fits = match self.role {
            Role::Root => true,
            Role::Feature => ty == Type::Feature,
            Role::Geometry | Role::Member => ty.is_geometry(),
        };
        if !fits {
            let message = format!("expected {}, found a {}", self.expected(), ty.name());
            let hint = (self.role == Role::Feature && ty.is_geometry()).then(|| {
                "wrap it: {\"type\": \"Feature\", \"properties\": {}, \"geometry\": ...}".to_owned()
            });
            self.error(message, &[], hint);
            return None;
        }
        Some(ty)
    }

    /// Warns about members that would make an object of type `ty` mean something else.
    fn warn_foreign(&mut self, ty: Type, m: &Members) {
        for key in [
            Key::Coordinates,
            Key::Geometry,
            Key::Geometries,
            Key::Features,
            Key::Properties,
        ] {
            if m.has(key) && ty.foreign(key) {
                let message = format!(
                    "a {} should not have a `{}` member: it would change what the object means (RFC 7946 section 7.1); ignored",
                    ty.name(),
                    key.name()
                );
                self.cx.report(
                    Kind::Structure,
                    Diagnostic::warning(message),
                    &[Seg::key(key.name())],
                );
            }
        }
    }

    fn finish_collection(mut self, m: Members) -> Parsed {
        match m.features {
            Some(features) => Parsed::Features(features),
            None if m.has(Key::Features) => Parsed::Nothing,
            None => {
                let message = "a FeatureCollection needs a `features` array".to_owned();
                self.error(message, &[], None);
                Parsed::Nothing
            }
        }
    }

    fn finish_feature(mut self, m: Members) -> Parsed {
        if !m.has(Key::Properties) {
            let message = "a Feature should have a `properties` member (null when it has none); loaded without properties";
            self.cx
                .report(Kind::Structure, Diagnostic::warning(message), &[]);
        }
        match m.geometry {
            Some(geometry) => Parsed::Feature(Feature::new(
                m.id,
                m.properties.unwrap_or_default(),
                geometry,
            )),
            None if m.has(Key::Geometry) => Parsed::Nothing,
            None => {
                let message = "a Feature needs a `geometry` member".to_owned();
                let hint = Some("write \"geometry\": null for a feature without one".to_owned());
                self.error(message, &[], hint);
                Parsed::Nothing
            }
        }
    }

    fn finish_geometry_collection(mut self, m: Members) -> Parsed {
        if self.role == Role::Member {
            let message = "a GeometryCollection inside a GeometryCollection: RFC 7946 advises against nesting them; loaded";
            self.cx
                .report(Kind::Structure, Diagnostic::warning(message), &[]);
        }
        match m.geometries {
            Some(geometries) => {
                if geometries.len() == 1 {
                    let message = "a GeometryCollection with a single geometry: use the geometry itself (or a Multi* type); loaded";
                    self.cx.report(
                        Kind::Structure,
                        Diagnostic::warning(message),
                        &[Seg::key("geometries")],
                    );
                }
                Parsed::Geometry(Some(Geometry::GeometryCollection(GeometryCollection(
                    geometries,
                ))))
            }
            None if m.has(Key::Geometries) => Parsed::Nothing,
            None => {
                let message = "a GeometryCollection needs a `geometries` array".to_owned();
                self.error(message, &[], None);
                Parsed::Nothing
            }
        }
    }

    /// A Point, a LineString, a Polygon or one of their Multi types, from its `coordinates`.
    fn finish_shape(mut self, shape: Shape, m: Members) -> Parsed {
        self.cx.path.push(Seg::key("coordinates"));
        let geometry = match m.coordinates {
            Some(Coordinates::Read { nested, ok: true }) => build(shape, nested, self.cx),
            Some(Coordinates::Read { ok: false, .. }) => None,
            Some(Coordinates::Deferred(value)) => {
                let mut nested = Nested::default();
                let errors = self.cx.errors;
                let seed = CoordsSeed {
                    cx: &mut *self.cx,
                    out: &mut nested,
                    shape,
                    level: 0,
                };
                // Reading from a `Value` cannot fail: every problem is recorded in `cx`.
                let _ = seed.deserialize(value);
                if self.cx.errors == errors {
                    build(shape, nested, self.cx)
                } else {
                    None
                }
            }
            None => {
                self.cx.path.pop();
                let message = format!("a {} needs `coordinates`", shape.name());
                self.error(message, &[], None);
                return Parsed::Nothing;
            }
        };
        self.cx.path.pop();
        match geometry {
            Some(g) => Parsed::Geometry(Some(g)),
            None => Parsed::Nothing,
        }
    }

    /// Reads the value of member `key` into `m`.
    fn read_member<'de, A: MapAccess<'de>>(
        &mut self,
        key: Key,
        m: &mut Members,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            Key::Type => {
                let ty = at_member!(self.cx, key, cx => map.next_value_seed(TypeSeed { cx }));
                m.ty = Some(ty?);
            }
            Key::Coordinates => m.coordinates = Some(self.read_coordinates(m.known(), map)?),
            Key::Geometry => {
                let role = Role::Geometry;
                let parsed =
                    at_member!(self.cx, key, cx => map.next_value_seed(ObjectSeed { cx, role }));
                if let Parsed::Geometry(g) = parsed? {
                    m.geometry = Some(g);
                }
            }
            Key::Features => {
                let role = Role::Feature;
                let list =
                    at_member!(self.cx, key, cx => map.next_value_seed(ListSeed { cx, role }))?;
                m.features = list.map(|list| {
                    list.into_iter()
                        .filter_map(|p| match p {
                            Parsed::Feature(f) => Some(f),
                            _ => None,
                        })
                        .collect()
                });
            }
            Key::Geometries => {
                let role = Role::Member;
                let list =
                    at_member!(self.cx, key, cx => map.next_value_seed(ListSeed { cx, role }))?;
                m.geometries = list.map(|list| {
                    list.into_iter()
                        .filter_map(|p| match p {
                            Parsed::Geometry(g) => g,
                            _ => None,
                        })
                        .collect()
                });
            }
            Key::Properties => {
                let value = self.properties_value(map)?;
                m.properties = self.properties(value);
            }
            Key::Id => m.id = self.id(map.next_value::<Value>()?),
            Key::Bbox => {
                let value = map.next_value::<Value>()?;
                check_bbox(self, &value);
            }
            Key::Other => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    /// `coordinates`, read straight into vectors when the type came first, kept as a value otherwise.
    fn read_coordinates<'de, A: MapAccess<'de>>(
        &mut self,
        known: Option<Type>,
        map: &mut A,
    ) -> Result<Coordinates, A::Error> {
        let Some(Type::Shape(shape)) = known else {
            return Ok(Coordinates::Deferred(map.next_value()?));
        };
        let mut nested = Nested::default();
        let errors = self.cx.errors;
        let out = &mut nested;
        at_member!(self.cx, Key::Coordinates, cx => map.next_value_seed(CoordsSeed {
            cx,
            out,
            shape,
            level: 0,
        }))?;
        let ok = self.cx.errors == errors;
        Ok(Coordinates::Read { nested, ok })
    }

    /// Reads `properties`, warning of each key given twice (real files do repeat them): the last value
    /// is used, as by most JSON readers.
    fn properties_value<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<Value, A::Error> {
        let mut found = Duplicates::default();
        let mut path = self.cx.path.clone();
        path.push(Seg::key("properties"));
        let value = map.next_value_seed(ValueNotingDuplicates {
            text: self.cx.text,
            path: &mut path,
            found: &mut found,
        })?;
        for dup in found.noted {
            let mut at = dup.object;
            at.push(Seg::Key(dup.key.clone().into()));
            let d = Diagnostic::warning(format!(
                "the property `{}` is given twice: the last value is used",
                dup.key
            ))
            .hint("give each property once")
            .path(path_string(&at));
            let d = match dup.span {
                Some(span) => d.at(span),
                None => d,
            };
            let suffix = at.get(self.cx.path.len()..).unwrap_or_default().to_vec();
            self.cx.report(Kind::Structure, d, &suffix);
        }
        Ok(value)
    }

    fn properties(&mut self, value: Value) -> Option<Map<String, Value>> {
        match value {
            Value::Object(props) => Some(props),
            Value::Null => None,
            other => {
                let message = format!(
                    "`properties` must be an object or null, found {}",
                    value_kind(&other)
                );
                self.error(message, &[Seg::key("properties")], None);
                None
            }
        }
    }

    fn id(&mut self, value: Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                let message = format!(
                    "a feature `id` must be a string or a number, found {}",
                    value_kind(&other)
                );
                self.error(message, &[Seg::key("id")], None);
                None
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = Parsed;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Parsed, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expected())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Parsed, A::Error> {
        let mut m = Members::default();
        let mut first = true;
        while let Some((key, at)) = map.next_key_seed(KeySeed)? {
            if first {
                first = false;
                self.note_start(at);
            }
            if key != Key::Other && m.has(key) {
                let message = format!("duplicate member `{}`", key.name());
                let hint = Some(
                    "an object may have each member once; the later one is ignored".to_owned(),
                );
                self.error(message, &[Seg::key(key.name())], hint);
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            m.seen |= 1 << key as u16;
            if key != Key::Type && !m.wants(key) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            self.read_member(key, &mut m, &mut map)?;
        }
        Ok(self.finish(m))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.wrong("an array"))
    }
    fn visit_unit<E>(self) -> Result<Parsed, E> {
        Ok(self.wrong("null"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Parsed, E> {
        Ok(self.wrong("a boolean"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Parsed, E> {
        Ok(self.wrong("a string"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Parsed, E> {
        Ok(self.wrong("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Parsed, E> {
        Ok(self.wrong("a number"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Parsed, E> {
        Ok(self.wrong("a number"))
    }
}

/// A bbox has 2 × dimensions numbers: 4 or 6.
fn check_bbox(seed: &mut ObjectSeed<'_>, value: &Value) {
    let Value::Array(values) = value else {
        let message = format!(
            "`bbox` must be an array of 4 or 6 numbers, found {}",
            value_kind(value)
        );
        seed.error(message, &[Seg::key("bbox")], None);
        return;
    };
    for (i, v) in values.iter().enumerate() {
        if !v.is_number() {
            let message = format!("bbox value {i} is {}, not a number", value_kind(v));
            seed.error(message, &[Seg::key("bbox"), Seg::Index(i)], None);
        }
    }
    if values.len() != 4 && values.len() != 6 {
        let message = format!(
            "a bbox has 2 numbers per dimension (4 or 6), this one has {}",
            values.len()
        );
        seed.error(message, &[Seg::key("bbox")], None);
    }
}

/// Reads `features` or `geometries`: an array of objects in a role; `None` (reported) when not an array.
struct ListSeed<'a> {
    cx: &'a mut Cx,
    role: Role,
}

impl ListSeed<'_> {
    fn wrong(self, what: &str) -> Option<Vec<Parsed>> {
        let list = if self.role == Role::Feature {
            "`features` must be an array of Features"
        } else {
            "`geometries` must be an array of geometries"
        };
        let message = format!("{list}, found {what}");
        self.cx
            .report(Kind::Structure, Diagnostic::error(message), &[]);
        None
    }
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = Option<Vec<Parsed>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = Option<Vec<Parsed>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            self.cx.path.push(Seg::Index(list.len()));
            let role = self.role;
            let next = seq.next_element_seed(ObjectSeed {
                cx: &mut *self.cx,
                role,
            });
            self.cx.path.pop();
            match next? {
                // A feature of the file's `features`, handed over whole while the rest is read.
                Some(Parsed::Feature(feature))
                    if self.role == Role::Feature
                        && self.cx.path.len() == 1
                        && self.cx.sink.is_some() =>
                {
                    let kept = Feature {
                        id: feature.id.clone(),
                        label: None,
                        properties: Map::new(),
                        geometry: None,
                    };
                    if self
                        .cx
                        .sink
                        .as_ref()
                        .is_some_and(|s| s.send(feature).is_ok())
                    {
                        self.cx.streamed += 1;
                    }
                    list.push(Parsed::Feature(kept));
                }
                Some(parsed) => list.push(parsed),
                None => return Ok(Some(list)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(self.wrong("an object"))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.wrong("null"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(self.wrong("a boolean"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(self.wrong("a string"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(self.wrong("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(self.wrong("a number"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(self.wrong("a number"))
    }
}
