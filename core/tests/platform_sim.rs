//! The simulated market driven through the adapter traits with the retry policy: everything
//! reproducible from the seed (faults, metrics, applied changes), a seeded year with faults,
//! idempotency under lost acknowledgements and duplicated deliveries, reporting delay, stale
//! reads and the platform's rate limits.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::platform::adapter::{Action, ApplyChanges, Change, Date, MetricsQuery, Outcome, PlatformError, ReadMetrics, Status, DAY_MS};
use channelwise::platform::policy::{Next, RetryPolicy};
use channelwise::platform::sim::{FaultKind, Faults, SimConfig, SimMarket};

/// Read metrics with retries; `None` when the policy stops.
fn read_with_retries(m: &mut SimMarket, q: &MetricsQuery, policy: &RetryPolicy, seed: u64) -> Option<Vec<channelwise::platform::adapter::MetricsRow>> {
    let mut budget = policy.budget.full();
    for failed in 0.. {
        match m.read_metrics(q) {
            Ok(rows) => return Some(rows),
            Err(e) => match policy.next(&e, failed, &mut budget, m.now_ms(), seed) {
                Next::RetryAt { at_ms } => m.advance_ms(at_ms - m.now_ms()).unwrap(),
                Next::Stop(_) => return None,
            },
        }
    }
    None
}

/// Apply changes until every one has applied (now or before) or failed for good; resends only
/// the unfinished ones, with their original keys.
fn apply_with_retries(m: &mut SimMarket, changes: &[Change], policy: &RetryPolicy, seed: u64) -> Vec<String> {
    let mut todo: Vec<Change> = changes.to_vec();
    let mut budget = policy.budget.full();
    let mut trace = Vec::new();
    for failed in 0..50u32 {
        if todo.is_empty() {
            break;
        }
        let error = match m.apply_changes(&todo) {
            Ok(results) => {
                let mut again = Vec::new();
                let mut first_error = None;
                for (c, r) in todo.iter().zip(&results) {
                    trace.push(serde_json::to_string(r).unwrap());
                    if let Outcome::Failed { error } = &r.outcome {
                        again.push(c.clone());
                        first_error.get_or_insert(error.clone());
                    }
                }
                todo = again;
                match first_error {
                    Some(e) => e,
                    None => break,
                }
            }
            Err(e) => {
                trace.push(serde_json::to_string(&e).unwrap());
                e
            }
        };
        match policy.next(&error, failed, &mut budget, m.now_ms(), seed) {
            Next::RetryAt { at_ms } => m.advance_ms(at_ms - m.now_ms()).unwrap(),
            Next::Stop(stop) => {
                trace.push(serde_json::to_string(&stop).unwrap());
                break;
            }
        }
    }
    trace
}

/// Run `days` days: every morning read the last week, every Monday move budgets toward the
/// campaign with the better value per spend. Returns everything observed, as JSON lines.
fn drive(seed: u64, faults: Faults, days: usize) -> (Vec<String>, SimMarket) {
    let mut m = SimMarket::new(SimConfig { seed, faults, ..SimConfig::default() }).unwrap();
    let policy = RetryPolicy::default();
    let mut seen = Vec::new();
    for day in 0..days {
        m.step_day().unwrap();
        m.advance_ms(9 * 3_600_000).unwrap();
        let today = m.today();
        let q = MetricsQuery::new(today.add_days(-7).max(m.config().start), today.add_days(-1)).unwrap();
        let rows = read_with_retries(&mut m, &q, &policy, day as u64);
        seen.push(serde_json::to_string(&rows).unwrap());
        if today.weekday() == 0 {
            if let Some(rows) = rows {
                let changes: Vec<Change> = ["search", "social"]
                    .iter()
                    .map(|id| {
                        let (s, v) = rows.iter().filter(|r| r.entity == *id).fold((0.0, 0.0), |(s, v), r| (s + r.spend, v + r.value));
                        let daily = if v > 4.0 * s { 1.1 } else { 0.9 } * s.max(70.0) / 7.0;
                        Change::new(format!("{today}/{id}"), *id, Action::Budget { daily: (daily * 100.0).round() / 100.0 }).unwrap()
                    })
                    .collect();
                seen.extend(apply_with_retries(&mut m, &changes, &policy, 1_000 + day as u64));
            }
        }
    }
    seen.push(serde_json::to_string(m.fault_log()).unwrap());
    seen.push(serde_json::to_string(m.applied()).unwrap());
    (seen, m)
}

#[test]
fn same_seed_same_everything_other_seed_differs() {
    let faults = Faults::all(0.1);
    let (a, ma) = drive(11, faults, 60);
    let (b, _) = drive(11, faults, 60);
    assert_eq!(a, b);
    let (c, mc) = drive(12, faults, 60);
    assert_ne!(a, c);
    assert_ne!(ma.fault_log(), mc.fault_log());
    let q = MetricsQuery::new(ma.config().start, ma.today().add_days(-1)).unwrap();
    assert_ne!(ma.true_metrics(&q).unwrap(), mc.true_metrics(&q).unwrap());
}

#[test]
fn market_outcomes_do_not_depend_on_the_calls_made() {
    // Market draws come from per-day, per-campaign streams: reading more often (and so drawing
    // more faults) leaves the truth unchanged while no change is applied.
    let mut quiet = SimMarket::new(SimConfig { seed: 5, ..SimConfig::default() }).unwrap();
    let mut busy = SimMarket::new(SimConfig { seed: 5, faults: Faults { timeout: 0.3, stale_read: 0.3, ..Faults::default() }, ..SimConfig::default() }).unwrap();
    for _ in 0..30 {
        quiet.step_day().unwrap();
        busy.step_day().unwrap();
        let q = MetricsQuery::new(busy.config().start, busy.today().add_days(-1)).unwrap();
        for _ in 0..3 {
            let _ = busy.read_metrics(&q);
        }
    }
    let q = MetricsQuery::new(quiet.config().start, quiet.today().add_days(-1)).unwrap();
    assert_eq!(quiet.true_metrics(&q).unwrap(), busy.true_metrics(&q).unwrap());
}

#[test]
fn a_seeded_year_with_faults_runs() {
    let (seen, m) = drive(2026, Faults::all(0.05), 365);
    assert_eq!(m.today(), m.config().start.add_days(365));
    let q = MetricsQuery::new(m.config().start, m.today().add_days(-1)).unwrap();
    let truth = m.true_metrics(&q).unwrap();
    assert_eq!(truth.len(), 2 * 365);
    assert!(truth.iter().all(|r| r.spend.is_finite() && r.spend >= 0.0 && r.conversions >= 0.0 && r.clicks <= r.impressions));
    let total: f64 = truth.iter().map(|r| r.conversions).sum();
    assert!(total > 1000.0, "{total}");
    for kind in [FaultKind::Timeout, FaultKind::ServerError, FaultKind::ItemFailure, FaultKind::LostAck, FaultKind::Duplicate, FaultKind::StaleRead] {
        assert!(m.fault_log().iter().any(|f| f.kind == kind), "{kind:?} never fired");
    }
    // 52 Mondays x 2 campaigns, each key applied at most once
    let mut keys: Vec<_> = m.applied().iter().map(|a| a.key.clone()).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n);
    assert!(n >= 90, "{n} budget changes applied of 104");
    assert!(seen.len() > 365);
}

#[test]
fn lost_acks_and_duplicates_apply_each_key_once() {
    let faults = Faults { lost_ack: 0.5, duplicate: 0.5, item_failure: 0.2, timeout: 0.1, ..Faults::default() };
    let mut m = SimMarket::new(SimConfig { seed: 3, faults, ..SimConfig::default() }).unwrap();
    let policy = RetryPolicy { budget: channelwise::platform::policy::RetryBudget::new(1000.0, 1.0).unwrap(), ..RetryPolicy::default() };
    let mut last = 0.0;
    for k in 0..40 {
        // status and bid changes: no ad set budget limit in the way
        let daily = 100.0 + k as f64;
        let changes = vec![
            Change::new(format!("bid-{k}"), "search", Action::Bid { amount: 1.0 + k as f64 / 10.0 }).unwrap(),
            Change::new(format!("status-{k}"), "social", Action::Status { status: if k % 2 == 0 { Status::Paused } else { Status::Active } }).unwrap(),
        ];
        apply_with_retries(&mut m, &changes, &policy, k);
        // one budget change an hour keeps under Meta's 4 an hour
        let b = Change::new(format!("budget-{k}"), "search", Action::Budget { daily }).unwrap();
        apply_with_retries(&mut m, std::slice::from_ref(&b), &policy, 100 + k);
        m.advance_ms(3_600_000).unwrap();
        last = daily;
    }
    let log = m.fault_log();
    assert!(log.iter().filter(|f| f.kind == FaultKind::LostAck).count() >= 10);
    assert!(log.iter().filter(|f| f.kind == FaultKind::Duplicate).count() >= 10);
    let mut keys: Vec<String> = m.applied().iter().map(|a| a.key.to_string()).collect();
    assert_eq!(keys.len(), 120, "every change applied");
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 120, "no key applied twice");
    let state = loop {
        if let Ok(s) = m.read_entity("search") {
            break s;
        }
    };
    assert!(Change::new("check", "search", Action::Budget { daily: last }).unwrap().is_reflected_in(&state));
}

#[test]
fn a_retried_key_answers_already_applied_and_a_reused_key_is_refused() {
    let mut m = SimMarket::new(SimConfig::default()).unwrap();
    let c = Change::new("k1", "search", Action::Budget { daily: 80.0 }).unwrap();
    let r1 = m.apply_changes(std::slice::from_ref(&c)).unwrap();
    assert!(matches!(r1[0].outcome, Outcome::Applied { .. }));
    let r2 = m.apply_changes(std::slice::from_ref(&c)).unwrap();
    assert!(matches!(&r2[0].outcome, Outcome::AlreadyApplied { state } if state.daily_budget == 80.0));
    let other = Change::new("k1", "search", Action::Budget { daily: 90.0 }).unwrap();
    let r3 = m.apply_changes(&[other]).unwrap();
    assert!(matches!(&r3[0].outcome, Outcome::Failed { error: PlatformError::Meta { code: 100, .. } }));
    assert_eq!(m.applied().len(), 1);
    let unknown = Change::new("k2", "nope", Action::Budget { daily: 90.0 }).unwrap();
    assert!(matches!(&m.apply_changes(&[unknown]).unwrap()[0].outcome, Outcome::Failed { error: PlatformError::Meta { code: 100, .. } }));
}

#[test]
fn meta_budget_limit_per_ad_set_and_account_throttle() {
    let mut m = SimMarket::new(SimConfig::default()).unwrap();
    let t0 = m.now_ms();
    for k in 0..4 {
        let c = Change::new(format!("b{k}"), "search", Action::Budget { daily: 90.0 + k as f64 }).unwrap();
        assert!(m.apply_changes(&[c]).unwrap()[0].is_success());
        m.advance_ms(60_000).unwrap();
    }
    // the fifth within the hour fails with code 17; its token is back 15 minutes after the first
    let c = Change::new("b4", "search", Action::Budget { daily: 99.0 }).unwrap();
    let r = m.apply_changes(std::slice::from_ref(&c)).unwrap();
    let wait = 900_000 - (m.now_ms() - t0) as u64;
    assert_eq!(r[0].outcome, Outcome::Failed {
        error: PlatformError::Meta { code: 17, subcode: None, message: "User request limit reached: too many budget changes to this ad set".into(), retry_after_ms: Some(wait) },
    });
    // another ad set and other kinds of change are not held up
    assert!(m.apply_changes(&[Change::new("s1", "social", Action::Budget { daily: 10.0 }).unwrap()]).unwrap()[0].is_success());
    assert!(m.apply_changes(&[Change::new("s2", "search", Action::Bid { amount: 2.0 }).unwrap()]).unwrap()[0].is_success());
    m.advance_ms(wait as i64).unwrap();
    assert!(m.apply_changes(&[c]).unwrap()[0].is_success());

    // account: capacity 2, one token a minute
    let mut cfg = SimConfig::default();
    cfg.limits.account = channelwise::platform::policy::TokenBucket::new(2, 60_000).unwrap();
    let mut m = SimMarket::new(cfg).unwrap();
    assert!(m.read_entity("search").is_ok());
    assert!(m.read_entity("search").is_ok());
    assert_eq!(m.read_entity("search").unwrap_err(), PlatformError::Meta {
        code: 80004,
        subcode: None,
        message: "There have been too many calls to this ad-account. Wait a bit and try again.".into(),
        retry_after_ms: Some(60_000),
    });
    m.advance_ms(60_000).unwrap();
    assert!(m.read_entity("search").is_ok());
}

#[test]
fn conversions_trickle_in_over_the_reporting_delay() {
    let mut m = SimMarket::new(SimConfig { seed: 9, ..SimConfig::default() }).unwrap();
    let day0 = m.config().start;
    let q = MetricsQuery::new(day0, day0).unwrap().entities(["search"]);
    let mut seen = Vec::new();
    for _ in 0..6 {
        m.step_day().unwrap();
        let rows = m.read_metrics(&q).unwrap();
        assert_eq!(rows.len(), 1);
        seen.push(rows[0].conversions);
    }
    let truth = m.true_metrics(&q).unwrap()[0].conversions;
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen[3], truth, "all four lags reported after four days: {seen:?}");
    assert_eq!(seen[5], truth);
    assert!(seen[0] < truth, "{seen:?} vs {truth}");
    // spend and clicks are final at once
    let first = m.read_metrics(&q).unwrap();
    assert_eq!(first[0].spend, m.true_metrics(&q).unwrap()[0].spend);
}

#[test]
fn stale_reads_answer_from_a_day_ago() {
    let mut m = SimMarket::new(SimConfig { faults: Faults { stale_read: 1.0, ..Faults::default() }, ..SimConfig::default() }).unwrap();
    m.run_days(3).unwrap();
    let q = MetricsQuery::new(m.config().start, m.today().add_days(-1)).unwrap();
    let rows = m.read_metrics(&q).unwrap();
    assert_eq!(rows.len(), 2 * 2, "yesterday is missing from a stale read");
    let c = Change::new("p", "search", Action::Status { status: Status::Paused }).unwrap();
    assert!(m.apply_changes(std::slice::from_ref(&c)).unwrap()[0].is_success());
    let s = m.read_entity("search").unwrap();
    assert_eq!(s.status, Status::Active, "the state before the change");
    assert!(!c.is_reflected_in(&s));
}

#[test]
fn paused_campaigns_spend_nothing_and_budgets_bind() {
    let mut m = SimMarket::new(SimConfig::default()).unwrap();
    let pause = Change::new("p", "social", Action::Status { status: Status::Paused }).unwrap();
    m.apply_changes(&[pause]).unwrap();
    m.run_days(7).unwrap();
    let q = MetricsQuery::new(m.config().start, m.today().add_days(-1)).unwrap();
    for r in m.true_metrics(&q).unwrap() {
        match r.entity.as_str() {
            "social" => assert_eq!((r.spend, r.impressions), (0.0, 0)),
            _ => assert!(r.spend <= 100.0 && r.spend >= 95.0, "{}", r.spend),
        }
        assert_eq!(r.currency, "USD");
    }
    assert_eq!(m.now_ms(), m.today().start_ms());
    assert_eq!(m.today(), Date::from_days(m.config().start.days() + 7));
    assert_eq!(m.now_ms() % DAY_MS, 0);
}

#[test]
fn config_reads_from_json_with_defaults() {
    let json = r#"{"seed": 4, "start": "2026-03-02", "campaigns": [
        {"id": "c1", "daily_budget": 50, "curve": {"hill": {"slope": 1.0, "kappa": 40.0, "beta": 9.0}}}
    ], "faults": {"timeout": 0.02}}"#;
    let cfg: SimConfig = serde_json::from_str(json).unwrap();
    assert_eq!(cfg.campaigns[0].cpm, 10.0);
    assert_eq!(cfg.faults.timeout, 0.02);
    assert_eq!(cfg.reporting_delay, vec![0.6, 0.25, 0.1, 0.05]);
    let m = SimMarket::new(cfg.clone()).unwrap();
    assert_eq!(m.today().to_string(), "2026-03-02");
    let back: SimConfig = serde_json::from_str(&serde_json::to_string(&cfg).unwrap()).unwrap();
    assert_eq!(back, cfg);
}

#[test]
fn the_clock_ends_after_a_hundred_years_or_at_9999() {
    let out_of_range = |e: channelwise::Error, field: &str| match e {
        channelwise::Error::OutOfRange { field: f, .. } => assert_eq!(f, field),
        e => panic!("{e}"),
    };
    // 2^53 ms (285,000 years) used to simulate every day of it: 40 s and gigabytes.
    let mut m = SimMarket::new(SimConfig::default()).unwrap();
    let (now, today) = (m.now_ms(), m.today());
    out_of_range(m.advance_ms(1i64 << 53).unwrap_err(), "ms");
    out_of_range(m.run_days(SimMarket::MAX_DAYS + 1).unwrap_err(), "n");
    assert_eq!((m.now_ms(), m.today()), (now, today), "a refused move leaves the market as it was");
    m.run_days(SimMarket::MAX_DAYS).unwrap();
    assert_eq!(m.now_ms(), m.end_ms());
    assert_eq!(m.today(), m.config().start.add_days(SimMarket::MAX_DAYS as i32));
    out_of_range(m.step_day().unwrap_err(), "n");
    out_of_range(m.advance_ms(1).unwrap_err(), "ms");
    m.advance_ms(0).unwrap();
    let q = MetricsQuery::new(m.today().add_days(-2), m.today().add_days(-1)).unwrap();
    assert_eq!(m.true_metrics(&q).unwrap().len(), 2 * 2, "the last days are simulated");

    // Near year 9999 the calendar ends first: at the last ms of 9999-12-31.
    let start: Date = "9999-12-30".parse().unwrap();
    let mut m = SimMarket::new(SimConfig { start, ..SimConfig::default() }).unwrap();
    out_of_range(m.run_days(2).unwrap_err(), "n");
    m.run_days(1).unwrap();
    assert_eq!(m.today().to_string(), "9999-12-31");
    assert_eq!(m.end_ms(), "9999-12-31".parse::<Date>().unwrap().add_days(1).start_ms() - 1);
    m.advance_ms(m.end_ms() - m.now_ms()).unwrap();
    assert_eq!(m.today().to_string(), "9999-12-31");
    out_of_range(m.advance_ms(1).unwrap_err(), "ms");

    // A wait for the decision engine stops at the end instead (its attempts are bounded).
    let mut m = SimMarket::new(SimConfig::default()).unwrap();
    m.wait_until(i64::MAX);
    assert_eq!(m.now_ms(), m.end_ms());

    // Year 0 is a date here but not in Python's datetime.date.
    let start: Date = "0000-06-01".parse().unwrap();
    match SimMarket::new(SimConfig { start, ..SimConfig::default() }).unwrap_err() {
        channelwise::Error::InvalidParameter { field, value, .. } => assert_eq!((field.as_str(), value.as_str()), ("start", "0000-06-01")),
        e => panic!("{e}"),
    }
}

#[test]
fn a_clone_is_a_fork() {
    let mut a = SimMarket::new(SimConfig { seed: 11, faults: Faults::all(0.2), ..SimConfig::default() }).unwrap();
    a.run_days(5).unwrap();
    let _ = a.apply_changes(&[Change::new("k1", "search", Action::Budget { daily: 130.0 }).unwrap()]);
    let mut b = a.clone();
    b.run_days(2).unwrap();
    assert_eq!(a.today().add_days(2), b.today(), "each has its own clock");
    a.run_days(2).unwrap();
    let q = MetricsQuery::new(a.config().start, a.today().add_days(-1)).unwrap();
    assert_eq!(a.true_metrics(&q).unwrap(), b.true_metrics(&q).unwrap());
    let change = [Change::new("k2", "social", Action::Budget { daily: 90.0 }).unwrap()];
    assert_eq!(format!("{:?}", a.apply_changes(&change)), format!("{:?}", b.apply_changes(&change)), "the same fault draws");
    assert_eq!(a.fault_log(), b.fault_log());
    assert_eq!(a.applied(), b.applied());
}
