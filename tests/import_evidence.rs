//! The evidence fields in demarche's spreadsheet template: a source's `published`, `retrieved` and
//! `grade`; the accounts of a contact (a sheet of their own, joined by the contact's id); times relative to
//! another contact or to a report. Imported into the scenario, and each wrong cell reported at its place.

mod support;

use std::path::{Path, PathBuf};

use demarche::import::{Imported, Options, import, sheet};
use demarche::model::{Moment, Status, When};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// A story of CSV files: the tables given, over a base of two venues, two actors and two sources.
fn csv_story(dir: &Path, sources: &str, contacts: &str, accounts: Option<&str>) -> Vec<PathBuf> {
    let mut files = vec![
        (
            "actors.csv",
            "id,name,kind,affiliation,based_at\nzarif,Zarif,person,IR,tehran\nbusaidi,Busaidi,person,OM,muscat\n"
                .to_owned(),
        ),
        (
            "venues.csv",
            "id,name,kind,country,time_zone,lon,lat\ntehran,Tehran,capital,IR,Asia/Tehran,51.389,35.6892\nmuscat,Muscat,capital,OM,Asia/Muscat,58.4059,23.5859\n"
                .to_owned(),
        ),
        ("sources.csv", sources.to_owned()),
        ("contacts.csv", contacts.to_owned()),
    ];
    if let Some(accounts) = accounts {
        files.push(("accounts.csv", accounts.to_owned()));
    }
    files
        .iter()
        .map(|(name, body)| {
            let path = dir.join(name);
            std::fs::write(&path, body).expect("the test's own data");
            path
        })
        .collect()
}

const SOURCES: &str = "id,outlet,published,retrieved,grade\n\
    irna,IRNA,2026-03-04,2026-03-05,C3\n\
    wire,A wire service,2026-03-05T09:00:00Z,,B2\n";

const CONTACTS: &str = "id,kind,status,title,participants,venue,on,after,by,report,span,sources\n\
    m1,meeting,held,Talks in Muscat,zarif:guest; busaidi:host,muscat,2026-03-01,,,,,irna: they met\n\
    m2,meeting,planned,A second round,zarif:guest; busaidi:host,muscat,,m1,1w,,,irna\n\
    m3,meeting,planned,Talks later this week,zarif:guest; busaidi:host,muscat,,,,irna,later this week,irna: later this week\n";

const ACCOUNTS: &str = "contact,asserts,sources,venue,on,note\n\
    m1,denied,wire: an official denies any meeting,,,The ministry's denial\n\
    m1,held,wire,tehran,2026-03-02,\n";

fn imported(paths: &[PathBuf]) -> Imported {
    let imported = import(paths, &Options::default()).expect("imported");
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{:?}",
        imported.problems.lines()
    );
    imported
}

#[test]
fn sources_bring_their_dates_and_grades_and_contacts_their_accounts_and_relative_times() {
    let dir = tmp();
    let s = imported(&csv_story(dir.path(), SOURCES, CONTACTS, Some(ACCOUNTS))).scenario;
    let irna = &s.sources[0];
    assert_eq!(irna.grade.map(|g| g.to_string()).as_deref(), Some("C3"));
    assert_eq!(
        irna.retrieved,
        Some(Moment::Day("2026-03-05".parse().expect("date")))
    );
    let m1 = &s.contacts[0];
    assert_eq!(m1.accounts().len(), 3, "its own and the two of the sheet");
    assert_eq!(m1.accounts()[1].asserts, Status::Denied);
    assert_eq!(m1.accounts()[1].note, "The ministry's denial");
    // The wire (B2) leads the ministry's IRNA (C3): the contact shows the denial, disputed.
    assert_eq!(m1.status, Status::Denied);
    assert!(m1.dispute().status && m1.dispute().time && m1.dispute().place);
    let m2 = &s.contacts[1];
    assert_eq!(s.contact(m2.relative().expect("relative").anchor).id, "m1");
    let m3 = &s.contacts[2];
    assert_eq!(
        m3.time.when,
        When::Window {
            earliest: Moment::Day("2026-03-04".parse().expect("date")),
            latest: Moment::Day("2026-03-08".parse().expect("date")),
        }
    );
    assert!(m3.evidence.as_ref().and_then(|e| e.reported).is_some());
}

#[test]
fn wrong_evidence_cells_are_reported_at_their_line_and_column() {
    let dir = tmp();
    let sources = SOURCES.replace(",C3\n", ",c3\n");
    let contacts = CONTACTS
        .replace(",m1,1w,", ",m9,1w,")
        .replace("later this week", "soonish");
    let accounts = ACCOUNTS
        .replace("m1,denied", "m7,denied")
        .replace("m1,held", "m1,hold");
    let paths = csv_story(dir.path(), &sources, &contacts, Some(&accounts));
    let result = import(&paths, &Options::default()).expect("read");
    let lines = result.problems.lines().join("\n");
    let at = |file: &str, line: u32, column: u32| {
        format!(
            "{}:{line}:{column}: error:",
            dir.path().join(file).display()
        )
    };
    for (place, says) in [
        (at("sources.csv", 2, 5), "`c3` is not a grade"),
        (at("contacts.csv", 3, 8), "no contact has the id `m9`"),
        (at("contacts.csv", 4, 11), "`soonish` is not a span"),
        (at("accounts.csv", 2, 1), "no contact has the id `m7`"),
        (at("accounts.csv", 3, 2), "hold"),
    ] {
        assert!(
            lines
                .lines()
                .any(|l| l.starts_with(&place) && l.contains(says)),
            "{place} {says} in:\n{lines}"
        );
    }
}

#[test]
fn a_workbook_reports_evidence_cells_as_sheet_and_cell() {
    let dir = tmp();
    // The story as CSV files, copied into a workbook of the template's sheets.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let accounts = ACCOUNTS.replace("m1,held,wire,tehran", "m1,held,wire,teheran");
    for (table, body) in [
        (
            "actors",
            "id,name,kind,affiliation,based_at\nzarif,Zarif,person,IR,tehran\nbusaidi,Busaidi,person,OM,muscat\n",
        ),
        (
            "venues",
            "id,name,kind,country,time_zone,lon,lat\ntehran,Tehran,capital,IR,Asia/Tehran,51.389,35.6892\nmuscat,Muscat,capital,OM,Asia/Muscat,58.4059,23.5859\n",
        ),
        ("sources", SOURCES),
        ("contacts", &CONTACTS.replace(",irna,later", ",iran,later")),
        ("accounts", &accounts),
    ] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table).expect("the test's own data");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes());
        for (r, record) in reader.records().enumerate() {
            for (c, value) in record.expect("the test's own data").iter().enumerate() {
                sheet
                    .write_string(r as u32, c as u16, value)
                    .expect("the test's own data");
            }
        }
    }
    let path = dir.path().join("story.xlsx");
    workbook.save(&path).expect("the test's own data");
    let result = import(std::slice::from_ref(&path), &Options::default()).expect("read");
    let lines = result.problems.lines().join("\n");
    let file = path.display().to_string();
    // The report's source, misspelt, in column J of the fourth row; the account's venue in column D.
    assert!(
        lines.contains(&format!(
            "{file}:contacts!J4: error: no source has the id `iran`"
        )) && lines.contains("did you mean `irna`?"),
        "{lines}"
    );
    assert!(
        lines.contains(&format!(
            "{file}:accounts!D3: error: no venue has the id `teheran`"
        )),
        "{lines}"
    );
}

#[test]
fn the_template_has_the_evidence_columns_and_an_accounts_sheet() {
    let columns = |table: &str| {
        sheet::COLUMNS
            .iter()
            .find(|(t, _)| *t == table)
            .expect("a table")
            .1
    };
    for c in ["published", "retrieved", "grade"] {
        assert!(columns("sources").contains(&c), "{c}");
    }
    for c in ["after", "before", "by", "report", "span", "week_starts"] {
        assert!(columns("contacts").contains(&c), "{c}");
    }
    for c in ["contact", "asserts", "sources", "venue", "on", "note"] {
        assert!(columns("accounts").contains(&c), "{c}");
    }
    // The template as written, with its example account, imports as is.
    let dir = tmp();
    let folder = dir.path().join("story");
    let written = sheet::write_template(&folder).expect("written");
    let csvs: Vec<PathBuf> = written
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    assert!(csvs.iter().any(|p| p.ends_with("accounts.csv")));
    let s = imported(&csvs).scenario;
    assert_eq!(s.contacts[0].accounts().len(), 2);
    assert_eq!(
        s.sources[0].grade.map(|g| g.to_string()).as_deref(),
        Some("C3")
    );
    assert!(
        sheet::NOTES.iter().any(|n| n.starts_with("accounts:")),
        "the notes explain the accounts sheet"
    );
}
