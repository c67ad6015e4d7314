//! Large stories on the map (issue 14, "fluid at scale"): when more contacts go on in the view than can be
//! read, the map draws flows and totals instead of each mark, says so in the legend (the window's and the
//! exports', from one scene), and goes back to each mark when the user zooms in or filters.

use demarche::geo_math::camera::{Camera, ScreenRect, WorldRect};
use demarche::geo_math::projection::Projection;
use demarche::io::scenario::{default_scenario, parse};
use demarche::model::LINGER;
use demarche::model::contact_index::ContactIndex;
use demarche::model::{ContactId, Scenario};
use demarche::scene::contacts::aggregate::{self, Ends, LEGIBLE, Shown};
use demarche::scene::contacts::{TRAIL, presence};
use demarche::scene::map::{MapInputs, build};
use demarche::scene::places::Places;
use demarche::scene::{Item, Scene, Theme};
use demarche::synth::{SynthSize, scenario_toml};
use jiff::{SignedDuration, Timestamp};

const SIZE: [f32; 2] = [1600.0, 900.0];

fn synth(contacts: usize) -> Scenario {
    let text = scenario_toml(
        SynthSize {
            contacts,
            actors: 300,
            venues: 200,
        },
        11,
    );
    parse("synthetic.toml", &text).expect("valid").scenario
}

fn projection() -> Projection {
    demarche::scene::settings::MapSettings::default().projection()
}

fn fitted(scenario: &Scenario, projection: &Projection) -> Camera {
    Camera::fit(
        demarche::scene::view::fit_bounds(projection, scenario),
        ScreenRect::from_size(SIZE[0], SIZE[1]),
        demarche::scene::view::FIT_MARGIN_PT,
    )
}

/// A camera on a small box around `lon, lat` (half a degree each way).
fn zoomed(projection: &Projection, lon: f64, lat: f64) -> Camera {
    let mut bounds = WorldRect::EMPTY;
    for (dx, dy) in [(-0.5, -0.5), (0.5, 0.5)] {
        bounds.extend(projection.project(lon + dx, lat + dy).expect("projects"));
    }
    Camera::fit(bounds, ScreenRect::from_size(SIZE[0], SIZE[1]), 20.0)
}

fn t(s: &str) -> Timestamp {
    s.parse().expect("a timestamp")
}

fn live(scenario: &Scenario, at: Timestamp) -> Vec<ContactId> {
    scenario
        .chronological()
        .into_iter()
        .filter(|&id| presence(scenario.contact(id), at, TRAIL).is_some())
        .collect()
}

fn scene(scenario: &Scenario, projection: &Projection, camera: &Camera, at: Timestamp) -> Scene {
    let order = scenario.chronological();
    build(&MapInputs {
        projection,
        camera,
        theme: &Theme::light(),
        scenario: Some(scenario),
        order: &order,
        index: None,
        basemap: &[],
        time: Some(at),
        trail: TRAIL,
        pulse: None,
        selection: None,
        legend: true,
        new_since: None,
    })
}

fn texts(scene: &Scene, layer: &str) -> Vec<String> {
    scene.layer(layer).map_or_else(Vec::new, |l| {
        l.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    })
}

/// A moment of the generated year when many contacts go on at once.
const BUSY: &str = "2026-06-15T12:00:00Z";

#[test]
fn a_busy_view_is_summed_and_the_legend_says_how_many() {
    let scenario = synth(60_000);
    let projection = projection();
    let camera = fitted(&scenario, &projection);
    let at = t(BUSY);
    let ids = live(&scenario, at);
    assert!(
        ids.len() > LEGIBLE,
        "the test needs a busy moment: {}",
        ids.len()
    );
    let places = Places::new(&scenario, &projection, &camera);
    let Shown::Summed { contacts } = aggregate::shown(&scenario, &ids, &places) else {
        panic!(
            "{} contacts going on in the view are drawn one by one",
            ids.len()
        );
    };

    // Every contact with a place is counted once, in a flow or a total.
    let sums = aggregate::sums(&scenario, &ids);
    let counted: usize = sums
        .flows
        .iter()
        .chain(&sums.totals)
        .map(|(_, s)| s.count)
        .sum();
    let placed = ids
        .iter()
        .filter(|&&id| aggregate::ends(&scenario, scenario.contact(id)).is_some())
        .count();
    assert_eq!(counted, placed);
    assert_eq!(contacts, placed);
    assert!(
        sums.flows
            .iter()
            .all(|(e, _)| matches!(e, Ends::Two(a, b) if a < b))
    );
    assert!(sums.totals.iter().all(|(e, _)| matches!(e, Ends::One(_))));
    assert!(
        sums.flows.windows(2).all(|w| w[0].1.count >= w[1].1.count),
        "flows come largest first"
    );

    // The map draws the sums, not the marks: at most one line per flow and one disc per total in view.
    let scene = scene(&scenario, &projection, &camera, at);
    let items = &scene.layer("contacts").expect("a contacts layer").items;
    let lines = items
        .iter()
        .filter(|i| matches!(i, Item::Polyline { .. }))
        .count();
    let discs = items
        .iter()
        .filter(|i| matches!(i, Item::Circle { .. }))
        .count();
    assert!(
        lines <= sums.flows.len() && lines > 0,
        "{lines} lines for {} flows",
        sums.flows.len()
    );
    assert!(discs <= sums.totals.len() && discs > 0);
    // The largest flow is drawn widest, with the width its count gives.
    let widest = items
        .iter()
        .filter_map(|i| match i {
            Item::Polyline { width, .. } => Some(*width),
            _ => None,
        })
        .fold(0.0_f32, f32::max);
    assert!((widest - aggregate::flow_width(sums.flows[0].1.count)).abs() < 1e-3);

    let legend = texts(&scene, "legend");
    let said = format!(
        "{} contacts, summed:",
        demarche::diagnostics::thousands(placed)
    );
    assert!(legend.contains(&said), "legend: {legend:?}");
    assert!(legend.iter().any(|l| l.starts_with("Flow")));
}

#[test]
fn zooming_in_brings_back_each_mark() {
    let scenario = synth(60_000);
    let projection = projection();
    let at = t(BUSY);
    // Around the venue with the fewest contacts going on: a view few of them reach.
    let ids = live(&scenario, at);
    let sums = aggregate::sums(&scenario, &ids);
    let (Ends::One(quiet), _) = sums.totals.last().expect("totals") else {
        unreachable!()
    };
    let at_venue = scenario.venue(*quiet).location.expect("placed");
    let camera = zoomed(&projection, at_venue.lon, at_venue.lat);
    let places = Places::new(&scenario, &projection, &camera);
    assert_eq!(aggregate::shown(&scenario, &ids, &places), Shown::Each);
    let scene = scene(&scenario, &projection, &camera, at);
    let legend = texts(&scene, "legend");
    assert!(!legend.iter().any(|l| l.contains("summed")), "{legend:?}");
}

#[test]
fn a_small_story_is_never_summed() {
    let scenario = default_scenario().scenario;
    let projection = projection();
    let camera = fitted(&scenario, &projection);
    for day in [
        "2026-01-30T12:00:00Z",
        "2026-01-31T12:00:00Z",
        "2026-02-01T12:00:00Z",
    ] {
        let ids = live(&scenario, t(day));
        let places = Places::new(&scenario, &projection, &camera);
        assert_eq!(aggregate::shown(&scenario, &ids, &places), Shown::Each);
        let scene = scene(&scenario, &projection, &camera, t(day));
        assert!(!texts(&scene, "legend").iter().any(|l| l.contains("summed")));
    }
}

#[test]
fn ends_follow_the_place_rule() {
    let scenario = synth(12);
    for contact in &scenario.contacts {
        let ends = aggregate::ends(&scenario, contact);
        match contact.place {
            demarche::model::Place::At(v) => assert_eq!(ends, Some(Ends::One(v))),
            demarche::model::Place::Route { from, to, .. } if from != to => {
                assert_eq!(ends, Some(Ends::Two(from.min(to), from.max(to))));
            }
            _ => {
                // Between where the parties are based.
                let bases: Vec<_> = contact
                    .participants
                    .iter()
                    .filter_map(|p| scenario.actor(p.actor).based_at)
                    .collect();
                match ends.expect("generated actors all have a base") {
                    Ends::One(v) => assert!(bases.iter().all(|&b| b == v)),
                    Ends::Two(a, b) => assert!(bases.contains(&a) && bases.contains(&b)),
                }
            }
        }
    }
}

/// Writes a generated story for trying by hand: `DEMARCHE_WRITE_SYNTH=/tmp/big.toml cargo test --test
/// aggregate write_a_story -- --ignored`.
#[test]
#[ignore = "a tool, not a test"]
fn write_a_story() {
    let path = std::env::var("DEMARCHE_WRITE_SYNTH").expect("DEMARCHE_WRITE_SYNTH");
    let n: usize =
        std::env::var("DEMARCHE_SYNTH_CONTACTS").map_or(60_000, |n| n.parse().expect("n"));
    let text = scenario_toml(
        SynthSize {
            contacts: n,
            actors: 300,
            venues: 200,
        },
        11,
    );
    std::fs::write(path, text).expect("written");
}

fn synth_seeded(contacts: usize, seed: u64) -> Scenario {
    let text = scenario_toml(
        SynthSize {
            contacts,
            actors: 40,
            venues: 30,
        },
        seed,
    );
    parse("synthetic.toml", &text).expect("valid").scenario
}

/// At every moment tried, every contact current at `t` (or ended less than `slack` ago) is among the
/// index's answer.
#[test]
fn the_answer_holds_every_contact_going_on() {
    for seed in [1, 2, 3] {
        let scenario = synth_seeded(3_000, seed);
        let index = ContactIndex::new(&scenario);
        assert!(index.fits(&scenario));
        let (from, to) = scenario.time_extent().expect("an extent");
        let step = to.duration_since(from) / 97;
        for slack in [LINGER, SignedDuration::from_hours(12), SignedDuration::ZERO] {
            let mut t = from - SignedDuration::from_hours(1);
            while t <= to + SignedDuration::from_hours(30) {
                let got = index.around(t, slack);
                assert!(got.windows(2).all(|w| w[0] < w[1]), "ascending, once each");
                for (i, c) in scenario.contacts.iter().enumerate() {
                    let ended_within = c
                        .time
                        .end
                        .is_some_and(|e| t >= e && t.duration_since(e) < slack);
                    if c.time.is_current(t, LINGER) || ended_within {
                        assert!(
                            got.binary_search(&ContactId(i as u32)).is_ok(),
                            "contact {i} ({:?}) missing at {t} with slack {slack:?}",
                            c.time.when
                        );
                    }
                }
                t += step;
            }
        }
    }
}

/// The answer is small: at a busy moment of a generated year it holds a small part of the contacts.
#[test]
fn the_answer_is_a_small_part_of_a_large_story() {
    let scenario = synth_seeded(20_000, 4);
    let index = ContactIndex::new(&scenario);
    let t: Timestamp = "2026-06-15T12:00:00Z".parse().expect("a time");
    let got = index.around(t, SignedDuration::from_hours(12));
    assert!(!got.is_empty());
    assert!(
        got.len() * 20 < scenario.contacts.len(),
        "{} of 20,000",
        got.len()
    );
}

/// The map drawn with the time index is the map drawn reading every contact: at busy and quiet moments,
/// with the whole list and a filtered one, summed and not.
#[test]
fn the_contact_index_changes_nothing_drawn() {
    let scenario = synth_seeded(4_000, 9);
    let index = ContactIndex::new(&scenario);
    let projection = projection();
    let whole = scenario.chronological();
    // A filtered list: every third contact.
    let filtered: Vec<ContactId> = whole.iter().copied().step_by(3).collect();
    let wide = fitted(&scenario, &projection);
    let venue = scenario.venues[0].location.expect("placed");
    let close = zoomed(&projection, venue.lon, venue.lat);
    let (from, to) = scenario.time_extent().expect("an extent");
    let step = to.duration_since(from) / 23;
    let mut t = from;
    let mut compared = 0;
    while t <= to {
        for order in [&whole, &filtered] {
            for camera in [&wide, &close] {
                let inputs = MapInputs {
                    projection: &projection,
                    camera,
                    theme: &Theme::light(),
                    scenario: Some(&scenario),
                    order,
                    index: None,
                    basemap: &[],
                    time: Some(t),
                    trail: TRAIL,
                    pulse: Some(0.25),
                    selection: None,
                    legend: true,
                    new_since: None,
                };
                let read_all = build(&inputs);
                let indexed = build(&MapInputs {
                    index: Some(&index),
                    ..inputs
                });
                assert!(read_all == indexed, "the map differs at {t}");
                compared += 1;
            }
        }
        t += step;
    }
    assert!(compared >= 80);
}

/// What the list follows and the "Now" panel lists come from the index: the contacts current at a time,
/// found by it, are those a reading of every contact finds; a contact's place in a time-ordered list
/// (whole or filtered) is found by bisection.
#[test]
fn current_contacts_and_their_place_in_the_list() {
    let scenario = synth_seeded(3_000, 5);
    let index = ContactIndex::new(&scenario);
    let whole = scenario.chronological();
    let filtered: Vec<ContactId> = whole.iter().copied().filter(|id| id.0 % 4 != 1).collect();
    let (from, to) = scenario.time_extent().expect("an extent");
    let step = to.duration_since(from) / 61;
    let mut t = from;
    while t <= to {
        let expected: Vec<ContactId> = (0..scenario.contacts.len() as u32)
            .map(ContactId)
            .filter(|&id| scenario.contact(id).time.is_current(t, LINGER))
            .collect();
        assert_eq!(index.current(&scenario, t), expected, "at {t}");
        t += step;
    }
    for list in [&whole, &filtered] {
        for (at, &id) in list.iter().enumerate().step_by(7) {
            assert_eq!(scenario.position_in(list, id), Some(at));
        }
    }
    let left_out = whole.iter().find(|id| id.0 % 4 == 1).expect("one left out");
    assert_eq!(scenario.position_in(&filtered, *left_out), None);
    // An index of another scenario is not trusted: every contact is read.
    let other = ContactIndex::new(&synth_seeded(10, 5));
    assert_eq!(
        other.current(&scenario, from + step * 30),
        index.current(&scenario, from + step * 30)
    );
}
