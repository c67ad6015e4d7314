//! The search box and the filters by kind, status, country and actor. The list, the map and the timeline
//! show the contacts that pass.

use std::collections::BTreeSet;

use egui::Ui;

use super::AppCommand;
use crate::basemap::countries::CountryNames;
use crate::model::contact_index::ContactIndex;
use crate::model::{ContactKind, Filter, Grade, Named as _, Origin, Scenario, Status};

/// What the list holds under the filter, as the app counted it when it last filtered (not in every frame:
/// a large story has a million contacts to count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilterCounts {
    /// The contacts that pass.
    pub shown: usize,
    /// The rejected candidates hidden because no review filter is set.
    pub rejected_hidden: usize,
    /// A search typed but not applied yet (a large story is searched once typing pauses).
    pub searching: bool,
}

/// Draws the search box and the filters; a change pushes [`AppCommand::SetFilter`] with the new filter.
/// The kinds, statuses and disputes offered come from `index` (made once per scenario) when given, else
/// from reading every contact.
pub fn filter_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    index: Option<&ContactIndex>,
    filter: &Filter,
    counts: FilterCounts,
    commands: &mut Vec<AppCommand>,
) {
    let index = index.filter(|i| i.fits(scenario));
    let mut next = filter.clone();
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        let search = egui::TextEdit::singleline(&mut next.text)
            .hint_text("words in titles, names, places, quotes")
            .desired_width((ui.available_width() - 60.0).max(80.0));
        ui.add(search).labelled_by(label.id);
        if ui
            .add_enabled(!filter.is_empty(), egui::Button::new("Clear"))
            .on_hover_text("Show every contact")
            .clicked()
        {
            next = Filter::default();
        }
    });
    let title = match filter.active_count() {
        0 => "Filters".to_owned(),
        n => format!("Filters ({n})"),
    };
    egui::CollapsingHeader::new(title)
        .id_salt("filters")
        .show(ui, |ui| {
            let (kinds, statuses) = match index {
                Some(index) => (index.kinds().to_vec(), index.statuses().to_vec()),
                None => {
                    let mut kinds: Vec<ContactKind> =
                        scenario.contacts.iter().map(|c| c.kind).collect();
                    kinds.sort();
                    kinds.dedup();
                    let mut statuses: Vec<Status> =
                        scenario.contacts.iter().map(|c| c.status).collect();
                    statuses.sort();
                    statuses.dedup();
                    (kinds, statuses)
                }
            };
            set_ui(ui, "Kind", &kinds, &mut next.kinds, |k| {
                k.label().to_owned()
            });
            set_ui(ui, "Status", &statuses, &mut next.statuses, |s| {
                s.label().to_owned()
            });
            let machine_coded = match index {
                Some(index) => !index.machine_coded().is_empty(),
                None => scenario.contacts.iter().any(|c| c.provenance.is_some()),
            };
            if machine_coded {
                // Rejected contacts are hidden until asked for: with nothing chosen, all but them.
                set_ui(ui, "Review", &Origin::ALL, &mut next.origins, |o| {
                    o.label().to_owned()
                });
            }
            evidence_ui(ui, scenario, index, &mut next);
            let mut countries: Vec<String> = scenario
                .actors
                .iter()
                .map(|a| a.affiliation.clone())
                .chain(scenario.venues.iter().map(|v| v.country.clone()))
                .filter(|c| !c.is_empty())
                .collect();
            countries.sort();
            countries.dedup();
            // By name, as the scenario spells it (`TR` is "Türkiye" where the story says so).
            let names = CountryNames::of(scenario);
            countries.sort_by_cached_key(|c| names.name(c));
            set_ui(ui, "Country", &countries, &mut next.countries, |c| {
                names.name(c)
            });
            let mut actors: Vec<(String, String)> = scenario
                .actors
                .iter()
                .map(|a| (a.name.clone(), a.id.clone()))
                .collect();
            actors.sort();
            let ids: Vec<String> = actors.iter().map(|(_, id)| id.clone()).collect();
            set_ui(ui, "Actor", &ids, &mut next.actors, |id| {
                actors
                    .iter()
                    .find(|(_, a)| a == id)
                    .map_or_else(|| id.clone(), |(name, _)| name.clone())
            });
        });
    let FilterCounts {
        shown,
        rejected_hidden,
        searching,
    } = counts;
    if searching {
        ui.weak("Searching when you pause typing…");
    } else if shown < scenario.contacts.len() {
        let rejected = if rejected_hidden > 0 {
            format!(" ({rejected_hidden} rejected hidden)")
        } else {
            String::new()
        };
        ui.weak(format!(
            "Showing {shown} of {} contacts{rejected}",
            scenario.contacts.len()
        ));
    }
    if next != *filter {
        commands.push(AppCommand::SetFilter(next));
    }
}

/// The thresholds offered for the grade filter ("B2 or better"), best first.
const GRADE_FLOORS: [(char, u8); 6] = [('A', 1), ('A', 2), ('B', 2), ('C', 3), ('D', 4), ('E', 5)];

/// The grade threshold, when some source is graded, and "Disputed only", when some contact is disputed
/// (or the filter already asks for either, so that it can be undone).
fn evidence_ui(ui: &mut Ui, scenario: &Scenario, index: Option<&ContactIndex>, next: &mut Filter) {
    let graded = scenario.sources.iter().any(|s| s.grade.is_some());
    if graded || next.grade_at_least.is_some() {
        ui.horizontal(|ui| {
            let label = ui.label(egui::RichText::new("Grade").small().strong());
            let shown = next
                .grade_at_least
                .map_or_else(|| "any".to_owned(), |g| format!("{g} or better"));
            egui::ComboBox::from_id_salt("filter-grade")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut next.grade_at_least, None, "any");
                    for (r, c) in GRADE_FLOORS {
                        let Some(grade) = Grade::new(r, c) else {
                            continue;
                        };
                        ui.selectable_value(
                            &mut next.grade_at_least,
                            Some(grade),
                            format!("{grade} or better"),
                        )
                        .on_hover_text(grade.meaning());
                    }
                })
                .response
                .labelled_by(label.id)
                .on_hover_text(
                    "Only contacts shown by a source graded this well or better on both scales",
                );
        });
    }
    let disputed = match index {
        Some(index) => index.any_disputed(),
        None => scenario.contacts.iter().any(|c| c.dispute().any()),
    };
    if disputed || next.disputed_only {
        ui.checkbox(&mut next.disputed_only, "Disputed only")
            .on_hover_text("Only contacts whose accounts disagree");
    }
}

/// A row of toggles, one per value: a value is in the set when its toggle is on.
fn set_ui<T: Ord + Clone>(
    ui: &mut Ui,
    title: &str,
    values: &[T],
    set: &mut BTreeSet<T>,
    label: impl Fn(&T) -> String,
) {
    ui.label(egui::RichText::new(title).small().strong());
    ui.horizontal_wrapped(|ui| {
        for value in values {
            let mut on = set.contains(value);
            if ui.toggle_value(&mut on, label(value)).changed() {
                if on {
                    set.insert(value.clone());
                } else {
                    set.remove(value);
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    use super::*;

    /// The country filter lists countries by name, as the scenario spells them, not by ISO code; a toggle
    /// filters by the code.
    #[test]
    fn the_country_filter_lists_names_not_codes() {
        let scenario = crate::io::scenario::default_scenario().scenario;
        let mut harness = Harness::builder().with_size([900.0, 700.0]).build_ui_state(
            |ui, (filter, commands): &mut (Filter, Vec<AppCommand>)| {
                filter_ui(
                    ui,
                    &scenario,
                    None,
                    filter,
                    FilterCounts::default(),
                    commands,
                );
            },
            (Filter::default(), Vec::new()),
        );
        harness.get_by_label("Filters").click();
        harness.run();
        for name in [
            "Türkiye",
            "Iran",
            "Qatar",
            "Egypt",
            "United States of America",
        ] {
            harness.get_by_label(name);
        }
        for code in ["TR", "IR", "QA", "EG", "US"] {
            assert!(
                harness.query_by_label(code).is_none(),
                "{code} shown as a code"
            );
        }
        harness.get_by_label("Türkiye").click();
        harness.run();
        let (_, commands) = harness.state();
        assert!(
            commands.iter().any(|c| matches!(
                c,
                AppCommand::SetFilter(f) if f.countries.contains("TR")
            )),
            "{commands:?}"
        );
    }
}
