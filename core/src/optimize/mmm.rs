//! The media mix model: the outcome over time regressed on each channel's spend, carried over
//! (adstock) and saturating, beside an intercept, a linear trend, Fourier seasonality and
//! controls, fitted by penalised maximum likelihood (the posterior mode) with Laplace or
//! bootstrap intervals.
//!
//! ```text
//! y_t / y_s = intercept + trend tau_t + sum_j fourier_j F_j(t) + sum_k gamma_k z_kt / z_ks
//!           + sum_c saturation_c(adstock_c(x_c / x_cs))_t + e_t,   e_t ~ N(0, sigma^2)
//! ```
//!
//! Scaling follows pymc-marketing's MMM: the target and each channel are divided by their
//! largest absolute value (`y_s`, `x_cs`; controls too, which pymc-marketing leaves as given),
//! so the priors below read on a unit scale. Each channel's saturation carries its own effect
//! size (`beta` of the logistic curve), kept non-negative, so no channel ever lowers the outcome.
//!
//! # Parameters of [`Mmm`]
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `adstock` | `"geometric"` | carry-over kind ([`Adstock`]) | `geometric`, `delayed`, `weibull_pdf`, `weibull_cdf` |
//! | `l_max` | 8 | lags | 1..=rows |
//! | `normalize` | `true` | adstock weights sum to 1 | |
//! | `saturation` | `"logistic"` | curve kind ([`Saturation`]) | `logistic`, `hill`, `michaelis_menten`, `tanh`, `power`, `log` |
//! | `adstock_first` | `true` | adstock, then saturation (else the reverse) | |
//! | `yearly_seasonality` | 0 | Fourier order (0: none) | 0..=50 |
//! | `period` | 52.1775 | rows per year when no `days` are given | `> 1` |
//! | `trend` | `true` | a linear trend | |
//! | `starts` | 4 | optimiser starts: the first from the priors' centres, then alternately the best point so far with its curve parameters jittered, and curve parameters drawn from the priors | 1..=1000 |
//! | `max_iter` | 200 | damped-Newton iterations per start (an L-BFGS polish follows) | `>= 1` |
//! | `uncertainty` | Laplace, 1000 draws | [`Uncertainty`] | |
//! | `level` | 0.9 | interval coverage | (0, 1) |
//! | `holdout` | 0 | last rows held out for a time-ordered score | `< rows / 2` |
//! | `seed` | 0 | starts, draws, bootstrap | |
//!
//! # Priors (defaults; [`Mmm::prior`] replaces any)
//!
//! | Parameter | Default | pymc-marketing 0.19 |
//! |---|---|---|
//! | `intercept` | Normal(0, 2) | same |
//! | `trend` | Normal(0, 1) | (no trend) |
//! | `fourier` | Normal(0, 1) | Laplace(0, 1): its kink at 0 has no curvature for the Laplace approximation; [`Prior::Laplace`] is available, smoothed over 1e-3 |
//! | `control` | Normal(0, 2) | same |
//! | `sigma` | HalfNormal(2) | same |
//! | `adstock.alpha` | Beta(1, 3) | same |
//! | `adstock.theta` | HalfNormal(1) | same |
//! | `adstock.lam`, `adstock.k` | Gamma(2, 1), Gamma(3, 1) | - |
//! | `saturation.lam` (logistic) | Gamma(3, 1) | same |
//! | `saturation.beta` (logistic, hill, log) | HalfNormal(2) | same (logistic) |
//! | `saturation.slope`, `saturation.kappa` (hill) | HalfNormal(1.5) | same |
//! | `saturation.alpha`, `saturation.lam` (michaelis_menten) | Gamma(4, 2), HalfNormal(1) | - |
//! | `saturation.b`, `saturation.c` (tanh) | HalfNormal(1) | same |
//! | `saturation.a`, `saturation.b` (power) | HalfNormal(2), Beta(2, 2) | - |
//! | `saturation.lam` (log) | Gamma(3, 1) | - |
//!
//! # Uncertainty
//! - **Laplace**: the posterior as a normal around the mode in the unconstrained parameters
//!   (logs of positive parameters, logits of bounded ones), covariance the inverse Hessian of
//!   the negative log posterior (central differences of the exact gradient); directions of no
//!   curvature are clamped and reported in `warnings`. Draws mapped back keep every constraint.
//! - **Bootstrap**: moving blocks of the fitted residuals (circular, seeded) added to the fit,
//!   each replicate refitted from the mode.
//!
//! Every interval (parameters, contributions, shares, ROAS, marginal ROAS, curves) is the
//! equal-tailed `level` interval of the same draws.

use std::f64::consts::PI;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta as BetaDist, Distribution, Gamma as GammaDist, Normal as NormalDist, StandardNormal};
use serde::{Deserialize, Serialize};

use super::response::{check_spend, convolve, saturation_param_names, Adstock, Saturation, ADSTOCK_KINDS, SATURATION_KINDS};
use crate::minimize::{lbfgs, Settings};
use crate::progress::{Monitor, Ticker};
use crate::{Error, Result};

/// A prior on one parameter (its log density enters the objective; `Flat` adds nothing).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prior {
    /// No penalty (maximum likelihood in this parameter).
    Flat,
    /// Normal(mu, sigma).
    Normal {
        /// Mean.
        mu: f64,
        /// Standard deviation, `> 0`.
        sigma: f64,
    },
    /// Half-normal(sigma) on `x >= 0`.
    HalfNormal {
        /// Scale, `> 0`.
        sigma: f64,
    },
    /// Gamma(alpha, beta), rate `beta`.
    Gamma {
        /// Shape, `> 0`.
        alpha: f64,
        /// Rate, `> 0`.
        beta: f64,
    },
    /// Beta(alpha, beta) on (0, 1).
    Beta {
        /// First shape, `> 0`.
        alpha: f64,
        /// Second shape, `> 0`.
        beta: f64,
    },
    /// Laplace(mu, b), smoothed within 1e-3 of `mu` so it has a gradient and a curvature.
    Laplace {
        /// Centre.
        mu: f64,
        /// Scale, `> 0`.
        b: f64,
    },
}

const LAPLACE_SMOOTH: f64 = 1e-3;

impl Prior {
    fn validate(&self, field: &str) -> Result<()> {
        let pos = |n: &str, v: f64| {
            if !v.is_finite() {
                Err(Error::NonFinite { field: format!("{field}.{n}"), value: v })
            } else if v <= 0.0 {
                Err(Error::OutOfRange { field: format!("{field}.{n}"), value: v, min: 0.0, max: f64::INFINITY })
            } else {
                Ok(())
            }
        };
        match *self {
            Prior::Flat => Ok(()),
            Prior::Normal { mu, sigma } => {
                if !mu.is_finite() {
                    return Err(Error::NonFinite { field: format!("{field}.mu"), value: mu });
                }
                pos("sigma", sigma)
            }
            Prior::HalfNormal { sigma } => pos("sigma", sigma),
            Prior::Gamma { alpha, beta } | Prior::Beta { alpha, beta } => {
                pos("alpha", alpha)?;
                pos("beta", beta)
            }
            Prior::Laplace { mu, b } => {
                if !mu.is_finite() {
                    return Err(Error::NonFinite { field: format!("{field}.mu"), value: mu });
                }
                pos("b", b)
            }
        }
    }

    /// Negative log density (up to a constant) and its derivative at `x`.
    fn penalty(&self, x: f64) -> (f64, f64) {
        match *self {
            Prior::Flat => (0.0, 0.0),
            Prior::Normal { mu, sigma } => {
                let z = (x - mu) / sigma;
                (0.5 * z * z, z / sigma)
            }
            Prior::HalfNormal { sigma } => {
                let z = x / sigma;
                (0.5 * z * z, z / sigma)
            }
            Prior::Gamma { alpha, beta } => (-(alpha - 1.0) * x.ln() + beta * x, -(alpha - 1.0) / x + beta),
            Prior::Beta { alpha, beta } => (
                -(alpha - 1.0) * x.ln() - (beta - 1.0) * (-x).ln_1p(),
                -(alpha - 1.0) / x + (beta - 1.0) / (1.0 - x),
            ),
            Prior::Laplace { mu, b } => {
                let d = x - mu;
                let s = (d * d + LAPLACE_SMOOTH * LAPLACE_SMOOTH).sqrt();
                (s / b, d / (s * b))
            }
        }
    }

    /// Second derivative of [`Prior::penalty`] at `x`.
    fn curvature(&self, x: f64) -> f64 {
        match *self {
            Prior::Flat => 0.0,
            Prior::Normal { sigma, .. } | Prior::HalfNormal { sigma } => 1.0 / (sigma * sigma),
            Prior::Gamma { alpha, .. } => (alpha - 1.0) / (x * x),
            Prior::Beta { alpha, beta } => (alpha - 1.0) / (x * x) + (beta - 1.0) / ((1.0 - x) * (1.0 - x)),
            Prior::Laplace { mu, b } => {
                let d = x - mu;
                let s = (d * d + LAPLACE_SMOOTH * LAPLACE_SMOOTH).sqrt();
                LAPLACE_SMOOTH * LAPLACE_SMOOTH / (b * s * s * s)
            }
        }
    }

    /// A draw (for random starts); `None` for a flat prior.
    fn sample(&self, rng: &mut ChaCha8Rng) -> Option<f64> {
        Some(match *self {
            Prior::Flat => return None,
            Prior::Normal { mu, sigma } => NormalDist::new(mu, sigma).ok()?.sample(rng),
            Prior::HalfNormal { sigma } => NormalDist::new(0.0, sigma).ok()?.sample(rng).abs(),
            Prior::Gamma { alpha, beta } => GammaDist::new(alpha, 1.0 / beta).ok()?.sample(rng),
            Prior::Beta { alpha, beta } => BetaDist::new(alpha, beta).ok()?.sample(rng),
            Prior::Laplace { mu, b } => {
                let u: f64 = rng.random::<f64>() - 0.5;
                mu - b * u.signum() * (1.0 - 2.0 * u.abs()).ln()
            }
        })
    }
}

/// How the intervals are made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Uncertainty {
    /// Point estimates only.
    None,
    /// The Laplace approximation around the mode, `draws` draws.
    Laplace {
        /// Draws (>= 10).
        draws: usize,
    },
    /// A moving-block bootstrap of the residuals, refitted `replicates` times.
    Bootstrap {
        /// Replicates (>= 10).
        replicates: usize,
        /// Block length in rows; `None`: the cube root of the rows, rounded.
        block: Option<usize>,
    },
}

/// The data of one fit: the outcome, each channel's spend and the controls, row by row.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MmmData {
    /// The outcome per row.
    pub target: Vec<f64>,
    /// Channel names.
    pub channels: Vec<String>,
    /// Spend per channel (one vector per channel, a value per row).
    pub spend: Vec<Vec<f64>>,
    /// Control names.
    pub controls: Vec<String>,
    /// Control values per control.
    pub control_values: Vec<Vec<f64>>,
    /// Days since 1970-01-01 per row (seasonality and trend from the calendar); `None`: rows
    /// are evenly spaced, `period` rows a year.
    pub days: Option<Vec<f64>>,
}

impl MmmData {
    /// Data with this outcome and nothing else yet.
    pub fn new(target: Vec<f64>) -> Self {
        MmmData { target, ..Default::default() }
    }

    /// Adds a channel.
    pub fn channel(mut self, name: impl Into<String>, spend: Vec<f64>) -> Self {
        self.channels.push(name.into());
        self.spend.push(spend);
        self
    }

    /// Adds a control.
    pub fn control(mut self, name: impl Into<String>, values: Vec<f64>) -> Self {
        self.controls.push(name.into());
        self.control_values.push(values);
        self
    }

    /// Sets the calendar (days since 1970-01-01 per row).
    pub fn days(mut self, days: Vec<f64>) -> Self {
        self.days = Some(days);
        self
    }

    fn rows(&self) -> usize {
        self.target.len()
    }

    fn validate(&self, with_target: bool) -> Result<()> {
        let n = self.rows();
        if with_target {
            for (i, &v) in self.target.iter().enumerate() {
                if !v.is_finite() {
                    return Err(Error::NonFinite { field: format!("target[{i}]"), value: v });
                }
            }
        }
        if self.channels.is_empty() {
            return Err(Error::NotEnoughData { what: "a media mix model (channels)".into(), required: 1, got: 0 });
        }
        if self.spend.len() != self.channels.len() {
            return Err(Error::LengthMismatch { field: "spend".into(), got: self.spend.len(), expected: self.channels.len() });
        }
        if self.control_values.len() != self.controls.len() {
            return Err(Error::LengthMismatch { field: "control_values".into(), got: self.control_values.len(), expected: self.controls.len() });
        }
        let mut seen = std::collections::HashSet::new();
        for name in self.channels.iter().chain(&self.controls) {
            if !seen.insert(name.as_str()) {
                return Err(Error::InvalidParameter { field: "channels".into(), value: name.clone(), reason: "a name appears twice".into() });
            }
        }
        for (name, x) in self.channels.iter().zip(&self.spend) {
            if x.len() != n {
                return Err(Error::LengthMismatch { field: format!("spend.{name}"), got: x.len(), expected: n });
            }
            check_spend(&format!("spend.{name}"), x)?;
        }
        for (name, z) in self.controls.iter().zip(&self.control_values) {
            if z.len() != n {
                return Err(Error::LengthMismatch { field: format!("controls.{name}"), got: z.len(), expected: n });
            }
            for (i, &v) in z.iter().enumerate() {
                if !v.is_finite() {
                    return Err(Error::NonFinite { field: format!("controls.{name}[{i}]"), value: v });
                }
            }
        }
        if let Some(d) = &self.days {
            if d.len() != n {
                return Err(Error::LengthMismatch { field: "days".into(), got: d.len(), expected: n });
            }
            for (i, &v) in d.iter().enumerate() {
                if !v.is_finite() {
                    return Err(Error::NonFinite { field: format!("days[{i}]"), value: v });
                }
                if i > 0 && v <= d[i - 1] {
                    return Err(Error::InvalidParameter {
                        field: format!("days[{i}]"),
                        value: v.to_string(),
                        reason: "dates must increase row by row".into(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The media mix model's specification (see the [module table](self)).
///
/// ```
/// use channelwise::optimize::mmm::{Mmm, MmmData, Uncertainty};
/// // 104 weeks, one channel whose spend returns 0.5 per unit, saturating slowly
/// let tv: Vec<f64> = (0..104).map(|t| 50.0 + 40.0 * ((t as f64) * 0.7).sin()).collect();
/// let y: Vec<f64> = tv.iter().map(|x| 100.0 + 0.5 * x).collect();
/// let data = MmmData::new(y).channel("tv", tv);
/// let fit = Mmm::default().l_max(4).uncertainty(Uncertainty::None).fit(&data)?;
/// assert!(fit.diagnostics().r2 > 0.99);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mmm {
    adstock: String,
    l_max: usize,
    normalize: bool,
    saturation: String,
    adstock_first: bool,
    yearly_seasonality: usize,
    period: f64,
    trend: bool,
    priors: Vec<(String, Prior)>,
    starts: usize,
    uncertainty: Uncertainty,
    level: f64,
    holdout: usize,
    seed: u64,
    max_iter: usize,
}

impl Default for Mmm {
    fn default() -> Self {
        Mmm {
            adstock: "geometric".into(),
            l_max: 8,
            normalize: true,
            saturation: "logistic".into(),
            adstock_first: true,
            yearly_seasonality: 0,
            period: 52.1775,
            trend: true,
            priors: Vec::new(),
            starts: 4,
            uncertainty: Uncertainty::Laplace { draws: 1000 },
            level: 0.9,
            holdout: 0,
            seed: 0,
            max_iter: 200,
        }
    }
}

/// How a parameter maps from the optimiser's unconstrained value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tr {
    Id,
    Log,
    /// `lo + (hi - lo) / (1 + e^{-u})`.
    Logit(f64, f64),
}

impl Tr {
    fn to(&self, u: f64) -> f64 {
        match *self {
            Tr::Id => u,
            Tr::Log => u.exp(),
            Tr::Logit(lo, hi) => lo + (hi - lo) / (1.0 + (-u).exp()),
        }
    }
    fn dto(&self, u: f64) -> f64 {
        match *self {
            Tr::Id => 1.0,
            Tr::Log => u.exp(),
            Tr::Logit(lo, hi) => {
                let s = 1.0 / (1.0 + (-u).exp());
                (hi - lo) * s * (1.0 - s)
            }
        }
    }
    fn d2to(&self, u: f64) -> f64 {
        match *self {
            Tr::Id => 0.0,
            Tr::Log => u.exp(),
            Tr::Logit(lo, hi) => {
                let s = 1.0 / (1.0 + (-u).exp());
                (hi - lo) * s * (1.0 - s) * (1.0 - 2.0 * s)
            }
        }
    }
    fn from(&self, x: f64) -> f64 {
        match *self {
            Tr::Id => x,
            Tr::Log => x.max(1e-300).ln(),
            Tr::Logit(lo, hi) => {
                let p = ((x - lo) / (hi - lo)).clamp(1e-12, 1.0 - 1e-12);
                (p / (1.0 - p)).ln()
            }
        }
    }
}

/// One parameter of the flat vector: its name, map, prior and a starting value.
#[derive(Debug, Clone)]
struct Param {
    name: String,
    tr: Tr,
    prior: Prior,
    start: f64,
    /// Clamp for random starts.
    start_box: (f64, f64),
}

/// A parameter's name, map, default prior, start and random-start box.
type ParamDefault = (&'static str, Tr, Prior, f64, (f64, f64));

fn adstock_defaults(kind: &str, l_max: usize) -> Vec<ParamDefault> {
    match kind {
        "geometric" => vec![("alpha", Tr::Logit(0.0, 1.0), Prior::Beta { alpha: 1.0, beta: 3.0 }, 0.3, (0.02, 0.95))],
        "delayed" => vec![
            ("alpha", Tr::Logit(0.0, 1.0), Prior::Beta { alpha: 1.0, beta: 3.0 }, 0.3, (0.02, 0.95)),
            ("theta", Tr::Logit(0.0, (l_max.max(2) - 1) as f64), Prior::HalfNormal { sigma: 1.0 }, 0.5, (0.05, (l_max.max(2) - 1) as f64 * 0.9)),
        ],
        _ => vec![
            ("lam", Tr::Log, Prior::Gamma { alpha: 2.0, beta: 1.0 }, 2.0, (0.2, 10.0)),
            ("k", Tr::Log, Prior::Gamma { alpha: 3.0, beta: 1.0 }, 2.0, (0.3, 8.0)),
        ],
    }
}

fn saturation_defaults(kind: &str) -> Vec<ParamDefault> {
    let hn = |s: f64| Prior::HalfNormal { sigma: s };
    match kind {
        "logistic" => vec![
            ("lam", Tr::Log, Prior::Gamma { alpha: 3.0, beta: 1.0 }, 3.0, (0.3, 10.0)),
            ("beta", Tr::Log, hn(2.0), 0.2, (0.01, 2.0)),
        ],
        "hill" => vec![
            ("slope", Tr::Log, hn(1.5), 1.0, (0.3, 3.0)),
            ("kappa", Tr::Log, hn(1.5), 0.5, (0.05, 2.0)),
            ("beta", Tr::Log, hn(1.5), 0.2, (0.01, 2.0)),
        ],
        "michaelis_menten" => vec![
            ("alpha", Tr::Log, Prior::Gamma { alpha: 4.0, beta: 2.0 }, 0.3, (0.01, 3.0)),
            ("lam", Tr::Log, hn(1.0), 0.5, (0.05, 3.0)),
        ],
        "tanh" => vec![("b", Tr::Log, hn(1.0), 0.3, (0.01, 2.0)), ("c", Tr::Log, hn(1.0), 0.5, (0.05, 3.0))],
        "power" => vec![
            ("a", Tr::Log, hn(2.0), 0.2, (0.01, 2.0)),
            ("b", Tr::Logit(0.0, 1.0), Prior::Beta { alpha: 2.0, beta: 2.0 }, 0.5, (0.1, 0.95)),
        ],
        _ => vec![("beta", Tr::Log, hn(2.0), 0.1, (0.01, 2.0)), ("lam", Tr::Log, Prior::Gamma { alpha: 3.0, beta: 1.0 }, 3.0, (0.3, 10.0))],
    }
}

macro_rules! setter {
    ($(#[$m:meta])* $name:ident: $t:ty) => {
        $(#[$m])*
        pub fn $name(mut self, v: $t) -> Self {
            self.$name = v.into();
            self
        }
    };
}

impl Mmm {
    setter!(
        /// Adstock kind: `"geometric"` (default), `"delayed"`, `"weibull_pdf"`, `"weibull_cdf"`.
        adstock: &str
    );
    setter!(
        /// Lags of the adstock (default 8).
        l_max: usize
    );
    setter!(
        /// Normalise geometric and delayed adstock weights to sum 1 (default true).
        normalize: bool
    );
    setter!(
        /// Saturation kind (default `"logistic"`).
        saturation: &str
    );
    setter!(
        /// Adstock before saturation (default true).
        adstock_first: bool
    );
    setter!(
        /// Fourier order of the yearly seasonality (default 0: none).
        yearly_seasonality: usize
    );
    setter!(
        /// Rows per year when the data has no calendar (default 52.1775, weekly).
        period: f64
    );
    setter!(
        /// A linear trend (default true).
        trend: bool
    );
    setter!(
        /// Optimiser starts (default 4).
        starts: usize
    );
    setter!(
        /// Laplace (default, 1000 draws), bootstrap or none.
        uncertainty: Uncertainty
    );
    setter!(
        /// Interval coverage (default 0.9).
        level: f64
    );
    setter!(
        /// Rows at the end held out for a time-ordered score (default 0).
        holdout: usize
    );
    setter!(
        /// Seed (default 0).
        seed: u64
    );
    setter!(
        /// Most damped-Newton iterations per start (default 200; an L-BFGS polish follows).
        max_iter: usize
    );

    /// The adstock kind.
    pub fn adstock_kind(&self) -> &str {
        &self.adstock
    }

    /// The saturation kind.
    pub fn saturation_kind(&self) -> &str {
        &self.saturation
    }

    /// Lags of the adstock.
    pub fn lags(&self) -> usize {
        self.l_max
    }

    /// Whether adstock weights are normalised.
    pub fn normalized(&self) -> bool {
        self.normalize
    }

    /// Whether adstock comes before saturation.
    pub fn is_adstock_first(&self) -> bool {
        self.adstock_first
    }

    /// Fourier order of the yearly seasonality.
    pub fn seasonality_order(&self) -> usize {
        self.yearly_seasonality
    }

    /// Interval coverage.
    pub fn coverage(&self) -> f64 {
        self.level
    }

    /// How intervals are made.
    pub fn uncertainty_kind(&self) -> Uncertainty {
        self.uncertainty
    }

    /// The priors replaced by [`Mmm::prior`], in the order given.
    pub fn priors(&self) -> &[(String, Prior)] {
        &self.priors
    }

    /// Replaces the prior of a parameter group: `"intercept"`, `"trend"`, `"fourier"`,
    /// `"control"`, `"sigma"`, `"adstock.<name>"`, `"saturation.<name>"` (names as in
    /// [`Adstock::param_names`] and [`Saturation::param_names`]), for every channel; or
    /// `"<channel>.adstock.<name>"` / `"<channel>.saturation.<name>"` for one. Checked in
    /// [`Mmm::fit`].
    pub fn prior(mut self, name: &str, prior: Prior) -> Self {
        self.priors.retain(|(n, _)| n != name);
        self.priors.push((name.into(), prior));
        self
    }

    fn validate(&self, n: usize) -> Result<()> {
        if !ADSTOCK_KINDS.contains(&self.adstock.as_str()) {
            return Err(Error::InvalidParameter { field: "adstock".into(), value: self.adstock.clone(), reason: format!("expected one of {}", ADSTOCK_KINDS.join(", ")) });
        }
        if !SATURATION_KINDS.contains(&self.saturation.as_str()) {
            return Err(Error::InvalidParameter { field: "saturation".into(), value: self.saturation.clone(), reason: format!("expected one of {}", SATURATION_KINDS.join(", ")) });
        }
        let min_l = if self.adstock == "weibull_pdf" { 2 } else { 1 };
        if self.l_max < min_l || self.l_max > n.max(min_l) {
            return Err(Error::OutOfRange { field: "l_max".into(), value: self.l_max as f64, min: min_l as f64, max: n as f64 });
        }
        if self.yearly_seasonality > 50 {
            return Err(Error::OutOfRange { field: "yearly_seasonality".into(), value: self.yearly_seasonality as f64, min: 0.0, max: 50.0 });
        }
        if !self.period.is_finite() || self.period <= 1.0 {
            return Err(Error::OutOfRange { field: "period".into(), value: self.period, min: 1.0, max: f64::INFINITY });
        }
        if self.starts == 0 || self.starts > 1000 {
            return Err(Error::OutOfRange { field: "starts".into(), value: self.starts as f64, min: 1.0, max: 1000.0 });
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(Error::OutOfRange { field: "level".into(), value: self.level, min: 0.0, max: 1.0 });
        }
        if self.max_iter == 0 {
            return Err(Error::OutOfRange { field: "max_iter".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
        }
        match self.uncertainty {
            Uncertainty::Laplace { draws } if !(10..=1_000_000).contains(&draws) => {
                return Err(Error::OutOfRange { field: "uncertainty.draws".into(), value: draws as f64, min: 10.0, max: 1e6 });
            }
            Uncertainty::Bootstrap { replicates, block } => {
                if !(10..=100_000).contains(&replicates) {
                    return Err(Error::OutOfRange { field: "uncertainty.replicates".into(), value: replicates as f64, min: 10.0, max: 1e5 });
                }
                if let Some(b) = block {
                    if b == 0 || b > n {
                        return Err(Error::OutOfRange { field: "uncertainty.block".into(), value: b as f64, min: 1.0, max: n as f64 });
                    }
                }
            }
            _ => {}
        }
        if self.holdout > 0 && self.holdout * 2 >= n {
            return Err(Error::OutOfRange { field: "holdout".into(), value: self.holdout as f64, min: 0.0, max: (n.saturating_sub(1) / 2) as f64 });
        }
        Ok(())
    }

    /// Fits the model to `data`.
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown adstock, saturation or prior name, a repeated column
    /// name or decreasing dates; `out_of_range` for a setting outside its range (`l_max` longer
    /// than the series), negative spend; `non_finite` for NaN anywhere (`spend.tv[3]`);
    /// `length_mismatch` for columns of different lengths; `not_enough_data` for fewer rows
    /// than parameters.
    pub fn fit(&self, data: &MmmData) -> Result<FittedMmm> {
        self.fit_with_progress(data, &Monitor::new())
    }

    /// [`Mmm::fit`], reporting each start and each bootstrap replicate to `monitor` and
    /// stopping when it asks.
    ///
    /// # Errors
    /// As [`Mmm::fit`]; [`Error::Cancelled`] when stopped.
    pub fn fit_with_progress(&self, data: &MmmData, monitor: &Monitor) -> Result<FittedMmm> {
        data.validate(true)?;
        let n = data.rows();
        self.validate(n)?;
        let model = Model::new(self, data)?;
        let np = model.params.len();
        if n < np + 1 {
            return Err(Error::NotEnoughData { what: format!("a media mix model with {np} parameters (rows)"), required: np + 1, got: n });
        }
        let replicates = match self.uncertainty {
            Uncertainty::Bootstrap { replicates, .. } => replicates,
            _ => 0,
        };
        // units: optimiser starts, then bootstrap replicates, then the holdout refit's starts
        let stage = if replicates > 0 { "starts and replicates" } else { "starts" };
        let holdout_starts = if self.holdout > 0 { self.starts } else { 0 };
        let ticker = Ticker::start(monitor, "media mix model fit", stage, self.starts + replicates + holdout_starts)?;
        let (u, convergence) = model.optimise(&model.y, self.starts, self.seed, self.max_iter, &ticker)?;
        let theta = model.theta(&u);
        let mut warnings = model.warnings.clone();
        if convergence.starts_agreeing < convergence.runs.len() {
            let worst = convergence.runs.iter().filter_map(|r| r.objective).fold(f64::NEG_INFINITY, f64::max);
            let best = convergence.runs[convergence.best_start].objective.unwrap_or(worst);
            warnings.push(format!(
                "{} of {} starts reached the best optimum (the others stopped at local optima up to {:.3} worse in negative log posterior); the best is kept, and more starts would make it surer",
                convergence.starts_agreeing,
                convergence.runs.len(),
                worst - best
            ));
        }
        if !convergence.converged {
            warnings.push("the best start did not meet the optimiser's tolerance; see convergence".into());
        }
        let mut draws = match self.uncertainty {
            Uncertainty::None => Vec::new(),
            Uncertainty::Laplace { draws } => model.laplace(&u, draws, self.seed, &mut warnings)?,
            Uncertainty::Bootstrap { replicates, block } => model.bootstrap(&u, replicates, block, self.seed, self.max_iter, &ticker)?,
        };
        let holdout = if self.holdout > 0 {
            let h = model.holdout(self, data, &ticker)?;
            ticker.check()?;
            Some(h)
        } else {
            None
        };
        let mut fitted = FittedMmm {
            spec: self.clone(),
            data: data.clone(),
            scales: model.scales.clone(),
            param_names: model.params.iter().map(|p| p.name.clone()).collect(),
            theta,
            draws: Vec::new(),
            convergence,
            diagnostics: Diagnostics::default(),
            warnings,
        };
        // a draw far out along a flat direction can overflow a curve or a channel's total: keep
        // only draws whose parameters, fitted values and summary figures are finite, and say how
        // many were dropped
        let before = draws.len();
        draws.retain(|d| d.iter().all(|v| v.is_finite()) && fitted.channel_figures(d).is_some_and(|f| f.1));
        if draws.len() < before {
            fitted.warnings.push(format!(
                "{} of {before} draws gave non-finite fitted values or channel totals and were dropped: the posterior is flat somewhere, so the intervals are not meaningful",
                before - draws.len()
            ));
        }
        fitted.draws = draws;
        fitted.diagnostics = fitted.compute_diagnostics(holdout);
        Ok(fitted)
    }
}

/// A channel's contribution, share, ROAS and marginal ROAS at one set of parameters.
type Figures = (f64, f64, f64, f64);

/// The scales and calendar a fit used, kept to apply the model to new rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scales {
    /// Target scale (largest |y|).
    pub target: f64,
    /// Spend scale per channel (largest spend; 0 for a channel that never spends).
    pub channels: Vec<f64>,
    /// Scale per control (largest |value|; 1 for an all-zero control).
    pub controls: Vec<f64>,
    /// The trend's origin (day or row) and span.
    pub trend_origin: f64,
    /// The trend's span (days or rows from first to last training row).
    pub trend_span: f64,
}

/// The flat model: parameter layout, scaled data and fixed features.
struct Model {
    params: Vec<Param>,
    /// Scaled target.
    y: Vec<f64>,
    /// Scaled spend per channel.
    x: Vec<Vec<f64>>,
    /// Fixed regressors (trend, Fourier, controls; scaled), one vector each, coefficient
    /// indices `1..=fixed.len()` (after the intercept).
    fixed: Vec<Vec<f64>>,
    /// Per channel: (first adstock param, number; first saturation param, number); `None` for
    /// a channel that never spends.
    channel_params: Vec<Option<(usize, usize, usize, usize)>>,
    sigma: usize,
    adstock: Adstock,
    saturation: &'static str,
    adstock_first: bool,
    scales: Scales,
    warnings: Vec<String>,
}

/// The fixed regressors for rows with calendar `days` (or row numbers `rows`).
fn features(spec: &Mmm, scales: &Scales, time: &[f64], by_days: bool, controls: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut fixed = Vec::new();
    if spec.trend {
        fixed.push(time.iter().map(|&t| (t - scales.trend_origin) / scales.trend_span).collect());
    }
    let year = if by_days { 365.25 } else { spec.period };
    for j in 1..=spec.yearly_seasonality {
        let f = 2.0 * PI * j as f64 / year;
        fixed.push(time.iter().map(|&t| (f * t).sin()).collect());
        fixed.push(time.iter().map(|&t| (f * t).cos()).collect());
    }
    for (z, &s) in controls.iter().zip(&scales.controls) {
        fixed.push(z.iter().map(|v| v / s).collect());
    }
    fixed
}

fn time_axis(data: &MmmData, offset: usize) -> (Vec<f64>, bool) {
    match &data.days {
        Some(d) => (d.clone(), true),
        None => ((0..data.rows()).map(|t| (t + offset) as f64).collect(), false),
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

impl Model {
    fn new(spec: &Mmm, data: &MmmData) -> Result<Model> {
        let n = data.rows();
        let mut warnings = Vec::new();
        let y_s = max_abs(&data.target);
        if data.target.iter().all(|&v| v == data.target[0]) {
            return Err(Error::InvalidParameter {
                field: "target".into(),
                value: format!("{} in every row", data.target[0]),
                reason: "the outcome never moves; there is nothing to explain".into(),
            });
        }
        let (time, by_days) = time_axis(data, 0);
        let span = (time[n - 1] - time[0]).max(1.0);
        let scales = Scales {
            target: y_s,
            channels: data.spend.iter().map(|x| max_abs(x)).collect(),
            controls: data.control_values.iter().map(|z| if max_abs(z) > 0.0 { max_abs(z) } else { 1.0 }).collect(),
            trend_origin: time[0],
            trend_span: span,
        };
        let fixed = features(spec, &scales, &time, by_days, &data.control_values);
        let adstock = default_adstock(spec);
        let prior_of = |group: &str, channel: Option<&str>, default: Prior| -> Prior {
            if let Some(c) = channel {
                if let Some((_, p)) = spec.priors.iter().find(|(k, _)| k == &format!("{c}.{group}")) {
                    return *p;
                }
            }
            spec.priors.iter().find(|(k, _)| k == group).map_or(default, |(_, p)| *p)
        };
        // every prior name must be one we know
        let sat_names = saturation_param_names(&spec.saturation).unwrap_or(&[]);
        for (k, p) in &spec.priors {
            p.validate(&format!("priors.{k}"))?;
            let base = data.channels.iter().find_map(|c| k.strip_prefix(&format!("{c}.")).map(str::to_string)).unwrap_or_else(|| k.clone());
            let known = matches!(base.as_str(), "intercept" | "trend" | "fourier" | "control" | "sigma")
                || base.strip_prefix("adstock.").is_some_and(|s| adstock.param_names().contains(&s))
                || base.strip_prefix("saturation.").is_some_and(|s| sat_names.contains(&s));
            if !known {
                return Err(Error::InvalidParameter {
                    field: "priors".into(),
                    value: k.clone(),
                    reason: format!("no such parameter for adstock {:?} and saturation {:?}", spec.adstock, spec.saturation),
                });
            }
        }
        let mean_y = data.target.iter().sum::<f64>() / (n as f64 * y_s);
        let mut params = vec![Param {
            name: "intercept".into(),
            tr: Tr::Id,
            prior: prior_of("intercept", None, Prior::Normal { mu: 0.0, sigma: 2.0 }),
            start: mean_y * 0.5,
            start_box: (-2.0, 2.0),
        }];
        let mut idx = 0;
        if spec.trend {
            params.push(Param { name: "trend".into(), tr: Tr::Id, prior: prior_of("trend", None, Prior::Normal { mu: 0.0, sigma: 1.0 }), start: 0.0, start_box: (-1.0, 1.0) });
            idx += 1;
        }
        for j in 1..=spec.yearly_seasonality {
            for f in ["sin", "cos"] {
                params.push(Param { name: format!("fourier.{f}{j}"), tr: Tr::Id, prior: prior_of("fourier", None, Prior::Normal { mu: 0.0, sigma: 1.0 }), start: 0.0, start_box: (-0.5, 0.5) });
                idx += 2;
            }
        }
        let _ = idx;
        for c in &data.controls {
            params.push(Param { name: format!("control.{c}"), tr: Tr::Id, prior: prior_of("control", None, Prior::Normal { mu: 0.0, sigma: 2.0 }), start: 0.0, start_box: (-1.0, 1.0) });
        }
        let mut channel_params = Vec::new();
        for (ci, c) in data.channels.iter().enumerate() {
            if scales.channels[ci] == 0.0 {
                warnings.push(format!("channel {c:?} never spends: its contribution is zero and its curve is unknown"));
                channel_params.push(None);
                continue;
            }
            let x = &data.spend[ci];
            if x.iter().all(|&v| v == x[0]) {
                warnings.push(format!("channel {c:?} spends the same every row: its effect cannot be told from the intercept, so its prior decides it"));
            }
            let a0 = params.len();
            for (name, tr, prior, start, bx) in adstock_defaults(&spec.adstock, spec.l_max) {
                let g = format!("adstock.{name}");
                params.push(Param { name: format!("{c}.{g}"), tr, prior: prior_of(&g, Some(c), prior), start, start_box: bx });
            }
            let s0 = params.len();
            for (name, tr, prior, start, bx) in saturation_defaults(&spec.saturation) {
                let g = format!("saturation.{name}");
                params.push(Param { name: format!("{c}.{g}"), tr, prior: prior_of(&g, Some(c), prior), start, start_box: bx });
            }
            channel_params.push(Some((a0, s0 - a0, s0, params.len() - s0)));
        }
        // near-collinear channels: say so (the priors keep the fit defined)
        for i in 0..data.channels.len() {
            for j in i + 1..data.channels.len() {
                if let Some(r) = correlation(&data.spend[i], &data.spend[j]) {
                    if r.abs() > 0.95 {
                        warnings.push(format!("channels {:?} and {:?} move together (correlation {r:.3}): their split is uncertain", data.channels[i], data.channels[j]));
                    }
                }
            }
        }
        let sigma = params.len();
        params.push(Param { name: "sigma".into(), tr: Tr::Log, prior: prior_of("sigma", None, Prior::HalfNormal { sigma: 2.0 }), start: 0.1, start_box: (0.01, 0.5) });
        Ok(Model {
            y: data.target.iter().map(|v| v / y_s).collect(),
            x: data.spend.iter().zip(&scales.channels).map(|(x, &s)| if s > 0.0 { x.iter().map(|v| v / s).collect() } else { vec![0.0; n] }).collect(),
            fixed,
            channel_params,
            sigma,
            adstock,
            saturation: SATURATION_KINDS.iter().copied().find(|k| *k == spec.saturation).unwrap_or("logistic"),
            adstock_first: spec.adstock_first,
            scales,
            params,
            warnings,
        })
    }

    fn theta(&self, u: &[f64]) -> Vec<f64> {
        self.params.iter().zip(u).map(|(p, &v)| p.tr.to(v)).collect()
    }

    /// Channel `c`'s adstock and saturation at parameters `theta`.
    fn curves(&self, c: usize, theta: &[f64]) -> Option<(Adstock, Saturation)> {
        let (a0, na, s0, ns) = self.channel_params[c]?;
        Some((self.adstock.with_params(&theta[a0..a0 + na]), Saturation::unchecked(self.saturation, &theta[s0..s0 + ns])))
    }

    /// Negative log posterior and its gradient in `u`, for target `y` (scaled).
    fn objective(&self, y: &[f64], u: &[f64], grad: &mut [f64], ws: &mut Work) -> f64 {
        let theta = self.theta(u);
        let n = y.len();
        let np = self.params.len();
        grad[..np].fill(0.0);
        // fitted values
        let mu = &mut ws.mu;
        mu.clear();
        mu.resize(n, theta[0]);
        for (k, f) in self.fixed.iter().enumerate() {
            let b = theta[1 + k];
            for (m, v) in mu.iter_mut().zip(f) {
                *m += b * v;
            }
        }
        ws.media.resize(self.x.len(), Vec::new());
        for c in 0..self.x.len() {
            let Some((adstock, sat)) = self.curves(c, &theta) else { continue };
            let out = &mut ws.media[c];
            out.resize(n, 0.0);
            channel_series(&adstock, &sat, self.adstock_first, &self.x[c], &[], out, &mut ws.tmp);
            for (m, v) in mu.iter_mut().zip(out.iter()) {
                *m += v;
            }
        }
        let sigma = theta[self.sigma];
        if sigma.is_nan() || sigma <= 0.0 || !sigma.is_finite() {
            return f64::INFINITY;
        }
        let s2 = sigma * sigma;
        let mut rss = 0.0;
        ws.e.resize(n, 0.0);
        for t in 0..n {
            let r = y[t] - mu[t];
            rss += r * r;
            ws.e[t] = -r / s2; // d(nll)/d(mu_t)
        }
        let mut f = n as f64 * sigma.ln() + 0.5 * rss / s2;
        // d/dsigma
        let mut dtheta = vec![0.0; np];
        dtheta[self.sigma] = n as f64 / sigma - rss / (s2 * sigma);
        dtheta[0] = ws.e.iter().sum();
        for (k, fx) in self.fixed.iter().enumerate() {
            dtheta[1 + k] = ws.e.iter().zip(fx).map(|(a, b)| a * b).sum();
        }
        for c in 0..self.x.len() {
            let Some((a0, na, s0, ns)) = self.channel_params[c] else { continue };
            let Some((adstock, sat)) = self.curves(c, &theta) else { continue };
            let (ga, gs) = dtheta[a0..s0 + ns].split_at_mut(na);
            debug_assert_eq!(a0 + na, s0, "saturation parameters follow the adstock's");
            channel_gradient(&adstock, &sat, self.adstock_first, &self.x[c], &ws.e, ga, gs, &mut ws.tmp);
        }
        for (i, p) in self.params.iter().enumerate() {
            let (pen, dpen) = p.prior.penalty(theta[i]);
            f += pen;
            grad[i] = (dtheta[i] + dpen) * p.tr.dto(u[i]);
        }
        if f.is_finite() && grad.iter().all(|g| g.is_finite()) {
            f
        } else {
            f64::INFINITY
        }
    }

    /// Start `k`: 0 is the priors' centres; odd starts jitter the curve parameters of the best
    /// point so far (`best`), even ones draw them from the priors (clamped to a plausible box).
    fn start(&self, k: usize, best: Option<&[f64]>, rng: &mut ChaCha8Rng) -> Vec<f64> {
        self.params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let centre = p.tr.from(p.start);
                if k == 0 || p.tr == Tr::Id {
                    return best.map_or(centre, |b| if k == 0 { centre } else { b[i] });
                }
                match (k % 2, best) {
                    (1, Some(b)) => b[i] + 0.5 * rng.sample::<f64, _>(StandardNormal),
                    _ => p.tr.from(p.prior.sample(rng).map_or(p.start, |v| v.clamp(p.start_box.0, p.start_box.1))),
                }
            })
            .collect()
    }

    /// The best of `starts` L-BFGS runs, in unconstrained coordinates.
    fn optimise(&self, y: &[f64], starts: usize, seed: u64, max_iter: usize, ticker: &Ticker<'_>) -> Result<(Vec<f64>, Convergence)> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut runs = Vec::new();
        let mut best: Option<(Vec<f64>, f64)> = None;
        for k in 0..starts {
            ticker.check()?;
            let u0 = self.start(k, best.as_ref().map(|(b, _)| b.as_slice()), &mut rng);
            let (u, run) = self.run_from(y, &u0, max_iter);
            if let Some(f) = run.objective {
                if best.as_ref().is_none_or(|(_, b)| f < *b) {
                    best = Some((u, f));
                }
            }
            runs.push(run);
            ticker.tick()?;
        }
        let (u, fbest) = best.ok_or_else(|| Error::NotConverged { what: "media mix model fit (no start reached a finite objective)".into(), iterations: max_iter, residual: f64::INFINITY })?;
        let agree = runs.iter().filter(|r| r.objective.is_some_and(|f| (f - fbest).abs() <= 1e-6 * fbest.abs().max(1.0))).count();
        let best_run = runs.iter().position(|r| r.objective == Some(fbest)).unwrap_or(0);
        Ok((u, Convergence { converged: runs[best_run].converged, best_start: best_run, starts_agreeing: agree, runs }))
    }

    /// Levenberg-Marquardt on the negative log posterior: the Gauss-Newton Hessian of the
    /// likelihood (exact in `ln sigma`) plus the priors' curvature, damped until a step lowers
    /// the objective; a few L-BFGS iterations polish the end.
    fn run_from(&self, y: &[f64], u0: &[f64], max_iter: usize) -> (Vec<f64>, StartRun) {
        let mut ws = Work::default();
        let np = u0.len();
        let mut u = u0.to_vec();
        let mut g = vec![0.0; np];
        let mut f = self.objective(y, &u, &mut g, &mut ws);
        if !f.is_finite() {
            return (u, StartRun { objective: None, iterations: 0, grad_norm: None, converged: false });
        }
        let mut lambda = 1e-3;
        let mut trial = vec![0.0; np];
        let mut gt = vec![0.0; np];
        let mut converged = false;
        let mut stalled = false;
        let mut it = 0;
        let gnorm = |g: &[f64]| g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        while it < max_iter {
            it += 1;
            if gnorm(&g) <= 1e-9 * f.abs().max(1.0) {
                converged = true;
                break;
            }
            let h = self.gauss_newton(y, &u, &g, &mut ws);
            let mut accepted = false;
            for _ in 0..30 {
                let mut a = h.clone();
                for i in 0..np {
                    a[(i, i)] += lambda * h[(i, i)].max(1e-10);
                }
                let Some(ch) = nalgebra::Cholesky::new(a) else {
                    lambda *= 10.0;
                    continue;
                };
                let step = ch.solve(&nalgebra::DVector::from_iterator(np, g.iter().map(|v| -v)));
                for i in 0..np {
                    trial[i] = u[i] + step[i];
                }
                let ft = self.objective(y, &trial, &mut gt, &mut ws);
                if ft.is_finite() && ft <= f {
                    let decrease = f - ft;
                    u.copy_from_slice(&trial);
                    g.copy_from_slice(&gt);
                    f = ft;
                    lambda = (lambda / 3.0).max(1e-12);
                    accepted = true;
                    if decrease <= 1e-15 * f.abs().max(1.0) {
                        // no more progress to make
                        converged = gnorm(&g) <= 1e-5 * f.abs().max(1.0);
                        stalled = true;
                    }
                    break;
                }
                lambda *= 4.0;
            }
            if !accepted {
                converged = gnorm(&g) <= 1e-5 * f.abs().max(1.0);
                break;
            }
            if stalled {
                break;
            }
        }
        // polish with L-BFGS from the LM point (it stops at once when nothing is left)
        let settings = Settings { gtol: 1e-9, ftol: 1e-15, max_iter: 200, memory: 12 };
        let m = lbfgs(|v, gg| self.objective(y, v, gg, &mut ws), &u, settings);
        if m.f <= f {
            u = m.x;
            f = m.f;
            converged = converged || m.converged;
        }
        let mut gf = vec![0.0; np];
        self.objective(y, &u, &mut gf, &mut ws);
        let finite = |v: f64| v.is_finite().then_some(v);
        (u, StartRun { objective: finite(f), iterations: it, grad_norm: finite(gnorm(&gf)), converged })
    }

    /// The damped-Newton matrix at `u`: `J' J / sigma^2` for the mean's parameters, the exact
    /// second derivatives in `ln sigma`, and the priors' curvature (clamped at 0).
    fn gauss_newton(&self, y: &[f64], u: &[f64], grad: &[f64], ws: &mut Work) -> nalgebra::DMatrix<f64> {
        let theta = self.theta(u);
        let n = y.len();
        let np = u.len();
        let jac = self.jacobian(&theta, ws);
        let sigma = theta[self.sigma];
        let s2 = sigma * sigma;
        let mut h = nalgebra::DMatrix::<f64>::zeros(np, np);
        // J' J over the mean's parameters (sigma's column of J is zero)
        for i in 0..np {
            if i == self.sigma {
                continue;
            }
            let di = self.params[i].tr.dto(u[i]);
            for j in i..np {
                if j == self.sigma {
                    continue;
                }
                let dj = self.params[j].tr.dto(u[j]);
                let v: f64 = (0..n).map(|t| jac[i * n + t] * jac[j * n + t]).sum::<f64>() * di * dj / s2;
                h[(i, j)] = v;
                h[(j, i)] = v;
            }
        }
        // ln sigma: f = n u + RSS e^{-2u} / 2; d2/du2 = 2 RSS / sigma^2; cross = -2 * (the
        // likelihood's gradient in the other parameter)
        let rss: f64 = y.iter().zip(&ws.mu).map(|(a, b)| (a - b) * (a - b)).sum();
        let k = self.sigma;
        h[(k, k)] = 2.0 * rss / s2;
        for i in 0..np {
            if i == k {
                continue;
            }
            let p = &self.params[i];
            let (_, dpen) = p.prior.penalty(theta[i]);
            let lik = grad[i] - dpen * p.tr.dto(u[i]);
            h[(i, k)] = -2.0 * lik;
            h[(k, i)] = -2.0 * lik;
        }
        for (i, p) in self.params.iter().enumerate() {
            let (_, d1) = p.prior.penalty(theta[i]);
            let t1 = p.tr.dto(u[i]);
            let c = p.prior.curvature(theta[i]) * t1 * t1 + d1 * p.tr.d2to(u[i]);
            h[(i, i)] += c.max(0.0);
        }
        h
    }

    /// `d mu_t / d theta_j` (not sigma's), parameter-major (`jac[j * n + t]`); leaves the
    /// fitted values in `ws.mu`.
    fn jacobian(&self, theta: &[f64], ws: &mut Work) -> Vec<f64> {
        let n = self.y.len();
        let np = theta.len();
        let mut jac = vec![0.0; np * n];
        ws.mu = self.fitted_values(theta);
        jac[..n].fill(1.0);
        for (k, f) in self.fixed.iter().enumerate() {
            jac[(1 + k) * n..(2 + k) * n].copy_from_slice(f);
        }
        let mut pg = [0.0; 3];
        for c in 0..self.x.len() {
            let Some((a0, na, s0, ns)) = self.channel_params[c] else { continue };
            let Some((a, s)) = self.curves(c, theta) else { continue };
            let w = a.weights();
            let dws = weight_gradients(&a);
            let x = &self.x[c];
            let mut conv = vec![0.0; n];
            if self.adstock_first {
                let mut ad = vec![0.0; n];
                convolve(&w, x, &[], &mut ad);
                for t in 0..n {
                    s.param_gradient(ad[t], &mut pg);
                    for q in 0..ns {
                        jac[(s0 + q) * n + t] = pg[q];
                    }
                }
                for (q, dw) in dws.iter().enumerate() {
                    convolve(dw, x, &[], &mut conv);
                    for t in 0..n {
                        // no spend in the window: nothing to move (0, not 0 x inf)
                        jac[(a0 + q) * n + t] = if conv[t] == 0.0 { 0.0 } else { s.derivative(ad[t]) * conv[t] };
                    }
                }
            } else {
                let sv: Vec<f64> = x.iter().map(|&v| s.value(v)).collect();
                for q in 0..ns {
                    let col: Vec<f64> = x
                        .iter()
                        .map(|&v| {
                            s.param_gradient(v, &mut pg);
                            pg[q]
                        })
                        .collect();
                    convolve(&w, &col, &[], &mut conv);
                    jac[(s0 + q) * n..(s0 + q + 1) * n].copy_from_slice(&conv);
                }
                for (q, dw) in dws.iter().enumerate() {
                    convolve(dw, &sv, &[], &mut conv);
                    jac[(a0 + q) * n..(a0 + q + 1) * n].copy_from_slice(&conv);
                }
            }
            let _ = na;
        }
        jac
    }

    fn gradient(&self, u: &[f64], ws: &mut Work) -> Vec<f64> {
        let mut g = vec![0.0; u.len()];
        self.objective(&self.y, u, &mut g, ws);
        g
    }

    /// Laplace draws (constrained parameters).
    fn laplace(&self, u: &[f64], draws: usize, seed: u64, warnings: &mut Vec<String>) -> Result<Vec<Vec<f64>>> {
        let np = u.len();
        let mut ws = Work::default();
        let mut h = nalgebra::DMatrix::<f64>::zeros(np, np);
        let mut up = u.to_vec();
        for j in 0..np {
            let step = 1e-5 * u[j].abs().max(1.0);
            up[j] = u[j] + step;
            let gp = self.gradient(&up, &mut ws);
            up[j] = u[j] - step;
            let gm = self.gradient(&up, &mut ws);
            up[j] = u[j];
            for i in 0..np {
                h[(i, j)] = (gp[i] - gm[i]) / (2.0 * step);
            }
        }
        let hs = (&h + h.transpose()) * 0.5;
        if hs.iter().any(|v| !v.is_finite()) {
            return Err(Error::NotConverged { what: "the Laplace approximation (Hessian not finite)".into(), iterations: 0, residual: f64::NAN });
        }
        let eig = nalgebra::SymmetricEigen::new(hs);
        let lmax = eig.eigenvalues.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let floor = lmax * 1e-10;
        let clamped = eig.eigenvalues.iter().filter(|&&l| l < floor).count();
        if clamped > 0 {
            warnings.push(format!(
                "the posterior is flat or not at a mode in {clamped} direction(s): those directions' variance is capped (intervals there are not meaningful); see convergence"
            ));
        }
        // covariance square root: V diag(1/sqrt(lambda))
        let mut root = eig.eigenvectors.clone();
        for (k, &l) in eig.eigenvalues.iter().enumerate() {
            let s = 1.0 / l.max(floor).max(1e-300).sqrt();
            for i in 0..np {
                root[(i, k)] *= s;
            }
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x4c41_504c_4143_4521);
        let mut out = Vec::with_capacity(draws);
        let mut z = vec![0.0; np];
        for _ in 0..draws {
            for v in z.iter_mut() {
                *v = rng.sample(StandardNormal);
            }
            let ud: Vec<f64> = (0..np).map(|i| u[i] + (0..np).map(|k| root[(i, k)] * z[k]).sum::<f64>()).collect();
            out.push(self.theta(&ud));
        }
        Ok(out)
    }

    fn fitted_values(&self, theta: &[f64]) -> Vec<f64> {
        let n = self.y.len();
        let mut mu = vec![theta[0]; n];
        for (k, f) in self.fixed.iter().enumerate() {
            for (m, v) in mu.iter_mut().zip(f) {
                *m += theta[1 + k] * v;
            }
        }
        let mut out = vec![0.0; n];
        let mut tmp = Vec::new();
        for c in 0..self.x.len() {
            if let Some((a, s)) = self.curves(c, theta) {
                channel_series(&a, &s, self.adstock_first, &self.x[c], &[], &mut out, &mut tmp);
                for (m, v) in mu.iter_mut().zip(&out) {
                    *m += v;
                }
            }
        }
        mu
    }

    fn bootstrap(&self, u: &[f64], replicates: usize, block: Option<usize>, seed: u64, max_iter: usize, ticker: &Ticker<'_>) -> Result<Vec<Vec<f64>>> {
        let n = self.y.len();
        let theta = self.theta(u);
        let mu = self.fitted_values(&theta);
        let resid: Vec<f64> = self.y.iter().zip(&mu).map(|(a, b)| a - b).collect();
        let b = block.unwrap_or_else(|| ((n as f64).cbrt().round() as usize).max(1));
        let one = |r: usize| -> Result<Vec<f64>> {
            ticker.check()?;
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x424f_4f54);
            rng.set_stream(r as u64 + 1);
            let mut ystar = Vec::with_capacity(n);
            while ystar.len() < n {
                let s = rng.random_range(0..n);
                for k in 0..b {
                    if ystar.len() == n {
                        break;
                    }
                    let t = ystar.len();
                    ystar.push(mu[t] + resid[(s + k) % n]);
                }
            }
            let (ub, _) = self.run_from(&ystar, u, max_iter);
            ticker.tick()?;
            Ok(self.theta(&ub))
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            (0..replicates).into_par_iter().map(one).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            (0..replicates).map(one).collect()
        }
    }

    fn holdout(&self, spec: &Mmm, data: &MmmData, ticker: &Ticker<'_>) -> Result<Holdout> {
        let n = data.rows();
        let h = spec.holdout;
        let cut = |v: &Vec<f64>| v[..n - h].to_vec();
        let train = MmmData {
            target: cut(&data.target),
            channels: data.channels.clone(),
            spend: data.spend.iter().map(cut).collect(),
            controls: data.controls.clone(),
            control_values: data.control_values.iter().map(cut).collect(),
            days: data.days.as_ref().map(cut),
        };
        let m = Model::new(spec, &train)?;
        let (u, _) = m.optimise(&m.y, spec.starts, spec.seed, spec.max_iter, ticker)?;
        let theta = m.theta(&u);
        let pred = predict_with(spec, &m.scales, &theta, &m.channel_params, data)?;
        let (actual, predicted) = (&data.target[n - h..], &pred[n - h..]);
        Ok(Holdout { rows: h, r2: r2(actual, predicted), nrmse: nrmse(actual, predicted), mape: mape(actual, predicted) })
    }
}

fn correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    (saa > 0.0 && sbb > 0.0).then(|| sab / (saa * sbb).sqrt())
}

fn default_adstock(spec: &Mmm) -> Adstock {
    match spec.adstock.as_str() {
        "delayed" => Adstock::Delayed { alpha: 0.3, theta: 0.0, l_max: spec.l_max, normalize: spec.normalize },
        "weibull_pdf" => Adstock::WeibullPdf { lam: 2.0, k: 2.0, l_max: spec.l_max, normalize: spec.normalize },
        "weibull_cdf" => Adstock::WeibullCdf { lam: 2.0, k: 2.0, l_max: spec.l_max, normalize: spec.normalize },
        _ => Adstock::Geometric { alpha: 0.3, l_max: spec.l_max, normalize: spec.normalize },
    }
}

#[derive(Default)]
struct Work {
    mu: Vec<f64>,
    e: Vec<f64>,
    media: Vec<Vec<f64>>,
    tmp: Vec<f64>,
}

/// One channel's contribution series (scaled units) into `out`.
fn channel_series(a: &Adstock, s: &Saturation, adstock_first: bool, x: &[f64], pre: &[f64], out: &mut [f64], tmp: &mut Vec<f64>) {
    let mut w = Vec::new();
    a.weights_into(&mut w);
    if adstock_first {
        convolve(&w, x, pre, out);
        for v in out.iter_mut() {
            *v = s.value(*v);
        }
    } else {
        tmp.clear();
        tmp.extend(x.iter().map(|&v| s.value(v)));
        let sp: Vec<f64> = pre.iter().map(|&v| s.value(v)).collect();
        convolve(&w, tmp, &sp, out);
    }
}

/// `q_j = sum_l w_l e_{j+l}`: the adjoint of the trailing convolution.
fn correlate(w: &[f64], e: &[f64]) -> Vec<f64> {
    let n = e.len();
    (0..n).map(|j| w.iter().enumerate().take_while(|(l, _)| j + l < n).map(|(l, wl)| wl * e[j + l]).sum()).collect()
}

/// Weight derivatives by parameter: exact for geometric, central differences otherwise.
fn weight_gradients(a: &Adstock) -> Vec<Vec<f64>> {
    if let Adstock::Geometric { alpha, l_max, normalize } = *a {
        let w: Vec<f64> = (0..l_max).map(|l| alpha.powi(l as i32)).collect();
        let dw: Vec<f64> = (0..l_max).map(|l| if l == 0 { 0.0 } else { l as f64 * alpha.powi(l as i32 - 1) }).collect();
        if !normalize {
            return vec![dw];
        }
        let s: f64 = w.iter().sum();
        let ds: f64 = dw.iter().sum();
        return vec![w.iter().zip(&dw).map(|(wi, dwi)| (dwi * s - wi * ds) / (s * s)).collect()];
    }
    let p = a.params();
    (0..p.len())
        .map(|i| {
            let h = 1e-6 * p[i].abs().max(1e-3);
            let mut q = p.clone();
            q[i] = p[i] + h;
            let wp = a.with_params(&q).weights();
            q[i] = p[i] - h;
            let wm = a.with_params(&q).weights();
            wp.iter().zip(&wm).map(|(u, v)| (u - v) / (2.0 * h)).collect()
        })
        .collect()
}

/// Adds `sum_t e_t d(contribution_t)/d(param)` for one channel's adstock and saturation
/// parameters.
#[allow(clippy::too_many_arguments)]
fn channel_gradient(a: &Adstock, s: &Saturation, adstock_first: bool, x: &[f64], e: &[f64], ga: &mut [f64], gs: &mut [f64], tmp: &mut Vec<f64>) {
    let w = a.weights();
    let dws = weight_gradients(a);
    let n = x.len();
    let mut pg = [0.0; 3];
    if adstock_first {
        tmp.resize(n, 0.0);
        convolve(&w, x, &[], tmp);
        // saturation parameters, and e_t S'(a_t) for the adstock
        let mut es = vec![0.0; n];
        for t in 0..n {
            s.param_gradient(tmp[t], &mut pg);
            for (g, p) in gs.iter_mut().zip(&pg) {
                *g += e[t] * p;
            }
            es[t] = e[t] * s.derivative(tmp[t]);
        }
        for (g, dw) in ga.iter_mut().zip(&dws) {
            let mut conv = vec![0.0; n];
            convolve(dw, x, &[], &mut conv);
            // a period with no spend in its window has no adstock to move: its term is 0 even
            // where the curve's slope at 0 is infinite (Hill slope < 1, power b < 1)
            *g += conv.iter().zip(&es).map(|(a, b)| if *a == 0.0 { 0.0 } else { a * b }).sum::<f64>();
        }
    } else {
        let q = correlate(&w, e);
        let sv: Vec<f64> = x.iter().map(|&v| s.value(v)).collect();
        for t in 0..n {
            s.param_gradient(x[t], &mut pg);
            for (g, p) in gs.iter_mut().zip(&pg) {
                *g += q[t] * p;
            }
        }
        for (g, dw) in ga.iter_mut().zip(&dws) {
            let mut conv = vec![0.0; n];
            convolve(dw, &sv, &[], &mut conv);
            *g += conv.iter().zip(e).map(|(a, b)| a * b).sum::<f64>();
        }
    }
}

/// Predictions (original units) for `data` under parameters `theta`.
fn predict_with(spec: &Mmm, scales: &Scales, theta: &[f64], channel_params: &[Option<(usize, usize, usize, usize)>], data: &MmmData) -> Result<Vec<f64>> {
    let parts = decompose(spec, scales, theta, channel_params, data)?;
    Ok(parts.fitted)
}

/// The additive parts of the fit (original units).
fn decompose(spec: &Mmm, scales: &Scales, theta: &[f64], channel_params: &[Option<(usize, usize, usize, usize)>], data: &MmmData) -> Result<Contributions> {
    let n = data.rows();
    let (time, by_days) = time_axis(data, 0);
    let fixed = features(spec, scales, &time, by_days, &data.control_values);
    let ys = scales.target;
    let mut k = 1;
    let mut trend = vec![0.0; n];
    if spec.trend {
        trend = fixed[0].iter().map(|v| ys * theta[1] * v).collect();
        k += 1;
    }
    let mut seasonality = vec![0.0; n];
    for _ in 0..2 * spec.yearly_seasonality {
        for (s, v) in seasonality.iter_mut().zip(&fixed[k - 1]) {
            *s += ys * theta[k] * v;
        }
        k += 1;
    }
    let mut controls = Vec::new();
    for _ in &data.controls {
        controls.push(fixed[k - 1].iter().map(|v| ys * theta[k] * v).collect::<Vec<f64>>());
        k += 1;
    }
    let adstock = default_adstock(spec);
    let sat_kind = SATURATION_KINDS.iter().copied().find(|s| *s == spec.saturation).unwrap_or("logistic");
    let mut channels = Vec::new();
    let mut tmp = Vec::new();
    for (c, x) in data.spend.iter().enumerate() {
        let mut out = vec![0.0; n];
        if let Some((a0, na, s0, ns)) = channel_params[c] {
            let a = adstock.with_params(&theta[a0..a0 + na]);
            let s = Saturation::unchecked(sat_kind, &theta[s0..s0 + ns]);
            let xs: Vec<f64> = x.iter().map(|v| v / scales.channels[c]).collect();
            channel_series(&a, &s, spec.adstock_first, &xs, &[], &mut out, &mut tmp);
            out.iter_mut().for_each(|v| *v *= ys);
        }
        channels.push(out);
    }
    let intercept = vec![ys * theta[0]; n];
    let mut fitted = intercept.clone();
    for part in [&trend, &seasonality].into_iter().chain(controls.iter()).chain(channels.iter()) {
        for (f, v) in fitted.iter_mut().zip(part) {
            *f += v;
        }
    }
    Ok(Contributions { intercept, trend, seasonality, controls, channels, fitted })
}

/// R^2; `None` when `y` is constant.
fn r2(y: &[f64], f: &[f64]) -> Option<f64> {
    let m = y.iter().sum::<f64>() / y.len() as f64;
    let tss: f64 = y.iter().map(|v| (v - m) * (v - m)).sum();
    let rss: f64 = y.iter().zip(f).map(|(a, b)| (a - b) * (a - b)).sum();
    (tss > 0.0).then(|| 1.0 - rss / tss)
}

/// RMSE over the range of `y`; `None` when `y` is constant.
fn nrmse(y: &[f64], f: &[f64]) -> Option<f64> {
    let rmse = (y.iter().zip(f).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / y.len() as f64).sqrt();
    let (lo, hi) = y.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    (hi > lo).then(|| rmse / (hi - lo))
}

/// Mean absolute percentage error; `None` when an actual is 0.
fn mape(y: &[f64], f: &[f64]) -> Option<f64> {
    if y.contains(&0.0) {
        return None;
    }
    Some(y.iter().zip(f).map(|(a, b)| ((a - b) / a).abs()).sum::<f64>() / y.len() as f64)
}

/// One optimiser start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartRun {
    /// Negative log posterior reached (scaled units, up to a constant); `None` when the start
    /// never reached a finite value.
    pub objective: Option<f64>,
    /// Iterations.
    pub iterations: usize,
    /// Largest absolute gradient entry at the end (`None` when not finite).
    pub grad_norm: Option<f64>,
    /// Whether the optimiser's tolerance was met.
    pub converged: bool,
}

/// How the fit converged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Convergence {
    /// Whether the best start met its tolerance.
    pub converged: bool,
    /// The best start (0 = the priors' centres).
    pub best_start: usize,
    /// Starts within 1e-6 (relative) of the best objective.
    pub starts_agreeing: usize,
    /// Every start.
    pub runs: Vec<StartRun>,
}

/// Time-ordered holdout scores (the model refitted without the last rows).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Holdout {
    /// Rows held out.
    pub rows: usize,
    /// R^2 on the held-out rows (`None` when they are constant).
    pub r2: Option<f64>,
    /// NRMSE on the held-out rows (`None` when they are constant).
    pub nrmse: Option<f64>,
    /// MAPE on the held-out rows (`None` when an actual is 0).
    pub mape: Option<f64>,
}

/// Fit diagnostics (original units).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Diagnostics {
    /// Coefficient of determination.
    pub r2: f64,
    /// RMSE over the target's range (Robyn's NRMSE).
    pub nrmse: f64,
    /// Mean absolute percentage error (`None` when an actual is 0).
    pub mape: Option<f64>,
    /// Robyn's DECOMP.RSSD: `sqrt(sum_c (effect share - spend share)^2)`.
    pub decomp_rssd: f64,
    /// Lag-1 autocorrelation of the residuals (`None` when they do not vary).
    pub residual_acf1: Option<f64>,
    /// Durbin-Watson statistic of the residuals (`None` for a perfect fit).
    pub durbin_watson: Option<f64>,
    /// Holdout scores, when a holdout was asked for.
    pub holdout: Option<Holdout>,
}

/// The additive parts of a fit, each a series over the rows (original units); they sum to
/// `fitted` exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contributions {
    /// The intercept.
    pub intercept: Vec<f64>,
    /// The trend (zeros without one).
    pub trend: Vec<f64>,
    /// The Fourier seasonality (zeros without one).
    pub seasonality: Vec<f64>,
    /// One series per control.
    pub controls: Vec<Vec<f64>>,
    /// One series per channel.
    pub channels: Vec<Vec<f64>>,
    /// The fitted values.
    pub fitted: Vec<f64>,
}

/// Each channel's contribution band over the rows (original units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributionBands {
    /// Lower band, `lo[channel][row]`.
    pub lo: Vec<Vec<f64>>,
    /// Upper band, `hi[channel][row]`.
    pub hi: Vec<Vec<f64>>,
}

/// A value with its interval (`lo`, `hi` equal the value without uncertainty).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// At the posterior mode.
    pub value: f64,
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// One channel's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelSummary {
    /// Channel name.
    pub channel: String,
    /// Total spend over the rows.
    pub spend: f64,
    /// Total contribution over the rows.
    pub contribution: Estimate,
    /// Share of the total media contribution.
    pub share: Estimate,
    /// Contribution per unit spent.
    pub roas: Estimate,
    /// Marginal ROAS: extra contribution per extra unit when every row's spend grows by 1%.
    pub mroas: Estimate,
    /// The adstock at the mode (`None` for a channel that never spends).
    pub adstock: Option<Adstock>,
    /// The saturation at the mode (scaled units; `None` for a channel that never spends).
    pub saturation: Option<Saturation>,
}

/// A channel's response curve on a grid of per-period spend, in steady state (the same spend
/// every period, carry-over included), with bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseCurve {
    /// Channel name.
    pub channel: String,
    /// Spend per period.
    pub spend: Vec<f64>,
    /// Response per period at the mode.
    pub response: Vec<f64>,
    /// Lower band.
    pub lo: Vec<f64>,
    /// Upper band.
    pub hi: Vec<f64>,
    /// Marginal response at the mode.
    pub marginal: Vec<f64>,
}

/// A fitted media mix model. A deserialised one is checked whole (shapes, names, finite
/// parameters), so a damaged document is an `invalid_parameter` error on load, never a panic
/// later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FittedMmmData")]
pub struct FittedMmm {
    spec: Mmm,
    data: MmmData,
    scales: Scales,
    param_names: Vec<String>,
    theta: Vec<f64>,
    draws: Vec<Vec<f64>>,
    convergence: Convergence,
    diagnostics: Diagnostics,
    warnings: Vec<String>,
}

/// The serde form of [`FittedMmm`], checked by `TryFrom`.
#[derive(Deserialize)]
struct FittedMmmData {
    spec: Mmm,
    data: MmmData,
    scales: Scales,
    param_names: Vec<String>,
    theta: Vec<f64>,
    draws: Vec<Vec<f64>>,
    convergence: Convergence,
    diagnostics: Diagnostics,
    warnings: Vec<String>,
}

impl TryFrom<FittedMmmData> for FittedMmm {
    type Error = Error;

    fn try_from(d: FittedMmmData) -> Result<Self> {
        let bad = |reason: String| Error::InvalidParameter { field: "fitted media mix model".into(), value: "(serialised model)".into(), reason };
        let n = d.data.rows();
        d.spec.validate(n).map_err(|e| bad(format!("its specification: {e}")))?;
        d.data.validate(true).map_err(|e| bad(format!("its data: {e}")))?;
        // the layout the specification and data imply must be the stored one
        let model = Model::new(&d.spec, &d.data).map_err(|e| bad(e.to_string()))?;
        let names: Vec<&str> = model.params.iter().map(|p| p.name.as_str()).collect();
        if names != d.param_names.iter().map(String::as_str).collect::<Vec<_>>() {
            return Err(bad("parameter names inconsistent with the specification and data".into()));
        }
        if model.scales != d.scales {
            return Err(bad("scales inconsistent with the data".into()));
        }
        let np = names.len();
        let ok = |t: &Vec<f64>| t.len() == np && t.iter().all(|v| v.is_finite());
        if !ok(&d.theta) || !d.draws.iter().all(ok) {
            return Err(bad(format!("parameters must be {np} finite numbers (mode and every draw)")));
        }
        Ok(FittedMmm {
            spec: d.spec,
            data: d.data,
            scales: d.scales,
            param_names: d.param_names,
            theta: d.theta,
            draws: d.draws,
            convergence: d.convergence,
            diagnostics: d.diagnostics,
            warnings: d.warnings,
        })
    }
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let (i, f) = (h.floor() as usize, h - h.floor());
    if i + 1 < sorted.len() {
        sorted[i] + f * (sorted[i + 1] - sorted[i])
    } else {
        sorted[i]
    }
}

impl FittedMmm {
    /// The specification it was fitted with.
    pub fn spec(&self) -> &Mmm {
        &self.spec
    }

    /// The training data.
    pub fn data(&self) -> &MmmData {
        &self.data
    }

    /// The scales.
    pub fn scales(&self) -> &Scales {
        &self.scales
    }

    /// Parameter names (`intercept`, `trend`, `fourier.sin1`, `control.price`,
    /// `tv.adstock.alpha`, `tv.saturation.lam`, ..., `sigma`), on the scaled data.
    pub fn param_names(&self) -> &[String] {
        &self.param_names
    }

    /// Every parameter at the mode with its interval, in the order of
    /// [`FittedMmm::param_names`].
    pub fn params(&self) -> Vec<Estimate> {
        (0..self.theta.len()).map(|i| self.estimate(self.theta[i], |th| th[i])).collect()
    }

    /// The parameter draws (Laplace or bootstrap; empty without uncertainty).
    pub fn draws(&self) -> &[Vec<f64>] {
        &self.draws
    }

    /// How the optimiser ended.
    pub fn convergence(&self) -> &Convergence {
        &self.convergence
    }

    /// Fit diagnostics.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// What the fit noticed (a channel that never spends, collinear channels, a flat
    /// posterior direction).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn channel_params(&self) -> Vec<Option<(usize, usize, usize, usize)>> {
        let mut out = Vec::new();
        for (c, name) in self.data.channels.iter().enumerate() {
            if self.scales.channels[c] == 0.0 {
                out.push(None);
                continue;
            }
            let prefix = format!("{name}.adstock.");
            let sprefix = format!("{name}.saturation.");
            let a0 = self.param_names.iter().position(|p| p.starts_with(&prefix));
            let s0 = self.param_names.iter().position(|p| p.starts_with(&sprefix));
            match (a0, s0) {
                (Some(a0), Some(s0)) => {
                    let na = self.param_names.iter().filter(|p| p.starts_with(&prefix)).count();
                    let ns = self.param_names.iter().filter(|p| p.starts_with(&sprefix)).count();
                    out.push(Some((a0, na, s0, ns)));
                }
                _ => out.push(None),
            }
        }
        out
    }

    fn estimate(&self, value: f64, f: impl Fn(&[f64]) -> f64) -> Estimate {
        if self.draws.is_empty() {
            return Estimate { value, lo: value, hi: value };
        }
        let mut v: Vec<f64> = self.draws.iter().map(|d| f(d)).collect();
        crate::stats::sort_f64(&mut v);
        let a = (1.0 - self.spec.level) / 2.0;
        Estimate { value, lo: quantile(&v, a), hi: quantile(&v, 1.0 - a) }
    }

    fn parts(&self, theta: &[f64], data: &MmmData) -> Result<Contributions> {
        decompose(&self.spec, &self.scales, theta, &self.channel_params(), data)
    }

    /// The additive parts of the fit over the training rows.
    ///
    /// # Errors
    /// None in practice (the training data was checked); `internal` otherwise.
    pub fn contributions(&self) -> Result<Contributions> {
        self.parts(&self.theta, &self.data)
    }

    /// Each channel's contribution in each row with its `level` band from the draws
    /// (`lo[channel][row]`, `hi[channel][row]`); without draws both equal the contribution.
    ///
    /// # Errors
    /// `invalid_parameter` naming `draws` when draws x channels x rows values need more memory
    /// than can be allocated (a browser build's 4 GiB); `internal` should the training data not
    /// evaluate (it was checked).
    pub fn contribution_bands(&self) -> Result<ContributionBands> {
        let point = self.contributions()?.channels;
        if self.draws.is_empty() {
            return Ok(ContributionBands { lo: point.clone(), hi: point });
        }
        // every draw's contribution in each cell, a cell's draws side by side: [channel][row][draw]
        let (nc, nt, nd) = (point.len(), point.first().map_or(0, Vec::len), self.draws.len());
        let mut all = crate::memory::filled(
            &[nd, nc, nt],
            0.0,
            "draws",
            "draws x channels x rows",
            "fit with fewer draws (options.draws, or replicates)",
        )?;
        for (d, theta) in self.draws.iter().enumerate() {
            for (c, series) in self.parts(theta, &self.data)?.channels.iter().enumerate() {
                for (t, &v) in series.iter().enumerate() {
                    all[(c * nt + t) * nd + d] = v;
                }
            }
        }
        let a = (1.0 - self.spec.level) / 2.0;
        let (mut lo, mut hi) = (point.clone(), point);
        for (cell, v) in all.chunks_exact_mut(nd).enumerate() {
            let (c, t) = (cell / nt, cell % nt);
            crate::stats::sort_f64(v);
            lo[c][t] = quantile(v, a);
            hi[c][t] = quantile(v, 1.0 - a);
        }
        Ok(ContributionBands { lo, hi })
    }

    /// Predictions for new rows (same channels and controls; `days` when the fit had them,
    /// and trend and seasonality continue from the training calendar; without `days`, row 0
    /// is the training data's row 0). The target of `data` is ignored (it may be empty, or
    /// any length matching the spend).
    ///
    /// # Errors
    /// `invalid_parameter` when the channels or controls differ from the fit's; the data
    /// errors of [`Mmm::fit`].
    pub fn predict(&self, data: &MmmData) -> Result<Contributions> {
        if data.channels != self.data.channels || data.controls != self.data.controls {
            return Err(Error::InvalidParameter {
                field: "data".into(),
                value: format!("channels {:?}, controls {:?}", data.channels, data.controls),
                reason: format!("the model was fitted on channels {:?} and controls {:?}", self.data.channels, self.data.controls),
            });
        }
        if self.data.days.is_some() != data.days.is_some() {
            return Err(Error::InvalidParameter { field: "days".into(), value: format!("{}", data.days.is_some()), reason: "give dates exactly when the fit had them".into() });
        }
        let n = data.spend.first().map_or(0, Vec::len);
        let mut d = data.clone();
        d.target = vec![0.0; n];
        d.validate(false)?;
        self.parts(&self.theta, &d)
    }

    /// Each channel's (contribution, share, ROAS, marginal ROAS) at parameters `theta`, and
    /// whether they and the fitted values are all finite; `None` where the parts cannot be
    /// computed.
    fn channel_figures(&self, theta: &[f64]) -> Option<(Vec<Figures>, bool)> {
        let base = self.parts(theta, &self.data).ok()?;
        let mut up = self.data.clone();
        up.spend.iter_mut().for_each(|x| x.iter_mut().for_each(|v| *v *= 1.01));
        let more = self.parts(theta, &up).ok()?;
        let totals: Vec<f64> = base.channels.iter().map(|c| c.iter().sum()).collect();
        let all: f64 = totals.iter().sum();
        let stats: Vec<Figures> = totals
            .iter()
            .enumerate()
            .map(|(c, &tot)| {
                let spend: f64 = self.data.spend[c].iter().sum();
                let extra: f64 = more.channels[c].iter().sum::<f64>() - tot;
                let share = if all > 0.0 { tot / all } else { 0.0 };
                let (roas, mroas) = if spend > 0.0 { (tot / spend, extra / (0.01 * spend)) } else { (0.0, 0.0) };
                (tot, share, roas, mroas)
            })
            .collect();
        let finite = base.fitted.iter().all(|v| v.is_finite()) && stats.iter().all(|s| [s.0, s.1, s.2, s.3].iter().all(|v| v.is_finite()));
        Some((stats, finite))
    }

    /// A summary row per channel: contribution, share, ROAS and marginal ROAS with intervals,
    /// and the fitted curves.
    pub fn summary(&self) -> Vec<ChannelSummary> {
        let cp = self.channel_params();
        let stats = |theta: &[f64]| self.channel_figures(theta).map(|f| f.0).unwrap_or_default();
        let point = stats(&self.theta);
        let drawn: Vec<Vec<Figures>> = self.draws.iter().map(|d| stats(d)).collect();
        let a = (1.0 - self.spec.level) / 2.0;
        let est = |c: usize, pick: fn(&Figures) -> f64| -> Estimate {
            let value = pick(&point[c]);
            if drawn.is_empty() {
                return Estimate { value, lo: value, hi: value };
            }
            let mut v: Vec<f64> = drawn.iter().filter_map(|d| d.get(c).map(pick)).collect();
            crate::stats::sort_f64(&mut v);
            Estimate { value, lo: quantile(&v, a), hi: quantile(&v, 1.0 - a) }
        };
        let adstock = default_adstock(&self.spec);
        self.data
            .channels
            .iter()
            .enumerate()
            .map(|(c, name)| ChannelSummary {
                channel: name.clone(),
                spend: self.data.spend[c].iter().sum(),
                contribution: est(c, |p| p.0),
                share: est(c, |p| p.1),
                roas: est(c, |p| p.2),
                mroas: est(c, |p| p.3),
                adstock: cp[c].map(|(a0, na, _, _)| adstock.with_params(&self.theta[a0..a0 + na])),
                saturation: cp[c].map(|(_, _, s0, ns)| Saturation::unchecked(&self.spec.saturation, &self.theta[s0..s0 + ns])),
            })
            .collect()
    }

    /// Channel `c`'s steady-state response per period to spend `s` per period (original
    /// units) at parameters `theta`.
    fn steady(&self, theta: &[f64], c: usize, s: f64) -> (f64, f64) {
        let Some((a0, na, s0, ns)) = self.channel_params()[c] else { return (0.0, 0.0) };
        let a = default_adstock(&self.spec).with_params(&theta[a0..a0 + na]);
        let sat = Saturation::unchecked(&self.spec.saturation, &theta[s0..s0 + ns]);
        let (xs, ys, g) = (self.scales.channels[c], self.scales.target, a.gain());
        if self.spec.adstock_first {
            (ys * sat.value(g * s / xs), ys * sat.derivative(g * s / xs) * g / xs)
        } else {
            (ys * g * sat.value(s / xs), ys * g * sat.derivative(s / xs) / xs)
        }
    }

    /// Channel `channel`'s steady-state response curve, in original units, as a
    /// [`Saturation`] of per-period spend (adstock gain and scales folded into its
    /// parameters), for the budget allocator. `None` for a channel that never spends.
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown channel.
    pub fn steady_state_curve(&self, channel: &str) -> Result<Option<Saturation>> {
        let c = self.channel_index(channel)?;
        Ok(self.steady_curve_at(&self.theta, c))
    }

    /// [`FittedMmm::steady_state_curve`] for every draw (empty without uncertainty).
    ///
    /// # Errors
    /// As [`FittedMmm::steady_state_curve`].
    pub fn steady_state_curve_draws(&self, channel: &str) -> Result<Vec<Saturation>> {
        let c = self.channel_index(channel)?;
        Ok(self.draws.iter().filter_map(|d| self.steady_curve_at(d, c)).collect())
    }

    fn steady_curve_at(&self, theta: &[f64], c: usize) -> Option<Saturation> {
        let (a0, na, s0, ns) = self.channel_params()[c]?;
        let a = default_adstock(&self.spec).with_params(&theta[a0..a0 + na]);
        let sat = Saturation::unchecked(&self.spec.saturation, &theta[s0..s0 + ns]);
        let (xs, ys) = (self.scales.channels[c], self.scales.target);
        let (k, outer) = if self.spec.adstock_first { (a.gain() / xs, ys) } else { (1.0 / xs, ys * a.gain()) };
        Some(sat.rescaled(k, outer))
    }

    /// Every spending channel as a [`ChannelBudget`](super::budget::ChannelBudget) for the
    /// allocator: its steady-state curve ([`FittedMmm::steady_state_curve`]), the curve of
    /// every draw (for [`Allocate::expected`](super::budget::Allocate::expected)) and, as
    /// current spend, its mean spend per period over the training rows. Channels that never
    /// spent are left out (their curve is unknown).
    pub fn budget_channels(&self) -> Vec<super::budget::ChannelBudget> {
        (0..self.data.channels.len())
            .filter_map(|c| {
                let curve = self.steady_curve_at(&self.theta, c)?;
                let draws = self.draws.iter().filter_map(|d| self.steady_curve_at(d, c)).collect();
                let x = &self.data.spend[c];
                let mean = x.iter().sum::<f64>() / x.len().max(1) as f64;
                Some(super::budget::ChannelBudget::new(self.data.channels[c].clone(), curve).current(mean).draws(draws))
            })
            .collect()
    }

    /// Every spending channel as a [`ChannelPlan`](super::budget::periods::ChannelPlan) for
    /// the multi-period planner: its curve in user units on adstocked spend, its adstock at the
    /// mode, and the training data's last spends as the carry-over into the plan.
    pub fn plan_channels(&self) -> Vec<super::budget::periods::ChannelPlan> {
        let cp = self.channel_params();
        (0..self.data.channels.len())
            .filter_map(|c| {
                let (a0, na, s0, ns) = cp[c]?;
                let adstock = default_adstock(&self.spec).with_params(&self.theta[a0..a0 + na]);
                let sat = Saturation::unchecked(&self.spec.saturation, &self.theta[s0..s0 + ns]);
                let curve = sat.rescaled(1.0 / self.scales.channels[c], self.scales.target);
                let hist = &self.data.spend[c];
                let keep = hist.len().min(adstock.weights().len().saturating_sub(1));
                Some(
                    super::budget::periods::ChannelPlan::new(self.data.channels[c].clone(), curve, adstock)
                        .saturation_first(!self.spec.adstock_first)
                        .pre(hist[hist.len() - keep..].to_vec()),
                )
            })
            .collect()
    }

    fn channel_index(&self, channel: &str) -> Result<usize> {
        self.data.channels.iter().position(|c| c == channel).ok_or_else(|| Error::InvalidParameter {
            field: "channel".into(),
            value: channel.into(),
            reason: format!("expected one of {:?}", self.data.channels),
        })
    }

    /// Every channel's steady-state response curve over `grid` (spend per period, original
    /// units), with `level` bands from the draws.
    ///
    /// # Errors
    /// `non_finite` / `out_of_range` for NaN or negative spend in `grid`.
    pub fn response_curves(&self, grid: &[f64]) -> Result<Vec<ResponseCurve>> {
        check_spend("grid", grid)?;
        let a = (1.0 - self.spec.level) / 2.0;
        Ok((0..self.data.channels.len())
            .map(|c| {
                let (response, marginal): (Vec<f64>, Vec<f64>) = grid.iter().map(|&s| self.steady(&self.theta, c, s)).unzip();
                let (mut lo, mut hi) = (response.clone(), response.clone());
                if !self.draws.is_empty() {
                    for (i, &s) in grid.iter().enumerate() {
                        let mut v: Vec<f64> = self.draws.iter().map(|d| self.steady(d, c, s).0).collect();
                        crate::stats::sort_f64(&mut v);
                        lo[i] = quantile(&v, a);
                        hi[i] = quantile(&v, 1.0 - a);
                    }
                }
                ResponseCurve { channel: self.data.channels[c].clone(), spend: grid.to_vec(), response, lo, hi, marginal }
            })
            .collect())
    }

    /// Channel `channel`'s contribution per period over a horizon when it spends `plan`
    /// (original units), with the carry-over of the training data's last periods; the
    /// response of the multi-period allocator. Rows are the mode, then one row per draw.
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown channel, or naming `plan` when its rows would need
    /// more memory than can be allocated (a browser build's 4 GiB: draws x periods);
    /// `non_finite` / `out_of_range` for bad spend in `plan`.
    pub fn horizon_response(&self, channel: &str, plan: &[f64]) -> Result<Vec<Vec<f64>>> {
        let c = self.channel_index(channel)?;
        check_spend("plan", plan)?;
        // (1 + draws) rows of plan.len(): asked for at once (with 1% to spare for the rows'
        // own bookkeeping), so that a size past memory is an error before any row is made
        let n = 1 + self.draws.len();
        drop(crate::memory::with_capacity::<f64>(
            &[n, plan.len()],
            n.saturating_mul(plan.len()) / 100 + (1 << 17),
            "plan",
            "rows x periods",
            "there is a row for the mode and each draw: pass a shorter plan, or fit with fewer draws",
        )?);
        let cp = self.channel_params();
        let Some((a0, na, s0, ns)) = cp[c] else { return Ok(vec![vec![0.0; plan.len()]; n]) };
        let xs = self.scales.channels[c];
        let hist = &self.data.spend[c];
        let keep = hist.len().min(default_adstock(&self.spec).weights().len());
        let pre: Vec<f64> = hist[hist.len() - keep..].iter().map(|v| v / xs).collect();
        let x: Vec<f64> = plan.iter().map(|v| v / xs).collect();
        let mut tmp = Vec::with_capacity(x.len());
        let mut run = |theta: &[f64]| {
            let a = default_adstock(&self.spec).with_params(&theta[a0..a0 + na]);
            let s = Saturation::unchecked(&self.spec.saturation, &theta[s0..s0 + ns]);
            let mut out = vec![0.0; x.len()];
            channel_series(&a, &s, self.spec.adstock_first, &x, &pre, &mut out, &mut tmp);
            for v in &mut out {
                *v *= self.scales.target;
            }
            out
        };
        let mut rows = Vec::with_capacity(n);
        rows.push(run(&self.theta));
        for d in &self.draws {
            rows.push(run(d));
        }
        Ok(rows)
    }

    fn compute_diagnostics(&self, holdout: Option<Holdout>) -> Diagnostics {
        let Ok(parts) = self.contributions() else { return Diagnostics::default() };
        let y = &self.data.target;
        let f = &parts.fitted;
        let res: Vec<f64> = y.iter().zip(f).map(|(a, b)| a - b).collect();
        let ss: f64 = res.iter().map(|r| r * r).sum();
        let lag: f64 = res.windows(2).map(|w| w[0] * w[1]).sum();
        let _ = lag;
        let dw = (ss > 0.0).then(|| res.windows(2).map(|w| (w[1] - w[0]) * (w[1] - w[0])).sum::<f64>() / ss);
        let m = res.iter().sum::<f64>() / res.len() as f64;
        let var: f64 = res.iter().map(|r| (r - m) * (r - m)).sum();
        let acf1 = (var > 0.0).then(|| res.windows(2).map(|w| (w[0] - m) * (w[1] - m)).sum::<f64>() / var);
        let effects: Vec<f64> = parts.channels.iter().map(|c| c.iter().sum()).collect();
        let spends: Vec<f64> = self.data.spend.iter().map(|x| x.iter().sum()).collect();
        let (te, ts) = (effects.iter().sum::<f64>(), spends.iter().sum::<f64>());
        let decomp_rssd = effects
            .iter()
            .zip(&spends)
            .map(|(e, s)| {
                let d = if te > 0.0 { e / te } else { 0.0 } - if ts > 0.0 { s / ts } else { 0.0 };
                d * d
            })
            .sum::<f64>()
            .sqrt();
        // the fit refuses a constant target, so R^2 and NRMSE exist
        Diagnostics { r2: r2(y, f).unwrap_or(0.0), nrmse: nrmse(y, f).unwrap_or(0.0), mape: mape(y, f), decomp_rssd, residual_acf1: acf1, durbin_watson: dw, holdout }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two channels with known geometric adstock and logistic curves, weekly seasonality,
    /// noise sd `noise` (scaled units of the truth below).
    pub(crate) fn synthetic(n: usize, seed: u64, noise: f64) -> (MmmData, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let tv: Vec<f64> = (0..n).map(|_| rng.random_range(0.0..100.0)).collect();
        let search: Vec<f64> = (0..n).map(|t| 20.0 + 15.0 * ((t as f64) / 5.0).sin().abs() + rng.random_range(0.0..10.0)).collect();
        let a_tv = Adstock::geometric(0.6, 6, true).unwrap();
        let a_s = Adstock::geometric(0.2, 6, true).unwrap();
        let s_tv = Saturation::logistic(2.0, 40.0).unwrap();
        let s_s = Saturation::logistic(3.0, 25.0).unwrap();
        let ctv: Vec<f64> = a_tv.apply(&tv.iter().map(|v| v / 100.0).collect::<Vec<_>>(), &[]).unwrap().iter().map(|&v| s_tv.value(v)).collect();
        let max_s = search.iter().fold(0.0f64, |m, v| m.max(*v));
        let cs: Vec<f64> = a_s.apply(&search.iter().map(|v| v / max_s).collect::<Vec<_>>(), &[]).unwrap().iter().map(|&v| s_s.value(v)).collect();
        let y: Vec<f64> = (0..n)
            .map(|t| 100.0 + 0.05 * t as f64 + 8.0 * (2.0 * PI * t as f64 / 52.1775).sin() + ctv[t] + cs[t] + noise * rng.sample::<f64, _>(StandardNormal))
            .collect();
        let share_tv = ctv.iter().sum::<f64>() / (ctv.iter().sum::<f64>() + cs.iter().sum::<f64>());
        (MmmData::new(y).channel("tv", tv).channel("search", search), vec![share_tv, 1.0 - share_tv])
    }

    #[test]
    fn gradient_matches_differences() {
        for (adstock, sat, first) in [("geometric", "logistic", true), ("delayed", "hill", true), ("weibull_cdf", "tanh", false), ("weibull_pdf", "michaelis_menten", true), ("geometric", "power", false), ("geometric", "log", true)] {
            let (data, _) = synthetic(80, 1, 2.0);
            let data = data.control("price", (0..80).map(|t| 10.0 + (t % 7) as f64).collect());
            let spec = Mmm::default().adstock(adstock).saturation(sat).adstock_first(first).yearly_seasonality(2).l_max(5);
            let m = Model::new(&spec, &data).unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            let u = m.start(2, None, &mut rng);
            let mut ws = Work::default();
            let mut g = vec![0.0; u.len()];
            m.objective(&m.y, &u, &mut g, &mut ws);
            for i in 0..u.len() {
                let h = 1e-6;
                let mut up = u.clone();
                up[i] += h;
                let fp = m.objective(&m.y, &up, &mut vec![0.0; u.len()], &mut ws);
                up[i] -= 2.0 * h;
                let fm = m.objective(&m.y, &up, &mut vec![0.0; u.len()], &mut ws);
                let d = (fp - fm) / (2.0 * h);
                assert!((g[i] - d).abs() <= 1e-4 * (1.0 + d.abs()), "{adstock}/{sat}: {} {} vs {d}", m.params[i].name, g[i]);
            }
        }
    }

    #[test]
    fn recovers_shares_and_parts_sum_to_fit() {
        let (data, shares) = synthetic(156, 7, 1.0);
        let fit = Mmm::default().l_max(6).yearly_seasonality(1).fit(&data).unwrap();
        let s = fit.summary();
        for (row, truth) in s.iter().zip(&shares) {
            assert!(row.share.lo <= *truth && *truth <= row.share.hi, "{row:?} vs {truth}");
            assert!(row.share.lo <= row.share.hi);
        }
        let parts = fit.contributions().unwrap();
        let bands = fit.contribution_bands().unwrap();
        for (c, series) in parts.channels.iter().enumerate() {
            for (t, v) in series.iter().enumerate() {
                assert!(bands.lo[c][t] <= bands.hi[c][t] && bands.lo[c][t] <= v + 1e-9 * v.abs().max(1.0) && *v <= bands.hi[c][t] + 1e-9 * v.abs().max(1.0));
            }
        }
        let mut sum = parts.intercept.clone();
        for p in [&parts.trend, &parts.seasonality].into_iter().chain(&parts.channels) {
            for (a, b) in sum.iter_mut().zip(p) {
                *a += b;
            }
        }
        for (a, b) in sum.iter().zip(&parts.fitted) {
            assert_eq!(a, b);
        }
        assert!(fit.diagnostics().r2 > 0.9, "{:?}", fit.diagnostics());
    }

    #[test]
    fn contribution_bands_are_each_cells_draw_quantiles() {
        // brute force: every draw's parts, each cell's values sorted, numpy's linear quantile
        let (data, _) = synthetic(60, 3, 1.0);
        let fit = Mmm::default().l_max(4).yearly_seasonality(0).level(0.8).uncertainty(Uncertainty::Laplace { draws: 25 }).fit(&data).unwrap();
        let bands = fit.contribution_bands().unwrap();
        let per_draw: Vec<Vec<Vec<f64>>> = fit.draws().iter().map(|d| fit.parts(d, &fit.data).unwrap().channels).collect();
        assert_eq!(per_draw.len(), 25);
        let q = |v: &[f64], p: f64| {
            let h = (v.len() - 1) as f64 * p;
            let i = h.floor() as usize;
            v[i] + (h - i as f64) * (v[(i + 1).min(v.len() - 1)] - v[i])
        };
        for c in 0..bands.lo.len() {
            for t in 0..bands.lo[c].len() {
                let mut v: Vec<f64> = per_draw.iter().map(|d| d[c][t]).collect();
                v.sort_by(|a, b| a.partial_cmp(b).unwrap());
                let a = (1.0 - 0.8) / 2.0;
                assert_eq!((bands.lo[c][t], bands.hi[c][t]), (q(&v, a), q(&v, 1.0 - a)), "channel {c} row {t}");
            }
        }
    }

    #[test]
    fn bootstrap_and_holdout() {
        let (data, shares) = synthetic(120, 11, 1.0);
        let spec = Mmm::default().l_max(6).yearly_seasonality(1).starts(2).holdout(20).uncertainty(Uncertainty::Bootstrap { replicates: 40, block: None });
        let fit = spec.fit(&data).unwrap();
        assert_eq!(fit.draws().len(), 40);
        for (row, truth) in fit.summary().iter().zip(&shares) {
            assert!(row.share.lo <= row.share.value && row.share.value <= row.share.hi, "{row:?}");
            assert!(row.share.lo <= *truth && *truth <= row.share.hi, "{row:?} vs {truth}");
        }
        let h = fit.diagnostics().holdout.unwrap();
        assert_eq!(h.rows, 20);
        assert!(h.r2.unwrap() > 0.5, "{h:?}");
        // same seed, same draws, on any thread count
        let again = spec.fit(&data).unwrap();
        assert_eq!(again.draws(), fit.draws());
        // progress reaches the end and a cancelled token stops the fit with a typed error
        let token = crate::progress::CancelToken::new();
        token.cancel();
        let e = spec.fit_with_progress(&data, &Monitor::new().cancel_token(token)).unwrap_err();
        assert_eq!(e.kind().code(), "cancelled");
    }

    #[test]
    fn every_curve_fits_flighted_spend_with_zero_weeks() {
        // spend off for whole weeks: the adstocked spend is 0 there, where Hill (slope < 1) and
        // power curves have an infinite slope
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let n = 104;
        let flight = |rng: &mut ChaCha8Rng, level: f64| -> Vec<f64> { (0..n).map(|t| if (t / 6) % 3 == 0 { 0.0 } else { level * rng.random_range(0.5..1.5) }).collect() };
        let (tv, search) = (flight(&mut rng, 100.0), flight(&mut rng, 30.0));
        let a = Adstock::geometric(0.5, 5, true).unwrap();
        let ctv = a.apply(&tv.iter().map(|v| v / 150.0).collect::<Vec<_>>(), &[]).unwrap();
        let cs = a.apply(&search.iter().map(|v| v / 45.0).collect::<Vec<_>>(), &[]).unwrap();
        let y: Vec<f64> = (0..n)
            .map(|t| 100.0 + 30.0 * (1.5 * ctv[t]).tanh() + 15.0 * (2.0 * cs[t]).tanh() + 4.0 * (2.0 * PI * t as f64 / 52.1775).sin() + 0.5 * rng.sample::<f64, _>(StandardNormal))
            .collect();
        let data = MmmData::new(y).channel("tv", tv).channel("search", search);
        for adstock in ["geometric", "delayed", "weibull_cdf"] {
            for sat in SATURATION_KINDS {
                let fit = Mmm::default().adstock(adstock).saturation(sat).l_max(5).yearly_seasonality(1).fit(&data);
                let fit = fit.unwrap_or_else(|e| panic!("{adstock}/{sat}: {e}"));
                assert!(fit.diagnostics().r2 > 0.8, "{adstock}/{sat}: {:?}", fit.diagnostics());
                assert!(!fit.draws().is_empty(), "{adstock}/{sat}");
            }
        }
    }

    #[test]
    fn damaged_documents_are_refused_on_load() {
        let (data, _) = synthetic(60, 2, 1.0);
        let fit = Mmm::default().l_max(4).uncertainty(Uncertainty::Laplace { draws: 20 }).fit(&data).unwrap();
        let mut v = serde_json::to_value(&fit).unwrap();
        v["theta"].as_array_mut().unwrap().pop();
        let e = serde_json::from_value::<FittedMmm>(v).unwrap_err();
        assert!(e.to_string().contains("finite numbers"), "{e}");
        let mut v = serde_json::to_value(&fit).unwrap();
        v["data"]["spend"][0][3] = serde_json::json!(-5.0);
        assert!(serde_json::from_value::<FittedMmm>(v).unwrap_err().to_string().contains("spend.tv[3]"));
    }

    #[test]
    fn serde_round_trips_bit_for_bit() {
        let (data, _) = synthetic(60, 2, 1.0);
        let fit = Mmm::default().l_max(4).uncertainty(Uncertainty::Laplace { draws: 20 }).fit(&data).unwrap();
        let json = serde_json::to_string(&fit).unwrap();
        let back: FittedMmm = serde_json::from_str(&json).unwrap();
        assert_eq!(back, fit);
    }

    #[test]
    fn bad_input_is_named() {
        let (data, _) = synthetic(30, 2, 1.0);
        let e = Mmm::default().adstock("wavy").fit(&data).unwrap_err();
        assert!(e.to_string().contains("wavy"));
        let e = Mmm::default().l_max(40).fit(&data).unwrap_err();
        assert!(e.to_string().contains("l_max"));
        let mut bad = data.clone();
        bad.spend[1][4] = f64::NAN;
        assert!(Mmm::default().fit(&bad).unwrap_err().to_string().contains("spend.search[4]"));
        bad.spend[1][4] = -1.0;
        assert!(Mmm::default().fit(&bad).unwrap_err().to_string().contains("spend.search[4]"));
        let e = Mmm::default().prior("saturation.kappa", Prior::Flat).fit(&data).unwrap_err();
        assert!(e.to_string().contains("saturation.kappa"));
        let small = MmmData::new(vec![1.0, 2.0, 3.0]).channel("a", vec![1.0, 0.0, 2.0]);
        assert_eq!(Mmm::default().l_max(1).fit(&small).unwrap_err().kind().code(), "not_enough_data");
    }

    #[test]
    fn a_channel_that_never_spends_gets_nothing_and_a_warning() {
        let (data, _) = synthetic(60, 4, 1.0);
        let data = data.channel("radio", vec![0.0; 60]);
        let fit = Mmm::default().l_max(4).uncertainty(Uncertainty::None).fit(&data).unwrap();
        let s = fit.summary();
        assert_eq!(s[2].contribution.value, 0.0);
        assert!(fit.warnings().iter().any(|w| w.contains("radio")));
    }

    #[test]
    fn steady_state_curve_matches_the_model() {
        let (data, _) = synthetic(60, 5, 1.0);
        for first in [true, false] {
            let fit = Mmm::default().l_max(4).adstock_first(first).uncertainty(Uncertainty::None).fit(&data).unwrap();
            let curve = fit.steady_state_curve("tv").unwrap().unwrap();
            let rc = fit.response_curves(&[10.0, 50.0]).unwrap();
            assert!((curve.value(50.0) - rc[0].response[1]).abs() < 1e-9 * rc[0].response[1].abs().max(1.0));
            // a long constant plan reaches the steady state
            // the planner's response of a plan equals the model's horizon response
            let plans = fit.plan_channels();
            let plan: Vec<f64> = (0..6).map(|t| 20.0 + 10.0 * t as f64).collect();
            let h = fit.horizon_response("tv", &plan).unwrap();
            let one = crate::optimize::budget::periods::Horizon::per_period(plan.clone()).tail(false).solve(&plans[..1]).unwrap();
            for (got, want) in one.response[0].iter().zip(&h[0]) {
                assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{got} vs {want}");
            }
            let h = fit.horizon_response("tv", &[50.0; 40]).unwrap();
            let chans = fit.budget_channels();
            assert_eq!(chans[0].curve, curve);
            assert!((chans[0].current.unwrap() - fit.data().spend[0].iter().sum::<f64>() / 60.0).abs() < 1e-9);
            assert!((h[0][39] - curve.value(50.0)).abs() < 1e-9 * curve.value(50.0).max(1.0));
        }
    }
}
