//! Scenario texts in tests: the JSON encoding of a TOML scenario, a base file with one change, and the
//! problems a text has.

use demarche::io::scenario::parse;

/// The JSON encoding of a TOML scenario: the same keys and values, dates and times as strings.
pub fn toml_to_json(text: &str) -> String {
    let value: toml::Value = toml::from_str(text).expect("the TOML parses");
    serde_json::to_string_pretty(&json_of(value)).expect("JSON")
}

fn json_of(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => s.into(),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => f.into(),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(items) => items.into_iter().map(json_of).collect(),
        toml::Value::Table(table) => {
            serde_json::Value::Object(table.into_iter().map(|(k, v)| (k, json_of(v))).collect())
        }
    }
}

/// `base` with its one occurrence of `from` replaced by `to` (panics unless `from` occurs exactly once).
pub fn replace_once(base: &str, from: &str, to: &str) -> String {
    assert_eq!(
        base.matches(from).count(),
        1,
        "`{from}` must occur once in the base file"
    );
    base.replacen(from, to, 1)
}

/// The `--short` lines of the problems of `text`, read as the file `name`; panics if it is valid.
pub fn problems(name: &str, text: &str) -> Vec<String> {
    match parse(name, text) {
        Ok(_) => panic!("expected problems in:\n{text}"),
        Err(report) => report.to_lines(),
    }
}

/// Panics unless `expected` is one of the `--short` lines of the problems of `text`.
pub fn assert_problem(name: &str, text: &str, expected: &str) {
    let lines = problems(name, text);
    assert!(
        lines.iter().any(|l| l == expected),
        "expected the line\n  {expected}\namong\n  {}",
        lines.join("\n  ")
    );
}
