//! Shared arcs between rings, so that neighbouring polygons simplify to the same border.
//!
//! Simplifying each country on its own simplifies a shared border twice, differently on each side, and
//! opens gaps and overlaps along it. As TopoJSON does, rings are cut at their *junctions* (vertices where
//! the rings that share them part ways) into arcs, and an arc shared by two rings is stored once. Each arc
//! is then simplified once, with its end points fixed, and both neighbours are reassembled from the same
//! simplified arc: their border stays identical at every tolerance.
//!
//! Vertices are matched by their exact bits, which suits data whose neighbours share vertices exactly
//! (Natural Earth through world-atlas is quantised). Odd input is skipped rather than trusted: a ring with a
//! non-finite coordinate, or fewer than three distinct vertices, gets no arcs.

use geo::Coord;
use rayon::prelude::*;
use std::hash::Hasher;
use std::ops::Range;

/// One use of an arc by a ring: which arc, and whether the ring runs along it backwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArcRef {
    pub arc: usize,
    pub reversed: bool,
}

/// The arcs one ring is made of, in order; empty for a ring that was skipped.
pub type RingArcs = Vec<ArcRef>;

/// Rings described as sequences of shared arcs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Topology {
    /// Every arc once. An arc runs from one junction to the next; a ring without junctions is a single
    /// closed arc (its first vertex repeated at the end).
    pub arcs: Vec<Vec<Coord<f64>>>,
    /// For each input ring, in input order, the arcs that make it up.
    pub rings: Vec<RingArcs>,
}

/// A fast hash for vertex keys and arc keys; they are plain numbers, so SipHash's protection against
/// chosen keys buys nothing here and costs a third of the build time.
#[derive(Default)]
struct NumberHasher(u64);

impl Hasher for NumberHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

impl NumberHasher {
    fn add(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// A vertex's identity: its exact bits, with -0.0 read as 0.0.
fn vertex_key(c: Coord<f64>) -> (u64, u64) {
    ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
}

/// The vertices met so far: each once, by id, in `coords`; the table holds only the ids (4 bytes a slot,
/// where a map from both coordinates' bits to the id takes 24: 10 MB rather than 50 MB for the 1:10m world,
/// whose coasts make most of its 950,000 positions distinct).
struct Vertices {
    table: hashbrown::HashTable<u32>,
    coords: Vec<Coord<f64>>,
}

fn key_hash(key: (u64, u64)) -> u64 {
    let mut h = NumberHasher::default();
    h.write_u64(key.0);
    h.write_u64(key.1);
    h.finish()
}

impl Vertices {
    fn with_capacity(n: usize) -> Self {
        Self {
            table: hashbrown::HashTable::with_capacity(n),
            coords: Vec::with_capacity(n),
        }
    }

    /// The id of the vertex at `c`, if it was met.
    fn find(&self, c: Coord<f64>) -> Option<u32> {
        let key = vertex_key(c);
        self.table
            .find(key_hash(key), |&id| {
                vertex_key(self.coords[id as usize]) == key
            })
            .copied()
    }

    /// The id of the vertex at `c`, made when it is new.
    fn id(&mut self, c: Coord<f64>) -> u32 {
        let key = vertex_key(c);
        let hash = key_hash(key);
        let coords = &self.coords;
        if let Some(&id) = self
            .table
            .find(hash, |&id| vertex_key(coords[id as usize]) == key)
        {
            return id;
        }
        let id = self.coords.len() as u32;
        self.coords.push(c);
        let coords = &self.coords;
        self.table
            .insert_unique(hash, id, |&id| key_hash(vertex_key(coords[id as usize])));
        id
    }
}

/// A ring as a cycle of vertex ids: no repeated closing vertex, no consecutive duplicates.
fn ring_cycle(ring: &[Coord<f64>], vertices: &mut Vertices) -> Vec<u32> {
    if ring.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
        return Vec::new();
    }
    let mut cycle: Vec<u32> = Vec::with_capacity(ring.len());
    for &c in ring {
        let id = vertices.id(c);
        if cycle.last() != Some(&id) {
            cycle.push(id);
        }
    }
    while cycle.len() > 1 && cycle.first() == cycle.last() {
        cycle.pop();
    }
    if cycle.len() < 3 {
        return Vec::new();
    }
    cycle
}

/// Builds the topology of a set of rings (closed or not; each is read as a cycle).
pub fn build(rings: &[&[Coord<f64>]]) -> Topology {
    let total: usize = rings.iter().map(|r| r.len()).sum();
    let mut builder = Builder::with_capacity(total);
    for ring in rings {
        builder.add_ring(ring);
    }
    builder.finish()
}

/// Builds a topology ring by ring, so that the caller need not hold every ring at once (the 1:10m world's
/// rings in world coordinates take 12 MB): each ring is kept only as the ids of its vertices.
pub struct Builder {
    vertices: Vertices,
    cycles: Vec<Vec<u32>>,
    /// Per vertex, its neighbours in the first ring that met it, and whether a later ring parted from
    /// them there (a junction): kept up as rings come, so that little is left to do at the end.
    neighbours: Vec<(u32, u32)>,
    junction: Vec<bool>,
    /// Positions that are junctions whatever the rings added say ([`Builder::add_junction`]).
    junctions: Vec<Coord<f64>>,
}

impl std::fmt::Debug for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("vertices", &self.vertices.coords.len())
            .field("rings", &self.cycles.len())
            .finish()
    }
}

impl Builder {
    /// A builder with room for about `positions` positions.
    pub fn with_capacity(positions: usize) -> Self {
        Self {
            vertices: Vertices::with_capacity(positions),
            cycles: Vec::new(),
            neighbours: Vec::with_capacity(positions),
            junction: Vec::with_capacity(positions),
            junctions: Vec::new(),
        }
    }

    /// Makes the vertex at `c` a junction (if a ring has it), whatever the rings added say: where a source
    /// that already had shared arcs had one end of an arc. Then the arcs of a part of the source's rings
    /// are the whole source's arcs cut to that part, so that part simplifies as it does in the whole.
    pub fn add_junction(&mut self, c: Coord<f64>) {
        self.junctions.push(c);
    }

    /// The number of rings added: the index the next ring gets.
    pub fn ring_count(&self) -> usize {
        self.cycles.len()
    }

    /// Adds a ring (closed or not; read as a cycle).
    pub fn add_ring(&mut self, ring: &[Coord<f64>]) {
        let cycle = ring_cycle(ring, &mut self.vertices);
        let count = self.vertices.coords.len();
        self.neighbours.resize(count, UNSEEN);
        self.junction.resize(count, false);
        note_junctions(&cycle, &mut self.neighbours, &mut self.junction);
        self.cycles.push(cycle);
    }

    /// The topology of the rings added, in the order they were added.
    pub fn finish(self) -> Topology {
        let Self {
            vertices,
            cycles,
            neighbours,
            junction: mut junctions,
            junctions: given,
        } = self;
        drop(neighbours);
        for c in given {
            if let Some(id) = vertices.find(c) {
                junctions[id as usize] = true;
            }
        }
        let Vertices { table, coords } = vertices;
        drop(table);

        // Each arc once, as the ids of its vertices in its stored direction (one buffer for all, so a path
        // met again costs no allocation): a table of arc indices hashed by those ids.
        let mut arc_ids = hashbrown::HashTable::<u32>::with_capacity(cycles.len() * 2);
        let mut arc_vertices: Vec<u32> = Vec::with_capacity(coords.len() * 5 / 4);
        let mut arc_ranges: Vec<Range<usize>> = Vec::with_capacity(cycles.len() * 2);
        let mut arcs: Vec<Vec<Coord<f64>>> = Vec::with_capacity(cycles.len() * 2);
        let mut ring_arcs = Vec::with_capacity(cycles.len());
        let mut path = Vec::new();
        for cycle in &cycles {
            let mut refs = RingArcs::new();
            for_each_path(cycle, &junctions, &mut path, |path| {
                let reversed = runs_backwards(path);
                let hash = if reversed {
                    path_hash(path.iter().rev())
                } else {
                    path_hash(path.iter())
                };
                let same = |&arc: &u32| {
                    let stored = &arc_vertices[arc_ranges[arc as usize].clone()];
                    stored.len() == path.len()
                        && if reversed {
                            stored.iter().eq(path.iter().rev())
                        } else {
                            stored == path
                        }
                };
                let arc = match arc_ids.find(hash, same) {
                    Some(&arc) => arc as usize,
                    None => {
                        let start = arc_vertices.len();
                        if reversed {
                            arc_vertices.extend(path.iter().rev());
                        } else {
                            arc_vertices.extend_from_slice(path);
                        }
                        let stored = start..arc_vertices.len();
                        arcs.push(
                            arc_vertices[stored.clone()]
                                .iter()
                                .map(|&id| coords[id as usize])
                                .collect(),
                        );
                        arc_ranges.push(stored);
                        let arc = arc_ranges.len() - 1;
                        let (vertices, ranges) = (&arc_vertices, &arc_ranges);
                        arc_ids.insert_unique(hash, arc as u32, |&a| {
                            path_hash(vertices[ranges[a as usize].clone()].iter())
                        });
                        arc
                    }
                };
                refs.push(ArcRef { arc, reversed });
            });
            ring_arcs.push(refs);
        }
        Topology {
            arcs,
            rings: ring_arcs,
        }
    }
}

/// The hash of a path's vertex ids, in the order given.
fn path_hash<'a>(ids: impl Iterator<Item = &'a u32>) -> u64 {
    let mut h = NumberHasher::default();
    for &id in ids {
        h.write_u32(id);
    }
    h.finish()
}

/// Whether an arc is stored in the other direction than `path` runs: when its reverse is the
/// lexicographically smaller (for a closed path, its reverse from the same start).
fn runs_backwards(path: &[u32]) -> bool {
    path.iter().rev().lt(path.iter())
}

/// Marks the vertices of a ring where it parts from the rings before it: a vertex is a junction when it is
/// met again with other neighbours than the first time (in either direction).
fn note_junctions(cycle: &[u32], neighbours: &mut [(u32, u32)], junction: &mut [bool]) {
    let n = cycle.len();
    for (i, &id) in cycle.iter().enumerate() {
        let previous = cycle[(i + n - 1) % n];
        let next = cycle[(i + 1) % n];
        let seen = &mut neighbours[id as usize];
        if *seen == UNSEEN {
            *seen = (previous, next);
        } else if *seen != (previous, next) && *seen != (next, previous) {
            junction[id as usize] = true;
        }
    }
}

/// Neighbours not met yet.
const UNSEEN: (u32, u32) = (u32::MAX, u32::MAX);

/// Calls `f` with each path of a cycle between consecutive junctions, each with both end junctions (made
/// in `buffer`); a cycle without a junction is one closed path starting at its smallest id, so the same ring
/// met twice (an enclave and the hole around it) starts at the same vertex both times.
fn for_each_path(
    cycle: &[u32],
    junction: &[bool],
    buffer: &mut Vec<u32>,
    mut f: impl FnMut(&[u32]),
) {
    let n = cycle.len();
    if n == 0 {
        return;
    }
    let is_cut = |i: usize| junction[cycle[i] as usize];
    let Some(first) = (0..n).find(|&i| is_cut(i)) else {
        let start = (0..n).min_by_key(|&i| cycle[i]).unwrap_or(0);
        buffer.clear();
        buffer.extend((0..=n).map(|k| cycle[(start + k) % n]));
        f(buffer);
        return;
    };
    let mut from = first;
    loop {
        let to = (from + 1..n).find(|&i| is_cut(i)).unwrap_or(first + n);
        buffer.clear();
        buffer.extend((from..=to).map(|i| cycle[i % n]));
        f(buffer);
        if to >= n {
            return;
        }
        from = to;
    }
}

/// Simplifies every arc once with Douglas-Peucker at `tolerance` (in the coordinates' units), keeping its
/// end points, so every ring that uses an arc gets the same simplified border.
///
/// A closed arc (a ring without junctions) is split at its vertex farthest from the start and each half is
/// simplified, so a small island keeps its shape instead of collapsing onto its first vertex.
pub fn simplify_arcs(topology: &Topology, tolerance: f64) -> Vec<Vec<Coord<f64>>> {
    topology
        .arcs
        .par_iter()
        .map(|arc| simplify_arc(arc, tolerance))
        .collect()
}

/// One arc simplified as [`simplify_arcs`] simplifies each.
pub fn simplify_arc(arc: &[Coord<f64>], tolerance: f64) -> Vec<Coord<f64>> {
    // A NaN or non-positive tolerance means "do not simplify".
    if arc.len() <= 2 || tolerance.is_nan() || tolerance <= 0.0 {
        return arc.to_vec();
    }
    let douglas_peucker = |part: &[Coord<f64>]| douglas_peucker(part, tolerance);
    let (first, last) = (arc[0], arc[arc.len() - 1]);
    if first != last {
        return douglas_peucker(arc);
    }
    let distance_sq = |c: &Coord<f64>| (c.x - first.x).powi(2) + (c.y - first.y).powi(2);
    let farthest = (1..arc.len() - 1)
        .max_by(|&a, &b| distance_sq(&arc[a]).total_cmp(&distance_sq(&arc[b])))
        .unwrap_or(1);
    let mut out = douglas_peucker(&arc[..=farthest]);
    out.pop();
    out.extend(douglas_peucker(&arc[farthest..]));
    out
}

/// Douglas-Peucker on an open path, keeping both ends: the same result as `geo::Simplify`, without its
/// allocation at every level of recursion, which made the whole world ten times slower to simplify. The
/// distances of a span are worked out in one pass into a buffer, then the farthest found (the last of
/// equals, as `Iterator::max_by`): a loop the compiler turns into vector instructions.
fn douglas_peucker(path: &[Coord<f64>], tolerance: f64) -> Vec<Coord<f64>> {
    let n = path.len();
    if n <= 2 {
        return path.to_vec();
    }
    let tolerance_sq = tolerance * tolerance;
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut distances = vec![0.0; n];
    let mut stack = vec![(0, n - 1)];
    while let Some((first, last)) = stack.pop() {
        if last - first < 2 {
            continue;
        }
        let inner = first + 1..last;
        let spans = &mut distances[inner.clone()];
        segment_distances_sq(&path[inner], path[first], path[last], spans);
        let (k, d) = farthest(spans);
        if d > tolerance_sq {
            let i = first + 1 + k;
            keep[i] = true;
            stack.push((first, i));
            stack.push((i, last));
        }
    }
    path.iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(*c))
        .collect()
}

/// The index and value of the largest of `distances` (not empty), the last of equals, in the order of
/// `f64::total_cmp`: what `Iterator::max_by` with it gives.
fn farthest(distances: &[f64]) -> (usize, f64) {
    let (mut at, mut d) = (0, distances[0]);
    for (k, &dk) in distances.iter().enumerate().skip(1) {
        if dk.total_cmp(&d).is_ge() {
            (at, d) = (k, dk);
        }
    }
    (at, d)
}

/// The squared distance from each of `points` to the segment from `a` to `b`, into `out`: what
/// [`segment_distance_sq`] gives for each, to the bit.
fn segment_distances_sq(points: &[Coord<f64>], a: Coord<f64>, b: Coord<f64>, out: &mut [f64]) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length_sq = dx * dx + dy * dy;
    if length_sq > 0.0 {
        for (p, d) in points.iter().zip(out) {
            let t = (((p.x - a.x) * dx + (p.y - a.y) * dy) / length_sq).clamp(0.0, 1.0);
            let (ex, ey) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
            *d = ex * ex + ey * ey;
        }
    } else {
        let t = 0.0;
        for (p, d) in points.iter().zip(out) {
            let (ex, ey) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
            *d = ex * ex + ey * ey;
        }
    }
}

/// The squared distance from `p` to the segment from `a` to `b`.
#[cfg(test)]
fn segment_distance_sq(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length_sq = dx * dx + dy * dy;
    let t = if length_sq > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / length_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
    ex * ex + ey * ey
}

/// Reassembles ring `ring` from `arcs` (the topology's own arcs, or [`simplify_arcs`]'s output), closed.
///
/// Returns `None` when the ring was skipped when building, or when it has collapsed below a ring (fewer
/// than four points with the closing one) at this tolerance: the caller drops it at this zoom.
pub fn ring_coords(
    topology: &Topology,
    arcs: &[Vec<Coord<f64>>],
    ring: usize,
) -> Option<Vec<Coord<f64>>> {
    let refs = topology.rings.get(ring)?;
    let mut out: Vec<Coord<f64>> = Vec::new();
    for r in refs {
        let arc = arcs.get(r.arc)?;
        let skip = usize::from(!out.is_empty());
        if r.reversed {
            out.extend(arc.iter().rev().skip(skip));
        } else {
            out.extend(arc.iter().skip(skip));
        }
    }
    (out.len() >= 4).then_some(out)
}

#[cfg(test)]
#[path = "topology_tests.rs"]
mod tests;
