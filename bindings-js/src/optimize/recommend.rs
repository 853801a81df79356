//! `optimize.recommend` and `optimize.insights`: the core's `optimize::recommend` (budget moves
//! from an allocation, bid changes from a fitted bid model, targeting, creative rotation, and
//! the insights digest over a metrics table).

use std::sync::Arc;

use channelwise::optimize::bids::FittedBids;
use channelwise::optimize::recommend::{
    self, ChannelMetrics, Guardrails as CoreGuardrails, Insight as CoreInsight,
    Recommendation as CoreRecommendation, Segment,
};
use channelwise::Result;

use super::bids::Strings;
use super::budget::{channels, js_field, spec};
use super::renamed;
use crate::api::{arg, boxed, job, Job};
use crate::decl::Declared;
use crate::host::Host;
use crate::read;
use crate::{js_options, js_result};

js_options! {
    /// Limits every recommendation respects.
    ///
    /// | Name | Default | Meaning |
    /// |---|---|---|
    /// | `maxBudgetChange` | none | most relative budget move per channel (0.3 = 30%) |
    /// | `maxBidChange` | none | most relative bid move |
    /// | `minConfidence` | `0` | drop recommendations less sure than this |
    /// | `minChange` | `0.01` | drop moves smaller than this share of today's value |
    /// | `alpha` | `0.05` | significance level of the tests (targeting, creatives) |
    pub struct Guardrails {
        /// Most relative budget move per channel.
        maxBudgetChange: f64,
        /// Most relative bid move.
        maxBidChange: f64,
        /// Least confidence to recommend.
        minConfidence: f64,
        /// Least relative change worth recommending.
        minChange: f64,
        /// Significance level of the tests.
        alpha: f64,
    }
}

js_options! {
    /// A context to bid on and its bid today.
    pub struct BidContext {
        /// One level per factor, in the model's factor order.
        context: Strings = required,
        /// Today's bid.
        current: f64 = required,
    }
}

js_options! {
    /// One segment's results (an audience, a placement, a geo).
    pub struct RecommendSegment {
        /// Segment name.
        name: String = required,
        /// Clicks.
        clicks: f64 = required,
        /// Conversions (at most the clicks).
        conversions: f64 = required,
        /// Cost.
        cost: f64 = required,
    }
}

js_options! {
    /// One creative's daily impressions and clicks, oldest day first.
    pub struct RecommendCreative {
        /// Creative name.
        name: String = required,
        /// Impressions per day.
        impressions: Vec<f64> = required,
        /// Clicks per day.
        clicks: Vec<f64> = required,
    }
}

js_result! {
    /// One recommendation.
    pub struct Recommendation {
        /// What it changes: `'budget'`, `'bid'`, `'targeting'` or `'creative'`.
        kind: &'static str,
        /// The channel, context (`'mobile / evening'`), segment or creative.
        target: String,
        /// The value today.
        from: f64,
        /// The value recommended.
        to: f64,
        /// What the change should bring (response for budgets, margin per click for bids, CPA
        /// saved for targeting, clicks lost for creatives).
        impact: f64,
        /// Lower end of its 90% interval.
        impactLo: f64,
        /// Upper end of its 90% interval.
        impactHi: f64,
        /// How sure: the share of curve draws in which a budget move pays, or 1 - p of a test.
        confidence: f64,
        /// One sentence with the numbers behind it.
        reason: String,
        /// True when a guardrail clipped the change.
        clipped: bool,
    }
}

js_result! {
    /// One line of the insights digest.
    pub struct Insight {
        /// `'change'`, `'trend'`, `'anomaly'` or `'correlation'`.
        kind: &'static str,
        /// The channels involved.
        channels: Vec<String>,
        /// Money at stake (value units), the ranking key.
        money: f64,
        /// The test's p-value.
        pValue: f64,
        /// One sentence with the numbers and the test.
        sentence: String,
    }
}

js_options! {
    /// One channel's metrics per period, oldest first.
    pub struct ChannelMetricsInput {
        /// Channel name.
        channel: String = required,
        /// Spend per period.
        spend: Vec<f64> = required,
        /// Conversions per period.
        conversions: Vec<f64> = required,
        /// Conversion value per period.
        value: Vec<f64> = required,
    }
}

js_options! {
    /// Insights settings.
    pub struct InsightsOptions {
        /// Significance level (default 0.05).
        alpha: f64,
    }
}

/// `type RecommendInputs`.
pub const INPUTS_DECLARATION: &str = "\
/**
 * What `optimize.recommend` reads; every part is optional. `channels` and `allocate`: budget
 * moves (the allocation `optimize.allocate(channels, allocate)` would return, each channel with
 * its current spend); `bids` and `contexts`: bid changes; `segments`: targeting; `creatives`:
 * creative rotation.
 */
export interface RecommendInputs {
  channels?: FittedMMM | AllocationChannel[];
  allocate?: AllocateOptions | null;
  bids?: FittedBids;
  contexts?: BidContext[];
  segments?: RecommendSegment[];
  creatives?: RecommendCreative[];
}
";

fn out(r: CoreRecommendation) -> Recommendation {
    Recommendation {
        kind: r.kind.name(),
        target: r.target,
        from: r.from,
        to: r.to,
        impact: r.impact.value,
        impactLo: r.impact.lo,
        impactHi: r.impact.hi,
        confidence: r.confidence,
        reason: r.reason,
        clipped: r.clipped,
    }
}

/// The elements of the array at `field`, each read by `f`.
fn each<H: Host, T>(
    h: H,
    v: &H::V,
    field: &str,
    mut f: impl FnMut(&H::V, &str) -> Result<T>,
) -> Result<Vec<T>> {
    let n = read::array_len(h, v, field, "an array")?;
    (0..n)
        .map(|i| f(&read::element(h, v, i, field)?, &format!("{field}[{i}]")))
        .collect()
}

fn guardrails<H: Host>(h: H, v: &H::V) -> Result<CoreGuardrails> {
    let g = Guardrails::read(h, v, "guardrails")?;
    let d = CoreGuardrails::default();
    Ok(CoreGuardrails {
        max_budget_change: g.maxBudgetChange,
        max_bid_change: g.maxBidChange,
        min_confidence: g.minConfidence.unwrap_or(d.min_confidence),
        min_change: g.minChange.unwrap_or(d.min_change),
        alpha: g.alpha.unwrap_or(d.alpha),
    })
}

/// Core field names (`guardrails.min_change`, `segments[1].cost`) as JS writes them.
fn camel_field(f: &str) -> Option<String> {
    f.strip_prefix("guardrails.")
        .map(|rest| format!("guardrails.{}", crate::keys::camel(rest)))
        .or_else(|| f.starts_with("segments[").then(|| format!("inputs.{f}")))
        .or_else(|| f.starts_with("creatives[").then(|| format!("inputs.{f}")))
}

/// `optimize.recommend(inputs, guardrails?)`.
pub fn recommend<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    const FIELD: &str = "inputs";
    let v = arg(h, a, 0)?;
    let v = read::options(
        h,
        &v,
        FIELD,
        &[
            "channels",
            "allocate",
            "bids",
            "contexts",
            "segments",
            "creatives",
        ],
    )?
    .ok_or_else(|| read::missing(FIELD))?;
    let g = guardrails(h, &arg(h, a, 1)?)?;
    let get = |k: &str| read::get(h, &v, k, &format!("{FIELD}.{k}"));
    let budget = match get("channels")? {
        Some(c) => {
            let (chans, names) = channels(h, &c)?;
            let opts = match get("allocate")? {
                Some(o) => o,
                None => h.undefined().map_err(read::unwritable)?,
            };
            let s = spec(h, &opts, "inputs.allocate", &chans, names.is_some())?;
            Some((chans, names, s))
        }
        None => None,
    };
    let bids = match get("bids")? {
        Some(b) => {
            let m: Arc<FittedBids> = boxed::<H, FittedBids>(h, &b)
                .ok_or_else(|| read::wrong(h, "inputs.bids", &b, "a FittedBids"))?;
            let ctx = get("contexts")?.ok_or_else(|| read::missing("inputs.contexts"))?;
            let contexts = each(h, &ctx, "inputs.contexts", |e, f| {
                let c = BidContext::read(h, e, f)?;
                match (c.context, c.current) {
                    (Some(Strings(levels)), Some(cur)) => Ok((levels, cur)),
                    _ => Err(read::missing(f)),
                }
            })?;
            Some((m, contexts))
        }
        None => None,
    };
    let segments = get("segments")?
        .map(|s| {
            each(h, &s, "segments", |e, f| {
                let c = RecommendSegment::read(h, e, f)?;
                match (c.name, c.clicks, c.conversions, c.cost) {
                    (Some(name), Some(clicks), Some(conversions), Some(cost)) => Ok(Segment {
                        name,
                        clicks,
                        conversions,
                        cost,
                    }),
                    _ => Err(read::missing(f)),
                }
            })
        })
        .transpose()?;
    let creatives = get("creatives")?
        .map(|s| {
            each(h, &s, "creatives", |e, f| {
                let c = RecommendCreative::read(h, e, f)?;
                match (c.name, c.impressions, c.clicks) {
                    (Some(name), Some(imp), Some(clk)) => {
                        if imp.len() != clk.len() {
                            return Err(channelwise::Error::LengthMismatch {
                                field: format!("inputs.{f}.clicks"),
                                expected: imp.len(),
                                got: clk.len(),
                            });
                        }
                        Ok((name, imp.into_iter().zip(clk).collect()))
                    }
                    _ => Err(read::missing(f)),
                }
            })
        })
        .transpose()?;
    job(move || {
        let mut all = Vec::new();
        if let Some((chans, names, s)) = budget {
            let a = s
                .solve(&chans)
                .map_err(|e| renamed(e, |f| js_field(f, names.as_deref())))?;
            all.extend(
                recommend::budget_moves(&chans, &a, &g).map_err(|e| renamed(e, camel_field))?,
            );
        }
        if let Some((m, contexts)) = bids {
            all.extend(
                recommend::bid_changes(&m, &contexts, &g).map_err(|e| renamed(e, camel_field))?,
            );
        }
        if let Some(s) = segments {
            all.extend(recommend::targeting(&s, &g).map_err(|e| renamed(e, camel_field))?);
        }
        if let Some(c) = creatives {
            all.extend(recommend::creative_rotation(&c, &g).map_err(|e| renamed(e, camel_field))?);
        }
        Ok(all.into_iter().map(out).collect::<Vec<_>>())
    })
}

fn insight(i: CoreInsight) -> Insight {
    Insight {
        kind: i.kind.name(),
        channels: i.channels,
        money: i.money,
        pValue: i.p_value,
        sentence: i.sentence,
    }
}

/// `optimize.insights(metrics, options?)`.
pub fn insights<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let metrics = each(h, &arg(h, a, 0)?, "metrics", |e, f| {
        let c = ChannelMetricsInput::read(h, e, f)?;
        match (c.channel, c.spend, c.conversions, c.value) {
            (Some(channel), Some(spend), Some(conversions), Some(value)) => Ok(ChannelMetrics {
                channel,
                spend,
                conversions,
                value,
            }),
            _ => Err(read::missing(f)),
        }
    })?;
    let o = InsightsOptions::read(h, &arg(h, a, 1)?, "options")?;
    let alpha = o.alpha.unwrap_or(0.05);
    job(move || {
        let r = recommend::insights(&metrics, alpha).map_err(|e| {
            renamed(e, |f| match f {
                "alpha" => Some("options.alpha".into()),
                _ => None,
            })
        })?;
        Ok(r.into_iter().map(insight).collect::<Vec<_>>())
    })
}

/// Every declaration of this module, in order.
pub fn declarations() -> Vec<String> {
    vec![
        Guardrails::declaration(),
        BidContext::declaration(),
        RecommendSegment::declaration(),
        RecommendCreative::declaration(),
        INPUTS_DECLARATION.to_string(),
        Recommendation::declaration(),
        ChannelMetricsInput::declaration(),
        InsightsOptions::declaration(),
        Insight::declaration(),
    ]
}
