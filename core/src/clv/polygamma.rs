//! The trigamma function `psi_1(x) = d^2 ln G(x) / dx^2` for `x > 0`, which the analytic
//! Hessians of the BG/NBD and Gamma-Gamma likelihoods need (statrs has `ln_gamma` and `digamma`
//! but no trigamma).
//!
//! The recurrence `psi_1(x) = psi_1(x + 1) + 1/x^2` lifts `x` to at least 12, where the
//! asymptotic series `1/x + 1/(2x^2) + sum_k B_2k / x^(2k+1)` (Abramowitz & Stegun 6.4.12),
//! truncated after `B_12`, is accurate to about 1e-16 relative.

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
