//! JS values in, Rust values out: the table columns and the option objects.
//!
//! Everything a caller can pass is checked here before the core sees it, so that no input can
//! reach a panic (a panic on wasm32 is a trap, not an exception: see the crate docs). Every
//! rejection is a core [`Error`](channelwise::Error) naming the field (`conversions[3]`,
//! `options.order`). Semantics follow the Node binding: option objects reject unknown keys,
//! `null`/`undefined` mean "not given", counts are whole numbers below 2^53, and ranges the core
//! checks itself (order 1..=64, replicates >= 10, ...) are left to the core and its messages.

use channelwise::attribution::{Bootstrap, Horizon, Markov, ShapleyMethod, ShapleySampler};
use channelwise::journey::{Conversion, JourneyBuilder, Level, PathTable, PathTableBuilder, Touchpoint};
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

    /// The path separator, `">"` by default.
    pub(crate) fn sep(&self) -> Result<String> {
        Ok(self.string("sep")?.unwrap_or_else(|| ">".into()))
    }

    /// `[a, b, ...]` of exactly `N` numbers (the heuristic shares).
    pub(crate) fn fixed<const N: usize>(&self, key: &str) -> Result<Option<[f64; N]>> {
        let Some(v) = self.get(key)? else {
            return Ok(None);
        };
        let field = self.field(key);
        let xs = column(&v, &field)?;
        <[f64; N]>::try_from(xs.as_slice())
            .map(Some)
            .map_err(|_| Error::LengthMismatch {
                field,
                expected: N,
                got: xs.len(),
            })
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

/// The path table `{ path: string[], conversions, nulls?, value? }`, split on `sep`.
///
/// `joined`, when given, is `path.join("\n")` as UTF-8, made by `js/index.js` after it checked
/// that every element is a string: one byte array crosses the boundary (one memcpy) instead of
/// one string per row. It is used only
/// if it splits into exactly `path.length` rows (a path containing `"\n"` splits into more); else
/// the paths are read one by one, as without it, so errors stay the same.
pub(crate) fn table(v: &JsValue, joined: Option<&[u8]>, sep: &str) -> Result<PathTable> {
    object(v, "table")?;
    let raw = get_raw(v, "path", "path")?;
    if given(raw.clone()).is_none() {
        return Err(missing("path"));
    }
    if !array(&raw, "path")? {
        return Err(invalid("path", &raw, "expected an array of strings"));
    }
    let conversions = |v: &JsValue| match given(get_raw(v, "conversions", "conversions")?) {
        Some(c) => column(&c, "conversions"),
        None => Err(missing("conversions")),
    };
    let optional = |v: &JsValue, key: &str| {
        given(get_raw(v, key, key)?)
            .map(|c| column(&c, key))
            .transpose()
    };
    if let Some(joined) = joined {
        if let Some(table) = joined_table(joined, &raw, sep, || {
            let conversions = conversions(v)?;
            Ok((conversions, optional(v, "nulls")?, optional(v, "value")?))
        })? {
            return Ok(table);
        }
    }
    let path = elements(&raw, "path")?
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.as_string()
                .ok_or_else(|| invalid(format!("path[{i}]"), p, "expected a string"))
        })
        .collect::<Result<Vec<String>>>()?;
    let conversions = conversions(v)?;
    let nulls = optional(v, "nulls")?;
    let value = optional(v, "value")?;
    PathTable::from_strings(&path, &conversions, nulls.as_deref(), value.as_deref(), sep)
}

/// The table of `joined`'s rows (as `PathTable::from_strings` gives it), if `joined` splits on
/// `"\n"` into exactly `path.length` rows; `None` (read the strings one by one) if a path holds
/// a newline. One pass, each row pushed straight from the bytes: no UTF-8 pass over the whole
/// text (TextEncoder's output is UTF-8, and the builder checks each channel name the first time
/// it meets it), no row vector. An error is returned only once the rows are known to line up
/// with `path`, so its row number is the caller's.
fn joined_table(
    joined: &[u8],
    path: &JsValue,
    sep: &str,
    counts: impl FnOnce() -> Result<(Vec<f64>, Option<Vec<f64>>, Option<Vec<f64>>)>,
) -> Result<Option<PathTable>> {
    let Some(n) = Reflect::get(path, &JsValue::from_str("length"))
        .ok()
        .and_then(|n| n.as_f64())
        .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
    else {
        return Ok(None);
    };
    let n = n as usize;
    let newlines = |bytes: &[u8]| bytes.iter().filter(|&&b| b == b'\n').count();
    if n == 0 && !joined.is_empty() {
        return Ok(None);
    }
    let (conversions, nulls, values) = counts()?;
    let mut rows = 0;
    let built = (|| -> Result<PathTable> {
        let check = |field: &str, got: usize| {
            if got == n {
                Ok(())
            } else {
                Err(Error::LengthMismatch { field: field.into(), expected: n, got })
            }
        };
        check("conversions", conversions.len())?;
        if let Some(x) = &nulls {
            check("nulls", x.len())?;
        }
        if let Some(x) = &values {
            check("value", x.len())?;
        }
        let mut b = PathTableBuilder::with_separator(sep)?;
        b.reserve(n);
        for row in joined.split(|&b| b == b'\n').take(if n == 0 { 0 } else { usize::MAX }) {
            if rows == n {
                rows += 1; // more rows than paths: a path holds a newline
                break;
            }
            let null = nulls.as_ref().map_or(0.0, |x| x[rows]);
            let value = values.as_ref().map_or(0.0, |x| x[rows]);
            b.push_utf8(row, conversions[rows], null, value)?;
            rows += 1;
        }
        Ok(b.finish())
    })();
    match built {
        Ok(_) if rows != n => Ok(None),
        Ok(table) => Ok(Some(table)),
        // the error stands only if the rows line up with `path`
        Err(e) => (n > 0 && newlines(joined) == n - 1).then_some(Err(e)).transpose(),
    }
}

fn missing(field: &str) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: "undefined".into(),
        reason: "required, but missing".into(),
    }
}

/// The Markov specification from `{ order, horizon, useNulls }` (other keys of `o` ignored).
pub(crate) fn markov(o: &Opts) -> Result<Markov> {
    let mut spec = Markov::default();
    if let Some(order) = o.size("order")? {
        spec = spec.order(order);
    }
    if let Some(v) = o.get("horizon")? {
        let field = o.field("horizon");
        let horizon = match v.as_string() {
            Some(s) if s == "ca" => Horizon::ChannelAttributionDefault,
            Some(_) => return Err(invalid(field, &v, "expected null, a step count or \"ca\"")),
            None => Horizon::Steps(size(&v, &field)?),
        };
        spec = spec.horizon(horizon);
    }
    if let Some(v) = o.get("useNulls")? {
        spec = spec.use_nulls(
            v.as_bool()
                .ok_or_else(|| invalid(o.field("useNulls"), &v, "expected a boolean"))?,
        );
    }
    Ok(spec)
}

/// The bootstrap from `ci`: absent or `false` none, `true` the defaults, or
/// `{ replicates, level, seed }`.
pub(crate) fn bootstrap(o: &Opts) -> Result<Option<Bootstrap>> {
    let Some(v) = o.get("ci")? else {
        return Ok(None);
    };
    if let Some(b) = v.as_bool() {
        return Ok(b.then(Bootstrap::default));
    }
    let ci = Opts::new(&v, "options.ci", &["replicates", "level", "seed"])?;
    let mut b = Bootstrap::default();
    if let Some(r) = ci.size("replicates")? {
        b = b.replicates(r);
    }
    if let Some(level) = ci.get("level")? {
        b = b.level(number(&level, &ci.field("level"))?);
    }
    if let Some(seed) = ci.unsigned("seed")? {
        b = b.seed(seed);
    }
    Ok(Some(b))
}

/// The Markov game's Shapley method from `{ method, permutations, seed }`.
pub(crate) fn shapley_method(o: &Opts) -> Result<ShapleyMethod> {
    let method = o.string("method")?.unwrap_or_else(|| "exact".into());
    let permutations = o.size("permutations")?;
    let seed = o.unsigned("seed")?;
    match method.as_str() {
        "exact" => Ok(ShapleyMethod::Exact),
        "sampled" => {
            let mut s = ShapleySampler::default();
            if let Some(m) = permutations {
                s = s.permutations(m);
            }
            if let Some(seed) = seed {
                s = s.seed(seed);
            }
            Ok(ShapleyMethod::Sampled(s))
        }
        other => Err(invalid(
            o.field("method"),
            &JsValue::from_str(other),
            "expected \"exact\" or \"sampled\"",
        )),
    }
}

/// The CSV delimiter option: one ASCII character (default `,`).
pub(crate) fn delimiter(o: &Opts) -> Result<u8> {
    let d = o.string("delimiter")?.unwrap_or_else(|| ",".into());
    match d.as_bytes() {
        [b] if b.is_ascii() => Ok(*b),
        _ => Err(invalid(
            o.field("delimiter"),
            &JsValue::from_str(&d),
            "expected a single ASCII character",
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Event columns (journey.pathTable, attribution.timeDecay), as in the Node binding.

/// `field` must have `expected` entries (the length of the first column).
fn check_len(field: &str, got: usize, expected: usize) -> Result<()> {
    if got != expected {
        return Err(Error::LengthMismatch {
            field: field.into(),
            expected,
            got,
        });
    }
    Ok(())
}

/// `string[]`.
fn strings(v: &JsValue, field: &str) -> Result<Vec<String>> {
    if !array(v, field)? {
        return Err(invalid(field, v, "expected an array of strings"));
    }
    elements(v, field)?
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.as_string()
                .ok_or_else(|| invalid(format!("{field}[{i}]"), s, "expected a string"))
        })
        .collect()
}

/// `(string | null)[]`: `null`/`undefined` entries are "none".
fn optional_strings(v: &JsValue, field: &str) -> Result<Vec<Option<String>>> {
    if !array(v, field)? {
        return Err(invalid(field, v, "expected an array of strings or nulls"));
    }
    elements(v, field)?
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            given(s)
                .map(|s| {
                    s.as_string().ok_or_else(|| {
                        invalid(format!("{field}[{i}]"), &s, "expected a string or null")
                    })
                })
                .transpose()
        })
        .collect()
}

/// `(number | null)[] | Float64Array`: `null`/`undefined` entries are "none".
fn optional_numbers(v: &JsValue, field: &str) -> Result<Vec<Option<f64>>> {
    if !array(v, field)? {
        return Ok(column(v, field)?.into_iter().map(Some).collect());
    }
    elements(v, field)?
        .into_iter()
        .enumerate()
        .map(|(i, x)| {
            given(x)
                .map(|x| number(&x, &format!("{field}[{i}]")))
                .transpose()
        })
        .collect()
}

/// Unix seconds: whole, finite, of safe size.
fn timestamps(v: &JsValue, field: &str) -> Result<Vec<i64>> {
    column(v, field)?
        .into_iter()
        .enumerate()
        .map(|(i, x)| {
            if !x.is_finite() {
                return Err(Error::NonFinite {
                    field: format!("{field}[{i}]"),
                    value: x,
                });
            }
            if x.fract() != 0.0 || x.abs() > MAX_SAFE_INTEGER {
                return Err(Error::InvalidRecord {
                    row: i,
                    column: "timestamp".into(),
                    value: x.to_string(),
                    reason: "expected whole unix seconds".into(),
                });
            }
            // Whole and below 2^53 in size: exact as i64.
            Ok(x as i64)
        })
        .collect()
}

/// Column `key` of the event object `obj` (`prefix.key` in messages), which must be given.
fn require(obj: &JsValue, prefix: &str, key: &str) -> Result<(JsValue, String)> {
    let field = format!("{prefix}.{key}");
    let v = given(get_raw(obj, key, &field)?).ok_or_else(|| missing(&field))?;
    Ok((v, field))
}

/// Optional column `key` of `obj`, `n` entries long (all "none" when absent).
fn optional_column<T>(
    obj: &JsValue,
    prefix: &str,
    key: &str,
    n: usize,
    read: impl FnOnce(&JsValue, &str) -> Result<Vec<Option<T>>>,
) -> Result<Vec<Option<T>>> {
    let field = format!("{prefix}.{key}");
    match given(get_raw(obj, key, &field)?) {
        None => Ok((0..n).map(|_| None).collect()),
        Some(v) => {
            let col = read(&v, &field)?;
            check_len(&field, col.len(), n)?;
            Ok(col)
        }
    }
}

/// Touchpoints from columns `{ userId, timestamp, channel, campaign?, cost?, eventId? }`.
pub(crate) fn touchpoints(v: &JsValue) -> Result<Vec<Touchpoint>> {
    let p = "touchpoints";
    object(v, p)?;
    let (users, f) = require(v, p, "userId")?;
    let users = strings(&users, &f)?;
    let n = users.len();
    let (ts, f) = require(v, p, "timestamp")?;
    let ts = timestamps(&ts, &f)?;
    check_len(&f, ts.len(), n)?;
    let (channels, f) = require(v, p, "channel")?;
    let channels = strings(&channels, &f)?;
    check_len(&f, channels.len(), n)?;
    let campaigns = optional_column(v, p, "campaign", n, optional_strings)?;
    let costs = optional_column(v, p, "cost", n, optional_numbers)?;
    let ids = optional_column(v, p, "eventId", n, optional_strings)?;
    Ok(users
        .into_iter()
        .zip(ts)
        .zip(channels)
        .zip(campaigns)
        .zip(costs)
        .zip(ids)
        .map(
            |(((((user_id, timestamp), channel), campaign), cost), event_id)| Touchpoint {
                user_id,
                timestamp,
                channel,
                campaign,
                cost,
                event_id,
            },
        )
        .collect())
}

/// Conversions from columns `{ userId, timestamp, value?, eventId?, type? }` (`value` defaults
/// to 0 per conversion).
pub(crate) fn conversions(v: &JsValue) -> Result<Vec<Conversion>> {
    let p = "conversions";
    object(v, p)?;
    let (users, f) = require(v, p, "userId")?;
    let users = strings(&users, &f)?;
    let n = users.len();
    let (ts, f) = require(v, p, "timestamp")?;
    let ts = timestamps(&ts, &f)?;
    check_len(&f, ts.len(), n)?;
    let values = match given(get_raw(v, "value", "conversions.value")?) {
        None => vec![0.0; n],
        Some(c) => column(&c, "conversions.value")?,
    };
    check_len("conversions.value", values.len(), n)?;
    let ids = optional_column(v, p, "eventId", n, optional_strings)?;
    let kinds = optional_column(v, p, "type", n, optional_strings)?;
    Ok(users
        .into_iter()
        .zip(ts)
        .zip(values)
        .zip(ids)
        .zip(kinds)
        .map(
            |((((user_id, timestamp), value), event_id), kind)| Conversion {
                user_id,
                timestamp,
                value,
                event_id,
                kind,
            },
        )
        .collect())
}

/// The journey spec from `{ lookback, sessionGap, level, leadKind }` (other keys of `o` ignored).
pub(crate) fn journey_spec(o: &Opts) -> Result<JourneyBuilder> {
    let mut b = JourneyBuilder::new();
    if let Some(v) = o.get("lookback")? {
        b = b.lookback(integer(&v, &o.field("lookback"))? as i64);
    }
    if let Some(v) = o.get("sessionGap")? {
        b = b.session_gap(integer(&v, &o.field("sessionGap"))? as i64);
    }
    if let Some(level) = o.string("level")? {
        b = b.level(level.parse::<Level>()?);
    }
    if let Some(kind) = o.string("leadKind")? {
        b = b.lead_kind(kind);
    }
    Ok(b)
}

/// An optional number option (`options.alpha`, `options.halfLifeSeconds`).
pub(crate) fn number_option(o: &Opts, key: &str) -> Result<Option<f64>> {
    o.get(key)?.map(|v| number(&v, &o.field(key))).transpose()
}
