//! Reading the Natural Earth 1:10m countries (21.5 MB of GeoJSON, 255 features), formerly the ignored
//! `map_speed` timing test:
//! - `parse_geojson` against the geojson crate's own parse and conversion, and against serde_json merely
//!   skipping the text (the floor for any reader);
//! - the stages of loading the world: parse, prepare, the world-zoom level;
//! - once, before the timings: the peak resident memory with the world loaded and four zoom levels prepared
//!   (printed, from /proc on Linux; the README quotes it).
//!
//! Needs world-atlas's `countries-10m.json`, fetched (not committed) by `data/fetch-world-atlas.sh` into
//! `target/world-atlas/`; without it the benchmarks are skipped with a note. The GeoJSON is written once,
//! from the TopoJSON by this crate's own decoder, to `countries-10m.geojson` in the target directory, where
//! `benches/export.rs` reads it too.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use demarche::basemap::prepare::PreparedLayer;
use demarche::geo_math::projection::Projection;
use demarche::io::geojson::parse_geojson;
use demarche::io::topojson::parse_topojson_objects;

const NAME: &str = "countries-10m.geojson";

/// The target directory (shared between worktrees when CARGO_TARGET_DIR is set).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The 10m world as GeoJSON text, written from world-atlas's TopoJSON the first time.
fn world_10m_geojson() -> Option<String> {
    let geojson = target_dir().join(NAME);
    if let Ok(text) = std::fs::read_to_string(&geojson) {
        return Some(text);
    }
    let topojson = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/world-atlas/node_modules/world-atlas/countries-10m.json");
    let Ok(text) = std::fs::read_to_string(&topojson) else {
        eprintln!(
            "skipping the map reading benchmarks: run data/fetch-world-atlas.sh to fetch {}",
            topojson.display()
        );
        return None;
    };
    let layer = parse_topojson_objects("countries-10m", &text, &["countries"])
        .expect("world-atlas decodes")
        .layer;
    let collection = demarche::io::geojson::to_feature_collection(&layer).to_string();
    std::fs::write(&geojson, &collection).expect("write the GeoJSON");
    Some(collection)
}

/// The process's peak resident memory, from /proc (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Loads and prepares the world at the levels a user goes through zooming from the world to a city, and
/// prints the peak memory: first, so the process holds nothing else yet.
fn print_peak_memory(text: &str, projection: Projection) {
    let layer = parse_geojson(NAME, text).expect("loads").layer;
    let prepared = PreparedLayer::new(&layer, projection, None);
    drop(layer);
    for level in [5, 8, 11, 14] {
        black_box(prepared.level(level));
    }
    eprintln!(
        "10m world loaded and prepared (4 levels), with its text in memory: peak resident memory {:.0} MB",
        peak_rss_mb().unwrap_or(f64::NAN)
    );
}

fn benches(c: &mut Criterion) {
    let Some(text) = world_10m_geojson() else {
        return;
    };
    let projection = Projection::WebMercator { central_lon: 0.0 };
    print_peak_memory(&text, projection);

    let mut group = c.benchmark_group("map_read");
    group.sample_size(10);
    group.bench_function("parse_geojson_10m", |b| {
        b.iter(|| {
            let loaded = parse_geojson(NAME, &text).expect("loads");
            assert_eq!(loaded.layer.features.len(), 255);
            loaded
        });
    });
    group.bench_function("geojson_crate_parse_and_convert_10m", |b| {
        b.iter(|| {
            let gj: geojson::GeoJson = text.parse().expect("geojson parses");
            #[allow(deprecated)] // the replacement is the same conversion
            let collection: geo::GeometryCollection<f64> =
                geojson::quick_collection(&gj).expect("converts");
            assert_eq!(collection.0.len(), 255);
            (gj, collection)
        });
    });
    group.bench_function("serde_json_skip_10m", |b| {
        b.iter(|| {
            let _: serde::de::IgnoredAny = serde_json::from_str(&text).expect("json");
        });
    });

    let layer = parse_geojson(NAME, &text).expect("loads").layer;
    group.bench_function("prepare_10m", |b| {
        b.iter(|| PreparedLayer::new(black_box(&layer), projection, None));
    });
    group.bench_function("world_level_10m", |b| {
        // A fresh preparation each time: a level is made on first use, then kept.
        b.iter_batched(
            || PreparedLayer::new(&layer, projection, None),
            |prepared| {
                black_box(prepared.level(5));
                prepared
            },
            criterion::BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(map_read, benches);
criterion_main!(map_read);
