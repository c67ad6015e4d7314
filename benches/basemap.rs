//! The basemap's speed (issue 3):
//! - loading and preparing the Natural Earth 1:10m world (21.5 MB of GeoJSON) for drawing: target < 150 ms;
//! - one frame's geometry work at world zoom, 1920x1080, after the first frame: target < 2 ms;
//! - and, for launch time, the embedded levels: the 1:50m world read and prepared (what the window waits
//!   for before its first frame), and the 1:10m world read from its compact embedded form and prepared
//!   with its level for a regional view (what the window does in the background after its first frame).
//!
//! The 10m world is made in the setup from world-atlas's `countries-10m.json`, fetched (not committed) by
//! `data/fetch-world-atlas.sh` into `target/world-atlas/`; without it those benchmarks are skipped with a note.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::basemap::embedded::Basemap;
use demarche::basemap::prepare::PreparedLayer;
use demarche::geo_math::camera::{Camera, ScreenRect};
use demarche::geo_math::projection::Projection;
use demarche::io::geojson::parse_geojson;
use demarche::io::topojson::parse_topojson_objects;
use demarche::render::basemap_mesh::{WorldMesh, WorldMeshes};
use demarche::scene::{Theme, basemap, view};

/// The 10m world as GeoJSON text, converted from world-atlas's TopoJSON.
fn world_10m_geojson() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/world-atlas/node_modules/world-atlas/countries-10m.json");
    let Ok(topojson) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipping the 10m world benchmarks: run data/fetch-world-atlas.sh to fetch {}",
            path.display()
        );
        return None;
    };
    let layer = parse_topojson_objects("countries-10m.json", &topojson, &["countries"])
        .ok()?
        .layer;
    let collection = demarche::io::geojson::to_feature_collection(&layer);
    let text = serde_json::to_string(&collection).ok()?;
    eprintln!("10m world: {:.1} MB of GeoJSON", text.len() as f64 / 1e6);
    Some(text)
}

fn world_camera(prepared: &PreparedLayer) -> Camera {
    Camera::fit(prepared.bounds, ScreenRect::from_size(1920.0, 1080.0), 0.0)
}

fn benches(c: &mut Criterion) {
    let projection = Projection::WebMercator { central_lon: 0.0 };
    let theme = Theme::light();
    let mut group = c.benchmark_group("basemap");
    group.sample_size(10);

    group.bench_function("embedded_50m_load_and_prepare", |b| {
        b.iter(|| {
            let mut basemap = Basemap::embedded().expect("embedded");
            black_box(
                basemap
                    .prepared_for_view(
                        projection,
                        0.0,
                        demarche::geo_math::camera::WorldRect::EMPTY,
                        demarche::job::no_wake,
                    )
                    .len(),
            )
        });
    });
    let detailed = demarche::basemap::embedded::LAYERS[1];
    group.bench_function("embedded_10m_decode", |b| {
        b.iter(|| black_box(detailed.load().expect("decodes").features.len()));
    });
    group.bench_function("embedded_10m_load_and_prepare", |b| {
        b.iter(|| {
            // As the window does: straight from the compact form.
            let prepared = detailed.load_prepared(projection).expect("decodes");
            // Ready to draw a regional view (1600 km across 1280 points).
            let level = PreparedLayer::level_for_scale(1280.0 / 0.25);
            black_box(prepared.level(level).fills.len())
        });
    });

    // The window's first frame (issue 13): the 1:50m world's mesh for a view of the default story at
    // about the launch window's zoom (1280x800 points). Since the mesh holds the chunks around the
    // view only, against the whole world's mesh at that level before.
    let regional = view::regional_projection();
    let coarse = std::sync::Arc::new(
        demarche::basemap::embedded::LAYERS[0]
            .load_prepared(regional)
            .expect("decodes"),
    );
    let scenario = demarche::io::scenario::default_scenario().scenario;
    let launch_view =
        view::fitted_camera(&regional, &scenario, ScreenRect::from_size(900.0, 700.0));
    let level = PreparedLayer::level_for_scale(launch_view.scale);
    let options = egui::epaint::TessellationOptions::default();
    black_box(coarse.level(level));
    group.bench_function("embedded_50m_first_frame_mesh_of_the_view", |b| {
        b.iter(|| {
            let paint =
                WorldMeshes::default().paint(&[&coarse], &launch_view, &theme, 1.0, &options);
            black_box(paint.layers[0].mesh.vertices.len())
        });
    });
    group.bench_function("embedded_50m_first_frame_mesh_of_the_whole_level", |b| {
        b.iter(|| {
            let mesh = WorldMesh::build(&coarse, &coarse.level(level), &theme, 1.0, &options);
            black_box(mesh.vertices.len())
        });
    });

    if let Some(text) = world_10m_geojson() {
        group.bench_function("world_10m_load_and_prepare", |b| {
            b.iter(|| {
                let layer = parse_geojson("world-10m.geojson", black_box(&text))
                    .expect("loads")
                    .layer;
                let prepared = PreparedLayer::new(&layer, projection, None);
                // Ready to draw: the level of the world view is made too.
                let level = PreparedLayer::level_for_scale(world_camera(&prepared).scale);
                black_box(prepared.level(level).fills.len())
            });
        });
        let layer = parse_geojson("world-10m.geojson", &text)
            .expect("loads")
            .layer;
        let prepared = PreparedLayer::new(&layer, projection, None);
        let camera = world_camera(&prepared);
        black_box(basemap::layer(&prepared, &camera, &theme, "warm-up"));
        group.bench_function("world_10m_frame_geometry_1920x1080", |b| {
            b.iter(|| {
                black_box(
                    basemap::layer(&prepared, black_box(&camera), &theme, "basemap")
                        .items
                        .len(),
                )
            });
        });
    }
    group.finish();
}

criterion_group!(basemap_benches, benches);
criterion_main!(basemap_benches);
