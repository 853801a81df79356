//! A simulated ad market that implements the adapter traits, so decisions are tested without
//! money: campaigns whose conversions follow response curves, with weekly seasonality, noise,
//! reporting delay, rate limits, and faults injected at seeded rates.
//!
//! # The market
//! Each campaign (one ad set of the same id, so both [`Level`](crate::platform::adapter::Level)s
//! answer alike) spends its daily budget while active, scaled down by `bid / reference_bid`
//! when both are set. On day `t` its expected conversions are `curve(x_t) * weekly[weekday]`,
//! with `x_t` the spend adstocked over the days before (pymc-marketing's convention, see
//! [`crate::optimize::response`]); the day's conversions are Poisson with that mean times a
//! log-normal factor `exp(noise z - noise^2 / 2)` (mean 1); impressions are Poisson with mean
//! `spend / cpm * 1000` and clicks Poisson with mean `impressions * ctr` (at most the
//! impressions); value is `value_per_conversion` per conversion.
//!
//! A day is simulated when the clock passes its end (midnight UTC), with the settings in force
//! then. Its conversions are then split over reporting lags (a multinomial draw with
//! `reporting_delay` as the shares): lag `l` shows in reads once day `t + l` has ended, so a
//! read of recent days shows fewer conversions than a read a week later. Spend, impressions and
//! clicks show in full as soon as the day has ended.
//!
//! # Settings ([`SimConfig`])
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `seed` | 0 | every random draw: the market from ChaCha8 stream `1 + 65536 day + campaign`, faults from stream 0 | any |
//! | `start` | `"2026-01-05"` (a Monday) | the first simulated day; the clock starts at its midnight | `0001-01-01` to `9999-12-31` |
//! | `account` | `"act_sim"` | account id, for rate limits | non-empty |
//! | `currency` | `"USD"` | currency of every row | three letters A-Z |
//! | `campaigns` | two examples, see [`SimCampaign`] | the market | 1 to 65536, ids unique and non-empty |
//! | `weekly` | `[1.05, 1.05, 1.0, 1.0, 0.95, 0.9, 0.95]` | conversion multiplier Monday..Sunday | each finite, >= 0 |
//! | `noise` | 0.1 | log-sd of the daily conversion-rate factor | [0, 2] |
//! | `reporting_delay` | `[0.6, 0.25, 0.1, 0.05]` | share of a day's conversions reported 0, 1, 2, ... days after it | each >= 0, sum 1 (to 1e-9), at most 60 |
//! | `limits` | account 600 an hour, entity [`TokenBucket::META_ADSET_BUDGET`] | every call takes an account token; a budget change also an entity token | valid buckets |
//! | `faults` | all 0 | injected faults, see [`Faults`] | each in [0, 1] |
//!
//! A market simulates at most [`SimMarket::MAX_DAYS`] days (100 years) and its clock stays
//! within the years 1 to 9999 (what Python's `datetime.date` holds): moving it further is
//! `out_of_range`, and the market is left as it was.
//!
//! # Faults ([`Faults`])
//! Each call draws its faults from the fault stream, in a fixed order, whether they fire or not,
//! so the schedule depends only on the seed and the sequence of calls ([`SimMarket::fault_log`]).
//!
//! | Name | Meaning |
//! |---|---|
//! | `timeout` | the call times out; nothing applied |
//! | `server_error` | the call fails with HTTP 503; nothing applied |
//! | `item_failure` | per change: the item fails (Meta code 2, temporary) while the rest apply (partial success) |
//! | `lost_ack` | the changes apply but the answer is lost: the caller sees a timeout |
//! | `duplicate` | the request is delivered twice; the idempotency keys make the second a no-op |
//! | `stale_read` | a read answers from a day ago: metrics as of the previous midnight, an entity as it was before its last change |
//!
//! Throttling answers as Meta does: an empty account bucket fails the call with code 80004
//! (reads: 80000) and `retry_after_ms`, an empty ad set bucket fails that budget change with
//! code 17. A key applied before answers [`Outcome::AlreadyApplied`]; a key reused for a
//! different change fails with code 100.
//!
//! ```
//! use channelwise::platform::adapter::{Action, ApplyChanges, Change, Date, MetricsQuery, ReadMetrics};
//! use channelwise::platform::sim::{SimConfig, SimMarket};
//!
//! let mut market = SimMarket::new(SimConfig { seed: 7, ..SimConfig::default() })?;
//! market.run_days(14)?;
//! let q = MetricsQuery::new(market.config().start, market.today().add_days(-1))?;
//! let rows = market.read_metrics(&q).expect("no faults configured");
//! assert_eq!(rows.len(), 2 * 14);
//! let change = Change::new("plan-1/search", "search", Action::Budget { daily: 120.0 })?;
//! let results = market.apply_changes(&[change.clone()]).expect("no faults configured");
//! assert!(results[0].is_success());
//! assert!(change.is_reflected_in(&market.read_entity("search").expect("known entity")));
//! # Ok::<(), channelwise::Error>(())
//! ```

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution, Poisson, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::optimize::response::{check, Adstock, Saturation};
use crate::platform::adapter::{
    Action, ApplyChanges, Change, ChangeResult, Clock, Date, EntityState, IdempotencyKey, ManualClock, MetricsQuery, MetricsRow, Outcome,
    PlatformError, ReadMetrics, Status, DAY_MS,
};
use crate::platform::policy::{LimiterState, RateLimits, TokenBucket};
use crate::{Error, Result};

/// 0001-01-01 and 9999-12-31 (days since 1970-01-01): the days every stack's date type holds
/// (Python's `datetime.date` holds these years only).
const FIRST_DAY: i32 = -719_162;
const LAST_DAY: i32 = 2_932_896;

/// One simulated campaign.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `id` | - | entity id | non-empty, unique |
/// | `daily_budget` | - | starting daily budget, currency units | finite, >= 0 |
/// | `bid` | none | starting bid | finite, > 0 |
/// | `reference_bid` | none | the bid that wins all the budget can buy; below it delivery is `bid / reference_bid` | finite, > 0 |
/// | `status` | `active` | starting status | `active`, `paused` |
/// | `curve` | - | expected conversions a day against adstocked spend | a valid [`Saturation`] |
/// | `adstock` | none (no carry-over) | carry-over of spend | a valid [`Adstock`] |
/// | `value_per_conversion` | 50 | value of one conversion | finite, >= 0 |
/// | `cpm` | 10 | cost per thousand impressions | finite, > 0 |
/// | `ctr` | 0.01 | clicks per impression | [0, 1] |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimCampaign {
    /// Entity id.
    pub id: String,
    /// Starting daily budget.
    pub daily_budget: f64,
    /// Starting bid.
    #[serde(default)]
    pub bid: Option<f64>,
    /// Bid at which delivery is full.
    #[serde(default)]
    pub reference_bid: Option<f64>,
    /// Starting status.
    #[serde(default = "active")]
    pub status: Status,
    /// Conversions a day against adstocked spend.
    pub curve: Saturation,
    /// Carry-over of spend.
    #[serde(default)]
    pub adstock: Option<Adstock>,
    /// Value of one conversion.
    #[serde(default = "default_value_per_conversion")]
    pub value_per_conversion: f64,
    /// Cost per thousand impressions.
    #[serde(default = "default_cpm")]
    pub cpm: f64,
    /// Clicks per impression.
    #[serde(default = "default_ctr")]
    pub ctr: f64,
}

fn active() -> Status {
    Status::Active
}
fn default_value_per_conversion() -> f64 {
    50.0
}
fn default_cpm() -> f64 {
    10.0
}
fn default_ctr() -> f64 {
    0.01
}

impl SimCampaign {
    /// An active campaign with the default value, CPM and CTR, no bid and no carry-over.
    pub fn new(id: impl Into<String>, daily_budget: f64, curve: Saturation) -> Self {
        SimCampaign {
            id: id.into(),
            daily_budget,
            bid: None,
            reference_bid: None,
            status: Status::Active,
            curve,
            adstock: None,
            value_per_conversion: default_value_per_conversion(),
            cpm: default_cpm(),
            ctr: default_ctr(),
        }
    }
}

/// Fault rates, each the chance per call (per change for `item_failure`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// The call times out, nothing applied.
    pub timeout: f64,
    /// HTTP 503, nothing applied.
    pub server_error: f64,
    /// One change fails while the others apply.
    pub item_failure: f64,
    /// Applied, but the answer is lost (a timeout).
    pub lost_ack: f64,
    /// The request is delivered twice.
    pub duplicate: f64,
    /// A read answers from a day ago.
    pub stale_read: f64,
}

impl Faults {
    /// Every fault at rate `p`.
    pub fn all(p: f64) -> Self {
        Faults { timeout: p, server_error: p, item_failure: p, lost_ack: p, duplicate: p, stale_read: p }
    }

    fn rates(&self) -> [(&'static str, f64); 6] {
        [
            ("faults.timeout", self.timeout),
            ("faults.server_error", self.server_error),
            ("faults.item_failure", self.item_failure),
            ("faults.lost_ack", self.lost_ack),
            ("faults.duplicate", self.duplicate),
            ("faults.stale_read", self.stale_read),
        ]
    }
}

/// The simulated market's settings (see the [module table](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Seed of every draw.
    pub seed: u64,
    /// First simulated day.
    pub start: Date,
    /// Account id.
    pub account: String,
    /// Currency code.
    pub currency: String,
    /// The campaigns.
    pub campaigns: Vec<SimCampaign>,
    /// Conversion multipliers, Monday first.
    pub weekly: [f64; 7],
    /// Log-sd of the daily conversion-rate factor.
    pub noise: f64,
    /// Shares of a day's conversions reported 0, 1, 2, ... days later.
    pub reporting_delay: Vec<f64>,
    /// Account and entity rate limits.
    pub limits: RateLimits,
    /// Fault rates.
    pub faults: Faults,
}

impl Default for SimConfig {
    fn default() -> Self {
        let mut social = SimCampaign::new("social", 150.0, Saturation::Hill { slope: 1.5, kappa: 200.0, beta: 12.0 });
        social.adstock = Some(Adstock::Geometric { alpha: 0.5, l_max: 7, normalize: true });
        social.cpm = 6.0;
        SimConfig {
            seed: 0,
            start: Date::from_days(20_458), // 2026-01-05, a Monday
            account: "act_sim".into(),
            currency: "USD".into(),
            campaigns: vec![SimCampaign::new("search", 100.0, Saturation::MichaelisMenten { alpha: 20.0, lam: 150.0 }), social],
            weekly: [1.05, 1.05, 1.0, 1.0, 0.95, 0.9, 0.95],
            noise: 0.1,
            reporting_delay: vec![0.6, 0.25, 0.1, 0.05],
            limits: RateLimits { account: TokenBucket { capacity: 600, refill_ms: 6_000 }, entity: TokenBucket::META_ADSET_BUDGET },
            faults: Faults::default(),
        }
    }
}

const INF: f64 = f64::INFINITY;

impl SimConfig {
    /// Check every setting.
    ///
    /// # Errors
    /// `not_enough_data` without campaigns; `invalid_parameter` for an empty or repeated
    /// campaign id, an empty account or a currency not of three letters A-Z; `out_of_range` /
    /// `non_finite` for a setting outside its range in the [module table](self), named by its
    /// path (`campaigns[1].cpm`, `weekly[5]`, `faults.timeout`); the curve and adstock errors of
    /// [`crate::optimize::response`].
    pub fn validate(&self) -> Result<()> {
        if !(FIRST_DAY..=LAST_DAY).contains(&self.start.days()) {
            return Err(Error::param("start", self.start, "expected a date from 0001-01-01 to 9999-12-31"));
        }
        if self.campaigns.is_empty() {
            return Err(Error::NotEnoughData { what: "campaigns".into(), required: 1, got: 0 });
        }
        if self.campaigns.len() > 65_536 {
            return Err(Error::OutOfRange { field: "campaigns".into(), value: self.campaigns.len() as f64, min: 1.0, max: 65_536.0 });
        }
        if self.account.is_empty() {
            return Err(Error::param("account", "", "empty account id"));
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::param("currency", &self.currency, "expected three letters A-Z (ISO 4217)"));
        }
        let mut seen = BTreeMap::new();
        for (i, c) in self.campaigns.iter().enumerate() {
            let f = |name: &str| format!("campaigns[{i}].{name}");
            if c.id.is_empty() {
                return Err(Error::param(f("id"), "", "empty campaign id"));
            }
            if let Some(j) = seen.insert(c.id.as_str(), i) {
                return Err(Error::param(f("id"), &c.id, format!("same id as campaigns[{j}]")));
            }
            check(&f("daily_budget"), c.daily_budget, 0.0, INF, false)?;
            if let Some(b) = c.bid {
                check(&f("bid"), b, 0.0, INF, true)?;
            }
            if let Some(b) = c.reference_bid {
                check(&f("reference_bid"), b, 0.0, INF, true)?;
            }
            c.curve.validate()?;
            if let Some(a) = &c.adstock {
                a.validate()?;
            }
            check(&f("value_per_conversion"), c.value_per_conversion, 0.0, INF, false)?;
            check(&f("cpm"), c.cpm, 0.0, INF, true)?;
            check(&f("ctr"), c.ctr, 0.0, 1.0, false)?;
        }
        for (d, &w) in self.weekly.iter().enumerate() {
            check(&format!("weekly[{d}]"), w, 0.0, INF, false)?;
        }
        check("noise", self.noise, 0.0, 2.0, false)?;
        let n = self.reporting_delay.len();
        if n == 0 || n > 60 {
            return Err(Error::OutOfRange { field: "reporting_delay".into(), value: n as f64, min: 1.0, max: 60.0 });
        }
        for (l, &s) in self.reporting_delay.iter().enumerate() {
            check(&format!("reporting_delay[{l}]"), s, 0.0, 1.0, false)?;
        }
        let sum: f64 = self.reporting_delay.iter().sum();
        if (sum - 1.0).abs() > 1e-9 {
            return Err(Error::param("reporting_delay", format!("{:?}", self.reporting_delay), format!("shares must sum to 1, got {sum}")));
        }
        self.limits.validate()?;
        for (field, p) in self.faults.rates() {
            check(field, p, 0.0, 1.0, false)?;
        }
        Ok(())
    }
}

/// A change the market applied (once per key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedChange {
    /// The key.
    pub key: IdempotencyKey,
    /// The entity.
    pub entity: String,
    /// What was done.
    pub action: Action,
    /// When (ms since the epoch).
    pub at_ms: i64,
}

/// A fault that fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// The call timed out, nothing applied.
    Timeout,
    /// HTTP 503.
    ServerError,
    /// One change failed.
    ItemFailure,
    /// Applied, answer lost.
    LostAck,
    /// Delivered twice.
    Duplicate,
    /// Answered from a day ago.
    StaleRead,
}

/// One entry of the fault schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultEvent {
    /// Call number, from 0, counting every adapter call.
    pub call: u64,
    /// When.
    pub at_ms: i64,
    /// What.
    pub kind: FaultKind,
}

/// One simulated day of one campaign, in full (what the platform will eventually report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DayRecord {
    spend: f64,
    impressions: u64,
    clicks: u64,
    /// Conversions by reporting lag.
    by_lag: Vec<u64>,
    value_per_conversion: f64,
}

#[derive(Debug, Clone, PartialEq)]
struct Entity {
    state: EntityState,
    /// The state before the last change (what a stale read shows).
    before: EntityState,
    /// Spend of every simulated day, oldest first.
    spend: Vec<f64>,
    days: Vec<DayRecord>,
}

/// The simulated market (see the [module docs](self)). A clone is a fork: the same state,
/// clock and random streams, so it answers as the original would have from here on (two plans
/// tried from the same day).
#[derive(Debug, Clone)]
pub struct SimMarket {
    config: SimConfig,
    clock: ManualClock,
    entities: Vec<Entity>,
    index: BTreeMap<String, usize>,
    /// Days simulated so far.
    simulated: usize,
    weights: Vec<Vec<f64>>,
    faults: ChaCha8Rng,
    calls: u64,
    keys: BTreeMap<IdempotencyKey, Change>,
    limiter: LimiterState,
    applied: Vec<AppliedChange>,
    fault_log: Vec<FaultEvent>,
}

/// The faults drawn for one call.
#[derive(Debug, Clone, Copy)]
struct Draw {
    timeout: bool,
    server_error: bool,
    lost_ack: bool,
    duplicate: bool,
    stale: bool,
}

impl SimMarket {
    /// A market at the start of `config.start`.
    ///
    /// # Errors
    /// The errors of [`SimConfig::validate`].
    pub fn new(config: SimConfig) -> Result<Self> {
        config.validate()?;
        let start = config.start.start_ms();
        let entities: Vec<Entity> = config
            .campaigns
            .iter()
            .map(|c| {
                let state = EntityState { entity: c.id.clone(), daily_budget: c.daily_budget, bid: c.bid, status: c.status, updated_ms: start };
                Entity { before: state.clone(), state, spend: Vec::new(), days: Vec::new() }
            })
            .collect();
        let index = config.campaigns.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        let weights = config.campaigns.iter().map(|c| c.adstock.map_or_else(|| vec![1.0], |a| a.weights())).collect();
        let mut faults = ChaCha8Rng::seed_from_u64(config.seed);
        faults.set_stream(0);
        Ok(SimMarket {
            clock: ManualClock::new(start),
            entities,
            index,
            simulated: 0,
            weights,
            faults,
            calls: 0,
            keys: BTreeMap::new(),
            limiter: LimiterState::default(),
            applied: Vec::new(),
            fault_log: Vec::new(),
            config,
        })
    }

    /// The settings.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The market's clock (it moves only through [`SimMarket::advance_ms`] and friends).
    pub fn clock(&self) -> &dyn Clock {
        &self.clock
    }

    /// Now, ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The current day (not yet simulated).
    pub fn today(&self) -> Date {
        Date::from_ms(self.now_ms())
    }

    /// Most days a market simulates: 100 years (its records grow by a day per campaign).
    pub const MAX_DAYS: usize = 36_525;

    /// The last instant the clock may show (ms since the epoch): midnight after
    /// [`SimMarket::MAX_DAYS`] days, or the last ms of 9999-12-31, whichever is first.
    pub fn end_ms(&self) -> i64 {
        let days = self.config.start.add_days(Self::MAX_DAYS as i32).start_ms();
        days.min(Date::from_days(LAST_DAY).add_days(1).start_ms() - 1)
    }

    /// Move the clock forward by `ms` (negative: not at all), simulating every day whose end
    /// is passed.
    ///
    /// # Errors
    /// `out_of_range` (field `ms`) past [`SimMarket::end_ms`]; the market is left as it was.
    pub fn advance_ms(&mut self, ms: i64) -> Result<()> {
        let ms = ms.max(0);
        let room = self.end_ms() - self.now_ms();
        if ms > room {
            return Err(Error::OutOfRange { field: "ms".into(), value: ms as f64, min: 0.0, max: room as f64 });
        }
        self.move_clock(ms);
        Ok(())
    }

    /// Moves the clock by `ms` (checked against [`SimMarket::end_ms`] by the caller).
    fn move_clock(&mut self, ms: i64) {
        self.clock.advance(ms);
        let today = i64::from(self.today().days());
        let start = i64::from(self.config.start.days());
        while (self.simulated as i64) < today - start {
            self.simulate_day();
        }
    }

    /// Move to the next midnight, simulating the day that ends.
    ///
    /// # Errors
    /// As [`SimMarket::run_days`] with `n = 1`.
    pub fn step_day(&mut self) -> Result<()> {
        self.run_days(1)
    }

    /// [`SimMarket::step_day`] `n` times.
    ///
    /// # Errors
    /// `out_of_range` (field `n`) when the `n`-th midnight is past [`SimMarket::end_ms`]; the
    /// market is left as it was.
    pub fn run_days(&mut self, n: usize) -> Result<()> {
        let today = self.today();
        let room = self.end_ms().div_euclid(DAY_MS) - i64::from(today.days());
        if n as u64 > room.max(0) as u64 {
            return Err(Error::OutOfRange { field: "n".into(), value: n as f64, min: 0.0, max: room.max(0) as f64 });
        }
        // one move to the n-th midnight simulates every day it passes (n <= MAX_DAYS here)
        self.move_clock(today.add_days(n as i32).start_ms() - self.now_ms());
        Ok(())
    }

    /// Moves the clock to `at_ms`, or as far towards it as [`SimMarket::end_ms`] allows (a
    /// wait the decision engine asks for: its attempts are bounded, so a wait past the end
    /// still ends).
    pub fn wait_until(&mut self, at_ms: i64) {
        let to = at_ms.min(self.end_ms());
        self.move_clock(to.saturating_sub(self.now_ms()).max(0));
    }

    /// Every change applied, in order (once per key however often it was sent).
    pub fn applied(&self) -> &[AppliedChange] {
        &self.applied
    }

    /// Every fault that fired, in order.
    pub fn fault_log(&self) -> &[FaultEvent] {
        &self.fault_log
    }

    /// The full truth for the query: every conversion, however late its report (what the
    /// platform will show once reporting has caught up), without faults or rate limits.
    ///
    /// # Errors
    /// `invalid_parameter` for `to` before `from` (field `to`) or an unknown entity (field
    /// `entities`).
    pub fn true_metrics(&self, query: &MetricsQuery) -> Result<Vec<MetricsRow>> {
        query.validate()?;
        let ids = self.select(query).map_err(|id| Error::param("entities", id, "no such entity in the simulated market"))?;
        Ok(self.rows(&ids, query, i32::MAX))
    }

    fn simulate_day(&mut self) {
        let day = self.simulated;
        let date = self.config.start.add_days(day as i32);
        let season = self.config.weekly[date.weekday()];
        let noise = self.config.noise;
        let shares = self.config.reporting_delay.clone();
        for (i, (e, c)) in self.entities.iter_mut().zip(&self.config.campaigns).enumerate() {
            let mut rng = ChaCha8Rng::seed_from_u64(self.config.seed);
            rng.set_stream(1 + (day as u64) * 65_536 + i as u64);
            let s = &e.state;
            let delivery = match (s.bid, c.reference_bid) {
                (Some(b), Some(r)) => (b / r).min(1.0),
                _ => 1.0,
            };
            let pacing = 0.95 + 0.05 * rng.random::<f64>();
            let spend = if s.status == Status::Active { s.daily_budget * delivery * pacing } else { 0.0 };
            e.spend.push(spend);
            let w = &self.weights[i];
            let x: f64 = w.iter().zip(e.spend.iter().rev()).map(|(w, s)| w * s).sum();
            let z: f64 = rng.sample(StandardNormal);
            let mean = c.curve.value(x) * season * (noise * z - 0.5 * noise * noise).exp();
            let conversions = poisson(&mut rng, mean);
            let impressions = poisson(&mut rng, spend / c.cpm * 1000.0);
            let clicks = poisson(&mut rng, impressions as f64 * c.ctr).min(impressions);
            e.days.push(DayRecord { spend, impressions, clicks, by_lag: split(&mut rng, conversions, &shares), value_per_conversion: c.value_per_conversion });
        }
        self.simulated += 1;
    }

    /// Indices of the query's entities, or the first unknown id.
    fn select(&self, query: &MetricsQuery) -> std::result::Result<Vec<usize>, String> {
        if query.entities.is_empty() {
            return Ok((0..self.entities.len()).collect());
        }
        query.entities.iter().map(|id| self.index.get(id).copied().ok_or_else(|| id.clone())).collect()
    }

    /// Rows as reported before day `as_of` (days since the epoch) began.
    fn rows(&self, ids: &[usize], query: &MetricsQuery, as_of: i32) -> Vec<MetricsRow> {
        let start = self.config.start.days();
        let mut out = Vec::new();
        for &i in ids {
            let e = &self.entities[i];
            for (d, rec) in e.days.iter().enumerate() {
                let date = Date::from_days(start + d as i32);
                if date < query.from || date > query.to || date.days() >= as_of {
                    continue;
                }
                let seen_lags = (i64::from(as_of) - i64::from(date.days())) as usize;
                let conv: u64 = rec.by_lag.iter().take(seen_lags).sum();
                out.push(MetricsRow {
                    entity: e.state.entity.clone(),
                    date,
                    spend: rec.spend,
                    impressions: rec.impressions,
                    clicks: rec.clicks,
                    conversions: conv as f64,
                    value: conv as f64 * rec.value_per_conversion,
                    currency: self.config.currency.clone(),
                });
            }
        }
        out
    }

    fn chance(&mut self, p: f64) -> bool {
        let u: f64 = self.faults.random();
        u < p
    }

    /// Draw this call's faults (always all of them, so the schedule stays aligned).
    fn draw(&mut self) -> Draw {
        let f = self.config.faults;
        Draw {
            timeout: self.chance(f.timeout),
            server_error: self.chance(f.server_error),
            lost_ack: self.chance(f.lost_ack),
            duplicate: self.chance(f.duplicate),
            stale: self.chance(f.stale_read),
        }
    }

    fn log(&mut self, call: u64, kind: FaultKind) {
        self.fault_log.push(FaultEvent { call, at_ms: self.now_ms(), kind });
    }

    /// Start a call: its number, its faults, and the account throttle or an early fault.
    fn begin(&mut self, throttle_code: i64) -> (u64, Draw, std::result::Result<(), PlatformError>) {
        let call = self.calls;
        self.calls += 1;
        let d = self.draw();
        let now = self.now_ms();
        if let Err(wait) = self.config.limits.try_acquire(&mut self.limiter, &self.config.account, None, now) {
            let e = PlatformError::Meta {
                code: throttle_code,
                subcode: None,
                message: "There have been too many calls to this ad-account. Wait a bit and try again.".into(),
                retry_after_ms: Some(wait),
            };
            return (call, d, Err(e));
        }
        if d.timeout {
            self.log(call, FaultKind::Timeout);
            return (call, d, Err(PlatformError::Timeout));
        }
        if d.server_error {
            self.log(call, FaultKind::ServerError);
            return (call, d, Err(PlatformError::Http { status: 503, retry_after_ms: None }));
        }
        (call, d, Ok(()))
    }

    fn unknown(entity: &str) -> PlatformError {
        PlatformError::Meta { code: 100, subcode: None, message: format!("Invalid parameter: unknown entity {entity:?}"), retry_after_ms: None }
    }

    /// Apply one change (or say why not); `fault` fails it as a temporary error.
    fn apply_one(&mut self, change: &Change, fault: bool) -> Outcome {
        let failed = |code: i64, message: String| Outcome::Failed { error: PlatformError::Meta { code, subcode: None, message, retry_after_ms: None } };
        let Some(&i) = self.index.get(&change.entity) else {
            return Outcome::Failed { error: Self::unknown(&change.entity) };
        };
        if let Some(prev) = self.keys.get(&change.key) {
            if prev == change {
                return Outcome::AlreadyApplied { state: self.entities[i].state.clone() };
            }
            return failed(100, format!("idempotency key {} was used for a different change", change.key));
        }
        if let Err(e) = change.validate() {
            return failed(100, e.to_string());
        }
        if fault {
            return failed(2, "Service temporarily unavailable".into());
        }
        let now = self.now_ms();
        if let Action::Budget { .. } = change.action {
            let account = self.config.account.clone();
            if let Err(wait) = self.config.limits.try_acquire(&mut self.limiter, &account, Some(&change.entity), now) {
                let error = PlatformError::Meta {
                    code: 17,
                    subcode: None,
                    message: "User request limit reached: too many budget changes to this ad set".into(),
                    retry_after_ms: Some(wait),
                };
                return Outcome::Failed { error };
            }
        }
        let e = &mut self.entities[i];
        e.before = e.state.clone();
        match change.action {
            Action::Budget { daily } => e.state.daily_budget = daily,
            Action::Bid { amount } => e.state.bid = Some(amount),
            Action::Status { status } => e.state.status = status,
        }
        e.state.updated_ms = now;
        let state = e.state.clone();
        self.keys.insert(change.key.clone(), change.clone());
        self.applied.push(AppliedChange { key: change.key.clone(), entity: change.entity.clone(), action: change.action, at_ms: now });
        Outcome::Applied { state }
    }
}

/// Poisson draw with mean `mean` (0 for a mean that is not positive and finite).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    if !(mean > 0.0 && mean.is_finite()) {
        return 0;
    }
    match Poisson::new(mean) {
        Ok(p) => p.sample(rng) as u64,
        Err(_) => mean.round() as u64,
    }
}

/// `n` split over the shares by a multinomial draw (sequential binomials).
fn split(rng: &mut ChaCha8Rng, n: u64, shares: &[f64]) -> Vec<u64> {
    let mut out = vec![0; shares.len()];
    let (mut left, mut mass) = (n, 1.0);
    for (l, &s) in shares.iter().enumerate() {
        if left == 0 {
            break;
        }
        if l + 1 == shares.len() || mass <= s {
            out[l] = left;
            break;
        }
        let p = (s / mass).clamp(0.0, 1.0);
        let k = Binomial::new(left, p).map_or(0, |b| b.sample(rng));
        out[l] = k;
        left -= k;
        mass -= s;
    }
    out
}

impl ReadMetrics for SimMarket {
    fn read_metrics(&mut self, query: &MetricsQuery) -> std::result::Result<Vec<MetricsRow>, PlatformError> {
        let (call, d, early) = self.begin(80000);
        early?;
        if query.validate().is_err() {
            return Err(PlatformError::Meta { code: 100, subcode: None, message: "Invalid parameter: time_range".into(), retry_after_ms: None });
        }
        let ids = self.select(query).map_err(|id| Self::unknown(&id))?;
        let mut as_of = self.today().days();
        if d.stale {
            self.log(call, FaultKind::StaleRead);
            as_of -= 1;
        }
        Ok(self.rows(&ids, query, as_of))
    }
}

impl ApplyChanges for SimMarket {
    fn apply_changes(&mut self, changes: &[Change]) -> std::result::Result<Vec<ChangeResult>, PlatformError> {
        let (call, d, early) = self.begin(80004);
        early?;
        let item_rate = self.config.faults.item_failure;
        let mut results = Vec::with_capacity(changes.len());
        for c in changes {
            let fault = self.chance(item_rate);
            if fault {
                self.log(call, FaultKind::ItemFailure);
            }
            let outcome = self.apply_one(c, fault);
            results.push(ChangeResult { key: c.key.clone(), entity: c.entity.clone(), outcome });
        }
        if d.duplicate {
            self.log(call, FaultKind::Duplicate);
            for c in changes {
                self.apply_one(c, false);
            }
        }
        if d.lost_ack {
            self.log(call, FaultKind::LostAck);
            return Err(PlatformError::Timeout);
        }
        Ok(results)
    }

    fn read_entity(&mut self, entity: &str) -> std::result::Result<EntityState, PlatformError> {
        let (call, d, early) = self.begin(80004);
        early?;
        let i = *self.index.get(entity).ok_or_else(|| Self::unknown(entity))?;
        if d.stale {
            self.log(call, FaultKind::StaleRead);
            return Ok(self.entities[i].before.clone());
        }
        Ok(self.entities[i].state.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_the_total() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for n in [0, 1, 7, 1000] {
            let s = split(&mut rng, n, &[0.6, 0.25, 0.1, 0.05]);
            assert_eq!(s.iter().sum::<u64>(), n);
        }
        assert_eq!(split(&mut rng, 5, &[1.0]), vec![5]);
    }

    #[test]
    fn bad_settings_name_their_path() {
        let mut c = SimConfig::default();
        c.campaigns[1].cpm = 0.0;
        assert!(SimMarket::new(c).unwrap_err().to_string().contains("campaigns[1].cpm"));
        let c = SimConfig { faults: Faults { lost_ack: 1.5, ..Faults::default() }, ..SimConfig::default() };
        assert!(SimMarket::new(c).unwrap_err().to_string().contains("faults.lost_ack"));
        let c = SimConfig { reporting_delay: vec![0.5, 0.4], ..SimConfig::default() };
        assert!(SimMarket::new(c).unwrap_err().to_string().contains("reporting_delay"));
        let mut c = SimConfig::default();
        c.campaigns[1].id = "search".into();
        assert!(SimMarket::new(c).unwrap_err().to_string().contains("campaigns[1].id"));
        let c = SimConfig { currency: "usd".into(), ..SimConfig::default() };
        assert!(SimMarket::new(c).unwrap_err().to_string().contains("currency"));
        let c = SimConfig { campaigns: vec![], ..SimConfig::default() };
        assert_eq!(SimMarket::new(c).unwrap_err().kind().code(), "not_enough_data");
    }
}
