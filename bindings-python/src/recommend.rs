//! `cw.optimize.recommend` and `cw.optimize.insights`: the core's `optimize::recommend`
//! (budget moves, bid changes, targeting, creative rotation, and the insights digest).

use channelwise::optimize::recommend::{
    self, ChannelMetrics, Guardrails, Insight, Recommendation, Segment,
};
use pyo3::prelude::*;

use crate::error::{core, guard};
use crate::glm::PyFittedBids;
use crate::optimize::{allocate_request, AllocateArgs};

/// `(max_budget_change, max_bid_change, min_confidence, min_change, alpha)`.
type GuardrailsIn = (Option<f64>, Option<f64>, f64, f64, f64);

/// `(kind, target, from, to, impact, impact_lo, impact_hi, confidence, reason, clipped)`.
type RecOut = (
    &'static str,
    String,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    String,
    bool,
);

fn out(r: Recommendation) -> RecOut {
    (
        r.kind.name(),
        r.target,
        r.from,
        r.to,
        r.impact.value,
        r.impact.lo,
        r.impact.hi,
        r.confidence,
        r.reason,
        r.clipped,
    )
}

/// Every recommendation the given inputs support, in the order budget, bids, targeting,
/// creatives. `allocation` holds an `optimize_allocate` call's arguments (solved again here,
/// deterministically, to pair the allocation with its channels).
#[pyfunction]
#[pyo3(signature = (guardrails, allocation=None, bids=None, segments=None, creatives=None))]
#[allow(clippy::type_complexity)]
fn optimize_recommend(
    py: Python<'_>,
    guardrails: GuardrailsIn,
    allocation: Option<AllocateArgs>,
    bids: Option<(PyRef<'_, PyFittedBids>, Vec<(Vec<String>, f64)>)>,
    segments: Option<Vec<(String, f64, f64, f64)>>,
    creatives: Option<Vec<(String, Vec<(f64, f64)>)>>,
) -> PyResult<Vec<RecOut>> {
    guard(|| {
        let g = Guardrails {
            max_budget_change: guardrails.0,
            max_bid_change: guardrails.1,
            min_confidence: guardrails.2,
            min_change: guardrails.3,
            alpha: guardrails.4,
        };
        let mut all = Vec::new();
        if let Some(args) = allocation {
            let (chans, spec) = allocate_request(args)?;
            let moves = core(py.detach(|| {
                let a = spec.solve(&chans)?;
                recommend::budget_moves(&chans, &a, &g)
            }))?;
            all.extend(moves);
        }
        if let Some((model, contexts)) = bids {
            all.extend(core(recommend::bid_changes(&model.m, &contexts, &g))?);
        }
        if let Some(segs) = segments {
            let segs: Vec<Segment> = segs
                .into_iter()
                .map(|(name, clicks, conversions, cost)| Segment {
                    name,
                    clicks,
                    conversions,
                    cost,
                })
                .collect();
            all.extend(core(recommend::targeting(&segs, &g))?);
        }
        if let Some(c) = creatives {
            all.extend(core(recommend::creative_rotation(&c, &g))?);
        }
        Ok(all.into_iter().map(out).collect())
    })
}

/// `(channel, spend, conversions, value)` per period.
type MetricsIn = (String, Vec<f64>, Vec<f64>, Vec<f64>);

/// `(kind, channels, money, p_value, sentence)`.
type InsightOut = (&'static str, Vec<String>, f64, f64, String);

fn insight_out(i: Insight) -> InsightOut {
    (i.kind.name(), i.channels, i.money, i.p_value, i.sentence)
}

/// The insights digest over `(channel, spend, conversions, value)` per period, ranked by money
/// at stake.
#[pyfunction]
#[pyo3(signature = (metrics, alpha=0.05))]
fn optimize_insights(metrics: Vec<MetricsIn>, alpha: f64) -> PyResult<Vec<InsightOut>> {
    guard(|| {
        let m: Vec<ChannelMetrics> = metrics
            .into_iter()
            .map(|(channel, spend, conversions, value)| ChannelMetrics {
                channel,
                spend,
                conversions,
                value,
            })
            .collect();
        Ok(core(recommend::insights(&m, alpha))?
            .into_iter()
            .map(insight_out)
            .collect())
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(optimize_recommend, m)?)?;
    m.add_function(wrap_pyfunction!(optimize_insights, m)?)?;
    Ok(())
}
