//! `forecast.stl`, `forecast.mstl`, `forecast.seasonalStrength` and `forecast.trendStrength`:
//! seasonal-trend decomposition by LOESS (statsmodels' `STL` / `MSTL` parameters, camelCase)
//! and Hyndman's strength measures.

use channelwise::forecast::decompose::{self, Mstl, Stl};
use channelwise::Result;

use crate::api::{arg, job, Job};
use crate::host::Host;
use crate::out::F64s;
use crate::read::{self, missing};
use crate::{js_options, js_result};

js_options! {
    /// `forecast.stl` options: `period` is required. Windows are odd numbers >= 3, degrees 0 or 1,
    /// jumps >= 1; `null` or absent means statsmodels' default.
    pub struct StlOptions {
        /// Seasonal cycle length, >= 2; the series needs at least `2 * period` values.
        period: usize = required,
        /// Seasonal window (odd, >= 3; default 7).
        seasonal: usize,
        /// Trend window (default: the smallest odd number >= 1.5 period / (1 - 1.5 / seasonal)).
        trend: usize,
        /// Low-pass window (default: the smallest odd number > period).
        lowPass: usize,
        /// Degree of the seasonal LOESS (default 1).
        seasonalDeg: usize,
        /// Degree of the trend LOESS (default 1).
        trendDeg: usize,
        /// Degree of the low-pass LOESS (default 1).
        lowPassDeg: usize,
        /// Robust fitting with bisquare weights (default false).
        robust: bool,
        /// Seasonal LOESS evaluated every this many points (default 1).
        seasonalJump: usize,
        /// Trend LOESS evaluated every this many points (default 1).
        trendJump: usize,
        /// Low-pass LOESS evaluated every this many points (default 1).
        lowPassJump: usize,
        /// Inner iterations, 1 to 100 (default 2 if robust, else 5).
        innerIter: usize,
        /// Outer (robustness) iterations, 0 to 100 (default 15 if robust, else 0).
        outerIter: usize,
    }
}

js_options! {
    /// `forecast.mstl` options: `periods` is required; the STL options are shared by every
    /// component (`period` and `seasonal` are not options here: see `periods` and `windows`).
    pub struct MstlOptions {
        /// Seasonal periods (each with `2 * period < n`).
        periods: Vec<usize> = required,
        /// Seasonal windows, one per period in the order given (default `7 + 4 i`).
        windows: Vec<usize>,
        /// Passes over the seasonal components, 1 to 100 (default 2).
        iterate: usize,
        /// Box-Cox lambda applied first (default: none; needs positive data).
        lmbda: f64,
        /// Trend window.
        trend: usize,
        /// Low-pass window.
        lowPass: usize,
        /// Degree of the seasonal LOESS (default 1).
        seasonalDeg: usize,
        /// Degree of the trend LOESS (default 1).
        trendDeg: usize,
        /// Degree of the low-pass LOESS (default 1).
        lowPassDeg: usize,
        /// Robust fitting with bisquare weights (default false).
        robust: bool,
        /// Seasonal LOESS evaluated every this many points (default 1).
        seasonalJump: usize,
        /// Trend LOESS evaluated every this many points (default 1).
        trendJump: usize,
        /// Low-pass LOESS evaluated every this many points (default 1).
        lowPassJump: usize,
        /// Inner iterations, 1 to 100 (default 2 if robust, else 5).
        innerIter: usize,
        /// Outer (robustness) iterations, 0 to 100 (default 15 if robust, else 0).
        outerIter: usize,
    }
}

js_result! {
    /// An STL decomposition: `y = trend + seasonal + resid`.
    pub struct StlDecomposition {
        /// Trend component.
        trend: F64s,
        /// Seasonal component.
        seasonal: F64s,
        /// Remainder.
        resid: F64s,
        /// Robustness weights (all 1 unless `robust`).
        weights: F64s,
        /// `max(0, 1 - var(resid) / var(seasonal + resid))` (Hyndman's F_S).
        seasonalStrength: f64,
        /// `max(0, 1 - var(resid) / var(trend + resid))` (F_T).
        trendStrength: f64,
    }
}

js_result! {
    /// An MSTL decomposition: `y = trend + sum(seasonal) + resid` (on the Box-Cox scale with
    /// `lmbda`).
    pub struct MstlDecomposition {
        /// The periods, ascending: the order of `seasonal` and `seasonalStrengths`.
        periods: Vec<usize>,
        /// The seasonal window used for each period.
        windows: Vec<usize>,
        /// The series decomposed (Box-Cox transformed when `lmbda` is set).
        observed: F64s,
        /// Trend component.
        trend: F64s,
        /// One seasonal component per period.
        seasonal: Vec<F64s>,
        /// Remainder.
        resid: F64s,
        /// Robustness weights of the last STL fit.
        weights: F64s,
        /// Seasonal strength of each component, in the order of `periods`.
        seasonalStrengths: Vec<f64>,
        /// Trend strength.
        trendStrength: f64,
    }
}

/// The STL options `stl` and `mstl` share, as read.
struct Shared {
    trend: Option<usize>,
    low_pass: Option<usize>,
    seasonal_deg: Option<usize>,
    trend_deg: Option<usize>,
    low_pass_deg: Option<usize>,
    robust: Option<bool>,
    seasonal_jump: Option<usize>,
    trend_jump: Option<usize>,
    low_pass_jump: Option<usize>,
    inner_iter: Option<usize>,
    outer_iter: Option<usize>,
}

/// An `Stl` for `period` with the shared options (absent: statsmodels' defaults).
fn stl_spec(period: usize, o: Shared) -> Stl {
    let mut s = Stl::new(period)
        .trend(o.trend)
        .low_pass(o.low_pass)
        .inner_iter(o.inner_iter)
        .outer_iter(o.outer_iter);
    if let Some(v) = o.seasonal_deg {
        s = s.seasonal_deg(v);
    }
    if let Some(v) = o.trend_deg {
        s = s.trend_deg(v);
    }
    if let Some(v) = o.low_pass_deg {
        s = s.low_pass_deg(v);
    }
    if let Some(v) = o.robust {
        s = s.robust(v);
    }
    if let Some(v) = o.seasonal_jump {
        s = s.seasonal_jump(v);
    }
    if let Some(v) = o.trend_jump {
        s = s.trend_jump(v);
    }
    if let Some(v) = o.low_pass_jump {
        s = s.low_pass_jump(v);
    }
    s
}

macro_rules! shared {
    ($o:expr) => {
        Shared {
            trend: $o.trend,
            low_pass: $o.lowPass,
            seasonal_deg: $o.seasonalDeg,
            trend_deg: $o.trendDeg,
            low_pass_deg: $o.lowPassDeg,
            robust: $o.robust,
            seasonal_jump: $o.seasonalJump,
            trend_jump: $o.trendJump,
            low_pass_jump: $o.lowPassJump,
            inner_iter: $o.innerIter,
            outer_iter: $o.outerIter,
        }
    };
}

/// `forecast.stl(y, options)`.
pub fn stl<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = StlOptions::read(h, &arg(h, a, 1)?, "options")?;
    let period = o.period.ok_or_else(|| missing("options.period"))?;
    let mut spec = stl_spec(period, shared!(o));
    if let Some(w) = o.seasonal {
        spec = spec.seasonal(w);
    }
    let y = read::numbers(h, &arg(h, a, 0)?, "y")?;
    job(move || {
        let d = spec.fit(&y)?;
        let (seasonal_strength, trend_strength) = (d.seasonal_strength()?, d.trend_strength()?);
        Ok(StlDecomposition {
            trend: F64s(d.trend),
            seasonal: F64s(d.seasonal),
            resid: F64s(d.resid),
            weights: F64s(d.weights),
            seasonalStrength: seasonal_strength,
            trendStrength: trend_strength,
        })
    })
}

/// `forecast.mstl(y, options)`.
pub fn mstl<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = MstlOptions::read(h, &arg(h, a, 1)?, "options")?;
    let periods = o
        .periods
        .as_deref()
        .ok_or_else(|| missing("options.periods"))?;
    let mut spec = Mstl::new(periods).stl(stl_spec(2, shared!(o)));
    if let Some(w) = &o.windows {
        spec = spec.windows(w);
    }
    if let Some(it) = o.iterate {
        spec = spec.iterate(it);
    }
    spec = spec.lmbda(o.lmbda);
    let y = read::numbers(h, &arg(h, a, 0)?, "y")?;
    job(move || {
        let d = spec.fit(&y)?;
        let (seasonal_strengths, trend_strength) = (d.seasonal_strengths()?, d.trend_strength()?);
        Ok(MstlDecomposition {
            periods: d.periods,
            windows: d.windows,
            observed: F64s(d.observed),
            trend: F64s(d.trend),
            seasonal: d.seasonal.into_iter().map(F64s).collect(),
            resid: F64s(d.resid),
            weights: F64s(d.weights),
            seasonalStrengths: seasonal_strengths,
            trendStrength: trend_strength,
        })
    })
}

/// `forecast.seasonalStrength(seasonal, resid)`.
pub fn seasonal_strength<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let seasonal = read::numbers(h, &arg(h, a, 0)?, "seasonal")?;
    let resid = read::numbers(h, &arg(h, a, 1)?, "resid")?;
    job(move || decompose::seasonal_strength(&seasonal, &resid))
}

/// `forecast.trendStrength(trend, resid)`.
pub fn trend_strength<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let trend = read::numbers(h, &arg(h, a, 0)?, "trend")?;
    let resid = read::numbers(h, &arg(h, a, 1)?, "resid")?;
    job(move || decompose::trend_strength(&trend, &resid))
}
