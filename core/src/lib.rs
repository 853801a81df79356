#![doc = include_str!("../../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod attribution;
mod error;
pub mod journey;

pub use error::{Error, ErrorKind, Result};
