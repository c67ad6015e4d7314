//! The window at work on a journalist's laptop (1366x768): the side panels never squeeze the map, and
//! selecting something does not change their width or move the map under the pointer.

mod support;

use demarche::app::{AppOptions, DemarcheApp};
use demarche::scene::Pick;
use demarche::ui::AppCommand;
use egui_kittest::Harness;

fn harness(size: [f32; 2]) -> Harness<'static, DemarcheApp> {
    Harness::builder()
        .with_size(size)
        .build_eframe(|_cc| DemarcheApp::new(&AppOptions::default()))
}

/// Everything the user can select in the default scenario.
fn all_picks(app: &DemarcheApp) -> Vec<Pick> {
    let scenario = &app.document.loaded.scenario;
    let mut picks: Vec<Pick> = scenario
        .chronological()
        .into_iter()
        .map(Pick::Contact)
        .collect();
    picks.extend(
        (0..scenario.actors.len()).map(|i| Pick::Actor(demarche::model::ActorId(i as u32))),
    );
    picks.extend(
        (0..scenario.venues.len()).map(|i| Pick::Venue(demarche::model::VenueId(i as u32))),
    );
    picks
}

#[test]
fn selecting_anything_leaves_the_map_where_it_is() {
    let mut harness = harness([1366.0, 768.0]);
    harness.run();
    let map = harness.state().last_layout.map;
    let picks = all_picks(harness.state());
    for pick in picks {
        harness
            .state_mut()
            .apply(vec![AppCommand::SelectOnMap(pick)]);
        harness.run();
        assert_eq!(
            harness.state().last_layout.map,
            map,
            "selecting {pick:?} moved or resized the map"
        );
    }
    harness.state_mut().apply(vec![AppCommand::ClearSelection]);
    harness.run();
    assert_eq!(harness.state().last_layout.map, map);
}

#[test]
fn on_a_laptop_screen_the_map_keeps_most_of_the_window() {
    for size in [[1366.0, 768.0], [1280.0, 720.0]] {
        let mut harness = harness(size);
        harness.run();
        let map = harness.state().last_layout.map;
        assert!(
            map.width() >= 0.5 * size[0] && map.height() >= 0.5 * size[1],
            "at {size:?} the map is {map:?}"
        );
    }
}

/// The Oman example, opened in a window with the app's fonts.
fn oman() -> Harness<'static, DemarcheApp> {
    let mut harness = support::app::app_with_fonts([1366.0, 768.0], AppOptions::default());
    harness.run();
    harness
        .state_mut()
        .apply(vec![AppCommand::OpenExample("oman-channel-2025.toml")]);
    harness.run();
    harness
}

/// A row of text on screen: its top, and its glyphs as (character, left edge, right edge), in points.
type DrawnRow = (f32, Vec<(char, f32, f32)>);

/// Each row of text drawn in the last frame: its characters (in the order laid out, left to right) with
/// their left and right edges, and the row's top, in points.
fn drawn_rows(harness: &Harness<'static, DemarcheApp>) -> Vec<DrawnRow> {
    fn collect(shape: &egui::Shape, out: &mut Vec<DrawnRow>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| collect(s, out)),
            egui::Shape::Text(text) => {
                for row in &text.galley.rows {
                    let origin = text.pos + row.pos.to_vec2();
                    let glyphs = row
                        .row
                        .glyphs
                        .iter()
                        // Not egui's zero-width glyphs that stand for the other letters of a cluster.
                        .filter(|g| g.advance_width > 0.0)
                        .map(|g| {
                            let left = origin.x + g.pos.x;
                            (g.chr, left, left + g.advance_width)
                        })
                        .collect();
                    out.push((origin.y, glyphs));
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

#[test]
fn names_in_persian_read_right_to_left_in_the_panels_and_as_written_to_screen_readers() {
    let mut harness = oman();
    let scenario = &harness.state().document.loaded.scenario;
    let (araghchi, name) = scenario
        .actors
        .iter()
        .enumerate()
        .find(|(_, a)| a.name.contains("عراقچی"))
        .map(|(i, a)| (i, a.name.clone()))
        .expect("Araghchi, named in Persian too");
    harness
        .state_mut()
        .apply(vec![AppCommand::SelectOnMap(Pick::Actor(
            demarche::model::ActorId(araghchi as u32),
        ))]);
    harness.run();
    // A screen reader gets the name as written (the Persian words in reading order)...
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label(&name);
    assert!(
        harness.query_by_label_contains("(عراقچی عباس)").is_none(),
        "the visual order would be read backwards"
    );
    // ...and the screen shows "عباس عراقچی" read right to left: the first name (with its ب) on the right
    // of the family name (with its چ).
    let rows = drawn_rows(&harness);
    let row = rows
        .iter()
        .map(|(_, glyphs)| glyphs)
        .find(|glyphs| glyphs.iter().any(|g| g.0 == 'چ') && glyphs.iter().any(|g| g.0 == 'ب'))
        .expect("the name is drawn");
    let x = |c: char| {
        row.iter()
            .find(|g| g.0 == c)
            .map(|g| g.1)
            .unwrap_or(f32::NAN)
    };
    assert!(x('ب') > x('چ'), "ب at {}, چ at {}", x('ب'), x('چ'));
}

#[test]
fn a_wrapping_persian_summary_reads_from_its_top_line_at_the_right() {
    let mut harness = oman();
    // Its first word has the only ژ, its last the only ظ.
    let filler = "گفت‌وگوها در مسقط ادامه یافت و دو طرف ";
    let summary = format!("ژاپن {} ظهر", filler.repeat(8).trim_end());
    let id = harness.state().document.order[0];
    harness.state_mut().document.loaded.scenario.contacts[id.0 as usize].summary = summary.clone();
    harness.state_mut().apply(vec![AppCommand::Select(id)]);
    harness.run();
    harness.run();
    let rows: Vec<DrawnRow> = drawn_rows(&harness)
        .into_iter()
        // The summary's rows: long rows of its letters only.
        .filter(|(_, glyphs)| glyphs.len() >= 8 && glyphs.iter().all(|g| summary.contains(g.0)))
        .collect();
    assert!(rows.len() >= 3, "the summary wraps: {} rows", rows.len());
    let row_of = |c: char| {
        rows.iter()
            .find(|(_, glyphs)| glyphs.iter().any(|g| g.0 == c))
            .unwrap_or_else(|| panic!("{c} is drawn"))
    };
    let top = rows.iter().map(|r| r.0).fold(f32::INFINITY, f32::min);
    let bottom = rows.iter().map(|r| r.0).fold(f32::NEG_INFINITY, f32::max);
    let right = rows
        .iter()
        .flat_map(|r| r.1.iter().map(|g| g.2))
        .fold(f32::NEG_INFINITY, f32::max);
    // The first word: on the top line, at its right end, against the paragraph's right edge.
    let (y, first) = row_of('ژ');
    assert_eq!(*y, top, "the first word is on the top line");
    let zhe = first.iter().find(|g| g.0 == 'ژ').expect("ژ");
    assert!(
        first.iter().all(|g| g.1 <= zhe.1),
        "the first word is the rightmost of its line"
    );
    assert!(right - zhe.2 < 2.0, "the top line ends at the right edge");
    // The last word: on the bottom line, at its left end.
    let (y, last) = row_of('ظ');
    assert_eq!(*y, bottom, "the last word is on the bottom line");
    let za = last.iter().find(|g| g.0 == 'ظ').expect("ظ");
    assert!(
        last.iter().all(|g| g.1 >= za.1 - 30.0),
        "the last word ends its line on the left"
    );
    // Every line of the paragraph hugs the right edge.
    for (_, glyphs) in &rows {
        let end = glyphs.iter().map(|g| g.2).fold(f32::NEG_INFINITY, f32::max);
        assert!(
            right - end < 12.0,
            "a line ends {} points from the edge",
            right - end
        );
    }
    // Screen readers get it as written.
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label(&summary);
}

#[test]
fn the_legend_folds_away_and_stays_folded_in_the_next_session() {
    let mut harness = harness([1366.0, 768.0]);
    harness.run();
    let has_legend = |h: &Harness<'static, DemarcheApp>| {
        h.state()
            .map
            .scene()
            .is_some_and(|s| s.layer("legend").is_some())
    };
    assert!(has_legend(&harness), "shown at first");
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label("Legend").click();
    harness.run();
    assert!(!has_legend(&harness), "folded away");
    assert!(harness.state().persisted().legend_folded);
    let saved = harness.state().persisted();
    let mut next = self::harness([1366.0, 768.0]);
    next.state_mut().restore(saved);
    next.run();
    assert!(!has_legend(&next), "still folded in the next session");
    next.get_by_label("Legend").click();
    next.run();
    assert!(has_legend(&next), "shown again");
}

#[test]
fn f_fits_the_filtered_part_of_the_story() {
    let mut harness = harness([1366.0, 768.0]);
    harness.run();
    let whole = harness.state().map.camera.expect("fitted");
    // Only the build-up in the Gulf.
    let filter = demarche::model::Filter {
        text: "build-up".to_owned(),
        ..Default::default()
    };
    harness
        .state_mut()
        .apply(vec![AppCommand::SetFilter(filter)]);
    harness.run();
    assert!(!harness.state().visible().is_empty());
    harness.key_press(egui::Key::F);
    harness.run();
    let filtered = harness.state().map.camera.expect("fitted");
    assert!(
        filtered.scale > whole.scale * 1.5,
        "closer in on the Gulf: {} against {}",
        filtered.scale,
        whole.scale
    );
}
