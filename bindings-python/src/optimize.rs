//! `channelwise.optimize`: response curves (`Saturation`, `Adstock`) and the media mix model
//! (`optimize_mmm_fit` -> `FittedMmm`). Series arrive as native-endian float64 bytes, kinds as
//! strings handed to the core unparsed (an unknown kind is the core's `InvalidParameterError`),
//! priors as `(name, dist, parameters in order)` (the Python layer turns its tuple and dict forms
//! into that; the core checks the values, so NaN is its `NonFiniteError` naming
//! `priors.<name>.<parameter>`). Results go back as bytes and plain tuples; the Python layer
//! names the columns. The budget allocator (`optimize_allocate`) takes each channel as
//! `(name, kind, parameters in order, lower, upper, current, locked)`, the scenario as
//! `(kind, value)`, the move limit as `(kind, value)`, and gives back plain rows, totals and
//! the certificate as a dict.

use channelwise::optimize::budget::{
    Allocate, Allocation, Bound as Hit, ChannelBudget, MaxChange, Scenario,
};
use channelwise::optimize::mmm::{
    Contributions, Estimate, FittedMmm, Mmm, MmmData, Prior, Uncertainty,
};
use channelwise::optimize::response::{Adstock, Saturation};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::attribution::{count, f64_bytes};
use crate::columns::{f64s, from_json, to_json};
use crate::error::{core, guard};

/// A response curve (the core's `Saturation`).
#[pyclass(frozen, name = "Saturation", module = "channelwise._channelwise")]
pub(crate) struct PySaturation {
    s: Saturation,
}

#[pymethods]
impl PySaturation {
    /// A curve of kind `kind` from its parameters in the order of `kind_params(kind)`.
    #[new]
    fn new(kind: &str, params: Vec<f64>) -> PyResult<Self> {
        guard(|| {
            Ok(PySaturation {
                s: core(Saturation::from_params(kind, &params))?,
            })
        })
    }

    /// Robyn's `saturation_hill(alpha, gamma)` over the spend series `x` (float64 bytes).
    #[staticmethod]
    fn robyn_hill(alpha: f64, gamma: f64, x: &[u8]) -> PyResult<Self> {
        guard(|| {
            let x = core(f64s("x", x))?;
            Ok(PySaturation {
                s: core(Saturation::robyn_hill(alpha, gamma, &x))?,
            })
        })
    }

    /// The parameter names of a kind, in order; `None` for an unknown kind.
    #[staticmethod]
    fn kind_params(kind: &str) -> Option<Vec<&'static str>> {
        Saturation::kind_params(kind).map(<[_]>::to_vec)
    }

    #[getter]
    fn kind(&self) -> &'static str {
        self.s.kind()
    }

    #[getter]
    fn param_names(&self) -> Vec<&'static str> {
        self.s.param_names().to_vec()
    }

    #[getter]
    fn params(&self) -> Vec<f64> {
        self.s.params()
    }

    #[getter]
    fn is_s_shaped(&self) -> bool {
        self.s.is_s_shaped()
    }

    #[getter]
    fn inflection(&self) -> f64 {
        self.s.inflection()
    }

    #[getter]
    fn max_marginal(&self) -> f64 {
        self.s.max_marginal()
    }

    /// The response at each spend in `x` (float64 bytes in and out).
    fn values<'py>(&self, py: Python<'py>, x: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        guard(|| Ok(f64_bytes(py, &core(self.s.values(&core(f64s("x", x))?))?)))
    }

    /// The marginal response at each spend in `x`.
    fn derivatives<'py>(&self, py: Python<'py>, x: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        guard(|| {
            Ok(f64_bytes(
                py,
                &core(self.s.derivatives(&core(f64s("x", x))?))?,
            ))
        })
    }

    /// The spend at which the marginal equals each `m`.
    fn inverse_marginals<'py>(&self, py: Python<'py>, m: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        guard(|| {
            let m = core(f64s("m", m))?;
            Ok(f64_bytes(py, &core(self.s.inverse_marginals(&m))?))
        })
    }
}

/// Carry-over weights (the core's `Adstock`).
#[pyclass(frozen, name = "Adstock", module = "channelwise._channelwise")]
pub(crate) struct PyAdstock {
    a: Adstock,
}

#[pymethods]
impl PyAdstock {
    /// An adstock of kind `kind` from its continuous parameters in the order of
    /// `kind_params(kind)`.
    #[new]
    fn new(kind: &str, params: Vec<f64>, l_max: i64, normalize: bool) -> PyResult<Self> {
        guard(|| {
            let l_max = core(count("adstock.l_max", l_max, 0))?;
            Ok(PyAdstock {
                a: core(Adstock::from_params(kind, &params, l_max, normalize))?,
            })
        })
    }

    /// The continuous parameter names of a kind, in order; `None` for an unknown kind.
    #[staticmethod]
    fn kind_params(kind: &str) -> Option<Vec<&'static str>> {
        Adstock::kind_params(kind).map(<[_]>::to_vec)
    }

    #[getter]
    fn kind(&self) -> &'static str {
        self.a.kind()
    }

    #[getter]
    fn param_names(&self) -> Vec<&'static str> {
        self.a.param_names().to_vec()
    }

    #[getter]
    fn params(&self) -> Vec<f64> {
        self.a.params()
    }

    #[getter]
    fn l_max(&self) -> usize {
        self.a.l_max()
    }

    #[getter]
    fn normalize(&self) -> bool {
        match self.a {
            Adstock::Geometric { normalize, .. }
            | Adstock::Delayed { normalize, .. }
            | Adstock::WeibullPdf { normalize, .. }
            | Adstock::WeibullCdf { normalize, .. } => normalize,
        }
    }

    /// The lag weights, float64 bytes.
    #[getter]
    fn weights<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        f64_bytes(py, &self.a.weights())
    }

    #[getter]
    fn gain(&self) -> f64 {
        self.a.gain()
    }

    /// The adstocked series of `x`, with `pre` the spend before the window (oldest first).
    fn apply<'py>(&self, py: Python<'py>, x: &[u8], pre: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        guard(|| {
            let (x, pre) = (core(f64s("x", x))?, core(f64s("pre", pre))?);
            Ok(f64_bytes(py, &core(self.a.apply(&x, &pre))?))
        })
    }
}

fn invalid(field: &str, value: &str, reason: String) -> PyErr {
    crate::error::PyChannelwiseError(Error::InvalidParameter {
        field: field.into(),
        value: value.into(),
        reason,
    })
    .into()
}

fn uncertainty(
    kind: Option<&str>,
    draws: i64,
    replicates: i64,
    block: Option<i64>,
) -> PyResult<Uncertainty> {
    Ok(match kind {
        None | Some("none") => Uncertainty::None,
        Some("laplace") => Uncertainty::Laplace {
            draws: core(count("draws", draws, 0))?,
        },
        Some("bootstrap") => Uncertainty::Bootstrap {
            replicates: core(count("replicates", replicates, 0))?,
            block: block.map(|b| core(count("block", b, 0))).transpose()?,
        },
        Some(other) => {
            return Err(invalid(
                "uncertainty",
                other,
                "expected \"laplace\", \"bootstrap\" or None".into(),
            ))
        }
    })
}

/// A prior from its distribution's name and parameters in order (`normal`: mu, sigma; ...).
fn prior(name: &str, dist: &str, p: &[f64]) -> PyResult<Prior> {
    Ok(match (dist, p) {
        ("flat", []) => Prior::Flat,
        ("normal", &[mu, sigma]) => Prior::Normal { mu, sigma },
        ("half_normal", &[sigma]) => Prior::HalfNormal { sigma },
        ("gamma", &[alpha, beta]) => Prior::Gamma { alpha, beta },
        ("beta", &[alpha, beta]) => Prior::Beta { alpha, beta },
        ("laplace", &[mu, b]) => Prior::Laplace { mu, b },
        _ => {
            return Err(invalid(
                &format!("priors.{name}"),
                &format!("{dist} with {} parameters", p.len()),
                "expected flat, normal(mu, sigma), half_normal(sigma), gamma(alpha, beta), beta(alpha, beta) or laplace(mu, b)".into(),
            ))
        }
    })
}

/// The training or prediction data: spend and controls in the fit's column order.
fn mmm_data(
    target: Vec<f64>,
    channels: &[String],
    spend: &[Bound<'_, PyBytes>],
    controls: &[String],
    control_values: &[Bound<'_, PyBytes>],
    days: Option<&[u8]>,
) -> PyResult<MmmData> {
    let mut data = MmmData::new(target);
    for (name, x) in channels.iter().zip(spend) {
        data = data.channel(name.clone(), core(f64s(name, x.as_bytes()))?);
    }
    for (name, z) in controls.iter().zip(control_values) {
        data = data.control(name.clone(), core(f64s(name, z.as_bytes()))?);
    }
    if let Some(d) = days {
        data = data.days(core(f64s("days", d))?);
    }
    Ok(data)
}

/// Fits the media mix model; `progress(done, total)` over starts and bootstrap replicates,
/// Ctrl-C stops it (see `progress.rs`).
#[pyfunction]
#[pyo3(signature = (target, channels, spend, controls, control_values, days=None, adstock="geometric",
    l_max=8, normalize=true, saturation="logistic", adstock_first=true, yearly_seasonality=0,
    period=None, trend=true, starts=4, uncertainty=Some("laplace"), draws=1000, replicates=200,
    block=None, level=0.9, holdout=0, priors=Vec::new(), seed=0, progress=None))]
#[allow(clippy::too_many_arguments)]
fn optimize_mmm_fit<'py>(
    py: Python<'py>,
    target: &[u8],
    channels: Vec<String>,
    spend: Vec<Bound<'py, PyBytes>>,
    controls: Vec<String>,
    control_values: Vec<Bound<'py, PyBytes>>,
    days: Option<&[u8]>,
    adstock: &str,
    l_max: i64,
    normalize: bool,
    saturation: &str,
    adstock_first: bool,
    yearly_seasonality: i64,
    period: Option<f64>,
    trend: bool,
    starts: i64,
    uncertainty: Option<&str>,
    draws: i64,
    replicates: i64,
    block: Option<i64>,
    level: f64,
    holdout: i64,
    priors: Vec<(String, String, Vec<f64>)>,
    seed: i64,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<PyFittedMmm> {
    guard(|| {
        let mut spec = Mmm::default()
            .adstock(adstock)
            .l_max(core(count("l_max", l_max, 0))?)
            .normalize(normalize)
            .saturation(saturation)
            .adstock_first(adstock_first)
            .yearly_seasonality(core(count("yearly_seasonality", yearly_seasonality, 0))?)
            .trend(trend)
            .starts(core(count("starts", starts, 0))?)
            .uncertainty(self::uncertainty(uncertainty, draws, replicates, block)?)
            .level(level)
            .holdout(core(count("holdout", holdout, 0))?)
            .seed(core(count("seed", seed, 0))? as u64);
        if let Some(p) = period {
            spec = spec.period(p);
        }
        for (name, dist, params) in &priors {
            spec = spec.prior(name, prior(name, dist, params)?);
        }
        let data = mmm_data(
            core(f64s("target", target))?,
            &channels,
            &spend,
            &controls,
            &control_values,
            days,
        )?;
        let fit = crate::progress::run(py, progress, |m| spec.fit_with_progress(&data, m))?;
        Ok(PyFittedMmm { fit })
    })
}

/// A fitted media mix model (the core's `FittedMmm`).
#[pyclass(frozen, name = "FittedMmm", module = "channelwise._channelwise")]
pub(crate) struct PyFittedMmm {
    pub(crate) fit: FittedMmm,
}

/// `(intercept, trend, seasonality, controls, channels, fitted)`, series as float64 bytes.
type Parts<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Vec<Bound<'py, PyBytes>>,
    Vec<Bound<'py, PyBytes>>,
    Bound<'py, PyBytes>,
);

fn parts<'py>(py: Python<'py>, c: &Contributions) -> Parts<'py> {
    (
        f64_bytes(py, &c.intercept),
        f64_bytes(py, &c.trend),
        f64_bytes(py, &c.seasonality),
        c.controls.iter().map(|v| f64_bytes(py, v)).collect(),
        c.channels.iter().map(|v| f64_bytes(py, v)).collect(),
        f64_bytes(py, &c.fitted),
    )
}

/// `(lo, hi)`: a float64 column per channel each.
type Bands<'py> = (Vec<Bound<'py, PyBytes>>, Vec<Bound<'py, PyBytes>>);

type Triple = (f64, f64, f64);

/// `(names, value, lo, hi)`, numbers as float64 bytes.
type ParamColumns<'py> = (
    Vec<String>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

fn triple(e: &Estimate) -> Triple {
    (e.value, e.lo, e.hi)
}

/// One summary row: `(channel, spend, contribution, share, roas, mroas, adstock parameters,
/// saturation parameters)`, each estimate `(value, lo, hi)`, parameters `None` for a channel
/// that never spends.
type SummaryRow = (
    String,
    f64,
    Triple,
    Triple,
    Triple,
    Triple,
    Option<Vec<f64>>,
    Option<Vec<f64>>,
);

/// One response curve: `(channel, response, lo, hi, marginal)`, float64 bytes.
type CurveRow<'py> = (
    String,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

#[pymethods]
impl PyFittedMmm {
    /// The specification as the core's JSON (kinds, `l_max`, `level`, priors, ...).
    #[getter]
    fn spec_json(&self) -> PyResult<String> {
        guard(|| core(to_json(self.fit.spec())))
    }

    #[getter]
    fn channels(&self) -> Vec<String> {
        self.fit.data().channels.clone()
    }

    #[getter]
    fn controls(&self) -> Vec<String> {
        self.fit.data().controls.clone()
    }

    /// Days since 1970-01-01 per training row (float64 bytes), `None` without a calendar.
    #[getter]
    fn days<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.fit.data().days.as_ref().map(|d| f64_bytes(py, d))
    }

    /// The training target, float64 bytes.
    #[getter]
    fn target<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        f64_bytes(py, &self.fit.data().target)
    }

    /// Training spend per channel, float64 bytes each.
    #[getter]
    fn spend<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyBytes>> {
        self.fit
            .data()
            .spend
            .iter()
            .map(|x| f64_bytes(py, x))
            .collect()
    }

    #[getter]
    fn n_draws(&self) -> usize {
        self.fit.draws().len()
    }

    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.fit.warnings().to_vec()
    }

    #[getter]
    fn diagnostics_json(&self) -> PyResult<String> {
        guard(|| core(to_json(self.fit.diagnostics())))
    }

    #[getter]
    fn convergence_json(&self) -> PyResult<String> {
        guard(|| core(to_json(self.fit.convergence())))
    }

    /// `(names, value, lo, hi)`, numbers as float64 bytes.
    fn params<'py>(&self, py: Python<'py>) -> PyResult<ParamColumns<'py>> {
        guard(|| {
            let p = py.detach(|| self.fit.params());
            let col =
                |f: fn(&Estimate) -> f64| f64_bytes(py, &p.iter().map(f).collect::<Vec<f64>>());
            Ok((
                self.fit.param_names().to_vec(),
                col(|e| e.value),
                col(|e| e.lo),
                col(|e| e.hi),
            ))
        })
    }

    /// A row per channel (see `SummaryRow`).
    fn summary(&self, py: Python<'_>) -> PyResult<Vec<SummaryRow>> {
        guard(|| {
            let rows = py.detach(|| self.fit.summary());
            Ok(rows
                .into_iter()
                .map(|r| {
                    (
                        r.channel,
                        r.spend,
                        triple(&r.contribution),
                        triple(&r.share),
                        triple(&r.roas),
                        triple(&r.mroas),
                        r.adstock.map(|a| a.params()),
                        r.saturation.map(|s| s.params()),
                    )
                })
                .collect())
        })
    }

    /// The additive parts of the fit over the training rows.
    fn contributions<'py>(&self, py: Python<'py>) -> PyResult<Parts<'py>> {
        guard(|| Ok(parts(py, &core(py.detach(|| self.fit.contributions()))?)))
    }

    /// Each channel's contribution band over the training rows: `(lo, hi)`, one float64 column
    /// per channel each.
    fn contribution_bands<'py>(&self, py: Python<'py>) -> PyResult<Bands<'py>> {
        guard(|| {
            let b = core(py.detach(|| self.fit.contribution_bands()))?;
            Ok((
                b.lo.iter().map(|v| f64_bytes(py, v)).collect(),
                b.hi.iter().map(|v| f64_bytes(py, v)).collect(),
            ))
        })
    }

    /// The additive parts for new rows: spend and controls in the fit's order, `days` exactly
    /// when the fit had them.
    fn predict<'py>(
        &self,
        py: Python<'py>,
        spend: Vec<Bound<'py, PyBytes>>,
        control_values: Vec<Bound<'py, PyBytes>>,
        days: Option<&[u8]>,
    ) -> PyResult<Parts<'py>> {
        guard(|| {
            let d = self.fit.data();
            let data = mmm_data(
                Vec::new(),
                &d.channels,
                &spend,
                &d.controls,
                &control_values,
                days,
            )?;
            Ok(parts(py, &core(py.detach(|| self.fit.predict(&data)))?))
        })
    }

    /// Every channel's steady-state response curve over `grid` (float64 bytes).
    fn response_curves<'py>(&self, py: Python<'py>, grid: &[u8]) -> PyResult<Vec<CurveRow<'py>>> {
        guard(|| {
            let grid = core(f64s("grid", grid))?;
            let curves = core(py.detach(|| self.fit.response_curves(&grid)))?;
            Ok(curves
                .into_iter()
                .map(|c| {
                    let b = |v: &[f64]| f64_bytes(py, v);
                    (
                        c.channel.clone(),
                        b(&c.response),
                        b(&c.lo),
                        b(&c.hi),
                        b(&c.marginal),
                    )
                })
                .collect())
        })
    }

    /// A channel's contribution per period over a spend plan: the mode, then one row per draw.
    fn horizon_response<'py>(
        &self,
        py: Python<'py>,
        channel: &str,
        plan: &[u8],
    ) -> PyResult<Vec<Bound<'py, PyBytes>>> {
        guard(|| {
            let plan = core(f64s("plan", plan))?;
            let rows = core(py.detach(|| self.fit.horizon_response(channel, &plan)))?;
            Ok(rows.iter().map(|r| f64_bytes(py, r)).collect())
        })
    }

    /// A channel's steady-state curve of per-period spend (original units); `None` for a
    /// channel that never spends.
    fn steady_state_curve(&self, channel: &str) -> PyResult<Option<PySaturation>> {
        guard(|| Ok(core(self.fit.steady_state_curve(channel))?.map(|s| PySaturation { s })))
    }

    /// Every spending channel for the allocator: `(name, steady-state curve, mean spend per
    /// period)`.
    fn budget_channels(&self) -> Vec<(String, PySaturation, Option<f64>, Vec<PySaturation>)> {
        self.fit
            .budget_channels()
            .into_iter()
            .map(|c| {
                let draws = c.draws.into_iter().map(|s| PySaturation { s }).collect();
                (c.name, PySaturation { s: c.curve }, c.current, draws)
            })
            .collect()
    }

    /// The fitted model as the core's JSON (bit-identical numbers on load, no refit).
    fn to_json(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.fit)))
    }

    /// Restores a model written by `to_json`; a damaged document is `InvalidParameterError`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(|| {
            Ok(PyFittedMmm {
                fit: core(from_json(py, text))?,
            })
        })
    }
}

/// One channel of an allocation: `(name, kind, parameters in order, lower, upper, current,
/// locked)`.
/// `(name, kind, params, lower, upper, current, locked, draws)`: `draws` holds one parameter
/// list per posterior draw (same kind), empty for a channel without draws.
pub(crate) type ChannelIn = (
    String,
    String,
    Vec<f64>,
    f64,
    f64,
    Option<f64>,
    bool,
    Vec<Vec<f64>>,
);

/// One row of an allocation: `(channel, spend, response, marginal, bound)`.
type RowOut = (String, f64, f64, f64, &'static str);

/// The allocation's rows, total spend, total response and certificate.
/// `(rows, total_spend, total_response, certificate, response_draws, cvar)`.
type AllocationOut<'py> = (
    Vec<RowOut>,
    f64,
    f64,
    Bound<'py, PyDict>,
    Vec<f64>,
    Option<f64>,
);

fn hit(b: Hit) -> &'static str {
    match b {
        Hit::Interior => "interior",
        Hit::Lower => "lower",
        Hit::Upper => "upper",
        Hit::MaxChangeDown => "max_change_down",
        Hit::MaxChangeUp => "max_change_up",
        Hit::Locked => "locked",
    }
}

fn scenario(kind: &str, value: Option<f64>) -> PyResult<Scenario> {
    let need = |v: Option<f64>| {
        v.ok_or_else(|| {
            invalid(
                "scenario",
                kind,
                "this scenario takes a value: (kind, value)".into(),
            )
        })
    };
    Ok(match kind {
        "max_response" => Scenario::MaxResponse,
        "target_roas" => Scenario::TargetRoas(need(value)?),
        "target_marginal_roas" => Scenario::TargetMarginalRoas(need(value)?),
        "min_spend_for_response" => Scenario::MinSpendForResponse(need(value)?),
        other => {
            return Err(invalid(
                "scenario",
                other,
                "expected \"max_response\", \"target_roas\", \"target_marginal_roas\" or \"min_spend_for_response\"".into(),
            ))
        }
    })
}

fn allocation_out(py: Python<'_>, a: Allocation) -> PyResult<AllocationOut<'_>> {
    let c = &a.certificate;
    let cert = PyDict::new(py);
    cert.set_item("method", &c.method)?;
    cert.set_item("multiplier", c.multiplier)?;
    cert.set_item("kkt_residual", c.kkt_residual)?;
    cert.set_item("duality_gap", c.duality_gap)?;
    cert.set_item("upper_bound", c.upper_bound)?;
    cert.set_item("suboptimality", c.suboptimality)?;
    cert.set_item("nodes", c.nodes)?;
    let rows = a
        .rows
        .into_iter()
        .map(|r| (r.channel, r.spend, r.response, r.marginal, hit(r.bound)))
        .collect();
    Ok((
        rows,
        a.total_spend,
        a.total_response,
        cert,
        a.response_draws,
        a.cvar,
    ))
}

/// Splits a budget over the channels' response curves (the core's `Allocate`).
#[pyfunction]
#[pyo3(signature = (channels, budget=None, spend_all=true, max_change=None,
    scenario=("max_response".to_string(), None), tolerance=1e-6, max_nodes=10_000,
    objective=("curve".to_string(), None)))]
#[allow(clippy::too_many_arguments)]
fn optimize_allocate(
    py: Python<'_>,
    channels: Vec<ChannelIn>,
    budget: Option<f64>,
    spend_all: bool,
    max_change: Option<(String, f64)>,
    scenario: (String, Option<f64>),
    tolerance: f64,
    max_nodes: i64,
    objective: (String, Option<f64>),
) -> PyResult<AllocationOut<'_>> {
    guard(|| {
        let (chans, spec) = allocate_request((
            channels, budget, spend_all, max_change, scenario, tolerance, max_nodes, objective,
        ))?;
        let a = core(py.detach(|| spec.solve(&chans)))?;
        allocation_out(py, a)
    })
}

/// `optimize_allocate`'s arguments, in order (what `cw.optimize.Allocation` keeps to recommend
/// budget moves from).
pub(crate) type AllocateArgs = (
    Vec<ChannelIn>,
    Option<f64>,
    bool,
    Option<(String, f64)>,
    (String, Option<f64>),
    f64,
    i64,
    (String, Option<f64>),
);

/// The channels and the allocator of an `optimize_allocate` call.
pub(crate) fn allocate_request(args: AllocateArgs) -> PyResult<(Vec<ChannelBudget>, Allocate)> {
    let (channels, budget, spend_all, max_change, scenario, tolerance, max_nodes, objective) = args;
    let chans = channels
        .into_iter()
        .map(
            |(name, kind, params, lower, upper, current, locked, draws)| {
                // the Python layer built the curve (its errors name the channel)
                let curve = core(Saturation::from_params(&kind, &params))?;
                let draws = draws
                    .iter()
                    .map(|p| core(Saturation::from_params(&kind, p)))
                    .collect::<PyResult<Vec<_>>>()?;
                let mut c = ChannelBudget::new(name, curve)
                    .lower(lower)
                    .upper(upper)
                    .locked(locked)
                    .draws(draws);
                c.current = current;
                Ok(c)
            },
        )
        .collect::<PyResult<Vec<_>>>()?;
    let mut spec = match budget {
        None => Allocate::unbudgeted(),
        Some(b) if spend_all => Allocate::budget(b),
        Some(b) => Allocate::at_most(b),
    };
    if let Some((kind, v)) = max_change {
        spec = spec.max_change(match kind.as_str() {
            "relative" => MaxChange::Relative(v),
            "absolute" => MaxChange::Absolute(v),
            other => {
                return Err(invalid(
                    "max_change",
                    other,
                    "expected \"relative\" or \"absolute\"".into(),
                ))
            }
        });
    }
    spec = spec
        .scenario(self::scenario(&scenario.0, scenario.1)?)
        .tolerance(tolerance)
        .max_nodes(core(count("max_nodes", max_nodes, 1))?);
    spec = match (objective.0.as_str(), objective.1) {
        ("curve", None) => spec,
        ("expected", None) => spec.expected(true),
        ("cvar", Some(level)) => spec.cvar(level),
        (other, _) => {
            return Err(invalid(
                "objective",
                other,
                "expected \"curve\", \"expected\" or (\"cvar\", level)".into(),
            ))
        }
    };
    Ok((chans, spec))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySaturation>()?;
    m.add_class::<PyAdstock>()?;
    m.add_class::<PyFittedMmm>()?;
    m.add_function(wrap_pyfunction!(optimize_mmm_fit, m)?)?;
    m.add_function(wrap_pyfunction!(optimize_allocate, m)?)?;
    Ok(())
}
