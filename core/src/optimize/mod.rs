//! What each channel's spend returns, and where the next dollar should go.
//!
//! - [`response`]: saturation curves and adstock (carry-over), with values, marginals and their
//!   inverses, in pymc-marketing's and Robyn's parameterisations.
//! - [`mmm`]: the media mix model, fitted by penalised maximum likelihood with Laplace or
//!   bootstrap intervals.

pub mod mmm;
pub mod response;
