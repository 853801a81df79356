//! Anomaly detection: which rows look unlike the rest.
//!
//! | Method | Entry point | Notes |
//! |---|---|---|
//! | isolation forest | [`IsolationForest`] | scikit-learn's parameters and score sign |

pub mod isolation_forest;

pub use isolation_forest::{
    average_path_length, Contamination, FittedIsolationForest, IsolationForest, MaxFeatures, MaxSamples,
};
