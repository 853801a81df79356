//! Platforms: the sans-I/O side of wiring channelwise to Meta, Google Ads, GA4 and a shop.
//!
//! Nothing here opens a socket; every function builds or checks bytes exactly as the vendor
//! documents them, so a Node, Python or browser back end does the I/O and this crate does the
//! rules (issue 14). Where a vendor's documentation and its SDK differ, the documentation wins
//! and the module says so.
//!
//! - [`adapter`]: the traits an ad platform adapter implements (read metrics, apply budget, bid
//!   and status changes with idempotency keys, read them back) and the plain data crossing them.
//! - [`policy`]: rate limits and retries as data: token buckets, backoff with full jitter, a
//!   retry budget and a classifier of vendor errors.
//! - [`sim`]: a simulated ad market implementing the adapter traits, with seeded faults.
//! - [`pii`]: customer data (Meta `user_data` fields, Google's email, E.164 phone and name rules)
//!   normalised, then SHA-256 hashed; a [`pii::Pii`] wrapper that never prints its value.
//! - [`webhook`]: Shopify, Meta and timestamped (Stripe-style) HMAC-SHA256 signatures over the
//!   raw body, in constant time, and the matching signers for tests and simulators.
//!
//! - [`payloads`]: request bodies for Meta's Conversions API, GA4's Measurement Protocol and
//!   Google Ads click conversions, and budget, bid and status updates in each vendor's money
//!   unit, checked as the vendor checks them.
//! - [`metrics`]: Meta Insights, Google Ads and GA4 Data API report responses parsed into one
//!   daily [`adapter::MetricsRow`] per entity, with the account's time zone.
//!
//! ```
//! use channelwise::platform::{pii, webhook};
//! let hashed = pii::hash("em", "Jane@Example.com ", pii::Vendor::Meta)?;
//! assert_eq!(hashed.len(), 64);
//! let header = webhook::sign(webhook::Scheme::Shopify, b"secret", b"{}", 0);
//! assert!(webhook::verify(webhook::Scheme::Shopify, b"secret", b"{}", &header, 0)?);
//! # Ok::<(), channelwise::Error>(())
//! ```

pub mod adapter;
pub mod metrics;
pub mod payloads;
pub mod pii;
pub mod policy;
pub mod sim;
pub mod webhook;
