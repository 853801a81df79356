//! JS values into Rust inputs, every bad one reported as a core error naming its field.
//!
//! A wrong type surfaces as `invalid_parameter` with the field (`conversions[3]`,
//! `options.order`) and what was given; values of the right type that are unusable (NaN,
//! negative counts, bad paths) go through to the core, which owns those checks and messages.

use channelwise::{Error, Result};

use crate::host::{take_joined, Host, Kind, Typed};
use crate::optimize::renamed;

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The engine threw while `field` was read (a getter, a Proxy trap). Hosts rethrow what was
/// thrown; this error is what is reported if they cannot.
pub fn unreadable(field: &str, reason: String) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: "<unreadable>".into(),
        reason,
    }
}

/// An engine failure while building a result (out of memory in the engine).
pub fn unwritable(reason: String) -> Error {
    Error::Internal(format!("could not build the JS result: {reason}"))
}

/// What the caller gave, for messages: primitives as their value (long strings cut), objects
/// by kind (`an array`, `a Int32Array`, `an object`).
pub fn describe<H: Host>(h: H, v: &H::V) -> String {
    match h.kind(v) {
        Kind::Undefined => "undefined".into(),
        Kind::Null => "null".into(),
        Kind::Boolean => h.boolean(v).to_string(),
        Kind::Number => js_number(h.number(v)),
        Kind::String => h.string(v).map_or_else(|_| "a string".into(), |s| shortened(&s)),
        Kind::Symbol => "a symbol".into(),
        Kind::Function => "a function".into(),
        Kind::BigInt => "a bigint".into(),
        Kind::Object if h.is_array(v).unwrap_or(false) => "an array".into(),
        Kind::Object => match h.typed_numbers(v) {
            Ok(Typed::Other(name)) => format!("a {name}"),
            Ok(Typed::Numbers(_)) => "a typed array".into(),
            _ => "an object".into(),
        },
    }
}

/// A string as an error shows it: its first 40 characters.
pub fn shortened(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// A number as JS's `String(x)` writes it: `1e+300` and `1e-7` rather than every digit.
pub fn js_number(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-6..1e21).contains(&x.abs()) {
        let s = format!("{x:e}");
        return match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        };
    }
    x.to_string()
}

/// `field` holds `v`, which is not what was expected.
pub fn wrong<H: Host>(h: H, field: &str, v: &H::V, expected: &str) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: describe(h, v),
        reason: format!("expected {expected}"),
    }
}

/// A required field that was not given.
pub fn missing(field: &str) -> Error {
    Error::InvalidParameter {
        field: field.into(),
        value: "undefined".into(),
        reason: "required, but missing".into(),
    }
}

/// `field` must have `expected` entries.
pub fn check_len(field: &str, got: usize, expected: usize) -> Result<()> {
    if got != expected {
        return Err(Error::LengthMismatch {
            field: field.into(),
            expected,
            got,
        });
    }
    Ok(())
}

/// `undefined` and `null` read as "not given".
pub fn given<H: Host>(h: H, v: H::V) -> Option<H::V> {
    (!matches!(h.kind(&v), Kind::Undefined | Kind::Null)).then_some(v)
}

/// Whether `v` is an array (a revoked Proxy: an error naming `field`).
pub fn is_array<H: Host>(h: H, v: &H::V, field: &str) -> Result<bool> {
    h.is_array(v).map_err(|e| unreadable(field, e))
}

/// Checks that `v` is a plain object (not an array, function or primitive).
pub fn object<H: Host>(h: H, v: &H::V, field: &str) -> Result<()> {
    if h.kind(v) != Kind::Object || is_array(h, v, field)? {
        return Err(wrong(h, field, v, "an object"));
    }
    Ok(())
}

/// `obj[key]` (reading `field`); `undefined` and `null` give `None`. An `obj` that is not an
/// object (its readers check first; this is the net under them) is `invalid_parameter` naming
/// it (`field` without its last `.key`), not the engine's TypeError.
pub fn get<H: Host>(h: H, obj: &H::V, key: &str, field: &str) -> Result<Option<H::V>> {
    if !matches!(h.kind(obj), Kind::Object | Kind::Function) {
        let parent = field.strip_suffix(key).and_then(|p| p.strip_suffix('.')).unwrap_or(field);
        return Err(wrong(h, parent, obj, "an object"));
    }
    Ok(given(h, h.get(obj, key).map_err(|e| unreadable(field, e))?))
}

/// `obj[key]`, which must be given.
pub fn require<H: Host>(h: H, obj: &H::V, key: &str, field: &str) -> Result<H::V> {
    get(h, obj, key, field)?.ok_or_else(|| missing(field))
}

/// The length of array `v`, or a type error saying it should be `expected`.
pub fn array_len<H: Host>(h: H, v: &H::V, field: &str, expected: &str) -> Result<u32> {
    if !is_array(h, v, field)? {
        return Err(wrong(h, field, v, expected));
    }
    h.length(v).map_err(|e| unreadable(field, e))
}

/// Element `i` of array `arr` (of `field`).
pub fn element<H: Host>(h: H, arr: &H::V, i: u32, field: &str) -> Result<H::V> {
    h.element(arr, i)
        .map_err(|e| unreadable(&format!("{field}[{i}]"), e))
}

/// A JS string.
pub fn string<H: Host>(h: H, v: &H::V, field: &str) -> Result<String> {
    if h.kind(v) != Kind::String {
        return Err(wrong(h, field, v, "a string"));
    }
    h.string(v).map_err(|e| unreadable(field, e))
}

/// A JS number (NaN and infinities pass: the core reports them as `non_finite`).
pub fn number<H: Host>(h: H, v: &H::V, field: &str) -> Result<f64> {
    if h.kind(v) != Kind::Number {
        return Err(wrong(h, field, v, "a number"));
    }
    Ok(h.number(v))
}

/// A JS boolean.
pub fn boolean<H: Host>(h: H, v: &H::V, field: &str) -> Result<bool> {
    if h.kind(v) != Kind::Boolean {
        return Err(wrong(h, field, v, "a boolean"));
    }
    Ok(h.boolean(v))
}

/// A whole number of safe size.
pub fn integer<H: Host>(h: H, v: &H::V, field: &str) -> Result<i64> {
    whole(number(h, v, field)?, field)
}

/// A time (`asOf`, `calibrationEnd`): whole unix seconds, or a `Date` (anything with
/// `getTime()`), its seconds with the fraction dropped. (A time column's `Date`s are turned into
/// seconds by the shared JS wrapper instead, so the reader of columns, in every build, stays
/// as small as it was.)
pub fn time<H: Host>(h: H, v: &H::V, field: &str) -> Result<i64> {
    if h.kind(v) == Kind::Object {
        let get_time = h.get(v, "getTime").map_err(|e| unreadable(field, e))?;
        if h.kind(&get_time) == Kind::Function {
            let ms = h.call_method(v, &get_time, &[]).map_err(|e| unreadable(field, e))?;
            return whole((number(h, &ms, field)? / 1000.0).floor(), field);
        }
    }
    integer(h, v, field)
}

fn whole(x: f64, field: &str) -> Result<i64> {
    if !x.is_finite() {
        return Err(Error::NonFinite {
            field: field.into(),
            value: x,
        });
    }
    if x.fract() != 0.0 || x.abs() > MAX_SAFE_INTEGER {
        return Err(Error::InvalidParameter {
            field: field.into(),
            value: js_number(x),
            reason: "expected a whole number (at most 2^53 - 1 in size)".into(),
        });
    }
    Ok(x as i64)
}

/// A non-negative whole number.
pub fn unsigned<H: Host>(h: H, v: &H::V, field: &str) -> Result<u64> {
    let x = integer(h, v, field)?;
    u64::try_from(x).map_err(|_| Error::OutOfRange {
        field: field.into(),
        value: x as f64,
        min: 0.0,
        max: MAX_SAFE_INTEGER,
    })
}

/// A non-negative whole number as a count or size.
pub fn size<H: Host>(h: H, v: &H::V, field: &str) -> Result<usize> {
    let x = unsigned(h, v, field)?;
    usize::try_from(x).map_err(|_| Error::OutOfRange {
        field: field.into(),
        value: x as f64,
        min: 0.0,
        max: usize::MAX as f64,
    })
}

/// `number[]` or any typed array of numbers (`Float64Array`, `Int32Array`, ...: every one
/// converts to `f64` exactly); BigInt arrays and DataViews are rejected.
pub fn numbers<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<f64>> {
    const EXPECTED: &str = "an array of numbers or a Float64Array";
    if h.kind(v) == Kind::Object && !is_array(h, v, field)? {
        return match h.typed_numbers(v).map_err(|e| unreadable(field, e))? {
            Typed::Numbers(x) => Ok(x),
            _ => Err(wrong(h, field, v, EXPECTED)),
        };
    }
    elements(h, v, field, EXPECTED, number)
}

/// `(number | null)[]` or a typed array: `null`/`undefined` entries are "none".
pub fn optional_numbers<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<Option<f64>>> {
    if h.kind(v) == Kind::Object && !is_array(h, v, field)? {
        return Ok(numbers(h, v, field)?.into_iter().map(Some).collect());
    }
    const EXPECTED: &str = "an array of numbers (or nulls) or a Float64Array";
    elements(h, v, field, EXPECTED, optional(number))
}

/// `string[]`.
pub fn strings<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<String>> {
    elements(h, v, field, "an array of strings", string)
}

/// `(string | null)[]`: `null`/`undefined` entries are "none".
pub fn optional_strings<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<Option<String>>> {
    elements(h, v, field, "an array of strings or nulls", optional(string))
}

/// `number[]` of non-negative whole numbers (periods, windows).
pub fn sizes<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<usize>> {
    elements(h, v, field, "an array of whole numbers", size)
}

/// The elements of array `v` (`expected` if it is none), each read by `read`. The reader is
/// given an empty field name, and only an error is renamed to the element (`field[3]`), so a
/// long column costs no string per row.
fn elements<H: Host, T>(
    h: H,
    v: &H::V,
    field: &str,
    expected: &str,
    read: impl Fn(H, &H::V, &str) -> Result<T>,
) -> Result<Vec<T>> {
    let n = array_len(h, v, field, expected)?;
    (0..n)
        .map(|i| {
            let x = element(h, v, i, field)?;
            read(h, &x, "").map_err(|e| renamed(e, |_| Some(format!("{field}[{i}]"))))
        })
        .collect()
}

/// `read`, with `null` and `undefined` read as `None`.
fn optional<H: Host, T>(
    read: impl Fn(H, &H::V, &str) -> Result<T>,
) -> impl Fn(H, &H::V, &str) -> Result<Option<T>> {
    move |h, x, field| match h.kind(x) {
        Kind::Undefined | Kind::Null => Ok(None),
        _ => read(h, x, field).map(Some),
    }
}

/// A column of strings read packed: one UTF-8 buffer and where each row ends, so a million user
/// ids cost a few allocations rather than a million. Rows that were `null` or `undefined` (in
/// an optional column) are empty and marked. A joined column keeps its separators: each row
/// starts `gap` bytes after the previous one ends.
#[derive(Debug, Default)]
pub struct Texts {
    text: String,
    ends: Vec<usize>,
    none: Vec<bool>,
    gap: usize,
}

impl Texts {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `n` rows of `joined` (UTF-8, rows separated by `\n`), in place; `None` unless it
    /// splits into exactly `n`. (A newline byte is never part of a longer UTF-8 sequence. A byte
    /// loop: `memchr_iter` here cost 0.2 KB of the gzipped browser build.)
    fn split(joined: Vec<u8>, n: usize) -> Option<Texts> {
        if n == 0 {
            return joined.is_empty().then(Texts::default);
        }
        let mut ends = Vec::with_capacity(n);
        for (i, &b) in joined.iter().enumerate() {
            if b == b'\n' {
                if ends.len() == n - 1 {
                    return None;
                }
                ends.push(i);
            }
        }
        if ends.len() != n - 1 {
            return None;
        }
        ends.push(joined.len());
        let text = String::from_utf8(joined).ok()?;
        Some(Texts { text, ends, none: Vec::new(), gap: 1 })
    }

    /// Each row's text (a missing row reads as `""`).
    pub fn strs(&self) -> Vec<&str> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let s = &self.text[start..end];
                start = end + self.gap;
                s
            })
            .collect()
    }

    /// Each row's text, `None` where it was missing.
    pub fn optional(&self) -> Vec<Option<&str>> {
        let strs = self.strs();
        if self.none.is_empty() {
            return strs.into_iter().map(Some).collect();
        }
        strs.into_iter()
            .zip(&self.none)
            .map(|(s, &none)| (!none).then_some(s))
            .collect()
    }
}

/// `string[]` read packed into [`Texts`] (`(string | null)[]` if `nullable`), with the errors
/// of [`strings`] and [`optional_strings`].
pub fn texts<H: Host>(h: H, v: &H::V, field: &str, nullable: bool) -> Result<Texts> {
    let expected = if nullable {
        "an array of strings or nulls"
    } else {
        "an array of strings"
    };
    let n = array_len(h, v, field, expected)?;
    if let Some(t) = take_joined(field).and_then(|j| Texts::split(j, n as usize)) {
        return Ok(t);
    }
    let mut text = Vec::new();
    let mut t = Texts {
        ends: Vec::with_capacity(n as usize),
        ..Texts::default()
    };
    for i in 0..n {
        let x = element(h, v, i, field)?;
        if nullable && matches!(h.kind(&x), Kind::Undefined | Kind::Null) {
            t.none.resize(i as usize, false);
            t.none.push(true);
        } else {
            let at = || format!("{field}[{i}]");
            if !h.append_utf8(&x, &mut text).map_err(|e| unreadable(&at(), e))? {
                return Err(wrong(h, &at(), &x, "a string"));
            }
        }
        t.ends.push(text.len());
    }
    if !t.none.is_empty() {
        t.none.resize(n as usize, false);
    }
    t.text = String::from_utf8(text)
        .map_err(|e| Error::Internal(format!("{field}: the engine gave no UTF-8 ({e})")))?;
    Ok(t)
}

/// Whole unix seconds, from `number[]` or a typed array.
pub fn timestamps<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<i64>> {
    numbers(h, v, field)?
        .iter()
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
                    value: js_number(x),
                    reason: "expected whole unix seconds".into(),
                });
            }
            Ok(x as i64)
        })
        .collect()
}

/// An options object: `undefined`/`null` give `None`; a key not in `allowed` is an error, so a
/// misspelt option (`use_nulls` for `useNulls`) is never silently ignored.
pub fn options<H: Host>(h: H, v: &H::V, field: &str, allowed: &[&str]) -> Result<Option<H::V>> {
    let Some(v) = given(h, v.clone()) else {
        return Ok(None);
    };
    known_keys(h, &v, field, allowed, "option")?;
    Ok(Some(v))
}

/// A table of columns: an object whose keys are all in `allowed`, so a misspelt column
/// (`vaule` for `value`) is an error, not data left out.
pub fn columns<H: Host>(h: H, v: &H::V, field: &str, allowed: &[&str]) -> Result<()> {
    known_keys(h, v, field, allowed, "column")
}

/// [`options`] for a table of columns: `undefined`/`null` give `None`, an unknown key is an
/// "unknown column".
pub fn table<H: Host>(h: H, v: &H::V, field: &str, allowed: &[&str]) -> Result<Option<H::V>> {
    let Some(v) = given(h, v.clone()) else {
        return Ok(None);
    };
    columns(h, &v, field, allowed)?;
    Ok(Some(v))
}

/// `v` is an object whose keys (each an `what`) are all in `allowed`.
fn known_keys<H: Host>(h: H, v: &H::V, field: &str, allowed: &[&str], what: &str) -> Result<()> {
    object(h, v, field)?;
    for key in h.keys(v).map_err(|e| unreadable(field, e))? {
        if !allowed.contains(&key.as_str()) {
            return Err(Error::InvalidParameter {
                field: format!("{field}.{key}"),
                value: key,
                reason: format!("unknown {what}; expected one of {}", allowed.join(", ")),
            });
        }
    }
    Ok(())
}

/// A matrix as a flat row-major `Vec` and its column count: rows (`number[][]` or
/// `Float64Array[]`, all of one length; `n_features`, when given, must match), or a flat
/// `number[] | Float64Array` with `n_features` (`default_features` when not given, else an
/// error).
pub fn matrix<H: Host>(
    h: H,
    x: &H::V,
    n_features: &H::V,
    default_features: Option<usize>,
) -> Result<(Vec<f64>, usize)> {
    let given_k = given(h, n_features.clone())
        .map(|v| size(h, &v, "nFeatures"))
        .transpose()?;
    let rows = is_array(h, x, "x")? && h.length(x).map_err(|e| unreadable("x", e))? > 0 && {
        let first = element(h, x, 0, "x")?;
        h.kind(&first) == Kind::Object
            && (is_array(h, &first, "x[0]")?
                || matches!(
                    h.typed_numbers(&first),
                    Ok(Typed::Numbers(_) | Typed::Other(_))
                ))
    };
    if rows {
        let n = h.length(x).map_err(|e| unreadable("x", e))?;
        let mut flat = Vec::new();
        let mut width = None;
        for i in 0..n {
            let field = format!("x[{i}]");
            let row = element(h, x, i, "x")?;
            if h.kind(&row) != Kind::Object {
                return Err(wrong(h, &field, &row, "a row (an array of numbers)"));
            }
            let row = numbers(h, &row, &field)?;
            let w = *width.get_or_insert(row.len());
            check_len(&field, row.len(), w)?;
            flat.extend_from_slice(&row);
        }
        let w = width.unwrap_or(0);
        if let Some(k) = given_k {
            check_len("nFeatures", k, w)?;
        }
        return Ok((flat, w));
    }
    if h.kind(x) != Kind::Object {
        return Err(wrong(
            h,
            "x",
            x,
            "an array of rows (number[][]) or a flat Float64Array",
        ));
    }
    let flat = numbers(h, x, "x")?;
    match given_k.or(default_features) {
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

#[cfg(test)]
mod tests {
    use super::Texts;

    fn rows(joined: &str, n: usize) -> Option<Vec<String>> {
        let t = Texts::split(joined.as_bytes().to_vec(), n)?;
        assert_eq!(t.len(), n);
        Some(t.strs().into_iter().map(String::from).collect())
    }

    #[test]
    fn a_joined_column_splits_into_exactly_its_rows() {
        assert_eq!(rows("ann\nbob\né", 3), Some(["ann", "bob", "é"].map(String::from).to_vec()));
        assert_eq!(rows("\n\n", 3), Some(["", "", ""].map(String::from).to_vec()));
        assert_eq!(rows("a\n", 2), Some(["a", ""].map(String::from).to_vec()));
        assert_eq!(rows("", 1), Some([""].map(String::from).to_vec()));
        assert_eq!(rows("", 0), Some(Vec::new()));
        // A cell holding a newline makes one row too many: the caller reads cell by cell.
        assert_eq!(rows("a\nb\nc", 2), None);
        assert_eq!(rows("a\nb", 3), None);
        assert_eq!(rows("a", 0), None);
        assert!(Texts::split(vec![b'a', b'\n', 0xff], 2).is_none());
    }
}
