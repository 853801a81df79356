//! Runs every shared vector under `tests/vectors/stats/` and `tests/vectors/forecast/` against
//! the Rust core.
//!
//! Schema (shared by the Python, Node and WASM runners; written by
//! `benches/compare/make_stats_vectors.py`): `{"function", "source", "input": {..}, "params",
//! "expected": {<field>: number | [numbers] | string | bool} | {"error": "<kind>"},
//! "tolerance": {"abs", "rel"}}`. Numbers match when `|got - exp| <= abs + rel * |exp|`; strings
//! and booleans must be equal. Non-finite inputs are the strings "NaN", "Infinity", "-Infinity".

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::forecast::metrics::{self, RollingOrigin};
use channelwise::stats;
use common::{check_vector, compare_fields as compare, num, run_dir};
use serde_json::{json, Map, Value};

fn nums(input: &Value, key: &str) -> Vec<f64> {
    input[key].as_array().unwrap_or_else(|| panic!("input.{key} missing")).iter().map(num).collect()
}

fn param(params: &Value, key: &str) -> f64 {
    num(params.get(key).unwrap_or_else(|| panic!("params.{key} missing")))
}

fn usize_param(params: &Value, key: &str) -> usize {
    params[key].as_u64().unwrap_or_else(|| panic!("params.{key} missing")) as usize
}

fn correlation(c: stats::Correlation) -> Value {
    json!({ "statistic": c.statistic, "p_value": c.p_value, "n": c.n })
}

/// Runs one vector's function and returns its named results.
fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let x = || nums(input, "x");
    let y = || nums(input, "y");
    let actual = || nums(input, "actual");
    let value = |v: f64| json!({ "value": v });
    let out = match function {
        "stats.pearson" => correlation(stats::pearson(&x(), &y())?),
        "stats.spearman" => correlation(stats::spearman(&x(), &y())?),
        "stats.kendall" => correlation(stats::kendall(&x(), &y())?),
        "stats.cross_correlation" => {
            let c = stats::cross_correlation(&x(), &y(), usize_param(params, "max_lag"))?;
            json!({ "lags": c.lags, "values": c.values })
        }
        "stats.mann_kendall" => {
            let r = stats::mann_kendall(&x(), param(params, "alpha"))?;
            json!({ "trend": r.trend.as_str(), "h": r.h, "p": r.p, "z": r.z, "tau": r.tau, "s": r.s,
                    "var_s": r.var_s })
        }
        "stats.theil_sen" => {
            let r = stats::theil_sen(&x(), &y(), param(params, "alpha"))?;
            json!({ "slope": r.slope, "intercept": r.intercept, "low_slope": r.low_slope,
                    "high_slope": r.high_slope })
        }
        "forecast.mae" => value(metrics::mae(&actual(), &nums(input, "predicted"))?),
        "forecast.rmse" => value(metrics::rmse(&actual(), &nums(input, "predicted"))?),
        "forecast.mape" => value(metrics::mape(&actual(), &nums(input, "predicted"))?),
        "forecast.smape" => value(metrics::smape(&actual(), &nums(input, "predicted"))?),
        "forecast.mase" => value(metrics::mase(
            &actual(),
            &nums(input, "predicted"),
            &nums(input, "insample"),
            usize_param(params, "m"),
        )?),
        "forecast.coverage" => value(metrics::coverage(&actual(), &nums(input, "lower"), &nums(input, "upper"))?),
        "forecast.winkler" => value(metrics::winkler(
            &actual(),
            &nums(input, "lower"),
            &nums(input, "upper"),
            param(params, "alpha"),
        )?),
        "forecast.rolling_origin" => {
            let cv = RollingOrigin::new(
                usize_param(params, "initial"),
                usize_param(params, "horizon"),
                usize_param(params, "step"),
            )?;
            let model = params["model"].as_str().expect("params.model");
            let r = cv.evaluate(&nums(input, "y"), |train, h| {
                let f = match model {
                    "naive" => train[train.len() - 1],
                    "mean" => train.iter().sum::<f64>() / train.len() as f64,
                    other => panic!("unknown model {other}"),
                };
                Ok(vec![f; h])
            })?;
            json!({ "origins": r.origins, "mae": r.mae, "rmse": r.rmse })
        }
        other => panic!("no runner for function {other:?}"),
    };
    Ok(out.as_object().expect("results are an object").clone())
}

#[test]
fn every_stats_vector_passes() {
    run_dir("stats", |f| check_vector(f, run, compare));
}

#[test]
fn every_forecast_vector_passes() {
    // ets_*, stl_*, mstl_* and strength_* have their own runners (vectors_ets.rs,
    // vectors_decompose.rs) and count as 0 values here
    let elsewhere = |f: &std::path::Path| {
        let name = f.file_name().unwrap_or_default().to_string_lossy();
        ["ets_", "stl_", "mstl_", "strength_"].iter().any(|p| name.starts_with(p))
    };
    run_dir("forecast", |f| if elsewhere(f) { Ok(0) } else { check_vector(f, run, compare) });
}
