//! Correlation of two series: Pearson, Spearman and Kendall (tau-b) with two-sided p-values, and
//! lagged cross-correlation.
//!
//! The numbers follow scipy.stats (`pearsonr`, `spearmanr`, `kendalltau` with `method='auto'`), so
//! a result can be checked against it; the shared vectors in `tests/vectors/stats/` do.
//!
//! **Constant input.** A series whose values are all equal has no correlation: scipy returns
//! NaN with a warning. channelwise returns [`Error::NotEnoughData`] instead (the statistic needs at
//! least two distinct values), so NaN never reaches a report. Callers scanning many pairs can
//! match on [`ErrorKind::NotEnoughData`](crate::ErrorKind::NotEnoughData) and skip.

use serde::{Deserialize, Serialize};

use super::{check_finite, check_len, check_same_len, count_inversions, normal_sf, sort_indices, tie_stats};
use crate::error::{Error, Result};

/// A correlation coefficient with its two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Correlation {
    /// The coefficient, in [-1, 1].
    pub statistic: f64,
    /// Two-sided p-value for the null hypothesis of no association, in [0, 1].
    pub p_value: f64,
    /// Number of pairs used.
    pub n: usize,
}

/// Lagged cross-correlation of two series, one value per lag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossCorrelation {
    /// The lags, `-max_lag..=max_lag`.
    pub lags: Vec<i64>,
    /// `values[i]` is the correlation at `lags[i]`: between `x[t + k]` and `y[t]`.
    pub values: Vec<f64>,
}

impl CrossCorrelation {
    /// The correlation at lag `k`, or `None` outside `-max_lag..=max_lag`.
    ///
    /// ```
    /// use channelwise::stats::cross_correlation;
    /// let c = cross_correlation(&[1.0, 2.0, 4.0, 3.0], &[2.0, 1.0, 3.0, 5.0], 1)?;
    /// assert_eq!(c.at(2), None);
    /// assert!((c.at(0).unwrap() - 0.5291502622129182).abs() < 1e-12); // Pearson r
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn at(&self, k: i64) -> Option<f64> {
        let max = self.lags.last().copied()?;
        if k.abs() > max {
            return None;
        }
        self.values.get((k + max) as usize).copied()
    }
}

/// Validates a pair of series: equal length, at least 3 pairs, finite values.
fn check_pair(what: &str, x: &[f64], y: &[f64]) -> Result<()> {
    check_same_len("y", x.len(), y.len())?;
    check_len(what, 3, x.len())?;
    check_finite("x", x)?;
    check_finite("y", y)
}

/// Rejects a constant series (the correlation is undefined).
fn check_not_constant(what: &str, field: &str, xs: &[f64]) -> Result<()> {
    if xs.iter().all(|v| *v == xs[0]) {
        return Err(Error::NotEnoughData { what: format!("{what} (distinct values in {field})"), required: 2, got: 1 });
    }
    Ok(())
}

/// Centres `xs` and scales it to unit Euclidean norm (scipy's `pearsonr` recipe: divide by the
/// largest deviation first so the sum of squares cannot overflow). `None` if all deviations are 0.
fn unit_deviations(xs: &[f64]) -> Option<Vec<f64>> {
    // An exact power-of-two prescale keeps the mean and deviations away from overflow/underflow.
    let big = xs.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let scale = if big > 1e150 {
        2f64.powi(-600)
    } else if big < 1e-150 {
        2f64.powi(600)
    } else {
        1.0
    };
    let n = xs.len() as f64;
    let mean = xs.iter().map(|v| v * scale).sum::<f64>() / n;
    let mut d: Vec<f64> = xs.iter().map(|v| v * scale - mean).collect();
    let dmax = d.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if dmax == 0.0 || !dmax.is_finite() {
        return None;
    }
    d.iter_mut().for_each(|v| *v /= dmax);
    let norm = d.iter().map(|v| v * v).sum::<f64>().sqrt();
    d.iter_mut().for_each(|v| *v /= norm);
    Some(d)
}

/// Pearson r of two validated, non-constant series, clipped to [-1, 1].
fn pearson_r(what: &str, x: &[f64], y: &[f64]) -> Result<f64> {
    let constant = |field: &str| Error::NotEnoughData {
        what: format!("{what} (distinct values in {field})"),
        required: 2,
        got: 1,
    };
    let a = unit_deviations(x).ok_or_else(|| constant("x"))?;
    let b = unit_deviations(y).ok_or_else(|| constant("y"))?;
    let r: f64 = a.iter().zip(&b).map(|(p, q)| p * q).sum();
    Ok(r.clamp(-1.0, 1.0))
}

/// Two-sided p-value of a correlation `r` from `n` pairs under the t distribution with `n - 2`
/// degrees of freedom: `P(|T| > |t|)` with `t = r sqrt((n-2) / (1-r^2))`, computed as the
/// regularised incomplete beta `I_{1-r^2}((n-2)/2, 1/2)` (exact for |r| = 1, where t is infinite).
fn t_p_value(r: f64, n: usize) -> Result<f64> {
    let df = (n - 2) as f64;
    let x = ((1.0 - r) * (1.0 + r)).clamp(0.0, 1.0);
    statrs::function::beta::checked_beta_reg(df / 2.0, 0.5, x)
        .map(|p| p.clamp(0.0, 1.0))
        .map_err(|e| Error::Internal(format!("t p-value for r = {r}, n = {n}: {e}")))
}

/// Pearson's product-moment correlation with a two-sided p-value (t distribution, `n - 2` df).
///
/// Matches `scipy.stats.pearsonr(x, y)` (statistic and `pvalue`).
///
/// # Errors
/// [`Error::LengthMismatch`] if `y` and `x` differ in length; [`Error::NotEnoughData`] for fewer
/// than 3 pairs or a constant `x` or `y`; [`Error::NonFinite`] naming `x[i]` / `y[i]`.
///
/// ```
/// use channelwise::stats::pearson;
/// let c = pearson(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 5.0, 4.0, 5.0])?;
/// assert!((c.statistic - 0.7745966692414834).abs() < 1e-12);
/// assert!((c.p_value - 0.1240270626575546).abs() < 1e-12);
/// assert_eq!(c.n, 5);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn pearson(x: &[f64], y: &[f64]) -> Result<Correlation> {
    const WHAT: &str = "pearson correlation";
    check_pair(WHAT, x, y)?;
    check_not_constant(WHAT, "x", x)?;
    check_not_constant(WHAT, "y", y)?;
    let r = pearson_r(WHAT, x, y)?;
    Ok(Correlation { statistic: r, p_value: t_p_value(r, x.len())?, n: x.len() })
}

/// Ranks `1..=n` of finite values, ties given the average of the ranks they span (scipy's
/// `rankdata(method='average')`).
fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let n = xs.len();
    let mut idx: Vec<usize> = (0..n).collect();
    // -0.0 sorts before 0.0; the runs below compare with `==`, which ties them
    sort_indices(&mut idx, xs);
    let mut ranks = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && xs[idx[j]] == xs[idx[i]] {
            j += 1;
        }
        // positions i..j (0-based) hold ranks i+1..=j; their mean is (i + 1 + j) / 2
        let r = (i + 1 + j) as f64 / 2.0;
        for &k in &idx[i..j] {
            ranks[k] = r;
        }
        i = j;
    }
    ranks
}

/// Spearman's rank correlation (Pearson r of average ranks) with a two-sided p-value from the t
/// approximation with `n - 2` degrees of freedom.
///
/// Matches `scipy.stats.spearmanr(x, y)`. Invariant under strictly increasing transforms of
/// either series.
///
/// # Errors
/// As [`pearson`]: [`Error::LengthMismatch`], [`Error::NotEnoughData`] (fewer than 3 pairs or a
/// constant series), [`Error::NonFinite`].
///
/// ```
/// use channelwise::stats::spearman;
/// let x = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let c = spearman(&x, &[1.0, 8.0, 27.0, 64.0, 125.0])?; // monotone: rho = 1, p = 0
/// assert_eq!((c.statistic, c.p_value), (1.0, 0.0));
/// let c = spearman(&x, &[5.0, 6.0, 7.0, 8.0, 7.0])?; // a tie in y
/// assert!((c.statistic - 0.8207826816681233).abs() < 1e-12);
/// assert!((c.p_value - 0.0885870053135438).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn spearman(x: &[f64], y: &[f64]) -> Result<Correlation> {
    const WHAT: &str = "spearman correlation";
    check_pair(WHAT, x, y)?;
    check_not_constant(WHAT, "x", x)?;
    check_not_constant(WHAT, "y", y)?;
    let r = pearson_r(WHAT, &average_ranks(x), &average_ranks(y))?;
    Ok(Correlation { statistic: r, p_value: t_p_value(r, x.len())?, n: x.len() })
}

/// Exact two-sided p-value of Kendall's tau without ties: `n` items, `c` concordant pairs
/// (scipy's `_kendall_p_exact`, after Kendall, *Rank Correlation Methods*, 1970).
fn kendall_p_exact(n: u64, c: u64) -> f64 {
    let tot = n * (n - 1) / 2;
    let c = c.min(tot - c);
    let factorial = |k: u64| (1..=k).fold(1.0_f64, |f, i| f * i as f64);
    let prob = if n <= 2 {
        1.0
    } else if c == 0 {
        if n < 171 {
            2.0 / factorial(n)
        } else {
            0.0
        }
    } else if c == 1 {
        if n < 172 {
            2.0 / factorial(n - 1)
        } else {
            0.0
        }
    } else if 4 * c == n * (n - 1) {
        1.0
    } else {
        // new[i]: number (or, for n >= 171, fraction) of permutations with i inversions, i <= c.
        let c = c as usize;
        let mut new = vec![0.0; c + 1];
        new[0] = 1.0;
        new[1] = 1.0;
        let large = n >= 171;
        for j in 3..=n as usize {
            let mut acc = 0.0;
            for v in new.iter_mut() {
                acc += *v;
                *v = if large { acc / j as f64 } else { acc };
            }
            if j <= c {
                let old = new.clone();
                for i in j..=c {
                    new[i] -= old[i - j];
                }
            }
        }
        let s: f64 = new.iter().sum();
        if large {
            s
        } else {
            2.0 * s / factorial(n)
        }
    };
    prob.clamp(0.0, 1.0)
}

/// Kendall's tau-b with a two-sided p-value, computed in O(n log n) (Knight's algorithm).
///
/// Ties in either series are handled by tau-b's denominator. The p-value follows
/// `scipy.stats.kendalltau(x, y)` with its default `method='auto'`: the exact null distribution
/// when there are no ties and `n <= 33` (or at most one discordant or concordant pair), otherwise
/// the normal approximation with the tie-corrected variance of `concordant - discordant`.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::NotEnoughData`] (fewer than 3 pairs or a constant
/// series), [`Error::NonFinite`].
///
/// ```
/// use channelwise::stats::kendall;
/// // scipy's docstring example: ties in both series, normal approximation
/// let c = kendall(&[12.0, 2.0, 1.0, 12.0, 2.0], &[1.0, 4.0, 7.0, 1.0, 0.0])?;
/// assert!((c.statistic + 0.47140452079103173).abs() < 1e-12);
/// assert!((c.p_value - 0.2827454599327748).abs() < 1e-12);
/// // no ties, small n: exact p-value (one discordant pair of 10)
/// let c = kendall(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 3.0, 2.0, 4.0, 5.0])?;
/// assert!((c.statistic - 0.8).abs() < 1e-12);
/// assert!((c.p_value - 1.0 / 12.0).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn kendall(x: &[f64], y: &[f64]) -> Result<Correlation> {
    const WHAT: &str = "kendall correlation";
    check_pair(WHAT, x, y)?;
    check_not_constant(WHAT, "x", x)?;
    check_not_constant(WHAT, "y", y)?;
    let n = x.len();
    let mut idx: Vec<usize> = (0..n).collect();
    // by x, then y (a stable sort by y, then one by x), with -0.0 == 0.0 (`+ 0.0` turns both into
    // 0.0), so that pairs tied in x are contiguous and ascending in y
    let unsigned = |v: &[f64]| v.iter().map(|&t| t + 0.0).collect::<Vec<_>>();
    sort_indices(&mut idx, &unsigned(y));
    sort_indices(&mut idx, &unsigned(x));
    // joint ties: runs of equal (x, y) in the lexicographic order
    let mut ntie = 0u64;
    let mut run = 1u64;
    for w in idx.windows(2) {
        if x[w[0]] == x[w[1]] && y[w[0]] == y[w[1]] {
            run += 1;
        } else {
            ntie += run * (run - 1) / 2;
            run = 1;
        }
    }
    ntie += run * (run - 1) / 2;
    let (xtie, x0, x1) = tie_stats(idx.iter().map(|&i| x[i]));
    // y in the (x, y) order; pairs tied in x are ascending in y, so strict inversions are exactly
    // the discordant pairs. Counting them sorts y, which then gives its ties.
    let mut ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
    let dis = count_inversions(&mut ys, &mut Vec::with_capacity(n));
    let (ytie, y0, y1) = tie_stats(ys.iter().copied());

    let tot = (n as u64) * (n as u64 - 1) / 2;
    // tot = con + dis + xtie + ytie - ntie
    let con_minus_dis = tot as f64 - xtie as f64 - ytie as f64 + ntie as f64 - 2.0 * dis as f64;
    let tau = (con_minus_dis / ((tot - xtie) as f64).sqrt() / ((tot - ytie) as f64).sqrt()).clamp(-1.0, 1.0);

    let nf = n as f64;
    let p_value = if xtie == 0 && ytie == 0 && (n <= 33 || dis.min(tot - dis) <= 1) {
        kendall_p_exact(n as u64, tot - dis)
    } else {
        let m = nf * (nf - 1.0);
        let var = (m * (2.0 * nf + 5.0) - x1 - y1) / 18.0
            + 2.0 * xtie as f64 * ytie as f64 / m
            + x0 * y0 / (9.0 * m * (nf - 2.0));
        if var > 0.0 {
            (2.0 * normal_sf((con_minus_dis / var.sqrt()).abs())).clamp(0.0, 1.0)
        } else {
            1.0
        }
    };
    Ok(Correlation { statistic: tau, p_value, n })
}

/// Lagged cross-correlation `r(k)` for `k = -max_lag..=max_lag`: the correlation between
/// `x[t + k]` and `y[t]`.
///
/// Convention (R's `ccf(x, y)`; statsmodels' `ccf(x, y, adjusted=False)` for `k >= 0`): with
/// `n` the length, means `mx`, `my` and population standard deviations `sx`, `sy`,
/// `r(k) = sum_t (x[t+k] - mx)(y[t] - my) / (n sx sy)`, summed over the `n - |k|` overlapping
/// pairs. Dividing by `n` rather than `n - |k|` keeps `|r(k)| <= 1` and shrinks long lags, as the
/// usual biased estimator does. `r(0)` is Pearson's r. A positive peak at `k > 0` means `y` leads
/// `x` by `k` steps (spend today, sales in `k` days: `cross_correlation(sales, spend, k)`).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::NotEnoughData`] for fewer than 2 points or a constant
/// series; [`Error::OutOfRange`] if `max_lag >= n`; [`Error::NonFinite`].
///
/// ```
/// use channelwise::stats::cross_correlation;
/// let spend = [0.0, 10.0, 0.0, 0.0, 10.0, 0.0, 0.0, 10.0, 0.0, 0.0];
/// let sales = [0.0, 0.0, 10.0, 0.0, 0.0, 10.0, 0.0, 0.0, 10.0, 0.0]; // one step behind
/// let c = cross_correlation(&sales, &spend, 2)?;
/// assert_eq!(c.lags, [-2, -1, 0, 1, 2]);
/// let best = c.lags[c.values.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0];
/// assert_eq!(best, 1);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn cross_correlation(x: &[f64], y: &[f64], max_lag: usize) -> Result<CrossCorrelation> {
    const WHAT: &str = "cross-correlation";
    check_same_len("y", x.len(), y.len())?;
    check_len(WHAT, 2, x.len())?;
    check_finite("x", x)?;
    check_finite("y", y)?;
    let n = x.len();
    if max_lag >= n {
        return Err(Error::OutOfRange { field: "max_lag".into(), value: max_lag as f64, min: 0.0, max: (n - 1) as f64 });
    }
    check_not_constant(WHAT, "x", x)?;
    check_not_constant(WHAT, "y", y)?;
    let constant = |field: &str| Error::NotEnoughData {
        what: format!("{WHAT} (distinct values in {field})"),
        required: 2,
        got: 1,
    };
    // unit-norm deviations: sum_t a[t] b[t] = sum (x-mx)(y-my) / (n sx sy)
    let a = unit_deviations(x).ok_or_else(|| constant("x"))?;
    let b = unit_deviations(y).ok_or_else(|| constant("y"))?;
    let k = max_lag as i64;
    let mut lags = Vec::with_capacity(2 * max_lag + 1);
    let mut values = Vec::with_capacity(2 * max_lag + 1);
    for lag in -k..=k {
        let s: f64 = if lag >= 0 {
            let l = lag as usize;
            a[l..].iter().zip(&b[..n - l]).map(|(p, q)| p * q).sum()
        } else {
            let l = (-lag) as usize;
            a[..n - l].iter().zip(&b[l..]).map(|(p, q)| p * q).sum()
        };
        lags.push(lag);
        values.push(s.clamp(-1.0, 1.0));
    }
    Ok(CrossCorrelation { lags, values })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(average_ranks(&[10.0, 20.0, 10.0, 30.0, 20.0, 20.0]), [1.5, 4.0, 1.5, 6.0, 4.0, 4.0]);
        assert_eq!(average_ranks(&[0.0, -0.0]), [1.5, 1.5]);
    }

    #[test]
    fn inversions_match_brute_force() {
        let v = [3.0, 1.0, 2.0, 2.0, 5.0, 0.0, 2.0];
        let brute =
            (0..v.len()).flat_map(|i| (i + 1..v.len()).map(move |j| (i, j))).filter(|&(i, j)| v[i] > v[j]).count();
        let mut w = v.to_vec();
        assert_eq!(count_inversions(&mut w, &mut Vec::new()), brute as u64);
        assert!(w.windows(2).all(|p| p[0] <= p[1]));
    }

    #[test]
    fn kendall_matches_brute_force_with_ties() {
        let x = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 4.0, 5.0];
        let y = [2.0, 1.0, 3.0, 3.0, 5.0, 4.0, 5.0, 1.0];
        let (mut s, mut tx, mut ty) = (0.0, 0.0, 0.0);
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                let (dx, dy): (f64, f64) = (x[j] - x[i], y[j] - y[i]);
                s += (dx.signum() * dy.signum()) * f64::from(u8::from(dx != 0.0 && dy != 0.0));
                tx += f64::from(u8::from(dx != 0.0));
                ty += f64::from(u8::from(dy != 0.0));
            }
        }
        let c = kendall(&x, &y).unwrap();
        assert!((c.statistic - s / (tx * ty).sqrt()).abs() < 1e-14);
    }

    #[test]
    fn exact_kendall_small_cases() {
        // n = 4: counts of permutations by inversions: 1 3 5 6 5 3 1 (24 in all)
        assert!((kendall_p_exact(4, 6) - 2.0 / 24.0).abs() < 1e-15);
        assert!((kendall_p_exact(4, 5) - 8.0 / 24.0).abs() < 1e-15);
        assert!((kendall_p_exact(4, 4) - 18.0 / 24.0).abs() < 1e-15);
        assert_eq!(kendall_p_exact(4, 3), 1.0);
        assert_eq!(kendall_p_exact(2, 1), 1.0);
    }

    #[test]
    fn constant_series_is_a_typed_error() {
        for f in [pearson, spearman, kendall] {
            let e = f(&[1.0, 2.0, 3.0], &[4.0, 4.0, 4.0]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::NotEnoughData);
            assert!(e.to_string().contains("distinct values in y"), "{e}");
        }
        let e = cross_correlation(&[2.0; 4], &[1.0, 2.0, 3.0, 4.0], 1).unwrap_err();
        assert!(e.to_string().contains("distinct values in x"), "{e}");
    }

    #[test]
    fn bad_input_names_field() {
        let e = pearson(&[1.0, 2.0, f64::NAN], &[1.0, 2.0, 3.0]).unwrap_err();
        assert_eq!(e.to_string(), "x[2] must be finite, got NaN");
        let e = kendall(&[1.0, 2.0, 3.0], &[1.0, f64::INFINITY, 3.0]).unwrap_err();
        assert_eq!(e.to_string(), "y[1] must be finite, got inf");
        let e = spearman(&[1.0, 2.0, 3.0], &[1.0, 2.0]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LengthMismatch);
        let e = pearson(&[1.0, 2.0], &[1.0, 2.0]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotEnoughData);
        let e = cross_correlation(&[1.0, 2.0], &[1.0, 3.0], 2).unwrap_err();
        assert_eq!(e.to_string(), "max_lag must be in [0, 1], got 2");
    }

    #[test]
    fn huge_and_tiny_values_stay_finite() {
        let c = pearson(&[1e308, -1e308, 5e307], &[1.0, 2.0, 3.0]).unwrap();
        assert!(c.statistic.is_finite() && c.p_value.is_finite());
        let c = pearson(&[5e-324, 0.0, 1e-323], &[1.0, 2.0, 3.0]).unwrap();
        assert!((c.statistic - 0.5).abs() < 1e-12, "{c:?}"); // as for [1, 0, 2]
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    fn brute_tau_b(x: &[f64], y: &[f64]) -> f64 {
        let (mut s, mut nx, mut ny) = (0.0, 0.0, 0.0);
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                let (dx, dy) = (x[j] - x[i], y[j] - y[i]);
                if dx != 0.0 && dy != 0.0 {
                    s += (dx * dy).signum();
                }
                nx += f64::from(u8::from(dx != 0.0));
                ny += f64::from(u8::from(dy != 0.0));
            }
        }
        s / (nx * ny).sqrt()
    }

    /// Pairs of equal-length series of small integers (ties likely).
    fn int_pairs() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
        (3usize..40).prop_flat_map(|n| {
            (prop::collection::vec(-8i32..8, n), prop::collection::vec(-8i32..8, n)).prop_map(|(a, b)| {
                (a.into_iter().map(f64::from).collect(), b.into_iter().map(f64::from).collect())
            })
        })
    }

    fn strictly_increasing(v: f64) -> f64 {
        v * v * v + 7.0 * v // exact for small integers
    }

    proptest! {
        #[test]
        fn never_panics_never_nan(
            x in prop::collection::vec(any::<f64>(), 0..30),
            y in prop::collection::vec(any::<f64>(), 0..30),
            lag in 0usize..5,
        ) {
            for f in [pearson, spearman, kendall] {
                if let Ok(c) = f(&x, &y) {
                    prop_assert!((-1.0..=1.0).contains(&c.statistic), "{c:?}");
                    prop_assert!((0.0..=1.0).contains(&c.p_value), "{c:?}");
                }
            }
            if let Ok(c) = cross_correlation(&x, &y, lag) {
                prop_assert!(c.values.iter().all(|v| (-1.0..=1.0).contains(v)), "{c:?}");
            }
        }

        #[test]
        fn finite_input_gives_result_or_typed_error(
            xy in (3usize..30).prop_flat_map(|n| (
                prop::collection::vec(-1e300f64..1e300, n),
                prop::collection::vec(-1e-300f64..1e-300, n),
            )),
        ) {
            let (x, y) = xy;
            for f in [pearson, spearman, kendall] {
                match f(&x, &y) {
                    Ok(c) => prop_assert!(c.statistic.is_finite() && c.p_value.is_finite()),
                    Err(e) => prop_assert_eq!(e.kind(), crate::ErrorKind::NotEnoughData),
                }
            }
        }

        #[test]
        fn correlations_are_symmetric((x, y) in int_pairs()) {
            for f in [pearson, spearman, kendall] {
                if let (Ok(a), Ok(b)) = (f(&x, &y), f(&y, &x)) {
                    prop_assert!((a.statistic - b.statistic).abs() < 1e-12);
                    prop_assert!((a.p_value - b.p_value).abs() < 1e-12);
                }
            }
            if let (Ok(a), Ok(b)) = (cross_correlation(&x, &y, 2), cross_correlation(&y, &x, 2)) {
                for k in -2..=2 {
                    prop_assert!((a.at(k).unwrap() - b.at(-k).unwrap()).abs() < 1e-12);
                }
                prop_assert!((a.at(0).unwrap() - pearson(&x, &y).unwrap().statistic).abs() < 1e-12);
            }
        }

        #[test]
        fn rank_correlations_ignore_monotone_transforms((x, y) in int_pairs()) {
            let tx: Vec<f64> = x.iter().map(|v| strictly_increasing(*v)).collect();
            let ty: Vec<f64> = y.iter().map(|v| (v / 4.0).exp()).collect();
            prop_assert_eq!(spearman(&x, &y), spearman(&tx, &ty));
            prop_assert_eq!(kendall(&x, &y), kendall(&tx, &ty));
        }

        #[test]
        fn kendall_matches_pairwise_definition((x, y) in int_pairs()) {
            if let Ok(c) = kendall(&x, &y) {
                prop_assert!((c.statistic - brute_tau_b(&x, &y)).abs() < 1e-12);
            }
        }
    }
}
