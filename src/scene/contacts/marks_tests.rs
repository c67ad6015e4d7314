//! Tests of the contacts' marks (kept apart from `marks.rs` to keep it readable in one sitting).

use super::marks::{Moment, contacts};
use crate::geo_math::camera::ScreenRect;
use crate::io::scenario::default_scenario;
use crate::model::ContactId;
use crate::model::evidence::shown_grade;
use crate::model::whereabouts::whereabouts;
use crate::scene::contacts::TRAIL;
use crate::scene::look::{GradeLook, Mark, grade_look, kind_look, status_look};
use crate::scene::places::Places;
use crate::scene::{Item, view};
use crate::scene::{Rgba, Theme};
use jiff::Timestamp;

/// The contacts `order` at `t`, with nothing selected.
fn draw(
    scenario: &crate::model::Scenario,
    order: &[ContactId],
    t: Timestamp,
    pulse: Option<f32>,
    places: &Places<'_>,
    theme: &Theme,
) -> (crate::scene::SceneLayer, Vec<crate::scene::Target>) {
    let w = whereabouts(scenario, t);
    let moment = Moment {
        t,
        trail: TRAIL,
        pulse,
        whereabouts: &w,
        selection: None,
        new_since: None,
        graded: scenario.has_grades(),
    };
    contacts(scenario, order, &moment, places, theme)
}

/// The radii of the rings drawn for one contact of the default scenario at `t`, with `pulse`.
fn rings(id: &str, t: &str, pulse: Option<f32>) -> Vec<f32> {
    let scenario = default_scenario().scenario;
    let projection = view::regional_projection();
    let camera = view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
    let places = Places::new(&scenario, &projection, &camera);
    let contact = scenario.contact_by_id(id).expect("a contact");
    let t: Timestamp = t.parse().expect("a time");
    let (layer, _) = draw(&scenario, &[contact], t, pulse, &places, &Theme::light());
    let mut radii: Vec<f32> = layer
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Circle {
                radius,
                stroke: Some(_),
                ..
            } => Some(*radius),
            _ => None,
        })
        .collect();
    radii.sort_by(f32::total_cmp);
    radii
}

#[test]
fn a_meeting_going_on_pulses_and_rests_when_paused() {
    let friday = "2026-01-30T12:00:00Z";
    let at_rest = rings("fidan-hosts-araghchi", friday, None);
    assert_eq!(at_rest, [10.0]);
    // Half-way through the beat, a second ring half-way out from the marker's ring.
    assert_eq!(
        rings("fidan-hosts-araghchi", friday, Some(0.5)),
        [10.0, 17.0]
    );
    assert_eq!(
        rings("fidan-hosts-araghchi", friday, Some(0.25)),
        [10.0, 13.5]
    );
    // Once it is over it fades on the trail, without a pulse.
    assert_eq!(
        rings("fidan-hosts-araghchi", "2026-01-31T02:00:00Z", Some(0.5)),
        [10.0]
    );
}

/// A planned meeting is a dashed hollow ring: no dot, no solid ring, no pulse.
#[test]
fn a_planned_meeting_waits_without_a_pulse() {
    assert!(rings("ankara-meeting-planned", "2026-02-03T12:00:00Z", Some(0.5)).is_empty());
    let scenario = default_scenario().scenario;
    let projection = view::regional_projection();
    let camera = view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
    let places = Places::new(&scenario, &projection, &camera);
    let id = scenario
        .contact_by_id("ankara-meeting-planned")
        .expect("a contact");
    let t: Timestamp = "2026-02-03T12:00:00Z".parse().expect("a time");
    let (layer, _) = draw(&scenario, &[id], t, Some(0.5), &places, &Theme::light());
    let dashed_rings = layer
        .items
        .iter()
        .filter(|i| matches!(i, Item::Polyline { points, dash: Some(_), .. } if points.len() > 20))
        .count();
    assert_eq!(dashed_rings, 1);
    assert!(!layer.items.iter().any(|i| matches!(i, Item::Circle { .. })));
}

#[test]
fn a_call_pulses_at_both_ends() {
    let saturday = "2026-01-31T12:00:00Z";
    assert!(rings("sisi-calls-pezeshkian", saturday, None).is_empty());
    assert_eq!(
        rings("sisi-calls-pezeshkian", saturday, Some(0.5)),
        [10.0, 10.0]
    );
}

#[test]
fn a_statement_ripples_outward() {
    let saturday = "2026-01-31T12:00:00Z";
    let at_rest = rings("larijani-posts-on-x", saturday, None);
    assert_eq!(at_rest, [6.0, 11.0, 16.0]);
    // The start of a beat is the picture at rest.
    assert_eq!(rings("larijani-posts-on-x", saturday, Some(0.0)), at_rest);
    // Half a beat on, every ring has moved out by half a spacing and a new one has started.
    assert_eq!(
        rings("larijani-posts-on-x", saturday, Some(0.5)),
        [3.5, 8.5, 13.5, 18.5]
    );
}

/// A move of forces along a route is not drawn like a visit.
#[test]
fn a_military_move_along_a_route_has_its_own_line() {
    let text = crate::io::scenario::DEFAULT_SCENARIO_TOML
        .replacen(
            "id = \"zamir-visits-washington\"\nkind = \"visit\"",
            "id = \"zamir-visits-washington\"\nkind = \"military_move\"",
            1,
        )
        .replacen(
            "{ actor = \"zamir\", part = \"guest\" }",
            "{ actor = \"zamir\", part = \"initiator\" }",
            1,
        )
        .replacen(
            "to = \"washington\"\ntime = { from = 2026-01-30",
            "from = \"israel\"\nto = \"washington\"\ntime = { from = 2026-01-30",
            1,
        );
    assert_ne!(text, crate::io::scenario::DEFAULT_SCENARIO_TOML);
    let lines = |text: &str| {
        let scenario = crate::io::scenario::parse("s.toml", text)
            .expect("valid")
            .scenario;
        let projection = view::regional_projection();
        let camera =
            view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
        let places = Places::new(&scenario, &projection, &camera);
        let id = scenario
            .contact_by_id("zamir-visits-washington")
            .expect("a contact");
        let t: Timestamp = "2026-01-31T06:00:00Z".parse().expect("a time");
        let (layer, _) = draw(&scenario, &[id], t, None, &places, &Theme::light());
        layer
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Polyline { width, dash, .. } if *width > 1.2 => Some((*width, *dash)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        lines(crate::io::scenario::DEFAULT_SCENARIO_TOML),
        [(2.5 * GradeLook::FAINT.weight, None)],
        "the story's one source is graded F2: thinner lines"
    );
    assert_eq!(
        lines(&text),
        [(3.5 * GradeLook::FAINT.weight, Some([12.0, 3.0]))]
    );
}

/// Change detector: every contact of the default scenario is drawn in its kind's colour from the
/// table, and a mark with a line draws it with the table's width and dash for its status.
#[test]
fn every_mark_takes_its_colour_and_line_from_the_table() {
    let scenario = default_scenario().scenario;
    let projection = view::regional_projection();
    let camera = view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
    let places = Places::new(&scenario, &projection, &camera);
    let theme = Theme::dark();
    let mut drawn = 0;
    for (i, c) in scenario.contacts.iter().enumerate() {
        let id = ContactId(i as u32);
        let t = c.time.extent().0;
        let (layer, _) = draw(&scenario, &[id], t, Some(0.5), &places, &theme);
        let look = kind_look(c.kind, &theme);
        let rgb = |color: &Rgba| [color.0[0], color.0[1], color.0[2]];
        for item in &layer.items {
            let colors: Vec<Rgba> = match item {
                Item::Polyline { color, .. } => vec![*color],
                Item::Circle { fill, stroke, .. } => {
                    fill.iter().copied().chain(stroke.map(|s| s.1)).collect()
                }
                _ => Vec::new(),
            };
            for color in colors {
                assert_eq!(rgb(&color), rgb(&look.color), "{}", c.id);
            }
        }
        let status = status_look(c.status);
        let line = if status.tentative {
            look.tentative_line
        } else {
            look.line
        };
        let weight = grade_look(shown_grade(c, &scenario.sources)).weight;
        let line = crate::scene::look::Line {
            width: line.width * weight,
            ..line
        };
        let has_line = layer.items.iter().any(|item| {
            matches!(item, Item::Polyline { width, dash, .. }
                if *width == line.width && *dash == line.dash)
        });
        let drew_line = matches!(look.mark, Mark::Route | Mark::Link | Mark::Channel)
            && layer
                .items
                .iter()
                .any(|item| matches!(item, Item::Polyline { width, .. } if *width > 1.0));
        if drew_line {
            assert!(has_line, "{} draws {:?}", c.id, line);
        }
        drawn += usize::from(!layer.items.is_empty());
    }
    assert!(drawn > 5, "the scenario's contacts are drawn");
}

/// The meeting of Friday drawn with the review `review` (`None`: the analyst's own), pulsing.
fn meeting_reviewed(review: Option<crate::model::Review>) -> Vec<Item> {
    let mut scenario = default_scenario().scenario;
    let id = scenario
        .contact_by_id("fidan-hosts-araghchi")
        .expect("a contact");
    scenario.contacts[id.0 as usize].provenance = review.map(|review| {
        Box::new(crate::model::Provenance {
            review,
            dataset: "GDELT 2.0 events".to_owned(),
            rows: vec!["1".to_owned()],
            first_reported: None,
            sources: Some(3),
            tone: None,
        })
    });
    let projection = view::regional_projection();
    let camera = view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
    let places = Places::new(&scenario, &projection, &camera);
    let t: Timestamp = "2026-01-30T12:00:00Z".parse().expect("a time");
    let (layer, _) = draw(&scenario, &[id], t, Some(0.5), &places, &Theme::light());
    layer.items
}

#[test]
fn a_candidate_is_hollow_dotted_and_marked_and_an_accepted_one_looks_like_the_analysts_own() {
    use crate::model::Review;
    let own = meeting_reviewed(None);
    assert_eq!(meeting_reviewed(Some(Review::Accepted)), own);
    let candidate = meeting_reviewed(Some(Review::Candidate));
    let filled = |items: &[Item]| {
        items
            .iter()
            .filter(|i| {
                matches!(
                    i,
                    Item::Circle {
                        fill: Some(_),
                        stroke: None,
                        ..
                    }
                )
            })
            .count()
    };
    assert!(filled(&own) >= 1, "the analyst's meeting is a filled dot");
    assert_eq!(
        filled(&candidate),
        1,
        "only the halo of the ?: no filled dot"
    );
    assert!(
        candidate
            .iter()
            .any(|i| matches!(i, Item::Polyline { dash: Some(d), .. } if *d == crate::scene::look::CANDIDATE_LINE.dash.expect("dotted"))),
        "a dotted ring"
    );
    assert!(
        candidate
            .iter()
            .any(|i| matches!(i, Item::Text { text, .. } if text == "?")),
        "a ? beside it"
    );
    let pulses = |items: &[Item]| {
        items
            .iter()
            .filter(|i| matches!(i, Item::Circle { radius, .. } if *radius > 10.5))
            .count()
    };
    assert!(
        pulses(&own) > 0 && pulses(&candidate) == 0,
        "a lead does not pulse"
    );
    // Rejected (shown only when asked for): struck with the X, greyed.
    let rejected = meeting_reviewed(Some(Review::Rejected));
    assert!(rejected.len() > own.len(), "an X over it");
    assert_ne!(rejected, own);
}

/// The Friday meeting of the default story drawn with its one source graded `grade` (`None`: no source
/// of the story graded): the width of its ring and the opacity of its dot.
fn meeting_graded(grade: Option<&str>) -> (f32, u8) {
    let mut scenario = default_scenario().scenario;
    for source in &mut scenario.sources {
        source.grade = grade.map(|g| g.parse().expect("a grade"));
    }
    let id = scenario
        .contact_by_id("fidan-hosts-araghchi")
        .expect("a contact");
    let projection = view::regional_projection();
    let camera = view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
    let places = Places::new(&scenario, &projection, &camera);
    let t: Timestamp = "2026-01-30T12:00:00Z".parse().expect("a time");
    let (layer, _) = draw(&scenario, &[id], t, None, &places, &Theme::light());
    let ring = layer.items.iter().find_map(|i| match i {
        Item::Circle {
            radius,
            fill: None,
            stroke: Some((width, _)),
            ..
        } if *radius == 10.0 => Some(*width),
        _ => None,
    });
    let dot = layer.items.iter().find_map(|i| match i {
        Item::Circle {
            fill: Some(color),
            stroke: None,
            ..
        } => Some(color.0[3]),
        _ => None,
    });
    (ring.expect("a ring"), dot.expect("a dot"))
}

#[test]
fn a_contact_from_a_reliable_source_draws_heavier_and_more_opaque_than_from_an_unjudged_one() {
    let (a_width, a_alpha) = meeting_graded(Some("A1"));
    let (c_width, c_alpha) = meeting_graded(Some("C3"));
    let (f_width, f_alpha) = meeting_graded(Some("F2"));
    assert!(
        a_width > c_width && c_width > f_width,
        "{a_width} {c_width} {f_width}"
    );
    assert!(
        a_alpha > c_alpha && c_alpha > f_alpha,
        "{a_alpha} {c_alpha} {f_alpha}"
    );
    // By the reliability letter: B is as strong as A, whatever the credibility digit.
    assert_eq!(meeting_graded(Some("B6")), (a_width, a_alpha));
    // A story with no grade at all draws as it always did: the kind's own ring, nothing made fainter.
    let (plain_width, plain_alpha) = meeting_graded(None);
    assert_eq!(plain_width, crate::scene::look::RING.width);
    assert_eq!(plain_alpha, a_alpha);
    assert!(
        GradeLook::TIERS
            .windows(2)
            .all(|w| w[0].0.weight > w[1].0.weight)
    );
}
