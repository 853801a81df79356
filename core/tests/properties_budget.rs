//! Properties of budget allocation: every bound and the budget hold, the split does not depend
//! on channel order, a better curve never gets less, no panic on any finite input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::optimize::budget::{Allocate, ChannelBudget, MaxChange};
use channelwise::optimize::response::Saturation;
use proptest::prelude::*;

fn curve() -> impl Strategy<Value = Saturation> {
    (0usize..6, 0.05..5.0f64, 0.1..50.0f64, 0.2..100.0f64).prop_map(|(k, p, q, r)| match k {
        0 => Saturation::Logistic { lam: p / q, beta: r },
        1 => Saturation::Hill { slope: p, kappa: q, beta: r },
        2 => Saturation::MichaelisMenten { alpha: r, lam: q },
        3 => Saturation::Tanh { b: r, c: p },
        4 => Saturation::Power { a: p, b: (q / 50.0).min(1.0) },
        _ => Saturation::Log { beta: r, lam: p / q },
    })
}

fn channel() -> impl Strategy<Value = (Saturation, f64, f64, f64)> {
    (curve(), 0.0..5.0f64, 0.0..60.0f64, 0.0..30.0f64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn bounds_and_budget_hold_and_order_does_not_matter(
        chans in prop::collection::vec(channel(), 1..6),
        budget in 0.0..200.0f64,
        spend_all in any::<bool>(),
        change in prop::option::of(0.1..2.0f64),
    ) {
        let ch: Vec<ChannelBudget> = chans
            .iter()
            .enumerate()
            .map(|(i, &(c, lo, width, cur))| ChannelBudget::new(format!("c{i}"), c).lower(lo).upper(lo + width).current(cur))
            .collect();
        let mut spec = if spend_all { Allocate::budget(budget) } else { Allocate::at_most(budget) };
        if let Some(m) = change {
            spec = spec.max_change(MaxChange::Relative(m));
        }
        let spec = spec.tolerance(1e-7);
        let a = match spec.solve(&ch) {
            Ok(a) => a,
            // infeasible bounds are a typed error naming the budget or the channel
            Err(e) => {
                prop_assert_eq!(e.kind().code(), "invalid_parameter");
                return Ok(());
            }
        };
        let eps = 1e-9 * budget.max(1.0);
        prop_assert!(a.total_spend <= budget + eps);
        if spend_all {
            prop_assert!((a.total_spend - budget).abs() <= eps, "{} vs {}", a.total_spend, budget);
        }
        for (row, c) in a.rows.iter().zip(&ch) {
            let mut lo = c.lower;
            let mut hi = c.upper;
            if let (Some(m), Some(cur)) = (change, c.current) {
                lo = lo.max(cur - m * cur);
                hi = hi.min(cur + m * cur);
            }
            prop_assert!(row.spend >= lo - eps && row.spend <= hi + eps, "{row:?} outside [{lo}, {hi}]");
        }
        prop_assert!(a.certificate.suboptimality <= 1e-6, "{:?}", a.certificate);
        // reversed order: the same responses channel by channel (ties aside, the same total)
        let rev: Vec<ChannelBudget> = ch.iter().rev().cloned().collect();
        let b = spec.solve(&rev).unwrap();
        prop_assert!((b.total_response - a.total_response).abs() <= 1e-6 * a.total_response.abs().max(1.0));
    }

    #[test]
    fn a_better_curve_never_gets_less(
        chans in prop::collection::vec(curve(), 2..5),
        budget in 1.0..100.0f64,
        boost in 1.0..3.0f64,
    ) {
        // concave curves only (an S-curve's optimum may jump); scale the first one's response up
        let concave: Vec<Saturation> = chans.into_iter().filter(|c| !c.is_s_shaped()).collect();
        prop_assume!(concave.len() >= 2);
        let scaled = |c: Saturation, k: f64| match c {
            Saturation::Logistic { lam, beta } => Saturation::Logistic { lam, beta: beta * k },
            Saturation::Hill { slope, kappa, beta } => Saturation::Hill { slope, kappa, beta: beta * k },
            Saturation::MichaelisMenten { alpha, lam } => Saturation::MichaelisMenten { alpha: alpha * k, lam },
            Saturation::Tanh { b, c } => Saturation::Tanh { b: b * k, c: c / k },
            Saturation::Power { a, b } => Saturation::Power { a: a * k, b },
            Saturation::Log { beta, lam } => Saturation::Log { beta: beta * k, lam },
        };
        let make = |k: f64| -> Vec<ChannelBudget> {
            concave.iter().enumerate().map(|(i, &c)| ChannelBudget::new(format!("c{i}"), if i == 0 { scaled(c, k) } else { c }).upper(1e4)).collect()
        };
        let a = Allocate::budget(budget).solve(&make(1.0)).unwrap();
        let b = Allocate::budget(budget).solve(&make(boost)).unwrap();
        prop_assert!(b.rows[0].spend >= a.rows[0].spend - 1e-9 * budget, "{} < {}", b.rows[0].spend, a.rows[0].spend);
    }
}
