//! Tests for the antimeridian split: hand-made cases, the gadomski/antimeridian corpus and Natural Earth.

use super::*;
use geo::{Area, BooleanOps};
use std::path::{Path, PathBuf};

use crate::geo_math::shared_files;

/// Corpus cases whose expected output we deliberately do not reproduce, with the reason. Each of them is
/// still checked, against the relation its reason states (see `check_known_difference`).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "both-poles",
        "expected was made with fix_winding=False: it trusts the clockwise ring to mean 'everything outside \
         it' (both poles). We ignore winding because Natural Earth's outer rings are clockwise, so we return \
         the ring's inside: our area plus the expected area is the whole map.",
    ),
    (
        "force-north-pole",
        "expected was made with force_north_pole=True and its pieces overlap (their areas add up to more \
         than the whole map). The ring is a swath over the north pole that crosses the antimeridian three \
         times; we close it over the north pole too (the smaller side), so we check that our output holds \
         the pole and keeps the even-odd area of the unwrapped ring.",
    ),
    (
        "overlap",
        "a self-overlapping swath that crosses the antimeridian five times, once over the north pole; \
         gadomski joins the pieces into three polygons without either pole, we unwrap the ring (net one \
         turn), close it over its smaller side and apply the even-odd rule, so the areas differ. Checked: \
         our area is the even-odd area of the unwrapped ring.",
    ),
    (
        "issues-171",
        "expected keeps only one of the input's two holes (the hole around (0, 82) is lost); we keep every \
         hole, so our area is the expected area minus that hole's area (2 square degrees).",
    ),
];

/// `corpus/geojson/<relative>` in `../shared`, or `None` (with a note) when it may be missing.
fn corpus_path(relative: &str) -> Option<PathBuf> {
    shared_files::shared(&format!("corpus/geojson/{relative}"))
}

fn read_geometries(path: &Path) -> Vec<Geometry<f64>> {
    let text = std::fs::read_to_string(path).unwrap();
    let geojson: geojson::GeoJson = text.parse().unwrap();
    geo::GeometryCollection::<f64>::try_from(&geojson)
        .unwrap()
        .0
}

fn read_geometry(path: &Path) -> Geometry<f64> {
    let mut all = read_geometries(path);
    assert_eq!(all.len(), 1, "{}", path.display());
    all.remove(0)
}

fn polygons_of(geometry: &Geometry<f64>) -> MultiPolygon<f64> {
    match geometry {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(mp) => mp.clone(),
        other => panic!("not a polygon: {other:?}"),
    }
}

fn lines_of(geometry: &Geometry<f64>) -> MultiLineString<f64> {
    match geometry {
        Geometry::LineString(ls) => MultiLineString(vec![ls.clone()]),
        Geometry::MultiLineString(mls) => mls.clone(),
        other => panic!("not a line: {other:?}"),
    }
}

fn all_coords(geometry: &Geometry<f64>) -> Vec<Coord<f64>> {
    use geo::CoordsIter;
    geometry.coords_iter().collect()
}

fn assert_within_bounds(name: &str, geometry: &Geometry<f64>) {
    for c in all_coords(geometry) {
        assert!(
            (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y),
            "{name}: {c:?} is off the map"
        );
    }
}

fn assert_close(name: &str, what: &str, actual: f64, expected: f64, relative: f64) {
    let tolerance = relative * expected.abs().max(1e-9);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{name}: {what} is {actual}, expected {expected} (tolerance {tolerance})"
    );
}

/// Same area, and the two cover the same ground (their symmetric difference is negligible).
fn assert_same_area(name: &str, ours: &MultiPolygon<f64>, expected: &MultiPolygon<f64>) {
    let expected_area = expected.unsigned_area();
    assert_close(name, "area", ours.unsigned_area(), expected_area, 1e-6);
    let difference = ours.xor(expected).unsigned_area();
    assert!(
        difference <= 1e-6 * expected_area,
        "{name}: pieces differ from the expected ones by {difference} square degrees"
    );
}

fn check_known_difference(
    name: &str,
    input: &MultiPolygon<f64>,
    ours: &MultiPolygon<f64>,
    expected: &MultiPolygon<f64>,
) {
    match name {
        "force-north-pole" | "overlap" => {
            let unwrapped: f64 = input.iter().map(unwrapped_area).sum();
            assert_close(name, "area", ours.unsigned_area(), unwrapped, 1e-6);
            if name == "force-north-pole" {
                use geo::Intersects;
                assert!(
                    ours.intersects(&Point::new(0.0, 89.9999)),
                    "{name}: north pole"
                );
            }
        }
        "both-poles" => assert_close(
            name,
            "our area + expected area",
            ours.unsigned_area() + expected.unsigned_area(),
            360.0 * 180.0,
            1e-9,
        ),
        "issues-171" => {
            let lost_hole = Polygon::new(
                LineString::from(vec![(0.0, 81.0), (-1.0, 82.0), (0.0, 83.0), (1.0, 82.0)]),
                vec![],
            );
            assert_same_area(name, &ours.union(&lost_hole), expected);
        }
        other => panic!("{other} is listed in KNOWN_DIFFERENCES without a check"),
    }
}

/// Inputs that have no expected file of their own but are the same shape as another case.
fn expected_name(input: &str) -> &str {
    match input {
        // A hole wound the other way must give the same result (gadomski tests it the same way).
        "one-ccw-hole" => "one-hole",
        other => other,
    }
}

#[test]
fn corpus_inputs_cover_the_same_area_as_their_expected_output() {
    let Some(dir) = corpus_path("antimeridian") else {
        return;
    };
    let entries = std::fs::read_dir(dir.join("input")).unwrap();
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| n.trim_end_matches(".json").to_owned())
        .collect();
    names.sort();
    let mut compared = 0;
    let mut failures = Vec::new();
    for name in &names {
        let outcome = std::panic::catch_unwind(|| check_corpus_case(&dir, name));
        match outcome {
            Ok(true) => compared += 1,
            Ok(false) => {}
            Err(_) => failures.push(name.clone()),
        }
    }
    assert!(
        failures.is_empty(),
        "corpus cases that failed: {failures:?}"
    );
    assert!(compared >= 30, "only {compared} corpus cases compared");
}

/// Checks one corpus case; returns whether it had an expected output to compare with.
fn check_corpus_case(dir: &Path, name: &str) -> bool {
    {
        let input = read_geometry(&dir.join("input").join(format!("{name}.json")));
        let output = split_geometry(&input);
        assert_within_bounds(name, &output);
        let expected_path = dir
            .join("expected_flat")
            .join(format!("{}.json", expected_name(name)));
        if !expected_path.exists() {
            // No reference: a split that needs nothing must change nothing.
            if polygons_of(&input).iter().all(polygon_is_flat) {
                assert_eq!(
                    output, input,
                    "{name}: a flat polygon must come back as it was"
                );
            }
            return false;
        }
        let expected = read_geometry(&expected_path);
        if matches!(
            expected,
            Geometry::LineString(_) | Geometry::MultiLineString(_)
        ) {
            assert_same_lines(name, &lines_of(&output), &lines_of(&expected));
        } else if KNOWN_DIFFERENCES.iter().any(|(n, _)| *n == name) {
            check_known_difference(
                name,
                &polygons_of(&input),
                &polygons_of(&output),
                &polygons_of(&expected),
            );
        } else {
            assert_same_area(name, &polygons_of(&output), &polygons_of(&expected));
        }
        true
    }
}

fn assert_same_lines(name: &str, ours: &MultiLineString<f64>, expected: &MultiLineString<f64>) {
    assert_eq!(ours.0.len(), expected.0.len(), "{name}: {ours:?}");
    for (a, b) in ours.iter().zip(expected.iter()) {
        assert_eq!(a.0.len(), b.0.len(), "{name}: {a:?} vs {b:?}");
        for (p, q) in a.0.iter().zip(&b.0) {
            assert!(
                (p.x - q.x).abs() < 1e-9 && (p.y - q.y).abs() < 1e-9,
                "{name}: {p:?} vs {q:?}"
            );
        }
    }
}

/// The area of a polygon measured on its unwrapped rings, closed over a pole where they circle the globe,
/// under the even-odd rule: what cutting into windows must preserve.
fn unwrapped_area(polygon: &Polygon<f64>) -> f64 {
    let Some(exterior) = unwrap_ring(&polygon.exterior().0) else {
        return 0.0;
    };
    let pole = (exterior.turns != 0).then(|| exterior.smaller_pole());
    let exterior = exterior.closed_over(pole);
    let (lo, hi) = bounding_x(&exterior).unwrap();
    let mut rings = vec![Polygon::new(LineString(exterior), vec![])];
    for ring in polygon.interiors().iter().filter_map(|r| unwrap_ring(&r.0)) {
        let hole_pole = (ring.turns != 0).then(|| pole.unwrap_or_else(|| ring.smaller_pole()));
        let mut hole = ring.closed_over(hole_pole);
        align_to(&mut hole, (lo + hi) / 2.0);
        rings.push(Polygon::new(LineString(hole), vec![]));
    }
    rings
        .iter()
        .fold(MultiPolygon(Vec::new()), |acc, ring| acc.xor(ring))
        .unsigned_area()
}

#[test]
fn natural_earth_crossings_split_without_stripes_and_keep_their_area() {
    let Some(path) =
        corpus_path("realworld/worldatlas50m_antimeridian_fiji_russia_antarctica.geojson")
    else {
        return;
    };
    let geometries = read_geometries(&path);
    assert_eq!(geometries.len(), 3, "Russia, Fiji, Antarctica");
    for geometry in &geometries {
        let before = polygons_of(geometry);
        let after = split_multi_polygon(&before);
        assert_ne!(after, before, "something crossed and was split");
        for ring in after
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        {
            for w in ring.0.windows(2) {
                assert!((w[1].x - w[0].x).abs() <= 180.0, "stripe {:?}", w);
            }
        }
        assert_within_bounds("natural earth", &Geometry::MultiPolygon(after.clone()));
        let expected: f64 = before.iter().map(unwrapped_area).sum();
        assert_close(
            "natural earth",
            "area",
            after.unsigned_area(),
            expected,
            1e-6,
        );
    }
    // Antarctica covers the south pole all the way round: the band from 89.99°S to 89.5°S is entirely
    // inside (world-atlas leaves out a cap of 0.001° around the pole itself).
    let antarctica = split_multi_polygon(&polygons_of(&geometries[2]));
    let band = Rect::new(
        Coord {
            x: -180.0,
            y: -89.99,
        },
        Coord { x: 180.0, y: -89.5 },
    );
    let covered = antarctica.intersection(&band.to_polygon()).unsigned_area();
    assert_close("antarctica", "polar band", covered, 360.0 * 0.49, 1e-6);
    // Splitting what was split changes nothing: no edge of the output looks like a crossing.
    let again = split_multi_polygon(&antarctica);
    assert_eq!(again, antarctica);
}

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )
}

#[test]
fn polygon_without_crossing_comes_back_unchanged() {
    let p = square(10.0, 10.0, 20.0, 20.0);
    assert_eq!(split_polygon(&p), MultiPolygon(vec![p.clone()]));
    assert_eq!(
        split_geometry(&Geometry::Polygon(p.clone())),
        Geometry::Polygon(p)
    );
}

#[test]
fn polygon_crossing_splits_into_two_halves_with_its_hole() {
    let mut p = square(170.0, -10.0, 190.0, 10.0);
    p.interiors_push(LineString::from(vec![
        (178.0, -1.0),
        (-178.0, -1.0),
        (-178.0, 1.0),
        (178.0, 1.0),
    ]));
    let split = split_polygon(&p);
    assert_eq!(split.0.len(), 2);
    assert_close("hole", "area", split.unsigned_area(), 400.0 - 8.0, 1e-9);
}

#[test]
fn clockwise_and_counter_clockwise_pole_rings_give_the_same_cap() {
    let east = LineString::from(vec![
        (0.0, 60.0),
        (120.0, 60.0),
        (-120.0, 60.0),
        (0.0, 60.0),
    ]);
    let mut west = east.clone();
    west.0.reverse();
    for ring in [east, west] {
        let split = split_polygon(&Polygon::new(ring, vec![]));
        assert_close("cap", "area", split.unsigned_area(), 360.0 * 30.0, 1e-9);
    }
}

#[test]
fn odd_input_does_not_panic() {
    let empty = Polygon::new(LineString::new(vec![]), vec![]);
    assert_eq!(split_polygon(&empty).0.len(), 1, "nothing to split");
    let nan = Polygon::new(
        LineString::from(vec![
            (f64::NAN, 0.0),
            (170.0, 0.0),
            (-170.0, 1.0),
            (-170.0, 2.0),
        ]),
        vec![],
    );
    assert!(
        split_polygon(&nan)
            .iter()
            .all(|p| p.unsigned_area().is_finite())
    );
    let one_point = Polygon::new(LineString::from(vec![(200.0, 0.0)]), vec![]);
    assert!(split_polygon(&one_point).0.is_empty());
    let line = LineString::from(vec![(f64::NAN, 0.0), (190.0, 0.0)]);
    assert!(split_line_string(&line).0.is_empty());
    assert!(split_line_string(&LineString::new(vec![])).0.len() <= 1);
}

#[test]
fn lines_split_at_each_crossing_and_points_are_normalised() {
    let line = LineString::from(vec![(170.0, 0.0), (-170.0, 10.0), (170.0, 20.0)]);
    let split = split_line_string(&line);
    assert_eq!(split.0.len(), 3);
    assert_eq!(
        split.0[1].0,
        vec![
            Coord { x: -180.0, y: 5.0 },
            Coord { x: -170.0, y: 10.0 },
            Coord { x: -180.0, y: 15.0 }
        ]
    );
    let p = split_geometry(&Geometry::Point(Point::new(190.0, 5.0)));
    assert_eq!(p, Geometry::Point(Point::new(-170.0, 5.0)));
    let p = split_geometry(&Geometry::Point(Point::new(180.0, 5.0)));
    assert_eq!(p, Geometry::Point(Point::new(180.0, 5.0)));
}

/// Timings on the whole 10m world (release): `DEMARCHE_WORLD_GEOJSON=/path/countries-10m.geojson
/// cargo test --release split_whole_world -- --ignored --nocapture`.
#[test]
#[ignore = "needs a world GeoJSON; measures speed"]
fn split_whole_world_timing() {
    let Ok(path) = std::env::var("DEMARCHE_WORLD_GEOJSON") else {
        eprintln!("note: DEMARCHE_WORLD_GEOJSON unset; skipped");
        return;
    };
    let geometries = read_geometries(Path::new(&path));
    let vertices: usize = geometries.iter().map(|g| all_coords(g).len()).sum();
    let start = std::time::Instant::now();
    let split: Vec<Geometry<f64>> = geometries.iter().map(split_geometry).collect();
    let elapsed = start.elapsed();
    let changed = split
        .iter()
        .zip(&geometries)
        .filter(|(a, b)| a != b)
        .count();
    for g in &geometries {
        let start = std::time::Instant::now();
        let out = split_geometry(g);
        let took = start.elapsed();
        if out != *g {
            eprintln!("  {} vertices: {took:?}", all_coords(g).len());
        }
    }
    eprintln!(
        "split {} features, {vertices} vertices, {changed} changed, in {elapsed:?}",
        geometries.len()
    );
}
