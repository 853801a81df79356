//! The traits an ad platform adapter implements, and the plain data that crosses them.
//!
//! channelwise decides; a platform spends. The library holds no network code (sans-I/O): a user
//! implements [`ReadMetrics`] and [`ApplyChanges`] over their own HTTP client for Meta, Google
//! Ads or anything else, and the decision code above only sees these types. The simulated
//! market ([`crate::platform::sim`]) implements the same traits, so decisions are tested without
//! money.
//!
//! | Type | What it carries |
//! |---|---|
//! | [`MetricsQuery`] -> [`MetricsRow`] | daily spend, impressions, clicks, conversions and value by entity (campaign or ad set) |
//! | [`Change`] -> [`ChangeResult`] | a budget, bid or status change with its [`IdempotencyKey`]; one result per item, so a batch can fail in part |
//! | [`EntityState`] | what the platform holds for an entity now: read back to verify a change ([`Change::is_reflected_in`]) |
//! | [`PlatformError`] | a failure as the vendor reported it (HTTP status, Meta code and subcode, Google Ads error name), classified by [`crate::platform::policy::Classifier`] |
//! | [`Clock`] | the time, injectable: [`SystemClock`] in production, [`ManualClock`] in tests and the simulator |
//!
//! Times are milliseconds since the Unix epoch (UTC) as `i64`; dates are calendar days
//! ([`Date`], `"YYYY-MM-DD"` in JSON); money is in currency units (dollars, not cents).
//!
//! # Idempotency
//! Every change carries a key chosen by the caller (a decision id and a step, say). An adapter
//! must apply a key at most once: a retry with the same key after a timeout returns the first
//! outcome instead of applying again, and the same key with a different change is refused. Where
//! the vendor has no idempotency keys, the adapter keeps the keys itself (and reads the entity
//! back before retrying).
//!
//! # JSON
//! ```json
//! {"key": "d42-1", "entity": "adset-7", "action": {"kind": "budget", "daily": 250.0}}
//! {"key": "d42-1", "entity": "adset-7", "outcome": {"status": "applied", "state": {...}}}
//! {"entity": "adset-7", "date": "2026-03-01", "spend": 249.3, "impressions": 31012,
//!  "clicks": 402, "conversions": 17.0, "value": 1190.5, "currency": "USD"}
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};

use serde::{Deserialize, Serialize};

use crate::calendar::{civil_from_days, days_from_civil};
use crate::{Error, Result};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// A source of the current time, in milliseconds since the Unix epoch (UTC).
///
/// Pass a clock wherever code needs "now", so tests and the simulator decide what time it is.
///
/// ```
/// use channelwise::platform::adapter::{Clock, ManualClock, DAY_MS};
/// let clock = ManualClock::new(0);
/// clock.advance(DAY_MS);
/// assert_eq!(clock.now_ms(), 86_400_000);
/// ```
pub trait Clock {
    /// The current time in milliseconds since 1970-01-01T00:00:00Z.
    fn now_ms(&self) -> i64;
}

/// The operating system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        }
    }
}

/// A clock that moves only when told to (thread-safe).
#[derive(Debug, Default)]
pub struct ManualClock {
    now: AtomicI64,
}

impl Clone for ManualClock {
    /// A clock of its own, at the same time.
    fn clone(&self) -> Self {
        ManualClock::new(self.now_ms())
    }
}

impl ManualClock {
    /// A clock showing `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        ManualClock { now: AtomicI64::new(now_ms) }
    }

    /// Set the time (it may go backwards; nothing here checks).
    pub fn set(&self, now_ms: i64) {
        self.now.store(now_ms, Ordering::SeqCst);
    }

    /// Move the time forward by `ms` (saturating).
    pub fn advance(&self, ms: i64) {
        let t = self.now.load(Ordering::SeqCst);
        self.now.store(t.saturating_add(ms), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }
}

/// A calendar day (proleptic Gregorian, UTC), stored as days since 1970-01-01 and written
/// `"YYYY-MM-DD"`.
///
/// ```
/// use channelwise::platform::adapter::Date;
/// let d: Date = "2024-02-29".parse()?;
/// assert_eq!(d.days(), 19_782);
/// assert_eq!(d.add_days(1).to_string(), "2024-03-01");
/// assert_eq!(d.weekday(), 3); // Thursday (Monday = 0)
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(i32);

impl Date {
    /// The day `days` after 1970-01-01 (negative: before).
    pub fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// The day containing the instant `ms` (UTC).
    pub fn from_ms(ms: i64) -> Date {
        Date(ms.div_euclid(DAY_MS).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    }

    /// A date from year, month (1-12) and day (1-31).
    ///
    /// # Errors
    /// `invalid_parameter` (field `date`) when the day does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Date> {
        let bad = |reason: &str| Error::InvalidParameter {
            field: "date".into(),
            value: format!("{year:04}-{month:02}-{day:02}"),
            reason: reason.into(),
        };
        if !(1..=12).contains(&month) {
            return Err(bad("month must be 1-12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(bad("no such day in that month"));
        }
        Ok(Date(days_from_civil(i64::from(year), month, day) as i32))
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// Midnight (UTC) at the start of this day, in ms since the epoch.
    pub fn start_ms(self) -> i64 {
        i64::from(self.0) * DAY_MS
    }

    /// This day moved by `n` days.
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0.saturating_add(n))
    }

    /// Day of the week, Monday = 0 ... Sunday = 6 (ISO order).
    pub fn weekday(self) -> usize {
        // 1970-01-01 was a Thursday (3).
        (i64::from(self.0) + 3).rem_euclid(7) as usize
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        let (y, m, d) = civil_from_days(i64::from(self.0));
        (y as i32, m, d)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Date {
    type Err = Error;

    /// Parse `"YYYY-MM-DD"`.
    fn from_str(s: &str) -> Result<Date> {
        let bad = || Error::InvalidParameter {
            field: "date".into(),
            value: s.into(),
            reason: "expected YYYY-MM-DD".into(),
        };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32> {
            let part = &s[r];
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse::<u32>().map_err(|_| bad())
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::from_ymd(y as i32, m, d)
    }
}

impl TryFrom<String> for Date {
    type Error = Error;
    fn try_from(s: String) -> Result<Date> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// Which entities a metrics query reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Campaigns.
    #[default]
    Campaign,
    /// Ad sets (Meta) or ad groups (Google Ads).
    AdSet,
}

/// A request for daily metrics: `from` to `to`, both days included.
///
/// ```
/// use channelwise::platform::adapter::{Date, MetricsQuery};
/// let q = MetricsQuery::new("2026-01-01".parse()?, "2026-01-07".parse()?)?;
/// assert_eq!(q.days(), 7);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsQuery {
    /// Level of the entities.
    #[serde(default)]
    pub level: Level,
    /// Entity ids; empty means every entity at the level.
    #[serde(default)]
    pub entities: Vec<String>,
    /// First day.
    pub from: Date,
    /// Last day (included).
    pub to: Date,
}

impl MetricsQuery {
    /// Every campaign from `from` to `to`.
    ///
    /// # Errors
    /// `invalid_parameter` (field `to`) when `to` is before `from`.
    pub fn new(from: Date, to: Date) -> Result<Self> {
        let q = MetricsQuery { level: Level::Campaign, entities: Vec::new(), from, to };
        q.validate()?;
        Ok(q)
    }

    /// Only these entities.
    pub fn entities<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.entities = ids.into_iter().map(Into::into).collect();
        self
    }

    /// At this level.
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Number of days covered.
    pub fn days(&self) -> usize {
        (i64::from(self.to.days()) - i64::from(self.from.days()) + 1).max(0) as usize
    }

    /// Check `from <= to`.
    ///
    /// # Errors
    /// `invalid_parameter` (field `to`) when `to` is before `from`.
    pub fn validate(&self) -> Result<()> {
        if self.to < self.from {
            return Err(Error::InvalidParameter {
                field: "to".into(),
                value: self.to.to_string(),
                reason: format!("before from = {}", self.from),
            });
        }
        Ok(())
    }
}

/// One entity's metrics for one day, in currency units: the shape every module downstream
/// reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsRow {
    /// Campaign or ad set id.
    pub entity: String,
    /// The day (in the account's time zone).
    pub date: Date,
    /// Spend in currency units (not minor units, not micros).
    pub spend: f64,
    /// Impressions.
    pub impressions: u64,
    /// Clicks.
    pub clicks: u64,
    /// Conversions reported so far (may grow on later reads while reporting catches up).
    pub conversions: f64,
    /// Conversion value in currency units.
    pub value: f64,
    /// ISO 4217 code, e.g. `"USD"`.
    pub currency: String,
}

/// Whether an entity delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Delivering.
    Active,
    /// Stopped; can be resumed.
    Paused,
}

/// A caller-chosen key that makes a change safe to retry: applied at most once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The most bytes a key may have.
    pub const MAX_LEN: usize = 255;

    /// A key of 1 to 255 bytes.
    ///
    /// # Errors
    /// `invalid_parameter` (field `key`) when empty or longer than 255 bytes.
    pub fn new(key: impl Into<String>) -> Result<Self> {
        let key = key.into();
        if key.is_empty() || key.len() > Self::MAX_LEN {
            return Err(Error::InvalidParameter {
                field: "key".into(),
                value: key.chars().take(64).collect(),
                reason: format!("must be 1 to {} bytes, got {}", Self::MAX_LEN, key.len()),
            });
        }
        Ok(IdempotencyKey(key))
    }

    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a change does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Set the daily budget (currency units).
    Budget {
        /// New daily budget, `>= 0`.
        daily: f64,
    },
    /// Set the bid (cost cap or max CPC, currency units).
    Bid {
        /// New bid, `> 0`.
        amount: f64,
    },
    /// Pause or resume.
    Status {
        /// New status.
        status: Status,
    },
}

impl Action {
    /// Check the amounts.
    ///
    /// # Errors
    /// `non_finite` / `out_of_range` for a NaN or negative budget (field `daily`) or a bid not
    /// above 0 (field `amount`).
    pub fn validate(&self) -> Result<()> {
        let (field, v, min) = match *self {
            Action::Budget { daily } => ("daily", daily, 0.0),
            Action::Bid { amount } => ("amount", amount, f64::MIN_POSITIVE),
            Action::Status { .. } => return Ok(()),
        };
        if !v.is_finite() {
            return Err(Error::NonFinite { field: field.into(), value: v });
        }
        if v < min {
            return Err(Error::OutOfRange { field: field.into(), value: v, min, max: f64::INFINITY });
        }
        Ok(())
    }
}

/// One change to one entity, with its idempotency key.
///
/// ```
/// use channelwise::platform::adapter::{Action, Change};
/// let c = Change::new("decision-42/1", "adset-7", Action::Budget { daily: 250.0 })?;
/// assert_eq!(c.key.as_str(), "decision-42/1");
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Applied at most once.
    pub key: IdempotencyKey,
    /// Campaign or ad set id.
    pub entity: String,
    /// What to do.
    pub action: Action,
}

impl Change {
    /// A checked change.
    ///
    /// # Errors
    /// The errors of [`IdempotencyKey::new`] and [`Action::validate`]; `invalid_parameter`
    /// (field `entity`) for an empty entity id.
    pub fn new(key: impl Into<String>, entity: impl Into<String>, action: Action) -> Result<Self> {
        let c = Change { key: IdempotencyKey::new(key)?, entity: entity.into(), action };
        c.validate()?;
        Ok(c)
    }

    /// Check a deserialised change.
    ///
    /// # Errors
    /// As [`Change::new`].
    pub fn validate(&self) -> Result<()> {
        IdempotencyKey::new(self.key.as_str())?;
        if self.entity.is_empty() {
            return Err(Error::InvalidParameter {
                field: "entity".into(),
                value: String::new(),
                reason: "empty entity id".into(),
            });
        }
        self.action.validate()
    }

    /// Whether a read-back state shows this change in effect (budgets and bids to a cent).
    ///
    /// ```
    /// use channelwise::platform::adapter::{Action, Change, EntityState, Status};
    /// let c = Change::new("k1", "c1", Action::Status { status: Status::Paused })?;
    /// let mut s = EntityState { entity: "c1".into(), daily_budget: 100.0, bid: None,
    ///                           status: Status::Active, updated_ms: 0 };
    /// assert!(!c.is_reflected_in(&s));
    /// s.status = Status::Paused;
    /// assert!(c.is_reflected_in(&s));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn is_reflected_in(&self, state: &EntityState) -> bool {
        if state.entity != self.entity {
            return false;
        }
        let near = |a: f64, b: f64| (a - b).abs() < 0.005;
        match self.action {
            Action::Budget { daily } => near(state.daily_budget, daily),
            Action::Bid { amount } => state.bid.is_some_and(|b| near(b, amount)),
            Action::Status { status } => state.status == status,
        }
    }
}

/// What the platform holds for an entity (the read-back of [`ApplyChanges::read_entity`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityState {
    /// Campaign or ad set id.
    pub entity: String,
    /// Daily budget in currency units.
    pub daily_budget: f64,
    /// Bid in currency units, if the entity has one.
    pub bid: Option<f64>,
    /// Delivering or paused.
    pub status: Status,
    /// When the platform last changed it (ms since the epoch).
    pub updated_ms: i64,
}

/// A failure as the vendor reported it; [`crate::platform::policy::Classifier`] turns it into
/// retry, back off or give up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlatformError {
    /// No answer in time: the request may or may not have been applied.
    Timeout,
    /// The connection failed before an answer (reset, DNS, TLS).
    Transport {
        /// What happened.
        message: String,
    },
    /// The adapter broke its own contract (an answer of the wrong shape, a missing method, an
    /// exception the binding cannot read as a vendor's answer): not retried, and whatever it
    /// was asked to do may have been done.
    Adapter {
        /// What was wrong.
        message: String,
    },
    /// An HTTP status without a vendor error body.
    Http {
        /// Status code, e.g. 429 or 503.
        status: u16,
        /// The `Retry-After` header, in ms, if sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
    /// A Graph / Marketing API error object (`error.code`, `error.error_subcode`).
    Meta {
        /// `error.code`, e.g. 17 or 80004.
        code: i64,
        /// `error.error_subcode`, e.g. 2446079.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subcode: Option<i64>,
        /// `error.message`.
        #[serde(default)]
        message: String,
        /// `estimated_time_to_regain_access` from `X-Business-Use-Case-Usage` (sent in
        /// minutes), here in ms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
    /// A Google Ads API error (`GoogleAdsFailure.errors[].error_code`), e.g.
    /// `quota_error: RESOURCE_TEMPORARILY_EXHAUSTED`.
    GoogleAds {
        /// The enum value name, e.g. `"RESOURCE_TEMPORARILY_EXHAUSTED"` or `"INTERNAL_ERROR"`.
        code: String,
        /// `QuotaErrorDetails.retry_delay`, in ms, if present.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_delay_ms: Option<u64>,
        /// The error message.
        #[serde(default)]
        message: String,
    },
}

impl fmt::Display for PlatformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlatformError::Timeout => f.write_str("timeout"),
            PlatformError::Transport { message } => write!(f, "transport: {message}"),
            PlatformError::Adapter { message } => write!(f, "adapter: {message}"),
            PlatformError::Http { status, .. } => write!(f, "HTTP {status}"),
            PlatformError::Meta { code, subcode: Some(s), message, .. } => write!(f, "Meta error {code}/{s}: {message}"),
            PlatformError::Meta { code, message, .. } => write!(f, "Meta error {code}: {message}"),
            PlatformError::GoogleAds { code, message, .. } => write!(f, "Google Ads {code}: {message}"),
        }
    }
}

/// The outcome of one item of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Applied now; the entity as it is after the change.
    Applied {
        /// Read-back of the entity.
        state: EntityState,
    },
    /// This key was applied before: nothing was done again; the entity as it is now.
    AlreadyApplied {
        /// Read-back of the entity.
        state: EntityState,
    },
    /// Not applied.
    Failed {
        /// Why.
        error: PlatformError,
    },
}

/// One item's result, in the order of the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeResult {
    /// The change's key.
    pub key: IdempotencyKey,
    /// The change's entity.
    pub entity: String,
    /// What happened.
    pub outcome: Outcome,
}

impl ChangeResult {
    /// Applied now or before.
    pub fn is_success(&self) -> bool {
        !matches!(self.outcome, Outcome::Failed { .. })
    }
}

/// Reads daily metrics from a platform.
pub trait ReadMetrics {
    /// Daily rows for the query, one per entity and day with data.
    ///
    /// # Errors
    /// The whole request failed: a [`PlatformError`] to classify.
    fn read_metrics(&mut self, query: &MetricsQuery) -> std::result::Result<Vec<MetricsRow>, PlatformError>;
}

/// Applies changes to a platform and reads entities back.
pub trait ApplyChanges {
    /// Apply a batch; one [`ChangeResult`] per change, in order. Items fail separately
    /// (partial failure); a key seen before is not applied again.
    ///
    /// # Errors
    /// The whole request failed. When the vendor answered that it did not carry the request out
    /// (a 4xx status, a rate limit, a vendor error the classifier backs off from or gives up on:
    /// [`Classifier::refused`](crate::platform::policy::Classifier::refused)), nothing was
    /// applied. Otherwise (a timeout, a 5xx, a transport or adapter failure) some changes may
    /// have been applied all the same (a lost acknowledgement), so retry with the same keys or
    /// read back.
    fn apply_changes(&mut self, changes: &[Change]) -> std::result::Result<Vec<ChangeResult>, PlatformError>;

    /// The entity as the platform holds it now, to verify a change.
    ///
    /// # Errors
    /// The request failed, or the entity is unknown (a vendor error).
    fn read_entity(&mut self, entity: &str) -> std::result::Result<EntityState, PlatformError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_reject() {
        for s in ["1970-01-01", "2000-02-29", "2026-12-31", "1969-12-31"] {
            let d: Date = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
        assert_eq!("1969-12-31".parse::<Date>().unwrap().days(), -1);
        for s in ["2023-02-29", "2026-13-01", "2026-1-01", "20260101", "2026-01-0x", "+026-01-01"] {
            let e = s.parse::<Date>().unwrap_err();
            assert_eq!(e.kind().code(), "invalid_parameter", "{s}");
        }
        assert_eq!(Date::from_ms(-1).days(), -1);
        assert_eq!(Date::from_days(0).weekday(), 3);
    }

    #[test]
    fn json_shapes() {
        let c = Change::new("k", "e", Action::Budget { daily: 5.0 }).unwrap();
        let j = serde_json::to_string(&c).unwrap();
        assert_eq!(j, r#"{"key":"k","entity":"e","action":{"kind":"budget","daily":5.0}}"#);
        let e = PlatformError::Meta { code: 17, subcode: Some(2446079), message: String::new(), retry_after_ms: None };
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"kind":"meta","code":17,"subcode":2446079,"message":""}"#);
        let d: Date = serde_json::from_str("\"2026-03-01\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-03-01\"");
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    }

    #[test]
    fn bad_changes_name_the_field() {
        let e = Change::new("", "e", Action::Status { status: Status::Active }).unwrap_err();
        assert!(e.to_string().contains("key"));
        let e = Change::new("k", "e", Action::Budget { daily: -1.0 }).unwrap_err();
        assert!(e.to_string().contains("daily"));
        let e = Change::new("k", "e", Action::Bid { amount: f64::NAN }).unwrap_err();
        assert!(e.to_string().contains("amount"));
        let e = Change::new("k", "", Action::Bid { amount: 1.0 }).unwrap_err();
        assert!(e.to_string().contains("entity"));
    }
}
