//! Property tests of the attribution models: conservation, non-negativity, invariance to row
//! order and channel renaming, determinism, and no panic on arbitrary path strings.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::attribution::{shapley, Bootstrap, Heuristics, Horizon, Markov};
use channelwise::journey::PathTable;
use proptest::prelude::*;

/// A random path table: up to 6 channels, paths of 1-6 touches, small integer counts.
fn tables() -> impl Strategy<Value = (Vec<String>, Vec<f64>, Vec<f64>, Vec<f64>)> {
    let row = (
        prop::collection::vec(0u8..6, 1..7),
        0u32..20,
        0u32..20,
        0.0f64..50.0,
    );
    prop::collection::vec(row, 1..25).prop_map(|rows| {
        let mut p = Vec::new();
        let (mut c, mut n, mut v) = (Vec::new(), Vec::new(), Vec::new());
        for (path, conv, nulls, per) in rows {
            p.push(path.iter().map(|i| format!("ch{i}")).collect::<Vec<_>>().join(">"));
            c.push(f64::from(conv));
            n.push(f64::from(nulls));
            v.push(f64::from(conv) * per);
        }
        (p, c, n, v)
    })
}

fn build(t: &(Vec<String>, Vec<f64>, Vec<f64>, Vec<f64>)) -> PathTable {
    PathTable::from_strings(&t.0, &t.1, Some(&t.2), Some(&t.3), ">").expect("generated table is valid")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// Credit by channel name, for comparisons across tables whose interning order differs.
fn by_name(channels: &[String], xs: &[f64]) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = channels.iter().cloned().zip(xs.iter().copied()).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn credits_sum_to_totals_and_are_non_negative(t in tables(), order in 1usize..4) {
        let table = build(&t);
        let (tc, tv) = (table.total_conversions(), table.total_value());
        let h = Heuristics::default().fit(&table).unwrap();
        let m = Markov::default().order(order).fit(&table).unwrap();
        let s = shapley(&table).unwrap();
        for credit in [&h.first_touch, &h.last_touch, &h.linear, &h.u_shaped, &h.w_shaped, m.credit(), &s] {
            prop_assert!(credit.conversions.iter().chain(&credit.value).all(|x| *x >= 0.0 && x.is_finite()));
            prop_assert!(close(credit.total_value(), tv), "value {} vs {}", credit.total_value(), tv);
            prop_assert!(close(credit.total_conversions(), tc), "conv {} vs {}", credit.total_conversions(), tc);
        }
        prop_assert!(m.removal_effects().iter().all(|r| (0.0..=1.0).contains(r)));
    }

    #[test]
    fn invariant_to_row_order(t in tables(), seed in any::<u64>(), order in 1usize..3) {
        let a = build(&t);
        let mut idx: Vec<usize> = (0..t.0.len()).collect();
        // deterministic shuffle from the seed
        let mut s = seed | 1;
        for i in (1..idx.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            idx.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let perm = |xs: &Vec<f64>| idx.iter().map(|&i| xs[i]).collect::<Vec<_>>();
        let tb = (idx.iter().map(|&i| t.0[i].clone()).collect(), perm(&t.1), perm(&t.2), perm(&t.3));
        let b = build(&tb);
        let ma = Markov::default().order(order).fit(&a).unwrap();
        let mb = Markov::default().order(order).fit(&b).unwrap();
        let (ra, rb) = (by_name(a.channels(), ma.removal_effects()), by_name(b.channels(), mb.removal_effects()));
        for ((na, xa), (nb, xb)) in ra.iter().zip(&rb) {
            prop_assert_eq!(na, nb);
            prop_assert!(close(*xa, *xb), "{na}: {xa} vs {xb}");
        }
        let (ha, hb) = (Heuristics::default().fit(&a).unwrap(), Heuristics::default().fit(&b).unwrap());
        for ((_, xa), (_, xb)) in by_name(a.channels(), &ha.w_shaped.value).iter().zip(&by_name(b.channels(), &hb.w_shaped.value)) {
            prop_assert!(close(*xa, *xb));
        }
    }

    #[test]
    fn invariant_to_channel_renaming(t in tables()) {
        let a = build(&t);
        let renamed: Vec<String> = t.0.iter().map(|p| p.replace("ch", "channel_")).collect();
        let b = build(&(renamed, t.1.clone(), t.2.clone(), t.3.clone()));
        let (ma, mb) = (Markov::default().fit(&a).unwrap(), Markov::default().fit(&b).unwrap());
        for (x, y) in ma.credit().conversions.iter().zip(&mb.credit().conversions) {
            prop_assert!(close(*x, *y));
        }
    }

    #[test]
    fn capped_horizon_approaches_exact(t in tables()) {
        let table = build(&t);
        let exact = Markov::default().fit(&table).unwrap();
        let mut prev = 0.0;
        for steps in [1, 2, 5, 20] {
            let p = Markov::default().horizon(Horizon::Steps(steps)).fit(&table).unwrap().conversion_probability();
            prop_assert!(p + 1e-15 >= prev, "P must grow with the horizon: {prev} then {p}");
            prop_assert!(p <= exact.conversion_probability() + 1e-12);
            prev = p;
        }
        let far = Markov::default().horizon(Horizon::Steps(3000)).fit(&table).unwrap();
        // a cap far beyond convergence stops early (this would never finish otherwise)
        let huge = Markov::default().horizon(Horizon::Steps(usize::MAX)).fit(&table).unwrap();
        prop_assert!((huge.conversion_probability() - exact.conversion_probability()).abs() < 1e-9);
        prop_assert!((far.conversion_probability() - exact.conversion_probability()).abs() < 1e-9);
    }

    #[test]
    fn bootstrap_is_deterministic(t in tables(), seed in 0u64..1000) {
        let table = build(&t);
        let b = Bootstrap::default().replicates(10).seed(seed);
        prop_assert_eq!(b.shapley(&table).unwrap(), b.shapley(&table).unwrap());
    }

    /// Arbitrary strings never panic the path parser: they either parse or give a typed error.
    #[test]
    fn path_parser_never_panics(paths in prop::collection::vec(".{0,40}", 1..8), sep in ".{0,3}") {
        let conv = vec![1.0; paths.len()];
        match PathTable::from_strings(&paths, &conv, None, None, &sep) {
            Ok(t) => {
                prop_assert_eq!(t.len(), paths.len());
                prop_assert!(t.channels().iter().all(|c| !c.trim().is_empty()));
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
