//! Bids from predicted conversion probability: `bid = P(conversion | context) x value per
//! conversion / target ROAS` (or `x target CPA`), with the context's effect estimated from
//! outcome data and explained factor by factor.
//!
//! Each context factor (device, hour of day, placement, geo, ...) gets one coefficient per level
//! in an L2-regularised logistic regression of conversion on click ([`crate::glm::logistic`],
//! scikit-learn's objective), fitted on the outcome cells (clicks and conversions per context).
//! The penalty shrinks every level toward the average, so a thin cell (few clicks) keeps a
//! multiplier near 1 and a well-measured one earns its own; `c` sets how much data it takes.
//! Each factor's effects are centred on their clicks-weighted mean (the mean moves into the
//! intercept `b`, predictions unchanged), so the base rate `sigmoid(b)` is the typical
//! context's and a level's multiplier `sigmoid(b + beta_level) / sigmoid(b)` says how it
//! differs from the typical level; a bid's factor-by-factor explanation multiplies out to its
//! probability over the base rate exactly. Floors, caps and a
//! maximum change from the current bid are applied last, and the bid says which held it.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `target` | required | `Roas(r)` or `Cpa(c)` | `> 0` |
//! | `c` | 1.0 | inverse shrinkage strength of the multipliers | `> 0` |
//! | `floor`, `cap` | 0, unbounded | bid bounds | `0 <= floor <= cap` |
//! | `max_change` | none | most relative move from the current bid (0.2 = 20%) | `>= 0` |
//!
//! ```
//! use channelwise::optimize::bids::{BidModel, Cell, Target};
//! let cells = [
//!     Cell::new(&["mobile", "evening"], 4000.0, 60.0, 3000.0),
//!     Cell::new(&["mobile", "morning"], 3000.0, 30.0, 1500.0),
//!     Cell::new(&["desktop", "evening"], 2000.0, 50.0, 2500.0),
//!     Cell::new(&["desktop", "morning"], 1500.0, 30.0, 1500.0),
//! ];
//! let model = BidModel::new(&["device", "daypart"], Target::Roas(4.0)).fit(&cells)?;
//! let bid = model.bid(&["desktop", "evening"], Some(0.25))?;
//! assert!(bid.bid > 0.25); // desktop evenings convert best
//! println!("{}", bid.explanation);
//! # Ok::<(), channelwise::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::glm::logistic::LogisticRegression;
use crate::{Error, Result};

/// Outcomes of one context: its level of each factor, clicks, conversions and value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// One level per factor, in the model's factor order.
    pub context: Vec<String>,
    /// Clicks.
    pub clicks: f64,
    /// Conversions (at most the clicks).
    pub conversions: f64,
    /// Conversion value.
    pub value: f64,
}

impl Cell {
    /// A cell.
    pub fn new(context: &[&str], clicks: f64, conversions: f64, value: f64) -> Self {
        Cell { context: context.iter().map(|s| s.to_string()).collect(), clicks, conversions, value }
    }
}

/// What a bid must earn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Value per unit of cost.
    Roas(f64),
    /// Cost per conversion.
    Cpa(f64),
}

/// The bid model's settings (see the [module table](self)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidModel {
    factors: Vec<String>,
    target: Target,
    c: f64,
    floor: f64,
    /// Infinite when there is none: JSON has no infinity, so it is written `null` and `null`
    /// reads back as infinite.
    #[serde(deserialize_with = "crate::infinite_if_null")]
    cap: f64,
    max_change: Option<f64>,
}


/// One factor's part in a bid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidFactor {
    /// The factor.
    pub factor: String,
    /// The context's level of it.
    pub level: String,
    /// Its multiplier on the conversion probability (1 for a level never seen).
    pub multiplier: f64,
    /// Clicks behind the level in the outcome data (0 if never seen).
    pub clicks: f64,
}

/// What held a bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Nothing: the bid is the formula's.
    None,
    /// The floor.
    Floor,
    /// The cap.
    Cap,
    /// The maximum change from the current bid.
    MaxChange,
}

/// A bid and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bid {
    /// The bid to set.
    pub bid: f64,
    /// The formula's bid before floors, caps and the maximum change.
    pub unclamped: f64,
    /// Predicted conversion probability per click.
    pub probability: f64,
    /// The base rate (every multiplier 1).
    pub base_probability: f64,
    /// Value per conversion used.
    pub value_per_conversion: f64,
    /// Each factor's multiplier; their product is `probability / base_probability`.
    pub factors: Vec<BidFactor>,
    /// What held the bid.
    pub limited_by: Limit,
    /// One sentence with the numbers.
    pub explanation: String,
}

/// A level's estimated multiplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelMultiplier {
    /// The factor.
    pub factor: String,
    /// The level.
    pub level: String,
    /// Multiplier on the conversion probability.
    pub multiplier: f64,
    /// Clicks behind it.
    pub clicks: f64,
    /// Conversions behind it.
    pub conversions: f64,
}

/// A fitted bid model. Its serde form is checked on load (a stored model that was edited by
/// hand is refused naming what is wrong, never used half).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FittedBidsRepr")]
pub struct FittedBids {
    spec: BidModel,
    /// Per factor: (level, coefficient, clicks, conversions).
    levels: Vec<Vec<(String, f64, f64, f64)>>,
    intercept: f64,
    value_per_conversion: f64,
}

/// [`FittedBids`] as stored, before its check.
#[derive(Deserialize)]
struct FittedBidsRepr {
    spec: BidModel,
    levels: Vec<Vec<(String, f64, f64, f64)>>,
    intercept: f64,
    value_per_conversion: f64,
}

impl TryFrom<FittedBidsRepr> for FittedBids {
    type Error = Error;

    fn try_from(r: FittedBidsRepr) -> Result<Self> {
        r.spec.validate()?;
        if r.levels.len() != r.spec.factors.len() {
            return Err(Error::LengthMismatch { field: "levels".into(), got: r.levels.len(), expected: r.spec.factors.len() });
        }
        for (f, ls) in r.levels.iter().enumerate() {
            for (i, (_, b, clicks, conv)) in ls.iter().enumerate() {
                let at = |what: &str| format!("levels[{f}][{i}].{what}");
                if !b.is_finite() {
                    return Err(Error::NonFinite { field: at("coefficient"), value: *b });
                }
                for (what, v) in [("clicks", *clicks), ("conversions", *conv)] {
                    if !(v >= 0.0 && v.is_finite()) {
                        return Err(Error::OutOfRange { field: at(what), value: v, min: 0.0, max: f64::INFINITY });
                    }
                }
            }
        }
        if !r.intercept.is_finite() {
            return Err(Error::NonFinite { field: "intercept".into(), value: r.intercept });
        }
        if !(r.value_per_conversion >= 0.0 && r.value_per_conversion.is_finite()) {
            return Err(Error::OutOfRange { field: "value_per_conversion".into(), value: r.value_per_conversion, min: 0.0, max: f64::INFINITY });
        }
        Ok(FittedBids { spec: r.spec, levels: r.levels, intercept: r.intercept, value_per_conversion: r.value_per_conversion })
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl BidModel {
    /// A model over these factors (in the order each cell's context lists them).
    pub fn new(factors: &[&str], target: Target) -> Self {
        BidModel { factors: factors.iter().map(|s| s.to_string()).collect(), target, c: 1.0, floor: 0.0, cap: f64::INFINITY, max_change: None }
    }

    /// Inverse shrinkage strength (default 1).
    pub fn c(mut self, c: f64) -> Self {
        self.c = c;
        self
    }

    /// Least bid.
    pub fn floor(mut self, v: f64) -> Self {
        self.floor = v;
        self
    }

    /// Most bid.
    pub fn cap(mut self, v: f64) -> Self {
        self.cap = v;
        self
    }

    /// Most relative move from the current bid.
    pub fn max_change(mut self, v: f64) -> Self {
        self.max_change = Some(v);
        self
    }

    fn validate(&self) -> Result<()> {
        let t = match self.target {
            Target::Roas(v) | Target::Cpa(v) => v,
        };
        if !(t > 0.0 && t.is_finite()) {
            return Err(Error::OutOfRange { field: "target".into(), value: t, min: 0.0, max: f64::INFINITY });
        }
        if !(self.floor >= 0.0 && self.floor.is_finite()) {
            return Err(Error::OutOfRange { field: "floor".into(), value: self.floor, min: 0.0, max: f64::INFINITY });
        }
        if self.cap.is_nan() || self.cap < self.floor {
            return Err(Error::InvalidParameter { field: "cap".into(), value: self.cap.to_string(), reason: format!("below the floor {}", self.floor) });
        }
        if let Some(m) = self.max_change {
            if !(m >= 0.0 && m.is_finite()) {
                return Err(Error::OutOfRange { field: "max_change".into(), value: m, min: 0.0, max: f64::INFINITY });
            }
        }
        if self.factors.is_empty() {
            return Err(Error::InvalidParameter { field: "factors".into(), value: "[]".into(), reason: "name at least one context factor".into() });
        }
        Ok(())
    }

    /// Estimates the multipliers from outcome cells.
    ///
    /// # Errors
    /// `invalid_parameter` for no factors, a context with the wrong number of levels (naming
    /// the cell), conversions above clicks, or no conversions at all; `out_of_range` /
    /// `non_finite` for negative or NaN counts and settings (`cells[3].clicks`).
    pub fn fit(&self, cells: &[Cell]) -> Result<FittedBids> {
        self.validate()?;
        let nf = self.factors.len();
        let mut levels: Vec<Vec<(String, f64, f64, f64)>> = vec![Vec::new(); nf];
        let mut index: Vec<Vec<usize>> = Vec::with_capacity(cells.len());
        for (i, c) in cells.iter().enumerate() {
            if c.context.len() != nf {
                return Err(Error::InvalidParameter {
                    field: format!("cells[{i}].context"),
                    value: format!("{:?}", c.context),
                    reason: format!("expected one level for each of {:?}", self.factors),
                });
            }
            for (name, v) in [("clicks", c.clicks), ("conversions", c.conversions), ("value", c.value)] {
                if !v.is_finite() {
                    return Err(Error::NonFinite { field: format!("cells[{i}].{name}"), value: v });
                }
                if v < 0.0 {
                    return Err(Error::OutOfRange { field: format!("cells[{i}].{name}"), value: v, min: 0.0, max: f64::INFINITY });
                }
            }
            if c.conversions > c.clicks {
                return Err(Error::InvalidParameter { field: format!("cells[{i}].conversions"), value: c.conversions.to_string(), reason: format!("more than its {} clicks", c.clicks) });
            }
            let mut idx = Vec::with_capacity(nf);
            for (f, level) in c.context.iter().enumerate() {
                let at = match levels[f].iter().position(|(l, ..)| l == level) {
                    Some(at) => at,
                    None => {
                        levels[f].push((level.clone(), 0.0, 0.0, 0.0));
                        levels[f].len() - 1
                    }
                };
                levels[f][at].2 += c.clicks;
                levels[f][at].3 += c.conversions;
                idx.push(at);
            }
            index.push(idx);
        }
        let (conv, value): (f64, f64) = cells.iter().fold((0.0, 0.0), |(a, b), c| (a + c.conversions, b + c.value));
        if conv <= 0.0 {
            return Err(Error::InvalidParameter { field: "cells".into(), value: format!("{} cells", cells.len()), reason: "no conversions: nothing to learn a conversion rate from".into() });
        }
        // one-hot design: two weighted rows per cell (converted, not converted)
        let offsets: Vec<usize> = levels.iter().scan(0, |s, l| {
            let o = *s;
            *s += l.len();
            Some(o)
        }).collect();
        let k: usize = levels.iter().map(Vec::len).sum();
        let mut x = Vec::with_capacity(cells.len() * 2 * k);
        let (mut y, mut w) = (Vec::new(), Vec::new());
        for (c, idx) in cells.iter().zip(&index) {
            let mut row = vec![0.0; k];
            for (f, &at) in idx.iter().enumerate() {
                row[offsets[f] + at] = 1.0;
            }
            for (label, weight) in [(1.0, c.conversions), (0.0, c.clicks - c.conversions)] {
                x.extend_from_slice(&row);
                y.push(label);
                w.push(weight);
            }
        }
        let fit = LogisticRegression::default().c(self.c).fit(&x, k, &y, Some(&w))?;
        // centre each factor's effects on their clicks-weighted mean and move the means into
        // the intercept: predictions are unchanged, the base rate is the typical context's and
        // a level's multiplier says how it differs from the typical level (a level never seen
        // counts as typical)
        let mut intercept = fit.intercept();
        for (f, ls) in levels.iter_mut().enumerate() {
            for (at, l) in ls.iter_mut().enumerate() {
                l.1 = fit.coef()[offsets[f] + at];
            }
            let clicks: f64 = ls.iter().map(|l| l.2).sum();
            if clicks > 0.0 {
                let mean = ls.iter().map(|l| l.1 * l.2).sum::<f64>() / clicks;
                ls.iter_mut().for_each(|l| l.1 -= mean);
                intercept += mean;
            }
        }
        Ok(FittedBids { spec: self.clone(), levels, intercept, value_per_conversion: value / conv })
    }
}

impl FittedBids {
    /// Every level's multiplier, factor by factor.
    pub fn multipliers(&self) -> Vec<LevelMultiplier> {
        let base = sigmoid(self.intercept);
        self.spec
            .factors
            .iter()
            .zip(&self.levels)
            .flat_map(|(f, ls)| {
                ls.iter().map(move |(l, b, clicks, conv)| LevelMultiplier {
                    factor: f.clone(),
                    level: l.clone(),
                    multiplier: sigmoid(self.intercept + b) / base,
                    clicks: *clicks,
                    conversions: *conv,
                })
            })
            .collect()
    }

    /// The bid for a context (one level per factor; a level never seen counts as average),
    /// moving from `current` at most by the maximum change.
    ///
    /// # Errors
    /// `invalid_parameter` for a context with the wrong number of levels; `out_of_range` /
    /// `non_finite` for a negative or NaN current bid.
    pub fn bid(&self, context: &[&str], current: Option<f64>) -> Result<Bid> {
        let s = &self.spec;
        if context.len() != s.factors.len() {
            return Err(Error::InvalidParameter { field: "context".into(), value: format!("{context:?}"), reason: format!("expected one level for each of {:?}", s.factors) });
        }
        if let Some(c) = current {
            if !c.is_finite() {
                return Err(Error::NonFinite { field: "current".into(), value: c });
            }
            if c < 0.0 {
                return Err(Error::OutOfRange { field: "current".into(), value: c, min: 0.0, max: f64::INFINITY });
            }
        }
        let mut z = self.intercept;
        let mut factors = Vec::with_capacity(context.len());
        for ((f, ls), level) in s.factors.iter().zip(&self.levels).zip(context) {
            let before = sigmoid(z);
            let found = ls.iter().find(|(l, ..)| l == level);
            if let Some((_, b, ..)) = found {
                z += b;
            }
            factors.push(BidFactor { factor: f.clone(), level: level.to_string(), multiplier: sigmoid(z) / before, clicks: found.map_or(0.0, |l| l.2) });
        }
        let p = sigmoid(z);
        let base = sigmoid(self.intercept);
        let (unclamped, per) = match s.target {
            Target::Roas(r) => (p * self.value_per_conversion / r, format!("value {:.2} / target ROAS {r}", self.value_per_conversion)),
            Target::Cpa(c) => (p * c, format!("target CPA {c}")),
        };
        let mut bid = unclamped;
        let mut limited_by = Limit::None;
        if let (Some(m), Some(cur)) = (s.max_change, current) {
            let (lo, hi) = (cur * (1.0 - m), cur * (1.0 + m));
            if bid > hi {
                bid = hi;
                limited_by = Limit::MaxChange;
            } else if bid < lo {
                bid = lo.max(0.0);
                limited_by = Limit::MaxChange;
            }
        }
        if bid < s.floor {
            bid = s.floor;
            limited_by = Limit::Floor;
        }
        if bid > s.cap {
            bid = s.cap;
            limited_by = Limit::Cap;
        }
        let parts: Vec<String> = factors
            .iter()
            .map(|f| if f.clicks > 0.0 { format!("{}={} x{:.3}", f.factor, f.level, f.multiplier) } else { format!("{}={} x1 (never seen)", f.factor, f.level) })
            .collect();
        let held = match limited_by {
            Limit::None => String::new(),
            Limit::Floor => format!("; raised to the floor {}", s.floor),
            Limit::Cap => format!("; held at the cap {}", s.cap),
            Limit::MaxChange => format!("; held to {:+.0}% of the current {}", 100.0 * (bid / current.unwrap_or(bid) - 1.0), current.unwrap_or(bid)),
        };
        let explanation = format!(
            "bid {bid:.4} = P(conversion) {:.3}% x {per} (formula {unclamped:.4}); base rate {:.3}%, {}{held}",
            100.0 * p,
            100.0 * base,
            parts.join(", ")
        );
        Ok(Bid { bid, unclamped, probability: p, base_probability: base, value_per_conversion: self.value_per_conversion, factors, limited_by, explanation })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells() -> Vec<Cell> {
        vec![
            Cell::new(&["mobile", "evening"], 4000.0, 60.0, 3000.0),
            Cell::new(&["mobile", "morning"], 3000.0, 30.0, 1500.0),
            Cell::new(&["desktop", "evening"], 2000.0, 50.0, 2500.0),
            Cell::new(&["desktop", "morning"], 1500.0, 30.0, 1500.0),
            Cell::new(&["tablet", "evening"], 20.0, 2.0, 100.0), // thin
        ]
    }

    #[test]
    fn factors_multiply_out_and_thin_cells_shrink() {
        let m = BidModel::new(&["device", "daypart"], Target::Cpa(40.0)).fit(&cells()).unwrap();
        let b = m.bid(&["desktop", "evening"], None).unwrap();
        let product: f64 = b.factors.iter().map(|f| f.multiplier).product();
        assert!((product - b.probability / b.base_probability).abs() < 1e-12);
        assert!((b.bid - 40.0 * b.probability).abs() < 1e-12);
        // the tablet's raw rate is 10% (6x the average): 20 clicks earn it much less than that
        let tablet = m.multipliers().into_iter().find(|l| l.level == "tablet").unwrap();
        let raw = (2.0 / 20.0) / (172.0 / 10520.0);
        assert!(tablet.multiplier < 0.75 * raw && tablet.multiplier > 1.0, "{tablet:?}");
        // stronger shrinkage, multiplier nearer 1
        let strong = BidModel::new(&["device", "daypart"], Target::Cpa(40.0)).c(0.001).fit(&cells()).unwrap();
        let t2 = strong.multipliers().into_iter().find(|l| l.level == "tablet").unwrap();
        assert!((t2.multiplier - 1.0).abs() < (tablet.multiplier - 1.0).abs());
        // an unseen level counts as average
        let unseen = m.bid(&["tv", "evening"], None).unwrap();
        assert_eq!(unseen.factors[0].multiplier, 1.0);
        assert!(unseen.explanation.contains("never seen"));
    }

    #[test]
    fn floors_caps_and_max_change() {
        let spec = BidModel::new(&["device", "daypart"], Target::Roas(2.0)).floor(0.1).cap(0.5).max_change(0.2);
        let m = spec.fit(&cells()).unwrap();
        let b = m.bid(&["desktop", "evening"], Some(0.2)).unwrap();
        assert!(b.unclamped > 0.24);
        assert_eq!(b.limited_by, Limit::MaxChange);
        assert!((b.bid - 0.24).abs() < 1e-12);
        let b = m.bid(&["desktop", "evening"], Some(2.0)).unwrap();
        assert_eq!(b.limited_by, Limit::Cap);
        assert_eq!(b.bid, 0.5);
        assert!(b.explanation.contains("cap"));
    }

    #[test]
    fn bad_input_is_named() {
        let mut c = cells();
        c[2].conversions = 5000.0;
        assert!(BidModel::new(&["device", "daypart"], Target::Cpa(1.0)).fit(&c).unwrap_err().to_string().contains("cells[2].conversions"));
        let mut c = cells();
        c[1].context.pop();
        assert!(BidModel::new(&["device", "daypart"], Target::Cpa(1.0)).fit(&c).unwrap_err().to_string().contains("cells[1].context"));
        assert!(BidModel::new(&["device", "daypart"], Target::Roas(0.0)).fit(&cells()).unwrap_err().to_string().contains("target"));
        assert!(BidModel::new(&["device", "daypart"], Target::Cpa(1.0)).floor(2.0).cap(1.0).fit(&cells()).unwrap_err().to_string().contains("cap"));
    }

    #[test]
    fn a_stored_model_reads_back_whole_and_a_damaged_one_is_refused() {
        // no cap (infinite, written null) and a capped one both read back equal
        for spec in [BidModel::new(&["device", "daypart"], Target::Cpa(40.0)), BidModel::new(&["device", "daypart"], Target::Roas(2.0)).cap(0.5).max_change(0.2)] {
            let m = spec.fit(&cells()).unwrap();
            let text = serde_json::to_string(&m).unwrap();
            let back: FittedBids = serde_json::from_str(&text).unwrap();
            assert_eq!(back, m);
            assert_eq!(back.bid(&["desktop", "evening"], Some(0.3)).unwrap(), m.bid(&["desktop", "evening"], Some(0.3)).unwrap());
        }
        let m = BidModel::new(&["device", "daypart"], Target::Cpa(40.0)).fit(&cells()).unwrap();
        let good = serde_json::to_value(&m).unwrap();
        let refused = |edit: &dyn Fn(&mut serde_json::Value), says: &str| {
            let mut v = good.clone();
            edit(&mut v);
            let e = serde_json::from_value::<FittedBids>(v).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        };
        refused(&|v| { v["levels"].as_array_mut().unwrap().pop(); }, "levels");
        refused(&|v| v["levels"][1][0][2] = serde_json::json!(-1.0), "levels[1][0].clicks");
        refused(&|v| v["spec"]["target"] = serde_json::json!({ "cpa": 0.0 }), "target");
        refused(&|v| v["value_per_conversion"] = serde_json::json!(-2.0), "value_per_conversion");
    }
}
