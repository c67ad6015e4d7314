//! The scene: what the map shows, as screen-space primitives with plain colours.
//!
//! One builder turns (basemap, scenario, camera, time, style) into a [`Scene`]; the window's egui painter,
//! the SVG writer and the PNG rasteriser all draw that same scene, so they cannot drift apart. Nothing here
//! knows egui.
//!
//! - [`map`] builds a scene: the base layers ([`basemap`], [`graticule`]) that stay while the clock runs,
//!   then the overlays ([`contacts`], [`venues`], the legend, the scale bar, the credit).
//! - [`cache`] keeps, for the window, what a frame can reuse from the last (the base layers, the venues'
//!   places), compared by typed keys; the backend then only tessellates.
//! - [`settings`] holds what the user sets (projection, theme, trail); [`style`] the map's palette;
//!   [`look`] the one table of each contact kind's and status's look, read by the map's marks, the legend
//!   and the time axis.
//! - [`areas`] draws area venues as soft areas, not dots.
//! - [`places`] says where venues are on screen (edge markers for those outside); [`labels`] places
//!   labels without overlaps; [`view`] makes the fitted and exported cameras.

pub mod areas;
pub mod basemap;
pub mod cache;
pub mod contacts;
pub mod graticule;
pub mod labels;
pub mod look;
pub mod map;
pub mod places;
pub mod settings;
pub mod style;
pub mod venues;
pub mod view;
pub mod widths;

pub use style::{Rgba, Theme};

/// A point on screen, in points (x right, y down).
pub type Pt = [f32; 2];

/// Where a text's anchor point is, relative to the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Center,
    LeftCenter,
    RightCenter,
    CenterTop,
    CenterBottom,
}

/// One thing to draw.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Triangles filled with one colour (polygons, already triangulated, holes respected).
    Mesh {
        vertices: Vec<Pt>,
        indices: Vec<u32>,
        fill: Rgba,
    },
    /// A line through points; `dash` is (dash, gap) lengths in points.
    Polyline {
        points: Vec<Pt>,
        width: f32,
        color: Rgba,
        dash: Option<[f32; 2]>,
    },
    Circle {
        center: Pt,
        radius: f32,
        fill: Option<Rgba>,
        stroke: Option<(f32, Rgba)>,
    },
    Text {
        pos: Pt,
        text: String,
        size: f32,
        color: Rgba,
        anchor: Anchor,
    },
}

impl Item {
    /// A rectangle from `min` to `max` (top left, bottom right), filled: the box behind a legend or a
    /// title.
    pub fn rect(min: Pt, max: Pt, fill: Rgba) -> Self {
        Self::Mesh {
            vertices: vec![min, [max[0], min[1]], max, [min[0], max[1]]],
            indices: vec![0, 1, 2, 0, 2, 3],
            fill,
        }
    }
}

/// A named group of items, drawn in order (an SVG `<g>`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SceneLayer {
    pub name: String,
    pub items: Vec<Item>,
}

impl SceneLayer {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            items: Vec::new(),
        }
    }
}

/// Everything to draw for one frame or one export, back to front.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Width and height in points.
    pub size: [f32; 2],
    pub background: Rgba,
    pub layers: Vec<SceneLayer>,
}

impl Scene {
    pub fn layer(&self, name: &str) -> Option<&SceneLayer> {
        self.layers.iter().find(|l| l.name == name)
    }
}

/// Something on the map the user can point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pick {
    Actor(crate::model::ActorId),
    Venue(crate::model::VenueId),
    Contact(crate::model::ContactId),
}

/// Where a [`Pick`] is on screen: a disc.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    pub pick: Pick,
    pub center: Pt,
    pub radius: f32,
}

/// What is under `p`: an actor's badge before a venue before a contact, then the nearest.
pub fn pick_at(targets: &[Target], p: Pt) -> Option<Pick> {
    let rank = |pick: &Pick| match pick {
        Pick::Actor(_) => 0,
        Pick::Venue(_) => 1,
        Pick::Contact(_) => 2,
    };
    targets
        .iter()
        .filter_map(|t| {
            let d2 = (t.center[0] - p[0]).powi(2) + (t.center[1] - p[1]).powi(2);
            (d2 <= t.radius * t.radius).then_some((rank(&t.pick), d2, t.pick))
        })
        .min_by(|a, b| {
            (a.0, a.1)
                .partial_cmp(&(b.0, b.1))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|(_, _, pick)| pick)
}
