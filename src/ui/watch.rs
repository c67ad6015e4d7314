//! Watches the open scenario file and says when it changed on disk, so the app can reload it.
//!
//! The folder is watched rather than the file: editors often save by writing a new file and renaming it
//! over the old one, which a watch on the old file would miss.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

/// Wait this long after the last change before reloading, so a save in several writes is read once.
pub const SETTLE: Duration = Duration::from_millis(250);

/// A watch on one file.
pub struct FileWatch {
    path: PathBuf,
    changed: Arc<AtomicBool>,
    since: Option<Instant>,
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for FileWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileWatch")
            .field("path", &self.path)
            .finish()
    }
}

impl FileWatch {
    /// Starts watching `path`; `wake` is called (from another thread) when it changes.
    pub fn new(path: &Path, wake: impl Fn() + Send + 'static) -> notify::Result<Self> {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let name = path.file_name().map(ToOwned::to_owned);
        let changed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&changed);
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                let ours = event
                    .paths
                    .iter()
                    .any(|p| p.file_name().map(ToOwned::to_owned) == name);
                let modifies = matches!(
                    event.kind,
                    notify::EventKind::Create(_) | notify::EventKind::Modify(_)
                );
                if ours && modifies {
                    flag.store(true, Ordering::Release);
                    wake();
                }
            })?;
        let folder = path.parent().unwrap_or(Path::new("."));
        watcher.watch(folder, RecursiveMode::NonRecursive)?;
        Ok(Self {
            path,
            changed,
            since: None,
            _watcher: watcher,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file changed and has been quiet for [`SETTLE`]; also says how long to wait otherwise.
    pub fn poll(&mut self, now: Instant) -> Poll {
        if self.changed.swap(false, Ordering::AcqRel) {
            self.since = Some(now);
        }
        match self.since {
            Some(t) if now.duration_since(t) >= SETTLE => {
                self.since = None;
                Poll::Reload
            }
            Some(t) => Poll::WaitFor(SETTLE - now.duration_since(t)),
            None => Poll::Quiet,
        }
    }
}

/// What [`FileWatch::poll`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poll {
    Quiet,
    /// A change is settling: look again after this long.
    WaitFor(Duration),
    Reload,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_reported_once_after_it_settles() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("story.toml");
        std::fs::write(&path, "a").expect("write");
        let mut watch = FileWatch::new(&path, || {}).expect("watch");
        std::fs::write(dir.path().join("other.toml"), "x").expect("write");
        std::fs::write(&path, "b").expect("write");
        let start = Instant::now();
        let mut reloads = 0;
        while start.elapsed() < Duration::from_secs(5) && reloads == 0 {
            if watch.poll(Instant::now()) == Poll::Reload {
                reloads += 1;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(reloads, 1, "the change was seen");
        std::thread::sleep(SETTLE * 2);
        assert_eq!(watch.poll(Instant::now()), Poll::Quiet, "and reported once");
    }
}
