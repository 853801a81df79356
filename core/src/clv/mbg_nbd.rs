//! The MBG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison
//! of models for customer base analysis", *International Journal of Research in Marketing*
//! 24(3), 201-209), lifetimes 0.11.3's `ModifiedBetaGeoFitter`.
//!
//! BG/NBD with one more chance to drop out: right after the first purchase, so a customer who
//! never came back may be gone (BG/NBD holds her alive for sure). While alive she buys as a
//! Poisson process with rate `lambda ~ Gamma(r, alpha)`; at her first purchase and after every
//! repeat purchase she drops out with probability `p ~ Beta(a, b)`. With `x` repeat purchases,
//! the last at `t_x`, observed for `T`, the likelihood is
//!
//! ```text
//! L = B(a, b+x+1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
//!   + B(a+1, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))
//! ```
//!
//! for every `x`, `x = 0` included: BG/NBD's with the Beta part's `x` read as `x + 1`. Every
//! prediction follows by the same reading (lifetimes' formulas), and the code is BG/NBD's
//! ([`bg_nbd`](super::bg_nbd)): P(alive) `1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x))`, the
//! conditional expectation with `2F1(r+x, b+x+1; a+b+x; z)`, the unconditional one
//! `b/(a-1) (1 - 2F1(r, b+1; a+b; t/(alpha+t)) (alpha/(alpha+t))^r)`.
//!
//! The settings are BG/NBD's (see the [`bg_nbd` table](super::bg_nbd)): `max_iter`,
//! `penalizer_coef` (lifetimes', alpha in units of the largest `T`) and `collapse`.

use serde::{Deserialize, Serialize};

use super::bg_nbd::{fit_variant, BetaGeoParams, Variant};
use super::{FitDiagnostics, FitSettings};
use crate::Result;

/// MBG/NBD: dropout also possible at the first purchase.
pub(super) const MBG: Variant = Variant { shift: 1.0, name: "MBG/NBD" };

/// MBG/NBD model settings (as [`BetaGeo`](super::bg_nbd::BetaGeo)'s).
///
/// ```
/// use channelwise::clv::mbg_nbd::ModifiedBetaGeo;
/// // five customers have no maximum-likelihood point; lifetimes' penalty keeps one finite
/// let fit = ModifiedBetaGeo::default().penalizer_coef(0.01).fit(&[0.0, 2.0, 5.0, 1.0, 0.0], &[0.0, 10.0, 30.0, 2.0, 0.0], &[40.0, 40.0, 38.0, 35.0, 39.0], None)?;
/// assert!(fit.params.r > 0.0 && fit.log_likelihood < 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ModifiedBetaGeo {
    settings: FitSettings,
}

/// The MBG/NBD parameters `r, alpha` (purchase rate: Gamma shape and rate) and `a, b` (dropout
/// probability at the first and every repeat purchase: Beta), in the time unit of the data.
///
/// ```
/// use channelwise::clv::mbg_nbd::ModifiedBetaGeoParams;
/// let p = ModifiedBetaGeoParams::new(0.525, 6.183, 0.891, 1.614)?;
/// // a new customer may drop out at once: P(alive) before any repeat purchase is b / (a + b)
/// let alive = p.p_alive(&[0.0], &[0.0], &[0.0])?;
/// assert!((alive[0] - 1.614 / (0.891 + 1.614)).abs() < 1e-15);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ModifiedBetaGeoParams {
    /// Shape of the Gamma purchase-rate distribution.
    pub r: f64,
    /// Rate (scale in time units) of the Gamma purchase-rate distribution.
    pub alpha: f64,
    /// First Beta parameter of the dropout probability.
    pub a: f64,
    /// Second Beta parameter of the dropout probability.
    pub b: f64,
}

/// A fitted MBG/NBD model.
///
/// ```
/// use channelwise::clv::mbg_nbd::ModifiedBetaGeo;
/// let fit = ModifiedBetaGeo::default().penalizer_coef(0.01).fit(&[0.0, 2.0, 5.0, 1.0, 0.0], &[0.0, 10.0, 30.0, 2.0, 0.0], &[40.0, 40.0, 38.0, 35.0, 39.0], None)?;
/// assert!(fit.std_errors.r.is_finite() && fit.diagnostics.grad_norm < 1e-6);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedModifiedBetaGeo {
    /// Maximum-likelihood parameters.
    pub params: ModifiedBetaGeoParams,
    /// Their standard errors (inverse observed information; infinite if it is singular).
    pub std_errors: ModifiedBetaGeoParams,
    /// The maximised log-likelihood (sum over customers, weighted; the data's, without the
    /// penalty of a `penalizer_coef`).
    pub log_likelihood: f64,
    /// How the fit ended.
    pub diagnostics: FitDiagnostics,
}

impl ModifiedBetaGeo {
    fit_builders!(weight = "the number of customers", scaled = " (alpha in units of the largest `T`, as lifetimes fits it)", collapse = "histories");

    /// Fits by maximum likelihood to customers' `frequency` (repeat purchases), `recency` and
    /// age `t` (lifetimes' `T`), with optional non-negative weights (customers per row).
    ///
    /// # Errors
    /// As [`BetaGeo::fit`](super::bg_nbd::BetaGeo::fit), the messages naming MBG/NBD.
    pub fn fit(&self, frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Result<FittedModifiedBetaGeo> {
        let m = fit_variant(MBG, self.settings, (frequency, recency, t), weights)?;
        let p = |v: &[f64]| ModifiedBetaGeoParams { r: v[0], alpha: v[1], a: v[2], b: v[3] };
        Ok(FittedModifiedBetaGeo { params: p(&m.params), std_errors: p(&m.std_errors), log_likelihood: m.log_likelihood, diagnostics: m.diagnostics })
    }
}

impl ModifiedBetaGeoParams {
    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` for a parameter that is not a positive finite number.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        let p = BetaGeoParams::new(r, alpha, a, b)?;
        Ok(ModifiedBetaGeoParams { r: p.r, alpha: p.alpha, a: p.a, b: p.b })
    }

    /// The same numbers read as BG/NBD's, whose code computes MBG/NBD's with [`MBG`].
    fn family(&self) -> BetaGeoParams {
        BetaGeoParams { r: self.r, alpha: self.alpha, a: self.a, b: self.b }
    }

    /// The log-likelihood of customers' histories at these parameters (weighted sum).
    ///
    /// # Errors
    /// As [`ModifiedBetaGeo::fit`] for the inputs; `out_of_range` for invalid parameters.
    pub fn log_likelihood(&self, frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Result<f64> {
        self.family().log_likelihood_in(MBG, frequency, recency, t, weights)
    }

    /// Probability that each customer is still alive, `1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x))`
    /// (lifetimes' `conditional_probability_alive`; below 1 also for `frequency == 0`).
    ///
    /// # Errors
    /// As [`ModifiedBetaGeo::fit`] for the histories.
    pub fn p_alive(&self, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.family().p_alive_in(MBG, frequency, recency, t)
    }

    /// Expected repeat purchases in the next `horizon` time units of each customer, given her
    /// history (lifetimes' `conditional_expected_number_of_purchases_up_to_time`).
    ///
    /// # Errors
    /// As [`ModifiedBetaGeo::fit`] for the histories; `out_of_range` for a negative horizon.
    ///
    /// ```
    /// use channelwise::clv::mbg_nbd::ModifiedBetaGeoParams;
    /// let p = ModifiedBetaGeoParams::new(0.525, 6.183, 0.891, 1.614)?;
    /// let e = p.expected_purchases(39.0, &[0.0, 2.0, 300.0], &[0.0, 30.43, 38.0], &[38.86, 38.86, 38.86])?;
    /// assert!(e[0] < e[1] && e[1] < e[2]);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.family().expected_purchases_in(MBG, horizon, frequency, recency, t)
    }

    /// Expected repeat purchases in `t` time units of a randomly chosen new customer (lifetimes'
    /// `expected_number_of_purchases_up_to_time`).
    ///
    /// # Errors
    /// `out_of_range` for a negative `t`.
    pub fn expected_purchases_unconditional(&self, t: f64) -> Result<f64> {
        self.family().expected_purchases_unconditional_in(MBG, t)
    }

    /// Probability that a randomly chosen new customer makes exactly `n` repeat purchases in
    /// `t` time units (lifetimes' `probability_of_n_purchases_up_to_time`).
    ///
    /// # Errors
    /// `out_of_range` for a negative `t`.
    ///
    /// ```
    /// use channelwise::clv::mbg_nbd::ModifiedBetaGeoParams;
    /// let p = ModifiedBetaGeoParams::new(0.525, 6.183, 0.891, 1.614)?;
    /// let total: f64 = (0..200).map(|n| p.probability_of_purchases(n, 39.0).unwrap()).sum();
    /// assert!((total - 1.0).abs() < 1e-6);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn probability_of_purchases(&self, n: u32, t: f64) -> Result<f64> {
        self.family().probability_of_purchases_in(MBG, n, t)
    }
}

impl FittedModifiedBetaGeo {
    /// The fitted parameters as `(name, value)` pairs (`r, alpha, a, b`).
    pub fn named_params(&self) -> [(&'static str, f64); 4] {
        let p = self.params;
        [("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)]
    }
}

impl From<ModifiedBetaGeoParams> for [f64; 4] {
    fn from(p: ModifiedBetaGeoParams) -> Self {
        [p.r, p.alpha, p.a, p.b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> ModifiedBetaGeoParams {
        ModifiedBetaGeoParams::new(0.5, 3.0, 1.4, 2.0).unwrap()
    }

    /// The distribution of purchases sums to 1 and its mean is the unconditional expectation,
    /// which is also the conditional one of a customer with no history.
    #[test]
    fn probabilities_sum_to_one_and_match_expectation() {
        let p = p();
        let probs: Vec<f64> = (0..400).map(|n| p.probability_of_purchases(n, 20.0).unwrap()).collect();
        let total: f64 = probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        let mean: f64 = probs.iter().enumerate().map(|(n, q)| n as f64 * q).sum();
        let e = p.expected_purchases_unconditional(20.0).unwrap();
        assert!((mean - e).abs() < 1e-7 * e, "{mean} vs {e}");
        let c = p.expected_purchases(20.0, &[0.0], &[0.0], &[0.0]).unwrap()[0];
        assert!((c - e).abs() < 1e-12 * e, "{c} vs {e}");
    }

    /// Straight from the model: a new customer survives her first purchase with probability
    /// `b/(a+b)` and then is a BG/NBD customer of `Beta(a, b+1)`: `E_MBG = b/(a+b) E_BG(a, b+1)`.
    /// P(0 purchases) likewise: dropped at once (`a/(a+b)`) or a BG/NBD zero of `Beta(a, b+1)`.
    #[test]
    fn a_new_customer_is_a_bg_nbd_customer_who_survived_her_first_purchase() {
        let (r, alpha, a, b) = (0.5, 3.0, 1.4, 2.0);
        let m = ModifiedBetaGeoParams::new(r, alpha, a, b).unwrap();
        let bg = BetaGeoParams::new(r, alpha, a, b + 1.0).unwrap();
        let survive = b / (a + b);
        for t in [0.5, 20.0, 300.0] {
            let e = m.expected_purchases_unconditional(t).unwrap();
            let want = survive * bg.expected_purchases_unconditional(t).unwrap();
            assert!((e / want - 1.0).abs() < 1e-13, "t {t}: {e} vs {want}");
            let p0 = m.probability_of_purchases(0, t).unwrap();
            let want0 = a / (a + b) + survive * bg.probability_of_purchases(0, t).unwrap();
            assert!((p0 / want0 - 1.0).abs() < 1e-13, "t {t}: {p0} vs {want0}");
        }
    }

    /// The analytic gradient and Hessian agree with central differences (the x = 0 rows take
    /// the two-term path here).
    #[test]
    fn derivatives_match_differences() {
        let h = super::super::Histories::new(&[0.0, 1.0, 3.0, 7.0, 2.0], &[0.0, 2.0, 10.0, 30.0, 1.0], &[20.0, 30.0, 35.0, 38.0, 3.0], Some(&[3.0, 1.0, 2.0, 1.0, 1.0]), true).unwrap();
        let lik = super::super::bg_nbd::BgLik(&h, MBG.shift);
        super::super::tests::check_derivatives(&lik, &[-1.2, 1.3, -0.2, 0.9], 1e-6);
        super::super::tests::check_derivatives(&lik, &[0.5, -0.7, 1.1, -0.4], 1e-6);
    }

    /// No customer came back: the likelihood rises towards no purchases at all, for every
    /// model of repeat purchases (BG/NBD used to report alpha 5e10 there as a fit).
    #[test]
    fn no_repeat_purchase_is_not_enough_data() {
        let (x, tx, t) = ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [5.0, 6.0, 7.0]);
        for e in [
            ModifiedBetaGeo::default().fit(&x, &tx, &t, None).unwrap_err(),
            super::super::bg_nbd::BetaGeo::default().fit(&x, &tx, &t, None).unwrap_err(),
            super::super::pareto_nbd::ParetoNbd::default().fit(&x, &tx, &t, None).unwrap_err(),
        ] {
            assert_eq!(e.kind().code(), "not_enough_data", "{e}");
            assert!(e.to_string().contains("fit (customers with a repeat purchase"), "{e}");
        }
    }

    #[test]
    fn errors_name_the_model_and_field() {
        let e = ModifiedBetaGeo::default().fit(&[1.0], &[2.0], &[1.0], None).unwrap_err();
        assert_eq!(e.kind().code(), "out_of_range", "{e}");
        assert!(e.to_string().contains("recency[0]"), "{e}");
        assert_eq!(ModifiedBetaGeoParams::new(0.5, 3.0, f64::NAN, 2.0).unwrap_err().kind().code(), "non_finite");
        // a bad fit names MBG/NBD: every customer buys at one rate and none is seen to leave
        let n = 40;
        let f: Vec<f64> = (0..n).map(|i| f64::from(i % 4 + 3)).collect();
        let rec: Vec<f64> = (0..n).map(|_| 38.0).collect();
        let t: Vec<f64> = (0..n).map(|_| 38.5).collect();
        let e = ModifiedBetaGeo::default().fit(&f, &rec, &t, None).unwrap_err();
        assert_eq!(e.kind().code(), "not_converged", "{e}");
        assert!(e.to_string().starts_with("MBG/NBD fit"), "{e}");
        assert!(e.to_string().contains("a fell below e^-12"), "{e}");
    }
}
