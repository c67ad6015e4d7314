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

/// What the as-of clock is set to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AsOf {
    /// Everything known is shown (the as-of clock is off).
    #[default]
    Everything,
    /// What had been reported by this moment.
    At(Timestamp),
    /// What had been reported by the event clock's time: the replay of knowledge.
    FollowsClock,
}

/// The moment after which what was reported is marked "new".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewSince {
    pub since: Timestamp,
    /// Whether it is the last time the file was opened (else a moment the user chose).
    pub last_opened: bool,
}

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
    as_known_with_ids(scenario, as_of).scenario
}

/// A scenario as known at a moment ([`as_known`]), with where each of its contacts is in the whole one.
#[derive(Clone, Debug)]
pub struct Known {
    pub scenario: Scenario,
    /// For each contact of `scenario`, its id in the whole scenario.
    pub whole_ids: Vec<ContactId>,
}

impl Known {
    /// The id in the known scenario of the whole scenario's contact `whole`; `None` when it was not yet
    /// known.
    pub fn known_id(&self, whole: ContactId) -> Option<ContactId> {
        // Contacts keep their file order, so the ids in the whole scenario are sorted.
        self.whole_ids
            .binary_search(&whole)
            .ok()
            .map(|i| ContactId(i as u32))
    }
}

/// [`as_known`], keeping the ids of the whole scenario's contacts.
pub fn as_known_with_ids(scenario: &Scenario, as_of: Timestamp) -> Known {
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
    let mut whole_ids = Vec::new();
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
        whole_ids.push(ContactId(i as u32));
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
    Known {
        scenario: Scenario {
            meta: scenario.meta.clone(),
            sources: scenario.sources.clone(),
            actors: scenario.actors.clone(),
            venues: scenario.venues.clone(),
            contacts,
        },
        whole_ids,
    }
}

/// The last moment something of `contact` was reported: its latest dated account or citation, or its
/// first report when it was machine-coded; `None` when nothing of it is dated.
pub fn last_reported(scenario: &Scenario, contact: &Contact) -> Option<Timestamp> {
    let zone = &scenario.meta.time_zone;
    let sources = &scenario.sources;
    let published = |c: &Citation| {
        sources
            .get(c.source.0 as usize)
            .and_then(|s| published_at(s, zone))
    };
    let cited = contact
        .sources
        .iter()
        .chain(contact.accounts().iter().flat_map(|a| a.sources.iter()))
        .filter_map(published)
        .max();
    let coded = contact.provenance.as_ref().and_then(|p| p.first_reported);
    cited.max(coded)
}

/// Whether something of `contact` (the contact itself, an account, a citation) was reported after
/// `since`: what "new since" marks.
pub fn reported_since(scenario: &Scenario, contact: &Contact, since: Timestamp) -> bool {
    last_reported(scenario, contact).is_some_and(|t| t > since)
}

/// The moments at which what is known of `scenario` changes, in order: each dated source's publication
/// that some contact cites, and each machine-coded contact's first report. Between two of them the
/// scenario as known ([`as_known`]) stays the same.
pub fn report_times(scenario: &Scenario) -> Vec<Timestamp> {
    let zone = &scenario.meta.time_zone;
    let sources = scenario.sources.len();
    let (cited, mut times) = super::fold_chunks(
        &scenario.contacts,
        super::PARALLEL_PASS,
        || (vec![false; sources], Vec::new()),
        read_reports,
        |(mut cited, mut times), (other_cited, other_times)| {
            cited.iter_mut().zip(other_cited).for_each(|(c, o)| *c |= o);
            times.extend(other_times);
            (cited, times)
        },
    );
    times.extend(
        scenario
            .sources
            .iter()
            .zip(&cited)
            .filter(|(_, cited)| **cited)
            .filter_map(|(s, _)| published_at(s, zone)),
    );
    times.sort_unstable();
    times.dedup();
    times
}

/// Notes which sources `contacts` cite (by index) and the first reports of those coded by a machine.
fn read_reports(
    (cited, times): &mut (Vec<bool>, Vec<Timestamp>),
    contacts: &[crate::model::Contact],
) {
    for contact in contacts {
        for citation in contact
            .sources
            .iter()
            .chain(contact.accounts().iter().flat_map(|a| a.sources.iter()))
        {
            if let Some(seen) = cited.get_mut(citation.source.0 as usize) {
                *seen = true;
            }
        }
        if let Some(t) = contact.provenance.as_ref().and_then(|p| p.first_reported) {
            times.push(t);
        }
    }
}
