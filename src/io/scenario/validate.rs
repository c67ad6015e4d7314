//! From the file as written to a [`Scenario`] that can be trusted: names resolved, references checked,
//! times resolved to UTC. Every problem is collected; none stops the others from being found.

use std::collections::HashMap;
use std::ops::Range;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use toml::Spanned;

use super::raw::{
    FORMAT, RawActor, RawContact, RawFile, RawSource, RawTime, RawVenue, Text, TimeText, VERSION,
    index_in_file,
};
use crate::diagnostics::{Diagnostic, LineIndex, did_you_mean};
use crate::model::time::{KnownTime, Moment, When, parse_moment, zone_by_name, zone_names};
use crate::model::{
    Actor, ActorId, ActorKind, Citation, Contact, ContactKind, DayPart, LonLat, Meta, Named, Part,
    Participant, Place, Quote, Scenario, Source, SourceId, Venue, VenueId, VenueKind, VenueRule,
};

/// Collects diagnostics while converting.
struct Checker<'t> {
    diagnostics: Vec<Diagnostic>,
    /// Zone names, loaded once the first time a zone is not found.
    zone_names: Option<Vec<String>>,
    /// The file's text, to name lines in hints.
    text: &'t str,
    lines: Option<LineIndex>,
}

/// Converts a read file into a scenario; `None` when any error was found (the diagnostics say which).
pub fn validate(file: RawFile, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Scenario> {
    let mut checker = Checker {
        diagnostics: Vec::new(),
        zone_names: None,
        text,
        lines: None,
    };
    let scenario = checker.scenario(file);
    let failed = checker.diagnostics.iter().any(Diagnostic::is_error);
    diagnostics.append(&mut checker.diagnostics);
    scenario.filter(|_| !failed)
}

impl Checker<'_> {
    fn error(
        &mut self,
        message: impl Into<String>,
        span: Range<usize>,
        path: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(message).at(span).path(path));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn warning(&mut self, message: impl Into<String>, span: Range<usize>, path: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(message).at(span).path(path));
    }

    fn scenario(&mut self, file: RawFile) -> Option<Scenario> {
        match &file.format {
            Some(format) if format.get_ref() == FORMAT => {}
            Some(format) => {
                self.error(
                    format!("`format` is `{}`, not `{FORMAT}`", format.get_ref()),
                    format.span(),
                    "format",
                )
                .hint = Some(format!(
                    "a scenario file starts with `format = \"{FORMAT}\"`"
                ));
            }
            None => self.diagnostics.push(
                Diagnostic::error("the file does not say its format")
                    .at(0..0)
                    .hint(format!(
                        "start the file with `format = \"{FORMAT}\"` and `version = {VERSION}`"
                    )),
            ),
        }
        match &file.version {
            Some(version) if *version.get_ref() == VERSION => {}
            Some(version) => {
                self.error(
                    format!("format version {} is not supported; this build of demarche reads version {VERSION}", version.get_ref()),
                    version.span(),
                    "version",
                )
                .hint = Some("update demarche, or convert the file to the version it reads".to_owned());
            }
            None => self.diagnostics.push(
                Diagnostic::error("the file does not say its format version")
                    .at(0..0)
                    .hint(format!("add `version = {VERSION}` after `format`")),
            ),
        }
        let Some(meta) = file.scenario else {
            self.diagnostics.push(
                Diagnostic::error("the file has no `[scenario]` table")
                    .at(0..0)
                    .hint("add a `[scenario]` table with at least `id` and `title`"),
            );
            return None;
        };
        let meta_span = meta.span();
        let meta = meta.into_inner();
        let (time_zone_name, time_zone) = match &meta.time_zone {
            Some(name) => self.zone(name, "scenario.time_zone"),
            None => Some(("UTC".to_owned(), TimeZone::UTC)),
        }
        .unwrap_or_else(|| ("UTC".to_owned(), TimeZone::UTC));
        let _ = meta_span;
        let meta = Meta {
            id: meta.id.into_inner(),
            title: meta.title.into_inner(),
            description: text_or_empty(meta.description),
            time_zone_name,
            time_zone,
        };

        let dropped = file.dropped;
        let sources = self.sources(file.sources, &dropped.sources);
        let source_ids = index_of(&sources, |s| &s.id);
        let venues = self.venues(file.venues, &dropped.venues, &meta);
        let venue_ids = index_of(&venues, |v| &v.id);
        let actors = self.actors(file.actors, &dropped.actors, &venue_ids);
        let actor_ids = index_of(&actors, |a| &a.id);
        let refs = Refs {
            actors: &actor_ids,
            venues: &venue_ids,
            sources: &source_ids,
        };
        let mut contacts = Vec::with_capacity(file.contacts.len());
        let mut contact_ids: HashMap<String, Range<usize>> =
            HashMap::with_capacity(file.contacts.len());
        for (i, raw) in file.contacts.into_iter().enumerate() {
            let path = format!("contacts[{}]", index_in_file(i, &dropped.contacts));
            self.unique(&mut contact_ids, &raw.get_ref().id, &path, "contact");
            if let Some(contact) = self.contact(raw, &path, &refs, &actors, &venues, &meta) {
                contacts.push(contact);
            }
        }
        Some(Scenario {
            meta,
            sources,
            actors,
            venues,
            contacts,
        })
    }

    /// Reports a second use of an id.
    fn unique(
        &mut self,
        seen: &mut HashMap<String, Range<usize>>,
        id: &Text,
        path: &str,
        what: &str,
    ) {
        if id.get_ref().trim().is_empty() {
            self.error(
                format!("a {what} id cannot be empty"),
                id.span(),
                format!("{path}.id"),
            );
            return;
        }
        if let Some(first) = seen.get(id.get_ref()) {
            let at = self
                .lines
                .get_or_insert_with(|| LineIndex::new(self.text))
                .line_col(self.text, first.start);
            let line_hint = format!(
                "the first `{}` is at line {}; ids must be unique",
                id.get_ref(),
                at.line
            );
            self.error(
                format!("duplicate {what} id `{}`", id.get_ref()),
                id.span(),
                format!("{path}.id"),
            )
            .hint = Some(line_hint);
        } else {
            seen.insert(id.get_ref().clone(), id.span());
        }
    }

    fn named<T: Named>(&mut self, text: &Text, path: &str, what: &str) -> Option<T> {
        let found = T::from_name(text.get_ref());
        if found.is_none() {
            let hint = did_you_mean(text.get_ref(), T::names()).unwrap_or_else(|| {
                format!(
                    "the {what}s are {}",
                    T::names()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            self.error(
                format!("unknown {what} `{}`", text.get_ref()),
                text.span(),
                path,
            )
            .hint = Some(hint);
        }
        found
    }

    fn zone(&mut self, name: &Text, path: &str) -> Option<(String, TimeZone)> {
        if let Some(zone) = zone_by_name(name.get_ref()) {
            return Some((name.get_ref().clone(), zone));
        }
        let names = self.zone_names.get_or_insert_with(zone_names);
        let hint =
            did_you_mean(name.get_ref(), names.iter().map(String::as_str)).unwrap_or_else(|| {
                "use an IANA time zone name such as `Europe/Istanbul` or `UTC`".to_owned()
            });
        self.error(
            format!("unknown time zone `{}`", name.get_ref()),
            name.span(),
            path,
        )
        .hint = Some(hint);
        None
    }

    fn country_code(&mut self, code: &Text, path: &str) {
        let c = code.get_ref();
        if !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())) {
            self.error(
                format!("`{c}` is not an ISO 3166-1 alpha-2 country code"),
                code.span(),
                path,
            )
            .hint = Some("use two capital letters, e.g. `TR`, `IR`, `US`, `QA`, `EG`".to_owned());
        }
    }

    fn sources(&mut self, raw: Vec<Spanned<RawSource>>, dropped: &[usize]) -> Vec<Source> {
        let mut seen = HashMap::new();
        let mut sources = Vec::with_capacity(raw.len());
        for (i, source) in raw.into_iter().enumerate() {
            let path = format!("sources[{}]", index_in_file(i, dropped));
            let source = source.into_inner();
            self.unique(&mut seen, &source.id, &path, "source");
            let published = source
                .published
                .as_ref()
                .and_then(|p| self.date(p, &format!("{path}.published")));
            sources.push(Source {
                id: source.id.into_inner(),
                outlet: source.outlet.into_inner(),
                title: text_or_empty(source.title),
                published,
                url: source.url.map(Spanned::into_inner),
                note: text_or_empty(source.note),
            });
        }
        sources
    }

    fn date(&mut self, value: &TimeText, path: &str) -> Option<Date> {
        let text = time_text(value);
        match text.as_deref().map(str::parse::<Date>) {
            Some(Ok(date)) => Some(date),
            _ => {
                self.error(
                    format!(
                        "`{}` is not a date",
                        text.unwrap_or_else(|| value.get_ref().to_string())
                    ),
                    value.span(),
                    path,
                )
                .hint = Some("write a date as 2026-01-31".to_owned());
                None
            }
        }
    }

    fn venues(
        &mut self,
        raw: Vec<Spanned<RawVenue>>,
        dropped: &[usize],
        meta: &Meta,
    ) -> Vec<Venue> {
        let mut seen = HashMap::new();
        let mut venues = Vec::with_capacity(raw.len());
        for (i, venue) in raw.into_iter().enumerate() {
            let path = format!("venues[{}]", index_in_file(i, dropped));
            let span = venue.span();
            let venue = venue.into_inner();
            self.unique(&mut seen, &venue.id, &path, "venue");
            let kind = self.named::<VenueKind>(&venue.kind, &format!("{path}.kind"), "venue kind");
            if let Some(country) = &venue.country {
                self.country_code(country, &format!("{path}.country"));
            }
            let zone = match &venue.time_zone {
                Some(name) => self.zone(name, &format!("{path}.time_zone")),
                None => {
                    if matches!(kind, Some(VenueKind::Capital | VenueKind::City)) {
                        self.error(
                            format!("venue `{}` has no time zone", venue.id.get_ref()),
                            venue.id.span(),
                            format!("{path}.time_zone"),
                        )
                        .hint = Some(
                            "cities need their IANA zone, e.g. `time_zone = \"Asia/Tehran\"`"
                                .to_owned(),
                        );
                    }
                    Some((meta.time_zone_name.clone(), meta.time_zone.clone()))
                }
            };
            let location = self.location(&venue, &path, span.clone());
            if venue.lon.is_none()
                && venue.lat.is_none()
                && matches!(
                    kind,
                    Some(VenueKind::Capital | VenueKind::City | VenueKind::Country)
                )
            {
                self.error(
                    format!("venue `{}` has no position", venue.id.get_ref()),
                    venue.id.span(),
                    &path,
                )
                .hint = Some("give its `lon` and `lat` in degrees".to_owned());
            }
            let polygon = self.polygon(&venue, &path);
            if let Some(radius) = &venue.radius_km
                && !(radius.get_ref().is_finite() && *radius.get_ref() > 0.0)
            {
                self.error(
                    format!("radius {} km is not a positive distance", radius.get_ref()),
                    radius.span(),
                    format!("{path}.radius_km"),
                );
            }
            if let Some(radius) = &venue.radius_km
                && location.is_none()
            {
                self.error(
                    "a radius needs a centre: give `lon` and `lat` too",
                    radius.span(),
                    format!("{path}.radius_km"),
                );
            }
            if kind == Some(VenueKind::Area) && polygon.is_empty() && venue.radius_km.is_none() {
                self.error(
                    format!(
                        "area `{}` has neither a radius nor a polygon",
                        venue.id.get_ref()
                    ),
                    venue.id.span(),
                    &path,
                )
                .hint = Some("give `lon`, `lat` and `radius_km`, or a `polygon`".to_owned());
            }
            // A venue with errors is kept with stand-ins (the scenario will not load anyway), so that the
            // contacts and actors that refer to it are checked without a cascade of "no venue has the id".
            let kind = kind.unwrap_or(VenueKind::Unspecified);
            let (time_zone_name, time_zone) =
                zone.unwrap_or_else(|| (meta.time_zone_name.clone(), meta.time_zone.clone()));
            venues.push(Venue {
                id: venue.id.into_inner(),
                name: venue.name.into_inner(),
                kind,
                country: venue.country.map(Spanned::into_inner).unwrap_or_default(),
                time_zone_name,
                time_zone,
                location,
                radius_km: venue.radius_km.map(Spanned::into_inner),
                polygon,
                importance: match kind {
                    VenueKind::Capital => 2,
                    VenueKind::City | VenueKind::Area => 1,
                    _ => 0,
                },
            });
        }
        venues
    }

    fn location(&mut self, venue: &RawVenue, path: &str, span: Range<usize>) -> Option<LonLat> {
        match (&venue.lon, &venue.lat) {
            (Some(lon), Some(lat)) => {
                let ok_lon = self.in_range(lon, -180.0, 180.0, "longitude", &format!("{path}.lon"));
                let ok_lat = self.in_range(lat, -90.0, 90.0, "latitude", &format!("{path}.lat"));
                (ok_lon && ok_lat).then(|| LonLat {
                    lon: *lon.get_ref(),
                    lat: *lat.get_ref(),
                })
            }
            (None, None) => None,
            (Some(_), None) | (None, Some(_)) => {
                self.error("a position needs both `lon` and `lat`", span, path);
                None
            }
        }
    }

    fn in_range(
        &mut self,
        value: &Spanned<f64>,
        min: f64,
        max: f64,
        what: &str,
        path: &str,
    ) -> bool {
        let v = *value.get_ref();
        let ok = v.is_finite() && (min..=max).contains(&v);
        if !ok {
            let swapped = if what == "latitude" {
                " (are longitude and latitude swapped?)"
            } else {
                ""
            };
            self.error(format!("{what} {v} is out of range"), value.span(), path)
                .hint = Some(format!(
                "a {what} is between {min} and {max} degrees{swapped}"
            ));
        }
        ok
    }

    fn polygon(&mut self, venue: &RawVenue, path: &str) -> Vec<LonLat> {
        let Some(polygon) = &venue.polygon else {
            return Vec::new();
        };
        let points = polygon.get_ref();
        let bad = points.iter().position(|[lon, lat]| {
            !(lon.is_finite()
                && lat.is_finite()
                && (-180.0..=180.0).contains(lon)
                && (-90.0..=90.0).contains(lat))
        });
        if let Some(bad) = bad {
            self.error(
                format!(
                    "point {bad} of the polygon is out of range: {:?}",
                    points[bad]
                ),
                polygon.span(),
                format!("{path}.polygon[{bad}]"),
            )
            .hint = Some("each point is [lon, lat] in degrees".to_owned());
            return Vec::new();
        }
        if points.len() < 3 {
            self.error(
                "a polygon needs at least 3 points",
                polygon.span(),
                format!("{path}.polygon"),
            );
            return Vec::new();
        }
        points
            .iter()
            .map(|&[lon, lat]| LonLat { lon, lat })
            .collect()
    }

    fn actors(
        &mut self,
        raw: Vec<Spanned<RawActor>>,
        dropped: &[usize],
        venues: &HashMap<String, u32>,
    ) -> Vec<Actor> {
        let mut seen = HashMap::new();
        let mut actors = Vec::with_capacity(raw.len());
        for (i, actor) in raw.into_iter().enumerate() {
            let path = format!("actors[{}]", index_in_file(i, dropped));
            let actor = actor.into_inner();
            self.unique(&mut seen, &actor.id, &path, "actor");
            let kind = self.named(&actor.kind, &format!("{path}.kind"), "actor kind");
            if let Some(affiliation) = &actor.affiliation {
                self.country_code(affiliation, &format!("{path}.affiliation"));
            }
            let based_at = actor
                .based_at
                .as_ref()
                .and_then(|v| self.reference(v, venues, &format!("{path}.based_at"), "venue"))
                .map(VenueId);
            // Kept with a stand-in kind when it has errors, so references to it are not reported again.
            let kind = kind.unwrap_or(ActorKind::Person);
            actors.push(Actor {
                id: actor.id.into_inner(),
                name: actor.name.into_inner(),
                kind,
                affiliation: actor
                    .affiliation
                    .map(Spanned::into_inner)
                    .unwrap_or_default(),
                role: text_or_empty(actor.role),
                based_at,
            });
        }
        actors
    }

    fn reference(
        &mut self,
        id: &Text,
        ids: &HashMap<String, u32>,
        path: &str,
        what: &str,
    ) -> Option<u32> {
        let found = ids.get(id.get_ref()).copied();
        if found.is_none() {
            let hint = did_you_mean(id.get_ref(), ids.keys().map(String::as_str))
                .unwrap_or_else(|| format!("declare it in the `[[{what}s]]` tables"));
            self.error(
                format!("no {what} has the id `{}`", id.get_ref()),
                id.span(),
                path,
            )
            .hint = Some(hint);
        }
        found
    }

    fn contact(
        &mut self,
        raw: Spanned<RawContact>,
        path: &str,
        refs: &Refs<'_>,
        actors: &[Actor],
        venues: &[Venue],
        meta: &Meta,
    ) -> Option<Contact> {
        let span = raw.span();
        let raw = raw.into_inner();
        let kind = self.named::<ContactKind>(&raw.kind, &format!("{path}.kind"), "contact kind");
        let status = self.named(&raw.status, &format!("{path}.status"), "status");
        let confidence = raw
            .confidence
            .as_ref()
            .and_then(|c| self.named(c, &format!("{path}.confidence"), "confidence level"));

        let mut participants = Vec::with_capacity(raw.participants.len());
        for (j, p) in raw.participants.iter().enumerate() {
            let p_path = format!("{path}.participants[{j}]");
            let p = p.get_ref();
            let actor = self.reference(&p.actor, refs.actors, &format!("{p_path}.actor"), "actor");
            let part = self.named::<Part>(&p.part, &format!("{p_path}.part"), "part");
            if let (Some(actor), Some(part)) = (actor, part) {
                let actor = ActorId(actor);
                if participants.iter().any(|q: &Participant| q.actor == actor) {
                    self.error(
                        format!("actor `{}` takes part twice", p.actor.get_ref()),
                        p.actor.span(),
                        format!("{p_path}.actor"),
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
            self.error(
                format!("a {} needs {missing}", kind.label()),
                raw.kind.span(),
                format!("{path}.participants"),
            )
            .hint = Some(format!(
                "add them to `participants`, e.g. {{ actor = \"...\", part = \"{}\" }}",
                required_part_example(kind)
            ));
        }

        let home = participants
            .iter()
            .find(|p| matches!(p.part, Part::Guest | Part::Initiator))
            .and_then(|p| actors.get(p.actor.0 as usize))
            .and_then(|a| a.based_at);
        let place = kind.and_then(|kind| self.place(&raw, kind, path, refs, span.clone(), home));

        let quotes: Vec<Quote> = raw
            .quotes
            .iter()
            .enumerate()
            .filter_map(|(j, q)| {
                let q = q.get_ref();
                let speaker = self.reference(
                    &q.speaker,
                    refs.actors,
                    &format!("{path}.quotes[{j}].speaker"),
                    "actor",
                )?;
                Some(Quote {
                    speaker: ActorId(speaker),
                    text: q.text.get_ref().clone(),
                })
            })
            .collect();
        let citations: Vec<Citation> = raw
            .sources
            .iter()
            .enumerate()
            .filter_map(|(j, c)| {
                let c = c.get_ref();
                let source = self.reference(
                    &c.source,
                    refs.sources,
                    &format!("{path}.sources[{j}].source"),
                    "source",
                )?;
                Some(Citation {
                    source: SourceId(source),
                    says: c
                        .says
                        .as_ref()
                        .map(|s| s.get_ref().clone())
                        .unwrap_or_default(),
                    attribution: c
                        .attribution
                        .as_ref()
                        .map(|s| s.get_ref().clone())
                        .unwrap_or_default(),
                })
            })
            .collect();
        if raw.sources.is_empty() {
            self.warning(
                format!("contact `{}` cites no source", raw.id.get_ref()),
                raw.id.span(),
                format!("{path}.sources"),
            );
        }

        let default_zone = default_zone(place, &participants, actors, venues, meta);
        let time = self.time(&raw.time, &format!("{path}.time"), default_zone);

        Some(Contact {
            id: raw.id.into_inner(),
            kind: kind?,
            status: status?,
            title: raw.title.into_inner(),
            summary: text_or_empty(raw.summary),
            participants: all_participants_read.then_some(participants)?,
            place: place?,
            time: time?,
            quotes: (quotes.len() == raw.quotes.len()).then_some(quotes)?,
            sources: (citations.len() == raw.sources.len()).then_some(citations)?,
            confidence,
            notes: text_or_empty(raw.notes),
        })
    }

    /// `home` is the traveller's usual venue, the origin of a visit whose source does not say where it began.
    fn place(
        &mut self,
        raw: &RawContact,
        kind: ContactKind,
        path: &str,
        refs: &Refs<'_>,
        span: Range<usize>,
        home: Option<VenueId>,
    ) -> Option<Place> {
        let venue = |this: &mut Self, v: &Option<Text>, key: &str| -> Option<Option<VenueId>> {
            match v {
                None => Some(None),
                Some(v) => this
                    .reference(v, refs.venues, &format!("{path}.{key}"), "venue")
                    .map(|i| Some(VenueId(i))),
            }
        };
        let at = venue(self, &raw.venue, "venue");
        let from = venue(self, &raw.from, "from");
        let to = venue(self, &raw.to, "to");
        let (at, from, to) = (at?, from?, to?);
        let label = kind.label();
        let fail = |this: &mut Self, message: String, hint: &str| {
            this.error(message, span.clone(), path).hint = Some(hint.to_owned());
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
                self,
                format!("this {label} starts and ends at the same venue"),
                hint,
            );
        }
        match (kind.venue_rule(), at, from, to) {
            (VenueRule::Route | VenueRule::OneOrRoute, None, Some(from), Some(to)) => {
                Some(Place::Route {
                    from,
                    to,
                    from_reported: true,
                })
            }
            (VenueRule::Route, None, None, Some(to)) if home.is_some() => Some(Place::Route {
                from: home.unwrap_or(to),
                to,
                from_reported: false,
            }),
            (VenueRule::One | VenueRule::OneOrRoute | VenueRule::Optional, Some(v), None, None) => {
                Some(Place::At(v))
            }
            (VenueRule::Optional | VenueRule::None, None, None, None) => Some(Place::None),
            (VenueRule::Route, ..) => fail(
                self,
                format!(
                    "a {label} needs a destination `to`, an origin `from` (or a guest with a `based_at`), and no `venue`"
                ),
                "write `from = \"origin-venue\"` and `to = \"destination-venue\"`",
            ),
            (VenueRule::One, ..) => fail(
                self,
                format!("a {label} needs one `venue`, and no `from`/`to`"),
                "write `venue = \"venue-id\"`; use an `unspecified` or `country` venue when the city is not reported",
            ),
            (VenueRule::OneOrRoute, ..) => fail(
                self,
                format!("a {label} needs a `venue`, or both `from` and `to`"),
                "a build-up happens at an area `venue`; a movement goes `from` one venue `to` another",
            ),
            (VenueRule::Optional, ..) => fail(
                self,
                format!("a {label} takes at most one `venue`, and no `from`/`to`"),
                "remove `from` and `to`",
            ),
            (VenueRule::None, ..) => fail(
                self,
                format!("a {label} has no venue: it joins the parties where they are"),
                "remove `venue`, `from` and `to`",
            ),
        }
    }

    fn time(
        &mut self,
        raw: &Spanned<RawTime>,
        path: &str,
        default_zone: (String, TimeZone),
    ) -> Option<KnownTime> {
        let span = raw.span();
        let t = raw.get_ref();
        let (zone_name, zone) = match &t.tz {
            Some(tz) => self.zone(tz, &format!("{path}.tz"))?,
            None => default_zone,
        };
        let moment = |this: &mut Self, v: &TimeText, key: &str| -> Option<Moment> {
            let text = time_text(v);
            match text.as_deref().map(|s| parse_moment(s, &zone)) {
                Some(Ok(m)) => Some(m),
                Some(Err(message)) => {
                    this.error(message, v.span(), format!("{path}.{key}"));
                    None
                }
                None => {
                    this.error(
                        format!("`{key}` must be a date or a date and time"),
                        v.span(),
                        format!("{path}.{key}"),
                    );
                    None
                }
            }
        };
        let day = |this: &mut Self, v: &TimeText, key: &str| -> Option<Date> {
            this.date(v, &format!("{path}.{key}"))
        };
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
        let when = match shape {
            (Some(at), None, None, None, None, None, None, None, None) => {
                match moment(self, at, "at")? {
                    Moment::At(ts) => When::At(ts),
                    Moment::Day(d) => When::Day(d),
                }
            }
            (None, Some(on), part, None, None, None, None, None, None) => {
                let date = day(self, on, "on");
                let part = match part {
                    Some(p) => Some(self.named::<DayPart>(
                        p,
                        &format!("{path}.part"),
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
                let from = moment(self, from, "from");
                let to = moment(self, to, "to");
                When::Between {
                    from: from?,
                    to: to?,
                }
            }
            (None, None, None, None, None, Some(earliest), Some(latest), None, None) => {
                let earliest = moment(self, earliest, "earliest");
                let latest = moment(self, latest, "latest");
                When::Window {
                    earliest: earliest?,
                    latest: latest?,
                }
            }
            (None, None, None, None, None, None, None, since, Some(as_of)) => {
                let since = match since {
                    Some(s) => Some(moment(self, s, "since")?),
                    None => None,
                };
                When::Ongoing {
                    since,
                    as_of: day(self, as_of, "as_of")?,
                }
            }
            _ => {
                self.error("this time mixes or lacks the keys of its shape", span, path).hint = Some(
                    "give one of: `at`; `on` (with an optional `part`); `from` and `to`; `earliest` and `latest`; \
                     `as_of` (with an optional `since`) - each with an optional `tz`"
                        .to_owned(),
                );
                return None;
            }
        };
        match KnownTime::new(when, &zone_name, zone) {
            Ok(known) => Some(known),
            Err(err) => {
                self.error(err.to_string(), span, path);
                None
            }
        }
    }
}

struct Refs<'a> {
    actors: &'a HashMap<String, u32>,
    venues: &'a HashMap<String, u32>,
    sources: &'a HashMap<String, u32>,
}

fn index_of<T>(items: &[T], id: impl Fn(&T) -> &String) -> HashMap<String, u32> {
    let mut map = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        map.entry(id(item).clone()).or_insert(i as u32);
    }
    map
}

fn text_or_empty(text: Option<Text>) -> String {
    text.map(Spanned::into_inner).unwrap_or_default()
}

/// A TOML date or date-time, or a string, as text; `None` for other types.
fn time_text(value: &TimeText) -> Option<String> {
    match value.get_ref() {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
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
fn default_zone(
    place: Option<Place>,
    participants: &[Participant],
    actors: &[Actor],
    venues: &[Venue],
    meta: &Meta,
) -> (String, TimeZone) {
    let venue = match place {
        Some(Place::At(v)) | Some(Place::Route { to: v, .. }) => Some(v),
        _ => participants
            .first()
            .and_then(|p| actors.get(p.actor.0 as usize))
            .and_then(|a| a.based_at),
    };
    venue.and_then(|v| venues.get(v.0 as usize)).map_or_else(
        || (meta.time_zone_name.clone(), meta.time_zone.clone()),
        |v| (v.time_zone_name.clone(), v.time_zone.clone()),
    )
}
