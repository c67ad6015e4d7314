//! The time bar: start/previous/play/next/end, speed, loop, time zone, the time slider, the current time.
//! Each picker's label reads before it ("Speed 4 h/s", "Time zone UTC") and names it for screen readers.

use egui::Ui;
use jiff::SignedDuration;
use jiff::tz::TimeZone;

use super::AppCommand;
use super::time_axis::{AxisInputs, AxisView, time_axis_ui};
use crate::model::time::zone_names;
use crate::model::{ContactId, Scenario};
use crate::playback::{Speed, TimeCommand, TimeControl};
use crate::scene::Theme;

/// The speeds offered, from a minute to a day of scenario time per second.
pub const SPEEDS: [(&str, f64); 7] = [
    ("1 min/s", 60.0),
    ("10 min/s", 600.0),
    ("1 h/s", 3600.0),
    ("4 h/s", 4.0 * 3600.0),
    ("12 h/s", 12.0 * 3600.0),
    ("1 day/s", 86_400.0),
    ("2 days/s", 2.0 * 86_400.0),
];

/// What the time bar shows.
#[derive(Clone, Copy, Debug)]
pub struct TimelineInputs<'a> {
    pub clock: &'a TimeControl,
    pub zone: &'a TimeZone,
    pub zone_name: &'a str,
    /// Zones offered first in the picker (UTC and the scenario's); any IANA zone can be typed.
    pub zones: &'a [String],
    pub scenario: &'a Scenario,
    /// The contacts shown (those passing the filter), in time order.
    pub contacts: &'a [ContactId],
    /// Changes whenever `contacts` changes (see [`AxisInputs::contacts_version`]).
    pub contacts_version: u64,
    pub selected: Option<ContactId>,
    pub theme: &'a Theme,
    /// The reports of contacts reported after this moment stand out on the axis.
    pub new_since: Option<jiff::Timestamp>,
}

/// Reads a typed speed: scenario time per second of playback, e.g. `90m`, `4h`, `1 day`, `2h 30m/s`.
pub fn parse_speed(text: &str) -> Result<f64, String> {
    let trimmed = text
        .trim()
        .trim_end_matches("per second")
        .trim_end_matches("/s")
        .trim();
    let span: jiff::Span = trimmed.parse().map_err(|_| {
        format!(
            "`{}` is not a duration: type e.g. 30m, 4h, 1d or 2h 30m",
            text.trim()
        )
    })?;
    let secs = span
        .total((
            jiff::Unit::Second,
            jiff::SpanRelativeTo::days_are_24_hours(),
        ))
        .map_err(|e| e.to_string())?;
    if !(60.0..=7.0 * 86_400.0).contains(&secs) {
        return Err("the speed must be between a minute and a week per second".to_owned());
    }
    Ok(secs)
}

/// `4 h/s`, `90 min/s`, `1 day/s`: a speed as the picker shows it.
pub fn speed_label(secs_per_sec: f64) -> String {
    SPEEDS
        .iter()
        .find(|(_, s)| (s - secs_per_sec).abs() < 1e-6)
        .map_or_else(
            || {
                let d = SignedDuration::from_secs(secs_per_sec.round() as i64);
                format!("{d:#}/s")
            },
            |(label, _)| (*label).to_owned(),
        )
}

/// Draws the time controls and the time axis; pushes the user's requests into `commands`.
pub fn timeline_ui(
    ui: &mut Ui,
    inputs: &TimelineInputs<'_>,
    view: AxisView,
    commands: &mut Vec<AppCommand>,
) {
    let clock = inputs.clock;
    let (start, end) = clock.range();
    ui.horizontal(|ui| {
        if ui
            .button("Start")
            .on_hover_text("Go to the start (Home)")
            .clicked()
        {
            commands.push(AppCommand::Time(TimeCommand::SetTime(start)));
        }
        if ui
            .button("Previous")
            .on_hover_text("Previous contact (Left)")
            .clicked()
        {
            commands.push(AppCommand::StepContact(-1));
        }
        let play_label = if clock.is_playing() { "Pause" } else { "Play" };
        if ui.button(play_label).on_hover_text("Space").clicked() {
            commands.push(AppCommand::Time(TimeCommand::TogglePlay));
        }
        if ui
            .button("Next")
            .on_hover_text("Next contact (Right)")
            .clicked()
        {
            commands.push(AppCommand::StepContact(1));
        }
        if ui
            .button("End")
            .on_hover_text("Go to the end (End)")
            .clicked()
        {
            commands.push(AppCommand::Time(TimeCommand::SetTime(end)));
        }
        speed_ui(ui, clock.speed().scenario_secs_per_sec, commands);
        let mut looping = clock.is_looping();
        if ui.checkbox(&mut looping, "Loop").changed() {
            commands.push(AppCommand::Time(TimeCommand::SetLooping(looping)));
        }
        zone_ui(ui, inputs.zone_name, inputs.zones, commands);
        let now = clock.time();
        let label = now
            .to_zoned_datetime(inputs.zone.clone())
            .strftime("%a %-d %b %Y %H:%M")
            .to_string();
        ui.label(
            egui::RichText::new(format!("{label} {}", inputs.zone_name))
                .monospace()
                .strong(),
        );
        if ui
            .button("Whole story")
            .on_hover_text("Show the whole scenario on the time axis (or double-click it)")
            .clicked()
        {
            commands.push(AppCommand::SetAxisView(AxisView::fit(start, end)));
        }
    });
    time_axis_ui(
        ui,
        view,
        &AxisInputs {
            scenario: inputs.scenario,
            contacts: inputs.contacts,
            range: (start, end),
            now: clock.time(),
            zone: inputs.zone,
            selected: inputs.selected,
            theme: inputs.theme,
            contacts_version: inputs.contacts_version,
            new_since: inputs.new_since,
        },
        commands,
    );
}

/// The speed picker, with a box to type any speed.
fn speed_ui(ui: &mut Ui, speed: f64, commands: &mut Vec<AppCommand>) {
    let id = ui.make_persistent_id("typed_speed");
    let label = ui.label("Speed");
    egui::ComboBox::from_id_salt("speed")
        .selected_text(speed_label(speed))
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            for (label, secs) in SPEEDS {
                if ui
                    .selectable_label((secs - speed).abs() < 1e-6, label)
                    .clicked()
                {
                    commands.push(AppCommand::Time(TimeCommand::SetSpeed(Speed::per_sec(
                        secs,
                    ))));
                    ui.close();
                }
            }
            ui.separator();
            let mut text: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
            let response = ui
                .horizontal(|ui| {
                    let label = ui.label("Type a speed");
                    ui.add(
                        egui::TextEdit::singleline(&mut text)
                            .hint_text("90m, 3h, 2d")
                            .desired_width(90.0),
                    )
                    .labelled_by(label.id)
                })
                .inner;
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if !text.trim().is_empty() {
                match parse_speed(&text) {
                    Ok(secs) => {
                        ui.weak(format!(
                            "{} of story per second",
                            speed_label(secs).trim_end_matches("/s")
                        ));
                        if entered {
                            commands.push(AppCommand::Time(TimeCommand::SetSpeed(Speed::per_sec(
                                secs,
                            ))));
                            ui.close();
                        }
                    }
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                }
            }
            ui.data_mut(|d| d.insert_temp(id, text));
        })
        .response
        .labelled_by(label.id);
}

/// The zone picker: a box to find any IANA zone, then UTC and the scenario's zones (or what the box found).
fn zone_ui(ui: &mut Ui, zone_name: &str, zones: &[String], commands: &mut Vec<AppCommand>) {
    let id = ui.make_persistent_id("zone_search");
    let label = ui.label("Time zone");
    egui::ComboBox::from_id_salt("time_zone")
        .selected_text(zone_name)
        .height(320.0)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            let mut text: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
            let entered = ui
                .horizontal(|ui| {
                    let label = ui.label("Find a zone");
                    let response = ui
                        .add(
                            egui::TextEdit::singleline(&mut text)
                                .hint_text("New_York, Tokyo")
                                .desired_width(120.0),
                        )
                        .labelled_by(label.id);
                    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
                })
                .inner;
            ui.separator();
            let needle = text.trim().to_lowercase().replace(' ', "_");
            let names: Vec<String> = if needle.is_empty() {
                zones.to_vec()
            } else {
                zone_names()
                    .into_iter()
                    .filter(|n| n.to_lowercase().contains(&needle))
                    .take(12)
                    .collect()
            };
            if names.is_empty() {
                ui.weak("No zone of that name");
            }
            for (i, name) in names.into_iter().enumerate() {
                let picked_by_enter = entered && i == 0;
                if ui.selectable_label(name == zone_name, &name).clicked() || picked_by_enter {
                    commands.push(AppCommand::SetDisplayZone(name));
                    text.clear();
                    ui.close();
                }
            }
            ui.data_mut(|d| d.insert_temp(id, text));
        })
        .response
        .labelled_by(label.id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_speeds_read_as_story_time_per_second() {
        assert_eq!(parse_speed("90m"), Ok(5400.0));
        assert_eq!(parse_speed("4h/s"), Ok(14_400.0));
        assert_eq!(parse_speed(" 1 day "), Ok(86_400.0));
        assert_eq!(parse_speed("2h 30m per second"), Ok(9000.0));
        assert!(parse_speed("fast").unwrap_err().contains("not a duration"));
        assert!(
            parse_speed("10s")
                .unwrap_err()
                .contains("between a minute and a week")
        );
    }

    #[test]
    fn speeds_are_labelled_as_picked_or_as_typed() {
        assert_eq!(speed_label(14_400.0), "4 h/s");
        assert_eq!(speed_label(5400.0), "1h 30m/s");
    }
}
