//! `cw.platform` request payloads and report readers: the core's `platform::payloads` (Meta
//! Conversions API and Marketing API changes, GA4 Measurement Protocol, Google Ads uploads and
//! mutates) and `platform::metrics` (Meta Insights, Google Ads and GA4 reports as one schema).
//!
//! Inputs cross as JSON text written by the Python layer and are read item by item, so an item
//! that is not the core's shape is `InvalidParameterError` naming it (`events[3]`); customer
//! data is checked to be strings first, so no error quotes a raw value (the value of such an
//! error is `"[redacted]"`). Outputs are the core's JSON text: the request bodies exactly as
//! the vendor takes them.

use channelwise::platform::adapter::Change;
use channelwise::platform::metrics;
use channelwise::platform::payloads::{ga4, google_ads, meta};
use channelwise::platform::pii::{self, UserData};
use channelwise::Error;
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::columns::{document, invalid, json_type, located, to_json};
use crate::error::{core, guard};

/// Every customer-data value under `data` is a string (or a list of strings); `at` is the
/// path of `data` (`events[2].user_data`). Anything else is refused without its value.
fn check_user_data(data: Option<&Value>, at: &str) -> PyResult<()> {
    let Some(Value::Object(fields)) = data else {
        return Ok(()); // absent, or not an object: the core's types say so by shape only
    };
    let refuse = |path: String, v: &Value| {
        core(Err(Error::InvalidParameter {
            field: path,
            value: pii::REDACTED.into(),
            reason: format!("expected a str, got {}", json_type(v)),
        }))
    };
    for (key, v) in fields {
        match v {
            Value::String(_) => {}
            Value::Array(items) => {
                if let Some((j, x)) = items.iter().enumerate().find(|(_, x)| !x.is_string()) {
                    return refuse(format!("{at}.{key}[{j}]"), x);
                }
            }
            other => return refuse(format!("{at}.{key}"), other),
        }
    }
    Ok(())
}

/// Where an item keeps its customer data.
#[derive(Clone, Copy)]
enum UserDataAt {
    /// No customer data.
    Nowhere,
    /// Under the item's `user_data` key (events, conversions).
    Key,
    /// The item is the customer data (Customer Match users).
    Item,
}

/// One value read as the core's `T`; an error names the place under `field`
/// (`events[0].event_time`) and the kind of value there, never the value (customer data).
fn item<T: DeserializeOwned>(field: String, v: Value) -> PyResult<T> {
    core(located(&field, &v, true))
}

/// The list `list` (JSON text) read item by item as the core's `T`.
fn items<T: DeserializeOwned>(list: &str, text: &str, pii_at: UserDataAt) -> PyResult<Vec<T>> {
    let Value::Array(values) = document::<Value>(list, text)? else {
        return core(Err(invalid(
            list,
            "not a list",
            "expected a list of objects",
        )));
    };
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let at = format!("{list}[{i}]");
            match pii_at {
                UserDataAt::Nowhere => {}
                UserDataAt::Key => check_user_data(v.get("user_data"), &format!("{at}.user_data"))?,
                UserDataAt::Item => check_user_data(Some(&v), &format!("{at}.user_data"))?,
            }
            item(at, v)
        })
        .collect()
}

/// The core's result as JSON text.
fn out<R: Serialize>(r: channelwise::Result<R>) -> PyResult<String> {
    core(to_json(&core(r)?))
}

/// Meta Conversions API bodies (`{"data": [...]}`, at most `batch_size` events each) for the
/// events JSON and the `CapiOptions` JSON; a JSON list of bodies.
#[pyfunction]
fn platform_meta_capi_requests(events: &str, options: &str) -> PyResult<String> {
    guard(|| {
        let events: Vec<meta::CapiEvent> = items("events", events, UserDataAt::Key)?;
        out(meta::capi_requests(&events, &document("options", options)?))
    })
}

/// The Marketing API request applying the `Change` JSON in `currency`'s minor unit.
#[pyfunction]
fn platform_meta_change_request(change: &str, currency: &str) -> PyResult<String> {
    guard(|| {
        let change: Change = document("change", change)?;
        out(meta::change_request(&change, currency))
    })
}

/// GA4 Measurement Protocol bodies for the payload JSON and `Ga4Options` JSON: as many as the
/// events need (`split`), or exactly one (an error past 25 events); a JSON list of bodies.
#[pyfunction]
fn platform_ga4_requests(payload: &str, options: &str, split: bool) -> PyResult<String> {
    guard(|| {
        let p: ga4::Ga4Payload = item("payload".into(), document("payload", payload)?)?;
        let o: ga4::Ga4Options = document("options", options)?;
        if split {
            out(ga4::requests(&p, &o))
        } else {
            out(ga4::body(&p, &o).map(|b| vec![b]))
        }
    })
}

/// Google Ads `uploadClickConversions` requests for the conversions JSON and `UploadOptions`
/// JSON; a JSON list of `{"path", "body"}`.
#[pyfunction]
fn platform_google_ads_click_conversions(conversions: &str, options: &str) -> PyResult<String> {
    guard(|| {
        let cs: Vec<google_ads::ClickConversion> =
            items("conversions", conversions, UserDataAt::Key)?;
        out(google_ads::click_conversion_requests(
            &cs,
            &document("options", options)?,
        ))
    })
}

/// One person's Google Ads `userIdentifiers` (JSON list) under the PII `Options` JSON.
#[pyfunction]
fn platform_google_ads_user_identifiers(user_data: &str, options: &str) -> PyResult<String> {
    guard(|| {
        let v: Value = document("user_data", user_data)?;
        check_user_data(Some(&v), "user_data")?;
        let data: UserData = item("user_data".into(), v)?;
        out(google_ads::user_identifiers(
            &data,
            &document("options", options)?,
        ))
    })
}

/// Customer Match `create` operations (JSON list), one per person of the users JSON.
#[pyfunction]
fn platform_google_ads_customer_match(users: &str, options: &str) -> PyResult<String> {
    guard(|| {
        let users: Vec<UserData> = items("users", users, UserDataAt::Item)?;
        out(google_ads::customer_match_operations(
            &users,
            &document("options", options)?,
        ))
    })
}

/// Google Ads `mutate` requests (JSON list) for the `Change` list JSON and `MutateOptions` JSON.
#[pyfunction]
fn platform_google_ads_mutate(changes: &str, options: &str) -> PyResult<String> {
    guard(|| {
        let cs: Vec<Change> = items("changes", changes, UserDataAt::Nowhere)?;
        out(google_ads::mutate_requests(
            &cs,
            document("options", options)?,
        ))
    })
}

/// `ms` (since the epoch) as Google Ads' `yyyy-mm-dd hh:mm:ss+hh:mm` at `offset_minutes`.
#[pyfunction]
fn platform_google_ads_format_date_time(ms: i64, offset_minutes: i32) -> PyResult<String> {
    guard(|| core(google_ads::format_date_time(ms, offset_minutes)))
}

/// Google Ads' `yyyy-mm-dd hh:mm:ss+hh:mm` as ms since the epoch.
#[pyfunction]
fn platform_google_ads_parse_date_time(text: &str) -> PyResult<i64> {
    guard(|| core(google_ads::parse_date_time(text)))
}

/// A vendor's report response (JSON) as the core's `Report` JSON (`time_zone`, `rows`):
/// `source` is `"meta_insights"`, `"google_ads"` or `"ga4_run_report"`, `options` its options.
#[pyfunction]
fn platform_metrics_report(source: &str, response: &str, options: &str) -> PyResult<String> {
    guard(|| {
        let r: Value = document("response", response)?;
        match source {
            "meta_insights" => out(metrics::meta_insights(&r, &document("options", options)?)),
            "google_ads" => out(metrics::google_ads(&r, &document("options", options)?)),
            "ga4_run_report" => out(metrics::ga4_run_report(&r, &document("options", options)?)),
            other => core(Err(invalid(
                "source",
                other,
                "expected one of \"meta_insights\", \"google_ads\", \"ga4_run_report\"",
            ))),
        }
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(platform_meta_capi_requests, m)?)?;
    m.add_function(wrap_pyfunction!(platform_meta_change_request, m)?)?;
    m.add_function(wrap_pyfunction!(platform_ga4_requests, m)?)?;
    m.add_function(wrap_pyfunction!(platform_google_ads_click_conversions, m)?)?;
    m.add_function(wrap_pyfunction!(platform_google_ads_user_identifiers, m)?)?;
    m.add_function(wrap_pyfunction!(platform_google_ads_customer_match, m)?)?;
    m.add_function(wrap_pyfunction!(platform_google_ads_mutate, m)?)?;
    m.add_function(wrap_pyfunction!(platform_google_ads_format_date_time, m)?)?;
    m.add_function(wrap_pyfunction!(platform_google_ads_parse_date_time, m)?)?;
    m.add_function(wrap_pyfunction!(platform_metrics_report, m)?)?;
    Ok(())
}
