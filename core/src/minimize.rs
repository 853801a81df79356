//! Smooth unconstrained minimisation: L-BFGS (Nocedal & Wright, *Numerical Optimization*, 2nd
//! ed., algorithm 7.4 and 7.5) with a line search that meets the strong Wolfe conditions
//! (algorithms 3.5 and 3.6, cubic interpolation in the zoom). Bounds are handled by the callers'
//! smooth reparameterisations (log, logit), so the minimiser itself is unconstrained.
//!
//! Shared by the models that fit by penalised likelihood (`optimize::mmm`, and the logistic
//! regressions to come).

/// How a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Minimum {
    /// The best point found.
    pub x: Vec<f64>,
    /// The objective there.
    pub f: f64,
    /// The gradient's largest absolute entry there.
    pub grad_norm: f64,
    /// Iterations taken.
    pub iterations: usize,
    /// True when the gradient or the relative decrease fell below tolerance.
    pub converged: bool,
}

/// Settings of [`lbfgs`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// Stop when `max |g| <= gtol * max(1, |f|)`.
    pub gtol: f64,
    /// Stop when the relative decrease of `f` over an iteration is below `ftol`.
    pub ftol: f64,
    /// Most iterations.
    pub max_iter: usize,
    /// Memory (pairs kept).
    pub memory: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { gtol: 1e-8, ftol: 1e-13, max_iter: 1000, memory: 10 }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn inf_norm(g: &[f64]) -> f64 {
    g.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// Minimises `fg` (which writes the gradient into its second argument and returns the value;
/// a non-finite value is treated as a wall) from `x0`.
pub(crate) fn lbfgs(mut fg: impl FnMut(&[f64], &mut [f64]) -> f64, x0: &[f64], s: Settings) -> Minimum {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut f = fg(&x, &mut g);
    if !f.is_finite() || n == 0 {
        return Minimum { grad_norm: inf_norm(&g), x, f, iterations: 0, converged: n == 0 };
    }
    let mut ss: Vec<Vec<f64>> = Vec::new();
    let mut ys: Vec<Vec<f64>> = Vec::new();
    let mut rho: Vec<f64> = Vec::new();
    let mut d = vec![0.0; n];
    let mut alpha = vec![0.0; s.memory];
    let mut xn = vec![0.0; n];
    let mut gn = vec![0.0; n];
    for it in 0..s.max_iter {
        if inf_norm(&g) <= s.gtol * f.abs().max(1.0) {
            return Minimum { grad_norm: inf_norm(&g), x, f, iterations: it, converged: true };
        }
        // two-loop recursion: d = -H g
        d.copy_from_slice(&g);
        let k = ss.len();
        for i in (0..k).rev() {
            alpha[i] = rho[i] * dot(&ss[i], &d);
            for (dj, yj) in d.iter_mut().zip(&ys[i]) {
                *dj -= alpha[i] * yj;
            }
        }
        let gamma = if k > 0 { dot(&ss[k - 1], &ys[k - 1]) / dot(&ys[k - 1], &ys[k - 1]) } else { 1.0 / inf_norm(&g).max(1.0) };
        d.iter_mut().for_each(|v| *v *= gamma);
        for i in 0..k {
            let b = rho[i] * dot(&ys[i], &d);
            for (dj, sj) in d.iter_mut().zip(&ss[i]) {
                *dj += (alpha[i] - b) * sj;
            }
        }
        d.iter_mut().for_each(|v| *v = -*v);
        let mut dg = dot(&d, &g);
        if dg >= 0.0 || !dg.is_finite() {
            // not a descent direction: restart from steepest descent
            ss.clear();
            ys.clear();
            rho.clear();
            let sc = 1.0 / inf_norm(&g).max(1.0);
            for (dj, gj) in d.iter_mut().zip(&g) {
                *dj = -gj * sc;
            }
            dg = dot(&d, &g);
        }
        let Some((step, fnew)) = wolfe(&mut fg, &x, f, &g, dg, &d, &mut xn, &mut gn) else {
            return Minimum { grad_norm: inf_norm(&g), x, f, iterations: it, converged: false };
        };
        let _ = step;
        let sv: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&sv, &yv);
        let decrease = f - fnew;
        x.copy_from_slice(&xn);
        g.copy_from_slice(&gn);
        let fold = f;
        f = fnew;
        if sy > 1e-16 * dot(&yv, &yv).sqrt() * dot(&sv, &sv).sqrt() {
            if ss.len() == s.memory {
                ss.remove(0);
                ys.remove(0);
                rho.remove(0);
            }
            ss.push(sv);
            ys.push(yv);
            rho.push(1.0 / sy);
        }
        if decrease <= s.ftol * fold.abs().max(f.abs()).max(1.0) {
            return Minimum { grad_norm: inf_norm(&g), x, f, iterations: it + 1, converged: true };
        }
    }
    Minimum { grad_norm: inf_norm(&g), x, f, iterations: s.max_iter, converged: false }
}

/// A step along `d` meeting the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9); writes the new
/// point and gradient into `xn`, `gn`. `None` when no acceptable step exists (a wall, or
/// rounding).
#[allow(clippy::too_many_arguments)]
fn wolfe(
    fg: &mut impl FnMut(&[f64], &mut [f64]) -> f64,
    x: &[f64],
    f0: f64,
    _g0: &[f64],
    dg0: f64,
    d: &[f64],
    xn: &mut [f64],
    gn: &mut [f64],
) -> Option<(f64, f64)> {
    const C1: f64 = 1e-4;
    const C2: f64 = 0.9;
    let mut eval = |a: f64, xn: &mut [f64], gn: &mut [f64]| -> (f64, f64) {
        for i in 0..x.len() {
            xn[i] = x[i] + a * d[i];
        }
        let f = fg(xn, gn);
        let f = if f.is_finite() { f } else { f64::INFINITY };
        (f, if f.is_finite() { dot(gn, d) } else { f64::NAN })
    };
    let (mut a_prev, mut f_prev, mut dg_prev) = (0.0, f0, dg0);
    let mut a = 1.0;
    for i in 0..40 {
        let (fa, dga) = eval(a, xn, gn);
        if !fa.is_finite() {
            // a wall: come back towards the last good step
            let hi = a;
            return zoom(&mut eval, f0, dg0, a_prev, f_prev, dg_prev, hi, f64::INFINITY, xn, gn, C1, C2);
        }
        if fa > f0 + C1 * a * dg0 || (i > 0 && fa >= f_prev) {
            return zoom(&mut eval, f0, dg0, a_prev, f_prev, dg_prev, a, fa, xn, gn, C1, C2);
        }
        if dga.abs() <= -C2 * dg0 {
            return Some((a, fa));
        }
        if dga >= 0.0 {
            return zoom(&mut eval, f0, dg0, a, fa, dga, a_prev, f_prev, xn, gn, C1, C2);
        }
        a_prev = a;
        f_prev = fa;
        dg_prev = dga;
        a *= 2.0;
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn zoom(
    eval: &mut impl FnMut(f64, &mut [f64], &mut [f64]) -> (f64, f64),
    f0: f64,
    dg0: f64,
    mut lo: f64,
    mut f_lo: f64,
    mut dg_lo: f64,
    mut hi: f64,
    mut f_hi: f64,
    xn: &mut [f64],
    gn: &mut [f64],
    c1: f64,
    c2: f64,
) -> Option<(f64, f64)> {
    let mut best: Option<(f64, f64)> = None;
    for _ in 0..60 {
        // quadratic interpolation from lo's value and slope and hi's value, safeguarded
        let width = hi - lo;
        let mut a = if f_hi.is_finite() {
            let denom = 2.0 * (f_hi - f_lo - dg_lo * width);
            if denom > 0.0 {
                lo - dg_lo * width * width / denom
            } else {
                lo + 0.5 * width
            }
        } else {
            lo + 0.5 * width
        };
        let (l, h) = if lo < hi { (lo, hi) } else { (hi, lo) };
        let margin = 0.1 * (h - l);
        if !(a > l + margin && a < h - margin) {
            a = 0.5 * (l + h);
        }
        if (h - l) <= 1e-16 * h.abs().max(1e-300) {
            break;
        }
        let (fa, dga) = eval(a, xn, gn);
        if !fa.is_finite() || fa > f0 + c1 * a * dg0 || fa >= f_lo {
            hi = a;
            f_hi = fa;
        } else {
            if dga.abs() <= -c2 * dg0 {
                return Some((a, fa));
            }
            best = Some((a, fa));
            if dga * (hi - lo) >= 0.0 {
                hi = lo;
                f_hi = f_lo;
            }
            lo = a;
            f_lo = fa;
            dg_lo = dga;
        }
    }
    // accept a sufficient decrease that missed the curvature condition
    let (a, fa) = best.or(if lo > 0.0 && f_lo < f0 { Some((lo, f_lo)) } else { None })?;
    let (f, _) = eval(a, xn, gn);
    debug_assert!(f == fa || !f.is_finite() || (f - fa).abs() <= 1e-12 * fa.abs());
    Some((a, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock() {
        let fg = |x: &[f64], g: &mut [f64]| {
            let n = x.len();
            let mut f = 0.0;
            g.fill(0.0);
            for i in 0..n - 1 {
                let a = x[i + 1] - x[i] * x[i];
                let b = 1.0 - x[i];
                f += 100.0 * a * a + b * b;
                g[i] += -400.0 * a * x[i] - 2.0 * b;
                g[i + 1] += 200.0 * a;
            }
            f
        };
        let m = lbfgs(fg, &[-1.2, 1.0, -1.2, 1.0, 0.5], Settings::default());
        assert!(m.converged, "{m:?}");
        for v in &m.x {
            assert!((v - 1.0).abs() < 1e-6, "{m:?}");
        }
    }

    #[test]
    fn walls_are_avoided() {
        // f = x - ln(x) has its minimum at 1 and is undefined (NaN) below 0
        let fg = |x: &[f64], g: &mut [f64]| {
            g[0] = 1.0 - 1.0 / x[0];
            x[0] - x[0].ln()
        };
        let m = lbfgs(fg, &[30.0], Settings::default());
        assert!((m.x[0] - 1.0).abs() < 1e-7, "{m:?}");
    }
}
