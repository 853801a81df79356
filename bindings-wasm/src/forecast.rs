//! `forecast.metrics.*` and `forecast.RollingOrigin`: accuracy metrics and rolling-origin
//! evaluation, with the Node binding's names and shapes. Series are `number[] | Float64Array`.
//!
//! `RollingOrigin` is a small JS class in `js/index.js` that keeps `(initial, horizon, step)`,
//! validated here by `forecastRollingOrigin`; `evaluate` calls the user's `fitPredict(train,
//! horizon)` synchronously through `Function::call2` (js-sys declares it `catch`, so a throw
//! comes back as an `Err`, never unwinding through wasm frames). The callback's own exception
//! is then rethrown unchanged, as in the Node binding.

use channelwise::forecast::metrics::{self, RollingOrigin};
use channelwise::Error;
use js_sys::{Float64Array, Function, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::convert::{self, Opts};
use crate::error::{guard, to_js, Result};
use crate::values::{array, numbers, set, JsResult};

fn pair(actual: &JsValue, predicted: &JsValue) -> Result<(Vec<f64>, Vec<f64>)> {
    Ok((
        convert::column(actual, "actual")?,
        convert::column(predicted, "predicted")?,
    ))
}

type Interval = (Vec<f64>, Vec<f64>, Vec<f64>);

fn interval(actual: &JsValue, lower: &JsValue, upper: &JsValue) -> Result<Interval> {
    Ok((
        convert::column(actual, "actual")?,
        convert::column(lower, "lower")?,
        convert::column(upper, "upper")?,
    ))
}

type NumResult = std::result::Result<f64, JsValue>;

/// Mean absolute error.
#[wasm_bindgen(js_name = forecastMae)]
pub fn forecast_mae(actual: JsValue, predicted: JsValue) -> NumResult {
    guard(|| {
        let (a, p) = pair(&actual, &predicted)?;
        metrics::mae(&a, &p)
    })
}

/// Root mean squared error.
#[wasm_bindgen(js_name = forecastRmse)]
pub fn forecast_rmse(actual: JsValue, predicted: JsValue) -> NumResult {
    guard(|| {
        let (a, p) = pair(&actual, &predicted)?;
        metrics::rmse(&a, &p)
    })
}

/// Mean absolute percentage error (a fraction).
#[wasm_bindgen(js_name = forecastMape)]
pub fn forecast_mape(actual: JsValue, predicted: JsValue) -> NumResult {
    guard(|| {
        let (a, p) = pair(&actual, &predicted)?;
        metrics::mape(&a, &p)
    })
}

/// Symmetric MAPE (a fraction in [0, 2]).
#[wasm_bindgen(js_name = forecastSmape)]
pub fn forecast_smape(actual: JsValue, predicted: JsValue) -> NumResult {
    guard(|| {
        let (a, p) = pair(&actual, &predicted)?;
        metrics::smape(&a, &p)
    })
}

/// Mean absolute scaled error against the in-sample seasonal naive forecast (`options.m`,
/// default 1).
#[wasm_bindgen(js_name = forecastMase)]
pub fn forecast_mase(
    actual: JsValue,
    predicted: JsValue,
    insample: JsValue,
    options: JsValue,
) -> NumResult {
    guard(|| {
        let o = Opts::new(&options, "options", &["m"])?;
        // The core needs m + 1 in-sample values; on wasm32 m + 1 would wrap at usize::MAX. No
        // column can hold 2^32 values here, so usize::MAX - 1 gives the same not_enough_data.
        let m = o.size("m")?.unwrap_or(1).min(usize::MAX - 1);
        let (a, p) = pair(&actual, &predicted)?;
        let insample = convert::column(&insample, "insample")?;
        metrics::mase(&a, &p, &insample, m)
    })
}

/// Fraction of actuals inside `[lower, upper]`.
#[wasm_bindgen(js_name = forecastCoverage)]
pub fn forecast_coverage(actual: JsValue, lower: JsValue, upper: JsValue) -> NumResult {
    guard(|| {
        let (a, l, u) = interval(&actual, &lower, &upper)?;
        metrics::coverage(&a, &l, &u)
    })
}

/// Mean Winkler score of `1 - alpha` prediction intervals.
#[wasm_bindgen(js_name = forecastWinkler)]
pub fn forecast_winkler(
    actual: JsValue,
    lower: JsValue,
    upper: JsValue,
    alpha: JsValue,
) -> NumResult {
    guard(|| {
        let (a, l, u) = interval(&actual, &lower, &upper)?;
        let alpha = convert::number(&alpha, "alpha")?;
        metrics::winkler(&a, &l, &u, alpha)
    })
}

/// `(initial, horizon, step)` checked as `new RollingOrigin(initial, horizon, step = 1)` does.
fn rolling_origin(initial: &JsValue, horizon: &JsValue, step: &JsValue) -> Result<RollingOrigin> {
    let initial = convert::size(initial, "initial")?;
    let horizon = convert::size(horizon, "horizon")?;
    let step = match convert::given(step.clone()) {
        Some(v) => convert::size(&v, "step")?,
        None => 1,
    };
    // The core adds initial + horizon; on wasm32 (32-bit usize) that sum could wrap.
    if initial.checked_add(horizon).is_none() {
        return Err(Error::OutOfRange {
            field: "horizon".into(),
            value: horizon as f64,
            min: 1.0,
            max: (usize::MAX - initial) as f64,
        });
    }
    RollingOrigin::new(initial, horizon, step)
}

/// Validates `new RollingOrigin(initial, horizon, step)`; returns `[initial, horizon, step]`.
#[wasm_bindgen(js_name = forecastRollingOrigin)]
pub fn forecast_rolling_origin(initial: JsValue, horizon: JsValue, step: JsValue) -> JsResult {
    guard(|| {
        let step_n = match convert::given(step.clone()) {
            Some(v) => convert::size(&v, "step")?,
            None => 1,
        };
        rolling_origin(&initial, &horizon, &step)?;
        Ok(array([
            JsValue::from_f64(convert::size(&initial, "initial")? as f64),
            JsValue::from_f64(convert::size(&horizon, "horizon")? as f64),
            JsValue::from_f64(step_n as f64),
        ]))
    })
}

/// `RollingOrigin.nFolds(n)`: folds for a series of length `n`.
#[wasm_bindgen(js_name = forecastRollingOriginFolds)]
pub fn forecast_rolling_origin_folds(
    initial: JsValue,
    horizon: JsValue,
    step: JsValue,
    n: JsValue,
) -> NumResult {
    guard(|| {
        let cv = rolling_origin(&initial, &horizon, &step)?;
        Ok(cv.n_folds(convert::size(&n, "n")?) as f64)
    })
}

/// `RollingOrigin.evaluate(y, fitPredict)`: calls `fitPredict(train, horizon)` (`train` a
/// Float64Array copy of the training window) on every fold and returns `{ origins, errors, mae,
/// rmse }`. An exception the callback throws is rethrown as it is.
#[wasm_bindgen(js_name = forecastRollingOriginEvaluate)]
pub fn forecast_rolling_origin_evaluate(
    initial: JsValue,
    horizon: JsValue,
    step: JsValue,
    y: JsValue,
    fit_predict: JsValue,
) -> JsResult {
    let mut thrown: Option<JsValue> = None;
    let result = (|| {
        let cv = rolling_origin(&initial, &horizon, &step)?;
        let y = convert::column(&y, "y")?;
        let f = fit_predict.dyn_ref::<Function>().ok_or_else(|| {
            crate::error::invalid(
                "fitPredict",
                &fit_predict,
                "expected a function (train, horizon) => forecasts",
            )
        })?;
        cv.evaluate(&y, |train, h| {
            let out = f
                .call2(
                    &JsValue::NULL,
                    &Float64Array::from(train),
                    &JsValue::from_f64(h as f64),
                )
                .map_err(|e| {
                    thrown = Some(e);
                    Error::Internal("fitPredict threw".into())
                })?;
            convert::column(&out, "forecast")
        })
    })();
    if let Some(e) = thrown {
        return Err(e);
    }
    let r = result.map_err(to_js)?;
    let out = Object::new();
    set(
        &out,
        "origins",
        &array(r.origins.iter().map(|&o| JsValue::from_f64(o as f64))),
    );
    set(&out, "errors", &array(r.errors.iter().map(|e| numbers(e))));
    set(&out, "mae", &numbers(&r.mae));
    set(&out, "rmse", &numbers(&r.rmse));
    Ok(out.into())
}
