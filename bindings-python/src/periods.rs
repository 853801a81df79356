//! `channelwise.optimize.plan`: budgets over several periods with carry-over (the core's
//! `optimize::budget::periods`). Each channel arrives as a plain tuple (`ChannelIn`): name,
//! curve kind and parameters in the core's order, adstock kind, parameters, `l_max` and
//! `normalize`, spend before the horizon, bounds and whether saturation comes first. A fitted
//! media mix model hands over its channels in the same tuple (`optimize_plan_channels`), so the
//! Python layer shows and overrides them before planning. The core checks every value and names
//! the field (`tv.pre[2]`, `budgets[1]`, `profile`).

use channelwise::optimize::budget::periods::{ChannelPlan, Horizon, Plan};
use channelwise::optimize::response::{Adstock, Saturation};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::{core, guard};
use crate::optimize::PyFittedMmm;

/// `(name, curve kind, curve parameters, adstock kind, adstock parameters, l_max, normalize,
/// pre, lower, upper, saturation_first)`.
type ChannelIn = (
    String,
    String,
    Vec<f64>,
    String,
    Vec<f64>,
    usize,
    bool,
    Vec<f64>,
    f64,
    f64,
    bool,
);

/// `(channels, spend[channel][period], response[channel][period (+ tail)], total response,
/// certificate)`.
type PlanOut<'py> = (
    Vec<String>,
    Vec<Vec<f64>>,
    Vec<Vec<f64>>,
    f64,
    Bound<'py, PyDict>,
);

fn channel(c: ChannelIn) -> PyResult<ChannelPlan> {
    let (name, kind, params, ad_kind, ad_params, l_max, normalize, pre, lower, upper, sat_first) =
        c;
    let curve = core(Saturation::from_params(&kind, &params))?;
    let adstock = core(Adstock::from_params(&ad_kind, &ad_params, l_max, normalize))?;
    Ok(ChannelPlan::new(name, curve, adstock)
        .pre(pre)
        .bounds(lower, upper)
        .saturation_first(sat_first))
}

fn out(py: Python<'_>, p: Plan) -> PyResult<PlanOut<'_>> {
    let c = &p.certificate;
    let cert = PyDict::new(py);
    cert.set_item("method", &c.method)?;
    cert.set_item("gap", c.gap)?;
    cert.set_item("suboptimality", c.suboptimality)?;
    cert.set_item("iterations", c.iterations)?;
    Ok((p.channels, p.spend, p.response, p.total_response, cert))
}

/// Plans spend over several periods (the core's `Horizon`): per-period `budgets`, or `total`
/// over `periods`.
#[pyfunction]
#[pyo3(signature = (channels, budgets=None, periods=None, total=None, profile=None, tail=true,
    tolerance=1e-9, max_iter=100_000))]
#[allow(clippy::too_many_arguments)]
fn optimize_plan(
    py: Python<'_>,
    channels: Vec<ChannelIn>,
    budgets: Option<Vec<f64>>,
    periods: Option<usize>,
    total: Option<f64>,
    profile: Option<Vec<f64>>,
    tail: bool,
    tolerance: f64,
    max_iter: usize,
) -> PyResult<PlanOut<'_>> {
    guard(|| {
        let chans = channels
            .into_iter()
            .map(channel)
            .collect::<PyResult<Vec<_>>>()?;
        // the Python layer has checked that exactly one of budgets / (periods, total) is given
        let mut h = match (budgets, total) {
            (Some(b), _) => Horizon::per_period(b),
            (None, Some(t)) => Horizon::total(periods.unwrap_or(0), t),
            (None, None) => Horizon::per_period(Vec::new()),
        };
        if let Some(p) = profile {
            h = h.profile(p);
        }
        let h = h.tail(tail).tolerance(tolerance).max_iter(max_iter);
        let plan = core(py.detach(|| h.solve(&chans)))?;
        out(py, plan)
    })
}

/// A fitted media mix model's channels for the planner (its curves on adstocked spend, its
/// adstock at the mode, its last spends carried in), as `ChannelIn` tuples without bounds.
#[pyfunction]
fn optimize_plan_channels(fit: PyRef<'_, PyFittedMmm>) -> Vec<ChannelIn> {
    fit.fit
        .plan_channels()
        .into_iter()
        .map(|c| {
            (
                c.name,
                c.curve.kind().to_string(),
                c.curve.params(),
                c.adstock.kind().to_string(),
                c.adstock.params(),
                c.adstock.l_max(),
                c.adstock.normalize(),
                c.pre,
                c.lower,
                c.upper,
                c.saturation_first,
            )
        })
        .collect()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(optimize_plan, m)?)?;
    m.add_function(wrap_pyfunction!(optimize_plan_channels, m)?)?;
    Ok(())
}
