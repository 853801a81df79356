//! CUPED: variance reduction with a pre-period covariate, as gbstats' regression adjustment.
//!
//! Each arm brings the sufficient statistics of its metric (`sum`, `sum_squares`), of the same
//! metric before the experiment (`pre_sum`, `pre_sum_squares`) and of their product
//! (`sum_products`). One `theta = cov(post, pre) / var(pre)` is estimated from both arms pooled
//! (their sums added, as gbstats' `compute_theta`), and each arm's mean becomes
//! `post_mean - theta * pre_mean` with variance
//! `var(post) + theta^2 var(pre) - 2 theta cov(post, pre)`. Relative effects keep dividing by
//! the unadjusted control mean (the adjusted [`Summary`] carries it), so every test of
//! [`ab`](super::ab), [`bayes`](super::bayes) and [`sequential`](super::sequential) takes the
//! adjusted arms unchanged. When either pooled variance is 0, `theta` is 0 and nothing changes
//! (gbstats falls back to the unadjusted test the same way).
//!
//! With pooled correlation `rho`, the variance falls by the factor `1 - rho^2`, so a test with
//! CUPED detects the standardised effect `d` as one without it would detect
//! `d / sqrt(1 - rho^2)`: [`effect_size`] feeds [`power`](super::power).
//!
//! ```
//! use channelwise::experiment::ab::{welch, TestOptions};
//! use channelwise::experiment::cuped::{adjust, CupedArm};
//! let a = CupedArm { n: 100.0, sum: 1050.0, sum_squares: 12000.0, pre_sum: 1000.0, pre_sum_squares: 11000.0, sum_products: 11400.0 };
//! let b = CupedArm { n: 100.0, sum: 1120.0, sum_squares: 13400.0, pre_sum: 1010.0, pre_sum_squares: 11200.0, sum_products: 12100.0 };
//! let c = adjust(&a, &b)?;
//! assert!(c.theta > 0.0 && c.b.variance < 14.0);
//! let t = welch(&c.a, &c.b, &TestOptions::default())?;
//! assert!(t.p_value < 0.05);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::ab::Summary;
use crate::error::{check_range, Error, Result};

/// Sufficient statistics of one arm for CUPED.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CupedArm {
    /// Units, at least 2.
    pub n: f64,
    /// Sum of the metric in the experiment.
    pub sum: f64,
    /// Sum of its squares.
    pub sum_squares: f64,
    /// Sum of the pre-period covariate.
    pub pre_sum: f64,
    /// Sum of its squares.
    pub pre_sum_squares: f64,
    /// Sum of metric times covariate.
    pub sum_products: f64,
}

/// The result of [`adjust`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cuped {
    /// The pooled regression coefficient of the metric on the covariate.
    pub theta: f64,
    /// The pooled correlation of metric and covariate (0 when `theta` is).
    pub correlation: f64,
    /// A, adjusted.
    pub a: Summary,
    /// B, adjusted.
    pub b: Summary,
}

/// A centred second moment `(sum_xy - sum_x sum_y / n) / (n - 1)`; negative variances within
/// rounding become 0, a larger negative one is an error naming `field`.
fn co_moment(field: &str, n: f64, sxy: f64, sx: f64, sy: f64, variance: bool) -> Result<f64> {
    let mean_part = sx * sy / n;
    let c = sxy - mean_part;
    if variance && c < 0.0 {
        if c < -1e-9 * sxy.abs().max(mean_part.abs()) {
            return Err(Error::OutOfRange { field: field.into(), value: sxy, min: mean_part, max: f64::INFINITY });
        }
        return Ok(0.0);
    }
    Ok(c / (n - 1.0))
}

impl CupedArm {
    fn check(&self, arm: &str) -> Result<()> {
        check_range(format!("{arm}.n"), self.n, 2.0, f64::INFINITY)?;
        for (name, v) in [
            ("sum", self.sum),
            ("sum_squares", self.sum_squares),
            ("pre_sum", self.pre_sum),
            ("pre_sum_squares", self.pre_sum_squares),
            ("sum_products", self.sum_products),
        ] {
            check_range(format!("{arm}.{name}"), v, f64::MIN, f64::MAX)?;
        }
        Ok(())
    }

    /// `(post variance, pre variance, covariance)`; a covariance past Cauchy-Schwarz
    /// (`|cov| <= sqrt(var_post var_pre)`, beyond rounding) is an error naming `sum_products`
    /// with the range its variances allow (it was clamped to a correlation of 1, silently).
    fn moments(&self, arm: &str) -> Result<(f64, f64, f64)> {
        let (n, s, p) = (self.n, self.sum, self.pre_sum);
        let field = format!("{arm}.sum_products");
        let (v, w) = (
            co_moment(&format!("{arm}.sum_squares"), n, self.sum_squares, s, s, true)?,
            co_moment(&format!("{arm}.pre_sum_squares"), n, self.pre_sum_squares, p, p, true)?,
        );
        let c = co_moment(&field, n, self.sum_products, s, p, false)?;
        let room = (v * w).sqrt() * (n - 1.0);
        if (c * (n - 1.0)).abs() > room * (1.0 + 1e-9) + 1e-9 * self.sum_products.abs() {
            let centre = s * p / n;
            return Err(Error::OutOfRange { field, value: self.sum_products, min: centre - room, max: centre + room });
        }
        Ok((v, w, c))
    }
}

/// Adjusts both arms with one pooled `theta`.
///
/// # Errors
/// [`Error::OutOfRange`] or [`Error::NonFinite`] naming the field of either arm (`a.n` below 2,
/// `b.pre_sum_squares` below `pre_sum^2 / n`, ...).
pub fn adjust(a: &CupedArm, b: &CupedArm) -> Result<Cuped> {
    a.check("a")?;
    b.check("b")?;
    let pooled = CupedArm {
        n: a.n + b.n,
        sum: a.sum + b.sum,
        sum_squares: a.sum_squares + b.sum_squares,
        pre_sum: a.pre_sum + b.pre_sum,
        pre_sum_squares: a.pre_sum_squares + b.pre_sum_squares,
        sum_products: a.sum_products + b.sum_products,
    };
    let (va, pa, ca) = a.moments("a")?;
    let (vb, pb, cb) = b.moments("b")?;
    let (v, p, c) = pooled.moments("a + b")?;
    let (theta, correlation) = if v == 0.0 || p == 0.0 { (0.0, 0.0) } else { (c / p, (c / (v * p).sqrt()).clamp(-1.0, 1.0)) };
    let summary = |arm: &CupedArm, v: f64, p: f64, c: f64| {
        let post = arm.sum / arm.n;
        Summary {
            n: arm.n,
            mean: post - theta * arm.pre_sum / arm.n,
            variance: (v + theta * theta * p - 2.0 * theta * c).max(0.0),
            unadjusted_mean: Some(post),
        }
    };
    Ok(Cuped { theta, correlation, a: summary(a, va, pa, ca), b: summary(b, vb, pb, cb) })
}

/// The standardised effect a CUPED test sees for raw effect size `d` at covariate correlation
/// `rho`: `d / sqrt(1 - rho^2)`.
///
/// # Errors
/// [`Error::OutOfRange`] naming `rho` outside (-1, 1) or a non-finite `effect_size`.
///
/// ```
/// use channelwise::experiment::{cuped, power::NormalIndPower};
/// let plain = NormalIndPower::default().nobs1(0.05, 0.8)?;
/// let with = NormalIndPower::default().nobs1(cuped::effect_size(0.05, 0.6)?, 0.8)?;
/// assert!((with / plain - 0.64).abs() < 1e-9); // 1 - rho^2
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn effect_size(effect_size: f64, rho: f64) -> Result<f64> {
    let d = check_range("effect_size", effect_size, f64::MIN, f64::MAX)?;
    let rho = check_range("rho", rho, -1.0, 1.0)?;
    if rho.abs() == 1.0 {
        return Err(Error::OutOfRange { field: "rho".into(), value: rho, min: -1.0 + f64::EPSILON, max: 1.0 - f64::EPSILON });
    }
    Ok(d / (1.0 - rho * rho).sqrt())
}
