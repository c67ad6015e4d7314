//! The analyst's work on machine-coded contacts: accepting and rejecting them, saving the scenario with
//! those decisions (File > Save, Save As…, on a background job: a story of a million contacts takes
//! seconds to write), and importing event files from the app (File > Import…), on a background job,
//! opened as a new scenario or merged into the open one by their row ids ([`crate::import::update`]),
//! with the counts and problems shown in the problems panel.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{DemarcheApp, Document, ProblemSource, Problems};
use crate::diagnostics::{Diagnostic, Report, Severity};
use crate::import::{Imported, Options};
use crate::io::scenario::{Loaded, save};
use crate::model::{ContactId, Review, Scenario};
use crate::scene::Pick;

/// What an import in the background gives back.
#[derive(Debug)]
pub(super) struct ImportDone {
    /// The scenario to show: the import alone, or the open one with the import merged in.
    scenario: Option<Scenario>,
    summary: Vec<String>,
    report: Report,
}

/// File > Save on another thread: the window keeps drawing while the scenario is written (a temporary
/// file, then renamed into place).
#[derive(Default)]
pub(super) struct Saving {
    running: Option<SaveJob>,
    /// Where to save again once the running save ends (File > Save chosen meanwhile).
    owed: Option<PathBuf>,
    /// Called on the save's thread before it writes: tests hold a save with it.
    hook: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for Saving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Saving")
            .field("running", &self.running.as_ref().map(|r| &r.path))
            .field("owed", &self.owed)
            .finish_non_exhaustive()
    }
}

/// A save under way: where, of which document, as it was after how many changes.
struct SaveJob {
    path: PathBuf,
    document: u64,
    changes: u64,
    job: crate::job::Job<Result<crate::export::Stamp, save::SaveError>>,
}

/// Event files being imported on another thread.
#[derive(Debug)]
pub(super) struct Importing {
    paths: Vec<PathBuf>,
    merge: bool,
    job: crate::job::Job<ImportDone>,
}

impl DemarcheApp {
    /// Sets the analyst's decision on a machine-coded contact (the analyst's own have none). A rejected
    /// contact leaves the list and the map unless the Review filter shows it; the selection stays on it,
    /// so the details still show what was decided.
    pub(super) fn set_review(&mut self, id: ContactId, review: Review) {
        // `id` is the shown contact's: with the as-of clock set, the shown document is derived.
        let Some(id) = self.whole_id(id) else {
            return;
        };
        let Some(contact) = self
            .document
            .loaded
            .scenario
            .contacts
            .get_mut(id.0 as usize)
        else {
            return;
        };
        let Some(p) = contact.provenance.as_mut() else {
            return;
        };
        if p.review != review {
            p.review = review;
            self.document.mark_changed();
            self.refresh_visible();
        }
    }

    /// File > Save: to the open file when it is JSON; otherwise (TOML, an example, an import not yet
    /// saved) asks where, as Save As does.
    pub(super) fn save(&mut self) {
        match self.document.path.clone() {
            Some(path) if save::is_json_path(&path) => self.save_as(path),
            _ => self.ask_save_path(),
        }
    }

    /// File > Save As…: the dialog, with a JSON name beside the open file suggested.
    pub(super) fn ask_save_path(&mut self) {
        let suggested = match &self.document.path {
            Some(p) => p.with_extension("json"),
            None => PathBuf::from(format!("{}.json", self.document.loaded.scenario.meta.id)),
        };
        self.open_dialog.path = suggested.display().to_string();
        self.open_dialog
            .show(crate::ui::open_dialog::FileTarget::SaveAs);
    }

    /// Starts writing the scenario to `path` (JSON, whole or not at all) on another thread; the top bar
    /// says so. Once written, it is the open file, and saved unless it changed meanwhile. A failure is
    /// shown in the problems panel and the document stays unsaved. A save asked for while one runs
    /// follows it.
    pub fn save_as(&mut self, path: PathBuf) {
        if !save::is_json_path(&path) {
            let err = save::SaveError::NotJson {
                path: path.display().to_string(),
            };
            self.save_failed(path, &err.to_string());
            return;
        }
        if self.saving.running.is_some() {
            self.saving.owed = Some(path);
            return;
        }
        // The copy is made here (a fraction of the write); the write, and dropping the copy, are the job's.
        let scenario = self.document.loaded.scenario.parallel_clone();
        let hook = self.saving.hook.clone();
        let ctx = self.context();
        let write_to = path.clone();
        let job =
            crate::job::Job::spawn("save", Box::new(move || ctx.request_repaint()), move |_| {
                if let Some(hook) = hook {
                    hook();
                }
                save::save_json(&scenario, &write_to)
            });
        match job {
            Ok(job) => {
                self.saving.running = Some(SaveJob {
                    path,
                    document: self.document.id,
                    changes: self.document.changes,
                    job,
                });
            }
            Err(err) => self.save_failed(path, &err.to_string()),
        }
    }

    /// The file being saved, if a save is under way.
    pub fn saving(&self) -> Option<&Path> {
        self.saving.running.as_ref().map(|s| s.path.as_path())
    }

    /// Runs `hook` on the save's thread before each save writes (tests hold a save with it).
    pub fn hold_saves_with(&mut self, hook: impl Fn() + Send + Sync + 'static) {
        self.saving.hook = Some(Arc::new(hook));
    }

    /// Takes the save's result when it is ready.
    pub(super) fn poll_save(&mut self) {
        if let Some(result) = self.saving.running.as_ref().and_then(|s| s.job.try_take())
            && let Some(running) = self.saving.running.take()
        {
            self.saved(running.path, running.document, running.changes, result);
        }
    }

    /// Waits for the save under way, if any (and the one asked for meanwhile), and takes its result (at
    /// exit, and for tests and scripts).
    pub fn finish_save(&mut self) {
        while let Some(SaveJob {
            path,
            document,
            changes,
            job,
        }) = self.saving.running.take()
        {
            self.saved(path, document, changes, job.wait());
        }
    }

    fn saved(
        &mut self,
        path: PathBuf,
        document: u64,
        changes: u64,
        result: Result<Result<crate::export::Stamp, save::SaveError>, crate::job::JobError>,
    ) {
        match result {
            Ok(Ok(stamp)) => {
                log::info!("saved {}", path.display());
                self.remember_recent(&path);
                // Another scenario opened meanwhile is not the one saved; one changed meanwhile stays
                // unsaved (the file has it as it was when the save started).
                if self.document.id == document {
                    self.document.path = Some(path);
                    if self.document.changes == changes {
                        self.document.stamp = stamp;
                        self.document.unsaved = false;
                    }
                }
                if self
                    .problems
                    .as_ref()
                    .is_some_and(|p| matches!(p.source, ProblemSource::Save(_)))
                {
                    self.problems = None;
                }
            }
            Ok(Err(err)) => self.save_failed(path, &err.to_string()),
            Err(err) => self.save_failed(path, &err.to_string()),
        }
        if let Some(owed) = self.saving.owed.take() {
            self.save_as(owed);
        }
    }

    /// Shows why saving to `path` failed, in the problems panel.
    fn save_failed(&mut self, path: PathBuf, message: &str) {
        let mut report = Report::new(path.display().to_string(), "");
        report.diagnostics.push(Diagnostic::error(message));
        self.problems = Some(Problems {
            report,
            source: ProblemSource::Save(path),
        });
    }

    /// Starts importing `paths` on another thread: merged into the open scenario with `merge`, else a new
    /// scenario. The window keeps going; the top bar says so.
    pub(super) fn start_import(&mut self, paths: Vec<PathBuf>, merge: bool) {
        let ctx = self.context();
        let existing = merge.then(|| self.document.loaded.scenario.clone());
        let run = paths.clone();
        let job = crate::job::Job::spawn(
            "import",
            Box::new(move || ctx.request_repaint()),
            move |_| import_in_background(&run, existing),
        );
        match job {
            Ok(job) => self.importing = Some(Importing { paths, merge, job }),
            Err(err) => {
                let mut report = Report::new("import", "");
                report.diagnostics.push(Diagnostic::error(err.to_string()));
                self.problems = Some(Problems {
                    report,
                    source: ProblemSource::Import {
                        paths,
                        merge,
                        summary: Vec::new(),
                    },
                });
            }
        }
    }

    /// The files being imported, if any.
    pub fn importing(&self) -> Option<&[PathBuf]> {
        self.importing.as_ref().map(|i| i.paths.as_slice())
    }

    /// Takes the import's result when it is ready.
    pub(super) fn poll_import(&mut self) {
        if let Some(result) = self.importing.as_ref().and_then(|i| i.job.try_take())
            && let Some(importing) = self.importing.take()
        {
            self.take_import(importing.paths, importing.merge, result);
        }
    }

    /// Waits for the import under way, if any, and takes its result (for tests and scripts).
    pub fn finish_import(&mut self) {
        if let Some(Importing { paths, merge, job }) = self.importing.take() {
            self.take_import(paths, merge, job.wait());
        }
    }

    fn take_import(
        &mut self,
        paths: Vec<PathBuf>,
        merge: bool,
        result: Result<ImportDone, crate::job::JobError>,
    ) {
        let done = result.unwrap_or_else(|err| {
            let mut report = Report::new("import", "");
            report.diagnostics.push(Diagnostic::error(err.to_string()));
            ImportDone {
                scenario: None,
                summary: Vec::new(),
                report,
            }
        });
        if let Some(scenario) = done.scenario {
            let selected = self
                .selected_contact()
                .map(|id| self.shown().loaded.scenario.contact(id).id.clone());
            let bytes = crate::io::scenario::write::to_json(&scenario);
            let loaded = Loaded {
                scenario,
                report: Report::new("import", ""),
            };
            if merge {
                let mut document =
                    Document::new(loaded, self.document.path.clone(), bytes.as_bytes());
                document.unsaved = true;
                let now = self.clock.time();
                self.document = document;
                self.clock.set_range(self.document.clock_range());
                self.clock.apply(crate::playback::TimeCommand::SetTime(now));
                self.refresh_visible();
                self.selection = selected
                    .and_then(|id| self.shown().loaded.scenario.contact_by_id(&id))
                    .map(Pick::Contact);
            } else {
                let mut document = Document::new(loaded, None, bytes.as_bytes());
                document.unsaved = true;
                self.show_new(document, None, false);
            }
        }
        self.problems = Some(Problems {
            report: done.report,
            source: ProblemSource::Import {
                paths,
                merge,
                summary: done.summary,
            },
        });
    }
}

/// The import itself, on the job's thread: read the files, and merge into `existing` when given.
fn import_in_background(paths: &[PathBuf], existing: Option<Scenario>) -> ImportDone {
    let name = import_name(paths);
    match crate::import::import(paths, &Options::default()) {
        Ok(Imported {
            scenario,
            summary,
            problems,
        }) => {
            let mut report = Report::new(name, "");
            for p in &problems.shown {
                let place = format!("{}:{}:{}", p.file, p.line, p.column);
                let d = match p.severity {
                    Severity::Error => Diagnostic::error(format!("{place}: {}", p.message)),
                    Severity::Warning => Diagnostic::warning(format!("{place}: {}", p.message)),
                };
                report
                    .diagnostics
                    .push(d.path(p.field.clone()).maybe_hint(p.hint.clone()));
            }
            let mut lines: Vec<String> = summary.to_string().lines().map(str::to_owned).collect();
            if problems.more_errors + problems.more_warnings > 0 {
                lines.extend(problems.lines().pop());
            }
            if scenario.contacts.is_empty() {
                lines.push("No contact was kept: the scenario on screen is unchanged.".to_owned());
                return ImportDone {
                    scenario: None,
                    summary: lines,
                    report,
                };
            }
            let scenario = match existing {
                Some(existing) => {
                    let (merged, counts) = crate::import::update::merge(existing, scenario);
                    lines.push(format!("Merged into the open scenario: {counts}."));
                    merged
                }
                None => scenario,
            };
            lines.push("Not saved yet: File > Save keeps it (and your decisions).".to_owned());
            ImportDone {
                scenario: Some(scenario),
                summary: lines,
                report,
            }
        }
        Err(err) => {
            let mut report = Report::new(name, "");
            report
                .diagnostics
                .push(Diagnostic::error(err.to_string()).maybe_hint(err.hint().map(str::to_owned)));
            ImportDone {
                scenario: None,
                summary: Vec::new(),
                report,
            }
        }
    }
}

/// "events.tsv", or "events.tsv and 2 other files", for the problems panel.
fn import_name(paths: &[PathBuf]) -> String {
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match paths {
        [] => "import".to_owned(),
        [one] => name(one),
        [first, rest @ ..] => format!("{} and {} other files", name(first), rest.len()),
    }
}
