//! Hostile files (issue 12): millions of problems, megabyte-long names, duplicate keys, doubled marks.
//! Each stays bounded in what it keeps and says exactly how many problems there are.

mod support;

use demarche::io::kept::{MAX_SPAN_BYTES, MAX_TEXT_BYTES, SHOWN_PROBLEMS};
use demarche::io::scenario::{DEFAULT_SCENARIO_TOML, parse};
use demarche::synth::{SynthSize, scenario_json};
use support::fixtures::{demarche, text};

/// Problems past the shown thousand are counted, not stored: the report holds a thousand, and its counts
/// (the summary's) are exact.
#[test]
fn thousands_of_toml_problems_keep_a_thousand_and_count_all() {
    // Each line after the first repeats the key `a`: one error each.
    let lines = 5_000;
    let file = "a = 1\n".repeat(lines);
    let report = parse("dups.toml", &file).expect_err("invalid");
    assert_eq!(report.diagnostics.len(), SHOWN_PROBLEMS);
    let duplicates = lines - 1;
    // Also: `a` is no top-level key of a scenario, and format, version and scenario are missing.
    let others = 4;
    assert_eq!(report.error_count(), duplicates + others);
    assert_eq!(report.omitted.errors, duplicates + others - SHOWN_PROBLEMS);
    let last = report.to_lines().pop().expect("lines");
    assert!(
        last.contains("... and 4,003 more problems not shown (4,003 errors, 0 warnings)"),
        "{last}"
    );
}

/// A large file with more syntax errors than are shown is read in pieces: what it keeps is bounded, and
/// every error is counted.
#[test]
fn a_large_toml_file_of_syntax_errors_is_counted_exactly() {
    let lines = 700_000;
    let file = "x\n".repeat(lines);
    let report = parse("junk.toml", &file).expect_err("invalid");
    assert_eq!(report.diagnostics.len(), SHOWN_PROBLEMS);
    assert_eq!(report.error_count(), lines);
    assert!(
        report.text.len() < 10_000,
        "only the lines shown are kept, not the whole file: {} bytes",
        report.text.len()
    );
    let starts: Vec<usize> = report
        .diagnostics
        .iter()
        .map(|d| d.span.as_ref().expect("placed").start)
        .collect();
    assert!(starts.is_sorted(), "in file order");
    assert_eq!(starts[999] / 2, 999, "the first thousand lines: {starts:?}");
}

/// The command line's summary gives the same exact count as the last line.
#[test]
fn check_says_how_many_errors_there_really_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dups.toml");
    std::fs::write(&path, "a = 1\n".repeat(3_000)).expect("written");
    let out = demarche(&["check", "--short", path.to_str().expect("utf-8")]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("invalid: 3,003 errors"), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("... and 2,003 more problems not shown"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), SHOWN_PROBLEMS + 1);
}

/// A large file of keys given again is read in pieces, and a key given again in a later piece is counted
/// too: the count is that of reading the whole file at once; the report says only the syntax was checked.
#[test]
fn a_large_file_of_repeated_keys_is_counted_across_its_pieces() {
    let lines = 300_000; // 1.8 MB: read in pieces
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dups.toml");
    std::fs::write(&path, "a = 1\n".repeat(lines)).expect("written");
    let out = demarche(&["check", "--short", path.to_str().expect("utf-8")]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("invalid: 299,999 errors"), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("... and 298,999 more problems not shown"),
        "{stderr}"
    );
    assert!(stderr.contains("only the syntax was checked"), "{stderr}");
}

/// In JSON (whose reader gives no places until the end), the contacts' problems kept are those of the
/// first contacts, whatever thread checked them, and all are counted.
#[test]
fn thousands_of_json_contact_problems_keep_the_first_contacts() {
    let size = SynthSize {
        contacts: 8_000,
        actors: 20,
        venues: 10,
    };
    let file = scenario_json(size, 7).replace("\"kind\": \"meeting\"", "\"kind\": \"meetin\"");
    let broken = file.matches("\"meetin\"").count();
    assert!(broken > SHOWN_PROBLEMS, "{broken}");
    let report = parse("many.json", &file).expect_err("invalid");
    assert_eq!(report.error_count(), broken);
    assert_eq!(report.diagnostics.len(), SHOWN_PROBLEMS);
    let paths: Vec<usize> = report
        .diagnostics
        .iter()
        .map(|d| {
            let index = d.path.trim_start_matches("contacts[");
            index[..index.find(']').expect("an index")]
                .parse()
                .expect("a number")
        })
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "in file order");
    let first_broken: Vec<usize> = {
        let loaded = parse("ok.json", &scenario_json(size, 7)).expect("valid");
        let kinds = loaded.scenario.contacts.iter().enumerate();
        kinds
            .filter(|(_, c)| c.kind == demarche::model::ContactKind::Meeting)
            .map(|(i, _)| i)
            .take(SHOWN_PROBLEMS)
            .collect()
    };
    assert_eq!(paths, first_broken);
}

/// A megabyte-long name is echoed cut, with `…`; a span over a huge value is cut too.
#[test]
fn long_user_texts_are_cut_in_messages() {
    let long = "ü".repeat(500_000);
    let file = DEFAULT_SCENARIO_TOML
        .replacen("kind = \"phone_call\"", &format!("kind = \"{long}\""), 1)
        .replacen(
            "time_zone = \"Europe/Istanbul\"",
            &format!("time_zone = \"{long}\""),
            1,
        );
    let report = parse("long.toml", &file).expect_err("invalid");
    assert!(report.diagnostics.len() >= 2, "{:#?}", report.to_lines());
    for d in &report.diagnostics {
        assert!(d.message.len() <= MAX_TEXT_BYTES, "{}", d.message.len());
        assert!(d.path.len() <= MAX_TEXT_BYTES);
        assert!(d.hint.as_ref().is_none_or(|h| h.len() <= MAX_TEXT_BYTES));
        assert!(d.span.as_ref().is_none_or(|s| s.len() <= MAX_SPAN_BYTES));
    }
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.starts_with("unknown contact kind `üü") && d.message.contains('…')),
        "{:#?}",
        report.to_lines()
    );
}

/// The size cap is TOML's: a JSON scenario (read in one streaming pass) may be far larger; a TOML file over
/// the cap is refused with a message that says to use JSON.
#[test]
fn json_scenarios_are_not_held_to_the_toml_cap() {
    use demarche::io::scenario::load_with_limit;
    let dir = tempfile::tempdir().expect("tempdir");
    let size = SynthSize {
        contacts: 200,
        actors: 10,
        venues: 10,
    };
    let json = dir.path().join("big.json");
    std::fs::write(&json, scenario_json(size, 3)).expect("written");
    let toml = dir.path().join("big.toml");
    std::fs::write(&toml, demarche::synth::scenario_toml(size, 3)).expect("written");
    let limit = 10 * 1024;
    assert!(std::fs::metadata(&json).expect("size").len() > limit);
    let loaded = load_with_limit(&json, limit).unwrap_or_else(|r| panic!("{:?}", r.to_lines()));
    assert_eq!(loaded.scenario.contacts.len(), 200);
    let refused = load_with_limit(&toml, limit).expect_err("over the cap");
    let lines = refused.to_lines().join("\n");
    assert!(
        lines.contains("a scenario file may have in TOML"),
        "{lines}"
    );
    assert!(
        lines.contains("write a scenario this large in JSON"),
        "{lines}"
    );
}

/// One byte-order mark is fine; two are an error that says so, at the second.
#[test]
fn two_byte_order_marks_are_an_error() {
    use demarche::io::scenario::load;
    let dir = tempfile::tempdir().expect("tempdir");
    let one = dir.path().join("one.toml");
    std::fs::write(&one, format!("\u{feff}{DEFAULT_SCENARIO_TOML}")).expect("written");
    assert!(load(&one).is_ok());
    let two = dir.path().join("two.toml");
    std::fs::write(&two, format!("\u{feff}\u{feff}{DEFAULT_SCENARIO_TOML}")).expect("written");
    let report = load(&two).expect_err("two marks");
    let lines = report.to_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("two.toml:1:1: error: the file starts with two byte-order marks"),
        "{lines:?}"
    );
    let parsed = parse(
        "two.toml",
        &format!("\u{feff}\u{feff}{DEFAULT_SCENARIO_TOML}"),
    );
    let lines = parsed.expect_err("two marks").to_lines();
    assert!(
        lines[0].contains("two.toml:1:2: error: the file starts with two"),
        "{lines:?}"
    );
}

const TOPOLOGY: &str = r#"{"type": "Topology",
"arcs": [[[0, 0], [10, 0], [10, 10]]],
"objects": {"a": {"type": "LineString", "arcs": [0], "properties": {"name": "A"}}}}"#;

fn topo_lines(text: &str) -> Result<Vec<String>, Vec<String>> {
    demarche::io::topojson::parse_topojson("t.topojson", text)
        .map(|l| l.report.to_lines())
        .map_err(|r| r.to_lines())
}

/// A structural key given twice is an error in TopoJSON as in GeoJSON; a property given twice is a
/// warning (the last value is used), in both.
#[test]
fn duplicate_keys_are_errors_in_structure_and_warnings_in_properties() {
    assert_eq!(topo_lines(TOPOLOGY), Ok(vec![]));
    for (from, to, key) in [
        (
            "\"type\": \"Topology\",",
            "\"type\": \"Topology\", \"type\": \"Topology\",",
            "type",
        ),
        ("\"arcs\": [0]", "\"arcs\": [0], \"arcs\": [0]", "arcs"),
        ("\"objects\"", "\"objects\": {}, \"objects\"", "objects"),
    ] {
        let text = TOPOLOGY.replacen(from, to, 1);
        let lines = topo_lines(&text).expect_err(key);
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&format!("error: duplicate member `{key}`"))),
            "{key}: {lines:?}"
        );
    }
    let text = TOPOLOGY.replacen("\"name\": \"A\"", "\"name\": \"A\", \"name\": \"B\"", 1);
    let loaded = demarche::io::topojson::parse_topojson("t.topojson", &text).expect("loads");
    let lines = loaded.report.to_lines();
    assert!(
        lines[0].contains("warning: the property `name` is given twice: the last value is used")
            && lines[0].contains("[objects.a.properties.name]"),
        "{lines:?}"
    );
    assert_eq!(loaded.layer.features[0].properties["name"], "B");

    let geojson = r#"{"type": "Feature", "properties": {"name": "A", "name": "B"},
"geometry": {"type": "Point", "coordinates": [1, 2]}}"#;
    let loaded = demarche::io::geojson::parse_geojson("g.geojson", geojson).expect("loads");
    let lines = loaded.report.to_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("g.geojson:1:49: warning: the property `name` is given twice")),
        "{lines:?}"
    );
    assert_eq!(loaded.layer.features[0].properties["name"], "B");
}

/// A transform that overflows and a bbox out of range are warned of, with their places.
#[test]
fn topojson_overflow_and_bbox_out_of_range_are_warned_of() {
    let text = TOPOLOGY.replacen(
        "{\"type\": \"Topology\",",
        "{\"type\": \"Topology\", \"bbox\": [-200, 0, 10, 95],\n\"transform\": {\"scale\": [1e300, 1], \"translate\": [0, 0]},",
        1,
    );
    let loaded = demarche::io::topojson::parse_topojson("t.topojson", &text).expect("loads");
    let lines = loaded.report.to_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("t.topojson:1:31: warning: `bbox` value -200 is out of range")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(
            |l| l.contains("warning: a position decodes to [1e301, 0e0]")
                && l.contains("[arcs[0][1]]")
                && l.contains("(2 positions in all)")
        ),
        "{lines:?}"
    );
}
