//! The eframe application: holds the loaded scenario and the clock, draws the panels, applies the
//! commands they return after the frame.

use std::path::PathBuf;

use egui::Ui;
use jiff::tz::TimeZone;

use crate::diagnostics::Report;
use crate::io::scenario::{self, Loaded};
use crate::model::{ContactId, Named as _};
use crate::playback::{TimeCommand, TimeControl};
use crate::ui::{self, AppCommand};

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// A scenario file to open instead of the embedded default.
    pub scenario: Option<PathBuf>,
    /// Map files (GeoJSON, TopoJSON) to add over the embedded basemap.
    pub basemaps: Vec<PathBuf>,
    /// Map files larger than this many bytes are refused before they are read (default 512 MiB).
    pub max_map_bytes: Option<u64>,
}

/// The scenario on screen, with what is derived from it once.
#[derive(Clone, Debug)]
pub struct Document {
    pub loaded: Loaded,
    /// Where it was read from; `None` for the embedded default.
    pub path: Option<PathBuf>,
    /// Contacts in time order.
    pub order: Vec<ContactId>,
}

impl Document {
    pub fn new(loaded: Loaded, path: Option<PathBuf>) -> Self {
        let order = loaded.scenario.chronological();
        Self {
            loaded,
            path,
            order,
        }
    }

    fn clock_range(&self) -> (jiff::Timestamp, jiff::Timestamp) {
        self.loaded
            .scenario
            .time_extent()
            .unwrap_or((jiff::Timestamp::UNIX_EPOCH, jiff::Timestamp::UNIX_EPOCH))
    }
}

/// Where the last frame drew its parts, in points: for tests that check pixels of a real window.
#[derive(Clone, Debug)]
pub struct FrameLayout {
    pub top_bar: egui::Rect,
    pub timeline: egui::Rect,
    pub contacts_panel: egui::Rect,
    pub contact_rows: Vec<ui::ContactRow>,
    pub map: egui::Rect,
}

impl Default for FrameLayout {
    fn default() -> Self {
        Self {
            top_bar: egui::Rect::NOTHING,
            timeline: egui::Rect::NOTHING,
            contacts_panel: egui::Rect::NOTHING,
            contact_rows: Vec::new(),
            map: egui::Rect::NOTHING,
        }
    }
}

#[derive(Debug)]
pub struct DemarcheApp {
    pub document: Document,
    pub clock: TimeControl,
    pub selected: Option<ContactId>,
    /// Problems of the last file that failed to open, shown until dismissed; the document is kept.
    pub problems: Option<Report>,
    pub display_zone_name: String,
    pub display_zone: TimeZone,
    pub last_layout: FrameLayout,
    pub map: ui::map_view::MapView,
    /// Map files to start loading on the first frame (loading needs the egui context to wake the app).
    pending_basemaps: Vec<PathBuf>,
}

impl DemarcheApp {
    /// Starts on `options.scenario`, or on the embedded default when there is none or it does not load.
    pub fn new(options: &AppOptions) -> Self {
        let mut app = Self::with_document(Document::new(scenario::default_scenario(), None));
        if let Some(path) = &options.scenario {
            app.open_scenario(path.clone());
        }
        app.pending_basemaps = options.basemaps.clone();
        app.map.max_map_bytes = options.max_map_bytes;
        app
    }

    pub fn with_document(document: Document) -> Self {
        let clock = TimeControl::new(document.clock_range());
        Self {
            document,
            clock,
            selected: None,
            problems: None,
            display_zone_name: "UTC".to_owned(),
            display_zone: TimeZone::UTC,
            last_layout: FrameLayout::default(),
            map: ui::map_view::MapView::default(),
            pending_basemaps: Vec::new(),
        }
    }

    /// Opens a scenario file; when it is broken, keeps the current one and shows the problems.
    pub fn open_scenario(&mut self, path: PathBuf) {
        match scenario::load(&path) {
            Ok(loaded) => {
                if loaded.report.diagnostics.is_empty() {
                    self.problems = None;
                } else {
                    self.problems = Some(loaded.report.clone());
                }
                self.document = Document::new(loaded, Some(path));
                self.map.request_fit();
                self.clock.set_range(self.document.clock_range());
                self.selected = None;
            }
            Err(report) => {
                log::warn!(
                    "{} has {} errors; keeping the current scenario",
                    path.display(),
                    report.error_count()
                );
                self.problems = Some(report);
            }
        }
    }

    /// Moves the clock exactly to the start of the next (`direction` > 0) or previous contact, and selects it.
    /// Contacts that began at an unknown date have no start to land on and are skipped.
    pub fn step_contact(&mut self, direction: i8) {
        let scenario = &self.document.loaded.scenario;
        let now = self.clock.time();
        let starts = self
            .document
            .order
            .iter()
            .filter_map(|&id| scenario.contact(id).time.start.map(|t| (t, id)));
        let target = if direction > 0 {
            starts
                .filter(|(t, _)| *t > now)
                .min_by_key(|(t, id)| (*t, *id))
        } else {
            starts
                .filter(|(t, _)| *t < now)
                .max_by_key(|(t, id)| (*t, std::cmp::Reverse(*id)))
        };
        if let Some((t, id)) = target {
            self.clock.apply(TimeCommand::SetTime(t));
            self.selected = Some(id);
        }
    }

    /// The zones offered for display: UTC and the zones of the scenario's venues.
    pub fn display_zones(&self) -> Vec<String> {
        let mut zones = vec!["UTC".to_owned()];
        for venue in &self.document.loaded.scenario.venues {
            if !zones.contains(&venue.time_zone_name) {
                zones.push(venue.time_zone_name.clone());
            }
        }
        zones
    }

    /// Applies what the panels asked for, after the frame.
    pub fn apply(&mut self, commands: Vec<AppCommand>) {
        for command in commands {
            match command {
                AppCommand::Time(c) => {
                    self.clock.apply(c);
                }
                AppCommand::Select(id) => {
                    self.selected = Some(id);
                    let t = self.document.loaded.scenario.contact(id).time.anchor();
                    self.clock.apply(TimeCommand::SetTime(t));
                }
                AppCommand::ClearSelection => self.selected = None,
                AppCommand::DismissProblems => self.problems = None,
                AppCommand::StepContact(direction) => self.step_contact(direction),
                AppCommand::SetDisplayZone(name) => {
                    if let Some(zone) = crate::model::time::zone_by_name(&name) {
                        self.display_zone = zone;
                        self.display_zone_name = name;
                    }
                }
                // Handled in `ui_all`, where the egui context is at hand.
                AppCommand::PickScenario
                | AppCommand::PickMapLayer
                | AppCommand::PickBasemapReplacement
                | AppCommand::Quit => {}
            }
        }
    }

    /// Draws the whole window and applies what the user did.
    pub fn ui_all(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        self.keyboard(ui.ctx(), &mut commands);
        self.files_ui(ui.ctx());

        let top_bar = egui::Panel::top("top_bar")
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
                        ui.separator();
                        if ui.button("Quit").clicked() {
                            commands.push(AppCommand::Quit);
                        }
                    });
                    ui.menu_button("Help", |ui| {
                        ui.label(format!("demarche {}", env!("CARGO_PKG_VERSION")));
                        ui.label(crate::scene::map::CREDIT);
                        ui.label("Map data: Natural Earth (public domain), via world-atlas 2.0.2.");
                        ui.label("Keys: Space play/pause, +/- zoom, F fit, Ctrl+O open, Esc clear selection.");
                    });
                });
                ui.horizontal(|ui| {
                    ui.heading(&self.document.loaded.scenario.meta.title);
                    ui.label(
                        egui::RichText::new(format!(
                            "{} contacts · {} actors · {} venues",
                            self.document.loaded.scenario.contacts.len(),
                            self.document.loaded.scenario.actors.len(),
                            self.document.loaded.scenario.venues.len()
                        ))
                        .color(ui.visuals().weak_text_color()),
                    );
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        self.map.controls_ui(ui);
                    });
                });
            })
            .response
            .rect;
        let timeline = egui::Panel::bottom("timeline")
            .show(ui, |ui| {
                ui.add_space(4.0);
                let zones = self.display_zones();
                ui::timeline_ui(
                    ui,
                    &self.clock,
                    &self.display_zone,
                    &self.display_zone_name,
                    &zones,
                    &mut commands,
                );
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
            .rect;
        if let Some(report) = &self.problems {
            egui::Panel::top("problems").show(ui, |ui| {
                problems_ui(ui, report, &mut commands);
            });
        }
        let contacts = egui::Panel::left("contacts")
            .default_size(420.0)
            .show(ui, |ui| {
                ui.add_space(4.0);
                ui.label(egui::RichText::new("Contacts in time order").strong());
                ui::contact_list_ui(
                    ui,
                    &self.document.loaded.scenario,
                    &self.document.order,
                    self.clock.time(),
                    self.selected,
                    &self.display_zone,
                    &mut commands,
                )
            });
        self.last_layout = FrameLayout {
            top_bar,
            timeline,
            contacts_panel: contacts.response.rect,
            contact_rows: contacts.inner,
            map: egui::Rect::NOTHING,
        };
        egui::Panel::right("details")
            .default_size(360.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| match self.selected {
                    Some(id) => ui::contact_details_ui(
                        ui,
                        &self.document.loaded.scenario,
                        id,
                        &self.display_zone,
                        &self.display_zone_name,
                    ),
                    None => now_ui(ui, self, &mut commands),
                });
            });
        let map = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                self.map.ui(
                    ui,
                    &self.document.loaded.scenario,
                    &self.document.order,
                    self.clock.time(),
                )
            })
            .inner;
        self.last_layout.map = map.rect;
        let ctx = ui.ctx().clone();
        commands.retain(|command| match command {
            AppCommand::PickScenario => {
                let picked = rfd::FileDialog::new()
                    .set_title("Open a scenario")
                    .add_filter("demarche scenario", &["toml", "json"])
                    .pick_file();
                if let Some(path) = picked {
                    self.open_scenario(path);
                }
                false
            }
            AppCommand::PickMapLayer | AppCommand::PickBasemapReplacement => {
                let replace = *command == AppCommand::PickBasemapReplacement;
                let picked = rfd::FileDialog::new()
                    .set_title(if replace {
                        "Replace the basemap"
                    } else {
                        "Add a map layer"
                    })
                    .add_filter("GeoJSON or TopoJSON", &["geojson", "topojson", "json"])
                    .pick_file();
                match picked {
                    Some(path) if replace => self.map.replace_basemap(path, &ctx),
                    Some(path) => self.map.open_basemap(path, &ctx),
                    None => {}
                }
                false
            }
            AppCommand::Quit => {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                false
            }
            _ => true,
        });
        self.apply(commands);
    }

    /// Starts the map loads asked for on the command line, takes files dropped on the window (map files
    /// become layers, other files are opened as scenarios), and collects the map's problems.
    fn files_ui(&mut self, ctx: &egui::Context) {
        for path in std::mem::take(&mut self.pending_basemaps) {
            self.map.open_basemap(path, ctx);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for path in dropped {
            if crate::io::map_file::looks_like_map_file(&path) {
                self.map.open_basemap(path, ctx);
            } else {
                self.open_scenario(path);
            }
        }
        if let Some(report) = self.map.problems.take() {
            self.problems = Some(report);
        }
    }

    fn keyboard(&self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
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

/// What is going on at the current time, when no contact is selected.
fn now_ui(ui: &mut Ui, app: &DemarcheApp, commands: &mut Vec<AppCommand>) {
    let scenario = &app.document.loaded.scenario;
    ui.heading("Now");
    let now = app.clock.time();
    let active: Vec<ContactId> = app
        .document
        .order
        .iter()
        .copied()
        .filter(|&id| scenario.contact(id).time.is_current(now, ui::LINGER))
        .collect();
    if active.is_empty() {
        ui.label("Nothing reported at this time. Play or scrub the timeline, or pick a contact.");
    }
    for id in active {
        let c = scenario.contact(id);
        if ui
            .link(format!(
                "{} ({}, {})",
                c.title,
                c.kind.label(),
                c.status.label()
            ))
            .clicked()
        {
            commands.push(AppCommand::Select(id));
        }
    }
    if !scenario.meta.description.is_empty() {
        ui.add_space(8.0);
        ui.label(
            egui::RichText::new(&scenario.meta.description).color(ui.visuals().weak_text_color()),
        );
    }
}

/// The problems of a file that did not open (or opened with warnings).
fn problems_ui(ui: &mut Ui, report: &Report, commands: &mut Vec<AppCommand>) {
    ui.horizontal(|ui| {
        let title = if report.has_errors() {
            format!(
                "{} could not be opened: {}. The previous scenario is kept.",
                report.file,
                crate::cli::count(report.error_count(), "error")
            )
        } else {
            format!(
                "{}: {}",
                report.file,
                crate::cli::count(report.warning_count(), "warning")
            )
        };
        ui.label(
            egui::RichText::new(title)
                .color(ui.visuals().error_fg_color)
                .strong(),
        );
        if ui.button("Dismiss").clicked() {
            commands.push(AppCommand::DismissProblems);
        }
    });
    egui::ScrollArea::vertical()
        .max_height(140.0)
        .show(ui, |ui| {
            for line in report.to_lines() {
                ui.label(egui::RichText::new(line).monospace());
            }
        });
}

impl eframe::App for DemarcheApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let dt = ctx.input(|i| f64::from(i.stable_dt));
        if self.clock.update(dt).needs_repaint {
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_all(ui);
    }
}

/// Opens the window and runs until it is closed.
pub fn run(options: AppOptions) -> eframe::Result {
    let native_options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("demarche")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "demarche",
        native_options,
        Box::new(move |_cc| Ok(Box::new(DemarcheApp::new(&options)))),
    )
}
