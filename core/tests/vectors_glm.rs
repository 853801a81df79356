//! Runs every shared vector under `tests/vectors/glm/` (logistic regression against
//! scikit-learn 1.9.1's `LogisticRegression`: L2 and unpenalised by
//! `benches/compare/make_glm_vectors.py`, L1 and elastic net by
//! `benches/compare/make_predictive_vectors.py`) against the Rust core.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::glm::logistic::{LogisticRegression, Penalty};
use common::{check_vector, compare_fields as compare, num, run_dir};
use serde_json::{json, Map, Value};

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    assert_eq!(function, "glm.logistic", "no runner for function {function:?}");
    let rows = input["x"].as_array().expect("input.x");
    let k = rows.first().and_then(Value::as_array).map_or(0, Vec::len);
    // ragged rows are the fit's to refuse: flatten as given, with the first row's width
    let mut x = Vec::new();
    for r in rows {
        x.extend(r.as_array().expect("a row").iter().map(num));
    }
    if rows.iter().any(|r| r.as_array().map_or(0, Vec::len) != k) {
        return Err(channelwise::Error::LengthMismatch { field: "x".into(), got: x.len(), expected: rows.len() * k });
    }
    let y: Vec<f64> = input["y"].as_array().expect("input.y").iter().map(num).collect();
    let w: Option<Vec<f64>> = input.get("sample_weight").and_then(Value::as_array).map(|a| a.iter().map(num).collect());
    let spec = LogisticRegression::default()
        .c(num(&params["c"]))
        .fit_intercept(params["fit_intercept"].as_bool().unwrap_or(true))
        .penalty(match params["penalty"].as_str() {
            Some("none") => Penalty::None,
            Some("l1") => Penalty::L1,
            Some("elasticnet") => Penalty::ElasticNet { l1_ratio: num(&params["l1_ratio"]) },
            _ => Penalty::L2,
        });
    let fit = spec.fit(&x, k, &y, w.as_deref())?;
    let proba = fit.predict_proba(&x, k)?;
    Ok(json!({ "coef": fit.coef(), "intercept": fit.intercept(), "proba": proba }).as_object().expect("an object").clone())
}

#[test]
fn every_glm_vector_passes() {
    run_dir("glm", |f| check_vector(f, run, compare));
}
