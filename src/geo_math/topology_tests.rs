//! Tests for shared arcs: hand-made neighbours and Natural Earth borders.

use super::*;
use std::collections::HashSet;
use std::path::Path;

use crate::geo_math::shared_files;

fn ring(points: &[(f64, f64)]) -> Vec<Coord<f64>> {
    let mut coords: Vec<Coord<f64>> = points.iter().map(|&(x, y)| Coord { x, y }).collect();
    coords.push(coords[0]);
    coords
}

fn build_from(rings: &[Vec<Coord<f64>>]) -> Topology {
    let slices: Vec<&[Coord<f64>]> = rings.iter().map(Vec::as_slice).collect();
    build(&slices)
}

fn key_set(coords: &[Coord<f64>]) -> HashSet<(u64, u64)> {
    coords.iter().map(|&c| vertex_key(c)).collect()
}

/// How many rings use each arc.
fn arc_uses(topology: &Topology) -> Vec<usize> {
    let mut uses = vec![0; topology.arcs.len()];
    for r in topology.rings.iter().flatten() {
        uses[r.arc] += 1;
    }
    uses
}

/// Every ring reassembled from the unsimplified arcs is the input ring, up to where it starts.
fn assert_rings_round_trip(rings: &[Vec<Coord<f64>>], topology: &Topology) {
    for (i, input) in rings.iter().enumerate() {
        let Some(out) = ring_coords(topology, &topology.arcs, i) else {
            continue;
        };
        assert_eq!(out.first(), out.last(), "ring {i} is closed");
        let cycle = &out[..out.len() - 1];
        let mut expected: Vec<Coord<f64>> = input.clone();
        expected.dedup();
        expected.pop();
        let start = expected.iter().position(|c| *c == cycle[0]).unwrap();
        expected.rotate_left(start);
        assert_eq!(cycle, expected.as_slice(), "ring {i}");
    }
}

#[test]
fn two_squares_share_their_common_edge_as_one_arc() {
    let rings = [
        ring(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        ring(&[(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0)]),
    ];
    let topology = build_from(&rings);
    assert_eq!(topology.arcs.len(), 3);
    let shared = arc_uses(&topology).iter().position(|&n| n == 2).unwrap();
    assert_eq!(
        key_set(&topology.arcs[shared]),
        key_set(&[Coord { x: 1.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }])
    );
    let directions: Vec<bool> = topology
        .rings
        .iter()
        .flatten()
        .filter(|r| r.arc == shared)
        .map(|r| r.reversed)
        .collect();
    assert_eq!(directions.len(), 2);
    assert_ne!(
        directions[0], directions[1],
        "one ring runs along it backwards"
    );
    assert_rings_round_trip(&rings, &topology);
}

#[test]
fn a_jagged_shared_border_simplifies_identically_on_both_sides() {
    // A zigzag border along x = 0 between a western and an eastern rectangle.
    let border: Vec<(f64, f64)> = (0..=20)
        .map(|i| (if i % 2 == 0 { 0.0 } else { 0.1 }, f64::from(i) * 0.5))
        .collect();
    let mut west = vec![(-5.0, 10.0), (-5.0, 0.0)];
    west.extend(&border);
    let mut east: Vec<(f64, f64)> = border.iter().rev().copied().collect();
    east.extend([(5.0, 0.0), (5.0, 10.0)]);
    let rings = [ring(&west), ring(&east)];
    let topology = build_from(&rings);
    assert_rings_round_trip(&rings, &topology);

    let simplified = simplify_arcs(&topology, 0.5);
    let near_border = |coords: Vec<Coord<f64>>| -> HashSet<(u64, u64)> {
        coords
            .into_iter()
            .filter(|c| c.x.abs() < 1.0)
            .map(vertex_key)
            .collect()
    };
    let west_border = near_border(ring_coords(&topology, &simplified, 0).unwrap());
    let east_border = near_border(ring_coords(&topology, &simplified, 1).unwrap());
    assert_eq!(west_border, east_border);
    assert_eq!(
        west_border,
        key_set(&[Coord { x: 0.0, y: 0.0 }, Coord { x: 0.0, y: 10.0 }]),
        "the zigzag is gone, its junctions stay"
    );
}

#[test]
fn a_ring_without_neighbours_is_one_closed_arc() {
    let island = ring(&[(3.0, 3.0), (4.0, 3.0), (4.5, 4.0), (3.5, 4.5)]);
    let rings = [island];
    let topology = build_from(&rings);
    assert_eq!(topology.arcs.len(), 1);
    assert_eq!(topology.arcs[0].first(), topology.arcs[0].last());
    assert_rings_round_trip(&rings, &topology);
    // A coarse tolerance keeps the island's farthest vertex, but a triangle's worth of points is still
    // reported as a collapse only when fewer than three distinct vertices remain.
    let coarse = simplify_arcs(&topology, 10.0);
    assert_eq!(ring_coords(&topology, &coarse, 0), None);
    let fine = simplify_arcs(&topology, 0.01);
    assert_eq!(ring_coords(&topology, &fine, 0).unwrap().len(), 5);
}

#[test]
fn three_polygons_meeting_at_a_point_share_a_junction() {
    let rings = [
        ring(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        ring(&[(0.0, 0.0), (0.0, 1.0), (-1.0, 1.0), (-1.0, 0.0)]),
        ring(&[
            (0.0, 0.0),
            (-1.0, 0.0),
            (-1.0, -1.0),
            (1.0, -1.0),
            (1.0, 0.0),
        ]),
    ];
    let topology = build_from(&rings);
    // Three shared edges from the centre, and each polygon's own outer path.
    assert_eq!(topology.arcs.len(), 6);
    assert_eq!(arc_uses(&topology).iter().filter(|&&n| n == 2).count(), 3);
    let centre = Coord { x: 0.0, y: 0.0 };
    let ending_at_centre = topology
        .arcs
        .iter()
        .filter(|a| a.first() == Some(&centre) || a.last() == Some(&centre))
        .count();
    assert_eq!(ending_at_centre, 3);
    assert_rings_round_trip(&rings, &topology);
}

#[test]
fn an_enclave_and_the_hole_around_it_share_one_arc() {
    let enclave = ring(&[(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0)]);
    // The same square, backwards and from another corner, as the hole of the surrounding country.
    let hole = ring(&[(2.0, 1.0), (1.0, 1.0), (1.0, 2.0), (2.0, 2.0)]);
    let rings = [
        ring(&[(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 3.0)]),
        hole,
        enclave,
    ];
    let topology = build_from(&rings);
    assert_eq!(topology.arcs.len(), 2);
    assert_eq!(topology.rings[1][0].arc, topology.rings[2][0].arc);
    assert_ne!(topology.rings[1][0].reversed, topology.rings[2][0].reversed);
    assert_rings_round_trip(&rings, &topology);
}

#[test]
fn douglas_peucker_matches_geo() {
    use geo::{LineString, Simplify};
    let path: Vec<Coord<f64>> = (0..500)
        .map(|i| {
            let t = f64::from(i) * 0.05;
            Coord {
                x: t,
                y: (t * 3.0).sin() * (t * 0.7).cos() * 2.0,
            }
        })
        .collect();
    for tolerance in [0.001, 0.05, 0.3, 5.0] {
        let ours = douglas_peucker(&path, tolerance);
        let geos = LineString(path.clone()).simplify(tolerance).0;
        assert_eq!(ours, geos, "tolerance {tolerance}");
    }
}

/// Douglas-Peucker works a span's distances out together and then finds the farthest: the same distances,
/// to the bit, as one point at a time (at a zigzag of equal teeth, repeated positions, a path that doubles
/// back, a long random coast and positions that are not finite), and the same farthest point as
/// `Iterator::max_by` with `total_cmp` (the last of equals, not-a-number and both zeros included), so it
/// keeps the points it kept when it did both a point at a time.
#[test]
fn douglas_peucker_finds_the_distances_and_the_farthest_as_one_point_at_a_time() {
    let zigzag: Vec<Coord<f64>> = (0..301)
        .map(|i| Coord {
            x: f64::from(i),
            y: if i % 2 == 0 { 0.0 } else { 1.5 },
        })
        .collect();
    let mut repeats = zigzag.clone();
    repeats.insert(40, repeats[40]);
    repeats.insert(41, repeats[40]);
    let there_and_back: Vec<Coord<f64>> = (0..50)
        .chain((0..50).rev())
        .map(|i| Coord {
            x: f64::from(i) * 0.3,
            y: (f64::from(i) * 0.4).sin(),
        })
        .collect();
    // A coast: a walk of 5,000 steps, each turned a little at random (the same walk every time).
    let mut seed = 11u64;
    let mut heading = 0.0f64;
    let mut at = Coord { x: 0.0, y: 0.0 };
    let coast: Vec<Coord<f64>> = (0..5_000)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            heading += ((seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1.2;
            at = Coord {
                x: at.x + heading.cos() * 0.05,
                y: at.y + heading.sin() * 0.05,
            };
            at
        })
        .collect();
    // Not a number and infinities (a projection's edge).
    let odd: Vec<Coord<f64>> = [
        (0.0, 0.0),
        (1.0, f64::NAN),
        (2.0, 1.0),
        (3.0, f64::INFINITY),
        (4.0, 0.0),
        (5.0, -f64::NAN),
        (6.0, 5.0),
        (6.0, 5.0),
        (7.0, 0.0),
    ]
    .map(|(x, y)| Coord { x, y })
    .to_vec();
    let max_by = |d: &[f64]| {
        d.iter()
            .copied()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .expect("not empty")
    };
    let same = |a: (usize, f64), b: (usize, f64)| a.0 == b.0 && a.1.to_bits() == b.1.to_bits();
    for path in [&zigzag, &repeats, &there_and_back, &coast, &odd] {
        let n = path.len();
        for (a, b) in [
            (path[0], path[n - 1]),
            (path[3], path[3]),
            (path[1], path[n / 2]),
        ] {
            let mut together = vec![0.0; n];
            segment_distances_sq(path, a, b, &mut together);
            for (p, d) in path.iter().zip(&together) {
                assert_eq!(d.to_bits(), segment_distance_sq(*p, a, b).to_bits());
            }
            for span in [&together[..], &together[1..n / 3], &together[n - 2..]] {
                assert!(same(farthest(span), max_by(span)), "{span:?}");
            }
        }
    }
    for d in [
        vec![0.0, -0.0, 0.0, -0.0],
        vec![1.0, f64::NAN, 2.0, f64::NAN],
        vec![-f64::NAN, f64::INFINITY, 3.0, f64::INFINITY],
        vec![2.0],
    ] {
        assert!(same(farthest(&d), max_by(&d)), "{d:?}");
    }
    // On a smooth path (no ties), the points kept are `geo::Simplify`'s too.
    for tolerance in [0.01, 0.1, 1.0] {
        let smooth = &coast[..400];
        let geos = geo::Simplify::simplify(&geo::LineString(smooth.to_vec()), tolerance).0;
        assert_eq!(douglas_peucker(smooth, tolerance), geos);
    }
}

#[test]
fn odd_rings_are_skipped_without_panicking() {
    let nan = ring(&[(0.0, 0.0), (f64::NAN, 1.0), (1.0, 1.0)]);
    let point = vec![Coord { x: 1.0, y: 1.0 }];
    let line = ring(&[(0.0, 0.0), (1.0, 1.0)]);
    let topology = build_from(&[nan, point, line, Vec::new()]);
    assert!(topology.arcs.is_empty());
    assert!(topology.rings.iter().all(Vec::is_empty));
    assert_eq!(topology.rings.len(), 4);
    assert_eq!(ring_coords(&topology, &topology.arcs, 0), None);
    assert_eq!(ring_coords(&topology, &topology.arcs, 9), None);
}

fn polygon_rings(path: &Path) -> Vec<Vec<Coord<f64>>> {
    use geo::{Geometry, GeometryCollection};
    let text = std::fs::read_to_string(path).unwrap();
    let geojson: geojson::GeoJson = text.parse().unwrap();
    let mut rings = Vec::new();
    for geometry in GeometryCollection::<f64>::try_from(&geojson).unwrap() {
        let polygons = match geometry {
            Geometry::Polygon(p) => vec![p],
            Geometry::MultiPolygon(mp) => mp.0,
            _ => Vec::new(),
        };
        for p in polygons {
            rings.push(p.exterior().0.clone());
            rings.extend(p.interiors().iter().map(|r| r.0.clone()));
        }
    }
    rings
}

/// After simplification, every vertex of an arc shared by several rings is in each of those rings: the
/// neighbours still meet exactly, with no gap.
fn assert_shared_arcs_have_no_gaps(topology: &Topology, tolerance: f64) {
    let simplified = simplify_arcs(topology, tolerance);
    let reassembled: Vec<Option<HashSet<(u64, u64)>>> = (0..topology.rings.len())
        .map(|i| ring_coords(topology, &simplified, i).map(|c| key_set(&c)))
        .collect();
    let mut shared = 0;
    for (arc, uses) in arc_uses(topology).into_iter().enumerate() {
        if uses < 2 {
            continue;
        }
        shared += 1;
        let users = topology
            .rings
            .iter()
            .enumerate()
            .filter(|(_, refs)| refs.iter().any(|r| r.arc == arc));
        for (ring, _) in users {
            let Some(vertices) = &reassembled[ring] else {
                continue;
            };
            for c in &simplified[arc] {
                assert!(vertices.contains(&vertex_key(*c)), "ring {ring} lost {c:?}");
            }
        }
    }
    assert!(shared > 0, "neighbours were found");
}

#[test]
fn natural_earth_neighbours_keep_a_common_border_after_simplification() {
    let Some(path) =
        shared_files::shared("corpus/geojson/realworld/worldatlas10m_selfintersecting_ME.geojson")
    else {
        return;
    };
    let rings = polygon_rings(&path);
    let topology = build_from(&rings);
    assert_rings_round_trip(&rings, &topology);
    for tolerance in [0.01, 0.1, 1.0] {
        assert_shared_arcs_have_no_gaps(&topology, tolerance);
    }
}

/// Timings on the whole 10m world (release): `DEMARCHE_WORLD_GEOJSON=/path/countries-10m.geojson
/// cargo test --release topology_whole_world -- --ignored --nocapture`.
#[test]
#[ignore = "needs a world GeoJSON; measures speed"]
fn topology_whole_world_timing() {
    let Ok(path) = std::env::var("DEMARCHE_WORLD_GEOJSON") else {
        eprintln!("note: DEMARCHE_WORLD_GEOJSON unset; skipped");
        return;
    };
    let rings = polygon_rings(Path::new(&path));
    let slices: Vec<&[Coord<f64>]> = rings.iter().map(Vec::as_slice).collect();
    let vertices: usize = slices.iter().map(|r| r.len()).sum();
    let start = std::time::Instant::now();
    let topology = build(&slices);
    let built = start.elapsed();
    let start = std::time::Instant::now();
    let simplified = simplify_arcs(&topology, 0.1);
    let simplified_in = start.elapsed();
    let kept: usize = simplified.iter().map(Vec::len).sum();
    let shared = arc_uses(&topology).iter().filter(|&&n| n > 1).count();
    eprintln!(
        "{} rings, {vertices} vertices: {} arcs ({shared} shared) built in {built:?}; \
         simplified at 0.1° to {kept} vertices in {simplified_in:?}",
        rings.len(),
        topology.arcs.len()
    );
    for coarse in [0.5, 2.0] {
        let start = std::time::Instant::now();
        let kept: usize = simplify_arcs(&topology, coarse).iter().map(Vec::len).sum();
        eprintln!("  at {coarse}°: {kept} vertices in {:?}", start.elapsed());
    }
    assert_shared_arcs_have_no_gaps(&topology, 0.1);
}
