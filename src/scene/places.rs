//! Where venues are on screen, and where the ones outside the view are shown: at the edge of the map, in
//! the direction they lie (along the great circle from the centre of the view), with an arrow.

use geo::{Distance as _, Haversine, InterpolatePoint as _, Point};

use super::Pt;
use super::labels::Box2;
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::{Scenario, VenueId};

/// How far inside the map's edge the edge markers sit, in points.
pub const EDGE_INSET: f32 = 18.0;

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
}

impl<'a> Places<'a> {
    pub fn new(scenario: &Scenario, projection: &'a Projection, camera: &'a Camera) -> Self {
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
            venues: Vec::with_capacity(scenario.venues.len()),
            locations: scenario
                .venues
                .iter()
                .map(|v| v.location.map(|l| Point::new(l.lon, l.lat)))
                .collect(),
        };
        places.venues = (0..scenario.venues.len())
            .map(|i| places.locations[i].and_then(|p| places.place_of(p)))
            .collect();
        places
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
        self.edge_along_great_circle(p)
            .or_else(|| screen.map(|s| self.edge_along_ray(s)))
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

    /// The great-circle path from `from` to `to`, as far as `upto` (0..1) of the way, on screen. Parts
    /// outside the view are left out; an end outside the view is replaced by its edge marker, so the path
    /// runs to the marker.
    pub fn route(&self, from: VenueId, to: VenueId, upto: f32) -> Vec<Pt> {
        let (Some(a), Some(b)) = (
            self.locations.get(from.0 as usize).copied().flatten(),
            self.locations.get(to.0 as usize).copied().flatten(),
        ) else {
            return Vec::new();
        };
        // About one point every 1.5 degrees of arc: a short trip needs few, a long one up to 48.
        let arc_deg = (Haversine.distance(a, b) / 6_371_000.0).to_degrees();
        let steps = ((arc_deg / 1.5).ceil() as usize).clamp(6, 48);
        let mut out = Vec::with_capacity(steps + 3);
        let mut left_view = false;
        for i in 0..=steps {
            let r = i as f64 / steps as f64 * f64::from(upto.clamp(0.0, 1.0));
            let on_screen = self
                .screen(Haversine.point_at_ratio_between(a, b, r))
                .filter(|s| self.is_inside(*s));
            match on_screen {
                Some(s) => out.push(s),
                None if i == 0 => {
                    if let Some(m) = self.point(from) {
                        out.push(m);
                    }
                }
                None => left_view = true,
            }
        }
        if left_view && let Some(m) = self.point(to) {
            out.push(m);
        }
        out
    }
}

fn unit(d: Pt) -> Option<Pt> {
    let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
    (len > 1e-6).then(|| [d[0] / len, d[1] / len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::camera::{ScreenRect, WorldRect};
    use crate::io::scenario::default_scenario;
    use crate::ui::map_view::ProjectionKind;

    fn region_camera(projection: &Projection) -> Camera {
        let mut bounds = WorldRect::EMPTY;
        for (lon, lat) in [(25.0, 24.0), (55.0, 24.0), (25.0, 42.0), (55.0, 42.0)] {
            bounds.extend(projection.project(lon, lat).expect("in range"));
        }
        Camera::fit(bounds, ScreenRect::from_size(800.0, 600.0), 20.0)
    }

    #[test]
    fn venues_in_view_are_where_they_are_and_far_ones_at_the_edge() {
        let scenario = default_scenario().scenario;
        let projection = ProjectionKind::RegionalConic.projection();
        let camera = region_camera(&projection);
        let places = Places::new(&scenario, &projection, &camera);
        let ankara = places
            .venue(scenario.venue_by_id("ankara").expect("venue"))
            .expect("placed");
        assert_eq!(ankara.toward, None);
        let washington = places
            .venue(scenario.venue_by_id("washington").expect("venue"))
            .expect("placed");
        let toward = washington.toward.expect("at the edge");
        let [x, y] = washington.at;
        let on_edge = (x - EDGE_INSET).abs() < 0.5
            || (y - EDGE_INSET).abs() < 0.5
            || (x - (800.0 - EDGE_INSET)).abs() < 0.5
            || (y - (600.0 - EDGE_INSET)).abs() < 0.5;
        assert!(on_edge, "Washington's marker at {x},{y} is on the edge");
        // Washington lies to the west-north-west: the arrow points left.
        assert!(toward[0] < -0.5, "arrow {toward:?}");
    }

    #[test]
    fn a_route_to_a_venue_outside_the_view_ends_at_its_edge_marker() {
        let scenario = default_scenario().scenario;
        let projection = ProjectionKind::RegionalConic.projection();
        let camera = region_camera(&projection);
        let places = Places::new(&scenario, &projection, &camera);
        let israel = scenario.venue_by_id("israel").expect("venue");
        let washington = scenario.venue_by_id("washington").expect("venue");
        let path = places.route(israel, washington, 1.0);
        assert!(path.len() > 3);
        assert_eq!(path.first().copied(), places.point(israel));
        assert_eq!(path.last().copied(), places.point(washington));
        assert!(
            path.iter()
                .all(|p| p[0] >= 0.0 && p[0] <= 800.0 && p[1] >= 0.0 && p[1] <= 600.0)
        );
        // Half-way, the traveller is over Europe or the Atlantic, outside the view: the path still ends at
        // the marker.
        let half = places.route(israel, washington, 0.5);
        assert_eq!(half.last().copied(), places.point(washington));
        let start = places.route(israel, washington, 0.01);
        assert!(places.is_inside(*start.last().expect("a point")));
    }
}
