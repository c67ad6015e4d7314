//! Opens the real app in a real window (Xvfb in CI), lets it draw a few frames, takes a screenshot through
//! `ctx.request_screenshot`, closes, and checks the pixels: the title and the contact list are drawn,
//! exactly the contacts going on at the chosen time are highlighted, and the map shows land, sea and lines.
//! Then the timed launches, each its own process: the app and the bare window print when their first frame
//! was drawn and close by themselves.
//!
//! A winit event loop can be created once per process, hence this test has its own binary (`harness = false`).
//! Without a display it skips itself, unless `DEMARCHE_REQUIRE_DISPLAY=1` demands it (CI does). Its last line
//! is its own plain count (`real_window: 2 passed, 0 failed`), not an imitation of libtest's summary: a skip
//! says `0 passed, 0 failed, 1 skipped`, never "ok".

use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use demarche::app::{AppOptions, DemarcheApp, FrameLayout};
use demarche::playback::TimeCommand;
use egui::{Color32, ColorImage, Rect};

/// Saturday 31 January, noon UTC: Al Thani is in Tehran, Zamir in Washington, Sisi calls Pezeshkian.
const AT: &str = "2026-01-31T12:00:00Z";
const FRAMES_BEFORE_SHOT: u32 = 5;
const MAX_FRAMES: u32 = 600;

#[derive(Default)]
struct Captured {
    image: Option<Arc<ColorImage>>,
    layout: FrameLayout,
    targets: Vec<demarche::scene::Target>,
    pixels_per_point: f32,
    panel_fill: Color32,
    frames: u32,
    /// How the map drew its basemap, and what the GPU basemap had done, when the screenshot was asked.
    basemap_path: Option<demarche::render::egui_painter::BasemapPath>,
    gl_stats: demarche::render::gl_basemap::GlStats,
    /// Whether the map still held GL objects after `on_exit`.
    gl_objects_after_exit: Option<bool>,
}

struct Probe {
    app: DemarcheApp,
    captured: Arc<Mutex<Captured>>,
    requested: bool,
}

impl eframe::App for Probe {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        eframe::App::logic(&mut self.app, ctx, frame);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        eframe::App::ui(&mut self.app, ui, frame);
        let ctx = ui.ctx().clone();
        let mut captured = self.captured.lock().expect("lock");
        captured.frames += 1;
        if captured.image.is_some() || captured.frames > MAX_FRAMES {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else if captured.frames >= FRAMES_BEFORE_SHOT && !self.requested {
            self.requested = true;
            captured.layout = self.app.last_layout.clone();
            captured.targets = self.app.map.last_targets.clone();
            captured.pixels_per_point = ctx.pixels_per_point();
            captured.panel_fill = ctx.global_style().visuals.panel_fill;
            captured.basemap_path = Some(self.app.map.basemap_path());
            captured.gl_stats = self.app.map.gl_stats();
            let sink = Arc::clone(&self.captured);
            let waker = ctx.clone();
            ctx.request_screenshot(move |image| {
                sink.lock().expect("lock").image = Some(image);
                waker.request_repaint();
            });
        }
        ctx.request_repaint();
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        eframe::App::on_exit(&mut self.app, gl);
        self.captured.lock().expect("lock").gl_objects_after_exit =
            Some(self.app.map.holds_gl_objects());
    }
}

fn main() -> ExitCode {
    let required = std::env::var("DEMARCHE_REQUIRE_DISPLAY").is_ok_and(|v| v == "1");
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if !has_display {
        if required {
            eprintln!(
                "real_window: DEMARCHE_REQUIRE_DISPLAY=1 but there is no DISPLAY or WAYLAND_DISPLAY"
            );
            println!("real_window: 0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
        println!(
            "real_window: skipped: no display (set DEMARCHE_REQUIRE_DISPLAY=1 to make this an error)"
        );
        println!("real_window: 0 passed, 0 failed, 1 skipped");
        return ExitCode::SUCCESS;
    }

    let captured = Arc::new(Mutex::new(Captured::default()));
    let mut app = DemarcheApp::new(&AppOptions::default());
    app.clock
        .apply(TimeCommand::SetTime(AT.parse().expect("time")));
    let probe = Probe {
        app,
        captured: Arc::clone(&captured),
        requested: false,
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("demarche real-window test")
            .with_inner_size([1100.0, 760.0]),
        persist_window: false,
        ..Default::default()
    };
    if let Err(err) = eframe::run_native(
        "demarche-real-window-test",
        options,
        Box::new(|_cc| Ok(Box::new(probe))),
    ) {
        eprintln!("real_window: the window could not run: {err}");
        println!("real_window: 0 passed, 1 failed");
        return ExitCode::FAILURE;
    }

    let captured = captured.lock().expect("lock");
    let results = [
        ("the window's pixels", check(&captured)),
        ("the timed launches", timed_launches()),
    ];
    let mut failed = 0;
    for (name, result) in &results {
        match result {
            Ok(summary) => println!("real_window: {name}: {summary}"),
            Err(problem) => {
                eprintln!("real_window: {name}: FAILED: {problem}");
                failed += 1;
            }
        }
    }
    println!(
        "real_window: {} passed, {failed} failed",
        results.len() - failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The launches `scripts/launch_runs.py` times, each its own process in a fresh home folder: the app with
/// `DEMARCHE_EXIT_AFTER_FIRST_FRAME` and `examples/bare_window.rs` (built by `cargo test`, beside this
/// test's folder) print when their first frame was drawn and close by themselves.
fn timed_launches() -> Result<String, String> {
    let app = std::path::PathBuf::from(env!("CARGO_BIN_EXE_demarche"));
    let bare = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("examples").join("bare_window")))
        .filter(|p| p.exists())
        .ok_or("no examples/bare_window beside this test: build it (cargo build --example bare_window)")?;
    let mut said = Vec::new();
    for program in [app, bare] {
        let home = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut child = std::process::Command::new(&program)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("DEMARCHE_EXIT_AFTER_FIRST_FRAME", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", program.display()))?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let status = loop {
            match child.try_wait().map_err(|e| e.to_string())? {
                Some(status) => break status,
                None if std::time::Instant::now() > deadline => {
                    let _ = child.kill();
                    return Err(format!("{} did not close itself", program.display()));
                }
                None => std::thread::sleep(std::time::Duration::from_millis(50)),
            }
        };
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            std::io::Read::read_to_string(&mut stdout, &mut out).map_err(|e| e.to_string())?;
        }
        let drawn = out.lines().find_map(demarche::app::first_frame_drawn_ms);
        match (status.success(), drawn) {
            (true, Some(ms)) => said.push(format!("{} {ms} ms", program.display())),
            _ => {
                return Err(format!(
                    "{} ended {status} and said {out:?}",
                    program.display()
                ));
            }
        }
    }
    Ok(format!("first frames drawn: {}", said.join(", ")))
}

/// Checks the screenshot against what the app says it drew.
fn check(c: &Captured) -> Result<String, String> {
    let image = c
        .image
        .as_ref()
        .ok_or(format!("no screenshot arrived in {} frames", c.frames))?;
    let ppp = c.pixels_per_point;
    let [w, h] = image.size;
    if w < 600 || h < 400 {
        return Err(format!(
            "the screenshot is {w}x{h}, smaller than the window"
        ));
    }
    let background = c.panel_fill;

    // The title is drawn in the top bar, the list of contacts in its panel.
    let title_ink = ink(image, c.layout.top_bar, ppp, background);
    if title_ink < 200 {
        return Err(format!(
            "the top bar has {title_ink} pixels of ink: its title is not drawn"
        ));
    }
    let list_ink = ink(image, c.layout.contacts_panel, ppp, background);
    if list_ink < 3000 {
        return Err(format!(
            "the contacts panel has {list_ink} pixels of ink: the list is not drawn"
        ));
    }
    let timeline_ink = ink(image, c.layout.timeline, ppp, background);
    if timeline_ink < 300 {
        return Err(format!(
            "the time bar has {timeline_ink} pixels of ink: it is not drawn"
        ));
    }

    // The basemap is drawn on the GPU: a paint callback with the mesh uploaded once, drawn each frame.
    let stats = c.gl_stats;
    if c.basemap_path != Some(demarche::render::egui_painter::BasemapPath::PaintCallback) {
        return Err(format!(
            "the basemap was drawn by {:?}, not by the GPU's paint callback",
            c.basemap_path
        ));
    }
    if stats.uploads == 0 || stats.vertices_uploaded == 0 || stats.frames_drawn == 0 {
        return Err(format!("the GPU basemap drew nothing: {stats:?}"));
    }
    if stats.uploads > 2 {
        return Err(format!(
            "the basemap was uploaded {} times in {} frames of a still map",
            stats.uploads, stats.frames_drawn
        ));
    }
    if c.gl_objects_after_exit != Some(false) {
        return Err(format!(
            "the map's GL objects were not deleted on exit ({:?})",
            c.gl_objects_after_exit
        ));
    }

    // The map shows land and sea in the theme's colours, with borders and venue labels on it (the land
    // and the borders are the GPU's: nothing else draws them).
    let theme = demarche::scene::Theme::light();
    let colour = |c: demarche::scene::Rgba| Color32::from_rgb(c.0[0], c.0[1], c.0[2]);
    let map = c.layout.map;
    let area = count(image, map, ppp, |p| p.a() > 0);
    let land = count(image, map, ppp, |p| distance(p, colour(theme.land)) <= 6);
    let water = count(image, map, ppp, |p| distance(p, colour(theme.water)) <= 6);
    let borders = count(image, map, ppp, |p| {
        distance(p, colour(theme.land)) > 60 && distance(p, colour(theme.water)) > 60
    });
    if area == 0 || land * 5 < area || water * 10 < area {
        return Err(format!(
            "the map ({area} pixels) shows {land} pixels of land and {water} of sea"
        ));
    }
    if borders * 200 < area {
        return Err(format!(
            "the map has only {borders} pixels of borders, labels and venues"
        ));
    }

    // Venues: a dark dot at each venue inside the map (an area venue, "the Gulf", is a soft area instead).
    let story = demarche::io::scenario::default_scenario().scenario;
    let mut venues = 0;
    for t in &c.targets {
        if let demarche::scene::Pick::Venue(v) = t.pick {
            if demarche::scene::areas::is_area(story.venue(v)) {
                continue;
            }
            let p = egui::pos2(t.center[0], t.center[1]);
            if !map.shrink(30.0).contains(p) {
                continue; // an edge marker
            }
            let pixel = pixel_at(image, p, ppp).ok_or("venue outside the screenshot")?;
            if distance(pixel, colour(theme.text)) > 60 {
                return Err(format!(
                    "no venue marker at {p:?} ({:?}): pixel {pixel:?}",
                    t.pick
                ));
            }
            venues += 1;
        }
    }
    if venues < 5 {
        return Err(format!("only {venues} venues drawn on the map"));
    }
    // Contacts going on: the mediation's dotted lines, the visits' arcs and the call's dashes, in their
    // kinds' colours. The weeks-long mediation is in the background, drawn quietly (thin and faint, see
    // `scene::contacts::emphasis`): only its marks at full colour are counted, so fewer.
    let mut contact_pixels = Vec::new();
    for (kind, least) in [
        (demarche::model::ContactKind::Mediation, 12),
        (demarche::model::ContactKind::Visit, 40),
        (demarche::model::ContactKind::PhoneCall, 40),
    ] {
        let k = colour(demarche::scene::contacts::kind_color(kind, &theme));
        let n = count(image, map, ppp, |p| distance(p, k) <= 40);
        if n < least {
            return Err(format!(
                "the map has {n} pixels of the {kind:?} colour: its contacts are not drawn"
            ));
        }
        contact_pixels.push(n);
    }

    // Rows of contacts going on at noon on Saturday are highlighted; the others are not.
    let rows = &c.layout.contact_rows;
    if rows.len() != 13 {
        return Err(format!(
            "{} contact rows drawn, the default scenario has 13",
            rows.len()
        ));
    }
    let mut highlighted = 0;
    for row in rows {
        if !c.layout.contacts_panel.contains_rect(row.rect) {
            continue; // scrolled out of view
        }
        // The row's left margin holds its background only.
        let probe = egui::pos2(row.rect.left() + 2.0, row.rect.center().y);
        let pixel = pixel_at(image, probe, ppp).ok_or("row outside the screenshot")?;
        let lit = distance(pixel, background) > 6;
        if lit != row.active {
            return Err(format!(
                "contact {:?} is {} at {AT} but its row is {} (pixel {pixel:?}, panel {background:?})",
                row.id,
                if row.active {
                    "going on"
                } else {
                    "not going on"
                },
                if lit {
                    "highlighted"
                } else {
                    "not highlighted"
                },
            ));
        }
        highlighted += usize::from(lit);
    }
    if highlighted < 4 {
        return Err(format!("only {highlighted} rows highlighted at {AT}"));
    }
    Ok(format!(
        "{w}x{h} screenshot after {} frames, basemap on the GPU ({stats:?}): title, list ({list_ink} ink pixels) and time bar drawn, {highlighted} current contacts highlighted; map of {area} pixels: {land} land, {water} sea, {borders} lines and labels, {venues} venue markers, contact pixels (mediation, visit, call) {contact_pixels:?}",
        c.frames
    ))
}

fn pixel_at(image: &ColorImage, pos: egui::Pos2, ppp: f32) -> Option<Color32> {
    let x = (pos.x * ppp) as usize;
    let y = (pos.y * ppp) as usize;
    (x < image.size[0] && y < image.size[1]).then(|| image.pixels[y * image.size[0] + x])
}

/// Pixels in `rect` for which `keep` holds.
fn count(image: &ColorImage, rect: Rect, ppp: f32, keep: impl Fn(Color32) -> bool) -> usize {
    let x0 = (rect.left() * ppp).max(0.0) as usize;
    let y0 = (rect.top() * ppp).max(0.0) as usize;
    let x1 = ((rect.right() * ppp) as usize).min(image.size[0]);
    let y1 = ((rect.bottom() * ppp) as usize).min(image.size[1]);
    (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .filter(|&(x, y)| keep(image.pixels[y * image.size[0] + x]))
        .count()
}

/// Pixels in `rect` that differ clearly from the background.
fn ink(image: &ColorImage, rect: Rect, ppp: f32, background: Color32) -> usize {
    count(image, rect, ppp, |p| distance(p, background) > 60)
}

fn distance(a: Color32, b: Color32) -> u32 {
    u32::from(a.r().abs_diff(b.r()))
        + u32::from(a.g().abs_diff(b.g()))
        + u32::from(a.b().abs_diff(b.b()))
}
