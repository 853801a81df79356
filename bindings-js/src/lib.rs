//! The JS API of channelwise, declared once for Node and the browser.
//!
//! Both JS packages are built from this crate: the Node addon (`bindings-node`, Node-API via
//! napi-rs) and the browser module (`bindings-wasm`, wasm-bindgen). Each implements [`Host`]
//! (two dozen engine primitives: read a property, make an array, ...) and exports one entry
//! point that calls [`api::dispatch`]; everything else is here, once:
//!
//! - [`api`]: every namespace, function and class with its TypeScript signature and the Rust
//!   function behind it (the [`api!`](api) table);
//! - option objects and result rows as Rust structs ([`js_options!`], [`js_result!`]), whose
//!   readers, JS conversion and TypeScript interfaces come from the one declaration;
//! - [`read`] and [`table`]: JS values into core inputs, every bad one a typed error naming
//!   its field and value;
//! - [`dts`]: the one `.d.ts` and the surface (`js/index.d.ts`, `js/surface.json`), generated
//!   from the declarations and checked in CI;
//! - [`serde_js`]: fitted models to and from their JSON documents (`toJSON` / `fromJSON`, the
//!   documents the Python binding writes and reads);
//! - [`progress`]: the `Watch` a long `...Async` call reports into and is cancelled by;
//! - `js/api.mjs`: the JS wrapper both packages share, which builds the namespaces and classes
//!   from `js/surface.json` at load time (so it has no per-function code), and handles
//!   `onProgress` / `AbortSignal`.
//!
//! # Exposing a new function to JS
//! Write `fn my_fn<H: Host>(h: H, a: &[H::V]) -> Result<Job>` in the module's file here
//! (read the arguments with [`read`] / a [`js_options!`] struct, return [`api::job`] of a
//! [`js_result!`] struct; [`api::long_job`] for work that reports progress), add one line to the
//! `api!` table with its TypeScript signature (`sync`, `both` for an `...Async` twin, `long` for
//! one that takes `onProgress` and `signal`), and add its new types to [`api::declarations`].
//! Both packages, the `.d.ts` and the JS wrapper pick it up;
//! `UPDATE_DTS=1 cargo test -p channelwise-js --test generated` rewrites the generated files.

pub mod anomaly;
pub mod api;
pub mod attribution;
pub mod clv;
pub mod decide;
pub mod decl;
pub mod dts;
pub mod experiment;
pub mod forecast;
pub mod glm;
pub mod host;
pub mod journey;
pub mod keys;
pub mod leads;
pub mod optimize;
pub mod out;
pub mod platform;
pub mod progress;
pub mod read;
pub mod serde_js;
pub mod stats;
pub mod table;

pub use host::{Host, Kind, Shared, Typed};

/// Runs export `id` with `args` to completion on this thread: read, compute, build the result.
///
/// # Errors
/// The export's error, or `invalid_parameter` for an unknown `id`.
pub fn call<H: Host>(h: H, id: &str, args: &[H::V]) -> channelwise::Result<H::V> {
    call_with(h, id, args, &channelwise::progress::Monitor::new())
}

/// [`call`], reporting to and stopping by `monitor` (a long call in the browser's worker).
///
/// # Errors
/// The export's error (`cancelled` if the monitor stopped it), or `invalid_parameter` for an
/// unknown `id`.
pub fn call_with<H: Host>(
    h: H,
    id: &str,
    args: &[H::V],
    monitor: &channelwise::progress::Monitor,
) -> channelwise::Result<H::V> {
    let work = prepare(id, h, args)?;
    out::emit(h, work(monitor)?)
}

thread_local! {
    /// Whether the export being prepared on this thread will run its job on another thread.
    static DEFERRED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Whether the job just prepared on this thread will wait for the JS thread.
    static WAITS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the export being prepared runs its job on another thread ([`prepare_deferred`]):
/// an export that calls JS during its work (`decide.Engine` and its JS adapter) then reaches JS
/// through the host's `Remote` (`decide::engine`) instead of calling it in place.
pub fn deferred() -> bool {
    DEFERRED.with(std::cell::Cell::get)
}

/// Says that the job being prepared will wait for the JS thread while it runs (it calls a JS
/// adapter through a `Remote`), so the host gives it a thread of its own.
pub fn waits_on_js() {
    WAITS.with(|w| w.set(true));
}

/// [`prepare`] for a job that will run on another thread (Node's `...Async` calls), and whether
/// that job will wait for the JS thread while it runs ([`waits_on_js`]): such a job must not
/// hold one of a small pool's threads, which the JS side's own work (DNS lookups, files) may
/// need before it can answer.
///
/// # Errors
/// As [`prepare`].
pub fn prepare_deferred<H: Host>(
    id: &str,
    h: H,
    args: &[H::V],
) -> channelwise::Result<(api::Job, bool)> {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            DEFERRED.with(|d| d.set(self.0));
        }
    }
    let _reset = Reset(DEFERRED.with(|d| d.replace(true)));
    WAITS.with(|w| w.set(false));
    let job = prepare(id, h, args)?;
    Ok((job, WAITS.with(|w| w.replace(false))))
}

/// Reads the arguments of export `id`; the returned job does the rest (on any thread).
///
/// # Errors
/// The export's argument errors, or `invalid_parameter` for an unknown `id`.
pub fn prepare<H: Host>(id: &str, h: H, args: &[H::V]) -> channelwise::Result<api::Job> {
    api::dispatch(h, id, args).unwrap_or_else(|| {
        Err(channelwise::Error::InvalidParameter {
            field: "function".into(),
            value: id.into(),
            reason: "no such channelwise function".into(),
        })
    })
}
