//! Times given relative to another contact (`after = "witkoff-arrives", by = "2d"`), resolved once every
//! contact is checked: each after its anchor, so a chain resolves in order; an unknown anchor and a cycle
//! are errors placed at the `after` (or `before`) that names them. Times relative to a report's date
//! (`report = "source-id", span = "later this week"`) depend on no contact, and are resolved as the
//! contact is checked ([`report_time`]).

use foldhash::{HashMap, HashMapExt as _};

use super::super::raw::{At, Pos, RawTime};
use super::Ctx;
use super::contact::Pending;
use super::sink::{NamedZone, Sink};
use crate::diagnostics::did_you_mean;
use crate::io::json::FieldPath;
use crate::io::json::ROOT;
use crate::io::kept::echo;
use crate::model::KnownTime;
use crate::model::SourceId;
use crate::model::evidence::{FromReport, ReportError, ReportSpan, from_report};
use crate::model::evidence::{Relative, settle, shift};
use crate::model::{Contact, ContactId, Evidence, Source};

/// A pending relative time: the contact's index among the contacts kept, its index in the file, and what
/// it is relative to.
pub struct Waiting<P> {
    pub contact: usize,
    pub index_in_file: usize,
    pub pending: Box<Pending<P>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Done,
    Failed,
}

/// Resolves every waiting time in `contacts` (whose ids are `ids`, with those that failed their checks in
/// `failed_ids`); its problems go to `sink`.
pub fn resolve<P: Pos>(
    sink: &mut Sink,
    contacts: &mut [Contact],
    waiting: Vec<Waiting<P>>,
    failed_ids: &[&str],
    sources: &[Source],
    zone: &jiff::tz::TimeZone,
) {
    if waiting.is_empty() {
        return;
    }
    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(contacts.len());
    for (i, c) in contacts.iter().enumerate() {
        by_id.entry(c.id.clone()).or_insert(i);
    }
    let mut state: HashMap<usize, State> = HashMap::with_capacity(waiting.len());
    let mut work: HashMap<usize, Waiting<P>> = HashMap::with_capacity(waiting.len());
    for w in waiting {
        state.insert(w.contact, State::Waiting);
        work.insert(w.contact, w);
    }
    let mut order: Vec<usize> = work.keys().copied().collect();
    order.sort_unstable();
    for start in order {
        if state.get(&start) != Some(&State::Waiting) {
            continue;
        }
        // Follow the chain of anchors from `start` until a contact whose time is known (or failed).
        let mut chain: Vec<usize> = vec![start];
        loop {
            let current = chain[chain.len() - 1];
            let w = &work[&current];
            let Some(&anchor) = by_id.get(&*w.pending.anchor) else {
                if !failed_ids.contains(&&*w.pending.anchor) {
                    unknown_anchor(sink, w, by_id.keys().map(String::as_str));
                }
                fail(&mut state, &chain);
                break;
            };
            match state.get(&anchor) {
                Some(State::Waiting) if chain.contains(&anchor) => {
                    let from = chain.iter().position(|&c| c == anchor).unwrap_or(0);
                    let mut names: Vec<&str> = chain[from..]
                        .iter()
                        .map(|&c| contacts[c].id.as_str())
                        .collect();
                    names.push(&contacts[anchor].id);
                    let shown = names
                        .iter()
                        .map(|n| echo(n))
                        .collect::<Vec<_>>()
                        .join(" → ");
                    let w = &work[&chain[from]];
                    let key = w.pending.direction.name();
                    let path = ROOT.key("contacts");
                    let element = path.index(w.index_in_file);
                    let time = element.key("time");
                    let mut one = Sink::ordered(w.index_in_file);
                    one.error(
                        format!("these times depend on each other in a circle: {shown}"),
                        &w.pending.anchor_pos,
                        time.key(key),
                    )
                    .hint = Some("give one of them a date of its own".to_owned());
                    sink.append(one);
                    fail(&mut state, &chain);
                    break;
                }
                Some(State::Waiting) => chain.push(anchor),
                Some(State::Failed) => {
                    fail(&mut state, &chain);
                    break;
                }
                Some(State::Done) | None => {
                    // Resolve the chain from its end, each against the one after it.
                    for &c in chain.iter().rev() {
                        let w = &work[&c];
                        let anchor = by_id[&*w.pending.anchor];
                        let result =
                            shift(&contacts[anchor].time, w.pending.direction, w.pending.by);
                        match result {
                            Ok(time) => {
                                set_time(
                                    &mut contacts[c],
                                    time,
                                    ContactId(anchor as u32),
                                    &w.pending,
                                );
                                settle(&mut contacts[c], sources, zone);
                                state.insert(c, State::Done);
                            }
                            Err(err) => {
                                let key = w.pending.direction.name();
                                let path = ROOT.key("contacts");
                                let element = path.index(w.index_in_file);
                                let time = element.key("time");
                                let mut one = Sink::ordered(w.index_in_file);
                                one.error(
                                    format!("`{}`: {err}", echo(&w.pending.anchor)),
                                    &w.pending.anchor_pos,
                                    time.key(key),
                                );
                                sink.append(one);
                                state.insert(c, State::Failed);
                            }
                        }
                        if state.get(&c) == Some(&State::Failed) {
                            // The contacts relative to this one fail with it, without a message of their own.
                            let at = chain.iter().position(|&x| x == c).unwrap_or(0);
                            fail(&mut state, &chain[..at]);
                            break;
                        }
                    }
                    break;
                }
            }
        }
    }
}

fn fail(state: &mut HashMap<usize, State>, chain: &[usize]) {
    for &c in chain {
        state.insert(c, State::Failed);
    }
}

fn unknown_anchor<'i, P: Pos>(sink: &mut Sink, w: &Waiting<P>, ids: impl Iterator<Item = &'i str>) {
    let key = w.pending.direction.name();
    let path = ROOT.key("contacts");
    let element = path.index(w.index_in_file);
    let time = element.key("time");
    let mut one = Sink::ordered(w.index_in_file);
    one.error(
        format!("no contact has the id `{}`", echo(&w.pending.anchor)),
        &w.pending.anchor_pos,
        time.key(key),
    )
    .hint = Some(
        did_you_mean(&w.pending.anchor, ids)
            .unwrap_or_else(|| format!("`{key}` names the contact this time is relative to")),
    );
    sink.append(one);
}

/// Gives `contact` its resolved time (and its own account the same), keeping the basis.
fn set_time<P>(
    contact: &mut Contact,
    time: crate::model::KnownTime,
    anchor: ContactId,
    pending: &Pending<P>,
) {
    let evidence = contact.evidence.get_or_insert_with(|| {
        Box::new(Evidence {
            accounts: Vec::new(),
            leading: 0,
            dispute: Default::default(),
            relative: None,
            reported: None,
        })
    });
    for account in evidence.accounts.iter_mut().filter(|a| a.own) {
        account.time = Some(time.clone());
    }
    evidence.relative = Some(Relative {
        anchor,
        direction: pending.direction,
        by: pending.by,
    });
    contact.time = time;
}

/// A time relative to a report's date (`report = "source-id", span = "later this week"`), resolved at once
/// (a source's date depends on no contact): `Ok(None)` when the time is not of that form, `Err` when it
/// is written wrong (the sink says how).
pub(super) fn report_time<P: Pos>(
    sink: &mut Sink,
    ctx: &Ctx<'_>,
    raw: &At<RawTime<'_, P>, P>,
    path: FieldPath<'_>,
    default_zone: NamedZone,
) -> Result<Option<(KnownTime, FromReport)>, ()> {
    let t = &raw.value;
    let example = "write `time = { report = \"source-id\", span = \"later this week\" }`";
    let (report, span) = match (&t.report, &t.span) {
        (None, None) => {
            if let Some(week) = &t.week_starts {
                sink.error(
                    "`week_starts` is for a time relative to a report, which needs `report` and `span`",
                    &week.pos,
                    path.key("week_starts"),
                )
                .hint = Some(example.to_owned());
                return Err(());
            }
            return Ok(None);
        }
        (None, Some(span)) => {
            sink.error(
                "`span` is how far from a report a time is, which needs `report`",
                &span.pos,
                path.key("span"),
            )
            .hint = Some(example.to_owned());
            return Err(());
        }
        (Some(report), None) => {
            sink.error(
                "a time relative to a report needs `span`: how far from the report's date",
                &report.pos,
                path.key("report"),
            )
            .hint = Some(format!(
                "write `report = \"{}\", span = \"later this week\"` (or `next week`, or `3d`: within three days)",
                report.value
            ));
            return Err(());
        }
        (Some(report), Some(span)) => (report, span),
    };
    let others = [
        t.at.is_some(),
        t.on.is_some(),
        t.part.is_some(),
        t.from.is_some(),
        t.to.is_some(),
        t.earliest.is_some(),
        t.latest.is_some(),
        t.since.is_some(),
        t.as_of.is_some(),
        t.after.is_some(),
        t.before.is_some(),
        t.by.is_some(),
    ];
    if others.into_iter().any(|o| o) {
        sink.error(
            "a time relative to a report takes only `span` (and `tz`)",
            &raw.pos,
            path,
        )
        .hint = Some("remove the other keys: the window follows from the report's date".to_owned());
        return Err(());
    }
    let source = sink.reference(report, &ctx.source_ids, path.key("report"), "source");
    let span = match ReportSpan::parse(&span.value) {
        Ok(span) => Some(span),
        Err(message) => {
            sink.error(message, &span.pos, path.key("span"));
            None
        }
    };
    let week_starts = match &t.week_starts {
        None => Some(jiff::civil::Weekday::Monday),
        Some(w) => {
            let day = weekday(&w.value);
            if day.is_none() {
                sink.error(
                    format!("`{}` is not a day of the week", w.value),
                    &w.pos,
                    path.key("week_starts"),
                )
                .hint = Some(
                    "write the day the report's weeks start on: `monday` (the default), `sunday`, `saturday`..."
                        .to_owned(),
                );
            }
            day
        }
    };
    let (zone_name, zone) = match &t.tz {
        Some(tz) => sink.zone(ctx.zones, tz, path.key("tz")).ok_or(())?,
        None => default_zone,
    };
    let (Some(source), Some(span), Some(week_starts)) = (source, span, week_starts) else {
        return Err(());
    };
    let basis = FromReport {
        source: SourceId(source),
        span,
        week_starts,
    };
    match from_report(
        &ctx.sources[source as usize],
        span,
        week_starts,
        zone_name,
        zone,
    ) {
        Ok(known) => Ok(Some((known, basis))),
        Err(err) => {
            let hint = match err {
                ReportError::Undated(_) => format!(
                    "give source `{}` its `published` date, or the contact a date of its own",
                    report.value
                ),
                ReportError::OutOfRange(_) => "give a shorter span".to_owned(),
            };
            sink.error(err.to_string(), &report.pos, path.key("report"))
                .hint = Some(hint);
            Err(())
        }
    }
}

/// A day of the week by its English name, in any case: `sunday`.
fn weekday(name: &str) -> Option<jiff::civil::Weekday> {
    use jiff::civil::Weekday;
    let days = [
        ("monday", Weekday::Monday),
        ("tuesday", Weekday::Tuesday),
        ("wednesday", Weekday::Wednesday),
        ("thursday", Weekday::Thursday),
        ("friday", Weekday::Friday),
        ("saturday", Weekday::Saturday),
        ("sunday", Weekday::Sunday),
    ];
    let name = name.trim().to_lowercase();
    days.into_iter().find(|(n, _)| *n == name).map(|(_, d)| d)
}
