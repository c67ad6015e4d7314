//! The map's settings the user chooses (projection, theme, trail), held by the app and read by the window's
//! map, the exports and what is remembered between runs.

use crate::geo_math::projection::{Projection, ProjectionKind};
use crate::scene::contacts::TRAIL;
use crate::scene::style::ThemeKind;

/// How the map is drawn, as the user set it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MapSettings {
    pub projection: ProjectionKind,
    pub theme: ThemeKind,
    /// How long contacts stay on the map, fading, after they end; `None` for [`TRAIL`].
    pub trail: Option<jiff::SignedDuration>,
    /// Whether the user folded the map's legend away (a laptop's small screen).
    pub legend_folded: bool,
}

impl MapSettings {
    /// The projection of [`MapSettings::projection`], made for the map.
    pub fn projection(&self) -> Projection {
        self.projection.projection()
    }

    /// The projection of [`MapSettings::projection`], made for a story in `band` (see
    /// [`ProjectionKind::projection_in`]).
    pub fn projection_in(&self, band: Option<crate::scene::view::StoryBand>) -> Projection {
        self.projection.projection_in(band)
    }

    /// Whether the map draws its legend.
    pub fn legend(&self) -> bool {
        !self.legend_folded
    }

    /// How long contacts stay on the map after they end.
    pub fn trail(&self) -> jiff::SignedDuration {
        self.trail.unwrap_or(TRAIL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trail_defaults_to_the_scene_trail_and_keeps_a_chosen_one() {
        let mut settings = MapSettings::default();
        assert_eq!(settings.trail(), TRAIL);
        settings.trail = Some(jiff::SignedDuration::ZERO);
        assert_eq!(settings.trail(), jiff::SignedDuration::ZERO);
    }
}
