//! The runners of the predictive lead score vectors (`tests/vectors/leads/predictive_*.json`,
//! scikit-learn references written by `benches/compare/make_predictive_vectors.py`):
//! `leads.predictive` (fit, calibrate, explain, evaluate) and `leads.predictive_metrics` (AUC,
//! log-loss, Brier and reliability table of given probabilities).

use channelwise::leads::predictive::{Calibrator, LogisticScore};
use channelwise::stats::classification::{self, Reliability, ReliabilityBin};
use serde_json::{json, Map, Value};

use crate::common::num;

/// Runs `leads.predictive` or `leads.predictive_metrics`.
pub(crate) fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let rel: Reliability = serde_json::from_value(params["reliability"].clone()).expect("reliability settings");
    let out = match function {
        "leads.predictive" => predictive(input, params, &rel)?,
        "leads.predictive_metrics" => {
            let (y, p) = (labels(&input["y"]), labels(&input["proba"]));
            let mut out = json!({
                "auc": classification::auc(&y, &p)?,
                "log_loss": classification::log_loss(&y, &p)?,
                "brier": classification::brier(&y, &p)?,
            });
            reliability_fields(&mut out, &rel.table(&y, &p)?);
            out
        }
        other => panic!("no runner for function {other:?}"),
    };
    Ok(out.as_object().expect("an object").clone())
}

/// A vector matrix: rows of numbers, flattened row-major; ragged rows are a length mismatch
/// naming `field`.
fn matrix(v: &Value, field: &str) -> channelwise::Result<Vec<f64>> {
    let rows = v.as_array().expect("rows");
    let k = rows.first().and_then(Value::as_array).map_or(0, Vec::len);
    let x: Vec<f64> = rows.iter().flat_map(|r| r.as_array().expect("a row").iter().map(num)).collect();
    if rows.iter().any(|r| r.as_array().map_or(0, Vec::len) != k) {
        return Err(channelwise::Error::LengthMismatch { field: field.into(), got: x.len(), expected: rows.len() * k });
    }
    Ok(x)
}

fn labels(v: &Value) -> Vec<f64> {
    v.as_array().expect("numbers").iter().map(num).collect()
}

fn reliability_fields(out: &mut Value, table: &[ReliabilityBin]) {
    out["reliability_bin"] = json!(table.iter().map(|b| b.bin as f64).collect::<Vec<_>>());
    out["reliability_count"] = json!(table.iter().map(|b| b.count as f64).collect::<Vec<_>>());
    out["reliability_fraction_positive"] = json!(table.iter().map(|b| b.fraction_positive).collect::<Vec<_>>());
    out["reliability_mean_predicted"] = json!(table.iter().map(|b| b.mean_predicted).collect::<Vec<_>>());
}

/// Fits (calibrated on `input.calibration` when given), then explains and evaluates the
/// evaluation rows.
fn predictive(input: &Value, params: &Value, rel: &Reliability) -> channelwise::Result<Value> {
    let score: LogisticScore = serde_json::from_value(params["score"].clone()).expect("LogisticScore settings");
    let names: Vec<String> = input["feature_names"].as_array().expect("feature_names").iter().map(|s| s.as_str().expect("a name").to_string()).collect();
    let x = matrix(&input["features"], "features")?;
    let y = labels(&input["y"]);
    let model = match input.get("calibration") {
        Some(cal) => score.fit_calibrated(&x, &names, &y, &matrix(&cal["features"], "calibration.features")?, &labels(&cal["y"]))?,
        None => score.fit(&x, &names, &y)?,
    };
    let xe = matrix(&input["evaluation"]["features"], "evaluation.features")?;
    let ye = labels(&input["evaluation"]["y"]);
    let why = model.contributions(&xe)?;
    let eval = model.evaluate(&xe, &ye, rel)?;
    let mut out = json!({
        "coef": model.coef(), "intercept": model.intercept(), "reference": model.reference(),
        "base_logit": model.base_logit(), "proba": model.predict_proba(&xe)?, "logit": why.logit,
        "contributions": why.values, "auc": eval.auc, "log_loss": eval.log_loss, "brier": eval.brier,
    });
    if let Calibrator::Platt { a, b } = model.calibrator() {
        out["platt_a"] = json!(a);
        out["platt_b"] = json!(b);
    }
    reliability_fields(&mut out, &eval.reliability);
    Ok(out)
}
