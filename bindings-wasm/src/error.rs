//! The one place where a [`channelwise::Error`] becomes a JavaScript value.
//!
//! The one export, `call`, returns `Result<_, JsValue>`; its error is always built here: a JS
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
