//! Runs every shared vector under `tests/vectors/platform/` (Meta's and Google's published
//! normalisation and hash examples, GitHub's X-Hub-Signature-256 test values, stripe-python's
//! webhook test scenarios, and values computed with Python's hashlib/hmac; written by
//! `benches/compare/make_platform_vectors.py`) against the Rust core. An expected error names
//! its kind and the field (or header) the error must name; a PII error must not quote the value.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use std::path::Path;

use base64::Engine as _;
use channelwise::platform::pii::{self, Options, UserData, Vendor};
use channelwise::platform::webhook::{self, Scheme};
use channelwise::Error;
use common::{check_vector, run_dir, Tolerance};
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

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Map<String, Value>> {
    let vendor = || -> Vendor { serde_json::from_value(input["vendor"].clone()).expect("a vendor") };
    let out = match function {
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

/// Every expected field equals the result's exactly (hashes, headers, booleans, lists).
fn compare(got: Map<String, Value>, expected: &Value, _tol: &Tolerance) -> Result<usize, String> {
    let mut checked = 0;
    for (key, want) in expected.as_object().ok_or("expected is not an object")? {
        let g = got.get(key).ok_or(format!("no result {key}"))?;
        if g != want {
            return Err(format!("{key}: got {g}, expected {want}"));
        }
        checked += want.as_array().map_or(1, Vec::len);
    }
    Ok(checked)
}

/// The field an expected error must name, and for PII that the message does not quote the value.
fn check_error_field(path: &Path) -> Result<usize, String> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let Some(want) = v["expected"].get("field").and_then(Value::as_str) else { return Ok(0) };
    let function = text(&v, "function");
    let e = run(function, &v["input"], v.get("params").unwrap_or(&Value::Null)).err().ok_or("expected an error")?;
    let Error::InvalidParameter { field, value, .. } = &e else { return Err(format!("not an invalid_parameter error: {e:?}")) };
    if field != want {
        return Err(format!("error names {field:?}, expected {want:?}"));
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
