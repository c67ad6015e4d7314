//! Many contacts at once, drawn so that they can be read. When more contacts are on the map than a reader
//! can tell apart ([`LEGIBLE`]), as when a week of an event dataset plays, each contact's own mark gives
//! way to what they add up to:
//! - a **flow** between two places, as wide as the number of contacts between them (a trip from one to
//!   the other; a call, message or mediation between the places the parties are based at);
//! - a **total** at a venue, a disc whose area grows with the number of contacts held there, with the
//!   count written in it when it fits.
//!
//! Zooming in (fewer contacts in the view) or filtering brings back each contact's own mark: the rule
//! counts only the contacts with a place in the view. The legend says when the map is aggregated and how
//! many contacts it stands for, in the window and in every export (one scene feeds all three).

use foldhash::{HashMap, HashMapExt as _};

use crate::model::{Contact, ContactId, ContactKind, Place, Scenario, VenueId};
use crate::scene::look::kind_color;
use crate::scene::places::Places;
use crate::scene::{Anchor, Item, Pick, SceneLayer, Target, Theme};

/// More contacts than this with a place in the view, and the map draws flows and totals instead of each
/// contact's mark. Two or three hundred marks already cover a regional map; past that, single marks hide
/// each other and the picture says less than the sums do.
pub const LEGIBLE: usize = 300;

/// At most this many flows are drawn, the largest (the legend's count still holds the contacts of those
/// left out). More would cover the map without saying more.
pub const MAX_FLOWS: usize = 800;

/// Where a contact lands when contacts are summed: at one venue (a total there), or between two (a flow,
/// its ends in venue order: flows are not directed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ends {
    One(VenueId),
    Two(VenueId, VenueId),
}

impl Ends {
    fn two(a: VenueId, b: VenueId) -> Self {
        if a == b {
            Self::One(a)
        } else {
            Self::Two(a.min(b), a.max(b))
        }
    }
}

/// Where `contact` is summed: at its venue when it has a position; along its trip when both ends have
/// one; otherwise between the first two distinct places its participants are based at (a phone call, a
/// message, a mediation with no venue). `None` when none of these has a position.
pub fn ends(scenario: &Scenario, contact: &Contact) -> Option<Ends> {
    let located = |v: VenueId| scenario.venue(v).location.is_some();
    match contact.place {
        Place::At(v) if located(v) => Some(Ends::One(v)),
        Place::Route { from, to, .. } if located(from) || located(to) => {
            match (located(from), located(to)) {
                (true, true) => Some(Ends::two(from, to)),
                (true, false) => Some(Ends::One(from)),
                _ => Some(Ends::One(to)),
            }
        }
        _ => {
            let mut bases = contact
                .participants
                .iter()
                .filter_map(|p| scenario.actor(p.actor).based_at)
                .filter(|&v| located(v));
            let first = bases.next()?;
            Some(match bases.find(|&v| v != first) {
                Some(second) => Ends::two(first, second),
                None => Ends::One(first),
            })
        }
    }
}

/// How the map shows the contacts going on: each with its mark, or summed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Each contact with its own mark.
    Each,
    /// Flows and totals, standing for this many contacts (those with a place, in the view or not).
    Summed { contacts: usize },
}

/// Whether the contacts `live` are too many to draw one by one in `places`' view: more than [`LEGIBLE`] of
/// them have a place in the view.
pub fn shown(scenario: &Scenario, live: &[ContactId], places: &Places<'_>) -> Shown {
    summarise(scenario, live, places).0
}

/// As [`shown`], with the sums to draw when the contacts are summed.
pub fn summarise(
    scenario: &Scenario,
    live: &[ContactId],
    places: &Places<'_>,
) -> (Shown, Option<Sums>) {
    if live.len() <= LEGIBLE {
        return (Shown::Each, None);
    }
    summed_if_crowded(scenario, sums(scenario, live), places)
}

/// As [`summarise`], with the sums of the contacts shown already made ([`sums_of`]).
pub fn summed_if_crowded(
    scenario: &Scenario,
    sums: Sums,
    places: &Places<'_>,
) -> (Shown, Option<Sums>) {
    let in_view: Vec<bool> = (0..scenario.venues.len())
        .map(|v| {
            places
                .venue(VenueId(v as u32))
                .is_some_and(|p| p.toward.is_none())
        })
        .collect();
    let seen = |v: &VenueId| in_view.get(v.0 as usize).copied().unwrap_or(false);
    let (mut on_map, mut placed) = (0, 0);
    for (e, sum) in sums.flows.iter().chain(&sums.totals) {
        placed += sum.count;
        let visible = match e {
            Ends::One(v) => seen(v),
            Ends::Two(a, b) => seen(a) || seen(b),
        };
        if visible {
            on_map += sum.count;
        }
    }
    if on_map > LEGIBLE {
        (Shown::Summed { contacts: placed }, Some(sums))
    } else {
        (Shown::Each, None)
    }
}

/// What the contacts at one place, or between two, add up to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sum {
    pub count: usize,
    /// How many of each kind, to colour the mark by the kind most of them are.
    kinds: Vec<(ContactKind, usize)>,
}

impl Sum {
    fn add(&mut self, kind: ContactKind) {
        self.count += 1;
        match self.kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.kinds.push((kind, 1)),
        }
    }

    /// The kind most of the contacts are (the first in kind order on a tie, so the colour is stable).
    fn main_kind(&self) -> Option<ContactKind> {
        self.kinds
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|&(k, _)| k)
    }
}

/// The width of a flow standing for `count` contacts: 1.5 points for one, growing with the logarithm, at
/// most 12.
pub fn flow_width(count: usize) -> f32 {
    (1.5 + 1.8 * (count.max(1) as f32).ln()).min(12.0)
}

/// The radius of a total of `count` contacts: its area grows with the count, at most 30 points.
pub fn total_radius(count: usize) -> f32 {
    (3.0 + 1.6 * (count as f32).sqrt()).min(30.0)
}

/// A count as a total writes it: `87`, `1.2k`, `45k`, `1.3M`.
pub fn short_count(n: usize) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..10_000 => format!("{:.1}k", n as f64 / 1_000.0),
        10_000..1_000_000 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1_000_000.0),
    }
}

/// The flows and the totals of some contacts, each list largest first (ties in venue order, so that the
/// picture does not change from frame to frame).
#[derive(Clone, Debug, Default)]
pub struct Sums {
    /// Between two venues: [`Ends::Two`].
    pub flows: Vec<(Ends, Sum)>,
    /// At one venue: [`Ends::One`].
    pub totals: Vec<(Ends, Sum)>,
}

/// Sums the contacts `live` by their [`ends`]; the contacts with none are left out.
pub fn sums(scenario: &Scenario, live: &[ContactId]) -> Sums {
    sums_of(live.iter().map(|&id| {
        let contact = scenario.contact(id);
        (ends(scenario, contact), contact.kind)
    }))
}

/// As [`sums`], from each contact's [`ends`] and kind, read by the caller (a frame reads them in the same
/// pass as the rest of what it needs of each contact).
pub fn sums_of(read: impl IntoIterator<Item = (Option<Ends>, ContactKind)>) -> Sums {
    let mut by_ends: HashMap<Ends, Sum> = HashMap::new();
    for (e, kind) in read {
        if let Some(e) = e {
            by_ends.entry(e).or_default().add(kind);
        }
    }
    sorted(by_ends)
}

/// The sums in the order [`Sums`] keeps them.
fn sorted(by_ends: HashMap<Ends, Sum>) -> Sums {
    let (mut flows, mut totals): (Vec<_>, Vec<_>) = by_ends
        .into_iter()
        .partition(|(e, _)| matches!(e, Ends::Two(..)));
    for list in [&mut flows, &mut totals] {
        list.sort_by(|a: &(Ends, Sum), b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
    }
    Sums { flows, totals }
}

/// The flows and totals of `sums` ([`summarise`]), and the totals' pick targets (a click on a total
/// selects its venue).
pub fn summed(sums: &Sums, places: &Places<'_>, theme: &Theme) -> (SceneLayer, Vec<Target>) {
    let Sums { flows, totals } = sums;
    let mut out = SceneLayer::new("contacts");
    // The largest flows, drawn smallest first so that the large ones lie on top.
    for (ends, sum) in flows.iter().take(MAX_FLOWS).rev() {
        let Ends::Two(a, b) = *ends else { continue };
        let points = places.route(a, b, 1.0);
        if points.len() < 2 {
            continue;
        }
        let color = sum
            .main_kind()
            .map_or(theme.lines, |k| kind_color(k, theme));
        out.items.push(Item::Polyline {
            points,
            width: flow_width(sum.count),
            color: color.with_alpha(150),
            dash: None,
        });
    }
    let mut targets = Vec::new();
    for (ends, sum) in totals.iter().rev() {
        let Ends::One(v) = ends else { continue };
        let Some(at) = places
            .venue(*v)
            .filter(|p| p.toward.is_none())
            .map(|p| p.at)
        else {
            continue;
        };
        let color = sum
            .main_kind()
            .map_or(theme.points, |k| kind_color(k, theme));
        let radius = total_radius(sum.count);
        out.items.push(Item::Circle {
            center: at,
            radius,
            fill: Some(color.with_alpha(90)),
            stroke: Some((1.5, color.with_alpha(220))),
        });
        let text = short_count(sum.count);
        // The venue's own dot sits at the centre: the count goes below it, inside the disc, when the
        // disc is large enough (a digit at 9 points is about 5.5 wide).
        if radius >= 11.0 && radius * 1.6 >= 5.5 * text.len() as f32 + 2.0 {
            out.items.push(Item::Text {
                pos: [at[0], at[1] + radius * 0.55],
                text,
                size: 9.0,
                color: theme.text,
                anchor: Anchor::Center,
            });
        }
        targets.push(Target {
            pick: Pick::Venue(*v),
            center: at,
            radius,
        });
    }
    (out, targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_radii_grow_with_the_count_and_stop() {
        assert!(flow_width(1) < flow_width(2));
        assert!(flow_width(10) < flow_width(100));
        assert!((flow_width(1_000_000) - 12.0).abs() < f32::EPSILON);
        assert!(total_radius(1) < total_radius(4));
        assert!((total_radius(1_000_000) - 30.0).abs() < f32::EPSILON);
    }

    #[test]
    fn counts_are_written_short() {
        assert_eq!(short_count(7), "7");
        assert_eq!(short_count(999), "999");
        assert_eq!(short_count(1_234), "1.2k");
        assert_eq!(short_count(45_678), "45k");
        assert_eq!(short_count(1_250_000), "1.2M");
    }

    #[test]
    fn the_main_kind_is_the_most_common() {
        let mut sum = Sum::default();
        sum.add(ContactKind::PhoneCall);
        sum.add(ContactKind::Meeting);
        sum.add(ContactKind::Meeting);
        assert_eq!(sum.main_kind(), Some(ContactKind::Meeting));
        assert_eq!(sum.count, 3);
    }
}
