//! The contacts on the map at a moment, each kind with its own visual grammar:
//! - a visit: a great-circle arc from origin to destination, drawn as far as the trip has gone;
//! - a meeting: a ring at the venue; a phone call: a dashed line between the parties' places, dots at both ends;
//! - a statement, interview or post: a ripple at the speaker's place;
//! - a message through channels or a mediation: a dotted line between the parties (through the mediators);
//! - a military move: the area, shaded, with a dashed edge.
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
                self.line(done, 2.5, color, dash);
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
                    self.out.items.push(Item::Circle {
                        center,
                        radius,
                        fill: Some(color.with_alpha((alpha * 40.0) as u8)),
                        stroke: Some((1.5, color)),
                    });
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
                    for (i, r) in [6.0, 11.0, 16.0].into_iter().enumerate() {
                        self.ring(
                            at,
                            r,
                            1.5,
                            color.with_alpha((alpha * 255.0 / (1.0 + i as f32)) as u8),
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

/// The contacts shown at `t` (with `trail`, how long they fade after they end), in `order` (time order, made once per scenario: the newest on top), and the
/// points where each can be picked.
pub fn contacts(
    scenario: &Scenario,
    order: &[ContactId],
    t: Timestamp,
    trail: SignedDuration,
    places: &Places<'_>,
    theme: &Theme,
) -> (SceneLayer, Vec<Target>) {
    let mut painter = Painter {
        scenario,
        projection: places.projection(),
        camera: places.camera(),
        places,
        t,
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
    let mut rows: Vec<(String, Rgba, Option<[f32; 2]>)> = kinds
        .iter()
        .map(|&k| (capitalised(k.label()), kind_color(k, theme), glyph_dash(k)))
        .collect();
    if has(Status::Planned) {
        rows.push(("Planned (dashed)".to_owned(), theme.text, Some([6.0, 4.0])));
    }
    if has(Status::Denied) || has(Status::Cancelled) {
        rows.push(("Denied or cancelled (crossed)".to_owned(), theme.text, None));
    }
    let row_h = 16.0;
    let width = 190.0;
    let height = row_h * rows.len() as f32 + 10.0;
    let x0 = camera.viewport.max[0] - width - 10.0;
    let y0 = camera.viewport.min[1] + 10.0;
    out.items.push(Item::Mesh {
        vertices: vec![
            [x0, y0],
            [x0 + width, y0],
            [x0 + width, y0 + height],
            [x0, y0 + height],
        ],
        indices: vec![0, 1, 2, 0, 2, 3],
        fill: theme.text_halo,
    });
    for (i, (label, color, dash)) in rows.into_iter().enumerate() {
        let y = y0 + 5.0 + row_h * (i as f32 + 0.5);
        out.items.push(Item::Polyline {
            points: vec![[x0 + 8.0, y], [x0 + 32.0, y]],
            width: 2.5,
            color,
            dash,
        });
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

fn glyph_dash(kind: ContactKind) -> Option<[f32; 2]> {
    match kind {
        ContactKind::PhoneCall => Some([5.0, 4.0]),
        ContactKind::ChannelMessage | ContactKind::Mediation => Some([2.0, 4.0]),
        _ => None,
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
