//! Progress and Ctrl-C for the long calls (bootstrap intervals, sampled Shapley, many-series
//! AutoETS), on the core's one mechanism ([`channelwise::progress::Monitor`]).
//!
//! The core work runs on a helper thread (which fans out on rayon), without the GIL. The calling
//! thread waits for it in slices of [`POLL`]; between slices it takes the GIL, runs
//! `PyErr_CheckSignals` and, when the count moved, calls the Python `progress(done, total)`.
//! Signals are only delivered to Python's main thread, so this is the thread that must check
//! them: a check from a rayon worker would never see Ctrl-C. The core's callback only stores
//! the count in two atomics, so the workers never wait for the GIL.
//!
//! On Ctrl-C the core is asked to stop through its [`CancelToken`], the helper is joined (it
//! stops after the unit in progress) and the `KeyboardInterrupt` is raised with the core's
//! `CancelledError` as its `__cause__` (how far it got). When `progress` returns `False` the
//! core is stopped the same way and its `CancelledError` is raised; when `progress` raises, that
//! exception is raised. Never a partial result.

use std::ops::ControlFlow;
use std::panic::resume_unwind;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use channelwise::progress::{CancelToken, Monitor, Progress};
use pyo3::prelude::*;
use pyo3::types::PyBool;

use crate::error::PyChannelwiseError;

/// How often the calling thread checks for Ctrl-C and updates the progress callback.
const POLL: Duration = Duration::from_millis(50);

/// Runs `work` with a monitor, off the GIL, while this thread watches for Ctrl-C and feeds
/// `progress(done, total)` (any callable; `None` for none).
pub(crate) fn run<T: Send>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce(&Monitor) -> channelwise::Result<T> + Send,
) -> PyResult<T> {
    let progress = progress.filter(|p| !p.is_none());
    let done = Arc::new(AtomicUsize::new(0));
    let total = Arc::new(AtomicUsize::new(usize::MAX)); // MAX: no report yet
    let token = CancelToken::new();
    let (d, t) = (Arc::clone(&done), Arc::clone(&total));
    let monitor = Monitor::new()
        .cancel_token(token.clone())
        .on_progress(move |p: Progress| {
            d.store(p.done, Ordering::Relaxed);
            t.store(p.total, Ordering::Relaxed);
            ControlFlow::Continue(())
        });
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel::<()>();
        let helper = s.spawn(move || {
            let r = work(&monitor);
            drop(tx); // wakes the waiting thread (so does a panic, by dropping `tx` while unwinding)
            r
        });
        let mut rx = rx;
        let mut shown: Option<usize> = None;
        let mut failure: Option<PyErr> = None;
        loop {
            // `Receiver` is `Send` but not `Sync`: moved into the GIL-free closure and back
            let (back, waited) = py.detach(move || {
                let w = rx.recv_timeout(POLL);
                (rx, w)
            });
            rx = back;
            let finished = waited != Err(mpsc::RecvTimeoutError::Timeout);
            if failure.is_none() {
                if let Err(e) = py.check_signals() {
                    token.cancel();
                    failure = Some(e);
                } else if let Some(cb) = progress {
                    let (dn, tt) = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
                    if tt != usize::MAX && shown != Some(dn) {
                        shown = Some(dn);
                        match cb.call1((dn, tt)) {
                            Ok(r) => {
                                // `False` (the bool, not any falsy value such as `None`) stops
                                if r.is_instance_of::<PyBool>() && !r.is_truthy().unwrap_or(true) {
                                    token.cancel();
                                }
                            }
                            Err(e) => {
                                token.cancel();
                                failure = Some(e);
                            }
                        }
                    }
                }
            }
            if finished {
                break;
            }
        }
        let result = match helper.join() {
            Ok(r) => r,
            Err(panic) => resume_unwind(panic),
        };
        match (failure, result) {
            (None, r) => r.map_err(|e| PyChannelwiseError(e).into()),
            (Some(f), Err(e)) if e.kind() == channelwise::ErrorKind::Cancelled => {
                f.set_cause(py, Some(PyChannelwiseError(e).into()));
                Err(f)
            }
            (Some(f), _) => Err(f),
        }
    })
}
