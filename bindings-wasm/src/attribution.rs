//! `attribution.*`: heuristics, Markov, Shapley and the path-CSV reader.
//!
//! Results are arrays of plain objects, one per channel in the table's channel order, with
//! camelCase keys, as in the Node binding; bootstrap intervals add `conversionsLo`, `...Hi`,
//! `...StdError` and the same for `value`. `js/index.js` groups these flat exports into the
//! `attribution` namespace and builds the `Markov` / `FittedMarkov` classes on top of
//! `attributionMarkovSpec`, `attributionMarkovFit` and `attributionMarkovShapley`.

use channelwise::attribution::{
    ordered_shapley, shapley, ChannelCredit, CreditIntervals, FittedMarkov, Heuristics, Markov,
    ShapleyMethod, TimeDecay,
};
use channelwise::journey::{PathCsv, PathTable};
use js_sys::{Array, Float64Array, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{self, Opts};
use crate::error::{guard, Result};

pub(crate) type JsResult = std::result::Result<JsValue, JsValue>;

/// `xs` as a JS `number[]`.
pub(crate) fn numbers(xs: &[f64]) -> JsValue {
    array(xs.iter().map(|&x| JsValue::from_f64(x)))
}

/// Sets `obj[key] = value`; defining a data property on a fresh plain object cannot fail.
pub(crate) fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

pub(crate) fn set_num(obj: &Object, key: &str, x: f64) {
    set(obj, key, &JsValue::from_f64(x));
}

/// Sets `key` on each row from `xs` (same order as the rows).
fn column(rows: &[Object], key: &str, xs: &[f64]) {
    for (o, &x) in rows.iter().zip(xs) {
        set_num(o, key, x);
    }
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

pub(crate) fn array<T: Into<JsValue>>(items: impl IntoIterator<Item = T>) -> JsValue {
    items.into_iter().map(Into::into).collect::<Array>().into()
}

pub(crate) fn strings(xs: &[String]) -> JsValue {
    array(xs.iter().map(|s| JsValue::from_str(s)))
}

fn put_credit(rows: &[Object], credit: &ChannelCredit) {
    column(rows, "conversions", &credit.conversions);
    column(rows, "value", &credit.value);
}

fn put_intervals(rows: &[Object], ci: &CreditIntervals) {
    column(rows, "conversionsLo", &ci.conversions_lower);
    column(rows, "conversionsHi", &ci.conversions_upper);
    column(rows, "conversionsStdError", &ci.conversions_std_error);
    column(rows, "valueLo", &ci.value_lower);
    column(rows, "valueHi", &ci.value_upper);
    column(rows, "valueStdError", &ci.value_std_error);
}

fn markov_rows(m: &FittedMarkov, ci: Option<&CreditIntervals>) -> Vec<Object> {
    let out = rows(m.channels());
    column(&out, "removalEffect", m.removal_effects());
    column(&out, "removalEffectValue", m.removal_effects_value());
    put_credit(&out, m.credit());
    if let Some(ci) = ci {
        put_intervals(&out, ci);
    }
    out
}

/// Rule-based credit (first/last touch, linear, U- and W-shaped), one row per channel:
/// `{ channel, firstTouchConversions, firstTouchValue, ..., wShapedValue }`.
/// Options: `{ sep = ">", uShaped = [0.4, 0.4], wShaped = [0.3, 0.3, 0.3] }`.
#[wasm_bindgen(js_name = attributionHeuristics)]
pub fn attribution_heuristics(table: JsValue, joined: Option<Vec<u8>>, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(&options, "options", &["sep", "uShaped", "wShaped"])?;
        let table = convert::table(&table, joined.as_deref(), &o.sep()?)?;
        let mut spec = Heuristics::default();
        if let Some([first, last]) = o.fixed::<2>("uShaped")? {
            spec = spec.u_shaped(first, last);
        }
        if let Some([first, key, last]) = o.fixed::<3>("wShaped")? {
            spec = spec.w_shaped(first, key, last);
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
            column(&out, &format!("{name}Conversions"), &credit.conversions);
            column(&out, &format!("{name}Value"), &credit.value);
        }
        Ok(array(out))
    })
}

/// Markov-chain removal effects and credit, one row per channel: `{ channel, removalEffect,
/// removalEffectValue, conversions, value }` plus intervals with `ci`.
/// Options: `{ sep = ">", order = 1, horizon = null | T | "ca", useNulls = true,
/// ci = false | true | { replicates = 200, level = 0.95, seed = 0 } }`.
#[wasm_bindgen(js_name = attributionMarkov)]
pub fn attribution_markov(table: JsValue, joined: Option<Vec<u8>>, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(
            &options,
            "options",
            &["sep", "order", "horizon", "useNulls", "ci"],
        )?;
        let table = convert::table(&table, joined.as_deref(), &o.sep()?)?;
        let spec = convert::markov(&o)?;
        let ci = convert::bootstrap(&o)?;
        let m = spec.fit(&table)?;
        let intervals = ci.map(|b| b.fitted_markov(&m, &table)).transpose()?;
        Ok(array(markov_rows(&m, intervals.as_ref())))
    })
}

/// Closed-form Shapley credit of the subset game, one row per channel: `{ channel,
/// conversions, value }` plus intervals with `ci`. Options: `{ sep = ">", ci }`.
#[wasm_bindgen(js_name = attributionShapley)]
pub fn attribution_shapley(table: JsValue, joined: Option<Vec<u8>>, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(&options, "options", &["sep", "ci"])?;
        let table = convert::table(&table, joined.as_deref(), &o.sep()?)?;
        let ci = convert::bootstrap(&o)?;
        let out = rows(table.channels());
        put_credit(&out, &shapley(&table)?);
        if let Some(b) = ci {
            put_intervals(&out, &b.shapley(&table)?);
        }
        Ok(array(out))
    })
}

/// Shapley credit split by touch position: `{ channel, conversions: number[], value: number[] }`.
/// Options: `{ sep = ">" }`.
#[wasm_bindgen(js_name = attributionOrderedShapley)]
pub fn attribution_ordered_shapley(table: JsValue, joined: Option<Vec<u8>>, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(&options, "options", &["sep"])?;
        let table = convert::table(&table, joined.as_deref(), &o.sep()?)?;
        let s = ordered_shapley(&table)?;
        let out = rows(&s.channels);
        for ((row, c), v) in out.iter().zip(&s.conversions).zip(&s.value) {
            set(
                row,
                "conversions",
                &array(c.iter().map(|&x| JsValue::from_f64(x))),
            );
            set(
                row,
                "value",
                &array(v.iter().map(|&x| JsValue::from_f64(x))),
            );
        }
        Ok(array(out))
    })
}

/// Time-decay credit from event columns (it needs timestamps, so it takes events, not a table),
/// one row per channel: `{ channel, conversions, value }`. Options: `{ halfLifeSeconds = 604800,
/// lookback, sessionGap, level, leadKind }`.
#[wasm_bindgen(js_name = attributionTimeDecay)]
pub fn attribution_time_decay(
    touchpoints: JsValue,
    conversions: JsValue,
    options: JsValue,
) -> JsResult {
    guard(|| {
        let o = Opts::new(
            &options,
            "options",
            &[
                "halfLifeSeconds",
                "lookback",
                "sessionGap",
                "level",
                "leadKind",
            ],
        )?;
        let builder = convert::journey_spec(&o)?;
        let mut spec = TimeDecay::default();
        if let Some(h) = convert::number_option(&o, "halfLifeSeconds")? {
            spec = spec.half_life_seconds(h);
        }
        let touches = convert::touchpoints(&touchpoints)?;
        let conversions = convert::conversions(&conversions)?;
        let journeys = builder.build(&touches, &conversions)?;
        let credit = spec.fit(&journeys)?;
        let out = rows(&credit.channels);
        put_credit(&out, &credit);
        Ok(array(out))
    })
}

const SPEC_KEYS: [&str; 3] = ["order", "horizon", "useNulls"];

fn markov_spec(spec: &JsValue) -> Result<Markov> {
    convert::markov(&Opts::new(spec, "options", &SPEC_KEYS)?)
}

/// Validates a `new Markov(spec)` spec `{ order, horizon, useNulls }` (types; the core checks
/// ranges when fitting, as in the Node binding).
#[wasm_bindgen(js_name = attributionMarkovSpec)]
pub fn attribution_markov_spec(spec: JsValue) -> std::result::Result<(), JsValue> {
    guard(|| markov_spec(&spec).map(|_| ()))
}

/// The path table as plain columns, paths joined by `sep` (a snapshot the JS `FittedMarkov`
/// keeps for `shapley`).
fn table_columns(t: &PathTable, sep: &str) -> Object {
    let out = Object::new();
    set(
        &out,
        "path",
        &array((0..t.len()).map(|r| JsValue::from_str(&t.path_string(r, sep)))),
    );
    set(&out, "conversions", &Float64Array::from(t.conversions()));
    set(&out, "nulls", &Float64Array::from(t.nulls()));
    set(&out, "value", &Float64Array::from(t.values()));
    out
}

/// `new Markov(spec).fit(table, { sep })`, eagerly: `{ channels, order, horizonSteps, nStates,
/// conversionProbability, removalEffects, removalEffectsValue, credit: rows, transitions:
/// [{ from, to, probability }], table: columns }`.
#[wasm_bindgen(js_name = attributionMarkovFit)]
pub fn attribution_markov_fit(
    table: JsValue,
    joined: Option<Vec<u8>>,
    spec: JsValue,
    options: JsValue,
) -> JsResult {
    guard(|| {
        let spec = markov_spec(&spec)?;
        let o = Opts::new(&options, "options", &["sep"])?;
        let sep = o.sep()?;
        let table = convert::table(&table, joined.as_deref(), &sep)?;
        let m = spec.fit(&table)?;
        let out = Object::new();
        set(&out, "channels", &strings(m.channels()));
        set_num(&out, "order", m.order() as f64);
        set(
            &out,
            "horizonSteps",
            &m.horizon_steps()
                .map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64)),
        );
        set_num(&out, "nStates", m.n_states() as f64);
        set_num(&out, "conversionProbability", m.conversion_probability());
        set(
            &out,
            "removalEffects",
            &array(m.removal_effects().iter().map(|&x| JsValue::from_f64(x))),
        );
        set(
            &out,
            "removalEffectsValue",
            &array(
                m.removal_effects_value()
                    .iter()
                    .map(|&x| JsValue::from_f64(x)),
            ),
        );
        set(&out, "credit", &array(markov_rows(&m, None)));
        let transitions = m.transitions().into_iter().map(|t| {
            let o = Object::new();
            set(&o, "from", &JsValue::from_str(&t.from));
            set(&o, "to", &JsValue::from_str(&t.to));
            set_num(&o, "probability", t.probability);
            o
        });
        set(&out, "transitions", &array(transitions));
        set(&out, "table", &table_columns(&table, &sep));
        Ok(out.into())
    })
}

/// `FittedMarkov.shapley({ method = "exact" | "sampled", permutations = 1000, seed = 0 })`: Shapley
/// credit of the Markov game, one row per channel, with `conversionsStdError` / `valueStdError`
/// when sampled. Refits the chain from the snapshot `table`.
#[wasm_bindgen(js_name = attributionMarkovShapley)]
pub fn attribution_markov_shapley(
    table: JsValue,
    joined: Option<Vec<u8>>,
    spec: JsValue,
    fit_options: JsValue,
    options: JsValue,
) -> JsResult {
    guard(|| {
        let spec = markov_spec(&spec)?;
        let sep = Opts::new(&fit_options, "options", &["sep"])?.sep()?;
        let method = convert::shapley_method(&Opts::new(
            &options,
            "options",
            &["method", "permutations", "seed"],
        )?)?;
        let table = convert::table(&table, joined.as_deref(), &sep)?;
        let s = spec.fit(&table)?.shapley(method)?;
        let out = rows(&s.credit.channels);
        put_credit(&out, &s.credit);
        if matches!(method, ShapleyMethod::Sampled(_)) {
            column(&out, "conversionsStdError", &s.conversions_std_error);
            column(&out, "valueStdError", &s.value_std_error);
        }
        Ok(array(out))
    })
}

/// Reads a path CSV (header `path,conversions[,nulls][,value]`) with the core's `PathCsv`:
/// `{ path: string[], conversions: Float64Array, nulls: Float64Array, value: Float64Array }`,
/// channel names trimmed and re-joined with `sep`. Options: `{ sep = ">", delimiter = "," }`.
#[wasm_bindgen(js_name = attributionParsePathCsv)]
pub fn attribution_parse_path_csv(text: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(&options, "options", &["sep", "delimiter"])?;
        let text = text
            .as_string()
            .ok_or_else(|| crate::error::invalid("text", &text, "expected a string"))?;
        let sep = o.sep()?;
        let t = PathCsv::default()
            .sep(sep.clone())
            .delimiter(convert::delimiter(&o)?)
            .read(text.as_bytes())?;
        Ok(table_columns(&t, &sep).into())
    })
}
