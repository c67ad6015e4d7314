//! Where an export's decorations go: the title, the legend, the scale bar and the credit (with the stamp)
//! each take one of eight spots along the picture's edges, the one where they cover least of the map's
//! content (edge markers, venues, badges, labels, contact marks), never each other, never past the edge.
//!
//! The user may fix the title's and the legend's spots, or hide them ([`Layout`]); the others follow.
//! An animation chooses once, for all its frames, so nothing jumps from one frame to the next.

pub use crate::scene::labels::Box2;
use crate::scene::labels::item_box;
use crate::scene::{Item, Scene, SceneLayer};

/// Points between a decoration and the picture's edge.
pub const MARGIN: f32 = 10.0;

/// A place along the picture's edges: a corner or the middle of a side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Spot {
    TopLeft,
    Top,
    TopRight,
    Left,
    Right,
    BottomLeft,
    Bottom,
    BottomRight,
}

impl Spot {
    pub const ALL: [Self; 8] = [
        Self::TopLeft,
        Self::Top,
        Self::TopRight,
        Self::Left,
        Self::Right,
        Self::BottomLeft,
        Self::Bottom,
        Self::BottomRight,
    ];

    /// The name on the command line: `top-left`.
    pub fn name(self) -> &'static str {
        match self {
            Self::TopLeft => "top-left",
            Self::Top => "top",
            Self::TopRight => "top-right",
            Self::Left => "left",
            Self::Right => "right",
            Self::BottomLeft => "bottom-left",
            Self::Bottom => "bottom",
            Self::BottomRight => "bottom-right",
        }
    }

    /// The name in the export dialog: `Top left`.
    pub fn label(self) -> &'static str {
        match self {
            Self::TopLeft => "Top left",
            Self::Top => "Top",
            Self::TopRight => "Top right",
            Self::Left => "Left",
            Self::Right => "Right",
            Self::BottomLeft => "Bottom left",
            Self::Bottom => "Bottom",
            Self::BottomRight => "Bottom right",
        }
    }

    /// Where along the free width and height the block's corner goes: 0 the left (top), 1 the right
    /// (bottom).
    fn fractions(self) -> [f32; 2] {
        match self {
            Self::TopLeft => [0.0, 0.0],
            Self::Top => [0.5, 0.0],
            Self::TopRight => [1.0, 0.0],
            Self::Left => [0.0, 0.5],
            Self::Right => [1.0, 0.5],
            Self::BottomLeft => [0.0, 1.0],
            Self::Bottom => [0.5, 1.0],
            Self::BottomRight => [1.0, 1.0],
        }
    }

    /// The box a block of `size` takes at this spot of `viewport`, [`MARGIN`] from its edges. A block
    /// too large for the viewport starts at its top left corner.
    pub fn rect(self, size: [f32; 2], viewport: Box2) -> Box2 {
        let [fx, fy] = self.fractions();
        let free_w = (viewport[2] - viewport[0] - 2.0 * MARGIN - size[0]).max(0.0);
        let free_h = (viewport[3] - viewport[1] - 2.0 * MARGIN - size[1]).max(0.0);
        let x = (viewport[0] + MARGIN + fx * free_w).round();
        let y = (viewport[1] + MARGIN + fy * free_h).round();
        [x, y, x + size[0], y + size[1]]
    }
}

impl std::fmt::Display for Spot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Spot {
    type Err = String;

    /// `top-left`, `top_left`, `Top left`, `topleft` or the compass point `nw`.
    fn from_str(text: &str) -> Result<Self, String> {
        let key: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .collect();
        let compass = ["nw", "n", "ne", "w", "e", "sw", "s", "se"];
        Self::ALL
            .into_iter()
            .zip(compass)
            .find(|(spot, point)| spot.name().replace('-', "") == key || *point == key)
            .map(|(spot, _)| spot)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|s| s.name()).collect();
                format!(
                    "`{text}` is not a place on the picture: write one of {}",
                    names.join(", ")
                )
            })
    }
}

/// Where a decoration goes: wherever it covers least, a spot the user chose, or nowhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Place {
    #[default]
    Auto,
    At(Spot),
    Hidden,
}

/// The decorations of an exported picture, each placed as a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Block {
    /// The title and the date, on a panel.
    Title,
    Legend,
    ScaleBar,
    /// The data credit, with the stamp above it.
    Credit,
}

impl Block {
    /// The order blocks choose their spots in when the user fixed none: the title first.
    pub const ALL: [Self; 4] = [Self::Title, Self::Legend, Self::Credit, Self::ScaleBar];

    /// The spots a block tries, best first, when nothing is in the way (the usual places of a map's
    /// furniture: the title top left, the legend top right, the scale bottom left, the credit bottom right).
    fn preferred(self) -> [Spot; 8] {
        use Spot::*;
        match self {
            Self::Title => [
                TopLeft,
                TopRight,
                BottomLeft,
                BottomRight,
                Top,
                Bottom,
                Left,
                Right,
            ],
            Self::Legend => [
                TopRight,
                TopLeft,
                BottomRight,
                BottomLeft,
                Right,
                Left,
                Top,
                Bottom,
            ],
            Self::ScaleBar => [
                BottomLeft,
                BottomRight,
                TopLeft,
                TopRight,
                Bottom,
                Top,
                Left,
                Right,
            ],
            Self::Credit => [
                BottomRight,
                BottomLeft,
                TopRight,
                TopLeft,
                Bottom,
                Top,
                Right,
                Left,
            ],
        }
    }
}

/// Where each decoration goes, and whether the stamp is shown. The scale bar and the credit are always
/// shown (their place is chosen, never hidden).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub title: Place,
    pub legend: Place,
    pub scale_bar: Place,
    pub credit: Place,
    pub stamp: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            title: Place::Auto,
            legend: Place::Auto,
            scale_bar: Place::Auto,
            credit: Place::Auto,
            stamp: true,
        }
    }
}

impl Layout {
    pub fn place(&self, block: Block) -> Place {
        match block {
            Block::Title => self.title,
            Block::Legend => self.legend,
            Block::ScaleBar => self.scale_bar,
            Block::Credit => self.credit,
        }
    }

    fn set(&mut self, block: Block, place: Place) {
        match block {
            Block::Title => self.title = place,
            Block::Legend => self.legend = place,
            Block::ScaleBar => self.scale_bar = place,
            Block::Credit => self.credit = place,
        }
    }
}

/// Something of the map a decoration should not cover, and what covering a square point of it costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Obstacle {
    pub rect: Box2,
    pub weight: f32,
}

/// The layers that are decorations, not content.
pub const DECORATION_LAYERS: [&str; 5] = ["title", "legend", "scale-bar", "credit", "stamp"];

/// Whether a layer is the map's ground (land, graticule), which decorations may cover.
fn is_ground(name: &str) -> bool {
    name.starts_with("basemap-") || name == "graticule"
}

/// How many times more a venue's marker or name weighs than other marks and labels.
const VENUE_WEIGHT: f32 = 10.0;

/// Longest piece of a line counted as one box: a long straight line is not one huge box.
const SEGMENT_PT: f32 = 24.0;

/// The map's content in `scene`: the items of every layer over the ground that is not a decoration.
/// Labels, markers and badges weigh most; lines less; country names and large areas (an area venue's
/// circle) little.
pub fn obstacles(scene: &Scene) -> Vec<Obstacle> {
    let area = scene.size[0] * scene.size[1];
    let mut out = Vec::new();
    for layer in &scene.layers {
        if is_ground(&layer.name) || DECORATION_LAYERS.contains(&layer.name.as_str()) {
            continue;
        }
        let quiet = layer.name.starts_with("country-labels") || layer.name == "areas";
        let start = out.len();
        for item in &layer.items {
            obstacles_of(item, quiet, area, &mut out);
        }
        // The venues, their markers and their names weigh most: a decoration goes over lines and
        // country names before it hides where something happens.
        if layer.name == "venues" {
            for o in &mut out[start..] {
                if o.weight >= 1.0 {
                    o.weight *= VENUE_WEIGHT;
                }
            }
        }
    }
    out
}

fn obstacles_of(item: &Item, quiet: bool, area: f32, out: &mut Vec<Obstacle>) {
    if let Item::Polyline { points, width, .. } = item {
        let pad = width / 2.0 + 1.0;
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
            let pieces = ((len / SEGMENT_PT).ceil() as usize).clamp(1, 1000);
            for k in 0..pieces {
                let (t0, t1) = (k as f32 / pieces as f32, (k + 1) as f32 / pieces as f32);
                let p = |t: f32| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
                let (p0, p1) = (p(t0), p(t1));
                out.push(Obstacle {
                    rect: [
                        p0[0].min(p1[0]) - pad,
                        p0[1].min(p1[1]) - pad,
                        p0[0].max(p1[0]) + pad,
                        p0[1].max(p1[1]) + pad,
                    ],
                    weight: if quiet { 0.2 } else { 1.0 },
                });
            }
        }
        return;
    }
    let Some(rect) = item_box(item) else {
        return;
    };
    let size = (rect[2] - rect[0]) * (rect[3] - rect[1]);
    let weight = if quiet {
        0.5
    } else if size > area / 25.0 {
        0.05
    } else if matches!(item, Item::Mesh { .. }) {
        1.0
    } else {
        4.0
    };
    out.push(Obstacle { rect, weight });
}

/// The area two boxes share.
pub fn overlap(a: &Box2, b: &Box2) -> f32 {
    let w = a[2].min(b[2]) - a[0].max(b[0]);
    let h = a[3].min(b[3]) - a[1].max(b[1]);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

/// The area of `rect` outside `viewport`.
fn outside(rect: &Box2, viewport: &Box2) -> f32 {
    let area = (rect[2] - rect[0]) * (rect[3] - rect[1]);
    area - overlap(rect, viewport)
}

/// What covering the map costs at `rect`, in weighted square points.
pub fn cost(rect: &Box2, obstacles: &[Obstacle]) -> f32 {
    obstacles
        .iter()
        .map(|o| overlap(rect, &o.rect) * o.weight)
        .sum()
}

/// The spot of each shown block: those the user fixed, then the others in [`Block::ALL`]'s order, each
/// where it covers least of `obstacles` and none of the blocks placed before (ties go to its preferred
/// spots, in order). `blocks` gives the size of each block shown.
pub fn choose(
    blocks: &[(Block, [f32; 2])],
    layout: &Layout,
    viewport: Box2,
    obstacles: &[Obstacle],
) -> Vec<(Block, Spot)> {
    let mut placed: Vec<(Block, Spot, Box2)> = Vec::new();
    for &(block, size) in blocks {
        if let Place::At(spot) = layout.place(block) {
            placed.push((block, spot, spot.rect(size, viewport)));
        }
    }
    for block in Block::ALL {
        let Some(&(_, size)) = blocks.iter().find(|(b, _)| *b == block) else {
            continue;
        };
        if layout.place(block) != Place::Auto {
            continue;
        }
        let score = |spot: Spot| {
            let rect = spot.rect(size, viewport);
            let clash: f32 = placed.iter().map(|(_, _, r)| overlap(&rect, r)).sum();
            (clash + outside(&rect, &viewport)) * 1e4 + cost(&rect, obstacles)
        };
        let mut best: Option<(f32, Spot)> = None;
        for spot in block.preferred() {
            let s = score(spot);
            // A later spot must be clearly better (half a square point) to win over a preferred one.
            if best.is_none_or(|(b, _)| s < b - 0.5) {
                best = Some((s, spot));
            }
        }
        if let Some((_, spot)) = best {
            placed.push((block, spot, spot.rect(size, viewport)));
        }
    }
    placed.into_iter().map(|(b, s, _)| (b, s)).collect()
}

/// `layout` with every shown block's spot fixed as [`choose`] puts it.
pub fn resolve(
    layout: &Layout,
    blocks: &[(Block, [f32; 2])],
    viewport: Box2,
    obstacles: &[Obstacle],
) -> Layout {
    let mut fixed = *layout;
    for (block, spot) in choose(blocks, layout, viewport, obstacles) {
        fixed.set(block, Place::At(spot));
    }
    fixed
}

/// Moves every item of `layer` by `d`.
pub fn translate(layer: &mut SceneLayer, d: [f32; 2]) {
    let shift = |p: &mut [f32; 2]| {
        p[0] += d[0];
        p[1] += d[1];
    };
    for item in &mut layer.items {
        match item {
            Item::Mesh { vertices, .. } => vertices.iter_mut().for_each(shift),
            Item::Polyline { points, .. } => points.iter_mut().for_each(shift),
            Item::Circle { center, .. } => shift(center),
            Item::Text { pos, .. } => shift(pos),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: Box2 = [0.0, 0.0, 800.0, 600.0];

    fn sizes() -> Vec<(Block, [f32; 2])> {
        vec![
            (Block::Title, [200.0, 50.0]),
            (Block::Legend, [190.0, 120.0]),
            (Block::ScaleBar, [150.0, 20.0]),
            (Block::Credit, [140.0, 30.0]),
        ]
    }

    fn spot_of(chosen: &[(Block, Spot)], block: Block) -> Spot {
        chosen
            .iter()
            .find(|(b, _)| *b == block)
            .map(|(_, s)| *s)
            .expect("placed")
    }

    #[test]
    fn on_an_empty_map_each_block_takes_its_usual_corner() {
        let chosen = choose(&sizes(), &Layout::default(), VIEW, &[]);
        assert_eq!(spot_of(&chosen, Block::Title), Spot::TopLeft);
        assert_eq!(spot_of(&chosen, Block::Legend), Spot::TopRight);
        assert_eq!(spot_of(&chosen, Block::ScaleBar), Spot::BottomLeft);
        assert_eq!(spot_of(&chosen, Block::Credit), Spot::BottomRight);
    }

    #[test]
    fn a_label_in_the_top_left_corner_sends_the_title_elsewhere() {
        let label = Obstacle {
            rect: [40.0, 30.0, 120.0, 45.0],
            weight: 4.0,
        };
        let chosen = choose(&sizes(), &Layout::default(), VIEW, &[label]);
        let title = spot_of(&chosen, Block::Title);
        assert_ne!(title, Spot::TopLeft);
        let rects: Vec<Box2> = chosen
            .iter()
            .map(|&(b, s)| {
                let size = sizes().iter().find(|(x, _)| *x == b).expect("size").1;
                s.rect(size, VIEW)
            })
            .collect();
        for (i, a) in rects.iter().enumerate() {
            assert_eq!(
                overlap(a, &label.rect),
                0.0,
                "{:?} covers the label",
                chosen[i]
            );
            assert_eq!(outside(a, &VIEW), 0.0);
            for b in &rects[i + 1..] {
                assert_eq!(overlap(a, b), 0.0, "two decorations overlap");
            }
        }
    }

    #[test]
    fn a_spot_the_user_chose_is_kept_and_others_make_way() {
        let layout = Layout {
            title: Place::At(Spot::TopRight),
            ..Layout::default()
        };
        let chosen = choose(&sizes(), &layout, VIEW, &[]);
        assert_eq!(spot_of(&chosen, Block::Title), Spot::TopRight);
        assert_eq!(spot_of(&chosen, Block::Legend), Spot::TopLeft);
    }

    #[test]
    fn spots_parse_from_names_and_compass_points() {
        for spot in Spot::ALL {
            assert_eq!(spot.name().parse::<Spot>(), Ok(spot));
            assert_eq!(spot.label().parse::<Spot>(), Ok(spot));
        }
        assert_eq!("NW".parse::<Spot>(), Ok(Spot::TopLeft));
        assert_eq!("bottom_right".parse::<Spot>(), Ok(Spot::BottomRight));
        assert!(
            "middle"
                .parse::<Spot>()
                .expect_err("not a spot")
                .contains("top-left")
        );
    }

    #[test]
    fn a_long_line_is_many_small_obstacles_not_one_big_box() {
        let mut out = Vec::new();
        let line = Item::Polyline {
            points: vec![[0.0, 0.0], [600.0, 600.0]],
            width: 2.0,
            color: crate::scene::Rgba([0, 0, 0, 255]),
            dash: None,
        };
        obstacles_of(&line, false, 800.0 * 600.0, &mut out);
        assert!(out.len() > 20);
        // The top right corner, far from the diagonal, is free.
        assert_eq!(cost(&[500.0, 10.0, 790.0, 100.0], &out), 0.0);
    }
}
