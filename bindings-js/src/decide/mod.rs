//! `decide.*`: the decision engine's pure rules (the core's `decide::{decision, policy}`): risk
//! levels, auto-approval, staged rollout values, guardrail verdicts and policy checks, in Node
//! and the browser; and the Node-only [`engine`] (`decide.Engine`).
//!
//! Settings and decisions cross as the core's serde documents with camelCase keys (`lowChange`,
//! `accountDailyCap`) and snake_case values (`'budget'`, `'rolled_back'`), except the keys of
//! the maps keyed by entity id (`campaignDailyCap`, `campaignLifetimeCap`, a step's `exposures`
//! and `lifetimeSpend`), which are ids and stay as written. An unknown key anywhere is
//! `invalid_parameter` naming it (`policy.guardrails.accountDailyCapp`); a value out of its
//! range is the core's error with its field as JS writes it (`policy.risk.lowChange`,
//! `proposal.to`).

pub mod engine;

use std::collections::BTreeMap;

use channelwise::decide::decision::{DecisionKind, Proposal, RiskLevel, RiskRule, Value as DValue};
use channelwise::decide::policy::{
    self, Guardrails, Performance, PerformanceGuard, Policy, StepCheck,
};
use channelwise::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::api::{arg, job, Job};
use crate::host::Host;
use crate::keys::{camel, snake};
use crate::optimize::renamed;
use crate::out::Out;
use crate::{js_result, read};

// ---- documents -------------------------------------------------------------------------------

/// Fields (snake_case) whose value is a map keyed by entity id: their keys are data.
const ID_MAPS: &[&str] = &[
    "campaign_daily_cap",
    "campaign_lifetime_cap",
    "exposures",
    "lifetime_spend",
];

/// `v` with every key renamed by `f`, at every depth, but the ids of [`ID_MAPS`].
fn rekey(v: Value, f: fn(&str) -> String) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| {
                    let x = match x {
                        Value::Object(ids) if ID_MAPS.contains(&snake(&k).as_str()) => {
                            Value::Object(
                                ids.into_iter().map(|(id, y)| (id, rekey(y, f))).collect(),
                            )
                        }
                        x => rekey(x, f),
                    };
                    (f(&k), x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| rekey(x, f)).collect()),
        x => x,
    }
}

/// A core error about field `f` of a document given as `root`, named as JS writes it.
pub(crate) fn at(e: Error, root: &str) -> Error {
    renamed(e, |f| {
        Some(if root.is_empty() {
            camel(f)
        } else {
            format!("{root}.{}", camel(f))
        })
    })
}

/// The first key of `given` that `known` (the same document written back by serde) lacks.
fn unknown_key(given: &Value, known: &Value, path: &str, ids: bool) -> Result<()> {
    match (given, known) {
        (Value::Object(g), Value::Object(k)) => {
            for (key, x) in g {
                let here = if ids {
                    format!("{path}.{key}")
                } else {
                    format!("{path}.{}", camel(key))
                };
                let Some(y) = k.get(key) else {
                    let mut expected: Vec<String> = k.keys().map(|s| camel(s)).collect();
                    expected.sort();
                    return Err(Error::InvalidParameter {
                        field: here,
                        value: camel(key),
                        reason: format!("unknown key (expected one of {})", expected.join(", ")),
                    });
                };
                unknown_key(x, y, &here, !ids && ID_MAPS.contains(&key.as_str()))?;
            }
            Ok(())
        }
        (Value::Array(g), Value::Array(k)) => {
            for (i, (x, y)) in g.iter().zip(k).enumerate() {
                unknown_key(x, y, &format!("{path}[{i}]"), false)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A JS value read as the core's document `T` (camelCase keys), given as `field`: the serde
/// error (a missing key named as `field.key`) or an unknown key is `invalid_parameter`.
///
/// # Errors
/// `invalid_parameter` as above.
pub(crate) fn doc<H: Host, T: DeserializeOwned + Serialize>(
    h: H,
    v: &H::V,
    field: &str,
) -> Result<T> {
    let tree = crate::keys::tree(h, v, field)?;
    let snaked = rekey(tree.clone(), snake);
    let t: T = crate::keys::from_tree(&snaked, &tree, field)?;
    let tree = snaked;
    let known = serde_json::to_value(&t)
        .map_err(|e| Error::Internal(format!("serialising {field}: {e}")))?;
    unknown_key(&tree, &known, field, false)?;
    Ok(t)
}

/// An optional document (`undefined` / `null`: `T::default()`).
pub(crate) fn doc_or_default<H: Host, T: DeserializeOwned + Serialize + Default>(
    h: H,
    v: &H::V,
    field: &str,
) -> Result<T> {
    match read::given(h, v.clone()) {
        Some(v) => doc(h, &v, field),
        None => Ok(T::default()),
    }
}

/// The core's serde form of `value` with camelCase keys (ids kept), as a JS object tree.
///
/// # Errors
/// `internal` if it does not serialise.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<Out> {
    let v =
        serde_json::to_value(value).map_err(|e| Error::Internal(format!("serialising: {e}")))?;
    crate::serde_js::to_out(&rekey(v, camel))
}

/// A checked policy given as `field` (defaults for every key left out).
///
/// # Errors
/// As [`doc`]; the core's range errors naming `field.<setting>`.
pub(crate) fn read_policy<H: Host>(h: H, v: &H::V, field: &str) -> Result<Policy> {
    let p: Policy = doc_or_default(h, v, field)?;
    p.validate().map_err(|e| at(e, field))?;
    Ok(p)
}

/// A core error about a part of a policy (`risk.low_change`, `guardrails.account_daily_cap`)
/// named as JS writes it when the part is given alone as `field` (`rule.lowChange`).
fn part_of_policy(e: Error, part: &str, field: &str) -> Error {
    renamed(e, |f| {
        let f = f
            .strip_prefix(part)
            .and_then(|r| r.strip_prefix('.'))
            .unwrap_or(f);
        Some(format!("{field}.{}", camel(f)))
    })
}

fn read_rule<H: Host>(h: H, v: &H::V, field: &str) -> Result<RiskRule> {
    let r: RiskRule = doc_or_default(h, v, field)?;
    r.validate().map_err(|e| part_of_policy(e, "risk", field))?;
    Ok(r)
}

/// A checked proposal given as `field`.
pub(crate) fn read_proposal<H: Host>(h: H, v: &H::V, field: &str) -> Result<Proposal> {
    let p: Proposal = doc(h, v, field)?;
    p.validate().map_err(|e| at(e, field))?;
    Ok(p)
}

// ---- risk and approval -----------------------------------------------------------------------

js_result! {
    /// The numbers behind a risk level (`decide.assessRisk`).
    pub struct Risk {
        /// `'low'`, `'medium'` or `'high'`.
        level: String,
        /// Relative change: `|to - from| / max(from, minBase)` for money, 1 for a status,
        /// targeting or creative change (0 when it sets what is already there).
        change: f64,
        /// Daily spend at stake (`Infinity` when the proposal does not say and it is no budget).
        spend: f64,
        /// The proposal's confidence.
        confidence: f64,
    }
}

fn level_name(l: RiskLevel) -> String {
    match l {
        RiskLevel::Low => "low",
        RiskLevel::Medium => "medium",
        RiskLevel::High => "high",
    }
    .into()
}

fn read_level<H: Host>(h: H, v: &H::V, field: &str) -> Result<RiskLevel> {
    let s = read::string(h, v, field)?;
    serde_json::from_value(Value::String(s.clone())).map_err(|_| Error::InvalidParameter {
        field: field.into(),
        value: s,
        reason: "expected 'low', 'medium' or 'high'".into(),
    })
}

/// `decide.assessRisk(proposal, rule?)`.
pub fn assess_risk<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let p = read_proposal(h, &arg(h, a, 0)?, "proposal")?;
    let rule = read_rule(h, &arg(h, a, 1)?, "rule")?;
    let r = rule.assess(&p)?;
    job(move || {
        Ok(Risk {
            level: level_name(r.level),
            change: r.change,
            spend: r.spend,
            confidence: r.confidence,
        })
    })
}

/// `decide.riskLevel(change, spend, confidence, rule?)`.
pub fn risk_level<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let change = read::number(h, &arg(h, a, 0)?, "change")?;
    let spend = read::number(h, &arg(h, a, 1)?, "spend")?;
    let confidence = read::number(h, &arg(h, a, 2)?, "confidence")?;
    for (f, x) in [("change", change), ("confidence", confidence)] {
        if x.is_nan() {
            return Err(Error::NonFinite {
                field: f.into(),
                value: x,
            });
        }
    }
    if spend.is_nan() {
        return Err(Error::NonFinite {
            field: "spend".into(),
            value: spend,
        });
    }
    let rule = read_rule(h, &arg(h, a, 3)?, "rule")?;
    job(move || Ok(level_name(rule.level(change, spend, confidence))))
}

/// `decide.autoApproves(policy, level)`.
pub fn auto_approves<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let p = read_policy(h, &arg(h, a, 0)?, "policy")?;
    let level = read_level(h, &arg(h, a, 1)?, "level")?;
    job(move || Ok(p.auto_approves(level)))
}

/// `decide.stages(policy, from, to)`.
pub fn stages<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let p = read_policy(h, &arg(h, a, 0)?, "policy")?;
    let from: DValue = doc(h, &arg(h, a, 1)?, "from")?;
    let to: DValue = doc(h, &arg(h, a, 2)?, "to")?;
    job(move || to_js(&p.stages(&from, &to)))
}

/// `decide.validatePolicy(policy)`: the policy with every default filled in.
pub fn validate_policy<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let p = read_policy(h, &arg(h, a, 0)?, "policy")?;
    job(move || to_js(&p))
}

// ---- guardrails ------------------------------------------------------------------------------

/// An entity's worst-case daily budget and whether it is active, as a step gives it.
#[derive(serde::Deserialize, Serialize)]
struct Exposure {
    daily_budget: f64,
    active: bool,
}

/// A step to check, as JS gives it (`StepCheck` with camelCase keys).
#[derive(serde::Deserialize, Serialize)]
struct Step {
    entity: String,
    kind: DecisionKind,
    current: DValue,
    target: DValue,
    #[serde(default)]
    window_start: Option<f64>,
    #[serde(default)]
    exposures: BTreeMap<String, Exposure>,
    #[serde(default)]
    lifetime_spend: BTreeMap<String, f64>,
    #[serde(default)]
    recent_changes: Vec<i64>,
    #[serde(default)]
    now_ms: i64,
    #[serde(default)]
    anomaly: Option<String>,
    #[serde(default)]
    performance_breach: Option<String>,
    #[serde(default)]
    rollback: bool,
}

impl From<Step> for StepCheck {
    fn from(s: Step) -> Self {
        let mut c = StepCheck::new(s.entity, s.kind, s.current, s.target);
        c.exposures = s
            .exposures
            .into_iter()
            .map(|(id, e)| (id, (e.daily_budget, e.active)))
            .collect();
        // a budget step whose entity has no exposure: its own budget is `current`, active (the
        // core's check would otherwise take it as 0, so any budget would raise spend)
        if let (DecisionKind::Budget, Some(DValue::Money(b))) = (s.kind, &c.current) {
            let b = *b;
            c.exposures.entry(c.entity.clone()).or_insert((b, true));
        }
        c.window_start = s.window_start;
        c.lifetime_spend = s.lifetime_spend;
        c.recent_changes = s.recent_changes;
        c.now_ms = s.now_ms;
        c.anomaly = s.anomaly;
        c.performance_breach = s.performance_breach;
        c.rollback = s.rollback;
        c
    }
}

fn read_guardrails<H: Host>(h: H, v: &H::V, field: &str) -> Result<Guardrails> {
    let g: Guardrails = doc_or_default(h, v, field)?;
    g.validate()
        .map_err(|e| part_of_policy(e, "guardrails", field))?;
    Ok(g)
}

/// `x >= 0` (infinity allowed), or the core's `non_finite` / `out_of_range` naming `field`.
fn non_negative(field: &str, x: f64) -> Result<()> {
    if x.is_nan() {
        return Err(Error::NonFinite {
            field: field.into(),
            value: x,
        });
    }
    if x < 0.0 {
        return Err(Error::OutOfRange {
            field: field.into(),
            value: x,
            min: 0.0,
            max: f64::INFINITY,
        });
    }
    Ok(())
}

/// `decide.checkGuardrails(guardrails, step)`.
pub fn check_guardrails<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let g = read_guardrails(h, &arg(h, a, 0)?, "guardrails")?;
    let step: Step = doc(h, &arg(h, a, 1)?, "step")?;
    for (id, e) in &step.exposures {
        non_negative(&format!("step.exposures.{id}.dailyBudget"), e.daily_budget)?;
    }
    let step = StepCheck::from(step);
    job(move || to_js(&policy::check(&g, &step)))
}

/// `decide.capsBreach(guardrails, exposures)`: the first daily cap breached, or `null`.
pub fn caps_breach<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let g = read_guardrails(h, &arg(h, a, 0)?, "guardrails")?;
    let v = arg(h, a, 1)?;
    let tree = crate::keys::tree(h, &v, "exposures")?;
    // ids as given; each exposure's keys camelCase
    let given = serde_json::json!({ "exposures": tree.clone() });
    let tree = rekey(given.clone(), snake);
    let e: BTreeMap<String, Exposure> =
        crate::keys::from_tree(&tree["exposures"], &given["exposures"], "exposures")?;
    let exposures = e
        .into_iter()
        .map(|(id, x)| (id, (x.daily_budget, x.active)))
        .collect();
    job(move || {
        Ok(match policy::caps_breach(&g, &exposures) {
            Some((guardrail, reason)) => Out::Object(vec![
                ("guardrail".into(), Some(Out::String(guardrail))),
                ("reason".into(), Some(Out::String(reason))),
            ]),
            None => Out::Null,
        })
    })
}

/// `decide.performanceBreach(guard, performance)`: why it breaches, or `null`.
pub fn performance_breach<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let g: PerformanceGuard = doc_or_default(h, &arg(h, a, 0)?, "guard")?;
    let p: Performance = doc(h, &arg(h, a, 1)?, "performance")?;
    for (f, x) in [
        ("performance.spend", p.spend),
        ("performance.conversions", p.conversions),
        ("performance.value", p.value),
    ] {
        non_negative(f, x)?;
    }
    job(move || Ok(g.breach(&p).map_or(Out::Null, Out::String)))
}

// ---- TypeScript ------------------------------------------------------------------------------

/// The hand-written types of `decide.*` (the core's serde documents, camelCase).
const DECIDE_TS: &str = include_str!("decide.d.ts");

/// The TypeScript declarations of `decide.*`.
pub fn declarations() -> Vec<String> {
    use crate::decl::Declared;
    vec![DECIDE_TS.to_string(), Risk::declaration()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_keep_their_spelling_and_unknown_keys_are_named() {
        let given = json!({ "guardrails": { "campaignDailyCap": { "searchUS": 1, "a_b": 2 }, "accountDailyCap": 3 } });
        let snake_tree = rekey(given, snake);
        assert_eq!(
            snake_tree,
            json!({ "guardrails": { "campaign_daily_cap": { "searchUS": 1, "a_b": 2 }, "account_daily_cap": 3 } })
        );
        let p: Policy = serde_json::from_value(snake_tree.clone()).expect("a policy");
        let known = serde_json::to_value(&p).expect("serialises");
        assert!(unknown_key(&snake_tree, &known, "policy", false).is_ok());
        assert_eq!(
            rekey(known.clone(), camel)["guardrails"]["campaignDailyCap"],
            json!({ "searchUS": 1.0, "a_b": 2.0 })
        );

        let typo = json!({ "guardrails": { "account_daily_capp": 3 } });
        let e = unknown_key(&typo, &known, "policy", false).expect_err("unknown");
        assert!(
            e.to_string().contains("policy.guardrails.accountDailyCapp"),
            "{e}"
        );
        assert!(
            e.to_string().contains("accountDailyCap,"),
            "lists the keys: {e}"
        );
    }

    #[test]
    fn a_threshold_is_named_where_it_was_given() {
        let e = RiskRule {
            low_change: 0.9,
            ..RiskRule::default()
        }
        .validate()
        .expect_err("out of range");
        let e = part_of_policy(e, "risk", "rule");
        assert!(
            e.to_string().starts_with("rule.lowChange must be in"),
            "{e}"
        );
    }
}
