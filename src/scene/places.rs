//! Where venues are on screen, and where the ones outside the view are shown: at the edge of the map, where
//! the great circle from the centre of the view to them leaves it, with an arrow pointing to where they
//! are on the map (from wherever the marker slid to, to keep clear of what is in view).

use std::sync::{Arc, Mutex, PoisonError};

use foldhash::HashMap;
use geo::{Distance as _, Haversine, InterpolatePoint as _, Point};

use super::Pt;
use super::cache::{PlacesKey, ProjectionKey, ViewKey};
use super::labels::{Box2, text_width};
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::{Scenario, VenueId};

/// How far inside the map's edge the edge markers sit, in points.
pub const EDGE_INSET: f32 = 18.0;

/// How far an edge marker may slide along its edge to keep clear: this many steps of 4 points.
const MAX_SLIDE_STEPS: usize = 120;
/// How far (in steps of 4 points) an edge marker may step inside, past an export's decorations.
const MAX_INWARD_STEPS: usize = 50;

/// The size of a venue's label at its largest (an active venue), for the room kept around it.
const LABEL_SIZE: f32 = 12.5;

/// The room an in-view venue at `at` named `name` may need: its dot, its label on any side, its row of
/// badges above or below. An edge marker keeps out of it, so that in-view things win.
pub fn venue_room(at: Pt, name: &str) -> Box2 {
    let half_w = (text_width(name, LABEL_SIZE) + 8.0).max(38.0);
    [at[0] - half_w, at[1] - 28.0, at[0] + half_w, at[1] + 28.0]
}

/// The room an edge marker at `at`, pointing `toward`, needs: its arrow, and its label and badges, which
/// go inward from the edge.
pub fn marker_room(at: Pt, toward: Pt, name: &str) -> Box2 {
    let w = text_width(name, LABEL_SIZE) + 14.0;
    let [x, y] = at;
    if toward[0] < -0.3 {
        [x - 9.0, y - 26.0, x + w, y + 26.0]
    } else if toward[0] > 0.3 {
        [x - w, y - 26.0, x + 9.0, y + 26.0]
    } else if toward[1] < 0.0 {
        [x - w / 2.0, y - 9.0, x + w / 2.0, y + 52.0]
    } else {
        [x - w / 2.0, y - 52.0, x + w / 2.0, y + 9.0]
    }
}

fn overlaps(a: &Box2, b: &Box2) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// A venue's place on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub at: Pt,
    /// For a venue outside the view, shown at the edge: the unit direction (on screen) it lies in.
    pub toward: Option<Pt>,
}

/// The screen places of a scenario's venues for one camera.
#[derive(Debug)]
pub struct Places<'a> {
    projection: &'a Projection,
    camera: &'a Camera,
    inset: Box2,
    center_geo: Option<Point>,
    venues: Vec<Option<Placed>>,
    locations: Vec<Option<Point>>,
    routes: Routes,
}

/// The great circles between venues, projected (world coordinates): while the clock plays, the same flows
/// and trips are drawn frame after frame, and a move of the camera only changes where the world lands on
/// screen, so each arc is worked out once (a point on a great circle and its projection cost
/// trigonometry: hundreds of flows of up to 48 points each were a fifth of a busy frame). Kept while the
/// projection and the venues' positions stay; shared by the frames that keep one [`VenuePlaces`] (one
/// frame at a time: a copy of a `VenuePlaces` starts a table of its own).
#[derive(Debug, Default)]
struct Routes(Arc<Mutex<RouteTable>>);

impl Clone for Routes {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl Routes {
    /// The same table, for the [`Places`] of a frame.
    fn shared(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

#[derive(Debug, Default)]
struct RouteTable {
    /// What the arcs were projected with and between.
    key: Option<(ProjectionKey, Vec<Option<[u64; 2]>>)>,
    arcs: HashMap<(VenueId, VenueId), Arc<WorldArc>>,
}

/// A great circle's points, projected (`None` where the projection has no place for one).
type WorldArc = [Option<crate::geo_math::projection::World>];

/// At most this many arcs are kept; past it the table starts again (a story with tens of thousands of
/// venue pairs in view at once is summed into at most [`super::contacts::aggregate::MAX_FLOWS`] flows).
const MAX_KEPT_ARCS: usize = 20_000;

impl Routes {
    /// Forgets the arcs unless they were projected with `projection` between `scenario`'s venues as they
    /// are.
    fn keep_for(&self, scenario: &Scenario, projection: &Projection) {
        let mut table = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let projection = ProjectionKey::of(projection);
        let location =
            |v: &crate::model::Venue| v.location.map(|l| [l.lon.to_bits(), l.lat.to_bits()]);
        let same = table.key.as_ref().is_some_and(|(p, locations)| {
            *p == projection
                && locations.len() == scenario.venues.len()
                && locations
                    .iter()
                    .zip(&scenario.venues)
                    .all(|(kept, v)| *kept == location(v))
        });
        if !same {
            table.arcs.clear();
            table.key = Some((projection, scenario.venues.iter().map(location).collect()));
        }
    }
}

/// Where each venue of a scenario is drawn for one camera: the costly part of [`Places`] (an edge marker
/// walks a great circle), kept by the window from frame to frame while the camera and the venues stay.
#[derive(Clone, Debug, Default)]
pub struct VenuePlaces {
    key: Option<PlacesKey>,
    venues: Vec<Option<Placed>>,
    /// Boxes edge markers keep clear of, besides the venues: an export's title, legend and other
    /// decorations, wherever the user put them.
    reserved: Vec<Box2>,
    routes: Routes,
}

impl VenuePlaces {
    /// No places worked out yet; edge markers will keep clear of `reserved` too.
    pub fn reserving(reserved: &[Box2]) -> Self {
        Self {
            reserved: reserved.to_vec(),
            ..Self::default()
        }
    }
}

impl<'a> Places<'a> {
    pub fn new(scenario: &Scenario, projection: &'a Projection, camera: &'a Camera) -> Self {
        Self::new_cached(scenario, projection, camera, &mut VenuePlaces::default())
    }

    /// As [`Places::new`], reusing the venues' places in `cache` when they were worked out for the same
    /// camera, projection and venues (and keeping them there for the next frame).
    pub fn new_cached(
        scenario: &Scenario,
        projection: &'a Projection,
        camera: &'a Camera,
        cache: &mut VenuePlaces,
    ) -> Self {
        let v = camera.viewport;
        let inset = [
            v.min[0] + EDGE_INSET,
            v.min[1] + EDGE_INSET,
            v.max[0] - EDGE_INSET,
            v.max[1] - EDGE_INSET,
        ];
        let center_geo = projection
            .unproject(camera.world_from_screen(v.center()))
            .map(|(lon, lat)| Point::new(lon, lat));
        let mut places = Self {
            projection,
            camera,
            inset,
            center_geo,
            venues: Vec::new(),
            locations: scenario
                .venues
                .iter()
                .map(|v| v.location.map(|l| Point::new(l.lon, l.lat)))
                .collect(),
            routes: cache.routes.shared(),
        };
        places.routes.keep_for(scenario, projection);
        let view = ViewKey::of(projection, camera);
        if !cache
            .key
            .as_ref()
            .is_some_and(|k| k.matches(scenario, &view))
        {
            cache.venues = (0..scenario.venues.len())
                .map(|i| places.locations[i].and_then(|p| places.place_of(p)))
                .collect();
            places.keep_markers_clear(scenario, &mut cache.venues, &cache.reserved);
            cache.key = Some(PlacesKey::of(scenario, view));
        }
        places.venues.clone_from(&cache.venues);
        places
    }

    /// Slides edge markers along their edge, as little as it takes, so that none (with its label and
    /// badges, [`marker_room`]) sits on the room of a venue in the view ([`venue_room`]) or on another edge
    /// marker's (where the great circle to a far venue happens to leave the view by a venue near the edge,
    /// the marker would hide it), nor on a `reserved` box. A marker that finds no free spot stays where it
    /// was.
    fn keep_markers_clear(
        &self,
        scenario: &Scenario,
        venues: &mut [Option<Placed>],
        reserved: &[Box2],
    ) {
        let name = |i: usize| scenario.venues.get(i).map_or("", |v| v.name.as_str());
        let mut taken: Vec<Box2> = venues
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.filter(|p| p.toward.is_none())
                    .map(|p| venue_room(p.at, name(i)))
            })
            .chain(reserved.iter().copied())
            .collect();
        let is_clear = |b: &Box2, taken: &[Box2]| taken.iter().all(|t| !overlaps(b, t));
        let b = self.inset;
        for (i, slot) in venues.iter_mut().enumerate() {
            let Some(placed) = slot.as_mut() else {
                continue;
            };
            let Some(toward) = placed.toward else {
                continue;
            };
            let at = placed.at;
            let room = |p: Pt| marker_room(p, toward, name(i));
            if !is_clear(&room(at), &taken) {
                // Along a left or right edge the marker moves up or down, else left or right: the
                // nearest edge is its own.
                let to_side = (at[0] - b[0]).abs().min((at[0] - b[2]).abs());
                let to_top_or_bottom = (at[1] - b[1]).abs().min((at[1] - b[3]).abs());
                let vertical = to_side <= to_top_or_bottom;
                // An export's decorations sit in bands along the edges: where sliding along the edge
                // finds no room, the marker steps inside, past them (the window reserves nothing, so
                // its markers only slide).
                let inward_steps = if reserved.is_empty() {
                    0
                } else {
                    MAX_INWARD_STEPS
                };
                let centre = [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0];
                let inward = |k: usize| {
                    let d = k as f32 * 4.0;
                    if vertical {
                        [at[0] + d * (centre[0] - at[0]).signum(), at[1]]
                    } else {
                        [at[0], at[1] + d * (centre[1] - at[1]).signum()]
                    }
                };
                let moved = (0..=inward_steps)
                    .flat_map(|k| {
                        let base = inward(k);
                        (0..=MAX_SLIDE_STEPS)
                            .flat_map(|k| [k as f32 * 4.0, -(k as f32) * 4.0])
                            .map(move |d| {
                                if vertical {
                                    [base[0], base[1] + d]
                                } else {
                                    [base[0] + d, base[1]]
                                }
                            })
                    })
                    .find(|&p| self.is_inside(p) && is_clear(&room(p), &taken));
                if let Some(p) = moved {
                    placed.at = p;
                    // From where it slid to, the venue lies another way.
                    if let Some(geo) = self.locations.get(i).copied().flatten() {
                        placed.toward = Some(self.pointing(p, geo, toward));
                    }
                }
            }
            taken.push(room(placed.at));
        }
    }

    pub fn projection(&self) -> &'a Projection {
        self.projection
    }

    pub fn camera(&self) -> &'a Camera {
        self.camera
    }

    /// Where the venue is drawn; `None` for a venue with no position.
    pub fn venue(&self, v: VenueId) -> Option<Placed> {
        self.venues.get(v.0 as usize).copied().flatten()
    }

    /// The point a venue is drawn at (on the map, or at its edge marker).
    pub fn point(&self, v: VenueId) -> Option<Pt> {
        self.venue(v).map(|p| p.at)
    }

    pub fn is_inside(&self, p: Pt) -> bool {
        let b = self.inset;
        p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
    }

    fn screen(&self, p: Point) -> Option<Pt> {
        self.projection
            .project(p.x(), p.y())
            .map(|w| self.camera.screen_from_world(w))
    }

    fn place_of(&self, p: Point) -> Option<Placed> {
        let screen = self.screen(p);
        if let Some(s) = screen
            && self.is_inside(s)
        {
            return Some(Placed {
                at: s,
                toward: None,
            });
        }
        // The marker sits where the great circle to the venue leaves the view; its arrow points to
        // where the venue is on the map.
        self.edge_along_great_circle(p)
            .or_else(|| screen.map(|s| self.edge_along_ray(s)))
            .map(|placed| Placed {
                toward: placed.toward.map(|d| self.pointing(placed.at, p, d)),
                ..placed
            })
    }

    /// Where the great circle from the centre of the view to `p` leaves the view.
    fn edge_along_great_circle(&self, p: Point) -> Option<Placed> {
        let from = self.center_geo?;
        let inside_at = |r: f64| {
            self.screen(Haversine.point_at_ratio_between(from, p, r))
                .filter(|s| self.is_inside(*s))
        };
        // Coarse steps find where the path leaves the view; bisection then finds the edge to a point.
        let steps = 16;
        let mut last_inside = (0.0, inside_at(0.0)?);
        let mut first_outside = None;
        for i in 1..=steps {
            let r = f64::from(i) / f64::from(steps);
            match inside_at(r) {
                Some(s) => last_inside = (r, s),
                None => {
                    first_outside = Some(r);
                    break;
                }
            }
        }
        let (mut lo, mut hi) = (last_inside.0, first_outside?);
        let mut at = last_inside.1;
        for _ in 0..12 {
            let mid = (lo + hi) / 2.0;
            match inside_at(mid) {
                Some(s) => {
                    lo = mid;
                    at = s;
                }
                None => hi = mid,
            }
        }
        // The direction of travel where the path leaves the view.
        let before = inside_at((lo - 0.01).max(0.0)).unwrap_or(self.camera.viewport.center());
        let toward = unit([at[0] - before[0], at[1] - before[1]]).or_else(|| {
            unit([
                at[0] - self.camera.viewport.center()[0],
                at[1] - self.camera.viewport.center()[1],
            ])
        })?;
        Some(Placed {
            at,
            toward: Some(toward),
        })
    }

    /// The way an edge marker at `at` points to the venue at `p`: toward where the venue is on the map
    /// (off the view), else `fallback` (a venue the projection cannot place, or one it places on the
    /// view's side of the marker, across the antimeridian say).
    fn pointing(&self, at: Pt, p: Point, fallback: Pt) -> Pt {
        let outward = self.outward(at);
        self.screen(p)
            .and_then(|s| unit([s[0] - at[0], s[1] - at[1]]))
            .filter(|d| d[0] * outward[0] + d[1] * outward[1] > 0.0)
            .unwrap_or(fallback)
    }

    /// The outward normal of the inset edge nearest to `at`.
    fn outward(&self, at: Pt) -> Pt {
        let b = self.inset;
        [
            (at[0] - b[0], [-1.0, 0.0]),
            (b[2] - at[0], [1.0, 0.0]),
            (at[1] - b[1], [0.0, -1.0]),
            (b[3] - at[1], [0.0, 1.0]),
        ]
        .into_iter()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map_or([0.0, 0.0], |(_, n)| n)
    }

    /// Where the straight line from the centre of the view to `s` meets the inset edge.
    fn edge_along_ray(&self, s: Pt) -> Placed {
        let c = self.camera.viewport.center();
        let d = [s[0] - c[0], s[1] - c[1]];
        let half_w = (self.inset[2] - self.inset[0]) / 2.0;
        let half_h = (self.inset[3] - self.inset[1]) / 2.0;
        let t = (half_w / d[0].abs().max(1e-6)).min(half_h / d[1].abs().max(1e-6));
        Placed {
            at: [c[0] + d[0] * t, c[1] + d[1] * t],
            toward: unit(d),
        }
    }

    /// The path of a trip from `from` to `to` on screen, as far as `upto` (0..1) of the way.
    ///
    /// Between two venues in the view it is the great circle (parts that bulge out of the view are left
    /// out). When an end is outside the view, shown by its edge marker, the path is a curve from the venue
    /// in the view to the marker: it sets off along the great circle, bends to meet the marker and stays
    /// inside the view, so it never runs along the map's edge. The whole trip is drawn on that curve, so a
    /// traveller reaches the marker when the trip ends.
    pub fn route(&self, from: VenueId, to: VenueId, upto: f32) -> Vec<Pt> {
        let (Some(a), Some(b)) = (
            self.locations.get(from.0 as usize).copied().flatten(),
            self.locations.get(to.0 as usize).copied().flatten(),
        ) else {
            return Vec::new();
        };
        let upto = f64::from(upto.clamp(0.0, 1.0));
        let (Some(pa), Some(pb)) = (self.venue(from), self.venue(to)) else {
            return Vec::new();
        };
        match (pa.toward.is_some(), pb.toward.is_some()) {
            (false, true) => self.curve_to_edge(pa.at, a, b, pb.at, upto, false),
            (true, false) => self.curve_to_edge(pb.at, b, a, pa.at, upto, true),
            // Both ends in the view, or both off it (the part of the great circle that crosses it, if
            // any): a whole arc is kept from frame to frame.
            _ if upto >= 1.0 => self.whole_great_circle(from, to, a, b),
            _ => self.great_circle(a, b, upto),
        }
    }

    /// As [`Places::great_circle`] all the way, the arc's projected points kept in [`Routes`].
    fn whole_great_circle(&self, from: VenueId, to: VenueId, a: Point, b: Point) -> Vec<Pt> {
        let arc = {
            let mut table = self.routes.0.lock().unwrap_or_else(PoisonError::into_inner);
            if table.arcs.len() >= MAX_KEPT_ARCS {
                table.arcs.clear();
            }
            table
                .arcs
                .entry((from, to))
                .or_insert_with(|| {
                    let steps = arc_steps(a, b);
                    (0..=steps)
                        .map(|i| {
                            let p = Haversine.point_at_ratio_between(a, b, i as f64 / steps as f64);
                            self.projection.project(p.x(), p.y())
                        })
                        .collect()
                })
                .clone()
        };
        arc.iter()
            .filter_map(|w| {
                w.map(|w| self.camera.screen_from_world(w))
                    .filter(|s| self.is_inside(*s))
            })
            .collect()
    }

    /// The great circle from `a` to `b` as far as `upto`, the parts in the view (see also
    /// [`Places::whole_great_circle`]).
    fn great_circle(&self, a: Point, b: Point, upto: f64) -> Vec<Pt> {
        let steps = arc_steps(a, b);
        (0..=steps)
            .filter_map(|i| {
                let r = i as f64 / steps as f64 * upto;
                self.screen(Haversine.point_at_ratio_between(a, b, r))
                    .filter(|s| self.is_inside(*s))
            })
            .collect()
    }

    /// A quadratic curve from `start` (the venue in the view, at `here`) to `marker` (the edge marker of
    /// the venue at `there`), leaving `start` along the great circle toward `there`. With `reverse` the
    /// trip runs from the marker to `start`: the curve is the same, walked the other way.
    fn curve_to_edge(
        &self,
        start: Pt,
        here: Point,
        there: Point,
        marker: Pt,
        upto: f64,
        reverse: bool,
    ) -> Vec<Pt> {
        let chord = ((marker[0] - start[0]).powi(2) + (marker[1] - start[1]).powi(2)).sqrt();
        // Where the great circle heads on screen as it leaves the venue.
        let heading = self
            .screen(Haversine.point_at_distance_between(here, there, 50_000.0))
            .and_then(|p| unit([p[0] - start[0], p[1] - start[1]]))
            .unwrap_or([0.0, 0.0]);
        // The control point, kept inside the view so the whole curve is (it lies in the triangle of its
        // three points, all inside).
        // Kept off the edge as well, so that the curve meets the marker at an angle rather than along
        // the edge.
        let b = self.inset;
        let margin = (b[2] - b[0]).min(b[3] - b[1]) * 0.15;
        let clamp = |v: f32, lo: f32, hi: f32| {
            if lo + margin <= hi - margin {
                v.clamp(lo + margin, hi - margin)
            } else {
                (lo + hi) / 2.0
            }
        };
        let control = [
            clamp(start[0] + heading[0] * chord * 0.5, b[0], b[2]),
            clamp(start[1] + heading[1] * chord * 0.5, b[1], b[3]),
        ];
        let at = |s: f32| {
            let u = 1.0 - s;
            [
                u * u * start[0] + 2.0 * u * s * control[0] + s * s * marker[0],
                u * u * start[1] + 2.0 * u * s * control[1] + s * s * marker[1],
            ]
        };
        let steps = ((chord / 12.0).ceil() as usize).clamp(8, 48);
        let upto = upto as f32;
        (0..=steps)
            .map(|i| {
                let s = i as f32 / steps as f32 * upto;
                at(if reverse { 1.0 - s } else { s })
            })
            .collect()
    }
}

fn unit(d: Pt) -> Option<Pt> {
    let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
    (len > 1e-6).then(|| [d[0] / len, d[1] / len])
}

#[cfg(test)]
#[path = "places_tests.rs"]
mod tests;

/// How many steps a great circle from `a` to `b` is drawn in: about one point every 1.5 degrees of arc, a
/// short trip needs few, a long one up to 48.
fn arc_steps(a: Point, b: Point) -> usize {
    let arc_deg = (Haversine.distance(a, b) / 6_371_000.0).to_degrees();
    ((arc_deg / 1.5).ceil() as usize).clamp(6, 48)
}
