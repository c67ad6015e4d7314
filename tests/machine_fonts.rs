//! Fonts of the machine, for scripts no bundled font has (issue 11, "Readable in any script"): SVG
//! outlines and embedded fonts use the same fonts as the PNG, a machine font is embedded as a small
//! subset (or outlined when its licence forbids embedding), and `check` and `export` say which scripts no
//! font has.
//!
//! What a test sees must not depend on the fonts the machine has: the "machine" is a folder given as the
//! font source, holding a copy of a bundled font (Noto Sans Ethiopic) that the bundled set is told to
//! leave out; the command-line tests give an empty font folder (`DEMARCHE_FONT_DIR`).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, PoisonError};

use base64::Engine as _;
use demarche::render::fonts::{self, FontSource};
use demarche::render::svg::{self, SvgText};
use demarche::render::{raster, text::Typesetter};
use demarche::scene::style::ThemeKind;
use demarche::scene::{Anchor, Item, Rgba, Scene, SceneLayer};
use skrifa::MetadataProvider as _;
use support::fixtures::{bin, path_str, text};

const ETHIOPIC_KEY: &str = "NotoSansEthiopic-Regular";
const ETHIOPIC_FILE: &str = "assets/fonts/NotoSansEthiopic-Regular.ttf";
/// Addis Ababa, in Ge'ez script.
const ADDIS: &str = "አዲስ አበባ";
const SIZE: f32 = 24.0;

/// The font source and the bundled set are process-wide: one test at a time changes them.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A folder posing as the machine's fonts, holding `file` (the Ethiopic font, possibly altered), with
/// the bundled Ethiopic left out.
fn machine_with(file: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("SomeEthiopic.ttf"), file).expect("font written");
    fonts::leave_out_bundled(&[ETHIOPIC_KEY]);
    fonts::set_font_source(FontSource::Folder(dir.path().to_path_buf()));
    dir
}

fn ethiopic() -> Vec<u8> {
    std::fs::read(ETHIOPIC_FILE).expect("bundled font file")
}

/// The same font, its OS/2 `fsType` saying "restricted licence embedding".
fn restricted(mut font: Vec<u8>) -> Vec<u8> {
    let tables = usize::from(u16::from_be_bytes([font[4], font[5]]));
    let record = (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&r| &font[r..r + 4] == b"OS/2")
        .expect("an OS/2 table");
    let offset =
        u32::from_be_bytes(font[record + 8..record + 12].try_into().expect("4 bytes")) as usize;
    font[offset + 8..offset + 10].copy_from_slice(&0x0002_u16.to_be_bytes());
    font
}

/// A Latin label above the Ethiopic one.
fn scene() -> Scene {
    let mut layer = SceneLayer::new("labels");
    for (y, text) in [(30.0, "Addis Ababa"), (90.0, ADDIS)] {
        layer.items.push(Item::Text {
            pos: [20.0, y],
            text: text.to_owned(),
            size: SIZE,
            color: Rgba::rgb(0, 0, 0),
            anchor: Anchor::LeftCenter,
        });
    }
    Scene {
        size: [300.0, 120.0],
        background: Rgba::rgb(255, 255, 255),
        layers: vec![layer],
    }
}

fn to_svg(mode: SvgText) -> String {
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    svg::to_svg(&scene(), "machine fonts", 1.0, &mut typesetter, mode)
}

/// Dark pixels of an RGBA image in rows `y0..y1`.
fn ink(rgba: &[u8], width: usize, y0: usize, y1: usize) -> usize {
    rgba.chunks_exact(4)
        .enumerate()
        .filter(|(i, p)| (y0..y1).contains(&(i / width)) && p[3] > 0 && p[0] < 128)
        .count()
}

fn render_svg(svg: &str) -> Vec<u8> {
    // No font given to resvg: only paths can draw.
    let options = usvg::Options::default();
    let tree = usvg::Tree::from_data(svg.as_bytes(), &options).expect("resvg reads the SVG");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(300, 120).expect("pixmap");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    pixmap.data().to_vec()
}

/// The `d` of the path whose `aria-label` is `label`.
fn path_of(svg: &str, label: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .find(|n| n.has_tag_name("path") && n.attribute("aria-label") == Some(label))
        .and_then(|n| n.attribute("d").map(str::to_owned))
}

#[test]
fn outlines_draw_a_machine_fonts_script_as_the_png_does() {
    let _serial = serial();
    let _machine = machine_with(&ethiopic());
    assert!(!fonts::bundled_has('አ'), "the bundled Ethiopic is left out");

    let svg = to_svg(SvgText::Outlines);
    let d = path_of(&svg, ADDIS).expect("the Ethiopic label is a path");
    assert!(
        d.matches('M').count() >= 7,
        "a contour or more per letter: {d}"
    );
    assert!(
        fonts::found()
            .iter()
            .any(|f| f.family == "Noto Sans Ethiopic"),
        "{:?}",
        fonts::found()
    );
    // Drawn with no font at all, where the PNG draws it.
    let drawn = render_svg(&svg);
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    let png = raster::render(&scene(), &mut typesetter).expect("drawn");
    let (svg_ink, png_ink) = (ink(&drawn, 300, 62, 118), ink(png.data(), 300, 62, 118));
    assert!(png_ink > 100, "the PNG draws the label: {png_ink}");
    assert!(
        svg_ink as f32 > png_ink as f32 * 0.6 && (svg_ink as f32) < png_ink as f32 * 1.6,
        "SVG {svg_ink} vs PNG {png_ink} dark pixels"
    );
}

#[test]
fn embedded_svg_holds_a_small_subset_of_the_machine_font() {
    let _serial = serial();
    let file = ethiopic();
    let _machine = machine_with(&file);

    let svg = to_svg(SvgText::Embedded);
    let rule = svg
        .lines()
        .find(|l| l.contains("@font-face") && l.contains("NotoSansEthiopic"))
        .unwrap_or_else(|| {
            panic!(
                "no @font-face for the machine font in:\n{}",
                &svg[..2000.min(svg.len())]
            )
        });
    let data = rule
        .split("base64,")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .expect("a data URL");
    let subset = base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("base64");
    assert!(
        subset.len() * 20 < file.len(),
        "the subset is {} bytes, the font {}",
        subset.len(),
        file.len()
    );
    let font = skrifa::FontRef::new(&subset).expect("the subset is a font");
    for c in ADDIS.chars().filter(|c| !c.is_whitespace()) {
        assert!(font.charmap().map(c).is_some(), "{c:?} is in the subset");
    }
    assert!(
        font.charmap().map('ሀ').is_none(),
        "a letter no label uses is not"
    );
    // The label is text, naming the embedded font first.
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let label = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text() == Some(ADDIS))
        .expect("the label as text");
    assert!(
        label
            .attribute("font-family")
            .is_some_and(|f| f.contains("NotoSansEthiopic")),
        "{:?}",
        label.attribute("font-family")
    );
}

#[test]
fn a_font_whose_licence_forbids_embedding_is_outlined_instead() {
    let _serial = serial();
    let _machine = machine_with(&restricted(ethiopic()));

    let svg = to_svg(SvgText::Embedded);
    assert!(
        !svg.lines()
            .any(|l| l.contains("@font-face") && l.contains("NotoSansEthiopic")),
        "the restricted font is not embedded"
    );
    assert!(path_of(&svg, ADDIS).is_some(), "its label is outlines");
    // The Latin label is still text, with the bundled font embedded.
    assert!(
        svg.contains(">Addis Ababa</text>"),
        "the Latin label stays text"
    );
    assert!(svg.contains("demarche-Ubuntu-Light"));
}

/// A copy of the Ankara story whose first venue is named in Telugu, a script no bundled font has.
fn telugu_story(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string("data/scenarios/ankara-channel.toml").expect("example");
    assert!(text.contains("name = \"Ankara\""));
    let path = dir.join("telugu.toml");
    std::fs::write(
        &path,
        text.replacen("name = \"Ankara\"", "name = \"హైదరాబాద్\"", 1),
    )
    .expect("written");
    path
}

/// `demarche ARGS`, the machine's fonts being an empty folder.
fn demarche_without_machine_fonts(args: &[&str], fonts: &Path) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .env("DEMARCHE_FONT_DIR", fonts)
        .output()
        .expect("the binary runs")
}

#[test]
fn check_and_export_warn_about_a_script_no_font_has() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let no_fonts = dir.path().join("fonts");
    std::fs::create_dir(&no_fonts).expect("folder");
    let story = telugu_story(dir.path());

    let out = demarche_without_machine_fonts(&["check", path_str(&story)], &no_fonts);
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning, not an error: {stderr}"
    );
    assert!(
        stderr.contains("warning: no font for Telugu text in venue హైదరాబాద్")
            && stderr.contains("install e.g. fonts-noto-core (Noto Sans Telugu)"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("Telugu text").count(),
        1,
        "said once: {stderr}"
    );
    assert!(
        text(&out.stdout).contains("valid:"),
        "{}",
        text(&out.stdout)
    );

    let png = dir.path().join("story.png");
    let out = demarche_without_machine_fonts(
        &[
            "export",
            path_str(&story),
            "--at",
            "2026-01-31T12:00:00Z",
            "--size",
            "400x300",
            "-o",
            path_str(&png),
        ],
        &no_fonts,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("demarche export: warning: no font for Telugu text in venue")
            && stderr.contains("Noto Sans Telugu"),
        "{stderr}"
    );
    assert!(png.exists());

    // The story as it is needs no more than the bundled fonts: nothing said.
    let out =
        demarche_without_machine_fonts(&["check", "data/scenarios/ankara-channel.toml"], &no_fonts);
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}
