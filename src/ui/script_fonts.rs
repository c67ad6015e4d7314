//! The fonts a story's scripts need, in the window: once per document, the machine's fonts for scripts no
//! bundled font has are installed (the exports use them too, see [`crate::render::fonts`]), and the
//! scripts no font has are told in a note, with a font to install, instead of showing as boxes.

use std::sync::{Arc, Mutex};

use crate::job::Job;
use crate::model::Scenario;
use crate::render::fonts::{self, MissingScript};

pub use crate::render::fonts::scenario_texts;

/// What the window knows of a document's scripts.
#[derive(Clone, Debug, Default)]
struct ScriptState {
    missing: Vec<MissingScript>,
    dismissed: bool,
    /// The machine's fonts being listed and searched for the document's scripts: the window draws with
    /// the fonts it has meanwhile (listing them takes tens of milliseconds, more on a slow disk).
    searching: Option<Arc<Mutex<Job<bool>>>>,
}

fn state_id() -> egui::Id {
    egui::Id::unique("demarche-script-fonts")
}

/// Installs the fonts the scenario's scripts need and finds those no font has, for the note
/// ([`missing_fonts_ui`]). Called once per document (the app keeps which one it was called for). When
/// the machine's fonts must be looked at, that is done on another thread ([`poll_search`] takes the
/// fonts found, and says what is missing, when it ends).
pub fn fonts_for_scenario(ctx: &egui::Context, scenario: &Scenario) {
    let mut state = ScriptState::default();
    // The scenario's texts read once (on every core for a large story): what to look for, and whether
    // every character is drawn.
    let chars = fonts::glyph_chars(scenario);
    let wanted = fonts::wanted_of(chars.iter().copied());
    if !wanted.is_empty() && fonts::searches_machine() {
        let waker = ctx.clone();
        let job = Job::spawn(
            "fonts",
            Box::new(move || waker.request_repaint()),
            move |_| fonts::provide_chars(wanted),
        );
        match job {
            Ok(job) => state.searching = Some(Arc::new(Mutex::new(job))),
            Err(err) => {
                log::warn!("{err}: the machine's fonts are looked at now");
                state.missing = fonts::missing_after_search(scenario, &[]);
                crate::render::egui_painter::install_fonts(ctx);
            }
        }
    } else if !chars.iter().all(|&c| fonts::has(c)) {
        state.missing = fonts::missing_in(scenario, &[]);
    }
    ctx.data_mut(|d| d.insert_temp(state_id(), state));
}

/// Takes the search's result when it has ended: installs the fonts found and tells the scripts of
/// `scenario` still missing. Called each frame.
pub fn poll_search(ctx: &egui::Context, scenario: &Scenario) {
    let Some(search) = ctx
        .data(|d| d.get_temp::<ScriptState>(state_id()))
        .and_then(|s| s.searching)
    else {
        return;
    };
    let taken = search
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .try_take();
    let Some(result) = taken else {
        return;
    };
    match result {
        Ok(true) => crate::render::egui_painter::install_fonts(ctx),
        Ok(false) => {}
        Err(err) => log::warn!("{err}"),
    }
    let missing = fonts::missing_in(scenario, &[]);
    ctx.data_mut(|d| {
        let state = d.get_temp_mut_or_default::<ScriptState>(state_id());
        state.searching = None;
        state.missing = missing;
    });
    ctx.request_repaint();
}

/// Whether the machine's fonts are still being searched for the open document.
pub fn is_searching(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp::<ScriptState>(state_id()))
        .is_some_and(|s| s.searching.is_some())
}

/// The note on scripts no font has, at the top of the window, until dismissed.
pub fn missing_fonts_ui(ui: &mut egui::Ui) {
    let Some(state) = ui.ctx().data(|d| d.get_temp::<ScriptState>(state_id())) else {
        return;
    };
    if state.missing.is_empty() || state.dismissed {
        return;
    }
    egui::Panel::top("missing_fonts").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new("Fonts:").strong());
            for m in &state.missing {
                ui.label(m.to_string());
            }
            if ui.small_button("Dismiss").clicked() {
                ui.ctx().data_mut(|d| {
                    d.get_temp_mut_or_default::<ScriptState>(state_id())
                        .dismissed = true;
                });
            }
        });
    });
}
