//! Google Analytics 4 Measurement Protocol: `/mp/collect` JSON bodies, checked against the
//! limits Google documents, so an event is refused here instead of silently dropped there (the
//! endpoint answers 2xx to malformed data).
//!
//! Sources: the Measurement Protocol reference
//! (<https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference>, its
//! "Reserved names" and "Limitations" sections) and the sending-events guide.
//!
//! | Check | Limit | Error field |
//! |---|---|---|
//! | identity | exactly one of `client_id` (web stream) or `app_instance_id` (app stream), not empty; `user_id` not empty when given | `client_id` |
//! | events per request | 1 to 25 ([`body`]); [`requests`] splits longer lists | `events` |
//! | event name | 1 to 40 characters, ASCII letters, digits and `_`, starting with a letter; not a reserved name or prefix (`google_`, `ga_`, `firebase_`) | `events[i].name` |
//! | parameters | at most 25 an event; names as event names (and not `firebase_conversion`); string values at most 100 characters (500 for GA4 360; `page_location` 1,000, `page_referrer` 420, `page_title` 300, see [`LONG_PARAMS`]); numbers, booleans, and a list of item objects under `items` | `events[i].params.<name>` |
//! | user properties | at most 25; names at most 24 characters, not reserved; string values at most 36 characters | `user_properties.<name>` |
//! | `timestamp_micros` | request and event level, at most 72 hours before `now_ms` | `timestamp_micros`, `events[i].timestamp_micros` |
//! | body | at most 130,000 bytes of JSON (Google's "130kB") | `body` |
//!
//! Names are counted in characters (Unicode scalar values), as Google's limits are stated. The
//! reserved prefixes `_` and `gtag.` of event names cannot pass the name rule anyway. No
//! bound on future timestamps is documented, so none is checked. Other top-level fields
//! (`user_data`, `consent`, `user_location`, `device`, ...) pass through unchanged.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `now_ms` | required | the time of sending, ms since the epoch | any |
//! | `ga360` | `false` | a GA4 360 property: parameter values up to 500 characters | `true`, `false` |
//!
//! ```
//! use channelwise::platform::payloads::ga4::{body, Ga4Options, Ga4Payload};
//! let payload: Ga4Payload = serde_json::from_value(serde_json::json!({
//!     "client_id": "123.456",
//!     "events": [{"name": "purchase", "params": {"currency": "USD", "value": 30.03, "transaction_id": "T-1"}}]
//! })).unwrap();
//! let b = body(&payload, &Ga4Options::new(1_700_000_000_000))?;
//! assert_eq!(b["events"][0]["name"], "purchase");
//! let bad: Ga4Payload = serde_json::from_value(serde_json::json!({
//!     "client_id": "123.456", "events": [{"name": "session_start"}]
//! })).unwrap();
//! assert!(body(&bad, &Ga4Options::new(0)).unwrap_err().to_string().contains("events[0].name"));
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{check_len, within};
use crate::error::{Error, Result};

/// Events per request.
pub const MAX_EVENTS: usize = 25;
/// Parameters per event.
pub const MAX_PARAMS: usize = 25;
/// User properties per request.
pub const MAX_USER_PROPERTIES: usize = 25;
/// Characters of an event or parameter name.
pub const MAX_NAME: usize = 40;
/// Characters of a parameter value (standard property).
pub const MAX_PARAM_VALUE: usize = 100;
/// Characters of a parameter value in a GA4 360 property.
pub const MAX_PARAM_VALUE_360: usize = 500;
/// Characters of a user property name.
pub const MAX_USER_PROPERTY_NAME: usize = 24;
/// Characters of a user property value.
pub const MAX_USER_PROPERTY_VALUE: usize = 36;
/// Bytes of a request body.
pub const MAX_BODY_BYTES: usize = 130_000;
/// How far back `timestamp_micros` may go: 72 hours, in microseconds.
pub const MAX_AGE_MICROS: i64 = 72 * 3_600 * 1_000_000;

/// Parameters allowed longer values than [`MAX_PARAM_VALUE`] (Google Analytics' automatically
/// collected events page: `page_location` 1,000, `page_referrer` 420, `page_title` 300).
pub const LONG_PARAMS: [(&str, usize); 3] = [("page_location", 1000), ("page_referrer", 420), ("page_title", 300)];

/// Event names the reference reserves.
pub const RESERVED_EVENT_NAMES: [&str; 35] = [
    "ad_activeview", "ad_click", "ad_exposure", "ad_query", "ad_reward", "adunit_exposure", "app_background",
    "app_clear_data", "app_exception", "app_remove", "app_store_refund", "app_store_subscription_cancel",
    "app_store_subscription_convert", "app_store_subscription_renew", "app_update", "app_upgrade",
    "dynamic_link_app_open", "dynamic_link_app_update", "dynamic_link_first_open", "error", "firebase_campaign",
    "firebase_in_app_message_action", "firebase_in_app_message_dismiss", "firebase_in_app_message_impression",
    "first_open", "first_visit", "in_app_purchase", "notification_dismiss", "notification_foreground",
    "notification_open", "notification_receive", "os_update", "session_start", "session_start_with_rollout",
    "user_engagement",
];
/// Parameter names the reference reserves.
pub const RESERVED_PARAM_NAMES: [&str; 1] = ["firebase_conversion"];
/// User property names the reference reserves.
pub const RESERVED_USER_PROPERTY_NAMES: [&str; 5] =
    ["first_open_time", "first_visit_time", "last_deep_link_referrer", "user_id", "first_open_after_install"];
/// Prefixes reserved for event, parameter and user property names.
pub const RESERVED_PREFIXES: [&str; 3] = ["google_", "ga_", "firebase_"];

/// One event: a name and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ga4Event {
    /// Event name, e.g. `purchase`.
    pub name: String,
    /// Parameters (strings, numbers, booleans; `items` a list of objects).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub params: Map<String, Value>,
    /// This event's time, Unix microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_micros: Option<i64>,
}

/// A Measurement Protocol payload as the caller has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ga4Payload {
    /// The web client's id (gtag's `client_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The app instance's id (Firebase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_instance_id: Option<String>,
    /// The signed-in user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Time of every event without its own, Unix microseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_micros: Option<i64>,
    /// `{"name": {"value": ...}}`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub user_properties: Map<String, Value>,
    /// The events.
    pub events: Vec<Ga4Event>,
    /// Any other top-level field, passed through.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Options of [`body`] and [`requests`] (see the module table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ga4Options {
    /// The time of sending, ms since the epoch.
    pub now_ms: i64,
    /// A GA4 360 property (longer parameter values).
    #[serde(default)]
    pub ga360: bool,
}

impl Ga4Options {
    /// A standard property, sending at `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        Ga4Options { now_ms, ga360: false }
    }

    /// A GA4 360 property.
    pub fn ga360(mut self, yes: bool) -> Self {
        self.ga360 = yes;
        self
    }
}

/// Checks a name: 1 to `max` characters, ASCII letters, digits and `_`, starting with a letter,
/// no reserved prefix, not in `reserved`.
fn check_name(field: &str, name: &str, max: usize, reserved: &[&str]) -> Result<()> {
    let n = name.chars().count();
    if n == 0 || n > max {
        return Err(Error::param(field, name, format!("must be 1 to {max} characters, has {n}")));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::param(field, name, "must start with a letter and hold only letters, digits and _"));
    }
    if let Some(p) = RESERVED_PREFIXES.iter().find(|p| name.starts_with(*p)) {
        return Err(Error::param(field, name, format!("uses the reserved prefix {p}")));
    }
    if reserved.contains(&name) {
        return Err(Error::param(field, name, "is a name Google Analytics reserves"));
    }
    Ok(())
}

fn check_timestamp(field: &str, ts: Option<i64>, now_ms: i64) -> Result<()> {
    let Some(ts) = ts else { return Ok(()) };
    let now = now_ms.saturating_mul(1000);
    let oldest = now.saturating_sub(MAX_AGE_MICROS);
    if ts < oldest {
        return Err(Error::param(field, ts, format!("is more than 72 hours before now ({now} µs); oldest allowed {oldest}")));
    }
    Ok(())
}

/// A parameter value: a string of at most `max` characters, a number or a boolean.
fn check_scalar(field: &str, v: &Value, max: usize) -> Result<()> {
    match v {
        Value::String(s) => {
            let n = s.chars().count();
            if n > max {
                return Err(Error::param(field, s.chars().take(16).collect::<String>() + "...", format!("has {n} characters, at most {max}")));
            }
            Ok(())
        }
        Value::Number(_) | Value::Bool(_) => Ok(()),
        other => Err(Error::param(field, other, "must be a string, a number or a boolean")),
    }
}

fn check_event(e: &Ga4Event, options: &Ga4Options) -> Result<()> {
    check_name("name", &e.name, MAX_NAME, &RESERVED_EVENT_NAMES)?;
    check_timestamp("timestamp_micros", e.timestamp_micros, options.now_ms)?;
    if e.params.len() > MAX_PARAMS {
        return Err(Error::param("params", e.params.len(), format!("has {} parameters, at most {MAX_PARAMS}", e.params.len())));
    }
    let base = if options.ga360 { MAX_PARAM_VALUE_360 } else { MAX_PARAM_VALUE };
    for (k, v) in &e.params {
        let field = format!("params.{k}");
        check_name(&field, k, MAX_NAME, &RESERVED_PARAM_NAMES)?;
        let max = LONG_PARAMS.iter().find(|p| p.0 == k).map_or(base, |p| p.1.max(base));
        match (k.as_str(), v) {
            ("items", Value::Array(items)) => {
                for (j, item) in items.iter().enumerate() {
                    let Value::Object(item) = item else {
                        return Err(Error::param(format!("{field}[{j}]"), item, "an item must be an object"));
                    };
                    for (ik, iv) in item {
                        let f = format!("{field}[{j}].{ik}");
                        check_name(&f, ik, MAX_NAME, &RESERVED_PARAM_NAMES)?;
                        check_scalar(&f, iv, max)?;
                    }
                }
            }
            _ => check_scalar(&field, v, max)?,
        }
    }
    Ok(())
}

fn check_user_properties(props: &Map<String, Value>) -> Result<()> {
    if props.len() > MAX_USER_PROPERTIES {
        return Err(Error::param("user_properties", props.len(), format!("has {} properties, at most {MAX_USER_PROPERTIES}", props.len())));
    }
    for (k, v) in props {
        let field = format!("user_properties.{k}");
        check_name(&field, k, MAX_USER_PROPERTY_NAME, &RESERVED_USER_PROPERTY_NAMES)?;
        let Some(value) = v.as_object().and_then(|o| o.get("value")) else {
            return Err(Error::param(field, v, "must be an object {\"value\": ...}"));
        };
        check_scalar(&format!("{field}.value"), value, MAX_USER_PROPERTY_VALUE)?;
    }
    Ok(())
}

/// Everything but the event count and the body size.
fn check_payload(p: &Ga4Payload, options: &Ga4Options) -> Result<()> {
    let present = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    match (present(&p.client_id), present(&p.app_instance_id)) {
        (true, false) | (false, true) => {}
        (true, true) => return Err(Error::param("client_id", "", "give client_id (web) or app_instance_id (app), not both")),
        (false, false) => return Err(Error::param("client_id", "", "is missing: a web stream needs client_id, an app stream app_instance_id")),
    }
    if p.user_id.as_deref().is_some_and(|u| u.trim().is_empty()) {
        return Err(Error::param("user_id", "", "is empty"));
    }
    check_timestamp("timestamp_micros", p.timestamp_micros, options.now_ms)?;
    check_user_properties(&p.user_properties)?;
    for (i, e) in p.events.iter().enumerate() {
        check_event(e, options).map_err(|err| within(&format!("events[{i}]"), err))?;
    }
    Ok(())
}

/// The body with these events, size checked.
fn build(p: &Ga4Payload, events: &[Ga4Event]) -> Result<Value> {
    let mut out = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            out.insert(k.to_string(), v);
        }
    };
    put("client_id", p.client_id.as_ref().map(|s| json!(s)));
    put("app_instance_id", p.app_instance_id.as_ref().map(|s| json!(s)));
    put("user_id", p.user_id.as_ref().map(|s| json!(s)));
    put("timestamp_micros", p.timestamp_micros.map(|t| json!(t)));
    put("user_properties", (!p.user_properties.is_empty()).then(|| Value::Object(p.user_properties.clone())));
    for (k, v) in &p.other {
        out.insert(k.clone(), v.clone());
    }
    let events = serde_json::to_value(events).map_err(|e| Error::Internal(e.to_string()))?;
    out.insert("events".into(), events);
    let body = Value::Object(out);
    let bytes = serde_json::to_vec(&body).map_err(|e| Error::Internal(e.to_string()))?.len();
    check_len("body", "the JSON body (bytes)", bytes, MAX_BODY_BYTES)?;
    Ok(body)
}

/// Checks the payload and builds one request body.
///
/// # Errors
/// [`Error::InvalidParameter`] naming the field (module table): an `events` list empty or
/// longer than 25, a bad name, value, identity or timestamp, a body over 130,000 bytes.
pub fn body(payload: &Ga4Payload, options: &Ga4Options) -> Result<Value> {
    let n = payload.events.len();
    if n == 0 || n > MAX_EVENTS {
        return Err(Error::param("events", n, format!("a request carries 1 to {MAX_EVENTS} events, got {n}")));
    }
    check_payload(payload, options)?;
    build(payload, &payload.events)
}

/// Checks the payload and builds as many bodies as its events need, at most 25 events each, in
/// order; every body repeats the identity, user properties and other top-level fields.
///
/// # Errors
/// As [`body`], except that any number of events is fine (none gives no bodies); a body over
/// 130,000 bytes is named `body` with the reason.
pub fn requests(payload: &Ga4Payload, options: &Ga4Options) -> Result<Vec<Value>> {
    check_payload(payload, options)?;
    payload.events.chunks(MAX_EVENTS).map(|chunk| build(payload, chunk)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(v: Value) -> Ga4Payload {
        serde_json::from_value(v).unwrap()
    }

    fn err(v: Value) -> String {
        body(&payload(v), &Ga4Options::new(1_700_000_000_000)).unwrap_err().to_string()
    }

    #[test]
    fn names_and_limits() {
        let long = "a".repeat(41);
        assert!(err(json!({"client_id": "1", "events": [{"name": long}]})).contains("events[0].name"));
        assert!(err(json!({"client_id": "1", "events": [{"name": "1abc"}]})).contains("events[0].name"));
        assert!(err(json!({"client_id": "1", "events": [{"name": "ga_x"}]})).contains("reserved prefix"));
        assert!(err(json!({"client_id": "1", "events": [{"name": "x", "params": {"firebase_conversion": 1}}]})).contains("params.firebase_conversion"));
        let v = "v".repeat(101);
        assert!(err(json!({"client_id": "1", "events": [{"name": "x", "params": {"p": v}}]})).contains("events[0].params.p"));
        let page = "https://x.example/".to_string() + &"p".repeat(900);
        let ok = payload(json!({"client_id": "1", "events": [{"name": "page_view", "params": {"page_location": page}}]}));
        assert!(body(&ok, &Ga4Options::new(0)).is_ok());
        let ok = payload(json!({"client_id": "1", "events": [{"name": "x", "params": {"p": v}}]}));
        assert!(body(&ok, &Ga4Options::new(0).ga360(true)).is_ok());
        assert!(err(json!({"client_id": "1", "user_properties": {"user_id": {"value": "x"}}, "events": [{"name": "x"}]})).contains("user_properties.user_id"));
        assert!(err(json!({"client_id": "1", "user_properties": {"tier": {"value": "x".repeat(37)}}, "events": [{"name": "x"}]})).contains("user_properties.tier.value"));
        assert!(err(json!({"events": [{"name": "x"}]})).contains("client_id"));
        assert!(err(json!({"client_id": "1", "app_instance_id": "2", "events": [{"name": "x"}]})).contains("client_id"));
    }

    #[test]
    fn seventy_two_hours() {
        let now_ms = 1_700_000_000_000;
        let edge = now_ms * 1000 - MAX_AGE_MICROS;
        let p = |t: i64| payload(json!({"client_id": "1", "events": [{"name": "x", "timestamp_micros": t}]}));
        assert!(body(&p(edge), &Ga4Options::new(now_ms)).is_ok());
        let e = body(&p(edge - 1), &Ga4Options::new(now_ms)).unwrap_err();
        assert!(e.to_string().contains("events[0].timestamp_micros"), "{e}");
    }

    #[test]
    fn splitting_and_size() {
        let events: Vec<Value> = (0..60).map(|i| json!({"name": "e", "params": {"i": i}})).collect();
        let p = payload(json!({"client_id": "1", "events": events}));
        let bodies = requests(&p, &Ga4Options::new(0)).unwrap();
        let sizes: Vec<usize> = bodies.iter().map(|b| b["events"].as_array().unwrap().len()).collect();
        assert_eq!(sizes, [25, 25, 10]);
        assert!(body(&p, &Ga4Options::new(0)).unwrap_err().to_string().contains("events"));
        let big: Vec<Value> = (0..25).map(|_| json!({"name": "e", "params": {"items": (0..60).map(|_| json!({"item_name": "x".repeat(90)})).collect::<Vec<_>>()}})).collect();
        let e = body(&payload(json!({"client_id": "1", "events": big})), &Ga4Options::new(0)).unwrap_err();
        assert!(e.to_string().contains("invalid body"), "{e}");
    }
}
