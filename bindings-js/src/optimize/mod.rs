//! `optimize.*`: bids from P(conversion | context) ([`bids`]: `BidModel` -> `FittedBids`),
//! response curves and adstock ([`response`]: `Saturation`, `Adstock`) and the
//! media mix model ([`mmm`]: `MMM` -> `FittedMMM`) and budget allocation ([`budget`]:
//! `allocate`), following the core's `optimize` module.
//!
//! The core names its own fields (`l_max`, `spend.tv[3]`, `saturation.kappa`); the readers here
//! rename them to what the JS caller wrote (`options.lMax`, `data.channels.tv[3]`,
//! `options.kappa`) with [`renamed`], keeping the kind and the rest of the message.

pub mod bids;
pub mod budget;
pub mod mmm;
pub mod periods;
pub mod recommend;
pub mod response;

use channelwise::Error;

/// `e` with its field renamed by `f` (`None`: kept). Only the kinds that name a field change.
pub fn renamed(e: Error, f: impl Fn(&str) -> Option<String>) -> Error {
    let to = |field: String| f(&field).unwrap_or(field);
    match e {
        Error::OutOfRange {
            field,
            value,
            min,
            max,
        } => Error::OutOfRange {
            field: to(field),
            value,
            min,
            max,
        },
        Error::NonFinite { field, value } => Error::NonFinite {
            field: to(field),
            value,
        },
        Error::InvalidParameter {
            field,
            value,
            reason,
        } => Error::InvalidParameter {
            field: to(field),
            value,
            reason,
        },
        Error::LengthMismatch {
            field,
            expected,
            got,
        } => Error::LengthMismatch {
            field: to(field),
            expected,
            got,
        },
        other => other,
    }
}
