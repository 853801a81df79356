//! Properties of the A/B statistics: no panic on any input (a result or a typed error), p-values
//! in [0, 1], the chance to win of A and B summing to 1 (beta-binomial and effect model), losses
//! never negative, power increasing in the sample size, sequential intervals containing the
//! estimate, group-sequential bounds falling (O'Brien-Fleming-like) and spending all of alpha.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::experiment::ab::{chi_square, welch, ztest, Alternative, Moments, Proportion, TestOptions};
use channelwise::experiment::bayes::{beta_binomial, BetaPrior, EffectBayes, GaussianPrior};
use channelwise::experiment::cuped::{adjust, CupedArm};
use channelwise::experiment::power::NormalIndPower;
use channelwise::experiment::sequential::{GroupSequential, Sequential, Spending};
use proptest::prelude::*;

fn unit(p: f64) -> bool {
    (0.0..=1.0).contains(&p)
}

/// Counts that are sometimes bad: n from -2, successes up to n + 2.
fn arm() -> impl Strategy<Value = Proportion> {
    (-2.0..5000.0f64, 0.0..1.02f64).prop_map(|(n, f)| Proportion::new(n.round(), (n.max(0.0) * f).round()))
}

fn alternative() -> impl Strategy<Value = Alternative> {
    prop_oneof![Just(Alternative::TwoSided), Just(Alternative::Larger), Just(Alternative::Smaller)]
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![-1e6..1e6f64, Just(f64::NAN), Just(f64::INFINITY), Just(0.0), Just(-0.0), Just(1e300)]
}

proptest! {
    #[test]
    fn ztest_and_chisq(a in arm(), b in arm(), alpha in -0.1..1.1f64, alt in alternative()) {
        if let Ok(r) = ztest(a, b, &TestOptions::default().alpha(alpha).alternative(alt)) {
            prop_assert!(unit(r.p_value) && unit(r.absolute.p_value), "{r:?}");
            prop_assert!(r.absolute.ci_lower <= r.absolute.estimate && r.absolute.estimate <= r.absolute.ci_upper);
            if let Some(rel) = r.relative {
                prop_assert!(unit(rel.p_value) || rel.p_value.is_nan() && rel.std_error == 0.0, "{rel:?}");
            }
        }
        if let Ok(c) = chi_square(&[a, b, a]) {
            prop_assert!(unit(c.p_value) && c.statistic >= 0.0);
        }
    }

    #[test]
    fn welch_from_any_sums(n_a in -1.0..500.0f64, s_a in any_f64(), q_a in any_f64(), n_b in 1.0..500.0f64,
                           xs in prop::collection::vec(-1e3..1e3f64, 0..30), alt in alternative()) {
        let a = Moments::new(n_a.round(), s_a, q_a).summary("a");
        let b = Moments::from_values(&xs).and_then(|m| m.summary("b"));
        let _ = n_b;
        if let (Ok(a), Ok(b)) = (a, b) {
            if let Ok(t) = welch(&a, &b, &TestOptions::default().alternative(alt)) {
                prop_assert!(unit(t.p_value), "{t:?}");
                prop_assert!(t.df > 0.0);
            }
        }
    }

    #[test]
    fn beta_binomial_chances_sum_to_one(a in arm(), b in arm(), pa in 1u32..5, pb in 1u32..5) {
        let prior = BetaPrior { alpha: pa as f64, beta: pb as f64 };
        if let (Ok(ab), Ok(ba)) = (beta_binomial(a, b, prior), beta_binomial(b, a, prior)) {
            prop_assert!(unit(ab.chance_to_beat_a));
            prop_assert!((ab.chance_to_beat_a + ba.chance_to_beat_a - 1.0).abs() < 1e-9, "{ab:?} {ba:?}");
            prop_assert!(ab.loss_choosing_a >= 0.0 && ab.loss_choosing_b >= 0.0);
            prop_assert!((ab.loss_choosing_a - ba.loss_choosing_b).abs() < 1e-9);
        }
    }

    #[test]
    fn effect_model_chances_sum_to_one(a in arm(), b in arm(), relative in any::<bool>(), inverse in any::<bool>(),
                                       prior in prop::option::of((-1.0..1.0f64, -0.1..2.0f64))) {
        let (Ok(sa), Ok(sb)) = (a.summary("a"), b.summary("b")) else { return Ok(()) };
        let prior = prior.map(|(mean, variance)| GaussianPrior { mean, variance });
        let e = EffectBayes { inverse, ..EffectBayes::default().relative(relative).prior(prior) };
        if let Ok(ab) = e.fit(&sa, &sb) {
            prop_assert!(unit(ab.chance_to_win), "{ab:?}");
            prop_assert!((ab.chance_to_win + ab.chance_to_lose() - 1.0).abs() < 1e-15);
            prop_assert!(ab.risk_control >= 0.0 && ab.risk_treatment >= 0.0);
            if !relative && prior.is_none() {
                // the absolute effect of A against B mirrors B against A
                let ba = e.fit(&sb, &sa).unwrap();
                prop_assert!((ab.chance_to_win + ba.chance_to_win - 1.0).abs() < 1e-12, "{ab:?} {ba:?}");
            }
        }
    }

    #[test]
    fn power_grows_with_n(d in -1.0..1.0f64, n in 1.0..1e5f64, ratio in 0.1..5.0f64, alpha in 0.001..0.5f64, alt in alternative()) {
        let p = NormalIndPower::default().ratio(ratio).alpha(alpha).alternative(alt);
        let (lo, hi) = (p.power(d, n).unwrap(), p.power(d, 2.0 * n).unwrap());
        prop_assert!(unit(lo) && unit(hi));
        let helps = match alt { Alternative::Smaller => d < 0.0, Alternative::Larger => d > 0.0, Alternative::TwoSided => d != 0.0 };
        if helps {
            prop_assert!(hi >= lo - 1e-15);
        }
    }

    #[test]
    fn sequential_and_cuped(a in arm(), b in arm(), tuning in -10.0..1e5f64, relative in any::<bool>(),
                            pre in 0.0..3.0f64, noise in 0.0..2.0f64) {
        let (Ok(sa), Ok(sb)) = (a.summary("a"), b.summary("b")) else { return Ok(()) };
        if let Ok(l) = Sequential::default().tuning(tuning).relative(relative).look(&sa, &sb) {
            prop_assert!(unit(l.p_value));
            prop_assert!(l.ci_lower <= l.estimate && l.estimate <= l.ci_upper);
        }
        // a covariate that is a noisy copy of the metric's sums
        let arm = |p: &Proportion| CupedArm {
            n: p.n, sum: p.successes, sum_squares: p.successes,
            pre_sum: pre * p.successes + noise, pre_sum_squares: pre * pre * p.successes + noise * noise + 1.0,
            sum_products: pre * p.successes,
        };
        if let Ok(c) = adjust(&arm(&a), &arm(&b)) {
            prop_assert!(c.a.variance >= 0.0 && c.b.variance >= 0.0 && c.theta.is_finite());
            prop_assert!((-1.0..=1.0).contains(&c.correlation));
        }
    }

    #[test]
    fn group_sequential_spends_alpha(k in 1usize..5, alpha in 0.001..0.3f64, two in any::<bool>(), rho in prop::option::of(0.5..4.0f64)) {
        let t: Vec<f64> = (1..=k).map(|i| i as f64 / k as f64).collect();
        let spending = rho.map_or(Spending::OBrienFleming, |rho| Spending::Power { rho });
        let b = GroupSequential::default().alpha(alpha).two_sided(two).spending(spending).bounds(&t).unwrap();
        prop_assert!((b.spent[k - 1] - alpha).abs() < 1e-7 * alpha.max(1e-3), "{b:?}");
        if rho.is_none() {
            prop_assert!(b.z.windows(2).all(|w| w[1] < w[0]), "{b:?}");
        }
    }
}
