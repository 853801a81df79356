//! What each channel's spend returns, and where the next dollar should go.
//!
//! - [`response`]: saturation curves and adstock (carry-over), with values, marginals and their
//!   inverses, in pymc-marketing's and Robyn's parameterisations.
//! - [`mmm`]: the media mix model, fitted by penalised maximum likelihood with Laplace or
//!   bootstrap intervals.
//! - [`bids`]: bids from predicted conversion probability, context multipliers shrunk toward 1
//!   by regularised logistic regression, each bid explained factor by factor.
//! - [`recommend`]: budget moves, bid changes, targeting and creative rotation, each with its
//!   impact, confidence and a reason that cites the numbers, within guardrails.
//! - [`budget`]: budget allocation over response curves, exact for concave curves (with a KKT
//!   certificate) and to a proven gap for S-curves (branch and bound on concave envelopes).

pub mod bids;
pub mod budget;
pub mod mmm;
pub mod recommend;
pub mod response;
