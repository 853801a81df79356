//! Building JS results for the exports not yet moved to the shared API (`channelwise-js`).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

pub(crate) type JsResult = std::result::Result<JsValue, JsValue>;

/// `xs` as a JS `number[]`.
pub(crate) fn numbers(xs: &[f64]) -> JsValue {
    array(xs.iter().map(|&x| JsValue::from_f64(x)))
}

/// Sets `obj[key] = value`; defining a data property on a fresh plain object cannot fail.
pub(crate) fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

pub(crate) fn set_num(obj: &Object, key: &str, x: f64) {
    set(obj, key, &JsValue::from_f64(x));
}

pub(crate) fn array<T: Into<JsValue>>(items: impl IntoIterator<Item = T>) -> JsValue {
    items.into_iter().map(Into::into).collect::<Array>().into()
}
