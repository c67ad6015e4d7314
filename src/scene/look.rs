//! The look of each contact kind and status, in one table read by the map's marks, the legend's glyphs and
//! the time axis's markers, so that a change of look is one edit here and the three cannot drift apart.

use super::{Item, Pt, Rgba, Theme};
use crate::model::{ContactKind, Status};

/// A stroke: its width and its (dash, gap) lengths, in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub width: f32,
    pub dash: Option<[f32; 2]>,
}

impl Line {
    pub const fn solid(width: f32) -> Self {
        Self { width, dash: None }
    }

    pub const fn dashed(width: f32, dash: f32, gap: f32) -> Self {
        Self {
            width,
            dash: Some([dash, gap]),
        }
    }
}

/// What a kind's mark on the map is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// An arc along the route, drawn as far as the trip has gone, with a dot at its head.
    Route,
    /// A dot in a ring at the venue, pulsing.
    DotInRing,
    /// A line between the parties' places, pulsing at both ends.
    Link,
    /// Rings spreading from the speaker's place.
    Ripple,
    /// A line between the parties, through the mediators (each a ring) when there are some.
    Channel,
    /// An area with a dashed edge, or a heavy route.
    Area,
}

/// How one contact kind looks everywhere it is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KindLook {
    /// The kind's colour, from the Okabe-Ito palette, which colour-blind readers can tell apart.
    pub color: Rgba,
    pub mark: Mark,
    /// The mark's main stroke on the map (the line, or the rings' width).
    pub line: Line,
    /// The same stroke when the contact is tentative ([`StatusLook::tentative`]).
    pub tentative_line: Line,
    /// The same stroke, smaller, in the legend.
    pub legend_line: Line,
    /// An area's edge on the map and in the legend, for the kinds that draw one.
    pub edge: Option<(Line, Line)>,
}

/// The look of every kind, for `theme` (a military move takes the theme's text colour).
pub fn kind_look(kind: ContactKind, theme: &Theme) -> KindLook {
    let rgb = Rgba::rgb;
    let look = |color, mark, line, tentative_line, legend_line| KindLook {
        color,
        mark,
        line,
        tentative_line,
        legend_line,
        edge: None,
    };
    match kind {
        ContactKind::Visit => look(
            rgb(0x00, 0x72, 0xB2),
            Mark::Route,
            Line::solid(2.5),
            Line::dashed(2.5, 6.0, 4.0),
            Line::solid(2.0),
        ),
        ContactKind::Meeting => look(
            rgb(0xD5, 0x5E, 0x00),
            Mark::DotInRing,
            RING,
            RING,
            Line::solid(1.5),
        ),
        ContactKind::PhoneCall => look(
            rgb(0x00, 0x9E, 0x73),
            Mark::Link,
            Line::dashed(2.0, 5.0, 4.0),
            Line::dashed(2.0, 5.0, 4.0),
            Line::dashed(2.0, 4.0, 3.0),
        ),
        ContactKind::Statement | ContactKind::Interview | ContactKind::Post => look(
            rgb(0xCC, 0x79, 0xA7),
            Mark::Ripple,
            Line::solid(1.5),
            Line::solid(1.5),
            Line::solid(1.2),
        ),
        ContactKind::ChannelMessage => look(
            rgb(0x56, 0xB4, 0xE9),
            Mark::Channel,
            Line::dashed(1.5, 2.0, 4.0),
            Line::dashed(1.5, 2.0, 4.0),
            Line::dashed(2.0, 2.0, 3.0),
        ),
        ContactKind::Mediation => look(
            rgb(0xE6, 0x9F, 0x00),
            Mark::Channel,
            Line::dashed(1.5, 2.0, 4.0),
            Line::dashed(1.5, 2.0, 4.0),
            Line::dashed(2.0, 2.0, 3.0),
        ),
        ContactKind::MilitaryMove => KindLook {
            edge: Some((Line::dashed(1.5, 8.0, 5.0), Line::dashed(1.2, 3.0, 2.0))),
            // A move of forces: a heavier line in long dashes, unlike a visit's.
            ..look(
                theme.text,
                Mark::Area,
                Line::dashed(3.5, 12.0, 3.0),
                Line::dashed(3.5, 6.0, 6.0),
                Line::dashed(3.0, 5.0, 2.0),
            )
        },
    }
}

/// A kind's colour ([`KindLook::color`]).
pub fn kind_color(kind: ContactKind, theme: &Theme) -> Rgba {
    kind_look(kind, theme).color
}

/// How a status changes a contact's look. The grammar, the same on the map, in the legend and on the time
/// axis:
/// - reported, confirmed, held, ongoing: the kind's mark, solid and filled, pulsing while it goes on;
/// - planned: hollow, its ring and lines dashed;
/// - postponed: as planned, with a small clock beside the mark;
/// - denied, cancelled: greyed (the kind's colour washed out) and struck with a large X.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StatusLook {
    /// Not (yet) happened: dashed or hollow on the map, in the legend and on the axis; a trip not yet begun.
    pub tentative: bool,
    /// Struck: an X on the map and in the legend, a line through the axis's marker.
    pub struck: bool,
    /// Washed towards grey ([`greyed`]): it did not happen.
    pub greyed: bool,
    /// Put off: a clock beside the mark ([`CLOCK`]).
    pub clock: bool,
    /// Pulses and ripples while it goes on.
    pub pulses: bool,
}

/// The look of every status.
pub fn status_look(status: Status) -> StatusLook {
    let (tentative, struck, clock) = match status {
        Status::Planned => (true, false, false),
        Status::Postponed => (true, false, true),
        Status::Denied | Status::Cancelled => (false, true, false),
        Status::Reported | Status::Confirmed | Status::Held | Status::Ongoing => {
            (false, false, false)
        }
    };
    StatusLook {
        tentative,
        struck,
        greyed: struck,
        clock,
        pulses: !tentative && !struck,
    }
}

/// A kind's colour washed towards grey, for what did not happen: still told apart by hue, but quiet.
pub fn greyed(color: Rgba) -> Rgba {
    let [r, g, b, a] = color.0;
    let mix = |c: u8| ((f32::from(c) * 0.35) + 140.0 * 0.65).round() as u8;
    Rgba::new(mix(r), mix(g), mix(b), a)
}

/// The colour a contact of `kind` with `status` is drawn in (before it fades).
pub fn contact_color(kind: ContactKind, status: Status, theme: &Theme) -> Rgba {
    let color = kind_color(kind, theme);
    if status_look(status).greyed {
        greyed(color)
    } else {
        color
    }
}

/// How an area venue is drawn ([`super::areas`]): a soft fill and a dashed edge in the theme's text
/// colour, louder while something goes on there. Quiet enough that many overlapping "somewhere in X"
/// areas of an import do not hide the map, and under a military move's own coloured area.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AreaVenueLook {
    pub fill_alpha: u8,
    pub fill_alpha_active: u8,
    pub edge: Line,
    pub edge_alpha: u8,
    pub edge_alpha_active: u8,
}

pub const AREA_VENUE: AreaVenueLook = AreaVenueLook {
    fill_alpha: 14,
    fill_alpha_active: 34,
    edge: Line::dashed(1.2, 5.0, 4.0),
    edge_alpha: 90,
    edge_alpha_active: 170,
};

/// How the analyst's review changes a machine-coded contact's look, the same on the map, in the legend
/// and in the list:
/// - a candidate (not reviewed): hollow, its line dotted ([`CANDIDATE_LINE`]), with a "?" beside the mark;
/// - accepted: like the analyst's own contacts;
/// - rejected (hidden unless the filter asks for it): greyed and struck, like a denied contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReviewLook {
    pub candidate: bool,
    pub rejected: bool,
}

pub fn review_look(contact: &crate::model::Contact) -> ReviewLook {
    let review = contact.provenance.as_ref().map(|p| p.review);
    ReviewLook {
        candidate: review == Some(crate::model::Review::Candidate),
        rejected: review == Some(crate::model::Review::Rejected),
    }
}

/// A candidate's stroke: thin dots, unlike a planned contact's dashes.
pub const CANDIDATE_LINE: Line = Line::dashed(1.6, 1.5, 3.0);

/// The "?" beside a candidate's mark: its size, and where it sits from the mark's anchor (up left, where
/// a postponed contact's clock is not).
pub const CANDIDATE_MARK: (f32, Pt) = (11.0, [-13.0, -12.0]);

/// The "!" beside a disputed contact's mark (its accounts differ): its size, and where it sits from the
/// mark's anchor (down right, clear of the candidate's "?" and the postponed contact's clock); it is cut
/// out of a solid badge of [`DISPUTED_RADIUS`], so that it reads as strongly as the mark it qualifies.
pub const DISPUTED_MARK: (f32, Pt) = (12.0, [14.0, 13.0]);
pub const DISPUTED_RADIUS: f32 = 7.5;

/// How much a contact's mark is to be trusted, from the grade of the best source of its leading account
/// ([`crate::model::evidence::shown_grade`]), by the source's reliability letter:
/// - A, B (reliable): heavier lines, fully opaque;
/// - C, D (fairly, not usually reliable): the kind's own lines;
/// - E, F (unreliable, cannot be judged) and no graded source: thinner and fainter.
///
/// Weight and opacity, never colour (which tells the kind) nor dash (which tells the status), so that the
/// grade reads in both themes and to colour-blind readers. A story with no graded source at all draws
/// every contact as it always did ([`GradeLook::UNGRADED_STORY`]): there is nothing to tell apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradeLook {
    /// Times the kind's stroke width.
    pub weight: f32,
    /// Times the contact's opacity.
    pub opacity: f32,
}

impl GradeLook {
    pub const STRONG: Self = Self {
        weight: 1.5,
        opacity: 1.0,
    };
    pub const MEDIUM: Self = Self {
        weight: 1.0,
        opacity: 0.85,
    };
    pub const FAINT: Self = Self {
        weight: 0.7,
        opacity: 0.6,
    };
    /// In a story without grades: the kind's look as it is.
    pub const UNGRADED_STORY: Self = Self {
        weight: 1.0,
        opacity: 1.0,
    };

    /// The three looks from strong to faint, with the grades each stands for (the legend's row).
    pub const TIERS: [(Self, &'static str); 3] = [
        (Self::STRONG, "A-B"),
        (Self::MEDIUM, "C-D"),
        (Self::FAINT, "E-F"),
    ];
}

/// The look of a contact whose best source has `grade` (`None`: no graded source).
pub fn grade_look(grade: Option<crate::model::Grade>) -> GradeLook {
    match grade.map(crate::model::Grade::reliability) {
        Some('A' | 'B') => GradeLook::STRONG,
        Some('C' | 'D') => GradeLook::MEDIUM,
        _ => GradeLook::FAINT,
    }
}

/// The legend's row for grades: its label (the glyph shows the three looks top to bottom).
pub const GRADE_LEGEND: &str = "Source graded A-B, C-D, E-F";

/// The "+" beside a contact reported after the new-since moment: its size, and where it sits from the
/// mark's anchor (down left, clear of the "?", the clock and the "!").
pub const NEW_MARK: (f32, Pt) = (13.0, [-13.0, 12.0]);

/// The ring of a dot-in-ring mark (whatever the kind that falls back to it) and of a mediator.
pub const RING: Line = Line::solid(2.0);

/// The ring of a tentative (planned, postponed) dot-in-ring mark: dashed, hollow.
pub const TENTATIVE_RING: Line = Line::dashed(2.0, 4.0, 3.0);

/// The dash of the legend's "tentative" row.
pub const TENTATIVE_LEGEND_LINE: Line = Line::dashed(2.0, 6.0, 4.0);

/// The X over a struck contact: half its size and its stroke, on the map and in the legend, drawn in the
/// theme's text colour over a halo [`CROSS_HALO`] points wide so it reads on any line.
pub const CROSS: (f32, Line) = (9.0, Line::solid(2.5));
pub const LEGEND_CROSS: (f32, Line) = (5.0, Line::solid(2.0));
pub const CROSS_HALO: f32 = 5.0;

/// The clock beside a postponed contact: its radius, and where it sits from the mark's anchor (up right).
pub const CLOCK: (f32, Pt) = (5.5, [12.0, -12.0]);
pub const LEGEND_CLOCK_RADIUS: f32 = 4.5;

/// The time axis's markers: the outline of a tentative bar, the line through a struck one, and how
/// opaque a bar is whose time is known only to the day or a range.
pub const AXIS_TENTATIVE_OUTLINE: Line = Line::dashed(1.2, 4.0, 3.0);
pub const AXIS_STRIKE: Line = Line::solid(1.5);
pub const AXIS_VAGUE_OPACITY: f32 = 0.55;
/// The outline of a candidate's marker on the time axis (hollow, whatever its status): short dots, as its
/// line on the map ([`CANDIDATE_LINE`]), unlike a tentative marker's dashes.
pub const AXIS_CANDIDATE_OUTLINE: Line = Line::dashed(1.2, 1.5, 2.0);

/// A contact's marker on the time axis, from the table: its colour, whether it is hollow (outlined with
/// [`AXIS_TENTATIVE_OUTLINE`], or an empty diamond) and whether it is struck.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AxisMarker {
    pub color: Rgba,
    pub hollow: bool,
    pub struck: bool,
    /// Postponed: the axis may draw a small clock by the marker ([`clock`]).
    pub clock: bool,
}

pub fn axis_marker(kind: ContactKind, status: Status, theme: &Theme) -> AxisMarker {
    let s = status_look(status);
    AxisMarker {
        color: contact_color(kind, status, theme),
        hollow: s.tentative,
        struck: s.struck,
        clock: s.clock,
    }
}

/// A small clock at `center` (a ring and two hands at ten past two), in `color` over a halo disc: the
/// postponed mark, on the map and in the legend.
pub fn clock(center: Pt, radius: f32, color: Rgba, halo: Rgba) -> Vec<Item> {
    let [x, y] = center;
    let hand = |angle_deg: f32, len: f32| {
        let a = angle_deg.to_radians();
        Item::Polyline {
            points: vec![center, [x + a.cos() * len, y - a.sin() * len]],
            width: 1.3,
            color,
            dash: None,
        }
    };
    vec![
        Item::Circle {
            center,
            radius,
            fill: Some(halo),
            stroke: Some((1.3, color)),
        },
        hand(90.0, radius * 0.75),
        hand(20.0, radius * 0.55),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Named as _;

    #[test]
    fn every_kind_and_status_has_a_look() {
        for theme in [Theme::light(), Theme::dark()] {
            for &kind in ContactKind::ALL {
                let look = kind_look(kind, &theme);
                assert_eq!(look.color.0[3], 255, "{kind:?} is opaque");
                assert_eq!(look.edge.is_some(), look.mark == Mark::Area);
            }
        }
        for &status in Status::ALL {
            let look = status_look(status);
            assert!(!(look.tentative && look.struck), "{status:?}");
            assert_eq!(look.pulses, !look.tentative && !look.struck);
        }
        assert!(status_look(Status::Planned).tentative);
        assert!(status_look(Status::Denied).struck);
        assert!(status_look(Status::Cancelled).struck);
        assert!(status_look(Status::Postponed).clock);
        assert!(status_look(Status::Postponed).tentative);
    }

    /// Planned, held, postponed and cancelled: each pair differs in at least one visible feature.
    #[test]
    fn the_four_statuses_look_different_from_one_another() {
        let theme = Theme::light();
        let looks = [
            Status::Held,
            Status::Planned,
            Status::Postponed,
            Status::Cancelled,
        ]
        .map(|s| {
            let l = status_look(s);
            (
                l.tentative,
                l.struck,
                l.clock,
                contact_color(ContactKind::Meeting, s, &theme),
            )
        });
        for (i, a) in looks.iter().enumerate() {
            for b in &looks[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let held = contact_color(ContactKind::Meeting, Status::Held, &theme);
        let cancelled = contact_color(ContactKind::Meeting, Status::Cancelled, &theme);
        let spread =
            |c: Rgba| c.0[..3].iter().max().unwrap_or(&0) - c.0[..3].iter().min().unwrap_or(&0);
        assert!(
            spread(cancelled) < spread(held) / 2,
            "a cancelled contact is greyed"
        );
    }

    #[test]
    fn kinds_of_different_marks_tell_apart_by_colour() {
        let theme = Theme::light();
        let colors: Vec<Rgba> = [
            ContactKind::Visit,
            ContactKind::Meeting,
            ContactKind::PhoneCall,
            ContactKind::Statement,
            ContactKind::ChannelMessage,
            ContactKind::Mediation,
            ContactKind::MilitaryMove,
        ]
        .iter()
        .map(|&k| kind_color(k, &theme))
        .collect();
        for (i, a) in colors.iter().enumerate() {
            assert!(!colors[i + 1..].contains(a), "{a:?} twice");
        }
    }

    #[test]
    fn the_axis_marker_takes_the_kinds_colour_and_the_statuss_look() {
        let theme = Theme::dark();
        for &kind in ContactKind::ALL {
            for &status in Status::ALL {
                let m = axis_marker(kind, status, &theme);
                assert_eq!(m.color, contact_color(kind, status, &theme));
                assert_eq!(m.hollow, status_look(status).tentative);
                assert_eq!(m.clock, status_look(status).clock);
                assert_eq!(m.struck, status_look(status).struck);
            }
        }
    }
}
