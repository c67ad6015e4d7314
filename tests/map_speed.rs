//! Speed of the GeoJSON reader on Natural Earth 10m countries (21.5 MB, 255 features), against the geojson
//! crate's own parse and conversion. Needs world-atlas on this machine, so it is ignored by default:
//!
//! ```text
//! data/fetch-world-atlas.sh
//! cargo test --release --test map_speed -- --ignored --nocapture --test-threads=1
//! ```
//! `peak_memory_with_the_10m_world_prepared` is best run alone (`--exact`), so the process holds nothing else.
//! The GeoJSON file is written once, from the TopoJSON, by this crate's own decoder.

use std::path::Path;
use std::time::{Duration, Instant};

use demarche::io::geojson::parse_geojson;
use demarche::io::topojson::parse_topojson_objects;

/// Fetched by `data/fetch-world-atlas.sh`.
const TOPOJSON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/world-atlas/node_modules/world-atlas/countries-10m.json"
);
const GEOJSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/target/countries-10m.geojson");

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Writes the countries of the TopoJSON as a GeoJSON FeatureCollection (with the geojson crate).
fn write_geojson() {
    let text = std::fs::read_to_string(TOPOJSON).expect("world-atlas countries-10m");
    let loaded = parse_topojson_objects("countries-10m", &text, &["countries"]).expect("decodes");
    let collection = demarche::io::geojson::to_feature_collection(&loaded.layer);
    std::fs::write(GEOJSON, collection.to_string()).expect("write");
}

#[test]
#[ignore = "needs world-atlas (data/fetch-world-atlas.sh); run in release"]
fn natural_earth_10m_parses_fast() {
    if !Path::new(TOPOJSON).exists() {
        println!("skipped: {TOPOJSON} is missing");
        return;
    }
    if !Path::new(GEOJSON).exists() {
        write_geojson();
    }
    let text = std::fs::read_to_string(GEOJSON).expect("read");
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut scan = Vec::new();
    let mut vertices = 0;
    // Interleaved, so a busy machine slows both alike.
    for round in 0..9 {
        let start = Instant::now();
        let loaded = match parse_geojson("countries-10m.geojson", &text) {
            Ok(loaded) => loaded,
            Err(report) => panic!("does not load:\n{}", report.to_lines().join("\n")),
        };
        ours.push(start.elapsed());
        assert_eq!(loaded.layer.features.len(), 255);
        if round == 0 {
            vertices = loaded
                .layer
                .features
                .iter()
                .filter_map(|f| f.geometry.as_ref())
                .map(geo::CoordsIter::coords_count)
                .sum::<usize>();
            for line in loaded.report.to_lines() {
                println!("  {line}");
            }
        }
        drop(loaded);
        let start = Instant::now();
        let gj: geojson::GeoJson = text.parse().expect("geojson parses");
        #[allow(deprecated)] // the replacement is the same conversion
        let collection: geo::GeometryCollection<f64> =
            geojson::quick_collection(&gj).expect("converts");
        theirs.push(start.elapsed());
        assert_eq!(collection.0.len(), 255);
        drop((gj, collection));
        let start = Instant::now();
        let _: serde::de::IgnoredAny = serde_json::from_str(&text).expect("json");
        scan.push(start.elapsed());
    }
    println!(
        "{} MB, {vertices} vertices, median of 9: parse_geojson {:?} (min {:?}); geojson crate parse + conversion {:?} (min {:?}); serde_json skipping the text (IgnoredAny) {:?}",
        text.len() / 1_000_000,
        median(ours.clone()),
        ours.iter().min().expect("runs"),
        median(theirs.clone()),
        theirs.iter().min().expect("runs"),
        median(scan)
    );
}

/// The process's peak resident memory, from /proc (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[test]
#[ignore = "needs world-atlas (data/fetch-world-atlas.sh); run alone for a clean figure"]
fn peak_memory_with_the_10m_world_prepared() {
    if !Path::new(GEOJSON).exists() {
        write_geojson();
    }
    let text = std::fs::read_to_string(GEOJSON).expect("geojson");
    let layer = parse_geojson("countries-10m.geojson", &text)
        .expect("loads")
        .layer;
    drop(text);
    let projection = demarche::geo_math::projection::Projection::WebMercator { central_lon: 0.0 };
    let prepared = demarche::basemap::prepare::PreparedLayer::new(&layer, projection, None);
    // The levels a user goes through zooming from the world to a city.
    for level in [5, 8, 11, 14] {
        std::hint::black_box(prepared.level(level));
    }
    println!(
        "10m world loaded and prepared (4 levels): peak resident memory {:.0} MB",
        peak_rss_mb().unwrap_or(f64::NAN)
    );
}

#[test]
#[ignore = "needs world-atlas (data/fetch-world-atlas.sh)"]
fn stages_of_loading_and_preparing_the_10m_world() {
    if !Path::new(GEOJSON).exists() {
        write_geojson();
    }
    let text = std::fs::read_to_string(GEOJSON).expect("geojson");
    let projection = demarche::geo_math::projection::Projection::WebMercator { central_lon: 0.0 };
    for _ in 0..3 {
        let t = Instant::now();
        let layer = parse_geojson("countries-10m.geojson", &text)
            .expect("loads")
            .layer;
        let parsed = t.elapsed();
        let t = Instant::now();
        let prepared = demarche::basemap::prepare::PreparedLayer::new(&layer, projection, None);
        let prepared_in = t.elapsed();
        let t = Instant::now();
        std::hint::black_box(prepared.level(5));
        println!(
            "parse {parsed:?}, prepare {prepared_in:?}, world level {:?}",
            t.elapsed()
        );
    }
}
