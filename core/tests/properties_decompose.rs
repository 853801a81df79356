//! Property tests of STL/MSTL and the robust anomaly detectors: no panic on any f64 input,
//! components add back to the data, shift/scale equivariance, same answer every run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test
#![allow(clippy::needless_range_loop)] // parallel arrays indexed together read clearer

use channelwise::anomaly::robust::{mad, Direction, Esd, Hampel, MadDetector, SeasonalEsd};
use channelwise::forecast::decompose::{Mstl, Stl};
use proptest::prelude::*;

/// Any f64 at all: NaN, infinities, huge, subnormal, zero, ordinary.
fn any_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -1e3f64..1e3,
        1 => any::<f64>(),
        1 => prop::sample::select(vec![
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN, f64::MIN_POSITIVE,
            5e-324, -0.0, 0.0, 1e300, -1e300, 1e-300,
        ]),
    ]
}

/// A seasonal series with noise, finite and moderate.
fn seasonal_series() -> impl Strategy<Value = (usize, Vec<f64>)> {
    series_of(2..8, 2..6)
}

fn series_of(
    periods: std::ops::Range<usize>,
    cycles: std::ops::Range<usize>,
) -> impl Strategy<Value = (usize, Vec<f64>)> {
    (periods, cycles).prop_flat_map(|(p, cycles)| {
        let n = p * cycles + 1;
        (Just(p), prop::collection::vec(-50.0f64..50.0, n..n + p))
    })
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + scale)
}

fn maxabs(y: &[f64]) -> f64 {
    y.iter().fold(0.0, |m, v| m.max(v.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn stl_never_panics(y in prop::collection::vec(any_float(), 0..50), period in 0usize..9,
                        seasonal in 0usize..14, robust: bool, jump in 0usize..4) {
        let r = Stl::new(period).seasonal(seasonal).robust(robust).trend_jump(jump).fit(&y);
        if let Ok(d) = r {
            prop_assert!(d.trend.iter().chain(&d.seasonal).chain(&d.resid).all(|v| v.is_finite()));
            prop_assert!(d.weights.iter().all(|w| (0.0..=1.0).contains(w)));
        }
    }

    #[test]
    fn mstl_never_panics(y in prop::collection::vec(any_float(), 0..60),
                         periods in prop::collection::vec(0usize..12, 0..3), robust: bool) {
        if let Ok(d) = Mstl::new(&periods).stl(Stl::new(2).robust(robust)).fit(&y) {
            prop_assert!(d.trend.iter().chain(&d.resid).all(|v| v.is_finite()));
            prop_assert_eq!(d.seasonal.len(), d.periods.len());
        }
    }

    #[test]
    fn detectors_never_panic(x in prop::collection::vec(any_float(), 0..40), k in 0usize..5,
                             t in any_float(), max_anoms in any_float(), alpha in any_float(),
                             period in 0usize..6) {
        let _ = mad(&x);
        if let Ok(r) = MadDetector::new().threshold(t).detect(&x) {
            prop_assert!(r.scores.iter().all(|s| !s.is_nan()));
        }
        if let Ok(r) = Hampel::new(k, t).detect(&x) {
            prop_assert!(r.filtered.iter().all(|v| v.is_finite()));
        }
        for d in [Direction::Pos, Direction::Neg, Direction::Both] {
            if let Ok(r) = Esd::new().max_anoms(max_anoms).alpha(alpha).direction(d).detect(&x) {
                prop_assert!(r.statistics.iter().chain(&r.critical_values).all(|v| v.is_finite()));
                prop_assert!(r.n_anomalies <= r.statistics.len());
            }
            let _ = SeasonalEsd::new(period).max_anoms(max_anoms).alpha(alpha).direction(d).detect(&x);
        }
        // the same valid detectors on finite data always succeed
        let finite: Vec<f64> = x.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.len() >= 10 {
            prop_assert!(Esd::new().detect(&finite).is_ok());
            prop_assert!(Hampel::new(2, 3.0).detect(&finite).is_ok());
            prop_assert!(MadDetector::new().detect(&finite).is_ok());
        }
    }

    #[test]
    fn stl_components_add_up((p, y) in seasonal_series(), robust: bool, sdeg in 0usize..2) {
        let d = Stl::new(p).seasonal(7).seasonal_deg(sdeg).robust(robust).fit(&y).unwrap();
        let m = maxabs(&y);
        for i in 0..y.len() {
            prop_assert!(close(d.trend[i] + d.seasonal[i] + d.resid[i], y[i], m));
        }
        let s = d.seasonal_strength().unwrap();
        let t = d.trend_strength().unwrap();
        prop_assert!((0.0..=1.0).contains(&s) && (0.0..=1.0).contains(&t));
    }

    #[test]
    fn stl_is_shift_and_scale_equivariant((p, y) in series_of(3..8, 5..9), a in 0.01f64..100.0,
                                          b in -1e4f64..1e4, robust: bool) {
        let stl = Stl::new(p).robust(robust);
        let d = stl.fit(&y).unwrap();
        // Robust weights divide residuals by 6 median |resid|: when the fit interpolates the data
        // (short series) that median is rounding noise, and so are the weights (statsmodels
        // alike), hence longer series here.
        let mut r: Vec<f64> = d.resid.iter().map(|v| v.abs()).collect();
        r.sort_by(f64::total_cmp);
        prop_assume!(!robust || r[r.len() / 2] > 1e-6 * (1.0 + maxabs(&y)));
        let z: Vec<f64> = y.iter().map(|v| a * v + b).collect();
        let e = stl.fit(&z).unwrap();
        let m = a * maxabs(&y) + b.abs();
        for i in 0..y.len() {
            prop_assert!(close(e.trend[i], a * d.trend[i] + b, m), "trend[{}]", i);
            prop_assert!(close(e.seasonal[i], a * d.seasonal[i], m), "seasonal[{}]", i);
        }
        if !robust {
            prop_assert!(e.weights.iter().all(|w| *w == 1.0));
        }
    }

    #[test]
    fn same_answer_every_run((p, y) in seasonal_series(), robust: bool) {
        let stl = Stl::new(p).robust(robust);
        prop_assert_eq!(stl.fit(&y).unwrap(), stl.fit(&y).unwrap());
        let esd = SeasonalEsd::new(p).max_anoms(0.2);
        prop_assert_eq!(esd.detect(&y).ok(), esd.detect(&y).ok());
        let h = Hampel::new(2, 2.0);
        prop_assert_eq!(h.detect(&y).unwrap(), h.detect(&y).unwrap());
    }

    #[test]
    fn mstl_components_add_up((p, y) in seasonal_series()) {
        let q = p + 1;
        if 2 * q < y.len() {
            let d = Mstl::new(&[q, p]).fit(&y).unwrap();
            let m = maxabs(&y);
            for i in 0..y.len() {
                let s: f64 = d.seasonal.iter().map(|s| s[i]).sum();
                prop_assert!(close(d.trend[i] + s + d.resid[i], y[i], m));
            }
        }
    }

    #[test]
    fn esd_is_shift_and_scale_invariant(x in prop::collection::vec(-100.0f64..100.0, 10..60),
                                        a in prop::sample::select(vec![0.5, 2.0, 1024.0]),
                                        b in prop::sample::select(vec![0.0, -64.0, 4096.0])) {
        // powers of two and small integers keep the transformed data exact
        let r = Esd::new().max_anoms(0.3).detect(&x).unwrap();
        let z: Vec<f64> = x.iter().map(|v| a * v + b).collect();
        let s = Esd::new().max_anoms(0.3).detect(&z).unwrap();
        prop_assert_eq!(&r.removed[..r.n_anomalies.min(s.removed.len())],
                        &s.removed[..r.n_anomalies.min(s.removed.len())]);
    }

    #[test]
    fn hampel_replaces_exactly_the_outliers(x in prop::collection::vec(-100.0f64..100.0, 1..60),
                                            k in 1usize..6, t in 0.0f64..5.0) {
        let r = Hampel::new(k, t).detect(&x).unwrap();
        for i in 0..x.len() {
            if r.is_outlier[i] {
                prop_assert_eq!(r.filtered[i], r.medians[i]);
                prop_assert!((x[i] - r.medians[i]).abs() > t * r.scales[i]);
            } else {
                prop_assert_eq!(r.filtered[i], x[i]);
            }
        }
    }
}
