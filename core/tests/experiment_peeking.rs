//! Peeking at every look keeps the false-positive rate at or below alpha: 10,000 seeded A/A
//! experiments for each sequential method, with a naive fixed-horizon test at the same looks as
//! the control that shows why it matters.
//!
//! Each run draws its data per look as exact sufficient statistics (a batch of `m` normal units
//! has `sum ~ N(m mu, m sigma^2)` and `sum_squares = sum^2 / m + sigma^2 chi^2_{m-1}`), so 10,000
//! runs take well under a second even in a debug build. The bound on the rate is alpha plus three
//! Monte Carlo standard errors (`3 sqrt(alpha (1 - alpha) / 10,000)`, 0.0065 at alpha 0.05).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::experiment::ab::Summary;
use channelwise::experiment::sequential::{GroupSequential, Sequential, Spending};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{ChiSquared, Distribution, StandardNormal};

const RUNS: usize = 10_000;
const ALPHA: f64 = 0.05;

fn mc_bound() -> f64 {
    ALPHA + 3.0 * (ALPHA * (1.0 - ALPHA) / RUNS as f64).sqrt()
}

/// Lan-DeMets bounds at five equally spaced looks: the z statistic of an A/A test is Brownian
/// motion over information time.
fn group_sequential_rate(spending: Spending, seed: u64) -> (f64, f64) {
    let t = [0.2, 0.4, 0.6, 0.8, 1.0];
    let b = GroupSequential::default().alpha(ALPHA).spending(spending).bounds(&t).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut rejected, mut naive) = (0usize, 0usize);
    for _ in 0..RUNS {
        let (mut s, mut prev) = (0.0, 0.0);
        let (mut hit, mut naive_hit) = (false, false);
        for (k, &tk) in t.iter().enumerate() {
            let e: f64 = rng.sample(StandardNormal);
            s += e * (tk - prev).sqrt();
            prev = tk;
            let z = s / tk.sqrt();
            hit |= z.abs() >= b.z[k];
            naive_hit |= z.abs() >= 1.959963984540054;
        }
        rejected += hit as usize;
        naive += naive_hit as usize;
    }
    (rejected as f64 / RUNS as f64, naive as f64 / RUNS as f64)
}

#[test]
fn group_sequential_peeking_keeps_alpha() {
    for (spending, seed) in [(Spending::OBrienFleming, 15), (Spending::Power { rho: 1.0 }, 16), (Spending::Power { rho: 3.0 }, 17)] {
        let (rate, naive) = group_sequential_rate(spending, seed);
        eprintln!("{spending:?}: false-positive rate {rate:.4} over {RUNS} A/A runs (naive 1.96 at every look: {naive:.4})");
        assert!(rate <= mc_bound(), "{spending:?}: {rate} > {}", mc_bound());
        // the bounds spend alpha rather than waste it
        assert!(rate >= ALPHA - 3.0 * (ALPHA * (1.0 - ALPHA) / RUNS as f64).sqrt(), "{spending:?}: {rate}");
        assert!(naive > 0.1, "peeking without correction inflates the rate: {naive}");
    }
}

/// A batch of `m` units from N(mu, sigma^2) as (sum, sum of squares).
fn batch(rng: &mut ChaCha8Rng, chi: &ChiSquared<f64>, m: f64, mu: f64, sigma: f64) -> (f64, f64) {
    let z: f64 = rng.sample(StandardNormal);
    let sum = m * mu + sigma * m.sqrt() * z;
    (sum, sum * sum / m + sigma * sigma * chi.sample(rng))
}

#[test]
fn always_valid_interval_peeking_keeps_alpha() {
    const LOOKS: usize = 20;
    const BATCH: f64 = 100.0;
    let seq = Sequential::default().alpha(ALPHA).tuning(2.0 * BATCH * LOOKS as f64).relative(false);
    let chi = ChiSquared::new(BATCH - 1.0).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1515);
    let (mut rejected, mut naive) = (0usize, 0usize);
    for _ in 0..RUNS {
        let mut arms = [(0.0, 0.0, 0.0); 2];
        let (mut hit, mut naive_hit) = (false, false);
        for _ in 0..LOOKS {
            for arm in arms.iter_mut() {
                let (s, q) = batch(&mut rng, &chi, BATCH, 10.0, 4.0);
                *arm = (arm.0 + BATCH, arm.1 + s, arm.2 + q);
            }
            let [a, b] = arms.map(|(n, s, q)| Summary::new(n, s / n, (q - s * s / n) / (n - 1.0)));
            let look = seq.look(&a, &b).unwrap();
            hit |= look.ci_lower > 0.0 || look.ci_upper < 0.0;
            naive_hit |= (look.estimate / look.std_error).abs() >= 1.959963984540054;
        }
        rejected += hit as usize;
        naive += naive_hit as usize;
    }
    let (rate, naive) = (rejected as f64 / RUNS as f64, naive as f64 / RUNS as f64);
    eprintln!("always-valid interval: false-positive rate {rate:.4} over {RUNS} A/A runs of {LOOKS} looks (naive z at every look: {naive:.4})");
    assert!(rate <= mc_bound(), "{rate} > {}", mc_bound());
    assert!(naive > 0.15, "peeking without correction inflates the rate: {naive}");
}
