//! Where each actor is at a moment: at home, travelling on a visit, or at the venue of a contact going on.
//!
//! The sources say where people went, rarely where they were in between. The rule is simple and stated:
//! an actor is at their base, except while a contact places them elsewhere: a visit (travelling, then at the
//! destination), or a meeting, statement or interview at a venue with a known position. Phone calls and
//! messages through channels move nobody.

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

/// The actors a contact moves: the travellers of a visit (everyone but its hosts), everyone at a meeting,
/// the speakers of a statement or interview given at a venue.
fn moved_by(contact: &Contact) -> impl Iterator<Item = ActorId> + '_ {
    contact
        .participants
        .iter()
        .filter(move |p| match contact.kind {
            ContactKind::Visit | ContactKind::MilitaryMove => {
                !matches!(p.part, Part::Host | Part::Target)
            }
            ContactKind::Meeting => true,
            ContactKind::Statement | ContactKind::Interview => p.part == Part::Speaker,
            _ => false,
        })
        .map(|p| p.actor)
}

/// Where every actor is at `t` (indexed by [`ActorId`]); `None` for an actor with no base and no contact
/// placing them. Of two contacts placing an actor, the one that started later wins (then the later in the
/// file).
pub fn whereabouts(scenario: &Scenario, t: Timestamp) -> Vec<Option<Whereabouts>> {
    let mut out: Vec<Option<Whereabouts>> = scenario
        .actors
        .iter()
        .map(|a| a.based_at.map(Whereabouts::At))
        .collect();
    let mut since: Vec<Option<(Timestamp, usize)>> = vec![None; scenario.actors.len()];
    for (i, contact) in scenario.contacts.iter().enumerate() {
        let Some(start) = contact.time.start else {
            continue;
        };
        // Only what happened moves people: not a planned, denied or cancelled contact, nor one known only
        // to a window of days.
        let happened = !matches!(
            contact.status,
            Status::Planned | Status::Denied | Status::Cancelled
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
                ContactKind::Meeting | ContactKind::Statement | ContactKind::Interview,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::scenario::default_scenario;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn venue_of(scenario: &Scenario, w: &[Option<Whereabouts>], actor: &str) -> Option<String> {
        let id = scenario.actor_by_id(actor).expect("actor");
        w[id.0 as usize].map(|w| scenario.venue(w.venue()).id.clone())
    }

    #[test]
    fn actors_are_at_home_unless_a_contact_places_them() {
        let scenario = default_scenario().scenario;
        let w = whereabouts(&scenario, ts("2026-01-29T12:00:00Z"));
        assert_eq!(venue_of(&scenario, &w, "al-thani").as_deref(), Some("doha"));
        assert_eq!(venue_of(&scenario, &w, "zamir").as_deref(), Some("israel"));
        assert_eq!(venue_of(&scenario, &w, "mediator-official"), None);
    }

    #[test]
    fn a_visitor_travels_then_stays_at_the_destination_then_goes_home() {
        let scenario = default_scenario().scenario;
        let al_thani = scenario.actor_by_id("al-thani").expect("actor");
        // Saturday in Tehran starts at Fri 20:30 UTC; Doha-Tehran is about 1,100 km: 2.5 hours.
        let leaving = whereabouts(&scenario, ts("2026-01-30T21:30:00Z"));
        match leaving[al_thani.0 as usize] {
            Some(Whereabouts::Travelling { progress, .. }) => {
                assert!(progress > 0.2 && progress < 0.6, "progress {progress}");
            }
            other => panic!("expected travelling, got {other:?}"),
        }
        let w = whereabouts(&scenario, ts("2026-01-31T12:00:00Z"));
        assert_eq!(
            venue_of(&scenario, &w, "al-thani").as_deref(),
            Some("tehran")
        );
        let w = whereabouts(&scenario, ts("2026-02-02T12:00:00Z"));
        assert_eq!(venue_of(&scenario, &w, "al-thani").as_deref(), Some("doha"));
    }

    #[test]
    fn a_guest_is_at_the_meeting_venue_while_it_goes_on() {
        let scenario = default_scenario().scenario;
        let w = whereabouts(&scenario, ts("2026-01-30T12:00:00Z"));
        assert_eq!(
            venue_of(&scenario, &w, "araghchi").as_deref(),
            Some("turkiye")
        );
        assert_eq!(venue_of(&scenario, &w, "fidan").as_deref(), Some("turkiye"));
    }

    #[test]
    fn a_planned_meeting_moves_nobody() {
        let scenario = default_scenario().scenario;
        // The planned Ankara meeting's window covers the first week of February.
        let w = whereabouts(&scenario, ts("2026-02-03T12:00:00Z"));
        assert_eq!(
            venue_of(&scenario, &w, "witkoff").as_deref(),
            Some("washington")
        );
    }

    #[test]
    fn a_trip_takes_its_flight_time_but_never_most_of_the_visit() {
        let scenario = default_scenario().scenario;
        let id = scenario
            .contact_by_id("zamir-visits-washington")
            .expect("contact");
        let visit = scenario.contact(id);
        let start = visit.time.start.expect("start");
        let end = visit.time.end.expect("end");
        assert_eq!(travel_progress(&scenario, visit, start), 0.0);
        assert_eq!(travel_progress(&scenario, visit, end), 1.0);
        // Israel to Washington is about 9,400 km: some 13.5 hours, well under 40% of two days.
        let after_13h = start
            .checked_add(SignedDuration::from_hours(13))
            .expect("t");
        let after_15h = start
            .checked_add(SignedDuration::from_hours(15))
            .expect("t");
        assert!(travel_progress(&scenario, visit, after_13h) < 1.0);
        assert_eq!(travel_progress(&scenario, visit, after_15h), 1.0);
    }
}
