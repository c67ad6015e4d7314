//! The details of a contact with competing accounts, in the app (egui_kittest): every account side by side,
//! the one shown marked, the dispute named, each account's grade, place and sources.

mod support;

use std::path::PathBuf;

use demarche::app::{AppOptions, DemarcheApp};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// The app on the Oman example (names in Persian and Arabic too: with the fonts the app installs).
fn oman() -> Harness<'static, DemarcheApp> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/oman-channel-2025.toml");
    let mut harness = support::app::app_with_fonts(
        [1400.0, 900.0],
        AppOptions {
            scenario: Some(path),
            ..Default::default()
        },
    );
    harness.run();
    harness
}

#[test]
fn the_details_show_every_account_side_by_side_with_the_shown_one_marked() {
    let mut harness = oman();
    harness
        .get_by_label_contains("Postponed: round 4 in Rome on Saturday 3 May")
        .click();
    harness.run();
    let app = harness.state();
    let id = app.selected_contact().expect("selected");
    assert_eq!(
        app.document.loaded.scenario.contact(id).id,
        "round-4-rome-postponed"
    );
    harness.get_by_label("Accounts");
    harness.get_by_label("Disputed: what happened, where");
    harness.get_by_label("Contact's own 1 (shown)");
    harness.get_by_label("Account 2");
    // Each column: what it asserts, where, its grade.
    harness.get_by_label("postponed");
    harness.get_by_label("planned");
    harness.get_by_label_contains("Venue to be announced by Oman (unspecified place");
    harness.get_by_label("B1: usually reliable, confirmed by other sources");
    harness.get_by_label("B2: usually reliable, probably true");
    harness.get_by_label_contains("Mehr News Agency (citing Reuters): Another high-level meeting");
    harness.get_by_label_contains("These reports leave the venue to Oman to announce");
}

#[test]
fn a_contact_with_one_account_shows_no_accounts_section_but_its_grades() {
    let mut harness = oman();
    harness
        .get_by_label_contains("Round 3 in Muscat; the next one provisionally set")
        .click();
    harness.run();
    assert!(harness.query_by_label("Accounts").is_none());
    harness.get_by_label_contains("graded B2 (usually reliable, probably true)");
}

/// The ids of the contacts the list shows.
fn visible_ids(harness: &Harness<'static, DemarcheApp>) -> Vec<String> {
    let app = harness.state();
    let scenario = &app.document.loaded.scenario;
    app.visible()
        .iter()
        .map(|&id| scenario.contact(id).id.clone())
        .collect()
}

#[test]
fn disputed_only_leaves_the_disputed_contacts_in_the_list() {
    let mut harness = oman();
    let all = visible_ids(&harness);
    harness.get_by_label_contains("Filters").click();
    harness.run();
    harness.get_by_label("Disputed only").click();
    harness.run();
    let app = harness.state();
    assert!(app.filter().disputed_only);
    let scenario = &app.document.loaded.scenario;
    let disputed: Vec<String> = scenario
        .contacts
        .iter()
        .filter(|c| c.dispute().any())
        .map(|c| c.id.clone())
        .collect();
    let shown = visible_ids(&harness);
    assert!(
        shown.contains(&"round-4-rome-postponed".to_owned()),
        "{shown:?}"
    );
    assert!(shown.iter().all(|id| disputed.contains(id)), "{shown:?}");
    assert!(shown.len() < all.len(), "{shown:?} of {all:?}");
    // The list itself: an undisputed contact is gone, the disputed one stays.
    assert!(
        harness
            .query_by_label_contains("Round 3 in Muscat; the next one provisionally set")
            .is_none()
    );
    harness.get_by_label_contains("Postponed: round 4 in Rome on Saturday 3 May");
    // Unticked, every contact is back.
    harness.get_by_label("Disputed only").click();
    harness.run();
    assert_eq!(visible_ids(&harness), all);
}

#[test]
fn the_grade_filter_keeps_the_contacts_shown_by_a_good_enough_source() {
    let mut harness = oman();
    let all = visible_ids(&harness);
    harness.get_by_label_contains("Filters").click();
    harness.run();
    harness.get_by_label("Grade").click();
    harness.run();
    harness.get_by_label("B2 or better").click();
    harness.run();
    let app = harness.state();
    let floor: demarche::model::Grade = "B2".parse().expect("a grade");
    assert_eq!(app.filter().grade_at_least, Some(floor));
    let scenario = &app.document.loaded.scenario;
    let shown = app.visible();
    assert!(!shown.is_empty());
    assert!(shown.len() < all.len(), "{} of {}", shown.len(), all.len());
    for &id in shown {
        let grade = demarche::model::evidence::shown_grade(scenario.contact(id), &scenario.sources);
        assert!(grade.is_some_and(|g| g.at_least(floor)), "{grade:?}");
    }
}

/// The map's layers at `time` (UTC): whether the contacts' layer holds a "!" and the legend the disputed
/// row.
fn disputed_on_the_map(harness: &mut Harness<'static, DemarcheApp>, time: &str) -> (bool, bool) {
    use demarche::scene::Item;
    let t: jiff::Timestamp = time.parse().expect("a time");
    harness
        .state_mut()
        .clock
        .apply(demarche::playback::TimeCommand::SetTime(t));
    harness.run();
    let scene = harness.state().map.scene().expect("drawn");
    let has_text = |layer: &str, wanted: &str| {
        scene.layer(layer).is_some_and(|l| {
            l.items
                .iter()
                .any(|i| matches!(i, Item::Text { text, .. } if text == wanted))
        })
    };
    (
        has_text("contacts", "!"),
        has_text("legend", "Disputed (accounts differ, !)"),
    )
}

#[test]
fn a_disputed_contact_has_its_mark_on_the_map_and_a_legend_row() {
    let mut harness = oman();
    assert_eq!(
        disputed_on_the_map(&mut harness, "2025-05-03T12:00:00Z"),
        (true, true)
    );
    // The default story has no disputed contact: neither the mark nor the row.
    let mut harness = support::app::app_with_fonts([1400.0, 900.0], AppOptions::default());
    harness.run();
    assert_eq!(
        disputed_on_the_map(&mut harness, "2026-01-31T12:00:00Z"),
        (false, false)
    );
}
