//! Properties of the leads module: no panic on any finite input (a result or a typed error);
//! funnel counts never increase along the steps; "on or after" retention is never below "on"
//! retention and never increases with the period; scores do not depend on the order of the rows;
//! health scores and churn risks stay in their ranges; time in stage adds up.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::leads::cohort::{Cohorts, Period};
use channelwise::leads::funnel::{Exclusion, Funnel, RelativeTo, StepOrder};
use channelwise::leads::health::Health;
use channelwise::leads::lifecycle::StageMachine;
use channelwise::leads::scoring::{score, Attributes, Condition, AttributeRule, DecayMode, Dimension, EventRule, ScoringConfig};
use channelwise::leads::EventLog;
use proptest::prelude::*;

const TYPES: [&str; 4] = ["a", "b", "c", "d"];

fn types() -> Vec<String> {
    TYPES.iter().map(|s| s.to_string()).collect()
}

/// (n_leads, rows of (lead, timestamp, type, value)) with timestamps in `ts`.
fn log_rows(ts: impl Strategy<Value = i64> + Clone) -> impl Strategy<Value = (usize, Vec<(u32, i64, u32, f64)>)> {
    (1usize..6).prop_flat_map(move |n| {
        let row = (0..n as u32, ts.clone(), 0u32..4, -1e6..1e6f64);
        (Just(n), prop::collection::vec(row, 0..40))
    })
}

struct Cols {
    lead: Vec<u32>,
    ts: Vec<i64>,
    ty: Vec<u32>,
    value: Vec<f64>,
}

fn cols(rows: &[(u32, i64, u32, f64)]) -> Cols {
    Cols {
        lead: rows.iter().map(|r| r.0).collect(),
        ts: rows.iter().map(|r| r.1).collect(),
        ty: rows.iter().map(|r| r.2).collect(),
        value: rows.iter().map(|r| r.3).collect(),
    }
}

impl Cols {
    fn log(&self, n: usize) -> EventLog<'_> {
        EventLog::new(n, types(), &self.lead, &self.ts, &self.ty, Some(&self.value)).unwrap()
    }
}

fn order() -> impl Strategy<Value = StepOrder> {
    prop_oneof![Just(StepOrder::Sequential), Just(StepOrder::Strict), Just(StepOrder::Any)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn funnels_never_grow_along_the_steps(
        (n, rows) in log_rows(prop_oneof![any::<i64>(), -500i64..500]),
        steps in prop::collection::vec(0usize..4, 0..5),
        order in order(),
        window in prop_oneof![1i64..500, any::<i64>()],
        previous in any::<bool>(),
        excl in prop::option::of((0usize..4, 0usize..4, 0usize..5)),
    ) {
        let c = cols(&rows);
        let log = c.log(n);
        let names: Vec<&str> = steps.iter().map(|&s| TYPES[s]).collect();
        let mut f = Funnel::new(&names).order(order).window_seconds(window)
            .relative_to(if previous { RelativeTo::Previous } else { RelativeTo::First });
        if let Some((e, a, b)) = excl {
            f = f.exclude(Exclusion::new(TYPES[e], a, b));
        }
        match f.run(&log) {
            Ok(r) => {
                prop_assert!(r.counts.windows(2).all(|w| w[0] >= w[1]), "{:?}", r.counts);
                prop_assert!(r.counts[0] as usize <= n);
                prop_assert_eq!(r.furthest_step.len(), n);
                prop_assert!(r.conversion_rate.iter().all(|x| (0.0..=1.0).contains(x)));
                prop_assert!(r.median_seconds_from_previous.iter().flatten().all(|m| *m >= 0.0));
                for (k, &c) in r.counts.iter().enumerate() {
                    prop_assert_eq!(c as usize, r.furthest_step.iter().filter(|&&s| s as usize > k).count());
                }
            }
            Err(e) => prop_assert!(matches!(e.kind().code(), "not_enough_data" | "invalid_parameter"), "{e}"),
        }
    }

    #[test]
    fn on_or_after_retention_bounds_on_retention(
        (n, rows) in log_rows(prop_oneof![any::<i64>(), 1_700_000_000i64..1_720_000_000]),
        period in prop_oneof![Just(Period::Day), Just(Period::Week), Just(Period::Month)],
        acq in prop::option::of(0usize..4),
        act in prop::option::of(0usize..4),
        conv in prop::option::of(0usize..4),
        as_of in prop::option::of(1_700_000_000i64..1_720_000_000),
    ) {
        let c = cols(&rows);
        let log = c.log(n);
        let mut spec = Cohorts::new(period);
        spec.acquisition_event = acq.map(|i| TYPES[i].to_string());
        spec.activity_event = act.map(|i| TYPES[i].to_string());
        spec.conversion_event = conv.map(|i| TYPES[i].to_string());
        spec.as_of = as_of;
        match spec.run(&log) {
            Ok(t) => {
                let mut leads = 0;
                for row in &t.cohorts {
                    leads += row.size;
                    for (on, after) in row.retention_on.iter().zip(&row.retention_on_or_after) {
                        prop_assert!(after >= on && (0.0..=1.0).contains(after));
                    }
                    prop_assert!(row.retention_on_or_after.windows(2).all(|w| w[0] >= w[1]));
                    prop_assert!(row.conversion.windows(2).all(|w| w[0] <= w[1]));
                    prop_assert_eq!(row.revenue.len(), row.active.len());
                }
                prop_assert!(leads as usize <= n);
            }
            Err(e) => prop_assert_eq!(e.kind().code(), "invalid_parameter", "{}", e),
        }
    }

    #[test]
    fn scores_do_not_depend_on_row_order(
        (n, rows) in log_rows(-5_000_000i64..5_000_000),
        points in prop::collection::vec(-50.0..50.0f64, 4),
        caps in prop::collection::vec(prop::option::of(0.5..40.0f64), 4),
        half_life in prop::option::of((0.1..60.0f64, any::<bool>())),
        weight in 0.0..3.0f64,
        as_of in -5_000_000i64..5_000_000,
        seed in any::<u64>(),
    ) {
        let mut cfg = ScoringConfig::default()
            .attribute_rule(AttributeRule::new("big", Dimension::Firmographic, "size", Condition::AtLeast { value: 10.0 }, 5.0));
        for (i, &p) in points.iter().enumerate() {
            cfg = cfg.event_rule(EventRule::new(format!("r{i}"), Dimension::ALL[i], TYPES[i], p).per_value(1e-3));
            if let Some(c) = caps[i] {
                cfg = cfg.daily_cap(TYPES[i], c);
            }
        }
        cfg.weights.intent = weight;
        if let Some((h, age)) = half_life {
            cfg = cfg.decay(h, if age { DecayMode::EventAge } else { DecayMode::Inactivity });
        }
        let attrs = Attributes::new(n).numeric("size", (0..n).map(|i| i as f64 * 7.0).collect()).unwrap();
        let c = cols(&rows);
        let s = score(&cfg, &attrs, &c.log(n), as_of).unwrap();
        // a seeded permutation of the rows
        let mut perm: Vec<usize> = (0..rows.len()).collect();
        let mut state = seed | 1;
        for i in (1..perm.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            perm.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let shuffled: Vec<_> = perm.iter().map(|&i| rows[i]).collect();
        let c2 = cols(&shuffled);
        let s2 = score(&cfg, &attrs, &c2.log(n), as_of).unwrap();
        for (a, b) in s.total.iter().zip(&s2.total) {
            prop_assert!((a - b).abs() <= 1e-9 * (1.0 + a.abs()), "{a} vs {b}");
        }
        prop_assert_eq!(&s.last_activity, &s2.last_activity);
        for l in 0..n {
            let sum: f64 = s.rule_points(l).unwrap().iter().sum();
            prop_assert!((sum - s.total[l]).abs() <= 1e-9 * (1.0 + sum.abs()));
            let dims: f64 = s.dimensions[l].iter().sum();
            prop_assert!((dims - s.total[l]).abs() <= 1e-9 * (1.0 + dims.abs()));
        }
    }

    #[test]
    fn health_stays_in_range(
        (n, rows) in log_rows(prop_oneof![any::<i64>(), -10_000_000i64..10_000_000]),
        as_of in prop_oneof![any::<i64>(), -10_000_000i64..10_000_000],
        p in prop::collection::vec(prop_oneof![0.0..=1.0f64, Just(f64::NAN)], 6),
        use_p in any::<bool>(),
        periods in 3usize..12,
        period_days in 0.01..30.0f64,
    ) {
        let c = cols(&rows);
        let h = Health::default().window(period_days, periods).run(&c.log(n), as_of, use_p.then(|| &p[..n])).unwrap();
        for l in &h.leads {
            prop_assert!((0.0..=100.0).contains(&l.score), "{}", l.score);
            prop_assert!((0.0..=1.0).contains(&l.churn_risk));
            prop_assert!((0.0..=1.0).contains(&l.p_value));
            prop_assert_eq!(l.activity.len(), periods);
        }
    }

    #[test]
    fn time_in_stage_adds_up(
        steps in prop::collection::vec((0u32..3, 0usize..6, 0i64..1000), 0..30),
        extra in 0i64..1000,
    ) {
        let m = StageMachine::default();
        let mut t = 0;
        let (mut lead, mut ts, mut stage) = (vec![], vec![], vec![]);
        for &(l, s, dt) in &steps {
            t += dt;
            lead.push(l);
            ts.push(t);
            stage.push(m.stages()[s].clone());
        }
        match m.replay(3, &lead, &ts, &stage, None) {
            Ok(h) => {
                let as_of = t + extra;
                let tis = h.time_in_stage(as_of).unwrap();
                for l in 0..3u32 {
                    let first = lead.iter().position(|&x| x == l);
                    let total: f64 = tis.seconds[l as usize * 6..(l as usize + 1) * 6].iter().sum();
                    let want = first.map_or(0.0, |i| (as_of - ts[i]) as f64);
                    prop_assert_eq!(total, want);
                }
                let current: u64 = tis.summary.iter().map(|s| s.current).sum();
                prop_assert_eq!(current as usize, h.current.iter().flatten().count());
            }
            Err(e) => prop_assert_eq!(e.kind().code(), "invalid_record"),
        }
    }
}
