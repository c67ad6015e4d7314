//! Writing a scenario in the JSON encoding (format `demarche-scenario`, version 1): what a tool that makes
//! scenarios (an import, a conversion) hands to the reader.
//!
//! The text is exactly what the reader takes back: reading it gives the same scenario, field for field.
//! Every time is written with its zone (`tz`), every venue with its zone, so nothing depends on the
//! fallback rules of the reader; fields that are empty or absent in the model are left out.

use serde::Serialize;

use crate::model::evidence::Direction;
use crate::model::{
    Citation, Contact, Moment, Named as _, Participant, Place, Scenario, Venue, When,
};

use super::raw::{FORMAT, VERSION};

/// The scenario as JSON text, pretty-printed (one field per line), ending with a newline.
///
/// ```
/// use demarche::io::scenario::{default_scenario, parse, write};
///
/// let scenario = default_scenario().scenario;
/// let json = write::to_json(&scenario);
/// let again = parse("again.json", &json).expect("what is written reads back");
/// assert_eq!(write::to_json(&again.scenario), json);
/// ```
pub fn to_json(scenario: &Scenario) -> String {
    let mut text = serde_json::to_string_pretty(&File::of(scenario))
        .unwrap_or_else(|e| unreachable!("a scenario always serialises: {e}"));
    text.push('\n');
    text
}

/// The same text as [`to_json`], written to `writer` as it is made: a scenario of a million contacts is
/// not held twice in memory (`demarche import` writes its output so).
pub fn to_writer<W: std::io::Write>(scenario: &Scenario, mut writer: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut writer, &File::of(scenario))
        .map_err(std::io::Error::other)?;
    writer.write_all(b"\n")?;
    writer.flush()
}

#[derive(Serialize)]
struct File<'s> {
    format: &'static str,
    version: i64,
    scenario: Meta<'s>,
    sources: Vec<Source<'s>>,
    venues: Vec<VenueOut<'s>>,
    actors: Vec<Actor<'s>>,
    contacts: Contacts<'s>,
}

/// The contacts, each made for writing as it is written (a million of them are not held twice).
struct Contacts<'s>(&'s Scenario);

impl Serialize for Contacts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.0;
        serializer.collect_seq(s.contacts.iter().map(|c| ContactOut::of(s, c)))
    }
}

#[derive(Serialize)]
struct Meta<'s> {
    id: &'s str,
    title: &'s str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'s str,
    time_zone: &'s str,
}

#[derive(Serialize)]
struct Source<'s> {
    id: &'s str,
    outlet: &'s str,
    #[serde(skip_serializing_if = "str::is_empty")]
    title: &'s str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retrieved: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'s str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'s str,
}

#[derive(Serialize)]
struct VenueOut<'s> {
    id: &'s str,
    name: &'s str,
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    country: &'s str,
    time_zone: &'s str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    radius_km: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    polygon: Vec<[f64; 2]>,
}

#[derive(Serialize)]
struct Actor<'s> {
    id: &'s str,
    name: &'s str,
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    affiliation: &'s str,
    #[serde(skip_serializing_if = "str::is_empty")]
    role: &'s str,
    #[serde(skip_serializing_if = "Option::is_none")]
    based_at: Option<&'s str>,
}

#[derive(Serialize)]
struct ContactOut<'s> {
    id: &'s str,
    kind: &'static str,
    status: &'static str,
    title: &'s str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'s str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    participants: Vec<ParticipantOut<'s>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue: Option<&'s str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'s str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'s str>,
    time: Time<'s>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    quotes: Vec<QuoteOut<'s>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<CitationOut<'s>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<&'static str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    notes: &'s str,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<ProvenanceOut<'s>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    accounts: Vec<AccountOut<'s>>,
}

#[derive(Serialize)]
struct AccountOut<'s> {
    asserts: &'static str,
    sources: Vec<CitationOut<'s>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<Time<'s>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue: Option<&'s str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'s str,
}

#[derive(Serialize)]
struct ProvenanceOut<'s> {
    dataset: &'s str,
    #[serde(skip_serializing_if = "no_rows")]
    rows: &'s [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    first_reported: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sources: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tone: Option<f64>,
}

fn no_rows(rows: &&[String]) -> bool {
    rows.is_empty()
}

#[derive(Serialize)]
struct ParticipantOut<'s> {
    actor: &'s str,
    part: &'static str,
}

#[derive(Serialize)]
struct QuoteOut<'s> {
    speaker: &'s str,
    text: &'s str,
}

#[derive(Serialize)]
struct CitationOut<'s> {
    source: &'s str,
    #[serde(skip_serializing_if = "str::is_empty")]
    says: &'s str,
    #[serde(skip_serializing_if = "str::is_empty")]
    attribution: &'s str,
}

/// A time in one of the file's shapes: only the keys of that shape are written.
#[derive(Default, Serialize)]
struct Time<'s> {
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    earliest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<&'s str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<&'s str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'s str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    week_starts: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tz: Option<&'s str>,
}

impl<'s> File<'s> {
    fn of(s: &'s Scenario) -> Self {
        File {
            format: FORMAT,
            version: VERSION,
            scenario: Meta {
                id: &s.meta.id,
                title: &s.meta.title,
                description: &s.meta.description,
                time_zone: &s.meta.time_zone_name,
            },
            sources: s
                .sources
                .iter()
                .map(|source| Source {
                    id: &source.id,
                    outlet: &source.outlet,
                    title: &source.title,
                    published: source.published.map(|d| d.to_string()),
                    retrieved: source.retrieved.map(|d| d.to_string()),
                    grade: source.grade.map(|g| g.to_string()),
                    url: source.url.as_deref(),
                    note: &source.note,
                })
                .collect(),
            venues: s.venues.iter().map(VenueOut::of).collect(),
            actors: s
                .actors
                .iter()
                .map(|actor| Actor {
                    id: &actor.id,
                    name: &actor.name,
                    kind: actor.kind.name(),
                    affiliation: &actor.affiliation,
                    role: &actor.role,
                    based_at: actor.based_at.map(|v| s.venue(v).id.as_str()),
                })
                .collect(),
            contacts: Contacts(s),
        }
    }
}

impl<'s> VenueOut<'s> {
    fn of(venue: &'s Venue) -> Self {
        VenueOut {
            id: &venue.id,
            name: &venue.name,
            kind: venue.kind.name(),
            country: &venue.country,
            time_zone: &venue.time_zone_name,
            lon: venue.location.map(|p| p.lon),
            lat: venue.location.map(|p| p.lat),
            radius_km: venue.radius_km,
            polygon: venue.polygon.iter().map(|p| [p.lon, p.lat]).collect(),
        }
    }
}

impl<'s> ContactOut<'s> {
    fn of(s: &'s Scenario, contact: &'s Contact) -> Self {
        let venue_id = |v| s.venue(v).id.as_str();
        // With accounts, the contact's fields are its leading account's: its own are its own account's.
        let own = contact.accounts().iter().find(|a| a.own);
        let status = own.map_or(contact.status, |a| a.asserts);
        let own_time = own.and_then(|a| a.time.as_ref()).unwrap_or(&contact.time);
        let own_place = own.and_then(|a| a.place).unwrap_or(contact.place);
        let citations = |list: &'s [Citation]| -> Vec<CitationOut<'s>> {
            list.iter()
                .map(|c| CitationOut {
                    source: &s.source(c.source).id,
                    says: &c.says,
                    attribution: &c.attribution,
                })
                .collect()
        };
        let reported = contact.evidence.as_ref().and_then(|e| e.reported);
        let time = match (reported, contact.relative()) {
            (Some(r), _) => Time {
                report: Some(s.source(r.source).id.as_str()),
                span: Some(r.span.to_string()),
                week_starts: (r.week_starts != jiff::civil::Weekday::Monday)
                    .then(|| format!("{:?}", r.week_starts).to_lowercase()),
                // The zone the window's days are in, when it is not the one the contact's place gives.
                tz: Some(&own_time.zone_name),
                ..Time::default()
            },
            (None, Some(r)) => {
                let anchor = s.contact(r.anchor).id.as_str();
                Time {
                    after: (r.direction == Direction::After).then_some(anchor),
                    before: (r.direction == Direction::Before).then_some(anchor),
                    by: Some(r.by.to_string()),
                    ..Time::default()
                }
            }
            (None, None) => Time::of(own_time.when, &own_time.zone_name),
        };
        let accounts = contact
            .accounts()
            .iter()
            .filter(|a| !a.own)
            .map(|a| AccountOut {
                asserts: a.asserts.name(),
                sources: citations(&a.sources),
                time: a.time.as_ref().map(|t| Time::of(t.when, &t.zone_name)),
                venue: match a.place {
                    Some(Place::At(v)) => Some(venue_id(v)),
                    _ => None,
                },
                note: &a.note,
            })
            .collect();
        let (venue, from, to) = match own_place {
            Place::None => (None, None, None),
            Place::At(v) => (Some(venue_id(v)), None, None),
            Place::Route {
                from,
                to,
                from_reported,
            } => (
                None,
                from_reported.then(|| venue_id(from)),
                Some(venue_id(to)),
            ),
        };
        ContactOut {
            id: &contact.id,
            kind: contact.kind.name(),
            status: status.name(),
            title: &contact.title,
            summary: &contact.summary,
            participants: contact
                .participants
                .iter()
                .map(|&Participant { actor, part }| ParticipantOut {
                    actor: &s.actor(actor).id,
                    part: part.name(),
                })
                .collect(),
            venue,
            from,
            to,
            time,
            quotes: contact
                .quotes
                .iter()
                .map(|q| QuoteOut {
                    speaker: &s.actor(q.speaker).id,
                    text: &q.text,
                })
                .collect(),
            sources: citations(&contact.sources),
            confidence: contact.confidence.map(|c| c.name()),
            notes: &contact.notes,
            review: contact.provenance.as_ref().map(|p| p.review.name()),
            provenance: contact.provenance.as_deref().map(|p| ProvenanceOut {
                dataset: &p.dataset,
                rows: &p.rows,
                first_reported: p.first_reported.map(|t| t.to_string()),
                sources: p.sources,
                tone: p.tone,
            }),
            accounts,
        }
    }
}

impl<'s> Time<'s> {
    fn of(when: When, tz: &'s str) -> Self {
        let moment = |m: Moment| match m {
            Moment::Day(date) => date.to_string(),
            Moment::At(instant) => instant.to_string(),
        };
        let mut time = Time {
            tz: Some(tz),
            ..Time::default()
        };
        match when {
            When::At(instant) => time.at = Some(instant.to_string()),
            When::Day(date) => time.on = Some(date.to_string()),
            When::PartOfDay(date, part) => {
                time.on = Some(date.to_string());
                time.part = Some(part.name());
            }
            When::Between { from, to } => {
                time.from = Some(moment(from));
                time.to = Some(moment(to));
            }
            When::Window { earliest, latest } => {
                time.earliest = Some(moment(earliest));
                time.latest = Some(moment(latest));
            }
            When::Ongoing { since, as_of } => {
                time.since = since.map(moment);
                time.as_of = Some(as_of.to_string());
            }
        }
        time
    }
}
