//! The shared JS API (`channelwise-js`) in this addon: `call(id, args)` runs an export on the JS
//! thread, `callAsync(id, args, watch?)` reads its arguments here and computes on libuv's thread
//! pool, reporting progress to (and stopping by) the `Watch` the wrapper made for the call.
//! `index.js` builds the public namespaces and classes from them with the shared wrapper.

use std::sync::Arc;

use channelwise::progress::Monitor;
use channelwise::Error;
use channelwise_js::api::Job;
use channelwise_js::out::{emit, Out};
use channelwise_js::progress::Watch;
use channelwise_js::Host;
use napi::{Env, JsValue, Task};
use napi_derive::napi;

use crate::error::{guard, rejection, run, Result};
use crate::host::{Node, Raw};

/// The elements of the JS array `args`.
fn args(h: Node, args: &Raw) -> channelwise::Result<Vec<napi::sys::napi_value>> {
    let n = channelwise_js::read::array_len(h, &args.0, "args", "an array of arguments")?;
    (0..n)
        .map(|i| channelwise_js::read::element(h, &args.0, i, "args"))
        .collect()
}

/// Runs export `id` with the arguments in the array `args`.
#[napi(js_name = "call")]
pub fn call(env: Env, id: String, a: Raw) -> Result<Raw> {
    let h = Node { env: env.raw() };
    let result = guard(|| {
        let a = args(h, &a)?;
        channelwise_js::call(h, &id, &a).map(Raw)
    });
    channelwise_js::host::clear_joined();
    result
}

/// Hands over `column.join("\n")` of the string column `field` (`touchpoints.userId`) the next
/// `call` reads ([`channelwise_js::host::stash_joined`]).
#[napi(js_name = "stashJoined")]
pub fn stash_joined(field: String, text: String) {
    channelwise_js::host::stash_joined(field, text.into_bytes());
}

/// An export's work, its arguments already read on the JS thread.
pub struct JobTask {
    job: Option<channelwise::Result<Job>>,
    monitor: Monitor,
}

impl Task for JobTask {
    type Output = channelwise::Result<Out>;
    type JsValue = Raw;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.job.take() {
            Some(Ok(job)) => run(|| job(&self.monitor)),
            Some(Err(e)) => Err(e),
            None => Err(Error::Internal("async task computed twice".into())),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Raw> {
        let h = Node { env: env.raw() };
        output
            .and_then(|out| run(|| emit(h, out)))
            .map(Raw)
            .map_err(|e| rejection(env, &e))
    }
}

/// Export `id` on a pool thread: a promise of its result. It never throws synchronously:
/// argument errors reject the promise too. `watch` (from `call('progress.watch')`) receives
/// its progress and can cancel it. A job that waits for the JS thread while it runs (a
/// `decide.Engine` call with a JS adapter) gets a thread of its own instead of one of libuv's
/// few pool threads, which the adapter's own work (`fetch`'s DNS lookups, files) may need
/// before it can answer.
#[napi(js_name = "callAsync")]
pub fn call_async(env: Env, id: String, a: Raw, watch: Option<Raw>) -> napi::Result<Raw> {
    let h = Node { env: env.raw() };
    let monitor = watch
        .and_then(|w| h.unwrap_handle(&w.0))
        .and_then(|w| w.downcast::<Watch>().ok())
        .map_or_else(Monitor::new, |w: Arc<Watch>| w.monitor());
    let prepared = run(|| {
        let a = args(h, &a)?;
        channelwise_js::prepare_deferred(&id, h, &a)
    });
    channelwise_js::host::clear_joined();
    let (job, waits) = match prepared {
        Ok((job, waits)) => (Ok(job), waits),
        Err(e) => (Err(e), false),
    };
    let task = JobTask {
        job: Some(job),
        monitor,
    };
    if waits {
        return on_own_thread(&env, task);
    }
    let promise = env.spawn(task)?.promise_object();
    Ok(Raw(promise.raw()))
}

/// Runs `task` on a thread of its own; its promise settles on the JS thread (rejected with
/// `internal` if the system refuses a thread).
fn on_own_thread(env: &Env, mut task: JobTask) -> napi::Result<Raw> {
    let (deferred, promise) = env.create_deferred::<Raw, _>()?;
    let slot = Arc::new(std::sync::Mutex::new(Some(deferred)));
    let mine = slot.clone();
    let spawned = std::thread::Builder::new()
        .name("channelwise-engine".into())
        .spawn(move || {
            let output = task.compute();
            if let Some(deferred) = mine.lock().ok().and_then(|mut d| d.take()) {
                deferred.resolve(move |env| match output {
                    Ok(output) => task.resolve(env, output),
                    Err(e) => Err(e),
                });
            }
        });
    if let Err(e) = spawned {
        if let Some(deferred) = slot.lock().ok().and_then(|mut d| d.take()) {
            let e = Error::Internal(format!("cannot start a thread for the call: {e}"));
            deferred.reject(rejection(*env, &e));
        }
    }
    Ok(Raw(promise.raw()))
}
