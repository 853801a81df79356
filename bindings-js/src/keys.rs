//! Key case between JS and the core: JS writes `dailyBudget`, the core's serde forms and error
//! fields say `daily_budget`. The one place the binding converts either way.

use channelwise::{Error, Result};
use serde::Serialize;
use serde_json::Value;

use crate::optimize::renamed;
use crate::out::Out;

/// A camelCase key as the core's snake_case (`dailyBudget` -> `daily_budget`,
/// `http429WaitMs` -> `http_429_wait_ms`); a snake_case key stays as it is.
pub fn snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev = None::<char>;
    for c in s.chars() {
        let digit_after_letter =
            c.is_ascii_digit() && prev.is_some_and(|p| p.is_ascii_alphabetic());
        if c.is_ascii_uppercase() || digit_after_letter {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    out
}

/// A snake_case name as camelCase (`l_max` -> `lMax`, `a.sum_squares` -> `a.sumSquares`).
pub fn camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `v` with every object key renamed by `f`, at every depth.
pub fn map_keys(v: Value, f: fn(&str) -> String) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (f(&k), map_keys(x, f)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| map_keys(x, f)).collect()),
        x => x,
    }
}

/// A core error about one of the options `keys` (JS names: `batchSize`) named as JS writes it:
/// `batch_size` -> `options.batchSize`, `prior.variance` -> `options.prior.variance`; any other
/// field as `other` names it (`None`: unchanged).
pub fn option_field(e: Error, keys: &[&str], other: fn(&str) -> Option<String>) -> Error {
    renamed(e, |f| {
        let head = f.split(['.', '[']).next().unwrap_or(f);
        if keys.iter().any(|k| snake(k) == head) {
            Some(format!("options.{}", camel(f)))
        } else {
            other(f)
        }
    })
}

/// The core's serde form of `value` with camelCase keys, as a JS object tree.
pub fn to_camel<T: Serialize + ?Sized>(value: &T) -> Result<Out> {
    let v =
        serde_json::to_value(value).map_err(|e| Error::Internal(format!("serialising: {e}")))?;
    crate::serde_js::to_out(&map_keys(v, camel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(snake("dailyBudget"), "daily_budget");
        assert_eq!(snake("http429WaitMs"), "http_429_wait_ms");
        assert_eq!(snake("daily_budget"), "daily_budget");
        assert_eq!(camel("l_max"), "lMax");
        assert_eq!(camel("a.sum_squares"), "a.sumSquares");
        assert_eq!(camel(&snake("retryAfterMs")), "retryAfterMs");
        let v = map_keys(serde_json::json!({"a_b": [{"c_d": 1}]}), camel);
        assert_eq!(v, serde_json::json!({"aB": [{"cD": 1}]}));
    }
}
