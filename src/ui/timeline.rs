//! The time bar: start/previous/play/next/end, speed, loop, time zone, the time slider, the current time.

use egui::Ui;
use jiff::SignedDuration;
use jiff::tz::TimeZone;

use super::AppCommand;
use crate::playback::{Speed, TimeCommand, TimeControl};

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

/// Draws the time controls; returns nothing, pushes the user's requests into `commands`.
pub fn timeline_ui(
    ui: &mut Ui,
    clock: &TimeControl,
    zone: &TimeZone,
    zone_name: &str,
    zones: &[String],
    commands: &mut Vec<AppCommand>,
) {
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
        if ui.button(play_label).clicked() {
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
        let speed = clock.speed().scenario_secs_per_sec;
        let current = SPEEDS
            .iter()
            .find(|(_, s)| (s - speed).abs() < 1e-6)
            .map_or_else(
                || format!("{:.0} s/s", speed),
                |(label, _)| (*label).to_owned(),
            );
        egui::ComboBox::from_label("Speed")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for (label, secs) in SPEEDS {
                    if ui
                        .selectable_label((secs - speed).abs() < 1e-6, label)
                        .clicked()
                    {
                        commands.push(AppCommand::Time(TimeCommand::SetSpeed(Speed::per_sec(
                            secs,
                        ))));
                    }
                }
            });
        let mut looping = clock.is_looping();
        if ui.checkbox(&mut looping, "Loop").changed() {
            commands.push(AppCommand::Time(TimeCommand::SetLooping(looping)));
        }
        egui::ComboBox::from_label("Time zone")
            .selected_text(zone_name)
            .show_ui(ui, |ui| {
                for name in zones {
                    if ui.selectable_label(name == zone_name, name).clicked() {
                        commands.push(AppCommand::SetDisplayZone(name.clone()));
                    }
                }
            });
    });
    ui.horizontal(|ui| {
        let now = clock.time();
        let label = now
            .to_zoned_datetime(zone.clone())
            .strftime("%a %-d %b %Y %H:%M")
            .to_string();
        ui.label(egui::RichText::new(format!("{label} {zone_name}")).monospace());

        let span_secs = (end.as_second() - start.as_second()).max(1) as f64;
        let mut secs = (now.as_second() - start.as_second()) as f64;
        // Leave room for the slider's "Time" label.
        ui.spacing_mut().slider_width = (ui.available_width() - 56.0).max(100.0);
        let slider = egui::Slider::new(&mut secs, 0.0..=span_secs)
            .show_value(false)
            .text("Time");
        let response = ui.add(slider);
        if response.changed() {
            let t = start
                .checked_add(SignedDuration::from_secs(secs.round() as i64))
                .unwrap_or(end);
            commands.push(AppCommand::Time(TimeCommand::SetTime(t)));
        }
    });
}
