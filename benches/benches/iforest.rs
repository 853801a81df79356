//! Criterion benchmarks of the isolation forest: `iforest/<case>/<rows>` on 10 features.
//!
//! `cargo bench -p channelwise-benches --bench iforest` (set `CW_BENCH_SIZES=1000,10000` to skip
//! the larger cases on a busy machine). Cases: `fit` (100 trees, max_samples auto),
//! `score` (score_samples of the training rows with a fitted forest), `fit_score_contamination`
//! (fit with a contamination fraction, which scores the training rows once for the offset, then
//! predict). The comparison with scikit-learn is `benches/compare/iforest.py`.

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::anomaly::{Contamination, IsolationForest};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const FEATURES: usize = 10;

fn sizes() -> Vec<usize> {
    std::env::var("CW_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000, 1_000_000])
}

/// `n` rows: 99% from a correlated gaussian-ish cloud (sum of uniforms), 1% uniform in a wide box.
fn data(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x = Vec::with_capacity(n * FEATURES);
    for i in 0..n {
        if i % 100 == 99 {
            x.extend((0..FEATURES).map(|_| rng.random_range(-8.0..8.0)));
        } else {
            let base: f64 = (0..4).map(|_| rng.random::<f64>() - 0.5).sum();
            x.extend((0..FEATURES).map(|j| base * (j as f64 * 0.1 + 0.5) + (0..4).map(|_| rng.random::<f64>() - 0.5).sum::<f64>()));
        }
    }
    x
}

fn iforest(c: &mut Criterion) {
    let mut g = c.benchmark_group("iforest");
    g.sample_size(10);
    for n in sizes() {
        let x = data(n, 42);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("fit", n), &x, |b, x| {
            b.iter(|| {
                let m = IsolationForest::default().fit(x, FEATURES).expect("valid data");
                assert_eq!(m.n_estimators(), 100);
                m
            })
        });
        let model = IsolationForest::default().fit(&x, FEATURES).expect("valid data");
        g.bench_with_input(BenchmarkId::new("score", n), &x, |b, x| {
            b.iter(|| {
                let s = model.score_samples(x, FEATURES).expect("valid data");
                assert!(s[99] < 0.0);
                s
            })
        });
        g.bench_with_input(BenchmarkId::new("fit_score_contamination", n), &x, |b, x| {
            b.iter(|| {
                let m = IsolationForest::default()
                    .contamination(Contamination::Fraction(0.01))
                    .fit(x, FEATURES)
                    .expect("valid data");
                let p = m.predict(x, FEATURES).expect("valid data");
                assert!(p.iter().filter(|&&v| v == -1).count() >= n / 200);
                p
            })
        });
    }
    g.finish();
}

criterion_group!(benches, iforest);
criterion_main!(benches);
