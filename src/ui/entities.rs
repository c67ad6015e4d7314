//! Actors and venues: what a tooltip on the map and the details panel say about them.

use egui::{RichText, Ui};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::script_text::{script_label, tell_as_written};
use super::{AppCommand, short_time, shown};
use crate::model::contact_index::ContactIndex;
use crate::model::whereabouts::{Whereabouts, whereabouts, whereabouts_among};
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

/// At most this many of an actor's contacts are listed in the details panel; the list (filtered by the
/// actor) holds them all.
pub const CONTACTS_LISTED: usize = 100;

/// The story as the panels read it: the contacts listed (`order`, in time order, perhaps filtered) and,
/// when there is one, the index that finds those going on at a moment without reading every contact (a
/// large story has a million).
#[derive(Clone, Copy, Debug)]
pub struct Listed<'a> {
    pub scenario: &'a Scenario,
    pub order: &'a [ContactId],
    pub index: Option<&'a ContactIndex>,
    /// Changes whenever `order` does: what is worked out from it is kept between frames while it stays
    /// (`None`: nothing is kept).
    pub version: Option<u64>,
}

impl<'a> Listed<'a> {
    /// The story with no index: every contact is read.
    pub fn unindexed(scenario: &'a Scenario, order: &'a [ContactId]) -> Self {
        Self {
            scenario,
            order,
            index: None,
            version: None,
        }
    }

    fn index(&self) -> Option<&'a ContactIndex> {
        self.index.filter(|i| i.fits(self.scenario))
    }

    /// Where every actor is at `t`.
    fn whereabouts(&self, t: Timestamp) -> Vec<Option<Whereabouts>> {
        match self.index() {
            Some(index) => whereabouts_among(self.scenario, t, index.around(t, LINGER)),
            None => whereabouts(self.scenario, t),
        }
    }

    /// The contacts of `order` going on at `t` that `keep` keeps, in `order`'s order.
    fn going_on(
        &self,
        t: Timestamp,
        keep: impl Fn(&crate::model::Contact) -> bool,
    ) -> Vec<ContactId> {
        let scenario = self.scenario;
        let current = |id: ContactId| {
            let c = scenario.contact(id);
            c.time.is_current(t, LINGER) && keep(c)
        };
        match self.index() {
            Some(index) => {
                let mut ids: Vec<_> = index
                    .around(t, LINGER)
                    .into_iter()
                    .filter(|&id| current(id))
                    .filter_map(|id| scenario.position_in(self.order, id).map(|at| (at, id)))
                    .collect();
                ids.sort_unstable();
                ids.into_iter().map(|(_, id)| id).collect()
            }
            None => self
                .order
                .iter()
                .copied()
                .filter(|&id| current(id))
                .collect(),
        }
    }
}

/// The actors at a venue at `t` (not those on their way to it).
pub fn actors_at(listed: &Listed<'_>, venue: VenueId, t: Timestamp) -> Vec<ActorId> {
    listed
        .whereabouts(t)
        .into_iter()
        .enumerate()
        .filter(|(_, w)| *w == Some(Whereabouts::At(venue)))
        .map(|(i, _)| ActorId(i as u32))
        .collect()
}

/// The contacts listed going on at `t` that take place at `venue`, in the list's order.
pub fn contacts_at(listed: &Listed<'_>, venue: VenueId, t: Timestamp) -> Vec<ContactId> {
    listed.going_on(t, |c| match c.place {
        crate::model::Place::None => false,
        crate::model::Place::At(v) => v == venue,
        crate::model::Place::Route { from, to, .. } => from == venue || to == venue,
    })
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

/// [`contacts_of`], kept in egui's memory while the list and the actor stay (with a version to tell).
fn kept_contacts_of(ui: &Ui, listed: &Listed<'_>, actor: ActorId) -> std::sync::Arc<[ContactId]> {
    let compute = || -> std::sync::Arc<[ContactId]> {
        contacts_of(listed.scenario, listed.order, actor).into()
    };
    let Some(version) = listed.version else {
        return compute();
    };
    let id = ui
        .scope_id()
        .with(("demarche_contacts_of", actor.0, version));
    if let Some(kept) = ui.data(|d| d.get_temp::<std::sync::Arc<[ContactId]>>(id)) {
        return kept;
    }
    let theirs = compute();
    ui.data_mut(|d| d.insert_temp(id, std::sync::Arc::clone(&theirs)));
    theirs
}

/// What a venue is, its local time, who is there and what happens there now. With `commands`, the
/// contacts are links that select them.
pub fn venue_ui(
    ui: &mut Ui,
    listed: &Listed<'_>,
    venue: VenueId,
    t: Timestamp,
    commands: Option<&mut Vec<AppCommand>>,
) {
    let scenario = listed.scenario;
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
    let here = actors_at(listed, venue, t);
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
    let going_on = contacts_at(listed, venue, t);
    if !going_on.is_empty() {
        ui.label(RichText::new("Going on here").strong());
        contact_links(
            ui,
            scenario,
            &going_on[..going_on.len().min(CONTACTS_LISTED)],
            commands,
        );
        if going_on.len() > CONTACTS_LISTED {
            ui.weak(format!(
                "and {} more",
                crate::diagnostics::thousands(going_on.len() - CONTACTS_LISTED)
            ));
        }
    }
}

/// Who an actor is, where they are now and, in the details panel, the contacts they take part in.
pub fn actor_ui(
    ui: &mut Ui,
    listed: &Listed<'_>,
    actor: ActorId,
    t: Timestamp,
    zone: &TimeZone,
    commands: Option<&mut Vec<AppCommand>>,
) {
    let scenario = listed.scenario;
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
    let now = match listed
        .whereabouts(t)
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
        let theirs = kept_contacts_of(ui, listed, actor);
        ui.add_space(6.0);
        ui.label(
            RichText::new(format!(
                "Contacts ({})",
                crate::diagnostics::thousands(theirs.len())
            ))
            .strong(),
        );
        let more = theirs.len().saturating_sub(CONTACTS_LISTED);
        // Said above the links, where it is seen without scrolling past a hundred of them.
        if more > 0 {
            ui.horizontal_wrapped(|ui| {
                ui.weak(format!(
                    "The first {CONTACTS_LISTED}; {} more in the list:",
                    crate::diagnostics::thousands(more)
                ));
                if ui
                    .button("Show them all in the list")
                    .on_hover_text("Filter the list by this actor")
                    .clicked()
                {
                    commands.push(AppCommand::FilterByActor(a.id.clone()));
                }
            });
        }
        contact_links(
            ui,
            scenario,
            &theirs[..theirs.len().min(CONTACTS_LISTED)],
            Some(commands),
        );
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
    listed: &Listed<'_>,
    pick: Pick,
    t: Timestamp,
    zone: &TimeZone,
) {
    ui.set_max_width(320.0);
    let scenario = listed.scenario;
    match pick {
        Pick::Venue(v) => venue_ui(ui, listed, v, t, None),
        Pick::Actor(a) => actor_ui(ui, listed, a, t, zone, None),
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

    /// The panels find who is at a venue and what goes on there through the story's index when it has
    /// one (a large story has a million contacts to read otherwise): the answers must be those of reading
    /// every contact, for the whole list and a filtered one, at every contact's start and end.
    #[test]
    fn the_index_finds_what_reading_every_contact_finds() {
        let mut stories = vec![crate::io::scenario::default_scenario().scenario];
        for example in crate::io::scenario::examples::EXAMPLES {
            stories.push(example.load().expect("an example").0.scenario);
        }
        let (mut compared, mut found) = (0, 0);
        for scenario in &stories {
            let index = ContactIndex::new(scenario);
            let order = scenario.chronological();
            let filtered: Vec<ContactId> = order.iter().copied().step_by(2).collect();
            let mut times: Vec<Timestamp> = scenario
                .contacts
                .iter()
                .flat_map(|c| [c.time.start, c.time.end])
                .flatten()
                .collect();
            times.extend(
                times
                    .clone()
                    .iter()
                    .map(|t| *t + jiff::SignedDuration::from_mins(30)),
            );
            for order in [&order[..], &filtered[..]] {
                let plain = Listed::unindexed(scenario, order);
                let indexed = Listed {
                    index: Some(&index),
                    ..plain
                };
                for &t in &times {
                    for v in 0..scenario.venues.len() {
                        let v = VenueId(v as u32);
                        let going_on = contacts_at(&plain, v, t);
                        found += usize::from(!going_on.is_empty());
                        assert_eq!(contacts_at(&indexed, v, t), going_on);
                        assert_eq!(actors_at(&indexed, v, t), actors_at(&plain, v, t));
                        compared += 1;
                    }
                }
            }
        }
        assert!(
            compared > 1_000 && found > 50,
            "{compared} compared, {found} found"
        );
    }
}
