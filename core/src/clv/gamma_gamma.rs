//! The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005b, "RFM and CLV",
//! *JMR* 42(4); Fader & Hardie, note 025 "The Gamma-Gamma model of monetary value").
//!
//! A customer's transactions are Gamma(`p`, `nu`) with `nu ~ Gamma(q, v)`; for a repeat buyer
//! with `x` repeat transactions of mean value `m` the likelihood of `m` is (note 025 eq. 3, the
//! form lifetimes 0.11.3 maximises)
//!
//! ```text
//! ln L = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v + x m)
//! ```
//!
//! and the expected spend per transaction given `(x, m)` is `p (v + x m) / (p x + q - 1)`
//! (eq. 5, requires `q > 1`). Customers without repeat purchases carry no spend information and
//! are left out of the fit (their expected spend is the population mean `p v / (q - 1)`).
//!
//! [`GammaGammaParams::customer_lifetime_value`] follows lifetimes' `customer_lifetime_value`:
//! the expected spend times the expected purchases in each month of the horizon, discounted
//! monthly.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `max_iter` | 2000 | L-BFGS iterations of the fallback, where Newton from the start does not converge | `>= 1` |
//! | `penalizer_coef` | 0 | lifetimes' L2 penalty on the parameters, for data without an interior maximum | `>= 0` |
//! | `collapse` | `true` | fit customers sharing `(frequency, monetary_value)` as one weighted row | |

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};

use super::polygamma::{ln_1_plus, trigamma, GammaAt};
use super::{check_histories, check_positive, check_weights, finite, maximise, sum_chunks, to_log_scale, ExpectedPurchases, FitDiagnostics, FitSettings, Freq, LogLik, Penalty};
use crate::{Error, Result};

/// Gamma-Gamma model settings (see the [module table](self)).
///
/// ```
/// use channelwise::clv::gamma_gamma::GammaGamma;
/// let x = [1.0, 2.0, 5.0, 3.0, 1.0, 4.0, 0.0];
/// let m = [20.0, 35.5, 18.0, 60.0, 12.5, 25.0, 0.0];
/// let fit = GammaGamma::default().fit(&x, &m, None)?;
/// assert!(fit.params.q > 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    settings: FitSettings,
}

/// The Gamma-Gamma parameters: `p` (shape of transaction values), `q, v` (Gamma of their rate).
///
/// ```
/// use channelwise::clv::gamma_gamma::GammaGammaParams;
/// // Fader, Hardie & Lee (2005b), CDNOW
/// let p = GammaGammaParams::new(6.25, 3.74, 15.44)?;
/// let spend = p.expected_spend(&[2.0], &[35.0])?;
/// assert!(spend[0] > 35.0 && spend[0] < 40.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    /// Shape of the Gamma distribution of transaction values.
    pub p: f64,
    /// Shape of the Gamma distribution of their rate across customers.
    pub q: f64,
    /// Rate of the Gamma distribution of their rate across customers.
    pub v: f64,
}

/// A fitted Gamma-Gamma model.
///
/// ```
/// use channelwise::clv::gamma_gamma::GammaGamma;
/// let fit = GammaGamma::default().fit(&[1.0, 2.0, 5.0, 3.0, 1.0, 4.0], &[20.0, 35.5, 18.0, 60.0, 12.5, 25.0], None)?;
/// assert!(fit.std_errors.p > 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedGammaGamma {
    /// Maximum-likelihood parameters.
    pub params: GammaGammaParams,
    /// Their standard errors (inverse observed information; infinite if it is singular).
    pub std_errors: GammaGammaParams,
    /// The maximised log-likelihood over the repeat buyers (weighted sum; the data's, without
    /// the penalty of a `penalizer_coef`).
    pub log_likelihood: f64,
    /// How the fit ended.
    pub diagnostics: FitDiagnostics,
}

/// Checks `(frequency, monetary_value)`: equal lengths, finite, frequency a non-negative whole
/// number, spend positive for repeat buyers.
fn check_spend(frequency: &[f64], monetary_value: &[f64]) -> Result<()> {
    let n = frequency.len();
    if monetary_value.len() != n {
        return Err(Error::LengthMismatch { field: "monetary_value".into(), expected: n, got: monetary_value.len() });
    }
    // frequency checks shared with the purchase models (recency 0 <= T 0 always passes)
    let zeros = vec![0.0; n];
    check_histories(frequency, &zeros, &zeros)?;
    for (i, (&x, &m)) in frequency.iter().zip(monetary_value).enumerate() {
        if !m.is_finite() {
            return Err(Error::NonFinite { field: format!("monetary_value[{i}]"), value: m });
        }
        if x > 0.0 && m <= 0.0 {
            return Err(Error::OutOfRange { field: format!("monetary_value[{i}]"), value: m, min: f64::MIN_POSITIVE, max: f64::INFINITY });
        }
    }
    Ok(())
}

/// Repeat buyers' spend, collapsed and grouped by frequency: everything in the likelihood that
/// depends on a customer only through `x` (the `ln G` and `psi` terms, `sum w ln m`) is computed
/// once per group, leaving one `ln` and one division per row.
struct Spend {
    /// Distinct frequencies, ascending.
    xs: Vec<f64>,
    /// Per frequency: its rows `start[j]..start[j + 1]`.
    start: Vec<usize>,
    /// Per frequency: total weight.
    wx: Vec<f64>,
    /// Per frequency: weighted sum of `ln m`.
    wlnm: Vec<f64>,
    /// Per row: total spend `x m`.
    xm: Vec<f64>,
    /// Per row: weight.
    w: Vec<f64>,
    /// Weighted mean of `m`.
    mean: f64,
}

impl Spend {
    /// The log-likelihood, writing its gradient (and with `HESS` its Hessian) in log-parameters.
    fn eval<const HESS: bool>(&self, phi: &[f64], g: &mut [f64], h: &mut [f64]) -> f64 {
        let (p, q, v) = (phi[0].exp(), phi[1].exp(), phi[2].exp());
        // q ln v - (px+q) ln(v + x m) is written -(px+q) ln(1 + x m/v) - px ln v, and
        // ln G(px+q) - ln G(q) comes from GammaAt, so nothing of the size of q ln v cancels as q
        // and v grow together (customers whose spend hardly differs)
        let (ln_v, inv_v) = (v.ln(), 1.0 / v);
        let at_q = GammaAt::new(q, HESS);
        // psi(px+q) and psi_1(px+q) are q's values plus the differences
        let [dg_q, tg_q] = at_q.psi();
        let mut ll = 0.0;
        let mut gr = [0.0; 3];
        // upper triangle: pp, pq, pv, qq, qv, vv
        let mut hr = [0.0; 6];
        for (j, &x) in self.xs.iter().enumerate() {
            let rows = self.start[j]..self.start[j + 1];
            // sums over the rows of w ln(1 + x m/v), w/(v + x m), w/(v + x m)^2,
            // w x m/(v + x m) and w x m (2v + x m)/(v + x m)^2
            let [s0, s1, s2, s3, s4] = sum_chunks::<5>(rows.len(), |r| {
                let mut acc = [0.0; 5];
                for i in r.start + rows.start..r.end + rows.start {
                    let xm = self.xm[i];
                    let inv = 1.0 / (v + xm);
                    let w = self.w[i];
                    let share = w * xm * inv;
                    acc[0] += w * ln_1_plus(xm * inv_v);
                    acc[1] += w * inv;
                    acc[3] += share;
                    if HESS {
                        acc[2] += w * inv * inv;
                        acc[4] += share * (1.0 + v * inv);
                    }
                }
                acc
            });
            let (wx, px) = (self.wx[j], p * x);
            let ln_x = x.ln();
            let dq = at_q.diff(px);
            // sum w ln(v + x m)
            let s_ln = wx * ln_v + s0;
            ll += wx * (dq.lg - ln_gamma(px) + px * (ln_x - ln_v)) + (px - 1.0) * self.wlnm[j] - (px + q) * s0;
            gr[0] += x * (wx * (dg_q + dq.dg - digamma(px) + ln_x) + self.wlnm[j] - s_ln);
            gr[1] += wx * dq.dg - s0;
            // q/v - (px+q)/(v + x m) = (q x m/v - px)/(v + x m)
            gr[2] += q * inv_v * s3 - px * s1;
            if HESS {
                let tg_pxq = tg_q + dq.tg;
                hr[0] += wx * x * x * (tg_pxq - trigamma(px));
                hr[1] += wx * x * tg_pxq;
                hr[2] -= x * s1;
                hr[3] += wx * dq.tg;
                hr[4] += s3 * inv_v;
                hr[5] += px * s2 - q * inv_v * inv_v * s4;
            }
        }
        if HESS {
            to_log_scale(&[p, q, v], &gr, &hr, g, h);
        } else {
            for (k, t) in [p, q, v].into_iter().enumerate() {
                g[k] = t * gr[k];
            }
        }
        if g.iter().chain(if HESS { &h[..] } else { &[] }).any(|d| !d.is_finite()) {
            return f64::NAN;
        }
        ll
    }
}

loglik_by_eval!(Spend, |s| s);

fn spend_rows(frequency: &[f64], monetary_value: &[f64], weights: Option<&[f64]>, collapse: bool) -> Result<Spend> {
    check_spend(frequency, monetary_value)?;
    check_weights(weights, frequency.len())?;
    // (x, m, w) rows, identical (x, m) merged when collapsing
    let mut rows: Vec<(f64, f64, f64)> = Vec::new();
    let mut seen: FxHashMap<(u64, u64), usize> = FxHashMap::default();
    for i in 0..frequency.len() {
        let w = weights.map_or(1.0, |w| w[i]);
        if frequency[i] == 0.0 || w == 0.0 {
            continue;
        }
        if collapse {
            let key = (frequency[i].to_bits(), monetary_value[i].to_bits());
            if let Some(&j) = seen.get(&key) {
                rows[j].2 += w;
                continue;
            }
            seen.insert(key, rows.len());
        }
        rows.push((frequency[i], monetary_value[i], w));
    }
    if rows.is_empty() {
        return Err(Error::NotEnoughData { what: "a Gamma-Gamma fit (repeat buyers)".into(), required: 1, got: 0 });
    }
    crate::stats::sort_by_f64_key(&mut rows, |r| r.0);
    let mut s = Spend { xs: Vec::new(), start: Vec::new(), wx: Vec::new(), wlnm: Vec::new(), xm: Vec::with_capacity(rows.len()), w: Vec::with_capacity(rows.len()), mean: 0.0 };
    let mut total = 0.0;
    for (i, &(x, m, w)) in rows.iter().enumerate() {
        if s.xs.last() != Some(&x) {
            s.xs.push(x);
            s.start.push(i);
            s.wx.push(0.0);
            s.wlnm.push(0.0);
        }
        let j = s.xs.len() - 1;
        s.wx[j] += w;
        s.wlnm[j] += w * m.ln();
        s.xm.push(x * m);
        s.w.push(w);
        s.mean += w * m;
        total += w;
    }
    s.start.push(rows.len());
    s.mean /= total;
    Ok(s)
}

impl GammaGamma {
    fit_builders!(weight = "the number of repeat buyers", scaled = "", collapse = "`(frequency, monetary_value)` rows");

    /// Fits by maximum likelihood to repeat buyers' `frequency` and mean repeat spend
    /// `monetary_value` (rows with frequency 0 are skipped), with optional weights.
    ///
    /// # Errors
    /// `length_mismatch`; `non_finite`; `out_of_range` for negative frequency or weight, or spend
    /// `<= 0` of a repeat buyer (`monetary_value[7]`); `invalid_parameter` for a fractional
    /// frequency; `not_enough_data` without repeat buyers; `not_converged` without an interior
    /// maximum (e.g. every repeat buyer spending the same).
    pub fn fit(&self, frequency: &[f64], monetary_value: &[f64], weights: Option<&[f64]>) -> Result<FittedGammaGamma> {
        let s = spend_rows(frequency, monetary_value, weights, self.settings.collapse)?;
        // start: p = 1, q = 2, v = mean (the population mean spend p v / (q - 1))
        let phi0 = [0.0, 2f64.ln(), s.mean.ln()];
        let m = maximise(&s, &phi0, ("Gamma-Gamma", &["p", "q", "v"]), self.settings, Penalty { weight: s.total_weight(), scale: &[1.0; 3] }, None)?;
        let p = |x: &[f64]| GammaGammaParams { p: x[0], q: x[1], v: x[2] };
        Ok(FittedGammaGamma { params: p(&m.params), std_errors: p(&m.std_errors), log_likelihood: m.log_likelihood, diagnostics: m.diagnostics })
    }
}

impl GammaGammaParams {
    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` for a parameter that is not a positive finite number.
    ///
    /// ```
    /// use channelwise::clv::gamma_gamma::GammaGammaParams;
    /// assert!(GammaGammaParams::new(6.25, 3.74, 15.44).is_ok());
    /// assert!(GammaGammaParams::new(6.25, f64::NAN, 15.44).is_err());
    /// ```
    pub fn new(p: f64, q: f64, v: f64) -> Result<Self> {
        Ok(GammaGammaParams { p: check_positive("p", p)?, q: check_positive("q", q)?, v: check_positive("v", v)? })
    }

    /// The log-likelihood of repeat buyers' mean spend at these parameters.
    ///
    /// # Errors
    /// As [`GammaGamma::fit`] for the inputs.
    ///
    /// ```
    /// use channelwise::clv::gamma_gamma::GammaGammaParams;
    /// let p = GammaGammaParams::new(6.25, 3.74, 15.44)?;
    /// assert!(p.log_likelihood(&[2.0, 1.0], &[35.0, 20.0], None)?.is_finite());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn log_likelihood(&self, frequency: &[f64], monetary_value: &[f64], weights: Option<&[f64]>) -> Result<f64> {
        let p = Self::new(self.p, self.q, self.v)?;
        let s = spend_rows(frequency, monetary_value, weights, false)?;
        let mut g = [0.0; 3];
        finite(|| "the Gamma-Gamma log-likelihood".into(), s.ll_grad(&[p.p.ln(), p.q.ln(), p.v.ln()], &mut g))
    }

    /// Expected spend per transaction of each customer given her repeat purchases and their mean
    /// value (lifetimes' `conditional_expected_average_profit`; the population mean
    /// `p v / (q - 1)` for frequency 0).
    ///
    /// # Errors
    /// As [`GammaGamma::fit`] for the inputs; `out_of_range` for `q <= 1` (infinite mean spend).
    ///
    /// ```
    /// use channelwise::clv::gamma_gamma::GammaGammaParams;
    /// let p = GammaGammaParams::new(6.25, 3.74, 15.44)?;
    /// let s = p.expected_spend(&[0.0, 50.0], &[0.0, 20.0])?;
    /// assert!((s[0] - 6.25 * 15.44 / 2.74).abs() < 1e-12);
    /// assert!((s[1] - 20.0).abs() < 1.0); // many purchases: close to her own mean
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn expected_spend(&self, frequency: &[f64], monetary_value: &[f64]) -> Result<Vec<f64>> {
        let GammaGammaParams { p, q, v } = Self::new(self.p, self.q, self.v)?;
        if q <= 1.0 {
            return Err(Error::OutOfRange { field: "q".into(), value: q, min: 1.0, max: f64::INFINITY });
        }
        check_spend(frequency, monetary_value)?;
        frequency
            .iter()
            .zip(monetary_value)
            .enumerate()
            .map(|(i, (&x, &m))| {
                let m = if x == 0.0 { 0.0 } else { m };
                finite(|| format!("expected_spend[{i}]"), p * (v + x * m) / (p * x + q - 1.0))
            })
            .collect()
    }

    /// Discounted customer lifetime value over `months` months, lifetimes'
    /// `customer_lifetime_value` semantics:
    ///
    /// ```text
    /// CLV_i = sum_{k=1}^{months} spend_i * (E_i(k f) - E_i((k-1) f)) / (1 + discount_rate)^k
    /// ```
    ///
    /// where `spend_i` is [`expected_spend`](Self::expected_spend), `E_i(t)` the purchase model's
    /// expected repeat purchases in the next `t` time units given the history, and `f`
    /// [`Freq::per_month`] (the model's time units per month: 30 for days, 4.345 for weeks).
    /// `discount_rate` is per month; purchases in month `k` are discounted by `k` whole months.
    ///
    /// # Errors
    /// As [`expected_spend`](Self::expected_spend) and the purchase model; `out_of_range` for a
    /// discount rate outside `[0, 1e6]` or more than [`MAX_MONTHS`] months; `length_mismatch`
    /// for columns of unequal length.
    ///
    /// ```
    /// use channelwise::clv::{bg_nbd::BetaGeoParams, gamma_gamma::GammaGammaParams, Freq};
    /// let bg = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
    /// let gg = GammaGammaParams::new(6.25, 3.74, 15.44)?;
    /// let clv = gg.customer_lifetime_value(&bg, &[2.0], &[30.43], &[38.86], &[22.35], 12, 0.01, Freq::Week)?;
    /// assert!(clv[0] > 0.0);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn customer_lifetime_value(
        &self,
        model: &impl ExpectedPurchases,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        monetary_value: &[f64],
        months: u32,
        discount_rate: f64,
        freq: Freq,
    ) -> Result<Vec<f64>> {
        crate::error::check_range("discount_rate", discount_rate, 0.0, 1e6)?;
        if months > MAX_MONTHS {
            return Err(Error::OutOfRange { field: "months".into(), value: f64::from(months), min: 0.0, max: f64::from(MAX_MONTHS) });
        }
        let spend = self.expected_spend(frequency, monetary_value)?;
        check_histories(frequency, recency, t)?;
        let f = freq.per_month();
        let mut clv = vec![0.0; frequency.len()];
        let mut prev = vec![0.0; frequency.len()];
        for k in 1..=months {
            let e = model.expected_purchases(f64::from(k) * f, frequency, recency, t)?;
            let disc = (1.0 + discount_rate).powi(k as i32);
            for i in 0..clv.len() {
                clv[i] += spend[i] * (e[i] - prev[i]) / disc;
            }
            prev = e;
        }
        clv.iter().enumerate().map(|(i, &c)| finite(|| format!("clv[{i}]"), c)).collect()
    }
}

/// The longest CLV horizon, in months (100 years): each month is one pass of the purchase
/// model over every customer, and 2^32 months (asked for once by the JS mutation tests) ran for
/// good.
pub const MAX_MONTHS: u32 = 1200;

impl FittedGammaGamma {
    /// The fitted parameters as `(name, value)` pairs.
    ///
    /// ```
    /// use channelwise::clv::gamma_gamma::GammaGamma;
    /// let fit = GammaGamma::default().fit(&[1.0, 2.0, 5.0, 3.0, 1.0, 4.0], &[20.0, 35.5, 18.0, 60.0, 12.5, 25.0], None)?;
    /// assert_eq!(fit.named_params()[0].0, "p");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn named_params(&self) -> [(&'static str, f64); 3] {
        let p = self.params;
        [("p", p.p), ("q", p.q), ("v", p.v)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_differences() {
        let s = spend_rows(&[1.0, 2.0, 5.0, 3.0, 2.0], &[20.0, 35.5, 18.0, 60.0, 12.0], Some(&[2.0, 1.0, 1.0, 3.0, 1.5]), true).unwrap();
        super::super::tests::check_derivatives(&s, &[1.5, 1.1, 2.7], 1e-6);
        super::super::tests::check_derivatives(&s, &[-0.4, 0.3, 1.0], 1e-6);
        // q and v far out together (spend that hardly differs between customers)
        super::super::tests::check_derivatives(&s, &[1.8, 4e8f64.ln(), 1.5e9f64.ln()], 1e-6);
    }

    /// The log-likelihood (lifetimes' `GammaGammaFitter` objective, one term a customer) against
    /// mpmath at 50 digits as q and v grow together: `q ln v - (px + q) ln(v + x m)` and the `ln G`
    /// differences, taken plainly (as lifetimes does), are off by 2e-8 at a scale of 1e8 and 1e-4
    /// at 1e12. What is left: statrs' `ln G` of `px` up to 120 (6e-15 at scale 1), and at 1e12
    /// `px ln q` against `px ln v` (1e-14).
    #[test]
    fn log_likelihood_keeps_its_digits_at_large_q_and_v() {
        let (x, m) = ([1.0, 2.0, 3.0, 6.0, 20.0], [20.5, 35.0, 12.25, 60.0, 28.0]);
        for (scale, want) in [(1.0, -20.711_075_422_591_09), (1e4, -45.221_806_853_430_216), (1e8, -45.276_435_842_727_71), (1e12, -45.276_441_317_695_614)] {
            let ll = GammaGammaParams::new(6.0, 4.0 * scale, 15.0 * scale).unwrap().log_likelihood(&x, &m, None).unwrap();
            assert!((ll - want).abs() <= 2e-14 * want.abs(), "scale {scale}: {ll} vs {want}");
        }
    }

    #[test]
    fn zero_spend_of_a_repeat_buyer_is_an_error() {
        let e = GammaGamma::default().fit(&[1.0, 2.0], &[10.0, 0.0], None).unwrap_err();
        assert_eq!(e.to_string(), "monetary_value[1] must be in (0, inf], got 0");
        assert!(GammaGamma::default().fit(&[0.0, 0.0], &[0.0, 0.0], None).is_err());
    }

    /// A horizon past 100 years is refused before any work (2^32 months ran for good).
    #[test]
    fn clv_horizon_is_bounded() {
        let bg = crate::clv::bg_nbd::BetaGeoParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
        let gg = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
        let clv = |months| gg.customer_lifetime_value(&bg, &[2.0], &[30.43], &[38.86], &[22.35], months, 0.01, Freq::Week);
        assert!(clv(MAX_MONTHS).unwrap()[0] > clv(12).unwrap()[0]);
        assert_eq!(clv(u32::MAX).unwrap_err().to_string(), "months must be in [0, 1200], got 4294967295");
    }

    /// A spend of 1e300 (the Python mutation net) starts v near 1e297, whose square overflows
    /// the penalty: a typed error saying so, not an internal one.
    #[test]
    fn a_penalty_past_double_precision_is_typed() {
        let (x, mut m) = ([1.0, 2.0, 5.0, 3.0, 1.0, 4.0], [20.0, 35.5, 18.0, 60.0, 12.5, 25.0]);
        m[1] = 1e300;
        let e = GammaGamma::default().penalizer_coef(0.01).fit(&x, &m, None).unwrap_err();
        assert_eq!(e.kind().code(), "not_converged", "{e}");
        assert!(e.to_string().contains("the penalty overflows at the start, which is p 1.0000e0, q 2.0000e0, v 1.6667e299"), "{e}");
    }
}
