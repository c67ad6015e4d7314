//! Texts from a scenario in the panels, in any script: a paragraph that runs right to left (Persian,
//! Arabic, Hebrew) wraps line by line in reading order, and screen readers get it as written.
//!
//! egui's widgets lay out one string left to right and wrap it themselves; given a right-to-left
//! paragraph already put in visual order, they would show a wrapping paragraph's last line first. Here
//! the text is broken into lines first and each line is reordered on its own
//! ([`crate::render::text::wrapped_lines`]); the lines of a right-to-left paragraph hug the right edge.
//! Text with nothing right to left goes to egui's own widgets unchanged.

use egui::{Align, FontSelection, Response, RichText, Sense, Ui, WidgetInfo, WidgetText};

use crate::render::bidi;
use crate::render::text::wrapped_lines;

/// A label showing `text` (which may run right to left), wrapped at the width the panel gives when the
/// panel wraps; screen readers and tests find it by the text as written.
pub fn script_label(ui: &mut Ui, text: impl Into<RichText>) -> Response {
    let rich: RichText = text.into();
    if !bidi::has_rtl(rich.text()) {
        return ui.label(rich);
    }
    let logical = rich.text().to_owned();
    let job =
        WidgetText::from(rich).into_layout_job(ui.style(), FontSelection::Default, Align::Center);
    let Some(format) = job.sections.first().map(|s| s.format.clone()) else {
        return ui.label(logical);
    };
    let available = ui.available_width();
    let width = if ui.wrap_mode() == egui::TextWrapMode::Wrap {
        available
    } else {
        f32::INFINITY
    };
    let lines = ui.fonts_mut(|fonts| wrapped_lines(fonts, &logical, &format, width));
    let widest = lines
        .iter()
        .map(|l| l.galley.size().x)
        .fold(0.0_f32, f32::max);
    // A right-to-left paragraph that wraps takes the whole width, its lines against the right edge.
    let wraps_rtl = lines.len() > 1 && lines.iter().any(|l| l.rtl) && width.is_finite();
    let size = egui::vec2(
        if wraps_rtl {
            available.max(widest)
        } else {
            widest
        },
        lines.iter().map(|l| l.galley.size().y).sum(),
    );
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    if ui.is_rect_visible(rect) {
        let fallback = ui.visuals().text_color();
        let mut y = rect.top();
        for line in lines {
            let x = if line.rtl {
                rect.right() - line.galley.size().x
            } else {
                rect.left()
            };
            let height = line.galley.size().y;
            ui.painter().galley(egui::pos2(x, y), line.galley, fallback);
            y += height;
        }
    }
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), &logical));
    response
}

/// Gives screen readers `logical`, the text as written, for a widget (a button, a link) that shows it in
/// visual order ([`crate::render::bidi::display_order`]).
pub fn tell_as_written(ui: &Ui, response: &Response, logical: &str) {
    if !bidi::has_rtl(logical) {
        return;
    }
    ui.ctx().accesskit_node_builder(response.id, |node| {
        if node.role() == egui::Role::Label {
            node.set_value(logical);
        } else {
            node.set_label(logical);
        }
    });
}
