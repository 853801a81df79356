//! Multi-touch attribution: which channels earned the conversions.
//!
//! | Model | Entry point | Notes |
//! |---|---|---|
//! | first, last, linear, U, W | [`Heuristics`] | touch-counting rules |
//! | Markov chain, order 1..=64 | [`Markov`] | removal effects, exact or step-capped |
//! | Shapley | [`shapley`], [`ordered_shapley`], [`shapley_exact`], [`ShapleySampler`] | closed form, by position, any game |
//! | bootstrap intervals | [`Bootstrap`] | Markov, Shapley or any model |
//! | time decay | [`TimeDecay`] | needs timestamps: fits [`Journeys`](crate::journey::Journeys) |
//!
//! The long computations (bootstrap intervals, exact and sampled Markov-Shapley, the permutation
//! sampler) have `_with_progress` twins that report to a [`Monitor`](crate::progress::Monitor)
//! and can be cancelled; see [`crate::progress`].

mod bootstrap;
mod credit;
mod heuristics;
mod markov;
mod shapley;
mod time_decay;

pub use bootstrap::{Bootstrap, CreditIntervals};
pub use credit::{ChannelCredit, CAMPAIGN_SEP};
pub use heuristics::{HeuristicCredit, Heuristics};
pub use markov::{FittedMarkov, Horizon, Markov, Transition, MAX_ORDER};
pub use shapley::{
    ordered_shapley, shapley, shapley_exact, OrderedCredit, ShapleyCredit, ShapleyEstimate, ShapleyMethod,
    ShapleySampler, MAX_EXACT_PLAYERS,
};
pub use time_decay::{HalfLife, TimeDecay};
