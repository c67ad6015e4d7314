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
    let basemap = embedded();
    let coarse = basemap.layers[0].clone();
    let detailed = basemap.detailed_layer().expect("the 1:10m level");
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
                layer
                    .features
                    .iter()
                    .any(|f| f.label.as_deref() == Some(name)),
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

fn fill_area(fill: &demarche::basemap::prepare::Fill) -> f64 {
    fill.indices
        .chunks(3)
        .map(|t| {
            let [a, b, c] = [0, 1, 2].map(|k| fill.vertices[t[k] as usize]);
            ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
        })
        .sum()
}

/// Every country of the 1:10m world (rings that self-intersect too, as the quantised data has) is filled
/// at every zoom, with about its full area, unless it is too small for the level (islands).
#[test]
fn every_country_of_the_detailed_level_is_filled_at_every_zoom() {
    let mut basemap = embedded();
    let layers = basemap
        .prepared(Projection::LambertConic(Lambert::for_band(41.0, 8.0, 48.0)))
        .to_vec();
    let detailed = &layers[1];
    assert_eq!(detailed.from_scale, Some(DETAILED_FROM_SCALE));
    let full = detailed.level(demarche::basemap::prepare::MAX_LEVEL);
    for level in [3, 6, 9] {
        let geometry = detailed.level(level);
        let t = geometry.tolerance;
        for ((feature, fill), whole) in detailed
            .features
            .iter()
            .zip(&geometry.fills)
            .zip(&full.fills)
        {
            let whole = fill_area(whole);
            if whole > 64.0 * t * t {
                let area = fill_area(fill);
                assert!(
                    (area / whole - 1.0).abs() < 0.5,
                    "{:?} at level {level}: area {area} of {whole}",
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

/// A small story at one venue, in the country `code`, which it spells `spelling` (a venue of kind
/// `country`, as a story that names no city has).
fn story(city: &str, code: &str, spelling: &str, lon: f64, lat: f64) -> demarche::model::Scenario {
    let text = format!(
        r#"format = "demarche-scenario"
version = 1

[scenario]
id = "small-story"
title = "A small story in {city}"
time_zone = "UTC"

[[sources]]
id = "memo"
outlet = "Invented for this test"

[[venues]]
id = "city"
name = "{city}"
kind = "capital"
country = "{code}"
time_zone = "UTC"
lon = {lon}
lat = {lat}

[[venues]]
id = "country"
name = "{spelling} (city not reported)"
kind = "country"
country = "{code}"
time_zone = "UTC"
lon = {lon}
lat = {lat}

[[actors]]
id = "envoy"
name = "An envoy"
kind = "person"
affiliation = "{code}"

[[actors]]
id = "minister"
name = "A minister"
kind = "person"

[[contacts]]
id = "talks"
kind = "meeting"
status = "held"
title = "Talks in {city}"
participants = [{{ actor = "envoy", part = "host" }}, {{ actor = "minister", part = "guest" }}]
venue = "city"
time = {{ on = 2026-03-01 }}
sources = [{{ source = "memo" }}]
"#
    );
    demarche::io::scenario::parse("story.toml", &text)
        .unwrap_or_else(|r| panic!("{:#?}", r.to_lines()))
        .scenario
}

/// The fill vertices of the feature labelled `name` in `layer` at the level of `scale`.
fn vertices(layer: &PreparedLayer, name: &str, scale: f64) -> usize {
    let level = layer.level(PreparedLayer::level_for_scale(scale));
    layer
        .features
        .iter()
        .zip(&level.fills)
        .filter(|(f, _)| f.label.as_deref() == Some(name))
        .map(|(_, fill)| fill.vertices.len())
        .sum()
}

/// A story in Caracas or Seoul, zoomed in: the map draws the 1:10m level (the country near the venue has
/// more vertices than the 1:50m data has at all), one level only, each country name once, and the story's
/// spelling of its country.
fn a_zoomed_in_story_gets_the_detailed_level(
    city: &str,
    (code, spelling, map_name): (&str, &str, &str),
    (lon, lat): (f64, f64),
) {
    use demarche::scene::map::{MapInputs, build};
    let scenario = story(city, code, spelling, lon, lat);
    let projection = Projection::WebMercator { central_lon: 0.0 };
    let mut basemap = embedded();
    let layers = basemap.prepared(projection).to_vec();
    assert_eq!(layers.len(), 2, "both levels prepared");
    let viewport = ScreenRect::from_size(1280.0, 720.0);
    let camera = demarche::scene::view::bbox_camera(
        &projection,
        [lon - 8.0, lat - 6.0, lon + 8.0, lat + 6.0],
        viewport,
    )
    .expect("a view");
    assert!(
        camera.scale > DETAILED_FROM_SCALE,
        "zoomed in: {}",
        camera.scale
    );

    let shown = basemap::shown(&layers, camera.scale);
    assert_eq!(shown.len(), 1, "one level for the whole view");
    assert_eq!(shown[0].from_scale, Some(DETAILED_FROM_SCALE));
    let coarse_best = vertices(&layers[0], map_name, f64::INFINITY);
    let drawn = vertices(shown[0], map_name, camera.scale);
    assert!(coarse_best > 0, "{map_name} is in the 1:50m level");
    assert!(
        drawn > coarse_best,
        "{map_name} near {city}: {drawn} vertices drawn, the 1:50m level has {coarse_best} at most"
    );

    let order = scenario.chronological();
    let theme = Theme::light();
    let scene = build(&MapInputs {
        projection: &projection,
        camera: &camera,
        theme: &theme,
        scenario: Some(&scenario),
        order: &order,
        index: None,
        basemap: &layers,
        time: "2026-03-01T12:00:00Z".parse().ok(),
        trail: demarche::scene::contacts::TRAIL,
        pulse: None,
        selection: None,
        legend: true,
        new_since: None,
    });
    let base: Vec<&str> = scene
        .layers
        .iter()
        .filter(|l| l.name.starts_with("basemap-"))
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(base, ["basemap-0"], "one basemap layer drawn");
    let labels: Vec<&str> = scene
        .layers
        .iter()
        .filter(|l| l.name.starts_with("country-labels-"))
        .flat_map(|l| &l.items)
        .filter_map(|item| match item {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let mut unique = labels.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        labels.len(),
        "a country named twice: {labels:?}"
    );
    assert!(labels.contains(&spelling), "{spelling} in {labels:?}");
    assert!(!labels.contains(&map_name), "{map_name} in {labels:?}");
}

#[test]
fn a_story_in_caracas_gets_the_detailed_level_and_its_own_spelling() {
    a_zoomed_in_story_gets_the_detailed_level(
        "Caracas",
        ("VE", "República Bolivariana de Venezuela", "Venezuela"),
        (-66.9036, 10.4806),
    );
}

#[test]
fn a_story_in_seoul_gets_the_detailed_level_and_its_own_spelling() {
    a_zoomed_in_story_gets_the_detailed_level(
        "Seoul",
        ("KR", "Republic of Korea", "South Korea"),
        (126.978, 37.5665),
    );
}

/// Zooming out past the detailed level's scale draws the 1:50m level instead, whole: the two levels are
/// never drawn together, whatever the scale.
#[test]
fn exactly_one_level_is_drawn_at_every_scale() {
    let mut basemap = embedded();
    let layers = basemap
        .prepared(Projection::WebMercator { central_lon: 0.0 })
        .to_vec();
    for scale in [
        1.0,
        100.0,
        DETAILED_FROM_SCALE - 1.0,
        DETAILED_FROM_SCALE,
        1e5,
    ] {
        let shown = basemap::shown(&layers, scale);
        assert_eq!(shown.len(), 1, "at {scale}");
        let expected = if scale >= DETAILED_FROM_SCALE {
            DETAILED_FROM_SCALE
        } else {
            0.0
        };
        assert_eq!(shown[0].from_scale, Some(expected), "at {scale}");
    }
}

/// A user's map of countries over the embedded one: each country is named once (the user's map, on top,
/// names it), in the scenario's spelling.
#[test]
fn a_country_in_two_layers_is_named_once() {
    use demarche::scene::map::{MapInputs, build};
    // A story in Van, far from where Türkiye's name goes.
    let scenario = story("Van", "TR", "Türkiye", 43.38, 38.49);
    let projection = Projection::WebMercator { central_lon: 0.0 };
    let mut basemap = embedded();
    let turkey = basemap.layers[0]
        .features
        .iter()
        .find(|f| f.label.as_deref() == Some("Turkey"))
        .expect("Turkey")
        .clone();
    basemap.push(demarche::model::map::Layer {
        name: "user".to_owned(),
        features: vec![turkey],
    });
    let layers = basemap.prepared(projection).to_vec();
    let camera = demarche::scene::view::bbox_camera(
        &projection,
        [24.0, 34.0, 46.0, 44.0],
        ScreenRect::from_size(1280.0, 720.0),
    )
    .expect("a view");
    let order = scenario.chronological();
    let scene = build(&MapInputs {
        projection: &projection,
        camera: &camera,
        theme: &Theme::light(),
        scenario: Some(&scenario),
        order: &order,
        index: None,
        basemap: &layers,
        time: None,
        trail: demarche::scene::contacts::TRAIL,
        pulse: None,
        selection: None,
        legend: true,
        new_since: None,
    });
    let named: Vec<(&str, &str)> = scene
        .layers
        .iter()
        .filter(|l| l.name.starts_with("country-labels-"))
        .flat_map(|l| l.items.iter().map(move |i| (l.name.as_str(), i)))
        .filter_map(|(layer, item)| match item {
            Item::Text { text, .. } if text == "Türkiye" || text == "Turkey" => {
                Some((layer, text.as_str()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        named,
        [("country-labels-1", "Türkiye")],
        "named once, by the top layer"
    );
}

/// The window prepares the embedded levels straight from their compact form, one country at a time in
/// degrees; that must draw exactly what preparing the whole layer read in degrees draws.
#[test]
fn preparing_from_the_compact_form_draws_what_preparing_the_read_layer_draws() {
    use demarche::basemap::embedded::LAYERS;
    let projection = Projection::LambertConic(Lambert::for_band(41.0, 8.0, 48.0));
    let coarse = LAYERS[0];
    let read = coarse.prepare(&coarse.load().expect("reads"), projection);
    let direct = coarse.load_prepared(projection).expect("reads");
    assert_eq!(read.features.len(), direct.features.len());
    assert_eq!(read.bounds, direct.bounds);
    assert_eq!(read.from_scale, direct.from_scale);
    for (a, b) in read.features.iter().zip(&direct.features) {
        assert_eq!(
            (&a.label, &a.code, a.label_at, a.bounds, &a.polygons),
            (&b.label, &b.code, b.label_at, b.bounds, &b.polygons)
        );
    }
    for level in [2, 8, demarche::basemap::prepare::MAX_LEVEL] {
        let (a, b) = (read.level(level), direct.level(level));
        assert_eq!(a.strokes, b.strokes, "level {level}");
        assert_eq!(a.fills.len(), b.fills.len());
        for (fa, fb) in a.fills.iter().zip(&b.fills) {
            assert_eq!((&fa.vertices, &fa.indices), (&fb.vertices, &fb.indices));
        }
    }
}
