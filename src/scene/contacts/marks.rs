//! The contacts' marks on the map: each kind's mark ([`Mark`]) with the colour, widths and dashes of the
//! table in [`crate::scene::look`], pulsing while it goes on and crossed when struck.

use jiff::{SignedDuration, Timestamp};

use super::{LINGER, presence};
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::whereabouts::travel_progress;
use crate::model::{ActorId, Contact, ContactId, Part, Place, Scenario, VenueId};
use crate::scene::look::{CROSS, KindLook, Line, Mark, RING, StatusLook, kind_look, status_look};
use crate::scene::places::Places;
use crate::scene::{Item, Pick, Pt, Rgba, SceneLayer, Target, Theme};

/// Builds the contacts' layer and their pick targets, one contact at a time.
struct MarkBuilder<'a> {
    scenario: &'a Scenario,
    projection: &'a Projection,
    camera: &'a Camera,
    places: &'a Places<'a>,
    theme: &'a Theme,
    t: Timestamp,
    /// Where the pulses are in their beat; `None` draws them at rest.
    pulse: Option<f32>,
    out: SceneLayer,
    targets: Vec<Target>,
}

/// What one contact is drawn with: its kind's and its status's looks, its colour at this moment, and
/// whether it is going on (and so pulses).
struct Ink {
    look: KindLook,
    status: StatusLook,
    /// How visible it is, 0 to 1 ([`presence`]).
    alpha: f32,
    /// The kind's colour with `alpha`.
    color: Rgba,
    happening: bool,
}

impl Ink {
    /// The mark's main stroke, tentative or not.
    fn line(&self) -> Line {
        if self.status.tentative {
            self.look.tentative_line
        } else {
            self.look.line
        }
    }
}

impl MarkBuilder<'_> {
    /// A venue's point, or, for a venue with no position (a plane), the participant's home.
    fn place_point(&self, venue: Option<VenueId>, fallback: Option<ActorId>) -> Option<Pt> {
        venue.and_then(|v| self.places.point(v)).or_else(|| {
            fallback
                .and_then(|a| self.scenario.actor(a).based_at)
                .and_then(|v| self.places.point(v))
        })
    }

    fn line(&mut self, points: Vec<Pt>, look: Line, color: Rgba) {
        if points.len() >= 2 {
            self.out.items.push(Item::Polyline {
                points,
                width: look.width,
                color,
                dash: look.dash,
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
        let (r, stroke) = CROSS;
        self.line(
            vec![[at[0] - r, at[1] - r], [at[0] + r, at[1] + r]],
            stroke,
            color,
        );
        self.line(
            vec![[at[0] - r, at[1] + r], [at[0] + r, at[1] - r]],
            stroke,
            color,
        );
    }

    /// Draws one contact with its mark, its cross if struck, and its pick target.
    fn contact(&mut self, id: ContactId, c: &Contact, alpha: f32) {
        let look = kind_look(c.kind, self.theme);
        let status = status_look(c.status);
        let ink = Ink {
            look,
            status,
            alpha,
            color: look.color.with_alpha((alpha * 255.0).round() as u8),
            // Pulses and ripples mark what is going on now: not what is tentative or struck, nor the
            // trail of what has ended.
            happening: status.pulses && c.time.is_current(self.t, LINGER),
        };
        let anchor = match (look.mark, c.place) {
            (Mark::Route | Mark::Area, Place::Route { from, to, .. }) => {
                self.route(c, from, to, &ink)
            }
            (Mark::Area, Place::At(venue)) => self.area(venue, &ink),
            (Mark::Link, _) => self.link(c, &ink),
            (Mark::Channel, _) => self.channel(c, &ink),
            (Mark::Ripple, place) => self.ripple(c, place, &ink),
            (_, place) => self.dot_in_ring(c, place, &ink),
        };
        if status.struck
            && let Some(at) = anchor
        {
            self.cross(at, ink.color);
        }
        if let Some(center) = anchor {
            self.targets.push(Target {
                pick: Pick::Contact(id),
                center,
                radius: 10.0,
            });
        }
    }

    /// A trip or a move along a route: the whole route faint and dotted, the part travelled in the kind's
    /// line, with a dot at its head (the anchor).
    fn route(&mut self, c: &Contact, from: VenueId, to: VenueId, ink: &Ink) -> Option<Pt> {
        let progress = if ink.status.tentative {
            0.0
        } else {
            travel_progress(self.scenario, c, self.t)
        };
        let whole = self.places.route(from, to, 1.0);
        let done = self.places.route(from, to, progress.max(0.02));
        let faint = ink.color.with_alpha((ink.alpha * 90.0) as u8);
        self.line(whole, Line::dashed(1.0, 3.0, 3.0), faint);
        let head = done.last().copied();
        if let Some(head) = head {
            self.dot(head, 4.5, ink.color);
        }
        self.line(done, ink.line(), ink.color);
        head
    }

    /// A move of forces in an area: shaded lightly (the map stays readable under it), with a dashed edge.
    fn area(&mut self, venue: VenueId, ink: &Ink) -> Option<Pt> {
        let v = self.scenario.venue(venue);
        let (at, center) = (v.location?, self.places.point(venue)?);
        let radius = v.radius_km.map_or(30.0, |km| {
            let pt_per_km = self
                .projection
                .local_scale(at.lon, at.lat)
                .map_or(0.0, |s| s * self.camera.scale / 6371.0);
            (km * pt_per_km) as f32
        });
        self.out.items.push(Item::Circle {
            center,
            radius,
            fill: Some(ink.color.with_alpha((ink.alpha * 22.0) as u8)),
            stroke: None,
        });
        let steps = ((radius / 4.0).ceil() as usize).clamp(24, 256);
        let edge: Vec<Pt> = (0..=steps)
            .map(|i| {
                let a = std::f32::consts::TAU * i as f32 / steps as f32;
                [center[0] + radius * a.cos(), center[1] + radius * a.sin()]
            })
            .collect();
        let edge_look = ink.look.edge.map_or(ink.look.line, |(map, _)| map);
        self.line(edge, edge_look, ink.color);
        Some(center)
    }

    /// A call: a line between the caller's and the addressee's places, pulsing at both ends.
    fn link(&mut self, c: &Contact, ink: &Ink) -> Option<Pt> {
        let a = self.place_point(None, c.with_part(Part::Caller).next())?;
        let b = self.place_point(None, c.with_part(Part::Addressee).next())?;
        self.line(vec![a, b], ink.line(), ink.color);
        self.dot(a, 4.0, ink.color);
        self.dot(b, 4.0, ink.color);
        if ink.happening {
            self.pulse_ring(a, 4.0, 16.0, ink.color);
            self.pulse_ring(b, 4.0, 16.0, ink.color);
        }
        Some([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0])
    }

    /// A message or a mediation: lines between the parties, or from each party to each mediator (a ring).
    fn channel(&mut self, c: &Contact, ink: &Ink) -> Option<Pt> {
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
        if mediators.is_empty() {
            for pair in parties.windows(2) {
                self.line(pair.to_vec(), ink.line(), ink.color);
            }
        } else {
            for &m in &mediators {
                for &p in &parties {
                    self.line(vec![p, m], ink.line(), ink.color);
                }
                self.ring(m, 5.0, RING.width, ink.color);
            }
        }
        mediators.first().or(parties.first()).copied()
    }

    /// Words spoken: three rings 5 points apart, moving out by one spacing a beat while it happens: the
    /// outer one fades out as a new one starts at the centre.
    fn ripple(&mut self, c: &Contact, place: Place, ink: &Ink) -> Option<Pt> {
        let venue = if let Place::At(v) = place {
            Some(v)
        } else {
            None
        };
        let at = self.place_point(venue, c.with_part(Part::Speaker).next())?;
        let p = if ink.happening {
            self.pulse.unwrap_or(0.0)
        } else {
            0.0
        };
        let width = ink.line().width;
        for i in 0..3 {
            let k = i as f32 + p;
            let fade = if i == 2 { 1.0 - p } else { 1.0 };
            let a = (ink.alpha * 255.0 * fade / (1.0 + k)) as u8;
            self.ring(at, 6.0 + 5.0 * k, width, ink.color.with_alpha(a));
        }
        if p > 0.0 {
            let a = (ink.alpha * 255.0 * p) as u8;
            self.ring(at, 1.0 + 5.0 * p, width, ink.color.with_alpha(a));
        }
        Some(at)
    }

    /// A meeting (and any contact at one place with no mark of its own): a dot in a ring, pulsing; a
    /// tentative one is a hollow ring.
    fn dot_in_ring(&mut self, c: &Contact, place: Place, ink: &Ink) -> Option<Pt> {
        let venue = match place {
            Place::At(v) => Some(v),
            Place::Route { to, .. } => Some(to),
            Place::None => None,
        };
        let at = self.place_point(venue, c.participants.first().map(|p| p.actor))?;
        if ink.status.tentative {
            self.ring(at, 9.0, RING.width, ink.color);
        } else {
            self.dot(at, 6.0, ink.color);
            self.ring(at, 10.0, RING.width, ink.color);
            if ink.happening {
                self.pulse_ring(at, 10.0, 24.0, ink.color);
            }
        }
        Some(at)
    }
}

/// The contacts shown at `t` (with `trail`, how long they fade after they end), in `order` (time order,
/// made once per scenario: the newest on top), and the points where each can be picked. `pulse` is where
/// the pulses of meetings and calls and the ripples of statements are in their beat
/// ([`super::pulse_phase`]); `None` draws them at rest (a still picture, a paused window).
pub fn contacts(
    scenario: &Scenario,
    order: &[ContactId],
    t: Timestamp,
    trail: SignedDuration,
    pulse: Option<f32>,
    places: &Places<'_>,
    theme: &Theme,
) -> (SceneLayer, Vec<Target>) {
    let mut builder = MarkBuilder {
        scenario,
        projection: places.projection(),
        camera: places.camera(),
        places,
        theme,
        t,
        pulse: pulse.map(|p| p.clamp(0.0, 1.0)),
        out: SceneLayer::new("contacts"),
        targets: Vec::new(),
    };
    for &id in order {
        let contact = scenario.contact(id);
        if let Some(alpha) = presence(contact, t, trail) {
            builder.contact(id, contact, alpha);
        }
    }
    (builder.out, builder.targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo_math::camera::ScreenRect;
    use crate::io::scenario::default_scenario;
    use crate::scene::contacts::TRAIL;
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

    /// Change detector: every contact of the default scenario is drawn in its kind's colour from the
    /// table, and a mark with a line draws it with the table's width and dash for its status.
    #[test]
    fn every_mark_takes_its_colour_and_line_from_the_table() {
        let scenario = default_scenario().scenario;
        let projection = view::regional_projection();
        let camera =
            view::fitted_camera(&projection, &scenario, ScreenRect::from_size(1200.0, 800.0));
        let places = Places::new(&scenario, &projection, &camera);
        let theme = Theme::dark();
        let mut drawn = 0;
        for (i, c) in scenario.contacts.iter().enumerate() {
            let id = ContactId(i as u32);
            let t = c.time.extent().0;
            let (layer, _) = contacts(&scenario, &[id], t, TRAIL, Some(0.5), &places, &theme);
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
}
