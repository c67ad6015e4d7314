//! Spreadsheets in demarche's own template: an XLSX or ODS workbook with sheets named `scenario`,
//! `sources`, `venues`, `actors`, `contacts` and `accounts` (the other accounts of a contact, one row each,
//! joined to their contact by its id), or CSV files, one per table, told apart by their header.
//! The columns are the scenario format's fields (README, "The scenario format"); the lists of a contact
//! are written in one cell each (see [`COLUMNS`] and the notes sheet of the template).
//!
//! The rows become a scenario document that goes through the scenario validator, so a spreadsheet is
//! checked by exactly the rules of a TOML file; each problem the validator finds is reported at the cell
//! its value came from (`story.xlsx:contacts!C4`, or `contacts.csv:4:3` for a CSV file).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::{FileCounts, ImportError, Imported, Problem, Problems, Summary};
use crate::diagnostics::Severity;

/// The tables of the template and their columns, in order. A header may hold them in any order and case;
/// unknown columns are reported and ignored.
pub const COLUMNS: [(&str, &[&str]); 6] = [
    ("scenario", &["id", "title", "description", "time_zone"]),
    (
        "sources",
        &[
            "id",
            "outlet",
            "title",
            "published",
            "retrieved",
            "grade",
            "url",
            "note",
        ],
    ),
    (
        "venues",
        &[
            "id",
            "name",
            "kind",
            "country",
            "time_zone",
            "lon",
            "lat",
            "radius_km",
            "polygon",
        ],
    ),
    (
        "actors",
        &["id", "name", "kind", "affiliation", "role", "based_at"],
    ),
    (
        "contacts",
        &[
            "id",
            "kind",
            "status",
            "title",
            "summary",
            "participants",
            "venue",
            "from",
            "to",
            "at",
            "on",
            "part",
            "time_from",
            "time_to",
            "earliest",
            "latest",
            "as_of",
            "since",
            "tz",
            "after",
            "before",
            "by",
            "report",
            "span",
            "week_starts",
            "sources",
            "quotes",
            "confidence",
            "notes",
        ],
    ),
    (
        "accounts",
        &[
            "contact",
            "asserts",
            "sources",
            "venue",
            "at",
            "on",
            "part",
            "time_from",
            "time_to",
            "earliest",
            "latest",
            "tz",
            "note",
        ],
    ),
];

/// The example row of each table in the template (the notes sheet explains the columns).
const EXAMPLES: [&[&str]; 6] = [
    &[
        "geneva-talks",
        "Talks in Geneva",
        "What the story follows, in a paragraph.",
        "Europe/Zurich",
    ],
    &[
        "memo",
        "An invented memo",
        "Notes of the meeting",
        "2026-03-02",
        "2026-03-03",
        "C3",
        "https://example.org/memo",
        "",
    ],
    &[
        "geneva",
        "Geneva",
        "city",
        "CH",
        "Europe/Zurich",
        "6.1432",
        "46.2044",
        "",
        "",
    ],
    &[
        "envoy",
        "A. Envoy",
        "person",
        "NO",
        "Special envoy",
        "geneva",
    ],
    &[
        "geneva-statement",
        "statement",
        "held",
        "The envoy speaks to the press in Geneva",
        "",
        "envoy:speaker",
        "geneva",
        "",
        "",
        "",
        "2026-03-01",
        "afternoon",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "memo: they met for two hours",
        "envoy: We made progress.",
        "moderate",
        "",
    ],
    &[
        "geneva-statement",
        "held",
        "memo: the envoy spoke after the meeting",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "The memo's own account, with no time or place of its own",
    ],
];

/// The notes sheet of the template: how to fill each table.
pub const NOTES: &[&str] = &[
    "demarche story template: fill one row per source, venue, actor and contact; `demarche import FILE -o story.json` makes the scenario.",
    "Fields and vocabularies are those of the scenario format (README, \"The scenario format\"): ids, kinds, statuses, parts, confidence.",
    "scenario: one row (id, title; description and time_zone optional). Without it the title is the file's name.",
    "venues: kind is capital, city, area, mobile, country or unspecified. A city or capital needs time_zone, lon and lat.",
    "venues: polygon is `lon lat; lon lat; lon lat` (at least 3 points).",
    "actors: kind is person, government, organisation or unnamed_official; affiliation is an ISO alpha-2 code (TR); based_at a venue id.",
    "contacts: participants is `actor:part; actor:part` (parts: host, guest, mediator, speaker, caller, addressee, participant, initiator, target).",
    "contacts: the time is one shape: `at`; `on` (+ `part`); `time_from` + `time_to`; `earliest` + `latest`; `as_of` (+ `since`). `tz` is optional.",
    "contacts: dates are 2026-03-01, date-times 2026-03-01T14:00:00Z or 2026-03-01T14:00 (read in the venue's zone).",
    "contacts: or a time relative to another contact: `after` (or `before`) its id, with `by` (2d, 6h, 1w); or to a report's date: `report` a source id, with `span` (later this week, next week, 3d) and optionally `week_starts` (sunday).",
    "sources: published and retrieved are dates or date-times; grade is the Admiralty grade, a letter A-F (reliability) and a digit 1-6 (credibility): B2.",
    "accounts: one row per other account of a contact: contact (its id), asserts (a status), sources (as a contact's), and its own venue and time (`at`, `on`, ...) when they differ.",
    "contacts: sources is one line (or `|`) per source: `source-id` or `source-id: what it says`. quotes is one line (or `|`) per quote: `speaker-id: words`.",
    "A row whose id is blank and whose other cells are blank is skipped; the example rows may be overwritten or deleted.",
];

/// The start of the format name of every file read here, as the summary names it.
pub const FORMAT: &str = "demarche template";

/// Whether a file is a workbook (XLSX and ODS are ZIP archives) or a CSV file with a template header.
pub fn is_sheet_file(path: &Path) -> bool {
    let Ok(head) = read_head(path) else {
        return false;
    };
    workbook_kind(&head).is_some() || !csv_tables(&head).is_empty()
}

/// The kind of workbook a file starting with `head` is: a ZIP archive whose first entries are an XLSX's
/// (`[Content_Types].xml`, `_rels/`, `xl/`) or an ODS's (its `mimetype` entry), told from the content.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Workbook {
    Xlsx,
    Ods,
}

fn workbook_kind(head: &[u8]) -> Option<Workbook> {
    if !head.starts_with(b"PK\x03\x04") {
        return None;
    }
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"application/vnd.oasis.opendocument.spreadsheet") {
        Some(Workbook::Ods)
    } else if has(b"[Content_Types].xml") || has(b"_rels/") || has(b"xl/") {
        Some(Workbook::Xlsx)
    } else {
        None
    }
}

fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(4096)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// The tables a CSV file's header may be: its first line holds `id` and every other column is one of
/// the table's (`kind` and `status` make it contacts; `outlet` sources; `lon` venues; ...). Most used
/// columns first; a header such as `id,name,kind` fits both venues and actors.
fn csv_tables(head: &[u8]) -> Vec<&'static str> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(line) = head.split(|&b| b == b'\n').next() else {
        return Vec::new();
    };
    let line = String::from_utf8_lossy(line);
    let names: Vec<String> = line
        .trim_end_matches('\r')
        .split(',')
        .map(|n| n.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    // Every table has an `id`, but the accounts, which name their `contact`.
    if !names.iter().any(|n| n == "id" || n == "contact") {
        return Vec::new();
    }
    let used = |cols: &[&str]| names.iter().filter(|n| cols.contains(&n.as_str())).count();
    let mut fits: Vec<(&'static str, usize)> = COLUMNS
        .iter()
        .filter(|(_, cols)| {
            names
                .iter()
                .all(|n| n.is_empty() || cols.contains(&n.as_str()))
        })
        .filter(|(table, _)| *table != "scenario" || names.iter().any(|n| n == "title"))
        .filter(|(table, _)| (*table == "accounts") == names.iter().any(|n| n == "contact"))
        .map(|(table, cols)| (*table, used(cols)))
        .collect();
    let best = fits.iter().map(|(_, n)| *n).max().unwrap_or(0);
    fits.retain(|(_, n)| *n == best);
    fits.into_iter().map(|(t, _)| t).collect()
}

/// The table of a CSV file: by its header, and when the header fits two tables (`id,name`), by the file's
/// name (`venues.csv`, `my-actors.csv`).
fn csv_table_of(path: &Path, head: &[u8]) -> Result<&'static str, String> {
    let fits = csv_tables(head);
    match fits.as_slice() {
        [] => Err("this CSV file's header is not one of the template's tables".to_owned()),
        [one] => Ok(one),
        several => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            several
                .iter()
                .find(|t| stem.contains(t.trim_end_matches('s')))
                .copied()
                .ok_or_else(|| {
                    format!(
                        "this CSV file's header fits the {} tables: name the file after one (venues.csv) or add a column only it has (lon and lat for venues, affiliation for actors)",
                        several.join(" and ")
                    )
                })
        }
    }
}

#[cfg(test)]
fn csv_table(head: &[u8]) -> Option<&'static str> {
    match csv_tables(head).as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// One cell: its text, and where it is, as a problem names it.
#[derive(Clone, Debug)]
struct Cell {
    text: String,
    /// `story.xlsx:contacts!C4`, or for CSV the file name with line and column in `line`/`column`.
    place: Place,
}

#[derive(Clone, Debug)]
struct Place {
    file: String,
    line: u64,
    column: usize,
}

/// A row of a table: its cells by column name, and where the row is.
#[derive(Debug)]
struct Row {
    cells: BTreeMap<&'static str, Cell>,
    place: Place,
}

/// The rows read for each table.
#[derive(Debug, Default)]
struct Tables {
    rows: BTreeMap<&'static str, Vec<Row>>,
}

/// The column letters of a spreadsheet: 0 is A, 26 is AA.
fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

fn workbook_place(file: &str, sheet: &str, row: usize, col: usize) -> Place {
    Place {
        file: format!("{file}:{sheet}!{}{}", column_letters(col), row + 1),
        line: 0,
        column: 0,
    }
}

fn problem(place: &Place, severity: Severity, message: String, field: &str) -> Problem {
    Problem {
        severity,
        file: place.file.clone(),
        line: place.line,
        column: place.column,
        message,
        field: field.to_owned(),
        hint: None,
    }
}

/// Maps a header to its table's columns; unknown names are reported.
fn header_columns(
    table: &'static str,
    header: &[String],
    place_of: &dyn Fn(usize) -> Place,
    problems: &mut Problems,
) -> Vec<Option<&'static str>> {
    let columns = COLUMNS
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(&[][..], |(_, c)| *c);
    header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = name.trim().to_ascii_lowercase();
            if name.is_empty() {
                return None;
            }
            let found = columns.iter().find(|c| **c == name).copied();
            if found.is_none() {
                let mut p = problem(
                    &place_of(i),
                    Severity::Warning,
                    format!("unknown column `{name}` in the {table} table: ignored"),
                    &name,
                );
                p.hint = Some(
                    crate::diagnostics::did_you_mean(&name, columns.iter().copied())
                        .unwrap_or_else(|| format!("the columns are: {}", columns.join(", "))),
                );
                problems.push(p);
            }
            found
        })
        .collect()
}

fn push_rows(
    tables: &mut Tables,
    table: &'static str,
    grid: Vec<Vec<String>>,
    place_of: &dyn Fn(usize, usize) -> Place,
    problems: &mut Problems,
) -> u64 {
    let mut rows = grid.into_iter().enumerate();
    let Some((_, header)) = rows.next() else {
        return 0;
    };
    let columns = header_columns(table, &header, &|c| place_of(0, c), problems);
    let mut read = 0;
    for (r, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        read += 1;
        let mut row = Row {
            cells: BTreeMap::new(),
            place: place_of(r, 0),
        };
        for (c, text) in cells.into_iter().enumerate() {
            if let Some(Some(name)) = columns.get(c) {
                let text = text.trim().to_owned();
                if !text.is_empty() {
                    row.cells.insert(
                        name,
                        Cell {
                            text,
                            place: place_of(r, c),
                        },
                    );
                }
            }
        }
        tables.rows.entry(table).or_default().push(row);
    }
    read
}

fn file_name(path: &Path) -> String {
    path.display().to_string()
}

/// Reads a CSV file of one table.
fn read_csv(
    path: &Path,
    tables: &mut Tables,
    problems: &mut Problems,
) -> Result<FileCounts, ImportError> {
    let name = file_name(path);
    let err = |message: String| ImportError::File {
        file: name.clone(),
        message,
        hint: None,
    };
    let head = read_head(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let table = csv_table_of(path, &head).map_err(|message| ImportError::File {
        file: name.clone(),
        message,
        hint: Some("run `demarche template DIR` to see the headers".to_owned()),
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| err(format!("cannot open: {e}")))?;
    let mut grid = Vec::new();
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| err(format!("cannot read: {e}")))?;
        lines.push(record.position().map_or(0, csv::Position::line));
        let mut cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if grid.is_empty()
            && let Some(first) = cells.first_mut()
        {
            *first = first.trim_start_matches('\u{feff}').to_owned();
        }
        grid.push(cells);
    }
    let place_of = |r: usize, c: usize| Place {
        file: name.clone(),
        line: lines.get(r).copied().unwrap_or(0),
        column: c + 1,
    };
    let read = push_rows(tables, table, grid, &place_of, problems);
    Ok(FileCounts {
        file: name.clone(),
        format: format!("demarche template, {table} (CSV)"),
        read,
        ..FileCounts::default()
    })
}

/// A workbook cell as text: dates as `2026-03-01` or `2026-03-01T14:00:00`, whole numbers without `.0`.
fn cell_text(data: &calamine::Data) -> String {
    use calamine::Data;
    match data {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
    }
}

/// An Excel serial date (days since 1899-12-30) as an ISO date, or date-time when it has a time of day.
fn excel_date(serial: f64) -> String {
    let days = serial.floor();
    let seconds = ((serial - days) * 86_400.0).round() as i64;
    let base = jiff::civil::date(1899, 12, 30);
    let Ok(date) = base.checked_add(jiff::Span::new().days(days as i64)) else {
        return serial.to_string();
    };
    if seconds == 0 {
        date.to_string()
    } else {
        let time = jiff::civil::Time::midnight()
            .checked_add(jiff::Span::new().seconds(seconds.min(86_399)))
            .unwrap_or_default();
        format!("{date}T{}", time.strftime("%H:%M:%S"))
    }
}

/// Reads the template's sheets of an XLSX or ODS workbook.
fn read_workbook(
    path: &Path,
    kind: Workbook,
    tables: &mut Tables,
    problems: &mut Problems,
) -> Result<FileCounts, ImportError> {
    use calamine::Reader;
    let name = file_name(path);
    let err = |message: String, hint: Option<&str>| ImportError::File {
        file: name.clone(),
        message,
        hint: hint.map(str::to_owned),
    };
    let hint = Some(
        "demarche reads XLSX and ODS workbooks in its template (`demarche template story.xlsx`)",
    );
    // By the content, not the name: a workbook saved without its extension is read too.
    let mut workbook: calamine::Sheets<_> = match kind {
        Workbook::Xlsx => calamine::open_workbook::<calamine::Xlsx<_>, _>(path)
            .map(calamine::Sheets::Xlsx)
            .map_err(|e| err(format!("cannot read this XLSX workbook: {e}"), hint))?,
        Workbook::Ods => calamine::open_workbook::<calamine::Ods<_>, _>(path)
            .map(calamine::Sheets::Ods)
            .map_err(|e| err(format!("cannot read this ODS workbook: {e}"), hint))?,
    };
    let mut read = 0;
    let mut found = Vec::new();
    for sheet in workbook.sheet_names() {
        let Some(table) = COLUMNS
            .iter()
            .map(|(t, _)| *t)
            .find(|t| t.eq_ignore_ascii_case(sheet.trim()))
        else {
            continue;
        };
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| err(format!("cannot read sheet `{sheet}`: {e}"), None))?;
        let (row0, col0) = range
            .start()
            .map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let grid: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        let place_of = |r: usize, c: usize| workbook_place(&name, &sheet, row0 + r, col0 + c);
        read += push_rows(tables, table, grid, &place_of, problems);
        found.push(table);
    }
    if found.is_empty() {
        return Err(err(
            "this workbook has none of the template's sheets (scenario, sources, venues, actors, contacts, accounts)"
                .to_owned(),
            Some("`demarche template story.xlsx` writes the template"),
        ));
    }
    Ok(FileCounts {
        file: name.clone(),
        format: format!("demarche template ({})", found.join(", ")),
        read,
        ..FileCounts::default()
    })
}

/// Where each value of the document came from: `(table, index)` to the row, and the cells by field; an
/// account's row by its contact's index and its own among the contact's accounts.
#[derive(Default)]
struct Origins<'a> {
    rows: BTreeMap<(&'static str, usize), &'a Row>,
    accounts: BTreeMap<(usize, usize), &'a Row>,
}

/// Splits a list cell on newlines and `|` (and `;` when `semicolons`).
fn items(text: &str, semicolons: bool) -> Vec<&str> {
    text.split(|c| c == '\n' || c == '|' || (semicolons && (c == ';' || c == ',')))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The document's value of one field, from its cell (numbers for the numeric fields, lists parsed).
fn field_value(table: &str, field: &str, cell: &Cell, problems: &mut Problems) -> Option<Value> {
    let text = cell.text.as_str();
    let bad = |problems: &mut Problems, message: String| {
        problems.push(problem(&cell.place, Severity::Error, message, field));
        None
    };
    match (table, field) {
        ("venues", "lon" | "lat" | "radius_km") => match text.replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() => Some(json!(v)),
            _ => bad(problems, format!("`{text}` is not a number")),
        },
        ("venues", "polygon") => {
            let mut points = Vec::new();
            for point in items(text, false).iter().flat_map(|s| s.split(';')) {
                let nums: Vec<Option<f64>> = point
                    .split([' ', ','])
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse::<f64>().ok())
                    .collect();
                match nums.as_slice() {
                    [Some(lon), Some(lat)] => points.push(json!([lon, lat])),
                    [] => {}
                    _ => {
                        return bad(
                            problems,
                            format!("`{}` is not a point `lon lat`", point.trim()),
                        );
                    }
                }
            }
            Some(Value::Array(points))
        }
        ("contacts", "participants") => {
            let mut list = Vec::new();
            for item in items(text, true) {
                match item.split_once(':') {
                    Some((actor, part)) if !actor.trim().is_empty() && !part.trim().is_empty() => {
                        list.push(json!({"actor": actor.trim(), "part": part.trim()}));
                    }
                    _ => {
                        return bad(
                            problems,
                            format!("`{item}` is not `actor:part` (e.g. `envoy:guest`)"),
                        );
                    }
                }
            }
            Some(Value::Array(list))
        }
        ("contacts" | "accounts", "sources") => Some(Value::Array(
            items(text, false)
                .into_iter()
                .map(|item| match item.split_once(':') {
                    Some((id, says)) if !says.trim().is_empty() && !id.contains("//") => {
                        json!({"source": id.trim(), "says": says.trim()})
                    }
                    _ => json!({"source": item.trim_end_matches(':').trim()}),
                })
                .collect(),
        )),
        ("contacts", "quotes") => {
            let mut list = Vec::new();
            for item in items(text, false) {
                match item.split_once(':') {
                    Some((speaker, words)) if !words.trim().is_empty() => {
                        list.push(json!({"speaker": speaker.trim(), "text": words.trim()}));
                    }
                    _ => {
                        return bad(problems, format!("`{item}` is not `speaker-id: words`"));
                    }
                }
            }
            Some(Value::Array(list))
        }
        _ => Some(Value::String(text.to_owned())),
    }
}

/// The time fields of a contact (or account) row and their key in the document's `time` table.
const TIME_FIELDS: [(&str, &str); 16] = [
    ("at", "at"),
    ("on", "on"),
    ("part", "part"),
    ("time_from", "from"),
    ("time_to", "to"),
    ("earliest", "earliest"),
    ("latest", "latest"),
    ("as_of", "as_of"),
    ("since", "since"),
    ("tz", "tz"),
    ("after", "after"),
    ("before", "before"),
    ("by", "by"),
    ("report", "report"),
    ("span", "span"),
    ("week_starts", "week_starts"),
];

fn object_of(table: &str, row: &Row, problems: &mut Problems) -> Map<String, Value> {
    let mut object = Map::new();
    let mut time = Map::new();
    for (field, cell) in &row.cells {
        let Some(value) = field_value(table, field, cell, problems) else {
            continue;
        };
        match TIME_FIELDS.iter().find(|(f, _)| f == field) {
            Some((_, key)) if matches!(table, "contacts" | "accounts") => {
                time.insert((*key).to_owned(), value);
            }
            _ => {
                object.insert((*field).to_owned(), value);
            }
        }
    }
    // A contact has a time (the validator says when it is missing); an account only when it differs.
    if table == "contacts" || !time.is_empty() {
        object.insert("time".to_owned(), Value::Object(time));
    }
    object
}

/// A venue row with a name and no position (a city, a capital, or no kind) is placed from the gazetteer:
/// its position, zone and country are filled in, and the match is reported in `placed`. A name that fits
/// several cities, or none, is an error at the name's cell listing the candidates: never a guess.
fn place_by_name(
    row: &Row,
    object: &mut Map<String, Value>,
    problems: &mut Problems,
    placed: &mut Vec<String>,
) {
    use super::gazetteer::{Gazetteer, Match};
    let text = |field: &str| row.cells.get(field).map(|c| c.text.as_str());
    let kind = text("kind").unwrap_or("");
    let (Some(name_cell), None, None) = (row.cells.get("name"), text("lon"), text("lat")) else {
        return;
    };
    if !matches!(kind, "" | "city" | "capital") {
        return;
    }
    let country = text("country");
    let id = text("id").unwrap_or("");
    let fail = |problems: &mut Problems, message: String, hint: String| {
        let mut p = problem(&name_cell.place, Severity::Error, message, "name");
        p.hint = Some(hint);
        problems.push(p);
    };
    let within = country.map_or_else(String::new, |c| format!(" in {c}"));
    match Gazetteer::embedded().find(&name_cell.text, country) {
        Match::Found(city) => {
            object.insert("lon".to_owned(), json!(city.lon));
            object.insert("lat".to_owned(), json!(city.lat));
            object
                .entry("time_zone")
                .or_insert_with(|| json!(city.time_zone));
            object
                .entry("country")
                .or_insert_with(|| json!(city.country));
            object.entry("kind").or_insert_with(|| json!("city"));
            placed.push(format!(
                "venue `{id}` (`{}`) placed from the gazetteer: {}",
                name_cell.text,
                city.describe()
            ));
        }
        Match::Ambiguous(cities) => {
            let countries: Vec<&str> = cities.iter().map(|c| c.country.as_str()).collect();
            let list: Vec<String> = cities.iter().take(10).map(|c| c.describe()).collect();
            fail(
                problems,
                format!(
                    "`{}` names {} cities{within} in the gazetteer, so the venue is not placed: {}",
                    name_cell.text,
                    cities.len(),
                    list.join("; ")
                ),
                if country.is_none() && countries.windows(2).any(|w| w[0] != w[1]) {
                    format!(
                        "give the venue's country ({}), or its lon and lat",
                        countries.join(", ")
                    )
                } else {
                    "give the venue's lon and lat".to_owned()
                },
            );
        }
        Match::Unknown => fail(
            problems,
            format!(
                "`{}` is not a city{within} in the gazetteer (GeoNames' cities of 15,000 or more), so the venue is not placed",
                name_cell.text
            ),
            "check the spelling, or give the venue's lon and lat".to_owned(),
        ),
    }
}

/// The cell a validator's path (`contacts[3].time.on`, `venues[0].lon`, `contacts[3].accounts[0].asserts`)
/// points at, else its row.
fn place_of_path<'a>(path: &str, origins: &Origins<'a>) -> Option<(&'a Place, String)> {
    let (table, rest) = path.split_once('[')?;
    let (index, rest) = rest.split_once(']')?;
    let index: usize = index.parse().ok()?;
    let row = *origins.rows.get(&(table_name(table)?, index))?;
    let rest = rest.trim_start_matches('.');
    if let Some(account) = rest.strip_prefix("accounts[")
        && let Some((j, rest)) = account.split_once(']')
        && let Some(row) = j
            .parse::<usize>()
            .ok()
            .and_then(|j| origins.accounts.get(&(index, j)))
    {
        return Some(place_in_row(row, rest.trim_start_matches('.')));
    }
    Some(place_in_row(row, rest))
}

/// The cell of `row` that the rest of a path (`time.on`, `venue`) names, else the row.
fn place_in_row<'a>(row: &'a Row, rest: &str) -> (&'a Place, String) {
    let first = rest.split(['.', '[']).next().unwrap_or("").to_owned();
    let field = if first == "time" {
        let sub = rest.trim_start_matches("time").trim_start_matches('.');
        let sub = sub.split(['.', '[']).next().unwrap_or("");
        TIME_FIELDS
            .iter()
            .find(|(_, k)| *k == sub)
            .map_or("on", |(f, _)| f)
            .to_owned()
    } else {
        first
    };
    match row.cells.get(field.as_str()) {
        Some(cell) => (&cell.place, field),
        None => (&row.place, field),
    }
}

fn table_name(name: &str) -> Option<&'static str> {
    COLUMNS.iter().map(|(t, _)| *t).find(|t| *t == name)
}

/// Imports template spreadsheets (XLSX, ODS, or CSV files of one table each) into a scenario.
pub fn import(paths: &[PathBuf]) -> Result<Imported, ImportError> {
    let mut problems = Problems::default();
    let mut tables = Tables::default();
    let mut summary = Summary::default();
    for path in paths {
        let head = read_head(path).map_err(|e| ImportError::File {
            file: file_name(path),
            message: format!("cannot read: {e}"),
            hint: None,
        })?;
        let counts = if let Some(kind) = workbook_kind(&head) {
            read_workbook(path, kind, &mut tables, &mut problems)?
        } else {
            read_csv(path, &mut tables, &mut problems)?
        };
        summary.files.push(counts);
    }
    let mut doc = Map::new();
    doc.insert("format".to_owned(), json!(crate::io::scenario::FORMAT));
    doc.insert("version".to_owned(), json!(crate::io::scenario::VERSION));
    let empty = Vec::new();
    let scenario_rows = tables.rows.get("scenario").unwrap_or(&empty);
    let mut scenario = scenario_rows
        .first()
        .map(|row| object_of("scenario", row, &mut problems))
        .unwrap_or_default();
    if let Some(extra) = scenario_rows.get(1) {
        problems.push(problem(
            &extra.place,
            Severity::Warning,
            "the scenario table has more than one row: only the first is read".to_owned(),
            "",
        ));
    }
    let title = super::title_of(paths);
    scenario.entry("title").or_insert_with(|| json!(title));
    scenario.entry("id").or_insert_with(|| json!(slug(&title)));
    doc.insert("scenario".to_owned(), Value::Object(scenario));
    let mut origins = Origins::default();
    for table in ["sources", "venues", "actors", "contacts"] {
        let rows = tables.rows.get(table).unwrap_or(&empty);
        let mut list: Vec<Value> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                origins.rows.insert((table, i), row);
                let mut object = object_of(table, row, &mut problems);
                if table == "venues" {
                    place_by_name(row, &mut object, &mut problems, &mut summary.placed);
                }
                Value::Object(object)
            })
            .collect();
        if table == "contacts" {
            let accounts = tables.rows.get("accounts").unwrap_or(&empty);
            join_accounts(rows, accounts, &mut list, &mut origins, &mut problems);
        }
        doc.insert(table.to_owned(), Value::Array(list));
    }
    let text = serde_json::to_string(&Value::Object(doc)).unwrap_or_default();
    let (scenario, report) = match crate::io::scenario::parse("<template>", &text) {
        Ok(loaded) => (Some(loaded.scenario), loaded.report),
        Err(report) => (None, report),
    };
    for diagnostic in &report.diagnostics {
        let (place, field) = place_of_path(&diagnostic.path, &origins).map_or_else(
            || {
                (
                    Place {
                        file: paths.first().map(|p| file_name(p)).unwrap_or_default(),
                        line: 0,
                        column: 0,
                    },
                    diagnostic.path.clone(),
                )
            },
            |(p, f)| (p.clone(), f),
        );
        let mut p = problem(
            &place,
            diagnostic.severity,
            diagnostic.message.clone(),
            &field,
        );
        p.hint = diagnostic.hint.clone();
        problems.push(p);
    }
    let has_errors = problems.error_count() > 0;
    let contacts = tables.rows.get("contacts").map_or(0, Vec::len) as u64;
    for counts in &mut summary.files {
        counts.kept = if has_errors { 0 } else { counts.read };
        if has_errors && counts.read > 0 {
            counts
                .dropped
                .insert("the spreadsheet has errors".to_owned(), counts.read);
        }
    }
    // With errors, an empty scenario: `demarche import` then writes nothing, and says why.
    let scenario = match scenario {
        Some(scenario) if !has_errors => scenario,
        _ => empty_scenario().ok_or(ImportError::NothingKept)?,
    };
    summary.contacts = scenario.contacts.len();
    let _ = contacts;
    Ok(Imported {
        scenario,
        summary,
        problems,
    })
}

/// Puts each row of the accounts table in its contact's `accounts` (the contact named by its `contact`
/// cell, among `contacts`, the contacts' rows, whose objects are `list`). A row naming no contact, or one
/// not in the contacts table, is an error at that cell.
fn join_accounts<'a>(
    contacts: &'a [Row],
    accounts: &'a [Row],
    list: &mut [Value],
    origins: &mut Origins<'a>,
    problems: &mut Problems,
) {
    let ids: BTreeMap<&str, usize> = contacts
        .iter()
        .enumerate()
        .filter_map(|(i, row)| Some((row.cells.get("id")?.text.as_str(), i)))
        .collect();
    for row in accounts {
        let Some(cell) = row.cells.get("contact") else {
            let mut p = problem(
                &row.place,
                Severity::Error,
                "an account names the `contact` it is an account of".to_owned(),
                "contact",
            );
            p.hint = Some("write the contact's id in the `contact` column".to_owned());
            problems.push(p);
            continue;
        };
        let Some(&i) = ids.get(cell.text.as_str()) else {
            let mut p = problem(
                &cell.place,
                Severity::Error,
                format!("no contact has the id `{}`", cell.text),
                "contact",
            );
            p.hint = Some(
                crate::diagnostics::did_you_mean(&cell.text, ids.keys().copied()).unwrap_or_else(
                    || "an account belongs to a contact of the contacts table".to_owned(),
                ),
            );
            problems.push(p);
            continue;
        };
        let mut object = object_of("accounts", row, problems);
        object.remove("contact");
        let Some(Value::Object(contact)) = list.get_mut(i) else {
            continue;
        };
        let Value::Array(list) = contact
            .entry("accounts")
            .or_insert_with(|| Value::Array(Vec::new()))
        else {
            continue;
        };
        origins.accounts.insert((i, list.len()), row);
        list.push(Value::Object(object));
    }
}

fn empty_scenario() -> Option<crate::model::Scenario> {
    let text = json!({
        "format": crate::io::scenario::FORMAT,
        "version": crate::io::scenario::VERSION,
        "scenario": {"id": "empty", "title": "empty"},
    })
    .to_string();
    crate::io::scenario::parse("<empty>", &text)
        .ok()
        .map(|loaded| loaded.scenario)
}

/// A scenario id from a title: lower-case letters and digits, joined by `-`.
fn slug(title: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "imported".to_owned()
    } else {
        slug
    }
}

/// Writes the empty template: an XLSX workbook (`story.xlsx`), or a folder of CSV files (`DIR/`), each
/// table with its header row and an example row, and a notes sheet (`notes.txt` beside the CSV files).
pub fn write_template(path: &Path) -> Result<Vec<PathBuf>, String> {
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        write_xlsx(path).map(|()| vec![path.to_owned()])
    } else if path.extension().is_none() || path.is_dir() {
        write_csv_folder(path)
    } else {
        Err(format!(
            "{}: the template is written as an .xlsx workbook or a folder of CSV files",
            path.display()
        ))
    }
}

fn write_xlsx(path: &Path) -> Result<(), String> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for ((table, columns), example) in COLUMNS.iter().zip(EXAMPLES) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*table).map_err(e)?;
        for (c, name) in columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *name, &bold)
                .map_err(e)?;
            sheet.set_column_width(c as u16, 18).map_err(e)?;
        }
        for (c, value) in example.iter().enumerate() {
            sheet.write_string(1, c as u16, *value).map_err(e)?;
        }
    }
    let notes = workbook.add_worksheet();
    notes.set_name("notes").map_err(e)?;
    notes.set_column_width(0, 140).map_err(e)?;
    for (r, line) in NOTES.iter().enumerate() {
        notes.write_string(r as u32, 0, *line).map_err(e)?;
    }
    let buffer = workbook.save_to_buffer().map_err(e)?;
    write_whole(path, &buffer)
}

fn write_csv_folder(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for ((table, columns), example) in COLUMNS.iter().zip(EXAMPLES) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let io = |e: csv::Error| e.to_string();
        writer.write_record(*columns).map_err(io)?;
        writer.write_record(example).map_err(io)?;
        let bytes = writer.into_inner().map_err(|e| e.to_string())?;
        let path = dir.join(format!("{table}.csv"));
        write_whole(&path, &bytes)?;
        written.push(path);
    }
    let path = dir.join("notes.txt");
    write_whole(&path, (NOTES.join("\n") + "\n").as_bytes())?;
    written.push(path);
    Ok(written)
}

/// A temporary file beside `path`, then renamed into place: never a half file.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut file = tempfile::Builder::new()
        .prefix(".demarche-template-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn excel_serial_dates_become_iso_dates() {
        assert_eq!(excel_date(46082.0), "2026-03-01");
        assert_eq!(excel_date(46082.5), "2026-03-01T12:00:00");
    }

    #[test]
    fn a_csv_header_names_its_table() {
        assert_eq!(csv_table(b"id,kind,status,title,on\n"), Some("contacts"));
        assert_eq!(csv_table(b"ID,Outlet,published\n"), Some("sources"));
        assert_eq!(csv_table(b"id,name,kind,lon,lat\n"), Some("venues"));
        assert_eq!(csv_table(b"id,name,kind,affiliation\n"), Some("actors"));
        assert_eq!(csv_table(b"GLOBALEVENTID,SQLDATE\n"), None);
    }

    #[test]
    fn a_header_that_fits_two_tables_is_told_by_the_file_name_or_refused() {
        assert_eq!(csv_tables(b"id,name\n"), ["venues", "actors"]);
        assert_eq!(
            csv_table_of(Path::new("my-venues.csv"), b"id,name\n"),
            Ok("venues")
        );
        assert_eq!(
            csv_table_of(Path::new("people_actor.csv"), b"id,name\n"),
            Ok("actors")
        );
        let err = csv_table_of(Path::new("list.csv"), b"id,name\n").expect_err("ambiguous");
        assert!(err.contains("venues and actors"), "{err}");
    }
}
