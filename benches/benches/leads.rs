//! Lead scores: 1k to 1M leads with 20 events each (8 event types, 8 event rules, 4 attribute
//! rules, daily caps on two types, inactivity decay), rows grouped by lead as a CRM export gives
//! them; and the 1M case with its rows shuffled (the counting sort by lead included). The issue's
//! target: 1M leads x 20 events in under a second on one core (the scorer is single-threaded).
//!
//! Predictive scores: the logistic regression fit behind `leads::predictive` on 100k leads x 50
//! features (seeded, correlated N(0, 1) features, 50 true effects), with the L2 penalty (the
//! comparison with scikit-learn's `lbfgs`) and the L1 penalty. With `CW_LOGISTIC_COMPARE=<dir>`
//! the binary instead reads `x.f64` (row-major) and `y.f64` (little-endian f64) and `shape.json`
//! (`{"n", "k", "fits": [{"penalty", "c"}...]}`) from `<dir>`, fits each `CW_LOGISTIC_REPEAT`
//! times (default 5) and prints the best wall time with the coefficients as JSON: what
//! `benches/compare/leads_predictive.py` times against scikit-learn in the same run.

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::glm::logistic::{LogisticRegression, Penalty};
use channelwise::leads::scoring::{score, AttributeRule, Attributes, Condition, DecayMode, Dimension, EventRule, ScoringConfig};
use channelwise::leads::EventLog;
use criterion::{criterion_group, BenchmarkId, Criterion};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

const TYPES: [&str; 8] = ["visit", "email_open", "email_click", "form", "pricing", "demo", "webinar", "unsubscribe"];
const AS_OF: i64 = 90 * 86_400;

struct Data {
    lead: Vec<u32>,
    ts: Vec<i64>,
    ty: Vec<u32>,
    value: Vec<f64>,
    attrs: Attributes,
}

fn data(n: usize, per_lead: usize, shuffled: bool, seed: u64) -> Data {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows: Vec<(u32, i64, u32, f64)> = Vec::with_capacity(n * per_lead);
    for l in 0..n as u32 {
        for _ in 0..per_lead {
            // popular types first: visits and opens dominate
            let t = (rng.random::<f64>().powi(2) * TYPES.len() as f64) as u32;
            rows.push((l, rng.random_range(0..AS_OF), t.min(7), rng.random_range(0.0..120.0)));
        }
    }
    if shuffled {
        rows.shuffle(&mut rng);
    }
    let employees: Vec<f64> = (0..n).map(|_| rng.random_range(1.0..5000.0)).collect();
    let titles = ["VP", "Manager", "Engineer", "Intern", "CMO", ""];
    let title: Vec<&str> = (0..n).map(|_| titles[rng.random_range(0..titles.len())]).collect();
    let attrs = Attributes::new(n).numeric("employees", employees).and_then(|a| a.categorical("title", &title)).expect("valid columns");
    Data {
        lead: rows.iter().map(|r| r.0).collect(),
        ts: rows.iter().map(|r| r.1).collect(),
        ty: rows.iter().map(|r| r.2).collect(),
        value: rows.iter().map(|r| r.3).collect(),
        attrs,
    }
}

fn config() -> ScoringConfig {
    let e = |name: &str, d, t: &str, p| EventRule::new(name, d, t, p);
    ScoringConfig::default()
        .attribute_rule(AttributeRule::new("senior", Dimension::Demographic, "title", Condition::OneOf { values: vec!["VP".into(), "CMO".into()] }, 15.0))
        .attribute_rule(AttributeRule::new("intern", Dimension::Demographic, "title", Condition::Equals { value: "Intern".into() }, -10.0))
        .attribute_rule(AttributeRule::new("big", Dimension::Firmographic, "employees", Condition::AtLeast { value: 500.0 }, 10.0))
        .attribute_rule(AttributeRule::new("mid", Dimension::Firmographic, "employees", Condition::Between { min: 50.0, max: 500.0 }, 5.0))
        .event_rule(e("visit", Dimension::Behavioural, "visit", 1.0).per_value(0.01))
        .event_rule(e("open", Dimension::Engagement, "email_open", 0.5))
        .event_rule(e("click", Dimension::Engagement, "email_click", 2.0))
        .event_rule(e("form", Dimension::Behavioural, "form", 8.0))
        .event_rule(e("pricing", Dimension::Intent, "pricing", 10.0))
        .event_rule(e("demo", Dimension::Intent, "demo", 30.0))
        .event_rule(e("webinar", Dimension::Engagement, "webinar", 6.0))
        .event_rule(e("unsub", Dimension::Engagement, "unsubscribe", -25.0))
        .daily_cap("visit", 5.0)
        .daily_cap("email_open", 2.0)
        .decay(30.0, DecayMode::Inactivity)
}

fn leads(c: &mut Criterion) {
    let mut g = c.benchmark_group("leads_score");
    g.sample_size(10);
    let cfg = config();
    let types: Vec<String> = TYPES.iter().map(|s| s.to_string()).collect();
    let mut cases: Vec<(String, usize, bool)> = [1_000, 10_000, 100_000, 1_000_000].iter().map(|&n| ("grouped".to_string(), n, false)).collect();
    cases.push(("shuffled".to_string(), 1_000_000, true));
    for (name, n, shuffled) in cases {
        let d = data(n, 20, shuffled, 7);
        g.bench_with_input(BenchmarkId::new(format!("{name}/20_events"), n), &d, |b, d| {
            b.iter(|| {
                let log = EventLog::new(n, types.clone(), &d.lead, &d.ts, &d.ty, Some(&d.value)).expect("valid log");
                let s = score(&cfg, &d.attrs, &log, AS_OF).expect("score");
                assert_eq!(s.total.len(), n);
                assert!(s.total.iter().all(|t| t.is_finite()));
            })
        });
    }
    g.finish();
}

/// `n x k` features with correlation 0.5^|i-j| between neighbours (an AR(1) walk across the
/// columns) and labels from a logistic model with effects in [-0.5, 0.5] and a base rate near
/// 20%.
fn logistic_data(n: usize, k: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let beta: Vec<f64> = (0..k).map(|_| rng.random_range(-0.5..0.5)).collect();
    let normal = |rng: &mut ChaCha8Rng| -> f64 {
        // Box-Muller
        let (u, v): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let mut x = Vec::with_capacity(n * k);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let mut prev = normal(&mut rng);
        let mut z = -1.5;
        for b in &beta {
            x.push(prev);
            z += b * prev;
            prev = 0.5 * prev + 0.75f64.sqrt() * normal(&mut rng);
        }
        y.push(f64::from(u8::from(rng.random::<f64>() < 1.0 / (1.0 + (-z).exp()))));
    }
    (x, y)
}

fn predictive(c: &mut Criterion) {
    let mut g = c.benchmark_group("leads_predictive");
    g.sample_size(10);
    let (n, k) = (100_000, 50);
    let (x, y) = logistic_data(n, k, 11);
    for (name, penalty) in [("l2", Penalty::L2), ("l1", Penalty::L1)] {
        g.bench_with_input(BenchmarkId::new(format!("logistic_fit/{name}/channelwise"), format!("{n}x{k}")), &(&x, &y), |b, (x, y)| {
            b.iter(|| {
                let fit = LogisticRegression::default().penalty(penalty).fit(x, k, y, None).expect("a fit");
                assert!(fit.grad_norm() < 1e-6 && fit.coef().iter().all(|v| v.is_finite()));
            })
        });
    }
    g.finish();
}

fn read_f64s(path: &std::path::Path) -> Vec<f64> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes.chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes"))).collect()
}

fn compare(dir: &str) {
    let dir = std::path::Path::new(dir);
    let shape: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("shape.json")).expect("shape.json")).expect("json");
    let k = shape["k"].as_u64().expect("k") as usize;
    let (x, y) = (read_f64s(&dir.join("x.f64")), read_f64s(&dir.join("y.f64")));
    assert_eq!(x.len(), y.len() * k, "x is not n x k");
    let repeat: usize = std::env::var("CW_LOGISTIC_REPEAT").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let mut out = Vec::new();
    for spec in shape["fits"].as_array().expect("fits") {
        let penalty: Penalty = serde_json::from_value(spec["penalty"].clone()).expect("a penalty");
        let model = LogisticRegression::default().penalty(penalty).c(spec["c"].as_f64().expect("c"));
        let mut best = f64::INFINITY;
        let mut fit = None;
        for _ in 0..repeat {
            let t0 = std::time::Instant::now();
            let f = model.fit(&x, k, &y, None).expect("a fit");
            best = best.min(t0.elapsed().as_secs_f64());
            fit = Some(f);
        }
        let f = fit.expect("repeat >= 1");
        out.push(json!({"penalty": spec["penalty"], "c": spec["c"], "seconds": best, "coef": f.coef(), "intercept": f.intercept(), "iterations": f.iterations(), "grad_norm": f.grad_norm()}));
    }
    println!("{}", Value::Array(out));
}

criterion_group!(benches, leads, predictive);

fn main() {
    if let Ok(dir) = std::env::var("CW_LOGISTIC_COMPARE") {
        return compare(&dir);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
