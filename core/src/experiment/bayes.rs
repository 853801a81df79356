//! Bayesian A/B statistics: the beta-binomial model of two conversion rates, solved exactly, and
//! gbstats' effect model (a normal likelihood of the effect with a flat or Gaussian prior).
//!
//! **Beta-binomial** ([`beta_binomial`]): each rate has a `Beta(prior.alpha + successes,
//! prior.beta + failures)` posterior. `P(B > A)` is Evan Miller's closed-form sum
//! (<https://www.evanmiller.org/bayesian-ab-testing.html>) and the expected loss of each choice
//! Chris Stucchio's closed form built on it, all exact: the sum runs over the smallest integer
//! shape of the two posteriors, so at least one of the four posterior shapes must be a whole
//! number (any integer prior with counts; a Jeffreys prior with half-integer shapes everywhere is
//! refused rather than simulated).
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `prior.alpha` | 1 | Beta prior pseudo-successes, both arms | (0, inf) |
//! | `prior.beta` | 1 | Beta prior pseudo-failures, both arms | (0, inf) |
//!
//! **Effect model** ([`EffectBayes`], gbstats 0.8's `EffectBayesianABTest`): the data give the
//! effect of B against A (absolute, or relative by the delta method) as normal with the
//! frequentist mean and variance; a flat prior leaves it there, a proper Gaussian prior on the
//! relative or absolute effect (rescaled by the control mean when the scales differ) combines by
//! precision. Chance to win is `P(effect > 0)` (`P(effect < 0)` for an `inverse` metric, where
//! lower is better); risk is the expected loss `[E max(effect, 0), E max(-effect, 0)]` of
//! choosing control and treatment (swapped for an inverse metric).
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `alpha` | 0.05 | credible interval covers `1 - alpha` | (0, 1) |
//! | `relative` | true | effect is `(mean_b - mean_a) / mean_a` (else `mean_b - mean_a`) | |
//! | `inverse` | false | lower is better | |
//! | `prior` | flat | `None` (flat) or `Some(GaussianPrior { mean, variance })` | variance in (0, inf) |
//! | `prior_relative` | true | the prior is on the relative effect (else absolute) | |
//!
//! ```
//! use channelwise::experiment::ab::Proportion;
//! use channelwise::experiment::bayes::{beta_binomial, BetaPrior, EffectBayes};
//! let r = beta_binomial(Proportion::new(1000.0, 100.0), Proportion::new(1000.0, 125.0), BetaPrior::default())?;
//! assert!(r.chance_to_beat_a > 0.95 && r.loss_choosing_b < r.loss_choosing_a);
//! let a = Proportion::new(1000.0, 100.0).summary("a")?;
//! let b = Proportion::new(1000.0, 125.0).summary("b")?;
//! let e = EffectBayes::default().fit(&a, &b)?;
//! assert!((e.chance_to_win + e.chance_to_lose() - 1.0).abs() < 1e-15);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::ab::{check_open_unit, checked_effect, normal_isf, Proportion, Summary};
use crate::error::{check_range, Error, Result};
use crate::stats::normal_sf;

/// The Beta prior of both conversion rates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BetaPrior {
    /// Pseudo-successes.
    pub alpha: f64,
    /// Pseudo-failures.
    pub beta: f64,
}

impl Default for BetaPrior {
    fn default() -> Self {
        BetaPrior { alpha: 1.0, beta: 1.0 }
    }
}

/// The result of [`beta_binomial`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BetaBinomial {
    /// Posterior shapes `[alpha, beta]` of A's rate.
    pub posterior_a: [f64; 2],
    /// Posterior shapes of B's rate.
    pub posterior_b: [f64; 2],
    /// `P(p_b > p_a)`.
    pub chance_to_beat_a: f64,
    /// Expected loss of choosing A, `E max(p_b - p_a, 0)`.
    pub loss_choosing_a: f64,
    /// Expected loss of choosing B, `E max(p_a - p_b, 0)`.
    pub loss_choosing_b: f64,
}

/// `ln B(x, y)` from libm's `lgamma` (closer to 1 ulp than statrs' `ln_gamma`, whose error
/// showed at 1e-13 in the sums).
fn ln_beta(x: f64, y: f64) -> f64 {
    libm::lgamma(x) + libm::lgamma(y) - libm::lgamma(x + y)
}

/// Most terms of a closed-form sum (a shape of ten million): beyond, the effect model is the tool.
const MAX_TERMS: f64 = 1e7;

/// `P(X > Y)` for `X ~ Beta(c, d)`, `Y ~ Beta(a, b)` with `c` a whole number: Evan Miller's sum
/// `sum_{i<c} B(a+i, b+d) / ((d+i) B(1+i, d) B(a, b))`, its terms by their ratio
/// `(a+i)(d+i) / ((a+b+d+i)(1+i))`.
fn miller_sum(a: f64, b: f64, c: f64, d: f64) -> f64 {
    // B(1, d) = 1 / d cancels the 1 / d of the first term
    let mut ln_term = ln_beta(a, b + d) - ln_beta(a, b);
    let mut total = 0.0;
    let mut i = 0.0;
    while i < c {
        total += ln_term.exp();
        ln_term += ((a + i) * (d + i) / ((a + b + d + i) * (1.0 + i))).ln();
        i += 1.0;
    }
    total
}

fn whole(x: f64) -> bool {
    x.fract() == 0.0 && x <= MAX_TERMS
}

/// `P(X > Y)` for `X ~ Beta(c, d)`, `Y ~ Beta(a, b)`, summing over the smallest whole shape:
/// `c` directly, `a` by `1 - P(Y > X)`, `b` and `d` through `1 - X ~ Beta(d, c)`.
fn prob_greater(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    let options = [(c, 0), (a, 1), (b, 2), (d, 3)];
    let (_, pick) = options.iter().filter(|(s, _)| whole(*s)).min_by(|x, y| x.0.total_cmp(&y.0))?;
    Some(match pick {
        0 => miller_sum(a, b, c, d),
        1 => 1.0 - miller_sum(c, d, a, b),
        // P(X > Y) = P(1 - Y > 1 - X) with 1 - Y ~ Beta(b, a) and 1 - X ~ Beta(d, c)
        2 => miller_sum(d, c, b, a),
        _ => 1.0 - miller_sum(b, a, d, c),
    })
}

/// Chance that B's rate beats A's and the expected loss of choosing each, exact.
///
/// # Errors
/// Bad counts naming `a.n`, `b.successes`, ...; `prior.alpha` or `prior.beta` not positive;
/// [`Error::InvalidParameter`] naming `prior` when no posterior shape is a whole number (the
/// closed form needs one), or naming the count behind the smallest whole shape (`a.successes`,
/// `a.n`, ...) when every whole one is past `1e7` terms.
///
/// ```
/// use channelwise::experiment::ab::Proportion;
/// use channelwise::experiment::bayes::{beta_binomial, BetaPrior};
/// // equal data: a coin flip, equal losses
/// let r = beta_binomial(Proportion::new(50.0, 5.0), Proportion::new(50.0, 5.0), BetaPrior::default())?;
/// assert!((r.chance_to_beat_a - 0.5).abs() < 1e-12);
/// assert!((r.loss_choosing_a - r.loss_choosing_b).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn beta_binomial(a: Proportion, b: Proportion, prior: BetaPrior) -> Result<BetaBinomial> {
    a.summary("a")?;
    b.summary("b")?;
    for (field, v) in [("prior.alpha", prior.alpha), ("prior.beta", prior.beta)] {
        check_range(field, v, f64::MIN_POSITIVE, f64::MAX)?;
    }
    let (aa, ab) = (prior.alpha + a.successes, prior.beta + a.n - a.successes);
    let (ba, bb) = (prior.alpha + b.successes, prior.beta + b.n - b.successes);
    let refuse = || {
        // whole shapes, all past the sum's terms: the counts are too large, not the prior
        let shapes = [(aa, "a.successes", a.successes), (ab, "a.n", a.n), (ba, "b.successes", b.successes), (bb, "b.n", b.n)];
        if let Some((shape, field, count)) = shapes.into_iter().filter(|s| s.0.fract() == 0.0).min_by(|x, y| x.0.total_cmp(&y.0)) {
            let reason = format!("the smallest whole posterior shape is {shape}, past the exact sum's {MAX_TERMS:e} terms; at these counts use the effect model (gbstats' normal approximation)");
            return Error::param(field, count, reason);
        }
        let value = format!("Beta({}, {})", prior.alpha, prior.beta);
        Error::param("prior", value, "the exact sum needs a whole-number posterior shape (an integer prior with counts)")
    };
    let p = prob_greater(aa, ab, ba, bb).ok_or_else(refuse)?;
    // Stucchio: E max(X_b - X_a, 0) = E[X_b] P(X_b' > X_a) - E[X_a] P(X_b > X_a'), X' one shape up
    let (mean_a, mean_b) = (aa / (aa + ab), ba / (ba + bb));
    let up_b = prob_greater(aa, ab, ba + 1.0, bb).ok_or_else(refuse)?;
    let up_a = prob_greater(aa + 1.0, ab, ba, bb).ok_or_else(refuse)?;
    let loss_a = (mean_b * up_b - mean_a * up_a).max(0.0);
    let loss_b = (loss_a - (mean_b - mean_a)).max(0.0);
    Ok(BetaBinomial {
        posterior_a: [aa, ab],
        posterior_b: [ba, bb],
        chance_to_beat_a: p.clamp(0.0, 1.0),
        loss_choosing_a: loss_a,
        loss_choosing_b: loss_b,
    })
}

/// A proper Gaussian prior on the effect.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GaussianPrior {
    /// Prior mean of the effect.
    pub mean: f64,
    /// Prior variance of the effect, above 0.
    pub variance: f64,
}

/// gbstats' Bayesian effect model; see the table in the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EffectBayes {
    /// Credible intervals cover `1 - alpha`.
    pub alpha: f64,
    /// Relative effect (else absolute).
    pub relative: bool,
    /// Lower is better.
    pub inverse: bool,
    /// `None` for a flat prior.
    pub prior: Option<GaussianPrior>,
    /// The prior is on the relative effect (else absolute).
    pub prior_relative: bool,
}

impl Default for EffectBayes {
    fn default() -> Self {
        EffectBayes { alpha: 0.05, relative: true, inverse: false, prior: None, prior_relative: true }
    }
}

/// The posterior of [`EffectBayes::fit`] (gbstats' `BayesianTestResult`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EffectPosterior {
    /// Posterior mean of the effect (gbstats' `expected`).
    pub mean: f64,
    /// Posterior standard deviation (gbstats' `uplift.stddev`).
    pub std_dev: f64,
    /// Lower end of the equal-tailed credible interval.
    pub ci_lower: f64,
    /// Upper end.
    pub ci_upper: f64,
    /// Chance that B is better than A.
    pub chance_to_win: f64,
    /// Expected loss of choosing A (control).
    pub risk_control: f64,
    /// Expected loss of choosing B (treatment).
    pub risk_treatment: f64,
}

impl EffectPosterior {
    /// Chance that A is better, `1 - chance_to_win`.
    pub fn chance_to_lose(&self) -> f64 {
        1.0 - self.chance_to_win
    }
}

impl EffectBayes {
    /// Sets the prior (`None` for flat).
    pub fn prior(mut self, prior: Option<GaussianPrior>) -> Self {
        self.prior = prior;
        self
    }

    /// Sets whether the effect is relative.
    pub fn relative(mut self, relative: bool) -> Self {
        self.relative = relative;
        self
    }

    /// Posterior of the effect of B against A.
    ///
    /// # Errors
    /// `alpha` outside (0, 1); a prior variance not positive (`prior.variance`); summaries with
    /// fewer than 2 units or negative variance; [`Error::InvalidParameter`] naming `a.mean` for
    /// a relative effect or a rescaled prior over a control mean of 0, `variance` when both arms
    /// have none.
    pub fn fit(&self, a: &Summary, b: &Summary) -> Result<EffectPosterior> {
        let alpha = check_open_unit("alpha", self.alpha)?;
        let (a, _, data_mean, data_se) = checked_effect(a, b, self.relative)?;
        let data_var = data_se * data_se;
        let (mean, var) = match self.prior {
            None => (data_mean, data_var),
            Some(p) => {
                let pm = check_range("prior.mean", p.mean, f64::MIN, f64::MAX)?;
                let pv = check_range("prior.variance", p.variance, f64::MIN_POSITIVE, f64::MAX)?;
                let ua = a.raw_mean();
                let (pm, pv) = match (self.relative, self.prior_relative) {
                    (true, false) | (false, true) if ua == 0.0 => {
                        return Err(Error::param("a.mean", ua, "rescaling the prior divides by the control mean"));
                    }
                    (true, false) => (pm / ua.abs(), pv / (ua * ua)),
                    (false, true) => (pm * ua.abs(), pv * ua * ua),
                    _ => (pm, pv),
                };
                let precision = 1.0 / data_var + 1.0 / pv;
                ((data_mean / data_var + pm / pv) / precision, 1.0 / precision)
            }
        };
        let sd = var.sqrt();
        let q = normal_isf(alpha / 2.0);
        let up = normal_sf(-mean / sd);
        let (risk_control, risk_treatment) = (positive_part_mean(mean, sd), positive_part_mean(-mean, sd));
        let (chance_to_win, risk_control, risk_treatment) =
            if self.inverse { (1.0 - up, risk_treatment, risk_control) } else { (up, risk_control, risk_treatment) };
        Ok(EffectPosterior { mean, std_dev: sd, ci_lower: mean - q * sd, ci_upper: mean + q * sd, chance_to_win, risk_control, risk_treatment })
    }
}

/// `E max(X, 0)` for `X ~ N(mu, sd^2)`: `mu Phi(mu/sd) + sd phi(mu/sd)`.
fn positive_part_mean(mu: f64, sd: f64) -> f64 {
    let z = mu / sd;
    let pdf = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    (mu * normal_sf(-z) + sd * pdf).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route of the closed form gives the same number.
    #[test]
    fn four_routes_agree() {
        let (a, b, c, d) = (12.0, 30.0, 15.0, 28.0);
        let direct = miller_sum(a, b, c, d);
        assert!((direct - (1.0 - miller_sum(c, d, a, b))).abs() < 1e-13);
        assert!((direct - miller_sum(d, c, b, a)).abs() < 1e-13);
        assert!((direct - (1.0 - miller_sum(b, a, d, c))).abs() < 1e-13);
    }

    #[test]
    fn losses_differ_by_the_mean_difference() {
        let r = beta_binomial(Proportion::new(200.0, 30.0), Proportion::new(180.0, 35.0), BetaPrior { alpha: 2.0, beta: 5.5 }).unwrap();
        let ma = r.posterior_a[0] / (r.posterior_a[0] + r.posterior_a[1]);
        let mb = r.posterior_b[0] / (r.posterior_b[0] + r.posterior_b[1]);
        assert!((r.loss_choosing_a - r.loss_choosing_b - (mb - ma)).abs() < 1e-14);
        let e = beta_binomial(Proportion::new(20.0, 3.0), Proportion::new(20.0, 4.0), BetaPrior { alpha: 0.5, beta: 0.5 }).unwrap_err();
        assert_eq!(e.kind().code(), "invalid_parameter");
        assert!(e.to_string().starts_with("invalid prior: \"Beta(0.5, 0.5)\""), "{e}");
    }

    #[test]
    fn counts_past_the_sum_are_named_not_the_prior() {
        // Beta(1, 1) is a whole prior: the shapes are whole, all past 1e7 terms (it blamed the prior)
        let (a, b) = (Proportion::new(1e9, 2e7), Proportion::new(1e9, 2.1e7));
        let e = beta_binomial(a, b, BetaPrior::default()).unwrap_err();
        assert_eq!(e.to_string(), "invalid a.successes: \"20000000\" (the smallest whole posterior shape is 20000001, past the exact sum's 1e7 terms; at these counts use the effect model (gbstats' normal approximation))");
        // one shape within reach is enough
        assert!(beta_binomial(Proportion::new(1e9, 9e6), b, BetaPrior::default()).is_ok());
    }
}
