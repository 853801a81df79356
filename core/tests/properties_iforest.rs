//! Property tests of the isolation forest: no panic on any f64 input, scores in [-1, 0], same
//! seed same answer, a far outlier scores below the bulk, the contamination fraction is flagged,
//! and column order changes scores only by sampling noise.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::anomaly::{Contamination, IsolationForest, MaxFeatures, MaxSamples};
use proptest::prelude::*;

/// Any f64, with the awkward ones (NaN, infinities, extremes, signed zeros, repeats) common.
fn any_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => any::<f64>(),
        2 => prop::sample::select(vec![
            0.0, -0.0, 1.0, -1.0, f64::MAX, f64::MIN, f64::MIN_POSITIVE, 5e-324, 1e300, -1e300,
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY,
        ]),
        3 => -10.0f64..10.0,
    ]
}

/// Any finite f64 (extremes and duplicates included).
fn finite_float() -> impl Strategy<Value = f64> {
    any_float().prop_filter("finite", |v| v.is_finite())
}

fn params() -> impl Strategy<Value = IsolationForest> {
    (
        0usize..12,
        prop_oneof![
            Just(MaxSamples::Auto),
            (0usize..40).prop_map(MaxSamples::Count),
            any_float().prop_map(MaxSamples::Fraction),
        ],
        prop_oneof![Just(Contamination::Auto), any_float().prop_map(Contamination::Fraction)],
        prop_oneof![(0usize..5).prop_map(MaxFeatures::Count), any_float().prop_map(MaxFeatures::Fraction)],
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|(n, ms, c, mf, b, seed)| {
            IsolationForest::default()
                .n_estimators(n)
                .max_samples(ms)
                .contamination(c)
                .max_features(mf)
                .bootstrap(b)
                .seed(seed)
        })
}

/// Uniform rows in [0, 1)^nf from a proptest seed (a bulk with no outliers).
fn uniform(n: usize, nf: usize, seed: u64) -> Vec<f64> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..n * nf).map(|_| rng.random::<f64>()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(forest in params(), x in prop::collection::vec(any_float(), 0..60), nf in 0usize..4,
                    y in prop::collection::vec(any_float(), 0..12), nf_score in 0usize..4) {
        if let Ok(m) = forest.fit(&x, nf) {
            prop_assert!(m.offset().is_finite());
            if let Ok(s) = m.score_samples(&y, nf_score) {
                prop_assert!(s.iter().all(|v| (-1.0..=0.0).contains(v)));
            }
            let _ = m.predict(&y, nf_score);
        }
    }

    #[test]
    fn finite_data_always_fits_and_scores_in_range(x in prop::collection::vec(finite_float(), 1..80),
                                                   nf in 1usize..4, seed in any::<u64>()) {
        let n = x.len() / nf * nf;
        prop_assume!(n > 0);
        let x = &x[..n];
        let m = IsolationForest::default().n_estimators(20).seed(seed)
            .contamination(Contamination::Fraction(0.1)).fit(x, nf).unwrap();
        let s = m.score_samples(x, nf).unwrap();
        prop_assert!(s.iter().all(|v| (-1.0..=0.0).contains(v)));
        prop_assert!(m.offset() >= -1.0 && m.offset() <= 0.0);
    }

    #[test]
    fn same_seed_same_answer(x in prop::collection::vec(finite_float(), 2..60), seed in any::<u64>(), boot in any::<bool>()) {
        let f = IsolationForest::default().n_estimators(10).seed(seed).bootstrap(boot)
            .max_samples(MaxSamples::Fraction(0.7)).contamination(Contamination::Fraction(0.2));
        let (a, b) = (f.fit(&x, 2 - x.len() % 2).unwrap(), f.fit(&x, 2 - x.len() % 2).unwrap());
        prop_assert_eq!(&a, &b);
        let nf = a.n_features();
        prop_assert_eq!(a.score_samples(&x, nf).unwrap(), b.score_samples(&x, nf).unwrap());
    }

    #[test]
    fn far_outlier_scores_below_the_bulk(seed in any::<u64>(), nf in 1usize..5, n in 50usize..300) {
        let mut x = uniform(n, nf, seed);
        x.extend(std::iter::repeat_n(100.0, nf));
        let m = IsolationForest::default().seed(seed).fit(&x, nf).unwrap();
        let s = m.score_samples(&x, nf).unwrap();
        let far = s[n];
        prop_assert!(s[..n].iter().all(|&v| v > far), "outlier {} not below bulk min {}",
                     far, s[..n].iter().copied().fold(0.0, f64::min));
        prop_assert_eq!(m.predict(&x[n * nf..], nf).unwrap(), vec![-1]);
    }

    #[test]
    fn contamination_fraction_is_flagged(seed in any::<u64>(), n in 20usize..400, c in 0.01f64..0.5) {
        let x = uniform(n, 3, seed);
        let m = IsolationForest::default().n_estimators(50).seed(seed)
            .contamination(Contamination::Fraction(c)).fit(&x, 3).unwrap();
        let mut s = m.score_samples(&x, 3).unwrap();
        s.sort_by(f64::total_cmp);
        prop_assume!(s.windows(2).all(|w| w[0] < w[1])); // ties make the count fall short
        let flagged = m.is_outlier(&x, 3).unwrap().iter().filter(|&&o| o).count();
        // numpy's percentile at virtual index (n - 1) c: ceil of it rows lie strictly below
        let k = (n - 1) as f64 * c;
        prop_assert!((flagged as f64 - k).abs() <= 1.0, "flagged {} of {}, c = {}", flagged, n, c);
        prop_assert_eq!(m.predict(&x, 3).unwrap().iter().filter(|&&p| p == -1).count(), flagged);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn column_order_changes_scores_only_by_noise(seed in any::<u64>()) {
        let (n, nf) = (300, 3);
        let mut x = uniform(n, nf, seed);
        for v in x.iter_mut().skip(2).step_by(nf) {
            *v *= 5.0; // columns on different scales
        }
        let swapped: Vec<f64> = x.chunks(nf).flat_map(|r| [r[2], r[0], r[1]]).collect();
        let f = IsolationForest::default().n_estimators(1000);
        let a = f.seed(seed).fit(&x, nf).unwrap().score_samples(&x, nf).unwrap();
        let b = f.seed(seed ^ 1).fit(&swapped, nf).unwrap().score_samples(&swapped, nf).unwrap();
        let worst = a.iter().zip(&b).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        prop_assert!(worst < 0.03, "max |score difference| = {}", worst);
        prop_assert!(a != b);
    }
}
