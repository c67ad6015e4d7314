//! The JSON encoding of a scenario: the same schema as TOML, read into the same scenario, checked by the
//! same rules, with the same diagnostics placed at their JSON line:column; and hostile JSON fails cleanly.

mod support;

use support::scenario_text;

use demarche::io::scenario::{DEFAULT_SCENARIO_TOML, parse};

const BASE: &str = r#"{
  "format": "demarche-scenario",
  "version": 1,
  "scenario": { "id": "t", "title": "Test" },
  "sources": [
    { "id": "src", "outlet": "Example Times", "published": "2026-02-01" }
  ],
  "venues": [
    { "id": "ankara", "name": "Ankara", "kind": "capital", "country": "TR", "time_zone": "Europe/Istanbul", "lon": 32.86, "lat": 39.93 },
    { "id": "tehran", "name": "Tehran", "kind": "capital", "country": "IR", "time_zone": "Asia/Tehran", "lon": 51.39, "lat": 35.69 }
  ],
  "actors": [
    { "id": "fidan", "name": "Hakan Fidan", "kind": "person", "affiliation": "TR", "based_at": "ankara" },
    { "id": "araghchi", "name": "Abbas Araghchi", "kind": "person", "affiliation": "IR", "based_at": "tehran" }
  ],
  "contacts": [
    {
      "id": "meet",
      "kind": "meeting",
      "status": "held",
      "title": "Fidan hosts Araghchi",
      "participants": [
        { "actor": "fidan", "part": "host" },
        { "actor": "araghchi", "part": "guest" }
      ],
      "venue": "ankara",
      "time": { "on": "2026-01-30" },
      "sources": [{ "source": "src", "attribution": "the article" }]
    },
    {
      "id": "trip",
      "kind": "visit",
      "status": "held",
      "title": "Araghchi travels to Ankara",
      "participants": [{ "actor": "araghchi", "part": "guest" }],
      "from": "tehran",
      "to": "ankara",
      "time": { "from": "2026-01-29", "to": "2026-01-30" },
      "sources": [{ "source": "src" }]
    }
  ]
}
"#;

/// Replaces the one occurrence of `from` in the base file.
fn with(from: &str, to: &str) -> String {
    scenario_text::replace_once(BASE, from, to)
}

/// The `--short` lines of the problems of `text`; panics if it is valid.
fn problems(text: &str) -> Vec<String> {
    scenario_text::problems("t.json", text)
}

fn assert_problem(text: &str, expected: &str) {
    scenario_text::assert_problem("t.json", text, expected);
}

#[test]
fn the_base_file_is_valid() {
    let loaded = parse("t.json", BASE).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
    assert_eq!(loaded.scenario.contacts.len(), 2);
    assert_eq!(loaded.scenario.venues[1].time_zone_name, "Asia/Tehran");
    assert!(loaded.report.diagnostics.is_empty());
}

#[test]
fn the_default_scenario_in_json_loads_to_the_same_scenario() {
    let json = scenario_text::toml_to_json(DEFAULT_SCENARIO_TOML);
    let from_toml = parse("a.toml", DEFAULT_SCENARIO_TOML).expect("the TOML loads");
    let from_json = parse("a.json", &json).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
    assert_eq!(from_json.scenario.contacts.len(), 13);
    assert_eq!(
        format!("{:#?}", from_toml.scenario),
        format!("{:#?}", from_json.scenario)
    );
}

#[test]
fn an_unknown_contact_kind_gets_a_did_you_mean() {
    assert_problem(
        &with("\"kind\": \"meeting\"", "\"kind\": \"meeeting\""),
        "t.json:19:15: error: unknown contact kind `meeeting` [contacts[0].kind] (hint: did you mean `meeting`?)",
    );
}

#[test]
fn a_reference_to_a_missing_actor_is_an_error() {
    assert_problem(
        &with("\"actor\": \"fidan\"", "\"actor\": \"fidann\""),
        "t.json:23:20: error: no actor has the id `fidann` [contacts[0].participants[0].actor] (hint: did you mean `fidan`?)",
    );
}

#[test]
fn duplicate_ids_are_errors_that_point_to_the_first() {
    assert_problem(
        &with("\"id\": \"trip\"", "\"id\": \"meet\""),
        "t.json:31:13: error: duplicate contact id `meet` [contacts[1].id] (hint: the first `meet` is at line 18; ids must be unique)",
    );
}

#[test]
fn a_longitude_out_of_range_is_an_error() {
    assert_problem(
        &with("\"lon\": 32.86", "\"lon\": 192.86"),
        "t.json:9:116: error: longitude 192.86 is out of range [venues[0].lon] (hint: a longitude is between -180 and 180 degrees)",
    );
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    // A missing comma after the kind: serde_json stops at the next key.
    let lines = problems(&with("\"kind\": \"meeting\",", "\"kind\": \"meeting\""));
    assert_eq!(
        lines,
        vec![
            "t.json:20:7: error: JSON syntax error: expected `,` or `}` (hint: a comma may be missing between two values)"
                .to_owned()
        ]
    );
}

#[test]
fn an_unknown_field_is_placed_at_its_key() {
    assert_problem(
        &with("\"venue\": \"ankara\"", "\"venu\": \"ankara\""),
        "t.json:26:7: error: unknown field `venu` [contacts[0].venu] (hint: did you mean `venue`?)",
    );
}

#[test]
fn a_problem_about_a_missing_field_is_placed_where_toml_places_it() {
    // No time zone: placed at the venue's id, as in TOML.
    assert_problem(
        &with("\"time_zone\": \"Asia/Tehran\", ", ""),
        "t.json:10:13: error: venue `tehran` has no time zone [venues[1].time_zone] (hint: cities need their IANA zone, e.g. `time_zone = \"Asia/Tehran\"`)",
    );
    // Missing participants: placed at the kind.
    let lines = problems(&with(
        "{ \"actor\": \"araghchi\", \"part\": \"guest\" }]",
        "{ \"actor\": \"araghchi\", \"part\": \"host\" }]",
    ));
    assert!(
        lines.iter().any(|l| l.starts_with(
            "t.json:32:15: error: a visit needs a `guest`: the one who travels [contacts[1].participants]"
        )),
        "{lines:#?}"
    );
}

#[test]
fn a_contact_without_sources_loads_with_a_warning_at_its_id() {
    let text = with(",\n      \"sources\": [{ \"source\": \"src\" }]", "");
    let loaded = parse("t.json", &text).expect("valid");
    assert_eq!(
        loaded.report.to_lines(),
        vec![
            "t.json:31:13: warning: contact `trip` cites no source [contacts[1].sources]"
                .to_owned()
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    let text = with("\"kind\": \"meeting\"", "\"kind\": \"meeeting\"")
        .replacen("\"lon\": 32.86", "\"lon\": \"east\"", 1)
        .replacen("\"venue\": \"ankara\"", "\"venu\": \"ankara\"", 1)
        .replacen("\"part\": \"guest\" }]", "\"prt\": \"guest\" }]", 1);
    let lines = problems(&text);
    for expected in [
        "t.json:9:116: error: invalid type: string \"east\", expected f64 [venues[0].lon]",
        "t.json:19:15: error: unknown contact kind `meeeting`",
        "t.json:26:7: error: unknown field `venu`",
        "t.json:35:47: error: unknown field `prt` [contacts[1].participants[0].prt] (hint: did you mean `part`?)",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "missing `{expected}` in {lines:#?}"
        );
    }
    let lines_of: Vec<usize> = lines
        .iter()
        .filter_map(|l| l.split(':').nth(1)?.parse().ok())
        .collect();
    assert!(lines_of.windows(2).all(|w| w[0] <= w[1]), "{lines:#?}");
}

/// The same defects give the same problems in both encodings: same message, path and hint.
#[test]
fn both_encodings_report_the_same_problems() {
    let defects: [(&str, &str); 9] = [
        (
            "kind = \"meeting\"\nstatus = \"held\"",
            "kind = \"meeeting\"\nstatus = \"held\"",
        ),
        ("lon = 51.3890", "lon = 251.3890"),
        (
            "{ actor = \"sisi\", part = \"caller\" }",
            "{ actor = \"sissi\", part = \"caller\" }",
        ),
        ("time_zone = \"Asia/Qatar\"", "time_zone = \"Asia/Katar\""),
        ("status = \"held\"", "status = \"hled\""),
        ("affiliation = \"TR\"", "affiliation = \"Turkey\""),
        ("confidence = \"moderate\"", "confidence = \"moderat\""),
        ("version = 1", "version = 2"),
        ("kind = \"capital\"", "kind = \"capitol\""),
    ];
    let mut broken = DEFAULT_SCENARIO_TOML.to_owned();
    for (from, to) in defects {
        assert!(broken.contains(from), "`{from}` is in the default scenario");
        broken = broken.replacen(from, to, 1);
    }
    let json = scenario_text::toml_to_json(&broken);
    let summary = |name: &str, text: &str| {
        let report = parse(name, text).expect_err("broken");
        let mut found: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| format!("{:?} {} [{}] {:?}", d.severity, d.message, d.path, d.hint))
            .collect();
        found.sort();
        found
    };
    let from_toml = summary("b.toml", &broken);
    assert!(from_toml.len() >= defects.len(), "{from_toml:#?}");
    assert_eq!(from_toml, summary("b.json", &json));
}

#[test]
fn hostile_json_never_panics() {
    let deep = format!(
        "{{\"format\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let deep_objects = format!(
        "{{\"scenario\": {}1{}}}",
        "{\"a\": ".repeat(50_000),
        "}".repeat(50_000)
    );
    let deep_contact = format!(
        "{{\"contacts\": [{{\"time\": {}1{}}}]}}",
        "{\"a\": ".repeat(50_000),
        "}".repeat(50_000)
    );
    let truncated = &BASE[..BASE.len() / 2];
    for (text, expected) in [
        ("{", "JSON syntax error"),
        ("{}", "does not say its format"),
        ("{\"format\": \"demarche-scenario\"\0}", "JSON syntax error"),
        (
            "{\"contacts\": 5}",
            "`contacts` must be a list of objects, not a number",
        ),
        (
            "{\"format\": \"demarche-scenario\"} trailing",
            "JSON syntax error: trailing characters",
        ),
        (
            deep.as_str(),
            "invalid type: sequence, expected a string [format]",
        ),
        (deep_objects.as_str(), "unknown field `a`"),
        (deep_contact.as_str(), "unknown field `a`"),
        (truncated, "is it truncated?"),
        ("{\"contacts\": [1, \"x\", null, {}]}", "contacts[0]"),
        ("{\"a\": 1, \"a\": 2}", "unknown top-level key `a`"),
        (
            "{\"format\": \"demarche-scenario\", \"format\": \"x\"}",
            "the key `format` is given twice",
        ),
    ] {
        let lines = problems(text);
        assert!(
            lines.iter().any(|l| l.contains(expected)),
            "expected `{expected}` among {lines:#?}"
        );
    }
}

#[test]
fn the_json_example_of_the_readme_loads() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let section = &readme[readme.find("### The JSON encoding").expect("the section")..];
    let start = section.find("```json\n").expect("a JSON block") + "```json\n".len();
    let example = &section[start..start + section[start..].find("```").expect("its end")];
    let loaded = parse("README.json", example).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
    let meeting = &loaded.scenario.contacts[0];
    assert_eq!(
        meeting.time.to_string(),
        "Sun 1 Mar 2026, afternoon (Europe/Zurich)"
    );
    assert!(loaded.report.diagnostics.is_empty());
}

#[test]
fn thousands_of_problems_are_cut_to_the_first_thousand() {
    let keys: Vec<String> = (0..5_000).map(|i| format!("\"k{i}\": {i}")).collect();
    let text = format!("{{\"format\": \"demarche-scenario\", {}}}", keys.join(", "));
    let report = parse("keys.json", &text).expect_err("unknown keys");
    assert_eq!(report.diagnostics.len(), 1000);
    assert_eq!(
        report.diagnostics[999].message, "unknown top-level key `k997`",
        "in file order, after the missing version and scenario"
    );
    assert_eq!(report.error_count(), 5002);
    let last = report.to_lines().pop().expect("the count");
    assert_eq!(
        last,
        "keys.json: error: ... and 4,002 more problems not shown (4,002 errors, 0 warnings) \
         (hint: fix the problems shown first: they often cause the others)"
    );
}

/// `check` lets each contact go once checked, yet counts them all and still finds an id given twice.
#[test]
fn a_check_counts_the_contacts_it_lets_go_and_still_finds_a_duplicate_id() {
    let size = demarche::synth::SynthSize {
        contacts: 3_000,
        actors: 20,
        venues: 10,
    };
    let text = demarche::synth::scenario_json(size, 3);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.json");
    std::fs::write(&path, &text).expect("written");
    let checked = demarche::io::scenario::check_file(&path).expect("valid");
    assert_eq!(
        (checked.contacts, checked.actors, checked.venues),
        (3_000, 20, 10)
    );

    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let first = value["contacts"][0]["id"].as_str().expect("id").to_owned();
    let last = value["contacts"][2_999]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let twice = text.replacen(
        &format!("\"id\": \"{last}\""),
        &format!("\"id\": \"{first}\""),
        1,
    );
    assert_ne!(twice, text, "the last id was replaced");
    std::fs::write(&path, &twice).expect("written");
    let report = demarche::io::scenario::check_file(&path).expect_err("an id twice");
    let lines = report.to_lines().join("\n");
    assert!(lines.contains(&first), "{lines}");
}

/// A file large enough to be hashed while it is parsed (4 MB and more) gets the stamp of its whole text,
/// and a small one too; a broken large file is still reported.
#[test]
fn the_stamp_of_a_file_read_is_that_of_its_text() {
    use demarche::io::scenario::{Stamp, read_file_with_stamp};
    let dir = tempfile::tempdir().expect("temp dir");
    for contacts in [20, 14_000] {
        let text = demarche::synth::scenario_json(
            demarche::synth::SynthSize {
                contacts,
                actors: 30,
                venues: 20,
            },
            4,
        );
        assert_eq!(
            text.len() >= 4 << 20,
            contacts > 1_000,
            "{} bytes",
            text.len()
        );
        let path = dir.path().join(format!("s{contacts}.json"));
        std::fs::write(&path, &text).expect("write");
        let (loaded, stamp) = read_file_with_stamp(&path).expect("valid");
        assert_eq!(stamp, Stamp::new(&loaded.scenario.meta.id, text.as_bytes()));
        assert!(!stamp.scenario_id.is_empty());
        std::fs::write(
            &path,
            text.replacen("\"contacts\"", "\"contacts\": 3, \"x\"", 1),
        )
        .expect("write");
        assert!(read_file_with_stamp(&path).is_err(), "broken: reported");
    }
}

/// A JSON file of many chunks of contacts (checked on several threads, put back in file order as they
/// come) loads to the scenario its TOML twin loads to, contact by contact, in the same order; an id given
/// twice far apart is reported at the second, pointing to the first.
#[test]
fn contacts_checked_in_chunks_come_back_in_file_order() {
    let size = demarche::synth::SynthSize {
        contacts: 6_000,
        actors: 30,
        venues: 12,
    };
    let json = parse("big.json", &demarche::synth::scenario_json(size, 11)).expect("valid");
    let toml = parse("big.toml", &demarche::synth::scenario_toml(size, 11)).expect("valid");
    let (json, toml) = (&json.scenario.contacts, &toml.scenario.contacts);
    assert_eq!(json.len(), 6_000);
    assert_eq!(json.len(), toml.len());
    for (i, (j, t)) in json.iter().zip(toml).enumerate() {
        assert_eq!(
            (&j.id, &j.title, j.time.start, j.place),
            (&t.id, &t.title, t.time.start, t.place),
            "contact {i}"
        );
    }

    let text = demarche::synth::scenario_json(size, 11);
    let (first, far) = (&json[10].id, &json[5_990].id);
    let twice = text.replacen(
        &format!("\"id\": \"{far}\""),
        &format!("\"id\": \"{first}\""),
        1,
    );
    let report = parse("twice.json", &twice).expect_err("an id twice");
    let duplicate = report
        .diagnostics
        .iter()
        .find(|d| d.message.starts_with("duplicate contact id"))
        .expect("reported");
    assert_eq!(duplicate.path, "contacts[5990].id");
    let hint = duplicate.hint.as_deref().unwrap_or_default();
    assert!(hint.contains(first.as_str()), "{hint}");
}

/// The contacts read hold no room they do not use (each checked contact is larger than its contact, and
/// the list is made in the memory of the checked ones): a small story and a larger one, in both
/// encodings.
#[test]
fn the_contacts_read_hold_no_more_memory_than_they_fill() {
    use demarche::synth::{SynthSize, scenario_json, scenario_toml};
    let size = SynthSize {
        contacts: 3_000,
        actors: 40,
        venues: 30,
    };
    let texts = [
        (
            "small.json",
            scenario_json(
                SynthSize {
                    contacts: 12,
                    ..size
                },
                1,
            ),
        ),
        ("large.json", scenario_json(size, 2)),
        ("large.toml", scenario_toml(size, 3)),
    ];
    for (name, text) in texts {
        let contacts = parse(name, &text).expect("valid").scenario.contacts;
        assert!(contacts.len() >= 12, "{name}");
        assert_eq!(contacts.capacity(), contacts.len(), "{name}");
    }
}
