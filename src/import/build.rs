//! From rows to a scenario: each row is mapped ([`super::cameo`]), filtered, and merged with the rows that
//! report the same event into one candidate contact.
//!
//! Rows merge when they have the same day (or window), the same actors (in either order where the code is
//! symmetric, and the visitor's `042` row with the host's `043` row), the same code group and the same
//! place. The contact lists every row it stands for, cites every distinct source, and keeps the earliest
//! report and the largest number of sources among its rows.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::cameo::{self, Mapping};
use super::countries::{self, Country};
use super::read::Mentions;
use super::{Options, Summary};
use crate::model::{
    Actor, ActorKind, Citation, Contact, ContactKind, KnownTime, LonLat, Meta, Moment, Named as _,
    Part, Participant, Place, Provenance, Review, Scenario, Source, SourceId, Venue, VenueId,
    VenueKind, VenueRule, When,
};

/// The dataset a row comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dataset {
    Gdelt2,
    Gdelt1,
    Acled,
    Icews,
}

impl Dataset {
    pub fn name(self) -> &'static str {
        match self {
            Self::Gdelt2 => "GDELT 2.0 events",
            Self::Gdelt1 => "GDELT 1.0 events",
            Self::Acled => "ACLED",
            Self::Icews => "ICEWS",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Self::Gdelt2 | Self::Gdelt1 => "gdelt",
            Self::Acled => "acled",
            Self::Icews => "icews",
        }
    }
}

/// An actor as a row gives it.
#[derive(Clone, Debug)]
pub struct ActorIn<'r> {
    /// What makes two rows' actors the same (GDELT's actor code, ACLED's and ICEWS's name).
    pub key: &'r str,
    pub name: Cow<'r, str>,
    pub kind: ActorKind,
    pub country: Option<Country>,
}

/// How much of a place is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extent {
    /// A town or city.
    Point,
    /// Near a town (ACLED geo_precision 2).
    Near,
    /// Only the province or state (GDELT geo types 2 and 5, ACLED geo_precision 3): its centroid.
    Region,
    /// Only the country (GDELT geo type 1): its centroid.
    Country,
}

impl Extent {
    /// The radius of the "somewhere in X" circle drawn for a place known only this well.
    pub fn radius_km(self) -> Option<f64> {
        match self {
            Self::Point => None,
            Self::Near => Some(25.0),
            Self::Region => Some(150.0),
            Self::Country => Some(400.0),
        }
    }
}

/// A place as a row gives it.
#[derive(Clone, Debug)]
pub struct PlaceIn<'r> {
    /// What makes two rows' places the same (GDELT's feature id: its names are damaged).
    pub key: &'r str,
    pub name: Cow<'r, str>,
    pub at: LonLat,
    pub extent: Extent,
    pub country: Option<Country>,
}

/// Who reported a row.
#[derive(Clone, Copy, Debug)]
pub enum Cite<'r> {
    None,
    /// An article (GDELT's SOURCEURL), and when GDELT saw it.
    Url(&'r str, Option<Timestamp>),
    /// Outlet names separated by `;` (ACLED).
    Outlets(&'r str),
    /// A story of a publisher (ICEWS).
    Story {
        publisher: &'r str,
        story: &'r str,
    },
}

/// One row, read.
#[derive(Clone, Debug)]
pub struct RowIn<'r> {
    pub dataset: Dataset,
    pub id: &'r str,
    /// GDELT's GLOBALEVENTID, for the join with mentions.
    pub event_id: Option<u64>,
    pub date: Date,
    /// The week or month when only that is known (ACLED time_precision 2, 3).
    pub window: Option<(Date, Date)>,
    /// The CAMEO code (ACLED: the code standing for its type).
    pub code: &'r str,
    pub actors: [Option<ActorIn<'r>>; 2],
    pub place: Option<PlaceIn<'r>>,
    pub first_reported: Option<Timestamp>,
    pub sources: u32,
    pub tone: Option<f64>,
    pub cite: Cite<'r>,
}

/// What makes rows one contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    dataset: Dataset,
    start: Date,
    end: Date,
    actors: [u32; 2],
    group: u16,
    venue: u32,
}

/// A contact being gathered.
#[derive(Debug)]
struct Draft {
    mapping: Mapping,
    code: Box<str>,
    dataset: Dataset,
    participants: [(u32, Part); 2],
    venue: Option<u32>,
    date: Date,
    window: Option<(Date, Date)>,
    rows: Vec<String>,
    /// How many rows each file gave, for the counts when the contact is dropped.
    files: Vec<(u16, u32)>,
    sources: Vec<u32>,
    mention_domains: Vec<u32>,
    first_reported: Option<Timestamp>,
    most_sources: u32,
    tone_sum: f64,
    tone_rows: u32,
}

/// Gathers rows into contacts.
#[derive(Debug)]
pub struct Builder<'m> {
    options: &'m Options,
    countries: HashSet<&'static str>,
    mentions: &'m Mentions,
    mentions_joined: HashSet<u64>,
    file: u16,
    actors: Vec<Actor>,
    actor_keys: HashMap<(Dataset, String), u32>,
    venues: Vec<Venue>,
    venue_keys: HashMap<(Dataset, Extent, String), u32>,
    sources: Vec<Source>,
    source_keys: HashMap<String, u32>,
    drafts: Vec<Draft>,
    by_key: HashMap<Key, u32>,
}

impl<'m> Builder<'m> {
    pub fn new(options: &'m Options, mentions: &'m Mentions) -> Self {
        Self {
            options,
            countries: options
                .countries
                .iter()
                .filter_map(|c| countries::from_iso2(c))
                .map(|c| c.iso2)
                .collect(),
            mentions,
            mentions_joined: HashSet::new(),
            file: 0,
            actors: Vec::new(),
            actor_keys: HashMap::new(),
            venues: Vec::new(),
            venue_keys: HashMap::new(),
            sources: Vec::new(),
            source_keys: HashMap::new(),
            drafts: Vec::new(),
            by_key: HashMap::with_capacity(1024),
        }
    }

    /// The file the next rows come from (its index in the summary).
    pub fn set_file(&mut self, index: usize) {
        self.file = u16::try_from(index).unwrap_or(u16::MAX);
    }

    /// Distinct events that mentions were joined to.
    pub fn mentions_joined(&self) -> u64 {
        self.mentions_joined.len() as u64
    }

    /// Takes a row into a contact, or says why it is left out.
    pub fn add(&mut self, row: RowIn<'_>) -> Result<(), String> {
        let o = self.options;
        let mentions = self.mentions;
        let mention = row
            .event_id
            .and_then(|id| mentions.by_event.get(&id).map(|m| (id, m)));
        if let Some((id, _)) = mention {
            self.mentions_joined.insert(id);
        }
        if !cameo::selected(row.code, &o.kinds) {
            return Err(format!("not among --kinds (CAMEO {})", root(row.code)));
        }
        let Some(mapping) = cameo::mapping(row.code) else {
            return Err(format!("CAMEO root {}: no contact kind", root(row.code)));
        };
        let (start, end) = row.window.unwrap_or((row.date, row.date));
        if o.from.is_some_and(|from| end < from) || o.to.is_some_and(|to| start > to) {
            return Err("outside --from/--to".to_owned());
        }
        if let Some([west, south, east, north]) = o.bbox {
            let inside = row.place.as_ref().is_some_and(|p| {
                let LonLat { lon, lat } = p.at;
                (south..=north).contains(&lat)
                    && if west <= east {
                        (west..=east).contains(&lon)
                    } else {
                        lon >= west || lon <= east
                    }
            });
            if !inside {
                return Err("outside --bbox, or no place".to_owned());
            }
        }
        if !self.countries.is_empty() {
            let mut codes = row
                .actors
                .iter()
                .flatten()
                .filter_map(|a| a.country)
                .chain(row.place.as_ref().and_then(|p| p.country));
            if !codes.any(|c| self.countries.contains(c.iso2)) {
                return Err("not of --countries".to_owned());
            }
        }
        let [Some(first), Some(second)] = &row.actors else {
            return Err("one actor or none: a contact needs two parties".to_owned());
        };
        let a = self.actor(row.dataset, first);
        let b = self.actor(row.dataset, second);
        if a == b {
            return Err("the same actor on both sides".to_owned());
        }
        let venue = row.place.as_ref().map(|p| self.venue(row.dataset, p));
        // The visitor first, then the host; either order for a symmetric code.
        let mut parts = [(a, mapping.parts[0]), (b, mapping.parts[1])];
        if mapping.parts[0] == Part::Host {
            parts.swap(0, 1);
        }
        let actors = if mapping.symmetric {
            [a.min(b), a.max(b)]
        } else {
            [parts[0].0, parts[1].0]
        };
        let key = Key {
            dataset: row.dataset,
            start,
            end,
            actors,
            group: mapping.group,
            // Where a phone call was placed says nothing of the call: its rows merge wherever placed.
            venue: match mapping.kind.venue_rule() {
                VenueRule::None => u32::MAX,
                _ => venue.unwrap_or(u32::MAX),
            },
        };
        let next = self.drafts.len() as u32;
        let index = *self.by_key.entry(key).or_insert(next);
        if index == next {
            self.drafts.push(Draft {
                mapping,
                code: row.code.into(),
                dataset: row.dataset,
                participants: parts,
                venue,
                date: row.date,
                window: row.window,
                rows: Vec::with_capacity(1),
                files: Vec::with_capacity(1),
                sources: Vec::new(),
                mention_domains: Vec::new(),
                first_reported: None,
                most_sources: 0,
                tone_sum: 0.0,
                tone_rows: 0,
            });
        }
        let cited = self.cite(row.cite);
        let draft = &mut self.drafts[index as usize];
        draft.rows.push(row.id.to_owned());
        match draft.files.last_mut() {
            Some((file, n)) if *file == self.file => *n += 1,
            _ => draft.files.push((self.file, 1)),
        }
        for source in cited {
            if !draft.sources.contains(&source) {
                draft.sources.push(source);
            }
        }
        let mut first_reported = row.first_reported;
        if let Some((_, m)) = mention {
            first_reported = Some(first_reported.map_or(m.earliest, |t| t.min(m.earliest)));
            for &d in &m.domains {
                if !draft.mention_domains.contains(&d) {
                    draft.mention_domains.push(d);
                }
            }
        }
        draft.first_reported = match (draft.first_reported, first_reported) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        draft.most_sources = draft.most_sources.max(row.sources);
        if let Some(tone) = row.tone {
            draft.tone_sum += tone;
            draft.tone_rows += 1;
        }
        Ok(())
    }

    fn actor(&mut self, dataset: Dataset, actor: &ActorIn<'_>) -> u32 {
        // GDELT 1.0 and 2.0 share their actor codes.
        let dataset = if dataset == Dataset::Gdelt1 {
            Dataset::Gdelt2
        } else {
            dataset
        };
        if let Some(&i) = self.actor_keys.get(&(dataset, actor.key.to_owned())) {
            return i;
        }
        let i = self.actors.len() as u32;
        self.actors.push(Actor {
            id: String::new(),
            name: actor.name.clone().into_owned(),
            kind: actor.kind,
            affiliation: actor
                .country
                .map_or_else(String::new, |c| c.iso2.to_owned()),
            role: String::new(),
            based_at: None,
        });
        self.actor_keys.insert((dataset, actor.key.to_owned()), i);
        i
    }

    fn venue(&mut self, dataset: Dataset, place: &PlaceIn<'_>) -> u32 {
        let dataset = if dataset == Dataset::Gdelt1 {
            Dataset::Gdelt2
        } else {
            dataset
        };
        let key = (dataset, place.extent, place.key.to_owned());
        if let Some(&i) = self.venue_keys.get(&key) {
            return i;
        }
        let i = self.venues.len() as u32;
        let (kind, name) = match place.extent {
            Extent::Point => (VenueKind::City, place.name.clone().into_owned()),
            Extent::Near => (VenueKind::Area, format!("near {}", place.name)),
            Extent::Region | Extent::Country => {
                (VenueKind::Area, format!("somewhere in {}", place.name))
            }
        };
        self.venues.push(Venue {
            id: String::new(),
            name,
            kind,
            country: place
                .country
                .map_or_else(String::new, |c| c.iso2.to_owned()),
            time_zone_name: "UTC".to_owned(),
            time_zone: TimeZone::UTC,
            location: Some(place.at),
            radius_km: place.extent.radius_km(),
            polygon: Vec::new(),
            importance: 0,
        });
        self.venue_keys.insert(key, i);
        i
    }

    /// The sources a row cites (interned).
    fn cite(&mut self, cite: Cite<'_>) -> Vec<u32> {
        let mut source = |key: String, make: &dyn Fn() -> Source| -> u32 {
            let next = self.sources.len() as u32;
            *self.source_keys.entry(key).or_insert_with(|| {
                self.sources.push(make());
                next
            })
        };
        let plain =
            |outlet: &str, title: String, url: Option<&str>, published: Option<Date>| Source {
                id: String::new(),
                outlet: outlet.to_owned(),
                title,
                published: published.map(crate::model::Moment::Day),
                retrieved: None,
                grade: None,
                url: url.map(str::to_owned),
                note: String::new(),
            };
        match cite {
            Cite::None => Vec::new(),
            Cite::Url(url, seen) => {
                let host = host_of(url);
                let published = seen.map(|t| t.to_zoned_datetime(TimeZone::UTC).date());
                vec![source(url.to_owned(), &|| {
                    plain(
                        host,
                        String::new(),
                        Some(url).filter(|u| u.contains("://")),
                        published,
                    )
                })]
            }
            Cite::Outlets(list) => list
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|outlet| {
                    source(outlet.to_owned(), &|| {
                        plain(outlet, String::new(), None, None)
                    })
                })
                .collect(),
            Cite::Story { publisher, story } => {
                vec![source(format!("{publisher}\u{1f}{story}"), &|| {
                    let title = if story.is_empty() {
                        String::new()
                    } else {
                        format!("ICEWS story {story}")
                    };
                    plain(publisher, title, None, None)
                })]
            }
        }
    }

    /// The scenario: contacts reported by too few sources are dropped (counted in `summary`), ids given.
    pub fn finish(mut self, title: &str, summary: &mut Summary) -> Scenario {
        // What merged the rows is not needed any more: its memory goes before the contacts are made (at
        // a million rows the tables are tens of megabytes, and this is when the import's memory peaks).
        self.by_key = HashMap::new();
        self.source_keys = HashMap::new();
        self.actor_keys = HashMap::new();
        self.venue_keys = HashMap::new();
        self.mentions_joined = HashSet::new();
        let min_sources = self.options.min_sources;
        let mut unspecified: Option<u32> = None;
        let mut contacts = Vec::with_capacity(self.drafts.len());
        let mut contact_ids = HashSet::with_capacity(self.drafts.len());
        let mut used_actors = vec![false; self.actors.len()];
        let mut used_venues = vec![false; self.venues.len()];
        let mut used_sources = vec![false; self.sources.len()];
        let drafts = std::mem::take(&mut self.drafts);
        for draft in drafts {
            let weight = (draft.most_sources as usize)
                .max(draft.sources.len())
                .max(draft.mention_domains.len()) as u32;
            if weight < min_sources {
                for &(file, n) in &draft.files {
                    if let Some(counts) = summary.files.get_mut(usize::from(file)) {
                        counts.kept -= u64::from(n);
                        *counts
                            .dropped
                            .entry(format!("fewer than {min_sources} sources (--min-sources)"))
                            .or_default() += u64::from(n);
                    }
                }
                continue;
            }
            let rule = draft.mapping.kind.venue_rule();
            let place = match (rule, draft.venue) {
                (VenueRule::None, _) | (VenueRule::Optional, None) => Place::None,
                (_, Some(v)) => Place::At(VenueId(v)),
                (_, None) => {
                    // A meeting needs a venue: one with no place, for all that the datasets do not place.
                    let v = *unspecified.get_or_insert_with(|| {
                        let i = self.venues.len() as u32;
                        self.venues.push(Venue {
                            id: String::new(),
                            name: "place not reported".to_owned(),
                            kind: VenueKind::Unspecified,
                            country: String::new(),
                            time_zone_name: "UTC".to_owned(),
                            time_zone: TimeZone::UTC,
                            location: None,
                            radius_km: None,
                            polygon: Vec::new(),
                            importance: 0,
                        });
                        used_venues.push(false);
                        i
                    });
                    Place::At(VenueId(v))
                }
            };
            if let Place::At(v) = place {
                used_venues[v.0 as usize] = true;
            }
            for (a, _) in draft.participants {
                used_actors[a as usize] = true;
            }
            for &s in &draft.sources {
                used_sources[s as usize] = true;
            }
            contacts.push(self.contact(draft, place, weight, &mut contact_ids));
        }
        summary.merged = summary
            .event_rows_kept()
            .saturating_sub(contacts.len() as u64);
        self.into_scenario(title, contacts, &used_actors, &used_venues, &used_sources)
    }

    fn contact(
        &self,
        mut draft: Draft,
        place: Place,
        weight: u32,
        ids: &mut HashSet<String>,
    ) -> Contact {
        let m = draft.mapping;
        let [(a, _), (b, _)] = draft.participants;
        let name = |i: u32| self.actors[i as usize].name.as_str();
        let title = match m.kind {
            ContactKind::Meeting if draft.participants[0].1 == Part::Guest => {
                format!("{} visits {}", name(a), name(b))
            }
            _ => format!("{} and {}: {}", name(a), name(b), m.label),
        };
        let rows = draft.rows.len();
        let summary = format!(
            "Machine-coded by {} ({} {}, CAMEO {}: {}); {} not reviewed.",
            draft.dataset.name(),
            rows,
            if rows == 1 { "row" } else { "rows" },
            draft.code,
            m.label,
            if m.status == crate::model::Status::Planned {
                "a stated intention,"
            } else {
                "a candidate,"
            },
        );
        let mut notes = Vec::new();
        if let Place::At(v) = place {
            let venue = &self.venues[v.0 as usize];
            if venue.kind == VenueKind::Area {
                notes.push(format!(
                    "The dataset gives only an area ({}), drawn as a circle of {} km round its centre.",
                    venue.name,
                    venue.radius_km.unwrap_or_default()
                ));
            }
        }
        if let (VenueRule::None, Some(v)) = (m.kind.venue_rule(), draft.venue) {
            notes.push(format!(
                "The dataset places it at {}; a {} joins the parties where they are.",
                self.venues[v as usize].name,
                m.kind.label()
            ));
        }
        if draft.participants[0].1 == Part::Guest && m.kind == ContactKind::Meeting {
            notes.push(
                "A visit: the dataset does not say where the guest came from, so it is a meeting at the visited place."
                    .to_owned(),
            );
        }
        let time = match draft.window {
            Some((earliest, latest)) => When::Window {
                earliest: Moment::Day(earliest),
                latest: Moment::Day(latest),
            },
            None => When::Day(draft.date),
        };
        let time =
            KnownTime::new(time, "UTC", TimeZone::UTC).unwrap_or_else(|_| known_day(draft.date));
        let first_row = draft.rows.first().map_or("", String::as_str);
        let mut id = format!("{}-{}", draft.dataset.slug(), slug(first_row));
        if !ids.insert(id.clone()) {
            let mut n = 2;
            while !ids.insert(format!("{id}-{n}")) {
                n += 1;
            }
            id = format!("{id}-{n}");
        }
        Contact {
            id,
            kind: m.kind,
            status: m.status,
            title,
            summary,
            participants: draft
                .participants
                .iter()
                .map(|&(actor, part)| Participant {
                    actor: crate::model::ActorId(actor),
                    part,
                })
                .collect(),
            place,
            time,
            quotes: Vec::new(),
            sources: draft
                .sources
                .iter()
                .map(|&s| Citation {
                    source: SourceId(s),
                    says: String::new(),
                    attribution: String::new(),
                })
                .collect(),
            confidence: None,
            notes: notes.join(" "),
            provenance: Some(Box::new(Provenance {
                review: Review::Candidate,
                dataset: draft.dataset.name().to_owned(),
                rows: std::mem::take(&mut draft.rows),
                first_reported: draft.first_reported,
                sources: Some(weight),
                tone: (draft.tone_rows > 0)
                    .then(|| (draft.tone_sum / f64::from(draft.tone_rows) * 100.0).round() / 100.0)
                    .filter(|t| (-100.0..=100.0).contains(t)),
            })),
            evidence: None,
        }
    }

    /// Keeps what the contacts use, gives ids, and renumbers the references.
    fn into_scenario(
        self,
        title: &str,
        mut contacts: Vec<Contact>,
        used_actors: &[bool],
        used_venues: &[bool],
        used_sources: &[bool],
    ) -> Scenario {
        fn keep<T>(items: Vec<T>, used: &[bool]) -> (Vec<T>, Vec<u32>) {
            let mut map = vec![u32::MAX; items.len()];
            let mut kept = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                if used.get(i).copied().unwrap_or(false) {
                    map[i] = kept.len() as u32;
                    kept.push(item);
                }
            }
            (kept, map)
        }
        let (mut actors, actor_map) = keep(self.actors, used_actors);
        let (mut venues, venue_map) = keep(self.venues, used_venues);
        let (mut sources, source_map) = keep(self.sources, used_sources);
        give_ids(
            actors.iter_mut().map(|a| (&mut a.id, a.name.as_str())),
            "actor",
        );
        give_ids(
            venues.iter_mut().map(|v| (&mut v.id, v.name.as_str())),
            "venue",
        );
        for (i, s) in sources.iter_mut().enumerate() {
            s.id = format!("s{}", i + 1);
        }
        for c in &mut contacts {
            for p in &mut c.participants {
                p.actor.0 = actor_map[p.actor.0 as usize];
            }
            if let Place::At(v) = &mut c.place {
                v.0 = venue_map[v.0 as usize];
            }
            for s in &mut c.sources {
                s.source.0 = source_map[s.source.0 as usize];
            }
        }
        Scenario {
            meta: Meta {
                id: "import".to_owned(),
                title: title.to_owned(),
                description:
                    "Candidate contacts machine-coded from event datasets by `demarche import`: \
                              leads to check, not facts."
                        .to_owned(),
                time_zone_name: "UTC".to_owned(),
                time_zone: TimeZone::UTC,
            },
            sources,
            actors,
            venues,
            contacts,
        }
    }
}

/// A day in UTC, which always resolves.
fn known_day(date: Date) -> KnownTime {
    let start = date
        .to_zoned_datetime(TimeZone::UTC)
        .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp());
    KnownTime {
        when: When::Day(date),
        zone_name: "UTC".into(),
        zone: TimeZone::UTC,
        start: Some(start),
        end: Some(start),
    }
}

/// The two-digit root of a code, for counts.
fn root(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// `http://www.bbc.co.uk/news/x` -> `www.bbc.co.uk`; a citation that is not a URL ("BBC Monitoring") as is.
fn host_of(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?', '#']).next().unwrap_or(rest),
        None => url,
    }
}

/// Lower-case letters and digits joined by `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Ids from names, unique: `vladimir-putin`, `vladimir-putin-2`.
fn give_ids<'a>(items: impl Iterator<Item = (&'a mut String, &'a str)>, fallback: &str) {
    let mut taken = HashSet::new();
    for (id, name) in items {
        let mut base = slug(name);
        if base.is_empty() {
            base = fallback.to_owned();
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while !taken.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        *id = candidate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_slugs() {
        assert_eq!(host_of("http://www.bbc.co.uk/news/x?y"), "www.bbc.co.uk");
        assert_eq!(host_of("BBC Monitoring"), "BBC Monitoring");
        assert_eq!(slug("Somewhere in Turkey!"), "somewhere-in-turkey");
        assert_eq!(slug("Abu Z¸aby"), "abu-z-aby");
    }
}
