//! The fonts a story's scripts need, in the window: once per document, the machine's fonts for scripts no
//! bundled font has are installed (the exports use them too, see [`crate::render::fonts`]), and the
//! scripts no font has are told in a note, with a font to install, instead of showing as boxes.

use crate::model::Scenario;
use crate::render::fonts::{self, MissingScript};

/// The texts of a scenario that the window or an export may show, each with where it is.
pub fn scenario_texts(scenario: &Scenario) -> Vec<(String, &str)> {
    let mut texts: Vec<(String, &str)> = vec![
        ("the title".to_owned(), scenario.meta.title.as_str()),
        (
            "the description".to_owned(),
            scenario.meta.description.as_str(),
        ),
    ];
    for a in &scenario.actors {
        let place = format!("actor {}", a.name);
        for text in [&a.name, &a.role, &a.affiliation] {
            texts.push((place.clone(), text.as_str()));
        }
    }
    for v in &scenario.venues {
        let place = format!("venue {}", v.name);
        for text in [&v.name, &v.country] {
            texts.push((place.clone(), text.as_str()));
        }
    }
    for c in &scenario.contacts {
        let place = format!("contact {}", c.id);
        for text in [&c.title, &c.summary, &c.notes] {
            texts.push((place.clone(), text.as_str()));
        }
        for q in &c.quotes {
            texts.push((place.clone(), q.text.as_str()));
        }
        for cite in &c.sources {
            texts.push((place.clone(), cite.says.as_str()));
            texts.push((place.clone(), cite.attribution.as_str()));
        }
    }
    for s in &scenario.sources {
        let place = format!("source {}", s.id);
        for text in [&s.outlet, &s.title, &s.note] {
            texts.push((place.clone(), text.as_str()));
        }
    }
    texts
}

/// What the window knows of a document's scripts.
#[derive(Clone, Debug, Default)]
struct ScriptState {
    missing: Vec<MissingScript>,
    dismissed: bool,
}

fn state_id() -> egui::Id {
    egui::Id::unique("demarche-script-fonts")
}

/// Installs the fonts the scenario's scripts need and finds those no font has, for the note
/// ([`missing_fonts_ui`]). Called once per document (the app keeps which one it was called for).
pub fn fonts_for_scenario(ctx: &egui::Context, scenario: &Scenario) {
    let texts = scenario_texts(scenario);
    if fonts::provide_for(texts.iter().map(|(_, t)| *t)) {
        crate::render::egui_painter::install_fonts(ctx);
    }
    let missing = fonts::missing_scripts(texts, &fonts::has);
    ctx.data_mut(|d| {
        d.insert_temp(
            state_id(),
            ScriptState {
                missing,
                dismissed: false,
            },
        );
    });
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
