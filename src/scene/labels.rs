//! Labels that never overlap: each is placed in the first free spot of a few candidates, in order of
//! importance; one that finds no free spot yields (is not drawn).

use super::{Anchor, Pt};

/// An axis-aligned box on screen: `[min_x, min_y, max_x, max_y]`.
pub type Box2 = [f32; 4];

/// The width of a text in points, estimated per character from the bundled fonts' widths: the scene knows
/// no font, and a close estimate is enough to keep labels apart (the window, the SVG and the PNG use the
/// same estimate, so they hide the same labels).
pub use super::widths::text_width;

/// The box a text covers when drawn at `pos` with `anchor`.
pub fn text_box(pos: Pt, text: &str, size: f32, anchor: Anchor) -> Box2 {
    let w = text_width(text, size);
    let h = size * 1.2;
    let [x, y] = pos;
    match anchor {
        Anchor::Center => [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0],
        Anchor::LeftCenter => [x, y - h / 2.0, x + w, y + h / 2.0],
        Anchor::RightCenter => [x - w, y - h / 2.0, x, y + h / 2.0],
        Anchor::CenterTop => [x - w / 2.0, y, x + w / 2.0, y + h],
        Anchor::CenterBottom => [x - w / 2.0, y - h, x + w / 2.0, y],
    }
}

fn overlaps(a: &Box2, b: &Box2) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Side of the cells of the placer's grid, in points.
const CELL: f32 = 64.0;

/// The boxes taken so far, indexed by a coarse grid so that a check looks at its neighbours only.
#[derive(Clone, Debug, Default)]
pub struct Placer {
    taken: Vec<Box2>,
    /// For each cell (row-major over `bounds`), the boxes that touch it.
    grid: Vec<Vec<u32>>,
    columns: usize,
    rows: usize,
    /// Labels must stay inside this box.
    bounds: Box2,
}

impl Placer {
    pub fn new(bounds: Box2) -> Self {
        let columns = (((bounds[2] - bounds[0]) / CELL).ceil().max(1.0) as usize).min(1024);
        let rows = (((bounds[3] - bounds[1]) / CELL).ceil().max(1.0) as usize).min(1024);
        Self {
            taken: Vec::new(),
            grid: vec![Vec::new(); columns * rows],
            columns,
            rows,
            bounds,
        }
    }

    /// The cells a box touches (clamped to the grid).
    fn cells(&self, b: &Box2) -> impl Iterator<Item = usize> + use<> {
        let cell = |v: f32, origin: f32, n: usize| {
            (((v - origin) / CELL).floor().max(0.0) as usize).min(n.saturating_sub(1))
        };
        let (c0, c1) = (
            cell(b[0], self.bounds[0], self.columns),
            cell(b[2], self.bounds[0], self.columns),
        );
        let (r0, r1) = (
            cell(b[1], self.bounds[1], self.rows),
            cell(b[3], self.bounds[1], self.rows),
        );
        let columns = self.columns;
        (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| r * columns + c))
    }

    /// Marks a box as taken (a marker, the legend) without drawing anything.
    pub fn block(&mut self, b: Box2) {
        let index = self.taken.len() as u32;
        self.taken.push(b);
        for cell in self.cells(&b).collect::<Vec<_>>() {
            self.grid[cell].push(index);
        }
    }

    pub fn is_free(&self, b: &Box2) -> bool {
        let o = self.bounds;
        let inside = b[0] >= o[0] && b[1] >= o[1] && b[2] <= o[2] && b[3] <= o[3];
        inside
            && !self.cells(b).any(|cell| {
                self.grid[cell]
                    .iter()
                    .any(|&i| overlaps(&self.taken[i as usize], b))
            })
    }

    /// Takes the first free candidate `(pos, anchor)` for the text and returns it, or `None` if all are taken.
    pub fn place(
        &mut self,
        text: &str,
        size: f32,
        candidates: &[(Pt, Anchor)],
    ) -> Option<(Pt, Anchor)> {
        for &(pos, anchor) in candidates {
            let b = text_box(pos, text, size, anchor);
            if self.is_free(&b) {
                self.block(b);
                return Some((pos, anchor));
            }
        }
        None
    }
}

/// Candidate spots for a label beside a marker of `radius` at `p`: right, left, above, below.
pub fn around(p: Pt, radius: f32) -> [(Pt, Anchor); 4] {
    let gap = radius + 3.0;
    // Above and below, clear of a label beside the marker.
    let gap_v = radius + 4.0;
    [
        ([p[0] + gap, p[1]], Anchor::LeftCenter),
        ([p[0] - gap, p[1]], Anchor::RightCenter),
        ([p[0], p[1] - gap_v], Anchor::CenterBottom),
        ([p[0], p[1] + gap_v], Anchor::CenterTop),
    ]
}

/// The box an item covers (texts by their estimated size).
pub fn item_box(item: &super::Item) -> Option<Box2> {
    use super::Item;
    let from_points = |points: &[Pt], pad: f32| {
        let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for p in points {
            b = [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ];
        }
        (b[0] <= b[2]).then_some([b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad])
    };
    match item {
        Item::Mesh { vertices, .. } => from_points(vertices, 0.0),
        Item::Polyline { points, width, .. } => from_points(points, width / 2.0),
        Item::Circle { center, radius, .. } => Some([
            center[0] - radius,
            center[1] - radius,
            center[0] + radius,
            center[1] + radius,
        ]),
        Item::Text {
            pos,
            text,
            size,
            anchor,
            ..
        } => Some(text_box(*pos, text, *size, *anchor)),
    }
}

/// The box around all of a layer's items.
pub fn layer_box(layer: &super::SceneLayer) -> Option<Box2> {
    layer.items.iter().filter_map(item_box).reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_that_would_overlap_moves_to_its_next_spot_then_yields() {
        let mut placer = Placer::new([0.0, 0.0, 500.0, 500.0]);
        let first = placer.place("Ankara", 12.0, &around([100.0, 100.0], 4.0));
        assert_eq!(first.map(|(_, a)| a), Some(Anchor::LeftCenter));
        // Markers a few points apart: each label takes the next free side, then none is left.
        let second = placer.place("Ankara 2", 12.0, &around([103.0, 100.0], 4.0));
        assert_eq!(second.map(|(_, a)| a), Some(Anchor::RightCenter));
        let third = placer.place("Ankara 3", 12.0, &around([101.0, 100.0], 4.0));
        assert_eq!(third.map(|(_, a)| a), Some(Anchor::CenterBottom));
        let fourth = placer.place("Ankara 4", 12.0, &around([102.0, 100.0], 4.0));
        assert_eq!(fourth.map(|(_, a)| a), Some(Anchor::CenterTop));
        assert_eq!(
            placer.place("Ankara 5", 12.0, &around([102.0, 101.0], 4.0)),
            None
        );
    }

    #[test]
    fn labels_stay_inside_the_bounds() {
        let mut placer = Placer::new([0.0, 0.0, 200.0, 200.0]);
        // Too close to the right edge for a label on the right: it goes left.
        let placed = placer.place("Washington", 12.0, &around([195.0, 100.0], 4.0));
        assert_eq!(placed.map(|(_, a)| a), Some(Anchor::RightCenter));
    }

    #[test]
    fn wider_texts_are_estimated_wider() {
        assert!(text_width("Washington", 12.0) > text_width("Doha", 12.0));
        assert!(text_width("Doha", 24.0) > text_width("Doha", 12.0));
    }
}
