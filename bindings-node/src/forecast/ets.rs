//! `forecast.Ets`, `forecast.AutoEts` and `forecast.FittedEts`: exponential smoothing state
//! space models (statsforecast's `ETS` / `AutoETS`), spec -> `fit(y)` -> fitted model.
//!
//! Specs are read from a plain options object in the constructor; `fit` and `fitAsync` take the
//! series (`number[] | Float64Array`). Fitted series come back as `Float64Array`.

use channelwise::forecast::ets::{
    AutoEts, ErrorType, Ets, FittedEts, InformationCriterion, SeasonType, TrendType,
};
use channelwise::Error;
use napi::bindgen_prelude::{AsyncTask, Either, Float64Array, Null, Object, Unknown};
use napi_derive::napi;

use crate::anomaly::residual::{alert_rows, ResidualAlertRow};
use crate::convert::{self, opt};
use crate::error::{guard, run, Result};
use crate::task::Compute;

/// A number, or `null` when the model has no such component.
type Maybe = Either<f64, Null>;

fn maybe(x: Option<f64>) -> Maybe {
    x.map_or(Either::B(Null), Either::A)
}

/// Smoothing parameters and initial states of a fitted model (`null` for absent components).
#[napi(object, js_name = "EtsParams")]
pub struct JsEtsParams {
    /// Level smoothing.
    pub alpha: f64,
    /// Trend smoothing (`null` without trend).
    pub beta: Maybe,
    /// Seasonal smoothing (`null` without season).
    pub gamma: Maybe,
    /// Damping (`null` unless damped).
    pub phi: Maybe,
    /// Initial level.
    pub initial_level: f64,
    /// Initial trend (`null` without trend).
    pub initial_trend: Maybe,
    /// Initial seasonal states in time order (`initialSeasonal[k]` applies to `y[k]`), `null`
    /// without season.
    pub initial_seasonal: Either<Vec<f64>, Null>,
}

/// A prediction interval at one level.
#[napi(object)]
pub struct EtsInterval {
    /// Level in percent.
    pub level: f64,
    /// Lower bounds, one per step.
    pub lower: Float64Array,
    /// Upper bounds, one per step.
    pub upper: Float64Array,
}

/// Point forecasts and prediction intervals.
#[napi(object)]
pub struct EtsPrediction {
    /// Point forecasts, one per step.
    pub mean: Float64Array,
    /// One interval per requested level, in the order given.
    pub intervals: Vec<EtsInterval>,
    /// Whether the intervals come from simulated paths rather than an analytic variance.
    pub simulated: bool,
}

const ETS_OPTIONS: &[&str] = &["error", "trend", "damped", "season", "seasonLength", "seed"];
const AUTO_OPTIONS: &[&str] = &["seasonLength", "model", "damped", "restrict", "ic", "seed"];

fn letter<T: Copy>(
    opts: Option<&Object<'_>>,
    name: &str,
    default: T,
    choices: &[(&str, T)],
) -> channelwise::Result<T> {
    let Some(s) = opt(opts, name, convert::string)? else {
        return Ok(default);
    };
    choices
        .iter()
        .find(|(k, _)| *k == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<String> = choices.iter().map(|(k, _)| format!("'{k}'")).collect();
            Error::InvalidParameter {
                field: format!("options.{name}"),
                value: s.clone(),
                reason: format!("expected one of {}", names.join(", ")),
            }
        })
}

fn ets_spec(options: Option<Unknown<'_>>) -> channelwise::Result<Ets> {
    let opts = convert::options(options, "options", ETS_OPTIONS)?;
    let opts = opts.as_ref();
    let error = letter(
        opts,
        "error",
        ErrorType::Additive,
        &[("A", ErrorType::Additive), ("M", ErrorType::Multiplicative)],
    )?;
    let trend = letter(
        opts,
        "trend",
        TrendType::None,
        &[("N", TrendType::None), ("A", TrendType::Additive)],
    )?;
    let season = letter(
        opts,
        "season",
        SeasonType::None,
        &[
            ("N", SeasonType::None),
            ("A", SeasonType::Additive),
            ("M", SeasonType::Multiplicative),
        ],
    )?;
    let damped = opt(opts, "damped", convert::boolean)?.unwrap_or(false);
    let trend = match (trend, damped) {
        (TrendType::Additive, true) => TrendType::AdditiveDamped,
        (TrendType::None, true) => {
            return Err(Error::InvalidParameter {
                field: "options.damped".into(),
                value: "true".into(),
                reason: "a damped trend needs trend 'A'".into(),
            })
        }
        (t, _) => t,
    };
    let mut spec = Ets::new(error, trend, season);
    if let Some(m) = opt(opts, "seasonLength", convert::size)? {
        spec = spec.season_length(m);
    }
    if let Some(seed) = opt(opts, "seed", convert::unsigned)? {
        spec = spec.seed(seed);
    }
    Ok(spec)
}

fn auto_spec(options: Option<Unknown<'_>>) -> channelwise::Result<AutoEts> {
    let opts = convert::options(options, "options", AUTO_OPTIONS)?;
    let opts = opts.as_ref();
    let m = opt(opts, "seasonLength", convert::size)?.unwrap_or(1);
    let mut spec = AutoEts::new(m);
    if let Some(model) = opt(opts, "model", convert::string)? {
        spec = spec.model(&model);
    }
    spec = spec.damped(opt(opts, "damped", convert::boolean)?);
    if let Some(r) = opt(opts, "restrict", convert::boolean)? {
        spec = spec.restrict(r);
    }
    let ic = letter(
        opts,
        "ic",
        InformationCriterion::Aicc,
        &[
            ("aic", InformationCriterion::Aic),
            ("aicc", InformationCriterion::Aicc),
            ("bic", InformationCriterion::Bic),
        ],
    )?;
    spec = spec.ic(ic);
    if let Some(seed) = opt(opts, "seed", convert::unsigned)? {
        spec = spec.seed(seed);
    }
    Ok(spec)
}

/// `level`: a number or a list of numbers (percent).
fn levels(opts: Option<&Object<'_>>, default: &[f64]) -> channelwise::Result<Vec<f64>> {
    let Some(v) = convert::get(opts, "level", "options.level")? else {
        return Ok(default.to_vec());
    };
    match convert::number(v, "options.level") {
        Ok(x) => Ok(vec![x]),
        Err(_) => convert::numbers(v, "options.level"),
    }
}

/// One ETS model with fixed components: `new Ets({ error, trend, damped, season, seasonLength,
/// seed }).fit(y)`.
#[napi(js_name = "Ets", namespace = "forecast")]
pub struct JsEts {
    spec: Ets,
}

#[napi(namespace = "forecast")]
impl JsEts {
    /// A spec; defaults `error: 'A'`, `trend: 'N'`, `damped: false`, `season: 'N'`,
    /// `seasonLength: 1`, `seed: 0`.
    #[napi(constructor)]
    pub fn new(options: Option<Unknown<'_>>) -> Result<Self> {
        guard(|| {
            Ok(JsEts {
                spec: ets_spec(options)?,
            })
        })
    }

    /// Fits the model to `y` by maximum likelihood.
    #[napi]
    pub fn fit(&self, y: Unknown<'_>) -> Result<JsFittedEts> {
        guard(|| {
            let y = convert::numbers(y, "y")?;
            Ok(JsFittedEts {
                inner: self.spec.fit(&y)?,
            })
        })
    }

    /// [`fit`](Self::fit) on a pool thread.
    #[napi(js_name = "fitAsync")]
    pub fn fit_async(&self, y: Unknown<'_>) -> AsyncTask<Compute<JsFittedEts>> {
        let spec = self.spec.clone();
        AsyncTask::new(Compute::new(run(|| {
            let y = convert::numbers(y, "y")?;
            Ok(move || {
                Ok(JsFittedEts {
                    inner: spec.fit(&y)?,
                })
            })
        })))
    }
}

/// Automatic ETS: `new AutoEts({ seasonLength, model, damped, restrict, ic, seed }).fit(y)`
/// fits every admissible candidate and keeps the best by the information criterion.
#[napi(js_name = "AutoEts", namespace = "forecast")]
pub struct JsAutoEts {
    spec: AutoEts,
}

#[napi(namespace = "forecast")]
impl JsAutoEts {
    /// A spec; defaults `seasonLength: 1`, `model: 'ZZZ'`, `damped: null` (try both),
    /// `restrict: true`, `ic: 'aicc'`, `seed: 0`.
    #[napi(constructor)]
    pub fn new(options: Option<Unknown<'_>>) -> Result<Self> {
        guard(|| {
            Ok(JsAutoEts {
                spec: auto_spec(options)?,
            })
        })
    }

    /// Fits every candidate to `y` and returns the best.
    #[napi]
    pub fn fit(&self, y: Unknown<'_>) -> Result<JsFittedEts> {
        guard(|| {
            let y = convert::numbers(y, "y")?;
            Ok(JsFittedEts {
                inner: self.spec.fit(&y)?,
            })
        })
    }

    /// [`fit`](Self::fit) on a pool thread.
    #[napi(js_name = "fitAsync")]
    pub fn fit_async(&self, y: Unknown<'_>) -> AsyncTask<Compute<JsFittedEts>> {
        let spec = self.spec.clone();
        AsyncTask::new(Compute::new(run(|| {
            let y = convert::numbers(y, "y")?;
            Ok(move || {
                Ok(JsFittedEts {
                    inner: spec.fit(&y)?,
                })
            })
        })))
    }
}

/// A fitted ETS model (made by `Ets.fit` / `AutoEts.fit`).
#[napi(js_name = "FittedEts", namespace = "forecast")]
pub struct JsFittedEts {
    inner: FittedEts,
}

#[napi(namespace = "forecast")]
impl JsFittedEts {
    /// Not for direct use: a fitted model comes from `Ets.fit` or `AutoEts.fit`.
    #[napi(constructor)]
    pub fn new() -> Result<Self> {
        guard(|| {
            Err(Error::InvalidParameter {
                field: "FittedEts".into(),
                value: "new FittedEts()".into(),
                reason: "a fitted model is made by new Ets(options).fit(y) or new AutoEts(options).fit(y)"
                    .into(),
            })
        })
    }

    /// The model's name, e.g. `"ETS(M,Ad,M)"`.
    #[napi(getter)]
    pub fn model(&self) -> Result<String> {
        guard(|| Ok(self.inner.model()))
    }

    /// Akaike information criterion.
    #[napi(getter)]
    pub fn aic(&self) -> Result<f64> {
        guard(|| Ok(self.inner.aic()))
    }

    /// Small-sample corrected AIC.
    #[napi(getter)]
    pub fn aicc(&self) -> Result<f64> {
        guard(|| Ok(self.inner.aicc()))
    }

    /// Bayesian information criterion.
    #[napi(getter)]
    pub fn bic(&self) -> Result<f64> {
        guard(|| Ok(self.inner.bic()))
    }

    /// Log-likelihood (R / statsforecast convention).
    #[napi(getter, js_name = "logLik")]
    pub fn log_lik(&self) -> Result<f64> {
        guard(|| Ok(self.inner.log_likelihood()))
    }

    /// Innovation variance.
    #[napi(getter)]
    pub fn sigma2(&self) -> Result<f64> {
        guard(|| Ok(self.inner.sigma2()))
    }

    /// Parameters counted in the criteria.
    #[napi(getter, js_name = "nParams")]
    pub fn n_params(&self) -> Result<f64> {
        guard(|| Ok(self.inner.n_params() as f64))
    }

    /// Smoothing parameters and initial states.
    #[napi(getter)]
    pub fn params(&self) -> Result<JsEtsParams> {
        guard(|| {
            let p = self.inner.params();
            Ok(JsEtsParams {
                alpha: p.alpha,
                beta: maybe(p.beta),
                gamma: maybe(p.gamma),
                phi: maybe(p.phi),
                initial_level: p.initial_level,
                initial_trend: maybe(p.initial_trend),
                initial_seasonal: if p.initial_seasonal.is_empty() {
                    Either::B(Null)
                } else {
                    Either::A(p.initial_seasonal.clone())
                },
            })
        })
    }

    /// One-step-ahead in-sample forecasts.
    #[napi(getter)]
    pub fn fitted(&self) -> Result<Float64Array> {
        guard(|| Ok(Float64Array::new(self.inner.fitted().to_vec())))
    }

    /// Response residuals `y - fitted`.
    #[napi(getter)]
    pub fn residuals(&self) -> Result<Float64Array> {
        guard(|| Ok(Float64Array::new(self.inner.residuals())))
    }

    /// Innovations: residuals for additive errors, relative residuals for multiplicative ones.
    #[napi(getter)]
    pub fn innovations(&self) -> Result<Float64Array> {
        guard(|| Ok(Float64Array::new(self.inner.innovations().to_vec())))
    }

    /// Point forecasts for `h` steps and intervals at `options.level` (percent, a number or a
    /// list; default `[80, 95]`).
    #[napi]
    pub fn predict(&self, h: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<EtsPrediction> {
        guard(|| {
            let opts = convert::options(options, "options", &["level"])?;
            let h = convert::size(h, "h")?;
            let levels = levels(opts.as_ref(), &[80.0, 95.0])?;
            let f = self.inner.forecast(h, &levels)?;
            let intervals = f
                .levels
                .iter()
                .zip(f.lower)
                .zip(f.upper)
                .map(|((&level, lower), upper)| EtsInterval {
                    level,
                    lower: Float64Array::new(lower),
                    upper: Float64Array::new(upper),
                })
                .collect();
            Ok(EtsPrediction {
                mean: Float64Array::new(f.mean),
                intervals,
                simulated: f.simulated,
            })
        })
    }

    /// In-sample points outside the one-step-ahead interval at `options.level` (percent,
    /// default 95).
    #[napi]
    pub fn alerts(&self, options: Option<Unknown<'_>>) -> Result<Vec<ResidualAlertRow>> {
        guard(|| {
            let opts = convert::options(options, "options", &["level"])?;
            let level = opt(opts.as_ref(), "level", convert::number)?.unwrap_or(95.0);
            Ok(alert_rows(self.inner.alerts(level)?))
        })
    }
}
