//! Robust outlier detectors: the scaled MAD, robust z-scores, the Hampel filter, the generalized
//! ESD test (Rosner 1983) and the seasonal hybrid ESD (Hochenbaum, Vallis & Kejariwal 2017,
//! Twitter's AnomalyDetection).
//!
//! Every detector validates its input once (finite values, parameters in range, enough points)
//! and is deterministic. Robust scales use the normal-consistent MAD,
//! `median |x - median(x)| / Phi^-1(3/4)`, the same number as
//! `scipy.stats.median_abs_deviation(x, scale="normal")` (R's `mad()` rounds the constant to
//! 1.4826).
//!
//! ```
//! use channelwise::anomaly::robust::{Hampel, SeasonalEsd};
//! let mut y: Vec<f64> = (0..56).map(|t| [5.0, 7.0, 6.0, 9.0, 8.0, 3.0, 2.0][t % 7] + 0.01 * t as f64).collect();
//! y[30] += 20.0;
//! let h = Hampel::new(3, 3.0).detect(&y)?;
//! assert!(h.outliers.contains(&30));
//! let e = SeasonalEsd::new(7).max_anoms(0.1).alpha(0.05).detect(&y)?;
//! assert_eq!(e.esd.anomalies[0].index, 30);
//! # Ok::<(), channelwise::Error>(())
//! ```

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{check_range, Error, Result};
use crate::forecast::decompose::Stl;
use crate::stats::{check_finite, check_len, median, student_t_isf};

/// `Phi^-1(3/4)`: the MAD of a standard normal (scipy's `special.ndtri(0.75)`).
pub const MAD_NORMAL: f64 = 0.674_489_750_196_081_7;

/// Median of a slice of finite values (internal; the slice is not empty).
fn med(x: &[f64]) -> f64 {
    median(x).unwrap_or(f64::NAN)
}

/// Raw median absolute deviation about `centre`.
fn raw_mad(x: &[f64], centre: f64) -> f64 {
    let dev: Vec<f64> = x.iter().map(|v| (v - centre).abs()).collect();
    med(&dev)
}

/// The normal-consistent median absolute deviation, `median |x - median(x)| / 0.67449...`, as
/// `scipy.stats.median_abs_deviation(x, scale="normal")`. 0 when more than half the values tie.
///
/// # Errors
/// [`Error::NotEnoughData`] for an empty slice; [`Error::NonFinite`] naming `x[i]`.
///
/// ```
/// use channelwise::anomaly::robust::mad;
/// let m = mad(&[1.0, 2.0, 3.0, 4.0, 100.0])?;
/// assert!((m - 1.0 / 0.6744897501960817).abs() < 1e-15);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn mad(x: &[f64]) -> Result<f64> {
    check_len("median absolute deviation", 1, x.len())?;
    check_finite("x", x)?;
    Ok(raw_mad(x, med(x)) / MAD_NORMAL)
}

/// Outliers by robust z-score, `z_i = (x_i - median) / scale` with `scale` the normal-consistent
/// MAD (Iglewicz & Hoaglin 1993's modified z-score); a point is an outlier when `|z_i| > threshold`.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `threshold` | 3.5 | Cut-off on `|z|` (Iglewicz & Hoaglin's recommendation) | finite, `>= 0` |
///
/// When the MAD is 0 (more than half the values equal the median) the scale falls back to the
/// mean absolute deviation about the median times `sqrt(pi / 2)` (its normal-consistent form, the
/// convention of IBM SPSS's modified z-score); when that is 0 too (a constant series) every score
/// is 0 and nothing is flagged.
///
/// ```
/// use channelwise::anomaly::robust::MadDetector;
/// let r = MadDetector::new().threshold(3.5).detect(&[10.0, 11.0, 9.0, 10.5, 9.5, 30.0])?;
/// assert_eq!(r.outliers, vec![5]);
/// assert_eq!(r.median, 10.25);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MadDetector {
    threshold: f64,
}

impl Default for MadDetector {
    fn default() -> Self {
        MadDetector { threshold: 3.5 }
    }
}

/// What [`MadDetector::detect`] finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MadDetection {
    /// Median of the series.
    pub median: f64,
    /// Normal-consistent MAD (may be 0).
    pub mad: f64,
    /// The scale the scores divide by: `mad`, or the fallback when `mad` is 0 (0 for a constant series).
    pub scale: f64,
    /// Robust z-score of every point (0 everywhere when `scale` is 0).
    pub scores: Vec<f64>,
    /// Indices with `|score| > threshold`, ascending.
    pub outliers: Vec<usize>,
}

impl MadDetector {
    /// A detector with the default threshold 3.5.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the cut-off on `|z|`.
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self
    }

    /// Scores every point and flags the outliers.
    ///
    /// # Errors
    /// [`Error::NotEnoughData`] for an empty series; [`Error::NonFinite`] naming `x[i]` or a
    /// non-finite `threshold`; [`Error::OutOfRange`] for a negative `threshold`.
    pub fn detect(&self, x: &[f64]) -> Result<MadDetection> {
        check_range("threshold", self.threshold, 0.0, f64::INFINITY)?;
        check_len("robust z-scores", 1, x.len())?;
        check_finite("x", x)?;
        let f = pow2_factor(x);
        let xs: Vec<f64> = x.iter().map(|v| v * f).collect();
        let median = med(&xs);
        let mad = raw_mad(&xs, median) / MAD_NORMAL;
        let scale = if mad > 0.0 {
            mad
        } else {
            let n = xs.len() as f64;
            xs.iter().map(|v| (v - median).abs() / n).sum::<f64>() * std::f64::consts::FRAC_PI_2.sqrt()
        };
        let scores: Vec<f64> = if scale > 0.0 {
            xs.iter().map(|v| (v - median) / scale).collect()
        } else {
            vec![0.0; x.len()]
        };
        let outliers = (0..x.len()).filter(|&i| scores[i].abs() > self.threshold).collect();
        Ok(MadDetection { median: median / f, mad: mad / f, scale: scale / f, scores, outliers })
    }
}

/// The Hampel filter: a point is an outlier when it lies more than `n_sigmas` robust standard
/// deviations from the median of its window, and is then replaced by that median.
///
/// The window of point `i` is `x[i - k ..= i + k]`, **truncated at the ends of the series** (the
/// first and last `k` points use the part of the window that exists, like pandas'
/// `rolling(2k + 1, center=True, min_periods=1)`), so every point is tested. The scale is the
/// window's normal-consistent MAD (`1.4826 * MAD`). The test is strict, `|x_i - m_i| > t s_i`: in
/// a window whose MAD is 0, any point differing from the median is flagged.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `half_window` (k) | (required) | Points on each side of the centre | `>= 1` |
/// | `n_sigmas` (t) | (required, 3 is usual) | Threshold in robust standard deviations | finite, `>= 0` |
///
/// ```
/// use channelwise::anomaly::robust::Hampel;
/// let r = Hampel::new(2, 3.0).detect(&[1.0, 1.1, 0.9, 8.0, 1.0, 1.2, 0.8])?;
/// assert_eq!(r.outliers, vec![3]);
/// assert_eq!(r.filtered[3], 1.1); // the median of 1.1, 0.9, 8.0, 1.0, 1.2
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hampel {
    half_window: usize,
    n_sigmas: f64,
}

/// What [`Hampel::detect`] finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HampelDetection {
    /// The series with every outlier replaced by its window median.
    pub filtered: Vec<f64>,
    /// Outlier indices, ascending.
    pub outliers: Vec<usize>,
    /// Outlier flag per point.
    pub is_outlier: Vec<bool>,
    /// Rolling (truncated-window) median per point.
    pub medians: Vec<f64>,
    /// Rolling normal-consistent MAD per point.
    pub scales: Vec<f64>,
}

impl Hampel {
    /// A Hampel filter with half-window `k` and threshold `n_sigmas` (checked in `detect`).
    pub fn new(half_window: usize, n_sigmas: f64) -> Self {
        Hampel { half_window, n_sigmas }
    }

    /// Sets the half-window `k`.
    pub fn half_window(mut self, k: usize) -> Self {
        self.half_window = k;
        self
    }

    /// Sets the threshold `t`.
    pub fn n_sigmas(mut self, t: f64) -> Self {
        self.n_sigmas = t;
        self
    }

    /// Filters `x`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `half_window` 0 or a negative `n_sigmas`; [`Error::NonFinite`]
    /// for a non-finite `n_sigmas` or `x[i]`; [`Error::NotEnoughData`] for an empty series.
    pub fn detect(&self, x: &[f64]) -> Result<HampelDetection> {
        if self.half_window == 0 {
            return Err(Error::OutOfRange { field: "half_window".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
        }
        check_range("n_sigmas", self.n_sigmas, 0.0, f64::INFINITY)?;
        check_len("hampel filter", 1, x.len())?;
        check_finite("x", x)?;
        let n = x.len();
        let k = self.half_window;
        let mut filtered = x.to_vec();
        let mut medians = Vec::with_capacity(n);
        let mut scales = Vec::with_capacity(n);
        let mut is_outlier = vec![false; n];
        let mut buf = Vec::with_capacity(2 * k.min(n) + 1);
        for i in 0..n {
            let (lo, hi) = (i.saturating_sub(k), (i.saturating_add(k)).min(n - 1));
            buf.clear();
            buf.extend_from_slice(&x[lo..=hi]);
            let m = med(&buf);
            for v in buf.iter_mut() {
                *v = (*v - m).abs();
            }
            let s = med(&buf) / MAD_NORMAL;
            if (x[i] - m).abs() > self.n_sigmas * s {
                is_outlier[i] = true;
                filtered[i] = m;
            }
            medians.push(m);
            scales.push(s);
        }
        let outliers = (0..n).filter(|&i| is_outlier[i]).collect();
        Ok(HampelDetection { filtered, outliers, is_outlier, medians, scales })
    }
}

/// Which side of the centre counts as anomalous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Direction {
    /// Only values above the centre (one-sided test).
    #[serde(rename = "pos")]
    Pos,
    /// Only values below the centre (one-sided test).
    #[serde(rename = "neg")]
    Neg,
    /// Both sides (two-sided test).
    #[default]
    #[serde(rename = "both")]
    Both,
}

impl Direction {
    /// `"pos"`, `"neg"` or `"both"` (Twitter AnomalyDetection's names).
    ///
    /// ```
    /// use channelwise::anomaly::robust::Direction;
    /// assert_eq!("neg".parse::<Direction>()?.as_str(), "neg");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Pos => "pos",
            Direction::Neg => "neg",
            Direction::Both => "both",
        }
    }
}

impl FromStr for Direction {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "pos" => Ok(Direction::Pos),
            "neg" => Ok(Direction::Neg),
            "both" => Ok(Direction::Both),
            other => Err(Error::param("direction", other, "must be \"pos\", \"neg\" or \"both\"")),
        }
    }
}

/// One anomaly found by an ESD test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Anomaly {
    /// Index in the series.
    pub index: usize,
    /// The observed value.
    pub value: f64,
    /// What the model expected there: the centre at the step that removed it (plus, for the
    /// seasonal ESD, the seasonal component and the series median).
    pub expected: f64,
    /// The test statistic `R` of that step: the point's distance from the centre in scales.
    pub score: f64,
    /// The ESD step (0-based) that removed it.
    pub step: usize,
}

/// The result of a generalized ESD test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EsdResult {
    /// The anomalies, by ascending index.
    pub anomalies: Vec<Anomaly>,
    /// Number of anomalies: the largest step `i` (1-based) with `R_i > lambda_i`.
    pub n_anomalies: usize,
    /// Test statistic `R_i` of each step run.
    pub statistics: Vec<f64>,
    /// Critical value `lambda_i` of each step run.
    pub critical_values: Vec<f64>,
    /// Index removed at each step run (anomalous or not).
    pub removed: Vec<usize>,
}

impl EsdResult {
    /// Indices of the anomalies, ascending.
    pub fn indices(&self) -> Vec<usize> {
        self.anomalies.iter().map(|a| a.index).collect()
    }
}

/// Checks `max_anoms` in (0, 0.5] and `alpha` in (0, 1), and returns the number of steps.
fn esd_steps(n: usize, max_anoms: f64, alpha: f64) -> Result<usize> {
    check_range("max_anoms", max_anoms, 0.0, 0.5)?;
    if max_anoms == 0.0 {
        return Err(Error::param("max_anoms", max_anoms, "must be > 0"));
    }
    check_range("alpha", alpha, 0.0, 1.0)?;
    if alpha == 0.0 || alpha == 1.0 {
        return Err(Error::param("alpha", alpha, "must be strictly between 0 and 1"));
    }
    check_len("ESD test", 3, n)?;
    let r = (n as f64 * max_anoms).floor() as usize;
    if r == 0 {
        return Err(Error::NotEnoughData {
            what: format!("ESD test with max_anoms {max_anoms} (at least one step)"),
            required: (1.0 / max_anoms).ceil() as usize,
            got: n,
        });
    }
    Ok(r)
}

/// Exact power-of-two factor bringing the largest magnitude of `x` near 1 when it is far from it,
/// so that sums of squares neither overflow nor underflow (the ESD statistics and robust z-scores
/// are scale-free, so this changes no result beyond rounding).
fn pow2_factor(x: &[f64]) -> f64 {
    let m = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if m.is_nan() || m <= 0.0 || !m.is_finite() {
        return 1.0;
    }
    let e = m.log2().floor().clamp(-1000.0, 1000.0) as i32;
    if (-300..=300).contains(&e) {
        1.0
    } else {
        2f64.powi(-e)
    }
}

/// The ESD loop on `x` (finite, `r` valid); `robust` uses median/MAD instead of mean/sd.
fn esd_core(x: &[f64], r: usize, alpha: f64, direction: Direction, robust: bool) -> Result<(EsdResult, Vec<f64>)> {
    let n = x.len();
    let f = pow2_factor(x);
    let mut idx: Vec<usize> = (0..n).collect();
    let mut vals: Vec<f64> = x.iter().map(|v| v * f).collect();
    let (mut statistics, mut critical_values, mut removed, mut centres) = (vec![], vec![], vec![], vec![]);
    let mut n_anomalies = 0;
    for i in 1..=r {
        let m = vals.len() as f64;
        let (centre, sigma) = if robust {
            let c = med(&vals);
            (c, raw_mad(&vals, c) / MAD_NORMAL)
        } else {
            let c = vals.iter().map(|v| v / m).sum::<f64>();
            (c, (vals.iter().map(|v| (v - c) * (v - c)).sum::<f64>() / (m - 1.0)).sqrt())
        };
        if sigma.is_nan() || sigma <= 0.0 || !sigma.is_finite() {
            break;
        }
        let dev = |v: f64| match direction {
            Direction::Pos => v - centre,
            Direction::Neg => centre - v,
            Direction::Both => (v - centre).abs(),
        };
        let mut best = 0;
        for j in 1..vals.len() {
            if dev(vals[j]) > dev(vals[best]) {
                best = j;
            }
        }
        let stat = dev(vals[best]) / sigma;
        let nf = n as f64;
        let i_f = i as f64;
        // upper-tail probability; the quantile is taken from the lower tail by symmetry so that a
        // tiny alpha (1 - tail rounds to 1) still gives a finite quantile
        let tail = match direction {
            Direction::Both => alpha / (2.0 * (nf - i_f + 1.0)),
            _ => alpha / (nf - i_f + 1.0),
        };
        let df = nf - i_f - 1.0;
        let t = student_t_isf(df, tail)?;
        // t (n-i) / sqrt((df + t²)(n-i+1)), written so that t → ∞ gives the finite limit
        let lambda = if t.is_finite() {
            t * (nf - i_f) / ((df + t * t) * (nf - i_f + 1.0)).sqrt()
        } else {
            (nf - i_f) / (nf - i_f + 1.0).sqrt()
        };
        statistics.push(stat);
        critical_values.push(lambda);
        removed.push(idx[best]);
        centres.push(centre / f);
        if stat > lambda {
            n_anomalies = i;
        }
        idx.remove(best);
        vals.remove(best);
    }
    let mut anomalies: Vec<Anomaly> = (0..n_anomalies)
        .map(|s| Anomaly {
            index: removed[s],
            value: x[removed[s]],
            expected: centres[s],
            score: statistics[s],
            step: s,
        })
        .collect();
    crate::stats::sort_by_f64_key(&mut anomalies, |a| a.index as f64);
    Ok((EsdResult { anomalies, n_anomalies, statistics, critical_values, removed }, centres))
}

/// The generalized ESD test for up to `floor(max_anoms * n)` outliers (Rosner 1983).
///
/// Step `i = 1..=r` removes the point farthest from the mean of the remaining `n - i + 1`
/// points, in sample standard deviations (`R_i`), and compares it with
/// `lambda_i = (n - i) t / sqrt((n - i - 1 + t^2)(n - i + 1))`, `t` the `p` quantile of Student's
/// t with `n - i - 1` degrees of freedom, `p = 1 - alpha / (2 (n - i + 1))` (two-sided) or
/// `1 - alpha / (n - i + 1)` (one-sided). The anomalies are the points removed in the first
/// `k` steps, `k` the largest `i` with `R_i > lambda_i`. The loop stops early if the remaining
/// points are all equal. One-sided directions measure `x - mean` (`Pos`) or `mean - x` (`Neg`).
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `max_anoms` | 0.1 | Largest share of the series that may be anomalous | `(0, 0.5]` |
/// | `alpha` | 0.05 | Significance level | `(0, 1)` |
/// | `direction` | `Both` | Which side is anomalous | `Pos`, `Neg`, `Both` |
///
/// ```
/// use channelwise::anomaly::robust::Esd;
/// let mut y: Vec<f64> = (0..40).map(|t| ((t * 7) % 11) as f64).collect();
/// y[12] = 60.0;
/// let r = Esd::new().detect(&y)?;
/// assert_eq!(r.indices(), vec![12]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Esd {
    max_anoms: f64,
    alpha: f64,
    direction: Direction,
}

impl Default for Esd {
    fn default() -> Self {
        Esd { max_anoms: 0.1, alpha: 0.05, direction: Direction::Both }
    }
}

impl Esd {
    /// The test with default parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the largest anomalous share, in `(0, 0.5]`.
    pub fn max_anoms(mut self, max_anoms: f64) -> Self {
        self.max_anoms = max_anoms;
        self
    }

    /// Sets the significance level, in `(0, 1)`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Sets the direction.
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = direction;
        self
    }

    /// Runs the test on `x`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] / [`Error::InvalidParameter`] for `max_anoms` outside `(0, 0.5]` or
    /// `alpha` outside `(0, 1)`; [`Error::NotEnoughData`] for fewer than 3 values or when
    /// `floor(max_anoms * n)` is 0; [`Error::NonFinite`] naming `x[i]`.
    pub fn detect(&self, x: &[f64]) -> Result<EsdResult> {
        let r = esd_steps(x.len(), self.max_anoms, self.alpha)?;
        check_finite("x", x)?;
        Ok(esd_core(x, r, self.alpha, self.direction, false)?.0)
    }
}

/// Seasonal hybrid ESD (Hochenbaum, Vallis & Kejariwal 2017; Twitter's AnomalyDetection
/// `AnomalyDetectionVec`): the generalized ESD with median and MAD on the residual
/// `x - seasonal - median(x)`.
///
/// The seasonal component is, by default, Twitter's: R's `stl(x, s.window = "periodic",
/// robust = TRUE)` averaged per position in the cycle. In [`Stl`] terms (see
/// [`SeasonalEsd::periodic_stl`]): seasonal window `10 n + 1` of degree 0 with jump `n + 1`,
/// R's jumps `ceil(window / 10)` for the trend and low-pass windows (statsmodels' default
/// windows), 1 inner and 15 robustness iterations. The one difference from R: for an odd period
/// R's low-pass window is the period itself, here (as statsmodels requires) the next odd number. [`SeasonalEsd::stl`] replaces it with any STL (used as
/// is, without the averaging). An anomaly's `expected` is `seasonal + median(x) + centre`.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `period` | (required) | Seasonal cycle length | `>= 2`; the series needs `>= 2 * period` points |
/// | `max_anoms` | 0.1 | Largest anomalous share | `(0, 0.5]` |
/// | `alpha` | 0.05 | Significance level | `(0, 1)` |
/// | `direction` | `Both` | Which side is anomalous | `Pos`, `Neg`, `Both` |
/// | `stl` | periodic robust STL | Seasonal decomposition | see [`Stl`] |
///
/// ```
/// use channelwise::anomaly::robust::{Direction, SeasonalEsd};
/// let mut y: Vec<f64> = (0..60).map(|t| [1.0, 4.0, 2.0, 8.0, 3.0][t % 5] + 0.02 * ((t * 7) % 5) as f64).collect();
/// y[21] -= 6.0;
/// let r = SeasonalEsd::new(5).direction(Direction::Neg).detect(&y)?;
/// assert_eq!(r.esd.indices(), vec![21]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeasonalEsd {
    period: usize,
    max_anoms: f64,
    alpha: f64,
    direction: Direction,
    stl: Option<Stl>,
}

/// The result of [`SeasonalEsd::detect`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeasonalEsdResult {
    /// The ESD test on the residual (anomaly values are those of the series).
    pub esd: EsdResult,
    /// The seasonal component removed.
    pub seasonal: Vec<f64>,
    /// Median of the series.
    pub median: f64,
    /// The residual tested, `x - seasonal - median`.
    pub resid: Vec<f64>,
}

impl SeasonalEsd {
    /// The test for seasonal cycle `period`, other parameters at their defaults.
    pub fn new(period: usize) -> Self {
        SeasonalEsd { period, max_anoms: 0.1, alpha: 0.05, direction: Direction::Both, stl: None }
    }

    /// Sets the largest anomalous share, in `(0, 0.5]`.
    pub fn max_anoms(mut self, max_anoms: f64) -> Self {
        self.max_anoms = max_anoms;
        self
    }

    /// Sets the significance level, in `(0, 1)`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Sets the direction.
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = direction;
        self
    }

    /// Uses this STL (its period replaced by the test's) for the seasonal component.
    pub fn stl(mut self, stl: Stl) -> Self {
        self.stl = Some(stl);
        self
    }

    /// The STL behind the default seasonal component for a series of length `n`: R's
    /// `stl(s.window = "periodic", robust = TRUE)` (before the per-cycle averaging).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `period < 2`.
    ///
    /// ```
    /// let stl = channelwise::anomaly::robust::SeasonalEsd::periodic_stl(12, 100)?;
    /// assert_eq!(stl.trend_window()?, 19);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn periodic_stl(period: usize, n: usize) -> Result<Stl> {
        let window = n.saturating_mul(10).saturating_add(1) | 1;
        let base = Stl::new(period).seasonal(window);
        let (nt, nl) = (base.trend_window()?, base.low_pass_window()?);
        Ok(base
            .seasonal_deg(0)
            .seasonal_jump(window.div_ceil(10))
            .trend_jump(nt.div_ceil(10))
            .low_pass_jump(nl.div_ceil(10))
            .robust(true)
            .inner_iter(1)
            .outer_iter(15))
    }

    /// Runs the test on `x`.
    ///
    /// # Errors
    /// As [`Esd::detect`], and as [`Stl::fit`] (period below 2, fewer than `2 * period` values,
    /// invalid STL parameters).
    pub fn detect(&self, x: &[f64]) -> Result<SeasonalEsdResult> {
        let n = x.len();
        let r = esd_steps(n, self.max_anoms, self.alpha)?;
        check_finite("x", x)?;
        let seasonal = match &self.stl {
            Some(stl) => stl.clone().period(self.period).fit(x)?.seasonal,
            None => {
                let s = Self::periodic_stl(self.period, n)?.fit(x)?.seasonal;
                let p = self.period;
                let mut out = vec![0.0; n];
                for j in 0..p.min(n) {
                    let pos: Vec<usize> = (j..n).step_by(p).collect();
                    let mean = pos.iter().map(|&i| s[i] / pos.len() as f64).sum::<f64>();
                    for i in pos {
                        out[i] = mean;
                    }
                }
                out
            }
        };
        let median = med(x);
        let resid: Vec<f64> = x.iter().zip(&seasonal).map(|(v, s)| v - s - median).collect();
        check_finite("resid", &resid)?;
        let (mut esd, _) = esd_core(&resid, r, self.alpha, self.direction, true)?;
        for a in &mut esd.anomalies {
            a.expected += seasonal[a.index] + median;
            a.value = x[a.index];
        }
        Ok(SeasonalEsdResult { esd, seasonal, median, resid })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked() {
        let y: Vec<f64> = (0..30).map(f64::from).collect();
        assert_eq!(Esd::new().max_anoms(0.6).detect(&y).unwrap_err().kind().code(), "out_of_range");
        assert_eq!(Esd::new().max_anoms(0.0).detect(&y).unwrap_err().kind().code(), "invalid_parameter");
        assert_eq!(Esd::new().alpha(1.0).detect(&y).unwrap_err().kind().code(), "invalid_parameter");
        assert_eq!(Esd::new().alpha(f64::NAN).detect(&y).unwrap_err().kind().code(), "non_finite");
        assert_eq!(Esd::new().max_anoms(0.01).detect(&y).unwrap_err().kind().code(), "not_enough_data");
        assert_eq!(Hampel::new(0, 3.0).detect(&y).unwrap_err().kind().code(), "out_of_range");
        assert_eq!(SeasonalEsd::new(1).detect(&y).unwrap_err().kind().code(), "out_of_range");
        assert_eq!(SeasonalEsd::new(20).detect(&y).unwrap_err().kind().code(), "not_enough_data");
        assert!("up".parse::<Direction>().is_err());
    }

    #[test]
    fn tiny_alpha_gives_finite_critical_values() {
        // found by proptest: 1 - alpha / (2 (n - i + 1)) rounds to 1 for alpha near f64::MIN_POSITIVE
        let x = [0.0, 0.0, 0.0, -868.0743066042784];
        for alpha in [f64::MIN_POSITIVE, 1e-300, 1e-20] {
            let r = Esd::new().max_anoms(0.3).alpha(alpha).detect(&x).unwrap();
            assert!(r.critical_values.iter().all(|v| v.is_finite()), "{alpha}: {:?}", r.critical_values);
        }
        // the usual alpha still matches the closed form through the upper quantile
        let y: Vec<f64> = (0..30).map(|i| f64::from(i % 7) + if i == 12 { 40.0 } else { 0.0 }).collect();
        let r = Esd::new().detect(&y).unwrap();
        let (n, df): (f64, f64) = (30.0, 28.0);
        // scipy.stats.t.isf(0.05 / 60, 28)
        let t: f64 = 3.4785877427930947;
        let lambda = t * (n - 1.0) / ((df + t * t) * n).sqrt();
        assert!((r.critical_values[0] - lambda).abs() < 1e-9, "{} vs {lambda}", r.critical_values[0]);
    }

    #[test]
    fn constant_series_has_no_anomalies() {
        let y = vec![3.0; 20];
        assert!(Esd::new().detect(&y).unwrap().anomalies.is_empty());
        assert!(SeasonalEsd::new(4).detect(&y).unwrap().esd.anomalies.is_empty());
        let m = MadDetector::new().detect(&y).unwrap();
        assert_eq!((m.scale, m.outliers.len()), (0.0, 0));
        assert!(Hampel::new(2, 3.0).detect(&y).unwrap().outliers.is_empty());
    }

    #[test]
    fn mad_fallback_to_mean_deviation() {
        let m = MadDetector::new().detect(&[1.0, 1.0, 1.0, 1.0, 100.0]).unwrap();
        assert_eq!(m.mad, 0.0);
        assert!((m.scale - 19.8 * std::f64::consts::FRAC_PI_2.sqrt()).abs() < 1e-12);
        assert_eq!(m.outliers, vec![4]);
    }
}
