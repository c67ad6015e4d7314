//! `demarche import`: every format detected and read (the real samples in `../shared/events/`, and small
//! fixtures written here for the layouts FORMATS.md describes that have no sample), rows mapped and merged
//! honestly, filters, counts, and bad input reported at its place without a panic.

mod support;

use std::path::{Path, PathBuf};

use demarche::import::{Options, Problem, import};
use demarche::io::scenario::{parse, write};
use demarche::model::{ContactKind, Part, Place, Review, Scenario, VenueKind, When};
use support::fixtures::{demarche, text};
use support::shared_files::shared;

/// A GDELT 2.0 event row: 61 tab-separated fields, those given set.
fn gdelt2(fields: &[(usize, &str)]) -> String {
    let mut row = vec![""; 61];
    for &(i, v) in fields {
        row[i] = v;
    }
    row.join("\t")
}

/// A diplomatic GDELT 2.0 row: `id`, day, actor codes, event code, place (geo type, name, FIPS country,
/// lat, lon, feature id), url.
#[allow(clippy::too_many_arguments)]
fn event(
    id: &str,
    day: &str,
    a1: &str,
    a2: &str,
    code: &str,
    geo: (&str, &str, &str, &str, &str, &str),
    url: &str,
) -> String {
    let (geo_type, name, country, lat, lon, feature) = geo;
    gdelt2(&[
        (0, id),
        (1, day),
        (5, a1),
        (6, a1),
        (7, &a1[..3.min(a1.len())]),
        (15, a2),
        (16, a2),
        (17, &a2[..3.min(a2.len())]),
        (26, code),
        (27, &code[..3]),
        (28, &code[..2]),
        (32, "2"),
        (34, "-1.5"),
        (51, geo_type),
        (52, name),
        (53, country),
        (56, lat),
        (57, lon),
        (58, feature),
        (59, "20200105120000"),
        (60, url),
    ])
}

const ANKARA: (&str, &str, &str, &str, &str, &str) = (
    "4",
    "Ankara, Ankara, Turkey",
    "TU",
    "39.9272",
    "32.8644",
    "-736668",
);
const TURKEY: (&str, &str, &str, &str, &str, &str) = ("1", "Turkey", "TU", "39", "35", "TU");

fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

fn run(paths: &[PathBuf], options: &Options) -> demarche::import::Imported {
    import(paths, options).expect("imports")
}

/// The scenario as written reads back clean: no error, the same JSON.
fn assert_checks_clean(scenario: &Scenario) {
    let json = write::to_json(scenario);
    let loaded = match parse("out.json", &json) {
        Ok(loaded) => loaded,
        Err(report) => panic!(
            "the output does not check:\n{}",
            report.to_lines().join("\n")
        ),
    };
    assert_eq!(
        loaded.report.error_count(),
        0,
        "{:?}",
        loaded.report.to_lines()
    );
    assert_eq!(
        write::to_json(&loaded.scenario),
        json,
        "reads back the same"
    );
}

fn lines(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{p}\n")).collect()
}

#[test]
fn the_visitor_and_the_host_rows_of_one_visit_become_one_meeting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = [
        event(
            "1",
            "20200105",
            "TUR",
            "IRN",
            "042",
            ANKARA,
            "http://a.example/1",
        ),
        event(
            "2",
            "20200105",
            "IRN",
            "TUR",
            "043",
            ANKARA,
            "http://b.example/2",
        ),
        // The same article again: one more row, no new source.
        event(
            "3",
            "20200105",
            "TUR",
            "IRN",
            "042",
            ANKARA,
            "http://a.example/1",
        ),
        // Another day: another contact.
        event(
            "4",
            "20200106",
            "TUR",
            "IRN",
            "042",
            ANKARA,
            "http://a.example/3",
        ),
    ];
    let path = write_file(dir.path(), "e.tsv", &(rows.join("\n") + "\n"));
    let imported = run(&[path], &Options::default());
    let s = &imported.scenario;
    assert_eq!(s.contacts.len(), 2, "{:#?}", s.contacts);
    let visit = &s.contacts[0];
    assert_eq!(visit.kind, ContactKind::Meeting);
    let guest: Vec<_> = visit.with_part(Part::Guest).collect();
    let host: Vec<_> = visit.with_part(Part::Host).collect();
    assert_eq!(s.actor(guest[0]).affiliation, "TR", "Turkey visits");
    assert_eq!(s.actor(host[0]).affiliation, "IR", "Iran hosts");
    let provenance = visit.provenance.as_deref().expect("machine-coded");
    assert_eq!(provenance.rows, ["1", "2", "3"]);
    assert_eq!(provenance.review, Review::Candidate);
    assert_eq!(provenance.dataset, "GDELT 2.0 events");
    assert_eq!(visit.sources.len(), 2, "two distinct articles");
    assert_eq!(provenance.sources, Some(2));
    assert_eq!(provenance.tone, Some(-1.5));
    assert_eq!(
        provenance.first_reported.map(|t| t.to_string()).as_deref(),
        Some("2020-01-05T12:00:00Z")
    );
    assert!(visit.is_candidate());
    let counts = &imported.summary.files[0];
    assert_eq!((counts.read, counts.kept), (4, 4));
    assert_eq!(imported.summary.merged, 2);
    assert_checks_clean(s);
}

#[test]
fn symmetric_codes_merge_either_order_and_directed_ones_do_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = [
        event("1", "20200105", "TUR", "IRN", "046", ANKARA, "u1"),
        event("2", "20200105", "IRN", "TUR", "046", ANKARA, "u2"),
        event("3", "20200105", "TUR", "IRN", "045", ANKARA, "u3"),
        event("4", "20200105", "IRN", "TUR", "045", ANKARA, "u4"),
    ];
    let path = write_file(dir.path(), "e.tsv", &rows.join("\n"));
    let s = run(&[path], &Options::default()).scenario;
    let kinds: Vec<_> = s.contacts.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ContactKind::Meeting,
            ContactKind::Mediation,
            ContactKind::Mediation
        ]
    );
    assert_checks_clean(&s);
}

#[test]
fn country_and_region_locations_are_areas_never_city_dots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = [
        event("1", "20200105", "TUR", "IRN", "044", TURKEY, "u1"),
        event(
            "2",
            "20200105",
            "TUR",
            "QAT",
            "044",
            ("5", "Istanbul, Istanbul, Turkey", "TU", "41", "29", "TU34"),
            "u2",
        ),
        event("3", "20200105", "TUR", "EGY", "044", ANKARA, "u3"),
        // No place at all: a meeting with the one venue that has no position.
        event(
            "4",
            "20200105",
            "TUR",
            "USA",
            "044",
            ("0", "", "", "", "", ""),
            "u4",
        ),
        // A phone call never has a venue, even where the dataset placed it.
        event("5", "20200105", "TUR", "RUS", "041", ANKARA, "u5"),
    ];
    let path = write_file(dir.path(), "e.tsv", &rows.join("\n"));
    let s = run(&[path], &Options::default()).scenario;
    let venue_of = |i: usize| match s.contacts[i].place {
        Place::At(v) => Some(s.venue(v)),
        _ => None,
    };
    let country = venue_of(0).expect("a venue");
    assert_eq!(country.kind, VenueKind::Area);
    assert_eq!(country.name, "somewhere in Turkey");
    assert_eq!(country.country, "TR", "FIPS TU is Turkey");
    assert!(country.radius_km.is_some_and(|r| r >= 300.0));
    let region = venue_of(1).expect("a venue");
    assert_eq!(region.kind, VenueKind::Area);
    assert!(region.name.starts_with("somewhere in Istanbul"));
    let city = venue_of(2).expect("a venue");
    assert_eq!(city.kind, VenueKind::City);
    assert_eq!(city.radius_km, None);
    let nowhere = venue_of(3).expect("a meeting has a venue");
    assert_eq!(nowhere.kind, VenueKind::Unspecified);
    assert_eq!(nowhere.location, None);
    assert_eq!(s.contacts[4].kind, ContactKind::PhoneCall);
    assert_eq!(s.contacts[4].place, Place::None);
    assert!(
        s.contacts[4].notes.contains("Ankara"),
        "{}",
        s.contacts[4].notes
    );
    assert_checks_clean(&s);
}

#[test]
fn gdelt_1_rows_of_both_widths_mix_in_one_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 1.0: the geo blocks have 7 fields; ActionGeo at 49, DATEADDED (a day) at 56, SOURCEURL at 57.
    let v1 = |id: &str, with_url: bool| {
        let mut row = vec![""; if with_url { 58 } else { 57 }];
        for (i, v) in [
            (0, id),
            (1, "20100301"),
            (5, "USA"),
            (15, "CHN"),
            (26, "041"),
            (49, "4"),
            (50, "Beijing, Beijing, China"),
            (51, "CH"),
            (53, "39.9289"),
            (54, "116.388"),
            (55, "-1898541"),
            (56, "20100302"),
        ] {
            row[i] = v;
        }
        if with_url {
            row[57] = "http://example.org/call";
        }
        row.join("\t")
    };
    let text = [v1("7", false), v1("8", true), v1("9", false)].join("\n");
    let path = write_file(dir.path(), "old.export.CSV", &text);
    let imported = run(&[path], &Options::default());
    let s = &imported.scenario;
    assert_eq!(s.contacts.len(), 1, "three rows of one call");
    let p = s.contacts[0].provenance.as_deref().expect("provenance");
    assert_eq!(p.dataset, "GDELT 1.0 events");
    assert_eq!(p.rows, ["7", "8", "9"]);
    assert_eq!(
        p.first_reported.map(|t| t.to_string()).as_deref(),
        Some("2010-03-02T00:00:00Z")
    );
    assert_eq!(s.contacts[0].sources.len(), 1);
    assert_eq!(imported.summary.files[0].format, "GDELT events (no header)");
    assert_checks_clean(s);
}

#[test]
fn bigquery_exports_are_read_by_their_header_in_any_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let upper = "GLOBALEVENTID,SQLDATE,Actor1Code,Actor1Name,Actor1CountryCode,Actor2Code,Actor2Name,\
                 Actor2CountryCode,EventCode,NumSources,AvgTone,ActionGeo_Type,ActionGeo_FullName,\
                 ActionGeo_CountryCode,ActionGeo_Lat,ActionGeo_Long,ActionGeo_FeatureID,DATEADDED,SOURCEURL\n\
                 11,20200105,TUR,TURKEY,TUR,IRN,IRAN,IRN,046,3,1.25,4,\"Doha, Ad Dawhah, Qatar\",QA,25.2867,51.5333,-1,20200105101500,http://x.example/a\n";
    let lower = upper.lines().next().map(str::to_lowercase).expect("header")
        + "\n12,20200105,TUR,TURKEY,TUR,IRN,IRAN,IRN,046,1,1.25,4,\"Doha, Ad Dawhah, Qatar\",QA,25.2867,51.5333,-1,20200105091500,http://y.example/b\n";
    let a = write_file(dir.path(), "bq.csv", upper);
    let b = write_file(dir.path(), "bq-lower.csv", &lower);
    let imported = run(&[a, b], &Options::default());
    let s = &imported.scenario;
    assert_eq!(
        s.contacts.len(),
        1,
        "both exports report one negotiation in Doha"
    );
    let c = &s.contacts[0];
    let Place::At(v) = c.place else {
        panic!("a venue")
    };
    assert_eq!(
        s.venue(v).name,
        "Doha, Ad Dawhah, Qatar",
        "a quoted field with commas"
    );
    assert_eq!(s.venue(v).country, "QA");
    let p = c.provenance.as_deref().expect("provenance");
    assert_eq!(p.sources, Some(3));
    assert_eq!(
        p.first_reported.map(|t| t.to_string()).as_deref(),
        Some("2020-01-05T09:15:00Z")
    );
    assert!(
        imported
            .summary
            .files
            .iter()
            .all(|f| f.format.contains("BigQuery"))
    );
    assert_checks_clean(s);
}

#[test]
fn the_gdelt_samples_import_and_check_clean() {
    for sample in [
        "events/gdelt2/events-sample.tsv",
        "events/gdelt2/events-translated-sample.tsv",
    ] {
        let Some(path) = shared(sample) else { return };
        let imported = run(&[path], &Options::default());
        let counts = &imported.summary.files[0];
        assert_eq!(counts.format, "GDELT events (no header)", "{sample}");
        assert_eq!(counts.read, 100, "{sample}");
        assert_eq!(
            counts.kept + counts.dropped_total(),
            counts.read,
            "{sample}: every row counted"
        );
        assert!(!imported.scenario.contacts.is_empty(), "{sample}");
        assert!(
            counts
                .dropped
                .keys()
                .any(|k| k.starts_with("one actor or none")),
            "{sample}: {:?}",
            counts.dropped
        );
        assert_eq!(
            imported.problems.error_count(),
            0,
            "{}",
            lines(&imported.problems.shown)
        );
        assert!(imported.scenario.contacts.iter().all(|c| c.is_candidate()));
        assert_checks_clean(&imported.scenario);
    }
}

#[test]
fn mentions_joined_to_the_sample_events_give_first_reports_and_sources() {
    let (Some(events), Some(mentions)) = (
        shared("events/gdelt2/events-sample.tsv"),
        shared("events/gdelt2/mentions-sample.tsv"),
    ) else {
        return;
    };
    let options = Options {
        kinds: vec![String::new()],
        ..Options::default()
    };
    let without = run(std::slice::from_ref(&events), &options);
    // Given after the events: the order of the files does not matter.
    let with = run(&[events, mentions], &options);
    assert_eq!(with.summary.mentions, 100);
    assert!(with.summary.mentions_joined > 0, "{}", with.summary);
    assert!(with.summary.mentions_joined < 100);
    assert_eq!(
        with.scenario.contacts.len(),
        without.scenario.contacts.len()
    );
    assert_eq!(
        with.summary.files[0].format,
        "GDELT 2.0 mentions (no header)"
    );
    assert_checks_clean(&with.scenario);
}

#[test]
fn icews_sample_gives_the_putin_netanyahu_call_once() {
    let Some(path) = shared("events/icews/events-2018-sample.tab") else {
        return;
    };
    let imported = run(&[path], &Options::default());
    let s = &imported.scenario;
    assert_eq!(imported.summary.files[0].format, "ICEWS");
    assert_eq!(imported.summary.files[0].read, 3705);
    let calls: Vec<_> = s
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::PhoneCall)
        .filter(|c| {
            let names: Vec<&str> = c
                .participants
                .iter()
                .map(|p| s.actor(p.actor).name.as_str())
                .collect();
            names.contains(&"Vladimir Putin") && names.contains(&"Benjamin Netanyahu")
        })
        .collect();
    assert_eq!(calls.len(), 1, "both directions of one call merge");
    let call = calls[0];
    assert_eq!(
        call.time.when,
        When::Day("2018-06-01".parse().expect("date"))
    );
    let p = call.provenance.as_deref().expect("provenance");
    assert_eq!(p.dataset, "ICEWS");
    assert!(p.rows.contains(&"32890295".to_owned()) && p.rows.contains(&"32890296".to_owned()));
    let putin = call
        .participants
        .iter()
        .map(|p| s.actor(p.actor))
        .find(|a| a.name == "Vladimir Putin")
        .expect("Putin");
    assert_eq!(putin.affiliation, "RU", "\"Russian Federation\" is RU");
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{}",
        lines(&imported.problems.shown)
    );
    assert_checks_clean(s);
}

#[test]
fn acled_sample_is_read_and_every_row_accounted_for() {
    let Some(path) = shared("events/acled/acledR-dummy-2022-06.csv") else {
        return;
    };
    // The sample is protests, riots and looting: no diplomatic contact, and the counts say so.
    let imported = run(std::slice::from_ref(&path), &Options::default());
    let counts = &imported.summary.files[0];
    assert_eq!(counts.format, "ACLED");
    assert_eq!(counts.read, 326);
    assert_eq!(counts.kept, 0);
    assert_eq!(
        counts
            .dropped
            .get("ACLED `Peaceful protest`: no contact kind"),
        Some(&277)
    );
    assert_eq!(counts.dropped_total(), 326);
    assert_eq!(
        imported.problems.error_count(),
        0,
        "{}",
        lines(&imported.problems.shown)
    );
}

/// An ACLED file in the layout of 2019-2023 (`data_id`, `iso3`), as written by Excel: CRLF, `9-May-20`
/// dates, a multi-line quoted note, `NA`.
const ACLED_2019: &str = "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,\
sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,country,admin1,admin2,\
admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3\r\n\
1,887,YEM1,1,9-May-20,2020,1,Strategic developments,Agreement,Government of Yemen (2017-),,1,\
Houthi Movement,,2,12,Middle East,Yemen,Amanat al Asimah,Sanaa,NA,Sanaa,15.3547,44.2067,1,Reuters; Al Jazeera,\
International,\"On 9 May 2020, a prisoner exchange was agreed.\r\nSecond line of the note, \"\"quoted\"\".\",0,1589000000,YEM\r\n\
2,887,YEM2,2,12-May-20,2020,2,Strategic developments,Agreement,Government of Yemen (2017-),,1,\
Houthi Movement,,2,12,Middle East,Yemen,Marib,NA,NA,Marib,15.4,45.3,3,Reuters,International,\"Week only.\",0,1589000001,YEM\r\n\
3,887,YEM3,3,20-May-20,2020,3,Battles,Armed clash,Houthi Movement,,2,Government of Yemen (2017-),,1,12,\
Middle East,Yemen,Marib,NA,NA,Marib,15.4,45.3,2,Reuters,International,\"Month only.\",3,1589000002,YEM\r\n\
4,887,YEM4,4,21-May-20,2020,1,Strategic developments,Agreement,Government of Yemen (2017-),,1,Civilians (";

#[test]
fn acled_windows_areas_and_a_truncated_last_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_file(dir.path(), "acled.csv", ACLED_2019);
    let options = Options {
        kinds: vec!["05".to_owned(), "19".to_owned()],
        ..Options::default()
    };
    let imported = run(&[path], &options);
    let s = &imported.scenario;
    assert_eq!(s.contacts.len(), 3, "{}", imported.summary);
    let agreement = &s.contacts[0];
    assert_eq!(agreement.kind, ContactKind::Meeting);
    assert_eq!(
        agreement.time.when,
        When::Day("2020-05-09".parse().expect("date"))
    );
    assert_eq!(agreement.sources.len(), 2, "Reuters; Al Jazeera");
    assert_eq!(
        agreement.provenance.as_deref().map(|p| p.rows.clone()),
        Some(vec!["YEM1".to_owned()])
    );
    // time_precision 2: the week (Monday to Sunday) of 12 May 2020.
    let week = &s.contacts[1];
    let day = |d: &str| demarche::model::Moment::Day(d.parse().expect("date"));
    assert_eq!(
        week.time.when,
        When::Window {
            earliest: day("2020-05-11"),
            latest: day("2020-05-17")
        }
    );
    let Place::At(v) = week.place else {
        panic!("a venue")
    };
    assert_eq!(s.venue(v).kind, VenueKind::Area, "geo_precision 3");
    assert!(s.venue(v).name.starts_with("somewhere in Marib"));
    // time_precision 3: the month; a battle is a military move.
    let battle = &s.contacts[2];
    assert_eq!(battle.kind, ContactKind::MilitaryMove);
    assert_eq!(
        battle.time.when,
        When::Window {
            earliest: day("2020-05-01"),
            latest: day("2020-05-31")
        }
    );
    // The cut-off last record is a warning at its line, not an error, and is counted.
    let truncated: Vec<&Problem> = imported
        .problems
        .shown
        .iter()
        .filter(|p| p.message.contains("truncated"))
        .collect();
    assert_eq!(truncated.len(), 1, "{}", lines(&imported.problems.shown));
    assert_eq!(
        truncated[0].line, 6,
        "the record starts on line 6 (the note of row 1 spans two)"
    );
    assert_eq!(
        truncated[0].severity,
        demarche::diagnostics::Severity::Warning
    );
    assert_eq!(imported.problems.error_count(), 0);
    let counts = &imported.summary.files[0];
    assert_eq!(counts.read, 4);
    assert_eq!(counts.dropped.get("truncated or short record"), Some(&1));
    assert_checks_clean(s);
}

#[test]
fn acled_2015_upper_case_and_api_layouts_map_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,\
               ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,\
               LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES\n\
               652,1SYR,1,01-January-2015,2015,1,Battle-No change of territory,Military Forces of Syria,,1,\
               Islamic State,,2,12,Syria,Aleppo,,,Aleppo,36.2,37.15,1,SOHR,\"Clashes.\",4\n";
    let api = ",actor1,actor2,admin1,country,data_id,event_date,event_id_cnty,event_type,geo_precision,\
               latitude,location,longitude,source,sub_event_type,time_precision,year\n\
               0,Military Forces of Syria,Islamic State,Aleppo,Syria,99,2016-07-02,2SYR,Battles,1,36.2,\
               Aleppo,37.15,SOHR,Armed clash,1,2016\n";
    let a = write_file(dir.path(), "old.csv", old);
    let b = write_file(dir.path(), "api.csv", api);
    let options = Options {
        kinds: vec!["19".to_owned()],
        ..Options::default()
    };
    let imported = run(&[a, b], &options);
    let s = &imported.scenario;
    let days: Vec<String> = s
        .contacts
        .iter()
        .map(|c| format!("{:?}", c.time.when))
        .collect();
    assert_eq!(days.len(), 2, "{}", imported.summary);
    assert!(
        days[0].contains("2015-01-01") && days[1].contains("2016-07-02"),
        "{days:?}"
    );
    let syria = s
        .actors
        .iter()
        .find(|a| a.name == "Military Forces of Syria")
        .expect("actor");
    assert_eq!(syria.affiliation, "SY");
    assert_checks_clean(s);
}

#[test]
fn filters_and_their_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = [
        event("1", "20200105", "TUR", "IRN", "046", ANKARA, "u1"),
        event("2", "20200110", "TUR", "IRN", "046", ANKARA, "u2"),
        event(
            "3",
            "20200105",
            "USA",
            "CHN",
            "046",
            ("4", "Beijing, Beijing, China", "CH", "39.9", "116.4", "-1"),
            "u3",
        ),
        event("4", "20200105", "TUR", "IRN", "190", ANKARA, "u4"),
        event("5", "20200105", "TUR", "", "046", ANKARA, "u5"),
        event("6", "20200105", "TUR", "IRN", "061", ANKARA, "u6"),
    ];
    let path = write_file(dir.path(), "e.tsv", &rows.join("\n"));
    let options = Options {
        from: "2020-01-01".parse().ok(),
        to: "2020-01-07".parse().ok(),
        bbox: Some([26.0, 34.0, 45.0, 42.0]),
        countries: vec!["TR".to_owned()],
        kinds: vec!["04".to_owned(), "06".to_owned()],
        min_sources: 0,
    };
    let imported = run(&[path], &options);
    let counts = &imported.summary.files[0];
    let dropped = |why: &str| counts.dropped.get(why).copied().unwrap_or(0);
    assert_eq!(imported.scenario.contacts.len(), 1);
    assert_eq!(counts.kept, 1);
    assert_eq!(dropped("outside --from/--to"), 1);
    assert_eq!(dropped("outside --bbox, or no place"), 1);
    assert_eq!(dropped("not among --kinds (CAMEO 19)"), 1);
    assert_eq!(dropped("one actor or none: a contact needs two parties"), 1);
    assert_eq!(dropped("CAMEO root 06: no contact kind"), 1);
    assert_eq!(counts.read, 6);

    // --min-sources counts whole contacts' rows as dropped: each row says 2 sources.
    let path = write_file(dir.path(), "f.tsv", &rows[..2].join("\n"));
    let strict = Options {
        min_sources: 3,
        ..Options::default()
    };
    let imported = run(&[path], &strict);
    assert!(imported.scenario.contacts.is_empty());
    let counts = &imported.summary.files[0];
    assert_eq!(counts.kept, 0);
    assert_eq!(
        counts.dropped.get("fewer than 3 sources (--min-sources)"),
        Some(&2)
    );
}

#[test]
fn bad_rows_are_reported_at_their_line_and_column_and_the_rest_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = event("1", "20200105", "TUR", "IRN", "046", ANKARA, "u1");
    let bad_date = event("2", "2020-01-05", "TUR", "IRN", "046", ANKARA, "u2");
    let bad_code = event("3", "20200105", "TUR", "IRN", "46x", ANKARA, "u3");
    let short = "4\t20200105\t1\t2\t3";
    let bad_lat = event(
        "5",
        "20200105",
        "TUR",
        "IRN",
        "046",
        ("4", "X", "TU", "north", "32", "-7"),
        "u5",
    );
    let text = [good.as_str(), &bad_date, &bad_code, short, &bad_lat].join("\n");
    let path = write_file(dir.path(), "bad.tsv", &text);
    let imported = run(&[path], &Options::default());
    let shown = lines(&imported.problems.shown);
    assert!(
        shown.contains("bad.tsv:2:3: error: `2020-01-05` is not a date YYYYMMDD [SQLDATE]"),
        "{shown}"
    );
    assert!(shown.contains("bad.tsv:3:"), "{shown}");
    assert!(
        shown.contains("`46x` is not a CAMEO event code [EventCode]"),
        "{shown}"
    );
    assert!(
        shown.contains("bad.tsv:4: error: this row has 5 tab-separated columns"),
        "{shown}"
    );
    assert!(
        shown.contains("bad.tsv:5:") && shown.contains("warning"),
        "{shown}"
    );
    let counts = &imported.summary.files[0];
    assert_eq!(counts.read, 5);
    assert_eq!(
        counts.kept, 2,
        "the good row, and the one kept without its place"
    );
    assert_eq!(counts.dropped.get("bad date"), Some(&1));
    assert_eq!(counts.dropped.get("bad event code"), Some(&1));
    assert_eq!(counts.dropped.get("wrong number of columns"), Some(&1));
}

#[test]
fn garbage_gives_a_clear_error_and_never_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "zip",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\x00garbage",
            "not a text file",
        ),
        ("empty", b"", "empty"),
        ("csv", b"name,age\nbob,3\n", "unknown format"),
        (
            "gkg",
            b"12345\t20150218230000\t1\tx\n",
            "4 tab-separated columns",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let err = import(&[path], &Options::default()).expect_err(name);
        assert!(err.to_string().contains(expected), "{name}: {err}");
    }
    // Random bytes (NUL included) after 10 KB of good rows (what the format is told from): the bad rows
    // are reported, nothing panics, and the good rows are kept.
    let good = event("1", "20200105", "TUR", "IRN", "046", ANKARA, "u1") + "\n";
    let mut bytes = good.repeat(10_240 / good.len() + 1).into_bytes();
    let mut x: u32 = 12345;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bytes.push((x >> 16) as u8);
    }
    let path = dir.path().join("noise.tsv");
    std::fs::write(&path, bytes).expect("write");
    let imported = import(&[path], &Options::default()).expect("the first rows are good");
    assert_eq!(imported.scenario.contacts.len(), 1);
    assert!(imported.problems.error_count() > 0);
    let counts = &imported.summary.files[0];
    assert_eq!(counts.kept + counts.dropped_total(), counts.read);
    let missing = import(&[dir.path().join("nope.tsv")], &Options::default()).expect_err("missing");
    assert!(missing.to_string().contains("cannot open"), "{missing}");
}

#[test]
fn a_reviewed_candidate_round_trips_in_toml_and_json() {
    let toml = r#"
format = "demarche-scenario"
version = 1
[scenario]
id = "t"
title = "T"
time_zone = "UTC"
[[actors]]
id = "a"
name = "A"
kind = "government"
[[actors]]
id = "b"
name = "B"
kind = "government"
[[contacts]]
id = "c"
kind = "phone_call"
status = "reported"
title = "A and B"
participants = [{ actor = "a", part = "caller" }, { actor = "b", part = "addressee" }]
time = { on = 2020-01-05 }
review = "accepted"
provenance = { dataset = "GDELT 2.0 events", rows = ["1", "2"], first_reported = "2020-01-05T12:00:00Z", sources = 3, tone = -1.5 }
[[contacts]]
id = "d"
kind = "phone_call"
status = "reported"
title = "the analyst's own"
participants = [{ actor = "a", part = "caller" }, { actor = "b", part = "addressee" }]
time = { on = 2020-01-06 }
"#;
    let loaded = parse("t.toml", toml).expect("valid");
    let c = &loaded.scenario.contacts[0];
    let p = c.provenance.as_deref().expect("provenance");
    assert_eq!(p.review, Review::Accepted);
    assert_eq!(p.rows, ["1", "2"]);
    assert_eq!(p.sources, Some(3));
    assert!(!c.is_candidate());
    assert!(
        loaded.scenario.contacts[1].provenance.is_none(),
        "old files stay valid"
    );
    assert_checks_clean(&loaded.scenario);

    let bad = toml
        .replace("review = \"accepted\"", "review = \"acepted\"")
        .replace("sources = 3", "sources = -3");
    let report = parse("t.toml", &bad).expect_err("invalid");
    let shown = report.to_lines().join("\n");
    assert!(shown.contains("did you mean `accepted`?"), "{shown}");
    let orphan = toml.replace(
        "provenance = { dataset = \"GDELT 2.0 events\", rows = [\"1\", \"2\"], first_reported = \"2020-01-05T12:00:00Z\", sources = 3, tone = -1.5 }\n",
        "",
    );
    let report = parse("t.toml", &orphan).expect_err("a review needs a provenance");
    assert!(
        report.to_lines().join("\n").contains("has a `provenance`"),
        "{:?}",
        report.to_lines()
    );
}

#[test]
fn the_command_writes_a_scenario_that_checks() {
    let Some(sample) = shared("events/gdelt2/events-sample.tsv") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.json");
    let sample = sample.to_str().expect("utf-8");
    let out_str = out.to_str().expect("utf-8");
    let run = demarche(&["import", sample, "-o", out_str]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(stdout.contains("100 rows read"), "{stdout}");
    assert!(stdout.contains("dropped"), "{stdout}");
    let check = demarche(&["check", out_str]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("valid"));

    let bad = demarche(&["import", sample, "--kinds", "4x", "-o", out_str]);
    assert_eq!(bad.status.code(), Some(2), "a usage error");
    let nothing = dir.path().join("nothing.json");
    let none = demarche(&[
        "import",
        sample,
        "--from",
        "2030-01-01",
        "-o",
        nothing.to_str().expect("utf-8"),
    ]);
    assert_eq!(none.status.code(), Some(1));
    assert!(!nothing.exists(), "no file when nothing is kept");
}

#[test]
fn mentions_give_the_earliest_report_and_the_distinct_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let events = write_file(
        dir.path(),
        "e.tsv",
        &event(
            "77",
            "20200105",
            "TUR",
            "IRN",
            "046",
            ANKARA,
            "http://a.example/1",
        ),
    );
    let mention = |at: &str, domain: &str| {
        let mut row = vec![""; 16];
        row[0] = "77";
        row[1] = "20200105120000";
        row[2] = at;
        row[3] = "1";
        row[4] = domain;
        row.join("\t")
    };
    let text = [
        mention("20200105131500", "a.example"),
        mention("20200105114500", "b.example"),
        mention("20200105140000", "c.example"),
        mention("20200105141500", "b.example"),
        mention("20200105141500", "d.example"),
    ]
    .join("\n");
    // A BigQuery export of the same table, with its lower-case header.
    let headed = "globaleventid,eventtimedate,mentiontimedate,mentiontype,mentionsourcename\n\
                  77,20200105120000,20200105150000,1,e.example\n";
    let mentions = write_file(dir.path(), "m.tsv", &text);
    let headed = write_file(dir.path(), "m.csv", headed);
    let imported = run(&[mentions, events, headed], &Options::default());
    let p = imported.scenario.contacts[0]
        .provenance
        .as_deref()
        .expect("provenance");
    assert_eq!(
        p.first_reported.map(|t| t.to_string()).as_deref(),
        Some("2020-01-05T11:45:00Z")
    );
    assert_eq!(p.sources, Some(5), "a, b, c, d and e");
    assert_eq!(imported.summary.mentions, 6);
    assert_eq!(imported.summary.mentions_joined, 1);
    assert_checks_clean(&imported.scenario);
}

/// The README's table of kinds says what the code does, code by code.
#[test]
fn the_readme_kinds_table_matches_the_mapping() {
    use demarche::import::cameo::mapping;
    use demarche::model::Named as _;
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let mut rows = 0;
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | 036 | what | `meeting` | `planned` | parts | merges |
        let [_, code, _, kind, status, ..] = cells.as_slice() else {
            continue;
        };
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let m = mapping(code).unwrap_or_else(|| panic!("{code} is in the README but not mapped"));
        assert!(
            kind.starts_with(&format!("`{}`", m.kind.name())),
            "{code}: README says {kind}, the mapping {}",
            m.kind.name()
        );
        assert_eq!(*status, format!("`{}`", m.status.name()), "{code}");
        rows += 1;
    }
    assert_eq!(rows, 9, "036, 040-046 and 057");
}
