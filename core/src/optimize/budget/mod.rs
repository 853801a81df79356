//! Budget allocation: split a budget over channels' response curves to maximise the total
//! response, within per-channel bounds, a maximum change from current spend and locked
//! channels; or answer the other questions planners ask (spend until the next dollar returns a
//! target, the most spend that keeps a target ROAS, the least spend that reaches a target
//! response).
//!
//! # Method
//! - **Concave curves** (every curve except a Hill curve with `slope > 1`): the KKT conditions
//!   say every channel not at a bound has the same marginal return `lambda`, so each channel's
//!   spend is its curve's inverse marginal at `lambda`, clamped to its bounds, and the total is
//!   monotone in `lambda`: a one-dimensional search (regula falsi on `ln lambda`, always
//!   bracketed) finds it exactly. The [`Certificate`] reports the KKT residual and the duality
//!   gap, both relative, at rounding level (<= 1e-9).
//! - **S-shaped curves** (Hill, `slope > 1`): branch and bound on concave envelopes (Udell &
//!   Boyd, *Maximizing a sum of sigmoids*, 2013). Each node solves the problem with every curve
//!   replaced by its concave envelope on the node's interval, exactly, as above: its value
//!   bounds the true optimum from above, and its split (which is feasible) gives a true value
//!   from below. The node whose channel sits where envelope and curve differ is split at that
//!   spend. The search stops when the best bound is within `tolerance` (relative) of the best
//!   split; the certificate reports both, so the distance to the global optimum is proven.
//!
//! Spend is in the units the curves take (per period); responses in the curves' units.
//! Several periods with carry-over, per-period budgets and a seasonal profile are in
//! [`periods`].

pub mod periods;

use serde::{Deserialize, Serialize};

use super::response::{illinois, Bracket, Saturation};
use crate::error::Num;
use crate::{Error, Result};

/// One channel of an allocation: its response curve and its constraints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelBudget {
    /// Channel name.
    pub name: String,
    /// Response to spend (per period).
    pub curve: Saturation,
    /// Least spend (default 0).
    pub lower: f64,
    /// Most spend (default unbounded).
    pub upper: f64,
    /// Spend today (needed by a maximum change and by a locked channel).
    pub current: Option<f64>,
    /// Keep today's spend.
    pub locked: bool,
    /// Draws of the curve (an MMM's posterior); with [`Allocate::expected`] the objective is
    /// the mean response over them, and the allocation reports the response of each draw.
    #[serde(default)]
    pub draws: Vec<Saturation>,
}

impl ChannelBudget {
    /// A channel with no bounds but `spend >= 0`.
    pub fn new(name: impl Into<String>, curve: Saturation) -> Self {
        ChannelBudget { name: name.into(), curve, lower: 0.0, upper: f64::INFINITY, current: None, locked: false, draws: Vec::new() }
    }

    /// Draws of the curve.
    pub fn draws(mut self, draws: Vec<Saturation>) -> Self {
        self.draws = draws;
        self
    }

    /// Least spend.
    pub fn lower(mut self, v: f64) -> Self {
        self.lower = v;
        self
    }

    /// Most spend.
    pub fn upper(mut self, v: f64) -> Self {
        self.upper = v;
        self
    }

    /// Spend today.
    pub fn current(mut self, v: f64) -> Self {
        self.current = Some(v);
        self
    }

    /// Keep today's spend.
    pub fn locked(mut self, v: bool) -> Self {
        self.locked = v;
        self
    }
}

/// How far a channel may move from its current spend.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxChange {
    /// At most this much up or down (spend units).
    Absolute(f64),
    /// At most this fraction of current spend up or down (0.2 = 20%).
    Relative(f64),
}

/// What to solve for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// The most total response for the budget.
    MaxResponse,
    /// Spend each channel until its next unit returns this much (the budget, if given, caps
    /// the total).
    TargetMarginalRoas(f64),
    /// The most spend whose total response per unit spent is at least this (Robyn's target
    /// efficiency), allocated for the most response; a CPA target `c` is a ROAS target `1/c`.
    TargetRoas(f64),
    /// The least spend whose best allocation reaches this total response.
    MinSpendForResponse(f64),
}

/// An allocation problem's settings.
///
/// | Name | Default | Meaning |
/// |---|---|---|
/// | `budget` | required for `MaxResponse` | total spend |
/// | `spend_all` | `true` | spend exactly the budget (else at most) |
/// | `max_change` | none | a move limit from current spend, per channel |
/// | `scenario` | `MaxResponse` | what to solve for ([`Scenario`]) |
/// | `tolerance` | 1e-6 | relative optimality gap at which S-curve branch and bound stops |
/// | `max_nodes` | 10000 | branch-and-bound nodes before it stops with the gap it proved |
/// | `expected` | `false` | maximise the mean response over each channel's `draws` (pymc-marketing's default objective) instead of the curve |
/// | `cvar` | none | maximise the conditional value at risk at this level over the draws: the mean total response of the worst `level` share of draws |
///
/// ```
/// use channelwise::optimize::budget::{Allocate, ChannelBudget};
/// use channelwise::optimize::response::Saturation;
/// let channels = [
///     ChannelBudget::new("search", Saturation::michaelis_menten(500.0, 100.0)?),
///     ChannelBudget::new("social", Saturation::michaelis_menten(300.0, 50.0)?),
/// ];
/// let a = Allocate::budget(300.0).solve(&channels)?;
/// assert!((a.rows[0].marginal - a.rows[1].marginal).abs() < 1e-9); // equal marginal returns
/// assert!(a.certificate.kkt_residual < 1e-9);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocate {
    budget: Option<f64>,
    spend_all: bool,
    max_change: Option<MaxChange>,
    scenario: Scenario,
    tolerance: f64,
    max_nodes: usize,
    #[serde(default)]
    expected: bool,
    #[serde(default)]
    cvar: Option<f64>,
}

impl Default for Allocate {
    fn default() -> Self {
        Allocate { budget: None, spend_all: true, max_change: None, scenario: Scenario::MaxResponse, tolerance: 1e-6, max_nodes: 10_000, expected: false, cvar: None }
    }
}

/// Which constraint holds a channel's spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Between its bounds: its marginal return is the common one.
    Interior,
    /// At its least spend.
    Lower,
    /// At its most spend.
    Upper,
    /// Held down by the maximum change.
    MaxChangeDown,
    /// Held up by the maximum change.
    MaxChangeUp,
    /// Locked at current spend.
    Locked,
}

/// One channel's share of the allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationRow {
    /// Channel name.
    pub channel: String,
    /// Spend.
    pub spend: f64,
    /// Response at that spend.
    pub response: f64,
    /// Marginal return at that spend.
    pub marginal: f64,
    /// The constraint that holds it.
    pub bound: Bound,
}

/// Proof of optimality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    /// `"water-filling"` (concave: exact) or `"branch and bound on concave envelopes"`.
    pub method: String,
    /// The common marginal return (the budget's shadow price; 0 when it does not bind).
    pub multiplier: f64,
    /// Largest violation of the KKT conditions, relative to the multiplier (concave curves).
    pub kkt_residual: f64,
    /// Dual value minus the total response, relative (concave curves: rounding level).
    pub duality_gap: f64,
    /// A proven upper bound on the optimal total response.
    pub upper_bound: f64,
    /// `upper_bound - total response`, relative to the total response: how far from the global
    /// optimum this allocation can be at most.
    pub suboptimality: f64,
    /// Branch-and-bound nodes solved (1 for concave curves).
    pub nodes: usize,
}

/// A solved allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// One row per channel, in input order.
    pub rows: Vec<AllocationRow>,
    /// Total spend.
    pub total_spend: f64,
    /// Total response.
    pub total_response: f64,
    /// The certificate.
    pub certificate: Certificate,
    /// The total response of this split under each draw (channels without draws use their
    /// curve), when the channels have draws; empty otherwise.
    #[serde(default)]
    pub response_draws: Vec<f64>,
    /// With [`Allocate::cvar`]: the conditional value at risk of this split, the mean total
    /// response of the worst `level` share of draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvar: Option<f64>,
}

const INF: f64 = f64::INFINITY;

/// The response a channel is allocated on: its curve, or the mean of its draws.
#[derive(Debug, Clone)]
enum Curve {
    One(Saturation),
    /// A weighted mean of draws (weights sum to 1; zero weights are skipped).
    Mean(std::sync::Arc<[Saturation]>, std::sync::Arc<[f64]>),
}

impl Curve {
    fn value(&self, x: f64) -> f64 {
        match self {
            Curve::One(s) => s.value(x),
            Curve::Mean(d, w) => d.iter().zip(w.iter()).filter(|p| *p.1 != 0.0).map(|(s, w)| w * s.value(x)).sum(),
        }
    }

    fn derivative(&self, x: f64) -> f64 {
        match self {
            Curve::One(s) => s.derivative(x),
            Curve::Mean(d, w) => d.iter().zip(w.iter()).filter(|p| *p.1 != 0.0).map(|(s, w)| w * s.derivative(x)).sum(),
        }
    }

    fn is_s_shaped(&self) -> bool {
        matches!(self, Curve::One(s) if s.is_s_shaped())
    }

    fn inflection(&self) -> f64 {
        match self {
            Curve::One(s) => s.inflection(),
            Curve::Mean(..) => 0.0,
        }
    }

    /// The slope of a linear response (every draw a power curve with `b = 1`).
    fn linear_slope(&self) -> Option<f64> {
        let one = |s: &Saturation| match *s {
            Saturation::Power { a, b: 1.0 } => Some(a),
            _ => None,
        };
        match self {
            Curve::One(s) => one(s),
            Curve::Mean(d, w) => d.iter().zip(w.iter()).map(|(s, w)| one(s).map(|a| w * a)).sum::<Option<f64>>(),
        }
    }

    /// The spend where the (falling) marginal equals `m`: the curve's own inverse, or for a
    /// mean of concave draws a bracketed regula falsi on the mean marginal.
    fn inverse_marginal(&self, m: f64) -> f64 {
        match self {
            Curve::One(s) => s.inverse_marginal(m),
            Curve::Mean(..) => {
                if m.is_nan() {
                    return f64::NAN;
                }
                if m <= 0.0 {
                    return INF;
                }
                if self.derivative(0.0) <= m {
                    return 0.0;
                }
                super::response::falling_root(|x| self.derivative(x) - m, 0.0)
            }
        }
    }
}

/// A channel on an interval `[a, b]`, with the concave envelope of its curve there: a chord
/// (slope `s`) from `a` to the tangent point `t`, then the curve itself.
#[derive(Debug, Clone)]
struct Piece {
    curve: Curve,
    a: f64,
    b: f64,
    t: f64,
    s: f64,
}

impl Piece {
    fn new(curve: Curve, a: f64, b: f64) -> Piece {
        let infl = curve.inflection();
        if a >= infl || !curve.is_s_shaped() {
            return Piece { curve, a, b, t: a, s: INF };
        }
        let curve = &curve;
        let fa = curve.value(a);
        // tangent from (a, f(a)): f'(t)(t - a) = f(t) - f(a), t past the inflection
        let h = |t: f64| curve.derivative(t) * (t - a) - (curve.value(t) - fa);
        let mut lo = infl.max(a);
        let mut hi = (2.0 * lo).max(lo + 1.0);
        while h(hi) > 0.0 && hi.is_finite() {
            lo = hi;
            hi *= 2.0;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if h(mid) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let t = 0.5 * (lo + hi);
        if t >= b {
            // the chord to b is the envelope on the whole interval
            let s = if b > a { (curve.value(b) - fa) / (b - a) } else { 0.0 };
            return Piece { curve: curve.clone(), a, b, t: b, s };
        }
        let s = if t > a { (curve.value(t) - fa) / (t - a) } else { curve.derivative(t) };
        Piece { curve: curve.clone(), a, b, t, s }
    }

    fn has_chord(&self) -> bool {
        self.t > self.a
    }

    /// The envelope's value.
    fn env(&self, x: f64) -> f64 {
        if x < self.t {
            self.curve.value(self.a) + self.s * (x - self.a)
        } else {
            self.curve.value(x)
        }
    }

    /// The maximisers of `env(x) - lambda x` on `[a, b]`, as an interval.
    fn argmax(&self, lambda: f64) -> (f64, f64) {
        if self.has_chord() {
            if lambda > self.s {
                return (self.a, self.a);
            }
            if lambda == self.s {
                return (self.a, self.t.max(self.concave_at(lambda)));
            }
            let x = self.concave_at(lambda);
            return (x, x);
        }
        // concave on [a, b]; a linear curve's marginal is flat
        if let Some(slope) = self.curve.linear_slope() {
            return if lambda < slope {
                (self.b, self.b)
            } else if lambda > slope {
                (self.a, self.a)
            } else {
                (self.a, self.b)
            };
        }
        let x = self.concave_at(lambda);
        (x, x)
    }

    /// The curve's inverse marginal at `lambda` on its concave part, clamped to `[t, b]`.
    fn concave_at(&self, lambda: f64) -> f64 {
        let x = if lambda <= 0.0 { INF } else { self.curve.inverse_marginal(lambda) };
        x.clamp(self.t, self.b)
    }
}

/// The exact optimum of the envelope problem: spend per piece, the multiplier, the envelope
/// value. `None` when the pieces cannot hold `total` (`spend_all`) or their least spend exceeds
/// it; `invalid_parameter` (`budget`) when the multiplier that would spend `total` is below
/// 1e-300.
fn water_fill(pieces: &[Piece], total: f64, spend_all: bool) -> Result<Option<(Vec<f64>, f64, f64)>> {
    let sum_at = |lambda: f64, hi: bool| -> f64 { pieces.iter().map(|p| if hi { p.argmax(lambda).1 } else { p.argmax(lambda).0 }).sum() };
    let least: f64 = pieces.iter().map(|p| p.a).sum();
    let most: f64 = pieces.iter().map(|p| p.b).sum();
    if least > total * (1.0 + 1e-12) + 1e-12 || (spend_all && most < total * (1.0 - 1e-12) - 1e-12) {
        return Ok(None);
    }
    let fill = |lambda: f64, x: &mut Vec<f64>| {
        x.clear();
        x.extend(pieces.iter().map(|p| p.argmax(lambda).0));
    };
    let mut x = Vec::with_capacity(pieces.len());
    // the budget does not bind: every channel at its unconstrained best (lambda = 0)
    let unconstrained = sum_at(0.0, true);
    if unconstrained <= total && (!spend_all || unconstrained >= total) {
        x.extend(pieces.iter().map(|p| p.argmax(0.0).1));
        let v = pieces.iter().zip(&x).map(|(p, &xi)| p.env(xi)).sum();
        return Ok(Some((x, 0.0, v)));
    }
    // bracket lambda: sum_hi(lo) >= total >= sum_lo(hi)
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    while sum_at(lo, true) < total && lo > 1e-300 {
        lo *= 1e-3;
    }
    let reach = sum_at(lo, true);
    if reach < total {
        // past what the curves take at any marginal return a float holds: the multiplier that
        // would spend it underflows (a budget of 1e300 on Michaelis-Menten curves)
        return Err(Error::InvalidParameter {
            field: "budget".into(),
            value: Num(total).to_string(),
            reason: format!("more than the curves can take: past {} every channel's marginal return is below 1e-300 per unit (is the spend in the curves' units?)", Num(reach)),
        });
    }
    while sum_at(hi, false) > total && hi < 1e300 {
        hi *= 1e3;
    }
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    // regula falsi (Illinois) on ln lambda over g = sum - total, decreasing in lambda
    let g = |lambda: f64| sum_at(lambda, false) - total;
    let mut b = Bracket { lo: lo.ln(), hi: hi.ln(), glo: g(lo), ghi: g(hi) };
    let Ok(()) = illinois(&mut b, 300, |m| Ok::<f64, std::convert::Infallible>(g(m.exp())), |b| b.hi - b.lo <= 1e-15 * b.lo.abs().max(1.0) || b.glo <= 0.0);
    let (llo, lhi) = (b.lo, b.hi);
    // spend at the upper multiplier (sum <= total), then fill the rest where a piece can take
    // more at the lower one: float-level for smooth pieces, whole flat pieces one at a time
    let lambda = lhi.exp();
    fill(lambda, &mut x);
    let room: Vec<f64> = pieces.iter().zip(&x).map(|(p, &xi)| (p.argmax(llo.exp()).1.max(p.argmax(lambda).1) - xi).max(0.0)).collect();
    let mut rest = total - x.iter().sum::<f64>();
    if rest > 0.0 {
        // smooth pieces first (tiny moves), flat ones after
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        crate::stats::sort_indices(&mut order, &room);
        for i in order {
            if rest <= 0.0 {
                break;
            }
            let take = room[i].min(rest);
            x[i] += take;
            rest -= take;
        }
    }
    let v = pieces.iter().zip(&x).map(|(p, &xi)| p.env(xi)).sum();
    Ok(Some((x, lambda, v)))
}

impl Allocate {
    /// Spend exactly `total`, for the most response.
    pub fn budget(total: f64) -> Self {
        Allocate { budget: Some(total), ..Default::default() }
    }

    /// Spend at most `total`.
    pub fn at_most(total: f64) -> Self {
        Allocate { budget: Some(total), spend_all: false, ..Default::default() }
    }

    /// Spend exactly the budget (`true`, default) or at most it.
    pub fn spend_all(mut self, yes: bool) -> Self {
        self.spend_all = yes;
        self
    }

    /// No budget (for the target scenarios).
    pub fn unbudgeted() -> Self {
        Allocate::default()
    }

    /// A move limit from current spend.
    pub fn max_change(mut self, m: MaxChange) -> Self {
        self.max_change = Some(m);
        self
    }

    /// What to solve for.
    pub fn scenario(mut self, s: Scenario) -> Self {
        self.scenario = s;
        self
    }

    /// Relative optimality gap for S-curves (default 1e-6).
    pub fn tolerance(mut self, t: f64) -> Self {
        self.tolerance = t;
        self
    }

    /// Most branch-and-bound nodes (default 10000).
    pub fn max_nodes(mut self, n: usize) -> Self {
        self.max_nodes = n;
        self
    }

    /// Maximise the mean response over each channel's draws (default: the curve).
    pub fn expected(mut self, yes: bool) -> Self {
        self.expected = yes;
        self
    }

    /// Maximise the conditional value at risk of the total response over the channels' draws
    /// at `level` in (0, 1]: the mean of the worst `level` share of draws (1 is the mean,
    /// `expected(true)`; smaller is more averse to a bad draw). Draw `d` of every channel is one
    /// joint sample; channels without draws count their curve in every draw. The rows report
    /// each channel's mean response over its draws, [`Allocation::cvar`] the objective.
    ///
    /// Solved as `min over q max over x of sum_d q_d R_d(x)` (the dual form of CVaR, `q` in
    /// the capped simplex `0 <= q_d <= 1 / (level D)`): the inner problem is exact
    /// water-filling on the `q`-weighted mean curve, the outer one away-step Frank-Wolfe with
    /// exact line search on `q` (Lacoste-Julien & Jaggi 2015). Every iterate gives a bound on each side, so the certificate's
    /// `upper_bound` and `suboptimality` are proven, and it stops at `tolerance` or
    /// `max_nodes` iterations. Concave draws and the max-response scenario only.
    pub fn cvar(mut self, level: f64) -> Self {
        self.cvar = Some(level);
        self
    }

    /// The response each channel is allocated on.
    fn curves(&self, channels: &[ChannelBudget]) -> Result<Vec<Curve>> {
        // draws pair up across channels (draw d of every channel is one posterior sample)
        if let Some(first) = channels.iter().find(|c| !c.draws.is_empty()) {
            if let Some(other) = channels.iter().find(|c| !c.draws.is_empty() && c.draws.len() != first.draws.len()) {
                return Err(Error::LengthMismatch { field: format!("{}.draws", other.name), got: other.draws.len(), expected: first.draws.len() });
            }
        }
        channels
            .iter()
            .map(|c| {
                for (k, d) in c.draws.iter().enumerate() {
                    d.validate().map_err(|e| rename(e, &format!("{}.draws[{k}]", c.name)))?;
                    // the rows would name one curve while the expected response came from another
                    if d.kind() != c.curve.kind() {
                        return Err(Error::InvalidParameter {
                            field: format!("{}.draws[{k}]", c.name),
                            value: d.kind().into(),
                            reason: format!("expected a draw of the curve's kind, {}", c.curve.kind()),
                        });
                    }
                }
                if !(self.expected || self.cvar.is_some()) || c.draws.is_empty() {
                    return Ok(Curve::One(c.curve));
                }
                if c.draws.iter().any(Saturation::is_s_shaped) {
                    return Err(Error::InvalidParameter {
                        field: format!("{}.draws", c.name),
                        value: "S-shaped Hill draws".into(),
                        reason: "the expected response over S-shaped draws is not supported; allocate on the curve (expected = false)".into(),
                    });
                }
                let n = c.draws.len();
                Ok(Curve::Mean(c.draws.clone().into(), vec![1.0 / n as f64; n].into()))
            })
            .collect()
    }

    /// Each channel's effective interval and what sets each end.
    fn intervals(&self, channels: &[ChannelBudget]) -> Result<Vec<(f64, f64, Bound, Bound)>> {
        let num = |field: String, v: f64, min: f64, allow_inf: bool| -> Result<()> {
            if v.is_nan() || (!allow_inf && v.is_infinite()) {
                return Err(Error::NonFinite { field, value: v });
            }
            if v < min {
                return Err(Error::OutOfRange { field, value: v, min, max: INF });
            }
            Ok(())
        };
        if let Some(m) = self.max_change {
            match m {
                MaxChange::Absolute(v) => num("max_change".into(), v, 0.0, false)?,
                MaxChange::Relative(v) => num("max_change".into(), v, 0.0, false)?,
            }
        }
        channels
            .iter()
            .map(|c| {
                c.curve.validate().map_err(|e| rename(e, &c.name))?;
                num(format!("{}.lower", c.name), c.lower, 0.0, false)?;
                num(format!("{}.upper", c.name), c.upper, 0.0, true)?;
                if c.lower > c.upper {
                    return Err(Error::InvalidParameter {
                        field: format!("{}.lower", c.name),
                        value: c.lower.to_string(),
                        reason: format!("above the upper bound {}", c.upper),
                    });
                }
                if let Some(cur) = c.current {
                    num(format!("{}.current", c.name), cur, 0.0, false)?;
                }
                let need_current = || Error::InvalidParameter {
                    field: format!("{}.current", c.name),
                    value: "none".into(),
                    reason: if c.locked { "a locked channel needs its current spend".into() } else { "a maximum change needs the current spend".into() },
                };
                if c.locked {
                    let cur = c.current.ok_or_else(need_current)?;
                    return Ok((cur, cur, Bound::Locked, Bound::Locked));
                }
                let (mut a, mut b, mut la, mut lb) = (c.lower, c.upper, Bound::Lower, Bound::Upper);
                if let Some(m) = self.max_change {
                    let cur = c.current.ok_or_else(need_current)?;
                    let d = match m {
                        MaxChange::Absolute(v) => v,
                        MaxChange::Relative(v) => v * cur,
                    };
                    if cur - d > a {
                        a = cur - d;
                        la = Bound::MaxChangeDown;
                    }
                    if cur + d < b {
                        b = cur + d;
                        lb = Bound::MaxChangeUp;
                    }
                    if a > b {
                        // the setting is the allocation's; the reason names the channel
                        return Err(Error::InvalidParameter {
                            field: "max_change".into(),
                            value: format!("{} +/- {}", short(cur), short(d)),
                            reason: format!("{}'s move window [{}, {}] misses its bounds [{}, {}]", c.name, short(cur - d), short(cur + d), short(c.lower), short(c.upper)),
                        });
                    }
                }
                Ok((a, b, la, lb))
            })
            .collect()
    }

    /// Solves the allocation.
    ///
    /// # Errors
    /// `invalid_parameter` for no channels, a missing budget, a repeated name, a lower bound
    /// above an upper one, a maximum change that misses a channel's bounds, or bounds that
    /// cannot hold the budget (naming which, and by how much), a budget so large that the
    /// multiplier spending it is below 1e-300 (1e300 on Michaelis-Menten curves), or a draw of
    /// another kind than its channel's curve (`search.draws[3]`); `out_of_range` / `non_finite`
    /// for negative or NaN budgets, bounds and targets (`search.upper`); curve errors name the
    /// channel (`search.saturation.lam`).
    pub fn solve(&self, channels: &[ChannelBudget]) -> Result<Allocation> {
        if channels.is_empty() {
            return Err(Error::InvalidParameter { field: "channels".into(), value: "[]".into(), reason: "nothing to allocate".into() });
        }
        let mut seen = std::collections::HashSet::new();
        for c in channels {
            if !seen.insert(c.name.as_str()) {
                return Err(Error::InvalidParameter { field: "channels".into(), value: c.name.clone(), reason: "a name appears twice".into() });
            }
        }
        let check = |field: &str, v: f64| -> Result<f64> {
            if !v.is_finite() {
                return Err(Error::NonFinite { field: field.into(), value: v });
            }
            if v < 0.0 {
                return Err(Error::OutOfRange { field: field.into(), value: v, min: 0.0, max: INF });
            }
            Ok(v)
        };
        if !(self.tolerance >= 0.0 && self.tolerance.is_finite()) {
            return Err(Error::OutOfRange { field: "tolerance".into(), value: self.tolerance, min: 0.0, max: INF });
        }
        let budget = self.budget.map(|b| check("budget", b)).transpose()?;
        if let Some(level) = self.cvar {
            if level.is_nan() {
                return Err(Error::NonFinite { field: "cvar".into(), value: level });
            }
            if !(level > 0.0 && level <= 1.0) {
                return Err(Error::OutOfRange { field: "cvar".into(), value: level, min: 0.0, max: 1.0 });
            }
            if self.scenario != Scenario::MaxResponse {
                return Err(Error::InvalidParameter { field: "cvar".into(), value: level.to_string(), reason: "the risk-aware objective supports the max-response scenario only".into() });
            }
        }
        let iv = self.intervals(channels)?;
        let curves = self.curves(channels)?;
        let curves = &curves;
        let least: f64 = iv.iter().map(|v| v.0).sum();
        let most: f64 = iv.iter().map(|v| v.1).sum();
        match self.scenario {
            Scenario::MaxResponse => {
                let b = budget.ok_or_else(|| Error::InvalidParameter { field: "budget".into(), value: "none".into(), reason: "the max-response scenario needs a budget".into() })?;
                feasible(b, least, most, self.spend_all)?;
                if let Some(level) = self.cvar {
                    return self.max_cvar(channels, curves, &iv, b, level);
                }
                self.max_response(channels, curves, &iv, b, self.spend_all)
            }
            Scenario::TargetMarginalRoas(m) => {
                let m = check("target_marginal_roas", m)?;
                if m == 0.0 {
                    return Err(Error::OutOfRange { field: "target_marginal_roas".into(), value: m, min: f64::MIN_POSITIVE, max: INF });
                }
                // each channel's best spend at price m, exactly (curve by curve)
                let x: Vec<f64> = curves.iter().zip(&iv).map(|(c, v)| best_at_price(c, v.0, v.1, m)).collect();
                let spent: f64 = x.iter().sum();
                if spent.is_infinite() {
                    return Err(Error::InvalidParameter {
                        field: "target_marginal_roas".into(),
                        value: m.to_string(),
                        reason: "a channel's marginal return never falls to the target (a linear curve without an upper bound)".into(),
                    });
                }
                if let Some(b) = budget {
                    if spent > b {
                        feasible(b, least, most, false)?;
                        return self.max_response(channels, curves, &iv, b, false);
                    }
                }
                Ok(self.finish(channels, curves, &iv, x, m, None, 1))
            }
            Scenario::TargetRoas(r) => {
                let r = check("target_roas", r)?;
                let roas = |b: f64| -> Result<(Allocation, f64)> {
                    let a = self.max_response(channels, curves, &iv, b, true)?;
                    let v = if a.total_spend > 0.0 { a.total_response / a.total_spend } else { INF };
                    Ok((a, v))
                };
                let lo_b = least.max(budget.map_or(least, |_| least));
                let (at_least, roas_least) = roas(lo_b.max(1e-12))?;
                if roas_least < r {
                    return Err(Error::InvalidParameter {
                        field: "target_roas".into(),
                        value: r.to_string(),
                        reason: format!("unreachable: the best ROAS is {roas_least} at the least spend {}", at_least.total_spend),
                    });
                }
                let cap = budget.unwrap_or(most);
                let mut hi = if cap.is_finite() { cap } else { (least.max(1.0)) * 2.0 };
                while !cap.is_finite() && roas(hi)?.1 >= r && hi < 1e300 {
                    hi *= 2.0;
                }
                if cap.is_finite() && roas(hi)?.1 >= r {
                    return Ok(roas(hi)?.0);
                }
                let mut lo = lo_b.max(1e-12);
                for _ in 0..200 {
                    let mid = 0.5 * (lo + hi);
                    if mid <= lo || mid >= hi || (hi - lo) <= 1e-12 * hi {
                        break;
                    }
                    if roas(mid)?.1 >= r {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                Ok(roas(lo)?.0)
            }
            Scenario::MinSpendForResponse(target) => {
                let target = check("target_response", target)?;
                let cap = budget.unwrap_or(most);
                let reach = |b: f64| self.max_response(channels, curves, &iv, b, true);
                let base = reach(least)?;
                if base.total_response >= target {
                    return Ok(base);
                }
                let mut hi = if cap.is_finite() { cap } else { least.max(1.0) * 2.0 };
                while !cap.is_finite() && hi < 1e300 {
                    match reach(hi) {
                        Ok(a) if a.total_response < target => hi *= 2.0,
                        Ok(_) => break,
                        // past what a multiplier can spend (about 1e152 on Michaelis-Menten
                        // curves): the last spend that had one is the most
                        Err(_) if hi > least.max(1.0) * 2.0 => {
                            hi *= 0.5;
                            break;
                        }
                        Err(e) => return Err(e),
                    }
                }
                let top = reach(hi)?;
                if top.total_response < target {
                    return Err(Error::InvalidParameter {
                        field: "target_response".into(),
                        value: target.to_string(),
                        reason: format!("unreachable: the most response within the bounds and budget is {} at spend {}", top.total_response, top.total_spend),
                    });
                }
                let mut lo = least;
                for _ in 0..200 {
                    let mid = 0.5 * (lo + hi);
                    if mid <= lo || mid >= hi || (hi - lo) <= 1e-12 * hi {
                        break;
                    }
                    if reach(mid)?.total_response >= target {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                reach(hi)
            }
        }
    }

    /// The most response for `total`: exact for concave curves, branch and bound otherwise.
    fn max_response(&self, channels: &[ChannelBudget], curves: &[Curve], iv: &[(f64, f64, Bound, Bound)], total: f64, spend_all: bool) -> Result<Allocation> {
        let pieces: Vec<Piece> = curves.iter().zip(iv).map(|(c, v)| Piece::new(c.clone(), v.0, v.1)).collect();
        let infeasible = || feasible(total, iv.iter().map(|v| v.0).sum(), iv.iter().map(|v| v.1).sum(), spend_all).err().unwrap_or_else(|| Error::Internal("water-filling found no split within feasible bounds".into()));
        let (x, lambda, bound) = water_fill(&pieces, total, spend_all)?.ok_or_else(infeasible)?;
        if !pieces.iter().any(Piece::has_chord) {
            return Ok(self.finish(channels, curves, iv, x, lambda, Some(total), 1));
        }
        // branch and bound on the envelopes
        let true_value = |x: &[f64]| -> f64 { pieces.iter().zip(x).map(|(p, &xi)| p.curve.value(xi)).sum() };
        let mut best_x = x.clone();
        let mut best = true_value(&x);
        let mut best_lambda = lambda;
        // open nodes: (bound, pieces' intervals, the envelope optimum's split)
        let mut open: Vec<Node> = vec![(bound, pieces.iter().map(|p| (p.a, p.b)).collect(), x)];
        let mut nodes = 1;
        let mut global_bound = bound;
        while let Some(k) = (0..open.len()).max_by(|&i, &j| open[i].0.total_cmp(&open[j].0)) {
            global_bound = open[k].0;
            if global_bound - best <= self.tolerance * best.abs().max(1e-300) || nodes >= self.max_nodes {
                break;
            }
            let (_, ivs, xs) = open.swap_remove(k);
            // split the channel whose envelope overstates its curve most at this node's spend
            let node_pieces: Vec<Piece> = curves.iter().zip(&ivs).map(|(c, &(a, b))| Piece::new(c.clone(), a, b)).collect();
            let Some((j, _)) = node_pieces
                .iter()
                .zip(&xs)
                .enumerate()
                .map(|(i, (p, &xi))| (i, p.env(xi) - p.curve.value(xi)))
                .max_by(|a, b| a.1.total_cmp(&b.1))
            else {
                continue;
            };
            let at = xs[j];
            let (a, b) = ivs[j];
            for child in [(a, at), (at, b)] {
                let mut civ = ivs.clone();
                civ[j] = child;
                let cp: Vec<Piece> = curves.iter().zip(&civ).map(|(c, &(a, b))| Piece::new(c.clone(), a, b)).collect();
                nodes += 1;
                if let Some((cx, cl, cb)) = water_fill(&cp, total, spend_all)? {
                    let v = true_value(&cx);
                    if v > best {
                        best = v;
                        best_x = cx.clone();
                        best_lambda = cl;
                    }
                    if cb > best + self.tolerance * best.abs() {
                        open.push((cb, civ, cx));
                    }
                }
            }
            if open.is_empty() {
                global_bound = best;
            }
        }
        if open.is_empty() {
            global_bound = global_bound.min(best.max(global_bound));
        }
        let mut a = self.finish(channels, curves, iv, best_x, best_lambda, Some(total), nodes);
        let ub = global_bound.max(a.total_response);
        a.certificate.method = "branch and bound on concave envelopes".into();
        a.certificate.upper_bound = ub;
        a.certificate.suboptimality = (ub - a.total_response) / a.total_response.abs().max(1e-300);
        Ok(a)
    }

    /// The split maximising the CVaR at `level` of the total response over the draws (see
    /// [`Allocate::cvar`]).
    fn max_cvar(&self, channels: &[ChannelBudget], curves: &[Curve], iv: &[(f64, f64, Bound, Bound)], total: f64, level: f64) -> Result<Allocation> {
        let n = channels.iter().map(|c| c.draws.len()).max().unwrap_or(0);
        if n == 0 {
            // no uncertainty: every draw is the curve, and its CVaR is its value
            let mut a = self.max_response(channels, curves, iv, total, self.spend_all)?;
            a.cvar = Some(a.total_response);
            return Ok(a);
        }
        // R_d(x) per draw; channels without draws add their curve to every draw
        let per_draw = |x: &[f64]| -> Vec<f64> {
            (0..n).map(|d| channels.iter().zip(x).map(|(c, &xi)| c.draws.get(d).unwrap_or(&c.curve).value(xi)).sum()).collect()
        };
        let weighted = |q: &[f64]| -> Vec<Curve> {
            let w: std::sync::Arc<[f64]> = q.to_vec().into();
            curves.iter().zip(channels).map(|(f, c)| if c.draws.is_empty() { f.clone() } else { Curve::Mean(c.draws.clone().into(), w.clone()) }).collect()
        };
        let solve_at = |q: &[f64]| -> Result<(Vec<f64>, f64)> {
            let pieces: Vec<Piece> = weighted(q).into_iter().zip(iv).map(|(c, v)| Piece::new(c, v.0, v.1)).collect();
            let (x, lambda, _) = water_fill(&pieces, total, self.spend_all)?.ok_or_else(|| Error::Internal("water-filling found no split within feasible bounds".into()))?;
            Ok((x, lambda))
        };
        // the worst `level` share of draws: weight 1/(level n) each, the last one fractional
        let cap = 1.0 / (level * n as f64);
        let worst = |g: &[f64]| -> Vec<f64> {
            let mut order: Vec<usize> = (0..n).collect();
            crate::stats::sort_indices(&mut order, g);
            let mut s = vec![0.0; n];
            let mut left = 1.0;
            for i in order {
                if left <= 0.0 {
                    break;
                }
                s[i] = cap.min(left);
                left -= s[i];
            }
            s
        };
        let dot = |a: &[f64], b: &[f64]| -> f64 { a.iter().zip(b).map(|(u, v)| u * v).sum() };
        // start at the worst draws of the expected-response split: a vertex, so that q is
        // always a known convex combination of vertices (the away steps need them)
        let (x0, _) = solve_at(&vec![1.0 / n as f64; n])?;
        let mut q = worst(&per_draw(&x0));
        let mut active: Vec<(Vec<f64>, f64)> = vec![(q.clone(), 1.0)];
        let (mut x, mut lambda) = solve_at(&q)?;
        let mut g = per_draw(&x);
        let (mut upper, mut lower) = (INF, f64::NEG_INFINITY);
        let mut best = (x.clone(), lambda, q.clone());
        let mut iterations = 0;
        while iterations < self.max_nodes.max(1) {
            iterations += 1;
            let s = worst(&g);
            let (phi, cvar_x) = (dot(&q, &g), dot(&s, &g));
            upper = upper.min(phi);
            if cvar_x > lower {
                lower = cvar_x;
                best = (x.clone(), lambda, q.clone());
            }
            if upper - lower <= self.tolerance * upper.abs().max(1e-300) {
                break;
            }
            // away-step Frank-Wolfe: toward the worst-draws vertex, or away from the active
            // vertex that weighs the best draws, whichever descends faster
            let away = (0..active.len()).max_by(|&i, &j| dot(&active[i].0, &g).total_cmp(&dot(&active[j].0, &g)));
            let (dir, t_max, toward) = match away {
                Some(k) if dot(&active[k].0, &g) - phi > phi - cvar_x && active[k].1 < 1.0 => {
                    let w = active[k].1;
                    (q.iter().zip(&active[k].0).map(|(a, b)| a - b).collect::<Vec<f64>>(), w / (1.0 - w), Some(k))
                }
                _ => (s.iter().zip(&q).map(|(a, b)| a - b).collect(), 1.0, None),
            };
            let slope0 = dot(&dir, &g);
            if slope0.is_nan() || slope0 >= 0.0 {
                break;
            }
            let at = |t: f64| -> Result<(Vec<f64>, Vec<f64>, f64, f64)> {
                let qt: Vec<f64> = q.iter().zip(&dir).map(|(a, d)| (a + t * d).max(0.0)).collect();
                let (xt, lt) = solve_at(&qt)?;
                let gt = per_draw(&xt);
                let slope = dot(&dir, &gt);
                Ok((qt, xt, lt, slope))
            };
            // exact line search on the convex phi(q + t dir) over [0, t_max]: Illinois regula
            // falsi on its slope dir . R(x*(q_t)), which rises from slope0 < 0
            let mut t_used = t_max;
            let mut step = at(t_max)?;
            if step.3 > 0.0 {
                // on -slope, which falls from -slope0 > 0 at t = 0 through 0
                let mut b = Bracket { lo: 0.0, hi: t_max, glo: -slope0, ghi: -step.3 };
                let flat = std::cell::Cell::new(false);
                illinois(
                    &mut b,
                    30,
                    |t| {
                        step = at(t)?;
                        t_used = t;
                        flat.set(step.3.abs() <= 1e-3 * slope0.abs());
                        Ok::<f64, Error>(-step.3)
                    },
                    |b| flat.get() || b.hi - b.lo <= 1e-12 * t_max,
                )?;
            }
            // the vertex weights follow the step
            match toward {
                None => {
                    for v in &mut active {
                        v.1 *= 1.0 - t_used;
                    }
                    match active.iter_mut().find(|v| v.0 == s) {
                        Some(v) => v.1 += t_used,
                        None => active.push((s, t_used)),
                    }
                }
                Some(k) => {
                    for v in &mut active {
                        v.1 *= 1.0 + t_used;
                    }
                    active[k].1 -= t_used;
                }
            }
            active.retain(|v| v.1 > 1e-15);
            let (qt, xt, lt, _) = step;
            // q from the active set keeps the two in step (no drift from the clamped update)
            q = vec![0.0; n];
            for (v, w) in &active {
                for (qi, vi) in q.iter_mut().zip(v) {
                    *qi += w * vi;
                }
            }
            let (xt, lt) = if qt.iter().zip(&q).all(|(a, b)| (a - b).abs() <= 1e-15) { (xt, lt) } else { solve_at(&q)? };
            x = xt;
            lambda = lt;
            g = per_draw(&x);
        }
        let (x, lambda, qb) = best;
        let certified = weighted(&qb);
        let mut a = self.finish(channels, &certified, iv, x.clone(), lambda, Some(total), iterations);
        // rows report each channel's mean over its draws
        for ((row, f), c) in a.rows.iter_mut().zip(curves).zip(channels) {
            let mean = if c.draws.is_empty() { f.clone() } else { Curve::Mean(c.draws.clone().into(), vec![1.0 / n as f64; n].into()) };
            row.response = mean.value(row.spend);
            row.marginal = mean.derivative(row.spend);
        }
        a.total_response = a.rows.iter().map(|r| r.response).sum();
        let gap = ((upper - lower) / upper.abs().max(1e-300)).max(0.0);
        a.certificate.method = "CVaR: away-step Frank-Wolfe on the draw weights over exact water-filling".into();
        a.certificate.upper_bound = upper.max(lower);
        a.certificate.duality_gap = gap;
        a.certificate.suboptimality = gap;
        a.cvar = Some(lower);
        Ok(a)
    }

    /// Rows and the certificate of split `x` at multiplier `lambda`.
    #[allow(clippy::too_many_arguments)]
    fn finish(&self, channels: &[ChannelBudget], curves: &[Curve], iv: &[(f64, f64, Bound, Bound)], x: Vec<f64>, lambda: f64, total: Option<f64>, nodes: usize) -> Allocation {
        // an infinite bound is never reached by a finite spend
        let near = |u: f64, v: f64| u == v || (v.is_finite() && (u - v).abs() <= 1e-12 * u.abs().max(v.abs()).max(1.0));
        let rows: Vec<AllocationRow> = channels
            .iter()
            .zip(curves)
            .zip(iv)
            .zip(&x)
            .map(|(((c, f), v), &xi)| AllocationRow {
                channel: c.name.clone(),
                spend: xi,
                response: f.value(xi),
                marginal: f.derivative(xi),
                bound: if v.2 == Bound::Locked {
                    Bound::Locked
                } else if near(xi, v.0) {
                    v.2
                } else if near(xi, v.1) {
                    v.3
                } else {
                    Bound::Interior
                },
            })
            .collect();
        let total_spend: f64 = x.iter().sum();
        let total_response: f64 = rows.iter().map(|r| r.response).sum();
        // KKT: interior marginals equal lambda; at a lower bound marginal <= lambda; at an
        // upper bound marginal >= lambda
        let scale = lambda.abs().max(f64::MIN_POSITIVE);
        let mut kkt: f64 = 0.0;
        for (r, v) in rows.iter().zip(iv) {
            if v.0 == v.1 {
                continue;
            }
            let m = r.marginal;
            let viol = if near(r.spend, v.0) {
                (m - lambda).max(0.0)
            } else if near(r.spend, v.1) {
                (lambda - m).max(0.0)
            } else {
                (m - lambda).abs()
            };
            if viol.is_finite() {
                kkt = kkt.max(viol / scale);
            }
        }
        if let Some(b) = total {
            if self.spend_all || lambda > 0.0 {
                kkt = kkt.max((total_spend - b).abs() / b.max(1.0));
            }
        }
        // dual value: sum_i max_{x in [a_i, b_i]} (f_i(x) - lambda x) + lambda B
        let dual = total.map_or(total_response, |b| {
            let d: f64 = curves
                .iter()
                .zip(iv)
                .map(|(c, v)| {
                    let p = Piece::new(c.clone(), v.0, v.1);
                    let xi = p.argmax(lambda).0;
                    p.env(xi) - lambda * xi
                })
                .sum();
            d + lambda * b
        });
        let gap = (dual - total_response).abs() / total_response.abs().max(1e-300);
        Allocation {
            rows,
            total_spend,
            total_response,
            certificate: Certificate {
                method: "water-filling".into(),
                multiplier: lambda,
                kkt_residual: kkt,
                duality_gap: gap,
                upper_bound: dual.max(total_response),
                suboptimality: ((dual - total_response) / total_response.abs().max(1e-300)).max(0.0),
                nodes,
            },
            response_draws: response_draws(channels, &x),
            cvar: None,
        }
    }
}

/// A branch-and-bound node: its envelope bound, each channel's interval, its split.
type Node = (f64, Vec<(f64, f64)>, Vec<f64>);

/// The budget can be spent within the bounds.
fn feasible(b: f64, least: f64, most: f64, spend_all: bool) -> Result<()> {
    if least > b * (1.0 + 1e-12) {
        return Err(Error::InvalidParameter {
            field: "budget".into(),
            value: Num(b).to_string(),
            reason: format!("the channels' least spend (lower bounds, locked channels, maximum change) sums to {least}, {} more than the budget", least - b),
        });
    }
    if spend_all && most < b * (1.0 - 1e-12) {
        return Err(Error::InvalidParameter {
            field: "budget".into(),
            value: Num(b).to_string(),
            reason: format!("the channels' most spend (upper bounds, locked channels, maximum change) sums to {most}, {} less than the budget (allow spending less than the budget, or raise the bounds)", b - most),
        });
    }
    Ok(())
}

/// The total response of split `x` under each draw (channels without draws use their curve);
/// empty when no channel has draws, or when they have different numbers of draws.
fn response_draws(channels: &[ChannelBudget], x: &[f64]) -> Vec<f64> {
    let n = channels.iter().map(|c| c.draws.len()).max().unwrap_or(0);
    if n == 0 || channels.iter().any(|c| !c.draws.is_empty() && c.draws.len() != n) {
        return Vec::new();
    }
    (0..n)
        .map(|d| channels.iter().zip(x).map(|(c, &xi)| c.draws.get(d).unwrap_or(&c.curve).value(xi)).sum())
        .collect()
}

/// The spend in `[a, b]` maximising `f(x) - m x` (exact: the candidates are the ends and the
/// falling-branch root).
fn best_at_price(f: &Curve, a: f64, b: f64, m: f64) -> f64 {
    let root = f.inverse_marginal(m).clamp(a, b);
    let score = |x: f64| if x.is_infinite() { f64::NEG_INFINITY } else { f.value(x) - m * x };
    [a, root, b].into_iter().filter(|x| x.is_finite() || *x == a).max_by(|&x, &y| score(x).total_cmp(&score(y))).unwrap_or(a)
}

/// `v` to 4 decimals, trailing zeros dropped (for messages).
fn short(v: f64) -> String {
    format!("{}", (v * 1e4).round() / 1e4)
}

fn rename(e: Error, channel: &str) -> Error {
    match e {
        Error::OutOfRange { field, value, min, max } => Error::OutOfRange { field: format!("{channel}.{field}"), value, min, max },
        Error::NonFinite { field, value } => Error::NonFinite { field: format!("{channel}.{field}"), value },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mm(alpha: f64, lam: f64) -> Saturation {
        Saturation::michaelis_menten(alpha, lam).unwrap()
    }

    /// CVaR at `level` of the totals (the worst `level` share, the last draw fractional).
    fn cvar_of(mut totals: Vec<f64>, level: f64) -> f64 {
        crate::stats::sort_f64(&mut totals);
        let k = level * totals.len() as f64;
        let mut left = k;
        let mut sum = 0.0;
        for t in totals {
            let w = left.min(1.0);
            if w <= 0.0 {
                break;
            }
            sum += w * t;
            left -= w;
        }
        sum / k
    }

    #[test]
    fn cvar_matches_a_golden_section_search_over_the_split() {
        // two channels, 40 joint draws; CVaR is concave in the split, so golden section on
        // x in [0, 100] finds its maximum to float precision
        let mut rng = 7u64;
        let mut next = || {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (rng >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut da = Vec::new();
        let mut db = Vec::new();
        for _ in 0..40 {
            da.push(mm(80.0 + 60.0 * next(), 30.0 + 20.0 * next()));
            // b is better on average but riskier
            db.push(mm(40.0 + 160.0 * next(), 40.0));
        }
        let ch = [ChannelBudget::new("a", mm(110.0, 40.0)).draws(da.clone()), ChannelBudget::new("b", mm(120.0, 40.0)).draws(db.clone())];
        for level in [1.0, 0.5, 0.2, 0.05] {
            let totals = |x: f64| -> Vec<f64> { (0..40).map(|d| da[d].value(x) + db[d].value(100.0 - x)).collect() };
            let f = |x: f64| cvar_of(totals(x), level);
            let (mut lo, mut hi) = (0.0f64, 100.0f64);
            let r = (5f64.sqrt() - 1.0) / 2.0;
            for _ in 0..200 {
                let (m1, m2) = (hi - r * (hi - lo), lo + r * (hi - lo));
                if f(m1) < f(m2) {
                    lo = m1;
                } else {
                    hi = m2;
                }
            }
            let want = f(0.5 * (lo + hi));
            let a = Allocate::budget(100.0).cvar(level).tolerance(1e-10).solve(&ch).unwrap();
            let got = a.cvar.unwrap();
            assert!((got - want).abs() <= 1e-8 * want, "level {level}: {got} vs golden {want} at {}", 0.5 * (lo + hi));
            assert!((cvar_of(a.response_draws.clone(), level) - got).abs() < 1e-9 * got);
            assert!(a.certificate.suboptimality <= 1e-10 && a.certificate.upper_bound >= got, "{:?}", a.certificate);
            assert!((a.total_spend - 100.0).abs() < 1e-9);
            if level == 1.0 {
                let e = Allocate::budget(100.0).expected(true).solve(&ch).unwrap();
                assert!((e.total_response - got).abs() < 1e-9 * got);
            }
        }
        // the risk-averse split moves spend away from the risky channel
        let mean = Allocate::budget(100.0).cvar(1.0).solve(&ch).unwrap();
        let averse = Allocate::budget(100.0).cvar(0.1).solve(&ch).unwrap();
        assert!(averse.rows[1].spend < mean.rows[1].spend, "{} vs {}", averse.rows[1].spend, mean.rows[1].spend);
    }

    #[test]
    fn cvar_settings_are_checked() {
        let ch = [ChannelBudget::new("a", mm(1.0, 1.0)).draws(vec![mm(1.0, 1.0), mm(2.0, 1.0)]), ChannelBudget::new("b", mm(4.0, 1.0))];
        for (level, code) in [(0.0, "out_of_range"), (1.5, "out_of_range"), (f64::NAN, "non_finite")] {
            let e = Allocate::budget(4.0).cvar(level).solve(&ch).unwrap_err();
            assert_eq!(e.kind().code(), code, "{e}");
            assert!(e.to_string().contains("cvar"), "{e}");
        }
        let e = Allocate::unbudgeted().scenario(Scenario::TargetRoas(1.0)).cvar(0.5).solve(&ch).unwrap_err();
        assert_eq!(e.kind().code(), "invalid_parameter");
        // no draws: the CVaR of a certain response is the response
        let plain = [ChannelBudget::new("a", mm(1.0, 1.0)), ChannelBudget::new("b", mm(4.0, 1.0))];
        let a = Allocate::budget(4.0).cvar(0.3).solve(&plain).unwrap();
        assert_eq!(a.cvar, Some(a.total_response));
    }

    #[test]
    fn water_filling_by_hand() {
        // f_i = alpha_i x / (lam_i + x): f' = alpha lam / (lam + x)^2 = lambda gives
        // x_i = sqrt(alpha_i lam_i / lambda) - lam_i; with equal lam = 1 and alpha 1 and 4,
        // x_1 + x_2 = 3 sqrt(1/lambda) - 2 = 4 -> lambda = 1/4, x = (1, 3)
        let ch = [ChannelBudget::new("a", mm(1.0, 1.0)), ChannelBudget::new("b", mm(4.0, 1.0))];
        let a = Allocate::budget(4.0).solve(&ch).unwrap();
        assert!((a.rows[0].spend - 1.0).abs() < 1e-12 && (a.rows[1].spend - 3.0).abs() < 1e-12, "{a:?}");
        assert!((a.certificate.multiplier - 0.25).abs() < 1e-12);
        assert!(a.certificate.kkt_residual < 1e-9 && a.certificate.duality_gap < 1e-9, "{:?}", a.certificate);
    }

    #[test]
    fn a_budget_past_every_representable_marginal_is_refused() {
        // at 1e300 the multiplier that would spend the budget is ~1e-600, past f64. Before,
        // ~9.5e151 was spent, the rest silently left (even with spend_all), and the certificate
        // reported multiplier 1 and a duality gap of 2e299.
        let ch = [ChannelBudget::new("a", mm(1.0, 1.0)), ChannelBudget::new("b", mm(4.0, 1.0))];
        for all in [true, false] {
            let e = Allocate::budget(1e300).spend_all(all).solve(&ch).unwrap_err();
            assert_eq!(e.kind().code(), "invalid_parameter");
            assert!(e.to_string().starts_with("invalid budget: \"1e300\" (more than the curves can take: past 9.48"), "{e}");
        }
        // the largest budgets that still have a multiplier are solved, exactly as by hand:
        // x_i = sqrt(alpha_i / lambda) - 1, 3 / sqrt(lambda) - 2 = B
        let a = Allocate::budget(1e150).solve(&ch).unwrap();
        let lambda = (3.0f64 / (1e150 + 2.0)).powi(2);
        assert!((a.rows[0].spend / (1.0 / lambda.sqrt() - 1.0) - 1.0).abs() < 1e-9, "{a:?}");
        assert!((a.certificate.multiplier / lambda - 1.0).abs() < 1e-9 && a.certificate.duality_gap < 1e-9, "{:?}", a.certificate);
    }

    #[test]
    fn an_unbounded_channel_is_interior_not_at_its_upper_bound() {
        let ch = [ChannelBudget::new("a", mm(1.0, 1.0)), ChannelBudget::new("b", mm(4.0, 1.0)).upper(2.0)];
        let a = Allocate::budget(4.0).solve(&ch).unwrap();
        assert_eq!(a.rows[0].bound, Bound::Interior);
        assert_eq!(a.rows[1].bound, Bound::Upper);
    }

    #[test]
    fn bounds_max_change_and_locks() {
        let ch = [
            ChannelBudget::new("a", mm(1.0, 1.0)).current(2.0),
            ChannelBudget::new("b", mm(4.0, 1.0)).current(2.0).upper(2.5),
            ChannelBudget::new("c", mm(9.0, 1.0)).current(1.0).locked(true),
        ];
        let a = Allocate::budget(5.0).max_change(MaxChange::Relative(0.5)).solve(&ch).unwrap();
        assert_eq!(a.rows[2].bound, Bound::Locked);
        assert_eq!(a.rows[2].spend, 1.0);
        assert_eq!(a.rows[1].bound, Bound::Upper);
        assert!((a.total_spend - 5.0).abs() < 1e-12);
        assert!(a.rows[0].spend >= 1.0 && a.rows[0].spend <= 3.0);
        // infeasible: the locked and lower spends exceed the budget, by how much
        let e = Allocate::budget(0.5).solve(&ch).unwrap_err();
        assert!(e.to_string().contains("0.5 more than the budget"), "{e}");
        let e = Allocate::budget(100.0).max_change(MaxChange::Absolute(1.0)).solve(&ch).unwrap_err();
        assert!(e.to_string().contains("less than the budget"), "{e}");
    }

    #[test]
    fn s_curves_reach_the_exhaustive_optimum() {
        // two S-curves and a concave one; compare with a fine grid search over two free spends
        let ch = [
            ChannelBudget::new("a", Saturation::hill(3.0, 4.0, 10.0).unwrap()),
            ChannelBudget::new("b", Saturation::hill(2.0, 6.0, 12.0).unwrap()),
            ChannelBudget::new("c", mm(3.0, 2.0)),
        ];
        let budget = 9.0;
        let a = Allocate::budget(budget).tolerance(1e-9).solve(&ch).unwrap();
        let f = |x: [f64; 3]| ch.iter().zip(x).map(|(c, v)| c.curve.value(v)).sum::<f64>();
        let mut best: f64 = 0.0;
        let n = 900;
        for i in 0..=n {
            for j in 0..=(n - i) {
                let (x, y) = (budget * i as f64 / n as f64, budget * j as f64 / n as f64);
                best = best.max(f([x, y, budget - x - y]));
            }
        }
        assert!(a.total_response >= best - 1e-9, "{} vs grid {best}", a.total_response);
        assert!(a.certificate.suboptimality <= 1e-9, "{:?}", a.certificate);
        assert!(a.certificate.upper_bound >= best);
    }

    #[test]
    fn scenarios() {
        let ch = [ChannelBudget::new("a", mm(1.0, 1.0)), ChannelBudget::new("b", mm(4.0, 1.0))];
        // marginal target 0.25: x = sqrt(alpha / 0.25) - 1 = (1, 3)
        let a = Allocate::unbudgeted().scenario(Scenario::TargetMarginalRoas(0.25)).solve(&ch).unwrap();
        assert!((a.rows[0].spend - 1.0).abs() < 1e-9 && (a.rows[1].spend - 3.0).abs() < 1e-9);
        // target ROAS: total response / spend reaches the target
        let a = Allocate::unbudgeted().scenario(Scenario::TargetRoas(0.6)).solve(&ch).unwrap();
        assert!((a.total_response / a.total_spend - 0.6).abs() < 1e-9, "{a:?}");
        // least spend for a response
        let a = Allocate::unbudgeted().scenario(Scenario::MinSpendForResponse(2.5)).solve(&ch).unwrap();
        assert!((a.total_response - 2.5).abs() < 1e-9, "{a:?}");
        let e = Allocate::unbudgeted().scenario(Scenario::MinSpendForResponse(6.0)).solve(&ch).unwrap_err();
        assert!(e.to_string().contains("unreachable"));
    }

    #[test]
    fn expected_response_over_draws() {
        // two channels, three draws each: the mean of Michaelis-Menten curves
        let a = [mm(1.0, 1.0), mm(2.0, 1.5), mm(1.5, 0.5)];
        let b = [mm(4.0, 1.0), mm(3.0, 2.0), mm(5.0, 1.0)];
        let ch = [ChannelBudget::new("a", a[0]).draws(a.to_vec()), ChannelBudget::new("b", b[0]).draws(b.to_vec())];
        let alloc = Allocate::budget(4.0).expected(true).solve(&ch).unwrap();
        let mean = |d: &[Saturation], x: f64| d.iter().map(|s| s.value(x)).sum::<f64>() / 3.0;
        let mut best: f64 = 0.0;
        for i in 0..=40_000 {
            let x = 4.0 * i as f64 / 40_000.0;
            best = best.max(mean(&a, x) + mean(&b, 4.0 - x));
        }
        assert!(alloc.total_response >= best - 1e-9 && alloc.total_response <= best + 1e-6, "{} vs {best}", alloc.total_response);
        assert!(alloc.certificate.kkt_residual < 1e-9, "{:?}", alloc.certificate);
        assert_eq!(alloc.response_draws.len(), 3);
        let avg = alloc.response_draws.iter().sum::<f64>() / 3.0;
        assert!((avg - alloc.total_response).abs() < 1e-12);
        // draws must pair up
        let bad = [ChannelBudget::new("a", a[0]).draws(a.to_vec()), ChannelBudget::new("b", b[0]).draws(b[..2].to_vec())];
        assert!(Allocate::budget(4.0).expected(true).solve(&bad).unwrap_err().to_string().contains("b.draws"));
        // and be of the curve's kind, whatever the objective
        let other = [ChannelBudget::new("a", a[0]).draws(vec![a[1], Saturation::logistic(1.0, 2.0).unwrap(), a[2]])];
        for expected in [true, false] {
            let e = Allocate::budget(4.0).expected(expected).solve(&other).unwrap_err();
            assert_eq!(e.to_string(), "invalid a.draws[1]: \"logistic\" (expected a draw of the curve's kind, michaelis_menten)");
        }
    }

    #[test]
    fn bad_input_is_named() {
        let ch = [ChannelBudget::new("a", Saturation::Logistic { lam: -1.0, beta: 1.0 })];
        assert!(Allocate::budget(1.0).solve(&ch).unwrap_err().to_string().contains("a.saturation.lam"));
        let ch = [ChannelBudget::new("a", mm(1.0, 1.0)).lower(3.0).upper(2.0)];
        assert!(Allocate::budget(1.0).solve(&ch).unwrap_err().to_string().contains("a.lower"));
        assert!(Allocate::budget(f64::NAN).solve(&ch).unwrap_err().to_string().contains("budget"));
        assert!(Allocate::budget(1.0).solve(&[]).is_err());
        let ch = [ChannelBudget::new("a", mm(1.0, 1.0)).locked(true)];
        assert!(Allocate::budget(1.0).solve(&ch).unwrap_err().to_string().contains("a.current"));
    }
}
