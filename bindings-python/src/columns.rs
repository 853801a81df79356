//! Column conversions: Python sequences of strings and native-endian byte buffers (what
//! `numpy.ndarray.tobytes()` gives) into Rust vectors, without a Python call per number.

use channelwise::journey::PackedRows;
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// Strings of a column, packed into one buffer (one allocation, not one per row).
pub(crate) struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// `repr (type)` of an item that should have been a `str`, for the error naming its row.
pub(crate) fn describe(item: &Bound<'_, PyAny>) -> String {
    // Our own reference: `repr` runs Python code, which could drop the column's (the item may
    // be borrowed from a numpy object array).
    let item = item.clone();
    let repr = item
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "?".into());
    let ty = item
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    format!("{repr} ({ty})")
}

/// `bad`'s error for a `str` UTF-8 cannot encode (a lone surrogate such as `"a\ud800"`), with
/// that reason: pyo3's bare `UnicodeEncodeError` named no column and no row.
fn not_unicode(bad: Error) -> PyErr {
    const WHY: &str = "a lone surrogate: not Unicode text";
    let e = match bad {
        Error::InvalidParameter { field, value, .. } => Error::InvalidParameter { field, value, reason: WHY.into() },
        Error::InvalidPath { row, .. } => Error::InvalidPath { row, reason: WHY.into() },
        Error::InvalidRecord { row, column, value, .. } => Error::InvalidRecord { row, column, value, reason: WHY.into() },
        e => e,
    };
    crate::error::PyChannelwiseError(e).into()
}

/// Reads a column of `str`; anything else in it is `bad(row, repr)`, and a `str` with a lone
/// surrogate `bad(row, repr)` with that reason.
pub(crate) fn strings(
    column: &Bound<'_, PyAny>,
    bad: impl Fn(usize, String) -> Error,
) -> PyResult<Strings> {
    let mut out = Strings {
        text: String::new(),
        ends: Vec::with_capacity(column.len().unwrap_or(0)),
    };
    for (row, item) in column.try_iter()?.enumerate() {
        let item = item?;
        match item.cast::<PyString>() {
            Ok(s) => out.text.push_str(&s.to_cow().map_err(|_| not_unicode(bad(row, describe(&item))))?),
            Err(_) => {
                return Err(crate::error::PyChannelwiseError(bad(row, describe(&item))).into());
            }
        }
        out.ends.push(out.text.len());
    }
    Ok(out)
}

/// Reads row `row` of a path column, which must be a `str`, as UTF-8 and appends it to `out`
/// (or only checks it, when `out` is `None`). No Python code runs (a `str` subclass is read
/// as its text, as `to_cow` does), so the column cannot change while it is read.
///
/// Errors: not a `str` -> `InvalidPath` "expected a string, got repr (type)" (the message of
/// [`strings`]); a `str` that UTF-8 cannot encode (a lone surrogate such as `"a\ud800b"`) ->
/// `InvalidPath` naming the row, instead of the bare `UnicodeEncodeError` without a row that
/// the old route let through.
pub(crate) fn read_path(
    item: &Bound<'_, PyAny>,
    row: usize,
    out: Option<&mut PackedRows>,
) -> PyResult<()> {
    let bad = |reason: String| -> PyErr {
        crate::error::PyChannelwiseError(Error::InvalidPath { row, reason }).into()
    };
    let Ok(s) = item.cast::<PyString>() else {
        return Err(bad(format!("expected a string, got {}", describe(item))));
    };
    // `PyUnicode_AsUTF8String`: the UTF-8 bytes of the string in one `bytes` object (a copy of
    // the text; the in-place `PyUnicode_AsUTF8AndSize` is not in the abi3 API before 3.10).
    let bytes = s.encode_utf8().map_err(|e| {
        let py = item.py();
        if e.is_instance_of::<pyo3::exceptions::PyUnicodeEncodeError>(py) {
            bad(format!("not encodable as UTF-8: {}", e.value(py)))
        } else {
            e
        }
    })?;
    if let Some(out) = out {
        out.push(bytes.as_bytes());
    }
    Ok(())
}

/// Reads a column of optional strings (`None` for missing).
pub(crate) fn optional_strings(
    column: Option<&Bound<'_, PyAny>>,
    n: usize,
    bad: impl Fn(usize, String) -> Error,
) -> PyResult<Vec<Option<String>>> {
    let Some(column) = column else {
        return Ok(vec![None; n]);
    };
    let mut out = Vec::with_capacity(n);
    for (row, item) in column.try_iter()?.enumerate() {
        let item = item?;
        if item.is_none() {
            out.push(None);
        } else if let Ok(s) = item.cast::<PyString>() {
            out.push(Some(s.to_cow().map_err(|_| not_unicode(bad(row, describe(&item))))?.into_owned()));
        } else {
            let repr = item
                .repr()
                .map(|r| r.to_string())
                .unwrap_or_else(|_| "?".into());
            return Err(crate::error::PyChannelwiseError(bad(row, repr)).into());
        }
    }
    Ok(out)
}

/// Native-endian `f64`s from a byte buffer.
pub(crate) fn f64s(field: &str, bytes: &[u8]) -> channelwise::Result<Vec<f64>> {
    if bytes.len() % 8 != 0 {
        return Err(Error::Internal(format!(
            "{field}: {} bytes is not a whole number of float64",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| f64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

/// Native-endian `i64`s from a byte buffer.
pub(crate) fn i64s(field: &str, bytes: &[u8]) -> channelwise::Result<Vec<i64>> {
    if bytes.len() % 8 != 0 {
        return Err(Error::Internal(format!(
            "{field}: {} bytes is not a whole number of int64",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| i64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

/// Checks a column's length against the first column's.
pub(crate) fn check_len(field: &str, got: usize, expected: usize) -> channelwise::Result<()> {
    if got != expected {
        return Err(Error::LengthMismatch {
            field: field.into(),
            expected,
            got,
        });
    }
    Ok(())
}

/// [`Error::InvalidParameter`] naming `field`, its `value` and why.
pub(crate) fn invalid(
    field: impl Into<String>,
    value: impl ToString,
    reason: impl Into<String>,
) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// The core's `T` from JSON text written by the Python layer (settings, proposals, payloads);
/// a value serde refuses is named by its place under `field` and shown, as JS names it
/// (`invalid change.action.daily: "x" (invalid type: string "x", expected f64)`).
pub(crate) fn document<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> PyResult<T> {
    let v: serde_json::Value = crate::error::core(
        serde_json::from_str(text).map_err(|e| invalid(field, "the document", e.to_string())),
    )?;
    crate::error::core(located(field, &v, false))
}

/// The value serde's "invalid type" message quotes (`invalid type: string "x", expected f64`),
/// when it is a string, a number or a boolean.
fn refused(reason: &str) -> Option<serde_json::Value> {
    let what = reason.strip_prefix("invalid type: ")?.split(", expected ").next()?;
    if let Some(s) = what.strip_prefix("string ") {
        return serde_json::from_str(s).ok();
    }
    let quoted = |prefix: &str| what.strip_prefix(prefix)?.strip_prefix('`')?.strip_suffix('`');
    ["integer ", "floating point ", "boolean "].iter().find_map(|p| quoted(p)).and_then(|v| serde_json::from_str(v).ok())
}

/// The kind of a JSON value, as an error shows a value it must not print.
pub(crate) fn json_type(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `v` read as the core's `T`. A refusal names the place serde stopped at under `field`
/// (`changes[0].action.daily`; a missing key by its own name) and shows the value there, or
/// only its kind when `private` (documents that may hold customer data).
pub(crate) fn located<T: serde::de::DeserializeOwned>(field: &str, v: &serde_json::Value, private: bool) -> channelwise::Result<T> {
    use serde_path_to_error::Segment;
    let e = match serde_path_to_error::deserialize(v) {
        Ok(t) => return Ok(t),
        Err(e) => e,
    };
    let mut place = field.to_string();
    let mut at = Some(v);
    for step in e.path().iter() {
        match step {
            Segment::Seq { index } => {
                place.push_str(&format!("[{index}]"));
                at = at.and_then(|x| x.get(index));
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                place.push('.');
                place.push_str(key);
                at = at.and_then(|x| x.get(key));
            }
            Segment::Unknown => {}
        }
    }
    let reason = e.inner().to_string();
    // an internally tagged enum (`{"kind": "budget", "daily": ...}`) is buffered, so serde's
    // path stops at the object: the one key whose value is the refused one is the place
    while let (Some(serde_json::Value::Object(m)), Some(bad)) = (at, refused(&reason)) {
        let mut hits = m.iter().filter(|(_, x)| **x == bad);
        match (hits.next(), hits.next()) {
            (Some((key, x)), None) => {
                place.push('.');
                place.push_str(key);
                at = Some(x);
            }
            _ => break,
        }
    }
    if let Some(key) = reason.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        return Err(invalid(format!("{place}.{key}"), "absent", "required, but missing"));
    }
    // an unknown key is named by itself, and shown by its value, not the whole object's
    if let Some(key) = reason.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
        if let Some(x) = at.and_then(|o| o.get(key)) {
            place.push('.');
            place.push_str(key);
            at = Some(x);
        }
    }
    let shown = match at {
        Some(x) if private => json_type(x).to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(x) => x.to_string(),
        None => "the document".into(),
    };
    // a long value (an object) is shown by its start
    let shown = match shown.char_indices().nth(80) {
        Some((cut, _)) => format!("{}...", &shown[..cut]),
        None => shown,
    };
    let reason = match reason.split_once(", expected ") {
        Some((head, want)) if private && (head.starts_with("invalid type") || head.starts_with("invalid value")) => {
            format!("expected {want}, got {}", at.map_or("nothing", json_type))
        }
        _ => reason,
    };
    Err(invalid(place, shown, reason))
}

/// A fitted model as JSON (serde; numbers round-trip bit for bit).
pub(crate) fn to_json<T: serde::Serialize>(model: &T) -> channelwise::Result<String> {
    serde_json::to_string(model).map_err(|e| Error::Internal(format!("serialising: {e}")))
}

/// A fitted model from JSON written by [`to_json`], read without the GIL; the core checks it on
/// load, so a damaged document is an `InvalidParameter` error naming `json`.
pub(crate) fn from_json<T: serde::de::DeserializeOwned + Send>(
    py: Python<'_>,
    text: &str,
) -> channelwise::Result<T> {
    py.detach(|| serde_json::from_str::<T>(text))
        .map_err(|e| Error::InvalidParameter {
            field: "json".into(),
            value: text.chars().take(40).collect(),
            reason: e.to_string(),
        })
}
