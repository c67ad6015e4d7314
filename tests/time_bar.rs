//! The time bar as a person reads and uses it: labels before their pickers, the date pinned at the axis's
//! left edge when zoomed in, and a marker's tooltip that never covers the clock.

mod support;

use demarche::app::{AppOptions, DemarcheApp};
use demarche::ui::AppCommand;
use demarche::ui::time_axis::AxisView;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use jiff::Timestamp;

fn harness() -> Harness<'static, DemarcheApp> {
    Harness::builder()
        .with_size([1366.0, 768.0])
        .build_eframe(|_cc| DemarcheApp::new(&AppOptions::default()))
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

/// The texts drawn this frame, with where they start.
fn drawn_texts(harness: &Harness<'static, DemarcheApp>) -> Vec<(String, egui::Pos2)> {
    fn walk(shape: &egui::Shape, out: &mut Vec<(String, egui::Pos2)>) {
        match shape {
            egui::Shape::Text(t) => out.push((t.galley.text().to_owned(), t.pos)),
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

#[test]
fn each_picker_of_the_time_bar_reads_label_first() {
    let mut harness = harness();
    harness.run();
    for name in ["Speed", "Time zone"] {
        let nodes: Vec<(Role, egui::Rect)> = harness
            .get_all(By::new().label(name).include_labels())
            .map(|n| (n.accesskit_node().role(), n.rect()))
            .collect();
        let label = nodes
            .iter()
            .find(|(role, _)| *role == Role::Label)
            .unwrap_or_else(|| panic!("a label {name}: {nodes:?}"));
        let picker = nodes
            .iter()
            .find(|(role, _)| *role != Role::Label)
            .unwrap_or_else(|| panic!("a picker labelled {name}: {nodes:?}"));
        assert!(
            label.1.right() <= picker.1.left() + 0.5,
            "{name}: the label ({:?}) reads before its picker ({:?})",
            label.1,
            picker.1
        );
    }
}

#[test]
fn zoomed_in_between_midnights_the_axis_still_says_which_day() {
    let mut harness = harness();
    harness.run();
    // Six hours of Saturday 31 Jan, UTC: no midnight in view.
    let view = AxisView {
        start_secs: ts("2026-01-31T06:00:00Z").as_second() as f64,
        span_secs: 6.0 * 3600.0,
    };
    harness
        .state_mut()
        .apply(vec![AppCommand::SetAxisView(view)]);
    harness.run();
    let axis = harness.get_by_label("Time").rect();
    let texts = drawn_texts(&harness);
    let pinned = texts
        .iter()
        .find(|(text, _)| text == "Sat 31 Jan")
        .unwrap_or_else(|| panic!("the day is named: {texts:?}"));
    assert!(
        (pinned.1.x - axis.left()).abs() < 8.0 && (pinned.1.y - axis.top()).abs() < 8.0,
        "at the axis's left edge: {:?} against {axis:?}",
        pinned.1
    );

    // Whole story: midnights are in view and label their days; the pinned label does not double them.
    let (start, end) = harness.state().clock.range();
    harness
        .state_mut()
        .apply(vec![AppCommand::SetAxisView(AxisView::fit(start, end))]);
    harness.run();
    let texts = drawn_texts(&harness);
    for day in ["Fri 30 Jan", "Sat 31 Jan", "Sun 1 Feb"] {
        let n = texts.iter().filter(|(t, _)| t == day).count();
        assert!(n <= 1, "{day} labelled {n} times");
    }
    assert!(texts.iter().any(|(t, _)| t == "Sat 31 Jan"));
}

#[test]
fn a_markers_tooltip_never_covers_the_clock() {
    let mut harness = harness();
    harness.run();
    let axis = harness.get_by_label("Time").rect();
    let clock = harness.get_by_label_contains("Jan 2026").rect();
    // Hover along the middle lanes until a marker's tooltip shows.
    let mut tooltip = None;
    'search: for lane in 0..7 {
        for step in 1..40 {
            let x = axis.left() + axis.width() * step as f32 / 40.0;
            let y = axis.top() + 30.0 + 9.0 * lane as f32 + 4.5;
            harness.hover_at(egui::pos2(x, y));
            harness.run();
            if let Some(node) = harness.query_by_label_contains("precision: ") {
                tooltip = Some(node.rect());
                break 'search;
            }
        }
    }
    let tooltip = tooltip.expect("a marker's tooltip showed");
    assert!(
        !tooltip.intersects(clock),
        "the tooltip {tooltip:?} covers the clock {clock:?}"
    );
    assert!(
        tooltip.top() >= axis.top() - 40.0,
        "beside the pointer, not above the axis: {tooltip:?} against {axis:?}"
    );
}

/// The circles drawn inside `rect` this frame.
fn circles_in(harness: &Harness<'static, DemarcheApp>, rect: egui::Rect) -> usize {
    fn walk(shape: &egui::Shape, rect: egui::Rect, n: &mut usize) {
        match shape {
            egui::Shape::Circle(c) if rect.contains(c.center) => *n += 1,
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, rect, n)),
            _ => {}
        }
    }
    let mut n = 0;
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, rect, &mut n);
    }
    n
}

#[test]
fn a_postponed_contact_has_a_clock_on_the_time_axis() {
    let mut harness = support::app::app_with_fonts([1366.0, 768.0], AppOptions::default());
    harness.run();
    let axis = harness.get_by_label("Time").rect();
    assert_eq!(
        circles_in(&harness, axis),
        0,
        "nothing is postponed in Ankara"
    );
    harness
        .state_mut()
        .apply(vec![AppCommand::OpenExample("oman-channel-2025.toml")]);
    harness.run();
    let postponed = harness
        .state()
        .document
        .loaded
        .scenario
        .contacts
        .iter()
        .filter(|c| c.status == demarche::model::Status::Postponed)
        .count();
    assert!(postponed > 0);
    let axis = harness.get_by_label("Time").rect();
    assert!(
        circles_in(&harness, axis) >= 1,
        "a clock by each postponed contact shown"
    );
}
