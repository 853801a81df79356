//! `forecast.*`: accuracy metrics and rolling-origin evaluation ([`metrics`]: `forecast.metrics.*`,
//! `forecast.RollingOrigin`), exponential smoothing ([`ets`]: `Ets`, `AutoEts` -> `FittedEts`)
//! and seasonal decomposition ([`decompose`]: `stl`, `mstl`, the strength measures), following
//! the core's `forecast` module.

pub mod decompose;
pub mod ets;
pub mod metrics;

/// Whether this is the browser build: wasm32 memory ends at 4 GiB, where a failed allocation is
/// a trap (the instance is lost), so a few sizes are capped there with a coded error instead.
pub(crate) const WASM32: bool = cfg!(target_arch = "wasm32");
