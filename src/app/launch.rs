//! Opening the window: its icon, the basemap preloaded meanwhile, the timed launch.

use egui::Ui;

use super::{AppOptions, DemarcheApp, MapLayers, Persisted};
use crate::geo_math::projection::ProjectionKind;

/// With this environment variable set, the app closes itself once its first frame is on screen and prints
/// how long that took since launch: `DEMARCHE_EXIT_AFTER_FIRST_FRAME=1 demarche` measures launch time.
pub const EXIT_AFTER_FIRST_FRAME: &str = "DEMARCHE_EXIT_AFTER_FIRST_FRAME";

/// With this one set as well, when each frame was built is printed too (where the time of a large
/// story's open goes: `RUST_LOG=demarche=info` adds the read, the checks and the index).
pub const FRAME_TIMES: &str = "DEMARCHE_FRAME_TIMES";

/// How long the window waits, before its first frame, for the scenario file named on the command line: a
/// file read by then is in the first frame; a larger one is read while the window draws, with a spinner.
pub const READ_BEFORE_FIRST_FRAME: std::time::Duration = std::time::Duration::from_millis(300);

/// What a timed launch prints once its first frame is on screen, `elapsed` after launch (read back by
/// [`first_frame_drawn_ms`], `scripts/launch_runs.py` and the bare window of `examples/bare_window.rs`).
pub fn first_frame_drawn(elapsed: std::time::Duration) -> String {
    format!(
        "first frame drawn {:.0} ms after launch",
        elapsed.as_secs_f64() * 1000.0
    )
}

/// The milliseconds a line printed by [`first_frame_drawn`] gives; `None` for any other line.
pub fn first_frame_drawn_ms(line: &str) -> Option<u32> {
    line.strip_prefix("first frame drawn ")?
        .strip_suffix(" ms after launch")?
        .parse()
        .ok()
}

/// Wraps the app to time the first frame and close (see [`EXIT_AFTER_FIRST_FRAME`]).
struct TimedLaunch {
    app: DemarcheApp,
    started: std::time::Instant,
    frames: u32,
    /// The frame in which the basemap was first drawn.
    map_frame: Option<u32>,
    /// The first frame with the scenario named on the command line (read meanwhile when it is large).
    story_frame: Option<u32>,
    /// Whether each frame's times are printed ([`FRAME_TIMES`]).
    frame_times: bool,
}

impl eframe::App for TimedLaunch {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        // A frame was presented before the next one starts.
        if self.frames == 1 {
            println!("{}", first_frame_drawn(self.started.elapsed()));
        }
        if let Some(map_frame) = self.map_frame
            && self.frames == map_frame + 1
        {
            println!(
                "map drawn {:.0} ms after launch",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
            if let Some(shown) = self.story_frame {
                println!(
                    "story shown {:.0} ms after launch (frame {shown})",
                    self.started.elapsed().as_secs_f64() * 1000.0
                );
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        eframe::App::logic(&mut self.app, ctx, frame);
    }

    fn ui(&mut self, ui: &mut Ui, frame: &mut eframe::Frame) {
        if self.frames == 0 {
            println!(
                "first frame started {:.0} ms after launch",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
        let began = self.started.elapsed();
        eframe::App::ui(&mut self.app, ui, frame);
        if self.frame_times {
            println!(
                "frame {} built {:.0}..{:.0} ms after launch",
                self.frames,
                began.as_secs_f64() * 1000.0,
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
        if self.frames == 0 {
            println!(
                "first frame built {:.0} ms after launch",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
        if self.story_frame.is_none() && self.app.loading().is_none() {
            self.story_frame = Some(self.frames);
        }
        // The map is drawn with the story named on the command line, once both are ready.
        if self.map_frame.is_none()
            && !self.app.map_layers.is_preloading()
            && self.story_frame.is_some()
        {
            self.map_frame = Some(self.frames);
        }
        self.frames += 1;
        // Frames as fast as they come at first (the first frame's time is what is measured) and once
        // the map is drawn with the story (the next frame says it was presented); in between, the
        // window keeps its own pace (a spinner's ten frames a second while a file is read, and a frame
        // when the read ends), so that the measure neither takes a core from the read nor waits.
        if self.frames < 3 || self.map_frame.is_some() {
            ui.ctx().request_repaint();
        }
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        eframe::App::on_exit(&mut self.app, gl);
    }
}

/// The app's icon (see `assets/README.md`), embedded so the binary needs no files beside it.
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// The icon decoded for the window and the taskbar; `None` (and a log line) if it does not decode, so a
/// broken icon never stops the app.
pub fn icon() -> Option<egui::IconData> {
    let decoded = (|| -> Result<egui::IconData, png::DecodingError> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(ICON_PNG));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info()?;
        let mut rgba = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut rgba)?;
        rgba.truncate(info.buffer_size());
        if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
            return Err(png::DecodingError::LimitsExceeded);
        }
        Ok(egui::IconData {
            rgba,
            width: info.width,
            height: info.height,
        })
    })();
    decoded
        .map_err(|e| log::error!("the embedded icon does not decode: {e}"))
        .ok()
}

/// Opens the window and runs until it is closed.
pub fn run(options: AppOptions) -> eframe::Result {
    let started = std::time::Instant::now();
    let timed = std::env::var_os(EXIT_AFTER_FIRST_FRAME).is_some();
    // The basemap is read and prepared while the window and its graphics context are made.
    let window_ctx = std::sync::Arc::new(std::sync::OnceLock::<egui::Context>::new());
    let wake_ctx = std::sync::Arc::clone(&window_ctx);
    let preload = MapLayers::spawn_preload(
        ProjectionKind::default().projection(),
        Box::new(move || {
            if let Some(ctx) = wake_ctx.get() {
                ctx.request_repaint();
            }
        }),
    );
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("demarche")
        .with_app_id("demarche")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 400.0]);
    if let Some(icon) = icon() {
        viewport = viewport.with_icon(icon);
    }
    // The scenario file named on the command line is read meanwhile too.
    let mut app = DemarcheApp::starting(&options);
    let native_options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "demarche",
        native_options,
        Box::new(move |cc| {
            let _ = window_ctx.set(cc.egui_ctx.clone());
            crate::render::egui_painter::install_fonts(&cc.egui_ctx);
            app.finish_loading_within(READ_BEFORE_FIRST_FRAME);
            app.use_preload(preload);
            if let Some(saved) = cc
                .storage
                .and_then(|s| eframe::get_value::<Persisted>(s, eframe::APP_KEY))
            {
                app.restore(saved);
            }
            if timed {
                return Ok(Box::new(TimedLaunch {
                    app,
                    started,
                    frames: 0,
                    map_frame: None,
                    story_frame: None,
                    frame_times: std::env::var_os(FRAME_TIMES).is_some(),
                }));
            }
            Ok(Box::new(app))
        }),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_frame_line_reads_back() {
        let line = super::first_frame_drawn(std::time::Duration::from_micros(183_600));
        assert_eq!(line, "first frame drawn 184 ms after launch");
        assert_eq!(super::first_frame_drawn_ms(&line), Some(184));
        assert_eq!(
            super::first_frame_drawn_ms("first frame built 12 ms after launch"),
            None
        );
    }

    #[test]
    fn the_icon_decodes_to_a_square_rgba_image() {
        let icon = super::icon().expect("the icon decodes");
        assert_eq!(icon.width, icon.height, "square");
        assert!(icon.width >= 64, "large enough for a taskbar");
        assert_eq!(
            icon.rgba.len(),
            (icon.width * icon.height * 4) as usize,
            "RGBA"
        );
        assert!(
            icon.rgba.chunks(4).any(|p| p[3] == 0),
            "transparent corners"
        );
    }
}
