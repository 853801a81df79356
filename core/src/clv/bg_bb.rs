//! The BG/BB model (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time
//! noncontractual setting", *Marketing Science* 29(6), 1086-1108), lifetimes 0.11.3's
//! `BetaGeoBetaBinomFitter`.
//!
//! Transactions happen at discrete opportunities (a yearly donation drive, a weekly newsletter
//! order). While alive a customer transacts at each opportunity with probability
//! `p ~ Beta(alpha, beta)`; at the start of each opportunity she drops out for good with
//! probability `theta ~ Beta(gamma, delta)`. Her history is `x` transactions in `n` opportunities
//! after the first, the last at opportunity `t_x` (lifetimes' `frequency`, `recency`,
//! `n_periods`); the likelihood is the paper's eq. 5
//!
//! ```text
//! L = B(alpha+x, beta+n-x)/B(alpha, beta) B(gamma, delta+n)/B(gamma, delta)
//!   + sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha, beta) B(gamma+1, delta+t_x+i)/B(gamma, delta)
//! ```
//!
//! summed in log space (lifetimes adds `1e-15` to the sum before its log, which moves its
//! optimum where the sum is empty or tiny; channelwise keeps the likelihood exact). P(alive) at
//! opportunity `n + m` is eq. A10, the conditional expectation over the next `m` opportunities
//! eq. 13, the unconditional expectation eq. 9 and the distribution of `X(n)` eq. 7.
//!
//! Every Beta function here has arguments `parameter + whole number` and enters only as a ratio
//! to its value at the parameters, so each evaluation of the likelihood and its derivatives reads
//! `ln Gamma`, digamma and trigamma differences from tables over the offsets `0..=max n`: running
//! sums of `ln(p + j)`, `1/(p + j)` and `1/(p + j)^2`, which stay exact where differences of
//! `ln Gamma` would cancel (parameters in the millions, as a fit running off towards a boundary
//! reaches).
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `max_iter` | 2000 | L-BFGS iterations of the fallback, where Newton from the start does not converge | `>= 1` |
//! | `penalizer_coef` | 0 | lifetimes' L2 penalty on the parameters, for data without an interior maximum | `>= 0` |
//! | `collapse` | `true` | fit customers sharing `(frequency, recency, n_periods)` as one weighted row | |

use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

use super::{check_positive, finite, maximise, sum_chunks, to_log_scale, FitDiagnostics, FitSettings, Histories, LogLik, Penalty};
use crate::{Error, Result};

/// The most opportunities a history may have: the likelihood sums over each one.
pub const MAX_PERIODS: f64 = 100_000.0;

/// BG/BB model settings (see the [module table](self)).
///
/// ```
/// use channelwise::clv::bg_bb::BetaGeoBetaBinom;
/// // Fader, Hardie & Shang (2010): 11,104 donors of 1995, six repeat opportunities
/// let (x, tx, w) = ([0.0, 1.0, 1.0, 2.0, 3.0, 6.0], [0.0, 1.0, 6.0, 4.0, 6.0, 6.0], [3464.0, 1091.0, 129.0, 155.0, 357.0, 1203.0]);
/// let fit = BetaGeoBetaBinom::default().fit(&x, &tx, &[6.0; 6], Some(&w))?;
/// assert!(fit.params.alpha > 0.0 && fit.log_likelihood < 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BetaGeoBetaBinom {
    settings: FitSettings,
}

/// The BG/BB parameters: `alpha, beta` (transaction probability while alive: Beta) and
/// `gamma, delta` (dropout probability per opportunity: Beta).
///
/// ```
/// use channelwise::clv::bg_bb::BetaGeoBetaBinomParams;
/// // the paper's donation estimates: 1.204, 0.750, 0.657, 2.783
/// let p = BetaGeoBetaBinomParams::new(1.204, 0.750, 0.657, 2.783)?;
/// let e = p.expected_purchases_unconditional(5)?;
/// assert!(e > 1.0 && e < 5.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BetaGeoBetaBinomParams {
    /// First Beta parameter of the transaction probability.
    pub alpha: f64,
    /// Second Beta parameter of the transaction probability.
    pub beta: f64,
    /// First Beta parameter of the dropout probability.
    pub gamma: f64,
    /// Second Beta parameter of the dropout probability.
    pub delta: f64,
}

/// A fitted BG/BB model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedBetaGeoBetaBinom {
    /// Maximum-likelihood parameters.
    pub params: BetaGeoBetaBinomParams,
    /// Their standard errors (inverse observed information; infinite if it is singular).
    pub std_errors: BetaGeoBetaBinomParams,
    /// The maximised log-likelihood (sum over customers, weighted; the data's, without the
    /// penalty of a `penalizer_coef`).
    pub log_likelihood: f64,
    /// How the fit ended.
    pub diagnostics: FitDiagnostics,
}

/// Checks `(frequency, recency, n_periods)` columns: equal lengths, finite whole numbers with
/// `0 <= frequency <= recency <= n_periods <= MAX_PERIODS` (one transaction an opportunity at
/// most) and recency 0 for frequency 0, each error naming the column and row.
pub(crate) fn check_periods(frequency: &[f64], recency: &[f64], n_periods: &[f64]) -> Result<()> {
    let n = frequency.len();
    for (name, col) in [("recency", recency), ("n_periods", n_periods)] {
        if col.len() != n {
            return Err(Error::LengthMismatch { field: name.into(), expected: n, got: col.len() });
        }
    }
    for i in 0..n {
        for (name, v) in [("frequency", frequency[i]), ("recency", recency[i]), ("n_periods", n_periods[i])] {
            if !v.is_finite() {
                return Err(Error::NonFinite { field: format!("{name}[{i}]"), value: v });
            }
            if v < 0.0 {
                return Err(Error::OutOfRange { field: format!("{name}[{i}]"), value: v, min: 0.0, max: f64::INFINITY });
            }
            if v.fract() != 0.0 {
                return Err(Error::param(format!("{name}[{i}]"), v, "a count of opportunities must be a whole number"));
            }
        }
        let (x, tx, np) = (frequency[i], recency[i], n_periods[i]);
        if np > MAX_PERIODS {
            return Err(Error::OutOfRange { field: format!("n_periods[{i}]"), value: np, min: 0.0, max: MAX_PERIODS });
        }
        if tx > np {
            return Err(Error::OutOfRange { field: format!("recency[{i}]"), value: tx, min: 0.0, max: np });
        }
        if x > tx {
            return Err(Error::param(format!("frequency[{i}]"), x, format!("at most one transaction an opportunity: frequency cannot exceed recency ({tx})")));
        }
        if x == 0.0 && tx != 0.0 {
            return Err(Error::param(format!("recency[{i}]"), tx, "a customer with frequency 0 has recency 0"));
        }
    }
    Ok(())
}

impl BetaGeoBetaBinom {
    fit_builders!(weight = "the number of customers", scaled = "", collapse = "histories");

    /// Fits by maximum likelihood to customers' `frequency` (transactions after the first),
    /// `recency` (the opportunity of the last one) and `n_periods` (opportunities after the
    /// first), with optional non-negative weights (customers per row).
    ///
    /// # Errors
    /// `length_mismatch`, `non_finite`, `out_of_range` (a negative count, recency above
    /// `n_periods`, `n_periods` above [`MAX_PERIODS`]), `invalid_parameter` (a fractional count,
    /// frequency above recency, frequency 0 with recency > 0), each naming the column and row;
    /// `not_enough_data` for no customers or none with a repeat transaction; `not_converged` if
    /// the likelihood has no interior maximum (the message says where the fit ended).
    pub fn fit(&self, frequency: &[f64], recency: &[f64], n_periods: &[f64], weights: Option<&[f64]>) -> Result<FittedBetaGeoBetaBinom> {
        check_periods(frequency, recency, n_periods)?;
        let h = Histories::new(frequency, recency, n_periods, weights, self.settings.collapse)?;
        h.require_repeat("BG/BB")?;
        let names = ["alpha", "beta", "gamma", "delta"];
        let m = maximise(&BbLik(&h), &[0.0; 4], ("BG/BB", &names), self.settings, Penalty { weight: h.total_weight(), scale: &[1.0; 4] }, None)?;
        let p = |v: &[f64]| BetaGeoBetaBinomParams { alpha: v[0], beta: v[1], gamma: v[2], delta: v[3] };
        Ok(FittedBetaGeoBetaBinom { params: p(&m.params), std_errors: p(&m.std_errors), log_likelihood: m.log_likelihood, diagnostics: m.diagnostics })
    }
}

/// Running sums `s[k] = sum_{j<k} f(j)`, `k = 0..len`, compensated (Neumaier), so the last
/// entry of a long table is as accurate as one sum.
fn running(len: usize, f: impl Fn(f64) -> f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(len);
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for j in 0..len {
        out.push(s + c);
        let v = f(j as f64);
        let t = s + v;
        c += if s.abs() >= v.abs() { (s - t) + v } else { (v - t) + s };
        s = t;
    }
    out
}

/// `ln Gamma`, digamma and (with second derivatives) trigamma at `base + k` less their values at
/// `base`, `k = 0..len`: sums of `ln(base + j)`, `1/(base + j)` and `-1/(base + j)^2` over
/// `j < k`. Only these differences enter the likelihood, and summed they keep every digit where
/// `ln Gamma(base + k) - ln Gamma(base)` would cancel (a `base` of 1e7 loses 8 digits that way).
struct Table {
    lg: Vec<f64>,
    dg: Vec<f64>,
    tg: Vec<f64>,
}

impl Table {
    fn new(base: f64, len: usize, hess: bool) -> Self {
        Table {
            lg: running(len, |j| (base + j).ln()),
            dg: running(len, |j| 1.0 / (base + j)),
            tg: if hess { running(len, |j| -1.0 / ((base + j) * (base + j))) } else { Vec::new() },
        }
    }
}

/// `t[k] = ln(Gamma(b+d+k) Gamma(b) / (Gamma(b+k) Gamma(b+d)))`, `k = 0..len`: the log of a ratio
/// of rising factorials, summed as `ln(1 + d/(b+j))` so that nothing cancels for large `b`.
fn ln_ratio(b: f64, d: f64, len: usize) -> Vec<f64> {
    running(len, |j| (d / (b + j)).ln_1p())
}

/// The six tables of an evaluation: `alpha, beta, alpha+beta, gamma, delta, gamma+delta`.
struct Tables([Table; 6]);

impl Tables {
    fn new(p: &BetaGeoBetaBinomParams, len: usize, hess: bool) -> Self {
        let (a, b, g, d) = (p.alpha, p.beta, p.gamma, p.delta);
        Tables([a, b, a + b, g, d, g + d].map(|base| Table::new(base, len, hess)))
    }

    /// `ln B(alpha+x, beta+u) + ln B(gamma+c, delta+v)`, less `ln B(alpha, beta) + ln B(gamma, delta)`.
    fn term(&self, x: usize, u: usize, c: usize, v: usize) -> f64 {
        let [ta, tb, tab, tg, td, tgd] = &self.0;
        (ta.lg[x] + tb.lg[u] - tab.lg[x + u]) + (tg.lg[c] + td.lg[v] - tgd.lg[c + v])
    }

    /// The term's gradient in `(alpha, beta, gamma, delta)`.
    fn grad(&self, x: usize, u: usize, c: usize, v: usize) -> [f64; 4] {
        let [ta, tb, tab, tg, td, tgd] = &self.0;
        [ta.dg[x] - tab.dg[x + u], tb.dg[u] - tab.dg[x + u], tg.dg[c] - tgd.dg[c + v], td.dg[v] - tgd.dg[c + v]]
    }

    /// The term's Hessian: the `(alpha, beta)` block `[aa, ab, bb]` and the `(gamma, delta)` one.
    fn hess(&self, x: usize, u: usize, c: usize, v: usize) -> ([f64; 3], [f64; 3]) {
        let [ta, tb, tab, tg, td, tgd] = &self.0;
        let (s, r) = (tab.tg[x + u], tgd.tg[c + v]);
        ([ta.tg[x] - s, -s, tb.tg[u] - s], [tg.tg[c] - r, -r, td.tg[v] - r])
    }
}

/// The `(x, u, c, v)` of each term of a history's likelihood (eq. 5): the alive-throughout term
/// `(x, n-x, 0, n)`, then `(x, t_x-x+i, 1, t_x+i)` for a dropout before opportunity `t_x+i+1`.
fn terms(x: usize, tx: usize, n: usize) -> impl Iterator<Item = (usize, usize, usize, usize)> {
    std::iter::once((x, n - x, 0, n)).chain((0..n - tx).map(move |i| (x, tx - x + i, 1, tx + i)))
}

/// A history's log-likelihood, with its gradient and Hessian's upper triangle (in natural
/// parameters) when asked: the log of a sum of terms, `w_k` each term's share.
fn row<const HESS: bool>(tab: &Tables, x: usize, tx: usize, n: usize, g: &mut [f64; 4], h: &mut [f64; 10]) -> f64 {
    let top = terms(x, tx, n).map(|(x, u, c, v)| tab.term(x, u, c, v)).fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = terms(x, tx, n).map(|(x, u, c, v)| (tab.term(x, u, c, v) - top).exp()).sum();
    let ll = top + sum.ln();
    *g = [0.0; 4];
    *h = [0.0; 10];
    for (x, u, c, v) in terms(x, tx, n) {
        let w = (tab.term(x, u, c, v) - ll).exp();
        let gk = tab.grad(x, u, c, v);
        for j in 0..4 {
            g[j] += w * gk[j];
        }
        if HESS {
            // sum_k w_k (H_k + g_k g_k'), less g g' below
            let (ab, gd) = tab.hess(x, u, c, v);
            let mut n_ = 0;
            for i in 0..4 {
                for j in i..4 {
                    let block = match (i, j) {
                        (0, 0) => ab[0],
                        (0, 1) => ab[1],
                        (1, 1) => ab[2],
                        (2, 2) => gd[0],
                        (2, 3) => gd[1],
                        (3, 3) => gd[2],
                        _ => 0.0,
                    };
                    h[n_] += w * (block + gk[i] * gk[j]);
                    n_ += 1;
                }
            }
        }
    }
    if HESS {
        let mut n_ = 0;
        for i in 0..4 {
            for j in i..4 {
                h[n_] -= g[i] * g[j];
                n_ += 1;
            }
        }
    }
    ll
}

/// Opportunities as table offsets (the histories were checked to be whole numbers up to
/// [`MAX_PERIODS`]).
fn counts(x: f64, tx: f64, n: f64) -> (usize, usize, usize) {
    (x as usize, tx as usize, n as usize)
}

struct BbLik<'a>(&'a Histories);

loglik_by_eval!(BbLik<'_>, |s| s.0);

impl BbLik<'_> {
    fn eval<const HESS: bool>(&self, phi: &[f64], g: &mut [f64], hess: &mut [f64]) -> f64 {
        let h = self.0;
        let theta = [phi[0].exp(), phi[1].exp(), phi[2].exp(), phi[3].exp()];
        let p = BetaGeoBetaBinomParams { alpha: theta[0], beta: theta[1], gamma: theta[2], delta: theta[3] };
        let len = h.t.iter().fold(0.0f64, |m, &v| m.max(v)) as usize + 1;
        let tab = Tables::new(&p, len, HESS);
        let acc = sum_chunks::<15>(h.w.len(), |range| {
            let mut acc = [0.0; 15];
            let (mut gr, mut hr) = ([0.0; 4], [0.0; 10]);
            for i in range {
                let (x, tx, n) = counts(h.xs[h.xi[i] as usize], h.tx[i], h.t[i]);
                let w = h.w[i];
                acc[0] += w * row::<HESS>(&tab, x, tx, n, &mut gr, &mut hr);
                for j in 0..4 {
                    acc[1 + j] += w * gr[j];
                }
                if HESS {
                    for j in 0..10 {
                        acc[5 + j] += w * hr[j];
                    }
                }
            }
            acc
        });
        let gr: [f64; 4] = [acc[1], acc[2], acc[3], acc[4]];
        if HESS {
            to_log_scale(&theta, &gr, &acc[5..15], g, hess);
        } else {
            for k in 0..4 {
                g[k] = theta[k] * gr[k];
            }
        }
        if g.iter().chain(if HESS { &hess[..] } else { &[] }).any(|v| !v.is_finite()) {
            return f64::NAN;
        }
        acc[0]
    }
}

/// `m_periods` as a table offset: at most [`MAX_PERIODS`] opportunities ahead.
fn check_future(m_periods: u32) -> Result<usize> {
    let m = f64::from(m_periods);
    if m > MAX_PERIODS {
        return Err(Error::OutOfRange { field: "m_periods".into(), value: m, min: 0.0, max: MAX_PERIODS });
    }
    Ok(m_periods as usize)
}

/// The largest of `n_periods`, as a table offset: check them first ([`check_periods`] bounds
/// them by [`MAX_PERIODS`]).
fn max_of(n_periods: &[f64]) -> usize {
    n_periods.iter().fold(0.0f64, |m, &v| m.max(v)) as usize
}

impl BetaGeoBetaBinomParams {
    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// `out_of_range` / `non_finite` for a parameter that is not a positive finite number.
    pub fn new(alpha: f64, beta: f64, gamma: f64, delta: f64) -> Result<Self> {
        Ok(BetaGeoBetaBinomParams { alpha: check_positive("alpha", alpha)?, beta: check_positive("beta", beta)?, gamma: check_positive("gamma", gamma)?, delta: check_positive("delta", delta)? })
    }

    fn checked(&self) -> Result<()> {
        Self::new(self.alpha, self.beta, self.gamma, self.delta).map(|_| ())
    }

    /// The tables for histories of up to `n` opportunities, and one more transaction (the
    /// conditional expectation's offset).
    fn tables(&self, n: usize) -> Tables {
        Tables::new(self, n + 2, false)
    }

    /// The log-likelihood of customers' histories at these parameters (weighted sum).
    ///
    /// # Errors
    /// As [`BetaGeoBetaBinom::fit`] for the inputs; `out_of_range` for invalid parameters.
    ///
    /// ```
    /// use channelwise::clv::bg_bb::BetaGeoBetaBinomParams;
    /// let p = BetaGeoBetaBinomParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// // no opportunities yet: the empty history has probability 1
    /// assert_eq!(p.log_likelihood(&[0.0], &[0.0], &[0.0], None)?, 0.0);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn log_likelihood(&self, frequency: &[f64], recency: &[f64], n_periods: &[f64], weights: Option<&[f64]>) -> Result<f64> {
        self.checked()?;
        check_periods(frequency, recency, n_periods)?;
        let h = Histories::new(frequency, recency, n_periods, weights, false)?;
        let phi = [self.alpha.ln(), self.beta.ln(), self.gamma.ln(), self.delta.ln()];
        let mut g = [0.0; 4];
        finite(|| "the BG/BB log-likelihood".into(), BbLik(&h).ll_grad(&phi, &mut g))
    }

    /// Per history: `ln L` and what `f(tables, x, t_x, n, ln L)` makes of it (the parameters and
    /// histories checked by the caller).
    fn per_history(&self, what: &str, (frequency, recency, n_periods): (&[f64], &[f64], &[f64]), f: impl Fn(&Tables, usize, usize, usize, f64) -> Result<f64>) -> Result<Vec<f64>> {
        let tab = self.tables(max_of(n_periods));
        let (mut g, mut h) = ([0.0; 4], [0.0; 10]);
        (0..frequency.len())
            .map(|i| {
                let (x, tx, n) = counts(frequency[i], recency[i], n_periods[i]);
                let ll = row::<false>(&tab, x, tx, n, &mut g, &mut h);
                finite(|| format!("{what}[{i}]"), f(&tab, x, tx, n, ll)?)
            })
            .collect()
    }

    /// Probability that each customer is alive at opportunity `n_periods + m_periods` (paper
    /// eq. A10, lifetimes' `conditional_probability_alive`; `m_periods = 0`: alive now).
    ///
    /// # Errors
    /// As [`BetaGeoBetaBinom::fit`] for the histories; `out_of_range` for `m_periods` above
    /// [`MAX_PERIODS`].
    ///
    /// ```
    /// use channelwise::clv::bg_bb::BetaGeoBetaBinomParams;
    /// let p = BetaGeoBetaBinomParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// let alive = p.p_alive(0, &[3.0, 3.0], &[6.0, 3.0], &[6.0, 6.0])?;
    /// assert!(alive[0] == 1.0 && alive[1] < 0.5); // gave last year, or three years ago
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn p_alive(&self, m_periods: u32, frequency: &[f64], recency: &[f64], n_periods: &[f64]) -> Result<Vec<f64>> {
        let m = check_future(m_periods)?;
        // the histories bound the tables' length
        check_periods(frequency, recency, n_periods)?;
        self.checked()?;
        // ln B(gamma, delta+k) - ln B(gamma, delta) = ln prod_{j<k} (delta+j)/(gamma+delta+j)
        let later = ln_ratio(self.gamma + self.delta, -self.gamma, max_of(n_periods) + m + 1);
        self.per_history("p_alive", (frequency, recency, n_periods), |tab, x, _tx, n, ll| {
            // alive through n + m: B(alpha+x, beta+n-x) B(gamma, delta+n+m), over L
            Ok((tab.term(x, n - x, 0, n) - ll + (later[n + m] - later[n])).exp().min(1.0))
        })
    }

    /// Expected transactions of each customer in the next `m_periods` opportunities given her
    /// history (paper eq. 13, lifetimes' `conditional_expected_number_of_purchases_up_to_time`).
    ///
    /// # Errors
    /// As [`BetaGeoBetaBinom::fit`] for the histories; `out_of_range` for `m_periods` above
    /// [`MAX_PERIODS`].
    pub fn expected_purchases(&self, m_periods: u32, frequency: &[f64], recency: &[f64], n_periods: &[f64]) -> Result<Vec<f64>> {
        let m = check_future(m_periods)?;
        // the histories bound the tables' length
        check_periods(frequency, recency, n_periods)?;
        self.checked()?;
        let delta = self.delta;
        // delta/(gamma-1) G(gamma+delta)/G(1+delta) [G(1+delta+n)/G(gamma+delta+n) - G(1+delta+n+m)/G(gamma+delta+n+m)]
        // = delta/(gamma-1) e^{t[n]} (1 - e^{t[n+m] - t[n]}), t[k] = ln prod_{j<k} (1+delta+j)/(gamma+delta+j):
        // 0/0 at gamma = 1, so within 1e-7 of it the mean of gamma = 1 -+ 1e-6
        let gammas: Vec<f64> = if (self.gamma - 1.0).abs() < 1e-7 { vec![1.0 - 1e-6, 1.0 + 1e-6] } else { vec![self.gamma] };
        let len = max_of(n_periods) + m + 1;
        let ratios: Vec<(f64, Vec<f64>)> = gammas.iter().map(|&g| (g, ln_ratio(g + delta, 1.0 - g, len))).collect();
        self.per_history("expected_purchases", (frequency, recency, n_periods), |tab, x, _tx, n, ll| {
            if m == 0 {
                return Ok(0.0);
            }
            // B(alpha+x+1, beta+n-x)/B(alpha, beta) / L: the transaction probability's posterior
            // mean times the chance of the history alive throughout, over L
            let [ta, tb, tab_ab, ..] = &tab.0;
            let lead = ta.lg[x + 1] + tb.lg[n - x] - tab_ab.lg[n + 1] - ll;
            // in log space: an unlikely history has a vast `lead` and an alive part that
            // underflows (their product was inf * 0 = NaN); the two factors' signs agree
            let ln_alive: Vec<f64> = ratios.iter().map(|(g, t)| (delta / (g - 1.0).abs()).ln() + t[n] + (t[n + m] - t[n]).exp_m1().abs().ln()).collect();
            let top = ln_alive.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            if top == f64::NEG_INFINITY {
                return Ok(0.0);
            }
            let mean = ln_alive.iter().map(|l| (l - top).exp()).sum::<f64>() / ln_alive.len() as f64;
            Ok((lead + top + mean.ln()).exp())
        })
    }

    /// Expected transactions of a new customer in her first `n_periods` opportunities (paper
    /// eq. 9): her expectation with no history.
    ///
    /// # Errors
    /// Invalid parameters; `out_of_range` naming `m_periods` for `n_periods` above
    /// [`MAX_PERIODS`].
    pub fn expected_purchases_unconditional(&self, n_periods: u32) -> Result<f64> {
        Ok(self.expected_purchases(n_periods, &[0.0], &[0.0], &[0.0])?[0])
    }

    /// Probability that a new customer makes exactly `x` transactions in her first `n_periods`
    /// opportunities (paper eq. 7; lifetimes' `expected_number_of_transactions_in_first_n_periods`
    /// over the number of customers).
    ///
    /// # Errors
    /// Invalid parameters; `out_of_range` for `n_periods` above [`MAX_PERIODS`].
    ///
    /// ```
    /// use channelwise::clv::bg_bb::BetaGeoBetaBinomParams;
    /// let p = BetaGeoBetaBinomParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// let total: f64 = (0..=6).map(|x| p.probability_of_purchases(x, 6).unwrap()).sum();
    /// assert!((total - 1.0).abs() < 1e-12);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn probability_of_purchases(&self, x: u32, n_periods: u32) -> Result<f64> {
        self.checked()?;
        let nf = f64::from(n_periods);
        if nf > MAX_PERIODS {
            return Err(Error::OutOfRange { field: "n_periods".into(), value: nf, min: 0.0, max: MAX_PERIODS });
        }
        if x > n_periods {
            return Ok(0.0);
        }
        let (x, n) = (x as usize, n_periods as usize);
        let tab = self.tables(n_periods as usize);
        // ln C(i, x)
        let ln_choose = |i: usize| ln_gamma(i as f64 + 1.0) - ln_gamma(x as f64 + 1.0) - ln_gamma((i - x) as f64 + 1.0);
        // alive throughout with x of n, or gone after opportunity i (>= x) with x of i
        let logs: Vec<f64> = std::iter::once(ln_choose(n) + tab.term(x, n - x, 0, n)).chain((x..n).map(|i| ln_choose(i) + tab.term(x, i - x, 1, i))).collect();
        let top = logs.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let v = (top + logs.iter().map(|l| (l - top).exp()).sum::<f64>().ln()).exp();
        finite(|| format!("probability_of_purchases({x}, {n_periods})"), v)
    }
}

impl FittedBetaGeoBetaBinom {
    /// The fitted parameters as `(name, value)` pairs (`alpha, beta, gamma, delta`).
    pub fn named_params(&self) -> [(&'static str, f64); 4] {
        let p = self.params;
        [("alpha", p.alpha), ("beta", p.beta), ("gamma", p.gamma), ("delta", p.delta)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn donations() -> ([f64; 22], [f64; 22], [f64; 22]) {
        let x = [0., 1., 1., 1., 1., 1., 1., 2., 2., 2., 2., 2., 3., 3., 3., 3., 4., 4., 4., 5., 5., 6.];
        let tx = [0., 1., 2., 3., 4., 5., 6., 2., 3., 4., 5., 6., 3., 4., 5., 6., 4., 5., 6., 5., 6., 6.];
        let w = [3464., 1091., 277., 129., 78., 119., 129., 613., 255., 155., 173., 234., 322., 181., 225., 357., 240., 284., 512., 335., 728., 1203.];
        (x, tx, w)
    }

    /// The analytic gradient and Hessian agree with central differences (on a few customers:
    /// the differences of the donors' log-likelihood, -33,000, are noise at this step).
    /// An unlikely history (14 transactions, the last at 154 of 200, where almost every
    /// customer drops out at once): its likelihood's inverse overflowed while the alive part
    /// underflowed, inf * 0 = NaN. In log space now; mpmath 1.4 at 60 digits (eq. 5 and
    /// lifetimes' expectation, by `mp.beta` and `mp.gamma`) gives 3.0939585051024047e-86.
    #[test]
    fn an_unlikely_history_has_an_expectation() {
        let p = BetaGeoBetaBinomParams::new(3.34, 1140.0, 1.03e4, 0.00378).unwrap();
        let e = p.expected_purchases(1, &[14.0], &[154.0], &[200.0]).unwrap()[0];
        assert!((e / 3.093_958_505_102_405e-86 - 1.0).abs() < 1e-10, "{e}");
    }

    #[test]
    fn derivatives_match_differences() {
        let h = Histories::new(&[0.0, 1.0, 2.0, 3.0, 1.0], &[0.0, 3.0, 2.0, 6.0, 1.0], &[6.0, 6.0, 4.0, 6.0, 9.0], Some(&[3.0, 1.0, 2.0, 1.0, 1.0]), true).unwrap();
        super::super::tests::check_derivatives(&BbLik(&h), &[0.2, -0.3, -0.4, 1.0], 1e-6);
        super::super::tests::check_derivatives(&BbLik(&h), &[-1.0, 0.8, 0.5, -0.2], 1e-6);
    }

    /// Fader, Hardie & Shang (2010), Table 2: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783,
    /// LL -33,225.6 on the 1995 donors.
    #[test]
    fn donations_match_the_paper() {
        let (x, tx, w) = donations();
        let f = BetaGeoBetaBinom::default().fit(&x, &tx, &[6.0; 22], Some(&w)).unwrap();
        let p = f.params;
        for (got, want) in [(p.alpha, 1.204), (p.beta, 0.750), (p.gamma, 0.657), (p.delta, 2.783)] {
            assert!((got - want).abs() < 5e-4, "{p:?}");
        }
        assert!((f.log_likelihood + 33_225.6).abs() < 0.05, "{}", f.log_likelihood);
    }

    /// The distribution of `X(n)` sums to 1 with the unconditional expectation as its mean, and
    /// the conditional expectation of a customer with no history is the unconditional one.
    #[test]
    fn distribution_and_expectations_agree() {
        let p = BetaGeoBetaBinomParams::new(1.2, 0.75, 0.66, 2.8).unwrap();
        for n in [0u32, 1, 6, 30] {
            let probs: Vec<f64> = (0..=n).map(|x| p.probability_of_purchases(x, n).unwrap()).collect();
            let total: f64 = probs.iter().sum();
            assert!((total - 1.0).abs() < 1e-12, "n {n}: {total}");
            let mean: f64 = probs.iter().enumerate().map(|(x, q)| x as f64 * q).sum();
            let e = p.expected_purchases_unconditional(n).unwrap();
            assert!((mean - e).abs() < 1e-12 * e.max(1.0), "n {n}: {mean} vs {e}");
        }
        // gamma at 1: the removable singularity of eq. 9 and 13
        let q = |g: f64| BetaGeoBetaBinomParams::new(1.2, 0.75, g, 2.8).unwrap().expected_purchases_unconditional(10).unwrap();
        assert!((q(1.0) - q(1.0 + 1e-4)).abs() < 1e-3 * q(1.0));
        // the likelihood of every history of n opportunities sums to 1
        let mut total = 0.0;
        for x in 0..=5u32 {
            for tx in x..=5 {
                if x == 0 && tx > 0 || x > 0 && tx == 0 {
                    continue;
                }
                // C(tx - 1, x - 1) sequences end with a transaction at tx
                let ways = if x == 0 { 1.0 } else { (1..x).fold(1.0, |c, k| c * f64::from(tx - k) / f64::from(k)) };
                total += ways * p.log_likelihood(&[f64::from(x)], &[f64::from(tx)], &[5.0], None).unwrap().exp();
            }
        }
        assert!((total - 1.0).abs() < 1e-12, "{total}");
    }

    /// With `delta` at 1e12 nobody drops out, and BG/BB is the beta-binomial: P(X(n) = x) =
    /// C(n, x) B(alpha+x, beta+n-x)/B(alpha, beta). Differences of `ln Gamma` near 1e12 keep 4
    /// digits; the running sums keep them all.
    #[test]
    fn no_dropout_is_the_beta_binomial_to_the_last_digits() {
        use statrs::function::beta::ln_beta;
        let (a, b) = (1.3, 0.8);
        let p = BetaGeoBetaBinomParams::new(a, b, 0.5, 1e12).unwrap();
        for x in 0..=8u32 {
            let xf = f64::from(x);
            let choose = ln_gamma(9.0) - ln_gamma(xf + 1.0) - ln_gamma(9.0 - xf);
            let want = (choose + ln_beta(a + xf, b + 8.0 - xf) - ln_beta(a, b)).exp();
            let got = p.probability_of_purchases(x, 8).unwrap();
            assert!((got / want - 1.0).abs() < 1e-10, "x {x}: {got} vs {want}");
        }
        let alive = p.p_alive(30, &[2.0], &[3.0], &[8.0]).unwrap()[0];
        assert!((alive - 1.0).abs() < 1e-9, "{alive}");
        // and parameters at the ends of double precision give probabilities, not 35
        for q in [[1e-300, 1e300, 1e-300, 1e300], [1e300, 1e-300, 1e300, 1e-300], [1e-300, 1e-300, 1e300, 1e300]] {
            let p = BetaGeoBetaBinomParams::new(q[0], q[1], q[2], q[3]).unwrap();
            let total: f64 = (0..=6).map(|x| p.probability_of_purchases(x, 6).unwrap()).sum();
            assert!((total - 1.0).abs() < 1e-9, "{q:?}: {total}");
            for v in p.p_alive(0, &[1.0], &[1.0], &[6.0]).unwrap() {
                assert!((0.0..=1.0).contains(&v), "{q:?}: {v}");
            }
        }
    }

    /// Customers who never transacted after the first say nothing a maximum could rest on.
    #[test]
    fn no_repeat_transaction_is_not_enough_data() {
        let e = BetaGeoBetaBinom::default().fit(&[0.0, 0.0], &[0.0, 0.0], &[6.0, 0.0], None).unwrap_err();
        assert_eq!(e.kind().code(), "not_enough_data", "{e}");
        assert!(e.to_string().contains("BG/BB fit (customers with a repeat purchase"), "{e}");
        let e = BetaGeoBetaBinom::default().penalizer_coef(0.01).fit(&[0.0], &[0.0], &[0.0], None).unwrap_err();
        assert_eq!(e.kind().code(), "not_enough_data", "{e}");
        let p = BetaGeoBetaBinomParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
        let e = p.expected_purchases(100_001, &[1.0], &[1.0], &[6.0]).unwrap_err();
        assert_eq!(e.to_string(), "m_periods must be in [0, 100000], got 100001");
        // the histories are checked before they size the predictions' tables (the Python
        // mutation net's n_periods of 1e300 aborted on the allocation)
        for n in [1e300, f64::NAN, 6.5] {
            assert!(p.expected_purchases(5, &[1.0], &[1.0], &[n]).is_err());
            assert!(p.p_alive(5, &[1.0], &[1.0], &[n]).is_err());
        }
    }

    #[test]
    fn bad_histories_name_column_and_row() {
        let e = BetaGeoBetaBinom::default().fit(&[2.0], &[1.0], &[6.0], None).unwrap_err();
        assert_eq!(e.kind().code(), "invalid_parameter", "{e}");
        assert!(e.to_string().contains("frequency[0]"), "{e}");
        let e = BetaGeoBetaBinom::default().fit(&[1.0, 1.0], &[1.0, 7.0], &[6.0, 6.0], None).unwrap_err();
        assert_eq!(e.kind().code(), "out_of_range", "{e}");
        assert!(e.to_string().contains("recency[1]"), "{e}");
        let e = BetaGeoBetaBinom::default().fit(&[1.0], &[1.0], &[6.5], None).unwrap_err();
        assert!(e.to_string().contains("n_periods[0]"), "{e}");
        let e = BetaGeoBetaBinom::default().fit(&[1.0], &[1.0], &[2e5], None).unwrap_err();
        assert_eq!(e.kind().code(), "out_of_range", "{e}");
        let e = BetaGeoBetaBinom::default().fit(&[1.0], &[1.0], &[6.0, 6.0], None).unwrap_err();
        assert_eq!(e.kind().code(), "length_mismatch", "{e}");
        assert!(BetaGeoBetaBinomParams::new(1.0, f64::NAN, 1.0, 1.0).is_err());
    }
}
