//! The embedded basemap's file format: a quantised topology of shared arcs, as TopoJSON stores one, written
//! in bytes rather than JSON text (a third of the size, and no JSON tree to build when it is read).
//!
//! `data/build-basemap.sh` writes it from world-atlas's TopoJSON (the same arcs, the same quantisation), and
//! the app reads it when a level of the basemap is first needed.
//!
//! # Layout
//! Numbers are unsigned LEB128 varints; signed ones are zigzag-encoded first. Strings are a varint length
//! and UTF-8 bytes.
//! - the magic bytes [`MAGIC`];
//! - the transform: `scale[0]`, `scale[1]`, `translate[0]`, `translate[1]` as little-endian `f64`;
//! - the arcs: their count, then for each its number of positions and, for each position, the signed delta
//!   from the previous one in x then y (the first from 0, 0), as TopoJSON's delta encoding;
//! - the features: their count, then for each its id, name and ISO 3166-1 alpha-2 code (empty strings when
//!   unknown), its number of polygons and, per polygon, its number of rings and, per ring, its number of arc
//!   references and those (signed: `~i`, that is `-i - 1`, is arc `i` reversed, as in TopoJSON).

use std::borrow::Cow;

use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{Map, Value};

use super::prepare::{
    AreaTest, Extent, FeaturePlace, PolygonRings, PreparedFeature, PreparedLayer, SourceFeature,
};
use crate::diagnostics::{Diagnostic, Report};
use crate::geo_math::camera::WorldRect;
use crate::geo_math::projection::{Projection, World, wrap_lon};
use crate::geo_math::topology::{ArcRef, RingArcs, Topology};
use crate::model::map::{Feature, Layer};

/// The first bytes of the format (version 1).
pub const MAGIC: &[u8; 8] = b"DMTOPO1\n";

/// One country as the format stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactFeature {
    /// ISO 3166-1 numeric code, as world-atlas gives it (`"792"`).
    pub id: Option<String>,
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 code (`"TR"`), when the country has one.
    pub iso_a2: Option<String>,
    /// Polygons, each a list of rings, each a list of arc references.
    pub polygons: Vec<Vec<Vec<ArcRef>>>,
}

/// A quantised topology: integer arc positions (absolute), the transform that makes them degrees, and the
/// features.
///
/// Positions stay integers in memory (8 bytes each, where degrees take 16): the 1:10m world's 950,000
/// positions take 7.6 MB, and each country is stitched in degrees only while it is prepared
/// ([`CompactTopology::prepare`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompactTopology {
    pub scale: [f64; 2],
    pub translate: [f64; 2],
    pub arcs: Vec<Vec<[i32; 2]>>,
    pub features: Vec<CompactFeature>,
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_signed(out: &mut Vec<u8>, n: i64) {
    put_varint(out, ((n << 1) ^ (n >> 63)) as u64);
}

fn put_str(out: &mut Vec<u8>, s: Option<&str>) {
    let s = s.unwrap_or("");
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn arc_index(r: ArcRef) -> i64 {
    let i = r.arc as i64;
    if r.reversed { !i } else { i }
}

/// Writes a topology in the format.
pub fn encode(topology: &CompactTopology) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    for v in [
        topology.scale[0],
        topology.scale[1],
        topology.translate[0],
        topology.translate[1],
    ] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    put_varint(&mut out, topology.arcs.len() as u64);
    for arc in &topology.arcs {
        put_varint(&mut out, arc.len() as u64);
        let mut previous = [0i64; 2];
        for p in arc {
            let p = [i64::from(p[0]), i64::from(p[1])];
            put_signed(&mut out, p[0] - previous[0]);
            put_signed(&mut out, p[1] - previous[1]);
            previous = p;
        }
    }
    put_varint(&mut out, topology.features.len() as u64);
    for f in &topology.features {
        put_str(&mut out, f.id.as_deref());
        put_str(&mut out, f.name.as_deref());
        put_str(&mut out, f.iso_a2.as_deref());
        put_varint(&mut out, f.polygons.len() as u64);
        for polygon in &f.polygons {
            put_varint(&mut out, polygon.len() as u64);
            for ring in polygon {
                put_varint(&mut out, ring.len() as u64);
                for &r in ring {
                    put_signed(&mut out, arc_index(r));
                }
            }
        }
    }
    out
}

/// Reads bytes, saying at which byte they ran out or went wrong.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.at))
    }

    fn varint(&mut self) -> Result<u64, String> {
        match self.next_varint() {
            Some(n) => Ok(n),
            None => self.varint_error(),
        }
    }

    /// The next number, or `None` (nothing read) when the data ends inside it or it is too long.
    #[inline(always)]
    fn next_varint(&mut self) -> Option<u64> {
        // Most numbers are deltas of a byte or two (this is most of the decoding's time): inlined, with
        // the reason for a failure left to `varint_error`.
        let first = *self.bytes.get(self.at)?;
        if first < 0x80 {
            self.at += 1;
            return Some(u64::from(first));
        }
        // Ten bytes hold the longest number; fewer when the data ends sooner.
        let end = self.bytes.len().min(self.at + 10);
        let mut n: u64 = 0;
        for (i, &byte) in self.bytes.get(self.at..end)?.iter().enumerate() {
            n |= u64::from(byte & 0x7f) << (7 * i);
            if byte < 0x80 {
                self.at += i + 1;
                return Some(n);
            }
        }
        None
    }

    /// Why the number at the reader's place cannot be read.
    #[cold]
    fn varint_error<T>(&self) -> Result<T, String> {
        // Ten bytes without an end, or fewer bytes left than that and none ends the number.
        if self.bytes.len().saturating_sub(self.at) >= 10 {
            self.fail("a number is too long")
        } else {
            self.fail("the data ends inside a number")
        }
    }

    fn signed(&mut self) -> Result<i64, String> {
        self.varint().map(unzigzag)
    }

    /// A count of items of at least `min_bytes` each: never more than the bytes left could hold, so that a
    /// damaged count cannot ask for a huge allocation.
    fn count(&mut self, min_bytes: usize) -> Result<usize, String> {
        let n = self.varint()?;
        let left = (self.bytes.len() - self.at) / min_bytes.max(1);
        match usize::try_from(n) {
            Ok(n) if n <= left => Ok(n),
            _ => self.fail(&format!("a count of {n} is more than the data holds")),
        }
    }

    fn f64(&mut self) -> Result<f64, String> {
        let Some(bytes) = self.bytes.get(self.at..self.at + 8) else {
            return self.fail("the data ends inside the transform");
        };
        self.at += 8;
        let mut b = [0u8; 8];
        b.copy_from_slice(bytes);
        Ok(f64::from_le_bytes(b))
    }

    fn string(&mut self) -> Result<Option<String>, String> {
        let n = self.count(1)?;
        let bytes = &self.bytes[self.at..self.at + n];
        let Ok(s) = std::str::from_utf8(bytes) else {
            return self.fail("a name is not UTF-8");
        };
        self.at += n;
        Ok((!s.is_empty()).then(|| s.to_owned()))
    }
}

fn unzigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// Reads a topology written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<CompactTopology, String> {
    if !bytes.starts_with(MAGIC) {
        return Err("not a demarche basemap (its first bytes are not DMTOPO1)".to_owned());
    }
    let mut r = Reader {
        bytes,
        at: MAGIC.len(),
    };
    let scale = [r.f64()?, r.f64()?];
    let translate = [r.f64()?, r.f64()?];
    let arc_count = r.count(1)?;
    let mut arcs = Vec::with_capacity(arc_count);
    for _ in 0..arc_count {
        let n = r.count(2)?;
        let mut arc = Vec::with_capacity(n);
        let mut p = [0i32; 2];
        for _ in 0..n {
            for c in &mut p {
                let Some(delta) = r.next_varint().map(unzigzag) else {
                    return r.varint_error();
                };
                let next = i64::from(*c).saturating_add(delta);
                match i32::try_from(next) {
                    Ok(next) => *c = next,
                    Err(_) => return r.fail(&format!("a position ({next}) is out of range")),
                }
            }
            arc.push(p);
        }
        arcs.push(arc);
    }
    let feature_count = r.count(4)?;
    let mut features = Vec::with_capacity(feature_count);
    for _ in 0..feature_count {
        let (id, name, iso_a2) = (r.string()?, r.string()?, r.string()?);
        let polygon_count = r.count(1)?;
        let mut polygons = Vec::with_capacity(polygon_count);
        for _ in 0..polygon_count {
            let ring_count = r.count(1)?;
            let mut rings = Vec::with_capacity(ring_count);
            for _ in 0..ring_count {
                let ref_count = r.count(1)?;
                let mut refs = Vec::with_capacity(ref_count);
                for _ in 0..ref_count {
                    let i = r.signed()?;
                    let (arc, reversed) = if i < 0 { (!i, true) } else { (i, false) };
                    match usize::try_from(arc) {
                        Ok(arc) if arc < arc_count => refs.push(ArcRef { arc, reversed }),
                        _ => return r.fail(&format!("arc {arc} does not exist")),
                    }
                }
                rings.push(refs);
            }
            polygons.push(rings);
        }
        features.push(CompactFeature {
            id,
            name,
            iso_a2,
            polygons,
        });
    }
    if r.at != bytes.len() {
        return r.fail("unexpected bytes after the last feature");
    }
    Ok(CompactTopology {
        scale,
        translate,
        arcs,
        features,
    })
}

impl CompactTopology {
    /// A position in degrees (longitude, latitude).
    fn degrees(&self, p: [i32; 2]) -> Coord<f64> {
        Coord {
            x: f64::from(p[0]) * self.scale[0] + self.translate[0],
            y: f64::from(p[1]) * self.scale[1] + self.translate[1],
        }
    }

    /// A ring made of `refs`, in degrees, joined (shared end positions once).
    fn ring(&self, refs: &[ArcRef]) -> LineString<f64> {
        self.ring_positions(refs).map(|p| self.degrees(p)).collect()
    }

    /// The positions of the ring made of `refs`, joined (shared end positions once).
    fn ring_positions<'a>(&'a self, refs: &'a [ArcRef]) -> impl Iterator<Item = [i32; 2]> + 'a {
        refs.iter()
            .filter_map(|r| Some((r, self.arcs.get(r.arc)?)))
            .enumerate()
            .flat_map(|(k, (r, arc))| {
                let skip = usize::from(k > 0);
                let (forward, backward) = if r.reversed {
                    (None, Some(arc.iter().rev().skip(skip)))
                } else {
                    (Some(arc.iter().skip(skip)), None)
                };
                forward
                    .into_iter()
                    .flatten()
                    .chain(backward.into_iter().flatten())
            })
            .copied()
    }

    /// The geometry of feature `index`, stitched from its arcs, in degrees.
    pub fn geometry(&self, index: usize) -> Option<Geometry<f64>> {
        let feature = self.features.get(index)?;
        let polygons = feature
            .polygons
            .iter()
            .map(|rings| {
                let mut rings = rings.iter().map(|r| self.ring(r));
                let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
                Polygon::new(exterior, rings.collect())
            })
            .collect();
        Some(Geometry::MultiPolygon(MultiPolygon(polygons)))
    }

    /// The features as a map layer named `name`, in degrees, with the properties `name`, `iso_n3` and
    /// `iso_a2` where known.
    pub fn to_layer(&self, name: &str) -> Layer {
        let features = self
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut properties = Map::new();
                for (key, value) in [("name", &f.name), ("iso_n3", &f.id), ("iso_a2", &f.iso_a2)] {
                    if let Some(v) = value {
                        properties.insert(key.to_owned(), Value::from(v.clone()));
                    }
                }
                Feature::new(f.id.clone(), properties, self.geometry(i))
            })
            .collect();
        Layer {
            name: name.to_owned(),
            features,
        }
    }

    /// The features prepared for drawing in `projection`, as [`PreparedLayer::new`] prepares
    /// [`CompactTopology::to_layer`]'s layer, without making that layer: straight from the arcs where it
    /// may ([`CompactTopology::prepare_from_arcs`]), else each country stitched in degrees only while it is
    /// projected, so the whole world is never held in degrees. With an `area` (world coordinates), only
    /// the countries that reach into it (see [`PreparedLayer::from_features`]): a country whose box of
    /// longitudes and latitudes surely lies outside is left out ([`AreaTest`]), and the ends of the arcs
    /// stay junctions ([`Extent::junctions`]), so that what is in the area is drawn exactly as when the
    /// whole world is prepared.
    pub fn prepare(
        &self,
        name: &str,
        projection: Projection,
        area: Option<WorldRect>,
    ) -> PreparedLayer {
        let reaching = self.reaching(&projection, area);
        if let Some(prepared) = self.prepare_from_arcs(name, projection, area, &reaching) {
            return prepared;
        }
        self.prepare_stitched(name, projection, area, &reaching)
    }

    /// Per country, whether it is prepared for `area` (`None`: the whole world): when one of its polygons
    /// (its outer ring) may reach into the area ([`CompactTopology::ring_may_reach`]); then all of them
    /// are, so that its bounds and label place are the whole world's.
    fn reaching(&self, projection: &Projection, area: Option<WorldRect>) -> Vec<bool> {
        use rayon::prelude::*;
        let Some(area) = area else {
            return vec![true; self.features.len()];
        };
        let test = AreaTest::new(projection, area);
        // The area's centre, in longitude relative to the central meridian and latitude.
        let centre = projection
            .unproject([
                (area.min[0] + area.max[0]) / 2.0,
                (area.min[1] + area.max[1]) / 2.0,
            ])
            .map(|(lon, lat)| Coord {
                x: projection.relative_lon(lon),
                y: lat,
            });
        (0..self.features.len())
            .into_par_iter()
            .map(|i| {
                self.features[i].polygons.iter().any(|rings| {
                    rings
                        .first()
                        .is_none_or(|outer| self.ring_may_reach(projection, &test, centre, outer))
                })
            })
            .collect()
    }

    /// The longitudes and latitudes (degrees) the arcs `refs` span, from their integer positions; `None`
    /// when they have none.
    fn degree_bounds<'a>(
        &self,
        refs: impl Iterator<Item = &'a ArcRef>,
    ) -> Option<([f64; 2], [f64; 2])> {
        let mut min = [i32::MAX; 2];
        let mut max = [i32::MIN; 2];
        for r in refs {
            for p in self.arcs.get(r.arc).into_iter().flatten() {
                min = [min[0].min(p[0]), min[1].min(p[1])];
                max = [max[0].max(p[0]), max[1].max(p[1])];
            }
        }
        if min[0] > max[0] {
            return None;
        }
        let (a, b) = (self.degrees(min), self.degrees(max));
        // A negative scale would swap the ends.
        Some(([a.x.min(b.x), a.x.max(b.x)], [a.y.min(b.y), a.y.max(b.y)]))
    }

    /// Whether the ring `refs` may reach into `test`'s area once projected (`false` only when it surely
    /// does not): when a piece of its edge (up to [`REACH_PIECE`] positions) may, or, when none does, the
    /// area lies wholly inside the ring (then it holds `centre`, the area's centre in relative longitude
    /// and latitude). Pieces rather than the whole ring's box: the box of a large country near the area
    /// (the United States seen from Europe, Canada from the Middle East) reaches into it while its coasts
    /// stay a few pixels out. A ring across the cut meridian, split there once projected, is told from its
    /// longitudes (unwrapped across the cut) and latitudes, as [`folded`] splits them.
    fn ring_may_reach(
        &self,
        projection: &Projection,
        test: &AreaTest,
        centre: Option<Coord<f64>>,
        refs: &[ArcRef],
    ) -> bool {
        let relative = |p: [i32; 2]| {
            let c = self.degrees(p);
            Coord {
                x: projection.relative_lon(c.x),
                y: c.y,
            }
        };
        // Whether what spans `width` degrees east of the relative longitude `west`, at latitudes `lat`,
        // may reach into the area, split at the cut meridian as [`folded`] splits it.
        let span_reaches = |west: f64, width: f64, lat: [f64; 2]| {
            folded(west, width)
                .into_iter()
                .flatten()
                .any(|rel_lon| test.may_reach(projection, rel_lon, lat))
        };
        // First the ring's box of longitudes and latitudes, which rules out most of the world cheaply.
        let box_reaches = self.degree_bounds(refs.iter()).is_none_or(|(lon, lat)| {
            span_reaches(projection.relative_lon(lon[0]), lon[1] - lon[0], lat)
        });
        if !box_reaches {
            return false;
        }
        let piece_reaches = |b: &WorldRect| {
            !b.is_empty() && test.may_reach(projection, [b.min[0], b.max[0]], [b.min[1], b.max[1]])
        };
        // The ring's longitudes unwrapped (a step across the cut meridian goes on past it rather than
        // jumping to the map's other edge) and its latitudes.
        let mut unwrapped = WorldRect::EMPTY;
        let mut turns = 0.0;
        let mut crosses_cut = false;
        let mut piece = WorldRect::EMPTY;
        let mut in_piece = 0;
        let mut previous: Option<Coord<f64>> = None;
        for c in self.ring_positions(refs).map(relative) {
            if let Some(p) = previous
                && (c.x - p.x).abs() > 180.0
            {
                // A step across the cut meridian: the pieces on either side are apart once projected.
                crosses_cut = true;
                turns -= 360.0 * (c.x - p.x).signum();
                if piece_reaches(&piece) {
                    return true;
                }
                piece = WorldRect::EMPTY;
                in_piece = 0;
            } else if in_piece == REACH_PIECE {
                if piece_reaches(&piece) {
                    return true;
                }
                // The next piece starts where this one ends, so that every edge is in one.
                piece = WorldRect::EMPTY;
                in_piece = 0;
                if let Some(p) = previous {
                    piece.extend([p.x, p.y]);
                    in_piece = 1;
                }
            }
            piece.extend([c.x, c.y]);
            in_piece += 1;
            unwrapped.extend([c.x + turns, c.y]);
            previous = Some(c);
        }
        if previous.is_none() || piece_reaches(&piece) {
            return true;
        }
        if crosses_cut {
            // Split at the cut meridian, its pieces lie within its unwrapped longitudes, folded back onto
            // the map: one range, or two on either side of the cut, or all (around a pole).
            return span_reaches(
                wrap_lon(unwrapped.min[0]),
                unwrapped.width(),
                [unwrapped.min[1], unwrapped.max[1]],
            );
        }
        // No piece of the edge reaches into the area: it lies wholly inside the ring or wholly outside.
        centre.is_none_or(|centre| {
            use geo::Contains as _;
            let ring: LineString<f64> = self.ring_positions(refs).map(relative).collect();
            Polygon::new(ring, Vec::new()).contains(&centre)
        })
    }

    /// [`CompactTopology::prepare`] by stitching each country in `reaching` in degrees and preparing it as
    /// a map file's feature is (split at the cut meridian, projected, its topology built from its rings).
    fn prepare_stitched(
        &self,
        name: &str,
        projection: Projection,
        area: Option<WorldRect>,
        reaching: &[bool],
    ) -> PreparedLayer {
        let junctions = self.junctions(&projection);
        PreparedLayer::from_features(
            name,
            self.features.len(),
            self.arcs.iter().map(Vec::len).sum(),
            |i| {
                let f = &self.features[i];
                SourceFeature {
                    label: f.name.clone(),
                    code: f.iso_a2.clone(),
                    geometry: reaching[i]
                        .then(|| self.geometry(i).map(Cow::Owned))
                        .flatten(),
                }
            },
            projection,
            Extent {
                area,
                junctions: &junctions,
                ..Extent::default()
            },
        )
    }

    /// [`CompactTopology::prepare`] of the countries in `reaching`, straight from the arcs: each arc they use
    /// is projected once, and the layer's topology is made of those arcs, cut, numbered and turned as
    /// [`topology::Builder`] cuts, numbers and turns what it finds in the stitched rings (the tests check
    /// that both make the same layer), without stitching a ring, splitting it at the cut meridian or
    /// hashing every vertex. `None` where only the builder will do: an arc across the cut meridian (it is
    /// split there), a latitude where the projection may send distinct positions to one point (they would
    /// become one vertex), two positions in a row that project to one point, a position on one side of
    /// the antimeridian (180°E or 180°W: one meridian, once projected) met on the other side, or a ring
    /// whose arcs do not join end to end.
    fn prepare_from_arcs(
        &self,
        name: &str,
        projection: Projection,
        area: Option<WorldRect>,
        reaching: &[bool],
    ) -> Option<PreparedLayer> {
        use rayon::prelude::*;
        // An arc from a position to itself (the 1:10m world has one): it adds a position to its ring, and
        // the builder, which drops a position repeated, no arc.
        let empty = |r: &ArcRef| {
            self.arcs
                .get(r.arc)
                .is_some_and(|arc| matches!(arc[..], [a, b] if a == b))
        };
        let mut used = vec![false; self.arcs.len()];
        for (f, _) in self.features.iter().zip(reaching).filter(|(_, r)| **r) {
            for r in f.polygons.iter().flatten().flatten() {
                *used.get_mut(r.arc)? = !empty(r);
            }
        }
        // Most that sends a layer to the builder is told from the degrees, before any is projected (a view
        // of the whole world meets Antarctica's clamped latitudes).
        if !self
            .arcs
            .par_iter()
            .zip(&used)
            .all(|(arc, &used)| !used || goes_straight(arc, &projection, |p| self.degrees(p)))
        {
            return None;
        }
        // The positions that may cut arcs are gathered on one core while the arcs are projected.
        let (projected, candidates) = rayon::join(
            || {
                self.arcs
                    .par_iter()
                    .zip(&used)
                    .map(|(arc, &used)| {
                        if used {
                            self.project_arc(arc, &projection).map(Some)
                        } else {
                            Some(None)
                        }
                    })
                    .collect::<Option<Vec<Option<ProjectedArc>>>>()
            },
            || self.met_twice(&used),
        );
        let mut projected = projected?;

        // Where an arc begins and ends as a ring runs it.
        let ends = |r: &ArcRef| {
            let arc = &self.arcs[r.arc];
            let (first, last) = (*arc.first()?, *arc.last()?);
            Some(if r.reversed {
                (last, first)
            } else {
                (first, last)
            })
        };
        let check_ring = |refs: &[ArcRef]| -> Option<usize> {
            let mut positions = 0;
            for (k, r) in refs.iter().enumerate() {
                let next = &refs[(k + 1) % refs.len()];
                if ends(r)?.1 != ends(next)?.0 {
                    return None;
                }
                positions += self.arcs[r.arc].len() - usize::from(k > 0);
            }
            Some(positions)
        };

        // The rings the topology is made of, in the order the builder would take them.
        let mut rings: Vec<Vec<ArcRef>> = Vec::new();
        let mut bounds = WorldRect::EMPTY;
        let mut features = Vec::with_capacity(self.features.len());
        for (index, f) in self.features.iter().enumerate() {
            let mut place = FeaturePlace::default();
            let mut polygons = Vec::new();
            for polygon in f.polygons.iter().filter(|_| reaching[index]) {
                // As a stitched polygon is kept: an outer ring of at least four positions (the first
                // repeated at the end), with the holes that have as many.
                let mut kept = Vec::with_capacity(polygon.len());
                for (k, refs) in polygon.iter().enumerate() {
                    if check_ring(refs)? >= 4 {
                        kept.push(refs.as_slice());
                    } else if k == 0 {
                        break;
                    }
                }
                let Some(outer) = kept.first() else {
                    continue;
                };
                let mut ring_bounds = WorldRect::EMPTY;
                // An arc from a position to itself adds nothing to them (and is not projected).
                for r in outer.iter().filter(|r| !empty(r)) {
                    ring_bounds = ring_bounds.union(&projected[r.arc].as_ref()?.bounds);
                }
                place.add_polygon(&ring_bounds);
                if area.is_some_and(|a| !ring_bounds.intersects(&a)) {
                    continue;
                }
                let first = rings.len();
                rings.extend(
                    kept.iter()
                        .map(|refs| refs.iter().filter(|r| !empty(r)).copied().collect()),
                );
                polygons.push(PolygonRings {
                    outer: first,
                    holes: (first + 1..rings.len()).collect(),
                });
            }
            if !place.bounds.is_empty() {
                bounds = bounds.union(&place.bounds);
            }
            features.push(PreparedFeature {
                index,
                label: f.name.clone(),
                code: f.iso_a2.clone(),
                label_at: place.label_at(),
                bounds: place.bounds,
                polygons,
                lines: Vec::new(),
                points: Vec::new(),
            });
        }

        // The antimeridian: where rings meet it from both sides (or meet the end of an arc on the other
        // side), the builder joins what the arcs keep apart.
        let mut seam: [Vec<i32>; 2] = Default::default();
        for r in rings.iter().flatten() {
            for &(side, lat) in &projected[r.arc].as_ref()?.seam {
                seam[side].push(lat);
            }
        }
        if seam.iter().any(|s| !s.is_empty()) {
            let mut ends_on_seam: [Vec<i32>; 2] = Default::default();
            for p in &candidates.arc_ends {
                if let Some(side) = self.seam_side(*p) {
                    ends_on_seam[side].push(p[1]);
                }
            }
            for side in 0..2 {
                let other = [&seam[1 - side], &ends_on_seam[1 - side]];
                if seam[side]
                    .iter()
                    .any(|lat| other.iter().any(|o| o.contains(lat)))
                {
                    return None;
                }
            }
        }

        // Where the builder cuts an arc besides its ends: a position inside it that is the end of an arc
        // (of the whole level: all are junctions), or that the rings meet elsewhere with other neighbours
        // (where a coast touches itself or another).
        let mut in_rings = vec![false; self.arcs.len()];
        for r in rings.iter().flatten() {
            in_rings[r.arc] = true;
        }
        // The arcs projected for a country's bounds alone are not kept.
        for (arc, _) in in_rings.iter().enumerate().filter(|(_, kept)| !**kept) {
            projected[arc] = None;
        }
        let cuts = self.cuts(&candidates, &in_rings);
        // Each arc's pieces between its cuts, as ranges of its positions (ends shared).
        let pieces_of = |arc: usize| -> Vec<(usize, usize)> {
            let last = self.arcs[arc].len() - 1;
            let inner = cuts.get(&arc).map_or(&[][..], Vec::as_slice);
            std::iter::once(0)
                .chain(inner.iter().copied())
                .zip(inner.iter().copied().chain(std::iter::once(last)))
                .collect()
        };
        // The rings as the pieces they run, each as (arc, first, last position, backwards).
        let ring_pieces: Vec<Vec<(usize, usize, usize, bool)>> = rings
            .iter()
            .map(|refs| {
                let mut out = Vec::with_capacity(refs.len());
                for r in refs.iter() {
                    let pieces = pieces_of(r.arc);
                    if r.reversed {
                        out.extend(pieces.iter().rev().map(|&(a, b)| (r.arc, a, b, true)));
                    } else {
                        out.extend(pieces.iter().map(|&(a, b)| (r.arc, a, b, false)));
                    }
                }
                out
            })
            .collect();
        let run_ends = |&(arc, a, b, backwards): &(usize, usize, usize, bool)| {
            let (p, q) = (self.arcs[arc][a], self.arcs[arc][b]);
            if backwards { (q, p) } else { (p, q) }
        };

        // Vertex ids as the builder gives them, in the order the rings meet positions: only the order of
        // the pieces' ends matters, as every other position belongs to one piece.
        let mut order: FxHashMap<[i32; 2], usize> = FxHashMap::default();
        for piece in ring_pieces.iter().flatten() {
            let start = run_ends(piece).0;
            let next = order.len();
            order.entry(start).or_insert(next);
        }
        // Each piece stored once, in its direction from the end met first (a closed one: as first run);
        // a piece with the same positions as one stored (two arcs of the source that quantising made
        // one) is that one, as the builder finds it.
        let mut stored: FxHashMap<(usize, usize), (usize, bool)> = FxHashMap::default();
        // By their ends (either way) and length: the pieces stored, each as (arc, first, last position,
        // stored backwards, index of the stored arc).
        type Ends = ([i32; 2], [i32; 2], usize);
        type Stored = (usize, usize, usize, bool, usize);
        let mut by_ends: FxHashMap<Ends, Vec<Stored>> = FxHashMap::default();
        let ends_key = |(p, q): ([i32; 2], [i32; 2]), len: usize| -> Ends {
            if p <= q { (p, q, len) } else { (q, p, len) }
        };
        let mut arcs = Vec::new();
        let mut ring_arcs = Vec::with_capacity(ring_pieces.len());
        for pieces in &ring_pieces {
            let mut refs = RingArcs::with_capacity(pieces.len());
            for piece @ &(arc, a, b, run_backwards) in pieces {
                let (index, backwards) = match stored.get(&(arc, a)) {
                    Some(&known) => known,
                    None => {
                        let key = ends_key(run_ends(piece), b - a);
                        let positions = &self.arcs[arc][a..=b];
                        let same = by_ends.get(&key).and_then(|candidates| {
                            candidates
                                .iter()
                                .find_map(|&(c, ca, cb, c_backwards, index)| {
                                    let other = &self.arcs[c][ca..=cb];
                                    // Whether this piece runs against the stored arc.
                                    let against = |turned: bool| turned != c_backwards;
                                    if positions == other {
                                        Some((index, against(false)))
                                    } else if positions.iter().rev().eq(other) {
                                        Some((index, against(true)))
                                    } else {
                                        None
                                    }
                                })
                        });
                        let known = match same {
                            Some(known) => known,
                            None => {
                                let (start, end) = run_ends(piece);
                                let turned = start != end && order.get(&end) < order.get(&start);
                                let backwards = run_backwards != turned;
                                let whole = a == 0 && b + 1 == self.arcs[arc].len();
                                let mut points = if whole {
                                    projected[arc].take().map(|p| p.points)
                                } else {
                                    projected[arc].as_ref().map(|p| p.points[a..=b].to_vec())
                                }
                                .unwrap_or_default();
                                if backwards {
                                    points.reverse();
                                }
                                arcs.push(points);
                                let index = arcs.len() - 1;
                                by_ends
                                    .entry(key)
                                    .or_default()
                                    .push((arc, a, b, backwards, index));
                                (index, backwards)
                            }
                        };
                        stored.insert((arc, a), known);
                        known
                    }
                };
                refs.push(ArcRef {
                    arc: index,
                    reversed: run_backwards != backwards,
                });
            }
            ring_arcs.push(refs);
        }
        let topology = Topology {
            arcs,
            rings: ring_arcs,
        };
        Some(PreparedLayer::from_topology(
            name,
            projection,
            (bounds, features),
            topology,
            None,
            Vec::new(),
        ))
    }

    /// The positions inside the arcs marked in `arcs` that may be where [`topology::Builder`] cuts an arc
    /// besides its ends ([`CompactTopology::cuts`]): those met more than once, inside these arcs or at the
    /// end of any arc of the level, each with where it is met inside these arcs (arc, index).
    ///
    /// Most positions are met once: a bitmap of their hashes finds the few that may be met again, and only
    /// those are gathered, sorted, and kept where they are (a position sharing its hash's bit with another
    /// is met once).
    fn met_twice(&self, arcs: &[bool]) -> Candidates {
        const BITS: u32 = 22;
        // A position as one number (its places sort by it), and the bit of the bitmap it hashes to.
        let key = |p: [i32; 2]| (u64::from(p[0] as u32) << 32) | u64::from(p[1] as u32);
        let slot =
            |p: [i32; 2]| (key(p).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - BITS)) as usize;
        let mut ends = vec![0u64; 1 << (BITS - 6)];
        let mut seen = vec![0u64; 1 << (BITS - 6)];
        let mut again = vec![0u64; 1 << (BITS - 6)];
        let test = |bits: &[u64], s: usize| bits[s >> 6] & (1 << (s & 63)) != 0;
        let set = |bits: &mut [u64], s: usize| bits[s >> 6] |= 1 << (s & 63);
        let arc_ends = || {
            self.arcs
                .iter()
                .flat_map(|a| [a.first(), a.last()])
                .flatten()
        };
        for p in arc_ends() {
            set(&mut ends, slot(*p));
        }
        let inside = || {
            arcs.iter()
                .enumerate()
                .filter(|(_, used)| **used)
                .flat_map(|(arc, _)| {
                    let positions = &self.arcs[arc];
                    (1..positions.len().saturating_sub(1)).map(move |i| (arc, i, positions[i]))
                })
        };
        for (_, _, p) in inside() {
            let s = slot(p);
            if test(&ends, s) || test(&seen, s) {
                set(&mut again, s);
            }
            set(&mut seen, s);
        }
        // The positions whose slot was met twice, sorted so that each position's places lie together:
        // 16 bytes each, where a table of a list each took about 100 (most are not met twice: another
        // position shares the slot).
        let mut places: Vec<(u64, u32, u32)> = inside()
            .filter(|&(_, _, p)| test(&again, slot(p)))
            .filter_map(|(arc, i, p)| {
                Some((key(p), u32::try_from(arc).ok()?, u32::try_from(i).ok()?))
            })
            .collect();
        places.sort_unstable();
        let arc_ends: FxHashSet<[i32; 2]> = arc_ends().copied().collect();
        let mut met: FxHashMap<[i32; 2], Vec<(usize, usize)>> = FxHashMap::default();
        for group in places.chunk_by(|a, b| a.0 == b.0) {
            let (arc, i) = (group[0].1 as usize, group[0].2 as usize);
            let p = self.arcs[arc][i];
            // Met once inside the arcs, a position counts only where it ends an arc.
            if group.len() > 1 || arc_ends.contains(&p) {
                met.insert(
                    p,
                    group
                        .iter()
                        .map(|&(_, arc, i)| (arc as usize, i as usize))
                        .collect(),
                );
            }
        }
        Candidates { met, arc_ends }
    }

    /// Where [`topology::Builder`] cuts the arcs marked in `in_rings` besides at their ends, were it given
    /// the rings that run them: for each arc, the indices of its positions (inside it, ascending) that are
    /// the end of any arc of the level (all are junctions), or that the arcs in the rings meet elsewhere
    /// with other neighbours (where a coast touches itself or another). `candidates` are
    /// [`CompactTopology::met_twice`]'s, for these arcs or more.
    fn cuts(&self, candidates: &Candidates, in_rings: &[bool]) -> FxHashMap<usize, Vec<usize>> {
        let neighbours = |arc: usize, i: usize| {
            let (a, b) = (self.arcs[arc][i - 1], self.arcs[arc][i + 1]);
            if a <= b { (a, b) } else { (b, a) }
        };
        let mut cuts: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (p, at) in &candidates.met {
            let mut at = at.iter().filter(|(arc, _)| in_rings[*arc]).peekable();
            let Some(&&(arc, i)) = at.peek() else {
                continue;
            };
            let at: Vec<(usize, usize)> = at.copied().collect();
            let junction = candidates.arc_ends.contains(p)
                || at[1..]
                    .iter()
                    .any(|&(b, j)| neighbours(b, j) != neighbours(arc, i));
            if junction {
                for (arc, i) in at {
                    cuts.entry(arc).or_default().push(i);
                }
            }
        }
        for inner in cuts.values_mut() {
            inner.sort_unstable();
        }
        cuts
    }

    /// Arc `arc` projected, of those that [`goes_straight`] (see [`CompactTopology::prepare_from_arcs`]);
    /// `None` when two positions in a row project to one point.
    fn project_arc(&self, arc: &[[i32; 2]], projection: &Projection) -> Option<ProjectedArc> {
        let mut out = ProjectedArc {
            points: Vec::with_capacity(arc.len()),
            bounds: WorldRect::EMPTY,
            seam: Vec::new(),
        };
        for &p in arc {
            let c = self.degrees(p);
            if let Some(side) = self.seam_side(p) {
                out.seam.push((side, p[1]));
            }
            let [x, y] = projection.project_relative(projection.relative_lon(c.x), c.y)?;
            let w = Coord { x, y };
            if out.points.last() == Some(&w) {
                return None;
            }
            out.bounds.extend([x, y]);
            out.points.push(w);
        }
        Some(out)
    }

    /// 0 for a position on 180°E, 1 on 180°W, `None` elsewhere.
    fn seam_side(&self, p: [i32; 2]) -> Option<usize> {
        let lon = self.degrees(p).x;
        if lon == 180.0 {
            Some(0)
        } else if lon == -180.0 {
            Some(1)
        } else {
            None
        }
    }

    /// The ends of the arcs, projected as the rings' positions are: where borders meet (see
    /// [`Extent::junctions`]).
    pub fn junctions(&self, projection: &Projection) -> Vec<World> {
        self.arcs
            .iter()
            .flat_map(|arc| [arc.first(), arc.last()])
            .flatten()
            .filter_map(|&p| {
                let c = self.degrees(p);
                projection.project_relative(projection.relative_lon(c.x), c.y)
            })
            .collect()
    }
}

/// Whether an arc (its positions made degrees by `degrees`) may be projected as it is: two positions at
/// least, no step across the cut meridian (more than half a turn, where the split cuts a polygon), no
/// latitude where the projection may send distinct positions to one point.
fn goes_straight(
    arc: &[[i32; 2]],
    projection: &Projection,
    degrees: impl Fn([i32; 2]) -> Coord<f64>,
) -> bool {
    let mut previous: Option<f64> = None;
    arc.len() >= 2
        && arc.iter().all(|&p| {
            let c = degrees(p);
            let rel = projection.relative_lon(c.x);
            let jump = previous.is_some_and(|previous| (rel - previous).abs() > 180.0);
            previous = Some(rel);
            !jump && !projection.may_merge_at(c.y)
        })
}

/// Positions that may cut arcs ([`CompactTopology::met_twice`]): where they are met inside arcs, and the
/// ends of every arc.
struct Candidates {
    met: FxHashMap<[i32; 2], Vec<(usize, usize)>>,
    arc_ends: FxHashSet<[i32; 2]>,
}

/// An arc projected, its bounds, and its positions on the antimeridian (side, see
/// [`CompactTopology::seam_side`], and integer latitude).
#[derive(Debug)]
struct ProjectedArc {
    points: Vec<Coord<f64>>,
    bounds: WorldRect,
    seam: Vec<(usize, i32)>,
}

/// The longitudes from `west` (relative to the central meridian) eastwards over `width` degrees, as the
/// pieces of a polygon spanning them lie once split at the cut meridian: one range, or two when they
/// cross it (the part up to the map's east edge, and the part from its west edge on), or the whole circle.
/// A polygon across the cut meridian far from the area (Canada's border on 141°W when the map is centred
/// on 41°E) is then seen to lie outside, where the whole circle of longitudes would let it in.
fn folded(west: f64, width: f64) -> [Option<[f64; 2]>; 2] {
    let east = west + width;
    if width >= 360.0 {
        [Some([-180.0, 180.0]), None]
    } else if east >= 180.0 {
        // A point on the cut meridian may be wrapped to either edge: both ranges reach it.
        [Some([west, 180.0]), Some([-180.0, east - 360.0])]
    } else {
        [Some([west, east]), None]
    }
}

/// How many positions of a ring's edge [`CompactTopology::ring_may_reach`] tests at once (a box each).
const REACH_PIECE: usize = 64;

/// Reads an embedded layer: its bytes decoded and its arcs stitched into countries. A failure means the
/// binary was built from damaged data, and says where.
pub fn read_layer(name: &str, bytes: &[u8]) -> Result<Layer, Report> {
    read_topology(name, bytes).map(|t| t.to_layer(name))
}

/// Decodes an embedded layer's bytes, with a report naming it when they are damaged.
pub fn read_topology(name: &str, bytes: &[u8]) -> Result<CompactTopology, Report> {
    decode(bytes).map_err(|message| {
        let mut report = Report::new(format!("<embedded: {name}>"), "");
        report.diagnostics.push(Diagnostic::error(format!(
            "the embedded basemap is damaged: {message}"
        )));
        report
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CompactTopology {
        let r = |arc, reversed| ArcRef { arc, reversed };
        CompactTopology {
            scale: [0.5, 0.25],
            translate: [-10.0, 20.0],
            arcs: vec![
                vec![[0, 0], [4, 0], [4, 4]],
                vec![[4, 4], [0, 4], [0, 0]],
                vec![[4, 0], [300_000, -70_000], [4, 4]],
            ],
            features: vec![
                CompactFeature {
                    id: Some("792".to_owned()),
                    name: Some("Türkiye".to_owned()),
                    iso_a2: Some("TR".to_owned()),
                    polygons: vec![vec![vec![r(0, false), r(1, false)]]],
                },
                CompactFeature {
                    id: None,
                    name: None,
                    iso_a2: None,
                    polygons: vec![vec![vec![r(0, true), r(2, false)]]],
                },
            ],
        }
    }

    #[test]
    fn a_topology_reads_back_as_it_was_written() {
        let t = sample();
        assert_eq!(decode(&encode(&t)).expect("decodes"), t);
    }

    #[test]
    fn features_become_countries_in_degrees_with_their_codes() {
        let layer = sample().to_layer("test");
        let first = &layer.features[0];
        assert_eq!(first.label.as_deref(), Some("Türkiye"));
        assert_eq!(first.properties["iso_a2"], "TR");
        assert_eq!(first.properties["iso_n3"], "792");
        let Some(geo::Geometry::MultiPolygon(mp)) = &first.geometry else {
            panic!("a multipolygon: {:?}", first.geometry);
        };
        let ring: Vec<(f64, f64)> = mp.0[0].exterior().0.iter().map(|c| (c.x, c.y)).collect();
        assert_eq!(
            ring,
            vec![
                (-10.0, 20.0),
                (-8.0, 20.0),
                (-8.0, 21.0),
                (-10.0, 21.0),
                (-10.0, 20.0)
            ]
        );
        assert!(layer.features[1].label.is_none());
    }

    #[test]
    fn damaged_data_is_an_error_that_says_where_never_a_panic() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad_arc = bytes.clone();
        // The last byte is the last arc reference: point it at an arc that does not exist.
        *bad_arc.last_mut().expect("bytes") = 40;
        let err = decode(&bad_arc).expect_err("arc 20 does not exist");
        assert!(err.contains("arc 20"), "{err}");
        let report = read_layer("world", b"GARBAGE!").expect_err("not the format");
        assert!(
            report.to_lines()[0].contains("damaged"),
            "{:?}",
            report.to_lines()
        );
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&[0; 32]);
        huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert!(
            decode(&huge)
                .expect_err("huge")
                .contains("more than the data holds")
        );
    }

    #[test]
    fn numbers_of_every_length_read_back_far_from_the_end_and_near_it() {
        let values: Vec<u64> = (0..64)
            .flat_map(|bits| [1u64 << bits, (1u64 << bits) - 1, (1u64 << bits) + 1])
            .chain([u64::MAX, 0x7f, 0x80, 300])
            .collect();
        let mut bytes = Vec::new();
        for &v in &values {
            put_varint(&mut bytes, v);
        }
        // The last numbers are read near the end, the rest with ten bytes or more after them.
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        for &v in &values {
            assert_eq!(r.varint(), Ok(v));
        }
        assert_eq!(r.at, bytes.len());
        for &v in &values {
            let mut one = Vec::new();
            put_varint(&mut one, v);
            let mut r = Reader { bytes: &one, at: 0 };
            assert_eq!(r.varint(), Ok(v), "{v} alone");
            for cut in 0..one.len() {
                let mut r = Reader {
                    bytes: &one[..cut],
                    at: 0,
                };
                let err = r.varint().expect_err("cut");
                assert!(
                    err.contains("ends inside a number"),
                    "{v} cut at {cut}: {err}"
                );
            }
        }
        let endless = [0xffu8; 12];
        for len in [10, 11, 12] {
            let mut r = Reader {
                bytes: &endless[..len],
                at: 0,
            };
            let err = r.varint().expect_err("endless");
            assert!(err.contains("too long") && err.contains("byte 0"), "{err}");
        }
    }

    /// The features of the embedded 1:50m world prepared in a conic centred on 41°E (the default
    /// scenario's) for a square area of `half` world units around (`lon`, `lat`): (code, projected or
    /// not, has polygons in the area).
    fn prepared_around(lon: f64, lat: f64, half: f64) -> Vec<(String, bool, bool)> {
        use crate::geo_math::projection::Lambert;
        let projection = Projection::LambertConic(Lambert::for_band(41.0, 14.7, 41.3));
        let [x, y] = projection.project(lon, lat).expect("projects");
        let area = WorldRect {
            min: [x - half, y - half],
            max: [x + half, y + half],
        };
        let bytes = crate::basemap::embedded::WORLD_50M;
        let prepared = decode(bytes)
            .expect("decodes")
            .prepare("world", projection, Some(area));
        prepared
            .features
            .iter()
            .map(|f| {
                (
                    f.code.clone().unwrap_or_default(),
                    !f.bounds.is_empty(),
                    !f.polygons.is_empty(),
                )
            })
            .collect()
    }

    /// Both ways of preparing the level `bytes` around (`lon`, `lat`) (half a side `half`, world units;
    /// the whole world when `None`): straight from the arcs, when it may, and by stitching.
    fn both_ways(
        topology: &CompactTopology,
        projection: Projection,
        around: Option<(f64, f64, f64)>,
    ) -> (Option<PreparedLayer>, PreparedLayer) {
        let area = around.and_then(|(lon, lat, half)| {
            let [x, y] = projection.project(lon, lat)?;
            Some(WorldRect {
                min: [x - half, y - half],
                max: [x + half, y + half],
            })
        });
        both_ways_in(topology, projection, area)
    }

    /// [`both_ways`] for an area given in world coordinates.
    fn both_ways_in(
        topology: &CompactTopology,
        projection: Projection,
        area: Option<WorldRect>,
    ) -> (Option<PreparedLayer>, PreparedLayer) {
        let reaching = topology.reaching(&projection, area);
        (
            topology.prepare_from_arcs("world", projection, area, &reaching),
            topology.prepare_stitched("world", projection, area, &reaching),
        )
    }

    fn assert_same(from_arcs: &PreparedLayer, stitched: &PreparedLayer, what: &str) {
        assert_eq!(from_arcs.bounds, stitched.bounds, "{what}: bounds");
        assert_eq!(from_arcs.features, stitched.features, "{what}: features");
        let (a, b) = (from_arcs.topology(), stitched.topology());
        assert_eq!(a.rings.len(), b.rings.len(), "{what}: rings");
        for (i, (ra, rb)) in a.rings.iter().zip(&b.rings).enumerate() {
            assert_eq!(ra, rb, "{what}: ring {i}");
        }
        assert_eq!(a.arcs.len(), b.arcs.len(), "{what}: arcs");
        for (i, (aa, ab)) in a.arcs.iter().zip(&b.arcs).enumerate() {
            assert!(
                aa == ab,
                "{what}: arc {i}: {} and {} positions, from {:?} to {:?} and from {:?} to {:?}",
                aa.len(),
                ab.len(),
                aa.first(),
                aa.last(),
                ab.first(),
                ab.last()
            );
        }
        assert_eq!(
            from_arcs.arcs_touching_edges(),
            stitched.arcs_touching_edges(),
            "{what}: edges"
        );
    }

    #[test]
    fn the_layer_made_from_the_arcs_is_the_layer_made_by_stitching_them() {
        use crate::basemap::embedded::{WORLD_10M, WORLD_50M};
        use crate::geo_math::projection::Lambert;
        let projections = [
            (
                "Lambert 41°E",
                Projection::LambertConic(Lambert::for_band(41.0, 14.7, 41.3)),
            ),
            (
                "Lambert 75°W",
                Projection::LambertConic(Lambert::for_band(-75.0, -5.0, 12.0)),
            ),
            (
                "Lambert south",
                Projection::LambertConic(Lambert::for_band(-64.0, -56.0, -20.0)),
            ),
            (
                "Lambert 150°E",
                Projection::LambertConic(Lambert::for_band(150.0, 30.0, 70.0)),
            ),
            ("Mercator 0°", Projection::WebMercator { central_lon: 0.0 }),
            (
                "Mercator 41°E",
                Projection::WebMercator { central_lon: 41.0 },
            ),
            (
                "Mercator 170°W",
                Projection::WebMercator {
                    central_lon: -170.0,
                },
            ),
        ];
        // Views of every size over the world, the antimeridian's and the poles' included.
        let mut views = vec![None];
        for lat in [-70.0, -33.0, 0.0, 41.0, 66.0, 78.0] {
            for lon in (-180..180)
                .step_by(45)
                .map(f64::from)
                .chain([179.9, -179.9])
            {
                for half in [0.02, 0.2] {
                    views.push(Some((lon, lat, half)));
                }
            }
        }
        // Of the 1:10m world, where coasts touch themselves or one another (positions met twice), the
        // Arctic, the antimeridian, and Asia and Europe (large countries, many neighbours).
        let detailed = [
            Some((32.86, 39.93, 0.2)),
            Some((120.0, 41.0, 0.02)),
            Some((0.0, 60.0, 0.2)),
            Some((0.0, 66.0, 0.2)),
            Some((-179.9, 0.0, 0.2)),
            Some((-90.0, 78.0, 0.02)),
            Some((-90.0, 41.0, 0.02)),
            Some((-60.0, -33.0, 0.2)),
            Some((150.0, -33.0, 0.2)),
            // The arc from a position to itself, on Morocco's coast.
            Some((-3.9, 35.2, 0.05)),
            Some((20.0, 40.0, 0.3)),
        ];
        let (mut made, mut fell_back) = (0, 0);
        let levels = [
            (WORLD_50M, "1:50m", &views[..]),
            (WORLD_10M, "1:10m", &detailed[..]),
        ];
        for (bytes, level, views) in levels {
            let topology = decode(bytes).expect("decodes");
            for (name, projection) in projections {
                for view in views {
                    let (from_arcs, stitched) = both_ways(&topology, projection, *view);
                    match from_arcs {
                        Some(from_arcs) => {
                            made += 1;
                            assert_same(
                                &from_arcs,
                                &stitched,
                                &format!("{level}, {name}, {view:?}"),
                            );
                        }
                        None => fell_back += 1,
                    }
                }
            }
        }
        eprintln!("made from the arcs: {made}, by stitching: {fell_back}");
        assert!(
            made > fell_back,
            "{made} made from the arcs, {fell_back} by stitching"
        );
    }

    #[test]
    fn the_default_view_is_made_from_the_arcs_and_views_across_the_antimeridian_by_stitching() {
        use crate::geo_math::projection::Lambert;
        let projection = Projection::LambertConic(Lambert::for_band(41.0, 14.7, 41.3));
        let topology = decode(crate::basemap::embedded::WORLD_10M).expect("decodes");
        let (from_arcs, stitched) = both_ways(&topology, projection, Some((32.86, 39.93, 0.2)));
        assert_same(&from_arcs.expect("made from the arcs"), &stitched, "Ankara");
        // The Oman story's view, from Spain to Pakistan: a ring runs out along an arc and back along
        // another with the same positions (quantising made them one), and Morocco's coast has an arc
        // from a position to itself.
        let oman = Projection::LambertConic(Lambert::for_band(43.0, 16.5, 46.9));
        let area = WorldRect {
            min: [-0.727, -0.231],
            max: [0.580, 0.504],
        };
        let (from_arcs, stitched) = both_ways_in(&topology, oman, Some(area));
        assert_same(&from_arcs.expect("made from the arcs"), &stitched, "Oman");
        // Wrangel Island has positions on 180°E and on 180°W at the same latitude: one point once
        // projected, which the builder makes one vertex of both rings.
        let arctic = Projection::LambertConic(Lambert::for_band(178.0, 60.0, 80.0));
        let (from_arcs, _) = both_ways(&topology, arctic, Some((180.0, 71.3, 0.01)));
        assert!(from_arcs.is_none(), "Wrangel Island was made from the arcs");
        // Fiji's rings step along the antimeridian from 180°E to 180°W: two positions, one point.
        let pacific = Projection::LambertConic(Lambert::for_band(178.0, -25.0, -10.0));
        let (from_arcs, _) = both_ways(&topology, pacific, Some((180.0, -16.5, 0.02)));
        assert!(from_arcs.is_none(), "Fiji was made from the arcs");
        // Centred on 0°, the map is cut at 180°: Fiji's rings cross the cut.
        let mercator = Projection::WebMercator { central_lon: 0.0 };
        let (from_arcs, _) = both_ways(&topology, mercator, Some((178.5, -17.5, 0.05)));
        assert!(
            from_arcs.is_none(),
            "Fiji was made from the arcs, across the cut"
        );
    }

    fn find<'a>(features: &'a [(String, bool, bool)], code: &str) -> &'a (String, bool, bool) {
        features
            .iter()
            .find(|f| f.0 == code)
            .unwrap_or_else(|| panic!("{code} is in the world"))
    }

    #[test]
    fn a_country_across_the_cut_meridian_far_from_the_area_is_not_projected() {
        // Centred on 41°E, the map is cut at 139°W: Canada's and Alaska's polygons cross it.
        let ankara = prepared_around(32.86, 39.93, 0.2);
        assert_eq!(find(&ankara, "TR"), &("TR".to_owned(), true, true));
        for far in ["CA", "US"] {
            let (_, projected, drawn) = find(&ankara, far);
            assert!(
                !projected && !drawn,
                "{far} is prepared for a view of Ankara"
            );
        }
        // Beside the cut meridian, both are prepared and drawn (split into their pieces).
        let yukon = prepared_around(-139.5, 62.0, 0.05);
        for near in ["CA", "US"] {
            let (_, projected, drawn) = find(&yukon, near);
            assert!(
                *projected && *drawn,
                "{near} is missing from a view of the Yukon"
            );
        }
    }

    /// One country of a ring through `corners` (degrees, whole numbers), densified to a position a
    /// degree, as a coast is.
    fn one_country(corners: &[[i32; 2]]) -> CompactTopology {
        let mut arc = vec![corners[0]];
        for pair in corners.windows(2) {
            let ([x0, y0], [x1, y1]) = (pair[0], pair[1]);
            // Not along the antimeridian, from 180°E to 180°W: one meridian.
            let steps = if (x1 - x0).abs() > 180 {
                1
            } else {
                (x1 - x0).abs().max((y1 - y0).abs())
            };
            arc.extend(
                (1..=steps).map(|k| [x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps]),
            );
        }
        CompactTopology {
            scale: [1.0, 1.0],
            translate: [0.0, 0.0],
            arcs: vec![arc],
            features: vec![CompactFeature {
                id: None,
                name: Some("L".to_owned()),
                iso_a2: None,
                polygons: vec![vec![vec![ArcRef {
                    arc: 0,
                    reversed: false,
                }]]],
            }],
        }
    }

    /// An area of the map around (`lon`, `lat`), `half` degrees (at the equator) to each side.
    fn area_around(projection: &Projection, lon: f64, lat: f64, half: f64) -> WorldRect {
        let [x, y] = projection.project(lon, lat).expect("projects");
        let h = half.to_radians();
        WorldRect {
            min: [x - h, y - h],
            max: [x + h, y + h],
        }
    }

    #[test]
    fn a_country_is_prepared_for_an_area_its_edge_or_its_inside_reaches_and_not_for_its_notch() {
        let mercator = Projection::WebMercator { central_lon: 0.0 };
        // An L: its box holds the area at (30, 30), which lies in its notch, outside.
        let l = one_country(&[
            [0, 0],
            [40, 0],
            [40, 10],
            [10, 10],
            [10, 40],
            [0, 40],
            [0, 0],
        ]);
        let reaches =
            |lon, lat, half| l.reaching(&mercator, Some(area_around(&mercator, lon, lat, half)))[0];
        assert!(!reaches(30.0, 30.0, 2.0), "the notch");
        assert!(reaches(30.0, 30.0, 25.0), "around the notch");
        // The edge crosses the area, or the area lies wholly inside.
        assert!(reaches(10.0, 30.0, 1.0), "on the edge");
        assert!(reaches(5.0, 30.0, 0.5), "inside the upright");
        assert!(reaches(30.0, 5.0, 0.5), "inside the foot");
        assert!(!reaches(60.0, 5.0, 5.0), "beside it");
        assert!(!reaches(-100.0, -40.0, 5.0), "far away");
        // No area: everything.
        assert!(l.reaching(&mercator, None)[0]);
    }

    #[test]
    fn a_country_across_the_antimeridian_is_tested_in_longitudes_from_the_central_meridian() {
        // Fiji's way: a ring from 177°E across 180° to 178°W, written with a step along the antimeridian
        // from 180°E to 180°W (one meridian once projected). Its box of longitudes is the whole circle.
        let fiji = one_country(&[
            [177, -19],
            [180, -19],
            [-180, -19],
            [-178, -19],
            [-178, -15],
            [-180, -15],
            [180, -15],
            [177, -15],
            [177, -19],
        ]);
        let pacific = Projection::WebMercator { central_lon: 170.0 };
        let europe = Projection::WebMercator { central_lon: 20.0 };
        assert!(fiji.reaching(&pacific, Some(area_around(&pacific, 179.0, -17.0, 1.0)))[0]);
        assert!(
            fiji.reaching(&pacific, Some(area_around(&pacific, 179.0, -17.0, 0.2)))[0],
            "inside"
        );
        assert!(!fiji.reaching(&europe, Some(area_around(&europe, 20.0, -17.0, 30.0)))[0]);
        assert!(!fiji.reaching(&pacific, Some(area_around(&pacific, 165.0, -17.0, 5.0)))[0]);
        // Centred on 0°, the map is cut at 180°: the ring is split there, and told by its box.
        let mercator = Projection::WebMercator { central_lon: 0.0 };
        assert!(fiji.reaching(&mercator, Some(area_around(&mercator, 179.0, -17.0, 0.2)))[0]);
        assert!(!fiji.reaching(&mercator, Some(area_around(&mercator, 20.0, -17.0, 30.0)))[0]);
    }

    /// The 1:10m world in a wide view of Europe, Africa and the Middle East (a conic centred on 25.45°E,
    /// the generated 100,000-contact story's), whose box is reached by the United States' (Maine lies a
    /// few pixels out) and by Fiji's (across the antimeridian, the whole circle of longitudes).
    #[test]
    fn a_wide_view_leaves_out_the_countries_whose_box_alone_reaches_it_and_is_made_from_the_arcs() {
        use crate::geo_math::projection::Lambert;
        let projection = Projection::LambertConic(Lambert::new(25.45, 32.5, 14.17, 50.83));
        let area = WorldRect {
            min: [-0.927, -0.876],
            max: [1.454, 1.001],
        };
        let topology = decode(crate::basemap::embedded::WORLD_10M).expect("decodes");
        let reaching = topology.reaching(&projection, Some(area));
        let code = |i: usize| topology.features[i].iso_a2.as_deref().unwrap_or("");
        let prepared: Vec<&str> = (0..reaching.len())
            .filter(|&i| reaching[i])
            .map(code)
            .collect();
        for near in ["TR", "EG", "RU", "NO", "IN", "CN", "GL"] {
            assert!(prepared.contains(&near), "{near} is left out");
        }
        for far in ["US", "FJ", "BR", "ZA", "AU", "NZ"] {
            assert!(!prepared.contains(&far), "{far} is prepared");
        }
        // Every country left out is wholly outside: none of its positions lies in the area.
        for (i, _) in reaching.iter().enumerate().filter(|(_, r)| !**r) {
            let Some(Geometry::MultiPolygon(g)) = topology.geometry(i) else {
                continue;
            };
            for p in g.0.iter().flat_map(|p| p.exterior().0.iter()) {
                let inside = projection.project(p.x, p.y).is_some_and(|[x, y]| {
                    (area.min[0]..=area.max[0]).contains(&x)
                        && (area.min[1]..=area.max[1]).contains(&y)
                });
                assert!(!inside, "{} is left out, yet {p:?} is in the area", code(i));
            }
        }
        let (from_arcs, stitched) = both_ways_in(&topology, projection, Some(area));
        assert_same(
            &from_arcs.expect("made from the arcs"),
            &stitched,
            "wide view",
        );
    }

    #[test]
    fn the_positions_that_may_cut_arcs_are_those_met_twice_or_ending_an_arc() {
        let topology = decode(crate::basemap::embedded::WORLD_10M).expect("decodes");
        let all = vec![true; topology.arcs.len()];
        let candidates = topology.met_twice(&all);
        let mut count: FxHashMap<[i32; 2], usize> = FxHashMap::default();
        for arc in &topology.arcs {
            for p in arc.iter().skip(1).take(arc.len().saturating_sub(2)) {
                *count.entry(*p).or_default() += 1;
            }
        }
        // Every position met twice inside the arcs, or inside one and at an arc's end, and no other.
        let expected: FxHashSet<[i32; 2]> = count
            .iter()
            .filter(|(p, n)| **n > 1 || candidates.arc_ends.contains(*p))
            .map(|(p, _)| *p)
            .collect();
        let found: FxHashSet<[i32; 2]> = candidates.met.keys().copied().collect();
        assert_eq!(found, expected);
        for (p, at) in &candidates.met {
            assert_eq!(at.len(), count[p], "{p:?}");
            assert!(at.iter().all(|&(arc, i)| topology.arcs[arc][i] == *p));
        }
    }
}
