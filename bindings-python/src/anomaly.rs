//! `channelwise.anomaly`: the isolation forest, MAD / Hampel / ESD / seasonal ESD detectors and
//! forecast-residual alerts. Series and matrices arrive as native-endian float64 bytes (matrices
//! flat, row-major, with their column count); `max_samples`, `contamination` and `max_features`
//! follow scikit-learn's rule (an int is a count, a float a fraction), parsed here.

use channelwise::anomaly::residual::{residual_alerts, ResidualAlert};
use channelwise::anomaly::robust::{
    self, Direction, Esd, EsdResult, Hampel, MadDetector, SeasonalEsd,
};
use channelwise::anomaly::{
    average_path_length, Contamination, FittedIsolationForest, IsolationForest, MaxFeatures,
    MaxSamples,
};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyString};

use crate::attribution::{count, f64_bytes};
use crate::columns::{f64s, from_json, to_json};
use crate::error::{core, guard, PyChannelwiseError};

fn bad(field: &str, value: &Bound<'_, PyAny>, reason: &str) -> PyErr {
    PyChannelwiseError(Error::InvalidParameter {
        field: field.into(),
        value: value
            .repr()
            .map(|r| r.to_string())
            .unwrap_or_else(|_| "?".into()),
        reason: reason.into(),
    })
    .into()
}

/// `"auto"`, an int (count) or a float (fraction).
fn parse_max_samples(v: &Bound<'_, PyAny>) -> PyResult<MaxSamples> {
    const WHAT: &str = "expected \"auto\", an int (count) or a float (fraction)";
    if let Ok(s) = v.cast::<PyString>() {
        return match s.to_cow()?.as_ref() {
            "auto" => Ok(MaxSamples::Auto),
            _ => Err(bad("max_samples", v, WHAT)),
        };
    }
    if v.is_instance_of::<PyBool>() {
        return Err(bad("max_samples", v, WHAT));
    }
    if v.is_instance_of::<PyInt>() {
        return Ok(MaxSamples::Count(core(count(
            "max_samples",
            v.extract::<i64>()?,
            0,
        ))?));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(MaxSamples::Fraction(v.extract::<f64>()?));
    }
    Err(bad("max_samples", v, WHAT))
}

/// `"auto"` or a number (fraction).
fn parse_contamination(v: &Bound<'_, PyAny>) -> PyResult<Contamination> {
    const WHAT: &str = "expected \"auto\" or a fraction in (0, 0.5]";
    if let Ok(s) = v.cast::<PyString>() {
        return match s.to_cow()?.as_ref() {
            "auto" => Ok(Contamination::Auto),
            _ => Err(bad("contamination", v, WHAT)),
        };
    }
    if v.is_instance_of::<PyBool>()
        || !(v.is_instance_of::<PyFloat>() || v.is_instance_of::<PyInt>())
    {
        return Err(bad("contamination", v, WHAT));
    }
    Ok(Contamination::Fraction(v.extract::<f64>()?))
}

/// An int (count) or a float (fraction).
fn parse_max_features(v: &Bound<'_, PyAny>) -> PyResult<MaxFeatures> {
    const WHAT: &str = "expected an int (count) or a float (fraction)";
    if v.is_instance_of::<PyBool>() {
        return Err(bad("max_features", v, WHAT));
    }
    if v.is_instance_of::<PyInt>() {
        return Ok(MaxFeatures::Count(core(count(
            "max_features",
            v.extract::<i64>()?,
            0,
        ))?));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(MaxFeatures::Fraction(v.extract::<f64>()?));
    }
    Err(bad("max_features", v, WHAT))
}

/// Grows an isolation forest on `x` (flat, row-major, `n_features` columns); `None` for
/// `max_samples` / `contamination` means `"auto"`, for `max_features` all features.
#[pyfunction]
#[pyo3(signature = (x, n_features, n_estimators=100, max_samples=None, contamination=None, max_features=None, bootstrap=false, seed=0))]
#[allow(clippy::too_many_arguments)]
fn isolation_forest_fit(
    py: Python<'_>,
    x: &[u8],
    n_features: i64,
    n_estimators: i64,
    max_samples: Option<Bound<'_, PyAny>>,
    contamination: Option<Bound<'_, PyAny>>,
    max_features: Option<Bound<'_, PyAny>>,
    bootstrap: bool,
    seed: i64,
) -> PyResult<PyFittedIsolationForest> {
    guard(|| {
        let spec = IsolationForest::new()
            .n_estimators(core(count("n_estimators", n_estimators, 0))?)
            .max_samples(match &max_samples {
                Some(v) => parse_max_samples(v)?,
                None => MaxSamples::Auto,
            })
            .contamination(match &contamination {
                Some(v) => parse_contamination(v)?,
                None => Contamination::Auto,
            })
            .max_features(match &max_features {
                Some(v) => parse_max_features(v)?,
                None => MaxFeatures::Fraction(1.0),
            })
            .bootstrap(bootstrap)
            .seed(core(count("seed", seed, 0))? as u64);
        let nf = core(count("n_features", n_features, 0))?;
        let x = core(f64s("x", x))?;
        let model = core(py.detach(|| spec.fit(&x, nf)))?;
        Ok(PyFittedIsolationForest { model })
    })
}

/// A fitted isolation forest (the core's `FittedIsolationForest`).
#[pyclass(
    frozen,
    name = "FittedIsolationForest",
    module = "channelwise._channelwise"
)]
pub(crate) struct PyFittedIsolationForest {
    model: FittedIsolationForest,
}

impl PyFittedIsolationForest {
    fn scores<T>(
        &self,
        py: Python<'_>,
        x: &[u8],
        n_features: i64,
        f: impl FnOnce(&FittedIsolationForest, &[f64], usize) -> channelwise::Result<T> + Send,
    ) -> PyResult<T>
    where
        T: Send,
    {
        guard(|| {
            let nf = core(count("n_features", n_features, 0))?;
            let x = core(f64s("x", x))?;
            core(py.detach(|| f(&self.model, &x, nf)))
        })
    }
}

#[pymethods]
impl PyFittedIsolationForest {
    /// scikit-learn's `score_samples` (lower is more abnormal), float64 bytes.
    fn score_samples<'py>(
        &self,
        py: Python<'py>,
        x: &[u8],
        n_features: i64,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let s = self.scores(py, x, n_features, FittedIsolationForest::score_samples)?;
        Ok(f64_bytes(py, &s))
    }

    /// `score_samples - offset` (negative for outliers), float64 bytes.
    fn decision_function<'py>(
        &self,
        py: Python<'py>,
        x: &[u8],
        n_features: i64,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let s = self.scores(py, x, n_features, FittedIsolationForest::decision_function)?;
        Ok(f64_bytes(py, &s))
    }

    /// `1` inlier / `-1` outlier, as int8 bytes.
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: &[u8],
        n_features: i64,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let p = self.scores(py, x, n_features, FittedIsolationForest::predict)?;
        let raw: Vec<u8> = p.iter().map(|v| v.to_ne_bytes()[0]).collect();
        Ok(PyBytes::new(py, &raw))
    }

    #[getter]
    fn offset(&self) -> f64 {
        self.model.offset()
    }

    #[getter]
    fn n_features(&self) -> usize {
        self.model.n_features()
    }

    /// The names of the features (a frame's columns), or `None`.
    #[getter]
    fn feature_names(&self) -> Option<Vec<String>> {
        self.model.feature_names().map(<[String]>::to_vec)
    }

    /// The forest with its features' names, which its JSON keeps.
    fn with_feature_names(&self, names: Vec<String>) -> PyResult<Self> {
        guard(|| Ok(PyFittedIsolationForest { model: core(self.model.clone().with_feature_names(names))? }))
    }

    #[getter]
    fn n_estimators(&self) -> usize {
        self.model.n_estimators()
    }

    #[getter]
    fn max_samples(&self) -> usize {
        self.model.max_samples()
    }

    #[getter]
    fn max_features(&self) -> usize {
        self.model.max_features()
    }

    #[getter]
    fn max_depth(&self) -> usize {
        self.model.max_depth()
    }

    /// The core's serde form (trees, feature count, sizes, offset); scores bit for bit on load.
    fn to_json(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.model)))
    }

    /// Restores a forest from [`Self::to_json`]'s text; a damaged document (the core checks
    /// every tree) is an `InvalidParameterError` naming `json`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(|| {
            Ok(PyFittedIsolationForest {
                model: core(from_json(py, text))?,
            })
        })
    }
}

/// `c(n)`, the average path length of an unsuccessful BST search among `n` points.
#[pyfunction]
fn anomaly_average_path_length(n: i64) -> PyResult<f64> {
    guard(|| Ok(average_path_length(core(count("n", n, 0))?)))
}

/// The normal-consistent median absolute deviation.
#[pyfunction]
fn anomaly_mad(x: &[u8]) -> PyResult<f64> {
    guard(|| core(robust::mad(&core(f64s("x", x))?)))
}

/// `(median, mad, scale, scores, outliers)`.
type MadOut<'py> = (f64, f64, f64, Bound<'py, PyBytes>, Vec<usize>);

/// Robust z-scores and the points with `|z| > threshold`.
#[pyfunction]
#[pyo3(signature = (x, threshold=3.5))]
fn anomaly_mad_outliers<'py>(py: Python<'py>, x: &[u8], threshold: f64) -> PyResult<MadOut<'py>> {
    guard(|| {
        let x = core(f64s("x", x))?;
        let r = core(py.detach(|| MadDetector::new().threshold(threshold).detect(&x)))?;
        Ok((
            r.median,
            r.mad,
            r.scale,
            f64_bytes(py, &r.scores),
            r.outliers,
        ))
    })
}

/// `(filtered, outliers, medians, scales)`.
type HampelOut<'py> = (
    Bound<'py, PyBytes>,
    Vec<usize>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

/// The Hampel filter.
#[pyfunction]
#[pyo3(signature = (x, half_window=3, n_sigmas=3.0))]
fn anomaly_hampel<'py>(
    py: Python<'py>,
    x: &[u8],
    half_window: i64,
    n_sigmas: f64,
) -> PyResult<HampelOut<'py>> {
    guard(|| {
        let k = core(count("half_window", half_window, 0))?;
        let x = core(f64s("x", x))?;
        let r = core(py.detach(|| Hampel::new(k, n_sigmas).detect(&x)))?;
        Ok((
            f64_bytes(py, &r.filtered),
            r.outliers,
            f64_bytes(py, &r.medians),
            f64_bytes(py, &r.scales),
        ))
    })
}

fn direction(s: &str) -> PyResult<Direction> {
    core(s.parse::<Direction>())
}

fn esd_dict<'py>(py: Python<'py>, r: &EsdResult) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(
        "index",
        r.anomalies.iter().map(|a| a.index).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "value",
        r.anomalies.iter().map(|a| a.value).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "expected",
        r.anomalies.iter().map(|a| a.expected).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "score",
        r.anomalies.iter().map(|a| a.score).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "step",
        r.anomalies.iter().map(|a| a.step).collect::<Vec<_>>(),
    )?;
    d.set_item("n_anomalies", r.n_anomalies)?;
    d.set_item("statistics", r.statistics.clone())?;
    d.set_item("critical_values", r.critical_values.clone())?;
    d.set_item("removed", r.removed.clone())?;
    Ok(d)
}

/// The generalized ESD test, as a dict (anomaly columns and the per-step statistics).
#[pyfunction]
#[pyo3(signature = (x, max_anoms=0.1, alpha=0.05, direction="both"))]
fn anomaly_esd<'py>(
    py: Python<'py>,
    x: &[u8],
    max_anoms: f64,
    alpha: f64,
    direction: &str,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let spec = Esd::new()
            .max_anoms(max_anoms)
            .alpha(alpha)
            .direction(self::direction(direction)?);
        let x = core(f64s("x", x))?;
        let r = core(py.detach(|| spec.detect(&x)))?;
        esd_dict(py, &r)
    })
}

/// The seasonal hybrid ESD test: the ESD dict plus `seasonal`, `median`, `resid`.
#[pyfunction]
#[pyo3(signature = (x, period, max_anoms=0.1, alpha=0.05, direction="both"))]
fn anomaly_seasonal_esd<'py>(
    py: Python<'py>,
    x: &[u8],
    period: i64,
    max_anoms: f64,
    alpha: f64,
    direction: &str,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let spec = SeasonalEsd::new(core(count("period", period, 0))?)
            .max_anoms(max_anoms)
            .alpha(alpha)
            .direction(self::direction(direction)?);
        let x = core(f64s("x", x))?;
        let r = core(py.detach(|| spec.detect(&x)))?;
        let d = esd_dict(py, &r.esd)?;
        d.set_item("seasonal", f64_bytes(py, &r.seasonal))?;
        d.set_item("median", r.median)?;
        d.set_item("resid", f64_bytes(py, &r.resid))?;
        Ok(d)
    })
}

/// Residual alerts as columns (`index`, `actual`, ..., `direction`, `reason`).
pub(crate) fn alert_columns<'py>(
    py: Python<'py>,
    a: &[ResidualAlert],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("index", a.iter().map(|x| x.index).collect::<Vec<_>>())?;
    d.set_item("actual", a.iter().map(|x| x.actual).collect::<Vec<_>>())?;
    d.set_item("expected", a.iter().map(|x| x.expected).collect::<Vec<_>>())?;
    d.set_item("lower", a.iter().map(|x| x.lower).collect::<Vec<_>>())?;
    d.set_item("upper", a.iter().map(|x| x.upper).collect::<Vec<_>>())?;
    d.set_item("level", a.iter().map(|x| x.level).collect::<Vec<_>>())?;
    d.set_item("score", a.iter().map(|x| x.score).collect::<Vec<_>>())?;
    d.set_item(
        "direction",
        a.iter().map(|x| x.direction.as_str()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "reason",
        a.iter().map(|x| x.reason.as_str()).collect::<Vec<_>>(),
    )?;
    Ok(d)
}

/// Actuals outside `[lower, upper]`, as columns.
#[pyfunction]
#[pyo3(signature = (actual, expected, lower, upper, level=95.0))]
fn anomaly_residual_alerts<'py>(
    py: Python<'py>,
    actual: &[u8],
    expected: &[u8],
    lower: &[u8],
    upper: &[u8],
    level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let a = core(f64s("actual", actual))?;
        let e = core(f64s("expected", expected))?;
        let lo = core(f64s("lower", lower))?;
        let hi = core(f64s("upper", upper))?;
        let r = core(py.detach(|| residual_alerts(&a, &e, &lo, &hi, level)))?;
        alert_columns(py, &r)
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFittedIsolationForest>()?;
    m.add_function(wrap_pyfunction!(isolation_forest_fit, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly_average_path_length, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly_mad, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly_mad_outliers, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly_hampel, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly_esd, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly_seasonal_esd, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly_residual_alerts, m)?)?;
    Ok(())
}
