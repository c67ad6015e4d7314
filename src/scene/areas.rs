//! Area venues ("the Gulf", "somewhere in Mali") as what they are: a soft translucent area with a dashed
//! edge, never a dot on a point the source did not give. The area is a venue's polygon, or the circle of
//! its `radius_km` round its centre, followed on the globe (a geodesic circle) and projected point by
//! point, so it has the right shape in any projection.

use geo::{Destination as _, Haversine, Point};

use super::look::{AREA_VENUE, AreaVenueLook};
use super::{Item, Pt, Rgba, Theme};
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::{Venue, VenueKind};

/// How many points a circle's outline is made of at most and at least (see [`outline`]).
const CIRCLE_STEPS: usize = 96;
const MIN_CIRCLE_STEPS: usize = 16;

/// Whether a venue is drawn as an area: an area venue with a radius or a polygon.
pub fn is_area(venue: &Venue) -> bool {
    venue.kind == VenueKind::Area
        && venue.location.is_some()
        && (venue.radius_km.is_some_and(|r| r > 0.0) || venue.polygon.len() >= 3)
}

/// The outline of an area venue on screen, or `None` when it is no area ([`is_area`]) or lies wholly
/// outside the view. Longitudes are unwrapped round the venue's centre, so a ring across the antimeridian
/// stays one ring.
pub fn outline(venue: &Venue, projection: &Projection, camera: &Camera) -> Option<Vec<Pt>> {
    if !is_area(venue) {
        return None;
    }
    let at = venue.location?;
    let ring: Vec<(f64, f64)> = if venue.polygon.len() >= 3 {
        venue.polygon.iter().map(|p| (p.lon, p.lat)).collect()
    } else {
        let km = venue.radius_km?;
        // Cheaply first: a circle wholly outside the view, or a few points across, needs no full ring.
        let centre_pt = camera.screen_from_world(projection.project(at.lon, at.lat)?);
        let radius_pt = projection
            .local_scale(at.lon, at.lat)
            .map_or(0.0, |s| (km * s * camera.scale / 6371.0) as f32);
        let vp = camera.viewport;
        let margin = radius_pt * 1.5 + 2.0;
        if centre_pt[0] + margin < vp.min[0]
            || centre_pt[0] - margin > vp.max[0]
            || centre_pt[1] + margin < vp.min[1]
            || centre_pt[1] - margin > vp.max[1]
        {
            return None;
        }
        // Facets within a quarter of a point of the true circle: n > pi * sqrt(2 r).
        let steps = ((std::f32::consts::PI * (2.0 * radius_pt.max(0.0)).sqrt()).ceil() as usize)
            .clamp(MIN_CIRCLE_STEPS, CIRCLE_STEPS);
        let metres = km * 1000.0;
        let centre = Point::new(at.lon, at.lat);
        (0..steps)
            .map(|i| {
                let bearing = 360.0 * i as f64 / steps as f64;
                let p = Haversine.destination(centre, bearing, metres);
                (p.x(), p.y())
            })
            .collect()
    };
    let base = projection.relative_lon(at.lon);
    let mut points: Vec<Pt> = Vec::with_capacity(ring.len() + 1);
    for (lon, lat) in ring {
        // The shortest way from the centre's longitude, so the ring does not wrap round the world.
        let d = (lon - at.lon + 540.0).rem_euclid(360.0) - 180.0;
        let lat = lat.clamp(-89.9, 89.9);
        if let Some(w) = projection.project_relative(base + d, lat) {
            points.push(camera.screen_from_world(w));
        }
    }
    if points.len() < 3 {
        return None;
    }
    let (mut min, mut max) = ([f32::MAX; 2], [f32::MIN; 2]);
    for p in &points {
        min = [min[0].min(p[0]), min[1].min(p[1])];
        max = [max[0].max(p[0]), max[1].max(p[1])];
    }
    let vp = camera.viewport;
    let meets =
        min[0] <= vp.max[0] && max[0] >= vp.min[0] && min[1] <= vp.max[1] && max[1] >= vp.min[1];
    if !meets {
        return None;
    }
    if points.first() != points.last() {
        points.push(points[0]);
    }
    Some(points)
}

/// The soft area and its dashed edge for an outline (closed), quieter when nothing goes on there.
pub fn area_items(outline: &[Pt], active: bool, theme: &Theme) -> Vec<Item> {
    let look: AreaVenueLook = AREA_VENUE;
    let (fill_alpha, edge_alpha) = if active {
        (look.fill_alpha_active, look.edge_alpha_active)
    } else {
        (look.fill_alpha, look.edge_alpha)
    };
    let mut items = Vec::with_capacity(2);
    if let Some(mesh) = fill(outline, theme.text.with_alpha(fill_alpha)) {
        items.push(mesh);
    }
    items.push(Item::Polyline {
        points: outline.to_vec(),
        width: look.edge.width,
        color: theme.text.with_alpha(edge_alpha),
        dash: look.edge.dash,
    });
    items
}

/// The inside of a closed outline, triangulated (a polygon venue may be concave).
fn fill(outline: &[Pt], color: Rgba) -> Option<Item> {
    let open = &outline[..outline.len().saturating_sub(1)];
    if open.len() < 3 {
        return None;
    }
    let data: Vec<[f64; 2]> = open
        .iter()
        .map(|p| [f64::from(p[0]), f64::from(p[1])])
        .collect();
    let mut indices: Vec<u32> = Vec::new();
    earcut::Earcut::new().earcut(data.iter().copied(), &[], &mut indices);
    (!indices.is_empty()).then(|| Item::Mesh {
        vertices: open.to_vec(),
        indices,
        fill: color,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::camera::{ScreenRect, WorldRect};
    use crate::geo_math::projection::Lambert;
    use crate::model::LonLat;

    fn venue(kind: VenueKind, radius_km: Option<f64>, polygon: Vec<LonLat>) -> Venue {
        Venue {
            id: "v".to_owned(),
            name: "somewhere in Mali".to_owned(),
            kind,
            country: "ML".to_owned(),
            time_zone_name: "UTC".to_owned(),
            time_zone: jiff::tz::TimeZone::UTC,
            location: Some(LonLat {
                lon: -4.0,
                lat: 17.0,
            }),
            radius_km,
            polygon,
            importance: 0,
        }
    }

    fn camera(projection: &Projection) -> Camera {
        let mut bounds = WorldRect::EMPTY;
        for (lon, lat) in [(-15.0, 5.0), (8.0, 28.0)] {
            bounds.extend(projection.project(lon, lat).expect("projects"));
        }
        Camera::fit(bounds, ScreenRect::from_size(1000.0, 800.0), 0.0)
    }

    #[test]
    fn a_circle_area_is_as_wide_as_its_radius_on_the_map() {
        let projection = Projection::LambertConic(Lambert::for_band(-4.0, 5.0, 28.0));
        let camera = camera(&projection);
        let v = venue(VenueKind::Area, Some(400.0), Vec::new());
        let ring = outline(&v, &projection, &camera).expect("in view");
        assert_eq!(ring.first(), ring.last(), "closed");
        let centre = camera.screen_from_world(projection.project(-4.0, 17.0).expect("projects"));
        let pt_per_km = projection.local_scale(-4.0, 17.0).expect("scale") * camera.scale / 6371.0;
        for p in &ring {
            let r = ((p[0] - centre[0]).powi(2) + (p[1] - centre[1]).powi(2)).sqrt();
            let km = f64::from(r) / pt_per_km;
            assert!((km - 400.0).abs() < 20.0, "{km} km from the centre");
        }
    }

    #[test]
    fn only_area_venues_with_an_extent_are_areas() {
        let projection = Projection::LambertConic(Lambert::for_band(-4.0, 5.0, 28.0));
        let camera = camera(&projection);
        assert!(
            outline(
                &venue(VenueKind::City, Some(10.0), Vec::new()),
                &projection,
                &camera
            )
            .is_none()
        );
        assert!(
            outline(
                &venue(VenueKind::Area, None, Vec::new()),
                &projection,
                &camera
            )
            .is_none()
        );
        let square = [(-6.0, 15.0), (-2.0, 15.0), (-2.0, 19.0), (-6.0, 19.0)]
            .map(|(lon, lat)| LonLat { lon, lat })
            .to_vec();
        let ring = outline(&venue(VenueKind::Area, None, square), &projection, &camera)
            .expect("a polygon area");
        assert_eq!(ring.len(), 5);
        let items = area_items(&ring, false, &Theme::light());
        assert!(matches!(&items[0], Item::Mesh { indices, .. } if indices.len() == 6));
        assert!(
            matches!(&items[1], Item::Polyline { dash: Some(_), .. }),
            "a dashed edge"
        );
    }

    #[test]
    fn an_area_outside_the_view_draws_nothing() {
        let projection = Projection::LambertConic(Lambert::for_band(-4.0, 5.0, 28.0));
        let camera = camera(&projection);
        let mut far = venue(VenueKind::Area, Some(100.0), Vec::new());
        far.location = Some(LonLat {
            lon: 100.0,
            lat: 40.0,
        });
        assert!(outline(&far, &projection, &camera).is_none());
    }
}
