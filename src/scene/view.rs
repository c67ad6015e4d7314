//! Which part of the world a map shows: the default projection, the scenario's fitted view, and views
//! given by a bounding box or by a centre and a zoom level. The window and the exports share these, so an
//! export "without a view option" shows what the window shows after a fit.
//!
//! The fit rule ([`fitted_camera_for`]): every venue where a contact is held (a meeting, a mediation, a
//! statement, a build-up) is inside the view, with room for its label, its badges and its area's circle,
//! at any size. A venue that is only a participant's home base, a trip's or a move's end, or a call's or
//! a message's far end is inside too, unless including it would leave less than [`FAR_SHRINK`] of the
//! scale (the rest shrunk beyond reading): then it stays an edge marker. The legend keeps clear.

use super::Theme;
use super::labels::{Box2, layer_box, text_width};
use super::places::EDGE_INSET;
use crate::basemap::region::REGION;
use crate::geo_math::camera::{Camera, MAX_SCALE, MIN_SCALE, ScreenRect, WorldRect};
use crate::geo_math::projection::{Lambert, Projection, ProjectionKind, World};
use crate::model::{Contact, ContactId, PARALLEL_PASS, Place, Scenario, VenueId, fold_chunks};

/// Points left free around the scenario when the view is fitted to it.
pub const FIT_MARGIN_PT: f32 = 48.0;

/// The lowest and highest zoom levels a view can be given at (see [`zoom_camera`]).
pub const ZOOM_RANGE: std::ops::RangeInclusive<f64> = 0.0..=15.0;

/// The Lambert conformal conic fitted to the region of the embedded detailed layer (the app's default).
pub fn regional_projection() -> Projection {
    let [sw, ne] = REGION;
    Projection::LambertConic(Lambert::for_band((sw.x + ne.x) / 2.0, sw.y, ne.y))
}

/// Where a story is: the longitude at its middle and its band of latitudes, from the venues where its
/// contacts are held ([`Need::Always`]; all its located venues if none is). `None` when it has no located
/// venue, or when they all lie in the default [`REGION`] (whose projection then serves).
pub fn story_band(scenario: &Scenario) -> Option<StoryBand> {
    let framed = framed_venues(scenario, None);
    let held: Vec<VenueId> = framed
        .iter()
        .filter(|(_, need)| *need == Need::Always)
        .map(|&(v, _)| v)
        .collect();
    let venues: Vec<VenueId> = if held.is_empty() {
        (0..scenario.venues.len() as u32).map(VenueId).collect()
    } else {
        held
    };
    let points: Vec<(f64, f64)> = venues
        .iter()
        .filter_map(|&v| scenario.venue(v).location)
        .filter(|p| p.lon.is_finite() && p.lat.is_finite())
        .map(|p| (p.lon, p.lat))
        .collect();
    if points.is_empty() {
        return None;
    }
    let [sw, ne] = REGION;
    if points
        .iter()
        .all(|&(lon, lat)| (sw.x..=ne.x).contains(&lon) && (sw.y..=ne.y).contains(&lat))
    {
        return None;
    }
    // The middle longitude on the circle, so that a story across the antimeridian is centred on it.
    let (sin, cos) = points.iter().fold((0.0, 0.0), |(s, c), &(lon, _)| {
        (s + lon.to_radians().sin(), c + lon.to_radians().cos())
    });
    let central = sin.atan2(cos).to_degrees();
    let south = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let north = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    // At least 20 degrees of band, so that one place is shown in its surroundings.
    let middle = (south + north) / 2.0;
    let half = ((north - south) / 2.0 + 5.0).max(10.0);
    Some(StoryBand {
        central_lon: central,
        south: (middle - half).max(-85.0),
        north: (middle + half).min(85.0),
    })
}

/// Where a story is ([`story_band`]): its middle longitude and its band of latitudes, in degrees. Found
/// once per scenario (the app keeps it with the document), not per frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StoryBand {
    pub central_lon: f64,
    pub south: f64,
    pub north: f64,
}

impl ProjectionKind {
    /// The projection for the region of the embedded detailed layer (the default story's).
    pub fn projection(self) -> Projection {
        match self {
            Self::RegionalConic => regional_projection(),
            Self::WebMercator => Projection::WebMercator { central_lon: 0.0 },
        }
    }

    /// The projection for `scenario`: fitted to the band where its contacts are held, so that a story in
    /// Caracas or Seoul is drawn as true to shape as one in Ankara ([`story_band`]); the default region's
    /// when the story lies in it.
    pub fn projection_for(self, scenario: &Scenario) -> Projection {
        self.projection_in(story_band(scenario))
    }

    /// The projection for a story in `band` (see [`ProjectionKind::projection_for`]); `None` for the
    /// default region's.
    pub fn projection_in(self, band: Option<StoryBand>) -> Projection {
        match (self, band) {
            (_, None) => self.projection(),
            (Self::RegionalConic, Some(b)) => {
                Projection::LambertConic(Lambert::for_band(b.central_lon, b.south, b.north))
            }
            (Self::WebMercator, Some(b)) => Projection::WebMercator {
                central_lon: b.central_lon,
            },
        }
    }
}

/// Why a venue is in the fitted view ([`framed_venues`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// A contact is held there (a meeting, a mediation, a statement, a build-up): always inside.
    Always,
    /// Only a home base a contact is drawn from, a trip's end, a call's or a message's far end: inside
    /// unless that would shrink the rest below [`FAR_SHRINK`] of its scale (then an edge marker).
    IfNear,
}

/// A venue that is only a base or a far end is framed only if the view with it keeps at least this share
/// of the scale of the view without it (closer than that, the rest would shrink beyond reading).
pub const FAR_SHRINK: f64 = 0.6;

/// The smallest part of the world a fitted view shows, in world units (about 700 km): a story at one
/// place is shown with its surroundings, not at the closest zoom.
const MIN_SPAN: f64 = 0.11;

/// The venues the fitted view frames, for the contacts `shown` (all when `None`), each with why
/// ([`Need`]): the venue of every contact held at one, the ends of trips and moves, and the bases of the
/// participants drawn at home (the callers, the parties to a message or a mediation with no venue, the
/// hosts). Venues with no position are left out.
pub fn framed_venues(scenario: &Scenario, shown: Option<&[ContactId]>) -> Vec<(VenueId, Need)> {
    let needs = match shown {
        Some(ids) => needs_of(scenario, ids, PARALLEL_PASS, |id| {
            scenario.contacts.get(id.0 as usize)
        }),
        None => needs_of(scenario, &scenario.contacts, PARALLEL_PASS, Some),
    };
    needs
        .into_iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let v = VenueId(i as u32);
            n.filter(|_| scenario.venue(v).location.is_some())
                .map(|n| (v, n))
        })
        .collect()
}

/// What each venue must be framed for, by venue index, for the contacts of `items` (read with
/// `contact`); on every core from `parallel_from` items on.
fn needs_of<'s, T: Sync>(
    scenario: &'s Scenario,
    items: &'s [T],
    parallel_from: usize,
    contact: impl Fn(&'s T) -> Option<&'s Contact> + Sync + Send,
) -> Vec<Option<Need>> {
    let venues = scenario.venues.len();
    fold_chunks(
        items,
        parallel_from,
        || vec![None; venues],
        |needs, chunk| add_needs(scenario, chunk.iter().filter_map(&contact), needs),
        |mut needs, other| {
            for (slot, n) in needs.iter_mut().zip(other) {
                *slot = match (*slot, n) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            needs
        },
    )
}

/// Adds to `needs` (by venue index) what `contacts` need framed.
fn add_needs<'s>(
    scenario: &Scenario,
    contacts: impl Iterator<Item = &'s Contact>,
    needs: &mut [Option<Need>],
) {
    let mut need = |v: VenueId, n: Need| {
        if let Some(slot) = needs.get_mut(v.0 as usize) {
            *slot = Some(slot.map_or(n, |old| old.min(n)));
        }
    };
    for c in contacts {
        match c.place {
            Place::At(v) => need(v, Need::Always),
            Place::Route { from, to, .. } => {
                need(from, Need::IfNear);
                need(to, Need::IfNear);
            }
            Place::None => {}
        }
        for p in &c.participants {
            if let Some(base) = scenario.actor(p.actor).based_at {
                need(base, Need::IfNear);
            }
        }
    }
}

/// What of a venue the fitted view must hold: its point, its area's circle, the width of its label.
#[derive(Clone, Copy, Debug)]
struct Framed {
    point: World,
    extent: WorldRect,
    label_w: f32,
}

fn framed(projection: &Projection, scenario: &Scenario, v: VenueId) -> Option<Framed> {
    let venue = scenario.venue(v);
    let at = venue.location?;
    let point = projection.project(at.lon, at.lat)?;
    let mut extent = WorldRect::EMPTY;
    extent.extend(point);
    if let (Some(km), Some(scale)) = (venue.radius_km, projection.local_scale(at.lon, at.lat)) {
        let r = km * scale / 6371.0;
        extent.extend([point[0] - r, point[1] - r]);
        extent.extend([point[0] + r, point[1] + r]);
    }
    Some(Framed {
        point,
        extent,
        label_w: text_width(&venue.name, 12.5),
    })
}

/// The room kept free around the framed venues, in points (left, top, right, bottom): the edge markers'
/// inset, a label on either side, the badges above, and [`FIT_MARGIN_PT`] at least; in a small viewport,
/// at most 15% of its width on each side and 12% of its height above and below.
fn margins(label_w: f32, viewport: ScreenRect) -> [f32; 4] {
    let side = (EDGE_INSET + 12.0 + label_w * 0.55)
        .max(FIT_MARGIN_PT)
        .min(viewport.width() * 0.15);
    let top = (FIT_MARGIN_PT + 10.0).min(viewport.height() * 0.12);
    let bottom = FIT_MARGIN_PT.min(viewport.height() * 0.12);
    [side, top, side, bottom]
}

/// The share of the scale a view may give up to keep the legend (or a reserved box) clear; past it, the
/// box may cover a venue rather than shrink the map beyond reading.
const MAX_SHRINK_FOR_ROOM: f64 = 0.6;

/// The scale that shows `bounds` in `viewport` with `m` points (left, top, right, bottom) free.
fn scale_for(bounds: &WorldRect, viewport: ScreenRect, m: [f32; 4]) -> f64 {
    let w = f64::from((viewport.width() - m[0] - m[2]).max(1.0));
    let h = f64::from((viewport.height() - m[1] - m[3]).max(1.0));
    (w / bounds.width().max(MIN_SPAN)).min(h / bounds.height().max(MIN_SPAN))
}

/// The camera that shows `bounds` in `viewport` with `m` points free, centred in what is left.
fn camera_for(bounds: &WorldRect, viewport: ScreenRect, m: [f32; 4]) -> Camera {
    let scale = scale_for(bounds, viewport, m).clamp(MIN_SCALE, MAX_SCALE);
    let inner = [
        (viewport.min[0] + m[0] + viewport.max[0] - m[2]) / 2.0,
        (viewport.min[1] + m[1] + viewport.max[1] - m[3]) / 2.0,
    ];
    let vc = viewport.center();
    let c = bounds.center();
    Camera {
        center: [
            c[0] - f64::from(inner[0] - vc[0]) / scale,
            c[1] + f64::from(inner[1] - vc[1]) / scale,
        ],
        scale,
        viewport,
    }
}

/// The venues framed for `viewport`: every [`Need::Always`] venue, then, nearest first, each
/// [`Need::IfNear`] one that keeps the scale above [`FAR_SHRINK`] of the scale without it. With no
/// `Always` venue, the venue most contacts name starts the frame.
fn choose(
    projection: &Projection,
    scenario: &Scenario,
    venues: &[(VenueId, Need)],
    viewport: ScreenRect,
) -> Vec<Framed> {
    let mut chosen: Vec<Framed> = Vec::new();
    let mut optional: Vec<Framed> = Vec::new();
    for &(v, need) in venues {
        if let Some(f) = framed(projection, scenario, v) {
            match need {
                Need::Always => chosen.push(f),
                Need::IfNear => optional.push(f),
            }
        }
    }
    if chosen.is_empty() && !optional.is_empty() {
        chosen.push(optional.remove(0));
    }
    let bounds_of = |fs: &[Framed]| fs.iter().fold(WorldRect::EMPTY, |b, f| b.union(&f.extent));
    let label_of = |fs: &[Framed]| fs.iter().map(|f| f.label_w).fold(0.0, f32::max);
    let center = bounds_of(&chosen).center();
    let dist = |f: &Framed| (f.point[0] - center[0]).hypot(f.point[1] - center[1]);
    optional.sort_by(|a, b| dist(a).total_cmp(&dist(b)));
    for f in optional {
        let before = scale_for(
            &bounds_of(&chosen),
            viewport,
            margins(label_of(&chosen), viewport),
        );
        let mut with = chosen.clone();
        with.push(f);
        let after = scale_for(
            &bounds_of(&with),
            viewport,
            margins(label_of(&with), viewport),
        );
        if after >= before * FAR_SHRINK {
            chosen = with;
        }
    }
    chosen
}

/// The world rectangle the fitted view shows for a 16:9 screen (see [`fitted_camera`]): the framed
/// venues with their areas, else the region of the detailed layer.
pub fn fit_bounds(projection: &Projection, scenario: &Scenario) -> WorldRect {
    let chosen = choose(
        projection,
        scenario,
        &framed_venues(scenario, None),
        ScreenRect::from_size(1920.0, 1080.0),
    );
    let bounds = chosen
        .iter()
        .fold(WorldRect::EMPTY, |b, f| b.union(&f.extent));
    if bounds.is_empty() {
        region_bounds(projection)
    } else {
        bounds
    }
}

fn region_bounds(projection: &Projection) -> WorldRect {
    let [sw, ne] = REGION;
    let mut bounds = WorldRect::EMPTY;
    for (lon, lat) in [(sw.x, sw.y), (ne.x, sw.y), (sw.x, ne.y), (ne.x, ne.y)] {
        if let Some(w) = projection.project(lon, lat) {
            bounds.extend(w);
        }
    }
    bounds
}

/// The view the window opens on (F, the default view): the whole story, clear of the legend.
pub fn fitted_camera(projection: &Projection, scenario: &Scenario, viewport: ScreenRect) -> Camera {
    fitted_camera_for(projection, scenario, None, viewport, true)
}

/// The view that frames the contacts `shown` (all when `None`, the filtered ones when the user filters):
/// every venue where one is held inside with its label, badges and area, and the bases and far ends
/// that fit without shrinking the rest beyond reading ([`FAR_SHRINK`]); the others stay edge markers.
/// With `legend`, the window's legend at the top right keeps clear of the framed venues: when one would
/// fall under it, the view leaves room beside or below it, whichever shows more. A folded legend takes
/// no room on the map, and the fit keeps none for it.
pub fn fitted_camera_for(
    projection: &Projection,
    scenario: &Scenario,
    shown: Option<&[ContactId]>,
    viewport: ScreenRect,
    legend: bool,
) -> Camera {
    fitted_camera_for_venues(
        projection,
        scenario,
        None,
        &framed_venues(scenario, shown),
        viewport,
        legend,
    )
}

/// As [`fitted_camera_for`], the venues to frame ([`framed_venues`]) found by the caller: the window
/// keeps them while the list stays (finding them reads every contact listed, a million in a large story,
/// and the window fits again as its panels settle); the legend's rows are read from `index` when given.
pub fn fitted_camera_for_venues(
    projection: &Projection,
    scenario: &Scenario,
    index: Option<&crate::model::contact_index::ContactIndex>,
    venues: &[(VenueId, Need)],
    viewport: ScreenRect,
    legend: bool,
) -> Camera {
    let reserved: Vec<Box2> = if legend {
        legend_box(scenario, index, viewport).into_iter().collect()
    } else {
        Vec::new()
    };
    fitted_camera_of_venues(projection, scenario, venues, viewport, &reserved)
}

/// The box the window's legend takes in `viewport` (at its top right).
pub fn legend_box(
    scenario: &Scenario,
    index: Option<&crate::model::contact_index::ContactIndex>,
    viewport: ScreenRect,
) -> Option<Box2> {
    let probe = Camera::fit(WorldRect::EMPTY, viewport, 0.0);
    layer_box(&super::contacts::legend_summing(
        scenario,
        index,
        &probe,
        &Theme::light(),
        None,
        None,
    ))
}

/// As [`fitted_camera_for`], keeping the framed venues clear of the `reserved` boxes only (an export's
/// decorations, wherever it puts them, or the window's legend): a box a venue would fall under gets room
/// beside or below (above) it, whichever shows more.
pub fn fitted_camera_clear_of(
    projection: &Projection,
    scenario: &Scenario,
    shown: Option<&[ContactId]>,
    viewport: ScreenRect,
    reserved: &[Box2],
) -> Camera {
    fitted_camera_of_venues(
        projection,
        scenario,
        &framed_venues(scenario, shown),
        viewport,
        reserved,
    )
}

/// As [`fitted_camera_clear_of`], the venues to frame given.
fn fitted_camera_of_venues(
    projection: &Projection,
    scenario: &Scenario,
    venues: &[(VenueId, Need)],
    viewport: ScreenRect,
    reserved: &[Box2],
) -> Camera {
    let chosen = choose(projection, scenario, venues, viewport);
    let bounds = chosen
        .iter()
        .fold(WorldRect::EMPTY, |b, f| b.union(&f.extent));
    if bounds.is_empty() {
        return Camera::fit(region_bounds(projection), viewport, FIT_MARGIN_PT);
    }
    let label_w = chosen.iter().map(|f| f.label_w).fold(0.0, f32::max);
    let m = margins(label_w, viewport);
    let camera = camera_for(&bounds, viewport, m);
    let boxes: Vec<Box2> = reserved.to_vec();
    // Whether a framed venue, its label or its badges would fall under `b`.
    let covers = |c: &Camera, b: &Box2| {
        chosen.iter().any(|f| {
            let [x, y] = c.screen_from_world(f.point);
            // As the margins: half a label either side, the badges above.
            let pad = f.label_w * 0.55 + 12.0;
            x + pad > b[0] && x - pad < b[2] && y - 30.0 < b[3] && y + 20.0 > b[1]
        })
    };
    let covering: Vec<Box2> = boxes.into_iter().filter(|b| covers(&camera, b)).collect();
    if covering.is_empty() {
        return camera;
    }
    // For each covering box, room beside it or below (above) it: every combination, the largest view
    // that no box covers wins.
    let vc = viewport.center();
    let room = |m: [f32; 4], b: &Box2, beside: bool| {
        let mut m = m;
        if beside {
            if (b[0] + b[2]) / 2.0 > vc[0] {
                m[2] = m[2].max(viewport.max[0] - b[0] + 8.0);
            } else {
                m[0] = m[0].max(b[2] - viewport.min[0] + 8.0);
            }
        } else if (b[1] + b[3]) / 2.0 > vc[1] {
            m[3] = m[3].max(viewport.max[1] - b[1] + 8.0);
        } else {
            m[1] = m[1].max(b[3] - viewport.min[1] + 8.0);
        }
        m
    };
    let n = covering.len().min(4);
    (0..1u32 << n)
        .map(|bits| {
            let m = covering
                .iter()
                .take(n)
                .enumerate()
                .fold(m, |m, (i, b)| room(m, b, bits & (1 << i) != 0));
            camera_for(&bounds, viewport, m)
        })
        .filter(|c| {
            c.scale >= camera.scale * MAX_SHRINK_FOR_ROOM && !covering.iter().any(|b| covers(c, b))
        })
        .max_by(|a, b| a.scale.total_cmp(&b.scale))
        .unwrap_or(camera)
}

/// A view that shows the box from `west`,`south` to `east`,`north` (degrees) whole, edge to edge. A box
/// whose west is east of its east crosses the antimeridian. `None` when no part of it can be projected.
pub fn bbox_camera(
    projection: &Projection,
    [west, south, east, north]: [f64; 4],
    viewport: ScreenRect,
) -> Option<Camera> {
    let east = if east < west { east + 360.0 } else { east };
    let mut bounds = WorldRect::EMPTY;
    // Along the edges, not only at the corners: a conic's parallels are curved.
    let n = 32;
    for i in 0..=n {
        let t = f64::from(i) / f64::from(n);
        let lon = west + t * (east - west);
        let lat = south + t * (north - south);
        for (lo, la) in [(lon, south), (lon, north), (west, lat), (east, lat)] {
            let lo = crate::geo_math::projection::wrap_lon(lo);
            if let Some(w) = projection.project(lo, la) {
                bounds.extend(w);
            }
        }
    }
    (!bounds.is_empty()).then(|| Camera::fit(bounds, viewport, 0.0))
}

/// A view centred on `lon`,`lat` at web-map zoom level `zoom`: the equator would be 256 x 2^zoom points
/// long, as on web maps (zoom 0 shows the whole world in 256 points, each level doubles). `None` when the
/// centre cannot be projected.
pub fn zoom_camera(
    projection: &Projection,
    lon: f64,
    lat: f64,
    zoom: f64,
    viewport: ScreenRect,
) -> Option<Camera> {
    let center = projection.project(lon, lat)?;
    let scale = 256.0 * zoom.exp2() / std::f64::consts::TAU;
    Some(Camera {
        center,
        scale: scale.clamp(MIN_SCALE, MAX_SCALE),
        viewport,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounding_box_is_shown_whole_and_fills_one_side() {
        let projection = regional_projection();
        let viewport = ScreenRect::from_size(1600.0, 900.0);
        let camera = bbox_camera(&projection, [26.0, 36.0, 45.0, 42.0], viewport).expect("a view");
        let mut touches = false;
        for (lon, lat) in [(26.0, 36.0), (45.0, 36.0), (26.0, 42.0), (45.0, 42.0)] {
            let p = camera.screen_from_world(projection.project(lon, lat).expect("projects"));
            assert!(
                p[0] > -0.5 && p[0] < 1600.5 && p[1] > -0.5 && p[1] < 900.5,
                "{lon},{lat} at {p:?}"
            );
            touches |= p[0].abs() < 1.0 || (p[0] - 1600.0).abs() < 1.0;
        }
        assert!(touches, "the box should span the width");
    }

    #[test]
    fn each_zoom_level_doubles_the_scale() {
        let projection = Projection::WebMercator { central_lon: 0.0 };
        let viewport = ScreenRect::from_size(800.0, 600.0);
        let z4 = zoom_camera(&projection, 32.85, 39.93, 4.0, viewport).expect("view");
        let z5 = zoom_camera(&projection, 32.85, 39.93, 5.0, viewport).expect("view");
        assert!((z5.scale / z4.scale - 2.0).abs() < 1e-9);
        // At zoom 4 the equator is 4096 points long.
        assert!((z4.scale * std::f64::consts::TAU - 4096.0).abs() < 1e-6);
        let ankara = z4.screen_from_world(projection.project(32.85, 39.93).expect("projects"));
        assert!((ankara[0] - 400.0).abs() < 1e-3 && (ankara[1] - 300.0).abs() < 1e-3);
    }

    fn in_view(camera: &Camera, projection: &Projection, scenario: &Scenario, id: &str) -> bool {
        let v = scenario.venue_by_id(id).expect("a venue");
        let at = scenario.venue(v).location.expect("located");
        let p = camera.screen_from_world(projection.project(at.lon, at.lat).expect("projects"));
        let m = EDGE_INSET + 20.0;
        let vp = camera.viewport;
        p[0] > vp.min[0] + m && p[0] < vp.max[0] - m && p[1] > vp.min[1] + m && p[1] < vp.max[1] - m
    }

    #[test]
    fn the_venues_to_frame_read_in_parallel_are_those_read_in_one_pass() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let all: Vec<ContactId> = scenario.chronological();
        let some: Vec<ContactId> = all.iter().copied().step_by(3).collect();
        let of = |id: &ContactId| scenario.contacts.get(id.0 as usize);
        for ids in [&all[..], &some[..], &all[..1], &[]] {
            let one_pass = needs_of(&scenario, ids, usize::MAX, of);
            assert!(ids.is_empty() || one_pass.iter().any(Option::is_some));
            for parallel_from in [1, 2, 5, 8] {
                assert_eq!(
                    needs_of(&scenario, ids, parallel_from, of),
                    one_pass,
                    "{} contacts, parallel from {parallel_from}",
                    ids.len()
                );
            }
        }
        assert_eq!(
            needs_of(&scenario, &scenario.contacts, 2, Some),
            needs_of(&scenario, &all, usize::MAX, of),
            "every contact, read from the list of contacts"
        );
    }

    #[test]
    fn venues_where_something_is_held_are_always_framed_and_far_bases_only_when_near() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let needs = framed_venues(&scenario, None);
        let need = |id: &str| {
            let v = scenario.venue_by_id(id).expect("a venue");
            needs.iter().find(|(w, _)| *w == v).map(|(_, n)| *n)
        };
        assert_eq!(need("ankara"), Some(Need::Always), "the planned meeting");
        assert_eq!(need("gulf"), Some(Need::Always), "the build-up");
        assert_eq!(
            need("washington"),
            Some(Need::IfNear),
            "only a trip's far end"
        );
        assert_eq!(need("cairo"), Some(Need::IfNear), "only Sisi's base");
        assert_eq!(need("air-force-one"), None, "no position");
        let projection = regional_projection();
        // Without the visit to Washington, Washington is only a base: too far to frame.
        let only = scenario.chronological();
        let visit = scenario
            .contact_by_id("zamir-visits-washington")
            .expect("the visit");
        let shown: Vec<ContactId> = only.into_iter().filter(|&c| c != visit).collect();
        for (w, h) in [(1280.0, 720.0), (1920.0, 1080.0), (3840.0, 2160.0)] {
            let viewport = ScreenRect::from_size(w, h);
            let camera = fitted_camera_for(&projection, &scenario, Some(&shown), viewport, true);
            for id in ["ankara", "turkiye", "tehran", "doha", "cairo"] {
                assert!(
                    in_view(&camera, &projection, &scenario, id),
                    "{id} at {w}x{h}"
                );
            }
            assert!(!in_view(&camera, &projection, &scenario, "washington"));
        }
    }

    #[test]
    fn an_areas_circle_is_framed_whole() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let projection = regional_projection();
        let camera = fitted_camera(&projection, &scenario, ScreenRect::from_size(1280.0, 720.0));
        let gulf = scenario.venue(scenario.venue_by_id("gulf").expect("the Gulf"));
        let at = gulf.location.expect("located");
        let c = camera.screen_from_world(projection.project(at.lon, at.lat).expect("projects"));
        let r = gulf.radius_km.expect("a radius") as f32
            * (projection.local_scale(at.lon, at.lat).expect("a scale") * camera.scale / 6371.0)
                as f32;
        assert!(r > 50.0);
        assert!(c[0] - r >= 0.0 && c[0] + r <= 1280.0, "{c:?} {r}");
        assert!(c[1] - r >= 0.0 && c[1] + r <= 720.0, "{c:?} {r}");
    }

    #[test]
    fn a_reserved_box_keeps_the_framed_venues_clear() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let projection = regional_projection();
        let viewport = ScreenRect::from_size(1280.0, 720.0);
        let plain = fitted_camera(&projection, &scenario, viewport);
        // A title box over the top left, where the fitted view puts a venue.
        let title: Box2 = [0.0, 0.0, 360.0, 80.0];
        let under = |cam: &Camera| {
            framed_venues(&scenario, None)
                .iter()
                .filter(|(_, need)| *need == Need::Always)
                .any(|&(v, _)| {
                    scenario.venue(v).location.is_some_and(|at| {
                        let p = cam.screen_from_world(
                            projection.project(at.lon, at.lat).expect("projects"),
                        );
                        p[0] < title[2] && p[1] < title[3] && p[0] > 0.0 && p[1] > 0.0
                    })
                })
        };
        assert!(under(&plain), "the test needs a venue under the box");
        let clear = fitted_camera_clear_of(&projection, &scenario, None, viewport, &[title]);
        assert!(!under(&clear));
    }

    /// A narrow map (the window with its side panels open) still shows the story, not the whole world.
    #[test]
    fn a_narrow_map_still_frames_the_story_readably() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let projection = regional_projection();
        let wide = fitted_camera(&projection, &scenario, ScreenRect::from_size(1280.0, 720.0));
        for (w, h) in [(240.0, 580.0), (500.0, 580.0)] {
            let camera = fitted_camera(&projection, &scenario, ScreenRect::from_size(w, h));
            // Scaled to the narrow side, about as much of the world as the wide view.
            let expected = wide.scale * f64::from(w) / 1280.0;
            assert!(
                camera.scale > expected * 0.4,
                "{w}x{h}: {} vs {expected}",
                camera.scale
            );
            assert!(in_view(&camera, &projection, &scenario, "tehran") || w < 300.0);
        }
    }

    #[test]
    fn the_projection_follows_the_story() {
        // The default story lies in the default region: its projection is the region's.
        let default = crate::io::scenario::default_scenario().scenario;
        assert_eq!(story_band(&default), None);
        assert_eq!(
            ProjectionKind::RegionalConic.projection_for(&default),
            regional_projection()
        );
        // Rounds in Caracas, Mexico City and Havana: a conic centred on the Caribbean.
        for example in crate::io::scenario::examples::EXAMPLES {
            let (loaded, _) = example.load().expect("an example loads");
            let band = story_band(&loaded.scenario);
            if example.file_name.starts_with("eln") {
                let b = band.expect("outside the default region");
                assert!((-95.0..=-65.0).contains(&b.central_lon), "{b:?}");
                assert!(b.south < 4.0 && b.north > 23.0, "{b:?}");
                assert_ne!(
                    ProjectionKind::RegionalConic.projection_for(&loaded.scenario),
                    regional_projection()
                );
            }
            if example.file_name.starts_with("oman") {
                // Rome and Muscat: between them, not over the Atlantic towards Washington.
                let b = band.expect("Rome is outside the default region");
                assert!((10.0..=60.0).contains(&b.central_lon), "{b:?}");
            }
        }
    }
}
