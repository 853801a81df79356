//! Forecasting: exponential smoothing (ETS), seasonal-trend decomposition (STL, MSTL), accuracy
//! metrics and rolling-origin evaluation.

pub mod decompose;
pub mod ets;
pub mod metrics;
