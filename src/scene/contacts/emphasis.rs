//! How loudly each contact is drawn: what the user selected stands out and the rest is dimmed, and a
//! contact that runs in the background for weeks (a mediation, a build-up) is drawn quietly unless
//! something makes it the news.
//!
//! The rule for background contacts: a contact is *background* when it goes on since an unknown date or
//! lasts longer than [`BACKGROUND_SPAN`]. It is drawn in full while it starts (its first
//! [`BACKGROUND_NEWS`]), when it (or one of its participants, or its venue) is selected, and while one of
//! its participants acts in a shorter contact going on; otherwise it is a thin, faint line with no pulse,
//! so what happens now stands out.

use jiff::{SignedDuration, Timestamp};

use crate::model::{ActorId, Contact, ContactId, LINGER, Precision, Scenario};
use crate::scene::Pick;

/// A contact longer than this is a background contact (see the module's doc).
pub const BACKGROUND_SPAN: SignedDuration = SignedDuration::from_hours(72);

/// How long after its start a background contact is drawn in full, as news.
pub const BACKGROUND_NEWS: SignedDuration = SignedDuration::from_hours(12);

/// How much of its colour a dimmed contact keeps (selection elsewhere) and a quiet one (background).
pub const DIMMED_ALPHA: f32 = 0.3;
pub const QUIET_ALPHA: f32 = 0.45;

/// How a contact is drawn against the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emphasis {
    /// Nothing is selected.
    Normal,
    /// It is the selection, or takes part in it (the selected actor's contacts, the selected venue's).
    Selected,
    /// Something else is selected.
    Dimmed,
}

/// How contact `id` is drawn when `selection` is selected.
pub fn emphasis(scenario: &Scenario, id: ContactId, selection: Option<Pick>) -> Emphasis {
    let c = scenario.contact(id);
    let involved = match selection {
        None => return Emphasis::Normal,
        Some(Pick::Contact(s)) => s == id,
        Some(Pick::Actor(a)) => c.participants.iter().any(|p| p.actor == a),
        Some(Pick::Venue(v)) => c.venues().contains(&v),
    };
    if involved {
        Emphasis::Selected
    } else {
        Emphasis::Dimmed
    }
}

/// Whether a contact is background: going on since an unknown date, or longer than [`BACKGROUND_SPAN`].
pub fn is_background(c: &Contact) -> bool {
    if c.time.precision() == Precision::Ongoing || c.time.start.is_none() {
        return true;
    }
    match (c.time.start, c.time.end) {
        (Some(s), Some(e)) => e.duration_since(s) > BACKGROUND_SPAN,
        _ => false,
    }
}

/// The actors acting at `t` in a contact that is not background (among `live`, the contacts shown).
pub fn acting(scenario: &Scenario, live: &[ContactId], t: Timestamp) -> Vec<ActorId> {
    let mut actors: Vec<ActorId> = live
        .iter()
        .map(|&id| scenario.contact(id))
        .filter(|c| !is_background(c) && c.time.is_current(t, LINGER))
        .flat_map(|c| c.participants.iter().map(|p| p.actor))
        .collect();
    actors.sort();
    actors.dedup();
    actors
}

/// Whether contact `c` is drawn quietly at `t`: background, not selected, not starting, and none of its
/// participants in `acting`.
pub fn is_quiet(c: &Contact, t: Timestamp, emphasis: Emphasis, acting: &[ActorId]) -> bool {
    if emphasis == Emphasis::Selected || !is_background(c) {
        return false;
    }
    let starting = c.time.start.is_some_and(|s| {
        s <= t
            && s.checked_add(BACKGROUND_NEWS)
                .is_ok_and(|news_until| t < news_until)
    });
    let parties_act = c
        .participants
        .iter()
        .any(|p| acting.binary_search(&p.actor).is_ok());
    !starting && !parties_act
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::scenario::default_scenario;

    #[test]
    fn the_selection_picks_out_its_contacts_and_dims_the_rest() {
        let scenario = default_scenario().scenario;
        let call = scenario
            .contact_by_id("sisi-calls-pezeshkian")
            .expect("a call");
        let other = scenario
            .contact_by_id("fidan-hosts-araghchi")
            .expect("a meeting");
        assert_eq!(emphasis(&scenario, call, None), Emphasis::Normal);
        let selected = Some(Pick::Contact(call));
        assert_eq!(emphasis(&scenario, call, selected), Emphasis::Selected);
        assert_eq!(emphasis(&scenario, other, selected), Emphasis::Dimmed);
        let caller = scenario.contact(call).participants[0].actor;
        assert_eq!(
            emphasis(&scenario, call, Some(Pick::Actor(caller))),
            Emphasis::Selected
        );
    }

    #[test]
    fn a_long_mediation_is_quiet_unless_it_starts_or_its_parties_act() {
        let scenario = default_scenario().scenario;
        let mediation = scenario
            .contacts
            .iter()
            .find(|c| c.kind == crate::model::ContactKind::Mediation)
            .expect("the default story has a mediation");
        assert!(is_background(mediation));
        let t: Timestamp = "2026-02-02T12:00:00Z".parse().expect("a time");
        assert!(is_quiet(mediation, t, Emphasis::Normal, &[]));
        assert!(!is_quiet(mediation, t, Emphasis::Selected, &[]));
        let party = mediation.participants[0].actor;
        assert!(!is_quiet(mediation, t, Emphasis::Normal, &[party]));
        let meeting = scenario.contact(
            scenario
                .contact_by_id("fidan-hosts-araghchi")
                .expect("a meeting"),
        );
        assert!(!is_background(meeting));
    }
}
