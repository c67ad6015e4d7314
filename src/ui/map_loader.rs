//! Loading a map file on a background thread: the app stays responsive, shows progress, can cancel, and
//! keeps its current map until the new layer is ready.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::Report;
use crate::io::map_file::{MapReadProgress, Stage, load_map_file};
use crate::job::Job;
use crate::model::map::LoadedLayer;

/// A map file being read: a [`Job`], with the reader's own progress (bytes read, stage, cancel).
#[derive(Debug)]
pub struct MapLoad {
    pub path: PathBuf,
    pub progress: Arc<MapReadProgress>,
    /// `None` when no thread could be made for it.
    job: Option<Job<Result<LoadedLayer, Report>>>,
}

impl MapLoad {
    /// Starts reading `path` (refused above `limit_bytes`) on its own thread; `repaint` is called when done.
    pub fn start(
        path: PathBuf,
        limit_bytes: u64,
        repaint: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        let progress = Arc::new(MapReadProgress::new());
        let thread_progress = Arc::clone(&progress);
        let thread_path = path.clone();
        let job = Job::spawn("demarche-map-load", Box::new(repaint), move |_| {
            load_map_file(&thread_path, limit_bytes, &thread_progress)
        })
        .map_err(|e| log::error!("{e}"))
        .ok();
        Self {
            path,
            progress,
            job,
        }
    }

    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// The result, once finished (`None` while it runs).
    pub fn take_result(&mut self) -> Option<Result<LoadedLayer, Report>> {
        let name = self.path.display().to_string();
        let failed = |message: &str| {
            let mut report = Report::new(&name, "");
            report
                .diagnostics
                .push(crate::diagnostics::Diagnostic::error(message));
            Err(report)
        };
        let Some(job) = &self.job else {
            return Some(failed(
                "loading could not start (no thread could be created)",
            ));
        };
        let result = job.try_take()?;
        self.job = None;
        Some(result.unwrap_or_else(|_| {
            failed("loading stopped unexpectedly (the loader thread panicked)")
        }))
    }

    /// What to say while loading: "Reading world.geojson: 40%".
    pub fn status(&self) -> String {
        let file = self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |f| f.to_string_lossy().into_owned(),
        );
        match self.progress.stage() {
            Stage::Parsing => format!("Parsing {file}…"),
            Stage::Done => format!("Loaded {file}"),
            _ => format!("Reading {file}: {:.0}%", self.progress.fraction() * 100.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::map_file::DEFAULT_MAX_MAP_BYTES;

    fn wait(load: &mut MapLoad) -> Result<LoadedLayer, Report> {
        for _ in 0..500 {
            if let Some(result) = load.take_result() {
                return result;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the load did not finish");
    }

    #[test]
    fn a_map_file_loads_in_the_background() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("points.geojson");
        std::fs::write(&path, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[30,40]}}]}"#)
            .expect("write");
        let mut load = MapLoad::start(path, DEFAULT_MAX_MAP_BYTES, || {});
        let loaded = wait(&mut load).expect("loads");
        assert_eq!(loaded.layer.features.len(), 1);
        assert_eq!(loaded.layer.features[0].label.as_deref(), Some("A"));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_says_so() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.geojson");
        std::fs::write(&path, vec![b' '; 4096]).expect("write");
        let mut load = MapLoad::start(path, 1024, || {});
        let report = wait(&mut load).expect_err("refused");
        assert!(
            report.to_lines()[0].contains("4.0 KiB"),
            "{:?}",
            report.to_lines()
        );
    }

    #[test]
    fn a_broken_file_reports_why() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("broken.geojson");
        std::fs::write(
            &path,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature""#,
        )
        .expect("write");
        let mut load = MapLoad::start(path, DEFAULT_MAX_MAP_BYTES, || {});
        let report = wait(&mut load).expect_err("fails");
        assert!(report.has_errors());
        assert!(
            report.to_lines()[0].contains("broken.geojson:1:"),
            "{:?}",
            report.to_lines()
        );
    }
}
