//! An edge marker stands for a venue outside the view: its arrow points toward where that venue really is
//! on the map, outward, even after the marker slid along the edge to keep clear of what is in view. Checked
//! on every example story, at several times, in fitted views at a laptop's and a desktop's size.

use demarche::geo_math::camera::{Camera, ScreenRect};
use demarche::geo_math::projection::{Projection, ProjectionKind};
use demarche::io::scenario::examples::EXAMPLES;
use demarche::model::{Scenario, VenueId};
use demarche::scene::map::{MapInputs, build};
use demarche::scene::places::{EDGE_INSET, Places};
use demarche::scene::{Item, Pt, Theme, view};
use jiff::Timestamp;

fn unit(d: Pt) -> Pt {
    let len = d[0].hypot(d[1]);
    [d[0] / len, d[1] / len]
}

fn angle_deg(a: Pt, b: Pt) -> f32 {
    let (a, b) = (unit(a), unit(b));
    (a[0] * b[0] + a[1] * b[1])
        .clamp(-1.0, 1.0)
        .acos()
        .to_degrees()
}

/// Times spread over the story: its start, three points between, its end.
fn times(scenario: &Scenario) -> Vec<Timestamp> {
    let (start, end) = scenario.time_extent().expect("a story with contacts");
    let span = end.duration_since(start);
    (0..=4)
        .map(|i| start + span.checked_mul(i).expect("span") / 4)
        .collect()
}

/// The outward normal of the edge of `viewport` nearest to `p`.
fn outward(p: Pt, viewport: ScreenRect) -> Pt {
    let d = [
        (p[0] - viewport.min[0], [-1.0, 0.0]),
        (viewport.max[0] - p[0], [1.0, 0.0]),
        (p[1] - viewport.min[1], [0.0, -1.0]),
        (viewport.max[1] - p[1], [0.0, 1.0]),
    ];
    d.into_iter()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
        .expect("four edges")
}

/// The arrows (three-vertex meshes) of a scene's venue layer: where each is centred, and the way it reads
/// as pointing (from the middle of its base to its sharpest corner), if it has one sharp corner.
fn arrows(scene: &demarche::scene::Scene) -> Vec<(Pt, Option<Pt>)> {
    scene
        .layer("venues")
        .expect("a venues layer")
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Mesh { vertices, .. } if vertices.len() == 3 => {
                let v = [vertices[0], vertices[1], vertices[2]];
                let centroid = [
                    (v[0][0] + v[1][0] + v[2][0]) / 3.0,
                    (v[0][1] + v[1][1] + v[2][1]) / 3.0,
                ];
                let corner = |i: usize| {
                    let (a, b, c) = (v[i], v[(i + 1) % 3], v[(i + 2) % 3]);
                    angle_deg([b[0] - a[0], b[1] - a[1]], [c[0] - a[0], c[1] - a[1]])
                };
                let angles = [corner(0), corner(1), corner(2)];
                let (tip, sharpest) = (0..3)
                    .map(|i| (i, angles[i]))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .expect("three corners");
                // An arrow reads as pointing one way when its tip is clearly its sharpest corner.
                let others = (0..3).filter(|&i| i != tip).map(|i| angles[i]);
                let reads = sharpest < 45.0 && others.into_iter().all(|a| a > sharpest + 20.0);
                let (a, b) = (v[(tip + 1) % 3], v[(tip + 2) % 3]);
                let base = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
                let way = [v[tip][0] - base[0], v[tip][1] - base[1]];
                Some((centroid, reads.then_some(way)))
            }
            _ => None,
        })
        .collect()
}

fn check(scenario: &Scenario, projection: &Projection, camera: &Camera, what: &str) -> usize {
    let places = Places::new(scenario, projection, camera);
    let order = scenario.chronological();
    let mut checked = 0;
    for t in times(scenario) {
        let scene = build(&MapInputs {
            projection,
            camera,
            theme: &Theme::light(),
            scenario: Some(scenario),
            order: &order,
            index: None,
            basemap: &[],
            time: Some(t),
            trail: demarche::scene::contacts::TRAIL,
            pulse: None,
            selection: None,
            legend: true,
            new_since: None,
        });
        let drawn = arrows(&scene);
        for (i, venue) in scenario.venues.iter().enumerate() {
            let Some(placed) = places.venue(VenueId(i as u32)) else {
                continue;
            };
            let Some(toward) = placed.toward else {
                continue;
            };
            let at = format!("{} ({what}, {t})", venue.name);
            // The scene draws the arrow the marker carries, where the marker is.
            let (_, arrow) = drawn
                .iter()
                .find(|(c, _)| (c[0] - placed.at[0]).hypot(c[1] - placed.at[1]) < 2.0)
                .unwrap_or_else(|| panic!("{at}: no arrow drawn at {:?}", placed.at));
            let arrow = arrow.unwrap_or_else(|| panic!("{at}: the arrow has no clear tip"));
            assert!(
                angle_deg(arrow, toward) < 1.0,
                "{at}: drawn pointing {arrow:?}, not {toward:?}"
            );
            // Outward, off the view.
            let n = outward(placed.at, camera.viewport);
            assert!(
                toward[0] * n[0] + toward[1] * n[1] > 0.0,
                "{at}: the arrow {toward:?} at {:?} points into the map",
                placed.at
            );
            // Toward where the venue is on the map.
            let location = venue.location.expect("a placed venue has a location");
            if let Some(w) = projection.project(location.lon, location.lat) {
                let s = camera.screen_from_world(w);
                let to_venue = [s[0] - placed.at[0], s[1] - placed.at[1]];
                let a = angle_deg(toward, to_venue);
                assert!(
                    a < 10.0,
                    "{at}: the arrow at {:?} points {toward:?}, {a:.0} degrees off the way to the \
                     venue (at {s:?} on the map)",
                    placed.at
                );
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn edge_markers_point_toward_their_venues_in_every_example_story() {
    let mut checked = 0;
    for example in EXAMPLES {
        let (loaded, _) = example.load().expect("a valid example");
        let scenario = &loaded.scenario;
        let projection = ProjectionKind::RegionalConic.projection_for(scenario);
        for (w, h) in [(1280.0_f32, 720.0_f32), (1920.0, 1080.0)] {
            let viewport = ScreenRect::from_size(w, h);
            let fitted = view::fitted_camera(&projection, scenario, viewport);
            let what = format!("{} at {w}x{h}", example.file_name);
            checked += check(scenario, &projection, &fitted, &what);
            // Zoomed in, more venues are off the view, and more markers slide.
            let closer = fitted.zoomed_around(viewport.center(), 2.0);
            checked += check(
                scenario,
                &projection,
                &closer,
                &format!("{what}, zoomed in"),
            );
        }
    }
    assert!(checked > 20, "only {checked} edge markers checked");
}

/// The ELN talks: Oslo (a guarantor, far to the north-east) and Brasília (far to the south-east) are edge
/// markers of the fitted view, at its top and its bottom; their arrows, as drawn, point up and down to
/// the right, not sideways or back into the map.
#[test]
fn oslo_points_up_and_brasilia_down_in_the_eln_story() {
    let example =
        demarche::io::scenario::examples::find("eln-talks-2022-2023.toml").expect("example");
    let (loaded, _) = example.load().expect("valid");
    let scenario = &loaded.scenario;
    let projection = ProjectionKind::RegionalConic.projection_for(scenario);
    let order = scenario.chronological();
    for (w, h) in [(1280.0_f32, 720.0_f32), (1920.0, 1080.0)] {
        let camera = view::fitted_camera(&projection, scenario, ScreenRect::from_size(w, h));
        let places = Places::new(scenario, &projection, &camera);
        let scene = build(&MapInputs {
            projection: &projection,
            camera: &camera,
            theme: &Theme::light(),
            scenario: Some(scenario),
            order: &order,
            index: None,
            basemap: &[],
            time: "2022-11-25T18:00:00Z".parse().ok(),
            trail: demarche::scene::contacts::TRAIL,
            pulse: None,
            selection: None,
            legend: true,
            new_since: None,
        });
        let drawn = arrows(&scene);
        let arrow = |name: &str| {
            let i = scenario
                .venues
                .iter()
                .position(|v| v.name == name)
                .unwrap_or_else(|| panic!("{name} is a venue"));
            let placed = places.venue(VenueId(i as u32)).expect("placed");
            assert!(placed.toward.is_some(), "{name} is an edge marker");
            let (_, way) = drawn
                .iter()
                .find(|(c, _)| (c[0] - placed.at[0]).hypot(c[1] - placed.at[1]) < 2.0)
                .unwrap_or_else(|| panic!("{name}'s arrow is drawn"));
            let way = way.unwrap_or_else(|| panic!("{name}'s arrow has a clear tip"));
            (placed.at, unit(way))
        };
        let (at, way) = arrow("Oslo");
        assert!((at[1] - EDGE_INSET).abs() < 1.0, "Oslo at the top: {at:?}");
        assert!(
            way[1] < -0.3 && way[0] > 0.3,
            "Oslo's arrow points up and right, not {way:?} ({w}x{h})"
        );
        let (at, way) = arrow("Brasília");
        assert!(
            (at[1] - (h - EDGE_INSET)).abs() < 1.0,
            "Brasília at the bottom: {at:?}"
        );
        assert!(
            way[1] > 0.3 && way[0] > 0.0,
            "Brasília's arrow points down and right, not {way:?} ({w}x{h})"
        );
    }
}
