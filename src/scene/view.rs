//! Which part of the world a map shows: the default projection, the scenario's fitted view, and views
//! given by a bounding box or by a centre and a zoom level. The window and the exports share these, so an
//! export "without a view option" shows what the window shows after a fit.

use crate::basemap::region::REGION;
use crate::geo_math::camera::{Camera, MAX_SCALE, MIN_SCALE, ScreenRect, WorldRect};
use crate::geo_math::projection::{Lambert, Projection, ProjectionKind};
use crate::model::Scenario;

/// Points left free around the scenario when the view is fitted to it.
pub const FIT_MARGIN_PT: f32 = 48.0;

/// The lowest and highest zoom levels a view can be given at (see [`zoom_camera`]).
pub const ZOOM_RANGE: std::ops::RangeInclusive<f64> = 0.0..=15.0;

/// The Lambert conformal conic fitted to the region of the embedded detailed layer (the app's default).
pub fn regional_projection() -> Projection {
    let [sw, ne] = REGION;
    Projection::LambertConic(Lambert::for_band((sw.x + ne.x) / 2.0, sw.y, ne.y))
}

impl ProjectionKind {
    /// The projection for the region of the embedded detailed layer.
    pub fn projection(self) -> Projection {
        match self {
            Self::RegionalConic => regional_projection(),
            Self::WebMercator => Projection::WebMercator { central_lon: 0.0 },
        }
    }
}

/// The world rectangle that shows the scenario: its venues inside the region (far venues such as
/// Washington are left at the map's edge rather than shrinking the region to nothing), else the region.
pub fn fit_bounds(projection: &Projection, scenario: &Scenario) -> WorldRect {
    let [sw, ne] = REGION;
    let mut bounds = WorldRect::EMPTY;
    for venue in &scenario.venues {
        if let Some(at) = venue.location
            && (sw.x..=ne.x).contains(&at.lon)
            && (sw.y..=ne.y).contains(&at.lat)
            && let Some(w) = projection.project(at.lon, at.lat)
        {
            bounds.extend(w);
        }
    }
    if bounds.is_empty() || bounds.width() < 1e-3 {
        for (lon, lat) in [(sw.x, sw.y), (ne.x, sw.y), (sw.x, ne.y), (ne.x, ne.y)] {
            if let Some(w) = projection.project(lon, lat) {
                bounds.extend(w);
            }
        }
    }
    bounds
}

/// The view the window opens on: the scenario fitted into `viewport` with [`FIT_MARGIN_PT`] around it.
pub fn fitted_camera(projection: &Projection, scenario: &Scenario, viewport: ScreenRect) -> Camera {
    Camera::fit(fit_bounds(projection, scenario), viewport, FIT_MARGIN_PT)
}

/// A view that shows the box from `west`,`south` to `east`,`north` (degrees) whole, edge to edge. A box
/// whose west is east of its east crosses the antimeridian. `None` when no part of it can be projected.
pub fn bbox_camera(
    projection: &Projection,
    [west, south, east, north]: [f64; 4],
    viewport: ScreenRect,
) -> Option<Camera> {
    let east = if east < west { east + 360.0 } else { east };
    let mut bounds = WorldRect::EMPTY;
    // Along the edges, not only at the corners: a conic's parallels are curved.
    let n = 32;
    for i in 0..=n {
        let t = f64::from(i) / f64::from(n);
        let lon = west + t * (east - west);
        let lat = south + t * (north - south);
        for (lo, la) in [(lon, south), (lon, north), (west, lat), (east, lat)] {
            let lo = crate::geo_math::projection::wrap_lon(lo);
            if let Some(w) = projection.project(lo, la) {
                bounds.extend(w);
            }
        }
    }
    (!bounds.is_empty()).then(|| Camera::fit(bounds, viewport, 0.0))
}

/// A view centred on `lon`,`lat` at web-map zoom level `zoom`: the equator would be 256 x 2^zoom points
/// long, as on web maps (zoom 0 shows the whole world in 256 points, each level doubles). `None` when the
/// centre cannot be projected.
pub fn zoom_camera(
    projection: &Projection,
    lon: f64,
    lat: f64,
    zoom: f64,
    viewport: ScreenRect,
) -> Option<Camera> {
    let center = projection.project(lon, lat)?;
    let scale = 256.0 * zoom.exp2() / std::f64::consts::TAU;
    Some(Camera {
        center,
        scale: scale.clamp(MIN_SCALE, MAX_SCALE),
        viewport,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounding_box_is_shown_whole_and_fills_one_side() {
        let projection = regional_projection();
        let viewport = ScreenRect::from_size(1600.0, 900.0);
        let camera = bbox_camera(&projection, [26.0, 36.0, 45.0, 42.0], viewport).expect("a view");
        let mut touches = false;
        for (lon, lat) in [(26.0, 36.0), (45.0, 36.0), (26.0, 42.0), (45.0, 42.0)] {
            let p = camera.screen_from_world(projection.project(lon, lat).expect("projects"));
            assert!(
                p[0] > -0.5 && p[0] < 1600.5 && p[1] > -0.5 && p[1] < 900.5,
                "{lon},{lat} at {p:?}"
            );
            touches |= p[0].abs() < 1.0 || (p[0] - 1600.0).abs() < 1.0;
        }
        assert!(touches, "the box should span the width");
    }

    #[test]
    fn each_zoom_level_doubles_the_scale() {
        let projection = Projection::WebMercator { central_lon: 0.0 };
        let viewport = ScreenRect::from_size(800.0, 600.0);
        let z4 = zoom_camera(&projection, 32.85, 39.93, 4.0, viewport).expect("view");
        let z5 = zoom_camera(&projection, 32.85, 39.93, 5.0, viewport).expect("view");
        assert!((z5.scale / z4.scale - 2.0).abs() < 1e-9);
        // At zoom 4 the equator is 4096 points long.
        assert!((z4.scale * std::f64::consts::TAU - 4096.0).abs() < 1e-6);
        let ankara = z4.screen_from_world(projection.project(32.85, 39.93).expect("projects"));
        assert!((ankara[0] - 400.0).abs() < 1e-3 && (ankara[1] - 300.0).abs() < 1e-3);
    }
}
