//! Atomic writes: a file is written to a temporary file in its own directory and renamed into place once
//! complete, so a reader never sees half a picture, and a failed or cancelled export leaves nothing behind.
//!
//! A symbolic link is written through, as a shell's `>` does: the file it points to gets the new picture
//! (its temporary is made in that file's folder) and the link stays. Only a regular file is replaced: a
//! folder, a device, a pipe or a socket at the target is an error. The temporaries are named
//! `.demarche-export-PID-XXXXXX.part`; ones left by a process that was killed are removed by
//! [`super::leftovers`].

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::ExportError;

/// The start of the name of every temporary file an export makes.
pub const PART_PREFIX: &str = ".demarche-export-";
/// The end of the name of every temporary file an export makes.
pub const PART_SUFFIX: &str = ".part";
/// The random characters in a temporary's name.
pub const PART_RANDOM_CHARS: usize = 6;
/// The most symbolic links followed to reach a target (Linux's own limit).
const MAX_LINKS: usize = 40;

/// A temporary file in `dir`: `.demarche-export-PID-XXXXXX.part`, private (0600) until renamed.
fn part_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let prefix = format!("{PART_PREFIX}{}-", std::process::id());
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(PART_SUFFIX)
        .rand_bytes(PART_RANDOM_CHARS)
        .tempfile_in(dir)
}

/// Where writing `path` really goes: the end of its chain of symbolic links (relative links read from
/// their own folder), or `path` itself when it is not a link (or cannot be looked at). The end need not exist (a link to a file
/// not yet written is written through, as `>` does).
pub fn resolve_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut target = path.to_owned();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&target)?;
                target = match target.parent() {
                    Some(dir) if !link.is_absolute() && !dir.as_os_str().is_empty() => {
                        dir.join(link)
                    }
                    _ => link,
                };
            }
            // Not a link, or nothing that can be looked at (missing, a file where a folder should be):
            // writing there says what is wrong.
            Ok(_) | Err(_) => return Ok(target),
        }
    }
    Err(std::io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links to follow (a loop?)"
    )))
}

/// What is at a target already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    Nothing,
    /// A regular file this process may write.
    File,
    /// A regular file with no write permission, or one this user may not write.
    ReadOnlyFile,
    Folder,
    /// A device, a pipe, a socket: never replaced.
    Special,
}

/// What is at `target` (already resolved by [`resolve_target`]).
pub fn existing(target: &Path) -> std::io::Result<Existing> {
    let meta = match std::fs::metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(e),
    };
    Ok(if meta.is_dir() {
        Existing::Folder
    } else if !meta.is_file() {
        Existing::Special
    } else if meta.permissions().readonly() || !may_write(target) {
        Existing::ReadOnlyFile
    } else {
        Existing::File
    })
}

/// Whether this user may write `path` (root may write a file with no write bit: [`existing`] checks
/// those bits first).
#[cfg(unix)]
fn may_write(path: &Path) -> bool {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

#[cfg(not(unix))]
fn may_write(_path: &Path) -> bool {
    true
}

/// Writes `path` through `write`, atomically. When `write` fails, the temporary file is removed and the
/// error returned; an existing file at `path` is kept as it was. A symbolic link is written through
/// (see the module's documentation); anything but a regular file at the target is refused.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&mut File>) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let io_error = |source: std::io::Error| ExportError::Io {
        path: path.to_owned(),
        source,
    };
    let target = resolve_target(path).map_err(io_error)?;
    match existing(&target).map_err(io_error)? {
        Existing::Nothing | Existing::File | Existing::ReadOnlyFile => {}
        Existing::Folder => {
            return Err(io_error(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                format!("{} is a folder", target.display()),
            )));
        }
        Existing::Special => {
            return Err(io_error(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a regular file (a device, a pipe or a socket)",
                    target.display()
                ),
            )));
        }
    }
    let mut temp = part_in(parent_dir(&target)).map_err(io_error)?;
    {
        let mut out = BufWriter::with_capacity(1 << 20, temp.as_file_mut());
        write(&mut out)?;
        out.flush().map_err(io_error)?;
    }
    // Temporary files are private (0600); the picture gets the old file's permissions, or the usual 0644.
    let permissions = match std::fs::metadata(&target) {
        Ok(m) => m.permissions(),
        Err(_) => default_permissions(temp.as_file()).map_err(io_error)?,
    };
    temp.as_file()
        .set_permissions(permissions)
        .map_err(io_error)?;
    temp.persist(&target).map_err(|e| io_error(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions(_file: &File) -> std::io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt as _;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(file: &File) -> std::io::Result<std::fs::Permissions> {
    file.metadata().map(|m| m.permissions())
}

/// The directory a file goes in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Checks that files can be created in `dir`, by creating and removing a temporary file there.
pub fn check_writable_dir(dir: &Path) -> Result<(), String> {
    match std::fs::metadata(dir) {
        Err(_) => return Err(format!("the folder {} does not exist", dir.display())),
        Ok(m) if !m.is_dir() => return Err(format!("{} is not a folder", dir.display())),
        Ok(_) => {}
    }
    part_in(dir)
        .map(drop)
        .map_err(|e| format!("the folder {} cannot be written: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_write_leaves_nothing_and_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("map.png");
        std::fs::write(&path, b"old").expect("write");
        let result = write_atomic(&path, |w| {
            w.write_all(b"half a pict").expect("buffered");
            Err(ExportError::Cancelled)
        });
        assert!(matches!(result, Err(ExportError::Cancelled)));
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        assert_eq!(entries(dir.path()), ["map.png"]);
    }

    #[test]
    fn a_complete_write_replaces_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("map.svg");
        write_atomic(&path, |w| {
            w.write_all(b"<svg/>").map_err(|source| ExportError::Io {
                path: path.clone(),
                source,
            })
        })
        .expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"<svg/>");
        assert_eq!(entries(dir.path()), ["map.svg"]);
    }

    #[test]
    fn missing_folders_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("nope");
        let err = check_writable_dir(&missing).expect_err("missing");
        assert!(err.contains("does not exist"), "{err}");
        assert!(check_writable_dir(dir.path()).is_ok());
        assert_eq!(entries(dir.path()), Vec::<String>::new());
    }
}
