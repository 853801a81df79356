//! Runs every shared vector under `tests/vectors/experiment/` (scipy and statsmodels for the
//! frequentist tests and power, gbstats 0.8.0 for relative effects, the Bayesian effect model,
//! CUPED and sequential intervals, mpmath quadrature for the beta-binomial quantities, an
//! independent Gauss-Legendre recursion checked by scipy quad for the group-sequential bounds;
//! written by
//! `benches/compare/make_experiment_vectors.py`) against the Rust core.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::experiment::ab::{self, Alternative, Effect, Moments, Proportion, Summary, TestOptions};
use channelwise::experiment::bayes::{beta_binomial, BetaPrior, EffectBayes, EffectPosterior, GaussianPrior};
use channelwise::experiment::cuped::{adjust, CupedArm};
use channelwise::experiment::power::{proportion_effectsize, NormalIndPower};
use channelwise::experiment::sequential::{GroupSequential, Sequential, SequentialLook, Spending};
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

fn bool_param(params: &Value, key: &str, default: bool) -> bool {
    params.get(key).and_then(Value::as_bool).unwrap_or(default)
}

fn effect_bayes(params: &Value) -> EffectBayes {
    let prior = params.get("prior").filter(|p| !p.is_null()).map(|p| GaussianPrior { mean: num(&p["mean"]), variance: num(&p["variance"]) });
    EffectBayes {
        alpha: param(params, "alpha", 0.05),
        relative: bool_param(params, "relative", true),
        inverse: bool_param(params, "inverse", false),
        prior,
        prior_relative: bool_param(params, "prior_relative", true),
    }
}

fn posterior(m: &mut Map<String, Value>, e: &EffectPosterior) {
    for (k, v) in [
        ("mean", e.mean),
        ("std_dev", e.std_dev),
        ("ci_lower", e.ci_lower),
        ("ci_upper", e.ci_upper),
        ("chance_to_win", e.chance_to_win),
        ("risk_control", e.risk_control),
        ("risk_treatment", e.risk_treatment),
    ] {
        m.insert(k.into(), json!(v));
    }
}

fn sequential(params: &Value) -> Sequential {
    Sequential::default()
        .alpha(param(params, "alpha", 0.05))
        .tuning(param(params, "tuning", 5000.0))
        .relative(bool_param(params, "relative", true))
}

fn look(m: &mut Map<String, Value>, l: &SequentialLook, estimate: &str) {
    for (k, v) in [(estimate, l.estimate), ("std_dev", l.std_error), ("std_error", l.std_error), ("ci_lower", l.ci_lower), ("ci_upper", l.ci_upper), ("p_value", l.p_value)] {
        m.insert(k.into(), json!(v));
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
        "experiment.bayes_binomial" => {
            let prior = params.get("prior").map_or(BetaPrior::default(), |p| serde_json::from_value(p.clone()).expect("a prior"));
            let r = beta_binomial(proportion(&input["a"]), proportion(&input["b"]), prior)?;
            Ok(object(serde_json::to_value(r).expect("serialises")))
        }
        "experiment.gbstats_effect" => {
            let e = effect_bayes(params).fit(&summary(&input["a"], "a")?, &summary(&input["b"], "b")?)?;
            let mut m = Map::new();
            posterior(&mut m, &e);
            Ok(m)
        }
        "experiment.cuped" => {
            let arm = |v: &Value| -> CupedArm { serde_json::from_value(v.clone()).expect("a CUPED arm") };
            let c = adjust(&arm(&input["a"]), &arm(&input["b"]))?;
            let mut m = object(json!({
                "theta": c.theta, "mean_a": c.a.mean, "variance_a": c.a.variance, "mean_b": c.b.mean, "variance_b": c.b.variance,
            }));
            let relative = bool_param(params, "relative", true);
            match params["test"].as_str().expect("test") {
                "welch" => {
                    let t = ab::welch(&c.a, &c.b, &TestOptions::default())?;
                    let e = if relative { t.relative.expect("a relative effect") } else { t.absolute };
                    for (k, v) in [("mean", e.estimate), ("std_dev", e.std_error), ("ci_lower", e.ci_lower), ("ci_upper", e.ci_upper), ("p_value", e.p_value)] {
                        m.insert(k.into(), json!(v));
                    }
                }
                "bayes" => posterior(&mut m, &EffectBayes::default().relative(relative).fit(&c.a, &c.b)?),
                "sequential" => look(&mut m, &sequential(params).look(&c.a, &c.b)?, "mean"),
                other => panic!("unknown test {other}"),
            }
            Ok(m)
        }
        "experiment.sequential" => {
            let mut m = Map::new();
            look(&mut m, &sequential(params).look(&summary(&input["a"], "a")?, &summary(&input["b"], "b")?)?, "estimate");
            Ok(m)
        }
        "experiment.group_sequential" => {
            let spending: Spending = params.get("spending").map_or(Spending::default(), |s| serde_json::from_value(s.clone()).expect("a spending function"));
            let g = GroupSequential::default().alpha(param(params, "alpha", 0.05)).two_sided(bool_param(params, "two_sided", true)).spending(spending);
            let t: Vec<f64> = input["information"].as_array().expect("information").iter().map(num).collect();
            let b = g.bounds(&t)?;
            Ok(object(json!({ "z": b.z, "nominal_alpha": b.nominal_alpha, "spent": b.spent })))
        }
        other => panic!("unknown function {other}"),
    }
}

#[test]
fn experiment_vectors() {
    run_dir("experiment", |path| check_vector(path, run, compare));
}
