//! The trigamma function `psi_1(x) = d^2 ln G(x) / dx^2` for `x > 0`, which the analytic
//! Hessians of the BG/NBD and Gamma-Gamma likelihoods need (statrs has `ln_gamma` and `digamma`
//! but no trigamma), and [`GammaAt`]: `ln G`, digamma and trigamma at `z + x` less their
//! values at `z`, kept to full relative precision where the difference of the two values
//! cancels (`ln G(1e8 + 3) - ln G(1e8)` loses 8 digits that way).
//!
//! The recurrence `psi_1(x) = psi_1(x + 1) + 1/x^2` lifts `x` to at least 12, where the
//! asymptotic series `1/x + 1/(2x^2) + sum_k B_2k / x^(2k+1)` (Abramowitz & Stegun 6.4.12),
//! truncated after `B_12`, is accurate to about 1e-16 relative.

use statrs::function::gamma::{digamma, ln_gamma};

/// `B_2k / (2k (2k - 1))`, `k = 1..=7`: the coefficients of Stirling's series for `ln G`
/// (A&S 6.1.40); the digamma and trigamma series are its derivatives.
const STIRLING: [f64; 7] = [1.0 / 12.0, -1.0 / 360.0, 1.0 / 1260.0, -1.0 / 1680.0, 1.0 / 1188.0, -691.0 / 360_360.0, 1.0 / 156.0];

/// `ln G(z + x) - ln G(z)`, `psi(z + x) - psi(z)` and `psi_1(z + x) - psi_1(z)` for `z > 0`,
/// `x >= 0` ([`GammaAt::diff`]; `tg` is 0 where the trigamma difference was not asked for).
#[derive(Clone, Copy, Debug)]
pub(crate) struct GammaDiff {
    /// `ln G(z + x) - ln G(z)`
    pub(crate) lg: f64,
    /// `psi(z + x) - psi(z)`
    pub(crate) dg: f64,
    /// `psi_1(z + x) - psi_1(z)`
    pub(crate) tg: f64,
}

/// `ln G`, digamma and trigamma differences from one `z` ([`GammaAt::diff`]), each to full
/// relative precision where the plain difference of the two values would cancel.
///
/// From `z = 16` on, the difference of Stirling's series is written so nothing large is
/// subtracted: `(z - 1/2) ln(1 + x/z) + x ln(z + x) - x` plus `c_k ((z + x)^(1-2k) - z^(1-2k))`,
/// each inverse-power difference as `z^-n (x/(z + x)) (1 + rho + ... + rho^(n-1))`,
/// `rho = z/(z + x)`. Seven terms leave an error below 1e-19 of each value at `z = 16` (the
/// trigamma series converges slowest). Below 16 it is the plain difference of statrs' values,
/// with `z`'s computed once: nothing large cancels there (`ln G(16)` is 28), so it is as
/// accurate as those values (2e-15 relative); lifting `z` past 16 by the recurrences would
/// gain the last digit for up to 16 logarithms a call.
pub(crate) struct GammaAt {
    z: f64,
    /// `ln G(z)` below 16 (where the plain difference is taken)
    base: Option<f64>,
    /// `psi(z)` and `psi_1(z)` (0 without `hess`)
    psi: [f64; 2],
    /// Whether the trigamma difference is wanted (0 without).
    hess: bool,
}

impl GammaAt {
    /// `z`'s values, with (`hess`) or without the trigamma difference.
    pub(crate) fn new(z: f64, hess: bool) -> Self {
        GammaAt { z, base: (z < 16.0).then(|| ln_gamma(z)), psi: [digamma(z), if hess { trigamma(z) } else { 0.0 }], hess }
    }

    /// `psi(z)` and `psi_1(z)` (0 without `hess`): with [`diff`](Self::diff), the values at `z + x`.
    pub(crate) fn psi(&self) -> [f64; 2] {
        self.psi
    }

    /// The differences at `z + x`, `x >= 0`.
    pub(crate) fn diff(&self, x: f64) -> GammaDiff {
        if x == 0.0 {
            return GammaDiff { lg: 0.0, dg: 0.0, tg: 0.0 };
        }
        let w = self.z;
        if let Some(lg) = self.base {
            let [dg, tg] = self.psi;
            return GammaDiff { lg: ln_gamma(w + x) - lg, dg: digamma(w + x) - dg, tg: if self.hess { trigamma(w + x) - tg } else { 0.0 } };
        }
        let l = (x / w).ln_1p();
        // down[n] = w^-n - (w + x)^-n = w^-n (1 - rho^n), 1 - rho^n = (x/(w + x)) sum_{i<n} rho^i
        let (inv, rho, frac) = (1.0 / w, w / (w + x), x / (w + x));
        let mut down = [0.0; 16];
        let (mut pow, mut sum) = (1.0, 0.0);
        for d in down.iter_mut().skip(1) {
            pow *= inv;
            sum = 1.0 + rho * sum;
            *d = pow * frac * sum;
        }
        let mut lg = (w - 0.5) * l + x * ((w + x).ln() - 1.0);
        let mut dg = l + 0.5 * down[1];
        let mut tg = -(down[1] + 0.5 * down[2]);
        for (k, c) in STIRLING.iter().enumerate() {
            let n = 2 * k + 1;
            let nf = n as f64;
            lg -= c * down[n];
            dg += c * nf * down[n + 1];
            tg -= c * nf * (nf + 1.0) * down[n + 2];
        }
        GammaDiff { lg, dg, tg }
    }
}

/// `ln G(z + x) - ln G(z)` alone, to full relative precision ([`GammaAt`]).
pub(crate) fn ln_gamma_diff(z: f64, x: f64) -> f64 {
    GammaAt::new(z, false).diff(x).lg
}

/// `psi_1(x)` for `x > 0` (NaN for NaN; `+inf` at 0).
pub(crate) fn trigamma(x: f64) -> f64 {
    let mut acc = 0.0;
    let mut z = x;
    while z < 12.0 {
        acc += 1.0 / (z * z);
        z += 1.0;
    }
    let r = 1.0 / z;
    let r2 = r * r;
    // B2 = 1/6, B4 = -1/30, B6 = 1/42, B8 = -1/30, B10 = 5/66, B12 = -691/2730
    let series = 1.0 / 6.0 - r2 * (1.0 / 30.0 - r2 * (1.0 / 42.0 - r2 * (1.0 / 30.0 - r2 * (5.0 / 66.0 - r2 * 691.0 / 2730.0))));
    acc + r + 0.5 * r2 + r * r2 * series
}

/// `ln(1 + v)` for `v >= 0`: `ln_1p` where `v` is small enough for `1 + v` to round away its
/// digits, the faster `ln` above (where `1 + v` keeps them to half an ulp of at least 1.25).
pub(crate) fn ln_1_plus(v: f64) -> f64 {
    if v > 0.25 {
        (1.0 + v).ln()
    } else {
        v.ln_1p()
    }
}

/// The regularised incomplete beta function `I_x(a, b)` for `a, b > 0`, `0 <= x <= 1`, with
/// `y = 1 - x` passed as computed (`alpha / (alpha + t)` beside `t / (alpha + t)`): the smaller
/// of the two is the one read, so neither is rounded through the other.
///
/// The continued fraction is Numerical Recipes' (Press et al. 2007, 6.4), as statrs' `beta_reg`
/// evaluates it; the prefactor `x^a y^b / (a B(a, b))` is where they differ: statrs takes
/// `ln G(a + b) - ln G(a) - ln G(b)` and `b ln(1 - x)`, which lose 8 digits at `b = 4e7`, here
/// the larger parameter's `ln G` difference comes from [`ln_gamma_diff`] and `ln(1 - x)` from
/// `ln_1p(-x)` where `x` is the small one.
pub(crate) fn beta_reg(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    // -ln B(a, b) = ln G(a + b) - ln G(a) - ln G(b), the larger one's difference taken whole
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    // each logarithm from the smaller of x and y, which carries its digits (b ln(1 - x) at
    // b = 4e7 needs ln(1 - x) to 1e-24, which 1 - x rounded to a double no longer holds)
    let (ln_x, ln_y) = if x < y { (x.ln(), (-x).ln_1p()) } else { ((-y).ln_1p(), y.ln()) };
    let ln_front = ln_gamma_diff(hi, lo) - ln_gamma(lo) + a * ln_x + b * ln_y;
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_cf(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_cf(b, a, y) / b
    }
}

/// The continued fraction of `I_x(a, b)` by the modified Lentz method (Numerical Recipes 6.4.5).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let clamp = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / clamp(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn known_values_and_recurrence() {
        // psi_1(1) = pi^2/6, psi_1(1/2) = pi^2/2, psi_1(1/4) = pi^2 + 8 G (Catalan's G)
        assert!((trigamma(1.0) - PI * PI / 6.0).abs() < 1e-15);
        assert!((trigamma(0.5) - PI * PI / 2.0).abs() < 2e-15 * PI * PI / 2.0);
        let catalan = 0.915_965_594_177_219;
        assert!((trigamma(0.25) - (PI * PI + 8.0 * catalan)).abs() < 1e-14 * 17.2);
        for x in [1e-3, 0.3, 2.7, 11.5, 12.0, 40.0, 1e4] {
            let lhs = trigamma(x);
            let rhs = trigamma(x + 1.0) + 1.0 / (x * x);
            assert!((lhs - rhs).abs() < 1e-15 * lhs, "{x}: {lhs} vs {rhs}");
        }
        // large x: 1/x + 1/(2x^2) + 1/(6x^3)
        let x = 1e6;
        assert!((trigamma(x) - (1.0 / x + 0.5 / (x * x) + 1.0 / (6.0 * x * x * x))).abs() < 1e-16 / x);
    }

    /// Against mpmath (`loggamma`, `digamma`, `polygamma(1, .)` differences at 60 digits), in
    /// both branches (`z < 16`, `z >= 16`) and where the plain difference cancels.
    #[test]
    fn differences_match_mpmath() {
        // (z, x, ln G diff, psi diff, psi_1 diff)
        let cases = [
            (0.5, 1.0, -std::f64::consts::LN_2, 2.0, -4.0),
            (1e-17, 2.0, -39.14394658089878, 1e+17, -9.999999999999998e+33),
            (3.25, 0.37, 0.39989847488715574, 0.12504926923106222, -0.041937676679771045),
            (9.99, 7.0, 17.864512788435682, 0.5522068966016814, -0.044652697222377906),
            (10.0, 1.0, std::f64::consts::LN_10, 0.1, -0.01),
            (100000000.0, 3.0, 55.2620422618571, 2.9999999700000005e-08, -2.9999999400000017e-16),
            (500000000000.0, 10.0, 269.37873935377604, 1.999999999982e-11, -3.999999999928e-23),
            (2000.0, 100000.0, 1061134.4945384234, 3.9320707515888644, -0.0004903210512061087),
        ];
        for (z, x, lg, dg, tg) in cases {
            let d = GammaAt::new(z, true).diff(x);
            // below 16, plain differences of statrs' values (ln G(17) = 30.7 to 2e-15 relative)
            let tol = |v: f64, rel: f64, plain: f64| rel * v.abs() + if z < 16.0 { plain } else { 0.0 };
            assert!((d.lg - lg).abs() <= tol(lg, 2e-15, 1e-13), "ln G at ({z}, {x}): {} vs {lg}", d.lg);
            assert!((d.dg - dg).abs() <= tol(dg, 2e-15, 4e-15), "psi at ({z}, {x}): {} vs {dg}", d.dg);
            assert!((d.tg - tg).abs() <= tol(tg, 4e-15, 4e-15), "psi_1 at ({z}, {x}): {} vs {tg}", d.tg);
        }
        // at 1e8 the plain difference is off by 1e-8 relative
        let plain = ln_gamma(1e8 + 3.0) - ln_gamma(1e8);
        assert!((plain / 55.262_042_261_857_1 - 1.0).abs() > 1e-10, "{plain}");
        let zero = GammaAt::new(3.0, true).diff(0.0);
        assert_eq!((zero.lg, zero.dg, zero.tg), (0.0, 0.0, 0.0));
    }

    /// `I_x(a, b)` against mpmath's `betainc(a, b, 0, x, regularized=True)` at 50 digits: small
    /// and large parameters on both sides of the symmetry switch, and `b = 4e7` with `x` near
    /// `1/b` (a negative binomial near its Poisson limit), where statrs' `beta_reg` is off by 6e-8.
    #[test]
    fn incomplete_beta_matches_mpmath() {
        // (a, b, x, I_x(a, b))
        let cases = [
            (1.0, 4e7, 39.0 / (8e8 + 39.0), 0.857_725_921_651_022),
            (3.0, 4e7, 39.0 / (8e8 + 39.0), 0.309_792_910_545_596_1),
            (2.5, 0.7, 0.3, 0.029_814_024_845_250_465),
            (0.4, 6.0, 0.9, 0.999_999_840_859_549_2),
            (50.0, 0.25, 0.999, 0.484_313_954_072_524_53),
        ];
        for (a, b, x, want) in cases {
            let got = beta_reg(a, b, x, 1.0 - x);
            assert!((got - want).abs() <= 1e-14 * want, "I_{x}({a}, {b}): {got} vs {want}");
        }
        assert_eq!((beta_reg(2.0, 3.0, 0.0, 1.0), beta_reg(2.0, 3.0, 1.0, 0.0)), (0.0, 1.0));
    }

    #[test]
    fn matches_differenced_digamma() {
        use statrs::function::gamma::digamma;
        for x in [0.2, 0.9, 3.3, 17.0, 250.0] {
            let h = 1e-5 * x;
            let d = (digamma(x + h) - digamma(x - h)) / (2.0 * h);
            assert!((d - trigamma(x)).abs() < 1e-7 * trigamma(x), "{x}: {d} vs {}", trigamma(x));
        }
    }
}
