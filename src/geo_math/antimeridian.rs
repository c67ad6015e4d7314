//! Splitting geometry at the antimeridian so that it draws on a flat map.
//!
//! A ring whose consecutive vertices jump by more than 180° of longitude really crosses the ±180° meridian;
//! drawn as given, that edge becomes a stripe across the whole map. Real files do this (Russia, Fiji and
//! Antarctica in Natural Earth), so every geometry is split into pieces that each stay within [-180, 180].
//!
//! The approach follows gadomski/antimeridian in spirit but does not trust the winding order, because
//! Natural Earth's outer rings are clockwise while RFC 7946 asks for counter-clockwise ones:
//! - each ring's longitudes are *unwrapped* (±360° at each jump) so the ring becomes continuous;
//! - a ring that does not close after unwrapping goes once around the globe, so it encircles a pole; it is
//!   closed over the pole whose side of the ring is smaller on the sphere (Antarctica, a cap around the
//!   north pole);
//! - the unwrapped polygon is cut into the 360°-wide windows it spans with boolean intersections (even-odd,
//!   so self-intersections and winding do not matter) and each piece is shifted back into [-180, 180].
//!
//! Edges are interpolated linearly in longitude/latitude (not along great circles), as the flat map draws
//! them. Polygons and lines without a crossing come back unchanged and without any boolean operation,
//! which is the common case and keeps splitting a whole world map cheap.
//!
//! Odd input never panics: vertices with a non-finite coordinate are dropped from a geometry that has to be
//! split, and rings left with fewer than three distinct vertices are dropped (an exterior that is dropped
//! drops its polygon).

use rayon::prelude::*;

use geo::{
    BooleanOps, BoundingRect, Coord, Geometry, GeometryCollection, LineString, MultiLineString,
    MultiPoint, MultiPolygon, Point, Polygon, Rect,
};

/// Half a turn of longitude: the antimeridian.
const HALF_TURN_DEG: f64 = 180.0;
/// A full turn of longitude: the width of one window of the flat map.
const TURN_DEG: f64 = 360.0;
/// Latitude of the north pole; the south pole is its negative.
const POLE_LAT_DEG: f64 = 90.0;

/// Splits any geometry so that every part lies within longitudes [-180, 180].
///
/// Points are normalised into [-180, 180]; lines and polygons that cross the antimeridian become
/// multi-lines and multi-polygons. A geometry with nothing to split is returned as it was.
pub fn split_geometry(geometry: &Geometry<f64>) -> Geometry<f64> {
    match geometry {
        Geometry::Point(p) => Geometry::Point(Point(normalise_coord(p.0))),
        Geometry::MultiPoint(mp) => Geometry::MultiPoint(MultiPoint(
            mp.iter().map(|p| Point(normalise_coord(p.0))).collect(),
        )),
        Geometry::Line(line) => {
            let ls = LineString::new(vec![line.start, line.end]);
            lines_geometry(split_line_string(&ls), geometry)
        }
        Geometry::LineString(ls) => lines_geometry(split_line_string(ls), geometry),
        Geometry::MultiLineString(mls) => Geometry::MultiLineString(split_multi_line_string(mls)),
        Geometry::Polygon(p) => polygons_geometry(split_polygon(p), geometry),
        Geometry::MultiPolygon(mp) => Geometry::MultiPolygon(split_multi_polygon(mp)),
        Geometry::Rect(r) => polygons_geometry(split_polygon(&r.to_polygon()), geometry),
        Geometry::Triangle(t) => polygons_geometry(split_polygon(&t.to_polygon()), geometry),
        Geometry::GeometryCollection(gc) => Geometry::GeometryCollection(GeometryCollection(
            gc.iter().map(split_geometry).collect(),
        )),
    }
}

/// The original geometry when splitting left it whole, so a caller sees the type it gave.
fn lines_geometry(split: MultiLineString<f64>, original: &Geometry<f64>) -> Geometry<f64> {
    match <[LineString<f64>; 1]>::try_from(split.0) {
        Ok([one]) if matches!(original, Geometry::LineString(ls) if *ls == one) => original.clone(),
        Ok([one]) => Geometry::LineString(one),
        Err(many) => Geometry::MultiLineString(MultiLineString(many)),
    }
}

/// Like [`lines_geometry`], for polygons.
fn polygons_geometry(split: MultiPolygon<f64>, original: &Geometry<f64>) -> Geometry<f64> {
    match <[Polygon<f64>; 1]>::try_from(split.0) {
        Ok([one]) if matches!(original, Geometry::Polygon(p) if *p == one) => original.clone(),
        Ok([one]) => Geometry::Polygon(one),
        Err(many) => Geometry::MultiPolygon(MultiPolygon(many)),
    }
}

/// Splits every polygon of a multi-polygon; see [`split_polygon`].
pub fn split_multi_polygon(multi_polygon: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    if multi_polygon.iter().all(polygon_is_flat) {
        return multi_polygon.clone();
    }
    MultiPolygon(
        multi_polygon
            .iter()
            .flat_map(|p| split_polygon(p).0)
            .collect(),
    )
}

/// Splits a polygon at the antimeridian into pieces within [-180, 180], keeping its holes.
///
/// A polygon that needs no split comes back as the only member, vertex for vertex. Otherwise the pieces
/// come from boolean operations, whose output is snapped to a fine grid (well under a millimetre on the
/// ground) and wound as the boolean engine likes.
pub fn split_polygon(polygon: &Polygon<f64>) -> MultiPolygon<f64> {
    if polygon_is_flat(polygon) {
        return MultiPolygon(vec![polygon.clone()]);
    }
    let Some(exterior) = unwrap_ring(&polygon.exterior().0) else {
        return MultiPolygon(Vec::new());
    };
    let pole = (exterior.turns != 0).then(|| exterior.smaller_pole());
    let exterior_coords = exterior.closed_over(pole);
    let Some(bounds) = bounding_x(&exterior_coords) else {
        return MultiPolygon(Vec::new());
    };
    let exterior_mid = (bounds.0 + bounds.1) / 2.0;
    let mut interiors_circle_globe = false;
    let interiors = polygon
        .interiors()
        .iter()
        .filter_map(|ring| unwrap_ring(&ring.0))
        .map(|ring| {
            // A hole that circles the globe is closed over the same pole as its exterior, so that a band
            // made of two pole rings stays a band.
            let hole_pole = (ring.turns != 0).then(|| pole.unwrap_or_else(|| ring.smaller_pole()));
            interiors_circle_globe |= hole_pole.is_some();
            let mut coords = ring.closed_over(hole_pole);
            align_to(&mut coords, exterior_mid);
            LineString(coords)
        })
        .collect();
    let closed_over_pole = pole.is_some() || interiors_circle_globe;
    cut_into_windows(
        &Polygon::new(LineString(exterior_coords), interiors),
        closed_over_pole,
    )
}

/// Whether a polygon already lies within [-180, 180] and has no edge that jumps across the antimeridian.
fn polygon_is_flat(polygon: &Polygon<f64>) -> bool {
    ring_is_flat(&polygon.exterior().0) && polygon.interiors().iter().all(|r| ring_is_flat(&r.0))
}

fn ring_is_flat(coords: &[Coord<f64>]) -> bool {
    coords.iter().all(|c| in_range(c.x) && c.y.is_finite())
        && coords.windows(2).all(|w| turns_between(w[0], w[1]) == 0.0)
}

/// How many whole turns of longitude the step from `a` to `b` jumps: non-zero where it crosses the
/// antimeridian.
///
/// A step along a parallel from one edge of the map to the other (-180 to 180 at the same latitude) is not
/// a jump but the map's top or bottom edge, as in a latitude band or a ring closed over a pole; any other
/// step between the two edges stays on the antimeridian.
fn turns_between(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let delta = b.x - a.x;
    if delta.abs() <= HALF_TURN_DEG
        || (a.y == b.y && a.x.abs() == HALF_TURN_DEG && b.x.abs() == HALF_TURN_DEG)
    {
        0.0
    } else {
        (delta / TURN_DEG).round()
    }
}

fn in_range(lon: f64) -> bool {
    (-HALF_TURN_DEG..=HALF_TURN_DEG).contains(&lon)
}

/// A ring made continuous in longitude.
struct UnwrappedRing {
    /// The vertices, the last one repeating the first shifted by `turns` full turns.
    coords: Vec<Coord<f64>>,
    /// How many times the ring goes around the globe eastwards (negative: westwards); zero for a ring that
    /// closes on itself.
    turns: i64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Pole {
    North,
    South,
}

impl UnwrappedRing {
    /// The pole on the smaller side of a ring that circles the globe, measured on the sphere.
    ///
    /// The winding order cannot decide (Natural Earth winds Antarctica clockwise, RFC 7946 the other way),
    /// but a polygon is almost always the smaller of the two regions its ring separates.
    fn smaller_pole(&self) -> Pole {
        // Signed integral of (1 - sin lat) d(lon): the area between the ring and the north pole, up to the
        // direction of travel. The two sides add up to 2 per radian of longitude travelled.
        let north: f64 = self
            .coords
            .windows(2)
            .map(|w| {
                let mid_lat = ((w[0].y + w[1].y) / 2.0).to_radians();
                (w[1].x - w[0].x).to_radians() * (1.0 - mid_lat.sin())
            })
            .sum::<f64>()
            .abs();
        let total = 2.0 * (self.turns as f64 * TURN_DEG).to_radians().abs();
        if north <= total - north {
            Pole::North
        } else {
            Pole::South
        }
    }

    /// The ring as a closed ring: as it is when it closes, or with the pole added when it circles the
    /// globe.
    fn closed_over(mut self, pole: Option<Pole>) -> Vec<Coord<f64>> {
        if let (Some(pole), Some(first), Some(last)) = (
            pole,
            self.coords.first().copied(),
            self.coords.last().copied(),
        ) {
            let lat = match pole {
                Pole::North => POLE_LAT_DEG,
                Pole::South => -POLE_LAT_DEG,
            };
            self.coords.push(Coord { x: last.x, y: lat });
            self.coords.push(Coord { x: first.x, y: lat });
            self.coords.push(first);
        }
        self.coords
    }
}

/// Unwraps a ring's longitudes so that consecutive vertices never differ by more than 180°.
///
/// Each vertex moves by a whole number of turns, so vertices keep their exact values wherever no jump came
/// before them. Returns `None` for a ring with fewer than three distinct finite vertices.
fn unwrap_ring(coords: &[Coord<f64>]) -> Option<UnwrappedRing> {
    let finite: Vec<Coord<f64>> = coords
        .iter()
        .copied()
        .filter(|c| c.x.is_finite() && c.y.is_finite())
        .collect();
    let first = *finite.first()?;
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(finite.len() + 4);
    let mut shift_turns = 0.0_f64;
    let mut previous = first;
    for &c in &finite {
        shift_turns -= turns_between(previous, c);
        previous = c;
        let unwrapped = Coord {
            x: c.x + shift_turns * TURN_DEG,
            y: c.y,
        };
        if out.last() != Some(&unwrapped) {
            out.push(unwrapped);
        }
    }
    // Close the ring if the input did not (geo closes rings, but a hand-built LineString may not be).
    if previous != first {
        shift_turns -= turns_between(previous, first);
        out.push(Coord {
            x: first.x + shift_turns * TURN_DEG,
            y: first.y,
        });
    }
    // Three distinct vertices plus the closing one.
    if out.len() < 4 {
        return None;
    }
    Some(UnwrappedRing {
        coords: out,
        turns: shift_turns as i64,
    })
}

/// The smallest and largest longitude of some coordinates.
fn bounding_x(coords: &[Coord<f64>]) -> Option<(f64, f64)> {
    let first = coords.first()?;
    Some(
        coords
            .iter()
            .fold((first.x, first.x), |(lo, hi), c| (lo.min(c.x), hi.max(c.x))),
    )
}

/// Shifts a hole by whole turns so its middle is nearest `target_lon`, the middle of its exterior: holes
/// are unwrapped on their own and may start on the other side of the antimeridian.
fn align_to(coords: &mut [Coord<f64>], target_lon: f64) {
    let Some((lo, hi)) = bounding_x(coords) else {
        return;
    };
    let shift = ((target_lon - (lo + hi) / 2.0) / TURN_DEG).round() * TURN_DEG;
    if shift != 0.0 {
        coords.iter_mut().for_each(|c| c.x += shift);
    }
}

/// The first and last index k of the windows [-180 + 360k, 180 + 360k] that overlap [lo, hi] by more than
/// a line: a polygon that only touches the next window's edge has nothing to cut there.
fn window_range(lo: f64, hi: f64) -> (i64, i64) {
    let first = ((lo - HALF_TURN_DEG) / TURN_DEG).floor() + 1.0;
    let last = ((hi + HALF_TURN_DEG) / TURN_DEG).ceil() - 1.0;
    if first > last {
        // A single longitude on a window edge.
        let k = window_of(lo);
        return (k, k);
    }
    (first as i64, last as i64)
}

/// The window a longitude lies in; 180 + 360k belongs to window k, not to k + 1.
fn window_of(lon: f64) -> i64 {
    ((lon - HALF_TURN_DEG) / TURN_DEG).ceil() as i64
}

/// Cuts an unwrapped polygon into the windows it spans and shifts each piece back into [-180, 180].
///
/// A polygon with a ring closed over a pole always goes through the boolean engine, even when it fits in
/// one window: its rings may not nest as exterior and holes (Natural Earth's Antarctica is a ring around
/// the pole at 89.999°S with the coast as its "hole"), and the even-odd rule sorts that out.
fn cut_into_windows(unwrapped: &Polygon<f64>, closed_over_pole: bool) -> MultiPolygon<f64> {
    // The bounds of every ring: a "hole" may reach beyond its exterior, as in Antarctica.
    let Some(bounds) = unwrapped
        .interiors()
        .iter()
        .filter_map(BoundingRect::bounding_rect)
        .chain(unwrapped.exterior().bounding_rect())
        .reduce(|a, b| {
            Rect::new(
                Coord {
                    x: a.min().x.min(b.min().x),
                    y: a.min().y.min(b.min().y),
                },
                Coord {
                    x: a.max().x.max(b.max().x),
                    y: a.max().y.max(b.max().y),
                },
            )
        })
    else {
        return MultiPolygon(Vec::new());
    };
    let (first, last) = window_range(bounds.min().x, bounds.max().x);
    // Windows are independent; on a large polygon (Russia) cutting them in parallel halves the time.
    let pieces = (first..=last)
        .into_par_iter()
        .flat_map_iter(|window| cut_window(unwrapped, &bounds, window, closed_over_pole))
        .collect();
    MultiPolygon(pieces)
}

/// The pieces of an unwrapped polygon within window `window`, shifted back onto the map.
fn cut_window(
    unwrapped: &Polygon<f64>,
    bounds: &Rect<f64>,
    window: i64,
    closed_over_pole: bool,
) -> Vec<Polygon<f64>> {
    {
        let offset = window as f64 * TURN_DEG;
        let (lo, hi) = (offset - HALF_TURN_DEG, offset + HALF_TURN_DEG);
        if !closed_over_pole && lo <= bounds.min().x && bounds.max().x <= hi {
            // Wholly inside one window: a shift is enough.
            return vec![shift_polygon(unwrapped.clone(), offset)];
        }
        // The window clipped to the polygon's own bounds: the boolean engine snaps to a grid scaled to
        // the inputs' extent, so a tight rectangle keeps small polygons precise.
        let window_rect = Rect::new(
            Coord {
                x: lo.max(bounds.min().x),
                y: bounds.min().y,
            },
            Coord {
                x: hi.min(bounds.max().x),
                y: bounds.max().y,
            },
        )
        .to_polygon();
        unwrapped
            .intersection(&window_rect)
            .into_iter()
            .map(|piece| shift_polygon(piece, offset))
            .collect()
    }
}

/// Moves a polygon west by `offset_deg`, clamps it onto the map against rounding, and breaks edges wider
/// than 180° (along a pole or the map's edge) in two, so that splitting the result again changes nothing.
fn shift_polygon(polygon: Polygon<f64>, offset_deg: f64) -> Polygon<f64> {
    let (exterior, interiors) = polygon.into_inner();
    Polygon::new(
        shift_ring(exterior, offset_deg),
        interiors
            .into_iter()
            .map(|ring| shift_ring(ring, offset_deg))
            .collect(),
    )
}

fn shift_ring(ring: LineString<f64>, offset_deg: f64) -> LineString<f64> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len() + 2);
    for c in ring.0 {
        let c = Coord {
            x: (c.x - offset_deg).clamp(-HALF_TURN_DEG, HALF_TURN_DEG),
            y: c.y.clamp(-POLE_LAT_DEG, POLE_LAT_DEG),
        };
        if let Some(&last) = out.last()
            && (c.x - last.x).abs() > HALF_TURN_DEG
        {
            out.push(Coord {
                x: (last.x + c.x) / 2.0,
                y: (last.y + c.y) / 2.0,
            });
        }
        out.push(c);
    }
    LineString(out)
}

/// Splits every line of a multi-line; see [`split_line_string`].
pub fn split_multi_line_string(multi_line: &MultiLineString<f64>) -> MultiLineString<f64> {
    MultiLineString(
        multi_line
            .iter()
            .flat_map(|ls| split_line_string(ls).0)
            .collect(),
    )
}

/// Splits a line at the antimeridian into pieces within [-180, 180].
///
/// Each crossing ends one piece at longitude ±180 and starts the next at the opposite edge, at the same
/// latitude (interpolated linearly). A line without a crossing comes back unchanged as the only member.
pub fn split_line_string(line: &LineString<f64>) -> MultiLineString<f64> {
    if ring_is_flat(&line.0) {
        return MultiLineString(vec![line.clone()]);
    }
    let mut pieces = Vec::new();
    let mut current: Vec<Coord<f64>> = Vec::new();
    let mut window = 0_i64;
    let mut previous: Option<Coord<f64>> = None;
    let mut shift_turns = 0.0_f64;
    let mut previous_raw: Option<Coord<f64>> = None;
    for &raw in line.0.iter().filter(|c| c.x.is_finite() && c.y.is_finite()) {
        if let Some(p) = previous_raw {
            shift_turns -= turns_between(p, raw);
        }
        previous_raw = Some(raw);
        let c = Coord {
            x: raw.x + shift_turns * TURN_DEG,
            y: raw.y,
        };
        let Some(a) = previous else {
            window = if in_range(c.x) { 0 } else { window_of(c.x) };
            push_distinct(&mut current, shifted(c, window));
            previous = Some(c);
            continue;
        };
        loop {
            let offset = window as f64 * TURN_DEG;
            let edge = if c.x > offset + HALF_TURN_DEG {
                HALF_TURN_DEG
            } else if c.x < offset - HALF_TURN_DEG {
                -HALF_TURN_DEG
            } else {
                break;
            };
            let t = (offset + edge - a.x) / (c.x - a.x);
            let lat = a.y + t * (c.y - a.y);
            push_distinct(&mut current, Coord { x: edge, y: lat });
            finish_piece(&mut pieces, &mut current);
            current.push(Coord { x: -edge, y: lat });
            window += if edge > 0.0 { 1 } else { -1 };
        }
        push_distinct(&mut current, shifted(c, window));
        previous = Some(c);
    }
    finish_piece(&mut pieces, &mut current);
    MultiLineString(pieces)
}

fn shifted(c: Coord<f64>, window: i64) -> Coord<f64> {
    Coord {
        x: (c.x - window as f64 * TURN_DEG).clamp(-HALF_TURN_DEG, HALF_TURN_DEG),
        y: c.y,
    }
}

fn push_distinct(coords: &mut Vec<Coord<f64>>, c: Coord<f64>) {
    if coords.last() != Some(&c) {
        coords.push(c);
    }
}

/// Ends the current piece, keeping it only if it is a line (two distinct vertices or more).
fn finish_piece(pieces: &mut Vec<LineString<f64>>, current: &mut Vec<Coord<f64>>) {
    let piece = std::mem::take(current);
    if piece.len() >= 2 {
        pieces.push(LineString(piece));
    }
}

/// A coordinate with its longitude brought into [-180, 180] (180 stays 180); non-finite ones unchanged.
fn normalise_coord(c: Coord<f64>) -> Coord<f64> {
    if in_range(c.x) || !c.x.is_finite() {
        return c;
    }
    Coord {
        x: (c.x + HALF_TURN_DEG).rem_euclid(TURN_DEG) - HALF_TURN_DEG,
        y: c.y,
    }
}

#[cfg(test)]
#[path = "antimeridian_tests.rs"]
mod tests;
