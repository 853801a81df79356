//! Runs every shared vector under `tests/vectors/optimize/` (response curves and adstock,
//! written by `benches/compare/make_optimize_vectors.py` from pymc-marketing 0.19.2 and Robyn's
//! formulas) against the Rust core.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::optimize::response::{Adstock, Saturation};
use common::{check_vector, compare_fields as compare, num, run_dir};
use serde_json::{json, Map, Value};

fn nums(input: &Value, key: &str) -> Vec<f64> {
    input.get(key).and_then(Value::as_array).map(|a| a.iter().map(num).collect()).unwrap_or_default()
}

/// Numbers as JSON, infinities as the vectors write them.
fn out(v: &[f64]) -> Value {
    Value::Array(
        v.iter()
            .map(|&x| match x {
                f64::INFINITY => json!("Infinity"),
                f64::NEG_INFINITY => json!("-Infinity"),
                x if x.is_nan() => json!("NaN"),
                x => json!(x),
            })
            .collect(),
    )
}

fn p(params: &Value, key: &str) -> f64 {
    num(params.get(key).unwrap_or_else(|| panic!("params.{key} missing")))
}

fn saturation(params: &Value, input: &Value) -> channelwise::Result<Saturation> {
    let kind = params["kind"].as_str().expect("params.kind");
    if kind == "robyn_hill" {
        return Saturation::robyn_hill(p(params, "alpha"), p(params, "gamma"), &nums(input, "x_fit"));
    }
    // the kind's own parameter names, in its order; an unknown kind takes none and is refused
    let names = Saturation::kind_params(kind).unwrap_or(&[]);
    Saturation::from_params(kind, &names.iter().map(|n| p(params, n)).collect::<Vec<_>>())
}

fn adstock(params: &Value) -> channelwise::Result<Adstock> {
    let kind = params["kind"].as_str().expect("params.kind");
    let names = Adstock::kind_params(kind).unwrap_or(&[]);
    let l_max = params["l_max"].as_u64().expect("params.l_max") as usize;
    let normalize = params.get("normalize").and_then(Value::as_bool).unwrap_or(false);
    Adstock::from_params(kind, &names.iter().map(|n| p(params, n)).collect::<Vec<_>>(), l_max, normalize)
}

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let result = match function {
        "optimize.saturation" => {
            let s = saturation(params, input)?;
            let x = nums(input, "x");
            let mut r = json!({ "value": out(&s.values(&x)?), "derivative": out(&s.derivatives(&x)?) });
            if input.get("m").is_some() {
                r["inverse_marginal"] = out(&s.inverse_marginals(&nums(input, "m"))?);
            }
            r
        }
        "optimize.adstock" => {
            let a = adstock(params)?;
            json!({ "value": out(&a.apply(&nums(input, "x"), &nums(input, "pre"))?), "weights": out(&a.weights()) })
        }
        other => panic!("no runner for function {other:?}"),
    };
    Ok(result.as_object().expect("an object").clone())
}

#[test]
fn every_optimize_vector_passes() {
    run_dir("optimize", |f| check_vector(f, run, compare));
}
