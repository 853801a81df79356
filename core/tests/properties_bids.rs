//! Properties of bids: every bid within its floor, cap and move window; the factors multiply
//! out to the probability over the base rate; the multipliers do not depend on cell order; no
//! panic on any finite input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::optimize::bids::{BidModel, Cell, Target};
use proptest::prelude::*;

fn cells() -> impl Strategy<Value = Vec<Cell>> {
    prop::collection::vec((0usize..3, 0usize..4, 1.0..5000.0f64, 0.0..1.0f64, 1.0..200.0f64), 1..12).prop_map(|v| {
        v.into_iter()
            .map(|(d, h, clicks, rate, aov)| {
                let conv = (clicks * rate * 0.1).floor();
                Cell::new(&[["mobile", "desktop", "tablet"][d], ["night", "morning", "day", "evening"][h]], clicks, conv, conv * aov)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn bids_hold_their_limits_and_explain_themselves(
        cells in cells(),
        roas in 0.5..10.0f64,
        c in 0.01..100.0f64,
        floor in 0.0..0.5f64,
        width in 0.0..5.0f64,
        change in 0.0..1.0f64,
        current in 0.0..3.0f64,
    ) {
        let spec = BidModel::new(&["device", "hour"], Target::Roas(roas)).c(c).floor(floor).cap(floor + width).max_change(change);
        let fit = match spec.fit(&cells) {
            Ok(f) => f,
            // no conversions at all is a typed error naming the cells
            Err(e) => {
                prop_assert_eq!(e.kind().code(), "invalid_parameter");
                return Ok(());
            }
        };
        for ctx in [["mobile", "day"], ["tablet", "night"], ["desktop", "evening"], ["tv", "day"]] {
            let b = fit.bid(&ctx, Some(current)).unwrap();
            prop_assert!(b.bid >= floor - 1e-12 && b.bid <= floor + width + 1e-12, "{b:?}");
            let product: f64 = b.factors.iter().map(|f| f.multiplier).product();
            prop_assert!((product - b.probability / b.base_probability).abs() <= 1e-9 * product.max(1.0));
            prop_assert!((b.unclamped - b.probability * b.value_per_conversion / roas).abs() <= 1e-12 * b.unclamped.max(1.0));
        }
        // cell order does not matter (to 1e-6: with weak shrinkage (large c) and many clicks the
        // one-hot design is nearly rank-deficient, so the last digits follow rounding)
        let mut rev = cells.clone();
        rev.reverse();
        let again = spec.fit(&rev).unwrap();
        for m in fit.multipliers() {
            let n = again.multipliers().into_iter().find(|x| x.factor == m.factor && x.level == m.level).unwrap();
            prop_assert!((m.multiplier - n.multiplier).abs() <= 1e-6 * m.multiplier.max(1.0), "{m:?} vs {n:?}");
        }
    }
}
