//! The scene puts each contact at its venue, frames the story, keeps edge markers off what is in view,
//! shows the selection and tells the statuses apart: checked on small made-up stories in other regions
//! (rounds alternating between Muscat and Rome; a mediation in Doha with parties from Washington and
//! Kabul) and on the default one.

use demarche::geo_math::camera::{Camera, ScreenRect};
use demarche::geo_math::projection::Projection;
use demarche::io::scenario::{default_scenario, parse};
use demarche::model::whereabouts::{Whereabouts, whereabouts};
use demarche::model::{Place, Scenario, VenueId};
use demarche::scene::labels::{Box2, item_box};
use demarche::scene::map::{MapInputs, build_with_targets};
use demarche::scene::places::{EDGE_INSET, Places};
use demarche::scene::{Item, Pick, Scene, Target, Theme, view};
use jiff::Timestamp;

const SIZES: [(f32, f32); 4] = [
    (1280.0, 720.0),
    (1366.0, 768.0),
    (1920.0, 1080.0),
    (3840.0, 2160.0),
];

fn story(name: &str) -> Scenario {
    let path = format!("{}/tests/fixtures/scene/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse(name, &text)
        .unwrap_or_else(|e| panic!("{name} is valid: {e:?}"))
        .scenario
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("a time")
}

/// The scene of `scenario` at `t` with `camera`, and its pick targets.
fn scene(
    scenario: &Scenario,
    projection: &Projection,
    camera: &Camera,
    t: Timestamp,
    selection: Option<Pick>,
) -> (Scene, Vec<Target>) {
    let order = scenario.chronological();
    build_with_targets(&MapInputs {
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
        selection,
        legend: true,
        new_since: None,
    })
}

fn screen_of(
    projection: &Projection,
    camera: &Camera,
    scenario: &Scenario,
    v: VenueId,
) -> [f32; 2] {
    let at = scenario.venue(v).location.expect("a located venue");
    camera.screen_from_world(projection.project(at.lon, at.lat).expect("projects"))
}

fn venue(scenario: &Scenario, id: &str) -> VenueId {
    scenario.venue_by_id(id).expect("a venue")
}

fn overlaps(a: &Box2, b: &Box2) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Each round is drawn at its own venue, Muscat or Rome, with its participants' badges there: not at
/// the mediator's home.
#[test]
fn each_round_is_drawn_at_its_venue_with_its_people_there() {
    let scenario = story("muscat-rome.toml");
    let projection = view::regional_projection();
    for (w, h) in SIZES {
        let camera = view::fitted_camera(&projection, &scenario, ScreenRect::from_size(w, h));
        for (id, place, t) in [
            ("round-1", "muscat", "2025-04-12T13:00:00Z"),
            ("round-2", "rome", "2025-04-19T13:00:00Z"),
            ("round-3", "muscat", "2025-04-26T13:00:00Z"),
        ] {
            let v = venue(&scenario, place);
            let at = screen_of(&projection, &camera, &scenario, v);
            let (scene, targets) = scene(&scenario, &projection, &camera, ts(t), None);
            let contact = scenario.contact_by_id(id).expect("a contact");
            let mark = targets
                .iter()
                .find(|t| t.pick == Pick::Contact(contact))
                .unwrap_or_else(|| panic!("{id} is drawn"));
            assert!(
                (mark.center[0] - at[0]).abs() < 0.5 && (mark.center[1] - at[1]).abs() < 0.5,
                "{id} at {:?}, {place} at {at:?} ({w}x{h})",
                mark.center
            );
            // Every participant is at the venue, and their badge is drawn next to it.
            let wb = whereabouts(&scenario, ts(t));
            for p in &scenario.contact(contact).participants {
                assert_eq!(wb[p.actor.0 as usize], Some(Whereabouts::At(v)), "{id}");
                let badge = targets
                    .iter()
                    .find(|t| t.pick == Pick::Actor(p.actor))
                    .expect("a badge");
                let d = (badge.center[0] - at[0]).hypot(badge.center[1] - at[1]);
                assert!(d < 40.0, "{id}: a badge {d} points from {place}");
            }
            assert!(scene.layer("contacts").is_some_and(|l| !l.items.is_empty()));
        }
    }
}

/// A call is drawn between where its parties are at the time: the negotiator, in Doha for the talks,
/// is called there, not at home in Kabul.
#[test]
fn a_call_joins_the_parties_where_they_are() {
    let scenario = story("doha-mediation.toml");
    let projection = view::regional_projection();
    let camera = view::fitted_camera(
        &projection,
        &scenario,
        ScreenRect::from_size(1920.0, 1080.0),
    );
    let t = ts("2020-02-10T15:10:00Z");
    let doha = screen_of(&projection, &camera, &scenario, venue(&scenario, "doha"));
    let kabul = screen_of(&projection, &camera, &scenario, venue(&scenario, "kabul"));
    let (scene, _) = scene(&scenario, &projection, &camera, t, None);
    let ends: Vec<[f32; 2]> = scene
        .layer("contacts")
        .expect("contacts")
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Polyline {
                points,
                dash: Some(_),
                ..
            } if points.len() == 2 => Some(points[1]),
            _ => None,
        })
        .collect();
    let near = |p: [f32; 2], q: [f32; 2]| (p[0] - q[0]).hypot(p[1] - q[1]) < 1.0;
    assert!(
        ends.iter().any(|&e| near(e, doha)),
        "{ends:?} reaches Doha {doha:?}"
    );
    assert!(!ends.iter().any(|&e| near(e, kabul)), "not Kabul");
}

/// The fitted view frames every venue where a contact is held, with its label, at every size; a far
/// home base (Washington) stays an edge marker.
#[test]
fn the_fitted_view_frames_every_venue_where_something_is_held() {
    let projection = view::regional_projection();
    for (name, t) in [
        ("muscat-rome.toml", "2025-04-19T13:00:00Z"),
        ("doha-mediation.toml", "2020-02-29T10:00:00Z"),
    ] {
        let scenario = story(name);
        for (w, h) in SIZES {
            let viewport = ScreenRect::from_size(w, h);
            let camera = view::fitted_camera(&projection, &scenario, viewport);
            let places = Places::new(&scenario, &projection, &camera);
            let (scene, _) = scene(&scenario, &projection, &camera, ts(t), None);
            let labels: Vec<(String, Box2)> = scene
                .layer("venues")
                .expect("venues")
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { text, .. } => item_box(i).map(|b| (text.clone(), b)),
                    _ => None,
                })
                .collect();
            for c in &scenario.contacts {
                let Place::At(v) = c.place else { continue };
                let placed = places.venue(v).expect("placed");
                let name_v = &scenario.venue(v).name;
                assert!(
                    placed.toward.is_none(),
                    "{name_v} in view at {w}x{h} ({name})"
                );
                let [x, y] = placed.at;
                assert!(
                    x > EDGE_INSET + 20.0 && x < w - EDGE_INSET - 20.0,
                    "{name_v} with a margin at {w}x{h}: {x}"
                );
                assert!(y > EDGE_INSET + 20.0 && y < h - EDGE_INSET - 20.0);
                let (_, b) = labels
                    .iter()
                    .find(|(t, _)| t == name_v)
                    .unwrap_or_else(|| panic!("{name_v} is labelled at {w}x{h}"));
                assert!(b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= w && b[3] <= h);
            }
            let washington = places
                .venue(venue(&scenario, "washington"))
                .expect("placed");
            assert!(
                washington.toward.is_some(),
                "Washington is far: an edge marker"
            );
        }
    }
}

/// An edge marker, its label and its badges never cover a venue in the view, its label, its badges or
/// its contact marks.
#[test]
fn edge_markers_never_cover_what_is_in_view() {
    let projection = view::regional_projection();
    let default = default_scenario().scenario;
    let cases = [
        (story("muscat-rome.toml"), "2025-04-19T12:00:00Z"),
        (story("doha-mediation.toml"), "2020-02-10T15:10:00Z"),
        (default, "2026-01-31T12:00:00Z"),
    ];
    // Fitted views, and views that put Ankara by the top or left edge, where the way to Washington
    // leaves the map (the case where its marker and badges used to cover Ankara).
    let mut views: Vec<(f32, f32, Option<[f64; 4]>)> =
        SIZES.iter().map(|&(w, h)| (w, h, None)).collect();
    for west in [30.0, 31.0, 32.0, 32.5] {
        for north in [40.2, 40.6] {
            for span in [10.0, 24.0] {
                views.push((
                    1280.0,
                    720.0,
                    Some([west, north - span * 0.6, west + span, north]),
                ));
            }
        }
    }
    for (scenario, t) in &cases {
        for &(w, h, bbox) in &views {
            let viewport = ScreenRect::from_size(w, h);
            let camera = match bbox {
                Some(b) => view::bbox_camera(&projection, b, viewport).expect("a view"),
                None => view::fitted_camera(&projection, scenario, viewport),
            };
            let places = Places::new(scenario, &projection, &camera);
            let (scene, targets) = scene(scenario, &projection, &camera, ts(t), None);
            let mut edge: Vec<Box2> = Vec::new();
            let mut in_view: Vec<Box2> = Vec::new();
            let mut edge_names = Vec::new();
            for (i, v) in scenario.venues.iter().enumerate() {
                let Some(p) = places.venue(VenueId(i as u32)) else {
                    continue;
                };
                let b = [p.at[0] - 5.0, p.at[1] - 5.0, p.at[0] + 5.0, p.at[1] + 5.0];
                if p.toward.is_some() {
                    edge_names.push(v.name.clone());
                } else {
                    in_view.push(b);
                }
            }
            for item in &scene.layer("venues").expect("venues").items {
                let Some(b) = item_box(item) else { continue };
                match item {
                    Item::Mesh { vertices, .. } if vertices.len() == 3 => edge.push(b),
                    Item::Text { text, .. } if edge_names.contains(text) => edge.push(b),
                    Item::Text { .. } => in_view.push(b),
                    _ => {}
                }
            }
            // Badges: an actor's badge belongs to the venue they are at.
            let wb = whereabouts(scenario, ts(t));
            for target in &targets {
                let Pick::Actor(a) = target.pick else {
                    continue;
                };
                let r = 7.0;
                let [x, y] = target.center;
                let b = [x - r, y - r, x + r, y + r];
                match wb[a.0 as usize] {
                    Some(Whereabouts::At(v))
                        if places.venue(v).is_some_and(|p| p.toward.is_some()) =>
                    {
                        edge.push(b);
                    }
                    _ => in_view.push(b),
                }
            }
            for e in &edge {
                for v in &in_view {
                    assert!(!overlaps(e, v), "{e:?} covers {v:?} at {w}x{h} ({t})");
                }
            }
            // The venues in view where something goes on keep their labels: an edge marker never
            // takes their place.
            let texts: Vec<&str> = scene
                .layer("venues")
                .expect("venues")
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            for c in &scenario.contacts {
                if !c.time.is_current(ts(t), demarche::model::LINGER) {
                    continue;
                }
                for v in c.venues() {
                    if places.venue(v).is_some_and(|p| p.toward.is_none()) {
                        let name = &scenario.venue(v).name;
                        assert!(
                            texts.contains(&name.as_str()),
                            "{name} labelled, {bbox:?} {w}x{h}"
                        );
                    }
                }
            }
        }
    }
}

/// An area outside the view is not drawn as its whole circle round its edge marker.
#[test]
fn an_area_outside_the_view_is_only_its_marker() {
    let scenario = default_scenario().scenario;
    let projection = view::regional_projection();
    // A view of Ankara alone: the Gulf is far outside it.
    let camera = view::bbox_camera(
        &projection,
        [29.0, 37.5, 36.0, 42.0],
        ScreenRect::from_size(1280.0, 720.0),
    )
    .expect("a view");
    let places = Places::new(&scenario, &projection, &camera);
    let gulf = places.venue(venue(&scenario, "gulf")).expect("placed");
    assert!(gulf.toward.is_some(), "the Gulf is off the view");
    let (scene, targets) = scene(
        &scenario,
        &projection,
        &camera,
        ts("2026-01-31T12:00:00Z"),
        None,
    );
    let buildup = scenario
        .contact_by_id("us-gulf-buildup")
        .expect("the build-up");
    assert!(
        targets.iter().any(|t| t.pick == Pick::Contact(buildup)),
        "still pickable at its marker"
    );
    for item in &scene.layer("contacts").expect("contacts").items {
        if let Item::Circle { radius, .. } = item {
            assert!(*radius < 30.0, "a circle of {radius} points over the map");
        }
        if let Item::Polyline { points, .. } = item {
            assert!(
                points.len() < 24,
                "an area's outline of {} points",
                points.len()
            );
        }
    }
}

/// Selecting a contact dims the others and makes it stand out; selecting a venue rings it; selecting an
/// actor rings their badge.
#[test]
fn the_selection_changes_the_look() {
    let scenario = story("muscat-rome.toml");
    let projection = view::regional_projection();
    let camera = view::fitted_camera(
        &projection,
        &scenario,
        ScreenRect::from_size(1920.0, 1080.0),
    );
    let t = ts("2025-04-19T12:00:00Z");
    let call = scenario
        .contact_by_id("envoy-calls-mediator")
        .expect("a call");
    let round = scenario.contact_by_id("round-2").expect("a round");
    let alphas = |selection| {
        let (scene, _) = scene(&scenario, &projection, &camera, t, selection);
        let layer = scene.layer("contacts").expect("contacts").clone();
        layer
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Polyline {
                    color,
                    dash: Some(_),
                    points,
                    ..
                } if points.len() == 2 => Some(color.0[3]),
                _ => None,
            })
            .max()
    };
    // The call's dashed line: full when nothing or the call is selected, dimmed when the round is.
    let plain = alphas(None).expect("the call's line");
    assert_eq!(alphas(Some(Pick::Contact(call))), Some(plain));
    let dimmed = alphas(Some(Pick::Contact(round))).expect("still drawn");
    assert!(
        f32::from(dimmed) < f32::from(plain) * 0.5,
        "{dimmed} vs {plain}"
    );
    // A selected venue is ringed; a selected actor's badge too.
    let rings = |selection, layer: &str| {
        let (scene, _) = scene(&scenario, &projection, &camera, t, selection);
        scene
            .layer(layer)
            .expect("a layer")
            .items
            .iter()
            .filter(|i| matches!(i, Item::Circle { stroke: Some((w, _)), .. } if *w >= 2.0))
            .count()
    };
    let rome = venue(&scenario, "rome");
    assert!(rings(Some(Pick::Venue(rome)), "venues") > rings(None, "venues"));
    let envoy = scenario.actor_by_id("envoy").expect("an actor");
    assert!(rings(Some(Pick::Actor(envoy)), "actors") > rings(None, "actors"));
}

/// Held, planned, postponed and cancelled rounds look different on the map.
#[test]
fn the_statuses_look_different_on_the_map() {
    let base = std::fs::read_to_string(format!(
        "{}/tests/fixtures/scene/muscat-rome.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the story");
    let projection = view::regional_projection();
    let mut looks = Vec::new();
    for status in ["held", "planned", "postponed", "cancelled"] {
        let text = base.replacen(
            "id = \"round-3\"\nkind = \"meeting\"\nstatus = \"held\"",
            &format!("id = \"round-3\"\nkind = \"meeting\"\nstatus = \"{status}\""),
            1,
        );
        let scenario = parse("s.toml", &text).expect("valid").scenario;
        let camera =
            view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1280.0, 720.0));
        let (scene, _) = scene(
            &scenario,
            &projection,
            &camera,
            ts("2025-04-26T13:00:00Z"),
            None,
        );
        // What is drawn, by shape: filled circles, stroked circles, solid lines, dashed lines, colours.
        let mut shape: Vec<String> = scene
            .layer("contacts")
            .expect("contacts")
            .items
            .iter()
            .map(|i| match i {
                Item::Circle { fill, stroke, .. } => {
                    format!("circle {:?} {:?}", fill.map(|c| c.0), stroke.map(|s| s.1.0))
                }
                Item::Polyline { dash, color, .. } => format!("line {:?} {:?}", dash, color.0),
                other => format!("{other:?}"),
            })
            .collect();
        shape.sort();
        looks.push((status, shape));
    }
    for (i, (a, sa)) in looks.iter().enumerate() {
        for (b, sb) in &looks[i + 1..] {
            assert_ne!(sa, sb, "{a} and {b} look the same");
        }
    }
}

/// A mediation running for weeks is a thin line in the background, and in full while it starts.
#[test]
fn a_weeks_long_mediation_stays_in_the_background() {
    let scenario = story("doha-mediation.toml");
    let projection = view::regional_projection();
    let camera = view::fitted_camera(
        &projection,
        &scenario,
        ScreenRect::from_size(1920.0, 1080.0),
    );
    let talks = scenario.contact_by_id("doha-talks").expect("the talks");
    let widest = |t: &str, selection| {
        let (scene, _) = scene(&scenario, &projection, &camera, ts(t), selection);
        scene
            .layer("contacts")
            .expect("contacts")
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Polyline { width, .. } => Some(*width),
                Item::Circle {
                    stroke: Some((w, _)),
                    ..
                } => Some(*w),
                _ => None,
            })
            .fold(0.0_f32, f32::max)
    };
    // Mid-January, nothing else happens: quiet.
    assert!(widest("2020-01-20T12:00:00Z", None) <= 1.0);
    // The first hours: in full; and when selected.
    assert!(widest("2020-01-06T03:00:00Z", None) > 1.0);
    assert!(widest("2020-01-20T12:00:00Z", Some(Pick::Contact(talks))) > 1.0);
}

/// An area whose centre is just outside the view is drawn where it really is: the part of its circle
/// that reaches into the view shows, not a circle round its edge marker.
#[test]
fn an_area_partly_in_view_is_drawn_where_it_is() {
    let scenario = default_scenario().scenario;
    let projection = view::regional_projection();
    // The Gulf's centre (51.5 E) three degrees east of the view; its 450 km reach into it.
    let camera = view::bbox_camera(
        &projection,
        [30.0, 24.0, 48.5, 30.0],
        ScreenRect::from_size(1280.0, 720.0),
    )
    .expect("a view");
    let places = Places::new(&scenario, &projection, &camera);
    let gulf = venue(&scenario, "gulf");
    let marker = places.venue(gulf).expect("placed");
    assert!(marker.toward.is_some(), "the Gulf's centre is off the view");
    let real = screen_of(&projection, &camera, &scenario, gulf);
    let (scene, _) = scene(
        &scenario,
        &projection,
        &camera,
        ts("2026-01-31T12:00:00Z"),
        None,
    );
    let big: Vec<[f32; 2]> = scene
        .layer("contacts")
        .expect("contacts")
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Circle { center, radius, .. } if *radius > 30.0 => Some(*center),
            _ => None,
        })
        .collect();
    assert!(!big.is_empty(), "the area reaches into the view");
    for c in big {
        assert!(
            (c[0] - real[0]).abs() < 0.5 && (c[1] - real[1]).abs() < 0.5,
            "{c:?} vs {real:?}"
        );
    }
}
