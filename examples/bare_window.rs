//! The floor under the app's launch time: an eframe window with one label, opened with the app's own
//! settings (size, renderer), that prints how long its first frame took to reach the screen and closes, as
//! `DEMARCHE_EXIT_AFTER_FIRST_FRAME=1 demarche` does. What the window system costs on a machine (the
//! display's connection and keyboard tables, finding and making the OpenGL context, the driver compiling
//! its shaders) is in both; the difference is the app's own. Time both side by side:
//!
//!     cargo build --release --example bare_window
//!     DISPLAY=:99 scripts/launch_runs.py demarche target/release/demarche -- bare target/release/examples/bare_window

struct Bare {
    started: std::time::Instant,
    frames: u32,
}

impl eframe::App for Bare {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // The first frame was presented before the second starts.
        if self.frames == 1 {
            // The app's own line, read back by `scripts/launch_runs.py`.
            println!(
                "{}",
                demarche::app::first_frame_drawn(self.started.elapsed())
            );
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ui.label("demarche");
        self.frames += 1;
        ui.ctx().request_repaint();
    }
}

fn main() -> eframe::Result {
    let started = std::time::Instant::now();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("bare window")
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_native(
        "bare window",
        options,
        Box::new(move |_cc| Ok(Box::new(Bare { started, frames: 0 }))),
    )
}
