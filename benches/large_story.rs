//! A frame of the map with a very large story (issue 14, "fluid at scale"): 1,000,000 generated contacts
//! over 300 actors and 200 venues, a busy moment (about 11,000 contacts going on or fading), the
//! whole story in view, so the map sums them into flows and totals (`scene::contacts::aggregate`).
//! Measured: the scene for the camera and the time and egui's tessellation of it at 1920x1080, with the
//! embedded basemap on the GPU path (as the window draws it), and the scene alone.
//!
//! Targets (issue 14): a frame under 16 ms with the whole story in view, under 8 ms at the default zoom.
//! The map's frame is the same whatever the time axis shows (the map draws what goes on at the clock's
//! time); the whole window's frames are measured with the axis at the app's default view (the story's
//! first eight weeks, the widest view), at the widest view around the clock and at a one-week window.
//! `DEMARCHE_LARGE_CONTACTS` sets another size (100000 is quicker to set up).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::app::{DemarcheApp, Document};
use demarche::basemap::embedded::Basemap;
use demarche::basemap::prepare::PreparedLayer;
use demarche::geo_math::camera::{Camera, ScreenRect};
use demarche::playback::TimeCommand;
use demarche::render::egui_painter::MapPainter;
use demarche::scene::Theme;
use demarche::scene::map::{MapInputs, build};
use demarche::ui::AppCommand;

mod support;

use support::{SIZE, frame};

fn benches(c: &mut Criterion) {
    let (contacts, loaded) = support::large_story();
    let scenario = &loaded.scenario;
    let order = scenario.chronological();
    let times = demarche::model::contact_index::ContactIndex::new(scenario);
    let settings = demarche::scene::settings::MapSettings::default();
    let projection = settings.projection();
    let camera = Camera::fit(
        demarche::scene::view::fit_bounds(&projection, scenario),
        ScreenRect::from_size(SIZE[0], SIZE[1]),
        demarche::scene::view::FIT_MARGIN_PT,
    );
    let mut basemap = Basemap::embedded().expect("embedded basemap");
    let layers: Vec<Arc<PreparedLayer>> = basemap.prepared(projection).to_vec();
    let theme = Theme::light();
    let inputs = MapInputs {
        projection: &projection,
        camera: &camera,
        theme: &theme,
        scenario: Some(scenario),
        order: &order,
        index: Some(&times),
        basemap: &layers,
        time: "2026-06-15T12:00:00Z".parse().ok(),
        trail: demarche::scene::contacts::TRAIL,
        pulse: Some(0.3),
        selection: None,
        legend: true,
        new_since: None,
    };
    let legend = build(&inputs)
        .layer("legend")
        .map(|l| l.items.len())
        .unwrap_or(0);
    eprintln!("{contacts} contacts: legend of {legend} items");
    let ctx = egui::Context::default();
    let mut painter = MapPainter::default();
    black_box(frame(&ctx, &mut painter, &inputs));
    let mut group = c.benchmark_group("large_story");
    group.sample_size(20);
    group.bench_function(format!("scene_{contacts}_contacts_whole_story"), |b| {
        b.iter(|| black_box(build(black_box(&inputs)).layers.len()));
    });
    group.bench_function(format!("frame_{contacts}_contacts_whole_story"), |b| {
        b.iter(|| black_box(frame(&ctx, &mut painter, black_box(&inputs))));
    });
    // What a keystroke in the search box or a click on a kind costs: the list filtered anew.
    let search = demarche::model::Filter {
        text: "Contact 99".to_owned(),
        ..Default::default()
    };
    group.bench_function(format!("filter_{contacts}_contacts_search"), |b| {
        b.iter(|| black_box(search.apply(scenario, &order).len()));
    });
    let mut kinds = demarche::model::Filter::default();
    kinds.kinds.insert(demarche::model::ContactKind::Meeting);
    group.bench_function(format!("filter_{contacts}_contacts_kind"), |b| {
        b.iter(|| black_box(kinds.apply(scenario, &order).len()));
    });
    group.finish();
    drop(painter);

    // The whole window (map, list, time axis, details) with the story open and the clock at the busy
    // moment, as `app_paused_frame_100k_contacts` measures at 100,000 (`scenario_load` bench).
    let document = Document::new(loaded, None, b"bench");
    let mut app = DemarcheApp::with_document(document);
    app.apply(vec![AppCommand::Time(TimeCommand::SetTime(
        "2026-06-15T12:00:00Z".parse().expect("a time"),
    ))]);
    let ctx = egui::Context::default();
    demarche::render::egui_painter::install_fonts(&ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(SIZE[0], SIZE[1]),
        )),
        ..Default::default()
    };
    let app_frame = |app: &mut DemarcheApp| {
        let mut output = ctx.run_ui(input(), |ui| app.ui_all(ui));
        output.textures_delta.clear();
        ctx.tessellate(output.shapes, output.pixels_per_point).len()
    };
    // The first two frames (the window's panels settle between them), as at launch.
    let started = std::time::Instant::now();
    app_frame(&mut app);
    let first = started.elapsed();
    app_frame(&mut app);
    eprintln!(
        "{contacts} contacts: the first frame {first:.0?}, the first two {:.0?}",
        started.elapsed()
    );
    let mut group = c.benchmark_group("large_story_app");
    group.sample_size(20);
    group.bench_function(format!("app_frame_{contacts}_contacts_paused"), |b| {
        b.iter(|| black_box(app_frame(&mut app)));
    });
    let clock: jiff::Timestamp = "2026-06-15T12:00:00Z".parse().expect("a time");
    // While the clock moves a few minutes a frame, as when playing: the time axis at the app's default view
    // (the story's first eight weeks), then around the clock at the widest view (eight weeks, about
    // 150,000 contacts in it) and at a one-week window (about 20,000).
    for (name, days) in [
        ("default", None),
        ("eight_weeks", Some(28)),
        ("one_week", Some(3)),
    ] {
        if let Some(days) = days {
            let half =
                jiff::SignedDuration::from_hours(24 * days) + jiff::SignedDuration::from_hours(12);
            app.apply(vec![AppCommand::SetAxisView(
                demarche::ui::time_axis::AxisView::fit(clock - half, clock + half),
            )]);
            app_frame(&mut app);
        }
        let mut minutes = 0;
        group.bench_function(
            format!("app_frame_{contacts}_contacts_time_moving_axis_{name}"),
            |b| {
                b.iter(|| {
                    // A frame of playing: the clock a few minutes later each time.
                    minutes += 7;
                    app.apply(vec![AppCommand::Time(TimeCommand::SetTime(
                        clock + jiff::SignedDuration::from_mins(minutes % 1_440),
                    ))]);
                    black_box(app_frame(&mut app))
                });
            },
        );
    }
    // The time axis panned a little each frame (a drag), one week in view.
    let week = demarche::ui::time_axis::AxisView::fit(
        clock - jiff::SignedDuration::from_hours(84),
        clock + jiff::SignedDuration::from_hours(84),
    );
    let mut step = 0.0;
    group.bench_function(format!("app_frame_{contacts}_contacts_axis_panned"), |b| {
        b.iter(|| {
            step += 1.0;
            let view = demarche::ui::time_axis::AxisView {
                start_secs: week.start_secs + (step % 100.0) * 600.0,
                ..week
            };
            app.apply(vec![AppCommand::SetAxisView(view)]);
            black_box(app_frame(&mut app))
        });
    });
    // The details panel with a venue, then an actor, selected (a venue's visitors and what goes on
    // there now; an actor's contacts, thousands in this story).
    app.apply(vec![AppCommand::Time(TimeCommand::SetTime(clock))]);
    for (name, pick) in [
        (
            "venue",
            demarche::scene::Pick::Venue(demarche::model::VenueId(0)),
        ),
        (
            "actor",
            demarche::scene::Pick::Actor(demarche::model::ActorId(0)),
        ),
    ] {
        app.apply(vec![AppCommand::SelectOnMap(pick)]);
        app_frame(&mut app);
        group.bench_function(
            format!("app_frame_{contacts}_contacts_{name}_selected"),
            |b| {
                b.iter(|| black_box(app_frame(&mut app)));
            },
        );
    }
    group.finish();
}

criterion_group!(large_story_benches, benches);
criterion_main!(large_story_benches);
