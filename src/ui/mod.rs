//! The panels of the window. Each reads state and returns what the user asked for as [`AppCommand`]s,
//! which the app applies after the frame: no widget mutates shared state while drawing.
//!
//! The command path: a panel is given read-only views of the state (often as a context struct such as
//! [`TimelineInputs`] or [`ContactList`]) and a `&mut Vec<AppCommand>`; the app's one `apply`
//! (`app::commands`) changes the state after the frame, so what a frame draws is the state it started
//! with, plus at most the widget's own input of this frame (the time axis draws its new zoom at once). The
//! map widget keeps only what is its own between frames (its camera, its painter's caches); the map's
//! layers and settings (theme, projection, trail) are the app's and change through commands too. Work that
//! takes long (reading map files, exports) runs as a [`crate::job::Job`].

mod contacts;
pub mod entities;
pub mod export_dialog;
mod filters;
pub mod knowledge;
pub mod map_loader;
pub mod map_view;
pub mod open_dialog;
pub mod review;
pub mod script_fonts;
pub mod script_text;
pub mod time_axis;
mod timeline;
pub mod watch;

/// Text from a scenario on one line, as egui's widgets should lay it out: right-to-left runs (Persian,
/// Arabic, Hebrew) in reading order (see [`crate::render::bidi::display_order`]). A widget showing it
/// gives screen readers the text as written ([`script_text::tell_as_written`]); paragraphs that may wrap
/// go through [`script_text::script_label`].
pub(crate) use crate::render::bidi::display_order as shown;

pub use contacts::{ContactList, ContactRow, LINGER, contact_details_ui, contact_list_ui};
pub use filters::{FilterCounts, filter_ui};
pub use timeline::{TimelineInputs, parse_speed, timeline_ui};

use jiff::Timestamp;

use crate::model::ContactId;
use crate::playback::TimeCommand;

/// What the user asked for during a frame.
#[derive(Clone, Debug, PartialEq)]
pub enum AppCommand {
    Time(TimeCommand),
    /// Select a contact (and move the clock to its start).
    Select(ContactId),
    /// Select an actor or a venue picked on the map (a contact goes through [`AppCommand::Select`]).
    SelectOnMap(crate::scene::Pick),
    ClearSelection,
    /// Show only the contacts that pass this filter (in the list, on the map and on the timeline).
    SetFilter(crate::model::Filter),
    /// Keep the filter, listing only the contacts of this actor (by id, as in the file).
    FilterByActor(String),
    DismissProblems,
    /// Go to the start of the next (+1) or previous (-1) contact, exactly, and select it.
    StepContact(i8),
    /// Show times in this IANA zone.
    SetDisplayZone(String),
    /// Show the export dialog (File > Export, Ctrl+E).
    OpenExport,
    /// Open this scenario file (from the recent files).
    OpenScenario(std::path::PathBuf),
    /// Open the example built into the program under this file name (File > Examples; see
    /// [`crate::io::scenario::examples`]).
    OpenExample(&'static str),
    /// Ask for a scenario file (the open dialog: a path field and Browse…), and open it.
    PickScenario,
    /// Ask for a map file (GeoJSON, TopoJSON), and add it as a layer.
    PickMapLayer,
    /// Ask for a map file and make it the only layer (instead of the embedded basemap).
    PickBasemapReplacement,
    /// Light or dark.
    SetTheme(crate::scene::style::ThemeKind),
    /// Draw the map in this projection (and fit it again).
    SetProjection(crate::geo_math::projection::ProjectionKind),
    /// How long contacts stay on the map, fading, after they end.
    SetTrail(jiff::SignedDuration),
    /// Fit the map to the scenario on the next frame.
    FitMap,
    /// Fold the map's legend away (`true`) or show it.
    FoldLegend(bool),
    /// Load a map file (GeoJSON, TopoJSON) in the background: a layer on top, or, with `replace`, the only
    /// layer.
    OpenMapFile {
        path: std::path::PathBuf,
        replace: bool,
    },
    /// Stop loading the map file being loaded.
    CancelMapLoad,
    /// Try again the file whose problems are shown (after fixing it).
    RetryProblemFile,
    /// Open the system's file dialog for the open dialog's purpose.
    BrowseForFile,
    /// Open the path typed in the open dialog.
    OpenTypedPath,
    /// Close the open dialog.
    CloseOpenDialog,
    /// Show this part of time on the time axis (zoomed, panned or fitted).
    SetAxisView(time_axis::AxisView),
    /// Ask where to write the export set up in the dialog, with the system's file dialog, and start it.
    PickExportPath,
    /// Start the export set up in the dialog, to the path in its File field.
    ExportToTypedPath,
    /// Start the export set up in the dialog, to this path (picked in the system's dialog).
    ExportTo(std::path::PathBuf),
    /// The analyst's decision on a machine-coded contact (File > Save keeps it in the scenario).
    Review(ContactId, crate::model::Review),
    /// Save the scenario to its file (JSON), or ask where when it has none or is TOML.
    Save,
    /// Ask where to save the scenario (File > Save As…).
    PickSaveAs,
    /// Save the scenario to this path (JSON).
    SaveAs(std::path::PathBuf),
    /// Ask for event files to import (File > Import…).
    PickImport,
    /// Import these event files on a background job: merged into the open scenario (`merge`, keeping
    /// its decisions and its own contacts), or opened as a new one.
    Import {
        paths: Vec<std::path::PathBuf>,
        merge: bool,
    },
    /// Set the as-of clock: show what had been reported by a moment, or by the clock's time (the replay
    /// of knowledge), or everything.
    SetAsOf(crate::model::as_of::AsOf),
    /// Mark what was reported after this moment as new (`None`: mark nothing).
    SetNewSince(Option<crate::model::as_of::NewSince>),
    /// Close the window.
    Quit,
}

/// Short time label in a zone: `Sat 31 Jan 18:00`.
/// How often [`background_spinner`] turns: ten frames a second.
pub const SPINNER_FRAME: std::time::Duration = std::time::Duration::from_millis(100);

/// A spinner for work under way on another thread (reading, saving, importing), drawn ten times a second
/// rather than in every frame as egui's own: the work wakes the window when it ends, and a window drawn on
/// the CPU (software OpenGL, a remote desktop) would otherwise spend a core of two drawing it while a
/// large file is read.
pub fn background_spinner(ui: &mut egui::Ui) {
    let size = ui.spacing().interact_size.y;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    if !ui.is_rect_visible(rect) {
        return;
    }
    ui.ctx().request_repaint_after(SPINNER_FRAME);
    let turns = (ui.input(|i| i.time) / SPINNER_FRAME.as_secs_f64()).floor() / 10.0;
    let start = turns * std::f64::consts::TAU;
    let radius = rect.height() * 0.5 - 2.0;
    let points: Vec<egui::Pos2> = (0..=16)
        .map(|i| {
            let angle = start + f64::from(i) / 16.0 * 240f64.to_radians();
            let (sin, cos) = angle.sin_cos();
            rect.center() + radius * egui::vec2(cos as f32, sin as f32)
        })
        .collect();
    ui.painter().add(egui::Shape::line(
        points,
        egui::Stroke::new(3.0, ui.visuals().strong_text_color()),
    ));
}

pub fn short_time(t: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    t.to_zoned_datetime(zone.clone())
        .strftime("%a %-d %b %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    /// The spinner of work under way asks for its next frame a tenth of a second later, not at once (as
    /// egui's own does): a window drawn on the CPU keeps its cores for the work.
    #[test]
    fn the_background_spinner_asks_for_ten_frames_a_second() {
        let ctx = egui::Context::default();
        // The delay asked for in a frame after the first ones (egui asks for more of those itself).
        let delay = |spin: fn(&mut egui::Ui)| {
            let mut last = std::time::Duration::MAX;
            for _ in 0..4 {
                let mut output = ctx.run_ui(egui::RawInput::default(), spin);
                output.textures_delta.clear();
                last = output.viewport_output[&egui::ViewportId::ROOT].repaint_delay;
            }
            last
        };
        assert_eq!(delay(super::background_spinner), super::SPINNER_FRAME);
        let egui_spinner: fn(&mut egui::Ui) = |ui| {
            ui.spinner();
        };
        assert_eq!(delay(egui_spinner), std::time::Duration::ZERO);
    }
}
