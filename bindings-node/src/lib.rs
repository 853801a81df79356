//! Node.js bindings of channelwise (napi-rs).
//!
//! Thin by design: the whole JS API is declared once in `channelwise-js` (readers, results,
//! classes), which this addon runs through [`js_api`] on its Node-API host (`host.rs`). Errors are mapped in
//! one place, [`error`]: a JS `Error` whose `code` is the core's stable kind code. Every export
//! runs inside `catch_unwind`, so a panic surfaces as `code: "internal"`, never an abort.
//!
//! The JS surface (`index.js` / `index.d.ts`) is `attribution.*`, `journey.*`, `stats.*`,
//! `forecast.*` (`forecast.metrics.*`, `forecast.RollingOrigin`, `forecast.Ets`,
//! `forecast.AutoEts`, `forecast.stl`, `forecast.mstl`) and `anomaly.*` (`IsolationForest`,
//! MAD, Hampel, ESD, seasonal ESD, residual alerts), following the core's module tree.

pub mod error;
mod host;
pub mod js_api;
mod remote;

#[cfg(feature = "testing")]
use napi_derive::napi;

/// Panics inside an export, to test that the panic surfaces as `code: "internal"`.
#[cfg(feature = "testing")]
#[napi(js_name = "_panicForTesting")]
pub fn panic_for_testing(message: String) -> error::Result<()> {
    error::guard(|| panic!("{message}"))
}
