//! Temporaries left behind: an export killed outright (SIGKILL, a power cut) cannot remove its
//! `.demarche-export-PID-XXXXXX.part`. The next export into that folder removes such files, and only
//! those: a name that is exactly ours, a regular file (not a link, not a folder), and stale:
//!
//! - its process is gone (the PID in its name runs no process on this machine) and it has not been
//!   touched for [`DEAD_PROCESS_AGE`]; or
//! - it has not been touched for [`ANY_AGE`], whatever its PID says (a PID is reused, and means nothing
//!   on another machine sharing the folder). A running export writes its temporary as it goes.
//!
//! Older versions named their temporaries `.demarche-export-XXXXXX.part` (no PID); those go after
//! [`ANY_AGE`] too.

use std::path::Path;
use std::time::{Duration, SystemTime};

use super::output::{PART_PREFIX, PART_RANDOM_CHARS, PART_SUFFIX, parent_dir, resolve_target};

/// How long the temporary of a process that no longer runs is kept.
pub const DEAD_PROCESS_AGE: Duration = Duration::from_secs(60);
/// How long any temporary of ours is kept untouched.
pub const ANY_AGE: Duration = Duration::from_secs(60 * 60);

/// What a file name says about a temporary of ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// `.demarche-export-PID-XXXXXX.part`.
    WithPid(u32),
    /// `.demarche-export-XXXXXX.part`, as older versions named them.
    WithoutPid,
}

/// The kind of temporary `name` is, if it is exactly one of ours.
fn parse_part(name: &str) -> Option<Part> {
    let middle = name.strip_prefix(PART_PREFIX)?.strip_suffix(PART_SUFFIX)?;
    let random =
        |s: &str| s.len() == PART_RANDOM_CHARS && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if random(middle) {
        return Some(Part::WithoutPid);
    }
    let (pid, rest) = middle.split_once('-')?;
    let digits = !pid.is_empty() && pid.len() <= 10 && pid.bytes().all(|b| b.is_ascii_digit());
    if digits && random(rest) {
        return pid.parse().ok().map(Part::WithPid);
    }
    None
}

/// Whether process `pid` runs on this machine; `None` when that cannot be told.
#[cfg(unix)]
fn process_runs(pid: u32) -> Option<bool> {
    let raw = i32::try_from(pid).ok()?;
    let pid = rustix::process::Pid::from_raw(raw)?;
    match rustix::process::test_kill_process(pid) {
        Ok(()) => Some(true),
        Err(e) if e == rustix::io::Errno::SRCH => Some(false),
        // EPERM: it runs, as another user.
        Err(_) => Some(true),
    }
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> Option<bool> {
    None
}

/// Whether a temporary of ours, untouched for `age`, is stale.
fn is_stale(part: Part, age: Duration) -> bool {
    if age >= ANY_AGE {
        return true;
    }
    match part {
        Part::WithPid(pid) => {
            pid != std::process::id() && age >= DEAD_PROCESS_AGE && process_runs(pid) == Some(false)
        }
        Part::WithoutPid => false,
    }
}

/// Removes the stale temporaries of ours in `dir` (see the module's documentation) and returns how many
/// were removed. Anything else, and anything that cannot be read or removed, is left alone: this is
/// tidying, never a reason for an export to fail.
pub fn remove_stale_parts(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(part) = name.to_str().and_then(parse_part) else {
            continue;
        };
        // `DirEntry::metadata` does not follow links: a link named like ours is not ours.
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.file_type().is_file() {
            continue;
        }
        let age = meta
            .modified()
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .unwrap_or(Duration::ZERO);
        if is_stale(part, age) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => {
                    log::info!(
                        "removed {}, left by an interrupted export",
                        entry.path().display()
                    );
                    removed += 1;
                }
                Err(e) => log::debug!("cannot remove {}: {e}", entry.path().display()),
            }
        }
    }
    removed
}

/// Removes the stale temporaries of ours in the folder a file written to `path` goes in (through a
/// symbolic link, the folder of the file it points to).
pub fn remove_stale_parts_beside(path: &Path) -> usize {
    match resolve_target(path) {
        Ok(target) => remove_stale_parts(parent_dir(&target)),
        Err(_) => remove_stale_parts(parent_dir(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_exact_names_are_parts() {
        assert_eq!(
            parse_part(".demarche-export-1234-aB3xYz.part"),
            Some(Part::WithPid(1234))
        );
        assert_eq!(
            parse_part(".demarche-export-aB3xYz.part"),
            Some(Part::WithoutPid)
        );
        for name in [
            ".demarche-export-aB3xY.part",
            ".demarche-export-aB3xYzz.part",
            ".demarche-export-1234-aB3xYz.part.bak",
            "demarche-export-1234-aB3xYz.part",
            ".demarche-export-12a4-aB3xYz.part",
            ".demarche-export--aB3xYz.part",
            ".demarche-export-1234-aB3x.z.part",
            ".demarche-export-99999999999-aB3xYz.part",
            "map.png",
        ] {
            assert_eq!(parse_part(name), None, "{name}");
        }
    }

    #[test]
    fn a_part_is_stale_when_its_process_is_gone_or_it_is_old() {
        let minute = Duration::from_secs(60);
        let me = Part::WithPid(std::process::id());
        assert!(!is_stale(me, 2 * minute), "this process's own");
        assert!(is_stale(me, ANY_AGE));
        assert!(!is_stale(Part::WithoutPid, 59 * minute));
        assert!(is_stale(Part::WithoutPid, ANY_AGE));
        #[cfg(unix)]
        {
            // Above Linux's largest PID (4,194,304): no process has it.
            let gone = Part::WithPid(999_999_999);
            assert!(is_stale(gone, 2 * minute));
            assert!(!is_stale(gone, Duration::from_secs(10)), "just written");
        }
    }
}
