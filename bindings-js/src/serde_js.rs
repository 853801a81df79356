//! Fitted models to and from JS values through serde, by way of `serde_json::Value`: a model's
//! `toJSON()` is the object tree of its serde form, and `fromJSON()` reads such a tree back.
//! `JSON.stringify` of it is the document the Python binding's `to_json()` writes (serde's data
//! model, externally tagged enums, `null` for NaN), and `JSON.parse` of a Python document is
//! what `fromJSON` reads. Numbers cross as JS numbers (f64), so there is no decimal formatting
//! or parsing to round: a model reads back bit-identical. No JSON text is made in Rust.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

use channelwise::{Error, Result};

use crate::host::{Host, Kind};
use crate::out::Out;
use crate::read::MAX_SAFE_INTEGER;

/// `value` as the JS object tree of its serde form.
///
/// # Errors
/// `internal` if the value cannot be represented (an integer beyond 2^53).
pub fn to_out<T: Serialize + ?Sized>(value: &T) -> Result<Out> {
    let v =
        serde_json::to_value(value).map_err(|e| Error::Internal(format!("serialising: {e}")))?;
    out(v)
}

fn out(v: Value) -> Result<Out> {
    Ok(match v {
        Value::Null => Out::Null,
        Value::Bool(b) => Out::Boolean(b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) if (i as f64).abs() <= MAX_SAFE_INTEGER => Out::Number(i as f64),
            (None, Some(u), _) if (u as f64) <= MAX_SAFE_INTEGER => Out::Number(u as f64),
            (None, None, Some(x)) => Out::Number(x),
            _ => {
                return Err(Error::Internal(format!(
                    "serialising: the integer {n} is beyond what a JS number holds exactly (2^53)"
                )))
            }
        },
        Value::String(s) => Out::String(s),
        Value::Array(a) => Out::Array(a.into_iter().map(out).collect::<Result<_>>()?),
        Value::Object(m) => Out::Object(
            m.into_iter()
                .map(|(k, v)| Ok((Cow::Owned(k), Some(out(v)?))))
                .collect::<Result<_>>()?,
        ),
    })
}

/// A `T` from the JS object tree `v` (as `to_out` or `JSON.parse` make it).
///
/// # Errors
/// `invalid_parameter` naming `json` when `v` is not a valid document for `T`.
pub fn from_js<H: Host, T: DeserializeOwned>(h: H, v: &H::V) -> Result<T> {
    let bad = |reason: String| Error::InvalidParameter {
        field: "json".into(),
        value: "the document".into(),
        reason,
    };
    let value = value(h, v, 0, false).map_err(|e| bad(e.reason))?;
    serde_json::from_value(value).map_err(|e| bad(e.to_string()))
}

/// Why a JS value is no document: where (`.rules[2]`, built as the error comes back up), what,
/// and whether it is a `NaN` (refused in settings only) or a nesting past [`MAX_DEPTH`].
pub(crate) struct NoDocument {
    pub(crate) at: String,
    pub(crate) reason: String,
    pub(crate) nan: bool,
    pub(crate) deep: bool,
}

impl NoDocument {
    fn new(reason: String) -> Self {
        NoDocument { at: String::new(), reason, nan: false, deep: false }
    }

    fn under(mut self, step: String) -> Self {
        self.at.insert_str(0, &step);
        self
    }
}

/// How deep a document may nest: deeper is refused (a cycle, which `JSON.stringify` refuses
/// too, would otherwise recurse until the stack overflows).
const MAX_DEPTH: usize = 256;

/// The JSON value of a JS value `depth` levels down: what `JSON.stringify` would write,
/// `undefined` as `null`; a `NaN` is refused when `strict` (settings), else `null`.
pub(crate) fn value<H: Host>(h: H, v: &H::V, depth: usize, strict: bool) -> std::result::Result<Value, NoDocument> {
    if depth > MAX_DEPTH {
        let reason = format!("nested more than {MAX_DEPTH} levels deep (a cycle?)");
        return Err(NoDocument { deep: true, ..NoDocument::new(reason) });
    }
    Ok(match h.kind(v) {
        Kind::Undefined | Kind::Null => Value::Null,
        Kind::Boolean => Value::Bool(h.boolean(v)),
        Kind::Number => {
            let x = h.number(v);
            if strict && x.is_nan() {
                return Err(NoDocument { nan: true, ..NoDocument::new(String::new()) });
            }
            if x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER {
                Value::Number(Number::from(x as i64))
            } else {
                Number::from_f64(x).map_or(Value::Null, Value::Number)
            }
        }
        Kind::String => Value::String(h.string(v).map_err(NoDocument::new)?),
        Kind::Object if h.is_array(v).map_err(NoDocument::new)? => {
            let n = h.length(v).map_err(NoDocument::new)?;
            Value::Array(
                (0..n)
                    .map(|i| {
                        let x = h.element(v, i).map_err(NoDocument::new)?;
                        value(h, &x, depth + 1, strict).map_err(|e| e.under(format!("[{i}]")))
                    })
                    .collect::<std::result::Result<_, _>>()?,
            )
        }
        Kind::Object => {
            let mut m = Map::new();
            for k in h.keys(v).map_err(NoDocument::new)? {
                let x = h.get(v, &k).map_err(NoDocument::new)?;
                let x = value(h, &x, depth + 1, strict).map_err(|e| e.under(format!(".{k}")))?;
                m.insert(k, x);
            }
            Value::Object(m)
        }
        k => return Err(NoDocument::new(format!("a {k:?} has no place in a document"))),
    })
}
