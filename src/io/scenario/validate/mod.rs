//! From the file as written to a [`Scenario`] that can be trusted: names resolved, references checked,
//! times resolved to UTC. Every problem is collected; none stops the others from being found.
//!
//! One validator serves both encodings: it reads the structs of [`super::raw`], whatever the position type.
//! It is built to cost little on a valid file: paths are written out only for a problem, ids and zone names
//! are borrowed or shared rather than copied, and contacts (by far the most numerous) are checked in
//! parallel, each against the sources, venues and actors checked before them.

mod contact;
mod relative;
mod sink;
mod venues;

use std::sync::{Mutex, PoisonError};

use foldhash::{HashMap, HashMapExt as _};

use jiff::tz::TimeZone;
use rayon::prelude::*;

use super::raw::{
    At, FORMAT, List, Pos, RawActor, RawFile, RawSource, Text, VERSION, index_in_file,
};
use crate::diagnostics::{Diagnostic, LineIndex};
use crate::io::json::{FieldPath, Locator, Problem, ROOT};
use crate::io::kept::{Kept, echo};
use crate::model::{Actor, ActorKind, Contact, Grade, Meta, Scenario, Source, Venue, VenueId};
pub use contact::{Checked, check as check_contact};
use sink::{NamedZone, Sink, Zones};

/// What validation found: the scenario when there is no error, and every problem.
#[derive(Debug)]
pub struct Outcome {
    pub scenario: Option<Scenario>,
    /// The first problems, and the count of the others.
    pub problems: Kept<Problem>,
}

/// What every contact is checked against; shared by the threads that check them.
#[derive(Debug)]
pub struct Ctx<'v> {
    actors: &'v [Actor],
    sources: &'v [Source],
    actor_ids: HashMap<&'v str, u32>,
    venue_ids: HashMap<&'v str, u32>,
    source_ids: HashMap<&'v str, u32>,
    /// The zone of each venue, by index.
    venue_zones: &'v [NamedZone],
    meta_zone: &'v NamedZone,
    zones: &'v Zones,
    /// Where the contacts' problems go, from every thread.
    problems: &'v Mutex<Sink>,
}

impl Ctx<'_> {
    /// Takes in the problems of a contact.
    fn report(&self, sink: Sink) {
        self.problems
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .append(sink);
    }
}

/// Checks a read file: everything but the contacts, then the contacts, in parallel.
pub fn validate<P: Pos>(file: RawFile<'_, P>, text: &str) -> Outcome {
    let mut validator = Validator::new(text);
    let (head, contacts) = file.take_contacts();
    let prepared = validator.prepare(head);
    let checked = match &prepared {
        Some(prepared) => {
            let ctx = prepared.ctx(&validator);
            let dropped = &prepared.dropped_contacts;
            vec![
                contacts
                    .par_iter()
                    .enumerate()
                    .map(|(i, raw)| contact::check(&ctx, raw, index_in_file(i, dropped)))
                    .collect(),
            ]
        }
        None => Vec::new(),
    };
    validator.finish(prepared, checked)
}

/// The sources, venues and actors, checked: what the contacts are checked against.
#[derive(Debug)]
pub struct Prepared {
    meta: Meta,
    meta_zone: NamedZone,
    sources: Vec<Source>,
    venues: Vec<Venue>,
    venue_zones: Vec<NamedZone>,
    actors: Vec<Actor>,
    dropped_contacts: Vec<usize>,
}

impl Prepared {
    /// What the contacts are checked against.
    pub fn ctx<'v>(&'v self, validator: &'v Validator<'_>) -> Ctx<'v> {
        Ctx {
            actors: &self.actors,
            sources: &self.sources,
            actor_ids: index_of(&self.actors, |a| &a.id),
            venue_ids: index_of(&self.venues, |v| &v.id),
            source_ids: index_of(&self.sources, |s| &s.id),
            venue_zones: &self.venue_zones,
            meta_zone: &self.meta_zone,
            zones: &validator.zones,
            problems: &validator.contact_problems,
        }
    }
}

/// The sequential part of validation, in two steps around the checks of the contacts: [`Validator::prepare`]
/// checks everything else, [`Validator::finish`] checks the contacts' ids and assembles the scenario.
#[derive(Debug)]
pub struct Validator<'t> {
    sink: Sink,
    /// The contacts' problems, reported from rayon's threads.
    contact_problems: Mutex<Sink>,
    zones: Zones,
    /// The file's text, to name lines in hints.
    text: &'t str,
    lines: Option<LineIndex>,
    /// For hints in files whose reader gives no spans (JSON): finds a value from its path.
    locator: Option<Locator<'t>>,
}

impl<'t> Validator<'t> {
    pub fn new(text: &'t str) -> Self {
        Self {
            sink: Sink::default(),
            contact_problems: Mutex::default(),
            zones: Zones::default(),
            text,
            lines: None,
            locator: None,
        }
    }

    /// Checks everything but the contacts; `None` when the file has no scenario (nothing more is checked).
    pub fn prepare<P: Pos, C>(&mut self, file: RawFile<'_, P, C>) -> Option<Prepared> {
        self.header(file.format.as_ref(), file.version.as_ref());
        let Some(meta) = file.scenario else {
            self.sink.at_start(
                Diagnostic::error("the file has no `[scenario]` table")
                    .hint("add a `[scenario]` table with at least `id` and `title`"),
            );
            return None;
        };
        let meta = meta.value;
        let meta_zone = match &meta.time_zone {
            Some(name) => self.learn_zone(name, ROOT.key("scenario").key("time_zone")),
            None => None,
        }
        .unwrap_or_else(|| ("UTC".into(), TimeZone::UTC));
        let meta = Meta {
            id: meta.id.value.into_string(),
            title: meta.title.value.into_string(),
            description: text_or_empty(meta.description),
            time_zone_name: meta_zone.0.to_string(),
            time_zone: meta_zone.1.clone(),
        };
        let dropped = file.dropped;
        let sources = self.sources(file.sources, &dropped.sources, &meta_zone.1);
        let (venues, venue_zones) = self.venues(file.venues, &dropped.venues, &meta_zone);
        let actors = self.actors(file.actors, &dropped.actors, &index_of(&venues, |v| &v.id));
        Some(Prepared {
            meta,
            meta_zone,
            sources,
            venues,
            venue_zones,
            actors,
            dropped_contacts: dropped.contacts,
        })
    }

    /// Takes the checked contacts (in chunks, in file order) and gives the outcome: the scenario when
    /// nothing has an error, and every problem.
    pub fn finish<P: Pos>(
        mut self,
        prepared: Option<Prepared>,
        checked: Vec<Vec<Checked<P>>>,
    ) -> Outcome {
        let scenario = prepared.map(|p| {
            let mut checked = checked;
            let (waiting, failed_ids) = waiting(&mut checked, &p.dropped_contacts);
            let failed: Vec<&str> = failed_ids.iter().map(|s| &**s).collect();
            let mut contacts = self.contacts(checked, &p.dropped_contacts);
            relative::resolve(
                &mut self.sink,
                &mut contacts,
                waiting,
                &failed,
                &p.sources,
                &p.meta.time_zone,
            );
            Scenario {
                meta: p.meta,
                sources: p.sources,
                actors: p.actors,
                venues: p.venues,
                contacts,
            }
        });
        let contact_problems = self
            .contact_problems
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        self.sink.append(contact_problems);
        let failed = self.sink.has_errors();
        Outcome {
            scenario: scenario.filter(|_| !failed),
            problems: self.sink.into_kept(),
        }
    }

    fn header<P: Pos>(&mut self, format: Option<&Text<'_, P>>, version: Option<&At<i64, P>>) {
        match format {
            Some(format) if &*format.value == FORMAT => {}
            Some(format) => {
                self.sink
                    .error(
                        format!("`format` is `{}`, not `{FORMAT}`", format.value),
                        &format.pos,
                        ROOT.key("format"),
                    )
                    .hint = Some(format!(
                    "a scenario file starts with `format = \"{FORMAT}\"`"
                ));
            }
            None => self
                .sink
                .at_start(
                    Diagnostic::error("the file does not say its format").hint(format!(
                        "start the file with `format = \"{FORMAT}\"` and `version = {VERSION}`"
                    )),
                ),
        }
        match version {
            Some(version) if version.value == VERSION => {}
            Some(version) => {
                self.sink
                    .error(
                        format!(
                            "format version {} is not supported; this build of demarche reads version {VERSION}",
                            version.value
                        ),
                        &version.pos,
                        ROOT.key("version"),
                    )
                    .hint =
                    Some("update demarche, or convert the file to the version it reads".to_owned());
            }
            None => self.sink.at_start(
                Diagnostic::error("the file does not say its format version")
                    .hint(format!("add `version = {VERSION}` after `format`")),
            ),
        }
    }

    /// A zone named in the scenario or a venue: looked up once, and remembered for the contacts.
    fn learn_zone<P: Pos>(&mut self, name: &Text<'_, P>, path: FieldPath<'_>) -> Option<NamedZone> {
        match self.zones.learn(&name.value) {
            Some(zone) => Some(zone),
            None => self.sink.zone(&self.zones, name, path),
        }
    }

    /// The line of a value, for hints: from its span, or (JSON) found from its path.
    fn line_of<P: Pos>(&mut self, pos: &P, path: FieldPath<'_>) -> Option<usize> {
        let text = self.text;
        let offset = match pos.span() {
            Some(span) => span.start,
            None => {
                self.locator
                    .get_or_insert_with(|| Locator::new(text))
                    .locate(&path.segs())?
                    .start
            }
        };
        let lines = self.lines.get_or_insert_with(|| LineIndex::new(text));
        Some(lines.line_col(text, offset).line)
    }

    /// Reports blank ids and second uses of an id among `ids` (each with its place and its index in the
    /// file), in file order.
    fn unique_ids<'i, P: Pos + 'i>(
        &mut self,
        ids: impl Iterator<Item = (&'i str, &'i P, usize)>,
        section: &'static str,
        what: &str,
    ) {
        let list = ROOT.key(section);
        let ids: Vec<(&str, &P, usize)> = ids.collect();
        for problem in id_problems(&ids, crate::model::PARALLEL_PASS) {
            let (id, pos, index) = ids[problem.at];
            let element = list.index(index);
            let id_path = element.key("id");
            let Some(first) = problem.first else {
                let mut sink = sink_for(section, index);
                sink.error(format!("a {what} id cannot be empty"), pos, id_path);
                self.sink.append(sink);
                continue;
            };
            let (_, first_pos, first_index) = ids[first];
            let first_element = list.index(first_index);
            let shown = echo(id);
            let hint = match self.line_of(first_pos, first_element.key("id")) {
                Some(line) => format!("the first `{shown}` is at line {line}; ids must be unique"),
                None => {
                    format!("the first `{shown}` is `{section}[{first_index}]`; ids must be unique")
                }
            };
            let mut sink = sink_for(section, index);
            sink.error(format!("duplicate {what} id `{shown}`"), pos, id_path)
                .hint = Some(hint);
            self.sink.append(sink);
        }
    }

    /// Reports the id problems of a list read before its elements are checked.
    fn list_ids<T, P: Pos>(
        &mut self,
        raw: &List<T, P>,
        dropped: &[usize],
        id: impl Fn(&T) -> &Text<'_, P>,
        section: &'static str,
        what: &str,
    ) {
        let ids = raw.iter().enumerate().map(|(i, element)| {
            let id = id(&element.value);
            (&*id.value, &id.pos, index_in_file(i, dropped))
        });
        self.unique_ids(ids, section, what);
    }

    fn sources<P: Pos>(
        &mut self,
        raw: List<RawSource<'_, P>, P>,
        dropped: &[usize],
        zone: &TimeZone,
    ) -> Vec<Source> {
        self.list_ids(&raw, dropped, |s| &s.id, "sources", "source");
        let list = ROOT.key("sources");
        let mut sources = Vec::with_capacity(raw.len());
        for (i, source) in raw.into_iter().enumerate() {
            let path = list.index(index_in_file(i, dropped));
            let source = source.value;
            let published = source
                .published
                .as_ref()
                .and_then(|p| self.sink.moment(p, path.key("published"), zone));
            let retrieved = source
                .retrieved
                .as_ref()
                .and_then(|p| self.sink.moment(p, path.key("retrieved"), zone));
            let grade = source.grade.as_ref().and_then(|g| {
                g.value
                    .parse::<Grade>()
                    .map_err(|e| {
                        let message = e.to_string();
                        self.sink.error(message, &g.pos, path.key("grade")).hint = Some(e.hint);
                    })
                    .ok()
            });
            sources.push(Source {
                id: source.id.value.into_string(),
                outlet: source.outlet.value.into_string(),
                title: text_or_empty(source.title),
                published,
                retrieved,
                grade,
                url: source.url.map(|u| u.value.into_string()),
                note: text_or_empty(source.note),
            });
        }
        sources
    }

    fn actors<P: Pos>(
        &mut self,
        raw: List<RawActor<'_, P>, P>,
        dropped: &[usize],
        venues: &HashMap<&str, u32>,
    ) -> Vec<Actor> {
        self.list_ids(&raw, dropped, |a| &a.id, "actors", "actor");
        let list = ROOT.key("actors");
        let mut actors = Vec::with_capacity(raw.len());
        for (i, actor) in raw.into_iter().enumerate() {
            let path = list.index(index_in_file(i, dropped));
            let actor = actor.value;
            let kind = self.sink.named(&actor.kind, path.key("kind"), "actor kind");
            if let Some(affiliation) = &actor.affiliation {
                self.sink.country_code(affiliation, path.key("affiliation"));
            }
            let based_at = actor
                .based_at
                .as_ref()
                .and_then(|v| {
                    self.sink
                        .reference(v, venues, path.key("based_at"), "venue")
                })
                .map(VenueId);
            // Kept with a stand-in kind when it has errors, so references to it are not reported again.
            let kind = kind.unwrap_or(ActorKind::Person);
            actors.push(Actor {
                id: actor.id.value.into_string(),
                name: actor.name.value.into_string(),
                kind,
                affiliation: text_or_empty(actor.affiliation),
                role: text_or_empty(actor.role),
                based_at,
            });
        }
        actors
    }

    /// Takes the checked contacts, in chunks in file order: reports blank and duplicate ids, keeps those
    /// that checked.
    fn contacts<P: Pos>(
        &mut self,
        chunks: Vec<Vec<Checked<P>>>,
        dropped: &[usize],
    ) -> Vec<Contact> {
        let ids = chunks
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, c)| (c.id(), &c.id_pos, index_in_file(i, dropped)));
        self.unique_ids(ids, "contacts", "contact");
        if chunks.len() == 1 {
            // Collected in place (a flattened iterator would not be): the contacts take the memory of
            // the checked ones, then let go of what they do not fill (a checked contact is larger than
            // its contact: 100,000 contacts held 13 MB they did not use). A list that large is mapped
            // memory, which shrinks where it is, without a copy.
            let mut contacts: Vec<Contact> = chunks
                .into_iter()
                .next()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|c| c.contact)
                .collect();
            contacts.shrink_to_fit();
            return contacts;
        }
        // Each chunk is freed as soon as its contacts are moved out.
        let mut contacts = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for chunk in chunks {
            contacts.extend(chunk.into_iter().filter_map(|c| c.contact));
        }
        contacts
    }
}

/// The relative times waiting for their anchors (taken out of `checked`), each with the index of its
/// contact among those kept; and the ids of the contacts that failed their checks or were let go (a
/// check that keeps no scenario: their times are not needed).
fn waiting<P: Pos>(
    checked: &mut [Vec<Checked<P>>],
    dropped: &[usize],
) -> (Vec<relative::Waiting<P>>, Vec<Box<str>>) {
    let mut waiting = Vec::new();
    let mut failed = Vec::new();
    let mut kept = 0;
    for (i, c) in checked.iter_mut().flatten().enumerate() {
        if c.contact.is_none() {
            failed.push(Box::from(c.id()));
            continue;
        }
        if let Some(pending) = c.pending.take() {
            waiting.push(relative::Waiting {
                contact: kept,
                index_in_file: index_in_file(i, dropped),
                pending,
            });
        }
        kept += 1;
    }
    (waiting, failed)
}

/// A blank id (`first` is `None`) or a second use of an id (`first` is where it is first used), as
/// positions in a list of ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IdProblem {
    at: usize,
    first: Option<usize>,
}

/// The blank ids of `ids` and the second uses of an id, in the list's order: from `parallel_from` ids on,
/// found by sorting hashes on every core rather than by a table filled one id at a time.
fn id_problems<P: Sync>(ids: &[(&str, &P, usize)], parallel_from: usize) -> Vec<IdProblem> {
    let blank = |id: &str| id.trim().is_empty();
    if ids.len() < parallel_from {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
        let mut problems = Vec::new();
        for (at, &(id, _, _)) in ids.iter().enumerate() {
            if blank(id) {
                problems.push(IdProblem { at, first: None });
            } else if let Some(&first) = seen.get(id) {
                problems.push(IdProblem {
                    at,
                    first: Some(first),
                });
            } else {
                seen.insert(id, at);
            }
        }
        return problems;
    }
    let hasher = foldhash::fast::FixedState::default();
    let mut hashed: Vec<(u64, usize)> = ids
        .par_iter()
        .enumerate()
        .filter(|(_, (id, _, _))| !blank(id))
        .map(|(at, (id, _, _))| (std::hash::BuildHasher::hash_one(&hasher, id), at))
        .collect();
    hashed.par_sort_unstable();
    let mut problems: Vec<IdProblem> = ids
        .par_iter()
        .enumerate()
        .filter(|(_, (id, _, _))| blank(id))
        .map(|(at, _)| IdProblem { at, first: None })
        .collect();
    // Ids of one hash, in the list's order: each compared with the first uses before it.
    for run in hashed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        let mut firsts: Vec<usize> = Vec::new();
        for &(_, at) in run {
            match firsts.iter().find(|&&first| ids[first].0 == ids[at].0) {
                Some(&first) => problems.push(IdProblem {
                    at,
                    first: Some(first),
                }),
                None => firsts.push(at),
            }
        }
    }
    problems.sort_unstable_by_key(|p| p.at);
    problems
}

/// A sink for the problems of an element: a contact's are ordered by its index (for files whose reader
/// gives no places, JSON), the others come first.
fn sink_for(section: &str, index: usize) -> Sink {
    Sink::ordered(if section == "contacts" { index } else { 0 })
}

/// Each item's index by its id (the first, when an id is used twice).
fn index_of<T>(items: &[T], id: impl Fn(&T) -> &String) -> HashMap<&str, u32> {
    let mut map = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        map.entry(id(item).as_str()).or_insert(i as u32);
    }
    map
}

fn text_or_empty<P>(text: Option<Text<'_, P>>) -> String {
    text.map(|t| t.value.into_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blank and repeated ids found on every core are those a table finds one id at a time, in order.
    #[test]
    fn id_problems_found_in_parallel_are_those_found_in_order() {
        let words: Vec<String> = (0..600)
            .map(|i| match i % 11 {
                0 => String::new(),
                1 => "  ".to_owned(),
                2 | 3 => format!("c{}", i % 7),
                _ => format!("c{i}"),
            })
            .collect();
        let ids: Vec<(&str, &(), usize)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_str(), &(), i))
            .collect();
        let in_order = id_problems(&ids, usize::MAX);
        assert!(in_order.iter().any(|p| p.first.is_none()), "blanks");
        assert!(in_order.iter().any(|p| p.first.is_some()), "repeats");
        for p in &in_order {
            if let Some(first) = p.first {
                assert!(first < p.at);
                assert_eq!(ids[first].0, ids[p.at].0);
            }
        }
        for parallel_from in [1, 2, 100] {
            assert_eq!(id_problems(&ids, parallel_from), in_order);
        }
        assert!(id_problems::<()>(&[], 1).is_empty());
    }
}
