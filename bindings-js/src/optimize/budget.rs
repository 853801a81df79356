//! `optimize.allocate`: the core's budget allocator (`channelwise::optimize::budget`) over a
//! fitted media mix model's steady-state curves or over channels given one by one.
//!
//! Channels are a `FittedMMM` (its `budgetChannels()`: each spending channel's steady-state
//! curve, current spend its mean spend per period) or an array of
//! `{ name, curve, lower?, upper?, current?, locked? }`, the curve a `SaturationSpec` object or
//! an `optimize.Saturation` (the shared wrapper hands Rust its boxed handle, `api::boxed`). The core names its
//! fields by channel (`search.upper`); for an array they are renamed to what the caller wrote
//! (`channels[1].upper`), and the options' (`budget`, `target_roas`) to `options.*`.

use std::sync::Arc;

use channelwise::optimize::budget::{
    Allocate, Allocation as CoreAllocation, Bound, ChannelBudget, MaxChange, Scenario,
};
use channelwise::optimize::mmm::FittedMmm;
use channelwise::optimize::response::Saturation;
use channelwise::{Error, Result};

use super::renamed;
use super::response::SaturationSpec;
use crate::api::{arg, boxed, job, this, Job};
use crate::decl::{Declared, FromJs};
use crate::host::{Host, Kind};
use crate::out::{F64s, Opt};
use crate::read;
use crate::{js_options, js_result};

/// A curve given as a `SaturationSpec` object or as an `optimize.Saturation`.
pub struct CurveArg(pub Saturation);

impl FromJs for CurveArg {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        if let Some(s) = boxed::<H, Saturation>(h, v) {
            return Ok(CurveArg(*s));
        }
        if h.kind(v) == Kind::Object && !read::is_array(h, v, field)? {
            return SaturationSpec::from_js(h, v, field).map(|s| CurveArg(s.0));
        }
        Err(read::wrong(
            h,
            field,
            v,
            "a curve object ({ kind, ...params }) or an optimize.Saturation",
        ))
    }
    fn ts() -> String {
        "SaturationSpec | Saturation".into()
    }
}

/// Posterior draws of a channel's curve: an array of curves (`SaturationSpec` or
/// `optimize.Saturation`); draw `d` of every channel is one joint sample.
pub struct CurveDraws(pub Vec<Saturation>);

impl FromJs for CurveDraws {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let n = read::array_len(h, v, field, "an array of curves")?;
        (0..n)
            .map(|i| {
                CurveArg::from_js(h, &read::element(h, v, i, field)?, &format!("{field}[{i}]"))
                    .map(|c| c.0)
            })
            .collect::<Result<Vec<_>>>()
            .map(CurveDraws)
    }
    fn ts() -> String {
        "(SaturationSpec | Saturation)[]".into()
    }
}

/// The objective over posterior draws: `'curve'`, `'expected'` or `{ kind: 'cvar', level }`.
pub struct ObjectiveSpec(pub Option<f64>, pub bool);

impl FromJs for ObjectiveSpec {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        if h.kind(v) == Kind::String {
            return match read::string(h, v, field)?.as_str() {
                "curve" => Ok(ObjectiveSpec(None, false)),
                "expected" => Ok(ObjectiveSpec(None, true)),
                other => Err(Error::InvalidParameter {
                    field: field.into(),
                    value: other.into(),
                    reason: "expected 'curve', 'expected' or { kind: 'cvar', level }".into(),
                }),
            };
        }
        read::options(h, v, field, &["kind", "level"])?;
        let kf = format!("{field}.kind");
        let kind = read::string(h, &read::require(h, v, "kind", &kf)?, &kf)?;
        if kind != "cvar" {
            return Err(Error::InvalidParameter {
                field: kf,
                value: kind,
                reason: "expected 'cvar' (or the strings 'curve', 'expected')".into(),
            });
        }
        let lf = format!("{field}.level");
        let level = read::number(h, &read::require(h, v, "level", &lf)?, &lf)?;
        Ok(ObjectiveSpec(Some(level), false))
    }
    fn ts() -> String {
        "AllocationObjective".into()
    }
}

/// `type AllocationObjective`.
pub const OBJECTIVE_DECLARATION: &str = "\
/**
 * What `optimize.allocate` maximises when channels carry posterior draws: each channel's curve
 * (`'curve'`; a FittedMMM's posterior mode), the mean total response over the draws
 * (`'expected'`, pymc-marketing's default), or the conditional value at risk, the mean total
 * response of the worst `level` share of draws (`{ kind: 'cvar', level }`, `level` in (0, 1],
 * maxResponse only). The default is `'expected'` when a channel of the array has `draws`,
 * else `'curve'`.
 */
export type AllocationObjective = 'curve' | 'expected' | { kind: 'cvar'; level: number };
";

js_options! {
    /// One channel of an allocation: its response curve (spend per period) and constraints.
    pub struct AllocationChannel {
        /// Channel name (unique).
        name: String = required,
        /// Response to spend per period.
        curve: CurveArg = required,
        /// Least spend (default 0).
        lower: f64,
        /// Most spend (default `Infinity`).
        upper: f64,
        /// Spend today (needed by `maxChange` and `locked`).
        current: f64,
        /// Keep today's spend.
        locked: bool,
        /// Posterior draws of the curve (for `options.objective` `'expected'` or CVaR).
        draws: CurveDraws,
    }
}

/// How far each channel may move from its current spend: `{ relative }` or `{ absolute }`.
pub struct MaxChangeSpec(pub MaxChange);

impl FromJs for MaxChangeSpec {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        read::options(h, v, field, &["relative", "absolute"])?;
        let num = |k: &str| {
            let f = format!("{field}.{k}");
            read::get(h, v, k, &f)?
                .map(|x| read::number(h, &x, &f))
                .transpose()
        };
        match (num("relative")?, num("absolute")?) {
            (Some(r), None) => Ok(MaxChangeSpec(MaxChange::Relative(r))),
            (None, Some(a)) => Ok(MaxChangeSpec(MaxChange::Absolute(a))),
            _ => Err(Error::InvalidParameter {
                field: field.into(),
                value: read::describe(h, v),
                reason: "expected exactly one of { relative: fraction } or { absolute: amount }"
                    .into(),
            }),
        }
    }
    fn ts() -> String {
        "MaxChangeSpec".into()
    }
}

/// `type MaxChangeSpec`.
pub const MAX_CHANGE_DECLARATION: &str = "\
/**
 * How far each channel may move from its current spend (`current`, which every channel then
 * needs): at most a fraction of it up or down (`{ relative: 0.2 }`: 20%), or an amount
 * (`{ absolute: 500 }`, spend units).
 */
export type MaxChangeSpec = { relative: number } | { absolute: number };
";

/// The scenario kinds, as JS names them, and the core's names.
const SCENARIOS: [(&str, &str); 4] = [
    ("maxResponse", "max_response"),
    ("targetRoas", "target_roas"),
    ("targetMarginalRoas", "target_marginal_roas"),
    ("minSpendForResponse", "min_spend_for_response"),
];

/// What to solve for: `{ kind, value? }`.
pub struct ScenarioSpec(pub Scenario);

impl FromJs for ScenarioSpec {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        read::options(h, v, field, &["kind", "value"])?;
        let kind_field = format!("{field}.kind");
        let kind = read::string(h, &read::require(h, v, "kind", &kind_field)?, &kind_field)?;
        let value_field = format!("{field}.value");
        let value = read::get(h, v, "value", &value_field)?
            .map(|x| read::number(h, &x, &value_field))
            .transpose()?;
        let need = || value.ok_or_else(|| read::missing(&value_field));
        Ok(ScenarioSpec(match kind.as_str() {
            "maxResponse" => {
                if value.is_some() {
                    return Err(Error::InvalidParameter {
                        field: value_field,
                        value: "given".into(),
                        reason: "maxResponse takes no value: the budget is options.budget".into(),
                    });
                }
                Scenario::MaxResponse
            }
            "targetRoas" => Scenario::TargetRoas(need()?),
            "targetMarginalRoas" => Scenario::TargetMarginalRoas(need()?),
            "minSpendForResponse" => Scenario::MinSpendForResponse(need()?),
            _ => {
                return Err(Error::InvalidParameter {
                    field: kind_field,
                    value: kind,
                    reason: format!(
                        "expected one of {}",
                        SCENARIOS
                            .iter()
                            .map(|(k, _)| format!("'{k}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })
            }
        }))
    }
    fn ts() -> String {
        "AllocationScenario".into()
    }
}

/// `type AllocationScenario`.
pub const SCENARIO_DECLARATION: &str = "\
/**
 * What `optimize.allocate` solves for: the most response for `options.budget` (`maxResponse`,
 * the default); each channel's spend until its next unit returns `value` (`targetMarginalRoas`,
 * the budget, if given, capping the total); the most spend whose total response per unit spent
 * is at least `value` (`targetRoas`; a CPA target `c` is a ROAS target `1 / c`); the least spend
 * whose best split reaches the total response `value` (`minSpendForResponse`).
 */
export type AllocationScenario =
  | { kind: 'maxResponse' }
  | { kind: 'targetRoas'; value: number }
  | { kind: 'targetMarginalRoas'; value: number }
  | { kind: 'minSpendForResponse'; value: number };
";

js_options! {
    /// The allocation's settings.
    ///
    /// | Name | Default | Meaning |
    /// |---|---|---|
    /// | `budget` | required by `maxResponse` | total spend per period (a cap for the other scenarios) |
    /// | `spendAll` | `true` | spend exactly the budget (`false`: at most) |
    /// | `maxChange` | none | move limit from current spend, `{ relative: 0.2 }` or `{ absolute: 500 }` |
    /// | `scenario` | `{ kind: 'maxResponse' }` | what to solve for (`AllocationScenario`) |
    /// | `tolerance` | `1e-6` | relative optimality gap at which S-curve branch and bound stops |
    /// | `maxNodes` | `10000` | branch-and-bound nodes (CVaR: Frank-Wolfe iterations) before it stops with the gap it proved |
    /// | `objective` | `'expected'` with draws, else `'curve'` | what to maximise over posterior draws (`AllocationObjective`) |
    pub struct AllocateOptions {
        /// Total spend per period.
        budget: f64,
        /// Spend exactly the budget (else at most).
        spendAll: bool,
        /// Move limit from current spend, per channel.
        maxChange: MaxChangeSpec,
        /// What to solve for.
        scenario: ScenarioSpec,
        /// Relative optimality gap for S-curves.
        tolerance: f64,
        /// Most branch-and-bound nodes.
        maxNodes: usize,
        /// What to maximise over posterior draws.
        objective: ObjectiveSpec,
    }
}

js_result! {
    /// One channel's share of an allocation.
    pub struct AllocationRow {
        /// Channel name.
        channel: String,
        /// Spend per period.
        spend: f64,
        /// Response at that spend.
        response: f64,
        /// Marginal return at that spend (the next unit's response).
        marginal: f64,
        /// The constraint that holds the spend: `'interior'` (its marginal is the common one),
        /// `'lower'`, `'upper'`, `'maxChangeDown'`, `'maxChangeUp'` or `'locked'`.
        bound: &'static str,
    }
}

js_result! {
    /// Proof of optimality. Which fields prove it depends on `method`: for water-filling the KKT
    /// residual and duality gap (rounding level); for branch and bound and for CVaR the split is
    /// within `suboptimality` of the proven `upperBound` (their KKT residual and duality gap
    /// describe the last relaxation, not the answer).
    pub struct AllocationCertificate {
        /// `'water-filling'` (concave curves: exact), `'branch and bound on concave envelopes'`
        /// (S-shaped Hill curves) or CVaR's away-step Frank-Wolfe.
        method: String,
        /// The common marginal return: the budget's shadow price (0 when it does not bind).
        multiplier: f64,
        /// Largest violation of the KKT conditions, relative to the multiplier.
        kktResidual: f64,
        /// Dual value minus the total response, relative (concave curves: rounding level).
        dualityGap: f64,
        /// A proven upper bound on the best total response.
        upperBound: f64,
        /// How far below `upperBound` this allocation can be, relative to its total response.
        suboptimality: f64,
        /// Branch-and-bound nodes solved (1 for concave curves).
        nodes: usize,
    }
}

js_result! {
    /// A solved allocation.
    pub struct Allocation {
        /// One row per channel, in input order.
        rows: Vec<AllocationRow>,
        /// Total spend.
        totalSpend: f64,
        /// Total response.
        totalResponse: f64,
        /// The certificate.
        certificate: AllocationCertificate,
        /// The split's total response under every draw (its distribution), when the objective
        /// used draws; empty otherwise.
        responseDraws: F64s,
        /// The CVaR the `{ kind: 'cvar' }` objective maximised.
        cvar: Opt<f64>,
    }
}

js_result! {
    /// A fitted model's channel for `optimize.allocate`: its steady-state curve (response per
    /// period to the same spend every period, original units) and its mean spend per period.
    pub struct MMMBudgetChannel {
        /// Channel name.
        name: String,
        /// The steady-state curve.
        curve: SaturationSpec,
        /// Mean spend per period over the training rows.
        current: Opt<f64>,
    }
}

fn bound_name(b: Bound) -> &'static str {
    match b {
        Bound::Interior => "interior",
        Bound::Lower => "lower",
        Bound::Upper => "upper",
        Bound::MaxChangeDown => "maxChangeDown",
        Bound::MaxChangeUp => "maxChangeUp",
        Bound::Locked => "locked",
    }
}

fn allocation(a: CoreAllocation) -> Allocation {
    let c = a.certificate;
    Allocation {
        rows: a
            .rows
            .into_iter()
            .map(|r| AllocationRow {
                channel: r.channel,
                spend: r.spend,
                response: r.response,
                marginal: r.marginal,
                bound: bound_name(r.bound),
            })
            .collect(),
        totalSpend: a.total_spend,
        totalResponse: a.total_response,
        certificate: AllocationCertificate {
            method: c.method,
            multiplier: c.multiplier,
            kktResidual: c.kkt_residual,
            dualityGap: c.duality_gap,
            upperBound: c.upper_bound,
            suboptimality: c.suboptimality,
            nodes: c.nodes,
        },
        responseDraws: F64s(a.response_draws),
        cvar: Opt(a.cvar),
    }
}

/// The channels of `v`: a `FittedMMM` or an array of `AllocationChannel`; and, for an array,
/// each name's index (to name fields as the caller wrote them).
pub(crate) fn channels<H: Host>(
    h: H,
    v: &H::V,
) -> Result<(Vec<ChannelBudget>, Option<Vec<String>>)> {
    const FIELD: &str = "channels";
    if h.kind(v) == Kind::Object && read::is_array(h, v, FIELD)? {
        let n = read::array_len(h, v, FIELD, "an array of channels")?;
        let mut out = Vec::with_capacity(n as usize);
        let mut names = Vec::with_capacity(n as usize);
        for i in 0..n {
            let f = format!("{FIELD}[{i}]");
            let c = AllocationChannel::read(h, &read::element(h, v, i, FIELD)?, &f)?;
            let (Some(name), Some(curve)) = (c.name, c.curve) else {
                return Err(read::missing(&f));
            };
            let mut b = ChannelBudget::new(name.clone(), curve.0)
                .lower(c.lower.unwrap_or(0.0))
                .upper(c.upper.unwrap_or(f64::INFINITY))
                .locked(c.locked.unwrap_or(false))
                .draws(c.draws.map(|d| d.0).unwrap_or_default());
            b.current = c.current;
            names.push(name);
            out.push(b);
        }
        return Ok((out, Some(names)));
    }
    if let Some(m) = boxed::<H, FittedMmm>(h, v) {
        let out = m.budget_channels();
        if out.is_empty() {
            return Err(Error::InvalidParameter {
                field: FIELD.into(),
                value: "FittedMMM".into(),
                reason: "no channel of the model ever spent: there is no curve to allocate over"
                    .into(),
            });
        }
        return Ok((out, None));
    }
    Err(read::wrong(
        h,
        FIELD,
        v,
        "a FittedMMM or an array of { name, curve, lower?, upper?, current?, locked? }",
    ))
}

/// The core's field names as the caller wrote them.
pub(crate) fn js_field(f: &str, names: Option<&[String]>) -> Option<String> {
    match f {
        "budget" | "tolerance" => return Some(format!("options.{f}")),
        "cvar" => return Some("options.objective.level".into()),
        "max_change" => return Some("options.maxChange".into()),
        "max_nodes" => return Some("options.maxNodes".into()),
        "target_roas" | "target_marginal_roas" | "target_response" => {
            return Some("options.scenario.value".into())
        }
        _ => {}
    }
    let names = names?;
    names.iter().enumerate().find_map(|(i, n)| {
        let rest = f.strip_prefix(n.as_str())?.strip_prefix('.')?;
        let rest = match rest {
            "max_change" => "maxChange".to_string(),
            r => r.strip_prefix("saturation.").map_or_else(
                || r.to_string(),
                |p| format!("curve.{}", crate::keys::camel(p)),
            ),
        };
        Some(format!("channels[{i}].{rest}"))
    })
}

/// `optimize.allocate(channels, options)`.
pub fn allocate<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let (chans, names) = channels(h, &arg(h, a, 0)?)?;
    let spec = spec(h, &arg(h, a, 1)?, "options", &chans, names.is_some())?;
    job(move || {
        let a = spec
            .solve(&chans)
            .map_err(|e| renamed(e, |f| js_field(f, names.as_deref())))?;
        Ok(allocation(a))
    })
}

/// The allocator `options` (at `field`) describe for `chans` (`listed`: given as an array).
pub(crate) fn spec<H: Host>(
    h: H,
    v: &H::V,
    field: &str,
    chans: &[ChannelBudget],
    listed: bool,
) -> Result<Allocate> {
    let o = AllocateOptions::read(h, v, field)?;
    let mut spec = match (o.budget, o.spendAll.unwrap_or(true)) {
        (None, _) => Allocate::unbudgeted(),
        (Some(b), true) => Allocate::budget(b),
        (Some(b), false) => Allocate::at_most(b),
    };
    if let Some(m) = o.maxChange {
        spec = spec.max_change(m.0);
    }
    if let Some(s) = o.scenario {
        spec = spec.scenario(s.0);
    }
    if let Some(t) = o.tolerance {
        spec = spec.tolerance(t);
    }
    // the default objective: the draws' mean when the caller gave draws, else the curves
    let given_draws = listed && chans.iter().any(|c| !c.draws.is_empty());
    match o.objective {
        Some(ObjectiveSpec(Some(level), _)) => spec = spec.cvar(level),
        Some(ObjectiveSpec(None, expected)) => spec = spec.expected(expected),
        None => spec = spec.expected(given_draws),
    }
    if let Some(n) = o.maxNodes {
        if n == 0 {
            return Err(Error::OutOfRange {
                field: "options.maxNodes".into(),
                value: 0.0,
                min: 1.0,
                max: f64::INFINITY,
            });
        }
        spec = spec.max_nodes(n);
    }
    Ok(spec)
}

/// `FittedMMM.budgetChannels()`.
pub fn fitted_budget_channels<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedMmm> = this(h, a)?;
    job(move || {
        Ok(m.budget_channels()
            .into_iter()
            .map(|c| MMMBudgetChannel {
                name: c.name,
                curve: SaturationSpec(c.curve),
                current: Opt(c.current),
            })
            .collect::<Vec<_>>())
    })
}

/// Every declaration of this module, in order.
pub fn declarations() -> Vec<String> {
    vec![
        AllocationChannel::declaration(),
        MAX_CHANGE_DECLARATION.to_string(),
        SCENARIO_DECLARATION.to_string(),
        OBJECTIVE_DECLARATION.to_string(),
        AllocateOptions::declaration(),
        AllocationRow::declaration(),
        AllocationCertificate::declaration(),
        Allocation::declaration(),
        MMMBudgetChannel::declaration(),
    ]
}
