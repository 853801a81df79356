//! Monotone trend: the Mann-Kendall test and the Theil-Sen slope.
//!
//! [`mann_kendall`] follows pymannkendall's `original_test` (tie-corrected variance, continuity
//! correction, two-sided normal p-value); [`theil_sen`] follows `scipy.stats.theilslopes` with
//! its default `method='separate'`. Both are checked against those libraries by the shared
//! vectors in `tests/vectors/stats/`.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::{check_finite, check_len, check_same_len, count_inversions, median, median_sorted, normal_sf, tie_stats};
use crate::error::{check_range, Error, Result};

/// Direction reported by [`mann_kendall`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trend {
    /// Significant upward trend (`h` and `z > 0`).
    #[serde(rename = "increasing")]
    Increasing,
    /// Significant downward trend (`h` and `z < 0`).
    #[serde(rename = "decreasing")]
    Decreasing,
    /// No significant trend at the chosen level.
    #[serde(rename = "no trend")]
    NoTrend,
}

impl Trend {
    /// pymannkendall's label: `"increasing"`, `"decreasing"` or `"no trend"`.
    ///
    /// ```
    /// assert_eq!(channelwise::stats::Trend::NoTrend.as_str(), "no trend");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::Increasing => "increasing",
            Trend::Decreasing => "decreasing",
            Trend::NoTrend => "no trend",
        }
    }
}

/// Result of the Mann-Kendall trend test (fields as pymannkendall's `original_test`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MannKendall {
    /// Direction of a significant trend, or [`Trend::NoTrend`].
    pub trend: Trend,
    /// Whether the null hypothesis of no trend is rejected at level `alpha`.
    pub h: bool,
    /// Two-sided p-value.
    pub p: f64,
    /// Normal score of `s` with continuity correction: `(s - sign(s)) / sqrt(var_s)`, 0 when `s = 0`.
    pub z: f64,
    /// Kendall's tau-a of the series against time: `s / (n (n - 1) / 2)`.
    pub tau: f64,
    /// The Mann-Kendall score: later-minus-earlier pairs, `+1` per increase and `-1` per decrease.
    pub s: f64,
    /// Variance of `s` under no trend, corrected for ties.
    pub var_s: f64,
    /// Series length.
    pub n: usize,
}

/// The Mann-Kendall test for a monotone trend in a series ordered in time.
///
/// `s = sum_{i<j} sign(x[j] - x[i])`, `var_s = (n(n-1)(2n+5) - sum_t t(t-1)(2t+5)) / 18` over
/// groups of `t` tied values, `z = (s - sign(s)) / sqrt(var_s)` and `p = 2 P(Z > |z|)`. `s` is
/// counted in O(n log n) (merge-sort inversions) rather than over all pairs. Matches
/// pymannkendall's `original_test(x, alpha)`, whose Sen slope is [`theil_sen`] against `0..n`.
/// A constant series gives `s = 0`, `z = 0`, `p = 1`.
///
/// # Errors
/// [`Error::NotEnoughData`] for fewer than 3 values; [`Error::NonFinite`] naming `x[i]`;
/// [`Error::OutOfRange`] if `alpha` is outside [0, 1].
///
/// ```
/// use channelwise::stats::{mann_kendall, Trend};
/// let mk = mann_kendall(&[1.0, 2.0, 2.0, 4.0, 3.0, 5.0, 6.0, 8.0], 0.05)?;
/// assert_eq!(mk.trend, Trend::Increasing);
/// assert_eq!(mk.s, 25.0);
/// assert!((mk.var_s - (8.0 * 7.0 * 21.0 - 2.0 * 1.0 * 9.0) / 18.0).abs() < 1e-12); // one tied pair
/// assert!((mk.z - 24.0 / mk.var_s.sqrt()).abs() < 1e-12);
/// assert!((mk.p - 0.0027695851547209216).abs() < 1e-15); // pymannkendall 1.4.3
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn mann_kendall(x: &[f64], alpha: f64) -> Result<MannKendall> {
    check_len("mann-kendall test", 3, x.len())?;
    check_finite("x", x)?;
    check_range("alpha", alpha, 0.0, 1.0)?;
    let n = x.len() as u64;
    let tot = n * (n - 1) / 2;
    let mut v = x.to_vec();
    let dec = count_inversions(&mut v, &mut Vec::with_capacity(x.len()));
    let (ties, _, t1) = tie_stats(v.iter().copied());
    // increasing pairs = tot - decreasing - tied
    let s = tot as f64 - ties as f64 - 2.0 * dec as f64;
    let nf = n as f64;
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - t1) / 18.0;
    let z = if s > 0.0 {
        (s - 1.0) / var_s.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / var_s.sqrt()
    } else {
        0.0
    };
    let p = (2.0 * normal_sf(z.abs())).clamp(0.0, 1.0);
    let h = z.abs() > std_normal().inverse_cdf(1.0 - alpha / 2.0);
    let trend = match (h, z > 0.0) {
        (false, _) => Trend::NoTrend,
        (true, true) => Trend::Increasing,
        (true, false) => Trend::Decreasing,
    };
    Ok(MannKendall { trend, h, p, z, tau: s / tot as f64, s, var_s, n: x.len() })
}

fn std_normal() -> Normal {
    Normal::standard()
}

/// The Theil-Sen line: median pairwise slope, intercept, and a confidence interval for the slope.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TheilSen {
    /// Median of the slopes `(y[j] - y[i]) / (x[j] - x[i])` over pairs with `x[j] > x[i]`.
    pub slope: f64,
    /// `median(y) - slope * median(x)`.
    pub intercept: f64,
    /// Lower end of the slope's `1 - alpha` confidence interval.
    pub low_slope: f64,
    /// Upper end of the slope's `1 - alpha` confidence interval.
    pub high_slope: f64,
}

/// The Theil-Sen estimator: a line robust to outliers, with a confidence interval for its slope.
///
/// Matches `scipy.stats.theilslopes(y, x, alpha=1 - alpha)` (note the order and that scipy's
/// `alpha` is the *confidence* level: scipy's `alpha=0.95` is channelwise's `alpha = 0.05`). The
/// interval is Sen's (1968, eq. 2.6): order statistics of the sorted slopes at ranks
/// `(N -/+ z sigma) / 2`, with `sigma^2` the tie-corrected variance of Kendall's score and ranks
/// rounded half to even as numpy does. Where ties are so heavy that Sen's variance is negative
/// (scipy then reports NaN bounds) the interval is the full range of the slopes. For a trend in a
/// series, pass `x = 0, 1, ..., n-1`. Time and memory grow as `n^2` (every pair's slope).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::NotEnoughData`] for fewer than 2 points or no two distinct
/// `x`; [`Error::NonFinite`] naming `x[i]` / `y[i]` (or a slope or intercept that overflows);
/// [`Error::OutOfRange`] / [`Error::InvalidParameter`] unless `0 < alpha <= 0.5`.
///
/// ```
/// use channelwise::stats::theil_sen;
/// let x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
/// let y = [1.0, 3.0, 5.0, 7.0, 100.0, 11.0]; // y = 1 + 2x with one outlier
/// let t = theil_sen(&x, &y, 0.05)?;
/// assert_eq!((t.slope, t.intercept), (2.0, 1.0));
/// assert!(t.low_slope <= 2.0 && 2.0 <= t.high_slope);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn theil_sen(x: &[f64], y: &[f64], alpha: f64) -> Result<TheilSen> {
    const WHAT: &str = "theil-sen slope";
    check_same_len("y", x.len(), y.len())?;
    check_len(WHAT, 2, x.len())?;
    check_finite("x", x)?;
    check_finite("y", y)?;
    check_range("alpha", alpha, 0.0, 0.5)?;
    if alpha == 0.0 {
        return Err(Error::param("alpha", alpha, "must be > 0 (the interval level is 1 - alpha)"));
    }
    let n = x.len();
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in 0..n {
            let dx = x[i] - x[j];
            if dx > 0.0 {
                let s = (y[i] - y[j]) / dx;
                if !s.is_finite() {
                    return Err(Error::NonFinite { field: format!("slope between points {j} and {i}"), value: s });
                }
                slopes.push(s);
            }
        }
    }
    super::sort_f64(&mut slopes);
    let slope = median_sorted(&slopes)
        .ok_or_else(|| Error::NotEnoughData { what: format!("{WHAT} (distinct values in x)"), required: 2, got: 1 })?;
    let mid = |v: &[f64]| median(v).ok_or_else(|| Error::Internal("median of a non-empty series".into()));
    let intercept = mid(y)? - slope * mid(x)?;
    if !intercept.is_finite() {
        return Err(Error::NonFinite { field: "intercept".into(), value: intercept });
    }

    // Sen (1968) eq. 2.6, in scipy's arithmetic: the integer part, then times 1/18.
    let (_, _, tx) = {
        let mut v = x.to_vec();
        super::sort_f64(&mut v);
        tie_stats(v.into_iter())
    };
    let (_, _, ty) = {
        let mut v = y.to_vec();
        super::sort_f64(&mut v);
        tie_stats(v.into_iter())
    };
    let nf = n as f64;
    let sigsq = 1.0 / 18.0 * (nf * (nf - 1.0) * (2.0 * nf + 5.0) - tx - ty);
    let nt = slopes.len();
    let last = nt - 1;
    let (low_slope, high_slope) = if sigsq >= 0.0 {
        let z = std_normal().inverse_cdf(alpha / 2.0);
        let sigma = sigsq.sqrt();
        let ntf = nt as f64;
        // float -> int casts saturate; the clamps keep both ranks inside the slopes
        let ru = (((ntf - z * sigma) / 2.0).round_ties_even() as i64).clamp(0, last as i64) as usize;
        let rl = ((((ntf + z * sigma) / 2.0).round_ties_even() as i64) - 1).clamp(0, last as i64) as usize;
        (slopes[rl], slopes[ru])
    } else {
        (slopes[0], slopes[last])
    };
    Ok(TheilSen { slope, intercept, low_slope, high_slope })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn brute_s(x: &[f64]) -> f64 {
        let mut s = 0.0;
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                s += (x[j] - x[i]).signum() * f64::from(u8::from(x[j] != x[i]));
            }
        }
        s
    }

    #[test]
    fn score_matches_pairwise_count() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0];
        assert_eq!(mann_kendall(&x, 0.05).unwrap().s, brute_s(&x));
    }

    #[test]
    fn constant_series_has_no_trend() {
        let mk = mann_kendall(&[2.0; 6], 0.05).unwrap();
        assert_eq!((mk.s, mk.z, mk.p, mk.var_s, mk.h, mk.trend), (0.0, 0.0, 1.0, 0.0, false, Trend::NoTrend));
    }

    #[test]
    fn decreasing_trend_detected() {
        let x: Vec<f64> = (0..20).map(|i| 100.0 - f64::from(i)).collect();
        let mk = mann_kendall(&x, 0.05).unwrap();
        assert_eq!((mk.trend, mk.tau), (Trend::Decreasing, -1.0));
        assert_eq!(mk.trend.as_str(), "decreasing");
    }

    #[test]
    fn theil_sen_errors() {
        assert_eq!(theil_sen(&[1.0, 1.0], &[1.0, 2.0], 0.05).unwrap_err().kind(), ErrorKind::NotEnoughData);
        assert_eq!(theil_sen(&[1.0, 2.0], &[1.0, 2.0], 0.95).unwrap_err().kind(), ErrorKind::OutOfRange);
        assert_eq!(theil_sen(&[1.0, 2.0], &[1.0, 2.0], 0.0).unwrap_err().kind(), ErrorKind::InvalidParameter);
        let e = theil_sen(&[0.0, 1.0], &[-1e308, 1e308], 0.05).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        let e = mann_kendall(&[1.0, f64::NAN, 2.0], 0.05).unwrap_err();
        assert_eq!(e.to_string(), "x[1] must be finite, got NaN");
    }

    #[test]
    fn heavy_ties_give_full_range_interval() {
        // x: one group of 5 and one of 1, y the same pattern: Sen's variance is negative
        let x = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        let y = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        let t = theil_sen(&x, &y, 0.05).unwrap();
        assert_eq!((t.slope, t.low_slope, t.high_slope), (1.0, 1.0, 1.0));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn never_panics_never_nan(
            x in prop::collection::vec(any::<f64>(), 0..30),
            y in prop::collection::vec(any::<f64>(), 0..30),
            alpha in any::<f64>(),
        ) {
            if let Ok(m) = mann_kendall(&x, alpha) {
                prop_assert!([m.p, m.z, m.tau, m.s, m.var_s].iter().all(|v| v.is_finite()), "{m:?}");
            }
            if let Ok(t) = theil_sen(&x, &y, alpha) {
                prop_assert!([t.slope, t.intercept, t.low_slope, t.high_slope].iter().all(|v| v.is_finite()));
                prop_assert!(t.low_slope <= t.high_slope);
            }
        }

        #[test]
        fn theil_sen_recovers_exact_line(
            a in -100i32..100,
            b in -100i32..100,
            xs in prop::collection::btree_set(-1000i32..1000, 2..40),
        ) {
            let x: Vec<f64> = xs.into_iter().map(f64::from).collect();
            let y: Vec<f64> = x.iter().map(|v| f64::from(a) + f64::from(b) * v).collect();
            let t = theil_sen(&x, &y, 0.05).unwrap();
            prop_assert_eq!(t.slope, f64::from(b));
            prop_assert_eq!(t.intercept, f64::from(a));
            prop_assert_eq!((t.low_slope, t.high_slope), (f64::from(b), f64::from(b)));
        }

        #[test]
        fn mann_kendall_score_is_pairwise(x in prop::collection::vec(-5i32..5, 3..40)) {
            let x: Vec<f64> = x.into_iter().map(f64::from).collect();
            let mk = mann_kendall(&x, 0.05).unwrap();
            prop_assert_eq!(mk.s, brute_s(&x));
            prop_assert!((0.0..=1.0).contains(&mk.p));
        }
    }

    fn brute_s(x: &[f64]) -> f64 {
        let mut s = 0.0;
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                if x[j] != x[i] {
                    s += (x[j] - x[i]).signum();
                }
            }
        }
        s
    }
}
