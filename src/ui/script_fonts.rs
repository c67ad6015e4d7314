//! The fonts a story's scripts need, in the window: once per document, the machine's fonts for scripts no
//! bundled font has are installed (the exports use them too, see [`crate::render::fonts`]), and the
//! scripts no font has are told in a note, with a font to install, instead of showing as boxes.

use crate::model::Scenario;
use crate::render::fonts::{self, MissingScript};

/// Where a text of a scenario is, told only for the texts whose script no font has (so that a story of
/// 100,000 contacts does not make a string for each of its texts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextPlace<'a> {
    Title,
    Description,
    Actor(&'a str),
    Venue(&'a str),
    Contact(&'a str),
    Source(&'a str),
}

impl std::fmt::Display for TextPlace<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Title => f.write_str("the title"),
            Self::Description => f.write_str("the description"),
            Self::Actor(name) => write!(f, "actor {name}"),
            Self::Venue(name) => write!(f, "venue {name}"),
            Self::Contact(id) => write!(f, "contact {id}"),
            Self::Source(id) => write!(f, "source {id}"),
        }
    }
}

/// The texts of a scenario that the window or an export may show, each with where it is, one at a time.
pub fn scenario_texts(scenario: &Scenario) -> impl Iterator<Item = (TextPlace<'_>, &str)> + '_ {
    let meta = [
        (TextPlace::Title, scenario.meta.title.as_str()),
        (TextPlace::Description, scenario.meta.description.as_str()),
    ];
    let actors = scenario.actors.iter().flat_map(|a| {
        [&a.name, &a.role, &a.affiliation].map(|t| (TextPlace::Actor(&a.name), t.as_str()))
    });
    let venues = scenario
        .venues
        .iter()
        .flat_map(|v| [&v.name, &v.country].map(|t| (TextPlace::Venue(&v.name), t.as_str())));
    let contacts = scenario.contacts.iter().flat_map(|c| {
        let place = TextPlace::Contact(&c.id);
        [&c.title, &c.summary, &c.notes]
            .map(|t| (place, t.as_str()))
            .into_iter()
            .chain(c.quotes.iter().map(move |q| (place, q.text.as_str())))
            .chain(c.sources.iter().flat_map(move |cite| {
                [
                    (place, cite.says.as_str()),
                    (place, cite.attribution.as_str()),
                ]
            }))
    });
    let sources = scenario.sources.iter().flat_map(|s| {
        [&s.outlet, &s.title, &s.note].map(|t| (TextPlace::Source(&s.id), t.as_str()))
    });
    meta.into_iter()
        .chain(actors)
        .chain(venues)
        .chain(contacts)
        .chain(sources)
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
    if fonts::provide_for(scenario_texts(scenario).map(|(_, t)| t)) {
        crate::render::egui_painter::install_fonts(ctx);
    }
    let missing = fonts::missing_scripts(scenario_texts(scenario), &fonts::has);
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
