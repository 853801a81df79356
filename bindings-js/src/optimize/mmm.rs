//! `optimize.MMM` and `FittedMMM`: the core's media mix model (`channelwise::optimize::mmm`),
//! spec -> `fit(data)` -> fitted model.
//!
//! Data is columns: `{ target, channels: { name: spend }, controls?: { name: values }, days? }`,
//! channels and controls in the order of their keys. `days` are days since 1970-01-01 (numbers)
//! or ISO date strings (`'2024-01-07'`, as `journey` reads timestamps). A fitted model's
//! `toJSON()` is `{ model: "channelwise.optimize.FittedMMM", fitted: <the core model> }`, the
//! envelope the Python binding writes (`fromJSON` ignores any other keys).

use std::borrow::Cow;
use std::sync::Arc;

use channelwise::optimize::mmm::{
    Contributions, Estimate, FittedMmm, Mmm, MmmData, Prior, Uncertainty,
};
use channelwise::optimize::response::{ADSTOCK_KINDS, SATURATION_KINDS};
use channelwise::{Error, Result};

use super::renamed;
use super::response::{AdstockSpec, SaturationSpec};
use crate::api::{arg, from_document, getter, job, long_job, this, Job};
use crate::decl::{Declared, FromJs};
use crate::host::{Host, Kind, Typed};
use crate::out::{F64s, Handle, IntoOut, Nullable, Out};
use crate::read;
use crate::{js_options, js_result};

/// The `model` tag of a stored media mix model (Python's `FittedMMM.to_json()`).
pub const JSON_MODEL: &str = "channelwise.optimize.FittedMMM";

/// Bootstrap replicates when `uncertainty: 'bootstrap'` is asked for without `replicates`.
pub const DEFAULT_REPLICATES: usize = 200;

/// A name from a fixed list (the core's kinds), its TypeScript the union of the names.
macro_rules! one_of {
    ($(#[doc = $doc:literal])* $name:ident, $list:expr) => {
        $(#[doc = $doc])*
        pub struct $name(pub String);

        impl FromJs for $name {
            fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
                let list: &[&str] = &$list;
                let expected = || format!("one of {}", list.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", "));
                if h.kind(v) != Kind::String {
                    return Err(read::wrong(h, field, v, &expected()));
                }
                let s = read::string(h, v, field)?;
                if !list.contains(&s.as_str()) {
                    return Err(read::wrong(h, field, v, &expected()));
                }
                Ok($name(s))
            }
            fn ts() -> String {
                let list: &[&str] = &$list;
                list.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(" | ")
            }
        }
    };
}

one_of!(
    /// An adstock kind.
    AdstockKind,
    ADSTOCK_KINDS
);
one_of!(
    /// A saturation kind.
    SaturationKind,
    SATURATION_KINDS
);
one_of!(
    /// How the intervals are made.
    UncertaintyKind,
    ["laplace", "bootstrap", "none"]
);

/// Priors by parameter name (`{ 'tv.adstock.alpha': { dist: 'beta', alpha: 2, beta: 2 } }`).
pub struct Priors(pub Vec<(String, Prior)>);

/// Each distribution's parameters, in order.
const DISTS: &[(&str, &[&str])] = &[
    ("flat", &[]),
    ("normal", &["mu", "sigma"]),
    ("half_normal", &["sigma"]),
    ("gamma", &["alpha", "beta"]),
    ("beta", &["alpha", "beta"]),
    ("laplace", &["mu", "b"]),
];

fn prior<H: Host>(h: H, v: &H::V, field: &str) -> Result<Prior> {
    read::object(h, v, field)?;
    let dist_field = format!("{field}.dist");
    let dist = read::string(h, &read::require(h, v, "dist", &dist_field)?, &dist_field)?;
    let (_, names) =
        DISTS
            .iter()
            .find(|(d, _)| *d == dist)
            .ok_or_else(|| Error::InvalidParameter {
                field: dist_field,
                value: dist.clone(),
                reason: format!(
                    "expected one of {}",
                    DISTS.iter().map(|(d, _)| *d).collect::<Vec<_>>().join(", ")
                ),
            })?;
    let allowed: Vec<&str> = std::iter::once("dist")
        .chain(names.iter().copied())
        .collect();
    read::options(h, v, field, &allowed)?;
    let p = names
        .iter()
        .map(|n| {
            let f = format!("{field}.{n}");
            read::number(h, &read::require(h, v, n, &f)?, &f)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(match dist.as_str() {
        "normal" => Prior::Normal {
            mu: p[0],
            sigma: p[1],
        },
        "half_normal" => Prior::HalfNormal { sigma: p[0] },
        "gamma" => Prior::Gamma {
            alpha: p[0],
            beta: p[1],
        },
        "beta" => Prior::Beta {
            alpha: p[0],
            beta: p[1],
        },
        "laplace" => Prior::Laplace { mu: p[0], b: p[1] },
        _ => Prior::Flat,
    })
}

impl FromJs for Priors {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        read::object(h, v, field)?;
        let keys = h.keys(v).map_err(|e| read::unreadable(field, e))?;
        keys.into_iter()
            .map(|k| {
                let f = format!("{field}.{k}");
                let p = prior(h, &read::require(h, v, &k, &f)?, &f)?;
                Ok((k, p))
            })
            .collect::<Result<_>>()
            .map(Priors)
    }
    fn ts() -> String {
        "Record<string, PriorSpec>".into()
    }
}

/// `type PriorSpec`, the values of `MMMOptions.priors`.
pub const PRIOR_DECLARATION: &str = "\
/**
 * A prior on one parameter (its log density joins the objective): `flat` adds nothing;
 * `normal(mu, sigma)`, `half_normal(sigma)` on `x >= 0`, `gamma(alpha, beta)` (rate `beta`),
 * `beta(alpha, beta)` on (0, 1), `laplace(mu, b)` (smoothed within 1e-3 of `mu`).
 */
export type PriorSpec =
  | { dist: 'flat' }
  | { dist: 'normal'; mu: number; sigma: number }
  | { dist: 'half_normal'; sigma: number }
  | { dist: 'gamma'; alpha: number; beta: number }
  | { dist: 'beta'; alpha: number; beta: number }
  | { dist: 'laplace'; mu: number; b: number };
";

js_options! {
    /// The media mix model's specification (pymc-marketing's model, fitted by penalised
    /// maximum likelihood). Every field is optional; ranges are checked by `fit`.
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `adstock` | `'geometric'` | carry-over kind | `AdstockSpec` kinds |
    /// | `lMax` | `8` | lags | 1..=rows |
    /// | `normalize` | `true` | adstock weights sum to 1 | |
    /// | `saturation` | `'logistic'` | curve kind | `SaturationSpec` kinds |
    /// | `adstockFirst` | `true` | adstock, then saturation (else the reverse) | |
    /// | `yearlySeasonality` | `0` | Fourier order (0: none) | 0..=50 |
    /// | `period` | `52.1775` | rows per year when `data.days` is not given | `> 1` |
    /// | `trend` | `true` | a linear trend | |
    /// | `starts` | `4` | optimiser starts | 1..=1000 |
    /// | `uncertainty` | `'laplace'` | intervals: Laplace draws, a block bootstrap or none | |
    /// | `draws` | `1000` | Laplace draws (`uncertainty: 'laplace'` only) | 10..=1e6 |
    /// | `replicates` | `200` | bootstrap refits (`'bootstrap'` only) | 10..=1e5 |
    /// | `block` | cube root of the rows | bootstrap block length (`'bootstrap'` only) | 1..=rows |
    /// | `level` | `0.9` | interval coverage | (0, 1) |
    /// | `holdout` | `0` | last rows held out for a time-ordered score | `< rows / 2` |
    /// | `priors` | pymc-marketing's | priors by parameter (`'intercept'`, `'trend'`, `'fourier'`, `'control'`, `'sigma'`, `'adstock.alpha'`, `'saturation.lam'`, or one channel's: `'tv.saturation.beta'`) | |
    /// | `seed` | `0` | starts, draws and bootstrap | whole number `>= 0` |
    /// | `maxIter` | `200` | damped-Newton iterations per start (an L-BFGS polish follows) | `>= 1` |
    pub struct MMMOptions {
        /// Carry-over kind.
        adstock: AdstockKind,
        /// Adstock lags.
        lMax: usize,
        /// Adstock weights sum to 1.
        normalize: bool,
        /// Saturation curve kind.
        saturation: SaturationKind,
        /// Adstock before saturation.
        adstockFirst: bool,
        /// Fourier order of the yearly seasonality (0: none).
        yearlySeasonality: usize,
        /// Rows per year when the data has no `days`.
        period: f64,
        /// A linear trend.
        trend: bool,
        /// Optimiser starts (the first from the priors' centres, the rest drawn from them).
        starts: usize,
        /// How the intervals are made.
        uncertainty: UncertaintyKind,
        /// Laplace draws.
        draws: usize,
        /// Bootstrap replicates.
        replicates: usize,
        /// Bootstrap block length in rows.
        block: usize,
        /// Interval coverage in (0, 1).
        level: f64,
        /// Rows at the end held out for a time-ordered score.
        holdout: usize,
        /// Priors by parameter name, replacing the defaults.
        priors: Priors,
        /// Seed of the starts, draws and bootstrap.
        seed: u64,
        /// Most optimiser iterations per start.
        maxIter: usize,
    }
}

fn only_with(field: &str, kind: &str) -> Error {
    Error::InvalidParameter {
        field: format!("options.{field}"),
        value: "given".into(),
        reason: format!("only with uncertainty '{kind}'"),
    }
}

fn spec(o: MMMOptions) -> Result<Mmm> {
    let kind = o.uncertainty.map_or_else(|| "laplace".to_string(), |u| u.0);
    let uncertainty = match kind.as_str() {
        "none" => Uncertainty::None,
        "bootstrap" => Uncertainty::Bootstrap {
            replicates: o.replicates.unwrap_or(DEFAULT_REPLICATES),
            block: o.block,
        },
        _ => Uncertainty::Laplace {
            draws: o.draws.unwrap_or(1000),
        },
    };
    if o.draws.is_some() && kind != "laplace" {
        return Err(only_with("draws", "laplace"));
    }
    for (name, given) in [
        ("replicates", o.replicates.is_some()),
        ("block", o.block.is_some()),
    ] {
        if given && kind != "bootstrap" {
            return Err(only_with(name, "bootstrap"));
        }
    }
    let mut m = Mmm::default().uncertainty(uncertainty);
    macro_rules! set {
        ($($opt:ident => $setter:ident),*) => { $( if let Some(v) = o.$opt { m = m.$setter(v); } )* };
    }
    set!(lMax => l_max, normalize => normalize, adstockFirst => adstock_first, yearlySeasonality => yearly_seasonality,
         period => period, trend => trend, starts => starts, level => level, holdout => holdout, seed => seed,
         maxIter => max_iter);
    if let Some(a) = &o.adstock {
        m = m.adstock(&a.0);
    }
    if let Some(s) = &o.saturation {
        m = m.saturation(&s.0);
    }
    for (name, p) in o.priors.map(|p| p.0).unwrap_or_default() {
        m = m.prior(&name, p);
    }
    Ok(m)
}

/// The core's name of a spec or data field as the caller wrote it.
fn js_field(f: &str) -> Option<String> {
    let options = |rest: &str| Some(format!("options.{rest}"));
    match f {
        "adstock" | "saturation" | "period" | "starts" | "level" | "holdout" | "priors" => {
            options(f)
        }
        "l_max" | "adstock.l_max" => options("lMax"),
        "yearly_seasonality" => options("yearlySeasonality"),
        "max_iter" => options("maxIter"),
        "uncertainty.draws" | "uncertainty.replicates" | "uncertainty.block" => {
            options(&f["uncertainty.".len()..])
        }
        "channels" | "target" | "days" | "data" => Some(if f == "data" {
            f.into()
        } else {
            format!("data.{f}")
        }),
        _ => {
            if let Some(rest) = f.strip_prefix("priors.") {
                options(&format!("priors.{rest}"))
            } else if let Some(rest) = f.strip_prefix("spend.") {
                Some(format!("data.channels.{rest}"))
            } else if f.starts_with("controls.")
                || f.starts_with("target[")
                || f.starts_with("days[")
            {
                Some(format!("data.{f}"))
            } else {
                None
            }
        }
    }
}

/// Days since 1970-01-01 per row: numbers, or ISO date strings.
fn days<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<f64>> {
    const EXPECTED: &str = "days since 1970-01-01 (numbers) or ISO date strings";
    if h.kind(v) == Kind::Object && !read::is_array(h, v, field)? {
        if let Typed::Numbers(x) = h.typed_numbers(v).map_err(|e| read::unreadable(field, e))? {
            return Ok(x);
        }
    }
    let n = read::array_len(h, v, field, EXPECTED)?;
    (0..n)
        .map(|i| {
            let f = format!("{field}[{i}]");
            let x = read::element(h, v, i, field)?;
            match h.kind(&x) {
                Kind::Number => Ok(h.number(&x)),
                Kind::String => {
                    let s = read::string(h, &x, &f)?;
                    let dated = s.trim().as_bytes().get(4) == Some(&b'-');
                    match channelwise::journey::parse_timestamp(&s) {
                        Ok(secs) if dated => Ok(secs as f64 / 86_400.0),
                        _ => Err(Error::InvalidParameter { field: f, value: s, reason: "expected an ISO date ('2024-01-07')".into() }),
                    }
                }
                _ => Err(read::wrong(h, &f, &x, "a number of days since 1970-01-01 or an ISO date string (for a Date d, d.getTime() / 86400000)")),
            }
        })
        .collect()
}

/// `{ name: Numbers }` in key order, each column named `field.name`.
fn columns<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<(String, Vec<f64>)>> {
    read::object(h, v, field)?;
    let keys = h.keys(v).map_err(|e| read::unreadable(field, e))?;
    keys.into_iter()
        .map(|k| {
            let f = format!("{field}.{k}");
            let col = read::numbers(h, &read::require(h, v, &k, &f)?, &f)?;
            Ok((k, col))
        })
        .collect()
}

/// The data of a fit (`need_target`) or of a prediction (any `target` is ignored).
fn read_data<H: Host>(h: H, v: &H::V, need_target: bool) -> Result<MmmData> {
    const KEYS: &[&str] = &["target", "channels", "controls", "days"];
    let field = "data";
    read::columns(h, v, field, KEYS)?;
    let target = if need_target {
        read::numbers(
            h,
            &read::require(h, v, "target", "data.target")?,
            "data.target",
        )?
    } else {
        Vec::new()
    };
    let channels = columns(
        h,
        &read::require(h, v, "channels", "data.channels")?,
        "data.channels",
    )?;
    let mut data = MmmData::new(target);
    for (name, x) in channels {
        data = data.channel(name, x);
    }
    if let Some(c) = read::get(h, v, "controls", "data.controls")? {
        for (name, z) in columns(h, &c, "data.controls")? {
            data = data.control(name, z);
        }
    }
    if let Some(d) = read::get(h, v, "days", "data.days")? {
        data = data.days(days(h, &d, "data.days")?);
    }
    Ok(data)
}

/// The `MMMData` and `MMMNewData` interfaces.
pub const DATA_DECLARATION: &str = "\
/**
 * The data of a media mix model, one value per row (period) in every column. Channels and
 * controls come in the order of their keys (JS puts integer-like keys first: name them so).
 */
export interface MMMData {
  /** The outcome (sales, conversions) per row. */
  target: Numbers;
  /** Spend per channel, `>= 0`. */
  channels: Record<string, Numbers>;
  /** Control variables (price, promotions) per control. */
  controls?: Record<string, Numbers> | null;
  /**
   * The calendar: days since 1970-01-01 (numbers; for a `Date` d, `d.getTime() / 86400000`) or
   * ISO date strings (`'2024-01-07'`), increasing. Without it rows are evenly spaced,
   * `options.period` a year.
   */
  days?: Numbers | string[] | null;
}

/** New rows for `FittedMMM.predict`: the fit's channels and controls (`days` exactly when the fit had them). */
export interface MMMNewData {
  /** Ignored (predictions do not need the outcome). */
  target?: Numbers | null;
  /** Spend per channel, the fit's channels. */
  channels: Record<string, Numbers>;
  /** The fit's controls. */
  controls?: Record<string, Numbers> | null;
  /** The calendar, continuing the fit's. */
  days?: Numbers | string[] | null;
}
";

/// `new optimize.MMM(options?)`.
pub fn mmm_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m = spec(MMMOptions::read(h, &arg(h, a, 0)?, "options")?)?;
    job(move || Ok(Handle(Arc::new(m))))
}

js_options! {
    /// Options of `MMM.fit` (its `...Async` twin also takes `onProgress` and `signal`).
    pub struct MMMFitOptions {}
}

/// `MMM.fit(data, options?)` (and `fitAsync`, reporting each start and bootstrap replicate).
pub fn mmm_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<Mmm> = this(h, a)?;
    let data = read_data(h, &arg(h, a, 1)?, true)?;
    MMMFitOptions::read(h, &arg(h, a, 2)?, "options")?;
    long_job(move |monitor| {
        let fit = m
            .fit_with_progress(&data, monitor)
            .map_err(|e| renamed(e, js_field))?;
        Ok(Handle(Arc::new(fit)))
    })
}

/// `new FittedMMM()`: not for direct use.
pub fn fitted_new<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    Err(Error::InvalidParameter {
        field: "FittedMMM".into(),
        value: "new FittedMMM()".into(),
        reason: "a fitted model is made by new optimize.MMM(options).fit(data) or FittedMMM.fromJSON(json)".into(),
    })
}

/// Named series as `{ name: Float64Array }`, in order.
pub struct Named(pub Vec<(String, Vec<f64>)>);

impl IntoOut for Named {
    fn into_out(self) -> Out {
        Out::Object(
            self.0
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k), Some(Out::F64s(v))))
                .collect(),
        )
    }
    fn ts() -> String {
        "Record<string, Float64Array>".into()
    }
}

js_result! {
    /// The additive parts of a fit, one value per row each (original units); they sum to
    /// `fitted` exactly.
    pub struct MMMContributions {
        /// The intercept.
        intercept: F64s,
        /// The trend (zeros without one).
        trend: F64s,
        /// The Fourier seasonality (zeros without one).
        seasonality: F64s,
        /// One series per control.
        controls: Named,
        /// One series per channel.
        channels: Named,
        /// The fitted values (the predictions, for new rows).
        fitted: F64s,
    }
}

fn contributions(c: Contributions, data: &MmmData) -> MMMContributions {
    let named =
        |names: &[String], cols: Vec<Vec<f64>>| Named(names.iter().cloned().zip(cols).collect());
    MMMContributions {
        intercept: F64s(c.intercept),
        trend: F64s(c.trend),
        seasonality: F64s(c.seasonality),
        controls: named(&data.controls, c.controls),
        channels: named(&data.channels, c.channels),
        fitted: F64s(c.fitted),
    }
}

js_result! {
    /// Each channel's contribution band over the training rows (`level`, from the draws; equal
    /// to the contribution without uncertainty).
    pub struct MMMContributionBands {
        /// Lower band per channel.
        lo: Named,
        /// Upper band per channel.
        hi: Named,
    }
}

js_result! {
    /// One channel of `FittedMMM.summary()`: totals over the training rows with `level`
    /// intervals, and the fitted curves.
    pub struct MMMChannelSummary {
        /// Channel name.
        channel: String,
        /// Total spend.
        spend: f64,
        /// Total contribution (at the posterior mode).
        contribution: f64,
        /// Its lower bound.
        contributionLo: f64,
        /// Its upper bound.
        contributionHi: f64,
        /// Share of the total media contribution.
        share: f64,
        /// Its lower bound.
        shareLo: f64,
        /// Its upper bound.
        shareHi: f64,
        /// Contribution per unit spent.
        roas: f64,
        /// Its lower bound.
        roasLo: f64,
        /// Its upper bound.
        roasHi: f64,
        /// Marginal ROAS: extra contribution per extra unit when every row's spend grows by 1%.
        mroas: f64,
        /// Its lower bound.
        mroasLo: f64,
        /// Its upper bound.
        mroasHi: f64,
        /// The adstock at the mode (`null` for a channel that never spends).
        adstock: Nullable<AdstockSpec>,
        /// The saturation at the mode, on the scaled data (`null` for a channel that never
        /// spends); `steadyStateCurve(channel)` gives it in original units.
        saturation: Nullable<SaturationSpec>,
    }
}

js_result! {
    /// A model parameter at the mode with its interval.
    pub struct MMMParam {
        /// `intercept`, `trend`, `fourier.sin1`, `control.price`, `tv.adstock.alpha`,
        /// `tv.saturation.lam`, ..., `sigma` (on the scaled data).
        name: String,
        /// At the posterior mode.
        value: f64,
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    }
}

js_result! {
    /// A channel's steady-state response curve (the same spend every period, carry-over
    /// included) on a grid of spend per period, with `level` bands.
    pub struct MMMResponseCurve {
        /// Channel name.
        channel: String,
        /// Spend per period (the grid).
        spend: F64s,
        /// Response per period at the mode.
        response: F64s,
        /// Lower band.
        lo: F64s,
        /// Upper band.
        hi: F64s,
        /// Marginal response at the mode.
        marginal: F64s,
    }
}

js_result! {
    /// A channel's contribution per period over a spend plan, carry-over of the training
    /// data's last periods included.
    pub struct MMMHorizonResponse {
        /// At the posterior mode.
        response: F64s,
        /// One series per parameter draw (none without uncertainty).
        draws: Vec<F64s>,
    }
}

js_result! {
    /// Time-ordered holdout scores (the model refitted without the last rows).
    pub struct MMMHoldout {
        /// Rows held out.
        rows: usize,
        /// R^2 on them (`null` when they are constant).
        r2: Nullable<f64>,
        /// NRMSE on them (`null` when they are constant).
        nrmse: Nullable<f64>,
        /// MAPE on them (`null` when an actual is 0).
        mape: Nullable<f64>,
    }
}

js_result! {
    /// Fit diagnostics (original units).
    pub struct MMMDiagnostics {
        /// Coefficient of determination.
        r2: f64,
        /// RMSE over the target's range (Robyn's NRMSE).
        nrmse: f64,
        /// Mean absolute percentage error (`null` when an actual is 0).
        mape: Nullable<f64>,
        /// Robyn's DECOMP.RSSD: `sqrt(sum (effect share - spend share)^2)`.
        decompRssd: f64,
        /// Lag-1 autocorrelation of the residuals (`null` when they do not vary).
        residualAcf1: Nullable<f64>,
        /// Durbin-Watson statistic of the residuals (`null` for a perfect fit).
        durbinWatson: Nullable<f64>,
        /// Holdout scores, when `options.holdout` asked for them.
        holdout: Nullable<MMMHoldout>,
    }
}

js_result! {
    /// One optimiser start.
    pub struct MMMStartRun {
        /// Negative log posterior reached (scaled units, up to a constant); `null` when the start
        /// never reached a finite value.
        objective: Nullable<f64>,
        /// Iterations.
        iterations: usize,
        /// Largest absolute gradient entry at the end (`null` when not finite).
        gradNorm: Nullable<f64>,
        /// Whether the optimiser's tolerance was met.
        converged: bool,
    }
}

js_result! {
    /// How the fit converged.
    pub struct MMMConvergence {
        /// Whether the best start met its tolerance.
        converged: bool,
        /// The best start (0 = the priors' centres).
        bestStart: usize,
        /// Starts within 1e-6 (relative) of the best objective.
        startsAgreeing: usize,
        /// Every start.
        runs: Vec<MMMStartRun>,
    }
}

/// `FittedMMM.summary()`.
pub fn fitted_summary<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    job(move || {
        Ok(m.summary()
            .into_iter()
            .map(|r| {
                let [contribution, share, roas, mroas]: [Estimate; 4] =
                    [r.contribution, r.share, r.roas, r.mroas];
                MMMChannelSummary {
                    channel: r.channel,
                    spend: r.spend,
                    contribution: contribution.value,
                    contributionLo: contribution.lo,
                    contributionHi: contribution.hi,
                    share: share.value,
                    shareLo: share.lo,
                    shareHi: share.hi,
                    roas: roas.value,
                    roasLo: roas.lo,
                    roasHi: roas.hi,
                    mroas: mroas.value,
                    mroasLo: mroas.lo,
                    mroasHi: mroas.hi,
                    adstock: Nullable(r.adstock.map(AdstockSpec)),
                    saturation: Nullable(r.saturation.map(SaturationSpec)),
                }
            })
            .collect::<Vec<_>>())
    })
}

/// `FittedMMM.contributions()`.
pub fn fitted_contributions<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    job(move || Ok(contributions(m.contributions()?, m.data())))
}

/// `FittedMMM.contributionBands()`.
pub fn fitted_contribution_bands<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    job(move || {
        let b = m.contribution_bands()?;
        let names = &m.data().channels;
        let named = |cols: Vec<Vec<f64>>| Named(names.iter().cloned().zip(cols).collect());
        Ok(MMMContributionBands {
            lo: named(b.lo),
            hi: named(b.hi),
        })
    })
}

/// `FittedMMM.params()`.
pub fn fitted_params<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    job(move || {
        Ok(m.param_names()
            .iter()
            .zip(m.params())
            .map(|(name, e)| MMMParam {
                name: name.clone(),
                value: e.value,
                lo: e.lo,
                hi: e.hi,
            })
            .collect::<Vec<_>>())
    })
}

/// `FittedMMM.responseCurves(grid)`.
pub fn fitted_response_curves<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    let grid = read::numbers(h, &arg(h, a, 1)?, "grid")?;
    job(move || {
        Ok(m.response_curves(&grid)?
            .into_iter()
            .map(|c| MMMResponseCurve {
                channel: c.channel,
                spend: F64s(c.spend),
                response: F64s(c.response),
                lo: F64s(c.lo),
                hi: F64s(c.hi),
                marginal: F64s(c.marginal),
            })
            .collect::<Vec<_>>())
    })
}

/// `FittedMMM.predict(data)`.
pub fn fitted_predict<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    let data = read_data(h, &arg(h, a, 1)?, false)?;
    job(move || {
        let c = m.predict(&data).map_err(|e| renamed(e, js_field))?;
        Ok(contributions(c, &data))
    })
}

/// `FittedMMM.horizonResponse(channel, plan)`.
pub fn fitted_horizon_response<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    let channel = read::string(h, &arg(h, a, 1)?, "channel")?;
    let plan = read::numbers(h, &arg(h, a, 2)?, "plan")?;
    job(move || {
        let mut rows = m.horizon_response(&channel, &plan)?.into_iter().map(F64s);
        let response = rows
            .next()
            .ok_or_else(|| Error::Internal("horizon_response gave no rows".into()))?;
        Ok(MMMHorizonResponse {
            response,
            draws: rows.collect(),
        })
    })
}

/// `FittedMMM.steadyStateCurve(channel)`: a `Saturation` handle, or `null`.
pub fn fitted_steady_state_curve<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    let channel = read::string(h, &arg(h, a, 1)?, "channel")?;
    job(move || {
        Ok(m.steady_state_curve(&channel)?
            .map_or(Out::Null, |s| Handle(Arc::new(s)).into_out()))
    })
}

/// `FittedMMM.toJSON()`: `{ model, fitted }`, as Python's `to_json()` writes it.
pub fn fitted_to_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    job(move || {
        let fitted = crate::api::to_json(&*m)?;
        Ok(Out::Object(vec![
            (Cow::Borrowed("model"), Some(Out::String(JSON_MODEL.into()))),
            (Cow::Borrowed("fitted"), Some(fitted)),
        ]))
    })
}

/// `FittedMMM.fromJSON(json)`: a model written by `toJSON()` here or `to_json()` in Python.
pub fn fitted_from_json<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let doc = arg(h, a, 0)?;
    // the core checks a loaded model whole (shapes, names, the layout its spec implies)
    let m: FittedMmm = from_document(h, &doc, JSON_MODEL, "media mix")?;
    job(move || Ok(Handle(Arc::new(m))))
}

getter!(FittedMmm, fitted_channels, Vec<String>, |m| m
    .data()
    .channels
    .clone());
getter!(FittedMmm, fitted_controls, Vec<String>, |m| m
    .data()
    .controls
    .clone());
getter!(FittedMmm, fitted_warnings, Vec<String>, |m| m
    .warnings()
    .to_vec());
getter!(FittedMmm, fitted_diagnostics, MMMDiagnostics, |m| {
    let d = m.diagnostics();
    MMMDiagnostics {
        r2: d.r2,
        nrmse: d.nrmse,
        mape: Nullable(d.mape),
        decompRssd: d.decomp_rssd,
        residualAcf1: Nullable(d.residual_acf1),
        durbinWatson: Nullable(d.durbin_watson),
        holdout: Nullable(d.holdout.map(|x| MMMHoldout {
            rows: x.rows,
            r2: Nullable(x.r2),
            nrmse: Nullable(x.nrmse),
            mape: Nullable(x.mape),
        })),
    }
});
getter!(FittedMmm, fitted_convergence, MMMConvergence, |m| {
    let c = m.convergence();
    MMMConvergence {
        converged: c.converged,
        bestStart: c.best_start,
        startsAgreeing: c.starts_agreeing,
        runs: c
            .runs
            .iter()
            .map(|r| MMMStartRun {
                objective: Nullable(r.objective),
                iterations: r.iterations,
                gradNorm: Nullable(r.grad_norm),
                converged: r.converged,
            })
            .collect(),
    }
});

/// Every declaration of this module, in order.
pub fn declarations() -> Vec<String> {
    vec![
        PRIOR_DECLARATION.to_string(),
        MMMOptions::declaration(),
        DATA_DECLARATION.to_string(),
        MMMFitOptions::declaration(),
        MMMContributions::declaration(),
        MMMContributionBands::declaration(),
        MMMChannelSummary::declaration(),
        MMMParam::declaration(),
        MMMResponseCurve::declaration(),
        MMMHorizonResponse::declaration(),
        MMMHoldout::declaration(),
        MMMDiagnostics::declaration(),
        MMMStartRun::declaration(),
        MMMConvergence::declaration(),
    ]
}
