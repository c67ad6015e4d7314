//! Persian titles mixed with Latin names and Persian digits in the time bar and around it (issue 11):
//! a contact's tooltip on the time axis, the contact list, the details of a selected contact and what is
//! on now read right to left, in the right order, with real glyphs for the digits (the harness fails on
//! a missing glyph).

mod support;

use demarche::app::{AppOptions, DemarcheApp};
use demarche::ui::AppCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// "Araghchi meets Witkoff on 2 February": a Persian line with a Latin name and a Persian digit.
const TITLE: &str = "دیدار عراقچی با Witkoff در ۲ فوریه";

/// The Oman example with every contact titled [`TITLE`].
fn story(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string("data/scenarios/oman-channel-2025.toml").expect("example");
    let mut in_contact = false;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("[[") {
            in_contact = line.trim() == "[[contacts]]";
        }
        if in_contact && line.starts_with("title = ") {
            out.push_str(&format!("title = \"{TITLE}\"\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    let path = dir.join("persian.toml");
    std::fs::write(&path, out).expect("written");
    path
}

/// Each row of text drawn in the last frame: its glyphs as (character, left edge), in points.
fn drawn_rows(harness: &Harness<'static, DemarcheApp>) -> Vec<Vec<(char, f32)>> {
    fn collect(shape: &egui::Shape, out: &mut Vec<Vec<(char, f32)>>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| collect(s, out)),
            egui::Shape::Text(text) => {
                for row in &text.galley.rows {
                    let left = text.pos.x + row.pos.x;
                    out.push(
                        row.row
                            .glyphs
                            .iter()
                            .filter(|g| g.advance_width > 0.0)
                            .map(|g| (g.chr, left + g.pos.x))
                            .collect(),
                    );
                }
            }
            _ => {}
        }
    }
    let mut rows = Vec::new();
    for clipped in &harness.output().shapes {
        collect(&clipped.shape, &mut rows);
    }
    rows
}

/// The rows that show the whole title in a paragraph that reads right to left (its rightmost letter is
/// Persian; in a line that starts in Latin, as the contact list's "Sat 12 Apr  ..." does, the Latin name
/// splits the Persian run, as the bidirectional algorithm says), each checked to read right to left: on
/// screen, from left to right, "فوریه", "۲", "Witkoff", then "عراقچی". How many there were.
fn check_title_rows(harness: &Harness<'static, DemarcheApp>, place: &str) -> usize {
    let mut n = 0;
    for row in drawn_rows(harness) {
        // A row cut short (a list row, "…") does not show the whole title: whether it reads right to left
        // cannot be told from its glyphs once its Latin end ("(held)") is cut off.
        if row.iter().any(|g| g.0 == '…') {
            continue;
        }
        let rightmost = row
            .iter()
            .filter(|g| g.0.is_alphabetic())
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if !rightmost.is_some_and(|g| ('\u{0600}'..='\u{06FF}').contains(&g.0)) {
            continue;
        }
        let x = |c: char| row.iter().find(|g| g.0 == c).map(|g| g.1);
        let (Some(feb), Some(two), Some(w), Some(araghchi)) = (x('ف'), x('۲'), x('W'), x('ق'))
        else {
            continue;
        };
        let text: String = row.iter().map(|g| g.0).collect();
        assert!(
            feb < two && two < w && w < araghchi,
            "{place}: drawn out of order: {text:?} (ف {feb}, ۲ {two}, W {w}, ق {araghchi})"
        );
        n += 1;
    }
    n
}

#[test]
fn persian_titles_with_latin_and_digits_read_right_to_left_in_the_time_bar_and_panels() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let options = AppOptions {
        scenario: Some(story(dir.path())),
        ..Default::default()
    };
    let mut harness = support::app::app_with_fonts([1366.0, 768.0], options);
    harness.run();
    assert!(
        harness.state().document.loaded.scenario.contacts[0].title == TITLE,
        "the story opened"
    );
    check_title_rows(&harness, "the window");

    // A marker's tooltip on the time axis.
    let axis = harness.get_by_label("Time").rect();
    let mut shown = false;
    'search: for lane in 0..7 {
        for step in 1..60 {
            let x = axis.left() + axis.width() * step as f32 / 60.0;
            let y = axis.top() + 30.0 + 9.0 * lane as f32 + 4.5;
            harness.hover_at(egui::pos2(x, y));
            harness.run();
            if harness.query_by_label_contains("precision: ").is_some() {
                shown = true;
                break 'search;
            }
        }
    }
    assert!(shown, "a marker's tooltip showed");
    // Screen readers get the title as written.
    assert!(
        harness.query_by_label(TITLE).is_some(),
        "the tooltip's title as written"
    );
    let rows_with_tooltip = check_title_rows(&harness, "the time axis's tooltip");

    // The details of a selected contact.
    harness.hover_at(egui::pos2(5.0, 5.0));
    harness.run();
    let rows_without_tooltip = check_title_rows(&harness, "the panels");
    assert!(
        rows_with_tooltip > rows_without_tooltip,
        "the tooltip drew the title: {rows_with_tooltip} rows with it, {rows_without_tooltip} without"
    );
    let id = harness.state().document.loaded.scenario.chronological()[0];
    harness.state_mut().apply(vec![AppCommand::Select(id)]);
    harness.run();
    harness.run();
    assert!(
        check_title_rows(&harness, "the selected contact's details") > 0,
        "the details show the title"
    );
    assert!(
        harness.query_by_label(TITLE).is_some(),
        "as written, for screen readers"
    );
}
