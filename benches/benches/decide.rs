//! The decision engine's proposal over a long history: `Engine::propose` on a SQLite store
//! (`:memory:`) already holding N executed budget decisions with recorded outcomes (N = 100,
//! 1,000, 5,000). A proposal reads its type's calibration, which the engine computes again only
//! when the audit log shows an outcome or a rollback since the last proposal, so its cost should
//! not grow with N (it used to parse every executed decision).

#![allow(missing_docs)] // criterion_group! generates undocumented items
#![allow(clippy::unwrap_used)] // benchmark harness: a panic is a failed run

use std::hint::black_box;

use channelwise::decide::decision::Proposal;
use channelwise::decide::engine::{Engine, ExecOutcome};
use channelwise::decide::policy::{Guardrails, Policy};
use channelwise::decide::store::SqliteStore;
use channelwise::platform::adapter::DAY_MS;
use channelwise::platform::sim::{SimConfig, SimMarket};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// An engine whose store holds `n` executed budget decisions (one a day, 100 <-> 101) with
/// outcomes.
fn history(n: usize) -> Engine<SqliteStore, SimMarket> {
    let policy = Policy {
        guardrails: Guardrails { change_frequency: None, ..Guardrails::default() },
        ..Policy::default()
    };
    let market = SimMarket::new(SimConfig { seed: 1, ..SimConfig::default() }).unwrap();
    let mut e = Engine::new(SqliteStore::open(":memory:").unwrap(), market, policy).unwrap();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let (from, to) = if i % 2 == 0 { (100.0, 101.0) } else { (101.0, 100.0) };
        let p = Proposal::budget("search", from, to).confidence(0.9).spend_at_stake(10.0).impact("conversions/day", 1.0, 0.5, 1.5);
        let d = e.propose(p).unwrap();
        assert!(matches!(e.execute(d.id).unwrap(), ExecOutcome::Executed { .. }), "decision {i}");
        ids.push(d.id);
        e.platform_mut().advance_ms(DAY_MS).expect("within the market's 100 years");
    }
    e.platform_mut().advance_ms(7 * DAY_MS).expect("within the market's 100 years");
    for (i, id) in ids.into_iter().enumerate() {
        e.record_outcome(id, 0.5 + (i % 3) as f64 * 0.25, "holdout", "ana").unwrap();
    }
    e
}

fn propose(c: &mut Criterion) {
    let mut g = c.benchmark_group("decide_propose");
    g.sample_size(20);
    for n in [100, 1_000, 5_000] {
        let mut e = history(n);
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                let p = Proposal::budget("social", 150.0, 151.0).confidence(0.9).spend_at_stake(10.0).impact("conversions/day", 1.0, 0.5, 1.5);
                black_box(e.propose(p).unwrap())
            });
        });
    }
    g.finish();
}

criterion_group!(benches, propose);
criterion_main!(benches);
