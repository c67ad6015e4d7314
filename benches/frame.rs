//! One frame's CPU work in the window (issues 4 and 13): building the map's scene for the camera and the
//! time, and egui's tessellation of it, at 1920x1080 (the GPU's work drawing the basemap is not counted).
//! - the default scenario on the embedded basemap: goal median <= 0.35 ms;
//! - the Natural Earth 1:10m world with 10,000 generated contacts over 300 venues, with the story's contact
//!   index as the window has it: goal median <= 2.5 ms
//!   with the clock playing, <= 8 ms while the camera moves.
//!
//! The 10m world comes from world-atlas's `countries-10m.json`, fetched (not committed) by
//! `data/fetch-world-atlas.sh` into `target/world-atlas/`; without it that benchmark is skipped with a note.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::basemap::embedded::Basemap;
use demarche::basemap::prepare::PreparedLayer;
use demarche::geo_math::camera::{Camera, ScreenRect};
use demarche::geo_math::projection::ProjectionKind;
use demarche::io::scenario::{default_scenario, parse};
use demarche::io::topojson::parse_topojson_objects;
use demarche::model::Scenario;
use demarche::render::basemap_mesh::WorldMesh;
use demarche::render::egui_painter::MapPainter;
use demarche::scene::Theme;
use demarche::scene::map::{MapInputs, build};
use demarche::synth::{SynthSize, scenario_toml};

mod support;

use support::{SIZE, frame};

/// The same view panned by a point or back, so that every frame is one where the camera moved.
fn nudged(camera: &Camera, i: u64) -> Camera {
    camera.panned([if i.is_multiple_of(2) { 1.0 } else { -1.0 }, 0.0])
}

fn fitted_camera(scenario: &Scenario) -> Camera {
    let projection = demarche::scene::settings::MapSettings::default().projection();
    Camera::fit(
        demarche::scene::view::fit_bounds(&projection, scenario),
        ScreenRect::from_size(SIZE[0], SIZE[1]),
        demarche::scene::view::FIT_MARGIN_PT,
    )
}

fn world_10m() -> Option<demarche::model::map::Layer> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/world-atlas/node_modules/world-atlas/countries-10m.json");
    let Ok(topojson) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipping the 10m world frame: run data/fetch-world-atlas.sh to fetch {}",
            path.display()
        );
        return None;
    };
    parse_topojson_objects("countries-10m.json", &topojson, &["countries"])
        .ok()
        .map(|l| l.layer)
}

fn benches(c: &mut Criterion) {
    let projection = ProjectionKind::RegionalConic.projection();
    let theme = Theme::light();
    let mut group = c.benchmark_group("frame");
    group.sample_size(30);

    let scenario = default_scenario().scenario;
    let order = scenario.chronological();
    let mut basemap = Basemap::embedded().expect("embedded basemap");
    let layers: Vec<Arc<PreparedLayer>> = basemap.prepared(projection).to_vec();
    let camera = fitted_camera(&scenario);
    let time = "2026-01-31T12:00:00Z".parse().ok();
    let ctx = egui::Context::default();
    let inputs = MapInputs {
        projection: &projection,
        camera: &camera,
        theme: &theme,
        scenario: Some(&scenario),
        order: &order,
        index: None,
        basemap: &layers,
        time,
        trail: demarche::scene::contacts::TRAIL,
        // Playing: the pulses are drawn.
        pulse: Some(0.3),
        selection: None,
        legend: true,
        new_since: None,
    };
    let mut painter = MapPainter::default();
    black_box(frame(&ctx, &mut painter, &inputs));
    group.bench_function("default_scenario_1920x1080", |b| {
        b.iter(|| black_box(frame(&ctx, &mut painter, black_box(&inputs))));
    });
    let mut i = 0;
    group.bench_function("default_scenario_1920x1080_camera_moving", |b| {
        b.iter(|| {
            i += 1;
            let camera = nudged(&camera, i);
            let inputs = MapInputs {
                camera: &camera,
                ..inputs
            };
            black_box(frame(&ctx, &mut painter, black_box(&inputs)))
        });
    });

    if let Some(world) = world_10m() {
        let text = scenario_toml(
            SynthSize {
                contacts: 10_000,
                actors: 500,
                venues: 300,
            },
            7,
        );
        let big = parse("synthetic.toml", &text).expect("valid").scenario;
        let big_order = big.chronological();
        // As the window draws it: with the story's contact index (made once per story).
        let big_index = demarche::model::contact_index::ContactIndex::new(&big);
        let prepared = vec![Arc::new(PreparedLayer::new(&world, projection, None))];
        let camera = fitted_camera(&big);
        // The middle of the generated year, when many contacts go on at once.
        let time = "2026-06-15T12:00:00Z".parse().ok();
        let inputs = MapInputs {
            projection: &projection,
            camera: &camera,
            theme: &theme,
            scenario: Some(&big),
            order: &big_order,
            index: Some(&big_index),
            basemap: &prepared,
            time,
            trail: demarche::scene::contacts::TRAIL,
            pulse: Some(0.3),
            selection: None,
            legend: true,
            new_since: None,
        };
        let shown = build(&inputs)
            .layer("contacts")
            .map_or(0, |l| l.items.len());
        eprintln!("10m world + 10,000 contacts: {shown} contact items drawn at {time:?}");
        let mut painter = MapPainter::default();
        black_box(frame(&ctx, &mut painter, &inputs));
        eprintln!(
            "10m world basemap mesh kept on the GPU (vertices, indices): {:?}",
            painter.basemap_size()
        );
        // What a change of zoom level, theme or pixel density costs once: the level's mesh for the GPU.
        let level = PreparedLayer::level_for_scale(camera.scale);
        let geometry = prepared[0].level(level);
        group.bench_function("world_10m_basemap_mesh_for_a_new_level", |b| {
            b.iter(|| {
                black_box(WorldMesh::build(
                    &prepared[0],
                    &geometry,
                    &theme,
                    1.0,
                    &egui::epaint::TessellationOptions::default(),
                ))
                .vertices
                .len()
            });
        });
        group.bench_function("world_10m_10k_contacts_1920x1080", |b| {
            b.iter(|| black_box(frame(&ctx, &mut painter, black_box(&inputs))));
        });
        let mut i = 0;
        group.bench_function("world_10m_10k_contacts_1920x1080_camera_moving", |b| {
            b.iter(|| {
                i += 1;
                let camera = nudged(&camera, i);
                let inputs = MapInputs {
                    camera: &camera,
                    ..inputs
                };
                black_box(frame(&ctx, &mut painter, black_box(&inputs)))
            });
        });
    }
    group.finish();
}

criterion_group!(frame_benches, benches);
criterion_main!(frame_benches);
