//! Which contacts may be going on at a moment, found without reading every contact: a frame of a story of
//! a million contacts needs the few thousand going on, and a scan of every contact's time (hundreds of
//! bytes apart in memory) costs more than the whole frame may.
//!
//! [`ContactIndex`] sorts the contacts into tiers by length (a day, a week, a month, a season, a year and
//! a half) and keeps each tier's starts and ends, in seconds, in arrays sorted by start. In a tier whose
//! contacts last at most `L`, those that may be going on at `t` started between `t - slack - L` and `t`:
//! two binary searches and a scan of the starts in between. The few longer or open-ended contacts (a
//! build-up "ongoing", a date unknown) are kept in a list read whole. The answer is a superset: the caller
//! keeps what its own rule shows ([`super::KnownTime::is_current`], the scene's presence with its trail),
//! so the index never changes what is drawn, only what is read.

use jiff::{SignedDuration, Timestamp};

use super::{ContactId, ContactKind, Scenario, Status};

/// The longest contact of each tier; longer ones are always read.
const TIERS: [SignedDuration; 5] = [
    SignedDuration::from_hours(24),
    SignedDuration::from_hours(24 * 8),
    SignedDuration::from_hours(24 * 32),
    SignedDuration::from_hours(24 * 128),
    SignedDuration::from_hours(24 * 550),
];

/// The contacts of one tier, sorted by start.
#[derive(Clone, Debug, Default)]
struct Tier {
    /// The longest a contact of the tier lasts, in seconds.
    longest: i64,
    /// Starts in seconds, ascending.
    starts: Vec<i64>,
    /// Ends (exclusive) in seconds, in the same order.
    ends: Vec<i64>,
    ids: Vec<ContactId>,
}

/// Contacts' times in arrays sorted by start (see the module's notes). Made once per scenario.
#[derive(Clone, Debug, Default)]
pub struct ContactIndex {
    tiers: Vec<Tier>,
    /// Contacts longer than the last tier, open-ended, or with no start.
    long: Vec<ContactId>,
    /// How many contacts the index was made from (to tell a stale index: see [`ContactIndex::fits`]).
    contacts: usize,
    /// The kinds and the statuses of the contacts, each once, sorted (for the legend).
    kinds: Vec<ContactKind>,
    statuses: Vec<Status>,
    /// The contacts with a provenance (machine-coded), whatever the analyst decided of them.
    machine_coded: Vec<ContactId>,
    /// Whether some contact's accounts disagree.
    any_disputed: bool,
    /// Whether some source is graded (the map then draws each contact by its grade), found once: an
    /// imported story may hold a source per article.
    graded: bool,
}

impl ContactIndex {
    pub fn new(scenario: &Scenario) -> Self {
        let mut tiers: Vec<Vec<(i64, i64, ContactId)>> = vec![Vec::new(); TIERS.len()];
        let mut long = Vec::new();
        let (mut kinds, mut statuses) = (Vec::new(), Vec::new());
        let mut machine_coded = Vec::new();
        let mut any_disputed = false;
        for (i, contact) in scenario.contacts.iter().enumerate() {
            let id = ContactId(i as u32);
            any_disputed = any_disputed || contact.dispute().any();
            if contact.provenance.is_some() {
                machine_coded.push(id);
            }
            if !kinds.contains(&contact.kind) {
                kinds.push(contact.kind);
            }
            if !statuses.contains(&contact.status) {
                statuses.push(contact.status);
            }
            let (Some(s), Some(e)) = (contact.time.start, contact.time.end) else {
                long.push(id);
                continue;
            };
            let length = e.duration_since(s);
            match TIERS.iter().position(|&most| length <= most) {
                Some(tier) => tiers[tier].push((s.as_second(), e.as_second(), id)),
                None => long.push(id),
            }
        }
        let tiers = tiers
            .into_iter()
            .zip(TIERS)
            .map(|(mut entries, most)| {
                entries.sort_unstable();
                let mut tier = Tier {
                    longest: most.as_secs(),
                    starts: Vec::with_capacity(entries.len()),
                    ends: Vec::with_capacity(entries.len()),
                    ids: Vec::with_capacity(entries.len()),
                };
                for (s, e, id) in entries {
                    tier.starts.push(s);
                    tier.ends.push(e);
                    tier.ids.push(id);
                }
                tier
            })
            .collect();
        kinds.sort_unstable();
        statuses.sort_unstable();
        Self {
            tiers,
            long,
            contacts: scenario.contacts.len(),
            kinds,
            statuses,
            machine_coded,
            any_disputed,
            graded: scenario.has_grades(),
        }
    }

    /// Whether some contact's accounts disagree (for the legend and the filters).
    pub fn any_disputed(&self) -> bool {
        self.any_disputed
    }

    /// Whether some source of the story is graded ([`Scenario::has_grades`]).
    pub fn graded(&self) -> bool {
        self.graded
    }

    /// The machine-coded contacts (with a provenance), whether candidates, accepted or rejected: the
    /// analyst's review changes which, not whether.
    pub fn machine_coded(&self) -> &[ContactId] {
        &self.machine_coded
    }

    /// The kinds of the scenario's contacts, each once, sorted.
    pub fn kinds(&self) -> &[ContactKind] {
        &self.kinds
    }

    /// The statuses of the scenario's contacts, each once, sorted.
    pub fn statuses(&self) -> &[Status] {
        &self.statuses
    }

    /// Whether the index was made from a scenario with as many contacts as `scenario`.
    pub fn fits(&self, scenario: &Scenario) -> bool {
        self.contacts == scenario.contacts.len()
    }

    /// The contacts that may be shown at `t`: those that have started by `t` and ended less than `slack`
    /// before it (or not at all), and every long or open-ended contact. In file order (ascending ids).
    pub fn around(&self, t: Timestamp, slack: SignedDuration) -> Vec<ContactId> {
        let t_s = t.as_second();
        let after = t_s.saturating_sub(slack.as_secs());
        let mut out = Vec::new();
        for tier in &self.tiers {
            // A contact of the tier that ends after `after` started after `after - longest`.
            let first = tier
                .starts
                .partition_point(|&s| s <= after.saturating_sub(tier.longest));
            let last = tier.starts.partition_point(|&s| s <= t_s).max(first);
            out.extend(
                (first..last)
                    .filter(|&i| tier.ends[i] > after || tier.starts[i] == tier.ends[i])
                    .map(|i| tier.ids[i]),
            );
        }
        out.extend_from_slice(&self.long);
        out.sort_unstable();
        out
    }

    /// The contacts current at `t` ([`super::KnownTime::is_current`] with [`super::LINGER`]), in file
    /// order: what the list highlights and the "Now" panel lists.
    /// An index made from another scenario (see [`ContactIndex::fits`]) reads every contact instead.
    pub fn current(&self, scenario: &Scenario, t: Timestamp) -> Vec<ContactId> {
        let mut ids = if self.fits(scenario) {
            self.around(t, super::LINGER)
        } else {
            (0..scenario.contacts.len() as u32).map(ContactId).collect()
        };
        ids.retain(|&id| scenario.contact(id).time.is_current(t, super::LINGER));
        ids
    }
}
