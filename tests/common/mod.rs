//! Helpers shared by the test binaries.

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
