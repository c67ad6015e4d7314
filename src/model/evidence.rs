//! Evidence: how good a source is (its Admiralty grade), what each account of a contact asserts, which
//! account the contact is shown by, and times given relative to another contact.
//!
//! # The rule for what a contact shows
//!
//! A contact with accounts shows the status, time and place of its **leading account**:
//! 1. the account whose best source has the best grade: reliability first (A best, then B to E; F, "cannot
//!    be judged", after E), then credibility (1 best, then 2 to 5; 6, "cannot be judged", after 5); an
//!    account with no graded source comes after every graded one;
//! 2. on a tie, the contact's own account (the `status`, `time` and place written on the contact itself);
//! 3. then the account reported first (its earliest source's publication; undated last);
//! 4. then file order.
//!
//! The contact is **disputed** when two of its accounts disagree: on what happened (one says it happened or
//! is going on, another that it is planned, another that it was denied, cancelled or postponed), on when
//! (their times do not overlap) or on where (different venues). [`lead`] is that rule as a pure function.

use std::fmt;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::time::{KnownTime, Moment, When};
use super::{Citation, ContactId, Place, Source, Status};

/// A source's grade in the Admiralty (NATO) system: the reliability of the source, A (completely reliable)
/// to F (cannot be judged), and the credibility of this information, 1 (confirmed by other sources) to 6
/// (cannot be judged). Written `B2`.
///
/// ```
/// use demarche::model::evidence::Grade;
/// let g: Grade = "B2".parse().expect("a grade");
/// assert!(g.at_least("C3".parse().expect("a grade")));
/// assert_eq!(g.to_string(), "B2");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Grade {
    /// `b'A'` to `b'F'`.
    reliability: u8,
    /// 1 to 6.
    credibility: u8,
}

/// What the letters of a grade mean.
pub const RELIABILITY: [(char, &str); 6] = [
    ('A', "completely reliable"),
    ('B', "usually reliable"),
    ('C', "fairly reliable"),
    ('D', "not usually reliable"),
    ('E', "unreliable"),
    ('F', "reliability cannot be judged"),
];

/// What the digits of a grade mean.
pub const CREDIBILITY: [(char, &str); 6] = [
    ('1', "confirmed by other sources"),
    ('2', "probably true"),
    ('3', "possibly true"),
    ('4', "doubtful"),
    ('5', "improbable"),
    ('6', "truth cannot be judged"),
];

impl Grade {
    pub fn new(reliability: char, credibility: u8) -> Option<Self> {
        ('A'..='F')
            .contains(&reliability)
            .then_some(())
            .filter(|()| (1..=6).contains(&credibility))
            .map(|()| Self {
                reliability: reliability as u8,
                credibility,
            })
    }

    pub fn reliability(self) -> char {
        char::from(self.reliability)
    }

    pub fn credibility(self) -> u8 {
        self.credibility
    }

    /// Lower is better: F and 6 ("cannot be judged") rank after E and 5, as the letters and digits run.
    fn rank(self) -> (u8, u8) {
        (self.reliability, self.credibility)
    }

    /// Whether this grade is as good as `floor` or better on both scales ("B2 or better": A1, A2, B1, B2).
    pub fn at_least(self, floor: Grade) -> bool {
        self.reliability <= floor.reliability && self.credibility <= floor.credibility
    }

    /// "usually reliable, probably true".
    pub fn meaning(self) -> String {
        let r = RELIABILITY[usize::from(self.reliability - b'A')].1;
        let c = CREDIBILITY[usize::from(self.credibility - 1)].1;
        format!("{r}, {c}")
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.reliability(), self.credibility)
    }
}

/// Why a text is not a grade, with a hint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{written}` is not a grade")]
pub struct GradeError {
    pub written: String,
    pub hint: String,
}

impl std::str::FromStr for Grade {
    type Err = GradeError;

    fn from_str(text: &str) -> Result<Self, GradeError> {
        let mut chars = text.chars();
        let parsed = match (chars.next(), chars.next(), chars.next()) {
            (Some(r), Some(c), None) => c
                .to_digit(10)
                .and_then(|c| Grade::new(r, u8::try_from(c).ok()?)),
            _ => None,
        };
        parsed.ok_or_else(|| {
            let upper = text.trim().to_uppercase();
            let mut u = upper.chars();
            let hint = match (u.next(), u.next(), u.next()) {
                (Some(a), Some(b), None) if Grade::new(a, digit(b)).is_some() => {
                    format!("did you mean `{upper}`?")
                }
                (Some(a), Some(b), None) if Grade::new(b, digit(a)).is_some() => {
                    format!("did you mean `{b}{a}`? the letter comes first")
                }
                _ => "a grade is a letter for the source's reliability, A (completely reliable) to F \
                      (cannot be judged), and a digit for the information's credibility, 1 (confirmed) \
                      to 6 (cannot be judged): `B2`"
                    .to_owned(),
            };
            GradeError {
                written: text.to_owned(),
                hint,
            }
        })
    }
}

fn digit(c: char) -> u8 {
    c.to_digit(10)
        .and_then(|d| u8::try_from(d).ok())
        .unwrap_or(0)
}

/// One account of a contact: what some sources assert, and the time and place they give when those
/// differ from the contact's.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    /// The contact's own account: its `status`, `time`, place and `sources` as written on it.
    pub own: bool,
    pub sources: Vec<Citation>,
    /// What the account says: held, planned, denied, postponed...
    pub asserts: Status,
    /// Its own time, when it differs from the contact's (always set for the contact's own account).
    pub time: Option<KnownTime>,
    /// Its own place, when it differs from the contact's.
    pub place: Option<Place>,
    pub note: String,
}

/// The evidence of a contact that has more than its own account, or a relative time. Boxed on the contact:
/// most have none.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// Every account, the contact's own first; empty when the contact has only its own.
    pub accounts: Vec<Account>,
    /// The index in `accounts` of the account the contact is shown by.
    pub leading: usize,
    pub dispute: Dispute,
    /// How the contact's own time was given, when relative to another contact.
    pub relative: Option<Relative>,
    /// How the contact's own time was given, when relative to a report's date ("later this week").
    pub reported: Option<FromReport>,
}

/// What the accounts of a contact disagree on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dispute {
    pub status: bool,
    pub time: bool,
    pub place: bool,
}

impl Dispute {
    pub fn any(self) -> bool {
        self.status || self.time || self.place
    }

    /// "status and time", for the details.
    pub fn label(self) -> String {
        let parts: Vec<&str> = [
            (self.status, "what happened"),
            (self.time, "when"),
            (self.place, "where"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        parts.join(", ")
    }
}

/// Whether a relative time is before or after its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Before,
    After,
}

/// A time given relative to another contact's: `after = "witkoff-arrives", by = "2d"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Relative {
    pub anchor: ContactId,
    pub direction: Direction,
    /// As written (`2d`, `6h`, `1w`), for the writer and the display.
    pub by: Offset,
}

/// An offset of whole weeks, days or hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offset {
    pub amount: i64,
    pub unit: OffsetUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetUnit {
    Hours,
    Days,
    Weeks,
}

impl Offset {
    /// `2d`, `6h`, `1w`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let unit = match text.chars().last() {
            Some('h') => OffsetUnit::Hours,
            Some('d') => OffsetUnit::Days,
            Some('w') => OffsetUnit::Weeks,
            _ => {
                return Err(format!(
                    "`{text}` is not an offset: write a whole number of hours, days or weeks, as `6h`, `2d` or `1w`"
                ));
            }
        };
        let amount: i64 = text[..text.len() - 1].parse().map_err(|_| {
            format!("`{text}` is not an offset: write a whole number of hours, days or weeks, as `6h`, `2d` or `1w`")
        })?;
        if !(0..=10_000).contains(&amount) {
            return Err(format!(
                "`{text}` is not an offset between 0 and 10000 (the direction is `after` or `before`)"
            ));
        }
        Ok(Self { amount, unit })
    }

    /// Whole days, when the offset is a number of days or weeks.
    fn days(self) -> Option<i64> {
        match self.unit {
            OffsetUnit::Hours => None,
            OffsetUnit::Days => Some(self.amount),
            OffsetUnit::Weeks => Some(self.amount * 7),
        }
    }

    fn duration(self) -> SignedDuration {
        SignedDuration::from_hours(self.days().map_or(self.amount, |d| d * 24))
    }

    /// "2 days", "1 hour".
    pub fn words(self) -> String {
        let (n, one) = match self.unit {
            OffsetUnit::Hours => (self.amount, "hour"),
            OffsetUnit::Days => (self.amount, "day"),
            OffsetUnit::Weeks => (self.amount, "week"),
        };
        format!("{n} {one}{}", if n == 1 { "" } else { "s" })
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            OffsetUnit::Hours => 'h',
            OffsetUnit::Days => 'd',
            OffsetUnit::Weeks => 'w',
        };
        write!(f, "{}{unit}", self.amount)
    }
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
        }
    }
}

/// A time given relative to when a source was published, as reports put it: "later this week", "next
/// week", "within three days" (`time = { report = "reuters-0430", span = "later this week" }`). It is
/// resolved to a window of days in the contact's zone ([`from_report`]); the vagueness stays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FromReport {
    pub source: super::SourceId,
    pub span: ReportSpan,
    /// The first day of the report's weeks: Monday (ISO 8601) unless the file says otherwise (a U.S.
    /// report's "this week" said on a Sunday runs to Saturday; Iran's week starts on Saturday).
    pub week_starts: jiff::civil::Weekday,
}

/// How far from its report a time is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportSpan {
    /// From the report's day to the end of its week (`later this week`).
    LaterThisWeek,
    /// The whole week after the report's (`next week`).
    NextWeek,
    /// From the report's day to that many days or weeks later (`3d`, `1w`: "within three days").
    Within(Offset),
}

impl ReportSpan {
    /// `later this week`, `next week`, or a number of days or weeks (`3d`, `2w`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        match words.as_slice() {
            ["later", "this", "week"] => return Ok(Self::LaterThisWeek),
            ["next", "week"] => return Ok(Self::NextWeek),
            _ => {}
        }
        let hint = "a span is `later this week`, `next week`, or a number of days or weeks from the \
                    report's day, as `3d` or `1w` (\"within three days\")";
        match Offset::parse(text) {
            Ok(offset) if offset.unit != OffsetUnit::Hours => Ok(Self::Within(offset)),
            Ok(_) => Err(format!(
                "`{}` is in hours, but a report is dated to the day: {hint}",
                text.trim()
            )),
            Err(_) => Err(format!("`{}` is not a span: {hint}", text.trim())),
        }
    }

    /// "later in the week of", "in the week after", "within 3 days of".
    fn words(self) -> String {
        match self {
            Self::LaterThisWeek => "later in the week of".to_owned(),
            Self::NextWeek => "in the week after".to_owned(),
            Self::Within(offset) => format!("within {} of", offset.words()),
        }
    }
}

impl fmt::Display for ReportSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LaterThisWeek => f.write_str("later this week"),
            Self::NextWeek => f.write_str("next week"),
            Self::Within(offset) => write!(f, "{offset}"),
        }
    }
}

/// Why a time cannot be anchored to a report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("source `{0}` has no `published` date to count from")]
    Undated(String),
    #[error("the time {0} days from the report cannot be represented")]
    OutOfRange(i64),
}

/// The day `source` was published, in `zone` (a publication known to the minute falls on its local day).
pub fn report_day(source: &Source, zone: &TimeZone) -> Option<jiff::civil::Date> {
    match source.published? {
        Moment::Day(d) => Some(d),
        Moment::At(t) => Some(t.to_zoned_datetime(zone.clone()).date()),
    }
}

/// The window `span` of `source`'s publication, in the zone named `zone_name`: from the report's day to
/// the end of its week ("later this week"), the Monday to Sunday after ("next week"), or the report's day
/// and the days after it ("within 3 days").
///
/// ```
/// use demarche::model::evidence::{ReportSpan, from_report};
/// use demarche::model::time::{Moment, When};
/// # let source = demarche::model::Source { id: "wire".into(), outlet: "Wire".into(), title: String::new(),
/// #     published: Some(Moment::Day("2025-04-30".parse().unwrap())), retrieved: None, grade: None,
/// #     url: None, note: String::new() };
/// // Reported on Wednesday 30 April 2025: "later this week" is Wednesday to Sunday 4 May.
/// let monday = jiff::civil::Weekday::Monday;
/// let t = from_report(&source, ReportSpan::LaterThisWeek, monday, "UTC", jiff::tz::TimeZone::UTC).unwrap();
/// assert_eq!(t.when, When::Window {
///     earliest: Moment::Day("2025-04-30".parse().unwrap()),
///     latest: Moment::Day("2025-05-04".parse().unwrap()),
/// });
/// ```
pub fn from_report(
    source: &Source,
    span: ReportSpan,
    week_starts: jiff::civil::Weekday,
    zone_name: impl Into<std::sync::Arc<str>>,
    zone: TimeZone,
) -> Result<KnownTime, ReportError> {
    let day = report_day(source, &zone).ok_or_else(|| ReportError::Undated(source.id.clone()))?;
    let plus = |d: jiff::civil::Date, n: i64| {
        jiff::Span::new()
            .try_days(n)
            .ok()
            .and_then(|span| d.checked_add(span).ok())
            .ok_or(ReportError::OutOfRange(n))
    };
    // Days from the week's first day: 0 on it, 6 on its last.
    let into_week = i64::from(
        (day.weekday().to_monday_zero_offset() - week_starts.to_monday_zero_offset()).rem_euclid(7),
    );
    let (earliest, latest) = match span {
        ReportSpan::LaterThisWeek => (day, plus(day, 6 - into_week)?),
        ReportSpan::NextWeek => {
            let monday = plus(day, 7 - into_week)?;
            (monday, plus(monday, 6)?)
        }
        ReportSpan::Within(offset) => {
            let days = offset.days().unwrap_or(0);
            (day, plus(day, days)?)
        }
    };
    let when = if earliest == latest {
        When::Day(earliest)
    } else {
        When::Window {
            earliest: Moment::Day(earliest),
            latest: Moment::Day(latest),
        }
    };
    KnownTime::new(when, zone_name, zone).map_err(|_| ReportError::OutOfRange(0))
}

/// "later in the week of the report of Reuters, 30 Apr", for the details.
pub fn describe_report(reported: &FromReport, source: &Source, zone: &TimeZone) -> String {
    let day = report_day(source, zone)
        .map_or_else(String::new, |d| format!(", {}", d.strftime("%-d %b")));
    format!(
        "{} the report of {}{day}",
        reported.span.words(),
        source.outlet
    )
}

/// Why a relative time cannot be resolved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RelativeError {
    #[error("a time cannot be relative to something ongoing, which has no end")]
    Ongoing,
    #[error("the time {0} days away cannot be represented")]
    OutOfRange(i64),
}

/// The time `offset` after (or before) the anchor's `time`, in the anchor's zone. After a range, the offset
/// counts from its last day or moment; before one, from its first. An offset of whole days keeps the
/// anchor's precision (two days after "Saturday" is "Monday", still a whole day); an offset in hours turns
/// a day into a window of the same length ("some time between").
pub fn shift(
    anchor: &KnownTime,
    direction: Direction,
    offset: Offset,
) -> Result<KnownTime, RelativeError> {
    let from = match (anchor.when, direction) {
        (When::Ongoing { .. }, _) => return Err(RelativeError::Ongoing),
        (When::Between { to, .. }, Direction::After) => moment_when(to),
        (When::Between { from, .. }, Direction::Before) => moment_when(from),
        (when, _) => when,
    };
    let sign = match direction {
        Direction::After => 1,
        Direction::Before => -1,
    };
    let zone = &anchor.zone;
    let when = match offset.days() {
        Some(days) => shift_days(from, days * sign, zone)?,
        None => {
            let shifted = KnownTime::new(from, anchor.zone_name.clone(), zone.clone())
                .map_err(|_| RelativeError::OutOfRange(0))?;
            let by = offset.duration() * sign as i32;
            let add = |t: Option<Timestamp>| {
                t.and_then(|t| t.checked_add(by).ok())
                    .ok_or(RelativeError::OutOfRange(0))
            };
            let (start, end) = (add(shifted.start)?, add(shifted.end)?);
            if start == end {
                When::At(start)
            } else {
                When::Window {
                    earliest: Moment::At(start),
                    latest: Moment::At(end),
                }
            }
        }
    };
    KnownTime::new(when, anchor.zone_name.clone(), zone.clone())
        .map_err(|_| RelativeError::OutOfRange(offset.amount))
}

fn moment_when(m: Moment) -> When {
    match m {
        Moment::Day(d) => When::Day(d),
        Moment::At(t) => When::At(t),
    }
}

/// Every date and moment of `when` moved by `days` calendar days in `zone` (so a local hour stays the same
/// across a change of clocks).
fn shift_days(when: When, days: i64, zone: &TimeZone) -> Result<When, RelativeError> {
    let span = jiff::Span::new()
        .try_days(days)
        .map_err(|_| RelativeError::OutOfRange(days))?;
    let date = |d: jiff::civil::Date| {
        d.checked_add(span)
            .map_err(|_| RelativeError::OutOfRange(days))
    };
    let instant = |t: Timestamp| {
        t.to_zoned_datetime(zone.clone())
            .checked_add(span)
            .map(|z| z.timestamp())
            .map_err(|_| RelativeError::OutOfRange(days))
    };
    let moment = |m: Moment| match m {
        Moment::Day(d) => date(d).map(Moment::Day),
        Moment::At(t) => instant(t).map(Moment::At),
    };
    Ok(match when {
        When::At(t) => When::At(instant(t)?),
        When::Day(d) => When::Day(date(d)?),
        When::PartOfDay(d, part) => When::PartOfDay(date(d)?, part),
        When::Between { from, to } => When::Between {
            from: moment(from)?,
            to: moment(to)?,
        },
        When::Window { earliest, latest } => When::Window {
            earliest: moment(earliest)?,
            latest: moment(latest)?,
        },
        When::Ongoing { .. } => return Err(RelativeError::Ongoing),
    })
}

/// When a source was published, as an instant: a publication known to the day counts from the end of that
/// day in `zone` (without hindsight, a report of that day may have come out at its last minute).
pub fn published_at(source: &Source, zone: &TimeZone) -> Option<Timestamp> {
    match source.published? {
        Moment::At(t) => Some(t),
        Moment::Day(d) => d
            .tomorrow()
            .ok()
            .and_then(|next| next.to_zoned_datetime(zone.clone()).ok())
            .map(|z| z.timestamp()),
    }
}

/// The earliest publication among `citations`' sources; `None` when none is dated.
pub fn first_reported(
    citations: &[Citation],
    sources: &[Source],
    zone: &TimeZone,
) -> Option<Timestamp> {
    citations
        .iter()
        .filter_map(|c| published_at(sources.get(c.source.0 as usize)?, zone))
        .min()
}

/// The best grade among `citations`' sources.
pub fn best_grade(citations: &[Citation], sources: &[Source]) -> Option<Grade> {
    citations
        .iter()
        .filter_map(|c| sources.get(c.source.0 as usize)?.grade)
        .min_by_key(|g| g.rank())
}

/// The grade a contact is shown with: the best of the sources of its leading account (of its own
/// citations, without accounts).
pub fn shown_grade(contact: &super::Contact, sources: &[Source]) -> Option<Grade> {
    match contact.evidence.as_deref() {
        Some(e) if !e.accounts.is_empty() => {
            best_grade(&e.accounts.get(e.leading)?.sources, sources)
        }
        _ => best_grade(&contact.sources, sources),
    }
}

/// Which account leads (by the rule in the module's documentation) and what the accounts disagree on.
/// `accounts` must not be empty; `fallback` is the contact's own time and place, for accounts that give
/// none. Pure: the same accounts always give the same answer.
pub fn lead(
    accounts: &[Account],
    sources: &[Source],
    zone: &TimeZone,
    fallback: (&KnownTime, Place),
) -> (usize, Dispute) {
    let key = |(i, a): (usize, &Account)| {
        let grade = best_grade(&a.sources, sources).map(Grade::rank);
        let reported = first_reported(&a.sources, sources, zone);
        (
            grade.is_none(),
            grade,
            !a.own,
            reported.is_none(),
            reported,
            i,
        )
    };
    let leading = accounts
        .iter()
        .enumerate()
        .min_by_key(|&pair| key(pair))
        .map_or(0, |(i, _)| i);
    let time_of = |a: &Account| a.time.clone().unwrap_or_else(|| fallback.0.clone());
    let place_of = |a: &Account| a.place.unwrap_or(fallback.1);
    let mut dispute = Dispute::default();
    for (i, a) in accounts.iter().enumerate() {
        for b in &accounts[i + 1..] {
            dispute.status |= claim(a.asserts) != claim(b.asserts);
            dispute.time |= !overlap(&time_of(a), &time_of(b));
            dispute.place |= place_of(a) != place_of(b);
        }
    }
    (leading, dispute)
}

/// What a status claims, for disputes: that it happened (or goes on), that it is to happen, or that it
/// did not happen when said.
fn claim(status: Status) -> u8 {
    match status {
        Status::Reported | Status::Confirmed | Status::Held | Status::Ongoing => 0,
        Status::Planned => 1,
        Status::Denied | Status::Cancelled | Status::Postponed => 2,
    }
}

/// Whether two times can be the same: their intervals (end excluded) share an instant; an instant counts
/// as the shortest interval from itself, and an ongoing time reaches forever.
fn overlap(a: &KnownTime, b: &KnownTime) -> bool {
    let bounds = |t: &KnownTime| {
        let (start, end) = t.extent();
        let end = match t.end {
            None => Timestamp::MAX,
            Some(_) if end == start => end
                .checked_add(SignedDuration::from_nanos(1))
                .unwrap_or(end),
            Some(_) => end,
        };
        (start, end)
    };
    let (a0, a1) = bounds(a);
    let (b0, b1) = bounds(b);
    a0 < b1 && b0 < a1
}

/// Shows `contact` by its leading account: sets its status, time and place to that account's, and notes
/// which account leads and the dispute. A contact without accounts is left as it is.
pub fn settle(contact: &mut super::Contact, sources: &[Source], zone: &TimeZone) {
    let Some(evidence) = contact.evidence.as_deref_mut() else {
        return;
    };
    if evidence.accounts.is_empty() {
        return;
    }
    let own = evidence.accounts.iter().find(|a| a.own);
    let own_time = own
        .and_then(|a| a.time.clone())
        .unwrap_or_else(|| contact.time.clone());
    let own_place = own.and_then(|a| a.place).unwrap_or(contact.place);
    let (leading, dispute) = lead(&evidence.accounts, sources, zone, (&own_time, own_place));
    let account = &evidence.accounts[leading];
    contact.status = account.asserts;
    contact.time = account.time.clone().unwrap_or(own_time);
    contact.place = account.place.unwrap_or(own_place);
    evidence.leading = leading;
    evidence.dispute = dispute;
}

/// "2 days after Witkoff arrives in Oman", for the details.
pub fn describe(relative: &Relative, anchor_title: &str) -> String {
    format!(
        "{} {} {anchor_title}",
        relative.by.words(),
        relative.direction.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceId, VenueId};

    fn date(s: &str) -> jiff::civil::Date {
        s.parse().expect("date")
    }

    fn day(s: &str) -> KnownTime {
        KnownTime::new(When::Day(date(s)), "UTC", TimeZone::UTC).expect("time")
    }

    fn source(id: &str, grade: Option<&str>, published: &str) -> Source {
        Source {
            id: id.to_owned(),
            outlet: id.to_owned(),
            title: String::new(),
            published: Some(Moment::Day(date(published))),
            retrieved: None,
            grade: grade.map(|g| g.parse().expect("grade")),
            url: None,
            note: String::new(),
        }
    }

    fn account(own: bool, source: u32, asserts: Status, time: Option<KnownTime>) -> Account {
        Account {
            own,
            sources: vec![Citation {
                source: SourceId(source),
                says: String::new(),
                attribution: String::new(),
            }],
            asserts,
            time,
            place: None,
            note: String::new(),
        }
    }

    #[test]
    fn grades_parse_and_order_with_cannot_be_judged_last() {
        let g = |s: &str| s.parse::<Grade>().expect(s);
        assert!(g("A1").rank() < g("B1").rank());
        assert!(g("E5").rank() < g("F1").rank());
        assert!(g("B2").at_least(g("B2")));
        assert!(g("A1").at_least(g("B2")));
        assert!(!g("A3").at_least(g("B2")));
        assert!(!g("C1").at_least(g("B2")));
        assert_eq!(g("B2").meaning(), "usually reliable, probably true");
    }

    #[test]
    fn a_wrong_grade_says_what_was_meant() {
        let e = "b2".parse::<Grade>().expect_err("lower case");
        assert_eq!(e.hint, "did you mean `B2`?");
        let e = "2B".parse::<Grade>().expect_err("swapped");
        assert!(e.hint.starts_with("did you mean `B2`?"), "{}", e.hint);
        let e = "G7".parse::<Grade>().expect_err("out of range");
        assert!(e.hint.contains("A (completely reliable)"), "{}", e.hint);
        assert!("B".parse::<Grade>().is_err());
        assert!("B22".parse::<Grade>().is_err());
    }

    #[test]
    fn the_best_graded_account_leads_and_disagreement_is_a_dispute() {
        let sources = [
            source("wire", Some("B2"), "2026-02-01"),
            source("ministry", Some("C3"), "2026-01-31"),
            source("blog", None, "2026-01-30"),
        ];
        let own = day("2026-01-31");
        let accounts = [
            account(true, 1, Status::Held, Some(own.clone())),
            account(false, 0, Status::Denied, None),
            account(false, 2, Status::Held, Some(day("2026-02-01"))),
        ];
        let (leading, dispute) = lead(&accounts, &sources, &TimeZone::UTC, (&own, Place::None));
        assert_eq!(
            leading, 1,
            "the B2 wire leads the C3 ministry and the ungraded blog"
        );
        assert!(dispute.status, "held against denied");
        assert!(dispute.time, "Saturday against Sunday");
        assert!(!dispute.place);
        assert_eq!(dispute.label(), "what happened, when");
    }

    #[test]
    fn on_a_tie_the_contacts_own_account_leads_then_the_first_reported() {
        let sources = [
            source("a", Some("B2"), "2026-02-02"),
            source("b", Some("B2"), "2026-02-01"),
        ];
        let own = day("2026-01-31");
        let accounts = [
            account(false, 0, Status::Held, None),
            account(true, 1, Status::Held, Some(own.clone())),
        ];
        let (leading, dispute) = lead(&accounts, &sources, &TimeZone::UTC, (&own, Place::None));
        assert_eq!(leading, 1);
        assert!(!dispute.any(), "same claim, same day");
        let others = [
            account(false, 0, Status::Held, None),
            account(false, 1, Status::Confirmed, None),
        ];
        let (leading, dispute) = lead(&others, &sources, &TimeZone::UTC, (&own, Place::None));
        assert_eq!(leading, 1, "reported a day earlier");
        assert!(!dispute.any(), "held and confirmed both say it happened");
    }

    #[test]
    fn an_account_in_another_place_is_a_dispute_of_where() {
        let sources = [source("a", None, "2026-02-01")];
        let own = day("2026-01-31");
        let mut elsewhere = account(false, 0, Status::Held, None);
        elsewhere.place = Some(Place::At(VenueId(1)));
        let accounts = [account(true, 0, Status::Held, Some(own.clone())), elsewhere];
        let (_, dispute) = lead(
            &accounts,
            &sources,
            &TimeZone::UTC,
            (&own, Place::At(VenueId(0))),
        );
        assert!(dispute.place && !dispute.time && !dispute.status);
    }

    #[test]
    fn two_days_after_a_day_is_a_day_and_after_a_range_counts_from_its_end() {
        let shifted = shift(
            &day("2026-01-31"),
            Direction::After,
            Offset::parse("2d").expect("offset"),
        )
        .expect("shifts");
        assert_eq!(shifted.when, When::Day(date("2026-02-02")));
        let range = KnownTime::new(
            When::Between {
                from: Moment::Day(date("2026-01-30")),
                to: Moment::Day(date("2026-01-31")),
            },
            "UTC",
            TimeZone::UTC,
        )
        .expect("time");
        let after = shift(&range, Direction::After, Offset::parse("1w").expect("w")).expect("ok");
        assert_eq!(after.when, When::Day(date("2026-02-07")));
        let before = shift(&range, Direction::Before, Offset::parse("1d").expect("d")).expect("ok");
        assert_eq!(before.when, When::Day(date("2026-01-29")));
    }

    #[test]
    fn hours_after_a_day_make_a_window_and_after_an_instant_an_instant() {
        let after = shift(
            &day("2026-01-31"),
            Direction::After,
            Offset::parse("6h").expect("h"),
        )
        .expect("ok");
        assert_eq!(
            after.start,
            Some("2026-01-31T06:00:00Z".parse().expect("ts"))
        );
        assert_eq!(after.end, Some("2026-02-01T06:00:00Z".parse().expect("ts")));
        let at = KnownTime::new(
            When::At("2026-01-31T10:00:00Z".parse().expect("ts")),
            "UTC",
            TimeZone::UTC,
        )
        .expect("time");
        let before = shift(&at, Direction::Before, Offset::parse("3h").expect("h")).expect("ok");
        assert_eq!(
            before.when,
            When::At("2026-01-31T07:00:00Z".parse().expect("ts"))
        );
    }

    #[test]
    fn nothing_is_relative_to_something_ongoing_and_offsets_are_checked() {
        let ongoing = KnownTime::new(
            When::Ongoing {
                since: None,
                as_of: date("2026-02-01"),
            },
            "UTC",
            TimeZone::UTC,
        )
        .expect("time");
        let two = Offset::parse("2d").expect("d");
        assert_eq!(
            shift(&ongoing, Direction::After, two),
            Err(RelativeError::Ongoing)
        );
        assert!(Offset::parse("2").is_err());
        assert!(Offset::parse("two days").is_err());
        assert!(Offset::parse("-2d").is_err());
        assert_eq!(two.words(), "2 days");
        assert_eq!(Offset::parse("1h").expect("h").words(), "1 hour");
        assert_eq!(two.to_string(), "2d");
    }

    #[test]
    fn report_spans_parse_and_resolve_to_windows_of_days() {
        assert_eq!(
            ReportSpan::parse("Later this  week"),
            Ok(ReportSpan::LaterThisWeek)
        );
        assert_eq!(ReportSpan::parse("next week"), Ok(ReportSpan::NextWeek));
        let three = ReportSpan::parse("3d").expect("3d");
        assert_eq!(three.to_string(), "3d");
        assert!(
            ReportSpan::parse("6h").is_err(),
            "a report is dated to the day"
        );
        assert!(ReportSpan::parse("this week").is_err());
        // Published at 22:00 UTC on Sunday 1 February: already Monday 2 February in Tehran.
        let mut s = source("a", None, "2026-02-01");
        s.published = Some(Moment::At("2026-02-01T22:00:00Z".parse().expect("ts")));
        let tehran = crate::model::time::zone_by_name("Asia/Tehran").expect("zone");
        let monday = jiff::civil::Weekday::Monday;
        let later =
            from_report(&s, ReportSpan::LaterThisWeek, monday, "Asia/Tehran", tehran).expect("ok");
        assert_eq!(
            later.when,
            When::Window {
                earliest: Moment::Day(date("2026-02-02")),
                latest: Moment::Day(date("2026-02-08")),
            }
        );
        let within = from_report(&s, three, monday, "UTC", TimeZone::UTC).expect("ok");
        // Reported on Sunday 1 February in a week that starts on Sundays: to Saturday 7 February.
        s.published = Some(Moment::Day(date("2026-02-01")));
        let sunday = jiff::civil::Weekday::Sunday;
        let us = from_report(&s, ReportSpan::LaterThisWeek, sunday, "UTC", TimeZone::UTC);
        assert_eq!(
            us.expect("ok").when,
            When::Window {
                earliest: Moment::Day(date("2026-02-01")),
                latest: Moment::Day(date("2026-02-07")),
            }
        );
        assert_eq!(
            within.when,
            When::Window {
                earliest: Moment::Day(date("2026-02-01")),
                latest: Moment::Day(date("2026-02-04")),
            }
        );
        s.published = None;
        assert_eq!(
            from_report(&s, ReportSpan::NextWeek, monday, "UTC", TimeZone::UTC),
            Err(ReportError::Undated("a".to_owned()))
        );
    }

    #[test]
    fn a_report_known_to_the_day_counts_from_the_end_of_its_day() {
        let s = source("a", None, "2026-02-01");
        let tehran = crate::model::time::zone_by_name("Asia/Tehran").expect("zone");
        assert_eq!(
            published_at(&s, &tehran),
            Some("2026-02-01T20:30:00Z".parse().expect("ts"))
        );
    }
}
