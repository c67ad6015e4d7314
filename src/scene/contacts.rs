//! The contacts on the map at a moment, each kind with its own visual grammar:
//! - a visit: a great-circle arc from origin to destination, drawn as far as the trip has gone;
//! - a meeting: a dot and a ring at the venue, pulsing; a phone call: a dashed line between the parties'
//!   places, pulsing at both ends;
//! - a statement, interview or post: a ripple spreading from the speaker's place;
//! - a message through channels or a mediation: a dotted line between the parties (through the mediators);
//! - a military move: the area, lightly shaded, with a dashed edge; along a route, a heavy line in long
//!   dashes.
//!
//! Planned contacts are dashed or hollow; denied and cancelled ones are struck with a cross. A contact known
//! only to the day fades in and out over the day; after it ends it fades away over [`TRAIL`].

use jiff::{SignedDuration, Timestamp};

use super::places::Places;
use super::{Item, Pick, Pt, Rgba, SceneLayer, Target, Theme};
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::whereabouts::travel_progress;
use crate::model::{
    ActorId, Contact, ContactId, ContactKind, Part, Place, Precision, Scenario, Status, VenueId,
};

/// One beat of the pulses and ripples, in seconds of the viewer's time (not of the scenario's).
pub const PULSE_PERIOD_SECS: f64 = 1.6;

/// Where a pulse is in its beat (0 to 1) after `seconds` of playing.
pub fn pulse_phase(seconds: f64) -> f32 {
    (seconds / PULSE_PERIOD_SECS).rem_euclid(1.0) as f32
}

/// How long a contact stays on the map, fading, after it ends, unless the user sets another trail.
pub const TRAIL: SignedDuration = SignedDuration::from_hours(12);
pub use crate::model::LINGER;

/// Colours by kind, from the Okabe-Ito palette, which colour-blind readers can tell apart.
pub fn kind_color(kind: ContactKind, theme: &Theme) -> Rgba {
    match kind {
        ContactKind::Visit => Rgba::rgb(0x00, 0x72, 0xB2),
        ContactKind::Meeting => Rgba::rgb(0xD5, 0x5E, 0x00),
        ContactKind::PhoneCall => Rgba::rgb(0x00, 0x9E, 0x73),
        ContactKind::Statement | ContactKind::Interview | ContactKind::Post => {
            Rgba::rgb(0xCC, 0x79, 0xA7)
        }
        ContactKind::ChannelMessage => Rgba::rgb(0x56, 0xB4, 0xE9),
        ContactKind::Mediation => Rgba::rgb(0xE6, 0x9F, 0x00),
        ContactKind::MilitaryMove => theme.text,
    }
}

/// How visible a contact is at `t`, from 0 (not shown) to 1: `None` when it is not shown at all. A contact
/// known only to a day or a range fades in and out over it; after it ends it fades away over `trail`.
pub fn presence(contact: &Contact, t: Timestamp, trail: SignedDuration) -> Option<f32> {
    let time = &contact.time;
    if time.is_current(t, LINGER) {
        let alpha = match time.precision() {
            // Known to the day or a range: fade in and out rather than pretend to an hour.
            Precision::Day | Precision::PartOfDay | Precision::Range => {
                let progress = match (time.start, time.end) {
                    (Some(s), Some(e)) if e > s => ((t.as_second() - s.as_second()) as f32
                        / (e.as_second() - s.as_second()) as f32)
                        .clamp(0.0, 1.0),
                    _ => 1.0,
                };
                0.45 + 0.55 * (std::f32::consts::PI * progress).sin()
            }
            Precision::Window => 0.7,
            Precision::Ongoing | Precision::Instant => 1.0,
        };
        return Some(alpha);
    }
    let end = time.end?;
    let since = t.as_second() - end.as_second();
    let trail = trail.as_secs();
    (since >= 0 && since < trail).then(|| 0.5 * (1.0 - since as f32 / trail as f32))
}

struct Painter<'a> {
    scenario: &'a Scenario,
    projection: &'a Projection,
    camera: &'a Camera,
    places: &'a Places<'a>,
    t: Timestamp,
    /// Where the pulses are in their beat; `None` draws them at rest.
    pulse: Option<f32>,
    out: SceneLayer,
    targets: Vec<Target>,
}

impl Painter<'_> {
    /// A venue's point, or, for a venue with no position (a plane), the participant's home.
    fn place_point(&self, venue: Option<VenueId>, fallback: Option<ActorId>) -> Option<Pt> {
        venue.and_then(|v| self.places.point(v)).or_else(|| {
            fallback
                .and_then(|a| self.scenario.actor(a).based_at)
                .and_then(|v| self.places.point(v))
        })
    }

    fn line(&mut self, points: Vec<Pt>, width: f32, color: Rgba, dash: Option<[f32; 2]>) {
        if points.len() >= 2 {
            self.out.items.push(Item::Polyline {
                points,
                width,
                color,
                dash,
            });
        }
    }

    fn ring(&mut self, center: Pt, radius: f32, width: f32, color: Rgba) {
        self.out.items.push(Item::Circle {
            center,
            radius,
            fill: None,
            stroke: Some((width, color)),
        });
    }

    fn dot(&mut self, center: Pt, radius: f32, color: Rgba) {
        self.out.items.push(Item::Circle {
            center,
            radius,
            fill: Some(color),
            stroke: None,
        });
    }

    /// A ring spreading from `center` over the beat, from `from` to `to` points across, fading as it goes.
    /// At the very start of a beat there is none: the picture is the one at rest.
    fn pulse_ring(&mut self, center: Pt, from: f32, to: f32, color: Rgba) {
        if let Some(p) = self.pulse.filter(|&p| p > 0.0) {
            let alpha = f32::from(color.0[3]) * (1.0 - p);
            self.ring(
                center,
                from + (to - from) * p,
                2.0 - p,
                color.with_alpha(alpha.round() as u8),
            );
        }
    }

    fn cross(&mut self, at: Pt, color: Rgba) {
        let r = 7.0;
        self.line(
            vec![[at[0] - r, at[1] - r], [at[0] + r, at[1] + r]],
            2.0,
            color,
            None,
        );
        self.line(
            vec![[at[0] - r, at[1] + r], [at[0] + r, at[1] - r]],
            2.0,
            color,
            None,
        );
    }

    fn contact(&mut self, id: ContactId, c: &Contact, alpha: f32, theme: &Theme) {
        let base = kind_color(c.kind, theme);
        let color = base.with_alpha((alpha * 255.0).round() as u8);
        let planned = c.status == Status::Planned;
        let dash = planned.then_some([6.0, 4.0]);
        let first = |part: Part| c.with_part(part).next();
        // Pulses and ripples mark what is going on now: not what is planned, denied or cancelled, nor
        // the trail of what has ended.
        let happening = !matches!(
            c.status,
            Status::Planned | Status::Denied | Status::Cancelled
        ) && c.time.is_current(self.t, LINGER);
        let mut anchor: Option<Pt> = None;
        match (c.kind, c.place) {
            (ContactKind::Visit | ContactKind::MilitaryMove, Place::Route { from, to, .. }) => {
                let progress = if c.status == Status::Planned {
                    0.0
                } else {
                    travel_progress(self.scenario, c, self.t)
                };
                let whole = self.places.route(from, to, 1.0);
                let done = self.places.route(from, to, progress.max(0.02));
                self.line(
                    whole,
                    1.0,
                    color.with_alpha((alpha * 90.0) as u8),
                    Some([3.0, 3.0]),
                );
                if let Some(&head) = done.last() {
                    anchor = Some(head);
                    self.dot(head, 4.5, color);
                }
                if c.kind == ContactKind::MilitaryMove {
                    // A move of forces: a heavier line in long dashes, unlike a visit's.
                    let dash = if planned { [6.0, 6.0] } else { [12.0, 3.0] };
                    self.line(done, 3.5, color, Some(dash));
                } else {
                    self.line(done, 2.5, color, dash);
                }
            }
            (ContactKind::MilitaryMove, Place::At(venue)) => {
                let v = self.scenario.venue(venue);
                if let (Some(at), Some(center)) = (v.location, self.places.point(venue)) {
                    let radius = v.radius_km.map_or(30.0, |km| {
                        let pt_per_km = self
                            .projection
                            .local_scale(at.lon, at.lat)
                            .map_or(0.0, |s| s * self.camera.scale / 6371.0);
                        (km * pt_per_km) as f32
                    });
                    // Shaded lightly (the map stays readable under it), with a dashed edge.
                    self.out.items.push(Item::Circle {
                        center,
                        radius,
                        fill: Some(color.with_alpha((alpha * 22.0) as u8)),
                        stroke: None,
                    });
                    let steps = ((radius / 4.0).ceil() as usize).clamp(24, 256);
                    let edge: Vec<Pt> = (0..=steps)
                        .map(|i| {
                            let a = std::f32::consts::TAU * i as f32 / steps as f32;
                            [center[0] + radius * a.cos(), center[1] + radius * a.sin()]
                        })
                        .collect();
                    self.line(edge, 1.5, color, Some([8.0, 5.0]));
                    anchor = Some(center);
                }
            }
            (ContactKind::PhoneCall, _) => {
                let a = self.place_point(None, first(Part::Caller));
                let b = self.place_point(None, first(Part::Addressee));
                if let (Some(a), Some(b)) = (a, b) {
                    self.line(vec![a, b], 2.0, color, Some([5.0, 4.0]));
                    self.dot(a, 4.0, color);
                    self.dot(b, 4.0, color);
                    if happening {
                        self.pulse_ring(a, 4.0, 16.0, color);
                        self.pulse_ring(b, 4.0, 16.0, color);
                    }
                    anchor = Some([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]);
                }
            }
            (ContactKind::ChannelMessage | ContactKind::Mediation, _) => {
                let parties: Vec<Pt> = c
                    .participants
                    .iter()
                    .filter(|p| p.part != Part::Mediator)
                    .filter_map(|p| self.place_point(None, Some(p.actor)))
                    .collect();
                let mediators: Vec<Pt> = c
                    .with_part(Part::Mediator)
                    .filter_map(|a| self.place_point(None, Some(a)))
                    .collect();
                let dotted = Some([2.0, 4.0]);
                if mediators.is_empty() {
                    for pair in parties.windows(2) {
                        self.line(pair.to_vec(), 1.5, color, dotted);
                    }
                } else {
                    for &m in &mediators {
                        for &p in &parties {
                            self.line(vec![p, m], 1.5, color, dotted);
                        }
                        self.ring(m, 5.0, 2.0, color);
                    }
                }
                anchor = mediators.first().or(parties.first()).copied();
            }
            (ContactKind::Statement | ContactKind::Interview | ContactKind::Post, place) => {
                let venue = if let Place::At(v) = place {
                    Some(v)
                } else {
                    None
                };
                if let Some(at) = self.place_point(venue, first(Part::Speaker)) {
                    // Three rings 5 points apart, moving out by one spacing a beat while it happens: the
                    // outer one fades out as a new one starts at the centre.
                    let p = if happening {
                        self.pulse.unwrap_or(0.0)
                    } else {
                        0.0
                    };
                    for i in 0..3 {
                        let k = i as f32 + p;
                        let fade = if i == 2 { 1.0 - p } else { 1.0 };
                        self.ring(
                            at,
                            6.0 + 5.0 * k,
                            1.5,
                            color.with_alpha((alpha * 255.0 * fade / (1.0 + k)) as u8),
                        );
                    }
                    if p > 0.0 {
                        self.ring(
                            at,
                            1.0 + 5.0 * p,
                            1.5,
                            color.with_alpha((alpha * 255.0 * p) as u8),
                        );
                    }
                    anchor = Some(at);
                }
            }
            (_, place) => {
                let venue = match place {
                    Place::At(v) => Some(v),
                    Place::Route { to, .. } => Some(to),
                    Place::None => None,
                };
                if let Some(at) = self.place_point(venue, c.participants.first().map(|p| p.actor)) {
                    if planned {
                        self.ring(at, 9.0, 2.0, color);
                    } else {
                        self.dot(at, 6.0, color);
                        self.ring(at, 10.0, 2.0, color);
                        if happening {
                            self.pulse_ring(at, 10.0, 24.0, color);
                        }
                    }
                    anchor = Some(at);
                }
            }
        }
        if matches!(c.status, Status::Denied | Status::Cancelled)
            && let Some(at) = anchor
        {
            self.cross(at, color);
        }
        if let Some(center) = anchor {
            self.targets.push(Target {
                pick: Pick::Contact(id),
                center,
                radius: 10.0,
            });
        }
    }
}

/// The contacts shown at `t` (with `trail`, how long they fade after they end), in `order` (time order,
/// made once per scenario: the newest on top), and the points where each can be picked. `pulse` is where
/// the pulses of meetings and calls and the ripples of statements are in their beat ([`pulse_phase`]);
/// `None` draws them at rest (a still picture, a paused window).
pub fn contacts(
    scenario: &Scenario,
    order: &[ContactId],
    t: Timestamp,
    trail: SignedDuration,
    pulse: Option<f32>,
    places: &Places<'_>,
    theme: &Theme,
) -> (SceneLayer, Vec<Target>) {
    let mut painter = Painter {
        scenario,
        projection: places.projection(),
        camera: places.camera(),
        places,
        t,
        pulse: pulse.map(|p| p.clamp(0.0, 1.0)),
        out: SceneLayer::new("contacts"),
        targets: Vec::new(),
    };
    for &id in order {
        let contact = scenario.contact(id);
        if let Some(alpha) = presence(contact, t, trail) {
            painter.contact(id, contact, alpha, theme);
        }
    }
    (painter.out, painter.targets)
}

/// A legend of the contact kinds present in the scenario, and of the planned/denied styles, at the top
/// right of the map.
pub fn legend(scenario: &Scenario, camera: &Camera, theme: &Theme) -> SceneLayer {
    use crate::model::Named as _;
    let mut out = SceneLayer::new("legend");
    let mut kinds: Vec<ContactKind> = scenario.contacts.iter().map(|c| c.kind).collect();
    kinds.sort();
    kinds.dedup();
    let has = |s: Status| scenario.contacts.iter().any(|c| c.status == s);
    let mut rows: Vec<(String, Glyph)> = kinds
        .iter()
        .map(|&k| (capitalised(k.label()), Glyph::Kind(k)))
        .collect();
    if has(Status::Planned) {
        rows.push(("Planned (dashed or hollow)".to_owned(), Glyph::Planned));
    }
    if has(Status::Denied) || has(Status::Cancelled) {
        rows.push(("Denied or cancelled (crossed)".to_owned(), Glyph::Struck));
    }
    let row_h = 16.0;
    let width = 196.0;
    let height = row_h * rows.len() as f32 + 10.0;
    let x0 = camera.viewport.max[0] - width - 10.0;
    let y0 = camera.viewport.min[1] + 10.0;
    out.items.push(Item::rect(
        [x0, y0],
        [x0 + width, y0 + height],
        theme.text_halo,
    ));
    for (i, (label, glyph)) in rows.into_iter().enumerate() {
        let y = y0 + 5.0 + row_h * (i as f32 + 0.5);
        glyph.draw(&mut out.items, [x0 + 8.0, y], theme);
        out.items.push(Item::Text {
            pos: [x0 + 40.0, y],
            text: label,
            size: 11.0,
            color: theme.text,
            anchor: super::Anchor::LeftCenter,
        });
    }
    out
}

/// What a row of the legend shows: a small copy of the mark the map draws.
#[derive(Clone, Copy, Debug)]
enum Glyph {
    Kind(ContactKind),
    Planned,
    Struck,
}

impl Glyph {
    /// Draws the glyph in the 24 x 14 points from `left` (the middle of its left side).
    fn draw(self, items: &mut Vec<Item>, [x, y]: Pt, theme: &Theme) {
        let line = |items: &mut Vec<Item>, from: f32, to: f32, color, dash| {
            items.push(Item::Polyline {
                points: vec![[x + from, y], [x + to, y]],
                width: 2.0,
                color,
                dash,
            });
        };
        let circle = |items: &mut Vec<Item>, dx: f32, radius, fill, stroke| {
            items.push(Item::Circle {
                center: [x + dx, y],
                radius,
                fill,
                stroke,
            });
        };
        match self {
            Self::Kind(kind) => {
                let color = kind_color(kind, theme);
                match kind {
                    ContactKind::Visit => {
                        line(items, 0.0, 20.0, color, None);
                        circle(items, 21.0, 3.0, Some(color), None);
                    }
                    ContactKind::Meeting => {
                        circle(items, 12.0, 3.5, Some(color), Some((1.5, color)));
                        circle(items, 12.0, 6.5, None, Some((1.5, color)));
                    }
                    ContactKind::PhoneCall => {
                        line(items, 2.0, 22.0, color, Some([4.0, 3.0]));
                        circle(items, 2.0, 2.5, Some(color), None);
                        circle(items, 22.0, 2.5, Some(color), None);
                    }
                    ContactKind::Statement | ContactKind::Interview | ContactKind::Post => {
                        for (i, r) in [2.5, 4.5, 6.5].into_iter().enumerate() {
                            let a = (255.0 / (1.0 + i as f32)) as u8;
                            circle(items, 12.0, r, None, Some((1.2, color.with_alpha(a))));
                        }
                    }
                    ContactKind::ChannelMessage => {
                        line(items, 0.0, 24.0, color, Some([2.0, 3.0]));
                    }
                    ContactKind::Mediation => {
                        line(items, 0.0, 24.0, color, Some([2.0, 3.0]));
                        circle(items, 12.0, 3.5, Some(theme.text_halo), Some((1.5, color)));
                    }
                    ContactKind::MilitaryMove => {
                        // An area, and a route in long dashes.
                        circle(items, 5.5, 5.5, Some(color.with_alpha(40)), None);
                        let edge: Vec<Pt> = (0..=20)
                            .map(|i| {
                                let a = std::f32::consts::TAU * i as f32 / 20.0;
                                [x + 5.5 + 5.5 * a.cos(), y + 5.5 * a.sin()]
                            })
                            .collect();
                        items.push(Item::Polyline {
                            points: vec![[x + 13.0, y], [x + 24.0, y]],
                            width: 3.0,
                            color,
                            dash: Some([5.0, 2.0]),
                        });
                        items.push(Item::Polyline {
                            points: edge,
                            width: 1.2,
                            color,
                            dash: Some([3.0, 2.0]),
                        });
                    }
                }
            }
            Self::Planned => {
                line(items, 0.0, 14.0, theme.text, Some([6.0, 4.0]));
                circle(items, 19.0, 4.0, None, Some((1.5, theme.text)));
            }
            Self::Struck => {
                let r = 5.0;
                for (dy0, dy1) in [(-r, r), (r, -r)] {
                    items.push(Item::Polyline {
                        points: vec![[x + 12.0 - r, y + dy0], [x + 12.0 + r, y + dy1]],
                        width: 2.0,
                        color: theme.text,
                        dash: None,
                    });
                }
            }
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::camera::ScreenRect;
    use crate::io::scenario::default_scenario;
    use crate::scene::{Item, view};

    /// The radii of the rings drawn for one contact of the default scenario at `t`, with `pulse`.
    fn rings(id: &str, t: &str, pulse: Option<f32>) -> Vec<f32> {
        let scenario = default_scenario().scenario;
        let projection = view::regional_projection();
        let camera =
            view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
        let places = Places::new(&scenario, &projection, &camera);
        let contact = scenario.contact_by_id(id).expect("a contact");
        let t: Timestamp = t.parse().expect("a time");
        let (layer, _) = contacts(
            &scenario,
            &[contact],
            t,
            TRAIL,
            pulse,
            &places,
            &Theme::light(),
        );
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

    #[test]
    fn a_planned_meeting_waits_without_a_pulse() {
        assert_eq!(
            rings("ankara-meeting-planned", "2026-02-03T12:00:00Z", Some(0.5)),
            [9.0]
        );
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

    /// Each row of the legend shows the mark the map draws for it, not a line for everything.
    #[test]
    fn the_legend_shows_each_kind_as_the_map_draws_it() {
        let scenario = default_scenario().scenario;
        let camera = crate::geo_math::camera::Camera::fit(
            crate::geo_math::camera::WorldRect::EMPTY,
            ScreenRect::from_size(1200.0, 800.0),
            0.0,
        );
        let legend = legend(&scenario, &camera, &Theme::light());
        // The marks of the row labelled `label`: (circles filled, circles hollow, solid lines, dashed lines).
        let row = |label: &str| {
            let y = legend
                .items
                .iter()
                .find_map(|i| match i {
                    Item::Text { text, pos, .. } if text == label => Some(pos[1]),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{label} is in the legend"));
            let mut marks = (0, 0, 0, 0);
            for item in &legend.items {
                match item {
                    Item::Circle { center, fill, .. } if (center[1] - y).abs() < 1.0 => {
                        if fill.is_some() {
                            marks.0 += 1;
                        } else {
                            marks.1 += 1;
                        }
                    }
                    Item::Polyline { points, dash, .. }
                        if points.iter().all(|p| (p[1] - y).abs() < 8.0) =>
                    {
                        if dash.is_some() {
                            marks.3 += 1;
                        } else {
                            marks.2 += 1;
                        }
                    }
                    _ => {}
                }
            }
            marks
        };
        assert_eq!(row("Visit"), (1, 0, 1, 0), "a line with its traveller");
        assert_eq!(row("Meeting"), (1, 1, 0, 0), "a dot in a ring");
        assert_eq!(
            row("Phone call"),
            (2, 0, 0, 1),
            "a dashed line between two dots"
        );
        assert_eq!(row("Statement"), (0, 3, 0, 0), "a ripple");
        assert_eq!(
            row("Mediation"),
            (1, 0, 0, 1),
            "a dotted line through the mediator"
        );
        assert_eq!(
            row("Military move"),
            (1, 0, 0, 2),
            "a shaded area, dashed round, and a route in long dashes"
        );
        assert_eq!(row("Planned (dashed or hollow)"), (0, 1, 0, 1));
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
            let (layer, _) = contacts(&scenario, &[id], t, TRAIL, None, &places, &Theme::light());
            layer
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Polyline { width, dash, .. } if *width > 2.0 => Some((*width, *dash)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            lines(crate::io::scenario::DEFAULT_SCENARIO_TOML),
            [(2.5, None)]
        );
        assert_eq!(lines(&text), [(3.5, Some([12.0, 3.0]))]);
    }

    /// With a denied contact, the legend has a row for the cross, drawn as a cross.
    #[test]
    fn a_denied_contact_brings_the_cross_into_the_legend() {
        let text = crate::io::scenario::DEFAULT_SCENARIO_TOML.replacen(
            "id = \"sisi-calls-pezeshkian\"\nkind = \"phone_call\"\nstatus = \"held\"",
            "id = \"sisi-calls-pezeshkian\"\nkind = \"phone_call\"\nstatus = \"denied\"",
            1,
        );
        assert_ne!(text, crate::io::scenario::DEFAULT_SCENARIO_TOML);
        let scenario = crate::io::scenario::parse("s.toml", &text)
            .expect("valid")
            .scenario;
        let camera = crate::geo_math::camera::Camera::fit(
            crate::geo_math::camera::WorldRect::EMPTY,
            ScreenRect::from_size(1200.0, 800.0),
            0.0,
        );
        let legend = legend(&scenario, &camera, &Theme::light());
        let y = legend
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text { text, pos, .. } if text == "Denied or cancelled (crossed)" => {
                    Some(pos[1])
                }
                _ => None,
            })
            .expect("a row for the cross");
        let strokes: Vec<&Vec<Pt>> = legend
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Polyline { points, .. } if points.iter().all(|p| (p[1] - y).abs() < 8.0) => {
                    Some(points)
                }
                _ => None,
            })
            .collect();
        assert_eq!(strokes.len(), 2, "two strokes");
        // One goes down to the right, the other up: a cross, not a line.
        let slope = |p: &Vec<Pt>| (p[1][1] - p[0][1]) / (p[1][0] - p[0][0]);
        assert!(slope(strokes[0]) * slope(strokes[1]) < 0.0);
    }
}
