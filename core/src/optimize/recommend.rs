//! Recommendations: what to change, by how much, what it should bring (with an interval), how
//! sure we are, and a sentence that cites the numbers. Every recommendation respects the
//! [`Guardrails`] it is given; a change the guardrails forbid is clipped to them and says so,
//! or dropped when clipping leaves nothing worth doing.
//!
//! - [`budget_moves`]: from an [`Allocation`]: each channel's
//!   spend change and the response it adds, with an interval and a confidence from the curve
//!   draws when the channels have them.
//! - [`bid_changes`]: from a fitted bid model ([`FittedBids`]): each context's new bid.
//! - [`targeting`]: segments whose conversion rate per click is worse than the rest by a
//!   significant margin (two-proportion z-test, Holm-corrected over the segments), with the cost
//!   that moving their spend at the rest's rate would save.
//! - [`creative_rotation`]: creatives whose click-through rate falls over time (Mann-Kendall
//!   trend test on daily CTR), with the clicks the fall costs at the first week's rate.
//! - [`insights`]: a digest over a metrics table (spend, conversions and value per channel and
//!   period): significant period-over-period changes in conversions per unit spent, trends in
//!   cost per conversion, an anomalous last period, and channels whose spend moves with another
//!   channel's conversions; ranked by the money at stake, each one sentence with its test.

use serde::{Deserialize, Serialize};

use super::bids::FittedBids;
use super::budget::{Allocation, ChannelBudget};
use crate::stats::{mann_kendall, normal_sf, pearson, theil_sen, Trend};
use crate::{Error, Result};

/// What a recommendation changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A channel's budget.
    Budget,
    /// A context's bid.
    Bid,
    /// Narrow targeting: exclude or bid down a segment.
    Targeting,
    /// Rotate a fatigued creative.
    Creative,
}

impl Kind {
    /// The name, as serde writes it (`"budget"`, `"bid"`, `"targeting"`, `"creative"`).
    ///
    /// ```
    /// use channelwise::optimize::recommend::Kind;
    /// assert_eq!(Kind::Targeting.name(), "targeting");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Kind::Budget => "budget",
            Kind::Bid => "bid",
            Kind::Targeting => "targeting",
            Kind::Creative => "creative",
        }
    }
}

/// A value with an interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    /// Expected value.
    pub value: f64,
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// One recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// What it changes.
    pub kind: Kind,
    /// The entity (channel, context, segment, creative).
    pub target: String,
    /// The value today.
    pub from: f64,
    /// The value recommended.
    pub to: f64,
    /// What the change should bring (response units for budgets; see each function).
    pub impact: Impact,
    /// How sure: for a budget move, the share of curve draws in which its response change
    /// beats what the same money earns at the allocation's common margin; for a test-based
    /// recommendation, one minus the test's p-value.
    pub confidence: f64,
    /// One sentence with the numbers behind it.
    pub reason: String,
    /// True when a guardrail clipped the change.
    pub clipped: bool,
}

/// Limits every recommendation respects.
///
/// | Name | Default | Meaning |
/// |---|---|---|
/// | `max_budget_change` | none | most relative budget move per channel (0.3 = 30%) |
/// | `max_bid_change` | none | most relative bid move |
/// | `min_confidence` | 0 | drop recommendations less sure than this |
/// | `min_change` | 0.01 | drop moves smaller than this share of today's value |
/// | `alpha` | 0.05 | significance level of the tests (targeting, creatives) |
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Guardrails {
    /// Most relative budget move per channel.
    pub max_budget_change: Option<f64>,
    /// Most relative bid move.
    pub max_bid_change: Option<f64>,
    /// Least confidence to recommend.
    pub min_confidence: f64,
    /// Least relative change worth recommending.
    pub min_change: f64,
    /// Significance level of the tests.
    pub alpha: f64,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails { max_budget_change: None, max_bid_change: None, min_confidence: 0.0, min_change: 0.01, alpha: 0.05 }
    }
}

impl Guardrails {
    fn validate(&self) -> Result<()> {
        for (f, v) in [("max_budget_change", self.max_budget_change), ("max_bid_change", self.max_bid_change)] {
            if let Some(v) = v {
                if !(v >= 0.0 && v.is_finite()) {
                    return Err(Error::OutOfRange { field: format!("guardrails.{f}"), value: v, min: 0.0, max: f64::INFINITY });
                }
            }
        }
        for (f, v) in [("min_confidence", self.min_confidence), ("min_change", self.min_change)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::OutOfRange { field: format!("guardrails.{f}"), value: v, min: 0.0, max: 1.0 });
            }
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(Error::OutOfRange { field: "guardrails.alpha".into(), value: self.alpha, min: 0.0, max: 1.0 });
        }
        Ok(())
    }

    /// `to` clipped to `from * (1 +/- limit)`.
    fn clip(limit: Option<f64>, from: f64, to: f64) -> (f64, bool) {
        match limit {
            Some(m) if from > 0.0 => {
                let c = to.clamp(from * (1.0 - m), from * (1.0 + m));
                (c, c != to)
            }
            _ => (to, false),
        }
    }

    fn keep(&self, r: &Recommendation) -> bool {
        let rel = if r.from != 0.0 { ((r.to - r.from) / r.from).abs() } else { f64::from(u8::from(r.to != r.from)) };
        r.confidence >= self.min_confidence && rel >= self.min_change
    }
}

fn quantiles(mut v: Vec<f64>) -> (f64, f64) {
    crate::stats::sort_f64(&mut v);
    let q = |p: f64| {
        let h = (v.len() - 1) as f64 * p;
        let (i, f) = (h.floor() as usize, h - h.floor());
        if i + 1 < v.len() {
            v[i] + f * (v[i + 1] - v[i])
        } else {
            v[i]
        }
    };
    (q(0.05), q(0.95))
}

/// Budget moves from an allocation of `channels` (each with its current spend): one per channel
/// whose spend changes, with the response it adds (the curve's, with a 90% interval over the
/// draws when the channel has them) and the confidence that the move pays: the share of draws
/// in which the response change beats the same money at the allocation's common margin. For a
/// risk-averse allocation ([`Allocation::cvar`]) the impact is the mean over the draws and the
/// reason cites the CVaR the split keeps.
///
/// # Errors
/// `invalid_parameter` when the allocation's channels differ from `channels` or a channel has
/// no current spend; the guardrails' range errors.
pub fn budget_moves(channels: &[ChannelBudget], allocation: &Allocation, guardrails: &Guardrails) -> Result<Vec<Recommendation>> {
    guardrails.validate()?;
    if channels.len() != allocation.rows.len() || channels.iter().zip(&allocation.rows).any(|(c, r)| c.name != r.channel) {
        return Err(Error::InvalidParameter { field: "allocation".into(), value: format!("{} rows", allocation.rows.len()), reason: "its channels differ from the channels given".into() });
    }
    let mut out = Vec::new();
    for (c, row) in channels.iter().zip(&allocation.rows) {
        let from = c.current.ok_or_else(|| Error::InvalidParameter { field: format!("{}.current", c.name), value: "none".into(), reason: "a budget move needs today's spend".into() })?;
        let (to, clipped) = Guardrails::clip(guardrails.max_budget_change, from, row.spend);
        let gain = |f: &super::response::Saturation| f.value(to) - f.value(from);
        // a risk-averse (CVaR) split is judged over the draws: its rows are means over them
        let risk = allocation.cvar.filter(|_| !c.draws.is_empty());
        let value = match risk {
            Some(_) => c.draws.iter().map(gain).sum::<f64>() / c.draws.len() as f64,
            None => gain(&c.curve),
        };
        // a move helps when its response change beats what the same money earns elsewhere at
        // the allocation's common margin (lambda per unit)
        let lambda = allocation.certificate.multiplier;
        let worth = |g: f64| g - lambda * (to - from) > 0.0;
        let (impact, confidence) = if c.draws.is_empty() {
            (Impact { value, lo: value, hi: value }, f64::from(u8::from(worth(value))))
        } else {
            let g: Vec<f64> = c.draws.iter().map(gain).collect();
            let helps = g.iter().filter(|&&v| worth(v)).count() as f64 / g.len() as f64;
            let (lo, hi) = quantiles(g);
            (Impact { value, lo, hi }, helps)
        };
        let verb = if to > from { "raise" } else { "cut" };
        let why = match risk {
            Some(cvar) => format!("the risk-averse split, whose worst draws still return {cvar:.2} on average (CVaR)"),
            None => format!("the next unit there returns {:.4} against {lambda:.4} at the allocation's common margin", c.curve.derivative(from)),
        };
        let reason = format!(
            "{verb} {} from {from:.2} to {to:.2} a period ({:+.1}%): {why}{}; response {value:+.2} [{:.2}, {:.2}] for {:+.2} spend",
            c.name,
            100.0 * (to / from.max(f64::MIN_POSITIVE) - 1.0),
            if clipped { ", held to the guardrail's maximum change" } else { "" },
            impact.lo,
            impact.hi,
            to - from
        );
        let r = Recommendation { kind: Kind::Budget, target: c.name.clone(), from, to, impact, confidence, reason, clipped };
        if guardrails.keep(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Bid changes for `contexts` (each with its current bid) from a fitted bid model; the impact
/// is the change in expected value per click at the new bid's probability (the model's), the
/// confidence 1 (the bid follows from the model). The model's own floor, cap and move limit
/// apply first, then the guardrails'.
///
/// # Errors
/// The model's errors for a bad context; the guardrails' range errors.
pub fn bid_changes(model: &FittedBids, contexts: &[(Vec<String>, f64)], guardrails: &Guardrails) -> Result<Vec<Recommendation>> {
    guardrails.validate()?;
    let mut out = Vec::new();
    for (ctx, current) in contexts {
        let levels: Vec<&str> = ctx.iter().map(String::as_str).collect();
        let b = model.bid(&levels, Some(*current))?;
        let (to, clipped) = Guardrails::clip(guardrails.max_bid_change, *current, b.bid);
        let value = b.probability * b.value_per_conversion - to; // margin per click at the new bid
        let reason = format!("{}{}", b.explanation, if clipped { format!("; held to {to:.4} by the guardrail's maximum bid change") } else { String::new() });
        let r = Recommendation {
            kind: Kind::Bid,
            target: ctx.join(" / "),
            from: *current,
            to,
            impact: Impact { value, lo: value, hi: value },
            confidence: 1.0,
            reason,
            clipped,
        };
        if guardrails.keep(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// One segment's performance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Segment name (an audience, a placement, a geo).
    pub name: String,
    /// Clicks.
    pub clicks: f64,
    /// Conversions.
    pub conversions: f64,
    /// Cost.
    pub cost: f64,
}

/// Segments whose conversion rate per click is below the rest's by a significant margin
/// (two-sided pooled two-proportion z-test against all other segments, Holm-corrected at
/// `alpha`): recommend excluding them (`to = 0` cost). The impact is the cost saved per
/// conversion lost: the segment's CPA minus the rest's (money per conversion), and the
/// confidence one minus the corrected p-value.
///
/// # Errors
/// `invalid_parameter` for fewer than two segments or conversions above clicks; `out_of_range`
/// / `non_finite` for negative or NaN counts (`segments[2].cost`).
pub fn targeting(segments: &[Segment], guardrails: &Guardrails) -> Result<Vec<Recommendation>> {
    guardrails.validate()?;
    if segments.len() < 2 {
        return Err(Error::InvalidParameter { field: "segments".into(), value: segments.len().to_string(), reason: "need at least two segments to compare".into() });
    }
    for (i, s) in segments.iter().enumerate() {
        for (f, v) in [("clicks", s.clicks), ("conversions", s.conversions), ("cost", s.cost)] {
            if !v.is_finite() {
                return Err(Error::NonFinite { field: format!("segments[{i}].{f}"), value: v });
            }
            if v < 0.0 {
                return Err(Error::OutOfRange { field: format!("segments[{i}].{f}"), value: v, min: 0.0, max: f64::INFINITY });
            }
        }
        if s.conversions > s.clicks {
            return Err(Error::InvalidParameter { field: format!("segments[{i}].conversions"), value: s.conversions.to_string(), reason: format!("more than its {} clicks", s.clicks) });
        }
    }
    let (tc, tk, tcost) = segments.iter().fold((0.0, 0.0, 0.0), |(a, b, c), s| (a + s.clicks, b + s.conversions, c + s.cost));
    // z-test of each segment against the rest
    let tests: Vec<(usize, f64, f64)> = segments
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (n1, k1) = (s.clicks, s.conversions);
            let (n2, k2) = (tc - n1, tk - k1);
            if n1 == 0.0 || n2 == 0.0 {
                return None;
            }
            let p = (k1 + k2) / (n1 + n2);
            let se = (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
            if se == 0.0 {
                return None;
            }
            let z = (k1 / n1 - k2 / n2) / se;
            Some((i, z, 2.0 * normal_sf(z.abs())))
        })
        .collect();
    // Holm: sort p ascending, p_(j) * (m - j), running max
    let m = tests.len();
    let mut order: Vec<usize> = (0..m).collect();
    crate::stats::sort_indices(&mut order, &tests.iter().map(|t| t.2).collect::<Vec<_>>());
    let mut adjusted = vec![1.0; m];
    let mut running: f64 = 0.0;
    for (rank, &j) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * tests[j].2).min(1.0));
        adjusted[j] = running;
    }
    let mut out = Vec::new();
    for (j, &(i, z, p)) in tests.iter().enumerate() {
        let s = &segments[i];
        if z >= 0.0 || adjusted[j] > guardrails.alpha {
            continue;
        }
        let rest_cpa = (tcost - s.cost) / (tk - s.conversions).max(f64::MIN_POSITIVE);
        let cpa = if s.conversions > 0.0 { s.cost / s.conversions } else { f64::INFINITY };
        let value = if cpa.is_finite() { cpa - rest_cpa } else { s.cost };
        let reason = format!(
            "exclude {}: {:.2}% of its {:.0} clicks convert against {:.2}% elsewhere (two-proportion z = {z:.2}, p = {p:.2e}, Holm-adjusted {:.2e} over {m} segments); its cost per conversion is {} against {rest_cpa:.2}",
            s.name,
            100.0 * s.conversions / s.clicks,
            s.clicks,
            100.0 * (tk - s.conversions) / (tc - s.clicks),
            adjusted[j],
            if cpa.is_finite() { format!("{cpa:.2}") } else { "unbounded (no conversions)".into() }
        );
        let r = Recommendation { kind: Kind::Targeting, target: s.name.clone(), from: s.cost, to: 0.0, impact: Impact { value, lo: value, hi: value }, confidence: 1.0 - adjusted[j], reason, clipped: false };
        if guardrails.keep(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Creatives whose daily click-through rate falls (Mann-Kendall at `alpha`): recommend
/// rotating them. `daily` holds, per creative, `(impressions, clicks)` per day. The impact is
/// the clicks lost over the window against the first week's rate; the confidence one minus the
/// test's p-value.
///
/// # Errors
/// `not_enough_data` for a creative with fewer than 3 days; `invalid_parameter` for clicks
/// above impressions; `out_of_range` / `non_finite` for bad counts (`creatives[1].daily[4]`).
pub fn creative_rotation(creatives: &[(String, Vec<(f64, f64)>)], guardrails: &Guardrails) -> Result<Vec<Recommendation>> {
    guardrails.validate()?;
    let mut out = Vec::new();
    for (ci, (name, days)) in creatives.iter().enumerate() {
        for (d, &(imp, clk)) in days.iter().enumerate() {
            for v in [imp, clk] {
                if !v.is_finite() {
                    return Err(Error::NonFinite { field: format!("creatives[{ci}].daily[{d}]"), value: v });
                }
                if v < 0.0 {
                    return Err(Error::OutOfRange { field: format!("creatives[{ci}].daily[{d}]"), value: v, min: 0.0, max: f64::INFINITY });
                }
            }
            if clk > imp {
                return Err(Error::InvalidParameter { field: format!("creatives[{ci}].daily[{d}]"), value: format!("{clk} clicks"), reason: format!("more than its {imp} impressions") });
            }
        }
        let ctr: Vec<f64> = days.iter().filter(|(i, _)| *i > 0.0).map(|(i, c)| c / i).collect();
        if ctr.len() < 3 {
            return Err(Error::NotEnoughData { what: format!("a CTR trend for creative {name:?} (days with impressions)"), required: 3, got: ctr.len() });
        }
        let mk = mann_kendall(&ctr, guardrails.alpha)?;
        if mk.trend != Trend::Decreasing {
            continue;
        }
        let week = days.iter().take(7).fold((0.0, 0.0), |(a, b), (i, c)| (a + i, b + c));
        let first = if week.0 > 0.0 { week.1 / week.0 } else { 0.0 };
        let lost: f64 = days.iter().map(|(i, c)| first * i - c).sum();
        let reason = format!(
            "rotate {name}: its click-through rate fell from {:.3}% to {:.3}% over {} days (Mann-Kendall tau = {:.2}, p = {:.2e}); {lost:.0} clicks below its first week's rate",
            100.0 * ctr[0],
            100.0 * ctr[ctr.len() - 1],
            ctr.len(),
            mk.tau,
            mk.p
        );
        let r = Recommendation { kind: Kind::Creative, target: name.clone(), from: 1.0, to: 0.0, impact: Impact { value: lost, lo: lost, hi: lost }, confidence: 1.0 - mk.p, reason, clipped: false };
        if guardrails.keep(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// One channel's metrics per period (oldest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelMetrics {
    /// Channel name.
    pub channel: String,
    /// Spend per period.
    pub spend: Vec<f64>,
    /// Conversions per period.
    pub conversions: Vec<f64>,
    /// Conversion value per period.
    pub value: Vec<f64>,
}

/// What an insight found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsightKind {
    /// The last period's conversions per unit spent differ from the one before.
    Change,
    /// Cost per conversion trends over the periods.
    Trend,
    /// The last period's value is far from the channel's usual.
    Anomaly,
    /// A channel's spend moves with another channel's conversions.
    Correlation,
}

impl InsightKind {
    /// The name, as serde writes it (`"change"`, `"trend"`, `"anomaly"`, `"correlation"`).
    pub fn name(self) -> &'static str {
        match self {
            InsightKind::Change => "change",
            InsightKind::Trend => "trend",
            InsightKind::Anomaly => "anomaly",
            InsightKind::Correlation => "correlation",
        }
    }
}

/// One line of the digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    /// What was found.
    pub kind: InsightKind,
    /// The channels involved.
    pub channels: Vec<String>,
    /// Money at stake (value units), the ranking key.
    pub money: f64,
    /// The test's p-value (the robust z-score's normal tail for an anomaly).
    pub p_value: f64,
    /// One sentence with the numbers and the test.
    pub sentence: String,
}

/// The insights digest over `metrics` at significance `alpha`, ranked by money at stake.
///
/// - **Change:** conversions per unit spent, last period against the one before, as Poisson
///   rates (normal approximation, two-sided); money = the rate change x the last period's spend
///   x value per conversion.
/// - **Trend:** Mann-Kendall on cost per conversion over the periods (periods without
///   conversions left out); money = the Theil-Sen change over the window x mean conversions.
/// - **Anomaly:** the last period's value against the earlier ones by a robust z-score
///   (median, 1.4826 MAD) beyond 3.5; money = its distance from the median.
/// - **Correlation:** Pearson between one channel's spend and another's conversions over the
///   periods, Holm-corrected over the pairs; money = the regression slope x mean spend x value
///   per conversion of the second channel.
///
/// # Errors
/// `invalid_parameter` for no channels or channels with different numbers of periods;
/// `not_enough_data` for fewer than 4 periods; `out_of_range` / `non_finite` for bad numbers
/// (`metrics[1].spend[3]`) or `alpha` outside (0, 1).
pub fn insights(metrics: &[ChannelMetrics], alpha: f64) -> Result<Vec<Insight>> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::OutOfRange { field: "alpha".into(), value: alpha, min: 0.0, max: 1.0 });
    }
    let Some(first) = metrics.first() else {
        return Err(Error::InvalidParameter { field: "metrics".into(), value: "[]".into(), reason: "no channels".into() });
    };
    let n = first.spend.len();
    if n < 4 {
        return Err(Error::NotEnoughData { what: "an insights digest (periods)".into(), required: 4, got: n });
    }
    for (i, m) in metrics.iter().enumerate() {
        for (f, v) in [("spend", &m.spend), ("conversions", &m.conversions), ("value", &m.value)] {
            if v.len() != n {
                return Err(Error::LengthMismatch { field: format!("metrics[{i}].{f}"), got: v.len(), expected: n });
            }
            for (t, &x) in v.iter().enumerate() {
                if !x.is_finite() {
                    return Err(Error::NonFinite { field: format!("metrics[{i}].{f}[{t}]"), value: x });
                }
                if x < 0.0 {
                    return Err(Error::OutOfRange { field: format!("metrics[{i}].{f}[{t}]"), value: x, min: 0.0, max: f64::INFINITY });
                }
            }
        }
    }
    let mut out = Vec::new();
    let vpc = |m: &ChannelMetrics| {
        let c: f64 = m.conversions.iter().sum();
        if c > 0.0 {
            m.value.iter().sum::<f64>() / c
        } else {
            0.0
        }
    };
    for m in metrics {
        let (s1, k1, s0, k0) = (m.spend[n - 1], m.conversions[n - 1], m.spend[n - 2], m.conversions[n - 2]);
        // change in conversions per unit spent
        if s1 > 0.0 && s0 > 0.0 && k1 + k0 > 0.0 {
            let (r1, r0) = (k1 / s1, k0 / s0);
            let se = (k1 / (s1 * s1) + k0 / (s0 * s0)).sqrt();
            if se > 0.0 {
                let z = (r1 - r0) / se;
                let p = 2.0 * normal_sf(z.abs());
                if p < alpha {
                    let money = (r1 - r0).abs() * s1 * vpc(m);
                    out.push(Insight {
                        kind: InsightKind::Change,
                        channels: vec![m.channel.clone()],
                        money,
                        p_value: p,
                        sentence: format!(
                            "{}: conversions per 1000 spent {} from {:.2} to {:.2} in the last period (Poisson z = {z:.2}, p = {p:.2e}); {money:.0} in value at this period's spend",
                            m.channel,
                            if r1 > r0 { "rose" } else { "fell" },
                            1e3 * r0,
                            1e3 * r1
                        ),
                    });
                }
            }
        }
        // trend in cost per conversion
        let (ts, cpa): (Vec<f64>, Vec<f64>) = (0..n).filter(|&t| m.conversions[t] > 0.0).map(|t| (t as f64, m.spend[t] / m.conversions[t])).unzip();
        if cpa.len() >= 4 && cpa.iter().any(|&v| v != cpa[0]) {
            let mk = mann_kendall(&cpa, alpha)?;
            if mk.h {
                let ts_fit = theil_sen(&ts, &cpa, alpha)?;
                let span = ts[ts.len() - 1] - ts[0];
                let mean_conv = m.conversions.iter().sum::<f64>() / n as f64;
                let money = (ts_fit.slope * span).abs() * mean_conv;
                out.push(Insight {
                    kind: InsightKind::Trend,
                    channels: vec![m.channel.clone()],
                    money,
                    p_value: mk.p,
                    sentence: format!(
                        "{}: cost per conversion {} by {:.2} a period over {} periods (Mann-Kendall p = {:.2e}, Theil-Sen slope {:.3} [{:.3}, {:.3}]); {money:.0} a period at the average volume",
                        m.channel,
                        if ts_fit.slope > 0.0 { "rises" } else { "falls" },
                        ts_fit.slope.abs(),
                        cpa.len(),
                        mk.p,
                        ts_fit.slope,
                        ts_fit.low_slope,
                        ts_fit.high_slope
                    ),
                });
            }
        }
        // anomalous last period (robust z of value)
        let mut earlier: Vec<f64> = m.value[..n - 1].to_vec();
        crate::stats::sort_f64(&mut earlier);
        let med = median(&earlier);
        let mut dev: Vec<f64> = earlier.iter().map(|v| (v - med).abs()).collect();
        crate::stats::sort_f64(&mut dev);
        let mad = 1.4826 * median(&dev);
        if mad > 0.0 {
            let z = (m.value[n - 1] - med) / mad;
            if z.abs() > 3.5 {
                let money = (m.value[n - 1] - med).abs();
                out.push(Insight {
                    kind: InsightKind::Anomaly,
                    channels: vec![m.channel.clone()],
                    money,
                    p_value: 2.0 * normal_sf(z.abs()),
                    sentence: format!(
                        "{}: the last period's value {:.0} is {} its usual {med:.0} (robust z = {z:.1}, median and MAD of the {} periods before)",
                        m.channel,
                        m.value[n - 1],
                        if z > 0.0 { "far above" } else { "far below" },
                        n - 1
                    ),
                });
            }
        }
    }
    // cross-channel: spend of a against conversions of b, Holm over the pairs
    let mut pairs = Vec::new();
    for a in metrics {
        for b in metrics {
            if a.channel == b.channel {
                continue;
            }
            if let Ok(c) = pearson(&a.spend, &b.conversions) {
                pairs.push((a, b, c));
            }
        }
    }
    let m = pairs.len();
    let mut order: Vec<usize> = (0..m).collect();
    crate::stats::sort_indices(&mut order, &pairs.iter().map(|p| p.2.p_value).collect::<Vec<_>>());
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        let (a, b, c) = &pairs[i];
        running = running.max(((m - rank) as f64 * c.p_value).min(1.0));
        if running >= alpha {
            break;
        }
        let mean_s = a.spend.iter().sum::<f64>() / n as f64;
        let sd = |v: &[f64]| {
            let mu = v.iter().sum::<f64>() / v.len() as f64;
            (v.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
        };
        let slope = c.statistic * sd(&b.conversions) / sd(&a.spend);
        let money = (slope * mean_s * vpc(b)).abs();
        out.push(Insight {
            kind: InsightKind::Correlation,
            channels: vec![a.channel.clone(), b.channel.clone()],
            money,
            p_value: running,
            sentence: format!(
                "{} spend moves with {} conversions (Pearson r = {:.2}, Holm-adjusted p = {running:.2e} over {m} pairs): a halo worth up to {money:.0} a period if causal; test it before acting",
                a.channel, b.channel, c.statistic
            ),
        });
    }
    crate::stats::sort_by_f64_key(&mut out, |x| -x.money); // descending
    Ok(out)
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn kind_names_are_serde_names() {
        for k in [Kind::Budget, Kind::Bid, Kind::Targeting, Kind::Creative] {
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::json!(k.name())));
        }
        for k in [InsightKind::Change, InsightKind::Trend, InsightKind::Anomaly, InsightKind::Correlation] {
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::json!(k.name())));
        }
    }

    use super::*;
    use crate::optimize::budget::{Allocate, ChannelBudget};
    use crate::optimize::response::Saturation;

    #[test]
    fn budget_moves_follow_the_allocation_within_the_guardrails() {
        let mm = |a: f64, l: f64| Saturation::michaelis_menten(a, l).unwrap();
        let ch = [
            ChannelBudget::new("a", mm(10.0, 1.0)).current(4.0).draws(vec![mm(9.0, 1.0), mm(11.0, 1.2), mm(10.5, 0.9)]),
            ChannelBudget::new("b", mm(40.0, 1.0)).current(4.0).draws(vec![mm(38.0, 1.1), mm(42.0, 0.9), mm(40.0, 1.0)]),
        ];
        let plan = Allocate::budget(8.0).solve(&ch).unwrap();
        let g = Guardrails { max_budget_change: Some(0.25), ..Default::default() };
        let recs = budget_moves(&ch, &plan, &g).unwrap();
        assert_eq!(recs.len(), 2);
        for r in &recs {
            assert!(r.to >= r.from * 0.75 - 1e-12 && r.to <= r.from * 1.25 + 1e-12, "{r:?}");
            assert!(r.clipped);
            assert!(r.reason.contains("guardrail"));
            assert!(r.impact.lo <= r.impact.hi);
        }
        let b = recs.iter().find(|r| r.target == "b").unwrap();
        assert!(b.to > b.from && b.impact.value > 0.0 && b.confidence == 1.0);
    }

    #[test]
    fn targeting_flags_only_significantly_worse_segments() {
        let seg = |n: &str, c: f64, k: f64, cost: f64| Segment { name: n.into(), clicks: c, conversions: k, cost };
        let s = [seg("a", 5000.0, 250.0, 5000.0), seg("b", 5000.0, 240.0, 5000.0), seg("bad", 4000.0, 80.0, 4000.0), seg("thin", 50.0, 1.0, 50.0)];
        let recs = targeting(&s, &Guardrails::default()).unwrap();
        assert_eq!(recs.len(), 1, "{recs:?}");
        assert_eq!(recs[0].target, "bad");
        assert!(recs[0].confidence > 0.99 && recs[0].reason.contains("Holm"));
        assert!(recs[0].impact.value > 0.0);
    }

    #[test]
    fn fatigued_creatives_are_rotated() {
        let falling: Vec<(f64, f64)> = (0..21).map(|d| (10_000.0, 300.0 - 8.0 * d as f64)).collect();
        let steady: Vec<(f64, f64)> = (0..21).map(|d| (10_000.0, 250.0 + if d % 2 == 0 { 5.0 } else { -5.0 })).collect();
        let recs = creative_rotation(&[("old".into(), falling), ("fresh".into(), steady)], &Guardrails::default()).unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].target, "old");
        assert!(recs[0].impact.value > 0.0 && recs[0].reason.contains("Mann-Kendall"));
        let e = creative_rotation(&[("x".into(), vec![(10.0, 20.0)])], &Guardrails::default()).unwrap_err();
        assert!(e.to_string().contains("creatives[0].daily[0]"));
    }

    #[test]
    fn the_digest_finds_what_was_planted_and_ranks_by_money() {
        let n = 12;
        let wobble = |t: usize| 1.0 + 0.02 * ((t * 7 % 5) as f64 - 2.0);
        // search: steady, then a conversion-rate drop in the last period
        let search = ChannelMetrics {
            channel: "search".into(),
            spend: (0..n).map(|t| 1000.0 * wobble(t)).collect(),
            conversions: (0..n).map(|t| if t == n - 1 { 25.0 } else { 50.0 * wobble(t) }).collect(),
            value: (0..n).map(|t| if t == n - 1 { 1250.0 } else { 2500.0 * wobble(t) }).collect(),
        };
        // social: cost per conversion creeping up every period
        let social = ChannelMetrics {
            channel: "social".into(),
            spend: vec![800.0; n],
            conversions: (0..n).map(|t| 40.0 - 1.5 * t as f64).collect(),
            value: (0..n).map(|t| 30.0 * (40.0 - 1.5 * t as f64)).collect(),
        };
        let found = insights(&[search, social], 0.05).unwrap();
        assert!(found.iter().any(|i| i.kind == InsightKind::Change && i.channels == ["search"]), "{found:#?}");
        assert!(found.iter().any(|i| i.kind == InsightKind::Anomaly && i.channels == ["search"]));
        assert!(found.iter().any(|i| i.kind == InsightKind::Trend && i.channels == ["social"] && i.sentence.contains("rises")));
        for w in found.windows(2) {
            assert!(w[0].money >= w[1].money);
        }
        let e = insights(&[ChannelMetrics { channel: "x".into(), spend: vec![1.0; 5], conversions: vec![1.0; 4], value: vec![1.0; 5] }], 0.05).unwrap_err();
        assert!(e.to_string().contains("metrics[0].conversions"));
    }

    #[test]
    fn bid_changes_respect_the_guardrail() {
        use crate::optimize::bids::{BidModel, Cell, Target};
        let cells = [Cell::new(&["mobile"], 4000.0, 60.0, 3000.0), Cell::new(&["desktop"], 2000.0, 60.0, 3000.0)];
        let m = BidModel::new(&["device"], Target::Roas(2.0)).fit(&cells).unwrap();
        let g = Guardrails { max_bid_change: Some(0.1), ..Default::default() };
        let recs = bid_changes(&m, &[(vec!["desktop".into()], 0.2), (vec!["mobile".into()], 0.2)], &g).unwrap();
        for r in &recs {
            assert!(r.to <= 0.22 + 1e-12 && r.to >= 0.18 - 1e-12, "{r:?}");
        }
        assert!(recs.iter().any(|r| r.clipped));
    }
}
