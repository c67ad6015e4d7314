//! Spreadsheets in demarche's template saved as ODS (LibreOffice's own format): the same story written
//! as an XLSX workbook and as an ODS one (built here as LibreOffice lays it out: a stored `mimetype`
//! first, a manifest, `content.xml`) imports to the same scenario, and a wrong cell of the ODS file is
//! reported at `file.ods:sheet!C4`.

mod support;

use std::io::Write as _;
use std::path::Path;

use demarche::import::{Imported, Options, import, sheet};
use demarche::io::scenario::write;
use support::gulf_sheets::{self, Fill};

/// A cell as a user's spreadsheet holds it.
#[derive(Clone, Debug)]
enum Cell {
    Text(String),
    Number(f64),
    /// A date cell (`YYYY-MM-DD`), shown as a date.
    Date(String),
}

/// Sheets of the template: the header from [`sheet::COLUMNS`], then rows given as (column, value) pairs.
/// Values that read as numbers are number cells, and those of date columns date cells, as typed by hand.
fn sheets(fill: &Fill<'_>) -> Vec<(String, Vec<Vec<Cell>>)> {
    sheet::COLUMNS
        .iter()
        .map(|(name, columns)| {
            let mut rows = vec![
                columns
                    .iter()
                    .map(|c| Cell::Text((*c).to_owned()))
                    .collect::<Vec<_>>(),
            ];
            let given = fill.iter().find(|(t, _)| t == name).map(|(_, r)| r);
            for row in given.into_iter().flatten() {
                let mut cells = vec![Cell::Text(String::new()); columns.len()];
                for (column, value) in row {
                    let i = columns
                        .iter()
                        .position(|c| c == column)
                        .unwrap_or_else(|| panic!("no column {column} in {name}"));
                    cells[i] = if let Ok(n) = value.parse::<f64>() {
                        Cell::Number(n)
                    } else if matches!(*column, "on" | "published") {
                        Cell::Date((*value).to_owned())
                    } else {
                        Cell::Text((*value).to_owned())
                    };
                }
                rows.push(cells);
            }
            ((*name).to_owned(), rows)
        })
        .collect()
}

fn write_xlsx(path: &Path, sheets: &[(String, Vec<Vec<Cell>>)]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).expect("a sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Text(t) if t.is_empty() => continue,
                    Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                    Cell::Date(d) => {
                        let date =
                            rust_xlsxwriter::ExcelDateTime::parse_from_str(d).expect("a date");
                        sheet
                            .write_datetime_with_format(r, c, &date, &date_format)
                            .map(|_| ())
                    }
                }
                .expect("a cell");
            }
        }
    }
    workbook.save(path).expect("saved");
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `content.xml` of an ODS spreadsheet holding `sheets`.
fn ods_content(sheets: &[(String, Vec<Vec<Cell>>)]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet>"#,
    );
    for (name, rows) in sheets {
        xml += &format!(r#"<table:table table:name="{}">"#, xml_escape(name));
        for row in rows {
            xml += "<table:table-row>";
            for cell in row {
                // A cell of several lines is several paragraphs, as LibreOffice writes it.
                let paragraphs = |text: &str| -> String {
                    text.split('\n')
                        .map(|line| format!("<text:p>{}</text:p>", xml_escape(line)))
                        .collect()
                };
                xml += &match cell {
                    Cell::Text(t) if t.is_empty() => "<table:table-cell/>".to_owned(),
                    Cell::Text(t) => format!(
                        r#"<table:table-cell office:value-type="string">{}</table:table-cell>"#,
                        paragraphs(t)
                    ),
                    Cell::Number(n) => format!(
                        r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                    ),
                    Cell::Date(d) => format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{d}"><text:p>{d}</text:p></table:table-cell>"#
                    ),
                };
            }
            xml += "</table:table-row>";
        }
        xml += "</table:table>";
    }
    xml + "</office:spreadsheet></office:body></office:document-content>"
}

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;

/// Writes `sheets` as an ODS file: the `mimetype` entry first and stored (it is how the format is told),
/// the rest deflated.
fn write_ods(path: &Path, sheets: &[(String, Vec<Vec<Cell>>)]) {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).expect("entry");
    zip.write_all(MIMETYPE.as_bytes()).expect("write");
    zip.start_file("META-INF/manifest.xml", deflated)
        .expect("entry");
    zip.write_all(MANIFEST.as_bytes()).expect("write");
    zip.start_file("content.xml", deflated).expect("entry");
    zip.write_all(ods_content(sheets).as_bytes())
        .expect("write");
    zip.finish().expect("finish");
}

/// The Gulf talks story ([`gulf_sheets`]) with names to escape, and a third contact whose `status`
/// (column C of `contacts`, row 4) is `third_status`.
fn story(third_status: &str) -> Vec<(String, Vec<Vec<Cell>>)> {
    let mut fill = gulf_sheets::gulf_talks(gulf_sheets::Names {
        outlet: "A wire service & co",
        tehran: "تهران",
        talks: "Talks in Muscat <first round>",
    });
    let (_, contacts) = fill
        .iter_mut()
        .find(|(name, _)| *name == "contacts")
        .expect("the story has contacts");
    contacts.push(vec![
        ("id", "call"),
        ("kind", "phone_call"),
        ("status", third_status),
        ("title", "A call after the talks"),
        ("participants", "fm-ir:caller; fm-om:addressee"),
        ("on", "2026-03-03"),
        ("sources", "wire"),
    ]);
    sheets(&fill)
}

fn run(path: &Path) -> Imported {
    match import(&[path.to_path_buf()], &Options::default()) {
        Ok(imported) => imported,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

#[test]
fn an_ods_workbook_imports_as_the_same_xlsx_workbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = story("held");
    let (xlsx, ods) = (dir.path().join("story.xlsx"), dir.path().join("story.ods"));
    write_xlsx(&xlsx, &story);
    write_ods(&ods, &story);
    let (from_xlsx, from_ods) = (run(&xlsx), run(&ods));
    assert_eq!(
        from_ods.problems.lines(),
        Vec::<String>::new(),
        "the ODS file is clean"
    );
    assert_eq!(from_xlsx.problems.lines(), Vec::<String>::new());
    assert_eq!(from_ods.scenario.contacts.len(), 3);
    let talks = &from_ods.scenario.contacts[1];
    assert_eq!(talks.participants.len(), 2, "a cell of two paragraphs");
    assert_eq!(talks.title, "Talks in Muscat <first round>");
    assert_eq!(
        write::to_json(&from_ods.scenario),
        write::to_json(&from_xlsx.scenario),
        "the same story from both"
    );
}

#[test]
fn a_wrong_ods_cell_is_reported_at_its_sheet_and_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Named .xlsx: the format is told from the content, the place is still the ODS cell.
    for name in ["story.ods", "misnamed.xlsx"] {
        let ods = dir.path().join(name);
        write_ods(&ods, &story("helld"));
        let imported = run(&ods);
        let lines = imported.problems.lines().join("\n");
        let expected = format!("{}:contacts!C4: error:", ods.display());
        assert!(lines.contains(&expected), "{expected}\nin:\n{lines}");
        assert!(lines.contains("helld"), "{lines}");
        assert_eq!(imported.problems.error_count(), 1, "{lines}");
    }
}
