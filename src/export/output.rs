//! Atomic writes: a file is written to a temporary file in its own directory and renamed into place once
//! complete, so a reader never sees half a picture, and a failed or cancelled export leaves nothing behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::ExportError;

/// Writes `path` through `write`, atomically. When `write` fails, the temporary file is removed and the
/// error returned; an existing file at `path` is kept as it was.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&mut File>) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let io_error = |source: std::io::Error| ExportError::Io {
        path: path.to_owned(),
        source,
    };
    let dir = parent_dir(path);
    let mut temp = tempfile::Builder::new()
        .prefix(".demarche-export-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(io_error)?;
    {
        let mut out = BufWriter::with_capacity(1 << 20, temp.as_file_mut());
        write(&mut out)?;
        out.flush().map_err(io_error)?;
    }
    // Temporary files are private (0600); the picture gets the old file's permissions, or the usual 0644.
    let permissions = match std::fs::metadata(path) {
        Ok(m) => m.permissions(),
        Err(_) => default_permissions(temp.as_file()).map_err(io_error)?,
    };
    temp.as_file()
        .set_permissions(permissions)
        .map_err(io_error)?;
    temp.persist(path).map_err(|e| io_error(e.error))?;
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
    tempfile::Builder::new()
        .prefix(".demarche-export-")
        .tempfile_in(dir)
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
