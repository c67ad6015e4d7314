//! File > Export (Ctrl+E): the current view and time as a PNG or SVG snapshot, or a time range as an
//! animation (GIF, APNG, or a folder of numbered PNGs). The export runs on another thread with its progress
//! shown and a Cancel button; the app stays responsive. It draws the same scene as the window (see
//! [`crate::export`]).

use std::path::PathBuf;

use egui::Ui;
use jiff::{SignedDuration, Timestamp};

use crate::export::animation::{AnimationFormat, Timeline, write_animation};
use crate::export::{
    FrameSpec, Layout, Place, SnapshotFormat, Source, Spot, View, Zone, write_snapshot,
};
use crate::job::Job;

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Png,
    Svg,
    Gif,
    Apng,
    /// Numbered PNGs in a folder, for video tools.
    Folder,
}

impl ExportKind {
    pub const ALL: [Self; 5] = [Self::Png, Self::Svg, Self::Gif, Self::Apng, Self::Folder];

    pub fn label(self) -> &'static str {
        match self {
            Self::Png => "PNG snapshot",
            Self::Svg => "SVG snapshot",
            Self::Gif => "GIF animation",
            Self::Apng => "APNG animation",
            Self::Folder => "PNG frames in a folder",
        }
    }

    fn extension(self) -> Option<&'static str> {
        match self {
            Self::Png => Some("png"),
            Self::Svg => Some("svg"),
            Self::Gif => Some("gif"),
            Self::Apng => Some("apng"),
            Self::Folder => None,
        }
    }

    fn is_animation(self) -> bool {
        matches!(self, Self::Gif | Self::Apng | Self::Folder)
    }
}

/// The dialog's settings, and the export under way.
#[derive(Debug)]
pub struct ExportDialog {
    pub open: bool,
    pub kind: ExportKind,
    /// Width and height in points; `None` for the size of the map in the window.
    pub size: Option<[u32; 2]>,
    pub scale: f32,
    /// Which decorations are shown, and where (the title's and the legend's places; the stamp).
    pub layout: Layout,
    pub title: String,
    pub fps: u32,
    pub duration_secs: f32,
    /// The export under way: the path written, or why it failed.
    job: Option<Job<Result<PathBuf, String>>>,
    /// What the last export did: the file written, or why it failed.
    pub last: Option<Result<PathBuf, String>>,
    /// Where to write, typed or pasted (the field works without a file-dialog service); empty for
    /// the scenario's name in the folder the app was started in.
    pub path: String,
    /// The system's save dialog, open on another thread.
    browsing: Option<Job<Option<PathBuf>>>,
    /// A read-only file the last export would have replaced, and whether the user said to replace it
    /// (the command line's `--force`): shown as a checkbox, never done silently.
    pub read_only: Option<PathBuf>,
    pub replace_read_only: bool,
}

/// What the user asked of the export dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportAsk {
    /// Export to the path in the field.
    Export,
    /// Choose where with the system's file dialog, then export.
    Browse,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            open: false,
            kind: ExportKind::Png,
            size: None,
            scale: 2.0,
            layout: Layout::default(),
            title: String::new(),
            fps: 30,
            duration_secs: 10.0,
            job: None,
            last: None,
            path: String::new(),
            browsing: None,
            read_only: None,
            replace_read_only: false,
        }
    }
}

/// What the app knows at the time of an export.
#[derive(Debug)]
pub struct ExportContext {
    pub source: Source,
    /// The window's camera and the map's size in points.
    pub camera: crate::geo_math::camera::Camera,
    pub map_size: [f32; 2],
    pub theme: crate::scene::style::ThemeKind,
    pub zone: Zone,
    pub trail: SignedDuration,
    pub time: Timestamp,
    /// The part of time an animation covers (the time axis's view, within the scenario).
    pub range: (Timestamp, Timestamp),
}

impl ExportDialog {
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// Frames written so far, of how many.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.job.as_ref().map(Job::progress)
    }

    /// The spec of the picture: the window's view at the chosen size.
    fn spec(&self, cx: &ExportContext) -> FrameSpec {
        let size = self.size.map_or(cx.map_size, |[w, h]| [w as f32, h as f32]);
        FrameSpec {
            size,
            scale: self.scale,
            view: View::Camera(cx.camera),
            theme: cx.theme,
            decorations: true,
            layout: self.layout,
            title: if self.title.trim().is_empty() {
                cx.source.scenario.meta.title.clone()
            } else {
                self.title.clone()
            },
            zone: cx.zone.clone(),
            trail: cx.trail,
            svg_text: crate::render::svg::SvgText::default(),
        }
    }

    /// Starts the export to `path` on another thread; `wake` is called as it goes (to repaint the app).
    pub fn start(
        &mut self,
        cx: ExportContext,
        path: PathBuf,
        wake: impl Fn() + Send + Sync + 'static,
    ) {
        if self.job.is_some() {
            return;
        }
        if let Some(file) = self.read_only_target(&path, &cx)
            && (self.read_only.as_ref() != Some(&path) || !self.replace_read_only)
        {
            self.last = Some(Err(format!(
                "{} is read-only: it is not replaced unless you tick \"Replace the read-only file\" and export again",
                file.display()
            )));
            self.read_only = Some(path);
            self.replace_read_only = false;
            return;
        }
        self.read_only = None;
        self.replace_read_only = false;
        let spec = self.spec(&cx);
        let kind = self.kind;
        let (total, timeline) = if kind.is_animation() {
            match Timeline::new(
                cx.range.0,
                cx.range.1,
                self.fps,
                SignedDuration::from_secs_f64(f64::from(self.duration_secs)),
            ) {
                Ok(t) => (t.frames, Some(t)),
                Err(e) => {
                    self.last = Some(Err(e));
                    return;
                }
            }
        } else {
            (1, None)
        };
        let spawned = Job::spawn_steps("export", total, Box::new(wake), move |worker| {
            let cancel = worker.cancel_flag();
            let result = match (kind, timeline) {
                (ExportKind::Png | ExportKind::Svg, _) => {
                    let format = if kind == ExportKind::Png {
                        SnapshotFormat::Png
                    } else {
                        SnapshotFormat::Svg
                    };
                    write_snapshot(&cx.source, &spec, cx.time, format, &path, cancel)
                }
                (_, Some(timeline)) => {
                    let format = match kind {
                        ExportKind::Gif => AnimationFormat::Gif,
                        ExportKind::Apng => AnimationFormat::Apng,
                        _ => AnimationFormat::PngFolder,
                    };
                    let progress = |p: crate::export::animation::FrameProgress| {
                        worker.set_progress(p.done, total);
                    };
                    write_animation(
                        &cx.source, &spec, &timeline, format, &path, &progress, cancel,
                    )
                }
                (_, None) => Ok(()),
            };
            worker.set_progress(total, total);
            result.map(|()| path).map_err(|e| e.to_string())
        });
        match spawned {
            Ok(job) => {
                self.job = Some(job);
                self.last = None;
            }
            Err(e) => self.last = Some(Err(e.to_string())),
        }
    }

    /// The read-only file an export to `path` would replace, if any: the file itself (its links
    /// followed), or for frames in a folder, the first frame file that is read-only.
    fn read_only_target(&self, path: &std::path::Path, cx: &ExportContext) -> Option<PathBuf> {
        use crate::export::output::{Existing, existing, resolve_target};
        let read_only = |out: &std::path::Path| {
            let target = resolve_target(out).ok()?;
            (existing(&target).ok()? == Existing::ReadOnlyFile).then_some(target)
        };
        if self.kind != ExportKind::Folder {
            return read_only(path);
        }
        let frames = Timeline::new(
            cx.range.0,
            cx.range.1,
            self.fps,
            SignedDuration::from_secs_f64(f64::from(self.duration_secs)),
        )
        .map_or(0, |t| t.frames);
        (0..frames)
            .find_map(|i| read_only(&path.join(crate::export::animation::frame_file_name(i))))
    }

    /// Asks the export under way to stop; it leaves no partial file.
    pub fn cancel(&self) {
        if let Some(job) = &self.job {
            job.cancel();
        }
    }

    /// Takes the result of a finished export.
    pub fn poll(&mut self) {
        if let Some(result) = self.job.as_ref().and_then(Job::try_take) {
            self.job = None;
            self.last = Some(result.unwrap_or_else(|e| Err(e.to_string())));
        }
    }

    /// The dialog. Returns what the user asked for: to export to the path in the field, or to browse for
    /// one (the app then calls [`ExportDialog::target`] or [`ExportDialog::browse`], and
    /// [`ExportDialog::start`]).
    pub fn ui(&mut self, ctx: &egui::Context, map_size: [f32; 2]) -> Option<ExportAsk> {
        self.poll();
        if self.job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        let mut open = self.open;
        let mut go = None;
        egui::Window::new("Export")
            .open(&mut open)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                go = self.form_ui(ui, map_size);
            });
        self.open = open;
        go
    }

    fn form_ui(&mut self, ui: &mut Ui, map_size: [f32; 2]) -> Option<ExportAsk> {
        egui::ComboBox::from_label("Format")
            .selected_text(self.kind.label())
            .show_ui(ui, |ui| {
                for kind in ExportKind::ALL {
                    ui.selectable_value(&mut self.kind, kind, kind.label());
                }
            });
        ui.horizontal(|ui| {
            let mut same = self.size.is_none();
            ui.checkbox(&mut same, "Size of the map in the window");
            if same {
                self.size = None;
                ui.weak(format!("{:.0} x {:.0}", map_size[0], map_size[1]));
            } else {
                let [mut w, mut h] = self
                    .size
                    .unwrap_or([map_size[0] as u32, map_size[1] as u32]);
                ui.add(egui::DragValue::new(&mut w).range(1..=16384).suffix(" w"));
                ui.add(egui::DragValue::new(&mut h).range(1..=16384).suffix(" h"));
                self.size = Some([w, h]);
            }
        });
        ui.add(
            egui::Slider::new(&mut self.scale, 1.0..=4.0)
                .step_by(0.5)
                .text("Scale (pixels per point)"),
        );
        place_ui(ui, "Title and date", &mut self.layout.title);
        place_ui(ui, "Legend", &mut self.layout.legend);
        ui.checkbox(&mut self.layout.stamp, "Stamp (scenario and hash)");
        ui.horizontal(|ui| {
            let label = ui.label("Title");
            ui.add(
                egui::TextEdit::singleline(&mut self.title)
                    .hint_text("the scenario's title")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
        });
        if self.kind.is_animation() {
            ui.add(egui::Slider::new(&mut self.fps, 1..=60).text("Frames per second"));
            ui.add(egui::Slider::new(&mut self.duration_secs, 1.0..=120.0).text("Duration (s)"));
            ui.weak("The animation covers the part of time the time axis shows.");
        }
        ui.separator();
        let mut go = None;
        let hint = self.default_path_hint();
        ui.horizontal(|ui| {
            let label = ui.label("File");
            ui.add(
                egui::TextEdit::singleline(&mut self.path)
                    .hint_text(hint)
                    .desired_width(300.0),
            )
            .labelled_by(label.id);
        });
        if let Some(file) = &self.read_only {
            let file = file.display().to_string();
            ui.checkbox(&mut self.replace_read_only, "Replace the read-only file")
                .on_hover_text(format!(
                    "{file} has no write permission: replace it all the same"
                ));
        }
        match self.progress() {
            Some((done, total)) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.add(
                        egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                            .text(format!("frame {done} of {total}"))
                            .desired_width(200.0),
                    );
                    if ui.button("Cancel").clicked() {
                        self.cancel();
                    }
                });
            }
            None => {
                ui.horizontal(|ui| {
                    if ui.button("Export").clicked() {
                        go = Some(ExportAsk::Export);
                    }
                    let browse =
                        ui.add_enabled(self.browsing.is_none(), egui::Button::new("Browse…"));
                    if browse.clicked() {
                        go = Some(ExportAsk::Browse);
                    }
                    if self.browsing.is_some() {
                        ui.spinner();
                        ui.label("Waiting for the file dialog…");
                    }
                });
            }
        }
        match &self.last {
            Some(Ok(path)) => {
                ui.label(format!("Written: {}", path.display()));
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
        go
    }

    fn default_path_hint(&self) -> String {
        default_file_name("", self.kind).replace("demarche", "the scenario's name")
    }

    /// Where to write: the path in the field (`~/` as the shell reads it), or the scenario's name in the
    /// current folder; or why not (shown in the dialog).
    pub fn target(&mut self, scenario_id: &str) -> Result<PathBuf, String> {
        let typed = self.path.trim();
        let path = if typed.is_empty() {
            PathBuf::from(default_file_name(scenario_id, self.kind))
        } else {
            PathBuf::from(super::open_dialog::expand_home(typed))
        };
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match (self.kind.extension(), extension.as_deref()) {
            (Some(want), Some(got)) if want != got => Err(format!(
                "{} ends in .{got}, but the format is {}: end it in .{want} or choose another format.",
                path.display(),
                self.kind.label()
            )),
            (Some(want), None) => Ok(path.with_extension(want)),
            _ => Ok(path),
        }
    }

    /// Asks where to write with the system's dialog, on another thread (see [`ExportDialog::poll_browse`]).
    pub fn browse(&mut self, scenario_id: &str, wake: crate::job::Wake) {
        let name = default_file_name(scenario_id, self.kind);
        let kind = self.kind;
        self.browse_with(wake, move || {
            let dialog = rfd::AsyncFileDialog::new();
            let picked = match kind.extension() {
                Some(ext) => pollster::block_on(
                    dialog
                        .set_title("Export")
                        .set_file_name(name)
                        .add_filter(kind.label(), &[ext])
                        .save_file(),
                ),
                None => pollster::block_on(
                    dialog
                        .set_title("Export frames into a folder")
                        .pick_folder(),
                ),
            };
            picked.map(|f| f.path().to_path_buf())
        });
    }

    /// Runs `pick` (a file dialog, or a stand-in in tests) on another thread.
    pub fn browse_with(
        &mut self,
        wake: crate::job::Wake,
        pick: impl FnOnce() -> Option<PathBuf> + Send + 'static,
    ) {
        match Job::spawn("export-file-dialog", wake, move |_| pick()) {
            Ok(job) => self.browsing = Some(job),
            Err(e) => self.last = Some(Err(format!("the file dialog could not start: {e}"))),
        }
    }

    /// The path picked in the system's dialog, once it has closed with one (it is put in the field); when
    /// it closed with none, the dialog says so.
    pub fn poll_browse(&mut self) -> Option<PathBuf> {
        let result = self.browsing.as_ref()?.try_take()?;
        self.browsing = None;
        match result {
            Ok(Some(path)) => {
                self.path = path.display().to_string();
                Some(path)
            }
            Ok(None) => {
                self.last = Some(Err(super::open_dialog::nothing_chosen(
                    "where to write in File",
                )));
                None
            }
            Err(e) => {
                self.last = Some(Err(format!("the file dialog failed: {e}")));
                None
            }
        }
    }
}

/// A decoration's row: shown or not, and where ("Where it covers least" by default).
fn place_ui(ui: &mut Ui, label: &str, place: &mut Place) {
    ui.horizontal(|ui| {
        let mut shown = *place != Place::Hidden;
        if ui.checkbox(&mut shown, label).changed() {
            *place = if shown { Place::Auto } else { Place::Hidden };
        }
        if !shown {
            return;
        }
        let text = |p: Place| match p {
            Place::At(spot) => spot.label(),
            Place::Auto | Place::Hidden => "Where it covers least",
        };
        egui::ComboBox::from_id_salt(label)
            .selected_text(text(*place))
            .show_ui(ui, |ui| {
                ui.selectable_value(place, Place::Auto, text(Place::Auto));
                for spot in Spot::ALL {
                    ui.selectable_value(place, Place::At(spot), spot.label());
                }
            })
            .response
            .on_hover_text(format!(
                "Where the {} goes on the picture",
                label.to_lowercase()
            ));
    });
}

/// `ankara-channel.png`: a file name for an export.
pub fn default_file_name(scenario_id: &str, kind: ExportKind) -> String {
    let stem = if scenario_id.is_empty() {
        "demarche"
    } else {
        scenario_id
    };
    match kind.extension() {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem.to_owned(),
    }
}
