//! `attribution.*`: heuristics, Markov, Shapley and the path-CSV reader.
//!
//! Results are arrays of plain objects, one per channel in the table's channel order, with
//! camelCase keys; bootstrap intervals add `conversionsLo`/`Hi` and `valueLo`/`Hi`.

use channelwise::attribution::{shapley, Bootstrap, ChannelCredit, CreditIntervals, Heuristics};
use channelwise::journey::{PathCsv, PathTable};
use js_sys::{Array, Float64Array, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{self, Game};
use crate::error::{guard, Result};

/// Sets `obj[key] = value`; setting a data property on a fresh plain object cannot fail.
fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn set_num(obj: &Object, key: &str, x: f64) {
    set(obj, key, &JsValue::from_f64(x));
}

/// One object per channel with `channel` set.
fn rows(channels: &[String]) -> Vec<Object> {
    channels
        .iter()
        .map(|c| {
            let o = Object::new();
            set(&o, "channel", &JsValue::from_str(c));
            o
        })
        .collect()
}

fn to_array(rows: Vec<Object>) -> JsValue {
    rows.into_iter().collect::<Array>().into()
}

/// Adds `<prefix>Conversions` / `<prefix>Value` (or `conversions` / `value` for no prefix).
fn put_credit(rows: &[Object], credit: &ChannelCredit, conv_key: &str, value_key: &str) {
    for (i, o) in rows.iter().enumerate() {
        set_num(o, conv_key, credit.conversions[i]);
        set_num(o, value_key, credit.value[i]);
    }
}

fn put_intervals(rows: &[Object], ci: &CreditIntervals) {
    for (i, o) in rows.iter().enumerate() {
        set_num(o, "conversionsLo", ci.conversions_lower[i]);
        set_num(o, "conversionsHi", ci.conversions_upper[i]);
        set_num(o, "valueLo", ci.value_lower[i]);
        set_num(o, "valueHi", ci.value_upper[i]);
    }
}

fn table_of(table: &JsValue, opts: &JsValue) -> Result<PathTable> {
    let sep = convert::string_or(opts, "sep", ">")?;
    convert::table(table, &sep)
}

/// Rule-based credit: `{ channel, firstTouchConversions, firstTouchValue, lastTouch...,
/// linear..., uShaped..., wShaped... }` per channel.
/// Options: `{ sep = ">", uShaped = [0.4, 0.4], wShaped = [0.3, 0.3, 0.3] }`.
#[wasm_bindgen(js_name = attributionHeuristics)]
pub fn attribution_heuristics(
    table: JsValue,
    opts: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    guard(|| {
        let opts = convert::options(&opts)?;
        let table = table_of(&table, &opts)?;
        let mut spec = Heuristics::default();
        if let Some(u) = convert::shares(&opts, "uShaped", 2)? {
            spec = spec.u_shaped(u[0], u[1]);
        }
        if let Some(w) = convert::shares(&opts, "wShaped", 3)? {
            spec = spec.w_shaped(w[0], w[1], w[2]);
        }
        let h = spec.fit(&table)?;
        let out = rows(table.channels());
        for (name, credit) in [
            ("firstTouch", &h.first_touch),
            ("lastTouch", &h.last_touch),
            ("linear", &h.linear),
            ("uShaped", &h.u_shaped),
            ("wShaped", &h.w_shaped),
        ] {
            put_credit(
                &out,
                credit,
                &format!("{name}Conversions"),
                &format!("{name}Value"),
            );
        }
        Ok(to_array(out))
    })
}

/// Markov rows plus the fitted chain's summary, shared by `markov` and `markovFit`.
fn markov_fit(table: &JsValue, opts: &JsValue) -> Result<(Vec<Object>, Object)> {
    let opts = convert::options(opts)?;
    let table = table_of(table, &opts)?;
    let spec = convert::markov(&opts)?;
    let ci = convert::bootstrap(&opts)?;
    let m = spec.fit(&table)?;
    let out = rows(table.channels());
    for (i, o) in out.iter().enumerate() {
        set_num(o, "removalEffect", m.removal_effects()[i]);
        set_num(o, "removalEffectValue", m.removal_effects_value()[i]);
    }
    put_credit(&out, m.credit(), "conversions", "value");
    if let Some(b) = ci {
        put_intervals(&out, &b.markov(&spec, &table)?);
    }
    let summary = Object::new();
    set_num(
        &summary,
        "conversionProbability",
        m.conversion_probability(),
    );
    set_num(&summary, "order", m.order() as f64);
    set(
        &summary,
        "horizonSteps",
        &m.horizon_steps()
            .map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64)),
    );
    set_num(&summary, "nStates", m.n_states() as f64);
    Ok((out, summary))
}

/// Markov removal-effect credit: `{ channel, removalEffect, removalEffectValue, conversions,
/// value, conversionsLo?, conversionsHi?, valueLo?, valueHi? }` per channel.
/// Options: `{ sep = ">", order = 1, horizon = null | T | "ca", useNulls = true,
/// ci = false | true | { replicates = 200, level = 0.95, seed = 0 } }`.
#[wasm_bindgen(js_name = attributionMarkov)]
pub fn attribution_markov(table: JsValue, opts: JsValue) -> std::result::Result<JsValue, JsValue> {
    guard(|| Ok(to_array(markov_fit(&table, &opts)?.0)))
}

/// As `attributionMarkov`, plus the chain: `{ credit: [...rows], conversionProbability, order,
/// horizonSteps: number | null, nStates }`.
#[wasm_bindgen(js_name = attributionMarkovFit)]
pub fn attribution_markov_fit(
    table: JsValue,
    opts: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    guard(|| {
        let (out, summary) = markov_fit(&table, &opts)?;
        set(&summary, "credit", &to_array(out));
        Ok(summary.into())
    })
}

/// Shapley credit: `{ channel, conversions, value, conversionsStdError?, valueStdError?,
/// conversionsLo?, ... }` per channel. Options: `{ sep = ">", game = "subset" | "markov",
/// order, horizon, useNulls (markov game), method = "exact" | "sampled", permutations, seed,
/// ci }`.
#[wasm_bindgen(js_name = attributionShapley)]
pub fn attribution_shapley(table: JsValue, opts: JsValue) -> std::result::Result<JsValue, JsValue> {
    guard(|| {
        let opts = convert::options(&opts)?;
        let table = table_of(&table, &opts)?;
        let game = convert::shapley_game(&opts)?;
        let ci: Option<Bootstrap> = convert::bootstrap(&opts)?;
        let out = rows(table.channels());
        match &game {
            Game::Subset => {
                put_credit(&out, &shapley(&table)?, "conversions", "value");
                if let Some(b) = ci {
                    put_intervals(&out, &b.shapley(&table)?);
                }
            }
            Game::Markov(spec, method) => {
                let s = spec.fit(&table)?.shapley(*method)?;
                put_credit(&out, &s.credit, "conversions", "value");
                if matches!(method, channelwise::attribution::ShapleyMethod::Sampled(_)) {
                    for (i, o) in out.iter().enumerate() {
                        set_num(o, "conversionsStdError", s.conversions_std_error[i]);
                        set_num(o, "valueStdError", s.value_std_error[i]);
                    }
                }
                if let Some(b) = ci {
                    let intervals =
                        b.custom(&table, |t| Ok(spec.fit(t)?.shapley(*method)?.credit))?;
                    put_intervals(&out, &intervals);
                }
            }
        }
        Ok(to_array(out))
    })
}

/// Reads a path CSV (header `path,conversions[,nulls][,value]`) with the core's `PathCsv`:
/// `{ path: string[], conversions: Float64Array, nulls: Float64Array, value: Float64Array }`,
/// paths re-joined with `sep` and channel names trimmed. Options: `{ sep = ">", delimiter = "," }`.
#[wasm_bindgen(js_name = attributionParsePathCsv)]
pub fn attribution_parse_path_csv(
    text: JsValue,
    opts: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    guard(|| {
        let opts = convert::options(&opts)?;
        let text = text
            .as_string()
            .ok_or_else(|| crate::error::invalid("text", &text, "must be a string"))?;
        let sep = convert::string_or(&opts, "sep", ">")?;
        let delimiter = convert::delimiter(&opts)?;
        let t = PathCsv::default()
            .sep(sep.clone())
            .delimiter(delimiter)
            .read(text.as_bytes())?;
        let path: Array = (0..t.len())
            .map(|r| JsValue::from_str(&t.path_string(r, &sep)))
            .collect();
        let out = Object::new();
        set(&out, "path", &path);
        set(&out, "conversions", &Float64Array::from(t.conversions()));
        set(&out, "nulls", &Float64Array::from(t.nulls()));
        set(&out, "value", &Float64Array::from(t.values()));
        Ok(out.into())
    })
}
