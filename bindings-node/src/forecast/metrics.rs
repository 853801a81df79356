//! `forecast.metrics.*` and `forecast.RollingOrigin`: accuracy metrics and rolling-origin
//! evaluation. Series are `number[] | Float64Array`; the rolling-origin model is a JS callback.
//!
//! The callback runs synchronously on the main thread, inside the export's call (the only
//! thread that may touch JS values), so no thread-safe function is needed. If it throws, the
//! evaluation stops and the callback's own exception propagates unchanged: napi-rs leaves the
//! exception pending and rethrows it instead of the error this module returns.

use channelwise::forecast::metrics::{self, RollingOrigin};
use channelwise::Error;
use napi::bindgen_prelude::{Float64Array, FnArgs, FromNapiValue, Function, Null, Unknown};
use napi_derive::napi;

use crate::convert::{self, get};
use crate::error::{guard, Result};

fn pair(actual: Unknown<'_>, predicted: Unknown<'_>) -> channelwise::Result<(Vec<f64>, Vec<f64>)> {
    Ok((
        convert::numbers(actual, "actual")?,
        convert::numbers(predicted, "predicted")?,
    ))
}

type Interval = (Vec<f64>, Vec<f64>, Vec<f64>);

fn interval(
    actual: Unknown<'_>,
    lower: Unknown<'_>,
    upper: Unknown<'_>,
) -> channelwise::Result<Interval> {
    Ok((
        convert::numbers(actual, "actual")?,
        convert::numbers(lower, "lower")?,
        convert::numbers(upper, "upper")?,
    ))
}

/// Mean absolute error.
#[napi(namespace = "forecast")]
pub fn mae(actual: Unknown<'_>, predicted: Unknown<'_>) -> Result<f64> {
    guard(|| {
        let (a, p) = pair(actual, predicted)?;
        metrics::mae(&a, &p)
    })
}

/// Root mean squared error.
#[napi(namespace = "forecast")]
pub fn rmse(actual: Unknown<'_>, predicted: Unknown<'_>) -> Result<f64> {
    guard(|| {
        let (a, p) = pair(actual, predicted)?;
        metrics::rmse(&a, &p)
    })
}

/// Mean absolute percentage error (a fraction).
#[napi(namespace = "forecast")]
pub fn mape(actual: Unknown<'_>, predicted: Unknown<'_>) -> Result<f64> {
    guard(|| {
        let (a, p) = pair(actual, predicted)?;
        metrics::mape(&a, &p)
    })
}

/// Symmetric MAPE (a fraction in [0, 2]).
#[napi(namespace = "forecast")]
pub fn smape(actual: Unknown<'_>, predicted: Unknown<'_>) -> Result<f64> {
    guard(|| {
        let (a, p) = pair(actual, predicted)?;
        metrics::smape(&a, &p)
    })
}

/// Mean absolute scaled error against the in-sample seasonal naive forecast (`options.m`,
/// default 1).
#[napi(namespace = "forecast")]
pub fn mase(
    actual: Unknown<'_>,
    predicted: Unknown<'_>,
    insample: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<f64> {
    guard(|| {
        let opts = convert::options(options, "options", &["m"])?;
        let m = get(opts.as_ref(), "m", "options.m")?
            .map_or(Ok(1), |v| convert::size(v, "options.m"))?;
        let (a, p) = pair(actual, predicted)?;
        let insample = convert::numbers(insample, "insample")?;
        metrics::mase(&a, &p, &insample, m)
    })
}

/// Fraction of actuals inside `[lower, upper]`.
#[napi(namespace = "forecast")]
pub fn coverage(actual: Unknown<'_>, lower: Unknown<'_>, upper: Unknown<'_>) -> Result<f64> {
    guard(|| {
        let (a, l, u) = interval(actual, lower, upper)?;
        metrics::coverage(&a, &l, &u)
    })
}

/// Mean Winkler score of `1 - alpha` prediction intervals.
#[napi(namespace = "forecast")]
pub fn winkler(
    actual: Unknown<'_>,
    lower: Unknown<'_>,
    upper: Unknown<'_>,
    alpha: Unknown<'_>,
) -> Result<f64> {
    guard(|| {
        let (a, l, u) = interval(actual, lower, upper)?;
        let alpha = convert::number(alpha, "alpha")?;
        metrics::winkler(&a, &l, &u, alpha)
    })
}

/// Errors of a rolling-origin evaluation, by fold and by horizon.
#[napi(object)]
pub struct RollingOriginErrors {
    /// Forecast origin of each fold (the length of its training window).
    pub origins: Vec<f64>,
    /// `errors[fold][h]` is `actual - forecast` at `h + 1` steps ahead.
    pub errors: Vec<Vec<f64>>,
    /// Mean absolute error at each horizon `1..=horizon`, over folds.
    pub mae: Vec<f64>,
    /// Root mean squared error at each horizon, over folds.
    pub rmse: Vec<f64>,
}

/// Rolling-origin cross-validation: `new RollingOrigin(initial, horizon, step = 1)`.
#[napi(js_name = "RollingOrigin", namespace = "forecast")]
pub struct JsRollingOrigin {
    cv: RollingOrigin,
    initial: usize,
    horizon: usize,
    step: usize,
}

#[napi(namespace = "forecast")]
impl JsRollingOrigin {
    /// Fold `i` trains on `y[0 .. initial + i * step]` and tests on the next `horizon` points.
    #[napi(constructor)]
    pub fn new(
        initial: Unknown<'_>,
        horizon: Unknown<'_>,
        step: Option<Unknown<'_>>,
    ) -> Result<Self> {
        guard(|| {
            let initial = convert::size(initial, "initial")?;
            let horizon = convert::size(horizon, "horizon")?;
            let step = match step.filter(|v| {
                !matches!(
                    v.get_type(),
                    Ok(napi::ValueType::Undefined | napi::ValueType::Null)
                )
            }) {
                Some(v) => convert::size(v, "step")?,
                None => 1,
            };
            Ok(JsRollingOrigin {
                cv: RollingOrigin::new(initial, horizon, step)?,
                initial,
                horizon,
                step,
            })
        })
    }

    /// Length of the first training window.
    #[napi(getter)]
    pub fn initial(&self) -> Result<f64> {
        guard(|| Ok(self.initial as f64))
    }

    /// Forecast steps evaluated per fold.
    #[napi(getter)]
    pub fn horizon(&self) -> Result<f64> {
        guard(|| Ok(self.horizon as f64))
    }

    /// How far the origin moves between folds.
    #[napi(getter)]
    pub fn step(&self) -> Result<f64> {
        guard(|| Ok(self.step as f64))
    }

    /// Number of folds for a series of length `n` (0 if `n < initial + horizon`).
    #[napi(js_name = "nFolds")]
    pub fn n_folds(&self, n: Unknown<'_>) -> Result<f64> {
        guard(|| Ok(self.cv.n_folds(convert::size(n, "n")?) as f64))
    }

    /// Calls `fitPredict(train, horizon)` on every fold of `y` (`train` a Float64Array copy of
    /// the training window) and collects the forecast errors. `fitPredict` returns `horizon`
    /// forecasts as `number[] | Float64Array`.
    #[napi(
        ts_args_type = "y: number[] | Float64Array, fitPredict: (train: Float64Array, horizon: number) => number[] | Float64Array"
    )]
    pub fn evaluate(
        &self,
        y: Unknown<'_>,
        fit_predict: Unknown<'_>,
    ) -> Result<RollingOriginErrors> {
        guard(|| {
            let y = convert::numbers(y, "y")?;
            if fit_predict.get_type().ok() != Some(napi::ValueType::Function) {
                return Err(convert::wrong(
                    "fitPredict",
                    &fit_predict,
                    "a function (train, horizon) => forecasts",
                ));
            }
            let f: Function<'_, FnArgs<(Float64Array, u32)>, Unknown<'_>> =
                Function::from_unknown(fit_predict).map_err(|e| Error::InvalidParameter {
                    field: "fitPredict".into(),
                    value: "a function".into(),
                    reason: e.reason.clone(),
                })?;
            let r = self.cv.evaluate(&y, |train, h| {
                let h32 = u32::try_from(h).map_err(|_| Error::OutOfRange {
                    field: "horizon".into(),
                    value: h as f64,
                    min: 1.0,
                    max: f64::from(u32::MAX),
                })?;
                let out = f
                    .apply(Null, (Float64Array::new(train.to_vec()), h32).into())
                    .map_err(|e| Error::InvalidParameter {
                        field: "fitPredict".into(),
                        value: "a function".into(),
                        reason: format!("threw: {}", e.reason),
                    })?;
                convert::numbers(out, "forecast")
            })?;
            Ok(RollingOriginErrors {
                origins: r.origins.iter().map(|&o| o as f64).collect(),
                errors: r.errors,
                mae: r.mae,
                rmse: r.rmse,
            })
        })
    }
}
