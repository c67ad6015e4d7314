//! The panels of the window, laid out each frame: they read the state and push commands.

use egui::{RichText, Ui};

use super::{DemarcheApp, FrameLayout, ProblemSource, Problems};
use crate::model::ContactId;
use crate::model::Named as _;
use crate::scene::Pick;
use crate::scene::style::ThemeKind;
use crate::ui::script_text::script_label;
use crate::ui::{self, AppCommand};

impl DemarcheApp {
    /// Draws the whole window and applies what the user did.
    pub fn ui_all(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        self.housekeeping(ui.ctx());
        self.keyboard(ui.ctx(), &mut commands);
        self.files_ui(ui.ctx());
        if self.fonts_checked_for.as_ref() != Some(&self.document.stamp) {
            ui::script_fonts::fonts_for_scenario(ui.ctx(), &self.document.loaded.scenario);
            self.fonts_checked_for = Some(self.document.stamp.clone());
        }
        ui::script_fonts::poll_search(ui.ctx(), &self.document.loaded.scenario);

        let top_bar = self.top_bar_ui(ui, &mut commands);
        let timeline = self.timeline_panel_ui(ui, &mut commands);
        if let Some(problems) = &self.problems {
            egui::Panel::top("problems").show(ui, |ui| {
                problems_ui(ui, problems, self.failed_watch.is_some(), &mut commands);
            });
        }
        ui::script_fonts::missing_fonts_ui(ui);
        let contacts = self.contacts_panel_ui(ui, &mut commands);
        self.last_layout = FrameLayout {
            top_bar,
            timeline,
            contacts_panel: contacts.response.rect,
            contact_rows: contacts.inner,
            map: egui::Rect::NOTHING,
        };
        self.details_panel_ui(ui, &mut commands);
        // Meetings and calls pulse while the clock plays, in the viewer's time; paused, they rest (and no
        // frame is drawn).
        let pulse = self
            .clock
            .is_playing()
            .then(|| crate::scene::contacts::pulse_phase(ui.input(|i| i.time)));
        let map = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                if self.map_layers.is_preloading() {
                    // The preload wakes the app when it is done; this is in case it ended unseen.
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(50));
                }
                let (basemap, loading) = self.map_layers.for_frame();
                let shown = self.knowledge.shown(&self.document);
                let frame = ui::map_view::MapFrame {
                    scenario: &shown.loaded.scenario,
                    order: &self.visible,
                    index: Some(&shown.index),
                    time: self.clock.time(),
                    zone: &self.display_zone,
                    settings: &self.map_settings,
                    projection: self.map_settings.projection_in(self.document.band),
                    basemap,
                    pulse,
                    loading,
                    selection: self.selection,
                    new_since: self.knowledge.new_since().map(|n| n.since),
                };
                self.map.ui(ui, frame, &mut commands)
            })
            .inner;
        self.last_layout.map = map.rect;
        let ctx = ui.ctx().clone();
        if let Some(command) = self.open_dialog.poll() {
            commands.push(command);
        }
        self.open_dialog.ui(&ctx, &mut commands);
        if let Some(path) = self.export.poll_browse() {
            commands.push(AppCommand::ExportTo(path));
        }
        match self.export.ui(&ctx, [map.rect.width(), map.rect.height()]) {
            Some(ui::export_dialog::ExportAsk::Export) => {
                commands.push(AppCommand::ExportToTypedPath);
            }
            Some(ui::export_dialog::ExportAsk::Browse) => commands.push(AppCommand::PickExportPath),
            None => {}
        }
        self.map.end_frame(&ctx);
        if !commands.is_empty() {
            // The state changed after this frame was drawn: draw the next one.
            ctx.request_repaint();
        }
        self.apply(commands);
    }

    /// The menu bar, the title and the map's and the theme's controls.
    fn top_bar_ui(&self, ui: &mut Ui, commands: &mut Vec<AppCommand>) -> egui::Rect {
        egui::Panel::top("top_bar")
            .show(ui, |ui| {
                egui::MenuBar::new().ui(ui, |ui| {
                    ui.menu_button("File", |ui| {
                        if ui.button("Open scenario… (Ctrl+O)").clicked() {
                            commands.push(AppCommand::PickScenario);
                        }
                        if ui.button("Add map layer (GeoJSON, TopoJSON)…").clicked() {
                            commands.push(AppCommand::PickMapLayer);
                        }
                        if ui.button("Replace basemap…").clicked() {
                            commands.push(AppCommand::PickBasemapReplacement);
                        }
                        if ui.button("Import events (GDELT, ACLED, ICEWS)…").clicked() {
                            commands.push(AppCommand::PickImport);
                        }
                        if ui.button("Save (Ctrl+S)").clicked() {
                            commands.push(AppCommand::Save);
                        }
                        if ui.button("Save As…").clicked() {
                            commands.push(AppCommand::PickSaveAs);
                        }
                        if ui.button("Export… (Ctrl+E)").clicked() {
                            commands.push(AppCommand::OpenExport);
                        }
                        ui.menu_button("Examples", |ui| {
                            for example in crate::io::scenario::examples::EXAMPLES {
                                if ui.button(example.name).clicked() {
                                    commands.push(AppCommand::OpenExample(example.file_name));
                                }
                            }
                        });
                        ui.menu_button("Open recent", |ui| {
                            if self.recent.is_empty() {
                                ui.weak("No scenario opened yet");
                            }
                            for path in &self.recent {
                                if ui.button(path.display().to_string()).clicked() {
                                    commands.push(AppCommand::OpenScenario(path.clone()));
                                }
                            }
                        });
                        ui.separator();
                        if ui.button("Quit").clicked() {
                            commands.push(AppCommand::Quit);
                        }
                    });
                    ui.menu_button("Help", |ui| {
                        ui.label(format!("demarche {}", env!("CARGO_PKG_VERSION")));
                        ui.label(crate::scene::map::CREDIT);
                        ui.label("Map data: Natural Earth (public domain), via world-atlas 2.0.2.");
                        ui.label("Places of imported venues named only: GeoNames (geonames.org), CC-BY 4.0.");
                        ui.label("Keys: Space play/pause, +/- zoom, F fit, Ctrl+O open, Ctrl+E export, Left/Right previous/next contact, Home/End, Esc clear selection.");
                    });
                });
                ui.horizontal(|ui| {
                    if let Some(path) = self.loading() {
                        // Reading a file (the read wakes the window when it ends).
                        ui::background_spinner(ui);
                        let name = path.file_name().map_or_else(
                            || path.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                        ui.label(format!("Reading {name}…"));
                        ui.separator();
                    }
                    if let Some(path) = self.saving() {
                        ui::background_spinner(ui);
                        let name = path.file_name().map_or_else(
                            || path.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                        ui.label(format!("Saving {name}…"));
                        ui.separator();
                    }
                    if let Some(paths) = self.importing() {
                        ui::background_spinner(ui);
                        ui.label(format!(
                            "Importing {}…",
                            crate::diagnostics::plural(paths.len(), "file", "files")
                        ));
                        ui.separator();
                    }
                    script_label(ui, RichText::new(&self.shown().loaded.scenario.meta.title).heading());
                    if self.document.unsaved {
                        ui.label(RichText::new("(unsaved)").color(ui.visuals().warn_fg_color))
                            .on_hover_text("Changed here since it was read: File > Save keeps the changes");
                    }
                    ui.label(
                        egui::RichText::new(format!(
                            "{} contacts · {} actors · {} venues",
                            self.shown().loaded.scenario.contacts.len(),
                            self.shown().loaded.scenario.actors.len(),
                            self.shown().loaded.scenario.venues.len()
                        ))
                        .color(ui.visuals().weak_text_color()),
                    );
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui::map_view::MapView::controls_ui(
                            &self.map_settings,
                            ui,
                            &mut *commands,
                        );
                        let (label, other) = match self.map_settings.theme {
                            ThemeKind::Light => ("Dark theme", ThemeKind::Dark),
                            ThemeKind::Dark => ("Light theme", ThemeKind::Light),
                        };
                        if ui.button(label).clicked() {
                            commands.push(AppCommand::SetTheme(other));
                        }
                    });
                });
            })
            .response
            .rect
    }

    /// The time bar and the time axis, at the bottom.
    fn timeline_panel_ui(&self, ui: &mut Ui, commands: &mut Vec<AppCommand>) -> egui::Rect {
        egui::Panel::bottom("timeline")
            .show(ui, |ui| {
                ui.add_space(4.0);
                let zones = self.display_zones();
                let theme = crate::scene::Theme::of(self.map_settings.theme);
                ui::timeline_ui(
                    ui,
                    &ui::TimelineInputs {
                        clock: &self.clock,
                        zone: &self.display_zone,
                        zone_name: &self.display_zone_name,
                        zones: &zones,
                        scenario: &self.shown().loaded.scenario,
                        contacts: &self.visible,
                        contacts_version: self.visible_version,
                        selected: self.selected_contact(),
                        theme: &theme,
                        new_since: self.knowledge.new_since().map(|n| n.since),
                    },
                    self.axis,
                    &mut *commands,
                );
                if !self.knowledge.report_times().is_empty() {
                    ui::knowledge::knowledge_ui(
                        ui,
                        &ui::knowledge::KnowledgeInputs {
                            as_of: self.knowledge.as_of(),
                            new_since: self.knowledge.new_since(),
                            last_opened: self.knowledge.last_opened(),
                            report_times: self.knowledge.report_times(),
                            clock: self.clock.time(),
                            zone: &self.display_zone,
                            known: self.shown().loaded.scenario.contacts.len(),
                            total: self.document.loaded.scenario.contacts.len(),
                            new: self.knowledge.new_count(),
                        },
                        &mut *commands,
                    );
                }
                ui.horizontal(|ui| {
                    ui.label(
                        egui::RichText::new(
                            "Data: scenario from public reporting; see each contact's sources.",
                        )
                        .small()
                        .color(ui.visuals().weak_text_color()),
                    );
                });
                ui.add_space(2.0);
            })
            .response
            .rect
    }

    /// The filters and the list of contacts, on the left.
    fn contacts_panel_ui(
        &self,
        ui: &mut Ui,
        commands: &mut Vec<AppCommand>,
    ) -> egui::InnerResponse<Vec<ui::ContactRow>> {
        let window = ui.ctx().content_rect().width();
        egui::Panel::left("contacts")
            .default_size((window * 0.24).clamp(260.0, 420.0))
            .size_range(200.0..=(window * 0.45).max(260.0))
            .show(ui, |ui| {
                within_panel(ui, egui::TextWrapMode::Truncate, |ui| {
                    ui.add_space(4.0);
                    ui.label(egui::RichText::new("Contacts in time order").strong());
                    ui::filter_ui(
                        ui,
                        &self.shown().loaded.scenario,
                        Some(&self.shown().index),
                        self.filter_typed(),
                        self.filter_counts(),
                        &mut *commands,
                    );
                    ui.separator();
                    ui::contact_list_ui(
                        ui,
                        &ui::ContactList {
                            scenario: &self.shown().loaded.scenario,
                            order: &self.visible,
                            now: self.clock.time(),
                            selected: self.selected_contact(),
                            zone: &self.display_zone,
                            follow: self.clock.is_playing(),
                            index: Some(&self.shown().index),
                            new_since: self.knowledge.new_since().map(|n| n.since),
                        },
                        commands,
                    )
                })
            })
    }

    /// The details of what is selected (or of what goes on now), on the right.
    fn details_panel_ui(&self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let window = ui.ctx().content_rect().width();
        egui::Panel::right("details")
            .default_size((window * 0.21).clamp(240.0, 360.0))
            .size_range(200.0..=(window * 0.45).max(240.0))
            .show(ui, |ui| {
                within_panel(ui, egui::TextWrapMode::Wrap, |ui| {
                    egui::ScrollArea::vertical()
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            let scenario = &self.shown().loaded.scenario;
                            let listed = ui::entities::Listed {
                                scenario,
                                order: &self.visible,
                                index: Some(&self.shown().index),
                                version: Some(self.visible_version),
                            };
                            match self.selection {
                                Some(Pick::Contact(id)) => {
                                    ui::contact_details_ui(
                                        ui,
                                        scenario,
                                        id,
                                        &self.display_zone,
                                        &self.display_zone_name,
                                    );
                                    ui::review::provenance_ui(ui, scenario, id, commands);
                                }
                                Some(Pick::Actor(id)) => ui::entities::actor_ui(
                                    ui,
                                    &listed,
                                    id,
                                    self.clock.time(),
                                    &self.display_zone,
                                    Some(&mut *commands),
                                ),
                                Some(Pick::Venue(id)) => ui::entities::venue_ui(
                                    ui,
                                    &listed,
                                    id,
                                    self.clock.time(),
                                    Some(&mut *commands),
                                ),
                                None => now_ui(ui, self, commands),
                            }
                        });
                });
            });
    }
}

/// Lays out a side panel's contents in exactly the width the user gave the panel: text wraps (or is
/// truncated, with `wrap`), and whatever cannot shrink is clipped rather than widening the panel, so that
/// selecting something never resizes the panel or moves the map under the pointer.
fn within_panel<R>(
    ui: &mut Ui,
    wrap: egui::TextWrapMode,
    add_contents: impl FnOnce(&mut Ui) -> R,
) -> R {
    let rect = ui.available_rect_before_wrap();
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    child.style_mut().wrap_mode = Some(wrap);
    child.shrink_clip_rect(rect);
    let inner = add_contents(&mut child);
    ui.advance_cursor_after_rect(rect);
    inner
}

/// At most this many contacts are listed as going on now (a large story has thousands at once).
const NOW_SHOWN: usize = 60;

/// What is going on at the current time, when no contact is selected.
fn now_ui(ui: &mut Ui, app: &DemarcheApp, commands: &mut Vec<AppCommand>) {
    let scenario = &app.shown().loaded.scenario;
    ui.heading("Now");
    let now = app.clock.time();
    // Those of the list going on now, in its order (time order, as the list's), found among the contacts
    // around the time.
    let mut active: Vec<ContactId> = app
        .shown()
        .index
        .current(scenario, now)
        .into_iter()
        .filter(|id| app.visible_set.get(id.0 as usize) == Some(&true))
        .collect();
    active.sort_by_cached_key(|&id| scenario.time_key(id));
    if active.is_empty() {
        ui.label("Nothing reported at this time. Play or scrub the timeline, or pick a contact.");
    }
    let more = active.len().saturating_sub(NOW_SHOWN);
    for id in active.into_iter().take(NOW_SHOWN) {
        let c = scenario.contact(id);
        let written = format!("{} ({}, {})", c.title, c.kind.label(), c.status.label());
        let link = ui.link(crate::render::bidi::display_order(&written).into_owned());
        ui::script_text::tell_as_written(ui, &link, &written);
        if link.clicked() {
            commands.push(AppCommand::Select(id));
        }
    }
    if more > 0 {
        ui.label(
            egui::RichText::new(format!(
                "and {} more going on: filter the list or pick a time to see them",
                crate::diagnostics::thousands(more)
            ))
            .color(ui.visuals().weak_text_color()),
        );
    }
    if !scenario.meta.description.is_empty() {
        ui.add_space(8.0);
        script_label(
            ui,
            egui::RichText::new(&scenario.meta.description).color(ui.visuals().weak_text_color()),
        );
    }
}

/// What the problems panel says of a file's problems: which file, what it was for, what was kept.
pub fn problems_title(problems: &Problems) -> String {
    let report = &problems.report;
    let errors = crate::diagnostics::plural(report.error_count(), "error", "errors");
    if report.has_errors() {
        match &problems.source {
            ProblemSource::Scenario(_) => format!(
                "The scenario {} could not be opened: {errors}. The previous scenario is kept.",
                report.file
            ),
            ProblemSource::Reload(_) => format!(
                "The scenario {} changed on disk and now has {errors}. What was read before is kept.",
                report.file
            ),
            ProblemSource::MapFile { replace: false, .. } => format!(
                "The map file {} could not be added: {errors}. The map is unchanged.",
                report.file
            ),
            ProblemSource::MapFile { replace: true, .. } => format!(
                "The map file {} could not replace the basemap: {errors}. The map is unchanged.",
                report.file
            ),
            ProblemSource::Import { .. } => format!(
                "The import of {} failed: {errors}. The scenario on screen is unchanged.",
                report.file
            ),
            ProblemSource::Save(_) => format!(
                "The scenario could not be saved to {}: nothing was written, the changes are kept here.",
                report.file
            ),
        }
    } else if let ProblemSource::Import { .. } = &problems.source {
        format!(
            "Imported {}: {}",
            report.file,
            crate::diagnostics::plural(report.warning_count(), "problem", "problems")
        )
    } else {
        format!(
            "{}: {}",
            report.file,
            crate::diagnostics::plural(report.warning_count(), "warning", "warnings")
        )
    }
}

/// The problems of a file that did not open (or opened with warnings), with Retry (after fixing the
/// file; a scenario that failed to open is also opened again by itself once it changes on disk) and
/// Dismiss.
fn problems_ui(ui: &mut Ui, problems: &Problems, watched: bool, commands: &mut Vec<AppCommand>) {
    let report = &problems.report;
    ui.horizontal(|ui| {
        ui.label(
            egui::RichText::new(problems_title(problems))
                .color(ui.visuals().error_fg_color)
                .strong(),
        );
        if report.has_errors()
            && ui
                .button("Retry")
                .on_hover_text("Read the file again, after fixing it")
                .clicked()
        {
            commands.push(AppCommand::RetryProblemFile);
        }
        if ui.button("Dismiss").clicked() {
            commands.push(AppCommand::DismissProblems);
        }
    });
    if watched {
        ui.weak("Watching the file: it opens by itself once it is fixed and saved.");
    }
    if let ProblemSource::Import { summary, .. } = &problems.source {
        for line in summary {
            ui.label(line);
        }
    }
    egui::ScrollArea::vertical()
        .max_height(140.0)
        .show(ui, |ui| {
            for line in report.to_lines() {
                ui.label(egui::RichText::new(line).monospace());
            }
        });
}
