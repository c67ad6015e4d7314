//! Clipping a ring to a rectangle, for a picture that shows only that rectangle: the part of a country
//! outside an export's view need not be triangulated, outlined and filled.

use geo::Coord;

use super::camera::WorldRect;

/// The ring `ring` (open or closed; read as a cycle) clipped to `rect`, open, by Sutherland and Hodgman's
/// algorithm, one side of the rectangle at a time. Inside the rectangle, it covers what the ring covers
/// (with either fill rule). Where the ring leaves the rectangle and comes back, the clipped ring runs along
/// the side between: a concave ring may come back as pieces joined by edges along a side, walked once each
/// way, which cover nothing. Fewer than three positions when nothing of the ring is inside.
pub fn ring_to_rect(ring: &[Coord<f64>], rect: &WorldRect) -> Vec<Coord<f64>> {
    let ring = match ring {
        [first, rest @ .., last] if first == last => &ring[..rest.len() + 1],
        _ => ring,
    };
    let sides: [(usize, f64, bool); 4] = [
        (0, rect.min[0], true),
        (0, rect.max[0], false),
        (1, rect.min[1], true),
        (1, rect.max[1], false),
    ];
    let mut input: Vec<Coord<f64>> = ring.to_vec();
    let mut output: Vec<Coord<f64>> = Vec::with_capacity(ring.len() + 8);
    for (axis, at, keep_above) in sides {
        output.clear();
        let value = |c: &Coord<f64>| if axis == 0 { c.x } else { c.y };
        let inside = |c: &Coord<f64>| {
            if keep_above {
                value(c) >= at
            } else {
                value(c) <= at
            }
        };
        // Where the edge from `a` to `b` crosses the side.
        let crossing = |a: &Coord<f64>, b: &Coord<f64>| {
            let t = (at - value(a)) / (value(b) - value(a));
            if axis == 0 {
                Coord {
                    x: at,
                    y: a.y + t * (b.y - a.y),
                }
            } else {
                Coord {
                    x: a.x + t * (b.x - a.x),
                    y: at,
                }
            }
        };
        let Some(mut previous) = input.last().copied() else {
            break;
        };
        for &current in &input {
            match (inside(&previous), inside(&current)) {
                (true, true) => output.push(current),
                (true, false) => output.push(crossing(&previous, &current)),
                (false, true) => {
                    output.push(crossing(&previous, &current));
                    output.push(current);
                }
                (false, false) => {}
            }
            previous = current;
        }
        std::mem::swap(&mut input, &mut output);
    }
    input
}

#[cfg(test)]
mod tests {
    use geo::{Area, BooleanOps, LineString, Polygon, Rect};
    use proptest::prelude::*;

    use super::*;

    fn rect(min: [f64; 2], max: [f64; 2]) -> WorldRect {
        WorldRect { min, max }
    }

    fn polygon(ring: Vec<Coord<f64>>) -> Polygon<f64> {
        Polygon::new(LineString(ring), Vec::new())
    }

    #[test]
    fn a_ring_inside_is_kept_and_one_outside_is_gone() {
        let square = vec![
            Coord { x: 1.0, y: 1.0 },
            Coord { x: 2.0, y: 1.0 },
            Coord { x: 2.0, y: 2.0 },
            Coord { x: 1.0, y: 2.0 },
            Coord { x: 1.0, y: 1.0 },
        ];
        assert_eq!(
            ring_to_rect(&square, &rect([0.0, 0.0], [3.0, 3.0])),
            square[..4]
        );
        assert!(ring_to_rect(&square, &rect([5.0, 5.0], [6.0, 6.0])).len() < 3);
        // A ring around the rectangle becomes the rectangle.
        let clipped = ring_to_rect(&square, &rect([1.2, 1.2], [1.8, 1.8]));
        assert!((polygon(clipped).unsigned_area() - 0.36).abs() < 1e-12);
    }

    /// A star-shaped ring around `center`: one position per angle step, at radii `radii`.
    fn star(center: [f64; 2], radii: &[f64]) -> Vec<Coord<f64>> {
        let n = radii.len() as f64;
        let mut ring: Vec<Coord<f64>> = radii
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = i as f64 / n * std::f64::consts::TAU;
                Coord {
                    x: center[0] + r * a.cos(),
                    y: center[1] + r * a.sin(),
                }
            })
            .collect();
        ring.push(ring[0]);
        ring
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Inside the rectangle, the clipped ring covers what the ring covers: its area is the area of
        /// their intersection, as geo's boolean operations find it.
        #[test]
        fn the_clipped_ring_covers_what_the_ring_covers_inside_the_rectangle(
            center in (-2.0..2.0f64, -2.0..2.0f64),
            radii in proptest::collection::vec(0.2..3.0f64, 3..40),
            corner in (-2.0..1.0f64, -2.0..1.0f64),
            size in (0.1..3.0f64, 0.1..3.0f64),
        ) {
            let ring = star([center.0, center.1], &radii);
            let area = rect([corner.0, corner.1], [corner.0 + size.0, corner.1 + size.1]);
            let clipped = ring_to_rect(&ring, &area);
            let expected = polygon(ring.clone())
                .intersection(&Rect::new(
                    Coord { x: area.min[0], y: area.min[1] },
                    Coord { x: area.max[0], y: area.max[1] },
                ).to_polygon())
                .unsigned_area();
            let got = if clipped.len() < 3 { 0.0 } else { polygon(clipped.clone()).unsigned_area() };
            // geo's operations snap to a fine grid: a part missed would be far more.
            prop_assert!((got - expected).abs() < 1e-6 * (1.0 + expected), "{got} against {expected}");
            for c in &clipped {
                prop_assert!(c.x >= area.min[0] - 1e-12 && c.x <= area.max[0] + 1e-12);
                prop_assert!(c.y >= area.min[1] - 1e-12 && c.y <= area.max[1] + 1e-12);
            }
        }
    }
}
