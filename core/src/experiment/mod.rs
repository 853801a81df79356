//! Experiments: A/B statistics and multi-armed bandits.
//!
//! | Module | What |
//! |---|---|
//! | [`ab`] | arms as sufficient statistics; pooled two-proportion z-test, Welch's t-test, chi-square of k arms; absolute and relative (delta-method) effects |
//! | [`bayes`] | exact beta-binomial chance to beat and expected loss; gbstats' effect model (flat or Gaussian prior): posterior, chance to win, risk |
//! | [`power`] | power and sample size (statsmodels' `NormalIndPower`), Cohen's h |
//! | [`cuped`] | CUPED with a pre-period covariate (theta pooled across arms, gbstats) and its effect on power |
//! | [`sequential`] | always-valid intervals (gbstats' mixture confidence sequence) and Lan-DeMets group-sequential bounds |
//! | [`bandit`] | multi-armed bandits |

pub mod ab;
pub mod bayes;
pub mod cuped;
pub mod power;
pub mod sequential;
pub mod bandit;
