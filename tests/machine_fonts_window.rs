//! The window does not wait for the machine's fonts (issue 11): listing them takes tens of milliseconds
//! (more on a slow disk), so a story that needs a script no bundled font has is drawn at once with the
//! fonts the app has, and the machine's are taken, and the window drawn again, when the listing ends.
//!
//! The "machine" is a listing the test holds back until it has seen the first frames: a folder with a
//! copy of a bundled font (Noto Sans Ethiopic) that the bundled set is told to leave out.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use demarche::app::{AppOptions, DemarcheApp};
use demarche::render::fonts::{self, FontSource};
use egui::FontId;

const ADDIS: &str = "አዲስ አበባ";

#[test]
fn the_first_frames_are_drawn_while_the_machine_fonts_are_listed_and_the_fonts_come_after() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let font_dir = dir.path().join("fonts");
    std::fs::create_dir(&font_dir).expect("folder");
    std::fs::copy(
        "assets/fonts/NotoSansEthiopic-Regular.ttf",
        font_dir.join("Ethiopic.ttf"),
    )
    .expect("font copied");
    fonts::leave_out_bundled(&["NotoSansEthiopic-Regular"]);
    let (go, wait) = mpsc::channel::<()>();
    let wait = Mutex::new(wait);
    let listed = Arc::new(AtomicBool::new(false));
    let done = Arc::clone(&listed);
    fonts::set_font_source(FontSource::Listed(Arc::new(move || {
        // Held back until the test says; not forever if the test failed before saying.
        let _ = wait
            .lock()
            .expect("lock")
            .recv_timeout(Duration::from_secs(60));
        let mut db = fontdb::Database::new();
        db.load_fonts_dir(&font_dir);
        done.store(true, Ordering::SeqCst);
        db
    })));

    let text = std::fs::read_to_string("data/scenarios/oman-channel-2025.toml").expect("example");
    assert!(text.contains("عباس عراقچی"));
    let path = dir.path().join("addis.toml");
    std::fs::write(&path, text.replace("عباس عراقچی", ADDIS)).expect("written");
    let options = AppOptions {
        scenario: Some(path),
        ..Default::default()
    };
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1366.0, 768.0])
        // Until the fonts come, the name shows as boxes.
        .allow_missing_glyphs()
        .build_eframe(move |cc| {
            demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
            DemarcheApp::new(&options)
        });
    // Frames are drawn while the listing is held back: the window does not wait for it.
    for _ in 0..3 {
        harness.step();
    }
    assert!(!listed.load(Ordering::SeqCst));
    assert!(demarche::ui::script_fonts::is_searching(&harness.ctx));
    assert!(
        !harness
            .ctx
            .fonts_mut(|f| f.has_glyph(&FontId::proportional(14.0), 'አ'))
    );

    go.send(()).expect("the listing waits");
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        harness.step();
        if !demarche::ui::script_fonts::is_searching(&harness.ctx) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(listed.load(Ordering::SeqCst));
    assert!(!demarche::ui::script_fonts::is_searching(&harness.ctx));
    harness.step();
    assert!(
        harness
            .ctx
            .fonts_mut(|f| f.has_glyphs(&FontId::proportional(14.0), "አዲስአበባ")),
        "the machine's font is installed"
    );
    // No note: the script has a font now.
    use egui_kittest::kittest::Queryable as _;
    assert!(harness.query_by_label_contains("no font for").is_none());
}
