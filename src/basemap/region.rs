//! The default region: where the app's default projection is centred, and what a scenario with no venue
//! in it is fitted to.

use geo::{Coord, Rect};

/// The Eastern Mediterranean, Türkiye, Egypt, the Levant, the Arabian Peninsula, the Gulf, Iran and the
/// Caspian, with a margin of several degrees on every side: the region of the default scenario. The
/// basemap itself is detailed everywhere (see [`super::embedded`]).
pub const REGION: [Coord<f64>; 2] = [Coord { x: 14.0, y: 8.0 }, Coord { x: 68.0, y: 48.0 }];

/// [`REGION`] as a rectangle.
pub fn region() -> Rect<f64> {
    Rect::new(REGION[0], REGION[1])
}
