//! The second clock: what was known at a given moment, without hindsight.
//!
//! Each account (and each citation) becomes known when its source is published; a source known only to the
//! day counts from the end of that day (see [`published_at`]). A contact is known once one of its accounts
//! is, and shows its status as known then: its leading account among those known, by the rule of
//! [`super::evidence`]. A machine-coded contact becomes known when it was first reported. Whatever gives no
//! publication time at all (an undated source, a contact citing none) is taken as known from the start:
//! the clock can only hold back what it can date.

use jiff::Timestamp;

use super::evidence::{first_reported, published_at, settle};
use super::{Citation, Contact, ContactId, Scenario};

/// The first moment `contact` was known: its earliest account or citation's publication; `None` when
/// nothing of it is dated (known from the start).
pub fn first_known(scenario: &Scenario, contact: &Contact) -> Option<Timestamp> {
    let zone = &scenario.meta.time_zone;
    if let Some(p) = &contact.provenance
        && let Some(t) = p.first_reported
    {
        return Some(t);
    }
    if contact.accounts().is_empty() {
        return first_reported(&contact.sources, &scenario.sources, zone);
    }
    contact
        .accounts()
        .iter()
        .map(|a| first_reported(&a.sources, &scenario.sources, zone))
        .min_by_key(|t| (t.is_some(), *t))
        .flatten()
}

fn known_at(t: Option<Timestamp>, as_of: Timestamp) -> bool {
    t.is_none_or(|t| t <= as_of)
}

/// The scenario as it was known at `as_of`: the contacts known then (in file order), each with the
/// accounts and citations published by then and its status, time and place as known then. Actors, venues
/// and sources are kept as they are, so their ids do not change; contact ids are renumbered, and a time
/// relative to a contact not yet known keeps its resolved value without its basis.
pub fn as_known(scenario: &Scenario, as_of: Timestamp) -> Scenario {
    let zone = &scenario.meta.time_zone;
    let sources = &scenario.sources;
    let citation_known = |c: &Citation| {
        known_at(
            sources
                .get(c.source.0 as usize)
                .and_then(|s| published_at(s, zone)),
            as_of,
        )
    };
    let mut new_id = vec![None; scenario.contacts.len()];
    let mut contacts = Vec::new();
    for (i, contact) in scenario.contacts.iter().enumerate() {
        if !known_at(first_known(scenario, contact), as_of) {
            continue;
        }
        let mut contact = contact.clone();
        if let Some(evidence) = contact.evidence.as_deref_mut() {
            evidence
                .accounts
                .retain(|a| known_at(first_reported(&a.sources, sources, zone), as_of));
            for account in &mut evidence.accounts {
                account.sources.retain(citation_known);
            }
        }
        // The contact stays, known from another report; the citations published later go.
        contact.sources.retain(citation_known);
        settle(&mut contact, sources, zone);
        new_id[i] = Some(ContactId(contacts.len() as u32));
        contacts.push(contact);
    }
    for contact in &mut contacts {
        if let Some(evidence) = contact.evidence.as_deref_mut()
            && let Some(relative) = &mut evidence.relative
        {
            match new_id[relative.anchor.0 as usize] {
                Some(id) => relative.anchor = id,
                None => evidence.relative = None,
            }
        }
    }
    Scenario {
        meta: scenario.meta.clone(),
        sources: scenario.sources.clone(),
        actors: scenario.actors.clone(),
        venues: scenario.venues.clone(),
        contacts,
    }
}
