//! Animations: GIF, APNG and numbered PNGs have their frames and end on the last moment; the command line
//! writes them; Ctrl+C leaves nothing behind; a background export reports progress and can be cancelled.

mod support;

use std::process::Command;
use std::sync::atomic::AtomicBool;

use demarche::export::animation::{AnimationFormat, Timeline, write_animation};
use demarche::export::{ExportError, Place, SnapshotFormat, Spot, snapshot_bytes};
use jiff::SignedDuration;
use support::fixtures::{bin, decode_png, demarche, entries, path_str, source, spec, text, ts};

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
    // The decorations in fixed places: an animation chooses its places once for all its frames, a
    // snapshot for its own moment, and here the two must be the same picture.
    let mut spec = spec(240.0, 135.0);
    spec.layout = demarche::export::Layout {
        title: Place::At(Spot::TopLeft),
        legend: Place::At(Spot::TopRight),
        scale_bar: Place::At(Spot::BottomLeft),
        credit: Place::At(Spot::BottomRight),
        stamp: true,
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (from, to) = (ts("2026-01-30T06:00:00Z"), ts("2026-02-01T18:00:00Z"));
    // 9 frames at 5 a second: the last is 1.6 s in, a whole beat of the pulses, which are then at rest,
    // so the last frame is the snapshot at `to`.
    let timeline = Timeline::new(from, to, 5, SignedDuration::from_millis(1800)).expect("timeline");
    assert_eq!(timeline.frames, 9);
    assert_eq!(timeline.pulse_of(8), Some(0.0));
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
    assert_eq!((declared, decoded), (9, 9));
    assert!(
        canvas == last_rgba,
        "the APNG's last picture is the snapshot at --to"
    );

    // GIF: 9 frames over 1.8 seconds, its last picture close to the snapshot (a palette of 255 colours).
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
    assert_eq!((frames, delay), (9, 180));
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
    // A folder is asked for by a trailing `/` (`join("")` adds it), not by what is on disk.
    assert_eq!(AnimationFormat::from_path(&folder), None);
    let format = AnimationFormat::from_path(&folder.join("")).expect("a folder");
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
    let names: Vec<String> = (1..=9).map(|i| format!("frame-{i:05}.png")).collect();
    assert_eq!(entries(&folder), names);
    assert!(std::fs::read(folder.join("frame-00009.png")).expect("last") == last);
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

#[test]
fn a_background_export_reports_progress_and_can_be_cancelled() {
    use demarche::export::Zone;
    use demarche::ui::export_dialog::{ExportContext, ExportDialog, ExportKind};
    let dir = tempfile::tempdir().expect("tempdir");
    let context = || {
        let source = source();
        let camera = spec(160.0, 90.0).camera(&source).expect("a view");
        ExportContext {
            source,
            camera,
            map_size: [160.0, 90.0],
            theme: demarche::scene::style::ThemeKind::Light,
            zone: Zone::utc(),
            trail: demarche::scene::contacts::TRAIL,
            time: ts("2026-01-31T12:00:00Z"),
            range: (ts("2026-01-30T00:00:00Z"), ts("2026-02-01T00:00:00Z")),
        }
    };
    let mut dialog = ExportDialog::default();
    dialog.kind = ExportKind::Apng;
    dialog.fps = 4;
    dialog.duration_secs = 2.0;
    dialog.scale = 1.0;
    let wait = |dialog: &mut ExportDialog| loop {
        dialog.poll();
        if !dialog.is_running() {
            return dialog.last.clone().expect("a result");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };

    dialog.start(context(), dir.path().join("a.apng"), || {});
    assert!(dialog.is_running());
    assert_eq!(dialog.progress().map(|(_, total)| total), Some(8));
    assert_eq!(wait(&mut dialog), Ok(dir.path().join("a.apng")));
    assert!(dir.path().join("a.apng").exists());

    dialog.start(context(), dir.path().join("b.apng"), || {});
    dialog.cancel();
    assert_eq!(wait(&mut dialog), Err(ExportError::Cancelled.to_string()));
    assert_eq!(entries(dir.path()), ["a.apng"]);
}
