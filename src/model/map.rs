//! Map layers as read from GeoJSON or TopoJSON: features with their geometry (in degrees, as read) and
//! their properties. They are data, like the scenario: the readers in `io` make them, the basemap
//! prepares them for drawing (antimeridian splits, projection, simplification, triangulation).

use geo::Geometry;
use serde_json::{Map, Value};

use crate::diagnostics::Report;

/// The property names a label is looked up in, in order.
pub const LABEL_FIELDS: [&str; 10] = [
    "name",
    "NAME",
    "name_en",
    "NAME_EN",
    "ADMIN",
    "admin",
    "name_long",
    "NAME_LONG",
    "title",
    "label",
];

/// One layer of a map: the features of one file.
#[derive(Clone, Debug, Default)]
pub struct Layer {
    /// The file's name, or a description of embedded data.
    pub name: String,
    pub features: Vec<Feature>,
}

/// A feature: a geometry with its properties.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// The feature's `id` as text (numbers are written as they were), if it had one.
    pub id: Option<String>,
    /// The label found in the usual property names ([`LABEL_FIELDS`]).
    pub label: Option<String>,
    pub properties: Map<String, Value>,
    /// Longitude/latitude in degrees; `None` for a null geometry.
    pub geometry: Option<Geometry<f64>>,
}

impl Feature {
    /// A feature with its label looked up in its properties.
    pub fn new(
        id: Option<String>,
        properties: Map<String, Value>,
        geometry: Option<Geometry<f64>>,
    ) -> Self {
        let label = LABEL_FIELDS
            .iter()
            .find_map(|k| properties.get(*k).and_then(Value::as_str))
            .map(str::to_owned);
        Self {
            id,
            label,
            properties,
            geometry,
        }
    }
}

/// A map layer that loaded, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct LoadedLayer {
    pub layer: Layer,
    /// Warnings only (a report with errors is returned as the `Err` of the loaders).
    pub report: Report,
}

impl LoadedLayer {
    /// How many features have a null geometry (they load, and are counted for the user).
    pub fn null_geometries(&self) -> usize {
        self.layer
            .features
            .iter()
            .filter(|f| f.geometry.is_none())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_found_in_the_usual_fields() {
        let props = |k: &str| {
            let mut m = Map::new();
            m.insert(k.to_owned(), Value::from("Türkiye"));
            m
        };
        for field in ["name", "NAME", "ADMIN", "name_en"] {
            assert_eq!(
                Feature::new(None, props(field), None).label.as_deref(),
                Some("Türkiye")
            );
        }
        assert_eq!(Feature::new(None, props("other"), None).label, None);
    }
}
