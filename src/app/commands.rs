//! The one place where the user's requests change the state: [`DemarcheApp::apply`], run after each
//! frame with the commands the panels pushed, and what it calls.

use std::path::PathBuf;

use super::DemarcheApp;
use crate::playback::TimeCommand;
use crate::scene::Pick;
use crate::ui::open_dialog::FileTarget;
use crate::ui::{self, AppCommand};

impl DemarcheApp {
    /// What an export of the current view and time is drawn from; `None` before the map's first frame.
    pub fn export_context(&mut self) -> Option<ui::export_dialog::ExportContext> {
        let camera = self.map.camera?;
        let projection = self.map_settings.projection_in(self.document.band);
        let basemap = self
            .map_layers
            .basemap_if_loaded()?
            .prepared(projection)
            .to_vec();
        // The replay of knowledge exports the whole story, each frame as known at its own time.
        let replay = self.knowledge().as_of() == crate::model::as_of::AsOf::FollowsClock;
        let (scenario, order) = if replay {
            let whole = &self.document;
            (
                whole.loaded.scenario.clone(),
                self.filter.apply(&whole.loaded.scenario, &whole.order),
            )
        } else {
            (self.shown().loaded.scenario.clone(), self.visible.clone())
        };
        let mut stamp = self.document.stamp.clone();
        stamp.as_of = if replay { None } else { self.as_of_time() };
        stamp.filter = self.filter.describe();
        let (start, end) = self.clock.range();
        let from = jiff::Timestamp::from_second(self.axis.start_secs.ceil() as i64)
            .map_or(start, |t| t.max(start));
        let to = jiff::Timestamp::from_second((self.axis.start_secs + self.axis.span_secs) as i64)
            .map_or(end, |t| t.min(end));
        Some(ui::export_dialog::ExportContext {
            source: crate::export::Source {
                scenario,
                order,
                basemap,
                projection,
                stamp,
                new_since: self.knowledge().new_since().map(|n| n.since),
                replay,
            },
            camera,
            map_size: [camera.viewport.width(), camera.viewport.height()],
            theme: self.map_settings.theme,
            zone: crate::export::Zone {
                name: self.display_zone_name.clone(),
                zone: self.display_zone.clone(),
            },
            trail: self.map_settings.trail(),
            time: self.clock.time(),
            range: if from < to { (from, to) } else { (start, end) },
        })
    }

    /// Starts exporting the current view and time (or the time axis's span, for an animation) to `path`.
    pub fn start_export(&mut self, path: PathBuf, ctx: &egui::Context) {
        match self.export_context() {
            Some(cx) => {
                let waker = ctx.clone();
                self.export.start(cx, path, move || waker.request_repaint());
            }
            None => self.export.last = Some(Err("the map has not been drawn yet".to_owned())),
        }
    }

    /// Moves the clock exactly to the start of the next (`direction` > 0) or previous contact, and selects it.
    /// Contacts that began at an unknown date have no start to land on and are skipped.
    pub fn step_contact(&mut self, direction: i8) {
        let scenario = &self.shown().loaded.scenario;
        let now = self.clock.time();
        // The list is in time order (`Scenario::time_key`: those with a start by their start): the next
        // start after `now`, or the last before it, is found by bisection (a large story has a million),
        // then the first in the file of the contacts starting then.
        let visible = &self.visible;
        let start = |id: crate::model::ContactId| {
            let time = &scenario.contact(id).time;
            (time.start.is_some(), time.extent().0)
        };
        let target = if direction > 0 {
            let at = visible.partition_point(|&id| start(id) <= (true, now));
            visible.get(at).and_then(|&first| {
                let t = scenario.contact(first).time.start?;
                let same = visible[at..]
                    .iter()
                    .take_while(|&&id| scenario.contact(id).time.start == Some(t));
                same.min().map(|&id| (t, id))
            })
        } else {
            let at = visible.partition_point(|&id| start(id) < (true, now));
            at.checked_sub(1).and_then(|last| {
                let t = scenario.contact(visible[last]).time.start?;
                let same = visible[..at]
                    .iter()
                    .rev()
                    .take_while(|&&id| scenario.contact(id).time.start == Some(t));
                same.min().map(|&id| (t, id))
            })
        };
        if let Some((t, id)) = target {
            self.clock.apply(TimeCommand::SetTime(t));
            self.selection = Some(Pick::Contact(id));
        }
    }

    /// Applies what the panels asked for, after the frame.
    pub fn apply(&mut self, commands: Vec<AppCommand>) {
        for command in commands {
            match command {
                AppCommand::Time(c) => {
                    self.clock.apply(c);
                }
                AppCommand::Select(id) => {
                    self.selection = Some(Pick::Contact(id));
                    let t = self.shown().loaded.scenario.contact(id).time.shown_at();
                    self.clock.apply(TimeCommand::SetTime(t));
                }
                AppCommand::SelectOnMap(pick) => self.selection = Some(pick),
                AppCommand::OpenScenario(path) => self.open_scenario(path),
                AppCommand::OpenExample(file_name) => self.open_example(file_name),
                AppCommand::OpenExport => self.export.open = true,
                AppCommand::ClearSelection => self.selection = None,
                AppCommand::SetFilter(filter) => self.set_filter(filter),
                AppCommand::FilterByActor(actor) => {
                    let mut filter = self.filter.clone();
                    filter.actors = std::collections::BTreeSet::from([actor]);
                    self.set_filter(filter);
                }
                AppCommand::SetAsOf(as_of) => self.set_as_of(as_of),
                AppCommand::SetNewSince(since) => self.set_new_since(since),
                AppCommand::DismissProblems => {
                    self.problems = None;
                    self.failed_watch = None;
                }
                AppCommand::RetryProblemFile => self.retry_problem_file(),
                AppCommand::StepContact(direction) => self.step_contact(direction),
                AppCommand::SetDisplayZone(name) => {
                    if let Some(zone) = crate::model::time::zone_by_name(&name) {
                        self.display_zone = zone;
                        self.display_zone_name = name;
                    }
                }
                AppCommand::SetTheme(theme) => self.map_settings.theme = theme,
                AppCommand::SetProjection(kind) => {
                    if kind != self.map_settings.projection {
                        self.map_settings.projection = kind;
                        self.map.request_fit();
                    }
                }
                AppCommand::SetTrail(trail) => self.map_settings.trail = Some(trail),
                AppCommand::FitMap => self.map.request_fit(),
                AppCommand::FoldLegend(folded) => self.map_settings.legend_folded = folded,
                AppCommand::OpenMapFile { path, replace } => self.open_map_file(path, replace),
                AppCommand::CancelMapLoad => {
                    if let Some(load) = self.map_layers.loading() {
                        load.cancel();
                    }
                }
                AppCommand::SetAxisView(view) => self.axis = view,
                AppCommand::PickScenario => self.open_dialog.show(FileTarget::Scenario),
                AppCommand::PickMapLayer => self.open_dialog.show(FileTarget::MapLayer),
                AppCommand::PickBasemapReplacement => {
                    self.open_dialog.show(FileTarget::BasemapReplacement);
                }
                AppCommand::BrowseForFile => {
                    let ctx = self.context();
                    self.open_dialog
                        .browse(Box::new(move || ctx.request_repaint()));
                }
                AppCommand::OpenTypedPath => {
                    if let Some(command) = self.open_dialog.submit() {
                        self.apply(vec![command]);
                    }
                }
                AppCommand::CloseOpenDialog => self.open_dialog.close(),
                AppCommand::PickExportPath => {
                    let ctx = self.context();
                    self.export.browse(
                        &self.document.loaded.scenario.meta.id,
                        Box::new(move || ctx.request_repaint()),
                    );
                }
                AppCommand::ExportToTypedPath => {
                    match self.export.target(&self.document.loaded.scenario.meta.id) {
                        Ok(path) => {
                            let ctx = self.context();
                            self.start_export(path, &ctx);
                        }
                        Err(why) => self.export.last = Some(Err(why)),
                    }
                }
                AppCommand::ExportTo(path) => {
                    let ctx = self.context();
                    self.start_export(path, &ctx);
                }
                AppCommand::Review(id, review) => self.set_review(id, review),
                AppCommand::Save => self.save(),
                AppCommand::PickSaveAs => self.ask_save_path(),
                AppCommand::SaveAs(path) => self.save_as(path),
                AppCommand::PickImport => {
                    // Merging is offered first when the open scenario holds machine-coded contacts.
                    self.open_dialog.merge_import = self
                        .document
                        .loaded
                        .scenario
                        .contacts
                        .iter()
                        .any(|c| c.provenance.is_some());
                    self.open_dialog.show(FileTarget::Import);
                }
                AppCommand::Import { paths, merge } => self.start_import(paths, merge),
                AppCommand::Quit => self
                    .context()
                    .send_viewport_cmd(egui::ViewportCommand::Close),
            }
        }
    }

    /// The egui context of the last frame (to wake the app from other threads); a detached one before the
    /// first frame.
    pub(super) fn context(&self) -> egui::Context {
        self.waker.clone().unwrap_or_default()
    }

    /// Starts loading a map file in the background (see [`AppCommand::OpenMapFile`]).
    fn open_map_file(&mut self, path: PathBuf, replace: bool) {
        let ctx = self.context();
        self.map_layers.open(path, replace, &ctx);
    }
}
