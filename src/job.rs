//! Work on another thread, so the window keeps answering while a scenario or a map file is read, the
//! basemap prepared or an export written: one [`Job`] type for all of them, with its progress, a way to ask
//! it to stop, its result by channel and a wake-up call when it ends (the app passes one that asks egui for
//! a frame; this module knows nothing of egui).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

/// Called from the worker's thread when the job has news (progress, or its end): the UI asks for a frame.
pub type Wake = Box<dyn Fn() + Send + Sync>;

/// A wake-up call that does nothing (for tests and for work nobody waits on).
pub fn no_wake() -> Wake {
    Box::new(|| {})
}

/// How far a job has gone, and whether it was asked to stop: shared by the job and its worker.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

/// What the worker function is given: where to report progress, and whether to stop.
pub struct Worker<'a> {
    progress: &'a Progress,
    wake: &'a (dyn Fn() + Send + Sync),
}

impl std::fmt::Debug for Worker<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("progress", self.progress)
            .finish_non_exhaustive()
    }
}

impl Worker<'_> {
    /// Says that `done` of `total` steps are done, and wakes the UI to show it.
    pub fn set_progress(&self, done: usize, total: usize) {
        self.progress.total.store(total, Ordering::Relaxed);
        self.progress.done.store(done, Ordering::Relaxed);
        (self.wake)();
    }

    /// Whether the job was asked to stop: long work looks now and then and returns early.
    pub fn is_cancelled(&self) -> bool {
        self.progress.cancelled.load(Ordering::Relaxed)
    }

    /// The flag itself, for functions that take an `&AtomicBool` to watch (the exports do).
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.progress.cancelled
    }
}

/// Why a job gave no result of its own.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// No thread could be made for it.
    #[error("{name} could not start: {reason}")]
    Spawn { name: String, reason: String },
    /// Its worker panicked: a bug, reported rather than waited on forever.
    #[error("{name} stopped unexpectedly (a bug in demarche)")]
    Panicked { name: String },
}

/// Work running on a thread of its own; its result is taken with [`Job::try_take`] (each frame) or
/// [`Job::wait`].
pub struct Job<T> {
    name: String,
    progress: Arc<Progress>,
    result: mpsc::Receiver<T>,
}

impl<T> std::fmt::Debug for Job<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("name", &self.name)
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

/// Calls the wake-up when dropped: at the end of the worker, whether it returned or panicked.
struct WakeOnDrop(Wake);

impl Drop for WakeOnDrop {
    fn drop(&mut self) {
        (self.0)();
    }
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `name`; `wake` is called when it reports progress and when it ends
    /// (after its result is sent, so the frame it asks for finds the result).
    pub fn spawn(
        name: &str,
        wake: Wake,
        work: impl FnOnce(&Worker<'_>) -> T + Send + 'static,
    ) -> Result<Self, JobError> {
        Self::spawn_steps(name, 0, wake, work)
    }

    /// As [`Job::spawn`], for work of `total` steps known before it starts: [`Job::progress`] says so
    /// from the start.
    pub fn spawn_steps(
        name: &str,
        total: usize,
        wake: Wake,
        work: impl FnOnce(&Worker<'_>) -> T + Send + 'static,
    ) -> Result<Self, JobError> {
        let progress = Arc::new(Progress::default());
        progress.total.store(total, Ordering::Relaxed);
        let shared = Arc::clone(&progress);
        let (send, result) = mpsc::channel();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // Dropped last (locals drop in reverse order): the sender goes first, then the UI is woken,
                // whether the work returned or panicked.
                let wake = WakeOnDrop(wake);
                let send = send;
                let worker = Worker {
                    progress: &shared,
                    wake: &*wake.0,
                };
                let _ = send.send(work(&worker));
            })
            .map_err(|e| JobError::Spawn {
                name: name.to_owned(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            name: name.to_owned(),
            progress,
            result,
        })
    }
}

impl<T> Job<T> {
    /// The name it was started with.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Steps done, of how many (both 0 until the worker says).
    pub fn progress(&self) -> (usize, usize) {
        (
            self.progress.done.load(Ordering::Relaxed),
            self.progress.total.load(Ordering::Relaxed),
        )
    }

    /// Asks the worker to stop; it is up to it to look (see [`Worker::is_cancelled`]).
    pub fn cancel(&self) {
        self.progress.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.progress.cancelled.load(Ordering::Relaxed)
    }

    /// The result if the work has ended, without waiting; `None` while it runs. Once taken, the job is
    /// spent: drop it.
    pub fn try_take(&self) -> Option<Result<T, JobError>> {
        match self.result.try_recv() {
            Ok(value) => Some(Ok(value)),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(self.panicked())),
        }
    }

    /// Waits at most `limit` for the result: `None` if the work still runs then (the job stays as it
    /// was, to be waited for or polled again).
    pub fn wait_at_most(&self, limit: std::time::Duration) -> Option<Result<T, JobError>> {
        match self.result.recv_timeout(limit) {
            Ok(value) => Some(Ok(value)),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(Err(self.panicked())),
        }
    }

    /// Waits for the result.
    pub fn wait(self) -> Result<T, JobError> {
        self.result.recv().map_err(|_| self.panicked())
    }

    fn panicked(&self) -> JobError {
        JobError::Panicked {
            name: self.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn poll<T>(job: &Job<T>) -> Result<T, JobError> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(result) = job.try_take() {
                return result;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("the job did not end");
    }

    #[test]
    fn the_result_is_delivered_and_the_ui_woken() {
        let (woke, woken) = mpsc::channel();
        let job = Job::spawn(
            "sum",
            Box::new(move || {
                let _ = woke.send(());
            }),
            |_| 2 + 2,
        )
        .expect("spawns");
        assert_eq!(job.name(), "sum");
        assert_eq!(poll(&job), Ok(4));
        assert!(woken.recv_timeout(Duration::from_secs(5)).is_ok(), "woken");
    }

    #[test]
    fn cancel_is_observed_by_the_worker() {
        let job = Job::spawn("forever", no_wake(), |worker| {
            let start = Instant::now();
            while !worker.is_cancelled() {
                assert!(start.elapsed() < Duration::from_secs(10), "never cancelled");
                std::thread::sleep(Duration::from_millis(1));
            }
            "stopped"
        })
        .expect("spawns");
        assert!(job.try_take().is_none(), "still running");
        job.cancel();
        assert!(job.is_cancelled());
        assert_eq!(job.wait(), Ok("stopped"));
    }

    #[test]
    fn progress_is_read_while_the_work_runs() {
        let (go, wait) = mpsc::channel::<()>();
        let job = Job::spawn("steps", no_wake(), move |worker| {
            worker.set_progress(3, 10);
            let _ = wait.recv();
        })
        .expect("spawns");
        let start = Instant::now();
        while job.progress() != (3, 10) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no progress seen"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        go.send(()).expect("send");
        assert_eq!(poll(&job), Ok(()));
    }

    #[test]
    fn a_panicking_worker_is_an_error_not_a_hang() {
        let job: Job<()> =
            Job::spawn("broken", no_wake(), |_| panic!("on purpose")).expect("spawns");
        assert_eq!(
            poll(&job),
            Err(JobError::Panicked {
                name: "broken".to_owned()
            })
        );
        let job: Job<()> =
            Job::spawn("broken", no_wake(), |_| panic!("on purpose")).expect("spawns");
        assert!(job.wait().is_err(), "wait too");
    }
}
