//! Progress and cancellation of the `...Async` calls: a [`Watch`] is what JS holds while a
//! long call runs. The core reports into it (through a [`Monitor`]) from whatever thread the
//! work runs on; the shared wrapper reads it on the JS thread to call `onProgress`, and an
//! `AbortSignal` cancels it, which stops the core between units of work with a `cancelled`
//! error (never a partial result).

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use channelwise::progress::{CancelToken, Monitor, Progress};
use channelwise::Result;

use crate::api::{job, this, Job};
use crate::host::Host;
use crate::js_result;
use crate::out::Handle;

/// The progress of one call and its cancel token.
#[derive(Debug, Default)]
pub struct Watch {
    token: CancelToken,
    done: AtomicUsize,
    total: AtomicUsize,
    stage: Mutex<&'static str>,
}

impl Watch {
    /// The monitor the core reports into.
    pub fn monitor(self: &Arc<Self>) -> Monitor {
        let me = Arc::clone(self);
        Monitor::new()
            .cancel_token(self.token.clone())
            .on_progress(move |p: Progress| {
                if let Ok(mut s) = me.stage.lock() {
                    *s = p.stage;
                }
                me.total.store(p.total, Ordering::Relaxed);
                me.done.store(p.done, Ordering::Release);
                ControlFlow::Continue(())
            })
    }
}

js_result! {
    /// How far a long call has got (`onProgress`'s argument): `done` of `total` units.
    pub struct ProgressReport {
        /// Units finished.
        done: usize,
        /// Units in the whole call (0 before the first report).
        total: usize,
        /// What a unit is: `'replicates'`, `'permutations'`, `'coalitions'`, `'series'`.
        stage: &'static str,
    }
}

/// `progress.watch()`: a new watch (internal: the wrapper makes one per long call).
pub fn watch<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    job(|| Ok(Handle(Arc::new(Watch::default()))))
}

/// `progress.read(watch)`: its latest report.
pub fn read<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let w: Arc<Watch> = this(h, a)?;
    job(move || {
        let done = w.done.load(Ordering::Acquire);
        let stage = w.stage.lock().map(|s| *s).unwrap_or("");
        Ok(ProgressReport {
            done,
            total: w.total.load(Ordering::Relaxed),
            stage,
        })
    })
}

/// `progress.cancel(watch)`: asks the call to stop.
pub fn cancel<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let w: Arc<Watch> = this(h, a)?;
    w.token.cancel();
    job(|| Ok(true))
}
