//! Bandits: same seed same choices, a stored bandit resumes bit for bit, delayed and batched
//! rewards equal the same rewards one by one, arms come and go, availability is respected, bad
//! input is a typed error naming field and value, and the policies learn what they should.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::experiment::bandit::{
    Bandit, BanditSpec, BetaThompson, EpsilonGreedy, Feedback, GaussianThompson, Linear, Policy, Softmax, TopTwoThompson, Ucb1,
};
use channelwise::{Error, ErrorKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ARMS: [&str; 4] = ["a", "b", "c", "d"];
const DIM: usize = 3;

fn policies() -> Vec<Policy> {
    vec![
        BetaThompson::default().into(),
        GaussianThompson::default().into(),
        Ucb1::default().into(),
        EpsilonGreedy::default().epsilon(0.2).decay(0.01).into(),
        Softmax::default().tau(0.2).into(),
        Policy::LinUcb(Linear::new(DIM)),
        Policy::LinThompson(Linear::new(DIM)),
        Policy::LinThompson(Linear::new(DIM).shared_draw(true)),
        TopTwoThompson::default().floor(0.05).into(),
    ]
}

/// A seeded environment: arm `i` pays 1 with probability `0.2 + 0.15 i` (plus the context's pull
/// for the linear policies); contexts are small integers so sums of products are exact.
struct Env {
    rng: ChaCha8Rng,
}

impl Env {
    fn new(seed: u64) -> Self {
        Env { rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    fn context(&mut self, b: &Bandit) -> Option<Vec<f64>> {
        // Two features in {0, 1, 2} and a constant, so the arms' own rates are learnable.
        (b.policy().dim() > 0).then(|| vec![f64::from(self.rng.random_range(0..3u8)), f64::from(self.rng.random_range(0..3u8)), 1.0])
    }

    fn reward(&mut self, arm: &str, x: Option<&[f64]>) -> f64 {
        let i = ARMS.iter().position(|a| *a == arm).unwrap_or(0) as f64;
        let lift = x.map_or(0.0, |x| 0.1 * x[0] - 0.05 * x[1]);
        f64::from(u8::from(self.rng.random::<f64>() < 0.2 + 0.15 * i + lift))
    }
}

/// `steps` decisions each rewarded at once; the arms chosen.
fn run(b: &mut Bandit, env: &mut Env, steps: usize) -> Vec<String> {
    (0..steps)
        .map(|_| {
            let x = env.context(b);
            let arm = b.choose_with(x.as_deref(), None).unwrap();
            let r = env.reward(&arm, x.as_deref());
            b.update_batch(&[Feedback { arm: &arm, reward: r, context: x.as_deref() }]).unwrap();
            arm
        })
        .collect()
}

/// A bandit with `p` over [`ARMS`] seeded `seed`, after `steps` rewarded decisions in
/// environment `env_seed`, and that environment.
fn warmed(p: Policy, seed: u64, env_seed: u64, steps: usize) -> (Bandit, Env) {
    let mut b = Bandit::new(p, &ARMS, seed).unwrap();
    let mut env = Env::new(env_seed);
    run(&mut b, &mut env, steps);
    (b, env)
}

#[test]
fn same_seed_same_choices() {
    for p in policies() {
        let choices = |seed| run(&mut Bandit::new(p, &ARMS, seed).unwrap(), &mut Env::new(1), 300);
        let first = choices(5);
        assert_eq!(first, choices(5), "{}", p.name());
        if !matches!(p, Policy::Ucb1(_) | Policy::LinUcb(_)) {
            assert_ne!(first, choices(6), "{}: another seed, other choices", p.name());
        }
    }
}

#[test]
fn a_stored_bandit_resumes_bit_for_bit() {
    for p in policies() {
        let spec = BanditSpec::new(p).seed(11).discount(if p.dim() > 0 { 1.0 } else { 0.999 });
        let mut live = spec.build(&ARMS).unwrap();
        let mut env = Env::new(2);
        run(&mut live, &mut env, 150);
        let json = live.to_json().unwrap();
        let mut resumed = Bandit::from_json(&json).unwrap();
        assert_eq!(resumed, live, "{}", p.name());
        assert_eq!(resumed.to_json().unwrap(), json);
        let mut env2 = Env::new(3);
        let mut env3 = Env::new(3);
        assert_eq!(run(&mut live, &mut env2, 150), run(&mut resumed, &mut env3, 150), "{}", p.name());
        assert_eq!(live.to_json().unwrap(), resumed.to_json().unwrap());
        // serde through another format's path (serde_json::Value) reads back the same.
        let v: serde_json::Value = serde_json::to_value(&live).unwrap();
        let back: Bandit = serde_json::from_value(v).unwrap();
        assert_eq!(back, live);
    }
}

/// The module docs' example: UCB1 seeded 7 breaks the first decision's tie between two untried
/// arms with one `u64` (two ChaCha words); the second decision has no tie.
#[test]
fn the_json_shape_is_as_documented() {
    let mut b = Bandit::new(Policy::ucb1(), &["a", "b"], 7).unwrap();
    b.choose().unwrap();
    b.update("a", 1.0).unwrap();
    b.choose().unwrap();
    let v: serde_json::Value = serde_json::from_str(&b.to_json().unwrap()).unwrap();
    let expected = serde_json::json!({"format": 1, "policy": {"name": "ucb1", "alpha": 1.0}, "discount": 1.0, "decisions": 2,
        "updates": 1, "rng": {"seed": 7, "stream": 0, "word_pos": 2},
        "arms": [{"id": "a", "n": 1.0, "sum": 1.0, "sum_sq": 1.0}, {"id": "b", "n": 0.0, "sum": 0.0, "sum_sq": 0.0}]});
    assert_eq!(v, expected);
    let lin = Bandit::new(Policy::LinUcb(Linear::new(2)), &["a"], 0).unwrap();
    let v: serde_json::Value = serde_json::from_str(&lin.to_json().unwrap()).unwrap();
    assert_eq!(v["arms"][0]["xtx"], serde_json::json!([0.0, 0.0, 0.0, 0.0]));
    assert_eq!(v["policy"], serde_json::json!({"name": "lin_ucb", "dim": 2, "alpha": 1.0, "l2": 1.0}));
}

/// Decisions now, rewards later: a batch in decision order equals the same rewards one by one
/// (bit for bit), and for these order-free policies a shuffled batch gives the same state too
/// (0/1 rewards and small-integer contexts make every sum exact).
#[test]
fn delayed_and_batched_rewards_equal_one_by_one() {
    for p in policies() {
        let (mut b, mut env) = warmed(p, 4, 9, 40);
        let mut pending = Vec::new();
        for _ in 0..60 {
            let x = env.context(&b);
            let arm = b.choose_with(x.as_deref(), None).unwrap();
            let r = env.reward(&arm, x.as_deref());
            pending.push((arm, x, r));
        }
        let feedback: Vec<Feedback> = pending.iter().map(|(a, x, r)| Feedback { arm: a, reward: *r, context: x.as_deref() }).collect();
        let mut one = b.clone();
        for f in &feedback {
            match f.context {
                Some(x) => one.update_with_context(f.arm, x, f.reward).unwrap(),
                None => one.update(f.arm, f.reward).unwrap(),
            }
        }
        let mut batch = b.clone();
        batch.update_batch(&feedback).unwrap();
        assert_eq!(batch.to_json().unwrap(), one.to_json().unwrap(), "{}", p.name());
        let mut shuffled = feedback.clone();
        shuffled.reverse();
        shuffled.rotate_left(17);
        let mut late = b.clone();
        for chunk in shuffled.chunks(7) {
            late.update_batch(chunk).unwrap();
        }
        assert_eq!(late, one, "{}: order of arrival", p.name());
        let mut env2 = Env::new(10);
        let mut env3 = Env::new(10);
        assert_eq!(run(&mut late, &mut env2, 50), run(&mut one, &mut env3, 50), "{}", p.name());
    }
}

#[test]
fn real_valued_rewards_in_any_order_agree_to_rounding() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let rewards: Vec<(usize, f64)> = (0..500).map(|_| (rng.random_range(0..4), rng.random::<f64>() * 10.0 - 3.0)).collect();
    let mut fwd = Bandit::new(GaussianThompson::default(), &ARMS, 0).unwrap();
    let mut rev = fwd.clone();
    for &(i, r) in &rewards {
        fwd.update(ARMS[i], r).unwrap();
    }
    for &(i, r) in rewards.iter().rev() {
        rev.update(ARMS[i], r).unwrap();
    }
    for (a, b) in fwd.summary().iter().zip(rev.summary()) {
        assert_eq!(a.count, b.count);
        assert!((a.mean - b.mean).abs() < 1e-12, "{a:?} {b:?}");
    }
}

#[test]
fn arms_come_and_go() {
    for p in policies() {
        let (mut b, mut env) = warmed(p, 1, 4, 100);
        b.remove_arm("d").unwrap();
        assert_eq!(b.arms().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert!(run(&mut b, &mut env, 100).iter().all(|a| a != "d"), "{}", p.name());
        let x = vec![1.0; p.dim()];
        let ctx = (p.dim() > 0).then_some(&x[..]);
        let e = b.update_batch(&[Feedback { arm: "d", reward: 1.0, context: ctx }]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        assert_eq!(e.to_string(), r#"invalid arm: "d" (not an arm of this bandit)"#);
        b.add_arm("e").unwrap();
        assert_eq!(b.summary().last().unwrap().count, 0.0);
        assert!(b.add_arm("e").is_err() && b.add_arm("").is_err());
        let later = run(&mut b, &mut env, 200);
        assert!(later.iter().any(|a| a == "e"), "{}: a new arm gets tried", p.name());
        b.add_arm("d").unwrap();
        assert_eq!(b.summary().last().unwrap().count, 0.0, "a re-added arm starts from the prior");
    }
    // UCB1 plays an untried arm at once.
    let mut b = Bandit::new(Policy::ucb1(), &["a", "b"], 0).unwrap();
    for _ in 0..10 {
        let a = b.choose().unwrap();
        b.update(&a, 1.0).unwrap();
    }
    b.add_arm("new").unwrap();
    assert_eq!(b.choose().unwrap(), "new");
}

#[test]
fn only_available_arms_are_chosen() {
    for p in policies() {
        let mut b = Bandit::new(p, &ARMS, 2).unwrap();
        let mut env = Env::new(5);
        let mut pick = ChaCha8Rng::seed_from_u64(8);
        for _ in 0..300 {
            let avail: Vec<&str> = ARMS.iter().copied().filter(|_| pick.random::<f64>() < 0.5).collect();
            let avail = if avail.is_empty() { vec!["c"] } else { avail };
            let x = env.context(&b);
            let arm = b.choose_with(x.as_deref(), Some(&avail)).unwrap();
            assert!(avail.contains(&arm.as_str()), "{}: {arm} not in {avail:?}", p.name());
            let r = env.reward(&arm, x.as_deref());
            b.update_batch(&[Feedback { arm: &arm, reward: r, context: x.as_deref() }]).unwrap();
        }
        let x = vec![0.0; p.dim()];
        let ctx = (p.dim() > 0).then_some(&x[..]);
        let w = b.weights(ctx, Some(&["b", "d"]), 2000).unwrap();
        assert_eq!(w.iter().map(|w| w.arm.as_str()).collect::<Vec<_>>(), ["b", "d"]);
        assert!((w.iter().map(|w| w.weight).sum::<f64>() - 1.0).abs() < 1e-12, "{}", p.name());
    }
}

#[test]
fn weights_draws_are_bounded() {
    // 2^32 draws ran for hours; ten million is a standard error below 1.6e-4.
    let b = Bandit::new(BetaThompson::default(), &["a", "b"], 0).unwrap();
    for draws in [0, Bandit::MAX_DRAWS + 1, 1 << 32] {
        match b.weights(None, None, draws).unwrap_err() {
            Error::OutOfRange { field, value, max, .. } => {
                assert_eq!((field.as_str(), value, max), ("draws", draws as f64, 1e7));
            }
            e => panic!("{e}"),
        }
    }
    assert_eq!(b.weights(None, None, 1).unwrap().len(), 2);
}

#[test]
fn weights_leave_the_decision_stream_alone() {
    for p in policies() {
        let (mut a, _) = warmed(p, 3, 6, 50);
        let mut b = a.clone();
        let x = vec![1.0; p.dim()];
        let ctx = (p.dim() > 0).then_some(&x[..]);
        let w1 = b.weights(ctx, None, 500).unwrap();
        assert_eq!(w1, b.weights(ctx, None, 500).unwrap(), "same state, same weights");
        assert_eq!(a.choose_with(ctx, None).unwrap(), b.choose_with(ctx, None).unwrap());
        assert_eq!(a, b);
    }
    // Exact weights: epsilon-greedy eps/k + (1 - eps) on the best mean; UCB1 on its best score.
    let mut b = Bandit::new(EpsilonGreedy::default().epsilon(0.2), &["a", "b"], 0).unwrap();
    b.update("a", 1.0).unwrap();
    b.update("b", 0.5).unwrap();
    let w: Vec<f64> = b.weights(None, None, 1).unwrap().iter().map(|w| w.weight).collect();
    assert_eq!(w, [0.9, 0.1]);
    let s = Bandit::new(Softmax::default().tau(0.5), &["a", "b"], 0).unwrap();
    assert_eq!(s.weights(None, None, 1).unwrap()[0].weight, 0.5);
}

#[test]
fn top_two_keeps_the_floor_and_splits_traffic() {
    let mut b = Bandit::new(TopTwoThompson::default().floor(0.1), &ARMS, 0).unwrap();
    for _ in 0..200 {
        b.update("a", 1.0).unwrap();
        b.update("b", 1.0).unwrap();
        b.update("c", 0.0).unwrap();
        b.update("d", 0.0).unwrap();
    }
    let w = b.weights(None, None, 20_000).unwrap();
    // a and b tie at the top: each leads half the time and challenges the other: (1 - 0.4) / 2
    // each above the floor; c and d keep the floor.
    assert!((w[0].weight - 0.4).abs() < 0.02 && (w[1].weight - 0.4).abs() < 0.02, "{w:?}");
    assert!(w[2].weight >= 0.1 && w[2].weight < 0.1 + 1e-9 && w[3].weight >= 0.1, "{w:?}");
    let mut counts = [0usize; 4];
    for _ in 0..10_000 {
        let arm = b.choose().unwrap();
        counts[ARMS.iter().position(|a| *a == arm).unwrap()] += 1;
    }
    assert!(counts[2] > 850 && counts[3] > 850, "the floor holds in the decisions too: {counts:?}");
    let e = b.choose_with(None, None).and_then(|_| Bandit::new(TopTwoThompson::default().floor(0.3), &ARMS, 0)?.choose()).unwrap_err();
    assert_eq!(e.to_string(), "floor must be in [0, 0.25], got 0.3");
}

#[test]
fn policies_learn_the_best_arm() {
    for p in policies() {
        let mut b = Bandit::new(p, &ARMS, 0).unwrap();
        let mut env = Env::new(12);
        let picks = run(&mut b, &mut env, 3000);
        let best = picks[2000..].iter().filter(|a| *a == "d").count();
        // Softmax at tau 0.2 gives the best arm (mean 0.65 against 0.5) about half the traffic;
        // top-two Thompson, built to identify the best arm rather than to earn, gives it the
        // floor plus about half of the rest (0.05 + 0.8 / 2).
        let need = match p {
            Policy::TopTwoThompson(_) => 400,
            Policy::Softmax(_) => 450,
            _ => 600,
        };
        assert!(best > need, "{}: the best arm got {best} of the last 1000", p.name());
    }
}

#[test]
fn lin_ucb_follows_the_context() {
    // Arm "x" pays when the first feature is on, "y" when the second is.
    let mut b = Bandit::new(Policy::LinUcb(Linear::new(2).alpha(0.5)), &["x", "y"], 0).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for _ in 0..400 {
        let first = rng.random::<bool>();
        let ctx = if first { [1.0, 0.0] } else { [0.0, 1.0] };
        let arm = b.choose_with(Some(&ctx), None).unwrap();
        let r = f64::from(u8::from((arm == "x") == first));
        b.update_with_context(&arm, &ctx, r).unwrap();
    }
    assert_eq!(b.choose_with(Some(&[1.0, 0.0]), None).unwrap(), "x");
    assert_eq!(b.choose_with(Some(&[0.0, 1.0]), None).unwrap(), "y");
}

#[test]
fn discounting_follows_a_changing_world() {
    let share_of_b = |discount: f64| {
        let mut bandit = BanditSpec::new(BetaThompson::default()).discount(discount).seed(1).build(&["a", "b"]).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut late_b = 0;
        for t in 0..2000 {
            let arm = bandit.choose().unwrap();
            let p = match (arm.as_str(), t < 1000) {
                ("a", true) | ("b", false) => 0.7,
                _ => 0.3,
            };
            bandit.update(&arm, f64::from(u8::from(rng.random::<f64>() < p))).unwrap();
            late_b += usize::from(t >= 1500 && arm == "b");
        }
        late_b
    };
    let (kept, discounted) = (share_of_b(1.0), share_of_b(0.98));
    assert!(discounted > 400 && discounted > kept, "discounted {discounted}, undiscounted {kept} of the last 500");
}

#[test]
fn bad_input_names_field_and_value() {
    let mut b = Bandit::new(Policy::thompson(), &["a", "b"], 0).unwrap();
    let msg = |e: channelwise::Error| (e.kind(), e.to_string());
    assert_eq!(msg(b.update("a", 1.5).unwrap_err()), (ErrorKind::OutOfRange, "reward must be in [0, 1], got 1.5".into()));
    assert_eq!(msg(b.update("a", f64::NAN).unwrap_err()), (ErrorKind::NonFinite, "reward must be finite, got NaN".into()));
    assert_eq!(msg(b.update("z", 1.0).unwrap_err()), (ErrorKind::InvalidParameter, r#"invalid arm: "z" (not an arm of this bandit)"#.into()));
    let before = b.clone();
    let e = b.update_batch(&[Feedback::new("a", 1.0), Feedback::new("b", -0.5)]).unwrap_err();
    assert_eq!(e.to_string(), "feedback[1].reward must be in [0, 1], got -0.5");
    assert_eq!(b, before, "a refused batch changes nothing");
    let e = b.choose_with(None, Some(&["a", "q"])).unwrap_err();
    assert_eq!(e.to_string(), r#"invalid available[1]: "q" (not an arm of this bandit)"#);
    assert!(b.choose_with(None, Some(&["a", "a"])).is_err());
    assert_eq!(b.choose_with(None, Some(&[])).unwrap_err().kind(), ErrorKind::NotEnoughData);
    assert_eq!(b.choose_with(Some(&[1.0]), None).unwrap_err().kind(), ErrorKind::InvalidParameter);
    assert_eq!(Bandit::new(Policy::thompson(), &[], 0).unwrap().choose().unwrap_err().kind(), ErrorKind::NotEnoughData);

    let mut g = Bandit::new(GaussianThompson::default(), &["a"], 0).unwrap();
    g.update("a", -7.5).unwrap();
    assert_eq!(g.update("a", f64::INFINITY).unwrap_err().kind(), ErrorKind::NonFinite);
    let e = g.update("a", 1e101).unwrap_err();
    assert!(e.kind() == ErrorKind::OutOfRange && e.to_string() == "reward must be in [-1e100, 1e100], got 1e101", "{e}");

    let mut lin = Bandit::new(Policy::LinThompson(Linear::new(3)), &["a"], 0).unwrap();
    assert_eq!(msg(lin.choose_with(Some(&[1.0, 2.0]), None).unwrap_err()), (ErrorKind::LengthMismatch, "length mismatch: context has 2 entries, expected 3".into()));
    assert_eq!(lin.choose().unwrap_err().kind(), ErrorKind::LengthMismatch);
    assert_eq!(lin.choose_with(Some(&[1.0, f64::NAN, 0.0]), None).unwrap_err().to_string(), "context[1] must be finite, got NaN");
    assert_eq!(lin.update("a", 1.0).unwrap_err().kind(), ErrorKind::LengthMismatch);

    let e = Bandit::new(EpsilonGreedy::default().epsilon(1.5), &["a"], 0).unwrap_err();
    assert_eq!(msg(e), (ErrorKind::OutOfRange, "epsilon must be in [0, 1], got 1.5".into()));
    assert!(BanditSpec::new(Policy::ucb1()).discount(1.2).build(&["a"]).is_err());
    assert!(Bandit::new(Policy::ucb1(), &["a", "a"], 0).is_err());

    assert_eq!(Bandit::from_json("{").unwrap_err().kind(), ErrorKind::InvalidParameter);
    let mut json: serde_json::Value = serde_json::from_str(&b.to_json().unwrap()).unwrap();
    json["policy"]["alpha"] = serde_json::json!(-1.0);
    let e = Bandit::from_json(&json.to_string()).unwrap_err();
    assert!(e.to_string().contains("alpha must be in [0, inf], got -1"), "{e}");
    json["policy"]["alpha"] = serde_json::json!(1.0);
    json["arms"][1]["id"] = serde_json::json!("a");
    assert!(Bandit::from_json(&json.to_string()).unwrap_err().to_string().contains("arms[1].id"));
}
