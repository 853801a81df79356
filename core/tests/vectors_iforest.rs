//! Runs the isolation forest vectors, `tests/vectors/anomaly/iforest_*.json` (other files in the
//! folder belong to other anomaly detectors and have their own runner).
//!
//! Written by `benches/compare/make_iforest_vectors.py`. Functions:
//! - `"anomaly.isolation_forest"`: fit on `input.x` (flat row-major, `input.n_features`) with
//!   `params` {`n_estimators`, `max_samples` ("auto" or a count), optional
//!   `max_samples_fraction`, `contamination` ("auto" or a fraction), optional
//!   `max_features_fraction`, `bootstrap`, `seed`}; results: `auc` = ROC AUC of `-score_samples(x)`
//!   against `input.labels` (1 = anomaly; Mann-Whitney, ties 1/2), `n_flagged` = training rows
//!   with decision function < 0, `offset`. With `input.x_score` the fitted model also scores
//!   `x_score` with `n_features_score` columns (used by error vectors).
//! - `"anomaly.average_path_length"`: `value[i] = c(input.n[i])`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::anomaly::{average_path_length, Contamination, IsolationForest, MaxFeatures, MaxSamples};
use channelwise::stats::classification::auc;
use common::{check_vector, compare_fields as compare, num, run_prefixed};
use serde_json::{json, Map, Value};

fn nums(input: &Value, key: &str) -> Vec<f64> {
    input[key].as_array().unwrap_or_else(|| panic!("input.{key} missing")).iter().map(num).collect()
}

fn count(v: &Value, key: &str) -> usize {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} is not a count")) as usize
}

fn forest(params: &Value) -> IsolationForest {
    let max_samples = match (&params["max_samples"], params.get("max_samples_fraction")) {
        (_, Some(f)) => MaxSamples::Fraction(num(f)),
        (Value::String(s), None) if s == "auto" => MaxSamples::Auto,
        (v, None) => MaxSamples::Count(v.as_u64().expect("max_samples: \"auto\" or a count") as usize),
    };
    let contamination = match &params["contamination"] {
        Value::String(s) if s == "auto" => Contamination::Auto,
        v => Contamination::Fraction(num(v)),
    };
    let max_features = params.get("max_features_fraction").map_or(MaxFeatures::Fraction(1.0), |f| MaxFeatures::Fraction(num(f)));
    IsolationForest::default()
        .n_estimators(count(params, "n_estimators"))
        .max_samples(max_samples)
        .contamination(contamination)
        .max_features(max_features)
        .bootstrap(params["bootstrap"].as_bool().expect("bootstrap"))
        .seed(params["seed"].as_u64().expect("seed"))
}

/// Runs one vector's function and returns its named results.
fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let out = match function {
        "anomaly.isolation_forest" => {
            let (x, nf) = (nums(input, "x"), count(input, "n_features"));
            let model = forest(params).fit(&x, nf)?;
            if input.get("x_score").is_some() {
                model.score_samples(&nums(input, "x_score"), count(input, "n_features_score"))?;
            }
            let labels: Vec<f64> = nums(input, "labels");
            let neg: Vec<f64> = model.score_samples(&x, nf)?.iter().map(|s| -s).collect();
            let n_flagged = model.is_outlier(&x, nf)?.iter().filter(|&&o| o).count();
            json!({ "auc": auc(&labels, &neg)?, "n_flagged": n_flagged, "offset": model.offset() })
        }
        "anomaly.average_path_length" => {
            let n = input["n"].as_array().expect("input.n");
            json!({ "value": n.iter().map(|v| average_path_length(v.as_u64().expect("n") as usize)).collect::<Vec<_>>() })
        }
        other => panic!("no runner for function {other:?}"),
    };
    Ok(out.as_object().expect("results are an object").clone())
}

#[test]
fn every_iforest_vector_passes() {
    run_prefixed("anomaly", &["iforest_"], |f| check_vector(f, run, compare));
}
