//! The knowledge bar, under the time bar: the as-of clock (what had been reported by a moment, or by the
//! clock's time for the replay of knowledge) and "new since" (what was reported after a moment is marked).
//! Both step from report to report: between two reports, what is known does not change.

use egui::Ui;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::AppCommand;
use crate::model::as_of::{AsOf, NewSince};

/// What the knowledge bar shows.
#[derive(Clone, Copy, Debug)]
pub struct KnowledgeInputs<'a> {
    pub as_of: AsOf,
    pub new_since: Option<NewSince>,
    /// When the open file was last opened before, if it was.
    pub last_opened: Option<Timestamp>,
    /// The moments at which what is known changes, in order.
    pub report_times: &'a [Timestamp],
    /// The event clock's time.
    pub clock: Timestamp,
    pub zone: &'a TimeZone,
    /// Contacts known at the as-of moment, of all the story's.
    pub known: usize,
    pub total: usize,
    /// Shown contacts reported after the new-since moment.
    pub new: usize,
}

/// The label of a moment in the display zone, to the minute.
fn moment_label(t: Timestamp, zone: &TimeZone) -> String {
    t.to_zoned_datetime(zone.clone())
        .strftime("%a %-d %b %Y %H:%M")
        .to_string()
}

/// The report just before `t` (`back`) or just after it: the moment to step to, so that one more (or one
/// less) report is known. Before the first report, a second before it (nothing reported yet).
pub fn step_report(reports: &[Timestamp], t: Timestamp, back: bool) -> Option<Timestamp> {
    if back {
        // The last report at or before `t` is known; step to the one before it.
        let known = reports.partition_point(|r| *r <= t);
        match known {
            0 => None,
            1 => reports[0]
                .checked_sub(jiff::SignedDuration::from_secs(1))
                .ok(),
            k => Some(reports[k - 2]),
        }
    } else {
        reports.iter().find(|r| **r > t).copied()
    }
}

/// A moment picked among the reports: previous and next report buttons around its label.
fn report_stepper(
    ui: &mut Ui,
    what: &str,
    t: Timestamp,
    inputs: &KnowledgeInputs<'_>,
    set: impl Fn(Timestamp) -> AppCommand,
    commands: &mut Vec<AppCommand>,
) {
    let back = step_report(inputs.report_times, t, true);
    let next = step_report(inputs.report_times, t, false);
    if ui
        .add_enabled(back.is_some(), egui::Button::new("‹ report"))
        .on_hover_text(format!("{what}: the report before"))
        .clicked()
        && let Some(t) = back
    {
        commands.push(set(t));
    }
    ui.label(egui::RichText::new(moment_label(t, inputs.zone)).monospace());
    if ui
        .add_enabled(next.is_some(), egui::Button::new("report ›"))
        .on_hover_text(format!("{what}: the next report"))
        .clicked()
        && let Some(t) = next
    {
        commands.push(set(t));
    }
    if ui
        .button("Clock")
        .on_hover_text(format!("{what}: the clock's time"))
        .clicked()
    {
        commands.push(set(inputs.clock));
    }
}

/// Draws the knowledge bar; pushes the user's requests into `commands`.
pub fn knowledge_ui(ui: &mut Ui, inputs: &KnowledgeInputs<'_>, commands: &mut Vec<AppCommand>) {
    // Wrapped: on a narrow window "new since" goes to a second line rather than off the edge.
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("As known");
        let shown = match inputs.as_of {
            AsOf::Everything => "everything reported",
            AsOf::At(_) => "on a date",
            AsOf::FollowsClock => "at the clock's time (replay)",
        };
        egui::ComboBox::from_id_salt("as_of")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(inputs.as_of == AsOf::Everything, "everything reported")
                    .on_hover_text("Show everything known today, with hindsight")
                    .clicked()
                {
                    commands.push(AppCommand::SetAsOf(AsOf::Everything));
                }
                if ui
                    .selectable_label(matches!(inputs.as_of, AsOf::At(_)), "on a date")
                    .on_hover_text("Show only what had been reported by a moment")
                    .clicked()
                    && !matches!(inputs.as_of, AsOf::At(_))
                {
                    commands.push(AppCommand::SetAsOf(AsOf::At(inputs.clock)));
                }
                if ui
                    .selectable_label(
                        inputs.as_of == AsOf::FollowsClock,
                        "at the clock's time (replay)",
                    )
                    .on_hover_text(
                        "Replay how the picture changed as reports came in: what is known follows the clock",
                    )
                    .clicked()
                {
                    commands.push(AppCommand::SetAsOf(AsOf::FollowsClock));
                }
            })
            .response
            .labelled_by(label.id);
        if let AsOf::At(t) = inputs.as_of {
            report_stepper(
                ui,
                "As known",
                t,
                inputs,
                |t| AppCommand::SetAsOf(AsOf::At(t)),
                commands,
            );
        }
        if inputs.as_of != AsOf::Everything {
            ui.label(
                egui::RichText::new(format!(
                    "{} of {} contacts reported by then",
                    crate::diagnostics::thousands(inputs.known),
                    crate::diagnostics::thousands(inputs.total)
                ))
                .color(ui.visuals().weak_text_color()),
            );
        }
        ui.separator();
        let label = ui.label("New since");
        let shown = match inputs.new_since {
            None => "off".to_owned(),
            Some(NewSince {
                last_opened: true, ..
            }) => "I last opened this file".to_owned(),
            Some(_) => "a date".to_owned(),
        };
        egui::ComboBox::from_id_salt("new_since")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(inputs.new_since.is_none(), "off")
                    .clicked()
                {
                    commands.push(AppCommand::SetNewSince(None));
                }
                match inputs.last_opened {
                    Some(t) => {
                        if ui
                            .selectable_label(
                                inputs.new_since.is_some_and(|n| n.last_opened),
                                "I last opened this file",
                            )
                            .on_hover_text(format!(
                                "Mark what was reported after {}",
                                moment_label(t, inputs.zone)
                            ))
                            .clicked()
                        {
                            commands.push(AppCommand::SetNewSince(Some(NewSince {
                                since: t,
                                last_opened: true,
                            })));
                        }
                    }
                    None => {
                        ui.add_enabled(false, egui::Button::new("I last opened this file"))
                            .on_disabled_hover_text("This file was not opened before");
                    }
                }
                if ui
                    .selectable_label(
                        inputs.new_since.is_some_and(|n| !n.last_opened),
                        "a date",
                    )
                    .on_hover_text("Mark what was reported after a moment")
                    .clicked()
                    && inputs.new_since.is_none_or(|n| n.last_opened)
                {
                    commands.push(AppCommand::SetNewSince(Some(NewSince {
                        since: inputs.clock,
                        last_opened: false,
                    })));
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(since) = inputs.new_since {
            if since.last_opened {
                ui.label(egui::RichText::new(moment_label(since.since, inputs.zone)).monospace());
            } else {
                report_stepper(
                    ui,
                    "New since",
                    since.since,
                    inputs,
                    |t| {
                        AppCommand::SetNewSince(Some(NewSince {
                            since: t,
                            last_opened: false,
                        }))
                    },
                    commands,
                );
            }
            ui.label(
                egui::RichText::new(format!(
                    "+ {} reported since",
                    crate::diagnostics::plural(inputs.new, "contact", "contacts")
                ))
                .strong(),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::step_report;
    use jiff::Timestamp;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("time")
    }

    #[test]
    fn steps_go_from_report_to_report() {
        let reports = [
            ts("2026-01-30T23:00:00Z"),
            ts("2026-01-31T23:00:00Z"),
            ts("2026-02-01T23:00:00Z"),
        ];
        // Between the first two: forward to the second, back to just before the first.
        let t = ts("2026-01-31T12:00:00Z");
        assert_eq!(step_report(&reports, t, false), Some(reports[1]));
        assert_eq!(
            step_report(&reports, t, true),
            Some(ts("2026-01-30T22:59:59Z"))
        );
        // On a report: back drops it (the one before is the last known).
        assert_eq!(step_report(&reports, reports[2], true), Some(reports[1]));
        assert_eq!(step_report(&reports, reports[2], false), None);
        // Before every report, nothing is before.
        assert_eq!(
            step_report(&reports, ts("2026-01-01T00:00:00Z"), true),
            None
        );
        assert_eq!(step_report(&[], t, false), None);
    }
}
