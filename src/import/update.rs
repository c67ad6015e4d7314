//! Re-importing newer data into a scenario the analyst has worked on: contacts are matched by their
//! dataset's row ids (GDELT's GlobalEventID, ACLED's event_id_cnty, ICEWS's Event ID), so that
//!
//! - a contact whose rows come again is updated in place (ACLED edits an event under the same id with a
//!   new timestamp: the new text, time, place or actors replace the old), keeping its id and the analyst's
//!   decision (accepted or rejected stays so);
//! - a contact of rows not seen before is added as a candidate;
//! - nothing is duplicated, and nothing is lost: the analyst's own contacts, and machine-coded ones the new
//!   files do not mention, are kept as they were.
//!
//! Actors, venues and sources of the new import are matched to the scenario's by what they are (name and
//! country; name, kind and place; URL or outlet and title), and added with ids of their own otherwise.
//!
//! ```
//! use demarche::import::update::merge;
//!
//! let story = demarche::io::scenario::default_scenario().scenario;
//! let mut nothing_new = story.clone();
//! nothing_new.contacts.clear();
//! let (merged, counts) = merge(story, nothing_new);
//! assert_eq!((counts.kept, counts.kept_own, counts.added), (13, 13, 0));
//! assert_eq!(merged.contacts.len(), 13);
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::model::{
    Actor, ActorId, Contact, Place, Review, Scenario, Source, SourceId, Venue, VenueId,
};

/// What a re-import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UpdateCounts {
    /// Contacts whose rows came again with something changed: updated, their decision kept.
    pub updated: usize,
    /// Contacts of rows not seen before: added as candidates.
    pub added: usize,
    /// Contacts whose rows came again unchanged.
    pub unchanged: usize,
    /// Contacts of the scenario the new files do not mention, kept as they were.
    pub kept: usize,
    /// Of those kept, the analyst's own (no provenance).
    pub kept_own: usize,
    /// Contacts with the analyst's decision (accepted or rejected), all kept.
    pub decisions: usize,
}

impl fmt::Display for UpdateCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} updated, {} added (candidates), {} unchanged, {} kept as they were ({} the analyst's own); {} decisions kept",
            self.updated, self.added, self.unchanged, self.kept, self.kept_own, self.decisions
        )
    }
}

/// The dataset family a row id belongs to: GDELT 1.0 and 2.0 number their events in one sequence.
fn family(dataset: &str) -> &str {
    dataset.split_whitespace().next().unwrap_or(dataset)
}

/// `existing` with `imported`'s contacts merged in by their row ids (see the module's documentation).
pub fn merge(existing: Scenario, imported: Scenario) -> (Scenario, UpdateCounts) {
    let mut out = existing;
    let mut counts = UpdateCounts::default();
    let mut by_row: HashMap<(String, String), usize> = HashMap::new();
    for (i, c) in out.contacts.iter().enumerate() {
        if let Some(p) = &c.provenance {
            for row in &p.rows {
                by_row
                    .entry((family(&p.dataset).to_owned(), row.clone()))
                    .or_insert(i);
            }
        }
    }
    let before = out.contacts.len();
    let mut touched: HashSet<usize> = HashSet::new();
    let mut tables = Tables::new(&out);
    let mut imported = imported;
    let contacts = std::mem::take(&mut imported.contacts);
    for contact in contacts {
        let mut contact = tables.remap(&mut out, &imported, contact);
        let matched = contact.provenance.as_ref().and_then(|p| {
            p.rows
                .iter()
                .filter_map(|row| {
                    by_row
                        .get(&(family(&p.dataset).to_owned(), row.clone()))
                        .copied()
                })
                .min()
        });
        match matched {
            Some(i) if touched.contains(&i) => {
                // Rows of a contact already updated from another new contact: it stands for them both.
                if let (Some(old), Some(new)) = (
                    out.contacts[i].provenance.as_mut(),
                    contact.provenance.as_ref(),
                ) {
                    for row in &new.rows {
                        if !old.rows.contains(row) {
                            old.rows.push(row.clone());
                        }
                    }
                }
            }
            Some(i) => {
                touched.insert(i);
                let old = &out.contacts[i];
                contact.id.clone_from(&old.id);
                if let (Some(new), Some(was)) = (contact.provenance.as_mut(), &old.provenance) {
                    new.review = was.review;
                    for row in &was.rows {
                        if !new.rows.contains(row) {
                            new.rows.push(row.clone());
                        }
                    }
                }
                if same_contact(old, &contact) {
                    counts.unchanged += 1;
                } else {
                    counts.updated += 1;
                    out.contacts[i] = contact;
                }
            }
            None => {
                contact.id = tables.contact_id(&contact.id);
                if let Some(p) = contact.provenance.as_mut() {
                    p.review = Review::Candidate;
                    let fam = family(&p.dataset).to_owned();
                    for row in &p.rows {
                        by_row
                            .entry((fam.clone(), row.clone()))
                            .or_insert(out.contacts.len());
                    }
                }
                touched.insert(out.contacts.len());
                out.contacts.push(contact);
                counts.added += 1;
            }
        }
    }
    for (i, c) in out.contacts.iter().enumerate().take(before) {
        if !touched.contains(&i) {
            counts.kept += 1;
            counts.kept_own += usize::from(c.provenance.is_none());
        }
    }
    counts.decisions = out
        .contacts
        .iter()
        .filter(|c| {
            c.provenance
                .as_ref()
                .is_some_and(|p| p.review != Review::Candidate)
        })
        .count();
    (out, counts)
}

/// Whether two contacts say the same (their ids aside): what a re-import compares to count a contact
/// unchanged. References are compared as indices into the same tables (the new contact is remapped first).
fn same_contact(a: &Contact, b: &Contact) -> bool {
    a.kind == b.kind
        && a.status == b.status
        && a.title == b.title
        && a.summary == b.summary
        && a.participants == b.participants
        && a.place == b.place
        && a.time == b.time
        && a.notes == b.notes
        && a.provenance == b.provenance
        && a.sources.len() == b.sources.len()
        && a.sources.iter().zip(&b.sources).all(|(x, y)| {
            x.source == y.source && x.says == y.says && x.attribution == y.attribution
        })
}

/// The ids taken in the scenario, and the new import's actors, venues and sources already matched.
struct Tables {
    actor_ids: HashSet<String>,
    venue_ids: HashSet<String>,
    source_ids: HashSet<String>,
    contact_ids: HashSet<String>,
    actors: HashMap<u32, ActorId>,
    venues: HashMap<u32, VenueId>,
    sources: HashMap<u32, SourceId>,
}

impl Tables {
    fn new(s: &Scenario) -> Self {
        Self {
            actor_ids: s.actors.iter().map(|a| a.id.clone()).collect(),
            venue_ids: s.venues.iter().map(|v| v.id.clone()).collect(),
            source_ids: s.sources.iter().map(|x| x.id.clone()).collect(),
            contact_ids: s.contacts.iter().map(|c| c.id.clone()).collect(),
            actors: HashMap::new(),
            venues: HashMap::new(),
            sources: HashMap::new(),
        }
    }

    /// An id not yet taken in the contacts: `id`, or `id-2`, `id-3`...
    fn contact_id(&mut self, id: &str) -> String {
        unique(&mut self.contact_ids, id)
    }

    /// `contact` of `from`, with its actors, venues and sources made `out`'s (matched, or added).
    fn remap(&mut self, out: &mut Scenario, from: &Scenario, mut contact: Contact) -> Contact {
        for p in &mut contact.participants {
            p.actor = self.actor(out, from, p.actor);
        }
        contact.place = match contact.place {
            Place::None => Place::None,
            Place::At(v) => Place::At(self.venue(out, from, v)),
            Place::Route {
                from: a,
                to: b,
                from_reported,
            } => Place::Route {
                from: self.venue(out, from, a),
                to: self.venue(out, from, b),
                from_reported,
            },
        };
        for q in &mut contact.quotes {
            q.speaker = self.actor(out, from, q.speaker);
        }
        for c in &mut contact.sources {
            c.source = self.source(out, from, c.source);
        }
        contact
    }

    fn actor(&mut self, out: &mut Scenario, from: &Scenario, id: ActorId) -> ActorId {
        if let Some(&a) = self.actors.get(&id.0) {
            return a;
        }
        let actor = from.actor(id);
        let found = out.actors.iter().position(|a| {
            a.name == actor.name && a.affiliation == actor.affiliation && a.kind == actor.kind
        });
        let mapped = found.map_or_else(
            || {
                let based_at = actor.based_at.map(|v| self.venue(out, from, v));
                out.actors.push(Actor {
                    id: unique(&mut self.actor_ids, &actor.id),
                    based_at,
                    ..actor.clone()
                });
                ActorId(out.actors.len() as u32 - 1)
            },
            |i| ActorId(i as u32),
        );
        self.actors.insert(id.0, mapped);
        mapped
    }

    fn venue(&mut self, out: &mut Scenario, from: &Scenario, id: VenueId) -> VenueId {
        if let Some(&v) = self.venues.get(&id.0) {
            return v;
        }
        let venue = from.venue(id);
        let found = out.venues.iter().position(|v| same_venue(v, venue));
        let mapped = found.map_or_else(
            || {
                out.venues.push(Venue {
                    id: unique(&mut self.venue_ids, &venue.id),
                    ..venue.clone()
                });
                VenueId(out.venues.len() as u32 - 1)
            },
            |i| VenueId(i as u32),
        );
        self.venues.insert(id.0, mapped);
        mapped
    }

    fn source(&mut self, out: &mut Scenario, from: &Scenario, id: SourceId) -> SourceId {
        if let Some(&s) = self.sources.get(&id.0) {
            return s;
        }
        let source = from.source(id);
        let found = out
            .sources
            .iter()
            .position(|s| match (&s.url, &source.url) {
                (Some(a), Some(b)) => a == b,
                (None, None) => s.outlet == source.outlet && s.title == source.title,
                _ => false,
            });
        let mapped = found.map_or_else(
            || {
                let mut n = out.sources.len() + 1;
                let mut sid = format!("s{n}");
                while self.source_ids.contains(&sid) {
                    n += 1;
                    sid = format!("s{n}");
                }
                self.source_ids.insert(sid.clone());
                out.sources.push(Source {
                    id: sid,
                    ..source.clone()
                });
                SourceId(out.sources.len() as u32 - 1)
            },
            |i| SourceId(i as u32),
        );
        self.sources.insert(id.0, mapped);
        mapped
    }
}

fn same_venue(a: &Venue, b: &Venue) -> bool {
    let near = |x: Option<crate::model::LonLat>, y: Option<crate::model::LonLat>| match (x, y) {
        (Some(x), Some(y)) => (x.lon - y.lon).abs() < 1e-6 && (x.lat - y.lat).abs() < 1e-6,
        (None, None) => true,
        _ => false,
    };
    a.name == b.name
        && a.kind == b.kind
        && a.country == b.country
        && a.radius_km == b.radius_km
        && near(a.location, b.location)
}

/// `base`, or `base-2`, `base-3`... whichever is not in `taken`; then taken.
fn unique(taken: &mut HashSet<String>, base: &str) -> String {
    let mut id = base.to_owned();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}
