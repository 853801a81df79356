//! Anomaly detection: points a forecast did not expect.

pub mod residual;
