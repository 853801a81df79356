//! The one place where errors cross into JavaScript.
//!
//! Every failure is a [`channelwise::Error`] on the Rust side (bad JS input is reported with the
//! core's own variants). At the boundary it becomes a plain JS `Error` whose `message` is the
//! core's message, unchanged, and whose `code` property is the stable
//! [`ErrorKind::code`](channelwise::ErrorKind::code) (`"invalid_path"`, `"non_finite"`, ...).
//!
//! How the code survives: napi-rs creates thrown errors with `napi_create_error(code, message)`,
//! taking `code` from the error's *status*. Its `Error<S>` is generic over that status, so the
//! exports return `napi::Result<T, Code>` and the status is the core's code string. Promises
//! (async tasks) settle through `napi::Error<Status>` only, so [`rejection`] builds the JS
//! error object with its code on the main thread and hands napi-rs a reference to that object,
//! which it rejects with verbatim.
//!
//! A panic never crosses the boundary: [`guard`] (sync exports) and [`run`] (task bodies) catch
//! it and report [`Error::Internal`] (`code: "internal"`).

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use channelwise::Error;
use napi::{Env, JsError};

/// The `code` property of a thrown error: one of [`ErrorKind::ALL`](channelwise::ErrorKind::ALL)'s codes.
#[derive(Debug, Clone, Copy)]
pub struct Code(&'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

/// What every export returns: a value, or an error napi-rs throws with our `code`.
///
/// Named `Result` on purpose: `#[napi]` recognises a fallible return by that name.
pub type Result<T> = napi::Result<T, Code>;

/// The JS-side form of a core error: status = stable code, reason = the message, unchanged.
fn to_napi(e: &Error) -> napi::Error<Code> {
    napi::Error::new(Code(e.kind().code()), e.to_string())
}

/// Runs `f`, turning a panic into [`Error::Internal`].
pub(crate) fn run<T>(f: impl FnOnce() -> channelwise::Result<T>) -> channelwise::Result<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(Error::Internal(panic_message(&*payload))))
}

/// Runs the body of a synchronous export: panics become `internal`, core errors keep their code.
pub(crate) fn guard<T>(f: impl FnOnce() -> channelwise::Result<T>) -> Result<T> {
    run(f).map_err(|e| to_napi(&e))
}

/// A promise rejection carrying `e`'s code: the JS error object is created here, on the main
/// thread, and napi-rs rejects with that very object.
pub(crate) fn rejection(env: Env, e: &Error) -> napi::Error {
    napi::Error::from(JsError::from(to_napi(e)).into_unknown(env))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_string());
    format!("panic in channelwise-node: {what}")
}
