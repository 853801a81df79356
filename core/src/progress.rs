//! Progress reports and cancellation for long computations.
//!
//! One mechanism for every long call (bootstrap intervals, sampled Shapley values, many-series
//! AutoETS): the caller passes a [`Monitor`], which holds an optional callback (a
//! [`ProgressSink`], e.g. a closure `Fn(Progress) -> ControlFlow<()>`) and an optional
//! [`CancelToken`]. The computation reports [`Progress`] between units of work (one bootstrap
//! replicate, one sampled permutation, one series) and stops when the callback returns
//! [`ControlFlow::Break`] or the token is cancelled. A stopped call returns
//! [`Error::Cancelled`] naming what was cancelled and how far it got, never a partial result.
//!
//! | Guarantee | |
//! |---|---|
//! | reports | start with `done = 0`, `done` never decreases, the last report has `done == total` (unless stopped first) |
//! | rate | at most 1002 reports per call (`done = 0`, every `ceil(total / 1000)` units, `total`), whatever `total` |
//! | threads | the callback is never called concurrently (reports come from rayon workers, one at a time); a report that would block behind another is skipped, the final one never is |
//! | cost | per unit: two relaxed atomic loads and one atomic add; the numbers are bit-identical with and without a monitor |
//! | stop | the unit in progress on each thread finishes, no new unit starts; `done` in the error is the count when the stop was seen |
//!
//! The token is the cheap way to stop from another thread (a JS `AbortSignal`, a UI button); the
//! callback is the way to stop from the reporting side (a Python callback that sees Ctrl-C).
//!
//! ```
//! use std::ops::ControlFlow;
//! use std::sync::{Arc, Mutex};
//! use channelwise::{attribution::{Bootstrap, Markov}, journey::PathTable, progress::Monitor};
//! let t = PathTable::from_strings(&["a>b", "b", "a"], &[30.0, 20.0, 5.0], Some(&[70.0, 80.0, 95.0]), None, ">")?;
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let log = Arc::clone(&seen);
//! let monitor = Monitor::new().on_progress(move |p: channelwise::progress::Progress| {
//!     log.lock().expect("not poisoned").push(p.done);
//!     ControlFlow::Continue(())
//! });
//! let b = Bootstrap::default().replicates(50).seed(1);
//! let ci = b.markov_with_progress(&Markov::default(), &t, &monitor)?;
//! assert_eq!(ci, b.markov(&Markov::default(), &t)?); // same numbers with or without a monitor
//! let seen = seen.lock().expect("not poisoned");
//! assert_eq!((seen[0], *seen.last().expect("reported")), (0, 50));
//! assert!(seen.windows(2).all(|w| w[0] < w[1]));
//!
//! // Stop after 20 replicates: a typed error, no intervals.
//! let stop = Monitor::new().on_progress(|p: channelwise::progress::Progress| {
//!     if p.done >= 20 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
//! });
//! let e = b.markov_with_progress(&Markov::default(), &t, &stop).unwrap_err();
//! assert_eq!(e.kind().code(), "cancelled");
//! # Ok::<(), channelwise::Error>(())
//! ```

use std::fmt;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, TryLockError};

use crate::error::{Error, Result};

/// Reports are made every `ceil(total / MAX_REPORTS)` units (at least every unit).
const MAX_REPORTS: usize = 1000;

/// How far a long computation has got: `done` of `total` units of `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Progress {
    /// Units finished.
    pub done: usize,
    /// Units in the whole computation.
    pub total: usize,
    /// What a unit is (plural), e.g. `"replicates"`, `"permutations"`, `"series"`.
    pub stage: &'static str,
}

impl Progress {
    /// `done / total` in `[0, 1]` (1 for an empty computation).
    ///
    /// ```
    /// let p = channelwise::progress::Progress { done: 50, total: 200, stage: "series" };
    /// assert_eq!(p.fraction(), 0.25);
    /// ```
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.done as f64 / self.total as f64
        }
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} {}", self.done, self.total, self.stage)
    }
}

/// Receives [`Progress`] reports; returning [`ControlFlow::Break`] asks the computation to stop.
///
/// Implemented for every `Fn(Progress) -> ControlFlow<()> + Send + Sync`. `Send + Sync` because
/// reports come from rayon's worker threads (one at a time, never concurrently).
pub trait ProgressSink: Send + Sync {
    /// Called between units of work.
    fn report(&self, progress: Progress) -> ControlFlow<()>;
}

impl<F> ProgressSink for F
where
    F: Fn(Progress) -> ControlFlow<()> + Send + Sync,
{
    fn report(&self, progress: Progress) -> ControlFlow<()> {
        self(progress)
    }
}

/// A shared flag that stops a computation: clone it, hand one copy to a [`Monitor`], call
/// [`CancelToken::cancel`] on another (from any thread).
///
/// ```
/// use channelwise::{attribution::ShapleySampler, progress::{CancelToken, Monitor}};
/// let token = CancelToken::new();
/// token.cancel(); // e.g. from a UI thread; here before the call even starts
/// let v = |m: &[bool]| -> channelwise::Result<f64> { Ok(m.iter().filter(|b| **b).count() as f64) };
/// let monitor = Monitor::new().cancel_token(token.clone());
/// let e = ShapleySampler::default().estimate_with_progress(3, v, &monitor).unwrap_err();
/// assert_eq!(e.to_string(), "sampled Shapley values cancelled after 0 of 1000 permutations");
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Asks every computation watching this token (or a clone) to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether [`CancelToken::cancel`] was called on this token or a clone.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// What a long computation reports to and listens to: an optional callback and an optional
/// [`CancelToken`]. `Monitor::default()` (or [`Monitor::new`]) does neither; the plain methods
/// (`Bootstrap::markov`, `ShapleySampler::estimate`, ...) use it.
///
/// See the [module docs](self) for an example and the guarantees.
#[derive(Clone, Default)]
pub struct Monitor {
    sink: Option<Arc<dyn ProgressSink>>,
    token: Option<CancelToken>,
}

impl fmt::Debug for Monitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor")
            .field("sink", &self.sink.as_ref().map(|_| "<callback>"))
            .field("token", &self.token)
            .finish()
    }
}

impl Monitor {
    /// A monitor with no callback and no token.
    pub fn new() -> Self {
        Monitor::default()
    }

    /// Sets the callback.
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use channelwise::progress::{Monitor, Progress};
    /// let m = Monitor::new().on_progress(|p: Progress| {
    ///     eprintln!("{p}");
    ///     ControlFlow::Continue(())
    /// });
    /// assert!(format!("{m:?}").contains("<callback>"));
    /// ```
    pub fn on_progress(mut self, sink: impl ProgressSink + 'static) -> Self {
        self.sink = Some(Arc::new(sink));
        self
    }

    /// Sets the callback from a shared one (bindings that keep their own `Arc`).
    pub fn on_progress_shared(mut self, sink: Arc<dyn ProgressSink>) -> Self {
        self.sink = Some(sink);
        self
    }

    /// Sets the cancel token.
    pub fn cancel_token(mut self, token: CancelToken) -> Self {
        self.token = Some(token);
        self
    }

    /// The cancel token, if one was set.
    pub fn token(&self) -> Option<&CancelToken> {
        self.token.as_ref()
    }
}

/// One run's bookkeeping: counts units, rate-limits reports, remembers a stop.
pub(crate) struct Ticker<'a> {
    monitor: &'a Monitor,
    what: &'static str,
    stage: &'static str,
    total: usize,
    step: usize,
    done: AtomicUsize,
    /// `usize::MAX` until a stop is seen, then the count at that moment.
    stopped_at: AtomicUsize,
    /// The last `done` reported; the lock also keeps reports from overlapping.
    reported: Mutex<Option<usize>>,
}

impl<'a> Ticker<'a> {
    /// Starts a run of `total` units called `stage` (`what` names the computation in the error)
    /// and reports `done = 0`.
    ///
    /// # Errors
    /// [`Error::Cancelled`] if the token is already cancelled or the callback says stop.
    pub(crate) fn start(monitor: &'a Monitor, what: &'static str, stage: &'static str, total: usize) -> Result<Self> {
        let t = Ticker {
            monitor,
            what,
            stage,
            total,
            step: total.div_ceil(MAX_REPORTS).max(1),
            done: AtomicUsize::new(0),
            stopped_at: AtomicUsize::new(usize::MAX),
            reported: Mutex::new(None),
        };
        t.report(0, true);
        t.check()?;
        Ok(t)
    }

    /// Before a unit: [`Error::Cancelled`] once a stop was asked for.
    #[inline]
    pub(crate) fn check(&self) -> Result<()> {
        if self.stopped_at.load(Ordering::Relaxed) != usize::MAX {
            return Err(self.cancelled());
        }
        if let Some(token) = &self.monitor.token {
            if token.is_cancelled() {
                self.stop(self.done.load(Ordering::Relaxed));
                return Err(self.cancelled());
            }
        }
        Ok(())
    }

    /// After a unit: counts it, reports when due.
    ///
    /// # Errors
    /// [`Error::Cancelled`] once a stop was asked for.
    #[inline]
    pub(crate) fn tick(&self) -> Result<()> {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.monitor.sink.is_some() && (done % self.step == 0 || done == self.total) {
            self.report(done, done == self.total);
        }
        self.check()
    }

    /// After the last unit: makes sure `done == total` was reported.
    ///
    /// # Errors
    /// [`Error::Cancelled`] if a stop was asked for at any point, including in that report.
    pub(crate) fn finish(&self) -> Result<()> {
        let done = self.done.load(Ordering::Relaxed);
        self.report(done, true);
        self.check()
    }

    fn stop(&self, done: usize) {
        let _ = self.stopped_at.compare_exchange(usize::MAX, done, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Reports `done` unless a later count was reported; skips when another thread is
    /// reporting, unless `must` (then it waits its turn).
    fn report(&self, done: usize, must: bool) {
        let Some(sink) = &self.monitor.sink else {
            return;
        };
        let mut last = match self.reported.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) if must => match self.reported.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            },
            Err(TryLockError::WouldBlock) => return,
        };
        if last.is_some_and(|l| l >= done) || self.stopped_at.load(Ordering::Relaxed) != usize::MAX {
            return;
        }
        *last = Some(done);
        if sink.report(Progress { done, total: self.total, stage: self.stage }).is_break() {
            self.stop(done);
        }
    }

    fn cancelled(&self) -> Error {
        let at = self.stopped_at.load(Ordering::Relaxed);
        let done = if at == usize::MAX { self.done.load(Ordering::Relaxed) } else { at };
        Error::Cancelled { what: self.what.into(), done, total: self.total, unit: self.stage.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recording() -> (Monitor, Arc<Mutex<Vec<Progress>>>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let l = Arc::clone(&log);
        let m = Monitor::new().on_progress(move |p: Progress| {
            l.lock().unwrap().push(p);
            ControlFlow::Continue(())
        });
        (m, log)
    }

    #[test]
    fn reports_are_rate_limited_monotone_and_complete() {
        let (m, log) = recording();
        let t = Ticker::start(&m, "test", "units", 10_000).unwrap();
        for _ in 0..10_000 {
            t.tick().unwrap();
        }
        t.finish().unwrap();
        let log = log.lock().unwrap();
        assert_eq!(log.first().unwrap().done, 0);
        assert_eq!(log.last().unwrap().done, 10_000);
        assert!(log.len() <= MAX_REPORTS + 2, "{} reports", log.len());
        assert!(log.windows(2).all(|w| w[0].done < w[1].done));
        assert!(log.iter().all(|p| p.total == 10_000 && p.stage == "units"));
    }

    #[test]
    fn break_stops_at_the_reported_count() {
        let m = Monitor::new().on_progress(|p: Progress| if p.done >= 7 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) });
        let t = Ticker::start(&m, "test", "units", 20).unwrap();
        let mut ran = 0;
        let e = loop {
            if let Err(e) = t.check() {
                break e;
            }
            ran += 1;
            if let Err(e) = t.tick() {
                break e;
            }
        };
        assert_eq!(ran, 7);
        assert_eq!(e, Error::Cancelled { what: "test".into(), done: 7, total: 20, unit: "units".into() });
        assert_eq!(e.to_string(), "test cancelled after 7 of 20 units");
        assert!(t.finish().is_err(), "a stopped run stays stopped");
    }

    #[test]
    fn token_cancels_from_outside_and_empty_runs_finish() {
        let token = CancelToken::new();
        let m = Monitor::new().cancel_token(token.clone());
        let t = Ticker::start(&m, "test", "units", 5).unwrap();
        t.tick().unwrap();
        t.tick().unwrap();
        token.cancel();
        assert!(m.token().unwrap().is_cancelled());
        let e = t.tick().unwrap_err();
        assert_eq!(e, Error::Cancelled { what: "test".into(), done: 3, total: 5, unit: "units".into() });
        let (m, log) = recording();
        Ticker::start(&m, "test", "units", 0).unwrap().finish().unwrap();
        assert_eq!(log.lock().unwrap().iter().map(|p| p.done).collect::<Vec<_>>(), [0]);
        assert_eq!(Progress { done: 0, total: 0, stage: "x" }.fraction(), 1.0);
    }
}
