//! Rate limits and retries as data: token buckets, exponential backoff with full jitter, a
//! retry budget and a classifier of vendor errors into retry, back off or give up.
//!
//! Everything here is a pure function of its settings, a state value and the time passed in
//! (milliseconds since the epoch, from a [`Clock`](crate::platform::adapter::Clock)), so a test
//! states exact numbers at exact times and the simulator ([`crate::platform::sim`]) enforces the
//! same limits a real adapter would.
//!
//! # Token bucket ([`TokenBucket`], [`BucketState`])
//! A bucket holds at most `capacity` tokens and gains one every `refill_ms`; an action takes a
//! token or waits. Counts are whole tokens and times whole milliseconds, so there is no rounding:
//! after a take at `t` from a full bucket of 4 refilling every 900 000 ms, the fourth token is
//! back at exactly `t + 900 000`. [`RateLimits`] keeps one bucket per account and one per entity
//! and grants an action only when both have a token.
//!
//! Meta allows 4 changes an hour to an ad set's `daily_budget` / `lifetime_budget` and blocks
//! that ad set's budget changes for an hour past it (error 17, Marketing API "Rate Limiting"
//! page). [`TokenBucket::META_ADSET_BUDGET`] (capacity 4, one token per 15 minutes) never lets a
//! fifth change through within an hour; it is a little stricter than a rolling hour after a
//! burst spread over the hour.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `capacity` | - | most tokens held (the burst) | 1..=u32::MAX |
//! | `refill_ms` | - | ms to regain one token | 1..=u64::MAX |
//!
//! # Backoff ([`Backoff`])
//! Full jitter, "Exponential Backoff And Jitter" (Marc Brooker, AWS Architecture Blog, 2015):
//! the wait before retry `n` (0 for the first retry) is uniform on the whole milliseconds of
//! `[0, min(cap_ms, base_ms * 2^n)]`, drawn from ChaCha8 stream `n` of `seed`, so one seed gives
//! one schedule on every platform.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `base_ms` | 1000 | ceiling of the first wait | >= 1 |
//! | `cap_ms` | 60000 | largest ceiling | >= `base_ms` |
//! | `max_attempts` | 6 | attempts in all, the first included | >= 1 |
//!
//! # Retry budget ([`RetryBudget`], [`RetryBudgetState`])
//! gRPC's retry throttling (gRFC A6): a bucket of `max_tokens`; each failed attempt takes 1, each
//! success gives back `token_ratio`; retries are allowed only while more than half the tokens
//! remain, so a platform that fails everything sees few retries. Tokens are counted in
//! thousandths (gRPC's three decimals), so the arithmetic is exact.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `max_tokens` | 10 | size of the budget | (0, 1000] |
//! | `token_ratio` | 0.1 | tokens a success gives back | [0.001, `max_tokens`], 3 decimals |
//!
//! # Classifier ([`Classifier`], [`Disposition`])
//! | Error | Disposition | Source |
//! |---|---|---|
//! | timeout, transport failure | retry | (the idempotency key makes a retried change safe) |
//! | HTTP 408, 500, 502, 503, 504, other 5xx | retry | RFC 9110 |
//! | HTTP 429 | back off, at least `Retry-After` or `http_429_wait_ms` | RFC 6585 |
//! | HTTP 4xx other | give up | |
//! | Meta 1 (unknown), 2 (service) | retry | Graph API "Handling Errors" |
//! | Meta 2 / 1504041, 1504042 (invalid breakdowns or custom metrics) | give up | Ads Insights error codes |
//! | Meta 4 (app limit; subcodes 1504022, 1504039 for insights) | back off | Graph API "Rate Limits", Ads Insights error codes |
//! | Meta 17 (user / ad account / ad set budget limit; subcode 2446079) | back off | Marketing API "Rate Limiting" |
//! | Meta 32 (Pages limit) | back off | Graph API "Rate Limits" |
//! | Meta 613 (custom limit; subcode 1487742: too many calls from this ad account) | back off | Marketing API "Rate Limiting" |
//! | Meta 80000-80014 (Business Use Case limits, see [`meta_business_use_case`]) | back off, at least `estimated_time_to_regain_access` | Graph API "Rate Limits" |
//! | Meta 100 / 1504018, -2 / 2490547 (request timed out, report failed) | retry | Ads Insights error codes |
//! | other Meta codes (100, 190, 200, ...) | give up | |
//! | Google Ads `RESOURCE_TEMPORARILY_EXHAUSTED` | back off, at least `retry_delay` | `QuotaError`, `QuotaErrorDetails.retry_delay` |
//! | Google Ads `EXCESSIVE_SHORT_TERM_QUERY_RESOURCE_CONSUMPTION` | back off | `QuotaError` |
//! | Google Ads `RESOURCE_EXHAUSTED`, `EXCESSIVE_LONG_TERM_QUERY_RESOURCE_CONSUMPTION` | give up until the daily quota resets | `QuotaError`; daily operation limits per developer token |
//! | Google Ads `INTERNAL_ERROR`, `TRANSIENT_ERROR`, `DEADLINE_EXCEEDED`, `UNAVAILABLE` | retry | `InternalError`, gRPC status codes |
//! | other Google Ads codes | give up | |
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `throttle_wait_ms` | 60000 | least wait after a Meta throttle without a stated time (Meta blocks a standard-tier app for 60 s) | any |
//! | `http_429_wait_ms` | 1000 | least wait after a 429 without `Retry-After` | any |
//! | `google_temporary_wait_ms` | 1000 | least wait after `RESOURCE_TEMPORARILY_EXHAUSTED` without `retry_delay` | any |
//! | `quota_reset_offset_minutes` | 0 | the daily quota resets at midnight of UTC plus this offset (the documentation read for this module does not state Google's reset time; set it to what your account shows) | -1440..=1440 |
//!
//! ```
//! use channelwise::platform::adapter::PlatformError;
//! use channelwise::platform::policy::{Classifier, Disposition, RetryPolicy, Next};
//!
//! let throttled = PlatformError::Meta { code: 80004, subcode: None, message: String::new(),
//!                                       retry_after_ms: Some(300_000) };
//! let c = Classifier::default();
//! assert_eq!(c.classify(&throttled, 0), Disposition::BackOff { min_wait_ms: 300_000 });
//!
//! let policy = RetryPolicy::default();
//! let mut budget = policy.budget.full();
//! match policy.next(&throttled, 0, &mut budget, 1_000, 7) {
//!     Next::RetryAt { at_ms } => assert!(at_ms >= 301_000),
//!     Next::Stop(why) => panic!("{why:?}"),
//! }
//! ```

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::optimize::response::check;
use crate::platform::adapter::{PlatformError, DAY_MS};
use crate::{Error, Result};

fn at_least(field: &str, value: u64, min: u64) -> Result<()> {
    if value < min {
        return Err(Error::OutOfRange { field: field.into(), value: value as f64, min: min as f64, max: f64::INFINITY });
    }
    Ok(())
}

/// A token bucket's settings (see the [module table](self)).
///
/// ```
/// use channelwise::platform::policy::{Take, TokenBucket};
/// let b = TokenBucket::META_ADSET_BUDGET; // 4 budget changes, one back every 15 minutes
/// let mut s = b.full(0);
/// for _ in 0..4 {
///     s = match b.try_take(s, 0, 1) { Take::Granted(s) => s, other => panic!("{other:?}") };
/// }
/// assert_eq!(b.try_take(s, 60_000, 1), Take::Denied { state: s, retry_in_ms: 840_000 });
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBucket {
    /// Most tokens held.
    pub capacity: u32,
    /// Milliseconds to regain one token.
    pub refill_ms: u64,
}

/// A bucket's tokens and the instant up to which refills are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketState {
    /// Tokens now (never above the capacity).
    pub tokens: u32,
    /// Refills are counted up to this instant (ms since the epoch); the time since then is
    /// progress toward the next token.
    pub at_ms: i64,
}

/// The answer of [`TokenBucket::try_take`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Take {
    /// Taken; the state after.
    Granted(BucketState),
    /// Not enough tokens: the refilled state (nothing taken) and how long until there are.
    Denied {
        /// The state, refilled to now.
        state: BucketState,
        /// Milliseconds until the tokens asked for are there.
        retry_in_ms: u64,
    },
    /// More tokens asked for than the bucket can ever hold.
    TooLarge,
}

impl TokenBucket {
    /// Meta's ad set budget limit: 4 changes an hour (capacity 4, one token per 900 000 ms).
    pub const META_ADSET_BUDGET: TokenBucket = TokenBucket { capacity: 4, refill_ms: 900_000 };

    /// A checked bucket.
    ///
    /// # Errors
    /// `out_of_range` when `capacity` or `refill_ms` is 0.
    pub fn new(capacity: u32, refill_ms: u64) -> Result<Self> {
        let b = TokenBucket { capacity, refill_ms };
        b.validate()?;
        Ok(b)
    }

    /// `n` actions per `window_ms`: capacity `n`, one token every `window_ms / n` (rounded up,
    /// so never more than `n` in a window from full).
    ///
    /// # Errors
    /// `out_of_range` when `n` or `window_ms` is 0.
    pub fn per_window(n: u32, window_ms: u64) -> Result<Self> {
        at_least("n", u64::from(n), 1)?;
        at_least("window_ms", window_ms, 1)?;
        TokenBucket::new(n, window_ms.div_ceil(u64::from(n)))
    }

    /// Check a deserialised bucket.
    ///
    /// # Errors
    /// As [`TokenBucket::new`].
    pub fn validate(&self) -> Result<()> {
        at_least("capacity", u64::from(self.capacity), 1)?;
        at_least("refill_ms", self.refill_ms, 1)
    }

    /// A full bucket at `now_ms`.
    pub fn full(&self, now_ms: i64) -> BucketState {
        BucketState { tokens: self.capacity, at_ms: now_ms }
    }

    /// The state at `now_ms`: tokens regained since `state.at_ms`, never above the capacity. A
    /// clock that went backwards regains nothing.
    pub fn refill(&self, state: BucketState, now_ms: i64) -> BucketState {
        let cap = self.capacity;
        let refill = self.refill_ms.max(1);
        if state.tokens >= cap {
            return BucketState { tokens: cap, at_ms: state.at_ms.max(now_ms) };
        }
        if now_ms <= state.at_ms {
            return state;
        }
        let elapsed = now_ms.abs_diff(state.at_ms);
        let gained = elapsed / refill;
        let tokens = u64::from(state.tokens).saturating_add(gained);
        if tokens >= u64::from(cap) {
            BucketState { tokens: cap, at_ms: now_ms }
        } else {
            // gained < cap and gained * refill <= elapsed: no overflow, and at_ms stays <= now
            BucketState { tokens: tokens as u32, at_ms: state.at_ms.saturating_add_unsigned(gained * refill) }
        }
    }

    /// Take `n` tokens at `now_ms`, or say how long until there are `n`.
    pub fn try_take(&self, state: BucketState, now_ms: i64, n: u32) -> Take {
        if n > self.capacity {
            return Take::TooLarge;
        }
        let s = self.refill(state, now_ms);
        if s.tokens >= n {
            // from full, the time toward the next token starts now
            let at_ms = if s.tokens == self.capacity { now_ms.max(s.at_ms) } else { s.at_ms };
            return Take::Granted(BucketState { tokens: s.tokens - n, at_ms });
        }
        let need = u64::from(n - s.tokens);
        let progress = now_ms.saturating_sub(s.at_ms).max(0) as u64;
        Take::Denied { state: s, retry_in_ms: need.saturating_mul(self.refill_ms.max(1)).saturating_sub(progress) }
    }
}

/// Limits per account and per entity, both of which must grant an action.
///
/// ```
/// use channelwise::platform::policy::{LimiterState, RateLimits, TokenBucket};
/// let limits = RateLimits::new(TokenBucket::new(100, 36_000)?, TokenBucket::META_ADSET_BUDGET)?;
/// let mut state = LimiterState::default();
/// for _ in 0..4 {
///     assert_eq!(limits.try_acquire(&mut state, "act_1", Some("adset_9"), 0), Ok(()));
/// }
/// assert_eq!(limits.try_acquire(&mut state, "act_1", Some("adset_9"), 0), Err(900_000));
/// assert_eq!(limits.try_acquire(&mut state, "act_1", Some("adset_8"), 0), Ok(()));
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimits {
    /// Every action on the account takes a token here.
    pub account: TokenBucket,
    /// Actions naming an entity (budget changes, say) also take one from that entity's bucket.
    pub entity: TokenBucket,
}

/// The buckets of a [`RateLimits`], by account and by entity (created full on first use).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LimiterState {
    /// Bucket per account id.
    pub accounts: BTreeMap<String, BucketState>,
    /// Bucket per entity id.
    pub entities: BTreeMap<String, BucketState>,
}

impl RateLimits {
    /// Checked limits.
    ///
    /// # Errors
    /// As [`TokenBucket::new`] for either bucket.
    pub fn new(account: TokenBucket, entity: TokenBucket) -> Result<Self> {
        let r = RateLimits { account, entity };
        r.validate()?;
        Ok(r)
    }

    /// Check both buckets.
    ///
    /// # Errors
    /// As [`TokenBucket::new`].
    pub fn validate(&self) -> Result<()> {
        self.account.validate()?;
        self.entity.validate()
    }

    /// Take a token from the account's bucket and, if `entity` is given, from the entity's, or
    /// neither: `Err(ms)` is how long until both could grant.
    ///
    /// # Errors
    /// `Err(wait_ms)` when a bucket is empty (a plain wait, not a [`crate::Error`]).
    pub fn try_acquire(&self, state: &mut LimiterState, account: &str, entity: Option<&str>, now_ms: i64) -> std::result::Result<(), u64> {
        let a = state.accounts.get(account).copied().unwrap_or_else(|| self.account.full(now_ms));
        let e = entity.map(|id| state.entities.get(id).copied().unwrap_or_else(|| self.entity.full(now_ms)));
        let ta = self.account.try_take(a, now_ms, 1);
        let te = e.map(|e| self.entity.try_take(e, now_ms, 1));
        let wait = |t: &Take| match *t {
            Take::Granted(_) => 0,
            Take::Denied { retry_in_ms, .. } => retry_in_ms,
            Take::TooLarge => u64::MAX,
        };
        let w = wait(&ta).max(te.as_ref().map_or(0, wait));
        if w > 0 {
            return Err(w);
        }
        if let Take::Granted(s) = ta {
            state.accounts.insert(account.to_string(), s);
        }
        if let (Some(id), Some(Take::Granted(s))) = (entity, te) {
            state.entities.insert(id.to_string(), s);
        }
        Ok(())
    }
}

/// Exponential backoff with full jitter (see the [module table](self)).
///
/// ```
/// use channelwise::platform::policy::Backoff;
/// let b = Backoff::default();
/// assert_eq!(b.ceiling_ms(0), 1_000);
/// assert_eq!(b.ceiling_ms(3), 8_000);
/// assert_eq!(b.ceiling_ms(10), 60_000);
/// let d = b.delay_ms(3, 42);
/// assert!(d <= 8_000);
/// assert_eq!(d, b.delay_ms(3, 42)); // same seed, same wait
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Backoff {
    /// Ceiling of the first wait, ms.
    pub base_ms: u64,
    /// Largest ceiling, ms.
    pub cap_ms: u64,
    /// Attempts in all, the first included.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { base_ms: 1_000, cap_ms: 60_000, max_attempts: 6 }
    }
}

impl Backoff {
    /// Checked settings.
    ///
    /// # Errors
    /// `out_of_range` when `base_ms` or `max_attempts` is 0 or `cap_ms < base_ms`.
    pub fn new(base_ms: u64, cap_ms: u64, max_attempts: u32) -> Result<Self> {
        let b = Backoff { base_ms, cap_ms, max_attempts };
        b.validate()?;
        Ok(b)
    }

    /// Check deserialised settings.
    ///
    /// # Errors
    /// As [`Backoff::new`].
    pub fn validate(&self) -> Result<()> {
        at_least("base_ms", self.base_ms, 1)?;
        at_least("cap_ms", self.cap_ms, self.base_ms)?;
        at_least("max_attempts", u64::from(self.max_attempts), 1)
    }

    /// `min(cap_ms, base_ms * 2^retry)`, saturating.
    pub fn ceiling_ms(&self, retry: u32) -> u64 {
        let grown = if retry >= 64 { u64::MAX } else { self.base_ms.saturating_mul(1u64 << retry) };
        grown.min(self.cap_ms)
    }

    /// The wait before retry `retry` (0 = first retry): uniform on `[0, ceiling_ms(retry)]`,
    /// from ChaCha8 stream `retry` of `seed`.
    pub fn delay_ms(&self, retry: u32, seed: u64) -> u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(u64::from(retry));
        rng.random_range(0..=self.ceiling_ms(retry))
    }
}

/// gRPC-style retry throttling (see the [module table](self)).
///
/// ```
/// use channelwise::platform::policy::RetryBudget;
/// let b = RetryBudget::new(4.0, 0.5)?;
/// let mut s = b.full();
/// b.on_failure(&mut s);
/// assert!(b.can_retry(&s)); // 3 > 2
/// b.on_failure(&mut s);
/// assert!(!b.can_retry(&s)); // 2 is not > 2
/// b.on_success(&mut s);
/// assert!(b.can_retry(&s)); // 2.5
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryBudget {
    /// Size of the budget.
    pub max_tokens: f64,
    /// Tokens a success gives back.
    pub token_ratio: f64,
}

/// The tokens left in a [`RetryBudget`], in thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryBudgetState {
    /// Tokens x 1000.
    pub milli_tokens: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget { max_tokens: 10.0, token_ratio: 0.1 }
    }
}

impl RetryBudget {
    /// Checked settings.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` unless `max_tokens` is in (0, 1000] and `token_ratio` in
    /// [0.001, max_tokens].
    pub fn new(max_tokens: f64, token_ratio: f64) -> Result<Self> {
        let b = RetryBudget { max_tokens, token_ratio };
        b.validate()?;
        Ok(b)
    }

    /// Check deserialised settings.
    ///
    /// # Errors
    /// As [`RetryBudget::new`].
    pub fn validate(&self) -> Result<()> {
        check("max_tokens", self.max_tokens, 0.001, 1000.0, false)?;
        check("token_ratio", self.token_ratio, 0.001, self.max_tokens, false)
    }

    fn max_milli(&self) -> u32 {
        (self.max_tokens * 1000.0).round().clamp(1.0, 1_000_000.0) as u32
    }

    /// A full budget.
    pub fn full(&self) -> RetryBudgetState {
        RetryBudgetState { milli_tokens: self.max_milli() }
    }

    /// A failed attempt takes one token (not below 0).
    pub fn on_failure(&self, state: &mut RetryBudgetState) {
        state.milli_tokens = state.milli_tokens.saturating_sub(1000).min(self.max_milli());
    }

    /// A success gives back `token_ratio` (not above `max_tokens`).
    pub fn on_success(&self, state: &mut RetryBudgetState) {
        let ratio = (self.token_ratio * 1000.0).round().clamp(0.0, 1_000_000.0) as u32;
        state.milli_tokens = state.milli_tokens.saturating_add(ratio).min(self.max_milli());
    }

    /// Retries are allowed while more than half the tokens remain.
    pub fn can_retry(&self, state: &RetryBudgetState) -> bool {
        u64::from(state.milli_tokens) * 2 > u64::from(self.max_milli())
    }
}

/// What to do about a failed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Disposition {
    /// A transient failure: retry after the backoff delay.
    Retry,
    /// Throttled: retry, but wait at least this long (and at least the backoff delay).
    BackOff {
        /// Least wait, ms.
        min_wait_ms: u64,
    },
    /// Do not retry this call; `retry_at_ms` is when the same call could succeed again (a
    /// quota reset), `None` when it never will as it stands.
    GiveUp {
        /// Earliest instant worth trying again, ms since the epoch.
        retry_at_ms: Option<i64>,
    },
}

/// The Business Use Case of a Meta rate-limit code in 80000-80014 (Graph API "Rate Limits"
/// page), or `None` outside the range; codes in the range without a documented use case are
/// `"business use case"`.
///
/// ```
/// use channelwise::platform::policy::meta_business_use_case;
/// assert_eq!(meta_business_use_case(80004), Some("ads_management"));
/// assert_eq!(meta_business_use_case(80015), None);
/// ```
pub fn meta_business_use_case(code: i64) -> Option<&'static str> {
    Some(match code {
        80000 => "ads_insights",
        80001 => "pages",
        80002 => "instagram",
        80003 => "custom_audience",
        80004 => "ads_management",
        80005 => "leadgen",
        80006 => "messenger",
        80008 => "whatsapp_business_management",
        80009 => "catalog_management",
        80014 => "catalog_batch",
        80007 | 80010..=80013 => "business use case",
        _ => return None,
    })
}

/// Sorts vendor errors into [`Disposition`]s (see the [module table](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Classifier {
    /// Least wait after a Meta throttle (4, 17, 32, 613, 80000-80014) that states no time.
    pub throttle_wait_ms: u64,
    /// Least wait after an HTTP 429 without `Retry-After`.
    pub http_429_wait_ms: u64,
    /// Least wait after Google Ads `RESOURCE_TEMPORARILY_EXHAUSTED` without `retry_delay`.
    pub google_temporary_wait_ms: u64,
    /// Daily quotas reset at midnight in UTC plus this many minutes.
    pub quota_reset_offset_minutes: i32,
}

impl Default for Classifier {
    fn default() -> Self {
        Classifier { throttle_wait_ms: 60_000, http_429_wait_ms: 1_000, google_temporary_wait_ms: 1_000, quota_reset_offset_minutes: 0 }
    }
}

impl Classifier {
    /// Check deserialised settings.
    ///
    /// # Errors
    /// `out_of_range` when `quota_reset_offset_minutes` is outside -1440..=1440.
    pub fn validate(&self) -> Result<()> {
        let m = self.quota_reset_offset_minutes;
        if !(-1440..=1440).contains(&m) {
            return Err(Error::OutOfRange { field: "quota_reset_offset_minutes".into(), value: f64::from(m), min: -1440.0, max: 1440.0 });
        }
        Ok(())
    }

    /// The first daily quota reset strictly after `now_ms`.
    pub fn next_quota_reset(&self, now_ms: i64) -> i64 {
        let off = i64::from(self.quota_reset_offset_minutes) * 60_000;
        let local = now_ms.saturating_add(off);
        (local.div_euclid(DAY_MS) + 1).saturating_mul(DAY_MS).saturating_sub(off)
    }

    /// Whether `error`, the failure of a whole call, is the vendor's answer that it did not
    /// carry the call out: a throttle or a refusal (`back_off` or `give_up`). `false` for no
    /// answer, a server error or anything else [`classify`](Self::classify) retries, and for a
    /// broken adapter (kind `adapter`): after those the call may have been applied.
    ///
    /// ```
    /// use channelwise::platform::adapter::PlatformError;
    /// use channelwise::platform::policy::Classifier;
    /// let c = Classifier::default();
    /// assert!(c.refused(&PlatformError::Http { status: 400, retry_after_ms: None }, 0));
    /// assert!(c.refused(&PlatformError::Http { status: 429, retry_after_ms: None }, 0));
    /// assert!(!c.refused(&PlatformError::Http { status: 503, retry_after_ms: None }, 0));
    /// assert!(!c.refused(&PlatformError::Timeout, 0));
    /// assert!(!c.refused(&PlatformError::Adapter { message: "wrong shape".into() }, 0));
    /// ```
    pub fn refused(&self, error: &PlatformError, now_ms: i64) -> bool {
        !matches!(error, PlatformError::Adapter { .. }) && self.classify(error, now_ms) != Disposition::Retry
    }

    /// What to do about `error`, seen at `now_ms`.
    pub fn classify(&self, error: &PlatformError, now_ms: i64) -> Disposition {
        use Disposition::{BackOff, GiveUp, Retry};
        match error {
            PlatformError::Timeout | PlatformError::Transport { .. } => Retry,
            PlatformError::Adapter { .. } => GiveUp { retry_at_ms: None },
            PlatformError::Http { status, retry_after_ms } => match *status {
                429 => BackOff { min_wait_ms: retry_after_ms.unwrap_or(self.http_429_wait_ms) },
                408 | 500..=599 => Retry,
                _ => GiveUp { retry_at_ms: None },
            },
            PlatformError::Meta { code, subcode, retry_after_ms, .. } => {
                let throttle = BackOff { min_wait_ms: retry_after_ms.unwrap_or(self.throttle_wait_ms) };
                match (*code, *subcode) {
                    (2, Some(1_504_041 | 1_504_042)) => GiveUp { retry_at_ms: None },
                    (1 | 2, _) | (100, Some(1_504_018)) | (-2, Some(2_490_547)) => Retry,
                    (4 | 17 | 32 | 613, _) => throttle,
                    (c, _) if meta_business_use_case(c).is_some() => throttle,
                    _ => GiveUp { retry_at_ms: None },
                }
            }
            PlatformError::GoogleAds { code, retry_delay_ms, .. } => match code.as_str() {
                "RESOURCE_TEMPORARILY_EXHAUSTED" => BackOff { min_wait_ms: retry_delay_ms.unwrap_or(self.google_temporary_wait_ms) },
                "EXCESSIVE_SHORT_TERM_QUERY_RESOURCE_CONSUMPTION" => BackOff { min_wait_ms: retry_delay_ms.unwrap_or(self.throttle_wait_ms) },
                "RESOURCE_EXHAUSTED" | "EXCESSIVE_LONG_TERM_QUERY_RESOURCE_CONSUMPTION" => GiveUp { retry_at_ms: Some(self.next_quota_reset(now_ms)) },
                "INTERNAL_ERROR" | "TRANSIENT_ERROR" | "DEADLINE_EXCEEDED" | "UNAVAILABLE" => Retry,
                _ => GiveUp { retry_at_ms: None },
            },
        }
    }
}

/// Why [`RetryPolicy::next`] says stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Stop {
    /// The classifier said give up.
    GiveUp {
        /// When the call could succeed again, if ever.
        retry_at_ms: Option<i64>,
    },
    /// `max_attempts` attempts have failed.
    AttemptsExhausted,
    /// The retry budget is spent (the platform fails too often).
    BudgetExhausted,
}

/// The answer of [`RetryPolicy::next`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "next", rename_all = "snake_case")]
pub enum Next {
    /// Try again at this instant (ms since the epoch).
    RetryAt {
        /// When.
        at_ms: i64,
    },
    /// Do not try again.
    Stop(Stop),
}

/// Backoff, retry budget and classifier together: after a failure, when (or whether) to retry.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryPolicy {
    /// Waits between attempts and how many attempts.
    pub backoff: Backoff,
    /// Shared budget of retries.
    pub budget: RetryBudget,
    /// How errors are sorted.
    pub classifier: Classifier,
}

impl RetryPolicy {
    /// Check every part.
    ///
    /// # Errors
    /// The errors of [`Backoff::validate`], [`RetryBudget::validate`] and
    /// [`Classifier::validate`].
    pub fn validate(&self) -> Result<()> {
        self.backoff.validate()?;
        self.budget.validate()?;
        self.classifier.validate()
    }

    /// After failed attempt number `failed` (0 for the first attempt) with `error` at `now_ms`:
    /// record the failure in `budget`, then retry at `now + max(backoff delay, least wait)` or
    /// stop. `seed` picks the jitter (use one per operation, e.g. a hash of its key).
    pub fn next(&self, error: &PlatformError, failed: u32, budget: &mut RetryBudgetState, now_ms: i64, seed: u64) -> Next {
        self.budget.on_failure(budget);
        let min_wait = match self.classifier.classify(error, now_ms) {
            Disposition::GiveUp { retry_at_ms } => return Next::Stop(Stop::GiveUp { retry_at_ms }),
            Disposition::Retry => 0,
            Disposition::BackOff { min_wait_ms } => min_wait_ms,
        };
        if failed.saturating_add(1) >= self.backoff.max_attempts {
            return Next::Stop(Stop::AttemptsExhausted);
        }
        if !self.budget.can_retry(budget) {
            return Next::Stop(Stop::BudgetExhausted);
        }
        let wait = self.backoff.delay_ms(failed, seed).max(min_wait);
        Next::RetryAt { at_ms: now_ms.saturating_add(i64::try_from(wait).unwrap_or(i64::MAX)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refills_in_whole_tokens() {
        let b = TokenBucket::new(2, 1000).unwrap();
        let s = BucketState { tokens: 0, at_ms: 0 };
        assert_eq!(b.refill(s, 999), s);
        assert_eq!(b.refill(s, 1000), BucketState { tokens: 1, at_ms: 1000 });
        assert_eq!(b.refill(s, 1500), BucketState { tokens: 1, at_ms: 1000 });
        assert_eq!(b.refill(s, 5000), BucketState { tokens: 2, at_ms: 5000 });
        assert_eq!(b.refill(s, -5), s);
        assert_eq!(b.try_take(s, 1500, 2), Take::Denied { state: BucketState { tokens: 1, at_ms: 1000 }, retry_in_ms: 500 });
        assert_eq!(b.try_take(s, 0, 3), Take::TooLarge);
    }

    #[test]
    fn bad_settings_name_the_field() {
        assert!(TokenBucket::new(0, 1).unwrap_err().to_string().contains("capacity"));
        assert!(Backoff::new(10, 5, 3).unwrap_err().to_string().contains("cap_ms"));
        assert!(RetryBudget::new(10.0, 11.0).unwrap_err().to_string().contains("token_ratio"));
        let c = Classifier { quota_reset_offset_minutes: 2000, ..Classifier::default() };
        assert!(c.validate().unwrap_err().to_string().contains("quota_reset_offset_minutes"));
    }
}
