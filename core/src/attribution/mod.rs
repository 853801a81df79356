//! Multi-touch attribution: which channels earned the conversions.
//!
//! | Model | Entry point | Notes |
//! |---|---|---|
//! | first, last, linear, U, W | [`Heuristics`] | touch-counting rules |




mod credit;
mod heuristics;

pub use credit::{ChannelCredit, CAMPAIGN_SEP};
pub use heuristics::{HeuristicCredit, Heuristics};
