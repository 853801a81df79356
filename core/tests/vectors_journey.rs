//! Runs every shared vector under `tests/vectors/journey/` against the Rust core.
//!
//! Schema (shared by the Python, Node and WASM runners):
//! `{"function": "journey.path_table" | "attribution.time_decay", "source",
//!   "input": {"touchpoints": {"user_id", "timestamp", "channel", "campaign"?, "cost"?, "event_id"?},
//!             "conversions": {"user_id", "timestamp", "value", "event_id"?, "type"?}},
//!   "params": {"lookback", "session_gap", "level", "lead_kind"?, "half_life_seconds"?},
//!   "expected": {...} | {"error": "<kind>"}, "tolerance": {"abs"}}`.
//! Columns are arrays of equal length; `null` in an optional column means "none".
//!
//! `journey.path_table` expects `path` (joined by `>`), `conversions`, `nulls`, `value`, rows
//! sorted by path; with a `key_touch` column, rows are (path, key touch) sorted with `null`
//! first, else rows with the same path are summed. An optional `report` object is compared
//! field by field with the build report. `attribution.time_decay` expects `channel`,
//! `conversions`, `value`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use std::path::Path;

use channelwise::attribution::TimeDecay;
use channelwise::journey::{BuildReport, Conversion, JourneyBuilder, Journeys, Level, Touchpoint};
use serde_json::Value;

fn column<'a>(table: &'a Value, name: &str) -> Option<&'a Vec<Value>> {
    table.get(name).map(|c| c.as_array().unwrap_or_else(|| panic!("column {name} is an array")))
}

fn strings(table: &Value, name: &str, n: usize) -> Vec<Option<String>> {
    match column(table, name) {
        Some(c) => c.iter().map(|v| v.as_str().map(str::to_string)).collect(),
        None => vec![None; n],
    }
}

fn required_strings(table: &Value, name: &str) -> Vec<String> {
    column(table, name)
        .unwrap_or_else(|| panic!("missing column {name}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_else(|| panic!("{name}: {v} is a string")).to_string())
        .collect()
}

fn timestamps(table: &Value) -> Vec<i64> {
    column(table, "timestamp")
        .expect("timestamp column")
        .iter()
        .map(|v| v.as_i64().unwrap_or_else(|| panic!("timestamp {v} is an integer")))
        .collect()
}

fn floats(table: &Value, name: &str, n: usize) -> Vec<Option<f64>> {
    match column(table, name) {
        Some(c) => c.iter().map(Value::as_f64).collect(),
        None => vec![None; n],
    }
}

fn events(input: &Value) -> (Vec<Touchpoint>, Vec<Conversion>) {
    let t = &input["touchpoints"];
    let users = required_strings(t, "user_id");
    let n = users.len();
    let (ts, channels) = (timestamps(t), required_strings(t, "channel"));
    let (campaigns, costs, ids) = (strings(t, "campaign", n), floats(t, "cost", n), strings(t, "event_id", n));
    let touches = (0..n)
        .map(|i| Touchpoint {
            user_id: users[i].clone(),
            timestamp: ts[i],
            channel: channels[i].clone(),
            campaign: campaigns[i].clone(),
            cost: costs[i],
            event_id: ids[i].clone(),
        })
        .collect();
    let c = &input["conversions"];
    let users = required_strings(c, "user_id");
    let n = users.len();
    let ts = timestamps(c);
    let (values, ids, kinds) = (floats(c, "value", n), strings(c, "event_id", n), strings(c, "type", n));
    let conversions = (0..n)
        .map(|i| Conversion {
            user_id: users[i].clone(),
            timestamp: ts[i],
            value: values[i].expect("value is a number"),
            event_id: ids[i].clone(),
            kind: kinds[i].clone(),
        })
        .collect();
    (touches, conversions)
}

fn spec(params: &Value) -> JourneyBuilder {
    let mut b = JourneyBuilder::new();
    if let Some(l) = params.get("lookback").and_then(Value::as_i64) {
        b = b.lookback(l);
    }
    b = b.session_gap(params.get("session_gap").and_then(Value::as_i64));
    if let Some(level) = params.get("level").and_then(Value::as_str) {
        b = b.level(level.parse::<Level>().expect("level"));
    }
    if let Some(k) = params.get("lead_kind").and_then(Value::as_str) {
        b = b.lead_kind(k);
    }
    b
}

fn close(name: &str, got: f64, want: &Value, abs: f64, file: &str) {
    let want = want.as_f64().unwrap_or_else(|| panic!("{file}: {name} expected number, got {want}"));
    assert!((got - want).abs() <= abs, "{file}: {name}: got {got}, want {want}");
}

fn check_columns(file: &str, expected: &Value, got: &[(&str, Vec<f64>)], abs: f64) {
    for (name, values) in got {
        let Some(want) = column(expected, name) else { continue };
        assert_eq!(want.len(), values.len(), "{file}: {name} length");
        for (i, (g, w)) in values.iter().zip(want).enumerate() {
            close(&format!("{name}[{i}]"), *g, w, abs, file);
        }
    }
}

fn check_report(file: &str, want: &Value, r: &BuildReport) {
    let Some(want) = want.as_object() else { return };
    let got = serde_json::to_value(r).expect("report serialises");
    for (k, w) in want {
        let g = got.get(k).unwrap_or_else(|| panic!("{file}: report has no field {k}"));
        let (g, w) = (g.as_f64().expect("number"), w.as_f64().expect("number"));
        assert!((g - w).abs() <= 1e-9, "{file}: report.{k}: got {g}, want {w}");
    }
}

fn check_path_table(file: &str, journeys: &Journeys, expected: &Value, abs: f64) {
    let table = journeys.path_table();
    let keyed = expected.get("key_touch").is_some();
    let mut rows: Vec<(String, Option<usize>, f64, f64, f64)> = Vec::new();
    for i in 0..table.len() {
        let path = table.path_string(i, ">");
        let key = if keyed { table.key_touch(i) } else { None };
        let (c, n, v) = (table.conversions()[i], table.nulls()[i], table.values()[i]);
        match rows.iter_mut().find(|r| r.0 == path && r.1 == key) {
            Some(r) => {
                r.2 += c;
                r.3 += n;
                r.4 += v;
            }
            None => rows.push((path, key, c, n, v)),
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let want_paths: Vec<String> = required_strings(expected, "path");
    let got_paths: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    assert_eq!(got_paths, want_paths, "{file}: paths");
    if let Some(want) = column(expected, "key_touch") {
        let want: Vec<Option<usize>> = want.iter().map(|v| v.as_u64().map(|k| k as usize)).collect();
        let got: Vec<Option<usize>> = rows.iter().map(|r| r.1).collect();
        assert_eq!(got, want, "{file}: key_touch");
    }
    check_columns(
        file,
        expected,
        &[
            ("conversions", rows.iter().map(|r| r.2).collect()),
            ("nulls", rows.iter().map(|r| r.3).collect()),
            ("value", rows.iter().map(|r| r.4).collect()),
        ],
        abs,
    );
    if let Some(r) = expected.get("report") {
        check_report(file, r, journeys.report());
    }
}

fn run_vector(path: &Path) {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let text = std::fs::read_to_string(path).expect("vector is readable");
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let function = v["function"].as_str().expect("function");
    assert!(v["source"].as_str().is_some_and(|s| !s.is_empty()), "{file}: every vector names its source");
    let abs = v["tolerance"]["abs"].as_f64().unwrap_or(1e-9);
    let expected = &v["expected"];
    let (touches, conversions) = events(&v["input"]);
    let result = spec(&v["params"]).build(&touches, &conversions).and_then(|j| match function {
        "journey.path_table" => Ok((j, None)),
        "attribution.time_decay" => {
            let mut td = TimeDecay::default();
            if let Some(h) = v["params"].get("half_life_seconds").and_then(Value::as_f64) {
                td = td.half_life_seconds(h);
            }
            let credit = td.fit(&j)?;
            Ok((j, Some(credit)))
        }
        other => panic!("{file}: unknown function {other}"),
    });
    if let Some(kind) = expected.get("error") {
        match result {
            Err(e) => assert_eq!(e.kind().code(), kind.as_str().expect("kind"), "{file}: {e}"),
            Ok(_) => panic!("{file}: expected error {kind}"),
        }
        return;
    }
    let (journeys, credit) = result.unwrap_or_else(|e| panic!("{file}: {e}"));
    match credit {
        None => check_path_table(&file, &journeys, expected, abs),
        Some(c) => {
            assert_eq!(c.channels, required_strings(expected, "channel"), "{file}: channels");
            check_columns(&file, expected, &[("conversions", c.conversions), ("value", c.value)], abs);
        }
    }
}

#[test]
fn journey_vectors() {
    let files = common::vector_files("journey");
    assert!(files.len() >= 3, "expected at least 3 journey vectors, found {}", files.len());
    for f in &files {
        run_vector(f);
    }
}
