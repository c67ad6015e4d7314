//! The eframe application: holds the loaded scenario and the clock, draws the panels, applies the
//! commands they return after the frame.

use std::path::PathBuf;

use egui::Ui;
use jiff::tz::TimeZone;

use crate::diagnostics::Report;
use crate::geo_math::projection::ProjectionKind;
use crate::io::scenario::{self, Loaded};
use crate::model::{ContactId, Filter, Named as _};
use crate::playback::{TimeCommand, TimeControl};
use crate::scene::Pick;
use crate::scene::style::ThemeKind;
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
    /// The scenario's id and a short hash of the bytes it was read from, for the stamp of exports.
    pub stamp: crate::export::Stamp,
}

impl Document {
    /// A document read from `bytes` (the file's, or the embedded text's).
    pub fn new(loaded: Loaded, path: Option<PathBuf>, bytes: &[u8]) -> Self {
        let order = loaded.scenario.chronological();
        let stamp = crate::export::Stamp::new(&loaded.scenario.meta.id, bytes);
        Self {
            loaded,
            path,
            order,
            stamp,
        }
    }

    /// The embedded default scenario.
    pub fn embedded() -> Self {
        Self::new(
            scenario::default_scenario(),
            None,
            scenario::DEFAULT_SCENARIO_TOML.as_bytes(),
        )
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
    /// The contact, actor or venue selected (in the list, on the map or on the timeline).
    pub selection: Option<Pick>,
    /// Which contacts are shown (private: `visible` must stay in step with it; see [`DemarcheApp::filter`]).
    filter: Filter,
    /// The contacts that pass the filter, in time order.
    visible: Vec<ContactId>,
    /// The part of time the time axis shows.
    pub axis: ui::time_axis::AxisView,
    /// Problems of the last file that failed to open, shown until dismissed; the document is kept.
    pub problems: Option<Report>,
    /// The zone times are shown in, and its IANA name (private: they change together, by
    /// [`AppCommand::SetDisplayZone`]).
    display_zone_name: String,
    display_zone: TimeZone,
    pub last_layout: FrameLayout,
    pub map: ui::map_view::MapView,
    /// Map files to start loading on the first frame (loading needs the egui context to wake the app).
    pending_basemaps: Vec<PathBuf>,
    /// Scenario files opened lately, the newest first.
    pub recent: Vec<PathBuf>,
    /// The watch on the open scenario file, to reload it when it changes on disk.
    watch: Option<ui::watch::FileWatch>,
    /// The theme the egui visuals were last set to.
    applied_theme: Option<ThemeKind>,
    /// File > Export (Ctrl+E) and the export under way.
    pub export: ui::export_dialog::ExportDialog,
    /// A scenario file being read in the background (opened, or changed on disk).
    loading: Option<Loading>,
    /// The open file changed on disk while another file was being opened: read it again if that fails.
    reload_owed: bool,
    /// The egui context, to wake the app when a background read ends (set on each frame).
    waker: Option<egui::Context>,
}

/// Reads a scenario file and the stamp of its bytes (on a thread of its own: see [`Loading`]).
fn read_document(path: PathBuf) -> Result<Document, Report> {
    let text = scenario::read_scenario_text(&path, crate::io::text::DEFAULT_MAX_SCENARIO_BYTES)?;
    let loaded = scenario::parse(&path.display().to_string(), &text)?;
    Ok(Document::new(loaded, Some(path), text.as_bytes()))
}

/// A scenario file being read and checked on another thread, so that a large one does not stop the window.
#[derive(Debug)]
struct Loading {
    path: PathBuf,
    /// Read again after it changed on disk (keep the time, view, filter and selection), or newly opened.
    reload: bool,
    /// The read, on its own thread (a panic in it comes back as an error).
    job: crate::job::Job<Result<Document, Report>>,
}

/// What the app remembers between runs (eframe storage): window size and panels are kept by eframe itself.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Persisted {
    pub recent: Vec<PathBuf>,
    pub display_zone: Option<String>,
    pub theme: ThemeKind,
    pub projection: ProjectionKind,
    /// Centre (world units) and scale of the map, unless it was fitted to the scenario.
    pub view: Option<([f64; 2], f64)>,
    pub speed_secs_per_sec: Option<f64>,
    pub looping: bool,
    /// Seconds a contact stays on the map after it ends.
    pub trail_secs: Option<i64>,
}

/// How many recent files the File menu lists.
const MAX_RECENT: usize = 8;

impl DemarcheApp {
    /// Starts on `options.scenario`, or on the embedded default when there is none or it does not load.
    pub fn new(options: &AppOptions) -> Self {
        let mut app = Self::with_document(Document::embedded());
        if let Some(path) = &options.scenario {
            // The file named on the command line is read before the window opens, so that the first frame
            // shows it.
            app.open_scenario(path.clone());
            app.finish_loading();
        }
        app.pending_basemaps = options.basemaps.clone();
        app.map.max_map_bytes = options.max_map_bytes;
        app
    }

    pub fn with_document(document: Document) -> Self {
        let clock = TimeControl::new(document.clock_range());
        let (start, end) = clock.range();
        let mut app = Self {
            document,
            clock,
            selection: None,
            filter: Filter::default(),
            visible: Vec::new(),
            axis: ui::time_axis::AxisView::fit(start, end),
            problems: None,
            display_zone_name: "UTC".to_owned(),
            display_zone: TimeZone::UTC,
            last_layout: FrameLayout::default(),
            map: ui::map_view::MapView::default(),
            pending_basemaps: Vec::new(),
            recent: Vec::new(),
            watch: None,
            applied_theme: None,
            export: ui::export_dialog::ExportDialog::default(),
            loading: None,
            reload_owed: false,
            waker: None,
        };
        app.refresh_visible();
        app
    }

    /// The selected contact, if a contact is selected.
    pub fn selected_contact(&self) -> Option<ContactId> {
        match self.selection {
            Some(Pick::Contact(id)) => Some(id),
            _ => None,
        }
    }

    /// Which contacts are shown.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The contacts that pass the filter, in time order.
    pub fn visible(&self) -> &[ContactId] {
        &self.visible
    }

    /// The IANA name of the zone times are shown in.
    pub fn display_zone_name(&self) -> &str {
        &self.display_zone_name
    }

    /// The zone times are shown in.
    pub fn display_zone(&self) -> &TimeZone {
        &self.display_zone
    }

    /// Recomputes the contacts that pass the filter (after a new document or a new filter).
    fn refresh_visible(&mut self) {
        self.visible = self
            .filter
            .apply(&self.document.loaded.scenario, &self.document.order);
    }

    fn remember_recent(&mut self, path: &std::path::Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// What to remember of this session.
    pub fn persisted(&self) -> Persisted {
        Persisted {
            recent: self.recent.clone(),
            display_zone: Some(self.display_zone_name.clone()),
            theme: self.map.theme,
            projection: self.map.projection_kind,
            view: self.map.saved_view(),
            speed_secs_per_sec: Some(self.clock.speed().scenario_secs_per_sec),
            looping: self.clock.is_looping(),
            trail_secs: self.map.trail.map(|t| t.as_secs()),
        }
    }

    /// Takes back what an earlier session remembered; what no longer makes sense (an unknown zone, a
    /// speed out of range) is ignored.
    pub fn restore(&mut self, saved: Persisted) {
        self.recent = saved.recent;
        self.recent.truncate(MAX_RECENT);
        if let Some(name) = saved.display_zone {
            self.apply(vec![AppCommand::SetDisplayZone(name)]);
        }
        self.map.theme = saved.theme;
        self.map.projection_kind = saved.projection;
        if let Some((center, scale)) = saved.view {
            self.map.restore_view(center, scale);
        }
        if let Some(speed) = saved.speed_secs_per_sec.filter(|s| (1.0..=1e7).contains(s)) {
            self.clock
                .apply(TimeCommand::SetSpeed(crate::playback::Speed::per_sec(
                    speed,
                )));
        }
        self.clock.apply(TimeCommand::SetLooping(saved.looping));
        self.map.trail = saved
            .trail_secs
            .filter(|s| (0..=30 * 86_400).contains(s))
            .map(jiff::SignedDuration::from_secs);
    }

    /// Reads the open scenario file again after it changed on disk, in the background; when it is read,
    /// keeps the time, the view, the filter and the selection (when the selected contact is still there).
    /// A broken file shows its problems and the scenario on screen stays.
    ///
    /// While another file is being opened the reload waits: it is done only if that file fails to open
    /// (when it opens, the changed file is no longer on screen).
    pub fn reload(&mut self) {
        if self.loading.as_ref().is_some_and(|l| !l.reload) {
            self.reload_owed = true;
            return;
        }
        if let Some(path) = self.document.path.clone() {
            self.start_loading(path, true);
        }
    }

    /// Whether a scenario file is being read, and which.
    pub fn loading(&self) -> Option<&std::path::Path> {
        self.loading.as_ref().map(|l| l.path.as_path())
    }

    /// Starts reading `path` on another thread (a read under way for another file is forgotten).
    fn start_loading(&mut self, path: PathBuf, reload: bool) {
        if !reload {
            self.reload_owed = false;
        }
        let waker = self.waker.clone();
        let read = path.clone();
        let wake: crate::job::Wake = Box::new(move || {
            if let Some(ctx) = &waker {
                ctx.request_repaint();
            }
        });
        match crate::job::Job::spawn("scenario", wake, move |_| read_document(read)) {
            Ok(job) => self.loading = Some(Loading { path, reload, job }),
            Err(err) => {
                log::error!("cannot start reading {}: {err}", path.display());
                // Read it here rather than not at all.
                let result = read_document(path.clone());
                self.loaded(path, reload, result);
            }
        }
    }

    /// Takes the scenario read in the background, if it is ready.
    fn poll_loading(&mut self) {
        if let Some(result) = self.loading.as_ref().and_then(|l| l.job.try_take())
            && let Some(loading) = self.loading.take()
        {
            self.take_loaded(loading.path, loading.reload, result);
        }
    }

    /// Waits for the scenario being read in the background, if any, and takes it (or its problems).
    pub fn finish_loading(&mut self) {
        if let Some(Loading { path, reload, job }) = self.loading.take() {
            self.take_loaded(path, reload, job.wait());
        }
    }

    /// Ends the read of `path` with its result. A read that ended without one (its thread panicked) is
    /// reported as such.
    fn take_loaded(
        &mut self,
        path: PathBuf,
        reload: bool,
        result: Result<Result<Document, Report>, crate::job::JobError>,
    ) {
        let result = result.unwrap_or_else(|_| {
            let mut report = Report::new(path.display().to_string(), "");
            report
                .diagnostics
                .push(crate::diagnostics::Diagnostic::error(
                    "reading this file stopped unexpectedly (a bug in demarche)",
                ));
            Err(report)
        });
        let failed_open = !reload && result.is_err();
        self.loaded(path, reload, result);
        if failed_open && std::mem::take(&mut self.reload_owed) {
            self.reload();
        }
    }

    /// Puts a scenario read from `path` on screen, or shows why it could not be.
    fn loaded(&mut self, path: PathBuf, reload: bool, result: Result<Document, Report>) {
        match (result, reload) {
            (Ok(document), true) => self.replace_keeping_view(document),
            (Ok(document), false) => self.replace(document, &path),
            (Err(report), _) => {
                log::warn!(
                    "{} has {} errors; keeping the current scenario",
                    path.display(),
                    report.error_count()
                );
                self.problems = Some(report);
            }
        }
    }

    /// The scenario read again: keeps the time, the view, the filter and the selection.
    fn replace_keeping_view(&mut self, document: Document) {
        let now = self.clock.time();
        let selected = self
            .selected_contact()
            .map(|id| self.document.loaded.scenario.contact(id).id.clone());
        let report = &document.loaded.report;
        if !report.diagnostics.is_empty() {
            self.problems = Some(report.clone());
        } else if self
            .problems
            .as_ref()
            .is_some_and(|p| p.file == report.file)
        {
            // This file's earlier problems are fixed; another file's stay until dismissed.
            self.problems = None;
        }
        self.document = document;
        self.clock.set_range(self.document.clock_range());
        self.clock.apply(TimeCommand::SetTime(now));
        self.refresh_visible();
        self.selection = selected
            .and_then(|id| self.document.loaded.scenario.contact_by_id(&id))
            .map(Pick::Contact);
        log::info!(
            "reloaded {}",
            self.document
                .path
                .as_deref()
                .unwrap_or(std::path::Path::new(""))
                .display()
        );
    }

    /// A newly opened scenario: fitted, from its start, nothing selected.
    fn replace(&mut self, document: Document, path: &std::path::Path) {
        let report = &document.loaded.report;
        self.problems = (!report.diagnostics.is_empty()).then(|| report.clone());
        self.remember_recent(path);
        self.document = document;
        self.map.request_fit();
        self.clock.set_range(self.document.clock_range());
        let (start, end) = self.clock.range();
        self.axis = ui::time_axis::AxisView::fit(start, end);
        self.selection = None;
        self.refresh_visible();
    }

    /// What an export of the current view and time is drawn from; `None` before the map's first frame.
    pub fn export_context(&mut self) -> Option<ui::export_dialog::ExportContext> {
        let camera = self.map.camera?;
        let projection = self.map.projection();
        let basemap = self.map.basemap.as_mut()?.prepared(projection).to_vec();
        let scenario = self.document.loaded.scenario.clone();
        let stamp = self.document.stamp.clone();
        let (start, end) = self.clock.range();
        let from = jiff::Timestamp::from_second(self.axis.start_secs.ceil() as i64)
            .map_or(start, |t| t.max(start));
        let to = jiff::Timestamp::from_second((self.axis.start_secs + self.axis.span_secs) as i64)
            .map_or(end, |t| t.min(end));
        Some(ui::export_dialog::ExportContext {
            source: crate::export::Source {
                scenario,
                order: self.visible.clone(),
                basemap,
                projection,
                stamp,
            },
            camera,
            map_size: [camera.viewport.width(), camera.viewport.height()],
            theme: self.map.theme,
            zone: crate::export::Zone {
                name: self.display_zone_name.clone(),
                zone: self.display_zone.clone(),
            },
            trail: self.map.trail(),
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

    /// Keeps a watch on the open file, reloads it when it has changed, and sets the egui theme.
    fn housekeeping(&mut self, ctx: &egui::Context) {
        if self.waker.is_none() {
            self.waker = Some(ctx.clone());
        }
        self.poll_loading();
        let watched = self.watch.as_ref().map(|w| w.path().to_path_buf());
        let open = self
            .document
            .path
            .as_deref()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
        if watched != open {
            self.watch = open.as_deref().and_then(|path| {
                let waker = ctx.clone();
                ui::watch::FileWatch::new(path, move || waker.request_repaint())
                    .map_err(|e| log::warn!("cannot watch {}: {e}", path.display()))
                    .ok()
            });
        }
        let poll = self
            .watch
            .as_mut()
            .map(|w| w.poll(std::time::Instant::now()));
        match poll {
            Some(ui::watch::Poll::Reload) => self.reload(),
            Some(ui::watch::Poll::WaitFor(d)) => ctx.request_repaint_after(d),
            _ => {}
        }
        if self.applied_theme != Some(self.map.theme) {
            ctx.set_theme(match self.map.theme {
                ThemeKind::Light => egui::Theme::Light,
                ThemeKind::Dark => egui::Theme::Dark,
            });
            self.applied_theme = Some(self.map.theme);
        }
    }

    /// Opens a scenario file, read in the background (the window keeps going; the top bar says what is
    /// being read). When it is broken, the current one stays and its problems are shown.
    pub fn open_scenario(&mut self, path: PathBuf) {
        self.start_loading(path, false);
    }

    /// Moves the clock exactly to the start of the next (`direction` > 0) or previous contact, and selects it.
    /// Contacts that began at an unknown date have no start to land on and are skipped.
    pub fn step_contact(&mut self, direction: i8) {
        let scenario = &self.document.loaded.scenario;
        let now = self.clock.time();
        let starts = self
            .visible
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
            self.selection = Some(Pick::Contact(id));
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
                    self.selection = Some(Pick::Contact(id));
                    let t = self.document.loaded.scenario.contact(id).time.anchor();
                    self.clock.apply(TimeCommand::SetTime(t));
                }
                AppCommand::SelectOnMap(pick) => self.selection = Some(pick),
                AppCommand::OpenScenario(path) => self.open_scenario(path),
                AppCommand::OpenExport => self.export.open = true,
                AppCommand::ClearSelection => self.selection = None,
                AppCommand::SetFilter(filter) => {
                    self.filter = filter;
                    self.refresh_visible();
                }
                AppCommand::DismissProblems => self.problems = None,
                AppCommand::StepContact(direction) => self.step_contact(direction),
                AppCommand::SetDisplayZone(name) => {
                    if let Some(zone) = crate::model::time::zone_by_name(&name) {
                        self.display_zone = zone;
                        self.display_zone_name = name;
                    }
                }
                AppCommand::SetTheme(theme) => self.map.theme = theme,
                AppCommand::SetProjection(kind) => {
                    if kind != self.map.projection_kind {
                        self.map.projection_kind = kind;
                        self.map.request_fit();
                    }
                }
                AppCommand::SetTrail(trail) => self.map.trail = Some(trail),
                AppCommand::FitMap => self.map.request_fit(),
                AppCommand::SetAxisView(view) => self.axis = view,
                AppCommand::PickScenario => self.pick_scenario(),
                AppCommand::PickMapLayer => self.pick_map_file(false),
                AppCommand::PickBasemapReplacement => self.pick_map_file(true),
                AppCommand::PickExportPath => {
                    if let Some(path) = self
                        .export
                        .pick_path(&self.document.loaded.scenario.meta.id)
                    {
                        let ctx = self.context();
                        self.start_export(path, &ctx);
                    }
                }
                AppCommand::Quit => self
                    .context()
                    .send_viewport_cmd(egui::ViewportCommand::Close),
            }
        }
    }

    /// The egui context of the last frame (to wake the app from other threads); a detached one before the
    /// first frame.
    fn context(&self) -> egui::Context {
        self.waker.clone().unwrap_or_default()
    }

    /// Asks for a scenario file with the system's dialog (a modal one, between frames), and opens it.
    fn pick_scenario(&mut self) {
        let picked = rfd::FileDialog::new()
            .set_title("Open a scenario")
            .add_filter("demarche scenario", &["toml", "json"])
            .pick_file();
        if let Some(path) = picked {
            self.open_scenario(path);
        }
    }

    /// Asks for a map file with the system's dialog, and adds it as a layer or makes it the only one.
    fn pick_map_file(&mut self, replace: bool) {
        let picked = rfd::FileDialog::new()
            .set_title(if replace {
                "Replace the basemap"
            } else {
                "Add a map layer"
            })
            .add_filter("GeoJSON or TopoJSON", &["geojson", "topojson", "json"])
            .pick_file();
        let ctx = self.context();
        match picked {
            Some(path) if replace => self.map.replace_basemap(path, &ctx),
            Some(path) => self.map.open_basemap(path, &ctx),
            None => {}
        }
    }

    /// Draws the whole window and applies what the user did.
    pub fn ui_all(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        self.housekeeping(ui.ctx());
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
                        if ui.button("Export… (Ctrl+E)").clicked() {
                            commands.push(AppCommand::OpenExport);
                        }
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
                        ui.label("Keys: Space play/pause, +/- zoom, F fit, Ctrl+O open, Ctrl+E export, Left/Right previous/next contact, Home/End, Esc clear selection.");
                    });
                });
                ui.horizontal(|ui| {
                    if let Some(path) = self.loading() {
                        // Reading a file: a spinner (which keeps frames coming until it is read).
                        ui.spinner();
                        let name = path.file_name().map_or_else(
                            || path.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        );
                        ui.label(format!("Reading {name}…"));
                        ui.separator();
                    }
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
                        self.map.controls_ui(ui, &mut commands);
                        let (label, other) = match self.map.theme {
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
            .rect;
        let timeline = egui::Panel::bottom("timeline")
            .show(ui, |ui| {
                ui.add_space(4.0);
                let zones = self.display_zones();
                let theme = crate::scene::Theme::of(self.map.theme);
                ui::timeline_ui(
                    ui,
                    &ui::TimelineInputs {
                        clock: &self.clock,
                        zone: &self.display_zone,
                        zone_name: &self.display_zone_name,
                        zones: &zones,
                        scenario: &self.document.loaded.scenario,
                        contacts: &self.visible,
                        selected: self.selected_contact(),
                        theme: &theme,
                    },
                    self.axis,
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
                ui::filter_ui(
                    ui,
                    &self.document.loaded.scenario,
                    &self.filter,
                    self.visible.len(),
                    &mut commands,
                );
                ui.separator();
                ui::contact_list_ui(
                    ui,
                    &self.document.loaded.scenario,
                    &self.visible,
                    self.clock.time(),
                    self.selected_contact(),
                    &self.display_zone,
                    self.clock.is_playing(),
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
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let scenario = &self.document.loaded.scenario;
                    match self.selection {
                        Some(Pick::Contact(id)) => ui::contact_details_ui(
                            ui,
                            scenario,
                            id,
                            &self.display_zone,
                            &self.display_zone_name,
                        ),
                        Some(Pick::Actor(id)) => ui::entities::actor_ui(
                            ui,
                            scenario,
                            &self.visible,
                            id,
                            self.clock.time(),
                            &self.display_zone,
                            Some(&mut commands),
                        ),
                        Some(Pick::Venue(id)) => ui::entities::venue_ui(
                            ui,
                            scenario,
                            &self.visible,
                            id,
                            self.clock.time(),
                            Some(&mut commands),
                        ),
                        None => now_ui(ui, self, &mut commands),
                    }
                });
            });
        // Meetings and calls pulse while the clock plays, in the viewer's time; paused, they rest (and no
        // frame is drawn).
        self.map.pulse = self
            .clock
            .is_playing()
            .then(|| crate::scene::contacts::pulse_phase(ui.input(|i| i.time)));
        let map = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                self.map.ui(
                    ui,
                    &self.document.loaded.scenario,
                    &self.visible,
                    self.clock.time(),
                    &self.display_zone,
                    &mut commands,
                )
            })
            .inner;
        self.last_layout.map = map.rect;
        let ctx = ui.ctx().clone();
        if self.export.ui(&ctx, [map.rect.width(), map.rect.height()]) {
            commands.push(AppCommand::PickExportPath);
        }
        self.map.end_frame(&ctx);
        if !commands.is_empty() {
            // The state changed after this frame was drawn: draw the next one.
            ctx.request_repaint();
        }
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
        // Map files are all added; of scenario files, one can be open at a time: the first is.
        let mut scenarios = Vec::new();
        for path in dropped {
            if crate::io::map_file::looks_like_map_file(&path) {
                self.map.open_basemap(path, ctx);
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

/// What is going on at the current time, when no contact is selected.
fn now_ui(ui: &mut Ui, app: &DemarcheApp, commands: &mut Vec<AppCommand>) {
    let scenario = &app.document.loaded.scenario;
    ui.heading("Now");
    let now = app.clock.time();
    let active: Vec<ContactId> = app
        .visible
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

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.persisted());
    }
}

/// With this environment variable set, the app closes itself once its first frame is on screen and prints
/// how long that took since launch: `DEMARCHE_EXIT_AFTER_FIRST_FRAME=1 demarche` measures launch time.
pub const EXIT_AFTER_FIRST_FRAME: &str = "DEMARCHE_EXIT_AFTER_FIRST_FRAME";

/// Wraps the app to time the first frame and close (see [`EXIT_AFTER_FIRST_FRAME`]).
struct TimedLaunch {
    app: DemarcheApp,
    started: std::time::Instant,
    frames: u32,
}

impl eframe::App for TimedLaunch {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        // The first frame was presented before the second one starts.
        if self.frames == 1 {
            println!(
                "first frame drawn {:.0} ms after launch",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        eframe::App::logic(&mut self.app, ctx, frame);
    }

    fn ui(&mut self, ui: &mut Ui, frame: &mut eframe::Frame) {
        if self.frames == 0 {
            println!(
                "first frame started {:.0} ms after launch",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
        eframe::App::ui(&mut self.app, ui, frame);
        if self.frames == 0 {
            println!(
                "first frame built {:.0} ms after launch",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.frames += 1;
        ui.ctx().request_repaint();
    }
}

/// The app's icon (see `assets/README.md`), embedded so the binary needs no files beside it.
pub const ICON_PNG: &[u8] = include_bytes!("../assets/icon.png");

/// The icon decoded for the window and the taskbar; `None` (and a log line) if it does not decode, so a
/// broken icon never stops the app.
pub fn icon() -> Option<egui::IconData> {
    let decoded = (|| -> Result<egui::IconData, png::DecodingError> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(ICON_PNG));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info()?;
        let mut rgba = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut rgba)?;
        rgba.truncate(info.buffer_size());
        if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
            return Err(png::DecodingError::LimitsExceeded);
        }
        Ok(egui::IconData {
            rgba,
            width: info.width,
            height: info.height,
        })
    })();
    decoded
        .map_err(|e| log::error!("the embedded icon does not decode: {e}"))
        .ok()
}

/// Opens the window and runs until it is closed.
pub fn run(options: AppOptions) -> eframe::Result {
    let started = std::time::Instant::now();
    let timed = std::env::var_os(EXIT_AFTER_FIRST_FRAME).is_some();
    // The basemap is read and prepared while the window and its graphics context are made.
    let preload = ui::map_view::MapView::spawn_preload(ProjectionKind::default().projection());
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("demarche")
        .with_app_id("demarche")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 400.0]);
    if let Some(icon) = icon() {
        viewport = viewport.with_icon(icon);
    }
    let native_options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "demarche",
        native_options,
        Box::new(move |cc| {
            let mut app = DemarcheApp::new(&options);
            app.map.use_preload(preload);
            if let Some(saved) = cc
                .storage
                .and_then(|s| eframe::get_value::<Persisted>(s, eframe::APP_KEY))
            {
                app.restore(saved);
            }
            if timed {
                return Ok(Box::new(TimedLaunch {
                    app,
                    started,
                    frames: 0,
                }));
            }
            Ok(Box::new(app))
        }),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_icon_decodes_to_a_square_rgba_image() {
        let icon = super::icon().expect("the icon decodes");
        assert_eq!(icon.width, icon.height, "square");
        assert!(icon.width >= 64, "large enough for a taskbar");
        assert_eq!(
            icon.rgba.len(),
            (icon.width * icon.height * 4) as usize,
            "RGBA"
        );
        assert!(
            icon.rgba.chunks(4).any(|p| p[3] == 0),
            "transparent corners"
        );
    }
}
