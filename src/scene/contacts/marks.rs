//! The contacts' marks on the map: each kind's mark ([`Mark`]) with the colour, widths and dashes of the
//! table in [`crate::scene::look`], pulsing while it goes on, in its status's look, louder when selected
//! and quieter when it only runs in the background ([`super::emphasis`]).
//!
//! Each contact is drawn where its people are (the rule, kind by kind, is in
//! [`crate::model::whereabouts`]): at its venue when it has one with a position, along its route for a
//! trip, and otherwise between where its parties are at that moment (not their home when they are away).

use jiff::{SignedDuration, Timestamp};

use super::emphasis::{DIMMED_ALPHA, Emphasis, QUIET_ALPHA, acting, emphasis, is_quiet};
use super::{LINGER, presence};
use crate::geo_math::camera::Camera;
use crate::geo_math::projection::Projection;
use crate::model::evidence::shown_grade;
use crate::model::whereabouts::{Whereabouts, travel_progress};
use crate::model::{ActorId, Contact, ContactId, Part, Place, Scenario, VenueId};
use crate::scene::look::{
    CANDIDATE_LINE, CANDIDATE_MARK, CLOCK, CROSS, CROSS_HALO, DISPUTED_MARK, DISPUTED_RADIUS,
    GradeLook, KindLook, Line, Mark, NEW_MARK, RING, StatusLook, TENTATIVE_RING, clock,
    contact_color, grade_look, greyed, kind_look, review_look, status_look,
};
use crate::scene::places::Places;
use crate::scene::{Item, Pick, Pt, Rgba, SceneLayer, Target, Theme};

/// The moment the contacts are drawn at, and what is around it.
#[derive(Clone, Copy, Debug)]
pub struct Moment<'a> {
    pub t: Timestamp,
    /// How long a contact fades after it ends.
    pub trail: SignedDuration,
    /// Where the pulses are in their beat; `None` draws them at rest.
    pub pulse: Option<f32>,
    /// Where every actor is at `t` ([`crate::model::whereabouts::whereabouts`]).
    pub whereabouts: &'a [Option<Whereabouts>],
    /// What the user selected.
    pub selection: Option<Pick>,
    /// What was reported after this moment is marked new.
    pub new_since: Option<Timestamp>,
    /// Whether some source of the story is graded ([`Scenario::has_grades`], found once by the caller):
    /// only then does a grade change a mark ([`GradeLook`]).
    pub graded: bool,
}

/// Builds the contacts' layer and their pick targets, one contact at a time.
struct MarkBuilder<'a> {
    scenario: &'a Scenario,
    projection: &'a Projection,
    camera: &'a Camera,
    places: &'a Places<'a>,
    theme: &'a Theme,
    moment: Moment<'a>,
    /// The actors acting in a contact that is not background ([`acting`]).
    acting: Vec<ActorId>,
    out: SceneLayer,
    targets: Vec<Target>,
}

/// What one contact is drawn with: its kind's and its status's looks, its colour at this moment, and
/// whether it is going on (and so pulses).
struct Ink {
    look: KindLook,
    status: StatusLook,
    /// How visible it is, 0 to 1 ([`presence`], dimmed or quiet).
    alpha: f32,
    /// The kind's colour (greyed for what did not happen) with `alpha`.
    color: Rgba,
    happening: bool,
    emphasis: Emphasis,
    /// A background contact drawn as a thin faint line.
    quiet: bool,
    /// Machine-coded and not reviewed: hollow and dotted, with a "?" ([`review_look`]).
    candidate: bool,
    /// Times the strokes' widths, from the grade of its best source ([`GradeLook::weight`]).
    weight: f32,
}

impl Ink {
    /// The mark's main stroke: tentative or not, thin when quiet, heavier when selected.
    fn line(&self) -> Line {
        let line = if self.candidate {
            CANDIDATE_LINE
        } else if self.status.tentative {
            self.look.tentative_line
        } else {
            self.look.line
        };
        let line = self.weighed(line);
        if self.quiet {
            Line { width: 1.0, ..line }
        } else if self.emphasis == Emphasis::Selected {
            Line {
                width: line.width * 1.5,
                ..line
            }
        } else {
            line
        }
    }

    /// `line` as heavy as the grade of the contact's best source makes it.
    fn weighed(&self, line: Line) -> Line {
        Line {
            width: line.width * self.weight,
            ..line
        }
    }
}

impl MarkBuilder<'_> {
    /// Where an actor is on screen at this moment: at the venue they are at, at the head of their trip,
    /// else at their base.
    fn actor_point(&self, actor: ActorId) -> Option<Pt> {
        let here = self
            .moment
            .whereabouts
            .get(actor.0 as usize)
            .copied()
            .flatten();
        let from_whereabouts = match here {
            Some(Whereabouts::At(v)) => self.places.point(v),
            Some(Whereabouts::Travelling { from, to, progress }) => self
                .places
                .route(from, to, progress.max(0.02))
                .last()
                .copied(),
            None => None,
        };
        from_whereabouts.or_else(|| {
            self.scenario
                .actor(actor)
                .based_at
                .and_then(|v| self.places.point(v))
        })
    }

    /// A venue's point, or, for a venue with no position (a plane) or none at all, where `fallback` is.
    fn place_point(&self, venue: Option<VenueId>, fallback: Option<ActorId>) -> Option<Pt> {
        venue
            .and_then(|v| self.places.point(v))
            .or_else(|| fallback.and_then(|a| self.actor_point(a)))
    }

    /// The venue a contact is held at, when it has a position.
    fn located_venue(&self, c: &Contact) -> Option<VenueId> {
        match c.place {
            Place::At(v) if self.scenario.venue(v).location.is_some() => Some(v),
            _ => None,
        }
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

    /// A mark's line, with a halo under it when the contact is selected.
    fn stroke(&mut self, points: Vec<Pt>, ink: &Ink) {
        if ink.emphasis == Emphasis::Selected {
            self.line(
                points.clone(),
                Line::solid(ink.line().width + 4.0),
                self.theme.text_halo,
            );
        }
        self.line(points, ink.line(), ink.color);
    }

    fn ring(&mut self, center: Pt, radius: f32, width: f32, color: Rgba) {
        self.out.items.push(Item::Circle {
            center,
            radius,
            fill: None,
            stroke: Some((width, color)),
        });
    }

    /// A ring drawn as a dashed line (a planned or postponed contact's hollow mark).
    fn dashed_ring(&mut self, center: Pt, radius: f32, look: Line, color: Rgba) {
        let steps = 36;
        let points = (0..=steps)
            .map(|i| {
                let a = std::f32::consts::TAU * i as f32 / steps as f32;
                [center[0] + radius * a.cos(), center[1] + radius * a.sin()]
            })
            .collect();
        self.line(points, look, color);
    }

    /// The dot at a line's end (a call's parties, a trip's head): hollow for a candidate.
    fn end_dot(&mut self, center: Pt, radius: f32, ink: &Ink) {
        if ink.candidate {
            self.out.items.push(Item::Circle {
                center,
                radius,
                fill: Some(self.theme.text_halo),
                stroke: Some((1.5, ink.color)),
            });
        } else {
            self.dot(center, radius, ink.color);
        }
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
        if let Some(p) = self.moment.pulse.filter(|&p| p > 0.0) {
            let alpha = f32::from(color.0[3]) * (1.0 - p);
            self.ring(
                center,
                from + (to - from) * p,
                2.0 - p,
                color.with_alpha(alpha.round() as u8),
            );
        }
    }

    /// The large X over a struck contact, in the text colour over a halo.
    fn cross(&mut self, at: Pt, alpha: f32) {
        let (r, stroke) = CROSS;
        let halo = self.theme.text_halo;
        let ink = self.theme.text.with_alpha((alpha * 255.0).round() as u8);
        for (look, color) in [
            (Line::solid(CROSS_HALO + stroke.width), halo),
            (stroke, ink),
        ] {
            self.line(
                vec![[at[0] - r, at[1] - r], [at[0] + r, at[1] + r]],
                look,
                color,
            );
            self.line(
                vec![[at[0] - r, at[1] + r], [at[0] + r, at[1] - r]],
                look,
                color,
            );
        }
    }

    /// Draws one contact with its mark, its status's marks (X, clock), and its pick target.
    fn contact(&mut self, id: ContactId, c: &Contact, presence: f32) {
        let look = kind_look(c.kind, self.theme);
        let review = review_look(c);
        let mut status = status_look(c.status);
        if review.rejected {
            // Shown only when the filter asks for rejected contacts: as what did not happen.
            status = StatusLook {
                struck: true,
                greyed: true,
                pulses: false,
                ..status
            };
        }
        let emphasis = emphasis(self.scenario, id, self.moment.selection);
        let quiet = is_quiet(c, self.moment.t, emphasis, &self.acting);
        let grade = if self.moment.graded {
            grade_look(shown_grade(c, &self.scenario.sources))
        } else {
            GradeLook::UNGRADED_STORY
        };
        // The selected contact stays readable whatever its grade; its lines keep the grade's weight.
        let alpha = match emphasis {
            Emphasis::Selected => presence.max(0.85),
            Emphasis::Dimmed => presence * DIMMED_ALPHA * grade.opacity,
            Emphasis::Normal if quiet => presence * QUIET_ALPHA * grade.opacity,
            Emphasis::Normal => presence * grade.opacity,
        };
        let color = if review.rejected {
            greyed(contact_color(c.kind, c.status, self.theme))
        } else {
            contact_color(c.kind, c.status, self.theme)
        };
        let ink = Ink {
            look,
            status,
            alpha,
            color: color.with_alpha((alpha * 255.0).round() as u8),
            // Pulses and ripples mark what is going on now: not what is tentative, struck or not yet
            // reviewed, nor the trail of what has ended, nor the background.
            happening: status.pulses
                && !review.candidate
                && !quiet
                && c.time.is_current(self.moment.t, LINGER),
            emphasis,
            quiet,
            candidate: review.candidate,
            weight: grade.weight,
        };
        // The dispute's badge fades with the contact's time (its trail) and when another is selected, but
        // not with the grade or the background: that the accounts differ is worth reading in any case.
        let badge_alpha = match emphasis {
            Emphasis::Dimmed => alpha,
            _ => presence,
        };
        let anchor = match (look.mark, c.place) {
            (Mark::Route | Mark::Area, Place::Route { from, to, .. }) => {
                self.route(c, from, to, &ink)
            }
            (Mark::Area, Place::At(venue)) => self.area(venue, &ink),
            (Mark::Link, _) => self.link(c, &ink),
            (Mark::Channel, _) => match self.located_venue(c) {
                Some(v) => self.dot_in_ring(c, Place::At(v), &ink),
                None => self.channel(c, &ink),
            },
            (Mark::Ripple, place) => self.ripple(c, place, &ink),
            (_, place) => self.dot_in_ring(c, place, &ink),
        };
        let Some(at) = anchor else {
            return;
        };
        if status.struck {
            self.cross(at, alpha.max(0.5));
        }
        if status.clock {
            let (r, [dx, dy]) = CLOCK;
            let items = clock([at[0] + dx, at[1] + dy], r, ink.color, self.theme.text_halo);
            self.out.items.extend(items);
        }
        if ink.candidate {
            self.out
                .items
                .extend(candidate_mark(at, ink.color, self.theme.text_halo));
        }
        if c.dispute().any() {
            self.out
                .items
                .extend(disputed_mark(at, badge_alpha, self.theme));
        }
        if let Some(since) = self.moment.new_since
            && crate::model::as_of::reported_since(self.scenario, c, since)
        {
            self.out
                .items
                .extend(new_mark(at, self.theme.text, self.theme.text_halo));
        }
        self.targets.push(Target {
            pick: Pick::Contact(id),
            center: at,
            radius: 10.0,
        });
    }

    /// A trip or a move along a route: the whole route faint and dotted, the part travelled in the kind's
    /// line, with a dot at its head (the anchor).
    fn route(&mut self, c: &Contact, from: VenueId, to: VenueId, ink: &Ink) -> Option<Pt> {
        let progress = if ink.status.tentative {
            0.0
        } else {
            travel_progress(self.scenario, c, self.moment.t)
        };
        let whole = self.places.route(from, to, 1.0);
        let done = self.places.route(from, to, progress.max(0.02));
        let faint = ink.color.with_alpha((ink.alpha * 90.0) as u8);
        self.line(whole, Line::dashed(1.0, 3.0, 3.0), faint);
        let head = done.last().copied();
        self.stroke(done, ink);
        if let Some(head) = head {
            self.end_dot(head, 4.5, ink);
        }
        head
    }

    /// A move of forces in an area: shaded lightly (the map stays readable under it), with a dashed edge.
    /// An area whose centre is outside the view is drawn where it really is, so only the part of it in
    /// the view shows (the backends clip to the map); an area wholly outside is its edge marker alone.
    fn area(&mut self, venue: VenueId, ink: &Ink) -> Option<Pt> {
        let v = self.scenario.venue(venue);
        let (at, placed) = (v.location?, self.places.venue(venue)?);
        let radius = v.radius_km.map_or(30.0, |km| {
            let pt_per_km = self
                .projection
                .local_scale(at.lon, at.lat)
                .map_or(0.0, |s| s * self.camera.scale / 6371.0);
            (km * pt_per_km) as f32
        });
        let center = if placed.toward.is_none() {
            placed.at
        } else {
            let real = self
                .projection
                .project(at.lon, at.lat)
                .map(|w| self.camera.screen_from_world(w));
            let vp = self.camera.viewport;
            match real {
                Some(c) if circle_meets_rect(c, radius, [vp.min, vp.max]) => c,
                _ => return Some(placed.at),
            }
        };
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
        let edge_look = if ink.candidate {
            CANDIDATE_LINE
        } else {
            ink.weighed(ink.look.edge.map_or(ink.look.line, |(map, _)| map))
        };
        self.line(edge, edge_look, ink.color);
        Some(placed.at)
    }

    /// A call: a line between where the caller and the addressee are, pulsing at both ends.
    fn link(&mut self, c: &Contact, ink: &Ink) -> Option<Pt> {
        let a = self.place_point(None, c.with_part(Part::Caller).next())?;
        let b = self.place_point(None, c.with_part(Part::Addressee).next())?;
        self.stroke(vec![a, b], ink);
        self.end_dot(a, 4.0, ink);
        self.end_dot(b, 4.0, ink);
        if ink.happening {
            self.pulse_ring(a, 4.0, 16.0, ink.color);
            self.pulse_ring(b, 4.0, 16.0, ink.color);
        }
        Some([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0])
    }

    /// A message, or a mediation with no venue: lines between where the parties are, or from each party
    /// to each mediator (a ring).
    fn channel(&mut self, c: &Contact, ink: &Ink) -> Option<Pt> {
        let parties: Vec<Pt> = c
            .participants
            .iter()
            .filter(|p| p.part != Part::Mediator)
            .filter_map(|p| self.actor_point(p.actor))
            .collect();
        let mediators: Vec<Pt> = c
            .with_part(Part::Mediator)
            .filter_map(|a| self.actor_point(a))
            .collect();
        if mediators.is_empty() {
            for pair in parties.windows(2) {
                self.stroke(pair.to_vec(), ink);
            }
        } else {
            for &m in &mediators {
                for &p in &parties {
                    self.stroke(vec![p, m], ink);
                }
                let width = if ink.quiet {
                    1.0
                } else {
                    RING.width * ink.weight
                };
                self.ring(m, 5.0, width, ink.color);
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
            self.moment.pulse.unwrap_or(0.0)
        } else {
            0.0
        };
        let width = ink.line().width;
        for i in 0..3 {
            let k = i as f32 + p;
            let fade = if i == 2 { 1.0 - p } else { 1.0 };
            let a = (ink.alpha * 255.0 * fade / (1.0 + k)) as u8;
            if ink.candidate {
                self.dashed_ring(at, 6.0 + 5.0 * k, CANDIDATE_LINE, ink.color.with_alpha(a));
            } else {
                self.ring(at, 6.0 + 5.0 * k, width, ink.color.with_alpha(a));
            }
        }
        if p > 0.0 {
            let a = (ink.alpha * 255.0 * p) as u8;
            self.ring(at, 1.0 + 5.0 * p, width, ink.color.with_alpha(a));
        }
        Some(at)
    }

    /// A contact at one place (a meeting, a mediation held at a venue, any contact with no mark of its
    /// own): a dot in a ring, pulsing; a tentative one a dashed hollow ring; a quiet one a thin ring.
    fn dot_in_ring(&mut self, c: &Contact, place: Place, ink: &Ink) -> Option<Pt> {
        let venue = match place {
            Place::At(v) => Some(v),
            Place::Route { to, .. } => Some(to),
            Place::None => None,
        };
        let at = self.place_point(venue, c.participants.first().map(|p| p.actor))?;
        let ring = ink.weighed(if ink.look.mark == Mark::DotInRing {
            RING
        } else {
            // A kind with a line of its own (a mediation) keeps its dash on the ring.
            Line {
                width: RING.width,
                ..ink.look.line
            }
        });
        if ink.emphasis == Emphasis::Selected {
            self.ring(at, 10.0, ring.width + 4.0, self.theme.text_halo);
        }
        if ink.candidate {
            self.dashed_ring(at, 10.0, CANDIDATE_LINE, ink.color);
        } else if ink.status.tentative {
            self.dashed_ring(at, 10.0, ink.weighed(TENTATIVE_RING), ink.color);
        } else if ink.quiet {
            self.ring(at, 10.0, 1.0, ink.color);
        } else {
            self.dot(at, 6.0, ink.color);
            match ring.dash {
                None => self.ring(at, 10.0, ring.width, ink.color),
                Some(_) => self.dashed_ring(at, 10.0, ring, ink.color),
            }
            if ink.happening {
                self.pulse_ring(at, 10.0, 24.0, ink.color);
            }
        }
        Some(at)
    }
}

/// The "?" beside a candidate's mark at `at`, in its colour over a halo disc.
pub(super) fn candidate_mark(at: Pt, color: Rgba, halo: Rgba) -> [Item; 2] {
    side_mark("?", CANDIDATE_MARK, at, color, halo)
}

/// The "!" beside a disputed contact's mark at `at` (its accounts differ): a badge in the theme's text
/// colour (dark on a light map, light on a dark one) with the "!" cut out in the halo's, ringed by the
/// halo, so it reads over any land, sea or line at export sizes. `alpha` (0 to 1) fades it with its
/// contact.
pub(super) fn disputed_mark(at: Pt, alpha: f32, theme: &Theme) -> [Item; 2] {
    let (size, [dx, dy]) = DISPUTED_MARK;
    let center = [at[0] + dx, at[1] + dy];
    let a = (alpha.clamp(0.0, 1.0) * 255.0).round() as u8;
    let cut = theme.text_halo.with_alpha(a);
    [
        Item::Circle {
            center,
            radius: DISPUTED_RADIUS,
            fill: Some(theme.text.with_alpha(a)),
            stroke: Some((1.5, cut)),
        },
        Item::Text {
            pos: center,
            text: "!".to_owned(),
            size,
            color: cut,
            anchor: crate::scene::Anchor::Center,
        },
    ]
}

/// The "+" beside the mark at `at` of a contact reported after the new-since moment, in the text's
/// colour (not the kind's: it says something of the report, not of the contact) over a halo disc.
pub(super) fn new_mark(at: Pt, color: Rgba, halo: Rgba) -> [Item; 2] {
    side_mark("+", NEW_MARK, at, color, halo)
}

/// A sign of `size` beside a mark at `at`, moved by the offset, over a halo disc.
fn side_mark(
    sign: &str,
    (size, [dx, dy]): (f32, Pt),
    at: Pt,
    color: Rgba,
    halo: Rgba,
) -> [Item; 2] {
    let center = [at[0] + dx, at[1] + dy];
    [
        Item::Circle {
            center,
            radius: size * 0.55,
            fill: Some(halo),
            stroke: None,
        },
        Item::Text {
            pos: center,
            text: sign.to_owned(),
            size,
            color,
            anchor: crate::scene::Anchor::Center,
        },
    ]
}

/// Whether the disc at `c` of `r` points meets the rectangle from `min` to `max`.
fn circle_meets_rect(c: Pt, r: f32, [min, max]: [Pt; 2]) -> bool {
    let nearest = [c[0].clamp(min[0], max[0]), c[1].clamp(min[1], max[1])];
    (nearest[0] - c[0]).powi(2) + (nearest[1] - c[1]).powi(2) <= r * r
}

/// The contacts shown at `moment.t` (with its trail, how long they fade after they end), in `order`
/// (time order, made once per scenario: the newest on top), and the points where each can be picked.
/// The pulses of meetings and calls and the ripples of statements are drawn where `moment.pulse` is in
/// its beat ([`super::pulse_phase`]); `None` draws them at rest (a still picture, a paused window).
pub fn contacts(
    scenario: &Scenario,
    order: &[ContactId],
    moment: &Moment<'_>,
    places: &Places<'_>,
    theme: &Theme,
) -> (SceneLayer, Vec<Target>) {
    let mut builder = MarkBuilder {
        scenario,
        projection: places.projection(),
        camera: places.camera(),
        places,
        theme,
        moment: Moment {
            pulse: moment.pulse.map(|p| p.clamp(0.0, 1.0)),
            ..*moment
        },
        acting: acting(scenario, order, moment.t),
        out: SceneLayer::new("contacts"),
        targets: Vec::new(),
    };
    for &id in order {
        let contact = scenario.contact(id);
        if let Some(alpha) = presence(contact, moment.t, moment.trail) {
            builder.contact(id, contact, alpha);
        }
    }
    (builder.out, builder.targets)
}
