//! Which contacts the user wants to see: by actor, country, kind and status, and a text search.
//!
//! The list, the map and the timeline all show the contacts that pass the same filter.

use std::collections::BTreeSet;

use super::evidence::shown_grade;
use super::{Contact, ContactId, ContactKind, Grade, Named as _, Place, Review, Scenario, Status};

/// Where a contact comes from, and the analyst's decision on it: the review filter's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// Machine-coded, not yet reviewed.
    Candidate,
    /// Machine-coded and accepted: it looks like the analyst's own.
    Accepted,
    /// Machine-coded and rejected: hidden unless the filter asks for it.
    Rejected,
    /// Written by the analyst (no provenance).
    Own,
}

impl Origin {
    pub const ALL: [Self; 4] = [Self::Candidate, Self::Accepted, Self::Rejected, Self::Own];

    pub fn of(contact: &Contact) -> Self {
        match contact.provenance.as_ref().map(|p| p.review) {
            None => Self::Own,
            Some(Review::Candidate) => Self::Candidate,
            Some(Review::Accepted) => Self::Accepted,
            Some(Review::Rejected) => Self::Rejected,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Candidate => "candidates",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Own => "the analyst's own",
        }
    }
}

/// An empty set lets everything through; a non-empty one lets through what it holds. All criteria must pass.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words that must all appear (case-insensitively) in the contact's title, summary, participants,
    /// venues, quotes or sources.
    pub text: String,
    /// Actor ids (as in the file, so a filter survives a reload): a contact passes if one takes part.
    pub actors: BTreeSet<String>,
    /// ISO 3166 codes: a contact passes if a participant belongs to one, or it happens in one.
    pub countries: BTreeSet<String>,
    pub kinds: BTreeSet<ContactKind>,
    pub statuses: BTreeSet<Status>,
    /// Only contacts shown by a source graded this well or better on both scales ("B2 or better": A1, A2,
    /// B1, B2); an ungraded contact does not pass.
    pub grade_at_least: Option<Grade>,
    /// Only contacts whose accounts disagree.
    pub disputed_only: bool,
    /// Candidates, accepted, rejected, the analyst's own. Empty: everything but the rejected, which an
    /// analyst has judged wrong and keeps only so that a re-import does not bring them back.
    pub origins: BTreeSet<Origin>,
}

impl Filter {
    /// Whether the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.actors.is_empty()
            && self.countries.is_empty()
            && self.kinds.is_empty()
            && self.statuses.is_empty()
            && self.grade_at_least.is_none()
            && !self.disputed_only
            && self.origins.is_empty()
    }

    /// How many criteria are set, for a "Filters (2)" label.
    pub fn active_count(&self) -> usize {
        usize::from(!self.text.trim().is_empty())
            + usize::from(!self.actors.is_empty())
            + usize::from(!self.countries.is_empty())
            + usize::from(!self.kinds.is_empty())
            + usize::from(!self.statuses.is_empty())
            + usize::from(self.grade_at_least.is_some())
            + usize::from(self.disputed_only)
            + usize::from(!self.origins.is_empty())
    }

    /// What the filter lets through, in words, for the stamp of an export: `None` when it lets everything
    /// through.
    ///
    /// ```
    /// use demarche::model::{Filter, ContactKind};
    /// let mut filter = Filter::default();
    /// assert_eq!(filter.describe(), None);
    /// filter.kinds.insert(ContactKind::Meeting);
    /// filter.grade_at_least = "B2".parse().ok();
    /// filter.text = "Ankara".to_owned();
    /// assert_eq!(
    ///     filter.describe().as_deref(),
    ///     Some("filter: \"Ankara\", kinds meeting, grade B2 or better")
    /// );
    /// ```
    pub fn describe(&self) -> Option<String> {
        fn list<'a>(what: &str, values: impl Iterator<Item = &'a str>) -> String {
            format!("{what} {}", values.collect::<Vec<_>>().join(" "))
        }
        if self.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        let text = self.text.trim();
        if !text.is_empty() {
            parts.push(format!("\"{text}\""));
        }
        if !self.actors.is_empty() {
            parts.push(list("actors", self.actors.iter().map(String::as_str)));
        }
        if !self.countries.is_empty() {
            parts.push(list("countries", self.countries.iter().map(String::as_str)));
        }
        if !self.kinds.is_empty() {
            parts.push(list("kinds", self.kinds.iter().map(|k| k.name())));
        }
        if !self.statuses.is_empty() {
            parts.push(list("statuses", self.statuses.iter().map(|s| s.name())));
        }
        if let Some(grade) = self.grade_at_least {
            parts.push(format!("grade {grade} or better"));
        }
        if self.disputed_only {
            parts.push("disputed only".to_owned());
        }
        if !self.origins.is_empty() {
            parts.push(list("review", self.origins.iter().map(|o| o.label())));
        }
        Some(format!("filter: {}", parts.join(", ")))
    }

    pub fn matches(&self, scenario: &Scenario, contact: &Contact) -> bool {
        self.passes_but_words(scenario, contact) && Words::of(&self.text).all_in(scenario, contact)
    }

    /// [`Filter::matches`] but for the search words.
    fn passes_but_words(&self, scenario: &Scenario, contact: &Contact) -> bool {
        let origin = Origin::of(contact);
        if self.origins.is_empty() {
            if origin == Origin::Rejected {
                return false;
            }
        } else if !self.origins.contains(&origin) {
            return false;
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&contact.kind) {
            return false;
        }
        if !self.statuses.is_empty() && !self.statuses.contains(&contact.status) {
            return false;
        }
        if self.disputed_only && !contact.dispute().any() {
            return false;
        }
        if let Some(floor) = self.grade_at_least
            && !shown_grade(contact, &scenario.sources).is_some_and(|g| g.at_least(floor))
        {
            return false;
        }
        if !self.actors.is_empty()
            && !contact
                .participants
                .iter()
                .any(|p| self.actors.contains(&scenario.actor(p.actor).id))
        {
            return false;
        }
        if !self.countries.is_empty() {
            let by_actor = contact.participants.iter().any(|p| {
                self.countries
                    .contains(&scenario.actor(p.actor).affiliation)
            });
            let by_place = contact
                .venues()
                .into_iter()
                .any(|v| self.countries.contains(&scenario.venue(v).country));
            if !by_actor && !by_place {
                return false;
            }
        }
        true
    }

    /// The contacts of `order` that pass, in the same order.
    pub fn apply(&self, scenario: &Scenario, order: &[ContactId]) -> Vec<ContactId> {
        self.apply_from(scenario, order, super::PARALLEL_PASS)
    }

    /// [`Filter::apply`], on every core from `parallel_from` contacts on (`apply` does from 50,000;
    /// tests compare the two ways on small stories).
    pub fn apply_from(
        &self,
        scenario: &Scenario,
        order: &[ContactId],
        parallel_from: usize,
    ) -> Vec<ContactId> {
        let any_rejected = || {
            scenario
                .contacts
                .iter()
                .any(|c| Origin::of(c) == Origin::Rejected)
        };
        if self.is_empty() && !any_rejected() {
            return order.to_vec();
        }
        let words = Words::of(&self.text);
        let passes = |&id: &ContactId| {
            let contact = scenario.contact(id);
            self.passes_but_words(scenario, contact) && words.all_in(scenario, contact)
        };
        // A large story is read on every core (in order: rayon keeps it).
        if order.len() >= parallel_from {
            use rayon::prelude::*;
            order.par_iter().copied().filter(passes).collect()
        } else {
            order.iter().copied().filter(passes).collect()
        }
    }
}

/// The words of a search, lower-cased once for a whole list: each must appear, case-insensitively, in
/// one of the fields of a contact that a search looks in ([`searched_fields`]). A word holds no white
/// space, so it cannot run from one field into the next.
struct Words(Vec<String>);

impl Words {
    fn of(text: &str) -> Self {
        Self(text.split_whitespace().map(str::to_lowercase).collect())
    }

    fn all_in(&self, scenario: &Scenario, contact: &Contact) -> bool {
        self.0.iter().all(|word| {
            searched_fields(scenario, contact).any(|field| contains_lowercased(field, word))
        })
    }
}

/// Whether `field`, lower-cased, contains `word` (lower-case already), without lower-casing a copy of
/// `field` unless it holds a letter that lower-casing changes outside ASCII (a search over a million
/// contacts made a lower-cased copy of each one's text for every keystroke).
fn contains_lowercased(field: &str, word: &str) -> bool {
    if field.is_ascii() {
        // Lower-casing ASCII text gives ASCII: a word with other letters is not in it. Each place the
        // word's first letter stands, in either case, is compared with the rest of it.
        let (f, w) = (field.as_bytes(), word.as_bytes());
        let Some((&first, rest)) = w.split_first() else {
            return true;
        };
        if w.len() > f.len() {
            return false;
        }
        let last_start = f.len() - w.len();
        memchr::memchr2_iter(first, first.to_ascii_uppercase(), &f[..=last_start])
            .any(|at| f[at + 1..at + w.len()].eq_ignore_ascii_case(rest))
    } else if field
        .chars()
        .all(|c| c.to_lowercase().eq(std::iter::once(c)))
    {
        field.contains(word)
    } else {
        field.to_lowercase().contains(word)
    }
}

/// Every text of `contact` a search looks in: title, summary, notes, its participants' names and roles,
/// its venues' names, its quotes, and what its sources say and who they attribute it to.
fn searched_fields<'a>(
    scenario: &'a Scenario,
    contact: &'a Contact,
) -> impl Iterator<Item = &'a str> {
    let venues = match contact.place {
        Place::None => [None, None],
        Place::At(v) => [Some(v), None],
        Place::Route { from, to, .. } => [Some(from), Some(to)],
    };
    [contact.title.as_str(), &contact.summary, &contact.notes]
        .into_iter()
        .chain(contact.participants.iter().flat_map(|p| {
            let actor = scenario.actor(p.actor);
            [actor.name.as_str(), actor.role.as_str()]
        }))
        .chain(
            venues
                .into_iter()
                .flatten()
                .map(|v| scenario.venue(v).name.as_str()),
        )
        .chain(contact.quotes.iter().map(|q| q.text.as_str()))
        .chain(
            contact
                .sources
                .iter()
                .flat_map(|s| [s.says.as_str(), s.attribution.as_str()]),
        )
}
