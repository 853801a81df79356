//! Criterion benches of ETS: AutoEts on monthly series of length 144 and 576, one fixed model.
//!
//! `cargo bench -p channelwise-benches --bench ets`

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::forecast::ets::{AutoEts, ErrorType, Ets, SeasonType, TrendType};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Seeded monthly series with trend and multiplicative season.
fn monthly(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|t| {
            let s = (2.0 * std::f64::consts::PI * t as f64 / 12.0).sin();
            (200.0 + 0.8 * t as f64) * (1.0 + 0.2 * s) * (1.0 + 0.03 * (rng.random::<f64>() - 0.5))
        })
        .collect()
}

/// AutoEts at two lengths and one fixed model.
fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("ets");
    g.sample_size(10);
    for n in [144usize, 576] {
        g.bench_with_input(BenchmarkId::new("auto_zzz", n), &n, |b, &n| {
            b.iter_batched(
                || monthly(n, 1),
                |y| {
                    let f = AutoEts::new(12).fit(&y).expect("fits");
                    assert!(f.aicc().is_finite());
                    f
                },
                BatchSize::SmallInput,
            )
        });
    }
    g.bench_function(BenchmarkId::new("fit_MAdM", 144), |b| {
        b.iter_batched(
            || monthly(144, 2),
            |y| Ets::new(ErrorType::Multiplicative, TrendType::AdditiveDamped, SeasonType::Multiplicative).season_length(12).fit(&y).expect("fits"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
