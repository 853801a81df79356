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
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tail {
    /// `ln S`.
    pub ln_s: f64,
    /// `(sum_k b_k / (n + k)^2) / S` (`-dS/dn / S`).
    pub s2: f64,
    /// `(sum_k b_k H_k / (n + k)) / S`, `H_k = sum_{j<k} 1 / (c + j)` (the derivative in `c`).
    pub sh: f64,
    /// `S'(z) / S` (the derivative in `z`).
    pub dz: f64,
    /// Second derivatives of `S` divided by `S`, in the order `nn, cc, zz, cn, cz, nz` (zero
    /// unless asked for).
    pub second: [f64; 6],
}

/// Sums the Pareto/NBD tail series `S(c, n, z)` (all terms positive) with its derivative sums,
/// and with `SECOND` the sums of its second derivatives. Requires `c > 0`, `n > 0`,
/// `0 <= z < 1`. The sums are rescaled when they grow past 1e250 (a very large `c`, i.e.
/// hundreds of purchases): only their ratios are returned, and `ln S` carries the scale.
pub(crate) fn tail<const SECOND: bool>(c: f64, n: f64, z: f64) -> Result<Tail> {
    let mut b = 1.0_f64; // (c)_k / k! z^k, scaled
    let (mut h, mut h2) = (0.0_f64, 0.0_f64); // H_k and sum_{j<k} 1 / (c + j)^2
    let inv0 = 1.0 / n;
    // sums of t_k = b_k / (n + k) times: 1, 1/(n+k), H_k, k; and for SECOND 1/(n+k)^2,
    // H_k^2 - H2_k, k (k - 1), H_k / (n+k), H_k k, k / (n+k)
    let mut sums = [inv0, inv0 * inv0, 0.0, 0.0, inv0 * inv0 * inv0, 0.0, 0.0, 0.0, 0.0, 0.0];
    let mut ln_scale = 0.0;
    for k in 1..MAX_TERMS {
        if sums[0] > RESCALE {
            sums.iter_mut().for_each(|v| *v /= RESCALE);
            b /= RESCALE;
            ln_scale += LN_RESCALE;
        }
        let kf = k as f64;
        let ratio = (c + kf - 1.0) / kf * z;
        b *= ratio;
        let hinv = 1.0 / (c + kf - 1.0);
        h += hinv;
        if b == 0.0 {
            return Ok(tail_result(z, c, n, sums, ln_scale));
        }
        let inv = 1.0 / (n + kf);
        let t = b * inv;
        sums[0] += t;
        sums[1] += t * inv;
        sums[2] += t * h;
        sums[3] += t * kf;
        if SECOND {
            h2 += hinv * hinv;
            sums[4] += t * inv * inv;
            sums[5] += t * (h * h - h2);
            sums[6] += t * kf * (kf - 1.0);
            sums[7] += t * h * inv;
            sums[8] += t * h * kf;
            sums[9] += t * kf * inv;
        }
        let rho = ratio.max(z);
        if rho < 1.0 && t * (1.0 + kf + h) <= 1e-17 * sums[0] * (1.0 - rho) * (1.0 - rho) && (c + kf) * z <= rho * (kf + 1.0) {
            return Ok(tail_result(z, c, n, sums, ln_scale));
        }
    }
    Err(Error::NotConverged { what: format!("Pareto/NBD tail series (c {c}, n {n}, z {z})"), iterations: MAX_TERMS, residual: b })
}

/// The tail series' coefficients in powers of `z` for one `(c, n)`: the Pareto/NBD rows of
/// one frequency share `(c, n)` and differ only in `z`, so the divisions of [`tail`] are done
/// once per frequency and each row sums products. Built for the largest `z` the rows can have
/// (`zmax`); every smaller `z` stops at or before the last coefficient, by the same criterion.
pub(crate) struct TailTable {
    c: f64,
    n: f64,
    /// Per k: the ten summands of [`tail`] at `z = 1`, then the stopping rule's constants:
    /// `max((c + k - 1) / k, 1)` (the decay bound `rho` over `z`), `1 + k + H_k`, and whether
    /// `(c + k) / (k + 1) <= rho / z` (1 or 0).
    coef: Vec<[f64; 13]>,
}

impl TailTable {
    /// The table for `(c, n)` up to where the series at `zmax` meets [`tail`]'s stopping rule;
    /// `None` where the terms would need rescaling or more than 1000 of them (then [`tail`]
    /// runs per row).
    pub(crate) fn new(c: f64, n: f64, zmax: f64) -> Option<Self> {
        let inv0 = 1.0 / n;
        // a few dozen terms on CDNOW: sized for them, so the table is built without regrowing
        let mut coef = Vec::with_capacity(64);
        coef.push([inv0, inv0 * inv0, 0.0, 0.0, inv0 * inv0 * inv0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        let mut t = TailTable { c, n, coef };
        let (mut b, mut h, mut h2, mut s, mut zk) = (1.0_f64, 0.0_f64, 0.0_f64, inv0, 1.0_f64);
        for k in 1..1000 {
            let kf = k as f64;
            let ratio = (c + kf - 1.0) / kf;
            b *= ratio;
            let hinv = 1.0 / (c + kf - 1.0);
            h += hinv;
            h2 += hinv * hinv;
            zk *= zmax;
            let inv = 1.0 / (n + kf);
            let a = b * inv;
            if !(a * zk).is_finite() || b > RESCALE {
                return None;
            }
            let bound = ratio.max(1.0);
            let settled = if (c + kf) <= bound * (kf + 1.0) { 1.0 } else { 0.0 };
            t.coef.push([a, a * inv, a * h, a * kf, a * inv * inv, a * (h * h - h2), a * kf * (kf - 1.0), a * h * inv, a * h * kf, a * kf * inv, bound, 1.0 + kf + h, settled]);
            let term = a * zk;
            s += term;
            let rho = (ratio * zmax).max(zmax);
            if zmax == 0.0 || (rho < 1.0 && term * (1.0 + kf + h) <= 1e-17 * s * (1.0 - rho) * (1.0 - rho) && (c + kf) * zmax <= rho * (kf + 1.0)) {
                return Some(t);
            }
        }
        None
    }

    /// [`tail`] at `z` (`0 <= z <= zmax`) from the table.
    pub(crate) fn eval<const SECOND: bool>(&self, z: f64) -> Result<Tail> {
        let (c, n) = (self.c, self.n);
        let mut sums = [0.0; 10];
        sums.copy_from_slice(&self.coef[0][..10]);
        if z == 0.0 {
            return Ok(tail_result(z, c, n, sums, 0.0));
        }
        let mut zk = 1.0;
        for a in &self.coef[1..] {
            zk *= z;
            let t = a[0] * zk;
            sums[0] += t;
            sums[1] += a[1] * zk;
            sums[2] += a[2] * zk;
            sums[3] += a[3] * zk;
            if SECOND {
                for j in 4..10 {
                    sums[j] += a[j] * zk;
                }
            }
            let rho = a[10] * z;
            if a[12] > 0.0 && rho < 1.0 && t * a[11] <= 1e-17 * sums[0] * (1.0 - rho) * (1.0 - rho) {
                return Ok(tail_result(z, c, n, sums, 0.0));
            }
        }
        // not reached for z <= zmax but by rounding: sum it the long way
        tail::<SECOND>(c, n, z)
    }
}

fn tail_result(z: f64, c: f64, n: f64, sums: [f64; 10], ln_scale: f64) -> Tail {
    let s = sums[0];
    let [_, s2, sh, sk, s3, shh, skk, shi, shk, sik] = sums.map(|v| v / s);
    let (dz, zz, cz, nz) = if z > 0.0 {
        (sk / z, skk / (z * z), shk / z, -sik / z)
    } else {
        // at z = 0 only the first terms in z survive: S = 1/n + c z/(n+1) + c (c+1) z^2 / (2 (n+2)) + ...
        let (n1, n2) = (1.0 / (n + 1.0), 1.0 / (n + 2.0));
        (c * n1 / s, c * (c + 1.0) * n2 / s, n1 / s, -c * n1 * n1 / s)
    };
    Tail { ln_s: ln_scale + s.ln(), s2, sh, dz, second: [2.0 * s3, shh, zz, -shi, cz, nz] }
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
    fn table_matches_tail() {
        for (c, n, zmax) in [(1.6, 3.2, 0.2), (30.7, 31.9, 0.09), (0.4, 0.9, 0.6), (2.0, 5.0, 0.0)] {
            let table = TailTable::new(c, n, zmax).unwrap();
            for z in [0.0, zmax * 0.3, zmax * 0.99, zmax] {
                let (a, b) = (table.eval::<true>(z).unwrap(), tail::<true>(c, n, z).unwrap());
                let pairs = [(a.ln_s, b.ln_s), (a.s2, b.s2), (a.sh, b.sh), (a.dz, b.dz)].into_iter().chain(a.second.into_iter().zip(b.second));
                for (u, v) in pairs {
                    assert!((u - v).abs() <= 1e-14 * v.abs().max(1e-300), "{c} {n} {z}: {u} vs {v}");
                }
            }
        }
        // heavy buyers (c of hundreds) are left to the rescaled series
        assert!(TailTable::new(900.5, 901.0, 0.9).is_none());
    }

    #[test]
    fn tail_matches_hypergeometric_closed_form() {
        // S(c, n, z) = 2F1(c, n; n + 1; z) / n
        for (c, n, z) in [(1.6, 3.2, 0.2), (300.7, 301.9, 0.05), (0.4, 0.9, 0.6), (2.0, 5.0, 0.0)] {
            let t = tail::<true>(c, n, z).unwrap();
            let (l, _) = ln_hyp2f1(c, n, n + 1.0, z).unwrap();
            assert!((t.ln_s - (l - n.ln())).abs() < 1e-12 * l.abs().max(1.0), "{c} {n} {z}: {} vs {}", t.ln_s, l - n.ln());
            // the z-derivative by differences
            if z > 0.0 {
                let h = 1e-6;
                let d = (tail::<true>(c, n, z + h).unwrap().ln_s - tail::<true>(c, n, z - h).unwrap().ln_s) / (2.0 * h);
                assert!((d - t.dz).abs() < 1e-6 * d.abs().max(1.0), "{d} vs {}", t.dz);
            }
            let h = 1e-6;
            let dc = (tail::<true>(c + h, n, z).unwrap().ln_s - tail::<true>(c - h, n, z).unwrap().ln_s) / (2.0 * h);
            assert!((dc - t.sh).abs() < 1e-6 * dc.abs().max(1.0), "dc {dc} vs {}", t.sh);
            let dn = (tail::<true>(c, n + h, z).unwrap().ln_s - tail::<true>(c, n - h, z).unwrap().ln_s) / (2.0 * h);
            assert!((dn + t.s2).abs() < 1e-6 * dn.abs().max(1.0), "dn {dn} vs {}", -t.s2);
            // second derivatives of S (divided by S) from differences of the first: S_a = S L_a
            let first = |c: f64, n: f64, z: f64| {
                let t = tail::<false>(c, n, z).unwrap();
                let s = t.ln_s.exp();
                [-t.s2 * s, t.sh * s, t.dz * s]
            };
            let s = t.ln_s.exp();
            let diff = |a: [f64; 3], b: [f64; 3], i: usize| (a[i] - b[i]) / (2.0 * h) / s;
            let (nn, cn, nz) = (diff(first(c, n + h, z), first(c, n - h, z), 0), diff(first(c, n + h, z), first(c, n - h, z), 1), diff(first(c, n + h, z), first(c, n - h, z), 2));
            let (cc, cz) = (diff(first(c + h, n, z), first(c - h, n, z), 1), diff(first(c + h, n, z), first(c - h, n, z), 2));
            let zz = if z > 0.0 { diff(first(c, n, z + h), first(c, n, z - h), 2) } else { (first(c, n, 2.0 * h)[2] - first(c, n, 0.0)[2]) / (2.0 * h) / s };
            for (name, want, got) in [("nn", nn, t.second[0]), ("cc", cc, t.second[1]), ("zz", zz, t.second[2]), ("cn", cn, t.second[3]), ("cz", cz, t.second[4]), ("nz", nz, t.second[5])] {
                assert!((want - got).abs() < 1e-5 * want.abs().max(1.0), "{c} {n} {z} {name}: {want} vs {got}");
            }
        }
    }
}
