//! `demarche export` prepares the embedded basemap only around the one view it draws (issue 13, "Fast at
//! every size"): the picture must be the one drawn from the whole world prepared, as the window and the
//! library's tests prepare it.
//!
//! The two are compared pixel by pixel. They may differ by a level or two of antialiasing at a handful of
//! pixels: the borders shared with countries left out are the same arcs, simplified the same, but they can
//! be stored the other way round and drawn in another order, and tiny-skia's antialiased hairlines round a
//! little differently then. Anything more (a coast simplified differently, a country missing, a label
//! moved) changes whole runs of pixels by far more, and fails.

mod support;

use std::path::Path;

use demarche::basemap::embedded::Basemap;
use demarche::export::{FrameSpec, SnapshotFormat, Source, snapshot_bytes};
use demarche::geo_math::projection::ProjectionKind;
use demarche::io::scenario;
use support::fixtures::{decode_png, demarche, path_str, spec, text, ts};

const AT: &str = "2026-01-31T12:00:00Z";

/// The scenario (`None`: the embedded one) with the whole embedded world prepared for its projection.
fn whole_world_source(path: Option<&Path>, projection: ProjectionKind) -> Source {
    let (loaded, stamp) = match path {
        None => scenario::default_scenario_with_stamp(),
        Some(p) => scenario::read_file_with_stamp(p).expect("the story loads"),
    };
    let projection = projection.projection_for(&loaded.scenario);
    let mut basemap = Basemap::embedded().expect("embedded");
    Source {
        order: loaded.scenario.chronological(),
        basemap: basemap.prepared(projection).to_vec(),
        scenario: loaded.scenario,
        projection,
        stamp,
        new_since: None,
        replay: false,
    }
}

/// Pixels that differ at all, and the largest difference of a channel.
fn differences(a: &[u8], b: &[u8]) -> (usize, u8) {
    let mut count = 0;
    let mut largest = 0;
    for (p, q) in a.chunks(4).zip(b.chunks(4)) {
        let d = p
            .iter()
            .zip(q)
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap_or(0);
        if d > 0 {
            count += 1;
            largest = largest.max(d);
        }
    }
    (count, largest)
}

/// Exports with the command line (the one-view path) and draws the same picture from the whole world;
/// asserts they are the same but for a few pixels by a level or two.
fn same_picture(story: Option<&Path>, extra: &[&str], spec: &FrameSpec, kind: ProjectionKind) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.png");
    let size = format!("{}x{}", spec.size[0], spec.size[1]);
    let mut args = vec![
        "export",
        "--at",
        AT,
        "--size",
        &size,
        "--title",
        &spec.title,
    ];
    if let Some(s) = story {
        args.insert(1, path_str(s));
    }
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-o", path_str(&out)]);
    let run = demarche(&args);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let (w, h, one_view) = decode_png(&std::fs::read(&out).expect("written"));

    let source = whole_world_source(story, kind);
    let whole = snapshot_bytes(&source, spec, ts(AT), SnapshotFormat::Png).expect("drawn");
    let (w2, h2, whole) = decode_png(&whole);
    assert_eq!((w, h), (w2, h2));
    let (count, largest) = differences(&one_view, &whole);
    let pixels = (w * h) as usize;
    assert!(
        count <= pixels / 10_000 && largest <= 4,
        "{story:?} {extra:?}: {count} of {pixels} pixels differ, by up to {largest} levels"
    );
}

#[test]
fn the_export_of_one_view_is_the_picture_of_the_whole_world() {
    let mut s = spec(1920.0, 1080.0);
    same_picture(None, &[], &s, ProjectionKind::default());
    let stories = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios");
    for name in ["oman-channel-2025.toml", "eln-talks-2022-2023.toml"] {
        same_picture(
            Some(&stories.join(name)),
            &[],
            &spec(1280.0, 720.0),
            ProjectionKind::default(),
        );
    }
    // A view zoomed in (the 1:10m level), and the whole world in Web Mercator (the 1:50m level, every
    // country, across the antimeridian).
    s.view = demarche::export::View::Center {
        lon: 32.85,
        lat: 39.93,
        zoom: 6.0,
    };
    same_picture(
        None,
        &["--center", "32.85,39.93", "--zoom", "6"],
        &s,
        ProjectionKind::default(),
    );
    s.view = demarche::export::View::BBox([-180.0, -85.0, 180.0, 85.0]);
    same_picture(
        None,
        &["--bbox=-180,-85,180,85", "--projection", "web-mercator"],
        &s,
        ProjectionKind::WebMercator,
    );
}
