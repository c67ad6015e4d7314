//! What the checks share: the list of problems (each with its [`FieldPath`], which costs nothing until a
//! problem is reported), the time zones looked up once, and the checks of single values (names,
//! references, zones, dates).

use foldhash::HashMap;
use std::sync::{Arc, OnceLock};

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::super::raw::{Pos, Text, TimeText};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::io::json::{FieldPath, Problem};
use crate::io::kept::{Kept, echo};
use crate::model::Named;
use crate::model::time::{Moment, parse_moment, zone_by_name, zone_names};

/// Collects problems: the first ones in the file are kept, the others counted ([`Kept`]). The last one
/// reported waits apart until the next comes, so that its hint can still be set.
#[derive(Debug, Default)]
pub struct Sink {
    kept: Kept<Problem>,
    last: Option<(Problem, usize)>,
    /// The order given to the problems reported now: the index of the contact they are about.
    order: usize,
}

impl Sink {
    /// Reports an error at `pos`, or, without a span, at the value of `path`.
    pub fn error<P: Pos>(
        &mut self,
        message: impl Into<String>,
        pos: &P,
        path: FieldPath<'_>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(message), pos, path, path)
    }

    /// Reports an error about `path` placed at `pos`, or, without a span, at the value of `anchor`.
    pub fn error_anchored<P: Pos>(
        &mut self,
        message: impl Into<String>,
        pos: &P,
        anchor: FieldPath<'_>,
        path: FieldPath<'_>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(message), pos, anchor, path)
    }

    /// Reports a warning about `path` placed at `pos`, or, without a span, at the value of `anchor`.
    pub fn warning_anchored<P: Pos>(
        &mut self,
        message: impl Into<String>,
        pos: &P,
        anchor: FieldPath<'_>,
        path: FieldPath<'_>,
    ) {
        self.push(Diagnostic::warning(message), pos, anchor, path);
    }

    /// Reports a problem of the whole file, at its start.
    pub fn at_start(&mut self, diagnostic: Diagnostic) {
        self.add(Problem {
            diagnostic: diagnostic.at(0..0),
            anchor: None,
        });
    }

    /// A sink whose problems are ordered as those of the contact at `order` (for a reader that gives no
    /// places, JSON).
    pub fn ordered(order: usize) -> Self {
        Self {
            order,
            ..Self::default()
        }
    }

    /// Adds a problem found elsewhere.
    pub fn add(&mut self, problem: Problem) {
        self.flush();
        self.kept.push_ordered(problem, self.order);
    }

    /// Takes in the problems of another sink.
    pub fn append(&mut self, other: Sink) {
        self.flush();
        self.kept.append(other.into_kept());
    }

    fn flush(&mut self) {
        if let Some((problem, order)) = self.last.take() {
            self.kept.push_ordered(problem, order);
        }
    }

    /// Every problem reported: the first ones, and the count of the others.
    pub fn into_kept(mut self) -> Kept<Problem> {
        self.flush();
        self.kept
    }

    /// Whether any problem was reported.
    pub fn is_empty(&self) -> bool {
        self.last.is_none() && self.kept.is_empty()
    }

    fn push<P: Pos>(
        &mut self,
        diagnostic: Diagnostic,
        pos: &P,
        anchor: FieldPath<'_>,
        path: FieldPath<'_>,
    ) -> &mut Diagnostic {
        let diagnostic = diagnostic.path(path.to_string());
        let problem = match pos.span() {
            Some(span) => Problem {
                diagnostic: diagnostic.at(span),
                anchor: None,
            },
            None => Problem {
                diagnostic,
                anchor: Some(anchor.segs()),
            },
        };
        self.flush();
        &mut self.last.insert((problem, self.order)).0.diagnostic
    }

    pub fn has_errors(&self) -> bool {
        self.kept.has_errors()
            || self
                .last
                .as_ref()
                .is_some_and(|(p, _)| p.diagnostic.is_error())
    }

    /// A vocabulary name (`meeting`, `held`), with "did you mean" when it is unknown.
    pub fn named<T: Named, P: Pos>(
        &mut self,
        text: &Text<'_, P>,
        path: FieldPath<'_>,
        what: &str,
    ) -> Option<T> {
        let found = T::from_name(&text.value);
        if found.is_none() {
            let hint = did_you_mean(&text.value, T::names()).unwrap_or_else(|| {
                format!(
                    "the {what}s are {}",
                    T::names()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            self.error(
                format!("unknown {what} `{}`", echo(&text.value)),
                &text.pos,
                path,
            )
            .hint = Some(hint);
        }
        found
    }

    /// A reference to an actor, a venue or a source by id.
    pub fn reference<P: Pos>(
        &mut self,
        id: &Text<'_, P>,
        ids: &HashMap<&str, u32>,
        path: FieldPath<'_>,
        what: &str,
    ) -> Option<u32> {
        let found = ids.get(&*id.value).copied();
        if found.is_none() {
            let hint = did_you_mean(&id.value, ids.keys().copied())
                .unwrap_or_else(|| format!("declare it in the `[[{what}s]]` tables"));
            self.error(
                format!("no {what} has the id `{}`", echo(&id.value)),
                &id.pos,
                path,
            )
            .hint = Some(hint);
        }
        found
    }

    /// A time zone by its IANA name.
    pub fn zone<P: Pos>(
        &mut self,
        zones: &Zones,
        name: &Text<'_, P>,
        path: FieldPath<'_>,
    ) -> Option<NamedZone> {
        if let Some(zone) = zones.get(&name.value) {
            return Some(zone);
        }
        let names = zones.names.get_or_init(zone_names);
        let hint =
            did_you_mean(&name.value, names.iter().map(String::as_str)).unwrap_or_else(|| {
                "use an IANA time zone name such as `Europe/Istanbul` or `UTC`".to_owned()
            });
        self.error(
            format!("unknown time zone `{}`", echo(&name.value)),
            &name.pos,
            path,
        )
        .hint = Some(hint);
        None
    }

    /// A date (`2026-01-31`), written as a TOML date or a string.
    pub fn date<P: Pos>(&mut self, value: &TimeText<'_, P>, path: FieldPath<'_>) -> Option<Date> {
        let text = value.value.text();
        match text.map(str::parse::<Date>) {
            Some(Ok(date)) => Some(date),
            _ => {
                self.error(
                    format!("`{}` is not a date", echo(value.value.written())),
                    &value.pos,
                    path,
                )
                .hint = Some("write a date as 2026-01-31".to_owned());
                None
            }
        }
    }

    /// A date (`2026-01-31`) or a moment (`2026-01-31T18:00:00Z`; without an offset, read in `zone`).
    pub fn moment<P: Pos>(
        &mut self,
        value: &TimeText<'_, P>,
        path: FieldPath<'_>,
        zone: &TimeZone,
    ) -> Option<Moment> {
        match value.value.text().map(|text| parse_moment(text, zone)) {
            Some(Ok(m)) => Some(m),
            _ => {
                self.error(
                    format!(
                        "`{}` is not a date or a date and time",
                        echo(value.value.written())
                    ),
                    &value.pos,
                    path,
                )
                .hint = Some(
                    "write a date as 2026-01-31, or a moment as 2026-01-31T18:00:00Z".to_owned(),
                );
                None
            }
        }
    }

    /// An ISO 3166-1 alpha-2 country code.
    pub fn country_code<P: Pos>(&mut self, code: &Text<'_, P>, path: FieldPath<'_>) {
        let c = &*code.value;
        if !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())) {
            self.error(
                format!("`{}` is not an ISO 3166-1 alpha-2 country code", echo(c)),
                &code.pos,
                path,
            )
            .hint = Some("use two capital letters, e.g. `TR`, `IR`, `US`, `QA`, `EG`".to_owned());
        }
    }
}

/// A time zone and its name as written, shared by every time read in it.
pub type NamedZone = (Arc<str>, TimeZone);

/// The time zones met so far, so each is looked up and named once, not once per contact.
#[derive(Debug, Default)]
pub struct Zones {
    known: HashMap<String, NamedZone>,
    /// Every zone name, loaded the first time a zone is not found (for "did you mean").
    names: OnceLock<Vec<String>>,
}

impl Zones {
    /// Looks a zone up, remembering it.
    pub fn learn(&mut self, name: &str) -> Option<NamedZone> {
        if let Some(zone) = self.known.get(name) {
            return Some(zone.clone());
        }
        let zone: NamedZone = (Arc::from(name), zone_by_name(name)?);
        self.known.insert(name.to_owned(), zone.clone());
        Some(zone)
    }

    /// Looks a zone up without remembering it (from several threads).
    pub fn get(&self, name: &str) -> Option<NamedZone> {
        match self.known.get(name) {
            Some(zone) => Some(zone.clone()),
            None => zone_by_name(name).map(|zone| (Arc::from(name), zone)),
        }
    }
}
