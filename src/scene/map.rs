//! Builds the map's scene: basemap, graticule, venues, scale bar and credit, for a camera and a time.

use std::sync::Arc;

use super::{Anchor, Item, Scene, SceneLayer, Theme, basemap, graticule};
use crate::basemap::prepare::PreparedLayer;
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::Scenario;

/// The credit every map carries (Natural Earth asks for none, but says it is welcome).
pub const CREDIT: &str = "Made with Natural Earth";

/// What a map scene is built from.
#[derive(Clone, Copy, Debug)]
pub struct MapInputs<'a> {
    pub projection: &'a Projection,
    pub camera: &'a Camera,
    pub theme: &'a Theme,
    pub scenario: Option<&'a Scenario>,
    /// The scenario's contacts in time order (made once per scenario, not per frame).
    pub order: &'a [crate::model::ContactId],
    /// Basemap layers, bottom first, prepared for `projection`.
    pub basemap: &'a [Arc<PreparedLayer>],
    /// The moment shown: the contacts going on then (and fading after) are drawn.
    pub time: Option<jiff::Timestamp>,
}

/// The whole map for one frame or one export.
pub fn build(inputs: &MapInputs<'_>) -> Scene {
    let camera = inputs.camera;
    let theme = inputs.theme;
    let mut scene = Scene {
        size: [camera.viewport.width(), camera.viewport.height()],
        background: theme.water,
        layers: Vec::new(),
    };
    for (i, layer) in inputs.basemap.iter().enumerate() {
        scene.layers.push(basemap::layer(
            layer,
            camera,
            theme,
            &format!("basemap-{i}"),
        ));
    }
    scene
        .layers
        .push(graticule::graticule(inputs.projection, camera, theme));
    for (i, layer) in inputs.basemap.iter().enumerate() {
        scene.layers.push(basemap::labels(
            layer,
            camera,
            theme,
            &format!("country-labels-{i}"),
        ));
    }
    if let Some(scenario) = inputs.scenario {
        if let Some(t) = inputs.time {
            scene.layers.push(super::contacts::contacts(
                scenario,
                inputs.order,
                t,
                inputs.projection,
                camera,
                theme,
            ));
        }
        scene.layers.push(venues(scenario, inputs));
        scene
            .layers
            .push(super::contacts::legend(scenario, camera, theme));
    }
    if let Some(bar) = graticule::scale_bar(inputs.projection, camera, theme, 140.0) {
        scene.layers.push(bar);
    }
    let mut credit = SceneLayer::new("credit");
    credit.items.push(Item::Text {
        pos: [camera.viewport.max[0] - 6.0, camera.viewport.max[1] - 4.0],
        text: CREDIT.to_owned(),
        size: 10.0,
        color: theme.graticule_label,
        anchor: Anchor::RightCenter,
    });
    scene.layers.push(credit);
    scene
}

/// Venues with a known position, as dots with their names.
fn venues(scenario: &Scenario, inputs: &MapInputs<'_>) -> SceneLayer {
    let mut layer = SceneLayer::new("venues");
    for venue in &scenario.venues {
        let Some(at) = venue.location else { continue };
        let Some(w) = inputs.projection.project(at.lon, at.lat) else {
            continue;
        };
        let p = inputs.camera.screen_from_world(w);
        layer.items.push(Item::Circle {
            center: p,
            radius: 3.5,
            fill: Some(inputs.theme.text),
            stroke: Some((1.5, inputs.theme.text_halo)),
        });
        layer.items.push(Item::Text {
            pos: [p[0] + 6.0, p[1]],
            text: venue.name.clone(),
            size: 12.0,
            color: inputs.theme.text,
            anchor: Anchor::LeftCenter,
        });
    }
    layer
}
