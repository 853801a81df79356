//! `stats.*`: correlation (Pearson, Spearman, Kendall, cross-correlation) and trend tests
//! (Mann-Kendall, Theil-Sen). Series are `number[]` or typed arrays.

use channelwise::{stats, Error, Result};

use crate::api::{arg, job, Job};
use crate::host::Host;
use crate::read;
use crate::{js_options, js_result};

js_result! {
    /// A correlation coefficient with its two-sided p-value (as scipy's result objects).
    pub struct Correlation {
        /// Pearson's r, Spearman's rho or Kendall's tau-b.
        statistic: f64,
        /// Two-sided p-value of no association.
        pValue: f64,
        /// Number of pairs.
        n: usize,
    }
}

js_result! {
    /// Correlation at each lag `-maxLag..=maxLag`.
    pub struct CrossCorrelation {
        /// The lags.
        lags: Vec<i64>,
        /// Correlation of `x[t + k]` with `y[t]` at each lag `k`.
        values: Vec<f64>,
    }
}

js_result! {
    /// The Mann-Kendall trend test (fields as pymannkendall's `original_test`).
    pub struct MannKendall {
        /// Direction of a significant trend, or `'no trend'`.
        trend: Trend,
        /// Whether no-trend is rejected at level `alpha`.
        h: bool,
        /// Two-sided p-value.
        p: f64,
        /// Normal score of `s` with continuity correction.
        z: f64,
        /// Kendall's tau-a of the series against time.
        tau: f64,
        /// The Mann-Kendall score.
        s: f64,
        /// Variance of `s` under no trend, corrected for ties.
        varS: f64,
        /// Series length.
        n: usize,
    }
}

js_result! {
    /// The Theil-Sen line with a `1 - alpha` confidence interval of the slope.
    pub struct TheilSen {
        /// Median of pairwise slopes.
        slope: f64,
        /// Median of `y - slope * x`.
        intercept: f64,
        /// Lower end of the slope's confidence interval.
        lowSlope: f64,
        /// Upper end of the slope's confidence interval.
        highSlope: f64,
    }
}

js_options! {
    /// The significance level of a test.
    pub struct AlphaOption {
        /// Significance level (default 0.05).
        alpha: f64,
    }
}

/// A Mann-Kendall verdict: `'increasing'`, `'decreasing'` or `'no trend'`.
pub struct Trend(pub &'static str);

impl crate::out::IntoOut for Trend {
    fn into_out(self) -> crate::out::Out {
        crate::out::Out::String(self.0.into())
    }
    fn ts() -> String {
        "Trend".into()
    }
}

/// The `Trend` type alias of the `.d.ts`.
pub const TREND_TS: &str = "/** Direction of a significant trend, or `'no trend'`. */\nexport type Trend = 'increasing' | 'decreasing' | 'no trend';\n";

fn pair<H: Host>(h: H, a: &[H::V]) -> Result<(Vec<f64>, Vec<f64>)> {
    Ok((
        read::numbers(h, &arg(h, a, 0)?, "x")?,
        read::numbers(h, &arg(h, a, 1)?, "y")?,
    ))
}

fn correlation(c: stats::Correlation) -> Correlation {
    Correlation {
        statistic: c.statistic,
        pValue: c.p_value,
        n: c.n,
    }
}

/// `stats.pearson(x, y)`.
pub fn pearson<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = pair(h, a)?;
    job(move || Ok(correlation(stats::pearson(&x, &y)?)))
}

/// `stats.spearman(x, y)`.
pub fn spearman<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = pair(h, a)?;
    job(move || Ok(correlation(stats::spearman(&x, &y)?)))
}

/// `stats.kendall(x, y)`.
pub fn kendall<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = pair(h, a)?;
    job(move || Ok(correlation(stats::kendall(&x, &y)?)))
}

/// `stats.crossCorrelation(x, y, maxLag)`.
pub fn cross_correlation<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (x, y) = pair(h, a)?;
    let max_lag = read::size(h, &arg(h, a, 2)?, "maxLag")?;
    job(move || {
        let c = stats::cross_correlation(&x, &y, max_lag)?;
        Ok(CrossCorrelation {
            lags: c.lags,
            values: c.values,
        })
    })
}

/// `stats.mannKendall(x, options?)`.
pub fn mann_kendall<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let alpha = AlphaOption::read(h, &arg(h, a, 1)?, "options")?
        .alpha
        .unwrap_or(0.05);
    let x = read::numbers(h, &arg(h, a, 0)?, "x")?;
    job(move || {
        let r = stats::mann_kendall(&x, alpha)?;
        Ok(MannKendall {
            trend: Trend(r.trend.as_str()),
            h: r.h,
            p: r.p,
            z: r.z,
            tau: r.tau,
            s: r.s,
            varS: r.var_s,
            n: r.n,
        })
    })
}

/// Most points `theilSen` takes in the browser build: it keeps all n (n - 1) / 2 pairwise slopes
/// (8 bytes each), and wasm32 memory ends at 4 GiB, where an allocation failure would abort
/// (a trap), not return an error. 16384 points are 1 GiB of slopes.
const THEIL_SEN_MAX_POINTS_WASM32: usize = 16_384;

/// `stats.theilSen(x, y, options?)`.
pub fn theil_sen<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let alpha = AlphaOption::read(h, &arg(h, a, 2)?, "options")?
        .alpha
        .unwrap_or(0.05);
    let (x, y) = pair(h, a)?;
    if cfg!(target_arch = "wasm32") && x.len() > THEIL_SEN_MAX_POINTS_WASM32 && x.len() == y.len() {
        return Err(Error::OutOfRange {
            field: "x.length".into(),
            value: x.len() as f64,
            min: 2.0,
            max: THEIL_SEN_MAX_POINTS_WASM32 as f64,
        });
    }
    job(move || {
        let r = stats::theil_sen(&x, &y, alpha)?;
        Ok(TheilSen {
            slope: r.slope,
            intercept: r.intercept,
            lowSlope: r.low_slope,
            highSlope: r.high_slope,
        })
    })
}
