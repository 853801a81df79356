//! `channelwise.glm` and the bid model of `channelwise.optimize`: the regularised logistic
//! regression (`glm_logistic_fit` -> `FittedLogistic`) and bids from P(conversion | context)
//! (`optimize_bids_fit` -> `FittedBids`). Matrices arrive as flat row-major float64 bytes with
//! their column count; cells as `(context, clicks, conversions, value)` tuples. Bids go back
//! as dicts; the Python layer names the columns.

use channelwise::glm::logistic::{FittedLogistic, LogisticRegression, Penalty};
use channelwise::optimize::bids::{Bid, BidModel, Cell, FittedBids, Limit, Target};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::attribution::f64_bytes;
use crate::columns::{f64s, from_json, to_json};
use crate::error::{core, guard};

/// A fitted logistic regression (the core's `FittedLogistic`).
#[pyclass(frozen, name = "FittedLogistic", module = "channelwise._channelwise")]
pub(crate) struct PyFittedLogistic {
    m: FittedLogistic,
}

#[pymethods]
impl PyFittedLogistic {
    /// The coefficients (float64 bytes).
    fn coef<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        f64_bytes(py, self.m.coef())
    }

    #[getter]
    fn intercept(&self) -> f64 {
        self.m.intercept()
    }

    #[getter]
    fn iterations(&self) -> usize {
        self.m.iterations()
    }

    /// The names of the features (a frame's columns), or `None`.
    #[getter]
    fn feature_names(&self) -> Option<Vec<String>> {
        self.m.feature_names().map(<[String]>::to_vec)
    }

    /// The model with its features' names, which its JSON keeps.
    fn with_feature_names(&self, names: Vec<String>) -> PyResult<Self> {
        guard(|| Ok(PyFittedLogistic { m: core(self.m.clone().with_feature_names(names))? }))
    }

    /// `P(y = 1)` per row of `x` (flat row-major bytes, `k` columns).
    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        x: &[u8],
        k: usize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        guard(|| {
            let x = core(f64s("x", x))?;
            let p = core(py.detach(|| self.m.predict_proba(&x, k)))?;
            Ok(f64_bytes(py, &p))
        })
    }

    /// The core's serde form (coefficients, intercept, iterations, gradient norm, and the
    /// feature names when it has them).
    fn to_json(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.m)))
    }

    /// Restores a regression from [`Self::to_json`]'s text; a damaged document is an
    /// `InvalidParameterError` naming `json`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(|| {
            Ok(PyFittedLogistic {
                m: core(from_json(py, text))?,
            })
        })
    }
}

/// Fits a logistic regression; `penalty` is `"l2"`, `"l1"`, `"elasticnet"` (with `l1_ratio`)
/// or `None`.
#[pyfunction]
#[pyo3(signature = (x, k, y, sample_weight, c, penalty, fit_intercept, l1_ratio=None))]
#[allow(clippy::too_many_arguments)]
fn glm_logistic_fit(
    py: Python<'_>,
    x: &[u8],
    k: usize,
    y: &[u8],
    sample_weight: Option<&[u8]>,
    c: f64,
    penalty: Option<&str>,
    fit_intercept: bool,
    l1_ratio: Option<f64>,
) -> PyResult<PyFittedLogistic> {
    guard(|| {
        let penalty = match penalty {
            None => Penalty::None,
            Some("l2") => Penalty::L2,
            Some("l1") => Penalty::L1,
            Some("elasticnet") => match l1_ratio {
                Some(l1_ratio) => Penalty::ElasticNet { l1_ratio },
                None => {
                    return core(Err(Error::InvalidParameter {
                        field: "l1_ratio".into(),
                        value: "None".into(),
                        reason: "penalty=\"elasticnet\" needs l1_ratio in [0, 1]".into(),
                    }))
                }
            },
            Some(other) => {
                return core(Err(Error::InvalidParameter {
                    field: "penalty".into(),
                    value: other.into(),
                    reason: "expected \"l2\", \"l1\", \"elasticnet\" or None".into(),
                }))
            }
        };
        let x = core(f64s("x", x))?;
        let y = core(f64s("y", y))?;
        let w = match sample_weight {
            Some(b) => Some(core(f64s("sample_weight", b))?),
            None => None,
        };
        let spec = LogisticRegression::default()
            .c(c)
            .penalty(penalty)
            .fit_intercept(fit_intercept);
        let m = core(py.detach(|| spec.fit(&x, k, &y, w.as_deref())))?;
        Ok(PyFittedLogistic { m })
    })
}

/// A fitted bid model (the core's `FittedBids`).
#[pyclass(frozen, name = "FittedBids", module = "channelwise._channelwise")]
pub(crate) struct PyFittedBids {
    pub(crate) m: FittedBids,
}

fn limit_name(l: Limit) -> &'static str {
    match l {
        Limit::None => "none",
        Limit::Floor => "floor",
        Limit::Cap => "cap",
        Limit::MaxChange => "max_change",
    }
}

fn bid_dict<'py>(py: Python<'py>, b: &Bid) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("bid", b.bid)?;
    d.set_item("unclamped", b.unclamped)?;
    d.set_item("probability", b.probability)?;
    d.set_item("base_probability", b.base_probability)?;
    d.set_item("value_per_conversion", b.value_per_conversion)?;
    let mut factors = Vec::with_capacity(b.factors.len());
    for f in &b.factors {
        let fd = PyDict::new(py);
        fd.set_item("factor", &f.factor)?;
        fd.set_item("level", &f.level)?;
        fd.set_item("multiplier", f.multiplier)?;
        fd.set_item("clicks", f.clicks)?;
        factors.push(fd);
    }
    d.set_item("factors", factors)?;
    d.set_item("limited_by", limit_name(b.limited_by))?;
    d.set_item("explanation", &b.explanation)?;
    Ok(d)
}

#[pymethods]
impl PyFittedBids {
    /// Every level's multiplier: `(factor, level, multiplier, clicks, conversions)` rows.
    fn multipliers(&self) -> Vec<(String, String, f64, f64, f64)> {
        self.m
            .multipliers()
            .into_iter()
            .map(|l| (l.factor, l.level, l.multiplier, l.clicks, l.conversions))
            .collect()
    }

    /// The bid for one context, as a dict.
    #[pyo3(signature = (context, current=None))]
    fn bid<'py>(
        &self,
        py: Python<'py>,
        context: Vec<String>,
        current: Option<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let ctx: Vec<&str> = context.iter().map(String::as_str).collect();
            let b = core(self.m.bid(&ctx, current))?;
            bid_dict(py, &b)
        })
    }

    /// The core's serde form (the settings, each factor's levels, intercept, value per
    /// conversion; an infinite cap is written `null`).
    fn to_json(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.m)))
    }

    /// Restores a bid model from [`Self::to_json`]'s text; a damaged document is an
    /// `InvalidParameterError` naming `json`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(|| {
            Ok(PyFittedBids {
                m: core(from_json(py, text))?,
            })
        })
    }
}

/// Fits the bid model: `target` is `("roas" | "cpa", value)`, cells `(context, clicks,
/// conversions, value)`.
#[pyfunction]
#[pyo3(signature = (factors, target, cells, c, floor, cap, max_change))]
#[allow(clippy::too_many_arguments)]
fn optimize_bids_fit(
    py: Python<'_>,
    factors: Vec<String>,
    target: (String, f64),
    cells: Vec<(Vec<String>, f64, f64, f64)>,
    c: f64,
    floor: f64,
    cap: f64,
    max_change: Option<f64>,
) -> PyResult<PyFittedBids> {
    guard(|| {
        let target = match target.0.as_str() {
            "roas" => Target::Roas(target.1),
            "cpa" => Target::Cpa(target.1),
            other => {
                return core(Err(Error::InvalidParameter {
                    field: "target".into(),
                    value: other.into(),
                    reason: "expected (\"roas\", value) or (\"cpa\", value)".into(),
                }))
            }
        };
        let names: Vec<&str> = factors.iter().map(String::as_str).collect();
        let mut spec = BidModel::new(&names, target).c(c).floor(floor).cap(cap);
        if let Some(m) = max_change {
            spec = spec.max_change(m);
        }
        let cells: Vec<Cell> = cells
            .into_iter()
            .map(|(context, clicks, conversions, value)| Cell {
                context,
                clicks,
                conversions,
                value,
            })
            .collect();
        let m = core(py.detach(|| spec.fit(&cells)))?;
        Ok(PyFittedBids { m })
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFittedLogistic>()?;
    m.add_class::<PyFittedBids>()?;
    m.add_function(wrap_pyfunction!(glm_logistic_fit, m)?)?;
    m.add_function(wrap_pyfunction!(optimize_bids_fit, m)?)?;
    Ok(())
}
