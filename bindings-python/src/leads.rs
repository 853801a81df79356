//! `cw.leads`: rule-based lead scores, funnels, cohort tables, lifecycle stages, journey health
//! and the predictive lead score (the core's `leads`). Settings and results cross as JSON (the
//! core's serde shapes); the event log as columns; feature matrices as flat row-major float64
//! bytes in the model's column order.

use channelwise::leads::cohort::Cohorts;
use channelwise::leads::funnel::Funnel;
use channelwise::leads::health::Health;
use channelwise::leads::lifecycle::{Lifecycle, StageMachine, TimeInStage};
use channelwise::leads::predictive::{FittedLogisticScore, LogisticScore};
use channelwise::leads::scoring::{self, Attributes, ScoringConfig};
use channelwise::leads::EventLog;
use channelwise::stats::classification::{self, Reliability};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::attribution::f64_bytes;
use crate::columns::{f64s, from_json, to_json};
use crate::error::{core, guard};

/// `(n_leads, event_types, lead, timestamp (unix seconds), event_type, value)`.
type LogIn = (
    usize,
    Vec<String>,
    Vec<u32>,
    Vec<i64>,
    Vec<u32>,
    Option<Vec<f64>>,
);

fn settings<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> PyResult<T> {
    core(
        serde_json::from_str(text).map_err(|e| Error::InvalidParameter {
            field: field.into(),
            value: text.chars().take(60).collect(),
            reason: e.to_string(),
        }),
    )
}

fn log(l: &LogIn) -> PyResult<EventLog<'_>> {
    core(EventLog::new(
        l.0,
        l.1.clone(),
        &l.2,
        &l.3,
        &l.4,
        l.5.as_deref(),
    ))
}

/// A funnel over the log (settings: the core's `Funnel` JSON); its `FunnelResult` as JSON.
#[pyfunction]
fn leads_funnel(py: Python<'_>, events: LogIn, funnel: &str) -> PyResult<String> {
    guard(|| {
        let f: Funnel = settings("funnel", funnel)?;
        let l = log(&events)?;
        let r = core(py.detach(|| f.run(&l)))?;
        core(to_json(&r))
    })
}

/// Cohort tables over the log (settings: the core's `Cohorts` JSON); the `CohortTable` as JSON.
#[pyfunction]
fn leads_cohorts(py: Python<'_>, events: LogIn, cohorts: &str) -> PyResult<String> {
    guard(|| {
        let c: Cohorts = settings("cohorts", cohorts)?;
        let l = log(&events)?;
        let t = core(py.detach(|| c.run(&l)))?;
        core(to_json(&t))
    })
}

/// Scores of every lead (settings: the core's `ScoringConfig` JSON); the `Scores` as JSON.
#[pyfunction]
#[pyo3(signature = (events, config, numeric, categorical, as_of))]
fn leads_score(
    py: Python<'_>,
    events: LogIn,
    config: &str,
    numeric: Vec<(String, Vec<f64>)>,
    categorical: Vec<(String, Vec<String>)>,
    as_of: i64,
) -> PyResult<String> {
    guard(|| {
        let cfg: ScoringConfig = settings("config", config)?;
        let mut attrs = Attributes::new(events.0);
        for (name, v) in numeric {
            attrs = core(attrs.numeric(name, v))?;
        }
        for (name, v) in categorical {
            attrs = core(attrs.categorical(name, &v))?;
        }
        let l = log(&events)?;
        let s = core(py.detach(|| scoring::score(&cfg, &attrs, &l, as_of)))?;
        core(to_json(&s))
    })
}

/// What `leads_lifecycle` returns.
#[derive(serde::Serialize)]
struct LifecycleOut {
    lifecycle: Lifecycle,
    time_in_stage: TimeInStage,
    as_of: i64,
}

/// Replays stage transitions (`(n_leads, lead, timestamp, stage, reason)`) through the machine
/// (the core's `StageConfig` JSON) and measures time in stage as of `as_of` (default: the latest
/// transition); `{"lifecycle": Lifecycle, "time_in_stage": TimeInStage, "as_of": ...}` as JSON.
#[pyfunction]
#[pyo3(signature = (n_leads, lead, timestamp, stage, reason, machine, as_of=None))]
#[allow(clippy::too_many_arguments)]
fn leads_lifecycle(
    py: Python<'_>,
    n_leads: usize,
    lead: Vec<u32>,
    timestamp: Vec<i64>,
    stage: Vec<String>,
    reason: Option<Vec<String>>,
    machine: &str,
    as_of: Option<i64>,
) -> PyResult<String> {
    guard(|| {
        let m: StageMachine = settings("stages", machine)?;
        let out = core(py.detach(|| {
            let h = m.replay(n_leads, &lead, &timestamp, &stage, reason.as_deref())?;
            let as_of = as_of
                .or_else(|| timestamp.iter().copied().max())
                .unwrap_or(0);
            let time_in_stage = h.time_in_stage(as_of)?;
            Ok::<_, Error>(LifecycleOut {
                lifecycle: h,
                time_in_stage,
                as_of,
            })
        }))?;
        core(to_json(&out))
    })
}

/// Journey health of every lead as of `as_of` (settings: the core's `Health` JSON; `p_alive` one
/// per lead, NaN for none); the `HealthReport` as JSON.
#[pyfunction]
#[pyo3(signature = (events, health, as_of, p_alive=None))]
fn leads_health(
    py: Python<'_>,
    events: LogIn,
    health: &str,
    as_of: i64,
    p_alive: Option<Vec<f64>>,
) -> PyResult<String> {
    guard(|| {
        let h: Health = settings("health", health)?;
        let l = log(&events)?;
        let r = core(py.detach(|| h.run(&l, as_of, p_alive.as_deref())))?;
        core(to_json(&r))
    })
}

/// A fitted predictive lead score (the core's `FittedLogisticScore`).
#[pyclass(
    frozen,
    name = "FittedLogisticScore",
    module = "channelwise._channelwise"
)]
pub(crate) struct PyFittedLogisticScore {
    m: FittedLogisticScore,
}

#[pymethods]
impl PyFittedLogisticScore {
    /// The core's serde form (feature names, coefficients, intercept, reference, calibrator).
    fn to_json(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.m)))
    }

    /// Restores a model from [`Self::to_json`]'s text; a damaged document is an
    /// `InvalidParameterError` naming `json`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(|| {
            Ok(PyFittedLogisticScore {
                m: core(from_json(py, text))?,
            })
        })
    }

    /// The logit of each row of `x` (flat row-major bytes, the fit's columns).
    fn decision<'py>(&self, py: Python<'py>, x: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        guard(|| {
            let x = core(f64s("features", x))?;
            let z = core(py.detach(|| self.m.decision(&x)))?;
            Ok(f64_bytes(py, &z))
        })
    }

    /// The calibrated `P(conversion)` of each row of `x`.
    fn predict_proba<'py>(&self, py: Python<'py>, x: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        guard(|| {
            let x = core(f64s("features", x))?;
            let p = core(py.detach(|| self.m.predict_proba(&x)))?;
            Ok(f64_bytes(py, &p))
        })
    }

    /// `(base_logit, contributions (row-major n x k bytes), logits)` of the rows of `x`.
    fn contributions<'py>(
        &self,
        py: Python<'py>,
        x: &[u8],
    ) -> PyResult<(f64, Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        guard(|| {
            let x = core(f64s("features", x))?;
            let c = core(py.detach(|| self.m.contributions(&x)))?;
            Ok((
                c.base_logit,
                f64_bytes(py, &c.values),
                f64_bytes(py, &c.logit),
            ))
        })
    }

    /// The core's `Evaluation` of rows `x` against labels `y` as JSON (`reliability`: the
    /// core's `Reliability` JSON).
    fn evaluate(&self, py: Python<'_>, x: &[u8], y: &[u8], reliability: &str) -> PyResult<String> {
        guard(|| {
            let rel: Reliability = settings("reliability", reliability)?;
            let x = core(f64s("features", x))?;
            let y = core(f64s("y", y))?;
            let e = core(py.detach(|| self.m.evaluate(&x, &y, &rel)))?;
            core(to_json(&e))
        })
    }
}

/// Fits a predictive lead score (settings: the core's `LogisticScore` JSON) to `x` (flat
/// row-major bytes, one column per name) and labels `y`, calibrating on `calibration` rows
/// `(x, y)` when given, else on the training rows.
#[pyfunction]
#[pyo3(signature = (x, feature_names, y, score, calibration=None))]
fn leads_logistic_score_fit(
    py: Python<'_>,
    x: &[u8],
    feature_names: Vec<String>,
    y: &[u8],
    score: &str,
    calibration: Option<(Vec<u8>, Vec<u8>)>,
) -> PyResult<PyFittedLogisticScore> {
    guard(|| {
        let spec: LogisticScore = settings("score", score)?;
        let x = core(f64s("features", x))?;
        let y = core(f64s("y", y))?;
        let m = match calibration {
            Some((xc, yc)) => {
                let xc = core(f64s("calibration.features", &xc))?;
                let yc = core(f64s("calibration.y", &yc))?;
                core(py.detach(|| spec.fit_calibrated(&x, &feature_names, &y, &xc, &yc)))?
            }
            None => core(py.detach(|| spec.fit(&x, &feature_names, &y)))?,
        };
        Ok(PyFittedLogisticScore { m })
    })
}

/// AUC, log-loss, Brier score and reliability table (the core's `Reliability` JSON) of
/// probabilities `proba` against labels `y`, as JSON.
#[pyfunction]
fn leads_metrics(py: Python<'_>, y: &[u8], proba: &[u8], reliability: &str) -> PyResult<String> {
    guard(|| {
        let rel: Reliability = settings("reliability", reliability)?;
        let y = core(f64s("y", y))?;
        let p = core(f64s("proba", proba))?;
        let out = core(py.detach(|| -> channelwise::Result<serde_json::Value> {
            Ok(serde_json::json!({
                "n": y.len(),
                "positives": y.iter().filter(|&&v| v == 1.0).count(),
                "auc": classification::auc(&y, &p)?,
                "log_loss": classification::log_loss(&y, &p)?,
                "brier": classification::brier(&y, &p)?,
                "reliability": rel.table(&y, &p)?,
            }))
        }))?;
        core(to_json(&out))
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFittedLogisticScore>()?;
    m.add_function(wrap_pyfunction!(leads_logistic_score_fit, m)?)?;
    m.add_function(wrap_pyfunction!(leads_metrics, m)?)?;
    m.add_function(wrap_pyfunction!(leads_funnel, m)?)?;
    m.add_function(wrap_pyfunction!(leads_cohorts, m)?)?;
    m.add_function(wrap_pyfunction!(leads_score, m)?)?;
    m.add_function(wrap_pyfunction!(leads_lifecycle, m)?)?;
    m.add_function(wrap_pyfunction!(leads_health, m)?)?;
    Ok(())
}
