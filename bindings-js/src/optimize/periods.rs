//! `optimize.plan`: budgets over several periods with carry-over (the core's
//! `channelwise::optimize::budget::periods`): per-period budgets or one total, spend before the
//! horizon carried in, a seasonal profile, the carry-over after the last period counted.
//!
//! Channels are a `FittedMMM` (its curves on adstocked spend, adstock at the mode and last
//! spends, the core's `plan_channels`) or an array of
//! `{ name, curve, adstock?, pre?, lower?, upper?, saturationFirst? }`, the curve a
//! `SaturationSpec` or `optimize.Saturation` and the adstock an `AdstockSpec` or
//! `optimize.Adstock`. The core names fields by channel (`tv.pre[2]`) and by option
//! (`budgets[1]`, `profile`); they are renamed to what the caller wrote (`channels[0].pre[2]`,
//! `options.budgets[1]`, `options.profile`).

use channelwise::optimize::budget::periods::{ChannelPlan, Horizon, Plan as CorePlan};
use channelwise::optimize::mmm::FittedMmm;
use channelwise::optimize::response::Adstock;
use channelwise::{Error, Result};

use super::budget::CurveArg;
use super::renamed;
use super::response::AdstockSpec;
use crate::api::{arg, boxed, job, Job};
use crate::decl::{Declared, FromJs};
use crate::host::{Host, Kind};
use crate::keys::camel;
use crate::out::F64s;
use crate::read;
use crate::{js_options, js_result};

/// An adstock given as an `AdstockSpec` object or as an `optimize.Adstock`.
pub struct AdstockArg(pub Adstock);

impl FromJs for AdstockArg {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        if let Some(a) = boxed::<H, Adstock>(h, v) {
            return Ok(AdstockArg(*a));
        }
        if h.kind(v) == Kind::Object && !read::is_array(h, v, field)? {
            return AdstockSpec::from_js(h, v, field).map(|a| AdstockArg(a.0));
        }
        Err(read::wrong(
            h,
            field,
            v,
            "an adstock object ({ kind, ...params, lMax, normalize }) or an optimize.Adstock",
        ))
    }
    fn ts() -> String {
        "AdstockSpec | Adstock".into()
    }
}

js_options! {
    /// One channel of a multi-period plan: its response per period to adstocked spend, its
    /// carry-over and constraints.
    pub struct PlanChannel {
        /// Channel name (unique).
        name: String = required,
        /// Response per period to (adstocked) spend; concave (Hill `slope <= 1`).
        curve: CurveArg = required,
        /// Carry-over (default none: spend returns only in its own period).
        adstock: AdstockArg,
        /// Spend in the periods before the horizon, oldest first.
        pre: Vec<f64>,
        /// Least spend in every period (default 0).
        lower: f64,
        /// Most spend in every period (default `Infinity`).
        upper: f64,
        /// Saturate each period's spend, then carry it over (default false: adstock first).
        saturationFirst: bool,
    }
}

js_options! {
    /// The plan's horizon and budgets: `budgets` (spend in each period, exactly), or `total`
    /// over `periods` periods (split freely).
    ///
    /// | Name | Default | Meaning |
    /// |---|---|---|
    /// | `budgets` | required (or `total`) | spend in each period, exactly |
    /// | `total` | - | spend over the whole horizon, split freely |
    /// | `periods` | - | the number of periods (with `total`), at most 3650 |
    /// | `profile` | all 1 | weight of each period's response (seasonality) |
    /// | `tail` | `true` | count the carry-over after the last period |
    /// | `tolerance` | `1e-9` | relative Frank-Wolfe gap at which to stop |
    /// | `maxIter` | `100000` | most gradient steps |
    pub struct PlanOptions {
        /// Spend in each period.
        budgets: Vec<f64>,
        /// Spend over the whole horizon.
        total: f64,
        /// Number of periods (with `total`), at most 3650.
        periods: usize,
        /// Weight of each period's response.
        profile: Vec<f64>,
        /// Count the carry-over after the last period.
        tail: bool,
        /// Relative Frank-Wolfe gap at which to stop.
        tolerance: f64,
        /// Most gradient steps.
        maxIter: usize,
    }
}

js_result! {
    /// How far the plan can be from the optimum (the objective is concave, so the bound is
    /// global).
    pub struct PlanCertificate {
        /// `'projected gradient, Frank-Wolfe gap'`.
        method: String,
        /// The Frank-Wolfe gap: the optimum is at most this much above `totalResponse`.
        gap: f64,
        /// `gap / totalResponse`.
        suboptimality: f64,
        /// Gradient steps taken.
        iterations: usize,
    }
}

js_result! {
    /// A solved multi-period plan.
    pub struct Plan {
        /// Channel names, in input order.
        channels: Vec<String>,
        /// Spend per channel per period (`spend[channel][period]`).
        spend: Vec<F64s>,
        /// Response per channel per period, weighted by the profile, with the carry-over from
        /// earlier periods and `pre`.
        response: Vec<F64s>,
        /// Each channel's response after the last period (0 without `tail`).
        tail: F64s,
        /// Total response: every period's plus the tail.
        totalResponse: f64,
        /// The certificate.
        certificate: PlanCertificate,
    }
}

/// The channels of `v`: a `FittedMMM` or an array of `PlanChannel`; and, for an array, the
/// names in order (to name fields as the caller wrote them).
fn channels<H: Host>(h: H, v: &H::V) -> Result<(Vec<ChannelPlan>, Option<Vec<String>>)> {
    const FIELD: &str = "channels";
    if h.kind(v) == Kind::Object && read::is_array(h, v, FIELD)? {
        let n = read::array_len(h, v, FIELD, "an array of channels")?;
        let mut out = Vec::with_capacity(n as usize);
        let mut names = Vec::with_capacity(n as usize);
        for i in 0..n {
            let f = format!("{FIELD}[{i}]");
            let c = PlanChannel::read(h, &read::element(h, v, i, FIELD)?, &f)?;
            let (Some(name), Some(curve)) = (c.name, c.curve) else {
                return Err(read::missing(&f));
            };
            let adstock = match c.adstock {
                Some(a) => a.0,
                None => Adstock::geometric(0.0, 1, false)?,
            };
            out.push(
                ChannelPlan::new(name.clone(), curve.0, adstock)
                    .pre(c.pre.unwrap_or_default())
                    .bounds(c.lower.unwrap_or(0.0), c.upper.unwrap_or(f64::INFINITY))
                    .saturation_first(c.saturationFirst.unwrap_or(false)),
            );
            names.push(name);
        }
        return Ok((out, Some(names)));
    }
    if let Some(m) = boxed::<H, FittedMmm>(h, v) {
        let out = m.plan_channels();
        if out.is_empty() {
            return Err(Error::InvalidParameter {
                field: FIELD.into(),
                value: "FittedMMM".into(),
                reason: "no channel of the model ever spent: there is nothing to plan".into(),
            });
        }
        return Ok((out, None));
    }
    Err(read::wrong(
        h,
        FIELD,
        v,
        "a FittedMMM or an array of { name, curve, adstock?, pre?, lower?, upper?, saturationFirst? }",
    ))
}

/// The core's field names as the caller wrote them.
fn js_field(f: &str, names: Option<&[String]>) -> Option<String> {
    for o in ["budgets", "total", "periods", "profile", "tolerance"] {
        if f == o || f.strip_prefix(o).is_some_and(|r| r.starts_with('[')) {
            return Some(format!("options.{f}"));
        }
    }
    let names = names?;
    names.iter().enumerate().find_map(|(i, n)| {
        let rest = f.strip_prefix(n.as_str())?.strip_prefix('.')?;
        let rest = if let Some(p) = rest.strip_prefix("saturation.") {
            format!("curve.{}", camel(p))
        } else if let Some(p) = rest.strip_prefix("adstock.") {
            format!("adstock.{}", camel(p))
        } else {
            rest.to_string()
        };
        Some(format!("channels[{i}].{rest}"))
    })
}

fn horizon(o: PlanOptions) -> Result<Horizon> {
    let mut hz = match (o.budgets, o.total) {
        (Some(b), None) => {
            if let Some(p) = o.periods.filter(|&p| p != b.len()) {
                return Err(Error::LengthMismatch {
                    field: "options.periods".into(),
                    expected: b.len(),
                    got: p,
                });
            }
            Horizon::per_period(b)
        }
        (None, Some(t)) => Horizon::total(
            o.periods.ok_or_else(|| read::missing("options.periods"))?,
            t,
        ),
        (b, _) => {
            return Err(Error::InvalidParameter {
                field: "options.budgets".into(),
                value: if b.is_some() { "both" } else { "neither" }.into(),
                reason: "give per-period budgets, or a total with periods".into(),
            })
        }
    };
    if let Some(p) = o.profile {
        hz = hz.profile(p);
    }
    if let Some(t) = o.tail {
        hz = hz.tail(t);
    }
    if let Some(t) = o.tolerance {
        hz = hz.tolerance(t);
    }
    if let Some(n) = o.maxIter {
        hz = hz.max_iter(n);
    }
    Ok(hz)
}

fn plan_out(p: CorePlan) -> Plan {
    let h = p.spend.first().map_or(0, Vec::len);
    let tail = p
        .response
        .iter()
        .map(|r| r.get(h).copied().unwrap_or(0.0))
        .collect();
    let c = p.certificate;
    Plan {
        channels: p.channels,
        spend: p.spend.into_iter().map(F64s).collect(),
        response: p
            .response
            .into_iter()
            .map(|mut r| {
                r.truncate(h);
                F64s(r)
            })
            .collect(),
        tail: F64s(tail),
        totalResponse: p.total_response,
        certificate: PlanCertificate {
            method: c.method,
            gap: c.gap,
            suboptimality: c.suboptimality,
            iterations: c.iterations,
        },
    }
}

/// `optimize.plan(channels, options)`.
pub fn plan<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (chans, names) = channels(h, &arg(h, a, 0)?)?;
    let o = PlanOptions::read(h, &arg(h, a, 1)?, "options")?;
    let hz = horizon(o)?;
    job(move || {
        let p = hz
            .solve(&chans)
            .map_err(|e| renamed(e, |f| js_field(f, names.as_deref())))?;
        Ok(plan_out(p))
    })
}

/// Every declaration of this module, in order.
pub fn declarations() -> Vec<String> {
    vec![
        PlanChannel::declaration(),
        PlanOptions::declaration(),
        PlanCertificate::declaration(),
        Plan::declaration(),
    ]
}
