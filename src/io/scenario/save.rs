//! Saving a scenario from the app: the JSON encoding ([`super::write`]), written whole or not at all (a
//! temporary file in the same folder, renamed into place), so that a failed or interrupted save never
//! leaves half a file where the analyst's decisions were.

use std::path::Path;

use super::Stamp;
use crate::model::Scenario;

/// Why a scenario could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// demarche writes scenarios in JSON only: a TOML file would lose its comments and layout.
    #[error(
        "{path} does not end in .json: demarche saves scenarios in the JSON encoding (a TOML file keeps its comments only when edited by hand)"
    )]
    NotJson { path: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Whether a path names a JSON file (the only encoding demarche writes).
pub fn is_json_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Writes `scenario` to `path` in JSON, through a temporary file renamed into place; returns the stamp of
/// the bytes written (as the file would be stamped when read again). A symbolic link is written through.
///
/// ```
/// use demarche::io::scenario::{default_scenario, read_file_with_stamp, save::save_json};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("story.json");
/// let stamp = save_json(&default_scenario().scenario, &path)?;
/// let (again, read_stamp) = read_file_with_stamp(&path).expect("what is saved reads back");
/// assert_eq!(again.scenario.contacts.len(), 13);
/// assert_eq!(stamp, read_stamp);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn save_json(scenario: &Scenario, path: &Path) -> Result<Stamp, SaveError> {
    if !is_json_path(path) {
        return Err(SaveError::NotJson {
            path: path.display().to_string(),
        });
    }
    let io = |source| SaveError::Io {
        path: path.display().to_string(),
        source,
    };
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let text = super::write::to_json(scenario);
    let mut file = tempfile::Builder::new()
        .prefix(".demarche-save-")
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(io)?;
    std::io::Write::write_all(file.as_file_mut(), text.as_bytes()).map_err(io)?;
    file.as_file().sync_all().map_err(io)?;
    // Keep the permissions of the file replaced.
    if let Ok(meta) = std::fs::metadata(&target) {
        let _ = std::fs::set_permissions(file.path(), meta.permissions());
    }
    file.persist(&target).map_err(|e| io(e.error))?;
    Ok(Stamp::new(&scenario.meta.id, text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_name_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("story.toml");
        let scenario = crate::io::scenario::default_scenario().scenario;
        let err = save_json(&scenario, &path).expect_err("not JSON");
        assert!(err.to_string().contains("does not end in .json"), "{err}");
        assert!(!path.exists());
    }

    #[test]
    fn a_failed_save_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("missing-folder").join("story.json");
        let scenario = crate::io::scenario::default_scenario().scenario;
        assert!(save_json(&scenario, &path).is_err());
        let good = dir.path().join("story.json");
        std::fs::write(&good, "old").expect("write");
        save_json(&scenario, &good).expect("saved");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["story.json"], "the saved file only, no temporary");
        assert!(
            std::fs::read_to_string(&good)
                .expect("read")
                .contains("demarche-scenario")
        );
    }
}
