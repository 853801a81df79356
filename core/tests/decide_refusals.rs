//! What a failed send means for a decision: a refusal the platform answered fails it, a call
//! that may have been applied leaves it in doubt, and a refused resend of a change in doubt is
//! settled by reading the entity back. The simulated market behind a script of whole-call
//! failures.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;

use channelwise::decide::decision::{DecisionStatus, Proposal};
use channelwise::decide::engine::{Engine, ExecOutcome, Platform};
use channelwise::decide::policy::Policy;
use channelwise::decide::store::{open, Store};
use channelwise::platform::adapter::{
    ApplyChanges, Change, ChangeResult, EntityState, MetricsQuery, MetricsRow, PlatformError, ReadMetrics,
};
use channelwise::platform::sim::{SimConfig, SimMarket};

/// One scripted answer to a whole `apply_changes` call.
#[derive(Clone)]
enum Step {
    /// The call fails with this error; nothing is applied.
    Refuse(PlatformError),
    /// The market applies the changes, then the answer is lost: the caller sees this error.
    ApplyThenFail(PlatformError),
}

/// The simulated market, with the next `apply_changes` calls answered by `script` (then by the
/// market itself).
struct Scripted {
    market: SimMarket,
    script: VecDeque<Step>,
    calls: usize,
}

impl ApplyChanges for Scripted {
    fn apply_changes(&mut self, changes: &[Change]) -> Result<Vec<ChangeResult>, PlatformError> {
        self.calls += 1;
        match self.script.pop_front() {
            Some(Step::Refuse(e)) => Err(e),
            Some(Step::ApplyThenFail(e)) => {
                self.market.apply_changes(changes)?;
                Err(e)
            }
            None => self.market.apply_changes(changes),
        }
    }

    fn read_entity(&mut self, entity: &str) -> Result<EntityState, PlatformError> {
        self.market.read_entity(entity)
    }
}

impl ReadMetrics for Scripted {
    fn read_metrics(&mut self, query: &MetricsQuery) -> Result<Vec<MetricsRow>, PlatformError> {
        self.market.read_metrics(query)
    }
}

impl Platform for Scripted {
    fn now_ms(&self) -> i64 {
        self.market.now_ms()
    }

    fn sleep_until(&mut self, at_ms: i64) {
        Platform::sleep_until(&mut self.market, at_ms);
    }
}

type E = Engine<Box<dyn Store + Send>, Scripted>;

fn engine(script: &[Step]) -> E {
    let market = SimMarket::new(SimConfig { seed: 3, ..SimConfig::default() }).unwrap();
    let platform = Scripted { market, script: script.iter().cloned().collect(), calls: 0 };
    Engine::new(open(":memory:").unwrap(), platform, Policy::default()).unwrap()
}

fn http(status: u16) -> PlatformError {
    PlatformError::Http { status, retry_after_ms: None }
}

fn daily_budget(e: &mut E) -> f64 {
    e.platform_mut().market.read_entity("search").unwrap().daily_budget
}

/// Proposes and executes search's budget 100 -> 110; the decision's id and the outcome.
fn run(e: &mut E) -> (u64, ExecOutcome) {
    let d = e.propose(Proposal::budget("search", 100.0, 110.0).confidence(0.9)).unwrap();
    (d.id, e.execute(d.id).unwrap())
}

fn actions(e: &E, id: u64) -> Vec<String> {
    e.audit().unwrap().into_iter().filter(|a| a.record.decision == Some(id)).map(|a| a.record.action).collect()
}

#[test]
fn a_whole_call_the_vendor_refused_fails_the_decision_at_once() {
    let meta = PlatformError::Meta { code: 100, subcode: None, message: "Invalid parameter".into(), retry_after_ms: None };
    for refusal in [http(400), http(403), meta] {
        let mut e = engine(&[Step::Refuse(refusal.clone())]);
        let (id, out) = run(&mut e);
        assert_eq!(out, ExecOutcome::Failed { error: refusal.to_string() }, "{refusal:?}");
        assert_eq!(e.platform().calls, 1, "not retried: {refusal:?}");
        assert_eq!(e.decision(id).unwrap().status, DecisionStatus::Failed);
        assert_eq!(actions(&e, id).last().unwrap(), "failed");
        assert_eq!(daily_budget(&mut e), 100.0);
        // nothing is left in doubt: the next decision on the entity is not held back
        let (_, next) = run(&mut e);
        assert_eq!(next, ExecOutcome::Executed { verified: true });
    }
}

/// Lost answers on every attempt the policy makes (its attempts and retry budget), the first
/// attempt applied when `applied`.
fn lost(applied: bool) -> Vec<Step> {
    let first = if applied { Step::ApplyThenFail(PlatformError::Timeout) } else { Step::Refuse(PlatformError::Timeout) };
    [vec![first], vec![Step::Refuse(PlatformError::Timeout); 20]].concat()
}

/// The next calls' answers, replacing what was left of the script.
fn script(e: &mut E, steps: Vec<Step>) {
    e.platform_mut().script = steps.into();
}

#[test]
fn a_call_that_may_have_been_applied_leaves_the_decision_in_doubt() {
    // no answer or a server error, every attempt: retried under one key, then in doubt
    for error in [PlatformError::Timeout, http(503)] {
        let mut e = engine(&vec![Step::Refuse(error.clone()); 20]);
        let (id, out) = run(&mut e);
        assert_eq!(out, ExecOutcome::InDoubt { error: error.to_string() });
        assert!(e.platform().calls > 1, "retried");
        assert_eq!(e.decision(id).unwrap().status, DecisionStatus::Executing);
        // settled by executing again: the market applies the resent key
        script(&mut e, vec![]);
        assert_eq!(e.execute(id).unwrap(), ExecOutcome::Executed { verified: true });
        assert_eq!(daily_budget(&mut e), 110.0);
    }
    // a broken adapter is not retried, and is no proof that nothing was applied
    let broken = PlatformError::Adapter { message: "an answer of the wrong shape".into() };
    let mut e = engine(&[Step::ApplyThenFail(broken.clone())]);
    let (id, out) = run(&mut e);
    assert_eq!(out, ExecOutcome::InDoubt { error: broken.to_string() });
    assert_eq!(e.platform().calls, 1);
    assert_eq!(e.decision(id).unwrap().status, DecisionStatus::Executing);
    // a refusal after an unanswered attempt in the same call is no proof either
    let mut e = engine(&[Step::ApplyThenFail(PlatformError::Timeout), Step::Refuse(http(400))]);
    let (id, out) = run(&mut e);
    assert_eq!(out, ExecOutcome::InDoubt { error: "HTTP 400".into() });
    assert_eq!(e.decision(id).unwrap().status, DecisionStatus::Executing);
}

#[test]
fn a_refused_resend_of_a_change_in_doubt_is_settled_by_reading_back() {
    // the first send was applied and its answer lost; the resend is refused (a vendor that
    // rejects a key it has seen): the entity shows the change, so the decision executed
    let mut e = engine(&lost(true));
    let (id, out) = run(&mut e);
    assert!(matches!(out, ExecOutcome::InDoubt { .. }), "{out:?}");
    script(&mut e, vec![Step::Refuse(http(409))]);
    assert_eq!(e.execute(id).unwrap(), ExecOutcome::Executed { verified: true });
    assert_eq!(e.decision(id).unwrap().status, DecisionStatus::Executed);
    assert_eq!(daily_budget(&mut e), 110.0);
    // nothing was applied before: the refusal stands
    let mut e = engine(&lost(false));
    let (id, out) = run(&mut e);
    assert!(matches!(out, ExecOutcome::InDoubt { .. }), "{out:?}");
    script(&mut e, vec![Step::Refuse(http(400))]);
    assert_eq!(e.execute(id).unwrap(), ExecOutcome::Failed { error: "HTTP 400".into() });
    assert_eq!(e.decision(id).unwrap().status, DecisionStatus::Failed);
    assert_eq!(daily_budget(&mut e), 100.0);
}

#[test]
fn a_refused_rollback_resend_is_settled_the_same_way() {
    let mut e = engine(&[]);
    let (id, out) = run(&mut e);
    assert_eq!(out, ExecOutcome::Executed { verified: true });
    // the rollback is applied but its answer lost on every attempt, then its resend refused
    script(&mut e, lost(true));
    assert!(matches!(e.rollback(id, "ana").unwrap(), ExecOutcome::InDoubt { .. }));
    script(&mut e, vec![Step::Refuse(http(409))]);
    assert_eq!(e.rollback(id, "ana").unwrap(), ExecOutcome::RolledBack { verified: true });
    assert_eq!(e.decision(id).unwrap().status, DecisionStatus::RolledBack);
    assert_eq!(daily_budget(&mut e), 100.0);
}
