//! Runs the shared decomposition and robust-anomaly vectors against the Rust core:
//! `tests/vectors/forecast/{stl,mstl,strength}_*.json` and `tests/vectors/anomaly/robust_*.json`
//! (written by `benches/compare/make_decompose_vectors.py`).
//!
//! Inputs are flat: `input.y` (or `input.x`), STL parameters as numbers and bools in `params`
//! (absent means default), `params.periods` / `params.windows` as arrays, `params.direction` as
//! `"pos" | "neg" | "both"`. Results compare by name: arrays element-wise, numbers with the
//! vector's tolerance, index lists exactly (as numbers).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::anomaly::robust::{Direction, Esd, EsdResult, Hampel, MadDetector, SeasonalEsd};
use channelwise::forecast::decompose::{Mstl, Stl};
use common::{check_vector, compare_fields as compare, num, run_prefixed};
use serde_json::{json, Map, Value};

fn nums(v: &Value, key: &str) -> Vec<f64> {
    v[key].as_array().unwrap_or_else(|| panic!("{key} missing")).iter().map(num).collect()
}

fn usizes(v: &Value, key: &str) -> Vec<usize> {
    v[key].as_array().unwrap_or_else(|| panic!("{key} missing")).iter().map(|x| x.as_u64().expect("integer") as usize).collect()
}

fn opt_usize(p: &Value, key: &str) -> Option<usize> {
    p.get(key).and_then(Value::as_u64).map(|v| v as usize)
}

fn param(p: &Value, key: &str) -> f64 {
    num(p.get(key).unwrap_or_else(|| panic!("params.{key} missing")))
}

/// An `Stl` from the optional STL fields of `params` (period given separately).
fn stl_from(period: usize, p: &Value) -> Stl {
    let mut s = Stl::new(period);
    if let Some(v) = opt_usize(p, "seasonal") {
        s = s.seasonal(v);
    }
    s = s.trend(opt_usize(p, "trend")).low_pass(opt_usize(p, "low_pass"));
    if let Some(v) = opt_usize(p, "seasonal_deg") {
        s = s.seasonal_deg(v);
    }
    if let Some(v) = opt_usize(p, "trend_deg") {
        s = s.trend_deg(v);
    }
    if let Some(v) = opt_usize(p, "low_pass_deg") {
        s = s.low_pass_deg(v);
    }
    if let Some(v) = p.get("robust").and_then(Value::as_bool) {
        s = s.robust(v);
    }
    if let Some(v) = opt_usize(p, "seasonal_jump") {
        s = s.seasonal_jump(v);
    }
    if let Some(v) = opt_usize(p, "trend_jump") {
        s = s.trend_jump(v);
    }
    if let Some(v) = opt_usize(p, "low_pass_jump") {
        s = s.low_pass_jump(v);
    }
    s.inner_iter(opt_usize(p, "inner_iter")).outer_iter(opt_usize(p, "outer_iter"))
}

fn direction(p: &Value) -> channelwise::Result<Direction> {
    p["direction"].as_str().expect("params.direction").parse()
}

fn esd_json(r: &EsdResult) -> Map<String, Value> {
    let v = json!({
        "indices": r.indices(), "n_anomalies": r.n_anomalies, "statistics": r.statistics,
        "critical_values": r.critical_values, "removed": r.removed,
    });
    v.as_object().expect("object").clone()
}

fn run(function: &str, input: &Value, p: &Value) -> channelwise::Result<Map<String, Value>> {
    let out = match function {
        "forecast.stl" => {
            let d = stl_from(opt_usize(p, "period").expect("period"), p).fit(&nums(input, "y"))?;
            json!({ "trend": d.trend, "seasonal": d.seasonal, "resid": d.resid, "weights": d.weights })
        }
        "forecast.strength" => {
            let d = stl_from(opt_usize(p, "period").expect("period"), p).fit(&nums(input, "y"))?;
            json!({ "seasonal_strength": d.seasonal_strength()?, "trend_strength": d.trend_strength()? })
        }
        "forecast.mstl" => {
            let mut m = Mstl::new(&usizes(p, "periods")).stl(stl_from(2, p));
            if p.get("windows").is_some() {
                m = m.windows(&usizes(p, "windows"));
            }
            if let Some(it) = opt_usize(p, "iterate") {
                m = m.iterate(it);
            }
            if let Some(l) = p.get("lmbda") {
                m = m.lmbda(num(l));
            }
            let d = m.fit(&nums(input, "y"))?;
            let mut o = json!({ "trend": d.trend, "resid": d.resid, "weights": d.weights });
            for (per, s) in d.periods.iter().zip(&d.seasonal) {
                o[format!("seasonal_{per}")] = json!(s);
            }
            o
        }
        "anomaly.mad" => {
            let r = MadDetector::new().threshold(param(p, "threshold")).detect(&nums(input, "x"))?;
            json!({ "median": r.median, "mad": r.mad, "scale": r.scale, "scores": r.scores,
                    "outliers": r.outliers, "n_outliers": r.outliers.len() })
        }
        "anomaly.hampel" => {
            let k = opt_usize(p, "half_window").expect("half_window");
            let r = Hampel::new(k, param(p, "n_sigmas")).detect(&nums(input, "x"))?;
            json!({ "filtered": r.filtered, "outliers": r.outliers, "n_outliers": r.outliers.len(),
                    "medians": r.medians, "scales": r.scales })
        }
        "anomaly.esd" => {
            let r = Esd::new()
                .max_anoms(param(p, "max_anoms"))
                .alpha(param(p, "alpha"))
                .direction(direction(p)?)
                .detect(&nums(input, "x"))?;
            Value::Object(esd_json(&r))
        }
        "anomaly.seasonal_esd" => {
            let r = SeasonalEsd::new(opt_usize(p, "period").expect("period"))
                .max_anoms(param(p, "max_anoms"))
                .alpha(param(p, "alpha"))
                .direction(direction(p)?)
                .detect(&nums(input, "x"))?;
            let mut o = esd_json(&r.esd);
            o.insert("seasonal".into(), json!(r.seasonal));
            o.insert("median".into(), json!(r.median));
            Value::Object(o)
        }
        other => panic!("no runner for function {other:?}"),
    };
    Ok(out.as_object().expect("results are an object").clone())
}

#[test]
fn every_decompose_vector_passes() {
    run_prefixed("forecast", &["stl_", "mstl_", "strength_"], |f| check_vector(f, run, compare));
}

#[test]
fn every_robust_anomaly_vector_passes() {
    run_prefixed("anomaly", &["robust_"], |f| check_vector(f, run, compare));
}
