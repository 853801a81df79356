//! Properties of the predictive lead score and its logistic regression: no finite input panics
//! (a result or a typed error, never `internal`); probabilities stay in `[0, 1]`; contributions
//! add up to the logit; an L1 fit satisfies its optimality conditions; the metrics stay in
//! their ranges.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::glm::logistic::{LogisticRegression, Penalty};
use channelwise::leads::predictive::{Calibration, ClassWeight, LogisticScore};
use channelwise::stats::classification::{BinStrategy, Reliability};
use channelwise::ErrorKind;
use proptest::prelude::*;

fn penalty() -> impl Strategy<Value = Penalty> {
    prop_oneof![Just(Penalty::L2), Just(Penalty::L1), Just(Penalty::None), (0.0..=1.0f64).prop_map(|r| Penalty::ElasticNet { l1_ratio: r })]
}

fn calibration() -> impl Strategy<Value = Calibration> {
    prop_oneof![Just(Calibration::None), Just(Calibration::Platt), Just(Calibration::Isotonic)]
}

/// (k, row-major x of n rows, labels) with values from `v`.
fn data(v: impl Strategy<Value = f64> + Clone) -> impl Strategy<Value = (usize, Vec<f64>, Vec<f64>)> {
    (1usize..4, 1usize..25).prop_flat_map(move |(k, n)| (Just(k), prop::collection::vec(v.clone(), n * k), prop::collection::vec(prop::bool::ANY.prop_map(f64::from), n)))
}

fn values() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![-3.0..3.0f64, -1e6..1e6f64, Just(0.0), Just(1.0), -1e300..1e300f64]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_finite_input_panics_and_probabilities_stay_in_range(
        (k, x, y) in data(values()), pen in penalty(), c in prop_oneof![1e-3..1e3f64, Just(1e-300), Just(1e300)],
        cal in calibration(), balanced in prop::bool::ANY, bins in 1usize..12, quantile in prop::bool::ANY,
    ) {
        let names: Vec<String> = (0..k).map(|j| format!("f{j}")).collect();
        let spec = LogisticScore::default().penalty(pen).c(c).calibration(cal)
            .class_weight(if balanced { ClassWeight::Balanced } else { ClassWeight::None });
        match spec.fit(&x, &names, &y) {
            Err(e) => prop_assert!(e.kind() != ErrorKind::Internal, "{e}"),
            Ok(model) => {
                prop_assert!(model.coef().iter().all(|v| v.is_finite()) && model.intercept().is_finite());
                let p = model.predict_proba(&x).unwrap();
                prop_assert!(p.iter().all(|p| (0.0..=1.0).contains(p)), "{p:?}");
                let why = model.contributions(&x).unwrap();
                for (i, row) in why.values.chunks(k).enumerate() {
                    let sum = why.base_logit + row.iter().sum::<f64>();
                    let scale = 1.0 + why.logit[i].abs() + row.iter().map(|v| v.abs()).sum::<f64>() + why.base_logit.abs();
                    prop_assert!((sum - why.logit[i]).abs() <= 1e-9 * scale, "{sum} vs {}", why.logit[i]);
                }
                let rel = Reliability::default().n_bins(bins).strategy(if quantile { BinStrategy::Quantile } else { BinStrategy::Uniform });
                match model.evaluate(&x, &y, &rel) {
                    Err(e) => prop_assert!(e.kind() == ErrorKind::NotEnoughData, "{e}"),
                    Ok(ev) => {
                        prop_assert!((0.0..=1.0).contains(&ev.auc) && (0.0..=1.0).contains(&ev.brier) && ev.log_loss >= 0.0);
                        prop_assert_eq!(ev.reliability.iter().map(|b| b.count).sum::<usize>(), y.len());
                    }
                }
            }
        }
    }

    #[test]
    fn the_lasso_meets_its_optimality_conditions((k, x, y) in data(-3.0..3.0f64), c in 0.01..10.0f64, r in 0.0..=1.0f64) {
        let n = y.len();
        let Ok(fit) = LogisticRegression::default().c(c).penalty(Penalty::ElasticNet { l1_ratio: r }).fit(&x, k, &y, None) else {
            return Ok(());
        };
        // gradient of the smooth part
        let mut g = vec![0.0; k];
        let mut gb = 0.0;
        for i in 0..n {
            let row = &x[i * k..(i + 1) * k];
            let z = fit.intercept() + row.iter().zip(fit.coef()).map(|(a, b)| a * b).sum::<f64>();
            let resid = c * (1.0 / (1.0 + (-z).exp()) - y[i]);
            gb += resid;
            for (gj, xj) in g.iter_mut().zip(row) {
                *gj += resid * xj;
            }
        }
        prop_assert!(gb.abs() < 1e-7 * (1.0 + c * n as f64), "intercept gradient {gb}");
        for (j, (&b, gs)) in fit.coef().iter().zip(&g).enumerate() {
            let gj = gs + (1.0 - r) * b;
            let off = if b != 0.0 { (gj + r * b.signum()).abs() } else { (gj.abs() - r).max(0.0) };
            prop_assert!(off < 1e-7 * (1.0 + c * n as f64 * 3.0), "coordinate {j}: {off} (coef {b}, grad {gj})");
        }
    }
}
