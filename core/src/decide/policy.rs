//! The approval policy and the guardrails: pure functions of settings and numbers, so every rule
//! is tested without a store or a platform (and runs in the browser).
//!
//! # Approval ([`Policy`])
//! A decision whose risk is at most `auto_approve` is approved by the policy (approver
//! `"policy"`) and executes without a person; the rest wait as pending for a named approver.
//! A decision not executed before `created + ttl` expires and is never executed. A money change
//! larger than `stage_above` (relative) rolls out in stages: first `first_stage` of the change,
//! then the rest, no sooner than `stage_wait_ms` later and only after the first stage was
//! verified and the guardrails pass again. In `dry_run` the engine does everything but the
//! platform's apply and records the would-be change.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `risk` | [`RiskRule::default`] | change, spend and confidence to a risk level | valid rule |
//! | `auto_approve` | `low` | highest risk approved without a person (`None`: every decision waits) | a level or none |
//! | `ttl_ms` | 86 400 000 (24 h) | how long a decision may wait | > 0 |
//! | `dry_run` | false | record would-be changes instead of applying them | |
//! | `stage_above` | 0.5 | relative change above which a money change is staged | >= 0 |
//! | `first_stage` | 0.25 | share of the change in the first stage | (0, 1) |
//! | `stage_wait_ms` | 3 600 000 (1 h) | least time between stages | >= 0 |
//! | `verify_reads` | 3 | read-backs tried before a change counts as unverified (a stale read shows the old state) | >= 1 |
//!
//! # Guardrails ([`Guardrails`], [`check`])
//! Checked before every execution, with the worst case of what the engine knows: an entity's
//! budget is the largest of its last known budget, its read-back and any change sent whose
//! outcome is not known yet. Caps and the anomaly and performance gates apply only to changes
//! that can raise spend (a budget increase, a resume); a decrease or a pause always passes
//! them. A rollback is checked against the caps only.
//!
//! | Guardrail | Default | Blocks when |
//! |---|---|---|
//! | `campaign_daily_cap` / `default_campaign_daily_cap` | none | the entity's daily budget would exceed its cap |
//! | `account_daily_cap` | none | the daily budgets of the active entities would sum above it |
//! | `campaign_lifetime_cap` | none | the entity's spend so far plus its new daily budget would exceed its cap |
//! | `account_lifetime_cap` | none | the account's spend so far plus every active daily budget would exceed it |
//! | `lifetime_from` | none | first day of the lifetime spend (read through [`ReadMetrics`](crate::platform::adapter::ReadMetrics) up to yesterday; today counts at its full budget); required with a lifetime cap |
//! | `max_step_change` | 1.0 | one step changes a budget or bid by more than this (relative) |
//! | `max_window_change` | 2.0 | the value would move more than this (relative) from where it was `window_ms` ago |
//! | `change_frequency` | Meta's 4 budget changes an hour ([`TokenBucket::META_ADSET_BUDGET`]) | defers (not blocks) a budget change the vendor would refuse, until a token is back |
//! | `performance` | none | a spend increase on an entity whose ROAS is below `min_roas` or CPA above `max_cpa` over `lookback_days` with at least `min_spend` and `min_conversions` (the engine also proposes its pause) |
//! | `anomaly_gate` | true | a budget increase on a day the anomaly module flagged |
//!
//! ```
//! use channelwise::decide::policy::{check, Guardrails, StepCheck, Verdict};
//! use channelwise::decide::decision::{DecisionKind, Value};
//! let g = Guardrails { account_daily_cap: Some(300.0), ..Guardrails::default() };
//! let step = StepCheck::new("search", DecisionKind::Budget, Value::Money(100.0), Value::Money(180.0))
//!     .exposure("search", 100.0, true)
//!     .exposure("social", 150.0, true);
//! match check(&g, &step) {
//!     Verdict::Block { guardrail, reason } => {
//!         assert_eq!(guardrail, "account_daily_cap");
//!         assert_eq!(reason, "account daily budget would be 330.00, above the cap of 300.00");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), channelwise::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::decide::decision::{DecisionKind, RiskLevel, RiskRule, Value, BID_MIN_BASE};
use crate::decide::feedback::FeedbackRule;
use crate::error::check_range;
use crate::platform::adapter::{Date, Status, DAY_MS};
use crate::platform::policy::{RetryPolicy, Take, TokenBucket};
use crate::{Error, Result};

/// The approval policy (see the [module table](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Risk rule.
    pub risk: RiskRule,
    /// Highest risk approved without a person.
    pub auto_approve: Option<RiskLevel>,
    /// How long a decision may wait, ms.
    pub ttl_ms: i64,
    /// Record would-be changes instead of applying them.
    pub dry_run: bool,
    /// Relative change above which a money change is staged.
    pub stage_above: f64,
    /// Share of the change in the first stage.
    pub first_stage: f64,
    /// Least time between stages, ms.
    pub stage_wait_ms: i64,
    /// Read-backs tried to verify a change.
    pub verify_reads: u32,
    /// The guardrails.
    pub guardrails: Guardrails,
    /// Retries of platform calls.
    pub retry: RetryPolicy,
    /// Outcomes and the shrinkage of later expectations ([`crate::decide::feedback`]).
    pub feedback: FeedbackRule,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            risk: RiskRule::default(),
            auto_approve: Some(RiskLevel::Low),
            ttl_ms: DAY_MS,
            dry_run: false,
            stage_above: 0.5,
            first_stage: 0.25,
            stage_wait_ms: 3_600_000,
            verify_reads: 3,
            guardrails: Guardrails::default(),
            retry: RetryPolicy::default(),
            feedback: FeedbackRule::default(),
        }
    }
}

impl Policy {
    /// Check every setting.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` / `invalid_parameter` naming the setting (`ttl_ms`,
    /// `first_stage`, `guardrails.account_daily_cap`, ...).
    pub fn validate(&self) -> Result<()> {
        self.risk.validate()?;
        if self.ttl_ms <= 0 {
            return Err(Error::param("ttl_ms", self.ttl_ms, "must be above 0"));
        }
        check_range("stage_above", self.stage_above, 0.0, f64::INFINITY)?;
        check_range("first_stage", self.first_stage, f64::MIN_POSITIVE, 1.0 - f64::EPSILON)?;
        if self.stage_wait_ms < 0 {
            return Err(Error::param("stage_wait_ms", self.stage_wait_ms, "must be at least 0"));
        }
        if self.verify_reads == 0 {
            return Err(Error::param("verify_reads", 0, "must be at least 1"));
        }
        self.guardrails.validate()?;
        self.retry.validate()?;
        self.feedback.validate()
    }

    /// Whether a decision of this risk is approved by the policy.
    pub fn auto_approves(&self, level: RiskLevel) -> bool {
        self.auto_approve.is_some_and(|max| level <= max)
    }

    /// The value after each stage of a change from `from` to `to`: `[to]`, or for a money
    /// change above `stage_above`, `[from + first_stage (to - from), to]` (rounded to cents).
    pub fn stages(&self, from: &Value, to: &Value) -> Vec<Value> {
        self.stages_for(DecisionKind::Budget, from, to)
    }

    /// [`Policy::stages`] for a change of `kind` (a bid's relative change: see
    /// [`RiskRule::relative_change_for`]).
    pub fn stages_for(&self, kind: DecisionKind, from: &Value, to: &Value) -> Vec<Value> {
        match (from, to) {
            (Value::Money(a), Value::Money(b)) if self.risk.relative_change_for(kind, *a, *b) > self.stage_above => {
                let mid = ((a + self.first_stage * (b - a)) * 100.0).round() / 100.0;
                vec![Value::Money(mid), Value::Money(*b)]
            }
            _ => vec![to.clone()],
        }
    }
}

/// When an entity's ROAS or CPA makes the engine pause it (see the [module table](self)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PerformanceGuard {
    /// Least return on ad spend (value / spend).
    pub min_roas: Option<f64>,
    /// Largest cost per conversion.
    pub max_cpa: Option<f64>,
    /// Least spend over the lookback for the rule to judge.
    pub min_spend: f64,
    /// Least conversions over the lookback for the rule to judge (CPA of 0 conversions is
    /// judged once `min_spend` is reached).
    pub min_conversions: f64,
    /// Days looked back (the days before today).
    pub lookback_days: u32,
}

impl Default for PerformanceGuard {
    fn default() -> Self {
        PerformanceGuard { min_roas: None, max_cpa: None, min_spend: 500.0, min_conversions: 0.0, lookback_days: 7 }
    }
}

/// Spend, conversions and value of an entity over the performance lookback.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Performance {
    /// Spend.
    pub spend: f64,
    /// Conversions.
    pub conversions: f64,
    /// Conversion value.
    pub value: f64,
}

impl PerformanceGuard {
    /// Why this performance breaches the guard, or `None` (also when the sample is too small).
    ///
    /// ```
    /// use channelwise::decide::policy::{Performance, PerformanceGuard};
    /// let g = PerformanceGuard { min_roas: Some(2.0), ..PerformanceGuard::default() };
    /// let p = Performance { spend: 800.0, conversions: 10.0, value: 1200.0 };
    /// assert_eq!(g.breach(&p).as_deref(), Some("ROAS 1.50 below 2.00 over 7 days (spend 800.00, 10 conversions)"));
    /// assert_eq!(g.breach(&Performance { spend: 100.0, ..p }), None); // too little spend to judge
    /// ```
    pub fn breach(&self, p: &Performance) -> Option<String> {
        if p.spend < self.min_spend || p.conversions < self.min_conversions || p.spend <= 0.0 {
            return None;
        }
        let over = format!("over {} days (spend {:.2}, {} conversions)", self.lookback_days, p.spend, p.conversions);
        if let Some(min) = self.min_roas {
            let roas = p.value / p.spend;
            if roas < min {
                return Some(format!("ROAS {roas:.2} below {min:.2} {over}"));
            }
        }
        if let Some(max) = self.max_cpa {
            let cpa = if p.conversions > 0.0 { p.spend / p.conversions } else { f64::INFINITY };
            if cpa > max {
                return Some(format!("CPA {cpa:.2} above {max:.2} {over}"));
            }
        }
        None
    }
}

/// The guardrails (see the [module table](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Guardrails {
    /// Daily budget cap per entity.
    pub campaign_daily_cap: BTreeMap<String, f64>,
    /// Daily budget cap of entities not in `campaign_daily_cap`.
    pub default_campaign_daily_cap: Option<f64>,
    /// Cap on the sum of active daily budgets.
    pub account_daily_cap: Option<f64>,
    /// Lifetime spend cap per entity.
    pub campaign_lifetime_cap: BTreeMap<String, f64>,
    /// Lifetime spend cap of the account.
    pub account_lifetime_cap: Option<f64>,
    /// The first day counted as lifetime spend (required with a lifetime cap).
    pub lifetime_from: Option<Date>,
    /// Largest relative change of one step.
    pub max_step_change: Option<f64>,
    /// Largest relative change within `window_ms`.
    pub max_window_change: Option<f64>,
    /// The window of `max_window_change`, ms.
    pub window_ms: i64,
    /// The vendor's limit on budget changes per entity.
    pub change_frequency: Option<TokenBucket>,
    /// Auto-pause on ROAS or CPA.
    pub performance: Option<PerformanceGuard>,
    /// No budget increase on a flagged day.
    pub anomaly_gate: bool,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            campaign_daily_cap: BTreeMap::new(),
            default_campaign_daily_cap: None,
            account_daily_cap: None,
            campaign_lifetime_cap: BTreeMap::new(),
            account_lifetime_cap: None,
            lifetime_from: None,
            max_step_change: Some(1.0),
            max_window_change: Some(2.0),
            window_ms: DAY_MS,
            change_frequency: Some(TokenBucket::META_ADSET_BUDGET),
            performance: None,
            anomaly_gate: true,
        }
    }
}

impl Guardrails {
    /// Check every setting.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` naming the guardrail (`guardrails.campaign_daily_cap.search`,
    /// ...) for a negative or NaN cap or limit; `invalid_parameter` for `window_ms` not above 0.
    pub fn validate(&self) -> Result<()> {
        let inf = f64::INFINITY;
        for (id, c) in &self.campaign_daily_cap {
            check_range(format!("guardrails.campaign_daily_cap.{id}"), *c, 0.0, inf)?;
        }
        for (id, c) in &self.campaign_lifetime_cap {
            check_range(format!("guardrails.campaign_lifetime_cap.{id}"), *c, 0.0, inf)?;
        }
        let opts = [
            ("guardrails.default_campaign_daily_cap", self.default_campaign_daily_cap),
            ("guardrails.account_daily_cap", self.account_daily_cap),
            ("guardrails.account_lifetime_cap", self.account_lifetime_cap),
            ("guardrails.max_step_change", self.max_step_change),
            ("guardrails.max_window_change", self.max_window_change),
        ];
        for (f, v) in opts {
            if let Some(v) = v {
                check_range(f, v, 0.0, inf)?;
            }
        }
        if self.lifetime_from.is_none() && (self.account_lifetime_cap.is_some() || !self.campaign_lifetime_cap.is_empty()) {
            return Err(Error::param("guardrails.lifetime_from", "none", "a lifetime cap needs the first day of its lifetime"));
        }
        if self.window_ms <= 0 {
            return Err(Error::param("guardrails.window_ms", self.window_ms, "must be above 0"));
        }
        if let Some(b) = &self.change_frequency {
            b.validate()?;
        }
        if let Some(p) = &self.performance {
            for (f, v) in [("guardrails.performance.min_roas", p.min_roas), ("guardrails.performance.max_cpa", p.max_cpa)] {
                if let Some(v) = v {
                    check_range(f, v, 0.0, inf)?;
                }
            }
            check_range("guardrails.performance.min_spend", p.min_spend, 0.0, inf)?;
            check_range("guardrails.performance.min_conversions", p.min_conversions, 0.0, inf)?;
        }
        Ok(())
    }

    /// The daily cap of an entity, if any.
    pub fn daily_cap(&self, entity: &str) -> Option<f64> {
        self.campaign_daily_cap.get(entity).copied().or(self.default_campaign_daily_cap)
    }
}

/// One step to check, with what the engine knows about the account.
///
/// Its JSON (what the shared vectors and the bindings' guardrail check read) has the fields'
/// names, every one optional, with each exposure written `{"daily_budget": 100.0, "active": true}`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StepCheck {
    /// The entity.
    pub entity: String,
    /// What is changed.
    pub kind: Option<DecisionKind>,
    /// The entity's value now (worst case).
    pub current: Option<Value>,
    /// The value after this step.
    pub target: Option<Value>,
    /// The value `window_ms` ago (the start of the window), if it changed since.
    pub window_start: Option<f64>,
    /// Every entity's worst-case daily budget and whether it is active.
    #[serde(deserialize_with = "exposures")]
    pub exposures: BTreeMap<String, (f64, bool)>,
    /// Spend so far per entity (for lifetime caps).
    pub lifetime_spend: BTreeMap<String, f64>,
    /// Times (ms) of the budget changes sent to this entity, oldest first.
    pub recent_changes: Vec<i64>,
    /// Now, ms.
    pub now_ms: i64,
    /// Why today is flagged by the anomaly module, if it is.
    pub anomaly: Option<String>,
    /// Why the entity breaches the performance guard, if it does.
    pub performance_breach: Option<String>,
    /// A rollback (checked against the caps only).
    pub rollback: bool,
}

/// An exposure as JSON.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Exposure {
    daily_budget: f64,
    active: bool,
}

fn exposures<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<BTreeMap<String, (f64, bool)>, D::Error> {
    Ok(BTreeMap::<String, Exposure>::deserialize(d)?.into_iter().map(|(k, e)| (k, (e.daily_budget, e.active))).collect())
}

impl StepCheck {
    /// A step of `kind` on `entity` from `current` to `target`.
    pub fn new(entity: impl Into<String>, kind: DecisionKind, current: Value, target: Value) -> Self {
        StepCheck { entity: entity.into(), kind: Some(kind), current: Some(current), target: Some(target), ..StepCheck::default() }
    }

    /// With an entity's worst-case daily budget and status.
    pub fn exposure(mut self, entity: impl Into<String>, daily_budget: f64, active: bool) -> Self {
        self.exposures.insert(entity.into(), (daily_budget, active));
        self
    }
}

/// The answer of [`check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Every guardrail passes.
    Pass,
    /// A guardrail would be breached.
    Block {
        /// The guardrail's name, as in the [module table](self).
        guardrail: String,
        /// What would happen, with the numbers.
        reason: String,
    },
    /// The vendor's change frequency limit: try again at `until_ms`.
    Defer {
        /// The guardrail's name.
        guardrail: String,
        /// Why.
        reason: String,
        /// When a token is back.
        until_ms: i64,
    },
}

fn block(guardrail: &str, reason: String) -> Verdict {
    Verdict::Block { guardrail: guardrail.into(), reason }
}

/// Check one step against the guardrails (see the [module table](self)).
pub fn check(g: &Guardrails, s: &StepCheck) -> Verdict {
    let (Some(kind), Some(current), Some(target)) = (s.kind, &s.current, &s.target) else {
        return Verdict::Pass;
    };
    // the entity's budget and status before and after the step
    let (budget0, active0) = s.exposures.get(&s.entity).copied().unwrap_or((0.0, true));
    let (budget1, active1) = match (kind, target) {
        (DecisionKind::Budget, Value::Money(b)) => (*b, active0),
        (DecisionKind::Status, Value::Status(st)) => (budget0, *st == Status::Active),
        _ => (budget0, active0),
    };
    let raises_spend = active1 && (!active0 || budget1 > budget0);
    if raises_spend {
        if let Some(v) = caps(g, s, budget1) {
            return v;
        }
        if s.rollback {
            return Verdict::Pass;
        }
        if g.anomaly_gate {
            if let Some(why) = &s.anomaly {
                return block("anomaly_gate", format!("no spend increase today: the anomaly module flagged it ({why})"));
            }
        }
        if let Some(why) = &s.performance_breach {
            return block("performance", format!("no spend increase on {}: {why}", s.entity));
        }
    }
    if s.rollback {
        return Verdict::Pass;
    }
    if let (Value::Money(a), Value::Money(b)) = (current, target) {
        // the floor a change from 0 divides by: 1 for a budget, a cent for a bid (bids under 1
        // are common: 0.10 -> 1.10 is a change of 10, not 1)
        let floor = if kind == DecisionKind::Bid { BID_MIN_BASE } else { 1.0 };
        let base = a.max(floor);
        if let Some(max) = g.max_step_change {
            let c = (b - a).abs() / base;
            if c > max + 1e-12 {
                return block("max_step_change", format!("{} {} would move from {a:.2} to {b:.2}, a change of {:.1}% in one step, above {:.1}%", s.entity, kind.code(), 100.0 * c, 100.0 * max));
            }
        }
        if let Some(max) = g.max_window_change {
            let w = s.window_start.unwrap_or(*a);
            let c = (b - w).abs() / w.max(floor);
            if c > max + 1e-12 {
                return block(
                    "max_window_change",
                    format!("{} {} would move from {w:.2} to {b:.2} within {} h, a change of {:.1}%, above {:.1}%", s.entity, kind.code(), g.window_ms / 3_600_000, 100.0 * c, 100.0 * max),
                );
            }
        }
    }
    if kind == DecisionKind::Budget {
        if let Some(bucket) = &g.change_frequency {
            let mut state = bucket.full(s.recent_changes.first().copied().unwrap_or(s.now_ms));
            for &t in &s.recent_changes {
                state = match bucket.try_take(state, t, 1) {
                    Take::Granted(st) => st,
                    Take::Denied { state, .. } => state,
                    Take::TooLarge => state,
                };
            }
            if let Take::Denied { retry_in_ms, .. } = bucket.try_take(state, s.now_ms, 1) {
                let until_ms = s.now_ms.saturating_add(i64::try_from(retry_in_ms).unwrap_or(i64::MAX));
                return Verdict::Defer {
                    guardrail: "change_frequency".into(),
                    reason: format!("{} budget changes to {} already sent: the vendor allows {} per {} min; next at {until_ms}", s.recent_changes.len(), s.entity, bucket.capacity, bucket.capacity as u64 * bucket.refill_ms / 60_000),
                    until_ms,
                };
            }
        }
    }
    Verdict::Pass
}

/// The first daily cap that `exposures` (each entity's daily budget and whether it is active)
/// breaches: the guardrail's name and the numbers. Lifetime caps need spend, see [`check`].
///
/// ```
/// use channelwise::decide::policy::{caps_breach, Guardrails};
/// let g = Guardrails { default_campaign_daily_cap: Some(200.0), ..Guardrails::default() };
/// let exposures = [("a".to_string(), (250.0, true))].into();
/// assert_eq!(caps_breach(&g, &exposures).map(|b| b.0).as_deref(), Some("campaign_daily_cap"));
/// ```
pub fn caps_breach(g: &Guardrails, exposures: &BTreeMap<String, (f64, bool)>) -> Option<(String, String)> {
    for (id, (b, active)) in exposures {
        if let (Some(cap), true) = (g.daily_cap(id), *active) {
            if *b > cap + 1e-9 {
                return Some(("campaign_daily_cap".into(), format!("{id} daily budget is {b:.2}, above its cap of {cap:.2}")));
            }
        }
    }
    let account: f64 = exposures.values().filter(|(_, a)| *a).map(|(b, _)| b).sum();
    match g.account_daily_cap {
        Some(cap) if account > cap + 1e-9 => Some(("account_daily_cap".into(), format!("account daily budget is {account:.2}, above the cap of {cap:.2}"))),
        _ => None,
    }
}

fn caps(g: &Guardrails, s: &StepCheck, budget1: f64) -> Option<Verdict> {
    if let Some(cap) = g.daily_cap(&s.entity) {
        if budget1 > cap + 1e-9 {
            return Some(block("campaign_daily_cap", format!("{} daily budget would be {budget1:.2}, above its cap of {cap:.2}", s.entity)));
        }
    }
    let mut after = s.exposures.clone();
    after.insert(s.entity.clone(), (budget1, true));
    let account: f64 = after.values().filter(|(_, active)| *active).map(|(b, _)| b).sum();
    if let Some(cap) = g.account_daily_cap {
        if account > cap + 1e-9 {
            return Some(block("account_daily_cap", format!("account daily budget would be {account:.2}, above the cap of {cap:.2}")));
        }
    }
    if let Some(cap) = g.campaign_lifetime_cap.get(&s.entity) {
        let spent = s.lifetime_spend.get(&s.entity).copied().unwrap_or(0.0);
        if spent + budget1 > cap + 1e-9 {
            return Some(block(
                "campaign_lifetime_cap",
                format!("{} has spent {spent:.2}; a day at {budget1:.2} would reach {:.2}, above its lifetime cap of {cap:.2}", s.entity, spent + budget1),
            ));
        }
    }
    if let Some(cap) = g.account_lifetime_cap {
        let spent: f64 = s.lifetime_spend.values().sum();
        if spent + account > cap + 1e-9 {
            return Some(block(
                "account_lifetime_cap",
                format!("the account has spent {spent:.2}; a day at {account:.2} would reach {:.2}, above its lifetime cap of {cap:.2}", spent + account),
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget_step(from: f64, to: f64) -> StepCheck {
        StepCheck::new("a", DecisionKind::Budget, Value::Money(from), Value::Money(to)).exposure("a", from, true).exposure("b", 100.0, true)
    }

    #[test]
    fn each_guardrail_names_itself_and_its_numbers() {
        let g = Guardrails { default_campaign_daily_cap: Some(150.0), ..Guardrails::default() };
        let Verdict::Block { guardrail, reason } = check(&g, &budget_step(100.0, 160.0)) else { panic!() };
        assert_eq!(guardrail, "campaign_daily_cap");
        assert_eq!(reason, "a daily budget would be 160.00, above its cap of 150.00");
        assert_eq!(check(&g, &budget_step(200.0, 170.0)), Verdict::Pass, "a decrease passes a cap it is still above");

        let g = Guardrails::default();
        let Verdict::Block { guardrail, .. } = check(&g, &budget_step(100.0, 201.0)) else { panic!() };
        assert_eq!(guardrail, "max_step_change");
        let mut s = budget_step(250.0, 320.0);
        s.window_start = Some(100.0);
        let Verdict::Block { guardrail, reason } = check(&g, &s) else { panic!() };
        assert_eq!(guardrail, "max_window_change");
        assert!(reason.contains("from 100.00 to 320.00 within 24 h"), "{reason}");

        let mut s = budget_step(100.0, 110.0);
        s.anomaly = Some("spend z = 5.1".into());
        assert!(matches!(check(&g, &s), Verdict::Block { guardrail, .. } if guardrail == "anomaly_gate"));
        let mut s = budget_step(100.0, 90.0);
        s.anomaly = Some("spend z = 5.1".into());
        assert_eq!(check(&g, &s), Verdict::Pass);

        let mut s = budget_step(100.0, 110.0);
        s.recent_changes = vec![0, 1, 2, 3];
        s.now_ms = 60_000;
        let Verdict::Defer { until_ms, .. } = check(&g, &s) else { panic!() };
        assert_eq!(until_ms, 900_000);
        s.now_ms = 900_000;
        assert_eq!(check(&g, &s), Verdict::Pass);

        let g = Guardrails { account_daily_cap: Some(250.0), ..Guardrails::default() };
        let resume = StepCheck::new("a", DecisionKind::Status, Value::Status(Status::Paused), Value::Status(Status::Active))
            .exposure("a", 200.0, false)
            .exposure("b", 100.0, true);
        assert!(matches!(check(&g, &resume), Verdict::Block { guardrail, .. } if guardrail == "account_daily_cap"));
        let mut lifetime = budget_step(100.0, 120.0);
        lifetime.lifetime_spend.insert("a".into(), 900.0);
        let g = Guardrails { campaign_lifetime_cap: [("a".to_string(), 1000.0)].into(), ..Guardrails::default() };
        assert!(g.validate().unwrap_err().to_string().contains("lifetime_from"));
        assert!(matches!(check(&g, &lifetime), Verdict::Block { guardrail, .. } if guardrail == "campaign_lifetime_cap"));
    }

    #[test]
    fn a_step_reads_from_json() {
        let s: StepCheck = serde_json::from_str(r#"{"entity": "a", "kind": "budget", "current": 100.0, "target": 110.0, "exposures": {"a": {"daily_budget": 100.0, "active": true}}, "now_ms": 5}"#).unwrap();
        let mut want = budget_step(100.0, 110.0);
        want.exposures.remove("b");
        want.now_ms = 5;
        assert_eq!(s, want);
        assert!(serde_json::from_str::<StepCheck>(r#"{"entity": "a", "exposure": {}}"#).unwrap_err().to_string().contains("exposure"));
    }

    #[test]
    fn stages_split_large_money_changes() {
        let p = Policy::default();
        assert_eq!(p.stages(&Value::Money(100.0), &Value::Money(140.0)), vec![Value::Money(140.0)]);
        assert_eq!(p.stages(&Value::Money(100.0), &Value::Money(300.0)), vec![Value::Money(150.0), Value::Money(300.0)]);
        assert!(Policy { first_stage: 1.0, ..Policy::default() }.validate().unwrap_err().to_string().contains("first_stage"));
        // a bid under 1 divides by itself (down to a cent), not by 1: 0.10 -> 0.30 is +200%
        assert_eq!(p.stages_for(DecisionKind::Bid, &Value::Money(0.1), &Value::Money(0.3)), vec![Value::Money(0.15), Value::Money(0.3)]);
        assert_eq!(p.stages(&Value::Money(0.1), &Value::Money(0.3)), vec![Value::Money(0.3)]);
    }

    /// Found by an audit: under the floor of 1, an 11x bid (0.10 -> 1.10) passed a 100% step
    /// limit, and 0.10 -> 0.50 was reported as a change of 40%.
    #[test]
    fn a_bid_under_one_is_judged_by_its_own_size() {
        let g = Guardrails { max_step_change: Some(1.0), ..Guardrails::default() };
        let bid = |a: f64, b: f64| StepCheck::new("s", DecisionKind::Bid, Value::Money(a), Value::Money(b));
        match check(&g, &bid(0.10, 1.10)) {
            Verdict::Block { guardrail, reason } => assert!(guardrail == "max_step_change" && reason.contains("a change of 1000.0%"), "{reason}"),
            v => panic!("{v:?}"),
        }
        assert_eq!(check(&g, &bid(0.10, 0.20)), Verdict::Pass);
        // a budget keeps the floor of 1 (raised from 0: 0 -> 0.5 is a change of 50%)
        assert_eq!(check(&g, &StepCheck::new("s", DecisionKind::Budget, Value::Money(0.0), Value::Money(0.5))), Verdict::Pass);
        let r = RiskRule::default();
        assert!((r.relative_change_for(DecisionKind::Bid, 0.1, 1.1) - 10.0).abs() < 1e-12);
        assert!((r.relative_change_for(DecisionKind::Budget, 0.1, 1.1) - 1.0).abs() < 1e-12);
    }
}
