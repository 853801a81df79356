//! Anomaly detection: robust detectors (MAD, Hampel, generalized and seasonal hybrid ESD) and
//! forecast-residual alerts (points a forecast did not expect, with the reason).

pub mod residual;
pub mod robust;
