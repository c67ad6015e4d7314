//! The members of a GeoJSON object as the reader keeps them until the object's end: its declared
//! [`Type`], which [`Key`]s it had, and what they held ([`Members`]); and the seeds that read a member's
//! name and the `type` member.

use std::fmt;

use geo::Geometry;
use serde::de::{DeserializeSeed, Deserializer, Visitor};
use serde_json::{Map, Value};

use super::coords::{Nested, Shape};
use super::cx::{Cx, Kind};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::io::json::value_kind;
use crate::model::map::Feature;

/// What an object is declared to be by its `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Type {
    FeatureCollection,
    Feature,
    GeometryCollection,
    Shape(Shape),
}

/// The geometry types of GeoJSON (and of TopoJSON objects), for "did you mean".
pub(crate) const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

impl Type {
    pub(super) fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "FeatureCollection" => Type::FeatureCollection,
            "Feature" => Type::Feature,
            "GeometryCollection" => Type::GeometryCollection,
            "Point" => Type::Shape(Shape::Point),
            "MultiPoint" => Type::Shape(Shape::MultiPoint),
            "LineString" => Type::Shape(Shape::LineString),
            "MultiLineString" => Type::Shape(Shape::MultiLineString),
            "Polygon" => Type::Shape(Shape::Polygon),
            "MultiPolygon" => Type::Shape(Shape::MultiPolygon),
            _ => return None,
        })
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Type::FeatureCollection => "FeatureCollection",
            Type::Feature => "Feature",
            Type::GeometryCollection => "GeometryCollection",
            Type::Shape(s) => s.name(),
        }
    }

    pub(super) fn is_geometry(self) -> bool {
        matches!(self, Type::GeometryCollection | Type::Shape(_))
    }

    /// Members that would make the object mean something else (RFC 7946 section 7.1).
    pub(super) fn foreign(self, key: Key) -> bool {
        match self {
            Type::FeatureCollection => matches!(
                key,
                Key::Coordinates | Key::Geometry | Key::Geometries | Key::Properties
            ),
            Type::Feature => matches!(key, Key::Coordinates | Key::Geometries | Key::Features),
            Type::GeometryCollection => matches!(
                key,
                Key::Coordinates | Key::Geometry | Key::Features | Key::Properties
            ),
            Type::Shape(_) => matches!(
                key,
                Key::Geometries | Key::Geometry | Key::Features | Key::Properties
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Key {
    Type,
    Features,
    Geometry,
    Geometries,
    Coordinates,
    Properties,
    Id,
    Bbox,
    Other,
}

impl Key {
    pub(super) fn name(self) -> &'static str {
        match self {
            Key::Type => "type",
            Key::Features => "features",
            Key::Geometry => "geometry",
            Key::Geometries => "geometries",
            Key::Coordinates => "coordinates",
            Key::Properties => "properties",
            Key::Id => "id",
            Key::Bbox => "bbox",
            Key::Other => "",
        }
    }
}

/// What the object's members said, kept until its end.
#[derive(Debug, Default)]
pub(super) struct Members {
    pub(super) seen: u16,
    /// `Some(Ok(t))` for a known type; `Some(Err(()))` when `type` was bad (already reported).
    pub(super) ty: Option<Result<Type, ()>>,
    pub(super) coordinates: Option<Coordinates>,
    pub(super) geometry: Option<Option<Geometry<f64>>>,
    pub(super) features: Option<Vec<Feature>>,
    pub(super) geometries: Option<Vec<Geometry<f64>>>,
    pub(super) properties: Option<Map<String, Value>>,
    pub(super) id: Option<String>,
}

#[derive(Debug)]
pub(super) enum Coordinates {
    /// Read with the type known; `ok` is false when reading them reported an error.
    Read { nested: Nested, ok: bool },
    /// Read before the type was known.
    Deferred(Value),
}

impl Members {
    pub(super) fn has(&self, key: Key) -> bool {
        self.seen & (1 << key as u16) != 0
    }

    pub(super) fn known(&self) -> Option<Type> {
        self.ty.and_then(Result::ok)
    }

    /// Whether a member is worth reading: the type is unknown yet, or the member belongs to it.
    pub(super) fn wants(&self, key: Key) -> bool {
        !matches!(self.ty, Some(Ok(t)) if t.foreign(key)) && !matches!(self.ty, Some(Err(())))
    }
}

/// Reads a member name without allocating; a name borrowed from the text also gives its address, from
/// which [`Cx::text_offset`] finds its byte offset.
pub(super) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = (Key, Option<usize>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = (Key, Option<usize>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok((key(name), Some(name.as_ptr() as usize)))
    }
    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok((key(name), None))
    }
}

pub(super) fn key(name: &str) -> Key {
    {
        match name {
            "type" => Key::Type,
            "features" => Key::Features,
            "geometry" => Key::Geometry,
            "geometries" => Key::Geometries,
            "coordinates" => Key::Coordinates,
            "properties" => Key::Properties,
            "id" => Key::Id,
            "bbox" => Key::Bbox,
            _ => Key::Other,
        }
    }
}

/// Reads `type`: a known name, or an error with a did-you-mean.
pub(super) struct TypeSeed<'a> {
    pub(super) cx: &'a mut Cx,
}

impl<'de> DeserializeSeed<'de> for TypeSeed<'_> {
    type Value = Result<Type, ()>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let value = <Value as serde::Deserialize>::deserialize(d)?;
        let Value::String(name) = value else {
            let message = format!("`type` must be a string, found {}", value_kind(&value));
            self.cx
                .report(Kind::Structure, Diagnostic::error(message), &[]);
            return Ok(Err(()));
        };
        if let Some(t) = Type::parse(&name) {
            return Ok(Ok(t));
        }
        let all = ["FeatureCollection", "Feature"]
            .into_iter()
            .chain(GEOMETRY_TYPES);
        let hint = match all.clone().find(|t| t.eq_ignore_ascii_case(&name)) {
            Some(t) => Some(format!(
                "GeoJSON types are case-sensitive: did you mean `{t}`?"
            )),
            None => did_you_mean(&name, all),
        };
        let message = format!("unknown GeoJSON type `{name}`");
        self.cx.report(
            Kind::Structure,
            Diagnostic::error(message).maybe_hint(hint),
            &[],
        );
        Ok(Err(()))
    }
}
