//! Properties of the bandits: under any finite input (policy parameters in and out of range,
//! arms added and removed, any availability, rewards and contexts anywhere among the finite
//! doubles) no panic, every choice among the arms available, every stored state reading back
//! equal and resuming with the same choices; traffic weights in [0, 1] summing to 1, top-two's
//! never below its floor.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::experiment::bandit::{
    Bandit, BanditSpec, BetaThompson, EpsilonGreedy, Feedback, GaussianThompson, Linear, Policy, Softmax, TopTwoThompson, Ucb1,
};
use proptest::prelude::*;

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -2.0f64..3.0,
        1 => Just(0.0),
        1 => Just(1.0),
        1 => any::<f64>().prop_filter("finite", |v| v.is_finite()),
        1 => prop_oneof![Just(1e100), Just(-1e100), Just(1e-300), Just(f64::MAX), Just(f64::MIN_POSITIVE)],
    ]
}

fn param() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 0.01f64..5.0, 1 => finite()]
}

fn policy() -> impl Strategy<Value = Policy> {
    (0usize..8, param(), param(), param(), param(), 1usize..4, any::<bool>()).prop_map(|(which, a, b, c, d, dim, shared)| match which {
        0 => BetaThompson::default().alpha(a).beta(b).into(),
        1 => GaussianThompson::default().mean(a).count(b).shape(c).rate(d).into(),
        2 => Ucb1::default().alpha(a).into(),
        3 => EpsilonGreedy::default().epsilon(a / 5.0).decay(b).into(),
        4 => Softmax::default().tau(a).into(),
        5 => Policy::LinUcb(Linear::new(dim).alpha(a).l2(b)),
        6 => Policy::LinThompson(Linear::new(dim).alpha(a).l2(b).shared_draw(shared)),
        _ => TopTwoThompson::default().alpha(a).beta(b).leader(c / 5.0).floor(d / 20.0).into(),
    })
}

#[derive(Debug, Clone)]
enum Op {
    Choose { mask: u8, context: Vec<f64> },
    Update { arm: u8, reward: f64, context: Vec<f64> },
    Batch(Vec<(u8, f64)>),
    Add(u8),
    Remove(u8),
    Weights { mask: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    let ctx = || prop_oneof![4 => prop::collection::vec(-3.0f64..3.0, 1..4), 1 => prop::collection::vec(finite(), 0..5)];
    prop_oneof![
        6 => (any::<u8>(), ctx()).prop_map(|(mask, context)| Op::Choose { mask, context }),
        6 => (0u8..8, prop_oneof![3 => (0u8..2).prop_map(f64::from), 1 => finite()], ctx())
            .prop_map(|(arm, reward, context)| Op::Update { arm, reward, context }),
        1 => prop::collection::vec((0u8..8, finite()), 0..6).prop_map(Op::Batch),
        1 => (0u8..8).prop_map(Op::Add),
        1 => (0u8..8).prop_map(Op::Remove),
        1 => any::<u8>().prop_map(|mask| Op::Weights { mask }),
    ]
}

const NAMES: [&str; 8] = ["a", "b", "c", "d", "e", "f", "g", "h"];

/// The context a call passes: the generated one, cut or padded to the policy's length most of the
/// time so that decisions get made, left as generated (any length) otherwise.
fn fit(context: &[f64], dim: usize, mask: u8) -> Option<Vec<f64>> {
    if dim == 0 {
        return (mask % 7 == 0).then(|| context.to_vec());
    }
    if mask % 5 == 0 {
        return Some(context.to_vec());
    }
    Some((0..dim).map(|j| context.get(j).copied().unwrap_or(1.0)).collect())
}

/// Applies `op`; checks what must hold of its answer.
fn apply(b: &mut Bandit, op: &Op) {
    let dim = b.policy().dim();
    match op {
        Op::Choose { mask, context } => {
            let avail: Vec<&str> = NAMES.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, n)| *n).collect();
            let x = fit(context, dim, *mask);
            let use_avail = mask % 3 != 0;
            match b.choose_with(x.as_deref(), use_avail.then_some(&avail[..])) {
                Ok(arm) => {
                    assert!(b.arms().any(|a| a == arm));
                    if use_avail {
                        assert!(avail.contains(&arm.as_str()), "{arm} not in {avail:?}");
                    }
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
        Op::Update { arm, reward, context } => {
            let x = fit(context, dim, *arm);
            let before = b.clone();
            let r = b.update_batch(&[Feedback { arm: NAMES[usize::from(*arm)], reward: *reward, context: x.as_deref() }]);
            if r.is_err() {
                assert_eq!(*b, before, "a refused reward changes nothing");
            }
        }
        Op::Batch(items) => {
            let x = vec![1.0; dim];
            let fb: Vec<Feedback> = items
                .iter()
                .map(|(a, r)| Feedback { arm: NAMES[usize::from(*a)], reward: *r, context: (dim > 0).then_some(&x[..]) })
                .collect();
            let before = b.clone();
            if b.update_batch(&fb).is_err() {
                assert_eq!(*b, before);
            }
        }
        Op::Add(i) => {
            let _ = b.add_arm(NAMES[usize::from(*i)]);
        }
        Op::Remove(i) => {
            let _ = b.remove_arm(NAMES[usize::from(*i)]);
        }
        Op::Weights { mask } => {
            let avail: Vec<&str> = b.arms().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, n)| n).collect();
            let x = vec![0.5; dim];
            let before = b.clone();
            if let Ok(w) = b.weights((dim > 0).then_some(&x[..]), Some(&avail), 64) {
                check_weights(b.policy(), &w.iter().map(|w| w.weight).collect::<Vec<_>>());
            }
            assert_eq!(*b, before, "weights change nothing");
        }
    }
}

fn check_weights(policy: &Policy, w: &[f64]) {
    assert!(w.iter().all(|&v| (0.0..=1.0 + 1e-12).contains(&v)), "{w:?}");
    let total: f64 = w.iter().sum();
    assert!((total - 1.0).abs() < 1e-9, "weights sum to {total}: {w:?}");
    if let Policy::TopTwoThompson(p) = policy {
        assert!(w.iter().all(|&v| v >= p.floor * (1.0 - 1e-12)), "floor {} broken: {w:?}", p.floor);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_panic_and_a_stored_state_resumes(
        policy in policy(),
        discount in prop_oneof![3 => Just(1.0), 1 => 0.5f64..1.0, 1 => finite()],
        seed in any::<u64>(),
        ops in prop::collection::vec(op(), 0..60),
        tail in prop::collection::vec(op(), 0..20),
    ) {
        let Ok(mut b) = BanditSpec::new(policy).discount(discount).seed(seed).build(&NAMES[..3]) else {
            return Ok(());
        };
        for op in &ops {
            apply(&mut b, op);
        }
        let json = b.to_json().unwrap();
        let mut resumed = Bandit::from_json(&json).unwrap();
        prop_assert_eq!(&resumed, &b);
        for op in &tail {
            apply(&mut b, op);
            apply(&mut resumed, op);
        }
        prop_assert_eq!(b.to_json().unwrap(), resumed.to_json().unwrap());
    }

    #[test]
    fn top_two_weights_respect_the_floor(
        k in 1usize..8,
        share in 0.0f64..=1.0,
        leader in 0.0f64..=1.0,
        rewards in prop::collection::vec((0usize..8, 0.0f64..=1.0), 0..80),
        seed in any::<u64>(),
        draws in 1usize..400,
    ) {
        let floor = share / k as f64;
        let mut b = Bandit::new(TopTwoThompson::default().leader(leader).floor(floor), &NAMES[..k], seed).unwrap();
        for (i, r) in rewards {
            b.update(NAMES[i % k], r).unwrap();
        }
        let w: Vec<f64> = b.weights(None, None, draws).unwrap().iter().map(|w| w.weight).collect();
        prop_assert_eq!(w.len(), k);
        check_weights(b.policy(), &w);
        let arm = b.choose().unwrap();
        prop_assert!(NAMES[..k].contains(&arm.as_str()));
    }

    #[test]
    fn every_policy_s_weights_are_probabilities(policy in policy(), seed in any::<u64>(), rewards in prop::collection::vec((0usize..4, 0.0f64..=1.0), 0..40)) {
        let Ok(mut b) = Bandit::new(policy, &NAMES[..4], seed) else {
            return Ok(());
        };
        let x = vec![1.0; policy.dim()];
        let ctx = (policy.dim() > 0).then_some(&x[..]);
        for (i, r) in rewards {
            b.update_batch(&[Feedback { arm: NAMES[i], reward: r, context: ctx }]).unwrap();
        }
        match b.weights(ctx, None, 100) {
            Ok(w) => check_weights(b.policy(), &w.iter().map(|w| w.weight).collect::<Vec<_>>()),
            Err(e) => prop_assert!(matches!(policy, Policy::TopTwoThompson(p) if p.floor * 4.0 > 1.0), "{e}"),
        }
    }
}
