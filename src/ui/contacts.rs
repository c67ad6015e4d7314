//! The contacts in time order, and the details of the selected one.

use egui::{Color32, RichText, Ui};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::script_text::{script_label, tell_as_written};
use super::{AppCommand, short_time, shown};
use crate::model::{
    Contact, ContactId, Moment, Named as _, Place, Scenario, Status, When, evidence,
};

/// How long an exact-time contact (a post, a statement at 21:30) stays current after it happened.
pub use crate::scene::contacts::LINGER;

/// Where a contact's row was drawn, and whether it was highlighted as going on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContactRow {
    pub id: ContactId,
    pub rect: egui::Rect,
    pub active: bool,
}

/// Above this many contacts, the list shows one line per contact and lays out only the rows in view.
const LONG_LIST: usize = 300;

/// What the list of contacts shows.
#[derive(Clone, Copy, Debug)]
pub struct ContactList<'a> {
    pub scenario: &'a Scenario,
    /// The contacts shown, in time order.
    pub order: &'a [ContactId],
    pub now: Timestamp,
    pub selected: Option<ContactId>,
    pub zone: &'a TimeZone,
    /// Keep the first contact going on in view (while playing).
    pub follow: bool,
    /// The scenario's contacts by time, so that following reads only the contacts around `now`; `None`
    /// reads the list from its start.
    pub index: Option<&'a crate::model::contact_index::ContactIndex>,
    /// What was reported after this moment is marked new ("+" at the start of its row, "(new)" at its end).
    pub new_since: Option<Timestamp>,
}

/// The list of contacts in time order; those going on at `now` are highlighted. With `follow` (while
/// playing) the list scrolls to keep the first contact going on in view. Returns the rows drawn.
pub fn contact_list_ui(
    ui: &mut Ui,
    list: &ContactList<'_>,
    commands: &mut Vec<AppCommand>,
) -> Vec<ContactRow> {
    let (scenario, order, now) = (list.scenario, list.order, list.now);
    // The contact to keep in view: the first going on that has a known start (those going on since an
    // unknown date stay at the top of the list and are always current).
    let going_on = |id: ContactId| {
        let c = scenario.contact(id);
        c.time.start.is_some() && c.time.is_current(now, LINGER)
    };
    let focus = list
        .follow
        .then(|| match list.index.filter(|i| i.fits(scenario)) {
            // The earliest in time order of those going on that the list holds: found among them by
            // their time (the list is in time order), then looked up in the list, earliest first, until
            // one is there (usually the first: a search in the list reads a contact per step, too many
            // for each of the thousands going on in a large story).
            Some(index) => {
                let mut going: Vec<_> = index
                    .current(scenario, now)
                    .into_iter()
                    .filter(|&id| going_on(id))
                    .map(|id| scenario.time_key(id))
                    .collect();
                going.sort_unstable();
                going
                    .into_iter()
                    .find_map(|(.., id)| scenario.position_in(order, id))
            }
            None => order.iter().position(|&id| going_on(id)),
        })
        .flatten();
    let mut rows = Vec::new();
    let mut row_ui = |ui: &mut Ui, index: usize, wrap: bool| {
        let row = contact_row_ui(ui, list, order[index], wrap, commands);
        if focus == Some(index) && wrap {
            ui.scroll_to_rect(row.rect, None);
        }
        rows.push(row);
    };
    if order.len() <= LONG_LIST {
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                for index in 0..order.len() {
                    row_ui(ui, index, true);
                }
            });
    } else {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let mut area = egui::ScrollArea::vertical().auto_shrink(false);
        if let Some(index) = focus {
            let spacing = ui.spacing().item_spacing.y;
            area = area.vertical_scroll_offset(index as f32 * (row_height + spacing));
        }
        area.show_rows(ui, row_height, order.len(), |ui, range| {
            for index in range {
                row_ui(ui, index, false);
            }
        });
    }
    rows
}

/// One row of the list: when, what, and its status; a click selects the contact.
fn contact_row_ui(
    ui: &mut Ui,
    list: &ContactList<'_>,
    id: ContactId,
    wrap: bool,
    commands: &mut Vec<AppCommand>,
) -> ContactRow {
    let contact = list.scenario.contact(id);
    let active = contact.time.is_current(list.now, LINGER);
    let is_selected = list.selected == Some(id);
    let when = when_label(contact, list.zone);
    // A machine-coded contact says so: "?" before a candidate, its review after the status.
    let origin = crate::model::Origin::of(contact);
    let written = match origin {
        crate::model::Origin::Own => {
            format!("{when}  {}  ({})", contact.title, contact.status.label())
        }
        crate::model::Origin::Candidate => format!(
            "{when}  ? {}  ({}, candidate)",
            contact.title,
            contact.status.label()
        ),
        _ => format!(
            "{when}  {}  ({}, {})",
            contact.title,
            contact.status.label(),
            origin.label()
        ),
    };
    let reported_since = list
        .new_since
        .is_some_and(|since| crate::model::as_of::reported_since(list.scenario, contact, since));
    // Reported after the new-since moment: a "+" tag ahead of the row; "(new)" last, for a screen reader.
    let written = if reported_since {
        format!("{written}  (new)")
    } else {
        written
    };
    let mut rich = RichText::new(shown(&written));
    if active {
        rich = rich.strong().color(ui.visuals().strong_text_color());
    } else {
        rich = rich.color(ui.visuals().weak_text_color());
    }
    if matches!(contact.status, Status::Denied | Status::Cancelled)
        || origin == crate::model::Origin::Rejected
    {
        rich = rich.strikethrough();
    }
    if origin == crate::model::Origin::Candidate {
        rich = rich.italics();
    }
    let row = egui::Frame::new()
        .fill(if active {
            ui.visuals().selection.bg_fill.gamma_multiply(0.35)
        } else {
            Color32::TRANSPARENT
        })
        .inner_margin(egui::Margin::symmetric(4, 2))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            if !wrap {
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            }
            // The grade of its best source, as the map's line weight shows it
            // ([`crate::scene::look::GradeLook`]), and "!" when its accounts differ, as the map's badge:
            // small tags ahead of the row, never cut off.
            let grade = evidence::shown_grade(contact, &list.scenario.sources);
            let dispute = contact.dispute();
            if grade.is_none() && !dispute.any() && !reported_since {
                return ui.selectable_label(is_selected, rich);
            }
            ui.horizontal_top(|ui| {
                if reported_since {
                    tag_ui(ui, "+").on_hover_text("Reported since the new-since moment");
                }
                if let Some(grade) = grade {
                    tag_ui(ui, &grade.to_string())
                        .on_hover_text(format!("Best source graded {grade}: {}", grade.meaning()));
                }
                if dispute.any() {
                    tag_ui(ui, "!").on_hover_text(format!(
                        "Disputed: the accounts differ on {}",
                        dispute.label()
                    ));
                }
                ui.selectable_label(is_selected, rich)
            })
            .inner
        });
    let rect = row.response.rect;
    let response = row.inner;
    tell_as_written(ui, &response, &written);
    if response.clicked() {
        commands.push(AppCommand::Select(id));
    }
    response.on_hover_ui(|ui| {
        script_label(ui, contact.summary.as_str());
    });
    ContactRow { id, rect, active }
}

/// A small framed tag ahead of a row: new ("+"), a grade ("B2"), a dispute ("!").
fn tag_ui(ui: &mut Ui, text: &str) -> egui::Response {
    let text = RichText::new(text)
        .small()
        .monospace()
        .color(ui.visuals().strong_text_color());
    egui::Frame::new()
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(3)
        .inner_margin(egui::Margin::symmetric(3, 0))
        .show(ui, |ui| ui.label(text))
        .inner
}

/// When a contact happens, as the source put it and as short as its precision allows: an exact time in the
/// display zone, a day or part of a day as the source's own day ("Sat 31 Jan"), a range, a window.
fn when_label(contact: &Contact, zone: &TimeZone) -> String {
    let day = |d: jiff::civil::Date| d.strftime("%a %-d %b").to_string();
    let moment = |m: Moment| match m {
        Moment::Day(d) => day(d),
        Moment::At(t) => short_time(t, zone),
    };
    match contact.time.when {
        When::At(t) => short_time(t, zone),
        When::Day(d) => day(d),
        When::PartOfDay(d, part) => format!("{} {}", day(d), part.name()),
        When::Between { from, to } => format!("{} to {}", moment(from), moment(to)),
        When::Window { earliest, latest } => {
            format!("{} to {} (window)", moment(earliest), moment(latest))
        }
        When::Ongoing {
            since: Some(since), ..
        } => format!("since {}", moment(since)),
        When::Ongoing { since: None, .. } => "ongoing".to_owned(),
    }
}

/// Everything known about one contact: who, where, when (with its precision), what was said, who says so.
pub fn contact_details_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    id: ContactId,
    display_zone: &TimeZone,
    display_zone_name: &str,
) {
    let c = scenario.contact(id);
    script_label(ui, RichText::new(&c.title).heading());
    ui.label(
        RichText::new(format!("{} · {}", c.kind.label(), c.status.label()))
            .color(ui.visuals().weak_text_color()),
    );
    let dispute = c.dispute();
    if dispute.any() {
        ui.label(
            RichText::new(format!("Disputed: {}", dispute.label()))
                .color(ui.visuals().warn_fg_color),
        );
    }
    ui.add_space(4.0);
    egui::Grid::new("contact_details")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.add(egui::Label::new("When").extend());
            ui.vertical(|ui| {
                when_ui(ui, c, display_zone, display_zone_name);
                if let Some(relative) = c.relative() {
                    let anchor = &scenario.contact(relative.anchor).title;
                    script_label(
                        ui,
                        RichText::new(evidence::describe(relative, anchor))
                            .color(ui.visuals().weak_text_color()),
                    );
                }
                if let Some(reported) = c.evidence.as_ref().and_then(|e| e.reported) {
                    let source = scenario.source(reported.source);
                    script_label(
                        ui,
                        RichText::new(evidence::describe_report(&reported, source, &c.time.zone))
                            .color(ui.visuals().weak_text_color()),
                    );
                }
            });
            ui.end_row();

            ui.add(egui::Label::new("Where").extend());
            script_label(ui, RichText::new(place_label(scenario, c.place)));
            ui.end_row();

            ui.add(egui::Label::new("Who").extend());
            ui.vertical(|ui| participants_ui(ui, scenario, c));
            ui.end_row();

            if let Some(confidence) = c.confidence {
                ui.add(egui::Label::new("Confidence").extend());
                ui.label(confidence.label());
                ui.end_row();
            }
        });
    if !c.summary.is_empty() {
        ui.add_space(6.0);
        script_label(ui, RichText::new(&c.summary));
    }
    for q in &c.quotes {
        ui.add_space(4.0);
        script_label(ui, RichText::new(format!("“{}”", q.text)).italics());
        script_label(
            ui,
            RichText::new(format!("— {}", scenario.actor(q.speaker).name))
                .color(ui.visuals().weak_text_color()),
        );
    }
    sources_ui(ui, scenario, c);
    accounts_ui(ui, scenario, c, display_zone);
    if !c.notes.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new("Analyst's notes").strong());
        script_label(ui, RichText::new(&c.notes));
    }
}

/// Every account of a contact side by side, one column each: what it asserts, when and where, its best
/// grade and first report, its sources. The one the contact is shown by is marked.
fn accounts_ui(ui: &mut Ui, scenario: &Scenario, c: &Contact, display_zone: &TimeZone) {
    let Some(e) = c.evidence.as_deref().filter(|e| !e.accounts.is_empty()) else {
        return;
    };
    ui.add_space(6.0);
    ui.label(RichText::new("Accounts").strong());
    let own = e.accounts.iter().find(|a| a.own);
    let own_time = own.and_then(|a| a.time.as_ref()).unwrap_or(&c.time);
    let own_place = own.and_then(|a| a.place).unwrap_or(c.place);
    let zone = &scenario.meta.time_zone;
    egui::ScrollArea::horizontal()
        .id_salt("accounts")
        .show(ui, |ui| {
            egui::Grid::new("contact_accounts")
                .num_columns(e.accounts.len() + 1)
                .spacing([14.0, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    let row = |ui: &mut Ui, name: &str, cells: &mut dyn FnMut(&mut Ui, usize)| {
                        ui.label(RichText::new(name).color(ui.visuals().weak_text_color()));
                        for i in 0..e.accounts.len() {
                            ui.vertical(|ui| {
                                ui.set_max_width(180.0);
                                cells(ui, i);
                            });
                        }
                        ui.end_row();
                    };
                    row(ui, "", &mut |ui, i| {
                        let a = &e.accounts[i];
                        let name = if a.own { "Contact's own" } else { "Account" };
                        let text = format!("{name} {}", i + 1);
                        if i == e.leading {
                            ui.label(RichText::new(format!("{text} (shown)")).strong());
                        } else {
                            ui.label(text);
                        }
                    });
                    row(ui, "Asserts", &mut |ui, i| {
                        ui.label(e.accounts[i].asserts.label());
                    });
                    row(ui, "When", &mut |ui, i| {
                        let time = e.accounts[i].time.as_ref().unwrap_or(own_time);
                        ui.label(time.to_string());
                    });
                    row(ui, "Where", &mut |ui, i| {
                        let place = e.accounts[i].place.unwrap_or(own_place);
                        script_label(ui, RichText::new(place_label(scenario, place)));
                    });
                    row(ui, "Grade", &mut |ui, i| {
                        let grade = evidence::best_grade(&e.accounts[i].sources, &scenario.sources);
                        ui.label(grade.map_or_else(
                            || "not graded".to_owned(),
                            |g| format!("{g}: {}", g.meaning()),
                        ));
                    });
                    row(ui, "First report", &mut |ui, i| {
                        let first = evidence::first_reported(
                            &e.accounts[i].sources,
                            &scenario.sources,
                            zone,
                        );
                        ui.label(first.map_or_else(
                            || "not dated".to_owned(),
                            |t| short_time(t, display_zone),
                        ));
                    });
                    row(ui, "Sources", &mut |ui, i| {
                        for cite in &e.accounts[i].sources {
                            let outlet = &scenario.source(cite.source).outlet;
                            let says = if cite.says.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", cite.says)
                            };
                            script_label(ui, RichText::new(format!("{outlet}{says}")));
                        }
                        if !e.accounts[i].note.is_empty() {
                            script_label(
                                ui,
                                RichText::new(&e.accounts[i].note)
                                    .small()
                                    .color(ui.visuals().weak_text_color()),
                            );
                        }
                    });
                });
        });
}

/// When a contact happened: as reported, its precision, and its bounds in the display zone.
fn when_ui(ui: &mut Ui, c: &Contact, display_zone: &TimeZone, display_zone_name: &str) {
    ui.vertical(|ui| {
        ui.label(c.time.to_string());
        ui.label(
            RichText::new(format!("precision: {}", c.time.precision().label()))
                .color(ui.visuals().weak_text_color()),
        );
        let bounds = match (c.time.start, c.time.end) {
            (Some(s), Some(e)) if s == e => short_time(s, display_zone),
            (Some(s), Some(e)) => format!(
                "{} to {}",
                short_time(s, display_zone),
                short_time(e, display_zone)
            ),
            (Some(s), None) => format!("since {}", short_time(s, display_zone)),
            (None, _) => "since an unknown date".to_owned(),
        };
        ui.label(
            RichText::new(format!("{bounds} ({display_zone_name})"))
                .color(ui.visuals().weak_text_color()),
        );
    });
}

/// Who took part, with their affiliation and role, and in what part.
fn participants_ui(ui: &mut Ui, scenario: &Scenario, c: &Contact) {
    for p in &c.participants {
        let a = scenario.actor(p.actor);
        let role = if a.role.is_empty() {
            String::new()
        } else {
            format!(", {}", a.role)
        };
        let affiliation = if a.affiliation.is_empty() {
            "affiliation not reported"
        } else {
            &a.affiliation
        };
        script_label(
            ui,
            RichText::new(format!(
                "{} ({affiliation}{role}) as {}",
                a.name,
                p.part.label()
            )),
        );
    }
}

/// The sources a contact is reported by, with who they attribute it to and what they say.
fn sources_ui(ui: &mut Ui, scenario: &Scenario, c: &Contact) {
    if !c.sources.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new("Sources").strong());
        for cite in &c.sources {
            let s = scenario.source(cite.source);
            let published = s
                .published
                .map(|d| format!(", published {d}"))
                .unwrap_or_default();
            let published = match s.grade {
                Some(g) => format!("{published}, graded {g} ({})", g.meaning()),
                None => published,
            };
            script_label(ui, RichText::new(format!("{}{published}", s.outlet)));
            if !s.title.is_empty() {
                script_label(ui, RichText::new(&s.title).italics());
            }
            if let Some(url) = &s.url {
                ui.hyperlink(url);
            }
            if !s.note.is_empty() {
                script_label(
                    ui,
                    RichText::new(&s.note)
                        .small()
                        .color(ui.visuals().weak_text_color()),
                );
            }
            if !cite.attribution.is_empty() {
                script_label(
                    ui,
                    RichText::new(format!("attributed to: {}", cite.attribution))
                        .color(ui.visuals().weak_text_color()),
                );
            }
            if !cite.says.is_empty() {
                script_label(
                    ui,
                    RichText::new(&cite.says).color(ui.visuals().weak_text_color()),
                );
            }
        }
    }
}

fn place_label(scenario: &Scenario, place: Place) -> String {
    let venue = |v| {
        let v = scenario.venue(v);
        format!("{} ({}, {})", v.name, v.kind.label(), v.time_zone_name)
    };
    match place {
        Place::None => "no venue: the parties where they are".to_owned(),
        Place::At(v) => venue(v),
        Place::Route {
            from,
            to,
            from_reported: true,
        } => format!("from {} to {}", venue(from), venue(to)),
        Place::Route {
            from,
            to,
            from_reported: false,
        } => {
            format!(
                "to {} (origin not reported; drawn from {})",
                venue(to),
                venue(from)
            )
        }
    }
}
