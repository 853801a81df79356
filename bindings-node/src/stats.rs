//! `stats.*`: correlation (Pearson, Spearman, Kendall, cross-correlation) and trend tests
//! (Mann-Kendall, Theil-Sen). Series are `number[] | Float64Array`.

use channelwise::stats;
use napi::bindgen_prelude::{Object, Unknown};
use napi_derive::napi;

use crate::convert::{self, get};
use crate::error::{guard, Result};

/// A correlation coefficient with its two-sided p-value.
#[napi(object)]
pub struct Correlation {
    /// Pearson's r, Spearman's rho or Kendall's tau-b.
    pub statistic: f64,
    /// Two-sided p-value of no association.
    pub p_value: f64,
    /// Number of pairs.
    pub n: f64,
}

/// Correlation at each lag.
#[napi(object)]
pub struct CrossCorrelation {
    /// Lags `-maxLag..=maxLag`.
    pub lags: Vec<i64>,
    /// Correlation of `x[t + k]` with `y[t]` at each lag `k`.
    pub values: Vec<f64>,
}

/// The Mann-Kendall trend test (fields as pymannkendall's `original_test`).
#[napi(object)]
pub struct MannKendall {
    /// `"increasing"`, `"decreasing"` or `"no trend"`.
    pub trend: String,
    /// Whether no-trend is rejected at level `alpha`.
    pub h: bool,
    /// Two-sided p-value.
    pub p: f64,
    /// Normal score of `s` with continuity correction.
    pub z: f64,
    /// Kendall's tau-a of the series against time.
    pub tau: f64,
    /// The Mann-Kendall score.
    pub s: f64,
    /// Variance of `s` under no trend, corrected for ties.
    pub var_s: f64,
    /// Series length.
    pub n: f64,
}

/// The Theil-Sen line with a `1 - alpha` confidence interval of the slope.
#[napi(object)]
pub struct TheilSen {
    /// Median of pairwise slopes.
    pub slope: f64,
    /// Median of `y - slope * x`.
    pub intercept: f64,
    /// Lower end of the slope's confidence interval.
    pub low_slope: f64,
    /// Upper end of the slope's confidence interval.
    pub high_slope: f64,
}

fn pair(x: Unknown<'_>, y: Unknown<'_>) -> channelwise::Result<(Vec<f64>, Vec<f64>)> {
    Ok((convert::numbers(x, "x")?, convert::numbers(y, "y")?))
}

fn correlation(c: stats::Correlation) -> Correlation {
    Correlation {
        statistic: c.statistic,
        p_value: c.p_value,
        n: c.n as f64,
    }
}

/// `options.alpha`, default 0.05.
fn alpha(opts: Option<&Object<'_>>) -> channelwise::Result<f64> {
    get(opts, "alpha", "options.alpha")?.map_or(Ok(0.05), |v| convert::number(v, "options.alpha"))
}

/// Pearson's product-moment correlation (`scipy.stats.pearsonr`).
#[napi(namespace = "stats")]
pub fn pearson(x: Unknown<'_>, y: Unknown<'_>) -> Result<Correlation> {
    guard(|| {
        let (x, y) = pair(x, y)?;
        Ok(correlation(stats::pearson(&x, &y)?))
    })
}

/// Spearman's rank correlation (`scipy.stats.spearmanr`).
#[napi(namespace = "stats")]
pub fn spearman(x: Unknown<'_>, y: Unknown<'_>) -> Result<Correlation> {
    guard(|| {
        let (x, y) = pair(x, y)?;
        Ok(correlation(stats::spearman(&x, &y)?))
    })
}

/// Kendall's tau-b (`scipy.stats.kendalltau`).
#[napi(namespace = "stats")]
pub fn kendall(x: Unknown<'_>, y: Unknown<'_>) -> Result<Correlation> {
    guard(|| {
        let (x, y) = pair(x, y)?;
        Ok(correlation(stats::kendall(&x, &y)?))
    })
}

/// Correlation of `x[t + k]` with `y[t]` for `k = -maxLag..=maxLag` (R's `ccf`).
#[napi(namespace = "stats", js_name = "crossCorrelation")]
pub fn cross_correlation(
    x: Unknown<'_>,
    y: Unknown<'_>,
    max_lag: Unknown<'_>,
) -> Result<CrossCorrelation> {
    guard(|| {
        let (x, y) = pair(x, y)?;
        let max_lag = convert::size(max_lag, "maxLag")?;
        let c = stats::cross_correlation(&x, &y, max_lag)?;
        Ok(CrossCorrelation {
            lags: c.lags,
            values: c.values,
        })
    })
}

/// The Mann-Kendall trend test (`pymannkendall.original_test`), `options.alpha` default 0.05.
#[napi(namespace = "stats", js_name = "mannKendall")]
pub fn mann_kendall(x: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<MannKendall> {
    guard(|| {
        let opts = convert::options(options, "options", &["alpha"])?;
        let alpha = alpha(opts.as_ref())?;
        let x = convert::numbers(x, "x")?;
        let r = stats::mann_kendall(&x, alpha)?;
        Ok(MannKendall {
            trend: r.trend.as_str().to_string(),
            h: r.h,
            p: r.p,
            z: r.z,
            tau: r.tau,
            s: r.s,
            var_s: r.var_s,
            n: r.n as f64,
        })
    })
}

/// The Theil-Sen slope of `y` against `x` (`scipy.stats.theilslopes`), `options.alpha` default 0.05.
#[napi(namespace = "stats", js_name = "theilSen")]
pub fn theil_sen(x: Unknown<'_>, y: Unknown<'_>, options: Option<Unknown<'_>>) -> Result<TheilSen> {
    guard(|| {
        let opts = convert::options(options, "options", &["alpha"])?;
        let alpha = alpha(opts.as_ref())?;
        let (x, y) = pair(x, y)?;
        let r = stats::theil_sen(&x, &y, alpha)?;
        Ok(TheilSen {
            slope: r.slope,
            intercept: r.intercept,
            low_slope: r.low_slope,
            high_slope: r.high_slope,
        })
    })
}
