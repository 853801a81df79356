//! Anomaly detection: robust detectors (MAD, Hampel, generalized and seasonal hybrid ESD).

pub mod robust;
