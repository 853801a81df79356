//! Customer lifetime value: buy-till-you-die models of repeat purchasing, a spend model, a
//! contractual retention model and the RFM summary they are fitted on.
//!
//! | Model | Type | Parameters | Source of the equations |
//! |---|---|---|---|
//! | [`bg_bb::BetaGeoBetaBinom`] | BG/BB, discrete-time non-contractual (transaction opportunities) | `alpha, beta, gamma, delta` | Fader, Hardie & Shang (2010), "Customer-base analysis in a discrete-time noncontractual setting", *Marketing Science* 29(6) (eq. 5, 7, 9, 13, A10); lifetimes 0.11.3 `BetaGeoBetaBinomFitter` |
//! | [`bg_nbd::BetaGeo`] | BG/NBD, non-contractual | `r, alpha, a, b` | Fader, Hardie & Lee (2005), "Counting your customers the easy way", *Marketing Science* 24(2); Hardie's note 004 (likelihood, eq. 3) |
//! | [`mbg_nbd::ModifiedBetaGeo`] | MBG/NBD, non-contractual (BG/NBD with dropout possible at the first purchase) | `r, alpha, a, b` | Batislam, Denizel & Filiztekin (2007), *IJRM* 24(3); lifetimes 0.11.3 `ModifiedBetaGeoFitter` |
//! | [`pareto_nbd::ParetoNbd`] | Pareto/NBD, non-contractual | `r, alpha, s, beta` | Schmittlein, Morrison & Colombo (1987); Fader, Hardie & Lee (2005b), "RFM and CLV", *JMR* 42(4); Fader & Hardie note 009 (likelihood, P(alive), conditional expectation) |
//! | [`gamma_gamma::GammaGamma`] | spend per transaction | `p, q, v` | Fader, Hardie & Lee (2005b); Fader & Hardie note 025 "The Gamma-Gamma model of monetary value" |
//! | [`sbg::ShiftedBetaGeo`] | shifted-beta-geometric, contractual | `alpha, beta` | Fader & Hardie (2007), "How to project customer retention", *J. Interactive Marketing* 21(1) |
//! | [`rfm`] | RFM summary from a transaction log | | lifetimes 0.11.3 `summary_data_from_transaction_data`, `calibration_and_holdout_data` |
//!
//! Column names follow lifetimes: `frequency` is the number of *repeat* purchases (purchase
//! periods after the first), `recency` the time of the last purchase since the first, `T` the
//! customer's age (time since the first purchase to the end of observation), all in the time unit
//! the caller chose (days, weeks). Every model fits by maximum likelihood on log-parameters:
//! Newton's method on the analytic gradient and Hessian (sBG: a Hessian differenced from the
//! analytic gradient) to a gradient at rounding level, falling back to L-BFGS and a Newton polish
//! where Newton from the start does not get there. Standard errors are the square roots of the
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

/// The settings builders of a CLV spec (a struct with a `settings: FitSettings` field):
/// `max_iter`; `penalizer_coef`, documented with what the model's penalty is multiplied by
/// (`weight`) and the parameters it rescales (`scaled`); and, given `collapse`, `collapse`
/// documented with the rows it collapses.
macro_rules! fit_builders {
    (weight = $weight:literal, scaled = $scaled:literal $(, collapse = $rows:literal)?) => {
        /// Most L-BFGS iterations (default 2000).
        pub fn max_iter(mut self, n: usize) -> Self {
            self.settings.max_iter = n.max(1);
            self
        }

        #[doc = concat!(
            "lifetimes' `penalizer_coef` (default 0): the fit maximises the log-likelihood less ",
            "`penalizer_coef` times ", $weight, " times the sum of the squared parameters", $scaled, ", ",
            "which keeps parameters finite where the likelihood alone rises without end (customers who ",
            "hardly differ). The reported log-likelihood is the data's, without the penalty; the standard ",
            "errors are the penalised curvature, as lifetimes'. A NaN or negative value fails the fit ",
            "(`non_finite` / `out_of_range` naming `penalizer_coef`)."
        )]
        pub fn penalizer_coef(mut self, coef: f64) -> Self {
            self.settings.penalizer = coef;
            self
        }

        $(
            #[doc = concat!("Collapse identical ", $rows, " into weighted rows (default true; the fit is the same).")]
            pub fn collapse(mut self, yes: bool) -> Self {
                self.settings.collapse = yes;
                self
            }
        )?
    };
}

/// [`LogLik`] for a model whose `eval::<HESS>(phi, g, hess)` computes its log-likelihood and
/// derivatives (with `HESS`, the Hessian too); `data` reaches its rows (`w`, per row) and their
/// weight per distinct frequency (`wx`) from `self`.
macro_rules! loglik_by_eval {
    ($ty:ty, |$s:ident| $data:expr) => {
        impl $crate::clv::LogLik for $ty {
            fn total_weight(&self) -> f64 {
                let $s = self;
                $data.wx.iter().sum()
            }

            fn rows(&self) -> usize {
                let $s = self;
                $data.w.len()
            }

            fn ll_grad(&self, phi: &[f64], g: &mut [f64]) -> f64 {
                self.eval::<false>(phi, g, &mut [])
            }

            fn ll_grad_hess(&self, phi: &[f64], g: &mut [f64], h: &mut [f64]) -> f64 {
                self.eval::<true>(phi, g, h)
            }
        }
    };
}

pub mod bg_bb;
pub mod bg_nbd;
pub mod gamma_gamma;
pub mod hyp2f1;
pub mod mbg_nbd;
pub mod pareto_nbd;
mod polygamma;
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
    /// L-BFGS iterations (0 when Newton's method from the start converged on its own).
    pub lbfgs_iterations: usize,
    /// Newton steps (from the start, or after L-BFGS).
    pub newton_iterations: usize,
    /// Largest absolute entry of the gradient of the log-likelihood (less its penalty, with a
    /// `penalizer_coef`) with respect to the log-parameters, divided by the total weight, at the
    /// answer.
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

/// A model's log-likelihood over its (collapsed) data, with its derivatives with respect to the
/// log-parameters.
pub(crate) trait LogLik {
    /// The total weighted log-likelihood at `exp(phi)`; writes its gradient with respect to
    /// `phi` into `g`. Non-finite when the parameters are outside the numerically valid region.
    fn ll_grad(&self, phi: &[f64], g: &mut [f64]) -> f64;
    /// As [`ll_grad`](LogLik::ll_grad), also writing the Hessian with respect to `phi` into `h`
    /// (`k x k`, row-major). By default it is differenced from the gradient (central,
    /// symmetrised; `2k` more evaluations); models with second derivatives override it.
    fn ll_grad_hess(&self, phi: &[f64], g: &mut [f64], h: &mut [f64]) -> f64 {
        let k = phi.len();
        let (mut gp, mut gm, mut x) = (vec![0.0; k], vec![0.0; k], phi.to_vec());
        for j in 0..k {
            let step = 1e-5 * phi[j].abs().max(1.0);
            x[j] = phi[j] + step;
            let fp = self.ll_grad(&x, &mut gp);
            x[j] = phi[j] - step;
            let fm = self.ll_grad(&x, &mut gm);
            x[j] = phi[j];
            if !fp.is_finite() || !fm.is_finite() {
                return f64::NAN;
            }
            for i in 0..k {
                h[i * k + j] = (gp[i] - gm[i]) / (2.0 * step);
            }
        }
        for i in 0..k {
            for j in 0..i {
                let v = 0.5 * (h[i * k + j] + h[j * k + i]);
                h[i * k + j] = v;
                h[j * k + i] = v;
            }
        }
        self.ll_grad(phi, g)
    }
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
    /// lifetimes' `penalizer_coef` (see [`Penalty`]); documents written before it read as 0.
    #[serde(default)]
    pub penalizer: f64,
}

impl Default for FitSettings {
    fn default() -> Self {
        FitSettings { max_iter: 2000, collapse: true, penalizer: 0.0 }
    }
}

fn inf_norm(g: &[f64]) -> f64 {
    g.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// Moves derivatives in natural parameters `theta` to log-parameters `phi = ln theta`:
/// `g_phi = theta g`, `H_phi = theta_i theta_j H_ij + [i = j] theta_i g_i`. `h_theta` holds the
/// upper triangle row by row (`K (K + 1) / 2` entries); `h` gets the full `K x K` matrix.
pub(crate) fn to_log_scale<const K: usize>(theta: &[f64; K], g_theta: &[f64; K], h_theta: &[f64], g: &mut [f64], h: &mut [f64]) {
    for i in 0..K {
        g[i] = theta[i] * g_theta[i];
    }
    let mut n = 0;
    for i in 0..K {
        for j in i..K {
            let v = theta[i] * theta[j] * h_theta[n] + if i == j { g[i] } else { 0.0 };
            h[i * K + j] = v;
            h[j * K + i] = v;
            n += 1;
        }
    }
}

/// Where a run of Newton steps ended: the point, its log-likelihood, gradient and Hessian.
struct NewtonRun {
    phi: Vec<f64>,
    f: f64,
    g: Vec<f64>,
    h: DMatrix<f64>,
    steps: usize,
    /// The run stands at a maximum ([`settled`]).
    converged: bool,
}

/// Gradients per unit weight at or below this end the Newton steps.
const GRAD_TOL: f64 = 1e-11;
/// The longest Newton step (in log-parameters) a maximum may still call for ([`settled`]).
const STEP_TOL: f64 = 1e-6;

/// Evaluates the log-likelihood with gradient and Hessian; `None` outside the valid region
/// (a log-parameter beyond +-40 or NaN, or a non-finite value).
fn eval_at(model: &dyn LogLik, phi: &[f64], g: &mut [f64], h: &mut DMatrix<f64>) -> Option<f64> {
    if phi.iter().any(|v| v.is_nan() || v.abs() > 40.0) {
        return None;
    }
    let f = model.ll_grad_hess(phi, g, h.as_mut_slice());
    (f.is_finite() && h.iter().all(|v| v.is_finite())).then_some(f)
}

/// The ascent direction of a Newton step: `(-H)^-1 g` where `-H` is positive definite, else
/// with `-H`'s eigenvalues replaced by their absolute values (floored), so the step still climbs;
/// `None` where `-H` is not positive definite and `modify` is false.
fn newton_direction(h: &DMatrix<f64>, g: &[f64], modify: bool) -> Option<DVector<f64>> {
    let k = g.len();
    // `h` is stored row-major and symmetric, so reading it column-major is the same matrix
    let neg = -h;
    let gv = DVector::from_column_slice(g);
    if let Some(ch) = neg.clone().cholesky() {
        return Some(ch.solve(&gv));
    }
    if !modify {
        return None;
    }
    let eig = neg.symmetric_eigen();
    let top = eig.eigenvalues.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(f64::MIN_POSITIVE);
    let vg = eig.eigenvectors.transpose() * &gv;
    let scaled = DVector::from_iterator(k, (0..k).map(|i| vg[i] / eig.eigenvalues[i].abs().max(1e-8 * top)));
    Some(eig.eigenvectors * scaled)
}

/// Newton steps from `phi0` (at most `max_steps`), each backtracked until the log-likelihood
/// rises (or, at rounding level, until the gradient shrinks); log-parameters move at most 3 per
/// step. Where the log-likelihood is not concave, `modify` climbs along the modified direction
/// of [`newton_direction`], otherwise the steps stop there. `None` when the start is outside the
/// valid region.
fn newton(model: &dyn LogLik, phi0: &[f64], max_steps: usize, modify: bool) -> Option<NewtonRun> {
    let k = phi0.len();
    let w = model.total_weight();
    let mut run = NewtonRun { phi: phi0.to_vec(), f: 0.0, g: vec![0.0; k], h: DMatrix::zeros(k, k), steps: 0, converged: false };
    run.f = eval_at(model, &run.phi, &mut run.g, &mut run.h)?;
    let (mut gn, mut hn, mut xn) = (vec![0.0; k], DMatrix::zeros(k, k), vec![0.0; k]);
    while run.steps < max_steps {
        if settled(&run, w) {
            run.converged = true;
            break;
        }
        let Some(mut d) = newton_direction(&run.h, &run.g, modify) else { break };
        let longest = d.amax();
        if !longest.is_finite() {
            break;
        }
        if longest > 3.0 {
            d *= 3.0 / longest;
        }
        let slope: f64 = d.iter().zip(&run.g).map(|(a, b)| a * b).sum();
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..30 {
            for i in 0..k {
                xn[i] = run.phi[i] + step * d[i];
            }
            if let Some(fnew) = eval_at(model, &xn, &mut gn, &mut hn) {
                let rises = fnew >= run.f + 1e-4 * step * slope && fnew > run.f;
                if rises || (fnew >= run.f - 1e-12 * run.f.abs() && inf_norm(&gn) < inf_norm(&run.g)) {
                    run.phi.copy_from_slice(&xn);
                    run.f = fnew;
                    std::mem::swap(&mut run.g, &mut gn);
                    std::mem::swap(&mut run.h, &mut hn);
                    accepted = true;
                    break;
                }
            }
            step *= 0.5;
        }
        run.steps += 1;
        if !accepted {
            break;
        }
    }
    run.converged = run.converged || settled(&run, w);
    Some(run)
}

/// Whether a Newton run stands at a maximum: a gradient of at most [`GRAD_TOL`] per unit weight,
/// the Hessian negative definite, and the Newton step from there at most [`STEP_TOL`] in every
/// log-parameter. The step test tells a maximum from a flat ridge: where the likelihood rises
/// without end as parameters run off together (no sign of dropout, customers who hardly
/// differ), its gradient falls below any tolerance, but its curvature falls faster and the step
/// stays near 1 (e^22 out on the BG/NBD ridges of the tests); at the maxima of the tests it is
/// 1e-10 or less.
fn settled(run: &NewtonRun, w: f64) -> bool {
    inf_norm(&run.g) / w <= GRAD_TOL && newton_direction(&run.h, &run.g, false).is_some_and(|d| d.amax() <= STEP_TOL)
}

/// The error for a customer-history model whose log-likelihood is not finite at its start, or
/// from which no step raised it (what [`maximise`] calls on those paths only, saying which in
/// `why`): some customer's history lies past what the model evaluates in double precision (a
/// billion purchases in 39 weeks, an age of 1e300). It names
/// the first history that fails alone, at its own start (one history far out moves the whole
/// data's start, so at that start ordinary histories fail too), as `invalid_parameter` on
/// `frequency[i]`; else `not_converged` naming the largest frequency and T.
/// `ll_one(histories, gradient)` is the model's log-likelihood over other histories at their
/// own start.
pub(crate) fn start_error(
    (what, why): (&str, &str),
    (frequency, recency, t): (&[f64], &[f64], &[f64]),
    ll_one: impl Fn(&Histories, &mut [f64]) -> f64,
) -> Error {
    let mut g = [0.0; 4];
    for i in 0..frequency.len() {
        let one = match Histories::new(&frequency[i..=i], &recency[i..=i], &t[i..=i], None, false) {
            Ok(one) => one,
            Err(e) => return e,
        };
        if !ll_one(&one, &mut g).is_finite() {
            return Error::param(
                format!("frequency[{i}]"),
                frequency[i],
                format!(
                    "with recency {} and T {}, the {what} likelihood of this history cannot be evaluated in double precision (more purchases or a longer history than the time unit allows?)",
                    recency[i], t[i]
                ),
            );
        }
    }
    let largest = |v: &[f64]| (0..v.len()).fold(0, |m, i| if v[i] > v[m] { i } else { m });
    let (ix, it) = (largest(frequency), largest(t));
    Error::NotConverged {
        what: format!(
            "{what} fit ({why}; the largest frequency is {} at frequency[{ix}], the largest T {} at T[{it}]: more purchases or a longer history than the time unit allows?)",
            frequency[ix], t[it]
        ),
        iterations: 0,
        residual: f64::INFINITY,
    }
}

/// lifetimes' L2 penalty on a fit's parameters, `penalizer_coef`: the fit maximises
/// `ll(theta) - coef weight sum_j (scale_j theta_j)^2`, which is lifetimes 0.11.3's objective
/// (the mean negative log-likelihood plus `coef sum theta^2`) times `weight`. `weight` is the
/// total weight for BG/NBD, Gamma-Gamma and sBG (lifetimes divides by the sum of the weights) and
/// the mean weight per input row for Pareto/NBD (lifetimes divides by the mean: with one row per
/// customer the penalty is on the total log-likelihood, `N` times weaker than BG/NBD's).
/// `scale` is 1 but for the time-scale parameters (BG/NBD's alpha, Pareto/NBD's alpha and beta),
/// which lifetimes fits with `T` divided by its largest value: `1 / max T`.
pub(crate) struct Penalty<'a> {
    pub weight: f64,
    pub scale: &'a [f64],
}

/// `penalizer_coef`, checked: a finite number `>= 0`.
fn check_penalizer(c: f64) -> Result<f64> {
    if c.is_nan() || c == f64::INFINITY {
        return Err(Error::NonFinite { field: "penalizer_coef".into(), value: c });
    }
    if c < 0.0 {
        return Err(Error::OutOfRange { field: "penalizer_coef".into(), value: c, min: 0.0, max: f64::INFINITY });
    }
    Ok(c)
}

/// `1 / max T`, the [`Penalty`] scale of a time-scale parameter (1 where every `T` is 0).
pub(crate) fn time_scale(t: &[f64]) -> f64 {
    let m = t.iter().fold(0.0, |m: f64, v| m.max(*v));
    if m > 0.0 { 1.0 / m } else { 1.0 }
}

/// A model's log-likelihood less `k sum_j s2_j exp(2 phi_j)` ([`Penalty`], `k = coef weight`,
/// `s2` the squared scales), with its derivatives in the log-parameters.
struct Penalized<'a> {
    model: &'a dyn LogLik,
    k: f64,
    s2: Vec<f64>,
}

impl Penalized<'_> {
    /// Its term `j` at `phi`: `k s2_j exp(2 phi_j)`.
    fn term(&self, phi: &[f64], j: usize) -> f64 {
        self.k * self.s2[j] * (2.0 * phi[j]).exp()
    }

    /// The penalty at `phi`.
    fn value(&self, phi: &[f64]) -> f64 {
        (0..phi.len()).map(|j| self.term(phi, j)).sum()
    }

    /// Subtracts the penalty from `f` and its gradient from `g`; the Hessian's diagonal from `h`.
    fn apply(&self, phi: &[f64], f: f64, g: &mut [f64], h: Option<&mut [f64]>) -> f64 {
        let n = phi.len();
        let mut total = 0.0;
        let mut h = h;
        for j in 0..n {
            let t = self.term(phi, j);
            total += t;
            g[j] -= 2.0 * t;
            if let Some(h) = h.as_deref_mut() {
                h[j * n + j] -= 4.0 * t;
            }
        }
        f - total
    }
}

impl LogLik for Penalized<'_> {
    fn ll_grad(&self, phi: &[f64], g: &mut [f64]) -> f64 {
        let f = self.model.ll_grad(phi, g);
        self.apply(phi, f, g, None)
    }
    fn ll_grad_hess(&self, phi: &[f64], g: &mut [f64], h: &mut [f64]) -> f64 {
        let f = self.model.ll_grad_hess(phi, g, h);
        self.apply(phi, f, g, Some(h))
    }
    fn total_weight(&self) -> f64 {
        self.model.total_weight()
    }
    fn rows(&self) -> usize {
        self.model.rows()
    }
}

/// Maximises `model`'s log-likelihood from `phi0` (log-parameters): Newton on the model's
/// Hessian from the start; where that does not reach a gradient of `1e-11` per unit weight
/// within 50 steps (a start far outside the concave region, a boundary maximum), L-BFGS on the
/// mean log-likelihood and then at most 12 Newton steps while the log-likelihood stays concave.
/// `what` names the model in errors and `names` its parameters (in `phi0`'s order: a fit that
/// does not converge says where it ended); `bad_start(why)` makes the error for a
/// log-likelihood that is not finite at the start or from which no step could be taken
/// (`internal`, resp. the usual `not_converged`, without it). With `s.penalizer > 0` it
/// maximises the penalised log-likelihood ([`Penalty`]; the standard errors are its curvature, as
/// lifetimes' are) and reports the data's log-likelihood at that answer.
///
/// # Errors
/// `non_finite` / `out_of_range` naming `penalizer_coef` for a NaN, infinite or negative one.
pub(crate) fn maximise(model: &dyn LogLik, phi0: &[f64], (what, names): (&str, &[&str]), s: FitSettings, penalty: Penalty, bad_start: Option<&dyn Fn(&str) -> Error>) -> Result<Mle> {
    let coef = check_penalizer(s.penalizer)?;
    let plain = model;
    let penalized = (coef > 0.0).then(|| Penalized { model, k: coef * penalty.weight, s2: penalty.scale.iter().map(|v| v * v).collect() });
    let model: &dyn LogLik = match &penalized {
        Some(p) => p,
        None => model,
    };
    let k = phi0.len();
    let w = model.total_weight();
    let mut f0g = vec![0.0; k];
    let f0 = model.ll_grad(phi0, &mut f0g);
    if !f0.is_finite() && penalized.is_some() && plain.ll_grad(phi0, &mut f0g).is_finite() {
        // a start in the data's scale (a mean spend of 1e300) whose square overflows the penalty
        return Err(Error::NotConverged {
            what: format!("{what} fit (the penalty overflows at the start, which is {}: the data's scale is past what penalizer_coef can weigh; rescale the data or fit without the penalty)", point(names, phi0)),
            iterations: 0,
            residual: f64::INFINITY,
        });
    }
    if !f0.is_finite() {
        return Err(bad_start.map_or_else(|| Error::Internal(format!("{what}: the log-likelihood is not finite at the start ({f0})")), |e| e("the log-likelihood is not finite at the start")));
    }
    let direct = newton(model, phi0, 50.min(s.max_iter.max(12)), true);
    let (run, lbfgs_iterations) = match direct {
        Some(run) if run.converged => (run, 0),
        _ => {
            let neg_mean = |x: &[f64], g: &mut [f64]| -> f64 {
                if x.iter().any(|v| v.is_nan() || v.abs() > 40.0) {
                    return f64::INFINITY;
                }
                let f = model.ll_grad(x, g);
                g.iter_mut().for_each(|v| *v = -*v / w);
                -f / w
            };
            let m = lbfgs(neg_mean, phi0, Settings { gtol: 1e-7, ftol: 1e-12, max_iter: s.max_iter, memory: 10 });
            let Some(run) = newton(model, &m.x, 12, false) else {
                return Err(Error::NotConverged { what: format!("{what} fit ({})", ended_at(names, &m.x, coef)), iterations: m.iterations, residual: f64::INFINITY });
            };
            (run, m.iterations)
        }
    };
    let grad_norm = inf_norm(&run.g) / w;
    // A maximum is reported only where Newton's method settled ([`settled`]: a gradient of
    // 1e-11 per unit weight and a Newton step of at most 1e-6 from there). Where the likelihood
    // rises without end it flattens as the parameters run off, so L-BFGS's gradient test alone
    // (1e-7) passes points e^12 to e^19 out on that ridge, and with exact terms even the 1e-11
    // gradient test passes e^22 out; every interior maximum of the test suites settles in 5 to
    // 11 Newton steps.
    let failed = !run.converged || run.phi.iter().any(|v| v.abs() > 35.0);
    if let (true, 0, 0, Some(e)) = (failed, lbfgs_iterations, run.steps, bad_start) {
        // a finite start no step could leave: a history so far out that the log-likelihood,
        // in the tens of billions, no longer resolves a step
        return Err(e(&format!("no step from the start changed its log-likelihood, {f0:e}")));
    }
    if failed {
        return Err(Error::NotConverged {
            what: format!("{what} fit (Newton's method did not settle at a maximum: a parameter ran to a bound or the log-likelihood kept rising; {})", ended_at(names, &run.phi, coef)),
            iterations: lbfgs_iterations + run.steps,
            residual: grad_norm,
        });
    }
    let params: Vec<f64> = run.phi.iter().map(|p| p.exp()).collect();
    // standard errors: inverse observed information on the log scale, delta method to theta
    let std_errors = match (-&run.h).cholesky() {
        Some(ch) => {
            let inv = ch.inverse();
            (0..k).map(|i| params[i] * inv[(i, i)].max(0.0).sqrt()).collect()
        }
        None => vec![f64::INFINITY; k],
    };
    Ok(Mle {
        params,
        std_errors,
        // the data's log-likelihood at the answer, without the penalty the fit subtracted
        log_likelihood: run.f + penalized.as_ref().map_or(0.0, |p| p.value(&run.phi)),
        diagnostics: FitDiagnostics { lbfgs_iterations, newton_iterations: run.steps, grad_norm, rows: model.rows(), total_weight: w },
    })
}

/// Where a fit that did not converge ended, for its error: each parameter by name, and what
/// parameters running off to infinity mean.
fn ended_at(names: &[&str], phi: &[f64], penalizer: f64) -> String {
    // the parameters whose log passes `beyond` (above it if positive, below if negative)
    let past = |beyond: f64| -> String {
        let hit: Vec<&str> = names.iter().zip(phi).filter(|(_, p)| **p * beyond.signum() > beyond.abs()).map(|(n, _)| *n).collect();
        hit.join(" and ")
    };
    let mut hint = String::new();
    let far = past(12.0);
    if !far.is_empty() {
        hint = format!(
            "; {far} went past e^12: the likelihood rises without end that way, as it does when customers hardly differ in what those parameters spread (a shape growing with its rate, or a Beta's two shapes together, is a mixing distribution shrinking to one value){}",
            if penalizer == 0.0 { "; a penalizer_coef such as 0.001 keeps them finite (lifetimes' remedy)" } else { "; a larger penalizer_coef keeps them finite" }
        );
    }
    let near = past(-12.0);
    if !near.is_empty() {
        hint += &format!("; {near} fell below e^-12: the likelihood is highest on the boundary at 0, where the model has no maximum to report");
    }
    format!("it ended at {}{hint}", point(names, phi))
}

/// The parameters at log-parameters `phi`, by name: `r 2.4259e-1, alpha 4.4135e0, ...`.
fn point(names: &[&str], phi: &[f64]) -> String {
    let at: Vec<String> = names.iter().zip(phi).map(|(n, p)| format!("{n} {:.4e}", p.exp())).collect();
    at.join(", ")
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
        crate::stats::sort_by_f64_key(&mut rows, |r| r.0);
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

    /// `not_enough_data` for histories without a repeat purchase: their likelihood rises
    /// towards a boundary (no purchase rate, or no chance to buy) and has no maximum.
    pub(crate) fn require_repeat(&self, what: &str) -> Result<()> {
        if self.xs.iter().any(|&x| x > 0.0) {
            return Ok(());
        }
        Err(Error::NotEnoughData { what: format!("a {what} fit (customers with a repeat purchase: without one the likelihood has no maximum)"), required: 1, got: 0 })
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

impl ExpectedPurchases for mbg_nbd::ModifiedBetaGeoParams {
    fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        mbg_nbd::ModifiedBetaGeoParams::expected_purchases(self, horizon, frequency, recency, t)
    }
}

impl ExpectedPurchases for pareto_nbd::ParetoNbdParams {
    fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        pareto_nbd::ParetoNbdParams::expected_purchases(self, horizon, frequency, recency, t)
    }
}

/// Any of the repeat-purchase models, for code that takes one chosen at run time (the
/// bindings' `clv(model, ...)` and the methods the three share).
///
/// ```
/// use channelwise::clv::{bg_nbd::BetaGeoParams, ExpectedPurchases, PurchaseModel};
/// let p = BetaGeoParams::new(0.243, 4.414, 0.793, 2.426)?;
/// let m = PurchaseModel::BetaGeo(p);
/// assert_eq!(m.p_alive(&[2.0], &[30.43], &[38.86])?, p.p_alive(&[2.0], &[30.43], &[38.86])?);
/// assert_eq!(m.expected_purchases(4.0, &[2.0], &[30.43], &[38.86])?, p.expected_purchases(4.0, &[2.0], &[30.43], &[38.86])?);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PurchaseModel {
    /// BG/NBD.
    BetaGeo(bg_nbd::BetaGeoParams),
    /// MBG/NBD.
    ModifiedBetaGeo(mbg_nbd::ModifiedBetaGeoParams),
    /// Pareto/NBD.
    ParetoNbd(pareto_nbd::ParetoNbdParams),
}

/// `$call` on the model inside `$m`, whichever it is.
macro_rules! each_model {
    ($m:expr, $p:ident => $call:expr) => {
        match $m {
            PurchaseModel::BetaGeo($p) => $call,
            PurchaseModel::ModifiedBetaGeo($p) => $call,
            PurchaseModel::ParetoNbd($p) => $call,
        }
    };
}

impl PurchaseModel {
    /// Each customer's probability of being alive, as the model's own `p_alive`.
    ///
    /// # Errors
    /// As the model's own method.
    pub fn p_alive(&self, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        each_model!(self, p => p.p_alive(frequency, recency, t))
    }

    /// Expected repeat purchases of a new customer in `t`, as the model's own method.
    ///
    /// # Errors
    /// As the model's own method.
    pub fn expected_purchases_unconditional(&self, t: f64) -> Result<f64> {
        each_model!(self, p => p.expected_purchases_unconditional(t))
    }

    /// The (weighted) log-likelihood of the histories, as the model's own method.
    ///
    /// # Errors
    /// As the model's own method.
    pub fn log_likelihood(&self, frequency: &[f64], recency: &[f64], t: &[f64], weights: Option<&[f64]>) -> Result<f64> {
        each_model!(self, p => p.log_likelihood(frequency, recency, t, weights))
    }
}

impl ExpectedPurchases for PurchaseModel {
    fn expected_purchases(&self, horizon: f64, frequency: &[f64], recency: &[f64], t: &[f64]) -> Result<Vec<f64>> {
        each_model!(self, p => p.expected_purchases(horizon, frequency, recency, t))
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

    /// Checks a model's analytic gradient and Hessian against central differences of its
    /// log-likelihood and gradient at `phi` (relative tolerance `tol`).
    pub(crate) fn check_derivatives(model: &dyn LogLik, phi: &[f64], tol: f64) {
        let k = phi.len();
        let (mut g, mut h) = (vec![0.0; k], vec![0.0; k * k]);
        let f = model.ll_grad_hess(phi, &mut g, &mut h);
        let mut g2 = vec![0.0; k];
        assert_eq!(model.ll_grad(phi, &mut g2), f);
        assert_eq!(g, g2);
        let (mut gp, mut gm) = (vec![0.0; k], vec![0.0; k]);
        for j in 0..k {
            let e = 1e-6;
            let mut x = phi.to_vec();
            x[j] += e;
            let fp = model.ll_grad(&x, &mut gp);
            x[j] -= 2.0 * e;
            let fm = model.ll_grad(&x, &mut gm);
            let d = (fp - fm) / (2.0 * e);
            assert!((d - g[j]).abs() < tol * d.abs().max(1.0), "gradient {j}: {d} vs {}", g[j]);
            for i in 0..k {
                let d = (gp[i] - gm[i]) / (2.0 * e);
                assert!((d - h[i * k + j]).abs() < tol * d.abs().max(1.0), "Hessian ({i}, {j}): {d} vs {}", h[i * k + j]);
            }
        }
    }

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
