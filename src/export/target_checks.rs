//! The checks of `demarche export` on where it writes and what it draws from the command line: a target
//! that may be replaced (a read-only file only with `--force`; never a folder or a device), the frames a
//! folder export replaces, the title's length; and what an interrupted export tells the user it left.

use std::path::Path;

use super::ExportError;
use super::animation::frame_file_name;
use super::command::MAX_TITLE_CHARS;
use super::output::{self, Existing};

/// Refuses a title too long to be one (see [`MAX_TITLE_CHARS`]), before it is laid out.
pub(super) fn check_title(title: &str) -> Result<(), String> {
    // Counting stops past the limit: a 10 MB title is refused as fast as a short one is taken.
    if title.chars().nth(MAX_TITLE_CHARS).is_some() {
        return Err(format!(
            "--title is {} characters long: at most {MAX_TITLE_CHARS} (it is one line over the map)",
            title.chars().count()
        ));
    }
    Ok(())
}

/// Why an existing file cannot be replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TargetProblem {
    ReadOnly,
    Folder,
    Special,
}

impl TargetProblem {
    /// The message for the output `out`, which a link may send to `target`.
    pub(super) fn message(self, out: &Path, target: &Path) -> String {
        let named = if out == target {
            out.display().to_string()
        } else {
            format!("{} (a link to {})", out.display(), target.display())
        };
        match self {
            Self::ReadOnly => {
                format!("{named} is read-only: it is not replaced unless you add --force")
            }
            Self::Folder => format!("{named} is a folder, not a file"),
            Self::Special => format!(
                "{named} is not a regular file (a device, a pipe or a socket): only a file is replaced"
            ),
        }
    }
}

/// Whether the file at `target` (`out` with its links followed) may be replaced: nothing there or a
/// writable file may; a read-only file only with `force`; a folder or a device never.
pub(super) fn check_target(out: &Path, target: &Path, force: bool) -> Result<(), TargetProblem> {
    match output::existing(target) {
        Ok(Existing::Nothing | Existing::File) => Ok(()),
        Ok(Existing::ReadOnlyFile) if force => Ok(()),
        Ok(Existing::ReadOnlyFile) => Err(TargetProblem::ReadOnly),
        Ok(Existing::Folder) => Err(TargetProblem::Folder),
        Ok(Existing::Special) => Err(TargetProblem::Special),
        // Cannot be looked at (e.g. a folder on the way cannot be searched): writing will say why.
        Err(e) => {
            log::debug!("cannot look at {}: {e}", out.display());
            Ok(())
        }
    }
}

/// Checks the frames an animation of `frames` frames into `dir` replaces, as [`check_target`] does.
pub(super) fn check_frames(dir: &Path, frames: usize, force: bool) -> Result<(), String> {
    for i in 0..frames {
        let out = dir.join(frame_file_name(i));
        let target = output::resolve_target(&out)
            .map_err(|e| format!("cannot follow the link {}: {e}", out.display()))?;
        check_target(&out, &target, force).map_err(|p| p.message(&out, &target))?;
    }
    Ok(())
}

/// What an interrupted export left, told to the user: no file (a file is written whole or not at all), or
/// the frames written to a folder, kept, and that the set is incomplete.
pub(super) fn interrupted(err: &ExportError, out: &Path) -> String {
    let ExportError::FramesCancelled {
        dir,
        written,
        total,
    } = err
    else {
        return format!(
            "interrupted: {} was not written (a file there before is as it was)",
            out.display()
        );
    };
    let (dir, written, total) = (dir.display(), *written, *total);
    let mut message = match written {
        0 => format!("interrupted: no frame was written to {dir} (of {total})"),
        1 => format!(
            "interrupted after 1 of {total} frames: {} was written to {dir}; the set is incomplete",
            frame_file_name(0)
        ),
        n => format!(
            "interrupted after {n} of {total} frames: {} to {} were written to {dir} and are kept; the set is incomplete",
            frame_file_name(0),
            frame_file_name(n - 1)
        ),
    };
    let next = out.join(frame_file_name(written));
    if written > 0 && std::fs::symlink_metadata(&next).is_ok() {
        message.push_str(&format!(
            " ({} and the frames after it are from an earlier export)",
            frame_file_name(written)
        ));
    }
    message
}

/// The scenario's title as the picture's, cut to [`MAX_TITLE_CHARS`] characters (with a warning) when
/// longer.
pub(super) fn scenario_title(title: &str) -> String {
    match title.char_indices().nth(MAX_TITLE_CHARS) {
        None => title.to_owned(),
        Some((end, _)) => {
            eprintln!(
                "demarche export: warning: the scenario's title is {} characters long; the picture shows its first {MAX_TITLE_CHARS} (or choose one with --title)",
                title.chars().count()
            );
            format!("{}…", &title[..end])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interruption_says_what_was_written() {
        let file = interrupted(&ExportError::Cancelled, Path::new("story.gif"));
        assert!(file.contains("story.gif was not written"), "{file}");

        let dir = tempfile::tempdir().expect("tempdir");
        let cancelled = |written| ExportError::FramesCancelled {
            dir: dir.path().to_owned(),
            written,
            total: 300,
        };
        let none = interrupted(&cancelled(0), dir.path());
        assert!(none.contains("no frame was written"), "{none}");
        let some = interrupted(&cancelled(112), dir.path());
        assert!(
            some.contains("interrupted after 112 of 300 frames: frame-00001.png to frame-00112.png were written to")
                && some.contains("the set is incomplete")
                && !some.contains("earlier export"),
            "{some}"
        );
        // Frames of an earlier, longer export follow the ones written: said, not removed.
        std::fs::write(dir.path().join("frame-00113.png"), b"older").expect("write");
        let mixed = interrupted(&cancelled(112), dir.path());
        assert!(
            mixed.contains("frame-00113.png and the frames after it are from an earlier export"),
            "{mixed}"
        );
    }

    #[test]
    fn titles_are_bounded() {
        assert!(check_title(&"a".repeat(MAX_TITLE_CHARS)).is_ok());
        let long = check_title(&"é".repeat(MAX_TITLE_CHARS + 1)).expect_err("too long");
        assert!(long.contains("501 characters long: at most 500"), "{long}");
        let cut = scenario_title(&"b".repeat(2 * MAX_TITLE_CHARS));
        assert_eq!(cut.chars().count(), MAX_TITLE_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(scenario_title("Short"), "Short");
    }
}
