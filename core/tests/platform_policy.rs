//! Rate limits and retries at exact times: token buckets (Meta's 4 budget changes an hour per ad
//! set), full-jitter backoff bounds ("Exponential Backoff And Jitter", Marc Brooker, AWS
//! Architecture Blog, 2015: `sleep = random_between(0, min(cap, base * 2 ** attempt))`), gRPC's
//! retry throttling (gRFC A6) and the vendor error table.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::platform::adapter::{PlatformError, DAY_MS};
use channelwise::platform::policy::{
    meta_business_use_case, Backoff, BucketState, Classifier, Disposition, LimiterState, Next, RateLimits, RetryBudget, RetryPolicy, Stop, Take,
    TokenBucket,
};

fn granted(t: Take) -> BucketState {
    match t {
        Take::Granted(s) => s,
        other => panic!("expected a grant, got {other:?}"),
    }
}

#[test]
fn meta_ad_set_budget_bucket_at_exact_times() {
    // Marketing API "Rate Limiting": an ad set's budget may change 4 times an hour.
    let b = TokenBucket::META_ADSET_BUDGET;
    let mut s = b.full(0);
    for t in [0, 10_000, 20_000, 30_000] {
        s = granted(b.try_take(s, t, 1));
    }
    assert_eq!(s, BucketState { tokens: 0, at_ms: 0 });
    assert_eq!(b.try_take(s, 40_000, 1), Take::Denied { state: s, retry_in_ms: 860_000 });
    assert_eq!(b.try_take(s, 899_999, 1), Take::Denied { state: s, retry_in_ms: 1 });
    s = granted(b.try_take(s, 900_000, 1));
    assert_eq!(s, BucketState { tokens: 0, at_ms: 900_000 });
    assert_eq!(b.refill(s, 3_600_000), BucketState { tokens: 3, at_ms: 3_600_000 });
    assert_eq!(b.refill(s, 3_700_000), BucketState { tokens: 3, at_ms: 3_600_000 });
    assert_eq!(b.refill(s, 4_500_000), BucketState { tokens: 4, at_ms: 4_500_000 });
    assert_eq!(b.refill(s, 9_000_000), BucketState { tokens: 4, at_ms: 9_000_000 });
    // four more at once after a full refill, then nothing for 15 minutes
    let mut s = b.full(10_000_000);
    for _ in 0..4 {
        s = granted(b.try_take(s, 10_000_000, 1));
    }
    assert_eq!(b.try_take(s, 10_000_000, 1), Take::Denied { state: s, retry_in_ms: 900_000 });
    assert_eq!(b.try_take(s, 10_000_000, 2), Take::Denied { state: s, retry_in_ms: 1_800_000 });
    assert_eq!(b.try_take(s, 10_000_000, 5), Take::TooLarge);
}

#[test]
fn per_window_rounds_the_refill_up() {
    assert_eq!(TokenBucket::per_window(4, 3_600_000).unwrap(), TokenBucket::META_ADSET_BUDGET);
    assert_eq!(TokenBucket::per_window(3, 1_000).unwrap(), TokenBucket { capacity: 3, refill_ms: 334 });
    assert_eq!(TokenBucket::per_window(0, 1_000).unwrap_err().to_string(), "n must be in [1, inf], got 0");
}

#[test]
fn limiter_needs_both_buckets_and_takes_from_neither_when_one_is_empty() {
    let limits = RateLimits::new(TokenBucket::new(3, 1_000).unwrap(), TokenBucket::new(1, 10_000).unwrap()).unwrap();
    let mut st = LimiterState::default();
    assert_eq!(limits.try_acquire(&mut st, "a", Some("e1"), 0), Ok(()));
    assert_eq!(limits.try_acquire(&mut st, "a", Some("e1"), 0), Err(10_000));
    // the denied call took no account token
    assert_eq!(st.accounts["a"], BucketState { tokens: 2, at_ms: 0 });
    assert_eq!(limits.try_acquire(&mut st, "a", None, 0), Ok(()));
    assert_eq!(limits.try_acquire(&mut st, "a", Some("e2"), 0), Ok(()));
    assert_eq!(limits.try_acquire(&mut st, "a", None, 500), Err(500));
    assert_eq!(limits.try_acquire(&mut st, "b", None, 500), Ok(()));
    assert_eq!(limits.try_acquire(&mut st, "a", None, 1_000), Ok(()));
}

#[test]
fn full_jitter_stays_in_its_bounds_and_is_seeded() {
    let b = Backoff::new(100, 10_000, 10).unwrap();
    let ceilings: Vec<u64> = (0..10).map(|n| b.ceiling_ms(n)).collect();
    assert_eq!(ceilings, vec![100, 200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000, 10_000]);
    assert_eq!(b.ceiling_ms(63), 10_000);
    assert_eq!(b.ceiling_ms(u32::MAX), 10_000);
    for n in 0..12 {
        let c = b.ceiling_ms(n);
        let draws: Vec<u64> = (0..2_000).map(|seed| b.delay_ms(n, seed)).collect();
        assert!(draws.iter().all(|&d| d <= c));
        // uniform on [0, c]: mean c/2 (sd of the mean c / sqrt(12 * 2000) ~ 0.0065 c)
        let mean = draws.iter().sum::<u64>() as f64 / 2_000.0;
        assert!((mean - c as f64 / 2.0).abs() < 0.03 * c as f64, "retry {n}: mean {mean} of ceiling {c}");
        assert!(draws.iter().any(|&d| d < c / 10) && draws.iter().any(|&d| d > c - c / 10));
        assert_eq!(draws, (0..2_000).map(|seed| b.delay_ms(n, seed)).collect::<Vec<_>>());
    }
    assert_ne!((0..20).map(|n| b.delay_ms(n, 1)).collect::<Vec<_>>(), (0..20).map(|n| b.delay_ms(n, 2)).collect::<Vec<_>>());
    let one = Backoff::new(1, 1, 1).unwrap();
    assert!((0..100).all(|s| one.delay_ms(5, s) <= 1));
}

#[test]
fn retry_budget_follows_grpc_throttling() {
    // gRFC A6: max_tokens 10, token_ratio 0.1; retries stop once tokens <= 5.
    let b = RetryBudget::default();
    let mut s = b.full();
    assert_eq!(s.milli_tokens, 10_000);
    for _ in 0..4 {
        b.on_failure(&mut s);
    }
    assert!(b.can_retry(&s)); // 6
    b.on_failure(&mut s);
    assert!(!b.can_retry(&s)); // 5
    for _ in 0..9 {
        b.on_success(&mut s);
    }
    assert_eq!(s.milli_tokens, 5_900);
    assert!(b.can_retry(&s));
    for _ in 0..100 {
        b.on_failure(&mut s);
    }
    assert_eq!(s.milli_tokens, 0);
    for _ in 0..1_000 {
        b.on_success(&mut s);
    }
    assert_eq!(s.milli_tokens, 10_000);
}

fn meta(code: i64, subcode: Option<i64>) -> PlatformError {
    PlatformError::Meta { code, subcode, message: String::new(), retry_after_ms: None }
}

fn google(code: &str, retry_delay_ms: Option<u64>) -> PlatformError {
    PlatformError::GoogleAds { code: code.into(), retry_delay_ms, message: String::new() }
}

#[test]
fn classifier_table() {
    let c = Classifier::default();
    let now = 5 * DAY_MS + 3_600_000; // 01:00 UTC
    let throttle = Disposition::BackOff { min_wait_ms: 60_000 };
    let never = Disposition::GiveUp { retry_at_ms: None };
    let reset = Disposition::GiveUp { retry_at_ms: Some(6 * DAY_MS) };
    let table: Vec<(PlatformError, Disposition)> = vec![
        (PlatformError::Timeout, Disposition::Retry),
        (PlatformError::Transport { message: "reset".into() }, Disposition::Retry),
        (PlatformError::Http { status: 500, retry_after_ms: None }, Disposition::Retry),
        (PlatformError::Http { status: 503, retry_after_ms: None }, Disposition::Retry),
        (PlatformError::Http { status: 408, retry_after_ms: None }, Disposition::Retry),
        (PlatformError::Http { status: 429, retry_after_ms: None }, Disposition::BackOff { min_wait_ms: 1_000 }),
        (PlatformError::Http { status: 429, retry_after_ms: Some(30_000) }, Disposition::BackOff { min_wait_ms: 30_000 }),
        (PlatformError::Http { status: 400, retry_after_ms: None }, never),
        (PlatformError::Http { status: 401, retry_after_ms: None }, never),
        // Graph API "Handling Errors": 1 unknown, 2 service (temporary), retry
        (meta(1, None), Disposition::Retry),
        (meta(2, None), Disposition::Retry),
        // Ads Insights error codes
        (meta(2, Some(1_504_043)), Disposition::Retry),
        (meta(2, Some(1_504_038)), Disposition::Retry),
        (meta(2, Some(1_504_041)), never),
        (meta(2, Some(1_504_042)), never),
        (meta(100, Some(1_504_018)), Disposition::Retry),
        (meta(-2, Some(2_490_547)), Disposition::Retry),
        (meta(4, Some(1_504_022)), throttle),
        (meta(4, Some(1_504_039)), throttle),
        // Graph API and Marketing API rate limiting
        (meta(4, None), throttle),
        (meta(17, None), throttle),
        (meta(17, Some(2_446_079)), throttle),
        (meta(32, None), throttle),
        (meta(613, None), throttle),
        (meta(613, Some(1_487_742)), throttle),
        (meta(80000, None), throttle),
        (meta(80004, None), throttle),
        (meta(80014, None), throttle),
        (PlatformError::Meta { code: 80003, subcode: None, message: String::new(), retry_after_ms: Some(600_000) }, Disposition::BackOff { min_wait_ms: 600_000 }),
        (meta(100, None), never),
        (meta(190, None), never),
        (meta(200, None), never),
        (meta(80015, None), never),
        // Google Ads QuotaError
        (google("RESOURCE_TEMPORARILY_EXHAUSTED", Some(7_000)), Disposition::BackOff { min_wait_ms: 7_000 }),
        (google("RESOURCE_TEMPORARILY_EXHAUSTED", None), Disposition::BackOff { min_wait_ms: 1_000 }),
        (google("EXCESSIVE_SHORT_TERM_QUERY_RESOURCE_CONSUMPTION", None), throttle),
        (google("RESOURCE_EXHAUSTED", None), reset),
        (google("RESOURCE_EXHAUSTED", Some(1_000)), reset),
        (google("EXCESSIVE_LONG_TERM_QUERY_RESOURCE_CONSUMPTION", None), reset),
        (google("ACCESS_PROHIBITED", None), never),
        (google("INTERNAL_ERROR", None), Disposition::Retry),
        (google("TRANSIENT_ERROR", None), Disposition::Retry),
        (google("INVALID_ARGUMENT", None), never),
    ];
    for (e, want) in &table {
        assert_eq!(c.classify(e, now), *want, "{e}");
    }
    let names: Vec<_> = (80000..=80014).map(meta_business_use_case).collect();
    assert!(names.iter().all(Option::is_some));
    assert_eq!(meta_business_use_case(80000), Some("ads_insights"));
    assert_eq!(meta_business_use_case(80003), Some("custom_audience"));
    assert_eq!(meta_business_use_case(80014), Some("catalog_batch"));
    assert_eq!(meta_business_use_case(79999), None);
}

#[test]
fn quota_reset_follows_the_offset() {
    let c = Classifier { quota_reset_offset_minutes: -480, ..Classifier::default() };
    // midnight at UTC-8 is 08:00 UTC
    assert_eq!(c.next_quota_reset(0), 8 * 3_600_000);
    assert_eq!(c.next_quota_reset(8 * 3_600_000), DAY_MS + 8 * 3_600_000);
    assert_eq!(c.next_quota_reset(-1), 8 * 3_600_000);
    assert_eq!(Classifier::default().next_quota_reset(DAY_MS - 1), DAY_MS);
}

#[test]
fn retry_policy_waits_the_longer_of_backoff_and_throttle_and_stops() {
    let p = RetryPolicy { backoff: Backoff::new(1_000, 8_000, 4).unwrap(), ..RetryPolicy::default() };
    let mut budget = p.budget.full();
    let t = 1_000_000;
    for failed in 0..3 {
        match p.next(&PlatformError::Timeout, failed, &mut budget, t, 9) {
            Next::RetryAt { at_ms } => assert_eq!(at_ms, t + p.backoff.delay_ms(failed, 9) as i64),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(p.next(&PlatformError::Timeout, 3, &mut budget, t, 9), Next::Stop(Stop::AttemptsExhausted));
    let mut budget = p.budget.full();
    let throttled = PlatformError::Meta { code: 613, subcode: None, message: String::new(), retry_after_ms: Some(120_000) };
    assert_eq!(p.next(&throttled, 0, &mut budget, t, 9), Next::RetryAt { at_ms: t + 120_000 });
    let exhausted = google("RESOURCE_EXHAUSTED", None);
    assert_eq!(p.next(&exhausted, 0, &mut budget, t, 9), Next::Stop(Stop::GiveUp { retry_at_ms: Some(DAY_MS) }));
    // a platform that fails everything spends the budget: 10 tokens, retries while > 5
    let p = RetryPolicy { backoff: Backoff::new(1, 1, 100).unwrap(), ..RetryPolicy::default() };
    let mut budget = p.budget.full();
    let stops: Vec<bool> = (0..6).map(|i| matches!(p.next(&PlatformError::Timeout, i, &mut budget, t, 0), Next::Stop(_))).collect();
    assert_eq!(stops, vec![false, false, false, false, true, true]);
    assert_eq!(p.next(&PlatformError::Timeout, 0, &mut budget, t, 0), Next::Stop(Stop::BudgetExhausted));
}

#[test]
fn settings_read_from_json_with_defaults() {
    let p: RetryPolicy = serde_json::from_str(r#"{"backoff": {"cap_ms": 30000}, "classifier": {"quota_reset_offset_minutes": -480}}"#).unwrap();
    assert_eq!(p.backoff, Backoff { base_ms: 1_000, cap_ms: 30_000, max_attempts: 6 });
    assert_eq!(p.budget, RetryBudget::default());
    p.validate().unwrap();
    let bad: RetryPolicy = serde_json::from_str(r#"{"backoff": {"base_ms": 0}}"#).unwrap();
    assert_eq!(bad.validate().unwrap_err().to_string(), "base_ms must be in [1, inf], got 0");
    let d = serde_json::to_string(&Disposition::BackOff { min_wait_ms: 5 }).unwrap();
    assert_eq!(d, r#"{"action":"back_off","min_wait_ms":5}"#);
    let n = serde_json::to_string(&Next::Stop(Stop::GiveUp { retry_at_ms: Some(1) })).unwrap();
    assert_eq!(n, r#"{"next":"stop","reason":"give_up","retry_at_ms":1}"#);
}
