//! Which dataset a file holds, told from its first line: the number of tab-separated fields of a file with
//! no header (GDELT: 61 for 2.0 events, 57 or 58 for 1.0, 16 for mentions), or the names of its header
//! (BigQuery exports of GDELT in any case, ACLED's layouts, ICEWS). A Parquet file (its `PAR1` magic) is
//! told by its schema's column names as a text file by its header. The file's name is never looked at.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

use super::ImportError;

/// A file's format, and how to find its columns.
#[derive(Clone, Debug, PartialEq)]
pub enum Format {
    /// GDELT events with no header: the columns are found by each row's width (61, 58 or 57).
    GdeltEvents,
    /// GDELT events with a header (a BigQuery export, or a copy a user headed): columns by name.
    GdeltEventsHeaded {
        delimiter: u8,
    },
    GdeltMentions,
    GdeltMentionsHeaded {
        delimiter: u8,
    },
    /// ACLED, any layout: columns by name.
    Acled {
        delimiter: u8,
    },
    /// ICEWS, tab-separated with a header.
    Icews {
        delimiter: u8,
    },
}

impl Format {
    pub fn is_mentions(&self) -> bool {
        matches!(self, Self::GdeltMentions | Self::GdeltMentionsHeaded { .. })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::GdeltEvents => "GDELT events (no header)",
            Self::GdeltEventsHeaded { .. } => "GDELT events with a header (BigQuery export)",
            Self::GdeltMentions => "GDELT 2.0 mentions (no header)",
            Self::GdeltMentionsHeaded { .. } => "GDELT 2.0 mentions with a header",
            Self::Acled { .. } => "ACLED",
            Self::Icews { .. } => "ICEWS",
        }
    }

    /// Whether the file's first record is its header.
    pub fn has_header(&self) -> bool {
        !matches!(self, Self::GdeltEvents | Self::GdeltMentions)
    }

    pub fn delimiter(&self) -> u8 {
        match self {
            Self::GdeltEvents | Self::GdeltMentions => b'\t',
            Self::GdeltEventsHeaded { delimiter }
            | Self::GdeltMentionsHeaded { delimiter }
            | Self::Acled { delimiter }
            | Self::Icews { delimiter } => *delimiter,
        }
    }
}

/// Why a file cannot be imported at all.
#[derive(Debug)]
pub struct FileError {
    pub message: String,
    pub hint: Option<String>,
}

impl FileError {
    pub fn new(message: impl Into<String>, hint: Option<&str>) -> Self {
        Self {
            message: message.into(),
            hint: hint.map(str::to_owned),
        }
    }

    pub fn for_file(self, path: &Path) -> ImportError {
        ImportError::File {
            file: path.display().to_string(),
            message: self.message,
            hint: self.hint,
        }
    }
}

/// The bytes looked at to tell the format.
const PEEK_BYTES: u64 = 64 * 1024;

/// How a file holds its table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Container {
    /// Delimited text, a record a line (quoted fields may span lines).
    Text,
    /// A Parquet file: the header is its schema's column names.
    Parquet,
}

/// Opens `path` and tells its format from its first line, or from its schema when it is a Parquet file
/// (told by its `PAR1` magic).
pub fn detect_file(path: &Path) -> Result<(Format, Container), FileError> {
    let file =
        std::fs::File::open(path).map_err(|e| FileError::new(format!("cannot open: {e}"), None))?;
    let mut head = Vec::new();
    BufReader::new(file)
        .take(PEEK_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| FileError::new(format!("cannot read: {e}"), None))?;
    if head.starts_with(super::parquet_rows::MAGIC) {
        let rows = super::parquet_rows::Rows::open(path)?;
        // The column names as a tab-separated header line: told apart as a text file's header is.
        let header = rows.names().join("\t");
        let format = detect(header.as_bytes()).map_err(|e| FileError {
            message: format!("a Parquet file: {}", e.message),
            hint: e.hint,
        })?;
        return Ok((format, Container::Parquet));
    }
    Ok((detect(&head)?, Container::Text))
}

/// The format of a file that starts with `head`.
pub fn detect(head: &[u8]) -> Result<Format, FileError> {
    const FORMATS: &str = "demarche import reads GDELT events (61, 58 or 57 tab-separated columns) and \
                           mentions (16), their BigQuery exports with a header, ACLED CSV and ICEWS files, as text or \
                           Parquet";
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first_line = match head.iter().position(|&b| b == b'\n') {
        Some(end) => &head[..end],
        None => head,
    };
    let first_line = first_line.strip_suffix(b"\r").unwrap_or(first_line);
    if first_line.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::new(
            "the file is empty, or its first line is blank",
            Some(FORMATS),
        ));
    }
    if looks_binary(head) {
        return Err(FileError::new(
            "this is not a text file (it holds NUL or control bytes)",
            Some("a compressed download (.zip, .gz) must be unpacked first"),
        ));
    }
    let line = String::from_utf8_lossy(first_line);
    // A TOML scenario often opens with comments: its first other line tells.
    let first_statement = String::from_utf8_lossy(head)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned);
    if looks_like_scenario(&line)
        || (line.starts_with('#') && first_statement.is_some_and(|l| looks_like_scenario(&l)))
    {
        return Err(FileError::new(
            "this looks like a demarche scenario (JSON or TOML), not an event file",
            Some(
                "open a scenario with File > Open or `demarche SCENARIO`; to add events to it, run \
                 `demarche import EVENTS --into SCENARIO.json -o OUT.json`",
            ),
        ));
    }
    let tabs = line.matches('\t').count();
    let commas = line.matches(',').count();
    let first = line.split(['\t', ',']).next().unwrap_or("");
    let headless = !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit());
    if headless {
        if tabs == 0 {
            return Err(FileError::new(
                format!(
                    "the first line starts with a number but has no tabs ({} commas): not a GDELT file \
                     with no header",
                    commas
                ),
                Some(FORMATS),
            ));
        }
        return match tabs + 1 {
            61 | 57 | 58 => Ok(Format::GdeltEvents),
            16 => Ok(Format::GdeltMentions),
            n => Err(FileError::new(
                format!("the first line has {n} tab-separated columns and no header"),
                Some(
                    "GDELT 2.0 events have 61 columns, GDELT 1.0 events 57 or 58, GDELT 2.0 mentions 16; \
                     a GKG file is not an event file",
                ),
            )),
        };
    }
    let delimiter = if tabs > commas { b'\t' } else { b',' };
    let names: Vec<String> = line
        .split(delimiter as char)
        .map(|n| normalise(n.trim_matches('"')))
        .collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("globaleventid") || has("globaleventsid") {
        if has("mentionidentifier") || has("mentiontimedate") {
            return Ok(Format::GdeltMentionsHeaded { delimiter });
        }
        return Ok(Format::GdeltEventsHeaded { delimiter });
    }
    if has("eventidcnty") || (has("eventtype") && has("actor1") && has("geoprecision")) {
        return Ok(Format::Acled { delimiter });
    }
    if has("cameocode") && has("sourcename") {
        return Ok(Format::Icews { delimiter });
    }
    Err(FileError::new(
        format!(
            "unknown format: the header `{}` is not that of a GDELT, ACLED or ICEWS file",
            truncate(&line, 80)
        ),
        Some(FORMATS),
    ))
}

/// A header name as matched: lower case, letters and digits only (`Actor1Geo_Type` -> `actor1geotype`,
/// `Event ID` -> `eventid`).
pub fn normalise(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The columns of a header, by normalised name.
pub fn header_columns(names: impl Iterator<Item = String>) -> HashMap<String, usize> {
    let mut columns = HashMap::new();
    for (i, name) in names.enumerate() {
        columns.entry(normalise(&name)).or_insert(i);
    }
    columns
}

/// A first line as a scenario file starts: a JSON object, a TOML table or `key = value`.
fn looks_like_scenario(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('{')
        || (line.starts_with('[') && line.ends_with(']') && !line.contains(','))
        || line.split_once('=').is_some_and(|(key, _)| {
            let key = key.trim();
            !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// NUL bytes, or many control characters: a binary file.
fn looks_binary(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        .count();
    sample.contains(&0) || controls * 20 > sample.len()
}

fn truncate(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(columns: usize) -> String {
        let mut fields = vec![String::new(); columns];
        fields[0] = "410412347".to_owned();
        fields.join("\t")
    }

    #[test]
    fn gdelt_is_told_by_its_width() {
        assert_eq!(detect(row(61).as_bytes()).ok(), Some(Format::GdeltEvents));
        assert_eq!(detect(row(58).as_bytes()).ok(), Some(Format::GdeltEvents));
        assert_eq!(detect(row(57).as_bytes()).ok(), Some(Format::GdeltEvents));
        assert_eq!(detect(row(16).as_bytes()).ok(), Some(Format::GdeltMentions));
        let err = detect(row(27).as_bytes()).expect_err("27 columns");
        assert!(
            err.message.contains("27 tab-separated columns"),
            "{}",
            err.message
        );
    }

    #[test]
    fn headers_are_matched_in_any_case() {
        let bq = b"GLOBALEVENTID,SQLDATE,Actor1Code\n1,2,3\n";
        assert_eq!(
            detect(bq).ok(),
            Some(Format::GdeltEventsHeaded { delimiter: b',' })
        );
        let lower = b"globaleventid,eventtimedate,mentiontimedate,mentiontype\n";
        assert_eq!(
            detect(lower).ok(),
            Some(Format::GdeltMentionsHeaded { delimiter: b',' })
        );
        let acled_2015 = b"GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE\r\n";
        assert_eq!(
            detect(acled_2015).ok(),
            Some(Format::Acled { delimiter: b',' })
        );
        let acled_api = b",actor1,actor2,admin1,event_type,geo_precision,gwno\n";
        assert_eq!(
            detect(acled_api).ok(),
            Some(Format::Acled { delimiter: b',' })
        );
        let icews = b"Event ID\tEvent Date\tSource Name\tCAMEO Code\n";
        assert_eq!(detect(icews).ok(), Some(Format::Icews { delimiter: b'\t' }));
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest";
        let err = detect(zip).expect_err("binary");
        assert!(err.message.contains("not a text file"), "{}", err.message);
        assert!(detect(b"").is_err());
        assert!(detect(b"name,age\nbob,3\n").is_err());
    }

    #[test]
    fn a_scenario_file_is_told_apart_from_an_event_file() {
        for head in [
            &b"{\n  \"meta\": {"[..],
            b"[meta]\nid = \"x\"\n",
            b"# A story\n# told twice\n\n[scenario]\n",
            b"schema_version = 1\n",
        ] {
            match detect(head) {
                Err(e) => assert!(e.message.contains("demarche scenario"), "{}", e.message),
                Ok(format) => panic!("{format:?}"),
            }
        }
        // An event header with `=` in no name, or a bracket, is still an event header.
        let icews = b"Event ID\tEvent Date\tSource Name\tCAMEO Code\n";
        assert!(detect(icews).is_ok());
        let err = detect(b"# notes\nname,age\n").expect_err("not a dataset");
        assert!(!err.message.contains("scenario"), "{}", err.message);
    }
}
