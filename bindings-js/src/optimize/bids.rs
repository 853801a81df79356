//! `optimize.BidModel` -> `optimize.FittedBids`: bids from P(conversion | context), the
//! core's `channelwise::optimize::bids`. Cells are `{ context, clicks, conversions, value }`
//! objects; the core names a bad cell as the caller wrote it (`cells[3].clicks`), and its
//! setting names are renamed to `options.*` (`max_change` -> `options.maxChange`).

use std::sync::Arc;

use channelwise::optimize::bids::{Bid, BidModel, Cell, FittedBids, Limit, Target};
use channelwise::{Error, Result};

use super::renamed;
use crate::api::{arg, job, this, Job};
use crate::decl::{Declared, FromJs};
use crate::host::Host;
use crate::keys::camel;
use crate::out::Handle;
use crate::read;
use crate::{js_options, js_result};

/// A list of strings (factor names, a context's levels).
pub struct Strings(pub Vec<String>);

impl FromJs for Strings {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        read::strings(h, v, field).map(Strings)
    }
    fn ts() -> String {
        "string[]".into()
    }
}

/// What a bid must earn: `{ roas }` or `{ cpa }`.
pub struct TargetSpec(pub Target);

impl FromJs for TargetSpec {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        read::options(h, v, field, &["roas", "cpa"])?;
        let num = |k: &str| {
            let f = format!("{field}.{k}");
            read::get(h, v, k, &f)?
                .map(|x| read::number(h, &x, &f))
                .transpose()
        };
        match (num("roas")?, num("cpa")?) {
            (Some(r), None) => Ok(TargetSpec(Target::Roas(r))),
            (None, Some(c)) => Ok(TargetSpec(Target::Cpa(c))),
            _ => Err(Error::InvalidParameter {
                field: field.into(),
                value: read::describe(h, v),
                reason: "expected exactly one of { roas: value per unit cost } or { cpa: cost per conversion }".into(),
            }),
        }
    }
    fn ts() -> String {
        "BidTarget".into()
    }
}

/// `type BidTarget`.
pub const TARGET_DECLARATION: &str = "\
/** What a bid must earn: a return on ad spend (`{ roas: 4 }`: bid = P x value per conversion / 4) or a cost per conversion (`{ cpa: 40 }`: bid = P x 40). */
export type BidTarget = { roas: number } | { cpa: number };
";

js_options! {
    /// Bid model settings.
    ///
    /// | Name | Default | Meaning | Range |
    /// |---|---|---|---|
    /// | `factors` | required | context factors, in the order each context lists them | at least one |
    /// | `target` | required | `{ roas }` or `{ cpa }` | `> 0` |
    /// | `c` | `1` | inverse shrinkage strength of the multipliers | `> 0` |
    /// | `floor` | `0` | least bid | `>= 0` |
    /// | `cap` | `Infinity` | most bid | `>= floor` |
    /// | `maxChange` | none | most relative move from the current bid (0.2 = 20%) | `>= 0` |
    pub struct BidModelOptions {
        /// Context factors (device, hour, ...), in the order each context lists its levels.
        factors: Strings = required,
        /// `{ roas }` or `{ cpa }`.
        target: TargetSpec = required,
        /// Inverse shrinkage strength, `> 0` (default 1): smaller pulls thin levels nearer 1.
        c: f64,
        /// Least bid (default 0).
        floor: f64,
        /// Most bid (default `Infinity`).
        cap: f64,
        /// Most relative move from the current bid (default none).
        maxChange: f64,
    }
}

js_options! {
    /// Outcomes of one context.
    pub struct BidCell {
        /// One level per factor, in the model's factor order.
        context: Strings = required,
        /// Clicks.
        clicks: f64 = required,
        /// Conversions (at most the clicks).
        conversions: f64 = required,
        /// Conversion value.
        value: f64 = required,
    }
}

js_result! {
    /// A level's estimated multiplier.
    pub struct BidLevel {
        /// The factor.
        factor: String,
        /// The level.
        level: String,
        /// Multiplier on the conversion probability, `sigmoid(b + beta) / sigmoid(b)`.
        multiplier: f64,
        /// Clicks behind it.
        clicks: f64,
        /// Conversions behind it.
        conversions: f64,
    }
}

js_result! {
    /// One factor's part in a bid.
    pub struct BidFactor {
        /// The factor.
        factor: String,
        /// The context's level of it.
        level: String,
        /// Its multiplier on the conversion probability (1 for a level never seen).
        multiplier: f64,
        /// Clicks behind the level (0 if never seen).
        clicks: f64,
    }
}

js_result! {
    /// A bid and why.
    pub struct BidResult {
        /// The bid to set.
        bid: f64,
        /// The formula's bid before floors, caps and the maximum change.
        unclamped: f64,
        /// Predicted conversion probability per click.
        probability: f64,
        /// The base rate (every multiplier 1).
        baseProbability: f64,
        /// Value per conversion used.
        valuePerConversion: f64,
        /// Each factor's multiplier; their product is `probability / baseProbability`.
        factors: Vec<BidFactor>,
        /// What held the bid: `'none'`, `'floor'`, `'cap'` or `'maxChange'`.
        limitedBy: &'static str,
        /// One sentence with the numbers.
        explanation: String,
    }
}

/// The declarations of this module's types.
pub fn declarations() -> Vec<String> {
    vec![
        TARGET_DECLARATION.to_string(),
        BidModelOptions::declaration(),
        BidCell::declaration(),
        BidLevel::declaration(),
        BidFactor::declaration(),
        BidResult::declaration(),
    ]
}

/// The core's setting names as `options.*`; cell fields are already the caller's.
fn js_field(f: &str) -> Option<String> {
    matches!(
        f,
        "c" | "floor" | "cap" | "max_change" | "target" | "factors"
    )
    .then(|| format!("options.{}", camel(f)))
}

/// `new optimize.BidModel(options)`.
pub fn bid_model_new<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = BidModelOptions::read(h, &arg(h, a, 0)?, "options")?;
    let (Some(Strings(factors)), Some(TargetSpec(target))) = (o.factors, o.target) else {
        return Err(read::missing("options"));
    };
    let names: Vec<&str> = factors.iter().map(String::as_str).collect();
    let mut s = BidModel::new(&names, target)
        .c(o.c.unwrap_or(1.0))
        .floor(o.floor.unwrap_or(0.0))
        .cap(o.cap.unwrap_or(f64::INFINITY));
    if let Some(m) = o.maxChange {
        s = s.max_change(m);
    }
    job(move || Ok(Handle(Arc::new(s))))
}

/// `BidModel.fit(cells)`.
pub fn bid_model_fit<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    const FIELD: &str = "cells";
    let spec: Arc<BidModel> = this(h, a)?;
    let v = arg(h, a, 1)?;
    let n = read::array_len(h, &v, FIELD, "an array of cells")?;
    let mut cells = Vec::with_capacity(n as usize);
    for i in 0..n {
        let f = format!("{FIELD}[{i}]");
        let c = BidCell::read(h, &read::element(h, &v, i, FIELD)?, &f)?;
        let (Some(Strings(context)), Some(clicks), Some(conversions), Some(value)) =
            (c.context, c.clicks, c.conversions, c.value)
        else {
            return Err(read::missing(&f));
        };
        cells.push(Cell {
            context,
            clicks,
            conversions,
            value,
        });
    }
    job(move || {
        let m = spec.fit(&cells).map_err(|e| renamed(e, js_field))?;
        Ok(Handle(Arc::new(m)))
    })
}

/// `new FittedBids()`: not for direct use.
pub fn fitted_new<H: Host>(_h: H, _a: &[H::V]) -> Result<Job> {
    Err(Error::InvalidParameter {
        field: "FittedBids".into(),
        value: "new FittedBids()".into(),
        reason: "a fitted bid model is made by new optimize.BidModel(options).fit(cells)".into(),
    })
}

crate::api::model_json!(
    FittedBids,
    fitted_to_json,
    fitted_from_json,
    "channelwise.optimize.FittedBids",
    "BidModel"
);

/// `FittedBids.multipliers()`.
pub fn fitted_multipliers<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedBids> = this(h, a)?;
    job(move || {
        Ok(m.multipliers()
            .into_iter()
            .map(|l| BidLevel {
                factor: l.factor,
                level: l.level,
                multiplier: l.multiplier,
                clicks: l.clicks,
                conversions: l.conversions,
            })
            .collect::<Vec<_>>())
    })
}

fn limit_name(l: Limit) -> &'static str {
    match l {
        Limit::None => "none",
        Limit::Floor => "floor",
        Limit::Cap => "cap",
        Limit::MaxChange => "maxChange",
    }
}

fn bid_result(b: Bid) -> BidResult {
    BidResult {
        bid: b.bid,
        unclamped: b.unclamped,
        probability: b.probability,
        baseProbability: b.base_probability,
        valuePerConversion: b.value_per_conversion,
        factors: b
            .factors
            .into_iter()
            .map(|f| BidFactor {
                factor: f.factor,
                level: f.level,
                multiplier: f.multiplier,
                clicks: f.clicks,
            })
            .collect(),
        limitedBy: limit_name(b.limited_by),
        explanation: b.explanation,
    }
}

/// `FittedBids.bid(context, current?)`.
pub fn fitted_bid<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let m: Arc<FittedBids> = this(h, a)?;
    let context = read::strings(h, &arg(h, a, 1)?, "context")?;
    let current = read::given(h, arg(h, a, 2)?)
        .map(|v| read::number(h, &v, "current"))
        .transpose()?;
    job(move || {
        let ctx: Vec<&str> = context.iter().map(String::as_str).collect();
        Ok(bid_result(m.bid(&ctx, current)?))
    })
}
