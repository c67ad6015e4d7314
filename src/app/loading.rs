//! Reading scenario files on another thread, and reading the open one again when it changes on disk.

use std::path::PathBuf;

use super::{DemarcheApp, Document, ProblemSource, Problems};
use crate::diagnostics::Report;
use crate::io::scenario;
use crate::playback::TimeCommand;
use crate::scene::Pick;
use crate::scene::style::ThemeKind;
use crate::ui::{self};

/// Reads a scenario file and the stamp of its bytes (on a thread of its own: see [`Loading`]).
pub(super) fn read_document(path: PathBuf) -> Result<Document, Report> {
    let (loaded, stamp) = scenario::read_file_with_stamp(&path)?;
    Ok(Document::with_stamp(loaded, Some(path), stamp))
}

/// A scenario file being read and checked on another thread, so that a large one does not stop the window.
#[derive(Debug)]
pub(super) struct Loading {
    path: PathBuf,
    /// Read again after it changed on disk (keep the time, view, filter and selection), or newly opened.
    reload: bool,
    /// The read, on its own thread (a panic in it comes back as an error).
    job: crate::job::Job<Result<Document, Report>>,
}

impl DemarcheApp {
    /// Reads the open scenario file again after it changed on disk, in the background; when it is read,
    /// keeps the time, the view, the filter and the selection (when the selected contact is still there).
    /// A broken file shows its problems and the scenario on screen stays.
    ///
    /// While another file is being opened the reload waits: it is done only if that file fails to open
    /// (when it opens, the changed file is no longer on screen).
    pub fn reload(&mut self) {
        if self.loading.as_ref().is_some_and(|l| !l.reload) {
            self.reload_owed = true;
            return;
        }
        if let Some(path) = self.document.path.clone() {
            self.start_loading(path, true);
        }
    }

    /// Whether a scenario file is being read, and which.
    pub fn loading(&self) -> Option<&std::path::Path> {
        self.loading.as_ref().map(|l| l.path.as_path())
    }

    /// Starts reading `path` on another thread (a read under way for another file is forgotten).
    pub(super) fn start_loading(&mut self, path: PathBuf, reload: bool) {
        if !reload {
            self.reload_owed = false;
        }
        let waker = self.waker.clone();
        let read = path.clone();
        let wake: crate::job::Wake = Box::new(move || {
            if let Some(ctx) = &waker {
                ctx.request_repaint();
            }
        });
        match crate::job::Job::spawn("scenario", wake, move |_| read_document(read)) {
            Ok(job) => self.loading = Some(Loading { path, reload, job }),
            Err(err) => {
                log::error!("cannot start reading {}: {err}", path.display());
                // Read it here rather than not at all.
                let result = read_document(path.clone());
                self.loaded(path, reload, result);
            }
        }
    }

    /// Takes the scenario read in the background, if it is ready.
    fn poll_loading(&mut self) {
        if let Some(result) = self.loading.as_ref().and_then(|l| l.job.try_take())
            && let Some(loading) = self.loading.take()
        {
            self.take_loaded(loading.path, loading.reload, result);
        }
    }

    /// Waits for the scenario being read in the background, if any, and takes it (or its problems).
    pub fn finish_loading(&mut self) {
        if let Some(Loading { path, reload, job }) = self.loading.take() {
            self.take_loaded(path, reload, job.wait());
        }
    }

    /// Waits at most `limit` for the scenario being read in the background, and takes it if it is read
    /// by then. A larger file goes on being read while the window draws (a spinner and "Reading …" in
    /// the header) and is shown when it is read.
    pub fn finish_loading_within(&mut self, limit: std::time::Duration) {
        let Some(result) = self
            .loading
            .as_ref()
            .and_then(|l| l.job.wait_at_most(limit))
        else {
            return;
        };
        if let Some(Loading { path, reload, .. }) = self.loading.take() {
            self.take_loaded(path, reload, result);
        }
    }

    /// Ends the read of `path` with its result. A read that ended without one (its thread panicked) is
    /// reported as such.
    fn take_loaded(
        &mut self,
        path: PathBuf,
        reload: bool,
        result: Result<Result<Document, Report>, crate::job::JobError>,
    ) {
        let result = result.unwrap_or_else(|_| {
            let mut report = Report::new(path.display().to_string(), "");
            report
                .diagnostics
                .push(crate::diagnostics::Diagnostic::error(
                    "reading this file stopped unexpectedly (a bug in demarche)",
                ));
            Err(report)
        });
        let failed_open = !reload && result.is_err();
        self.loaded(path, reload, result);
        if failed_open && std::mem::take(&mut self.reload_owed) {
            self.reload();
        }
    }

    /// Puts a scenario read from `path` on screen, or shows why it could not be.
    fn loaded(&mut self, path: PathBuf, reload: bool, result: Result<Document, Report>) {
        match (result, reload) {
            (Ok(document), true) => self.replace_keeping_view(document),
            (Ok(document), false) => self.replace(document, &path),
            (Err(report), reload) => {
                log::warn!(
                    "{} has {} errors; keeping the current scenario",
                    path.display(),
                    report.error_count()
                );
                self.failed_watch = (!reload).then(|| self.watch_failed(&path)).flatten();
                let source = if reload {
                    ProblemSource::Reload(path)
                } else {
                    ProblemSource::Scenario(path)
                };
                self.problems = Some(Problems { report, source });
            }
        }
    }

    /// The scenario read again: keeps the time, the view, the filter and the selection.
    fn replace_keeping_view(&mut self, document: Document) {
        let now = self.clock.time();
        let selected = self
            .selected_contact()
            .map(|id| self.shown().loaded.scenario.contact(id).id.clone());
        let report = &document.loaded.report;
        if !report.diagnostics.is_empty() {
            self.problems = Some(Problems {
                report: report.clone(),
                source: ProblemSource::Reload(document.path.clone().unwrap_or_default()),
            });
        } else if self
            .problems
            .as_ref()
            .is_some_and(|p| p.report.file == report.file)
        {
            // This file's earlier problems are fixed; another file's stay until dismissed.
            self.problems = None;
        }
        self.document = document;
        self.clock.set_range(self.document.clock_range());
        self.clock.apply(TimeCommand::SetTime(now));
        self.refresh_visible();
        self.selection = selected
            .and_then(|id| self.shown().loaded.scenario.contact_by_id(&id))
            .map(Pick::Contact);
        log::info!(
            "reloaded {}",
            self.document
                .path
                .as_deref()
                .unwrap_or(std::path::Path::new(""))
                .display()
        );
    }

    /// A newly opened scenario file: remembered among the recent files, then shown. The same file opened
    /// again (from the recent list, a drop) after the user moved the map keeps that view and the clock.
    fn replace(&mut self, document: Document, path: &std::path::Path) {
        self.remember_recent(path);
        let same_file =
            self.document.path.as_deref().is_some_and(|open| {
                std::path::absolute(open).ok() == std::path::absolute(path).ok()
            });
        let keep_view = same_file && !self.map.is_fitted();
        self.show_new(document, Some(path), keep_view);
    }

    /// A newly opened scenario (from `path`, or an example): fitted, the clock at its first contact,
    /// nothing selected; with `keep_view`, the view and the clock stay.
    pub(super) fn show_new(
        &mut self,
        document: Document,
        path: Option<&std::path::Path>,
        keep_view: bool,
    ) {
        let report = &document.loaded.report;
        self.problems = (!report.diagnostics.is_empty()).then(|| Problems {
            report: report.clone(),
            source: ProblemSource::Scenario(
                path.map(std::path::Path::to_path_buf).unwrap_or_default(),
            ),
        });
        self.failed_watch = None;
        self.document = document;
        self.clock.set_range(self.document.clock_range());
        let (start, end) = self.clock.range();
        if !keep_view {
            self.map.request_fit();
            self.clock.apply(TimeCommand::SetTime(start));
        }
        self.axis = ui::time_axis::AxisView::fit(start, end);
        self.selection = None;
        self.note_opened();
        self.refresh_visible();
    }

    /// Keeps a watch on the open file, reloads it when it has changed, and sets the egui theme.
    pub(super) fn housekeeping(&mut self, ctx: &egui::Context) {
        if self.waker.is_none() {
            self.waker = Some(ctx.clone());
        }
        self.poll_loading();
        self.poll_import();
        self.poll_save();
        self.settle_search(ctx);
        let watched = self.watch.as_ref().map(|w| w.path().to_path_buf());
        let open = self
            .document
            .path
            .as_deref()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
        if watched != open {
            self.watch = open.as_deref().and_then(|path| {
                let waker = ctx.clone();
                ui::watch::FileWatch::new(path, move || waker.request_repaint())
                    .map_err(|e| log::warn!("cannot watch {}: {e}", path.display()))
                    .ok()
            });
        }
        let poll = self
            .watch
            .as_mut()
            .map(|w| w.poll(std::time::Instant::now()));
        match poll {
            // Decisions not yet saved are not thrown away by a change on disk.
            Some(ui::watch::Poll::Reload) if self.document.unsaved => log::warn!(
                "the open file changed on disk; not read again: this scenario has unsaved changes"
            ),
            Some(ui::watch::Poll::Reload) => self.reload(),
            Some(ui::watch::Poll::WaitFor(d)) => ctx.request_repaint_after(d),
            _ => {}
        }
        // A file that failed to open is opened again once it changes (fixed, one hopes).
        let failed = self
            .failed_watch
            .as_mut()
            .map(|w| (w.path().to_path_buf(), w.poll(std::time::Instant::now())));
        match failed {
            Some((path, ui::watch::Poll::Reload)) => {
                self.failed_watch = None;
                self.open_scenario(path);
            }
            Some((_, ui::watch::Poll::WaitFor(d))) => ctx.request_repaint_after(d),
            _ => {}
        }
        if self.applied_theme != Some(self.map_settings.theme) {
            ctx.set_theme(match self.map_settings.theme {
                ThemeKind::Light => egui::Theme::Light,
                ThemeKind::Dark => egui::Theme::Dark,
            });
            self.applied_theme = Some(self.map_settings.theme);
        }
    }

    /// Watches a file that failed to open, to open it when it changes.
    fn watch_failed(&self, path: &std::path::Path) -> Option<ui::watch::FileWatch> {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let waker = self.waker.clone();
        ui::watch::FileWatch::new(&path, move || {
            if let Some(ctx) = &waker {
                ctx.request_repaint();
            }
        })
        .map_err(|e| log::warn!("cannot watch {}: {e}", path.display()))
        .ok()
    }

    /// Tries again the file whose problems are shown: a scenario is opened (or the open one read) again,
    /// a map file loaded again.
    pub(super) fn retry_problem_file(&mut self) {
        let Some(problems) = self.problems.take() else {
            return;
        };
        self.failed_watch = None;
        match problems.source {
            ProblemSource::Scenario(path) => self.open_scenario(path),
            ProblemSource::Reload(_) => self.reload(),
            ProblemSource::MapFile { path, replace } => {
                let ctx = self.context();
                self.map_layers.open(path, replace, &ctx);
            }
            ProblemSource::Import { paths, merge, .. } => self.start_import(paths, merge),
            ProblemSource::Save(path) => self.save_as(path),
        }
    }

    /// Opens a scenario file, read in the background (the window keeps going; the top bar says what is
    /// being read). When it is broken, the current one stays and its problems are shown.
    pub fn open_scenario(&mut self, path: PathBuf) {
        self.start_loading(path, false);
    }

    /// Opens an example built into the program (File > Examples), as a newly opened scenario. It is no
    /// file: nothing is watched or added to the recent files, and a file being read is forgotten.
    pub fn open_example(&mut self, file_name: &str) {
        let Some(example) = scenario::examples::find(file_name) else {
            log::error!("no example is named {file_name}");
            return;
        };
        self.loading = None;
        self.reload_owed = false;
        match example.load() {
            Ok((loaded, stamp)) => {
                self.show_new(Document::with_stamp(loaded, None, stamp), None, false);
            }
            Err(report) => {
                self.problems = Some(Problems {
                    report,
                    source: ProblemSource::Scenario(file_name.into()),
                });
            }
        }
    }
}
