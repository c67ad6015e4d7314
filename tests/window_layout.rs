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

#[test]
fn names_in_persian_read_right_to_left_in_the_panels() {
    let mut harness = support::app::app_with_fonts([1366.0, 768.0], AppOptions::default());
    harness.run();
    harness
        .state_mut()
        .apply(vec![AppCommand::OpenExample("oman-channel-2025.toml")]);
    harness.run();
    let scenario = &harness.state().document.loaded.scenario;
    let araghchi = scenario
        .actors
        .iter()
        .position(|a| a.name.contains("عراقچی"))
        .expect("Araghchi, named in Persian too");
    harness
        .state_mut()
        .apply(vec![AppCommand::SelectOnMap(Pick::Actor(
            demarche::model::ActorId(araghchi as u32),
        ))]);
    harness.run();
    // "عباس عراقچی" read right to left: the first name is on the right, so laid out left to right the
    // family name comes first.
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label_contains("(عراقچی عباس)");
    assert!(
        harness.query_by_label_contains("(عباس عراقچی)").is_none(),
        "the words in written order, left to right, would read backwards"
    );
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
