//! Forecasting: accuracy metrics and rolling-origin evaluation.

pub mod metrics;
