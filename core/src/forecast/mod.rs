//! Forecasting: accuracy metrics, rolling-origin evaluation and seasonal-trend decomposition.

pub mod decompose;
pub mod metrics;
