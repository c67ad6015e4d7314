//! Actors and venues: what a tooltip on the map and the details panel say about them.

use egui::{RichText, Ui};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::script_text::{script_label, tell_as_written};
use super::{AppCommand, short_time, shown};
use crate::model::whereabouts::{Whereabouts, whereabouts};
use crate::model::{ActorId, ContactId, LINGER, Named as _, Scenario, VenueId};
use crate::scene::Pick;

/// `Sat 31 Jan 15:30 (Asia/Tehran, UTC+03:30)`: the time at a venue.
pub fn local_time(t: Timestamp, zone: &TimeZone, zone_name: &str) -> String {
    let zoned = t.to_zoned_datetime(zone.clone());
    let offset = zoned.offset();
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    format!(
        "{} ({zone_name}, UTC{sign}{h:02}:{m:02})",
        zoned.strftime("%a %-d %b %H:%M")
    )
}

/// The actors at a venue at `t` (not those on their way to it).
pub fn actors_at(scenario: &Scenario, venue: VenueId, t: Timestamp) -> Vec<ActorId> {
    whereabouts(scenario, t)
        .into_iter()
        .enumerate()
        .filter(|(_, w)| *w == Some(Whereabouts::At(venue)))
        .map(|(i, _)| ActorId(i as u32))
        .collect()
}

/// The contacts of `order` going on at `t` that take place at `venue`.
pub fn contacts_at(
    scenario: &Scenario,
    order: &[ContactId],
    venue: VenueId,
    t: Timestamp,
) -> Vec<ContactId> {
    order
        .iter()
        .copied()
        .filter(|&id| {
            let c = scenario.contact(id);
            c.time.is_current(t, LINGER) && c.venues().contains(&venue)
        })
        .collect()
}

/// The contacts of `order` an actor takes part in.
pub fn contacts_of(scenario: &Scenario, order: &[ContactId], actor: ActorId) -> Vec<ContactId> {
    order
        .iter()
        .copied()
        .filter(|&id| {
            scenario
                .contact(id)
                .participants
                .iter()
                .any(|p| p.actor == actor)
        })
        .collect()
}

/// What a venue is, its local time, who is there and what happens there now. With `commands`, the
/// contacts are links that select them.
pub fn venue_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    order: &[ContactId],
    venue: VenueId,
    t: Timestamp,
    commands: Option<&mut Vec<AppCommand>>,
) {
    let v = scenario.venue(venue);
    script_label(ui, RichText::new(&v.name).strong());
    let country = if v.country.is_empty() {
        String::new()
    } else {
        format!(", {}", v.country)
    };
    ui.label(format!("{}{country}", v.kind.label()));
    ui.label(format!(
        "Local time: {}",
        local_time(t, &v.time_zone, &v.time_zone_name)
    ));
    let here = actors_at(scenario, venue, t);
    if here.is_empty() {
        ui.weak("Nobody in the scenario is here now.");
    } else {
        ui.label(RichText::new("Here now").strong());
        for a in here {
            let actor = scenario.actor(a);
            let role = if actor.role.is_empty() {
                String::new()
            } else {
                format!(" ({})", actor.role)
            };
            script_label(ui, RichText::new(format!("{}{role}", actor.name)));
        }
    }
    let going_on = contacts_at(scenario, order, venue, t);
    if !going_on.is_empty() {
        ui.label(RichText::new("Going on here").strong());
        contact_links(ui, scenario, &going_on, commands);
    }
}

/// Who an actor is, where they are now and, in the details panel, the contacts they take part in.
pub fn actor_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    order: &[ContactId],
    actor: ActorId,
    t: Timestamp,
    zone: &TimeZone,
    commands: Option<&mut Vec<AppCommand>>,
) {
    let a = scenario.actor(actor);
    script_label(ui, RichText::new(&a.name).strong());
    if !a.role.is_empty() {
        script_label(ui, RichText::new(&a.role));
    }
    let affiliation = if a.affiliation.is_empty() {
        "affiliation not reported".to_owned()
    } else {
        format!("affiliation: {}", a.affiliation)
    };
    ui.label(format!("{} · {affiliation}", a.kind.label()));
    if let Some(base) = a.based_at {
        script_label(
            ui,
            RichText::new(format!("based in {}", scenario.venue(base).name)),
        );
    }
    let now = match whereabouts(scenario, t)
        .get(actor.0 as usize)
        .copied()
        .flatten()
    {
        Some(Whereabouts::At(v)) => format!("Now in {}", scenario.venue(v).name),
        Some(Whereabouts::Travelling { from, to, .. }) => format!(
            "Now on the way from {} to {}",
            scenario.venue(from).name,
            scenario.venue(to).name
        ),
        None => "Where now: not reported".to_owned(),
    };
    ui.label(format!("{now} ({})", short_time(t, zone)));
    if let Some(commands) = commands {
        let theirs = contacts_of(scenario, order, actor);
        ui.add_space(6.0);
        ui.label(RichText::new(format!("Contacts ({})", theirs.len())).strong());
        contact_links(ui, scenario, &theirs, Some(commands));
    }
}

fn contact_links(
    ui: &mut Ui,
    scenario: &Scenario,
    ids: &[ContactId],
    mut commands: Option<&mut Vec<AppCommand>>,
) {
    for &id in ids {
        let c = scenario.contact(id);
        let written = format!("{} ({}, {})", c.title, c.kind.label(), c.status.label());
        match commands.as_deref_mut() {
            Some(commands) => {
                let link = ui.link(shown(&written).into_owned());
                tell_as_written(ui, &link, &written);
                if link.clicked() {
                    commands.push(AppCommand::Select(id));
                }
            }
            None => {
                script_label(ui, written);
            }
        }
    }
}

/// A tooltip for what is under the pointer on the map.
pub fn pick_tooltip_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    order: &[ContactId],
    pick: Pick,
    t: Timestamp,
    zone: &TimeZone,
) {
    ui.set_max_width(320.0);
    match pick {
        Pick::Venue(v) => venue_ui(ui, scenario, order, v, t, None),
        Pick::Actor(a) => actor_ui(ui, scenario, order, a, t, zone, None),
        Pick::Contact(c) => {
            let c = scenario.contact(c);
            script_label(ui, RichText::new(&c.title).strong());
            ui.label(format!("{}, {}", c.kind.label(), c.status.label()));
            ui.label(c.time.to_string());
            ui.weak("Click to select");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_gives_the_zone_and_its_offset() {
        let t: Timestamp = "2026-01-31T12:00:00Z".parse().expect("timestamp");
        let tehran = crate::model::time::zone_by_name("Asia/Tehran").expect("zone");
        assert_eq!(
            local_time(t, &tehran, "Asia/Tehran"),
            "Sat 31 Jan 15:30 (Asia/Tehran, UTC+03:30)"
        );
        let ny = crate::model::time::zone_by_name("America/New_York").expect("zone");
        assert_eq!(
            local_time(t, &ny, "America/New_York"),
            "Sat 31 Jan 07:00 (America/New_York, UTC-05:00)"
        );
    }
}
