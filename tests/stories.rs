//! The example stories (`data/scenarios/`, File > Examples): each loads cleanly, keeps its sources and its
//! vagueness, names people and places in their own scripts, exports at its key moments, and opens from the
//! window's menu.

mod support;

use demarche::app::{AppOptions, DemarcheApp};
use demarche::basemap::embedded::Basemap;
use demarche::export::{SnapshotFormat, Source, snapshot_bytes};
use demarche::io::scenario::examples::{EXAMPLES, Example, find};
use demarche::model::time::Precision;
use demarche::model::{Place, Scenario, Status};
use demarche::scene::view;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use support::fixtures::{decode_png, demarche, path_str, spec, text, ts};

/// The stories added beside the default, with two moments worth a picture each, and names that must appear
/// in their own scripts among the actors' and venues' names.
struct Story {
    file_name: &'static str,
    key_times: [&'static str; 2],
    own_script_names: &'static [&'static str],
}

const STORIES: &[Story] = &[
    Story {
        file_name: "oman-channel-2025.toml",
        // Round 2 in Rome; the day the postponed round 4 was to be held in Rome.
        key_times: ["2025-04-19T12:00:00Z", "2025-05-03T12:00:00Z"],
        own_script_names: &[
            "عباس عراقچی",
            "بدر البوسعيدي",
            "اسماعیل بقائی",
            "مسقط",
            "تهران",
            "Roma",
            "Москва",
        ],
    },
    Story {
        file_name: "eln-talks-2022-2023.toml",
        // The first cycle in Caracas; the ceasefire signed in Havana.
        key_times: ["2022-11-25T18:00:00Z", "2023-06-09T18:00:00Z"],
        own_script_names: &[
            "Bogotá",
            "La Habana",
            "Ciudad de México",
            "Otty Patiño",
            "Pablo Beltrán",
            "Álvaro Leyva",
            "Governo do Brasil",
        ],
    },
];

fn example(file_name: &str) -> &'static Example {
    find(file_name).unwrap_or_else(|| panic!("{file_name} is not among the examples"))
}

fn scenario(file_name: &str) -> Scenario {
    let (loaded, _) = example(file_name)
        .load()
        .unwrap_or_else(|r| panic!("{file_name}:\n{}", r.to_lines().join("\n")));
    loaded.scenario
}

fn manifest_path(file_name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/scenarios")
        .join(file_name)
}

#[test]
fn at_least_two_stories_besides_the_default_are_shipped() {
    assert!(EXAMPLES.len() >= 3, "{} examples", EXAMPLES.len());
    for story in STORIES {
        example(story.file_name);
    }
}

#[test]
fn every_example_loads_without_errors_or_warnings() {
    for example in EXAMPLES {
        match example.load() {
            Ok((loaded, _)) => assert!(
                loaded.report.diagnostics.is_empty(),
                "{}: {:?}",
                example.file_name,
                loaded.report.to_lines()
            ),
            Err(report) => panic!("{}:\n{}", example.file_name, report.to_lines().join("\n")),
        }
    }
}

#[test]
fn the_files_in_data_scenarios_are_the_embedded_examples_and_pass_demarche_check() {
    for example in EXAMPLES {
        let path = manifest_path(example.file_name);
        let on_disk = std::fs::read_to_string(&path).expect("the file is in data/scenarios");
        assert_eq!(on_disk, example.text, "{}", example.file_name);
        let run = demarche(&["check", path_str(&path)]);
        let out = text(&run.stdout) + &text(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "{out}");
        assert!(out.contains("valid"), "{out}");
        assert!(!out.contains("warning"), "{out}");
    }
}

#[test]
fn every_contact_of_every_example_is_at_named_venues_and_cites_its_sources() {
    for example in EXAMPLES {
        let s = scenario(example.file_name);
        let named = |v| !s.venue(v).name.trim().is_empty();
        for contact in &s.contacts {
            let at = format!("{}: {}", example.file_name, contact.id);
            match contact.place {
                Place::None => {}
                Place::At(v) => assert!(named(v), "{at}"),
                Place::Route { from, to, .. } => assert!(named(from) && named(to), "{at}"),
            }
            assert!(!contact.sources.is_empty(), "{at} cites no source");
        }
    }
}

#[test]
fn the_stories_sources_say_who_published_what_and_where() {
    for story in STORIES {
        let s = scenario(story.file_name);
        assert!(s.sources.len() >= 3, "{}", story.file_name);
        for source in &s.sources {
            let at = format!("{}: {}", story.file_name, source.id);
            assert!(!source.outlet.trim().is_empty(), "{at}: no outlet");
            let url = source.url.as_deref().unwrap_or("");
            assert!(url.starts_with("http"), "{at}: no address");
            // A source without a headline or a date says why in its note.
            if source.title.is_empty() || source.published.is_none() {
                assert!(
                    !source.note.is_empty(),
                    "{at}: what is missing is not explained"
                );
            }
        }
        // Every source is cited by some contact.
        for (i, source) in s.sources.iter().enumerate() {
            let cited = s
                .contacts
                .iter()
                .flat_map(|c| &c.sources)
                .any(|c| c.source.0 as usize == i);
            assert!(cited, "{}: {} is never cited", story.file_name, source.id);
        }
    }
}

#[test]
fn the_stories_keep_the_vagueness_of_their_reports() {
    for story in STORIES {
        let s = scenario(story.file_name);
        // The reports give days, not hours: no contact is pinned to an exact instant.
        for contact in &s.contacts {
            assert_ne!(
                contact.time.precision(),
                Precision::Instant,
                "{}: {} has an hour no report gives",
                story.file_name,
                contact.id
            );
        }
        // A round put off is recorded as postponed, at the time it was to be held.
        assert!(
            s.contacts.iter().any(|c| c.status == Status::Postponed),
            "{}: no postponed contact",
            story.file_name
        );
    }
}

#[test]
fn the_stories_name_people_and_places_in_their_own_scripts() {
    for story in STORIES {
        let s = scenario(story.file_name);
        let names: Vec<&str> = s
            .actors
            .iter()
            .map(|a| a.name.as_str())
            .chain(s.venues.iter().map(|v| v.name.as_str()))
            .collect();
        for wanted in story.own_script_names {
            assert!(
                names.iter().any(|n| n.contains(wanted)),
                "{}: no name contains {wanted}",
                story.file_name
            );
        }
    }
    // The Gulf story writes Arabic, Persian (letters Arabic lacks, such as چ) and Cyrillic.
    let s = scenario("oman-channel-2025.toml");
    let all: String = s.actors.iter().map(|a| a.name.as_str()).collect();
    assert!(all.contains('چ') && all.contains('ی'), "Persian letters");
    let venues: String = s.venues.iter().map(|v| v.name.as_str()).collect();
    assert!(
        venues
            .chars()
            .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    );
}

/// The story as `demarche export` draws it: the embedded basemap, the export's projection.
fn export_source(file_name: &str) -> Source {
    let example = example(file_name);
    let (loaded, stamp) = example.load().expect("valid");
    let projection = demarche::geo_math::projection::ProjectionKind::RegionalConic
        .projection_for(&loaded.scenario);
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

#[test]
fn each_story_exports_png_and_svg_at_its_key_times() {
    for story in STORIES {
        let source = export_source(story.file_name);
        let spec = spec(640.0, 360.0);
        let mut pngs = Vec::new();
        for time in story.key_times {
            let at = ts(time);
            let png = snapshot_bytes(&source, &spec, at, SnapshotFormat::Png)
                .unwrap_or_else(|e| panic!("{} at {time}: {e}", story.file_name));
            let (w, h, rgba) = decode_png(&png);
            assert_eq!((w, h), (640, 360), "{} at {time}", story.file_name);
            pngs.push(rgba);
            let svg = snapshot_bytes(&source, &spec, at, SnapshotFormat::Svg)
                .unwrap_or_else(|e| panic!("{} at {time}: {e}", story.file_name));
            let svg = String::from_utf8(svg).expect("UTF-8");
            assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
        }
        // What goes on differs between the two moments, and so does the picture.
        assert_ne!(
            pngs[0], pngs[1],
            "{}: the same picture twice",
            story.file_name
        );
    }
}

#[test]
fn demarche_export_takes_a_story_file_from_data_scenarios() {
    let dir = tempfile::tempdir().expect("tempdir");
    for story in STORIES {
        let path = manifest_path(story.file_name);
        for ext in ["png", "svg"] {
            let out = dir.path().join(format!("{}.{ext}", story.file_name));
            let run = demarche(&[
                "export",
                path_str(&path),
                "--at",
                story.key_times[1],
                "--size",
                "480x270",
                "-o",
                path_str(&out),
            ]);
            assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
            assert!(std::fs::metadata(&out).expect("written").len() > 1000);
        }
    }
}

#[test]
fn file_examples_opens_each_story_in_the_window() {
    // With the window's fonts, as `demarche` installs them at launch: a glyph they lack fails the test.
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(|cc| {
            demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
            DemarcheApp::new(&AppOptions::default())
        });
    harness.run();
    let recent = harness.state().recent.clone();
    for story in STORIES {
        let example = example(story.file_name);
        harness.get_by_label("File").click();
        harness.run();
        harness.get_by_label("Examples").click();
        harness.run();
        harness.get_by_label(example.name).click();
        harness.run();
        let app = harness.state();
        let expected = scenario(story.file_name);
        assert_eq!(app.document.loaded.scenario.meta.id, expected.meta.id);
        assert!(app.document.path.is_none(), "an example is not a file");
        assert_eq!(app.recent, recent, "nor is it a recent file");
        assert!(app.problems().is_none());
        // Opened from its start, its title in the top bar.
        assert_eq!(
            Some(app.clock.range().0),
            expected.time_extent().map(|(start, _)| start)
        );
        harness.get_by_label_contains(&expected.meta.title);
    }
}

/// An app that shows only the map of a story, at one moment (as `tests/export_window.rs` does).
struct MapOnly {
    map: demarche::ui::map_view::MapView,
    basemap: demarche::basemap::embedded::Basemap,
    scenario: Scenario,
    order: Vec<demarche::model::ContactId>,
    time: jiff::Timestamp,
}

impl eframe::App for MapOnly {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let mut commands = Vec::new();
            let frame = demarche::ui::map_view::MapFrame {
                scenario: &self.scenario,
                order: &self.order,
                index: None,
                time: self.time,
                zone: &jiff::tz::TimeZone::UTC,
                settings: &demarche::scene::settings::MapSettings::default(),
                projection: demarche::geo_math::projection::ProjectionKind::default()
                    .projection_for(&self.scenario),
                basemap: &mut self.basemap,
                pulse: None,
                loading: None,
                selection: None,
                new_since: None,
            };
            self.map.ui(ui, frame, &mut commands);
        });
    }
}

#[test]
fn the_window_and_the_png_agree_at_each_storys_key_times() {
    let (w, h) = (800.0_f32, 450.0_f32);
    for story in STORIES {
        let source = export_source(story.file_name);
        for time in story.key_times {
            let at = format!("{} at {time}", story.file_name);
            let t = ts(time);
            // With the window's fonts: a glyph they lack fails the test.
            let mut harness = Harness::builder()
                .with_size(egui::vec2(w, h))
                .with_pixels_per_point(1.0)
                .with_render_cursor(false)
                .renderer(support::cpu_renderer::CpuRenderer::default())
                .build_eframe(|cc| {
                    cc.egui_ctx.set_visuals(egui::Visuals::light());
                    demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
                    MapOnly {
                        map: demarche::ui::map_view::MapView::default(),
                        basemap: demarche::basemap::embedded::Basemap::embedded()
                            .expect("the embedded basemap"),
                        scenario: source.scenario.clone(),
                        order: source.order.clone(),
                        time: t,
                    }
                });
            harness.run();
            let window = harness.render().expect("rendered on the CPU");
            let window_scene = harness.state().map.scene().expect("the map drew a scene");

            let spec = demarche::export::FrameSpec {
                decorations: false,
                title: String::new(),
                ..spec(w, h)
            };
            let camera = spec.camera(&source).expect("camera");
            let mut typesetter = spec.typesetter();
            let scene = demarche::export::scene(&source, &spec, &camera, t, None, &mut typesetter);
            assert!(
                scene == window_scene,
                "{at}: the export builds the window's scene"
            );

            let png = snapshot_bytes(&source, &spec, t, SnapshotFormat::Png).expect("png");
            let (_, _, png) = decode_png(&png);
            assert_eq!(window.dimensions(), (w as u32, h as u32));
            // The same picture but for antialiasing (see `tests/export_window.rs` for the bounds).
            let (mut total, mut differ) = (0u64, 0usize);
            for (a, b) in window.as_raw().chunks_exact(4).zip(png.chunks_exact(4)) {
                let d = (0..3).map(|c| a[c].abs_diff(b[c])).max().unwrap_or(0);
                total += u64::from(d);
                differ += usize::from(d > 40);
            }
            let n = f64::from(w * h);
            let mean = total as f64 / n;
            assert!(mean < 1.2, "{at}: mean difference {mean}");
            assert!((differ as f64) < n * 0.006, "{at}: {differ} pixels differ");
        }
    }
}

/// At each key time, in fitted views at a laptop's and a desktop's size: every contact held at a venue and
/// going on is drawn at that venue, every venue where something is held is inside the frame with a margin,
/// and no edge marker covers the label of a venue in view.
#[test]
fn each_story_is_drawn_at_its_venues_inside_the_fitted_frame() {
    use demarche::geo_math::camera::ScreenRect;
    use demarche::geo_math::projection::ProjectionKind;
    use demarche::scene::labels::item_box;
    use demarche::scene::map::{MapInputs, build_with_targets};
    use demarche::scene::places::Places;
    use demarche::scene::{Item, Pick, Theme};
    for story in STORIES {
        let (loaded, _) = example(story.file_name).load().expect("valid");
        let scenario = &loaded.scenario;
        let projection = ProjectionKind::RegionalConic.projection_for(scenario);
        let order = scenario.chronological();
        for (w, h) in [(1280.0_f32, 720.0_f32), (1920.0, 1080.0)] {
            let camera = view::fitted_camera(&projection, scenario, ScreenRect::from_size(w, h));
            let places = Places::new(scenario, &projection, &camera);
            for (v, need) in view::framed_venues(scenario, None) {
                if need != view::Need::Always {
                    continue;
                }
                let name = &scenario.venue(v).name;
                let p = places.venue(v).unwrap_or_else(|| panic!("{name} placed"));
                assert!(p.toward.is_none(), "{name} inside the frame at {w}x{h}");
                assert!(
                    p.at[0] > 20.0 && p.at[0] < w - 20.0 && p.at[1] > 20.0 && p.at[1] < h - 20.0,
                    "{name} with a margin at {w}x{h}: {:?}",
                    p.at
                );
            }
            for time in story.key_times {
                let t = ts(time);
                let (scene, targets) = build_with_targets(&MapInputs {
                    projection: &projection,
                    camera: &camera,
                    theme: &Theme::light(),
                    scenario: Some(scenario),
                    order: &order,
                    index: None,
                    basemap: &[],
                    time: Some(t),
                    trail: demarche::scene::contacts::TRAIL,
                    pulse: None,
                    selection: None,
                    legend: true,
                    new_since: None,
                });
                for &id in &order {
                    let c = scenario.contact(id);
                    let Place::At(v) = c.place else { continue };
                    if !c.time.is_current(t, demarche::model::LINGER) {
                        continue;
                    }
                    let Some(at) = places.venue(v).filter(|p| p.toward.is_none()) else {
                        continue;
                    };
                    if let Some(mark) = targets.iter().find(|x| x.pick == Pick::Contact(id)) {
                        let d = (mark.center[0] - at.at[0]).hypot(mark.center[1] - at.at[1]);
                        assert!(
                            d < 0.5,
                            "{} drawn {d} points from its venue ({}, {w}x{h}, {time})",
                            c.id,
                            story.file_name
                        );
                    }
                }
                let venues = scene.layer("venues").expect("venues");
                let edge: Vec<_> = venues
                    .items
                    .iter()
                    .filter(|i| matches!(i, Item::Mesh { vertices, .. } if vertices.len() == 3))
                    .filter_map(item_box)
                    .collect();
                let in_view_names: Vec<&str> = scenario
                    .venues
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        places
                            .venue(demarche::model::VenueId(*i as u32))
                            .is_some_and(|p| p.toward.is_none())
                    })
                    .map(|(_, v)| v.name.as_str())
                    .collect();
                for item in &venues.items {
                    let Item::Text { text, .. } = item else {
                        continue;
                    };
                    if !in_view_names.contains(&text.as_str()) {
                        continue;
                    }
                    let Some(b) = item_box(item) else { continue };
                    for e in &edge {
                        let overlap = e[0] < b[2] && b[0] < e[2] && e[1] < b[3] && b[1] < e[3];
                        assert!(
                            !overlap,
                            "an edge marker covers {text} ({}, {w}x{h}, {time})",
                            story.file_name
                        );
                    }
                }
            }
        }
    }
}
