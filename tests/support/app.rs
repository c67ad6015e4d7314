//! Driving the app in an egui_kittest harness.

use demarche::app::{AppOptions, DemarcheApp};
use egui_kittest::Harness;

/// The app at `size`, with the fonts `demarche` installs at launch (a glyph they lack fails the test).
pub fn app_with_fonts(size: [f32; 2], options: AppOptions) -> Harness<'static, DemarcheApp> {
    Harness::builder().with_size(size).build_eframe(move |cc| {
        demarche::render::egui_painter::install_fonts(&cc.egui_ctx);
        DemarcheApp::new(&options)
    })
}

/// Steps frames (the app reads files and exports on other threads) until `what` holds, for up to 20 s
/// (the machine may be busy); whether it came to hold.
pub fn step_until(
    harness: &mut Harness<'static, DemarcheApp>,
    what: &dyn Fn(&DemarcheApp) -> bool,
) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed().as_secs() < 20 {
        harness.step();
        if what(harness.state()) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}
