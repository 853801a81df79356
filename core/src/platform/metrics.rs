//! One metrics schema across vendors: report responses from Meta, Google Ads and GA4 parsed
//! into daily [`MetricsRow`]s (spend in currency units, impressions, clicks, conversions,
//! value, currency) with the account's time zone, so every module downstream reads one shape.
//!
//! Pass the parsed JSON of the response as the vendor returns it; a field that cannot be used
//! is an [`Error::InvalidParameter`] naming its path in that JSON (`data[3].spend`,
//! `[0].results[2].metrics.costMicros`, `rows[5].metricValues[1].value`). Rows of the same
//! entity and day (a report with an extra breakdown) are summed into one, in first-appearance
//! order.
//!
//! | Parser | Response | Spend | Conversions, value | Day | Currency, time zone |
//! |---|---|---|---|---|---|
//! | [`meta_insights`] | Insights API `{"data": [...]}` (or a list of such pages), numbers as strings | `spend` | sums of `actions[].value` / `action_values[].value` over the chosen `action_type`s | `date_start` (= `date_stop`: ask for `time_increment=1`) | `account_currency` or the option; time zone from the option (the account's `timezone_name`) |
//! | [`google_ads`] | `searchStream` (a list of batches) or `search` (one object) REST JSON, camelCase or snake_case keys | `metrics.costMicros` / 10^6 | `metrics.conversions`, `metrics.conversionsValue` | `segments.date` | `customer.currencyCode`, `customer.timeZone`, else the options |
//! | [`ga4_run_report`] | Data API `runReport`: `dimensionHeaders`, `metricHeaders`, `rows` of string values | the spend metric (default `advertiserAdCost`) | the conversions and value metrics | the `date` dimension (`YYYYMMDD`) | `metadata.currencyCode`, `metadata.timeZone`, else the options |
//!
//! A metric the response leaves out is 0 (proto3 JSON omits zero values; Meta omits
//! `actions` when there are none); a metric present but malformed, negative or not finite is
//! an error.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `entity` | `campaign_id` (Meta), `campaign.id` (Google Ads), `sessionCampaignId` (GA4) | the field, path or dimension naming the entity | a field of the response |
//! | `conversion_action_types` | `["offsite_conversion.fb_pixel_purchase"]` | (Meta) the `action_type`s counted as conversions and value | non-empty list |
//! | `metrics` | `advertiserAdCost`, `advertiserAdImpressions`, `advertiserAdClicks`, `keyEvents`, `totalRevenue` | (GA4) the metric per output column | metric names |
//! | `currency` | none | ISO 4217 code when the response carries none | three capital letters |
//! | `time_zone` | none | the account's IANA time zone when the response carries none | non-empty |
//!
//! ```
//! use channelwise::platform::metrics::{meta_insights, MetaInsightsOptions};
//! let response = serde_json::json!({"data": [{
//!     "campaign_id": "2384", "date_start": "2026-03-01", "date_stop": "2026-03-01",
//!     "spend": "249.30", "impressions": "31012", "clicks": "402", "account_currency": "USD",
//!     "actions": [{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "17"}],
//!     "action_values": [{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "1190.5"}]
//! }]});
//! let report = meta_insights(&response, &MetaInsightsOptions::new("America/New_York"))?;
//! assert_eq!(report.rows[0].spend, 249.3);
//! assert_eq!(report.rows[0].conversions, 17.0);
//! let bad = serde_json::json!({"data": [{"campaign_id": "1", "date_start": "2026-03-01",
//!     "date_stop": "2026-03-01", "spend": "12,50", "account_currency": "USD"}]});
//! let e = meta_insights(&bad, &MetaInsightsOptions::new("UTC")).unwrap_err();
//! assert!(e.to_string().starts_with("invalid data[0].spend"));
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::adapter::{Date, MetricsRow};
use crate::error::{Error, Result};

/// Daily rows and the time zone their days are in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The account's IANA time zone, e.g. `"America/Los_Angeles"`.
    pub time_zone: String,
    /// One row per entity and day, in first-appearance order.
    pub rows: Vec<MetricsRow>,
}

/// Sums rows of the same entity and day; refuses a second currency for one.
struct Rows {
    rows: Vec<MetricsRow>,
    index: std::collections::HashMap<(String, Date), usize>,
}

impl Rows {
    fn new() -> Self {
        Rows { rows: Vec::new(), index: std::collections::HashMap::new() }
    }

    fn push(&mut self, row: MetricsRow, path: &str) -> Result<()> {
        match self.index.get(&(row.entity.clone(), row.date)) {
            Some(&i) => {
                let r = &mut self.rows[i];
                if r.currency != row.currency {
                    return Err(Error::param(format!("{path}.currency"), &row.currency, format!("differs from {} for the same entity and day", r.currency)));
                }
                r.spend += row.spend;
                r.impressions = r.impressions.saturating_add(row.impressions);
                r.clicks = r.clicks.saturating_add(row.clicks);
                r.conversions += row.conversions;
                r.value += row.value;
            }
            None => {
                self.index.insert((row.entity.clone(), row.date), self.rows.len());
                self.rows.push(row);
            }
        }
        Ok(())
    }
}

/// A string field: a non-empty JSON string, or a number (ids sometimes come as numbers).
fn text(v: Option<&Value>, path: &str) -> Result<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(other) => Err(Error::param(path, other, "must be a non-empty string")),
        None => Err(Error::param(path, "", "is missing")),
    }
}

/// A non-negative finite number from a JSON number or a decimal string; missing is 0.
fn amount(v: Option<&Value>, path: &str) -> Result<f64> {
    let x = match v {
        None | Some(Value::Null) => return Ok(0.0),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => {
            let plain = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
            if plain { s.parse::<f64>().ok() } else { None }
        }
        Some(_) => None,
    };
    match x {
        Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(Error::param(path, v.map_or(String::new(), Value::to_string), "must be a non-negative decimal number, e.g. \"12.50\"")),
    }
}

/// A count from a JSON integer or a string of digits; missing is 0.
fn count(v: Option<&Value>, path: &str) -> Result<u64> {
    let x = match v {
        None | Some(Value::Null) => return Ok(0),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse::<u64>().ok(),
        Some(_) => None,
    };
    x.ok_or_else(|| Error::param(path, v.map_or(String::new(), Value::to_string), "must be a whole number >= 0"))
}

fn date(v: Option<&Value>, path: &str) -> Result<Date> {
    let s = text(v, path)?;
    // GA4 writes days as YYYYMMDD
    let iso = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) { format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]) } else { s.clone() };
    iso.parse::<Date>().map_err(|_| Error::param(path, &s, "must be a date YYYY-MM-DD (YYYYMMDD for GA4)"))
}

fn currency(v: Option<&Value>, fallback: Option<&str>, path: &str) -> Result<String> {
    let code = match v {
        Some(Value::String(s)) => s.clone(),
        _ => fallback.map(str::to_string).ok_or_else(|| Error::param(path, "", "is missing and no currency option is given"))?,
    };
    super::payloads::check_currency(|| path.to_string(), &code)?;
    Ok(code)
}

fn time_zone(found: Option<&str>, option: Option<&String>, field: &str) -> Result<String> {
    match found.or(option.map(String::as_str)) {
        Some(tz) if !tz.trim().is_empty() => Ok(tz.to_string()),
        _ => Err(Error::param(field, "", "the response carries no time zone: give the account's time_zone option")),
    }
}

/// The list under `key` of an object, or of each object of a list (pages, stream batches),
/// with the path prefix of each element.
fn pages<'a>(response: &'a Value, key: &str) -> Result<Vec<(String, &'a Value)>> {
    let one = |page: &'a Value, prefix: String| -> Result<Vec<(String, &'a Value)>> {
        match page.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.iter().enumerate().map(|(i, x)| (format!("{prefix}{key}[{i}]"), x)).collect()),
            Some(other) => Err(Error::param(format!("{prefix}{key}"), other.to_string().chars().take(40).collect::<String>(), "must be a list")),
        }
    };
    match response {
        Value::Object(_) => one(response, String::new()),
        Value::Array(batches) => {
            let mut out = Vec::new();
            for (b, page) in batches.iter().enumerate() {
                if !page.is_object() {
                    return Err(Error::param(format!("[{b}]"), "", "each page or batch must be an object"));
                }
                out.extend(one(page, format!("[{b}]."))?);
            }
            Ok(out)
        }
        _ => Err(Error::param("response", "", format!("must be an object with {key}, or a list of them"))),
    }
}

/// Options of [`meta_insights`] (see the module table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetaInsightsOptions {
    /// The field naming the entity (`campaign_id`, `adset_id`, `ad_id`).
    pub entity: String,
    /// The `action_type`s counted as conversions and value.
    pub conversion_action_types: Vec<String>,
    /// Currency when rows carry no `account_currency`.
    pub currency: Option<String>,
    /// The account's time zone (Insights rows do not carry it).
    pub time_zone: Option<String>,
}

impl Default for MetaInsightsOptions {
    fn default() -> Self {
        MetaInsightsOptions {
            entity: "campaign_id".into(),
            conversion_action_types: vec!["offsite_conversion.fb_pixel_purchase".into()],
            currency: None,
            time_zone: None,
        }
    }
}

impl MetaInsightsOptions {
    /// Campaign rows of an account in `time_zone`, purchases from the pixel as conversions.
    pub fn new(time_zone: impl Into<String>) -> Self {
        MetaInsightsOptions { time_zone: Some(time_zone.into()), ..Self::default() }
    }

    /// The entity field.
    pub fn entity(mut self, field: impl Into<String>) -> Self {
        self.entity = field.into();
        self
    }

    /// The action types counted as conversions.
    pub fn conversion_action_types<S: Into<String>>(mut self, types: impl IntoIterator<Item = S>) -> Self {
        self.conversion_action_types = types.into_iter().map(Into::into).collect();
        self
    }

    /// The currency of rows without `account_currency`.
    pub fn currency(mut self, code: impl Into<String>) -> Self {
        self.currency = Some(code.into());
        self
    }
}

/// Sum of `value` over the entries of `list` whose `action_type` is one of `types`.
fn actions(list: Option<&Value>, types: &[String], path: &str) -> Result<f64> {
    let Some(list) = list else { return Ok(0.0) };
    let Value::Array(items) = list else { return Err(Error::param(path, "", "must be a list of {action_type, value}")) };
    let mut total = 0.0;
    for (j, item) in items.iter().enumerate() {
        let at = format!("{path}[{j}]");
        let kind = text(item.get("action_type"), &format!("{at}.action_type"))?;
        if types.contains(&kind) {
            total += amount(item.get("value"), &format!("{at}.value"))?;
        }
    }
    Ok(total)
}

/// Parses a Meta Ads Insights response (`level` and `time_increment=1`).
///
/// # Errors
/// [`Error::InvalidParameter`] naming the path (`data[3].spend`): a missing entity or date, a
/// row spanning several days, a malformed number, no currency, no time zone, no action types.
pub fn meta_insights(response: &Value, options: &MetaInsightsOptions) -> Result<Report> {
    let tz = time_zone(None, options.time_zone.as_ref(), "time_zone")?;
    if options.conversion_action_types.is_empty() {
        return Err(Error::param("conversion_action_types", "[]", "name at least one action_type"));
    }
    let mut rows = Rows::new();
    for (path, row) in pages(response, "data")? {
        let at = |f: &str| format!("{path}.{f}");
        let entity = text(row.get(&options.entity), &at(&options.entity))?;
        let day = date(row.get("date_start"), &at("date_start"))?;
        if let Some(stop) = row.get("date_stop") {
            let stop = date(Some(stop), &at("date_stop"))?;
            if stop != day {
                return Err(Error::param(at("date_stop"), stop, format!("spans several days from {day}: ask for time_increment=1")));
            }
        }
        let r = MetricsRow {
            entity,
            date: day,
            spend: amount(row.get("spend"), &at("spend"))?,
            impressions: count(row.get("impressions"), &at("impressions"))?,
            clicks: count(row.get("clicks"), &at("clicks"))?,
            conversions: actions(row.get("actions"), &options.conversion_action_types, &at("actions"))?,
            value: actions(row.get("action_values"), &options.conversion_action_types, &at("action_values"))?,
            currency: currency(row.get("account_currency"), options.currency.as_deref(), &at("account_currency"))?,
        };
        rows.push(r, &path)?;
    }
    Ok(Report { time_zone: tz, rows: rows.rows })
}

/// Options of [`google_ads`] (see the module table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoogleAdsOptions {
    /// The dotted path naming the entity (`campaign.id`, `adGroup.id`).
    pub entity: String,
    /// Currency when rows carry no `customer.currencyCode`.
    pub currency: Option<String>,
    /// Time zone when rows carry no `customer.timeZone`.
    pub time_zone: Option<String>,
}

impl Default for GoogleAdsOptions {
    fn default() -> Self {
        GoogleAdsOptions { entity: "campaign.id".into(), currency: None, time_zone: None }
    }
}

impl GoogleAdsOptions {
    /// The entity path.
    pub fn entity(mut self, path: impl Into<String>) -> Self {
        self.entity = path.into();
        self
    }

    /// The currency of rows without `customer.currencyCode`.
    pub fn currency(mut self, code: impl Into<String>) -> Self {
        self.currency = Some(code.into());
        self
    }

    /// The time zone of rows without `customer.timeZone`.
    pub fn time_zone(mut self, tz: impl Into<String>) -> Self {
        self.time_zone = Some(tz.into());
        self
    }
}

fn snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = false;
    for c in s.chars() {
        match (c, up) {
            ('_', _) => up = true,
            (c, true) => {
                out.push(c.to_ascii_uppercase());
                up = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

/// The value at a dotted path (`metrics.costMicros`), trying the path as written, then in
/// snake_case and camelCase (REST JSON and the client libraries' JSON differ).
fn dotted<'a>(row: &'a Value, path: &str) -> Option<&'a Value> {
    [path.to_string(), snake(path), camel(path)].iter().find_map(|p| p.split('.').try_fold(row, |v, k| v.get(k)))
}

/// Parses Google Ads `GoogleAdsService.SearchStream` (a list of batches) or `Search` (one
/// object) results, REST JSON: query `segments.date`, the entity, `metrics.cost_micros`,
/// `metrics.impressions`, `metrics.clicks`, `metrics.conversions`,
/// `metrics.conversions_value` and, if wanted, `customer.currency_code`, `customer.time_zone`.
///
/// # Errors
/// [`Error::InvalidParameter`] naming the path (`[0].results[2].metrics.costMicros`): a
/// missing entity or date, a malformed number, no currency or no time zone.
pub fn google_ads(response: &Value, options: &GoogleAdsOptions) -> Result<Report> {
    let mut rows = Rows::new();
    let mut tz: Option<String> = None;
    for (path, row) in pages(response, "results")? {
        let at = |f: &str| format!("{path}.{f}");
        if let Some(Value::String(z)) = dotted(row, "customer.timeZone") {
            tz.get_or_insert_with(|| z.clone());
        }
        let micros = amount(dotted(row, "metrics.costMicros"), &at("metrics.costMicros"))?;
        let r = MetricsRow {
            entity: text(dotted(row, &options.entity), &at(&options.entity))?,
            date: date(dotted(row, "segments.date"), &at("segments.date"))?,
            spend: micros / 1e6,
            impressions: count(dotted(row, "metrics.impressions"), &at("metrics.impressions"))?,
            clicks: count(dotted(row, "metrics.clicks"), &at("metrics.clicks"))?,
            conversions: amount(dotted(row, "metrics.conversions"), &at("metrics.conversions"))?,
            value: amount(dotted(row, "metrics.conversionsValue"), &at("metrics.conversionsValue"))?,
            currency: currency(dotted(row, "customer.currencyCode"), options.currency.as_deref(), &at("customer.currencyCode"))?,
        };
        rows.push(r, &path)?;
    }
    let tz = time_zone(tz.as_deref(), options.time_zone.as_ref(), "time_zone")?;
    Ok(Report { time_zone: tz, rows: rows.rows })
}

/// Options of [`ga4_run_report`] (see the module table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ga4ReportOptions {
    /// The dimension naming the entity.
    pub entity: String,
    /// The day dimension.
    pub date: String,
    /// Metric read as spend (currency units).
    pub spend: String,
    /// Metric read as impressions.
    pub impressions: String,
    /// Metric read as clicks.
    pub clicks: String,
    /// Metric read as conversions.
    pub conversions: String,
    /// Metric read as value (currency units).
    pub value: String,
    /// Currency when `metadata.currencyCode` is absent.
    pub currency: Option<String>,
    /// Time zone when `metadata.timeZone` is absent.
    pub time_zone: Option<String>,
}

impl Default for Ga4ReportOptions {
    fn default() -> Self {
        Ga4ReportOptions {
            entity: "sessionCampaignId".into(),
            date: "date".into(),
            spend: "advertiserAdCost".into(),
            impressions: "advertiserAdImpressions".into(),
            clicks: "advertiserAdClicks".into(),
            conversions: "keyEvents".into(),
            value: "totalRevenue".into(),
            currency: None,
            time_zone: None,
        }
    }
}

/// Position of the header named `name` in `headers`.
fn header(response: &Value, headers: &str, name: &str) -> Result<Option<usize>> {
    let Some(list) = response.get(headers) else { return Ok(None) };
    let Value::Array(list) = list else { return Err(Error::param(headers, "", "must be a list of {name}")) };
    for (i, h) in list.iter().enumerate() {
        if text(h.get("name"), &format!("{headers}[{i}].name"))? == name {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// Parses a GA4 Data API `runReport` response whose dimensions include the entity and the
/// date; metrics not in the report are 0.
///
/// # Errors
/// [`Error::InvalidParameter`] naming the path (`rows[5].metricValues[1].value`): the entity
/// or date dimension missing from `dimensionHeaders`, a row with fewer values than headers, a
/// malformed value, no currency or no time zone.
pub fn ga4_run_report(response: &Value, options: &Ga4ReportOptions) -> Result<Report> {
    let need = |name: &str| -> Result<usize> {
        header(response, "dimensionHeaders", name)?
            .ok_or_else(|| Error::param("dimensionHeaders", name, "the report has no such dimension; add it to the request"))
    };
    let (e, d) = (need(&options.entity)?, need(&options.date)?);
    let m = |name: &str| header(response, "metricHeaders", name);
    let (spend, imp, clk, conv, val) = (m(&options.spend)?, m(&options.impressions)?, m(&options.clicks)?, m(&options.conversions)?, m(&options.value)?);
    let meta = response.get("metadata");
    let field = |k: &str| meta.and_then(|m| m.get(k));
    let tz = time_zone(field("timeZone").and_then(Value::as_str), options.time_zone.as_ref(), "metadata.timeZone")?;
    let code = currency(field("currencyCode"), options.currency.as_deref(), "metadata.currencyCode")?;
    let mut rows = Rows::new();
    for (path, row) in pages(response, "rows")? {
        let cell = |list: &str, i: usize| -> Result<(String, Option<&Value>)> {
            let at = format!("{path}.{list}[{i}]");
            match row.get(list).and_then(|l| l.get(i)) {
                Some(c) => Ok((format!("{at}.value"), c.get("value"))),
                None => Err(Error::param(at, "", "the row has fewer values than the headers")),
            }
        };
        let num = |i: Option<usize>| -> Result<f64> {
            let Some(i) = i else { return Ok(0.0) };
            let (at, v) = cell("metricValues", i)?;
            amount(v, &at)
        };
        let int = |i: Option<usize>| -> Result<u64> {
            let Some(i) = i else { return Ok(0) };
            let (at, v) = cell("metricValues", i)?;
            count(v, &at)
        };
        let (at_e, v_e) = cell("dimensionValues", e)?;
        let (at_d, v_d) = cell("dimensionValues", d)?;
        let r = MetricsRow {
            entity: text(v_e, &at_e)?,
            date: date(v_d, &at_d)?,
            spend: num(spend)?,
            impressions: int(imp)?,
            clicks: int(clk)?,
            conversions: num(conv)?,
            value: num(val)?,
            currency: code.clone(),
        };
        rows.push(r, &path)?;
    }
    Ok(Report { time_zone: tz, rows: rows.rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn meta_paths_and_multi_day_rows() {
        let o = MetaInsightsOptions::new("UTC").currency("USD");
        let doc = json!({"data": [{"account_id": "1", "campaign_id": "2", "date_start": "2025-03-14",
                                   "date_stop": "2025-04-12", "impressions": "361324", "spend": "5339.5"}]});
        let e = meta_insights(&doc, &o).unwrap_err();
        assert!(e.to_string().contains("data[0].date_stop"), "{e}");
        let pages = json!([{"data": []}, {"data": [{"campaign_id": "2", "date_start": "2025-03-14", "impressions": "x"}]}]);
        let e = meta_insights(&pages, &o).unwrap_err();
        assert!(e.to_string().contains("[1].data[0].impressions"), "{e}");
        assert!(meta_insights(&json!({"data": []}), &MetaInsightsOptions::default()).is_err());
    }

    #[test]
    fn same_entity_and_day_are_summed() {
        let o = MetaInsightsOptions::new("UTC").currency("USD");
        let r = json!({"data": [
            {"campaign_id": "2", "date_start": "2025-03-14", "spend": "1.25", "clicks": "3"},
            {"campaign_id": "2", "date_start": "2025-03-14", "spend": "2", "clicks": "4"}]});
        let rep = meta_insights(&r, &o).unwrap();
        assert_eq!(rep.rows.len(), 1);
        assert_eq!((rep.rows[0].spend, rep.rows[0].clicks), (3.25, 7));
    }

    #[test]
    fn google_keys_in_either_case() {
        let camel = json!([{"results": [{"campaign": {"id": "7"}, "segments": {"date": "2026-01-02"},
            "metrics": {"costMicros": "1500000", "conversionsValue": 3.5}, "customer": {"currencyCode": "EUR", "timeZone": "Europe/Paris"}}]}]);
        let snake = json!({"results": [{"campaign": {"id": "7"}, "segments": {"date": "2026-01-02"},
            "metrics": {"cost_micros": "1500000", "conversions_value": 3.5}, "customer": {"currency_code": "EUR", "time_zone": "Europe/Paris"}}]});
        let a = google_ads(&camel, &GoogleAdsOptions::default()).unwrap();
        let b = google_ads(&snake, &GoogleAdsOptions::default()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.rows[0].spend, 1.5);
        assert_eq!(a.time_zone, "Europe/Paris");
        let bad = json!([{"results": [{"campaign": {"id": "7"}, "segments": {"date": "2026-01-02"}, "metrics": {"costMicros": "-5"}}]}]);
        let e = google_ads(&bad, &GoogleAdsOptions::default().currency("USD").time_zone("UTC")).unwrap_err();
        assert!(e.to_string().contains("[0].results[0].metrics.costMicros"), "{e}");
    }

    #[test]
    fn ga4_headers_and_short_rows() {
        let r = json!({"dimensionHeaders": [{"name": "date"}, {"name": "sessionCampaignId"}],
                       "metricHeaders": [{"name": "advertiserAdCost", "type": "TYPE_CURRENCY"}],
                       "rows": [{"dimensionValues": [{"value": "20260102"}, {"value": "c1"}], "metricValues": [{"value": "9.5"}]},
                                {"dimensionValues": [{"value": "20260103"}, {"value": "c1"}], "metricValues": []}],
                       "metadata": {"currencyCode": "USD", "timeZone": "America/Los_Angeles"}});
        let e = ga4_run_report(&r, &Ga4ReportOptions::default()).unwrap_err();
        assert!(e.to_string().contains("rows[1].metricValues[0]"), "{e}");
        let o = Ga4ReportOptions { entity: "campaignName".into(), ..Ga4ReportOptions::default() };
        assert!(ga4_run_report(&r, &o).unwrap_err().to_string().contains("dimensionHeaders"));
    }
}
