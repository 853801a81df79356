//! Runs every shared vector under `tests/vectors/platform/` against the Rust core: Meta's and
//! Google's published normalisation and hash examples, GitHub's X-Hub-Signature-256 test values,
//! stripe-python's webhook test scenarios and values computed with Python's hashlib/hmac
//! (`benches/compare/make_platform_vectors.py`); the vendors' request payload and report
//! response examples with expected bodies and metrics rows worked out from their rules
//! (`benches/compare/make_platform_payload_vectors.py`). An expected error names its kind and
//! the field (or header) the error must name; an error about customer data must not quote it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use std::path::Path;

use base64::Engine as _;
use channelwise::platform::adapter::Change;
use channelwise::platform::metrics;
use channelwise::platform::payloads::{ga4, google_ads, meta};
use channelwise::platform::pii::{self, Options, UserData, Vendor};
use channelwise::platform::webhook::{self, Scheme};
use channelwise::Error;
use common::{check_vector, num, run_dir, Tolerance};
use serde_json::{json, Map, Value};

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} is not a string"))
}

fn body(input: &Value) -> Vec<u8> {
    match input.get("body_base64") {
        Some(b) => base64::engine::general_purpose::STANDARD.decode(b.as_str().unwrap()).expect("body_base64"),
        None => text(input, "body").as_bytes().to_vec(),
    }
}

fn options(params: &Value) -> Options {
    params.get("options").map(|o| serde_json::from_value(o.clone()).expect("pii options")).unwrap_or_default()
}

/// A vector's JSON read as `T` (a malformed vector is a test bug, not a core error).
fn from<T: serde::de::DeserializeOwned>(v: &Value, what: &str) -> T {
    serde_json::from_value(if v.is_null() { json!({}) } else { v.clone() }).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Request bodies with the size of each (events, conversions or the `data` list).
fn bodies(requests: Vec<Value>, list: impl Fn(&Value) -> &Value) -> Value {
    let sizes: Vec<usize> = requests.iter().map(|r| list(r).as_array().map_or(0, Vec::len)).collect();
    json!({ "sizes": sizes, "requests": requests })
}

fn run_payloads(function: &str, input: &Value, params: &Value) -> channelwise::Result<Value> {
    Ok(match function {
        "platform.payloads.meta_capi" => {
            let events: Vec<meta::CapiEvent> = from(&input["events"], "events");
            let mut out = bodies(meta::capi_requests(&events, &from(params, "options"))?, |r| &r["data"]);
            let ids: Vec<Value> = out["requests"].as_array().unwrap().iter()
                .flat_map(|r| r["data"].as_array().unwrap().iter().map(|e| e["event_id"].clone()))
                .collect();
            out["event_ids"] = Value::Array(ids);
            out
        }
        "platform.payloads.meta_change" => {
            let change: Change = from(&input["change"], "change");
            json!({ "request": meta::change_request(&change, text(input, "currency"))? })
        }
        "platform.payloads.ga4_mp" => {
            let payload: ga4::Ga4Payload = from(&input["payload"], "payload");
            let mut params = params.clone();
            let split = params.as_object_mut().and_then(|p| p.remove("split")).is_none_or(|s| s == json!(true));
            let options: ga4::Ga4Options = from(&params, "options");
            let requests = if split { ga4::requests(&payload, &options)? } else { vec![ga4::body(&payload, &options)?] };
            bodies(requests, |r| &r["events"])
        }
        "platform.payloads.google_ads_click_conversions" => {
            let conversions: Vec<google_ads::ClickConversion> = from(&input["conversions"], "conversions");
            bodies(google_ads::click_conversion_requests(&conversions, &from(params, "options"))?, |r| &r["body"]["conversions"])
        }
        "platform.payloads.google_ads_user_identifiers" => {
            let data: UserData = from(&input["user_data"], "user_data");
            json!({ "user_identifiers": google_ads::user_identifiers(&data, &options(params))? })
        }
        "platform.payloads.google_ads_customer_match" => {
            let users: Vec<UserData> = from(&input["users"], "users");
            json!({ "operations": google_ads::customer_match_operations(&users, &options(params))? })
        }
        "platform.payloads.google_ads_mutate" => {
            let changes: Vec<Change> = from(&input["changes"], "changes");
            json!({ "requests": google_ads::mutate_requests(&changes, from(params, "options"))? })
        }
        "platform.payloads.google_ads_date_time" => {
            let ms = input["ms"].as_i64().expect("ms");
            let formatted = google_ads::format_date_time(ms, input["offset_minutes"].as_i64().expect("offset") as i32)?;
            json!({ "parsed_ms": google_ads::parse_date_time(&formatted)?, "formatted": formatted })
        }
        "platform.metrics.meta_insights" => serde_json::to_value(metrics::meta_insights(&input["response"], &from(params, "options"))?).unwrap(),
        "platform.metrics.google_ads" => serde_json::to_value(metrics::google_ads(&input["response"], &from(params, "options"))?).unwrap(),
        "platform.metrics.ga4_run_report" => serde_json::to_value(metrics::ga4_run_report(&input["response"], &from(params, "options"))?).unwrap(),
        other => panic!("no runner for function {other:?}"),
    })
}

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let vendor = || -> Vendor { serde_json::from_value(input["vendor"].clone()).expect("a vendor") };
    let out = match function {
        f if f.starts_with("platform.payloads.") || f.starts_with("platform.metrics.") => run_payloads(f, input, params)?,
        "platform.pii.normalize" => {
            json!({ "normalized": pii::normalize_with(text(input, "field"), text(input, "value"), vendor(), &options(params))? })
        }
        "platform.pii.hash" => json!({ "hash": pii::hash_with(text(input, "field"), text(input, "value"), vendor(), &options(params))? }),
        "platform.pii.hash_user_data" => {
            let data: UserData = serde_json::from_value(input["user_data"].clone()).expect("user_data");
            serde_json::to_value(pii::hash_user_data_with(&data, vendor(), &options(params))?).unwrap()
        }
        "platform.webhook.verify" => {
            let scheme: Scheme = serde_json::from_value(input["scheme"].clone()).expect("a scheme");
            let now = input["now"].as_i64().expect("now");
            json!({ "valid": webhook::verify(scheme, text(input, "secret").as_bytes(), &body(input), text(input, "header"), now)? })
        }
        "platform.webhook.check_timestamped" => {
            let tolerance = input["tolerance_seconds"].as_u64();
            let verdict = webhook::check_timestamped(
                text(input, "secret").as_bytes(),
                &body(input),
                text(input, "header"),
                input["now"].as_i64().expect("now"),
                tolerance,
            )?;
            json!({ "verdict": verdict })
        }
        "platform.webhook.sign" => {
            let scheme: Scheme = serde_json::from_value(input["scheme"].clone()).expect("a scheme");
            let t = input["t"].as_i64().expect("t");
            json!({ "header": webhook::sign(scheme, text(input, "secret").as_bytes(), &body(input), t) })
        }
        other => panic!("no runner for function {other:?}"),
    };
    Ok(out.as_object().expect("an object").clone())
}

/// `got` equals `want` at every leaf: numbers within the tolerance (an integer exactly),
/// everything else exactly, objects with the same keys. Returns how many leaves it checked.
fn same(got: &Value, want: &Value, path: &str, tol: &Tolerance) -> Result<usize, String> {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            if g.len() != w.len() || g.keys().any(|k| !w.contains_key(k)) {
                let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<Vec<_>>().join(",");
                return Err(format!("{path}: keys {}, expected {}", keys(g), keys(w)));
            }
            w.iter().try_fold(0, |n, (k, wv)| Ok(n + same(&g[k], wv, &format!("{path}.{k}"), tol)?))
        }
        (Value::Array(g), Value::Array(w)) => {
            if g.len() != w.len() {
                return Err(format!("{path}: {} items, expected {}", g.len(), w.len()));
            }
            g.iter().zip(w).enumerate().try_fold(0, |n, (i, (gv, wv))| Ok(n + same(gv, wv, &format!("{path}[{i}]"), tol)?)).map(|n: usize| n.max(1))
        }
        (Value::Number(g), Value::Number(w)) if w.is_f64() || g.is_f64() => {
            let (g, w) = (num(got), num(want));
            if tol.close(g, w) { Ok(1) } else { Err(format!("{path}: got {g}, expected {w} ({})", tol.describe())) }
        }
        _ if got == want => Ok(1),
        _ => Err(format!("{path}: got {got}, expected {want}")),
    }
}

/// Every expected field matches the result (hashes, headers, booleans, bodies, rows).
fn compare(got: Map<String, Value>, expected: &Value, tol: &Tolerance) -> Result<usize, String> {
    let mut checked = 0;
    for (key, want) in expected.as_object().ok_or("expected is not an object")? {
        let g = got.get(key).ok_or(format!("no result {key}"))?;
        checked += same(g, want, key, tol)?;
    }
    Ok(checked)
}

/// The field an expected error must name, and for PII that the message does not quote the value.
fn check_error_field(path: &Path) -> Result<usize, String> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let Some(want) = v["expected"].get("field").and_then(Value::as_str) else { return Ok(0) };
    let function = text(&v, "function");
    let e = run(function, &v["input"], v.get("params").unwrap_or(&Value::Null)).err().ok_or("expected an error")?;
    let (field, value) = match &e {
        Error::InvalidParameter { field, value, .. } => (field, value.clone()),
        Error::OutOfRange { field, value, .. } | Error::NonFinite { field, value } => (field, value.to_string()),
        _ => return Err(format!("an error naming no field: {e:?}")),
    };
    if field != want {
        return Err(format!("error names {field:?}, expected {want:?}"));
    }
    if field.contains("user_data.") && value != pii::REDACTED {
        return Err(format!("an error about customer data shows its value: {e}"));
    }
    if function.starts_with("platform.pii.") {
        let raw: Vec<String> = match v["input"].get("value") {
            Some(Value::String(s)) => vec![s.clone()],
            _ => v["input"]["user_data"].as_object().unwrap().values().flat_map(|x| match x {
                Value::Array(a) => a.iter().map(|s| s.as_str().unwrap().to_string()).collect(),
                s => vec![s.as_str().unwrap().to_string()],
            }).collect(),
        };
        let shown = format!("{e} {e:?}");
        if value != pii::REDACTED || raw.iter().any(|r| r.trim().len() >= 4 && shown.contains(r.trim())) {
            return Err(format!("a PII error shows its value: {shown}"));
        }
    }
    Ok(1)
}

#[test]
fn every_platform_vector_passes() {
    run_dir("platform", |f| Ok(check_vector(f, run, compare)? + check_error_field(f)?));
}
