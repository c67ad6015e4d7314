//! Evidence in the scenario format: graded and dated sources, competing accounts, relative times; each
//! read from TOML and JSON, each wrong field reported with its place and a hint, and written back as read.

mod support;

use demarche::io::scenario::{parse, write};
use demarche::model::evidence::Direction;
use demarche::model::{Moment, Status, When};
use support::scenario_text;

const BASE: &str = r#"format = "demarche-scenario"
version = 1

[scenario]
id = "t"
title = "Test"
time_zone = "UTC"

[[sources]]
id = "wire"
outlet = "A wire service"
published = 2026-02-01
grade = "B2"

[[sources]]
id = "ministry"
outlet = "A ministry"
published = "2026-01-31T18:00:00Z"
retrieved = 2026-02-02
grade = "C3"

[[sources]]
id = "blog"
outlet = "A blog"
published = 2026-02-03

[[venues]]
id = "ankara"
name = "Ankara"
kind = "capital"
country = "TR"
time_zone = "Europe/Istanbul"
lon = 32.86
lat = 39.93

[[venues]]
id = "muscat"
name = "Muscat"
kind = "capital"
country = "OM"
time_zone = "Asia/Muscat"
lon = 58.4
lat = 23.6

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

[[contacts]]
id = "meet"
kind = "meeting"
status = "held"
title = "Fidan meets Araghchi"
participants = [
    { actor = "fidan", part = "host" },
    { actor = "araghchi", part = "guest" },
]
venue = "ankara"
time = { on = 2026-01-30 }
sources = [{ source = "ministry" }]

[[contacts.accounts]]
asserts = "denied"
sources = [{ source = "wire", says = "an official denies any meeting" }]

[[contacts.accounts]]
asserts = "held"
sources = [{ source = "blog" }]
time = { on = 2026-02-01 }
venue = "muscat"

[[contacts]]
id = "follow-up"
kind = "meeting"
status = "planned"
title = "A second round"
participants = [
    { actor = "fidan", part = "host" },
    { actor = "araghchi", part = "guest" },
]
venue = "ankara"
time = { after = "meet", by = "2d" }
sources = [{ source = "blog" }]

[[contacts]]
id = "third"
kind = "meeting"
status = "planned"
title = "A third round"
participants = [
    { actor = "fidan", part = "host" },
    { actor = "araghchi", part = "guest" },
]
venue = "ankara"
time = { before = "follow-up", by = "12h" }
sources = [{ source = "blog" }]
"#;

fn with(from: &str, to: &str) -> String {
    scenario_text::replace_once(BASE, from, to)
}

fn assert_problem(text: &str, expected: &str) {
    scenario_text::assert_problem("t.toml", text, expected);
}

/// `line:column` (1-based) of the first `needle` in `text`, after `after`.
fn place(text: &str, after: &str, needle: &str) -> String {
    let start = text.find(after).expect("after")
        + text[text.find(after).expect("after")..]
            .find(needle)
            .expect("needle");
    let line = text[..start].matches('\n').count() + 1;
    let column = start - text[..start].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{column}")
}

#[test]
fn sources_keep_their_grades_and_publication_days_or_moments() {
    let s = parse("t.toml", BASE)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    assert_eq!(
        s.sources[0].grade.map(|g| g.to_string()).as_deref(),
        Some("B2")
    );
    assert_eq!(
        s.sources[0].published,
        Some(Moment::Day("2026-02-01".parse().expect("date")))
    );
    assert_eq!(
        s.sources[1].published,
        Some(Moment::At("2026-01-31T18:00:00Z".parse().expect("ts")))
    );
    assert!(s.sources[1].retrieved.is_some());
    assert_eq!(s.sources[2].grade, None);
}

#[test]
fn a_contact_shows_its_best_graded_account_and_its_dispute() {
    let s = parse("t.toml", BASE)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    let meet = &s.contacts[0];
    assert_eq!(meet.accounts().len(), 3, "its own and two more");
    assert!(meet.accounts()[0].own);
    // The wire (B2) beats the ministry (C3, the contact's own account) and the ungraded blog.
    assert_eq!(meet.status, Status::Denied);
    let dispute = meet.dispute();
    assert!(
        dispute.status && dispute.time && dispute.place,
        "{dispute:?}"
    );
    // The denial gives no time: the contact keeps its own.
    assert_eq!(
        meet.time.when,
        When::Day("2026-01-30".parse().expect("date"))
    );
}

#[test]
fn relative_times_resolve_in_order_and_keep_their_basis() {
    let s = parse("t.toml", BASE)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    let follow = &s.contacts[1];
    assert_eq!(
        follow.time.when,
        When::Day("2026-02-01".parse().expect("date"))
    );
    let relative = follow.relative().expect("relative");
    assert_eq!(s.contact(relative.anchor).id, "meet");
    assert_eq!(relative.direction, Direction::After);
    assert_eq!(
        demarche::model::evidence::describe(relative, &s.contact(relative.anchor).title),
        "2 days after Fidan meets Araghchi"
    );
    // In the anchor's zone (Ankara's venue: Europe/Istanbul, UTC+3).
    assert_eq!(&*follow.time.zone_name, "Europe/Istanbul");
    // Twelve hours before a whole day: a window of a day's length.
    let third = &s.contacts[2];
    assert_eq!(
        third.time.start,
        Some("2026-01-31T09:00:00Z".parse().expect("ts"))
    );
    assert_eq!(
        third.time.end,
        Some("2026-02-01T09:00:00Z".parse().expect("ts"))
    );
}

#[test]
fn json_reads_the_same_and_the_writer_round_trips() {
    let toml = parse("t.toml", BASE)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    let json = scenario_text::toml_to_json(BASE);
    let from_json = parse("t.json", &json)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    assert_eq!(format!("{from_json:?}"), format!("{toml:?}"));
    let written = write::to_json(&toml);
    assert!(written.contains("\"grade\": \"B2\""), "{written}");
    assert!(written.contains("\"after\": \"meet\""), "{written}");
    assert!(written.contains("\"asserts\": \"denied\""), "{written}");
    // The contact's own status is written, not the leading account's.
    assert!(written.contains("\"status\": \"held\""), "{written}");
    let again = parse("again.json", &written)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    assert_eq!(format!("{again:?}"), format!("{toml:?}"));
}

#[test]
fn a_wrong_grade_is_placed_and_corrected() {
    let text = with("grade = \"B2\"", "grade = \"b2\"");
    let at = place(&text, "grade = \"b2\"", "\"b2\"");
    assert_problem(
        &text,
        &format!(
            "t.toml:{at}: error: `b2` is not a grade [sources[0].grade] (hint: did you mean `B2`?)"
        ),
    );
    let text = with("grade = \"C3\"", "grade = \"G9\"");
    let lines = scenario_text::problems("t.toml", &text);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("`G9` is not a grade [sources[1].grade]")
                && l.contains("A (completely reliable)")),
        "{lines:#?}"
    );
}

#[test]
fn a_wrong_publication_time_is_an_error() {
    let text = with("published = 2026-02-03", "published = \"3 Feb\"");
    let at = place(&text, "published = \"3 Feb\"", "\"3 Feb\"");
    assert_problem(
        &text,
        &format!(
            "t.toml:{at}: error: `3 Feb` is not a date or a date and time [sources[2].published] (hint: write a date as 2026-01-31, or a moment as 2026-01-31T18:00:00Z)"
        ),
    );
}

#[test]
fn an_unknown_anchor_gets_a_did_you_mean() {
    let text = with("after = \"meet\"", "after = \"meat\"");
    let at = place(&text, "after = \"meat\"", "\"meat\"");
    assert_problem(
        &text,
        &format!(
            "t.toml:{at}: error: no contact has the id `meat` [contacts[1].time.after] (hint: did you mean `meet`?)"
        ),
    );
}

#[test]
fn a_circle_of_relative_times_is_an_error() {
    let text = with(
        "time = { on = 2026-01-30 }",
        "time = { after = \"third\", by = \"1d\" }",
    );
    let lines = scenario_text::problems("t.toml", &text);
    assert!(
        lines.iter().any(|l| l.contains("these times depend on each other in a circle: meet → third → follow-up → meet [contacts[0].time.after]")),
        "{lines:#?}"
    );
    let own = with("after = \"meet\"", "after = \"follow-up\"");
    let lines = scenario_text::problems("t.toml", &own);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("in a circle: follow-up → follow-up")
                && l.contains("[contacts[1].time.after]")),
        "{lines:#?}"
    );
}

#[test]
fn relative_times_are_written_with_by_and_nothing_else() {
    let lines = scenario_text::problems(
        "t.toml",
        &with(
            "time = { after = \"meet\", by = \"2d\" }",
            "time = { after = \"meet\" }",
        ),
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("needs `by`, the offset [contacts[1].time.after]")),
        "{lines:#?}"
    );
    let lines = scenario_text::problems("t.toml", &with("by = \"2d\"", "by = \"two days\""));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("`two days` is not an offset")
                && l.contains("[contacts[1].time.by]")),
        "{lines:#?}"
    );
    let lines = scenario_text::problems(
        "t.toml",
        &with("by = \"2d\" }", "by = \"2d\", tz = \"UTC\" }"),
    );
    assert!(
        lines.iter().any(|l| l.contains("takes only `by`")),
        "{lines:#?}"
    );
}

#[test]
fn an_account_needs_a_known_status_and_sources() {
    let text = with("asserts = \"denied\"", "asserts = \"denyed\"");
    let at = place(&text, "asserts = \"denyed\"", "\"denyed\"");
    assert_problem(
        &text,
        &format!(
            "t.toml:{at}: error: unknown status `denyed` [contacts[0].accounts[0].asserts] (hint: did you mean `denied`?)"
        ),
    );
    let lines = scenario_text::problems(
        "t.toml",
        &with(
            "sources = [{ source = \"blog\" }]\ntime = { on = 2026-02-01 }",
            "sources = [{ source = \"blogg\" }]\ntime = { on = 2026-02-01 }",
        ),
    );
    assert!(
        lines.iter().any(|l| l
            .contains("no source has the id `blogg` [contacts[0].accounts[1].sources[0].source]")),
        "{lines:#?}"
    );
}

#[test]
fn json_errors_of_the_new_fields_have_places_too() {
    let json = scenario_text::toml_to_json(&with("grade = \"B2\"", "grade = \"2B\""));
    let lines = scenario_text::problems("t.json", &json);
    assert!(
        lines.iter().any(|l| l.starts_with("t.json:")
            && l.contains("`2B` is not a grade [sources[0].grade]")
            && l.contains("did you mean `B2`?")),
        "{lines:#?}"
    );
    let json = scenario_text::toml_to_json(&with("after = \"meet\"", "after = \"meat\""));
    let lines = scenario_text::problems("t.json", &json);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("t.json:") && l.contains("no contact has the id `meat`")),
        "{lines:#?}"
    );
}

#[test]
fn the_filter_keeps_contacts_by_the_grade_they_are_shown_by_and_by_dispute() {
    use demarche::model::Filter;
    let s = parse("t.toml", BASE)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    let order = s.chronological();
    let ids = |f: &Filter| -> Vec<String> {
        let mut ids: Vec<String> = f
            .apply(&s, &order)
            .into_iter()
            .map(|id| s.contact(id).id.clone())
            .collect();
        ids.sort();
        ids
    };
    // `meet` is shown by the B2 wire; the other two cite only the ungraded blog.
    let b2 = Filter {
        grade_at_least: Some("B2".parse().expect("grade")),
        ..Filter::default()
    };
    assert_eq!(ids(&b2), ["meet"]);
    assert_eq!(b2.active_count(), 1);
    let a1 = Filter {
        grade_at_least: Some("A1".parse().expect("grade")),
        ..Filter::default()
    };
    assert!(ids(&a1).is_empty(), "B2 is not A1 or better");
    let c3 = Filter {
        grade_at_least: Some("C3".parse().expect("grade")),
        ..Filter::default()
    };
    assert_eq!(ids(&c3), ["meet"]);
    let disputed = Filter {
        disputed_only: true,
        ..Filter::default()
    };
    assert_eq!(ids(&disputed), ["meet"]);
    assert!(!disputed.is_empty());
}

/// `demarche check` lets the contacts go as it reads them (a JSON file of a million contacts is not held):
/// a relative time's anchor and a circle are still checked.
#[test]
fn a_check_that_keeps_no_contacts_still_checks_relative_times() {
    use demarche::io::scenario::check_file;
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [
        ("ok.toml", BASE.to_owned()),
        ("ok.json", scenario_text::toml_to_json(BASE)),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let checked = check_file(&path).unwrap_or_else(|r| panic!("{:#?}", r.to_lines()));
        assert_eq!(checked.contacts, 3);
    }
    for (name, text) in [
        ("bad.toml", with("after = \"meet\"", "after = \"meat\"")),
        (
            "bad.json",
            scenario_text::toml_to_json(&with("after = \"meet\"", "after = \"meat\"")),
        ),
        (
            "circle.json",
            scenario_text::toml_to_json(&with("after = \"meet\"", "after = \"third\"")),
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let lines = check_file(&path)
            .err()
            .unwrap_or_else(|| panic!("{name} is refused"))
            .to_lines();
        assert!(
            lines
                .iter()
                .any(|l| l.contains("no contact has the id `meat`")
                    || l.contains("in a circle: follow-up → third → follow-up")),
            "{name}: {lines:#?}"
        );
    }
}
