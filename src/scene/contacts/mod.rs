//! The contacts on the map at a moment, each kind with its own visual grammar:
//! - a visit: a great-circle arc from origin to destination, drawn as far as the trip has gone;
//! - a meeting: a dot and a ring at the venue, pulsing; a phone call: a dashed line between the parties'
//!   places, pulsing at both ends;
//! - a statement, interview or post: a ripple spreading from the speaker's place;
//! - a message through channels or a mediation with no venue: a dotted line between where the parties are
//!   (through the mediators); a mediation held at a venue: a dot in a dotted ring at that venue;
//! - a military move: the area, lightly shaded, with a dashed edge; along a route, a heavy line in long
//!   dashes.
//!
//! Planned contacts are dashed and hollow, postponed ones the same with a clock, denied and cancelled ones
//! greyed and struck with a large X ([`super::look::status_look`]). A contact known only to the day fades
//! in and out over the day; after it ends it fades away over [`TRAIL`]. The selection stands out and the
//! rest dims; contacts running in the background for weeks are drawn quietly ([`emphasis`]).
//!
//! Every contact is drawn at its venue when it has one with a position (a mediation held in Doha is drawn
//! in Doha, with its participants' badges there); the rule, kind by kind, is in
//! [`crate::model::whereabouts`].
//!
//! Colours, dashes and widths come from the table in [`super::look`]; `marks.rs` draws the map's marks
//! ([`contacts`]), `legend.rs` the legend's glyphs ([`legend`]), and this file holds the timing both share
//! (pulses, presence).

pub mod aggregate;
pub mod emphasis;
mod legend;
mod marks;
#[cfg(test)]
mod marks_tests;

use jiff::{SignedDuration, Timestamp};

pub use legend::{legend, legend_summing};
pub use marks::{Moment, contacts};

use crate::model::{Contact, Precision};

/// One beat of the pulses and ripples, in seconds of the viewer's time (not of the scenario's).
pub const PULSE_PERIOD_SECS: f64 = 1.6;

/// Where a pulse is in its beat (0 to 1) after `seconds` of playing.
pub fn pulse_phase(seconds: f64) -> f32 {
    (seconds / PULSE_PERIOD_SECS).rem_euclid(1.0) as f32
}

/// How long a contact stays on the map, fading, after it ends, unless the user sets another trail.
pub const TRAIL: SignedDuration = SignedDuration::from_hours(12);
pub use crate::model::LINGER;

/// A kind's colour, from the table (kept here for the tests and callers that read it as a contact's).
pub use super::look::kind_color;

/// How visible a contact is at `t`, from 0 (not shown) to 1: `None` when it is not shown at all. A contact
/// known only to a day or a range fades in and out over it; after it ends it fades away over `trail`.
pub fn presence(contact: &Contact, t: Timestamp, trail: SignedDuration) -> Option<f32> {
    let time = &contact.time;
    if time.is_current(t, LINGER) {
        let alpha = match time.precision() {
            // Known to the day or a range: fade in and out rather than pretend to an hour.
            Precision::Day | Precision::PartOfDay | Precision::Range => {
                let progress = match (time.start, time.end) {
                    (Some(s), Some(e)) if e > s => ((t.as_second() - s.as_second()) as f32
                        / (e.as_second() - s.as_second()) as f32)
                        .clamp(0.0, 1.0),
                    _ => 1.0,
                };
                0.45 + 0.55 * (std::f32::consts::PI * progress).sin()
            }
            Precision::Window => 0.7,
            Precision::Ongoing | Precision::Instant => 1.0,
        };
        return Some(alpha);
    }
    let end = time.end?;
    let since = t.as_second() - end.as_second();
    let trail = trail.as_secs();
    (since >= 0 && since < trail).then(|| 0.5 * (1.0 - since as f32 / trail as f32))
}
