//! The layers of the crate: a module never names one above it (`crate::x` in code, `use` lines or doc links),
//! so there is no import circle between the top-level modules. Lowest first:
//! diagnostics; model, geo_math, playback, job; io; basemap, synth; scene; render; export; ui; app; cli.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const LAYERS: &[(&str, u8)] = &[
    ("diagnostics", 0),
    ("model", 1),
    ("geo_math", 1),
    ("playback", 1),
    ("job", 1),
    ("io", 2),
    ("basemap", 3),
    ("import", 3),
    ("synth", 3),
    ("scene", 4),
    ("render", 5),
    ("export", 6),
    ("ui", 7),
    ("app", 8),
    ("cli", 9),
];

fn rank(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules named as `crate::NAME` in a text.
fn named_modules(text: &str) -> BTreeSet<String> {
    text.match_indices("crate::")
        .map(|(i, m)| {
            text[i + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn no_module_names_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upward = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let top = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|s| s.trim_end_matches(".rs").to_owned())
            .expect("a file name");
        let Some(own) = rank(&top) else {
            continue; // lib.rs, main.rs and bin/ sit above everything
        };
        let text = std::fs::read_to_string(file).expect("a readable source file");
        for named in named_modules(&text) {
            if named == top {
                continue;
            }
            match rank(&named) {
                Some(r) if r < own => {}
                Some(_) => upward.push(format!("{} names crate::{named}", relative.display())),
                None => upward.push(format!(
                    "{} names crate::{named}, a module missing from LAYERS",
                    relative.display()
                )),
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layers:\n{}",
        upward.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("src/lib.rs");
    let missing: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';'))
        .filter(|m| rank(m).is_none())
        .collect();
    assert!(missing.is_empty(), "modules without a layer: {missing:?}");
}

#[test]
fn the_check_sees_an_upward_name() {
    let names = named_modules("use crate::ui::AppCommand; // and [`crate::app::run`]");
    assert!(names.contains("ui") && names.contains("app"));
}
