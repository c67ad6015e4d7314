//! Uncertainty on the time axis, as on the map: a marker fades with the grade of its best source (in a
//! story where some source is graded), and a disputed contact has its "!" after its marker (and in its
//! row of the list).

mod support;

use std::path::{Path, PathBuf};

use demarche::app::{AppOptions, DemarcheApp};
use demarche::ui::AppCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn oman_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/oman-channel-2025.toml")
}

fn harness_on(path: Option<&Path>) -> Harness<'static, DemarcheApp> {
    let options = AppOptions {
        scenario: path.map(Path::to_path_buf),
        ..AppOptions::default()
    };
    let mut harness = support::app::app_with_fonts([1366.0, 900.0], options);
    harness.run();
    // The whole story on the axis.
    let (start, end) = harness.state().clock.range();
    harness.state_mut().apply(vec![AppCommand::SetAxisView(
        demarche::ui::time_axis::AxisView::fit(start, end),
    )]);
    harness.run();
    harness
}

/// The filled rectangles drawn on the time axis: (rect corners rounded to the point, fill).
fn axis_rects(harness: &Harness<'static, DemarcheApp>) -> Vec<([i32; 4], egui::Color32)> {
    fn walk(shape: &egui::Shape, out: &mut Vec<(egui::Rect, egui::Color32)>) {
        match shape {
            egui::Shape::Rect(r) => out.push((r.rect, r.fill)),
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let axis = harness.get_by_label("Time").rect();
    let mut all = Vec::new();
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, &mut all);
    }
    all.into_iter()
        .filter(|(r, fill)| axis.contains_rect(*r) && *r != axis && fill.a() > 0)
        .map(|(r, fill)| {
            (
                [r.min.x, r.min.y, r.max.x, r.max.y].map(|v| v.round() as i32),
                fill,
            )
        })
        .collect()
}

/// The "!" marks: bars 2 points wide in the strong text colour.
fn exclamations(harness: &Harness<'static, DemarcheApp>) -> usize {
    let ink = harness.ctx.global_style().visuals.strong_text_color();
    axis_rects(harness)
        .iter()
        .filter(|([x0, _, x1, _], fill)| x1 - x0 == 2 && *fill == ink)
        .count()
}

#[test]
fn a_disputed_contact_has_its_mark_on_the_axis() {
    let harness = harness_on(Some(&oman_path()));
    let scenario = &harness.state().shown().loaded.scenario;
    let disputed = harness
        .state()
        .visible()
        .iter()
        .filter(|&&id| scenario.contact(id).dispute().any())
        .count();
    assert!(disputed >= 1, "round 4's accounts differ");
    // A bar and a dot each.
    assert_eq!(exclamations(&harness), 2 * disputed);
    // And the list says so on their rows.
    assert_eq!(harness.get_all_by_label("!").count(), disputed);
    // None where nothing is disputed.
    let plain = harness_on(None);
    assert_eq!(exclamations(&plain), 0);
}

#[test]
fn markers_fade_with_their_best_source_grade() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ungraded = demarche::io::scenario::load(&oman_path())
        .expect("loads")
        .scenario;
    for source in &mut ungraded.sources {
        source.grade = None;
    }
    let path = dir.path().join("oman-ungraded.json");
    std::fs::write(&path, demarche::io::scenario::write::to_json(&ungraded)).expect("write");
    let graded = harness_on(Some(&oman_path()));
    let plain = harness_on(Some(&path));
    let plain_rects = axis_rects(&plain);
    let mut fainter = 0;
    let mut same = 0;
    for (rect, fill) in axis_rects(&graded) {
        let Some((_, before)) = plain_rects.iter().find(|(r, _)| *r == rect) else {
            continue;
        };
        assert!(
            fill.a() <= before.a(),
            "a grade never makes a marker stronger"
        );
        if fill.a() < before.a() {
            fainter += 1;
        } else {
            same += 1;
        }
    }
    assert!(fainter > 0, "the poorly sourced contacts fade");
    assert!(same > 0, "the well sourced ones (B) do not");
}
