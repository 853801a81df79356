//! Power and sample size of a two-sample test with normal statistics, as statsmodels'
//! `NormalIndPower` with `proportion_effectsize`: solve for the sample size of the first arm,
//! the power, or the smallest detectable standardised effect.
//!
//! The effect size is standardised: Cohen's h for proportions ([`proportion_effectsize`],
//! `2 asin(sqrt(p1)) - 2 asin(sqrt(p2))`) and `(mean_b - mean_a) / sd` for means. With
//! `n2 = ratio * n1` the test sees `n = 1 / (1/n1 + 1/n2)` and its power is
//! `P(Z > z_{1-alpha/2} - d sqrt(n)) + P(Z < -z_{1-alpha/2} - d sqrt(n))` two-sided (both tails,
//! as statsmodels), one tail for `larger` (`d > 0` helps) and `smaller` (`d < 0` helps).
//! CUPED divides the variance by `1 - rho^2`, so its effect size is `d / sqrt(1 - rho^2)`
//! ([`super::cuped::effect_size`]).
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `alpha` | 0.05 | significance level | (0, 1) |
//! | `ratio` | 1 | `n2 / n1`, the allocation ratio | (0, inf) |
//! | `alternative` | `two_sided` | `two_sided`, `larger` or `smaller` | |
//!
//! Solved sample sizes are not rounded up (statsmodels returns them unrounded too); round up to
//! whole units before planning.
//!
//! ```
//! use channelwise::experiment::power::{proportion_effectsize, NormalIndPower};
//! let h = proportion_effectsize(0.12, 0.10)?;
//! let n1 = NormalIndPower::default().nobs1(h, 0.8)?;
//! assert!((n1 - 3834.5).abs() < 0.5);
//! let p = NormalIndPower::default().ratio(2.0).power(h, 3000.0)?;
//! assert!(p > 0.8);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::ab::{check_open_unit, normal_isf, Alternative};
use crate::error::{check_range, Error, Result};
use crate::optimize::response::falling_root;
use crate::stats::normal_sf;

/// Cohen's h between two proportions, `2 asin(sqrt(p1)) - 2 asin(sqrt(p2))` (statsmodels'
/// `proportion_effectsize`; positive when `p1 > p2`).
///
/// # Errors
/// [`Error::OutOfRange`] naming `p1` or `p2` outside [0, 1].
pub fn proportion_effectsize(p1: f64, p2: f64) -> Result<f64> {
    let p1 = check_range("p1", p1, 0.0, 1.0)?;
    let p2 = check_range("p2", p2, 0.0, 1.0)?;
    Ok(2.0 * p1.sqrt().asin() - 2.0 * p2.sqrt().asin())
}

/// Power analysis of a two-sample z-test; see the table in the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormalIndPower {
    /// Significance level.
    pub alpha: f64,
    /// `n2 / n1`.
    pub ratio: f64,
    /// The alternative the test will use.
    pub alternative: Alternative,
}

impl Default for NormalIndPower {
    fn default() -> Self {
        NormalIndPower { alpha: 0.05, ratio: 1.0, alternative: Alternative::TwoSided }
    }
}

impl NormalIndPower {
    /// Sets `alpha`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Sets the allocation ratio `n2 / n1`.
    pub fn ratio(mut self, ratio: f64) -> Self {
        self.ratio = ratio;
        self
    }

    /// Sets the alternative.
    pub fn alternative(mut self, alternative: Alternative) -> Self {
        self.alternative = alternative;
        self
    }

    /// `1 + 1 / ratio`, after checking `alpha` and `ratio`.
    fn inflation(&self) -> Result<f64> {
        check_open_unit("alpha", self.alpha)?;
        let ratio = check_range("ratio", self.ratio, 0.0, f64::INFINITY)?;
        if ratio == 0.0 {
            return Err(Error::OutOfRange { field: "ratio".into(), value: 0.0, min: f64::MIN_POSITIVE, max: f64::INFINITY });
        }
        Ok(1.0 + 1.0 / ratio)
    }

    /// Power at the signed non-centrality `s = d sqrt(n)`.
    fn power_at(&self, s: f64) -> f64 {
        match self.alternative {
            Alternative::TwoSided => {
                let c = normal_isf(self.alpha / 2.0);
                normal_sf(c - s) + normal_sf(c + s)
            }
            Alternative::Larger => normal_sf(normal_isf(self.alpha) - s),
            Alternative::Smaller => normal_sf(normal_isf(self.alpha) + s),
        }
    }

    /// The non-centrality `s >= 0` in the helpful direction at which the power is `power`.
    fn solve_s(&self, power: f64) -> Result<f64> {
        let power = check_open_unit("power", power)?;
        let signed = |s: f64| if self.alternative == Alternative::Smaller { -s } else { s };
        if power <= self.power_at(0.0) {
            return Err(Error::OutOfRange { field: "power".into(), value: power, min: self.power_at(0.0), max: 1.0 });
        }
        Ok(falling_root(|s| power - self.power_at(signed(s)), 0.0))
    }

    /// Power of the test for standardised effect `effect_size` with `nobs1` units in the first
    /// arm (`ratio * nobs1` in the second).
    ///
    /// # Errors
    /// `alpha` outside (0, 1), `ratio` not positive, `nobs1` not positive, a non-finite
    /// `effect_size`: each names its field.
    pub fn power(&self, effect_size: f64, nobs1: f64) -> Result<f64> {
        let inflation = self.inflation()?;
        let d = check_range("effect_size", effect_size, f64::MIN, f64::MAX)?;
        let n1 = check_positive("nobs1", nobs1)?;
        Ok(self.power_at(d * (n1 / inflation).sqrt()))
    }

    /// Units in the first arm for power `power` at standardised effect `effect_size`.
    ///
    /// # Errors
    /// As [`power`](Self::power); `power` outside (0, 1) or not above the power at no effect
    /// (`alpha`); [`Error::InvalidParameter`] naming `effect_size` when it is 0 or points away
    /// from a one-sided alternative.
    pub fn nobs1(&self, effect_size: f64, power: f64) -> Result<f64> {
        let inflation = self.inflation()?;
        let d = check_range("effect_size", effect_size, f64::MIN, f64::MAX)?;
        let wrong_way = match self.alternative {
            Alternative::TwoSided => d == 0.0,
            Alternative::Larger => d <= 0.0,
            Alternative::Smaller => d >= 0.0,
        };
        if wrong_way {
            return Err(Error::param("effect_size", d, "no sample size reaches the power: the effect is 0 or against the alternative"));
        }
        let s = self.solve_s(power)?;
        Ok((s / d).powi(2) * inflation)
    }

    /// The smallest standardised effect detected with power `power` by `nobs1` units in the first
    /// arm (negative for the `smaller` alternative).
    ///
    /// # Errors
    /// As [`power`](Self::power) and [`nobs1`](Self::nobs1).
    pub fn effect_size(&self, nobs1: f64, power: f64) -> Result<f64> {
        let inflation = self.inflation()?;
        let n1 = check_positive("nobs1", nobs1)?;
        let s = self.solve_s(power)?;
        let d = s / (n1 / inflation).sqrt();
        Ok(if self.alternative == Alternative::Smaller { -d } else { d })
    }
}

/// Checks that `value` is finite and above 0.
fn check_positive(field: &str, value: f64) -> Result<f64> {
    check_range(field, value, 0.0, f64::INFINITY)?;
    if value == 0.0 {
        return Err(Error::OutOfRange { field: field.into(), value, min: f64::MIN_POSITIVE, max: f64::INFINITY });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_invert_power() {
        for alt in [Alternative::TwoSided, Alternative::Larger, Alternative::Smaller] {
            let p = NormalIndPower::default().ratio(0.7).alternative(alt);
            let d = if alt == Alternative::Smaller { -0.1 } else { 0.1 };
            let n = p.nobs1(d, 0.9).unwrap();
            assert!((p.power(d, n).unwrap() - 0.9).abs() < 1e-12, "{alt:?}");
            assert!((p.effect_size(n, 0.9).unwrap() - d).abs() < 1e-12, "{alt:?}");
        }
    }

    #[test]
    fn bad_levels_are_named() {
        let e = NormalIndPower::default().nobs1(0.1, 1.0).unwrap_err();
        assert!(e.to_string().starts_with("power must be in"), "{e}");
        let e = NormalIndPower::default().alpha(-0.1).power(0.1, 10.0).unwrap_err();
        assert_eq!(e.to_string(), "alpha must be in [0, 1], got -0.1");
        let e = NormalIndPower::default().nobs1(0.1, 0.01).unwrap_err();
        assert!(e.to_string().starts_with("power must be in [0.05"), "{e}");
        assert!(NormalIndPower::default().alternative(Alternative::Larger).nobs1(-0.1, 0.8).is_err());
    }
}
