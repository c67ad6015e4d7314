//! The camera: which part of the projected world is on screen, and how large. An immutable value, as in
//! galileo's `MapView`: the window and an export draw the same map by using the same camera at another size.

use super::projection::World;

/// A rectangle on screen, in points (y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenRect {
    pub min: [f32; 2],
    pub max: [f32; 2],
}

impl ScreenRect {
    pub fn from_size(width: f32, height: f32) -> Self {
        Self {
            min: [0.0, 0.0],
            max: [width, height],
        }
    }

    pub fn width(&self) -> f32 {
        self.max[0] - self.min[0]
    }

    pub fn height(&self) -> f32 {
        self.max[1] - self.min[1]
    }

    pub fn center(&self) -> [f32; 2] {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }

    pub fn contains(&self, p: [f32; 2]) -> bool {
        p[0] >= self.min[0] && p[0] <= self.max[0] && p[1] >= self.min[1] && p[1] <= self.max[1]
    }
}

/// A rectangle in world coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldRect {
    pub min: World,
    pub max: World,
}

impl WorldRect {
    pub const EMPTY: Self = Self {
        min: [f64::INFINITY, f64::INFINITY],
        max: [f64::NEG_INFINITY, f64::NEG_INFINITY],
    };

    pub fn is_empty(&self) -> bool {
        !(self.min[0] <= self.max[0] && self.min[1] <= self.max[1])
    }

    pub fn extend(&mut self, p: World) {
        self.min = [self.min[0].min(p[0]), self.min[1].min(p[1])];
        self.max = [self.max[0].max(p[0]), self.max[1].max(p[1])];
    }

    pub fn union(&self, other: &Self) -> Self {
        Self {
            min: [self.min[0].min(other.min[0]), self.min[1].min(other.min[1])],
            max: [self.max[0].max(other.max[0]), self.max[1].max(other.max[1])],
        }
    }

    pub fn intersects(&self, other: &Self) -> bool {
        self.min[0] <= other.max[0]
            && other.min[0] <= self.max[0]
            && self.min[1] <= other.max[1]
            && other.min[1] <= self.max[1]
    }

    pub fn width(&self) -> f64 {
        self.max[0] - self.min[0]
    }

    pub fn height(&self) -> f64 {
        self.max[1] - self.min[1]
    }

    pub fn center(&self) -> World {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }
}

/// The view: a world point at the centre of a screen rectangle, at a scale in points per world unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub center: World,
    /// Screen points per world unit (one world unit is one Earth radius).
    pub scale: f64,
    pub viewport: ScreenRect,
}

/// The zoom range: from the whole world in a few hundred points to streets in a city.
pub const MIN_SCALE: f64 = 20.0;
pub const MAX_SCALE: f64 = 2.0e6;

impl Camera {
    /// A camera that shows `bounds` whole in `viewport`, with `margin` points free on each side.
    pub fn fit(bounds: WorldRect, viewport: ScreenRect, margin: f32) -> Self {
        let w = f64::from((viewport.width() - 2.0 * margin).max(1.0));
        let h = f64::from((viewport.height() - 2.0 * margin).max(1.0));
        let scale = if bounds.is_empty() || bounds.width() <= 0.0 && bounds.height() <= 0.0 {
            MIN_SCALE * 10.0
        } else {
            (w / bounds.width().max(1e-9)).min(h / bounds.height().max(1e-9))
        };
        Self {
            center: if bounds.is_empty() {
                [0.0, 0.0]
            } else {
                bounds.center()
            },
            scale: scale.clamp(MIN_SCALE, MAX_SCALE),
            viewport,
        }
    }

    /// The same view in another viewport (a resized window, an export at another size): the centre stays,
    /// and the scale grows with the viewport so the same part of the world shows.
    #[must_use]
    pub fn with_viewport(&self, viewport: ScreenRect) -> Self {
        let ratio = f64::from(viewport.width().min(viewport.height()))
            / f64::from(self.viewport.width().min(self.viewport.height()).max(1.0));
        Self {
            center: self.center,
            scale: (self.scale * ratio).clamp(MIN_SCALE, MAX_SCALE),
            viewport,
        }
    }

    /// The viewport moved without resizing the view (a panel opened): same centre and scale.
    #[must_use]
    pub fn moved_to(&self, viewport: ScreenRect) -> Self {
        Self { viewport, ..*self }
    }

    pub fn screen_from_world(&self, p: World) -> [f32; 2] {
        let c = self.viewport.center();
        [
            c[0] + ((p[0] - self.center[0]) * self.scale) as f32,
            c[1] - ((p[1] - self.center[1]) * self.scale) as f32,
        ]
    }

    pub fn world_from_screen(&self, p: [f32; 2]) -> World {
        let c = self.viewport.center();
        [
            self.center[0] + f64::from(p[0] - c[0]) / self.scale,
            self.center[1] - f64::from(p[1] - c[1]) / self.scale,
        ]
    }

    /// The part of the world on screen.
    pub fn visible_world(&self) -> WorldRect {
        let a = self.world_from_screen(self.viewport.min);
        let b = self.world_from_screen(self.viewport.max);
        WorldRect {
            min: [a[0].min(b[0]), a[1].min(b[1])],
            max: [a[0].max(b[0]), a[1].max(b[1])],
        }
    }

    /// Moves the view by a drag of `delta` screen points.
    #[must_use]
    pub fn panned(&self, delta: [f32; 2]) -> Self {
        Self {
            center: [
                self.center[0] - f64::from(delta[0]) / self.scale,
                self.center[1] + f64::from(delta[1]) / self.scale,
            ],
            ..*self
        }
    }

    /// Zooms by `factor` keeping the world point under `anchor` (a screen point, e.g. the cursor) in place.
    #[must_use]
    pub fn zoomed_around(&self, anchor: [f32; 2], factor: f64) -> Self {
        let before = self.world_from_screen(anchor);
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let zoomed = Self { scale, ..*self };
        let after = zoomed.world_from_screen(anchor);
        Self {
            center: [
                zoomed.center[0] + before[0] - after[0],
                zoomed.center[1] + before[1] - after[1],
            ],
            ..zoomed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn camera() -> Camera {
        Camera {
            center: [1.0, 0.5],
            scale: 100.0,
            viewport: ScreenRect::from_size(800.0, 600.0),
        }
    }

    #[test]
    fn screen_and_world_round_trip_with_y_up_in_the_world() {
        let c = camera();
        assert_eq!(c.screen_from_world([1.0, 0.5]), [400.0, 300.0]);
        assert_eq!(c.screen_from_world([1.1, 0.6]), [410.0, 290.0]);
        let w = c.world_from_screen([123.0, 456.0]);
        let s = c.screen_from_world(w);
        assert!((s[0] - 123.0).abs() < 1e-3 && (s[1] - 456.0).abs() < 1e-3);
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let c = camera();
        let cursor = [700.0, 100.0];
        let under = c.world_from_screen(cursor);
        let z = c.zoomed_around(cursor, 2.5);
        assert!((z.scale - 250.0).abs() < 1e-9);
        let s = z.screen_from_world(under);
        assert!(
            (s[0] - cursor[0]).abs() < 1e-3 && (s[1] - cursor[1]).abs() < 1e-3,
            "{s:?}"
        );
    }

    #[test]
    fn fitting_shows_the_whole_rectangle() {
        let bounds = WorldRect {
            min: [0.0, 0.0],
            max: [2.0, 1.0],
        };
        let c = Camera::fit(bounds, ScreenRect::from_size(800.0, 600.0), 20.0);
        let v = c.visible_world();
        assert!(
            v.min[0] <= 0.0 && v.max[0] >= 2.0 && v.min[1] <= 0.0 && v.max[1] >= 1.0,
            "{v:?}"
        );
        assert!((c.scale - 380.0).abs() < 1e-9);
    }

    #[test]
    fn panning_moves_the_world_with_the_pointer() {
        let c = camera();
        let p = c.screen_from_world([1.2, 0.7]);
        let moved = c.panned([30.0, -10.0]);
        let q = moved.screen_from_world([1.2, 0.7]);
        assert!((q[0] - p[0] - 30.0).abs() < 1e-3 && (q[1] - p[1] + 10.0).abs() < 1e-3);
    }

    #[test]
    fn zoom_is_clamped() {
        let c = camera().zoomed_around([0.0, 0.0], 1e12);
        assert_eq!(c.scale, MAX_SCALE);
        let c = camera().zoomed_around([0.0, 0.0], 1e-12);
        assert_eq!(c.scale, MIN_SCALE);
    }
}
