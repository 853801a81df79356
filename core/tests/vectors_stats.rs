//! Runs every shared vector under `tests/vectors/stats/` and `tests/vectors/forecast/` against
//! the Rust core.
//!
//! Schema (shared by the Python, Node and WASM runners; written by
//! `benches/compare/make_stats_vectors.py`): `{"function", "source", "input": {..}, "params",
//! "expected": {<field>: number | [numbers] | string | bool} | {"error": "<kind>"},
//! "tolerance": {"abs", "rel"}}`. Numbers match when `|got - exp| <= abs + rel * |exp|`; strings
//! and booleans must be equal. Non-finite inputs are the strings "NaN", "Infinity", "-Infinity".

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use std::path::{Path, PathBuf};

use channelwise::forecast::metrics::{self, RollingOrigin};
use channelwise::stats;
use serde_json::{json, Map, Value};

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().expect("vector number is f64"),
        Value::String(s) => match s.as_str() {
            "NaN" => f64::NAN,
            "Infinity" => f64::INFINITY,
            "-Infinity" => f64::NEG_INFINITY,
            other => panic!("not a number: {other:?}"),
        },
        other => panic!("not a number: {other}"),
    }
}

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

fn check_vector(path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let function = v["function"].as_str().ok_or("function missing")?;
    if v.get("source").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err("vector names no source".into());
    }
    let expected = &v["expected"];
    let result = run(function, &v["input"], v.get("params").unwrap_or(&Value::Null));
    if let Some(kind) = expected.get("error").and_then(Value::as_str) {
        return match result {
            Err(e) if e.kind().code() == kind => Ok(1),
            Err(e) => Err(format!("expected error {kind}, got {} ({e})", e.kind().code())),
            Ok(_) => Err(format!("expected error {kind}, got a result")),
        };
    }
    let got = result.map_err(|e| format!("unexpected error {}: {e}", e.kind().code()))?;
    let abs = v["tolerance"].get("abs").map_or(0.0, num);
    let rel = v["tolerance"].get("rel").map_or(0.0, num);
    let close = |g: f64, e: f64| g.is_finite() && (g - e).abs() <= abs + rel * e.abs();
    let mut checked = 0;
    for (key, want) in expected.as_object().ok_or("expected is not an object")? {
        let g = got.get(key).ok_or(format!("no result {key}"))?;
        match want {
            Value::Array(ws) => {
                let gs = g.as_array().ok_or(format!("{key} is not an array"))?;
                if gs.len() != ws.len() {
                    return Err(format!("{key}: got {} values, expected {}", gs.len(), ws.len()));
                }
                for (i, (g, w)) in gs.iter().zip(ws).enumerate() {
                    let (g, w) = (num(g), num(w));
                    if !close(g, w) {
                        return Err(format!("{key}[{i}]: got {g}, expected {w} (tol abs {abs}, rel {rel})"));
                    }
                    checked += 1;
                }
            }
            Value::String(_) | Value::Bool(_) => {
                if g != want {
                    return Err(format!("{key}: got {g}, expected {want}"));
                }
                checked += 1;
            }
            w => {
                let (g, w) = (num(g), num(w));
                if !close(g, w) {
                    return Err(format!("{key}: got {g:e}, expected {w:e} (tol abs {abs}, rel {rel})"));
                }
                checked += 1;
            }
        }
    }
    if checked == 0 {
        return Err("vector checks nothing".into());
    }
    Ok(checked)
}

fn run_dir(module: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors").join(module);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vectors in {}", dir.display());
    let mut failures = Vec::new();
    for f in &files {
        match check_vector(f) {
            Ok(n) => eprintln!("ok   {} ({n} values)", f.file_name().unwrap_or_default().to_string_lossy()),
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(failures.is_empty(), "{} of {} vectors failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn every_stats_vector_passes() {
    run_dir("stats");
}

#[test]
fn every_forecast_vector_passes() {
    run_dir("forecast");
}
