//! Forecast-residual alerts: actuals outside their prediction interval, each with the reason.
//!
//! Works with any model's output (an ETS forecast, a regression, a hand-made band): give the
//! actuals, the expected values and the interval bounds at one level.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::stats::{check_finite, check_same_len};

/// On which side of the interval an actual fell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Above the upper bound.
    Above,
    /// Below the lower bound.
    Below,
}

impl Direction {
    /// `"above"` or `"below"`.
    ///
    /// ```
    /// use channelwise::anomaly::residual::Direction;
    /// assert_eq!(Direction::Above.as_str(), "above");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Above => "above",
            Direction::Below => "below",
        }
    }
}

/// One actual outside its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidualAlert {
    /// Position in the input.
    pub index: usize,
    /// The observed value.
    pub actual: f64,
    /// The expected (forecast) value.
    pub expected: f64,
    /// Lower bound of the interval.
    pub lower: f64,
    /// Upper bound of the interval.
    pub upper: f64,
    /// Interval level in percent.
    pub level: f64,
    /// Standardised residual: `(actual - expected) / sd`, with `sd` implied by the crossed side
    /// of the interval, `(upper - expected) / z` or `(expected - lower) / z`, `z` the normal
    /// quantile of the level (so asymmetric intervals are handled). Infinite (signed) when
    /// that side has zero width.
    pub score: f64,
    /// Above or below.
    pub direction: Direction,
    /// A sentence saying why, e.g. `observed 310.0 is above the 95% interval [240.1, 290.3]
    /// around 265.2 (z = 3.4)`.
    pub reason: String,
}

/// Formats with about four significant digits.
fn fmt_num(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x:.1}");
    }
    let mag = x.abs().log10().floor() as i32;
    let decimals = (3 - mag).clamp(1, 8) as usize;
    format!("{x:.decimals$}")
}

/// The points of `actual` outside `[lower, upper]` (ends inside), in index order.
///
/// # Errors
/// [`Error::LengthMismatch`] naming `expected`, `lower` or `upper`; [`Error::NonFinite`]
/// naming `actual[i]` etc.; [`Error::OutOfRange`] naming `level` unless `0 < level < 100`, or
/// naming `expected[i]` when it lies outside its own interval.
///
/// ```
/// use channelwise::anomaly::residual::{residual_alerts, Direction};
/// let a = residual_alerts(&[250.0, 310.0], &[255.0, 265.2], &[230.0, 240.1], &[280.0, 290.3], 95.0)?;
/// assert_eq!(a.len(), 1);
/// assert_eq!(a[0].index, 1);
/// assert_eq!(a[0].direction, Direction::Above);
/// assert_eq!(a[0].reason, "observed 310.0 is above the 95% interval [240.1, 290.3] around 265.2 (z = 3.5)");
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn residual_alerts(actual: &[f64], expected: &[f64], lower: &[f64], upper: &[f64], level: f64) -> Result<Vec<ResidualAlert>> {
    crate::error::check_range("level", level, 0.0, 100.0)?;
    if level == 0.0 || level == 100.0 {
        return Err(Error::OutOfRange { field: "level".into(), value: level, min: 0.0, max: 100.0 });
    }
    let n = actual.len();
    check_same_len("expected", n, expected.len())?;
    check_same_len("lower", n, lower.len())?;
    check_same_len("upper", n, upper.len())?;
    check_finite("actual", actual)?;
    check_finite("expected", expected)?;
    check_finite("lower", lower)?;
    check_finite("upper", upper)?;
    for i in 0..n {
        if expected[i] < lower[i] || expected[i] > upper[i] {
            return Err(Error::OutOfRange { field: format!("expected[{i}]"), value: expected[i], min: lower[i], max: upper[i] });
        }
    }
    let z = crate::forecast::ets::z_of(level);
    let mut out = Vec::new();
    for i in 0..n {
        let (y, e, lo, hi) = (actual[i], expected[i], lower[i], upper[i]);
        let direction = if y > hi {
            Direction::Above
        } else if y < lo {
            Direction::Below
        } else {
            continue;
        };
        let half = match direction {
            Direction::Above => hi - e,
            Direction::Below => e - lo,
        };
        // halves first so a difference of huge values cannot overflow
        let resid = 0.5 * y - 0.5 * e;
        let score = if half > 0.0 {
            2.0 * resid / (half / z)
        } else if resid > 0.0 {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        };
        let reason = format!(
            "observed {} is {} the {}% interval [{}, {}] around {} (z = {:.1})",
            fmt_num(y),
            direction.as_str(),
            level,
            fmt_num(lo),
            fmt_num(hi),
            fmt_num(e),
            score
        );
        out.push(ResidualAlert { index: i, actual: y, expected: e, lower: lo, upper: hi, level, score, direction, reason });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_and_zero_width() {
        let a = residual_alerts(&[1.0, 5.0], &[3.0, 5.0], &[2.0, 5.0], &[4.0, 5.0], 80.0).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].direction, Direction::Below);
        assert!(a[0].score < -1.0);
        let a = residual_alerts(&[6.0], &[5.0], &[5.0], &[5.0], 80.0).unwrap();
        assert_eq!(a[0].score, f64::INFINITY);
        assert!(residual_alerts(&[6.0], &[5.0], &[5.0], &[5.0], 100.0).is_err());
        assert!(residual_alerts(&[6.0], &[7.0], &[5.0], &[6.0], 50.0).is_err());
    }
}
