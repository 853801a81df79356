//! Criterion benchmarks of attribution: `attribution/<model>/<size>`.
//!
//! `cargo bench -p channelwise-benches --bench attribution` (set `CW_BENCH_SIZES=10000,100000`
//! to skip the 1M case on a busy machine).

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::attribution::{shapley, Bootstrap, Heuristics, Markov};
use channelwise_benches::synthetic_table;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn sizes() -> Vec<usize> {
    std::env::var("CW_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
}

fn attribution(c: &mut Criterion) {
    let mut g = c.benchmark_group("attribution");
    g.sample_size(10);
    for n in sizes() {
        let table = synthetic_table(n, 16, 42);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("heuristics", n), &table, |b, t| {
            b.iter(|| {
                let h = Heuristics::default().fit(t).expect("valid table");
                assert!(h.linear.total_conversions() > 0.0);
                h
            })
        });
        g.bench_with_input(BenchmarkId::new("shapley", n), &table, |b, t| {
            b.iter(|| shapley(t).expect("valid table"))
        });
        for order in 1..=3 {
            g.bench_with_input(BenchmarkId::new(format!("markov_o{order}"), n), &table, |b, t| {
                b.iter(|| {
                    let m = Markov::default().order(order).fit(t).expect("valid table");
                    assert!(m.conversion_probability() > 0.0);
                    m
                })
            });
        }
        if n <= 100_000 {
            g.bench_with_input(BenchmarkId::new("markov_bootstrap_100", n), &table, |b, t| {
                b.iter(|| Bootstrap::default().replicates(100).markov(&Markov::default(), t).expect("valid table"))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, attribution);
criterion_main!(benches);
