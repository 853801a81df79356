//! `attribution.*`: heuristics, Markov, Shapley and time decay.

use channelwise::attribution::{
    ordered_shapley, shapley as subset_shapley, Bootstrap, ChannelCredit, CreditIntervals,
    FittedMarkov, Heuristics, Horizon, Markov, ShapleyMethod, ShapleySampler, TimeDecay,
};
use channelwise::journey::PathTable;
use channelwise::Error;
use napi::bindgen_prelude::{AsyncTask, Object, Unknown};
use napi_derive::napi;

use crate::convert::{self, get};
use crate::error::{guard, run, Result};
use crate::journey::journey_spec;
use crate::task::{Compute, Work};

/// One channel's credit under every rule-based model.
#[napi(object)]
pub struct HeuristicRow {
    /// Channel name.
    pub channel: String,
    /// First touch: conversions.
    pub first_touch_conversions: f64,
    /// First touch: value.
    pub first_touch_value: f64,
    /// Last touch: conversions.
    pub last_touch_conversions: f64,
    /// Last touch: value.
    pub last_touch_value: f64,
    /// Linear: conversions.
    pub linear_conversions: f64,
    /// Linear: value.
    pub linear_value: f64,
    /// U-shaped: conversions.
    pub u_shaped_conversions: f64,
    /// U-shaped: value.
    pub u_shaped_value: f64,
    /// W-shaped: conversions.
    pub w_shaped_conversions: f64,
    /// W-shaped: value.
    pub w_shaped_value: f64,
}

/// One channel's Markov removal effect and credit, with bootstrap intervals when asked for.
#[napi(object)]
pub struct MarkovRow {
    /// Channel name.
    pub channel: String,
    /// Share of conversions lost without the channel.
    pub removal_effect: f64,
    /// Share of value lost without the channel.
    pub removal_effect_value: f64,
    /// Credited conversions.
    pub conversions: f64,
    /// Credited value.
    pub value: f64,
    /// Lower end of the conversions interval (with `ci`).
    pub conversions_lo: Option<f64>,
    /// Upper end of the conversions interval (with `ci`).
    pub conversions_hi: Option<f64>,
    /// Bootstrap standard error of the conversions (with `ci`).
    pub conversions_std_error: Option<f64>,
    /// Lower end of the value interval (with `ci`).
    pub value_lo: Option<f64>,
    /// Upper end of the value interval (with `ci`).
    pub value_hi: Option<f64>,
    /// Bootstrap standard error of the value (with `ci`).
    pub value_std_error: Option<f64>,
}

/// One channel's credit (Shapley, time decay), with intervals or standard errors when asked for.
#[napi(object)]
pub struct CreditRow {
    /// Channel name.
    pub channel: String,
    /// Credited conversions.
    pub conversions: f64,
    /// Credited value.
    pub value: f64,
    /// Lower end of the conversions interval (with `ci`).
    pub conversions_lo: Option<f64>,
    /// Upper end of the conversions interval (with `ci`).
    pub conversions_hi: Option<f64>,
    /// Standard error of the conversions (with `ci`, or sampled Shapley).
    pub conversions_std_error: Option<f64>,
    /// Lower end of the value interval (with `ci`).
    pub value_lo: Option<f64>,
    /// Upper end of the value interval (with `ci`).
    pub value_hi: Option<f64>,
    /// Standard error of the value (with `ci`, or sampled Shapley).
    pub value_std_error: Option<f64>,
}

/// One channel's ordered-Shapley credit by touch position.
#[napi(object)]
pub struct OrderedRow {
    /// Channel name.
    pub channel: String,
    /// Credited conversions at touch position 0, 1, ...
    pub conversions: Vec<f64>,
    /// Credited value at touch position 0, 1, ...
    pub value: Vec<f64>,
}

/// One nonzero transition of a fitted chain.
#[napi(object)]
pub struct TransitionRow {
    /// Source state: `"(start)"` or the state's channels joined by `","`.
    pub from: String,
    /// Target state: a channel state, `"(conversion)"` or `"(null)"`.
    pub to: String,
    /// Transition probability.
    pub probability: f64,
}

// ---------------------------------------------------------------------------------------------
// Options

/// The path separator (`options.sep`, default `">"`).
fn sep(opts: Option<&Object<'_>>) -> channelwise::Result<String> {
    get(opts, "sep", "options.sep")?.map_or_else(
        || Ok(">".to_string()),
        |v| convert::string(v, "options.sep"),
    )
}

fn fixed<const N: usize>(v: Unknown<'_>, field: &str) -> channelwise::Result<[f64; N]> {
    let xs = convert::numbers(v, field)?;
    <[f64; N]>::try_from(xs.as_slice()).map_err(|_| Error::LengthMismatch {
        field: field.into(),
        expected: N,
        got: xs.len(),
    })
}

fn heuristics_spec(opts: Option<&Object<'_>>) -> channelwise::Result<Heuristics> {
    let mut spec = Heuristics::default();
    if let Some(v) = get(opts, "uShaped", "options.uShaped")? {
        let [first, last] = fixed::<2>(v, "options.uShaped")?;
        spec = spec.u_shaped(first, last);
    }
    if let Some(v) = get(opts, "wShaped", "options.wShaped")? {
        let [first, key, last] = fixed::<3>(v, "options.wShaped")?;
        spec = spec.w_shaped(first, key, last);
    }
    Ok(spec)
}

/// `{ order, horizon, useNulls }` (shared by `markov()` and `new Markov()`).
fn markov_spec(opts: Option<&Object<'_>>) -> channelwise::Result<Markov> {
    let mut spec = Markov::default();
    if let Some(v) = get(opts, "order", "options.order")? {
        spec = spec.order(convert::size(v, "options.order")?);
    }
    if let Some(v) = get(opts, "horizon", "options.horizon")? {
        let horizon = match convert::string(v, "options.horizon") {
            Ok(s) if s == "ca" => Horizon::ChannelAttributionDefault,
            Ok(_) => {
                return Err(convert::wrong(
                    "options.horizon",
                    &v,
                    "null, a step count or \"ca\"",
                ))
            }
            Err(_) => Horizon::Steps(convert::size(v, "options.horizon")?),
        };
        spec = spec.horizon(horizon);
    }
    if let Some(v) = get(opts, "useNulls", "options.useNulls")? {
        spec = spec.use_nulls(convert::boolean(v, "options.useNulls")?);
    }
    Ok(spec)
}

/// `ci`: absent or `false` for none, `true` for the defaults, or `{ replicates, level, seed }`.
fn bootstrap(opts: Option<&Object<'_>>) -> channelwise::Result<Option<Bootstrap>> {
    let Some(v) = get(opts, "ci", "options.ci")? else {
        return Ok(None);
    };
    if let Ok(b) = convert::boolean(v, "options.ci") {
        return Ok(b.then(Bootstrap::default));
    }
    let ci = convert::options(Some(v), "options.ci", &["replicates", "level", "seed"])?;
    let ci = ci.as_ref();
    let mut spec = Bootstrap::default();
    if let Some(v) = get(ci, "replicates", "options.ci.replicates")? {
        spec = spec.replicates(convert::size(v, "options.ci.replicates")?);
    }
    if let Some(v) = get(ci, "level", "options.ci.level")? {
        spec = spec.level(convert::number(v, "options.ci.level")?);
    }
    if let Some(v) = get(ci, "seed", "options.ci.seed")? {
        spec = spec.seed(convert::unsigned(v, "options.ci.seed")?);
    }
    Ok(Some(spec))
}

fn shapley_method(opts: Option<&Object<'_>>) -> channelwise::Result<ShapleyMethod> {
    let method = get(opts, "method", "options.method")?
        .map(|v| convert::string(v, "options.method"))
        .transpose()?
        .unwrap_or_else(|| "exact".into());
    let permutations = get(opts, "permutations", "options.permutations")?;
    let seed = get(opts, "seed", "options.seed")?;
    match method.as_str() {
        "exact" => Ok(ShapleyMethod::Exact),
        "sampled" => {
            let mut s = ShapleySampler::default();
            if let Some(v) = permutations {
                s = s.permutations(convert::size(v, "options.permutations")?);
            }
            if let Some(v) = seed {
                s = s.seed(convert::unsigned(v, "options.seed")?);
            }
            Ok(ShapleyMethod::Sampled(s))
        }
        other => Err(Error::InvalidParameter {
            field: "options.method".into(),
            value: other.into(),
            reason: "expected \"exact\" or \"sampled\"".into(),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Results to rows

fn heuristic_rows(spec: &Heuristics, table: &PathTable) -> channelwise::Result<Vec<HeuristicRow>> {
    let h = spec.fit(table)?;
    Ok(table
        .channels()
        .iter()
        .enumerate()
        .map(|(i, channel)| HeuristicRow {
            channel: channel.clone(),
            first_touch_conversions: h.first_touch.conversions[i],
            first_touch_value: h.first_touch.value[i],
            last_touch_conversions: h.last_touch.conversions[i],
            last_touch_value: h.last_touch.value[i],
            linear_conversions: h.linear.conversions[i],
            linear_value: h.linear.value[i],
            u_shaped_conversions: h.u_shaped.conversions[i],
            u_shaped_value: h.u_shaped.value[i],
            w_shaped_conversions: h.w_shaped.conversions[i],
            w_shaped_value: h.w_shaped.value[i],
        })
        .collect())
}

fn markov_rows(fitted: &FittedMarkov, ci: Option<&CreditIntervals>) -> Vec<MarkovRow> {
    let credit = fitted.credit();
    let (re, rev) = (fitted.removal_effects(), fitted.removal_effects_value());
    let pick = |xs: Option<&Vec<f64>>, i: usize| xs.and_then(|x| x.get(i).copied());
    credit
        .channels
        .iter()
        .enumerate()
        .map(|(i, channel)| MarkovRow {
            channel: channel.clone(),
            removal_effect: re[i],
            removal_effect_value: rev[i],
            conversions: credit.conversions[i],
            value: credit.value[i],
            conversions_lo: pick(ci.map(|c| &c.conversions_lower), i),
            conversions_hi: pick(ci.map(|c| &c.conversions_upper), i),
            conversions_std_error: pick(ci.map(|c| &c.conversions_std_error), i),
            value_lo: pick(ci.map(|c| &c.value_lower), i),
            value_hi: pick(ci.map(|c| &c.value_upper), i),
            value_std_error: pick(ci.map(|c| &c.value_std_error), i),
        })
        .collect()
}

fn credit_rows(credit: &ChannelCredit) -> Vec<CreditRow> {
    credit
        .channels
        .iter()
        .enumerate()
        .map(|(i, channel)| CreditRow {
            channel: channel.clone(),
            conversions: credit.conversions[i],
            value: credit.value[i],
            conversions_lo: None,
            conversions_hi: None,
            conversions_std_error: None,
            value_lo: None,
            value_hi: None,
            value_std_error: None,
        })
        .collect()
}

fn interval_rows(ci: &CreditIntervals) -> Vec<CreditRow> {
    let mut rows = credit_rows(&ci.estimate);
    for (i, r) in rows.iter_mut().enumerate() {
        r.conversions_lo = Some(ci.conversions_lower[i]);
        r.conversions_hi = Some(ci.conversions_upper[i]);
        r.conversions_std_error = Some(ci.conversions_std_error[i]);
        r.value_lo = Some(ci.value_lower[i]);
        r.value_hi = Some(ci.value_upper[i]);
        r.value_std_error = Some(ci.value_std_error[i]);
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// Prepared calls: inputs read on the main thread, a `Send` closure to compute.

const TABLE_OPTIONS_HEURISTICS: &[&str] = &["uShaped", "wShaped", "sep"];
const MARKOV_OPTIONS: &[&str] = &["order", "horizon", "useNulls", "ci", "sep"];
const SHAPLEY_OPTIONS: &[&str] = &["ci", "sep"];

fn prepare_heuristics(
    table: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> channelwise::Result<Work<Vec<HeuristicRow>>> {
    let opts = convert::options(options, "options", TABLE_OPTIONS_HEURISTICS)?;
    let spec = heuristics_spec(opts.as_ref())?;
    let table = convert::path_table(table, &sep(opts.as_ref())?)?;
    Ok(Box::new(move || heuristic_rows(&spec, &table)))
}

fn prepare_markov(
    table: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> channelwise::Result<Work<Vec<MarkovRow>>> {
    let opts = convert::options(options, "options", MARKOV_OPTIONS)?;
    let spec = markov_spec(opts.as_ref())?;
    let ci = bootstrap(opts.as_ref())?;
    let table = convert::path_table(table, &sep(opts.as_ref())?)?;
    Ok(Box::new(move || {
        let fitted = spec.fit(&table)?;
        // The bootstrap re-weights the chain just fitted instead of fitting it again.
        let intervals = ci.map(|b| b.fitted_markov(&fitted, &table)).transpose()?;
        Ok(markov_rows(&fitted, intervals.as_ref()))
    }))
}

fn prepare_shapley(
    table: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> channelwise::Result<Work<Vec<CreditRow>>> {
    let opts = convert::options(options, "options", SHAPLEY_OPTIONS)?;
    let ci = bootstrap(opts.as_ref())?;
    let table = convert::path_table(table, &sep(opts.as_ref())?)?;
    Ok(Box::new(move || match ci {
        None => Ok(credit_rows(&subset_shapley(&table)?)),
        Some(b) => Ok(interval_rows(&b.shapley(&table)?)),
    }))
}

// ---------------------------------------------------------------------------------------------
// Exports

/// Rule-based credit (first/last touch, linear, U- and W-shaped), one row per channel.
#[napi(namespace = "attribution")]
pub fn heuristics(table: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<Vec<HeuristicRow>> {
    guard(|| prepare_heuristics(table, options)?())
}

/// [`heuristics`] on a pool thread.
#[napi(namespace = "attribution", js_name = "heuristicsAsync")]
pub fn heuristics_async(
    table: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> AsyncTask<Compute<Vec<HeuristicRow>>> {
    AsyncTask::new(Compute::new(run(|| prepare_heuristics(table, options))))
}

/// Markov-chain removal effects and credit, one row per channel.
#[napi(namespace = "attribution")]
pub fn markov(table: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<Vec<MarkovRow>> {
    guard(|| prepare_markov(table, options)?())
}

/// [`markov`] on a pool thread.
#[napi(namespace = "attribution", js_name = "markovAsync")]
pub fn markov_async(
    table: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> AsyncTask<Compute<Vec<MarkovRow>>> {
    AsyncTask::new(Compute::new(run(|| prepare_markov(table, options))))
}

/// Closed-form Shapley credit of the subset game, one row per channel.
#[napi(namespace = "attribution", js_name = "shapley")]
pub fn shapley_js(table: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<Vec<CreditRow>> {
    guard(|| prepare_shapley(table, options)?())
}

/// [`shapley`] on a pool thread.
#[napi(namespace = "attribution", js_name = "shapleyAsync")]
pub fn shapley_async(
    table: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> AsyncTask<Compute<Vec<CreditRow>>> {
    AsyncTask::new(Compute::new(run(|| prepare_shapley(table, options))))
}

/// Shapley credit split by touch position, one row per channel.
#[napi(namespace = "attribution", js_name = "orderedShapley")]
pub fn ordered_shapley_js(
    table: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<Vec<OrderedRow>> {
    guard(|| {
        let opts = convert::options(options, "options", &["sep"])?;
        let table = convert::path_table(table, &sep(opts.as_ref())?)?;
        let o = ordered_shapley(&table)?;
        Ok(o.channels
            .into_iter()
            .zip(o.conversions)
            .zip(o.value)
            .map(|((channel, conversions), value)| OrderedRow {
                channel,
                conversions,
                value,
            })
            .collect())
    })
}

/// Time-decay credit from event columns (it needs timestamps, so it takes events, not a table).
#[napi(namespace = "attribution", js_name = "timeDecay")]
pub fn time_decay(
    touchpoints: Unknown<'_>,
    conversions: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<Vec<CreditRow>> {
    guard(|| {
        let opts = convert::options(
            options,
            "options",
            &[
                "halfLifeSeconds",
                "lookback",
                "sessionGap",
                "level",
                "leadKind",
            ],
        )?;
        let builder = journey_spec(opts.as_ref())?;
        let mut spec = TimeDecay::default();
        if let Some(v) = get(opts.as_ref(), "halfLifeSeconds", "options.halfLifeSeconds")? {
            spec = spec.half_life_seconds(convert::number(v, "options.halfLifeSeconds")?);
        }
        let touches = convert::touchpoints(touchpoints)?;
        let conversions = convert::conversions(conversions)?;
        let journeys = builder.build(&touches, &conversions)?;
        Ok(credit_rows(&spec.fit(&journeys)?))
    })
}

/// Markov-chain attribution spec: `new Markov({ order, horizon, useNulls }).fit(table)`.
#[napi(js_name = "Markov", namespace = "attribution")]
pub struct JsMarkov {
    spec: Markov,
}

#[napi(namespace = "attribution")]
impl JsMarkov {
    /// A spec; every option has a default (order 1, exact horizon, nulls used).
    #[napi(constructor)]
    pub fn new(options: Option<Unknown<'_>>) -> Result<Self> {
        guard(|| {
            let opts = convert::options(options, "options", &["order", "horizon", "useNulls"])?;
            Ok(JsMarkov {
                spec: markov_spec(opts.as_ref())?,
            })
        })
    }

    /// Builds and solves the chain on `table` (`options.sep` splits the paths).
    #[napi]
    pub fn fit(&self, table: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<JsFittedMarkov> {
        guard(|| {
            let opts = convert::options(options, "options", &["sep"])?;
            let table = convert::path_table(table, &sep(opts.as_ref())?)?;
            Ok(JsFittedMarkov {
                inner: self.spec.fit(&table)?,
            })
        })
    }
}

/// A fitted Markov chain (made by `Markov.fit`).
#[napi(js_name = "FittedMarkov", namespace = "attribution")]
pub struct JsFittedMarkov {
    inner: FittedMarkov,
}

#[napi(namespace = "attribution")]
impl JsFittedMarkov {
    /// Not for direct use: a fitted chain comes from `Markov.fit`.
    #[napi(constructor)]
    pub fn new() -> Result<Self> {
        guard(|| {
            Err(Error::InvalidParameter {
                field: "FittedMarkov".into(),
                value: "new FittedMarkov()".into(),
                reason: "a fitted chain is made by new Markov(options).fit(table)".into(),
            })
        })
    }

    /// Removal effects and credit, one row per channel.
    #[napi]
    pub fn credit(&self) -> Result<Vec<MarkovRow>> {
        guard(|| Ok(markov_rows(&self.inner, None)))
    }

    /// The nonzero transitions, rows in state order.
    #[napi]
    pub fn transitions(&self) -> Result<Vec<TransitionRow>> {
        guard(|| {
            Ok(self
                .inner
                .transitions()
                .into_iter()
                .map(|t| TransitionRow {
                    from: t.from,
                    to: t.to,
                    probability: t.probability,
                })
                .collect())
        })
    }

    /// Shapley credit of the Markov game (`{ method: "exact" | "sampled", permutations, seed }`).
    #[napi]
    pub fn shapley(&self, options: Option<Unknown<'_>>) -> Result<Vec<CreditRow>> {
        guard(|| {
            let opts = convert::options(options, "options", &["method", "permutations", "seed"])?;
            let method = shapley_method(opts.as_ref())?;
            let sampled = matches!(method, ShapleyMethod::Sampled(_));
            let s = self.inner.shapley(method)?;
            let mut rows = credit_rows(&s.credit);
            if sampled {
                for (i, r) in rows.iter_mut().enumerate() {
                    r.conversions_std_error = s.conversions_std_error.get(i).copied();
                    r.value_std_error = s.value_std_error.get(i).copied();
                }
            }
            Ok(rows)
        })
    }

    /// Channel names, in table order.
    #[napi(getter)]
    pub fn channels(&self) -> Result<Vec<String>> {
        guard(|| Ok(self.inner.channels().to_vec()))
    }

    /// The order the chain was fitted with.
    #[napi(getter)]
    pub fn order(&self) -> Result<f64> {
        guard(|| Ok(self.inner.order() as f64))
    }

    /// The step cap used, or `null` for the exact infinite-horizon answer.
    #[napi(getter)]
    pub fn horizon_steps(&self) -> Result<Option<f64>> {
        guard(|| Ok(self.inner.horizon_steps().map(|s| s as f64)))
    }

    /// Number of channel states (excluding start, conversion and null).
    #[napi(getter)]
    pub fn n_states(&self) -> Result<f64> {
        guard(|| Ok(self.inner.n_states() as f64))
    }

    /// Probability that a journey from `(start)` converts (within the horizon).
    #[napi(getter)]
    pub fn conversion_probability(&self) -> Result<f64> {
        guard(|| Ok(self.inner.conversion_probability()))
    }

    /// Removal effect of each channel, in `channels` order.
    #[napi(getter)]
    pub fn removal_effects(&self) -> Result<Vec<f64>> {
        guard(|| Ok(self.inner.removal_effects().to_vec()))
    }

    /// Removal effect of each channel on value, in `channels` order.
    #[napi(getter)]
    pub fn removal_effects_value(&self) -> Result<Vec<f64>> {
        guard(|| Ok(self.inner.removal_effects_value().to_vec()))
    }
}
