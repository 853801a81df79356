//! `forecast.stl`, `forecast.mstl` and the strength measures (the core's
//! [`channelwise::forecast::decompose`]), with the Node binding's names and shapes: series in as
//! `number[] | Float64Array`, components out as `Float64Array`.

use channelwise::forecast::decompose::{self, Mstl, Stl};
use js_sys::Object;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{self, Opts};
use crate::error::{guard, Result};
use crate::ets::f64s;
use crate::values::{array, set, set_num, JsResult};

/// The STL options shared by `stl` and `mstl` (`period` and `seasonal` are `stl`'s only).
const STL_KEYS: &[&str] = &[
    "trend",
    "lowPass",
    "seasonalDeg",
    "trendDeg",
    "lowPassDeg",
    "robust",
    "seasonalJump",
    "trendJump",
    "lowPassJump",
    "innerIter",
    "outerIter",
];

/// An `Stl` for `period` from the shared STL options of `o`.
fn stl_from(period: usize, o: &Opts) -> Result<Stl> {
    let mut s = Stl::new(period)
        .trend(o.size("trend")?)
        .low_pass(o.size("lowPass")?)
        .inner_iter(o.size("innerIter")?)
        .outer_iter(o.size("outerIter")?);
    if let Some(v) = o.size("seasonalDeg")? {
        s = s.seasonal_deg(v);
    }
    if let Some(v) = o.size("trendDeg")? {
        s = s.trend_deg(v);
    }
    if let Some(v) = o.size("lowPassDeg")? {
        s = s.low_pass_deg(v);
    }
    if let Some(v) = o.boolean("robust")? {
        s = s.robust(v);
    }
    if let Some(v) = o.size("seasonalJump")? {
        s = s.seasonal_jump(v);
    }
    if let Some(v) = o.size("trendJump")? {
        s = s.trend_jump(v);
    }
    if let Some(v) = o.size("lowPassJump")? {
        s = s.low_pass_jump(v);
    }
    Ok(s)
}

fn missing(field: &str) -> channelwise::Error {
    channelwise::Error::InvalidParameter {
        field: field.into(),
        value: "undefined".into(),
        reason: "required, but missing".into(),
    }
}

/// STL (statsmodels' parameters): `{ trend, seasonal, resid, weights, seasonalStrength,
/// trendStrength }`.
#[wasm_bindgen(js_name = forecastStl)]
pub fn forecast_stl(y: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let keys: Vec<&str> = ["period", "seasonal"]
            .iter()
            .chain(STL_KEYS)
            .copied()
            .collect();
        let o = Opts::new(&options, "options", &keys)?;
        let period = o.size("period")?.ok_or_else(|| missing("options.period"))?;
        let mut spec = stl_from(period, &o)?;
        if let Some(w) = o.size("seasonal")? {
            spec = spec.seasonal(w);
        }
        let y = convert::column(&y, "y")?;
        let d = spec.fit(&y)?;
        let out = Object::new();
        set(&out, "trend", &f64s(&d.trend));
        set(&out, "seasonal", &f64s(&d.seasonal));
        set(&out, "resid", &f64s(&d.resid));
        set(&out, "weights", &f64s(&d.weights));
        set_num(&out, "seasonalStrength", d.seasonal_strength()?);
        set_num(&out, "trendStrength", d.trend_strength()?);
        Ok(out.into())
    })
}

/// MSTL: `{ periods, windows, observed, trend, seasonal: Float64Array[], resid, weights,
/// seasonalStrengths, trendStrength }` (periods ascending, `seasonal` in their order).
#[wasm_bindgen(js_name = forecastMstl)]
pub fn forecast_mstl(y: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let keys: Vec<&str> = ["periods", "windows", "iterate", "lmbda"]
            .iter()
            .chain(STL_KEYS)
            .copied()
            .collect();
        let o = Opts::new(&options, "options", &keys)?;
        let periods = o
            .sizes("periods")?
            .ok_or_else(|| missing("options.periods"))?;
        let mut m = Mstl::new(&periods).stl(stl_from(2, &o)?);
        if let Some(w) = o.sizes("windows")? {
            m = m.windows(&w);
        }
        if let Some(it) = o.size("iterate")? {
            m = m.iterate(it);
        }
        m = m.lmbda(o.number("lmbda")?);
        let y = convert::column(&y, "y")?;
        let d = m.fit(&y)?;
        let out = Object::new();
        let counts = |xs: &[usize]| array(xs.iter().map(|&p| JsValue::from_f64(p as f64)));
        set(&out, "periods", &counts(&d.periods));
        set(&out, "windows", &counts(&d.windows));
        set(&out, "observed", &f64s(&d.observed));
        set(&out, "trend", &f64s(&d.trend));
        set(&out, "seasonal", &array(d.seasonal.iter().map(|s| f64s(s))));
        set(&out, "resid", &f64s(&d.resid));
        set(&out, "weights", &f64s(&d.weights));
        set(
            &out,
            "seasonalStrengths",
            &array(d.seasonal_strengths()?.into_iter().map(JsValue::from_f64)),
        );
        set_num(&out, "trendStrength", d.trend_strength()?);
        Ok(out.into())
    })
}

/// `max(0, 1 - Var(resid) / Var(seasonal + resid))`.
#[wasm_bindgen(js_name = forecastSeasonalStrength)]
pub fn forecast_seasonal_strength(
    seasonal: JsValue,
    resid: JsValue,
) -> std::result::Result<f64, JsValue> {
    guard(|| {
        decompose::seasonal_strength(
            &convert::column(&seasonal, "seasonal")?,
            &convert::column(&resid, "resid")?,
        )
    })
}

/// `max(0, 1 - Var(resid) / Var(trend + resid))`.
#[wasm_bindgen(js_name = forecastTrendStrength)]
pub fn forecast_trend_strength(
    trend: JsValue,
    resid: JsValue,
) -> std::result::Result<f64, JsValue> {
    guard(|| {
        decompose::trend_strength(
            &convert::column(&trend, "trend")?,
            &convert::column(&resid, "resid")?,
        )
    })
}
