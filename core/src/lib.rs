#![doc = include_str!("../../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Unit tests may unwrap: a panic there is a failed test, not a crash in a user's process.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod anomaly;
pub mod attribution;
pub(crate) mod calendar;
pub mod clv;
pub mod decide;
mod error;
pub mod experiment;
pub mod forecast;
pub mod glm;
pub mod journey;
pub mod leads;
mod memory;
pub(crate) mod minimize;
pub mod optimize;
pub mod platform;
pub mod progress;
pub mod stats;

pub use error::{Error, ErrorKind, Result};

/// Check the feature names a fitted model is given (`with_feature_names`): one per feature.
/// A frame's columns are compared with them as a list, in order, so a name may repeat (as
/// scikit-learn allows).
///
/// # Errors
/// `length_mismatch` (field `feature_names`) for another count than `k`.
pub(crate) fn check_feature_names(names: &[String], k: usize) -> Result<()> {
    if names.len() != k {
        return Err(Error::LengthMismatch { field: "feature_names".into(), got: names.len(), expected: k });
    }
    Ok(())
}

/// `null` (how serde_json writes an infinite `f64`) read back as infinity: the
/// `deserialize_with` of a stored `f64` that may be infinite (a bid model's missing cap, a
/// decision's unknown spend).
pub(crate) fn infinite_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    use serde::Deserialize;
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}
