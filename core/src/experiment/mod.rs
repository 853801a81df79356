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

/// The root of an increasing `f` on `[lo, inf)` with `f(lo) < 0`: doubles `hi` (from `lo + 1`)
/// until `f(hi) >= 0`, then bisects to the last representable midpoint.
pub(crate) fn increasing_root(f: impl Fn(f64) -> f64, lo: f64) -> f64 {
    let (mut lo, mut hi) = (lo, lo + 1.0);
    while f(hi) < 0.0 && hi.is_finite() {
        lo = hi;
        hi = 2.0 * hi.max(1.0);
    }
    loop {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            return mid;
        }
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
}
