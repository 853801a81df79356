//! `forecast.stl` and `forecast.mstl`: seasonal-trend decomposition by LOESS (statsmodels'
//! `STL` / `MSTL` parameters), with the seasonal and trend strength measures.

use channelwise::forecast::decompose::{Mstl, Stl};
use napi::bindgen_prelude::{Float64Array, Object, Unknown};
use napi_derive::napi;

use crate::convert::{self, opt};
use crate::error::{guard, Result};

/// An STL decomposition: `y = trend + seasonal + resid`.
#[napi(object)]
pub struct StlResult {
    /// Trend component.
    pub trend: Float64Array,
    /// Seasonal component.
    pub seasonal: Float64Array,
    /// Remainder.
    pub resid: Float64Array,
    /// Robustness weights (all 1 unless `robust`).
    pub weights: Float64Array,
    /// `max(0, 1 - var(resid) / var(seasonal + resid))`.
    pub seasonal_strength: f64,
    /// `max(0, 1 - var(resid) / var(trend + resid))`.
    pub trend_strength: f64,
}

/// An MSTL decomposition: `y = trend + sum(seasonal) + resid` (on the Box-Cox scale with
/// `lmbda`).
#[napi(object)]
pub struct MstlResult {
    /// The seasonal periods, ascending (the order of `seasonal`).
    pub periods: Vec<f64>,
    /// Trend component.
    pub trend: Float64Array,
    /// One seasonal component per period.
    pub seasonal: Vec<Float64Array>,
    /// Remainder.
    pub resid: Float64Array,
    /// Robustness weights of the last STL fit.
    pub weights: Float64Array,
    /// Seasonal strength of each component, in the order of `periods`.
    pub seasonal_strengths: Vec<f64>,
    /// Trend strength.
    pub trend_strength: f64,
}

/// The STL options shared by `stl` and `mstl` (MSTL sets `period` and `seasonal` per component).
const STL_SHARED: &[&str] = &[
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

/// An `Stl` for `period` with the optional fields of `opts` (absent: statsmodels' defaults).
fn stl_spec(period: usize, opts: Option<&Object<'_>>) -> channelwise::Result<Stl> {
    let mut s = Stl::new(period);
    if let Some(v) = opt(opts, "seasonal", convert::size)? {
        s = s.seasonal(v);
    }
    s = s
        .trend(opt(opts, "trend", convert::size)?)
        .low_pass(opt(opts, "lowPass", convert::size)?);
    if let Some(v) = opt(opts, "seasonalDeg", convert::size)? {
        s = s.seasonal_deg(v);
    }
    if let Some(v) = opt(opts, "trendDeg", convert::size)? {
        s = s.trend_deg(v);
    }
    if let Some(v) = opt(opts, "lowPassDeg", convert::size)? {
        s = s.low_pass_deg(v);
    }
    if let Some(v) = opt(opts, "robust", convert::boolean)? {
        s = s.robust(v);
    }
    if let Some(v) = opt(opts, "seasonalJump", convert::size)? {
        s = s.seasonal_jump(v);
    }
    if let Some(v) = opt(opts, "trendJump", convert::size)? {
        s = s.trend_jump(v);
    }
    if let Some(v) = opt(opts, "lowPassJump", convert::size)? {
        s = s.low_pass_jump(v);
    }
    Ok(s.inner_iter(opt(opts, "innerIter", convert::size)?)
        .outer_iter(opt(opts, "outerIter", convert::size)?))
}

fn required<'e>(opts: Option<&Object<'e>>, name: &str) -> channelwise::Result<Unknown<'e>> {
    let field = format!("options.{name}");
    match opts {
        Some(o) => convert::require(o, name, &field),
        None => Err(channelwise::Error::InvalidParameter {
            field,
            value: "undefined".into(),
            reason: "required, but missing".into(),
        }),
    }
}

/// STL decomposition of `y` with seasonal cycle `options.period` (required) and statsmodels'
/// STL parameters in camelCase.
#[napi(namespace = "forecast")]
pub fn stl(y: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<StlResult> {
    guard(|| {
        let mut allowed = vec!["period", "seasonal"];
        allowed.extend_from_slice(STL_SHARED);
        let opts = convert::options(options, "options", &allowed)?;
        let period = convert::size(required(opts.as_ref(), "period")?, "options.period")?;
        let spec = stl_spec(period, opts.as_ref())?;
        let y = convert::numbers(y, "y")?;
        let d = spec.fit(&y)?;
        let seasonal_strength = d.seasonal_strength()?;
        let trend_strength = d.trend_strength()?;
        Ok(StlResult {
            trend: Float64Array::new(d.trend),
            seasonal: Float64Array::new(d.seasonal),
            resid: Float64Array::new(d.resid),
            weights: Float64Array::new(d.weights),
            seasonal_strength,
            trend_strength,
        })
    })
}

/// MSTL decomposition of `y` for `options.periods` (required), with optional `windows` (one per
/// period), `iterate` (default 2), `lmbda` (Box-Cox, default none) and the STL options shared by
/// every component.
#[napi(namespace = "forecast")]
pub fn mstl(y: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<MstlResult> {
    guard(|| {
        let mut allowed = vec!["periods", "windows", "iterate", "lmbda"];
        allowed.extend_from_slice(STL_SHARED);
        let opts = convert::options(options, "options", &allowed)?;
        let o = opts.as_ref();
        let periods = convert::sizes(required(o, "periods")?, "options.periods")?;
        let mut spec = Mstl::new(&periods).stl(stl_spec(2, o)?);
        if let Some(w) = opt(o, "windows", convert::sizes)? {
            spec = spec.windows(&w);
        }
        if let Some(it) = opt(o, "iterate", convert::size)? {
            spec = spec.iterate(it);
        }
        spec = spec.lmbda(opt(o, "lmbda", convert::number)?);
        let y = convert::numbers(y, "y")?;
        let d = spec.fit(&y)?;
        let seasonal_strengths = d.seasonal_strengths()?;
        let trend_strength = d.trend_strength()?;
        Ok(MstlResult {
            periods: d.periods.iter().map(|&p| p as f64).collect(),
            trend: Float64Array::new(d.trend),
            seasonal: d.seasonal.into_iter().map(Float64Array::new).collect(),
            resid: Float64Array::new(d.resid),
            weights: Float64Array::new(d.weights),
            seasonal_strengths,
            trend_strength,
        })
    })
}
