//! `forecast.Ets`, `forecast.AutoEts` and `FittedEts`: exponential smoothing state-space models
//! (statsforecast's `ETS` / `AutoETS`), spec -> `fit(y)` -> fitted model.
//!
//! Specs are read (and checked) from a plain options object in the constructor; `fit` and
//! `fitAsync` take the series. A fitted model's `toJSON()` is the document Python's
//! `FittedEts.to_json()` writes: `{ model: "channelwise.forecast.FittedEts", fitted: <the core
//! model>, series: { values, kind, name, index } }`, with the series as Python writes it for a
//! plain list (JS has no pandas index), so each loads the other's (`tests/js/ets_json.mjs`
//! checks a Python-written document; the series' values are the core's `y`).

use std::borrow::Cow;
use std::sync::Arc;

use channelwise::forecast::ets::{
    AutoEts, ErrorType, Ets, FittedEts, InformationCriterion, SeasonType, TrendType,
};
use channelwise::{Error, Result};

use super::WASM32;
use crate::anomaly::{alert_rows, AlertOptions};
use crate::api::{arg, from_document, getter, job, long_job, this, to_json, Job};
use crate::decl::FromJs;
use crate::host::{Host, Kind};
use crate::out::{F64s, Handle, IntoOut, Nullable, Out};
use crate::read::{self, wrong};
use crate::{js_options, js_result};

/// Longest forecast horizon in the browser build: simulated intervals keep 5000 paths of `h`
/// values (two copies), and wasm32 memory ends at 4 GiB, where an allocation failure is a trap.
pub const MAX_HORIZON_WASM32: usize = 4096;

/// Most interval levels per call in the browser build (each holds two series of `h` values).
pub const MAX_LEVELS_WASM32: usize = 64;

/// The `model` tag of a stored ETS model (Python's `FittedEts.to_json()`).
pub const JSON_MODEL: &str = "channelwise.forecast.FittedEts";

/// One of a few letters (or words), each standing for a core value.
fn choose<H: Host, T: Copy>(h: H, v: &H::V, field: &str, choices: &[(&str, T)]) -> Result<T> {
    let names: Vec<String> = choices.iter().map(|(k, _)| format!("'{k}'")).collect();
    let expected = format!("one of {}", names.join(", "));
    if h.kind(v) != Kind::String {
        return Err(wrong(h, field, v, &expected));
    }
    let s = read::string(h, v, field)?;
    choices
        .iter()
        .find(|(k, _)| *k == s)
        .map(|(_, t)| *t)
        .ok_or_else(|| wrong(h, field, v, &expected))
}

macro_rules! letters {
    ($(#[doc = $doc:literal])* $name:ident($t:ty) { $($k:literal => $v:expr),* $(,)? }) => {
        $(#[doc = $doc])*
        pub struct $name(pub $t);

        impl FromJs for $name {
            fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
                choose(h, v, field, &[$(($k, $v)),*]).map($name)
            }
            fn ts() -> String {
                [$(concat!("'", $k, "'")),*].join(" | ")
            }
        }
    };
}

letters! {
    /// ETS error component: additive or multiplicative (needs positive data).
    ErrorLetter(ErrorType) { "A" => ErrorType::Additive, "M" => ErrorType::Multiplicative }
}
letters! {
    /// ETS trend component: none or additive (`damped: true` for the damped `Ad`).
    TrendLetter(bool) { "N" => false, "A" => true }
}
letters! {
    /// ETS seasonal component: none, additive or multiplicative (needs positive data).
    SeasonLetter(SeasonType) {
        "N" => SeasonType::None, "A" => SeasonType::Additive, "M" => SeasonType::Multiplicative,
    }
}
letters! {
    /// The information criterion `AutoEts` minimises.
    Criterion(InformationCriterion) {
        "aic" => InformationCriterion::Aic,
        "aicc" => InformationCriterion::Aicc,
        "bic" => InformationCriterion::Bic,
    }
}

/// Interval levels in percent: one number or a list.
pub type Levels = crate::decl::OneOrMany;

js_options! {
    /// One ETS model with fixed components. Every field is optional.
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `error` | `'A'` | error component | `'A'`, `'M'` |
    /// | `trend` | `'N'` | trend component | `'N'`, `'A'` |
    /// | `damped` | `false` | damp the trend by `phi` | needs `trend: 'A'` |
    /// | `season` | `'N'` | seasonal component | `'N'`, `'A'`, `'M'` |
    /// | `seasonLength` | `1` | observations per season | `>= 1`; `> 1` for a season |
    /// | `seed` | `0` | seed of simulated prediction intervals | whole number `>= 0` |
    pub struct EtsOptions {
        /// Error component.
        error: ErrorLetter,
        /// Trend component.
        trend: TrendLetter,
        /// Damp the trend (needs `trend: 'A'`).
        damped: bool,
        /// Seasonal component.
        season: SeasonLetter,
        /// Observations per season.
        seasonLength: usize,
        /// Seed of simulated prediction intervals.
        seed: u64,
    }
}

js_options! {
    /// Automatic ETS (R's `ets`, statsforecast's `AutoETS`). Every field is optional.
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `seasonLength` | `1` | observations per season | `>= 1` (1: non-seasonal) |
    /// | `model` | `'ZZZ'` | error, trend, season letters; `Z` = choose | error `A M Z`, trend `N A Z`, season `N A M Z` |
    /// | `damped` | `null` | `null` tries both, a boolean forces | `boolean \| null` |
    /// | `restrict` | `true` | exclude additive error with multiplicative season | `boolean` |
    /// | `ic` | `'aicc'` | criterion minimised | `'aic'`, `'aicc'`, `'bic'` |
    /// | `seed` | `0` | seed of simulated prediction intervals | whole number `>= 0` |
    pub struct AutoEtsOptions {
        /// Observations per season.
        seasonLength: usize,
        /// Error, trend and season letters; `Z` lets the criterion choose.
        model: String,
        /// `null` tries both, a boolean forces.
        damped: bool,
        /// Exclude additive error with multiplicative season.
        restrict: bool,
        /// Criterion minimised.
        ic: Criterion,
        /// Seed of simulated prediction intervals.
        seed: u64,
    }
}

js_options! {
    /// Options of `FittedEts.predict`.
    pub struct PredictOptions {
        /// Interval level(s) in percent, each strictly between 0 and 100 (default `[80, 95]`).
        level: Levels,
    }
}

js_result! {
    /// Smoothing parameters and initial states of a fitted ETS model (`null` for absent
    /// components).
    pub struct EtsParams {
        /// Level smoothing.
        alpha: f64,
        /// Trend smoothing.
        beta: Nullable<f64>,
        /// Seasonal smoothing.
        gamma: Nullable<f64>,
        /// Damping.
        phi: Nullable<f64>,
        /// Initial level.
        initialLevel: f64,
        /// Initial trend.
        initialTrend: Nullable<f64>,
        /// Initial seasonal states in time order (`initialSeasonal[k]` applies to `y[k]`).
        initialSeasonal: Nullable<Vec<f64>>,
    }
}

js_result! {
    /// A prediction interval at one level.
    pub struct EtsInterval {
        /// Level in percent.
        level: f64,
        /// Lower bound at each step.
        lower: F64s,
        /// Upper bound at each step.
        upper: F64s,
    }
}

js_result! {
    /// Point forecasts and prediction intervals.
    pub struct EtsPrediction {
        /// Point forecast at each step `1..=h`.
        mean: F64s,
        /// One interval per requested level, in the order given.
        intervals: Vec<EtsInterval>,
        /// Whether the intervals come from simulated paths (no analytic variance for the model).
        simulated: bool,
    }
}

fn ets_spec(o: EtsOptions) -> Result<Ets> {
    let error = o.error.map_or(ErrorType::Additive, |l| l.0);
    let trend = match (o.trend.is_some_and(|l| l.0), o.damped.unwrap_or(false)) {
        (true, true) => TrendType::AdditiveDamped,
        (true, false) => TrendType::Additive,
        (false, true) => {
            return Err(Error::InvalidParameter {
                field: "options.damped".into(),
                value: "true".into(),
                reason: "a damped trend needs trend 'A'".into(),
            })
        }
        (false, false) => TrendType::None,
    };
    let season = o.season.map_or(SeasonType::None, |l| l.0);
    let mut spec = Ets::new(error, trend, season);
    if let Some(m) = o.seasonLength {
        spec = spec.season_length(m);
    }
    if let Some(seed) = o.seed {
        spec = spec.seed(seed);
    }
    Ok(spec)
}

fn auto_spec(o: AutoEtsOptions) -> AutoEts {
    let mut spec = AutoEts::new(o.seasonLength.unwrap_or(1));
    if let Some(model) = &o.model {
        spec = spec.model(model);
    }
    spec = spec.damped(o.damped);
    if let Some(r) = o.restrict {
        spec = spec.restrict(r);
    }
    if let Some(ic) = o.ic {
        spec = spec.ic(ic.0);
    }
    if let Some(seed) = o.seed {
        spec = spec.seed(seed);
    }
    spec
}

/// `new forecast.Ets(options?)`.
pub fn ets_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec = ets_spec(EtsOptions::read(h, &arg(h, a, 0)?, "options")?)?;
    job(move || Ok(Handle(Arc::new(spec))))
}

/// `Ets.fit(y)` (and `fitAsync`).
pub fn ets_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec: Arc<Ets> = this(h, a)?;
    let y = read::numbers(h, &arg(h, a, 1)?, "y")?;
    job(move || Ok(Handle(Arc::new(spec.fit(&y)?))))
}

/// `new forecast.AutoEts(options?)`.
pub fn auto_ets_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec = auto_spec(AutoEtsOptions::read(h, &arg(h, a, 0)?, "options")?);
    job(move || Ok(Handle(Arc::new(spec))))
}

/// `AutoEts.fit(y)` (and `fitAsync`).
pub fn auto_ets_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec: Arc<AutoEts> = this(h, a)?;
    let y = read::numbers(h, &arg(h, a, 1)?, "y")?;
    job(move || Ok(Handle(Arc::new(spec.fit(&y)?))))
}

js_options! {
    /// Options of `AutoEts.fitMany` (its `...Async` twin also takes `onProgress` and `signal`).
    pub struct FitManyOptions {}
}

/// `AutoEts.fitMany(series, options?)` (and `fitManyAsync`): every series fitted on its own (in
/// parallel in Node), reporting one unit per series. Each item is the fitted model's handle or
/// `{ error: { code, message } }`; the wrapper throws the first error, naming its series, once
/// all are done (as Python's `fit_many`).
pub fn auto_ets_fit_many<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let spec: Arc<AutoEts> = this(h, a)?;
    FitManyOptions::read(h, &arg(h, a, 2)?, "options")?;
    let list = arg(h, a, 1)?;
    let n = read::array_len(
        h,
        &list,
        "series",
        "an array of series (number[][] or Float64Array[])",
    )?;
    let ys = (0..n)
        .map(|i| {
            read::numbers(
                h,
                &read::element(h, &list, i, "series")?,
                &format!("series[{i}]"),
            )
        })
        .collect::<Result<Vec<_>>>()?;
    long_job(move |monitor| {
        let fits = spec.fit_many_with_progress(&ys, monitor)?;
        Ok(fits
            .into_iter()
            .enumerate()
            .map(|(i, f)| match f {
                Ok(m) => Handle(Arc::new(m)).into_out(),
                Err(e) => Out::Object(vec![(
                    Cow::Borrowed("error"),
                    Some(Out::Object(vec![
                        (
                            Cow::Borrowed("code"),
                            Some(Out::String(e.kind().code().into())),
                        ),
                        (
                            Cow::Borrowed("message"),
                            Some(Out::String(format!("series[{i}]: {e}"))),
                        ),
                    ])),
                )]),
            })
            .collect::<Vec<_>>())
    })
}

/// `new FittedEts()`: not for direct use.
pub fn fitted_new<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    Err(Error::InvalidParameter {
        field: "FittedEts".into(),
        value: "new FittedEts()".into(),
        reason: "a fitted model is made by new forecast.Ets(options).fit(y), new forecast.AutoEts(options).fit(y) or FittedEts.fromJSON(json)".into(),
    })
}

/// `FittedEts.predict(h, options?)`.
pub fn fitted_predict<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedEts> = this(h, a)?;
    let steps = read::size(h, &arg(h, a, 1)?, "h")?;
    if WASM32 && steps > MAX_HORIZON_WASM32 {
        return Err(Error::OutOfRange {
            field: "h".into(),
            value: steps as f64,
            min: 0.0,
            max: MAX_HORIZON_WASM32 as f64,
        });
    }
    let o = PredictOptions::read(h, &arg(h, a, 2)?, "options")?;
    let levels = o.level.map_or_else(|| vec![80.0, 95.0], |l| l.0);
    if WASM32 && levels.len() > MAX_LEVELS_WASM32 {
        return Err(Error::OutOfRange {
            field: "options.level.length".into(),
            value: levels.len() as f64,
            min: 0.0,
            max: MAX_LEVELS_WASM32 as f64,
        });
    }
    job(move || {
        let f = m.forecast(steps, &levels)?;
        let intervals = f
            .levels
            .iter()
            .zip(f.lower)
            .zip(f.upper)
            .map(|((&level, lower), upper)| EtsInterval {
                level,
                lower: F64s(lower),
                upper: F64s(upper),
            })
            .collect();
        Ok(EtsPrediction {
            mean: F64s(f.mean),
            intervals,
            simulated: f.simulated,
        })
    })
}

/// `FittedEts.alerts(options?)`.
pub fn fitted_alerts<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedEts> = this(h, a)?;
    let o = AlertOptions::read(h, &arg(h, a, 1)?, "options")?;
    let level = o.level.unwrap_or(95.0);
    job(move || Ok(alert_rows(m.alerts(level)?)))
}

/// `FittedEts.summary()` / `toString()`: one line with the model, its parameters and criteria.
pub fn fitted_summary<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedEts> = this(h, a)?;
    job(move || Ok(m.to_string()))
}

/// `FittedEts.toJSON()`: the document Python's `FittedEts.to_json()` writes for a series given
/// as a plain list (JS has no pandas index), as an object.
pub fn fitted_to_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedEts> = this(h, a)?;
    job(move || {
        let fitted = to_json(&*m)?;
        // The series the model was fitted to is the core's `y`.
        let values = match &fitted {
            Out::Object(fields) => fields.iter().find_map(|(k, v)| match (k.as_ref(), v) {
                ("y", Some(Out::Array(ys))) => Some(
                    ys.iter()
                        .map(|y| match y {
                            Out::Number(x) => Out::Number(*x),
                            _ => Out::Null,
                        })
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            }),
            _ => None,
        }
        .ok_or_else(|| Error::Internal("a serialised FittedEts has no y".into()))?;
        let field = |k: &'static str, v: Out| (Cow::Borrowed(k), Some(v));
        Ok(Out::Object(vec![
            field("model", Out::String(JSON_MODEL.into())),
            field("fitted", fitted),
            field(
                "series",
                Out::Object(vec![
                    field("values", Out::Array(values)),
                    field("kind", Out::String("pandas".into())),
                    field("name", Out::Null),
                    field("index", Out::Null),
                ]),
            ),
        ]))
    })
}

fn not_ets(reason: impl Into<String>) -> Error {
    Error::InvalidParameter {
        field: "json".into(),
        value: "the document".into(),
        reason: reason.into(),
    }
}

/// `FittedEts.fromJSON(json)`: a model written by `toJSON()` here or `to_json()` in Python (the
/// wrapper parses text first). The stored series is checked against the model as Python checks
/// it.
pub fn fitted_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let doc = arg(h, a, 0)?;
    let model: FittedEts = from_document(h, &doc, JSON_MODEL, "ETS")?;
    if let Some(series) = read::get(h, &doc, "series", "json.series")? {
        read::object(h, &series, "json.series")?;
        let values = read::get(h, &series, "values", "json.series.values")?
            .ok_or_else(|| not_ets("the stored series has no values"))?;
        let n = read::numbers(h, &values, "json.series.values")?.len();
        if n != model.fitted().len() {
            return Err(not_ets(format!(
                "the stored series has {n} values, the model {}",
                model.fitted().len()
            )));
        }
    }
    job(move || Ok(Handle(Arc::new(model))))
}

getter!(FittedEts, fitted_model, String, |m| m.model());
getter!(FittedEts, fitted_aic, f64, |m| m.aic());
getter!(FittedEts, fitted_aicc, f64, |m| m.aicc());
getter!(FittedEts, fitted_bic, f64, |m| m.bic());
getter!(FittedEts, fitted_log_lik, f64, |m| m.log_likelihood());
getter!(FittedEts, fitted_sigma2, f64, |m| m.sigma2());
getter!(FittedEts, fitted_n_params, usize, |m| m.n_params());
getter!(FittedEts, fitted_season_length, usize, |m| m
    .season_length());
getter!(FittedEts, fitted_seasonal_states_fixed, bool, |m| m
    .seasonal_states_fixed());
getter!(FittedEts, fitted_fitted, F64s, |m| F64s(
    m.fitted().to_vec()
));
getter!(FittedEts, fitted_residuals, F64s, |m| F64s(m.residuals()));
getter!(FittedEts, fitted_innovations, F64s, |m| F64s(
    m.innovations().to_vec()
));
getter!(FittedEts, fitted_params, EtsParams, |m| {
    let p = m.params();
    EtsParams {
        alpha: p.alpha,
        beta: Nullable(p.beta),
        gamma: Nullable(p.gamma),
        phi: Nullable(p.phi),
        initialLevel: p.initial_level,
        initialTrend: Nullable(p.initial_trend),
        initialSeasonal: Nullable(
            (!p.initial_seasonal.is_empty()).then(|| p.initial_seasonal.clone()),
        ),
    }
});
