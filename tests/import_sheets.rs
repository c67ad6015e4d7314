//! Spreadsheets in demarche's template (`demarche template`, then `demarche import`): an XLSX workbook
//! written, filled by a program and imported round-trips into a valid scenario; CSV files are told apart by
//! their header; broken cells are reported at their cell; names in other scripts come through.

mod support;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use demarche::import::{Options, import, sheet};
use demarche::io::scenario::{check_file, write};
use demarche::model::{ContactKind, VenueKind};
use support::fixtures::{demarche, text};
use support::gulf_sheets::{self, Fill};

/// The rows of every sheet of a workbook, as text.
fn read_sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut workbook = calamine::open_workbook_auto(path).expect("a workbook");
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).expect("a sheet");
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|d| match d {
                            Data::String(s) => s.clone(),
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

/// The column of `name` in a sheet's header.
fn col(header: &[String], name: &str) -> u16 {
    header.iter().position(|h| h == name).expect("a column") as u16
}

/// Writes `sheets` as an XLSX workbook; rows given as (column name, value) pairs under the template's header.
/// Rows to fill, per sheet: each row as (column name, value) pairs.
fn write_filled(path: &Path, template: &[(String, Vec<Vec<String>>)], fill: &Fill<'_>) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in template {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).expect("the test's own data");
        let header = &rows[0];
        for (c, h) in header.iter().enumerate() {
            sheet
                .write_string(0, c as u16, h)
                .expect("the test's own data");
        }
        if name == "notes" {
            continue;
        }
        let new_rows = fill
            .iter()
            .find(|(t, _)| t == name)
            .map(|(_, r)| r.clone())
            .unwrap_or_default();
        for (r, row) in new_rows.iter().enumerate() {
            for (column, value) in row {
                let c = col(header, column);
                // Coordinates as numbers and a date as an Excel date, as a user's spreadsheet has them.
                if let Ok(n) = value.parse::<f64>() {
                    sheet
                        .write_number(r as u32 + 1, c, n)
                        .expect("the test's own data");
                } else if *column == "on" {
                    let date = rust_xlsxwriter::ExcelDateTime::parse_from_str(value)
                        .expect("the test's own data");
                    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
                    sheet
                        .write_datetime_with_format(r as u32 + 1, c, &date, &format)
                        .expect("the test's own data");
                } else {
                    sheet
                        .write_string(r as u32 + 1, c, *value)
                        .expect("the test's own data");
                }
            }
        }
    }
    workbook.save(path).expect("the test's own data");
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

#[test]
fn the_xlsx_template_has_every_table_an_example_row_and_notes_and_imports_as_is() {
    let dir = tmp();
    let path = dir.path().join("story.xlsx");
    let out = demarche(&["template", path.to_str().expect("the test's own data")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sheets = read_sheets(&path);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "scenario", "sources", "venues", "actors", "contacts", "accounts", "notes"
        ]
    );
    for (name, rows) in &sheets[..6] {
        assert_eq!(rows.len(), 2, "{name}: a header and an example row");
        let columns = sheet::COLUMNS
            .iter()
            .find(|(t, _)| t == name)
            .expect("the test's own data")
            .1;
        assert_eq!(rows[0], columns, "{name}'s header");
    }
    assert!(sheets[6].1.len() >= 5, "the notes explain the columns");
    // The template as written is a valid story of one contact.
    let imported = import(&[path], &Options::default()).expect("imported");
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{:?}",
        imported.problems.lines()
    );
    assert_eq!(imported.scenario.contacts.len(), 1);
}

#[test]
fn a_filled_xlsx_template_round_trips_into_a_scenario_that_passes_check() {
    let dir = tmp();
    let template = dir.path().join("template.xlsx");
    sheet::write_template(&template).expect("written");
    let sheets = read_sheets(&template);
    let filled = dir.path().join("story.xlsx");
    write_filled(
        &filled,
        &sheets,
        &gulf_sheets::gulf_talks(gulf_sheets::Names::default()),
    );
    let imported = import(std::slice::from_ref(&filled), &Options::default()).expect("imported");
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{:?}",
        imported.problems.lines()
    );
    let s = &imported.scenario;
    assert_eq!(
        (
            s.meta.title.as_str(),
            s.contacts.len(),
            s.venues.len(),
            s.actors.len()
        ),
        ("Gulf talks", 2, 2, 2)
    );
    let talks = s
        .contacts
        .iter()
        .find(|c| c.id == "talks")
        .expect("the test's own data");
    assert_eq!(talks.kind, ContactKind::Meeting);
    assert_eq!(talks.quotes.len(), 1);
    assert_eq!(talks.participants.len(), 2);
    assert_eq!(
        s.venues
            .iter()
            .find(|v| v.id == "muscat")
            .expect("the test's own data")
            .kind,
        VenueKind::Capital
    );
    // The scenario written passes `demarche check`.
    let json = dir.path().join("story.json");
    std::fs::write(&json, write::to_json(s)).expect("the test's own data");
    let checked = check_file(&json).expect("valid");
    assert_eq!(checked.contacts, 2);
    let out = demarche(&[
        "import",
        filled.to_str().expect("the test's own data"),
        "-o",
        dir.path()
            .join("cli.json")
            .to_str()
            .expect("the test's own data"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = demarche(&[
        "check",
        dir.path()
            .join("cli.json")
            .to_str()
            .expect("the test's own data"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn csv_story(dir: &Path, contacts: &str) -> Vec<PathBuf> {
    let files = [
        (
            "people.csv",
            "id,name,kind,affiliation,based_at\nzarif,محمد جواد ظریف,person,IR,tehran\nbusaidi,بدر البوسعيدي,person,OM,muscat\n",
        ),
        (
            "places.csv",
            "id,name,kind,country,time_zone,lon,lat\ntehran,تهران,capital,IR,Asia/Tehran,51.389,35.6892\nmuscat,مسقط,capital,OM,Asia/Muscat,58.4059,23.5859\n",
        ),
        ("papers.csv", "id,outlet,published\nirna,ایرنا,2026-03-02\n"),
        ("events.csv", contacts),
    ];
    files
        .iter()
        .map(|(name, body)| {
            let path = dir.join(name);
            std::fs::write(&path, body).expect("the test's own data");
            path
        })
        .collect()
}

#[test]
fn hand_written_csv_files_in_persian_and_arabic_import_whatever_their_names() {
    let dir = tmp();
    let paths = csv_story(
        dir.path(),
        "\u{feff}ID,Kind,Status,Title,Participants,Venue,On,Sources\r\n\
         m1,meeting,held,\"دیدار ظریف و البوسعيدي، مسقط\",\"zarif:guest; busaidi:host\",muscat,2026-03-01,\"irna: گفتگو\"\r\n",
    );
    let imported = import(&paths, &Options::default()).expect("imported");
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{:?}",
        imported.problems.lines()
    );
    let s = &imported.scenario;
    assert_eq!(s.contacts[0].title, "دیدار ظریف و البوسعيدي، مسقط");
    assert_eq!(
        s.actors
            .iter()
            .find(|a| a.id == "zarif")
            .expect("the test's own data")
            .name,
        "محمد جواد ظریف"
    );
    assert_eq!(
        s.venues
            .iter()
            .find(|v| v.id == "muscat")
            .expect("the test's own data")
            .name,
        "مسقط"
    );
    assert_eq!(imported.summary.files.len(), 4);
    assert!(
        imported
            .summary
            .files
            .iter()
            .all(|f| f.read == f.kept && f.read > 0)
    );
}

#[test]
fn broken_csv_cells_are_reported_at_their_line_and_column_with_what_is_wrong() {
    let dir = tmp();
    let paths = csv_story(
        dir.path(),
        "id,kind,status,title,participants,venue,on\n\
         m1,meting,held,A,\"zarif:guest; busaidi:host\",muscat,2026-03-01\n\
         m2,meeting,held,B,\"zarif:guest; nobody:host\",muscat,2026-03-01\n\
         m3,meeting,held,C,\"zarif:guest; busaidi:host\",muscat,2026-13-45\n\
         m4,meeting,held,D,zarif,muscat,2026-03-01\n",
    );
    let imported = import(&paths, &Options::default()).expect("read");
    let lines = imported.problems.lines().join("\n");
    let events = paths[3].display().to_string();
    let has = |at: &str, words: &[&str]| {
        lines.lines().any(|l| {
            l.starts_with(&format!("{events}:{at}: error:")) && words.iter().all(|w| l.contains(w))
        })
    };
    assert!(has("2:2", &["meting", "did you mean `meeting`"]), "{lines}");
    assert!(has("3:5", &["nobody"]), "{lines}");
    assert!(has("4:7", &["2026-13-45"]), "{lines}");
    assert!(has("5:5", &["actor:part"]), "{lines}");
    assert!(
        imported.scenario.contacts.is_empty(),
        "nothing is kept from a sheet with errors"
    );
    assert_eq!(imported.summary.files[3].dropped.values().sum::<u64>(), 4);
    // The command says so and writes nothing.
    let out_path = dir.path().join("out.json");
    let mut args = vec!["import"];
    args.extend(
        paths
            .iter()
            .map(|p| p.to_str().expect("the test's own data")),
    );
    args.extend(["-o", out_path.to_str().expect("the test's own data")]);
    let out = demarche(&args);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("did you mean `meeting`"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_path.exists());
}

#[test]
fn broken_workbook_cells_are_reported_as_sheet_and_cell() {
    let dir = tmp();
    let template = dir.path().join("template.xlsx");
    sheet::write_template(&template).expect("written");
    let sheets = read_sheets(&template);
    let filled = dir.path().join("story.xlsx");
    write_filled(
        &filled,
        &sheets,
        &[
            (
                "venues",
                vec![vec![
                    ("id", "geneva"),
                    ("name", "Geneva"),
                    ("kind", "citty"),
                    ("time_zone", "Europe/Zurich"),
                    ("lon", "6.1"),
                    ("lat", "46.2"),
                ]],
            ),
            (
                "actors",
                vec![vec![
                    ("id", "envoy"),
                    ("name", "Envoy"),
                    ("kind", "person"),
                    ("based_at", "genf"),
                ]],
            ),
            (
                "contacts",
                vec![vec![
                    ("id", "s"),
                    ("kind", "statement"),
                    ("status", "held"),
                    ("title", "S"),
                    ("participants", "envoy:speaker"),
                    ("on", "2026-03-01"),
                ]],
            ),
        ],
    );
    let imported = import(std::slice::from_ref(&filled), &Options::default()).expect("read");
    let lines = imported.problems.lines().join("\n");
    let file = filled.display().to_string();
    assert!(
        lines.contains(&format!("{file}:venues!C2: error:"))
            && lines.contains("did you mean `city`"),
        "{lines}"
    );
    assert!(
        lines.contains(&format!("{file}:actors!F2: error:")) && lines.contains("genf"),
        "{lines}"
    );
}

#[test]
fn a_csv_template_folder_is_written_and_reads_back() {
    let dir = tmp();
    let folder = dir.path().join("story");
    let out = demarche(&["template", folder.to_str().expect("the test's own data")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut csvs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("the test's own data")
        .map(|e| e.expect("the test's own data").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    csvs.sort();
    assert_eq!(csvs.len(), 6);
    assert!(folder.join("notes.txt").exists());
    let imported = import(&csvs, &Options::default()).expect("imported");
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{:?}",
        imported.problems.lines()
    );
    assert_eq!(imported.scenario.contacts.len(), 1);
    // Event datasets and template files are not mixed in one import.
    let gdelt = dir.path().join("events.tsv");
    std::fs::write(&gdelt, "1\t20200101\n").expect("the test's own data");
    let mut mixed = csvs.clone();
    mixed.push(gdelt);
    assert!(import(&mixed, &Options::default()).is_err());
}

/// Imports a venues CSV (and an actor and a statement there, so the scenario is whole).
fn import_venues(dir: &Path, venues: &str) -> demarche::import::Imported {
    let files = [
        ("venues.csv", venues.to_owned()),
        ("actors.csv", "id,name,kind\nenvoy,Envoy,person\n".to_owned()),
        (
            "contacts.csv",
            "id,kind,status,title,participants,venue,on\ns,statement,held,S,envoy:speaker,v,2026-03-01\n"
                .to_owned(),
        ),
    ];
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, body)| {
            let path = dir.join(name);
            std::fs::write(&path, body).expect("written");
            path
        })
        .collect();
    import(&paths, &Options::default()).expect("read")
}

#[test]
fn a_venue_named_only_is_placed_from_the_gazetteer_and_the_match_is_reported() {
    let dir = tmp();
    let imported = import_venues(dir.path(), "id,name\nv,Muscat\n");
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{:?}",
        imported.problems.lines()
    );
    let venue = &imported.scenario.venues[0];
    assert_eq!(venue.kind, VenueKind::City);
    assert_eq!(venue.country, "OM");
    let summary = imported.summary.to_string();
    assert!(
        summary.contains("venue `v` (`Muscat`) placed from the gazetteer: Muscat, OM"),
        "{summary}"
    );
    assert!(summary.contains("population"), "{summary}");
}

#[test]
fn venue_names_in_persian_and_turkish_spelling_are_found() {
    for (name, country) in [
        ("تهران", "IR"),
        ("İstanbul", "TR"),
        ("istanbul", "TR"),
        ("ירושלים", "IL"),
    ] {
        let dir = tmp();
        let imported = import_venues(dir.path(), &format!("id,name\nv,{name}\n"));
        assert_eq!(
            imported.problems.error_count(),
            0,
            "{name}: {:?}",
            imported.problems.lines()
        );
        assert_eq!(
            imported.scenario.venues[0].country.as_str(),
            country,
            "{name}"
        );
    }
}

#[test]
fn an_ambiguous_venue_name_is_flagged_with_its_candidates_unless_a_country_says_which() {
    let dir = tmp();
    let imported = import_venues(dir.path(), "id,name\nv,Tripoli\n");
    let lines = imported.problems.lines().join("\n");
    let at = format!("{}:2:2: error:", dir.path().join("venues.csv").display());
    assert!(lines.contains(&at), "{lines}");
    assert!(
        lines.contains("names 2 cities")
            && lines.contains("Tripoli, LY")
            && lines.contains("Tripoli, LB"),
        "{lines}"
    );
    assert!(lines.contains("give the venue's country"), "{lines}");
    assert!(
        imported.scenario.venues.is_empty(),
        "nothing placed, nothing kept"
    );

    let dir = tmp();
    let imported = import_venues(dir.path(), "id,name,country\nv,Tripoli,LY\n");
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{:?}",
        imported.problems.lines()
    );
    let place = imported.scenario.venues[0].location.expect("placed");
    assert!(
        (place.lat - 32.887).abs() < 0.01,
        "Tripoli in Libya, not Lebanon: {place:?}"
    );
}

#[test]
fn an_unknown_venue_name_is_an_error_at_its_cell() {
    let dir = tmp();
    let imported = import_venues(dir.path(), "id,name\nv,Atlantisburg on Sea\n");
    let lines = imported.problems.lines().join("\n");
    assert!(
        lines.contains("`Atlantisburg on Sea` is not a city in the gazetteer"),
        "{lines}"
    );
    assert!(lines.contains("venues.csv:2:2: error:"), "{lines}");
}
