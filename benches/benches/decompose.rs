//! Criterion benchmarks of decomposition and robust detectors: `decompose/<method>/<n>`.
//!
//! `cargo bench -p channelwise-benches --bench decompose` (set `CW_BENCH_SIZES=144,1000` to skip
//! the 10k case on a busy machine).

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::anomaly::robust::{Esd, Hampel, SeasonalEsd};
use channelwise::forecast::decompose::{Mstl, Stl};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn sizes() -> Vec<usize> {
    std::env::var("CW_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![144, 1_000, 10_000])
}

/// Trend + daily (24) and weekly (168) cycles + noise with a few spikes; same seed, same series.
fn series(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|t| {
            let tf = t as f64;
            let spike = if rng.random::<f64>() < 0.01 { 15.0 } else { 0.0 };
            100.0 + 0.01 * tf
                + 5.0 * (tf * std::f64::consts::TAU / 12.0).sin()
                + 3.0 * (tf * std::f64::consts::TAU / 168.0).sin()
                + rng.random::<f64>() * 2.0
                + spike
        })
        .collect()
}

fn decompose(c: &mut Criterion) {
    let mut g = c.benchmark_group("decompose");
    g.sample_size(10);
    for n in sizes() {
        let y = series(n, 42);
        g.throughput(Throughput::Elements(n as u64));
        for robust in [false, true] {
            let name = if robust { "stl_robust" } else { "stl" };
            g.bench_with_input(BenchmarkId::new(name, n), &y, |b, y| {
                b.iter(|| {
                    let d = Stl::new(12).robust(robust).fit(y).expect("valid series");
                    assert_eq!(d.trend.len(), y.len());
                    d
                })
            });
        }
        if n > 2 * 168 {
            g.bench_with_input(BenchmarkId::new("mstl_12_168", n), &y, |b, y| {
                b.iter(|| Mstl::new(&[12, 168]).fit(y).expect("valid series"))
            });
        }
        g.bench_with_input(BenchmarkId::new("hampel_k5", n), &y, |b, y| {
            b.iter(|| Hampel::new(5, 3.0).detect(y).expect("valid series"))
        });
        g.bench_with_input(BenchmarkId::new("esd", n), &y, |b, y| {
            b.iter(|| Esd::new().max_anoms(0.02).detect(y).expect("valid series"))
        });
        g.bench_with_input(BenchmarkId::new("seasonal_esd", n), &y, |b, y| {
            b.iter(|| SeasonalEsd::new(12).max_anoms(0.02).detect(y).expect("valid series"))
        });
    }
    g.finish();
}

criterion_group!(benches, decompose);
criterion_main!(benches);
