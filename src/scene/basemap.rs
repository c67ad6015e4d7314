//! The basemap in screen space: land fills, borders and coasts, lines, points and country labels of the
//! features in view, at the level of detail of the camera's zoom.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{Anchor, Item, Pt, SceneLayer, Theme};
use crate::basemap::countries::CountryNames;
use crate::basemap::prepare::PreparedLayer;
use crate::geo_math::camera::Camera;

/// The layers drawn at the camera's `scale`, in order: every layer drawn at every scale, and of the
/// embedded basemap's levels of detail ([`PreparedLayer::from_scale`]) exactly one, for the whole view: the
/// finest whose scale is reached, or the coarsest there is when none is (a finer level not read yet is
/// simply absent). Two levels of the same world are never drawn together, so there is no seam between them,
/// no doubled coast and no doubled country name.
pub fn shown(layers: &[Arc<PreparedLayer>], scale: f64) -> Vec<&Arc<PreparedLayer>> {
    let levels = || layers.iter().filter_map(|l| l.from_scale);
    let reached = levels().filter(|&s| s <= scale).reduce(f64::max);
    let level = reached.or_else(|| levels().reduce(f64::min));
    let mut chosen = false;
    layers
        .iter()
        .filter(|l| match l.from_scale {
            None => true,
            Some(s) if Some(s) == level && !chosen => {
                chosen = true;
                true
            }
            Some(_) => false,
        })
        .collect()
}

/// Labels need this many points of their feature on screen.
const MIN_LABEL_EXTENT_PT: f64 = 60.0;

/// Fills, strokes and points of one prepared layer.
pub fn layer(prepared: &PreparedLayer, camera: &Camera, theme: &Theme, name: &str) -> SceneLayer {
    let mut out = SceneLayer::new(name);
    let visible = camera.visible_world();
    if !visible.intersects(&prepared.bounds) {
        return out;
    }
    let level = prepared.level(PreparedLayer::level_for_scale(camera.scale));

    // All fills of the layer in one mesh: one colour, one draw.
    let mut vertices: Vec<Pt> = Vec::new();
    let mut indices: Vec<u32> = Vec::new();
    for (feature, fill) in prepared.features.iter().zip(&level.fills) {
        if fill.indices.is_empty() || !feature.bounds.intersects(&visible) {
            continue;
        }
        let base = vertices.len() as u32;
        vertices.extend(fill.vertices.iter().map(|&w| camera.screen_from_world(w)));
        indices.extend(fill.indices.iter().map(|&i| base + i));
    }
    if !indices.is_empty() {
        out.items.push(Item::Mesh {
            vertices,
            indices,
            fill: theme.land,
        });
    }

    for (arc, bounds) in &level.strokes {
        if !bounds.intersects(&visible) {
            continue;
        }
        out.items.push(Item::Polyline {
            points: arc.iter().map(|&w| camera.screen_from_world(w)).collect(),
            width: theme.border_width,
            color: theme.border,
            dash: None,
        });
    }
    for line in &level.lines {
        if line.len() >= 2 {
            out.items.push(Item::Polyline {
                points: line.iter().map(|&w| camera.screen_from_world(w)).collect(),
                width: 1.0,
                color: theme.lines,
                dash: None,
            });
        }
    }
    for feature in &prepared.features {
        for &p in &feature.points {
            let s = camera.screen_from_world(p);
            if camera.viewport.contains(s) {
                out.items.push(Item::Circle {
                    center: s,
                    radius: 2.5,
                    fill: Some(theme.points),
                    stroke: None,
                });
            }
        }
    }
    out
}

/// Country names, quieter than venue labels: only for features large enough on screen, inside the view,
/// spelled as the scenario spells them (`names`), each name once.
pub fn labels(
    prepared: &PreparedLayer,
    camera: &Camera,
    theme: &Theme,
    names: &CountryNames,
    name: &str,
) -> SceneLayer {
    let mut placed = BTreeSet::new();
    let mut out = SceneLayer::new(name);
    let visible = camera.visible_world();
    for feature in &prepared.features {
        let (Some(label), Some(at)) = (&feature.label, feature.label_at) else {
            continue;
        };
        let label = names.label(feature.code.as_deref(), label);
        if placed.contains(label) {
            continue;
        }
        let extent = feature.bounds.width().min(feature.bounds.height()) * camera.scale;
        if extent < MIN_LABEL_EXTENT_PT || !feature.bounds.intersects(&visible) {
            continue;
        }
        let p = camera.screen_from_world(at);
        if camera.viewport.contains(p) {
            placed.insert(label);
            out.items.push(Item::Text {
                pos: p,
                text: label.to_owned(),
                size: 11.0,
                color: theme.country_label,
                anchor: Anchor::Center,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::projection::Projection;
    use crate::model::map::Layer;

    fn layer(from_scale: Option<f64>) -> Arc<PreparedLayer> {
        let p = PreparedLayer::new(
            &Layer::default(),
            Projection::WebMercator { central_lon: 0.0 },
            None,
        );
        Arc::new(match from_scale {
            Some(s) => p.drawn_from_scale(s),
            None => p,
        })
    }

    #[test]
    fn one_level_of_detail_is_shown_with_every_ordinary_layer() {
        let (coarse, fine, user) = (layer(Some(0.0)), layer(Some(400.0)), layer(None));
        let all = [coarse.clone(), fine.clone(), user.clone()];
        let ids = |shown: Vec<&Arc<PreparedLayer>>| -> Vec<*const PreparedLayer> {
            shown.into_iter().map(Arc::as_ptr).collect()
        };
        let (c, f, u) = (Arc::as_ptr(&coarse), Arc::as_ptr(&fine), Arc::as_ptr(&user));
        assert_eq!(ids(shown(&all, 100.0)), [c, u]);
        assert_eq!(ids(shown(&all, 400.0)), [f, u]);
        assert_eq!(ids(shown(&all, 1e6)), [f, u]);
        // The fine level alone (the coarse one replaced): drawn at every scale.
        assert_eq!(ids(shown(std::slice::from_ref(&fine), 1.0)), [f]);
        // The fine level not read yet: the coarse one at every scale.
        assert_eq!(ids(shown(&[coarse.clone(), user.clone()], 1e6)), [c, u]);
    }
}
