//! Customer lifetime value: buy-till-you-die models of repeat purchasing, a spend model, a
//! contractual retention model and the RFM summary they are fitted on.
//!
//! | Model | Type | Parameters | Source of the equations |
//! |---|---|---|---|
//! | [`bg_nbd::BetaGeo`] | BG/NBD, non-contractual | `r, alpha, a, b` | Fader, Hardie & Lee (2005), "Counting your customers the easy way", *Marketing Science* 24(2); Hardie's note 004 (likelihood, eq. 3) |
//! | [`pareto_nbd::ParetoNbd`] | Pareto/NBD, non-contractual | `r, alpha, s, beta` | Schmittlein, Morrison & Colombo (1987); Fader, Hardie & Lee (2005b), "RFM and CLV", *JMR* 42(4); Fader & Hardie note 009 (likelihood, P(alive), conditional expectation) |
//! | [`gamma_gamma::GammaGamma`] | spend per transaction | `p, q, v` | Fader, Hardie & Lee (2005b); Fader & Hardie note 025 "The Gamma-Gamma model of monetary value" |
//! | [`sbg::ShiftedBetaGeo`] | shifted-beta-geometric, contractual | `alpha, beta` | Fader & Hardie (2007), "How to project customer retention", *J. Interactive Marketing* 21(1) |
//! | [`rfm`] | RFM summary from a transaction log | | lifetimes 0.11.3 `summary_data_from_transaction_data`, `calibration_and_holdout_data` |
//!
//! Column names follow lifetimes: `frequency` is the number of *repeat* purchases (purchase
//! periods after the first), `recency` the time of the last purchase since the first, `T` the
//! customer's age (time since the first purchase to the end of observation), all in the time unit
//! the caller chose (days, weeks). Every model fits by maximum likelihood on log-parameters with
//! analytic gradients: L-BFGS, then Newton steps on a Hessian differenced from the analytic
//! gradient, to a gradient at rounding level. Standard errors are the square roots of the
//! diagonal of the inverse observed information (delta method from the log scale; at the optimum
//! the two agree). Customers sharing `(frequency, recency, T)` are collapsed into one weighted
//! row before fitting, so the cost of a fit grows with the number of distinct histories, not of
//! customers.
//!
//! The Pareto/NBD likelihood and the BG/NBD conditional expectation need the Gaussian
//! hypergeometric function; [`hyp2f1`] evaluates it in log space (with Euler's transformation
//! where it shortens the series), so a customer with hundreds of purchases neither overflows nor
//! loses digits.
//!
//! ```
//! use channelwise::clv::bg_nbd::BetaGeo;
//! // frequency, recency and age (weeks) of six customers
//! let x = [0.0, 1.0, 4.0, 2.0, 0.0, 7.0];
//! let tx = [0.0, 5.0, 30.0, 12.0, 0.0, 35.0];
//! let age = [38.0, 38.0, 38.0, 36.0, 30.0, 37.0];
//! let fit = BetaGeo::default().fit(&x, &tx, &age, None)?;
//! let alive = fit.params.p_alive(&[4.0], &[30.0], &[38.0])?;
//! assert!(alive[0] > 0.0 && alive[0] <= 1.0);
//! # Ok::<(), channelwise::Error>(())
//! ```

pub mod bg_nbd;
pub mod gamma_gamma;
pub mod hyp2f1;
pub mod pareto_nbd;
pub mod rfm;
pub mod sbg;

use nalgebra::{DMatrix, DVector};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::minimize::{lbfgs, Settings};
use crate::{Error, Result};

/// How a maximum-likelihood fit ended (shared by every CLV model).
///
/// ```
/// use channelwise::clv::sbg::ShiftedBetaGeo;
/// let fit = ShiftedBetaGeo::default().fit(&[1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0])?;
/// assert!(fit.diagnostics.grad_norm < 1e-6);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitDiagnostics {
    /// L-BFGS iterations.
    pub lbfgs_iterations: usize,
    /// Newton steps after L-BFGS.
    pub newton_iterations: usize,
    /// Largest absolute entry of the gradient of the log-likelihood with respect to the
    /// log-parameters, divided by the total weight, at the answer.
    pub grad_norm: f64,
    /// Rows actually fitted (distinct histories after collapsing).
    pub rows: usize,
    /// Total weight (customers).
    pub total_weight: f64,
}

/// A maximised log-likelihood in natural parameters.
#[derive(Debug, Clone)]
pub(crate) struct Mle {
    pub params: Vec<f64>,
    pub std_errors: Vec<f64>,
    pub log_likelihood: f64,
    pub diagnostics: FitDiagnostics,
}

/// A model's log-likelihood over its (collapsed) data, with the gradient with respect to the
/// log-parameters.
pub(crate) trait LogLik {
    /// The total weighted log-likelihood at `exp(phi)`; writes its gradient with respect to
    /// `phi` into `g`. Non-finite when the parameters are outside the numerically valid region.
    fn ll_grad(&self, phi: &[f64], g: &mut [f64]) -> f64;
    /// Total weight.
    fn total_weight(&self) -> f64;
    /// Rows.
    fn rows(&self) -> usize;
}

/// Settings shared by the fits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct FitSettings {
    pub max_iter: usize,
    pub collapse: bool,
}

impl Default for FitSettings {
    fn default() -> Self {
        FitSettings { max_iter: 2000, collapse: true }
    }
}

fn inf_norm(g: &[f64]) -> f64 {
    g.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// The Hessian of the log-likelihood in log-parameters, by central differences of the analytic
/// gradient (symmetrised).
fn hessian(model: &dyn LogLik, phi: &[f64]) -> Option<DMatrix<f64>> {
    let k = phi.len();
    let mut h = DMatrix::zeros(k, k);
    let mut gp = vec![0.0; k];
    let mut gm = vec![0.0; k];
    let mut x = phi.to_vec();
    for j in 0..k {
        let step = 1e-5 * phi[j].abs().max(1.0);
        x[j] = phi[j] + step;
        let fp = model.ll_grad(&x, &mut gp);
        x[j] = phi[j] - step;
        let fm = model.ll_grad(&x, &mut gm);
        x[j] = phi[j];
        if !fp.is_finite() || !fm.is_finite() {
            return None;
        }
        for i in 0..k {
            h[(i, j)] = (gp[i] - gm[i]) / (2.0 * step);
        }
    }
    let hs = (&h + h.transpose()) * 0.5;
    hs.iter().all(|v| v.is_finite()).then_some(hs)
}

/// Maximises `model`'s log-likelihood from `phi0` (log-parameters): L-BFGS on the mean
/// log-likelihood, then Newton on the differenced Hessian. `what` names the model in errors.
pub(crate) fn maximise(model: &dyn LogLik, phi0: &[f64], what: &str, s: FitSettings) -> Result<Mle> {
    let k = phi0.len();
    let w = model.total_weight();
    let mut f0g = vec![0.0; k];
    let f0 = model.ll_grad(phi0, &mut f0g);
    if !f0.is_finite() {
        return Err(Error::Internal(format!("{what}: the log-likelihood is not finite at the start ({f0})")));
    }
    let neg_mean = |x: &[f64], g: &mut [f64]| -> f64 {
        if x.iter().any(|v| v.abs() > 40.0) {
            return f64::INFINITY;
        }
        let f = model.ll_grad(x, g);
        g.iter_mut().for_each(|v| *v = -*v / w);
        -f / w
    };
    let m = lbfgs(neg_mean, phi0, Settings { gtol: 1e-7, ftol: 1e-12, max_iter: s.max_iter, memory: 10 });
    let mut phi = m.x;
    let mut g = vec![0.0; k];
    let mut f = model.ll_grad(&phi, &mut g);
    if !f.is_finite() {
        return Err(Error::NotConverged { what: format!("{what} fit"), iterations: m.iterations, residual: f64::INFINITY });
    }
    // Newton polish: the gradient is exact, the Hessian differenced from it.
    let mut newton = 0;
    for _ in 0..12 {
        if inf_norm(&g) / w <= 1e-11 {
            break;
        }
        let Some(h) = hessian(model, &phi) else { break };
        // ascent on a concave model: solve (-H) d = g
        let neg = -h;
        let Some(ch) = neg.clone().cholesky() else { break };
        let d = ch.solve(&DVector::from_column_slice(&g));
        let mut step = 1.0;
        let mut accepted = false;
        let mut gn = vec![0.0; k];
        for _ in 0..30 {
            let xn: Vec<f64> = phi.iter().zip(d.iter()).map(|(p, di)| p + step * di).collect();
            let fnew = model.ll_grad(&xn, &mut gn);
            if fnew.is_finite() && (fnew > f || (fnew >= f - 1e-12 * f.abs() && inf_norm(&gn) < inf_norm(&g))) {
                phi = xn;
                f = fnew;
                g.copy_from_slice(&gn);
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        newton += 1;
        if !accepted {
            break;
        }
    }
    let grad_norm = inf_norm(&g) / w;
    if phi.iter().any(|v| v.abs() > 35.0) || grad_norm > 1e-5 {
        return Err(Error::NotConverged { what: format!("{what} fit (a parameter ran to a bound or the gradient stayed large)"), iterations: m.iterations + newton, residual: grad_norm });
    }
    let params: Vec<f64> = phi.iter().map(|p| p.exp()).collect();
    // standard errors: inverse observed information on the log scale, delta method to theta
    let std_errors = match hessian(model, &phi).and_then(|h| (-h).cholesky()) {
        Some(ch) => {
            let inv = ch.inverse();
            (0..k).map(|i| params[i] * inv[(i, i)].max(0.0).sqrt()).collect()
        }
        None => vec![f64::INFINITY; k],
    };
    Ok(Mle {
        params,
        std_errors,
        log_likelihood: f,
        diagnostics: FitDiagnostics { lbfgs_iterations: m.iterations, newton_iterations: newton, grad_norm, rows: model.rows(), total_weight: w },
    })
}

/// Customers' histories, validated and collapsed: rows grouped by distinct frequency.
#[derive(Debug, Clone)]
pub(crate) struct Histories {
    /// Distinct frequencies.
    pub xs: Vec<f64>,
    /// Total weight per distinct frequency.
    pub wx: Vec<f64>,
    /// Per row: index into `xs`.
    pub xi: Vec<u32>,
    /// Per row: recency.
    pub tx: Vec<f64>,
    /// Per row: age.
    pub t: Vec<f64>,
    /// Per row: weight.
    pub w: Vec<f64>,
}

/// Checks `(frequency, recency, T)` columns: equal lengths, finite, frequency a non-negative
/// integer, `0 <= recency <= T`, recency 0 when frequency is 0.
pub(crate) fn check_histories(frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<()> {
    let n = frequency.len();
    if recency.len() != n {
        return Err(Error::LengthMismatch { field: "recency".into(), expected: n, got: recency.len() });
    }
    if t.len() != n {
        return Err(Error::LengthMismatch { field: "T".into(), expected: n, got: t.len() });
    }
    for i in 0..n {
        let (x, r, a) = (frequency[i], recency[i], t[i]);
        if !x.is_finite() {
            return Err(Error::NonFinite { field: format!("frequency[{i}]"), value: x });
        }
        if !r.is_finite() {
            return Err(Error::NonFinite { field: format!("recency[{i}]"), value: r });
        }
        if !a.is_finite() {
            return Err(Error::NonFinite { field: format!("T[{i}]"), value: a });
        }
        if x < 0.0 {
            return Err(Error::OutOfRange { field: format!("frequency[{i}]"), value: x, min: 0.0, max: f64::INFINITY });
        }
        if x.fract() != 0.0 {
            return Err(Error::param(format!("frequency[{i}]"), x, "the number of repeat purchases must be a whole number"));
        }
        if a < 0.0 {
            return Err(Error::OutOfRange { field: format!("T[{i}]"), value: a, min: 0.0, max: f64::INFINITY });
        }
        if r < 0.0 || r > a {
            return Err(Error::OutOfRange { field: format!("recency[{i}]"), value: r, min: 0.0, max: a });
        }
        if x == 0.0 && r != 0.0 {
            return Err(Error::param(format!("recency[{i}]"), r, "a customer with frequency 0 has recency 0"));
        }
    }
    Ok(())
}

/// Checks optional weights (finite, non-negative, not all zero) against `n` rows.
pub(crate) fn check_weights(weights: Option<&[f64]>, n: usize) -> Result<()> {
    if let Some(w) = weights {
        if w.len() != n {
            return Err(Error::LengthMismatch { field: "weights".into(), expected: n, got: w.len() });
        }
        for (i, &v) in w.iter().enumerate() {
            crate::error::check_non_negative(|| format!("weights[{i}]"), v)?;
        }
        if !w.iter().any(|&v| v > 0.0) {
            return Err(Error::NotEnoughData { what: "a fit (customers with positive weight)".into(), required: 1, got: 0 });
        }
    }
    Ok(())
}

impl Histories {
    /// Validates and (optionally) collapses identical histories into weighted rows.
    pub(crate) fn new(frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>, collapse: bool) -> Result<Self> {
        let n = frequency.len();
        if n == 0 {
            return Err(Error::NotEnoughData { what: "a fit (customers)".into(), required: 1, got: 0 });
        }
        check_histories(frequency, recency, t)?;
        check_weights(weights, n)?;
        let wt = |i: usize| weights.map_or(1.0, |w| w[i]);
        let mut rows: Vec<(f64, f64, f64, f64)> = Vec::with_capacity(if collapse { n / 4 + 16 } else { n });
        if collapse {
            let mut seen: FxHashMap<(u64, u64, u64), usize> = FxHashMap::default();
            for i in 0..n {
                if wt(i) == 0.0 {
                    continue;
                }
                // +0.0 so that -0.0 and 0.0 share a key
                let key = ((frequency[i] + 0.0).to_bits(), (recency[i] + 0.0).to_bits(), (t[i] + 0.0).to_bits());
                match seen.get(&key) {
                    Some(&j) => rows[j].3 += wt(i),
                    None => {
                        seen.insert(key, rows.len());
                        rows.push((frequency[i], recency[i], t[i], wt(i)));
                    }
                }
            }
        } else {
            rows.extend((0..n).filter(|&i| wt(i) > 0.0).map(|i| (frequency[i], recency[i], t[i], wt(i))));
        }
        // group by frequency (stable order: rows keep their first-seen order within a frequency)
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut h = Histories { xs: Vec::new(), wx: Vec::new(), xi: Vec::with_capacity(rows.len()), tx: Vec::with_capacity(rows.len()), t: Vec::with_capacity(rows.len()), w: Vec::with_capacity(rows.len()) };
        for (x, r, a, w) in rows {
            if h.xs.last() != Some(&x) {
                h.xs.push(x);
                h.wx.push(0.0);
            }
            let j = h.xs.len() - 1;
            h.wx[j] += w;
            h.xi.push(j as u32);
            h.tx.push(r);
            h.t.push(a);
            h.w.push(w);
        }
        Ok(h)
    }

    pub(crate) fn total_weight(&self) -> f64 {
        self.wx.iter().sum()
    }

    /// Weighted means of frequency and T (for starting values).
    pub(crate) fn means(&self) -> (f64, f64) {
        let w = self.total_weight();
        let mx = self.xs.iter().zip(&self.wx).map(|(x, w)| x * w).sum::<f64>() / w;
        let mt = self.t.iter().zip(&self.w).map(|(t, w)| t * w).sum::<f64>() / w;
        (mx, mt)
    }
}

/// Sums `f(row range)` over fixed chunks of rows (in parallel with the `parallel` feature), adding
/// the partial results in chunk order so the answer does not depend on the thread count.
pub(crate) fn sum_chunks<const K: usize>(rows: usize, f: impl Fn(std::ops::Range<usize>) -> [f64; K] + Sync) -> [f64; K] {
    const CHUNK: usize = 16_384;
    let chunks = rows.div_ceil(CHUNK);
    let run = |c: usize| f(c * CHUNK..((c + 1) * CHUNK).min(rows));
    #[cfg(feature = "parallel")]
    let parts: Vec<[f64; K]> = if chunks > 2 {
        use rayon::prelude::*;
        (0..chunks).into_par_iter().map(run).collect()
    } else {
        (0..chunks).map(run).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let parts: Vec<[f64; K]> = (0..chunks).map(run).collect();
    let mut out = [0.0; K];
    for p in parts {
        for (o, v) in out.iter_mut().zip(p) {
            *o += v;
        }
    }
    out
}

/// `ln(e^a + e^b)`.
pub(crate) fn logaddexp(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// Checks that a result is finite; otherwise an internal error naming the quantity.
pub(crate) fn finite(what: impl FnOnce() -> String, v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::Internal(format!("{} evaluated to {v}", what())))
    }
}

/// Checks that a model parameter is finite and positive.
pub(crate) fn check_positive(field: &str, v: f64) -> Result<f64> {
    if !v.is_finite() {
        return Err(Error::NonFinite { field: field.into(), value: v });
    }
    if v <= 0.0 {
        return Err(Error::OutOfRange { field: field.into(), value: v, min: f64::MIN_POSITIVE, max: f64::INFINITY });
    }
    Ok(v)
}

/// Checks a prediction horizon `t >= 0`.
pub(crate) fn check_horizon(field: &str, t: f64) -> Result<f64> {
    crate::error::check_non_negative(|| field.to_string(), t)
}

/// A model of repeat purchases that predicts each customer's expected purchases over a horizon
/// (what [`GammaGammaParams::customer_lifetime_value`](gamma_gamma::GammaGammaParams::customer_lifetime_value) discounts).
///
/// ```
/// use channelwise::clv::{bg_nbd::BetaGeoParams, ExpectedPurchases};
/// let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
/// let e = ExpectedPurchases::expected_purchases(&p, 4.345, &[2.0], &[30.43], &[38.86])?;
/// assert!(e[0] > 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub trait ExpectedPurchases {
    /// Expected repeat purchases of each customer in the next `horizon` time units, given her
    /// history.
    ///
    /// # Errors
    /// Invalid histories or a negative horizon, as the model's own method.
    fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>>;
}

impl ExpectedPurchases for bg_nbd::BetaGeoParams {
    fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        bg_nbd::BetaGeoParams::expected_purchases(self, horizon, frequency, recency, t)
    }
}

impl ExpectedPurchases for pareto_nbd::ParetoNbdParams {
    fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        pareto_nbd::ParetoNbdParams::expected_purchases(self, horizon, frequency, recency, t)
    }
}

/// Time unit of a CLV horizon, as lifetimes' `freq` for `customer_lifetime_value`: how many
/// model time units make one month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Freq {
    /// Hours: 720 per month (30 x 24).
    Hour,
    /// Days: 30 per month.
    Day,
    /// Weeks: 4.345 per month.
    Week,
    /// Months: 1 per month.
    Month,
}

impl Freq {
    /// Model time units per month, lifetimes' factors (`{"W": 4.345, "M": 1.0, "D": 30, "H": 720}`).
    ///
    /// ```
    /// use channelwise::clv::Freq;
    /// assert_eq!(Freq::Week.per_month(), 4.345);
    /// ```
    pub fn per_month(self) -> f64 {
        match self {
            Freq::Hour => 720.0,
            Freq::Day => 30.0,
            Freq::Week => 4.345,
            Freq::Month => 1.0,
        }
    }

    /// Parses lifetimes' codes `"H"`, `"D"`, `"W"`, `"M"`.
    ///
    /// # Errors
    /// `invalid_parameter` for any other code.
    ///
    /// ```
    /// use channelwise::clv::Freq;
    /// assert_eq!(Freq::parse("W")?, Freq::Week);
    /// assert!(Freq::parse("Q").is_err());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn parse(code: &str) -> Result<Self> {
        match code {
            "H" => Ok(Freq::Hour),
            "D" => Ok(Freq::Day),
            "W" => Ok(Freq::Week),
            "M" => Ok(Freq::Month),
            other => Err(Error::param("freq", other, "one of H, D, W, M")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histories_collapse_and_group() {
        let h = Histories::new(&[0.0, 2.0, 0.0, 2.0, 1.0], &[0.0, 3.0, 0.0, 3.0, 1.0], &[5.0, 5.0, 5.0, 5.0, 4.0], None, true).unwrap();
        assert_eq!(h.xs, vec![0.0, 1.0, 2.0]);
        assert_eq!(h.wx, vec![2.0, 1.0, 2.0]);
        assert_eq!(h.w.len(), 3);
        assert_eq!(h.total_weight(), 5.0);
    }

    #[test]
    fn bad_histories_name_field_and_index() {
        let e = check_histories(&[1.0, 2.0], &[1.0, 6.0], &[5.0, 5.0]).unwrap_err();
        assert_eq!(e.to_string(), "recency[1] must be in [0, 5], got 6");
        let e = check_histories(&[-1.0], &[0.0], &[5.0]).unwrap_err();
        assert_eq!(e.kind().code(), "out_of_range");
        assert!(e.to_string().starts_with("frequency[0]"));
        let e = check_histories(&[0.0], &[1.0], &[5.0]).unwrap_err();
        assert_eq!(e.kind().code(), "invalid_parameter");
        let e = check_histories(&[1.5], &[1.0], &[5.0]).unwrap_err();
        assert_eq!(e.kind().code(), "invalid_parameter");
        let e = check_histories(&[1.0], &[f64::NAN], &[5.0]).unwrap_err();
        assert_eq!(e.to_string(), "recency[0] must be finite, got NaN");
        let e = check_histories(&[1.0], &[1.0], &[5.0, 6.0]).unwrap_err();
        assert_eq!(e.kind().code(), "length_mismatch");
        assert!(Histories::new(&[], &[], &[], None, true).is_err());
        assert!(Histories::new(&[1.0], &[1.0], &[2.0], Some(&[0.0]), true).is_err());
    }

    #[test]
    fn freq_codes() {
        assert_eq!(Freq::parse("D").unwrap().per_month(), 30.0);
        assert_eq!(Freq::parse("H").unwrap().per_month(), 720.0);
    }
}
