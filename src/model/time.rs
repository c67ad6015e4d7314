//! Time as it is really known: an instant, a day, a part of a day, a range, a window, or "ongoing".
//!
//! Sources rarely give an hour. A [`KnownTime`] keeps what was said (`When`, in the zone it was said in)
//! and the UTC interval it covers, so the timeline can span a whole day for "on Saturday" instead of
//! pretending to an exact hour.

use std::fmt;
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

use super::kinds::{DayPart, Named as _};

/// A date or a moment, as given in a file for the bounds of a range or window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// A whole day in the time's zone: as a start it means the day's first instant, as an end its last.
    Day(Date),
    At(Timestamp),
}

impl fmt::Display for Moment {
    /// `2026-01-31` or `2026-01-31T18:00:00Z`, as a file writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Day(d) => write!(f, "{d}"),
            Self::At(t) => write!(f, "{t}"),
        }
    }
}

/// What the source says about when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// An exact moment.
    At(Timestamp),
    /// Some time on that day ("on Saturday").
    Day(Date),
    /// A named part of a day ("Saturday night").
    PartOfDay(Date, DayPart),
    /// All of a range ("Friday and Saturday"); day bounds are inclusive.
    Between { from: Moment, to: Moment },
    /// Some time within a window, not yet known ("later this week").
    Window { earliest: Moment, latest: Moment },
    /// Going on when reported (`as_of`), since a known day or since an unknown date.
    Ongoing { since: Option<Moment>, as_of: Date },
}

/// How precisely a time is known, from the sharpest to the vaguest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Instant,
    PartOfDay,
    Day,
    Range,
    Window,
    Ongoing,
}

impl Precision {
    pub fn label(self) -> &'static str {
        match self {
            Self::Instant => "exact time",
            Self::PartOfDay => "part of a day",
            Self::Day => "day",
            Self::Range => "range",
            Self::Window => "window (not yet known when)",
            Self::Ongoing => "ongoing",
        }
    }
}

/// Why a time cannot be resolved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("the end ({end}) is before the start ({start})")]
    EndBeforeStart { start: String, end: String },
    #[error("{0} cannot be placed in the time zone: {1}")]
    NotInZone(String, String),
}

/// A time as known, with the UTC interval it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownTime {
    pub when: When,
    /// The IANA name of the zone the time was given in (`Asia/Tehran`, `UTC`), shared by the times given in
    /// the same zone.
    pub zone_name: Arc<str>,
    pub zone: TimeZone,
    /// First instant covered; `None` when it started at an unknown date.
    pub start: Option<Timestamp>,
    /// End of the interval (exclusive); `None` while it is ongoing.
    pub end: Option<Timestamp>,
}

impl KnownTime {
    /// Resolves `when`, said in `zone`, to a UTC interval.
    pub fn new(
        when: When,
        zone_name: impl Into<Arc<str>>,
        zone: TimeZone,
    ) -> Result<Self, TimeError> {
        let (start, end) = interval(when, &zone)?;
        check_length(when, start, end)?;
        Ok(Self {
            when,
            zone_name: zone_name.into(),
            zone,
            start,
            end,
        })
    }

    pub fn precision(&self) -> Precision {
        match self.when {
            When::At(_) => Precision::Instant,
            When::Day(_) => Precision::Day,
            When::PartOfDay(..) => Precision::PartOfDay,
            When::Between { .. } => Precision::Range,
            When::Window { .. } => Precision::Window,
            When::Ongoing { .. } => Precision::Ongoing,
        }
    }

    /// The instant a contact is sorted by and stepped to: its start, or for something ongoing since an
    /// unknown date, the start of the day it was reported.
    pub fn anchor(&self) -> Timestamp {
        match (self.start, self.when) {
            (Some(start), _) => start,
            (None, When::Ongoing { as_of, .. }) => as_of
                .to_zoned_datetime(self.zone.clone())
                .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp()),
            (None, _) => Timestamp::UNIX_EPOCH,
        }
    }

    /// The moment a contact is shown at when it is selected: an exact moment itself; a day, part of a day
    /// or range at the middle of what is known, where it is surely going on and the day's other contacts
    /// have moved (the start of a day, 00:00, is before anything of that day happened); a window (not yet
    /// known when) at the earliest it can be, and something ongoing at its [`KnownTime::anchor`].
    pub fn shown_at(&self) -> Timestamp {
        match (self.precision(), self.start, self.end) {
            (Precision::Instant | Precision::Window | Precision::Ongoing, _, _) => self.anchor(),
            (_, Some(start), Some(end)) if end > start => {
                let half = start.duration_until(end) / 2;
                start.checked_add(half).unwrap_or(start)
            }
            _ => self.anchor(),
        }
    }

    /// Whether the time covers `t`. Open ends reach forever; an instant covers itself only.
    pub fn covers(&self, t: Timestamp) -> bool {
        let after_start = self.start.is_none_or(|s| s <= t);
        let before_end = match (self.start, self.end) {
            (Some(s), Some(e)) if s == e => t == s,
            (_, Some(e)) => t < e,
            (_, None) => true,
        };
        after_start && before_end
    }

    /// Whether the time is current at `t`: it covers `t`, or it is an exact moment less than `linger` ago
    /// (an instant would otherwise be current for no time at all).
    pub fn is_current(&self, t: Timestamp, linger: jiff::SignedDuration) -> bool {
        match (self.start, self.end) {
            (Some(s), Some(e)) if s == e => {
                s <= t && s.checked_add(linger).is_ok_and(|until| t < until)
            }
            _ => self.covers(t),
        }
    }

    /// The instants that bound the time, for the extent of a timeline (ongoing: the day it was reported).
    pub fn extent(&self) -> (Timestamp, Timestamp) {
        let start = self.anchor();
        let end = match (self.end, self.when) {
            (Some(e), _) => e,
            (None, When::Ongoing { as_of, .. }) => as_of
                .tomorrow()
                .ok()
                .and_then(|d| d.to_zoned_datetime(self.zone.clone()).ok())
                .map_or(start, |z| z.timestamp()),
            (None, _) => start,
        };
        (start, end.max(start))
    }
}

/// The first instant of `date` in `zone`.
fn day_start(date: Date, zone: &TimeZone) -> Result<Timestamp, TimeError> {
    date.to_zoned_datetime(zone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| TimeError::NotInZone(date.to_string(), e.to_string()))
}

/// The end (exclusive) of `date` in `zone`: the first instant of the next day.
fn day_end(date: Date, zone: &TimeZone) -> Result<Timestamp, TimeError> {
    let next = date
        .tomorrow()
        .map_err(|e| TimeError::NotInZone(date.to_string(), e.to_string()))?;
    day_start(next, zone)
}

/// A bound as a start: a day starts at its first instant.
fn start_of(m: Moment, zone: &TimeZone) -> Result<Timestamp, TimeError> {
    match m {
        Moment::Day(d) => day_start(d, zone),
        Moment::At(t) => Ok(t),
    }
}

/// A bound as an end: a day counts in full.
fn end_of(m: Moment, zone: &TimeZone) -> Result<Timestamp, TimeError> {
    match m {
        Moment::Day(d) => day_end(d, zone),
        Moment::At(t) => Ok(t),
    }
}

/// The hours of a part of a day, in `zone` (hour 24 is the end of the day).
fn part_of_day(
    d: Date,
    part: DayPart,
    zone: &TimeZone,
) -> Result<(Timestamp, Timestamp), TimeError> {
    let (from_h, to_h) = part.hours();
    let at_hour = |h: i8| -> Result<Timestamp, TimeError> {
        if h >= 24 {
            return day_end(d, zone);
        }
        d.at(h, 0, 0, 0)
            .to_zoned_datetime(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| TimeError::NotInZone(format!("{d} {h}:00"), e.to_string()))
    };
    Ok((at_hour(from_h)?, at_hour(to_h)?))
}

/// The UTC interval `when` covers in `zone`; an ongoing time has no end, and no start when its start is
/// unknown.
fn interval(
    when: When,
    zone: &TimeZone,
) -> Result<(Option<Timestamp>, Option<Timestamp>), TimeError> {
    Ok(match when {
        When::At(t) => (Some(t), Some(t)),
        When::Day(d) => (Some(day_start(d, zone)?), Some(day_end(d, zone)?)),
        When::PartOfDay(d, part) => {
            let (from, to) = part_of_day(d, part, zone)?;
            (Some(from), Some(to))
        }
        When::Between { from, to } => (Some(start_of(from, zone)?), Some(end_of(to, zone)?)),
        When::Window { earliest, latest } => {
            (Some(start_of(earliest, zone)?), Some(end_of(latest, zone)?))
        }
        When::Ongoing { since, as_of } => {
            let since = since.map(|m| start_of(m, zone)).transpose()?;
            if let Some(since) = since {
                let reported = day_end(as_of, zone)?;
                if reported < since {
                    return Err(TimeError::EndBeforeStart {
                        start: since.to_string(),
                        end: as_of.to_string(),
                    });
                }
            }
            (since, None)
        }
    })
}

/// Only an exact moment may have no length: a range ending where it starts has its end before its start
/// once its last day is counted in full (from 31 Jan to 30 Jan). The error names the bounds as written.
fn check_length(
    when: When,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
) -> Result<(), TimeError> {
    let instant = matches!(when, When::At(_));
    let (Some(s), Some(e)) = (start, end) else {
        return Ok(());
    };
    if e > s || (e == s && instant) {
        return Ok(());
    }
    let written = |m: Moment| match m {
        Moment::Day(d) => d.to_string(),
        Moment::At(t) => t.to_string(),
    };
    let (start, end) = match when {
        When::Between { from, to } => (written(from), written(to)),
        When::Window { earliest, latest } => (written(earliest), written(latest)),
        _ => (s.to_string(), e.to_string()),
    };
    Err(TimeError::EndBeforeStart { start, end })
}

impl fmt::Display for KnownTime {
    /// The time as the source put it, in its own zone: "Sat 31 Jan 2026, night (America/New_York)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = |d: Date| d.strftime("%a %-d %b %Y").to_string();
        let moment = |m: Moment| match m {
            Moment::Day(d) => day(d),
            Moment::At(t) => format_in_zone(t, &self.zone),
        };
        match self.when {
            When::At(t) => write!(f, "{}", format_in_zone(t, &self.zone))?,
            When::Day(d) => write!(f, "{}", day(d))?,
            When::PartOfDay(d, part) => write!(f, "{}, {}", day(d), part.name())?,
            When::Between { from, to } => write!(f, "{} to {}", moment(from), moment(to))?,
            When::Window { earliest, latest } => {
                write!(
                    f,
                    "some time between {} and {}",
                    moment(earliest),
                    moment(latest)
                )?;
            }
            When::Ongoing {
                since: Some(s),
                as_of,
            } => {
                write!(f, "ongoing since {}, as of {}", moment(s), day(as_of))?;
            }
            When::Ongoing { since: None, as_of } => write!(f, "ongoing as of {}", day(as_of))?,
        }
        write!(f, " ({})", self.zone_name)
    }
}

/// `Sat 31 Jan 2026 21:30 +0330` in the given zone.
pub fn format_in_zone(t: Timestamp, zone: &TimeZone) -> String {
    t.to_zoned_datetime(zone.clone())
        .strftime("%a %-d %b %Y %H:%M %z")
        .to_string()
}

/// The IANA database compiled into the binary. `jiff::tz::db()` would read the system's zoneinfo first (or
/// `TZDIR`), so a machine with an old, partial or missing database would read scenarios differently; this
/// one is the same everywhere.
static BUNDLED: std::sync::LazyLock<jiff::tz::TimeZoneDatabase> =
    std::sync::LazyLock::new(jiff::tz::TimeZoneDatabase::bundled);

/// Looks up an IANA time zone in the bundled database, never the system's (so it works, and gives the same
/// answer, on machines without one). Every zone lookup of the program goes through here.
pub fn zone_by_name(name: &str) -> Option<TimeZone> {
    if name.eq_ignore_ascii_case("utc") {
        return Some(TimeZone::UTC);
    }
    BUNDLED.get(name).ok()
}

/// Every zone name the bundled database knows, for "did you mean" and pickers.
pub fn zone_names() -> Vec<String> {
    BUNDLED.available().map(|n| n.to_string()).collect()
}

/// Parses a bound as written in a file: an RFC 3339 moment (`2026-01-31T18:00:00Z`), a local date-time read
/// in `zone` (`2026-01-31T18:00`), or a date (`2026-01-31`).
pub fn parse_moment(text: &str, zone: &TimeZone) -> Result<Moment, String> {
    let text = text.trim();
    if !text.contains(['T', 't', ' ']) {
        return text.parse::<Date>().map(Moment::Day).map_err(|_| {
            format!("`{text}` is not a date (2026-01-31) or a date and time (2026-01-31T18:00:00Z)")
        });
    }
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(Moment::At(t));
    }
    if let Ok(dt) = text.parse::<DateTime>() {
        return dt
            .to_zoned_datetime(zone.clone())
            .map(|z: ZonedDateTime| Moment::At(z.timestamp()))
            .map_err(|e| e.to_string());
    }
    Err(format!(
        "`{text}` is not a date (2026-01-31) or a date and time (2026-01-31T18:00:00Z)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tehran() -> TimeZone {
        zone_by_name("Asia/Tehran").expect("bundled zone")
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn a_day_in_tehran_starts_at_half_past_eight_the_evening_before_in_utc() {
        let t =
            KnownTime::new(When::Day(date("2026-01-31")), "Asia/Tehran", tehran()).expect("valid");
        assert_eq!(t.start, Some(ts("2026-01-30T20:30:00Z")));
        assert_eq!(t.end, Some(ts("2026-01-31T20:30:00Z")));
        assert_eq!(t.precision(), Precision::Day);
        assert!(t.covers(ts("2026-01-31T12:00:00Z")));
        assert!(!t.covers(ts("2026-01-31T20:30:00Z")));
    }

    #[test]
    fn a_contact_known_to_the_day_is_shown_at_local_noon_and_an_exact_one_at_its_moment() {
        let day =
            KnownTime::new(When::Day(date("2026-01-31")), "Asia/Tehran", tehran()).expect("valid");
        // Noon in Tehran (UTC+03:30), not 00:00 before anything of that day happened.
        assert_eq!(day.shown_at(), ts("2026-01-31T08:30:00Z"));
        let exact: Timestamp = ts("2026-01-31T09:15:00Z");
        let at = KnownTime::new(When::At(exact), "UTC", TimeZone::UTC).expect("valid");
        assert_eq!(at.shown_at(), exact);
    }

    #[test]
    fn saturday_night_in_new_york_is_the_evening_in_local_time() {
        let zone = zone_by_name("America/New_York").expect("zone");
        let t = KnownTime::new(
            When::PartOfDay(date("2026-01-31"), DayPart::Night),
            "America/New_York",
            zone,
        )
        .expect("valid");
        assert_eq!(t.start, Some(ts("2026-01-31T23:00:00Z")));
        assert_eq!(t.end, Some(ts("2026-02-01T05:00:00Z")));
    }

    #[test]
    fn a_range_of_days_includes_its_last_day() {
        let when = When::Between {
            from: Moment::Day(date("2026-01-30")),
            to: Moment::Day(date("2026-01-31")),
        };
        let t = KnownTime::new(when, "UTC", TimeZone::UTC).expect("valid");
        assert_eq!(t.end, Some(ts("2026-02-01T00:00:00Z")));
    }

    #[test]
    fn an_end_before_the_start_is_an_error() {
        let when = When::Between {
            from: Moment::Day(date("2026-02-01")),
            to: Moment::Day(date("2026-01-30")),
        };
        assert!(matches!(
            KnownTime::new(when, "UTC", TimeZone::UTC),
            Err(TimeError::EndBeforeStart { .. })
        ));
    }

    #[test]
    fn ongoing_since_unknown_is_open_at_both_ends_but_sorts_on_its_report_day() {
        let when = When::Ongoing {
            since: None,
            as_of: date("2026-02-01"),
        };
        let t = KnownTime::new(when, "UTC", TimeZone::UTC).expect("valid");
        assert_eq!((t.start, t.end), (None, None));
        assert!(t.covers(ts("2020-01-01T00:00:00Z")));
        assert_eq!(t.anchor(), ts("2026-02-01T00:00:00Z"));
        assert_eq!(t.extent().1, ts("2026-02-02T00:00:00Z"));
    }

    #[test]
    fn an_instant_stays_current_for_its_linger_only() {
        let at = ts("2026-01-31T21:30:00Z");
        let t = KnownTime::new(When::At(at), "UTC", TimeZone::UTC).expect("valid");
        let linger = jiff::SignedDuration::from_mins(30);
        assert!(!t.is_current(ts("2026-01-31T21:29:59Z"), linger));
        assert!(t.is_current(at, linger));
        assert!(t.is_current(ts("2026-01-31T21:59:59Z"), linger));
        assert!(!t.is_current(ts("2026-01-31T22:00:00Z"), linger));
    }

    #[test]
    fn moments_parse_with_offsets_local_times_and_dates() {
        let zone = tehran();
        assert_eq!(
            parse_moment("2026-01-31T21:30:00+03:30", &zone),
            Ok(Moment::At(ts("2026-01-31T18:00:00Z")))
        );
        assert_eq!(
            parse_moment("2026-01-31T21:30", &zone),
            Ok(Moment::At(ts("2026-01-31T18:00:00Z")))
        );
        assert_eq!(
            parse_moment("2026-01-31", &zone),
            Ok(Moment::Day(date("2026-01-31")))
        );
        assert!(parse_moment("Saturday", &zone).is_err());
    }

    /// Zone lookups never read the machine's database: run in a child process of this test binary with
    /// `TZDIR` at a database holding one zone only (setting it here would need `unsafe` and touch the other
    /// tests' lookups). jiff's system database would find no Asia/Tehran there.
    #[test]
    fn zone_lookups_ignore_tzdir() {
        const CHILD: &str = "DEMARCHE_TZDIR_CHILD";
        if std::env::var_os(CHILD).is_some() {
            assert!(zone_by_name("Asia/Tehran").is_some(), "Asia/Tehran");
            assert!(zone_by_name("America/New_York").is_some());
            assert!(zone_names().len() > 300, "{} zones", zone_names().len());
            return;
        }
        let partial = tempfile::tempdir().expect("temporary folder");
        // A file starting with the TZif magic is listed as a zone: enough to make the database not empty.
        std::fs::write(
            partial.path().join("Only"),
            [&b"TZif2"[..], &[0; 39]].concat(),
        )
        .expect("write");
        let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "model::time::tests::zone_lookups_ignore_tzdir"])
            .args(["--test-threads", "1", "--nocapture"])
            .env(CHILD, "1")
            .env("TZDIR", partial.path())
            .output()
            .expect("the test binary runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn unknown_zones_are_not_found() {
        assert!(zone_by_name("Asia/Tehran").is_some());
        assert!(zone_by_name("Asia/Teheran").is_none());
        assert!(zone_by_name("UTC").is_some());
    }
}
