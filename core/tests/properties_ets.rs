//! Properties of ETS and residual alerts: no panic on any f64 input, same seed same answer,
//! intervals widen with the horizon (additive models), alerts lie outside their intervals.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::anomaly::residual::residual_alerts;
use channelwise::forecast::ets::{AutoEts, ErrorType, Ets, SeasonType, TrendType};
use proptest::prelude::*;

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>(), -1e6..1e6f64, Just(0.0), Just(f64::NAN), Just(f64::INFINITY), Just(1e300), Just(1e-300)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn arbitrary_floats_never_panic(y in prop::collection::vec(any_f64(), 0..30), m in 0usize..6) {
        if let Ok(f) = AutoEts::new(m).fit(&y) {
            let fc = f.forecast(5, &[80.0, 95.0]).unwrap();
            prop_assert!(fc.mean.iter().all(|v| !v.is_nan()));
            let _ = f.alerts(95.0);
        }
        let _ = Ets::new(ErrorType::Additive, TrendType::AdditiveDamped, SeasonType::Additive).season_length(m).fit(&y);
    }

    #[test]
    fn same_seed_same_answer(y in prop::collection::vec(1.0..100.0f64, 16..40), seed in any::<u64>()) {
        let spec = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::Multiplicative).season_length(4).seed(seed);
        let a = spec.fit(&y).unwrap().forecast(6, &[90.0]).unwrap();
        let b = spec.fit(&y).unwrap().forecast(6, &[90.0]).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn additive_intervals_widen(y in prop::collection::vec(-50.0..50.0f64, 12..40)) {
        for trend in [TrendType::None, TrendType::Additive, TrendType::AdditiveDamped] {
            if let Ok(f) = Ets::new(ErrorType::Additive, trend, SeasonType::None).fit(&y) {
                let fc = f.forecast(8, &[95.0]).unwrap();
                for h in 1..8 {
                    let (w0, w1) = (fc.upper[0][h - 1] - fc.lower[0][h - 1], fc.upper[0][h] - fc.lower[0][h]);
                    prop_assert!(w1 >= w0 - 1e-9 * w0.abs(), "{} < {}", w1, w0);
                }
            }
        }
    }

    #[test]
    fn alerts_lie_outside(actual in prop::collection::vec(-10.0..10.0f64, 1..20), width in 0.0..3.0f64) {
        let n = actual.len();
        let expected = vec![0.0; n];
        let lo = vec![-width; n];
        let hi = vec![width; n];
        for a in residual_alerts(&actual, &expected, &lo, &hi, 95.0).unwrap() {
            prop_assert!(a.actual > a.upper || a.actual < a.lower);
            prop_assert!(a.score.abs() > 1.0);
        }
    }
}
