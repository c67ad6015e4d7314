//! A fitted export frames the story clear of its own decorations: the title, the legend, the scale bar and
//! the credit (with the stamp) never sit on a venue where something is held, nor on its name, whatever the
//! picture's size and wherever the user puts the title and the legend (or hides them).

mod support;

use demarche::basemap::embedded::Basemap;
use demarche::export::layout::{Block, Box2};
use demarche::export::{FrameSpec, Layout, Place, Source, Spot, scene_and_decorations};
use demarche::geo_math::projection::ProjectionKind;
use demarche::io::scenario::examples::EXAMPLES;
use demarche::scene::labels::item_box;
use demarche::scene::places::Places;
use demarche::scene::{Item, view};
use jiff::Timestamp;

fn source(example: &demarche::io::scenario::examples::Example) -> Source {
    let (loaded, stamp) = example.load().expect("valid");
    let projection = ProjectionKind::RegionalConic.projection_for(&loaded.scenario);
    let mut basemap = Basemap::embedded().expect("embedded");
    Source {
        order: loaded.scenario.chronological(),
        stamp,
        basemap: basemap.prepared(projection).to_vec(),
        scenario: loaded.scenario,
        projection,
        new_since: None,
        replay: false,
    }
}

/// The start, the middle and the end of the story.
fn key_times(source: &Source) -> Vec<Timestamp> {
    let (start, end) = source.scenario.time_extent().expect("contacts");
    let half = end.duration_since(start) / 2;
    vec![start, start + half, end]
}

fn overlaps(a: &Box2, b: &Box2) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

fn layouts() -> Vec<(&'static str, Layout)> {
    vec![
        ("default", Layout::default()),
        (
            "--title-at top-left --legend-at top-right",
            Layout {
                title: Place::At(Spot::TopLeft),
                legend: Place::At(Spot::TopRight),
                ..Layout::default()
            },
        ),
        (
            "--title-at bottom-left --legend-at left",
            Layout {
                title: Place::At(Spot::BottomLeft),
                legend: Place::At(Spot::Left),
                ..Layout::default()
            },
        ),
        (
            "--no-title",
            Layout {
                title: Place::Hidden,
                ..Layout::default()
            },
        ),
        (
            "--no-legend --no-stamp",
            Layout {
                legend: Place::Hidden,
                stamp: false,
                ..Layout::default()
            },
        ),
    ]
}

/// Every decoration box of the picture, and the held-at venues' dots and names: none meets another.
fn check(source: &Source, spec: &FrameSpec, what: &str) -> usize {
    let camera = spec.camera(source).expect("a camera");
    let places = Places::new(&source.scenario, &source.projection, &camera);
    let held: Vec<_> = view::framed_venues(&source.scenario, None)
        .into_iter()
        .filter(|(_, need)| *need == view::Need::Always)
        .map(|(v, _)| v)
        .collect();
    let mut typesetter = spec.typesetter();
    let mut checked = 0;
    for t in key_times(source) {
        let (scene, boxes) = scene_and_decorations(source, spec, &camera, t, None, &mut typesetter);
        assert!(
            boxes.iter().any(|(b, _)| *b == Block::Credit),
            "{what}: decorations placed"
        );
        let venues = scene.layer("venues").expect("venues");
        for &v in &held {
            let name = &source.scenario.venue(v).name;
            let placed = places.venue(v).expect("a held-at venue is placed");
            if placed.toward.is_some() {
                // Framed inside at any size (tests/stories.rs); here only what is in view matters.
                continue;
            }
            let dot = [
                placed.at[0] - 5.0,
                placed.at[1] - 5.0,
                placed.at[0] + 5.0,
                placed.at[1] + 5.0,
            ];
            let label = venues.items.iter().find_map(|i| match i {
                Item::Text { text, .. } if text == name => item_box(i),
                _ => None,
            });
            for (block, b) in &boxes {
                assert!(
                    !overlaps(&dot, b),
                    "{what} at {t}: the {block:?} at {b:?} covers {name} at {:?}",
                    placed.at
                );
                if let Some(l) = label {
                    assert!(
                        !overlaps(&l, b),
                        "{what} at {t}: the {block:?} at {b:?} covers the name of {name} ({l:?})"
                    );
                }
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn a_fitted_export_keeps_its_decorations_off_the_venues_where_things_are_held() {
    let mut checked = 0;
    for example in EXAMPLES {
        let source = source(example);
        for (w, h) in [
            (800.0_f32, 600.0_f32),
            (1280.0, 720.0),
            (1920.0, 1080.0),
            (3840.0, 2160.0),
        ] {
            for (name, layout) in layouts() {
                let spec = FrameSpec {
                    layout,
                    title: source.scenario.meta.title.clone(),
                    ..support::fixtures::spec(w, h)
                };
                let what = format!("{} at {w}x{h} with {name}", example.file_name);
                checked += check(&source, &spec, &what);
            }
        }
    }
    assert!(checked > 100, "only {checked} venues checked");
}

/// Edge markers (with their names and badges) keep clear of the decorations too, wherever the user puts
/// them: with `--title-at top-left`, the default story's Washington marker slid under the title.
#[test]
fn edge_markers_keep_clear_of_the_decorations_wherever_they_are() {
    use demarche::scene::places::{VenuePlaces, marker_room};
    let mut markers = 0;
    for example in EXAMPLES {
        let source = source(example);
        for (w, h) in [(800.0_f32, 600.0_f32), (1280.0, 720.0), (1920.0, 1080.0)] {
            for (name, layout) in layouts() {
                let spec = FrameSpec {
                    layout,
                    title: source.scenario.meta.title.clone(),
                    ..support::fixtures::spec(w, h)
                };
                let camera = spec.camera(&source).expect("a camera");
                let mut typesetter = spec.typesetter();
                for t in key_times(&source) {
                    let (_, boxes) =
                        scene_and_decorations(&source, &spec, &camera, t, None, &mut typesetter);
                    let reserved: Vec<Box2> = boxes.iter().map(|(_, b)| *b).collect();
                    let mut cache = VenuePlaces::reserving(&reserved);
                    let places = Places::new_cached(
                        &source.scenario,
                        &source.projection,
                        &camera,
                        &mut cache,
                    );
                    for (i, venue) in source.scenario.venues.iter().enumerate() {
                        let id = demarche::model::VenueId(i as u32);
                        let Some(placed) = places.venue(id) else {
                            continue;
                        };
                        let Some(toward) = placed.toward else {
                            continue;
                        };
                        let room = marker_room(placed.at, toward, &venue.name);
                        for (block, b) in &boxes {
                            assert!(
                                !overlaps(&room, b),
                                "{} at {w}x{h} with {name} at {t}: the {block:?} at {b:?} covers the \
                                 edge marker of {} ({room:?})",
                                example.file_name,
                                venue.name
                            );
                        }
                        markers += 1;
                    }
                }
            }
        }
    }
    assert!(markers > 20, "only {markers} edge markers checked");
}
