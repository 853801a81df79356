//! Exponential smoothing state-space models, ETS (Hyndman, Koehler, Ord & Snyder 2008): error
//! additive or multiplicative, trend none / additive / additive damped, season none / additive /
//! multiplicative; maximum likelihood, prediction intervals and automatic model choice by AICc,
//! following R's `forecast::ets` and statsforecast's `AutoETS`.
//!
//! ```
//! use channelwise::forecast::ets::{AutoEts, Ets, ErrorType, SeasonType, TrendType};
//! let y: Vec<f64> = (0..48).map(|t| 100.0 + t as f64 + 10.0 * ((t % 12) as f64 / 2.0).sin()).collect();
//! let fit = Ets::new(ErrorType::Multiplicative, TrendType::AdditiveDamped, SeasonType::Multiplicative)
//!     .season_length(12)
//!     .fit(&y)?;
//! assert_eq!(fit.model(), "ETS(M,Ad,M)");
//! let auto = AutoEts::new(12).fit(&y)?;
//! let f = auto.forecast(12, &[80.0, 95.0])?;
//! assert_eq!(f.mean.len(), 12);
//! assert!(f.lower[1][0] <= f.lower[0][0] && f.upper[0][0] <= f.upper[1][0]);
//! # Ok::<(), channelwise::Error>(())
//! ```
//!
//! # Conventions (what the numbers mean)
//!
//! * **Likelihood.** `log_likelihood` is R's and statsforecast's: `-0.5 (n log SSE + 2 sum
//!   log|yhat_t|)` (the last sum for multiplicative errors only), the Gaussian log-likelihood
//!   with sigma concentrated out, up to a constant. `aic = -2 loglik + 2k`, `bic = -2 loglik +
//!   log(n) k`, `aicc = aic + 2k(k+1)/(n-k-1)`, with `k` = [`FittedEts::n_params`] (smoothing
//!   parameters + initial states + 1 for the variance), as both references count them.
//! * **Region.** Smoothing parameters lie in `[1e-4, 0.9999]`, `phi` in `[0.8, 0.98]`, with
//!   `beta <= alpha`, `gamma <= 1 - alpha` (the "usual" region) and inside the admissible
//!   (forecastable) region of Hyndman et al. (2008, ch. 10): R's `bounds = "both"`.
//!   (statsforecast 2.1.1 instead narrows beta's upper bound to the *starting* alpha, e.g.
//!   0.0168 for monthly data, and skips the admissibility check: where its fit sits on that
//!   artificial bound, channelwise's likelihood is higher.)
//! * **Initial states** by R's heuristic (classical decomposition, or a harmonic regression with
//!   fewer than three seasons of data), then optimised jointly with the smoothing parameters by a
//!   bounded Nelder-Mead.
//! * **Long seasons (`season_length > 24`, weekly 52, daily 365).** R refuses these and
//!   statsforecast fits but cannot simulate them. channelwise keeps the `m` initial seasonal
//!   states at the decomposition heuristic and optimises only the smoothing parameters and the
//!   initial level and trend, so a fit costs O(n) per likelihood evaluation whatever `m`; the
//!   fixed states still count in `n_params` (they were estimated from the data).
//!   [`FittedEts::seasonal_states_fixed`] says when this happened.
//! * **sigma2** is `SSE / (n - k - 1)` as statsforecast 2.1.1 (R divides by `n - k`); for
//!   multiplicative errors it is the variance of the relative errors.
//! * **Intervals**: analytic for classes 1-3 (additive error with additive or no season;
//!   multiplicative error with additive or no season; multiplicative error and season), the
//!   class-3 recursion as in R (statsforecast 2.1.1 leaves its mean matrix un-updated inside the
//!   loop, which narrows multi-step class-3 intervals). Additive error with multiplicative
//!   season, and class 3 with `season_length > 24`, are simulated: 5000 seeded paths
//!   ([`Ets::seed`], default 0), quantiles by linear interpolation.
//! * **Many series.** [`AutoEts::fit_many`] fits independent series in parallel (each exactly as
//!   [`AutoEts::fit`]); [`AutoEts::fit_many_with_progress`] reports each finished series and
//!   can be cancelled (see [`crate::progress`]).
//! * **Constant series.** As R and statsforecast: an ETS(A,N,N) with alpha 0.9999, the constant
//!   as forecast and zero-width intervals (sigma2 = 0), whatever model was asked for.

mod engine;
mod init;
mod intervals;
mod optim;

use std::fmt;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::anomaly::residual::{residual_alerts, ResidualAlert};
use crate::error::{Error, Result};
use crate::progress::{Monitor, Ticker};
use engine::{Kind, Smoothing, State, LOWER, UPPER};

/// Season lengths above this keep the heuristic initial seasonal states fixed.
pub const MAX_OPTIMISED_SEASON: usize = 24;

/// Longest forecast horizon [`FittedEts::forecast`] accepts.
pub const MAX_HORIZON: usize = 100_000;

/// Longest horizon with simulated intervals (5000 paths of `h` values are kept, about 40 MB per
/// 1000 steps); ask for no levels to get longer point forecasts of such models.
pub const MAX_SIMULATED_HORIZON: usize = 2_000;

/// The error component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorType {
    /// `y_t = yhat_t + e_t`.
    Additive,
    /// `y_t = yhat_t (1 + e_t)`; needs positive data.
    Multiplicative,
}

/// The trend component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrendType {
    /// No trend.
    None,
    /// Additive (linear) trend.
    Additive,
    /// Additive trend damped by `phi`.
    AdditiveDamped,
}

/// The seasonal component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SeasonType {
    /// No season.
    None,
    /// Additive seasonal effects.
    Additive,
    /// Multiplicative seasonal factors; needs positive data.
    Multiplicative,
}

/// The information criterion [`AutoEts`] minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InformationCriterion {
    /// Akaike.
    Aic,
    /// Akaike, small-sample corrected (the default, as R and statsforecast).
    Aicc,
    /// Schwarz / Bayesian.
    Bic,
}

impl ErrorType {
    fn letter(self) -> &'static str {
        match self {
            ErrorType::Additive => "A",
            ErrorType::Multiplicative => "M",
        }
    }
}

impl TrendType {
    fn letter(self) -> &'static str {
        match self {
            TrendType::None => "N",
            TrendType::Additive => "A",
            TrendType::AdditiveDamped => "Ad",
        }
    }
}

impl SeasonType {
    fn letter(self) -> &'static str {
        match self {
            SeasonType::None => "N",
            SeasonType::Additive => "A",
            SeasonType::Multiplicative => "M",
        }
    }
}

/// One ETS model with fixed components, fitted by maximum likelihood.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `error` | (required) | error component | `Additive`, `Multiplicative` |
/// | `trend` | (required) | trend component | `None`, `Additive`, `AdditiveDamped` |
/// | `season` | (required) | seasonal component | `None`, `Additive`, `Multiplicative` |
/// | `season_length` | 1 | observations per season (`m`) | `>= 1`; 1 means non-seasonal; `> 24` fixes the initial seasonal states |
/// | `seed` | 0 | seed of simulated prediction intervals | any `u64` |
///
/// ```
/// use channelwise::forecast::ets::{Ets, ErrorType, SeasonType, TrendType};
/// let y = [10.0, 12.0, 11.5, 13.0, 12.5, 14.0, 13.8, 15.1, 14.6, 16.0, 15.5, 17.2];
/// let fit = Ets::new(ErrorType::Additive, TrendType::Additive, SeasonType::None).fit(&y)?;
/// assert_eq!(fit.model(), "ETS(A,A,N)");
/// assert!(fit.forecast(3, &[95.0])?.mean[2] > 16.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ets {
    error: ErrorType,
    trend: TrendType,
    season: SeasonType,
    season_length: usize,
    seed: u64,
}

impl Ets {
    /// A model with the given components, non-seasonal length 1 and seed 0.
    ///
    /// ```
    /// use channelwise::forecast::ets::{Ets, ErrorType, SeasonType, TrendType};
    /// let spec = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::None);
    /// assert_eq!(spec.fit(&[1.0, 2.0, 1.5, 2.5, 2.0, 1.8])?.model(), "ETS(A,N,N)");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn new(error: ErrorType, trend: TrendType, season: SeasonType) -> Self {
        Ets { error, trend, season, season_length: 1, seed: 0 }
    }

    /// Sets the season length `m` (checked in [`Ets::fit`]).
    ///
    /// ```
    /// use channelwise::forecast::ets::{Ets, ErrorType, SeasonType, TrendType};
    /// let y: Vec<f64> = (0..24).map(|t| 5.0 + (t % 4) as f64).collect();
    /// let fit = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::Additive).season_length(4).fit(&y)?;
    /// assert_eq!(fit.season_length(), 4);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn season_length(mut self, m: usize) -> Self {
        self.season_length = m;
        self
    }

    /// Sets the seed of simulated prediction intervals (default 0).
    ///
    /// ```
    /// use channelwise::forecast::ets::{Ets, ErrorType, SeasonType, TrendType};
    /// let spec = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::None).seed(7);
    /// assert!(spec.fit(&[1.0, 2.0, 1.5, 2.5, 2.0, 1.8]).is_ok());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Fits the model to `y` by maximum likelihood.
    ///
    /// # Errors
    /// [`Error::NonFinite`] naming `y[i]`; [`Error::OutOfRange`] for `season_length = 0`;
    /// [`Error::InvalidParameter`] for a seasonal component with `season_length = 1`;
    /// [`Error::InvalidRecord`] naming the first `y[i] <= 0` for a multiplicative error or
    /// season; [`Error::NotEnoughData`] when `y` has fewer than 4 values, no more than
    /// `season_length` values for a seasonal model, or not more than `n_params + 1` values.
    ///
    /// ```
    /// use channelwise::forecast::ets::{Ets, ErrorType, SeasonType, TrendType};
    /// let spec = Ets::new(ErrorType::Multiplicative, TrendType::None, SeasonType::None);
    /// let e = spec.fit(&[1.0, 2.0, 0.0, 2.5, 2.0, 1.8]).unwrap_err();
    /// assert_eq!(e.kind().code(), "invalid_record");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn fit(&self, y: &[f64]) -> Result<FittedEts> {
        let m = check_common(y, self.season_length)?;
        if let Some(c) = constant_fit(y, self.seed) {
            return Ok(c);
        }
        if self.season != SeasonType::None && m == 1 {
            return Err(Error::param("season", self.season.letter(), "a seasonal model needs season_length > 1"));
        }
        if self.season != SeasonType::None && y.len() <= m {
            return Err(Error::NotEnoughData { what: "seasonal ETS (more than season_length observations)".into(), required: m + 1, got: y.len() });
        }
        if self.error == ErrorType::Multiplicative || self.season == SeasonType::Multiplicative {
            check_positive(y)?;
        }
        let kind = Kind {
            error: self.error,
            trend: self.trend,
            season: self.season,
            m: if self.season == SeasonType::None { 1 } else { m },
        };
        let required = n_free(kind) + 2;
        match fit_one(y, kind, self.seed) {
            Some(f) => Ok(f),
            None => Err(Error::NotEnoughData { what: format!("ETS({},{},{}) ({} parameters)", self.error.letter(), self.trend.letter(), self.season.letter(), required - 1), required: required + 1, got: y.len() }),
        }
    }
}

/// Automatic ETS: fits every admissible candidate and keeps the one with the lowest
/// information criterion (R's `ets(model = "ZZZ")`, statsforecast's `AutoETS`).
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `season_length` | (required) | observations per season `m` | `>= 1` (1: non-seasonal) |
/// | `model` | `"ZZZ"` | error, trend, season letters; `Z` = choose | error `A M Z`, trend `N A Z`, season `N A M Z` |
/// | `damped` | `None` | damped trend: `None` tries both, `Some(b)` forces | `Option<bool>` |
/// | `restrict` | `true` | exclude unstable combinations (additive error with multiplicative season) | `bool` |
/// | `ic` | `Aicc` | criterion minimised | `Aic`, `Aicc`, `Bic` |
/// | `seed` | 0 | seed of simulated prediction intervals | any `u64` |
///
/// Candidates: error A/M x trend N/A (damped or not) x season N/A/M, without multiplicative
/// error or season when the data are not all positive, without seasonal models when
/// `season_length = 1` or `y` has no more than `season_length` values, and without models with
/// at least `n - 1` parameters (so short series fall back to simpler models). Ties keep the
/// first candidate in that order. With the `parallel` feature candidates are fitted on rayon's
/// pool; the result does not depend on the thread count.
///
/// ```
/// use channelwise::forecast::ets::AutoEts;
/// let y: Vec<f64> = (0..60).map(|t| 50.0 + 0.5 * t as f64 + [3.0, -1.0, -4.0, 2.0][t % 4]).collect();
/// let fit = AutoEts::new(4).fit(&y)?;
/// assert!(fit.model().starts_with("ETS("));
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoEts {
    season_length: usize,
    model: String,
    damped: Option<bool>,
    restrict: bool,
    ic: InformationCriterion,
    seed: u64,
}

impl AutoEts {
    /// Automatic ETS for season length `m` with model `"ZZZ"`, damped both ways, restricted,
    /// by AICc.
    ///
    /// ```
    /// use channelwise::forecast::ets::AutoEts;
    /// let fit = AutoEts::new(1).fit(&[3.0, 4.0, 3.5, 5.0, 4.2, 4.8, 5.1, 4.9])?;
    /// assert_eq!(fit.season_length(), 1);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn new(season_length: usize) -> Self {
        AutoEts { season_length, model: "ZZZ".into(), damped: None, restrict: true, ic: InformationCriterion::Aicc, seed: 0 }
    }

    /// Sets the model string, e.g. `"ZZZ"`, `"AAN"`, `"MZM"` (checked in [`AutoEts::fit`]).
    ///
    /// ```
    /// use channelwise::forecast::ets::AutoEts;
    /// let fit = AutoEts::new(1).model("AZN").fit(&[3.0, 4.0, 3.5, 5.0, 4.2, 4.8, 5.1, 4.9])?;
    /// assert!(fit.model().starts_with("ETS(A,"));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn model(mut self, model: &str) -> Self {
        self.model = model.to_string();
        self
    }

    /// Damped trend: `None` tries both, `Some(true)` only damped, `Some(false)` only undamped.
    ///
    /// ```
    /// use channelwise::forecast::ets::AutoEts;
    /// let y: Vec<f64> = (0..30).map(|t| t as f64 + (t % 3) as f64).collect();
    /// let fit = AutoEts::new(1).model("AAN").damped(Some(true)).fit(&y)?;
    /// assert_eq!(fit.model(), "ETS(A,Ad,N)");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn damped(mut self, damped: Option<bool>) -> Self {
        self.damped = damped;
        self
    }

    /// Whether to exclude additive-error models with multiplicative season (default `true`).
    ///
    /// ```
    /// use channelwise::forecast::ets::AutoEts;
    /// let y: Vec<f64> = (0..24).map(|t| 5.0 + (t % 4) as f64).collect();
    /// assert_eq!(AutoEts::new(4).model("AZM").fit(&y).unwrap_err().kind().code(), "invalid_parameter");
    /// assert!(AutoEts::new(4).model("AZM").restrict(false).fit(&y).is_ok());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn restrict(mut self, restrict: bool) -> Self {
        self.restrict = restrict;
        self
    }

    /// The information criterion to minimise (default AICc).
    ///
    /// ```
    /// use channelwise::forecast::ets::{AutoEts, InformationCriterion};
    /// let fit = AutoEts::new(1).ic(InformationCriterion::Bic).fit(&[3.0, 4.0, 3.5, 5.0, 4.2, 4.8, 5.1])?;
    /// assert!(fit.bic().is_finite());
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn ic(mut self, ic: InformationCriterion) -> Self {
        self.ic = ic;
        self
    }

    /// Sets the seed of simulated prediction intervals (default 0).
    ///
    /// ```
    /// use channelwise::forecast::ets::AutoEts;
    /// let fit = AutoEts::new(1).seed(3).fit(&[3.0, 4.0, 3.5, 5.0, 4.2, 4.8, 5.1])?;
    /// assert_eq!(fit.forecast(2, &[90.0])?.mean.len(), 2);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Fits every candidate and returns the best by the information criterion.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `model` for a malformed string, a multiplicative
    /// trend (not supported), a forbidden combination under `restrict`, or a seasonal letter
    /// with `season_length = 1`; [`Error::OutOfRange`] for `season_length = 0`;
    /// [`Error::NonFinite`] naming `y[i]`; [`Error::InvalidRecord`] naming the first
    /// `y[i] <= 0` when the model string forces a multiplicative error; [`Error::NotEnoughData`]
    /// with fewer than 4 values or when no candidate can be fitted.
    ///
    /// ```
    /// use channelwise::forecast::ets::AutoEts;
    /// assert_eq!(AutoEts::new(1).model("AMN").fit(&[1.0; 8]).unwrap_err().kind().code(), "invalid_parameter");
    /// assert_eq!(AutoEts::new(1).fit(&[1.0, f64::NAN, 2.0, 3.0]).unwrap_err().kind().code(), "non_finite");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn fit(&self, y: &[f64]) -> Result<FittedEts> {
        let (es, ts, ss) = self.components()?;
        let m = check_common(y, self.season_length)?;
        if let Some(c) = constant_fit(y, self.seed) {
            return Ok(c);
        }
        let positive = y.iter().all(|v| *v > 0.0);
        if es == [ErrorType::Multiplicative] || ss == [SeasonType::Multiplicative] {
            check_positive(y)?;
        }
        let seasonal_ok = m > 1 && y.len() > m;
        let mut cands = Vec::new();
        for &e in &es {
            for &t in &ts {
                for &s in &ss {
                    for damped in [true, false] {
                        if self.damped.is_some_and(|d| d != damped) {
                            continue;
                        }
                        if t == TrendType::None && damped {
                            continue;
                        }
                        let trend = if t == TrendType::Additive && damped { TrendType::AdditiveDamped } else { t };
                        if self.restrict && e == ErrorType::Additive && s == SeasonType::Multiplicative {
                            continue;
                        }
                        if !positive && (e == ErrorType::Multiplicative || s == SeasonType::Multiplicative) {
                            continue;
                        }
                        if s != SeasonType::None && !seasonal_ok {
                            continue;
                        }
                        cands.push(Kind { error: e, trend, season: s, m: if s == SeasonType::None { 1 } else { m } });
                    }
                }
            }
        }
        let fits = fit_all(y, &cands, self.seed);
        let mut best: Option<(f64, FittedEts)> = None;
        for f in fits.into_iter().flatten() {
            let v = match self.ic {
                InformationCriterion::Aic => f.aic,
                InformationCriterion::Aicc => f.aicc,
                InformationCriterion::Bic => f.bic,
            };
            if v.is_nan() {
                continue;
            }
            if best.as_ref().is_none_or(|(b, _)| v < *b) {
                best = Some((v, f));
            }
        }
        best.map(|(_, f)| f).ok_or_else(|| Error::NotEnoughData {
            what: format!("automatic ETS (no candidate of model {:?} can be fitted)", self.model),
            required: 4,
            got: y.len(),
        })
    }
}

impl AutoEts {
    /// The candidate components of the model string, with the checks that need no data.
    fn components(&self) -> Result<(Vec<ErrorType>, Vec<TrendType>, Vec<SeasonType>)> {
        let (es, ts, ss) = parse_model(&self.model)?;
        if self.season_length == 0 {
            return Err(Error::OutOfRange { field: "season_length".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
        }
        if self.season_length == 1 && ss.iter().all(|s| *s != SeasonType::None) {
            return Err(Error::param("model", &self.model, "a seasonal model needs season_length > 1"));
        }
        if self.restrict && es == [ErrorType::Additive] && ss == [SeasonType::Multiplicative] {
            return Err(Error::param("model", &self.model, "additive error with multiplicative season is excluded while restrict is true"));
        }
        Ok((es, ts, ss))
    }

    /// Fits many independent series, each as [`AutoEts::fit`] would (the same model, bit for
    /// bit), in parallel over series with the `parallel` feature; the result does not depend on
    /// the thread count. The outer `Result` is the call's (a bad specification); each inner one
    /// is its series' (too short, not finite, ...), so one bad series does not sink the rest.
    ///
    /// ```
    /// use channelwise::forecast::ets::AutoEts;
    /// let a: Vec<f64> = (0..40).map(|t| 10.0 + (t % 4) as f64 + 0.1 * t as f64).collect();
    /// let b: Vec<f64> = (0..30).map(|t| 50.0 - 0.2 * t as f64 + (t % 3) as f64).collect();
    /// let fits = AutoEts::new(4).fit_many(&[&a[..], &b[..], &[1.0, 2.0]])?;
    /// assert_eq!(fits[0], AutoEts::new(4).fit(&a));
    /// assert!(fits[1].is_ok());
    /// assert_eq!(fits[2].as_ref().unwrap_err().kind().code(), "not_enough_data");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `model` and [`Error::OutOfRange`] naming
    /// `season_length` as [`AutoEts::fit`] (checked once, before any series).
    pub fn fit_many<S: AsRef<[f64]> + Sync>(&self, series: &[S]) -> Result<Vec<Result<FittedEts>>> {
        self.fit_many_with_progress(series, &Monitor::new())
    }

    /// [`AutoEts::fit_many`], reporting each finished series to `monitor` and stopping when it
    /// asks (see [`crate::progress`]).
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use channelwise::{forecast::ets::AutoEts, progress::{Monitor, Progress}};
    /// let ys: Vec<Vec<f64>> = (0..8).map(|s| (0..24).map(|t| 10.0 + s as f64 + (t % 4) as f64).collect()).collect();
    /// let monitor = Monitor::new().on_progress(|p: Progress| {
    ///     assert_eq!((p.total, p.stage), (8, "series"));
    ///     ControlFlow::Continue(())
    /// });
    /// let fits = AutoEts::new(4).fit_many_with_progress(&ys, &monitor)?;
    /// assert_eq!(fits.len(), 8);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`AutoEts::fit_many`]; [`Error::Cancelled`] when stopped.
    pub fn fit_many_with_progress<S: AsRef<[f64]> + Sync>(&self, series: &[S], monitor: &Monitor) -> Result<Vec<Result<FittedEts>>> {
        self.components()?;
        let ticker = Ticker::start(monitor, "automatic ETS", "series", series.len())?;
        let one = |y: &S| -> Result<Result<FittedEts>> {
            ticker.check()?;
            let fit = self.fit(y.as_ref());
            ticker.tick()?;
            Ok(fit)
        };
        #[cfg(feature = "parallel")]
        let fits: Vec<Result<FittedEts>> = {
            use rayon::prelude::*;
            series.par_iter().map(one).collect::<Result<_>>()?
        };
        #[cfg(not(feature = "parallel"))]
        let fits: Vec<Result<FittedEts>> = series.iter().map(one).collect::<Result<_>>()?;
        ticker.finish()?;
        Ok(fits)
    }
}

#[cfg(feature = "parallel")]
fn fit_all(y: &[f64], cands: &[Kind], seed: u64) -> Vec<Option<FittedEts>> {
    use rayon::prelude::*;
    cands.par_iter().map(|k| fit_one(y, *k, seed)).collect()
}

#[cfg(not(feature = "parallel"))]
fn fit_all(y: &[f64], cands: &[Kind], seed: u64) -> Vec<Option<FittedEts>> {
    cands.iter().map(|k| fit_one(y, *k, seed)).collect()
}

/// Parses `"ZZZ"`-style strings into the candidate components.
fn parse_model(model: &str) -> Result<(Vec<ErrorType>, Vec<TrendType>, Vec<SeasonType>)> {
    let c: Vec<char> = model.chars().collect();
    let bad = |why: &str| Error::param("model", model, why.to_string());
    if c.len() != 3 {
        return Err(bad("expected three letters: error (A, M, Z), trend (N, A, Z), season (N, A, M, Z), e.g. \"ZZZ\""));
    }
    let es = match c[0] {
        'A' => vec![ErrorType::Additive],
        'M' => vec![ErrorType::Multiplicative],
        'Z' => vec![ErrorType::Additive, ErrorType::Multiplicative],
        _ => return Err(bad("error letter must be A, M or Z")),
    };
    let ts = match c[1] {
        'N' => vec![TrendType::None],
        'A' => vec![TrendType::Additive],
        'Z' => vec![TrendType::None, TrendType::Additive],
        'M' => return Err(bad("multiplicative trend is not supported (use A with damped)")),
        _ => return Err(bad("trend letter must be N, A or Z")),
    };
    let ss = match c[2] {
        'N' => vec![SeasonType::None],
        'A' => vec![SeasonType::Additive],
        'M' => vec![SeasonType::Multiplicative],
        'Z' => vec![SeasonType::None, SeasonType::Additive, SeasonType::Multiplicative],
        _ => return Err(bad("season letter must be N, A, M or Z")),
    };
    Ok((es, ts, ss))
}

/// Checks `season_length` and `y`; returns `m`.
fn check_common(y: &[f64], m: usize) -> Result<usize> {
    if m == 0 {
        return Err(Error::OutOfRange { field: "season_length".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
    }
    crate::stats::check_finite("y", y)?;
    crate::stats::check_len("ETS", 4, y.len())?;
    Ok(m)
}

fn check_positive(y: &[f64]) -> Result<()> {
    match y.iter().position(|v| *v <= 0.0) {
        Some(i) => Err(Error::InvalidRecord {
            row: i,
            column: "y".into(),
            value: y[i].to_string(),
            reason: "a multiplicative error or season needs strictly positive data".into(),
        }),
        None => Ok(()),
    }
}

/// Number of free (optimised) parameters: smoothing + initial states.
fn n_free(kind: Kind) -> usize {
    let mut k = 2; // alpha, l0
    if kind.has_trend() {
        k += 2;
    }
    if kind.trend == TrendType::AdditiveDamped {
        k += 1;
    }
    if kind.has_season() {
        k += 1 + (kind.m - 1);
    }
    k
}

/// The documented constant-series fallback, or `None` if `y` is not constant.
fn constant_fit(y: &[f64], seed: u64) -> Option<FittedEts> {
    let c = y[0];
    if y.iter().any(|v| *v != c) {
        return None;
    }
    let n = y.len();
    let kind = Kind { error: ErrorType::Additive, trend: TrendType::None, season: SeasonType::None, m: 1 };
    let lik = n as f64 * (1e-8f64).ln();
    let k = 3;
    let (aic, aicc, bic) = criteria(lik, k, n);
    Some(FittedEts {
        kind,
        params: EtsParams { alpha: 0.9999, beta: None, gamma: None, phi: None, initial_level: c, initial_trend: None, initial_seasonal: Vec::new() },
        y: y.to_vec(),
        fitted: vec![c; n],
        innovations: vec![0.0; n],
        log_likelihood: -0.5 * lik,
        aic,
        aicc,
        bic,
        sigma2: 0.0,
        n_params: k,
        seasonal_fixed: false,
        last: State { l: c, b: 0.0, ring: Vec::new(), pos: 0 },
        seed,
    })
}

fn criteria(lik: f64, k: usize, n: usize) -> (f64, f64, f64) {
    let kf = k as f64;
    let aic = lik + 2.0 * kf;
    let bic = lik + (n as f64).ln() * kf;
    let aicc = if n > k + 1 { aic + 2.0 * kf * (kf + 1.0) / (n - k - 1) as f64 } else { f64::INFINITY };
    (aic, aicc, bic)
}

/// Unpacks an optimiser vector into smoothing parameters and an initial state.
struct Layout {
    kind: Kind,
    damped: bool,
    fixed_seasonal: Option<Vec<f64>>,
}

impl Layout {
    fn unpack(&self, x: &[f64]) -> (Smoothing, State) {
        let kind = self.kind;
        let mut i = 0;
        let mut next = || {
            let v = x[i];
            i += 1;
            v
        };
        let alpha = next();
        let beta = if kind.has_trend() { next() } else { 0.0 };
        let gamma = if kind.has_season() { next() } else { 0.0 };
        let phi = if self.damped { next() } else { 1.0 };
        let l = next();
        let b = if kind.has_trend() { next() } else { 0.0 };
        let ring = if !kind.has_season() {
            Vec::new()
        } else if let Some(f) = &self.fixed_seasonal {
            f.clone()
        } else {
            let m = kind.m;
            let mut r = vec![0.0; m];
            let mut sum = 0.0;
            for slot in r.iter_mut().skip(1) {
                *slot = next();
                sum += *slot;
            }
            r[0] = if kind.season == SeasonType::Multiplicative { m as f64 - sum } else { -sum };
            r
        };
        (Smoothing { alpha, beta, gamma, phi }, State { l, b, ring, pos: 0 })
    }
}

/// Fits one candidate; `None` if it has too many parameters for `y` or no finite likelihood.
fn fit_one(y: &[f64], kind: Kind, seed: u64) -> Option<FittedEts> {
    let n = y.len();
    let damped = kind.trend == TrendType::AdditiveDamped;
    let k_free = n_free(kind);
    if k_free >= n.saturating_sub(1) || (kind.has_season() && n < 4) {
        return None;
    }
    let init = init::initial_states(y, kind);
    let m_eff = if kind.has_season() { kind.m as f64 } else { 1.0 };
    let alpha0 = LOWER[0] + 0.2 * (UPPER[0] - LOWER[0]) / m_eff;
    let mut x0 = vec![alpha0];
    let mut lo = vec![LOWER[0]];
    let mut up = vec![UPPER[0]];
    if kind.has_trend() {
        let ub = UPPER[1].min(alpha0);
        x0.push(LOWER[1] + 0.1 * (ub - LOWER[1]));
        lo.push(LOWER[1]);
        up.push(UPPER[1]);
    }
    if kind.has_season() {
        let ug = UPPER[2].min(1.0 - alpha0);
        x0.push(LOWER[2] + 0.05 * (ug - LOWER[2]));
        lo.push(LOWER[2]);
        up.push(UPPER[2]);
    }
    if damped {
        x0.push(LOWER[3] + 0.99 * (UPPER[3] - LOWER[3]));
        lo.push(LOWER[3]);
        up.push(UPPER[3]);
    }
    x0.push(init.l);
    if kind.has_trend() {
        x0.push(init.b);
    }
    let fixed = kind.has_season() && kind.m > MAX_OPTIMISED_SEASON;
    if kind.has_season() && !fixed {
        x0.extend_from_slice(&init.seasonal[1..]);
    }
    while lo.len() < x0.len() {
        lo.push(f64::NEG_INFINITY);
        up.push(f64::INFINITY);
    }
    let layout = Layout { kind, damped, fixed_seasonal: fixed.then(|| init.seasonal.clone()) };
    let objective = |x: &[f64]| -> f64 {
        let (sm, mut st) = layout.unpack(x);
        if !engine::check_params(kind, &sm, damped) {
            return f64::INFINITY;
        }
        if kind.season == SeasonType::Multiplicative && st.ring.iter().any(|s| *s < 0.0) {
            return f64::INFINITY;
        }
        let lik = engine::filter(kind, &sm, y, &mut st, None, None);
        if lik.is_nan() {
            f64::INFINITY
        } else {
            lik.max(-1e10)
        }
    };
    let (xb, fb) = optim::nelder_mead(objective, &x0, &lo, &up, 1e-4, 2000);
    if !fb.is_finite() {
        return None;
    }
    let (sm, mut st) = layout.unpack(&xb);
    let init_state = st.clone();
    let mut fitted = vec![0.0; n];
    let mut e = vec![0.0; n];
    let lik = engine::filter(kind, &sm, y, &mut st, Some(&mut fitted), Some(&mut e));
    if !lik.is_finite() || fitted.iter().any(|v| !v.is_finite()) || !st.l.is_finite() || !st.b.is_finite() || st.ring.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let k = k_free + 1 + if fixed { kind.m - 1 } else { 0 };
    let (aic, aicc, bic) = criteria(lik, k, n);
    let sse: f64 = e.iter().map(|v| v * v).sum();
    let dof = n.saturating_sub(k + 1).max(1);
    Some(FittedEts {
        kind,
        params: EtsParams {
            alpha: sm.alpha,
            beta: kind.has_trend().then_some(sm.beta),
            gamma: kind.has_season().then_some(sm.gamma),
            phi: damped.then_some(sm.phi),
            initial_level: init_state.l,
            initial_trend: kind.has_trend().then_some(init_state.b),
            initial_seasonal: init_state.ring.clone(),
        },
        y: y.to_vec(),
        fitted,
        innovations: e,
        log_likelihood: -0.5 * lik,
        aic,
        aicc,
        bic,
        sigma2: sse / dof as f64,
        n_params: k,
        seasonal_fixed: fixed,
        last: st,
        seed,
    })
}

/// Estimated parameters and initial states of a fitted ETS model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EtsParams {
    /// Level smoothing.
    pub alpha: f64,
    /// Trend smoothing (`None` without trend).
    pub beta: Option<f64>,
    /// Seasonal smoothing (`None` without season).
    pub gamma: Option<f64>,
    /// Damping (`None` unless damped).
    pub phi: Option<f64>,
    /// Initial level `l_0`.
    pub initial_level: f64,
    /// Initial trend `b_0` (`None` without trend).
    pub initial_trend: Option<f64>,
    /// Initial seasonal states in time order: `initial_seasonal[k]` is applied to `y[k]`,
    /// `k < m` (R and statsforecast print them most recent first, i.e. reversed). Empty without
    /// season.
    pub initial_seasonal: Vec<f64>,
}

/// A fitted ETS model: parameters, in-sample fit, criteria, forecasts.
///
/// Serialises with serde (structure, parameters, the final state and the in-sample fit), so a
/// stored model forecasts without refitting; deserialising checks that the parts agree (a
/// damaged document is an error, not a model that fails later).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FittedEtsData")]
pub struct FittedEts {
    kind: Kind,
    params: EtsParams,
    y: Vec<f64>,
    fitted: Vec<f64>,
    innovations: Vec<f64>,
    log_likelihood: f64,
    aic: f64,
    aicc: f64,
    bic: f64,
    sigma2: f64,
    n_params: usize,
    seasonal_fixed: bool,
    last: State,
    seed: u64,
}

/// The serialised fields of [`FittedEts`], checked by `TryFrom` before they become a model.
#[derive(Deserialize)]
struct FittedEtsData {
    kind: Kind,
    params: EtsParams,
    y: Vec<f64>,
    fitted: Vec<f64>,
    innovations: Vec<f64>,
    log_likelihood: f64,
    aic: f64,
    aicc: f64,
    bic: f64,
    sigma2: f64,
    n_params: usize,
    seasonal_fixed: bool,
    last: State,
    seed: u64,
}

impl TryFrom<FittedEtsData> for FittedEts {
    type Error = Error;

    fn try_from(d: FittedEtsData) -> Result<Self> {
        let bad = |reason: &str| Error::InvalidParameter {
            field: "fitted_ets".into(),
            value: "(serialised model)".into(),
            reason: reason.into(),
        };
        let k = d.kind;
        let m = if k.has_season() { k.m } else { 0 };
        if k.m == 0 || (k.has_season() && k.m < 2) || d.last.ring.len() != m || (m > 0 && d.last.pos >= m) || (m == 0 && d.last.pos != 0) {
            return Err(bad("seasonal state inconsistent with the season length"));
        }
        if d.fitted.len() != d.y.len() || d.innovations.len() != d.y.len() {
            return Err(bad("fitted values and innovations must have one entry per observation"));
        }
        let p = &d.params;
        let finite = |x: Option<f64>| x.is_none_or(f64::is_finite);
        if !p.alpha.is_finite()
            || !finite(p.beta)
            || !finite(p.gamma)
            || !finite(p.phi)
            || p.beta.is_some() != k.has_trend()
            || p.gamma.is_some() != k.has_season()
            || p.phi.is_some() != (k.trend == TrendType::AdditiveDamped)
            || !d.sigma2.is_finite()
            || d.sigma2 < 0.0
            || !d.last.l.is_finite()
            || !d.last.b.is_finite()
            || d.last.ring.iter().any(|v| !v.is_finite())
        {
            return Err(bad("parameters or state inconsistent with the model"));
        }
        Ok(FittedEts {
            kind: d.kind,
            params: d.params,
            y: d.y,
            fitted: d.fitted,
            innovations: d.innovations,
            log_likelihood: d.log_likelihood,
            aic: d.aic,
            aicc: d.aicc,
            bic: d.bic,
            sigma2: d.sigma2,
            n_params: d.n_params,
            seasonal_fixed: d.seasonal_fixed,
            last: d.last,
            seed: d.seed,
        })
    }
}

impl Default for Kind {
    fn default() -> Self {
        Kind { error: ErrorType::Additive, trend: TrendType::None, season: SeasonType::None, m: 1 }
    }
}

impl Default for State {
    fn default() -> Self {
        State { l: 0.0, b: 0.0, ring: Vec::new(), pos: 0 }
    }
}

/// Point forecasts and prediction intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EtsForecast {
    /// Point forecasts, `h` values.
    pub mean: Vec<f64>,
    /// The levels asked for, in percent.
    pub levels: Vec<f64>,
    /// `lower[i]` holds the `h` lower bounds at `levels[i]`.
    pub lower: Vec<Vec<f64>>,
    /// `upper[i]` holds the `h` upper bounds at `levels[i]`.
    pub upper: Vec<Vec<f64>>,
    /// Whether the intervals come from simulated paths rather than an analytic variance.
    pub simulated: bool,
}

/// Checks interval levels: finite and strictly between 0 and 100.
pub(crate) fn check_levels(levels: &[f64]) -> Result<()> {
    for (i, &l) in levels.iter().enumerate() {
        if !l.is_finite() {
            return Err(Error::NonFinite { field: format!("levels[{i}]"), value: l });
        }
        if l <= 0.0 || l >= 100.0 {
            return Err(Error::OutOfRange { field: format!("levels[{i}]"), value: l, min: 0.0, max: 100.0 });
        }
    }
    Ok(())
}

/// Two-sided standard normal quantile for a level in percent.
pub(crate) fn z_of(level: f64) -> f64 {
    Normal::standard().inverse_cdf(0.5 + level / 200.0)
}

impl FittedEts {
    /// The model's name, e.g. `"ETS(M,Ad,M)"` (statsforecast writes the damped trend `Ad`).
    ///
    /// ```
    /// use channelwise::forecast::ets::{Ets, ErrorType, SeasonType, TrendType};
    /// let f = Ets::new(ErrorType::Additive, TrendType::AdditiveDamped, SeasonType::None).fit(&[1.0, 3.0, 2.0, 4.0, 3.5, 5.0, 4.5, 6.0])?;
    /// assert_eq!(f.model(), "ETS(A,Ad,N)");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn model(&self) -> String {
        format!("ETS({},{},{})", self.kind.error.letter(), self.kind.trend.letter(), self.kind.season.letter())
    }

    /// The error component.
    pub fn error_type(&self) -> ErrorType {
        self.kind.error
    }

    /// The trend component.
    pub fn trend_type(&self) -> TrendType {
        self.kind.trend
    }

    /// The seasonal component.
    pub fn season_type(&self) -> SeasonType {
        self.kind.season
    }

    /// The season length used (1 for a non-seasonal model).
    pub fn season_length(&self) -> usize {
        self.kind.m
    }

    /// Smoothing parameters and initial states.
    pub fn params(&self) -> &EtsParams {
        &self.params
    }

    /// One-step-ahead in-sample forecasts.
    pub fn fitted(&self) -> &[f64] {
        &self.fitted
    }

    /// Response residuals `y - fitted`.
    pub fn residuals(&self) -> Vec<f64> {
        self.y.iter().zip(&self.fitted).map(|(y, f)| y - f).collect()
    }

    /// The model's innovations: `y - fitted` for additive errors, `(y - fitted) / fitted` for
    /// multiplicative ones (statsforecast's `residuals`).
    pub fn innovations(&self) -> &[f64] {
        &self.innovations
    }

    /// Log-likelihood (R / statsforecast convention, see the module docs).
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }

    /// Akaike information criterion.
    pub fn aic(&self) -> f64 {
        self.aic
    }

    /// Small-sample corrected AIC (infinite when `n <= n_params + 1`).
    pub fn aicc(&self) -> f64 {
        self.aicc
    }

    /// Bayesian information criterion.
    pub fn bic(&self) -> f64 {
        self.bic
    }

    /// Innovation variance, `SSE / (n - n_params - 1)`.
    pub fn sigma2(&self) -> f64 {
        self.sigma2
    }

    /// Parameters counted in the criteria (smoothing, initial states, variance).
    pub fn n_params(&self) -> usize {
        self.n_params
    }

    /// Whether the initial seasonal states were kept at the heuristic (`season_length > 24`).
    pub fn seasonal_states_fixed(&self) -> bool {
        self.seasonal_fixed
    }

    /// Point forecasts for `h` steps and prediction intervals at each level (percent).
    ///
    /// # Errors
    /// [`Error::NonFinite`] or [`Error::OutOfRange`] naming `levels[i]` unless `0 < level < 100`;
    /// [`Error::OutOfRange`] naming `h` above [`MAX_HORIZON`], or above
    /// [`MAX_SIMULATED_HORIZON`] when the intervals are simulated.
    ///
    /// ```
    /// use channelwise::forecast::ets::{Ets, ErrorType, SeasonType, TrendType};
    /// let fit = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::None).fit(&[5.0, 6.0, 5.5, 6.5, 6.0, 5.8])?;
    /// let f = fit.forecast(4, &[80.0, 95.0])?;
    /// assert!(f.upper[1][3] - f.lower[1][3] >= f.upper[1][0] - f.lower[1][0]);
    /// assert_eq!(fit.forecast(1, &[100.0]).unwrap_err().kind().code(), "out_of_range");
    /// assert_eq!(fit.forecast(1_000_000, &[]).unwrap_err().to_string(), "h must be in [0, 100000], got 1000000");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn forecast(&self, h: usize, levels: &[f64]) -> Result<EtsForecast> {
        check_levels(levels)?;
        if h > MAX_HORIZON {
            return Err(Error::OutOfRange { field: "h".into(), value: h as f64, min: 0.0, max: MAX_HORIZON as f64 });
        }
        let sm = Smoothing {
            alpha: self.params.alpha,
            beta: self.params.beta.unwrap_or(0.0),
            gamma: self.params.gamma.unwrap_or(0.0),
            phi: self.params.phi.unwrap_or(1.0),
        };
        let mean = engine::point_forecast(self.kind, sm.phi, &self.last, h);
        let mut lower = Vec::with_capacity(levels.len());
        let mut upper = Vec::with_capacity(levels.len());
        let mut simulated = false;
        if h > 0 && !levels.is_empty() {
            if let Some(var) = intervals::analytic_variance(self.kind, &sm, &self.last, &mean, self.sigma2) {
                for &lv in levels {
                    let z = z_of(lv);
                    lower.push(mean.iter().zip(&var).map(|(m, v)| m - z * v.sqrt()).collect());
                    upper.push(mean.iter().zip(&var).map(|(m, v)| m + z * v.sqrt()).collect());
                }
            } else {
                if h > MAX_SIMULATED_HORIZON {
                    // 5000 paths x h values, kept twice while sorting: bounded memory
                    return Err(Error::OutOfRange {
                        field: "h (simulated intervals)".into(),
                        value: h as f64,
                        min: 0.0,
                        max: MAX_SIMULATED_HORIZON as f64,
                    });
                }
                simulated = true;
                let paths = intervals::simulate(self.kind, &sm, &self.last, h, self.sigma2, self.seed);
                let mut cols: Vec<Vec<f64>> = (0..h).map(|j| (0..intervals::N_SIM).map(|i| paths[i * h + j]).collect()).collect();
                for c in cols.iter_mut() {
                    crate::stats::sort_f64(c);
                }
                for &lv in levels {
                    lower.push(cols.iter().map(|c| intervals::quantile_sorted(c, 0.5 - lv / 200.0)).collect());
                    upper.push(cols.iter().map(|c| intervals::quantile_sorted(c, 0.5 + lv / 200.0)).collect());
                }
            }
        } else {
            lower = vec![Vec::new(); levels.len()];
            upper = vec![Vec::new(); levels.len()];
        }
        Ok(EtsForecast { mean, levels: levels.to_vec(), lower, upper, simulated })
    }

    /// In-sample points outside the one-step-ahead prediction interval at `level` (percent):
    /// expected = fitted value, interval `fitted +- z sd` with `sd = sqrt(sigma2)` (additive
    /// error) or `|fitted| sqrt(sigma2)` (multiplicative error). See
    /// [`crate::anomaly::residual::residual_alerts`].
    ///
    /// # Errors
    /// [`Error::OutOfRange`] / [`Error::NonFinite`] naming `level` unless `0 < level < 100`.
    ///
    /// ```
    /// use channelwise::forecast::ets::{Ets, ErrorType, SeasonType, TrendType};
    /// let mut y = vec![10.0, 10.4, 9.8, 10.1, 10.3, 9.9, 10.2, 10.0, 9.7, 10.1, 10.2, 9.9];
    /// y[8] = 25.0;
    /// let fit = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::None).fit(&y)?;
    /// let alerts = fit.alerts(95.0)?;
    /// assert!(alerts.iter().any(|a| a.index == 8));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn alerts(&self, level: f64) -> Result<Vec<ResidualAlert>> {
        check_levels(&[level]).map_err(|e| match e {
            Error::OutOfRange { value, min, max, .. } => Error::OutOfRange { field: "level".into(), value, min, max },
            Error::NonFinite { value, .. } => Error::NonFinite { field: "level".into(), value },
            other => other,
        })?;
        let z = z_of(level);
        let s = self.sigma2.max(0.0).sqrt();
        let sd: Vec<f64> = self
            .fitted
            .iter()
            .map(|f| match self.kind.error {
                ErrorType::Additive => s,
                ErrorType::Multiplicative => f.abs() * s,
            })
            .collect();
        let lower: Vec<f64> = self.fitted.iter().zip(&sd).map(|(f, d)| f - z * d).collect();
        let upper: Vec<f64> = self.fitted.iter().zip(&sd).map(|(f, d)| f + z * d).collect();
        residual_alerts(&self.y, &self.fitted, &lower, &upper, level)
    }
}

impl fmt::Display for FittedEts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} alpha={:.4}", self.model(), self.params.alpha)?;
        if let Some(b) = self.params.beta {
            write!(f, " beta={b:.4}")?;
        }
        if let Some(g) = self.params.gamma {
            write!(f, " gamma={g:.4}")?;
        }
        if let Some(p) = self.params.phi {
            write!(f, " phi={p:.4}")?;
        }
        write!(f, " aicc={:.3} sigma2={:.6}", self.aicc, self.sigma2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_round_trip_forecasts_the_same_and_damage_is_an_error() {
        let y: Vec<f64> = (0..48).map(|t| (100.0 + t as f64) * (1.0 + 0.2 * ((t % 12) as f64 - 5.5) / 5.5)).collect();
        for fit in [AutoEts::new(12).fit(&y).unwrap(), AutoEts::new(1).fit(&y[..20]).unwrap()] {
            let text = serde_json::to_string(&fit).unwrap();
            let back: FittedEts = serde_json::from_str(&text).unwrap();
            assert_eq!(back, fit);
            assert_eq!(back.forecast(10, &[80.0, 95.0]).unwrap(), fit.forecast(10, &[80.0, 95.0]).unwrap());
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            v["fitted"] = serde_json::json!([1.0]);
            let e = serde_json::from_value::<FittedEts>(v).unwrap_err();
            assert!(e.to_string().contains("fitted_ets"), "{e}");
        }
        let fit = AutoEts::new(12).fit(&y).unwrap();
        let mut v = serde_json::to_value(&fit).unwrap();
        if fit.season_type() != SeasonType::None {
            v["last"]["ring"] = serde_json::json!([1.0, 2.0]);
            assert!(serde_json::from_value::<FittedEts>(v).is_err());
        }
    }

    #[test]
    fn horizons_are_bounded() {
        let fit = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::None).fit(&[5.0, 6.0, 5.5, 6.5, 6.0, 5.8]).unwrap();
        assert_eq!(fit.forecast(MAX_HORIZON, &[]).unwrap().mean.len(), MAX_HORIZON);
        assert_eq!(fit.forecast(MAX_HORIZON + 1, &[]).unwrap_err().kind(), crate::ErrorKind::OutOfRange);
        let y: Vec<f64> = (0..40).map(|t| 50.0 + 10.0 * ((t % 4) as f64)).collect();
        let sim = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::Multiplicative).season_length(4).fit(&y).unwrap();
        assert!(sim.forecast(8, &[95.0]).unwrap().simulated);
        let e = sim.forecast(MAX_SIMULATED_HORIZON + 1, &[95.0]).unwrap_err();
        assert!(e.to_string().starts_with("h (simulated intervals) must be in"), "{e}");
        assert_eq!(sim.forecast(MAX_SIMULATED_HORIZON + 1, &[]).unwrap().mean.len(), MAX_SIMULATED_HORIZON + 1);
    }

    fn air() -> Vec<f64> {
        vec![
            112., 118., 132., 129., 121., 135., 148., 148., 136., 119., 104., 118., 115., 126., 141., 135., 125., 149., 170., 170., 158., 133., 114., 140., 145., 150., 178., 163., 172., 178., 199., 199., 184., 162., 146., 166., 171., 180., 193., 181., 183., 218., 230., 242., 209., 191., 172., 194., 196., 196., 236., 235., 229., 243., 264., 272., 237., 211., 180., 201., 204., 188., 235., 227., 234., 264., 302., 293., 259., 229., 203., 229., 242., 233., 267., 269., 270., 315., 364., 347., 312., 274., 237., 278., 284., 277., 317., 313., 318., 374., 413., 405., 355., 306., 271., 306., 315., 301., 356., 348., 355., 422., 465., 467., 404., 347., 305., 336., 340., 318., 362., 348., 363., 435., 491., 505., 404., 359., 310., 337., 360., 342., 406., 396., 420., 472., 548., 559., 463., 407., 362., 405., 417., 391., 419., 461., 472., 535., 622., 606., 508., 461., 390., 432.,
        ]
    }

    #[test]
    fn airpassengers_auto() {
        let fit = AutoEts::new(12).fit(&air()).unwrap();
        eprintln!("{fit}");
        assert!(fit.model().ends_with(",M)"));
    }

    #[test]
    fn long_season_fixes_states() {
        let y: Vec<f64> = (0..3 * 52).map(|t| 100.0 + 10.0 * (2.0 * std::f64::consts::PI * t as f64 / 52.0).sin()).collect();
        let fit = Ets::new(ErrorType::Additive, TrendType::None, SeasonType::Additive).season_length(52).fit(&y).unwrap();
        assert!(fit.seasonal_states_fixed());
        let f = fit.forecast(52, &[95.0]).unwrap();
        assert!((f.mean[13] - y[13]).abs() < 2.0, "{} vs {}", f.mean[13], y[13]);
    }
}
