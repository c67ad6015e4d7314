//! `demarche import` of Parquet files: the same tables as text and as Parquet (written here with the
//! `parquet` crate's writer, typed as a BigQuery or DuckDB export types them) give the same scenario and the
//! same counts; a bad value is placed at its row and column; a cut or damaged file is a clear error, never a
//! panic.

mod support;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use demarche::import::{ImportError, Imported, Options, import};
use demarche::io::scenario::write;
use parquet::basic::{Compression, ConvertedType, Repetition, Type as Physical, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use support::gdelt_columns::{GDELT_NAMES, MENTION_NAMES};
use support::shared_files::shared;

/// A column's type, as an export would give it from the values.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Long,
    Double,
    Date,
    Text,
}

/// The type of a column holding `values`: integers (no leading zero: CAMEO's `042` stays text), numbers
/// with a point, ISO dates, or text.
fn kind_of(values: &[Option<String>]) -> Kind {
    let given: Vec<&str> = values.iter().flatten().map(String::as_str).collect();
    if given.is_empty() {
        return Kind::Text;
    }
    let all = |test: fn(&str) -> bool| given.iter().all(|v| test(v));
    if all(|v| v.parse::<i64>().is_ok() && !(v.len() > 1 && v.starts_with('0'))) {
        Kind::Long
    } else if all(|v| v.parse::<f64>().is_ok() && v.contains('.')) {
        Kind::Double
    } else if all(|v| v.len() == 10 && v.parse::<jiff::civil::Date>().is_ok()) {
        Kind::Date
    } else {
        Kind::Text
    }
}

/// Writes the table of the delimited text file `text` (header first) as Parquet at `out`, typed column by
/// column, `group_rows` rows a row group. Empty fields are nulls.
fn to_parquet(text: &Path, delimiter: u8, out: &Path, compression: Compression, group_rows: usize) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(delimiter == b',')
        .from_path(text)
        .expect("open text");
    let names: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let mut columns: Vec<Vec<Option<String>>> = vec![Vec::new(); names.len()];
    for record in reader.records() {
        let record = record.expect("record");
        for (i, column) in columns.iter_mut().enumerate() {
            let value = record.get(i).unwrap_or("");
            column.push((!value.is_empty()).then(|| value.to_owned()));
        }
    }
    let kinds: Vec<Kind> = columns.iter().map(|c| kind_of(c)).collect();
    let fields = names
        .iter()
        .zip(&kinds)
        .map(|(name, kind)| {
            let (physical, converted) = match kind {
                Kind::Long => (Physical::INT64, ConvertedType::NONE),
                Kind::Double => (Physical::DOUBLE, ConvertedType::NONE),
                Kind::Date => (Physical::INT32, ConvertedType::DATE),
                Kind::Text => (Physical::BYTE_ARRAY, ConvertedType::UTF8),
            };
            Arc::new(
                Type::primitive_type_builder(name, physical)
                    .with_repetition(Repetition::OPTIONAL)
                    .with_converted_type(converted)
                    .build()
                    .expect("column type"),
            )
        })
        .collect();
    let schema = Arc::new(
        Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .expect("schema"),
    );
    let properties = Arc::new(
        WriterProperties::builder()
            .set_compression(compression)
            .build(),
    );
    let mut writer =
        SerializedFileWriter::new(File::create(out).expect("create"), schema, properties)
            .expect("writer");
    let rows = columns.first().map_or(0, Vec::len);
    for start in (0..rows.max(1)).step_by(group_rows) {
        let end = (start + group_rows).min(rows);
        let mut group = writer.next_row_group().expect("row group");
        for (column, kind) in columns.iter().zip(&kinds) {
            let values = &column[start..end];
            let levels: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
            let given = values.iter().flatten();
            let mut writer = group.next_column().expect("column").expect("a column");
            match kind {
                Kind::Long => {
                    let v: Vec<i64> = given.map(|v| v.parse().expect("int")).collect();
                    writer
                        .typed::<Int64Type>()
                        .write_batch(&v, Some(&levels), None)
                }
                Kind::Double => {
                    let v: Vec<f64> = given.map(|v| v.parse().expect("number")).collect();
                    writer
                        .typed::<DoubleType>()
                        .write_batch(&v, Some(&levels), None)
                }
                Kind::Date => {
                    let epoch = jiff::civil::date(1970, 1, 1);
                    let v: Vec<i32> = given
                        .map(|v| {
                            let date: jiff::civil::Date = v.parse().expect("date");
                            (date - epoch).get_days()
                        })
                        .collect();
                    writer
                        .typed::<Int32Type>()
                        .write_batch(&v, Some(&levels), None)
                }
                Kind::Text => {
                    let v: Vec<ByteArray> = given.map(|v| ByteArray::from(v.as_str())).collect();
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(&v, Some(&levels), None)
                }
            }
            .expect("write column");
            writer.close().expect("close column");
        }
        group.close().expect("close row group");
    }
    writer.close().expect("close file");
}

fn run(paths: &[PathBuf]) -> Imported {
    match import(paths, &Options::default()) {
        Ok(imported) => imported,
        Err(e) => panic!("imports: {e}"),
    }
}

/// The scenario as JSON, its title (which names the files) left out.
fn json_without_title(imported: &Imported) -> String {
    let mut scenario = imported.scenario.clone();
    scenario.meta.title.clear();
    write::to_json(&scenario)
}

/// The text files and their Parquet copies import the same: same contacts, same counts, same problems.
fn assert_same_import(texts: &[PathBuf], parquets: &[PathBuf]) -> Imported {
    let from_text = run(texts);
    let from_parquet = run(parquets);
    assert!(
        !from_text.scenario.contacts.is_empty(),
        "the fixture makes contacts"
    );
    assert_eq!(
        json_without_title(&from_parquet),
        json_without_title(&from_text),
        "the Parquet copy gives the same scenario"
    );
    for (p, t) in from_parquet
        .summary
        .files
        .iter()
        .zip(&from_text.summary.files)
    {
        assert_eq!(p.format, format!("{} (Parquet)", t.format));
        assert_eq!(
            (p.read, p.kept, &p.dropped),
            (t.read, t.kept, &t.dropped),
            "{}",
            from_parquet.summary
        );
    }
    assert_eq!(from_parquet.summary.merged, from_text.summary.merged);
    assert_eq!(
        from_parquet.problems.error_count(),
        from_text.problems.error_count()
    );
    from_parquet
}

/// A headless tab-separated file copied with a header line (as a BigQuery export holds its table).
fn headed(source: &Path, names: &[&str], out: &Path) {
    let body = std::fs::read(source).expect("read sample");
    let mut text = names.join("\t").into_bytes();
    text.push(b'\n');
    text.extend_from_slice(&body);
    std::fs::write(out, text).expect("write headed copy");
}

#[test]
fn gdelt_events_and_mentions_in_parquet_import_as_their_text_export() {
    let (Some(events), Some(mentions)) = (
        shared("events/gdelt2/events-sample.tsv"),
        shared("events/gdelt2/mentions-sample.tsv"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let events_tsv = dir.path().join("events.tsv");
    let mentions_tsv = dir.path().join("mentions.tsv");
    headed(&events, &GDELT_NAMES, &events_tsv);
    headed(&mentions, &MENTION_NAMES, &mentions_tsv);
    let events_pq = dir.path().join("events.parquet");
    let mentions_pq = dir.path().join("mentions.bin");
    // Snappy, BigQuery's codec; several row groups.
    to_parquet(&events_tsv, b'\t', &events_pq, Compression::SNAPPY, 30);
    to_parquet(
        &mentions_tsv,
        b'\t',
        &mentions_pq,
        Compression::ZSTD(ZstdLevel::default()),
        1000,
    );
    let imported = assert_same_import(
        &[mentions_tsv, events_tsv],
        &[mentions_pq.clone(), events_pq],
    );
    assert!(imported.summary.mentions_joined > 0, "{}", imported.summary);
    assert_eq!(
        imported.summary.files[0].format, "GDELT 2.0 mentions with a header (Parquet)",
        "told from the content, whatever the name (mentions.bin)"
    );
    assert!(
        imported.summary.files[1].format.starts_with("GDELT events"),
        "{}",
        imported.summary
    );
}

#[test]
fn icews_in_parquet_imports_as_its_text_file() {
    let Some(icews) = shared("events/icews/events-2018-sample.tab") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let pq = dir.path().join("icews.parquet");
    // Column names with spaces (`Event ID`), dates typed as dates, gzip.
    to_parquet(
        &icews,
        b'\t',
        &pq,
        Compression::GZIP(Default::default()),
        1000,
    );
    assert_same_import(&[icews], &[pq]);
}

/// ACLED in the 2019-2023 layout: Excel dates, a quoted note over two lines, windows and areas.
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
4,887,YEM4,4,not a date,2020,1,Strategic developments,Agreement,Government of Yemen (2017-),,1,\
Houthi Movement,,2,12,Middle East,Yemen,Marib,NA,NA,Marib,15.4,45.3,2,Reuters,International,\"Bad date.\",0,1589000003,YEM\r\n";

#[test]
fn acled_in_parquet_imports_as_its_csv_and_a_bad_value_is_placed_at_its_row_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("acled.csv");
    std::fs::write(&csv, ACLED_2019).expect("write");
    let pq = dir.path().join("acled.parquet");
    to_parquet(&csv, b',', &pq, Compression::SNAPPY, 2);
    let options = Options {
        kinds: vec!["05".to_owned(), "19".to_owned()],
        ..Options::default()
    };
    let from_csv = import(std::slice::from_ref(&csv), &options).expect("csv imports");
    let from_pq = import(std::slice::from_ref(&pq), &options).expect("parquet imports");
    assert_eq!(from_pq.scenario.contacts.len(), 3, "{}", from_pq.summary);
    assert_eq!(json_without_title(&from_pq), json_without_title(&from_csv));
    // Row 4's date: in the CSV at its line and character; in the Parquet file at its row and column.
    let bad: Vec<String> = from_pq
        .problems
        .shown
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected = format!(
        "{}:4:5: error: `not a date` is not a date [event_date]",
        pq.display()
    );
    assert!(
        bad.iter().any(|p| p.starts_with(&expected)),
        "{expected}\nin:\n{}",
        bad.join("\n")
    );
    assert_eq!(from_pq.problems.error_count(), 1);
    assert_eq!(from_csv.problems.error_count(), 1);
    assert_eq!(from_pq.summary.files[0].dropped.get("bad date"), Some(&1));
}

#[test]
fn the_acled_sample_in_parquet_imports_as_its_csv() {
    let Some(acled) = shared("events/acled/acledR-dummy-2022-06.csv") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let pq = dir.path().join("acled.parquet");
    // `event_date` typed as a date, as DuckDB reads it; the other numbers as numbers.
    to_parquet(&acled, b',', &pq, Compression::LZ4_RAW, 100);
    let reader = SerializedFileReader::new(File::open(&pq).expect("open")).expect("read back");
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let date = schema
        .columns()
        .iter()
        .find(|c| c.name() == "event_date")
        .expect("event_date");
    assert_eq!(
        date.converted_type(),
        ConvertedType::DATE,
        "the fixture types dates"
    );
    // The sample holds protests and riots only: no contact, and every row counted with why, the same
    // way from both (a date misread from the Parquet file would be dropped as a bad date).
    let from_csv = run(std::slice::from_ref(&acled));
    let from_pq = run(std::slice::from_ref(&pq));
    let (c, p) = (&from_csv.summary.files[0], &from_pq.summary.files[0]);
    assert_eq!(c.read, 326);
    assert_eq!((p.read, p.kept, &p.dropped), (c.read, c.kept, &c.dropped));
    assert_eq!(from_pq.problems.shown, from_csv.problems.shown);
    assert_eq!(from_pq.problems.error_count(), 0);
}

/// The byte range of row group `group`'s column `name` in the Parquet file at `path`.
fn column_chunk(path: &Path, group: usize, name: &str) -> std::ops::Range<usize> {
    let reader = SerializedFileReader::new(File::open(path).expect("open")).expect("read");
    let chunk = reader
        .metadata()
        .row_group(group)
        .columns()
        .iter()
        .find(|c| c.column_descr().name() == name)
        .expect("column")
        .clone();
    let (start, length) = chunk.byte_range();
    start as usize..(start + length) as usize
}

#[test]
fn a_cut_or_damaged_parquet_file_is_a_clear_error_never_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("acled.csv");
    std::fs::write(&csv, ACLED_2019).expect("write");
    let pq = dir.path().join("acled.parquet");
    to_parquet(&csv, b',', &pq, Compression::SNAPPY, 2);
    let whole = std::fs::read(&pq).expect("read");
    let error_of = |bytes: &[u8], name: &str| -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        match import(&[path], &Options::default()) {
            Err(e @ ImportError::File { .. }) => {
                format!("{e} (hint: {})", e.hint().unwrap_or_default())
            }
            Err(e) => panic!("not a file error: {e}"),
            Ok(imported) => panic!("imported: {}", imported.summary),
        }
    };
    // A download cut short: no footer.
    for keep in [whole.len() / 2, whole.len() - 3, 6] {
        let message = error_of(&whole[..keep], "cut.parquet");
        assert!(
            message.starts_with(&format!(
                "{}: this Parquet file cannot be read",
                dir.path().join("cut.parquet").display()
            )),
            "{message}"
        );
        assert!(message.contains("cut short"), "{message}");
    }
    // The second row group's `event_type` overwritten: the error names the row group, its first row and
    // the column.
    let mut damaged = whole.clone();
    for b in &mut damaged[column_chunk(&pq, 1, "event_type")] {
        *b = 0xA5;
    }
    let message = error_of(&damaged, "damaged.parquet");
    assert!(
        message.contains("cannot read row 3 (row group 2 of 2, column 8 `event_type`)"),
        "{message}"
    );
    // A damaged column the import does not read (the notes) is not decoded, so not in the way.
    let mut notes_damaged = whole.clone();
    for b in &mut notes_damaged[column_chunk(&pq, 1, "notes")] {
        *b = 0xA5;
    }
    let path = dir.path().join("notes-damaged.parquet");
    std::fs::write(&path, &notes_damaged).expect("write");
    let options = Options {
        kinds: vec!["05".to_owned(), "19".to_owned()],
        ..Options::default()
    };
    let imported = import(&[path], &options).expect("imports");
    assert_eq!(imported.scenario.contacts.len(), 3, "{}", imported.summary);
    // A Parquet table that is not an event dataset.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "name,age\nbob,3\n").expect("write");
    let other_pq = dir.path().join("other.parquet");
    to_parquet(&other, b',', &other_pq, Compression::UNCOMPRESSED, 10);
    let message = error_of(&std::fs::read(&other_pq).expect("read"), "other.parquet");
    assert!(
        message.contains("a Parquet file: unknown format: the header `name\tage`"),
        "{message}"
    );
}

#[test]
fn a_list_column_among_those_used_is_refused_with_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("acled-lists.parquet");
    let text = |name: &str, repetition: Repetition| {
        Arc::new(
            Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                .with_repetition(repetition)
                .with_converted_type(ConvertedType::UTF8)
                .build()
                .expect("column type"),
        )
    };
    // `actor1` holds a list of names a row (a repeated column), as a query that aggregates may give.
    let schema = Arc::new(
        Type::group_type_builder("schema")
            .with_fields(vec![
                text("event_date", Repetition::REQUIRED),
                text("event_type", Repetition::REQUIRED),
                text("actor1", Repetition::REPEATED),
                text("geo_precision", Repetition::REQUIRED),
            ])
            .build()
            .expect("schema"),
    );
    let mut writer = SerializedFileWriter::new(
        File::create(&path).expect("create"),
        schema,
        Arc::new(WriterProperties::builder().build()),
    )
    .expect("writer");
    let mut group = writer.next_row_group().expect("row group");
    for (i, values) in [
        vec!["2020-05-09"],
        vec!["Strategic developments"],
        vec!["Government of Yemen", "Houthi Movement"],
        vec!["1"],
    ]
    .into_iter()
    .enumerate()
    {
        let values: Vec<ByteArray> = values.into_iter().map(ByteArray::from).collect();
        let mut column = group.next_column().expect("column").expect("a column");
        let typed = column.typed::<ByteArrayType>();
        if i != 2 {
            typed.write_batch(&values, None, None)
        } else {
            typed.write_batch(&values, Some(&[1, 1]), Some(&[0, 1]))
        }
        .expect("write column");
        column.close().expect("close column");
    }
    group.close().expect("close row group");
    writer.close().expect("close file");
    let err = import(std::slice::from_ref(&path), &Options::default()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: column 3 `actor1` is a list or a struct, not a plain value",
            path.display()
        )
    );
    assert!(err.hint().is_some_and(|h| h.contains("plain columns")));
}

/// A small deterministic generator (no seed file to keep).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// Damage anywhere (pages, their headers, the footer): every import ends with a scenario or a file error,
/// never a panic, and a problem's row is one of the file's. (The `parquet` crate itself panics on some of
/// these, "column start and length should not be negative": the reader catches it.)
#[test]
fn randomly_damaged_parquet_files_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("acled.csv");
    std::fs::write(&csv, ACLED_2019).expect("write");
    let mut seeds = Vec::new();
    for (name, compression) in [
        ("snappy.parquet", Compression::SNAPPY),
        ("plain.parquet", Compression::UNCOMPRESSED),
        ("zstd.parquet", Compression::ZSTD(ZstdLevel::default())),
    ] {
        let path = dir.path().join(name);
        to_parquet(&csv, b',', &path, compression, 2);
        seeds.push(std::fs::read(&path).expect("read"));
    }
    let mut rng = Lcg(2026);
    let path = dir.path().join("damaged.parquet");
    let (mut imported, mut refused) = (0, 0);
    // `DEMARCHE_FUZZ_CASES=100000` for a long run.
    let cases = std::env::var("DEMARCHE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    for case in 0..cases {
        let mut bytes = seeds[case % seeds.len()].clone();
        for _ in 0..1 + rng.next(6) {
            let at = 4 + rng.next(bytes.len() - 8);
            bytes[at] = match rng.next(4) {
                0 => 0,
                1 => 0xFF,
                2 => bytes[at] ^ (1 << rng.next(8)),
                _ => rng.next(256) as u8,
            };
        }
        std::fs::write(&path, &bytes).expect("write");
        match import(std::slice::from_ref(&path), &Options::default()) {
            Ok(result) => {
                imported += 1;
                for p in &result.problems.shown {
                    assert!(p.line <= 4, "case {case}: {p}");
                }
            }
            Err(ImportError::File { message, .. }) => {
                refused += 1;
                assert!(!message.is_empty());
            }
            Err(ImportError::NothingKept) => refused += 1,
        }
    }
    assert!(
        imported > 0 && refused > 0,
        "{imported} imported, {refused} refused"
    );
}
