//! Times anchored to a report's date ("later this week", "next week", "within three days", as the report
//! of a source put it): read from TOML and JSON to a window of days, shown with their basis, written back
//! as read, and each wrong field reported with its place and a hint.

mod support;

use demarche::io::scenario::{parse, write};
use demarche::model::evidence::{ReportSpan, describe_report};
use demarche::model::{Moment, When};
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
published = 2026-02-04
grade = "B2"

[[sources]]
id = "undated"
outlet = "A leaflet"

[[venues]]
id = "ankara"
name = "Ankara"
kind = "capital"
country = "TR"
time_zone = "Europe/Istanbul"
lon = 32.86
lat = 39.93

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
id = "talks"
kind = "meeting"
status = "planned"
title = "Talks later this week"
participants = [
    { actor = "fidan", part = "host" },
    { actor = "araghchi", part = "guest" },
]
venue = "ankara"
time = { report = "wire", span = "later this week" }
sources = [{ source = "wire", says = "talks are expected later this week" }]

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
time = { after = "talks", by = "1w" }
sources = [{ source = "wire" }]
"#;

fn with(from: &str, to: &str) -> String {
    scenario_text::replace_once(BASE, from, to)
}

fn day(s: &str) -> Moment {
    Moment::Day(s.parse().expect("a date"))
}

fn window(text: &str) -> When {
    parse("t.toml", text)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario
        .contacts[0]
        .time
        .when
}

#[test]
fn later_this_week_is_a_window_from_the_report_to_sunday_with_its_basis() {
    let s = parse("t.toml", BASE)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    let talks = &s.contacts[0];
    // Reported on Wednesday 4 February 2026: Wednesday to Sunday 8 February, in Ankara's days.
    assert_eq!(
        talks.time.when,
        When::Window {
            earliest: day("2026-02-04"),
            latest: day("2026-02-08"),
        }
    );
    assert_eq!(&*talks.time.zone_name, "Europe/Istanbul");
    assert_eq!(
        talks.time.start,
        Some("2026-02-03T21:00:00Z".parse().expect("ts"))
    );
    let basis = talks
        .evidence
        .as_ref()
        .and_then(|e| e.reported)
        .expect("its basis");
    assert_eq!(basis.span, ReportSpan::LaterThisWeek);
    assert_eq!(
        describe_report(&basis, s.source(basis.source), &talks.time.zone),
        "later in the week of the report of A wire service, 4 Feb"
    );
    // A contact a week after it is as vague: the same window, a week later.
    assert_eq!(
        s.contacts[1].time.when,
        When::Window {
            earliest: day("2026-02-11"),
            latest: day("2026-02-15"),
        }
    );
}

#[test]
fn next_week_and_within_days_are_windows_too() {
    let next = window(&with("span = \"later this week\"", "span = \"next week\""));
    assert_eq!(
        next,
        When::Window {
            earliest: day("2026-02-09"),
            latest: day("2026-02-15"),
        }
    );
    let within = window(&with("span = \"later this week\"", "span = \"3d\""));
    assert_eq!(
        within,
        When::Window {
            earliest: day("2026-02-04"),
            latest: day("2026-02-07"),
        }
    );
    // Reported on a Sunday, "later this week" is that day.
    let sunday = window(&with("published = 2026-02-04", "published = 2026-02-08"));
    assert_eq!(sunday, When::Day("2026-02-08".parse().expect("date")));
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
    assert!(written.contains("\"report\": \"wire\""), "{written}");
    assert!(
        written.contains("\"span\": \"later this week\""),
        "{written}"
    );
    let again = parse("again.json", &written)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario;
    assert_eq!(format!("{again:?}"), format!("{toml:?}"));
}

/// The problems of `text` that mention `needle`, or a panic listing them all.
fn problem_with(name: &str, text: &str, needle: &str) -> String {
    let lines = scenario_text::problems(name, text);
    lines
        .iter()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no problem with `{needle}` in {lines:#?}"))
        .clone()
}

#[test]
fn an_unknown_source_gets_a_did_you_mean_at_its_place() {
    let text = with("report = \"wire\"", "report = \"wires\"");
    let line = problem_with("t.toml", &text, "no source has the id `wires`");
    assert!(
        line.starts_with("t.toml:51:19: error:")
            && line.contains("[contacts[0].time.report]")
            && line.contains("did you mean `wire`?"),
        "{line}"
    );
    let json = scenario_text::toml_to_json(&text);
    let line = problem_with("t.json", &json, "no source has the id `wires`");
    assert!(
        line.starts_with("t.json:") && line.contains("[contacts[0].time.report]"),
        "{line}"
    );
}

#[test]
fn a_source_without_a_date_cannot_anchor_a_time() {
    let text = with("report = \"wire\"", "report = \"undated\"");
    let line = problem_with("t.toml", &text, "has no `published` date");
    assert!(
        line.contains("source `undated` has no `published` date to count from")
            && line.contains("[contacts[0].time.report]")
            && line.contains("give source `undated` its `published` date"),
        "{line}"
    );
}

#[test]
fn a_bad_span_says_what_a_span_is() {
    let line = problem_with(
        "t.toml",
        &with("span = \"later this week\"", "span = \"soonish\""),
        "`soonish` is not a span",
    );
    assert!(
        line.contains("[contacts[0].time.span]") && line.contains("`next week`"),
        "{line}"
    );
    let line = problem_with(
        "t.toml",
        &with("span = \"later this week\"", "span = \"12h\""),
        "is in hours",
    );
    assert!(line.contains("[contacts[0].time.span]"), "{line}");
    let line = problem_with(
        "t.toml",
        &with(", span = \"later this week\"", ""),
        "needs `span`",
    );
    assert!(line.contains("[contacts[0].time.report]"), "{line}");
    let line = problem_with(
        "t.toml",
        &with("report = \"wire\", ", ""),
        "which needs `report`",
    );
    assert!(line.contains("[contacts[0].time.span]"), "{line}");
    let line = problem_with(
        "t.toml",
        &with(
            "span = \"later this week\" }",
            "span = \"next week\", on = 2026-02-05 }",
        ),
        "takes only `span`",
    );
    assert!(line.contains("[contacts[0].time]"), "{line}");
}

#[test]
fn cycles_are_still_checked_around_a_report_anchored_time() {
    // The contact anchored to the report depends on no contact: a circle through the others is still one.
    let text = with(
        "time = { after = \"talks\", by = \"1w\" }",
        "time = { after = \"follow-up\", by = \"1w\" }",
    );
    problem_with("t.toml", &text, "in a circle: follow-up → follow-up");
}

/// The default story's planned Ankara meeting is "later this week" in its article of Sunday 1 February:
/// the window it always had (Sunday to Saturday, as the U.S. official's week runs), now with its basis
/// in the details.
#[test]
fn the_default_storys_planned_meeting_shows_the_report_it_counts_from() {
    use egui_kittest::kittest::Queryable as _;
    let mut harness =
        support::app::app_with_fonts([1400.0, 900.0], demarche::app::AppOptions::default());
    harness.run();
    {
        let app = harness.state();
        let scenario = &app.document.loaded.scenario;
        let id = scenario
            .contact_by_id("ankara-meeting-planned")
            .expect("the planned meeting");
        assert_eq!(
            scenario.contact(id).time.when,
            When::Window {
                earliest: day("2026-02-01"),
                latest: day("2026-02-07"),
            }
        );
    }
    harness
        .get_by_label_contains("Planned: Witkoff and senior Iranian officials in Ankara")
        .click();
    harness.run();
    harness.get_by_label(
        "later in the week of the report of News report (the outlet is not named in the seed text), 1 Feb",
    );
}

#[test]
fn the_week_may_start_on_another_day_and_a_wrong_day_is_placed() {
    // Wednesday 4 February, in a week that starts on Saturday (Iran's): to Friday 6 February.
    let iran = window(&with(
        "span = \"later this week\"",
        "span = \"later this week\", week_starts = \"Saturday\"",
    ));
    assert_eq!(
        iran,
        When::Window {
            earliest: day("2026-02-04"),
            latest: day("2026-02-06"),
        }
    );
    let line = problem_with(
        "t.toml",
        &with(
            "span = \"later this week\"",
            "span = \"later this week\", week_starts = \"sun\"",
        ),
        "`sun` is not a day of the week",
    );
    assert!(line.contains("[contacts[0].time.week_starts]"), "{line}");
}
