//! The eframe application: holds the loaded scenario and the clock, draws the panels, applies the
//! commands they return after the frame.
//!
//! The command path: during a frame the panels ([`crate::ui`] and [`layout`]) only read the state and
//! push [`AppCommand`]s; the keyboard shortcuts ([`shortcuts`]) do the same. After the frame,
//! [`DemarcheApp::apply`] (in [`commands`]) applies them, one by one, and is the one place where the state
//! changes on the user's request (the file dialogs are opened from there too, between frames). What
//! changes without the user (a scenario read in the background, a file changed on disk) is taken in at the
//! start of a frame ([`loading`]). Fields that must stay in step (the filter and the contacts it lets
//! through, the zone and its name) are private, read through methods.
//!
//! - [`loading`]: reading scenario files in the background, reloading on change.
//! - [`persistence`]: what is remembered between runs.
//! - [`commands`]: [`DemarcheApp::apply`] and what it calls.
//! - [`shortcuts`]: keys and dropped files.
//! - [`layout`]: the panels of the window.
//! - [`launch`]: the window, its icon, and the timed launch.

mod commands;
mod knowledge;
mod launch;
mod layout;
mod loading;
mod map_layers;
mod persistence;
mod review;
mod shortcuts;

pub use knowledge::Knowledge;
pub use launch::{
    EXIT_AFTER_FIRST_FRAME, ICON_PNG, first_frame_drawn, first_frame_drawn_ms, icon, run,
};
pub use layout::problems_title;
use loading::Loading;
pub use map_layers::{MapLayers, Preload};
pub use persistence::Persisted;

use std::path::PathBuf;

use egui::Ui;
use jiff::tz::TimeZone;

use crate::diagnostics::Report;
use crate::io::scenario::{self, Loaded};
use crate::model::{ContactId, Filter};
use crate::playback::TimeControl;
use crate::scene::Pick;
use crate::scene::style::ThemeKind;
use crate::ui::{self};

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
    /// Contacts by time, for the frames that read only those around the clock's time.
    pub index: crate::model::contact_index::ContactIndex,
    /// The scenario's id and a short hash of the bytes it was read from, for the stamp of exports.
    pub stamp: crate::export::Stamp,
    /// Where the story is, for its projection (found once, not each frame).
    pub band: Option<crate::scene::view::StoryBand>,
    /// Changed in the app (a review decision, an import merged in) since it was read or saved.
    pub unsaved: bool,
    /// Which document this is (unique in the process) and how many changes it has had: a save running on
    /// another thread marks it saved only if it is still the same, unchanged ([`Document::mark_changed`]).
    id: u64,
    changes: u64,
}

impl Document {
    /// A document read from `bytes` (the file's, or the embedded text's).
    pub fn new(loaded: Loaded, path: Option<PathBuf>, bytes: &[u8]) -> Self {
        let stamp = crate::export::Stamp::new(&loaded.scenario.meta.id, bytes);
        Self::with_stamp(loaded, path, stamp)
    }

    /// A document whose stamp was made where its text was read (see [`scenario::read_file_with_stamp`]).
    pub fn with_stamp(loaded: Loaded, path: Option<PathBuf>, stamp: crate::export::Stamp) -> Self {
        // Each reads every contact: on both cores (a large story opens sooner).
        let scenario = &loaded.scenario;
        let started = std::time::Instant::now();
        let ((order, index), band) = rayon::join(
            || {
                rayon::join(
                    || scenario.chronological(),
                    || crate::model::contact_index::ContactIndex::new(scenario),
                )
            },
            || crate::scene::view::story_band(scenario),
        );
        log::info!(
            "{} contacts ordered and indexed in {:.0} ms",
            scenario.contacts.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        Self {
            loaded,
            path,
            order,
            index,
            stamp,
            band,
            unsaved: false,
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            changes: 0,
        }
    }

    /// Notes a change made in the app: the document is unsaved, and a save already under way saved it as
    /// it was before.
    pub fn mark_changed(&mut self) {
        self.unsaved = true;
        self.changes += 1;
    }

    /// The embedded default scenario.
    pub fn embedded() -> Self {
        let (loaded, stamp) = scenario::default_scenario_with_stamp();
        Self::with_stamp(loaded, None, stamp)
    }

    fn clock_range(&self) -> (jiff::Timestamp, jiff::Timestamp) {
        self.loaded
            .scenario
            .time_extent()
            .unwrap_or((jiff::Timestamp::UNIX_EPOCH, jiff::Timestamp::UNIX_EPOCH))
    }
}

/// The problems of a file, and what the file was for (to say what was kept, and to try it again).
#[derive(Clone, Debug)]
pub struct Problems {
    pub report: Report,
    pub source: ProblemSource,
}

/// What a file with problems was opened as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemSource {
    /// A scenario file being opened (the one on screen stays when it fails).
    Scenario(PathBuf),
    /// The open scenario's file, read again after it changed.
    Reload(PathBuf),
    /// A map file, added as a layer or replacing the basemap.
    MapFile { path: PathBuf, replace: bool },
    /// Event files imported (File > Import…): what was counted, and what to run again on Retry.
    Import {
        paths: Vec<PathBuf>,
        merge: bool,
        summary: Vec<String>,
    },
    /// The scenario being saved to this file (nothing was written).
    Save(PathBuf),
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

/// How long typing must pause before a search of a large story is applied.
pub const SEARCH_PAUSE: std::time::Duration = std::time::Duration::from_millis(300);

/// From this many contacts on, a search waits for typing to pause ([`SEARCH_PAUSE`]).
pub const SEARCH_PAUSE_FROM: usize = 100_000;

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
    /// Whether each contact of the shown document passes the filter (by id): `visible` as a set.
    visible_set: Vec<bool>,
    /// Counts the changes of `visible` (a new filter or a new document), for what is laid out from it and
    /// kept between frames (the time axis).
    visible_version: u64,
    /// The rejected candidates `filter` hides (it hides them when no review filter is set), counted when
    /// `visible` is made.
    rejected_hidden: usize,
    /// A search typed into the box but not applied yet, and when it was last typed: in a story of
    /// [`DemarcheApp::search_pause_from`] contacts or more, a search is applied once typing pauses for
    /// [`SEARCH_PAUSE`] (searching a million contacts takes a good part of a second: not on each key).
    typed_search: Option<(Filter, std::time::Instant)>,
    /// From this many contacts on, a search waits for typing to pause (tests lower it).
    pub search_pause_from: usize,
    /// The part of time the time axis shows.
    pub axis: ui::time_axis::AxisView,
    /// Problems of the last file that failed to open (or opened with warnings), shown until dismissed; the
    /// document is kept.
    problems: Option<Problems>,
    /// A watch on a scenario file that failed to open, to open it once it is fixed on disk.
    failed_watch: Option<ui::watch::FileWatch>,
    /// The zone times are shown in, and its IANA name (private: they change together, by
    /// [`AppCommand::SetDisplayZone`]).
    display_zone_name: String,
    display_zone: TimeZone,
    pub last_layout: FrameLayout,
    /// The map widget: its camera and what it drew last.
    pub map: ui::map_view::MapView,
    /// The map's layers and the map files being loaded.
    map_layers: MapLayers,
    /// Projection, theme and trail, as the user set them.
    map_settings: crate::scene::settings::MapSettings,
    /// Map files to start loading on the first frame (loading needs the egui context to wake the app).
    pending_basemaps: Vec<PathBuf>,
    /// Scenario files opened lately, the newest first.
    pub recent: Vec<PathBuf>,
    /// The watch on the open scenario file, to reload it when it changes on disk.
    watch: Option<ui::watch::FileWatch>,
    /// The theme the egui visuals were last set to.
    applied_theme: Option<ThemeKind>,
    /// The document whose scripts were last given fonts (`ui::script_fonts`): done once per document.
    fonts_checked_for: Option<crate::export::Stamp>,
    /// File > Open (Ctrl+O) and the map-file choices: a path field and Browse….
    pub open_dialog: ui::open_dialog::OpenDialog,
    /// File > Export (Ctrl+E) and the export under way.
    pub export: ui::export_dialog::ExportDialog,
    /// A scenario file being read in the background (opened, or changed on disk).
    loading: Option<Loading>,
    /// The open file changed on disk while another file was being opened: read it again if that fails.
    reload_owed: bool,
    /// The egui context, to wake the app when a background read ends (set on each frame).
    waker: Option<egui::Context>,
    /// Event files being imported in the background (File > Import…).
    importing: Option<review::Importing>,
    /// The as-of clock and "new since" (private: the shown document must stay in step with them).
    knowledge: Knowledge,
    /// When each scenario file was last opened (seconds since 1970), for "new since I last opened it".
    opened: std::collections::BTreeMap<String, i64>,
    /// File > Save running in the background, and a save asked for meanwhile.
    saving: review::Saving,
}

impl DemarcheApp {
    /// Starts on `options.scenario`, or on the embedded default when there is none or it does not load.
    pub fn new(options: &AppOptions) -> Self {
        let mut app = Self::starting(options);
        app.finish_loading();
        app
    }

    /// Like [`DemarcheApp::new`], but the file named in `options` is still being read on another thread:
    /// the window opens meanwhile, and [`DemarcheApp::finish_loading`] waits for it before the first frame,
    /// so that the first frame shows it.
    pub fn starting(options: &AppOptions) -> Self {
        let mut app = Self::with_document(Document::embedded());
        match &options.scenario {
            Some(path) => app.open_scenario(path.clone()),
            None => app.note_opened(),
        }
        app.pending_basemaps = options.basemaps.clone();
        app.map_layers.max_map_bytes = options.max_map_bytes;
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
            visible_set: Vec::new(),
            visible_version: 0,
            rejected_hidden: 0,
            typed_search: None,
            search_pause_from: SEARCH_PAUSE_FROM,
            axis: ui::time_axis::AxisView::fit(start, end),
            problems: None,
            failed_watch: None,
            display_zone_name: "UTC".to_owned(),
            display_zone: TimeZone::UTC,
            last_layout: FrameLayout::default(),
            map: ui::map_view::MapView::default(),
            map_layers: MapLayers::default(),
            map_settings: crate::scene::settings::MapSettings::default(),
            pending_basemaps: Vec::new(),
            recent: Vec::new(),
            watch: None,
            applied_theme: None,
            fonts_checked_for: None,
            open_dialog: ui::open_dialog::OpenDialog::default(),
            export: ui::export_dialog::ExportDialog::default(),
            loading: None,
            reload_owed: false,
            waker: None,
            importing: None,
            knowledge: Knowledge::default(),
            opened: std::collections::BTreeMap::new(),
            saving: review::Saving::default(),
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

    /// The filter as the filter panel shows it: with a search typed but not applied yet, if any.
    pub fn filter_typed(&self) -> &Filter {
        self.typed_search.as_ref().map_or(&self.filter, |(f, _)| f)
    }

    /// What the filter panel says of the list.
    pub fn filter_counts(&self) -> ui::FilterCounts {
        ui::FilterCounts {
            shown: self.visible.len(),
            rejected_hidden: self.rejected_hidden,
            searching: self.typed_search.is_some(),
        }
    }

    /// A new filter from the panel: applied at once, unless only its search changed in a large story
    /// (and is not cleared): then once typing pauses ([`DemarcheApp::settle_search`]).
    fn set_filter(&mut self, filter: Filter) {
        let only_the_search =
            filter.text != self.filter.text && !filter.text.trim().is_empty() && {
                let mut same = filter.clone();
                same.text.clone_from(&self.filter.text);
                same == self.filter
            };
        if only_the_search && self.shown().loaded.scenario.contacts.len() >= self.search_pause_from
        {
            self.typed_search = Some((filter, std::time::Instant::now()));
        } else {
            self.typed_search = None;
            self.filter = filter;
            self.filter_visible();
        }
    }

    /// Applies a typed search once typing has paused for [`SEARCH_PAUSE`]; until then, asks for a frame
    /// when it will have.
    pub(super) fn settle_search(&mut self, ctx: &egui::Context) {
        let Some((_, typed)) = &self.typed_search else {
            return;
        };
        let waited = typed.elapsed();
        if waited < SEARCH_PAUSE {
            ctx.request_repaint_after(SEARCH_PAUSE - waited);
        } else if let Some((filter, _)) = self.typed_search.take() {
            self.filter = filter;
            self.filter_visible();
        }
    }

    /// The contacts that pass the filter, in time order.
    pub fn visible(&self) -> &[ContactId] {
        &self.visible
    }

    /// Projection, theme and trail, as the user set them.
    pub fn map_settings(&self) -> &crate::scene::settings::MapSettings {
        &self.map_settings
    }

    /// The map's layers and the map file being loaded.
    pub fn map_layers(&self) -> &MapLayers {
        &self.map_layers
    }

    /// Takes the embedded basemap from a preload started before the window opened.
    pub fn use_preload(&mut self, preload: Option<Preload>) {
        self.map_layers.use_preload(preload);
    }

    /// The problems shown: of the last file that failed to open, or opened with warnings.
    pub fn problems(&self) -> Option<&Problems> {
        self.problems.as_ref()
    }

    /// The IANA name of the zone times are shown in.
    pub fn display_zone_name(&self) -> &str {
        &self.display_zone_name
    }

    /// The zone times are shown in.
    pub fn display_zone(&self) -> &TimeZone {
        &self.display_zone
    }

    /// Brings what is shown in step with a new or changed document: what of it is known at the as-of
    /// moment, and the contacts that pass the filter.
    fn refresh_visible(&mut self) {
        self.refresh_report_times();
        if !self.update_knowledge(true) {
            self.filter_visible();
        }
    }

    /// Recomputes the contacts of the shown document that pass the filter (after a new filter, or a new
    /// shown document).
    fn filter_visible(&mut self) {
        let shown = self.shown();
        let contacts = shown.loaded.scenario.contacts.len();
        self.visible = self.filter.apply(&shown.loaded.scenario, &shown.order);
        let mut set = vec![false; contacts];
        for id in &self.visible {
            set[id.0 as usize] = true;
        }
        self.visible_set = set;
        self.visible_version += 1;
        self.rejected_hidden = if self.filter.origins.is_empty() {
            self.shown()
                .loaded
                .scenario
                .contacts
                .iter()
                .filter(|c| crate::model::Origin::of(c) == crate::model::Origin::Rejected)
                .count()
        } else {
            0
        };
        self.count_new();
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
}

impl eframe::App for DemarcheApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let dt = ctx.input(|i| f64::from(i.stable_dt));
        if self.clock.update(dt).needs_repaint {
            ctx.request_repaint();
        }
        if self.knowledge.as_of() == crate::model::as_of::AsOf::FollowsClock {
            // The replay of knowledge: what is known follows the clock.
            self.update_knowledge(false);
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_all(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.persisted());
    }

    /// The map's basemap lives in GL buffers: deleted while the context is still current.
    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        // A save under way ends (whole, or not at all) before the process does.
        self.finish_save();
        if let Some(gl) = gl {
            self.map.destroy_gl(gl);
        }
    }
}
