//! Learning feedback: outcomes recorded after each decision's window, the calibration of each
//! decision type (checked against the definitions by hand), and the shrinkage of later
//! expectations, kept across a reopened store; on every store (SQLite, and PostgreSQL when
//! `CW_PG_URL` is set; see `common/stores.rs`).
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used)]

#[path = "common/stores.rs"]
mod stores;

use channelwise::decide::decision::{DecisionKind, DecisionStatus, Proposal};
use channelwise::decide::engine::{Engine, ExecOutcome};
use channelwise::decide::policy::Policy;
use channelwise::decide::store::SqliteStore;
use channelwise::platform::adapter::{Status, DAY_MS};
use channelwise::platform::sim::{SimConfig, SimMarket};
use stores::Backend;

/// (from, to, expected mean, lo, hi, measured)
const MOVES: [(f64, f64, f64, f64, f64, f64); 3] =
    [(100.0, 105.0, 10.0, 6.0, 14.0, 5.0), (105.0, 110.0, 20.0, 12.0, 28.0, 10.0), (110.0, 115.0, 30.0, 8.0, 34.0, 15.0)];

fn outcomes_calibrate_and_shrink_later_expectations(b: &dyn Backend) {
    let spec = b.fresh("feedback");
    let market = SimMarket::new(SimConfig { seed: 5, ..SimConfig::default() }).unwrap();
    let mut e = Engine::new(b.open(&spec), market, Policy::default()).unwrap();
    let mut ids = Vec::new();
    for (k, &(from, to, mean, lo, hi, _)) in MOVES.iter().enumerate() {
        let d = e.propose(Proposal::budget("search", from, to).confidence(0.9).impact("conversions/day", mean, lo, hi)).unwrap();
        // too few outcomes yet: the producer's expectation stands
        assert_eq!(d.adjusted, None, "move {k}");
        assert_eq!(e.execute(d.id).unwrap(), ExecOutcome::Executed { verified: true });
        ids.push(d.id);
    }
    // not before the window (7 days from the last stage) has passed
    let early = e.record_outcome(ids[0], 5.0, "holdout", "ana").unwrap_err();
    assert!(early.to_string().contains("window ends"), "{early}");
    e.platform_mut().advance_ms(7 * DAY_MS).unwrap();
    // bad outcomes are refused by name
    assert!(e.record_outcome(ids[0], f64::NAN, "holdout", "ana").unwrap_err().to_string().contains("actual"));
    assert!(e.record_outcome(ids[0], 5.0, "holdout", " ").unwrap_err().to_string().contains("by"));
    assert!(e.record_outcome(99, 5.0, "holdout", "ana").is_err());
    let pending = e.propose(Proposal::budget("social", 150.0, 300.0).confidence(0.9)).unwrap();
    assert_eq!(pending.status, DecisionStatus::Pending);
    assert!(e.record_outcome(pending.id, 1.0, "holdout", "ana").unwrap_err().to_string().contains("not executed"));

    for (k, &id) in ids.iter().enumerate() {
        let d = e.record_outcome(id, MOVES[k].5, "holdout", "ana").unwrap();
        assert_eq!(d.outcome.as_ref().map(|o| (o.actual, o.by.as_str())), Some((MOVES[k].5, "ana")));
        let cal = e.calibration().unwrap();
        assert_eq!((cal.len(), cal[0].kind, cal[0].n), (1, DecisionKind::Budget, k + 1));
    }
    assert!(e.record_outcome(ids[0], 5.0, "holdout", "ana").unwrap_err().to_string().contains("already"));

    // by hand: slope = (10*5 + 20*10 + 30*15) / (10^2 + 20^2 + 30^2) = 700 / 1400 = 0.5; the
    // third measured value, 15, is the only one inside its interval [8, 34]; shrink with 5
    // pseudo-outcomes at slope 1: (3 * 0.5 + 5) / (3 + 5) = 0.8125
    let cal = e.calibration().unwrap().remove(0);
    assert_eq!((cal.mean_predicted, cal.mean_actual), (20.0, 10.0));
    assert!((cal.slope - 0.5).abs() < 1e-15, "{}", cal.slope);
    assert!((cal.coverage - 1.0 / 3.0).abs() < 1e-15, "{}", cal.coverage);
    assert!((cal.shrink - 0.8125).abs() < 1e-15, "{}", cal.shrink);

    // the next budget decision carries its expectation shrunk; the producer's stays as given
    let next = e.propose(Proposal::budget("search", 115.0, 120.0).confidence(0.9).impact("conversions/day", 8.0, 4.0, 12.0)).unwrap();
    let adj = next.adjusted.clone().unwrap();
    assert_eq!((adj.mean, adj.lo, adj.hi), (8.0 * 0.8125, 4.0 * 0.8125, 12.0 * 0.8125));
    assert_eq!(next.proposal.impact.mean, 8.0);
    // other types have no outcomes: untouched
    let paused = e.propose(Proposal::status("social", Status::Active, Status::Paused).confidence(0.9).impact("conversions/day", -2.0, -3.0, -1.0)).unwrap();
    assert_eq!(paused.adjusted, None);

    // the outcomes live in the store: a reopened engine calibrates the same, and the log verifies
    let (store, market) = e.into_parts();
    drop(store);
    let e2 = Engine::new(b.open(&spec), market, Policy::default()).unwrap();
    assert_eq!(e2.calibration().unwrap().remove(0), cal);
    assert_eq!(e2.decision(next.id).unwrap().adjusted, Some(adj));
    assert!(e2.audit().unwrap().iter().filter(|a| a.record.action == "outcome").count() == 3);
    e2.verify().unwrap();
}

/// A proposal's shrinkage follows outcomes another engine on the store recorded, and rollbacks,
/// though the proposing engine keeps its calibration between proposals (it looks at the audit
/// log's new entries: an `outcome` or a `rolled_back` one means computing it again).
fn proposals_see_outcomes_recorded_elsewhere_and_rollbacks(b: &dyn Backend) {
    let spec = b.fresh("feedbackshared");
    let sim = || SimMarket::new(SimConfig { seed: 5, ..SimConfig::default() }).unwrap();
    let mut a = Engine::new(b.open(&spec), sim(), Policy::default()).unwrap();
    let step = |e: &mut Engine<_, _>, from: f64| {
        e.propose(Proposal::budget("search", from, from + 5.0).confidence(0.9).impact("conversions/day", 8.0, 4.0, 12.0)).unwrap()
    };
    let mut ids = Vec::new();
    for &(from, to, mean, lo, hi, _) in &MOVES {
        let d = a.propose(Proposal::budget("search", from, to).confidence(0.9).impact("conversions/day", mean, lo, hi)).unwrap();
        assert_eq!(a.execute(d.id).unwrap(), ExecOutcome::Executed { verified: true });
        ids.push(d.id);
    }
    let before = step(&mut a, 115.0);
    assert_eq!(before.adjusted, None);

    // another engine on the same store records the three outcomes (its clock past the window)
    let mut other = Engine::new(b.open(&spec), sim(), Policy::default()).unwrap();
    other.platform_mut().advance_ms(7 * DAY_MS).unwrap();
    for (k, &id) in ids.iter().enumerate() {
        other.record_outcome(id, MOVES[k].5, "holdout", "ana").unwrap();
    }
    // the first engine's next proposal is shrunk by them (0.8125, worked out above)
    let after = step(&mut a, 115.0);
    assert_eq!(after.adjusted.as_ref().map(|x| x.mean), Some(8.0 * 0.8125));
    assert_eq!(a.calibration().unwrap(), other.calibration().unwrap());
    // proposals in between (no outcome, no rollback) keep it
    let again = step(&mut a, 115.0);
    assert_eq!(again.adjusted, after.adjusted);

    // a rollback takes its decision out: two outcomes, fewer than the three needed to shrink
    assert!(matches!(a.rollback(ids[2], "ana").unwrap(), ExecOutcome::RolledBack { .. }));
    assert_eq!(a.calibration().unwrap()[0].n, 2);
    assert_eq!(step(&mut a, 110.0).adjusted, None);
    a.verify().unwrap();
}

on_every_store!(outcomes_calibrate_and_shrink_later_expectations, proposals_see_outcomes_recorded_elsewhere_and_rollbacks);

#[test]
fn a_bad_feedback_rule_is_refused_by_name() {
    use channelwise::decide::feedback::FeedbackRule;
    let market = SimMarket::new(SimConfig::default()).unwrap();
    let policy = Policy { feedback: FeedbackRule { prior_weight: -1.0, ..FeedbackRule::default() }, ..Policy::default() };
    let err = Engine::new(SqliteStore::open(":memory:").unwrap(), market, policy).unwrap_err();
    assert!(err.to_string().contains("feedback.prior_weight"), "{err}");
}
