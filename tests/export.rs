//! `demarche export` as a user runs it, and the export library under it: the PNG's size and content, the
//! SVG's structure, determinism, every usage error, atomic writes, and animations' frames.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};

use demarche::basemap::embedded::Basemap;
use demarche::export::animation::{AnimationFormat, Timeline, write_animation};
use demarche::export::{
    ExportError, FrameSpec, SnapshotFormat, Source, Stamp, View, Zone, snapshot_bytes,
    write_snapshot,
};
use demarche::io::scenario::{DEFAULT_SCENARIO_TOML, default_scenario};
use demarche::scene::style::ThemeKind;
use demarche::scene::view;
use jiff::{SignedDuration, Timestamp};

/// The binary under test: cargo's, or `DEMARCHE_BIN` (a copy, when several worktrees share a target
/// directory and another build may replace cargo's while the tests run).
fn bin() -> PathBuf {
    std::env::var_os("DEMARCHE_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_demarche")),
        PathBuf::from,
    )
}

fn demarche(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A decoded PNG: width, height, RGBA pixels.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::ALPHA);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn source() -> Source {
    let loaded = default_scenario();
    let projection = view::regional_projection();
    let mut basemap = Basemap::embedded().expect("embedded");
    Source {
        order: loaded.scenario.chronological(),
        stamp: Stamp::new(&loaded.scenario.meta.id, DEFAULT_SCENARIO_TOML.as_bytes()),
        basemap: basemap.prepared(projection).to_vec(),
        scenario: loaded.scenario,
        projection,
    }
}

fn spec(w: f32, h: f32) -> FrameSpec {
    FrameSpec {
        size: [w, h],
        scale: 1.0,
        view: View::Fit,
        theme: ThemeKind::Light,
        decorations: true,
        title: "A title".to_owned(),
        zone: Zone::utc(),
        trail: demarche::scene::contacts::TRAIL,
    }
}

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
    let source = source();
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
    for layer in [
        "basemap-0",
        "basemap-1",
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
        texts
            .iter()
            .any(|t| t.starts_with("ankara-channel-2026 · sha256 ")),
        "the stamp: {texts:?}"
    );
    // Land is drawn as outlines, not thousands of triangles.
    let land_paths = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("id") == Some("basemap-1"))
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
        "an animation (--from/--to) is written as .gif",
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
        let progress = |p: demarche::export::animation::Progress| {
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

/// Composes the frames of an APNG (every changed pixel opaque, unchanged ones transparent); returns the
/// number of frames and the last picture.
fn apng_frames(bytes: &[u8]) -> (u32, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    let (w, h) = (info.width as usize, info.height as usize);
    let plays = info.animation_control().expect("animated").num_frames;
    let mut canvas = vec![0u8; w * h * 4];
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let mut count = 0;
    while let Ok(out) = reader.next_frame(&mut buf) {
        let fc = reader.info().frame_control().copied().expect("fcTL");
        for y in 0..fc.height as usize {
            for x in 0..fc.width as usize {
                let src = &buf[(y * fc.width as usize + x) * 4..][..4];
                if src[3] == 0 {
                    continue;
                }
                let at = ((fc.y_offset as usize + y) * w + fc.x_offset as usize + x) * 4;
                canvas[at..at + 4].copy_from_slice(src);
            }
        }
        let _ = out;
        count += 1;
    }
    (plays, count, canvas)
}

#[test]
fn animations_have_their_frames_and_end_on_the_last_moment() {
    let source = source();
    let spec = spec(240.0, 135.0);
    let dir = tempfile::tempdir().expect("tempdir");
    let (from, to) = (ts("2026-01-30T06:00:00Z"), ts("2026-02-01T18:00:00Z"));
    let timeline = Timeline::new(from, to, 4, SignedDuration::from_secs(2)).expect("timeline");
    assert_eq!(timeline.frames, 8);
    let last = snapshot_bytes(&source, &spec, to, SnapshotFormat::Png).expect("png");
    let (_, _, last_rgba) = decode_png(&last);
    let no_cancel = AtomicBool::new(false);
    let run = |name: &str| {
        let out = dir.path().join(name);
        let format = AnimationFormat::from_path(&out).expect("format");
        write_animation(&source, &spec, &timeline, format, &out, &|_| {}, &no_cancel)
            .expect("written");
        out
    };

    // APNG: lossless, so its last frame, composed over the others, is the snapshot at `to` exactly.
    let apng = std::fs::read(run("a.apng")).expect("apng");
    let (declared, decoded, canvas) = apng_frames(&apng);
    assert_eq!((declared, decoded), (8, 8));
    assert!(
        canvas == last_rgba,
        "the APNG's last picture is the snapshot at --to"
    );

    // GIF: 8 frames over 2 seconds, its last picture close to the snapshot (a palette of 255 colours).
    let gif_path = run("a.gif");
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options
        .read_info(std::fs::File::open(&gif_path).expect("gif"))
        .expect("a GIF");
    let (w, h) = (usize::from(decoder.width()), usize::from(decoder.height()));
    let mut canvas = vec![0u8; w * h * 4];
    let (mut frames, mut delay) = (0, 0);
    while let Some(frame) = decoder.read_next_frame().expect("frame") {
        for y in 0..usize::from(frame.height) {
            for x in 0..usize::from(frame.width) {
                let src = &frame.buffer[(y * usize::from(frame.width) + x) * 4..][..4];
                if src[3] == 0 {
                    continue;
                }
                let at = ((usize::from(frame.top) + y) * w + usize::from(frame.left) + x) * 4;
                canvas[at..at + 4].copy_from_slice(src);
            }
        }
        frames += 1;
        delay += u32::from(frame.delay);
    }
    assert_eq!((frames, delay), (8, 200));
    let error: u64 = canvas
        .iter()
        .zip(&last_rgba)
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    let mean = error as f64 / canvas.len() as f64;
    // A GIF has 256 colours for the whole animation: the map, the badges and the contacts share them.
    assert!(mean < 3.0, "mean error per channel {mean}");

    // A folder of numbered PNGs.
    let folder = dir.path().join("frames");
    std::fs::create_dir(&folder).expect("mkdir");
    let format = AnimationFormat::from_path(&folder).expect("a folder");
    assert_eq!(format, AnimationFormat::PngFolder);
    write_animation(
        &source,
        &spec,
        &timeline,
        format,
        &folder,
        &|_| {},
        &no_cancel,
    )
    .expect("written");
    let names: Vec<String> = (1..=8).map(|i| format!("frame-{i:05}.png")).collect();
    assert_eq!(entries(&folder), names);
    assert!(std::fs::read(folder.join("frame-00008.png")).expect("last") == last);
}

#[test]
fn the_command_line_writes_an_animation_with_its_frames() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("frames/");
    std::fs::create_dir(&out).expect("mkdir");
    let run = demarche(&[
        "export",
        "--from",
        "2026-01-30",
        "--to",
        "2026-02-01",
        "--fps",
        "3",
        "--duration",
        "1s",
        "--size",
        "160x90",
        "-o",
        path_str(&out),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        entries(&out),
        ["frame-00001.png", "frame-00002.png", "frame-00003.png"]
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_animation_leaves_no_file_and_no_temporary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("long.apng");
    let mut child = Command::new(bin())
        .args([
            "export",
            "--from",
            "2026-01-30",
            "--to",
            "2026-02-01",
            "--fps",
            "30",
            "--duration",
            "60s",
            "--size",
            "640x360",
            "-o",
            path_str(&out),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    // Wait until the export is writing (its temporary file exists), then interrupt it as Ctrl+C does.
    let started = std::time::Instant::now();
    while entries(dir.path()).is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the export never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = child.wait().expect("exits");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}
