//! Runs every shared vector under `tests/vectors/experiment/` (scipy and statsmodels for the
//! frequentist tests and power, gbstats 0.8.0 for relative effects; written by
//! `benches/compare/make_experiment_vectors.py`) against the Rust core.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::experiment::ab::{self, Alternative, Effect, Moments, Proportion, Summary, TestOptions};
use channelwise::experiment::power::{proportion_effectsize, NormalIndPower};
use common::{check_vector, compare_fields as compare, num, run_dir};
use serde_json::{json, Map, Value};

fn object(v: Value) -> Map<String, Value> {
    v.as_object().expect("an object").clone()
}

fn proportion(v: &Value) -> Proportion {
    Proportion::new(num(&v["n"]), num(&v["successes"]))
}

/// An arm of a vector: `{n, successes}`, `{n, sum, sum_squares}` or `{values: [...]}`.
fn summary(v: &Value, arm: &str) -> channelwise::Result<Summary> {
    if v.get("successes").is_some() {
        return proportion(v).summary(arm);
    }
    if let Some(values) = v.get("values").and_then(Value::as_array) {
        let xs: Vec<f64> = values.iter().map(num).collect();
        return Moments::from_values(&xs)?.summary(arm);
    }
    Moments::new(num(&v["n"]), num(&v["sum"]), num(&v["sum_squares"])).summary(arm)
}

fn param(params: &Value, key: &str, default: f64) -> f64 {
    params.get(key).map_or(default, num)
}

fn alternative(params: &Value) -> Alternative {
    params.get("alternative").map_or(Alternative::TwoSided, |a| serde_json::from_value(a.clone()).expect("an alternative"))
}

fn options(params: &Value) -> TestOptions {
    TestOptions::default().alpha(param(params, "alpha", 0.05)).alternative(alternative(params))
}

/// `abs_*` and `rel_*` fields of two effects.
fn effects(m: &mut Map<String, Value>, absolute: &Effect, relative: Option<&Effect>) {
    for (prefix, e) in [("abs", Some(absolute)), ("rel", relative)] {
        if let Some(e) = e {
            m.insert(format!("{prefix}_estimate"), json!(e.estimate));
            m.insert(format!("{prefix}_std_error"), json!(e.std_error));
            m.insert(format!("{prefix}_ci_lower"), json!(e.ci_lower));
            m.insert(format!("{prefix}_ci_upper"), json!(e.ci_upper));
            m.insert(format!("{prefix}_p_value"), json!(e.p_value));
        }
    }
}

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    match function {
        "experiment.ztest" => {
            let r = ab::ztest(proportion(&input["a"]), proportion(&input["b"]), &options(params))?;
            let mut m = object(json!({ "z": r.z, "p_value": r.p_value, "rate_a": r.rate_a, "rate_b": r.rate_b }));
            effects(&mut m, &r.absolute, r.relative.as_ref());
            Ok(m)
        }
        "experiment.welch" => {
            let r = ab::welch(&summary(&input["a"], "a")?, &summary(&input["b"], "b")?, &options(params))?;
            let mut m = object(json!({ "t": r.t, "df": r.df, "p_value": r.p_value }));
            effects(&mut m, &r.absolute, r.relative.as_ref());
            Ok(m)
        }
        "experiment.chisq" => {
            let arms: Vec<Proportion> = input["arms"].as_array().expect("arms").iter().map(proportion).collect();
            let r = ab::chi_square(&arms)?;
            Ok(object(json!({ "statistic": r.statistic, "df": r.df, "p_value": r.p_value })))
        }
        "experiment.power" => {
            let p = NormalIndPower::default()
                .alpha(param(params, "alpha", 0.05))
                .ratio(param(params, "ratio", 1.0))
                .alternative(alternative(params));
            let mut m = Map::new();
            let d = if input.get("p1").is_some() {
                let d = proportion_effectsize(num(&input["p1"]), num(&input["p2"]))?;
                m.insert("effect_size".into(), json!(d));
                d
            } else {
                input.get("effect_size").map_or(f64::NAN, num)
            };
            let value = match params["solve"].as_str().expect("solve") {
                "power" => p.power(d, num(&input["nobs1"]))?,
                "nobs1" => p.nobs1(d, num(&input["power"]))?,
                "effect_size" => p.effect_size(num(&input["nobs1"]), num(&input["power"]))?,
                other => panic!("unknown solve {other}"),
            };
            m.insert("value".into(), json!(value));
            Ok(m)
        }
        other => panic!("unknown function {other}"),
    }
}

#[test]
fn experiment_vectors() {
    run_dir("experiment", |path| check_vector(path, run, compare));
}
