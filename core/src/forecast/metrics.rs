//! Forecast accuracy: point errors (MAE, RMSE, MAPE, sMAPE, MASE), interval scores (coverage,
//! Winkler) and rolling-origin cross-validation.
//!
//! Every metric takes `actual` first and the forecast second, checks equal lengths and finite
//! values ([`Error::NonFinite`] names `actual[i]`, `predicted[i]`, ...), and never returns NaN:
//! where a metric is undefined (MAPE at a zero actual, MASE on a flat history) it is an error.
//! Percentage metrics are fractions (0.05 is 5%), as in scikit-learn and utilsforecast.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{check_range, Error, Result};
use crate::stats::{check_finite, check_len, check_same_len};

/// Validates a forecast against the actuals: same non-zero length, finite values.
fn check_pair(what: &str, actual: &[f64], predicted: &[f64]) -> Result<()> {
    check_same_len("predicted", actual.len(), predicted.len())?;
    check_len(what, 1, actual.len())?;
    check_finite("actual", actual)?;
    check_finite("predicted", predicted)
}

/// Mean of `f(i)` over `0..n`, `n > 0`.
fn mean_of(n: usize, f: impl Fn(usize) -> f64) -> f64 {
    (0..n).map(f).sum::<f64>() / n as f64
}

/// Mean absolute error, `mean |actual - predicted|`.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::NotEnoughData`] for empty input, [`Error::NonFinite`].
///
/// ```
/// use channelwise::forecast::metrics::mae;
/// assert_eq!(mae(&[1.0, 2.0, 3.0], &[2.0, 2.0, 1.0])?, 1.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn mae(actual: &[f64], predicted: &[f64]) -> Result<f64> {
    check_pair("mae", actual, predicted)?;
    Ok(mean_of(actual.len(), |i| (actual[i] - predicted[i]).abs()))
}

/// Root mean squared error, `sqrt(mean (actual - predicted)^2)`.
///
/// # Errors
/// As [`mae`].
///
/// ```
/// use channelwise::forecast::metrics::rmse;
/// assert_eq!(rmse(&[0.0, 0.0], &[3.0, -4.0])?, 12.5f64.sqrt());
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn rmse(actual: &[f64], predicted: &[f64]) -> Result<f64> {
    check_pair("rmse", actual, predicted)?;
    Ok(mean_of(actual.len(), |i| (actual[i] - predicted[i]).powi(2)).sqrt())
}

/// Mean absolute percentage error as a fraction, `mean |actual - predicted| / |actual|`.
///
/// # Errors
/// As [`mae`], and [`Error::InvalidRecord`] naming the first zero in `actual` (MAPE divides by
/// it; use [`smape`] or [`mase`] for series with zeros).
///
/// ```
/// use channelwise::forecast::metrics::mape;
/// assert!((mape(&[100.0, 200.0], &[110.0, 180.0])? - 0.1).abs() < 1e-15);
/// assert_eq!(mape(&[0.0, 1.0], &[1.0, 1.0]).unwrap_err().kind().code(), "invalid_record");
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn mape(actual: &[f64], predicted: &[f64]) -> Result<f64> {
    check_pair("mape", actual, predicted)?;
    if let Some(i) = actual.iter().position(|a| *a == 0.0) {
        return Err(Error::InvalidRecord {
            row: i,
            column: "actual".into(),
            value: actual[i].to_string(),
            reason: "MAPE divides by the actual value; use smape or mase".into(),
        });
    }
    Ok(mean_of(actual.len(), |i| ((actual[i] - predicted[i]) / actual[i]).abs()))
}

/// Symmetric MAPE as a fraction in [0, 2] (the M3/M4 definition without the factor 100):
/// `mean 2 |actual - predicted| / (|actual| + |predicted|)`, a term with both zero counting 0.
///
/// (utilsforecast's `smape` omits the 2 and lies in [0, 1]; halve this to compare.)
///
/// # Errors
/// As [`mae`].
///
/// ```
/// use channelwise::forecast::metrics::smape;
/// assert!((smape(&[100.0, 0.0], &[300.0, 0.0])? - 0.5).abs() < 1e-15); // (1 + 0) / 2
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn smape(actual: &[f64], predicted: &[f64]) -> Result<f64> {
    check_pair("smape", actual, predicted)?;
    Ok(mean_of(actual.len(), |i| {
        let (a, p) = (actual[i], predicted[i]);
        let d = a.abs() + p.abs();
        if d == 0.0 {
            0.0
        } else {
            // halves first so |a| + |p| cannot overflow
            2.0 * ((0.5 * a - 0.5 * p).abs() / (0.5 * a.abs() + 0.5 * p.abs()))
        }
    }))
}

/// Mean absolute scaled error: MAE divided by the in-sample MAE of the seasonal naive forecast,
/// `mean_{t >= m} |insample[t] - insample[t - m]|` (Hyndman & Koehler 2006; `m = 1` for
/// non-seasonal data).
///
/// # Errors
/// As [`mae`]; [`Error::OutOfRange`] if `m = 0`; [`Error::NotEnoughData`] if `insample` has no
/// more than `m` values; [`Error::NonFinite`] naming `insample[i]`; [`Error::InvalidParameter`]
/// if the in-sample naive error is 0 (a flat or exactly periodic history: the scale is undefined).
///
/// ```
/// use channelwise::forecast::metrics::mase;
/// let history = [1.0, 3.0, 2.0, 4.0]; // naive errors 2, 1, 2: scale 5/3
/// let m = mase(&[5.0, 6.0], &[4.0, 4.0], &history, 1)?; // MAE 1.5
/// assert!((m - 0.9).abs() < 1e-15);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn mase(actual: &[f64], predicted: &[f64], insample: &[f64], m: usize) -> Result<f64> {
    let mae = mae(actual, predicted)?;
    if m == 0 {
        return Err(Error::OutOfRange { field: "m".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
    }
    check_len("mase in-sample scale (needs m + 1 values)", m + 1, insample.len())?;
    check_finite("insample", insample)?;
    let scale = mean_of(insample.len() - m, |t| (insample[t + m] - insample[t]).abs());
    if scale == 0.0 || !scale.is_finite() {
        return Err(Error::param("insample", format!("seasonal naive error {scale} (m = {m})"), "MASE needs a non-zero, finite scale"));
    }
    Ok(mae / scale)
}

/// Validates prediction intervals against the actuals: same lengths, finite, `lower <= upper`.
fn check_interval(what: &str, actual: &[f64], lower: &[f64], upper: &[f64]) -> Result<()> {
    check_same_len("lower", actual.len(), lower.len())?;
    check_same_len("upper", actual.len(), upper.len())?;
    check_len(what, 1, actual.len())?;
    check_finite("actual", actual)?;
    check_finite("lower", lower)?;
    check_finite("upper", upper)?;
    if let Some(i) = (0..actual.len()).find(|&i| lower[i] > upper[i]) {
        return Err(Error::OutOfRange {
            field: format!("upper[{i}]"),
            value: upper[i],
            min: lower[i],
            max: f64::INFINITY,
        });
    }
    Ok(())
}

/// Fraction of actuals inside their prediction interval `[lower, upper]` (ends included).
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::NotEnoughData`] for empty input, [`Error::NonFinite`],
/// [`Error::OutOfRange`] naming `upper[i]` if it is below `lower[i]`.
///
/// ```
/// use channelwise::forecast::metrics::coverage;
/// assert_eq!(coverage(&[1.0, 5.0, 3.0, 2.0], &[0.0, 0.0, 3.0, 2.5], &[2.0, 4.0, 4.0, 3.0])?, 0.5);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn coverage(actual: &[f64], lower: &[f64], upper: &[f64]) -> Result<f64> {
    check_interval("coverage", actual, lower, upper)?;
    Ok(mean_of(actual.len(), |i| f64::from(u8::from(lower[i] <= actual[i] && actual[i] <= upper[i]))))
}

/// Mean Winkler (interval) score of `1 - alpha` prediction intervals: width, plus
/// `2/alpha` times the distance by which the actual falls outside (Winkler 1972; Gneiting &
/// Raftery 2007, eq. 43). Lower is better.
///
/// # Errors
/// As [`coverage`], and [`Error::OutOfRange`] / [`Error::InvalidParameter`] unless `0 < alpha < 1`.
///
/// ```
/// use channelwise::forecast::metrics::winkler;
/// // inside: width 2; below by 1 at alpha 0.2: 2 + 2/0.2 * 1 = 12
/// assert!((winkler(&[1.0, -1.0], &[0.0, 0.0], &[2.0, 2.0], 0.2)? - 7.0).abs() < 1e-12);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn winkler(actual: &[f64], lower: &[f64], upper: &[f64], alpha: f64) -> Result<f64> {
    check_range("alpha", alpha, 0.0, 1.0)?;
    if alpha == 0.0 || alpha == 1.0 {
        return Err(Error::param("alpha", alpha, "must be strictly between 0 and 1 (interval level 1 - alpha)"));
    }
    check_interval("winkler score", actual, lower, upper)?;
    Ok(mean_of(actual.len(), |i| {
        let (y, l, u) = (actual[i], lower[i], upper[i]);
        let miss = if y < l {
            l - y
        } else if y > u {
            y - u
        } else {
            0.0
        };
        // skip the penalty term when inside: 2 / alpha overflows for subnormal alpha, and inf * 0 is NaN
        if miss > 0.0 {
            (u - l) + 2.0 / alpha * miss
        } else {
            u - l
        }
    }))
}

/// Rolling-origin (time-series) cross-validation splits.
///
/// Fold `i` trains on `0..initial + i * step` and tests on the next `horizon` points; folds stop
/// when the test window would run past the series.
///
/// | Name | Meaning | Range |
/// |---|---|---|
/// | `initial` | length of the first training window | >= 1 |
/// | `horizon` | forecast steps evaluated per fold | >= 1 |
/// | `step` | how far the origin moves between folds | >= 1 |
///
/// ```
/// use channelwise::forecast::metrics::RollingOrigin;
/// let cv = RollingOrigin::new(4, 2, 1)?;
/// let folds: Vec<_> = cv.splits(7)?.collect();
/// assert_eq!(folds, [(0..4, 4..6), (0..5, 5..7)]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollingOrigin {
    initial: usize,
    horizon: usize,
    step: usize,
}

/// Errors of a rolling-origin evaluation, by fold and by horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollingOriginErrors {
    /// Forecast origin of each fold (the length of its training window).
    pub origins: Vec<usize>,
    /// `errors[fold][h]` is `actual - forecast` at `h + 1` steps ahead.
    pub errors: Vec<Vec<f64>>,
    /// Mean absolute error at each horizon `1..=horizon`, over folds.
    pub mae: Vec<f64>,
    /// Root mean squared error at each horizon, over folds.
    pub rmse: Vec<f64>,
}

impl RollingOrigin {
    /// Creates a split scheme.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] naming `initial`, `horizon` or `step` if it is 0.
    ///
    /// ```
    /// use channelwise::forecast::metrics::RollingOrigin;
    /// assert!(RollingOrigin::new(10, 0, 1).is_err());
    /// let cv = RollingOrigin::new(10, 3, 2)?;
    /// assert_eq!(cv.n_folds(15), 2); // origins 10 and 12
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn new(initial: usize, horizon: usize, step: usize) -> Result<Self> {
        for (f, v) in [("initial", initial), ("horizon", horizon), ("step", step)] {
            if v == 0 {
                return Err(Error::OutOfRange { field: f.into(), value: 0.0, min: 1.0, max: f64::INFINITY });
            }
        }
        Ok(RollingOrigin { initial, horizon, step })
    }

    /// Number of folds for a series of length `n` (0 if `n < initial + horizon`).
    ///
    /// ```
    /// use channelwise::forecast::metrics::RollingOrigin;
    /// assert_eq!(RollingOrigin::new(5, 2, 1)?.n_folds(6), 0);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn n_folds(&self, n: usize) -> usize {
        match n.checked_sub(self.initial + self.horizon) {
            Some(extra) => extra / self.step + 1,
            None => 0,
        }
    }

    /// The `(train, test)` index ranges for a series of length `n`.
    ///
    /// # Errors
    /// [`Error::NotEnoughData`] if `n < initial + horizon` (not even one fold).
    ///
    /// ```
    /// use channelwise::forecast::metrics::RollingOrigin;
    /// let folds: Vec<_> = RollingOrigin::new(3, 1, 2)?.splits(8)?.collect();
    /// assert_eq!(folds, [(0..3, 3..4), (0..5, 5..6), (0..7, 7..8)]);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn splits(&self, n: usize) -> Result<impl Iterator<Item = (Range<usize>, Range<usize>)> + use<>> {
        let folds = self.n_folds(n);
        check_len("rolling-origin split (initial + horizon)", self.initial + self.horizon, n)?;
        let RollingOrigin { initial, horizon, step } = *self;
        Ok((0..folds).map(move |i| {
            let origin = initial + i * step;
            (0..origin, origin..origin + horizon)
        }))
    }

    /// Runs `fit_predict(train, horizon)` on every fold of `y` and collects the forecast errors.
    ///
    /// # Errors
    /// [`Error::NonFinite`] naming `y[i]`; the errors of [`RollingOrigin::splits`]; any error
    /// `fit_predict` returns; [`Error::LengthMismatch`] if it returns other than `horizon` values
    /// and [`Error::NonFinite`] (`forecast[h]`) if one is not finite.
    ///
    /// ```
    /// use channelwise::forecast::metrics::RollingOrigin;
    /// let y: Vec<f64> = (0..10).map(f64::from).collect();
    /// // naive forecast: repeat the last value; on a unit ramp the error at h steps is h
    /// let naive = |train: &[f64], h: usize| Ok(vec![train[train.len() - 1]; h]);
    /// let cv = RollingOrigin::new(5, 3, 1)?.evaluate(&y, naive)?;
    /// assert_eq!(cv.origins, [5, 6, 7]);
    /// assert_eq!(cv.mae, [1.0, 2.0, 3.0]);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn evaluate<F>(&self, y: &[f64], mut fit_predict: F) -> Result<RollingOriginErrors>
    where
        F: FnMut(&[f64], usize) -> Result<Vec<f64>>,
    {
        check_finite("y", y)?;
        let mut origins = Vec::new();
        let mut errors = Vec::new();
        for (train, test) in self.splits(y.len())? {
            let forecast = fit_predict(&y[train.clone()], self.horizon)?;
            check_same_len("forecast", self.horizon, forecast.len())?;
            check_finite("forecast", &forecast)?;
            errors.push(y[test].iter().zip(&forecast).map(|(a, f)| a - f).collect::<Vec<f64>>());
            origins.push(train.end);
        }
        let folds = errors.len() as f64;
        let by_h = |f: fn(f64) -> f64| -> Vec<f64> {
            (0..self.horizon).map(|h| errors.iter().map(|e| f(e[h])).sum::<f64>() / folds).collect()
        };
        let mae = by_h(f64::abs);
        let rmse = by_h(|e| e * e).into_iter().map(f64::sqrt).collect();
        Ok(RollingOriginErrors { origins, errors, mae, rmse })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn errors_name_fields() {
        let e = mae(&[1.0, f64::NAN], &[1.0, 2.0]).unwrap_err();
        assert_eq!(e.to_string(), "actual[1] must be finite, got NaN");
        let e = rmse(&[1.0], &[1.0, 2.0]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LengthMismatch);
        assert_eq!(mae(&[], &[]).unwrap_err().kind(), ErrorKind::NotEnoughData);
        let e = mape(&[1.0, 0.0], &[1.0, 1.0]).unwrap_err();
        assert!(e.to_string().contains("row 1, column actual"), "{e}");
        let e = mase(&[1.0], &[1.0], &[2.0, 2.0, 2.0], 1).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        assert_eq!(mase(&[1.0], &[1.0], &[2.0, 3.0], 2).unwrap_err().kind(), ErrorKind::NotEnoughData);
        let e = coverage(&[1.0], &[2.0], &[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "upper[0] must be in [2, inf], got 1");
        assert_eq!(winkler(&[1.0], &[0.0], &[2.0], 1.0).unwrap_err().kind(), ErrorKind::InvalidParameter);
    }

    #[test]
    fn smape_handles_extremes() {
        assert_eq!(smape(&[f64::MAX], &[-f64::MAX]).unwrap(), 2.0);
        assert_eq!(smape(&[0.0], &[0.0]).unwrap(), 0.0);
    }

    #[test]
    fn rolling_origin_checks_forecasts() {
        let y = [1.0, 2.0, 3.0, 4.0];
        let cv = RollingOrigin::new(2, 2, 1).unwrap();
        let e = cv.evaluate(&y, |_, _| Ok(vec![1.0])).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LengthMismatch);
        let e = cv.evaluate(&y, |_, h| Ok(vec![f64::NAN; h])).unwrap_err();
        assert_eq!(e.to_string(), "forecast[0] must be finite, got NaN");
        let e = cv.evaluate(&y, |_, _| Err(Error::Internal("model".into()))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Internal);
        assert_eq!(cv.splits(3).err().map(|e| e.kind()), Some(ErrorKind::NotEnoughData));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn metrics_never_nan(
            a in prop::collection::vec(any::<f64>(), 0..20),
            p in prop::collection::vec(any::<f64>(), 0..20),
            alpha in any::<f64>(),
            m in 0usize..4,
        ) {
            let lo: Vec<f64> = a.iter().zip(&p).map(|(x, y)| x.min(*y)).collect();
            let hi: Vec<f64> = a.iter().zip(&p).map(|(x, y)| x.max(*y)).collect();
            let results = [
                mae(&a, &p), rmse(&a, &p), mape(&a, &p), smape(&a, &p), mase(&a, &p, &p, m),
                coverage(&a, &lo, &hi), winkler(&a, &lo, &hi, alpha),
            ];
            for v in results.into_iter().flatten() {
                prop_assert!(!v.is_nan() && v >= 0.0, "{v}");
            }
        }

        #[test]
        fn folds_tile_the_series(initial in 1usize..20, horizon in 1usize..6, step in 1usize..5, n in 0usize..60) {
            let cv = RollingOrigin::new(initial, horizon, step).unwrap();
            match cv.splits(n) {
                Ok(folds) => {
                    let folds: Vec<_> = folds.collect();
                    prop_assert_eq!(folds.len(), cv.n_folds(n));
                    for (i, (train, test)) in folds.iter().enumerate() {
                        prop_assert_eq!(train.start, 0);
                        prop_assert_eq!(train.end, initial + i * step);
                        prop_assert_eq!(test.start, train.end);
                        prop_assert!(test.end <= n && test.len() == horizon);
                    }
                    // one more step would run past the end
                    prop_assert!(initial + folds.len() * step + horizon > n);
                }
                Err(e) => prop_assert!(n < initial + horizon && e.kind() == crate::ErrorKind::NotEnoughData),
            }
        }
    }
}
