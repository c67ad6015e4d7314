//! `coordinates` read straight into flat vectors, then into `geo` types.
//!
//! Nested JSON arrays are not read into nested `Vec`s: every position of a geometry goes into one
//! `Vec<Coord>`, and each nesting level above the positions keeps only where its arrays end. A position is
//! read number by number without an allocation. Once the arrays are read, [`build`] cuts the flat vector into
//! rings and lines and checks what the geojson crate does not: ring closure, ring and line lengths, winding.

use std::fmt;
use std::ops::Range;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::cx::{Cx, Kind};
use crate::diagnostics::Diagnostic;
use crate::io::json::Seg;

/// The geometry types that have `coordinates`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Point,
    MultiPoint,
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
}

impl Shape {
    /// How many arrays enclose a position in `coordinates` (a Point's `coordinates` is a position).
    pub fn depth(self) -> usize {
        match self {
            Shape::Point => 0,
            Shape::MultiPoint | Shape::LineString => 1,
            Shape::MultiLineString | Shape::Polygon => 2,
            Shape::MultiPolygon => 3,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Shape::Point => "Point",
            Shape::MultiPoint => "MultiPoint",
            Shape::LineString => "LineString",
            Shape::MultiLineString => "MultiLineString",
            Shape::Polygon => "Polygon",
            Shape::MultiPolygon => "MultiPolygon",
        }
    }
}

/// A geometry's positions, flat, with the ends of the arrays that group them.
#[derive(Debug, Default)]
pub struct Nested {
    pub positions: Vec<Coord<f64>>,
    /// `ends[level]`: for each array at that nesting level (1 or 2; level 0 is `coordinates` itself), the
    /// end of its content in the level below (`positions` for the innermost level).
    pub ends: [Vec<usize>; 3],
    /// Bit `n` set when a position had `n` values (2 or 3 used; more are clamped to 4).
    pub sizes: u8,
}

/// Reads one array of `coordinates` at `level` into `out`, recording problems in `cx`.
pub struct CoordsSeed<'a> {
    pub cx: &'a mut Cx,
    pub out: &'a mut Nested,
    pub shape: Shape,
    pub level: usize,
}

impl CoordsSeed<'_> {
    fn expected(&self) -> &'static str {
        match self.shape.depth() - self.level {
            0 => "a position ([longitude, latitude])",
            1 => "an array of positions",
            2 => "an array of arrays of positions",
            _ => "an array of polygons",
        }
    }

    fn wrong(self, found: &str) {
        let message = format!(
            "expected {}, found {found}: a {}'s `coordinates` nest positions {} deep",
            self.expected(),
            self.shape.name(),
            self.shape.depth() + 1
        );
        self.cx
            .report(Kind::Structure, Diagnostic::error(message), &[]);
    }
}

impl<'de> DeserializeSeed<'de> for CoordsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CoordsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expected())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.level == self.shape.depth() {
            return position(self.cx, self.out, self.shape, seq);
        }
        let mut i = 0;
        loop {
            self.cx.path.push(Seg::Index(i));
            let next = seq.next_element_seed(CoordsSeed {
                cx: &mut *self.cx,
                out: &mut *self.out,
                shape: self.shape,
                level: self.level + 1,
            });
            self.cx.path.pop();
            if next?.is_none() {
                break;
            }
            i += 1;
        }
        if self.level > 0 {
            let inner = if self.level + 1 == self.shape.depth() {
                self.out.positions.len()
            } else {
                self.out.ends[self.level + 1].len()
            };
            self.out.ends[self.level].push(inner);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.wrong("an object");
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.wrong("null");
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.wrong("a boolean");
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.wrong("a string");
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.wrong("a number");
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.wrong("a number");
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.wrong("a number");
        Ok(())
    }
}

/// Reads the numbers of one position; three are fine (the altitude is dropped), four or more are warned of.
fn position<'de, A: SeqAccess<'de>>(
    cx: &mut Cx,
    out: &mut Nested,
    shape: Shape,
    mut seq: A,
) -> Result<(), A::Error> {
    let mut xy = [0.0; 2];
    let mut count = 0;
    let mut ok = true;
    while let Some(value) = seq.next_element_seed(Number)? {
        match value {
            Ok(v) if !v.is_finite() => {
                let message = format!("position value {count} is not a finite number");
                cx.report(
                    Kind::Coordinate,
                    Diagnostic::error(message),
                    &[Seg::Index(count)],
                );
                ok = false;
            }
            Ok(v) => {
                if let Some(slot) = xy.get_mut(count) {
                    *slot = v;
                }
            }
            Err(found) => {
                let mut message = format!("position value {count} is {found}, not a number");
                if found == "an array" {
                    message.push_str(&format!(
                        ": the {}'s `coordinates` are nested too deeply",
                        shape.name()
                    ));
                }
                cx.report(
                    Kind::Coordinate,
                    Diagnostic::error(message),
                    &[Seg::Index(count)],
                );
                ok = false;
            }
        }
        count += 1;
    }
    if !ok {
        return Ok(());
    }
    if count < 2 {
        let message =
            format!("a position needs 2 numbers (longitude, latitude), this one has {count}");
        cx.report(Kind::Coordinate, Diagnostic::error(message), &[]);
        return Ok(());
    }
    if count > 3 {
        let message = format!(
            "a position has {count} values; RFC 7946 allows 2 or 3 (longitude, latitude, altitude): only the first 2 are used"
        );
        cx.report(Kind::ExtraValues, Diagnostic::warning(message), &[]);
    }
    out.sizes |= 1 << count.min(4);
    let [x, y] = xy;
    check_range(cx, x, y);
    out.positions.push(Coord { x, y });
    Ok(())
}

/// Warns about a longitude or latitude out of range (loaded as they are), and counts positions written
/// more precisely than a millimetre.
fn check_range(cx: &mut Cx, x: f64, y: f64) {
    if !(-180.0 - RANGE_SLACK..=180.0 + RANGE_SLACK).contains(&x) {
        let message = format!("longitude {x} is outside [-180, 180]; loaded as it is");
        cx.report(
            Kind::OutOfRange,
            Diagnostic::warning(message),
            &[Seg::Index(0)],
        );
    }
    if !(-90.0 - RANGE_SLACK..=90.0 + RANGE_SLACK).contains(&y) {
        let message = format!("latitude {y} is outside [-90, 90]; loaded as it is");
        cx.report(
            Kind::OutOfRange,
            Diagnostic::warning(message),
            &[Seg::Index(1)],
        );
    }
    if too_precise(x) || too_precise(y) {
        cx.precision.add(&cx.path);
    }
}

/// Floating-point noise tolerated at the edges of the longitude and latitude ranges (180.0000001 is not noise).
const RANGE_SLACK: f64 = 1e-9;

/// More than 8 decimal places (finer than a millimetre on the ground): more digits than any survey has.
/// Exact enough for |v| <= 1e6: the tolerance is far above the rounding error of `v * 1e8`.
fn too_precise(v: f64) -> bool {
    if !(-1e6..=1e6).contains(&v) {
        return false;
    }
    let scaled = v * 1e8;
    // A cast, not `round()`: without SSE4.1, `round` is a library call, and this runs for every coordinate.
    let frac = (scaled - scaled as i64 as f64).abs();
    frac > 1e-4 && frac < 1.0 - 1e-4
}

/// One number of a position, or what was found instead (consumed, so reading goes on).
struct Number;

impl<'de> DeserializeSeed<'de> for Number {
    type Value = Result<f64, &'static str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Number {
    type Value = Result<f64, &'static str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Ok(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Ok(v as f64))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Ok(v as f64))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err("a string"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err("a boolean"))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err("an object"))
    }
}

/// The ranges of the lower level that each array of a level covers.
fn ranges(ends: &[usize]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    ends.iter().map(move |&end| {
        let range = start..end;
        start = end;
        range
    })
}

/// Turns the positions read for a geometry into the geometry, checking lines and rings.
/// `cx.path` is at the geometry's `coordinates`. `None` when an error was reported.
pub fn build(shape: Shape, nested: Nested, cx: &mut Cx) -> Option<Geometry<f64>> {
    let Nested {
        positions,
        ends,
        sizes,
    } = nested;
    let errors = cx.errors;
    if sizes.count_ones() > 1 {
        let message = "the geometry mixes positions of different sizes (2, 3 or more values): RFC 7946 asks for one size per geometry; altitudes are dropped";
        cx.report(Kind::ExtraValues, Diagnostic::warning(message), &[]);
    }
    let geometry: Geometry<f64> = match shape {
        Shape::Point => Point(*positions.first()?).into(),
        Shape::MultiPoint => MultiPoint(positions.into_iter().map(Point).collect()).into(),
        Shape::LineString => line(cx, positions, &[])?.into(),
        Shape::MultiLineString => {
            let lines = ranges(&ends[1])
                .enumerate()
                .filter_map(|(i, r)| line(cx, positions[r].to_vec(), &[Seg::Index(i)]))
                .collect();
            MultiLineString(lines).into()
        }
        Shape::Polygon => {
            let rings = ranges(&ends[1]).map(|r| positions[r].to_vec()).collect();
            polygon(cx, rings, &[])?.into()
        }
        Shape::MultiPolygon => {
            let rings: Vec<Range<usize>> = ranges(&ends[2]).collect();
            let polygons = ranges(&ends[1])
                .enumerate()
                .filter_map(|(p, rs)| {
                    let rings = rings[rs].iter().map(|r| positions[r.clone()].to_vec());
                    polygon(cx, rings.collect(), &[Seg::Index(p)])
                })
                .collect();
            MultiPolygon(polygons).into()
        }
    };
    (cx.errors == errors).then_some(geometry)
}

fn line(cx: &mut Cx, coords: Vec<Coord<f64>>, at: &[Seg]) -> Option<LineString<f64>> {
    if coords.len() < 2 {
        let message = format!(
            "a line needs at least 2 positions, this one has {}",
            coords.len()
        );
        cx.report(Kind::Ring, Diagnostic::error(message), at);
        return None;
    }
    Some(LineString(coords))
}

fn polygon(cx: &mut Cx, rings: Vec<Vec<Coord<f64>>>, at: &[Seg]) -> Option<Polygon<f64>> {
    let mut checked = Vec::with_capacity(rings.len());
    for (r, coords) in rings.into_iter().enumerate() {
        let mut place = at.to_vec();
        place.push(Seg::Index(r));
        let ring = ring(cx, coords, &place)?;
        let area = twice_signed_area(&ring);
        let wrong = if r == 0 { area < 0.0 } else { area > 0.0 };
        if wrong {
            let tally = if r == 0 {
                &mut cx.clockwise_outer
            } else {
                &mut cx.counter_clockwise_holes
            };
            let mut path = cx.path.clone();
            path.extend(place);
            tally.add(&path);
        }
        checked.push(ring);
    }
    let mut rings = checked.into_iter();
    let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
    Some(Polygon::new(exterior, rings.collect()))
}

/// A ring needs 4 positions, the last equal to the first. An unclosed ring is closed (with a warning). A
/// closed ring of 2 or 3 positions (`a, a` or `a, b, a`: no area; quantised real files have them, Natural
/// Earth 10m has 10) is kept with a warning; anything shorter, or short and unclosed, is an error.
fn ring(cx: &mut Cx, mut coords: Vec<Coord<f64>>, at: &[Seg]) -> Option<LineString<f64>> {
    let n = coords.len();
    let closed = n > 1 && coords.first() == coords.last();
    if n < 4 && !closed {
        let message = format!(
            "a polygon ring needs at least 4 positions (the first repeated at the end), this one has {n}"
        );
        cx.report(Kind::Ring, Diagnostic::error(message), at);
        return None;
    }
    if n < 4 {
        let message = format!(
            "a polygon ring has only {n} positions, the last repeating the first: it has no area; kept"
        );
        cx.report(Kind::Ring, Diagnostic::warning(message), at);
    } else if !closed {
        let message = "a polygon ring is not closed (its last position differs from its first): closed it by repeating the first position";
        cx.report(Kind::Ring, Diagnostic::warning(message), at);
        coords.push(coords[0]);
    }
    Some(LineString(coords))
}

/// Twice the signed area (shoelace): positive for counter-clockwise rings with y up.
fn twice_signed_area(ring: &LineString<f64>) -> f64 {
    let Some(&origin) = ring.0.first() else {
        return 0.0;
    };
    ring.0
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0] - origin, w[1] - origin);
            a.x * b.y - b.x * a.y
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_beyond_eight_decimals_is_noticed() {
        assert!(!too_precise(100.0));
        assert!(!too_precise(-179.12345678));
        assert!(!too_precise(0.1));
        assert!(too_precise(100.0000000001));
        assert!(too_precise(33.78093780937809));
    }

    #[test]
    fn signed_area_is_positive_counter_clockwise() {
        let ccw = LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]);
        assert!(twice_signed_area(&ccw) > 0.0);
        let cw = LineString::from(vec![(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)]);
        assert!(twice_signed_area(&cw) < 0.0);
    }

    #[test]
    fn ranges_cut_at_ends() {
        let cut: Vec<_> = ranges(&[2, 2, 5]).collect();
        assert_eq!(cut, vec![0..2, 2..2, 2..5]);
    }
}
