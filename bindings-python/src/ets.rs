//! `channelwise.forecast` ETS: one model (`Ets`) or the automatic choice (`AutoEts`), fitted
//! into `FittedEts`. The series arrives as native-endian float64 bytes; component letters and the
//! criterion as strings, parsed here into the core's enums (a bad letter is
//! `InvalidParameterError` naming the field).

use channelwise::forecast::ets::{
    AutoEts, ErrorType, Ets, FittedEts, InformationCriterion, SeasonType, TrendType,
};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::attribution::{count, f64_bytes};
use crate::columns::{f64s, from_json, to_json};
use crate::error::{core, guard};

fn bad(field: &str, value: &str, reason: &str) -> PyErr {
    crate::error::PyChannelwiseError(Error::InvalidParameter {
        field: field.into(),
        value: format!("{value:?}"),
        reason: reason.into(),
    })
    .into()
}

fn error_type(s: &str) -> PyResult<ErrorType> {
    match s {
        "A" => Ok(ErrorType::Additive),
        "M" => Ok(ErrorType::Multiplicative),
        other => Err(bad("error", other, "expected \"A\" or \"M\"")),
    }
}

fn trend_type(s: &str, damped: bool) -> PyResult<TrendType> {
    match (s, damped) {
        ("N", false) => Ok(TrendType::None),
        ("N", true) => Err(bad("damped", "True", "a damped trend needs trend=\"A\"")),
        ("A", false) => Ok(TrendType::Additive),
        ("A", true) | ("Ad", _) => Ok(TrendType::AdditiveDamped),
        (other, _) => Err(bad(
            "trend",
            other,
            "expected \"N\" or \"A\" (multiplicative trends are not supported)",
        )),
    }
}

fn season_type(s: &str) -> PyResult<SeasonType> {
    match s {
        "N" => Ok(SeasonType::None),
        "A" => Ok(SeasonType::Additive),
        "M" => Ok(SeasonType::Multiplicative),
        other => Err(bad("season", other, "expected \"N\", \"A\" or \"M\"")),
    }
}

fn criterion(s: &str) -> PyResult<InformationCriterion> {
    match s {
        "aic" => Ok(InformationCriterion::Aic),
        "aicc" => Ok(InformationCriterion::Aicc),
        "bic" => Ok(InformationCriterion::Bic),
        other => Err(bad("ic", other, "expected \"aic\", \"aicc\" or \"bic\"")),
    }
}

fn seed(value: i64) -> PyResult<u64> {
    Ok(core(count("seed", value, 0))? as u64)
}

/// Fits one ETS model with the given components.
#[pyfunction]
#[pyo3(signature = (y, error="A", trend="N", damped=false, season="N", season_length=1, seed=0))]
#[allow(clippy::too_many_arguments)]
fn ets_fit(
    py: Python<'_>,
    y: &[u8],
    error: &str,
    trend: &str,
    damped: bool,
    season: &str,
    season_length: i64,
    seed: i64,
) -> PyResult<PyFittedEts> {
    guard(|| {
        let spec = Ets::new(
            error_type(error)?,
            trend_type(trend, damped)?,
            season_type(season)?,
        )
        .season_length(core(count("season_length", season_length, 0))?)
        .seed(self::seed(seed)?);
        let y = core(f64s("y", y))?;
        let fit = core(py.detach(|| spec.fit(&y)))?;
        Ok(PyFittedEts { fit })
    })
}

/// Fits every admissible ETS candidate and keeps the best by the information criterion.
#[pyfunction]
#[pyo3(signature = (y, season_length=1, model="ZZZ", damped=None, restrict=true, ic="aicc", seed=0))]
#[allow(clippy::too_many_arguments)]
fn auto_ets_fit(
    py: Python<'_>,
    y: &[u8],
    season_length: i64,
    model: &str,
    damped: Option<bool>,
    restrict: bool,
    ic: &str,
    seed: i64,
) -> PyResult<PyFittedEts> {
    guard(|| {
        let spec = auto_spec(season_length, model, damped, restrict, ic, seed)?;
        let y = core(f64s("y", y))?;
        let fit = core(py.detach(|| spec.fit(&y)))?;
        Ok(PyFittedEts { fit })
    })
}

/// The AutoETS spec of the Python arguments (shared by `fit` and `fit_many`).
fn auto_spec(
    season_length: i64,
    model: &str,
    damped: Option<bool>,
    restrict: bool,
    ic: &str,
    seed: i64,
) -> PyResult<AutoEts> {
    Ok(
        AutoEts::new(core(count("season_length", season_length, 0))?)
            .model(model)
            .damped(damped)
            .restrict(restrict)
            .ic(criterion(ic)?)
            .seed(self::seed(seed)?),
    )
}

/// Fits many series with one AutoETS spec, in parallel over series: one item per series, its
/// `FittedEts` or the exception its fit raised (a bad spec raises for the call). `progress(done,
/// total)` is called as series finish; Ctrl-C stops the work (see `progress.rs`).
#[pyfunction]
#[pyo3(signature = (ys, season_length=1, model="ZZZ", damped=None, restrict=true, ic="aicc", seed=0, progress=None))]
#[allow(clippy::too_many_arguments)]
fn auto_ets_fit_many<'py>(
    py: Python<'py>,
    ys: Vec<Bound<'py, PyBytes>>,
    season_length: i64,
    model: &str,
    damped: Option<bool>,
    restrict: bool,
    ic: &str,
    seed: i64,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    guard(|| {
        let spec = auto_spec(season_length, model, damped, restrict, ic, seed)?;
        let series: Vec<Vec<f64>> = ys
            .iter()
            .enumerate()
            .map(|(i, y)| core(f64s(&format!("ys[{i}]"), y.as_bytes())))
            .collect::<PyResult<_>>()?;
        let fits = crate::progress::run(py, progress, |m| spec.fit_many_with_progress(&series, m))?;
        fits.into_iter()
            .map(|f| match f {
                Ok(fit) => Ok(Bound::new(py, PyFittedEts { fit })?.into_any()),
                Err(e) => {
                    let err = PyErr::from(crate::error::PyChannelwiseError(e));
                    Ok(err.into_value(py).into_bound(py).into_any())
                }
            })
            .collect()
    })
}

/// A fitted ETS model (the core's `FittedEts`).
#[pyclass(frozen, name = "FittedEts", module = "channelwise._channelwise")]
pub(crate) struct PyFittedEts {
    fit: FittedEts,
}

/// `(mean, levels, lower per level, upper per level, simulated)`, series as float64 bytes.
type Forecast<'py> = (
    Bound<'py, PyBytes>,
    Vec<f64>,
    Vec<Bound<'py, PyBytes>>,
    Vec<Bound<'py, PyBytes>>,
    bool,
);

#[pymethods]
impl PyFittedEts {
    /// The model's name, e.g. `"ETS(M,Ad,M)"`.
    #[getter]
    fn model(&self) -> String {
        self.fit.model()
    }

    #[getter]
    fn season_length(&self) -> usize {
        self.fit.season_length()
    }

    #[getter]
    fn seasonal_states_fixed(&self) -> bool {
        self.fit.seasonal_states_fixed()
    }

    #[getter]
    fn loglik(&self) -> f64 {
        self.fit.log_likelihood()
    }

    #[getter]
    fn aic(&self) -> f64 {
        self.fit.aic()
    }

    #[getter]
    fn aicc(&self) -> f64 {
        self.fit.aicc()
    }

    #[getter]
    fn bic(&self) -> f64 {
        self.fit.bic()
    }

    #[getter]
    fn sigma2(&self) -> f64 {
        self.fit.sigma2()
    }

    #[getter]
    fn n_params(&self) -> usize {
        self.fit.n_params()
    }

    /// Smoothing parameters and initial states; `None` for an absent component.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let p = self.fit.params();
        let d = PyDict::new(py);
        d.set_item("alpha", p.alpha)?;
        d.set_item("beta", p.beta)?;
        d.set_item("gamma", p.gamma)?;
        d.set_item("phi", p.phi)?;
        d.set_item("initial_level", p.initial_level)?;
        d.set_item("initial_trend", p.initial_trend)?;
        d.set_item("initial_seasonal", p.initial_seasonal.clone())?;
        Ok(d)
    }

    /// One-step-ahead in-sample forecasts, float64 bytes.
    #[getter]
    fn fitted<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        f64_bytes(py, self.fit.fitted())
    }

    /// `y - fitted`, float64 bytes.
    #[getter]
    fn residuals<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        f64_bytes(py, &self.fit.residuals())
    }

    /// The model's innovations (relative errors for multiplicative errors), float64 bytes.
    #[getter]
    fn innovations<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        f64_bytes(py, self.fit.innovations())
    }

    /// Point forecasts and intervals at each level (percent).
    fn forecast<'py>(&self, py: Python<'py>, h: i64, levels: Vec<f64>) -> PyResult<Forecast<'py>> {
        guard(|| {
            let h = core(count("h", h, 0))?;
            let f = core(py.detach(|| self.fit.forecast(h, &levels)))?;
            Ok((
                f64_bytes(py, &f.mean),
                f.levels,
                f.lower.iter().map(|l| f64_bytes(py, l)).collect(),
                f.upper.iter().map(|u| f64_bytes(py, u)).collect(),
                f.simulated,
            ))
        })
    }

    /// In-sample points outside the one-step-ahead interval at `level`, as columns.
    fn alerts<'py>(&self, py: Python<'py>, level: f64) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let a = core(self.fit.alerts(level))?;
            crate::anomaly::alert_columns(py, &a)
        })
    }

    /// The fitted model as JSON (spec, parameters, states and in-sample fit; bit-identical
    /// numbers on load, no refit).
    fn to_json(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.fit)))
    }

    /// Restores a model written by `to_json`; the core checks it, so a damaged document is an
    /// `InvalidParameterError`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(|| {
            Ok(PyFittedEts {
                fit: core(from_json(py, text))?,
            })
        })
    }

    fn __str__(&self) -> String {
        self.fit.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<FittedEts {}>", self.fit)
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFittedEts>()?;
    m.add_function(wrap_pyfunction!(ets_fit, m)?)?;
    m.add_function(wrap_pyfunction!(auto_ets_fit, m)?)?;
    m.add_function(wrap_pyfunction!(auto_ets_fit_many, m)?)?;
    Ok(())
}
