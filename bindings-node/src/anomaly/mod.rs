//! `anomaly.*`: the isolation forest ([`isolation_forest`]), robust detectors (MAD, Hampel,
//! ESD, seasonal ESD: [`robust`]) and forecast-residual alerts ([`residual`]), following the
//! core's `anomaly` module.

pub mod isolation_forest;
pub mod residual;
pub mod robust;
