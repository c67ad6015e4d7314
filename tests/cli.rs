//! The command line as a user runs it: `demarche check` on the default scenario (in TOML and in JSON), on a
//! broken copy of it, on hostile files; exit status 0 / 1 / 2; `--help` and `--version`.

mod support;

use support::fixtures::bin;
use support::scenario_text;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use demarche::io::scenario::DEFAULT_SCENARIO_TOML;

fn demarche(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn default_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/ankara-channel.toml")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_accepts_the_default_scenario() {
    let out = demarche(&["check", default_file().to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("valid: 13 contacts, 18 actors, 9 venues, 1 source"),
        "{stdout}"
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn check_reports_every_problem_of_a_broken_copy_with_its_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = DEFAULT_SCENARIO_TOML
        .replacen(
            "kind = \"meeting\"\nstatus = \"held\"",
            "kind = \"meeeting\"\nstatus = \"held\"",
            1,
        )
        .replacen("lon = 51.3890", "lon = 251.3890", 1)
        .replacen(
            "{ actor = \"sisi\", part = \"caller\" }",
            "{ actor = \"sissi\", part = \"caller\" }",
            1,
        )
        .replacen(
            "time_zone = \"Asia/Qatar\"",
            "time_zone = \"Asia/Katar\"",
            1,
        );
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, &broken).expect("write");
    let path = path.to_str().expect("utf-8 path");

    let out = demarche(&["check", "--short", path]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let line_of = |needle: &str| {
        broken[..broken.find(needle).expect("needle")]
            .matches('\n')
            .count()
            + 1
    };
    for (needle, expected) in [
        (
            "kind = \"meeeting\"",
            "error: unknown contact kind `meeeting`",
        ),
        (
            "lon = 251.3890",
            "error: longitude 251.389 is out of range [venues[2].lon]",
        ),
        ("actor = \"sissi\"", "error: no actor has the id `sissi`"),
        (
            "time_zone = \"Asia/Katar\"",
            "error: unknown time zone `Asia/Katar` [venues[3].time_zone] (hint: did you mean `Asia/Qatar`?)",
        ),
    ] {
        let place = format!("{path}:{}:", line_of(needle));
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&place) && l.contains(expected)),
            "expected `{place}... {expected}` in\n{stderr}"
        );
    }
    assert!(
        text(&out.stdout).contains("invalid: 4 errors"),
        "{}",
        text(&out.stdout)
    );

    // Without --short: excerpts with the offending line, compiler-style.
    let out = demarche(&["check", path]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: unknown contact kind `meeeting`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("kind = \"meeeting\""),
        "the excerpt shows the line: {stderr}"
    );
    assert!(stderr.contains("did you mean `meeting`?"), "{stderr}");
}

#[test]
fn check_with_several_files_fails_if_one_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("empty.toml");
    std::fs::write(&bad, "").expect("write");
    let out = demarche(&[
        "check",
        default_file().to_str().expect("path"),
        bad.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ankara-channel.toml: valid"), "{stdout}");
    assert!(stdout.contains("empty.toml: invalid"), "{stdout}");
}

/// Writes `bytes` to a file, runs `check --short` on it: it must fail cleanly (exit 1, no panic) and say why.
fn check_hostile(name: &str, bytes: &[u8], expected: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    check_hostile_path(&path, expected);
}

fn check_hostile_path(path: &Path, expected: &str) {
    let out = demarche(&["check", "--short", path.to_str().expect("path")]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}: {stderr}", path.display());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(expected),
        "{}: expected `{expected}` in\n{stderr}",
        path.display()
    );
}

#[test]
fn hostile_files_fail_cleanly() {
    check_hostile("empty.toml", b"", "does not say its format");
    check_hostile(
        "garbage.toml",
        &[0x00, 0x9F, 0x92, 0x96, 0xFF, 0xFE, 0x01],
        "not UTF-8",
    );
    check_hostile(
        "latin1.toml",
        b"format = \"demarche-scenario\"\ntitle = \"T\xFCrkiye\"\n",
        "byte 0xFC at byte offset 39 (line 2, column 11) is not valid UTF-8",
    );
    let half = &DEFAULT_SCENARIO_TOML.as_bytes()[..DEFAULT_SCENARIO_TOML.len() / 2];
    let half = &half[..half.iter().rposition(|&b| b == b'"').unwrap_or(0)];
    check_hostile("truncated.toml", half, "error");
    let deep = format!("format = {}{}", "[".repeat(200_000), "]".repeat(200_000));
    check_hostile("deep.toml", deep.as_bytes(), "TOML syntax");
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.toml");
    // A sparse 500 MB file: no disk used, but far over the limit.
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(500 * 1024 * 1024))
        .expect("sparse file");
    check_hostile_path(
        &path,
        "the file is 500.0 MiB, more than the 64.0 MiB a scenario file may have",
    );
}

#[test]
fn usage_errors_exit_with_status_2() {
    assert_eq!(demarche(&["check"]).status.code(), Some(2));
    assert_eq!(demarche(&["--no-such-flag"]).status.code(), Some(2));
    assert_eq!(demarche(&["frobnicate", "a", "b"]).status.code(), Some(2));
}

#[test]
fn help_has_examples_and_version_prints() {
    let out = demarche(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(
        help.contains("Examples:") && help.contains("demarche check my-crisis.toml"),
        "{help}"
    );
    let out = demarche(&["--version"]);
    assert_eq!(
        text(&out.stdout).trim(),
        format!("demarche {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn check_routes_map_files_to_the_map_loader() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geojson");
    let ring = fixtures.join("unclosed_ring.geojson");
    let out = demarche(&["check", "--short", ring.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("loads: 1 feature, 1 warning"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("not closed"),
        "{}",
        text(&out.stderr)
    );
    let topo = fixtures.join("two_squares.topojson");
    let out = demarche(&["check", topo.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("loads: 3 features"),
        "{}",
        text(&out.stdout)
    );
    let truncated = fixtures.join("truncated.geojson");
    let out = demarche(&["check", "--short", truncated.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("does not load: 1 error"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_reads_a_json_scenario_by_its_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = scenario_text::toml_to_json(DEFAULT_SCENARIO_TOML);
    // Named `.json` like a map file, and also with no telling extension: the content says it is a scenario.
    for name in ["ankara.json", "ankara.scenario"] {
        let path = dir.path().join(name);
        std::fs::write(&path, &json).expect("write");
        let out = demarche(&["check", path.to_str().expect("path")]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("valid: 13 contacts, 18 actors, 9 venues, 1 source"),
            "{}",
            text(&out.stdout)
        );
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    }

    let broken = json.replacen("\"Asia/Qatar\"", "\"Asia/Katar\"", 1);
    let path = dir.path().join("broken.json");
    std::fs::write(&path, &broken).expect("write");
    let path = path.to_str().expect("path");
    let out = demarche(&["check", "--short", path]);
    assert_eq!(out.status.code(), Some(1));
    let at = broken.find("\"Asia/Katar\"").expect("the defect");
    let line = broken[..at].matches('\n').count() + 1;
    let column = at - broken[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    let expected = format!(
        "{path}:{line}:{column}: error: unknown time zone `Asia/Katar` [venues[3].time_zone] (hint: did you mean `Asia/Qatar`?)"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.lines().any(|l| l == expected),
        "expected `{expected}` in\n{stderr}"
    );
    assert!(
        text(&out.stdout).contains("invalid: 1 error"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn hostile_json_files_fail_cleanly() {
    let json = scenario_text::toml_to_json(DEFAULT_SCENARIO_TOML);
    let half = &json.as_bytes()[..json.len() / 2];
    check_hostile("truncated.json", half, "is it truncated?");
    check_hostile("open.json", b"{", "JSON syntax error");
    let deep = format!(
        "{{\"format\": {}{}}}",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    check_hostile("deep.json", deep.as_bytes(), "expected a string [format]");
    check_hostile(
        "binary.json",
        b"{\"format\": \"demarche-scenario\", \x00\x01\x02}",
        "JSON syntax error",
    );
    check_hostile(
        "latin1.json",
        b"{\"format\": \"demarche-scenario\", \"scenario\": {\"title\": \"T\xFCrkiye\"}}",
        "is not valid UTF-8",
    );
    check_hostile(
        "list.json",
        b"{\"format\": \"demarche-scenario\", \"version\": 1, \"contacts\": \"none\"}",
        "`contacts` must be a list of objects, not a string",
    );
}

#[test]
fn check_still_reads_json_maps_as_maps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("square.json");
    std::fs::write(
        &path,
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}"#,
    )
    .expect("write");
    let out = demarche(&["check", path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("loads: 1 feature"),
        "{}",
        text(&out.stdout)
    );
}

/// `demarche export` to an SVG in a fresh folder: its text, or the failed run's stderr and status.
fn export_svg(args: &[&str]) -> Result<String, (Option<i32>, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("map.svg");
    let mut all = vec!["export", "--size", "480x320"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out.to_str().expect("utf-8 path")]);
    let run = demarche(&all);
    if run.status.code() != Some(0) {
        return Err((run.status.code(), text(&run.stderr)));
    }
    Ok(std::fs::read_to_string(&out).expect("written"))
}

#[test]
fn a_date_alone_is_the_start_of_that_day_in_the_zone_of_tz() {
    let svg = |args: &[&str]| export_svg(args).unwrap_or_else(|e| panic!("{e:?}"));
    // Tehran is 3:30 ahead of UTC: 12 April starts there at 20:30 UTC on the 11th.
    let by_day = svg(&["--at", "2025-04-12", "--tz", "Tehran"]);
    assert_eq!(
        by_day,
        svg(&["--at", "2025-04-11T20:30:00Z", "--tz", "Tehran"])
    );
    assert!(by_day.contains("Sat 12 Apr 2025, 00:00 (Asia/Tehran, UTC+03:30)"));
    assert_ne!(
        by_day,
        svg(&["--at", "2025-04-12T12:00:00Z", "--tz", "Tehran"])
    );
    // Zones by city, in any case, as the zone picker finds them.
    assert!(
        svg(&["--at", "2025-04-12", "--tz", "new york"]).contains("(America/New_York, UTC-04:00)")
    );
    let (code, stderr) =
        export_svg(&["--at", "2025-04-12", "--tz", "Teheran"]).expect_err("a typo");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("did you mean `Tehran`?"), "{stderr}");
}

#[test]
fn export_options_choose_the_projection_and_the_decorations() {
    let svg = |args: &[&str]| export_svg(args).unwrap_or_else(|e| panic!("{e:?}"));
    let at = ["--at", "2026-01-31T12:00:00Z"];
    let plain = svg(&at);
    assert!(plain.contains("id=\"legend\"") && plain.contains("sha256"));
    let bare = svg(&[&at[..], &["--no-legend", "--no-stamp"]].concat());
    assert!(!bare.contains("id=\"legend\"") && !bare.contains("sha256"));
    assert!(bare.contains("id=\"title\"") && bare.contains("id=\"credit\""));
    assert_ne!(
        svg(&[&at[..], &["--projection", "web-mercator"]].concat()),
        plain
    );
    assert_ne!(
        svg(&[&at[..], &["--title-at", "bottom-right"]].concat()),
        svg(&[&at[..], &["--title-at", "top-left"]].concat()),
        "the title's place is the one asked for"
    );
    for (bad, expected) in [
        (
            vec!["--projection", "peters"],
            "invalid value 'peters' for '--projection",
        ),
        (vec!["--title-at", "middle"], "write one of top-left"),
        (
            vec!["--no-legend", "--legend-at", "top"],
            "cannot be used with",
        ),
        (vec!["--whole-story"], "cannot be used with"),
    ] {
        let (code, stderr) = export_svg(&[&at[..], &bad[..]].concat()).expect_err("refused");
        assert_eq!(code, Some(2), "{bad:?}");
        assert!(stderr.contains(expected), "{bad:?}: {stderr}");
    }
}

#[test]
fn whole_story_animates_from_the_first_contact_to_the_last() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = format!("{}/", dir.path().display());
    let run = demarche(&[
        "export",
        "--whole-story",
        "--size",
        "320x200",
        "--fps",
        "1",
        "--duration",
        "3s",
        "-o",
        &out,
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let frames: Vec<Vec<u8>> = (1..=3)
        .map(|i| std::fs::read(dir.path().join(format!("frame-{i:05}.png"))).expect("a frame"))
        .collect();
    assert_ne!(frames[0], frames[2], "the story moves");
    assert!(!dir.path().join("frame-00004.png").exists());
}

#[test]
fn characters_xml_forbids_never_reach_an_svg() {
    let svg = export_svg(&[
        "--at",
        "2026-01-31T12:00:00Z",
        "--title",
        "a\u{FFFE}b\u{FFFF}c\u{7}d",
    ])
    .unwrap_or_else(|e| panic!("{e:?}"));
    roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    assert!(
        svg.contains("a\u{FFFD}b\u{FFFD}cd"),
        "the title, its odd characters replaced"
    );
}

#[test]
fn check_never_prints_the_control_characters_of_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hostile.toml");
    // ESC ] 0 ; ... BEL retitles a terminal; ESC [ 2 J clears it.
    let hostile = DEFAULT_SCENARIO_TOML.replacen(
        "kind = \"meeting\"",
        "kind = \"meet\u{1b}]0;pwned\u{7}\u{1b}[2Jing\"",
        1,
    );
    std::fs::write(&path, hostile).expect("write");
    let run = Command::new(bin())
        .args(["check", path.to_str().expect("utf-8")])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    let out = [run.stdout.as_slice(), run.stderr.as_slice()].concat();
    assert!(!out.is_empty());
    assert!(
        !out.contains(&0x1b) && !out.contains(&0x07),
        "raw control characters printed: {}",
        String::from_utf8_lossy(&out).escape_debug()
    );
}
