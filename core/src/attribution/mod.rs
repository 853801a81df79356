//! Multi-touch attribution: which channels earned the conversions.
//!
//! | Model | Entry point | Notes |
//! |---|---|---|
//! | first, last, linear, U, W | [`Heuristics`] | touch-counting rules |
//! | Markov chain, order 1..=64 | [`Markov`] | removal effects, exact or step-capped |

mod credit;
mod heuristics;
mod markov;

pub use credit::{ChannelCredit, CAMPAIGN_SEP};
pub use heuristics::{HeuristicCredit, Heuristics};
pub use markov::{FittedMarkov, Horizon, Markov, Transition, MAX_ORDER};
