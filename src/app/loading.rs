//! Reading scenario files on another thread, and reading the open one again when it changes on disk.

use std::path::PathBuf;

use super::{DemarcheApp, Document};
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
            (Err(report), _) => {
                log::warn!(
                    "{} has {} errors; keeping the current scenario",
                    path.display(),
                    report.error_count()
                );
                self.problems = Some(report);
            }
        }
    }

    /// The scenario read again: keeps the time, the view, the filter and the selection.
    fn replace_keeping_view(&mut self, document: Document) {
        let now = self.clock.time();
        let selected = self
            .selected_contact()
            .map(|id| self.document.loaded.scenario.contact(id).id.clone());
        let report = &document.loaded.report;
        if !report.diagnostics.is_empty() {
            self.problems = Some(report.clone());
        } else if self
            .problems
            .as_ref()
            .is_some_and(|p| p.file == report.file)
        {
            // This file's earlier problems are fixed; another file's stay until dismissed.
            self.problems = None;
        }
        self.document = document;
        self.clock.set_range(self.document.clock_range());
        self.clock.apply(TimeCommand::SetTime(now));
        self.refresh_visible();
        self.selection = selected
            .and_then(|id| self.document.loaded.scenario.contact_by_id(&id))
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

    /// A newly opened scenario file: remembered among the recent files, then shown.
    fn replace(&mut self, document: Document, path: &std::path::Path) {
        self.remember_recent(path);
        self.show_new(document);
    }

    /// A newly opened scenario: fitted, from its start, nothing selected.
    fn show_new(&mut self, document: Document) {
        let report = &document.loaded.report;
        self.problems = (!report.diagnostics.is_empty()).then(|| report.clone());
        self.document = document;
        self.map.request_fit();
        self.clock.set_range(self.document.clock_range());
        let (start, end) = self.clock.range();
        self.axis = ui::time_axis::AxisView::fit(start, end);
        self.selection = None;
        self.refresh_visible();
    }

    /// Keeps a watch on the open file, reloads it when it has changed, and sets the egui theme.
    pub(super) fn housekeeping(&mut self, ctx: &egui::Context) {
        if self.waker.is_none() {
            self.waker = Some(ctx.clone());
        }
        self.poll_loading();
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
            Some(ui::watch::Poll::Reload) => self.reload(),
            Some(ui::watch::Poll::WaitFor(d)) => ctx.request_repaint_after(d),
            _ => {}
        }
        if self.applied_theme != Some(self.map.theme) {
            ctx.set_theme(match self.map.theme {
                ThemeKind::Light => egui::Theme::Light,
                ThemeKind::Dark => egui::Theme::Dark,
            });
            self.applied_theme = Some(self.map.theme);
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
            Ok((loaded, stamp)) => self.show_new(Document::with_stamp(loaded, None, stamp)),
            Err(report) => self.problems = Some(report),
        }
    }
}
