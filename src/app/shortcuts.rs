//! Keyboard shortcuts (as commands) and files dropped on the window.

use std::path::PathBuf;

use super::DemarcheApp;
use crate::playback::TimeCommand;
use crate::ui::AppCommand;

impl DemarcheApp {
    /// Starts the map loads asked for on the command line, takes files dropped on the window (map files
    /// become layers, other files are opened as scenarios), and collects the map's problems.
    pub(super) fn files_ui(&mut self, ctx: &egui::Context) {
        for path in std::mem::take(&mut self.pending_basemaps) {
            self.map_layers.open(path, false, ctx);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        // Map files are all added; of scenario files, one can be open at a time: the first is.
        let mut scenarios = Vec::new();
        for path in dropped {
            if crate::io::map_file::looks_like_map_file(&path) {
                self.map_layers.open(path, false, ctx);
            } else {
                scenarios.push(path);
            }
        }
        let mut scenarios = scenarios.into_iter();
        if let Some(first) = scenarios.next() {
            for other in scenarios {
                log::warn!(
                    "one scenario is open at a time: opening {}, not {}",
                    first.display(),
                    other.display()
                );
            }
            self.open_scenario(first);
        }
        if let Some((report, path, replace)) = self.map_layers.poll() {
            self.problems = Some(super::Problems {
                report,
                source: super::ProblemSource::MapFile { path, replace },
            });
        }
    }

    pub(super) fn keyboard(&self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        ctx.input(|i| {
            if i.key_pressed(egui::Key::Space) {
                commands.push(AppCommand::Time(TimeCommand::TogglePlay));
            }
            if i.key_pressed(egui::Key::Escape) {
                commands.push(AppCommand::ClearSelection);
            }
            if i.modifiers.command && i.key_pressed(egui::Key::O) {
                commands.push(AppCommand::PickScenario);
            }
            if i.modifiers.command && i.key_pressed(egui::Key::S) {
                commands.push(AppCommand::Save);
            }
            if i.modifiers.command && i.key_pressed(egui::Key::E) {
                commands.push(AppCommand::OpenExport);
            }
            if i.key_pressed(egui::Key::ArrowRight) {
                commands.push(AppCommand::StepContact(1));
            }
            if i.key_pressed(egui::Key::ArrowLeft) {
                commands.push(AppCommand::StepContact(-1));
            }
            let (start, end) = self.clock.range();
            if i.key_pressed(egui::Key::Home) {
                commands.push(AppCommand::Time(TimeCommand::SetTime(start)));
            }
            if i.key_pressed(egui::Key::End) {
                commands.push(AppCommand::Time(TimeCommand::SetTime(end)));
            }
        });
    }
}
