//! `demarche export` as a user runs it, and the export library under it: the PNG's size and content, the
//! SVG's structure, determinism, every usage error, atomic writes. Animations: `export_animation.rs`.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use demarche::export::animation::{AnimationFormat, Timeline, write_animation};
use demarche::export::{
    ExportError, FrameSpec, SnapshotFormat, Source, snapshot_bytes, write_snapshot,
};
use demarche::io::scenario::DEFAULT_SCENARIO_TOML;
use jiff::SignedDuration;
use support::fixtures::{bin, decode_png, demarche, entries, path_str, source, spec, text, ts};

#[test]
fn a_png_is_its_size_times_its_scale() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("map.png");
    let run = demarche(&[
        "export",
        "--at",
        "2026-01-31T12:00:00Z",
        "--size",
        "320x200",
        "--scale",
        "2",
        "-o",
        path_str(&out),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let (w, h, _) = decode_png(&std::fs::read(&out).expect("written"));
    assert_eq!((w, h), (640, 400));
    assert_eq!(entries(dir.path()), ["map.png"], "no temporary left");
}

/// How many points along the Cairo-Tehran line (the phone call of 31 January) show the phone call's green.
fn phone_call_pixels(png: &[u8], source: &Source, spec: &FrameSpec) -> usize {
    let (w, _, rgba) = decode_png(png);
    let camera = spec.camera(source).expect("camera");
    let at = |name: &str| {
        let venue = source
            .scenario
            .venues
            .iter()
            .find(|v| v.name == name)
            .and_then(|v| v.location)
            .expect("venue");
        camera.screen_from_world(
            source
                .projection
                .project(venue.lon, venue.lat)
                .expect("projects"),
        )
    };
    let (a, b) = (at("Cairo"), at("Tehran"));
    let green: [u8; 3] = [0x00, 0x9E, 0x73];
    (10..90)
        .filter(|i| {
            let t = *i as f32 / 100.0;
            let (x, y) = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]));
            // A pixel near the point within a small distance of the green.
            (-1..=1).any(|dy| {
                (-1..=1).any(|dx| {
                    let (px, py) = (x.round() as i64 + dx, y.round() as i64 + dy);
                    let at = (py as usize * w as usize + px as usize) * 4;
                    rgba.get(at..at + 3).is_some_and(|p| {
                        p.iter()
                            .zip(green)
                            .all(|(c, g)| (i32::from(*c) - i32::from(g)).abs() < 40)
                    })
                })
            })
        })
        .count()
}

#[test]
fn contacts_appear_and_vanish_with_time() {
    // Drawn without grades, so that the call is in its kind's own green (its source, graded F2, would
    // draw it fainter: see tests/grade_marks.rs).
    let mut source = source();
    for s in &mut source.scenario.sources {
        s.grade = None;
    }
    let spec = spec(640.0, 360.0);
    let during = snapshot_bytes(
        &source,
        &spec,
        ts("2026-01-31T12:00:00Z"),
        SnapshotFormat::Png,
    )
    .expect("png");
    let before = snapshot_bytes(
        &source,
        &spec,
        ts("2026-01-29T12:00:00Z"),
        SnapshotFormat::Png,
    )
    .expect("png");
    let shown = phone_call_pixels(&during, &source, &spec);
    let hidden = phone_call_pixels(&before, &source, &spec);
    // Dashes of 5 points with gaps of 4: about half the points along the line are on a dash.
    assert!(
        shown > 25,
        "the phone call is drawn on 31 January ({shown} of 80)"
    );
    assert_eq!(hidden, 0, "nothing is drawn there on 29 January");
}

#[test]
fn an_svg_is_valid_xml_with_named_layers_and_labels_as_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("map.svg");
    let run = demarche(&[
        "export",
        "--at",
        "2026-01-31T12:00:00Z",
        "--size",
        "960x540",
        "--title",
        "Talks & <signals>",
        "-o",
        path_str(&out),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let svg = std::fs::read_to_string(&out).expect("written");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("version"), Some("1.1"));
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    // One level of the embedded world for the whole picture.
    assert!(!ids.contains(&"basemap-1"), "one basemap level: {ids:?}");
    for layer in [
        "basemap-0",
        "graticule",
        "contacts",
        "venues",
        "legend",
        "scale-bar",
        "credit",
        "title",
        "stamp",
    ] {
        assert!(ids.contains(&layer), "a group named {layer}: {ids:?}");
    }
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect();
    for label in [
        "Tehran",
        "Talks & <signals>",
        "Made with Natural Earth",
        "Phone call",
        "Sat 31 Jan 2026, 12:00 UTC",
    ] {
        assert!(texts.iter().any(|t| t == label), "{label} in {texts:?}");
    }
    assert!(
        texts.iter().any(|t| t
            .starts_with("ankara-channel-2026 · event 2026-01-31 12:00Z · all contacts · sha256 ")),
        "the stamp: {texts:?}"
    );
    // Land is drawn as outlines, not thousands of triangles.
    let land_paths = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("id") == Some("basemap-0"))
        .flat_map(|g| g.children().filter(|c| c.has_tag_name("path")))
        .count();
    assert!(land_paths > 1);
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    for ext in ["png", "svg"] {
        let files: Vec<PathBuf> = ["a", "b"]
            .iter()
            .map(|n| dir.path().join(format!("{n}.{ext}")))
            .collect();
        for f in &files {
            let run = demarche(&[
                "export",
                "--at",
                "2026-01-31T21:30:00+03:30",
                "--tz",
                "Asia/Tehran",
                "--size",
                "480x270",
                "-o",
                path_str(f),
            ]);
            assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        }
        let a = std::fs::read(&files[0]).expect("a");
        let b = std::fs::read(&files[1]).expect("b");
        assert!(a == b, "two {ext} exports differ");
    }
}

#[test]
fn a_picture_does_not_depend_on_the_number_of_threads() {
    let source = source();
    let spec = spec(400.0, 301.0);
    let png_with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
            .install(|| {
                snapshot_bytes(
                    &source,
                    &spec,
                    ts("2026-01-31T12:00:00Z"),
                    SnapshotFormat::Png,
                )
                .expect("png")
            })
    };
    let one = png_with(1);
    assert!(one == png_with(2), "1 and 2 threads differ");
    assert!(one == png_with(3), "1 and 3 threads differ");
}

fn with<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    [a, b].concat()
}

/// Runs `demarche export` with `args` and checks it fails before any work with status 2 and `message`.
fn usage_error(args: &[&str], message: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = Command::new(bin())
        .arg("export")
        .args(args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(message), "{args:?}: {stderr}");
    assert_eq!(
        entries(dir.path()),
        Vec::<String>::new(),
        "{args:?} wrote something"
    );
}

#[test]
fn usage_errors_are_named_before_any_work_with_status_2() {
    let at = ["--at", "2026-01-31T12:00:00Z"];
    let range = ["--from", "2026-01-30", "--to", "2026-02-01"];
    usage_error(&with(&at, &["-o", "x.bmp"]), "unknown format for x.bmp");
    usage_error(
        &with(&at, &["-o", "x.gif"]),
        "a snapshot (--at) is written as .png or .svg",
    );
    usage_error(
        &with(&range, &["-o", "x.png"]),
        "an animation (--from/--to, --whole-story) is written as .gif",
    );
    usage_error(
        &with(&at, &["-o", "x.png", "--size", "0x100"]),
        "each side must be 1 to 16384",
    );
    usage_error(
        &with(&at, &["-o", "x.png", "--size", "16385x100"]),
        "each side must be 1 to 16384",
    );
    usage_error(
        &with(&at, &["-o", "x.png", "--size", "10000x100", "--scale", "2"]),
        "is 20000x200 pixels",
    );
    usage_error(&["--at", "31/01/2026", "-o", "x.png"], "is not a time");
    usage_error(&["--at", "2026-01-31T18:00", "-o", "x.png"], "has no zone");
    usage_error(
        &with(&at, &["-o", "x.png", "--tz", "Asia/Teheran"]),
        "did you mean `Asia/Tehran`?",
    );
    usage_error(
        &with(&at, &["-o", "no/such/folder/x.png"]),
        "does not exist",
    );
    usage_error(
        &with(&range, &["-o", "frames/"]),
        "the folder frames/ does not exist",
    );
    usage_error(
        &["--from", "2026-02-01", "--to", "2026-01-30", "-o", "x.gif"],
        "is after --to",
    );
    usage_error(
        &with(&range, &["--fps", "0", "-o", "x.gif"]),
        "--fps 0 is out of range",
    );
    usage_error(
        &with(&at, &["--bbox", "26,42,45,34", "-o", "x.png"]),
        "south below north",
    );
    usage_error(&with(&at, &["--center", "32,39", "-o", "x.png"]), "--zoom");
    usage_error(&["-o", "x.png"], "--at");
}

#[test]
fn a_folder_that_cannot_be_written_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").expect("write");
    let out = file.join("x.png");
    let run = demarche(&["export", "--at", "2026-01-31", "-o", path_str(&out)]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(
        text(&run.stderr).contains("is not a folder"),
        "{}",
        text(&run.stderr)
    );

    // A read-only folder (only meaningful when permissions apply, i.e. not as root).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).expect("mkdir");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        let enforced = std::fs::write(locked.join("probe"), b"").is_err();
        if enforced {
            let run = demarche(&[
                "export",
                "--at",
                "2026-01-31",
                "-o",
                path_str(&locked.join("x.png")),
            ]);
            assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
            assert!(text(&run.stderr).contains("cannot be written"));
            assert_eq!(entries(&locked), Vec::<String>::new());
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

#[test]
fn input_files_with_errors_are_reported_as_check_does_with_status_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        DEFAULT_SCENARIO_TOML.replacen("kind = \"meeting\"", "kind = \"meeeting\"", 1),
    )
    .expect("write");
    let out = dir.path().join("x.png");
    let run = demarche(&[
        "export",
        path_str(&broken),
        "--at",
        "2026-01-31",
        "-o",
        path_str(&out),
    ]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("unknown contact kind `meeeting`"),
        "{stderr}"
    );
    assert!(stderr.contains("broken.toml:"), "{stderr}");
    assert!(!out.exists());

    let map = dir.path().join("bad.geojson");
    std::fs::write(&map, r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[0,1]]]}, "properties": {}}]}"#).expect("write");
    let run = demarche(&[
        "export",
        "--basemap",
        path_str(&map),
        "--at",
        "2026-01-31",
        "-o",
        path_str(&out),
    ]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("at least 4 positions"), "{stderr}");
    assert!(
        stderr.contains("bad.geojson: the map file (--basemap) does not load: 1 error")
            && !stderr.contains("scenario"),
        "told as a map file's problem: {stderr}"
    );
    assert!(!out.exists());
    assert_eq!(entries(dir.path()), ["bad.geojson", "broken.toml"]);
}

#[test]
fn a_failed_or_cancelled_export_leaves_no_file_and_no_temporary() {
    let source = source();
    let spec = spec(160.0, 90.0);
    let dir = tempfile::tempdir().expect("tempdir");

    // Writing onto a folder fails at the very end, when the finished file is renamed into place.
    let folder = dir.path().join("taken.png");
    std::fs::create_dir(&folder).expect("mkdir");
    let no_cancel = AtomicBool::new(false);
    let err = write_snapshot(
        &source,
        &spec,
        ts("2026-01-31T12:00:00Z"),
        SnapshotFormat::Png,
        &folder,
        &no_cancel,
    )
    .expect_err("a folder is in the way");
    assert!(matches!(err, ExportError::Io { .. }), "{err}");
    assert_eq!(entries(dir.path()), ["taken.png"]);
    assert_eq!(entries(&folder), Vec::<String>::new());

    // Cancelled half-way through, after the first frames were written to the temporary file.
    let timeline = Timeline::new(
        ts("2026-01-30T00:00:00Z"),
        ts("2026-02-01T00:00:00Z"),
        30,
        SignedDuration::from_secs(2),
    )
    .expect("timeline");
    for name in ["a.gif", "a.apng"] {
        let cancel = AtomicBool::new(false);
        let progress = |p: demarche::export::animation::FrameProgress| {
            if p.done > 0 {
                cancel.store(true, Ordering::Relaxed);
            }
        };
        let out = dir.path().join(name);
        let format = AnimationFormat::from_path(&out).expect("format");
        let err = write_animation(&source, &spec, &timeline, format, &out, &progress, &cancel)
            .expect_err("cancelled");
        assert!(matches!(err, ExportError::Cancelled), "{err}");
        assert_eq!(entries(dir.path()), ["taken.png"], "after {name}");
    }
}

/// The boxes a scene's content takes that decorations must not cover: the venues' and edge markers'
/// marks, badges and labels (lines and areas may pass under a decoration).
fn marks_and_labels(scene: &demarche::scene::Scene) -> Vec<[f32; 4]> {
    scene
        .layers
        .iter()
        .filter(|l| l.name == "venues" || l.name == "actors")
        .flat_map(|l| &l.items)
        .filter(|item| !matches!(item, demarche::scene::Item::Polyline { .. }))
        .filter_map(demarche::scene::labels::item_box)
        .collect()
}

fn the_scene(
    source: &Source,
    spec: &FrameSpec,
    at: &str,
) -> (
    demarche::scene::Scene,
    Vec<(demarche::export::layout::Block, [f32; 4])>,
) {
    let camera = spec.camera(source).expect("camera");
    let mut typesetter = spec.typesetter();
    demarche::export::scene_and_decorations(source, spec, &camera, ts(at), None, &mut typesetter)
}

#[test]
fn decorations_stay_inside_the_picture_apart_and_off_the_venues() {
    let source = source();
    for (w, h) in [(1920.0, 1080.0), (1280.0, 720.0), (1080.0, 1080.0)] {
        for at in [
            "2026-01-30T12:00:00Z",
            "2026-01-31T12:00:00Z",
            "2026-02-01T12:00:00Z",
        ] {
            let (scene, boxes) = the_scene(&source, &spec(w, h), at);
            assert_eq!(boxes.len(), 4, "title, legend, scale bar, credit");
            let content = marks_and_labels(&scene);
            assert!(!content.is_empty());
            for (i, (block, b)) in boxes.iter().enumerate() {
                assert!(
                    b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= w && b[3] <= h,
                    "{block:?} at {b:?} is cut by the edge of {w}x{h}"
                );
                for (other, o) in &boxes[i + 1..] {
                    assert_eq!(
                        overlap(b, o),
                        0.0,
                        "{block:?} covers {other:?} ({w}x{h} {at})"
                    );
                }
                for c in &content {
                    assert_eq!(
                        overlap(b, c),
                        0.0,
                        "{block:?} at {b:?} covers a venue's mark or label at {c:?} ({w}x{h} {at})"
                    );
                }
            }
        }
    }
}

fn overlap(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    demarche::export::layout::overlap(a, b)
}

#[test]
fn a_venue_in_the_top_left_corner_sends_the_title_elsewhere() {
    use demarche::export::layout::Block;
    let source = source();
    // A box whose top-left corner is Ankara: its venue, badges and label are where the title would go.
    let spec = FrameSpec {
        view: demarche::export::View::BBox([32.6, 30.0, 52.0, 40.1]),
        ..spec(1280.0, 720.0)
    };
    let camera = spec.camera(&source).expect("camera");
    let ankara = source
        .scenario
        .venues
        .iter()
        .find(|v| v.id == "ankara")
        .and_then(|v| v.location)
        .and_then(|at| source.projection.project(at.lon, at.lat))
        .map(|p| camera.screen_from_world(p))
        .expect("Ankara on screen");
    // Where the title's panel goes by default (10 points in, about 330 by 54).
    assert!(ankara[0] < 300.0 && ankara[1] < 60.0, "{ankara:?}");
    let (scene, boxes) = the_scene(&source, &spec, "2026-01-31T12:00:00Z");
    let title = boxes
        .iter()
        .find(|(b, _)| *b == Block::Title)
        .map(|(_, r)| *r)
        .expect("a title");
    assert!(
        title[0] > 200.0 || title[1] > 200.0,
        "the title moved away: {title:?}"
    );
    for c in marks_and_labels(&scene) {
        assert_eq!(overlap(&title, &c), 0.0, "the title covers {c:?}");
    }
    // Fixed by the user, it stays there.
    let fixed = FrameSpec {
        layout: demarche::export::Layout {
            title: demarche::export::Place::At(demarche::export::Spot::TopLeft),
            ..Default::default()
        },
        ..spec
    };
    let (_, boxes) = the_scene(&source, &fixed, "2026-01-31T12:00:00Z");
    assert_eq!(boxes[0].0, Block::Title);
    assert_eq!(&boxes[0].1[..2], &[10.0, 10.0], "top left, 10 points in");
}

#[test]
fn hidden_decorations_leave_no_layer() {
    use demarche::export::{Layout, Place};
    let source = source();
    let layers = |layout: Layout| {
        let spec = FrameSpec {
            layout,
            ..spec(960.0, 540.0)
        };
        let (scene, _) = the_scene(&source, &spec, "2026-01-31T12:00:00Z");
        scene
            .layers
            .iter()
            .map(|l| l.name.clone())
            .collect::<Vec<_>>()
    };
    let all = layers(Layout::default());
    for name in ["title", "legend", "scale-bar", "credit", "stamp"] {
        assert!(all.iter().any(|l| l == name), "{name} in {all:?}");
    }
    let some = layers(Layout {
        legend: Place::Hidden,
        title: Place::Hidden,
        stamp: false,
        ..Layout::default()
    });
    for name in ["title", "legend", "stamp"] {
        assert!(!some.iter().any(|l| l == name), "no {name} in {some:?}");
    }
    for name in ["scale-bar", "credit", "venues"] {
        assert!(some.iter().any(|l| l == name), "{name} in {some:?}");
    }
}

#[test]
fn an_animation_keeps_its_decorations_in_one_place() {
    use demarche::export::Place;
    let source = source();
    let spec = spec(960.0, 540.0);
    let camera = spec.camera(&source).expect("camera");
    let times = [ts("2026-01-30T00:00:00Z"), ts("2026-02-01T00:00:00Z")];
    let fixed =
        demarche::export::fixed_layout(&source, &spec, &camera, &times, &mut spec.typesetter());
    let l = fixed.layout;
    for place in [l.title, l.legend, l.scale_bar, l.credit] {
        assert!(matches!(place, Place::At(_)), "{l:?}");
    }
    let spots = |at: &str| {
        let (_, boxes) = the_scene(&source, &fixed, at);
        boxes
            .into_iter()
            .map(|(b, r)| (b, [r[1], r[3]]))
            .collect::<Vec<_>>()
    };
    // The same rows (a title's width follows its date, so its left edge may move at the right).
    assert_eq!(spots("2026-01-30T06:00:00Z"), spots("2026-01-31T18:00:00Z"));
}

/// A map file is read on one thread while its features are prepared on another; what it draws does not
/// depend on that: a FeatureCollection (prepared as it is read) and the same land as one bare Feature (read
/// whole first) draw the same picture, and not the picture without it.
#[test]
fn a_map_file_draws_the_same_however_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Two lands sharing a border over Anatolia, and an island off it.
    let a = "[[[30,37],[36,37],[36,41],[30,41],[30,37]]]";
    let b = "[[[36,37],[42,37],[42,41],[36,41],[36,37]]]";
    let island = "[[[33,34],[35,34],[35,35.5],[33,34]]]";
    let feature = |name: &str, rings: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":{rings}}}}}"#
        )
    };
    let collection = format!(
        r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
        feature("West", a),
        feature("East", b),
        feature("Isle", island)
    );
    let multi = format!(
        r#"{{"type":"Feature","properties":{{"name":"All"}},"geometry":{{"type":"MultiPolygon","coordinates":[{a},{b},{island}]}}}}"#
    );
    let export = |map: Option<(&str, &str)>| {
        let out = dir.path().join("map.png");
        let mut args = vec![
            "export",
            "--at",
            "2026-01-31T12:00:00Z",
            "--size",
            "320x200",
            "--bbox=28,32,44,43",
            "--force",
            "-o",
            path_str(&out),
        ];
        let path = map.map(|(name, body)| {
            let path = dir.path().join(name);
            std::fs::write(&path, body).expect("write");
            path
        });
        if let Some(path) = &path {
            args.extend(["--basemap", path_str(path)]);
        }
        let run = demarche(&args);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        decode_png(&std::fs::read(&out).expect("written")).2
    };
    let streamed = export(Some(("lands.geojson", &collection)));
    let bare = export(Some(("all.geojson", &multi)));
    assert!(
        streamed == bare,
        "a collection draws as the same land in one feature"
    );
    let without = export(None);
    assert!(streamed != without, "the map file is drawn");
}
