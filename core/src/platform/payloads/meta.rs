//! Meta: Conversions API event bodies, and Marketing API budget, bid and status updates in the
//! currency's minor unit.
//!
//! **Conversions API** ([`capi_requests`]): each event is checked as Meta's "Server Event
//! Parameters" page states (<https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event>),
//! its `user_data` hashed through [`crate::platform::pii`] (fields Meta takes unhashed, such as
//! `client_user_agent`, `client_ip_address`, `fbc` and `fbp`, pass as they are), and the events
//! are split into `{"data": [...]}` bodies of at most 1,000 (the page's batch limit). Meta refuses
//! the *whole request* when one event is too old, so one bad event is an error here, naming it
//! (`events[3].event_time`), before anything is sent.
//!
//! | Check | Rule | Error field |
//! |---|---|---|
//! | `event_name` | not empty | `events[i].event_name` |
//! | `event_time` | Unix seconds, not more than 7 days (604,800 s) before `now_ms` | `events[i].event_time` |
//! | `event_id` | not empty when given (Meta deduplicates pixel and server events on `event_name` + `event_id`) | `events[i].event_id` |
//! | `action_source` | one of [`ACTION_SOURCES`] | `events[i].action_source` |
//! | website events | need `event_source_url` (http or https) and `user_data.client_user_agent` | `events[i].event_source_url`, `events[i].user_data.client_user_agent` |
//! | `user_data` | at least one field; each hashed field normalised as [`crate::platform::pii`] documents | `events[i].user_data.em` (value `[redacted]`) |
//! | `custom_data` | `value` and `currency` together (both required for `Purchase`); `value` a finite number `>= 0`; `currency` three ASCII letters | `events[i].custom_data.value` |
//!
//! The page states no bound for future times, so none is checked. Other event fields
//! (`opt_out`, `data_processing_options`, `app_data`, `referrer_url`, ...) pass through unchanged.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `now_ms` | required | the time the request is sent, ms since the epoch | any |
//! | `batch_size` | 1000 | events per request | 1 to 1000 |
//! | `test_event_code` | none | Events Manager's test code, added to every body | non-empty text |
//!
//! **Budget, bid and status** ([`change_request`]): Marketing API amounts are integers in the
//! currency's minor unit: the amount times the currency's offset from Meta's "Currency codes"
//! table ([`super::meta_offset`]: USD 100, JPY 1), rounded to the nearest unit. A daily budget
//! becomes `daily_budget`, a bid `bid_amount`, a status `ACTIVE` or `PAUSED`, each a `POST` to
//! the entity's node.
//!
//! ```
//! use channelwise::platform::payloads::meta::{capi_requests, CapiEvent, CapiOptions};
//! let event: CapiEvent = serde_json::from_value(serde_json::json!({
//!     "event_name": "Purchase", "event_time": 1_700_000_000, "event_id": "order-17",
//!     "action_source": "website", "event_source_url": "https://shop.example/thanks",
//!     "user_data": {"em": "Jane@Example.com", "client_user_agent": "Mozilla/5.0"},
//!     "custom_data": {"currency": "USD", "value": 42.5}
//! })).unwrap();
//! let bodies = capi_requests(&[event.clone()], &CapiOptions::new(1_700_000_100_000))?;
//! assert_eq!(bodies[0]["data"][0]["user_data"]["em"].as_str().unwrap().len(), 64);
//! // eight days later Meta would refuse the request
//! let late = capi_requests(&[event], &CapiOptions::new(1_700_691_200_000)).unwrap_err();
//! assert!(late.to_string().contains("events[0].event_time"));
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{batches, check_amount, meta_offset, within};
use crate::error::{Error, Result};
use crate::platform::adapter::{Action, Change, Status};
use crate::platform::pii::{self, OneOrMany, UserData, Vendor, META_UNHASHED, REDACTED};

/// Events per Conversions API request.
pub const MAX_EVENTS: usize = 1000;

/// The oldest `event_time` Meta takes, in seconds before now (7 days).
pub const MAX_AGE_SECONDS: i64 = 7 * 86_400;

/// The `action_source` values Meta accepts.
pub const ACTION_SOURCES: [&str; 9] =
    ["email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other"];

/// One server event as the caller has it: customer data raw (hashed here), other fields as
/// Meta names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapiEvent {
    /// A standard (`Purchase`, `Lead`) or custom event name.
    pub event_name: String,
    /// When it happened, Unix seconds (UTC).
    pub event_time: i64,
    /// The id shared with the pixel's `eventID`, for deduplication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Where the conversion happened, one of [`ACTION_SOURCES`].
    pub action_source: String,
    /// The page of a website event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source_url: Option<String>,
    /// Customer data under Meta's keys: raw values of `em`, `ph`, `fn`, ... are hashed;
    /// `client_user_agent`, `client_ip_address`, `fbc`, `fbp` and Meta's other unhashed keys
    /// pass through.
    #[serde(default)]
    pub user_data: UserData,
    /// `currency`, `value`, `contents`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Map<String, Value>>,
    /// Any other event field, passed through unchanged.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Options of [`capi_requests`] (see the module table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapiOptions {
    /// The time of sending, ms since the epoch.
    pub now_ms: i64,
    /// Events per request, 1 to 1000.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Events Manager's test event code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_event_code: Option<String>,
}

fn default_batch_size() -> usize {
    MAX_EVENTS
}

impl CapiOptions {
    /// Options for sending at `now_ms`, 1,000 events a request, no test code.
    pub fn new(now_ms: i64) -> Self {
        CapiOptions { now_ms, batch_size: MAX_EVENTS, test_event_code: None }
    }

    /// Events per request.
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n;
        self
    }

    /// Adds Events Manager's test event code to every body.
    pub fn test_event_code(mut self, code: impl Into<String>) -> Self {
        self.test_event_code = Some(code.into());
        self
    }
}

/// Checks one event and builds its JSON, `user_data` hashed; errors name the field without a
/// prefix (`event_time`).
///
/// # Errors
/// [`Error::InvalidParameter`] for the checks of the module table;
/// [`Error::NonFinite`] / [`Error::OutOfRange`] for a bad `custom_data.value`.
pub fn capi_event(event: &CapiEvent, now_ms: i64) -> Result<Value> {
    if event.event_name.trim().is_empty() {
        return Err(Error::param("event_name", "", "is empty"));
    }
    let now_s = now_ms.div_euclid(1000);
    let oldest = now_s.saturating_sub(MAX_AGE_SECONDS);
    if event.event_time < oldest {
        return Err(Error::param(
            "event_time",
            event.event_time,
            format!("is more than 7 days before now ({now_s}); Meta refuses the whole request (oldest allowed {oldest})"),
        ));
    }
    if event.event_id.as_deref().is_some_and(|id| id.trim().is_empty()) {
        return Err(Error::param("event_id", "", "is empty (leave it out, or give the pixel's eventID)"));
    }
    if !ACTION_SOURCES.contains(&event.action_source.as_str()) {
        return Err(Error::param("action_source", &event.action_source, format!("must be one of {}", ACTION_SOURCES.join(", "))));
    }
    if event.action_source == "website" {
        let url = event.event_source_url.as_deref().unwrap_or_default();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() <= "https://".len() {
            return Err(Error::param("event_source_url", url, "a website event needs the page's http(s) URL"));
        }
        let ua = match event.user_data.get("client_user_agent") {
            Some(OneOrMany::One(ua)) => ua.expose().trim(),
            _ => "",
        };
        if ua.is_empty() {
            return Err(Error::param("user_data.client_user_agent", REDACTED, "a website event needs the browser's user agent"));
        }
    }
    let mut out = Map::new();
    out.insert("event_name".into(), json!(event.event_name));
    out.insert("event_time".into(), json!(event.event_time));
    if let Some(id) = &event.event_id {
        out.insert("event_id".into(), json!(id));
    }
    out.insert("action_source".into(), json!(event.action_source));
    if let Some(url) = &event.event_source_url {
        out.insert("event_source_url".into(), json!(url));
    }
    out.insert("user_data".into(), user_data(&event.user_data)?);
    let purchase = event.event_name == "Purchase";
    match &event.custom_data {
        Some(custom) => {
            check_custom_data(custom, purchase)?;
            out.insert("custom_data".into(), Value::Object(custom.clone()));
        }
        None if purchase => return Err(Error::param("custom_data.value", "", "a Purchase event needs custom_data.value and currency")),
        None => {}
    }
    for (k, v) in &event.other {
        out.insert(k.clone(), v.clone());
    }
    Ok(Value::Object(out))
}

/// Hashes the fields Meta matches on and passes its unhashed keys through.
fn user_data(data: &UserData) -> Result<Value> {
    if data.is_empty() {
        return Err(Error::param("user_data", "{}", "needs at least one customer information parameter"));
    }
    let (plain, hashed): (UserData, UserData) = data.clone().into_iter().partition(|(k, _)| META_UNHASHED.contains(&k.as_str()));
    let mut out = Map::new();
    for (k, v) in pii::hash_user_data(&hashed, Vendor::Meta)? {
        out.insert(k, serde_json::to_value(v).map_err(|e| Error::Internal(e.to_string()))?);
    }
    for (k, v) in plain {
        let v = match v {
            OneOrMany::One(s) => json!(s.into_inner()),
            OneOrMany::Many(vs) => json!(vs.into_iter().map(pii::Pii::into_inner).collect::<Vec<_>>()),
        };
        out.insert(k, v);
    }
    Ok(Value::Object(out))
}

fn check_custom_data(custom: &Map<String, Value>, purchase: bool) -> Result<()> {
    let value = custom.get("value");
    let currency = custom.get("currency");
    if value.is_none() && currency.is_none() && !purchase {
        return Ok(());
    }
    let Some(value) = value else {
        return Err(Error::param("custom_data.value", "", "is missing: currency and value go together (both required for Purchase)"));
    };
    let Some(v) = value.as_f64() else {
        return Err(Error::param("custom_data.value", value, "must be a number"));
    };
    check_amount(|| "custom_data.value".into(), v)?;
    let code = currency.and_then(Value::as_str).unwrap_or_default();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::param("custom_data.currency", code, "must be an ISO 4217 code such as USD (required with value)"));
    }
    Ok(())
}

/// Checks every event and builds the request bodies: `{"data": [...]}` with at most
/// `batch_size` events each, in order (and `test_event_code` when set). No events give no
/// bodies.
///
/// # Errors
/// The first bad event's error, its field prefixed with `events[i].`;
/// [`Error::OutOfRange`] (field `batch_size`) outside 1 to 1000.
pub fn capi_requests(events: &[CapiEvent], options: &CapiOptions) -> Result<Vec<Value>> {
    if !(1..=MAX_EVENTS).contains(&options.batch_size) {
        let n = options.batch_size as f64;
        return Err(Error::OutOfRange { field: "batch_size".into(), value: n, min: 1.0, max: MAX_EVENTS as f64 });
    }
    if options.test_event_code.as_deref().is_some_and(|c| c.trim().is_empty()) {
        return Err(Error::param("test_event_code", "", "is empty"));
    }
    let built = events
        .iter()
        .enumerate()
        .map(|(i, e)| capi_event(e, options.now_ms).map_err(|err| within(&format!("events[{i}]"), err)))
        .collect::<Result<Vec<Value>>>()?;
    Ok(batches(&built, options.batch_size)?
        .into_iter()
        .map(|data| {
            let mut body = Map::new();
            body.insert("data".into(), Value::Array(data));
            if let Some(code) = &options.test_event_code {
                body.insert("test_event_code".into(), json!(code));
            }
            Value::Object(body)
        })
        .collect())
}

/// `amount` (currency units) in Meta's minor units: times the currency's offset, rounded to the
/// nearest unit (halves away from zero).
///
/// # Errors
/// [`Error::InvalidParameter`] (field `currency`) for a currency Meta's ad accounts do not
/// support; [`Error::NonFinite`] / [`Error::OutOfRange`] (field `amount`) for a NaN, negative
/// or too large amount.
///
/// ```
/// use channelwise::platform::payloads::meta::to_minor_units;
/// assert_eq!(to_minor_units(250.0, "USD")?, 25_000);
/// assert_eq!(to_minor_units(3_000.0, "JPY")?, 3_000);
/// assert_eq!(to_minor_units(19.999, "EUR")?, 2_000);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn to_minor_units(amount: f64, currency: &str) -> Result<i64> {
    let offset = meta_offset(currency)
        .ok_or_else(|| Error::param("currency", currency, "not a currency of Meta's ad accounts (see its Currency codes table)"))?;
    check_amount(|| "amount".into(), amount)?;
    let minor = (amount * f64::from(offset)).round();
    if minor > super::MAX_SAFE_INTEGER {
        return Err(Error::OutOfRange { field: "amount".into(), value: amount, min: 0.0, max: super::MAX_SAFE_INTEGER / f64::from(offset) });
    }
    Ok(minor as i64)
}

/// The Marketing API request that applies `change` to a campaign or ad set whose account bills
/// in `currency`: `{"key", "method": "POST", "path": "/<entity id>", "body": {...}}` with
/// `daily_budget` or `bid_amount` in minor units, or `status`.
///
/// # Errors
/// The errors of [`Change::validate`] and [`to_minor_units`]; [`Error::OutOfRange`] (field
/// `amount` / `daily`) for a bid, or a positive budget, that rounds to 0 minor units;
/// [`Error::InvalidParameter`] (field `entity`) for an entity that is not a Meta object id
/// (digits, or `act_` and digits), since it becomes the request's path.
///
/// ```
/// use channelwise::platform::adapter::{Action, Change};
/// use channelwise::platform::payloads::meta::change_request;
/// let c = Change::new("d42/1", "120330000000000", Action::Budget { daily: 250.0 })?;
/// let r = change_request(&c, "USD")?;
/// assert_eq!(r["body"]["daily_budget"], 25_000);
/// assert_eq!(r["path"], "/120330000000000");
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn change_request(change: &Change, currency: &str) -> Result<Value> {
    change.validate()?;
    // the id becomes the request's path: `../me/adaccounts` or `1/campaigns?x=1` would reach
    // another Graph node
    let id = change.entity.strip_prefix("act_").unwrap_or(&change.entity);
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidParameter {
            field: "entity".into(),
            value: change.entity.clone(),
            reason: "expected a Meta object id: digits, or act_ and digits".into(),
        });
    }
    let body = match change.action {
        Action::Budget { daily } => {
            let minor = to_minor_units(daily, currency)?;
            if minor < 1 && daily > 0.0 {
                // a positive budget that rounds to 0 minor units would be sent as 0
                let min = 0.5 / f64::from(meta_offset(currency).unwrap_or(1));
                return Err(Error::OutOfRange { field: "daily".into(), value: daily, min, max: f64::INFINITY });
            }
            json!({ "daily_budget": minor })
        }
        Action::Bid { amount } => {
            let minor = to_minor_units(amount, currency)?;
            if minor < 1 {
                let min = 0.5 / f64::from(meta_offset(currency).unwrap_or(1));
                return Err(Error::OutOfRange { field: "amount".into(), value: amount, min, max: f64::INFINITY });
            }
            json!({ "bid_amount": minor })
        }
        Action::Status { status } => json!({ "status": match status { Status::Active => "ACTIVE", Status::Paused => "PAUSED" } }),
    };
    Ok(json!({ "key": change.key.as_str(), "method": "POST", "path": format!("/{}", change.entity), "body": body }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Amounts stop at the largest safe integer in minor units, 2^53 - 1: 2^53 is refused here,
    /// typed, rather than written and then refused by a JS reader (found by the JS mutation
    /// tests: an internal error in the JS binding).
    #[test]
    fn minor_units_stop_at_the_largest_safe_integer() {
        assert_eq!(to_minor_units(9_007_199_254_740_991.0, "JPY").unwrap(), 9_007_199_254_740_991);
        let e = to_minor_units(9_007_199_254_740_992.0, "JPY").unwrap_err();
        assert_eq!(e.kind().code(), "out_of_range", "{e}");
        assert!(crate::platform::payloads::google_ads::to_micros(9_007_199_254.740_992).is_err());
    }

    /// Found by an audit: the entity went into the path unchecked, and a positive budget below
    /// half a minor unit was sent as 0.
    #[test]
    fn entity_is_an_object_id_and_a_positive_budget_is_never_zero() {
        let budget = |entity: &str, daily: f64| change_request(&Change::new("k", entity, Action::Budget { daily }).unwrap(), "USD");
        for bad in ["../me/adaccounts", "act_1/campaigns?x=1", "act_", "12a", ""] {
            if let Ok(c) = Change::new("k", bad, Action::Budget { daily: 1.0 }) {
                let e = change_request(&c, "USD").unwrap_err();
                assert!(e.to_string().contains("expected a Meta object id"), "{bad}: {e}");
            }
        }
        assert_eq!(budget("act_123", 1.0).unwrap()["path"], "/act_123");
        assert_eq!(budget("123", 0.0).unwrap()["body"]["daily_budget"], 0);
        assert_eq!(budget("123", 0.004).unwrap_err().to_string(), "daily must be in [0.005, inf], got 0.004");
        assert_eq!(budget("123", 0.005).unwrap()["body"]["daily_budget"], 1);
    }

    fn event(v: Value) -> CapiEvent {
        serde_json::from_value(v).unwrap()
    }

    const NOW_MS: i64 = 1_700_000_000_000;

    fn web() -> Value {
        json!({"event_name": "Lead", "event_time": 1_700_000_000, "action_source": "website",
               "event_source_url": "https://x.example/", "user_data": {"client_user_agent": "UA", "fbp": "fb.1.1.1"}})
    }

    #[test]
    fn seven_days_exactly_is_accepted() {
        let mut v = web();
        v["event_time"] = json!(1_700_000_000 - MAX_AGE_SECONDS);
        assert!(capi_event(&event(v.clone()), NOW_MS).is_ok());
        v["event_time"] = json!(1_700_000_000 - MAX_AGE_SECONDS - 1);
        let e = capi_event(&event(v), NOW_MS).unwrap_err();
        assert!(e.to_string().contains("event_time"), "{e}");
    }

    #[test]
    fn website_events_need_url_and_agent() {
        let mut v = web();
        v["event_source_url"] = json!("x.example");
        assert!(capi_event(&event(v), NOW_MS).unwrap_err().to_string().contains("event_source_url"));
        let mut v = web();
        v["user_data"] = json!({"em": "a@b.co"});
        assert!(capi_event(&event(v.clone()), NOW_MS).unwrap_err().to_string().contains("client_user_agent"));
        v["action_source"] = json!("physical_store");
        let out = capi_event(&event(v), NOW_MS).unwrap();
        assert_eq!(out["user_data"]["em"], json!(pii::sha256_hex(b"a@b.co")));
    }

    #[test]
    fn unhashed_fields_pass_and_extra_fields_stay() {
        let mut v = web();
        v["opt_out"] = json!(false);
        let out = capi_event(&event(v), NOW_MS).unwrap();
        assert_eq!(out["user_data"]["fbp"], "fb.1.1.1");
        assert_eq!(out["opt_out"], false);
    }

    #[test]
    fn purchases_need_value_and_currency() {
        let mut v = web();
        v["event_name"] = json!("Purchase");
        assert!(capi_event(&event(v.clone()), NOW_MS).unwrap_err().to_string().contains("custom_data.value"));
        v["custom_data"] = json!({"value": 10.0});
        assert!(capi_event(&event(v.clone()), NOW_MS).unwrap_err().to_string().contains("custom_data.currency"));
        v["custom_data"] = json!({"value": -1.0, "currency": "usd"});
        assert_eq!(capi_event(&event(v.clone()), NOW_MS).unwrap_err().kind().code(), "out_of_range");
        v["custom_data"] = json!({"value": 1.0, "currency": "usd"});
        assert!(capi_event(&event(v), NOW_MS).is_ok());
    }

    #[test]
    fn requests_split_at_the_batch_size() {
        let events: Vec<CapiEvent> = (0..5).map(|_| event(web())).collect();
        let bodies = capi_requests(&events, &CapiOptions::new(NOW_MS).batch_size(2).test_event_code("TEST1")).unwrap();
        let sizes: Vec<usize> = bodies.iter().map(|b| b["data"].as_array().unwrap().len()).collect();
        assert_eq!(sizes, [2, 2, 1]);
        assert_eq!(bodies[2]["test_event_code"], "TEST1");
        assert!(capi_requests(&events, &CapiOptions::new(NOW_MS).batch_size(1001)).is_err());
    }

    #[test]
    fn minor_units_follow_the_offset() {
        assert_eq!(to_minor_units(0.005, "USD").unwrap(), 1);
        assert_eq!(to_minor_units(1234.4, "KRW").unwrap(), 1234);
        assert!(to_minor_units(1.0, "XYZ").unwrap_err().to_string().contains("currency"));
        let c = Change::new("k", "1", Action::Bid { amount: 0.004 }).unwrap();
        assert!(change_request(&c, "USD").is_err());
        let c = Change::new("k", "1", Action::Status { status: Status::Paused }).unwrap();
        assert_eq!(change_request(&c, "USD").unwrap()["body"]["status"], "PAUSED");
    }
}
