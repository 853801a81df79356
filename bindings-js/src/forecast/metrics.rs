//! `forecast.metrics.*` and `forecast.RollingOrigin`: accuracy metrics and rolling-origin
//! evaluation. Series are `number[] | Float64Array`; the rolling-origin model is a JS callback.
//!
//! `RollingOrigin.evaluate` calls the user's `fitPredict(train, horizon)` synchronously, on the
//! JS thread and inside the export's call ([`Host::call_function`]), so it computes before its
//! [`Job`] is returned. If the callback throws, the evaluation stops and the host rethrows what
//! it threw, as is.

use std::sync::Arc;

use channelwise::forecast::metrics::{self, RollingOrigin as CoreRollingOrigin};
use channelwise::{Error, Result};

use crate::api::{arg, job, this, Job};
use crate::host::{Host, Kind};
use crate::out::Handle;
use crate::read::{self, unwritable, wrong};
use crate::{js_options, js_result};

js_options! {
    /// Options of `forecast.metrics.mase`.
    pub struct MaseOptions {
        /// Seasonal period of the naive forecast that scales the errors (default 1).
        m: usize,
    }
}

js_result! {
    /// Errors of a rolling-origin evaluation, by fold and by horizon.
    pub struct RollingOriginErrors {
        /// Forecast origin of each fold (the length of its training window).
        origins: Vec<usize>,
        /// `errors[fold][h]` is `actual - forecast` at `h + 1` steps ahead.
        errors: Vec<Vec<f64>>,
        /// Mean absolute error at each horizon `1..=horizon`, over folds.
        mae: Vec<f64>,
        /// Root mean squared error at each horizon, over folds.
        rmse: Vec<f64>,
    }
}

/// The TypeScript type of a rolling-origin model.
pub const FIT_PREDICT_TS: &str = "\
/** A forecasting model for rolling-origin evaluation: `horizon` forecasts from a training window. */
export type FitPredict = (train: Float64Array, horizon: number) => Numbers;
";

fn series<H: Host>(h: H, a: &[H::V], i: usize, field: &str) -> Result<Vec<f64>> {
    read::numbers(h, &arg(h, a, i)?, field)
}

macro_rules! pair_metric {
    ($name:ident, $core:path, $js:literal) => {
        #[doc = concat!("`forecast.metrics.", $js, "(actual, predicted)`.")]
        pub fn $name<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
            let actual = series(h, a, 0, "actual")?;
            let predicted = series(h, a, 1, "predicted")?;
            job(move || $core(&actual, &predicted))
        }
    };
}

pair_metric!(mae, metrics::mae, "mae");
pair_metric!(rmse, metrics::rmse, "rmse");
pair_metric!(mape, metrics::mape, "mape");
pair_metric!(smape, metrics::smape, "smape");

/// `forecast.metrics.mase(actual, predicted, insample, options?)`.
pub fn mase<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = MaseOptions::read(h, &arg(h, a, 3)?, "options")?;
    // The core needs m + 1 in-sample values; on wasm32 m + 1 would wrap at usize::MAX. No column
    // holds that many values, so usize::MAX - 1 gives the same not_enough_data.
    let m = o.m.unwrap_or(1).min(usize::MAX - 1);
    let actual = series(h, a, 0, "actual")?;
    let predicted = series(h, a, 1, "predicted")?;
    let insample = series(h, a, 2, "insample")?;
    job(move || metrics::mase(&actual, &predicted, &insample, m))
}

/// `forecast.metrics.coverage(actual, lower, upper)`.
pub fn coverage<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let actual = series(h, a, 0, "actual")?;
    let lower = series(h, a, 1, "lower")?;
    let upper = series(h, a, 2, "upper")?;
    job(move || metrics::coverage(&actual, &lower, &upper))
}

/// `forecast.metrics.winkler(actual, lower, upper, alpha)`.
pub fn winkler<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let actual = series(h, a, 0, "actual")?;
    let lower = series(h, a, 1, "lower")?;
    let upper = series(h, a, 2, "upper")?;
    let alpha = read::number(h, &arg(h, a, 3)?, "alpha")?;
    job(move || metrics::winkler(&actual, &lower, &upper, alpha))
}

/// A rolling-origin scheme with the sizes it was made with (the core keeps them private).
pub struct RollingOrigin {
    cv: CoreRollingOrigin,
    initial: usize,
    horizon: usize,
    step: usize,
}

/// `new forecast.RollingOrigin(initial, horizon, step = 1)`.
pub fn rolling_origin_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let initial = read::size(h, &arg(h, a, 0)?, "initial")?;
    let horizon = read::size(h, &arg(h, a, 1)?, "horizon")?;
    let step = match read::given(h, arg(h, a, 2)?) {
        Some(v) => read::size(h, &v, "step")?,
        None => 1,
    };
    // The core adds initial + horizon; with a 32-bit usize (wasm32) that sum could wrap.
    if initial.checked_add(horizon).is_none() {
        return Err(Error::OutOfRange {
            field: "horizon".into(),
            value: horizon as f64,
            min: 1.0,
            max: (usize::MAX - initial) as f64,
        });
    }
    let cv = CoreRollingOrigin::new(initial, horizon, step)?;
    job(move || {
        Ok(Handle(Arc::new(RollingOrigin {
            cv,
            initial,
            horizon,
            step,
        })))
    })
}

/// `RollingOrigin.initial`.
pub fn rolling_origin_initial<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let r: Arc<RollingOrigin> = this(h, a)?;
    job(move || Ok(r.initial))
}

/// `RollingOrigin.horizon`.
pub fn rolling_origin_horizon<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let r: Arc<RollingOrigin> = this(h, a)?;
    job(move || Ok(r.horizon))
}

/// `RollingOrigin.step`.
pub fn rolling_origin_step<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let r: Arc<RollingOrigin> = this(h, a)?;
    job(move || Ok(r.step))
}

/// `RollingOrigin.nFolds(n)`.
pub fn rolling_origin_n_folds<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let r: Arc<RollingOrigin> = this(h, a)?;
    let n = read::size(h, &arg(h, a, 1)?, "n")?;
    job(move || Ok(r.cv.n_folds(n)))
}

/// `RollingOrigin.evaluate(y, fitPredict)`: runs here, on the JS thread (it calls JS).
pub fn rolling_origin_evaluate<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let r: Arc<RollingOrigin> = this(h, a)?;
    let y = series(h, a, 1, "y")?;
    let f = arg(h, a, 2)?;
    if h.kind(&f) != Kind::Function {
        return Err(wrong(
            h,
            "fitPredict",
            &f,
            "a function (train, horizon) => forecasts",
        ));
    }
    let e = r.cv.evaluate(&y, |train, horizon| {
        let args = [
            h.make_f64_array(train).map_err(unwritable)?,
            h.make_number(horizon as f64).map_err(unwritable)?,
        ];
        // On a throw the host keeps what was thrown and rethrows it at the boundary.
        let out = h
            .call_function(&f, &args)
            .map_err(|e| Error::InvalidParameter {
                field: "fitPredict".into(),
                value: "a function".into(),
                reason: e,
            })?;
        read::numbers(h, &out, "forecast")
    })?;
    job(move || {
        Ok(RollingOriginErrors {
            origins: e.origins,
            errors: e.errors,
            mae: e.mae,
            rmse: e.rmse,
        })
    })
}
