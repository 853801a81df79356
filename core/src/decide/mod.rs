//! Decisions: guarded, audited, reversible actions on the ad platforms (issue 16).
//!
//! - [`store`]: the engine's state and its hash-chained audit log behind one [`store::Store`]
//!   trait; [`store::SqliteStore`] (feature `sqlite`, default) is the embedded backend.

pub mod store;
