//! Runs every shared vector under `tests/vectors/optimize/` against the Rust core: response
//! curves and adstock (written by `benches/compare/make_optimize_vectors.py` from pymc-marketing
//! 0.19.2 and Robyn's formulas) and budget allocation (`budget_*`, written by
//! `benches/compare/make_budget_vectors.py` from closed forms, scipy, grid search and
//! pymc-marketing's `BudgetOptimizer`).
//! Multi-period plans (`budget_periods_*`, written by `benches/compare/make_periods_vectors.py`
//! from scipy SLSQP / trust-constr on the documented objective).
//! Bids (`bids_*`, written by `benches/compare/make_bids_vectors.py` from scikit-learn 1.9.1's
//! `LogisticRegression` on the one-hot cell design and the documented bid formula).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::optimize::bids::{BidModel, Cell, Target};
use channelwise::optimize::budget::periods::{ChannelPlan, Horizon};
use channelwise::optimize::budget::{Allocate, ChannelBudget, MaxChange, Scenario};
use channelwise::optimize::response::{Adstock, Saturation};
use common::{check_vector, compare_fields as compare, num, run_dir};
use serde_json::{json, Map, Value};

fn nums(input: &Value, key: &str) -> Vec<f64> {
    input.get(key).and_then(Value::as_array).map(|a| a.iter().map(num).collect()).unwrap_or_default()
}

/// Numbers as JSON, infinities as the vectors write them.
fn out(v: &[f64]) -> Value {
    Value::Array(
        v.iter()
            .map(|&x| match x {
                f64::INFINITY => json!("Infinity"),
                f64::NEG_INFINITY => json!("-Infinity"),
                x if x.is_nan() => json!("NaN"),
                x => json!(x),
            })
            .collect(),
    )
}

fn p(params: &Value, key: &str) -> f64 {
    num(params.get(key).unwrap_or_else(|| panic!("params.{key} missing")))
}

fn saturation(params: &Value, input: &Value) -> channelwise::Result<Saturation> {
    let kind = params["kind"].as_str().expect("params.kind");
    if kind == "robyn_hill" {
        return Saturation::robyn_hill(p(params, "alpha"), p(params, "gamma"), &nums(input, "x_fit"));
    }
    // the kind's own parameter names, in its order; an unknown kind takes none and is refused
    let names = Saturation::kind_params(kind).unwrap_or(&[]);
    Saturation::from_params(kind, &names.iter().map(|n| p(params, n)).collect::<Vec<_>>())
}

fn adstock(params: &Value) -> channelwise::Result<Adstock> {
    let kind = params["kind"].as_str().expect("params.kind");
    let names = Adstock::kind_params(kind).unwrap_or(&[]);
    let l_max = params["l_max"].as_u64().expect("params.l_max") as usize;
    let normalize = params.get("normalize").and_then(Value::as_bool).unwrap_or(false);
    Adstock::from_params(kind, &names.iter().map(|n| p(params, n)).collect::<Vec<_>>(), l_max, normalize)
}

/// A channel's curve from `{"kind": ..., <parameters>}` (an unknown kind is refused by
/// `Saturation::from_params`).
fn curve(c: &Value) -> channelwise::Result<Saturation> {
    let kind = c["kind"].as_str().expect("curve.kind");
    let names = Saturation::kind_params(kind).unwrap_or(&[]);
    Saturation::from_params(kind, &names.iter().map(|n| p(c, n)).collect::<Vec<_>>())
}

fn channels(input: &Value) -> channelwise::Result<Vec<ChannelBudget>> {
    let list = input["channels"].as_array().expect("input.channels");
    list.iter()
        .map(|c| {
            let name = c["name"].as_str().expect("channel name");
            let mut ch = ChannelBudget::new(name, curve(&c["curve"])?).lower(p(c, "lower")).upper(p(c, "upper"));
            if let Some(cur) = c.get("current") {
                ch = ch.current(num(cur));
            }
            if let Some(l) = c.get("locked").and_then(Value::as_bool) {
                ch = ch.locked(l);
            }
            if let Some(d) = c.get("draws").and_then(Value::as_array) {
                ch = ch.draws(d.iter().map(curve).collect::<channelwise::Result<Vec<_>>>()?);
            }
            Ok(ch)
        })
        .collect()
}

fn allocate(params: &Value) -> Allocate {
    let spend_all = params.get("spend_all").and_then(Value::as_bool).unwrap_or(true);
    let mut a = match params.get("budget") {
        Some(b) if !b.is_null() => {
            if spend_all {
                Allocate::budget(num(b))
            } else {
                Allocate::at_most(num(b))
            }
        }
        _ => Allocate::unbudgeted(),
    };
    match params.get("max_change") {
        Some(m) if m.get("relative").is_some() => a = a.max_change(MaxChange::Relative(p(m, "relative"))),
        Some(m) if m.get("absolute").is_some() => a = a.max_change(MaxChange::Absolute(p(m, "absolute"))),
        Some(Value::Null) | None => {}
        Some(m) => panic!("unknown max_change {m}"),
    }
    if let Some(s) = params.get("scenario") {
        let value = || p(s, "value");
        a = a.scenario(match s["kind"].as_str().expect("scenario.kind") {
            "max_response" => Scenario::MaxResponse,
            "target_marginal_roas" => Scenario::TargetMarginalRoas(value()),
            "target_roas" => Scenario::TargetRoas(value()),
            "min_spend_for_response" => Scenario::MinSpendForResponse(value()),
            other => panic!("unknown scenario {other:?}"),
        });
    }
    if let Some(t) = params.get("tolerance") {
        a = a.tolerance(num(t));
    }
    match params.get("objective") {
        Some(o) if o["kind"] == "expected" => a = a.expected(true),
        Some(o) if o["kind"] == "cvar" => a = a.cvar(p(o, "level")),
        Some(o) if o["kind"] == "curve" => {}
        Some(o) => panic!("unknown objective {o}"),
        None => {}
    }
    a
}

/// `optimize.plan`: channels with curve, adstock (read like `optimize.adstock`'s params),
/// carry-over, bounds and order; the horizon from per-period `budgets` or `periods` + `total`.
fn plan(input: &Value, params: &Value) -> channelwise::Result<Value> {
    let chans = input["channels"]
        .as_array()
        .expect("input.channels")
        .iter()
        .map(|c| {
            let name = c["name"].as_str().expect("channel name");
            Ok(ChannelPlan::new(name, curve(&c["curve"])?, adstock(&c["adstock"])?)
                .pre(nums(c, "pre"))
                .bounds(p(c, "lower"), p(c, "upper"))
                .saturation_first(c.get("saturation_first").and_then(Value::as_bool).unwrap_or(false)))
        })
        .collect::<channelwise::Result<Vec<_>>>()?;
    let mut h = match params.get("budgets") {
        Some(b) => Horizon::per_period(b.as_array().expect("params.budgets").iter().map(num).collect()),
        None => Horizon::total(params["periods"].as_u64().expect("params.periods") as usize, p(params, "total")),
    };
    if let Some(pr) = params.get("profile").filter(|v| !v.is_null()) {
        h = h.profile(pr.as_array().expect("params.profile").iter().map(num).collect());
    }
    if let Some(t) = params.get("tail").and_then(Value::as_bool) {
        h = h.tail(t);
    }
    if let Some(t) = params.get("tolerance") {
        h = h.tolerance(num(t));
    }
    let plan = h.solve(&chans)?;
    Ok(json!({ "spend": plan.spend.iter().map(|s| out(s)).collect::<Vec<_>>(), "total_response": plan.total_response }))
}

/// [`compare`] with nested arrays (a plan's `spend[channel][period]`) flattened on both sides.
fn compare_nested(got: Map<String, Value>, expected: &Value, tol: &common::Tolerance) -> Result<usize, String> {
    fn flat(v: &Value) -> Value {
        match v {
            Value::Array(a) if a.iter().any(Value::is_array) => {
                let mut f = Vec::new();
                for x in a {
                    match flat(x) {
                        Value::Array(inner) => f.extend(inner),
                        other => f.push(other),
                    }
                }
                Value::Array(f)
            }
            other => other.clone(),
        }
    }
    let got: Map<String, Value> = got.iter().map(|(k, v)| (k.clone(), flat(v))).collect();
    let expected: Map<String, Value> = expected.as_object().ok_or("expected is not an object")?.iter().map(|(k, v)| (k.clone(), flat(v))).collect();
    compare(got, &Value::Object(expected), tol)
}

/// `optimize.bids`: the level multipliers (first-seen order, factor by factor), then each
/// query's bid and probability.
fn bids(input: &Value, params: &Value) -> channelwise::Result<Value> {
    let strs = |v: &Value| -> Vec<String> { v.as_array().expect("a list of strings").iter().map(|s| s.as_str().expect("a string").to_string()).collect() };
    let factors = strs(&input["factors"]);
    let names: Vec<&str> = factors.iter().map(String::as_str).collect();
    let target = &params["target"];
    let target = match (target.get("roas"), target.get("cpa")) {
        (Some(r), _) => Target::Roas(num(r)),
        (_, Some(c)) => Target::Cpa(num(c)),
        _ => panic!("params.target: {{roas}} or {{cpa}}"),
    };
    let mut spec = BidModel::new(&names, target).c(p(params, "c")).floor(p(params, "floor")).cap(p(params, "cap"));
    if let Some(m) = params.get("max_change").filter(|m| !m.is_null()) {
        spec = spec.max_change(num(m));
    }
    let cells: Vec<Cell> = input["cells"]
        .as_array()
        .expect("input.cells")
        .iter()
        .map(|c| Cell { context: strs(&c["context"]), clicks: num(&c["clicks"]), conversions: num(&c["conversions"]), value: num(&c["value"]) })
        .collect();
    let fit = spec.fit(&cells)?;
    let multiplier: Vec<f64> = fit.multipliers().iter().map(|l| l.multiplier).collect();
    let (mut bid, mut probability) = (Vec::new(), Vec::new());
    for q in input["queries"].as_array().expect("input.queries") {
        let ctx = strs(&q["context"]);
        let ctx: Vec<&str> = ctx.iter().map(String::as_str).collect();
        let current = q.get("current").filter(|c| !c.is_null()).map(num);
        let b = fit.bid(&ctx, current)?;
        bid.push(b.bid);
        probability.push(b.probability);
    }
    Ok(json!({ "multiplier": out(&multiplier), "bid": out(&bid), "probability": out(&probability) }))
}

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let result = match function {
        "optimize.saturation" => {
            let s = saturation(params, input)?;
            let x = nums(input, "x");
            let mut r = json!({ "value": out(&s.values(&x)?), "derivative": out(&s.derivatives(&x)?) });
            if input.get("m").is_some() {
                r["inverse_marginal"] = out(&s.inverse_marginals(&nums(input, "m"))?);
            }
            r
        }
        "optimize.adstock" => {
            let a = adstock(params)?;
            json!({ "value": out(&a.apply(&nums(input, "x"), &nums(input, "pre"))?), "weights": out(&a.weights()) })
        }
        "optimize.allocate" => {
            let a = allocate(params).solve(&channels(input)?)?;
            let spend: Vec<f64> = a.rows.iter().map(|r| r.spend).collect();
            let mut r = json!({ "spend": out(&spend), "total_response": a.total_response, "total_spend": a.total_spend });
            if let Some(c) = a.cvar {
                r["cvar"] = json!(c);
            }
            r
        }
        "optimize.bids" => bids(input, params)?,
        "optimize.plan" => plan(input, params)?,
        other => panic!("no runner for function {other:?}"),
    };
    Ok(result.as_object().expect("an object").clone())
}

#[test]
fn every_optimize_vector_passes() {
    // mmm_* (whole media mix model fits against pymc-marketing) have their own runner,
    // vectors_mmm.rs, and count as 0 values here
    let elsewhere = |f: &std::path::Path| f.file_name().unwrap_or_default().to_string_lossy().starts_with("mmm_");
    run_dir("optimize", |f| if elsewhere(f) { Ok(0) } else { check_vector(f, run, compare_nested) });
}
