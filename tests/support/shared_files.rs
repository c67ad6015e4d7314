//! Files from `../shared` (the GeoJSON conformance corpus, the article the default scenario is drawn from):
//! beside the project in a full checkout, absent from a bare clone. A test that needs one asks [`shared`].
//! When the file is missing the test prints a note and passes, unless `DEMARCHE_REQUIRE_CORPUS=1` (CI sets
//! it in `.ci/run`) makes it fail, so CI cannot pass by skipping.
//!
//! Std only: the library's unit tests include this file too (`#[path]`), so one rule holds for every test.
#![allow(dead_code)] // Each includer uses some of it.

use std::path::{Path, PathBuf};

/// The variable that turns a missing `../shared` file into a failure.
pub const REQUIRE_CORPUS: &str = "DEMARCHE_REQUIRE_CORPUS";

/// Whether `DEMARCHE_REQUIRE_CORPUS=1`.
pub fn corpus_required() -> bool {
    std::env::var(REQUIRE_CORPUS).is_ok_and(|v| v == "1")
}

/// `../shared/<relative>` when it exists. When it does not: panics if the corpus is required, else prints
/// a note and gives `None`, for the test to return early.
#[track_caller]
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        !corpus_required(),
        "{} is missing, and {REQUIRE_CORPUS}=1 requires it",
        path.display()
    );
    println!(
        "skipped: {} is missing (set {REQUIRE_CORPUS}=1 to make this an error)",
        path.display()
    );
    None
}
