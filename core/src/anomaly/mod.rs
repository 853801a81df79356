//! Anomaly detection: which points or rows look unlike the rest, and why.
//!
//! | Method | Entry point | Notes |
//! |---|---|---|
//! | isolation forest | [`IsolationForest`] | multivariate rows; scikit-learn's parameters and score sign |
//! | MAD / robust z | [`robust::MadDetector`], [`robust::mad`] | one series, median and scaled MAD |
//! | Hampel filter | [`robust::Hampel`] | rolling median and MAD; also returns the filtered series |
//! | generalized ESD | [`robust::Esd`] | Rosner (1983), up to `max_anoms` outliers |
//! | seasonal hybrid ESD | [`robust::SeasonalEsd`] | Hochenbaum et al. (2017): ESD with median and MAD on STL residuals |
//! | forecast-residual alerts | [`residual::residual_alerts`], [`FittedEts::alerts`](crate::forecast::ets::FittedEts::alerts) | points outside a forecast's interval, with the reason |

pub mod isolation_forest;
pub mod residual;
pub mod robust;

pub use isolation_forest::{
    average_path_length, Contamination, FittedIsolationForest, IsolationForest, MaxFeatures, MaxSamples,
};
