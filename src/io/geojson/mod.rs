//! Reading GeoJSON (RFC 7946) into a map [`Layer`], with every problem reported with its place.
//!
//! # Why not `geojson::GeoJson`
//! The geojson crate parses into a generic tree (`serde_json::Value`, then `Vec<Vec<f64>>` per position)
//! and converts that tree to `geo` types: two copies, one allocation per position. This reader is a serde
//! visitor that goes from the text to `geo` types directly ([`coords`]: one flat vector per geometry, no
//! allocation per position), and it checks what the geojson crate accepts silently: unclosed or short rings,
//! short lines, 4-D positions, bad bboxes, nested collections, misspelt types, members that change meaning.
//!
//! # What is an error and what is a warning
//! Errors stop the file from loading (the report lists them all): JSON syntax, missing or unknown `type`,
//! wrong nesting, non-numeric or too-short positions, rings of fewer than 4 positions (a closed `a, b, a`
//! ring, which quantised real files contain, is only warned of), lines of fewer than 2, bad `bbox`,
//! `properties` that is not an object, ids that are neither strings nor numbers, duplicate members.
//! Warnings let it load: unclosed rings (closed by repeating the first position), positions with 4+ values,
//! coordinates out of range, a Feature without `properties`, members that would change an object's meaning,
//! nested or single-geometry collections, and, once per file, winding against RFC 7946, excessive
//! precision and duplicate feature ids.

mod coords;
mod cx;
mod members;
mod object;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::de::DeserializeSeed as _;
use serde_json::Map;

use self::cx::Cx;
pub(crate) use self::members::GEOMETRY_TYPES;
use self::object::{ObjectSeed, Parsed, Role};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::thousands;
use crate::io::json::{Seg, syntax_diagnostic};
use crate::model::map::LoadedLayer;
use crate::model::map::{Feature, Layer};

/// Parses GeoJSON text (a FeatureCollection, a Feature or a bare geometry) into a layer named `name`.
///
/// A bare geometry becomes one feature without properties. Null geometries load as `geometry: None`.
/// `Err` holds a report with at least one error (and every other problem found); `Ok` holds the warnings.
/// A leading byte-order mark is skipped.
pub fn parse_geojson(name: &str, text: &str) -> Result<LoadedLayer, crate::diagnostics::Report> {
    parse_geojson_text(name, Cow::Borrowed(text))
}

/// [`parse_geojson`] of a text the caller hands over: its report keeps the text without copying it.
pub fn parse_geojson_owned(
    name: &str,
    text: String,
) -> Result<LoadedLayer, crate::diagnostics::Report> {
    parse_geojson_text(name, Cow::Owned(text))
}

/// How [`stream_geojson`] ended, when the file has no errors.
#[derive(Debug)]
pub struct Streamed {
    /// The warnings.
    pub report: crate::diagnostics::Report,
    /// Whether every feature of the layer went to the sink, in order. Not when the file's features are
    /// not those of a top-level `features` array (a bare Feature or geometry, or an object whose `type`
    /// makes its `features` ignored): then the layer is to be read again with [`parse_geojson`].
    pub whole: bool,
}

/// Reads a GeoJSON text as [`parse_geojson`] does, handing each feature of its `features` to `sink` as
/// soon as it is read (in order), so that it can be prepared while the rest is read. The sink is closed
/// when this returns. The report is that of [`parse_geojson`].
pub fn stream_geojson(
    name: &str,
    text: String,
    sink: std::sync::mpsc::Sender<Feature>,
) -> Result<Streamed, crate::diagnostics::Report> {
    let mut whole = false;
    let loaded = parse_text(name, Cow::Owned(text), Some(sink), &mut whole)?;
    Ok(Streamed {
        report: loaded.report,
        whole,
    })
}

fn parse_geojson_text(
    name: &str,
    text: Cow<'_, str>,
) -> Result<LoadedLayer, crate::diagnostics::Report> {
    parse_text(name, text, None, &mut false)
}

/// The reader: features go to `sink` (if any) as they are read; `whole` says whether all of them did.
fn parse_text(
    name: &str,
    text: Cow<'_, str>,
    sink: Option<std::sync::mpsc::Sender<Feature>>,
    whole: &mut bool,
) -> Result<LoadedLayer, crate::diagnostics::Report> {
    let text = match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Cow::Owned(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Cow::Owned(text)
        }
    };
    let mut cx = Cx::new(&text);
    cx.sink = sink;
    let mut de = serde_json::Deserializer::from_str(&text);
    let parsed = ObjectSeed {
        cx: &mut cx,
        role: Role::Root,
    }
    .deserialize(&mut de)
    .and_then(|parsed| de.end().map(|()| parsed));
    // The reader is done: the sink is closed.
    cx.sink = None;
    let features = match parsed {
        Ok(Parsed::Features(features)) => {
            *whole = cx.streamed == features.len();
            features
        }
        Ok(Parsed::Feature(feature)) => vec![feature],
        Ok(Parsed::Geometry(geometry)) => vec![Feature::new(None, Map::new(), geometry)],
        Ok(Parsed::Nothing) => Vec::new(),
        Err(err) => {
            cx.report_placed(syntax_diagnostic(&err, &text));
            Vec::new()
        }
    };
    warn_duplicate_ids(&mut cx, &features);
    cx.summarise();
    let report = cx.into_report(name, text);
    if report.has_errors() {
        return Err(report);
    }
    Ok(LoadedLayer {
        layer: Layer {
            name: name.to_owned(),
            features,
        },
        report,
    })
}

/// One warning for all features whose id repeats an earlier one.
fn warn_duplicate_ids(cx: &mut Cx, features: &[Feature]) {
    let mut first_index: HashMap<&str, usize> = HashMap::new();
    let mut repeats = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        if let Some(id) = feature.id.as_deref()
            && first_index.insert(id, i).is_some()
        {
            repeats.push((i, id));
        }
    }
    let Some(&(first, _)) = repeats.first() else {
        return;
    };
    let examples: Vec<String> = repeats
        .iter()
        .take(5)
        .map(|(i, id)| format!("features[{i}] (\"{id}\")"))
        .collect();
    let message = format!(
        "{} feature{} repeat{} the id of an earlier feature: {}{}; ids should be unique, loaded anyway",
        thousands(repeats.len()),
        if repeats.len() == 1 { "" } else { "s" },
        if repeats.len() == 1 { "s" } else { "" },
        examples.join(", "),
        if repeats.len() > 5 { ", ..." } else { "" }
    );
    let path = vec![Seg::key("features"), Seg::Index(first), Seg::key("id")];
    cx.report_at(Diagnostic::warning(message), Some(path));
}

/// How many features of a layer have no geometry.
/// A layer as a GeoJSON FeatureCollection (ids as strings, properties kept), for writing files.
pub fn to_feature_collection(layer: &Layer) -> geojson::FeatureCollection {
    geojson::FeatureCollection {
        bbox: None,
        features: layer
            .features
            .iter()
            .map(|f| geojson::Feature {
                bbox: None,
                geometry: f
                    .geometry
                    .as_ref()
                    .map(|g| geojson::Geometry::new(geojson::GeometryValue::from(g))),
                id: f.id.clone().map(geojson::feature::Id::String),
                properties: Some(f.properties.clone()),
                foreign_members: None,
            })
            .collect(),
        foreign_members: None,
    }
}

#[cfg(test)]
mod tests;
