//! Reading JavaScript values into Rust inputs, reporting bad ones as core errors.
//!
//! Every reader names the field it reads (`"conversions[3]"`, `"options.order"`), so a wrong
//! type surfaces as `invalid_parameter` with the field and what was given; values that are of
//! the right type but unusable (NaN, negative counts, bad paths) go through to the core, which
//! owns those checks.

use channelwise::journey::{Conversion, PathTable, PathTableBuilder, Touchpoint};
use channelwise::{Error, Result};
use napi::bindgen_prelude::{
    Float64ArraySlice, FromNapiValue, JsObjectValue, JsValue, Object, TypedArray, Unknown,
};
use napi::{sys, ValueType};

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A napi call failed while reading `field` (a throwing getter, a revoked proxy).
fn unreadable(field: &str, e: &napi::Error) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: "<unreadable>".into(),
        reason: e.reason.clone(),
    }
}

fn js_type(v: &Unknown<'_>) -> ValueType {
    v.get_type().unwrap_or(ValueType::Unknown)
}

/// What the caller gave, for messages: primitives as their value (long strings cut), objects
/// by kind ("an array", "an object").
fn describe(v: &Unknown<'_>) -> String {
    match js_type(v) {
        ValueType::Undefined => "undefined".into(),
        ValueType::Null => "null".into(),
        ValueType::Boolean => {
            bool::from_unknown(*v).map_or_else(|_| "a boolean".into(), |b| b.to_string())
        }
        ValueType::Number => {
            f64::from_unknown(*v).map_or_else(|_| "a number".into(), |x| x.to_string())
        }
        ValueType::String => match String::from_unknown(*v) {
            Ok(s) if s.chars().count() > 40 => {
                format!("{}...", s.chars().take(40).collect::<String>())
            }
            Ok(s) => s,
            Err(_) => "a string".into(),
        },
        ValueType::Symbol => "a symbol".into(),
        ValueType::Function => "a function".into(),
        ValueType::BigInt => "a bigint".into(),
        ValueType::Object if v.is_array().unwrap_or(false) => "an array".into(),
        ValueType::Object if v.is_typedarray().unwrap_or(false) => "a typed array".into(),
        ValueType::Object => "an object".into(),
        _ => "an unsupported value".into(),
    }
}

/// `field` holds `v`, which is not what was expected.
pub(crate) fn wrong(field: &str, v: &Unknown<'_>, expected: &str) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: describe(v),
        reason: format!("expected {expected}"),
    }
}

fn missing(field: &str) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: "undefined".into(),
        reason: "required, but missing".into(),
    }
}

/// `undefined` and `null` read as "not given".
fn is_nullish(v: &Unknown<'_>) -> bool {
    matches!(js_type(v), ValueType::Undefined | ValueType::Null)
}

/// `v` as a plain object (not an array, not null).
pub(crate) fn object<'e>(v: Unknown<'e>, field: &str) -> Result<Object<'e>> {
    if js_type(&v) != ValueType::Object || v.is_array().unwrap_or(false) {
        return Err(wrong(field, &v, "an object"));
    }
    Object::from_unknown(v).map_err(|e| unreadable(field, &e))
}

/// An optional options object: `undefined`/`null` give `None`; unknown keys are rejected so a
/// misspelt option (`use_nulls` for `useNulls`) is not silently ignored.
pub(crate) fn options<'e>(
    v: Option<Unknown<'e>>,
    field: &str,
    allowed: &[&str],
) -> Result<Option<Object<'e>>> {
    let Some(v) = v.filter(|v| !is_nullish(v)) else {
        return Ok(None);
    };
    let obj = object(v, field)?;
    let names = obj
        .get_property_names()
        .map_err(|e| unreadable(field, &e))?;
    let n = names
        .get_array_length()
        .map_err(|e| unreadable(field, &e))?;
    for i in 0..n {
        let key: String = names.get_element(i).map_err(|e| unreadable(field, &e))?;
        if !allowed.contains(&key.as_str()) {
            return Err(Error::InvalidParameter {
                field: format!("{field}.{key}"),
                value: key,
                reason: format!("unknown option; expected one of {}", allowed.join(", ")),
            });
        }
    }
    Ok(Some(obj))
}

/// Property `name` of `obj`; `undefined` and `null` give `None`.
pub(crate) fn get<'e>(
    obj: Option<&Object<'e>>,
    name: &str,
    field: &str,
) -> Result<Option<Unknown<'e>>> {
    let Some(obj) = obj else { return Ok(None) };
    let v: Option<Unknown<'e>> = obj.get(name).map_err(|e| unreadable(field, &e))?;
    Ok(v.filter(|v| !is_nullish(v)))
}

/// Property `name` of `obj`, which must be given.
pub(crate) fn require<'e>(obj: &Object<'e>, name: &str, field: &str) -> Result<Unknown<'e>> {
    get(Some(obj), name, field)?.ok_or_else(|| missing(field))
}

/// The elements of JS array `v`.
fn elements<'e>(v: Unknown<'e>, field: &str, expected: &str) -> Result<(Object<'e>, u32)> {
    if !v.is_array().unwrap_or(false) {
        return Err(wrong(field, &v, expected));
    }
    let arr = Object::from_unknown(v).map_err(|e| unreadable(field, &e))?;
    let n = arr.get_array_length().map_err(|e| unreadable(field, &e))?;
    Ok((arr, n))
}

fn element<'e>(arr: &Object<'e>, i: u32, field: &str) -> Result<Unknown<'e>> {
    arr.get_element(i)
        .map_err(|e| unreadable(&format!("{field}[{i}]"), &e))
}

/// A JS string.
pub(crate) fn string(v: Unknown<'_>, field: &str) -> Result<String> {
    if js_type(&v) != ValueType::String {
        return Err(wrong(field, &v, "a string"));
    }
    String::from_unknown(v).map_err(|e| unreadable(field, &e))
}

/// A JS number (NaN and infinities pass: the core reports them as `non_finite`).
pub(crate) fn number(v: Unknown<'_>, field: &str) -> Result<f64> {
    if js_type(&v) != ValueType::Number {
        return Err(wrong(field, &v, "a number"));
    }
    f64::from_unknown(v).map_err(|e| unreadable(field, &e))
}

/// A JS boolean.
pub(crate) fn boolean(v: Unknown<'_>, field: &str) -> Result<bool> {
    if js_type(&v) != ValueType::Boolean {
        return Err(wrong(field, &v, "a boolean"));
    }
    bool::from_unknown(v).map_err(|e| unreadable(field, &e))
}

/// A JS number that is a whole number of safe size.
pub(crate) fn integer(v: Unknown<'_>, field: &str) -> Result<i64> {
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
    Ok(x as i64)
}

/// A non-negative whole number.
pub(crate) fn unsigned(v: Unknown<'_>, field: &str) -> Result<u64> {
    let x = integer(v, field)?;
    u64::try_from(x).map_err(|_| Error::OutOfRange {
        field: field.into(),
        value: x as f64,
        min: 0.0,
        max: MAX_SAFE_INTEGER,
    })
}

/// A non-negative whole number as a count or size.
pub(crate) fn size(v: Unknown<'_>, field: &str) -> Result<usize> {
    let x = unsigned(v, field)?;
    usize::try_from(x).map_err(|_| Error::OutOfRange {
        field: field.into(),
        value: x as f64,
        min: 0.0,
        max: usize::MAX as f64,
    })
}

/// Option `name` of `opts` read with `read` (field `options.<name>`); `None` when absent.
pub(crate) fn opt<'e, T>(
    opts: Option<&Object<'e>>,
    name: &str,
    read: impl FnOnce(Unknown<'e>, &str) -> Result<T>,
) -> Result<Option<T>> {
    let field = format!("options.{name}");
    get(opts, name, &field)?.map(|v| read(v, &field)).transpose()
}

/// `number[]` of non-negative whole numbers (periods, windows).
pub(crate) fn sizes(v: Unknown<'_>, field: &str) -> Result<Vec<usize>> {
    let (arr, n) = elements(v, field, "an array of whole numbers")?;
    (0..n)
        .map(|i| size(element(&arr, i, field)?, &format!("{field}[{i}]")))
        .collect()
}

/// Whether `v` is a JS array whose first element is itself an array or typed array (a matrix
/// as rows).
fn is_rows(v: &Unknown<'_>) -> Result<bool> {
    if !v.is_array().unwrap_or(false) {
        return Ok(false);
    }
    let arr = Object::from_unknown(*v).map_err(|e| unreadable("x", &e))?;
    if arr.get_array_length().map_err(|e| unreadable("x", &e))? == 0 {
        return Ok(false);
    }
    let first = element(&arr, 0, "x")?;
    Ok(first.is_array().unwrap_or(false) || first.is_typedarray().unwrap_or(false))
}

/// A matrix as a flat row-major `Vec` and its column count: rows (`number[][]` or
/// `Float64Array[]`, all of one length; `n_features`, when given, must match it), or a flat `number[] | Float64Array` with
/// `n_features` (`default_features` when not given, else an error).
pub(crate) fn matrix(
    x: Unknown<'_>,
    n_features: Option<Unknown<'_>>,
    default_features: Option<usize>,
) -> Result<(Vec<f64>, usize)> {
    let given = n_features
        .filter(|v| !is_nullish(v))
        .map(|v| size(v, "nFeatures"))
        .transpose()?;
    if is_rows(&x)? {
        let (arr, n) = elements(x, "x", "an array of rows or a Float64Array")?;
        let mut flat = Vec::new();
        let mut width = None;
        for i in 0..n {
            let field = format!("x[{i}]");
            let row = element(&arr, i, "x")?;
            if !row.is_array().unwrap_or(false) && !row.is_typedarray().unwrap_or(false) {
                return Err(wrong(&field, &row, "a row (an array of numbers)"));
            }
            let row = numbers(row, &field)?;
            let w = *width.get_or_insert(row.len());
            check_len(&field, row.len(), w)?;
            flat.extend_from_slice(&row);
        }
        let w = width.unwrap_or(0);
        if let Some(k) = given {
            check_len("nFeatures", k, w)?;
        }
        return Ok((flat, w));
    }
    if !x.is_array().unwrap_or(false) && !x.is_typedarray().unwrap_or(false) {
        return Err(wrong("x", &x, "an array of rows (number[][]) or a flat Float64Array"));
    }
    let flat = numbers(x, "x")?;
    match given.or(default_features) {
        Some(k) => Ok((flat, k)),
        None if flat.is_empty() => Err(Error::NotEnoughData {
            what: "matrix x (rows)".into(),
            required: 1,
            got: 0,
        }),
        None => Err(Error::InvalidParameter {
            field: "nFeatures".into(),
            value: "undefined".into(),
            reason: "required with a flat row-major x; or pass x as rows (number[][])".into(),
        }),
    }
}

/// `string[]`.
pub(crate) fn strings(v: Unknown<'_>, field: &str) -> Result<Vec<String>> {
    let (arr, n) = elements(v, field, "an array of strings")?;
    (0..n)
        .map(|i| string_element(&arr, i, field))
        .collect()
}

/// Element `i` of `arr`, which must be a string; the field (`path[3]`) is only formatted for an
/// error, not for every row.
fn string_element(arr: &Object<'_>, i: u32, field: &str) -> Result<String> {
    let el = element(arr, i, field)?;
    if js_type(&el) != ValueType::String {
        return Err(wrong(&format!("{field}[{i}]"), &el, "a string"));
    }
    String::from_unknown(el).map_err(|e| unreadable(&format!("{field}[{i}]"), &e))
}

/// A chunk of a `string[]` column packed into one buffer: one growing allocation for all the
/// text instead of a `String` per row. The text is what V8 writes (UTF-8, lone surrogates as
/// U+FFFD); the path-table builder checks each channel name as it first meets it.
pub(crate) struct PackedStrings {
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl PackedStrings {
    fn with_capacity(rows: usize) -> Self {
        PackedStrings { text: Vec::with_capacity(rows * 64), ends: Vec::with_capacity(rows) }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(a, b)| &self.text[a..b])
    }

    /// Appends `path[i]`, which must be a string, written straight into the buffer.
    fn push_element(&mut self, arr: &Object<'_>, i: u32) -> Result<()> {
        let el = element(arr, i, "path")?;
        match append_utf8(&el, &mut self.text) {
            Ok(()) => {
                self.ends.push(self.text.len());
                Ok(())
            }
            Err(sys::Status::napi_string_expected) => Err(wrong(&format!("path[{i}]"), &el, "a string")),
            Err(status) => Err(Error::Internal(format!("path[{i}]: could not be read (Node-API status {status})"))),
        }
    }
}

/// Appends the UTF-8 of JS string `v` to `out`, or gives the Node-API status (`string_expected`
/// for a non-string). One Node-API call with the buffer's spare room in the usual case, where
/// napi-rs's `String` makes two (length, then copy) plus an allocation, a copy and a free per
/// string: for a million paths that was most of the binding's overhead.
#[allow(unsafe_code)]
fn append_utf8(v: &Unknown<'_>, out: &mut Vec<u8>) -> std::result::Result<(), sys::napi_status> {
    const SLACK: usize = 256;
    let value = v.value();
    let write = |out: &mut Vec<u8>, room: usize| -> std::result::Result<usize, sys::napi_status> {
        out.reserve(room);
        let filled = out.len();
        let spare = out.spare_capacity_mut();
        let room = spare.len();
        let mut written = 0usize;
        // SAFETY: `spare` is writable memory of `spare.len()` bytes owned by `out`; Node-API
        // writes at most `spare.len() - 1` bytes of UTF-8 plus a NUL into it and reports the
        // count (excluding the NUL) in `written`. `env` and `value` are the live handles of
        // the current call (this runs on the JS thread, inside the export).
        let status = unsafe {
            sys::napi_get_value_string_utf8(value.env, value.value, spare.as_mut_ptr().cast(), room, &mut written)
        };
        if status != sys::Status::napi_ok {
            return Err(status);
        }
        let len = filled + written.min(room.saturating_sub(1));
        // SAFETY: the first `written` spare bytes were just initialised by Node-API.
        unsafe { out.set_len(len) };
        Ok(written)
    };
    let start = out.len();
    let written = write(out, SLACK)?;
    // V8 never splits a character, so a write that left 4 bytes or more unused is complete;
    // otherwise ask for the exact length and write again if it was cut short.
    if written + 4 >= out.capacity() - start {
        let mut need = 0usize;
        // SAFETY: a null buffer asks Node-API only for the length, written to `need`.
        let status = unsafe { sys::napi_get_value_string_utf8(value.env, value.value, std::ptr::null_mut(), 0, &mut need) };
        if status != sys::Status::napi_ok {
            return Err(status);
        }
        if need > written {
            out.truncate(start);
            write(out, need + 1)?;
        }
    }
    Ok(())
}

/// `(string | null)[]`: `null`/`undefined` entries are "none".
pub(crate) fn optional_strings(v: Unknown<'_>, field: &str) -> Result<Vec<Option<String>>> {
    let (arr, n) = elements(v, field, "an array of strings or nulls")?;
    (0..n)
        .map(|i| {
            let el = element(&arr, i, field)?;
            if is_nullish(&el) {
                Ok(None)
            } else {
                string(el, &format!("{field}[{i}]")).map(Some)
            }
        })
        .collect()
}

/// `number[] | Float64Array`.
pub(crate) fn numbers(v: Unknown<'_>, field: &str) -> Result<Vec<f64>> {
    if let Some(x) = float64_array(&v, field)? {
        return Ok(x);
    }
    let (arr, n) = elements(v, field, "an array of numbers or a Float64Array")?;
    (0..n)
        .map(|i| number(element(&arr, i, field)?, &format!("{field}[{i}]")))
        .collect()
}

/// `(number | null)[] | Float64Array`: `null`/`undefined` entries are "none".
pub(crate) fn optional_numbers(v: Unknown<'_>, field: &str) -> Result<Vec<Option<f64>>> {
    if let Some(x) = float64_array(&v, field)? {
        return Ok(x.into_iter().map(Some).collect());
    }
    let (arr, n) = elements(v, field, "an array of numbers (or nulls) or a Float64Array")?;
    (0..n)
        .map(|i| {
            let el = element(&arr, i, field)?;
            if is_nullish(&el) {
                Ok(None)
            } else {
                number(el, &format!("{field}[{i}]")).map(Some)
            }
        })
        .collect()
}

/// The contents of `v` if it is a Float64Array; another typed array is an error.
fn float64_array(v: &Unknown<'_>, field: &str) -> Result<Option<Vec<f64>>> {
    if !v.is_typedarray().unwrap_or(false) {
        return Ok(None);
    }
    match Float64ArraySlice::from_unknown(*v) {
        Ok(s) => Ok(Some(s.to_vec())),
        Err(_) => {
            let kind = TypedArray::from_unknown(*v).map_or_else(
                |_| "a typed array".into(),
                |t| format!("a {}Array", t.typed_array_type.as_ref()),
            );
            Err(Error::InvalidParameter {
                field: field.into(),
                value: kind,
                reason: "expected an array of numbers or a Float64Array".into(),
            })
        }
    }
}

/// `(integer)[] | Float64Array` of unix seconds.
fn timestamps(v: Unknown<'_>, field: &str) -> Result<Vec<i64>> {
    let xs = numbers(v, field)?;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
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
            Ok(x as i64)
        })
        .collect()
}

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

/// Optional column `name` of `obj`, of length `n`.
fn optional_column<T>(
    obj: &Object<'_>,
    name: &str,
    prefix: &str,
    n: usize,
    read: impl FnOnce(Unknown<'_>, &str) -> Result<Vec<Option<T>>>,
) -> Result<Vec<Option<T>>> {
    let field = format!("{prefix}.{name}");
    match get(Some(obj), name, &field)? {
        None => Ok((0..n).map(|_| None).collect()),
        Some(v) => {
            let col = read(v, &field)?;
            check_len(&field, col.len(), n)?;
            Ok(col)
        }
    }
}

/// A path table from columns `{ path, conversions, nulls?, value? }`, paths split on `sep`.
///
/// Reading a JS string costs about as much as parsing it, and only the JS thread may read, so
/// the paths are read in chunks on this thread while a scoped worker thread parses the chunks
/// already read into the table (the two overlap instead of adding up). Errors are the same, and
/// in the same order, as reading everything first: a non-string path element wins over a bad
/// count column, which wins over a length mismatch, which wins over an invalid path.
pub(crate) fn path_table(v: Unknown<'_>, sep: &str) -> Result<PathTable> {
    const CHUNK: usize = 1 << 14;
    let obj = object(v, "table")?;
    let (arr, n) = elements(require(&obj, "path", "path")?, "path", "an array of strings")?;
    let type_errors = || -> Result<()> {
        for i in 0..n {
            let el = element(&arr, i, "path")?;
            if js_type(&el) != ValueType::String {
                return Err(wrong(&format!("path[{i}]"), &el, "a string"));
            }
        }
        Ok(())
    };
    let counts = (|| -> Result<_> {
        let conversions = numbers(require(&obj, "conversions", "conversions")?, "conversions")?;
        let nulls = get(Some(&obj), "nulls", "nulls")?.map(|v| numbers(v, "nulls")).transpose()?;
        let value = get(Some(&obj), "value", "value")?.map(|v| numbers(v, "value")).transpose()?;
        Ok((conversions, nulls, value))
    })();
    let (conversions, nulls, value) = match counts {
        Ok(c) => c,
        Err(e) => return type_errors().and(Err(e)),
    };
    let n = n as usize;
    let lengths = (|| -> Result<()> {
        check_len("conversions", conversions.len(), n)?;
        if let Some(x) = &nulls {
            check_len("nulls", x.len(), n)?;
        }
        if let Some(x) = &value {
            check_len("value", x.len(), n)?;
        }
        Ok(())
    })();
    if let Err(e) = lengths {
        return type_errors().and(Err(e));
    }
    let mut b = PathTableBuilder::with_separator(sep)?;
    b.reserve(n);
    let (tx, rx) = std::sync::mpsc::sync_channel::<PackedStrings>(4);
    // Parsed chunks go back to the reader to be filled again: a handful of buffers in all
    // instead of a fresh megabyte per chunk (whose page faults both threads would pay).
    let (recycle, reuse) = std::sync::mpsc::channel::<PackedStrings>();
    std::thread::scope(|scope| {
        let (conversions, nulls, value) = (&conversions, &nulls, &value);
        let worker = scope.spawn(move || -> Result<PathTable> {
            let mut row = 0;
            for mut chunk in rx {
                for p in chunk.iter() {
                    let null = nulls.as_ref().map_or(0.0, |x| x[row]);
                    let v = value.as_ref().map_or(0.0, |x| x[row]);
                    b.push_utf8(p, conversions[row], null, v)?;
                    row += 1;
                }
                chunk.text.clear();
                chunk.ends.clear();
                // The reader may be done already; then the buffer is simply dropped.
                let _ = recycle.send(chunk);
            }
            Ok(b.finish())
        });
        // Read on this thread; once the worker has stopped (an invalid path), only check types.
        let mut tx = Some(tx);
        let mut read = Ok(());
        let mut chunk = PackedStrings::with_capacity(CHUNK);
        for i in 0..n as u32 {
            if tx.is_none() {
                let el = match element(&arr, i, "path") {
                    Ok(el) => el,
                    Err(e) => {
                        read = Err(e);
                        break;
                    }
                };
                if js_type(&el) != ValueType::String {
                    read = Err(wrong(&format!("path[{i}]"), &el, "a string"));
                    break;
                }
                continue;
            }
            if let Err(e) = chunk.push_element(&arr, i) {
                read = Err(e);
                break;
            }
            if chunk.ends.len() == CHUNK {
                let empty = reuse.try_recv().unwrap_or_else(|_| PackedStrings::with_capacity(CHUNK));
                let full = std::mem::replace(&mut chunk, empty);
                if tx.as_ref().is_some_and(|t| t.send(full).is_err()) {
                    tx = None;
                }
            }
        }
        if let Some(t) = tx.take() {
            if read.is_ok() && !chunk.ends.is_empty() {
                // A failed send means the worker stopped; its error is reported below.
                let _ = t.send(chunk);
            }
        }
        let built = worker
            .join()
            .unwrap_or_else(|_| Err(Error::Internal("path table worker panicked".into())));
        read.and(built)
    })
}

/// Touchpoints from columns `{ userId, timestamp, channel, campaign?, cost?, eventId? }`.
pub(crate) fn touchpoints(v: Unknown<'_>) -> Result<Vec<Touchpoint>> {
    let p = "touchpoints";
    let obj = object(v, p)?;
    let users = strings(
        require(&obj, "userId", "touchpoints.userId")?,
        "touchpoints.userId",
    )?;
    let n = users.len();
    let ts = timestamps(
        require(&obj, "timestamp", "touchpoints.timestamp")?,
        "touchpoints.timestamp",
    )?;
    check_len("touchpoints.timestamp", ts.len(), n)?;
    let channels = strings(
        require(&obj, "channel", "touchpoints.channel")?,
        "touchpoints.channel",
    )?;
    check_len("touchpoints.channel", channels.len(), n)?;
    let campaigns = optional_column(&obj, "campaign", p, n, optional_strings)?;
    let costs = optional_column(&obj, "cost", p, n, optional_numbers)?;
    let ids = optional_column(&obj, "eventId", p, n, optional_strings)?;
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
pub(crate) fn conversions(v: Unknown<'_>) -> Result<Vec<Conversion>> {
    let p = "conversions";
    let obj = object(v, p)?;
    let users = strings(
        require(&obj, "userId", "conversions.userId")?,
        "conversions.userId",
    )?;
    let n = users.len();
    let ts = timestamps(
        require(&obj, "timestamp", "conversions.timestamp")?,
        "conversions.timestamp",
    )?;
    check_len("conversions.timestamp", ts.len(), n)?;
    let values = match get(Some(&obj), "value", "conversions.value")? {
        None => vec![0.0; n],
        Some(v) => numbers(v, "conversions.value")?,
    };
    check_len("conversions.value", values.len(), n)?;
    let ids = optional_column(&obj, "eventId", p, n, optional_strings)?;
    let kinds = optional_column(&obj, "type", p, n, optional_strings)?;
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
