//! Where `demarche export` writes, as a user meets it: through a symbolic link, onto a read-only file,
//! onto a folder named like a file, after Ctrl+C part-way through numbered PNGs, beside the temporaries a
//! killed export left, with a title far too long.

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use demarche::export::ExportError;
use demarche::export::animation::{AnimationFormat, FrameProgress, Timeline, write_animation};
use demarche::io::scenario::DEFAULT_SCENARIO_TOML;
use jiff::SignedDuration;
use support::fixtures::{bin, demarche, entries, path_str, source, spec, text, ts};

const AT: [&str; 4] = ["--at", "2026-01-31T12:00:00Z", "--size", "160x90"];

fn snapshot(out: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec!["export"];
    args.extend(AT);
    args.extend(["-o", path_str(out)]);
    args.extend(more);
    demarche(&args)
}

fn is_png(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.starts_with(b"\x89PNG\r\n\x1a\n"))
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_written_through_and_stays_a_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pictures = dir.path().join("pictures");
    let links = dir.path().join("links");
    std::fs::create_dir(&pictures).expect("mkdir");
    std::fs::create_dir(&links).expect("mkdir");
    let real = pictures.join("map.png");
    std::fs::write(&real, b"old").expect("write");
    // A relative link from another folder: read from the link's folder, not the working directory.
    let link = links.join("map.png");
    std::os::unix::fs::symlink("../pictures/map.png", &link).expect("symlink");

    let run = snapshot(&link, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert!(is_png(&real), "the file the link points to got the picture");
    assert_eq!(entries(&links), ["map.png"]);
    assert_eq!(entries(&pictures), ["map.png"], "no temporary left");

    // A link to a file not yet written: the file is made where the link points.
    let dangling = links.join("new.png");
    std::os::unix::fs::symlink("../pictures/new.png", &dangling).expect("symlink");
    let run = snapshot(&dangling, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(is_png(&pictures.join("new.png")));
    assert!(
        std::fs::symlink_metadata(&dangling)
            .expect("link")
            .file_type()
            .is_symlink()
    );

    // A link to a device is refused before any work, and the device is left alone.
    let null = links.join("null.png");
    std::os::unix::fs::symlink("/dev/null", &null).expect("symlink");
    let run = snapshot(&null, &[]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    use std::os::unix::fs::FileTypeExt as _;
    assert!(
        std::fs::metadata("/dev/null")
            .expect("/dev/null")
            .file_type()
            .is_char_device()
    );
}

/// Writes `bytes` to a new file at `path` and makes it read-only.
fn write_read_only(path: &std::path::Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write");
    let mut permissions = std::fs::metadata(path).expect("meta").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(path, permissions).expect("chmod");
}

#[test]
fn a_read_only_file_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("map.png");
    write_read_only(&out, b"kept");

    let run = snapshot(&out, &[]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{} is read-only", out.display())) && stderr.contains("--force"),
        "names the file and the flag: {stderr}"
    );
    assert_eq!(std::fs::read(&out).expect("read"), b"kept");

    let run = snapshot(&out, &["--force"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(is_png(&out));
    assert!(
        std::fs::metadata(&out)
            .expect("meta")
            .permissions()
            .readonly(),
        "the new file keeps the old one's permissions"
    );
    assert_eq!(entries(dir.path()), ["map.png"]);

    // A writable file is replaced without asking.
    let writable = dir.path().join("other.png");
    std::fs::write(&writable, b"old").expect("write");
    let run = snapshot(&writable, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(is_png(&writable));
}

#[test]
fn a_read_only_frame_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let frame = dir.path().join("frame-00002.png");
    write_read_only(&frame, b"kept");
    let folder = format!("{}/", dir.path().display());
    let args = |force: bool| {
        let mut a = vec![
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
            "64x36",
            "-o",
            &folder,
        ];
        if force {
            a.push("--force");
        }
        a
    };
    let run = demarche(&args(false));
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("frame-00002.png is read-only") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(entries(dir.path()), ["frame-00002.png"], "nothing written");
    let run = demarche(&args(true));
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(is_png(&frame));
}

#[test]
fn an_existing_folder_named_like_a_file_is_refused_and_a_slash_asks_for_frames() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gif = dir.path().join("x.gif");
    std::fs::create_dir(&gif).expect("mkdir");
    let range = [
        "export",
        "--from",
        "2026-01-30",
        "--to",
        "2026-02-01",
        "--fps",
        "2",
        "--duration",
        "1s",
        "--size",
        "64x36",
        "-o",
    ];
    let run = demarche(&[&range[..], &[path_str(&gif)]].concat());
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("x.gif is a folder, not a file") && stderr.contains("end the path with /"),
        "{stderr}"
    );
    assert_eq!(entries(&gif), Vec::<String>::new(), "no frames in it");

    // The same folder, asked for as one.
    let as_folder = format!("{}/", gif.display());
    let run = demarche(&[&range[..], &[as_folder.as_str()]].concat());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(entries(&gif), ["frame-00001.png", "frame-00002.png"]);

    // A folder with no extension and no slash is not taken for one either.
    let plain = dir.path().join("frames");
    std::fs::create_dir(&plain).expect("mkdir");
    let run = demarche(&[&range[..], &[path_str(&plain)]].concat());
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("frames is a folder: end the path with /"),
        "{stderr}"
    );
    assert_eq!(entries(&plain), Vec::<String>::new());

    // A snapshot onto a folder.
    let png = dir.path().join("d.png");
    std::fs::create_dir(&png).expect("mkdir");
    let run = snapshot(&png, &[]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("d.png is a folder, not a file"), "{stderr}");
    assert_eq!(entries(&png), Vec::<String>::new());
}

/// A timeline of `frames` frames at 10 fps.
fn timeline(frames: u64) -> Timeline {
    Timeline::new(
        ts("2026-01-30T00:00:00Z"),
        ts("2026-02-01T00:00:00Z"),
        10,
        SignedDuration::from_millis(100 * frames as i64),
    )
    .expect("timeline")
}

#[test]
fn cancelled_frames_are_kept_whole_and_counted() {
    let source = source();
    let spec = spec(64.0, 36.0);
    let dir = tempfile::tempdir().expect("tempdir");
    let timeline = timeline(60);
    let cancel = AtomicBool::new(false);
    // Cancelled once the first frames are written, as Ctrl+C sets the flag.
    let progress = |p: FrameProgress| {
        if p.done > 0 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let folder = dir.path().join("");
    let err = write_animation(
        &source,
        &spec,
        &timeline,
        AnimationFormat::PngFolder,
        &folder,
        &progress,
        &cancel,
    )
    .expect_err("cancelled");
    let ExportError::FramesCancelled { written, total, .. } = &err else {
        panic!("not told what was written: {err}");
    };
    assert_eq!(*total, 60);
    assert!((1..60).contains(written), "{written}");
    let names: Vec<String> = (1..=*written)
        .map(|i| format!("frame-{i:05}.png"))
        .collect();
    assert_eq!(entries(dir.path()), names, "the frames said, and only them");
    assert!(names.iter().all(|n| is_png(&dir.path().join(n))));
    let message = err.to_string();
    assert!(
        message.contains(&format!("after {written} of 60 frames"))
            && message.contains("frame-00001.png to")
            && message.contains("an incomplete set"),
        "{message}"
    );
}

/// Waits up to a minute for `ready`, checking every 20 ms.
fn wait_for(mut ready: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// A long animation of small frames, run by the binary: a signal reaches it while it writes.
fn long_animation(out: &str) -> std::process::Child {
    Command::new(bin())
        .args([
            "export",
            "--from",
            "2026-01-30",
            "--to",
            "2026-02-01",
            "--fps",
            "100",
            "--duration",
            "10m",
            "--size",
            "64x36",
            "-o",
            out,
        ])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_numbered_pngs_says_how_many_were_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = format!("{}/", dir.path().display());
    let child = long_animation(&folder);
    let frames = || {
        entries(dir.path())
            .iter()
            .filter(|n| n.ends_with(".png"))
            .count()
    };
    let started = wait_for(|| frames() >= 3);
    let interrupt = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(started && interrupt.success());
    let out = child.wait_with_output().expect("ends");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let written = frames();
    assert!((3..60_000).contains(&written), "{written}");
    assert!(
        stderr.contains(&format!(
            "interrupted after {written} of 60000 frames: frame-00001.png to frame-{written:05}.png were written to {folder}"
        )) && stderr.contains("the set is incomplete"),
        "{written} frames on disk; {stderr}"
    );
    assert!(!stderr.contains("was not written"), "{stderr}");
    assert_eq!(
        entries(dir.path()).len(),
        written,
        "no temporary left: {:?}",
        entries(dir.path())
    );
}

/// Sets the time `path` was last changed to `ago` before now.
fn age(path: &Path, ago: Duration) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .or_else(|_| std::fs::File::open(path))
        .expect("open");
    file.set_modified(SystemTime::now() - ago)
        .expect("set mtime");
}

#[test]
fn stale_temporaries_of_ours_are_removed_and_nothing_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let minutes = |m: u64| Duration::from_secs(60 * m);
    let plant = |name: &str, ago: Duration| {
        let path = dir.path().join(name);
        std::fs::write(&path, b"half a picture").expect("write");
        age(&path, ago);
    };
    // Ours and stale: a process that no longer runs (no PID is this high), or an hour untouched.
    plant(".demarche-export-999999999-aB3xYz.part", minutes(2));
    plant(".demarche-export-Qw7rTy.part", minutes(61));
    // Ours but not stale: just written, or a process that still runs (this one).
    plant(".demarche-export-999999999-fresh1.part", Duration::ZERO);
    plant(".demarche-export-Qw7rT2.part", minutes(30));
    let mine = format!(".demarche-export-{}-abcdef.part", std::process::id());
    plant(&mine, minutes(2));
    // Not ours, however old.
    let others = [
        ".demarche-export-Qw7rTy.part.bak",
        "demarche-export-Qw7rTy.part",
        ".demarche-export-Qw7rTyy.part",
        "notes.part",
        "map.png.part",
    ];
    for name in others {
        plant(name, minutes(600));
    }
    let folder_like_ours = dir.path().join(".demarche-export-Zz9zZz.part");
    std::fs::create_dir(&folder_like_ours).expect("mkdir");
    age(&folder_like_ours, minutes(600));

    let out = dir.path().join("map.png");
    let run = snapshot(&out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let mut expected: Vec<String> = [
        ".demarche-export-999999999-fresh1.part",
        ".demarche-export-Qw7rT2.part",
        ".demarche-export-Zz9zZz.part",
        &mine,
        "map.png",
    ]
    .iter()
    .chain(others.iter())
    .map(|s| s.to_string())
    .collect();
    expected.sort();
    assert_eq!(entries(dir.path()), expected);
}

#[cfg(unix)]
#[test]
fn the_temporary_of_a_killed_export_goes_with_the_next_export_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gif = dir.path().join("story.gif");
    let mut child = long_animation(path_str(&gif));
    let part = || {
        entries(dir.path())
            .into_iter()
            .find(|n| n.starts_with(".demarche-export-") && n.ends_with(".part"))
    };
    assert!(wait_for(|| part().is_some()), "the GIF's temporary");
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let left = part().expect("a killed export cannot clean up");
    assert!(
        left.contains(&format!("-{}-", child.id())),
        "the name carries the PID: {left}"
    );
    // A minute later, the next export into that folder removes it.
    age(&dir.path().join(&left), Duration::from_secs(90));
    let run = snapshot(&dir.path().join("map.png"), &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(entries(dir.path()), ["map.png"]);
}

#[test]
fn a_title_too_long_is_refused_at_once_and_a_long_scenario_title_is_cut() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("map.png");
    let long = "Mediation ".repeat(5_000);
    let run = snapshot(&out, &["--title", &long]);
    let stderr = text(&run.stderr);
    assert_eq!(
        run.status.code(),
        Some(2),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(
        stderr.contains("--title is 50000 characters long: at most 500"),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(stderr.len() < 1000, "the title is not echoed back");
    assert_eq!(entries(dir.path()), Vec::<String>::new());

    let most = "é".repeat(500);
    let run = snapshot(&out, &["--title", &most]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));

    let scenario = dir.path().join("long.toml");
    std::fs::write(
        &scenario,
        DEFAULT_SCENARIO_TOML.replacen(
            "title = \"The Ankara channel, 30 Jan - 1 Feb 2026\"",
            &format!("title = \"{}\"", "Ankara ".repeat(200)),
            1,
        ),
    )
    .expect("write");
    let mut args = vec!["export", path_str(&scenario)];
    args.extend(AT);
    args.extend(["-o", path_str(&out)]);
    let run = demarche(&args);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "the scenario's title is 1400 characters long; the picture shows its first 500"
        ),
        "{stderr}"
    );
}
