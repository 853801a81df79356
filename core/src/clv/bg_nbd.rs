//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way: an
//! alternative to the Pareto/NBD model", *Marketing Science* 24(2), 275-284).
//!
//! While alive a customer buys as a Poisson process with rate `lambda ~ Gamma(r, alpha)`; after
//! every purchase she drops out with probability `p ~ Beta(a, b)`. With `x` repeat purchases, the
//! last at `t_x`, observed for `T`, the likelihood is (paper eq. 6, Hardie's note 004)
//!
//! ```text
//! L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
//!   + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))
//! ```
//!
//! P(alive) is eq. 11 (the form lifetimes 0.11.3 uses), the conditional expectation eq. 10
//! (with `2F1` in log space, see [`hyp2f1`](super::hyp2f1)), the unconditional expectation eq. 9
//! and the probability of `n` purchases eq. 8 (its finite sum written as the regularised
//! incomplete beta function `I_{t/(alpha+t)}(n, r)`, the negative binomial's upper tail).
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `max_iter` | 2000 | L-BFGS iterations of the fallback, where Newton from the start does not converge | `>= 1` |
//! | `penalizer_coef` | 0 | lifetimes' L2 penalty on the parameters, for data without an interior maximum | `>= 0` |
//! | `collapse` | `true` | fit customers sharing `(frequency, recency, T)` as one weighted row | |

use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

use super::hyp2f1::ln_hyp2f1;
use super::polygamma::{beta_reg, ln_1_plus, ln_gamma_diff, GammaAt};
use super::{check_histories, check_horizon, start_error, check_positive, finite, maximise, sum_chunks, time_scale, to_log_scale, FitDiagnostics, FitSettings, Histories, LogLik, Penalty};
use crate::{Error, Result};

/// BG/NBD model settings (see the [module table](self)).
///
/// ```
/// use channelwise::clv::bg_nbd::BetaGeo;
/// let fit = BetaGeo::default().fit(&[0.0, 2.0, 5.0, 1.0], &[0.0, 10.0, 30.0, 2.0], &[40.0, 40.0, 38.0, 35.0], None)?;
/// assert!(fit.params.r > 0.0 && fit.log_likelihood < 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BetaGeo {
    settings: FitSettings,
}

/// The BG/NBD parameters `r, alpha` (purchase rate: Gamma shape and rate) and `a, b` (dropout
/// probability: Beta), in the time unit of the data.
///
/// ```
/// use channelwise::clv::bg_nbd::BetaGeoParams;
/// // Fader, Hardie & Lee (2005), CDNOW, weeks
/// let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
/// let e = p.expected_purchases_unconditional(52.0)?;
/// assert!(e > 1.0 && e < 2.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BetaGeoParams {
    /// Shape of the Gamma purchase-rate distribution.
    pub r: f64,
    /// Rate (scale in time units) of the Gamma purchase-rate distribution.
    pub alpha: f64,
    /// First Beta parameter of the dropout probability.
    pub a: f64,
    /// Second Beta parameter of the dropout probability.
    pub b: f64,
}

/// A fitted BG/NBD model.
///
/// ```
/// use channelwise::clv::bg_nbd::{BetaGeo, FittedBetaGeo};
/// let fit = BetaGeo::default().fit(&[0.0, 2.0, 5.0, 1.0], &[0.0, 10.0, 30.0, 2.0], &[40.0, 40.0, 38.0, 35.0], None)?;
/// assert_eq!(fit.std_errors.r.is_finite(), true);
/// assert!(fit.diagnostics.grad_norm < 1e-6);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedBetaGeo {
    /// Maximum-likelihood parameters.
    pub params: BetaGeoParams,
    /// Their standard errors (inverse observed information; infinite if it is singular).
    pub std_errors: BetaGeoParams,
    /// The maximised log-likelihood (sum over customers, weighted; the data's, without the
    /// penalty of a `penalizer_coef`).
    pub log_likelihood: f64,
    /// How the fit ended.
    pub diagnostics: FitDiagnostics,
}

impl BetaGeo {
    fit_builders!(weight = "the number of customers", scaled = " (alpha in units of the largest `T`, as lifetimes fits it)", collapse = "histories");

    /// Fits by maximum likelihood to customers' `frequency` (repeat purchases), `recency` and
    /// age `t` (lifetimes' `T`), with optional non-negative weights (customers per row).
    ///
    /// # Errors
    /// `length_mismatch`, `non_finite`, `out_of_range` (negative frequency or weight, recency
    /// outside `[0, T]`), `invalid_parameter` (fractional frequency, frequency 0 with recency > 0),
    /// each naming the column and index; `not_enough_data` for no customers or none with a
    /// repeat purchase; `not_converged` if the likelihood has no interior maximum (a parameter
    /// runs off to 0 or infinity, as when customers all buy at one rate; the message says where
    /// the fit ended);
    /// `invalid_parameter` naming `frequency[i]` for a history whose likelihood is past double
    /// precision at the start (e.g. 1e300 purchases).
    pub fn fit(&self, frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Result<FittedBetaGeo> {
        let m = fit_variant(BG, self.settings, (frequency, recency, t), weights)?;
        let p = |v: &[f64]| BetaGeoParams { r: v[0], alpha: v[1], a: v[2], b: v[3] };
        Ok(FittedBetaGeo { params: p(&m.params), std_errors: p(&m.std_errors), log_likelihood: m.log_likelihood, diagnostics: m.diagnostics })
    }
}

/// A member of the BG/NBD family: how many chances to drop out a customer has had before her
/// `x`-th repeat purchase is `x + shift`. BG/NBD (`shift` 0) drops out only after a repeat
/// purchase; MBG/NBD (`shift` 1, Batislam, Denizel & Filiztekin 2007) also right after the
/// first. Every formula of the family is BG/NBD's with the Beta part's `x` read as `x + shift`
/// (the Gamma part keeps `x`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Variant {
    pub(super) shift: f64,
    pub(super) name: &'static str,
}

/// BG/NBD.
pub(super) const BG: Variant = Variant { shift: 0.0, name: "BG/NBD" };

/// Fits a member of the family: the maximiser's result in `(r, alpha, a, b)`.
pub(super) fn fit_variant(v: Variant, settings: FitSettings, (frequency, recency, t): (&[f64], &[f64], &[f64]), weights: Option<&[f64]>) -> Result<super::Mle> {
    let h = Histories::new(frequency, recency, t, weights, settings.collapse)?;
    h.require_repeat(v.name)?;
    let phi0 = start(&h);
    let bad_start = |why: &str| start_error((v.name, why), (frequency, recency, t), |h, g| BgLik(h, v.shift).ll_grad(&start(h), g));
    let scale = [1.0, time_scale(t), 1.0, 1.0];
    maximise(&BgLik(&h, v.shift), &phi0, (v.name, &["r", "alpha", "a", "b"]), settings, Penalty { weight: h.total_weight(), scale: &scale }, Some(&bad_start))
}

/// The fit's start in log-parameters: r = 1, alpha from the purchase rate, a = b = 1.
fn start(h: &Histories) -> [f64; 4] {
    let (mx, mt) = h.means();
    let rate = (mx.max(0.05) / mt.max(1e-9)).max(1e-9);
    [0.0, (1.0 / rate).ln(), 0.0, 0.0]
}

/// The family's log-likelihood on histories, with the variant's `shift`.
pub(super) struct BgLik<'a>(pub(super) &'a Histories, pub(super) f64);

loglik_by_eval!(BgLik<'_>, |s| s.0);

impl BgLik<'_> {
    /// The log-likelihood, writing its gradient (and with `HESS` its Hessian) in log-parameters.
    /// Derivatives are summed in `(r, alpha, a, b)` and moved to the log scale at the end.
    fn eval<const HESS: bool>(&self, phi: &[f64], g: &mut [f64], hess: &mut [f64]) -> f64 {
        let (h, shift) = (self.0, self.1);
        let (r, alpha, a, b) = (phi[0].exp(), phi[1].exp(), phi[2].exp(), phi[3].exp());
        let (ln_a, ln_alpha) = (a.ln(), alpha.ln());
        // terms that depend on the customer only through x, as differences of ln G, digamma
        // and trigamma that keep their digits at large parameters (GammaAt)
        let mut ll = 0.0;
        let mut gr = [0.0; 4];
        // upper triangle of the Hessian in (r, alpha, a, b), row by row: r-r, r-alpha, r-a, r-b,
        // alpha-alpha, alpha-a, alpha-b, a-a, a-b, b-b
        let mut hr = [0.0; 10];
        let mut c4 = Vec::with_capacity(h.xs.len());
        let mut inv_bx = Vec::with_capacity(h.xs.len());
        let (at_r, at_b, at_ab) = (GammaAt::new(r, HESS), GammaAt::new(b, HESS), GammaAt::new(a + b, HESS));
        for (&x, &w) in h.xs.iter().zip(&h.wx) {
            // the Beta part counts x + shift chances to drop out
            let xb = x + shift;
            let (dr, db, dab) = (at_r.diff(x), at_b.diff(xb), at_ab.diff(xb));
            ll += w * (dr.lg + db.lg - dab.lg);
            gr[0] += w * dr.dg;
            gr[2] -= w * dab.dg;
            gr[3] += w * (db.dg - dab.dg);
            if HESS {
                hr[0] += w * dr.tg;
                hr[7] -= w * dab.tg;
                hr[8] -= w * dab.tg;
                hr[9] += w * (db.tg - dab.tg);
            }
            let bx = b + (xb - 1.0);
            c4.push(if xb > 0.0 { ln_a - bx.ln() } else { f64::NEG_INFINITY });
            inv_bx.push(1.0 / bx);
        }
        let (inv_a, inv_alpha) = (1.0 / a, 1.0 / alpha);
        let rows = sum_chunks::<15>(h.w.len(), |range| {
            // ll, gradient (4), Hessian's upper triangle (10)
            let mut acc = [0.0; 15];
            for i in range {
                let j = h.xi[i] as usize;
                let x = h.xs[j];
                let w = h.w[i];
                // a3 = r ln alpha - (r+x) ln(alpha+T) = -(r+x) ln(1+T/alpha) - x ln alpha, its
                // derivatives in r and alpha (r/alpha - (r+x)/(alpha+T) = (r T/alpha - x)/(alpha+T))
                // and second derivatives, written so nothing of the size of r ln alpha cancels
                let (t, tx) = (h.t[i], h.tx[i]);
                let u = 1.0 / (alpha + t);
                let ta = t * inv_alpha;
                let l3 = ln_1_plus(ta);
                let a3 = -(r + x) * l3 - x * ln_alpha;
                let g3 = [-l3, (r * ta - x) * u];
                let h3 = if HESS { [ta * u, (x - r * ta * (2.0 + ta)) * u * u] } else { [0.0; 2] };
                if x + shift == 0.0 {
                    acc[0] += w * a3;
                    acc[1] += w * g3[0];
                    acc[2] += w * g3[1];
                    if HESS {
                        acc[6] += w * h3[0];
                        acc[9] += w * h3[1];
                    }
                    continue;
                }
                let utx = 1.0 / (alpha + tx);
                let txa = tx * inv_alpha;
                let l4 = ln_1_plus(txa);
                let a4 = c4[j] - (r + x) * l4 - x * ln_alpha;
                let g4 = [-l4, (r * txa - x) * utx];
                let (hi, lo) = if a3 > a4 { (a3, a4) } else { (a4, a3) };
                let e = (lo - hi).exp();
                let lse = hi + e.ln_1p();
                let w4 = (a4 - lse).exp();
                let w3 = 1.0 - w4;
                acc[0] += w * lse;
                acc[1] += w * (w3 * g3[0] + w4 * g4[0]);
                acc[2] += w * (w3 * g3[1] + w4 * g4[1]);
                acc[3] += w * w4 * inv_a;
                acc[4] -= w * w4 * inv_bx[j];
                if HESS {
                    let h4 = [txa * utx, (x - r * txa * (2.0 + txa)) * utx * utx];
                    // w3 H3 + w4 H4 + w3 w4 d d', d = (gradient of a3) - (gradient of a4)
                    let d = [l4 - l3, (r + x) * (t - tx) * u * utx, -inv_a, inv_bx[j]];
                    let v = w * w3 * w4;
                    acc[5] += v * d[0] * d[0];
                    acc[6] += v * d[0] * d[1] + w * (w3 * h3[0] + w4 * h4[0]);
                    acc[7] += v * d[0] * d[2];
                    acc[8] += v * d[0] * d[3];
                    acc[9] += v * d[1] * d[1] + w * (w3 * h3[1] + w4 * h4[1]);
                    acc[10] += v * d[1] * d[2];
                    acc[11] += v * d[1] * d[3];
                    acc[12] += v * d[2] * d[2] - w * w4 * inv_a * inv_a;
                    acc[13] += v * d[2] * d[3];
                    acc[14] += v * d[3] * d[3] + w * w4 * inv_bx[j] * inv_bx[j];
                }
            }
            acc
        });
        ll += rows[0];
        for k in 0..4 {
            gr[k] += rows[1 + k];
        }
        if HESS {
            for k in 0..10 {
                hr[k] += rows[5 + k];
            }
            to_log_scale(&[r, alpha, a, b], &gr, &hr, g, hess);
        } else {
            for (k, t) in [r, alpha, a, b].into_iter().enumerate() {
                g[k] = t * gr[k];
            }
        }
        if g.iter().chain(if HESS { &hess[..] } else { &[] }).any(|v| !v.is_finite()) {
            return f64::NAN;
        }
        ll
    }
}

/// Evaluates `f(a)` for `a` away from the removable singularity at `a = 1` (the mean of
/// `(a + b - 1)/(a - 1) (1 - ...)`): within 1e-7 of 1 it averages the values at `1 +- 1e-6`.
fn away_from_one(a: f64, f: impl Fn(f64) -> Result<f64>) -> Result<f64> {
    if (a - 1.0).abs() < 1e-7 {
        Ok(0.5 * (f(1.0 - 1e-6)? + f(1.0 + 1e-6)?))
    } else {
        f(a)
    }
}

impl BetaGeoParams {
    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` for a parameter that is not a positive finite number.
    ///
    /// ```
    /// use channelwise::clv::bg_nbd::BetaGeoParams;
    /// assert!(BetaGeoParams::new(0.2, 4.0, 0.8, 2.4).is_ok());
    /// assert_eq!(BetaGeoParams::new(0.2, -4.0, 0.8, 2.4).unwrap_err().kind().code(), "out_of_range");
    /// ```
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        Ok(BetaGeoParams { r: check_positive("r", r)?, alpha: check_positive("alpha", alpha)?, a: check_positive("a", a)?, b: check_positive("b", b)? })
    }

    /// The log-likelihood of customers' histories at these parameters (weighted sum).
    ///
    /// # Errors
    /// As [`BetaGeo::fit`] for the inputs; `out_of_range` for invalid parameters.
    ///
    /// ```
    /// use channelwise::clv::bg_nbd::BetaGeoParams;
    /// let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// let ll = p.log_likelihood(&[2.0, 0.0], &[30.43, 0.0], &[38.86, 38.86], None)?;
    /// assert!(ll < 0.0);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn log_likelihood(&self, frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Result<f64> {
        self.log_likelihood_in(BG, frequency, recency, t, weights)
    }

    /// Probability that each customer is still alive (paper eq. 11; 1 for `frequency == 0`).
    ///
    /// # Errors
    /// As [`BetaGeo::fit`] for the histories.
    ///
    /// ```
    /// use channelwise::clv::bg_nbd::BetaGeoParams;
    /// let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// let alive = p.p_alive(&[0.0, 5.0, 5.0], &[0.0, 37.0, 5.0], &[38.0, 38.0, 38.0])?;
    /// assert_eq!(alive[0], 1.0);
    /// assert!(alive[1] > alive[2]); // recent buyers are more likely alive
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn p_alive(&self, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.p_alive_in(BG, frequency, recency, t)
    }

    /// Expected repeat purchases in the next `horizon` time units of each customer, given her
    /// history (paper eq. 10, lifetimes' `conditional_expected_number_of_purchases_up_to_time`).
    ///
    /// # Errors
    /// As [`BetaGeo::fit`] for the histories; `out_of_range` for a negative horizon;
    /// `invalid_parameter` naming `horizon` for one too far for the series (about `1e8 (alpha +
    /// T)` out, where its argument nears 1).
    ///
    /// ```
    /// use channelwise::clv::bg_nbd::BetaGeoParams;
    /// let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// // a customer with 300 purchases: no overflow (30.528491... in mpmath at 50 digits)
    /// let e = p.expected_purchases(10.0, &[2.0, 300.0], &[30.43, 38.0], &[38.86, 38.86])?;
    /// assert!((e[1] - 30.52849106558).abs() < 1e-9);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.expected_purchases_in(BG, horizon, frequency, recency, t)
    }

    /// Expected repeat purchases in `t` time units of a randomly chosen new customer (paper
    /// eq. 9, lifetimes' `expected_number_of_purchases_up_to_time`).
    ///
    /// # Errors
    /// `out_of_range` for a negative `t`.
    ///
    /// ```
    /// use channelwise::clv::bg_nbd::BetaGeoParams;
    /// let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// assert!(p.expected_purchases_unconditional(39.0)? < p.expected_purchases_unconditional(78.0)?);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn expected_purchases_unconditional(&self, t: f64) -> Result<f64> {
        self.expected_purchases_unconditional_in(BG, t)
    }

    /// Probability that a randomly chosen new customer makes exactly `n` repeat purchases in
    /// `t` time units (paper eq. 8, lifetimes' `probability_of_n_purchases_up_to_time`).
    ///
    /// # Errors
    /// `out_of_range` for a negative `t`.
    ///
    /// ```
    /// use channelwise::clv::bg_nbd::BetaGeoParams;
    /// let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// let total: f64 = (0..200).map(|n| p.probability_of_purchases(n, 39.0).unwrap()).sum();
    /// assert!((total - 1.0).abs() < 1e-6);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn probability_of_purchases(&self, n: u32, t: f64) -> Result<f64> {
        self.probability_of_purchases_in(BG, n, t)
    }

    fn checked(&self) -> Result<()> {
        Self::new(self.r, self.alpha, self.a, self.b).map(|_| ())
    }

    /// [`log_likelihood`](Self::log_likelihood) of a member of the family.
    pub(super) fn log_likelihood_in(&self, v: Variant, frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Result<f64> {
        self.checked()?;
        let h = Histories::new(frequency, recency, t, weights, false)?;
        let phi = [self.r.ln(), self.alpha.ln(), self.a.ln(), self.b.ln()];
        let mut g = [0.0; 4];
        finite(|| format!("the {} log-likelihood", v.name), BgLik(&h, v.shift).ll_grad(&phi, &mut g))
    }

    /// `ln` of the odds of being dead: `ln(a/(b+xb-1)) + (r+x) ln(1 + (T-t_x)/(alpha+t_x))`,
    /// with `xb = x + shift` the chances to drop out so far.
    fn log_div(&self, xb: f64, x: f64, tx: f64, t: f64) -> f64 {
        (self.a / (self.b + (xb - 1.0))).ln() + (self.r + x) * ((t - tx) / (self.alpha + tx)).ln_1p()
    }

    /// P(alive) of one history (1 where she has had no chance to drop out).
    fn alive(&self, shift: f64, x: f64, tx: f64, t: f64) -> f64 {
        let xb = x + shift;
        if xb == 0.0 {
            1.0
        } else {
            let d = self.log_div(xb, x, tx, t);
            // 1 / (1 + e^d) without overflow
            if d > 0.0 {
                let e = (-d).exp();
                e / (1.0 + e)
            } else {
                1.0 / (1.0 + d.exp())
            }
        }
    }

    /// [`p_alive`](Self::p_alive) of a member of the family.
    pub(super) fn p_alive_in(&self, v: Variant, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.checked()?;
        check_histories(frequency, recency, t)?;
        (0..frequency.len()).map(|i| finite(|| format!("p_alive[{i}]"), self.alive(v.shift, frequency[i], recency[i], t[i]))).collect()
    }

    /// Expected repeat purchases in the next `horizon` of one history: paper eq. 10 with the
    /// Beta part's `x` read as `x + shift` (at `x = t_x = T = 0`, the unconditional eq. 9).
    /// `field` names the horizon in an error (`horizon`, or `t` of the unconditional form).
    fn expected_one(&self, field: &str, shift: f64, horizon: f64, x: f64, tx: f64, age: f64) -> Result<f64> {
        if horizon == 0.0 {
            return Ok(0.0);
        }
        let (r, alpha, b) = (self.r, self.alpha, self.b);
        let xb = x + shift;
        // the series runs at z = horizon / (alpha + T + horizon): it converges ever more slowly
        // as z nears 1 and stops (not_converged) about 1e8 times alpha + T out, and z rounds to
        // 1 (out of range) at 2^53 times: either way it is the horizon that is too far
        let too_far = |e: Error| {
            let series = match &e {
                Error::NotConverged { .. } => true,
                Error::OutOfRange { field, .. } => field == "z",
                _ => false,
            };
            if series {
                let z = horizon / (alpha + age + horizon);
                Error::param(field, horizon, format!("too far for the 2F1 series of eq. 10: its argument is 1 - {:.1e}", 1.0 - z))
            } else {
                e
            }
        };
        let v = away_from_one(self.a, |a| {
            let z = horizon / (alpha + age + horizon);
            let (big_a, big_b, c) = (r + x, b + xb, a + b + xb - 1.0);
            let lead = big_a * (-z).ln_1p();
            if c == 0.0 {
                // a + b = 1 and no chance to drop out yet: 2F1 has a pole at c = 0, but the
                // product c 2F1(A, B; c; z) tends to A B z 2F1(A + 1, B + 1; 2; z) there
                let (ln_g, _) = ln_hyp2f1(big_a + 1.0, big_b + 1.0, 2.0, z).map_err(too_far)?;
                return Ok(-(lead + (big_a * big_b * z).ln() + ln_g).exp() / (a - 1.0));
            }
            // c < 0 where a + b < 1 and x + shift = 0: the series is summed as for any c
            let (ln_f, sign) = ln_hyp2f1(big_a, big_b, c, z).map_err(too_far)?;
            let e = ln_f + lead;
            let second = if sign > 0.0 { -e.exp_m1() } else { 1.0 + e.exp() };
            Ok(c / (a - 1.0) * second)
        })?;
        Ok(v * self.alive(shift, x, tx, age))
    }

    /// [`expected_purchases`](Self::expected_purchases) of a member of the family.
    pub(super) fn expected_purchases_in(&self, v: Variant, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.checked()?;
        check_horizon("horizon", horizon)?;
        check_histories(frequency, recency, t)?;
        (0..frequency.len())
            .map(|i| finite(|| format!("expected_purchases[{i}]"), self.expected_one("horizon", v.shift, horizon, frequency[i], recency[i], t[i])?))
            .collect()
    }

    /// [`expected_purchases_unconditional`](Self::expected_purchases_unconditional) of a member
    /// of the family: a new customer's conditional expectation (no purchases, age 0).
    pub(super) fn expected_purchases_unconditional_in(&self, v: Variant, t: f64) -> Result<f64> {
        self.checked()?;
        check_horizon("t", t)?;
        finite(|| "expected_purchases_unconditional".into(), self.expected_one("t", v.shift, t, 0.0, 0.0, 0.0)?)
    }

    /// [`probability_of_purchases`](Self::probability_of_purchases) of a member of the family.
    pub(super) fn probability_of_purchases_in(&self, v: Variant, n: u32, t: f64) -> Result<f64> {
        self.checked()?;
        check_horizon("t", t)?;
        let (r, alpha, a, b) = (self.r, self.alpha, self.a, self.b);
        if t == 0.0 {
            return Ok(if n == 0 { 1.0 } else { 0.0 });
        }
        let nf = f64::from(n);
        let nb = nf + v.shift;
        let q = t / (alpha + t);
        // B(a, b+nb)/B(a, b) G(r+n)/(G(r) n!) p^r q^n, p = alpha/(alpha+t), its ln G and ln p
        // terms as differences that keep their digits at large parameters
        let dab = ln_gamma_diff(a + b, nb);
        let ln_first = ln_gamma_diff(b, nb) - dab + ln_gamma_diff(r, nf) - ln_gamma(nf + 1.0) - r * (t / alpha).ln_1p() + nf * q.ln();
        let mut value = ln_first.exp();
        if nb > 0.0 {
            // dropped out after the n-th purchase (or, n = 0, at the first): the chance of at
            // least n purchases while alive, 1 - p^r sum_{j<n} G(r+j)/(G(r) j!) q^j =
            // P(NegBin(r, p) >= n) = I_q(n, r) (1 for n = 0), times B(a+1, b+nb-1)/B(a, b)
            let at_least = if n == 0 { 1.0 } else { beta_reg(nf, r, q, alpha / (alpha + t)) };
            value += a * (ln_gamma_diff(b, nb - 1.0) - dab).exp() * at_least;
        }
        finite(|| format!("probability_of_purchases({n}, {t})"), value)
    }
}

impl FittedBetaGeo {
    /// The fitted parameters as `(name, value)` pairs in Fader and Hardie's order.
    ///
    /// ```
    /// use channelwise::clv::bg_nbd::BetaGeo;
    /// let fit = BetaGeo::default().fit(&[0.0, 2.0, 5.0, 1.0], &[0.0, 10.0, 30.0, 2.0], &[40.0, 40.0, 38.0, 35.0], None)?;
    /// let names: Vec<&str> = fit.named_params().iter().map(|p| p.0).collect();
    /// assert_eq!(names, ["r", "alpha", "a", "b"]);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn named_params(&self) -> [(&'static str, f64); 4] {
        let p = self.params;
        [("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)]
    }
}

impl From<BetaGeoParams> for [f64; 4] {
    fn from(p: BetaGeoParams) -> Self {
        [p.r, p.alpha, p.a, p.b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A history past double precision (found by the JS mutation tests) is named, not an
    /// internal error: frequency 1e300 at recency 0 makes the start's likelihood NaN.
    #[test]
    fn a_horizon_past_the_series_is_named() {
        // at horizon 1e9 the series stopped (not_converged naming 2F1), at 1e300 its argument
        // z = h / (alpha + T + h) is 1 (it named `z`): both name the horizon now
        let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
        for h in [1e9, 1e300] {
            let e = p.expected_purchases(h, &[2.0], &[30.0], &[38.0]).unwrap_err();
            assert_eq!(e.kind().code(), "invalid_parameter");
            assert!(e.to_string().starts_with("invalid horizon: \"1") && e.to_string().contains("(too far for the 2F1 series of eq. 10: its argument is 1 - "), "{e}");
        }
        let e = p.expected_purchases_unconditional(1e300).unwrap_err();
        assert!(e.to_string().starts_with("invalid t: "), "{e}");
        // 1e7 is computed, and still growing (a < 1)
        let e7 = p.expected_purchases(1e7, &[2.0], &[30.0], &[38.0]).unwrap()[0];
        let e5 = p.expected_purchases(1e5, &[2.0], &[30.0], &[38.0]).unwrap()[0];
        assert!(e7.is_finite() && e7 > e5, "{e7} {e5}");
    }

    #[test]
    fn a_history_past_double_precision_is_named() {
        let (mut f, r, t) = ([2.0, 1.0, 0.0, 0.0, 3.0, 7.0, 1.0, 0.0, 2.0, 5.0], [30.0, 20.0, 0.0, 0.0, 35.0, 38.0, 10.0, 0.0, 25.0, 30.0], [39.0, 39.0, 39.0, 38.0, 38.0, 38.0, 37.0, 37.0, 37.0, 39.0]);
        f[3] = 1e300;
        let e = BetaGeo::default().fit(&f, &r, &t, None).unwrap_err();
        assert_eq!(e.kind().code(), "invalid_parameter", "{e}");
        assert!(e.to_string().starts_with("invalid frequency[3]: \"1e300\" (with"), "{e}");
        assert!(e.to_string().contains("(with recency 0 and T 38, the BG/NBD likelihood"), "{e}");
        // the same customers without it are no history past double precision (with no dropout
        // among them, the likelihood is highest at a = 0: not_converged, saying so)
        let e = BetaGeo::default().fit(&[2.0, 1.0, 0.0, 0.0, 3.0, 7.0, 1.0, 0.0, 2.0, 5.0], &r, &t, None).unwrap_err();
        assert_eq!(e.kind().code(), "not_converged", "{e}");
        assert!(e.to_string().contains("a fell below e^-12"), "{e}");
    }

    /// The analytic gradient and Hessian agree with central differences.
    #[test]
    fn derivatives_match_differences() {
        let h = Histories::new(&[0.0, 1.0, 3.0, 7.0, 2.0], &[0.0, 2.0, 10.0, 30.0, 1.0], &[20.0, 30.0, 35.0, 38.0, 3.0], Some(&[3.0, 1.0, 2.0, 1.0, 1.0]), true).unwrap();
        super::super::tests::check_derivatives(&BgLik(&h, 0.0), &[-1.2, 1.3, -0.2, 0.9], 1e-6);
        super::super::tests::check_derivatives(&BgLik(&h, 0.0), &[0.5, -0.7, 1.1, -0.4], 1e-6);
        // near the Poisson and single-dropout-probability limits (r 4e7, alpha 8e8, a 3e6, b
        // 9e6), where the terms are written not to cancel
        let far = [4e7f64.ln(), 8e8f64.ln(), 3e6f64.ln(), 9e6f64.ln()];
        super::super::tests::check_derivatives(&BgLik(&h, 0.0), &far, 1e-6);
        super::super::tests::check_derivatives(&BgLik(&h, 1.0), &far, 1e-6);
    }

    #[test]
    fn probabilities_sum_to_one_and_match_expectation() {
        let p = BetaGeoParams::new(0.5, 3.0, 1.4, 2.0).unwrap();
        let probs: Vec<f64> = (0..400).map(|n| p.probability_of_purchases(n, 20.0).unwrap()).collect();
        let total: f64 = probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        let mean: f64 = probs.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
        let e = p.expected_purchases_unconditional(20.0).unwrap();
        assert!((mean - e).abs() < 1e-7 * e, "{mean} vs {e}");
        // a near 1 stays finite and continuous
        let q = BetaGeoParams::new(0.5, 3.0, 1.0, 2.0).unwrap();
        let e1 = q.expected_purchases_unconditional(20.0).unwrap();
        let e2 = BetaGeoParams::new(0.5, 3.0, 1.0 + 1e-4, 2.0).unwrap().expected_purchases_unconditional(20.0).unwrap();
        assert!((e1 - e2).abs() < 1e-3 * e1);
    }

    /// Eq. 9 through the 2F1 at `c = a + b - 1 <= 0` (below 0 the series, at 0 its limit)
    /// against the mean of eq. 8's distribution, which has no 2F1 in it; and the limit against
    /// the series on either side of it.
    #[test]
    fn a_plus_b_at_or_below_one_matches_the_distribution() {
        for (a, b) in [(0.3, 0.4), (0.5, 0.5), (0.9, 0.1), (0.05, 0.2)] {
            let p = BetaGeoParams::new(0.5, 3.0, a, b).unwrap();
            let mean: f64 = (0..2000).map(|n| f64::from(n) * p.probability_of_purchases(n, 20.0).unwrap()).sum();
            let e = p.expected_purchases_unconditional(20.0).unwrap();
            assert!((mean - e).abs() < 1e-9 * e, "a {a}, b {b}: {mean} vs {e}");
        }
        let at = |b: f64| BetaGeoParams::new(0.24, 4.4, 0.5, b).unwrap().expected_purchases(10.0, &[0.0], &[0.0], &[38.0]).unwrap()[0];
        let (below, one, above) = (at(0.5 - 1e-9), at(0.5), at(0.5 + 1e-9));
        assert!((below - one).abs() < 1e-8 * one && (above - one).abs() < 1e-8 * one, "{below} {one} {above}");
    }

    /// Over a grid from much heterogeneity to almost none (r from 0.1 to 1e7, at a rate of
    /// r / alpha = 0.5 to 50 a period), every expectation of eq. 10 lies between 0 and what a
    /// customer who never drops out would buy, `(r + x) / (alpha + T) t`. Euler's form of its
    /// 2F1 cancelled to nothing at large r: -1.2e10 at r = 400, alpha = 80, horizon 39.
    #[test]
    fn expectations_stay_between_zero_and_the_rate_at_any_heterogeneity() {
        let (x, tx, t) = ([0.0, 1.0, 5.0, 20.0, 300.0], [0.0, 30.0, 30.0, 38.0, 38.9], [39.0; 5]);
        for r in [0.1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e7] {
            for rate in [0.5, 5.0, 50.0] {
                for (a, b) in [(0.3, 0.4), (3.0, 9.0), (0.9, 30.0)] {
                    for v in [BG, super::super::mbg_nbd::MBG] {
                        let p = BetaGeoParams::new(r, r / rate, a, b).unwrap();
                        for h in [1.0, 39.0, 156.0] {
                            let e = match p.expected_purchases_in(v, h, &x, &tx, &t) {
                                Ok(e) => e,
                                // the series may be too long (a typed refusal), never wrong
                                Err(err) => {
                                    assert_eq!(err.kind().code(), "invalid_parameter", "{err}");
                                    continue;
                                }
                            };
                            for i in 0..x.len() {
                                let most = (r + x[i]) / (r / rate + t[i]) * h;
                                assert!(e[i] >= 0.0 && e[i] <= most * (1.0 + 1e-9), "{} r {r} rate {rate} a {a} b {b} h {h}: {} of at most {most}", v.name, e[i]);
                            }
                        }
                    }
                }
            }
        }
    }

    /// A short horizon against alpha: eq. 9's `1 - (alpha / (alpha + t))^r 2F1(...)` is 6.8e-12
    /// of which the 2F1's part is 6.6e-18, which `ln(1 + rest)` dropped (1e-6 off, and above
    /// the never-drop-out bound `r / alpha t`). mpmath 1.4 at 50 digits: 6.7713125111193024e-12.
    #[test]
    fn a_short_horizon_keeps_the_series_small_part() {
        let p = BetaGeoParams::new(0.000_397_218_125_796_156_1, 886_468.682_823_522_8, 123.851_411_339_767_92, 0.000_121_889_474_322_520_63).unwrap();
        let e = p.expected_purchases_unconditional(0.015_111_486_974_240_761).unwrap();
        assert!((e / 6.771_312_511_119_302e-12 - 1.0).abs() < 1e-13, "{e}");
    }

    #[test]
    fn conditional_expectation_of_a_new_customer_is_unconditional() {
        // x = 0, T = 0: the conditional expectation is the unconditional one
        let p = BetaGeoParams::new(0.3, 5.0, 0.8, 2.5).unwrap();
        let c = p.expected_purchases(26.0, &[0.0], &[0.0], &[0.0]).unwrap()[0];
        let u = p.expected_purchases_unconditional(26.0).unwrap();
        assert!((c - u).abs() < 1e-12 * u, "{c} vs {u}");
    }

    /// `b` below half an ulp of 1: `b + x - 1` rounded to 0 at one purchase, and statrs'
    /// `ln_beta` panicked in `probability_of_purchases(1, t)`. Now `b + (x - 1)`: P(n = 1) is
    /// the chance of at least one purchase (every customer drops out at her first) and P(alive)
    /// of a repeat buyer `~ b / a` times the purchase odds.
    #[test]
    fn a_vanishing_b_is_no_panic() {
        let p = BetaGeoParams::new(0.24, 4.4, 0.8, 1e-17).unwrap();
        let one = p.probability_of_purchases(1, 39.0).unwrap();
        // with b -> 0 every customer drops out at her first purchase: P(1) -> P(N(t) >= 1) = 1 - (alpha / (alpha + t))^r
        let want = 1.0 - (4.4f64 / 43.4).powf(0.24);
        assert!((one - want).abs() < 1e-12, "{one} vs {want}");
        let alive = p.p_alive(&[1.0], &[10.0], &[39.0]).unwrap()[0];
        let odds = 1e-17 / 0.8 * ((4.4f64 + 10.0) / (4.4 + 39.0)).powf(1.24);
        assert!((alive / odds - 1.0).abs() < 1e-9, "{alive} vs {odds}");
    }
}
