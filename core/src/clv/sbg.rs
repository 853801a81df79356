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
use statrs::function::gamma::{digamma, ln_gamma};

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

/// The most periods a survival or retention curve may have: a guard against a runaway
/// allocation (2^32 periods were 34 GB, and the allocation failure aborted the process).
pub const MAX_PERIODS: u32 = 10_000_000;

/// Up to this many periods `survival(t)` multiplies the retention rates; past it (with
/// `alpha + beta <= 1e6`, where the log-Betas do not cancel) it takes the Beta functions.
const EXACT_PERIODS: u32 = 100_000;

fn check_periods(periods: u32) -> Result<u32> {
    if periods > MAX_PERIODS {
        return Err(Error::OutOfRange { field: "periods".into(), value: f64::from(periods), min: 0.0, max: f64::from(MAX_PERIODS) });
    }
    Ok(periods)
}

/// The sBG parameters: `theta ~ Beta(alpha, beta)` is a customer's churn probability per period.
///
/// ```
/// use channelwise::clv::sbg::ShiftedBetaGeoParams;
/// let p = ShiftedBetaGeoParams::new(0.668, 3.806)?;
/// let s = p.survival_curve(3)?;
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
        if t <= EXACT_PERIODS || self.alpha + self.beta > 1e6 {
            // the product of the retention rates: B(a, b + t) / B(a, b) as a difference of two
            // log-Betas cancels when a and b are large (S(1) of 54.6 at a = 1e14, b = 3e14)
            return (0..t).map(|i| self.ln_retention(i)).sum::<f64>().exp();
        }
        // ln S(t) = -(ln G(x + a) - ln G(x)) + ln G(a + b) - ln G(b), x = b + t > 1e5: the first
        // difference by Stirling's series written without the cancelling x ln x terms (as a
        // difference of log-Betas it lost 6 digits at t = 4e9)
        let (a, x) = (self.alpha, self.beta + f64::from(t));
        let tail = |y: f64| 1.0 / (12.0 * y) - 1.0 / (360.0 * y * y * y);
        let up = a * x.ln() + (x + a - 0.5) * (a / x).ln_1p() - a + tail(x + a) - tail(x);
        (ln_gamma(a + self.beta) - ln_gamma(self.beta) - up).exp()
    }

    /// `ln r_(i+1) = ln((beta + i) / (alpha + beta + i))`, as `ln(1 - alpha / ...)` when that
    /// is near 1 (large beta) and as the ratio when it is not (a vanishing beta).
    fn ln_retention(&self, i: u32) -> f64 {
        let d = self.alpha + self.beta + f64::from(i);
        let q = self.alpha / d;
        if q < 0.5 {
            (-q).ln_1p()
        } else {
            ((self.beta + f64::from(i)) / d).ln()
        }
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

    /// `S(0), S(1), ..., S(periods)`, as running products of the retention rates.
    ///
    /// # Errors
    /// `out_of_range` naming `periods` past [`MAX_PERIODS`].
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// assert_eq!(ShiftedBetaGeoParams::new(0.7, 1.2)?.survival_curve(12)?.len(), 13);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn survival_curve(&self, periods: u32) -> Result<Vec<f64>> {
        let periods = check_periods(periods)?;
        let mut ln = 0.0;
        Ok((0..=periods)
            .map(|t| {
                if t > 0 {
                    ln += self.ln_retention(t - 1);
                }
                ln.exp()
            })
            .collect())
    }

    /// `r_1, ..., r_periods`.
    ///
    /// # Errors
    /// `out_of_range` naming `periods` past [`MAX_PERIODS`].
    ///
    /// ```
    /// use channelwise::clv::sbg::ShiftedBetaGeoParams;
    /// assert_eq!(ShiftedBetaGeoParams::new(0.7, 1.2)?.retention_curve(12)?.len(), 12);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn retention_curve(&self, periods: u32) -> Result<Vec<f64>> {
        Ok((1..=check_periods(periods)?).map(|t| self.retention(t)).collect())
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

    /// Large shapes (found by an audit): `S(t)` as a difference of log-Betas gave S(1) = 54.6 at
    /// alpha = 1e14, beta = 3e14, where the Beta(alpha, beta) churn is 0.25 for everyone and
    /// `S(t) = 0.75^t`. And 2^32 - 1 periods asked for 34 GB, whose failure aborted the process.
    #[test]
    fn large_shapes_and_runaway_periods() {
        for (a, b) in [(1e14, 3e14), (1e12, 3e12), (1.0, 3.0)] {
            let m = ShiftedBetaGeoParams::new(a, b).unwrap();
            let s = m.survival_curve(6).unwrap();
            for (t, st) in s.iter().enumerate() {
                assert_eq!(m.survival(t as u32), *st);
                if a > 1e6 {
                    assert!((st / 0.75f64.powi(t as i32) - 1.0).abs() < 1e-9, "{a}: S({t}) = {st}");
                }
            }
            // S(t) / S(t - 1) is the retention rate
            let r = m.retention_curve(6).unwrap();
            for t in 1..=6 {
                assert!((s[t] / s[t - 1] / r[t - 1] - 1.0).abs() < 1e-12);
            }
        }
        // past EXACT_PERIODS the Beta functions: B(1, 3 + t) / B(1, 3) = 3 / (3 + t) by hand
        let m = ShiftedBetaGeoParams::new(1.0, 3.0).unwrap();
        for t in [EXACT_PERIODS, EXACT_PERIODS + 1, 4_000_000_000] {
            assert!((m.survival(t) * (3.0 + f64::from(t)) / 3.0 - 1.0).abs() < 1e-12, "{t}: {}", m.survival(t) * (3.0 + f64::from(t)) / 3.0 - 1.0);
        }
        let e = m.survival_curve(u32::MAX).unwrap_err();
        assert_eq!(e.to_string(), "periods must be in [0, 10000000], got 4294967295");
        assert!(m.retention_curve(MAX_PERIODS + 1).is_err() && m.retention_curve(3).is_ok());
    }

    /// A second shape below half an ulp of 1 (found by the Python mutation net through a
    /// penalised fit of 9e15 customers): `beta + t - 1` rounded to 0 at t = 1 and statrs'
    /// `ln_beta` panicked. `beta + (t - 1)` keeps it; the fit says where it ended.
    #[test]
    fn a_vanishing_beta_is_no_panic() {
        let m = ShiftedBetaGeoParams::new(0.7, 1e-17).unwrap();
        let (s, r) = (m.survival_curve(2).unwrap(), m.retention_curve(2).unwrap());
        // S(1) = r_1 = beta / (alpha + beta)
        assert!((s[1] / (1e-17 / (0.7 + 1e-17)) - 1.0).abs() < 1e-12 && (r[0] / s[1] - 1.0).abs() < 1e-12, "{s:?} {r:?}");
        let n = [9_007_199_254_740_992.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0];
        let e = ShiftedBetaGeo::default().penalizer_coef(0.01).fit(&n).unwrap_err();
        assert_eq!(e.kind().code(), "not_converged", "{e}");
        assert!(e.to_string().contains("beta fell below e^-12"), "{e}");
    }
}
