//! `channelwise.forecast` decomposition: STL, MSTL and the strength measures. Series arrive as
//! native-endian float64 bytes; window and iteration counts as Python ints (negative ones are
//! `OutOfRangeError` naming the parameter), `None` for statsmodels' defaults.

use channelwise::forecast::decompose::{self, Mstl, Stl};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::attribution::{count, f64_bytes};
use crate::columns::f64s;
use crate::error::{core, guard};

fn opt_count(field: &str, v: Option<i64>, min: usize) -> PyResult<Option<usize>> {
    v.map(|v| core(count(field, v, min))).transpose()
}

/// The STL parameters shared by `forecast_stl` and `forecast_mstl` (period set separately).
#[allow(clippy::too_many_arguments)]
fn stl_spec(
    period: usize,
    seasonal: i64,
    trend: Option<i64>,
    low_pass: Option<i64>,
    seasonal_deg: i64,
    trend_deg: i64,
    low_pass_deg: i64,
    robust: bool,
    seasonal_jump: i64,
    trend_jump: i64,
    low_pass_jump: i64,
    inner_iter: Option<i64>,
    outer_iter: Option<i64>,
) -> PyResult<Stl> {
    Ok(Stl::new(period)
        .seasonal(core(count("seasonal", seasonal, 0))?)
        .trend(opt_count("trend", trend, 0)?)
        .low_pass(opt_count("low_pass", low_pass, 0)?)
        .seasonal_deg(core(count("seasonal_deg", seasonal_deg, 0))?)
        .trend_deg(core(count("trend_deg", trend_deg, 0))?)
        .low_pass_deg(core(count("low_pass_deg", low_pass_deg, 0))?)
        .robust(robust)
        .seasonal_jump(core(count("seasonal_jump", seasonal_jump, 0))?)
        .trend_jump(core(count("trend_jump", trend_jump, 0))?)
        .low_pass_jump(core(count("low_pass_jump", low_pass_jump, 0))?)
        .inner_iter(opt_count("inner_iter", inner_iter, 0)?)
        .outer_iter(opt_count("outer_iter", outer_iter, 0)?))
}

/// `(trend, seasonal, resid, weights, seasonal_strength, trend_strength)`.
type StlOut<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    f64,
    f64,
);

/// STL decomposition (statsmodels' `STL(...).fit(inner_iter, outer_iter)`).
#[pyfunction]
#[pyo3(signature = (y, period, seasonal=7, trend=None, low_pass=None, seasonal_deg=1, trend_deg=1,
    low_pass_deg=1, robust=false, seasonal_jump=1, trend_jump=1, low_pass_jump=1, inner_iter=None,
    outer_iter=None))]
#[allow(clippy::too_many_arguments)]
fn forecast_stl<'py>(
    py: Python<'py>,
    y: &[u8],
    period: i64,
    seasonal: i64,
    trend: Option<i64>,
    low_pass: Option<i64>,
    seasonal_deg: i64,
    trend_deg: i64,
    low_pass_deg: i64,
    robust: bool,
    seasonal_jump: i64,
    trend_jump: i64,
    low_pass_jump: i64,
    inner_iter: Option<i64>,
    outer_iter: Option<i64>,
) -> PyResult<StlOut<'py>> {
    guard(|| {
        let spec = stl_spec(
            core(count("period", period, 0))?,
            seasonal,
            trend,
            low_pass,
            seasonal_deg,
            trend_deg,
            low_pass_deg,
            robust,
            seasonal_jump,
            trend_jump,
            low_pass_jump,
            inner_iter,
            outer_iter,
        )?;
        let y = core(f64s("y", y))?;
        let d = core(py.detach(|| spec.fit(&y)))?;
        let (fs, ft) = (core(d.seasonal_strength())?, core(d.trend_strength())?);
        Ok((
            f64_bytes(py, &d.trend),
            f64_bytes(py, &d.seasonal),
            f64_bytes(py, &d.resid),
            f64_bytes(py, &d.weights),
            fs,
            ft,
        ))
    })
}

/// `(periods, windows, observed, trend, seasonal per period, resid, weights,
/// seasonal_strengths, trend_strength)`.
type MstlOut<'py> = (
    Vec<usize>,
    Vec<usize>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Vec<Bound<'py, PyBytes>>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Vec<f64>,
    f64,
);

/// MSTL decomposition (statsmodels' `MSTL`); the STL keywords apply to every component.
#[pyfunction]
#[pyo3(signature = (y, periods, windows=None, iterate=2, lmbda=None, trend=None, low_pass=None,
    seasonal_deg=1, trend_deg=1, low_pass_deg=1, robust=false, seasonal_jump=1, trend_jump=1,
    low_pass_jump=1, inner_iter=None, outer_iter=None))]
#[allow(clippy::too_many_arguments)]
fn forecast_mstl<'py>(
    py: Python<'py>,
    y: &[u8],
    periods: Vec<i64>,
    windows: Option<Vec<i64>>,
    iterate: i64,
    lmbda: Option<f64>,
    trend: Option<i64>,
    low_pass: Option<i64>,
    seasonal_deg: i64,
    trend_deg: i64,
    low_pass_deg: i64,
    robust: bool,
    seasonal_jump: i64,
    trend_jump: i64,
    low_pass_jump: i64,
    inner_iter: Option<i64>,
    outer_iter: Option<i64>,
) -> PyResult<MstlOut<'py>> {
    guard(|| {
        let periods: Vec<usize> = periods
            .iter()
            .enumerate()
            .map(|(i, p)| core(count(&format!("periods[{i}]"), *p, 0)))
            .collect::<PyResult<_>>()?;
        let template = stl_spec(
            2,
            7,
            trend,
            low_pass,
            seasonal_deg,
            trend_deg,
            low_pass_deg,
            robust,
            seasonal_jump,
            trend_jump,
            low_pass_jump,
            inner_iter,
            outer_iter,
        )?;
        let mut spec = Mstl::new(&periods)
            .iterate(core(count("iterate", iterate, 0))?)
            .lmbda(lmbda)
            .stl(template);
        if let Some(w) = windows {
            let w: Vec<usize> = w
                .iter()
                .enumerate()
                .map(|(i, v)| core(count(&format!("windows[{i}]"), *v, 0)))
                .collect::<PyResult<_>>()?;
            spec = spec.windows(&w);
        }
        let y = core(f64s("y", y))?;
        let d = core(py.detach(|| spec.fit(&y)))?;
        let strengths = core(d.seasonal_strengths())?;
        let ft = core(d.trend_strength())?;
        Ok((
            d.periods.clone(),
            d.windows.clone(),
            f64_bytes(py, &d.observed),
            f64_bytes(py, &d.trend),
            d.seasonal.iter().map(|s| f64_bytes(py, s)).collect(),
            f64_bytes(py, &d.resid),
            f64_bytes(py, &d.weights),
            strengths,
            ft,
        ))
    })
}

/// Seasonal strength `max(0, 1 - Var(resid) / Var(seasonal + resid))`.
#[pyfunction]
fn forecast_seasonal_strength(seasonal: &[u8], resid: &[u8]) -> PyResult<f64> {
    guard(|| {
        let (s, r) = (
            core(f64s("seasonal", seasonal))?,
            core(f64s("resid", resid))?,
        );
        core(decompose::seasonal_strength(&s, &r))
    })
}

/// Trend strength `max(0, 1 - Var(resid) / Var(trend + resid))`.
#[pyfunction]
fn forecast_trend_strength(trend: &[u8], resid: &[u8]) -> PyResult<f64> {
    guard(|| {
        let (t, r) = (core(f64s("trend", trend))?, core(f64s("resid", resid))?);
        core(decompose::trend_strength(&t, &r))
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(forecast_stl, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_mstl, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_seasonal_strength, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_trend_strength, m)?)?;
    Ok(())
}
