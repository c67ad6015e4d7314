//! The scenario: who (actors), where (venues), what and when (contacts), and who said so (sources).
//!
//! These are the validated types: every reference is an index that is known to exist, every time is
//! resolved to UTC, every coordinate is in range. Files are read into them by `io::scenario`.

pub mod as_of;
pub mod contact_index;
pub mod evidence;
pub mod filter;
pub mod kinds;
pub mod map;
pub mod time;
pub mod whereabouts;

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use evidence::{Account, Dispute, Evidence, Grade, Relative};
pub use filter::{Filter, Origin};
pub use kinds::{
    ActorKind, Confidence, ContactKind, DayPart, Named, Part, Review, Status, VenueKind, VenueRule,
};
pub use time::{KnownTime, Moment, Precision, When};
pub use whereabouts::{LINGER, Whereabouts};

/// Index of an actor in [`Scenario::actors`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActorId(pub u32);

/// Index of a venue in [`Scenario::venues`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VenueId(pub u32);

/// Index of a source in [`Scenario::sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u32);

/// Index of a contact in [`Scenario::contacts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContactId(pub u32);

/// A position on the Earth, in degrees. Named fields, so longitude and latitude are never swapped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// From this many contacts (or ids) on, a pass that reads every one of them is made on every core: the
/// filter, the checks of a file's ids, and the passes a large story's first frame makes (its time extent,
/// the moments reports came in, the characters to draw, the venues to frame, the time axis's times).
pub const PARALLEL_PASS: usize = 50_000;

/// Folds `items` into one value: in one pass when there are fewer than `parallel_from`, else in chunks
/// on every core, each chunk folded into a value of its own from `init()`, the values then merged. For
/// passes whose result does not depend on how the items are cut.
pub fn fold_chunks<'a, T: Sync, A: Send>(
    items: &'a [T],
    parallel_from: usize,
    init: impl Fn() -> A + Sync + Send,
    fold: impl Fn(&mut A, &'a [T]) + Sync + Send,
    merge: impl Fn(A, A) -> A + Sync + Send,
) -> A {
    use rayon::prelude::*;
    if items.len() < parallel_from {
        let mut value = init();
        fold(&mut value, items);
        return value;
    }
    items
        .par_chunks((parallel_from / 4).max(1))
        .fold(&init, |mut value, chunk| {
            fold(&mut value, chunk);
            value
        })
        .reduce(&init, &merge)
}

/// One story: the set of actors, venues and contacts an analyst follows.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub meta: Meta,
    pub sources: Vec<Source>,
    pub actors: Vec<Actor>,
    pub venues: Vec<Venue>,
    /// In file order; [`Scenario::chronological`] gives them in time order.
    pub contacts: Vec<Contact>,
}

#[derive(Clone, Debug)]
pub struct Meta {
    /// A short stable name, used in export stamps.
    pub id: String,
    pub title: String,
    pub description: String,
    /// Zone for times given without one and for display by default.
    pub time_zone_name: String,
    pub time_zone: TimeZone,
}

/// A publication or document that reports contacts.
#[derive(Clone, Debug)]
pub struct Source {
    pub id: String,
    pub outlet: String,
    pub title: String,
    /// When it was published: a day, or a moment (see [`evidence::published_at`] for what a day means to
    /// the as-of clock).
    pub published: Option<Moment>,
    /// When the analyst read it (a web page may change after).
    pub retrieved: Option<Moment>,
    /// Its Admiralty grade (`B2`), when the analyst gave one.
    pub grade: Option<Grade>,
    pub url: Option<String>,
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    /// ISO 3166-1 alpha-2 code of the country the actor belongs to (`TR`, `IR`, `US`); empty when the source
    /// does not say ("an official from one of the mediating countries").
    pub affiliation: String,
    pub role: String,
    /// Where the actor is usually based.
    pub based_at: Option<VenueId>,
}

#[derive(Clone, Debug)]
pub struct Venue {
    pub id: String,
    pub name: String,
    pub kind: VenueKind,
    /// ISO 3166-1 alpha-2 code, or empty for venues in no country (a sea, a plane).
    pub country: String,
    pub time_zone_name: String,
    pub time_zone: TimeZone,
    /// Where to draw it; `None` for mobile or unspecified venues with no known position.
    pub location: Option<LonLat>,
    /// For areas drawn as a circle.
    pub radius_km: Option<f64>,
    /// For areas drawn as a polygon (outer ring, closed or not).
    pub polygon: Vec<LonLat>,
    /// Whether it is a capital or a main venue of the story: labels of important venues win.
    pub importance: u8,
}

/// Someone's part in a contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Participant {
    pub actor: ActorId,
    pub part: Part,
}

/// Words a person is quoted as saying.
#[derive(Clone, Debug)]
pub struct Quote {
    pub speaker: ActorId,
    pub text: String,
}

/// Where a contact is reported, and how the report attributes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    pub source: SourceId,
    /// What the source says of this contact, in the analyst's words.
    pub says: String,
    /// How the source attributes it: "two regional sources", "a second U.S. official".
    pub attribution: String,
}

/// Where a contact happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Nowhere in particular: a phone call joins the parties where they are.
    None,
    At(VenueId),
    /// A journey. When the source does not say where it started, `from` is the traveller's home venue and
    /// `from_reported` is false, so the viewer and the details can say so.
    Route {
        from: VenueId,
        to: VenueId,
        from_reported: bool,
    },
}

#[derive(Clone, Debug)]
pub struct Contact {
    pub id: String,
    pub kind: ContactKind,
    pub status: Status,
    pub title: String,
    pub summary: String,
    pub participants: Vec<Participant>,
    pub place: Place,
    pub time: KnownTime,
    pub quotes: Vec<Quote>,
    pub sources: Vec<Citation>,
    pub confidence: Option<Confidence>,
    /// Analyst's notes, e.g. why a time or a venue was read as it was.
    pub notes: String,
    /// Where a machine-coded contact comes from and whether the analyst reviewed it; `None` for the
    /// analyst's own. Boxed: most contacts have none.
    pub provenance: Option<Box<Provenance>>,
    /// Competing accounts and a relative time, when the contact has them; `None` for most. When it has
    /// accounts, `status`, `time` and `place` above are those of the leading account (see
    /// [`evidence`]), and the contact's own as written are its first account.
    pub evidence: Option<Box<Evidence>>,
}

/// The origin of a contact coded by a machine (an event dataset such as GDELT, ICEWS or ACLED), and the
/// analyst's decision on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance {
    pub review: Review,
    /// The dataset, as the importer names it: `GDELT 2.0 events`, `ACLED`, `ICEWS`.
    pub dataset: String,
    /// The ids of the dataset's rows this contact stands for (GDELT writes many rows per real event).
    pub rows: Vec<String>,
    /// When the event was first reported (GDELT's DATEADDED, or its earliest mention).
    pub first_reported: Option<Timestamp>,
    /// How many distinct sources reported it.
    pub sources: Option<u32>,
    /// The average tone of the reports (GDELT: -100 to +100).
    pub tone: Option<f64>,
}

impl Contact {
    /// Every account of the contact, its own first; empty when it has only its own.
    pub fn accounts(&self) -> &[Account] {
        self.evidence.as_ref().map_or(&[], |e| &e.accounts)
    }

    /// What its accounts disagree on.
    pub fn dispute(&self) -> Dispute {
        self.evidence
            .as_ref()
            .map(|e| e.dispute)
            .unwrap_or_default()
    }

    /// How its time was given, when relative to another contact's.
    pub fn relative(&self) -> Option<&Relative> {
        self.evidence.as_ref().and_then(|e| e.relative.as_ref())
    }

    /// Whether the contact is machine-coded and not yet reviewed.
    pub fn is_candidate(&self) -> bool {
        self.provenance
            .as_ref()
            .is_some_and(|p| p.review == Review::Candidate)
    }
}

impl Scenario {
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.0 as usize]
    }

    pub fn venue(&self, id: VenueId) -> &Venue {
        &self.venues[id.0 as usize]
    }

    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.0 as usize]
    }

    /// Whether some source is graded: only then is a contact drawn by its grade, and the legend explains
    /// it (a story without grades has nothing to tell apart).
    pub fn has_grades(&self) -> bool {
        self.sources.iter().any(|s| s.grade.is_some())
    }

    pub fn contact(&self, id: ContactId) -> &Contact {
        &self.contacts[id.0 as usize]
    }

    pub fn actor_by_id(&self, id: &str) -> Option<ActorId> {
        self.actors
            .iter()
            .position(|a| a.id == id)
            .map(|i| ActorId(i as u32))
    }

    pub fn venue_by_id(&self, id: &str) -> Option<VenueId> {
        self.venues
            .iter()
            .position(|v| v.id == id)
            .map(|i| VenueId(i as u32))
    }

    pub fn contact_by_id(&self, id: &str) -> Option<ContactId> {
        self.contacts
            .iter()
            .position(|c| c.id == id)
            .map(|i| ContactId(i as u32))
    }

    /// Contacts in time order: those going on since an unknown date first (the background of the story),
    /// then by start, by end, and by file order.
    pub fn chronological(&self) -> Vec<ContactId> {
        let mut ids: Vec<ContactId> = (0..self.contacts.len() as u32).map(ContactId).collect();
        // Each key once (an extent may need a time zone's rules): not twice per comparison.
        ids.sort_by_cached_key(|&id| self.time_key(id));
        ids
    }

    /// What [`Scenario::chronological`] sorts by: contacts with an unknown start first, then by start, end
    /// and place in the file.
    pub fn time_key(&self, id: ContactId) -> (bool, Timestamp, Timestamp, ContactId) {
        let time = &self.contact(id).time;
        let (start, end) = time.extent();
        (time.start.is_some(), start, end, id)
    }

    /// Where `id` is in `order`, a list in time order (as [`Scenario::chronological`] gives, or a part of
    /// it such as a filtered list): found by bisection, `None` when it is not there.
    pub fn position_in(&self, order: &[ContactId], id: ContactId) -> Option<usize> {
        let key = self.time_key(id);
        let at = order.partition_point(|&other| self.time_key(other) < key);
        (order.get(at) == Some(&id)).then_some(at)
    }

    /// A copy, its contacts copied on every core when there are many: what File > Save hands its job, so
    /// that the pause the copy costs the window is halved on a large story.
    pub fn parallel_clone(&self) -> Self {
        use rayon::prelude::*;
        if self.contacts.len() < PARALLEL_PASS {
            return self.clone();
        }
        Self {
            meta: self.meta.clone(),
            sources: self.sources.clone(),
            actors: self.actors.clone(),
            venues: self.venues.clone(),
            contacts: self
                .contacts
                .par_iter()
                .with_min_len(PARALLEL_PASS / 4)
                .cloned()
                .collect(),
        }
    }

    /// The span of time the scenario covers, from its first contact's start to its last one's end.
    pub fn time_extent(&self) -> Option<(Timestamp, Timestamp)> {
        use rayon::prelude::*;
        let wider = |(s0, e0): (Timestamp, Timestamp), (s1, e1): (Timestamp, Timestamp)| {
            (s0.min(s1), e0.max(e1))
        };
        if self.contacts.len() < PARALLEL_PASS {
            return self.contacts.iter().map(|c| c.time.extent()).reduce(wider);
        }
        self.contacts
            .par_iter()
            .with_min_len(PARALLEL_PASS / 4)
            .map(|c| c.time.extent())
            .reduce_with(wider)
    }

    /// Contacts whose time covers `t`.
    pub fn active_at(&self, t: Timestamp) -> impl Iterator<Item = ContactId> + '_ {
        self.contacts
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.time.covers(t))
            .map(|(i, _)| ContactId(i as u32))
    }
}

impl Contact {
    /// Participants with a given part.
    pub fn with_part(&self, part: Part) -> impl Iterator<Item = ActorId> + '_ {
        self.participants
            .iter()
            .filter(move |p| p.part == part)
            .map(|p| p.actor)
    }

    /// The venues the contact takes place at (none, one, or origin and destination).
    pub fn venues(&self) -> Vec<VenueId> {
        match self.place {
            Place::None => Vec::new(),
            Place::At(v) => vec![v],
            Place::Route { from, to, .. } => vec![from, to],
        }
    }
}
