//! Runs every shared vector under `tests/vectors/clv/` (BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma CDNOW fits and BG/BB donation fits against the exact MLE of
//! lifetimes 0.11.3's objectives and the published estimates, lifetimes' predictions, mpmath for
//! heavy buyers and 2F1, Fader & Hardie 2007 for sBG, lifetimes' penalised objectives, lifetimes' RFM summaries; written by
//! `benches/compare/make_clv_vectors.py`) against the Rust core.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::clv::bg_bb::{BetaGeoBetaBinom, BetaGeoBetaBinomParams};
use channelwise::clv::bg_nbd::{BetaGeo, BetaGeoParams};
use channelwise::clv::gamma_gamma::{GammaGamma, GammaGammaParams};
use channelwise::clv::hyp2f1::ln_hyp2f1;
use channelwise::clv::mbg_nbd::{ModifiedBetaGeo, ModifiedBetaGeoParams};
use channelwise::clv::pareto_nbd::{ParetoNbd, ParetoNbdParams};
use channelwise::clv::rfm::{calibration_and_holdout, summary, Period, RfmOptions};
use channelwise::clv::sbg::{ShiftedBetaGeo, ShiftedBetaGeoParams};
use channelwise::clv::Freq;
use common::{check_vector, compare_fields as compare, num, run_dir};
use serde_json::{json, Map, Value};

fn col(input: &Value, name: &str) -> Vec<f64> {
    input[name].as_array().unwrap_or_else(|| panic!("input.{name}")).iter().map(num).collect()
}

fn opt_col(input: &Value, name: &str) -> Option<Vec<f64>> {
    input.get(name).and_then(Value::as_array).map(|a| a.iter().map(num).collect())
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().expect("an object").clone()
}

fn rfm_opts(params: &Value) -> channelwise::Result<RfmOptions> {
    Ok(RfmOptions {
        freq: Period::parse(params["freq"].as_str().expect("params.freq"))?,
        freq_multiplier: params.get("freq_multiplier").map_or(1.0, num),
        observation_end: params.get("observation_end").and_then(Value::as_i64),
    })
}

/// The fit's fields of a BG/NBD-family model (`r, alpha, a, b`).
macro_rules! bg_fit {
    ($f:expr) => {{
        let f = $f;
        let (q, e) = (f.params, f.std_errors);
        Ok(obj(json!({"r": q.r, "alpha": q.alpha, "a": q.a, "b": q.b, "log_likelihood": f.log_likelihood, "std_errors": [e.r, e.alpha, e.a, e.b]})))
    }};
}

/// The predictions of a BG/NBD-family model at the vector's parameters.
macro_rules! bg_predict {
    ($m:expr, $input:expr, $params:expr) => {{
        let (input, params) = ($input, $params);
        let p = |k: &str| num(&params[k]);
        let (x, tx, t) = (col(input, "frequency"), col(input, "recency"), col(input, "T"));
        let m = $m(p("r"), p("alpha"), p("a"), p("b"))?;
        let mut out = json!({
            "p_alive": m.p_alive(&x, &tx, &t)?,
            "expected_purchases": m.expected_purchases(p("horizon"), &x, &tx, &t)?,
            "expected_purchases_unconditional": m.expected_purchases_unconditional(p("t"))?,
        });
        if let Some(n_max) = params.get("n_max").and_then(Value::as_u64) {
            let probs: Vec<f64> = (0..=n_max as u32).map(|n| m.probability_of_purchases(n, p("t"))).collect::<Result<_, _>>()?;
            out["probability_of_purchases"] = json!(probs);
        }
        let lls: Vec<f64> = (0..x.len()).map(|i| m.log_likelihood(&x[i..=i], &tx[i..=i], &t[i..=i], None)).collect::<Result<_, _>>()?;
        out["log_likelihood"] = json!(lls);
        Ok(obj(out))
    }};
}

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let p = |k: &str| num(&params[k]);
    // lifetimes' penalizer_coef, where the vector sets one
    let pen = params.get("penalizer_coef").map_or(0.0, num);
    match function {
        "clv.bg_nbd.fit" | "clv.mbg_nbd.fit" | "clv.pareto_nbd.fit" => {
            let (x, tx, t, w) = (col(input, "frequency"), col(input, "recency"), col(input, "T"), opt_col(input, "weights"));
            if function == "clv.bg_nbd.fit" {
                bg_fit!(BetaGeo::default().penalizer_coef(pen).fit(&x, &tx, &t, w.as_deref())?)
            } else if function == "clv.mbg_nbd.fit" {
                bg_fit!(ModifiedBetaGeo::default().penalizer_coef(pen).fit(&x, &tx, &t, w.as_deref())?)
            } else {
                let f = ParetoNbd::default().penalizer_coef(pen).fit(&x, &tx, &t, w.as_deref())?;
                let (q, e) = (f.params, f.std_errors);
                Ok(obj(json!({"r": q.r, "alpha": q.alpha, "s": q.s, "beta": q.beta, "log_likelihood": f.log_likelihood, "std_errors": [e.r, e.alpha, e.s, e.beta]})))
            }
        }
        "clv.bg_nbd.predict" => bg_predict!(BetaGeoParams::new, input, params),
        "clv.mbg_nbd.predict" => bg_predict!(ModifiedBetaGeoParams::new, input, params),
        "clv.pareto_nbd.predict" => {
            let (x, tx, t) = (col(input, "frequency"), col(input, "recency"), col(input, "T"));
            let m = ParetoNbdParams::new(p("r"), p("alpha"), p("s"), p("beta"))?;
            let mut out = json!({ "p_alive": m.p_alive(&x, &tx, &t)? });
            if params.get("horizon").is_some() {
                out["expected_purchases"] = json!(m.expected_purchases(p("horizon"), &x, &tx, &t)?);
                out["expected_purchases_unconditional"] = json!(m.expected_purchases_unconditional(p("t"))?);
            }
            // per-customer log-likelihoods
            let lls: Vec<f64> = (0..x.len()).map(|i| m.log_likelihood(&x[i..=i], &tx[i..=i], &t[i..=i], None)).collect::<Result<_, _>>()?;
            out["log_likelihood"] = json!(lls);
            Ok(obj(out))
        }
        "clv.bg_bb.fit" => {
            let f = BetaGeoBetaBinom::default().penalizer_coef(pen).fit(&col(input, "frequency"), &col(input, "recency"), &col(input, "n_periods"), opt_col(input, "weights").as_deref())?;
            let (q, e) = (f.params, f.std_errors);
            Ok(obj(json!({"alpha": q.alpha, "beta": q.beta, "gamma": q.gamma, "delta": q.delta, "log_likelihood": f.log_likelihood, "std_errors": [e.alpha, e.beta, e.gamma, e.delta]})))
        }
        "clv.bg_bb.predict" => {
            let (x, tx, n) = (col(input, "frequency"), col(input, "recency"), col(input, "n_periods"));
            let m = BetaGeoBetaBinomParams::new(p("alpha"), p("beta"), p("gamma"), p("delta"))?;
            let (mp, np) = (params["m_periods"].as_u64().expect("m_periods") as u32, params["n_periods"].as_u64().expect("n_periods") as u32);
            let probs: Vec<f64> = (0..=np).map(|k| m.probability_of_purchases(k, np)).collect::<Result<_, _>>()?;
            Ok(obj(json!({
                "p_alive": m.p_alive(mp, &x, &tx, &n)?,
                "expected_purchases": m.expected_purchases(mp, &x, &tx, &n)?,
                "expected_purchases_unconditional": m.expected_purchases_unconditional(np)?,
                "probability_of_purchases": probs,
            })))
        }
        "clv.gamma_gamma.fit" => {
            let f = GammaGamma::default().penalizer_coef(pen).fit(&col(input, "frequency"), &col(input, "monetary_value"), opt_col(input, "weights").as_deref())?;
            let (q, e) = (f.params, f.std_errors);
            Ok(obj(json!({"p": q.p, "q": q.q, "v": q.v, "log_likelihood": f.log_likelihood, "std_errors": [e.p, e.q, e.v]})))
        }
        "clv.gamma_gamma.predict" => {
            let (x, tx, t, m) = (col(input, "frequency"), col(input, "recency"), col(input, "T"), col(input, "monetary_value"));
            let gg = GammaGammaParams::new(p("p"), p("q"), p("v"))?;
            let b = &params["bg"];
            let bg = BetaGeoParams::new(num(&b["r"]), num(&b["alpha"]), num(&b["a"]), num(&b["b"]))?;
            let months = params["months"].as_u64().expect("months") as u32;
            let clv = gg.customer_lifetime_value(&bg, &x, &tx, &t, &m, months, p("discount_rate"), Freq::parse(params["freq"].as_str().expect("freq"))?)?;
            Ok(obj(json!({"expected_spend": gg.expected_spend(&x, &m)?, "clv": clv})))
        }
        "clv.sbg.fit" => {
            let f = ShiftedBetaGeo::default().penalizer_coef(pen).fit(&col(input, "survivors"))?;
            Ok(obj(json!({"alpha": f.params.alpha, "beta": f.params.beta, "log_likelihood": f.log_likelihood, "std_errors": [f.std_errors.alpha, f.std_errors.beta]})))
        }
        "clv.sbg.predict" => {
            let m = ShiftedBetaGeoParams::new(p("alpha"), p("beta"))?;
            let periods = params["periods"].as_u64().expect("periods") as u32;
            Ok(obj(json!({"survival": m.survival_curve(periods)?, "retention": m.retention_curve(periods)?})))
        }
        "clv.rfm.summary" | "clv.rfm.calibration_and_holdout" => {
            let ids: Vec<&str> = input["customer_id"].as_array().expect("customer_id").iter().map(|v| v.as_str().expect("string id")).collect();
            let ts: Vec<i64> = input["datetime"].as_array().expect("datetime").iter().map(|v| v.as_i64().expect("integer seconds")).collect();
            let m = opt_col(input, "monetary_value");
            let opts = rfm_opts(params)?;
            if function == "clv.rfm.summary" {
                let s = summary(&ids, &ts, m.as_deref(), &opts)?;
                Ok(obj(json!({"customer_id": s.customer_id, "frequency": s.frequency, "recency": s.recency, "T": s.t, "monetary_value": s.monetary_value})))
            } else {
                let c = calibration_and_holdout(&ids, &ts, m.as_deref(), params["calibration_end"].as_i64().expect("calibration_end"), &opts)?;
                let s = c.calibration;
                Ok(obj(json!({"customer_id": s.customer_id, "frequency_cal": s.frequency, "recency_cal": s.recency, "T_cal": s.t,
                    "monetary_value_cal": s.monetary_value, "frequency_holdout": c.frequency_holdout,
                    "monetary_value_holdout": c.monetary_value_holdout, "duration_holdout": c.duration_holdout})))
            }
        }
        "clv.hyp2f1" => {
            let (a, b, c, z) = (col(input, "a"), col(input, "b"), col(input, "c"), col(input, "z"));
            let v: Vec<(f64, f64)> = (0..a.len()).map(|i| ln_hyp2f1(a[i], b[i], c[i], z[i])).collect::<Result<_, _>>()?;
            Ok(obj(json!({ "ln_value": v.iter().map(|r| r.0).collect::<Vec<_>>(), "sign": v.iter().map(|r| r.1).collect::<Vec<_>>() })))
        }
        other => panic!("no runner for function {other:?}"),
    }
}

/// `compare_fields`, with arrays of strings (customer ids) compared exactly.
fn compare_clv(got: Map<String, Value>, expected: &Value, tol: &common::Tolerance) -> Result<usize, String> {
    let mut numeric = Map::new();
    let mut checked = 0;
    for (k, want) in expected.as_object().ok_or("expected is not an object")? {
        if want.as_array().is_some_and(|a| a.first().is_some_and(Value::is_string)) {
            if got.get(k) != Some(want) {
                return Err(format!("{k}: ids differ"));
            }
            checked += 1;
        } else {
            numeric.insert(k.clone(), want.clone());
        }
    }
    Ok(checked + compare(got, &Value::Object(numeric), tol)?)
}

#[test]
fn every_clv_vector_passes() {
    run_dir("clv", |f| check_vector(f, run, compare_clv));
}
