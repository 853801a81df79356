//! Budgets over several periods with carry-over: spend in one period keeps returning in the
//! next ones (adstock), spend before the first period still carries in, and each period may
//! weigh differently (seasonality).
//!
//! The response of channel `i` in period `t` is `p_t f_i(a_it)`, with `a_it = sum_l w_il
//! x_i,t-l` its adstocked spend (spend before the horizon from `pre`), or, when saturation comes
//! first, `p_t sum_l w_il f_i(x_i,t-l)`. The total counts the carry-over past the last period
//! too (`tail`, default on: spend in the last week still returns after it), each period past the
//! horizon weighted as the last one (`p_t = p_H` for `t > H`: the season is assumed to hold while
//! the carry-over runs out). With concave curves
//! the total is concave in the plan, so the optimum is global: projected gradient ascent
//! (Barzilai-Borwein steps with an Armijo safeguard) on the exact projection onto the budget constraints, stopped by the
//! **Frank-Wolfe gap**, `max_y grad F(x) . (y - x)` over the feasible plans, which bounds how
//! far below the optimum the plan can be; the certificate reports it.
//!
//! ```
//! use channelwise::optimize::budget::periods::{ChannelPlan, Horizon};
//! use channelwise::optimize::response::{Adstock, Saturation};
//! let tv = ChannelPlan::new("tv", Saturation::michaelis_menten(500.0, 200.0)?, Adstock::geometric(0.6, 6, false)?);
//! let search = ChannelPlan::new("search", Saturation::michaelis_menten(300.0, 80.0)?, Adstock::geometric(0.0, 1, false)?);
//! // four weeks, 400 a week; week 3 is a sale week (responses count 1.5x)
//! let plan = Horizon::per_period(vec![400.0; 4]).profile(vec![1.0, 1.0, 1.5, 1.0]).solve(&[tv, search])?;
//! assert!(plan.certificate.suboptimality < 1e-6);
//! // search (no carry-over) spends into the sale week; tv ahead of it, to carry into it
//! assert!(plan.spend[1][2] > plan.spend[1][1]);
//! assert!(plan.spend[0][1] > plan.spend[0][2]);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::optimize::response::{check_spend, Adstock, Saturation};
use crate::{Error, Result};

/// One channel over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelPlan {
    /// Channel name.
    pub name: String,
    /// Response per period to (adstocked) spend.
    pub curve: Saturation,
    /// Carry-over.
    pub adstock: Adstock,
    /// Saturation before adstock (default false: adstock first).
    pub saturation_first: bool,
    /// Spend in the periods before the horizon, oldest first.
    pub pre: Vec<f64>,
    /// Least spend per period.
    pub lower: f64,
    /// Most spend per period.
    pub upper: f64,
}

impl ChannelPlan {
    /// A channel with no bounds but `spend >= 0`, nothing spent before.
    pub fn new(name: impl Into<String>, curve: Saturation, adstock: Adstock) -> Self {
        ChannelPlan { name: name.into(), curve, adstock, saturation_first: false, pre: Vec::new(), lower: 0.0, upper: f64::INFINITY }
    }

    /// Spend before the horizon, oldest first.
    pub fn pre(mut self, pre: Vec<f64>) -> Self {
        self.pre = pre;
        self
    }

    /// Per-period bounds.
    pub fn bounds(mut self, lower: f64, upper: f64) -> Self {
        self.lower = lower;
        self.upper = upper;
        self
    }

    /// Saturation before adstock.
    pub fn saturation_first(mut self, yes: bool) -> Self {
        self.saturation_first = yes;
        self
    }
}

/// The longest horizon, in periods (ten years of days).
pub const MAX_PERIODS: usize = 3650;

/// The horizon and its budgets.
///
/// | Name | Default | Meaning |
/// |---|---|---|
/// | budgets | required (or a total) | spend per period, exactly ([`Horizon::per_period`]) |
/// | total | - | spend over the whole horizon, split freely ([`Horizon::total`]) |
/// | `profile` | all 1 | weight of each period's response (seasonality) |
/// | `tail` | `true` | count the carry-over past the last period, weighted as the last period |
/// | `tolerance` | 1e-9 | relative Frank-Wolfe gap at which to stop |
/// | `max_iter` | 100000 | most gradient steps |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Horizon {
    periods: usize,
    budgets: Option<Vec<f64>>,
    total: Option<f64>,
    profile: Option<Vec<f64>>,
    tail: bool,
    tolerance: f64,
    max_iter: usize,
}

/// The certificate of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanCertificate {
    /// `"projected gradient, Frank-Wolfe gap"`.
    pub method: String,
    /// The Frank-Wolfe gap: the optimum is at most this much above the plan's response.
    pub gap: f64,
    /// `gap / total response`.
    pub suboptimality: f64,
    /// Gradient steps taken.
    pub iterations: usize,
}

/// A solved plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Channel names, in input order.
    pub channels: Vec<String>,
    /// Spend per channel per period (`spend[channel][period]`).
    pub spend: Vec<Vec<f64>>,
    /// Response per channel per period, weighted by the profile, including the carry-over of
    /// spend before the horizon; with `tail`, one more entry per channel: everything after the
    /// last period.
    pub response: Vec<Vec<f64>>,
    /// Total response.
    pub total_response: f64,
    /// The certificate.
    pub certificate: PlanCertificate,
}

impl Horizon {
    /// Spend exactly `budgets[t]` in period `t`.
    pub fn per_period(budgets: Vec<f64>) -> Self {
        Horizon { periods: budgets.len(), budgets: Some(budgets), total: None, profile: None, tail: true, tolerance: 1e-9, max_iter: 100_000 }
    }

    /// Spend exactly `total` over `periods` periods, split freely.
    pub fn total(periods: usize, total: f64) -> Self {
        Horizon { periods, budgets: None, total: Some(total), profile: None, tail: true, tolerance: 1e-9, max_iter: 100_000 }
    }

    /// Weight of each period's response.
    pub fn profile(mut self, p: Vec<f64>) -> Self {
        self.profile = Some(p);
        self
    }

    /// Count the carry-over past the last period (default true).
    pub fn tail(mut self, yes: bool) -> Self {
        self.tail = yes;
        self
    }

    /// Relative Frank-Wolfe gap at which to stop (default 1e-9).
    pub fn tolerance(mut self, t: f64) -> Self {
        self.tolerance = t;
        self
    }

    /// Most gradient steps (default 100000).
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }

    /// Solves the plan.
    ///
    /// # Errors
    /// `out_of_range` for more than [`MAX_PERIODS`] periods; `invalid_parameter` for no channels
    /// or periods, an S-shaped curve (the multi-period
    /// objective is then not concave), or budgets the bounds cannot hold (naming the period and
    /// the shortfall); `length_mismatch` for a profile of the wrong length; `out_of_range` /
    /// `non_finite` for negative or NaN budgets, bounds, profile weights and pre-horizon spend,
    /// naming the field (`budgets[2]`, `tv.pre[0]`).
    pub fn solve(&self, channels: &[ChannelPlan]) -> Result<Plan> {
        let (n, h) = (channels.len(), self.periods);
        if n == 0 || h == 0 {
            return Err(Error::InvalidParameter { field: if n == 0 { "channels".into() } else { "periods".into() }, value: "0".into(), reason: "nothing to plan".into() });
        }
        // every period holds a budget, a weight and each channel's spend: 2^32 periods asked for
        // 34 GB and aborted the process (found by mutating the JS vectors)
        if h > MAX_PERIODS {
            return Err(Error::OutOfRange { field: "periods".into(), value: h as f64, min: 1.0, max: MAX_PERIODS as f64 });
        }
        let nonneg = |field: String, v: f64| -> Result<()> {
            if !v.is_finite() {
                return Err(Error::NonFinite { field, value: v });
            }
            if v < 0.0 {
                return Err(Error::OutOfRange { field, value: v, min: 0.0, max: f64::INFINITY });
            }
            Ok(())
        };
        if !(self.tolerance > 0.0 && self.tolerance.is_finite()) {
            return Err(Error::OutOfRange { field: "tolerance".into(), value: self.tolerance, min: 0.0, max: f64::INFINITY });
        }
        let profile = self.profile.clone().unwrap_or_else(|| vec![1.0; h]);
        if profile.len() != h {
            return Err(Error::LengthMismatch { field: "profile".into(), got: profile.len(), expected: h });
        }
        for (t, &p) in profile.iter().enumerate() {
            nonneg(format!("profile[{t}]"), p)?;
        }
        for c in channels {
            c.curve.validate().map_err(|e| prefix(e, &c.name))?;
            c.adstock.validate().map_err(|e| prefix(e, &c.name))?;
            check_spend(&format!("{}.pre", c.name), &c.pre)?;
            nonneg(format!("{}.lower", c.name), c.lower)?;
            if c.upper.is_nan() || c.upper < c.lower {
                return Err(Error::InvalidParameter { field: format!("{}.upper", c.name), value: c.upper.to_string(), reason: format!("below the lower bound {}", c.lower) });
            }
            if c.curve.is_s_shaped() {
                return Err(Error::InvalidParameter {
                    field: format!("{}.curve", c.name),
                    value: "an S-shaped Hill curve".into(),
                    reason: "a multi-period plan needs concave curves (the objective is then concave and the optimum global); plan per period instead".into(),
                });
            }
        }
        // the constraint groups: one per period, or one over everything
        let groups: Vec<(Vec<usize>, f64)> = match (&self.budgets, self.total) {
            (Some(b), None) => {
                for (t, &v) in b.iter().enumerate() {
                    nonneg(format!("budgets[{t}]"), v)?;
                }
                (0..h).map(|t| ((0..n).map(|i| i * h + t).collect(), b[t])).collect()
            }
            (None, Some(total)) => {
                nonneg("total".into(), total)?;
                vec![((0..n * h).collect(), total)]
            }
            _ => return Err(Error::InvalidParameter { field: "budgets".into(), value: "both or neither".into(), reason: "give per-period budgets or a total".into() }),
        };
        let lo: Vec<f64> = (0..n * h).map(|k| channels[k / h].lower).collect();
        let hi: Vec<f64> = (0..n * h).map(|k| channels[k / h].upper).collect();
        for (g, (idx, b)) in groups.iter().enumerate() {
            let least: f64 = idx.iter().map(|&k| lo[k]).sum();
            let most: f64 = idx.iter().map(|&k| hi[k]).sum();
            let what = if groups.len() > 1 { format!("budgets[{g}]") } else { "total".into() };
            if least > b * (1.0 + 1e-12) {
                return Err(Error::InvalidParameter { field: what, value: b.to_string(), reason: format!("the channels' lower bounds sum to {least}, {} more", least - b) });
            }
            if most < b * (1.0 - 1e-12) {
                return Err(Error::InvalidParameter { field: what, value: b.to_string(), reason: format!("the channels' upper bounds sum to {most}, {} less", b - most) });
            }
        }
        // the scale of a spend: the mean budget per entry (the gradient's floor below)
        let scale = groups.iter().map(|(_, b)| b).sum::<f64>() / (n * h) as f64;
        let model = Model::new(channels, &profile, h, self.tail, 1e-12 * scale.max(1.0));
        // start: each group's budget split evenly, projected
        let mut x = vec![0.0; n * h];
        for (idx, b) in &groups {
            let share = b / idx.len() as f64;
            for &k in idx {
                x[k] = share;
            }
        }
        project(&mut x, &groups, &lo, &hi);
        let (x, gap, iterations) = fista(&model, x, &groups, &lo, &hi, self.tolerance, self.max_iter);
        let (total, per) = model.response(&x);
        Ok(Plan {
            channels: channels.iter().map(|c| c.name.clone()).collect(),
            spend: (0..n).map(|i| x[i * h..(i + 1) * h].to_vec()).collect(),
            response: per,
            total_response: total,
            certificate: PlanCertificate {
                method: "projected gradient, Frank-Wolfe gap".into(),
                gap,
                suboptimality: gap / total.abs().max(f64::MIN_POSITIVE),
                iterations,
            },
        })
    }
}

fn prefix(e: Error, channel: &str) -> Error {
    match e {
        Error::OutOfRange { field, value, min, max } => Error::OutOfRange { field: format!("{channel}.{field}"), value, min, max },
        Error::NonFinite { field, value } => Error::NonFinite { field: format!("{channel}.{field}"), value },
        other => other,
    }
}

/// The objective: channels, weights and the periods counted (horizon plus tail).
struct Model<'a> {
    channels: &'a [ChannelPlan],
    weights: Vec<Vec<f64>>,
    /// Weight of each counted period: the profile, then its last value past the horizon.
    profile: Vec<f64>,
    h: usize,
    /// Periods counted per channel (the horizon, plus its carry-over when `tail`).
    counted: Vec<usize>,
    /// Least input at which a curve's slope is taken: a Hill curve with slope < 1 (or a power
    /// curve with b < 1) has an infinite marginal at 0, and at `1e-300` its slope (~1e30) made
    /// every Armijo step fail (the linear estimate dwarfs the real gain), stalling the ascent
    /// at a zero entry. At 1e-12 of the mean budget the slope stays large enough to pull the
    /// entry off zero and small enough for the line search to accept a real step.
    floor: f64,
}

impl<'a> Model<'a> {
    fn new(channels: &'a [ChannelPlan], profile: &[f64], h: usize, tail: bool, floor: f64) -> Self {
        let weights: Vec<Vec<f64>> = channels.iter().map(|c| c.adstock.weights()).collect();
        let counted: Vec<usize> = weights.iter().map(|w| if tail { h + w.len() - 1 } else { h }).collect();
        let longest = counted.iter().copied().max().unwrap_or(h);
        let last = profile.last().copied().unwrap_or(1.0);
        let profile = (0..longest).map(|t| if t < h { profile[t] } else { last }).collect();
        Model { channels, weights, profile, h, counted, floor }
    }

    /// Channel `i`'s input to the curve in each counted period (adstocked spend, or the spend
    /// itself when saturation comes first), with `pre` carried in.
    fn inputs(&self, i: usize, x: &[f64]) -> Vec<f64> {
        let c = &self.channels[i];
        let w = &self.weights[i];
        let xi = &x[i * self.h..(i + 1) * self.h];
        let p = c.pre.len();
        let spend_at = |j: usize| -> f64 {
            // j indexes pre ++ plan ++ zeros
            if j < p {
                c.pre[j]
            } else if j - p < self.h {
                xi[j - p]
            } else {
                0.0
            }
        };
        (0..self.counted[i])
            .map(|t| {
                if c.saturation_first {
                    return spend_at(t + p);
                }
                let mut s = 0.0;
                for (l, wl) in w.iter().enumerate() {
                    if l > t + p {
                        break;
                    }
                    s += wl * spend_at(t + p - l);
                }
                s
            })
            .collect()
    }

    /// Total response and each channel's per-period response (tail folded into one entry).
    fn response(&self, x: &[f64]) -> (f64, Vec<Vec<f64>>) {
        let mut total = 0.0;
        let mut per = Vec::with_capacity(self.channels.len());
        for (i, c) in self.channels.iter().enumerate() {
            let a = self.inputs(i, x);
            let mut r: Vec<f64> = if c.saturation_first {
                // p_t sum_l w_l f(x_{t-l}), pre included
                let w = &self.weights[i];
                let p = c.pre.len();
                let fx: Vec<f64> = c.pre.iter().copied().chain(x[i * self.h..(i + 1) * self.h].iter().copied()).map(|v| c.curve.value(v)).collect();
                (0..self.counted[i])
                    .map(|t| {
                        let mut s = 0.0;
                        for (l, wl) in w.iter().enumerate() {
                            if l > t + p {
                                break;
                            }
                            s += wl * fx.get(t + p - l).copied().unwrap_or(0.0);
                        }
                        self.profile[t] * s
                    })
                    .collect()
            } else {
                a.iter().enumerate().map(|(t, &v)| self.profile[t] * c.curve.value(v)).collect()
            };
            if r.len() > self.h {
                let tail: f64 = r[self.h..].iter().sum();
                r.truncate(self.h);
                r.push(tail);
            }
            total += r.iter().sum::<f64>();
            per.push(r);
        }
        (total, per)
    }

    fn value(&self, x: &[f64]) -> f64 {
        self.response(x).0
    }

    /// The gradient in each plan entry.
    fn gradient(&self, x: &[f64]) -> Vec<f64> {
        let mut g = vec![0.0; x.len()];
        for (i, c) in self.channels.iter().enumerate() {
            let w = &self.weights[i];
            let p = c.pre.len();
            // slope of the curve, kept finite at 0 (an infinite marginal at zero spend)
            let slope = |v: f64| c.curve.derivative(v.max(self.floor));
            if c.saturation_first {
                // d/dx_s = f'(x_s) sum_l w_l p_{s+l}
                for s in 0..self.h {
                    let mut q = 0.0;
                    for (l, wl) in w.iter().enumerate() {
                        if s + l < self.counted[i] {
                            q += wl * self.profile[s + l];
                        }
                    }
                    g[i * self.h + s] = slope(x[i * self.h + s]) * q;
                }
            } else {
                let a = self.inputs(i, x);
                let e: Vec<f64> = a.iter().enumerate().map(|(t, &v)| self.profile[t] * slope(v)).collect();
                // d/dx_s = sum_l w_l e_{s+l} (s within the horizon; s + l counted)
                for s in 0..self.h {
                    let mut q = 0.0;
                    for (l, wl) in w.iter().enumerate() {
                        if s + l < e.len() {
                            q += wl * e[s + l];
                        }
                    }
                    g[i * self.h + s] = q;
                }
                let _ = p;
            }
        }
        g
    }
}

/// Euclidean projection onto `{lo <= x <= hi, sum over each group = its budget}` (the groups
/// partition the entries): per group, `clamp(y - tau)` with `tau` found by bisection.
fn project(x: &mut [f64], groups: &[(Vec<usize>, f64)], lo: &[f64], hi: &[f64]) {
    for (idx, b) in groups {
        let sum = |tau: f64| -> f64 { idx.iter().map(|&k| (x[k] - tau).clamp(lo[k], hi[k])).sum() };
        let span = idx.iter().map(|&k| x[k].abs() + lo[k].abs() + if hi[k].is_finite() { hi[k].abs() } else { 0.0 }).fold(1.0, f64::max) + b.abs();
        let (mut a, mut c) = (-2.0 * span, 2.0 * span);
        for _ in 0..200 {
            let m = 0.5 * (a + c);
            if m <= a || m >= c {
                break;
            }
            if sum(m) > *b {
                a = m;
            } else {
                c = m;
            }
        }
        let tau = 0.5 * (a + c);
        for &k in idx {
            x[k] = (x[k] - tau).clamp(lo[k], hi[k]);
        }
        // rounding: put the float-level residual on an entry with room
        let rest = b - idx.iter().map(|&k| x[k]).sum::<f64>();
        if rest != 0.0 {
            if let Some(&k) = idx.iter().find(|&&k| x[k] + rest >= lo[k] && x[k] + rest <= hi[k]) {
                x[k] += rest;
            }
        }
    }
}

/// The Frank-Wolfe gap at `x`: per group, the best vertex puts every unit above the lower
/// bounds on the entries with the largest gradient.
fn fw_gap(g: &[f64], x: &[f64], groups: &[(Vec<usize>, f64)], lo: &[f64], hi: &[f64]) -> f64 {
    let mut gap = 0.0;
    let descending: Vec<f64> = g.iter().map(|v| -v).collect();
    for (idx, b) in groups {
        let mut order = idx.clone();
        crate::stats::sort_indices(&mut order, &descending);
        let mut rest = b - idx.iter().map(|&k| lo[k]).sum::<f64>();
        let mut best = idx.iter().map(|&k| g[k] * lo[k]).sum::<f64>();
        for k in order {
            if rest <= 0.0 {
                break;
            }
            let take = (hi[k] - lo[k]).min(rest);
            best += g[k] * take;
            rest -= take;
        }
        gap += best - idx.iter().map(|&k| g[k] * x[k]).sum::<f64>();
    }
    gap.max(0.0)
}

/// Projected gradient ascent, monotone: a Barzilai-Borwein step, halved until the projected
/// step raises the value enough (Armijo along the projection arc); stops at a relative
/// Frank-Wolfe gap of `tol`.
fn fista(model: &Model<'_>, mut x: Vec<f64>, groups: &[(Vec<usize>, f64)], lo: &[f64], hi: &[f64], tol: f64, max_iter: usize) -> (Vec<f64>, f64, usize) {
    let mut fx = model.value(&x);
    let mut g = model.gradient(&x);
    let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let xmax = x.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let mut step = if gmax > 0.0 { 0.1 * xmax / gmax } else { 1.0 };
    let mut gap = fw_gap(&g, &x, groups, lo, hi);
    let mut it = 0;
    while it < max_iter && gap > tol * fx.abs().max(f64::MIN_POSITIVE) {
        it += 1;
        let mut next;
        let mut fnext;
        loop {
            next = x.iter().zip(&g).map(|(a, b)| a + step * b).collect::<Vec<f64>>();
            project(&mut next, groups, lo, hi);
            fnext = model.value(&next);
            let lin: f64 = g.iter().zip(next.iter().zip(&x)).map(|(gi, (a, b))| gi * (a - b)).sum();
            if fnext >= fx + 1e-4 * lin || step < 1e-300 {
                break;
            }
            step *= 0.5;
        }
        if fnext <= fx && next == x {
            break; // no move left: rounding
        }
        let gn = model.gradient(&next);
        // Barzilai-Borwein: s's / s'y for the ascent (y = g_new - g_old is <= 0 along s)
        let (mut ss, mut sy) = (0.0, 0.0);
        for k in 0..x.len() {
            let sk = next[k] - x[k];
            ss += sk * sk;
            sy += sk * (gn[k] - g[k]);
        }
        step = if sy < 0.0 { (ss / -sy).min(1e12 * step.max(1e-300)) } else { step * 2.0 };
        x = next;
        fx = fnext;
        g = gn;
        gap = fw_gap(&g, &x, groups, lo, hi);
    }
    (x, gap, it)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mm(a: f64, l: f64) -> Saturation {
        Saturation::michaelis_menten(a, l).unwrap()
    }

    #[test]
    fn without_carry_over_it_is_the_one_period_allocation_each_period() {
        use crate::optimize::budget::{Allocate, ChannelBudget};
        let none = Adstock::geometric(0.0, 1, false).unwrap();
        let ch = [ChannelPlan::new("a", mm(10.0, 2.0), none), ChannelPlan::new("b", mm(30.0, 5.0), none)];
        let plan = Horizon::per_period(vec![4.0, 8.0]).solve(&ch).unwrap();
        for (t, b) in [4.0, 8.0].into_iter().enumerate() {
            let one = Allocate::budget(b).solve(&[ChannelBudget::new("a", mm(10.0, 2.0)), ChannelBudget::new("b", mm(30.0, 5.0))]).unwrap();
            assert!((plan.spend[0][t] - one.rows[0].spend).abs() < 1e-5, "{plan:?} vs {one:?}");
        }
        assert!(plan.certificate.suboptimality <= 1e-9, "{:?}", plan.certificate);
    }

    #[test]
    fn carry_over_pulls_spend_ahead_of_a_heavy_period_and_pre_spend_counts() {
        let ad = Adstock::geometric(0.7, 4, false).unwrap();
        let ch = [ChannelPlan::new("tv", mm(50.0, 10.0), ad), ChannelPlan::new("search", mm(20.0, 3.0), Adstock::geometric(0.0, 1, false).unwrap())];
        let flat = Horizon::per_period(vec![10.0; 4]).solve(&ch).unwrap();
        let peaked = Horizon::per_period(vec![10.0; 4]).profile(vec![1.0, 1.0, 3.0, 1.0]).solve(&ch).unwrap();
        assert!(peaked.spend[0][1] > flat.spend[0][1], "{peaked:?}");
        // spend before the horizon carries in: the same plan returns more
        let with_pre: Vec<ChannelPlan> = ch.iter().cloned().map(|c| c.pre(vec![20.0, 20.0])).collect();
        let more = Horizon::per_period(vec![10.0; 4]).solve(&with_pre).unwrap();
        assert!(more.total_response > flat.total_response);
        // a total split freely over time does at least as well as fixed per-period budgets
        let free = Horizon::total(4, 40.0).profile(vec![1.0, 1.0, 3.0, 1.0]).solve(&ch).unwrap();
        assert!(free.total_response >= peaked.total_response - 1e-9 * peaked.total_response);
        assert!((free.spend.iter().flatten().sum::<f64>() - 40.0).abs() < 1e-9);
        // the certificate bounds the distance to the optimum
        for p in [&flat, &peaked, &more, &free] {
            assert!(p.certificate.suboptimality <= 1e-9, "{:?}", p.certificate);
        }
    }

    #[test]
    fn plan_matches_brute_force_on_a_small_case() {
        // one adstocked channel and one without, two periods of 6: grid over tv's two spends
        let ch = [
            ChannelPlan::new("tv", mm(40.0, 6.0), Adstock::geometric(0.5, 2, false).unwrap()),
            ChannelPlan::new("s", mm(15.0, 2.0), Adstock::geometric(0.0, 1, false).unwrap()),
        ];
        let plan = Horizon::per_period(vec![6.0, 6.0]).solve(&ch).unwrap();
        let f = |a: f64, b: f64| {
            let tv = [a, 0.5 * a + b, 0.5 * b]; // two periods and the tail
            tv.iter().map(|&v| mm(40.0, 6.0).value(v)).sum::<f64>() + mm(15.0, 2.0).value(6.0 - a) + mm(15.0, 2.0).value(6.0 - b)
        };
        let mut best: f64 = 0.0;
        for i in 0..=600 {
            for j in 0..=600 {
                best = best.max(f(6.0 * i as f64 / 600.0, 6.0 * j as f64 / 600.0));
            }
        }
        assert!(plan.total_response >= best - 1e-9, "{} vs {best}", plan.total_response);
        assert!((plan.total_response - f(plan.spend[0][0], plan.spend[0][1])).abs() < 1e-9);
    }

    #[test]
    fn bad_input_is_named() {
        let ad = Adstock::geometric(0.5, 2, false).unwrap();
        let ch = [ChannelPlan::new("tv", mm(40.0, 6.0), ad).bounds(0.0, 3.0)];
        assert!(Horizon::per_period(vec![6.0]).solve(&ch).unwrap_err().to_string().contains("3 less"));
        assert!(Horizon::per_period(vec![-1.0]).solve(&ch).unwrap_err().to_string().contains("budgets[0]"));
        assert!(Horizon::per_period(vec![1.0]).profile(vec![1.0, 2.0]).solve(&ch).unwrap_err().to_string().contains("profile"));
        let s = [ChannelPlan::new("tv", Saturation::hill(2.0, 5.0, 1.0).unwrap(), ad)];
        assert!(Horizon::per_period(vec![1.0]).solve(&s).unwrap_err().to_string().contains("tv.curve"));
        let pre = [ChannelPlan::new("tv", mm(40.0, 6.0), ad).pre(vec![f64::NAN])];
        assert!(Horizon::per_period(vec![1.0]).solve(&pre).unwrap_err().to_string().contains("tv.pre[0]"));
        assert_eq!(Horizon::total(1 << 32, 10.0).solve(&ch).unwrap_err().to_string(), "periods must be in [1, 3650], got 4294967296");
        assert!(Horizon::total(MAX_PERIODS, 10.0).solve(&ch).is_ok());
    }
}
