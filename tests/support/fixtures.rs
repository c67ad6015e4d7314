//! Fixtures of the export tests: the binary, the default scenario as an export source, PNG decoding.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use demarche::basemap::embedded::Basemap;
use demarche::export::{FrameSpec, Source, Stamp, View, Zone};
use demarche::io::scenario::{DEFAULT_SCENARIO_TOML, default_scenario};
use demarche::scene::style::ThemeKind;
use demarche::scene::view;
use jiff::Timestamp;

/// The binary under test: cargo's, or `DEMARCHE_BIN` (a copy, when several worktrees share a target
/// directory and another build may replace cargo's while the tests run).
pub fn bin() -> PathBuf {
    std::env::var_os("DEMARCHE_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_demarche")),
        PathBuf::from,
    )
}

pub fn demarche(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A decoded PNG: width, height, RGBA pixels.
pub fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::ALPHA);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

pub fn source() -> Source {
    let loaded = default_scenario();
    let projection = view::regional_projection();
    let mut basemap = Basemap::embedded().expect("embedded");
    Source {
        order: loaded.scenario.chronological(),
        stamp: Stamp::new(&loaded.scenario.meta.id, DEFAULT_SCENARIO_TOML.as_bytes()),
        basemap: basemap.prepared(projection).to_vec(),
        scenario: loaded.scenario,
        projection,
        new_since: None,
        replay: false,
    }
}

pub fn spec(w: f32, h: f32) -> FrameSpec {
    FrameSpec {
        size: [w, h],
        scale: 1.0,
        view: View::Fit,
        theme: ThemeKind::Light,
        decorations: true,
        layout: demarche::export::Layout::default(),
        title: "A title".to_owned(),
        zone: Zone::utc(),
        trail: demarche::scene::contacts::TRAIL,
        svg_text: demarche::render::svg::SvgText::default(),
    }
}
