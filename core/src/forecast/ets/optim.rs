//! A bounded Nelder-Mead minimiser: points are clamped into the box, adaptive coefficients
//! (Gao & Han 2012), stop when the standard deviation of the simplex values falls below `tol`
//! (the criterion statsforecast's ETS optimiser uses).

/// Minimises `f` from `x0` inside `[lower, upper]`; returns the best point and its value.
pub(crate) fn nelder_mead(
    mut f: impl FnMut(&[f64]) -> f64,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    tol: f64,
    max_iter: usize,
) -> (Vec<f64>, f64) {
    let n = x0.len();
    let clamp = |x: &mut [f64]| {
        for i in 0..x.len() {
            x[i] = x[i].max(lower[i]).min(upper[i]);
        }
    };
    let mut start = x0.to_vec();
    clamp(&mut start);
    if n == 0 {
        let v = f(&start);
        return (start, v);
    }
    let nf = n as f64;
    let (a_r, a_e, a_c, a_s) = (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf);
    let mut pts: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    pts.push(start.clone());
    for i in 0..n {
        let mut p = start.clone();
        p[i] = if p[i] == 0.0 { 1e-4 } else { p[i] * 1.05 };
        clamp(&mut p);
        pts.push(p);
    }
    let mut vals: Vec<f64> = pts.iter().map(|p| sanitize(f(p))).collect();
    let mut order: Vec<usize> = (0..=n).collect();
    let mut centroid = vec![0.0; n];
    let mut xr = vec![0.0; n];
    let mut xe = vec![0.0; n];
    let mut xc = vec![0.0; n];
    for _ in 0..max_iter {
        crate::stats::sort_indices(&mut order, &vals);
        if spread(&vals) < tol {
            break;
        }
        let (best, worst, second) = (order[0], order[n], order[n - 1]);
        centroid.iter_mut().for_each(|c| *c = 0.0);
        for &k in &order[..n] {
            for (c, v) in centroid.iter_mut().zip(&pts[k]) {
                *c += v / nf;
            }
        }
        for i in 0..n {
            xr[i] = centroid[i] + a_r * (centroid[i] - pts[worst][i]);
        }
        clamp(&mut xr);
        let fr = sanitize(f(&xr));
        if fr < vals[best] {
            for i in 0..n {
                xe[i] = centroid[i] + a_e * (xr[i] - centroid[i]);
            }
            clamp(&mut xe);
            let fe = sanitize(f(&xe));
            if fe < fr {
                pts[worst].copy_from_slice(&xe);
                vals[worst] = fe;
            } else {
                pts[worst].copy_from_slice(&xr);
                vals[worst] = fr;
            }
            continue;
        }
        if fr < vals[second] {
            pts[worst].copy_from_slice(&xr);
            vals[worst] = fr;
            continue;
        }
        // contraction: outside if the reflection beat the worst, inside otherwise
        let outside = fr < vals[worst];
        for i in 0..n {
            xc[i] = if outside {
                centroid[i] + a_c * (xr[i] - centroid[i])
            } else {
                centroid[i] - a_c * (centroid[i] - pts[worst][i])
            };
        }
        clamp(&mut xc);
        let fc = sanitize(f(&xc));
        if fc < fr.min(vals[worst]) {
            pts[worst].copy_from_slice(&xc);
            vals[worst] = fc;
            continue;
        }
        // shrink towards the best point
        let bp = pts[best].clone();
        for k in 0..=n {
            if k != best {
                for i in 0..n {
                    pts[k][i] = bp[i] + a_s * (pts[k][i] - bp[i]);
                }
                clamp(&mut pts[k]);
                vals[k] = sanitize(f(&pts[k]));
            }
        }
    }
    let best = (0..=n).min_by(|&a, &b| vals[a].total_cmp(&vals[b])).unwrap_or(0);
    (pts[best].clone(), vals[best])
}

/// NaN counts as +infinity (a failed evaluation is the worst point, never the best).
fn sanitize(v: f64) -> f64 {
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

/// Population standard deviation of the values (infinite if any is).
fn spread(v: &[f64]) -> f64 {
    if v.iter().any(|x| !x.is_finite()) {
        return f64::INFINITY;
    }
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_bowl_and_respects_bounds() {
        let (x, v) = nelder_mead(|x| (x[0] - 1.0).powi(2) + (x[1] + 2.0).powi(2), &[0.3, 0.3], &[-5.0, -5.0], &[5.0, 5.0], 1e-12, 2000);
        assert!((x[0] - 1.0).abs() < 1e-4 && (x[1] + 2.0).abs() < 1e-4 && v < 1e-8);
        let (x, _) = nelder_mead(|x| (x[0] - 3.0).powi(2), &[0.5], &[0.0], &[1.0], 1e-12, 500);
        assert!((x[0] - 1.0).abs() < 1e-9);
    }
}
