//! The speed of exports (issue 5), stage by stage:
//! - the default scenario at 1920x1080: the map's scene, the PNG (drawing, encoding), the SVG;
//! - the Natural Earth 1:10m world (21.5 MB of GeoJSON) at 1920x1080, after loading: scene, drawing and PNG
//!   encoding together (target < 150 ms; mapnik takes 0.22 s for the same picture);
//! - one animation frame (1280x720) and a short GIF, for the 10 s, 30 fps animation (target < 20 s).
//!
//! The whole-process target (`demarche export --at ... -o x.png` under 150 ms) is timed from the shell; see
//! the README. The 10m world comes from `target/countries-10m.geojson` (written by the `map_read` bench) or
//! world-atlas's TopoJSON (fetched by `data/fetch-world-atlas.sh`); without either, those benchmarks are
//! skipped with a note.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::basemap::embedded::Basemap;
use demarche::basemap::prepare::PreparedLayer;
use demarche::export::animation::{AnimationFormat, Timeline, write_animation};
use demarche::export::{FrameSpec, Source, Stamp, View, Zone, scene};
use demarche::geo_math::camera::{Camera, ScreenRect};
use demarche::geo_math::projection::Projection;
use demarche::io::scenario::{DEFAULT_SCENARIO_TOML, default_scenario};
use demarche::render::{png, raster, svg};
use demarche::scene::style::ThemeKind;
use demarche::scene::view;
use jiff::Timestamp;

fn at() -> Timestamp {
    "2026-01-31T12:00:00Z".parse().expect("timestamp")
}

fn spec(size: [f32; 2]) -> FrameSpec {
    FrameSpec {
        size,
        scale: 1.0,
        view: View::Fit,
        theme: ThemeKind::Light,
        decorations: true,
        layout: demarche::export::Layout::default(),
        title: "The Ankara channel".to_owned(),
        zone: Zone::utc(),
        trail: demarche::scene::contacts::TRAIL,
        svg_text: demarche::render::svg::SvgText::default(),
    }
}

fn default_source() -> Source {
    let loaded = default_scenario();
    let projection = view::regional_projection();
    let mut basemap = Basemap::embedded().expect("embedded");
    let layers = basemap.prepared(projection).to_vec();
    Source {
        order: loaded.scenario.chronological(),
        stamp: Stamp::new(&loaded.scenario.meta.id, DEFAULT_SCENARIO_TOML.as_bytes()),
        scenario: loaded.scenario,
        basemap: layers,
        projection,
        new_since: None,
        replay: false,
    }
}

/// The target directory (shared between worktrees when CARGO_TARGET_DIR is set).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The 10m world as GeoJSON text.
fn world_10m_geojson() -> Option<String> {
    let geojson = target_dir().join("countries-10m.geojson");
    if let Ok(text) = std::fs::read_to_string(&geojson) {
        return Some(text);
    }
    let topojson = target_dir().join("world-atlas/node_modules/world-atlas/countries-10m.json");
    let Ok(text) = std::fs::read_to_string(&topojson) else {
        eprintln!(
            "skipping the 10m world benchmarks: neither {} nor {} (data/fetch-world-atlas.sh)",
            geojson.display(),
            topojson.display()
        );
        return None;
    };
    let layer =
        demarche::io::topojson::parse_topojson_objects("countries-10m.json", &text, &["countries"])
            .ok()?
            .layer;
    serde_json::to_string(&demarche::io::geojson::to_feature_collection(&layer)).ok()
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("export");
    group.sample_size(20);

    let source = default_source();
    let spec_1080 = spec([1920.0, 1080.0]);
    let camera = spec_1080.camera(&source).expect("camera");
    let mut typesetter = spec_1080.typesetter();
    // Warm: the basemap's level for this zoom is made on first use, as in the window.
    let warm = scene(&source, &spec_1080, &camera, at(), None, &mut typesetter);
    group.bench_function("default_scene_1920x1080", |b| {
        b.iter(|| {
            black_box(scene(
                &source,
                &spec_1080,
                &camera,
                at(),
                None,
                &mut typesetter,
            ))
        });
    });
    // What `demarche export` of the default story prepares of the embedded basemap (issue 13): the
    // 1:10m level decoded, prepared around the one view, and its zoom level made.
    let finest = demarche::basemap::embedded::LAYERS[1];
    let visible = camera.visible_world();
    let (dx, dy) = (visible.width() / 16.0, visible.height() / 16.0);
    let area = demarche::geo_math::camera::WorldRect {
        min: [visible.min[0] - dx, visible.min[1] - dy],
        max: [visible.max[0] + dx, visible.max[1] + dy],
    };
    group.bench_function("default_one_view_basemap_1920x1080", |b| {
        b.iter(|| {
            let topology = finest.decode().expect("decodes");
            let prepared = finest.prepare_topology(&topology, source.projection, Some(area));
            let level = PreparedLayer::level_for_scale(camera.scale);
            black_box(prepared.level(level).fills.len())
        });
    });
    group.bench_function("default_draw_1920x1080", |b| {
        b.iter(|| black_box(raster::render(&warm, &mut typesetter).expect("drawn")));
    });
    let pixmap = raster::render(&warm, &mut typesetter).expect("drawn");
    group.bench_function("default_png_encode_1920x1080", |b| {
        b.iter(|| {
            let mut bytes = Vec::new();
            png::write_png(&pixmap, 1.0, &mut bytes).expect("encoded");
            black_box(bytes.len())
        });
    });
    // As a snapshot encodes: the pixels made straight in the pixmap's own buffer (the copy is the
    // bench's, outside the timing).
    group.bench_function("default_png_encode_in_place_1920x1080", |b| {
        b.iter_batched(
            || pixmap.clone(),
            |owned| {
                let mut bytes = Vec::new();
                png::write_png_owned(owned, 1.0, &mut bytes).expect("encoded");
                black_box(bytes.len())
            },
            criterion::BatchSize::LargeInput,
        );
    });
    group.bench_function("default_svg_1920x1080", |b| {
        b.iter(|| {
            black_box(svg::to_svg(&warm, "t", 1.0, &mut typesetter, svg::SvgText::default()).len())
        });
    });
    group.bench_function("default_snapshot_png_cold_typesetter_1920x1080", |b| {
        b.iter(|| {
            black_box(
                demarche::export::snapshot_bytes(
                    &source,
                    &spec_1080,
                    at(),
                    demarche::export::SnapshotFormat::Png,
                )
                .expect("png")
                .len(),
            )
        });
    });

    let spec_720 = spec([1280.0, 720.0]);
    let dir = tempfile::tempdir().expect("tempdir");
    let gif = dir.path().join("a.gif");
    let from: Timestamp = "2026-01-30T00:00:00Z".parse().expect("timestamp");
    let to: Timestamp = "2026-02-01T12:00:00Z".parse().expect("timestamp");
    let timeline =
        Timeline::new(from, to, 30, jiff::SignedDuration::from_secs(1)).expect("timeline");
    group.bench_function("gif_30_frames_1280x720", |b| {
        b.iter(|| {
            write_animation(
                &source,
                &spec_720,
                &timeline,
                AnimationFormat::Gif,
                &gif,
                &|_| {},
                &AtomicBool::new(false),
            )
            .expect("written");
        });
    });

    if let Some(text) = world_10m_geojson() {
        let projection = Projection::WebMercator { central_lon: 0.0 };
        let layer = demarche::io::geojson::parse_geojson("world-10m.geojson", &text)
            .expect("loads")
            .layer;
        let prepared = Arc::new(PreparedLayer::new(&layer, projection, None));
        let world_camera = Camera::fit(prepared.bounds, ScreenRect::from_size(1920.0, 1080.0), 0.0);
        let world = Source {
            basemap: vec![prepared],
            projection,
            ..default_source()
        };
        let mut world_spec = spec([1920.0, 1080.0]);
        world_spec.view = View::Camera(world_camera);
        let mut typesetter = world_spec.typesetter();
        // Loading is done: the zoom level of this view is made once, as the window makes it on its first frame.
        black_box(scene(
            &world,
            &world_spec,
            &world_camera,
            at(),
            None,
            &mut typesetter,
        ));
        group.bench_function("world_10m_scene_draw_png_1920x1080", |b| {
            b.iter(|| {
                let s = scene(
                    &world,
                    &world_spec,
                    &world_camera,
                    at(),
                    None,
                    &mut typesetter,
                );
                let pixmap = raster::render(&s, &mut typesetter).expect("drawn");
                let mut bytes = Vec::new();
                png::write_png(&pixmap, 1.0, &mut bytes).expect("encoded");
                black_box(bytes.len())
            });
        });
        let s = scene(
            &world,
            &world_spec,
            &world_camera,
            at(),
            None,
            &mut typesetter,
        );
        group.bench_function("world_10m_draw_1920x1080", |b| {
            b.iter(|| black_box(raster::render(&s, &mut typesetter).expect("drawn")));
        });
    }
    group.finish();
}

criterion_group!(export_benches, benches);
criterion_main!(export_benches);
