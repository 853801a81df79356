//! The Gaussian hypergeometric function `2F1(a, b; c; z)` for `0 <= z < 1`, in log space.
//!
//! The power series `sum_k (a)_k (b)_k / ((c)_k k!) z^k` is summed with a running scale (the
//! partial sum is renormalised whenever it grows past 1e250), so `ln 2F1` is returned even where
//! `2F1` itself overflows a double, as it does for a BG/NBD customer with hundreds of purchases
//! (`a = r + x`, `b = b + x`). When `|(c - a)(c - b)| < |a b|` Euler's transformation
//! `2F1(a, b; c; z) = (1 - z)^(c - a - b) 2F1(c - a, c - b; c; z)` (Abramowitz & Stegun 15.3.3)
//! is summed instead: for the BG/NBD conditional expectation its parameters stay small whatever
//! the frequency, so the series is short and free of cancellation.
//!
//! The Pareto/NBD likelihood needs the integral `int_tau^inf (alpha + y)^-p (beta + y)^-q dy`,
//! a `2F1(q, p + q - 1; p + q; z)` in closed form (Fader & Hardie, note 009, eq. 18-20); its
//! series and the sums giving its derivatives in every parameter are summed together here
//! (`tail`), all of positive terms.

use crate::{Error, Result};

const RESCALE: f64 = 1e250;
const LN_RESCALE: f64 = 575.646_273_248_511_4; // ln(1e250)
const MAX_TERMS: usize = 2_000_000;

/// `ln |2F1(a, b; c; z)|` and the sign of `2F1`, for `0 <= z < 1` and `c > 0`.
///
/// # Errors
/// `out_of_range` for `z` outside `[0, 1)` or `c <= 0`; `non_finite` for a non-finite argument;
/// `not_converged` if the series needs more than two million terms (`z` within ~1e-5 of 1).
///
/// ```
/// use channelwise::clv::hyp2f1::ln_hyp2f1;
/// // 2F1(1, 1; 2; z) = -ln(1 - z) / z
/// let (ln_f, sign) = ln_hyp2f1(1.0, 1.0, 2.0, 0.5)?;
/// assert!((ln_f.exp() * sign - 2.0 * 2f64.ln()).abs() < 1e-14);
/// // far beyond f64's range, still exact in log space
/// let (ln_big, _) = ln_hyp2f1(800.0, 800.0, 900.0, 0.9)?;
/// assert!(ln_big > 1000.0 && ln_big.is_finite());
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Result<(f64, f64)> {
    for (field, v) in [("a", a), ("b", b), ("c", c), ("z", z)] {
        if !v.is_finite() {
            return Err(Error::NonFinite { field: field.into(), value: v });
        }
    }
    if !(0.0..1.0).contains(&z) {
        return Err(Error::OutOfRange { field: "z".into(), value: z, min: 0.0, max: 1.0 - f64::EPSILON });
    }
    if c <= 0.0 {
        return Err(Error::OutOfRange { field: "c".into(), value: c, min: f64::MIN_POSITIVE, max: f64::INFINITY });
    }
    if ((c - a) * (c - b)).abs() < (a * b).abs() {
        let (ln_s, sign) = series(c - a, c - b, c, z)?;
        Ok(((c - a - b) * (-z).ln_1p() + ln_s, sign))
    } else {
        series(a, b, c, z)
    }
}

/// The plain power series, rescaled as it grows.
fn series(a: f64, b: f64, c: f64, z: f64) -> Result<(f64, f64)> {
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    let mut ln_scale = 0.0;
    for k in 0..MAX_TERMS {
        let kf = k as f64;
        let ratio = (a + kf) * (b + kf) / ((c + kf) * (kf + 1.0)) * z;
        term *= ratio;
        if term == 0.0 {
            break; // a terminating series (a or b a non-positive integer), or z = 0
        }
        sum += term;
        if sum.abs() > RESCALE || term.abs() > RESCALE {
            sum /= RESCALE;
            term /= RESCALE;
            ln_scale += LN_RESCALE;
        }
        let rho = ratio.abs().max(z);
        if rho < 1.0 && term.abs() <= 1e-17 * sum.abs() * (1.0 - rho) {
            let next = ((a + kf + 1.0) * (b + kf + 1.0) / ((c + kf + 1.0) * (kf + 2.0)) * z).abs();
            if next <= rho.max(z) {
                return finish(sum, ln_scale);
            }
        }
    }
    if term == 0.0 {
        return finish(sum, ln_scale);
    }
    Err(Error::NotConverged { what: format!("2F1({a}, {b}; {c}; {z}) series"), iterations: MAX_TERMS, residual: (term / sum).abs() })
}

fn finish(sum: f64, ln_scale: f64) -> Result<(f64, f64)> {
    if sum == 0.0 || !sum.is_finite() {
        return Err(Error::Internal(format!("2F1 series summed to {sum}")));
    }
    Ok((ln_scale + sum.abs().ln(), sum.signum()))
}

/// `S = sum_k (c)_k / k! z^k / (n + k)` and the sums its derivatives need, each divided by `S`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tail {
    /// `ln S`.
    pub ln_s: f64,
    /// `(sum_k b_k / (n + k)^2) / S`.
    pub s2: f64,
    /// `(sum_k b_k H_k / (n + k)) / S`, `H_k = sum_{j<k} 1 / (c + j)` (the derivative in `c`).
    pub sh: f64,
    /// `S'(z) / S` (the derivative in `z`).
    pub dz: f64,
}

/// Sums the Pareto/NBD tail series `S(c, n, z)` (all terms positive) with its derivative sums.
/// Requires `c > 0`, `n > 0`, `0 <= z < 1`.
pub(crate) fn tail(c: f64, n: f64, z: f64) -> Result<Tail> {
    let mut b = 1.0_f64; // (c)_k / k! z^k, scaled
    let mut h = 0.0_f64; // H_k
    let (mut s, mut s2, mut sh, mut sk) = (1.0 / n, 1.0 / (n * n), 0.0, 0.0);
    for k in 1..MAX_TERMS {
        let kf = k as f64;
        let ratio = (c + kf - 1.0) / kf * z;
        b *= ratio;
        h += 1.0 / (c + kf - 1.0);
        if b == 0.0 {
            break;
        }
        let inv = 1.0 / (n + kf);
        let t = b * inv;
        s += t;
        s2 += t * inv;
        sh += t * h;
        sk += t * kf;
        if s > RESCALE {
            // only ratios of the sums are returned, and ln S carries the scale
            return tail_rescaled(c, n, z, k, b, h, [s, s2, sh, sk]);
        }
        let rho = ratio.max(z);
        if rho < 1.0 && t * (1.0 + kf + h) <= 1e-17 * s * (1.0 - rho) * (1.0 - rho) && (c + kf) / (kf + 1.0) * z <= rho {
            return Ok(tail_result(z, c, n, [s, s2, sh, sk], 0.0));
        }
    }
    if b == 0.0 {
        return Ok(tail_result(z, c, n, [s, s2, sh, sk], 0.0));
    }
    Err(Error::NotConverged { what: format!("Pareto/NBD tail series (c {c}, n {n}, z {z})"), iterations: MAX_TERMS, residual: b })
}

/// Continues [`tail`] with all sums rescaled (a very large `c`, i.e. hundreds of purchases).
fn tail_rescaled(c: f64, n: f64, z: f64, k0: usize, mut b: f64, mut h: f64, mut sums: [f64; 4]) -> Result<Tail> {
    let mut ln_scale = 0.0;
    for k in k0 + 1..MAX_TERMS {
        if sums[0] > RESCALE {
            sums.iter_mut().for_each(|v| *v /= RESCALE);
            b /= RESCALE;
            ln_scale += LN_RESCALE;
        }
        let kf = k as f64;
        let ratio = (c + kf - 1.0) / kf * z;
        b *= ratio;
        h += 1.0 / (c + kf - 1.0);
        if b == 0.0 {
            return Ok(tail_result(z, c, n, sums, ln_scale));
        }
        let inv = 1.0 / (n + kf);
        let t = b * inv;
        sums[0] += t;
        sums[1] += t * inv;
        sums[2] += t * h;
        sums[3] += t * kf;
        let rho = ratio.max(z);
        if rho < 1.0 && t * (1.0 + kf + h) <= 1e-17 * sums[0] * (1.0 - rho) * (1.0 - rho) && (c + kf) / (kf + 1.0) * z <= rho {
            return Ok(tail_result(z, c, n, sums, ln_scale));
        }
    }
    Err(Error::NotConverged { what: format!("Pareto/NBD tail series (c {c}, n {n}, z {z})"), iterations: MAX_TERMS, residual: b })
}

fn tail_result(z: f64, c: f64, n: f64, [s, s2, sh, sk]: [f64; 4], ln_scale: f64) -> Tail {
    // S'(z) = sum_k k b_k / (z (n + k)); at z = 0 only the k = 1 term's derivative, c / (n + 1)
    let dz = if z > 0.0 { sk / (z * s) } else { c / (n + 1.0) / s };
    Tail { ln_s: ln_scale + s.ln(), s2: s2 / s, sh: sh / s, dz }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        for z in [0.0, 1e-8, 0.3, 0.9, 0.999] {
            let (l, s) = ln_hyp2f1(1.0, 1.0, 2.0, z).unwrap();
            let want = if z == 0.0 { 1.0 } else { -(-z).ln_1p() / z };
            assert!((s * l.exp() - want).abs() <= 1e-13 * want, "z {z}");
        }
        // 2F1(a, b; b; z) = (1 - z)^-a (either branch)
        let (l, _) = ln_hyp2f1(300.5, 2.0, 2.0, 0.7).unwrap();
        assert!((l - (-300.5 * (0.3f64).ln())).abs() < 1e-12 * l.abs());
        // terminating: 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1))
        let (l, s) = ln_hyp2f1(-2.0, 3.0, 5.0, 0.5).unwrap();
        let want = 1.0 - 2.0 * 3.0 * 0.5 / 5.0 + 3.0 * 4.0 * 0.25 / 30.0;
        assert!((s * l.exp() - want).abs() < 1e-15);
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert_eq!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0).unwrap_err().kind().code(), "out_of_range");
        assert_eq!(ln_hyp2f1(1.0, f64::NAN, 2.0, 0.5).unwrap_err().kind().code(), "non_finite");
        assert_eq!(ln_hyp2f1(1.0, 1.0, 0.0, 0.5).unwrap_err().kind().code(), "out_of_range");
    }

    #[test]
    fn tail_matches_hypergeometric_closed_form() {
        // S(c, n, z) = 2F1(c, n; n + 1; z) / n
        for (c, n, z) in [(1.6, 3.2, 0.2), (300.7, 301.9, 0.05), (0.4, 0.9, 0.6), (2.0, 5.0, 0.0)] {
            let t = tail(c, n, z).unwrap();
            let (l, _) = ln_hyp2f1(c, n, n + 1.0, z).unwrap();
            assert!((t.ln_s - (l - n.ln())).abs() < 1e-12 * l.abs().max(1.0), "{c} {n} {z}: {} vs {}", t.ln_s, l - n.ln());
            // the z-derivative by differences
            if z > 0.0 {
                let h = 1e-6;
                let d = (tail(c, n, z + h).unwrap().ln_s - tail(c, n, z - h).unwrap().ln_s) / (2.0 * h);
                assert!((d - t.dz).abs() < 1e-6 * d.abs().max(1.0), "{d} vs {}", t.dz);
            }
            let h = 1e-6;
            let dc = (tail(c + h, n, z).unwrap().ln_s - tail(c - h, n, z).unwrap().ln_s) / (2.0 * h);
            assert!((dc - t.sh).abs() < 1e-6 * dc.abs().max(1.0), "dc {dc} vs {}", t.sh);
            let dn = (tail(c, n + h, z).unwrap().ln_s - tail(c, n - h, z).unwrap().ln_s) / (2.0 * h);
            assert!((dn + t.s2).abs() < 1e-6 * dn.abs().max(1.0), "dn {dn} vs {}", -t.s2);
        }
    }
}
