//! The scenario region of the embedded detailed layer, and clipping countries to it.

use geo::{BooleanOps as _, Coord, MultiPolygon, Polygon, Rect};

/// The region the embedded 1:10m layer covers: the Eastern Mediterranean, Türkiye, Egypt, the Levant, the
/// Arabian Peninsula, the Gulf, Iran and the Caspian, with a margin of several degrees on every side.
/// Outside it, the 1:50m world layer shows.
pub const REGION: [Coord<f64>; 2] = [Coord { x: 14.0, y: 8.0 }, Coord { x: 68.0, y: 48.0 }];

/// [`REGION`] as a rectangle.
pub fn region() -> Rect<f64> {
    Rect::new(REGION[0], REGION[1])
}

/// Repairs, then clips, polygons to a rectangle.
///
/// Natural Earth's 1:10m rings self-intersect in places (coordinate quantisation): clipping them as they
/// are can lose whole countries. A union with nothing rewrites them as valid polygons (the overlay resolves
/// self-intersections), and only then are they cut to the rectangle: two passes.
pub fn clip_to_region(polygons: &MultiPolygon<f64>, region: Rect<f64>) -> MultiPolygon<f64> {
    let repaired = polygons.union(&MultiPolygon::<f64>::new(Vec::new()));
    let window = MultiPolygon(vec![Polygon::from(region)]);
    repaired.intersection(&window)
}

#[cfg(test)]
mod tests {
    use geo::{Area as _, LineString, polygon};

    use super::*;

    #[test]
    fn a_polygon_inside_the_region_is_kept_whole() {
        let p = polygon![(x: 30.0, y: 30.0), (x: 31.0, y: 30.0), (x: 31.0, y: 31.0), (x: 30.0, y: 31.0)];
        let clipped = clip_to_region(&MultiPolygon(vec![p.clone()]), region());
        assert!((clipped.unsigned_area() - p.unsigned_area()).abs() < 1e-9);
    }

    #[test]
    fn a_polygon_across_the_edge_is_cut_to_it() {
        let p = polygon![(x: 60.0, y: 40.0), (x: 80.0, y: 40.0), (x: 80.0, y: 45.0), (x: 60.0, y: 45.0)];
        let clipped = clip_to_region(&MultiPolygon(vec![p]), region());
        assert!(
            (clipped.unsigned_area() - 8.0 * 5.0).abs() < 1e-9,
            "{}",
            clipped.unsigned_area()
        );
    }

    #[test]
    fn a_self_intersecting_clockwise_ring_is_repaired_not_dropped() {
        // A bow-tie with a clockwise lobe, as quantisation leaves them along coasts.
        let ring = LineString::from(vec![
            (40.0, 20.0),
            (42.0, 22.0),
            (42.0, 20.0),
            (40.0, 22.0),
            (40.0, 20.0),
        ]);
        let clipped = clip_to_region(&MultiPolygon(vec![Polygon::new(ring, vec![])]), region());
        assert!(
            clipped.unsigned_area() > 1.9,
            "area {}",
            clipped.unsigned_area()
        );
    }
}
