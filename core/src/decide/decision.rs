//! Decisions and their risk.
//!
//! A [`Proposal`] is what a producing module (an allocation, a bid model, an anomaly check, an
//! experiment's winner) suggests: a change of one entity from a value to another, the impact it
//! expects with an interval, its confidence and the sentences that explain it. The engine turns
//! it into a [`Decision`] with an id, a [`RiskLevel`], a status and an expiry.
//!
//! # Risk ([`RiskRule`])
//! Three numbers describe a proposal:
//! - the **relative change** `|to - from| / max(from, min_base)` for budgets and bids; 1 for a
//!   status, targeting or creative change (all or nothing);
//! - the **spend at stake** per day: `spend_at_stake` if the proposal gives it, else for a
//!   budget `max(from, to)`; a bid, status, targeting or creative change that does not say is
//!   taken as above `high_spend` (unknown is treated as large);
//! - the **confidence** in [0, 1].
//!
//! The level is **high** when the change is above `high_change`, or the spend above
//! `high_spend`, or the confidence below `high_confidence`; **low** when the change is at most
//! `low_change`, the spend at most `low_spend` and the confidence at least `low_confidence`;
//! **medium** otherwise.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `low_change` | 0.2 | largest relative change of a low-risk decision | [0, `high_change`] |
//! | `high_change` | 0.5 | relative change above which a decision is high risk | >= `low_change` |
//! | `low_spend` | 500 | largest daily spend at stake of a low-risk decision | [0, `high_spend`] |
//! | `high_spend` | 5000 | daily spend at stake above which a decision is high risk | >= `low_spend` |
//! | `low_confidence` | 0.8 | least confidence of a low-risk decision | [`high_confidence`, 1] |
//! | `high_confidence` | 0.5 | confidence below which a decision is high risk | [0, `low_confidence`] |
//! | `min_base` | 1 | the smallest `from` a relative change divides by (a budget raised from 0; for a bid at most 0.01) | > 0 |
//!
//! ```
//! use channelwise::decide::decision::{Proposal, RiskLevel, RiskRule};
//! let rule = RiskRule::default();
//! let small = Proposal::budget("search", 100.0, 110.0).confidence(0.9);
//! assert_eq!(rule.assess(&small)?.level, RiskLevel::Low);
//! let large = Proposal::budget("search", 100.0, 300.0).confidence(0.9);
//! assert_eq!(rule.assess(&large)?.level, RiskLevel::High);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::check_range;
use crate::platform::adapter::{Action, Status};
use crate::{Error, Result};

/// What a decision changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// The daily budget (money).
    Budget,
    /// The bid (money).
    Bid,
    /// Active or paused.
    Status,
    /// Targeting (text: an audience or targeting spec id).
    Targeting,
    /// The creative (text: a creative id).
    Creative,
}

impl DecisionKind {
    /// The snake_case name.
    pub fn code(self) -> &'static str {
        match self {
            DecisionKind::Budget => "budget",
            DecisionKind::Bid => "bid",
            DecisionKind::Status => "status",
            DecisionKind::Targeting => "targeting",
            DecisionKind::Creative => "creative",
        }
    }
}

/// A value a decision changes from or to. Anything else is refused with "expected a number
/// (money), a status or a targeting or creative id", not serde's "did not match any variant".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, expecting = "expected a number (money), a status or a targeting or creative id")]
pub enum Value {
    /// Money in currency units (budgets, bids).
    Money(f64),
    /// A status.
    Status(Status),
    /// A targeting or creative id.
    Text(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Money(m) => write!(f, "{m:.2}"),
            Value::Status(Status::Active) => f.write_str("active"),
            Value::Status(Status::Paused) => f.write_str("paused"),
            Value::Text(t) => write!(f, "{t:?}"),
        }
    }
}

/// The expected impact of a decision, with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    /// What is measured, e.g. `"conversions/day"`.
    pub metric: String,
    /// Expected change.
    pub mean: f64,
    /// Lower end of the interval.
    pub lo: f64,
    /// Upper end of the interval.
    pub hi: f64,
}

impl Default for Impact {
    fn default() -> Self {
        Impact { metric: "conversions/day".into(), mean: 0.0, lo: 0.0, hi: 0.0 }
    }
}

/// A suggested change, before the engine has seen it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// What is changed.
    pub kind: DecisionKind,
    /// The campaign or ad set.
    pub entity: String,
    /// The value now, as the producer saw it.
    pub from: Value,
    /// The value wanted.
    pub to: Value,
    /// Expected impact.
    #[serde(default)]
    pub impact: Impact,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// The sentences the producing module wrote.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Daily spend at stake, if the producer knows it better than the rule's default.
    #[serde(default)]
    pub spend_at_stake: Option<f64>,
    /// Time to live in ms (default: the policy's, 24 h).
    #[serde(default)]
    pub ttl_ms: Option<i64>,
}

impl Proposal {
    fn new(kind: DecisionKind, entity: impl Into<String>, from: Value, to: Value) -> Self {
        Proposal { kind, entity: entity.into(), from, to, impact: Impact::default(), confidence: 0.5, reasons: Vec::new(), spend_at_stake: None, ttl_ms: None }
    }

    /// A daily budget change (confidence 0.5 until set).
    pub fn budget(entity: impl Into<String>, from: f64, to: f64) -> Self {
        Self::new(DecisionKind::Budget, entity, Value::Money(from), Value::Money(to))
    }

    /// A bid change.
    pub fn bid(entity: impl Into<String>, from: f64, to: f64) -> Self {
        Self::new(DecisionKind::Bid, entity, Value::Money(from), Value::Money(to))
    }

    /// A status change.
    pub fn status(entity: impl Into<String>, from: Status, to: Status) -> Self {
        Self::new(DecisionKind::Status, entity, Value::Status(from), Value::Status(to))
    }

    /// A targeting or creative change (`kind` must be one of those two).
    pub fn text(kind: DecisionKind, entity: impl Into<String>, from: impl Into<String>, to: impl Into<String>) -> Self {
        Self::new(kind, entity, Value::Text(from.into()), Value::Text(to.into()))
    }

    /// With this confidence.
    pub fn confidence(mut self, c: f64) -> Self {
        self.confidence = c;
        self
    }

    /// With this expected impact.
    pub fn impact(mut self, metric: impl Into<String>, mean: f64, lo: f64, hi: f64) -> Self {
        self.impact = Impact { metric: metric.into(), mean, lo, hi };
        self
    }

    /// With this reason (appended).
    pub fn reason(mut self, r: impl Into<String>) -> Self {
        self.reasons.push(r.into());
        self
    }

    /// With this daily spend at stake.
    pub fn spend_at_stake(mut self, s: f64) -> Self {
        self.spend_at_stake = Some(s);
        self
    }

    /// With this time to live.
    pub fn ttl_ms(mut self, ms: i64) -> Self {
        self.ttl_ms = Some(ms);
        self
    }

    /// Check the proposal.
    ///
    /// # Errors
    /// `invalid_parameter` for an empty entity (field `entity`), values that do not fit the
    /// kind (field `from` / `to`), an empty targeting or creative id, an interval that does not
    /// hold its mean (field `impact`) or a time to live not above 0 (field `ttl_ms`);
    /// `out_of_range` / `non_finite` for a negative or NaN budget, a bid not above 0, a
    /// confidence outside [0, 1] or a negative spend at stake.
    pub fn validate(&self) -> Result<()> {
        if self.entity.is_empty() {
            return Err(Error::param("entity", "", "empty entity id"));
        }
        for (field, v) in [("from", &self.from), ("to", &self.to)] {
            match (self.kind, v) {
                (DecisionKind::Budget, Value::Money(m)) => {
                    check_range(field, *m, 0.0, f64::INFINITY)?;
                }
                (DecisionKind::Bid, Value::Money(m)) => {
                    check_range(field, *m, f64::MIN_POSITIVE, f64::INFINITY)?;
                }
                (DecisionKind::Status, Value::Status(_)) => {}
                (DecisionKind::Targeting | DecisionKind::Creative, Value::Text(t)) if !t.is_empty() => {}
                (k, v) => return Err(Error::param(field, v, format!("not a value for a {} decision", k.code()))),
            }
        }
        check_range("confidence", self.confidence, 0.0, 1.0)?;
        let i = &self.impact;
        for (f, x) in [("impact.mean", i.mean), ("impact.lo", i.lo), ("impact.hi", i.hi)] {
            check_range(f, x, f64::NEG_INFINITY, f64::INFINITY)?;
        }
        if !(i.lo <= i.mean && i.mean <= i.hi) {
            return Err(Error::param("impact", format!("{} [{}, {}]", i.mean, i.lo, i.hi), "the interval must hold the mean (lo <= mean <= hi)"));
        }
        if let Some(s) = self.spend_at_stake {
            check_range("spend_at_stake", s, 0.0, f64::INFINITY)?;
        }
        if let Some(t) = self.ttl_ms {
            if t <= 0 {
                return Err(Error::param("ttl_ms", t, "must be above 0"));
            }
        }
        Ok(())
    }

    /// The adapter action that sets `value` (budgets, bids and statuses; targeting and
    /// creative changes have no action in [`crate::platform::adapter::Action`]).
    ///
    /// # Errors
    /// `invalid_parameter` (field `kind`) for a targeting or creative decision.
    pub fn action(&self, value: &Value) -> Result<Action> {
        match (self.kind, value) {
            (DecisionKind::Budget, Value::Money(m)) => Ok(Action::Budget { daily: *m }),
            (DecisionKind::Bid, Value::Money(m)) => Ok(Action::Bid { amount: *m }),
            (DecisionKind::Status, Value::Status(s)) => Ok(Action::Status { status: *s }),
            (k, _) => Err(Error::param(
                "kind",
                k.code(),
                "the platform adapter traits have no action for it (platform::adapter::Action is budget, bid or status): record it, approve it, apply it by hand",
            )),
        }
    }
}

/// The most a bid's relative change divides by when the bid is below it (one cent): bids
/// are often under the risk rule's `min_base` of 1, budgets seldom.
pub const BID_MIN_BASE: f64 = 0.01;

/// How risky a decision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Small, cheap, confident.
    Low,
    /// In between.
    Medium,
    /// Large, expensive or unsure.
    High,
}

/// The rule from change, spend and confidence to a [`RiskLevel`] (see the [module table](self)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskRule {
    /// Largest relative change of a low-risk decision.
    pub low_change: f64,
    /// Relative change above which a decision is high risk.
    pub high_change: f64,
    /// Largest daily spend at stake of a low-risk decision.
    pub low_spend: f64,
    /// Daily spend at stake above which a decision is high risk.
    pub high_spend: f64,
    /// Least confidence of a low-risk decision.
    pub low_confidence: f64,
    /// Confidence below which a decision is high risk.
    pub high_confidence: f64,
    /// Smallest base of a relative change.
    pub min_base: f64,
}

impl Default for RiskRule {
    fn default() -> Self {
        RiskRule { low_change: 0.2, high_change: 0.5, low_spend: 500.0, high_spend: 5000.0, low_confidence: 0.8, high_confidence: 0.5, min_base: 1.0 }
    }
}

/// The numbers behind a risk level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// The level.
    pub level: RiskLevel,
    /// Relative change.
    pub change: f64,
    /// Daily spend at stake (infinite when unknown; JSON has no infinity, so it is written
    /// `null` and `null` reads back as infinite).
    #[serde(deserialize_with = "crate::infinite_if_null")]
    pub spend: f64,
    /// Confidence.
    pub confidence: f64,
}


impl RiskRule {
    /// Check the thresholds.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` naming the threshold (`risk.low_change`, ...) when it is
    /// outside its range in the [module table](self).
    pub fn validate(&self) -> Result<()> {
        check_range("risk.high_change", self.high_change, 0.0, f64::INFINITY)?;
        check_range("risk.low_change", self.low_change, 0.0, self.high_change)?;
        check_range("risk.high_spend", self.high_spend, 0.0, f64::INFINITY)?;
        check_range("risk.low_spend", self.low_spend, 0.0, self.high_spend)?;
        check_range("risk.low_confidence", self.low_confidence, 0.0, 1.0)?;
        check_range("risk.high_confidence", self.high_confidence, 0.0, self.low_confidence)?;
        check_range("risk.min_base", self.min_base, f64::MIN_POSITIVE, f64::INFINITY)?;
        Ok(())
    }

    /// The relative change from `from` to `to` (money), `|to - from| / max(from, min_base)`.
    pub fn relative_change(&self, from: f64, to: f64) -> f64 {
        (to - from).abs() / from.max(self.min_base)
    }

    /// [`RiskRule::relative_change`] for a change of `kind`: a bid's floor is at most
    /// [`BID_MIN_BASE`], since bids under 1 are common (a CPC of 0.10 raised to 1.10 was a
    /// change of 1, not 10, under the floor of 1).
    pub fn relative_change_for(&self, kind: DecisionKind, from: f64, to: f64) -> f64 {
        let floor = if kind == DecisionKind::Bid { self.min_base.min(BID_MIN_BASE) } else { self.min_base };
        (to - from).abs() / from.max(floor)
    }

    /// The risk of a proposal.
    ///
    /// # Errors
    /// The errors of [`Proposal::validate`] and [`RiskRule::validate`].
    pub fn assess(&self, p: &Proposal) -> Result<Risk> {
        self.validate()?;
        p.validate()?;
        let change = match (&p.from, &p.to) {
            (Value::Money(a), Value::Money(b)) => self.relative_change_for(p.kind, *a, *b),
            (a, b) if a == b => 0.0,
            _ => 1.0,
        };
        let spend = match (p.spend_at_stake, p.kind, &p.from, &p.to) {
            (Some(s), ..) => s,
            (None, DecisionKind::Budget, Value::Money(a), Value::Money(b)) => a.max(*b),
            _ => f64::INFINITY,
        };
        Ok(Risk { level: self.level(change, spend, p.confidence), change, spend, confidence: p.confidence })
    }

    /// The level for a relative change, a daily spend at stake and a confidence.
    pub fn level(&self, change: f64, spend: f64, confidence: f64) -> RiskLevel {
        if change > self.high_change || spend > self.high_spend || confidence < self.high_confidence {
            RiskLevel::High
        } else if change <= self.low_change && spend <= self.low_spend && confidence >= self.low_confidence {
            RiskLevel::Low
        } else {
            RiskLevel::Medium
        }
    }
}

/// Where a decision is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Waiting for a named approver.
    Pending,
    /// Approved (by a person or by the policy), not executed yet.
    Approved,
    /// Sent to the platform and not finished: a staged rollout between stages, or an outcome
    /// not known yet (a timeout); executing again resends the same idempotency key.
    Executing,
    /// Applied (every stage).
    Executed,
    /// Rejected by a named person.
    Rejected,
    /// Not executed before its expiry.
    Expired,
    /// Stopped by a guardrail (the reason names it and the numbers).
    Blocked,
    /// Cancelled by the emergency stop.
    Cancelled,
    /// The platform refused it.
    Failed,
    /// Undone: the entity is back to its state before the decision.
    RolledBack,
    /// Dry run: everything but the platform call; the would-be change is recorded.
    DryRun,
}

impl DecisionStatus {
    /// The snake_case code stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            DecisionStatus::Pending => "pending",
            DecisionStatus::Approved => "approved",
            DecisionStatus::Executing => "executing",
            DecisionStatus::Executed => "executed",
            DecisionStatus::Rejected => "rejected",
            DecisionStatus::Expired => "expired",
            DecisionStatus::Blocked => "blocked",
            DecisionStatus::Cancelled => "cancelled",
            DecisionStatus::Failed => "failed",
            DecisionStatus::RolledBack => "rolled_back",
            DecisionStatus::DryRun => "dry_run",
        }
    }
}

/// A decision the engine holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Id, from 1.
    pub id: u64,
    /// What was proposed.
    pub proposal: Proposal,
    /// Its risk.
    pub risk: Risk,
    /// Where it is.
    pub status: DecisionStatus,
    /// Proposed at (ms since the epoch).
    pub created_ms: i64,
    /// Never executed after this instant.
    pub expires_ms: i64,
    /// Who approved or rejected it (`"policy"` for an automatic approval).
    #[serde(default)]
    pub approver: Option<String>,
    /// Why it is blocked, rejected, failed, cancelled or expired.
    #[serde(default)]
    pub note: Option<String>,
    /// The value after each stage (one stage unless the rollout is staged); the last is `to`.
    pub stages: Vec<Value>,
    /// Stages applied so far.
    #[serde(default)]
    pub stages_done: u32,
    /// When the last stage was applied.
    #[serde(default)]
    pub last_stage_ms: Option<i64>,
    /// The entity's value before the first stage (what a rollback restores).
    #[serde(default)]
    pub prior: Option<Value>,
    /// Whether a read-back showed the last stage applied.
    #[serde(default)]
    pub verified: bool,
    /// The expected impact shrunk by what earlier outcomes of this type showed
    /// ([`crate::decide::feedback`]); `None` while there are too few outcomes to say.
    #[serde(default)]
    pub adjusted: Option<Impact>,
    /// What it brought, recorded after its window.
    #[serde(default)]
    pub outcome: Option<crate::decide::feedback::Outcome>,
}

impl Decision {
    /// The idempotency key of stage `step` (from 1) in the store with id `store`
    /// ([`crate::decide::store::Store::id`]): `{store}/d{id}/s{step}`; of the rollback:
    /// `{store}/d{id}/rollback`. A store without an id (one that sent keys before ids existed)
    /// keeps `d{id}/s{step}` and `d{id}/rollback`.
    pub fn key(&self, store: &str, step: u32) -> String {
        let sep = if store.is_empty() { "" } else { "/" };
        if step == 0 {
            format!("{store}{sep}d{}/rollback", self.id)
        } else {
            format!("{store}{sep}d{}/s{step}", self.id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_the_store_id_unless_it_is_empty() {
        let d = Decision {
            id: 7,
            proposal: Proposal::budget("search", 100.0, 110.0),
            risk: Risk { level: RiskLevel::Low, change: 0.1, spend: 110.0, confidence: 1.0 },
            status: DecisionStatus::Approved,
            created_ms: 0,
            expires_ms: 1,
            approver: None,
            note: None,
            stages: vec![],
            stages_done: 0,
            last_stage_ms: None,
            prior: None,
            verified: false,
            adjusted: None,
            outcome: None,
        };
        assert_eq!(d.key("9f2c4e1a0b7d3c58", 1), "9f2c4e1a0b7d3c58/d7/s1");
        assert_eq!(d.key("9f2c4e1a0b7d3c58", 0), "9f2c4e1a0b7d3c58/d7/rollback");
        assert_eq!((d.key("", 2), d.key("", 0)), ("d7/s2".to_string(), "d7/rollback".to_string()));
    }

    #[test]
    fn bad_proposals_name_the_field() {
        let e = Proposal::budget("c", 10.0, -1.0).validate().unwrap_err();
        assert!(e.to_string().starts_with("to must be in"), "{e}");
        let e = Proposal::budget("", 10.0, 1.0).validate().unwrap_err();
        assert!(e.to_string().contains("entity"));
        let e = Proposal::budget("c", 1.0, 2.0).confidence(1.5).validate().unwrap_err();
        assert!(e.to_string().contains("confidence"));
        let mut p = Proposal::budget("c", 1.0, 2.0);
        p.to = Value::Text("x".into());
        assert!(p.validate().unwrap_err().to_string().contains("not a value for a budget decision"));
        let e = Proposal::budget("c", 1.0, 2.0).impact("conversions/day", 5.0, 6.0, 7.0).validate().unwrap_err();
        assert!(e.to_string().contains("impact"));
        let e = Proposal::text(DecisionKind::Creative, "c", "a", "b").action(&Value::Text("b".into())).unwrap_err();
        assert!(e.to_string().contains("no action"));
    }

    #[test]
    fn risk_levels_follow_the_table() {
        let r = RiskRule::default();
        assert_eq!(r.level(0.2, 500.0, 0.8), RiskLevel::Low);
        assert_eq!(r.level(0.21, 500.0, 0.8), RiskLevel::Medium);
        assert_eq!(r.level(0.2, 500.0, 0.49), RiskLevel::High);
        assert_eq!(r.level(0.0, 5000.1, 1.0), RiskLevel::High);
        let p = Proposal::status("c", Status::Active, Status::Paused).confidence(0.9);
        assert_eq!(r.assess(&p).unwrap().level, RiskLevel::High); // spend unknown
        assert_eq!(r.assess(&p.spend_at_stake(100.0)).unwrap().level, RiskLevel::High); // all-or-nothing change: 1
        let unknown = r.assess(&Proposal::status("c", Status::Active, Status::Paused)).unwrap();
        let back: Risk = serde_json::from_str(&serde_json::to_string(&unknown).unwrap()).unwrap();
        assert_eq!(back.spend, f64::INFINITY, "an unknown spend survives the store's JSON");
        let bad = RiskRule { low_change: 0.9, ..RiskRule::default() };
        assert!(bad.validate().unwrap_err().to_string().contains("risk.low_change"));
    }
}
