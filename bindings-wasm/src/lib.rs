//! WebAssembly binding of [channelwise](channelwise): multi-touch attribution, journeys,
//! statistics, forecasting (ETS, STL/MSTL, metrics) and anomaly detection in the browser.
//!
//! The whole JS API is declared once in `channelwise-js` (readers, results, classes) and runs
//! here through one export, [`host::call`], on the wasm-bindgen [`host`]; the ES module
//! `js/index.js` builds the namespaces from it with the shared wrapper, the same names and shapes
//! as the Node binding. Errors are mapped in one file, `error.rs`: a JS `Error` whose `code` is
//! the core's [`ErrorKind::code`](channelwise::ErrorKind::code).
//!
//! # Panics
//! wasm32-unknown-unknown has no unwinding on stable Rust: a panic aborts, which in JS is a
//! `WebAssembly.RuntimeError` ("unreachable") and leaves the instance's stack pointer where the
//! panic happened, so `catch_unwind` cannot guard the entry points as in the Node binding.
//! Instead:
//! - no data path panics: every JS input is type-, range- and length-checked by the shared
//!   readers (`channelwise_js::read`) before the core sees it, and the core reports the rest as typed errors (the Node test suite
//!   `test/errors.test.mjs` feeds bad input of every kind and expects coded errors);
//! - if a bug panics anyway, the panic hook below records the message, and `js/index.js` turns
//!   the trap into an `Error` with `code = "internal"` carrying it, and marks the module as
//!   poisoned: later calls fail fast with the same `internal` code rather than run on a
//!   corrupted instance (reload the module to recover).

mod error;
pub mod host;

use std::cell::RefCell;

use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook that keeps the panic message for `takePanicMessage`.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info.to_string();
        LAST_PANIC.with(|p| {
            if let Ok(mut p) = p.try_borrow_mut() {
                *p = Some(msg);
            }
        });
    }));
}

/// The message of the last panic, if one happened (then the instance must not be used again).
#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    LAST_PANIC.with(|p| p.try_borrow_mut().ok().and_then(|mut p| p.take()))
}
