//! JS values in, Rust values out: the table columns and the option objects.
//!
//! Everything a caller can pass is checked here before the core sees it, so that no input can
//! reach a panic (a panic on wasm32 is a trap, not an exception: see the crate docs). Every
//! rejection is a core [`Error`](channelwise::Error) naming the field (`conversions[3]`,
//! `options.order`). Semantics follow the Node binding: option objects reject unknown keys,
//! `null`/`undefined` mean "not given", counts are whole numbers below 2^53, and ranges the core
//! checks itself (order 1..=64, replicates >= 10, ...) are left to the core and its messages.

use channelwise::Error;
use js_sys::{ArrayBuffer, Float32Array, Float64Array, Int16Array, Int32Array, Int8Array, Reflect};
use js_sys::{Uint16Array, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{invalid, is_array, Result};

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// An options object (or none), with the path of its fields for messages (`options`,
/// `options.ci`).
pub(crate) struct Opts {
    obj: Option<JsValue>,
    path: &'static str,
}

/// `undefined` and `null` both mean "not given".
pub(crate) fn given(v: JsValue) -> Option<JsValue> {
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

/// Checks that `v` is an object (not an array, function or primitive).
fn object(v: &JsValue, field: &str) -> Result<()> {
    if v.is_object() && !v.is_function() && !array(v, field)? {
        Ok(())
    } else {
        Err(invalid(field, v, "expected an object"))
    }
}

/// `Array.isArray(v)`; it throws only for a revoked Proxy, reported as `invalid_parameter`.
pub(crate) fn array(v: &JsValue, field: &str) -> Result<bool> {
    is_array(v).map_err(|e| invalid(field, &e, "inspecting it threw"))
}

/// The elements of an array, read with `Reflect.get` so that a throwing getter or Proxy trap is
/// an error, not a JS exception unwinding through wasm frames.
pub(crate) fn elements(v: &JsValue, field: &str) -> Result<Vec<JsValue>> {
    let len = get_raw(v, "length", field)?;
    let n = len
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n));
    let n = n.ok_or_else(|| invalid(format!("{field}.length"), &len, "expected an array length"))?
        as u32;
    (0..n)
        .map(|i| {
            Reflect::get_u32(v, i)
                .map_err(|e| invalid(format!("{field}[{i}]"), &e, "reading it threw"))
        })
        .collect()
}

/// Reads `obj[key]`; a throwing getter or proxy trap becomes an `invalid_parameter` error.
fn get_raw(obj: &JsValue, key: &str, field: &str) -> Result<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key)).map_err(|e| invalid(field, &e, "reading it threw"))
}

impl Opts {
    /// The options argument `v` at `path`, whose own keys must all be in `allowed`.
    pub(crate) fn new(v: &JsValue, path: &'static str, allowed: &[&str]) -> Result<Opts> {
        let Some(obj) = given(v.clone()) else {
            return Ok(Opts { obj: None, path });
        };
        object(&obj, path)?;
        let keys =
            Reflect::own_keys(&obj).map_err(|e| invalid(path, &e, "listing its keys threw"))?;
        // Symbol keys are not options; skip them.
        for key in keys.iter().filter_map(|k| k.as_string()) {
            if !allowed.contains(&key.as_str()) {
                return Err(Error::InvalidParameter {
                    field: format!("{path}.{key}"),
                    value: key,
                    reason: format!("unknown option; expected one of {}", allowed.join(", ")),
                });
            }
        }
        Ok(Opts {
            obj: Some(obj),
            path,
        })
    }

    pub(crate) fn field(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// `self[key]`, or `None` when absent, `undefined` or `null`.
    pub(crate) fn get(&self, key: &str) -> Result<Option<JsValue>> {
        match &self.obj {
            None => Ok(None),
            Some(o) => Ok(given(get_raw(o, key, &self.field(key))?)),
        }
    }

    pub(crate) fn size(&self, key: &str) -> Result<Option<usize>> {
        self.get(key)?
            .map(|v| size(&v, &self.field(key)))
            .transpose()
    }

    pub(crate) fn unsigned(&self, key: &str) -> Result<Option<u64>> {
        self.get(key)?
            .map(|v| unsigned(&v, &self.field(key)))
            .transpose()
    }

    /// `self[key]` as a boolean, or `None` when absent.
    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>> {
        self.get(key)?
            .map(|v| {
                v.as_bool()
                    .ok_or_else(|| invalid(self.field(key), &v, "expected a boolean"))
            })
            .transpose()
    }

    /// `self[key]` as a number (NaN passes: the core names it), or `None` when absent.
    pub(crate) fn number(&self, key: &str) -> Result<Option<f64>> {
        self.get(key)?
            .map(|v| number(&v, &self.field(key)))
            .transpose()
    }

    /// `self[key]` as a whole-number array (`periods`, `windows`), or `None` when absent.
    pub(crate) fn sizes(&self, key: &str) -> Result<Option<Vec<usize>>> {
        let Some(v) = self.get(key)? else {
            return Ok(None);
        };
        let field = self.field(key);
        if !array(&v, &field)? {
            return Err(invalid(field, &v, "expected an array of whole numbers"));
        }
        elements(&v, &field)?
            .iter()
            .enumerate()
            .map(|(i, x)| size(x, &format!("{field}[{i}]")))
            .collect::<Result<Vec<usize>>>()
            .map(Some)
    }

    pub(crate) fn string(&self, key: &str) -> Result<Option<String>> {
        self.get(key)?
            .map(|v| {
                v.as_string()
                    .ok_or_else(|| invalid(self.field(key), &v, "expected a string"))
            })
            .transpose()
    }
}

/// A JS number (NaN and infinities pass: the core names them).
pub(crate) fn number(v: &JsValue, field: &str) -> Result<f64> {
    v.as_f64()
        .ok_or_else(|| invalid(field, v, "expected a number"))
}

/// A finite whole number of safe size (|x| <= 2^53 - 1).
fn integer(v: &JsValue, field: &str) -> Result<f64> {
    let x = number(v, field)?;
    if !x.is_finite() {
        return Err(Error::NonFinite {
            field: field.into(),
            value: x,
        });
    }
    if x.fract() != 0.0 || x.abs() > MAX_SAFE_INTEGER {
        return Err(Error::InvalidParameter {
            field: field.into(),
            value: x.to_string(),
            reason: "expected a whole number (at most 2^53 - 1 in size)".into(),
        });
    }
    Ok(x)
}

/// A non-negative whole number.
pub(crate) fn unsigned(v: &JsValue, field: &str) -> Result<u64> {
    let x = integer(v, field)?;
    if x < 0.0 {
        return Err(Error::OutOfRange {
            field: field.into(),
            value: x,
            min: 0.0,
            max: MAX_SAFE_INTEGER,
        });
    }
    // Whole, in [0, 2^53 - 1]: exact as u64.
    Ok(x as u64)
}

/// A non-negative whole number as a count (wasm32's usize is 32 bits).
pub(crate) fn size(v: &JsValue, field: &str) -> Result<usize> {
    let x = unsigned(v, field)?;
    usize::try_from(x).map_err(|_| Error::OutOfRange {
        field: field.into(),
        value: x as f64,
        min: 0.0,
        max: usize::MAX as f64,
    })
}

/// A numeric column: `number[]`, `Float64Array` or another (non-BigInt) typed array.
/// Elements are not range-checked here: NaN and negatives reach the core, which names them.
pub(crate) fn column(v: &JsValue, field: &str) -> Result<Vec<f64>> {
    if array(v, field)? {
        let xs = elements(v, field)?;
        return xs
            .iter()
            .enumerate()
            .map(|(i, x)| number(x, &format!("{field}[{i}]")))
            .collect();
    }
    // isView is true only for genuine typed arrays and DataViews (never a Proxy), whose
    // length and contents can then be read without running user code.
    if !ArrayBuffer::is_view(v) {
        return Err(invalid(
            field,
            v,
            "expected an array of numbers or a Float64Array",
        ));
    }
    if let Some(a) = v.dyn_ref::<Float64Array>() {
        return Ok(a.to_vec());
    }
    macro_rules! typed {
        ($($t:ty),*) => {$(
            if let Some(a) = v.dyn_ref::<$t>() {
                return Ok(a.to_vec().into_iter().map(f64::from).collect());
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
        Uint8Array
    );
    Err(invalid(
        field,
        v,
        "expected an array of numbers or a Float64Array",
    ))
}

/// An optional number option (`options.alpha`, `options.halfLifeSeconds`).
pub(crate) fn number_option(o: &Opts, key: &str) -> Result<Option<f64>> {
    o.get(key)?.map(|v| number(&v, &o.field(key))).transpose()
}
