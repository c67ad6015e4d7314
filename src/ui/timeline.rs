//! The time bar: play/pause, the time slider, the current time with its zone.

use egui::Ui;
use jiff::SignedDuration;
use jiff::tz::TimeZone;

use super::AppCommand;
use crate::playback::{TimeCommand, TimeControl};

/// Draws the time controls; returns nothing, pushes the user's requests into `commands`.
pub fn timeline_ui(
    ui: &mut Ui,
    clock: &TimeControl,
    zone: &TimeZone,
    zone_name: &str,
    commands: &mut Vec<AppCommand>,
) {
    let (start, end) = clock.range();
    ui.horizontal(|ui| {
        let play_label = if clock.is_playing() { "Pause" } else { "Play" };
        if ui.button(play_label).clicked() {
            commands.push(AppCommand::Time(TimeCommand::TogglePlay));
        }
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
