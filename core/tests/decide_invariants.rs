//! The decision engine's guarantees on the simulated market with injected faults: seeded random
//! sequences of proposals, approvals, rejections, executions, clock moves, emergency stops and
//! rollbacks, checked after every operation against the market's own record of what it applied.
//!
//! - **0 cap breaches**: replaying the market's applied changes, no active campaign's daily
//!   budget is ever above its cap and the active budgets never sum above the account cap.
//! - **0 double executions**: each decision's stages are applied at most once each (one key per
//!   stage), nothing is applied for a decision the engine never sent, every key the engine
//!   records as applied was applied and every key it records as failed was not.
//! - **stop halts every later execution**: between a stop and its resume the market applies no
//!   forward change, and executions and proposals are refused.
//! - engine restarts (a new engine on the same store and market) change none of this: every
//!   state the engine needs is in the store.
//! - **rollback restores the exact prior state**: after `rollback_since(t)` every campaign's
//!   budget, bid and status equal what they were at `t`.
//!
//! Sequences: `CW_DECIDE_SEQUENCES` (default 10,000).
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use channelwise::decide::decision::{DecisionStatus, Proposal};
use channelwise::decide::engine::{Engine, ExecOutcome};
use channelwise::decide::policy::{Guardrails, Policy};
use channelwise::decide::store::{SqliteStore, Store};
use channelwise::optimize::response::Saturation;
use channelwise::platform::adapter::{Action, Status};
use channelwise::platform::sim::{Faults, SimCampaign, SimConfig, SimMarket};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CAMPAIGN_CAP: f64 = 200.0;
const ACCOUNT_CAP: f64 = 450.0;
const OPS: usize = 30;

type E = Engine<SqliteStore, SimMarket>;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Truth {
    budget: f64,
    bid: f64,
    status: Status,
}

fn market(seed: u64) -> SimMarket {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let mut campaigns = Vec::new();
    for (i, id) in ["search", "social", "video"].iter().enumerate() {
        let mut c = SimCampaign::new(*id, 80.0 + 40.0 * i as f64, Saturation::MichaelisMenten { alpha: 20.0, lam: 150.0 });
        c.bid = Some(2.0);
        c.reference_bid = Some(3.0);
        campaigns.push(c);
    }
    let p = rng.random_range(0.02..0.12);
    let faults = Faults { timeout: p, server_error: p, item_failure: p, lost_ack: p, duplicate: p, stale_read: 2.0 * p };
    SimMarket::new(SimConfig { seed, campaigns, faults, noise: 0.0, ..SimConfig::default() }).unwrap()
}

/// The market's true state, replayed from its initial settings and its log of applied changes.
fn truth(m: &SimMarket) -> BTreeMap<String, Truth> {
    let mut t: BTreeMap<String, Truth> =
        m.config().campaigns.iter().map(|c| (c.id.clone(), Truth { budget: c.daily_budget, bid: c.bid.unwrap_or(0.0), status: c.status })).collect();
    for a in m.applied() {
        let e = t.get_mut(&a.entity).unwrap();
        match a.action {
            Action::Budget { daily } => e.budget = daily,
            Action::Bid { amount } => e.bid = amount,
            Action::Status { status } => e.status = status,
        }
    }
    t
}

fn breaches(t: &BTreeMap<String, Truth>) -> usize {
    let mut n = t.values().filter(|x| x.status == Status::Active && x.budget > CAMPAIGN_CAP + 1e-9).count();
    let sum: f64 = t.values().filter(|x| x.status == Status::Active).map(|x| x.budget).sum();
    if sum > ACCOUNT_CAP + 1e-9 {
        n += 1;
    }
    n
}

/// Decision id and stage of a key `{store}/d{id}/s{k}` (stage 0 for `{store}/d{id}/rollback`).
fn parse_key(k: &str) -> (u64, u32) {
    let (store, k) = k.split_once('/').unwrap();
    assert_eq!(store.len(), 16, "{k}: the store's id first");
    let (d, rest) = k.trim_start_matches('d').split_once('/').unwrap();
    let step = rest.strip_prefix('s').map_or(0, |s| s.parse().unwrap());
    (d.parse().unwrap(), step)
}

/// Double executions and disagreements between the engine's records and the market's.
fn double_executions(e: &E) -> usize {
    let mut bad = 0;
    let applied: BTreeMap<String, usize> = e.platform().applied().iter().fold(BTreeMap::new(), |mut m, a| {
        *m.entry(a.key.to_string()).or_insert(0) += 1;
        m
    });
    let rows: BTreeMap<String, String> = e.store().executions(None).unwrap().into_iter().map(|x| (x.key, x.state)).collect();
    for (key, n) in &applied {
        let (id, step) = parse_key(key);
        let d = e.decision(id).unwrap();
        if *n > 1 || step as usize > d.stages.len() || !rows.contains_key(key) {
            eprintln!("{key}: applied {n} times, {} stages, engine row {:?}", d.stages.len(), rows.get(key));
            bad += 1;
        }
        if rows.get(key).is_some_and(|s| s == "failed") {
            eprintln!("{key}: applied by the market, recorded as failed");
            bad += 1;
        }
    }
    for (key, state) in &rows {
        if state == "applied" && !applied.contains_key(key) {
            eprintln!("{key}: recorded as applied, not applied by the market");
            bad += 1;
        }
    }
    bad
}

fn entity(rng: &mut ChaCha8Rng) -> &'static str {
    ["search", "social", "video"][rng.random_range(0..3)]
}

fn propose(e: &mut E, rng: &mut ChaCha8Rng) -> bool {
    let t = truth(e.platform());
    let id = entity(rng);
    let now = t[id];
    let conf = rng.random_range(0.3..1.0);
    let p = match rng.random_range(0..10) {
        0..=5 => {
            let to = (now.budget * rng.random_range(0.4..2.2)).min(450.0);
            Proposal::budget(id, now.budget, (to * 100.0).round() / 100.0)
        }
        6 | 7 => Proposal::bid(id, now.bid, (rng.random_range(0.5..4.0f64) * 100.0).round() / 100.0).spend_at_stake(now.budget),
        _ => {
            let to = if now.status == Status::Active { Status::Paused } else { Status::Active };
            Proposal::status(id, now.status, to).spend_at_stake(now.budget)
        }
    };
    e.propose(p.confidence(conf).reason("random sequence")).is_ok()
}

fn in_doubt(e: &E) -> bool {
    e.store().executions(None).unwrap().iter().any(|x| x.state == "started")
}

/// Resend every key in doubt (forward stages and rollbacks) until settled (bounded).
fn settle(e: &mut E) {
    for _ in 0..50 {
        let started: Vec<(u64, u32)> = e.store().executions(None).unwrap().into_iter().filter(|x| x.state == "started").map(|x| (x.decision, x.step)).collect();
        if started.is_empty() {
            return;
        }
        for (id, step) in started {
            if step == 0 {
                let _ = e.rollback(id, "ana");
            } else {
                let _ = e.execute(id);
            }
        }
        e.platform_mut().advance_ms(60_000).unwrap();
    }
    let stuck: Vec<String> = e.store().executions(None).unwrap().into_iter().filter(|x| x.state == "started").map(|x| format!("{} ({:?})", x.key, e.decision(x.decision).unwrap().status)).collect();
    panic!("keys still in doubt after 50 rounds: {stuck:?}");
}

#[derive(Default, Debug)]
struct Figures {
    sequences: usize,
    ops: usize,
    faults: usize,
    executed: usize,
    blocked: usize,
    deferred: usize,
    in_doubt: usize,
    stops: usize,
    refused_while_stopped: usize,
    rollbacks_since: usize,
    rollbacks_one: usize,
    rollback_retries: usize,
    restarts: usize,
    cap_breaches: usize,
    double_executions: usize,
    executions_while_stopped: usize,
    rollback_mismatches: usize,
}

fn sequence(seed: u64, f: &mut Figures) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let g = Guardrails { default_campaign_daily_cap: Some(CAMPAIGN_CAP), account_daily_cap: Some(ACCOUNT_CAP), ..Guardrails::default() };
    let policy = Policy { guardrails: g, stage_wait_ms: 600_000, ..Policy::default() };
    let mut e = Engine::new(SqliteStore::open(":memory:").unwrap(), market(seed), policy.clone()).unwrap();
    for id in ["search", "social", "video"] {
        let mut tries = 0;
        while let Err(err) = e.observe(id) {
            assert_eq!(err.kind().code(), "io", "{err}");
            tries += 1;
            assert!(tries < 50, "seed {seed}: {id} never read: {err}");
            e.platform_mut().advance_ms(60_000).unwrap();
        }
    }
    let mut stopped_at: Option<usize> = None;
    let mut mark: Option<(i64, BTreeMap<String, Truth>)> = None;
    for _ in 0..OPS {
        f.ops += 1;
        match rng.random_range(0..100) {
            0..=29 => {
                propose(&mut e, &mut rng);
            }
            30..=44 => {
                if let Some(d) = e.pending().unwrap().first() {
                    if rng.random_bool(0.8) {
                        let _ = e.approve(d.id, "ana");
                    } else {
                        let _ = e.reject(d.id, "ana", "not now");
                    }
                }
            }
            45..=69 => {
                let ids: Vec<u64> = e.decisions().unwrap().iter().filter(|d| matches!(d.status, DecisionStatus::Approved | DecisionStatus::Executing)).map(|d| d.id).collect();
                if ids.is_empty() {
                    continue;
                }
                let id = ids[rng.random_range(0..ids.len())];
                let times = if rng.random_bool(0.2) { 2 } else { 1 }; // a duplicated call
                for _ in 0..times {
                    match e.execute(id) {
                        Ok(ExecOutcome::Executed { .. } | ExecOutcome::Staged { .. }) => f.executed += 1,
                        Ok(ExecOutcome::Blocked { .. }) => f.blocked += 1,
                        Ok(ExecOutcome::Deferred { .. }) => f.deferred += 1,
                        Ok(ExecOutcome::InDoubt { .. }) => f.in_doubt += 1,
                        Ok(_) => {}
                        Err(err) => {
                            assert!(stopped_at.is_some(), "seed {seed}: execute failed while running: {err}");
                            f.refused_while_stopped += 1;
                        }
                    }
                }
            }
            70..=79 => e.platform_mut().advance_ms(rng.random_range(0..1_800_000)).unwrap(),
            80..=85 => match stopped_at {
                None => {
                    e.stop("ops", "random stop").unwrap();
                    stopped_at = Some(e.platform().applied().len());
                    f.stops += 1;
                }
                Some(at) => {
                    let during = &e.platform().applied()[at..];
                    f.executions_while_stopped += during.iter().filter(|a| parse_key(a.key.as_str()).1 > 0).count();
                    e.resume("ben").unwrap();
                    stopped_at = None;
                }
            },
            86..=88 => {
                // a restart: a new engine on the same store and platform carries on
                let (store, platform) = e.into_parts();
                e = Engine::new(store, platform, policy.clone()).unwrap();
                f.restarts += 1;
            }
            89..=95 => {
                if mark.is_none() && !in_doubt(&e) {
                    // "since t" includes t: move past the instant of the last stage sent
                    e.platform_mut().advance_ms(1).unwrap();
                    mark = Some((e.platform().now_ms(), truth(e.platform())));
                } else if let Some((t, before)) = mark.take() {
                    settle_if_running(&mut e, stopped_at.is_some());
                    rollback_since(&mut e, t, seed, f);
                    f.rollbacks_since += 1;
                    let after = truth(e.platform());
                    if after != before {
                        f.rollback_mismatches += 1;
                        eprintln!("seed {seed}: rollback since {t}: before {before:?} after {after:?}");
                        if std::env::var("CW_DECIDE_DEBUG").is_ok() {
                            for a in e.audit().unwrap() {
                                eprintln!("{} {} {} {:?} {}", a.seq, a.record.at_ms, a.record.action, a.record.decision, a.record.detail);
                            }
                            for a in e.platform().applied() {
                                eprintln!("applied {} {} {:?} {}", a.key, a.entity, a.action, a.at_ms);
                            }
                        }
                    }
                }
            }
            _ => {
                // (not while a mark is set: rollback_since undoes the forward stages since the
                // mark, not rollbacks of earlier decisions)
                let last = e.decisions().unwrap().into_iter().rev().find(|d| d.status == DecisionStatus::Executed && mark.is_none());
                if let Some(d) = last {
                    if let Ok(ExecOutcome::RolledBack { .. }) = e.rollback(d.id, "ana") {
                        f.rollbacks_one += 1;
                    }
                }
            }
        }
        if let Some(at) = stopped_at {
            assert!(e.propose(Proposal::budget("search", 100.0, 101.0)).is_err());
            assert!(e.run_due().is_err());
            f.refused_while_stopped += 1;
            let during = &e.platform().applied()[at..];
            let forward = during.iter().filter(|a| parse_key(a.key.as_str()).1 > 0).count();
            if forward > 0 {
                f.executions_while_stopped += forward;
                stopped_at = Some(e.platform().applied().len());
            }
        }
        f.cap_breaches += breaches(&truth(e.platform()));
    }
    if stopped_at.is_some() {
        e.resume("ben").unwrap();
    }
    settle(&mut e);
    f.cap_breaches += breaches(&truth(e.platform()));
    f.double_executions += double_executions(&e);
    f.faults += e.platform().fault_log().len();
    e.verify().unwrap();
    f.sequences += 1;
}

fn settle_if_running(e: &mut E, stopped: bool) {
    if !stopped {
        settle(e);
    }
}

/// Roll back since `t` until every rollback completed (resending keys in doubt; a rollback the
/// caps block on a stale read-back, which shows the entity's previous budget, is tried again
/// after a minute).
fn rollback_since(e: &mut E, t: i64, seed: u64, f: &mut Figures) {
    let mut last = Vec::new();
    for _ in 0..50 {
        let out = e.rollback_since(t, "ana").unwrap();
        if out.iter().all(|(_, o)| matches!(o, ExecOutcome::RolledBack { .. } | ExecOutcome::Unchanged { .. })) {
            return;
        }
        f.rollback_retries += 1;
        last = out;
        e.platform_mut().advance_ms(60_000).unwrap();
    }
    panic!("seed {seed}: rollback since {t} did not complete in 50 rounds: {last:?}");
}

#[test]
fn guarantees_hold_under_faults() {
    let n: u64 = std::env::var("CW_DECIDE_SEQUENCES").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let start = std::time::Instant::now();
    let mut f = Figures::default();
    let first: u64 = std::env::var("CW_DECIDE_FIRST").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    for seed in first..first + n {
        sequence(seed, &mut f);
    }
    eprintln!(
        "decide invariants: {} sequences, {} operations, {} faults injected, {} stages executed, {} blocked, {} deferred, {} in doubt (settled), \
         {} stops ({} executions refused while stopped), {} rollbacks since a time ({} rounds retried), {} single rollbacks, {} engine restarts; \
         cap breaches {}, double executions {}, executions while stopped {}, rollback mismatches {} ({:.1} s)",
        f.sequences,
        f.ops,
        f.faults,
        f.executed,
        f.blocked,
        f.deferred,
        f.in_doubt,
        f.stops,
        f.refused_while_stopped,
        f.rollbacks_since,
        f.rollback_retries,
        f.rollbacks_one,
        f.restarts,
        f.cap_breaches,
        f.double_executions,
        f.executions_while_stopped,
        f.rollback_mismatches,
        start.elapsed().as_secs_f64()
    );
    assert!(f.faults > 0 && f.executed > 0 && f.blocked > 0 && f.stops > 0 && f.rollbacks_since > 0, "{f:?}");
    assert_eq!((f.cap_breaches, f.double_executions, f.executions_while_stopped, f.rollback_mismatches), (0, 0, 0, 0), "{f:?}");
}
