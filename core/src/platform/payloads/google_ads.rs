//! Google Ads: click conversion uploads, enhanced conversions / Customer Match user
//! identifiers, and budget, bid and status `mutate` requests, as REST JSON (camelCase, 64-bit
//! integers as strings, update masks as comma-separated camelCase paths).
//!
//! **Click conversions** ([`click_conversion_requests`]), as the `ClickConversion` reference and
//! the "Upload click conversions" guide state
//! (<https://developers.google.com/google-ads/api/docs/conversions/upload-clicks>):
//!
//! | Check | Rule | Error field |
//! |---|---|---|
//! | click id | at most one of `gclid`, `gbraid`, `wbraid`; none only with `user_data` (enhanced conversions for leads) | `conversions[i].gclid` |
//! | `conversion_action` | `customers/<digits>/conversionActions/<digits>` | `conversions[i].conversion_action` |
//! | `conversion_date_time` | `yyyy-mm-dd hh:mm:ss+hh:mm` (a real date and time, offset within ±14:00) | `conversions[i].conversion_date_time` |
//! | `conversion_value` | finite, `>= 0` | `conversions[i].conversion_value` |
//! | `currency_code` | three capital letters | `conversions[i].currency_code` |
//! | `order_id` | not empty when given | `conversions[i].order_id` |
//! | `user_data` | see [`user_identifiers`]; at most 5 identifiers | `conversions[i].user_data.em` |
//!
//! Requests carry at most 2,000 conversions and `partialFailure: true`, which
//! `UploadClickConversionsRequest` requires ("Setting `partial_failure = false` or omitting the
//! field is not supported", <https://developers.google.com/google-ads/api/reference/rpc/latest/UploadClickConversionsRequest>):
//! failed rows come back one by one.
//!
//! **Budget, bid and status** ([`mutate_requests`]): amounts in micros (currency units times
//! 1,000,000, rounded to a whole micro). A change's `entity` is the resource name it touches:
//! a daily budget the campaign budget (`customers/1/campaignBudgets/2`, `amountMicros`), a bid
//! the ad group (`customers/1/adGroups/3`, `cpcBidMicros`), a status an ad group or campaign
//! (`status: ENABLED | PAUSED`). Changes are grouped into one `<collection>:mutate` request per
//! customer and collection, at most 10,000 operations each, keys listed in operation order.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `customer_id` | required | the account, digits without dashes | `\d+` |
//! | `validate_only` | `false` | Google checks the request without applying it | `true`, `false` |
//! | `partial_failure` | `true` | (mutate only) valid operations apply when others fail | `true`, `false` |
//! | `batch_size` | 2000 | conversions per upload request | 1 to 2000 |
//! | `pii` | documentation rules | Google email rule, see [`crate::platform::pii::Options`] | |
//!
//! ```
//! use channelwise::platform::payloads::google_ads::{click_conversion_requests, ClickConversion, UploadOptions};
//! let c: ClickConversion = serde_json::from_value(serde_json::json!({
//!     "gclid": "Cj0KCQjw", "conversion_action": "customers/1234567890/conversionActions/987",
//!     "conversion_date_time": "2026-03-01 12:32:45-08:00", "conversion_value": 49.5,
//!     "currency_code": "USD", "order_id": "T-1", "user_data": {"em": "Jane.Doe@gmail.com"}
//! })).unwrap();
//! let reqs = click_conversion_requests(&[c], &UploadOptions::new("1234567890"))?;
//! assert_eq!(reqs[0]["path"], "customers/1234567890:uploadClickConversions");
//! assert_eq!(reqs[0]["body"]["partialFailure"], true);
//! assert_eq!(reqs[0]["body"]["conversions"][0]["userIdentifiers"][0]["hashedEmail"].as_str().unwrap().len(), 64);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{batches, check_amount, check_currency, within};
use crate::calendar::{civil_from_days, days_from_civil};
use crate::error::{Error, Result};
use crate::platform::adapter::{Action, Change, Status};
use crate::platform::pii::{self, OneOrMany, UserData, Vendor};

/// Conversions per upload request.
pub const MAX_CONVERSIONS: usize = 2000;
/// Operations per mutate request.
pub const MAX_OPERATIONS: usize = 10_000;
/// User identifiers per conversion.
pub const MAX_USER_IDENTIFIERS: usize = 5;

/// One click conversion as the caller has it (customer data raw; hashed here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClickConversion {
    /// Google click id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gclid: Option<String>,
    /// iOS app-to-web click id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gbraid: Option<String>,
    /// iOS web-to-app click id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wbraid: Option<String>,
    /// `customers/<id>/conversionActions/<id>`.
    pub conversion_action: String,
    /// `yyyy-mm-dd hh:mm:ss+hh:mm`.
    pub conversion_date_time: String,
    /// Value in currency units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion_value: Option<f64>,
    /// ISO 4217 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// Order (transaction) id, for deduplication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Customer data for enhanced conversions (see [`user_identifiers`]).
    #[serde(default)]
    pub user_data: UserData,
}

/// Options of [`click_conversion_requests`] (see the module table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadOptions {
    /// The account, digits only.
    pub customer_id: String,
    /// Check without applying.
    #[serde(default)]
    pub validate_only: bool,
    /// Conversions per request.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// PII normalisation rules.
    #[serde(default)]
    pub pii: pii::Options,
}

fn default_batch_size() -> usize {
    MAX_CONVERSIONS
}

impl UploadOptions {
    /// Uploads to `customer_id`, 2,000 a request, applied.
    pub fn new(customer_id: impl Into<String>) -> Self {
        UploadOptions { customer_id: customer_id.into(), validate_only: false, batch_size: MAX_CONVERSIONS, pii: pii::Options::default() }
    }

    /// Only validate.
    pub fn validate_only(mut self, yes: bool) -> Self {
        self.validate_only = yes;
        self
    }

    /// Conversions per request.
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n;
        self
    }
}

fn check_customer_id(id: &str) -> Result<()> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::param("customer_id", id, "must be the account's digits without dashes, e.g. 1234567890"));
    }
    Ok(())
}

/// Splits `customers/<c>/<collection>/<id>` into (customer, collection); ids are digits, a
/// campaign criterion-style `~` id is allowed.
fn resource(name: &str) -> Option<(&str, &str)> {
    let mut parts = name.split('/');
    let (Some("customers"), Some(c), Some(coll), Some(id), None) = (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'~');
    (digits(c) && digits(id) && !coll.is_empty()).then_some((c, coll))
}

/// Parses `yyyy-mm-dd hh:mm:ss+hh:mm` into ms since the epoch (UTC).
///
/// # Errors
/// [`Error::InvalidParameter`] (field `conversion_date_time`) for another layout, a date or
/// time that does not exist, or an offset beyond ±14:00.
///
/// ```
/// use channelwise::platform::payloads::google_ads::{format_date_time, parse_date_time};
/// let ms = parse_date_time("2026-03-01 12:32:45-08:00")?;
/// assert_eq!(format_date_time(ms, 0)?, "2026-03-01 20:32:45+00:00");
/// assert_eq!(format_date_time(ms, -480)?, "2026-03-01 12:32:45-08:00");
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn parse_date_time(s: &str) -> Result<i64> {
    let bad = |reason: &str| Error::param("conversion_date_time", s, reason);
    let b = s.as_bytes();
    let layout = b.len() == 25
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ',
            13 | 16 | 22 => c == b':',
            19 => c == b'+' || c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !layout {
        return Err(bad("must be yyyy-mm-dd hh:mm:ss+hh:mm, e.g. 2026-03-01 12:32:45-08:00"));
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap_or(-1);
    let (y, mo, d, h, mi, se, oh, om) = (n(0..4), n(5..7), n(8..10), n(11..13), n(14..16), n(17..19), n(20..22), n(23..25));
    let days = days_from_civil(y, mo as u32, d as u32);
    if !(1..=12).contains(&mo) || d < 1 || civil_from_days(days) != (y, mo as u32, d as u32) {
        return Err(bad("no such date"));
    }
    if h > 23 || mi > 59 || se > 59 {
        return Err(bad("no such time of day"));
    }
    if om > 59 || oh * 60 + om > 14 * 60 {
        return Err(bad("the UTC offset must be within ±14:00"));
    }
    let offset = (oh * 60 + om) * if b[19] == b'-' { -1 } else { 1 };
    Ok((days * 86_400 + h * 3_600 + mi * 60 + se - offset * 60) * 1000)
}

/// Formats `ms` (UTC, whole seconds kept) as Google's `yyyy-mm-dd hh:mm:ss+hh:mm` at the
/// account's UTC offset in minutes.
///
/// # Errors
/// [`Error::OutOfRange`] (field `offset_minutes`) beyond ±14:00; (field `ms`) for a local
/// time outside the years 0000 to 9999.
pub fn format_date_time(ms: i64, offset_minutes: i32) -> Result<String> {
    if offset_minutes.abs() > 14 * 60 {
        return Err(Error::OutOfRange { field: "offset_minutes".into(), value: f64::from(offset_minutes), min: -840.0, max: 840.0 });
    }
    let local = ms.div_euclid(1000) + i64::from(offset_minutes) * 60;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    if !(0..=9999).contains(&y) {
        // the format has four digits for the year
        return Err(Error::OutOfRange { field: "ms".into(), value: ms as f64, min: -62_167_219_200_000.0, max: 253_402_300_799_999.0 });
    }
    let t = local.rem_euclid(86_400);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let o = offset_minutes.unsigned_abs();
    Ok(format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}{sign}{:02}:{:02}", t / 3600, t / 60 % 60, t % 60, o / 60, o % 60))
}

/// The `userIdentifiers` of one person for enhanced conversions and Customer Match: `em` /
/// `email_address` -> `hashedEmail`, `ph` / `phone_number` -> `hashedPhoneNumber` (E.164),
/// and `fn` / `given_name`, `ln` / `family_name`, `country_code`, `postal_code` together ->
/// one `addressInfo` (names hashed, country and postal code as they are), in that order.
///
/// # Errors
/// The errors of [`crate::platform::pii`] (field `user_data.<key>`, value redacted); an unknown
/// key; an address missing one of its four parts; more than 5 identifiers.
///
/// ```
/// use channelwise::platform::payloads::google_ads::user_identifiers;
/// use channelwise::platform::pii::{Options, UserData};
/// let data: UserData = serde_json::from_str(r#"{"ph": "+1 800 555 0100", "em": "a@example.com"}"#).unwrap();
/// let ids = user_identifiers(&data, &Options::default())?;
/// assert!(ids[0].get("hashedEmail").is_some() && ids[1].get("hashedPhoneNumber").is_some());
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn user_identifiers(data: &UserData, options: &pii::Options) -> Result<Vec<Value>> {
    let one = |key: &str| -> Result<Option<String>> {
        match data.get(key) {
            None => Ok(None),
            Some(OneOrMany::One(v)) => Ok(Some(v.expose().clone())),
            Some(OneOrMany::Many(_)) => Err(Error::param(format!("user_data.{key}"), pii::REDACTED, "Google takes one value per identifier, not a list")),
        }
    };
    let hash = |key: &str| -> Result<Option<String>> {
        one(key)?.map(|v| pii::hash_with(key, &v, Vendor::Google, options)).transpose()
    };
    const KEYS: [&str; 10] =
        ["em", "email_address", "ph", "phone_number", "fn", "given_name", "ln", "family_name", "country_code", "postal_code"];
    if let Some(k) = data.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(Error::param(format!("user_data.{k}"), pii::REDACTED, format!("not a Google user identifier; expected one of {}", KEYS.join(", "))));
    }
    let mut out = Vec::new();
    for key in ["em", "email_address"] {
        if let Some(h) = hash(key)? {
            out.push(json!({ "hashedEmail": h }));
        }
    }
    for key in ["ph", "phone_number"] {
        if let Some(h) = hash(key)? {
            out.push(json!({ "hashedPhoneNumber": h }));
        }
    }
    let first = match hash("fn")? { Some(h) => Some(h), None => hash("given_name")? };
    let last = match hash("ln")? { Some(h) => Some(h), None => hash("family_name")? };
    let country = one("country_code")?.map(|c| c.trim().to_ascii_uppercase());
    let postal = one("postal_code")?.map(|p| p.trim().to_string());
    let address = [first.is_some(), last.is_some(), country.is_some(), postal.is_some()];
    if address.iter().any(|&x| x) {
        let names = ["fn", "ln", "country_code", "postal_code"];
        if let Some(i) = address.iter().position(|&x| !x) {
            return Err(Error::param(format!("user_data.{}", names[i]), pii::REDACTED, "an address needs first name, last name, country code and postal code together"));
        }
        let country = country.unwrap_or_default();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::param("user_data.country_code", pii::REDACTED, "must be a 2-letter ISO 3166-1 code such as US"));
        }
        if postal.as_deref().is_some_and(str::is_empty) {
            return Err(Error::param("user_data.postal_code", pii::REDACTED, "is empty"));
        }
        out.push(json!({ "addressInfo": { "hashedFirstName": first, "hashedLastName": last,
                                          "countryCode": country, "postalCode": postal } }));
    }
    if out.len() > MAX_USER_IDENTIFIERS {
        return Err(Error::param("user_data", out.len(), format!("has {} identifiers, at most {MAX_USER_IDENTIFIERS}", out.len())));
    }
    Ok(out)
}

/// Checks one conversion and builds its JSON (errors without a prefix).
///
/// # Errors
/// The checks of the module table.
pub fn click_conversion(c: &ClickConversion, options: &pii::Options) -> Result<Value> {
    let ids: Vec<(&str, &String)> =
        [("gclid", &c.gclid), ("gbraid", &c.gbraid), ("wbraid", &c.wbraid)].into_iter().filter_map(|(k, v)| v.as_ref().map(|v| (k, v))).collect();
    if ids.len() > 1 {
        let names: Vec<&str> = ids.iter().map(|x| x.0).collect();
        return Err(Error::param(ids[1].0, ids[1].1, format!("give exactly one of gclid, gbraid, wbraid; got {}", names.join(" and "))));
    }
    if let Some((k, v)) = ids.first() {
        if v.trim().is_empty() {
            return Err(Error::param(*k, "", "is empty"));
        }
    } else if c.user_data.is_empty() {
        return Err(Error::param("gclid", "", "give one of gclid, gbraid, wbraid (or user_data, for enhanced conversions for leads)"));
    }
    if resource(&c.conversion_action).is_none_or(|(_, coll)| coll != "conversionActions") {
        return Err(Error::param("conversion_action", &c.conversion_action, "must be a resource name customers/<id>/conversionActions/<id>"));
    }
    parse_date_time(&c.conversion_date_time)?;
    let mut out = Map::new();
    if let Some((k, v)) = ids.first() {
        out.insert((*k).into(), json!(v));
    }
    out.insert("conversionAction".into(), json!(c.conversion_action));
    out.insert("conversionDateTime".into(), json!(c.conversion_date_time));
    if let Some(v) = c.conversion_value {
        check_amount(|| "conversion_value".into(), v)?;
        out.insert("conversionValue".into(), json!(v));
    }
    if let Some(code) = &c.currency_code {
        check_currency(|| "currency_code".into(), code)?;
        out.insert("currencyCode".into(), json!(code));
    }
    if let Some(id) = &c.order_id {
        if id.trim().is_empty() {
            return Err(Error::param("order_id", "", "is empty"));
        }
        out.insert("orderId".into(), json!(id));
    }
    if !c.user_data.is_empty() {
        out.insert("userIdentifiers".into(), Value::Array(user_identifiers(&c.user_data, options)?));
    }
    Ok(Value::Object(out))
}

/// Checks every conversion and builds `uploadClickConversions` requests:
/// `{"path": "customers/<id>:uploadClickConversions", "body": {"conversions": [...],
/// "partialFailure": true, "validateOnly": ...}}`, at most `batch_size` conversions each, in
/// order.
///
/// # Errors
/// The first bad conversion's error with its field prefixed `conversions[i].`; a bad
/// `customer_id`; [`Error::OutOfRange`] (field `batch_size`) outside 1 to 2000.
pub fn click_conversion_requests(conversions: &[ClickConversion], options: &UploadOptions) -> Result<Vec<Value>> {
    check_customer_id(&options.customer_id)?;
    if !(1..=MAX_CONVERSIONS).contains(&options.batch_size) {
        return Err(Error::OutOfRange { field: "batch_size".into(), value: options.batch_size as f64, min: 1.0, max: MAX_CONVERSIONS as f64 });
    }
    let built = conversions
        .iter()
        .enumerate()
        .map(|(i, c)| click_conversion(c, &options.pii).map_err(|e| within(&format!("conversions[{i}]"), e)))
        .collect::<Result<Vec<Value>>>()?;
    let path = format!("customers/{}:uploadClickConversions", options.customer_id);
    Ok(batches(&built, options.batch_size)?
        .into_iter()
        .map(|chunk| json!({ "path": path, "body": { "conversions": chunk, "partialFailure": true, "validateOnly": options.validate_only } }))
        .collect())
}

/// Customer Match `create` operations for `OfflineUserDataJobService.AddOfflineUserDataJobOperations`,
/// one per person: `[{"create": {"userIdentifiers": [...]}}, ...]`.
///
/// # Errors
/// As [`user_identifiers`], the field prefixed `users[i].`; a person without identifiers.
pub fn customer_match_operations(users: &[UserData], options: &pii::Options) -> Result<Vec<Value>> {
    users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let ids = user_identifiers(u, options).map_err(|e| within(&format!("users[{i}]"), e))?;
            if ids.is_empty() {
                return Err(Error::param(format!("users[{i}].user_data"), "{}", "has no identifier"));
            }
            Ok(json!({ "create": { "userIdentifiers": ids } }))
        })
        .collect()
}

/// Options of [`mutate_requests`] (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MutateOptions {
    /// Apply the valid operations when others fail.
    pub partial_failure: bool,
    /// Check without applying.
    pub validate_only: bool,
}

impl Default for MutateOptions {
    fn default() -> Self {
        MutateOptions { partial_failure: true, validate_only: false }
    }
}

/// `amount` (currency units) in micros, rounded to a whole micro.
///
/// # Errors
/// [`Error::NonFinite`] / [`Error::OutOfRange`] (field `amount`) for NaN, negative or above
/// 2^53 - 1 micros.
///
/// ```
/// use channelwise::platform::payloads::google_ads::to_micros;
/// assert_eq!(to_micros(250.0)?, 250_000_000);
/// assert_eq!(to_micros(0.015)?, 15_000);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn to_micros(amount: f64) -> Result<i64> {
    check_amount(|| "amount".into(), amount)?;
    let micros = (amount * 1e6).round();
    if micros > super::MAX_SAFE_INTEGER {
        return Err(Error::OutOfRange { field: "amount".into(), value: amount, min: 0.0, max: super::MAX_SAFE_INTEGER / 1e6 });
    }
    Ok(micros as i64)
}

/// One change as a mutate operation: (customer, collection, operation).
fn operation(change: &Change) -> Result<(String, &'static str, Value)> {
    change.validate()?;
    let name = change.entity.as_str();
    let (customer, coll) = resource(name)
        .ok_or_else(|| Error::param("entity", name, "must be a resource name such as customers/1234567890/campaignBudgets/111"))?;
    let (coll, field, value) = match (change.action, coll) {
        (Action::Budget { daily }, "campaignBudgets") => ("campaignBudgets", "amountMicros", json!(to_micros(daily)?.to_string())),
        (Action::Bid { amount }, "adGroups") => {
            let micros = to_micros(amount)?;
            if micros < 1 {
                return Err(Error::OutOfRange { field: "amount".into(), value: amount, min: 5e-7, max: f64::INFINITY });
            }
            ("adGroups", "cpcBidMicros", json!(micros.to_string()))
        }
        (Action::Status { status }, c @ ("adGroups" | "campaigns")) => {
            let c = if c == "adGroups" { "adGroups" } else { "campaigns" };
            (c, "status", json!(match status { Status::Active => "ENABLED", Status::Paused => "PAUSED" }))
        }
        (action, _) => {
            let want = match action {
                Action::Budget { .. } => "a campaign budget (customers/<id>/campaignBudgets/<id>)",
                Action::Bid { .. } => "an ad group (customers/<id>/adGroups/<id>)",
                Action::Status { .. } => "a campaign or ad group",
            };
            return Err(Error::param("entity", name, format!("this change applies to {want}")));
        }
    };
    let op = json!({ "update": { "resourceName": name, field: value }, "updateMask": field });
    Ok((customer.to_string(), coll, op))
}

/// Builds the `mutate` requests for `changes`: one per customer and collection (first
/// appearance order, at most 10,000 operations each): `{"path":
/// "customers/<id>/<collection>:mutate", "keys": [...], "body": {"operations": [...],
/// "partialFailure": ..., "validateOnly": ...}}`.
///
/// # Errors
/// The first bad change's error, prefixed `changes[i].`: the errors of [`Change::validate`],
/// an entity that is not a resource name of the right collection, an amount out of range;
/// `invalid_parameter` naming `changes[i].key` for a key an earlier change has.
///
/// ```
/// use channelwise::platform::adapter::{Action, Change};
/// use channelwise::platform::payloads::google_ads::{mutate_requests, MutateOptions};
/// let c = Change::new("d42/1", "customers/1234567890/campaignBudgets/111", Action::Budget { daily: 250.0 })?;
/// let r = mutate_requests(&[c], MutateOptions::default())?;
/// assert_eq!(r[0]["path"], "customers/1234567890/campaignBudgets:mutate");
/// assert_eq!(r[0]["body"]["operations"][0]["update"]["amountMicros"], "250000000");
/// assert_eq!(r[0]["body"]["operations"][0]["updateMask"], "amountMicros");
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn mutate_requests(changes: &[Change], options: MutateOptions) -> Result<Vec<Value>> {
    let mut groups: Vec<(String, Vec<(String, Value)>)> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, change) in changes.iter().enumerate() {
        // one key, two operations: both would go out under it (two updates of one budget)
        if let Some(first) = seen.insert(change.key.as_str(), i) {
            return Err(Error::InvalidParameter {
                field: format!("changes[{i}].key"),
                value: change.key.as_str().into(),
                reason: format!("changes[{first}] has this idempotency key too"),
            });
        }
        let (customer, coll, op) = operation(change).map_err(|e| within(&format!("changes[{i}]"), e))?;
        let path = format!("customers/{customer}/{coll}:mutate");
        let key = change.key.as_str().to_string();
        match groups.iter_mut().find(|g| g.0 == path) {
            Some(g) => g.1.push((key, op)),
            None => groups.push((path, vec![(key, op)])),
        }
    }
    let mut out = Vec::new();
    for (path, ops) in groups {
        for chunk in ops.chunks(MAX_OPERATIONS) {
            let keys: Vec<&str> = chunk.iter().map(|o| o.0.as_str()).collect();
            let operations: Vec<&Value> = chunk.iter().map(|o| &o.1).collect();
            out.push(json!({ "path": path, "keys": keys, "body": { "operations": operations,
                             "partialFailure": options.partial_failure, "validateOnly": options.validate_only } }));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by an audit: two changes of one key went out as two operations under it.
    #[test]
    fn a_key_twice_in_one_batch_is_refused() {
        let c = |key: &str, daily: f64| Change::new(key, "customers/1/campaignBudgets/2", Action::Budget { daily }).unwrap();
        let e = mutate_requests(&[c("k", 1.0), c("j", 1.0), c("k", 2.0)], MutateOptions::default()).unwrap_err();
        assert_eq!(e.to_string(), "invalid changes[2].key: \"k\" (changes[0] has this idempotency key too)");
        assert_eq!(mutate_requests(&[c("k", 1.0), c("j", 2.0)], MutateOptions::default()).unwrap()[0]["keys"], json!(["k", "j"]));
    }

    fn conv(v: Value) -> ClickConversion {
        serde_json::from_value(v).unwrap()
    }

    fn base() -> Value {
        json!({"gclid": "g", "conversion_action": "customers/1/conversionActions/2", "conversion_date_time": "2026-03-01 12:32:45+01:00"})
    }

    #[test]
    fn click_ids() {
        let o = pii::Options::default();
        assert!(click_conversion(&conv(base()), &o).is_ok());
        let mut v = base();
        v["wbraid"] = json!("w");
        assert!(click_conversion(&conv(v), &o).unwrap_err().to_string().contains("wbraid"));
        let mut v = base();
        v.as_object_mut().unwrap().remove("gclid");
        assert!(click_conversion(&conv(v.clone()), &o).unwrap_err().to_string().contains("gclid"));
        v["user_data"] = json!({"em": "a@example.com"});
        assert!(click_conversion(&conv(v), &o).is_ok());
    }

    #[test]
    fn date_times() {
        for bad in ["2026-02-29 00:00:00+00:00", "2026-03-01T12:32:45+01:00", "2026-03-01 24:00:00+00:00", "2026-03-01 12:00:00+14:30", "2026-03-01 12:00:00"] {
            assert!(parse_date_time(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_date_time("1970-01-01 00:00:00+00:00").unwrap(), 0);
        assert_eq!(parse_date_time("1970-01-01 01:00:00+01:00").unwrap(), 0);
        assert_eq!(format_date_time(-1000, 0).unwrap(), "1969-12-31 23:59:59+00:00");
        assert_eq!(format_date_time(0, 330).unwrap(), "1970-01-01 05:30:00+05:30");
    }

    #[test]
    fn addresses_go_together() {
        let o = pii::Options::default();
        let d: UserData = serde_json::from_value(json!({"fn": "Jane", "ln": "Doe", "country_code": "us"})).unwrap();
        assert!(user_identifiers(&d, &o).unwrap_err().to_string().contains("postal_code"));
        let d: UserData = serde_json::from_value(json!({"fn": "Jane", "ln": "Doe", "country_code": "us", "postal_code": "94045"})).unwrap();
        let ids = user_identifiers(&d, &o).unwrap();
        assert_eq!(ids[0]["addressInfo"]["countryCode"], "US");
        let d: UserData = serde_json::from_value(json!({"zp": "94045"})).unwrap();
        assert!(user_identifiers(&d, &o).is_err());
    }

    #[test]
    fn mutate_groups_by_collection() {
        let cs = [
            Change::new("a", "customers/1/campaignBudgets/5", Action::Budget { daily: 10.0 }).unwrap(),
            Change::new("b", "customers/1/adGroups/7", Action::Bid { amount: 0.35 }).unwrap(),
            Change::new("c", "customers/1/adGroups/8", Action::Status { status: Status::Paused }).unwrap(),
        ];
        let r = mutate_requests(&cs, MutateOptions { partial_failure: false, validate_only: true }).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1]["keys"], json!(["b", "c"]));
        assert_eq!(r[1]["body"]["operations"][0]["update"]["cpcBidMicros"], "350000");
        assert_eq!(r[1]["body"]["operations"][1]["update"]["status"], "PAUSED");
        assert_eq!(r[1]["body"]["validateOnly"], true);
        let bad = Change::new("d", "customers/1/campaigns/5", Action::Budget { daily: 1.0 }).unwrap();
        assert!(mutate_requests(&[bad], MutateOptions::default()).unwrap_err().to_string().contains("changes[0].entity"));
    }
}
