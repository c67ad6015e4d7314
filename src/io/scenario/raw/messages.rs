//! serde's messages, taken apart for the recoverable readers of both encodings (TOML and JSON), and the
//! messages and hints they give instead: unknown fields with a "did you mean", dates where a time's table
//! is expected.

/// `unknown field `x`, expected ...` -> `x`.
pub fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field")?.trim_start();
    let rest = rest.strip_prefix('`')?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// The names serde lists after "expected" in its messages.
pub fn expected_names(message: &str) -> Vec<String> {
    let Some(at) = message.find("expected") else {
        return Vec::new();
    };
    message[at..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Words people write for a field, and the field they mean: a time's `start` is its `from`.
const SYNONYMS: [(&str, &str); 12] = [
    ("start", "from"),
    ("begin", "from"),
    ("starts", "from"),
    ("end", "to"),
    ("until", "to"),
    ("ends", "to"),
    ("date", "on"),
    ("day", "on"),
    ("time", "at"),
    ("zone", "tz"),
    ("timezone", "tz"),
    ("time_zone", "tz"),
];

/// "did you mean ...?" for an unknown field (by its spelling, or by its meaning: `start` for `from`),
/// or the list of the fields allowed there.
pub fn unknown_field_hint(field: &str, message: &str) -> String {
    let names = expected_names(message);
    let by_meaning = SYNONYMS
        .iter()
        .find(|(word, meant)| field.eq_ignore_ascii_case(word) && names.iter().any(|n| n == meant))
        .map(|(_, meant)| format!("did you mean `{meant}`?"));
    let by_spelling = || crate::diagnostics::did_you_mean(field, names.iter().map(String::as_str));
    by_meaning.or_else(by_spelling).unwrap_or_else(|| {
        if names.is_empty() {
            "remove it".to_owned()
        } else {
            format!(
                "the fields here are {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    })
}

/// The name TOML's reader gives a date inside its own machinery, in the messages it writes when a
/// date stands where a table is expected.
pub const TOML_DATE_KEY: &str = "$__toml_private_datetime";

/// `"2025-04-07"` of `invalid type: string "2025-04-07", expected a time`: a string where a time's
/// table is expected.
pub fn string_for_a_time(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("invalid type: string \"")?;
    let (written, expected) = rest.rsplit_once("\", expected ")?;
    (expected == "a time").then_some(written)
}

/// The message and the hint for a date or a string written where a time's table is expected
/// (`time = 2025-04-07`): what to write instead, in TOML or (`json`) in JSON.
pub fn time_not_a_table(
    field: &str,
    written: &str,
    as_string: bool,
    json: bool,
) -> (String, String) {
    let what = if as_string { "a string" } else { "a bare date" };
    let message = format!("`{field}` is a table that says how the time is known, not {what}");
    let written = written.trim();
    let write = |key: &str, value: &str, quoted: bool| {
        if json {
            format!("\"{field}\": {{\"{key}\": \"{value}\"}}")
        } else if quoted {
            format!("{field} = {{ {key} = \"{value}\" }}")
        } else {
            format!("{field} = {{ {key} = {value} }}")
        }
    };
    let hint = if written.parse::<jiff::civil::Date>().is_ok() {
        format!(
            "for some time on that day write `{}`; for a moment, `{}`",
            write("on", written, false),
            write("at", &format!("{written}T18:00:00Z"), true)
        )
    } else if written.contains(['T', 't', ' ']) {
        format!(
            "for that moment write `{}` (with its zone: `Z` or an offset)",
            write("at", written, true)
        )
    } else {
        format!(
            "write e.g. `{}` or `{}` (README, \"Time shapes\")",
            write("on", "2026-01-31", false),
            write("at", "2026-01-31T18:00:00Z", true)
        )
    };
    (message, hint)
}

/// The hint for an unknown top-level key.
pub fn top_level_hint(key: &str) -> String {
    crate::diagnostics::did_you_mean(key, super::TOP_LEVEL_KEYS).unwrap_or_else(|| {
        format!(
            "the top-level keys are {}",
            super::TOP_LEVEL_KEYS.map(|k| format!("`{k}`")).join(", ")
        )
    })
}
