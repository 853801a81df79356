//! `channelwise.stats`: correlation (Pearson, Spearman, Kendall, cross-correlation) and trend
//! tests (Mann-Kendall, Theil-Sen). Series arrive as native-endian float64 bytes.

use channelwise::stats;
use pyo3::prelude::*;

use crate::attribution::count;
use crate::columns::f64s;
use crate::error::{core, guard};

/// `(statistic, p_value, n)`.
type CorrelationTuple = (f64, f64, usize);

fn correlation(
    py: Python<'_>,
    x: &[u8],
    y: &[u8],
    f: fn(&[f64], &[f64]) -> channelwise::Result<stats::Correlation>,
) -> PyResult<CorrelationTuple> {
    guard(|| {
        let (x, y) = (core(f64s("x", x))?, core(f64s("y", y))?);
        let c = core(py.detach(|| f(&x, &y)))?;
        Ok((c.statistic, c.p_value, c.n))
    })
}

/// Pearson's r and its two-sided p-value, as `(statistic, p_value, n)`.
#[pyfunction]
fn stats_pearson(py: Python<'_>, x: &[u8], y: &[u8]) -> PyResult<CorrelationTuple> {
    correlation(py, x, y, stats::pearson)
}

/// Spearman's rho and its two-sided p-value, as `(statistic, p_value, n)`.
#[pyfunction]
fn stats_spearman(py: Python<'_>, x: &[u8], y: &[u8]) -> PyResult<CorrelationTuple> {
    correlation(py, x, y, stats::spearman)
}

/// Kendall's tau-b and its two-sided p-value, as `(statistic, p_value, n)`.
#[pyfunction]
fn stats_kendall(py: Python<'_>, x: &[u8], y: &[u8]) -> PyResult<CorrelationTuple> {
    correlation(py, x, y, stats::kendall)
}

/// Cross-correlation at lags `-max_lag..=max_lag`, as `(lags, values)`.
#[pyfunction]
fn stats_cross_correlation(
    py: Python<'_>,
    x: &[u8],
    y: &[u8],
    max_lag: i64,
) -> PyResult<(Vec<i64>, Vec<f64>)> {
    guard(|| {
        let (x, y) = (core(f64s("x", x))?, core(f64s("y", y))?);
        let max_lag = core(count("max_lag", max_lag, 0))?;
        let c = core(py.detach(|| stats::cross_correlation(&x, &y, max_lag)))?;
        Ok((c.lags, c.values))
    })
}

/// The Mann-Kendall test, as `(trend, h, p, z, tau, s, var_s, n)`.
#[pyfunction]
#[pyo3(signature = (x, alpha=0.05))]
#[allow(clippy::type_complexity)]
fn stats_mann_kendall(
    py: Python<'_>,
    x: &[u8],
    alpha: f64,
) -> PyResult<(&'static str, bool, f64, f64, f64, f64, f64, usize)> {
    guard(|| {
        let x = core(f64s("x", x))?;
        let r = core(py.detach(|| stats::mann_kendall(&x, alpha)))?;
        Ok((r.trend.as_str(), r.h, r.p, r.z, r.tau, r.s, r.var_s, r.n))
    })
}

/// The Theil-Sen line, as `(slope, intercept, low_slope, high_slope)`.
#[pyfunction]
#[pyo3(signature = (x, y, alpha=0.05))]
fn stats_theil_sen(
    py: Python<'_>,
    x: &[u8],
    y: &[u8],
    alpha: f64,
) -> PyResult<(f64, f64, f64, f64)> {
    guard(|| {
        let (x, y) = (core(f64s("x", x))?, core(f64s("y", y))?);
        let r = core(py.detach(|| stats::theil_sen(&x, &y, alpha)))?;
        Ok((r.slope, r.intercept, r.low_slope, r.high_slope))
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(stats_pearson, m)?)?;
    m.add_function(wrap_pyfunction!(stats_spearman, m)?)?;
    m.add_function(wrap_pyfunction!(stats_kendall, m)?)?;
    m.add_function(wrap_pyfunction!(stats_cross_correlation, m)?)?;
    m.add_function(wrap_pyfunction!(stats_mann_kendall, m)?)?;
    m.add_function(wrap_pyfunction!(stats_theil_sen, m)?)?;
    Ok(())
}
