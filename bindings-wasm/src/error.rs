//! The one place where a [`channelwise::Error`] becomes a JavaScript value.
//!
//! Every exported function returns `Result<_, JsValue>`; its error is always built here: a JS
//! `Error` whose message is the core's message, unchanged, and whose `code` property is the
//! core's stable [`ErrorKind::code`](channelwise::ErrorKind::code) (`"out_of_range"`, ...).
//! Input-conversion problems are reported with the core's own variants (`InvalidParameter`,
//! `NonFinite`, `OutOfRange`), so JS sees one family of codes whatever layer caught the problem.

use channelwise::Error;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy: caught here, unlike js-sys's binding.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub(crate) fn is_array(v: &JsValue) -> std::result::Result<bool, JsValue>;
}

/// `Result` of the binding: a core error until the last step.
pub(crate) type Result<T> = std::result::Result<T, Error>;

/// Converts a core error into a JS `Error` with a `code` property.
pub(crate) fn to_js(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    // `Reflect.set` on a fresh, extensible Error cannot fail; if it ever did, the message still
    // reaches JS, only without its code.
    let _ = js_sys::Reflect::set(
        &err,
        &JsValue::from_str("code"),
        &JsValue::from_str(e.kind().code()),
    );
    err.into()
}

/// Runs `f` and maps its error: the shape of every exported entry point.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T>) -> std::result::Result<T, JsValue> {
    f().map_err(to_js)
}

/// An [`Error::InvalidParameter`] naming the field, its JS value and why it is rejected.
pub(crate) fn invalid(
    field: impl Into<String>,
    value: &JsValue,
    reason: impl Into<String>,
) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: describe(value),
        reason: reason.into(),
    }
}

/// A short rendering of a JS value for messages (`"abc"`, `3`, `null`, `[object Object]`).
fn describe(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        let mut s: String = s.chars().take(60).collect();
        if s.len() >= 60 {
            s.push_str("...");
        }
        return s;
    }
    if let Some(x) = v.as_f64() {
        return x.to_string();
    }
    if let Some(b) = v.as_bool() {
        return b.to_string();
    }
    if v.is_null() {
        return "null".into();
    }
    if v.is_undefined() {
        return "undefined".into();
    }
    if is_array(v).unwrap_or(false) {
        return "an array".into();
    }
    format!(
        "a value of type {}",
        v.js_typeof().as_string().unwrap_or_default()
    )
}
