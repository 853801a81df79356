//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987; as estimated in Fader, Hardie &
//! Lee 2005b, "RFM and CLV: using iso-value curves for customer base analysis", *JMR* 42(4)).
//!
//! While alive a customer buys as a Poisson process with rate `lambda ~ Gamma(r, alpha)`; her
//! lifetime is exponential with rate `mu ~ Gamma(s, beta)`. The likelihood (Fader & Hardie,
//! note 009, eq. 17-21) is
//!
//! ```text
//! L = G(r+x) alpha^r beta^s / G(r) * [ 1/((alpha+T)^(r+x) (beta+T)^s) + s * A0 ]
//! A0 = int_{t_x}^{T} (alpha+y)^-(r+x) (beta+y)^-(s+1) dy
//! ```
//!
//! `A0` is a difference of two `2F1(., .; r+s+x+1; z)` terms with `0 <= z < 1`; the series is
//! expanded in whichever of `alpha`, `beta` is larger (lifetimes' choice) and summed in log space
//! together with the sums giving its derivative in each parameter, or integrated where the series
//! would need thousands of terms (customers who hardly differ; see
//! [`hyp2f1`](super::hyp2f1)), so the gradient is analytic and a customer with hundreds of
//! purchases does not overflow (lifetimes issue #25). P(alive) is note 009 eq. 22, the
//! conditional expectation eq. 41 (the form lifetimes 0.11.3 uses), the unconditional
//! expectation eq. 27.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `max_iter` | 2000 | L-BFGS iterations of the fallback, where Newton from the start does not converge | `>= 1` |
//! | `penalizer_coef` | 0 | lifetimes' L2 penalty on the parameters, for data without an interior maximum | `>= 0` |
//! | `collapse` | `true` | fit customers sharing `(frequency, recency, T)` as one weighted row | |

use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};

use super::hyp2f1::{tail, TailTable};
use super::polygamma::trigamma;
use super::{check_histories, check_horizon, start_error, check_positive, finite, logaddexp, maximise, time_scale, to_log_scale, FitDiagnostics, FitSettings, Histories, LogLik, Penalty};
use crate::Result;

/// Pareto/NBD model settings (see the [module table](self)).
///
/// ```
/// use channelwise::clv::pareto_nbd::ParetoNbd;
/// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/clv/bg_nbd_fit_cdnow.json");
/// # let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
/// # let col = |k: &str| -> Vec<f64> { v["input"][k].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
/// # let (x, tx, t) = (col("frequency"), col("recency"), col("T"));
/// // CDNOW (2357 customers, weeks)
/// let fit = ParetoNbd::default().fit(&x, &tx, &t, None)?;
/// assert!((fit.params.r - 0.5533).abs() < 1e-3);
/// assert!(fit.params.s > 0.0 && fit.log_likelihood < 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbd {
    settings: FitSettings,
}

/// The Pareto/NBD parameters: `r, alpha` (Gamma purchase rate), `s, beta` (Gamma dropout rate).
///
/// ```
/// use channelwise::clv::pareto_nbd::ParetoNbdParams;
/// // Fader, Hardie & Lee (2005b), CDNOW, weeks
/// let p = ParetoNbdParams::new(0.55, 10.58, 0.61, 11.67)?;
/// assert!(p.expected_purchases_unconditional(52.0)? > 1.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdParams {
    /// Shape of the Gamma purchase-rate distribution.
    pub r: f64,
    /// Rate of the Gamma purchase-rate distribution.
    pub alpha: f64,
    /// Shape of the Gamma dropout-rate distribution.
    pub s: f64,
    /// Rate of the Gamma dropout-rate distribution.
    pub beta: f64,
}

/// A fitted Pareto/NBD model.
///
/// ```
/// use channelwise::clv::pareto_nbd::ParetoNbd;
/// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/clv/bg_nbd_fit_cdnow.json");
/// # let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
/// # let col = |k: &str| -> Vec<f64> { v["input"][k].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
/// # let (x, tx, t) = (col("frequency"), col("recency"), col("T"));
/// // CDNOW (2357 customers, weeks)
/// let fit = ParetoNbd::default().fit(&x, &tx, &t, None)?;
/// assert!((fit.params.r - 0.5533).abs() < 1e-3);
/// assert!(fit.diagnostics.grad_norm < 1e-6);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedParetoNbd {
    /// Maximum-likelihood parameters.
    pub params: ParetoNbdParams,
    /// Their standard errors (inverse observed information; infinite if it is singular).
    pub std_errors: ParetoNbdParams,
    /// The maximised log-likelihood (sum over customers, weighted; the data's, without the
    /// penalty of a `penalizer_coef`).
    pub log_likelihood: f64,
    /// How the fit ended.
    pub diagnostics: FitDiagnostics,
}

impl ParetoNbd {
    fit_builders!(
        weight = "the mean weight per row (1 for one row per customer: lifetimes' Pareto/NBD penalises the total, its BG/NBD the mean)",
        scaled = " (alpha and beta in units of the largest `T`, as lifetimes fits them)",
        collapse = "histories"
    );

    /// Fits by maximum likelihood (inputs as [`BetaGeo::fit`](super::bg_nbd::BetaGeo::fit)).
    ///
    /// # Errors
    /// As [`BetaGeo::fit`](super::bg_nbd::BetaGeo::fit).
    pub fn fit(&self, frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Result<FittedParetoNbd> {
        let h = Histories::new(frequency, recency, t, weights, self.settings.collapse)?;
        h.require_repeat("Pareto/NBD")?;
        let phi0 = start(&h);
        let bad_start = |why: &str| start_error(("Pareto/NBD", why), (frequency, recency, t), |h, g| ParetoLik::new(h).ll_grad(&start(h), g));
        let scale = [1.0, time_scale(t), 1.0, time_scale(t)];
        // lifetimes divides its total by the mean weight of the rows it was given
        let weight = h.total_weight() / frequency.len() as f64;
        let m = maximise(&ParetoLik::new(&h), &phi0, ("Pareto/NBD", &["r", "alpha", "s", "beta"]), self.settings, Penalty { weight, scale: &scale }, Some(&bad_start))?;
        let p = |v: &[f64]| ParetoNbdParams { r: v[0], alpha: v[1], s: v[2], beta: v[3] };
        Ok(FittedParetoNbd { params: p(&m.params), std_errors: p(&m.std_errors), log_likelihood: m.log_likelihood, diagnostics: m.diagnostics })
    }
}

/// The fit's start in log-parameters: r = s = 1, alpha from the purchase rate, beta the mean age.
fn start(h: &Histories) -> [f64; 4] {
    let (mx, mt) = h.means();
    let rate = (mx.max(0.05) / mt.max(1e-9)).max(1e-9);
    [0.0, (1.0 / rate).ln(), 0.0, mt.max(1e-3).ln()]
}

/// A log-term of the likelihood with its gradient and Hessian in `(r, alpha, s, beta)` (the
/// Hessian only where asked for).
type Term = (f64, [f64; 4], [[f64; 4]; 4]);

/// `ln F(tau)` with `F(tau) = int_tau^inf (alpha+y)^-p (beta+y)^-q dy`, its gradient and (with
/// `HESS`) Hessian in `(r, alpha, s, beta)` (with `p = r + x`, `q = s + 1`). `F` is
/// `u^-n S(c, n, z)` with `n = r + s + x`, `u` the larger rate plus `tau`, `z = |alpha - beta| / u`
/// and `c` `s + 1` or `r + x`; the chain rule runs through `(n, u, c, z)`. `table`, when given,
/// holds the series' coefficients for this `x` (see [`series_table`]).
fn ln_tail<const HESS: bool>(th: &[f64; 4], x: f64, tau: f64, table: Option<&TailTable>) -> Result<Term> {
    let [r, alpha, s, beta] = *th;
    let n = r + s + x;
    // the series is expanded in the larger of alpha, beta (`lead`); `ci` is the parameter in c
    let (lead, other, c, ci) = if alpha >= beta { (1, 3, s + 1.0, 2) } else { (3, 1, r + x, 0) };
    let u = th[lead] + tau;
    let z = (th[lead] - th[other]) / u;
    let tl = match table {
        Some(t) => t.eval::<HESS>(z)?,
        None => tail::<HESS>(c, n, z)?,
    };
    let ln_u = u.ln();
    // first derivatives of f(n, u, c, z) = -n ln u + ln S(c, n, z)
    let f1 = [-ln_u - tl.s2, -n / u, tl.sh, tl.dz];
    // rows of the Jacobian of (n, u, c, z) in theta
    let mut jac = [[1.0, 0.0, 1.0, 0.0], [0.0; 4], [0.0; 4], [0.0; 4]];
    jac[1][lead] = 1.0;
    jac[2][ci] = 1.0;
    jac[3][lead] = (1.0 - z) / u;
    jac[3][other] = -1.0 / u;
    let mut g = [0.0; 4];
    for (p, row) in jac.iter().enumerate() {
        for k in 0..4 {
            g[k] += f1[p] * row[k];
        }
    }
    let mut hs = [[0.0; 4]; 4];
    if HESS {
        let [l_nn, l_cc, l_zz, l_cn, l_cz, l_nz] = tl.second;
        let l_z = tl.dz;
        let f2 = [[l_nn, -1.0 / u, l_cn, l_nz], [-1.0 / u, n / (u * u), 0.0, 0.0], [l_cn, 0.0, l_cc, l_cz], [l_nz, 0.0, l_cz, l_zz]];
        // J' F J, as (F J) then J' (F J)
        let mut fj = [[0.0; 4]; 4];
        for p in 0..4 {
            for q in 0..4 {
                for j in 0..4 {
                    fj[p][j] += f2[p][q] * jac[q][j];
                }
            }
        }
        for p in 0..4 {
            for i in 0..4 {
                for j in 0..4 {
                    hs[i][j] += jac[p][i] * fj[p][j];
                }
            }
        }
        // z is not linear in theta: f_z times z's own second derivatives
        hs[lead][lead] -= l_z * 2.0 * (1.0 - z) / (u * u);
        hs[lead][other] += l_z / (u * u);
        hs[other][lead] += l_z / (u * u);
    }
    Ok((-n * ln_u + tl.ln_s, g, hs))
}

/// `ln A0`, `A0 = F(t_x) - F(T)`, with its derivatives; `None` when `t_x == T` (A0 = 0).
fn ln_a0<const HESS: bool>(th: &[f64; 4], x: f64, tx: f64, t: f64, table: Option<&TailTable>) -> Result<Option<Term>> {
    if tx >= t {
        return Ok(None);
    }
    Ok(a0_from_tails::<HESS>(&ln_tail::<HESS>(th, x, tx, table)?, &ln_tail::<HESS>(th, x, t, table)?))
}

/// `ln A0` from `ln F(t_x)` and `ln F(T)` ([`ln_tail`]); `None` when they are equal (A0 = 0).
fn a0_from_tails<const HESS: bool>(tail_tx: &Term, tail_t: &Term) -> Option<Term> {
    let (l1, g1, h1) = tail_tx;
    let (l2, g2, h2) = tail_t;
    let rho = (l2 - l1).exp();
    if rho >= 1.0 {
        return None;
    }
    let mut g = [0.0; 4];
    for k in 0..4 {
        g[k] = (g1[k] - rho * g2[k]) / (1.0 - rho);
    }
    let mut hs = [[0.0; 4]; 4];
    if HESS {
        // d2 ln(e^l1 - e^l2) = (H1 + g1 g1' - rho (H2 + g2 g2')) / (1 - rho) - g g'
        for i in 0..4 {
            for j in 0..4 {
                hs[i][j] = (h1[i][j] + g1[i] * g1[j] - rho * (h2[i][j] + g2[i] * g2[j])) / (1.0 - rho) - g[i] * g[j];
            }
        }
    }
    Some((l1 + (-(l2 - l1).exp_m1()).ln(), g, hs))
}

/// The tail series' coefficients for the rows with `x` purchases, built for `tau = 0` (the
/// largest `z` any of them has).
fn series_table(th: &[f64; 4], x: f64) -> Option<TailTable> {
    let [r, alpha, s, beta] = *th;
    let (lead, other, c) = if alpha >= beta { (alpha, beta, s + 1.0) } else { (beta, alpha, r + x) };
    TailTable::new(c, r + s + x, (lead - other) / lead)
}

/// The two log-terms of the likelihood's bracket: `B1 = -(r+x) ln(alpha+T) - s ln(beta+T)` and
/// `B2 = ln s + ln A0` (`-inf` when `t_x == T`), with their derivatives.
fn bracket<const HESS: bool>(th: &[f64; 4], x: f64, tx: f64, t: f64, table: Option<&TailTable>) -> Result<(Term, Term)> {
    let (b1, b2) = bracket_from::<HESS>(th, x, t, ln_a0::<HESS>(th, x, tx, t, table)?);
    // P(alive) and the likelihood are differences of these terms (and of `r ln alpha`): past
    // 4.5e9 a double's rounding of them exceeds 1e-6, and parameters that large (1e200, say)
    // would give numbers with no digit left
    let size = b1.0.abs().max(if b2.0.is_finite() { b2.0.abs() } else { 0.0 }).max(th[0] * th[1].ln().abs());
    if size * f64::EPSILON > 1e-6 {
        let names = ["r", "alpha", "s", "beta"];
        let i = (0..4).fold(0, |m, i| if th[i] > th[m] { i } else { m });
        return Err(crate::Error::param(
            names[i],
            th[i],
            format!("with r {}, alpha {}, s {}, beta {} the Pareto/NBD likelihood's terms reach {size:e}, where double precision no longer resolves it (to 1e-6 up to 4.5e9)", th[0], th[1], th[2], th[3]),
        ));
    }
    Ok((b1, b2))
}

/// [`bracket`] given the row's `ln A0` (`None` when `A0 = 0`).
fn bracket_from<const HESS: bool>(th: &[f64; 4], x: f64, t: f64, a0: Option<Term>) -> (Term, Term) {
    let [r, alpha, s, beta] = *th;
    let (ua, ub) = (1.0 / (alpha + t), 1.0 / (beta + t));
    let (la, lb) = ((alpha + t).ln(), (beta + t).ln());
    let b1 = -(r + x) * la - s * lb;
    let g1 = [-la, -(r + x) * ua, -lb, -s * ub];
    let mut h1 = [[0.0; 4]; 4];
    if HESS {
        h1[0][1] = -ua;
        h1[1][0] = -ua;
        h1[1][1] = (r + x) * ua * ua;
        h1[2][3] = -ub;
        h1[3][2] = -ub;
        h1[3][3] = s * ub * ub;
    }
    let b2 = match a0 {
        Some((la0, mut ga, mut ha)) => {
            ga[2] += 1.0 / s;
            ha[2][2] -= 1.0 / (s * s);
            (s.ln() + la0, ga, ha)
        }
        None => (f64::NEG_INFINITY, [0.0; 4], [[0.0; 4]; 4]),
    };
    ((b1, g1, h1), b2)
}

/// The likelihood of [`Histories`], each row's two tail series looked up by `(frequency, tau)`:
/// rows share a tail wherever they share a frequency and `t_x` or `T` (on CDNOW 940 distinct
/// tails serve 2006 row ends; every customer without repeat purchases has the tail at 0).
struct ParetoLik<'a> {
    h: &'a Histories,
    /// Distinct `(frequency index, tau)` some row needs the tail at.
    keys: Vec<(u32, f64)>,
    /// Per row: the indices in `keys` of its tails at `t_x` and at `T` (`None` when `t_x >= T`).
    ends: Vec<Option<[u32; 2]>>,
}

impl<'a> ParetoLik<'a> {
    fn new(h: &'a Histories) -> Self {
        let mut index = std::collections::HashMap::new();
        let mut keys = Vec::new();
        let mut key = |j: u32, tau: f64| {
            *index.entry((j, tau.to_bits())).or_insert_with(|| {
                keys.push((j, tau));
                (keys.len() - 1) as u32
            })
        };
        let ends = (0..h.w.len()).map(|i| (h.tx[i] < h.t[i]).then(|| [key(h.xi[i], h.tx[i]), key(h.xi[i], h.t[i])])).collect();
        ParetoLik { h, keys, ends }
    }
}

loglik_by_eval!(ParetoLik<'_>, |s| s.h);

impl ParetoLik<'_> {
    /// The log-likelihood, writing its gradient (and with `HESS` its Hessian) in log-parameters.
    fn eval<const HESS: bool>(&self, phi: &[f64], g: &mut [f64], hess: &mut [f64]) -> f64 {
        let h = self.h;
        let th = [phi[0].exp(), phi[1].exp(), phi[2].exp(), phi[3].exp()];
        let [r, alpha, s, beta] = th;
        let (lg_r, dg_r) = (ln_gamma(r), digamma(r));
        let tg_r = if HESS { trigamma(r) } else { 0.0 };
        let mut ll = 0.0;
        let mut gr = [0.0; 4];
        // upper triangle of the Hessian in (r, alpha, s, beta), row by row
        let mut hr = [0.0; 10];
        for (&x, &w) in h.xs.iter().zip(&h.wx) {
            ll += w * (ln_gamma(r + x) - lg_r + r * alpha.ln() + s * beta.ln());
            gr[0] += w * (digamma(r + x) - dg_r + alpha.ln());
            gr[1] += w * r / alpha;
            gr[2] += w * beta.ln();
            gr[3] += w * s / beta;
            if HESS {
                hr[0] += w * (trigamma(r + x) - tg_r);
                hr[1] += w / alpha;
                hr[4] -= w * r / (alpha * alpha);
                hr[8] += w / beta;
                hr[9] -= w * s / (beta * beta);
            }
        }
        let tables: Vec<Option<TailTable>> = h.xs.iter().map(|&x| series_table(&th, x)).collect();
        let tail_at = |&(j, tau): &(u32, f64)| ln_tail::<HESS>(&th, h.xs[j as usize], tau, tables[j as usize].as_ref());
        // sized up front (collecting into a `Result<Vec>` grows the vector as it goes)
        let serial = || -> Result<Vec<Term>> {
            let mut v = Vec::with_capacity(self.keys.len());
            for k in &self.keys {
                v.push(tail_at(k)?);
            }
            Ok(v)
        };
        #[cfg(feature = "parallel")]
        let tails: Result<Vec<Term>> = if self.keys.len() > 32_768 {
            use rayon::prelude::*;
            self.keys.par_iter().map(tail_at).collect()
        } else {
            serial()
        };
        #[cfg(not(feature = "parallel"))]
        let tails = serial();
        let Ok(tails) = tails else {
            g.fill(f64::NAN);
            hess.fill(f64::NAN);
            return f64::NAN;
        };
        let rows = super::sum_chunks::<15>(h.w.len(), |range| {
            // ll, gradient (4), Hessian's upper triangle (10)
            let mut acc = [0.0; 15];
            for i in range {
                let j = h.xi[i] as usize;
                let a0 = self.ends[i].and_then(|[a, b]| a0_from_tails::<HESS>(&tails[a as usize], &tails[b as usize]));
                let ((b1, g1, h1), (b2, g2, h2)) = bracket_from::<HESS>(&th, h.xs[j], h.t[i], a0);
                let lse = logaddexp(b1, b2);
                let w2 = (b2 - lse).exp();
                let w1 = 1.0 - w2;
                let w = h.w[i];
                acc[0] += w * lse;
                for k in 0..4 {
                    acc[k + 1] += w * (w1 * g1[k] + w2 * g2[k]);
                }
                if HESS {
                    // w1 H1 + w2 H2 + w1 w2 (g1 - g2)(g1 - g2)'
                    let v = w * w1 * w2;
                    let mut n = 5;
                    for a in 0..4 {
                        for b in a..4 {
                            let cross = if w2 > 0.0 { v * (g1[a] - g2[a]) * (g1[b] - g2[b]) } else { 0.0 };
                            acc[n] += w * (w1 * h1[a][b] + w2 * h2[a][b]) + cross;
                            n += 1;
                        }
                    }
                }
            }
            acc
        });
        ll += rows[0];
        for k in 0..4 {
            gr[k] += rows[k + 1];
        }
        if HESS {
            for k in 0..10 {
                hr[k] += rows[5 + k];
            }
            to_log_scale(&th, &gr, &hr, g, hess);
        } else {
            for k in 0..4 {
                g[k] = th[k] * gr[k];
            }
        }
        if g.iter().chain(if HESS { &hess[..] } else { &[] }).any(|v| !v.is_finite()) {
            return f64::NAN;
        }
        ll
    }
}

impl ParetoNbdParams {
    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` for a parameter that is not a positive finite number.
    ///
    /// ```
    /// use channelwise::clv::pareto_nbd::ParetoNbdParams;
    /// assert!(ParetoNbdParams::new(0.55, 10.58, 0.61, 11.67).is_ok());
    /// assert!(ParetoNbdParams::new(0.55, 10.58, 0.0, 11.67).is_err());
    /// ```
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self> {
        Ok(ParetoNbdParams { r: check_positive("r", r)?, alpha: check_positive("alpha", alpha)?, s: check_positive("s", s)?, beta: check_positive("beta", beta)? })
    }

    fn checked(&self) -> Result<()> {
        Self::new(self.r, self.alpha, self.s, self.beta).map(|_| ())
    }

    /// The log-likelihood of customers' histories at these parameters (weighted sum).
    ///
    /// # Errors
    /// As [`ParetoNbd::fit`] for the inputs; `out_of_range` for invalid parameters;
    /// `invalid_parameter` naming the largest parameter where the likelihood's terms pass 4.5e9
    /// (parameters past double precision, as for `p_alive` and `expected_purchases`).
    ///
    /// ```
    /// use channelwise::clv::pareto_nbd::ParetoNbdParams;
    /// let p = ParetoNbdParams::new(0.55, 10.58, 0.61, 11.67)?;
    /// assert!(p.log_likelihood(&[2.0, 0.0], &[30.43, 0.0], &[38.86, 38.86], None)? < 0.0);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn log_likelihood(&self, frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Result<f64> {
        self.checked()?;
        let h = Histories::new(frequency, recency, t, weights, false)?;
        // per row, so a series that fails to converge is reported rather than turned into NaN
        for i in 0..h.w.len() {
            bracket::<false>(&self.theta(), h.xs[h.xi[i] as usize], h.tx[i], h.t[i], None)?;
        }
        let phi = [self.r.ln(), self.alpha.ln(), self.s.ln(), self.beta.ln()];
        let mut g = [0.0; 4];
        finite(|| "the Pareto/NBD log-likelihood".into(), ParetoLik::new(&h).ll_grad(&phi, &mut g))
    }

    fn theta(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }

    fn alive(&self, x: f64, tx: f64, t: f64) -> Result<f64> {
        let ((b1, ..), (b2, ..)) = bracket::<false>(&self.theta(), x, tx, t, None)?;
        // 1 / (1 + e^(B2 - B1))
        let d = b2 - b1;
        Ok(if d > 0.0 {
            let e = (-d).exp();
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + d.exp())
        })
    }

    /// Probability that each customer is still alive (note 009 eq. 22).
    ///
    /// # Errors
    /// As [`ParetoNbd::fit`] for the histories.
    ///
    /// ```
    /// use channelwise::clv::pareto_nbd::ParetoNbdParams;
    /// let p = ParetoNbdParams::new(0.55, 10.58, 0.61, 11.67)?;
    /// let alive = p.p_alive(&[5.0, 5.0, 400.0], &[37.0, 5.0, 38.0], &[38.0, 38.0, 38.5])?;
    /// assert!(alive[0] > alive[1] && alive[2] > 0.9);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn p_alive(&self, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.checked()?;
        check_histories(frequency, recency, t)?;
        (0..frequency.len()).map(|i| finite(|| format!("p_alive[{i}]"), self.alive(frequency[i], recency[i], t[i])?)).collect()
    }

    /// Expected repeat purchases in the next `horizon` time units given each customer's history
    /// (note 009 eq. 41: P(alive) times `(r+x)(beta+T)/((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)]`,
    /// with the limit `ln((beta+T+t)/(beta+T))` at `s = 1`).
    ///
    /// # Errors
    /// As [`ParetoNbd::fit`] for the histories; `out_of_range` for a negative horizon.
    ///
    /// ```
    /// use channelwise::clv::pareto_nbd::ParetoNbdParams;
    /// let p = ParetoNbdParams::new(0.55, 10.58, 0.61, 11.67)?;
    /// let e = p.expected_purchases(10.0, &[2.0], &[30.43], &[38.86])?;
    /// assert!(e[0] > 0.0 && e[0] < 2.0);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        self.checked()?;
        check_horizon("horizon", horizon)?;
        check_histories(frequency, recency, t)?;
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        (0..frequency.len())
            .map(|i| {
                let (x, tx, age) = (frequency[i], recency[i], t[i]);
                let v = self.alive(x, tx, age)? * (r + x) * (beta + age) / (alpha + age) * growth(s, beta + age, horizon);
                finite(|| format!("expected_purchases[{i}]"), v)
            })
            .collect()
    }

    /// Expected repeat purchases in `t` time units of a randomly chosen new customer (note 009
    /// eq. 27: `r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]`, the log limit at `s = 1`).
    ///
    /// # Errors
    /// `out_of_range` for a negative `t`.
    ///
    /// ```
    /// use channelwise::clv::pareto_nbd::ParetoNbdParams;
    /// let p = ParetoNbdParams::new(0.55, 10.58, 0.61, 11.67)?;
    /// assert_eq!(p.expected_purchases_unconditional(0.0)?, 0.0);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn expected_purchases_unconditional(&self, t: f64) -> Result<f64> {
        self.checked()?;
        check_horizon("t", t)?;
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        finite(|| "expected_purchases_unconditional".into(), r * beta / alpha * growth(s, beta, t))
    }
}

/// `(1 - (base / (base + t))^(s - 1)) / (s - 1)`, its log limit at `s = 1`: the dropout part of
/// the expectations. The log of the ratio is `-ln_1p(t / base)`: `ln(base / (base + t))` lost
/// the digits of a `t` small against `base` (1e-8 relative at `t / base = 1e-8`, where the
/// expectation came out above what a customer who never drops out would buy), and `expm1` keeps
/// those of an `s` near 1 (it took the first-order term below 1e-10).
fn growth(s: f64, base: f64, t: f64) -> f64 {
    let l = -(t / base).ln_1p();
    if s == 1.0 {
        -l
    } else {
        -((s - 1.0) * l).exp_m1() / (s - 1.0)
    }
}

impl FittedParetoNbd {
    /// The fitted parameters as `(name, value)` pairs.
    ///
    /// ```
    /// use channelwise::clv::pareto_nbd::ParetoNbd;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/clv/bg_nbd_fit_cdnow.json");
/// # let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
/// # let col = |k: &str| -> Vec<f64> { v["input"][k].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
/// # let (x, tx, t) = (col("frequency"), col("recency"), col("T"));
/// // CDNOW (2357 customers, weeks)
/// let fit = ParetoNbd::default().fit(&x, &tx, &t, None)?;
/// assert!((fit.params.r - 0.5533).abs() < 1e-3);
    /// assert_eq!(fit.named_params()[2].0, "s");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn named_params(&self) -> [(&'static str, f64); 4] {
        let p = self.params;
        [("r", p.r), ("alpha", p.alpha), ("s", p.s), ("beta", p.beta)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Histories past double precision (found by the JS mutation tests) give a typed error
    /// naming the extremes, not an internal one: 2^32 purchases in 39 weeks pass alone, but
    /// move the whole data's start past what the likelihood evaluates.
    /// A horizon small against beta: `ln(beta / (beta + t))` kept 1e-8 of the digits, and the
    /// expectation (0.2514973633 here) came out above `r / alpha t`, what a customer who never
    /// drops out would buy. mpmath 1.4 at 40 digits: 0.25149736146356768739.
    #[test]
    fn a_short_horizon_keeps_its_digits() {
        let p = ParetoNbdParams::new(11.7787698420818, 0.16814033846561535, 0.0025000036474679735, 368702.23720993183).unwrap();
        let (t, want) = (0.00359009065013994, 0.251_497_361_463_567_7);
        let u = p.expected_purchases_unconditional(t).unwrap();
        assert!((u / want - 1.0).abs() < 1e-14, "{u} vs {want}");
        // a new customer's conditional expectation is the unconditional one
        let c = p.expected_purchases(t, &[0.0], &[0.0], &[0.0]).unwrap()[0];
        assert!((c / want - 1.0).abs() < 1e-14, "{c} vs {want}");
    }

    #[test]
    fn a_history_past_double_precision_is_typed() {
        let (f, r, t) = ([2.0, 1.0, 0.0, 0.0, 3.0, 7.0, 1.0, 0.0, 2.0, 5.0], [30.0, 20.0, 0.0, 0.0, 35.0, 38.0, 10.0, 0.0, 25.0, 30.0], [39.0, 39.0, 39.0, 38.0, 38.0, 38.0, 37.0, 37.0, 37.0, 39.0]);
        let mut big = f;
        big[5] = 4_294_967_296.0;
        let e = ParetoNbd::default().fit(&big, &r, &t, None).unwrap_err();
        assert_eq!(e.kind().code(), "not_converged", "{e}");
        // since the tails are integrated where their series would be long, this start is finite
        // (7.5e10) but no step from it changes the log-likelihood in double precision
        assert!(e.to_string().contains("no step from the start changed its log-likelihood, 7.53"), "{e}");
        assert!(e.to_string().contains("; the largest frequency is 4294967296 at frequency[5], the largest T 39 at T[0]"), "{e}");
        // without it, no customer seems to drop out: s runs to 0, which the fit says
        let e = ParetoNbd::default().fit(&f, &r, &t, None).unwrap_err();
        assert!(e.to_string().contains("it ended at r 1.30"), "{e}");
    }

    #[test]
    fn parameters_past_double_precision_are_typed() {
        // these gave P(alive) 1 and a log-likelihood of 0 once the tails were integrated (before,
        // the series gave up): the likelihood's terms are 1e203 and cancel
        let p = ParetoNbdParams::new(1e200, 1e201, 1e200, 1e199).unwrap();
        let hist = ([0.0, 3.0], [0.0, 20.0], [38.0, 38.0]);
        for e in [p.p_alive(&hist.0, &hist.1, &hist.2).unwrap_err(), p.log_likelihood(&hist.0, &hist.1, &hist.2, None).unwrap_err(), p.expected_purchases(10.0, &hist.0, &hist.1, &hist.2).unwrap_err()] {
            assert_eq!(e.kind().code(), "invalid_parameter", "{e}");
            assert!(e.to_string().contains("alpha") && e.to_string().contains("double precision"), "{e}");
        }
        // large but resolvable: r 2e5, alpha 2e6 (the terms are 3e6)
        assert!(ParetoNbdParams::new(2e5, 2e6, 0.6, 12.0).unwrap().p_alive(&hist.0, &hist.1, &hist.2).is_ok());
    }

    #[test]
    fn derivatives_match_differences_both_branches() {
        let h = Histories::new(&[0.0, 1.0, 3.0, 7.0, 2.0, 350.0], &[0.0, 2.0, 10.0, 30.0, 1.0, 37.0], &[20.0, 30.0, 35.0, 38.0, 3.0, 38.0], None, true).unwrap();
        for phi in [[-0.6f64, 2.3, -0.5, 2.45], [-0.6, 2.6, -0.5, 1.2], [0.3, 0.5, 0.2, 2.0], [0.1, 1.5, -0.3, 1.5]] {
            super::super::tests::check_derivatives(&ParetoLik::new(&h), &phi, 1e-5);
        }
    }

    #[test]
    fn a0_equals_quadrature() {
        // A0 by a fine midpoint rule
        let (r, alpha, s, beta, x, tx, t) = (0.55, 10.58, 0.61, 11.67, 3.0, 10.0, 38.0);
        let n = 200_000;
        let hstep = (t - tx) / n as f64;
        let q: f64 = (0..n).map(|i| {
            let y = tx + (i as f64 + 0.5) * hstep;
            (alpha + y).powf(-(r + x)) * (beta + y).powf(-(s + 1.0)) * hstep
        }).sum();
        let (la, ..) = ln_a0::<false>(&[r, alpha, s, beta], x, tx, t, None).unwrap().unwrap();
        assert!((la.exp() - q).abs() < 1e-8 * q, "{} vs {q}", la.exp());
    }
}
