//! Reading JavaScript values into Rust inputs, reporting bad ones as core errors.
//!
//! Every reader names the field it reads (`"conversions[3]"`, `"options.order"`), so a wrong
//! type surfaces as `invalid_parameter` with the field and what was given; values that are of
//! the right type but unusable (NaN, negative counts, bad paths) go through to the core, which
//! owns those checks.

use channelwise::{Error, Result};
use napi::bindgen_prelude::{
    Float64ArraySlice, FromNapiValue, JsObjectValue, JsValue, Object, TypedArray, Unknown,
};
use napi::ValueType;

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
    get(opts, name, &field)?
        .map(|v| read(v, &field))
        .transpose()
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
        return Err(wrong(
            "x",
            &x,
            "an array of rows (number[][]) or a flat Float64Array",
        ));
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
