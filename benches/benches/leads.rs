//! Lead scores: 1k to 1M leads with 20 events each (8 event types, 8 event rules, 4 attribute
//! rules, daily caps on two types, inactivity decay), rows grouped by lead as a CRM export gives
//! them; and the 1M case with its rows shuffled (the counting sort by lead included). The issue's
//! target: 1M leads x 20 events in under a second on one core (the scorer is single-threaded).

#![allow(missing_docs)] // criterion_group! generates undocumented items

use channelwise::leads::scoring::{score, AttributeRule, Attributes, Condition, DecayMode, Dimension, EventRule, ScoringConfig};
use channelwise::leads::EventLog;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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

criterion_group!(benches, leads);
criterion_main!(benches);
