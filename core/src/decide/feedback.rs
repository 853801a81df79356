//! Learning feedback: what each executed decision actually brought, beside what its producer
//! expected, and what that says about the next expectation.
//!
//! After a decision's window ([`FeedbackRule::window_ms`] from its last stage) a person or a job
//! records the measured change in the impact's metric ([`crate::decide::engine::Engine::record_outcome`]).
//! Per decision type the outcomes give a [`Calibration`]:
//!
//! | Field | Definition, over the `n` outcomes of the type |
//! |---|---|
//! | `mean_predicted`, `mean_actual` | means of the expected and the measured changes |
//! | `slope` | `sum(actual * predicted) / sum(predicted^2)`: the least-squares line through 0 (1 = calibrated, 0.5 = half of what was promised) |
//! | `coverage` | share of outcomes inside the expected interval `[lo, hi]` |
//! | `shrink` | `(n * clamp(slope, 0, 1) + k) / (n + k)` with `k = prior_weight`, once `n >= min_outcomes`; else 1 |
//!
//! A new proposal of that type keeps its producer's impact and carries it multiplied by
//! `shrink` as [`crate::decide::decision::Decision::adjusted`]: the slope is pulled toward 1 by
//! `k` pseudo-outcomes, so a few outcomes move it little, and it never inflates an expectation
//! (an engine that acts on money stays on the cautious side).

use serde::{Deserialize, Serialize};

use super::decision::{Decision, DecisionKind, Impact};
use crate::error::{check_range, Error, Result};

/// How outcomes are collected and turned into a shrinkage factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedbackRule {
    /// How long after its last stage a decision's outcome may be recorded (default 7 days).
    pub window_ms: i64,
    /// Pseudo-outcomes at slope 1 that the observed slope is pooled with (default 5).
    pub prior_weight: f64,
    /// Outcomes of a type before its expectations are shrunk (default 3).
    pub min_outcomes: usize,
}

impl Default for FeedbackRule {
    fn default() -> Self {
        FeedbackRule { window_ms: 7 * 86_400_000, prior_weight: 5.0, min_outcomes: 3 }
    }
}

impl FeedbackRule {
    /// Checks the rule.
    ///
    /// # Errors
    /// `invalid_parameter` (field `feedback.window_ms`) when negative; `out_of_range` (field
    /// `feedback.prior_weight`) when negative or not finite.
    pub fn validate(&self) -> Result<()> {
        if self.window_ms < 0 {
            return Err(Error::param("feedback.window_ms", self.window_ms, "must be at least 0"));
        }
        check_range("feedback.prior_weight", self.prior_weight, 0.0, f64::MAX)?;
        Ok(())
    }

    /// The calibration of each decision type that has outcomes, in [`DecisionKind`] order.
    pub fn calibrate(&self, decisions: &[Decision]) -> Vec<Calibration> {
        let kinds = [DecisionKind::Budget, DecisionKind::Bid, DecisionKind::Status, DecisionKind::Targeting, DecisionKind::Creative];
        kinds
            .iter()
            .filter_map(|&kind| {
                let pairs: Vec<(&Impact, f64)> = decisions
                    .iter()
                    .filter(|d| d.proposal.kind == kind)
                    .filter_map(|d| d.outcome.as_ref().map(|o| (&d.proposal.impact, o.actual)))
                    .collect();
                (!pairs.is_empty()).then(|| self.calibration(kind, &pairs))
            })
            .collect()
    }

    fn calibration(&self, kind: DecisionKind, pairs: &[(&Impact, f64)]) -> Calibration {
        let n = pairs.len();
        let nf = n as f64;
        let (mut sp, mut sa, mut spa, mut spp, mut inside) = (0.0, 0.0, 0.0, 0.0, 0usize);
        for (imp, a) in pairs {
            sp += imp.mean;
            sa += a;
            spa += imp.mean * a;
            spp += imp.mean * imp.mean;
            inside += usize::from(imp.lo <= *a && *a <= imp.hi);
        }
        // with every prediction 0 there is no slope to learn: leave expectations alone
        let slope = if spp > 0.0 { spa / spp } else { 1.0 };
        let shrink = if n >= self.min_outcomes {
            (nf * slope.clamp(0.0, 1.0) + self.prior_weight) / (nf + self.prior_weight)
        } else {
            1.0
        };
        Calibration { kind, n, mean_predicted: sp / nf, mean_actual: sa / nf, slope, coverage: inside as f64 / nf, shrink }
    }
}

/// How a decision type's expected impacts compared with what happened (see the [module table](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The decision type.
    pub kind: DecisionKind,
    /// Outcomes recorded.
    pub n: usize,
    /// Mean expected change.
    pub mean_predicted: f64,
    /// Mean measured change.
    pub mean_actual: f64,
    /// Least-squares slope of measured on expected, through 0.
    pub slope: f64,
    /// Share of outcomes inside their expected interval.
    pub coverage: f64,
    /// The factor new expectations of this type are multiplied by.
    pub shrink: f64,
}

/// A decision's measured outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The measured change in the impact's metric.
    pub actual: f64,
    /// How it was measured (`"holdout"`, `"mmm refit"`, `"before/after"`, ...).
    pub method: String,
    /// Who recorded it.
    pub by: String,
    /// When (ms since the epoch).
    pub recorded_ms: i64,
}

/// `impact` multiplied by `shrink` (mean and both ends).
pub(crate) fn shrunk(impact: &Impact, shrink: f64) -> Impact {
    Impact { metric: impact.metric.clone(), mean: impact.mean * shrink, lo: impact.lo * shrink, hi: impact.hi * shrink }
}
