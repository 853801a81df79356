//! Properties of the rate-limit and retry policy: no panic on any input (times anywhere in
//! `i64`, clocks that go backwards, any vendor code); token counts never negative (they are
//! unsigned) nor above the capacity; in any window of `w` ms a bucket grants at most
//! `capacity + w / refill_ms` tokens; full jitter within `[0, min(cap, base * 2^n)]`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::platform::adapter::PlatformError;
use channelwise::platform::policy::{Backoff, BucketState, Classifier, Disposition, LimiterState, RateLimits, RetryBudget, Take, TokenBucket};
use proptest::prelude::*;

fn bucket() -> impl Strategy<Value = TokenBucket> {
    (1u32..50, prop_oneof![1u64..10_000, 1u64..u64::MAX]).prop_map(|(capacity, refill_ms)| TokenBucket { capacity, refill_ms })
}

fn time() -> impl Strategy<Value = i64> {
    prop_oneof![4 => -10_000_000i64..100_000_000, 1 => any::<i64>()]
}

fn error() -> impl Strategy<Value = PlatformError> {
    prop_oneof![
        Just(PlatformError::Timeout),
        ".{0,8}".prop_map(|message| PlatformError::Transport { message }),
        (any::<u16>(), proptest::option::of(any::<u64>())).prop_map(|(status, retry_after_ms)| PlatformError::Http { status, retry_after_ms }),
        (prop_oneof![any::<i64>(), -3i64..1000, 79_990i64..80_020], proptest::option::of(any::<i64>()), proptest::option::of(any::<u64>()))
            .prop_map(|(code, subcode, retry_after_ms)| PlatformError::Meta { code, subcode, message: String::new(), retry_after_ms }),
        (
            prop_oneof![
                Just("RESOURCE_EXHAUSTED".to_string()),
                Just("RESOURCE_TEMPORARILY_EXHAUSTED".to_string()),
                Just("INTERNAL_ERROR".to_string()),
                "[A-Z_]{0,12}"
            ],
            proptest::option::of(any::<u64>())
        )
            .prop_map(|(code, retry_delay_ms)| PlatformError::GoogleAds { code, retry_delay_ms, message: String::new() }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn bucket_tokens_stay_within_capacity(b in bucket(), start in time(), ops in prop::collection::vec((time(), 0u32..60), 1..40)) {
        let mut s = b.full(start);
        for (t, n) in ops {
            let r = b.refill(s, t);
            prop_assert!(r.tokens <= b.capacity);
            match b.try_take(s, t, n) {
                Take::Granted(next) => {
                    prop_assert!(n <= r.tokens);
                    prop_assert_eq!(next.tokens, r.tokens - n);
                    s = next;
                }
                Take::Denied { state, retry_in_ms } => {
                    prop_assert!(state.tokens < n && state.tokens <= b.capacity);
                    prop_assert!(retry_in_ms > 0);
                    s = state;
                }
                Take::TooLarge => prop_assert!(n > b.capacity),
            }
            prop_assert!(s.tokens <= b.capacity);
        }
    }

    #[test]
    fn grants_in_any_window_are_bounded(cap in 1u32..6, refill in 1u64..5_000, steps in prop::collection::vec(0i64..3_000, 1..80)) {
        let b = TokenBucket { capacity: cap, refill_ms: refill };
        let mut s = b.full(0);
        let (mut t, mut grants) = (0i64, Vec::new());
        for dt in steps {
            t += dt;
            if let Take::Granted(next) = b.try_take(s, t, 1) {
                s = next;
                grants.push(t);
            } else if let Take::Denied { state, retry_in_ms } = b.try_take(s, t, 1) {
                // waiting exactly the answer grants
                prop_assert!(matches!(b.try_take(state, t + retry_in_ms as i64, 1), Take::Granted(_)));
                s = state;
            }
        }
        for i in 0..grants.len() {
            for j in i..grants.len() {
                let w = (grants[j] - grants[i]) as u64;
                prop_assert!((j - i + 1) as u64 <= u64::from(cap) + w / refill, "{} grants in {} ms", j - i + 1, w);
            }
        }
    }

    #[test]
    fn limiter_never_panics_and_keeps_buckets_in_range(
        a in bucket(), e in bucket(),
        calls in prop::collection::vec(("[ab]", proptest::option::of("[xyz]"), time()), 1..40),
    ) {
        let limits = RateLimits { account: a, entity: e };
        let mut st = LimiterState::default();
        for (acct, ent, t) in calls {
            let _ = limits.try_acquire(&mut st, &acct, ent.as_deref(), t);
            prop_assert!(st.accounts.values().all(|s: &BucketState| s.tokens <= a.capacity));
            prop_assert!(st.entities.values().all(|s: &BucketState| s.tokens <= e.capacity));
        }
    }

    #[test]
    fn full_jitter_within_bounds(base in 1u64..u64::MAX, extra in any::<u64>(), retry in any::<u32>(), seed in any::<u64>()) {
        let b = Backoff { base_ms: base, cap_ms: base.saturating_add(extra), max_attempts: 3 };
        let want = if retry >= 128 { u128::MAX } else { u128::from(base) << retry.min(127) };
        let ceiling = b.ceiling_ms(retry);
        prop_assert_eq!(u128::from(ceiling), want.min(u128::from(b.cap_ms)));
        let d = b.delay_ms(retry, seed);
        prop_assert!(d <= ceiling);
        prop_assert_eq!(d, b.delay_ms(retry, seed));
    }

    #[test]
    fn retry_budget_stays_in_range(max in 0.001..1000.0f64, ratio_frac in 0.0..1.0f64, ops in prop::collection::vec(any::<bool>(), 0..200)) {
        let b = RetryBudget { max_tokens: max, token_ratio: (max * ratio_frac).max(0.001) };
        let mut s = b.full();
        let top = s.milli_tokens;
        for ok in ops {
            if ok { b.on_success(&mut s) } else { b.on_failure(&mut s) }
            prop_assert!(s.milli_tokens <= top);
        }
    }

    #[test]
    fn classifier_answers_everything(e in error(), now in time(), offset in -1440i32..=1440) {
        let c = Classifier { quota_reset_offset_minutes: offset, ..Classifier::default() };
        match c.classify(&e, now) {
            Disposition::GiveUp { retry_at_ms: Some(at) } => prop_assert!(at > now || now > i64::MAX - 2 * 86_400_000),
            Disposition::BackOff { min_wait_ms } => {
                let stated_zero = matches!(e, PlatformError::Http { retry_after_ms: Some(0), .. }
                    | PlatformError::Meta { retry_after_ms: Some(0), .. }
                    | PlatformError::GoogleAds { retry_delay_ms: Some(0), .. });
                prop_assert!(min_wait_ms > 0 || stated_zero);
            }
            _ => {}
        }
    }
}
