//! CLV model fits: BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma on seeded synthetic customers (10k, 100k,
//! 1M; BG/NBD histories simulated in weeks at day resolution, so customers share histories as
//! real ones do), a Pareto/NBD fit of customers without heterogeneity (no maximum to find), and
//! BG/BB on customers simulated from it (52 weekly opportunities).
//!
//! Also the timing side of `benches/compare/clv.py` (which times lifetimes 0.11.3 on the same
//! data in the same run): with `CW_CLV_COMPARE=<in.json>` the binary reads
//! `{frequency, recency, T, monetary_value}`, fits each model `CW_CLV_REPEAT` times (default 5)
//! and prints the best wall time, parameters and log-likelihood of each as JSON; with
//! `CW_CLV_GEN=<n>:<seed>:<out.json>` it writes the synthetic customers instead; with
//! `CW_CLV_COMPARE_BB=<in.json>` it fits BG/BB to `{frequency, recency, n_periods, weights}`.

#![allow(missing_docs)] // criterion_group! generates undocumented items
#![allow(clippy::unwrap_used)] // benchmark harness: a panic is a failed run

use std::time::Instant;

use channelwise::clv::bg_bb::BetaGeoBetaBinom;
use channelwise::clv::bg_nbd::BetaGeo;
use channelwise::clv::gamma_gamma::GammaGamma;
use channelwise::clv::mbg_nbd::ModifiedBetaGeo;
use channelwise::clv::pareto_nbd::ParetoNbd;
use criterion::{criterion_group, BenchmarkId, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// Customers simulated from BG/NBD (r 0.25, alpha 4, a 0.8, b 2.5, weeks) with ages of 27-39
/// weeks and purchase times rounded to days, plus Gamma-Gamma spend (p 6, q 4, v 15).
struct Data {
    x: Vec<f64>,
    tx: Vec<f64>,
    t: Vec<f64>,
    m: Vec<f64>,
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.random(), rng.random());
    (-2.0 * (1.0 - u).ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// A Gamma(shape, scale) draw (Marsaglia & Tsang 2000; shape < 1 boosted by U^(1/shape)).
fn gamma(rng: &mut ChaCha8Rng, shape: f64, scale: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random();
        return gamma(rng, shape + 1.0, scale) * (1.0 - u).powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let z = normal(rng);
        let v = (1.0 + c * z).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.random();
        if (1.0 - u).ln() < 0.5 * z * z + d - d * v + d * v.ln() {
            return d * v * scale;
        }
    }
}

fn synthetic(n: usize, seed: u64) -> Data {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut d = Data { x: Vec::with_capacity(n), tx: Vec::with_capacity(n), t: Vec::with_capacity(n), m: Vec::with_capacity(n) };
    for _ in 0..n {
        let lambda = gamma(&mut rng, 0.25, 1.0 / 4.0);
        let (ga, gb) = (gamma(&mut rng, 0.8, 1.0), gamma(&mut rng, 2.5, 1.0));
        let p = ga / (ga + gb);
        let age = f64::from(rng.random_range(27 * 7..=39 * 7)) / 7.0;
        let (mut clock, mut x, mut last) = (0.0, 0.0, 0.0);
        loop {
            let u: f64 = rng.random();
            clock += -(1.0 - u).ln() / lambda.max(1e-300);
            let day = (clock * 7.0).floor() / 7.0;
            if day > age {
                break;
            }
            if day > last {
                x += 1.0;
                last = day;
            }
            if rng.random::<f64>() < p {
                break;
            }
        }
        let nu = gamma(&mut rng, 4.0, 1.0 / 15.0);
        let mean_spend = if x > 0.0 { (0..x as usize).map(|_| gamma(&mut rng, 6.0, 1.0 / nu)).sum::<f64>() / x } else { 0.0 };
        d.x.push(x);
        d.tx.push(last);
        d.t.push(age);
        d.m.push((mean_spend * 100.0).round().max(1.0) / 100.0);
    }
    d
}

fn best<T>(repeat: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = None;
    let mut best = f64::INFINITY;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let v = f();
        best = best.min(t0.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best, out.unwrap())
}

fn compare(path: &str) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let col = |k: &str| -> Vec<f64> { v[k].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
    let (x, tx, t, m) = (col("frequency"), col("recency"), col("T"), col("monetary_value"));
    let repeat: usize = std::env::var("CW_CLV_REPEAT").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let skip_pareto = std::env::var("CW_CLV_SKIP_PARETO").is_ok();
    let (s_bg, bg) = best(repeat, || BetaGeo::default().fit(&x, &tx, &t, None).unwrap());
    let mut out = json!({
        "bg_nbd": {"seconds": s_bg, "params": [bg.params.r, bg.params.alpha, bg.params.a, bg.params.b], "log_likelihood": bg.log_likelihood, "rows": bg.diagnostics.rows},
    });
    let (s_mbg, mbg) = best(repeat, || ModifiedBetaGeo::default().fit(&x, &tx, &t, None).unwrap());
    out["mbg_nbd"] = json!({"seconds": s_mbg, "params": [mbg.params.r, mbg.params.alpha, mbg.params.a, mbg.params.b], "log_likelihood": mbg.log_likelihood});
    if !skip_pareto {
        let (s_pn, pn) = best(repeat, || ParetoNbd::default().fit(&x, &tx, &t, None).unwrap());
        out["pareto_nbd"] = json!({"seconds": s_pn, "params": [pn.params.r, pn.params.alpha, pn.params.s, pn.params.beta], "log_likelihood": pn.log_likelihood});
    }
    let (s_gg, gg) = best(repeat, || GammaGamma::default().fit(&x, &m, None).unwrap());
    out["gamma_gamma"] = json!({"seconds": s_gg, "params": [gg.params.p, gg.params.q, gg.params.v], "log_likelihood": gg.log_likelihood});
    println!("{out}");
}

/// Customers simulated from BG/BB (alpha 1.2, beta 0.75, gamma 0.66, delta 2.8, the paper's
/// donors) over `periods` opportunities: `(frequency, recency, n_periods)`.
fn synthetic_bb(n: usize, periods: u32, seed: u64) -> [Vec<f64>; 3] {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let beta = |rng: &mut ChaCha8Rng, a: f64, b: f64| {
        let x = gamma(rng, a, 1.0);
        x / (x + gamma(rng, b, 1.0))
    };
    let mut out = [Vec::with_capacity(n), Vec::with_capacity(n), vec![f64::from(periods); n]];
    for _ in 0..n {
        let (p, theta) = (beta(&mut rng, 1.2, 0.75), beta(&mut rng, 0.66, 2.8));
        let (mut x, mut last) = (0.0, 0.0);
        for t in 1..=periods {
            if rng.random::<f64>() < theta {
                break;
            }
            if rng.random::<f64>() < p {
                x += 1.0;
                last = f64::from(t);
            }
        }
        out[0].push(x);
        out[1].push(last);
    }
    out
}

fn compare_bb(path: &str) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let col = |k: &str| -> Vec<f64> { v[k].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
    let repeat: usize = std::env::var("CW_CLV_REPEAT").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let (x, tx, n, w) = (col("frequency"), col("recency"), col("n_periods"), col("weights"));
    let (s, f) = best(repeat, || BetaGeoBetaBinom::default().fit(&x, &tx, &n, Some(&w)).unwrap());
    let p = f.params;
    println!("{}", json!({"bg_bb": {"seconds": s, "params": [p.alpha, p.beta, p.gamma, p.delta], "log_likelihood": f.log_likelihood}}));
}

fn generate(spec: &str) {
    let parts: Vec<&str> = spec.splitn(3, ':').collect();
    let d = synthetic(parts[0].parse().unwrap(), parts[1].parse().unwrap());
    let v = json!({"frequency": d.x, "recency": d.tx, "T": d.t, "monetary_value": d.m});
    std::fs::write(parts[2], v.to_string()).unwrap();
}

fn clv(c: &mut Criterion) {
    let mut g = c.benchmark_group("clv");
    g.sample_size(10);
    for n in [10_000, 100_000, 1_000_000] {
        let d = synthetic(n, 42);
        g.bench_with_input(BenchmarkId::new("bg_nbd_fit", n), &d, |b, d| {
            b.iter(|| {
                let f = BetaGeo::default().fit(&d.x, &d.tx, &d.t, None).unwrap();
                assert!(f.diagnostics.grad_norm < 1e-8 && (f.params.r - 0.25).abs() < 0.1);
            })
        });
        g.bench_with_input(BenchmarkId::new("mbg_nbd_fit", n), &d, |b, d| {
            b.iter(|| {
                let f = ModifiedBetaGeo::default().fit(&d.x, &d.tx, &d.t, None).unwrap();
                assert!(f.diagnostics.grad_norm < 1e-8);
            })
        });
        g.bench_with_input(BenchmarkId::new("gamma_gamma_fit", n), &d, |b, d| {
            b.iter(|| {
                let f = GammaGamma::default().fit(&d.x, &d.m, None).unwrap();
                assert!(f.diagnostics.grad_norm < 1e-8);
            })
        });
        if n <= 100_000 {
            g.bench_with_input(BenchmarkId::new("pareto_nbd_fit", n), &d, |b, d| {
                b.iter(|| {
                    let f = ParetoNbd::default().fit(&d.x, &d.tx, &d.t, None).unwrap();
                    assert!(f.diagnostics.grad_norm < 1e-8);
                })
            });
        }
    }
    for n in [10_000, 100_000] {
        let [x, tx, np] = synthetic_bb(n, 52, 42);
        g.bench_function(BenchmarkId::new("bg_bb_fit_52_periods", n), |b| {
            b.iter(|| {
                let f = BetaGeoBetaBinom::default().fit(&x, &tx, &np, None).unwrap();
                assert!(f.diagnostics.grad_norm < 1e-8 && (f.params.alpha / f.params.beta - 1.6).abs() < 0.3);
            })
        });
    }
    // customers who all buy at one rate (the shared vector): the likelihood has no maximum and the
    // fit walks r and alpha up to its bound, where the 2F1 series needed millions of terms (a fit
    // took 130 s; the tails are integrated there now)
    let v: Value = serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/clv/pareto_nbd_error_no_heterogeneity.json")).unwrap()).unwrap();
    let col = |k: &str| -> Vec<f64> { v["input"][k].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
    let (x, tx, t) = (col("frequency"), col("recency"), col("T"));
    g.bench_function("pareto_nbd_fit_no_heterogeneity", |b| {
        b.iter(|| {
            let e = ParetoNbd::default().fit(&x, &tx, &t, None).unwrap_err();
            assert_eq!(e.kind().code(), "not_converged");
        })
    });
    g.finish();
}

criterion_group!(benches, clv);

fn main() {
    if let Ok(path) = std::env::var("CW_CLV_COMPARE") {
        return compare(&path);
    }
    if let Ok(path) = std::env::var("CW_CLV_COMPARE_BB") {
        return compare_bb(&path);
    }
    if let Ok(spec) = std::env::var("CW_CLV_GEN") {
        return generate(&spec);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
