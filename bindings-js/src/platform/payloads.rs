//! `platform.*` request bodies and report readers: the core's `platform::payloads` (Meta
//! Conversions API and Marketing API changes, GA4 Measurement Protocol, Google Ads uploads,
//! Customer Match and mutates) and `platform::metrics` (Meta Insights, Google Ads and GA4
//! reports as one daily metrics row per entity).
//!
//! - What goes to a vendor is written in the vendor's own field names, as its documentation
//!   shows them (`event_name`, `user_data.em`, `client_id`, `conversion_action`), and comes back
//!   as the plain object the vendor expects, to `JSON.stringify` and send; options are
//!   camelCase (`nowMs`, `batchSize`). An error inside the data names its path there
//!   (`events[3].event_time`), an option's as JS writes it (`options.batchSize`); customer data
//!   is never quoted.
//! - Changes (budget, bid, status) are the `Change` objects `SimMarket.applyChanges` takes.
//! - A vendor's report response is passed as parsed JSON, exactly as received.

use channelwise::platform::adapter::Change;
use channelwise::platform::metrics::{self, Report};
use channelwise::platform::payloads::{ga4, google_ads, meta};
use channelwise::platform::pii::{self, GoogleEmail, UserData};
use channelwise::{Error, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{from_camel, given};
use crate::api::{arg, job, Job};
use crate::decl::Declared;
use crate::decl::Named;
use crate::host::Host;
use crate::keys::to_camel;
use crate::optimize::bids::Strings;
use crate::optimize::renamed;
use crate::out::Out;
use crate::{js_options, read};

// ---- readers ---------------------------------------------------------------------------------

/// A JS value as JSON (what `JSON.stringify` writes), errors naming `field`.
fn json<H: Host>(h: H, v: &H::V, field: &str) -> Result<Value> {
    crate::keys::tree(h, v, field)
}

/// A list of vendor objects, each read as the core's `T`; a bad one is `invalid_parameter`
/// naming `field[i]` and the key in it, never showing a value (see [`item`]).
fn items<H: Host, T: DeserializeOwned>(h: H, v: &H::V, field: &str) -> Result<Vec<T>> {
    let Value::Array(list) = json(h, v, field)? else {
        return Err(read::wrong(h, field, v, "an array of objects"));
    };
    list.into_iter()
        .enumerate()
        .map(|(i, x)| item(x, &format!("{field}[{i}]")))
        .collect()
}

/// One vendor object read as the core's `T`.
fn item<T: DeserializeOwned>(x: Value, field: &str) -> Result<T> {
    // vendor objects carry personal data: the error shows where, never what
    crate::keys::from_tree_private(&x, &x, field)
}

/// The send time, whole ms since the epoch: `given`, or the engine's clock.
fn now_ms<H: Host>(h: H, given: Option<f64>, field: &str) -> Result<i64> {
    let x = given.unwrap_or_else(|| h.now_ms().floor());
    super::whole_time(x, field, "expected whole ms since the epoch (Date.now())")
}

/// A core error about one of the options `keys` named as JS writes it (`options.batchSize`);
/// other fields (paths in the vendor's data) unchanged.
fn in_options(e: Error, keys: &[&str]) -> Error {
    crate::keys::option_field(e, keys, |_| None)
}

/// A list of request bodies as JS objects.
fn bodies(list: Vec<Value>) -> Result<Out> {
    crate::serde_js::to_out(&list)
}

/// Google's email rule, default the documentation's.
fn google_email(g: Option<Named<GoogleEmail>>) -> pii::Options {
    g.map_or_else(pii::Options::default, |g| {
        pii::Options::default().google_email(g.0)
    })
}

// ---- Meta ------------------------------------------------------------------------------------

js_options! {
    /// Options of `platform.metaCapiEvents`.
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `nowMs` | the clock | when the request is sent, ms since the epoch (events older than 7 days are refused) | whole ms |
    /// | `batchSize` | 1000 | events per request body | 1 to 1000 |
    /// | `testEventCode` | none | Events Manager's test code, added to every body | non-empty |
    pub struct CapiOptions {
        /// When the request is sent, ms since the epoch (default `Date.now()`).
        nowMs: f64,
        /// Events per request body, 1 to 1000 (default 1000).
        batchSize: usize,
        /// Events Manager's test event code.
        testEventCode: String,
    }
}

/// `platform.metaCapiEvents(events, options?)`: Conversions API bodies `{ data: [...] }`.
pub fn meta_capi_events<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let events: Vec<meta::CapiEvent> = items(h, &arg(h, a, 0)?, "events")?;
    let o = CapiOptions::read(h, &arg(h, a, 1)?, "options")?;
    let mut options = meta::CapiOptions::new(now_ms(h, o.nowMs, "options.nowMs")?);
    if let Some(n) = o.batchSize {
        options = options.batch_size(n);
    }
    if let Some(code) = o.testEventCode {
        options = options.test_event_code(code);
    }
    job(move || {
        meta::capi_requests(&events, &options)
            .map_err(|e| in_options(e, CapiOptions::KEYS))
            .and_then(bodies)
    })
}

/// `platform.metaChangeRequest(change, currency)`: the Marketing API `POST` applying a change,
/// amounts in the currency's minor unit.
pub fn meta_change_request<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let change: Change = from_camel(h, &arg(h, a, 0)?, "change")?;
    let currency = read::string(h, &arg(h, a, 1)?, "currency")?;
    job(move || {
        let r = meta::change_request(&change, &currency).map_err(|e| {
            renamed(e, |f| {
                (f != "currency").then(|| format!("change.{}", crate::keys::camel(f)))
            })
        })?;
        crate::serde_js::to_out(&r)
    })
}

// ---- GA4 -------------------------------------------------------------------------------------

js_options! {
    /// Options of `platform.ga4Requests` and `platform.ga4Body`.
    pub struct Ga4Options {
        /// When the request is sent, ms since the epoch (default `Date.now()`): event
        /// timestamps must lie within the 72 hours before it.
        nowMs: f64,
        /// A Google Analytics 360 property (parameter values up to 500 characters, not 100).
        ga360: bool,
    }
}

fn ga4_args<H: Host>(h: H, a: &[H::V]) -> Result<(ga4::Ga4Payload, ga4::Ga4Options)> {
    let payload = item(json(h, &arg(h, a, 0)?, "payload")?, "payload")?;
    let o = Ga4Options::read(h, &arg(h, a, 1)?, "options")?;
    let options =
        ga4::Ga4Options::new(now_ms(h, o.nowMs, "options.nowMs")?).ga360(o.ga360.unwrap_or(false));
    Ok((payload, options))
}

/// `platform.ga4Requests(payload, options?)`: the payload's events split into `/mp/collect`
/// bodies of at most 25.
pub fn ga4_requests<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (payload, options) = ga4_args(h, a)?;
    job(move || ga4::requests(&payload, &options).and_then(bodies))
}

/// `platform.ga4Body(payload, options?)`: the payload as one `/mp/collect` body (more than 25
/// events is an error).
pub fn ga4_body<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (payload, options) = ga4_args(h, a)?;
    job(move || ga4::body(&payload, &options).and_then(|b| crate::serde_js::to_out(&b)))
}

// ---- Google Ads ------------------------------------------------------------------------------

js_options! {
    /// Options of `platform.googleAdsClickConversions`.
    pub struct ClickConversionOptions {
        /// The account, digits only (`'1234567890'`).
        customerId: String = required,
        /// Check without applying (`validateOnly` in the body).
        validateOnly: bool,
        /// Conversions per request, 1 to 2000 (default 2000).
        batchSize: usize,
        /// Google's email rule for `user_data` (default `'documentation'`).
        googleEmail: Named<GoogleEmail>,
    }
}

/// `platform.googleAdsClickConversions(conversions, options)`: `uploadClickConversions`
/// requests `{ path, body }` with `partialFailure: true`.
pub fn google_ads_click_conversions<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let conversions: Vec<google_ads::ClickConversion> = items(h, &arg(h, a, 0)?, "conversions")?;
    let o = ClickConversionOptions::read(h, &arg(h, a, 1)?, "options")?;
    let mut options = google_ads::UploadOptions::new(given(o.customerId, "options.customerId")?)
        .validate_only(o.validateOnly.unwrap_or(false));
    if let Some(n) = o.batchSize {
        options = options.batch_size(n);
    }
    options.pii = google_email(o.googleEmail);
    job(move || {
        google_ads::click_conversion_requests(&conversions, &options)
            .map_err(|e| in_options(e, ClickConversionOptions::KEYS))
            .and_then(bodies)
    })
}

js_options! {
    /// Google's normalisation of customer data.
    pub struct GoogleEmailOption {
        /// Google's email rule (default `'documentation'`; see `PiiOptions`).
        googleEmail: Named<GoogleEmail>,
    }
}

/// `platform.googleAdsUserIdentifiers(userData, options?)`: enhanced conversions'
/// `userIdentifiers`, hashed.
pub fn google_ads_user_identifiers<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let data: UserData = item(json(h, &arg(h, a, 0)?, "userData")?, "userData")?;
    let options = google_email(GoogleEmailOption::read(h, &arg(h, a, 1)?, "options")?.googleEmail);
    job(move || {
        google_ads::user_identifiers(&data, &options).and_then(|x| crate::serde_js::to_out(&x))
    })
}

/// `platform.googleAdsCustomerMatch(users, options?)`: Customer Match `create` operations, one
/// per user.
pub fn google_ads_customer_match<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let users: Vec<UserData> = items(h, &arg(h, a, 0)?, "users")?;
    let options = google_email(GoogleEmailOption::read(h, &arg(h, a, 1)?, "options")?.googleEmail);
    job(move || google_ads::customer_match_operations(&users, &options).and_then(bodies))
}

js_options! {
    /// Options of `platform.googleAdsMutate`.
    pub struct MutateOptions {
        /// Apply the valid operations when others fail (default `true`).
        partialFailure: bool,
        /// Check without applying (default `false`).
        validateOnly: bool,
    }
}

/// `platform.googleAdsMutate(changes, options?)`: budget, bid and status `mutate` requests in
/// micros with an update mask, one per resource type.
pub fn google_ads_mutate<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let changes: Vec<Change> = from_camel(h, &arg(h, a, 0)?, "changes")?;
    let o = MutateOptions::read(h, &arg(h, a, 1)?, "options")?;
    let defaults = google_ads::MutateOptions::default();
    let options = google_ads::MutateOptions {
        partial_failure: o.partialFailure.unwrap_or(defaults.partial_failure),
        validate_only: o.validateOnly.unwrap_or(defaults.validate_only),
    };
    job(move || {
        // the core names the change (`changes[2].entity`) as the caller wrote it
        google_ads::mutate_requests(&changes, options).and_then(bodies)
    })
}

/// `platform.googleAdsDateTime(ms, offsetMinutes)`: `'yyyy-mm-dd hh:mm:ss+hh:mm'`.
pub fn google_ads_date_time<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let ms = read::integer(h, &arg(h, a, 0)?, "ms")?;
    let offset = read::integer(h, &arg(h, a, 1)?, "offsetMinutes")?;
    let offset = i32::try_from(offset).map_err(|_| Error::OutOfRange {
        field: "offsetMinutes".into(),
        value: offset as f64,
        min: -840.0,
        max: 840.0,
    })?;
    job(move || {
        google_ads::format_date_time(ms, offset).map_err(|e| {
            renamed(e, |f| {
                (f == "offset_minutes").then(|| "offsetMinutes".into())
            })
        })
    })
}

/// `platform.googleAdsParseDateTime(text)`: ms since the epoch of a Google Ads date-time.
pub fn google_ads_parse_date_time<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let text = read::string(h, &arg(h, a, 0)?, "text")?;
    job(move || google_ads::parse_date_time(&text))
}

// ---- metrics ---------------------------------------------------------------------------------

/// A report as `{ timeZone, rows }`.
fn report(r: Result<Report>, keys: &[&str]) -> Result<Out> {
    to_camel(&r.map_err(|e| in_options(e, keys))?)
}

js_options! {
    /// Options of `platform.metaInsights`.
    pub struct MetaInsightsOptions {
        /// The field naming the entity (default `'campaign_id'`; `'adset_id'`, `'ad_id'`).
        entity: String,
        /// The `action_type`s counted as conversions and value (default
        /// `['offsite_conversion.fb_pixel_purchase']`).
        conversionActionTypes: Strings,
        /// Currency of rows without `account_currency`.
        currency: String,
        /// The account's IANA time zone (its `timezone_name`; Insights rows do not carry it, so
        /// it must be given).
        timeZone: String,
    }
}

/// `platform.metaInsights(response, options)`: Insights API rows (`time_increment=1`) as daily
/// metrics rows.
pub fn meta_insights<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let response = json(h, &arg(h, a, 0)?, "response")?;
    let o = MetaInsightsOptions::read(h, &arg(h, a, 1)?, "options")?;
    let mut options = metrics::MetaInsightsOptions {
        time_zone: o.timeZone,
        ..metrics::MetaInsightsOptions::default()
    };
    if let Some(e) = o.entity {
        options = options.entity(e);
    }
    if let Some(Strings(types)) = o.conversionActionTypes {
        options = options.conversion_action_types(types);
    }
    if let Some(c) = o.currency {
        options = options.currency(c);
    }
    job(move || {
        report(
            metrics::meta_insights(&response, &options),
            MetaInsightsOptions::KEYS,
        )
    })
}

js_options! {
    /// Options of `platform.googleAdsMetrics`.
    pub struct GoogleAdsMetricsOptions {
        /// The dotted path naming the entity (default `'campaign.id'`; `'adGroup.id'`).
        entity: String,
        /// Currency of rows without `customer.currencyCode`.
        currency: String,
        /// Time zone of rows without `customer.timeZone`.
        timeZone: String,
    }
}

/// `platform.googleAdsMetrics(response, options?)`: `searchStream` / `search` results as daily
/// metrics rows.
pub fn google_ads_metrics<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let response = json(h, &arg(h, a, 0)?, "response")?;
    let o = GoogleAdsMetricsOptions::read(h, &arg(h, a, 1)?, "options")?;
    let mut options = metrics::GoogleAdsOptions::default();
    if let Some(e) = o.entity {
        options = options.entity(e);
    }
    if let Some(c) = o.currency {
        options = options.currency(c);
    }
    if let Some(z) = o.timeZone {
        options = options.time_zone(z);
    }
    job(move || {
        report(
            metrics::google_ads(&response, &options),
            GoogleAdsMetricsOptions::KEYS,
        )
    })
}

js_options! {
    /// Options of `platform.ga4RunReport`: which dimension and metrics fill each column.
    pub struct Ga4ReportOptions {
        /// The dimension naming the entity (default `'sessionCampaignId'`).
        entity: String,
        /// The day dimension (default `'date'`).
        date: String,
        /// The spend metric (default `'advertiserAdCost'`).
        spend: String,
        /// The impressions metric (default `'advertiserAdImpressions'`).
        impressions: String,
        /// The clicks metric (default `'advertiserAdClicks'`).
        clicks: String,
        /// The conversions metric (default `'keyEvents'`).
        conversions: String,
        /// The value metric (default `'totalRevenue'`).
        value: String,
        /// Currency when `metadata.currencyCode` is absent.
        currency: String,
        /// Time zone when `metadata.timeZone` is absent.
        timeZone: String,
    }
}

/// `platform.ga4RunReport(response, options?)`: a Data API `runReport` response as daily
/// metrics rows.
pub fn ga4_run_report<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let response = json(h, &arg(h, a, 0)?, "response")?;
    let o = Ga4ReportOptions::read(h, &arg(h, a, 1)?, "options")?;
    let mut options = metrics::Ga4ReportOptions::default();
    for (slot, given) in [
        (&mut options.entity, o.entity),
        (&mut options.date, o.date),
        (&mut options.spend, o.spend),
        (&mut options.impressions, o.impressions),
        (&mut options.clicks, o.clicks),
        (&mut options.conversions, o.conversions),
        (&mut options.value, o.value),
    ] {
        if let Some(x) = given {
            *slot = x;
        }
    }
    options.currency = o.currency;
    options.time_zone = o.timeZone;
    job(move || {
        report(
            metrics::ga4_run_report(&response, &options),
            Ga4ReportOptions::KEYS,
        )
    })
}

// ---- declarations ----------------------------------------------------------------------------

const PAYLOADS_TS: &str = "\
/** A Conversions API server event in Meta's field names: `user_data` raw (hashed here; `client_user_agent`, `client_ip_address`, `fbc`, `fbp` pass as they are), other fields passed through. */
export interface CapiEvent {
  event_name: string;
  /** Unix seconds. */
  event_time: number;
  event_id?: string;
  action_source: 'email' | 'website' | 'app' | 'phone_call' | 'chat' | 'physical_store' | 'system_generated' | 'business_messaging' | 'other';
  event_source_url?: string;
  user_data?: UserData;
  custom_data?: { [key: string]: unknown };
  [field: string]: unknown;
}
/** A GA4 Measurement Protocol payload in Google's field names (any number of events; `ga4Requests` splits them). */
export interface Ga4Payload {
  client_id?: string;
  app_instance_id?: string;
  user_id?: string;
  timestamp_micros?: number;
  user_properties?: { [name: string]: { value: unknown } };
  events: { name: string; params?: { [name: string]: unknown }; timestamp_micros?: number }[];
  [field: string]: unknown;
}
/** A Google Ads click conversion in the API's snake_case names: exactly one of `gclid`, `gbraid`, `wbraid`; `user_data` raw (hashed here). */
export interface ClickConversion {
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  /** `customers/<id>/conversionActions/<id>`. */
  conversion_action: string;
  /** `'yyyy-mm-dd hh:mm:ss+hh:mm'` (`platform.googleAdsDateTime`). */
  conversion_date_time: string;
  conversion_value?: number;
  currency_code?: string;
  order_id?: string;
  user_data?: UserData;
}
/** A request body as the vendor takes it (`JSON.stringify` it and send). */
export type VendorBody = { [key: string]: unknown };
/** A request to send: where (`path`, relative to the API version's root) and what. */
export interface VendorRequest {
  path: string;
  body: VendorBody;
  [key: string]: unknown;
}
/** Daily metrics rows and the time zone their days are in. */
export interface MetricsReport {
  timeZone: string;
  rows: MetricsRow[];
}
";

/// The TypeScript declarations of the payload builders and report readers.
pub fn declarations() -> Vec<String> {
    vec![
        PAYLOADS_TS.to_string(),
        CapiOptions::declaration(),
        Ga4Options::declaration(),
        ClickConversionOptions::declaration(),
        GoogleEmailOption::declaration(),
        MutateOptions::declaration(),
        MetaInsightsOptions::declaration(),
        GoogleAdsMetricsOptions::declaration(),
        Ga4ReportOptions::declaration(),
    ]
}
