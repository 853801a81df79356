//! The decision engine on the simulated market, scenario by scenario, on every store (SQLite,
//! and PostgreSQL when `CW_PG_URL` is set; see `common/stores.rs`).
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used)]

#[path = "common/stores.rs"]
mod stores;

use channelwise::decide::decision::{DecisionKind, DecisionStatus, Proposal, RiskLevel};
use channelwise::decide::engine::{Engine, ExecOutcome};
use channelwise::decide::policy::{Guardrails, Policy};
use channelwise::decide::store::Store;
use channelwise::platform::adapter::{ApplyChanges, Status, DAY_MS};
use channelwise::platform::sim::{SimConfig, SimMarket};
use stores::Backend;

type BoxedEngine = Engine<Box<dyn Store + Send>, SimMarket>;

fn engine(b: &dyn Backend, tag: &str, policy: Policy) -> BoxedEngine {
    let market = SimMarket::new(SimConfig { seed: 3, ..SimConfig::default() }).unwrap();
    Engine::new(b.open(&b.fresh(tag)), market, policy).unwrap()
}

fn budget(e: &mut BoxedEngine, entity: &str) -> f64 {
    e.platform_mut().read_entity(entity).unwrap().daily_budget
}

fn small_changes_run_alone_large_ones_wait_and_stage(b: &dyn Backend) {
    let mut e = engine(b, "e2", Policy::default());
    let d = e.propose(Proposal::budget("search", 100.0, 110.0).confidence(0.9).reason("allocation: search's marginal ROAS is 2.1")).unwrap();
    assert_eq!((d.status, d.approver.as_deref()), (DecisionStatus::Approved, Some("policy")));
    assert_eq!(e.execute(d.id).unwrap(), ExecOutcome::Executed { verified: true });
    assert_eq!(budget(&mut e, "search"), 110.0);
    assert_eq!(e.execute(d.id).unwrap(), ExecOutcome::Unchanged { status: DecisionStatus::Executed });

    let big = e.propose(Proposal::budget("social", 150.0, 270.0).confidence(0.9)).unwrap();
    assert_eq!(big.status, DecisionStatus::Pending);
    assert_eq!(e.pending().unwrap().len(), 1);
    assert!(e.execute(big.id).unwrap_err().to_string().contains("pending"));
    assert!(e.approve(big.id, " ").unwrap_err().to_string().contains("approver"));
    e.approve(big.id, "ana").unwrap();
    assert_eq!(e.execute(big.id).unwrap(), ExecOutcome::Staged { done: 1, of: 2 });
    assert_eq!(budget(&mut e, "social"), 180.0); // 150 + 25% of 120
    assert!(matches!(e.execute(big.id).unwrap(), ExecOutcome::Deferred { .. }));
    e.platform_mut().advance_ms(3_600_000).unwrap();
    assert_eq!(e.execute(big.id).unwrap(), ExecOutcome::Executed { verified: true });
    assert_eq!(budget(&mut e, "social"), 270.0);
    // the market applied each key once: two stages of one decision, one of the other
    let keys: Vec<String> = e.platform().applied().iter().map(|a| a.key.to_string()).collect();
    // each key starts with the store's id: 16 hex digits the database drew
    let id = e.store().id().unwrap();
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    assert_eq!(keys, [format!("{id}/d1/s1"), format!("{id}/d2/s1"), format!("{id}/d2/s2")]);
    assert_eq!(e.verify().unwrap().head_seq, e.audit().unwrap().len() as u64);

    // a `from` the market does not show is judged from the value now too: search is at 110,
    // so 209 -> 220 is a doubling, not +5%, and waits for a person (it was auto-approved)
    let stale = e.propose(Proposal::budget("search", 209.0, 220.0).confidence(0.9)).unwrap();
    assert_eq!((stale.status, stale.risk.level), (DecisionStatus::Pending, RiskLevel::High));
    assert!((stale.risk.change - 1.0).abs() < 1e-12, "{:?}", stale.risk);
    // changes proposed to run one after another (115 -> 120 while search is at 110): judged
    // both ways, low both ways, so the step's own risk stands
    let next = e.propose(Proposal::budget("search", 115.0, 120.0).confidence(0.9)).unwrap();
    assert_eq!((next.status, next.risk.level), (DecisionStatus::Approved, RiskLevel::Low));
    assert!((next.risk.change - 5.0 / 115.0).abs() < 1e-12, "{:?}", next.risk);
}

fn a_cap_blocks_with_its_numbers_and_rollback_restores(b: &dyn Backend) {
    let g = Guardrails { account_daily_cap: Some(280.0), ..Guardrails::default() };
    let mut e = engine(b, "e3", Policy { guardrails: g, ..Policy::default() });
    e.observe("social").unwrap(); // the account cap sums the entities the engine knows
    let d = e.propose(Proposal::budget("search", 100.0, 140.0).confidence(0.9)).unwrap();
    e.approve(d.id, "ana").unwrap();
    match e.execute(d.id).unwrap() {
        ExecOutcome::Blocked { guardrail, reason } => {
            assert_eq!(guardrail, "account_daily_cap");
            assert_eq!(reason, "account daily budget would be 290.00, above the cap of 280.00");
        }
        o => panic!("{o:?}"),
    }
    assert_eq!(e.decision(d.id).unwrap().status, DecisionStatus::Blocked);
    assert_eq!(budget(&mut e, "search"), 100.0);

    let t = e.platform().now_ms();
    let a = e.propose(Proposal::budget("search", 100.0, 80.0).confidence(0.9)).unwrap();
    e.execute(a.id).unwrap();
    let b = e.propose(Proposal::budget("social", 150.0, 165.0).confidence(0.9)).unwrap();
    e.execute(b.id).unwrap();
    let a2 = e.propose(Proposal::budget("search", 80.0, 90.0).confidence(0.9)).unwrap();
    assert_eq!(e.execute(a2.id).unwrap(), ExecOutcome::Executed { verified: true });
    let p = e.propose(Proposal::status("search", Status::Active, Status::Paused).spend_at_stake(80.0)).unwrap();
    e.approve(p.id, "ana").unwrap();
    e.execute(p.id).unwrap();
    assert_eq!(e.platform_mut().read_entity("search").unwrap().status, Status::Paused);
    let err = e.rollback(a.id, "ana").unwrap_err();
    assert!(err.to_string().contains(&format!("decision {} changed search budget after it", a2.id)), "{err}");
    let out = e.rollback_since(t, "ana").unwrap();
    assert_eq!(out.iter().map(|o| o.0).collect::<Vec<_>>(), [p.id, a2.id, b.id, a.id], "{out:?}");
    let s = e.platform_mut().read_entity("search").unwrap();
    assert_eq!((s.daily_budget, s.status), (100.0, Status::Active));
    assert_eq!(budget(&mut e, "social"), 150.0);
    assert!(e.rollback(a.id, "ana").is_ok_and(|o| o == ExecOutcome::Unchanged { status: DecisionStatus::RolledBack }));
}

fn stop_cancels_refuses_and_is_audited(b: &dyn Backend) {
    let mut e = engine(b, "e4", Policy::default());
    let a = e.propose(Proposal::budget("search", 100.0, 110.0).confidence(0.9)).unwrap();
    let b = e.propose(Proposal::budget("social", 150.0, 400.0).confidence(0.9)).unwrap();
    let cancelled = e.stop("ana", "spend spike").unwrap();
    assert_eq!(cancelled, vec![a.id, b.id]);
    assert!(e.execute(a.id).is_ok_and(|o| o == ExecOutcome::Unchanged { status: DecisionStatus::Cancelled }));
    let err = e.propose(Proposal::budget("search", 100.0, 105.0)).unwrap_err();
    assert!(err.to_string().contains("emergency stop by ana"), "{err}");
    assert!(e.run_due().is_err());
    assert!(e.resume("").is_err());
    e.resume("ben").unwrap();
    let c = e.propose(Proposal::budget("search", 100.0, 105.0).confidence(0.9)).unwrap();
    assert_eq!(e.execute(c.id).unwrap(), ExecOutcome::Executed { verified: true });
    let actions: Vec<(String, String)> = e.audit().unwrap().into_iter().map(|x| (x.record.actor, x.record.action)).collect();
    assert!(actions.contains(&("ana".into(), "stop".into())) && actions.contains(&("ben".into(), "resume".into())));
    assert!(e.platform().applied().iter().all(|x| x.key.as_str() == format!("{}/d3/s1", e.store().id().unwrap())));
}

fn expiry_dry_run_bad_input(b: &dyn Backend) {
    let mut e = engine(b, "e5", Policy::default());
    let d = e.propose(Proposal::budget("search", 100.0, 300.0).confidence(0.9)).unwrap();
    e.platform_mut().advance_ms(DAY_MS + 1).unwrap();
    let err = e.approve(d.id, "ana").unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");
    assert_eq!(e.decision(d.id).unwrap().status, DecisionStatus::Expired);
    let auto = e.propose(Proposal::budget("search", 100.0, 105.0).confidence(0.9).ttl_ms(1000)).unwrap();
    e.platform_mut().advance_ms(2000).unwrap();
    assert_eq!(e.execute(auto.id).unwrap(), ExecOutcome::Expired);
    assert!(e.platform().applied().is_empty());

    assert!(e.approve(99, "ana").unwrap_err().to_string().contains("no such decision"));
    assert!(e.propose(Proposal::budget("nope", 1.0, 2.0)).unwrap_err().to_string().contains("nope"));
    assert!(e.propose(Proposal::budget("search", 100.0, -5.0)).unwrap_err().to_string().contains("to must be"));
    let t = e.propose(Proposal::text(DecisionKind::Creative, "search", "c1", "c2").spend_at_stake(10.0)).unwrap();
    e.approve(t.id, "ana").unwrap();
    assert!(e.execute(t.id).unwrap_err().to_string().contains("no action"));

    let mut dry = engine(b, "e6", Policy { dry_run: true, ..Policy::default() });
    let d = dry.propose(Proposal::budget("search", 100.0, 110.0).confidence(0.9)).unwrap();
    assert_eq!(dry.execute(d.id).unwrap(), ExecOutcome::DryRun);
    let d = dry.decision(d.id).unwrap();
    assert_eq!(d.note.as_deref(), Some("dry run: would set search budget from 100.00 to 110.00"));
    assert!(dry.platform().applied().is_empty());
    assert!(dry.store().verify().is_ok());
}

fn performance_lifetime_and_anomaly_gates(b: &dyn Backend) {
    use channelwise::decide::policy::PerformanceGuard;
    let mut cfg = SimConfig { seed: 5, noise: 0.0, ..SimConfig::default() };
    cfg.campaigns[1].value_per_conversion = 1.0; // social returns little: ROAS well below 1
    let start = cfg.start;
    let market = SimMarket::new(cfg).unwrap();
    let g = Guardrails {
        performance: Some(PerformanceGuard { min_roas: Some(2.0), min_spend: 300.0, lookback_days: 7, ..PerformanceGuard::default() }),
        campaign_lifetime_cap: [("search".to_string(), 850.0)].into(),
        lifetime_from: Some(start),
        ..Guardrails::default()
    };
    let mut e = Engine::new(b.open(&b.fresh("gates")), market, Policy { guardrails: g, ..Policy::default() }).unwrap();
    e.observe("search").unwrap();
    e.observe("social").unwrap();
    e.platform_mut().run_days(8).unwrap();

    // social's ROAS is below 2 over 7 days with enough spend: a pause, approved by the guardrail
    let pauses = e.check_performance().unwrap();
    assert_eq!(pauses.len(), 1, "{pauses:?}");
    assert_eq!((pauses[0].proposal.entity.as_str(), pauses[0].approver.as_deref()), ("social", Some("guardrail:performance")));
    assert!(pauses[0].proposal.reasons[0].starts_with("auto-pause: ROAS 0."), "{:?}", pauses[0].proposal.reasons);
    assert_eq!(e.execute(pauses[0].id).unwrap(), ExecOutcome::Executed { verified: true });
    assert_eq!(e.platform_mut().read_entity("social").unwrap().status, Status::Paused);
    let up = e.propose(Proposal::status("social", Status::Paused, Status::Active).spend_at_stake(150.0)).unwrap();
    e.approve(up.id, "ana").unwrap();
    assert!(matches!(e.execute(up.id).unwrap(), ExecOutcome::Blocked { guardrail, .. } if guardrail == "performance"));

    // search has spent about 8 x 97: one more day at 140 would pass its lifetime cap of 850
    let more = e.propose(Proposal::budget("search", 100.0, 140.0).confidence(0.9)).unwrap();
    e.approve(more.id, "ana").ok();
    match e.execute(more.id).unwrap() {
        ExecOutcome::Blocked { guardrail, reason } => {
            assert_eq!(guardrail, "campaign_lifetime_cap");
            assert!(reason.starts_with("search has spent 7") && reason.ends_with("above its lifetime cap of 850.00"), "{reason}");
        }
        o => panic!("{o:?}"),
    }
    // a decrease passes every cap
    let less = e.propose(Proposal::budget("search", 100.0, 90.0).confidence(0.9)).unwrap();
    assert_eq!(e.execute(less.id).unwrap(), ExecOutcome::Executed { verified: true });
}

fn no_increase_on_a_flagged_day(b: &dyn Backend) {
    let mut e = engine(b, "e7", Policy::default());
    let today = e.platform().today();
    assert!(e.flag_anomaly(today, "", "x").is_err());
    e.flag_anomaly(today, "ana", "spend z = 6.2 at 09:00").unwrap();
    let up = e.propose(Proposal::budget("search", 100.0, 110.0).confidence(0.9)).unwrap();
    match e.execute(up.id).unwrap() {
        ExecOutcome::Blocked { guardrail, reason } => {
            assert_eq!(guardrail, "anomaly_gate");
            assert!(reason.contains("spend z = 6.2 at 09:00"), "{reason}");
        }
        o => panic!("{o:?}"),
    }
    let down = e.propose(Proposal::budget("search", 100.0, 90.0).confidence(0.9)).unwrap();
    assert_eq!(e.execute(down.id).unwrap(), ExecOutcome::Executed { verified: true });
    e.platform_mut().step_day().unwrap(); // the next day is not flagged
    let up = e.propose(Proposal::budget("search", 90.0, 99.0).confidence(0.9)).unwrap();
    assert_eq!(e.execute(up.id).unwrap(), ExecOutcome::Executed { verified: true });
}

fn a_stop_by_another_engine_on_the_same_store_halts_this_one(bk: &dyn Backend) {
    let spec = bk.fresh("two_engines");
    let market = || SimMarket::new(SimConfig { seed: 3, ..SimConfig::default() }).unwrap();
    let mut a = Engine::new(bk.open(&spec), market(), Policy::default()).unwrap();
    let mut b = Engine::new(bk.open(&spec), market(), Policy::default()).unwrap();
    let d = a.propose(Proposal::budget("search", 100.0, 110.0).confidence(0.9)).unwrap();
    assert_eq!(b.stop("ana", "drill").unwrap(), vec![d.id]);
    assert_eq!(a.execute(d.id).unwrap(), ExecOutcome::Unchanged { status: DecisionStatus::Cancelled });
    let err = a.propose(Proposal::budget("search", 100.0, 105.0)).unwrap_err();
    assert!(err.to_string().contains("emergency stop by ana"), "{err}");
    b.resume("ben").unwrap();
    let d2 = a.propose(Proposal::budget("search", 100.0, 105.0).confidence(0.9)).unwrap();
    // while another engine holds the store's execution lock, a defers instead of sending
    let mut other = bk.open(&spec);
    assert!(other.try_lock_execution().unwrap());
    assert!(matches!(a.execute(d2.id).unwrap(), ExecOutcome::Deferred { reason, .. } if reason.contains("another engine")));
    assert!(matches!(a.rollback(d.id, "ana").unwrap(), ExecOutcome::Deferred { .. }));
    other.unlock_execution().unwrap();
    assert_eq!(a.execute(d2.id).unwrap(), ExecOutcome::Executed { verified: true });
    assert!(a.platform().applied().iter().all(|x| x.key.as_str() == format!("{}/d2/s1", a.store().id().unwrap())));
    assert_eq!(a.store().id().unwrap(), b.store().id().unwrap(), "one store, one id");
    assert_eq!(b.verify().unwrap(), a.verify().unwrap());
}

fn a_second_store_on_the_same_market_sends_keys_of_its_own(bk: &dyn Backend) {
    // the market (or an adapter keeping keys for a vendor without them) remembers every key it
    // applied; a second store (a recreated database, another environment) on the same account
    // starts its decisions from 1 again, and must not send the first store's keys
    let mut a = engine(bk, "first_store", Policy::default());
    let d = a.propose(Proposal::budget("search", 100.0, 110.0).confidence(0.9)).unwrap();
    assert_eq!(a.execute(d.id).unwrap(), ExecOutcome::Executed { verified: true });
    let (_, market) = a.into_parts();
    let mut b = Engine::new(bk.open(&bk.fresh("second_store")), market, Policy::default()).unwrap();
    let d = b.propose(Proposal::budget("search", 110.0, 115.0).confidence(0.9)).unwrap();
    assert_eq!(d.id, 1);
    assert_eq!(b.execute(d.id).unwrap(), ExecOutcome::Executed { verified: true });
    assert_eq!(budget(&mut b, "search"), 115.0);
    let keys: Vec<String> = b.platform().applied().iter().map(|a| a.key.to_string()).collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[1], format!("{}/d1/s1", b.store().id().unwrap()));
    assert_ne!(keys[0], keys[1]);
}

on_every_store!(
    small_changes_run_alone_large_ones_wait_and_stage,
    a_cap_blocks_with_its_numbers_and_rollback_restores,
    stop_cancels_refuses_and_is_audited,
    expiry_dry_run_bad_input,
    performance_lifetime_and_anomaly_gates,
    no_increase_on_a_flagged_day,
    a_stop_by_another_engine_on_the_same_store_halts_this_one,
    a_second_store_on_the_same_market_sends_keys_of_its_own,
);
