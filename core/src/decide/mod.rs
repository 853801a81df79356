//! Decisions: guarded, audited, reversible actions on the ad platforms (issue 16).
//!
//! - [`decision`]: proposals, decisions, their status and their risk ([`decision::RiskRule`]).
//! - [`policy`]: the approval policy (auto-approval by risk, expiry, staged rollout, dry run)
//!   and the guardrails (spend caps, change limits, vendor change frequency, performance and
//!   anomaly gates), as pure functions.
//! - [`engine`]: the [`engine::Engine`]: propose, approve, reject, execute (idempotency keys,
//!   retries, read-back), stop, resume, rollback, audit, verify.
//! - [`feedback`]: outcomes against expectations, a calibration per decision type, and the
//!   shrinkage of later expectations.
//! - [`store`]: the engine's state and its hash-chained audit log behind one [`store::Store`]
//!   trait; [`store::SqliteStore`] (feature `sqlite`, default) is the embedded backend, and
//!   `store::PgStore` (feature `postgres`) a PostgreSQL one, for several engine processes
//!   sharing one store. [`store::open`] picks one from a string (a file path or a
//!   `postgresql://` url).
//!
//! Several engines may share a store: commits are serialised by the database, and an engine
//! sends or rolls back a change only while it holds the store's execution lock (a PostgreSQL
//! advisory lock, a lock file beside a SQLite store), so no decision is executed twice and no
//! guardrail is checked without another engine's changes; the locks are released with a
//! crashed process's connection.
//!
//! Without the `sqlite` feature (the WASM build) everything but [`store::SqliteStore`] compiles.

pub mod decision;
pub mod engine;
pub mod feedback;
pub mod policy;
pub mod store;
