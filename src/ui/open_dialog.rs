//! File > Open and the map-file choices, in the app's own dialog: a path field (typed or pasted) and
//! Browse… for the system's file dialog, which runs on another thread so the window keeps drawing. It
//! works where the desktop has no file-dialog service: the path field always does, and a Browse that
//! comes back with nothing says so, instead of failing silently.

use std::path::PathBuf;

use egui::Ui;

use super::AppCommand;
use crate::job::Job;

/// A filter of the system's file dialog: its name and the extensions it shows (`*`: every file).
type Filter = (&'static str, &'static [&'static str]);

/// What the chosen file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileTarget {
    Scenario,
    MapLayer,
    BasemapReplacement,
    /// Where to save the scenario (JSON): the file need not exist.
    SaveAs,
    /// Event files to import (several, separated by `;` in the field).
    Import,
}

impl FileTarget {
    fn title(self) -> &'static str {
        match self {
            Self::Scenario => "Open a scenario",
            Self::MapLayer => "Add a map layer",
            Self::BasemapReplacement => "Replace the basemap",
            Self::SaveAs => "Save the scenario as",
            Self::Import => "Import event files or a spreadsheet",
        }
    }

    /// What the dialog's main button says.
    fn action(self) -> &'static str {
        match self {
            Self::SaveAs => "Save",
            Self::Import => "Import",
            _ => "Open",
        }
    }

    /// The system dialog's filters, the first shown first: for an import, every format it reads, then
    /// each kind apart, then all files (the content tells the format, not the name: a file saved as
    /// `.dat` is read as well). Extensions are listed in both cases where downloads use capitals (GDELT's
    /// `20150218230000.export.CSV`), since some desktops match them case by case.
    fn filters(self) -> &'static [Filter] {
        const ALL_FILES: Filter = ("All files", &["*"]);
        const TEXT: &[&str] = &["csv", "CSV", "tsv", "TSV", "tab", "txt"];
        match self {
            Self::Scenario => &[
                ("demarche scenario (TOML, JSON)", &["toml", "json"]),
                ALL_FILES,
            ],
            Self::SaveAs => &[("demarche scenario (JSON)", &["json"])],
            Self::Import => &[
                (
                    "Everything demarche imports",
                    &[
                        "csv", "CSV", "tsv", "TSV", "tab", "txt", "parquet", "xlsx", "ods",
                    ],
                ),
                ("CSV and TSV (GDELT, ACLED, ICEWS, the template)", TEXT),
                ("Parquet (BigQuery, DuckDB)", &["parquet"]),
                ("Spreadsheets in the template (XLSX, ODS)", &["xlsx", "ods"]),
                ALL_FILES,
            ],
            Self::MapLayer | Self::BasemapReplacement => &[
                ("GeoJSON or TopoJSON", &["geojson", "topojson", "json"]),
                ALL_FILES,
            ],
        }
    }

    /// The command that opens `paths` for this purpose (all of them for an import, else the first).
    pub fn command(self, mut paths: Vec<PathBuf>, merge: bool) -> Option<AppCommand> {
        if self == Self::Import {
            return (!paths.is_empty()).then_some(AppCommand::Import { paths, merge });
        }
        if paths.is_empty() {
            return None;
        }
        let path = paths.swap_remove(0);
        Some(match self {
            Self::SaveAs => AppCommand::SaveAs(path),
            Self::Import => unreachable!("handled above"),
            Self::Scenario => AppCommand::OpenScenario(path),
            Self::MapLayer => AppCommand::OpenMapFile {
                path,
                replace: false,
            },
            Self::BasemapReplacement => AppCommand::OpenMapFile {
                path,
                replace: true,
            },
        })
    }
}

/// The dialog's state between frames.
#[derive(Debug, Default)]
pub struct OpenDialog {
    /// What the dialog is open for; `None` when closed.
    target: Option<FileTarget>,
    /// The path in the field.
    pub path: String,
    /// The system's file dialog, open on another thread.
    browsing: Option<Job<Option<Vec<PathBuf>>>>,
    /// For an import: merge the new contacts into the open scenario (keeping its decisions and its own
    /// contacts) rather than open them as a new one.
    pub merge_import: bool,
    /// Why the last attempt did not open anything.
    message: Option<String>,
}

/// What a dialog says when the system's file dialog came back with nothing (cancelled, or never shown),
/// pointing at the field where the path can be typed instead (`field_hint`: "the file's path above").
pub fn nothing_chosen(field_hint: &str) -> String {
    format!(
        "No file was chosen. If no file dialog appeared, this desktop has no file-dialog service \
         (xdg-desktop-portal): type or paste {field_hint}."
    )
}

impl OpenDialog {
    /// Opens the dialog for `target` (the path typed last stays).
    pub fn show(&mut self, target: FileTarget) {
        self.target = Some(target);
        self.message = None;
    }

    pub fn close(&mut self) {
        self.target = None;
        self.message = None;
    }

    pub fn target(&self) -> Option<FileTarget> {
        self.target
    }

    /// Opens the system's file dialog on another thread; `wake` is called when it closes.
    pub fn browse(&mut self, wake: crate::job::Wake) {
        let Some(target) = self.target else { return };
        let filters = target.filters();
        let directory = std::path::Path::new(self.path.trim())
            .parent()
            .filter(|p| p.is_dir())
            .map(std::path::Path::to_path_buf);
        self.browse_many_with(wake, move || {
            let mut dialog = rfd::AsyncFileDialog::new().set_title(target.title());
            for (name, extensions) in filters {
                dialog = dialog.add_filter(*name, extensions);
            }
            if let Some(directory) = directory {
                dialog = dialog.set_directory(directory);
            }
            let path = |f: rfd::FileHandle| f.path().to_path_buf();
            match target {
                FileTarget::Import => pollster::block_on(dialog.pick_files())
                    .map(|files| files.into_iter().map(path).collect()),
                FileTarget::SaveAs => pollster::block_on(dialog.save_file()).map(|f| vec![path(f)]),
                _ => pollster::block_on(dialog.pick_file()).map(|f| vec![path(f)]),
            }
        });
    }

    /// Runs `pick` (a file dialog, or a stand-in in tests) on another thread.
    pub fn browse_with(
        &mut self,
        wake: crate::job::Wake,
        pick: impl FnOnce() -> Option<PathBuf> + Send + 'static,
    ) {
        self.browse_many_with(wake, move || pick().map(|p| vec![p]));
    }

    /// Runs `pick` (a file dialog giving one file or several) on another thread.
    pub fn browse_many_with(
        &mut self,
        wake: crate::job::Wake,
        pick: impl FnOnce() -> Option<Vec<PathBuf>> + Send + 'static,
    ) {
        self.message = None;
        match Job::spawn("file-dialog", wake, move |_| pick()) {
            Ok(job) => self.browsing = Some(job),
            Err(e) => self.message = Some(format!("the file dialog could not start: {e}")),
        }
    }

    /// Whether the system's file dialog is open.
    pub fn is_browsing(&self) -> bool {
        self.browsing.is_some()
    }

    /// The command that opens the file picked in the system's dialog, once it has closed with one; when it
    /// closed with none, the dialog says so.
    pub fn poll(&mut self) -> Option<AppCommand> {
        let result = self.browsing.as_ref()?.try_take()?;
        self.browsing = None;
        let target = self.target?;
        match result {
            Ok(Some(paths)) if !paths.is_empty() => {
                self.path = join_paths(&paths);
                self.close();
                target.command(paths, self.merge_import)
            }
            Ok(_) => {
                self.message = Some(nothing_chosen("the file's path above"));
                None
            }
            Err(e) => {
                self.message = Some(format!("the file dialog failed: {e}"));
                None
            }
        }
    }

    /// The command that opens the typed path, or why it cannot be opened (said in the dialog).
    pub fn submit(&mut self) -> Option<AppCommand> {
        let target = self.target?;
        let typed = self.path.trim();
        if typed.is_empty() {
            self.message = Some("Type or paste the path of a file, or Browse….".to_owned());
            return None;
        }
        let paths: Vec<PathBuf> = if target == FileTarget::Import {
            typed
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| PathBuf::from(expand_home(p)))
                .collect()
        } else {
            vec![PathBuf::from(expand_home(typed))]
        };
        for path in &paths {
            let problem = if path.is_dir() {
                Some(format!("{} is a folder, not a file.", path.display()))
            } else if target == FileTarget::SaveAs {
                let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
                if folder.is_some_and(|f| !f.is_dir()) {
                    Some(format!(
                        "There is no folder {}.",
                        folder.unwrap_or(path).display()
                    ))
                } else if !crate::io::scenario::save::is_json_path(path) {
                    Some("demarche saves scenarios in JSON: end the name with .json.".to_owned())
                } else {
                    None
                }
            } else if !path.is_file() {
                Some(format!("There is no file at {}.", path.display()))
            } else {
                None
            };
            if let Some(problem) = problem {
                self.message = Some(problem);
                return None;
            }
        }
        self.close();
        target.command(paths, self.merge_import)
    }

    /// The dialog, while open: its buttons push [`AppCommand::BrowseForFile`],
    /// [`AppCommand::OpenTypedPath`] or [`AppCommand::CloseOpenDialog`].
    pub fn ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let Some(target) = self.target else { return };
        let mut open = true;
        egui::Window::new(target.title())
            .id(egui::Id::unique("demarche_open_dialog"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(520.0)
            .show(ctx, |ui| self.contents_ui(ui, target, commands));
        if !open {
            commands.push(AppCommand::CloseOpenDialog);
        }
    }

    fn contents_ui(&mut self, ui: &mut Ui, target: FileTarget, commands: &mut Vec<AppCommand>) {
        let entered = ui
            .horizontal(|ui| {
                let label = ui.label("Path");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.path)
                            .hint_text(if target == FileTarget::Import {
                                "/data/events.csv; /data/mentions.csv"
                            } else {
                                "/home/me/stories/talks.toml"
                            })
                            .desired_width(380.0),
                    )
                    .labelled_by(label.id);
                field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
            })
            .inner;
        if target == FileTarget::Import {
            ui.checkbox(
                &mut self.merge_import,
                "Merge into the open scenario (matched by row ids: decisions and your own contacts are kept)",
            );
        }
        ui.horizontal(|ui| {
            if ui.button(target.action()).clicked() || entered {
                commands.push(AppCommand::OpenTypedPath);
            }
            let browse = ui.add_enabled(!self.is_browsing(), egui::Button::new("Browse…"));
            if browse.clicked() {
                commands.push(AppCommand::BrowseForFile);
            }
            if self.is_browsing() {
                ui.spinner();
                ui.label("Waiting for the file dialog…");
            }
            if ui.button("Cancel").clicked() {
                commands.push(AppCommand::CloseOpenDialog);
            }
        });
        if let Some(message) = &self.message {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
    }
}

/// Paths as the field shows them: separated by `; `.
fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// `~/x` as the shell would read it (the field is often pasted into from a terminal).
pub(crate) fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest).display().to_string(),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_opens_for_its_purpose_or_says_why_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("story.toml");
        std::fs::write(&file, "").expect("write");
        let mut dialog = OpenDialog::default();
        dialog.show(FileTarget::MapLayer);
        dialog.path = dir.path().join("missing.toml").display().to_string();
        assert!(dialog.submit().is_none());
        assert!(
            dialog
                .message
                .as_deref()
                .is_some_and(|m| m.starts_with("There is no file"))
        );
        dialog.path = dir.path().display().to_string();
        assert!(dialog.submit().is_none());
        assert!(
            dialog
                .message
                .as_deref()
                .is_some_and(|m| m.contains("is a folder"))
        );
        dialog.path = format!("  {}  ", file.display());
        assert!(matches!(
            dialog.submit(),
            Some(AppCommand::OpenMapFile { path, replace: false }) if path == file
        ));
        assert_eq!(dialog.target(), None, "closed once a file is chosen");
    }

    /// Whether a filter of the system's dialog shows `file`.
    fn shows((_, extensions): &Filter, file: &str) -> bool {
        extensions
            .iter()
            .any(|e| *e == "*" || file.rsplit_once('.').is_some_and(|(_, ext)| ext == *e))
    }

    #[test]
    fn the_import_dialog_offers_each_format_it_reads_and_all_files() {
        let filters = FileTarget::Import.filters();
        let names: Vec<&str> = filters.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            [
                "Everything demarche imports",
                "CSV and TSV (GDELT, ACLED, ICEWS, the template)",
                "Parquet (BigQuery, DuckDB)",
                "Spreadsheets in the template (XLSX, ODS)",
                "All files",
            ]
        );
        // Files as the datasets name them: each is shown by the first filter and by its own.
        for (file, own) in [
            ("20150218230000.export.CSV", 1),
            ("20150218230000.mentions.CSV", 1),
            ("2018-acled.csv", 1),
            ("events.2018.20200427085013.tab", 1),
            ("bq-results.tsv", 1),
            ("gdelt-week.parquet", 2),
            ("story.xlsx", 3),
            ("story.ods", 3),
        ] {
            assert!(shows(&filters[0], file), "{file} by the first filter");
            assert!(shows(&filters[own], file), "{file} by {}", filters[own].0);
            let others = (1..4).filter(|&i| i != own && shows(&filters[i], file));
            assert_eq!(others.count(), 0, "{file} by one kind only");
        }
        // The first filter is every kind's extensions together, and nothing else.
        let mut together: Vec<&str> = filters[1..4]
            .iter()
            .flat_map(|(_, e)| e.iter().copied())
            .collect();
        let mut first = filters[0].1.to_vec();
        together.sort_unstable();
        first.sort_unstable();
        assert_eq!(first, together);
        assert_eq!(filters[4].1, ["*"]);
        assert!(shows(&filters[4], "events.dat"), "a file of any name");
        assert!(
            !shows(&filters[0], "events.zip"),
            "a download must be unpacked first"
        );
        // Save As writes JSON only; the others end with all files.
        assert_eq!(
            FileTarget::SaveAs.filters(),
            [("demarche scenario (JSON)", &["json"][..])]
        );
        for target in [
            FileTarget::Scenario,
            FileTarget::MapLayer,
            FileTarget::BasemapReplacement,
        ] {
            assert_eq!(
                target.filters().last().map(|f| f.0),
                Some("All files"),
                "{target:?}"
            );
        }
    }
}
