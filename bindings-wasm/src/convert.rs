//! JS values in, Rust values out: the table columns and the option objects.
//!
//! Everything a caller can pass is checked here before the core sees it, so that no input can
//! reach a panic (a panic on wasm32 is a trap, not an exception: see the crate docs). Every
//! rejection is a core [`Error`](channelwise::Error) naming the field, e.g. `conversions[3]`.

use channelwise::attribution::{
    Bootstrap, Horizon, Markov, ShapleyMethod, ShapleySampler, MAX_ORDER,
};
use channelwise::journey::PathTable;
use channelwise::Error;
use js_sys::{
    Array, Float32Array, Float64Array, Int16Array, Int32Array, Int8Array, Object, Reflect,
};
use js_sys::{Uint16Array, Uint32Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{invalid, Result};

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Reads `obj[key]`; a throwing getter or proxy trap becomes an `invalid_parameter` error.
fn get(obj: &JsValue, key: &str, field: &str) -> Result<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key)).map_err(|e| invalid(field, &e, "reading it threw"))
}

/// `undefined` and `null` both mean "not given".
fn given(v: JsValue) -> Option<JsValue> {
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

/// Checks that `v` is a plain object (not an array, not a primitive).
fn object(v: &JsValue, field: &str) -> Result<()> {
    if v.is_object() && !Array::is_array(v) && !v.is_function() {
        Ok(())
    } else {
        Err(invalid(field, v, "must be an object"))
    }
}

/// The options object: `undefined`/`null` give an empty one.
pub(crate) fn options(v: &JsValue) -> Result<JsValue> {
    match given(v.clone()) {
        None => Ok(Object::new().into()),
        Some(o) => {
            object(&o, "options")?;
            Ok(o)
        }
    }
}

/// A number option: must be a JS number (NaN/Infinity are reported as non-finite).
fn number(v: &JsValue, field: &str) -> Result<f64> {
    let x = v
        .as_f64()
        .ok_or_else(|| invalid(field, v, "must be a number"))?;
    if !x.is_finite() {
        return Err(Error::NonFinite {
            field: field.into(),
            value: x,
        });
    }
    Ok(x)
}

/// A whole-number option within `[min, max]` (max at most 2^53 - 1).
fn integer(v: &JsValue, field: &str, min: f64, max: f64) -> Result<u64> {
    let x = number(v, field)?;
    if x.fract() != 0.0 {
        return Err(invalid(field, v, "must be a whole number"));
    }
    let max = max.min(MAX_SAFE_INTEGER);
    if x < min || x > max {
        return Err(Error::OutOfRange {
            field: field.into(),
            value: x,
            min,
            max,
        });
    }
    // In [min, 2^53 - 1] and whole: exact as u64.
    Ok(x as u64)
}

/// `usize` from a checked `u64` (wasm32's usize is 32 bits: larger values are out of range).
fn to_usize(x: u64, field: &str, min: f64) -> Result<usize> {
    usize::try_from(x).map_err(|_| Error::OutOfRange {
        field: field.into(),
        value: x as f64,
        min,
        max: usize::MAX as f64,
    })
}

fn optional_integer(opts: &JsValue, key: &str, min: f64, max: f64) -> Result<Option<u64>> {
    given(get(opts, key, key)?)
        .map(|v| integer(&v, key, min, max))
        .transpose()
}

fn optional_number(opts: &JsValue, key: &str) -> Result<Option<f64>> {
    given(get(opts, key, key)?)
        .map(|v| number(&v, key))
        .transpose()
}

fn optional_bool(opts: &JsValue, key: &str) -> Result<Option<bool>> {
    given(get(opts, key, key)?)
        .map(|v| {
            v.as_bool()
                .ok_or_else(|| invalid(key, &v, "must be true or false"))
        })
        .transpose()
}

/// A string option, or `default` when not given.
pub(crate) fn string_or(opts: &JsValue, key: &str, default: &str) -> Result<String> {
    match given(get(opts, key, key)?) {
        None => Ok(default.to_string()),
        Some(v) => v
            .as_string()
            .ok_or_else(|| invalid(key, &v, "must be a string")),
    }
}

/// A numeric column: `number[]`, `Float64Array` or another (non-BigInt) typed array.
/// Elements are not range-checked here: NaN and negatives reach the core, which names them.
fn column(v: &JsValue, field: &str) -> Result<Vec<f64>> {
    if let Some(a) = v.dyn_ref::<Float64Array>() {
        return Ok(a.to_vec());
    }
    if let Some(a) = v.dyn_ref::<Array>() {
        let mut out = Vec::with_capacity(a.length() as usize);
        for (i, x) in a.iter().enumerate() {
            out.push(
                x.as_f64()
                    .ok_or_else(|| invalid(format!("{field}[{i}]"), &x, "must be a number"))?,
            );
        }
        return Ok(out);
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
        "must be an array of numbers or a Float64Array",
    ))
}

/// The path table `{ path: string[], conversions, nulls?, value? }`, split on `sep`.
pub(crate) fn table(v: &JsValue, sep: &str) -> Result<PathTable> {
    object(v, "table")?;
    let raw = get(v, "path", "table.path")?;
    let paths = raw
        .dyn_ref::<Array>()
        .ok_or_else(|| invalid("path", &raw, "must be an array of strings"))?;
    let mut path = Vec::with_capacity(paths.length() as usize);
    for (i, p) in paths.iter().enumerate() {
        path.push(
            p.as_string()
                .ok_or_else(|| invalid(format!("path[{i}]"), &p, "must be a string"))?,
        );
    }
    let raw = get(v, "conversions", "table.conversions")?;
    let conversions = match given(raw.clone()) {
        Some(c) => column(&c, "conversions")?,
        None => return Err(invalid("conversions", &raw, "is required")),
    };
    let nulls = given(get(v, "nulls", "table.nulls")?)
        .map(|c| column(&c, "nulls"))
        .transpose()?;
    let value = given(get(v, "value", "table.value")?)
        .map(|c| column(&c, "value"))
        .transpose()?;
    PathTable::from_strings(&path, &conversions, nulls.as_deref(), value.as_deref(), sep)
}

/// `[a, b, ...]` of exactly `n` numbers (the heuristic share options).
pub(crate) fn shares(opts: &JsValue, key: &str, n: usize) -> Result<Option<Vec<f64>>> {
    let Some(v) = given(get(opts, key, key)?) else {
        return Ok(None);
    };
    let a = v
        .dyn_ref::<Array>()
        .ok_or_else(|| invalid(key, &v, format!("must be an array of {n} numbers")))?;
    if a.length() as usize != n {
        return Err(Error::LengthMismatch {
            field: key.into(),
            expected: n,
            got: a.length() as usize,
        });
    }
    let mut out = Vec::with_capacity(n);
    for (i, x) in a.iter().enumerate() {
        out.push(number(&x, &format!("{key}[{i}]"))?);
    }
    Ok(Some(out))
}

/// The Markov specification from `{ order, horizon, useNulls }`.
pub(crate) fn markov(opts: &JsValue) -> Result<Markov> {
    let order = optional_integer(opts, "order", 1.0, MAX_ORDER as f64)?.unwrap_or(1);
    let horizon = match given(get(opts, "horizon", "horizon")?) {
        None => Horizon::Infinite,
        Some(v) if v.as_string().as_deref() == Some("ca") => Horizon::ChannelAttributionDefault,
        Some(v) if v.as_f64().is_some() => {
            let t = integer(&v, "horizon", 1.0, f64::INFINITY)?;
            Horizon::Steps(to_usize(t, "horizon", 1.0)?)
        }
        Some(v) => {
            return Err(invalid(
                "horizon",
                &v,
                "must be null, a whole number >= 1 or \"ca\"",
            ))
        }
    };
    let use_nulls = optional_bool(opts, "useNulls")?.unwrap_or(true);
    Ok(Markov::default()
        .order(to_usize(order, "order", 1.0)?)
        .horizon(horizon)
        .use_nulls(use_nulls))
}

/// The bootstrap from `ci`: `undefined`/`null`/`false` none, `true` the defaults, or
/// `{ replicates, level, seed }`.
pub(crate) fn bootstrap(opts: &JsValue) -> Result<Option<Bootstrap>> {
    let Some(ci) = given(get(opts, "ci", "ci")?) else {
        return Ok(None);
    };
    if let Some(b) = ci.as_bool() {
        return Ok(b.then(Bootstrap::default));
    }
    object(&ci, "ci")?;
    let mut b = Bootstrap::default();
    if let Some(r) = optional_integer(&ci, "replicates", 0.0, f64::INFINITY)? {
        b = b.replicates(to_usize(r, "replicates", 0.0)?);
    }
    if let Some(level) = optional_number(&ci, "level")? {
        b = b.level(level);
    }
    if let Some(seed) = optional_integer(&ci, "seed", 0.0, f64::INFINITY)? {
        b = b.seed(seed);
    }
    Ok(Some(b))
}

/// Which Shapley game: `"subset"` (closed form) or `"markov"` (the chain's conversion
/// probability with `method` `"exact"` or `"sampled"`).
pub(crate) enum Game {
    Subset,
    Markov(Markov, ShapleyMethod),
}

pub(crate) fn shapley_game(opts: &JsValue) -> Result<Game> {
    let game = string_or(opts, "game", "subset")?;
    match game.as_str() {
        "subset" => Ok(Game::Subset),
        "markov" => {
            let spec = markov(opts)?;
            let method = match string_or(opts, "method", "exact")?.as_str() {
                "exact" => ShapleyMethod::Exact,
                "sampled" => {
                    let mut s = ShapleySampler::default();
                    if let Some(m) = optional_integer(opts, "permutations", 0.0, f64::INFINITY)? {
                        s = s.permutations(to_usize(m, "permutations", 0.0)?);
                    }
                    if let Some(seed) = optional_integer(opts, "seed", 0.0, f64::INFINITY)? {
                        s = s.seed(seed);
                    }
                    ShapleyMethod::Sampled(s)
                }
                other => {
                    return Err(invalid(
                        "method",
                        &JsValue::from_str(other),
                        "must be \"exact\" or \"sampled\"",
                    ))
                }
            };
            Ok(Game::Markov(spec, method))
        }
        other => Err(invalid(
            "game",
            &JsValue::from_str(other),
            "must be \"subset\" or \"markov\"",
        )),
    }
}

/// The CSV delimiter option: one ASCII character (default `,`).
pub(crate) fn delimiter(opts: &JsValue) -> Result<u8> {
    let d = string_or(opts, "delimiter", ",")?;
    match d.as_bytes() {
        [b] if b.is_ascii() => Ok(*b),
        _ => Err(invalid(
            "delimiter",
            &JsValue::from_str(&d),
            "must be a single ASCII character",
        )),
    }
}
