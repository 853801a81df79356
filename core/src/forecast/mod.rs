//! Forecasting: exponential smoothing (ETS), accuracy metrics and rolling-origin evaluation.

pub mod ets;
pub mod metrics;
