//! Each validation rule of the scenario format, pinned on a small valid file with one defect at a time:
//! the problem is reported, with its place (line:column and field path) and a hint where one helps.

mod support;

use demarche::io::scenario::parse;
use support::scenario_text;

const BASE: &str = r#"format = "demarche-scenario"
version = 1

[scenario]
id = "t"
title = "Test"

[[sources]]
id = "src"
outlet = "Example Times"
published = 2026-02-01

[[venues]]
id = "ankara"
name = "Ankara"
kind = "capital"
country = "TR"
time_zone = "Europe/Istanbul"
lon = 32.86
lat = 39.93

[[venues]]
id = "tehran"
name = "Tehran"
kind = "capital"
country = "IR"
time_zone = "Asia/Tehran"
lon = 51.39
lat = 35.69

[[actors]]
id = "fidan"
name = "Hakan Fidan"
kind = "person"
affiliation = "TR"
based_at = "ankara"

[[actors]]
id = "araghchi"
name = "Abbas Araghchi"
kind = "person"
affiliation = "IR"
based_at = "tehran"

[[contacts]]
id = "meet"
kind = "meeting"
status = "held"
title = "Fidan hosts Araghchi"
participants = [
    { actor = "fidan", part = "host" },
    { actor = "araghchi", part = "guest" },
]
venue = "ankara"
time = { on = 2026-01-30 }
sources = [{ source = "src", attribution = "the article" }]

[[contacts]]
id = "trip"
kind = "visit"
status = "held"
title = "Araghchi travels to Ankara"
participants = [{ actor = "araghchi", part = "guest" }]
from = "tehran"
to = "ankara"
time = { from = 2026-01-29, to = 2026-01-30 }
sources = [{ source = "src" }]
"#;

/// Replaces the one occurrence of `from` in the base file.
fn with(from: &str, to: &str) -> String {
    scenario_text::replace_once(BASE, from, to)
}

/// The `--short` lines of the problems of `text`; panics if it is valid.
fn problems(text: &str) -> Vec<String> {
    scenario_text::problems("t.toml", text)
}

fn assert_problem(text: &str, expected: &str) {
    scenario_text::assert_problem("t.toml", text, expected);
}

#[test]
fn the_base_file_is_valid() {
    let loaded = parse("t.toml", BASE).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
    assert_eq!(loaded.scenario.contacts.len(), 2);
    assert!(
        loaded.report.diagnostics.is_empty(),
        "{:#?}",
        loaded.report.to_lines()
    );
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let lines = problems(&with("title = \"Test\"", "title = \"Test"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("t.toml:6:") && l.contains("TOML syntax")),
        "{lines:#?}"
    );
}

#[test]
fn an_unknown_contact_kind_gets_a_did_you_mean() {
    assert_problem(
        &with("kind = \"meeting\"", "kind = \"meeeting\""),
        "t.toml:47:8: error: unknown contact kind `meeeting` [contacts[0].kind] (hint: did you mean `meeting`?)",
    );
}

#[test]
fn an_unknown_status_gets_a_did_you_mean() {
    assert_problem(
        &with(
            "status = \"held\"\ntitle = \"Fidan",
            "status = \"hled\"\ntitle = \"Fidan",
        ),
        "t.toml:48:10: error: unknown status `hled` [contacts[0].status] (hint: did you mean `held`?)",
    );
}

#[test]
fn an_unknown_field_is_an_error_with_a_suggestion() {
    assert_problem(
        &with("venue = \"ankara\"", "venu = \"ankara\""),
        "t.toml:54:1: error: unknown field `venu` [contacts[0].venu] (hint: did you mean `venue`?)",
    );
}

#[test]
fn a_reference_to_a_missing_actor_is_an_error() {
    assert_problem(
        &with(
            "{ actor = \"fidan\", part = \"host\" }",
            "{ actor = \"fidann\", part = \"host\" }",
        ),
        "t.toml:51:15: error: no actor has the id `fidann` [contacts[0].participants[0].actor] (hint: did you mean `fidan`?)",
    );
}

#[test]
fn a_reference_to_a_missing_venue_is_an_error() {
    let lines = problems(&with("venue = \"ankara\"", "venue = \"istanbul\""));
    assert!(
        lines.iter().any(|l| l
            .starts_with("t.toml:54:9: error: no venue has the id `istanbul` [contacts[0].venue]")),
        "{lines:#?}"
    );
}

#[test]
fn duplicate_ids_are_errors_that_point_to_the_first() {
    assert_problem(
        &with("id = \"trip\"", "id = \"meet\""),
        "t.toml:59:6: error: duplicate contact id `meet` [contacts[1].id] (hint: the first `meet` is at line 46; ids must be unique)",
    );
}

#[test]
fn longitude_and_latitude_out_of_range_are_errors() {
    assert_problem(
        &with("lon = 32.86", "lon = 192.86"),
        "t.toml:19:7: error: longitude 192.86 is out of range [venues[0].lon] (hint: a longitude is between -180 and 180 degrees)",
    );
    assert_problem(
        &with("lat = 35.69", "lat = 135.69"),
        "t.toml:29:7: error: latitude 135.69 is out of range [venues[1].lat] (hint: a latitude is between -90 and 90 degrees (are longitude and latitude swapped?))",
    );
}

#[test]
fn an_end_before_its_start_is_an_error() {
    let lines = problems(&with(
        "time = { from = 2026-01-29, to = 2026-01-30 }",
        "time = { from = 2026-01-31, to = 2026-01-30 }",
    ));
    assert!(
        lines.iter().any(|l| l == "t.toml:66:8: error: the end (2026-01-30) is before the start (2026-01-31) [contacts[1].time]"),
        "{lines:#?}"
    );
}

#[test]
fn an_unknown_time_zone_is_an_error_with_a_suggestion() {
    assert_problem(
        &with(
            "time_zone = \"Asia/Tehran\"",
            "time_zone = \"Asia/Teheran\"",
        ),
        "t.toml:27:13: error: unknown time zone `Asia/Teheran` [venues[1].time_zone] (hint: did you mean `Asia/Tehran`?)",
    );
}

#[test]
fn a_contact_without_the_participants_its_kind_needs_is_an_error() {
    let lines = problems(&with(
        "participants = [{ actor = \"araghchi\", part = \"guest\" }]",
        "participants = [{ actor = \"araghchi\", part = \"host\" }]",
    ));
    assert!(
        lines.iter().any(|l| l.starts_with("t.toml:60:8: error: a visit needs a `guest`: the one who travels [contacts[1].participants]")),
        "{lines:#?}"
    );
    let lines = problems(&with(
        "    { actor = \"araghchi\", part = \"guest\" },\n",
        "",
    ));
    assert!(
        lines.iter().any(|l| l.contains(
            "error: a meeting needs at least two participants [contacts[0].participants]"
        )),
        "{lines:#?}"
    );
}

#[test]
fn a_contact_kind_gets_the_venues_it_needs() {
    let lines = problems(&with(
        "from = \"tehran\"\nto = \"ankara\"",
        "venue = \"ankara\"",
    ));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("a visit needs a destination `to`")),
        "{lines:#?}"
    );
    let lines = problems(&with("from = \"tehran\"", "from = \"ankara\""));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("starts and ends at the same venue")),
        "{lines:#?}"
    );
}

#[test]
fn a_bad_date_is_an_error() {
    let lines = problems(&with(
        "time = { on = 2026-01-30 }",
        "time = { on = \"Friday\" }",
    ));
    assert!(
        lines
            .iter()
            .any(|l| l
                .starts_with("t.toml:55:15: error: `Friday` is not a date [contacts[0].time.on]")),
        "{lines:#?}"
    );
}

#[test]
fn a_time_that_mixes_shapes_is_an_error() {
    let lines = problems(&with(
        "time = { on = 2026-01-30 }",
        "time = { on = 2026-01-30, earliest = 2026-01-29 }",
    ));
    assert!(
        lines.iter().any(
            |l| l.contains("this time mixes or lacks the keys of its shape [contacts[0].time]")
        ),
        "{lines:#?}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = with("kind = \"meeting\"", "kind = \"meeeting\"")
        .replacen("lon = 32.86", "lon = 192.86", 1)
        .replacen("id = \"trip\"", "id = \"meet\"", 1)
        .replacen(
            "time_zone = \"Asia/Tehran\"",
            "time_zone = \"Asia/Teheran\"",
            1,
        )
        .replacen("venue = \"ankara\"", "venu = \"ankara\"", 1);
    let lines = problems(&text);
    for needle in [
        "unknown contact kind",
        "longitude 192.86",
        "duplicate contact id",
        "unknown time zone",
        "unknown field `venu`",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(needle)),
            "missing `{needle}` in {lines:#?}"
        );
    }
    // In file order.
    let lines_of: Vec<usize> = lines
        .iter()
        .filter_map(|l| l.split(':').nth(1)?.parse().ok())
        .collect();
    assert!(lines_of.windows(2).all(|w| w[0] <= w[1]), "{lines:#?}");
}

#[test]
fn a_bad_element_keeps_its_index_in_paths() {
    // The first venue cannot be read (a string for a number); the second keeps its index 1.
    let text = with("lon = 32.86", "lon = \"east\"").replacen(
        "time_zone = \"Asia/Tehran\"",
        "time_zone = \"Asia/Teheran\"",
        1,
    );
    let lines = problems(&text);
    assert!(
        lines.iter().any(|l| l.contains("[venues[0].lon]")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("unknown time zone `Asia/Teheran` [venues[1].time_zone]")),
        "{lines:#?}"
    );
}

#[test]
fn the_format_and_version_are_checked() {
    assert_problem(
        &with("version = 1", "version = 2"),
        "t.toml:2:11: error: format version 2 is not supported; this build of demarche reads version 1 [version] (hint: update demarche, or convert the file to the version it reads)",
    );
    let lines = problems(&with("format = \"demarche-scenario\"\n", ""));
    assert!(
        lines.iter().any(|l| l.contains("does not say its format")),
        "{lines:#?}"
    );
}

#[test]
fn a_country_code_must_be_iso_alpha_2() {
    assert_problem(
        &with("affiliation = \"TR\"", "affiliation = \"Turkey\""),
        "t.toml:35:15: error: `Turkey` is not an ISO 3166-1 alpha-2 country code [actors[0].affiliation] (hint: use two capital letters, e.g. `TR`, `IR`, `US`, `QA`, `EG`)",
    );
}

#[test]
fn a_contact_without_sources_loads_with_a_warning() {
    let loaded = parse("t.toml", &with("sources = [{ source = \"src\" }]\n", "")).expect("valid");
    let lines = loaded.report.to_lines();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("warning: contact `trip` cites no source"),
        "{lines:#?}"
    );
}

#[test]
fn hostile_text_never_panics() {
    let deep_arrays = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_tables = format!("a = {}1{}", "{ b = ".repeat(50_000), " }".repeat(50_000));
    let truncated = &BASE[..BASE.len() / 2];
    for text in [
        "",
        "\0\0\0",
        "[[[[",
        "format = ",
        deep_arrays.as_str(),
        deep_tables.as_str(),
        truncated,
        "a.b.c.d = 1\n[a]\nb = 2",
    ] {
        let lines = problems(text);
        assert!(!lines.is_empty());
    }
}

#[test]
fn a_bare_date_for_a_time_says_what_to_write_instead() {
    // `time = 2026-01-30`: TOML's reader calls the date by a private name; the message says what to write.
    let text = with("time = { on = 2026-01-30 }", "time = 2026-01-30");
    let line = text[..text.find("time = 2026").expect("written")]
        .matches('\n')
        .count()
        + 1;
    assert_problem(
        &text,
        &format!(
            "t.toml:{line}:8: error: `time` is a table that says how the time is known, not a bare date [contacts[0].time] (hint: for some time on that day write `time = {{ on = 2026-01-30 }}`; for a moment, `time = {{ at = \"2026-01-30T18:00:00Z\" }}`)"
        ),
    );
    assert!(
        !problems(&text).iter().any(|l| l.contains("toml_private")),
        "{:#?}",
        problems(&text)
    );
    // A string, a date and time: the same, with the moment's own form.
    let text = with(
        "time = { on = 2026-01-30 }",
        "time = \"2026-01-30T18:00:00Z\"",
    );
    assert!(
        problems(&text).iter().any(|l| l.contains(
            "not a string [contacts[0].time] (hint: for that moment write `time = { at = \"2026-01-30T18:00:00Z\" }`"
        )),
        "{:#?}",
        problems(&text)
    );
}

#[test]
fn a_bare_date_for_a_time_in_json_says_what_to_write_in_json() {
    let json =
        scenario_text::toml_to_json(&with("time = { on = 2026-01-30 }", "time = 2026-01-30"));
    let lines = scenario_text::problems("t.json", &json);
    assert!(
        lines.iter().any(|l| l.contains(
            "error: `time` is a table that says how the time is known, not a string [contacts[0].time] (hint: for some time on that day write `\"time\": {\"on\": \"2026-01-30\"}`"
        )),
        "{lines:#?}"
    );
}

#[test]
fn start_and_end_in_a_time_get_a_did_you_mean_from_and_to() {
    let text = with(
        "time = { from = 2026-01-29, to = 2026-01-30 }",
        "time = { start = 2026-01-29, end = 2026-01-30 }",
    );
    let lines = problems(&text);
    for (field, meant) in [("start", "from"), ("end", "to")] {
        assert!(
            lines.iter().any(|l| l.contains(&format!(
                "error: unknown field `{field}` [contacts[1].time.{field}] (hint: did you mean `{meant}`?)"
            ))),
            "{lines:#?}"
        );
    }
}

#[test]
fn a_trailing_comma_in_json_is_named_at_the_comma() {
    let json = scenario_text::toml_to_json(BASE);
    // The last member of the top-level object, then a comma before its closing brace.
    let end = json.rfind('}').expect("closing brace");
    let broken = format!("{},\n{}", json[..end].trim_end(), &json[end..]);
    let comma = broken.rfind(',').expect("the comma");
    let line = broken[..comma].matches('\n').count() + 1;
    let column = comma - broken[..comma].rfind('\n').map_or(0, |i| i + 1) + 1;
    let lines = scenario_text::problems("t.json", &broken);
    assert_eq!(
        lines,
        [format!(
            "t.json:{line}:{column}: error: JSON syntax error: a comma after the last member of an object (hint: JSON allows no comma before the closing `}}`: remove this one)"
        )]
    );
    // A comma after the last element of the first top-level list.
    let close = json.find("\n  ]").expect("a list closes");
    let broken = format!("{},{}", &json[..close], &json[close..]);
    let line = broken[..close].matches('\n').count() + 1;
    let lines = scenario_text::problems("t.json", &broken);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!("t.json:{line}:"))
            && lines[0].contains("a comma after the last element of a list"),
        "{lines:#?}"
    );
}
