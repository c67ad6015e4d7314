//! Checking one contact: its names, participants, place and time. Contacts are checked in parallel, each
//! on its own, against the sources, venues and actors checked before them.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use smallvec::SmallVec;

use super::super::raw::{
    At, Pos, RawAccount, RawCitation, RawContact, RawProvenance, RawTime, Str, Text, TimeText,
};
use super::Ctx;
use super::sink::{NamedZone, Sink};
use crate::io::json::{FieldPath, ROOT};
use crate::model::evidence::{Direction, Offset, settle};
use crate::model::time::{KnownTime, Moment, When, parse_moment};
use crate::model::{
    Account, ActorId, Citation, Contact, ContactKind, DayPart, Evidence, Named as _, Part,
    Participant, Place, Provenance, Quote, Review, SourceId, Status, VenueId, VenueRule,
};

/// A contact as checked: the contact when it has no error, its id either way (for the duplicate check,
/// which needs all of them). Small, so that the contacts take its place in memory. Its problems went to
/// the validator's list, which keeps the first ones of the file and counts the others.
#[derive(Debug)]
pub struct Checked<P> {
    pub contact: Option<Contact>,
    pub id_pos: P,
    /// The id, when there is no contact to hold it.
    failed_id: Option<Box<str>>,
    /// A time relative to another contact, resolved once every contact is checked.
    pub pending: Option<Box<Pending<P>>>,
}

/// A relative time waiting for its anchor: `after = "anchor-id", by = "2d"`.
#[derive(Debug)]
pub struct Pending<P> {
    pub anchor: Box<str>,
    /// Where the anchor's id is written.
    pub anchor_pos: P,
    pub direction: Direction,
    pub by: Offset,
}

impl<P> Checked<P> {
    /// Lets the contact go, keeping only its id (for the duplicate check): for a check that needs no
    /// scenario, so that a million contacts are not all held at once.
    #[must_use]
    ///
    /// A contact whose time is relative is kept, so that its anchor and cycles can still be checked.
    pub fn into_id_only(self) -> Self {
        match self.contact {
            Some(contact) if self.pending.is_none() => Checked {
                contact: None,
                id_pos: self.id_pos,
                failed_id: Some(contact.id.into_boxed_str()),
                pending: None,
            },
            _ => self,
        }
    }

    pub fn id(&self) -> &str {
        match (&self.contact, &self.failed_id) {
            (Some(contact), _) => &contact.id,
            (None, Some(id)) => id,
            (None, None) => "",
        }
    }
}

/// Checks the contact at `index` in the file.
pub fn check<P: Pos>(ctx: &Ctx<'_>, raw: &At<RawContact<'_, P>, P>, index: usize) -> Checked<P> {
    let mut sink = Sink::ordered(index);
    let contacts = ROOT.key("contacts");
    let path = contacts.index(index);
    let checked = check_parts(&mut sink, ctx, &raw.value, path, &raw.pos);
    let raw = &raw.value;
    let id_pos = raw.id.pos.clone();
    let id = raw.id.value.owned();
    let (contact, failed_id, pending) = match checked {
        Ok(parts) => {
            let mut contact = Contact {
                id,
                kind: parts.kind,
                status: parts.status,
                title: raw.title.value.owned(),
                summary: text_of(&raw.summary),
                participants: parts.participants,
                place: parts.place,
                time: parts.time,
                quotes: parts.quotes,
                sources: parts.citations,
                confidence: parts.confidence,
                notes: text_of(&raw.notes),
                provenance: parts.provenance,
                evidence: parts.evidence,
            };
            // A relative time is settled once its anchor is known.
            if parts.pending.is_none() {
                settle(&mut contact, ctx.sources, &ctx.meta_zone.1);
            }
            (Some(contact), None, parts.pending.map(Box::new))
        }
        Err(()) => (None, Some(id.into_boxed_str()), None),
    };
    if !sink.is_empty() {
        ctx.report(sink);
    }
    Checked {
        contact,
        id_pos,
        failed_id,
        pending,
    }
}

/// What a contact resolves to, apart from the texts it keeps as written.
struct Parts<P> {
    kind: ContactKind,
    status: crate::model::Status,
    participants: Vec<Participant>,
    place: Place,
    time: KnownTime,
    quotes: Vec<Quote>,
    citations: Vec<Citation>,
    confidence: Option<crate::model::Confidence>,
    provenance: Option<Box<Provenance>>,
    evidence: Option<Box<Evidence>>,
    pending: Option<Pending<P>>,
}

/// Checks everything; `Err` with nothing when any part has an error (the sink says which).
fn check_parts<P: Pos>(
    sink: &mut Sink,
    ctx: &Ctx<'_>,
    raw: &RawContact<'_, P>,
    path: FieldPath<'_>,
    pos: &P,
) -> Result<Parts<P>, ()> {
    let kind = sink.named::<ContactKind, P>(&raw.kind, path.key("kind"), "contact kind");
    let status = sink.named(&raw.status, path.key("status"), "status");
    let confidence = raw
        .confidence
        .as_ref()
        .and_then(|c| sink.named(c, path.key("confidence"), "confidence level"));

    let participants = check_participants(sink, ctx, raw, kind, path);
    let all_participants_read = participants.len() == raw.participants.len();

    let home = participants
        .iter()
        .find(|p| matches!(p.part, Part::Guest | Part::Initiator))
        .and_then(|p| ctx.actors.get(p.actor.0 as usize))
        .and_then(|a| a.based_at);
    let place = kind.and_then(|kind| place(sink, ctx, raw, kind, path, pos, home));

    let quotes = check_quotes(sink, ctx, raw, path);
    let citations = check_citations(sink, ctx, &raw.sources, path.key("sources"));
    let sources_path = path.key("sources");
    if raw.sources.is_empty() {
        sink.warning_anchored(
            format!("contact `{}` cites no source", raw.id.value),
            &raw.id.pos,
            path.key("id"),
            sources_path,
        );
    }

    let default_zone = default_zone(ctx, place, &participants);
    let time_path = path.key("time");
    let reported =
        super::relative::report_time(sink, ctx, &raw.time, time_path, default_zone.clone());
    let (time, pending) = match &reported {
        Ok(Some((time, _))) => (Some(time.clone()), None),
        Ok(None) => match relative(sink, &raw.time, time_path) {
            Ok(Some(pending)) => (Some(placeholder_time()), Some(pending)),
            Ok(None) => (
                time(sink, ctx, &raw.time, time_path, default_zone.clone()),
                None,
            ),
            Err(()) => (None, None),
        },
        Err(()) => (None, None),
    };
    let reported = reported.ok().flatten().map(|(_, basis)| basis);
    let provenance = provenance(sink, raw, path);
    let accounts = accounts(sink, ctx, &raw.accounts, path.key("accounts"), default_zone);
    let evidence = match (status, &time, place, &pending, accounts) {
        (_, _, _, None, Some(others)) if others.is_empty() && reported.is_none() => None,
        (Some(status), Some(time), Some(place), _, Some(others)) => {
            let mut all = Vec::with_capacity(others.len() + 1);
            if !others.is_empty() {
                all.push(Account {
                    own: true,
                    sources: citations.clone(),
                    asserts: status,
                    time: Some(time.clone()),
                    place: Some(place),
                    note: String::new(),
                });
            }
            all.extend(others);
            Some(Box::new(Evidence {
                accounts: all,
                leading: 0,
                dispute: Default::default(),
                relative: None,
                reported,
            }))
        }
        _ => return Err(()),
    };

    Ok(Parts {
        kind: kind.ok_or(())?,
        status: status.ok_or(())?,
        participants: all_participants_read.then_some(participants).ok_or(())?,
        place: place.ok_or(())?,
        time: time.ok_or(())?,
        quotes: (quotes.len() == raw.quotes.len())
            .then_some(quotes)
            .ok_or(())?,
        citations: (citations.len() == raw.sources.len())
            .then_some(citations)
            .ok_or(())?,
        confidence,
        provenance: provenance?,
        evidence,
        pending,
    })
}

/// The stand-in time of a contact whose time is relative, until its anchor is resolved.
fn placeholder_time() -> KnownTime {
    KnownTime {
        when: When::At(jiff::Timestamp::UNIX_EPOCH),
        zone_name: "UTC".into(),
        zone: TimeZone::UTC,
        start: Some(jiff::Timestamp::UNIX_EPOCH),
        end: Some(jiff::Timestamp::UNIX_EPOCH),
    }
}

/// A relative time (`after` or `before`, with `by`): `Ok(None)` when the time is not relative, `Err` when
/// it is written wrong (the sink says how).
fn relative<P: Pos>(
    sink: &mut Sink,
    raw: &At<RawTime<'_, P>, P>,
    path: FieldPath<'_>,
) -> Result<Option<Pending<P>>, ()> {
    let t = &raw.value;
    let (anchor, direction, key) = match (&t.after, &t.before) {
        (None, None) => {
            if let Some(by) = &t.by {
                sink.error(
                    "`by` is the offset of a relative time, which needs `after` or `before`",
                    &by.pos,
                    path.key("by"),
                )
                .hint = Some("write `after = \"contact-id\", by = \"2d\"`".to_owned());
                return Err(());
            }
            return Ok(None);
        }
        (Some(a), None) => (a, Direction::After, "after"),
        (None, Some(b)) => (b, Direction::Before, "before"),
        (Some(_), Some(b)) => {
            sink.error(
                "a time is `after` or `before` a contact, not both",
                &b.pos,
                path.key("before"),
            )
            .hint = Some("keep one of them".to_owned());
            return Err(());
        }
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
        t.tz.is_some(),
    ];
    if others.into_iter().any(|o| o) {
        sink.error(
            format!("a time `{key}` another contact takes only `by`"),
            &raw.pos,
            path,
        )
        .hint = Some(
            "remove the other keys: the time (and its zone) follow from the other contact's"
                .to_owned(),
        );
        return Err(());
    }
    let Some(by) = &t.by else {
        sink.error(
            format!("a time `{key}` another contact needs `by`, the offset"),
            &anchor.pos,
            path.key(key),
        )
        .hint = Some(format!(
            "write `{key} = \"{}\", by = \"2d\"` (hours `h`, days `d`, weeks `w`)",
            anchor.value
        ));
        return Err(());
    };
    let by = match Offset::parse(&by.value) {
        Ok(offset) => offset,
        Err(message) => {
            sink.error(message, &by.pos, path.key("by"));
            return Err(());
        }
    };
    Ok(Some(Pending {
        anchor: anchor.value.owned().into_boxed_str(),
        anchor_pos: anchor.pos.clone(),
        direction,
        by,
    }))
}

/// The accounts other than the contact's own; `None` when one has an error (the sink says which).
fn accounts<P: Pos>(
    sink: &mut Sink,
    ctx: &Ctx<'_>,
    raw: &[At<RawAccount<'_, P>, P>],
    path: FieldPath<'_>,
    zone: NamedZone,
) -> Option<Vec<Account>> {
    let mut accounts = Vec::with_capacity(raw.len());
    let mut ok = true;
    for (j, a) in raw.iter().enumerate() {
        let a_path = path.index(j);
        let pos = &a.pos;
        let a = &a.value;
        let asserts = sink.named::<Status, P>(&a.asserts, a_path.key("asserts"), "status");
        let sources = check_citations(sink, ctx, &a.sources, a_path.key("sources"));
        if a.sources.is_empty() {
            sink.error("an account needs the `sources` that give it", pos, a_path)
                .hint = Some("add `sources = [{ source = \"source-id\" }]`".to_owned());
            ok = false;
        }
        let venue = a.venue.as_ref().map(|v| {
            sink.reference(v, &ctx.venue_ids, a_path.key("venue"), "venue")
                .map(|i| Place::At(VenueId(i)))
        });
        let time = match &a.time {
            Some(t)
                if t.value.after.is_some()
                    || t.value.before.is_some()
                    || t.value.report.is_some()
                    || t.value.span.is_some() =>
            {
                sink.error(
                    "an account's time cannot be relative to another contact or a report",
                    &t.pos,
                    a_path.key("time"),
                )
                .hint = Some("give the date the account's sources give".to_owned());
                ok = false;
                None
            }
            Some(t) => {
                let zone = match venue {
                    Some(Some(Place::At(v))) => ctx
                        .venue_zones
                        .get(v.0 as usize)
                        .cloned()
                        .unwrap_or(zone.clone()),
                    _ => zone.clone(),
                };
                let known = time(sink, ctx, t, a_path.key("time"), zone);
                ok &= known.is_some();
                known
            }
            None => None,
        };
        // A venue given but unknown was reported; none given means the contact's.
        let place = match venue {
            Some(Some(place)) => Some(place),
            Some(None) => {
                ok = false;
                None
            }
            None => None,
        };
        match asserts {
            Some(asserts) if ok && sources.len() == a.sources.len() => accounts.push(Account {
                own: false,
                sources,
                asserts,
                time,
                place,
                note: text_of(&a.note),
            }),
            _ => ok = false,
        }
    }
    ok.then_some(accounts)
}

/// A machine-coded contact's review and provenance: `Ok(None)` for the analyst's own contact, `Err` when
/// one of them has an error (the sink says which).
fn provenance<P: Pos>(
    sink: &mut Sink,
    raw: &RawContact<'_, P>,
    path: FieldPath<'_>,
) -> Result<Option<Box<Provenance>>, ()> {
    let review = match &raw.review {
        Some(r) => Some(
            sink.named::<Review, P>(r, path.key("review"), "review")
                .ok_or(())?,
        ),
        None => None,
    };
    let Some(given) = &raw.provenance else {
        if let Some(r) = &raw.review {
            sink.error(
                "a `review` is for a machine-coded contact, which has a `provenance`",
                &r.pos,
                path.key("review"),
            )
            .hint = Some(
                "remove `review` from the analyst's own contact, or give `provenance = { dataset = \"...\" }`"
                    .to_owned(),
            );
            return Err(());
        }
        return Ok(None);
    };
    let RawProvenance {
        dataset,
        rows,
        first_reported,
        sources,
        tone,
    } = &given.value;
    let path = path.key("provenance");
    let mut ok = true;
    let first_reported = match first_reported {
        None => None,
        Some(t) => match t
            .value
            .text()
            .map(|text| parse_moment(text, &TimeZone::UTC))
        {
            Some(Ok(Moment::At(instant))) => Some(instant),
            Some(Ok(Moment::Day(day))) => day
                .to_zoned_datetime(TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp()),
            Some(Err(message)) => {
                sink.error(message, &t.pos, path.key("first_reported"));
                ok = false;
                None
            }
            None => {
                sink.error(
                    "`first_reported` must be a date or a date and time",
                    &t.pos,
                    path.key("first_reported"),
                );
                ok = false;
                None
            }
        },
    };
    let sources = match sources {
        None => None,
        Some(n) => match u32::try_from(n.value) {
            Ok(n) => Some(n),
            Err(_) => {
                sink.error(
                    format!("{} is not a number of sources", n.value),
                    &n.pos,
                    path.key("sources"),
                )
                .hint = Some("a count: 0 or more".to_owned());
                ok = false;
                None
            }
        },
    };
    let tone = match tone {
        Some(t) if !(t.value.is_finite() && (-100.0..=100.0).contains(&t.value)) => {
            sink.error(
                format!("tone {} is out of range", t.value),
                &t.pos,
                path.key("tone"),
            )
            .hint = Some("a tone is between -100 and 100".to_owned());
            ok = false;
            None
        }
        Some(t) => Some(t.value),
        None => None,
    };
    if !ok {
        return Err(());
    }
    Ok(Some(Box::new(Provenance {
        review: review.unwrap_or(Review::Candidate),
        dataset: dataset.value.owned(),
        rows: rows.iter().map(Str::owned).collect(),
        first_reported,
        sources,
        tone,
    })))
}

/// The participants that could be read (each actor once), and the problem of a kind missing a part.
fn check_participants<P: Pos>(
    sink: &mut Sink,
    ctx: &Ctx<'_>,
    raw: &RawContact<'_, P>,
    kind: Option<ContactKind>,
    path: FieldPath<'_>,
) -> Vec<Participant> {
    let participants_path = path.key("participants");
    let mut participants = Vec::with_capacity(raw.participants.len());
    for (j, p) in raw.participants.iter().enumerate() {
        let p_path = participants_path.index(j);
        let p = &p.value;
        let actor = sink.reference(&p.actor, &ctx.actor_ids, p_path.key("actor"), "actor");
        let part = sink.named::<Part, P>(&p.part, p_path.key("part"), "part");
        if let (Some(actor), Some(part)) = (actor, part) {
            let actor = ActorId(actor);
            if participants.iter().any(|q: &Participant| q.actor == actor) {
                sink.error(
                    format!("actor `{}` takes part twice", p.actor.value),
                    &p.actor.pos,
                    p_path.key("actor"),
                )
                .hint = Some("give each actor one part per contact".to_owned());
            }
            participants.push(Participant { actor, part });
        }
    }
    let all_participants_read = participants.len() == raw.participants.len();
    if let Some(kind) = kind
        && all_participants_read
        && let Some(missing) = missing_participants(kind, &participants)
    {
        sink.error_anchored(
            format!("a {} needs {missing}", kind.label()),
            &raw.kind.pos,
            path.key("kind"),
            participants_path,
        )
        .hint = Some(format!(
            "add them to `participants`, e.g. {{ actor = \"...\", part = \"{}\" }}",
            required_part_example(kind)
        ));
    }
    participants
}

/// The quotes whose speaker is known.
fn check_quotes<P: Pos>(
    sink: &mut Sink,
    ctx: &Ctx<'_>,
    raw: &RawContact<'_, P>,
    path: FieldPath<'_>,
) -> Vec<Quote> {
    let quotes_path = path.key("quotes");
    // Lists are sized exactly: a collected `filter_map` would reserve room for four.
    let mut quotes = Vec::with_capacity(raw.quotes.len());
    for (j, q) in raw.quotes.iter().enumerate() {
        let q = &q.value;
        let quote = quotes_path.index(j);
        if let Some(speaker) =
            sink.reference(&q.speaker, &ctx.actor_ids, quote.key("speaker"), "actor")
        {
            quotes.push(Quote {
                speaker: ActorId(speaker),
                text: q.text.value.owned(),
            });
        }
    }
    quotes
}

/// The citations whose source is known.
fn check_citations<P: Pos>(
    sink: &mut Sink,
    ctx: &Ctx<'_>,
    raw: &SmallVec<[At<RawCitation<'_, P>, P>; 1]>,
    sources_path: FieldPath<'_>,
) -> Vec<Citation> {
    let mut citations = Vec::with_capacity(raw.len());
    for (j, c) in raw.iter().enumerate() {
        let c = &c.value;
        let citation = sources_path.index(j);
        if let Some(source) =
            sink.reference(&c.source, &ctx.source_ids, citation.key("source"), "source")
        {
            citations.push(Citation {
                source: SourceId(source),
                says: c.says.as_ref().map(|s| s.value.owned()).unwrap_or_default(),
                attribution: c
                    .attribution
                    .as_ref()
                    .map(|s| s.value.owned())
                    .unwrap_or_default(),
            });
        }
    }
    citations
}

/// `home` is the traveller's usual venue, the origin of a visit whose source does not say where it began.
fn place<P: Pos>(
    sink: &mut Sink,
    ctx: &Ctx<'_>,
    raw: &RawContact<'_, P>,
    kind: ContactKind,
    path: FieldPath<'_>,
    pos: &P,
    home: Option<VenueId>,
) -> Option<Place> {
    let mut venue = |v: &Option<Text<'_, P>>, key: &'static str| -> Option<Option<VenueId>> {
        match v {
            None => Some(None),
            Some(v) => sink
                .reference(v, &ctx.venue_ids, path.key(key), "venue")
                .map(|i| Some(VenueId(i))),
        }
    };
    let at = venue(&raw.venue, "venue");
    let from = venue(&raw.from, "from");
    let to = venue(&raw.to, "to");
    let (at, from, to) = (at?, from?, to?);
    let label = kind.label();
    let mut fail = |message: String, hint: &str| {
        sink.error(message, pos, path).hint = Some(hint.to_owned());
        None
    };
    if let (Some(from), Some(to)) = (from.or(home.filter(|_| raw.from.is_none())), to)
        && from == to
        && matches!(kind.venue_rule(), VenueRule::Route | VenueRule::OneOrRoute)
    {
        let hint = if raw.from.is_none() {
            "the origin is the guest's `based_at`, which is the destination: give `from`"
        } else {
            "a journey goes from one venue to another; use `venue` for something in one place"
        };
        return fail(
            format!("this {label} starts and ends at the same venue"),
            hint,
        );
    }
    match place_by_rule(kind, at, from, to, home) {
        Ok(place) => Some(place),
        Err((message, hint)) => fail(message, hint),
    }
}

/// The place a contact of `kind` has, by its kind's venue rule, from the venues it gives (and the guest's
/// home as the origin of a visit without `from`); otherwise the message and hint of the problem.
fn place_by_rule(
    kind: ContactKind,
    at: Option<VenueId>,
    from: Option<VenueId>,
    to: Option<VenueId>,
    home: Option<VenueId>,
) -> Result<Place, (String, &'static str)> {
    let label = kind.label();
    match (kind.venue_rule(), at, from, to) {
        (VenueRule::Route | VenueRule::OneOrRoute, None, Some(from), Some(to)) => {
            Ok(Place::Route {
                from,
                to,
                from_reported: true,
            })
        }
        (VenueRule::Route, None, None, Some(to)) if home.is_some() => Ok(Place::Route {
            from: home.unwrap_or(to),
            to,
            from_reported: false,
        }),
        (VenueRule::One | VenueRule::OneOrRoute | VenueRule::Optional, Some(v), None, None) => {
            Ok(Place::At(v))
        }
        (VenueRule::Optional | VenueRule::None, None, None, None) => Ok(Place::None),
        (VenueRule::Route, ..) => Err((
            format!(
                "a {label} needs a destination `to`, an origin `from` (or a guest with a `based_at`), and no `venue`"
            ),
            "write `from = \"origin-venue\"` and `to = \"destination-venue\"`",
        )),
        (VenueRule::One, ..) => Err((
            format!("a {label} needs one `venue`, and no `from`/`to`"),
            "write `venue = \"venue-id\"`; use an `unspecified` or `country` venue when the city is not reported",
        )),
        (VenueRule::OneOrRoute, ..) => Err((
            format!("a {label} needs a `venue`, or both `from` and `to`"),
            "a build-up happens at an area `venue`; a movement goes `from` one venue `to` another",
        )),
        (VenueRule::Optional, ..) => Err((
            format!("a {label} takes at most one `venue`, and no `from`/`to`"),
            "remove `from` and `to`",
        )),
        (VenueRule::None, ..) => Err((
            format!("a {label} has no venue: it joins the parties where they are"),
            "remove `venue`, `from` and `to`",
        )),
    }
}

fn time<P: Pos>(
    sink: &mut Sink,
    ctx: &Ctx<'_>,
    raw: &At<RawTime<'_, P>, P>,
    path: FieldPath<'_>,
    default_zone: NamedZone,
) -> Option<KnownTime> {
    let (zone_name, zone) = match &raw.value.tz {
        Some(tz) => sink.zone(ctx.zones, tz, path.key("tz"))?,
        None => default_zone,
    };
    let when = TimeReader {
        sink: &mut *sink,
        path,
        zone: &zone,
    }
    .when(raw)?;
    match KnownTime::new(when, zone_name, zone) {
        Ok(known) => Some(known),
        Err(err) => {
            sink.error(err.to_string(), &raw.pos, path);
            None
        }
    }
}

/// What reading a contact's `time` needs: where its problems go, its path, and the zone its times are
/// read in.
struct TimeReader<'s, 'p> {
    sink: &'s mut Sink,
    path: FieldPath<'p>,
    zone: &'s TimeZone,
}

impl TimeReader<'_, '_> {
    fn moment<P: Pos>(&mut self, v: &TimeText<'_, P>, key: &'static str) -> Option<Moment> {
        match v.value.text().map(|text| parse_moment(text, self.zone)) {
            Some(Ok(m)) => Some(m),
            Some(Err(message)) => {
                self.sink.error(message, &v.pos, self.path.key(key));
                None
            }
            None => {
                self.sink.error(
                    format!("`{key}` must be a date or a date and time"),
                    &v.pos,
                    self.path.key(key),
                );
                None
            }
        }
    }

    fn day<P: Pos>(&mut self, v: &TimeText<'_, P>, key: &'static str) -> Option<Date> {
        self.sink.date(v, self.path.key(key))
    }

    /// The time by its shape: the keys it has tell which.
    fn when<P: Pos>(&mut self, raw: &At<RawTime<'_, P>, P>) -> Option<When> {
        let t = &raw.value;
        let shape = (
            &t.at,
            &t.on,
            &t.part,
            &t.from,
            &t.to,
            &t.earliest,
            &t.latest,
            &t.since,
            &t.as_of,
        );
        Some(match shape {
            (Some(at), None, None, None, None, None, None, None, None) => {
                match self.moment(at, "at")? {
                    Moment::At(ts) => When::At(ts),
                    Moment::Day(d) => When::Day(d),
                }
            }
            (None, Some(on), part, None, None, None, None, None, None) => {
                let date = self.day(on, "on");
                let part = match part {
                    Some(p) => Some(self.sink.named::<DayPart, P>(
                        p,
                        self.path.key("part"),
                        "part of the day",
                    )?),
                    None => None,
                };
                match part {
                    Some(part) => When::PartOfDay(date?, part),
                    None => When::Day(date?),
                }
            }
            (None, None, None, Some(from), Some(to), None, None, None, None) => {
                let from = self.moment(from, "from");
                let to = self.moment(to, "to");
                When::Between {
                    from: from?,
                    to: to?,
                }
            }
            (None, None, None, None, None, Some(earliest), Some(latest), None, None) => {
                let earliest = self.moment(earliest, "earliest");
                let latest = self.moment(latest, "latest");
                When::Window {
                    earliest: earliest?,
                    latest: latest?,
                }
            }
            (None, None, None, None, None, None, None, since, Some(as_of)) => {
                let since = match since {
                    Some(s) => Some(self.moment(s, "since")?),
                    None => None,
                };
                When::Ongoing {
                    since,
                    as_of: self.day(as_of, "as_of")?,
                }
            }
            _ => {
                self.sink.error("this time mixes or lacks the keys of its shape", &raw.pos, self.path).hint = Some(
                    "give one of: `at`; `on` (with an optional `part`); `from` and `to`; `earliest` and `latest`; \
                     `as_of` (with an optional `since`) - each with an optional `tz`"
                        .to_owned(),
                );
                return None;
            }
        })
    }
}

/// What a contact of `kind` lacks among its participants, said for a person.
fn missing_participants(kind: ContactKind, participants: &[Participant]) -> Option<&'static str> {
    let count = |part: Part| participants.iter().filter(|p| p.part == part).count();
    match kind {
        ContactKind::Visit if count(Part::Guest) == 0 => Some("a `guest`: the one who travels"),
        ContactKind::Meeting if participants.len() < 2 => Some("at least two participants"),
        ContactKind::PhoneCall if count(Part::Caller) == 0 || count(Part::Addressee) == 0 => {
            Some("a `caller` and an `addressee`")
        }
        ContactKind::Statement | ContactKind::Interview | ContactKind::Post
            if count(Part::Speaker) == 0 =>
        {
            Some("a `speaker`")
        }
        ContactKind::ChannelMessage if count(Part::Speaker) == 0 || count(Part::Addressee) == 0 => {
            Some("a `speaker` (the sender) and an `addressee`")
        }
        ContactKind::Mediation
            if count(Part::Mediator) == 0 || count(Part::Mediator) == participants.len() =>
        {
            Some("a `mediator` and at least one party")
        }
        ContactKind::MilitaryMove if count(Part::Initiator) == 0 => {
            Some("an `initiator`: who orders or leads the move")
        }
        _ => None,
    }
}

fn required_part_example(kind: ContactKind) -> &'static str {
    match kind {
        ContactKind::Visit => "guest",
        ContactKind::Meeting => "participant",
        ContactKind::PhoneCall => "caller",
        ContactKind::Statement
        | ContactKind::Interview
        | ContactKind::Post
        | ContactKind::ChannelMessage => "speaker",
        ContactKind::Mediation => "mediator",
        ContactKind::MilitaryMove => "initiator",
    }
}

/// The zone a time is read in when it names none: the venue's (a visit's destination), else the first
/// participant's home venue, else the scenario's.
fn default_zone(ctx: &Ctx<'_>, place: Option<Place>, participants: &[Participant]) -> NamedZone {
    let venue = match place {
        Some(Place::At(v)) | Some(Place::Route { to: v, .. }) => Some(v),
        _ => participants
            .first()
            .and_then(|p| ctx.actors.get(p.actor.0 as usize))
            .and_then(|a| a.based_at),
    };
    venue
        .and_then(|v| ctx.venue_zones.get(v.0 as usize))
        .unwrap_or(ctx.meta_zone)
        .clone()
}

fn text_of<P>(text: &Option<Text<'_, P>>) -> String {
    text.as_ref().map(|t| t.value.owned()).unwrap_or_default()
}
