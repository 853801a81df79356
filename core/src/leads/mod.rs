//! Leads: rule-based and predictive scores, lifecycle stages, funnels, cohorts and journey health.
//!
//! Every computation reads one columnar [`EventLog`] (lead index, unix-second timestamp,
//! event-type id, value) over a vocabulary of event-type names, so a million leads with twenty
//! events each are flat arrays, not objects:
//!
//! - [`scoring`]: five-dimension rule scores with daily caps, decay, weights, grades A+..D and
//!   temperature, each with its per-dimension and per-rule breakdown.
//! - [`lifecycle`]: a stage machine (new -> contacted -> qualified -> engaged -> opportunity ->
//!   customer by default), replayed from timestamped transitions; time in stage.
//! - [`funnel`]: PostHog-style funnels (sequential, strict or any order; conversion window;
//!   exclusions; drop-off and median time between steps).
//! - [`cohort`]: acquisition period x period tables of retention, conversion and revenue.
//! - [`predictive`]: a predictive score: regularised logistic regression (L2, L1, elastic net)
//!   on lead features, Platt or isotonic calibration, per-lead contributions, AUC, log-loss,
//!   Brier and a reliability table.
//! - [`health`]: engagement trend (Mann-Kendall, Theil-Sen), churn risk from P(alive) or
//!   recency, and a health score.
//!
//! Configs are serde types: the Python and JS bindings pass them as JSON objects.
//!
//! ```
//! use channelwise::leads::{funnel::Funnel, EventLog};
//! let types = vec!["visit".to_string(), "signup".to_string()];
//! let log = EventLog::new(2, types, &[0, 0, 1], &[0, 60, 0], &[0, 1, 0], None)?;
//! let f = Funnel::new(&["visit", "signup"]).run(&log)?;
//! assert_eq!(f.counts, vec![2, 1]);
//! # Ok::<(), channelwise::Error>(())
//! ```

pub mod cohort;
mod events;
pub mod funnel;
pub mod health;
pub mod lifecycle;
pub mod predictive;
pub mod scoring;

pub use events::EventLog;

use crate::error::{Error, Result};

/// An [`Error::InvalidRecord`] for row `row`, column `column`.
fn record(row: usize, column: &str, value: impl std::fmt::Display, reason: &str) -> Error {
    Error::InvalidRecord { row, column: column.into(), value: value.to_string(), reason: reason.into() }
}

/// Checks that a setting is finite and greater than 0.
fn positive(field: &str, v: f64) -> Result<f64> {
    if !v.is_finite() {
        return Err(Error::NonFinite { field: field.into(), value: v });
    }
    if v <= 0.0 {
        return Err(Error::param(field, v, "must be greater than 0"));
    }
    Ok(v)
}

/// Checks that thresholds are finite and strictly increasing.
fn increasing(field: &str, t: &[f64]) -> Result<()> {
    if let Some(i) = t.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite { field: format!("{field}[{i}]"), value: t[i] });
    }
    if t.windows(2).any(|w| w[0] >= w[1]) {
        let shown: Vec<String> = t.iter().map(|v| v.to_string()).collect();
        return Err(Error::param(field, format!("[{}]", shown.join(", ")), "must be strictly increasing"));
    }
    Ok(())
}
