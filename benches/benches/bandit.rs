//! Bandit decisions and updates: every policy over 10 arms (linear ones on contexts of 10), one
//! decision, one reward, and a batch of 1k / 10k delayed rewards.
//!
//! Also the channelwise side of `benches/compare/bandit.py` (which runs mabwiser 2.7.4 on the
//! same simulations in the same run): with `CW_BANDIT_COMPARE=<in.json>` the binary reads the
//! simulations (per scenario and seed: arms, expected rewards or coefficients, the reward table,
//! contexts) and the policies, plays each policy through each simulation (one decision, then its
//! reward at once; the arms first pulled once each in turn, as mabwiser needs a first fit), and
//! prints each run's cumulative pseudo-regret and, for the first seed, the best of 3 wall times of
//! `CW_BANDIT_CALLS` decisions and of as many updates, as JSON.

#![allow(missing_docs)] // criterion_group! generates undocumented items
#![allow(clippy::unwrap_used)] // benchmark harness: a panic is a failed run

use std::hint::black_box;
use std::time::Instant;

use channelwise::experiment::bandit::{
    Bandit, BetaThompson, EpsilonGreedy, Feedback, GaussianThompson, Linear, Policy, Softmax, TopTwoThompson, Ucb1,
};
use criterion::{criterion_group, BatchSize, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// One simulation from the comparison script.
struct Sim {
    arms: usize,
    means: Vec<f64>,
    thetas: Vec<Vec<f64>>,
    rewards: Vec<Vec<f64>>,
    contexts: Vec<Vec<f64>>,
}

impl Sim {
    fn read(v: &Value) -> Sim {
        let vec = |v: &Value| -> Vec<f64> { v.as_array().map(|a| a.iter().map(|x| x.as_f64().unwrap()).collect()).unwrap_or_default() };
        let mat = |v: &Value| -> Vec<Vec<f64>> { v.as_array().map(|a| a.iter().map(vec).collect()).unwrap_or_default() };
        Sim { arms: v["arms"].as_u64().unwrap() as usize, means: vec(&v["means"]), thetas: mat(&v["thetas"]), rewards: mat(&v["rewards"]), contexts: mat(&v["contexts"]) }
    }

    fn context(&self, t: usize) -> Option<&[f64]> {
        self.contexts.get(t).map(Vec::as_slice)
    }

    fn expected(&self, t: usize, k: usize) -> f64 {
        match self.context(t) {
            Some(x) => x.iter().zip(&self.thetas[k]).map(|(a, b)| a * b).sum(),
            None => self.means[k],
        }
    }
}

fn names(k: usize) -> Vec<String> {
    (0..k).map(|i| i.to_string()).collect()
}

/// Plays `policy` through `sim`; the bandit at the end and the cumulative pseudo-regret.
fn play(policy: Policy, sim: &Sim, seed: u64) -> (Bandit, f64, Vec<usize>) {
    let ids = names(sim.arms);
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut b = Bandit::new(policy, &refs, seed).unwrap();
    let mut regret = 0.0;
    let mut counts = vec![0usize; sim.arms];
    for t in 0..sim.rewards.len() {
        let x = sim.context(t);
        let k = if t < sim.arms { t } else { b.choose_with(x, None).unwrap().parse::<usize>().unwrap() };
        b.update_batch(&[Feedback { arm: refs[k], reward: sim.rewards[t][k], context: x }]).unwrap();
        let best = (0..sim.arms).map(|j| sim.expected(t, j)).fold(f64::NEG_INFINITY, f64::max);
        regret += best - sim.expected(t, k);
        counts[k] += 1;
    }
    (b, regret, counts)
}

/// Best of 3 wall times per call of `calls` decisions and of `calls` updates from `b`'s state.
fn speed(b: &Bandit, sim: &Sim, calls: usize) -> (f64, f64) {
    let ids = names(sim.arms);
    let mut choose = f64::INFINITY;
    let mut update = f64::INFINITY;
    for _ in 0..3 {
        let mut c = b.clone();
        let t0 = Instant::now();
        for t in 0..calls {
            black_box(c.choose_with(sim.context(t % sim.rewards.len()), None).unwrap());
        }
        choose = choose.min(t0.elapsed().as_secs_f64() / calls as f64);
        let mut c = b.clone();
        let t0 = Instant::now();
        for t in 0..calls {
            let i = t % sim.rewards.len();
            let k = t % sim.arms;
            c.update_batch(&[Feedback { arm: &ids[k], reward: sim.rewards[i][k], context: sim.context(i) }]).unwrap();
        }
        update = update.min(t0.elapsed().as_secs_f64() / calls as f64);
    }
    (choose, update)
}

fn compare(path: &str) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let calls: usize = std::env::var("CW_BANDIT_CALLS").ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
    let mut runs = Vec::new();
    let mut speeds = Vec::new();
    for sim_v in v["sims"].as_array().unwrap() {
        let sim = Sim::read(sim_v);
        let scenario = sim_v["scenario"].as_str().unwrap();
        let seed = sim_v["seed"].as_u64().unwrap();
        for p in v["policies"][scenario].as_array().unwrap() {
            let policy: Policy = serde_json::from_value(p["policy"].clone()).unwrap();
            let t0 = Instant::now();
            let (b, regret, counts) = play(policy, &sim, seed);
            let seconds = t0.elapsed().as_secs_f64();
            runs.push(json!({"scenario": scenario, "seed": seed, "label": p["label"], "regret": regret, "counts": counts, "seconds": seconds}));
            if sim_v["timed"].as_bool().unwrap_or(false) {
                let (choose, update) = speed(&b, &sim, calls);
                speeds.push(json!({"scenario": scenario, "label": p["label"], "choose_s": choose, "update_s": update}));
            }
        }
    }
    println!("{}", json!({"runs": runs, "speed": speeds}));
}

const ARMS: usize = 10;
const DIM: usize = 10;

fn policies() -> Vec<(&'static str, Policy)> {
    vec![
        ("beta_thompson", BetaThompson::default().into()),
        ("gaussian_thompson", GaussianThompson::default().into()),
        ("ucb1", Ucb1::default().into()),
        ("epsilon_greedy", EpsilonGreedy::default().decay(0.001).into()),
        ("softmax", Softmax::default().tau(0.1).into()),
        ("lin_ucb", Policy::LinUcb(Linear::new(DIM))),
        ("lin_thompson", Policy::LinThompson(Linear::new(DIM))),
        ("top_two_thompson", TopTwoThompson::default().floor(0.01).into()),
    ]
}

/// A bandit with 10 arms after 1,000 seeded rewards, and seeded contexts.
fn warmed(policy: Policy) -> (Bandit, Vec<Vec<f64>>) {
    let ids = names(ARMS);
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut b = Bandit::new(policy, &refs, 42).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let xs: Vec<Vec<f64>> = (0..1024).map(|_| (0..DIM).map(|_| rng.random::<f64>()).collect()).collect();
    for t in 0..1000 {
        let x = (policy.dim() > 0).then(|| &xs[t % xs.len()][..]);
        let k = rng.random_range(0..ARMS);
        let r = f64::from(u8::from(rng.random::<f64>() < 0.05 * k as f64));
        b.update_batch(&[Feedback { arm: refs[k], reward: r, context: x }]).unwrap();
    }
    (b, xs)
}

fn bandit(c: &mut Criterion) {
    let ids = names(ARMS);
    let mut g = c.benchmark_group("bandit");
    for (name, policy) in policies() {
        let (b, xs) = warmed(policy);
        let ctx = |t: usize| (policy.dim() > 0).then(|| &xs[t % xs.len()][..]);
        g.bench_function(BenchmarkId::new("choose", name), |bench| {
            let mut live = b.clone();
            let mut t = 0;
            bench.iter(|| {
                t += 1;
                let arm = live.choose_with(ctx(t), None).unwrap();
                assert!(arm.len() <= 2);
                arm
            })
        });
        g.bench_function(BenchmarkId::new("update", name), |bench| {
            let mut live = b.clone();
            let mut t = 0;
            bench.iter(|| {
                t += 1;
                live.update_batch(&[Feedback { arm: &ids[t % ARMS], reward: 1.0, context: ctx(t) }]).unwrap();
            })
        });
        for n in [1_000, 10_000] {
            let fb: Vec<Feedback> = (0..n).map(|t| Feedback { arm: &ids[(t * 7) % ARMS], reward: f64::from(u8::from(t % 3 == 0)), context: ctx(t) }).collect();
            g.bench_with_input(BenchmarkId::new(format!("update_batch/{name}"), n), &fb, |bench, fb| {
                bench.iter_batched(
                    || b.clone(),
                    |mut live| {
                        live.update_batch(fb).unwrap();
                        assert_eq!(live.updates(), 1000 + fb.len() as u64);
                        live
                    },
                    BatchSize::LargeInput,
                )
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bandit);

fn main() {
    if let Ok(path) = std::env::var("CW_BANDIT_COMPARE") {
        return compare(&path);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
