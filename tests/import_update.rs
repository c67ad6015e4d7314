//! Re-importing newer data (`demarche import NEW... --into EXISTING -o OUT`, and the library's
//! `import::update::merge`): contacts matched by their dataset row ids are updated and keep the analyst's
//! decision, new rows are added as candidates, the analyst's own contacts and the rest are kept, nothing
//! is duplicated. The files are the real ICEWS sample in `../shared/events/` and hand-edited copies of it
//! (and a small ACLED file in today's layout) written into a temporary folder.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use demarche::import::{Options, import, update::merge};
use demarche::io::scenario::{self, write};
use demarche::model::{Review, Scenario};
use support::fixtures::{demarche, path_str, text};
use support::shared_files::shared;

fn write_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write fixture");
    path
}

fn imported(paths: &[PathBuf]) -> Scenario {
    import(paths, &Options::default())
        .expect("imports")
        .scenario
}

fn read(path: &Path) -> Scenario {
    match scenario::load(path) {
        Ok(loaded) => loaded.scenario,
        Err(report) => panic!(
            "{} does not load:\n{}",
            path.display(),
            report.to_lines().join("\n")
        ),
    }
}

/// The contact holding row `row`, and how many contacts hold it (never more than one).
fn holding(s: &Scenario, row: &str) -> (Option<usize>, usize) {
    let holders: Vec<usize> = s
        .contacts
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.provenance
                .as_ref()
                .is_some_and(|p| p.rows.iter().any(|r| r == row))
        })
        .map(|(i, _)| i)
        .collect();
    (holders.first().copied(), holders.len())
}

fn review(s: &Scenario, i: usize) -> Review {
    s.contacts[i]
        .provenance
        .as_ref()
        .expect("machine-coded")
        .review
}

/// Every row id of every machine-coded contact appears in one contact only.
fn assert_no_duplicates(s: &Scenario) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for c in &s.contacts {
        if let Some(p) = &c.provenance {
            for row in &p.rows {
                if let Some(other) = seen.insert(row.clone(), c.id.clone()) {
                    panic!("row {row} is in {other} and {}", c.id);
                }
            }
        }
    }
    let mut ids: Vec<&str> = s.contacts.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "contact ids are unique");
}

/// An analyst's own contact, made from a copy of an imported one without its provenance.
fn add_own_contact(s: &mut Scenario) {
    let mut own = s.contacts[0].clone();
    own.id = "analyst-own-note".to_owned();
    own.title = "The analyst's own contact".to_owned();
    own.provenance = None;
    s.contacts.push(own);
}

/// The ICEWS sample with: the place of the row `moved` changed, the date of the row `redated` moved a
/// day, and a new row (a copy of `copied` under a new Event ID and another source actor).
fn edited_icews(original: &str, moved: &str, redated: &str, copied: &str) -> String {
    let mut out = String::new();
    let mut extra = String::new();
    for (i, line) in original.lines().enumerate() {
        let mut f: Vec<String> = line.split('\t').map(str::to_owned).collect();
        if i > 0 && f[0] == moved {
            // City, District, Province, Country, Latitude, Longitude.
            f[14] = "Testville".to_owned();
            f[18] = "10.5".to_owned();
            f[19] = "20.5".to_owned();
        }
        if i > 0 && f[0] == redated {
            let day: jiff::civil::Date = f[1].parse().expect("a date");
            f[1] = day.tomorrow().expect("a day").to_string();
        }
        if i > 0 && f[0] == copied {
            let mut new = f.clone();
            new[0] = "99999999".to_owned();
            new[2] = "Testland Foreign Ministry".to_owned();
            extra = new.join("\t") + "\n";
        }
        out.push_str(&f.join("\t"));
        out.push('\n');
    }
    out + &extra
}

/// Two contacts of one row each, with distinct rows, for the decisions.
fn single_row_contacts(s: &Scenario) -> (usize, usize, usize) {
    let single: Vec<usize> = s
        .contacts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.provenance.as_ref().is_some_and(|p| p.rows.len() == 1))
        .map(|(i, _)| i)
        .collect();
    assert!(single.len() >= 3, "the sample has contacts of one row");
    (single[0], single[1], single[2])
}

fn row_of(s: &Scenario, i: usize) -> String {
    s.contacts[i].provenance.as_ref().expect("coded").rows[0].clone()
}

#[test]
fn reimporting_edited_icews_updates_adds_and_keeps_every_decision() {
    let Some(sample) = shared("events/icews/events-2018-sample.tab") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut first = imported(std::slice::from_ref(&sample));
    let (accepted, rejected, copied) = single_row_contacts(&first);
    let (moved_row, redated_row, copied_row) = (
        row_of(&first, accepted),
        row_of(&first, rejected),
        row_of(&first, copied),
    );
    for (i, r) in [(accepted, Review::Accepted), (rejected, Review::Rejected)] {
        first.contacts[i].provenance.as_mut().expect("coded").review = r;
    }
    add_own_contact(&mut first);
    let existing = write_file(dir.path(), "story.json", &write::to_json(&first));
    let before = read(&existing);

    let original = std::fs::read_to_string(&sample).expect("read sample");
    let newer = write_file(
        dir.path(),
        "newer.tab",
        &edited_icews(&original, &moved_row, &redated_row, &copied_row),
    );
    let out = dir.path().join("out.json");
    let run = demarche(&[
        "import",
        path_str(&newer),
        "--into",
        path_str(&existing),
        "-o",
        path_str(&out),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    let unchanged = before.contacts.len() - 1 - 2;
    assert!(
        stdout.contains(&format!(
            "update: 2 updated, 1 added (candidates), {unchanged} unchanged, 1 kept as they were (1 the analyst's own); 2 decisions kept"
        )),
        "{stdout}"
    );
    let after = read(&out);
    assert_no_duplicates(&after);
    assert_eq!(after.contacts.len(), before.contacts.len() + 1);

    let (moved, n) = holding(&after, &moved_row);
    let moved = moved.expect("kept");
    assert_eq!(n, 1);
    assert_eq!(
        after.contacts[moved].id, before.contacts[accepted].id,
        "updated in place"
    );
    assert_eq!(
        review(&after, moved),
        Review::Accepted,
        "the decision survives the update"
    );
    let demarche::model::Place::At(v) = after.contacts[moved].place else {
        panic!("placed")
    };
    assert!(
        after.venue(v).name.contains("Testville"),
        "{}",
        after.venue(v).name
    );

    let (redated, _) = holding(&after, &redated_row);
    let redated = redated.expect("kept");
    assert_eq!(review(&after, redated), Review::Rejected);
    assert_ne!(
        after.contacts[redated].time, before.contacts[rejected].time,
        "the new date"
    );

    let (new, _) = holding(&after, "99999999");
    assert_eq!(review(&after, new.expect("added")), Review::Candidate);
    assert!(
        after
            .contacts
            .iter()
            .any(|c| c.id == "analyst-own-note" && c.provenance.is_none()),
        "the analyst's own contact is kept"
    );

    // The same newer file again: nothing changes.
    let again = dir.path().join("again.json");
    let run = demarche(&[
        "import",
        path_str(&newer),
        "--into",
        path_str(&out),
        "-o",
        path_str(&again),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("update: 0 updated, 0 added"),
        "{}",
        text(&run.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(&again).expect("read"),
        std::fs::read_to_string(&out).expect("read"),
        "a second run of the same data is a no-op"
    );
}

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

fn acled_row(
    id: &str,
    date: &str,
    second: &str,
    place: (&str, &str, &str),
    notes: &str,
    timestamp: &str,
) -> String {
    let (location, lat, lon) = place;
    format!(
        "{id},{date},2022,1,Strategic developments,Strategic developments,Agreement,Government of Argentina (2019-),,1,{second},,1,11,,32,South America,Argentina,Buenos Aires,,,{location},{lat},{lon},1,Clarin,National,\"{notes}\",0,,{timestamp}\n"
    )
}

#[test]
fn an_acled_event_edited_under_its_id_is_updated_not_duplicated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let baires = ("Buenos Aires", "-34.6037", "-58.3816");
    let old = format!(
        "{ACLED_HEADER}\n{}{}{}",
        acled_row(
            "ARG1",
            "2022-06-10",
            "Government of Chile (2022-)",
            baires,
            "An agreement on trade.",
            "1655000000"
        ),
        acled_row(
            "ARG2",
            "2022-06-11",
            "Government of Brazil (2019-2022)",
            baires,
            "An agreement on energy.",
            "1655000000"
        ),
        acled_row(
            "ARG4",
            "2022-06-12",
            "Government of Uruguay (2020-)",
            baires,
            "An agreement on rivers.",
            "1655000000"
        ),
    );
    let old = write_file(dir.path(), "acled-june.csv", &old);
    let mut first = imported(std::slice::from_ref(&old));
    assert_eq!(first.contacts.len(), 3, "three agreements");
    let index = |s: &Scenario, row: &str| holding(s, row).0.expect("a contact");
    let (a1, a2) = (index(&first, "ARG1"), index(&first, "ARG2"));
    first.contacts[a1]
        .provenance
        .as_mut()
        .expect("coded")
        .review = Review::Accepted;
    first.contacts[a2]
        .provenance
        .as_mut()
        .expect("coded")
        .review = Review::Rejected;

    // ACLED's next export: ARG1 edited (moved to Mendoza, new notes, new timestamp), ARG2 as it was,
    // ARG3 new, ARG4 gone from this export.
    let mendoza = ("Mendoza", "-32.8895", "-68.8458");
    let newer = format!(
        "{ACLED_HEADER}\n{}{}{}",
        acled_row(
            "ARG1",
            "2022-06-10",
            "Government of Chile (2022-)",
            mendoza,
            "An agreement on trade, signed in Mendoza.",
            "1656000000"
        ),
        acled_row(
            "ARG2",
            "2022-06-11",
            "Government of Brazil (2019-2022)",
            baires,
            "An agreement on energy.",
            "1655000000"
        ),
        acled_row(
            "ARG3",
            "2022-06-20",
            "Government of Paraguay (2018-2023)",
            baires,
            "An agreement on power.",
            "1656000000"
        ),
    );
    let newer = write_file(dir.path(), "acled-june-revised.csv", &newer);
    let (merged, counts) = merge(first.clone(), imported(&[newer]));
    assert_eq!(
        (
            counts.updated,
            counts.added,
            counts.unchanged,
            counts.kept,
            counts.decisions
        ),
        (1, 1, 1, 1, 2),
        "{counts}"
    );
    assert_no_duplicates(&merged);
    assert_eq!(merged.contacts.len(), 4);
    let m1 = index(&merged, "ARG1");
    assert_eq!(merged.contacts[m1].id, first.contacts[a1].id);
    assert_eq!(review(&merged, m1), Review::Accepted);
    let demarche::model::Place::At(v) = merged.contacts[m1].place else {
        panic!("placed")
    };
    assert!(
        merged.venue(v).name.starts_with("Mendoza"),
        "{}",
        merged.venue(v).name
    );
    assert_eq!(review(&merged, index(&merged, "ARG2")), Review::Rejected);
    assert_eq!(review(&merged, index(&merged, "ARG3")), Review::Candidate);
    assert!(
        holding(&merged, "ARG4").0.is_some(),
        "an event the new export left out is kept"
    );
    // What is merged is a valid scenario that reads back the same.
    let json = write::to_json(&merged);
    let again = scenario::parse("merged.json", &json).expect("valid");
    assert_eq!(write::to_json(&again.scenario), json);
}

#[test]
fn a_broken_scenario_to_merge_into_stops_the_import_before_any_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = write_file(
        dir.path(),
        "story.json",
        "{\"format\": \"demarche-scenario\", \"version\": 1",
    );
    let events = write_file(
        dir.path(),
        "acled.csv",
        &format!(
            "{ACLED_HEADER}\n{}",
            acled_row(
                "ARG1",
                "2022-06-10",
                "Government of Chile (2022-)",
                ("Buenos Aires", "-34.6", "-58.4"),
                "x",
                "1"
            )
        ),
    );
    let out = dir.path().join("out.json");
    let run = demarche(&[
        "import",
        path_str(&events),
        "--into",
        path_str(&broken),
        "-o",
        path_str(&out),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("does not load"),
        "{}",
        text(&run.stderr)
    );
    assert!(!out.exists(), "nothing written");
}
