//! Runs every shared vector under `tests/vectors/decide/` against the Rust core: risk levels at
//! and around each threshold of the `RiskRule` table, staged rollout values, auto-approval and
//! guardrail verdicts (caps, change limits, the vendor's change frequency, the anomaly and
//! performance gates), with expected values worked out from the docs by
//! `scripts/reference/make_decide_vectors.py` (standard library Python, not this code).
//!
//! A step to check is written as the core's `StepCheck` with snake_case keys and each exposure
//! as `{ daily_budget, active }`; a verdict is compared by `verdict`, `guardrail`, `until_ms`
//! and, where the vector gives it, the exact `reason`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::decide::decision::{DecisionKind, Proposal, RiskLevel, RiskRule, Value as DValue};
use channelwise::decide::policy::{check, Guardrails, Policy, StepCheck};
use common::{check_vector, compare_fields, num, run_dir, Tolerance};
use serde_json::{json, Map, Value};

/// A vector's JSON read as `T` (a malformed vector is a test bug, not a core error).
fn from<T: serde::de::DeserializeOwned>(v: &Value, what: &str) -> T {
    serde_json::from_value(if v.is_null() { json!({}) } else { v.clone() }).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// A policy from the vector's partial settings (its `risk` given apart as `rule`).
fn policy(input: &Value) -> Policy {
    from(input.get("policy").unwrap_or(&Value::Null), "policy")
}

fn step(s: &Value) -> StepCheck {
    let mut c = StepCheck::new(
        s["entity"].as_str().unwrap(),
        from::<DecisionKind>(&s["kind"], "kind"),
        from::<DValue>(&s["current"], "current"),
        from::<DValue>(&s["target"], "target"),
    );
    for (id, e) in s.get("exposures").and_then(Value::as_object).into_iter().flatten() {
        c = c.exposure(id.clone(), num(&e["daily_budget"]), e["active"].as_bool().unwrap());
    }
    for (id, x) in s.get("lifetime_spend").and_then(Value::as_object).into_iter().flatten() {
        c.lifetime_spend.insert(id.clone(), num(x));
    }
    c.window_start = s.get("window_start").map(num);
    c.recent_changes = s.get("recent_changes").map(|r| from(r, "recent_changes")).unwrap_or_default();
    c.now_ms = s.get("now_ms").and_then(Value::as_i64).unwrap_or(0);
    c.anomaly = s.get("anomaly").and_then(Value::as_str).map(String::from);
    c.performance_breach = s.get("performance_breach").and_then(Value::as_str).map(String::from);
    c.rollback = s.get("rollback").and_then(Value::as_bool).unwrap_or(false);
    c
}

fn run(function: &str, input: &Value, _params: &Value) -> channelwise::Result<Map<String, Value>> {
    let out = match function {
        "decide.risk" => {
            let rule: RiskRule = from(input.get("rule").unwrap_or(&Value::Null), "rule");
            let p: Proposal = from(&input["proposal"], "proposal");
            let r = rule.assess(&p)?;
            let spend = if r.spend.is_infinite() { json!("Infinity") } else { json!(r.spend) };
            json!({ "level": r.level, "change": r.change, "spend": spend, "confidence": r.confidence })
        }
        "decide.stages" => {
            let p = policy(input);
            p.validate()?;
            let stages = p.stages(&from(&input["from"], "from"), &from(&input["to"], "to"));
            json!({ "stages": stages.iter().map(|v| match v { DValue::Money(m) => json!(m), other => json!(other) }).collect::<Vec<_>>() })
        }
        "decide.auto_approves" => {
            let p = policy(input);
            p.validate()?;
            json!({ "approved": p.auto_approves(from::<RiskLevel>(&input["level"], "level")) })
        }
        "decide.guardrails" => {
            let g: Guardrails = from(&input["guardrails"], "guardrails");
            g.validate()?;
            serde_json::to_value(check(&g, &step(&input["step"]))).unwrap()
        }
        other => panic!("unknown function {other}"),
    };
    Ok(out.as_object().unwrap().clone())
}

/// Fields as `compare_fields` does, except a list of stages that are not all numbers (a status
/// change's one stage), compared as they are.
fn compare(got: Map<String, Value>, expected: &Value, tol: &Tolerance) -> Result<usize, String> {
    if let Some(want) = expected.get("stages").filter(|w| w.as_array().is_some_and(|a| a.iter().any(Value::is_string))) {
        return if got.get("stages") == Some(want) { Ok(1) } else { Err(format!("stages: got {:?}, expected {want}", got.get("stages"))) };
    }
    compare_fields(got, expected, tol)
}

#[test]
fn every_decide_vector_passes() {
    run_dir("decide", |f| check_vector(f, run, compare));
}
