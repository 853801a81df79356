//! `channelwise.forecast`: accuracy metrics and rolling-origin evaluation. Series arrive as
//! native-endian float64 bytes; the rolling-origin model is a Python callable.

use channelwise::forecast::metrics::{self, RollingOrigin};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::attribution::{count, f64_bytes};
use crate::columns::f64s;
use crate::error::{core, guard};

fn pair(
    py: Python<'_>,
    actual: &[u8],
    predicted: &[u8],
    f: fn(&[f64], &[f64]) -> channelwise::Result<f64>,
) -> PyResult<f64> {
    guard(|| {
        let actual = core(f64s("actual", actual))?;
        let predicted = core(f64s("predicted", predicted))?;
        core(py.detach(|| f(&actual, &predicted)))
    })
}

/// Mean absolute error.
#[pyfunction]
fn forecast_mae(py: Python<'_>, actual: &[u8], predicted: &[u8]) -> PyResult<f64> {
    pair(py, actual, predicted, metrics::mae)
}

/// Root mean squared error.
#[pyfunction]
fn forecast_rmse(py: Python<'_>, actual: &[u8], predicted: &[u8]) -> PyResult<f64> {
    pair(py, actual, predicted, metrics::rmse)
}

/// Mean absolute percentage error (a fraction).
#[pyfunction]
fn forecast_mape(py: Python<'_>, actual: &[u8], predicted: &[u8]) -> PyResult<f64> {
    pair(py, actual, predicted, metrics::mape)
}

/// Symmetric MAPE (a fraction in [0, 2]).
#[pyfunction]
fn forecast_smape(py: Python<'_>, actual: &[u8], predicted: &[u8]) -> PyResult<f64> {
    pair(py, actual, predicted, metrics::smape)
}

/// Mean absolute scaled error against the in-sample seasonal naive forecast of period `m`.
#[pyfunction]
#[pyo3(signature = (actual, predicted, insample, m=1))]
fn forecast_mase(
    py: Python<'_>,
    actual: &[u8],
    predicted: &[u8],
    insample: &[u8],
    m: i64,
) -> PyResult<f64> {
    guard(|| {
        let actual = core(f64s("actual", actual))?;
        let predicted = core(f64s("predicted", predicted))?;
        let insample = core(f64s("insample", insample))?;
        let m = core(count("m", m, 0))?;
        core(py.detach(|| metrics::mase(&actual, &predicted, &insample, m)))
    })
}

/// Fraction of actuals inside `[lower, upper]`.
#[pyfunction]
fn forecast_coverage(py: Python<'_>, actual: &[u8], lower: &[u8], upper: &[u8]) -> PyResult<f64> {
    guard(|| {
        let actual = core(f64s("actual", actual))?;
        let lower = core(f64s("lower", lower))?;
        let upper = core(f64s("upper", upper))?;
        core(py.detach(|| metrics::coverage(&actual, &lower, &upper)))
    })
}

/// Mean Winkler score of `1 - alpha` intervals.
#[pyfunction]
fn forecast_winkler(
    py: Python<'_>,
    actual: &[u8],
    lower: &[u8],
    upper: &[u8],
    alpha: f64,
) -> PyResult<f64> {
    guard(|| {
        let actual = core(f64s("actual", actual))?;
        let lower = core(f64s("lower", lower))?;
        let upper = core(f64s("upper", upper))?;
        core(py.detach(|| metrics::winkler(&actual, &lower, &upper, alpha)))
    })
}

/// Rolling-origin splits (the core's `RollingOrigin`).
#[pyclass(frozen, name = "RollingOrigin", module = "channelwise._channelwise")]
pub(crate) struct PyRollingOrigin {
    cv: RollingOrigin,
    initial: usize,
    horizon: usize,
    step: usize,
}

/// `(origins, errors as float64 bytes (folds x horizon, row-major), mae, rmse)`.
type Evaluation<'py> = (Vec<usize>, Bound<'py, PyBytes>, Vec<f64>, Vec<f64>);

#[pymethods]
impl PyRollingOrigin {
    #[new]
    #[pyo3(signature = (initial, horizon, step=1))]
    fn new(initial: i64, horizon: i64, step: i64) -> PyResult<Self> {
        guard(|| {
            let initial = core(count("initial", initial, 1))?;
            let horizon = core(count("horizon", horizon, 1))?;
            let step = core(count("step", step, 1))?;
            let cv = core(RollingOrigin::new(initial, horizon, step))?;
            Ok(PyRollingOrigin {
                cv,
                initial,
                horizon,
                step,
            })
        })
    }

    #[getter]
    fn initial(&self) -> usize {
        self.initial
    }

    #[getter]
    fn horizon(&self) -> usize {
        self.horizon
    }

    #[getter]
    fn step(&self) -> usize {
        self.step
    }

    /// Number of folds for a series of length `n`.
    fn n_folds(&self, n: i64) -> PyResult<usize> {
        guard(|| Ok(self.cv.n_folds(core(count("n", n, 0))?)))
    }

    /// Runs `fit_predict(train_bytes, horizon) -> forecast_bytes` on every fold of `y`.
    ///
    /// The GIL is released between folds and taken back to call `fit_predict`; an exception
    /// it raises propagates unchanged.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        y: &[u8],
        fit_predict: Py<PyAny>,
    ) -> PyResult<Evaluation<'py>> {
        guard(|| {
            let y = core(f64s("y", y))?;
            let mut raised: Option<PyErr> = None;
            let result = py.detach(|| {
                self.cv.evaluate(&y, |train, h| {
                    Python::attach(|py| {
                        let out = fit_predict
                            .bind(py)
                            .call1((f64_bytes(py, train), h))
                            .and_then(|o| Ok(o.cast_into::<PyBytes>()?));
                        match out {
                            Ok(bytes) => f64s("forecast", bytes.as_bytes()),
                            Err(e) => {
                                raised = Some(e);
                                Err(Error::Internal("fit_predict raised".into()))
                            }
                        }
                    })
                })
            });
            if let Some(e) = raised {
                return Err(e);
            }
            let r = core(result)?;
            let flat: Vec<f64> = r.errors.iter().flatten().copied().collect();
            Ok((r.origins, f64_bytes(py, &flat), r.mae, r.rmse))
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "RollingOrigin(initial={}, horizon={}, step={})",
            self.initial, self.horizon, self.step
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRollingOrigin>()?;
    m.add_function(wrap_pyfunction!(forecast_mae, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_rmse, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_mape, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_smape, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_mase, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_coverage, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_winkler, m)?)?;
    Ok(())
}
