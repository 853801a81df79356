//! Runs every shared vector under `tests/vectors/attribution/` against the Rust core.
//!
//! Schema (shared by the Python, Node and WASM runners):
//! `{"function", "source", "input": {"path", "conversions", "nulls"?, "value"?, "sep"?},
//!   "params", "expected": {"channel": [..], <column>: [..], ...} | {"error": "<kind>"},
//!   "tolerance": {"abs", "rel"}}`. Non-finite inputs are written as the strings "NaN",
//! "Infinity", "-Infinity".

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

mod common;

use channelwise::attribution::{shapley, Heuristics, Horizon, Markov, ShapleyMethod, ShapleySampler};
use channelwise::journey::PathTable;
use common::{check_vector, num, run_dir, Tolerance};
use serde_json::Value;

fn nums(v: Option<&Value>) -> Option<Vec<f64>> {
    v.map(|a| a.as_array().expect("array").iter().map(num).collect())
}

/// Columns of results keyed by name, one value per channel.
struct Got {
    channels: Vec<String>,
    columns: Vec<(String, Vec<f64>)>,
    scalars: Vec<(String, f64)>,
}

fn run(function: &str, input: &Value, params: &Value) -> channelwise::Result<Got> {
    let paths: Vec<String> =
        input["path"].as_array().expect("path").iter().map(|p| p.as_str().expect("str").to_string()).collect();
    let conversions = nums(input.get("conversions")).expect("conversions");
    let nulls = nums(input.get("nulls"));
    let values = nums(input.get("value"));
    let sep = input.get("sep").and_then(Value::as_str).unwrap_or(">");
    let table = PathTable::from_strings(&paths, &conversions, nulls.as_deref(), values.as_deref(), sep)?;
    let channels = table.channels().to_vec();
    match function {
        "attribution.heuristics" => {
            let mut spec = Heuristics::default();
            if let Some(u) = nums(params.get("u_shaped")) {
                spec = spec.u_shaped(u[0], u[1]);
            }
            if let Some(w) = nums(params.get("w_shaped")) {
                spec = spec.w_shaped(w[0], w[1], w[2]);
            }
            let h = spec.fit(&table)?;
            let mut columns = Vec::new();
            for (name, c) in [
                ("first_touch", &h.first_touch),
                ("last_touch", &h.last_touch),
                ("linear", &h.linear),
                ("u_shaped", &h.u_shaped),
                ("w_shaped", &h.w_shaped),
            ] {
                columns.push((format!("{name}_conversions"), c.conversions.clone()));
                columns.push((format!("{name}_value"), c.value.clone()));
            }
            Ok(Got { channels, columns, scalars: vec![] })
        }
        "attribution.markov" => {
            let m = markov_spec(params).fit(&table)?;
            Ok(Got {
                channels,
                columns: vec![
                    ("removal_effect".into(), m.removal_effects().to_vec()),
                    ("removal_effect_value".into(), m.removal_effects_value().to_vec()),
                    ("conversions".into(), m.credit().conversions.clone()),
                    ("value".into(), m.credit().value.clone()),
                ],
                scalars: vec![("conversion_probability".into(), m.conversion_probability())],
            })
        }
        "attribution.shapley" => {
            let game = params.get("game").and_then(Value::as_str).unwrap_or("subset");
            let credit = match game {
                "subset" => shapley(&table)?,
                "markov" => {
                    let m = markov_spec(params).fit(&table)?;
                    let method = match params.get("method").and_then(Value::as_str).unwrap_or("exact") {
                        "exact" => ShapleyMethod::Exact,
                        "sampled" => ShapleyMethod::Sampled(
                            ShapleySampler::default()
                                .permutations(params["permutations"].as_u64().expect("permutations") as usize)
                                .seed(params["seed"].as_u64().expect("seed")),
                        ),
                        other => panic!("unknown method {other}"),
                    };
                    m.shapley(method)?.credit
                }
                other => panic!("unknown game {other}"),
            };
            Ok(Got {
                channels,
                columns: vec![("conversions".into(), credit.conversions), ("value".into(), credit.value)],
                scalars: vec![],
            })
        }
        other => panic!("no runner for function {other:?}"),
    }
}

fn markov_spec(params: &Value) -> Markov {
    let horizon = match params.get("horizon") {
        None | Some(Value::Null) => Horizon::Infinite,
        Some(Value::String(s)) if s == "ca" => Horizon::ChannelAttributionDefault,
        Some(v) => Horizon::Steps(v.as_u64().expect("horizon is null, \"ca\" or an integer") as usize),
    };
    Markov::default()
        .order(params.get("order").and_then(Value::as_u64).unwrap_or(1) as usize)
        .horizon(horizon)
        .use_nulls(params.get("use_nulls").and_then(Value::as_bool).unwrap_or(true))
}

/// Compares every expected column (matched by channel name) and scalar.
fn compare(got: Got, expected: &Value, tol: &Tolerance) -> Result<usize, String> {
    let want_channels: Vec<&str> =
        expected["channel"].as_array().ok_or("expected.channel missing")?.iter().filter_map(Value::as_str).collect();
    let mut checked = 0;
    for (key, col) in expected.as_object().ok_or("expected is not an object")? {
        if key == "channel" {
            continue;
        }
        if let Some((_, g)) = got.scalars.iter().find(|(n, _)| n == key) {
            let e = num(col);
            if !tol.close(*g, e) {
                return Err(format!("{key}: got {g}, expected {e}"));
            }
            checked += 1;
            continue;
        }
        let (_, gcol) = got.columns.iter().find(|(n, _)| n == key).ok_or(format!("no column {key}"))?;
        let ecol = col.as_array().ok_or(format!("{key} is not an array"))?;
        if ecol.len() != want_channels.len() {
            return Err(format!("{key}: {} values for {} channels", ecol.len(), want_channels.len()));
        }
        for (ch, e) in want_channels.iter().zip(ecol) {
            let i = got.channels.iter().position(|c| c == ch).ok_or(format!("channel {ch} missing"))?;
            let (g, e) = (gcol[i], num(e));
            if !tol.close(g, e) {
                return Err(format!("{key}[{ch}]: got {g}, expected {e} ({})", tol.describe()));
            }
            checked += 1;
        }
    }
    if got.channels.len() != want_channels.len() {
        return Err(format!("got {} channels, expected {}", got.channels.len(), want_channels.len()));
    }
    Ok(checked)
}

#[test]
fn every_attribution_vector_passes() {
    run_dir("attribution", |f| check_vector(f, run, compare));
}
