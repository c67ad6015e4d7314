//! Zones come from the database compiled into the binary, never from the machine's: with `TZDIR` pointing
//! nowhere, or at a database that lacks the scenario's zones (a container with UTC only), the default
//! scenario still checks.

use std::path::Path;
use std::process::Command;

mod support;

#[test]
fn check_accepts_the_default_scenario_whatever_the_system_zone_database() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/ankara-channel.toml");
    let partial = tempfile::tempdir().expect("temporary folder");
    // A file starting with the TZif magic is listed as a zone: a database with one zone, and not Asia/Tehran.
    std::fs::write(
        partial.path().join("Only"),
        [&b"TZif2"[..], &[0; 39]].concat(),
    )
    .expect("write");
    for tzdir in [Path::new("/nonexistent"), partial.path()] {
        let out = Command::new(support::fixtures::bin())
            .arg("check")
            .arg(&file)
            .env("TZDIR", tzdir)
            .env("NO_COLOR", "1")
            .output()
            .expect("the binary runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "TZDIR={}: {}{}",
            tzdir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
