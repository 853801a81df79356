//! Properties of the response curves and the media mix model: no panic on any finite input,
//! contributions that add up to the fitted values exactly, carry-over equal to the longer
//! series, inverse marginals that invert.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::optimize::mmm::{Mmm, MmmData, Uncertainty};
use channelwise::optimize::response::{Adstock, Saturation};
use proptest::prelude::*;

fn spend(rows: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(prop_oneof![Just(0.0), 0.0..1e4f64, 0.0..1.0f64], rows)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn mmm_never_panics_and_parts_add_up(
        rows in 6usize..40,
        channels in 1usize..4,
        seed in 0u64..1000,
        adstock in prop::sample::select(vec!["geometric", "delayed", "weibull_pdf", "weibull_cdf"]),
        saturation in prop::sample::select(vec!["logistic", "hill", "michaelis_menten", "tanh", "power", "log"]),
        adstock_first in any::<bool>(),
        target in prop::collection::vec(-1e6..1e6f64, 40),
        spends in prop::collection::vec(spend(40), 3),
    ) {
        let mut data = MmmData::new(target[..rows].to_vec());
        for (c, x) in spends.iter().take(channels).enumerate() {
            data = data.channel(format!("c{c}"), x[..rows].to_vec());
        }
        let spec = Mmm::default()
            .adstock(adstock)
            .saturation(saturation)
            .adstock_first(adstock_first)
            .l_max(3)
            .yearly_seasonality(1)
            .starts(1)
            .max_iter(40)
            .seed(seed)
            .uncertainty(Uncertainty::Laplace { draws: 10 });
        // a typed error (too few rows, a constant target, a flat posterior) is fine; a panic is not
        if let Ok(fit) = spec.fit(&data) {
            let parts = fit.contributions().unwrap();
            let mut sum = parts.intercept.clone();
            for p in [&parts.trend, &parts.seasonality].into_iter().chain(&parts.controls).chain(&parts.channels) {
                sum.iter_mut().zip(p).for_each(|(a, b)| *a += b);
            }
            prop_assert_eq!(&sum, &parts.fitted);
            for row in fit.summary() {
                prop_assert!(row.contribution.value.is_finite() && row.contribution.value >= 0.0);
                prop_assert!(row.share.lo <= row.share.hi, "{:?}", row);
            }
        }
    }

    #[test]
    fn carry_over_equals_the_longer_series(
        alpha in 0.0..=1.0f64,
        l_max in 1usize..12,
        pre in prop::collection::vec(0.0..100.0f64, 0..15),
        x in prop::collection::vec(0.0..100.0f64, 0..20),
        normalize in any::<bool>(),
    ) {
        let a = Adstock::geometric(alpha, l_max, normalize).unwrap();
        let long: Vec<f64> = pre.iter().chain(&x).copied().collect();
        let full = a.apply(&long, &[]).unwrap();
        let with_pre = a.apply(&x, &pre).unwrap();
        for (u, v) in full[pre.len()..].iter().zip(&with_pre) {
            prop_assert!((u - v).abs() <= 1e-12 * u.abs().max(1.0));
        }
    }

    #[test]
    fn inverse_marginal_inverts(
        kind in prop::sample::select(vec!["logistic", "hill", "michaelis_menten", "tanh", "power", "log"]),
        p in prop::collection::vec(0.05..20.0f64, 3),
        x in 0.01..50.0f64,
    ) {
        let names = Saturation::kind_params(kind).unwrap();
        let mut q = p[..names.len()].to_vec();
        if kind == "power" {
            q[1] /= 20.0; // b in (0, 1]
        }
        let s = Saturation::from_params(kind, &q).unwrap();
        let x = x + s.inflection();
        let m = s.derivative(x);
        prop_assume!(m > 1e-12 && m < s.max_marginal() * (1.0 - 1e-9));
        let back = s.inverse_marginal(m);
        // compare marginals (flat marginals make the spend itself ill-conditioned)
        prop_assert!((s.derivative(back) - m).abs() <= 1e-8 * m, "{:?} x {} back {}", s, x, back);
    }
}
