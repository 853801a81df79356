//! Runs every shared `tests/vectors/optimize/mmm_*.json` (function `optimize.mmm`) against the
//! Rust core: the media mix model fitted to the same data as pymc-marketing 0.19.2's MMM (NUTS),
//! written by `benches/compare/make_mmm_vectors.py` from `benches/compare/results/mmm.json`.
//!
//! Comparison `"check": "within"`: channelwise's point share of each channel (`summary()`'s
//! `share.value`, at the posterior mode) must lie inside pymc's 90% HDI
//! `[expected.share_lo[i], expected.share_hi[i]]` and within `tolerance.abs` of pymc's posterior
//! mean `expected.share[i]`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::optimize::mmm::{Mmm, MmmData, Uncertainty};
use common::{check_vector, num, run_prefixed, Tolerance};
use serde_json::Value;

fn series(v: &Value) -> Vec<f64> {
    v.as_array().expect("a series").iter().map(num).collect()
}

/// `{name: [...]}` in the file's key order (serde_json keeps it: `preserve_order` or sorted
/// keys; the vectors' names sort in their order, and the runner checks the channel names).
fn named(v: Option<&Value>) -> Vec<(String, Vec<f64>)> {
    v.and_then(Value::as_object).map(|m| m.iter().map(|(k, s)| (k.clone(), series(s))).collect()).unwrap_or_default()
}

fn spec(params: &Value) -> Mmm {
    let s = |k: &str| params.get(k).and_then(Value::as_str);
    let u = |k: &str| params.get(k).and_then(Value::as_u64).map(|v| v as usize);
    let b = |k: &str| params.get(k).and_then(Value::as_bool);
    let f = |k: &str| params.get(k).map(num);
    let mut m = Mmm::default();
    if let Some(v) = s("adstock") {
        m = m.adstock(v);
    }
    if let Some(v) = u("l_max") {
        m = m.l_max(v);
    }
    if let Some(v) = b("normalize") {
        m = m.normalize(v);
    }
    if let Some(v) = s("saturation") {
        m = m.saturation(v);
    }
    if let Some(v) = b("adstock_first") {
        m = m.adstock_first(v);
    }
    if let Some(v) = u("yearly_seasonality") {
        m = m.yearly_seasonality(v);
    }
    if let Some(v) = f("period") {
        m = m.period(v);
    }
    if let Some(v) = b("trend") {
        m = m.trend(v);
    }
    if let Some(v) = u("starts") {
        m = m.starts(v);
    }
    match s("uncertainty") {
        Some("laplace") | None => m = m.uncertainty(Uncertainty::Laplace { draws: u("draws").unwrap_or(1000) }),
        Some("none") => m = m.uncertainty(Uncertainty::None),
        Some(other) => panic!("unknown uncertainty {other:?}"),
    }
    if let Some(v) = f("level") {
        m = m.level(v);
    }
    if let Some(v) = params.get("seed").and_then(Value::as_u64) {
        m = m.seed(v);
    }
    m
}

/// The fit's channel names and point shares, in input order.
fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<(Vec<String>, Vec<f64>)> {
    assert_eq!(function, "optimize.mmm", "no runner for function {function:?}");
    let mut data = MmmData::new(series(&input["target"]));
    for (name, spend) in named(input.get("channels")) {
        data = data.channel(name, spend);
    }
    for (name, values) in named(input.get("controls")) {
        data = data.control(name, values);
    }
    let fit = spec(params).fit(&data)?;
    let summary = fit.summary();
    Ok((summary.iter().map(|s| s.channel.clone()).collect(), summary.iter().map(|s| s.share.value).collect()))
}

/// The "within" rule on `share`: inside [share_lo, share_hi] and within the tolerance of share.
fn within(got: (Vec<String>, Vec<f64>), expected: &Value, tol: &Tolerance) -> Result<usize, String> {
    let (names, shares) = got;
    let (mean, lo, hi) = (series(&expected["share"]), series(&expected["share_lo"]), series(&expected["share_hi"]));
    if [mean.len(), lo.len(), hi.len()] != [shares.len(); 3] {
        return Err(format!("{} channels fitted, expected {} / {} / {}", shares.len(), mean.len(), lo.len(), hi.len()));
    }
    let mut bad = Vec::new();
    for (i, &s) in shares.iter().enumerate() {
        let inside = s >= lo[i] && s <= hi[i];
        let near = tol.close(s, mean[i]);
        eprintln!(
            "  {}: channelwise {s:.4}, reference mean {:.4} [{:.4}, {:.4}], diff {:+.4}{}",
            names[i],
            mean[i],
            lo[i],
            hi[i],
            s - mean[i],
            if inside && near { "" } else { "  <- FAILS" }
        );
        if !(inside && near) {
            bad.push(format!(
                "{} share {s}: {} (reference mean {}, interval [{}, {}], {})",
                names[i],
                if inside { "too far from the mean" } else { "outside the interval" },
                mean[i],
                lo[i],
                hi[i],
                tol.describe()
            ));
        }
    }
    if bad.is_empty() {
        Ok(2 * shares.len())
    } else {
        Err(bad.join("; "))
    }
}

#[test]
fn every_mmm_vector_passes() {
    run_prefixed("optimize", &["mmm_"], |f| {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(f).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        if v["check"].as_str() != Some("within") {
            return Err(format!("check {}: this runner knows \"within\"", v["check"]));
        }
        let want: Vec<&str> = v["input"]["channels"].as_object().ok_or("input.channels")?.keys().map(String::as_str).collect();
        check_vector(f, run, |got, expected, tol| {
            if got.0 != want {
                return Err(format!("channels {:?}, expected {want:?}", got.0));
            }
            within(got, expected, tol)
        })
    });
}
