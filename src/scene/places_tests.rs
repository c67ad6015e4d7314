//! Tests of the venues' places on screen and of the edge markers.

use super::*;
use crate::geo_math::camera::{ScreenRect, WorldRect};
use crate::geo_math::projection::ProjectionKind;
use crate::io::scenario::default_scenario;

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
    // The whole trip is drawn on the curve to the marker: half-way, the path is about half of it.
    let length = |p: &[Pt]| -> f32 {
        p.windows(2)
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .sum()
    };
    let half = places.route(israel, washington, 0.5);
    let ratio = length(&half) / length(&path);
    assert!(
        (0.35..0.65).contains(&ratio),
        "half-way is {ratio} of the path"
    );
    let start = places.route(israel, washington, 0.01);
    assert!(places.is_inside(*start.last().expect("a point")));
    // The other way, the trip starts at the marker.
    let back = places.route(washington, israel, 1.0);
    assert_eq!(back.first().copied(), places.point(washington));
    assert_eq!(back.last().copied(), places.point(israel));
}

/// At the wide view of an export, the great circle from the view's centre to Washington leaves the view
/// right by Ankara: the marker moves along the edge so as not to hide it.
#[test]
fn an_edge_marker_keeps_clear_of_the_venues_in_the_view() {
    let scenario = default_scenario().scenario;
    let projection = crate::scene::view::regional_projection();
    for (w, h) in [
        (1920.0, 1080.0),
        (800.0, 600.0),
        (500.0, 580.0),
        (1280.0, 400.0),
    ] {
        let viewport = ScreenRect::from_size(w, h);
        let camera = crate::scene::view::fitted_camera(&projection, &scenario, viewport);
        let places = Places::new(&scenario, &projection, &camera);
        let washington = places
            .venue(scenario.venue_by_id("washington").expect("venue"))
            .expect("placed");
        assert!(washington.toward.is_some(), "at the edge at {w}x{h}");
        let [x, y] = washington.at;
        let b = places.inset;
        let on_edge = (x - b[0]).abs() < 0.5
            || (x - b[2]).abs() < 0.5
            || (y - b[1]).abs() < 0.5
            || (y - b[3]).abs() < 0.5;
        assert!(on_edge, "on the edge at {w}x{h}: {x},{y}");
        let marker = marker_room(
            washington.at,
            washington.toward.expect("edge"),
            "Washington",
        );
        for (i, venue) in scenario.venues.iter().enumerate() {
            let Some(p) = places.venue(VenueId(i as u32)) else {
                continue;
            };
            if p.toward.is_none() {
                assert!(
                    !overlaps(&marker, &venue_room(p.at, &venue.name)),
                    "Washington's marker at {x},{y} is on {} at {:?}, {w}x{h}",
                    venue.name,
                    p.at
                );
            }
        }
    }
}

/// Two far venues in about the same direction would have their markers on top of each other: the
/// second slides along the edge until it is clear of the first.
#[test]
fn edge_markers_keep_clear_of_each_other() {
    let text = crate::io::scenario::DEFAULT_SCENARIO_TOML.replacen(
        "[[venues]]\nid = \"israel\"",
        "[[venues]]\nid = \"new-york\"\nname = \"New York\"\nkind = \"city\"\ncountry = \"US\"\n\
         time_zone = \"America/New_York\"\nlon = -74.006\nlat = 40.7128\n\n[[venues]]\nid = \"israel\"",
        1,
    );
    let scenario = crate::io::scenario::parse("s.toml", &text)
        .expect("valid")
        .scenario;
    let projection = crate::scene::view::regional_projection();
    let camera = crate::scene::view::fitted_camera(
        &projection,
        &scenario,
        ScreenRect::from_size(1000.0, 700.0),
    );
    let places = Places::new(&scenario, &projection, &camera);
    let marker = |id: &str, name: &str| {
        let placed = places
            .venue(scenario.venue_by_id(id).expect("venue"))
            .expect("placed");
        let toward = placed.toward.unwrap_or_else(|| panic!("{id} at the edge"));
        marker_room(placed.at, toward, name)
    };
    let (washington, new_york) = (
        marker("washington", "Washington"),
        marker("new-york", "New York"),
    );
    assert!(
        !overlaps(&washington, &new_york),
        "{washington:?} and {new_york:?} overlap"
    );
}

/// The window keeps the venues' places from frame to frame: a new camera or a moved venue must give
/// what a fresh computation gives.
#[test]
fn kept_places_follow_the_camera_and_the_venues() {
    let mut scenario = default_scenario().scenario;
    let projection = crate::scene::view::regional_projection();
    let viewport = ScreenRect::from_size(1000.0, 700.0);
    let camera = crate::scene::view::fitted_camera(&projection, &scenario, viewport);
    let all = |places: &Places<'_>, scenario: &Scenario| -> Vec<Option<Placed>> {
        (0..scenario.venues.len())
            .map(|i| places.venue(VenueId(i as u32)))
            .collect()
    };
    let mut cache = VenuePlaces::default();
    let first = Places::new_cached(&scenario, &projection, &camera, &mut cache);
    assert_eq!(
        all(&first, &scenario),
        all(&Places::new(&scenario, &projection, &camera), &scenario)
    );
    for moved in [
        camera.panned([120.0, -40.0]),
        camera.zoomed_around([500.0, 350.0], 2.0),
        camera.with_viewport(ScreenRect::from_size(600.0, 700.0)),
    ] {
        let kept = Places::new_cached(&scenario, &projection, &moved, &mut cache);
        let fresh = Places::new(&scenario, &projection, &moved);
        assert_eq!(all(&kept, &scenario), all(&fresh, &scenario));
    }
    let tehran = scenario.venue_by_id("tehran").expect("venue");
    if let Some(at) = &mut scenario.venues[tehran.0 as usize].location {
        at.lon -= 3.0;
    }
    let kept = Places::new_cached(&scenario, &projection, &camera, &mut cache);
    let fresh = Places::new(&scenario, &projection, &camera);
    assert_eq!(all(&kept, &scenario), all(&fresh, &scenario));
    assert_ne!(all(&kept, &scenario), all(&first, &scenario));
}

/// The window keeps the great circles between venues from frame to frame (in world coordinates): after
/// a camera move, a moved venue or another projection, each route must be what working it out afresh
/// gives.
#[test]
fn kept_routes_follow_the_camera_the_venues_and_the_projection() {
    let mut scenario = default_scenario().scenario;
    let viewport = ScreenRect::from_size(1000.0, 700.0);
    let regional = crate::scene::view::regional_projection();
    let mercator = ProjectionKind::WebMercator.projection();
    let pairs: Vec<(VenueId, VenueId)> = ["ankara", "tehran", "doha", "cairo", "washington"]
        .iter()
        .map(|id| scenario.venue_by_id(id).expect("venue"))
        .collect::<Vec<_>>()
        .windows(2)
        .map(|w| (w[0], w[1]))
        .collect();
    let fresh_route = |places: &Places<'_>, (a, b): (VenueId, VenueId)| {
        let (Some(pa), Some(pb)) = (
            places.locations[a.0 as usize],
            places.locations[b.0 as usize],
        ) else {
            return Vec::new();
        };
        places.great_circle(pa, pb, 1.0)
    };
    let mut cache = VenuePlaces::default();
    let mut checked = 0;
    let mut check = |scenario: &Scenario, projection: &Projection, camera: &Camera| {
        let kept = Places::new_cached(scenario, projection, camera, &mut cache);
        for &(a, b) in &pairs {
            let (Some(pa), Some(pb)) = (kept.venue(a), kept.venue(b)) else {
                continue;
            };
            if pa.toward.is_some() != pb.toward.is_some() {
                continue; // a curve to an edge marker, not a great circle
            }
            // Twice: the second reads the kept arc.
            for _ in 0..2 {
                assert_eq!(kept.route(a, b, 1.0), fresh_route(&kept, (a, b)));
            }
            checked += 1;
        }
    };
    let camera = crate::scene::view::fitted_camera(&regional, &scenario, viewport);
    check(&scenario, &regional, &camera);
    check(&scenario, &regional, &camera.panned([120.0, -40.0]));
    check(
        &scenario,
        &regional,
        &camera.zoomed_around([500.0, 350.0], 0.5),
    );
    let tehran = scenario.venue_by_id("tehran").expect("venue");
    if let Some(at) = &mut scenario.venues[tehran.0 as usize].location {
        at.lon -= 3.0;
        at.lat += 2.0;
    }
    check(&scenario, &regional, &camera);
    let camera = crate::scene::view::fitted_camera(&mercator, &scenario, viewport);
    check(&scenario, &mercator, &camera);
    assert!(checked >= 8, "only {checked} great circles checked");
}

/// At a wide view the great circle to Washington leaves by the left edge while Washington's marker is
/// on the top edge: the route must still bend smoothly to the marker, not turn at the edge and run
/// along it or across the map.
#[test]
fn a_route_to_an_edge_marker_bends_smoothly_and_keeps_off_the_edge() {
    let scenario = default_scenario().scenario;
    let projection = crate::scene::view::regional_projection();
    let israel = scenario.venue_by_id("israel").expect("venue");
    let washington = scenario.venue_by_id("washington").expect("venue");
    for (w, h) in [
        (1920.0, 1080.0),
        (800.0, 600.0),
        (500.0, 580.0),
        (1280.0, 400.0),
    ] {
        let viewport = ScreenRect::from_size(w, h);
        let camera = crate::scene::view::fitted_camera(&projection, &scenario, viewport);
        let places = Places::new(&scenario, &projection, &camera);
        let path = places.route(israel, washington, 1.0);
        let marker = places.point(washington).expect("placed");
        assert_eq!(path.last().copied(), Some(marker), "at {w}x{h}");
        for p in &path {
            assert!(places.is_inside(*p), "{p:?} outside the view at {w}x{h}");
        }
        for t in path.windows(3) {
            let (d1, d2) = (
                [t[1][0] - t[0][0], t[1][1] - t[0][1]],
                [t[2][0] - t[1][0], t[2][1] - t[1][1]],
            );
            let (n1, n2) = (d1[0].hypot(d1[1]), d2[0].hypot(d2[1]));
            if n1 < 1e-3 || n2 < 1e-3 {
                continue;
            }
            let cos = (d1[0] * d2[0] + d1[1] * d2[1]) / (n1 * n2);
            assert!(
                cos > 30f32.to_radians().cos(),
                "the route turns by {:.0} degrees at {:?} ({w}x{h})",
                cos.clamp(-1.0, 1.0).acos().to_degrees(),
                t[1]
            );
        }
        let b = places.inset;
        for p in &path {
            let to_edge = (p[0] - b[0])
                .min(b[2] - p[0])
                .min(p[1] - b[1])
                .min(b[3] - p[1]);
            let to_marker = (p[0] - marker[0]).hypot(p[1] - marker[1]);
            assert!(
                to_edge > 6.0 || to_marker < 40.0,
                "{p:?} runs along the edge, {to_marker} points from the marker ({w}x{h})"
            );
        }
    }
}
