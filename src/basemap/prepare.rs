//! Preparing a layer for drawing, once: split at the projection's cut meridian, project, and build the
//! topology of shared borders. Each zoom level's simplified, triangulated geometry is then made on demand
//! and cached, so a frame never re-projects or re-simplifies the world.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;

use crate::geo_math::antimeridian::{split_line_string, split_polygon};
use crate::geo_math::camera::WorldRect;
use crate::geo_math::projection::{Projection, World};
use crate::geo_math::topology::{self, Topology};
use crate::model::map::Layer;

/// Tolerance of level 0, in world units (Earth radii): about 300 km. Level `k` halves it `k` times.
const LEVEL0_TOLERANCE: f64 = 0.05;
/// The finest level: tolerance below a metre, drawn unsimplified.
pub const MAX_LEVEL: u8 = 22;

/// A polygon as indices of rings in the layer's topology: the outer ring and its holes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolygonRings {
    pub outer: usize,
    pub holes: Vec<usize>,
}

/// A feature ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedFeature {
    /// Index of the feature in its [`Layer`], for its properties.
    pub index: usize,
    pub label: Option<String>,
    /// Its ISO 3166-1 alpha-2 code (property `iso_a2`, as Natural Earth names it), for the scenario's
    /// spelling of its name.
    pub code: Option<String>,
    /// Where to put the label: the centre of the feature's largest polygon's bounding box.
    pub label_at: Option<World>,
    pub bounds: WorldRect,
    pub polygons: Vec<PolygonRings>,
    /// Indices into the layer's lines.
    pub lines: Vec<usize>,
    pub points: Vec<World>,
}

/// One zoom level's geometry, in world coordinates.
#[derive(Debug)]
pub struct Level {
    pub tolerance: f64,
    /// The lines to stroke: the arcs without their stretches along the edge of the map or of a clipped
    /// layer (artefacts of flattening and cutting, not coasts), with their bounds.
    pub strokes: Vec<(Vec<World>, WorldRect)>,
    /// Per feature (same order as [`PreparedLayer::features`]): triangles filling its polygons.
    pub fills: Vec<Fill>,
    pub lines: Vec<Vec<World>>,
}

/// Triangles: vertices and indices into them, three per triangle.
#[derive(Clone, Debug, Default)]
pub struct Fill {
    pub vertices: Vec<World>,
    pub indices: Vec<u32>,
}

/// A layer projected and ready to draw at any zoom.
#[derive(Debug)]
pub struct PreparedLayer {
    pub name: String,
    pub projection: Projection,
    pub bounds: WorldRect,
    pub features: Vec<PreparedFeature>,
    /// For one of the embedded basemap's levels of detail: the camera scale it is drawn from (see
    /// the scene's `basemap::shown`); `None` for a layer drawn at every scale.
    pub from_scale: Option<f64>,
    topology: Topology,
    /// Where the layer was clipped to (longitude/latitude), if it was.
    cut: Option<geo::Rect<f64>>,
    /// For each arc: whether any of its vertices lies on an edge (of the map or of the cut).
    touches_edge: Vec<bool>,
    lines: Vec<Vec<World>>,
    /// The zoom levels made, most recently used last; at most [`LEVELS_KEPT`].
    levels: Mutex<Vec<(u8, Arc<Level>)>>,
}

/// Where a feature lies and where its label goes, gathered polygon by polygon: its bounds, and the centre
/// of its largest polygon's box (by area; the first of equals).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FeaturePlace {
    pub bounds: WorldRect,
    largest: (f64, Option<World>),
}

impl Default for FeaturePlace {
    fn default() -> Self {
        Self {
            bounds: WorldRect::EMPTY,
            largest: (0.0, None),
        }
    }
}

impl FeaturePlace {
    /// Adds a polygon whose outer ring spans `ring`.
    pub fn add_polygon(&mut self, ring: &WorldRect) {
        let size = ring.width() * ring.height();
        if size > self.largest.0 {
            self.largest = (size, Some(ring.center()));
        }
        self.bounds = self.bounds.union(ring);
    }

    /// The label's place: the centre of the largest polygon's box, else of the bounds.
    pub fn label_at(&self) -> Option<World> {
        self.largest
            .1
            .or_else(|| (!self.bounds.is_empty()).then(|| self.bounds.center()))
    }
}

/// How many zoom levels a layer keeps: the one drawn and the one before it, so that zooming back and forth
/// across one step makes nothing twice. A level of the 1:10m world takes up to 40 MB when zoomed in, and a
/// user who zooms through ten levels would otherwise keep them all.
pub const LEVELS_KEPT: usize = 2;

/// What preparing needs of one feature: its label, its ISO 3166-1 alpha-2 code and its geometry in degrees
/// (borrowed from a [`Layer`], or made for the occasion and dropped once projected).
#[derive(Debug)]
pub struct SourceFeature<'a> {
    pub label: Option<String>,
    pub code: Option<String>,
    pub geometry: Option<Cow<'a, Geometry<f64>>>,
}

/// What a layer is prepared for, besides its projection.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extent<'a> {
    /// A longitude/latitude rectangle the layer was clipped to (its edges are not borders and are not
    /// stroked), if any.
    pub cut: Option<geo::Rect<f64>>,
    /// The area (world coordinates) a view will show, if only that: the polygons and lines that do not
    /// reach into it are left out.
    pub area: Option<WorldRect>,
    /// Positions (world coordinates) that end arcs in a source that came with shared arcs (the embedded
    /// basemap's): they stay junctions, so that the part of the layer in an area is cut into the same
    /// arcs, and simplified the same, as when the whole layer is prepared.
    pub junctions: &'a [World],
}

/// An area of the map (world coordinates) and the longitudes (relative to the central meridian, see
/// [`Projection::relative_lon`]) and latitudes it covers, to tell cheaply, from a feature's box of
/// longitudes and latitudes, whether it may reach into the area ([`AreaTest::may_reach`]) before it is
/// projected.
#[derive(Clone, Copy, Debug)]
pub struct AreaTest {
    area: WorldRect,
    /// The relative longitudes and the latitudes the area covers, when they are known (not when it holds a
    /// pole or reaches off the map).
    degrees: Option<([f64; 2], [f64; 2])>,
}

/// Points projected along each side of a box.
const SIDE_STEPS: u32 = 16;

/// The points along the sides of the box from `a` to `b`, `SIDE_STEPS` to a side.
fn box_sides(a: [f64; 2], b: [f64; 2]) -> impl Iterator<Item = [f64; 2]> {
    (0..=SIDE_STEPS).flat_map(move |i| {
        let t = f64::from(i) / f64::from(SIDE_STEPS);
        let x = a[0] + t * (b[0] - a[0]);
        let y = a[1] + t * (b[1] - a[1]);
        [[x, a[1]], [x, b[1]], [a[0], y], [b[0], y]]
    })
}

/// `b` widened by 5 % of its larger side on each side: more than an edge between two points of
/// [`box_sides`] can bulge once projected or unprojected (a meridian is straight in both projections, a
/// parallel straight or an arc of at most 14 degrees between two points, which bulges by under 3 % of its
/// chord).
fn widened(b: WorldRect) -> WorldRect {
    let pad = 0.05 * b.width().max(b.height()) + 1e-9;
    WorldRect {
        min: [b.min[0] - pad, b.min[1] - pad],
        max: [b.max[0] + pad, b.max[1] + pad],
    }
}

impl AreaTest {
    pub fn new(projection: &Projection, area: WorldRect) -> Self {
        let inside = |p: Option<World>| {
            p.is_some_and(|[x, y]| {
                (area.min[0]..=area.max[0]).contains(&x) && (area.min[1]..=area.max[1]).contains(&y)
            })
        };
        let pole_inside = [-90.0, 90.0]
            .into_iter()
            .any(|lat| inside(projection.project_relative(0.0, lat)));
        let mut degrees = WorldRect::EMPTY;
        let mut known = !pole_inside;
        for p in box_sides(area.min, area.max) {
            match projection.unproject(p) {
                Some((lon, lat)) => degrees.extend([projection.relative_lon(lon), lat]),
                None => known = false,
            }
        }
        let degrees = (known && !degrees.is_empty()).then(|| {
            let d = widened(degrees);
            ([d.min[0], d.max[0]], [d.min[1], d.max[1]])
        });
        Self { area, degrees }
    }

    /// Whether a feature within relative longitudes `rel_lon` and latitudes `lat` (degrees) may reach into
    /// the area once projected: `false` only when it surely does not.
    pub fn may_reach(&self, projection: &Projection, rel_lon: [f64; 2], lat: [f64; 2]) -> bool {
        if let Some((a_lon, a_lat)) = self.degrees
            && (rel_lon[1] < a_lon[0]
                || rel_lon[0] > a_lon[1]
                || lat[1] < a_lat[0]
                || lat[0] > a_lat[1])
        {
            return false;
        }
        let mut bounds = WorldRect::EMPTY;
        for [x, y] in box_sides([rel_lon[0], lat[0]], [rel_lon[1], lat[1]]) {
            match projection.project_relative(x, y) {
                Some(p) => bounds.extend(p),
                None => return true,
            }
        }
        widened(bounds).intersects(&self.area)
    }
}

/// Features are projected this many at a time (in parallel), and their rings handed to the topology while
/// the next ones are projected: the whole layer is never held projected at once.
const FEATURES_AT_ONCE: usize = 16;

/// A feature's geometry after splitting and projecting, before the topology is built.
struct Projected {
    polygons: Vec<Vec<Vec<Coord<f64>>>>,
    lines: Vec<Vec<World>>,
    points: Vec<World>,
}

impl PreparedLayer {
    /// Splits, projects and builds the topology of `layer`. `cut` is a longitude/latitude rectangle the
    /// layer was clipped to (its edges are not borders and are not stroked), if any.
    pub fn new(layer: &Layer, projection: Projection, cut: Option<geo::Rect<f64>>) -> Self {
        Self::new_with(
            layer,
            projection,
            Extent {
                cut,
                ..Extent::default()
            },
        )
    }

    /// [`PreparedLayer::new`], for an [`Extent`].
    pub fn new_with(layer: &Layer, projection: Projection, extent: Extent<'_>) -> Self {
        use geo::CoordsIter as _;
        let positions = layer
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .map(|g| g.coords_count())
            .sum();
        Self::from_features(
            &layer.name,
            layer.features.len(),
            positions,
            |i| {
                let f = &layer.features[i];
                SourceFeature {
                    label: f.label.clone(),
                    code: iso_a2(f),
                    geometry: f.geometry.as_ref().map(Cow::Borrowed),
                }
            },
            projection,
            extent,
        )
    }

    /// Splits, projects and builds the topology of `count` features, feature `i` given by `feature(i)`
    /// (called once each, from several threads), as [`PreparedLayer::new`] does for a layer's.
    /// `positions` is about how many positions they have, for the tables' first sizes. With an area
    /// ([`Extent::area`]), only the polygons and lines that reach into it are prepared, whole (not cut
    /// at its edges, so a view inside it looks as if the whole layer were prepared); every feature keeps
    /// its bounds and label place, except one given without geometry (a caller that knows it lies
    /// outside the area need not make it: it is neither drawn nor labelled in the area).
    pub fn from_features<'a>(
        name: &str,
        count: usize,
        positions: usize,
        feature: impl Fn(usize) -> SourceFeature<'a> + Sync,
        projection: Projection,
        extent: Extent<'_>,
    ) -> Self {
        let batches = (0..count)
            .step_by(FEATURES_AT_ONCE)
            .map(|start| start..(start + FEATURES_AT_ONCE).min(count));
        let project = |range: std::ops::Range<usize>| {
            range
                .into_par_iter()
                .map(|i| {
                    let mut source = feature(i);
                    let p = project_geometry(source.geometry.take().as_deref(), &projection);
                    (source, p)
                })
                .collect()
        };
        Self::from_batches(name, count, positions, batches, project, projection, extent)
    }

    /// [`PreparedLayer::new`] of features as they come, while they are still being read (a map file's
    /// reader sends each feature as soon as it is whole): they are projected and added to the topology
    /// meanwhile, so preparing takes little longer than reading. `positions` is about how many positions
    /// they have, for the tables' first sizes. Ends when the sender is dropped.
    pub fn from_stream(
        name: &str,
        features: std::sync::mpsc::Receiver<crate::model::map::Feature>,
        positions: usize,
        projection: Projection,
        extent: Extent<'_>,
    ) -> Self {
        // What has come, up to a batch, waiting for the first only.
        let batches = std::iter::from_fn(move || {
            let first = features.recv().ok()?;
            let mut batch = Vec::with_capacity(FEATURES_AT_ONCE);
            batch.push(first);
            batch.extend(features.try_iter().take(FEATURES_AT_ONCE - 1));
            Some(batch)
        });
        let project = |batch: Vec<crate::model::map::Feature>| {
            batch
                .into_par_iter()
                .map(|f| {
                    let p = project_geometry(f.geometry.as_ref(), &projection);
                    let source = SourceFeature {
                        code: iso_a2(&f),
                        label: f.label,
                        geometry: None,
                    };
                    (source, p)
                })
                .collect()
        };
        Self::from_batches(name, 0, positions, batches, project, projection, extent)
    }

    /// The body of [`PreparedLayer::from_features`] and [`PreparedLayer::from_stream`]: the features
    /// come in batches, each projected by `project` (on the other cores) while the one before is added
    /// to the topology. `count` is about how many there are.
    fn from_batches<'a, B: Send>(
        name: &str,
        count: usize,
        positions: usize,
        mut batches: impl Iterator<Item = B> + Send,
        project: impl Fn(B) -> Vec<(SourceFeature<'a>, Projected)> + Sync,
        projection: Projection,
        extent: Extent<'_>,
    ) -> Self {
        let Extent {
            cut,
            area,
            junctions,
        } = extent;
        // A region holds a part of the layer; the tables grow if it is more.
        let positions = if area.is_some() {
            positions / 4
        } else {
            positions
        };
        let mut builder = topology::Builder::with_capacity(positions);
        let mut features = Vec::with_capacity(count);
        let mut lines = Vec::new();
        let mut bounds = WorldRect::EMPTY;
        let mut next = batches.next().map(&project);
        while let Some(projected) = next.take() {
            let add = || {
                for (source, p) in projected {
                    let index = features.len();
                    let outside = |b: &WorldRect| area.is_some_and(|a| !b.intersects(&a));
                    let mut place = FeaturePlace::default();
                    let mut polygons = Vec::with_capacity(p.polygons.len());
                    for polygon in &p.polygons {
                        let mut poly_bounds = WorldRect::EMPTY;
                        for c in &polygon[0] {
                            poly_bounds.extend([c.x, c.y]);
                        }
                        place.add_polygon(&poly_bounds);
                        if outside(&poly_bounds) {
                            // Its bounds and label place still count, so they are the same as when the
                            // whole layer is prepared.
                            continue;
                        }
                        let outer = builder.ring_count();
                        for ring in polygon {
                            builder.add_ring(ring);
                        }
                        polygons.push(PolygonRings {
                            outer,
                            holes: (outer + 1..outer + polygon.len()).collect(),
                        });
                    }
                    let mut line_ids = Vec::with_capacity(p.lines.len());
                    for line in p.lines {
                        let mut line_bounds = WorldRect::EMPTY;
                        line.iter().for_each(|&w| line_bounds.extend(w));
                        place.bounds = place.bounds.union(&line_bounds);
                        if !outside(&line_bounds) {
                            line_ids.push(lines.len());
                            lines.push(line);
                        }
                    }
                    p.points.iter().for_each(|&w| place.bounds.extend(w));
                    if !place.bounds.is_empty() {
                        bounds = bounds.union(&place.bounds);
                    }
                    features.push(PreparedFeature {
                        index,
                        label: source.label,
                        code: source.code,
                        label_at: place.label_at(),
                        bounds: place.bounds,
                        polygons,
                        lines: line_ids,
                        points: p.points,
                    });
                }
            };
            // The next features are projected (on the other cores) while these are added to the topology.
            next = rayon::join(|| batches.next().map(&project), add).0;
        }
        for &[x, y] in junctions {
            builder.add_junction(Coord { x, y });
        }
        let topology = builder.finish();
        Self::from_topology(name, projection, (bounds, features), topology, cut, lines)
    }

    /// A layer of `features` (and their `bounds`) over `topology`, whose rings their polygons index.
    pub(crate) fn from_topology(
        name: &str,
        projection: Projection,
        (bounds, features): (WorldRect, Vec<PreparedFeature>),
        topology: Topology,
        cut: Option<geo::Rect<f64>>,
        lines: Vec<Vec<World>>,
    ) -> Self {
        let touches_edge = topology
            .arcs
            .par_iter()
            .map(|arc| touches_edge(arc, &projection, cut))
            .collect();
        Self {
            name: name.to_owned(),
            projection,
            bounds,
            features,
            from_scale: None,
            topology,
            cut,
            touches_edge,
            lines,
            levels: Mutex::new(Vec::new()),
        }
    }

    /// The shared-border topology the layer is drawn from.
    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// For each arc of [`PreparedLayer::topology`], whether it touches an edge of the map (or of the cut).
    pub fn arcs_touching_edges(&self) -> &[bool] {
        &self.touches_edge
    }

    /// Marks the layer as a level of detail drawn from `scale` on (see [`PreparedLayer::from_scale`]).
    #[must_use]
    pub fn drawn_from_scale(mut self, scale: f64) -> Self {
        self.from_scale = Some(scale);
        self
    }

    /// The first feature whose polygons contain the point (longitude, latitude in degrees), as they are
    /// drawn: split, projected and unsimplified.
    pub fn feature_at(&self, lon: f64, lat: f64) -> Option<&PreparedFeature> {
        use geo::Contains as _;
        let [x, y] = self.projection.project(lon, lat)?;
        let point = Coord { x, y };
        let ring = |index: usize| {
            topology::ring_coords(&self.topology, &self.topology.arcs, index).map(LineString)
        };
        self.features.iter().find(|f| {
            let b = &f.bounds;
            (b.min[0]..=b.max[0]).contains(&x)
                && (b.min[1]..=b.max[1]).contains(&y)
                && f.polygons.iter().any(|p| {
                    ring(p.outer).is_some_and(|outer| {
                        let holes = p.holes.iter().filter_map(|&h| ring(h)).collect();
                        Polygon::new(outer, holes).contains(&point)
                    })
                })
        })
    }

    /// The level whose simplification is below half a point at `scale` (points per world unit).
    pub fn level_for_scale(scale: f64) -> u8 {
        let wanted = 0.5 / scale.max(1e-9);
        let k = (LEVEL0_TOLERANCE / wanted).log2().ceil();
        if k.is_finite() {
            k.clamp(0.0, f64::from(MAX_LEVEL)) as u8
        } else {
            MAX_LEVEL
        }
    }

    pub fn tolerance(level: u8) -> f64 {
        if level >= MAX_LEVEL {
            0.0
        } else {
            LEVEL0_TOLERANCE / f64::from(1u32 << level.min(30))
        }
    }

    /// The geometry of a zoom level, made on first use and kept while it is one of the [`LEVELS_KEPT`]
    /// most recently used.
    pub fn level(&self, level: u8) -> Arc<Level> {
        let level = level.min(MAX_LEVEL);
        if let Ok(mut levels) = self.levels.lock()
            && let Some(at) = levels.iter().position(|(l, _)| *l == level)
        {
            let used = levels.remove(at);
            let cached = Arc::clone(&used.1);
            levels.push(used);
            return cached;
        }
        let made = Arc::new(self.make_level(level));
        if let Ok(mut levels) = self.levels.lock() {
            // Another thread may have made it meanwhile: keep one.
            levels.retain(|(l, _)| *l != level);
            levels.push((level, Arc::clone(&made)));
            let excess = levels.len().saturating_sub(LEVELS_KEPT);
            levels.drain(..excess);
        }
        made
    }

    /// The zoom levels kept, least recently used first.
    pub fn levels_kept(&self) -> Vec<u8> {
        self.levels
            .lock()
            .map(|l| l.iter().map(|(level, _)| *level).collect())
            .unwrap_or_default()
    }

    /// The geometry of a zoom level for what meets `area` (world coordinates): the fills of the features
    /// whose bounds meet it and the borders whose arcs do, each as [`PreparedLayer::level`] makes it (an
    /// arc is simplified on its own, a polygon triangulated on its own), the rest left empty. The level
    /// when it is kept already, or `area` is `None`; else made for the occasion and not kept: the
    /// window's first frame needs the 1:50m world's level around its view only.
    pub fn level_within(&self, level: u8, area: Option<WorldRect>) -> Arc<Level> {
        let level = level.min(MAX_LEVEL);
        let kept = self.levels.lock().ok().and_then(|levels| {
            levels
                .iter()
                .find(|(l, _)| *l == level)
                .map(|(_, made)| Arc::clone(made))
        });
        match (kept, area) {
            (Some(made), _) => made,
            (None, None) => self.level(level),
            (None, Some(area)) => Arc::new(self.make_level_within(level, Some(area), false)),
        }
    }

    /// The geometry of zoom level `level` for pictures of `area` (world coordinates) alone, kept as that
    /// level: an export, which draws one view of a layer prepared for it, makes only what shows there.
    /// The arcs that lie outside the area are cut down to their ends, and the fills are clipped to the
    /// area ([`clip::ring_to_rect`]) before they are triangulated: inside the area, it covers and strokes
    /// what [`PreparedLayer::level`] does. (An arc outside and the chord between its ends both lie in its
    /// box, outside the area: a ring cut down so winds around every point of the area as it did.)
    pub fn keep_level_for_area(&self, level: u8, area: WorldRect) -> Arc<Level> {
        let level = level.min(MAX_LEVEL);
        let made = Arc::new(self.make_level_within(level, Some(area), true));
        if let Ok(mut levels) = self.levels.lock() {
            levels.retain(|(l, _)| *l != level);
            levels.push((level, Arc::clone(&made)));
            let excess = levels.len().saturating_sub(LEVELS_KEPT);
            levels.drain(..excess);
        }
        made
    }

    fn make_level(&self, level: u8) -> Level {
        self.make_level_within(level, None, false)
    }

    /// The level, for what meets `area` when one is given, and with `clipped`, only inside it (see
    /// [`PreparedLayer::keep_level_for_area`]).
    fn make_level_within(&self, level: u8, area: Option<WorldRect>, clipped: bool) -> Level {
        let tolerance = Self::tolerance(level);
        let meets = |b: &WorldRect| area.is_none_or(|a| b.intersects(&a));
        let clip = area.filter(|_| clipped);
        let arcs_c = match area {
            None => topology::simplify_arcs(&self.topology, tolerance),
            Some(area) if clipped => self
                .topology
                .arcs
                .par_iter()
                .map(|arc| {
                    let mut b = WorldRect::EMPTY;
                    arc.iter().for_each(|c| b.extend([c.x, c.y]));
                    if b.intersects(&area) {
                        topology::simplify_arc(arc, tolerance)
                    } else {
                        arc.first().into_iter().chain(arc.last()).copied().collect()
                    }
                })
                .collect(),
            Some(_) => {
                // The arcs of the features met, and those that meet the area themselves.
                let mut needed: Vec<bool> = self
                    .topology
                    .arcs
                    .iter()
                    .map(|arc| {
                        let mut b = WorldRect::EMPTY;
                        arc.iter().for_each(|c| b.extend([c.x, c.y]));
                        meets(&b)
                    })
                    .collect();
                for f in self.features.iter().filter(|f| meets(&f.bounds)) {
                    for polygon in &f.polygons {
                        for ring in
                            std::iter::once(polygon.outer).chain(polygon.holes.iter().copied())
                        {
                            for r in self.topology.rings.get(ring).into_iter().flatten() {
                                if let Some(n) = needed.get_mut(r.arc) {
                                    *n = true;
                                }
                            }
                        }
                    }
                }
                self.topology
                    .arcs
                    .par_iter()
                    .zip(needed)
                    .map(|(arc, needed)| {
                        if needed {
                            topology::simplify_arc(arc, tolerance)
                        } else {
                            Vec::new()
                        }
                    })
                    .collect()
            }
        };
        let fills = self
            .features
            .par_iter()
            .map(|f| {
                let mut fill = Fill::default();
                if meets(&f.bounds) {
                    for polygon in &f.polygons {
                        triangulate(&self.topology, &arcs_c, polygon, clip, &mut fill);
                    }
                }
                fill
            })
            .collect();
        let strokes = arcs_c
            .iter()
            .enumerate()
            .flat_map(|(i, arc)| {
                let arc: Vec<World> = arc.iter().map(|c| [c.x, c.y]).collect();
                if self.touches_edge.get(i).copied().unwrap_or(false) {
                    self.without_edges(&arc)
                } else {
                    vec![arc]
                }
            })
            .filter(|s| s.len() >= 2)
            .map(|s| {
                let mut b = WorldRect::EMPTY;
                s.iter().for_each(|&w| b.extend(w));
                (s, b)
            })
            .collect();
        let lines = self
            .lines
            .iter()
            .map(|line| {
                if tolerance <= 0.0 {
                    return line.clone();
                }
                use geo::Simplify as _;
                let ls = LineString::from(
                    line.iter()
                        .map(|w| Coord { x: w[0], y: w[1] })
                        .collect::<Vec<_>>(),
                );
                ls.simplify(tolerance)
                    .0
                    .iter()
                    .map(|c| [c.x, c.y])
                    .collect()
            })
            .collect();
        Level {
            tolerance,
            strokes,
            fills,
            lines,
        }
    }
}

/// Appends the triangles of one polygon at a level to `fill`, of its part in `clip` when one is given.
fn triangulate(
    topology: &Topology,
    arcs: &[Vec<Coord<f64>>],
    polygon: &PolygonRings,
    clip: Option<WorldRect>,
    fill: &mut Fill,
) {
    // Earcut wants open rings.
    let open = |ring: Vec<Coord<f64>>| -> Vec<Coord<f64>> {
        match clip {
            Some(rect) => crate::geo_math::clip::ring_to_rect(&ring, &rect),
            None => {
                let mut ring = ring;
                ring.pop();
                ring
            }
        }
    };
    let Some(outer) = topology::ring_coords(topology, arcs, polygon.outer).map(open) else {
        return;
    };
    if outer.len() < 3 {
        return;
    }
    let mut data: Vec<[f64; 2]> = Vec::with_capacity(outer.len());
    data.extend(outer.iter().map(|c| [c.x, c.y]));
    let mut holes: Vec<u32> = Vec::with_capacity(polygon.holes.len());
    for &h in &polygon.holes {
        if let Some(ring) = topology::ring_coords(topology, arcs, h).map(open)
            && ring.len() >= 3
        {
            holes.push(data.len() as u32);
            data.extend(ring.iter().map(|c| [c.x, c.y]));
        }
    }
    let mut triangles: Vec<u32> = Vec::new();
    earcut::Earcut::new().earcut(data.iter().copied(), &holes, &mut triangles);
    let base = fill.vertices.len() as u32;
    fill.vertices.extend(data);
    fill.indices.extend(triangles.into_iter().map(|i| base + i));
}

impl PreparedLayer {
    /// The runs of an arc that are not along an edge: a segment whose two ends are on an edge is dropped.
    fn without_edges(&self, arc: &[World]) -> Vec<Vec<World>> {
        let mut runs = Vec::new();
        let mut run: Vec<World> = Vec::new();
        let mut previous_on_edge = false;
        for (i, &w) in arc.iter().enumerate() {
            let edge = on_edge(&Coord { x: w[0], y: w[1] }, &self.projection, self.cut);
            if i > 0 && edge && previous_on_edge {
                if run.len() >= 2 {
                    runs.push(std::mem::take(&mut run));
                }
                run.clear();
            }
            run.push(w);
            previous_on_edge = edge;
        }
        if run.len() >= 2 {
            runs.push(run);
        }
        runs
    }
}

/// Whether a projected point lies on an edge that is an artefact rather than a coast: the edge of the flat
/// map (its cut meridian, a pole), the antimeridian where data was split, or the rectangle a layer was
/// clipped to.
fn on_edge(c: &Coord<f64>, projection: &Projection, cut: Option<geo::Rect<f64>>) -> bool {
    const EPS: f64 = 1e-6;
    projection.unproject([c.x, c.y]).is_some_and(|(lon, lat)| {
        let on_cut = cut.is_some_and(|rect| {
            (lon - rect.min().x).abs() < EPS
                || (lon - rect.max().x).abs() < EPS
                || (lat - rect.min().y).abs() < EPS
                || (lat - rect.max().y).abs() < EPS
        });
        on_cut
            || lon.abs() >= 180.0 - EPS
            || projection.on_map_edge(projection.relative_lon(lon), lat)
    })
}

/// Whether any point of an arc is on an edge ([`on_edge`]). On Web Mercator, where longitude follows x
/// alone and latitude y alone, an arc whose bounds keep away from every edge is known to touch none
/// without unprojecting each of its points (most arcs of a world map).
fn touches_edge(arc: &[Coord<f64>], projection: &Projection, cut: Option<geo::Rect<f64>>) -> bool {
    let far = match projection {
        Projection::WebMercator { central_lon } => {
            mercator_bounds_near_edge(arc, *central_lon, cut)
        }
        Projection::LambertConic(l) if cut.is_none() => lambert_near_edge(arc, l),
        Projection::LambertConic(_) => None,
    };
    if far == Some(false) {
        return false;
    }
    arc.iter().any(|c| on_edge(c, projection, cut))
}

/// Whether an arc on a Lambert conic comes near an edge of [`on_edge`] without a layer's cut (with room to
/// spare, so `Some(false)` is sure); `None` when it cannot tell (a cone opening south, a point that is not
/// finite). Told from each point's distance from the apex (which gives its latitude) and its direction
/// from there (which gives its longitude): no point is unprojected.
fn lambert_near_edge(
    arc: &[Coord<f64>],
    cone: &crate::geo_math::projection::Lambert,
) -> Option<bool> {
    // Far wider than the tolerances of `on_edge` (a millionth of a degree) and than rounding.
    const ROOM_DEG: f64 = 1e-3;
    let n = cone.cone_constant();
    if !(n > 0.0 && n <= 1.0) {
        return None;
    }
    // The meridians that are edges: the cut (relative longitude ±180) and the antimeridian.
    let antimeridian = crate::geo_math::projection::wrap_lon(180.0 - cone.central_lon);
    let directions = [180.0, -180.0, antimeridian].map(|rel: f64| {
        let theta = n * rel.to_radians();
        [theta.sin(), theta.cos()]
    });
    // A point is near a meridian when its direction from the apex is within this angle of the meridian's.
    let cos_room = (n * ROOM_DEG.to_radians()).cos();
    // The edge latitudes (±89 on a cone): nearer the shown pole than `inner`, or past `outer` toward the
    // hidden one. The radius falls as the latitude rises.
    let inner = cone.radius_at(89.0 - ROOM_DEG);
    let outer = cone.radius_at(-89.0 + ROOM_DEG);
    if !(inner.is_finite() && outer.is_finite() && inner < outer) {
        return None;
    }
    let [ax, ay] = cone.apex();
    for c in arc {
        let (x, dy) = (c.x - ax, ay - c.y);
        let r = x.hypot(dy);
        if !r.is_finite() {
            return None;
        }
        if r <= inner || r >= outer {
            return Some(true);
        }
        if directions
            .iter()
            .any(|&[sin, cos]| x * sin + dy * cos >= r * cos_room)
        {
            return Some(true);
        }
    }
    Some(false)
}

/// Whether the bounds of an arc on Web Mercator come near an edge of [`on_edge`] (with room to spare, so
/// `Some(false)` is sure); `None` when they cannot tell (a point that is not finite).
fn mercator_bounds_near_edge(
    arc: &[Coord<f64>],
    central_lon: f64,
    cut: Option<geo::Rect<f64>>,
) -> Option<bool> {
    // The tolerances of `on_edge` and `Projection::on_map_edge`, and room for rounding.
    const EPS: f64 = 1e-6;
    const ROOM: f64 = 1e-6;
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for c in arc {
        x0 = x0.min(c.x);
        x1 = x1.max(c.x);
        y0 = y0.min(c.y);
        y1 = y1.max(c.y);
    }
    if !(x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite()) {
        return None;
    }
    // Longitude relative to the central meridian, and latitude: both increase with x and y.
    let lat = |y: f64| (2.0 * y.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    let (rel, lats) = ([x0.to_degrees(), x1.to_degrees()], [lat(y0), lat(y1)]);
    let near = |v: f64, range: [f64; 2]| v >= range[0] - EPS - ROOM && v <= range[1] + EPS + ROOM;
    // A longitude (wrapped as `unproject` wraps it) is met where the relative one is it less the
    // central meridian, give or take turns.
    let meets_lon =
        |lon: f64| (-2..=2).any(|turn| near(lon - central_lon + 360.0 * f64::from(turn), rel));
    let mut edge_lons = vec![180.0, -180.0];
    let mut edge_lats = Vec::new();
    if let Some(rect) = cut {
        edge_lons.extend([rect.min().x, rect.max().x]);
        edge_lats.extend([rect.min().y, rect.max().y]);
    }
    let limit = crate::geo_math::projection::MERCATOR_MAX_LAT;
    Some(
        edge_lons.into_iter().any(meets_lon)
            || near(180.0, rel)
            || near(-180.0, rel)
            || edge_lats.into_iter().any(|l| near(l, lats))
            || lats[1] >= limit - EPS - ROOM
            || lats[0] <= -limit + EPS + ROOM,
    )
}

/// A feature's ISO 3166-1 alpha-2 code: its `iso_a2` property when that is two capital letters (Natural
/// Earth writes `-99` for none).
fn iso_a2(feature: &crate::model::map::Feature) -> Option<String> {
    let code = feature.properties.get("iso_a2")?.as_str()?;
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())).then(|| code.to_owned())
}

/// Splits a feature's geometry at the projection's cut meridian and projects it.
fn project_geometry(geometry: Option<&Geometry<f64>>, projection: &Projection) -> Projected {
    let mut out = Projected {
        polygons: Vec::new(),
        lines: Vec::new(),
        points: Vec::new(),
    };
    if let Some(g) = geometry {
        collect(g, projection, &mut out);
    }
    out
}

fn relative(ls: &LineString<f64>, projection: &Projection) -> LineString<f64> {
    LineString(
        ls.0.iter()
            .map(|c| Coord {
                x: projection.relative_lon(c.x),
                y: c.y,
            })
            .collect(),
    )
}

fn project_ring(ls: &LineString<f64>, projection: &Projection) -> Vec<Coord<f64>> {
    let project = |c: &Coord<f64>| {
        projection
            .project_relative(c.x, c.y)
            .map(|[x, y]| Coord { x, y })
    };
    // A country's longest coasts (Russia's, Canada's: a tenth of the world's positions each) are
    // projected on every core: a batch of countries otherwise waits for its largest.
    if ls.0.len() >= RING_PROJECTED_IN_PARALLEL {
        ls.0.par_iter().filter_map(project).collect()
    } else {
        ls.0.iter().filter_map(project).collect()
    }
}

/// From this many positions a ring is projected on every core ([`project_ring`]).
const RING_PROJECTED_IN_PARALLEL: usize = 16_384;

fn collect(g: &Geometry<f64>, projection: &Projection, out: &mut Projected) {
    let polygon = |p: &Polygon<f64>, out: &mut Projected| {
        let rel = Polygon::new(
            relative(p.exterior(), projection),
            p.interiors()
                .iter()
                .map(|r| relative(r, projection))
                .collect(),
        );
        let MultiPolygon(parts) = split_polygon(&rel);
        for part in parts {
            let mut rings = vec![project_ring(part.exterior(), projection)];
            rings.extend(part.interiors().iter().map(|r| project_ring(r, projection)));
            if rings[0].len() >= 4 {
                rings.retain(|r| r.len() >= 4);
                out.polygons.push(rings);
            }
        }
    };
    let line = |l: &LineString<f64>, out: &mut Projected| {
        for part in split_line_string(&relative(l, projection)).0 {
            let projected: Vec<World> = part
                .0
                .iter()
                .filter_map(|c| projection.project_relative(c.x, c.y))
                .collect();
            if projected.len() >= 2 {
                out.lines.push(projected);
            }
        }
    };
    match g {
        Geometry::Polygon(p) => polygon(p, out),
        Geometry::MultiPolygon(mp) => mp.0.iter().for_each(|p| polygon(p, out)),
        Geometry::LineString(l) => line(l, out),
        Geometry::MultiLineString(ml) => ml.0.iter().for_each(|l| line(l, out)),
        Geometry::Line(l) => line(&LineString::from(vec![l.start, l.end]), out),
        Geometry::Point(p) => out.points.extend(projection.project(p.x(), p.y())),
        Geometry::MultiPoint(mp) => out
            .points
            .extend(mp.0.iter().filter_map(|p| projection.project(p.x(), p.y()))),
        Geometry::GeometryCollection(gc) => gc.0.iter().for_each(|g| collect(g, projection, out)),
        Geometry::Rect(r) => polygon(&r.to_polygon(), out),
        Geometry::Triangle(t) => polygon(&t.to_polygon(), out),
    }
}

#[cfg(test)]
mod tests {
    use geo::polygon;
    use serde_json::Map;

    use super::*;
    use crate::model::map::Feature;

    fn layer(polygons: Vec<Polygon<f64>>) -> Layer {
        Layer {
            name: "test".to_owned(),
            features: polygons
                .into_iter()
                .map(|p| Feature::new(None, Map::new(), Some(Geometry::Polygon(p))))
                .collect(),
        }
    }

    fn mercator() -> Projection {
        Projection::WebMercator { central_lon: 0.0 }
    }

    #[test]
    fn neighbours_share_one_stroked_border_and_fill_with_triangles() {
        let a =
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
        let b =
            polygon![(x: 10.0, y: 0.0), (x: 20.0, y: 0.0), (x: 20.0, y: 10.0), (x: 10.0, y: 10.0)];
        let prepared = PreparedLayer::new(&layer(vec![a, b]), mercator(), None);
        let level = prepared.level(MAX_LEVEL);
        // Two outer borders and the shared one: the shared edge is drawn once.
        let shared: Vec<&Vec<World>> = level
            .strokes
            .iter()
            .map(|(arc, _)| arc)
            .filter(|arc| {
                arc.len() == 2
                    && arc
                        .iter()
                        .all(|w| (w[0] - 10f64.to_radians()).abs() < 1e-12)
            })
            .collect();
        assert_eq!(shared.len(), 1, "{:?}", level.strokes);
        for fill in &level.fills {
            assert_eq!(fill.indices.len(), 6, "a square is two triangles");
        }
    }

    /// The fill's triangles that reach into `area`.
    fn triangles_in(fill: &Fill, area: &WorldRect) -> Vec<[World; 3]> {
        fill.indices
            .chunks_exact(3)
            .map(|t| [0, 1, 2].map(|k| fill.vertices[t[k] as usize]))
            .filter(|t| {
                let mut b = WorldRect::EMPTY;
                t.iter().for_each(|&w| b.extend(w));
                b.intersects(area)
            })
            .collect()
    }

    /// Whether `p` lies in one of `triangles`.
    fn covers(triangles: &[[World; 3]], p: World) -> bool {
        let side =
            |a: World, b: World| (b[0] - a[0]) * (p[1] - a[1]) - (p[0] - a[0]) * (b[1] - a[1]);
        triangles.iter().any(|&[a, b, c]| {
            let s = [side(a, b), side(b, c), side(c, a)];
            s.iter().all(|&x| x > 0.0) || s.iter().all(|&x| x < 0.0)
        })
    }

    #[test]
    fn a_level_made_for_an_area_covers_and_strokes_inside_it_what_the_level_does() {
        use crate::geo_math::projection::Lambert;
        let projection = Projection::LambertConic(Lambert::for_band(41.0, 14.7, 41.3));
        let world = crate::basemap::embedded::LAYERS[0].load().expect("loads");
        // Around Ankara (Türkiye whole, Russia's coasts far outside), inside Russia far from any coast or
        // border (its rings wind around the area from outside it), and across the Aegean's islands.
        for (lon, lat, half) in [(32.86, 39.93, 0.15), (95.0, 62.0, 0.02), (25.5, 37.5, 0.03)] {
            let [x, y] = projection.project(lon, lat).expect("projects");
            let area = WorldRect {
                min: [x - half, y - half * 0.6],
                max: [x + half, y + half * 0.6],
            };
            let whole = PreparedLayer::new(&world, projection, None);
            let level = PreparedLayer::level_for_scale(2000.0 / half);
            let everywhere = whole.level(level);
            let for_area =
                PreparedLayer::new(&world, projection, None).keep_level_for_area(level, area);
            // Fills: the same points covered, on a grid over the area.
            let mut covered = 0;
            let triangles = |l: &Level| -> Vec<Vec<[World; 3]>> {
                l.fills.iter().map(|f| triangles_in(f, &area)).collect()
            };
            let (everywhere_t, for_area_t) = (triangles(&everywhere), triangles(&for_area));
            for i in 0..=30 {
                for j in 0..=30 {
                    let p = [
                        area.min[0] + area.width() * (f64::from(i) + 0.37) / 31.0,
                        area.min[1] + area.height() * (f64::from(j) + 0.61) / 31.0,
                    ];
                    for (f, (a, b)) in everywhere_t.iter().zip(&for_area_t).enumerate() {
                        let (a, b) = (covers(a, p), covers(b, p));
                        assert_eq!(a, b, "{lon}, {lat}: feature {f} at {p:?}");
                        covered += usize::from(a);
                    }
                }
            }
            assert!(covered > 0, "{lon}, {lat}: no land");
            // Fewer vertices to triangulate and draw.
            let count = |l: &Level| l.fills.iter().map(|f| f.vertices.len()).sum::<usize>();
            assert!(count(&for_area) < count(&everywhere), "{lon}, {lat}");
            // Strokes: those that reach into the area, the same.
            let reaching = |l: &Level| -> Vec<Vec<World>> {
                l.strokes
                    .iter()
                    .filter(|(_, b)| b.intersects(&area))
                    .map(|(s, _)| s.clone())
                    .collect()
            };
            assert_eq!(reaching(&everywhere), reaching(&for_area), "{lon}, {lat}");
            // Kept, as the level drawn.
            assert!(Arc::ptr_eq(&whole.level(level), &everywhere));
        }
    }

    #[test]
    fn holes_stay_empty_when_filled() {
        let outer = LineString::from(vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]);
        let hole = LineString::from(vec![
            (3.0, 3.0),
            (3.0, 7.0),
            (7.0, 7.0),
            (7.0, 3.0),
            (3.0, 3.0),
        ]);
        let prepared = PreparedLayer::new(
            &layer(vec![Polygon::new(outer, vec![hole])]),
            mercator(),
            None,
        );
        let level = prepared.level(MAX_LEVEL);
        let fill = &level.fills[0];
        let area: f64 = fill
            .indices
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [
                    fill.vertices[t[0] as usize],
                    fill.vertices[t[1] as usize],
                    fill.vertices[t[2] as usize],
                ];
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        let ring_area = |ring: &[Coord<f64>]| {
            use geo::Area as _;
            Polygon::new(LineString(ring.to_vec()), vec![]).unsigned_area()
        };
        let outer_area = ring_area(
            &topology::ring_coords(&prepared.topology, &prepared.topology.arcs, 0).expect("outer"),
        );
        let hole_area = ring_area(
            &topology::ring_coords(&prepared.topology, &prepared.topology.arcs, 1).expect("hole"),
        );
        assert!(
            (area - (outer_area - hole_area)).abs() < 1e-9 * outer_area,
            "{area} vs {outer_area} - {hole_area}"
        );
        assert!(hole_area > 0.1 * outer_area);
    }

    #[test]
    fn a_polygon_across_the_cut_meridian_is_split_not_striped() {
        let across = polygon![(x: 170.0, y: -10.0), (x: -170.0, y: -10.0), (x: -170.0, y: 10.0), (x: 170.0, y: 10.0)];
        let prepared = PreparedLayer::new(&layer(vec![across]), mercator(), None);
        assert_eq!(
            prepared.features[0].polygons.len(),
            2,
            "one piece on each side of the map"
        );
        let level = prepared.level(MAX_LEVEL);
        for (arc, _) in &level.strokes {
            for pair in arc.windows(2) {
                assert!(
                    (pair[0][0] - pair[1][0]).abs() < std::f64::consts::PI,
                    "a stripe across the map: {arc:?}"
                );
            }
        }
    }

    #[test]
    fn edges_of_a_clipped_layer_are_not_stroked() {
        let cut = geo::Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 10.0 });
        let inside = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 5.0), (x: 5.0, y: 8.0), (x: 0.0, y: 5.0)];
        let b = polygon![(x: 0.0, y: 5.0), (x: 5.0, y: 8.0), (x: 10.0, y: 5.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
        let prepared = PreparedLayer::new(&layer(vec![inside, b]), mercator(), Some(cut));
        let level = prepared.level(MAX_LEVEL);
        assert_eq!(
            level.strokes.len(),
            1,
            "only the shared border is a real line: {:?}",
            level.strokes
        );
        assert_eq!(level.strokes[0].0.len(), 3);
    }

    #[test]
    fn only_the_most_recently_used_levels_are_kept() {
        let square =
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
        let prepared = PreparedLayer::new(&layer(vec![square]), mercator(), None);
        let three = prepared.level(3);
        prepared.level(4);
        assert_eq!(prepared.levels_kept(), vec![3, 4]);
        assert!(
            Arc::ptr_eq(&three, &prepared.level(3)),
            "a level kept is not made again"
        );
        assert_eq!(prepared.levels_kept(), vec![4, 3], "3 was used last");
        for level in 5..=12 {
            prepared.level(level);
            assert!(prepared.levels_kept().len() <= LEVELS_KEPT);
        }
        assert_eq!(prepared.levels_kept(), vec![11, 12]);
        assert!(
            !Arc::ptr_eq(&three, &prepared.level(3)),
            "a level let go is made again"
        );
    }

    #[test]
    fn coarser_levels_have_fewer_vertices_and_levels_follow_the_zoom() {
        let ring: Vec<(f64, f64)> = (0..=360)
            .map(|i| {
                let t = f64::from(i).to_radians();
                let r = 10.0 + if i % 2 == 0 { 0.05 } else { -0.05 };
                (40.0 + r * t.cos(), 30.0 + r * t.sin())
            })
            .collect();
        let p = Polygon::new(LineString::from(ring), vec![]);
        let prepared = PreparedLayer::new(&layer(vec![p]), mercator(), None);
        let vertices = |level: u8| -> usize {
            let level = prepared.level(level);
            level.strokes.iter().map(|(s, _)| s.len()).sum()
        };
        let (coarse, fine) = (vertices(4), vertices(MAX_LEVEL));
        assert!(coarse < fine / 4, "{coarse} vs {fine}");
        assert!(PreparedLayer::level_for_scale(100.0) < PreparedLayer::level_for_scale(10_000.0));
        assert_eq!(PreparedLayer::level_for_scale(f64::INFINITY), MAX_LEVEL);
    }

    #[test]
    fn a_box_that_projects_into_an_area_is_never_said_to_miss_it() {
        use crate::geo_math::projection::Lambert;
        let conic = Projection::LambertConic(Lambert::for_band(41.0, 8.0, 48.0));
        let mut seed: u64 = 7;
        let mut next = |lo: f64, hi: f64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            lo + (hi - lo) * ((seed >> 11) as f64 / (1u64 << 53) as f64)
        };
        for projection in [mercator(), conic] {
            let [x, y] = projection.project(41.0, 30.0).expect("projects");
            for _ in 0..200 {
                let (w, h) = (next(0.01, 0.5), next(0.01, 0.5));
                let area = WorldRect {
                    min: [x - w, y - h],
                    max: [x + w, y + h],
                };
                let test = AreaTest::new(&projection, area);
                for _ in 0..50 {
                    let (lon0, lat0) = (next(-180.0, 170.0), next(-80.0, 75.0));
                    let lon = [lon0, (lon0 + next(0.1, 60.0)).min(179.9)];
                    let lat = [lat0, (lat0 + next(0.1, 30.0)).min(80.0)];
                    let inside = (0..=20).any(|i| {
                        (0..=20).any(|j| {
                            let l = lon[0] + (lon[1] - lon[0]) * f64::from(i) / 20.0;
                            let a = lat[0] + (lat[1] - lat[0]) * f64::from(j) / 20.0;
                            projection.project_relative(l, a).is_some_and(|[px, py]| {
                                (area.min[0]..=area.max[0]).contains(&px)
                                    && (area.min[1]..=area.max[1]).contains(&py)
                            })
                        })
                    });
                    if inside {
                        assert!(
                            test.may_reach(&projection, lon, lat),
                            "{lon:?} {lat:?} {area:?}"
                        );
                    }
                }
            }
            // Far away: left out (the test is of use).
            let test = AreaTest::new(
                &projection,
                WorldRect {
                    min: [x - 0.1, y - 0.1],
                    max: [x + 0.1, y + 0.1],
                },
            );
            assert!(!test.may_reach(&projection, [-180.0, 180.0], [-89.0, -60.0]));
            assert!(!test.may_reach(&projection, [-120.0, -70.0], [20.0, 50.0]));
        }
    }

    #[test]
    fn a_stream_of_features_prepares_as_the_layer_does() {
        // A grid of squares sharing borders (more than a batch), named and coded, one without geometry.
        let mut features: Vec<Feature> = (0..50)
            .map(|i| {
                let (x, y) = (f64::from(i % 10) * 3.0, f64::from(i / 10) * 3.0);
                let square = polygon![(x: x, y: y), (x: x + 3.0, y: y), (x: x + 3.0, y: y + 3.0), (x: x, y: y + 3.0)];
                let mut properties = Map::new();
                properties.insert("name".to_owned(), format!("Square {i}").into());
                properties.insert("iso_a2".to_owned(), "SQ".into());
                Feature::new(None, properties, Some(Geometry::Polygon(square)))
            })
            .collect();
        features[20].geometry = None;
        let layer = Layer {
            name: "grid".to_owned(),
            features,
        };
        let whole = PreparedLayer::new(&layer, mercator(), None);
        let (sink, received) = std::sync::mpsc::channel();
        let sender = std::thread::spawn({
            let features = layer.features.clone();
            move || {
                for f in features {
                    sink.send(f).expect("send");
                }
            }
        });
        let streamed =
            PreparedLayer::from_stream("grid", received, 10, mercator(), Extent::default());
        sender.join().expect("sender");
        assert_eq!(streamed.topology, whole.topology);
        assert_eq!(streamed.features.len(), 50);
        assert_eq!(streamed.bounds, whole.bounds);
        for (s, w) in streamed.features.iter().zip(&whole.features) {
            assert_eq!(
                (
                    s.index,
                    &s.label,
                    &s.code,
                    s.label_at,
                    s.bounds,
                    s.polygons.len()
                ),
                (
                    w.index,
                    &w.label,
                    &w.code,
                    w.label_at,
                    w.bounds,
                    w.polygons.len()
                )
            );
        }
        assert_eq!(streamed.features[49].label.as_deref(), Some("Square 49"));
        assert_eq!(streamed.features[3].code.as_deref(), Some("SQ"));
        assert!(streamed.features[20].polygons.is_empty());
        assert!(
            streamed.topology.arcs.len() > 50,
            "shared borders, each once"
        );
    }

    #[test]
    fn an_arc_touches_an_edge_as_its_points_say() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config {
            cases: 4000,
            ..Config::default()
        });
        // Arcs anywhere, many along or across the antimeridian, the poles' limit or a cut's sides.
        let lon = prop_oneof![
            -180.0..180.0f64,
            Just(180.0),
            Just(-180.0),
            Just(20.0),
            Just(179.999_999_5),
            Just(-179.999_999_5),
            Just(30.000_000_5),
        ];
        let lat = prop_oneof![
            -85.0..85.0f64,
            Just(85.051_128_779_806_59),
            Just(-85.051_128_779_806_59),
            Just(40.0),
            Just(10.0),
            Just(39.999_999_5),
        ];
        let central = prop_oneof![Just(0.0), Just(150.0), Just(-100.0), -180.0..180.0f64];
        let cut = prop::option::of(Just(geo::Rect::new(
            Coord { x: 20.0, y: 10.0 },
            Coord { x: 30.0, y: 40.0 },
        )));
        let arc = prop::collection::vec((lon, lat), 1..6);
        runner
            .run(&(arc, central, cut), |(points, central_lon, cut)| {
                let projection = Projection::WebMercator { central_lon };
                let arc: Vec<Coord<f64>> = points
                    .iter()
                    .filter_map(|&(lon, lat)| {
                        let [x, y] = projection.project(lon, lat)?;
                        Some(Coord { x, y })
                    })
                    .collect();
                let each = arc.iter().any(|c| on_edge(c, &projection, cut));
                prop_assert_eq!(touches_edge(&arc, &projection, cut), each);
                Ok(())
            })
            .expect("the same as asking each point");
    }

    #[test]
    fn an_arc_on_a_cone_touches_an_edge_as_its_points_say() {
        use crate::geo_math::projection::Lambert;
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config {
            cases: 4000,
            ..Config::default()
        });
        // Cones of regions north and south, wide and narrow; arcs anywhere, many along or across the
        // cut meridian, the antimeridian or the latitudes where the cone stops.
        let cone =
            (-180.0..180.0f64, -70.0..70.0f64, 5.0..60.0f64).prop_map(|(central, mid, span)| {
                Lambert::for_band(central, mid - span / 2.0, mid + span / 2.0)
            });
        let lon = prop_oneof![
            -180.0..180.0f64,
            Just(180.0),
            Just(-180.0),
            Just(179.999_999_5),
            Just(-179.999_999_5),
        ];
        let lat = prop_oneof![
            -90.0..90.0f64,
            Just(89.0),
            Just(-89.0),
            Just(88.999_999_5),
            Just(-88.999_999_5),
            Just(90.0),
            Just(-90.0),
        ];
        // Points on the cone's cut meridian (relative ±180) or a hair inside it.
        let rel = prop_oneof![
            Just(None),
            Just(Some(180.0)),
            Just(Some(-180.0)),
            Just(Some(179.999_999_5))
        ];
        let arc = prop::collection::vec((lon, lat, rel), 1..6);
        runner
            .run(&(arc, cone), |(points, cone)| {
                let projection = Projection::LambertConic(cone);
                let arc: Vec<Coord<f64>> = points
                    .iter()
                    .filter_map(|&(lon, lat, rel)| {
                        let [x, y] = match rel {
                            Some(rel) => projection.project_relative(rel, lat)?,
                            None => projection.project(lon, lat)?,
                        };
                        Some(Coord { x, y })
                    })
                    .collect();
                let each = arc.iter().any(|c| on_edge(c, &projection, None));
                prop_assert_eq!(touches_edge(&arc, &projection, None), each);
                Ok(())
            })
            .expect("the same as asking each point");
    }
}
