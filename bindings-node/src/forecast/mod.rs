//! `forecast.*`: accuracy metrics and rolling-origin evaluation ([`metrics`]), exponential
//! smoothing ([`ets`]: `Ets`, `AutoEts`, `FittedEts`) and seasonal decomposition
//! ([`decompose`]: `stl`, `mstl`), following the core's `forecast` module.

pub mod decompose;
pub mod ets;
pub mod metrics;
