//! The as-of clock: what was known at a moment, without hindsight, on the Oman-channel example (whose
//! sources were published on different days, and whose round 4 has two accounts: planned, then
//! postponed); and `demarche export --as-of`, whose picture and stamp change with it.

mod support;

use std::path::PathBuf;

use demarche::io::scenario::load;
use demarche::model::as_of::{as_known, first_known};
use demarche::model::{Scenario, Status};
use support::fixtures::{demarche, path_str, text, ts};

fn oman() -> Scenario {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/oman-channel-2025.toml");
    load(&path).expect("the example loads").scenario
}

fn round_4(s: &Scenario) -> Option<&demarche::model::Contact> {
    s.contacts.iter().find(|c| c.id == "round-4-rome-postponed")
}

#[test]
fn round_4_is_planned_as_of_28_april_and_postponed_from_1_may() {
    let s = oman();
    let now = round_4(&s).expect("round 4");
    assert_eq!(
        now.status,
        Status::Postponed,
        "the B1 report of the postponement leads"
    );
    assert!(now.dispute().status, "planned against postponed");

    // Reported first on 26 April (a report known to the day counts from the day's end, in UTC here).
    assert_eq!(first_known(&s, now), Some(ts("2025-04-27T00:00:00Z")));
    let before = as_known(&s, ts("2025-04-26T12:00:00Z"));
    assert!(round_4(&before).is_none(), "not reported yet");

    let then = as_known(&s, ts("2025-04-28T00:00:00Z"));
    let known = round_4(&then).expect("reported by then");
    assert_eq!(known.status, Status::Planned);
    assert!(!known.dispute().any(), "one account only");
    assert_eq!(known.accounts().len(), 1);
    // Where is not known yet: Oman is to announce the venue.
    let venue = then.venue(known.venues()[0]);
    assert_eq!(venue.id, "venue-to-be-announced");
    // The citations of 1 May are not known on 28 April.
    assert!(known.sources.is_empty(), "{:?}", known.sources);

    let later = as_known(&s, ts("2025-05-02T00:00:00Z"));
    let known = round_4(&later).expect("known");
    assert_eq!(known.status, Status::Postponed);
    assert_eq!(later.venue(known.venues()[0]).id, "rome");
    assert_eq!(known.accounts().len(), 2);
}

#[test]
fn the_as_of_clock_holds_back_later_contacts_and_keeps_everything_at_the_end() {
    let s = oman();
    let early = as_known(&s, ts("2025-04-13T00:00:00Z"));
    assert!(early.contacts.len() < s.contacts.len());
    assert!(
        !early.contacts.is_empty(),
        "round 1 was reported on 12 April"
    );
    assert!(early.contacts.iter().all(|c| c.id != "round-3-muscat"));
    let end = as_known(&s, ts("2030-01-01T00:00:00Z"));
    assert_eq!(
        format!("{:?}", end.contacts),
        format!("{:?}", s.contacts),
        "as of a moment after every report, the scenario is as loaded"
    );
}

#[test]
fn the_default_scenario_is_known_once_its_article_is_out() {
    let text = include_str!("../data/scenarios/ankara-channel.toml");
    let s = demarche::io::scenario::parse("a.toml", text)
        .expect("default")
        .scenario;
    // Every contact cites the article of Sunday 1 February (UTC): known from the end of that day.
    let all = as_known(&s, ts("2026-01-01T00:00:00Z"));
    assert_eq!(
        all.contacts.len(),
        0,
        "the article of 1 February is not known on 1 January"
    );
    let after = as_known(&s, ts("2026-02-02T00:00:00Z"));
    assert_eq!(after.contacts.len(), s.contacts.len());
}

#[test]
fn export_as_of_changes_the_picture_and_says_so_in_the_stamp() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/oman-channel-2025.toml");
    let export = |as_of: Option<&str>, name: &str| {
        let out = dir.path().join(name);
        let mut args = vec![
            "export",
            path_str(&scenario),
            "--at",
            "2025-05-03T12:00:00Z",
            "--size",
            "800x450",
            "-o",
            path_str(&out),
        ];
        if let Some(t) = as_of {
            args.extend(["--as-of", t]);
        }
        let run = demarche(&args);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        std::fs::read_to_string(&out).expect("written")
    };
    let texts = |svg: &str| -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).expect("XML");
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect()
    };
    let contacts_group = |svg: &str| -> String {
        let doc = roxmltree::Document::parse(svg).expect("XML");
        doc.descendants()
            .find(|n| n.has_tag_name("g") && n.attribute("id") == Some("contacts"))
            .map(|g| svg[g.range()].to_owned())
            .unwrap_or_default()
    };
    let now = export(None, "now.svg");
    let then = export(Some("2025-04-28"), "then.svg");
    assert!(
        texts(&now).iter().any(|t| t
            .starts_with("oman-channel-2025 · event 2025-05-03 12:00Z · all contacts · sha256 ")),
        "{:?}",
        texts(&now)
    );
    assert!(
        texts(&then).iter().any(|t| t.starts_with(
            "oman-channel-2025 · event 2025-05-03 12:00Z · as of 2025-04-29 00:00Z · all contacts · sha256 "
        )),
        "a date alone is the end of that day: {:?}",
        texts(&then)
    );
    // On 3 May the round is postponed (drawn as such, in Rome); as known on 28 April it was planned, at a
    // venue still to be announced: the contacts drawn differ.
    assert_ne!(contacts_group(&now), contacts_group(&then));
    let bad = demarche(&[
        "export",
        "--at",
        "2025-05-03",
        "--as-of",
        "soon",
        "-o",
        "x.svg",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("--as-of"),
        "{}",
        text(&bad.stderr)
    );
}

/// The texts of an SVG.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn export_new_since_marks_later_reports_and_replay_stamps_both_clocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/oman-channel-2025.toml");
    let export = |extra: &[&str], name: &str| {
        let out = dir.path().join(name);
        let mut args = vec![
            "export",
            path_str(&scenario),
            "--at",
            "2025-05-03T12:00:00Z",
            "--size",
            "800x450",
            "-o",
            path_str(&out),
        ];
        args.extend(extra);
        let run = demarche(&args);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        svg_texts(&std::fs::read_to_string(&out).expect("written"))
    };
    let plain = export(&[], "plain.svg");
    assert!(!plain.iter().any(|t| t == "+"), "{plain:?}");
    let marked = export(&["--new-since", "2025-04-28"], "new.svg");
    assert!(
        marked.iter().any(|t| t == "+"),
        "round 4, postponed on 1 May, is marked: {marked:?}"
    );
    assert!(
        marked.iter().any(|t| t == "Reported since 29 Apr 2025"),
        "a date alone is the end of that day: {marked:?}"
    );
    // The replay of knowledge, for one picture: what was known at the event time, both clocks stamped.
    let replay = export(&["--replay-knowledge"], "replay.svg");
    assert!(
        replay.iter().any(|t| t.starts_with(
            "oman-channel-2025 · event 2025-05-03 12:00Z · as of 2025-05-03 12:00Z · "
        )),
        "{replay:?}"
    );
    let both = demarche(&[
        "export",
        "--at",
        "2025-05-03",
        "--as-of",
        "2025-05-01",
        "--replay-knowledge",
        "-o",
        "x.svg",
    ]);
    assert_eq!(both.status.code(), Some(2), "one as-of clock or the other");
}

#[test]
fn each_frame_of_a_knowledge_replay_shows_what_was_known_at_its_time() {
    use demarche::export::{Source, scene};
    let whole = oman();
    let mut source = support::fixtures::source();
    source.order = whole.chronological();
    source.stamp = demarche::io::scenario::Stamp::new(&whole.meta.id, b"oman");
    source.scenario = whole.clone();
    source.replay = true;
    let spec = support::fixtures::spec(800.0, 450.0);
    let camera = spec.camera(&source).expect("camera");
    let mut typesetter = spec.typesetter();
    let texts = |source: &Source, t: &str, typesetter: &mut _| -> Vec<String> {
        scene(source, &spec, &camera, ts(t), None, typesetter)
            .layers
            .iter()
            .flat_map(|l| l.items.iter())
            .filter_map(|i| match i {
                demarche::scene::Item::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    };
    let contacts = |source: &Source, t: &str, typesetter: &mut _| {
        let scene = scene(source, &spec, &camera, ts(t), None, typesetter);
        format!("{:?}", scene.layer("contacts").map(|l| &l.items))
    };
    // At noon on 12 April, during round 1: it was reported that day, known (to the day) from its end, so
    // the replay does not draw it yet; with hindsight it is drawn.
    let noon = "2025-04-12T12:00:00Z";
    let replayed = contacts(&source, noon, &mut typesetter);
    let stamp = texts(&source, noon, &mut typesetter);
    assert!(
        stamp
            .iter()
            .any(|t| t.contains("event 2025-04-12 12:00Z · as of 2025-04-12 12:00Z")),
        "{stamp:?}"
    );
    source.replay = false;
    let hindsight = contacts(&source, noon, &mut typesetter);
    assert_ne!(
        replayed, hindsight,
        "the replay holds back what was reported later"
    );
    // Once everything is reported, the replay and hindsight agree.
    let late = "2025-06-30T12:00:00Z";
    let hindsight = contacts(&source, late, &mut typesetter);
    source.replay = true;
    assert_eq!(contacts(&source, late, &mut typesetter), hindsight);
}
