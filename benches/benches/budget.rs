//! Budget allocation: water-filling over 10 to 10,000 concave channels (logistic,
//! Michaelis-Menten, Hill slope <= 1, bounded), and branch and bound over 100 S-shaped Hill
//! channels (slope 2-4), on `synthetic_budget`'s seeded problems (the ones
//! `benches/compare/budget.py` times against scipy's SLSQP).

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::optimize::budget::Allocate;
use channelwise_benches::synthetic_budget;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn budget(c: &mut Criterion) {
    let mut g = c.benchmark_group("budget");
    for n in [10, 100, 1000, 10_000] {
        let (ch, b) = synthetic_budget(n, false, 42);
        let spec = Allocate::budget(b);
        g.bench_with_input(BenchmarkId::new("concave", n), &ch, |bench, ch| {
            bench.iter(|| {
                let a = spec.solve(ch).expect("solve");
                assert!(a.certificate.kkt_residual < 1e-9 && (a.total_spend - b).abs() <= 1e-9 * b);
            })
        });
    }
    g.sample_size(10);
    let (ch, b) = synthetic_budget(100, true, 42);
    let spec = Allocate::budget(b);
    g.bench_with_input(BenchmarkId::new("s_curve", 100), &ch, |bench, ch| {
        bench.iter(|| {
            let a = spec.solve(ch).expect("solve");
            assert!(a.certificate.suboptimality <= 1e-6);
        })
    });
    g.finish();
}

criterion_group!(benches, budget);
criterion_main!(benches);
