//! Runs the ETS and residual-alert vectors (`tests/vectors/forecast/ets_*.json`,
//! `tests/vectors/anomaly/residual_*.json`, written by `benches/compare/make_ets_vectors.py`)
//! against the Rust core. Only files with those prefixes are walked: the folders are shared.
//!
//! `forecast.auto_ets`: input `y`; params `season_length`, `model`, `damped` (bool or null),
//! `h`, `levels`; results `model`, `aicc`, `aic`, `bic`, `loglik`, `sigma2`, `alpha`, `mean`,
//! `lo_<level>`, `hi_<level>`. `anomaly.residual_alerts`: input `actual`, `expected`, `lower`,
//! `upper`; params `level`; results `index`, `score`, `direction` (+1 above, -1 below).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::anomaly::residual::{residual_alerts, Direction};
use channelwise::forecast::ets::AutoEts;
use common::{check_vector, compare_fields as compare, num, run_prefixed};
use serde_json::{json, Map, Value};

fn nums(v: &Value, key: &str) -> Vec<f64> {
    v[key].as_array().unwrap_or_else(|| panic!("{key} missing")).iter().map(num).collect()
}

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let out = match function {
        "forecast.auto_ets" => {
            let levels = nums(params, "levels");
            let fit = AutoEts::new(params["season_length"].as_u64().expect("season_length") as usize)
                .model(params["model"].as_str().expect("model"))
                .damped(params["damped"].as_bool())
                .fit(&nums(input, "y"))?;
            let f = fit.forecast(params["h"].as_u64().expect("h") as usize, &levels)?;
            let mut o = json!({ "model": fit.model(), "aicc": fit.aicc(), "aic": fit.aic(), "bic": fit.bic(),
                "loglik": fit.log_likelihood(), "sigma2": fit.sigma2(), "alpha": fit.params().alpha, "mean": f.mean });
            for (i, lv) in levels.iter().enumerate() {
                o[format!("lo_{lv}")] = json!(f.lower[i]);
                o[format!("hi_{lv}")] = json!(f.upper[i]);
            }
            o
        }
        "anomaly.residual_alerts" => {
            let a = residual_alerts(&nums(input, "actual"), &nums(input, "expected"), &nums(input, "lower"), &nums(input, "upper"), num(&params["level"]))?;
            json!({
                "index": a.iter().map(|x| x.index as f64).collect::<Vec<_>>(),
                "score": a.iter().map(|x| x.score).collect::<Vec<_>>(),
                "direction": a.iter().map(|x| if x.direction == Direction::Above { 1.0 } else { -1.0 }).collect::<Vec<_>>(),
            })
        }
        other => panic!("no runner for function {other:?}"),
    };
    Ok(out.as_object().expect("object").clone())
}

#[test]
fn every_ets_vector_passes() {
    run_prefixed("forecast", &["ets_"], |f| check_vector(f, run, compare));
}

#[test]
fn every_residual_alert_vector_passes() {
    run_prefixed("anomaly", &["residual_"], |f| check_vector(f, run, compare));
}
