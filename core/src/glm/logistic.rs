//! Regularised logistic regression, scikit-learn's `LogisticRegression` objective:
//!
//! ```text
//! minimise  C sum_i w_i [ln(1 + e^{z_i}) - y_i z_i] + r ||beta||_1 + 0.5 (1 - r) ||beta||^2,
//!           z_i = b + x_i . beta
//! ```
//!
//! with `r` the L1 share of the penalty: 0 for `L2`, 1 for `L1`, `l1_ratio` for `ElasticNet`
//! (the intercept `b` is never penalised; `penalty = None` drops both terms). These are
//! scikit-learn's `penalty="l2" | "l1" | "elasticnet"` with its `l1_ratio`, and `None`.
//!
//! Solved by (proximal) Newton steps: at each step the exact Hessian of the smooth part, built
//! blockwise by a cache-friendly matrix product over chunks of rows, gives a quadratic model;
//! without an L1 term its minimiser is a Cholesky solve, with one it is found by coordinate
//! descent on the model with soft-thresholding (newGLMNET, as in liblinear), so coefficients
//! reach exact zeros. A backtracking line search on the full objective guards every step (once
//! the predicted decrease is below the objective's rounding, a step is judged by its gradient).
//! While the gradient contracts tenfold per step the factorised Hessian is reused (its fixed
//! point is the same optimum), so most steps cost one pass over the data; on large samples the
//! far steps' Hessians are estimated from about 16k rows. It iterates to a (minimum-norm
//! sub)gradient at rounding level: the coefficients equal scikit-learn's converged ones to the
//! last digits it reports.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `c` | 1.0 | inverse regularisation strength | `> 0` |
//! | `penalty` | `L2` | `L2`, `L1`, `ElasticNet { l1_ratio }` or `None` | `l1_ratio` in `[0, 1]` |
//! | `fit_intercept` | `true` | fit an unpenalised intercept | |
//! | `max_iter` | 200 | Newton steps | `>= 1` |
//!
//! As JSON the penalty is `"l2"`, `"l1"`, `"none"` or `{"elasticnet": {"l1_ratio": 0.5}}`.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The penalty on the coefficients (the intercept is never penalised).
///
/// JSON: `"l2"`, `"l1"`, `"none"`, `{"elasticnet": {"l1_ratio": 0.5}}`.
///
/// ```
/// use channelwise::glm::logistic::Penalty;
/// let p: Penalty = serde_json::from_str(r#"{"elasticnet": {"l1_ratio": 0.3}}"#).unwrap();
/// assert_eq!(p, Penalty::ElasticNet { l1_ratio: 0.3 });
/// assert_eq!(serde_json::to_string(&Penalty::L1).unwrap(), r#""l1""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Penalty {
    /// `0.5 ||beta||^2` (with the data term scaled by `C`).
    L2,
    /// None: maximum likelihood.
    None,
    /// `||beta||_1`: the lasso; weak coefficients are exactly zero.
    L1,
    /// `l1_ratio ||beta||_1 + 0.5 (1 - l1_ratio) ||beta||^2`, scikit-learn's elastic net.
    #[serde(rename = "elasticnet")]
    ElasticNet {
        /// The L1 share, in `[0, 1]` (0 is `L2`, 1 is `L1`).
        l1_ratio: f64,
    },
}

impl Penalty {
    /// The weights `(l1, l2)` of `l1 ||beta||_1 + 0.5 l2 ||beta||^2`.
    fn weights(self) -> (f64, f64) {
        match self {
            Penalty::L2 => (0.0, 1.0),
            Penalty::None => (0.0, 0.0),
            Penalty::L1 => (1.0, 0.0),
            Penalty::ElasticNet { l1_ratio } => (l1_ratio, 1.0 - l1_ratio),
        }
    }
}

/// The model's settings (see the [module table](self)).
///
/// ```
/// use channelwise::glm::logistic::{LogisticRegression, Penalty};
/// // one feature: conversions rise with it
/// let x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
/// let y = [0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
/// let fit = LogisticRegression::default().fit(&x, 1, &y, None)?;
/// assert!(fit.coef()[0] > 0.0);
/// let p = fit.predict_proba(&[2.5], 1)?;
/// assert!(p[0] > 0.3 && p[0] < 0.7);
/// // a strong lasso sets the coefficient to exactly zero
/// let lasso = LogisticRegression::default().penalty(Penalty::L1).c(0.01).fit(&x, 1, &y, None)?;
/// assert_eq!(lasso.coef()[0], 0.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticRegression {
    c: f64,
    penalty: Penalty,
    fit_intercept: bool,
    max_iter: usize,
}

impl Default for LogisticRegression {
    fn default() -> Self {
        LogisticRegression { c: 1.0, penalty: Penalty::L2, fit_intercept: true, max_iter: 200 }
    }
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FittedRepr")]
pub struct FittedLogistic {
    coef: Vec<f64>,
    intercept: f64,
    iterations: usize,
    grad_norm: f64,
    /// The names of the features, when the data had them ([`FittedLogistic::with_feature_names`]):
    /// they travel with the JSON, so a frame scored after loading is checked against them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    feature_names: Option<Vec<String>>,
}

/// [`FittedLogistic`] as stored, checked on load: its feature names, when it has them.
#[derive(Deserialize)]
struct FittedRepr {
    coef: Vec<f64>,
    intercept: f64,
    iterations: usize,
    grad_norm: f64,
    #[serde(default)]
    feature_names: Option<Vec<String>>,
}

impl TryFrom<FittedRepr> for FittedLogistic {
    type Error = Error;

    fn try_from(r: FittedRepr) -> Result<Self> {
        let m = FittedLogistic { coef: r.coef, intercept: r.intercept, iterations: r.iterations, grad_norm: r.grad_norm, feature_names: None };
        match r.feature_names {
            Some(names) => m.with_feature_names(names),
            None => Ok(m),
        }
    }
}

/// The logistic function `1 / (1 + e^{-z})` without overflow.
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^z)` without overflow.
pub(crate) fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// `(ln(1 + e^z), 1 / (1 + e^{-z}))` from one exponential.
fn softplus_sigmoid(z: f64) -> (f64, f64) {
    let e = (-z.abs()).exp();
    let p = if z >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
    (z.max(0.0) + e.ln_1p(), p)
}

/// `a . b` with four running sums (the compiler keeps them in vector registers).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(u, v)| u * v).sum();
    let mut s = [0.0; 4];
    for (u, v) in ca.zip(cb) {
        for j in 0..4 {
            s[j] += u[j] * v[j];
        }
    }
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

/// Checks a row-major matrix of `rows x k` finite numbers.
pub(crate) fn check_matrix(x: &[f64], k: usize) -> Result<usize> {
    if k == 0 {
        return Err(Error::OutOfRange { field: "n_features".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
    }
    if x.len() % k != 0 {
        return Err(Error::LengthMismatch { field: "x".into(), got: x.len(), expected: (x.len() / k + 1) * k });
    }
    for (i, &v) in x.iter().enumerate() {
        if !v.is_finite() {
            return Err(Error::NonFinite { field: format!("x[{}][{}]", i / k, i % k), value: v });
        }
    }
    Ok(x.len() / k)
}

/// Checks labels (0 or 1, one per row) and sample weights (finite, `>= 0`; all 1 when absent).
pub(crate) fn check_labels(n: usize, y: &[f64], weights: Option<&[f64]>) -> Result<Vec<f64>> {
    if y.len() != n {
        return Err(Error::LengthMismatch { field: "y".into(), got: y.len(), expected: n });
    }
    for (i, &v) in y.iter().enumerate() {
        if v != 0.0 && v != 1.0 {
            return Err(Error::InvalidParameter { field: format!("y[{i}]"), value: v.to_string(), reason: "labels must be 0 or 1".into() });
        }
    }
    match weights {
        Some(w) => {
            if w.len() != n {
                return Err(Error::LengthMismatch { field: "sample_weight".into(), got: w.len(), expected: n });
            }
            for (i, &v) in w.iter().enumerate() {
                crate::error::check_non_negative(|| format!("sample_weight[{i}]"), v)?;
            }
            Ok(w.to_vec())
        }
        None => Ok(vec![1.0; n]),
    }
}

/// Rows per block of the Hessian product (`(k + 1) x rows`, packed by the product anyway).
const BLOCK: usize = 2048;

/// Rows of the estimated Hessians of the first Newton steps on large samples.
const SAMPLE: usize = 16_384;

/// The smooth part of the objective, `C sum_i w_i loss_i + 0.5 l2 ||beta||^2`, over the
/// parameters `theta = (beta, b)` (the intercept last, when fitted).
struct Smooth<'a> {
    x: &'a [f64],
    k: usize,
    y: &'a [f64],
    w: &'a [f64],
    c: f64,
    l2: f64,
    intercept: bool,
    /// `C w_i p_i (1 - p_i)` at the last evaluated point.
    s: Vec<f64>,
}

impl Smooth<'_> {
    fn m(&self) -> usize {
        self.k + usize::from(self.intercept)
    }

    /// The value and gradient at `theta`; keeps the Hessian weights for [`Smooth::hessian`].
    fn eval(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        let k = self.k;
        let b = if self.intercept { theta[k] } else { 0.0 };
        g.iter_mut().for_each(|v| *v = 0.0);
        let mut f = 0.0;
        for (i, row) in self.x.chunks_exact(k).enumerate() {
            let wi = self.w[i];
            if wi == 0.0 {
                self.s[i] = 0.0;
                continue;
            }
            let z = b + dot(row, &theta[..k]);
            let (sp, p) = softplus_sigmoid(z);
            f += wi * (sp - self.y[i] * z);
            let r = self.c * wi * (p - self.y[i]);
            self.s[i] = self.c * wi * p * (1.0 - p);
            for (ga, xa) in g[..k].iter_mut().zip(row) {
                *ga += r * xa;
            }
            if self.intercept {
                g[k] += r;
            }
        }
        for (ga, t) in g[..k].iter_mut().zip(theta) {
            *ga += self.l2 * t;
        }
        self.c * f + 0.5 * self.l2 * theta[..k].iter().map(|t| t * t).sum::<f64>()
    }

    /// The value alone.
    fn value(&self, theta: &[f64]) -> f64 {
        let k = self.k;
        let b = if self.intercept { theta[k] } else { 0.0 };
        let mut f = 0.0;
        for (i, row) in self.x.chunks_exact(k).enumerate() {
            if self.w[i] != 0.0 {
                let z = b + dot(row, &theta[..k]);
                f += self.w[i] * (softplus_sigmoid(z).0 - self.y[i] * z);
            }
        }
        self.c * f + 0.5 * self.l2 * theta[..k].iter().map(|t| t * t).sum::<f64>()
    }

    /// The Hessian at the last evaluated point: `X~^T S X~ + l2 I` (`X~` with a column of ones
    /// for the intercept), summed over blocks of rows by a matrix product. With `stride > 1`,
    /// an estimate from every `stride`-th row, scaled up (the far steps need no exact one).
    fn hessian(&self, stride: usize) -> nalgebra::DMatrix<f64> {
        let (k, m) = (self.k, self.m());
        let mut h = nalgebra::DMatrix::<f64>::zeros(m, m);
        let mut block = vec![0.0; BLOCK * m];
        let rows = self.x.chunks_exact(k).zip(&self.s).step_by(stride);
        let mut used = 0usize;
        let mut r = 0;
        let flush = |block: &[f64], r: usize, h: &mut nalgebra::DMatrix<f64>| {
            let a = nalgebra::DMatrixView::from_slice(&block[..r * m], m, r);
            // the same block transposed (r x m), without a copy
            let at = nalgebra::DMatrixView::from_slice_with_strides(&block[..r * m], r, m, m, 1);
            h.gemm(1.0, &a, &at, 1.0);
        };
        for (row, sj) in rows {
            // column r of the block (m x BLOCK, column-major) is sqrt(s_j) (x_j, 1)
            let q = sj.sqrt();
            let col = &mut block[r * m..(r + 1) * m];
            for (c, xa) in col.iter_mut().zip(row) {
                *c = q * xa;
            }
            if self.intercept {
                col[k] = q;
            }
            r += 1;
            used += 1;
            if r == BLOCK {
                flush(&block, r, &mut h);
                r = 0;
            }
        }
        if r > 0 {
            flush(&block, r, &mut h);
        }
        if stride > 1 {
            h *= self.s.len() as f64 / used.max(1) as f64;
        }
        for a in 0..k {
            h[(a, a)] += self.l2;
        }
        h
    }
}

/// A Newton step's quadratic model: the Hessian and, without an L1 term, its Cholesky factor.
type Model = (nalgebra::DMatrix<f64>, Option<nalgebra::Cholesky<f64, nalgebra::Dyn>>);

/// The smallest `|v|` over the subdifferential of `g_j + l1 |theta_j|`: how far coordinate `j`
/// is from optimality (`penalised` is false for the intercept).
fn subgradient(g: f64, theta: f64, l1: f64, penalised: bool) -> f64 {
    if !penalised || l1 == 0.0 {
        g.abs()
    } else if theta != 0.0 {
        (g + l1 * theta.signum()).abs()
    } else {
        (g.abs() - l1).max(0.0)
    }
}

/// Soft-thresholding: `sign(v) max(|v| - t, 0)`.
fn soft(v: f64, t: f64) -> f64 {
    if v > t {
        v - t
    } else if v < -t {
        v + t
    } else {
        0.0
    }
}

/// The step `d` minimising `g . d + 0.5 d' H d + l1 ||beta + d||_1` (the intercept, coordinate
/// `k` when fitted, unpenalised), by cyclic coordinate descent to rounding level.
fn prox_newton_step(h: &nalgebra::DMatrix<f64>, g: &[f64], theta: &[f64], l1: f64, k: usize) -> Vec<f64> {
    let m = g.len();
    let mut d = vec![0.0; m];
    // H d, kept current
    let mut hd = vec![0.0; m];
    let floor = 1e-12 * (0..m).map(|j| h[(j, j)]).fold(0.0f64, f64::max).max(1e-300);
    for _ in 0..10_000 {
        let mut biggest = 0.0f64;
        for j in 0..m {
            let a = h[(j, j)].max(floor);
            let grad = g[j] + hd[j];
            let old = theta[j] + d[j];
            let new = if j < k { soft(old - grad / a, l1 / a) } else { old - grad / a };
            let delta = new - old;
            if delta != 0.0 {
                d[j] += delta;
                for (v, hj) in hd.iter_mut().zip(h.column(j).iter()) {
                    *v += delta * hj;
                }
                biggest = biggest.max(delta.abs() * a.sqrt());
            }
        }
        if biggest <= 1e-15 * (1.0 + d.iter().fold(0.0f64, |acc, v| acc.max(v.abs()))) {
            break;
        }
    }
    d
}

impl LogisticRegression {
    /// Inverse regularisation strength (default 1).
    pub fn c(mut self, c: f64) -> Self {
        self.c = c;
        self
    }

    /// The penalty (default L2).
    pub fn penalty(mut self, p: Penalty) -> Self {
        self.penalty = p;
        self
    }

    /// Fit an intercept (default true).
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.fit_intercept = yes;
        self
    }

    /// Most Newton steps (default 200).
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }

    /// Fits to `x` (row-major, `k` features), labels `y` (0 or 1) and optional non-negative
    /// sample weights.
    ///
    /// # Errors
    /// `out_of_range` for `c <= 0`, `l1_ratio` outside `[0, 1]`, negative weights, `k = 0` or
    /// `max_iter = 0`; `non_finite` for NaN in `x` (`x[3][1]`) or the weights;
    /// `invalid_parameter` for a label other than 0 or 1 (`y[4]`); `length_mismatch` when `x`,
    /// `y` and the weights disagree; `not_enough_data` for no rows; `not_converged` when the
    /// likelihood has no finite optimum (separable data without a penalty) or `max_iter` steps
    /// do not reach it.
    pub fn fit(&self, x: &[f64], k: usize, y: &[f64], weights: Option<&[f64]>) -> Result<FittedLogistic> {
        if !(self.c > 0.0 && self.c.is_finite()) {
            return Err(Error::OutOfRange { field: "c".into(), value: self.c, min: 0.0, max: f64::INFINITY });
        }
        if let Penalty::ElasticNet { l1_ratio } = self.penalty {
            crate::error::check_range("l1_ratio", l1_ratio, 0.0, 1.0)?;
        }
        if self.max_iter == 0 {
            return Err(Error::OutOfRange { field: "max_iter".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
        }
        let n = check_matrix(x, k)?;
        if n == 0 {
            return Err(Error::NotEnoughData { what: "a logistic regression (rows)".into(), required: 1, got: 0 });
        }
        let w = check_labels(n, y, weights)?;
        let (l1, l2) = self.penalty.weights();
        let mut smooth = Smooth { x, k, y, w: &w, c: self.c, l2, intercept: self.fit_intercept, s: vec![0.0; n] };
        let m = smooth.m();
        let z_of = |theta: &[f64], i: usize| -> f64 {
            let b = if self.fit_intercept { theta[k] } else { 0.0 };
            b + dot(&x[i * k..(i + 1) * k], &theta[..k])
        };
        let l1_norm = |theta: &[f64]| l1 * theta[..k].iter().map(|v| v.abs()).sum::<f64>();
        // every weighted row strictly on its own side of the fitted boundary: the data are
        // separable, and an unpenalised likelihood has no finite maximum
        let separated = |theta: &[f64]| (0..n).filter(|&i| w[i] > 0.0).all(|i| (2.0 * y[i] - 1.0) * z_of(theta, i) > 0.0);
        let total: f64 = w.iter().sum();
        let scale = self.c * total;
        // start from the base rate: the intercept's optimum with every coefficient at zero
        let mut theta = vec![0.0; m];
        if self.fit_intercept && total > 0.0 {
            let rate = w.iter().zip(y).map(|(a, b)| a * b).sum::<f64>() / total;
            if rate > 0.0 && rate < 1.0 {
                theta[k] = (rate / (1.0 - rate)).ln();
            }
        }
        let mut g = vec![0.0; m];
        let mut f = smooth.eval(&theta, &mut g) + l1_norm(&theta);
        let optimality = |g: &[f64], theta: &[f64]| (0..m).map(|j| subgradient(g[j], theta[j], l1, j < k)).fold(0.0f64, f64::max);
        let mut grad_norm = optimality(&g, &theta);
        let start_norm = grad_norm;
        // Newton converges quadratically: iterate to rounding level (the answer must not
        // depend on row order beyond the last digits)
        // (gradient entries are sums of terms up to C w_i |x_ij|: rounding sets the floor)
        let xmax = x.iter().fold(1.0f64, |acc, v| acc.max(v.abs()));
        let tol = 1e-14 * scale.max(1.0) * xmax;
        let mut iterations = 0;
        let mut stalled = 0;
        // the Hessian (and its factor without an L1 term), reused while steps contract well
        let mut model: Option<Model> = None;
        let mut next = vec![0.0; m];
        let mut g_next = vec![0.0; m];
        while grad_norm > tol {
            if iterations == self.max_iter {
                break;
            }
            iterations += 1;
            let fresh = model.is_none();
            if fresh {
                // far from the optimum (the gradient above a thousandth of its start) a large
                // sample's Hessian comes from about SAMPLE of its rows
                let stride = if grad_norm > 1e-3 * start_norm { n / SAMPLE } else { 1 };
                let h = smooth.hessian(stride.max(1));
                let chol = if l1 == 0.0 { Some(factor(&h, scale, iterations, grad_norm)?) } else { None };
                model = Some((h, chol));
            }
            let Some((h, chol)) = &model else { return Err(Error::Internal("logistic regression: Hessian missing".into())) };
            let step: Vec<f64> = match chol {
                Some(ch) => ch.solve(&nalgebra::DVector::from_iterator(m, g.iter().map(|v| -v))).iter().copied().collect(),
                None => prox_newton_step(h, &g, &theta, l1, if self.fit_intercept { k } else { m }),
            };
            // predicted decrease (the L1 term's change included)
            for d in 0..m {
                next[d] = theta[d] + step[d];
            }
            let slope = step.iter().zip(&g).map(|(a, b)| a * b).sum::<f64>() + l1_norm(&next) - l1_norm(&theta);
            if -slope <= 1e-13 * f.abs().max(1.0) {
                // a change the objective cannot resolve: judge the full step by its gradient
                let fn_ = smooth.eval(&next, &mut g_next) + l1_norm(&next);
                let after = optimality(&g_next, &next);
                // (NaN never counts as a gain)
                if after.is_nan() || after >= grad_norm {
                    break;
                }
                if after > 0.1 * grad_norm {
                    model = None;
                }
                f = fn_;
                theta.copy_from_slice(&next);
                g.copy_from_slice(&g_next);
                grad_norm = after;
                continue;
            }
            // the full step's gradient comes with its value (most steps are taken whole)
            let mut t = 1.0;
            let accepted = loop {
                for d in 0..m {
                    next[d] = theta[d] + t * step[d];
                }
                let fn_ = if t == 1.0 { smooth.eval(&next, &mut g_next) } else { smooth.value(&next) } + l1_norm(&next);
                if fn_ <= f + 1e-4 * t * slope.min(0.0) {
                    break Some(fn_);
                }
                t *= 0.5;
                if t < 1e-12 {
                    break None;
                }
            };
            let Some(fn_) = accepted else {
                if !fresh {
                    // the reused Hessian is stale: rebuild it here (the weights back at theta)
                    smooth.eval(&theta, &mut g);
                    model = None;
                    continue;
                }
                // no decrease possible at float precision: converged as far as it goes
                break;
            };
            let before = grad_norm;
            f = fn_;
            if t < 1.0 {
                smooth.eval(&next, &mut g_next);
            }
            theta.copy_from_slice(&next);
            g.copy_from_slice(&g_next);
            grad_norm = optimality(&g, &theta);
            // a Newton step's Hessian stays while steps contract the gradient tenfold
            if grad_norm > 0.1 * before || t < 1.0 {
                // two fresh steps that gain nothing: the gradient is at its rounding floor
                stalled = if fresh && grad_norm >= before { stalled + 1 } else { 0 };
                if stalled == 2 {
                    break;
                }
                model = None;
            }
        }
        if grad_norm > 1e-6 * scale.max(1.0) || theta.iter().any(|v| !v.is_finite()) {
            return Err(Error::NotConverged { what: "logistic regression (the likelihood has no finite optimum without a penalty: separable data?)".into(), iterations, residual: grad_norm });
        }
        self.finish(theta, iterations, grad_norm, separated)
    }

    fn finish(&self, theta: Vec<f64>, iterations: usize, grad_norm: f64, separated: impl Fn(&[f64]) -> bool) -> Result<FittedLogistic> {
        // without a penalty, separable data drives the likelihood to its supremum at infinite
        // coefficients
        if self.penalty == Penalty::None && (theta.iter().any(|v| v.abs() > 1e6 || !v.is_finite()) || separated(&theta)) {
            return Err(Error::NotConverged {
                what: "logistic regression (the likelihood has no finite optimum without a penalty: separable data; use the L2 penalty)".into(),
                iterations,
                residual: grad_norm,
            });
        }
        Ok(self.build(theta, iterations, grad_norm))
    }

    fn build(&self, theta: Vec<f64>, iterations: usize, grad_norm: f64) -> FittedLogistic {
        let k = theta.len() - usize::from(self.fit_intercept);
        FittedLogistic { intercept: if self.fit_intercept { theta[k] } else { 0.0 }, coef: theta[..k].to_vec(), iterations, grad_norm, feature_names: None }
    }
}

/// The Cholesky factor of `h`, with a growing ridge where `h` is singular (no penalty and
/// collinear features).
fn factor(h: &nalgebra::DMatrix<f64>, scale: f64, iterations: usize, grad_norm: f64) -> Result<nalgebra::Cholesky<f64, nalgebra::Dyn>> {
    let mut shift = 0.0;
    // at most 1e-10 * scale .. 1e10 * scale (a bounded count: scale may overflow)
    for _ in 0..11 {
        let mut a = h.clone();
        for d in 0..a.nrows() {
            a[(d, d)] += shift;
        }
        if let Some(ch) = nalgebra::Cholesky::new(a) {
            return Ok(ch);
        }
        shift = if shift == 0.0 { 1e-10 * scale.max(1.0) } else { shift * 100.0 };
    }
    Err(Error::NotConverged { what: "logistic regression (singular Hessian)".into(), iterations, residual: grad_norm })
}

impl FittedLogistic {
    /// The coefficients, one per feature.
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// The intercept (0 without one).
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// Newton steps taken.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// The largest gradient entry at the end.
    pub fn grad_norm(&self) -> f64 {
        self.grad_norm
    }

    /// The model with the names of its features (a frame's columns), kept in its JSON.
    ///
    /// # Errors
    /// `length_mismatch` (field `feature_names`) for another count than the coefficients'.
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Self> {
        crate::check_feature_names(&names, self.coef.len())?;
        self.feature_names = Some(names);
        Ok(self)
    }

    /// The names of the features, when it was given them.
    pub fn feature_names(&self) -> Option<&[String]> {
        self.feature_names.as_deref()
    }

    /// The linear predictor `b + x . beta` of one row.
    pub fn decision(&self, row: &[f64]) -> f64 {
        self.intercept + row.iter().zip(&self.coef).map(|(a, b)| a * b).sum::<f64>()
    }

    /// `P(y = 1)` for each row of `x` (row-major, `k` features).
    ///
    /// # Errors
    /// `length_mismatch` when `k` differs from the fit's; `non_finite` for NaN in `x`.
    pub fn predict_proba(&self, x: &[f64], k: usize) -> Result<Vec<f64>> {
        if k != self.coef.len() {
            return Err(Error::LengthMismatch { field: "n_features".into(), got: k, expected: self.coef.len() });
        }
        let n = check_matrix(x, k)?;
        Ok((0..n).map(|i| sigmoid(self.decision(&x[i * k..(i + 1) * k]))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_is_zero_at_the_fit_and_shrinkage_grows_with_less_c() {
        let x: Vec<f64> = (0..200).flat_map(|i| [((i * 37) % 17) as f64 / 17.0, ((i * 11) % 7) as f64 / 7.0]).collect();
        let y: Vec<f64> = (0..200).map(|i| f64::from(u8::from((i * 37) % 17 > 8 || i % 5 == 0))).collect();
        let strong = LogisticRegression::default().c(0.01).fit(&x, 2, &y, None).unwrap();
        let weak = LogisticRegression::default().c(100.0).fit(&x, 2, &y, None).unwrap();
        assert!(strong.coef()[0].abs() < weak.coef()[0].abs());
        assert!(weak.grad_norm() < 1e-6, "{weak:?}");
    }

    #[test]
    fn feature_names_are_checked_and_travel_in_the_json() {
        let x = [0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 0.5, 3.0];
        let m = LogisticRegression::default().fit(&x, 2, &[0.0, 1.0, 0.0, 1.0], None).unwrap();
        assert_eq!(m.feature_names(), None);
        assert!(!serde_json::to_string(&m).unwrap().contains("feature_names"), "absent, not null");
        let e = m.clone().with_feature_names(vec!["a".into()]).unwrap_err();
        assert_eq!(e.to_string(), "length mismatch: feature_names has 1 entries, expected 2");
        let named = m.with_feature_names(vec!["visits".into(), "pages".into()]).unwrap();
        let back: FittedLogistic = serde_json::from_str(&serde_json::to_string(&named).unwrap()).unwrap();
        assert_eq!(back, named);
        assert_eq!(back.feature_names().unwrap(), ["visits", "pages"]);
        let bad = serde_json::to_string(&named).unwrap().replace(",\"pages\"", "");
        let e = serde_json::from_str::<FittedLogistic>(&bad).unwrap_err();
        assert!(e.to_string().contains("feature_names has 1 entries, expected 2"), "{e}");
    }

    #[test]
    fn bad_input_is_named() {
        let e = LogisticRegression::default().fit(&[1.0, 2.0], 1, &[0.0, 2.0], None).unwrap_err();
        assert!(e.to_string().contains("y[1]"));
        let e = LogisticRegression::default().fit(&[1.0, f64::NAN], 1, &[0.0, 1.0], None).unwrap_err();
        assert!(e.to_string().contains("x[1][0]"));
        let e = LogisticRegression::default().c(0.0).fit(&[1.0], 1, &[0.0], None).unwrap_err();
        assert_eq!(e.kind().code(), "out_of_range");
        // separable data without a penalty has no finite optimum
        let e = LogisticRegression::default().penalty(Penalty::None).fit(&[0.0, 1.0, 2.0, 3.0], 1, &[0.0, 0.0, 1.0, 1.0], None).unwrap_err();
        assert_eq!(e.kind().code(), "not_converged");
    }
}
