//! The wasm-bindgen implementation of [`channelwise_js::Host`]: the only place this module
//! touches JS values for the shared API (`call`).
//!
//! Every engine call that can run user code (a getter, a Proxy trap) is made through a
//! `catch` binding, so a JS exception never unwinds through wasm frames: the thrown value is
//! kept in [`THROWN`] and rethrown as is by [`call`], as the Node addon does.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::ControlFlow;

use channelwise::progress::{Monitor, Progress};

use channelwise_js::{Host, Kind, Shared, Typed};
use js_sys::{
    Array, ArrayBuffer, DataView, Float32Array, Float64Array, Int16Array, Int32Array, Int8Array,
    Object, Reflect,
};
use js_sys::{
    BigInt64Array, BigUint64Array, Uint16Array, Uint32Array, Uint8Array, Uint8ClampedArray,
};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{is_array, to_js};

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, which runs a Proxy's `ownKeys` trap: caught here.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(v: &JsValue) -> Result<Array, JsValue>;
}

#[wasm_bindgen(module = "/js/text.js")]
extern "C" {
    /// String `s` if it is Unicode text (no lone surrogate, which would cross as U+FFFD).
    #[wasm_bindgen(js_name = unicodeText)]
    fn unicode_text(s: &JsValue) -> Option<String>;
}

thread_local! {
    /// What user code threw during the current call, rethrown as is at the boundary.
    static THROWN: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// Rust objects behind JS handles, by id (ids are never reused).
    static HANDLES: RefCell<HashMap<u64, Shared>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

/// The browser engine (no state: wasm-bindgen reaches it through imports).
#[derive(Clone, Copy)]
pub(crate) struct Browser;

fn threw(e: JsValue) -> String {
    THROWN.with(|t| {
        if let Ok(mut t) = t.try_borrow_mut() {
            t.get_or_insert(e);
        }
    });
    "reading it threw".into()
}

impl Host for Browser {
    type V = JsValue;

    fn kind(self, v: &JsValue) -> Kind {
        if v.is_undefined() {
            Kind::Undefined
        } else if v.is_null() {
            Kind::Null
        } else if v.as_bool().is_some() {
            Kind::Boolean
        } else if v.as_f64().is_some() {
            Kind::Number
        } else if v.is_string() {
            Kind::String
        } else if v.is_symbol() {
            Kind::Symbol
        } else if v.is_function() {
            Kind::Function
        } else if v.is_bigint() {
            Kind::BigInt
        } else {
            Kind::Object
        }
    }

    fn is_array(self, v: &JsValue) -> Result<bool, String> {
        is_array(v).map_err(threw)
    }

    fn typed_numbers(self, v: &JsValue) -> Result<Typed, String> {
        // isView is true only for genuine typed arrays and DataViews (never a Proxy), whose
        // length and contents are read without running user code.
        if !ArrayBuffer::is_view(v) {
            return Ok(Typed::No);
        }
        if let Some(a) = v.dyn_ref::<Float64Array>() {
            return Ok(Typed::Numbers(a.to_vec()));
        }
        macro_rules! typed {
            ($($t:ty),*) => {$(
                if let Some(a) = v.dyn_ref::<$t>() {
                    return Ok(Typed::Numbers(a.to_vec().into_iter().map(f64::from).collect()));
                }
            )*};
        }
        typed!(
            Float32Array,
            Int32Array,
            Uint32Array,
            Int16Array,
            Uint16Array,
            Int8Array,
            Uint8Array,
            Uint8ClampedArray
        );
        if v.dyn_ref::<BigInt64Array>().is_some() {
            return Ok(Typed::Other("BigInt64Array"));
        }
        if v.dyn_ref::<BigUint64Array>().is_some() {
            return Ok(Typed::Other("BigUint64Array"));
        }
        if v.dyn_ref::<DataView>().is_some() {
            return Ok(Typed::Other("DataView"));
        }
        Ok(Typed::Other("typed array"))
    }

    fn bytes(self, v: &JsValue) -> Result<Option<Vec<u8>>, String> {
        // A genuine Uint8Array (or Buffer) only: its bytes are read without running user code.
        Ok(v.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec))
    }

    fn now_ms(self) -> f64 {
        js_sys::Date::now()
    }

    fn number(self, v: &JsValue) -> f64 {
        v.as_f64().unwrap_or(f64::NAN)
    }

    fn boolean(self, v: &JsValue) -> bool {
        v.as_bool().unwrap_or(false)
    }

    fn string(self, v: &JsValue) -> Result<String, String> {
        // only called on strings: none comes back for one holding a lone surrogate
        unicode_text(v).ok_or_else(|| channelwise_js::host::LONE_SURROGATE.into())
    }

    fn get(self, obj: &JsValue, key: &str) -> Result<JsValue, String> {
        Reflect::get(obj, &JsValue::from_str(key)).map_err(threw)
    }

    fn length(self, arr: &JsValue) -> Result<u32, String> {
        let n = Reflect::get(arr, &JsValue::from_str("length")).map_err(threw)?;
        n.as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
            .map(|n| n as u32)
            .ok_or_else(|| "its length is not an array length".into())
    }

    fn element(self, arr: &JsValue, i: u32) -> Result<JsValue, String> {
        Reflect::get_u32(arr, i).map_err(threw)
    }

    fn keys(self, obj: &JsValue) -> Result<Vec<String>, String> {
        Ok(object_keys(obj)
            .map_err(threw)?
            .iter()
            .filter_map(|k| k.as_string())
            .collect())
    }

    fn unwrap_handle(self, v: &JsValue) -> Option<Shared> {
        let id = v.as_f64().filter(|x| x.fract() == 0.0 && *x >= 1.0)? as u64;
        HANDLES.with(|h| h.borrow().get(&id).cloned())
    }

    fn call_function(self, f: &JsValue, args: &[JsValue]) -> Result<JsValue, String> {
        let f: &js_sys::Function = f.dyn_ref().ok_or_else(|| "not a function".to_string())?;
        let args: Array = args.iter().collect();
        f.apply(&JsValue::UNDEFINED, &args).map_err(|e| {
            threw(e);
            "it threw".to_string()
        })
    }

    fn call_method(self, obj: &JsValue, f: &JsValue, args: &[JsValue]) -> Result<JsValue, String> {
        let f: &js_sys::Function = f.dyn_ref().ok_or_else(|| "not a function".to_string())?;
        let args: Array = args.iter().collect();
        f.apply(obj, &args).map_err(|e| {
            threw(e);
            "it threw".to_string()
        })
    }

    fn take_thrown(self) -> Option<JsValue> {
        THROWN.with(|t| t.try_borrow_mut().ok().and_then(|mut t| t.take()))
    }

    fn undefined(self) -> Result<JsValue, String> {
        Ok(JsValue::UNDEFINED)
    }

    fn null(self) -> Result<JsValue, String> {
        Ok(JsValue::NULL)
    }

    fn make_number(self, x: f64) -> Result<JsValue, String> {
        Ok(JsValue::from_f64(x))
    }

    fn make_boolean(self, b: bool) -> Result<JsValue, String> {
        Ok(JsValue::from_bool(b))
    }

    fn make_string(self, s: &str) -> Result<JsValue, String> {
        Ok(JsValue::from_str(s))
    }

    fn make_array(self, items: Vec<JsValue>) -> Result<JsValue, String> {
        Ok(items.into_iter().collect::<Array>().into())
    }

    fn make_object(self, fields: Vec<(&str, JsValue)>) -> Result<JsValue, String> {
        let o = Object::new();
        for (k, v) in fields {
            // Defining a data property on a fresh plain object cannot fail.
            let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
        }
        Ok(o.into())
    }

    fn make_f64_array(self, xs: &[f64]) -> Result<JsValue, String> {
        Ok(Float64Array::from(xs).into())
    }

    fn make_i8_array(self, xs: &[i8]) -> Result<JsValue, String> {
        Ok(Int8Array::from(xs).into())
    }

    fn handle(self, x: Shared) -> Result<JsValue, String> {
        let id = NEXT_ID.with(|n| {
            let id = n.get();
            n.set(id + 1);
            id
        });
        HANDLES.with(|h| h.borrow_mut().insert(id, x));
        Ok(JsValue::from_f64(id as f64))
    }
}

/// Runs export `id` of the shared JS API with `args`. Errors are JS `Error`s with `code`; what
/// user code threw while the arguments were read is rethrown as is.
#[wasm_bindgen(js_name = call)]
pub fn call(id: &str, args: Vec<JsValue>) -> Result<JsValue, JsValue> {
    run(id, &args, &Monitor::new())
}

/// Runs export `id` reporting to `monitor`; the one path of `call`, `callWatched` and
/// `callReporting`.
fn run(id: &str, args: &[JsValue], monitor: &Monitor) -> Result<JsValue, JsValue> {
    THROWN.with(|t| t.borrow_mut().take());
    let result = channelwise_js::call_with(Browser, id, args, monitor);
    channelwise_js::host::clear_joined();
    result.map_err(|e| {
        THROWN
            .with(|t| t.borrow_mut().take())
            .unwrap_or_else(|| to_js(e))
    })
}

thread_local! {
    /// Where a long call in the worker sends its progress (see `callReporting`).
    static REPORTER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// [`call`] for a long call run in a Web Worker (`js/worker.js`): the core's progress reports go
/// to `report(done, total, stage)` as they happen (the worker posts them to the page, whose
/// thread stays free; the page cancels by terminating the worker).
#[wasm_bindgen(js_name = callReporting)]
pub fn call_reporting(
    id: &str,
    args: Vec<JsValue>,
    report: js_sys::Function,
) -> Result<JsValue, JsValue> {
    REPORTER.with(|r| *r.borrow_mut() = Some(report));
    let monitor = Monitor::new().on_progress(|p: Progress| {
        REPORTER.with(|r| {
            if let Ok(r) = r.try_borrow() {
                if let Some(f) = r.as_ref() {
                    // A failing report (the page went away) must not stop the work.
                    let _ = f.call3(
                        &JsValue::UNDEFINED,
                        &JsValue::from_f64(p.done as f64),
                        &JsValue::from_f64(p.total as f64),
                        &JsValue::from_str(p.stage),
                    );
                }
            }
        });
        ControlFlow::Continue(())
    });
    let result = run(id, &args, &monitor);
    REPORTER.with(|r| r.borrow_mut().take());
    result
}

/// [`call`] reporting to `watch` (a `Watch` handle): a long `...Async` call run on this thread
/// (where there is no Web Worker), so that `onProgress` still sees its reports.
#[wasm_bindgen(js_name = callWatched)]
pub fn call_watched(id: &str, args: Vec<JsValue>, watch: JsValue) -> Result<JsValue, JsValue> {
    let monitor = Browser
        .unwrap_handle(&watch)
        .and_then(|w| w.downcast::<channelwise_js::progress::Watch>().ok())
        .map_or_else(Monitor::new, |w| w.monitor());
    run(id, &args, &monitor)
}

/// Hands over `column.join("\n")` (UTF-8) of the string column `field` (`path`,
/// `touchpoints.userId`) the next `call` reads ([`channelwise_js::host::stash_joined`]).
#[wasm_bindgen(js_name = stashJoined)]
pub fn stash_joined(field: String, utf8: Vec<u8>) {
    channelwise_js::host::stash_joined(field, utf8);
}

/// Frees the Rust object behind handle `id` (called once its JS object is collected).
#[wasm_bindgen(js_name = release)]
pub fn release(id: f64) {
    HANDLES.with(|h| h.borrow_mut().remove(&(id as u64)));
}
