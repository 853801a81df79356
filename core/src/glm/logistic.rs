//! L2-regularised logistic regression, scikit-learn's `LogisticRegression` objective:
//!
//! ```text
//! minimise  C sum_i w_i [ln(1 + e^{z_i}) - y_i z_i] + 0.5 ||beta||^2,   z_i = b + x_i . beta
//! ```
//!
//! (the intercept `b` is not penalised; `penalty = None` drops the second term). Solved by
//! Newton's method with a backtracking line search and a Cholesky solve of the exact Hessian,
//! to a gradient at rounding level: the coefficients equal scikit-learn's converged ones to the
//! last digits it reports.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `c` | 1.0 | inverse regularisation strength | `> 0` |
//! | `penalty` | L2 | `L2` or `None` | |
//! | `fit_intercept` | `true` | fit an unpenalised intercept | |
//! | `max_iter` | 200 | Newton steps | `>= 1` |

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The penalty on the coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Penalty {
    /// `0.5 ||beta||^2` (with the data term scaled by `C`).
    L2,
    /// None: maximum likelihood.
    None,
}

/// The model's settings (see the [module table](self)).
///
/// ```
/// use channelwise::glm::logistic::LogisticRegression;
/// // one feature: conversions rise with it
/// let x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
/// let y = [0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
/// let fit = LogisticRegression::default().fit(&x, 1, &y, None)?;
/// assert!(fit.coef()[0] > 0.0);
/// let p = fit.predict_proba(&[2.5], 1)?;
/// assert!(p[0] > 0.3 && p[0] < 0.7);
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
pub struct FittedLogistic {
    coef: Vec<f64>,
    intercept: f64,
    iterations: usize,
    grad_norm: f64,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^z)` without overflow.
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
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
    /// `out_of_range` for `c <= 0`, negative weights or `k = 0`; `non_finite` for NaN in `x`
    /// (`x[3][1]`) or the weights; `invalid_parameter` for a label other than 0 or 1 (`y[4]`);
    /// `length_mismatch` when `x`, `y` and the weights disagree; `not_enough_data` for no rows;
    /// `not_converged` when the likelihood has no finite optimum (separable data without a
    /// penalty).
    pub fn fit(&self, x: &[f64], k: usize, y: &[f64], weights: Option<&[f64]>) -> Result<FittedLogistic> {
        if !(self.c > 0.0 && self.c.is_finite()) {
            return Err(Error::OutOfRange { field: "c".into(), value: self.c, min: 0.0, max: f64::INFINITY });
        }
        let n = check_matrix(x, k)?;
        if n == 0 {
            return Err(Error::NotEnoughData { what: "a logistic regression (rows)".into(), required: 1, got: 0 });
        }
        if y.len() != n {
            return Err(Error::LengthMismatch { field: "y".into(), got: y.len(), expected: n });
        }
        for (i, &v) in y.iter().enumerate() {
            if v != 0.0 && v != 1.0 {
                return Err(Error::InvalidParameter { field: format!("y[{i}]"), value: v.to_string(), reason: "labels must be 0 or 1".into() });
            }
        }
        let w: Vec<f64> = match weights {
            Some(w) => {
                if w.len() != n {
                    return Err(Error::LengthMismatch { field: "sample_weight".into(), got: w.len(), expected: n });
                }
                for (i, &v) in w.iter().enumerate() {
                    if !v.is_finite() {
                        return Err(Error::NonFinite { field: format!("sample_weight[{i}]"), value: v });
                    }
                    if v < 0.0 {
                        return Err(Error::OutOfRange { field: format!("sample_weight[{i}]"), value: v, min: 0.0, max: f64::INFINITY });
                    }
                }
                w.to_vec()
            }
            None => vec![1.0; n],
        };
        // parameters: coefficients, then the intercept (if fitted)
        let m = k + usize::from(self.fit_intercept);
        let ridge = if self.penalty == Penalty::L2 { 1.0 } else { 0.0 };
        let c = self.c;
        let z_of = |theta: &[f64], i: usize| -> f64 {
            let row = &x[i * k..(i + 1) * k];
            let mut z = if self.fit_intercept { theta[k] } else { 0.0 };
            for (a, b) in row.iter().zip(theta) {
                z += a * b;
            }
            z
        };
        let objective = |theta: &[f64]| -> f64 {
            let mut f = 0.0;
            for i in 0..n {
                if w[i] == 0.0 {
                    continue;
                }
                let z = z_of(theta, i);
                f += w[i] * (softplus(z) - y[i] * z);
            }
            c * f + 0.5 * ridge * theta[..k].iter().map(|b| b * b).sum::<f64>()
        };
        // every weighted row strictly on its own side of the fitted boundary: the data are
        // separable, and an unpenalised likelihood has no finite maximum
        let separated = |theta: &[f64]| (0..n).filter(|&i| w[i] > 0.0).all(|i| (2.0 * y[i] - 1.0) * z_of(theta, i) > 0.0);
        let mut theta = vec![0.0; m];
        let mut f = objective(&theta);
        let mut iterations = 0;
        let mut grad_norm = f64::INFINITY;
        let scale = c * w.iter().sum::<f64>();
        for it in 0..self.max_iter {
            iterations = it + 1;
            // gradient and Hessian
            let mut g = vec![0.0; m];
            let mut h = nalgebra::DMatrix::<f64>::zeros(m, m);
            for i in 0..n {
                if w[i] == 0.0 {
                    continue;
                }
                let row = &x[i * k..(i + 1) * k];
                let p = sigmoid(z_of(&theta, i));
                let r = c * w[i] * (p - y[i]);
                let s = c * w[i] * p * (1.0 - p);
                for a in 0..k {
                    g[a] += r * row[a];
                    for b in a..k {
                        h[(a, b)] += s * row[a] * row[b];
                    }
                }
                if self.fit_intercept {
                    g[k] += r;
                    for a in 0..k {
                        h[(a, k)] += s * row[a];
                    }
                    h[(k, k)] += s;
                }
            }
            for a in 0..k {
                g[a] += ridge * theta[a];
                h[(a, a)] += ridge;
            }
            for a in 0..m {
                for b in 0..a {
                    h[(a, b)] = h[(b, a)];
                }
            }
            grad_norm = g.iter().fold(0.0f64, |acc, v| acc.max(v.abs()));
            // Newton converges quadratically: iterate to rounding level (the answer must not
            // depend on row order beyond the last digits)
            if grad_norm <= 1e-14 * scale.max(1.0) {
                break;
            }
            // Newton direction (a tiny ridge if the Hessian is singular)
            let mut shift = 0.0;
            let step = loop {
                let mut a = h.clone();
                for d in 0..m {
                    a[(d, d)] += shift;
                }
                if let Some(ch) = nalgebra::Cholesky::new(a) {
                    break ch.solve(&nalgebra::DVector::from_iterator(m, g.iter().map(|v| -v)));
                }
                shift = if shift == 0.0 { 1e-10 * scale.max(1.0) } else { shift * 100.0 };
                if shift > 1e10 * scale.max(1.0) {
                    return Err(Error::NotConverged { what: "logistic regression (singular Hessian)".into(), iterations, residual: grad_norm });
                }
            };
            let slope: f64 = step.iter().zip(&g).map(|(a, b)| a * b).sum();
            let mut t = 1.0;
            let mut next = vec![0.0; m];
            loop {
                for d in 0..m {
                    next[d] = theta[d] + t * step[d];
                }
                let fn_ = objective(&next);
                if fn_ <= f + 1e-4 * t * slope || t < 1e-12 {
                    if fn_ > f {
                        // no decrease possible at float precision: converged as far as it goes
                        return self.finish(theta, iterations, grad_norm, separated);
                    }
                    f = fn_;
                    break;
                }
                t *= 0.5;
            }
            theta.copy_from_slice(&next);
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
        FittedLogistic { intercept: if self.fit_intercept { theta[k] } else { 0.0 }, coef: theta[..k].to_vec(), iterations, grad_norm }
    }
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
