//! `attribution.*`: heuristics, Markov (function and classes), Shapley, time decay, path CSV.

use std::sync::Arc;

use channelwise::attribution::{
    ordered_shapley, shapley, Bootstrap, ChannelCredit, CreditIntervals, FittedMarkov, Heuristics,
    Horizon, Markov, ShapleyMethod, ShapleySampler, TimeDecay,
};
use channelwise::journey::{PathCsv, PathTable};
use channelwise::{Error, Result};

use crate::api::{arg, from_document, getter, job, long_job, out_field, this, to_document, Job};
use crate::decl::{Fixed, FromJs};
use crate::host::{Host, Kind};
use crate::journey::{journey_spec, JourneyOptions, LevelOption};
use crate::out::{F64s, Handle, Nullable, Opt, Out};
use crate::read::{self, wrong};
use crate::table::{conversions, path_table, touchpoints};
use crate::{js_options, js_result};

js_result! {
    /// One channel's credit under every rule-based model.
    pub struct HeuristicRow {
        /// Channel name.
        channel: String,
        /// First touch: conversions.
        firstTouchConversions: f64,
        /// First touch: value.
        firstTouchValue: f64,
        /// Last touch: conversions.
        lastTouchConversions: f64,
        /// Last touch: value.
        lastTouchValue: f64,
        /// Linear: conversions.
        linearConversions: f64,
        /// Linear: value.
        linearValue: f64,
        /// U-shaped: conversions.
        uShapedConversions: f64,
        /// U-shaped: value.
        uShapedValue: f64,
        /// W-shaped: conversions.
        wShapedConversions: f64,
        /// W-shaped: value.
        wShapedValue: f64,
    }
}

js_result! {
    /// One channel's Markov removal effect and credit, with bootstrap intervals when asked for
    /// (`ci`).
    pub struct MarkovRow {
        /// Channel name.
        channel: String,
        /// Share of conversions lost without the channel.
        removalEffect: f64,
        /// Share of value lost without the channel.
        removalEffectValue: f64,
        /// Credited conversions.
        conversions: f64,
        /// Credited value.
        value: f64,
        /// Lower end of the conversions interval (with `ci`).
        conversionsLo: Opt<f64>,
        /// Upper end of the conversions interval (with `ci`).
        conversionsHi: Opt<f64>,
        /// Bootstrap standard error of the conversions (with `ci`).
        conversionsStdError: Opt<f64>,
        /// Lower end of the value interval (with `ci`).
        valueLo: Opt<f64>,
        /// Upper end of the value interval (with `ci`).
        valueHi: Opt<f64>,
        /// Bootstrap standard error of the value (with `ci`).
        valueStdError: Opt<f64>,
    }
}

js_result! {
    /// One channel's credit (Shapley, time decay), with intervals or standard errors when asked
    /// for.
    pub struct CreditRow {
        /// Channel name.
        channel: String,
        /// Credited conversions.
        conversions: f64,
        /// Credited value.
        value: f64,
        /// Lower end of the conversions interval (with `ci`).
        conversionsLo: Opt<f64>,
        /// Upper end of the conversions interval (with `ci`).
        conversionsHi: Opt<f64>,
        /// Standard error of the conversions (with `ci`, or sampled Shapley).
        conversionsStdError: Opt<f64>,
        /// Lower end of the value interval (with `ci`).
        valueLo: Opt<f64>,
        /// Upper end of the value interval (with `ci`).
        valueHi: Opt<f64>,
        /// Standard error of the value (with `ci`, or sampled Shapley).
        valueStdError: Opt<f64>,
    }
}

js_result! {
    /// One channel's ordered-Shapley credit by touch position.
    pub struct OrderedRow {
        /// Channel name.
        channel: String,
        /// Credited conversions at touch position 0, 1, ...
        conversions: Vec<f64>,
        /// Credited value at touch position 0, 1, ...
        value: Vec<f64>,
    }
}

js_result! {
    /// One nonzero transition of a fitted chain.
    pub struct TransitionRow {
        /// Source state: `"(start)"` or the state's channels joined by `","`.
        from: String,
        /// Target state: a channel state, `"(conversion)"` or `"(null)"`.
        to: String,
        /// Transition probability.
        probability: f64,
    }
}

js_result! {
    /// A path table as columns (from `parsePathCsv` or `journey.merge`), ready for
    /// `attribution.*`.
    pub struct PathTableData {
        /// Paths, channels joined by `sep`.
        path: Vec<String>,
        /// Converting journeys per row.
        conversions: F64s,
        /// Non-converting journeys per row.
        nulls: F64s,
        /// Conversion value per row.
        value: F64s,
        /// Index of the key (lead-creation) touch per row, or `null`.
        keyTouch: Vec<Nullable<usize>>,
    }
}

/// The step cap of a Markov chain: `null` exact, a step count, or `"ca"` (ChannelAttribution's
/// default, the longest path + 1).
pub struct HorizonOption(pub Horizon);

impl FromJs for HorizonOption {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        match h.kind(v) {
            Kind::String if read::string(h, v, field)? == "ca" => {
                Ok(HorizonOption(Horizon::ChannelAttributionDefault))
            }
            Kind::String => Err(wrong(h, field, v, "null, a step count or \"ca\"")),
            _ => Ok(HorizonOption(Horizon::Steps(read::size(h, v, field)?))),
        }
    }
    fn ts() -> String {
        "number | 'ca'".into()
    }
}

js_options! {
    /// Bootstrap intervals: resample the journeys, refit, take percentiles.
    pub struct CiOptions {
        /// Bootstrap replicates (default 200, at least 10).
        replicates: usize,
        /// Interval level in (0, 1) (default 0.95).
        level: f64,
        /// Seed of the resampling (default 0).
        seed: u64,
    }
}

/// `ci`: `false` none, `true` the defaults, or `{ replicates, level, seed }`.
pub struct CiOption(pub Option<Bootstrap>);

impl FromJs for CiOption {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        if h.kind(v) == Kind::Boolean {
            return Ok(CiOption(h.boolean(v).then(Bootstrap::default)));
        }
        let o = CiOptions::read(h, v, field)?;
        let mut b = Bootstrap::default();
        if let Some(r) = o.replicates {
            b = b.replicates(r);
        }
        if let Some(level) = o.level {
            b = b.level(level);
        }
        if let Some(seed) = o.seed {
            b = b.seed(seed);
        }
        Ok(CiOption(Some(b)))
    }
    fn ts() -> String {
        "boolean | CiOptions".into()
    }
}

js_options! {
    /// Options of `attribution.heuristics`.
    pub struct HeuristicsOptions {
        /// Path separator (default `">"`).
        sep: String,
        /// U-shaped weights of the first and last touch (default `[0.4, 0.4]`).
        uShaped: Fixed<2>,
        /// W-shaped weights of the first, key and last touch (default `[0.3, 0.3, 0.3]`).
        wShaped: Fixed<3>,
    }
}

js_options! {
    /// Options of `attribution.markov`.
    pub struct MarkovOptions {
        /// Path separator (default `">"`).
        sep: String,
        /// Markov order, 1 to 64 (default 1).
        order: usize,
        /// `null` exact (default), a step cap, or `"ca"` (ChannelAttribution's step cap).
        horizon: HorizonOption,
        /// Count non-converting journeys (default true).
        useNulls: bool,
        /// Bootstrap intervals.
        ci: CiOption,
    }
}

js_options! {
    /// The spec of `new attribution.Markov(spec)`.
    pub struct MarkovSpec {
        /// Markov order, 1 to 64 (default 1).
        order: usize,
        /// `null` exact (default), a step cap, or `"ca"` (ChannelAttribution's step cap).
        horizon: HorizonOption,
        /// Count non-converting journeys (default true).
        useNulls: bool,
    }
}

js_options! {
    /// The path separator option.
    pub struct SepOption {
        /// Path separator (default `">"`).
        sep: String,
    }
}

js_options! {
    /// Options of `attribution.shapley`.
    pub struct ShapleyOptions {
        /// Path separator (default `">"`).
        sep: String,
        /// Bootstrap intervals.
        ci: CiOption,
    }
}

js_options! {
    /// Options of `FittedMarkov.shapley`.
    pub struct MarkovShapleyOptions {
        /// `"exact"` (default) or `"sampled"` permutations.
        method: String,
        /// Sampled permutations (default 1000).
        permutations: usize,
        /// Seed of the sampling (default 0).
        seed: u64,
    }
}

js_options! {
    /// Options of `attribution.timeDecay`.
    pub struct TimeDecayOptions {
        /// Half-life of a touch's weight, in seconds (default 604800, a week).
        halfLifeSeconds: f64,
        /// Lookback window in seconds.
        lookback: i64,
        /// Touches closer than this many seconds to the previous one are merged.
        sessionGap: i64,
        /// `"channel"` (default) or `"channel_campaign"`.
        level: LevelOption,
        /// Conversion type that marks the lead-creation (key) touch.
        leadKind: String,
    }
}

js_options! {
    /// Options of `attribution.parsePathCsv`.
    pub struct PathCsvOptions {
        /// Path separator (default `">"`).
        sep: String,
        /// CSV delimiter, one ASCII character (default `","`).
        delimiter: String,
    }
}

fn sep(s: Option<String>) -> String {
    s.unwrap_or_else(|| ">".into())
}

fn markov_spec(
    order: Option<usize>,
    horizon: Option<HorizonOption>,
    use_nulls: Option<bool>,
) -> Markov {
    let mut spec = Markov::default();
    if let Some(o) = order {
        spec = spec.order(o);
    }
    if let Some(HorizonOption(hz)) = horizon {
        spec = spec.horizon(hz);
    }
    if let Some(u) = use_nulls {
        spec = spec.use_nulls(u);
    }
    spec
}

fn credit_rows(c: &ChannelCredit, ci: Option<&CreditIntervals>) -> Vec<CreditRow> {
    let at = |xs: Option<&Vec<f64>>, i: usize| Opt(xs.and_then(|x| x.get(i).copied()));
    c.channels
        .iter()
        .enumerate()
        .map(|(i, channel)| CreditRow {
            channel: channel.clone(),
            conversions: c.conversions[i],
            value: c.value[i],
            conversionsLo: at(ci.map(|c| &c.conversions_lower), i),
            conversionsHi: at(ci.map(|c| &c.conversions_upper), i),
            conversionsStdError: at(ci.map(|c| &c.conversions_std_error), i),
            valueLo: at(ci.map(|c| &c.value_lower), i),
            valueHi: at(ci.map(|c| &c.value_upper), i),
            valueStdError: at(ci.map(|c| &c.value_std_error), i),
        })
        .collect()
}

fn markov_rows(m: &FittedMarkov, ci: Option<&CreditIntervals>) -> Vec<MarkovRow> {
    let (re, rev) = (m.removal_effects(), m.removal_effects_value());
    credit_rows(m.credit(), ci)
        .into_iter()
        .enumerate()
        .map(|(i, r)| MarkovRow {
            channel: r.channel,
            removalEffect: re[i],
            removalEffectValue: rev[i],
            conversions: r.conversions,
            value: r.value,
            conversionsLo: r.conversionsLo,
            conversionsHi: r.conversionsHi,
            conversionsStdError: r.conversionsStdError,
            valueLo: r.valueLo,
            valueHi: r.valueHi,
            valueStdError: r.valueStdError,
        })
        .collect()
}

/// `attribution.heuristics(table, options?)`.
pub fn heuristics<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = HeuristicsOptions::read(h, &arg(h, a, 1)?, "options")?;
    let mut spec = Heuristics::default();
    if let Some(Fixed([first, last])) = o.uShaped {
        spec = spec.u_shaped(first, last);
    }
    if let Some(Fixed([first, key, last])) = o.wShaped {
        spec = spec.w_shaped(first, key, last);
    }
    let table = path_table(h, &arg(h, a, 0)?, &sep(o.sep))?;
    job(move || {
        let r = spec.fit(&table)?;
        Ok(table
            .channels()
            .iter()
            .enumerate()
            .map(|(i, channel)| HeuristicRow {
                channel: channel.clone(),
                firstTouchConversions: r.first_touch.conversions[i],
                firstTouchValue: r.first_touch.value[i],
                lastTouchConversions: r.last_touch.conversions[i],
                lastTouchValue: r.last_touch.value[i],
                linearConversions: r.linear.conversions[i],
                linearValue: r.linear.value[i],
                uShapedConversions: r.u_shaped.conversions[i],
                uShapedValue: r.u_shaped.value[i],
                wShapedConversions: r.w_shaped.conversions[i],
                wShapedValue: r.w_shaped.value[i],
            })
            .collect::<Vec<_>>())
    })
}

/// `attribution.markov(table, options?)`.
pub fn markov<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = MarkovOptions::read(h, &arg(h, a, 1)?, "options")?;
    let spec = markov_spec(o.order, o.horizon, o.useNulls);
    let ci = o.ci.and_then(|c| c.0);
    let table = path_table(h, &arg(h, a, 0)?, &sep(o.sep))?;
    long_job(move |monitor| {
        let fitted = spec.fit(&table)?;
        // The bootstrap re-weights the chain just fitted instead of fitting it again.
        let intervals = ci
            .map(|b| b.fitted_markov_with_progress(&fitted, &table, monitor))
            .transpose()?;
        Ok(markov_rows(&fitted, intervals.as_ref()))
    })
}

/// `attribution.shapley(table, options?)`.
pub fn shapley_credit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = ShapleyOptions::read(h, &arg(h, a, 1)?, "options")?;
    let ci = o.ci.and_then(|c| c.0);
    let table = path_table(h, &arg(h, a, 0)?, &sep(o.sep))?;
    long_job(move |monitor| match ci {
        None => Ok(credit_rows(&shapley(&table)?, None)),
        Some(b) => {
            let ci = b.shapley_with_progress(&table, monitor)?;
            Ok(credit_rows(&ci.estimate, Some(&ci)))
        }
    })
}

/// `attribution.orderedShapley(table, options?)`.
pub fn ordered<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = SepOption::read(h, &arg(h, a, 1)?, "options")?;
    let table = path_table(h, &arg(h, a, 0)?, &sep(o.sep))?;
    job(move || {
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
            .collect::<Vec<_>>())
    })
}

/// `attribution.timeDecay(touchpoints, conversions, options?)`.
pub fn time_decay<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = TimeDecayOptions::read(h, &arg(h, a, 2)?, "options")?;
    let builder = journey_spec(&JourneyOptions {
        lookback: o.lookback,
        sessionGap: o.sessionGap,
        level: o.level,
        leadKind: o.leadKind,
        sep: None,
    })?;
    let mut spec = TimeDecay::default();
    if let Some(hl) = o.halfLifeSeconds {
        spec = spec.half_life_seconds(hl);
    }
    let touches = touchpoints(h, &arg(h, a, 0)?)?;
    let conversions = conversions(h, &arg(h, a, 1)?)?;
    job(move || {
        let journeys = crate::table::build(&builder, &touches, &conversions)?;
        Ok(credit_rows(&spec.fit(&journeys)?, None))
    })
}

/// The table's paths joined by `sep` (`options.sep`), refused when they would not read back.
pub(crate) fn path_strings(t: &PathTable, sep: &str) -> Result<Vec<String>> {
    t.path_strings(sep).map_err(|e| match e {
        Error::InvalidParameter { value, reason, .. } => Error::InvalidParameter {
            field: "options.sep".into(),
            value,
            reason,
        },
        e => e,
    })
}

pub(crate) fn table_data(t: &PathTable, sep: &str) -> Result<PathTableData> {
    Ok(PathTableData {
        path: path_strings(t, sep)?,
        conversions: F64s(t.conversions().to_vec()),
        nulls: F64s(t.nulls().to_vec()),
        value: F64s(t.values().to_vec()),
        keyTouch: (0..t.len()).map(|r| Nullable(t.key_touch(r))).collect(),
    })
}

/// `attribution.parsePathCsv(text, options?)`.
pub fn parse_path_csv<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = PathCsvOptions::read(h, &arg(h, a, 1)?, "options")?;
    let text = read::string(h, &arg(h, a, 0)?, "text")?;
    let delimiter = match o.delimiter.as_deref().unwrap_or(",").as_bytes() {
        [b] if b.is_ascii() => *b,
        _ => {
            return Err(Error::InvalidParameter {
                field: "options.delimiter".into(),
                value: o.delimiter.unwrap_or_default(),
                reason: "expected a single ASCII character".into(),
            })
        }
    };
    let sep = sep(o.sep);
    job(move || {
        let t = PathCsv::default()
            .sep(sep.clone())
            .delimiter(delimiter)
            .read(text.as_bytes())?;
        table_data(&t, &sep)
    })
}

/// `new attribution.Markov(spec?)`.
pub fn markov_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = MarkovSpec::read(h, &arg(h, a, 0)?, "options")?;
    let spec = markov_spec(o.order, o.horizon, o.useNulls);
    job(move || Ok(Handle(Arc::new(spec))))
}

/// `Markov.fit(table, options?)`.
pub fn markov_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec: Arc<Markov> = this(h, a)?;
    let o = SepOption::read(h, &arg(h, a, 2)?, "options")?;
    let table = path_table(h, &arg(h, a, 1)?, &sep(o.sep))?;
    job(move || Ok(Handle(Arc::new(spec.fit(&table)?))))
}

/// `new FittedMarkov()`: not for direct use.
pub fn fitted_markov_new<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    Err(Error::InvalidParameter {
        field: "FittedMarkov".into(),
        value: "new FittedMarkov()".into(),
        reason: "a fitted chain is made by new Markov(options).fit(table), or FittedMarkov.fromJSON(json)".into(),
    })
}

/// `FittedMarkov.credit()`.
pub fn fitted_markov_credit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMarkov> = this(h, a)?;
    job(move || Ok(markov_rows(&m, None)))
}

/// `FittedMarkov.transitions()`.
pub fn fitted_markov_transitions<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMarkov> = this(h, a)?;
    job(move || {
        Ok(m.transitions()
            .into_iter()
            .map(|t| TransitionRow {
                from: t.from,
                to: t.to,
                probability: t.probability,
            })
            .collect::<Vec<_>>())
    })
}

/// `FittedMarkov.shapley(options?)`.
pub fn fitted_markov_shapley<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMarkov> = this(h, a)?;
    let o = MarkovShapleyOptions::read(h, &arg(h, a, 1)?, "options")?;
    let method = match o.method.as_deref().unwrap_or("exact") {
        "exact" => ShapleyMethod::Exact,
        "sampled" => {
            let mut s = ShapleySampler::default();
            if let Some(p) = o.permutations {
                s = s.permutations(p);
            }
            if let Some(seed) = o.seed {
                s = s.seed(seed);
            }
            ShapleyMethod::Sampled(s)
        }
        other => {
            return Err(Error::InvalidParameter {
                field: "options.method".into(),
                value: other.into(),
                reason: "expected \"exact\" or \"sampled\"".into(),
            })
        }
    };
    long_job(move |monitor| {
        let sampled = matches!(method, ShapleyMethod::Sampled(_));
        let s = m.shapley_with_progress(method, monitor)?;
        let mut rows = credit_rows(&s.credit, None);
        if sampled {
            for (i, r) in rows.iter_mut().enumerate() {
                r.conversionsStdError = Opt(s.conversions_std_error.get(i).copied());
                r.valueStdError = Opt(s.value_std_error.get(i).copied());
            }
        }
        Ok(rows)
    })
}

getter!(FittedMarkov, fitted_markov_channels, Vec<String>, |m| m
    .channels()
    .to_vec());
getter!(FittedMarkov, fitted_markov_order, usize, |m| m.order());
getter!(
    FittedMarkov,
    fitted_markov_horizon_steps,
    Nullable<usize>,
    |m| Nullable(m.horizon_steps())
);
getter!(FittedMarkov, fitted_markov_n_states, usize, |m| m
    .n_states());
getter!(
    FittedMarkov,
    fitted_markov_conversion_probability,
    f64,
    |m| m.conversion_probability()
);
getter!(FittedMarkov, fitted_markov_removal_effects, Vec<f64>, |m| m
    .removal_effects()
    .to_vec());
getter!(
    FittedMarkov,
    fitted_markov_removal_effects_value,
    Vec<f64>,
    |m| m.removal_effects_value().to_vec()
);

/// The document tag of a fitted Markov chain (Python's `Markov.to_json()` writes it too).
const MARKOV_TAG: &str = "channelwise.attribution.Markov";

/// The spec in Python's terms (`order`, `horizon`: `null` | steps | `"ca"`, `use_nulls`), read
/// off the core model's serde form.
fn python_spec(fitted: &Out) -> Out {
    let spec = out_field(fitted, "spec");
    let get = |k: &str| match spec.and_then(|s| out_field(s, k)) {
        Some(Out::Number(x)) => Out::Number(*x),
        Some(Out::Boolean(b)) => Out::Boolean(*b),
        _ => Out::Null,
    };
    let horizon = match spec.and_then(|s| out_field(s, "horizon")) {
        Some(Out::String(s)) if s == "ChannelAttributionDefault" => Out::String("ca".into()),
        Some(steps @ Out::Object(_)) => match out_field(steps, "Steps") {
            Some(Out::Number(n)) => Out::Number(*n),
            _ => Out::Null,
        },
        _ => Out::Null,
    };
    Out::Object(vec![
        ("order".into(), Some(get("order"))),
        ("horizon".into(), Some(horizon)),
        ("use_nulls".into(), Some(get("use_nulls"))),
    ])
}

/// `FittedMarkov.toJSON()`: the document Python's `Markov.to_json()` writes, as an object.
pub fn fitted_markov_to_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMarkov> = this(h, a)?;
    job(move || {
        let doc = to_document(MARKOV_TAG, Out::Null, &*m)?;
        let spec = out_field(&doc, "fitted").map_or(Out::Null, python_spec);
        Ok(match doc {
            Out::Object(mut fields) => {
                fields[1].1 = Some(spec);
                Out::Object(fields)
            }
            other => other,
        })
    })
}

/// `FittedMarkov.fromJSON(json)`: a chain written by `toJSON()` here or `to_json()` in Python
/// (the wrapper parses text; the core validates the chain on load).
pub fn fitted_markov_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: FittedMarkov = from_document(h, &arg(h, a, 0)?, MARKOV_TAG, "Markov")?;
    job(move || Ok(Handle(Arc::new(m))))
}
