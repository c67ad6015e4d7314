//! The GeoJSON conformance corpus (`../shared/corpus/geojson`, see its README): valid files load with every
//! feature that has a geometry, invalid files are rejected or warned of with a message naming the defect,
//! edge and real-world files load. Skipped, with a note, when the corpus is not beside the project (an error
//! with `DEMARCHE_REQUIRE_CORPUS=1`, as in CI).

mod support;

use std::path::{Path, PathBuf};

use demarche::io::map_file::{DEFAULT_MAX_MAP_BYTES, MapReadProgress, load_map_file};
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    support::shared_files::shared("corpus/geojson")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// Features with a non-null geometry, counted independently of the loader.
fn features_with_geometry(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).expect("read");
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("json");
    match value.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => value["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter(|f| !f["geometry"].is_null())
            .count(),
        Some("Feature") => usize::from(!value["geometry"].is_null()),
        _ => 1,
    }
}

fn load(path: &Path) -> Result<demarche::model::map::LoadedLayer, Vec<String>> {
    load_map_file(path, DEFAULT_MAX_MAP_BYTES, &MapReadProgress::new()).map_err(|r| r.to_lines())
}

#[test]
fn valid_files_load_with_every_feature() {
    let Some(corpus) = corpus() else { return };
    for path in files(&corpus.join("valid")) {
        let loaded = match load(&path) {
            Ok(loaded) => loaded,
            Err(lines) => panic!("{} does not load:\n{}", path.display(), lines.join("\n")),
        };
        let kept = loaded
            .layer
            .features
            .iter()
            .filter(|f| f.geometry.is_some())
            .count();
        assert_eq!(kept, features_with_geometry(&path), "{}", path.display());
    }
}

/// For each invalid file: words the error or warning must contain (all of them, in one diagnostic).
const INVALID: &[(&str, &[&str])] = &[
    ("bad-duplicate-properties", &["duplicate member `type`"]),
    (
        "bad-featurelist",
        &[
            "expected an array of positions, found a number",
            "coordinates[0]",
        ],
    ),
    ("bad-json", &["JSON syntax error", ":3:5:"]),
    (
        "bad-object-type",
        &["`type` must be a string, found an object"],
    ),
    (
        "bad-polygonloop",
        &["expected a position", "geometry.coordinates[0][0]"],
    ),
    (
        "bad-properties-as-array",
        &["`properties` must be an object or null, found an array"],
    ),
    (
        "badcoord",
        &["position value 2 is a string", "coordinates[2]"],
    ),
    (
        "badcoordtype",
        &[
            "expected a position",
            "features[0].geometry.coordinates[0][0][0]",
        ],
    ),
    (
        "badfeature-no-properties",
        &["should have a `properties` member"],
    ),
    (
        "badfeature",
        &["expected a Feature object, found null", "features[0]"],
    ),
    (
        "badfeatureid",
        &["`id` must be a string or a number", "features[0].id"],
    ),
    ("bbox-4or6elements", &["bbox", "this one has 3"]),
    ("bbox-contains-string", &["bbox value 3 is a string"]),
    ("bbox-string", &["`bbox` must be an array"]),
    ("different-first-last", &["not closed", "coordinates[0]"]),
    (
        "different-first-size",
        &["mixes positions of different sizes"],
    ),
    (
        "expected_object",
        &["`properties` must be an object or null, found a number"],
    ),
    (
        "false",
        &[
            "expected a geometry object, found a boolean",
            "geometries[0]",
        ],
    ),
    (
        "feature_changed_semantics",
        &["should not have a `coordinates` member"],
    ),
    (
        "featurecollection-obj",
        &["`features` must be an array", "found an object"],
    ),
    (
        "featurecollection-type-case",
        &["unknown GeoJSON type `featurecollection`", "case-sensitive"],
    ),
    ("featurecollection", &["needs a `features` array"]),
    (
        "featurecollection_changed_semantics",
        &["should not have a `coordinates` member"],
    ),
    (
        "geometry_changed_semantics",
        &["a Point should not have a `geometry` member"],
    ),
    (
        "geometrycollection_nested",
        &[
            "GeometryCollection inside a GeometryCollection",
            "geometries[1]",
        ],
    ),
    (
        "multiple_problems",
        &["unknown GeoJSON type `Foo`", "features[2].type"],
    ),
    ("multipoint-multidimension", &["nested too deeply"]),
    ("multipoint-nocoordinates", &["needs `coordinates`"]),
    (
        "multipoint-nondimension",
        &["expected a position", "coordinates[0]"],
    ),
    (
        "nofeaturetype",
        &["unknown GeoJSON type `Featre`", "did you mean `Feature`"],
    ),
    ("notype", &["no `type` member"]),
    (
        "point-labeled-as-a-multipolygon",
        &["MultiPolygon", "nest positions 4 deep"],
    ),
    ("point-string", &["position value 0 is a string"]),
    ("point-toofew", &["a position needs 2 numbers", "has 1"]),
    ("point-toomany", &["a position has 4 values"]),
    ("point", &["a Point needs `coordinates`"]),
    ("rootstring", &["expected a GeoJSON object", "found null"]),
    (
        "short-line",
        &["a line needs at least 2 positions", "has 1"],
    ),
    ("short-linearring", &["at least 4 positions", "has 3"]),
    (
        "short-multilinestring",
        &["a line needs at least 2 positions", "coordinates[1]"],
    ),
    (
        "stringcoord",
        &[
            "position value 1 is a string",
            "features[0].geometry.coordinates[1]",
        ],
    ),
    ("unknowntype", &["unknown GeoJSON type `FooBar`"]),
    (
        "bad-polygon-interiorring-rhr",
        &["hole is counter-clockwise", "right-hand rule"],
    ),
    (
        "excessive_precision_truncated",
        &["more than 8 decimal places"],
    ),
    ("geometrycollection_single", &["single geometry"]),
    (
        "polygon_winding_order",
        &["outer ring is clockwise", "right-hand rule"],
    ),
];

#[test]
fn invalid_files_are_rejected_or_warned_of_by_name_and_place() {
    let Some(corpus) = corpus() else { return };
    let all = files(&corpus.join("invalid"));
    for path in &all {
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        let case = stem.split_once("__").map_or(stem, |(_, c)| c);
        let Some((_, words)) = INVALID.iter().find(|(name, _)| *name == case) else {
            panic!("{}: no expectation in the table: add one", path.display());
        };
        let lines = match load(path) {
            Ok(loaded) => {
                assert!(
                    loaded.report.warning_count() > 0,
                    "{}: silently accepted",
                    path.display()
                );
                loaded.report.to_lines()
            }
            Err(lines) => lines,
        };
        assert!(
            lines.iter().any(|l| words.iter().all(|w| l.contains(w))),
            "{}: expected {words:?} in one of\n{}",
            path.display(),
            lines.join("\n")
        );
    }
    assert_eq!(all.len(), INVALID.len(), "every table entry has its file");
}

#[test]
fn edge_and_real_world_files_load_with_their_features() {
    let Some(corpus) = corpus() else { return };
    for (file, features, nulls) in [
        ("edge/gdal__point_with_utf8bom.json", 1, 0),
        ("edge/gdal__ids_0_1_null_1_null.json", 5, 5),
        ("realworld/topojson-rs_short_ring_Vatican.geojson", 1, 0),
        ("realworld/worldatlas10m_selfintersecting_ME.geojson", 4, 0),
        (
            "realworld/worldatlas50m_antimeridian_fiji_russia_antarctica.geojson",
            3,
            0,
        ),
    ] {
        let path = corpus.join(file);
        let loaded = match load(&path) {
            Ok(loaded) => loaded,
            Err(lines) => panic!("{file} does not load:\n{}", lines.join("\n")),
        };
        assert_eq!(loaded.layer.features.len(), features, "{file}");
        assert_eq!(loaded.null_geometries(), nulls, "{file}");
    }
}

#[test]
fn antimeridian_files_load() {
    let Some(corpus) = corpus() else { return };
    for dir in ["antimeridian/input", "antimeridian/expected_flat"] {
        for path in files(&corpus.join(dir)) {
            if let Err(lines) = load(&path) {
                panic!("{} does not load:\n{}", path.display(), lines.join("\n"));
            }
        }
    }
}
