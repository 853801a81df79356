//! `anomaly.mad`, `madOutliers`, `hampel`, `esd`, `seasonalEsd`: robust outlier detection on a
//! series (`number[] | Float64Array`).

use channelwise::anomaly::robust::{
    self, Direction, Esd, EsdResult, Hampel, MadDetector, SeasonalEsd,
};
use napi::bindgen_prelude::{Float64Array, Object, Unknown};
use napi_derive::napi;

use crate::convert::{self, opt};
use crate::error::{guard, Result};

fn indices(xs: &[usize]) -> Vec<f64> {
    xs.iter().map(|&i| i as f64).collect()
}

/// Robust z-scores and the points beyond the threshold.
#[napi(object)]
pub struct MadOutliers {
    /// Median of the series.
    pub median: f64,
    /// Normal-consistent MAD (may be 0).
    pub mad: f64,
    /// The scale the scores divide by (`mad`, or the fallback when it is 0).
    pub scale: f64,
    /// Robust z-score of every point.
    pub scores: Float64Array,
    /// Indices with `|score| > threshold`, ascending.
    pub outliers: Vec<f64>,
}

/// What the Hampel filter finds.
#[napi(object)]
pub struct HampelResult {
    /// The series with every outlier replaced by its window median.
    pub filtered: Float64Array,
    /// Outlier indices, ascending.
    pub outliers: Vec<f64>,
    /// Outlier flag per point.
    pub is_outlier: Vec<bool>,
    /// Rolling median per point.
    pub medians: Float64Array,
    /// Rolling normal-consistent MAD per point.
    pub scales: Float64Array,
}

/// One anomaly found by an ESD test.
#[napi(object)]
pub struct EsdAnomaly {
    /// Index in the series.
    pub index: f64,
    /// The observed value.
    pub value: f64,
    /// What the test expected there.
    pub expected: f64,
    /// The test statistic of the step that removed it.
    pub score: f64,
    /// The ESD step (0-based) that removed it.
    pub step: f64,
}

/// The result of a generalized ESD test.
#[napi(object)]
pub struct EsdTest {
    /// The anomalies, by ascending index.
    pub anomalies: Vec<EsdAnomaly>,
    /// Their indices, ascending.
    pub indices: Vec<f64>,
    /// Number of anomalies.
    pub n_anomalies: f64,
    /// Test statistic of each step run.
    pub statistics: Float64Array,
    /// Critical value of each step run.
    pub critical_values: Float64Array,
    /// Index removed at each step run.
    pub removed: Vec<f64>,
}

/// The seasonal ESD test's result: the ESD test on the residual, and what was removed.
#[napi(object)]
pub struct SeasonalEsdTest {
    /// The anomalies, by ascending index (values are the series').
    pub anomalies: Vec<EsdAnomaly>,
    /// Their indices, ascending.
    pub indices: Vec<f64>,
    /// Number of anomalies.
    pub n_anomalies: f64,
    /// Test statistic of each step run.
    pub statistics: Float64Array,
    /// Critical value of each step run.
    pub critical_values: Float64Array,
    /// Index removed at each step run.
    pub removed: Vec<f64>,
    /// The seasonal component removed.
    pub seasonal: Float64Array,
    /// Median of the series.
    pub median: f64,
    /// The residual tested, `x - seasonal - median`.
    pub resid: Float64Array,
}

fn esd_test(r: EsdResult) -> EsdTest {
    EsdTest {
        indices: indices(&r.indices()),
        anomalies: r
            .anomalies
            .iter()
            .map(|a| EsdAnomaly {
                index: a.index as f64,
                value: a.value,
                expected: a.expected,
                score: a.score,
                step: a.step as f64,
            })
            .collect(),
        n_anomalies: r.n_anomalies as f64,
        statistics: Float64Array::new(r.statistics),
        critical_values: Float64Array::new(r.critical_values),
        removed: indices(&r.removed),
    }
}

/// `{ maxAnoms, alpha, direction }` of either ESD test.
fn esd_params(opts: Option<&Object<'_>>) -> channelwise::Result<(f64, f64, Direction)> {
    let max_anoms = opt(opts, "maxAnoms", convert::number)?.unwrap_or(0.1);
    let alpha = opt(opts, "alpha", convert::number)?.unwrap_or(0.05);
    let direction = match opt(opts, "direction", convert::string)? {
        Some(d) => d.parse()?,
        None => Direction::Both,
    };
    Ok((max_anoms, alpha, direction))
}

/// Normal-consistent median absolute deviation (`1.4826 * median|x - median(x)|`).
#[napi(namespace = "anomaly")]
pub fn mad(x: Unknown<'_>) -> Result<f64> {
    guard(|| robust::mad(&convert::numbers(x, "x")?))
}

/// Robust z-scores `(x - median) / MAD` and the points with `|z| > options.threshold`
/// (default 3.5, Iglewicz and Hoaglin).
#[napi(namespace = "anomaly", js_name = "madOutliers")]
pub fn mad_outliers(x: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<MadOutliers> {
    guard(|| {
        let opts = convert::options(options, "options", &["threshold"])?;
        let mut spec = MadDetector::new();
        if let Some(t) = opt(opts.as_ref(), "threshold", convert::number)? {
            spec = spec.threshold(t);
        }
        let r = spec.detect(&convert::numbers(x, "x")?)?;
        Ok(MadOutliers {
            median: r.median,
            mad: r.mad,
            scale: r.scale,
            scores: Float64Array::new(r.scores),
            outliers: indices(&r.outliers),
        })
    })
}

/// The Hampel filter: points further than `options.nSigmas` (default 3) rolling MADs from the
/// median of the `2 * options.halfWindow + 1` window (default half window 3).
#[napi(namespace = "anomaly")]
pub fn hampel(x: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<HampelResult> {
    guard(|| {
        let opts = convert::options(options, "options", &["halfWindow", "nSigmas"])?;
        let k = opt(opts.as_ref(), "halfWindow", convert::size)?.unwrap_or(3);
        let t = opt(opts.as_ref(), "nSigmas", convert::number)?.unwrap_or(3.0);
        let r = Hampel::new(k, t).detect(&convert::numbers(x, "x")?)?;
        Ok(HampelResult {
            filtered: Float64Array::new(r.filtered),
            outliers: indices(&r.outliers),
            is_outlier: r.is_outlier,
            medians: Float64Array::new(r.medians),
            scales: Float64Array::new(r.scales),
        })
    })
}

/// Rosner's generalized ESD test (`options`: `maxAnoms` share in (0, 0.5], default 0.1;
/// `alpha` default 0.05; `direction` `'pos' | 'neg' | 'both'`, default `'both'`).
#[napi(namespace = "anomaly")]
pub fn esd(x: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<EsdTest> {
    guard(|| {
        let opts = convert::options(options, "options", &["maxAnoms", "alpha", "direction"])?;
        let (max_anoms, alpha, direction) = esd_params(opts.as_ref())?;
        let r = Esd::new()
            .max_anoms(max_anoms)
            .alpha(alpha)
            .direction(direction)
            .detect(&convert::numbers(x, "x")?)?;
        Ok(esd_test(r))
    })
}

/// Seasonal hybrid ESD (Twitter's AnomalyDetection): the ESD test on `x - seasonal - median`
/// with the seasonal component of a robust STL of cycle `options.period` (required).
#[napi(namespace = "anomaly", js_name = "seasonalEsd")]
pub fn seasonal_esd(x: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<SeasonalEsdTest> {
    guard(|| {
        let opts = convert::options(
            options,
            "options",
            &["period", "maxAnoms", "alpha", "direction"],
        )?;
        let o = opts.as_ref();
        let period = opt(o, "period", convert::size)?.ok_or_else(|| {
            channelwise::Error::InvalidParameter {
                field: "options.period".into(),
                value: "undefined".into(),
                reason: "required, but missing".into(),
            }
        })?;
        let (max_anoms, alpha, direction) = esd_params(o)?;
        let r = SeasonalEsd::new(period)
            .max_anoms(max_anoms)
            .alpha(alpha)
            .direction(direction)
            .detect(&convert::numbers(x, "x")?)?;
        let e = esd_test(r.esd);
        Ok(SeasonalEsdTest {
            anomalies: e.anomalies,
            indices: e.indices,
            n_anomalies: e.n_anomalies,
            statistics: e.statistics,
            critical_values: e.critical_values,
            removed: e.removed,
            seasonal: Float64Array::new(r.seasonal),
            median: r.median,
            resid: Float64Array::new(r.resid),
        })
    })
}
