//! A machine-coded contact's provenance in the details panel, with the analyst's Accept and Reject.
//! The decision is a command ([`AppCommand::Review`]) the app applies after the frame; it is saved with
//! the scenario (File > Save).

use egui::{RichText, Ui};

use super::AppCommand;
use crate::model::{ContactId, Named as _, Review, Scenario};

/// Where the contact comes from (dataset, rows, first report, sources, tone) and the review buttons;
/// nothing for the analyst's own contact.
pub fn provenance_ui(
    ui: &mut Ui,
    scenario: &Scenario,
    id: ContactId,
    commands: &mut Vec<AppCommand>,
) {
    let Some(p) = scenario.contact(id).provenance.as_deref() else {
        return;
    };
    ui.add_space(6.0);
    ui.label(RichText::new("Provenance").strong());
    let review_text = match p.review {
        Review::Candidate => "Candidate: machine-coded, not reviewed. A lead, not a fact.",
        Review::Accepted => "Accepted by the analyst.",
        Review::Rejected => "Rejected by the analyst (hidden unless the Review filter shows it).",
    };
    ui.label(
        RichText::new(review_text).color(if p.review == Review::Candidate {
            ui.visuals().warn_fg_color
        } else {
            ui.visuals().text_color()
        }),
    );
    egui::Grid::new("provenance")
        .num_columns(2)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            ui.label("Dataset");
            ui.label(&p.dataset);
            ui.end_row();
            ui.label(if p.rows.len() == 1 { "Row" } else { "Rows" });
            ui.label(rows_label(&p.rows));
            ui.end_row();
            ui.label("First report");
            ui.label(p.first_reported.map_or_else(
                || "not given".to_owned(),
                |t| t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            ));
            ui.end_row();
            ui.label("Sources");
            ui.label(
                p.sources
                    .map_or_else(|| "not given".to_owned(), |n| n.to_string()),
            );
            ui.end_row();
            ui.label("Tone");
            ui.label(
                p.tone
                    .map_or_else(|| "not given".to_owned(), |t| format!("{t:+.2}")),
            );
            ui.end_row();
        });
    ui.horizontal(|ui| {
        let accept = ui
            .add_enabled(p.review != Review::Accepted, egui::Button::new("Accept"))
            .on_hover_text("Keep it: it is drawn like your own contacts");
        if accept.clicked() {
            commands.push(AppCommand::Review(id, Review::Accepted));
        }
        let reject = ui
            .add_enabled(p.review != Review::Rejected, egui::Button::new("Reject"))
            .on_hover_text("Judge it wrong: it is hidden, and a re-import does not bring it back");
        if reject.clicked() {
            commands.push(AppCommand::Review(id, Review::Rejected));
        }
        if p.review != Review::Candidate
            && ui
                .button("Undo review")
                .on_hover_text("Make it a candidate again")
                .clicked()
        {
            commands.push(AppCommand::Review(id, Review::Candidate));
        }
    });
    ui.weak(format!("review: {}", p.review.label()));
}

/// The row ids, the first few and how many more.
fn rows_label(rows: &[String]) -> String {
    const SHOWN: usize = 6;
    let mut text = rows
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if rows.len() > SHOWN {
        text.push_str(&format!(" and {} more", rows.len() - SHOWN));
    }
    text
}
