//! Experiments: A/B statistics (frequentist tests, Bayesian chance to win and risk, power and
//! sample size, CUPED, sequential tests) in [`ab`], and multi-armed bandits in [`bandit`].

pub mod ab;
pub mod bandit;
