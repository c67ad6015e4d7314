//! The embedded basemap: its files are the ones `data/build-basemap.sh` made (checksums), every country
//! is there at both levels and filled, neither level draws stripes across the map, and a story anywhere
//! is drawn from the 1:10m level once zoomed in, with one level for the whole view (no doubled names).

mod support;

use std::sync::Arc;

use demarche::basemap::embedded::{Basemap, DETAILED_FROM_SCALE};
use demarche::basemap::prepare::PreparedLayer;
use demarche::geo_math::camera::{Camera, ScreenRect, WorldRect};
use demarche::geo_math::projection::{Lambert, Projection};
use demarche::scene::{Item, Theme, basemap};
use sha2::{Digest as _, Sha256};

fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/basemap")
        .join(name)
}

#[test]
fn the_committed_basemap_matches_its_checksums() {
    let sums = std::fs::read_to_string(data("SHA256SUMS")).expect("SHA256SUMS");
    let mut checked = 0;
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let (sum, name) = line.split_once("  ").expect("`sum  name` lines");
        let bytes = std::fs::read(data(name)).expect("listed file");
        let actual: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            actual, sum,
            "{name} differs from the build's output: run data/build-basemap.sh"
        );
        checked += 1;
    }
    assert_eq!(checked, 3, "both levels and the table of names are listed");
}

fn embedded() -> Basemap {
    Basemap::embedded().unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
}

#[test]
fn both_levels_have_every_country_including_those_that_self_intersect() {
    let mut basemap = embedded();
    let coarse = basemap.layers[0].clone();
    let detailed = basemap.detailed_layer().expect("the 1:10m level").clone();
    for (level, layer) in [("1:50m", &coarse), ("1:10m", &detailed)] {
        for name in [
            "Turkey",
            "Egypt",
            "Iran",
            "Saudi Arabia",
            "Yemen",
            "Qatar",
            "Israel",
            "United States of America",
            "Russia",
            "Fiji",
            "Antarctica",
            "Venezuela",
            "South Korea",
            "Italy",
            "Oman",
        ] {
            assert!(
                layer.features.iter().any(|f| f.label.as_deref() == Some(name)),
                "{name} is missing from the {level} level"
            );
        }
    }
    assert!(detailed.features.len() > coarse.features.len());
}

/// No stroked segment of a 1920-point-wide scene may run across half of it: that is what a ring that jumps
/// the antimeridian does when it is drawn unsplit.
fn assert_no_stripe(scene: &demarche::scene::SceneLayer, what: &str) {
    for item in &scene.items {
        if let Item::Polyline { points, .. } = item {
            for w in points.windows(2) {
                let dx = (w[0][0] - w[1][0]).abs();
                assert!(dx < 1920.0 / 2.0, "{what}: a stripe {dx} points wide");
            }
        }
    }
}

fn world_camera(layers: &[Arc<PreparedLayer>], viewport: ScreenRect) -> Camera {
    let bounds = layers
        .iter()
        .fold(WorldRect::EMPTY, |b, l| b.union(&l.bounds));
    Camera::fit(bounds, viewport, 0.0)
}

/// No stroked segment may run across more than half the map: that is what an unsplit antimeridian does.
fn assert_no_stripes(projection: Projection) {
    let mut basemap = embedded();
    let viewport = ScreenRect::from_size(1920.0, 1080.0);
    let layers = basemap.prepared(projection).to_vec();
    let camera = world_camera(&layers, viewport);
    let theme = Theme::light();
    for (i, layer) in layers.iter().enumerate() {
        let scene = basemap::layer(layer, &camera, &theme, "test");
        assert_no_stripe(&scene, &format!("{} layer {i}", projection.label()));
        let fills: usize = scene
            .items
            .iter()
            .map(|item| match item {
                Item::Mesh { indices, .. } => indices.len() / 3,
                _ => 0,
            })
            .sum();
        assert!(fills > 100, "layer {i} is filled ({fills} triangles)");
    }
}

#[test]
fn the_world_in_web_mercator_has_no_stripes() {
    assert_no_stripes(Projection::WebMercator { central_lon: 0.0 });
}

#[test]
fn the_world_in_the_regional_conic_has_no_stripes() {
    assert_no_stripes(Projection::LambertConic(Lambert::for_band(41.0, 8.0, 48.0)));
}

#[test]
fn every_country_of_the_detailed_level_is_filled_at_every_zoom() {
    let mut basemap = embedded();
    let layers = basemap
        .prepared(Projection::LambertConic(Lambert::for_band(41.0, 8.0, 48.0)))
        .to_vec();
    let region = &layers[1];
    assert_eq!(region.from_scale, Some(DETAILED_FROM_SCALE));
    for level in [3, 6, 9, demarche::basemap::prepare::MAX_LEVEL] {
        let geometry = region.level(level);
        for (feature, fill) in region.features.iter().zip(&geometry.fills) {
            let big = feature.bounds.width() * feature.bounds.height()
                > 4.0 * geometry.tolerance * geometry.tolerance;
            if big && !feature.polygons.is_empty() {
                assert!(
                    !fill.indices.is_empty(),
                    "{:?} has no fill at level {level}",
                    feature.label
                );
            }
        }
    }
}

/// Every real-world file of the shared corpus draws without stripes and keeps every country filled.
#[test]
fn the_real_world_corpus_draws_without_stripes_or_dropped_countries() {
    let Some(dir) = support::shared_files::shared("corpus/geojson/realworld") else {
        return;
    };
    let entries = std::fs::read_dir(&dir).expect("the corpus folder reads");
    let mut checked = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let text = std::fs::read_to_string(&path).expect("readable");
        let name = path.display().to_string();
        let layer = demarche::io::geojson::parse_geojson(&name, &text)
            .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
            .layer;
        for projection in [
            Projection::WebMercator { central_lon: 0.0 },
            Projection::LambertConic(Lambert::for_band(41.0, 8.0, 48.0)),
        ] {
            let prepared = PreparedLayer::new(&layer, projection, None);
            let viewport = ScreenRect::from_size(1920.0, 1080.0);
            let camera = Camera::fit(prepared.bounds, viewport, 0.0);
            let scene = basemap::layer(&prepared, &camera, &Theme::light(), "test");
            assert_no_stripe(&scene, &format!("{name} in {}", projection.label()));
            let level = prepared.level(PreparedLayer::level_for_scale(camera.scale));
            for (feature, fill) in prepared.features.iter().zip(&level.fills) {
                if !feature.polygons.is_empty() && feature.bounds.width() * camera.scale > 4.0 {
                    assert!(
                        !fill.indices.is_empty(),
                        "{name}: {:?} is not filled",
                        feature.label
                    );
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 3, "the corpus has its real-world files");
}
