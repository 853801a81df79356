//! `platform.*`: customer data normalised and hashed for Meta and Google, webhook signatures, the
//! simulated ad market and the classifier of vendor errors (the core's `platform::{pii, webhook,
//! sim, policy}`).
//!
//! - PII values are read as strings only, and no error made here or in the core ever shows
//!   one: a value of the wrong type is `invalid_parameter` naming `user_data.<field>` with the
//!   value `"[redacted]"`, as the core names its own refusals.
//! - Webhook bodies and secrets are a `string` (its UTF-8) or a `Uint8Array` (a Node `Buffer`),
//!   whose bytes are used as they are: verify the body exactly as received. `now` (unix seconds)
//!   defaults to the engine's clock; the core reads none.
//! - The simulated market's settings and the adapter's data cross as the core's serde shapes
//!   with camelCase keys (`dailyBudget`, `retryAfterMs`) and snake_case enum values
//!   (`'ad_set'`, `'back_off'`). A vendor failure (the adapter's `PlatformError`: a timeout, a
//!   503, a throttle) is data a caller classifies and retries on, so `readMetrics`,
//!   `applyChanges` and `readEntity` return `{ ok: true, value } | { ok: false, error }` rather
//!   than throw; bad input of the caller's own still throws with its `code`.

pub mod payloads;

use std::sync::{Arc, Mutex, MutexGuard};

use channelwise::platform::adapter::PlatformError;
use channelwise::platform::adapter::{ApplyChanges, Change, MetricsQuery, ReadMetrics};
use channelwise::platform::pii::{self, GoogleEmail, OneOrMany, Options, Pii, UserData, Vendor};
use channelwise::platform::policy::Classifier;
use channelwise::platform::sim::{SimConfig, SimMarket as CoreSimMarket};
use channelwise::platform::webhook::{self, Scheme, Verdict, DEFAULT_TOLERANCE_SECONDS};
use channelwise::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::{arg, getter, job, this, Job};
use crate::decl::{Choices, Declared, FromJs, Named};
use crate::host::{Host, Kind};
use crate::keys::{camel, map_keys, snake, to_camel};
use crate::optimize::renamed;
use crate::out::{Handle, Out};
use crate::{js_options, read};

// ---- readers ---------------------------------------------------------------------------------

/// What a value is, never what it holds (for PII, secrets and bodies).
fn kind_name<H: Host>(h: H, v: &H::V) -> &'static str {
    match h.kind(v) {
        Kind::Undefined => "undefined",
        Kind::Null => "null",
        Kind::Boolean => "a boolean",
        Kind::Number => "a number",
        Kind::String => "a string",
        Kind::Symbol => "a symbol",
        Kind::Function => "a function",
        Kind::BigInt => "a bigint",
        Kind::Object if h.is_array(v).unwrap_or(false) => "an array",
        Kind::Object => "an object",
    }
}

/// Bytes: a string's UTF-8 or a `Uint8Array`'s bytes as they are.
pub struct Bytes(pub Vec<u8>);

impl FromJs for Bytes {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        if h.kind(v) == Kind::String {
            return read::string(h, v, field).map(|s| Bytes(s.into_bytes()));
        }
        if let Some(b) = h.bytes(v).map_err(|e| read::unreadable(field, e))? {
            return Ok(Bytes(b));
        }
        Err(Error::InvalidParameter {
            field: field.into(),
            value: kind_name(h, v).into(),
            reason: "expected a string or a Uint8Array (a Buffer)".into(),
        })
    }
    fn ts() -> String {
        "string | Uint8Array".into()
    }
}

impl Choices for Vendor {
    const TS: &'static str = "'meta' | 'google'";
}

impl Choices for GoogleEmail {
    const TS: &'static str = "'documentation' | 'sdk' | 'all_domains'";
}

/// The three signature schemes by name (the timestamped window is a separate option).
#[derive(serde::Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum SchemeName {
    /// `X-Shopify-Hmac-Sha256`.
    Shopify,
    /// `X-Hub-Signature-256`.
    Meta,
    /// `t=...,v1=...` (Stripe-style).
    Timestamped,
}

impl Choices for SchemeName {
    const TS: &'static str = "'shopify' | 'meta' | 'timestamped'";
}

/// A JS object tree as JSON with camelCase keys made snake_case (`dailyBudget` ->
/// `daily_budget`), then read as the core's `T`; `field` names it in errors.
pub(crate) fn from_camel<H: Host, T: DeserializeOwned>(h: H, v: &H::V, field: &str) -> Result<T> {
    let tree = crate::keys::tree(h, v, field)?;
    crate::keys::from_tree(&map_keys(tree.clone(), snake), &tree, field)
}

/// A core error about a settings path (`campaigns[1].cpm`) named as JS writes it.
fn js_path(e: Error, root: &str) -> Error {
    renamed(e, |f| Some(format!("{root}.{}", camel(f))))
}

// ---- PII -------------------------------------------------------------------------------------

js_options! {
    /// Whose normalisation rules to apply.
    ///
    /// | Name | Default | Meaning |
    /// |---|---|---|
    /// | `vendor` | `'meta'` | Meta's `user_data` rules or Google's (enhanced conversions, Customer Match) |
    /// | `googleEmail` | `'documentation'` | Google's email rule: its Data Manager page (`'documentation'`), the google-ads-python examples (`'sdk'`), or dots and `+suffix` removed for every domain (`'all_domains'`) |
    pub struct PiiOptions {
        /// `'meta'` (default) or `'google'`.
        vendor: Named<Vendor>,
        /// Google's email rule (default `'documentation'`).
        googleEmail: Named<GoogleEmail>,
    }
}

impl PiiOptions {
    fn core(&self) -> (Vendor, Options) {
        let vendor = self.vendor.as_ref().map_or(Vendor::Meta, |v| v.0);
        let options = self
            .googleEmail
            .as_ref()
            .map_or_else(Options::default, |g| Options::default().google_email(g.0));
        (vendor, options)
    }
}

/// A PII value: a string, or `invalid_parameter` naming `user_data.<at>` without its value.
fn pii_text<H: Host>(h: H, v: &H::V, at: &str) -> Result<String> {
    if h.kind(v) == Kind::String {
        return h
            .string(v)
            .map_err(|e| read::unreadable(&format!("user_data.{at}"), e));
    }
    Err(Error::InvalidParameter {
        field: format!("user_data.{at}"),
        value: pii::REDACTED.into(),
        reason: format!("expected a string, got {}", kind_name(h, v)),
    })
}

/// `(field, value, options)` of `normalize` and `hash`.
fn pii_args<H: Host>(h: H, a: &[H::V]) -> Result<(String, String, Vendor, Options)> {
    let field = read::string(h, &arg(h, a, 0)?, "field")?;
    let value = pii_text(h, &arg(h, a, 1)?, &field)?;
    let (vendor, options) = PiiOptions::read(h, &arg(h, a, 2)?, "options")?.core();
    Ok((field, value, vendor, options))
}

/// `platform.normalize(field, value, options?)`: the text that is hashed.
pub fn normalize<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (field, value, vendor, options) = pii_args(h, a)?;
    job(move || pii::normalize_with(&field, &value, vendor, &options))
}

/// `platform.hash(field, value, options?)`: SHA-256 of the normalised value, lowercase hex.
pub fn hash<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (field, value, vendor, options) = pii_args(h, a)?;
    job(move || pii::hash_with(&field, &value, vendor, &options))
}

/// `platform.hashUserData(userData, options?)`: every field hashed, under the same keys.
pub fn hash_user_data<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let v = arg(h, a, 0)?;
    if h.kind(&v) != Kind::Object
        || h.is_array(&v)
            .map_err(|e| read::unreadable("userData", e))?
    {
        return Err(Error::InvalidParameter {
            field: "userData".into(),
            value: kind_name(h, &v).into(),
            reason: "expected an object of fields ({ em: '...', ph: ['...'] })".into(),
        });
    }
    let mut data = UserData::new();
    for key in h.keys(&v).map_err(|e| read::unreadable("userData", e))? {
        let x = h
            .get(&v, &key)
            .map_err(|e| read::unreadable(&format!("user_data.{key}"), e))?;
        let value = if h.kind(&x) == Kind::Object && h.is_array(&x).unwrap_or(false) {
            let n = h
                .length(&x)
                .map_err(|e| read::unreadable(&format!("user_data.{key}"), e))?;
            let items = (0..n)
                .map(|i| {
                    let at = format!("{key}[{i}]");
                    let item = h
                        .element(&x, i)
                        .map_err(|e| read::unreadable(&format!("user_data.{at}"), e))?;
                    pii_text(h, &item, &at).map(Pii::new)
                })
                .collect::<Result<Vec<_>>>()?;
            OneOrMany::Many(items)
        } else {
            OneOrMany::One(Pii::new(pii_text(h, &x, &key)?))
        };
        data.insert(key, value);
    }
    let (vendor, options) = PiiOptions::read(h, &arg(h, a, 1)?, "options")?.core();
    job(move || {
        let hashed = pii::hash_user_data_with(&data, vendor, &options)?;
        crate::serde_js::to_out(&hashed)
    })
}

// ---- webhooks --------------------------------------------------------------------------------

js_options! {
    /// A webhook to verify: the raw body exactly as received and the signature header's value.
    pub struct WebhookRequest {
        /// `'shopify'` (`X-Shopify-Hmac-Sha256`), `'meta'` (`X-Hub-Signature-256`) or
        /// `'timestamped'` (`t=...,v1=...`, Stripe-style).
        scheme: Named<SchemeName> = required,
        /// The shared secret (Shopify's app secret, Meta's app secret, the endpoint's signing
        /// secret).
        secret: Bytes = required,
        /// The raw request body: a `Uint8Array` / `Buffer` as received, or a string (its UTF-8).
        body: Bytes = required,
        /// The signature header's value.
        header: String = required,
        /// Now, unix seconds (default: the clock); read by the timestamped scheme only.
        now: f64,
        /// Largest `|now - t|` in seconds of the timestamped scheme (default 300, `Infinity`
        /// accepts any timestamp).
        toleranceSeconds: f64,
    }
}

js_options! {
    /// What to sign, as a sender (or a test) would.
    pub struct WebhookSignRequest {
        /// `'shopify'`, `'meta'` or `'timestamped'`.
        scheme: Named<SchemeName> = required,
        /// The shared secret.
        secret: Bytes = required,
        /// The body to sign.
        body: Bytes = required,
        /// The timestamp of the timestamped scheme, unix seconds (default: the clock).
        t: f64,
    }
}

/// A whole number of seconds given as `field`, or the engine's clock when not given.
fn seconds<H: Host>(h: H, given: Option<f64>, field: &str) -> Result<i64> {
    let clock = (h.now_ms() / 1000.0).floor();
    whole_time(given.unwrap_or(clock), field, "expected whole unix seconds")
}

/// A time (`x`, given or the clock's) as a whole number, `invalid_parameter` with `expected`
/// otherwise.
pub(crate) fn whole_time(x: f64, field: &str, expected: &str) -> Result<i64> {
    if !x.is_finite() {
        return Err(Error::NonFinite {
            field: field.into(),
            value: x,
        });
    }
    if x.fract() != 0.0 || x.abs() > read::MAX_SAFE_INTEGER {
        return Err(Error::InvalidParameter {
            field: field.into(),
            value: read::js_number(x),
            reason: expected.into(),
        });
    }
    Ok(x as i64)
}

/// The tolerance window: 300 s by default, `None` for `Infinity`.
fn tolerance(given: Option<f64>, field: &str) -> Result<Option<u64>> {
    match given {
        None => Ok(Some(DEFAULT_TOLERANCE_SECONDS)),
        Some(x) if x == f64::INFINITY => Ok(None),
        Some(x) if x.is_nan() => Err(Error::NonFinite {
            field: field.into(),
            value: x,
        }),
        Some(x) if x < 0.0 || x.fract() != 0.0 || x > read::MAX_SAFE_INTEGER => {
            Err(Error::InvalidParameter {
                field: field.into(),
                value: read::js_number(x),
                reason: "expected whole seconds >= 0, or Infinity for no window".into(),
            })
        }
        Some(x) => Ok(Some(x as u64)),
    }
}

fn scheme(name: SchemeName, tolerance_seconds: Option<u64>) -> Scheme {
    match name {
        SchemeName::Shopify => Scheme::Shopify,
        SchemeName::Meta => Scheme::Meta,
        SchemeName::Timestamped => Scheme::Timestamped { tolerance_seconds },
    }
}

/// A required option, read (the reader has already refused it missing).
pub(crate) fn given<T>(x: Option<T>, field: &str) -> Result<T> {
    x.ok_or_else(|| read::missing(field))
}

/// A webhook check as read from a [`WebhookRequest`].
struct Check {
    scheme: Scheme,
    now: i64,
    secret: Vec<u8>,
    body: Vec<u8>,
    header: String,
}

fn check_of<H: Host>(h: H, a: &[H::V]) -> Result<Check> {
    let r = WebhookRequest::read(h, &arg(h, a, 0)?, "request")?;
    Ok(Check {
        scheme: scheme(
            given(r.scheme, "request.scheme")?.0,
            tolerance(r.toleranceSeconds, "request.toleranceSeconds")?,
        ),
        now: seconds(h, r.now, "request.now")?,
        secret: given(r.secret, "request.secret")?.0,
        body: given(r.body, "request.body")?.0,
        header: given(r.header, "request.header")?,
    })
}

/// `platform.verifyWebhook(request)`: `true` or `false`; a malformed header throws.
pub fn verify_webhook<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let c = check_of(h, a)?;
    job(move || webhook::verify(c.scheme, &c.secret, &c.body, &c.header, c.now))
}

/// `platform.checkTimestamped(request)`: `'valid'`, `'mismatch'` or `'outside_tolerance'`; the
/// request is `verifyWebhook`'s, whose scheme must be `'timestamped'`.
pub fn check_timestamped<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let c = check_of(h, a)?;
    let Scheme::Timestamped { tolerance_seconds } = c.scheme else {
        return Err(Error::InvalidParameter {
            field: "request.scheme".into(),
            value: c.scheme.header().into(),
            reason: "checkTimestamped checks the 'timestamped' scheme (t=...,v1=...) only".into(),
        });
    };
    job(move || {
        let verdict =
            webhook::check_timestamped(&c.secret, &c.body, &c.header, c.now, tolerance_seconds)?;
        Ok(match verdict {
            Verdict::Valid => "valid",
            Verdict::Mismatch => "mismatch",
            Verdict::OutsideTolerance => "outside_tolerance",
        })
    })
}

/// `platform.signWebhook(request)`: the header value a sender attaches.
pub fn sign_webhook<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let r = WebhookSignRequest::read(h, &arg(h, a, 0)?, "request")?;
    let s = scheme(given(r.scheme, "request.scheme")?.0, None);
    let t = seconds(h, r.t, "request.t")?;
    let (secret, body) = (
        given(r.secret, "request.secret")?.0,
        given(r.body, "request.body")?.0,
    );
    job(move || Ok(webhook::sign(s, &secret, &body, t)))
}

// ---- policy ----------------------------------------------------------------------------------

/// `platform.classify(error, nowMs, classifier?)`: retry, back off or give up.
pub fn classify<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let error: PlatformError = from_camel(h, &arg(h, a, 0)?, "error")?;
    let now = read::integer(h, &arg(h, a, 1)?, "nowMs")?;
    let c = arg(h, a, 2)?;
    let classifier: Classifier = match read::given(h, c.clone()) {
        Some(c) => from_camel(h, &c, "classifier")?,
        None => Classifier::default(),
    };
    classifier
        .validate()
        .map_err(|e| js_path(e, "classifier"))?;
    job(move || to_camel(&classifier.classify(&error, now)))
}

// ---- the simulated market --------------------------------------------------------------------

/// `platform.SimMarket`: the core's market behind a lock (JS holds a shared handle).
pub struct SimMarket(Mutex<CoreSimMarket>);

impl SimMarket {
    pub(crate) fn lock(&self) -> MutexGuard<'_, CoreSimMarket> {
        // A panic inside a call poisons the lock; the market's state is still whole (every
        // call either finished a step or made none), so carry on with it.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `new platform.SimMarket(config?)`.
pub fn sim_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let c = arg(h, a, 0)?;
    let config: SimConfig = match read::given(h, c.clone()) {
        Some(c) => from_camel(h, &c, "config")?,
        None => SimConfig::default(),
    };
    job(move || {
        let m = CoreSimMarket::new(config).map_err(|e| js_path(e, "config"))?;
        Ok(Handle(Arc::new(SimMarket(Mutex::new(m)))))
    })
}

/// `{ ok: true, value }` or `{ ok: false, error }`.
fn outcome<T: Serialize>(r: std::result::Result<T, PlatformError>) -> Result<Out> {
    let (ok, key, tree) = match r {
        Ok(v) => (true, "value", to_camel(&v)?),
        Err(e) => (false, "error", to_camel(&e)?),
    };
    Ok(Out::Object(vec![
        ("ok".into(), Some(Out::Boolean(ok))),
        (key.into(), Some(tree)),
    ]))
}

/// `SimMarket.stepDay()`.
pub fn sim_step_day<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<SimMarket> = this(h, a)?;
    job(move || {
        m.lock().step_day()?;
        Ok(Out::Undefined)
    })
}

/// `SimMarket.runDays(n)`.
pub fn sim_run_days<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<SimMarket> = this(h, a)?;
    let n = read::size(h, &arg(h, a, 1)?, "n")?;
    job(move || {
        m.lock().run_days(n)?;
        Ok(Out::Undefined)
    })
}

/// `SimMarket.advanceMs(ms)`.
pub fn sim_advance_ms<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<SimMarket> = this(h, a)?;
    let ms = read::unsigned(h, &arg(h, a, 1)?, "ms")?;
    let ms = i64::try_from(ms).map_err(|_| Error::InvalidParameter {
        field: "ms".into(),
        value: ms.to_string(),
        reason: "too large".into(),
    })?;
    job(move || {
        m.lock().advance_ms(ms)?;
        Ok(Out::Undefined)
    })
}

/// `SimMarket.clone()`.
pub fn sim_clone<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<SimMarket> = this(h, a)?;
    job(move || {
        let fork = m.lock().clone();
        Ok(Handle(Arc::new(SimMarket(Mutex::new(fork)))))
    })
}

/// `SimMarket.readMetrics(query)`.
pub fn sim_read_metrics<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<SimMarket> = this(h, a)?;
    let q: MetricsQuery = from_camel(h, &arg(h, a, 1)?, "query")?;
    job(move || outcome(m.lock().read_metrics(&q)))
}

/// `SimMarket.trueMetrics(query)`.
pub fn sim_true_metrics<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<SimMarket> = this(h, a)?;
    let q: MetricsQuery = from_camel(h, &arg(h, a, 1)?, "query")?;
    job(move || to_camel(&m.lock().true_metrics(&q).map_err(|e| js_path(e, "query"))?))
}

/// `SimMarket.applyChanges(changes)`.
pub fn sim_apply_changes<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<SimMarket> = this(h, a)?;
    let changes: Vec<Change> = from_camel(h, &arg(h, a, 1)?, "changes")?;
    for (i, c) in changes.iter().enumerate() {
        c.validate()
            .map_err(|e| js_path(e, &format!("changes[{i}]")))?;
    }
    job(move || outcome(m.lock().apply_changes(&changes)))
}

/// `SimMarket.readEntity(id)`.
pub fn sim_read_entity<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<SimMarket> = this(h, a)?;
    let id = read::string(h, &arg(h, a, 1)?, "id")?;
    job(move || outcome(m.lock().read_entity(&id)))
}

getter!(SimMarket, sim_now_ms, i64, |m| m.lock().now_ms());
getter!(SimMarket, sim_today, String, |m| m
    .lock()
    .today()
    .to_string());
getter!(SimMarket, sim_applied, Out, |m| to_camel(
    m.lock().applied()
)?);
getter!(SimMarket, sim_fault_log, Out, |m| to_camel(
    m.lock().fault_log()
)?);
getter!(SimMarket, sim_config, Out, |m| to_camel(m.lock().config())?);

// ---- declarations ----------------------------------------------------------------------------

const PLATFORM_TS: &str = "\
/** Customer data keyed as the vendor names it (`em`, `ph`, `fn`, ...; Google also `email_address`, `phone_number`, `given_name`, `family_name`): one value, or for Meta a list. */
export type UserData = { [field: string]: string | string[] };
/** A failure as the vendor reported it (the adapter's `PlatformError`). */
export type PlatformError =
  | { kind: 'timeout' }
  | { kind: 'transport'; message: string }
  | { kind: 'adapter'; message: string }
  | { kind: 'http'; status: number; retryAfterMs?: number }
  | { kind: 'meta'; code: number; subcode?: number; message?: string; retryAfterMs?: number }
  | { kind: 'google_ads'; code: string; retryDelayMs?: number; message?: string };
/** A vendor call's answer: its value, or the vendor's failure as data (to classify and retry). */
export type PlatformResult<T> = { ok: true; value: T } | { ok: false; error: PlatformError };
/** What to do about a failed call (`platform.classify`). */
export type Disposition =
  | { action: 'retry' }
  | { action: 'back_off'; minWaitMs: number }
  | { action: 'give_up'; retryAtMs: number | null };
/** The classifier's settings (every one optional). */
export interface ClassifierOptions {
  /** Least wait after a Meta throttle that states no time (default 60000). */
  throttleWaitMs?: number;
  /** Least wait after an HTTP 429 without `Retry-After` (default 1000). */
  http429WaitMs?: number;
  /** Least wait after Google Ads `RESOURCE_TEMPORARILY_EXHAUSTED` without `retry_delay` (default 1000). */
  googleTemporaryWaitMs?: number;
  /** Daily quotas reset at midnight UTC plus this many minutes (default 0). */
  quotaResetOffsetMinutes?: number;
}
/** Daily metrics to read: `from` to `to` (`'YYYY-MM-DD'`, both included). */
export interface MetricsQuery {
  from: string;
  to: string;
  /** Entity ids; empty or absent: every entity. */
  entities?: string[];
  /** `'campaign'` (default) or `'ad_set'`. */
  level?: 'campaign' | 'ad_set';
}
/** One entity's metrics for one day, in currency units. */
export interface MetricsRow {
  entity: string;
  date: string;
  spend: number;
  impressions: number;
  clicks: number;
  conversions: number;
  value: number;
  currency: string;
}
/** A budget (currency units a day), bid or status change. */
export type ChangeAction =
  | { kind: 'budget'; daily: number }
  | { kind: 'bid'; amount: number }
  | { kind: 'status'; status: 'active' | 'paused' };
/** One change to one entity; the key is applied at most once. */
export interface Change {
  key: string;
  entity: string;
  action: ChangeAction;
}
/** What the platform holds for an entity. */
export interface EntityState {
  entity: string;
  dailyBudget: number;
  bid: number | null;
  status: 'active' | 'paused';
  updatedMs: number;
}
/** One item's result, in request order. */
export interface ChangeResult {
  key: string;
  entity: string;
  outcome:
    | { status: 'applied'; state: EntityState }
    | { status: 'already_applied'; state: EntityState }
    | { status: 'failed'; error: PlatformError };
}
/** A change the simulated market applied. */
export interface AppliedChange {
  key: string;
  entity: string;
  action: ChangeAction;
  atMs: number;
}
/** The verdict of `platform.checkTimestamped`. */
export type TimestampedVerdict = 'valid' | 'mismatch' | 'outside_tolerance';
/** A fault the simulated market injected. */
export interface FaultEvent {
  call: number;
  atMs: number;
  kind: 'timeout' | 'server_error' | 'item_failure' | 'lost_ack' | 'duplicate' | 'stale_read';
}
/**
 * The simulated market's settings, the core's `SimConfig` with camelCase keys; every key
 * optional (defaults: seed 0, start `'2026-01-05'`, two example campaigns, no faults). A
 * campaign's `curve` is a saturation such as `{ logistic: { lam, beta } }` or
 * `{ hill: { slope, kappa, beta } }`, its `adstock` such as `{ geometric: { alpha, lMax, normalize } }`.
 */
export interface SimConfig {
  seed?: number;
  start?: string;
  account?: string;
  currency?: string;
  campaigns?: object[];
  weekly?: number[];
  noise?: number;
  reportingDelay?: number[];
  limits?: object;
  /** Probabilities in [0, 1] of each injected fault. */
  faults?: { timeout?: number; serverError?: number; itemFailure?: number; lostAck?: number; duplicate?: number; staleRead?: number };
}
";

/// The TypeScript declarations of `platform.*`.
pub fn declarations() -> Vec<String> {
    vec![
        PLATFORM_TS.to_string(),
        PiiOptions::declaration(),
        WebhookRequest::declaration(),
        WebhookSignRequest::declaration(),
    ]
    .into_iter()
    .chain(payloads::declarations())
    .collect()
}
