//! Map projections: longitude/latitude in degrees to flat "world" coordinates (on a unit sphere, so one
//! world unit is one Earth radius) and back.
//!
//! Every projection has a central meridian: the map is cut at the meridian opposite it, and geometry is
//! split there before projecting (see [`Projection::relative_lon`]). Projecting returns `None` where a point
//! cannot be projected (beyond Web Mercator's latitude limit, at the pole a conic cannot show), as galileo
//! does, so nothing panics at the poles.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// The largest latitude Web Mercator shows (the square world of web maps).
pub const MERCATOR_MAX_LAT: f64 = 85.051_128_779_806_59;

/// A point in world coordinates (x east, y north).
pub type World = [f64; 2];

/// How the globe is flattened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Projection {
    /// Web Mercator (spherical), as on web maps: conformal, areas grow towards the poles.
    WebMercator { central_lon: f64 },
    /// Lambert conformal conic (spherical): for mid-latitude regions such as the Middle East; shapes are
    /// kept and scale is true along the two standard parallels.
    LambertConic(Lambert),
}

/// Parameters of a Lambert conformal conic projection, with its constants computed once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lambert {
    pub central_lon: f64,
    pub origin_lat: f64,
    pub parallel_1: f64,
    pub parallel_2: f64,
    n: f64,
    f: f64,
    rho0: f64,
}

impl Lambert {
    /// A conic for latitudes `south..north`, with standard parallels at one sixth and five sixths of the band
    /// (the usual rule of thumb) and its origin in the middle.
    pub fn for_band(central_lon: f64, south: f64, north: f64) -> Self {
        let (south, north) = (south.min(north), south.max(north));
        let span = (north - south).max(1.0);
        Self::new(
            central_lon,
            (south + north) / 2.0,
            south + span / 6.0,
            north - span / 6.0,
        )
    }

    pub fn new(central_lon: f64, origin_lat: f64, parallel_1: f64, parallel_2: f64) -> Self {
        let phi1 = parallel_1.to_radians();
        let phi2 = parallel_2.to_radians();
        let t = |phi: f64| (FRAC_PI_4 + phi / 2.0).tan();
        let mut n = if (phi1 - phi2).abs() < 1e-9 {
            phi1.sin()
        } else {
            (phi1.cos() / phi2.cos()).ln() / (t(phi2) / t(phi1)).ln()
        };
        if n.abs() < 1e-6 {
            // Standard parallels symmetric about the equator: the cone is a cylinder. Keep a shallow cone.
            n = 1e-6_f64.copysign(if n == 0.0 { 1.0 } else { n });
        }
        let f = phi1.cos() * t(phi1).powf(n) / n;
        let rho0 = f / t(origin_lat.to_radians()).powf(n);
        Self {
            central_lon,
            origin_lat,
            parallel_1,
            parallel_2,
            n,
            f,
            rho0,
        }
    }

    /// The cone's constant: a meridian at `rel_lon` (relative to the central one, radians) runs from the
    /// apex at the angle `n * rel_lon` from the map's downward vertical.
    pub fn cone_constant(&self) -> f64 {
        self.n
    }

    /// The world position of the cone's apex, where every meridian meets.
    pub fn apex(&self) -> World {
        [0.0, self.rho0]
    }

    /// The distance from the apex of the parallel at `lat` (degrees), signed as the cone's constant.
    pub fn radius_at(&self, lat: f64) -> f64 {
        self.f / (FRAC_PI_4 + lat.to_radians() / 2.0).tan().powf(self.n)
    }

    /// Latitude (degrees) of the pole the cone does not show: points there go to infinity.
    fn hidden_pole(&self) -> f64 {
        if self.n > 0.0 { -90.0 } else { 90.0 }
    }
}

/// The projections the user can pick. Which [`Projection`] each stands for is given by
/// `ProjectionKind::projection`, in `scene::view` (the regional conic is fitted to the basemap's region).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ProjectionKind {
    /// Lambert conformal conic fitted to the scenario region.
    #[default]
    RegionalConic,
    WebMercator,
}

impl ProjectionKind {
    pub const ALL: [Self; 2] = [Self::RegionalConic, Self::WebMercator];

    pub fn label(self) -> &'static str {
        match self {
            Self::RegionalConic => "Lambert conic (regional)",
            Self::WebMercator => "Web Mercator",
        }
    }
}

impl Default for Projection {
    fn default() -> Self {
        Self::WebMercator { central_lon: 0.0 }
    }
}

/// Wraps a longitude into `[-180, 180)`.
pub fn wrap_lon(lon: f64) -> f64 {
    let l = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if l.is_finite() { l } else { lon }
}

impl Projection {
    pub fn label(&self) -> &'static str {
        match self {
            Self::WebMercator { .. } => "Web Mercator",
            Self::LambertConic(_) => "Lambert conformal conic",
        }
    }

    pub fn central_lon(&self) -> f64 {
        match self {
            Self::WebMercator { central_lon } => *central_lon,
            Self::LambertConic(l) => l.central_lon,
        }
    }

    /// Longitude relative to the central meridian, in `[-180, 180)`: geometry is split where this jumps.
    pub fn relative_lon(&self, lon: f64) -> f64 {
        wrap_lon(lon - self.central_lon())
    }

    /// Projects a longitude already made relative to the central meridian (see [`Self::relative_lon`]).
    /// Latitudes beyond what the projection shows are clamped to its edge, so rings stay closed.
    pub fn project_relative(&self, rel_lon: f64, lat: f64) -> Option<World> {
        if !(rel_lon.is_finite() && lat.is_finite()) {
            return None;
        }
        let lam = rel_lon.to_radians();
        match self {
            Self::WebMercator { .. } => {
                let phi = lat.clamp(-MERCATOR_MAX_LAT, MERCATOR_MAX_LAT).to_radians();
                Some([lam, (FRAC_PI_4 + phi / 2.0).tan().ln()])
            }
            Self::LambertConic(l) => {
                let limit = l.hidden_pole();
                // Keep a degree away from the hidden pole: it is at infinity.
                let lat = if limit < 0.0 {
                    lat.max(-89.0)
                } else {
                    lat.min(89.0)
                };
                let rho = l.radius_at(lat);
                let theta = l.n * lam;
                let p = [rho * theta.sin(), l.rho0 - rho * theta.cos()];
                (p[0].is_finite() && p[1].is_finite()).then_some(p)
            }
        }
    }

    /// Whether [`Self::project_relative`] may send distinct positions at latitude `lat` (degrees) to one
    /// point: beyond the latitudes it clamps, or within a degree of a pole (a cone's apex).
    pub fn may_merge_at(&self, lat: f64) -> bool {
        match self {
            Self::WebMercator { .. } => lat.abs() >= MERCATOR_MAX_LAT,
            Self::LambertConic(_) => lat.abs() >= 89.0,
        }
    }

    /// Projects a longitude and latitude in degrees.
    pub fn project(&self, lon: f64, lat: f64) -> Option<World> {
        if !(-90.0..=90.0).contains(&lat) {
            return None;
        }
        if let Self::WebMercator { .. } = self
            && lat.abs() > MERCATOR_MAX_LAT
        {
            return None;
        }
        self.project_relative(self.relative_lon(lon), lat)
    }

    /// Whether a point (longitude relative to the central meridian) lies on the edge of the flat map: the
    /// cut meridian, or the latitude where the projection stops (a pole, or Mercator's limit). Lines there
    /// are artefacts of flattening, not coasts.
    pub fn on_map_edge(&self, rel_lon: f64, lat: f64) -> bool {
        const EPS: f64 = 1e-7;
        let lat_limit = match self {
            Self::WebMercator { .. } => MERCATOR_MAX_LAT,
            Self::LambertConic(_) => 89.0,
        };
        rel_lon.abs() >= 180.0 - EPS || lat.abs() >= lat_limit - EPS
    }

    /// The longitude and latitude (degrees) of a world point, or `None` outside the map.
    pub fn unproject(&self, p: World) -> Option<(f64, f64)> {
        let [x, y] = p;
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let (rel_lon, lat) = match self {
            Self::WebMercator { .. } => {
                if x.abs() > PI {
                    return None;
                }
                (
                    x.to_degrees(),
                    (2.0 * y.exp().atan() - FRAC_PI_2).to_degrees(),
                )
            }
            Self::LambertConic(l) => {
                let dy = l.rho0 - y;
                let rho = (x * x + dy * dy).sqrt().copysign(l.n);
                let theta = (x * l.n.signum()).atan2(dy * l.n.signum());
                let lam = theta / l.n;
                if lam.abs() > PI {
                    return None;
                }
                let phi = if rho == 0.0 {
                    FRAC_PI_2.copysign(l.n)
                } else {
                    2.0 * (l.f / rho).powf(1.0 / l.n).atan() - FRAC_PI_2
                };
                (lam.to_degrees(), phi.to_degrees())
            }
        };
        (lat.is_finite() && (-90.0..=90.0).contains(&lat))
            .then(|| (wrap_lon(rel_lon + self.central_lon()), lat))
    }

    /// World units per degree of latitude near `lat`, for scale bars: the local scale of the projection.
    pub fn local_scale(&self, lon: f64, lat: f64) -> Option<f64> {
        let d = 0.01;
        let a = self.project(lon, (lat - d).max(-89.99))?;
        let b = self.project(lon, (lat + d).min(89.99))?;
        let dist = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        Some(dist / (2.0 * d).to_radians())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    #[test]
    fn mercator_round_trips_and_is_square_at_its_limit() {
        let p = Projection::default();
        let w = p.project(32.85, 39.93).expect("projects");
        let (lon, lat) = p.unproject(w).expect("unprojects");
        assert!(close(lon, 32.85, 1e-9) && close(lat, 39.93, 1e-9));
        let top = p.project(0.0, MERCATOR_MAX_LAT).expect("edge");
        assert!(close(top[1], PI, 1e-9), "{top:?}");
        assert!(p.project(0.0, 89.0).is_none());
    }

    #[test]
    fn lambert_round_trips_over_the_region_and_beyond() {
        let p = Projection::LambertConic(Lambert::for_band(42.0, 20.0, 45.0));
        for (lon, lat) in [
            (32.85, 39.93),
            (51.39, 35.69),
            (51.53, 25.29),
            (-77.04, 38.91),
            (42.0, 0.0),
            (150.0, -30.0),
        ] {
            let w = p.project(lon, lat).expect("projects");
            let (lon2, lat2) = p.unproject(w).expect("unprojects");
            assert!(
                close(lon2, lon, 1e-7) && close(lat2, lat, 1e-7),
                "{lon},{lat} -> {lon2},{lat2}"
            );
        }
    }

    #[test]
    fn lambert_is_true_to_scale_on_its_standard_parallels() {
        let l = Lambert::new(40.0, 30.0, 25.0, 40.0);
        let p = Projection::LambertConic(l);
        for lat in [25.0, 40.0] {
            // World units are Earth radii: one degree along the meridian is one degree in radians.
            let k = p.local_scale(40.0, lat).expect("scale");
            assert!(close(k, 1.0, 1e-4), "scale {k} at {lat}");
        }
        assert!(p.local_scale(40.0, 32.0).expect("scale") < 1.0);
    }

    #[test]
    fn the_hidden_pole_does_not_panic_or_return_infinity() {
        let p = Projection::LambertConic(Lambert::for_band(42.0, 20.0, 45.0));
        let w = p.project(0.0, -90.0).expect("clamped near the pole");
        assert!(w[0].is_finite() && w[1].is_finite());
        assert!(p.project(f64::NAN, 0.0).is_none());
        assert!(p.unproject([f64::INFINITY, 0.0]).is_none());
    }

    #[test]
    fn longitudes_are_relative_to_the_central_meridian() {
        let p = Projection::WebMercator { central_lon: 150.0 };
        assert!(close(p.relative_lon(-170.0), 40.0, 1e-12));
        assert!(close(p.relative_lon(150.0), 0.0, 1e-12));
        assert!(close(wrap_lon(180.0), -180.0, 1e-12));
        assert!(close(wrap_lon(-190.0), 170.0, 1e-12));
    }
}
