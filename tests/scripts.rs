//! Names in their own scripts (issue 11, "Readable in any script"): Persian, Hebrew and mixed lines are
//! drawn with real glyphs (not the empty box of a missing one), with letters joined, right-to-left words in
//! the right order, and the same in the window and in the PNG.

mod support;

use demarche::render::svg::{self, SvgText};
use demarche::render::{raster, text::Typesetter, text::layout_job};
use demarche::scene::style::ThemeKind;
use demarche::scene::{Anchor, Item, Rgba, Scene, SceneLayer};
use egui::epaint::text::Galley;
use egui::{Color32, FontId};

const PERSIAN: &str = "عباس عراقچی";
const HEBREW: &str = "ירושלים";
const MIXED: &str = "Araghchi عراقچی in Muscat";
/// A line that starts in Persian: it reads from the right, so the Latin words are on the left.
const RTL_MIXED: &str = "عراقچی in Muscat";
const SIZE: f32 = 24.0;

fn place(typesetter: &mut Typesetter, text: &str) -> std::sync::Arc<Galley> {
    typesetter
        .place(
            [0.0, 0.0],
            text,
            SIZE,
            Rgba::rgb(0, 0, 0),
            Anchor::LeftCenter,
        )
        .galley
}

/// The glyphs of a galley as (character, left edge in points, atlas spot), in the order laid out.
fn glyphs(galley: &Galley) -> Vec<(char, f32, [u16; 2])> {
    galley
        .rows
        .iter()
        .flat_map(|row| &row.row.glyphs)
        .filter(|g| !g.chr.is_whitespace())
        .map(|g| (g.chr, g.pos.x, g.uv_rect.min))
        .collect()
}

/// The leftmost x of the glyphs of `c`.
fn x_of(galley: &Galley, c: char) -> f32 {
    glyphs(galley)
        .iter()
        .filter(|g| g.0 == c)
        .map(|g| g.1)
        .fold(f32::INFINITY, f32::min)
}

#[test]
fn persian_hebrew_and_mixed_labels_have_real_glyphs_not_the_missing_glyph_box() {
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    // A private-use character no font has: egui draws the missing-glyph box of its first font.
    let tofu = glyphs(&place(&mut typesetter, "\u{10FFFD}"))[0].2;
    for text in [PERSIAN, HEBREW, MIXED] {
        let galley = place(&mut typesetter, text);
        let glyphs = glyphs(&galley);
        assert!(!glyphs.is_empty());
        for (c, _, spot) in glyphs {
            assert_ne!(
                spot, tofu,
                "{c:?} of {text:?} is drawn as the missing-glyph box"
            );
        }
    }
}

#[test]
fn arabic_letters_take_their_joined_forms() {
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    // Three times the same letter: initial, medial and final forms, different glyphs when joined; the
    // glyphs of the isolated letter three times when not.
    let distinct = |galley: &Galley| {
        let mut spots: Vec<[u16; 2]> = glyphs(galley).iter().map(|g| g.2).collect();
        spots.sort_unstable();
        spots.dedup();
        spots.len()
    };
    let alone = distinct(&place(&mut typesetter, "ب"));
    let galley = place(&mut typesetter, "ببب");
    assert!(
        distinct(&galley) >= alone + 2,
        "{} vs {alone}",
        distinct(&galley)
    );
    // Joined, the word is narrower than its letters drawn apart.
    let apart =
        place(&mut typesetter, "ب ب ب").size().x - 2.0 * place(&mut typesetter, " ").size().x;
    assert!(galley.size().x < apart, "{} vs {apart}", galley.size().x);
}

#[test]
fn right_to_left_words_and_mixed_lines_are_in_reading_order() {
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    // The first word (عباس, with its ب) is on the right of the second (عراقچی, with its چ).
    let galley = place(&mut typesetter, PERSIAN);
    assert!(x_of(&galley, 'ب') > x_of(&galley, 'چ'));
    // Within a word, read from the right: the first letter of ירושלים (י) is the rightmost, its last (ם)
    // the leftmost.
    let galley = place(&mut typesetter, HEBREW);
    let xs: Vec<f32> = glyphs(&galley).iter().map(|g| g.1).collect();
    assert!(x_of(&galley, 'ם') <= xs.iter().copied().fold(f32::INFINITY, f32::min));
    assert!(x_of(&galley, 'ר') > x_of(&galley, 'ם'));
    // A Latin line with a Persian name: Araghchi, then the name, then "in Muscat".
    let galley = place(&mut typesetter, MIXED);
    let (a, che, m) = (x_of(&galley, 'A'), x_of(&galley, 'چ'), x_of(&galley, 'M'));
    assert!(a < che && che < m, "A at {a}, چ at {che}, M at {m}");
    // A Persian line with a Latin place: read from the right, so the Latin words come first from the left.
    let galley = place(&mut typesetter, "عراقچی in Muscat");
    assert!(x_of(&galley, 'M') < x_of(&galley, 'چ'));
    assert!(x_of(&galley, 'i') < x_of(&galley, 'M'));
}

#[test]
fn the_window_lays_out_labels_as_the_png_does() {
    let ctx = egui::Context::default();
    demarche::render::egui_painter::install_fonts(&ctx);
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    for text in [PERSIAN, HEBREW, MIXED] {
        let mut window = None;
        // Fonts set on a context take effect at the next pass.
        for _ in 0..2 {
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                window = Some(ui.painter().layout_job(layout_job(
                    text,
                    FontId::proportional(SIZE),
                    Color32::BLACK,
                )));
            });
            output.textures_delta.clear();
        }
        let window = window.expect("laid out");
        let png = place(&mut typesetter, text);
        let positions = |g: &Galley| -> Vec<(char, f32)> {
            glyphs(g).iter().map(|&(c, x, _)| (c, x)).collect()
        };
        assert_eq!(positions(&window), positions(&png), "{text}");
        assert_eq!(window.size(), png.size());
    }
}

/// Ink (dark pixels) in a box of the picture.
fn ink(pixmap: &tiny_skia::Pixmap, x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let mut n = 0;
    for y in y0..y1.min(pixmap.height()) {
        for x in x0..x1.min(pixmap.width()) {
            if let Some(p) = pixmap.pixel(x, y)
                && p.red() < 128
            {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn a_png_of_persian_hebrew_and_mixed_labels_draws_them() {
    let mut layer = SceneLayer::new("labels");
    for (i, text) in [PERSIAN, HEBREW, MIXED].into_iter().enumerate() {
        layer.items.push(Item::Text {
            pos: [20.0, 30.0 + 50.0 * i as f32],
            text: text.to_owned(),
            size: SIZE,
            color: Rgba::rgb(0, 0, 0),
            anchor: Anchor::LeftCenter,
        });
    }
    let scene = Scene {
        size: [400.0, 170.0],
        background: Rgba::rgb(255, 255, 255),
        layers: vec![layer],
    };
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    let pixmap = raster::render(&scene, &mut typesetter).expect("drawn");
    if let Some(out) = std::env::var_os("DEMARCHE_SCRIPTS_PNG") {
        let file = std::fs::File::create(out).expect("created");
        demarche::render::png::write_png(&pixmap, 1.0, file).expect("saved");
    }
    // Each label is drawn (whether its glyphs are the real ones is checked on the layout above, which
    // is the PNG's: `raster` copies the glyphs the typesetter placed).
    let rows: Vec<usize> = (0..3)
        .map(|i| ink(&pixmap, 0, 10 + 50 * i, 400, 50 + 50 * i))
        .collect();
    assert!(rows.iter().all(|&n| n > 50), "{rows:?}");
}

/// A scene of the four labels, 400 x 220 points, black on white.
fn labels_scene() -> Scene {
    let mut layer = SceneLayer::new("labels");
    for (i, text) in [PERSIAN, HEBREW, MIXED, RTL_MIXED].into_iter().enumerate() {
        layer.items.push(Item::Text {
            pos: [20.0, 30.0 + 50.0 * i as f32],
            text: text.to_owned(),
            size: SIZE,
            color: Rgba::rgb(0, 0, 0),
            anchor: Anchor::LeftCenter,
        });
    }
    Scene {
        size: [400.0, 220.0],
        background: Rgba::rgb(255, 255, 255),
        layers: vec![layer],
    }
}

fn svg(mode: SvgText) -> String {
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    svg::to_svg(&labels_scene(), "scripts", 1.0, &mut typesetter, mode)
}

/// Dark pixels of a picture drawn by resvg from an SVG, with the app's fonts in its font database or none.
fn resvg_ink(svg: &str, with_fonts: bool) -> Vec<bool> {
    let mut options = usvg::Options::default();
    if with_fonts {
        for file in demarche::render::text::font_files() {
            options
                .fontdb_mut()
                .load_font_data((*file).as_ref().to_vec());
        }
    }
    let tree = usvg::Tree::from_str(svg, &options).expect("resvg reads the SVG");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(400, 220).expect("pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .pixels()
        .iter()
        .map(|p| p.alpha() > 0 && p.demultiply().red() < 128)
        .collect()
}

#[test]
fn outlined_svg_text_needs_no_font_and_falls_where_the_png_draws_it() {
    let svg = svg(SvgText::Outlines);
    assert!(!svg.contains("<text"), "no text element is left");
    for text in [PERSIAN, HEBREW, MIXED] {
        assert!(
            svg.contains(&format!("aria-label=\"{text}\"")),
            "{text} is kept for search"
        );
    }
    // resvg, given no font, draws the outlines as the PNG draws the glyphs.
    let overlap = overlap_with_png(&resvg_ink(&svg, false));
    assert!(
        overlap > 0.6,
        "the outlines cover the PNG's glyphs: {overlap}"
    );
}

/// How much of the ink of `theirs` and of the PNG of [`labels_scene`] is common to both.
fn overlap_with_png(theirs: &[bool]) -> f32 {
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    let png = raster::render(&labels_scene(), &mut typesetter).expect("drawn");
    let ours: Vec<bool> = png.pixels().iter().map(|p| p.red() < 128).collect();
    let both = ours.iter().zip(theirs).filter(|(a, b)| **a && **b).count();
    let either = ours.iter().zip(theirs).filter(|(a, b)| **a || **b).count();
    assert!(either > 1000, "ink: {either}");
    both as f32 / either as f32
}

#[test]
fn embedded_svg_text_carries_the_fonts_its_labels_use() {
    let svg = svg(SvgText::Embedded);
    assert_eq!(
        svg.matches("@font-face").count(),
        3,
        "Latin, Arabic and Hebrew"
    );
    assert!(svg.contains("font-family: 'demarche-NotoSansArabic-Regular'"));
    assert!(svg.contains("src: url(data:font/ttf;base64,"));
    assert!(svg.contains("font-family=\"'demarche-Ubuntu-Light', 'demarche-NotoSansArabic-Regular', 'demarche-NotoSansHebrew-Regular', 'Ubuntu Light'"));
    // A picture with Latin labels only embeds the Latin font.
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    let mut scene = labels_scene();
    scene.layers[0].items.truncate(0);
    scene.layers[0].items.push(Item::Text {
        pos: [10.0, 10.0],
        text: "Muscat".to_owned(),
        size: SIZE,
        color: Rgba::rgb(0, 0, 0),
        anchor: Anchor::LeftCenter,
    });
    let latin = svg::to_svg(&scene, "t", 1.0, &mut typesetter, SvgText::Embedded);
    assert_eq!(latin.matches("@font-face").count(), 1);
    // A picture without labels embeds nothing.
    scene.layers[0].items.clear();
    let bare = svg::to_svg(&scene, "t", 1.0, &mut typesetter, SvgText::Embedded);
    assert!(!bare.contains("@font-face"));
}

#[test]
fn system_svg_text_names_a_font_stack_and_the_direction() {
    let svg = svg(SvgText::System);
    assert!(!svg.contains("@font-face"));
    assert_eq!(svg.matches("<text ").count(), 4);
    assert!(svg.contains(&format!("font-family=\"{}\"", svg::FONT_FAMILY_LIST)));
    for family in [
        "Ubuntu Light",
        "Noto Sans Arabic",
        "Noto Sans Hebrew",
        "sans-serif",
    ] {
        assert!(svg::FONT_FAMILY_LIST.contains(family), "{family}");
    }
    // Every bundled font is named, and fonts for the scripts taken from the machine.
    for family in demarche::render::text::FONTS
        .iter()
        .map(|f| f.family)
        .chain(["Noto Sans CJK SC", "Source Han Sans"])
    {
        assert!(svg::FONT_FAMILY_LIST.contains(family), "{family}");
    }
    // The Persian and Hebrew labels are embedded right to left, anchored at their left end as in the PNG;
    // the mixed line (it starts in Latin) runs left to right.
    for text in [PERSIAN, HEBREW, RTL_MIXED] {
        let wrapped = format!(">{}{text}{}</text>", svg::RLE, svg::PDF);
        assert!(svg.contains(&wrapped), "{text}");
    }
    assert!(svg.contains(&format!(">{MIXED}</text>")));
    assert_eq!(svg.matches("text-anchor=\"start\"").count(), 4);
    // resvg, with the app's fonts, orders and places the labels as the PNG does.
    let overlap = overlap_with_png(&resvg_ink(&svg, true));
    assert!(overlap > 0.6, "the text covers the PNG's glyphs: {overlap}");
}

#[test]
fn the_command_line_exports_svg_text_each_way() {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (mode, expect, refuse) in [
        ("outlines", "aria-label=", "<text "),
        ("embedded", "@font-face", "aria-label="),
        ("system", "<text ", "@font-face"),
    ] {
        let out = dir.path().join(format!("{mode}.svg"));
        let status = std::process::Command::new(support::fixtures::bin())
            .args([
                "export",
                "--at",
                "2026-01-31T12:00:00Z",
                "--size",
                "640x360",
                "--svg-text",
                mode,
                "-o",
            ])
            .arg(&out)
            .output()
            .expect("demarche runs");
        assert!(
            status.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        let svg = std::fs::read_to_string(&out).expect("written");
        assert!(svg.contains(expect) && !svg.contains(refuse), "{mode}");
    }
    let bad = std::process::Command::new(support::fixtures::bin())
        .args([
            "export",
            "--at",
            "2026-01-31T12:00:00Z",
            "--svg-text",
            "paths",
            "-o",
            "x.svg",
        ])
        .output()
        .expect("demarche runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("outlines, embedded or system"));
}

/// The scene alone in a window, painted by the window's painter.
struct SceneOnly(Scene);

impl eframe::App for SceneOnly {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            ui.painter().rect_filled(ui.max_rect(), 0.0, Color32::WHITE);
            demarche::render::egui_painter::paint_scene(ui.painter(), &self.0);
        });
    }
}

#[test]
fn the_window_draws_the_labels_the_png_draws() {
    let scene = labels_scene();
    let [w, h] = scene.size;
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(w, h))
        .with_pixels_per_point(1.0)
        .with_render_cursor(false)
        .renderer(support::cpu_renderer::CpuRenderer::default())
        .build_eframe(|cc| {
            cc.egui_ctx.set_visuals(egui::Visuals::light());
            demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
            SceneOnly(labels_scene())
        });
    harness.run();
    let window = harness.render().expect("rendered on the CPU");
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    let png = raster::render(&scene, &mut typesetter).expect("drawn");
    let mut differ = 0;
    let mut ink = 0;
    for (a, b) in window
        .as_raw()
        .chunks_exact(4)
        .zip(png.data().chunks_exact(4))
    {
        if b[0] < 128 {
            ink += 1;
        }
        if (0..3).any(|c| a[c].abs_diff(b[c]) > 40) {
            differ += 1;
        }
    }
    assert!(ink > 1000, "{ink}");
    assert!(differ * 100 < ink, "{differ} of {ink} pixels of ink differ");
}

/// Names in the scripts whose fonts are bundled, beyond Arabic and Hebrew.
const BUNDLED_SCRIPTS: [&str; 11] = [
    "नरेन्द्र मोदी",
    "ঢাকা",
    "ਅੰਮ੍ਰਿਤਸਰ",
    "சென்னை",
    "กรุงเทพมหานคร",
    "ວຽງຈັນ",
    "ភ្នំពេញ",
    "ရန်ကုန်",
    "თბილისი",
    "Երևան",
    "አዲስ አበባ",
];

#[test]
fn indic_south_east_asian_caucasian_and_ethiopic_names_have_real_glyphs_in_the_png() {
    demarche::render::fonts::use_system_fonts(false);
    let mut typesetter = Typesetter::new(1.0, ThemeKind::Light);
    let tofu = glyphs(&place(&mut typesetter, "\u{10FFFD}"))[0].2;
    for text in BUNDLED_SCRIPTS {
        let galley = place(&mut typesetter, text);
        let glyphs = glyphs(&galley);
        assert!(!glyphs.is_empty());
        for (c, _, spot) in glyphs {
            assert_ne!(
                spot, tofu,
                "{c:?} of {text:?} is drawn as the missing-glyph box"
            );
        }
    }
    // Devanagari is shaped: the conjunct न्द्र is fewer glyphs wide than its letters side by side.
    let joined = place(&mut typesetter, "न्द्र").size().x;
    let apart = ["न", "्", "द", "्", "र"]
        .iter()
        .map(|c| place(&mut typesetter, c).size().x)
        .sum::<f32>();
    assert!(joined < apart, "{joined} vs {apart}");
    // And drawn: each name leaves ink in the PNG.
    let mut layer = SceneLayer::new("labels");
    for (i, text) in BUNDLED_SCRIPTS.into_iter().enumerate() {
        layer.items.push(Item::Text {
            pos: [20.0, 20.0 + 40.0 * i as f32],
            text: text.to_owned(),
            size: SIZE,
            color: Rgba::rgb(0, 0, 0),
            anchor: Anchor::LeftCenter,
        });
    }
    let scene = Scene {
        size: [400.0, 460.0],
        background: Rgba::rgb(255, 255, 255),
        layers: vec![layer],
    };
    let pixmap = raster::render(&scene, &mut typesetter).expect("drawn");
    for i in 0..BUNDLED_SCRIPTS.len() as u32 {
        let n = ink(&pixmap, 0, 40 * i + 2, 400, 40 * i + 38);
        assert!(n > 30, "{}: {n}", BUNDLED_SCRIPTS[i as usize]);
    }
}

#[test]
fn the_stories_in_the_repository_need_no_font_beyond_the_bundled_ones() {
    // So opening them never searches the machine's fonts (which would slow the launch).
    for entry in std::fs::read_dir("data/scenarios").expect("data/scenarios") {
        let path = entry.expect("entry").path();
        let loaded = demarche::io::scenario::load(&path).expect("loads");
        let texts = demarche::ui::script_fonts::scenario_texts(&loaded.scenario);
        let missing =
            demarche::render::fonts::missing_scripts(texts, &demarche::render::fonts::bundled_has);
        assert!(missing.is_empty(), "{}: {missing:?}", path.display());
    }
}

#[test]
fn a_script_no_font_has_is_told_in_the_window_once() {
    // No font of the machine: the bundled fonts have no Han.
    demarche::render::fonts::use_system_fonts(false);
    let text = std::fs::read_to_string("data/scenarios/oman-channel-2025.toml").expect("example");
    assert!(text.contains("عباس عراقچی"));
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("han.toml");
    std::fs::write(&path, text.replace("عباس عراقچی", "王毅")).expect("written");
    let options = demarche::app::AppOptions {
        scenario: Some(path),
        ..Default::default()
    };
    // The Han name shows as boxes, on purpose.
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1366.0, 768.0])
        .allow_missing_glyphs()
        .build_eframe(move |cc| {
            demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
            demarche::app::DemarcheApp::new(&options)
        });
    harness.run();
    use egui_kittest::kittest::{NodeT as _, Queryable as _};
    let note = harness.get_by_label_contains("no font for Han text");
    let said = note
        .accesskit_node()
        .value()
        .unwrap_or_default()
        .to_string();
    assert!(
        said.contains(" in ") && said.contains("fonts-noto-cjk"),
        "{said}"
    );
    // Dismissed, it stays away.
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("no font for Han text")
            .is_none()
    );
}
