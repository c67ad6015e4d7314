//! Markers hidden under later ones are not drawn. With a large story the axis would otherwise paint every
//! contact (170,000 bars in a 1,500-point-wide strip of seven lanes): all of them tessellated and handed to
//! the GPU, which in a software renderer costs hundreds of megabytes, for a picture in which only a few
//! thousand can show.
//!
//! Markers are drawn in order, each over those before it, and all markers of a lane have the same height.
//! So a marker whose every pixel column is covered by later markers of its lane cannot be seen, nor
//! clicked: the later ones cover it (and the 2-point tolerance around it) in full. Going from the last
//! marker to the first, each lane keeps which columns are already covered, in a "next uncovered column"
//! table with path halving, so the work stays close to linear in the markers whatever their widths.

/// Columns `0..width` of one lane, with the ones covered so far.
struct Lane {
    /// `next[c]`: a column at or after `c` that may be uncovered; `next[width]` is `width`.
    next: Vec<u32>,
}

impl Lane {
    fn new(width: usize) -> Self {
        Self {
            next: (0..=width as u32).collect(),
        }
    }

    /// The first uncovered column at or after `c`.
    fn find(&mut self, mut c: u32) -> u32 {
        while self.next[c as usize] != c {
            let up = self.next[self.next[c as usize] as usize];
            self.next[c as usize] = up;
            c = up;
        }
        c
    }

    /// Whether any column of `from..to` is still uncovered.
    fn any_uncovered(&mut self, from: u32, to: u32) -> bool {
        from < to && self.find(from) < to
    }

    /// Marks `from..to` covered.
    fn cover(&mut self, from: u32, to: u32) {
        let mut c = self.find(from);
        while c < to {
            self.next[c as usize] = c + 1;
            c = self.find(c + 1);
        }
    }
}

/// A marker's lane and its extent in points, from the left edge of the axis.
#[derive(Clone, Copy, Debug)]
pub(super) struct Span {
    pub lane: usize,
    pub x0: f32,
    pub x1: f32,
}

/// Which of `spans` (in drawing order, each over those before) can be seen on an axis `width` points
/// wide with `lanes` lanes: `keep[i]` is false for a marker wholly under later ones of its lane.
pub(super) fn visible(spans: &[Span], lanes: usize, width: f32) -> Vec<bool> {
    let columns = width.max(0.0).ceil() as usize + 1;
    let mut lane_cover: Vec<Lane> = (0..lanes).map(|_| Lane::new(columns)).collect();
    let clamp = |x: f32| (x.max(0.0) as usize).min(columns) as u32;
    let mut keep = vec![false; spans.len()];
    for (i, span) in spans.iter().enumerate().rev() {
        let Some(lane) = lane_cover.get_mut(span.lane) else {
            keep[i] = true;
            continue;
        };
        // Seen if any column it touches is uncovered; it covers only the columns it fills.
        let from = clamp(span.x0.floor());
        let to = clamp(span.x1.ceil()).max(from + 1).min(columns as u32);
        if lane.any_uncovered(from, to) {
            keep[i] = true;
            lane.cover(clamp(span.x0.ceil()), clamp(span.x1.floor()));
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(lane: usize, x0: f32, x1: f32) -> Span {
        Span { lane, x0, x1 }
    }

    #[test]
    fn a_marker_under_later_ones_of_its_lane_is_dropped_and_others_stay() {
        let spans = [
            span(0, 10.0, 20.0), // under the next two
            span(0, 8.0, 15.0),
            span(0, 15.0, 25.0),
            span(1, 10.0, 20.0), // another lane: stays
            span(0, 30.0, 40.0), // partly under the next: stays
            span(0, 35.0, 50.0),
        ];
        assert_eq!(
            visible(&spans, 2, 100.0),
            [false, true, true, true, true, true]
        );
    }

    #[test]
    fn a_column_only_partly_covered_does_not_hide() {
        // The later marker ends inside column 19, so the earlier one still shows its last sliver.
        let spans = [span(0, 10.0, 19.8), span(0, 10.0, 19.5)];
        assert_eq!(visible(&spans, 1, 100.0), [true, true]);
    }

    #[test]
    fn a_crowd_keeps_at_most_what_the_lanes_can_show() {
        // 100,000 markers 8 points wide over 1,000 points in 7 lanes: only those on top can show.
        let spans: Vec<Span> = (0..100_000)
            .map(|i| {
                let x = (i * 7919 % 992) as f32;
                span(i % 7, x, x + 8.0)
            })
            .collect();
        let kept = visible(&spans, 7, 1000.0).iter().filter(|&&k| k).count();
        assert!(kept <= 7 * 1000, "{kept} markers kept");
        assert!(
            kept >= 7 * 1000 / 8,
            "{kept} markers kept: too few to cover the lanes"
        );
    }

    #[test]
    fn spans_outside_the_axis_or_in_unknown_lanes_never_panic() {
        let spans = [
            span(0, -50.0, -10.0),
            span(0, 990.0, 2000.0),
            span(9, 1.0, 2.0),
            span(0, f32::NAN, f32::NAN),
        ];
        let keep = visible(&spans, 1, 1000.0);
        assert_eq!(keep.len(), 4);
        assert!(keep[2], "a lane the table does not know is drawn");
    }
}
