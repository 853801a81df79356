//! The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007, "How to
//! project customer retention", *Journal of Interactive Marketing* 21(1), 76-90).
//!
//! Each customer renews every period with a constant probability `1 - theta`, `theta ~
//! Beta(alpha, beta)` across customers. With `n_0, n_1, ..., n_T` customers still active at the
//! start and after each period (a cohort's survivor counts), the log-likelihood is (paper
//! eq. 4-6)
//!
//! ```text
//! LL = sum_{t=1}^{T} (n_{t-1} - n_t) ln P(t) + n_T ln S(T)
//! P(t) = B(alpha+1, beta+t-1) / B(alpha, beta)      (churn in period t)
//! S(t) = B(alpha, beta+t) / B(alpha, beta)          (still active after t periods)
//! r_t  = (beta + t - 1) / (alpha + beta + t - 1)   (retention rate of period t, eq. 8)
//! ```
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `max_iter` | 2000 | L-BFGS iterations before the Newton polish | `>= 1` |
//! | `penalizer_coef` | 0 | lifetimes' L2 penalty on the parameters, for data without an interior maximum | `>= 0` |

use serde::{Deserialize, Serialize};
use statrs::function::beta::ln_beta;
use statrs::function::gamma::digamma;

use super::{check_positive, finite, maximise, FitDiagnostics, FitSettings, LogLik, Penalty};
use crate::{Error, Result};

/// Shifted-beta-geometric model settings (see the [module table](self)).
///
/// ```
/// use channelwise::clv::sbg::ShiftedBetaGeo;
/// // Fader & Hardie (2007), "regular" customers, years 0-7: alpha 0.704, beta 1.182 in the paper
/// let fit = ShiftedBetaGeo::default().fit(&[1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0])?;
/// assert!((fit.params.alpha - 0.704).abs() < 1e-3 && (fit.params.beta - 1.182).abs() < 1e-3);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ShiftedBetaGeo {
    settings: FitSettings,
}

/// The sBG parameters: `theta ~ Beta(alpha, beta)` is a customer's churn probability per period.
///
/// ```
/// use channelwise::clv::sbg::ShiftedBetaGeoParams;
/// let p = ShiftedBetaGeoParams::new(0.668, 3.806)?;
/// let s = p.survival_curve(3);
/// assert_eq!(s[0], 1.0);
/// assert!(s[1] > s[2] && s[2] > s[3]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ShiftedBetaGeoParams {
    /// First Beta parameter of the churn probability.
    pub alpha: f64,
    /// Second Beta parameter of the churn probability.
    pub beta: f64,
}

/// A fitted sBG model.
///
/// ```
/// use channelwise::clv::sbg::ShiftedBetaGeo;
/// let fit = ShiftedBetaGeo::default().fit(&[1000.0, 869.0, 743.0, 653.0, 593.0, 551.0, 517.0, 491.0])?;
/// assert!(fit.log_likelihood < 0.0 && fit.std_errors.alpha > 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedShiftedBetaGeo {
    /// Maximum-likelihood parameters.
    pub params: ShiftedBetaGeoParams,
    /// Their standard errors (inverse observed information; infinite if it is singular).
    pub std_errors: ShiftedBetaGeoParams,
    /// The maximised log-likelihood (the data's, without the penalty of a `penalizer_coef`).
    pub log_likelihood: f64,
    /// How the fit ended.
    pub diagnostics: FitDiagnostics,
}

/// Checks survivor counts: at least two, finite, non-negative, non-increasing, the first positive.
fn check_survivors(survivors: &[f64]) -> Result<()> {
    if survivors.len() < 2 {
        return Err(Error::NotEnoughData { what: "an sBG fit (survivor counts n_0, n_1, ...)".into(), required: 2, got: survivors.len() });
    }
    for (i, &n) in survivors.iter().enumerate() {
        crate::error::check_non_negative(|| format!("survivors[{i}]"), n)?;
        if i > 0 && n > survivors[i - 1] {
            return Err(Error::OutOfRange { field: format!("survivors[{i}]"), value: n, min: 0.0, max: survivors[i - 1] });
        }
    }
    if survivors[0] <= 0.0 {
        return Err(Error::OutOfRange { field: "survivors[0]".into(), value: survivors[0], min: f64::MIN_POSITIVE, max: f64::INFINITY });
    }
    Ok(())
}

struct Survivors<'a>(&'a [f64]);

impl LogLik for Survivors<'_> {
    fn total_weight(&self) -> f64 {
        self.0[0]
    }

    fn rows(&self) -> usize {
        self.0.len()
    }

    fn ll_grad(&self, phi: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (phi[0].exp(), phi[1].exp());
        let lb = ln_beta(a, b);
        let (dga, dgb, dgab) = (digamma(a), digamma(b), digamma(a + b));
        let n = self.0;
        let big_t = n.len() - 1;
        let (mut ll, mut ga, mut gb) = (0.0, 0.0, 0.0);
        for t in 1..=big_t {
            let tf = t as f64;
            let lost = n[t - 1] - n[t];
            if lost > 0.0 {
                let d = digamma(a + b + tf);
                ll += lost * (ln_beta(a + 1.0, b + (tf - 1.0)) - lb);
                ga += lost * (digamma(a + 1.0) - d - dga + dgab);
                gb += lost * (digamma(b + (tf - 1.0)) - d - dgb + dgab);
            }
        }
        let last = n[big_t];
        if last > 0.0 {
            let tf = big_t as f64;
            let d = digamma(a + b + tf);
            ll += last * (ln_beta(a, b + tf) - lb);
            ga += last * (dgab - d);
            gb += last * (digamma(b + tf) - d - dgb + dgab);
        }
        g[0] = a * ga;
        g[1] = b * gb;
        if !(g[0].is_finite() && g[1].is_finite()) {
            return f64::NAN;
        }
        ll
    }
}

impl ShiftedBetaGeo {
    fit_builders!(weight = "the cohort's size `n_0`", scaled = "");

    /// Fits to a cohort's survivor counts `n_0, n_1, ..., n_T` (active customers at the start
    /// and after each period).
    ///
    /// # Errors
    /// `not_enough_data` for fewer than two counts; `non_finite`, `out_of_range` for a negative
    /// count, a count above the previous one (`survivors[3]`), or `n_0 = 0`; `not_converged` when
    /// the likelihood has no interior maximum (no churn at all, or everyone gone after period 1).
    pub fn fit(&self, survivors: &[f64]) -> Result<FittedShiftedBetaGeo> {
        check_survivors(survivors)?;
        let m = maximise(&Survivors(survivors), &[0.0, 0.0], ("sBG", &["alpha", "beta"]), self.settings, Penalty { weight: survivors[0], scale: &[1.0; 2] }, None)?;
        let p = |x: &[f64]| ShiftedBetaGeoParams { alpha: x[0], beta: x[1] };
        Ok(FittedShiftedBetaGeo { params: p(&m.params), std_errors: p(&m.std_errors), log_likelihood: m.log_likelihood, diagnostics: m.diagnostics })
    }
}

impl ShiftedBetaGeoParams {
    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` for a parameter that is not a positive finite number.
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// assert!(ShiftedBetaGeoParams::new(0.704, 1.182).is_ok());
    /// assert!(ShiftedBetaGeoParams::new(0.0, 1.182).is_err());
    /// ```
    pub fn new(alpha: f64, beta: f64) -> Result<Self> {
        Ok(ShiftedBetaGeoParams { alpha: check_positive("alpha", alpha)?, beta: check_positive("beta", beta)? })
    }

    /// The log-likelihood of survivor counts at these parameters.
    ///
    /// # Errors
    /// As [`ShiftedBetaGeo::fit`] for the counts.
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// let p = ShiftedBetaGeoParams::new(0.668, 3.806)?;
    /// assert!(p.log_likelihood(&[1000.0, 631.0, 468.0])? < 0.0);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn log_likelihood(&self, survivors: &[f64]) -> Result<f64> {
        let p = Self::new(self.alpha, self.beta)?;
        check_survivors(survivors)?;
        let mut g = [0.0; 2];
        finite(|| "the sBG log-likelihood".into(), Survivors(survivors).ll_grad(&[p.alpha.ln(), p.beta.ln()], &mut g))
    }

    /// `P(T = t)`: the probability that a new customer churns in period `t >= 1` (0 for `t = 0`).
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// let p = ShiftedBetaGeoParams::new(1.0, 1.0)?;
    /// assert!((p.churn_probability(1) - 0.5).abs() < 1e-13);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn churn_probability(&self, t: u32) -> f64 {
        if t == 0 {
            return 0.0;
        }
        let tf = f64::from(t);
        (ln_beta(self.alpha + 1.0, self.beta + (tf - 1.0)) - ln_beta(self.alpha, self.beta)).exp()
    }

    /// `S(t)`: the probability that a new customer is still active after `t` periods.
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// let p = ShiftedBetaGeoParams::new(1.0, 1.0)?;
    /// assert!((p.survival(3) - 0.25).abs() < 1e-13); // 1 / (t + 1)
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn survival(&self, t: u32) -> f64 {
        (ln_beta(self.alpha, self.beta + f64::from(t)) - ln_beta(self.alpha, self.beta)).exp()
    }

    /// `r_t = S(t)/S(t-1)`: the retention rate of period `t >= 1` (paper eq. 8), rising with `t`.
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// let p = ShiftedBetaGeoParams::new(0.668, 3.806)?;
    /// assert!(p.retention(2) > p.retention(1));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn retention(&self, t: u32) -> f64 {
        let tf = f64::from(t.max(1));
        (self.beta + (tf - 1.0)) / (self.alpha + self.beta + (tf - 1.0))
    }

    /// `S(0), S(1), ..., S(periods)`.
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// assert_eq!(ShiftedBetaGeoParams::new(0.7, 1.2)?.survival_curve(12).len(), 13);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn survival_curve(&self, periods: u32) -> Vec<f64> {
        (0..=periods).map(|t| self.survival(t)).collect()
    }

    /// `r_1, ..., r_periods`.
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// assert_eq!(ShiftedBetaGeoParams::new(0.7, 1.2)?.retention_curve(12).len(), 12);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn retention_curve(&self, periods: u32) -> Vec<f64> {
        (1..=periods).map(|t| self.retention(t)).collect()
    }
}

impl FittedShiftedBetaGeo {
    /// The fitted parameters as `(name, value)` pairs.
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeo;
    /// let fit = ShiftedBetaGeo::default().fit(&[1000.0, 631.0, 468.0, 382.0])?;
    /// assert_eq!(fit.named_params()[1].0, "beta");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn named_params(&self) -> [(&'static str, f64); 2] {
        [("alpha", self.params.alpha), ("beta", self.params.beta)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survival_is_the_sum_of_later_churn() {
        let p = ShiftedBetaGeoParams::new(0.7, 1.2).unwrap();
        for t in 0..10 {
            let tail: f64 = (t + 1..20_000).map(|k| p.churn_probability(k)).sum();
            assert!((p.survival(t) - tail).abs() < 2e-3, "{t}");
            if t > 0 {
                assert!((p.survival(t) / p.survival(t - 1) - p.retention(t)).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn bad_counts_are_errors() {
        assert_eq!(ShiftedBetaGeo::default().fit(&[100.0, 120.0]).unwrap_err().to_string(), "survivors[1] must be in [0, 100], got 120");
        assert_eq!(ShiftedBetaGeo::default().fit(&[100.0]).unwrap_err().kind().code(), "not_enough_data");
        assert_eq!(ShiftedBetaGeo::default().fit(&[100.0, f64::NAN]).unwrap_err().kind().code(), "non_finite");
        assert_eq!(ShiftedBetaGeo::default().fit(&[0.0, 0.0]).unwrap_err().kind().code(), "out_of_range");
    }

    /// A second shape below half an ulp of 1 (found by the Python mutation net through a
    /// penalised fit of 9e15 customers): `beta + t - 1` rounded to 0 at t = 1 and statrs'
    /// `ln_beta` panicked. `beta + (t - 1)` keeps it; the fit says where it ended.
    #[test]
    fn a_vanishing_beta_is_no_panic() {
        let m = ShiftedBetaGeoParams::new(0.7, 1e-17).unwrap();
        let (s, r) = (m.survival_curve(2), m.retention_curve(2));
        // S(1) = r_1 = beta / (alpha + beta)
        assert!((s[1] / (1e-17 / (0.7 + 1e-17)) - 1.0).abs() < 1e-12 && (r[0] / s[1] - 1.0).abs() < 1e-12, "{s:?} {r:?}");
        let n = [9_007_199_254_740_992.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0];
        let e = ShiftedBetaGeo::default().penalizer_coef(0.01).fit(&n).unwrap_err();
        assert_eq!(e.kind().code(), "not_converged", "{e}");
        assert!(e.to_string().contains("beta fell below e^-12"), "{e}");
    }
}
