//! The app driven as a person would, through egui_kittest (no GPU, no display): widgets are found by their
//! accessible labels, clicked, keyed and scrubbed.

use demarche::app::{AppOptions, DemarcheApp};
use demarche::io::scenario::DEFAULT_SCENARIO_TOML;
use demarche::ui::AppCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use jiff::Timestamp;

fn harness() -> Harness<'static, DemarcheApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(|_cc| DemarcheApp::new(&AppOptions::default()))
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

#[test]
fn the_app_opens_on_the_default_scenario_with_its_contacts_in_time_order() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label_contains("The Ankara channel, 30 Jan - 1 Feb 2026");
    harness.get_by_label_contains("Fri 30 Jan  Fidan hosts Araghchi  (held)");
    harness.get_by_label_contains("Sun 1 Feb to Sat 7 Feb (window)  Planned: Witkoff and senior Iranian officials in Ankara  (planned)");
    // The clock starts at the first contact's start and the time bar says where it is.
    let app = harness.state();
    assert_eq!(
        Some(app.clock.time()),
        app.document.loaded.scenario.time_extent().map(|(s, _)| s)
    );
}

#[test]
fn clicking_a_contact_selects_it_jumps_to_it_and_shows_its_sources() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label_contains("Planned: Witkoff").click();
    harness.run();
    let app = harness.state();
    let id = app.selected_contact().expect("a contact is selected");
    let contact = app.document.loaded.scenario.contact(id);
    assert_eq!(contact.id, "ankara-meeting-planned");
    assert_eq!(app.clock.time(), contact.time.anchor());
    harness.get_by_label_contains("attributed to: two regional sources");
    harness.get_by_label_contains("attributed to: a second U.S. official");
    harness.get_by_label_contains("precision: window (not yet known when)");
}

#[test]
fn scrubbing_the_time_slider_changes_which_contacts_are_current() {
    let mut harness = harness();
    harness.run();
    let start = harness.state().clock.range().0;
    // Saturday 31 Jan, 12:00 UTC.
    let target = ts("2026-01-31T12:00:00Z");
    let secs = (target.as_second() - start.as_second()) as f64;
    harness.get_by_label("Time").set_value_accesskit(secs);
    harness.run();
    assert_eq!(harness.state().clock.time(), target);
    // The "Now" view lists what goes on: Al Thani in Tehran, not Friday's meeting.
    harness.get_by_label_contains(
        "Qatar's Prime Minister Al Thani in Tehran, meets Larijani (visit, held)",
    );
    assert!(
        harness
            .query_by_label_contains("Fidan hosts Araghchi (meeting")
            .is_none()
    );
}

#[test]
fn space_plays_and_time_advances() {
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_step_dt(0.05)
        .build_eframe(|_cc| DemarcheApp::new(&AppOptions::default()));
    harness.run();
    let before = harness.state().clock.time();
    harness.key_press(egui::Key::Space);
    harness.run_steps(10);
    let app = harness.state();
    assert!(app.clock.is_playing());
    let advanced = app.clock.time().as_second() - before.as_second();
    // Ten frames of 50 ms at the default four hours a second: about two hours.
    assert!((6000..=7400).contains(&advanced), "advanced {advanced} s");
    harness.get_by_label("Pause").click();
    harness.run();
    assert!(!harness.state().clock.is_playing());
}

#[test]
fn a_broken_scenario_shows_its_errors_and_keeps_the_one_loaded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.toml");
    std::fs::write(
        &path,
        DEFAULT_SCENARIO_TOML.replacen("kind = \"meeting\"", "kind = \"meeeting\"", 1),
    )
    .expect("write");
    let mut harness = harness();
    harness.run();
    harness.state_mut().open_scenario(path);
    // Read on another thread: wait for it.
    harness.state_mut().finish_loading();
    harness.run();
    harness.get_by_label_contains(
        "broken.toml could not be opened: 1 error. The previous scenario is kept.",
    );
    harness.get_by_label_contains("unknown contact kind `meeeting`");
    assert_eq!(
        harness.state().document.loaded.scenario.meta.id,
        "ankara-channel-2026"
    );
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("could not be opened")
            .is_none()
    );
}

#[test]
fn a_valid_scenario_file_replaces_the_one_loaded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.toml");
    let other = DEFAULT_SCENARIO_TOML
        .replacen("id = \"ankara-channel-2026\"", "id = \"other\"", 1)
        .replacen(
            "title = \"The Ankara channel, 30 Jan - 1 Feb 2026\"",
            "title = \"Another story\"",
            1,
        );
    std::fs::write(&path, other).expect("write");
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |_cc| {
            DemarcheApp::new(&AppOptions {
                scenario: Some(path),
                ..Default::default()
            })
        });
    harness.run();
    harness.get_by_label_contains("Another story");
    assert_eq!(harness.state().document.loaded.scenario.meta.id, "other");
}

#[test]
fn the_map_draws_the_basemap_and_the_venues_of_the_scenario() {
    let mut harness = harness();
    harness.run();
    let app = harness.state();
    let scene = &app.map.scene().expect("the map was drawn");
    let names = ["basemap-0", "graticule", "venues", "scale-bar", "credit"];
    for name in names {
        assert!(
            scene.layer(name).is_some(),
            "the scene has a `{name}` layer"
        );
    }
    let has_text = |layer: &str, text: &str| {
        scene.layer(layer).is_some_and(|l| {
            l.items
                .iter()
                .any(|i| matches!(i, demarche::scene::Item::Text { text: t, .. } if t == text))
        })
    };
    assert!(has_text("venues", "Tehran") && has_text("venues", "Ankara"));
    assert!(has_text("credit", "Made with Natural Earth"));
    assert!(has_text("country-labels-0", "Saudi Arabia"));
    // One level of the embedded world for the whole view: the 1:10m one, zoomed in as the story is.
    assert!(
        scene.layer("basemap-1").is_none(),
        "one basemap level drawn"
    );
    for kind in [
        "Visit",
        "Meeting",
        "Phone call",
        "Military move",
        "Planned (dashed, hollow)",
    ] {
        assert!(has_text("legend", kind), "the legend lists {kind}");
    }
}

#[test]
fn hovering_a_country_shows_its_name_as_the_scenario_spells_it() {
    let mut harness = harness();
    harness.run();
    let (camera, projection) = {
        let app = harness.state();
        (
            app.map.camera.expect("camera"),
            app.map_settings().projection(),
        )
    };
    // Western Anatolia, away from the venue labels and badges.
    let w = projection.project(30.5, 38.0).expect("projects");
    let p = camera.screen_from_world(w);
    harness.hover_at(egui::pos2(p[0], p[1]));
    harness.run();
    assert!(
        harness.query_all_by_label("Türkiye").count() >= 1,
        "the tooltip names the country as the scenario does"
    );
    assert_eq!(
        harness.query_all_by_label("iso_n3").count(),
        0,
        "and shows no raw properties"
    );
}

#[test]
fn wheel_and_keys_zoom_and_f_fits_again() {
    let mut harness = harness();
    harness.run();
    let fitted = harness.state().map.camera.expect("camera");
    harness.key_press(egui::Key::Plus);
    harness.run();
    let zoomed = harness.state().map.camera.expect("camera");
    assert!(
        (zoomed.scale / fitted.scale - 1.5).abs() < 1e-9,
        "{} -> {}",
        fitted.scale,
        zoomed.scale
    );
    harness.key_press(egui::Key::F);
    harness.run();
    let refitted = harness.state().map.camera.expect("camera");
    assert_eq!(refitted.scale, fitted.scale);
    assert_eq!(refitted.center, fitted.center);
}

#[test]
fn the_file_menu_offers_to_open_a_scenario_and_add_a_map_layer() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Open scenario… (Ctrl+O)");
    harness.get_by_label("Add map layer (GeoJSON, TopoJSON)…");
}

/// The contacts' layer of the map at a time: which colours of line and marker it holds.
fn contacts_at(time: &str) -> demarche::scene::SceneLayer {
    let mut harness = harness();
    harness.run();
    harness
        .state_mut()
        .clock
        .apply(demarche::playback::TimeCommand::SetTime(ts(time)));
    harness.run();
    let scene = harness.state().map.scene().expect("drawn");
    scene.layer("contacts").cloned().expect("a contacts layer")
}

fn has_line(
    layer: &demarche::scene::SceneLayer,
    kind: demarche::model::ContactKind,
    dashed: bool,
) -> bool {
    let color = demarche::scene::contacts::kind_color(kind, &demarche::scene::Theme::light());
    layer.items.iter().any(|i| {
        matches!(i, demarche::scene::Item::Polyline { color: c, dash, .. }
            if c.0[..3] == color.0[..3] && dash.is_some() == dashed)
    })
}

#[test]
fn the_map_shows_the_contacts_going_on_and_not_the_others() {
    use demarche::model::ContactKind;
    // Saturday noon UTC: Zamir and Al Thani travelling (solid arcs), Sisi calling Pezeshkian (dashed).
    let saturday = contacts_at("2026-01-31T12:00:00Z");
    assert!(has_line(&saturday, ContactKind::Visit, false), "visit arcs");
    assert!(
        has_line(&saturday, ContactKind::PhoneCall, true),
        "the call as a dashed line"
    );
    // The mediation, ongoing, links the parties through the mediators.
    assert!(has_line(&saturday, ContactKind::Mediation, true));

    // Thursday evening: nothing has happened yet but what is ongoing.
    let before = contacts_at("2026-01-29T21:00:00Z");
    assert!(
        !has_line(&before, ContactKind::Visit, false),
        "no visit before Friday"
    );
    assert!(
        !has_line(&before, ContactKind::PhoneCall, true),
        "no call before Saturday"
    );
}

#[test]
fn a_visit_is_drawn_as_far_as_the_trip_has_gone() {
    let length = |layer: &demarche::scene::SceneLayer| -> f32 {
        let color = demarche::scene::contacts::kind_color(
            demarche::model::ContactKind::Visit,
            &demarche::scene::Theme::light(),
        );
        layer
            .items
            .iter()
            .filter_map(|i| match i {
                demarche::scene::Item::Polyline {
                    points,
                    color: c,
                    dash: None,
                    width,
                    ..
                } if c.0[..3] == color.0[..3] && *width > 1.2 => Some(
                    points
                        .windows(2)
                        .map(|w| ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt())
                        .sum::<f32>(),
                ),
                _ => None,
            })
            .sum()
    };
    // Al Thani's day in Tehran starts at 20:30 UTC on Friday; the flight from Doha takes some 2.5 hours.
    let leaving = length(&contacts_at("2026-01-30T21:00:00Z"));
    let landing = length(&contacts_at("2026-01-30T22:30:00Z"));
    assert!(
        landing > leaving + 20.0,
        "the arc grows during the trip: {leaving} then {landing}"
    );
    // Then the arc is held at the destination for the visit.
    let staying = length(&contacts_at("2026-01-31T02:00:00Z"));
    let later = length(&contacts_at("2026-01-31T18:00:00Z"));
    assert!(
        (staying - later).abs() < 1.0 && staying >= landing,
        "held for the stay: {staying} then {later}"
    );
}

#[test]
fn right_lands_exactly_on_the_next_contact_and_left_goes_back() {
    let mut harness = harness();
    harness.run();
    let start = harness.state().clock.time();
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let app = harness.state();
    let id = app
        .selected_contact()
        .expect("the next contact is selected");
    let contact = app.document.loaded.scenario.contact(id);
    assert_eq!(
        Some(app.clock.time()),
        contact.time.start,
        "exactly on its start"
    );
    assert!(app.clock.time() > start);
    // No contact starts between where we were and where we landed.
    let skipped = app
        .document
        .loaded
        .scenario
        .contacts
        .iter()
        .filter_map(|c| c.time.start)
        .any(|t| t > start && t < app.clock.time());
    assert!(!skipped, "Right skipped a contact");
    let first_landing = app.clock.time();

    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let second = harness.state().clock.time();
    assert!(second > first_landing);
    harness.key_press(egui::Key::ArrowLeft);
    harness.run();
    assert_eq!(harness.state().clock.time(), first_landing);

    harness.key_press(egui::Key::End);
    harness.run();
    assert_eq!(
        harness.state().clock.time(),
        harness.state().clock.range().1
    );
    harness.key_press(egui::Key::Home);
    harness.run();
    assert_eq!(
        harness.state().clock.time(),
        harness.state().clock.range().0
    );
}

#[test]
fn the_speed_and_the_time_zone_can_be_picked() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label("Speed").click();
    harness.run();
    harness.get_by_label("1 day/s").click();
    harness.run();
    assert_eq!(
        harness.state().clock.speed().scenario_secs_per_sec,
        86_400.0
    );

    harness.get_by_label("Time zone").click();
    harness.run();
    harness.get_by_label("Asia/Tehran").click();
    harness.run();
    assert_eq!(harness.state().display_zone_name(), "Asia/Tehran");
    // The clock starts at 21:00 UTC on Thursday: 00:30 on Friday in Tehran.
    harness.get_by_label_contains("Fri 30 Jan 2026 00:30 Asia/Tehran");
}

/// Runs the app until its map has no load in progress.
fn run_until_loaded(harness: &mut Harness<'static, DemarcheApp>) {
    // Up to 20 s: the machine may be busy; a small file takes milliseconds.
    for _ in 0..2000 {
        harness.run_steps(1);
        if harness.state().map_layers().loading().is_none() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the map file did not load");
}

const SQUARE: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Square"},"geometry":{"type":"Polygon","coordinates":[[[30,30],[40,30],[40,40],[30,40],[30,30]]]}}]}"#;

#[test]
fn a_map_file_is_added_over_the_basemap_or_replaces_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("square.geojson");
    std::fs::write(&path, SQUARE).expect("write");
    let mut harness = harness();
    harness.run();
    harness.state_mut().apply(vec![AppCommand::OpenMapFile {
        path: path.clone(),
        replace: false,
    }]);
    run_until_loaded(&mut harness);
    let layers = harness.state().map_layers().layers();
    // The embedded 1:50m level and the new one (the 1:10m level is kept apart, read when needed).
    assert_eq!(layers.len(), 2, "the embedded layer and the new one");
    assert_eq!(layers[1].features[0].label.as_deref(), Some("Square"));

    harness.state_mut().apply(vec![AppCommand::OpenMapFile {
        path,
        replace: true,
    }]);
    run_until_loaded(&mut harness);
    let layers = harness.state().map_layers().layers();
    assert_eq!(layers.len(), 1, "only the new layer");
}

#[test]
fn a_broken_map_file_is_reported_and_the_map_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.geojson");
    std::fs::write(&path, &SQUARE[..60]).expect("write");
    let mut harness = harness();
    harness.run();
    harness.state_mut().apply(vec![AppCommand::OpenMapFile {
        path,
        replace: false,
    }]);
    run_until_loaded(&mut harness);
    harness.run();
    assert_eq!(
        harness.state().map_layers().layers().len(),
        1,
        "the map is kept"
    );
    // Told as a map file's problem, not as a scenario's.
    harness.get_by_label_contains("broken.geojson could not be added");
    harness.get_by_label_contains("The map file");
    assert!(
        harness
            .query_by_label_contains("previous scenario is kept")
            .is_none()
    );
}

/// Previous and Next go to the last contact started before the clock and the first started after it (of
/// several starting then, the first in the file), found by bisection in the list: the same as reading
/// every contact listed, in every story, from every contact's start and around it, filtered or not.
#[test]
fn previous_and_next_go_where_reading_every_contact_goes() {
    use demarche::app::Document;
    use demarche::model::{ContactId, Filter};
    use demarche::playback::TimeCommand;
    let mut stories = vec![demarche::io::scenario::default_scenario()];
    for example in demarche::io::scenario::examples::EXAMPLES {
        stories.push(example.load().expect("an example").0);
    }
    let synth = demarche::synth::scenario_json(
        demarche::synth::SynthSize {
            contacts: 400,
            actors: 10,
            venues: 8,
        },
        6,
    );
    stories.push(demarche::io::scenario::parse("synth.json", &synth).expect("valid"));
    let mut compared = 0;
    for loaded in stories {
        let mut app = DemarcheApp::with_document(Document::new(loaded, None, b"test"));
        for filtered in [false, true] {
            if filtered {
                let mut filter = Filter::default();
                filter.kinds.insert(demarche::model::ContactKind::Meeting);
                app.apply(vec![AppCommand::SetFilter(filter)]);
            }
            let scenario = app.document.loaded.scenario.clone();
            let visible = app.visible().to_vec();
            let starts: Vec<(Timestamp, ContactId)> = visible
                .iter()
                .filter_map(|&id| scenario.contact(id).time.start.map(|t| (t, id)))
                .collect();
            let mut times: Vec<Timestamp> = starts.iter().map(|&(t, _)| t).collect();
            times.extend(
                times
                    .clone()
                    .iter()
                    .map(|t| *t - jiff::SignedDuration::from_mins(1)),
            );
            for t in times {
                for direction in [1i8, -1] {
                    app.apply(vec![AppCommand::ClearSelection]);
                    app.clock.apply(TimeCommand::SetTime(t));
                    // The clock keeps to the story's range.
                    let t = app.clock.time();
                    let expected = if direction > 0 {
                        starts
                            .iter()
                            .filter(|(s, _)| *s > t)
                            .min_by_key(|(s, id)| (*s, *id))
                    } else {
                        starts
                            .iter()
                            .filter(|(s, _)| *s < t)
                            .max_by_key(|(s, id)| (*s, std::cmp::Reverse(*id)))
                    };
                    app.step_contact(direction);
                    assert_eq!(
                        app.selected_contact(),
                        expected.map(|&(_, id)| id),
                        "from {t}, {direction}"
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1_000, "{compared} steps compared");
}
