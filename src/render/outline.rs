//! The outline of a triangle mesh: the rings around the area its triangles cover.
//!
//! The scene keeps filled areas as triangles (what the window's GPU wants). A file backend wants outlines
//! instead: filling triangles one by one with antialiasing leaves faint seams along their shared edges, and
//! an SVG of thousands of triangles is no drawing anyone can edit. Every triangle is turned counter-clockwise
//! (on screen, y down: clockwise in the maths convention, it does not matter which as long as all agree),
//! so an edge shared by two neighbours is walked once each way and cancels; what is left are the rings of
//! the outline, holes included, walked so that the area inside has a winding number of one. Filled with the
//! non-zero rule they cover exactly what the triangles cover, overlapping triangles included.

use crate::scene::Pt;

/// Closed rings of vertex indices (the first vertex is not repeated at the end).
pub fn rings(vertices: &[Pt], indices: &[u32]) -> Vec<Vec<u32>> {
    // Each directed edge of each (re-oriented) triangle, keyed by its undirected pair; +1 or -1 by direction.
    let mut edges: Vec<(u64, i32)> = Vec::with_capacity(indices.len());
    for tri in indices.chunks_exact(3) {
        let (a, b, c) = (tri[0], tri[1], tri[2]);
        let (Some(pa), Some(pb), Some(pc)) = (
            vertices.get(a as usize),
            vertices.get(b as usize),
            vertices.get(c as usize),
        ) else {
            continue;
        };
        let cross = (f64::from(pb[0]) - f64::from(pa[0])) * (f64::from(pc[1]) - f64::from(pa[1]))
            - (f64::from(pb[1]) - f64::from(pa[1])) * (f64::from(pc[0]) - f64::from(pa[0]));
        if !cross.is_finite() || cross == 0.0 {
            continue; // Covers nothing.
        }
        let (b, c) = if cross > 0.0 { (b, c) } else { (c, b) };
        for (from, to) in [(a, b), (b, c), (c, a)] {
            edges.push(if from < to {
                (key(from, to), 1)
            } else {
                (key(to, from), -1)
            });
        }
    }
    // In order of their keys: the vertex first (a counting sort, linear in the edges), then the other end.
    let edges = sort_by_vertex(&edges, vertices.len(), |e| (e.0 >> 32) as u32, |e| e.0);

    // The edges left once opposite ones cancel, as (from, to).
    let mut boundary: Vec<(u32, u32)> = Vec::new();
    let mut i = 0;
    while i < edges.len() {
        let k = edges[i].0;
        let mut net = 0;
        while i < edges.len() && edges[i].0 == k {
            net += edges[i].1;
            i += 1;
        }
        let (lo, hi) = ((k >> 32) as u32, k as u32);
        let edge = if net > 0 { (lo, hi) } else { (hi, lo) };
        for _ in 0..net.unsigned_abs() {
            boundary.push(edge);
        }
    }

    // Chain them: at every vertex as many edges leave as arrive, so each walk comes back to where it began.
    let boundary = sort_by_vertex(&boundary, vertices.len(), |e| e.0, |e| key(e.0, e.1));
    let mut used = vec![false; boundary.len()];
    // Edges leaving vertex v are boundary[first(v)..]; a cursor per start skips the used ones.
    let first_from = |v: u32| boundary.partition_point(|e| e.0 < v);
    let mut cursor: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for start in 0..boundary.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let origin = boundary[start].0;
        let mut ring = vec![origin];
        let mut at = boundary[start].1;
        while at != origin {
            ring.push(at);
            let pos = cursor.entry(at).or_insert_with(|| first_from(at));
            while *pos < boundary.len() && boundary[*pos].0 == at && used[*pos] {
                *pos += 1;
            }
            if *pos >= boundary.len() || boundary[*pos].0 != at {
                break; // Cannot happen for a mesh of triangles; stop rather than loop.
            }
            used[*pos] = true;
            at = boundary[*pos].1;
        }
        if ring.len() >= 3 {
            out.push(ring);
        }
    }
    out
}

fn key(lo: u32, hi: u32) -> u64 {
    (u64::from(lo) << 32) | u64::from(hi)
}

/// `items` in the order of `key`, whose high half is `vertex` (below `vertices`): counted out by vertex,
/// then each vertex's few sorted by `key`. The same order as sorting by `key`, in time linear in the items
/// rather than `n log n` (the outlines of a world map's countries sort hundreds of thousands of edges).
fn sort_by_vertex<T: Copy>(
    items: &[T],
    vertices: usize,
    vertex: impl Fn(&T) -> u32,
    key: impl Fn(&T) -> u64,
) -> Vec<T> {
    let Some(&any) = items.first() else {
        return Vec::new();
    };
    // starts[v]: where vertex v's items begin.
    let mut starts = vec![0usize; vertices + 1];
    for item in items {
        starts[vertex(item) as usize + 1] += 1;
    }
    for v in 0..vertices {
        starts[v + 1] += starts[v];
    }
    let mut sorted = vec![any; items.len()];
    let mut next = starts.clone();
    for item in items {
        let at = &mut next[vertex(item) as usize];
        sorted[*at] = *item;
        *at += 1;
    }
    for run in starts.windows(2) {
        if run[1] - run[0] > 1 {
            sorted[run[0]..run[1]].sort_unstable_by_key(&key);
        }
    }
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(vertices: &[Pt], ring: &[u32]) -> f32 {
        let n = ring.len();
        (0..n)
            .map(|i| {
                let a = vertices[ring[i] as usize];
                let b = vertices[ring[(i + 1) % n] as usize];
                a[0] * b[1] - b[0] * a[1]
            })
            .sum::<f32>()
            / 2.0
    }

    #[test]
    fn a_square_of_two_triangles_is_one_ring_of_four() {
        let v = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        // One triangle each way round: the outline does not depend on the triangles' winding.
        let r = rings(&v, &[0, 1, 2, 0, 3, 2]);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].len(), 4);
        assert!((area(&v, &r[0]).abs() - 100.0).abs() < 1e-3);
    }

    #[test]
    fn a_hole_is_a_second_ring_walked_the_other_way() {
        // A 3x3 grid of squares without the middle one.
        let mut v = Vec::new();
        for y in 0..4 {
            for x in 0..4 {
                v.push([x as f32, y as f32]);
            }
        }
        let mut idx = Vec::new();
        for y in 0..3u32 {
            for x in 0..3u32 {
                if (x, y) == (1, 1) {
                    continue;
                }
                let i = y * 4 + x;
                idx.extend([i, i + 1, i + 5, i, i + 5, i + 4]);
            }
        }
        let r = rings(&v, &idx);
        assert_eq!(r.len(), 2, "{r:?}");
        let mut areas: Vec<f32> = r.iter().map(|ring| area(&v, ring)).collect();
        areas.sort_by(f32::total_cmp);
        // Opposite signs: the hole is not filled under the non-zero rule.
        assert!(areas[0] * areas[1] < 0.0, "{areas:?}");
        let sizes: Vec<f32> = areas.iter().map(|a| a.abs()).collect();
        assert!(sizes.contains(&9.0) && sizes.contains(&1.0), "{sizes:?}");
    }

    /// The edges sorted by key with the standard library: what [`sort_by_vertex`] must give.
    #[test]
    fn counting_out_by_vertex_sorts_as_the_keys_do() {
        let mut seed = 7u64;
        let mut random = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        for (count, vertices) in [(0, 5), (1, 1), (50, 3), (2_000, 40), (5_000, 5_000)] {
            let edges: Vec<(u64, i32)> = (0..count)
                .map(|_| {
                    let (lo, hi) = (random(vertices) as u32, random(vertices) as u32);
                    (key(lo, hi), if random(2) == 0 { 1 } else { -1 })
                })
                .collect();
            let ours = sort_by_vertex(&edges, vertices as usize, |e| (e.0 >> 32) as u32, |e| e.0);
            let mut theirs = edges.clone();
            theirs.sort_by_key(|e| e.0);
            let keys = |v: &[(u64, i32)]| v.iter().map(|e| e.0).collect::<Vec<_>>();
            assert_eq!(keys(&ours), keys(&theirs), "{count} edges");
            let mut both = ours.clone();
            both.sort();
            theirs.sort();
            assert_eq!(both, theirs, "the same edges");
        }
    }

    /// A grid of squares with holes, each square cut into two triangles either way: the rings go round the
    /// grid and each hole, in the order the edges were sorted before (by their vertices).
    #[test]
    fn the_rings_of_a_grid_with_holes_are_found_in_vertex_order() {
        let n = 12u32;
        let v: Vec<Pt> = (0..=n)
            .flat_map(|y| (0..=n).map(move |x| [x as f32, y as f32]))
            .collect();
        let mut idx = Vec::new();
        for y in 0..n {
            for x in 0..n {
                if (x % 4 == 1 && y % 4 == 1) || (x, y) == (6, 9) {
                    continue;
                }
                let i = y * (n + 1) + x;
                let (a, b, c, d) = (i, i + 1, i + n + 2, i + n + 1);
                if (x + y) % 2 == 0 {
                    idx.extend([a, b, c, a, c, d]);
                } else {
                    idx.extend([a, b, d, b, c, d]);
                }
            }
        }
        let r = rings(&v, &idx);
        // The border and nine holes (one of them two squares wide).
        assert_eq!(r.len(), 10, "{r:?}");
        assert_eq!(r[0][0], 0, "the first ring starts at the lowest vertex");
        let starts: Vec<u32> = r.iter().map(|ring| ring[0]).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        let total: f32 = r.iter().map(|ring| area(&v, ring)).sum();
        assert!((total.abs() - (144.0 - 10.0)).abs() < 1e-3, "{total}");
    }

    #[test]
    fn separate_and_degenerate_triangles() {
        let v = [
            [0.0, 0.0],
            [1.0, 0.0],
            [0.0, 1.0],
            [5.0, 5.0],
            [6.0, 5.0],
            [5.0, 6.0],
            [7.0, 7.0],
        ];
        // Two separate triangles, one flat one, one out of range: two rings.
        let r = rings(&v, &[0, 1, 2, 3, 4, 5, 6, 6, 6, 0, 1, 99]);
        assert_eq!(r.len(), 2, "{r:?}");
    }
}
