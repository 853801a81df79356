//! Initial states by R's `initstate` heuristic: a classical decomposition (or, with fewer than
//! three seasons of data, a linear-trend plus one-harmonic regression) gives the seasonal
//! states; a regression on the first `max(10, 2m)` seasonally adjusted values gives level and
//! trend.

use super::engine::Kind;
use super::{SeasonType, TrendType};

/// Initial level, trend and seasonal factors (time order: `seasonal[k]` applies to `y[k]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Init {
    pub(crate) l: f64,
    pub(crate) b: f64,
    pub(crate) seasonal: Vec<f64>,
}

/// Least squares for a small dense system (normal equations, partial pivoting). Returns `None`
/// when singular.
pub(crate) fn lstsq(cols: &[Vec<f64>], y: &[f64]) -> Option<Vec<f64>> {
    let k = cols.len();
    let mut a = vec![0.0; k * (k + 1)];
    for i in 0..k {
        for j in 0..k {
            a[i * (k + 1) + j] = cols[i].iter().zip(&cols[j]).map(|(u, v)| u * v).sum();
        }
        a[i * (k + 1) + k] = cols[i].iter().zip(y).map(|(u, v)| u * v).sum();
    }
    for c in 0..k {
        let p = (c..k).max_by(|&r, &s| a[r * (k + 1) + c].abs().total_cmp(&a[s * (k + 1) + c].abs()))?;
        if a[p * (k + 1) + c].abs() < 1e-12 * (1.0 + a[c * (k + 1) + c].abs()) {
            return None;
        }
        for j in 0..=k {
            a.swap(c * (k + 1) + j, p * (k + 1) + j);
        }
        for r in 0..k {
            if r != c {
                let f = a[r * (k + 1) + c] / a[c * (k + 1) + c];
                for j in c..=k {
                    a[r * (k + 1) + j] -= f * a[c * (k + 1) + j];
                }
            }
        }
    }
    Some((0..k).map(|i| a[i * (k + 1) + k] / a[i * (k + 1) + i]).collect())
}

/// Classical (moving-average) decomposition's seasonal factors by phase, as statsmodels'
/// `seasonal_decompose` (centred 2 x m MA for even m), normalised to sum 0 (additive) or mean 1.
fn classical_seasonal(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
    let n = y.len();
    let (weights, half): (Vec<f64>, usize) = if m % 2 == 0 {
        let mut w = vec![1.0 / m as f64; m + 1];
        w[0] = 0.5 / m as f64;
        w[m] = 0.5 / m as f64;
        (w, m / 2)
    } else {
        (vec![1.0 / m as f64; m], (m - 1) / 2)
    };
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for t in half..n.saturating_sub(weights.len() - 1 - half) {
        let trend: f64 = weights.iter().enumerate().map(|(k, w)| w * y[t + k - half]).sum();
        let d = if mult { y[t] / trend } else { y[t] - trend };
        sums[t % m] += d;
        counts[t % m] += 1;
    }
    let mut avg: Vec<f64> = sums.iter().zip(&counts).map(|(s, &c)| if c > 0 { s / c as f64 } else { f64::NAN }).collect();
    let mean = avg.iter().sum::<f64>() / m as f64;
    for v in avg.iter_mut() {
        if mult {
            *v /= mean;
        } else {
            *v -= mean;
        }
    }
    avg
}

/// The seasonal component for every observation by R's heuristic (see the module docs).
fn seasonal_component(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
    let n = y.len();
    if n < 3 * m {
        let t: Vec<f64> = (1..=n).map(|t| t as f64).collect();
        let w = 2.0 * std::f64::consts::PI / m as f64;
        let mut cols = vec![vec![1.0; n], t.clone(), t.iter().map(|t| (w * t).cos()).collect()];
        if m > 2 {
            cols.push(t.iter().map(|t| (w * t).sin()).collect());
        }
        let coef = lstsq(&cols, y).or_else(|| lstsq(&cols[..2], y)).unwrap_or_else(|| vec![y.iter().sum::<f64>() / n as f64, 0.0]);
        (0..n)
            .map(|i| {
                let trend = coef[0] + coef[1] * t[i];
                if mult {
                    y[i] / trend
                } else {
                    y[i] - trend
                }
            })
            .collect()
    } else {
        let by_phase = classical_seasonal(y, m, mult);
        (0..n).map(|t| by_phase[t % m]).collect()
    }
}

/// Initial states for `kind` from `y` (finite, at least 4 values when seasonal).
pub(crate) fn initial_states(y: &[f64], kind: Kind) -> Init {
    let n = y.len();
    let m = kind.m;
    let (seasonal, y_sa) = if kind.has_season() {
        let mult = kind.season == SeasonType::Multiplicative;
        let comp = seasonal_component(y, m, mult);
        // R keeps comp[1..m] as free states and derives comp[0] from the normalisation.
        let mut seas: Vec<f64> = comp[..m].to_vec();
        let y_sa: Vec<f64> = if mult {
            for v in seas.iter_mut().skip(1) {
                *v = v.max(1e-2);
            }
            let free: f64 = seas[1..].iter().sum();
            if free > m as f64 {
                let denom: f64 = seas[1..].iter().map(|v| v + 1e-2).sum();
                for v in seas.iter_mut().skip(1) {
                    *v /= denom;
                }
            }
            y.iter().zip(&comp).map(|(v, s)| v / s.max(1e-2)).collect()
        } else {
            y.iter().zip(&comp).map(|(v, s)| v - s).collect()
        };
        let free: f64 = seas[1..].iter().sum();
        seas[0] = if mult { m as f64 - free } else { -free };
        (seas, y_sa)
    } else {
        (Vec::new(), y.to_vec())
    };
    let maxn = (10.max(2 * m)).min(n);
    let head = &y_sa[..maxn];
    let (l, b) = if kind.trend == TrendType::None {
        (head.iter().sum::<f64>() / maxn as f64, 0.0)
    } else {
        let t: Vec<f64> = (1..=maxn).map(|t| t as f64).collect();
        let coef = lstsq(&[vec![1.0; maxn], t], head).unwrap_or_else(|| vec![head[0], 0.0]);
        let (mut l, mut b) = (coef[0], coef[1]);
        if (l + b).abs() < 1e-8 {
            l *= 1.0 + 1e-3;
            b *= 1.0 - 1e-3;
        }
        (l, b)
    };
    Init { l, b, seasonal }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::ets::ErrorType;

    #[test]
    fn regression_recovers_a_line() {
        let y: Vec<f64> = (1..=20).map(|t| 3.0 + 2.0 * t as f64).collect();
        let kind = Kind { error: ErrorType::Additive, trend: TrendType::Additive, season: SeasonType::None, m: 1 };
        let i = initial_states(&y, kind);
        assert!((i.l - 3.0).abs() < 1e-9 && (i.b - 2.0).abs() < 1e-9);
    }

    #[test]
    fn decomposition_finds_an_additive_pattern() {
        let pat = [1.0, -2.0, 0.5, 0.5];
        let y: Vec<f64> = (0..40).map(|t| 10.0 + pat[t % 4]).collect();
        let kind = Kind { error: ErrorType::Additive, trend: TrendType::None, season: SeasonType::Additive, m: 4 };
        let i = initial_states(&y, kind);
        for (s, p) in i.seasonal.iter().zip(pat) {
            assert!((s - p).abs() < 1e-9, "{:?}", i.seasonal);
        }
        assert!((i.l - 10.0).abs() < 1e-9);
    }
}
