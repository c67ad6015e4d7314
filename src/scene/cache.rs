//! The window's scene from frame to frame: the base layers (the graticule; the window keeps the basemap
//! itself, in world coordinates, see `render::basemap_mesh`) kept while what they are built from stays, and the venues' places kept while the camera and the venues stay, so a frame builds
//! only what moves. What the kept parts depend on is compared as typed values ([`ViewKey`], [`BaseKey`]),
//! floats by their bits, never through formatted strings.

use std::sync::Arc;

use super::map::{MapInputs, graticule_layers, overlay_layers_cached};
use super::places::VenuePlaces;
use super::style::ThemeKey;
use super::{SceneLayer, Target};
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::{Scenario, Venue};

/// A projection's parameters, by their bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProjectionKey {
    WebMercator { central_lon: u64 },
    LambertConic { parameters: [u64; 4] },
}

impl ProjectionKey {
    pub fn of(projection: &Projection) -> Self {
        match projection {
            Projection::WebMercator { central_lon } => Self::WebMercator {
                central_lon: central_lon.to_bits(),
            },
            Projection::LambertConic(l) => Self::LambertConic {
                parameters: [l.central_lon, l.origin_lat, l.parallel_1, l.parallel_2]
                    .map(f64::to_bits),
            },
        }
    }
}

/// What a view of the map is: the camera (centre, scale, viewport) and the projection, by their bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ViewKey {
    center: [u64; 2],
    scale: u64,
    viewport: [u32; 4],
    projection: ProjectionKey,
}

impl ViewKey {
    pub fn of(projection: &Projection, camera: &Camera) -> Self {
        let v = camera.viewport;
        Self {
            center: camera.center.map(f64::to_bits),
            scale: camera.scale.to_bits(),
            viewport: [v.min[0], v.min[1], v.max[0], v.max[1]].map(f32::to_bits),
            projection: ProjectionKey::of(projection),
        }
    }
}

/// What the base layers are built from: the view and the theme.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BaseKey {
    view: ViewKey,
    theme: ThemeKey,
}

impl BaseKey {
    pub fn of(inputs: &MapInputs<'_>) -> Self {
        Self {
            view: ViewKey::of(inputs.projection, inputs.camera),
            theme: inputs.theme.key(),
        }
    }

    /// Whether `inputs` would build the base layers this key was made for.
    fn matches(&self, inputs: &MapInputs<'_>) -> bool {
        self.view == ViewKey::of(inputs.projection, inputs.camera)
            && self.theme == inputs.theme.key()
    }
}

/// What the venues' places depend on: the view (camera and projection) and the venues' positions, by
/// their bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PlacesKey {
    view: ViewKey,
    locations: Vec<Option<[u64; 2]>>,
}

impl PlacesKey {
    fn location(venue: &Venue) -> Option<[u64; 2]> {
        venue.location.map(|l| [l.lon.to_bits(), l.lat.to_bits()])
    }

    pub(super) fn of(scenario: &Scenario, view: ViewKey) -> Self {
        Self {
            view,
            locations: scenario.venues.iter().map(Self::location).collect(),
        }
    }

    /// Whether the places were worked out for this view and these venues, without allocating.
    pub(super) fn matches(&self, scenario: &Scenario, view: &ViewKey) -> bool {
        self.view == *view
            && self.locations.len() == scenario.venues.len()
            && self
                .locations
                .iter()
                .zip(&scenario.venues)
                .all(|(kept, venue)| *kept == Self::location(venue))
    }
}

/// One frame's scene, as the cache hands it to a backend.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The base layers (the graticule): the same `Arc` as last frame's while they were kept.
    pub base: Arc<Vec<SceneLayer>>,
    /// Counts the base layers' rebuilds: a backend that keeps them tessellated redoes it when this moves.
    pub base_generation: u64,
    /// The layers over the base, built for this frame.
    pub overlays: Vec<SceneLayer>,
    /// Where the venues, actors and contacts can be picked.
    pub targets: Vec<Target>,
}

/// Keeps what a frame's scene can reuse from the last one.
#[derive(Debug, Default)]
pub struct SceneCache {
    base_key: Option<BaseKey>,
    base: Arc<Vec<SceneLayer>>,
    base_generation: u64,
    places: VenuePlaces,
}

impl SceneCache {
    /// The scene for `inputs`: the base layers kept when nothing they depend on changed, the overlays
    /// built anew (with the venues' places kept while the camera and the venues stay).
    pub fn frame(&mut self, inputs: &MapInputs<'_>) -> Frame {
        if !self.base_key.as_ref().is_some_and(|k| k.matches(inputs)) {
            self.base = Arc::new(graticule_layers(inputs));
            self.base_key = Some(BaseKey::of(inputs));
            self.base_generation += 1;
        }
        let (overlays, targets) = overlay_layers_cached(inputs, &mut self.places);
        Frame {
            base: Arc::clone(&self.base),
            base_generation: self.base_generation,
            overlays,
            targets,
        }
    }

    /// The base layers of the last frame.
    pub fn base(&self) -> &Arc<Vec<SceneLayer>> {
        &self.base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::camera::ScreenRect;
    use crate::io::scenario::default_scenario;
    use crate::scene::Theme;
    use crate::scene::view;

    /// Calls `test` with the inputs of the default scenario's map, fitted to 800 x 600 points.
    fn with_inputs(test: impl FnOnce(MapInputs<'_>)) {
        let scenario = default_scenario().scenario;
        let projection = view::regional_projection();
        let camera =
            view::fitted_camera(&projection, &scenario, ScreenRect::from_size(800.0, 600.0));
        let order: Vec<_> = (0..scenario.contacts.len())
            .map(|i| crate::model::ContactId(i as u32))
            .collect();
        test(MapInputs {
            projection: &projection,
            camera: &camera,
            theme: &Theme::light(),
            scenario: Some(&scenario),
            order: &order,
            index: None,
            basemap: &[],
            time: None,
            trail: crate::scene::contacts::TRAIL,
            pulse: None,
            selection: None,
            legend: true,
            new_since: None,
        });
    }

    /// What a layout weighs is the map without its ground: every other layer, item for item.
    #[test]
    fn the_scene_over_the_ground_is_the_whole_scene_less_the_ground() {
        with_inputs(|inputs| {
            let inputs = MapInputs {
                time: "2026-01-31T12:00:00Z".parse().ok(),
                ..inputs
            };
            let ground: Vec<String> = crate::scene::map::base_layers(&inputs)
                .into_iter()
                .map(|l| l.name)
                .collect();
            assert!(!ground.is_empty(), "the graticule at least");
            let whole = crate::scene::map::build_reserving(&inputs, &[]);
            let over = crate::scene::map::build_over_ground(&inputs, &[]);
            let summary = |layers: &[SceneLayer]| -> Vec<(String, String)> {
                layers
                    .iter()
                    .map(|l| (l.name.clone(), format!("{:?}", l.items)))
                    .collect()
            };
            let expected: Vec<SceneLayer> = whole
                .layers
                .into_iter()
                .filter(|l| !ground.contains(&l.name))
                .collect();
            assert!(expected.iter().any(|l| l.name == "venues"));
            assert_eq!(summary(&over.layers), summary(&expected));
            assert_eq!(over.size, whole.size);
        });
    }

    /// While nothing the base layers depend on changes, they are kept: the same layers, not built again,
    /// however the time and the pulse move.
    #[test]
    fn the_base_is_kept_when_nothing_it_depends_on_changes() {
        with_inputs(|inputs| {
            let mut cache = SceneCache::default();
            let first = cache.frame(&inputs);
            let again = cache.frame(&inputs);
            assert!(Arc::ptr_eq(&first.base, &again.base));
            assert_eq!(first.base_generation, again.base_generation);
            let later = MapInputs {
                time: Some("2026-01-31T12:00:00Z".parse().expect("a time")),
                pulse: Some(0.5),
                ..inputs
            };
            let moved = cache.frame(&later);
            assert!(Arc::ptr_eq(&first.base, &moved.base));
            assert_ne!(
                first.overlays, moved.overlays,
                "the overlays follow the time"
            );
        });
    }

    /// Any part of the base layers' key that changes builds them again, as a fresh build would: the
    /// camera's centre, scale or viewport, the projection, the theme.
    #[test]
    fn the_base_is_rebuilt_when_a_key_part_changes() {
        with_inputs(|inputs| {
            rebuilds_on_each_change(inputs);
        });
    }

    fn rebuilds_on_each_change(inputs: MapInputs<'_>) {
        let (camera, light) = (*inputs.camera, *inputs.theme);
        let mut cache = SceneCache::default();
        let panned = camera.panned([10.0, 0.0]);
        let zoomed = camera.zoomed_around([400.0, 300.0], 2.0);
        let resized = camera.with_viewport(ScreenRect::from_size(640.0, 600.0));
        let mercator = Projection::WebMercator { central_lon: 45.0 };
        let dark = Theme::dark();
        let mut wider = light;
        wider.border_width += 0.5;
        let changes = [
            MapInputs {
                camera: &panned,
                ..inputs
            },
            MapInputs {
                camera: &zoomed,
                ..inputs
            },
            MapInputs {
                camera: &resized,
                ..inputs
            },
            MapInputs {
                projection: &mercator,
                ..inputs
            },
            MapInputs {
                theme: &dark,
                ..inputs
            },
            MapInputs {
                theme: &wider,
                ..inputs
            },
        ];
        for (i, changed) in changes.iter().enumerate() {
            let before = cache.frame(&inputs).base_generation;
            let after = cache.frame(changed);
            assert_eq!(after.base_generation, before + 1, "change {i} rebuilds");
            assert_eq!(
                *after.base,
                graticule_layers(changed),
                "change {i} builds what a fresh build gives"
            );
            assert_eq!(
                cache.frame(changed).base_generation,
                after.base_generation,
                "change {i} is kept on the next frame"
            );
        }
    }
}
