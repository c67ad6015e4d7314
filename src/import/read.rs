//! Reading each format record by record into rows the builder takes, with each problem at its place.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;

use csv::ByteRecord;
use foldhash::HashMap as FastMap;
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use smallvec::SmallVec;

use super::build::{ActorIn, Builder, Cite, Dataset, Extent, PlaceIn, RowIn};
use super::countries::{self, Country};
use super::detect::{Container, FileError, Format, header_columns};
use super::parquet_rows;
use super::{FileCounts, Problem, Problems, cameo};
use crate::diagnostics::Severity;
use crate::model::{ActorKind, LonLat};

/// What the mentions say of each event: its earliest mention and the distinct sources that mention it.
#[derive(Debug, Default)]
pub struct Mentions {
    pub by_event: FastMap<u64, MentionAgg>,
    /// Mention rows read.
    pub read: u64,
    domains: FastMap<String, u32>,
}

#[derive(Debug)]
pub struct MentionAgg {
    pub earliest: Timestamp,
    /// Distinct sources (interned domain names).
    pub domains: SmallVec<[u32; 4]>,
}

impl Mentions {
    fn add(&mut self, event: u64, at: Timestamp, domain: &str) {
        let next = self.domains.len() as u32;
        let domain = *self.domains.entry(domain.to_owned()).or_insert(next);
        let agg = self.by_event.entry(event).or_insert(MentionAgg {
            earliest: at,
            domains: SmallVec::new(),
        });
        agg.earliest = agg.earliest.min(at);
        if !agg.domains.contains(&domain) {
            agg.domains.push(domain);
        }
    }
}

/// One record's fields as text: borrowed when the record is UTF-8, else decoded with U+FFFD.
enum Fields<'r> {
    Utf8(&'r ByteRecord),
    Lossy(Vec<String>),
}

impl Fields<'_> {
    fn get(&self, i: Option<usize>) -> &str {
        let Some(i) = i else { return "" };
        let text = match self {
            Fields::Utf8(record) => record
                .get(i)
                .and_then(|f| std::str::from_utf8(f).ok())
                .unwrap_or(""),
            Fields::Lossy(fields) => fields.get(i).map_or("", String::as_str),
        };
        let text = text.trim();
        // R writes missing values as NA (ACLED through acledR, ICEWS).
        if text == "NA" { "" } else { text }
    }
}

/// Where a record is, for its problems.
struct At<'a> {
    file: &'a str,
    /// The line a text record starts on; a Parquet file's row number.
    line: u64,
    record: &'a ByteRecord,
    /// A Parquet file: a column is told by its number, not by the character it starts at.
    by_field: bool,
}

impl At<'_> {
    /// A problem at field `column` (0-based; `None` for the whole row) named `field`.
    fn problem(
        &self,
        severity: Severity,
        column: Option<usize>,
        field: &str,
        message: String,
        hint: Option<&str>,
    ) -> Problem {
        let column = column.map_or(0, |c| {
            if self.by_field {
                return c + 1;
            }
            1 + (0..c.min(self.record.len()))
                .map(|j| String::from_utf8_lossy(&self.record[j]).chars().count() + 1)
                .sum::<usize>()
        });
        Problem {
            severity,
            file: self.file.to_owned(),
            line: self.line,
            column,
            message,
            field: field.to_owned(),
            hint: hint.map(str::to_owned),
        }
    }
}

/// A file's records, from delimited text or from a Parquet file.
enum Records {
    Text {
        reader: csv::Reader<File>,
        lines: Lines,
    },
    Parquet {
        rows: Box<parquet_rows::Rows>,
        /// The header is given by the schema, before the first row.
        header_given: bool,
    },
}

impl Records {
    fn open(path: &Path, format: &Format, container: Container) -> Result<Self, FileError> {
        if container == Container::Parquet {
            return Ok(Self::Parquet {
                rows: Box::new(parquet_rows::Rows::open(path)?),
                header_given: false,
            });
        }
        let file =
            File::open(path).map_err(|e| FileError::new(format!("cannot open: {e}"), None))?;
        let delimiter = format.delimiter();
        // GDELT and ICEWS write no quotes (a field never holds a tab); ACLED and BigQuery CSV quote notes.
        let quoting = delimiter == b',' || matches!(format, Format::Acled { .. });
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .quoting(quoting)
            .buffer_capacity(1 << 18)
            .from_reader(file);
        Ok(Self::Text {
            reader,
            lines: Lines::default(),
        })
    }

    /// Reads the next record (the header first, for a format that has one); an I/O or decoding error ends
    /// the file with a message. Gives the record's line (a Parquet file: its row, the header being 0).
    fn next(&mut self, record: &mut ByteRecord) -> Result<Option<u64>, FileError> {
        match self {
            Self::Text { reader, lines } => {
                let more = reader.read_byte_record(record).map_err(|e| {
                    FileError::new(
                        format!("cannot read past line {}: {e}", reader.position().line()),
                        None,
                    )
                })?;
                Ok(more.then(|| lines.line_of(record)))
            }
            Self::Parquet { rows, header_given } => {
                if !*header_given {
                    *header_given = true;
                    rows.header(record);
                    return Ok(Some(0));
                }
                Ok(rows.next(record)?.then(|| rows.row()))
            }
        }
    }

    /// Only the columns `used` are read from a Parquet file (a text file's records are read whole).
    fn keep_only(&mut self, used: &[Option<usize>]) -> Result<(), FileError> {
        match self {
            Self::Text { .. } => Ok(()),
            Self::Parquet { rows, .. } => {
                let used: Vec<usize> = used.iter().flatten().copied().collect();
                rows.keep_only(&used)
            }
        }
    }

    fn by_field(&self) -> bool {
        matches!(self, Self::Parquet { .. })
    }
}

/// The line each record starts on. The `csv` reader counts record ends only, not the line breaks inside
/// quoted fields (ACLED's notes), so those are added.
#[derive(Default)]
struct Lines {
    inside_fields: u64,
}

impl Lines {
    /// The line `record` starts on; then counts its own line breaks for the records after it.
    fn line_of(&mut self, record: &ByteRecord) -> u64 {
        let line = record.position().map_or(0, |p| p.line()) + self.inside_fields;
        self.inside_fields += count_newlines(record.as_slice());
        line
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

fn fields(record: &ByteRecord) -> Fields<'_> {
    if std::str::from_utf8(record.as_slice()).is_ok() {
        Fields::Utf8(record)
    } else {
        Fields::Lossy(
            record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
        )
    }
}

/// Reads a mentions file into `mentions`.
pub fn read_mentions(
    path: &Path,
    (format, container): (&Format, Container),
    mentions: &mut Mentions,
    problems: &mut Problems,
) -> Result<FileCounts, FileError> {
    let file = path.display().to_string();
    let mut records = Records::open(path, format, container)?;
    let by_field = records.by_field();
    let mut record = ByteRecord::new();
    let mut counts = FileCounts {
        file: file.clone(),
        format: format_name(format, container),
        is_mentions: true,
        ..FileCounts::default()
    };
    let (id, time, source, width) = if format.has_header() {
        if records.next(&mut record)?.is_none() {
            return Ok(counts);
        }
        let columns = header_columns(
            record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned()),
        );
        let col = |name: &str| columns.get(name).copied();
        (
            col("globaleventid"),
            col("mentiontimedate"),
            col("mentionsourcename"),
            record.len(),
        )
    } else {
        (Some(0), Some(2), Some(4), 16)
    };
    records.keep_only(&[id, time, source])?;
    while let Some(line) = records.next(&mut record)? {
        counts.read += 1;
        let at = At {
            file: &file,
            line,
            record: &record,
            by_field,
        };
        if record.len() != width {
            problems.push(at.problem(
                Severity::Error,
                None,
                "",
                format!(
                    "this row has {} columns; the mentions have {width}",
                    record.len()
                ),
                None,
            ));
            *counts
                .dropped
                .entry("wrong number of columns".to_owned())
                .or_default() += 1;
            continue;
        }
        let f = fields(&record);
        let event = f.get(id).parse::<u64>();
        let when = timestamp(f.get(time));
        match (event, when) {
            (Ok(event), Some(when)) => {
                mentions.add(event, when, f.get(source));
                mentions.read += 1;
                counts.kept += 1;
            }
            (Err(_), _) => {
                problems.push(at.problem(
                    Severity::Error,
                    id,
                    "GLOBALEVENTID",
                    format!("`{}` is not an event id", f.get(id)),
                    None,
                ));
                *counts.dropped.entry("bad event id".to_owned()).or_default() += 1;
            }
            (_, None) => {
                problems.push(at.problem(
                    Severity::Error,
                    time,
                    "MentionTimeDate",
                    format!("`{}` is not a time YYYYMMDDHHMMSS", f.get(time)),
                    None,
                ));
                *counts.dropped.entry("bad date".to_owned()).or_default() += 1;
            }
        }
    }
    Ok(counts)
}

/// The columns of GDELT events that the importer reads.
#[derive(Clone, Copy, Debug, Default)]
struct GdeltColumns {
    id: Option<usize>,
    date: Option<usize>,
    actor: [[Option<usize>; 4]; 2],
    code: Option<usize>,
    sources: Option<usize>,
    tone: Option<usize>,
    geo_type: Option<usize>,
    geo_name: Option<usize>,
    geo_country: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    feature: Option<usize>,
    added: Option<usize>,
    url: Option<usize>,
}

impl GdeltColumns {
    /// The columns of a row with no header, by its width: 61 (2.0), 58 (1.0 daily), 57 (1.0 backfile).
    fn by_width(width: usize) -> Option<Self> {
        let geo = match width {
            61 => 51,
            57 | 58 => 49,
            _ => return None,
        };
        let after_geo = if width == 61 { geo + 8 } else { geo + 7 };
        Some(Self {
            id: Some(0),
            date: Some(1),
            actor: [
                [Some(5), Some(6), Some(7), Some(12)],
                [Some(15), Some(16), Some(17), Some(22)],
            ],
            code: Some(26),
            sources: Some(32),
            tone: Some(34),
            geo_type: Some(geo),
            geo_name: Some(geo + 1),
            geo_country: Some(geo + 2),
            lat: Some(after_geo - 3),
            lon: Some(after_geo - 2),
            feature: Some(after_geo - 1),
            added: Some(after_geo),
            url: (width != 57).then_some(after_geo + 1),
        })
    }

    fn by_name(columns: &HashMap<String, usize>) -> Self {
        let col = |names: &[&str]| names.iter().find_map(|n| columns.get(*n).copied());
        let actor = |n: &str| {
            [
                col(&[&format!("actor{n}code")]),
                col(&[&format!("actor{n}name")]),
                col(&[&format!("actor{n}countrycode")]),
                col(&[&format!("actor{n}type1code")]),
            ]
        };
        Self {
            id: col(&["globaleventid", "globaleventsid"]),
            date: col(&["sqldate", "day"]),
            actor: [actor("1"), actor("2")],
            code: col(&["eventcode"]),
            sources: col(&["numsources"]),
            tone: col(&["avgtone"]),
            geo_type: col(&["actiongeotype"]),
            geo_name: col(&["actiongeofullname"]),
            geo_country: col(&["actiongeocountrycode"]),
            lat: col(&["actiongeolat"]),
            lon: col(&["actiongeolong", "actiongeolon"]),
            feature: col(&["actiongeofeatureid"]),
            added: col(&["dateadded"]),
            url: col(&["sourceurl"]),
        }
    }
}

/// Counts a dropped row under `why`.
fn drop_row(counts: &mut FileCounts, why: impl Into<String>) {
    *counts.dropped.entry(why.into()).or_default() += 1;
}

/// Reads an event file into `builder`.
pub fn read_events(
    path: &Path,
    (format, container): (&Format, Container),
    builder: &mut Builder<'_>,
    problems: &mut Problems,
) -> Result<FileCounts, FileError> {
    let file = path.display().to_string();
    let mut records = Records::open(path, format, container)?;
    let by_field = records.by_field();
    let mut record = ByteRecord::new();
    let mut counts = FileCounts {
        file: file.clone(),
        format: format_name(format, container),
        ..FileCounts::default()
    };
    let header = if format.has_header() {
        if records.next(&mut record)?.is_none() {
            return Ok(counts);
        }
        let names: Vec<String> = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        Some((header_columns(names.into_iter()), record.len()))
    } else {
        None
    };
    let reading = match (format, &header) {
        (Format::GdeltEvents, _) => Reading::Gdelt(None),
        (Format::GdeltEventsHeaded { .. }, Some((columns, _))) => {
            Reading::Gdelt(Some(GdeltColumns::by_name(columns)))
        }
        (Format::Acled { .. }, Some((columns, _))) => Reading::Acled(AcledColumns::new(columns)?),
        (Format::Icews { .. }, Some((columns, _))) => Reading::Icews(IcewsColumns::new(columns)?),
        _ => return Err(FileError::new("not an event file", None)),
    };
    records.keep_only(&reading.used())?;
    let width = header.as_ref().map(|(_, width)| *width);
    // A record shorter than the header is reported when the next one is read: the last one is a truncated
    // record (a warning), any other a damaged row (an error).
    let mut short: Option<Problem> = None;
    while let Some(line) = records.next(&mut record)? {
        if let Some(mut p) = short.take() {
            p.severity = Severity::Error;
            problems.push(p);
        }
        counts.read += 1;
        let at = At {
            file: &file,
            line,
            record: &record,
            by_field,
        };
        if let Some(width) = width
            && record.len() != width
        {
            if record.len() < width {
                short = Some(at.problem(
                    Severity::Warning,
                    Some(record.len().saturating_sub(1)),
                    "",
                    format!(
                        "this record ends after {} of the header's {width} fields (truncated?)",
                        record.len()
                    ),
                    Some("the last record of a file cut short is left out; the rows before it are kept"),
                ));
                drop_row(&mut counts, "truncated or short record");
            } else {
                problems.push(at.problem(
                    Severity::Error,
                    Some(width),
                    "",
                    format!(
                        "this record has {} fields; the header has {width}",
                        record.len()
                    ),
                    Some("a field with the delimiter in it must be quoted"),
                ));
                drop_row(&mut counts, "wrong number of columns");
            }
            continue;
        }
        let f = fields(&record);
        let outcome = match &reading {
            Reading::Gdelt(named) => gdelt_row(&f, &at, *named, problems),
            Reading::Acled(columns) => acled_row(&f, &at, columns, problems),
            Reading::Icews(columns) => icews_row(&f, &at, columns, problems),
        };
        match outcome.and_then(|row| builder.add(row)) {
            Ok(()) => counts.kept += 1,
            Err(why) => drop_row(&mut counts, why),
        }
    }
    if let Some(p) = short {
        problems.push(p);
    }
    Ok(counts)
}

/// The format as the summary names it: `ACLED`, `ACLED (Parquet)`.
fn format_name(format: &Format, container: Container) -> String {
    match container {
        Container::Text => format.name().to_owned(),
        Container::Parquet => format!("{} (Parquet)", format.name()),
    }
}

enum Reading {
    /// `None`: by each row's width.
    Gdelt(Option<GdeltColumns>),
    Acled(AcledColumns),
    Icews(IcewsColumns),
}

impl Reading {
    /// The columns read (a Parquet file's others are not decoded).
    fn used(&self) -> Vec<Option<usize>> {
        match self {
            Self::Gdelt(None) => Vec::new(),
            Self::Gdelt(Some(c)) => {
                let mut used = vec![
                    c.id,
                    c.date,
                    c.code,
                    c.sources,
                    c.tone,
                    c.geo_type,
                    c.geo_name,
                    c.geo_country,
                    c.lat,
                    c.lon,
                    c.feature,
                    c.added,
                    c.url,
                ];
                used.extend(c.actor.iter().flatten());
                used
            }
            Self::Acled(c) => {
                let mut used = vec![
                    c.id,
                    c.date,
                    c.year,
                    c.time_precision,
                    c.event_type,
                    c.sub_event_type,
                    c.country,
                    c.admin1,
                    c.location,
                    c.lat,
                    c.lon,
                    c.geo_precision,
                    c.source,
                ];
                used.extend(c.actor);
                used
            }
            Self::Icews(c) => {
                let mut used = vec![
                    c.id,
                    c.date,
                    c.code,
                    c.story,
                    c.publisher,
                    c.city,
                    c.province,
                    c.country,
                    c.lat,
                    c.lon,
                ];
                used.extend(c.actor.iter().flatten());
                used
            }
        }
    }
}

/// A day written `YYYYMMDD`.
fn yyyymmdd(text: &str) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| text[r].parse::<i16>().ok();
    Date::new(n(0..4)?, n(4..6)? as i8, n(6..8)? as i8).ok()
}

/// `YYYYMMDDHHMMSS` (UTC), or a day `YYYYMMDD` (its first instant, UTC).
fn timestamp(text: &str) -> Option<Timestamp> {
    match text.len() {
        8 => yyyymmdd(text)?
            .to_zoned_datetime(TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp()),
        14 if text.bytes().all(|b| b.is_ascii_digit()) => {
            let day = yyyymmdd(&text[..8])?;
            let n = |r: std::ops::Range<usize>| text[r].parse::<i8>().ok();
            day.at(n(8..10)?, n(10..12)?, n(12..14)?, 0)
                .to_zoned_datetime(TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp())
        }
        _ => None,
    }
}

/// A position, or a problem: both given, numbers, in range. `Ok(None)` when neither is given.
fn position(
    f: &Fields<'_>,
    at: &At<'_>,
    lat: Option<usize>,
    lon: Option<usize>,
    problems: &mut Problems,
) -> Option<LonLat> {
    let (lat_text, lon_text) = (f.get(lat), f.get(lon));
    if lat_text.is_empty() && lon_text.is_empty() {
        return None;
    }
    match (lat_text.parse::<f64>(), lon_text.parse::<f64>()) {
        (Ok(la), Ok(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {
            Some(LonLat { lon: lo, lat: la })
        }
        _ => {
            problems.push(at.problem(
                Severity::Warning,
                lat,
                "latitude",
                format!("`{lat_text}`, `{lon_text}` is not a latitude and longitude: the row is kept without a place"),
                None,
            ));
            None
        }
    }
}

fn gdelt_row<'r>(
    f: &'r Fields<'r>,
    at: &At<'_>,
    named: Option<GdeltColumns>,
    problems: &mut Problems,
) -> Result<RowIn<'r>, String> {
    let Some(c) = named.or_else(|| GdeltColumns::by_width(at.record.len())) else {
        problems.push(at.problem(
            Severity::Error,
            None,
            "",
            format!(
                "this row has {} tab-separated columns; GDELT events have 61 (2.0), 58 or 57 (1.0)",
                at.record.len()
            ),
            None,
        ));
        return Err("wrong number of columns".to_owned());
    };
    let Some(date) = yyyymmdd(f.get(c.date)) else {
        problems.push(at.problem(
            Severity::Error,
            c.date,
            "SQLDATE",
            format!("`{}` is not a date YYYYMMDD", f.get(c.date)),
            None,
        ));
        return Err("bad date".to_owned());
    };
    let code = cameo_code(f, at, c.code, "EventCode", problems)?;
    let added_text = f.get(c.added);
    let first_reported = timestamp(added_text);
    let dataset = if added_text.len() == 14 {
        Dataset::Gdelt2
    } else {
        Dataset::Gdelt1
    };
    let actor = |n: usize| {
        let [code_col, name_col, country_col, type_col] = c.actor[n];
        let (code, name) = (f.get(code_col), f.get(name_col));
        if code.is_empty() && name.is_empty() {
            return None;
        }
        let country =
            countries::from_cameo(f.get(country_col)).or_else(|| countries::from_cameo(code));
        let kind = match (f.get(type_col), country) {
            ("GOV" | "MIL" | "COP" | "JUD" | "LEG" | "SPY", _) => ActorKind::Government,
            ("", Some(country)) if code.len() == 3 => {
                return Some(ActorIn {
                    key: code,
                    name: Cow::Borrowed(country.name),
                    kind: ActorKind::Government,
                    country: Some(country),
                });
            }
            _ => ActorKind::Organisation,
        };
        let shown = title_case(if name.is_empty() { code } else { name });
        Some(ActorIn {
            key: if code.is_empty() { name } else { code },
            name: if code.is_empty() {
                Cow::Owned(shown)
            } else {
                Cow::Owned(format!("{shown} ({code})"))
            },
            kind,
            country,
        })
    };
    let place = match f.get(c.geo_type) {
        "" | "0" => None,
        geo_type => {
            let extent = match geo_type {
                "1" => Extent::Country,
                "2" | "5" => Extent::Region,
                _ => Extent::Point,
            };
            position(f, at, c.lat, c.lon, problems).map(|lonlat| {
                let name = f.get(c.geo_name);
                let feature = f.get(c.feature);
                PlaceIn {
                    // GDELT's names lose their non-Latin letters (`Al ?asakah`): the feature id is the key.
                    key: if feature.is_empty() { name } else { feature },
                    name: Cow::Borrowed(name),
                    at: lonlat,
                    extent,
                    country: countries::from_fips(f.get(c.geo_country)),
                }
            })
        }
    };
    let sources = f.get(c.sources).parse().unwrap_or(1);
    let url = f.get(c.url);
    Ok(RowIn {
        dataset,
        id: f.get(c.id),
        event_id: f.get(c.id).parse().ok(),
        date,
        window: None,
        code,
        actors: [actor(0), actor(1)],
        place,
        first_reported,
        sources,
        tone: f.get(c.tone).parse().ok().filter(|t: &f64| t.is_finite()),
        cite: if url.is_empty() {
            Cite::None
        } else {
            Cite::Url(url, first_reported)
        },
    })
}

/// The CAMEO event code in `column` (named `header` in the dataset's documentation), or the row's problem.
fn cameo_code<'r>(
    f: &'r Fields<'r>,
    at: &At<'_>,
    column: Option<usize>,
    header: &str,
    problems: &mut Problems,
) -> Result<&'r str, String> {
    let code = f.get(column);
    if code.len() < 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
        problems.push(at.problem(
            Severity::Error,
            column,
            header,
            format!("`{code}` is not a CAMEO event code"),
            Some("CAMEO codes are strings of 2 to 4 digits with their leading zero (`042`)"),
        ));
        return Err("bad event code".to_owned());
    }
    Ok(code)
}

/// `VLADIMIR PUTIN` -> `Vladimir Putin`.
fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for ch in text.chars() {
        if start {
            out.extend(ch.to_uppercase());
        } else {
            out.extend(ch.to_lowercase());
        }
        start = !ch.is_alphanumeric() && ch != '\'';
    }
    out
}

/// The columns of an ACLED file, by name (every layout: upper-case 2015, the API's alphabetical order with
/// an unnamed index column, 2019-2023, and the layout in use since March 2023).
#[derive(Debug)]
struct AcledColumns {
    id: Option<usize>,
    date: Option<usize>,
    year: Option<usize>,
    time_precision: Option<usize>,
    event_type: Option<usize>,
    sub_event_type: Option<usize>,
    actor: [Option<usize>; 2],
    country: Option<usize>,
    admin1: Option<usize>,
    location: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    geo_precision: Option<usize>,
    source: Option<usize>,
}

impl AcledColumns {
    fn new(columns: &HashMap<String, usize>) -> Result<Self, FileError> {
        let col = |names: &[&str]| names.iter().find_map(|n| columns.get(*n).copied());
        let need = |name: &str, written: &str| {
            columns.get(name).copied().map(Some).ok_or_else(|| {
                FileError::new(
                    format!("this ACLED file has no `{written}` column"),
                    Some("ACLED columns are found by name; export the file with its header row"),
                )
            })
        };
        Ok(Self {
            id: col(&["eventidcnty", "dataid"]),
            date: need("eventdate", "event_date")?,
            year: col(&["year"]),
            time_precision: col(&["timeprecision"]),
            event_type: need("eventtype", "event_type")?,
            sub_event_type: col(&["subeventtype"]),
            actor: [need("actor1", "actor1")?, col(&["actor2"])],
            country: col(&["country"]),
            admin1: col(&["admin1"]),
            location: col(&["location"]),
            lat: col(&["latitude"]),
            lon: col(&["longitude"]),
            geo_precision: col(&["geoprecision"]),
            source: col(&["source"]),
        })
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// An ACLED date in any of its styles: `2016-07-02`, `01-January-2015`, `03 December 2020`, Excel's
/// `9-May-20` (a two-digit year takes its century from the `year` column when there is one).
pub fn acled_date(text: &str, year: Option<i16>) -> Option<Date> {
    let text = text.trim();
    if let Some(iso) = text.get(..10)
        && let Ok(date) = iso.parse::<Date>()
    {
        return Some(date);
    }
    let parts: Vec<&str> = text
        .split(['-', ' ', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    let [day, month, y] = parts.as_slice() else {
        return None;
    };
    let day: i8 = day.parse().ok()?;
    let month_lower = month.to_ascii_lowercase();
    let month: i8 = match month.parse::<i8>() {
        Ok(m) => m,
        Err(_) if month_lower.len() >= 3 => {
            MONTHS.iter().position(|m| m.starts_with(&month_lower))? as i8 + 1
        }
        Err(_) => return None,
    };
    let y: i16 = match y.len() {
        4 => y.parse().ok()?,
        2 => {
            let yy: i16 = y.parse().ok()?;
            match year {
                Some(full) if full % 100 == yy => full,
                _ if yy < 70 => 2000 + yy,
                _ => 1900 + yy,
            }
        }
        _ => return None,
    };
    Date::new(y, month, day).ok()
}

fn acled_row<'r>(
    f: &'r Fields<'r>,
    at: &At<'_>,
    c: &AcledColumns,
    problems: &mut Problems,
) -> Result<RowIn<'r>, String> {
    let year = f.get(c.year).parse::<i16>().ok();
    let Some(date) = acled_date(f.get(c.date), year) else {
        problems.push(at.problem(
            Severity::Error,
            c.date,
            "event_date",
            format!("`{}` is not a date", f.get(c.date)),
            Some("ACLED dates read: 2016-07-02, 01-January-2015, 03 December 2020, 9-May-20"),
        ));
        return Err("bad date".to_owned());
    };
    if let Some(year) = year
        && year != date.year()
    {
        problems.push(at.problem(
            Severity::Warning,
            c.date,
            "event_date",
            format!("the date {date} is not in the row's year {year}"),
            None,
        ));
    }
    let window = match f.get(c.time_precision) {
        "" | "1" => None,
        "2" => {
            let monday = date
                .checked_sub(
                    jiff::Span::new().days(i64::from(date.weekday().to_monday_zero_offset())),
                )
                .unwrap_or(date);
            let sunday = monday
                .checked_add(jiff::Span::new().days(6))
                .unwrap_or(date);
            debug_assert_eq!(monday.weekday(), Weekday::Monday);
            Some((monday, sunday))
        }
        "3" => Some((date.first_of_month(), date.last_of_month())),
        other => {
            problems.push(at.problem(
                Severity::Warning,
                c.time_precision,
                "time_precision",
                format!("time precision `{other}` is not 1, 2 or 3: read as the day"),
                None,
            ));
            None
        }
    };
    let (event_type, sub_event_type) = (f.get(c.event_type), f.get(c.sub_event_type));
    let Some(code) = cameo::acled_code(event_type, sub_event_type) else {
        let what = if sub_event_type.is_empty() {
            event_type
        } else {
            sub_event_type
        };
        return Err(format!("ACLED `{what}`: no contact kind"));
    };
    let country_name = f.get(c.country);
    let country = countries::from_name(country_name);
    let actor = |n: usize| {
        let name = f.get(c.actor[n]);
        if name.is_empty() {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        let kind = if ["government of", "military forces of", "police forces of"]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            ActorKind::Government
        } else {
            ActorKind::Organisation
        };
        // "Protesters (Argentina)", "Military Forces of Israel (2022-)".
        let affiliation = name
            .rsplit_once('(')
            .and_then(|(_, rest)| countries::from_name(rest.trim_end_matches(')')))
            .or_else(|| {
                lower.split_once(" of ").and_then(|(_, rest)| {
                    countries::from_name(rest.split(" (").next().unwrap_or(rest))
                })
            });
        Some(ActorIn {
            key: name,
            name: Cow::Borrowed(name),
            kind,
            country: affiliation,
        })
    };
    let location = f.get(c.location);
    let place = position(f, at, c.lat, c.lon, problems).map(|lonlat| {
        let (extent, name) = match f.get(c.geo_precision) {
            "2" => (Extent::Near, Cow::Borrowed(location)),
            "3" => {
                let region = f.get(c.admin1);
                let region = if region.is_empty() { location } else { region };
                (Extent::Region, Cow::Owned(join_place(region, country_name)))
            }
            _ => (
                Extent::Point,
                Cow::Owned(join_place(location, country_name)),
            ),
        };
        PlaceIn {
            key: location,
            name,
            at: lonlat,
            extent,
            country,
        }
    });
    let source = f.get(c.source);
    Ok(RowIn {
        dataset: Dataset::Acled,
        id: f.get(c.id),
        event_id: None,
        date,
        window,
        code,
        actors: [actor(0), actor(1)],
        place,
        first_reported: None,
        sources: source.split(';').filter(|s| !s.trim().is_empty()).count() as u32,
        tone: None,
        cite: if source.is_empty() {
            Cite::None
        } else {
            Cite::Outlets(source)
        },
    })
}

fn join_place(place: &str, country: &str) -> String {
    match (place.is_empty(), country.is_empty() || place == country) {
        (true, _) => country.to_owned(),
        (false, true) => place.to_owned(),
        (false, false) => format!("{place}, {country}"),
    }
}

/// The columns of an ICEWS file.
#[derive(Debug)]
struct IcewsColumns {
    id: Option<usize>,
    date: Option<usize>,
    actor: [[Option<usize>; 3]; 2],
    code: Option<usize>,
    story: Option<usize>,
    publisher: Option<usize>,
    city: Option<usize>,
    province: Option<usize>,
    country: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
}

impl IcewsColumns {
    fn new(columns: &HashMap<String, usize>) -> Result<Self, FileError> {
        let col = |name: &str| columns.get(name).copied();
        let need = |name: &str, written: &str| {
            col(name).map(Some).ok_or_else(|| {
                FileError::new(format!("this ICEWS file has no `{written}` column"), None)
            })
        };
        Ok(Self {
            id: col("eventid"),
            date: need("eventdate", "Event Date")?,
            actor: [
                [
                    col("sourcename"),
                    col("sourcesectors"),
                    col("sourcecountry"),
                ],
                [
                    col("targetname"),
                    col("targetsectors"),
                    col("targetcountry"),
                ],
            ],
            code: need("cameocode", "CAMEO Code")?,
            story: col("storyid"),
            publisher: col("publisher"),
            city: col("city"),
            province: col("province"),
            country: col("country"),
            lat: col("latitude"),
            lon: col("longitude"),
        })
    }
}

fn icews_row<'r>(
    f: &'r Fields<'r>,
    at: &At<'_>,
    c: &IcewsColumns,
    problems: &mut Problems,
) -> Result<RowIn<'r>, String> {
    let Ok(date) = f.get(c.date).parse::<Date>() else {
        problems.push(at.problem(
            Severity::Error,
            c.date,
            "Event Date",
            format!("`{}` is not a date YYYY-MM-DD", f.get(c.date)),
            None,
        ));
        return Err("bad date".to_owned());
    };
    let code = cameo_code(f, at, c.code, "CAMEO Code", problems)?;
    let actor = |n: usize| {
        let [name_col, _sectors, country_col] = c.actor[n];
        let name = f.get(name_col);
        if name.is_empty() {
            return None;
        }
        let country_name = f.get(country_col);
        let as_country = countries::from_name(name);
        // ICEWS names people plainly ("Vladimir Putin") and bodies with their country in brackets
        // ("Foreign Affairs (Bangladesh)"); a country's name stands for its government.
        let kind = if as_country.is_some() || name == country_name {
            ActorKind::Government
        } else if name.contains('(') {
            ActorKind::Organisation
        } else {
            ActorKind::Person
        };
        Some(ActorIn {
            key: name,
            name: Cow::Borrowed(name),
            kind,
            country: countries::from_name(country_name).or(as_country),
        })
    };
    let (city, province, country_name) = (f.get(c.city), f.get(c.province), f.get(c.country));
    let country: Option<Country> = countries::from_name(country_name);
    let place = position(f, at, c.lat, c.lon, problems).map(|lonlat| {
        let (extent, key) = match (city.is_empty(), province.is_empty()) {
            (false, _) => (Extent::Point, city),
            (true, false) => (Extent::Region, province),
            (true, true) => (Extent::Country, country_name),
        };
        let name = match extent {
            Extent::Point => join_place(city, country_name),
            Extent::Region => join_place(province, country_name),
            _ => country_name.to_owned(),
        };
        PlaceIn {
            key,
            name: Cow::Owned(name),
            at: lonlat,
            extent,
            country,
        }
    });
    let (publisher, story) = (f.get(c.publisher), f.get(c.story));
    Ok(RowIn {
        dataset: Dataset::Icews,
        id: f.get(c.id),
        event_id: None,
        date,
        window: None,
        code,
        actors: [actor(0), actor(1)],
        place,
        first_reported: None,
        sources: u32::from(!publisher.is_empty()),
        tone: None,
        cite: if publisher.is_empty() {
            Cite::None
        } else {
            Cite::Story { publisher, story }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_dates_in_every_style() {
        let d = |y, m, d| Date::new(y, m, d).ok();
        assert_eq!(acled_date("2016-07-02", None), d(2016, 7, 2));
        assert_eq!(acled_date("01-January-2015", None), d(2015, 1, 1));
        assert_eq!(acled_date("03 December 2020", None), d(2020, 12, 3));
        assert_eq!(acled_date("9-May-20", Some(2020)), d(2020, 5, 9));
        assert_eq!(acled_date("9-May-99", None), d(1999, 5, 9));
        assert_eq!(acled_date("31 February 2020", None), None);
        assert_eq!(acled_date("yesterday", None), None);
    }

    #[test]
    fn gdelt_times_are_utc() {
        let t = timestamp("20150218230000").expect("a time");
        assert_eq!(t.to_string(), "2015-02-18T23:00:00Z");
        assert_eq!(
            timestamp("20150218").map(|t| t.to_string()).as_deref(),
            Some("2015-02-18T00:00:00Z")
        );
        assert_eq!(timestamp("2015021823"), None);
        assert_eq!(yyyymmdd("20151302"), None);
    }

    #[test]
    fn the_three_gdelt_widths_place_the_same_fields() {
        let v2 = GdeltColumns::by_width(61).expect("2.0");
        let daily = GdeltColumns::by_width(58).expect("1.0");
        let backfile = GdeltColumns::by_width(57).expect("1.0");
        assert_eq!(
            (v2.geo_type, v2.lat, v2.added, v2.url),
            (Some(51), Some(56), Some(59), Some(60))
        );
        assert_eq!(
            (daily.geo_type, daily.lat, daily.added, daily.url),
            (Some(49), Some(53), Some(56), Some(57))
        );
        assert_eq!((backfile.added, backfile.url), (Some(56), None));
        assert!(GdeltColumns::by_width(60).is_none());
    }

    #[test]
    fn names_read_as_titles() {
        assert_eq!(title_case("VLADIMIR PUTIN"), "Vladimir Putin");
        assert_eq!(title_case("ABU DHABI"), "Abu Dhabi");
    }
}
