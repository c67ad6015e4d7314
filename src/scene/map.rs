//! Builds the map's scene: basemap, graticule, venues, scale bar and credit, for a camera and a time.

use std::sync::Arc;

use super::contacts::Moment;
use super::contacts::aggregate::{self, Shown};
use super::labels::{Placer, layer_box};
use super::places::{Places, VenuePlaces};
use super::venues::{Involved, venues_and_actors};
use super::{Anchor, Item, Scene, SceneLayer, Target, Theme, basemap, graticule};
use crate::basemap::prepare::PreparedLayer;
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::contact_index::ContactIndex;
use crate::model::whereabouts::{whereabouts, whereabouts_among};
use crate::model::{ContactId, Scenario};

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
    /// The scenario's contacts by time ([`ContactIndex`], made once per scenario), so that a frame reads
    /// only the contacts around its time; `None` reads every contact (as an export of one picture may).
    pub index: Option<&'a ContactIndex>,
    /// Basemap layers, bottom first, prepared for `projection`.
    pub basemap: &'a [Arc<PreparedLayer>],
    /// The moment shown: the contacts going on then (and fading after) are drawn.
    pub time: Option<jiff::Timestamp>,
    /// How long a contact stays, fading, after it ends ([`super::contacts::TRAIL`] by default).
    pub trail: jiff::SignedDuration,
    /// Where the pulses of what is going on are in their beat, 0 to 1 ([`super::contacts::pulse_phase`]);
    /// `None` draws them at rest: a still picture, or a window whose clock is paused.
    pub pulse: Option<f32>,
    /// What the user selected: its marks stand out, the other contacts dim, a venue is ringed.
    pub selection: Option<super::Pick>,
    /// Whether the legend is drawn (the window's user may fold it away).
    pub legend: bool,
    /// What was reported after this moment is marked new (a "+" beside its mark, and a legend row).
    pub new_since: Option<jiff::Timestamp>,
}

/// The whole map for one frame or one export: a [`Scene`] of named layers (basemap, graticule, contacts,
/// venues, legend...) in screen points, which the window, the PNG and the SVG exports all draw.
///
/// ```
/// use demarche::geo_math::camera::{Camera, ScreenRect, WorldRect};
/// use demarche::geo_math::projection::{Lambert, Projection};
/// use demarche::scene::Theme;
/// use demarche::scene::map::{MapInputs, build};
///
/// let scenario = demarche::io::scenario::default_scenario().scenario;
/// let projection = Projection::LambertConic(Lambert::for_band(45.0, 20.0, 45.0));
/// // A camera showing every venue of the scenario on a 1280x720 screen, 40 points from the edges.
/// let mut bounds = WorldRect::EMPTY;
/// for venue in &scenario.venues {
///     if let Some(p) = venue.location.and_then(|at| projection.project(at.lon, at.lat)) {
///         bounds.extend(p);
///     }
/// }
/// let camera = Camera::fit(bounds, ScreenRect::from_size(1280.0, 720.0), 40.0);
/// let order = scenario.chronological();
/// let scene = build(&MapInputs {
///     projection: &projection,
///     camera: &camera,
///     theme: &Theme::light(),
///     scenario: Some(&scenario),
///     order: &order,
///     index: None, // a frame of the window passes the story's `ContactIndex`
///     basemap: &[], // no land: `basemap::embedded::Basemap` prepares the real one
///     time: "2026-01-31T12:00:00Z".parse().ok(),
///     trail: demarche::scene::contacts::TRAIL,
///     pulse: None, // a still picture
///     selection: None,
///     legend: true,
///     new_since: None, // or a moment: what was reported after it is marked "+"
/// });
/// assert_eq!(scene.size, [1280.0, 720.0]);
/// assert!(!scene.layer("venues").expect("a venues layer").items.is_empty());
/// ```
pub fn build(inputs: &MapInputs<'_>) -> Scene {
    build_with_targets(inputs).0
}

/// The whole map, and where its venues, actors and contacts are on screen (for hovering and clicking).
pub fn build_with_targets(inputs: &MapInputs<'_>) -> (Scene, Vec<Target>) {
    let mut layers = base_layers(inputs);
    let (overlays, targets) = overlay_layers(inputs);
    layers.extend(overlays);
    (
        Scene {
            size: [
                inputs.camera.viewport.width(),
                inputs.camera.viewport.height(),
            ],
            background: inputs.theme.water,
            layers,
        },
        targets,
    )
}

/// The layers that do not change with time: the basemap and the graticule. They depend on the camera, the
/// projection, the theme and the basemap only, so the window keeps them while the clock runs.
pub fn base_layers(inputs: &MapInputs<'_>) -> Vec<SceneLayer> {
    let mut layers = basemap_layers(
        &basemap::shown(inputs.basemap, inputs.camera.scale),
        inputs.camera,
        inputs.theme,
    );
    layers.extend(graticule_layers(inputs));
    layers
}

/// The basemap's layers: those `shown` at the camera's scale ([`basemap::shown`]), bottom first. The window
/// draws them from a mesh in world coordinates instead (`render::basemap_mesh`), the same triangles.
pub fn basemap_layers(
    shown: &[&Arc<PreparedLayer>],
    camera: &Camera,
    theme: &Theme,
) -> Vec<SceneLayer> {
    shown
        .iter()
        .enumerate()
        .map(|(i, layer)| basemap::layer(layer, camera, theme, &format!("basemap-{i}")))
        .collect()
}

/// The base layers over the basemap: the graticule.
pub fn graticule_layers(inputs: &MapInputs<'_>) -> Vec<SceneLayer> {
    vec![graticule::graticule(
        inputs.projection,
        inputs.camera,
        inputs.theme,
    )]
}

/// The layers over the base: country names, contacts, venues, actors, legend, scale bar and credit, and
/// where the venues, actors and contacts can be picked.
pub fn overlay_layers(inputs: &MapInputs<'_>) -> (Vec<SceneLayer>, Vec<Target>) {
    overlay_layers_cached(inputs, &mut VenuePlaces::default())
}

/// As [`overlay_layers`], keeping where the venues are drawn in `cache` for the next frame (the window
/// keeps one: while the camera stays, the edge markers need not be worked out again).
pub fn overlay_layers_cached(
    inputs: &MapInputs<'_>,
    cache: &mut VenuePlaces,
) -> (Vec<SceneLayer>, Vec<Target>) {
    // What sits on top of the map is laid out first, so that labels keep clear of it.
    let v = inputs.camera.viewport;
    let mut placer = Placer::new([v.min[0], v.min[1], v.max[0], v.max[1]]);
    let live = Live::new(inputs, cache);
    let on_top = layers_on_top_showing(inputs, live.as_ref().map(|l| l.shown));
    for layer in &on_top {
        if let Some(b) = layer_box(layer) {
            placer.block(b);
        }
    }
    let (marks, targets) = marks(inputs, live, &mut placer);
    let mut layers = country_labels(inputs, &mut placer);
    layers.extend(marks);
    layers.extend(on_top);
    (layers, targets)
}

/// As [`build`], without the legend, the scale bar and the credit ([`layers_on_top`]), the labels kept
/// clear of the `reserved` boxes instead: an export puts those and its title where they cover least of
/// the map (the export module's `layout`) and draws the map around them.
pub fn build_reserving(inputs: &MapInputs<'_>, reserved: &[super::labels::Box2]) -> Scene {
    build_layers(inputs, reserved, true)
}

/// [`build_reserving`] without the ground (the basemap and the graticule): what is drawn over it, as a
/// layout of the picture's decorations weighs it (the ground never counts there, and projecting it is
/// most of the work of a scene).
pub fn build_over_ground(inputs: &MapInputs<'_>, reserved: &[super::labels::Box2]) -> Scene {
    build_layers(inputs, reserved, false)
}

fn build_layers(inputs: &MapInputs<'_>, reserved: &[super::labels::Box2], ground: bool) -> Scene {
    let v = inputs.camera.viewport;
    let mut placer = Placer::new([v.min[0], v.min[1], v.max[0], v.max[1]]);
    for b in reserved {
        placer.block(*b);
    }
    let live = Live::new(inputs, &mut VenuePlaces::reserving(reserved));
    let (marks, _) = marks(inputs, live, &mut placer);
    let mut layers = if ground {
        base_layers(inputs)
    } else {
        Vec::new()
    };
    layers.extend(country_labels(inputs, &mut placer));
    layers.extend(marks);
    Scene {
        size: [v.width(), v.height()],
        background: inputs.theme.water,
        layers,
    }
}

/// The legend, the scale bar and the credit. The legend says when the contacts are summed
/// ([`aggregate`]), which depends on what is going on in the view.
pub fn layers_on_top(inputs: &MapInputs<'_>) -> Vec<SceneLayer> {
    let shown = inputs.legend.then(|| {
        Live::new(inputs, &mut VenuePlaces::default()).map_or(Shown::Each, |live| live.shown)
    });
    layers_on_top_showing(inputs, shown)
}

/// As [`layers_on_top`], the contacts being `shown` as said (found once by the caller).
fn layers_on_top_showing(inputs: &MapInputs<'_>, shown: Option<Shown>) -> Vec<SceneLayer> {
    let (camera, theme) = (inputs.camera, inputs.theme);
    let mut layers = Vec::new();
    if let Some(scenario) = inputs.scenario.filter(|_| inputs.legend) {
        let summed = match shown {
            Some(Shown::Summed { contacts }) => Some(contacts),
            _ => None,
        };
        layers.push(super::contacts::legend_summing(
            scenario,
            inputs.index,
            camera,
            theme,
            summed,
            inputs.new_since,
        ));
    }
    if let Some(bar) = graticule::scale_bar(inputs.projection, camera, theme, 140.0) {
        layers.push(bar);
    }
    let mut credit = SceneLayer::new("credit");
    credit.items.push(Item::Text {
        pos: [camera.viewport.max[0] - 6.0, camera.viewport.max[1] - 4.0],
        text: CREDIT.to_owned(),
        size: 10.0,
        color: theme.graticule_label,
        anchor: Anchor::RightCenter,
    });
    layers.push(credit);
    layers
}

/// The scenario's places in the view and the contacts shown at the moment, found once a frame for the
/// legend and the marks.
struct Live<'i> {
    scenario: &'i Scenario,
    places: Places<'i>,
    /// The contacts going on (or fading after) at the time shown, in time order (in file order when
    /// they are [`Shown::Summed`]: only each contact's own mark needs the order).
    ids: Vec<ContactId>,
    /// With a [`ContactIndex`]: every contact that may be going on at the time shown, in file order (a
    /// superset of `ids` that holds those filtered out: they still move people).
    around: Option<Vec<ContactId>>,
    /// What the contacts shown involve (for the venues' and actors' marks).
    involved: Involved,
    shown: Shown,
    /// What the contacts add up to, when they are [`Shown::Summed`].
    sums: Option<aggregate::Sums>,
}

/// What a frame reads of the contacts it shows, in one pass over them: in a large story the contacts going
/// on lie far apart in memory, so each is read once, in the order it lies in (file order), for everything
/// the frame needs of it: whether it is shown, its rank in time order, where it would be summed, what it
/// involves.
struct LiveRead {
    /// The contacts shown: in `inputs.order`'s order when read from it, otherwise in file order until
    /// [`LiveRead::in_time_order`] sorts them (which only drawing each contact's mark needs).
    ids: Vec<ContactId>,
    /// Each one's [`aggregate::ends`] and kind, in the same order.
    summing: Vec<(Option<aggregate::Ends>, crate::model::ContactKind)>,
    involved: Involved,
}

impl LiveRead {
    /// The contacts of `candidates` (`inputs.order` itself, or contacts in file order of which only those
    /// in `inputs.order` count) shown at `t`.
    fn of(
        scenario: &Scenario,
        inputs: &MapInputs<'_>,
        t: jiff::Timestamp,
        candidates: &[ContactId],
    ) -> Self {
        // A filtered list: keep the contacts it holds.
        let listed = (!std::ptr::eq(candidates, inputs.order)
            && inputs.order.len() != scenario.contacts.len())
        .then(|| {
            let mut listed = vec![false; scenario.contacts.len()];
            for id in inputs.order {
                listed[id.0 as usize] = true;
            }
            listed
        });
        let mut read = Self {
            ids: Vec::new(),
            summing: Vec::new(),
            involved: Involved::new(scenario),
        };
        for &id in candidates {
            if listed.as_ref().is_some_and(|l| !l[id.0 as usize]) {
                continue;
            }
            let contact = scenario.contact(id);
            if super::contacts::presence(contact, t, inputs.trail).is_none() {
                continue;
            }
            read.involved.add(contact, t, inputs.theme);
            read.ids.push(id);
            read.summing
                .push((aggregate::ends(scenario, contact), contact.kind));
        }
        read
    }

    /// Sorts `ids` as `inputs.order` is sorted (the list is in time order).
    fn in_time_order(ids: &mut [ContactId], scenario: &Scenario) {
        ids.sort_by_cached_key(|&id| {
            let time = &scenario.contact(id).time;
            let (start, end) = time.extent();
            (time.start.is_some(), start, end, id)
        });
    }
}

impl<'i> Live<'i> {
    /// `None` without a scenario.
    fn new(inputs: &MapInputs<'i>, cache: &mut VenuePlaces) -> Option<Self> {
        let scenario = inputs.scenario?;
        let places = Places::new_cached(scenario, inputs.projection, inputs.camera, cache);
        let index = inputs.index.filter(|i| i.fits(scenario));
        let (read, around) = match (inputs.time, index) {
            (None, _) => (None, None),
            (Some(t), None) => (Some(LiveRead::of(scenario, inputs, t, inputs.order)), None),
            (Some(t), Some(index)) => {
                let around = index.around(t, inputs.trail.max(crate::model::LINGER));
                (
                    Some(LiveRead::of(scenario, inputs, t, &around)),
                    Some(around),
                )
            }
        };
        let LiveRead {
            mut ids,
            summing,
            involved,
        } = read.unwrap_or_else(|| LiveRead {
            ids: Vec::new(),
            summing: Vec::new(),
            involved: Involved::new(scenario),
        });
        let (shown, sums) = if ids.len() <= aggregate::LEGIBLE {
            (Shown::Each, None)
        } else {
            aggregate::summed_if_crowded(scenario, aggregate::sums_of(summing), &places)
        };
        // Each contact's mark is drawn in the list's order; summed, the order does not matter.
        if around.is_some() && shown == Shown::Each {
            LiveRead::in_time_order(&mut ids, scenario);
        }
        Some(Self {
            scenario,
            places,
            ids,
            around,
            involved,
            shown,
            sums,
        })
    }
}

/// The scenario's layers: contacts, venues and actors, and where they can be picked.
fn marks(
    inputs: &MapInputs<'_>,
    live: Option<Live<'_>>,
    placer: &mut Placer,
) -> (Vec<SceneLayer>, Vec<Target>) {
    let mut layers = Vec::new();
    let mut targets = Vec::new();
    let Some(Live {
        scenario,
        places,
        ids: live,
        around,
        involved,
        sums,
        ..
    }) = live
    else {
        return (layers, targets);
    };
    // Without a time, no contact is going on and everyone is at home.
    let t = inputs.time.unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let where_now = match around {
        Some(around) => whereabouts_among(scenario, t, around),
        None => whereabouts(scenario, t),
    };
    let moment = Moment {
        t,
        trail: inputs.trail,
        pulse: inputs.pulse,
        whereabouts: &where_now,
        selection: inputs.selection,
        new_since: inputs.new_since,
        graded: inputs
            .index
            .filter(|i| i.fits(scenario))
            .map_or_else(|| scenario.has_grades(), ContactIndex::graded),
    };
    let edge_markers: Vec<super::Pt> = (0..scenario.venues.len())
        .filter_map(|v| places.venue(crate::model::VenueId(v as u32)))
        .filter(|p| p.toward.is_some())
        .map(|p| p.at)
        .collect();
    let mut avoid = Vec::new();
    if inputs.time.is_some() {
        let (layer, picks) = match &sums {
            None => super::contacts::contacts(scenario, &live, &moment, &places, inputs.theme),
            Some(sums) => aggregate::summed(sums, &places, inputs.theme),
        };
        // The contacts' marks in the view, which edge markers' labels and badges keep clear of.
        avoid.extend(
            picks
                .iter()
                .filter(|p| places.is_inside(p.center) && !edge_markers.contains(&p.center))
                .map(|p| {
                    let r = p.radius + 2.0;
                    [
                        p.center[0] - r,
                        p.center[1] - r,
                        p.center[0] + r,
                        p.center[1] + r,
                    ]
                }),
        );
        layers.push(layer);
        targets.extend(picks);
    }
    let m = venues_and_actors(
        scenario,
        involved,
        &moment,
        &places,
        inputs.theme,
        placer,
        &avoid,
    );
    // Areas under the contacts: a military move's own area and a meeting's mark go over them.
    layers.insert(0, m.areas);
    layers.push(m.venues);
    layers.push(m.actors);
    targets.extend(m.targets);
    (layers, targets)
}

/// Country names: the quieter layer, they yield to everything placed before. Each name once: a user's map
/// on top names its countries before the embedded one does.
fn country_labels(inputs: &MapInputs<'_>, placer: &mut Placer) -> Vec<SceneLayer> {
    let names = inputs
        .scenario
        .map(crate::basemap::countries::CountryNames::of)
        .unwrap_or_default();
    let mut placed = std::collections::BTreeSet::new();
    let shown = basemap::shown(inputs.basemap, inputs.camera.scale);
    let mut layers = Vec::new();
    for (i, layer) in shown.into_iter().enumerate().rev() {
        let mut labels = basemap::labels(
            layer,
            inputs.camera,
            inputs.theme,
            &names,
            &format!("country-labels-{i}"),
        );
        labels.items.retain(|item| {
            let Item::Text { text, .. } = item else {
                return false;
            };
            let free = !placed.contains(text)
                && super::labels::item_box(item).is_some_and(|b| placer.is_free(&b));
            if free {
                if let Some(b) = super::labels::item_box(item) {
                    placer.block(b);
                }
                placed.insert(text.clone());
            }
            free
        });
        layers.push(labels);
    }
    layers.reverse();
    layers
}
