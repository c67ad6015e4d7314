//! Where each actor is at a moment: at home, travelling on a visit, or at the venue of a contact going on.
//!
//! The sources say where people went, rarely where they were in between. The rule is simple and stated,
//! kind by kind (the map draws each contact where this puts its people, see `scene::contacts`):
//!
//! | kind | drawn at | who is placed there while it goes on |
//! |---|---|---|
//! | `visit` | the route, `from` to `to` | the travellers (all but hosts and targets): on the way, then at `to` |
//! | `meeting` | its venue | every participant |
//! | `mediation` with a venue | its venue | every participant, mediators and parties |
//! | `statement`, `interview`, `post` with a venue | its venue | the speakers |
//! | `mediation` without a venue, `channel_message` | lines between where the parties are, through the mediators | nobody moves |
//! | `phone_call` | a line between where the caller and the addressee are | nobody moves |
//! | `military_move` | its area, or its route | nobody moves (forces move, not the people who order them) |
//!
//! An actor is otherwise at their base. A venue with no position (a plane) places nobody. Only what
//! happened moves people: planned, postponed, denied and cancelled contacts move nobody, nor does a contact
//! known only to a window of days.

use geo::{Distance as _, Haversine, Point};
use jiff::{SignedDuration, Timestamp};

use super::{ActorId, Contact, ContactKind, Part, Place, Precision, Scenario, Status, VenueId};

/// How long an exact-time contact stays current (an instant would otherwise last no time at all).
pub const LINGER: SignedDuration = SignedDuration::from_hours(1);

/// Cruising speed used to guess how long a trip takes, in km/h, plus an hour on the ground.
const TRAVEL_KMH: f64 = 750.0;
/// A trip never takes more than this share of a visit's span: the rest is the stay.
const MAX_TRAVEL_SHARE: f64 = 0.4;

/// Where an actor is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Whereabouts {
    At(VenueId),
    /// On the way from `from` to `to`, `progress` from 0 (leaving) to 1 (arrived).
    Travelling {
        from: VenueId,
        to: VenueId,
        progress: f32,
    },
}

impl Whereabouts {
    /// The venue the actor is at, or heading to.
    pub fn venue(self) -> VenueId {
        match self {
            Self::At(v) => v,
            Self::Travelling { to, .. } => to,
        }
    }
}

/// How far the trip of a route contact has gone at `t`, from 0 to 1: the journey takes the flight time
/// between its ends (at most 40% of its span); then the traveller stays at the destination.
pub fn travel_progress(scenario: &Scenario, contact: &Contact, t: Timestamp) -> f32 {
    let Place::Route { from, to, .. } = contact.place else {
        return 1.0;
    };
    let (Some(start), Some(end)) = (contact.time.start, contact.time.end) else {
        return 1.0;
    };
    let span_secs = (end.as_second() - start.as_second()) as f64;
    if span_secs <= 0.0 {
        return 1.0;
    }
    let km = match (scenario.venue(from).location, scenario.venue(to).location) {
        (Some(a), Some(b)) => {
            Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat)) / 1000.0
        }
        _ => 0.0,
    };
    let travel_secs = ((km / TRAVEL_KMH + 1.0) * 3600.0).min(span_secs * MAX_TRAVEL_SHARE);
    let done = (t.as_second() - start.as_second()) as f64;
    (done / travel_secs).clamp(0.0, 1.0) as f32
}

/// The actors a contact moves: the travellers of a visit (everyone but its hosts), everyone at a meeting
/// or a mediation held at a venue, the speakers of a statement, interview or post given at a venue.
fn moved_by(contact: &Contact) -> impl Iterator<Item = ActorId> + '_ {
    contact
        .participants
        .iter()
        .filter(move |p| match contact.kind {
            ContactKind::Visit | ContactKind::MilitaryMove => {
                !matches!(p.part, Part::Host | Part::Target)
            }
            ContactKind::Meeting | ContactKind::Mediation => true,
            ContactKind::Statement | ContactKind::Interview | ContactKind::Post => {
                p.part == Part::Speaker
            }
            _ => false,
        })
        .map(|p| p.actor)
}

/// Where every actor is at `t` (indexed by [`ActorId`]); `None` for an actor with no base and no contact
/// placing them. Of two contacts placing an actor, the one that started later wins (then the later in the
/// file).
pub fn whereabouts(scenario: &Scenario, t: Timestamp) -> Vec<Option<Whereabouts>> {
    whereabouts_among(
        scenario,
        t,
        (0..scenario.contacts.len()).map(|i| super::ContactId(i as u32)),
    )
}

/// As [`whereabouts`], reading only the contacts `among`, which must hold every contact current at `t`
/// (as [`super::contact_index::ContactIndex::around`] gives them, with a slack of at least [`LINGER`]); the
/// others place no one anyway. The answer is the same as [`whereabouts`]'s.
pub fn whereabouts_among(
    scenario: &Scenario,
    t: Timestamp,
    among: impl IntoIterator<Item = super::ContactId>,
) -> Vec<Option<Whereabouts>> {
    let mut out: Vec<Option<Whereabouts>> = scenario
        .actors
        .iter()
        .map(|a| a.based_at.map(Whereabouts::At))
        .collect();
    let mut since: Vec<Option<(Timestamp, usize)>> = vec![None; scenario.actors.len()];
    for id in among {
        let i = id.0 as usize;
        let contact = scenario.contact(id);
        let Some(start) = contact.time.start else {
            continue;
        };
        // Only what happened moves people: not a planned, denied or cancelled contact, nor one known only
        // to a window of days.
        let happened = !matches!(
            contact.status,
            Status::Planned | Status::Postponed | Status::Denied | Status::Cancelled
        ) && contact.time.precision() != Precision::Window;
        if !happened || !contact.time.is_current(t, LINGER) {
            continue;
        }
        let place = match (contact.kind, contact.place) {
            (ContactKind::Visit, Place::Route { from, to, .. }) => {
                let progress = travel_progress(scenario, contact, t);
                if progress < 1.0 {
                    Whereabouts::Travelling { from, to, progress }
                } else {
                    Whereabouts::At(to)
                }
            }
            (
                ContactKind::Meeting
                | ContactKind::Mediation
                | ContactKind::Statement
                | ContactKind::Interview
                | ContactKind::Post,
                Place::At(v),
            ) if scenario.venue(v).location.is_some() => Whereabouts::At(v),
            _ => continue,
        };
        for actor in moved_by(contact) {
            let slot = actor.0 as usize;
            if since[slot].is_none_or(|prev| prev <= (start, i)) {
                since[slot] = Some((start, i));
                out[slot] = Some(place);
            }
        }
    }
    out
}
