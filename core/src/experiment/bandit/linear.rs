//! The ridge regression behind LinUCB and linear Thompson sampling: `A = X'X + l2 I` factored as
//! `L L'` (plain Cholesky on a flat row-major array; contexts are short), `theta = A^-1 X'y`.

use crate::{Error, Result};

/// An arm's factored design: the lower Cholesky factor of `A` and the coefficients `theta`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Factor {
    /// `L`, row-major `dim x dim`, lower triangle (the upper is zero).
    l: Vec<f64>,
    /// `theta = A^-1 X'y`.
    pub(crate) theta: Vec<f64>,
}

impl Factor {
    /// Factors `xtx + l2 I` and solves for `theta`; where rounding leaves `A` not positive definite
    /// (contexts near 1e100) a ridge growing from 1e-12 of the largest diagonal is added.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the arm if even the largest ridge fails.
    pub(crate) fn new(xtx: &[f64], xty: &[f64], l2: f64, arm: &str) -> Result<Self> {
        let d = xty.len();
        let max_diag = (0..d).map(|i| xtx[i * d + i]).fold(l2, f64::max);
        let mut ridge = l2;
        for attempt in 0..6 {
            if let Some(l) = cholesky(xtx, d, ridge) {
                let mut theta = xty.to_vec();
                forward(&l, d, &mut theta);
                backward(&l, d, &mut theta);
                if theta.iter().all(|t| t.is_finite()) {
                    return Ok(Factor { l, theta });
                }
            }
            ridge = l2 + max_diag * 1e-12 * 1e3f64.powi(attempt);
        }
        Err(Error::param("context", arm, "the arm's contexts make its design matrix singular (values too large?)"))
    }

    /// `x'theta`.
    pub(crate) fn mean(&self, x: &[f64]) -> f64 {
        dot(x, &self.theta)
    }

    /// `sqrt(x' A^-1 x)`, as the norm of `L^-1 x`; `scratch` is `dim` long.
    pub(crate) fn width(&self, x: &[f64], scratch: &mut [f64]) -> f64 {
        scratch.copy_from_slice(x);
        forward(&self.l, x.len(), scratch);
        dot(scratch, scratch).sqrt()
    }

    /// `x'(theta + alpha L^-T z)` for standard normals `z` (filled in `scratch` by the caller), the
    /// score under a draw from N(theta, alpha^2 A^-1).
    pub(crate) fn drawn(&self, x: &[f64], alpha: f64, scratch: &mut [f64]) -> f64 {
        backward(&self.l, x.len(), scratch);
        self.theta.iter().zip(scratch.iter()).zip(x).map(|((t, s), xi)| (t + alpha * s) * xi).sum()
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The lower Cholesky factor of `a + ridge I` (`a` symmetric `d x d`), or `None` if a pivot is
/// not positive.
fn cholesky(a: &[f64], d: usize, ridge: f64) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut s = a[i * d + j] + if i == j { ridge } else { 0.0 };
            for k in 0..j {
                s -= l[i * d + k] * l[j * d + k];
            }
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i * d + i] = s.sqrt();
            } else {
                l[i * d + j] = s / l[j * d + j];
            }
        }
    }
    Some(l)
}

/// Solves `L y = b` in place.
fn forward(l: &[f64], d: usize, b: &mut [f64]) {
    for i in 0..d {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * d + k] * b[k];
        }
        b[i] = s / l[i * d + i];
    }
}

/// Solves `L' y = b` in place.
fn backward(l: &[f64], d: usize, b: &mut [f64]) {
    for i in (0..d).rev() {
        let mut s = b[i];
        for k in i + 1..d {
            s -= l[k * d + i] * b[k];
        }
        b[i] = s / l[i * d + i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_the_ridge_system() {
        // A = [[4, 2], [2, 3]] + I, b = [1, 2]: A theta must give b back.
        let xtx = [4.0, 2.0, 2.0, 3.0];
        let f = Factor::new(&xtx, &[1.0, 2.0], 1.0, "a").unwrap();
        let a = [5.0, 2.0, 2.0, 4.0];
        let back = [a[0] * f.theta[0] + a[1] * f.theta[1], a[2] * f.theta[0] + a[3] * f.theta[1]];
        assert!((back[0] - 1.0).abs() < 1e-14 && (back[1] - 2.0).abs() < 1e-14);
        // x' A^-1 x for x = e1 is (A^-1)_11 = 4 / 16.
        let w = f.width(&[1.0, 0.0], &mut [0.0; 2]);
        assert!((w * w - 0.25).abs() < 1e-14);
        // L^-T z has covariance A^-1: check L' (L^-T z) = z.
        let mut s = [0.3, -1.2];
        let drawn = f.drawn(&[0.0, 1.0], 1.0, &mut s);
        assert!((drawn - (f.theta[1] + s[1])).abs() < 1e-15);
    }
}

#[cfg(test)]
mod draw_tests {
    use super::*;
    use crate::experiment::bandit::stream::Stream;

    /// Draws `theta + L^-T z` have covariance `A^-1`.
    #[test]
    fn draws_have_the_inverse_as_covariance() {
        let f = Factor::new(&[4.0, 2.0, 2.0, 3.0], &[0.0, 0.0], 1.0, "a").unwrap();
        let mut rng = Stream::new(3, 0);
        let n = 200_000;
        let mut c = [0.0; 4];
        for _ in 0..n {
            let mut z = [rng.normal(), rng.normal()];
            let s0 = f.drawn(&[1.0, 0.0], 1.0, &mut z.clone());
            let s1 = f.drawn(&[0.0, 1.0], 1.0, &mut z);
            c[0] += s0 * s0;
            c[1] += s0 * s1;
            c[3] += s1 * s1;
        }
        let inv = [4.0 / 16.0, -2.0 / 16.0, 5.0 / 16.0];
        for (got, want) in [c[0], c[1], c[3]].iter().zip(inv) {
            assert!((got / n as f64 - want).abs() < 0.005, "{c:?}");
        }
    }
}
