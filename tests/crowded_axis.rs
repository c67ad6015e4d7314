//! The time axis with thousands of contacts in view: its markers are drawn as one mesh, kept from frame to
//! frame while the contacts and the look stay, and made again when a filter changes what is shown.

use std::sync::Arc;

use demarche::app::{DemarcheApp, Document};
use demarche::io::scenario::parse;
use demarche::synth::{SynthSize, scenario_json};
use demarche::ui::AppCommand;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// The meshes drawn on the time axis this frame.
fn axis_meshes(harness: &Harness<'static, DemarcheApp>) -> Vec<Arc<egui::epaint::Mesh>> {
    let axis = harness.get_by_label("Time").rect();
    harness
        .output()
        .shapes
        .iter()
        .filter(|c| axis.intersects(c.clip_rect))
        .filter_map(|c| match &c.shape {
            egui::Shape::Mesh(mesh) if !mesh.vertices.is_empty() => Some(Arc::clone(mesh)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_crowded_axis_keeps_its_markers_mesh_until_the_contacts_change() {
    let text = scenario_json(
        SynthSize {
            contacts: 20_000,
            actors: 60,
            venues: 40,
        },
        5,
    );
    let loaded = parse("crowded.json", &text).expect("valid");
    let mut harness = Harness::builder()
        .with_size([1600.0, 900.0])
        .build_eframe(move |_cc| {
            DemarcheApp::with_document(Document::new(loaded, None, b"crowded"))
        });
    harness.run();
    let first = axis_meshes(&harness);
    assert!(!first.is_empty(), "the markers are a mesh");
    let biggest = |meshes: &[Arc<egui::epaint::Mesh>]| {
        meshes
            .iter()
            .max_by_key(|m| m.vertices.len())
            .cloned()
            .expect("a mesh")
    };
    let markers = biggest(&first);
    assert!(
        markers.vertices.len() > 4_000,
        "thousands of markers' quads"
    );
    // The clock moves: the same mesh, not made again.
    let (start, end) = harness.state().clock.range();
    let middle = start + (end.duration_since(start) / 2);
    harness.state_mut().apply(vec![AppCommand::Time(
        demarche::playback::TimeCommand::SetTime(middle),
    )]);
    harness.run();
    assert!(
        axis_meshes(&harness)
            .iter()
            .any(|m| Arc::ptr_eq(m, &markers)),
        "kept between frames"
    );
    // A filter leaving out one kind: other contacts (thousands still), another mesh.
    let mut filter = demarche::model::Filter::default();
    let scenario = &harness.state().document.loaded.scenario;
    let mut kinds: Vec<_> = scenario.contacts.iter().map(|c| c.kind).collect();
    kinds.sort();
    kinds.dedup();
    filter.kinds.extend(kinds.iter().skip(1).copied());
    harness
        .state_mut()
        .apply(vec![AppCommand::SetFilter(filter)]);
    harness.run();
    let after = biggest(&axis_meshes(&harness));
    assert!(!Arc::ptr_eq(&after, &markers));
    assert_ne!(after.vertices.len(), markers.vertices.len());
}
