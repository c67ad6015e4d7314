//! The viewer's map and timeline, driven as a person would through egui_kittest: venues and actors on the
//! map, edge markers for far venues, filters, hovering and clicking, the time axis.

mod support;

use demarche::app::{AppOptions, DemarcheApp};
use demarche::model::ContactKind;
use demarche::playback::TimeCommand;
use demarche::scene::{Item, Pick, SceneLayer};
use demarche::ui::AppCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use jiff::Timestamp;
use support::app::step_until;

fn harness() -> Harness<'static, DemarcheApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(|_cc| DemarcheApp::new(&AppOptions::default()))
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn at_time(harness: &mut Harness<'static, DemarcheApp>, time: &str) {
    harness
        .state_mut()
        .clock
        .apply(TimeCommand::SetTime(ts(time)));
    harness.run();
}

fn layer(harness: &Harness<'static, DemarcheApp>, name: &str) -> SceneLayer {
    let scene = harness.state().map.scene().expect("drawn");
    scene.layer(name).cloned().unwrap_or_default()
}

fn texts(layer: &SceneLayer) -> Vec<String> {
    layer
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// A click of the primary button at `pos`, as a person makes it: move there, press, release.
fn click_at(harness: &mut Harness<'static, DemarcheApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.run();
    harness.drag_at(pos);
    harness.run();
    harness.drop_at(pos);
    harness.run();
}

/// Where the map put something the user can pick.
fn target(harness: &Harness<'static, DemarcheApp>, pick: Pick) -> egui::Pos2 {
    let t = harness
        .state()
        .map
        .last_targets
        .iter()
        .find(|t| t.pick == pick)
        .unwrap_or_else(|| panic!("{pick:?} is on the map"));
    egui::pos2(t.center[0], t.center[1])
}

#[test]
fn washington_is_shown_at_the_edge_of_the_map_with_an_arrow_and_its_contacts_run_there() {
    let mut harness = harness();
    harness.run();
    at_time(&mut harness, "2026-01-31T12:00:00Z");
    let app = harness.state();
    let scenario = &app.document.loaded.scenario;
    let washington = scenario.venue_by_id("washington").expect("venue");
    let map = app.last_layout.map;
    let marker = target(&harness, Pick::Venue(washington));
    let near_edge = (marker.x - map.left()).abs() < 30.0
        || (marker.y - map.top()).abs() < 30.0
        || (marker.x - map.right()).abs() < 30.0
        || (marker.y - map.bottom()).abs() < 30.0;
    assert!(
        near_edge,
        "Washington's marker {marker:?} is at the edge of {map:?}"
    );
    assert!(map.contains(marker));
    assert!(texts(&layer(&harness, "venues")).contains(&"Washington".to_owned()));
    // An arrow: a triangle at the marker.
    let arrow = layer(&harness, "venues").items.iter().any(|i| match i {
        Item::Mesh { vertices, .. } => {
            vertices.len() == 3
                && vertices
                    .iter()
                    .all(|v| (v[0] - marker.x).hypot(v[1] - marker.y) < 12.0)
        }
        _ => false,
    });
    assert!(arrow, "an arrow points Washington's way");
    // The message through channels from Washington to Tehran starts at the marker.
    let color = demarche::scene::contacts::kind_color(
        ContactKind::ChannelMessage,
        &demarche::scene::Theme::light(),
    );
    let runs_to_marker = layer(&harness, "contacts").items.iter().any(|i| match i {
        Item::Polyline {
            points, color: c, ..
        } if c.0[..3] == color.0[..3] => points
            .iter()
            .any(|p| (p[0] - marker.x).hypot(p[1] - marker.y) < 1.0),
        _ => false,
    });
    assert!(
        runs_to_marker,
        "the channel message runs to the edge marker"
    );
}

#[test]
fn actors_are_badges_where_they_are_and_al_thani_moves_to_tehran() {
    let mut harness = harness();
    harness.run();
    let al_thani = harness
        .state()
        .document
        .loaded
        .scenario
        .actor_by_id("al-thani")
        .expect("actor");
    at_time(&mut harness, "2026-01-30T12:00:00Z");
    let in_doha = target(&harness, Pick::Actor(al_thani));
    at_time(&mut harness, "2026-01-31T12:00:00Z");
    let in_tehran = target(&harness, Pick::Actor(al_thani));
    let scenario = &harness.state().document.loaded.scenario;
    let tehran = target(
        &harness,
        Pick::Venue(scenario.venue_by_id("tehran").expect("v")),
    );
    assert!(in_doha.distance(in_tehran) > 100.0, "he travelled");
    assert!(
        in_tehran.distance(tehran) < 40.0,
        "his badge {in_tehran:?} is at Tehran {tehran:?}"
    );
    assert!(texts(&layer(&harness, "actors")).contains(&"MT".to_owned()));
}

#[test]
fn hovering_an_actor_names_them_and_clicking_selects_them() {
    let mut harness = harness();
    harness.run();
    at_time(&mut harness, "2026-01-31T12:00:00Z");
    let fidan = harness
        .state()
        .document
        .loaded
        .scenario
        .actor_by_id("fidan")
        .expect("actor");
    let badge = target(&harness, Pick::Actor(fidan));
    harness.hover_at(badge);
    harness.run();
    harness.get_by_label("Hakan Fidan");
    harness.get_by_label_contains("affiliation: TR");
    click_at(&mut harness, badge);
    harness.run();
    assert_eq!(harness.state().selection, Some(Pick::Actor(fidan)));
    // The details panel lists his contacts, as links.
    harness.get_by_label_contains("Contacts (");
    harness.get_by_label_contains("Fidan hosts Araghchi (meeting, held)");
}

#[test]
fn hovering_a_venue_tells_its_local_time_who_is_there_and_what_happens() {
    let mut harness = harness();
    harness.run();
    at_time(&mut harness, "2026-01-31T12:00:00Z");
    let tehran = harness
        .state()
        .document
        .loaded
        .scenario
        .venue_by_id("tehran")
        .expect("venue");
    harness.hover_at(target(&harness, Pick::Venue(tehran)));
    harness.run();
    harness.get_by_label_contains("Local time: Sat 31 Jan 15:30 (Asia/Tehran, UTC+03:30)");
    harness.get_by_label_contains("Mohammed bin Abdulrahman Al Thani");
    assert!(
        harness
            .query_all_by_label_contains(
                "Qatar's Prime Minister Al Thani in Tehran, meets Larijani (visit, held)"
            )
            .count()
            >= 1,
        "what happens there"
    );
}

#[test]
fn a_filter_hides_contacts_in_the_list_on_the_map_and_in_the_steps() {
    let mut harness = harness();
    harness.run();
    at_time(&mut harness, "2026-01-31T12:00:00Z");
    let visit =
        demarche::scene::contacts::kind_color(ContactKind::Visit, &demarche::scene::Theme::light());
    let has_visit = |layer: &SceneLayer| {
        layer
            .items
            .iter()
            .any(|i| matches!(i, Item::Polyline { color: c, .. } if c.0[..3] == visit.0[..3]))
    };
    assert!(has_visit(&layer(&harness, "contacts")));
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Search")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Search")
        .type_text("Sisi");
    harness.run();
    harness.run();
    assert_eq!(harness.state().visible().len(), 1);
    harness.get_by_label_contains("Showing 1 of 13 contacts");
    assert!(
        harness
            .query_by_label_contains("Al Thani in Tehran, meets")
            .is_none(),
        "the visit is gone from the list"
    );
    assert!(!has_visit(&layer(&harness, "contacts")), "and from the map");
    // Stepping goes to the one contact shown.
    harness
        .state_mut()
        .clock
        .apply(TimeCommand::SetTime(ts("2026-01-29T00:00:00Z")));
    harness.state_mut().step_contact(1);
    let id = harness.state().selected_contact().expect("selected");
    assert_eq!(
        harness.state().document.loaded.scenario.contact(id).id,
        "sisi-calls-pezeshkian"
    );
    harness.get_by_label("Clear").click();
    harness.run();
    assert_eq!(harness.state().visible().len(), 13);
}

#[test]
fn clicking_a_marker_on_the_time_axis_jumps_to_the_contact_and_selects_it() {
    let mut harness = harness();
    harness.run();
    let axis = harness.get_by_label("Time").rect();
    // Find the pixel of the planned Ankara meeting's window on the axis: it runs to the right end.
    let app = harness.state();
    let planned = app
        .document
        .loaded
        .scenario
        .contact_by_id("ankara-meeting-planned")
        .expect("contact");
    let (start, _) = app.document.loaded.scenario.contact(planned).time.extent();
    let view = app.axis;
    let x0 = axis.left()
        + ((start.as_second() as f64 - view.start_secs) / view.span_secs) as f32 * axis.width();
    // Try each lane at a point well inside the window, right of every other contact.
    let x = (x0 + axis.right()) / 2.0;
    let mut selected = None;
    for lane in 0..7 {
        let y = axis.top() + 30.0 + 9.0 * lane as f32 + 4.5;
        click_at(&mut harness, egui::pos2(x, y));
        harness.run();
        if let Some(id) = harness.state().selected_contact() {
            selected = Some(id);
            break;
        }
    }
    assert_eq!(selected, Some(planned));
    // A click on a bar selects its contact and moves the clock to the time clicked within it (so that
    // clicking where contacts crowd still scrubs), within the clock's range.
    let clicked = view.start_secs + f64::from((x - axis.left()) / axis.width()) * view.span_secs;
    let (_, clock_end) = harness.state().clock.range();
    let expected = (clicked.round() as i64).min(clock_end.as_second());
    let now = harness.state().clock.time();
    assert!(
        (now.as_second() - expected).abs() <= 60,
        "the clock went to the click: {now} against {expected}"
    );
    assert!(now >= start, "inside the contact's window");
}

#[test]
fn selecting_a_contact_known_to_the_day_shows_it_at_midday() {
    let mut harness = harness();
    harness.run();
    let scenario = &harness.state().document.loaded.scenario;
    let day_contact = scenario
        .contacts
        .iter()
        .position(|c| c.time.precision() == demarche::model::Precision::Day)
        .expect("the default scenario has a contact known only to the day");
    let id = demarche::model::ContactId(day_contact as u32);
    let time = harness
        .state()
        .document
        .loaded
        .scenario
        .contact(id)
        .time
        .clone();
    harness
        .state_mut()
        .apply(vec![demarche::ui::AppCommand::Select(id)]);
    let (start, end) = time.extent();
    let now = harness.state().clock.time();
    assert!(
        start < now && now < end,
        "going on: {start} < {now} < {end}"
    );
    assert_eq!(now, time.shown_at());
}

#[test]
fn a_click_on_the_axis_away_from_markers_scrubs_and_the_wheel_zooms() {
    let mut harness = harness();
    harness.run();
    let axis = harness.get_by_label("Time").rect();
    let before = harness.state().clock.time();
    // In the tick band at the top, where there are no markers.
    click_at(
        &mut harness,
        egui::pos2(axis.left() + axis.width() * 0.3, axis.top() + 5.0),
    );
    harness.run();
    let after = harness.state().clock.time();
    assert!(
        after > before,
        "the clock moved to the click: {before} -> {after}"
    );
    let span = harness.state().axis.span_secs;
    harness.hover_at(egui::pos2(axis.center().x, axis.top() + 5.0));
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 200.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::NONE,
    });
    for _ in 0..10 {
        harness.step();
    }
    assert!(
        harness.state().axis.span_secs < span * 0.8,
        "the wheel zoomed in: {span} -> {}",
        harness.state().axis.span_secs
    );
}

#[test]
fn a_typed_speed_is_taken_and_any_iana_zone_can_be_found() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label("Speed").click();
    harness.run();
    let text_input = egui::accesskit::Role::TextInput;
    harness
        .get_by_role_and_label(text_input, "Type a speed")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(text_input, "Type a speed")
        .type_text("90m");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let speed = harness.state().clock.speed().scenario_secs_per_sec;
    assert!((speed - 5400.0).abs() < 1e-6, "speed {speed}");

    harness.get_by_label("Time zone").click();
    harness.run();
    harness
        .get_by_role_and_label(text_input, "Find a zone")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(text_input, "Find a zone")
        .type_text("tokyo");
    harness.run();
    // A click of the mouse on the zone found.
    let tokyo = harness.get_by_label("Asia/Tokyo").rect().center();
    click_at(&mut harness, tokyo);
    assert_eq!(harness.state().display_zone_name(), "Asia/Tokyo");
    harness.get_by_label_contains("Asia/Tokyo");
}

#[test]
fn the_open_scenario_reloads_when_its_file_changes_and_keeps_the_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("story.toml");
    let original = demarche::io::scenario::DEFAULT_SCENARIO_TOML;
    std::fs::write(&path, original).expect("write");
    let mut harness = harness();
    harness.state_mut().open_scenario(path.clone());
    // Read on another thread: wait for it.
    harness.state_mut().finish_loading();
    harness.run();
    at_time(&mut harness, "2026-01-31T12:00:00Z");
    let wait_for = |harness: &mut Harness<'static, DemarcheApp>,
                    what: &dyn Fn(&DemarcheApp) -> bool| {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(10) {
            harness.step();
            if what(harness.state()) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(30));
        }
        false
    };
    let edited = original.replacen(
        "The Ankara channel, 30 Jan - 1 Feb 2026",
        "The Ankara channel (edited)",
        1,
    );
    assert_ne!(edited, original);
    std::fs::write(&path, &edited).expect("write");
    assert!(
        wait_for(&mut harness, &|app| app.document.loaded.scenario.meta.title
            == "The Ankara channel (edited)"),
        "the edit was picked up"
    );
    assert_eq!(
        harness.state().clock.time(),
        ts("2026-01-31T12:00:00Z"),
        "the time stayed"
    );

    std::fs::write(
        &path,
        edited.replacen("kind = \"meeting\"", "kind = \"meeeting\"", 1),
    )
    .expect("write");
    assert!(
        wait_for(&mut harness, &|app| app.problems().is_some()),
        "the broken file's problems are shown"
    );
    assert_eq!(
        harness.state().document.loaded.scenario.meta.title,
        "The Ankara channel (edited)",
        "and the scenario on screen stays"
    );
}

/// The file is a named pipe: reading it waits until the test writes the scenario into it, so the window
/// is seen while the file is being read, for as long as the test wants.
#[cfg(unix)]
#[test]
fn a_scenario_is_read_in_the_background_while_the_window_keeps_going() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("story.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
    let mut harness = harness();
    harness.run();
    harness.state_mut().open_scenario(path.clone());
    assert_eq!(harness.state().loading(), Some(path.as_path()));
    for _ in 0..3 {
        harness.step();
    }
    // Still reading: the top bar says so, the scenario on screen stays and the window answers.
    harness.get_by_label("Reading story.toml…");
    assert_eq!(
        harness.state().document.loaded.scenario.meta.title,
        "The Ankara channel, 30 Jan - 1 Feb 2026"
    );
    harness.key_press(egui::Key::End);
    harness.step();
    assert_eq!(
        harness.state().clock.time(),
        harness.state().clock.range().1,
        "End still moves the clock"
    );

    let edited = demarche::io::scenario::DEFAULT_SCENARIO_TOML.replacen(
        "The Ankara channel, 30 Jan - 1 Feb 2026",
        "The Ankara channel, read from a pipe",
        1,
    );
    let stamp = demarche::export::Stamp::new("ankara-channel-2026", edited.as_bytes());
    let writer = std::thread::spawn({
        let path = path.clone();
        move || std::fs::write(path, edited).expect("write into the pipe")
    });
    let start = std::time::Instant::now();
    while harness.state().loading().is_some() && start.elapsed().as_secs() < 20 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    writer.join().expect("written");
    harness.run();
    assert_eq!(
        harness.state().document.loaded.scenario.meta.title,
        "The Ankara channel, read from a pipe"
    );
    assert!(harness.query_by_label("Reading story.toml…").is_none());
    assert_eq!(harness.state().recent.first(), Some(&path));
    // Exports are stamped with the hash of what was read.
    assert_eq!(harness.state().document.stamp, stamp);
}

/// The open file changes on disk while another is being opened: the opening is not cut short, and when it
/// fails the changed file is read again.
#[cfg(unix)]
#[test]
fn a_change_on_disk_waits_for_the_file_being_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let open = dir.path().join("open.toml");
    let original = demarche::io::scenario::DEFAULT_SCENARIO_TOML;
    std::fs::write(&open, original).expect("write");
    let pipe = dir.path().join("next.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
    let mut harness = harness();
    harness.state_mut().open_scenario(open.clone());
    harness.state_mut().finish_loading();
    harness.run();

    harness.state_mut().open_scenario(pipe.clone());
    harness.step();
    std::fs::write(
        &open,
        original.replacen(
            "The Ankara channel, 30 Jan - 1 Feb 2026",
            "The Ankara channel (edited)",
            1,
        ),
    )
    .expect("write");
    // Long enough for the watch to notice the change (it waits 250 ms for writes to settle).
    let until = std::time::Instant::now() + std::time::Duration::from_millis(1500);
    while std::time::Instant::now() < until {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        harness.state().loading(),
        Some(pipe.as_path()),
        "the file being opened is still being read"
    );

    // It turns out broken: the changed file on screen is read again, and the broken one's problems stay.
    let writer = std::thread::spawn({
        let pipe = pipe.clone();
        move || std::fs::write(pipe, "format = \"demarche-scenario\"\n").expect("write")
    });
    assert!(step_until(&mut harness, &|app| app.loading().is_none()
        && app.document.loaded.scenario.meta.title
            == "The Ankara channel (edited)"));
    writer.join().expect("written");
    let problems = harness
        .state()
        .problems()
        .map(|p| p.report.clone())
        .expect("problems shown");
    assert!(problems.file.ends_with("next.toml"), "{}", problems.file);
    assert_eq!(
        harness.state().document.path.as_deref(),
        Some(open.as_path())
    );
}

#[test]
fn what_the_app_remembers_comes_back_in_the_next_session() {
    let mut first = harness();
    first.run();
    first.get_by_label("Dark theme").click();
    first.run();
    first.key_press(egui::Key::Plus);
    first.run();
    {
        let app = first.state_mut();
        app.apply(vec![demarche::ui::AppCommand::SetDisplayZone(
            "Asia/Tehran".to_owned(),
        )]);
        app.clock
            .apply(TimeCommand::SetSpeed(demarche::playback::Speed::per_sec(
                5400.0,
            )));
        app.recent.push("/tmp/story.toml".into());
    }
    first.run();
    let saved = first.state().persisted();
    assert_eq!(saved.theme, demarche::scene::style::ThemeKind::Dark);
    assert!(saved.view.is_some(), "the zoomed view is remembered");
    // Through the storage's text form, as eframe keeps it.
    let text = serde_json::to_string(&saved).expect("serialise");
    let back: demarche::app::Persisted = serde_json::from_str(&text).expect("read back");

    let mut second = harness();
    second.state_mut().restore(back);
    second.run();
    let app = second.state();
    assert_eq!(app.display_zone_name(), "Asia/Tehran");
    assert_eq!(
        app.map_settings().theme,
        demarche::scene::style::ThemeKind::Dark
    );
    assert_eq!(app.clock.speed().scenario_secs_per_sec, 5400.0);
    assert_eq!(
        app.recent,
        vec![std::path::PathBuf::from("/tmp/story.toml")]
    );
    let (center, scale) = saved.view.expect("view");
    let camera = app.map.camera.expect("camera");
    assert_eq!((camera.center, camera.scale), (center, scale));
    assert!(
        second.ctx.global_style().visuals.dark_mode,
        "egui is dark too"
    );
}

#[test]
fn the_trail_sets_how_long_a_contact_fades_after_it_ends() {
    let mut harness = harness();
    harness.run();
    let meeting = demarche::scene::contacts::kind_color(
        ContactKind::Meeting,
        &demarche::scene::Theme::light(),
    );
    let has_meeting = |layer: &SceneLayer| {
        layer.items.iter().any(|i| match i {
            Item::Circle { fill, stroke, .. } => {
                fill.is_some_and(|c| c.0[..3] == meeting.0[..3])
                    || stroke.is_some_and(|(_, c)| c.0[..3] == meeting.0[..3])
            }
            _ => false,
        })
    };
    // Fidan's meeting took Friday in Istanbul, which ends at 21:00 UTC; two hours later it fades.
    at_time(&mut harness, "2026-01-30T23:00:00Z");
    assert!(
        has_meeting(&layer(&harness, "contacts")),
        "fading with the default trail"
    );
    harness.get_by_label("Trail").click();
    harness.run();
    harness.get_by_label("off").click();
    harness.run();
    assert_eq!(
        harness.state().map_settings().trail(),
        jiff::SignedDuration::ZERO
    );
    assert!(
        !has_meeting(&layer(&harness, "contacts")),
        "gone with no trail"
    );
    assert_eq!(harness.state().persisted().trail_secs, Some(0));
}

#[test]
fn the_app_asks_for_no_frames_when_idle_and_for_every_frame_while_playing() {
    let mut harness = harness();
    // Settles: no frame is asked for once nothing moves (try_run fails when frames keep being asked for).
    assert!(harness.try_run().is_ok(), "idle: no repaint asked for");
    harness.key_press(egui::Key::Space);
    assert!(
        harness.try_run().is_err(),
        "playing: every frame asks for the next"
    );
    harness.key_press(egui::Key::Space);
    harness.step();
    assert!(harness.try_run().is_ok(), "paused again: idle");
}

/// The radii of the rings (circles with a stroke and no fill) in the contacts layer.
fn contact_rings(harness: &Harness<'static, DemarcheApp>) -> Vec<f32> {
    let mut radii: Vec<f32> = layer(harness, "contacts")
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Circle {
                radius,
                fill: None,
                stroke: Some(_),
                ..
            } => Some(*radius),
            _ => None,
        })
        .collect();
    radii.sort_by(f32::total_cmp);
    radii
}

#[test]
fn meetings_pulse_while_playing_and_rest_when_paused() {
    let mut harness = harness();
    // Friday morning: Fidan hosts Araghchi in Istanbul all day.
    at_time(&mut harness, "2026-01-30T08:00:00Z");
    let at_rest = contact_rings(&harness);
    assert!(harness.state().map.last_pulse().is_none());
    harness.key_press(egui::Key::Space);
    harness.step();
    let first = contact_rings(&harness);
    harness.step();
    let second = contact_rings(&harness);
    assert!(
        first.len() > at_rest.len(),
        "playing, the meeting has a pulse ring: {first:?} against {at_rest:?}"
    );
    assert_ne!(first, second, "the pulse moves from frame to frame");
    harness.key_press(egui::Key::Space);
    harness.step();
    assert!(
        harness.state().map.last_pulse().is_none(),
        "paused, pulses rest"
    );
    assert_eq!(contact_rings(&harness).len(), at_rest.len());
}

/// An actor of a large story takes part in hundreds of contacts: the details panel lists the first
/// hundred in time order, says how many more there are (above them), and filters the list by the actor
/// on request.
#[test]
fn an_actors_many_contacts_are_listed_in_part_and_all_through_the_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("busy.json");
    let text = demarche::synth::scenario_json(
        demarche::synth::SynthSize {
            contacts: 2_000,
            actors: 12,
            venues: 30,
        },
        5,
    );
    std::fs::write(&path, text).expect("write");
    let mut harness = harness();
    harness.state_mut().open_scenario(path);
    harness.state_mut().finish_loading();
    harness.run();
    let scenario = &harness.state().document.loaded.scenario;
    let (actor, theirs) = (0..scenario.actors.len())
        .map(|a| {
            let a = demarche::model::ActorId(a as u32);
            let n = scenario
                .contacts
                .iter()
                .filter(|c| c.participants.iter().any(|p| p.actor == a))
                .count();
            (a, n)
        })
        .max_by_key(|&(_, n)| n)
        .expect("actors");
    assert!(
        theirs > demarche::ui::entities::CONTACTS_LISTED,
        "{theirs} contacts"
    );
    let actor_id = scenario.actor(actor).id.clone();
    harness
        .state_mut()
        .apply(vec![AppCommand::SelectOnMap(Pick::Actor(actor))]);
    harness.run();
    harness.get_by_label_contains(&format!(
        "{} more in the list",
        demarche::diagnostics::thousands(theirs - demarche::ui::entities::CONTACTS_LISTED)
    ));
    harness.get_by_label("Show them all in the list").click();
    harness.run();
    assert_eq!(harness.state().visible().len(), theirs);
    assert_eq!(
        harness.state().filter().actors.iter().collect::<Vec<_>>(),
        [&actor_id]
    );
}

/// In a large story a search waits until typing pauses (each search reads every contact): the box shows
/// what is typed at once, the list keeps what it showed and says it will search, then shows the result.
/// (The threshold is lowered here so that the default story counts as large.)
#[test]
fn a_search_of_a_large_story_waits_for_typing_to_pause() {
    let mut harness = harness();
    harness.state_mut().search_pause_from = 1;
    harness.run();
    let all = harness.state().visible().len();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Search")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Search")
        .type_text("Sisi");
    harness.step();
    harness.step();
    assert_eq!(harness.state().visible().len(), all, "not searched yet");
    assert_eq!(harness.state().filter_typed().text, "Sisi");
    assert_eq!(harness.state().filter().text, "");
    harness.get_by_label_contains("Searching when you pause typing");
    std::thread::sleep(demarche::app::SEARCH_PAUSE + std::time::Duration::from_millis(50));
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().visible().len(),
        1,
        "searched once typing paused"
    );
    assert_eq!(harness.state().filter().text, "Sisi");
    harness.get_by_label_contains("Showing 1 of 13 contacts");
    // Any other change of the filter applies at once, the search typed with it.
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Search")
        .type_text("xyz");
    harness.step();
    harness.get_by_label("Clear").click();
    harness.step();
    harness.step();
    assert_eq!(harness.state().visible().len(), all);
    assert_eq!(harness.state().filter_typed().text, "");
}

#[test]
fn a_long_list_lays_out_only_the_rows_in_view_and_follows_the_time_while_playing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.toml");
    let text = demarche::synth::scenario_toml(
        demarche::synth::SynthSize {
            contacts: 2_000,
            actors: 50,
            venues: 60,
        },
        3,
    );
    std::fs::write(&path, text).expect("write");
    let mut harness = harness();
    harness.state_mut().open_scenario(path);
    // Read on another thread: wait for it.
    harness.state_mut().finish_loading();
    harness.run();
    assert_eq!(harness.state().visible().len(), 2_000);
    let drawn = harness.state().last_layout.contact_rows.len();
    assert!(drawn > 5 && drawn < 100, "{drawn} rows laid out");
    at_time(&mut harness, "2026-09-15T12:00:00Z");
    harness.key_press(egui::Key::Space);
    for _ in 0..3 {
        harness.step();
    }
    let layout = harness.state().last_layout.clone();
    let shown_current = layout
        .contact_rows
        .iter()
        .filter(|r| layout.contacts_panel.contains_rect(r.rect))
        .any(|r| {
            r.active
                && harness
                    .state()
                    .document
                    .loaded
                    .scenario
                    .contact(r.id)
                    .time
                    .start
                    .is_some()
        });
    assert!(shown_current, "the list scrolled to what is going on");
}

fn wait_for_export(harness: &mut Harness<'static, DemarcheApp>) {
    let start = std::time::Instant::now();
    while harness.state().export.is_running()
        && start.elapsed() < std::time::Duration::from_secs(60)
    {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.step();
}

#[test]
fn ctrl_e_opens_the_export_dialog_and_the_snapshot_is_the_view_at_the_current_time() {
    let mut harness = harness();
    harness.run();
    at_time(&mut harness, "2026-01-31T12:00:00Z");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    assert!(harness.state().export.open, "the dialog is open");
    harness.get_by_label("Title and date");
    // Each decoration can be left out; the title and the legend also get a place.
    harness.get_by_label("Stamp (scenario and hash)").click();
    harness.run();
    assert!(
        !harness.state().export.layout.stamp,
        "the stamp is left out"
    );
    assert_eq!(
        harness.state().export.layout.legend,
        demarche::export::Place::Auto,
        "the legend goes where it covers least by default"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("view.png");
    let ctx = harness.ctx.clone();
    harness.state_mut().export.scale = 1.0;
    harness.state_mut().start_export(path.clone(), &ctx);
    wait_for_export(&mut harness);
    let last = harness.state().export.last.clone();
    assert_eq!(last, Some(Ok(path.clone())), "{last:?}");
    let bytes = std::fs::read(&path).expect("written");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // The PNG has the map's size in the window (scale 1).
    let map = harness.state().last_layout.map;
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert_eq!(
        (width, height),
        (map.width().round() as u32, map.height().round() as u32)
    );
    // Only the file: no temporary left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
}

#[test]
fn an_animation_of_the_time_axis_span_exports_in_the_background() {
    let mut harness = harness();
    harness.run();
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let export = &mut harness.state_mut().export;
        export.kind = demarche::ui::export_dialog::ExportKind::Folder;
        export.size = Some([320, 200]);
        export.scale = 1.0;
        export.fps = 3;
        export.duration_secs = 2.0;
    }
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .start_export(dir.path().to_path_buf(), &ctx);
    assert!(harness.state().export.is_running() || harness.state().export.last.is_some());
    wait_for_export(&mut harness);
    assert_eq!(
        harness.state().export.last,
        Some(Ok(dir.path().to_path_buf()))
    );
    let frames = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".png"))
        })
        .count();
    assert_eq!(frames, 6, "2 s at 3 frames a second");
}
