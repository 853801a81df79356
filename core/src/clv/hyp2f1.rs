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
//! (`tail`), all of positive terms; where that series would need thousands to millions of terms
//! (customers who hardly differ) its integral is taken by quadrature instead.

use crate::{Error, Result};

const RESCALE: f64 = 1e250;
const LN_RESCALE: f64 = 575.646_273_248_511_4; // ln(1e250)
const MAX_TERMS: usize = 2_000_000;

/// `ln |2F1(a, b; c; z)|` and the sign of `2F1`, for `0 <= z < 1` and `c` not a pole (`0` or a
/// negative integer). A negative `c` is summed as any other: the BG/NBD expectation of a
/// customer with no purchase has `c = a + b - 1`, below 0 when `a + b < 1`.
///
/// # Errors
/// `out_of_range` for `z` outside `[0, 1)`; `invalid_parameter` for `c` a pole; `non_finite`
/// for a non-finite argument; `not_converged` if the series needs more than two million terms
/// (`z` within ~1e-5 of 1).
///
/// ```
/// use channelwise::clv::hyp2f1::ln_hyp2f1;
/// // 2F1(1, 1; 2; z) = -ln(1 - z) / z
/// let (ln_f, sign) = ln_hyp2f1(1.0, 1.0, 2.0, 0.5)?;
/// assert!((ln_f.exp() * sign - 2.0 * 2f64.ln()).abs() < 1e-14);
/// // far beyond f64's range, still exact in log space
/// let (ln_big, _) = ln_hyp2f1(800.0, 800.0, 900.0, 0.9)?;
/// assert!(ln_big > 1000.0 && ln_big.is_finite());
/// // a negative c: 2F1(1, 1; -1/2; 1/2) = -4 - 3 pi / 2 (mpmath to 40 digits)
/// let (ln_neg, sign) = ln_hyp2f1(1.0, 1.0, -0.5, 0.5)?;
/// assert!((sign * ln_neg.exp() + 4.0 + 1.5 * std::f64::consts::PI).abs() < 1e-13);
/// assert_eq!(ln_hyp2f1(1.0, 1.0, -2.0, 0.5).unwrap_err().kind().code(), "invalid_parameter");
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
    if c <= 0.0 && c == c.round() {
        return Err(Error::param("c", c, "a pole of 2F1: c must not be 0 or a negative integer"));
    }
    if euler_is_better(a, b, c) {
        let (ln_s, sign) = series(c - a, c - b, c, z)?;
        Ok(((c - a - b) * (-z).ln_1p() + ln_s, sign))
    } else {
        series(a, b, c, z)
    }
}

/// Whether Euler's series `2F1(c - a, c - b; c; z)` is the better one to sum. A parameter below
/// -1 makes its series alternate, growing, for as many terms: the sum then cancels to nothing
/// (a BG/NBD customer with `r` in the hundreds has `c - a` about `-r`, and the expectation came
/// out as -1e10). So the series whose numerator parameters are less negative is summed; where
/// neither goes below -1 (one sign change at most, harmless), the one with the smaller
/// numerator product, which is the shorter.
fn euler_is_better(a: f64, b: f64, c: f64) -> bool {
    let neg = |p: f64| (-p).max(0.0);
    let (plain, euler) = (neg(a) + neg(b), neg(c - a) + neg(c - b));
    if plain.max(euler) <= 1.0 {
        ((c - a) * (c - b)).abs() < (a * b).abs()
    } else {
        euler < plain
    }
}

/// The plain power series, rescaled as it grows. Its first term, 1, is kept apart from the
/// rest: where the rest is small its log is `ln_1p(rest)`, which keeps its digits (`ln(1 + rest)`
/// dropped a rest below 1e-16, and the BG/NBD expectation of a new customer over a short
/// horizon, `1 - e^(ln 2F1 - A z ...)`, lost 1e-6 of its value), and the series runs until a
/// term is negligible against the rest, not against 1.
fn series(a: f64, b: f64, c: f64, z: f64) -> Result<(f64, f64)> {
    let mut term = 1.0_f64;
    let (mut one, mut rest) = (1.0_f64, 0.0_f64);
    let mut ln_scale = 0.0;
    let rescale = |one: &mut f64, rest: &mut f64, term: &mut f64, ln_scale: &mut f64| {
        *one /= RESCALE;
        *rest /= RESCALE;
        *term /= RESCALE;
        *ln_scale += LN_RESCALE;
    };
    for k in 0..MAX_TERMS {
        let kf = k as f64;
        let ratio = (a + kf) * (b + kf) / ((c + kf) * (kf + 1.0)) * z;
        if term.abs() > RESCALE * (c + kf).abs() {
            // a `c` within 1e-250 of 0 or of a negative integer: term / (c + k) would overflow
            rescale(&mut one, &mut rest, &mut term, &mut ln_scale);
        }
        term = term / (c + kf) * ((a + kf) * (b + kf) / (kf + 1.0) * z);
        if term == 0.0 {
            break; // a terminating series (a or b a non-positive integer), or z = 0
        }
        rest += term;
        if (one + rest).abs() > RESCALE || term.abs() > RESCALE {
            rescale(&mut one, &mut rest, &mut term, &mut ln_scale);
        }
        let rho = ratio.abs().max(z);
        let against = (one + rest).abs().min(rest.abs());
        if rho < 1.0 && term.abs() <= 1e-17 * against * (1.0 - rho) {
            let next = ((a + kf + 1.0) * (b + kf + 1.0) / ((c + kf + 1.0) * (kf + 2.0)) * z).abs();
            if next <= rho.max(z) {
                return finish(one, rest, ln_scale);
            }
        }
    }
    if term == 0.0 {
        return finish(one, rest, ln_scale);
    }
    Err(Error::NotConverged { what: format!("2F1({a}, {b}; {c}; {z}) series"), iterations: MAX_TERMS, residual: (term / (one + rest)).abs() })
}

/// `(ln |one + rest| + ln_scale, sign)`, by `ln_1p` where `one` is still 1.
fn finish(one: f64, rest: f64, ln_scale: f64) -> Result<(f64, f64)> {
    let sum = one + rest;
    if sum == 0.0 || !sum.is_finite() {
        return Err(Error::Internal(format!("2F1 series summed to {sum}")));
    }
    if one == 1.0 && rest > -1.0 {
        return Ok((rest.ln_1p(), 1.0));
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
    /// Second derivatives of `ln S`, in the order `nn, cc, zz, cn, cz, nz` (only where
    /// `SECOND` asked for them).
    pub second: [f64; 6],
}

/// The Pareto/NBD tail `S(c, n, z)` with its derivatives, and with `SECOND` its second
/// derivatives: by its series of positive terms, or by quadrature of its integral where the
/// series would be long ([`method`]). Requires `c > 0`, `n > 0`, `0 <= z < 1`. The series' sums
/// are rescaled when they grow past 1e250 (a very large `c`, i.e. hundreds of purchases): only
/// their ratios are returned, and `ln S` carries the scale.
pub(crate) fn tail<const SECOND: bool>(c: f64, n: f64, z: f64) -> Result<Tail> {
    match method(c, n, z) {
        Method::Series => tail_series::<SECOND>(c, n, z),
        Method::Laguerre => Ok(tail_by_laguerre(c, n, z)),
        Method::DoubleExponential => Ok(tail_by_double_exponential(c, n, z)),
    }
}

/// [`tail`] by its series (`not_converged` past two million terms).
fn tail_series<const SECOND: bool>(c: f64, n: f64, z: f64) -> Result<Tail> {
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
    /// `None` where the terms would need rescaling or more than 1000 of them, or where [`tail`]
    /// would integrate (then it runs per row).
    pub(crate) fn new(c: f64, n: f64, zmax: f64) -> Option<Self> {
        if method(c, n, zmax) != Method::Series {
            return None;
        }
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
    // second derivatives of ln S from those of S: L_ab = S_ab / S - L_a L_b
    let (l_n, l_c, l_z) = (-s2, sh, dz);
    let second = [2.0 * s3 - l_n * l_n, shh - l_c * l_c, zz - l_z * l_z, -shi - l_c * l_n, cz - l_c * l_z, nz - l_n * l_z];
    Tail { ln_s: ln_scale + s.ln(), s2, sh, dz, second }
}

/// How [`tail`] evaluates `S(c, n, z)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// The power series: up to a couple of thousand terms.
    Series,
    /// `LAGUERRE_NODES`-point Gauss–Laguerre quadrature of the integral ([`tail_by_laguerre`]).
    Laguerre,
    /// Double-exponential quadrature of the integral ([`tail_by_double_exponential`]).
    DoubleExponential,
}

/// Which [`Method`] evaluates `S(c, n, z)`. The series needs about
/// `m = c z / (1 - z) + 40 / -ln z` terms (they grow up to `k = c z / (1 - z)`, then fall by `z`
/// each): millions where a Pareto/NBD fit lets customers' rates stop varying (`r` or `s` in the
/// millions, or `alpha / beta` in the tens of thousands), where one evaluation took seconds and
/// the sum of a million terms had lost 1e-12 to rounding. From `m = 200` on the integral is
/// taken instead: by Gauss–Laguerre where the log of its integrand is nearly linear (its
/// curvature `kappa = c a (1 + a) / lambda^2`, `a = z / (1 - z)`, `lambda = n + c a`, at most
/// 0.005: the rule is at rounding level up to 0.02, see the tests), else from `m = 2000` on by
/// the double-exponential rule, which needs 150 to 1200 evaluations but holds for any shape.
/// The series' second derivatives are differences `S_ab / S - L_a L_b` that cancel when `n` is
/// large; the quadratures' are central moments.
fn method(c: f64, n: f64, z: f64) -> Method {
    if z <= 0.0 {
        return Method::Series;
    }
    let a = z / (1.0 - z);
    let lambda = n + c * a;
    let terms = c * a - 40.0 / z.ln();
    if terms >= 200.0 && c * a * (1.0 + a) <= 0.005 * lambda * lambda {
        Method::Laguerre
    } else if terms >= 2000.0 {
        Method::DoubleExponential
    } else {
        Method::Series
    }
}

/// Gauss–Laguerre nodes of [`tail_by_laguerre`].
const LAGUERRE_NODES: usize = 32;

/// The nodes and weights of `LAGUERRE_NODES`-point Gauss–Laguerre quadrature
/// (`int_0^inf e^-s f(s) ds ~ sum_i w_i f(s_i)`): the eigenvalues of the Jacobi matrix
/// (Golub & Welsch 1969) as starts, each polished by Newton's method on the Laguerre polynomial
/// `L_N` (three-term recurrence), and the weights `1 / (s L_N'(s)^2)` (Abramowitz & Stegun
/// 25.4.45) from the polished nodes.
fn laguerre() -> &'static [(f64, f64); LAGUERRE_NODES] {
    static RULE: std::sync::OnceLock<[(f64, f64); LAGUERRE_NODES]> = std::sync::OnceLock::new();
    RULE.get_or_init(|| {
        const N: usize = LAGUERRE_NODES;
        let jacobi = nalgebra::DMatrix::from_fn(N, N, |i, j| match i.abs_diff(j) {
            0 => (2 * i + 1) as f64,
            1 => i.max(j) as f64,
            _ => 0.0,
        });
        let mut starts: Vec<f64> = jacobi.symmetric_eigenvalues().iter().copied().collect();
        starts.sort_by(f64::total_cmp);
        // L_N(s) and L_N'(s) by the recurrence (k + 1) L_{k+1} = (2k + 1 - s) L_k - k L_{k-1}
        let poly = |s: f64| {
            let (mut prev, mut cur) = (1.0, 1.0 - s);
            for k in 1..N {
                let kf = k as f64;
                (prev, cur) = (cur, ((2.0 * kf + 1.0 - s) * cur - kf * prev) / (kf + 1.0));
            }
            (cur, N as f64 * (cur - prev) / s)
        };
        let mut rule = [(0.0, 0.0); N];
        for (slot, &start) in rule.iter_mut().zip(&starts) {
            let mut s = start;
            for _ in 0..4 {
                let (p, dp) = poly(s);
                s -= p / dp;
            }
            let (_, dp) = poly(s);
            *slot = (s, 1.0 / (s * dp * dp));
        }
        rule
    })
}

/// One quadrature point of `S = int_0^inf exp(psi(w)) dw`: its weight times
/// `exp(psi(w) - psi(0))`, then `w`, `l = ln(1 + a (1 - e^-w))` and `D = e^-w / (1 - z e^-w)`
/// directly and as `D - 1 / (1 - z)` (which is small where `w` is: kept apart so that its
/// spread is exact).
type Point = [f64; 5];

fn point(c: f64, n: f64, z: f64, w: f64, weight: f64) -> Point {
    let a = z / (1.0 - z);
    let y = -(-w).exp_m1(); // 1 - e^-w
    let l = (a * y).ln_1p();
    let d_shift = -y / ((1.0 - z) * (1.0 - z) * (1.0 + a * y));
    [weight * (-n * w - c * l).exp(), w, l, (-w).exp() / ((1.0 - z) * (1.0 + a * y)), d_shift]
}

/// [`tail`] from quadrature points of `S = int_0^1 t^(n-1) (1 - z t)^-c dt`, taken with
/// `t = e^-w` as `int_0^inf exp(psi(w)) dw`, `psi(w) = -n w - c ln(1 - z e^-w)`, whose maximum
/// is `psi(0) = -c ln(1 - z)`: `ln S = psi(0) + ln_weight + ln sum p`. The derivatives are
/// moments of `w`, `l` and `D` under the normalised integrand (`psi = -n w - c ln(1 - z) - c l`,
/// so `L_n = -E w`, `L_c = -ln(1 - z) - E l`, `L_z = c E D`), the second ones central moments,
/// so that nothing cancels.
fn tail_from_points(c: f64, z: f64, ln_weight: f64, pts: &[Point], (total, means): (f64, [f64; 4])) -> Tail {
    let [mw, ml, md, md_shift] = means;
    // var w, var l, var D, cov(w, l), cov(D, l), cov(w, D) (always: a few products per point
    // beside its exponentials)
    let mut m = [0.0; 6];
    for &[p, w, l, _, d] in pts {
        let (dw, dl, dd) = (w - mw, l - ml, d - md_shift);
        for (v, x) in m.iter_mut().zip([dw * dw, dl * dl, dd * dd, dw * dl, dd * dl, dw * dd]) {
            *v += p * x;
        }
    }
    let [vw, vl, vd, cwl, cdl, cwd] = m.map(|v| v / total);
    // with L_n = -w, L_c = -ln(1 - z) - l, L_z = c D pointwise: L_ab = E[f_ab / f] - L_a L_b
    let second = [vw, vl, c * c * vd + c * (vd + md * md), cwl, md - c * cdl, -c * cwd];
    let ln_1mz = (-z).ln_1p();
    Tail { ln_s: -c * ln_1mz + ln_weight + total.ln(), s2: mw, sh: -ln_1mz - ml, dz: c * md, second }
}

/// The points' total weight and the means of `w`, `l`, `D` and `D`'s shift under it (what
/// [`tail_from_points`] starts from, and the double-exponential rule watches settle).
fn moments(pts: &[Point]) -> (f64, [f64; 4]) {
    let total: f64 = pts.iter().map(|p| p[0]).sum();
    let mean = |k: usize| pts.iter().map(|p| p[0] * p[k]).sum::<f64>() / total;
    (total, [mean(1), mean(2), mean(3), mean(4)])
}

/// [`tail`] by Gauss–Laguerre: `psi` falls from `w = 0` with slope `-lambda`,
/// `lambda = n + c z / (1 - z)`, and curvature `kappa lambda^2` ([`method`]), so `w = s / lambda`
/// turns `S` into `e^psi(0) / lambda int_0^inf e^-s g(s) ds` with `ln g(s)` about
/// `kappa s^2 / 2`, which `LAGUERRE_NODES` points integrate to rounding.
fn tail_by_laguerre(c: f64, n: f64, z: f64) -> Tail {
    let lambda = n + c * z / (1.0 - z);
    let mut pts = [[0.0; 5]; LAGUERRE_NODES];
    for (pt, &(s, wt)) in pts.iter_mut().zip(laguerre()) {
        // the node's weight carries e^s back: g(s) e^-s is the integrand
        *pt = point(c, n, z, s / lambda, wt * s.exp());
    }
    tail_from_points(c, z, -lambda.ln(), &pts, moments(&pts))
}

/// Half-width in `t` of [`tail_by_double_exponential`]'s rule: `w` from `e^-70` to `e^70` of
/// its scale.
const DE_HALF_WIDTH: f64 = 4.5;

/// [`tail`] by the double-exponential (exp-sinh) rule of Takahasi & Mori (1974):
/// `w = sigma exp(pi/2 sinh t)`, `sigma = 1 / lambda`, and the trapezoidal rule in `t` over
/// `|t| <= 4.5`, halving the step from 1/2 (19 points) until `S` and the means of `w`, `l`, `D`
/// move by at most 1e-8 of themselves between two steps (the rule's error then falls as the
/// square of that move), at most to 1/128 (1153 points). It holds for any shape of the
/// integrand, e.g. where `z` is within 1e-4 of 1 and `(1 + a (1 - e^-w))^-c` and `e^-n w` fall
/// at scales decades apart.
fn tail_by_double_exponential(c: f64, n: f64, z: f64) -> Tail {
    use std::f64::consts::FRAC_PI_2;
    let sigma = 1.0 / (n + c * z / (1.0 - z));
    let at = |t: f64| {
        let w = sigma * (FRAC_PI_2 * t.sinh()).exp();
        point(c, n, z, w, w * FRAC_PI_2 * t.cosh())
    };
    let mut h = 0.5;
    let mut pts: Vec<Point> = Vec::with_capacity(1153);
    pts.extend((-9..=9).map(|k| at(f64::from(k) * h)));
    // the integral (total times step) and the means of w, l and D, watched until they settle
    let watched = |(total, m): (f64, [f64; 4]), h: f64| [total * h, m[0], m[1], m[2]];
    let mut last = moments(&pts);
    for _ in 0..6 {
        h /= 2.0;
        let mut k = 1.0;
        while k * h <= DE_HALF_WIDTH {
            pts.push(at(k * h));
            pts.push(at(-k * h));
            k += 2.0;
        }
        let now = moments(&pts);
        let settled = watched(now, h).iter().zip(&watched(last, 2.0 * h)).all(|(u, v)| (u - v).abs() <= 1e-8 * u.abs());
        last = now;
        if settled {
            break;
        }
    }
    tail_from_points(c, z, h.ln(), &pts, last)
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
        assert_eq!(ln_hyp2f1(1.0, 1.0, 0.0, 0.5).unwrap_err().kind().code(), "invalid_parameter");
        assert_eq!(ln_hyp2f1(1.0, 1.0, -3.0, 0.5).unwrap_err().kind().code(), "invalid_parameter");
    }

    /// A `c` so close to 0 that `1 / c` overflows: the series is rescaled before it divides
    /// (it summed to infinity, an internal error). mpmath 1.4 at 30 digits:
    /// `ln |2F1(1, 1; +-1e-310; 1/2)| = 714.494526008714107354994583074`, sign +-1.
    #[test]
    fn a_c_next_to_a_pole_is_summed() {
        for (c, sign) in [(1e-310, 1.0), (-1e-310, -1.0)] {
            let (l, s) = ln_hyp2f1(1.0, 1.0, c, 0.5).unwrap();
            assert!((l - 714.494_526_008_714).abs() < 1e-12 * l && s == sign, "{c}: {l} {s}");
        }
    }

    #[test]
    fn table_matches_tail() {
        for (c, n, zmax) in [(1.6, 3.2, 0.2), (30.7, 31.9, 0.09), (0.4, 0.9, 0.6), (2.0, 5.0, 0.0)] {
            let table = TailTable::new(c, n, zmax).unwrap();
            for z in [0.0, zmax * 0.3, zmax * 0.99, zmax] {
                let (a, b) = (table.eval::<true>(z).unwrap(), tail::<true>(c, n, z).unwrap());
                for (u, v) in [(a.ln_s, b.ln_s), (a.s2, b.s2), (a.sh, b.sh), (a.dz, b.dz)] {
                    assert!((u - v).abs() <= 1e-14 * v.abs().max(1e-300), "{c} {n} {z}: {u} vs {v}");
                }
                // second derivatives of ln S are differences S_ab / S - L_a L_b: to the scale of
                // the products
                let scale = b.s2 * b.s2 + b.sh * b.sh + b.dz * b.dz;
                for (u, v) in a.second.into_iter().zip(b.second) {
                    assert!((u - v).abs() <= 1e-14 * v.abs().max(scale).max(1e-300), "{c} {n} {z}: {u} vs {v}");
                }
            }
        }
        // heavy buyers (c of hundreds) are left to the rescaled series
        assert!(TailTable::new(900.5, 901.0, 0.9).is_none());
    }

    #[test]
    fn quadratures_match_the_series_where_it_sums() {
        // on a grid the series can still sum (within its two million terms): the
        // double-exponential rule everywhere (the series of a million terms has itself lost up
        // to 1e-12 to rounding, against mpmath in quadrature_matches_mpmath), Gauss-Laguerre
        // wherever the curvature kappa is at most 0.02 (it is taken from 0.005 down)
        let (mut both, mut de_only) = (0, 0);
        for c in [0.05_f64, 0.5, 1.0, 1.6, 3.0, 10.0, 30.0, 100.0, 1000.0, 1e4] {
            for z in [0.001_f64, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999] {
                for n in [0.05_f64, 0.5, 2.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7] {
                    let Ok(s) = tail_series::<false>(c, n, z) else { continue };
                    let a = z / (1.0 - z);
                    let lambda = n + c * a;
                    let mut rules = vec![(tail_by_double_exponential(c, n, z), 2e-12)];
                    if c * a * (1.0 + a) <= 0.02 * lambda * lambda {
                        rules.push((tail_by_laguerre(c, n, z), 1e-12));
                        both += 1;
                    } else {
                        assert_ne!(method(c, n, z), Method::Laguerre);
                        de_only += 1;
                    }
                    for (q, tol) in rules {
                        for (u, v) in [(q.ln_s, s.ln_s), (q.s2, s.s2), (q.sh, s.sh), (q.dz, s.dz)] {
                            assert!((u - v).abs() <= tol * v.abs().max(1.0), "c {c} n {n} z {z}: {u} vs {v}");
                        }
                    }
                }
            }
        }
        assert!(both > 350 && de_only > 200, "{both} {de_only}");
    }

    #[test]
    #[allow(clippy::excessive_precision)] // mpmath's digits as it printed them
    fn quadrature_matches_mpmath() {
        // ln S and its derivatives (L_n, L_c, L_z, then L_nn, L_cc, L_zz, L_cn, L_cz, L_nz) by
        // mpmath 1.4.1 at 40 digits: log(hyp2f1(c, n, n + 1, z) / n) and mpmath.diff of it
        let cases = [
            ((2000.0 / 0.3, 6.667e5, 0.3), 2364.4185878086409321, [-1.4935245316655391e-6, 0.3566743038581559, 9523.7892038042301, 2.2306155673039471e-12, 4.0970140354475182e-13, 13605.384532736968, 9.5597402092789097e-13, 1.4285683935770116, 3.0348342766100177e-8]),
            ((2e6, 2e8, 0.001), 1981.8868292325948711, [-4.9999499504514474e-9, 0.0010005003285785786, 2002001.9919820723, 2.4999499507021936e-17, 2.504957310316971e-23, 2004005.9880504918, 2.5024523780559763e-20, 1.0010009959910863, 5.0099146707325865e-11]),
            ((1e5, 50.0, 0.5), 69303.20465063493297, [-9.995401921287783e-6, 0.69313718535783814, 199996.00195911836, 9.9912052255950786e-11, 9.9904063206714291e-11, 399999.99216720827, 9.9908057631513548e-11, 1.9999999804176292, 3.9962424175630704e-5]),
            // z near 1: the double-exponential rule, except the last (Laguerre), which is where a
            // fit of customers who all buy at one rate went (the series took 1.9 million terms)
            ((1.0, 1000.0, 0.9999), 0.70067016584982855611, [-0.00039652065201055062, 7.9968429827752754, 3962.9224999318753, 2.9989127693567516e-7, 0.69268225054600497, 29958188.208221044, 0.0003977192010397991, 6022.6148583494252, 0.96784091158062309]),
            ((0.05, 0.05, 0.9999), 2.9998446888385164873, [-19.920694816316925, 0.08530939888313921, 0.028922334080628394, 399.88744865203347, 0.1280066992633206, 39.432459301001424, 1.6432633850031758, 0.72021437267237675, 0.57218733484603174]),
            ((0.5, 0.05, 0.999), 3.0582961342180194436, [-18.816636789281854, 0.20175806420152931, 1.4366843034783537, 397.46312866550386, 0.49971892881481045, 739.79308642914065, 3.727971809819275, 9.9700364338801215, 26.974339331490735]),
            ((0.3, 2.0, 0.99999), -0.17447103656268783162, [-0.37418999592967123, 2.0109306124789574, 35.650948440254594, 0.19775307345599861, 2.3227939687474552, 1128151.1091792287, 0.44525379464365447, 357.75930831268222, 13.088605727381884]),
            ((1.04, 1.7e6, 0.99997), -3.5350691568903922616, [-5.7689972239703084e-7, 10.395440199695808, 34024.297967407232, 3.3304312741901189e-13, 0.00034367433763702227, 1113881669.2884826, 1.069680438968806e-8, 32727.162562471659, 0.00035755799560181833]),
        ];
        let methods: Vec<Method> = cases.iter().map(|&((c, n, z), _, _)| method(c, n, z)).collect();
        use Method::{DoubleExponential as De, Laguerre as La};
        assert_eq!(methods, [La, La, La, De, De, De, De, La]);
        for ((c, n, z), ln_s, d) in cases {
            let t = tail::<true>(c, n, z).unwrap();
            assert!((t.ln_s - ln_s).abs() <= 1e-15 * ln_s.abs().max(1.0), "{c} {n} {z}: {} vs {ln_s}", t.ln_s);
            for (got, want) in [-t.s2, t.sh, t.dz].into_iter().zip(&d[..3]) {
                assert!((got - want).abs() <= 1e-14 * want.abs(), "{c} {n} {z}: {got} vs {want}");
            }
            // the series' L_cc was off by 1e-4 to 1e2 of itself on the second and third
            for (got, want) in t.second.into_iter().zip(&d[3..]) {
                assert!((got - want).abs() <= 1e-12 * want.abs(), "{c} {n} {z}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn quadrature_holds_where_the_series_cannot_go() {
        // c z / (1 - z) = 2e6 terms: the series gave up (not_converged) or took seconds
        assert!(tail_series::<false>(20202.0, 202.5, 0.99).is_err());
        for (c, n, z) in [(20202.0, 202.5, 0.99), (1e12, 3e12, 0.4), (2e17, 2e17, 0.6)] {
            let t = tail::<true>(c, n, z).unwrap();
            assert!(t.ln_s.is_finite() && t.second.iter().all(|v| v.is_finite()));
            // the first derivatives against differences of ln S
            let step = |v: f64| v * 1e-7;
            let ln_s = |c: f64, n: f64, z: f64| tail::<false>(c, n, z).unwrap().ln_s;
            let dn = (ln_s(c, n + step(n), z) - ln_s(c, n - step(n), z)) / (2.0 * step(n));
            let dc = (ln_s(c + step(c), n, z) - ln_s(c - step(c), n, z)) / (2.0 * step(c));
            let dz = (ln_s(c, n, z + step(z)) - ln_s(c, n, z - step(z))) / (2.0 * step(z));
            for (name, want, got) in [("n", dn, -t.s2), ("c", dc, t.sh), ("z", dz, t.dz)] {
                // ln S is of order c, so its differences carry c * 1e-16 / step of noise
                let noise = t.ln_s.abs() * 1e-16 / step(match name { "n" => n, "c" => c, _ => z });
                assert!((want - got).abs() <= 1e-6 * got.abs() + 10.0 * noise, "{c} {n} {z} d{name}: {want} vs {got}");
            }
        }
    }

    #[test]
    fn laguerre_rule_is_exact_for_polynomials() {
        // int_0^inf e^-s s^k ds = k! for k < 2N
        let mut fact = 1.0;
        for k in 0..20 {
            if k > 0 {
                fact *= k as f64;
            }
            let got: f64 = laguerre().iter().map(|&(s, w)| w * s.powi(k)).sum();
            assert!((got - fact).abs() <= 1e-13 * fact, "k {k}: {got} vs {fact}");
        }
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
            // second derivatives of ln S from differences of the first
            let first = |c: f64, n: f64, z: f64| {
                let t = tail::<false>(c, n, z).unwrap();
                [-t.s2, t.sh, t.dz]
            };
            let diff = |a: [f64; 3], b: [f64; 3], i: usize| (a[i] - b[i]) / (2.0 * h);
            let (nn, cn, nz) = (diff(first(c, n + h, z), first(c, n - h, z), 0), diff(first(c, n + h, z), first(c, n - h, z), 1), diff(first(c, n + h, z), first(c, n - h, z), 2));
            let (cc, cz) = (diff(first(c + h, n, z), first(c - h, n, z), 1), diff(first(c + h, n, z), first(c - h, n, z), 2));
            let zz = if z > 0.0 { diff(first(c, n, z + h), first(c, n, z - h), 2) } else { (first(c, n, 2.0 * h)[2] - first(c, n, 0.0)[2]) / (2.0 * h) };
            for (name, want, got) in [("nn", nn, t.second[0]), ("cc", cc, t.second[1]), ("zz", zz, t.second[2]), ("cn", cn, t.second[3]), ("cz", cz, t.second[4]), ("nz", nz, t.second[5])] {
                assert!((want - got).abs() < 1e-5 * want.abs().max(1.0), "{c} {n} {z} {name}: {want} vs {got}");
            }
        }
    }
}
