//! The basemap built into the binary: Natural Earth admin-0 countries, 1:50m for the world and 1:10m for
//! the scenario region, made by `data/build-basemap.sh` (see `data/basemap/SHA256SUMS`).

use std::sync::Arc;

use super::prepare::PreparedLayer;
use super::region::region;
use crate::diagnostics::Report;
use crate::geo_math::projection::Projection;
use crate::io::geojson::parse_geojson;
use crate::model::map::Layer;

/// Natural Earth 1:50m countries, without the region (the 1:10m layer covers it).
pub const WORLD_50M: &str = include_str!("../../data/basemap/world-50m.geojson");
/// Natural Earth 1:10m countries clipped to [`super::region::REGION`].
pub const REGION_10M: &str = include_str!("../../data/basemap/region-10m.geojson");

pub const WORLD_NAME: &str = "Natural Earth 1:50m countries (world)";
pub const REGION_NAME: &str = "Natural Earth 1:10m countries (region)";

/// One embedded layer: its name and its GeoJSON text.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedLayer {
    pub name: &'static str,
    pub text: &'static str,
}

/// The embedded layers, world first. Both are cut to [`region()`] where they meet (their cut edges are not
/// stroked).
pub const LAYERS: [EmbeddedLayer; 2] = [
    EmbeddedLayer {
        name: WORLD_NAME,
        text: WORLD_50M,
    },
    EmbeddedLayer {
        name: REGION_NAME,
        text: REGION_10M,
    },
];

impl EmbeddedLayer {
    /// Reads the layer, named as the user sees it. The window and `demarche export` both load the
    /// embedded basemap through this (the export one layer per core).
    pub fn load(&self) -> Result<Layer, Report> {
        let mut layer = parse_geojson(self.name, self.text)?.layer;
        layer.name = self.name.to_owned();
        Ok(layer)
    }
}

/// The embedded layers, world first.
pub fn layers() -> Result<Vec<Layer>, Report> {
    LAYERS.iter().map(EmbeddedLayer::load).collect()
}

/// Map layers with their prepared geometry for the current projection.
#[derive(Debug, Default)]
pub struct Basemap {
    pub layers: Vec<Layer>,
    /// Layers cut to a rectangle (their cut edges are not stroked), by index.
    pub cuts: Vec<Option<geo::Rect<f64>>>,
    prepared: Option<(Projection, Vec<Arc<PreparedLayer>>)>,
}

impl Basemap {
    /// The embedded Natural Earth layers.
    pub fn embedded() -> Result<Self, Report> {
        Ok(Self {
            layers: layers()?,
            cuts: vec![Some(region()); LAYERS.len()],
            prepared: None,
        })
    }

    /// Adds a layer on top (a user's file).
    pub fn push(&mut self, layer: Layer) {
        self.layers.push(layer);
        self.cuts.push(None);
        self.prepared = None;
    }

    /// The top-most feature whose geometry contains the point (longitude, latitude in degrees).
    pub fn feature_at(&self, lon: f64, lat: f64) -> Option<&crate::model::map::Feature> {
        use geo::{BoundingRect as _, Contains as _};
        let point = geo::Point::new(lon, lat);
        self.layers.iter().rev().find_map(|layer| {
            layer.features.iter().find(|f| {
                f.geometry.as_ref().is_some_and(|g| {
                    g.bounding_rect().is_some_and(|r| r.contains(&point)) && g.contains(&point)
                })
            })
        })
    }

    /// The layers prepared for `projection`, made once per projection.
    pub fn prepared(&mut self, projection: Projection) -> &[Arc<PreparedLayer>] {
        let stale = self.prepared.as_ref().is_none_or(|(p, _)| *p != projection);
        if stale {
            let prepared = self
                .layers
                .iter()
                .zip(&self.cuts)
                .map(|(layer, cut)| Arc::new(PreparedLayer::new(layer, projection, *cut)))
                .collect();
            self.prepared = Some((projection, prepared));
        }
        self.prepared.as_ref().map_or(&[], |(_, p)| p.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feature_under_a_point_is_found_with_its_properties() {
        let basemap = Basemap::embedded().expect("embedded");
        let ankara = basemap
            .feature_at(32.86, 39.93)
            .expect("a country at Ankara");
        assert_eq!(ankara.label.as_deref(), Some("Turkey"));
        assert!(ankara.properties.contains_key("iso_n3"));
        let paris = basemap.feature_at(2.35, 48.86).expect("a country at Paris");
        assert_eq!(paris.label.as_deref(), Some("France"));
        assert!(
            basemap.feature_at(-30.0, 30.0).is_none(),
            "the middle of the Atlantic"
        );
    }
}
