//! Properties of the simulated market under any seed, fault rates and call sequence: no panic;
//! a key is applied at most once; a read never shows more conversions than the truth, and
//! spend, impressions and clicks as the truth; an entity read back holds the last change
//! applied to it (unless the read was stale).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::platform::adapter::{Action, ApplyChanges, Change, MetricsQuery, ReadMetrics, Status};
use channelwise::platform::sim::{FaultKind, Faults, SimConfig, SimMarket};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Step,
    Advance(i64),
    Apply(Vec<(u8, u8, u8)>),
    Read(i32, i32),
    Entity(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Step),
        1 => (-1_000i64..20_000_000).prop_map(Op::Advance),
        3 => prop::collection::vec((0u8..12, 0u8..3, 0u8..3), 0..4).prop_map(Op::Apply),
        2 => (-3i32..40, 0i32..10).prop_map(|(a, n)| Op::Read(a, n)),
        1 => (0u8..3).prop_map(Op::Entity),
    ]
}

fn change(key: u8, entity: u8, kind: u8) -> Change {
    let id = ["search", "social", "nope"][entity as usize];
    let action = match kind {
        0 => Action::Budget { daily: 50.0 + f64::from(key) },
        1 => Action::Bid { amount: 1.0 + f64::from(key) },
        _ => Action::Status { status: if key % 2 == 0 { Status::Paused } else { Status::Active } },
    };
    // the key names its change, so a key is never reused for another change
    Change::new(format!("k{key}-{entity}-{kind}"), id, action).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn market_keeps_its_invariants(seed in any::<u64>(), p in 0.0..0.6f64, ops in prop::collection::vec(op(), 1..60)) {
        let mut m = SimMarket::new(SimConfig { seed, faults: Faults::all(p), ..SimConfig::default() }).unwrap();
        let start = m.config().start;
        for op in ops {
            match op {
                Op::Step => m.step_day().unwrap(),
                Op::Advance(ms) => m.advance_ms(ms).unwrap(),
                Op::Apply(items) => {
                    let changes: Vec<Change> = items.into_iter().map(|(k, e, c)| change(k, e, c)).collect();
                    if let Ok(results) = m.apply_changes(&changes) {
                        prop_assert_eq!(results.len(), changes.len());
                        for (r, c) in results.iter().zip(&changes) {
                            prop_assert_eq!(&r.key, &c.key);
                            prop_assert!(!(c.entity == "nope" && r.is_success()));
                        }
                    }
                }
                Op::Read(a, n) => {
                    let q = MetricsQuery::new(start.add_days(a), start.add_days(a + n)).unwrap();
                    if let Ok(rows) = m.read_metrics(&q) {
                        let truth = m.true_metrics(&q).unwrap();
                        for r in rows {
                            let t = truth.iter().find(|t| t.entity == r.entity && t.date == r.date).unwrap();
                            prop_assert!(r.conversions <= t.conversions && r.value <= t.value + 1e-9);
                            prop_assert_eq!((r.spend, r.impressions, r.clicks), (t.spend, t.impressions, t.clicks));
                            prop_assert!(r.date < m.today());
                        }
                    }
                }
                Op::Entity(e) => {
                    let id = ["search", "social", "nope"][e as usize];
                    let stale_before = m.fault_log().iter().filter(|f| f.kind == FaultKind::StaleRead).count();
                    if let Ok(s) = m.read_entity(id) {
                        prop_assert!(id != "nope");
                        let stale = m.fault_log().iter().filter(|f| f.kind == FaultKind::StaleRead).count() > stale_before;
                        if let (Some(last), false) = (m.applied().iter().rev().find(|a| a.entity == id), stale) {
                            let c = Change { key: last.key.clone(), entity: last.entity.clone(), action: last.action };
                            prop_assert!(c.is_reflected_in(&s));
                        }
                    } else {
                        prop_assert!(id == "nope" || p > 0.0);
                    }
                }
            }
        }
        let mut keys: Vec<_> = m.applied().iter().map(|a| a.key.clone()).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        prop_assert_eq!(keys.len(), n);
    }
}
