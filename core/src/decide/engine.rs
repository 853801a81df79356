//! The decision engine: propose, approve, execute, verify, stop, roll back, and audit it all.
//!
//! [`Engine`] holds a [`Store`] (its state and audit log) and a [`Platform`] (the adapter
//! traits plus a clock and a way to wait). Every change of state is one [`Tx`]: the rows and the
//! audit entries describing them commit together or not at all.
//!
//! # Execution
//! [`Engine::execute`] takes an approved decision one stage further:
//! 1. refused while the emergency stop is set; an expired decision becomes `expired` and is not
//!    sent;
//! 2. the guardrails ([`crate::decide::policy::check`]) with the worst case the engine knows: the
//!    entity's last known state, its read-back, and every change sent whose outcome is unknown;
//! 3. in dry run, the would-be change is recorded and nothing is sent;
//! 4. the execution row (idempotency key `{store}/d{id}/s{stage}`, [`Store::id`] first) is
//!    committed as `started` **before** the change is sent, so a crash or a lost answer leaves
//!    a key to resend, never a second key;
//! 5. the change goes through [`ApplyChanges::apply_changes`] with retries by the policy's
//!    [`RetryPolicy`](crate::platform::policy::RetryPolicy) (the same key every time, so the
//!    platform applies it once);
//! 6. read-back ([`ApplyChanges::read_entity`], up to `verify_reads` times: a stale read shows
//!    the old state) and the caps again against the read-back; a breach there rolls the
//!    decision back at once.
//!
//! Executions and rollbacks run under the store's execution lock
//! ([`Store::try_lock_execution`]): while another engine sharing the store holds it, they are
//! `Deferred` and do nothing, so two engines never send the same stage.
//!
//! A refusal for good (the classifier gives up: a failed item, or a whole call refused with a
//! 4xx or a vendor error, [`Classifier::refused`](crate::platform::policy::Classifier::refused))
//! makes the decision `failed`, when no earlier attempt went unanswered. An answer that never
//! came (timeouts, a 5xx, a broken adapter, retries or their budget spent) leaves the decision
//! `executing` with its key `started`: executing it again resends the same key (also after its
//! expiry: that retries the execution that started in time, it does not start a new one), and
//! if the platform refuses the resend, the entity is read back first: a change it shows was
//! applied by the earlier send. Its target counts in the worst case of every later guardrail
//! check, and other decisions on the same entity wait (`deferred`) until it is settled, so the
//! value a rollback restores is always known.
//! Likewise a decision does not start on an entity and field while another one's staged
//! rollout there is under way: rollouts on one field never interleave, so undoing decisions
//! newest first restores each field's earlier value.
//!
//! # Stop and rollback
//! [`Engine::stop`] sets the stop flag, cancels every pending and approved decision and every
//! stage not yet sent, and refuses proposals and executions until [`Engine::resume`] by a named
//! person. Rollbacks are allowed while stopped (they restore). [`Engine::rollback`] restores the
//! value an entity had before a decision's first stage (refused while a later decision on the
//! same entity and field is live); [`Engine::rollback_since`] undoes every stage started at or
//! after an instant, newest first, restoring each entity to its value at that instant.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::decide::decision::{Decision, DecisionKind, DecisionStatus, Proposal, Risk, Value};
use crate::decide::policy::{caps_breach, check, Performance, Policy, StepCheck, Verdict};
use crate::decide::feedback::{self, Calibration};
use crate::decide::store::{AuditEntry, AuditRecord, ChainSummary, DecisionRow, EntityRow, ExecutionRow, Store, Tx};
use crate::platform::adapter::{
    Action, ApplyChanges, Change, Date, EntityState, MetricsQuery, Outcome, PlatformError, ReadMetrics, Status, DAY_MS,
};
use crate::platform::policy::{Disposition, Next, RetryBudgetState, Stop};
use crate::{Error, Result};

/// A platform the engine can act on: the adapter traits, the time, and a way to wait for a
/// retry.
pub trait Platform: ApplyChanges + ReadMetrics {
    /// Now, ms since the epoch.
    fn now_ms(&self) -> i64;
    /// Wait until `at_ms` (a real adapter sleeps; the simulated market moves its clock).
    fn sleep_until(&mut self, at_ms: i64);
}

impl Platform for crate::platform::sim::SimMarket {
    fn now_ms(&self) -> i64 {
        crate::platform::sim::SimMarket::now_ms(self)
    }

    fn sleep_until(&mut self, at_ms: i64) {
        self.wait_until(at_ms);
    }
}

/// What [`Engine::execute`] (or a rollback) did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ExecOutcome {
    /// Every stage applied; `verified` when a read-back showed it.
    Executed {
        /// Read back in effect.
        verified: bool,
    },
    /// Stage `done` of `of` applied; the next waits for `stage_wait_ms` and a check.
    Staged {
        /// Stages applied.
        done: u32,
        /// Stages in all.
        of: u32,
    },
    /// Dry run: recorded, not sent.
    DryRun,
    /// A guardrail blocked it.
    Blocked {
        /// The guardrail.
        guardrail: String,
        /// Why, with the numbers.
        reason: String,
    },
    /// Not now: try again at `until_ms` (the vendor's change frequency, or the wait between
    /// stages).
    Deferred {
        /// Why.
        reason: String,
        /// When.
        until_ms: i64,
    },
    /// Past its expiry: not sent.
    Expired,
    /// The platform refused it.
    Failed {
        /// The vendor's error.
        error: String,
    },
    /// No answer: the same key is resent by the next call.
    InDoubt {
        /// The last error.
        error: String,
    },
    /// Nothing to do: the decision is already in this status.
    Unchanged {
        /// Its status.
        status: DecisionStatus,
    },
    /// Rolled back: the entity holds its earlier value again.
    RolledBack {
        /// Read back in effect.
        verified: bool,
    },
}

/// The emergency stop as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopState {
    /// Who stopped.
    pub by: String,
    /// When.
    pub at_ms: i64,
    /// Why.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ExecBody {
    action: Action,
    /// The entity's value before this step.
    before: Value,
    kind: DecisionKind,
    #[serde(default)]
    verified: bool,
}

enum Sent {
    Applied(EntityState),
    Failed(PlatformError),
    Unknown(PlatformError),
}

const STOP: &str = "stop";
const ENGINE: &str = "engine";

/// The decision engine (see the [module docs](self)).
///
/// ```
/// use channelwise::decide::decision::{DecisionStatus, Proposal};
/// use channelwise::decide::engine::{Engine, ExecOutcome};
/// use channelwise::decide::policy::{Guardrails, Policy};
/// use channelwise::decide::store::SqliteStore;
/// use channelwise::platform::sim::{SimConfig, SimMarket};
///
/// let market = SimMarket::new(SimConfig::default())?; // search 100/day, social 150/day
/// let policy = Policy { guardrails: Guardrails { account_daily_cap: Some(300.0), ..Guardrails::default() }, ..Policy::default() };
/// let mut engine = Engine::new(SqliteStore::open(":memory:")?, market, policy)?;
/// engine.observe("social")?; // the account cap sums the entities the engine knows
///
/// let small = engine.propose(Proposal::budget("search", 100.0, 110.0).confidence(0.9).reason("marginal ROAS 2.1"))?;
/// assert_eq!(small.status, DecisionStatus::Approved); // low risk: approved by the policy
/// assert_eq!(engine.execute(small.id)?, ExecOutcome::Executed { verified: true });
///
/// let big = engine.propose(Proposal::budget("search", 110.0, 160.0).confidence(0.9))?;
/// assert_eq!(big.status, DecisionStatus::Pending); // a 45% change waits for a person
/// engine.approve(big.id, "ana")?;
/// let ExecOutcome::Blocked { guardrail, reason } = engine.execute(big.id)? else { panic!() };
/// assert_eq!(guardrail, "account_daily_cap");
/// assert_eq!(reason, "account daily budget would be 310.00, above the cap of 300.00");
///
/// engine.rollback(small.id, "ana")?; // search is back at 100
/// assert!(engine.verify()?.entries > 5);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug)]
pub struct Engine<S: Store, P: Platform> {
    store: S,
    platform: P,
    policy: Policy,
    budget: RetryBudgetState,
    /// The calibration as of an audit entry (see [`Engine::current_calibration`]).
    calibrated: Option<(u64, Vec<Calibration>)>,
    /// The store's id, the first part of every idempotency key ([`Store::id`]).
    store_id: String,
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(format!("serialising a decision record: {e}")))
}

fn parse<T: for<'de> Deserialize<'de>>(what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::InvalidRecord { row: 0, column: what.into(), value: s.chars().take(80).collect(), reason: e.to_string() })
}

fn person(field: &str, who: &str) -> Result<()> {
    if who.trim().is_empty() {
        return Err(Error::param(field, who, "a named person is required"));
    }
    Ok(())
}

fn value_of(kind: DecisionKind, s: &EntityState) -> Option<Value> {
    match kind {
        DecisionKind::Budget => Some(Value::Money(s.daily_budget)),
        DecisionKind::Bid => s.bid.map(Value::Money),
        DecisionKind::Status => Some(Value::Status(s.status)),
        DecisionKind::Targeting | DecisionKind::Creative => None,
    }
}

impl<S: Store, P: Platform> Engine<S, P> {
    /// An engine over `store` acting on `platform` under `policy`.
    ///
    /// # Errors
    /// The errors of [`Policy::validate`]; `io` when the store's id cannot be read.
    pub fn new(store: S, platform: P, policy: Policy) -> Result<Self> {
        policy.validate()?;
        let budget = policy.retry.budget.full();
        let store_id = store.id()?;
        Ok(Engine { store, platform, policy, budget, calibrated: None, store_id })
    }

    /// The store and the platform back (an engine built again from them carries on where this
    /// one stopped: every state it needs is in the store).
    pub fn into_parts(self) -> (S, P) {
        (self.store, self.platform)
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The platform.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// The platform, to move a simulated market's clock or read it directly.
    pub fn platform_mut(&mut self) -> &mut P {
        &mut self.platform
    }

    /// The store's id ([`Store::id`]), the first part of every idempotency key the engine sends
    /// (`{store_id}/d{decision}/s{stage}`).
    pub fn store_id(&self) -> &str {
        &self.store_id
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    fn now(&self) -> i64 {
        self.platform.now_ms()
    }

    fn record(&self, actor: &str, action: &str, decision: Option<u64>, detail: serde_json::Value) -> AuditRecord {
        AuditRecord { at_ms: self.now(), actor: actor.into(), action: action.into(), decision, detail: detail.to_string() }
    }

    fn row(d: &Decision) -> Result<DecisionRow> {
        Ok(DecisionRow { id: d.id, status: d.status.code().into(), created_ms: d.created_ms, body: json(d)? })
    }

    fn commit_decision(&mut self, d: &Decision, extra: Tx, audit: Vec<AuditRecord>) -> Result<Vec<AuditEntry>> {
        let mut tx = extra;
        tx.decisions.push(Self::row(d)?);
        tx.audit.extend(audit);
        self.store.commit(tx)
    }

    /// One decision.
    ///
    /// # Errors
    /// `invalid_parameter` (field `decision`) for an unknown id; `io` from the store.
    pub fn decision(&self, id: u64) -> Result<Decision> {
        let row = self.store.decision(id)?.ok_or_else(|| Error::param("decision", id, "no such decision"))?;
        parse("decisions.body", &row.body)
    }

    /// Every decision, oldest first.
    ///
    /// # Errors
    /// `io` from the store; `invalid_record` for a row that does not parse.
    pub fn decisions(&self) -> Result<Vec<Decision>> {
        self.store.decisions(&[])?.iter().map(|r| parse("decisions.body", &r.body)).collect()
    }

    /// The decisions waiting for a person.
    ///
    /// # Errors
    /// As [`Engine::decisions`].
    pub fn pending(&self) -> Result<Vec<Decision>> {
        self.store.decisions(&["pending"])?.iter().map(|r| parse("decisions.body", &r.body)).collect()
    }

    /// The emergency stop, if set.
    ///
    /// # Errors
    /// `io` from the store.
    pub fn stopped(&self) -> Result<Option<StopState>> {
        match self.store.flag(STOP)? {
            Some(s) => Ok(Some(parse("flags.stop", &s)?)),
            None => Ok(None),
        }
    }

    /// A commit refused by the stop flag, said as [`Engine::refuse_if_stopped`] says it.
    fn stopped_error(&self, e: Error) -> Error {
        match (&e, self.refuse_if_stopped("this step")) {
            (Error::InvalidParameter { field, .. }, Err(stopped)) if field == STOP => stopped,
            _ => e,
        }
    }

    fn refuse_if_stopped(&self, what: &str) -> Result<()> {
        if let Some(s) = self.stopped()? {
            return Err(Error::param("engine", "stopped", format!("{what} refused: emergency stop by {} at {} ({}); a named person must resume", s.by, s.at_ms, s.reason)));
        }
        Ok(())
    }

    /// The engine's known state of `entity`: from the store, or read from the platform once
    /// and recorded (audited as `observe`). The account caps sum the entities the engine
    /// knows: observe every entity of the account before relying on them (an entity is also
    /// observed when a decision names it).
    ///
    /// # Errors
    /// `invalid_parameter` (field `entity`) when the platform does not know it; `io` when it
    /// could not be read (after retries) or the store fails.
    pub fn observe(&mut self, entity: &str) -> Result<EntityState> {
        if let Some(r) = self.store.entity(entity)? {
            return parse("entities.body", &r.body);
        }
        let state = self.read_with_retries(entity).map_err(|e| match self.policy.retry.classifier.classify(&e, 0) {
            Disposition::GiveUp { retry_at_ms: None } => Error::param("entity", entity, format!("the platform does not know it: {e}")),
            _ => Error::Io(format!("reading {entity} from the platform: {e}")),
        })?;
        let rec = self.record(ENGINE, "observe", None, serde_json::json!({ "entity": entity, "state": state }));
        self.store.commit(Tx { entities: vec![EntityRow { id: entity.into(), body: json(&state)? }], audit: vec![rec], ..Tx::default() })?;
        Ok(state)
    }

    fn read_with_retries(&mut self, entity: &str) -> std::result::Result<EntityState, PlatformError> {
        let mut failed = 0u32;
        loop {
            match self.platform.read_entity(entity) {
                Ok(s) => {
                    self.policy.retry.budget.on_success(&mut self.budget);
                    return Ok(s);
                }
                Err(e) => {
                    let now = self.now();
                    match self.policy.retry.next(&e, failed, &mut self.budget, now, seed(entity, failed)) {
                        Next::RetryAt { at_ms } => self.platform.sleep_until(at_ms),
                        Next::Stop(_) => return Err(e),
                    }
                    failed += 1;
                }
            }
        }
    }

    /// Propose a change: it becomes a decision, approved by the policy when its risk allows,
    /// else pending for a named approver. The risk is the higher of the change from the
    /// proposal's `from` and the change from the value the engine last saw of the entity.
    ///
    /// # Errors
    /// The errors of [`Proposal::validate`]; `invalid_parameter` (field `engine`) while the
    /// emergency stop is set, (field `entity`) for an entity the platform does not know; `io`.
    pub fn propose(&mut self, p: Proposal) -> Result<Decision> {
        p.validate()?;
        self.refuse_if_stopped("new decisions")?;
        let seen = self.observe(&p.entity)?;
        let risk = self.assess(&p, &seen)?;
        let now = self.now();
        let ttl = p.ttl_ms.unwrap_or(self.policy.ttl_ms);
        let stages = match p.kind {
            DecisionKind::Budget | DecisionKind::Bid => self.policy.stages_for(p.kind, &p.from, &p.to),
            _ => vec![p.to.clone()],
        };
        let auto = self.policy.auto_approves(risk.level);
        let shrink = self.current_calibration()?.iter().find(|c| c.kind == p.kind).map_or(1.0, |c| c.shrink);
        let adjusted = (shrink < 1.0).then(|| feedback::shrunk(&p.impact, shrink));
        let d = Decision {
            id: self.store.max_decision_id()? + 1,
            proposal: p,
            risk,
            status: if auto { DecisionStatus::Approved } else { DecisionStatus::Pending },
            created_ms: now,
            expires_ms: now.saturating_add(ttl),
            approver: auto.then(|| "policy".to_string()),
            note: None,
            stages,
            stages_done: 0,
            last_stage_ms: None,
            prior: None,
            verified: false,
            adjusted,
            outcome: None,
        };
        let mut audit = vec![self.record(ENGINE, "propose", Some(d.id), serde_json::json!({ "proposal": d.proposal, "risk": d.risk, "stages": d.stages, "adjusted": d.adjusted }))];
        if auto {
            audit.push(self.record("policy", "approve", Some(d.id), serde_json::json!({ "risk": d.risk.level })));
        }
        self.store.commit(Tx { new_decisions: vec![Self::row(&d)?], audit, unless_flag: Some(STOP.into()), ..Tx::default() }).map_err(|e| self.stopped_error(e))?;
        Ok(d)
    }

    /// The risk of `p`, judged also from the value the engine last saw, when that differs from
    /// the proposal's `from`: the higher of the two. A `from` of 190 for a budget at 100 would
    /// otherwise pass a doubling as +5% and auto-approve it; a change proposed after others
    /// still to run (100 -> 105, then 105 -> 110) is judged as the move from now.
    fn assess(&self, p: &Proposal, seen: &EntityState) -> Result<Risk> {
        let risk = self.policy.risk.assess(p)?;
        match value_of(p.kind, seen) {
            Some(now) if now != p.from => {
                let from_now = self.policy.risk.assess(&Proposal { from: now, ..p.clone() })?;
                Ok(if from_now.level > risk.level { from_now } else { risk })
            }
            _ => Ok(risk),
        }
    }

    fn expire(&mut self, mut d: Decision) -> Result<Decision> {
        d.status = DecisionStatus::Expired;
        d.note = Some(format!("expired at {} before it was executed", d.expires_ms));
        let rec = self.record(ENGINE, "expire", Some(d.id), serde_json::json!({ "expires_ms": d.expires_ms, "stages_done": d.stages_done }));
        self.commit_decision(&d, Tx::default(), vec![rec])?;
        Ok(d)
    }

    /// Approve a pending decision, as `approver`.
    ///
    /// # Errors
    /// `invalid_parameter`: field `approver` when empty; field `decision` for an unknown id, a
    /// decision that is not pending, or one past its expiry (it is recorded as expired first).
    pub fn approve(&mut self, id: u64, approver: &str) -> Result<Decision> {
        person("approver", approver)?;
        let mut d = self.decision(id)?;
        if d.status != DecisionStatus::Pending {
            return Err(Error::param("decision", id, format!("is {}, not pending", d.status.code())));
        }
        if self.now() > d.expires_ms {
            let d = self.expire(d)?;
            return Err(Error::param("decision", id, format!("expired at {}: not approved", d.expires_ms)));
        }
        d.status = DecisionStatus::Approved;
        d.approver = Some(approver.into());
        let rec = self.record(approver, "approve", Some(id), serde_json::json!({}));
        self.commit_decision(&d, Tx::default(), vec![rec])?;
        Ok(d)
    }

    /// Reject a pending decision, as `approver`, saying why.
    ///
    /// # Errors
    /// As [`Engine::approve`] (an expired decision is recorded as expired).
    pub fn reject(&mut self, id: u64, approver: &str, reason: &str) -> Result<Decision> {
        person("approver", approver)?;
        let mut d = self.decision(id)?;
        if d.status != DecisionStatus::Pending {
            return Err(Error::param("decision", id, format!("is {}, not pending", d.status.code())));
        }
        d.status = DecisionStatus::Rejected;
        d.approver = Some(approver.into());
        d.note = Some(reason.into());
        let rec = self.record(approver, "reject", Some(id), serde_json::json!({ "reason": reason }));
        self.commit_decision(&d, Tx::default(), vec![rec])?;
        Ok(d)
    }

    /// The emergency stop, by `by`: halts executions, cancels every pending and approved
    /// decision and every stage not yet sent, refuses new ones until [`Engine::resume`].
    /// Decisions whose outcome is unknown stay `executing` (their key may have been applied).
    ///
    /// # Errors
    /// `invalid_parameter` (field `by`) when empty; `io`.
    pub fn stop(&mut self, by: &str, reason: &str) -> Result<Vec<u64>> {
        person("by", by)?;
        let now = self.now();
        let state = StopState { by: by.into(), at_ms: now, reason: reason.into() };
        let mut tx = Tx { flags: vec![(STOP.into(), Some(json(&state)?))], ..Tx::default() };
        let mut cancelled = Vec::new();
        for r in self.store.decisions(&["pending", "approved", "executing"])? {
            let mut d: Decision = parse("decisions.body", &r.body)?;
            if d.status == DecisionStatus::Executing && self.in_doubt(&d)?.is_some() {
                continue;
            }
            d.status = DecisionStatus::Cancelled;
            d.note = Some(format!("cancelled by the emergency stop ({by}: {reason}) after {} of {} stages", d.stages_done, d.stages.len()));
            cancelled.push(d.id);
            tx.decisions.push(Self::row(&d)?);
        }
        tx.audit.push(self.record(by, "stop", None, serde_json::json!({ "reason": reason, "cancelled": cancelled })));
        self.store.commit(tx)?;
        Ok(cancelled)
    }

    /// Clear the emergency stop, by `by`.
    ///
    /// # Errors
    /// `invalid_parameter`: field `by` when empty, field `engine` when not stopped.
    pub fn resume(&mut self, by: &str) -> Result<()> {
        person("by", by)?;
        let Some(s) = self.stopped()? else {
            return Err(Error::param("engine", "running", "not stopped"));
        };
        let rec = self.record(by, "resume", None, serde_json::json!({ "stopped_by": s.by, "stopped_at": s.at_ms }));
        self.store.commit(Tx { flags: vec![(STOP.into(), None)], audit: vec![rec], ..Tx::default() })?;
        Ok(())
    }

    /// Flag a day for the anomaly gate (no budget increase that day), by `by`.
    ///
    /// # Errors
    /// `invalid_parameter` (field `by`) when empty; `io`.
    pub fn flag_anomaly(&mut self, day: Date, by: &str, reason: &str) -> Result<()> {
        person("by", by)?;
        let rec = self.record(by, "flag_anomaly", None, serde_json::json!({ "day": day, "reason": reason }));
        self.store.commit(Tx { flags: vec![(format!("anomaly:{day}"), Some(reason.into()))], audit: vec![rec], ..Tx::default() })?;
        Ok(())
    }

    /// The started (unresolved) forward execution of a decision, if any.
    fn in_doubt(&self, d: &Decision) -> Result<Option<ExecutionRow>> {
        let key = d.key(&self.store_id, d.stages_done + 1);
        Ok(self.store.execution(&key)?.filter(|x| x.state == "started"))
    }

    /// Every known entity's worst-case daily budget and status, with `entity`'s read-back.
    fn exposures(&self, readback: Option<&EntityState>) -> Result<std::collections::BTreeMap<String, (f64, bool)>> {
        let mut out = std::collections::BTreeMap::new();
        for r in self.store.entities()? {
            let s: EntityState = parse("entities.body", &r.body)?;
            out.insert(r.id, (s.daily_budget, s.status == Status::Active));
        }
        if let Some(s) = readback {
            let e = out.entry(s.entity.clone()).or_insert((0.0, false));
            e.0 = e.0.max(s.daily_budget);
            e.1 |= s.status == Status::Active;
        }
        for x in self.store.executions_in_state("started")? {
            let body: ExecBody = parse("executions.body", &x.body)?;
            let e = out.entry(x.entity.clone()).or_insert((0.0, false));
            match body.action {
                Action::Budget { daily } => e.0 = e.0.max(daily),
                Action::Status { status: Status::Active } => e.1 = true,
                _ => {}
            }
        }
        Ok(out)
    }

    fn step_check(&mut self, d: &Decision, current: &EntityState, target: &Value, rollback: bool) -> Result<StepCheck> {
        let kind = d.proposal.kind;
        let entity = d.proposal.entity.clone();
        let cur = value_of(kind, current).unwrap_or_else(|| d.proposal.from.clone());
        let mut s = StepCheck::new(entity.clone(), kind, cur, target.clone());
        s.exposures = self.exposures(Some(current))?;
        let now = self.now();
        s.now_ms = now;
        s.rollback = rollback;
        let g = self.policy.guardrails.clone();
        let history = self.store.executions(Some(&entity))?;
        for x in &history {
            let body: ExecBody = parse("executions.body", &x.body)?;
            if body.kind != kind {
                continue;
            }
            if kind == DecisionKind::Budget && now - x.at_ms < 3 * DAY_MS {
                s.recent_changes.push(x.at_ms);
            }
            if s.window_start.is_none() && now - x.at_ms < g.window_ms {
                if let Value::Money(m) = body.before {
                    s.window_start = Some(m);
                }
            }
        }
        s.anomaly = self.store.flag(&format!("anomaly:{}", Date::from_ms(now)))?;
        if let Some(perf) = g.performance {
            if let Some(p) = self.performance(&entity, perf.lookback_days)? {
                s.performance_breach = perf.breach(&p);
            }
        }
        if let Some(from) = g.lifetime_from {
            if g.account_lifetime_cap.is_some() || g.campaign_lifetime_cap.contains_key(&entity) {
                let to = Date::from_ms(now).add_days(-1);
                if to >= from {
                    let q = MetricsQuery::new(from, to)?;
                    let rows = self.read_metrics_with_retries(&q).map_err(|e| Error::Io(format!("reading lifetime spend: {e}")))?;
                    for r in rows {
                        *s.lifetime_spend.entry(r.entity).or_insert(0.0) += r.spend;
                    }
                }
            }
        }
        Ok(s)
    }

    fn read_metrics_with_retries(&mut self, q: &MetricsQuery) -> std::result::Result<Vec<crate::platform::adapter::MetricsRow>, PlatformError> {
        let mut failed = 0u32;
        loop {
            match self.platform.read_metrics(q) {
                Ok(rows) => return Ok(rows),
                Err(e) => {
                    let now = self.now();
                    match self.policy.retry.next(&e, failed, &mut self.budget, now, seed("metrics", failed)) {
                        Next::RetryAt { at_ms } => self.platform.sleep_until(at_ms),
                        Next::Stop(_) => return Err(e),
                    }
                    failed += 1;
                }
            }
        }
    }

    /// Spend, conversions and value of `entity` over the `days` days before today.
    fn performance(&mut self, entity: &str, days: u32) -> Result<Option<Performance>> {
        let today = Date::from_ms(self.now());
        if days == 0 {
            return Ok(None);
        }
        let q = MetricsQuery::new(today.add_days(-(days as i32)), today.add_days(-1))?.entities([entity]);
        let rows = self.read_metrics_with_retries(&q).map_err(|e| Error::Io(format!("reading performance of {entity}: {e}")))?;
        let mut p = Performance::default();
        for r in rows {
            p.spend += r.spend;
            p.conversions += r.conversions;
            p.value += r.value;
        }
        Ok(Some(p))
    }

    /// Propose a pause (approved by the guardrail) for every known, active entity whose ROAS
    /// or CPA breaches the performance guard over a sufficient sample; none without a guard.
    ///
    /// # Errors
    /// `io` when metrics cannot be read; the errors of [`Engine::propose`].
    pub fn check_performance(&mut self) -> Result<Vec<Decision>> {
        let Some(g) = self.policy.guardrails.performance else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for r in self.store.entities()? {
            let s: EntityState = parse("entities.body", &r.body)?;
            if s.status != Status::Active {
                continue;
            }
            let Some(p) = self.performance(&r.id, g.lookback_days)? else { continue };
            if let Some(why) = g.breach(&p) {
                let proposal = Proposal::status(r.id.clone(), Status::Active, Status::Paused).confidence(1.0).spend_at_stake(s.daily_budget).reason(format!("auto-pause: {why}"));
                let mut d = self.propose(proposal)?;
                if d.status == DecisionStatus::Pending {
                    d.status = DecisionStatus::Approved;
                    d.approver = Some("guardrail:performance".into());
                    let rec = self.record("guardrail:performance", "approve", Some(d.id), serde_json::json!({ "breach": why }));
                    self.commit_decision(&d, Tx::default(), vec![rec])?;
                }
                out.push(d);
            }
        }
        Ok(out)
    }

    /// Send one change with retries by the policy, the same key every time. `Failed` only when
    /// the platform refused it for good (the classifier's give-up) and every attempt was
    /// answered; otherwise, once retries are spent, `Unknown`.
    fn send(&mut self, change: &Change) -> Sent {
        let mut failed = 0u32;
        let mut uncertain = false;
        loop {
            let error = match self.platform.apply_changes(std::slice::from_ref(change)) {
                Ok(results) if results.len() == 1 => match &results[0].outcome {
                    Outcome::Applied { state } | Outcome::AlreadyApplied { state } => {
                        self.policy.retry.budget.on_success(&mut self.budget);
                        return Sent::Applied(state.clone());
                    }
                    Outcome::Failed { error } => error.clone(),
                },
                Ok(results) => {
                    uncertain = true;
                    PlatformError::Adapter { message: format!("the adapter answered {} results for 1 change", results.len()) }
                }
                Err(e) => {
                    // a whole call the vendor refused (4xx, throttled) applied nothing; one with
                    // no answer, a 5xx or a broken adapter may have been applied
                    uncertain |= !self.policy.retry.classifier.refused(&e, self.now());
                    e
                }
            };
            let now = self.now();
            // the jitter follows the key without the store's random id, so a run is the same
            // on every store
            let local = change.key.as_str().strip_prefix(self.store_id.as_str()).unwrap_or(change.key.as_str());
            match self.policy.retry.next(&error, failed, &mut self.budget, now, seed(local.trim_start_matches('/'), failed)) {
                Next::RetryAt { at_ms } => self.platform.sleep_until(at_ms),
                // only a refusal that will never succeed, with no attempt left unanswered, is
                // proof the change was not applied: a temporary item failure may still have
                // been applied by a duplicated delivery
                Next::Stop(Stop::GiveUp { .. }) if !uncertain => return Sent::Failed(error),
                Next::Stop(_) => return Sent::Unknown(error),
            }
            failed += 1;
        }
    }

    /// [`send`](Self::send) `change`. When an earlier send of its key is in doubt (`resent`), a
    /// refusal now does not prove that send was not applied: the entity is read back, and a
    /// change it shows was applied.
    fn settle(&mut self, change: &Change, resent: bool) -> Sent {
        match self.send(change) {
            Sent::Failed(error) if resent => match self.read_back(change) {
                Some(state) => Sent::Applied(state),
                None => Sent::Failed(error),
            },
            sent => sent,
        }
    }

    /// Read back until the change shows (at most `verify_reads` reads).
    fn read_back(&mut self, change: &Change) -> Option<EntityState> {
        for _ in 0..self.policy.verify_reads {
            if let Ok(s) = self.platform.read_entity(&change.entity) {
                if change.is_reflected_in(&s) {
                    return Some(s);
                }
            }
        }
        None
    }

    /// Take an approved decision one stage further (see the [module docs](self)).
    ///
    /// # Errors
    /// `invalid_parameter`: field `decision` for an unknown id or one that is pending (not
    /// approved), field `engine` while the emergency stop is set, field `kind` for a targeting
    /// or creative decision outside dry run; `io` from the store (then nothing of this step
    /// was written, and a key already `started` is resent by the next call).
    pub fn execute(&mut self, id: u64) -> Result<ExecOutcome> {
        self.exclusively(|e| e.execute_locked(id))
    }

    /// Run `f` holding the store's execution lock ([`Store::try_lock_execution`]): while another
    /// engine sharing the store holds it, nothing is done and the outcome is `Deferred`.
    fn exclusively(&mut self, f: impl FnOnce(&mut Self) -> Result<ExecOutcome>) -> Result<ExecOutcome> {
        if !self.store.try_lock_execution()? {
            let reason = "another engine sharing the store is executing or rolling back a decision: try again".to_string();
            return Ok(ExecOutcome::Deferred { reason, until_ms: self.now() });
        }
        let out = f(self);
        let released = self.store.unlock_execution();
        let out = out?;
        released?;
        Ok(out)
    }

    fn execute_locked(&mut self, id: u64) -> Result<ExecOutcome> {
        let mut d = self.decision(id)?;
        match d.status {
            DecisionStatus::Approved | DecisionStatus::Executing => {}
            DecisionStatus::Pending => return Err(Error::param("decision", id, "is pending: a named approver must approve it first")),
            status => return Ok(ExecOutcome::Unchanged { status }),
        }
        self.refuse_if_stopped("execution")?;
        let now = self.now();
        let doubt = self.in_doubt(&d)?;
        if doubt.is_none() && now > d.expires_ms {
            self.expire(d)?;
            return Ok(ExecOutcome::Expired);
        }
        let entity = d.proposal.entity.clone();
        if doubt.is_none() {
            // a change to the same entity whose outcome is unknown makes its state unknown
            if let Some(x) = self.store.executions(Some(&entity))?.into_iter().find(|x| x.state == "started" && x.decision != id) {
                let reason = format!("{entity} has change {} in doubt: execute decision {} again to settle it first", x.key, x.decision);
                return Ok(ExecOutcome::Deferred { reason, until_ms: now });
            }
            // one rollout at a time per entity and field, so rollbacks undo whole decisions in order
            if d.stages_done == 0 {
                for r in self.store.decisions(&["executing"])? {
                    let o: Decision = parse("decisions.body", &r.body)?;
                    if o.id != id && o.proposal.entity == entity && o.proposal.kind == d.proposal.kind {
                        let reason = format!("decision {} is rolling out on {entity} {} (stage {} of {}): this one waits for it", o.id, o.proposal.kind.code(), o.stages_done, o.stages.len());
                        return Ok(ExecOutcome::Deferred { reason, until_ms: now });
                    }
                }
            }
        }
        let step = d.stages_done + 1;
        let target = d.stages[(step - 1) as usize].clone();
        if doubt.is_none() && d.stages_done > 0 {
            if let Some(last) = d.last_stage_ms {
                let until_ms = last.saturating_add(self.policy.stage_wait_ms);
                if now < until_ms {
                    return Ok(ExecOutcome::Deferred { reason: format!("stage {step} of {} waits until {until_ms}", d.stages.len()), until_ms });
                }
            }
        }
        let known = self.observe(&entity)?;
        let readback = match self.read_with_retries(&entity) {
            Ok(s) => s,
            Err(_) => known.clone(),
        };
        if doubt.is_none() && d.stages_done > 0 && !d.verified {
            let prev = d.proposal.action(&d.stages[(step - 2) as usize])?;
            let c = Change { key: crate::platform::adapter::IdempotencyKey::new(d.key(&self.store_id, step - 1))?, entity: entity.clone(), action: prev };
            if self.read_back(&c).is_none() {
                let reason = format!("stage {} of {} is not confirmed by read-back: the next stage is not sent", step - 1, d.stages.len());
                return self.block(d, "staged_rollout".into(), reason);
            }
        }
        let mut current = known.clone();
        current.daily_budget = known.daily_budget.max(readback.daily_budget);
        if readback.status == Status::Active {
            current.status = Status::Active;
        }
        let before = value_of(d.proposal.kind, &known).unwrap_or_else(|| if d.stages_done == 0 { d.proposal.from.clone() } else { d.stages[(step - 2) as usize].clone() });
        if doubt.is_none() {
            let s = self.step_check(&d, &current, &target, false)?;
            match check(&self.policy.guardrails, &s) {
                Verdict::Pass => {}
                Verdict::Block { guardrail, reason } => return self.block(d, guardrail, reason),
                Verdict::Defer { guardrail, reason, until_ms } => {
                    let rec = self.record(ENGINE, "defer", Some(id), serde_json::json!({ "guardrail": guardrail, "reason": reason, "until_ms": until_ms }));
                    self.store.commit(Tx { audit: vec![rec], ..Tx::default() })?;
                    return Ok(ExecOutcome::Deferred { reason: format!("{guardrail}: {reason}"), until_ms });
                }
            }
        }
        if self.policy.dry_run {
            d.status = DecisionStatus::DryRun;
            d.note = Some(format!("dry run: would set {} {} from {before} to {}", entity, d.proposal.kind.code(), d.proposal.to));
            let rec = self.record(ENGINE, "dry_run", Some(id), serde_json::json!({ "entity": entity, "from": before, "stages": d.stages }));
            self.commit_decision(&d, Tx::default(), vec![rec])?;
            return Ok(ExecOutcome::DryRun);
        }
        let action = d.proposal.action(&target)?;
        let change = Change::new(d.key(&self.store_id, step), entity.clone(), action)?;
        let body = ExecBody { action, before: before.clone(), kind: d.proposal.kind, verified: false };
        let started_at = doubt.as_ref().map_or(now, |x| x.at_ms);
        let mut row = ExecutionRow { key: change.key.to_string(), decision: id, step, entity: entity.clone(), state: "started".into(), at_ms: started_at, body: json(&body)? };
        if doubt.is_none() {
            if d.stages_done == 0 {
                d.prior = Some(before.clone());
            }
            d.status = DecisionStatus::Executing;
            let rec = self.record(ENGINE, "send", Some(id), serde_json::json!({ "key": row.key, "change": change.action, "from": before }));
            // the stop flag is checked again inside this transaction: another process's stop wins
            let tx = Tx { executions: vec![row.clone()], unless_flag: Some(STOP.into()), ..Tx::default() };
            self.commit_decision(&d, tx, vec![rec]).map_err(|e| self.stopped_error(e))?;
        }
        match self.settle(&change, doubt.is_some()) {
            Sent::Applied(state) => {
                let checked = self.read_back(&change);
                let verified = checked.is_some();
                row.state = "applied".into();
                row.body = json(&ExecBody { verified, ..body })?;
                d.stages_done = step;
                d.last_stage_ms = Some(self.now());
                d.verified = verified;
                let done = step as usize == d.stages.len();
                d.status = if done { DecisionStatus::Executed } else { DecisionStatus::Executing };
                let seen = checked.clone().unwrap_or(state.clone());
                let rec = self.record(ENGINE, "applied", Some(id), serde_json::json!({ "key": row.key, "state": state, "verified": verified, "stage": step, "of": d.stages.len() }));
                let ent = EntityRow { id: entity.clone(), body: json(&seen)? };
                self.commit_decision(&d, Tx { executions: vec![row], entities: vec![ent], ..Tx::default() }, vec![rec])?;
                let raised = match (&before, &target) {
                    (Value::Money(a), Value::Money(b)) => d.proposal.kind == DecisionKind::Budget && b > a,
                    (_, Value::Status(st)) => *st == Status::Active,
                    _ => false,
                };
                if raised {
                    if let Some((guardrail, reason)) = caps_breach(&self.policy.guardrails, &self.exposures(checked.as_ref())?) {
                        let rec = self.record(ENGINE, "breach_after_apply", Some(id), serde_json::json!({ "guardrail": guardrail, "reason": reason }));
                        self.store.commit(Tx { audit: vec![rec], ..Tx::default() })?;
                        return self.rollback_to(id, ENGINE, None);
                    }
                }
                Ok(if done { ExecOutcome::Executed { verified } } else { ExecOutcome::Staged { done: step, of: d.stages.len() as u32 } })
            }
            Sent::Failed(error) => {
                row.state = "failed".into();
                d.status = if d.stages_done == 0 { DecisionStatus::Failed } else { DecisionStatus::Cancelled };
                d.note = Some(format!("the platform refused stage {step}: {error}"));
                let rec = self.record(ENGINE, "failed", Some(id), serde_json::json!({ "key": row.key, "error": error }));
                self.commit_decision(&d, Tx { executions: vec![row], ..Tx::default() }, vec![rec])?;
                Ok(ExecOutcome::Failed { error: error.to_string() })
            }
            Sent::Unknown(error) => {
                let rec = self.record(ENGINE, "in_doubt", Some(id), serde_json::json!({ "key": row.key, "error": error }));
                self.store.commit(Tx { audit: vec![rec], ..Tx::default() })?;
                Ok(ExecOutcome::InDoubt { error: error.to_string() })
            }
        }
    }

    fn block(&mut self, mut d: Decision, guardrail: String, reason: String) -> Result<ExecOutcome> {
        d.status = if d.stages_done == 0 { DecisionStatus::Blocked } else { DecisionStatus::Cancelled };
        d.note = Some(format!("blocked by {guardrail}: {reason}"));
        let rec = self.record(ENGINE, "block", Some(d.id), serde_json::json!({ "guardrail": guardrail, "reason": reason, "stages_done": d.stages_done }));
        self.commit_decision(&d, Tx::default(), vec![rec])?;
        Ok(ExecOutcome::Blocked { guardrail, reason })
    }

    /// Execute every approved decision and every staged one that is due, oldest first; the
    /// outcome of each.
    ///
    /// # Errors
    /// As [`Engine::execute`] (the emergency stop refuses the whole run).
    pub fn run_due(&mut self) -> Result<Vec<(u64, ExecOutcome)>> {
        self.refuse_if_stopped("execution")?;
        let mut out = Vec::new();
        for r in self.store.decisions(&["approved", "executing"])? {
            out.push((r.id, self.execute(r.id)?));
        }
        Ok(out)
    }

    /// Undo a decision: restore the value its entity had before the first stage, as `by`.
    /// Allowed while stopped. Refused while a later decision on the same entity and field is
    /// live (roll that back first, or use [`Engine::rollback_since`]).
    ///
    /// # Errors
    /// `invalid_parameter`: field `by` when empty; field `decision` for an unknown id, one with
    /// nothing sent, one already rolled back, or one followed by a live decision on the same
    /// entity and field; `io`.
    pub fn rollback(&mut self, id: u64, by: &str) -> Result<ExecOutcome> {
        person("by", by)?;
        self.exclusively(|e| e.rollback_locked(id, by))
    }

    fn rollback_locked(&mut self, id: u64, by: &str) -> Result<ExecOutcome> {
        let d = self.decision(id)?;
        let mine: Vec<ExecutionRow> = self.forward_rows(id)?;
        let Some(first) = mine.first() else {
            return Err(Error::param("decision", id, format!("is {} with nothing sent: nothing to roll back", d.status.code())));
        };
        for x in self.store.executions(Some(&d.proposal.entity))? {
            if x.decision == id || x.step == 0 || x.state == "failed" || x.state == "superseded" {
                continue;
            }
            let body: ExecBody = parse("executions.body", &x.body)?;
            let other = self.decision(x.decision)?;
            if body.kind == d.proposal.kind && x.at_ms >= first.at_ms && other.status != DecisionStatus::RolledBack && self.started_after(&x, first)? {
                return Err(Error::param("decision", id, format!("decision {} changed {} {} after it: roll that back first, or roll back everything since a time", x.decision, d.proposal.entity, d.proposal.kind.code())));
            }
        }
        self.rollback_to(id, by, None)
    }

    fn started_after(&self, x: &ExecutionRow, first: &ExecutionRow) -> Result<bool> {
        let all = self.store.executions(Some(&x.entity))?;
        let pos = |k: &str| all.iter().position(|r| r.key == k);
        Ok(pos(&x.key) > pos(&first.key))
    }

    fn forward_rows(&self, id: u64) -> Result<Vec<ExecutionRow>> {
        let d = self.decision(id)?;
        Ok(self.store.executions(Some(&d.proposal.entity))?.into_iter().filter(|x| x.decision == id && x.step > 0 && x.state != "failed").collect())
    }

    /// Restore decision `id`'s entity to the value before its first stage, or before its first
    /// stage started at or after `since_ms`.
    fn rollback_to(&mut self, id: u64, by: &str, since_ms: Option<i64>) -> Result<ExecOutcome> {
        let mut d = self.decision(id)?;
        if d.status == DecisionStatus::RolledBack {
            return Ok(ExecOutcome::Unchanged { status: d.status });
        }
        let rows = self.forward_rows(id)?;
        let from = rows.iter().find(|x| since_ms.is_none_or(|t| x.at_ms >= t));
        let Some(from) = from else {
            return Ok(ExecOutcome::Unchanged { status: d.status });
        };
        let body: ExecBody = parse("executions.body", &from.body)?;
        let restore = body.before.clone();
        let entity = d.proposal.entity.clone();
        let known = self.observe(&entity)?;
        let readback = self.read_with_retries(&entity).unwrap_or_else(|_| known.clone());
        let s = self.step_check(&d, &readback, &restore, true)?;
        if let Verdict::Block { guardrail, reason } = check(&self.policy.guardrails, &s) {
            let rec = self.record(by, "rollback_blocked", Some(id), serde_json::json!({ "guardrail": guardrail, "reason": reason }));
            self.store.commit(Tx { audit: vec![rec], ..Tx::default() })?;
            return Ok(ExecOutcome::Blocked { guardrail, reason });
        }
        let action = d.proposal.action(&restore)?;
        let change = Change::new(d.key(&self.store_id, 0), entity.clone(), action)?;
        let rb = ExecBody { action, before: value_of(d.proposal.kind, &readback).unwrap_or_else(|| restore.clone()), kind: d.proposal.kind, verified: false };
        let existing = self.store.execution(change.key.as_str())?;
        let resent = matches!(&existing, Some(x) if x.state == "started");
        let mut row = match existing {
            Some(x) if x.state == "started" => x,
            _ => {
                let row = ExecutionRow { key: change.key.to_string(), decision: id, step: 0, entity: entity.clone(), state: "started".into(), at_ms: self.now(), body: json(&rb)? };
                let rec = self.record(by, "rollback_send", Some(id), serde_json::json!({ "key": row.key, "restore": restore }));
                self.store.commit(Tx { executions: vec![row.clone()], audit: vec![rec], ..Tx::default() })?;
                row
            }
        };
        match self.settle(&change, resent) {
            Sent::Applied(state) => {
                let checked = self.read_back(&change);
                let verified = checked.is_some();
                row.state = "applied".into();
                let mut tx = Tx { executions: vec![row], entities: vec![EntityRow { id: entity.clone(), body: json(&checked.unwrap_or(state.clone()))? }], ..Tx::default() };
                // the forward keys of this decision are settled: the entity holds `restore` now
                for mut x in rows.into_iter().filter(|x| x.state == "started") {
                    x.state = "superseded".into();
                    tx.executions.push(x);
                }
                d.status = DecisionStatus::RolledBack;
                d.note = Some(format!("rolled back by {by}: {entity} {} restored to {restore}", d.proposal.kind.code()));
                tx.decisions.push(Self::row(&d)?);
                tx.audit.push(self.record(by, "rolled_back", Some(id), serde_json::json!({ "restore": restore, "state": state, "verified": verified })));
                self.store.commit(tx)?;
                Ok(ExecOutcome::RolledBack { verified })
            }
            Sent::Failed(error) => {
                row.state = "failed".into();
                let rec = self.record(by, "rollback_failed", Some(id), serde_json::json!({ "error": error }));
                self.store.commit(Tx { executions: vec![row], audit: vec![rec], ..Tx::default() })?;
                Ok(ExecOutcome::Failed { error: error.to_string() })
            }
            Sent::Unknown(error) => {
                let rec = self.record(by, "rollback_in_doubt", Some(id), serde_json::json!({ "error": error }));
                self.store.commit(Tx { audit: vec![rec], ..Tx::default() })?;
                Ok(ExecOutcome::InDoubt { error: error.to_string() })
            }
        }
    }

    /// Undo every stage started at or after `since_ms`, newest first, as `by`: each entity gets
    /// back the value it had then. Stops at the first rollback that does not complete and
    /// returns the outcomes so far (call again to go on: the same keys are resent).
    ///
    /// # Errors
    /// `invalid_parameter` (field `by`) when empty; `io`.
    pub fn rollback_since(&mut self, since_ms: i64, by: &str) -> Result<Vec<(u64, ExecOutcome)>> {
        person("by", by)?;
        let mut order: Vec<u64> = Vec::new();
        for x in self.store.executions(None)?.into_iter().rev() {
            if x.step > 0 && x.at_ms >= since_ms && x.state != "failed" && !order.contains(&x.decision) {
                order.push(x.decision);
            }
        }
        let mut out = Vec::new();
        for id in order {
            if self.decision(id)?.status == DecisionStatus::RolledBack {
                continue;
            }
            let o = self.exclusively(|e| e.rollback_to(id, by, Some(since_ms)))?;
            let done = matches!(o, ExecOutcome::RolledBack { .. } | ExecOutcome::Unchanged { .. });
            out.push((id, o));
            if !done {
                break;
            }
        }
        Ok(out)
    }

    /// Audit entries from number `from_seq` on (at most `limit`).
    ///
    /// # Errors
    /// `io` from the store.
    pub fn audit_log(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditEntry>> {
        self.store.audit(from_seq, limit)
    }

    /// The whole audit log, oldest first.
    ///
    /// # Errors
    /// `io` from the store.
    pub fn audit(&self) -> Result<Vec<AuditEntry>> {
        self.store.audit(1, usize::MAX)
    }

    /// Record what executed decision `id` brought, as measured by `method` (`"holdout"`, `"mmm
    /// refit"`, ...), once its window ([`FeedbackRule::window_ms`](crate::decide::feedback::FeedbackRule)
    /// after its last stage) has passed. Later proposals of its type are shrunk by what the
    /// outcomes show ([`Engine::calibration`]).
    ///
    /// # Errors
    /// `invalid_parameter`: field `by` when empty; field `decision` for an unknown id, a decision
    /// that is not executed, one whose window is still open, or one with an outcome already;
    /// `non_finite` (field `actual`); `io`.
    pub fn record_outcome(&mut self, id: u64, actual: f64, method: &str, by: &str) -> Result<Decision> {
        person("by", by)?;
        if !actual.is_finite() {
            return Err(Error::NonFinite { field: "actual".into(), value: actual });
        }
        let mut d = self.decision(id)?;
        if d.status != DecisionStatus::Executed {
            return Err(Error::param("decision", id, format!("is {}, not executed: it has no outcome to record", d.status.code())));
        }
        if d.outcome.is_some() {
            return Err(Error::param("decision", id, "already has an outcome"));
        }
        let now = self.now();
        let ends = d.last_stage_ms.unwrap_or(d.created_ms).saturating_add(self.policy.feedback.window_ms);
        if now < ends {
            return Err(Error::param("decision", id, format!("its window ends at {ends} (now {now})")));
        }
        d.outcome = Some(feedback::Outcome { actual, method: method.into(), by: by.into(), recorded_ms: now });
        let rec = self.record(by, "outcome", Some(id), serde_json::json!({ "actual": actual, "expected": d.proposal.impact, "method": method }));
        self.commit_decision(&d, Tx::default(), vec![rec])?;
        Ok(d)
    }

    /// Each decision type's expected impacts against the outcomes recorded
    /// ([`crate::decide::feedback`]).
    ///
    /// # Errors
    /// `io` from the store.
    pub fn calibration(&self) -> Result<Vec<Calibration>> {
        Ok(self.policy.feedback.calibrate(&self.decisions_with_outcomes()?))
    }

    /// [`Engine::calibration`], computed again only when the audit log shows an outcome recorded
    /// or a decision rolled back since the last time (by this engine or another on the store):
    /// nothing else changes which executed decisions have outcomes. A proposal then reads the
    /// log's newest entries instead of parsing every executed decision. The head is read before
    /// the decisions, so an entry written meanwhile is looked at next time.
    fn current_calibration(&mut self) -> Result<&[Calibration]> {
        let head = self.store.audit_head()?;
        let fresh = match &self.calibrated {
            Some((seen, _)) if *seen == head => true,
            Some((seen, _)) if *seen < head => {
                let since = usize::try_from(head - seen).unwrap_or(usize::MAX);
                !self.store.audit(seen + 1, since)?.iter().any(|e| matches!(e.record.action.as_str(), "outcome" | "rolled_back"))
            }
            _ => false,
        };
        let calibration = match self.calibrated.take() {
            Some((_, c)) if fresh => c,
            _ => self.calibration()?,
        };
        Ok(&self.calibrated.insert((head, calibration)).1)
    }

    fn decisions_with_outcomes(&self) -> Result<Vec<Decision>> {
        self.store
            .decisions(&[DecisionStatus::Executed.code()])?
            .iter()
            .map(|r| parse::<Decision>("decision", &r.body))
            .filter(|d| d.as_ref().map_or(true, |d| d.outcome.is_some()))
            .collect()
    }

    /// Verify the audit chain.
    ///
    /// # Errors
    /// As [`Store::verify`]: `invalid_record` naming the first bad entry.
    pub fn verify(&self) -> Result<ChainSummary> {
        self.store.verify()
    }
}

/// A jitter seed from a key and an attempt.
fn seed(key: &str, attempt: u32) -> u64 {
    let h = Sha256::new().chain_update(key.as_bytes()).chain_update(attempt.to_be_bytes()).finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    u64::from_be_bytes(b)
}
