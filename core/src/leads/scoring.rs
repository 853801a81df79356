//! Rule-based lead scores (HubSpot/Marketo style), explainable point by point.
//!
//! A [`ScoringConfig`] holds rules in five [`Dimension`]s. **Attribute rules** give points when a
//! lead's attribute meets a [`Condition`] (job title is "VP", employees at least 200): they make
//! the *fit* part of the score and never decay. **Event rules** give points for every event of a
//! type (`points + per_value * value`, so a page view can earn per second on the page): they make
//! the *activity* part of the score. Points may be negative (an unsubscribe, a competitor's domain).
//!
//! For each lead, in this order:
//! 1. **Daily caps** (Marketo's "once per day" constraints, per activity type): for each event
//!    type with a cap `c`, the raw points `T` of all its rules on one UTC day
//!    (`timestamp.div_euclid(86400)`) are limited to `c` in absolute value: when `|T| > c` every
//!    contribution of that type and day is scaled by `c / |T|`. Scaling, rather than "the first
//!    events until the cap" as Marketo's campaign queue does, makes the score independent of row
//!    order and of ties in time.
//! 2. **Decay** (optional) with half-life `h` days: in [`DecayMode::Inactivity`] mode (the default)
//!    all activity points of a lead are multiplied by `2^(-(as_of - last) / h)`, `last` being the
//!    lead's latest event (of any type) at or before `as_of`, so points hold while the lead is
//!    active and halve every `h` days of silence; in [`DecayMode::EventAge`] mode each event's
//!    points are multiplied by `2^(-(as_of - t) / h)` by its own age (HubSpot-style expiry,
//!    smoothed).
//! 3. **Weights** per dimension multiply every rule's points.
//!
//! Events after `as_of` are ignored (so one log scores "as of" any past date). The breakdowns are
//! in final points: a lead's rule points sum to its dimension points, which sum to its total
//! (up to rounding). The total is invariant to the order of the rows up to floating-point
//! rounding of the sums.
//!
//! **Grades** A+, A, B, C, D and **temperature** hot, warm, cold come from strictly increasing
//! thresholds on a chosen [`Basis`] (by default the grade on the total, the temperature on the
//! activity part): a score `>= thresholds[3]` is A+, `>= [2]` A, `>= [1]` B, `>= [0]` C, else D;
//! `>= [1]` hot, `>= [0]` warm, else cold.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `attribute_rules` | `[]` | fit rules | names unique, points finite |
//! | `event_rules` | `[]` | activity rules | names unique, points and `per_value` finite |
//! | `weights` | 1 for every dimension | multiplier of each dimension's points | finite, `>= 0` |
//! | `daily_caps` | `{}` | event type -> max absolute points per lead per UTC day | finite, `> 0` |
//! | `decay` | none | `{ "half_life_days": h, "mode": "inactivity" \| "event_age" }` | `h` finite, `> 0` |
//! | `grades` | `{ "thresholds": [25, 50, 75, 90], "basis": "total" }` | C, B, A, A+ cut-offs | finite, strictly increasing |
//! | `temperature` | `{ "thresholds": [10, 30], "basis": "activity" }` | warm, hot cut-offs | finite, strictly increasing |
//!
//! The JSON shape (what the Python and JS bindings pass):
//! ```json
//! { "attribute_rules": [ { "name": "vp", "dimension": "demographic", "attribute": "title",
//!                          "condition": { "op": "equals", "value": "VP" }, "points": 15 } ],
//!   "event_rules": [ { "name": "demo", "dimension": "intent", "event_type": "demo_request", "points": 30 },
//!                    { "name": "read", "dimension": "engagement", "event_type": "page_view",
//!                      "points": 1, "per_value": 0.01 } ],
//!   "weights": { "intent": 1.5 }, "daily_caps": { "page_view": 10 },
//!   "decay": { "half_life_days": 30, "mode": "inactivity" },
//!   "grades": { "thresholds": [25, 50, 75, 90], "basis": "total" },
//!   "temperature": { "thresholds": [10, 30], "basis": "activity" } }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{events::EventLog, increasing, positive};
use crate::error::{Error, Result};

const DAY: f64 = 86_400.0;

/// The five dimensions of a lead score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Who the person is (title, seniority, country).
    Demographic,
    /// What the person does (visits, downloads).
    Behavioural,
    /// What the company is (size, industry, revenue).
    Firmographic,
    /// How the person responds (opens, clicks, replies).
    Engagement,
    /// Signals of buying (pricing page, demo request, trial).
    Intent,
}

impl Dimension {
    /// Every dimension, in the order of [`Scores::dimensions`].
    pub const ALL: [Dimension; 5] =
        [Dimension::Demographic, Dimension::Behavioural, Dimension::Firmographic, Dimension::Engagement, Dimension::Intent];

    /// The snake_case name, e.g. `"behavioural"`.
    ///
    /// ```
    /// use channelwise::leads::scoring::Dimension;
    /// assert_eq!(Dimension::Intent.as_str(), "intent");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Demographic => "demographic",
            Dimension::Behavioural => "behavioural",
            Dimension::Firmographic => "firmographic",
            Dimension::Engagement => "engagement",
            Dimension::Intent => "intent",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// When an attribute rule applies. Text conditions need a categorical attribute, numeric ones
/// a numeric attribute. A missing value (NaN in a numeric column, `""` in a categorical one)
/// meets only [`Condition::Missing`].
///
/// JSON: `{ "op": "equals", "value": "VP" }`, `{ "op": "one_of", "values": ["US", "CA"] }`,
/// `{ "op": "at_least", "value": 200 }`, `{ "op": "below", "value": 10 }`,
/// `{ "op": "between", "min": 10, "max": 200 }` (`min <= x < max`), `{ "op": "missing" }`.
///
/// ```
/// use channelwise::leads::scoring::Condition;
/// let c = Condition::Between { min: 10.0, max: 200.0 };
/// assert!(c.matches_number(10.0) && !c.matches_number(200.0) && !c.matches_number(f64::NAN));
/// assert!(Condition::OneOf { values: vec!["US".into(), "CA".into()] }.matches_text("CA"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The text equals `value` (case-sensitive).
    Equals {
        /// The text to match.
        value: String,
    },
    /// The text is one of `values`.
    OneOf {
        /// The texts to match.
        values: Vec<String>,
    },
    /// The number is `>= value`.
    AtLeast {
        /// The lower bound.
        value: f64,
    },
    /// The number is `< value`.
    Below {
        /// The upper bound (excluded).
        value: f64,
    },
    /// `min <= x < max`.
    Between {
        /// Lower bound (included).
        min: f64,
        /// Upper bound (excluded).
        max: f64,
    },
    /// The value is missing.
    Missing,
}

impl Condition {
    /// Whether a numeric value (NaN = missing) meets the condition; text conditions are false.
    pub fn matches_number(&self, x: f64) -> bool {
        match *self {
            Condition::AtLeast { value } => x >= value,
            Condition::Below { value } => x < value,
            Condition::Between { min, max } => x >= min && x < max,
            Condition::Missing => x.is_nan(),
            Condition::Equals { .. } | Condition::OneOf { .. } => false,
        }
    }

    /// Whether a text value (`""` = missing) meets the condition; numeric conditions are false.
    pub fn matches_text(&self, x: &str) -> bool {
        match self {
            Condition::Equals { value } => !x.is_empty() && x == value,
            Condition::OneOf { values } => !x.is_empty() && values.iter().any(|v| v == x),
            Condition::Missing => x.is_empty(),
            _ => false,
        }
    }

    fn is_numeric(&self) -> Option<bool> {
        match self {
            Condition::Equals { .. } | Condition::OneOf { .. } => Some(false),
            Condition::AtLeast { .. } | Condition::Below { .. } | Condition::Between { .. } => Some(true),
            Condition::Missing => None,
        }
    }

    fn validate(&self, field: &str) -> Result<()> {
        let finite = |name: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(Error::NonFinite { field: format!("{field}.{name}"), value: v })
            }
        };
        match *self {
            Condition::AtLeast { value } | Condition::Below { value } => finite("value", value),
            Condition::Between { min, max } => {
                finite("min", min)?;
                finite("max", max)?;
                if min >= max {
                    return Err(Error::param(format!("{field}.max"), max, format!("must be greater than min = {min}")));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Points for leads whose attribute meets a condition (fit; never decays).
///
/// ```
/// use channelwise::leads::scoring::{AttributeRule, Condition, Dimension};
/// let r = AttributeRule::new("big", Dimension::Firmographic, "employees", Condition::AtLeast { value: 200.0 }, 10.0);
/// assert_eq!(r.points, 10.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeRule {
    /// Unique rule name, shown in the breakdown.
    pub name: String,
    /// The dimension the points count towards.
    pub dimension: Dimension,
    /// The attribute column.
    pub attribute: String,
    /// When the rule applies.
    pub condition: Condition,
    /// Points given (may be negative).
    pub points: f64,
}

impl AttributeRule {
    /// A rule from its parts.
    pub fn new(name: impl Into<String>, dimension: Dimension, attribute: impl Into<String>, condition: Condition, points: f64) -> Self {
        AttributeRule { name: name.into(), dimension, attribute: attribute.into(), condition, points }
    }
}

/// Points for every event of a type: `points + per_value * value` (activity; capped and decayed).
///
/// ```
/// use channelwise::leads::scoring::{Dimension, EventRule};
/// let r = EventRule::new("read", Dimension::Engagement, "page_view", 1.0).per_value(0.01);
/// assert_eq!(r.per_value, 0.01);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    /// Unique rule name, shown in the breakdown.
    pub name: String,
    /// The dimension the points count towards.
    pub dimension: Dimension,
    /// The event type (a name in the log's vocabulary).
    pub event_type: String,
    /// Points per event (may be negative).
    pub points: f64,
    /// Points per unit of the event's value (default 0).
    #[serde(default)]
    pub per_value: f64,
}

impl EventRule {
    /// A rule giving `points` per event of `event_type`.
    pub fn new(name: impl Into<String>, dimension: Dimension, event_type: impl Into<String>, points: f64) -> Self {
        EventRule { name: name.into(), dimension, event_type: event_type.into(), points, per_value: 0.0 }
    }

    /// Sets the points per unit of value.
    pub fn per_value(mut self, per_value: f64) -> Self {
        self.per_value = per_value;
        self
    }
}

/// Weights of the five dimensions (each defaults to 1 when omitted from JSON).
///
/// ```
/// use channelwise::leads::scoring::Weights;
/// let w: Weights = Default::default();
/// assert_eq!(w.intent, 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Weight of [`Dimension::Demographic`].
    #[serde(default = "one")]
    pub demographic: f64,
    /// Weight of [`Dimension::Behavioural`].
    #[serde(default = "one")]
    pub behavioural: f64,
    /// Weight of [`Dimension::Firmographic`].
    #[serde(default = "one")]
    pub firmographic: f64,
    /// Weight of [`Dimension::Engagement`].
    #[serde(default = "one")]
    pub engagement: f64,
    /// Weight of [`Dimension::Intent`].
    #[serde(default = "one")]
    pub intent: f64,
}

fn one() -> f64 {
    1.0
}

impl Default for Weights {
    fn default() -> Self {
        Weights { demographic: 1.0, behavioural: 1.0, firmographic: 1.0, engagement: 1.0, intent: 1.0 }
    }
}

impl Weights {
    fn as_array(&self) -> [f64; 5] {
        [self.demographic, self.behavioural, self.firmographic, self.engagement, self.intent]
    }
}

/// How activity points decay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecayMode {
    /// All activity points halve every half-life since the lead's last event.
    #[default]
    Inactivity,
    /// Each event's points halve every half-life of its own age.
    EventAge,
}

/// Exponential decay of activity points.
///
/// ```
/// use channelwise::leads::scoring::{Decay, DecayMode};
/// let d = Decay { half_life_days: 30.0, mode: DecayMode::Inactivity };
/// assert_eq!(d.mode, DecayMode::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decay {
    /// Days for the points to halve.
    pub half_life_days: f64,
    /// What the age is measured from.
    #[serde(default)]
    pub mode: DecayMode,
}

/// Which part of the score a scale reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Fit plus activity.
    Total,
    /// Attribute-rule points only.
    Fit,
    /// Event-rule points only.
    Activity,
}

/// Thresholds of the grades: `[C, B, A, A+]` lower bounds, strictly increasing.
///
/// ```
/// use channelwise::leads::scoring::{Basis, GradeScale};
/// assert_eq!(GradeScale::default().thresholds, [25.0, 50.0, 75.0, 90.0]);
/// assert_eq!(GradeScale::default().basis, Basis::Total);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeScale {
    /// Lower bounds of C, B, A and A+.
    pub thresholds: [f64; 4],
    /// The score graded.
    #[serde(default = "basis_total")]
    pub basis: Basis,
}

fn basis_total() -> Basis {
    Basis::Total
}

fn basis_activity() -> Basis {
    Basis::Activity
}

impl Default for GradeScale {
    fn default() -> Self {
        GradeScale { thresholds: [25.0, 50.0, 75.0, 90.0], basis: Basis::Total }
    }
}

/// Thresholds of the temperature: `[warm, hot]` lower bounds, strictly increasing.
///
/// ```
/// use channelwise::leads::scoring::{Basis, TemperatureScale};
/// assert_eq!(TemperatureScale::default().thresholds, [10.0, 30.0]);
/// assert_eq!(TemperatureScale::default().basis, Basis::Activity);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemperatureScale {
    /// Lower bounds of warm and hot.
    pub thresholds: [f64; 2],
    /// The score read.
    #[serde(default = "basis_activity")]
    pub basis: Basis,
}

impl Default for TemperatureScale {
    fn default() -> Self {
        TemperatureScale { thresholds: [10.0, 30.0], basis: Basis::Activity }
    }
}

/// A lead's grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    /// Best.
    #[serde(rename = "A+")]
    APlus,
    /// Second.
    A,
    /// Third.
    B,
    /// Fourth.
    C,
    /// Below every threshold.
    D,
}

impl Grade {
    /// `"A+"`, `"A"`, `"B"`, `"C"` or `"D"`.
    ///
    /// ```
    /// assert_eq!(channelwise::leads::scoring::Grade::APlus.as_str(), "A+");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::APlus => "A+",
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }
}

/// A lead's temperature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Temperature {
    /// At or above the hot threshold.
    Hot,
    /// At or above the warm threshold.
    Warm,
    /// Below the warm threshold.
    Cold,
}

impl Temperature {
    /// `"hot"`, `"warm"` or `"cold"`.
    ///
    /// ```
    /// assert_eq!(channelwise::leads::scoring::Temperature::Warm.as_str(), "warm");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Temperature::Hot => "hot",
            Temperature::Warm => "warm",
            Temperature::Cold => "cold",
        }
    }
}

/// The whole scoring setup (see the [module table](self)); deserialise it from JSON or build it.
///
/// ```
/// use channelwise::leads::scoring::{Dimension, EventRule, ScoringConfig};
/// let cfg = ScoringConfig::default().event_rule(EventRule::new("demo", Dimension::Intent, "demo", 30.0)).daily_cap("demo", 30.0);
/// assert_eq!(cfg.daily_caps["demo"], 30.0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringConfig {
    /// Fit rules.
    #[serde(default)]
    pub attribute_rules: Vec<AttributeRule>,
    /// Activity rules.
    #[serde(default)]
    pub event_rules: Vec<EventRule>,
    /// Weights per dimension.
    #[serde(default)]
    pub weights: Weights,
    /// Event type -> max absolute raw points per lead per UTC day.
    #[serde(default)]
    pub daily_caps: BTreeMap<String, f64>,
    /// Decay of activity points (none if absent).
    #[serde(default)]
    pub decay: Option<Decay>,
    /// Grade thresholds.
    #[serde(default)]
    pub grades: GradeScale,
    /// Temperature thresholds.
    #[serde(default)]
    pub temperature: TemperatureScale,
}

impl ScoringConfig {
    /// Adds an attribute rule.
    pub fn attribute_rule(mut self, rule: AttributeRule) -> Self {
        self.attribute_rules.push(rule);
        self
    }

    /// Adds an event rule.
    pub fn event_rule(mut self, rule: EventRule) -> Self {
        self.event_rules.push(rule);
        self
    }

    /// Sets the weights.
    pub fn weights(mut self, weights: Weights) -> Self {
        self.weights = weights;
        self
    }

    /// Caps the absolute raw points of `event_type` per lead per UTC day.
    pub fn daily_cap(mut self, event_type: impl Into<String>, cap: f64) -> Self {
        self.daily_caps.insert(event_type.into(), cap);
        self
    }

    /// Sets the decay.
    pub fn decay(mut self, half_life_days: f64, mode: DecayMode) -> Self {
        self.decay = Some(Decay { half_life_days, mode });
        self
    }

    /// Sets the grade thresholds (lower bounds of C, B, A, A+) and basis.
    pub fn grades(mut self, thresholds: [f64; 4], basis: Basis) -> Self {
        self.grades = GradeScale { thresholds, basis };
        self
    }

    /// Sets the temperature thresholds (lower bounds of warm, hot) and basis.
    pub fn temperature(mut self, thresholds: [f64; 2], basis: Basis) -> Self {
        self.temperature = TemperatureScale { thresholds, basis };
        self
    }

    /// Checks everything that does not need the data: finite points and weights, unique
    /// non-empty rule names, valid conditions, positive caps and half-life, strictly increasing
    /// thresholds.
    ///
    /// # Errors
    /// [`Error::NonFinite`], [`Error::OutOfRange`] or [`Error::InvalidParameter`] naming the
    /// field, e.g. `grades.thresholds` or `event_rules[2].points`.
    ///
    /// ```
    /// use channelwise::leads::scoring::{Basis, ScoringConfig};
    /// let e = ScoringConfig::default().grades([10.0, 50.0, 40.0, 90.0], Basis::Total).validate().unwrap_err();
    /// assert_eq!(e.to_string(), "invalid grades.thresholds: \"[10, 50, 40, 90]\" (must be strictly increasing)");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        let names: Vec<(String, &str)> = (self.attribute_rules.iter().enumerate())
            .map(|(i, r)| (format!("attribute_rules[{i}].name"), r.name.as_str()))
            .chain(self.event_rules.iter().enumerate().map(|(i, r)| (format!("event_rules[{i}].name"), r.name.as_str())))
            .collect();
        for (j, (field, name)) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(Error::param(field, "\"\"", "a rule needs a name"));
            }
            if names[..j].iter().any(|(_, n)| n == name) {
                return Err(Error::param(field, name, "rule names must be unique"));
            }
        }
        for (i, r) in self.attribute_rules.iter().enumerate() {
            finite(format!("attribute_rules[{i}].points"), r.points)?;
            r.condition.validate(&format!("attribute_rules[{i}].condition"))?;
        }
        for (i, r) in self.event_rules.iter().enumerate() {
            finite(format!("event_rules[{i}].points"), r.points)?;
            finite(format!("event_rules[{i}].per_value"), r.per_value)?;
        }
        for (d, w) in Dimension::ALL.iter().zip(self.weights.as_array()) {
            crate::error::check_non_negative(|| format!("weights.{}", d.as_str()), w)?;
        }
        for (t, &c) in &self.daily_caps {
            positive(&format!("daily_caps.{t}"), c)?;
        }
        if let Some(d) = self.decay {
            positive("decay.half_life_days", d.half_life_days)?;
        }
        increasing("grades.thresholds", &self.grades.thresholds)?;
        increasing("temperature.thresholds", &self.temperature.thresholds)?;
        Ok(())
    }
}

fn finite(field: String, v: f64) -> Result<()> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFinite { field, value: v })
    }
}

/// Attribute columns of the leads: numeric (NaN = missing) and categorical (`""` = missing).
///
/// ```
/// use channelwise::leads::scoring::Attributes;
/// let a = Attributes::new(2).numeric("employees", vec![50.0, f64::NAN])?.categorical("title", &["VP", ""])?;
/// assert_eq!(a.n_leads(), 2);
/// assert!(Attributes::new(2).numeric("x", vec![1.0]).is_err()); // one value for two leads
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes {
    n: usize,
    numeric: BTreeMap<String, Vec<f64>>,
    categorical: BTreeMap<String, Vec<String>>,
}

impl Attributes {
    /// No attributes for `n_leads` leads.
    pub fn new(n_leads: usize) -> Self {
        Attributes { n: n_leads, ..Default::default() }
    }

    /// Number of leads.
    pub fn n_leads(&self) -> usize {
        self.n
    }

    /// Adds a numeric column (NaN marks a missing value).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::NonFinite`] for an infinity, naming `name[i]`;
    /// [`Error::InvalidParameter`] if the name is taken.
    pub fn numeric(mut self, name: impl Into<String>, values: Vec<f64>) -> Result<Self> {
        let name = name.into();
        self.check_new(&name, values.len())?;
        if let Some(i) = values.iter().position(|v| v.is_infinite()) {
            return Err(Error::NonFinite { field: format!("{name}[{i}]"), value: values[i] });
        }
        self.numeric.insert(name, values);
        Ok(self)
    }

    /// Adds a categorical column (`""` marks a missing value).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] if the name is taken.
    pub fn categorical<S: AsRef<str>>(mut self, name: impl Into<String>, values: &[S]) -> Result<Self> {
        let name = name.into();
        self.check_new(&name, values.len())?;
        self.categorical.insert(name, values.iter().map(|s| s.as_ref().to_string()).collect());
        Ok(self)
    }

    fn check_new(&self, name: &str, len: usize) -> Result<()> {
        if self.numeric.contains_key(name) || self.categorical.contains_key(name) {
            return Err(Error::param("attribute", name, "an attribute of that name was already added"));
        }
        if len != self.n {
            return Err(Error::LengthMismatch { field: name.into(), expected: self.n, got: len });
        }
        Ok(())
    }
}

/// Scores of all leads, with breakdowns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Rule names: the attribute rules, then the event rules, in config order.
    pub rule_names: Vec<String>,
    /// The dimension of each rule.
    pub rule_dimensions: Vec<Dimension>,
    /// Total score per lead (fit + activity).
    pub total: Vec<f64>,
    /// Attribute-rule points per lead.
    pub fit: Vec<f64>,
    /// Event-rule points per lead (after caps, decay and weights).
    pub activity: Vec<f64>,
    /// Points per lead per dimension, in [`Dimension::ALL`] order.
    pub dimensions: Vec<[f64; 5]>,
    /// Points per lead per rule, row-major (`rules[lead * rule_names.len() + r]`).
    pub rules: Vec<f64>,
    /// Grade per lead.
    pub grade: Vec<Grade>,
    /// Temperature per lead.
    pub temperature: Vec<Temperature>,
    /// Latest event at or before `as_of` per lead (unix seconds), if any.
    pub last_activity: Vec<Option<i64>>,
}

/// One lead's score, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadScore {
    /// The lead.
    pub lead: usize,
    /// Total score.
    pub total: f64,
    /// Grade.
    pub grade: Grade,
    /// Temperature.
    pub temperature: Temperature,
    /// Points per dimension (every dimension, in [`Dimension::ALL`] order).
    pub dimensions: Vec<(Dimension, f64)>,
    /// Rules that gave non-zero points: `(name, points)`, largest absolute first.
    pub rules: Vec<(String, f64)>,
}

impl Scores {
    /// Number of leads.
    pub fn len(&self) -> usize {
        self.total.len()
    }

    /// Whether there are no leads.
    pub fn is_empty(&self) -> bool {
        self.total.is_empty()
    }

    /// The per-rule points of `lead`, in [`Scores::rule_names`] order (`None` past the end).
    pub fn rule_points(&self, lead: usize) -> Option<&[f64]> {
        let r = self.rule_names.len();
        self.rules.get(lead * r..(lead + 1) * r)
    }

    /// `lead`'s score with its non-zero rules, largest first (`None` past the end).
    ///
    /// ```
    /// use channelwise::leads::{scoring::*, EventLog};
    /// let cfg = ScoringConfig::default().event_rule(EventRule::new("demo", Dimension::Intent, "demo", 30.0));
    /// let log = EventLog::new(1, vec!["demo".into()], &[0], &[0], &[0], None)?;
    /// let s = score(&cfg, &Attributes::new(1), &log, 0)?;
    /// let why = s.explain(0).unwrap();
    /// assert_eq!(why.rules, vec![("demo".to_string(), 30.0)]);
    /// assert_eq!(why.temperature, Temperature::Hot);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn explain(&self, lead: usize) -> Option<LeadScore> {
        let pts = self.rule_points(lead)?;
        let mut rules: Vec<(String, f64)> =
            self.rule_names.iter().zip(pts).filter(|&(_, &p)| p != 0.0).map(|(n, &p)| (n.clone(), p)).collect();
        crate::stats::sort_by_f64_key(&mut rules, |r| -r.1.abs()); // descending
        Some(LeadScore {
            lead,
            total: self.total[lead],
            grade: self.grade[lead],
            temperature: self.temperature[lead],
            dimensions: Dimension::ALL.iter().map(|&d| (d, self.dimensions[lead][d.index()])).collect(),
            rules,
        })
    }
}

/// Scores every lead of `events` as of `as_of` (unix seconds) under `config`.
///
/// Time O(events x rules per event type + leads x attribute rules); memory one `f64` per lead
/// and rule for the breakdown.
///
/// # Errors
/// Everything [`ScoringConfig::validate`] reports; [`Error::LengthMismatch`] if `attributes`
/// is not for `events.n_leads()` leads; [`Error::InvalidParameter`] for a rule on an unknown
/// attribute or event type, a text condition on a numeric attribute (or the reverse), a cap
/// on an unknown event type, or naming `config` when the per-rule breakdown (leads x rules)
/// needs more memory than can be had.
///
/// ```
/// use channelwise::leads::{scoring::*, EventLog};
/// let cfg = ScoringConfig::default()
///     .attribute_rule(AttributeRule::new("vp", Dimension::Demographic, "title", Condition::Equals { value: "VP".into() }, 20.0))
///     .event_rule(EventRule::new("visit", Dimension::Behavioural, "visit", 5.0))
///     .daily_cap("visit", 10.0)
///     .decay(7.0, DecayMode::Inactivity);
/// let attrs = Attributes::new(2).categorical("title", &["VP", "Intern"])?;
/// let day = 86_400;
/// // lead 0: three visits at t = 0 (15 points capped to 10), then silent for 7 days; lead 1: one visit on day 7
/// let ts = [0, 0, 0, 7 * day];
/// let log = EventLog::new(2, vec!["visit".into()], &[0, 0, 0, 1], &ts, &[0; 4], None)?;
/// let s = score(&cfg, &attrs, &log, 7 * day)?;
/// assert!((s.total[0] - (20.0 + 10.0 * 0.5)).abs() < 1e-12); // cap, then one half-life of decay
/// assert_eq!(s.total[1], 5.0);
/// assert_eq!(s.grade[0], Grade::C);
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn score(config: &ScoringConfig, attributes: &Attributes, events: &EventLog<'_>, as_of: i64) -> Result<Scores> {
    config.validate()?;
    let n = events.n_leads();
    if attributes.n != n {
        return Err(Error::LengthMismatch { field: "attributes".into(), expected: n, got: attributes.n });
    }
    let n_attr = config.attribute_rules.len();
    let n_rules = n_attr + config.event_rules.len();
    let w = config.weights.as_array();

    // per event type: the event rules on it (rule index, weighted points, weighted per_value)
    let n_types = events.event_types().len();
    let mut on_type: Vec<Vec<(usize, f64, f64, f64)>> = vec![Vec::new(); n_types];
    for (i, r) in config.event_rules.iter().enumerate() {
        let t = events.type_id_for(&format!("event_rules[{i}].event_type"), &r.event_type)?;
        on_type[t as usize].push((n_attr + i, r.points, r.per_value, w[r.dimension.index()]));
    }
    let (type_start, type_rules) = flatten(&on_type);
    let mut cap = vec![f64::INFINITY; n_types];
    for (t, &c) in &config.daily_caps {
        cap[events.type_id_for(&format!("daily_caps.{t}"), t)? as usize] = c;
    }
    let any_cap = cap.iter().any(|c| c.is_finite());

    let mut rules = crate::memory::filled(
        &[n, n_rules],
        0.0,
        "config",
        "leads x rules",
        "the breakdown keeps each rule's points per lead: score the leads in batches",
    )?;
    for (ri, r) in config.attribute_rules.iter().enumerate() {
        let field = || format!("attribute_rules[{ri}].attribute");
        let pts = r.points * w[r.dimension.index()];
        if let Some(col) = attributes.numeric.get(&r.attribute) {
            if r.condition.is_numeric() == Some(false) {
                return Err(Error::param(field(), &r.attribute, "a text condition on a numeric attribute"));
            }
            for (l, &x) in col.iter().enumerate() {
                if r.condition.matches_number(x) {
                    rules[l * n_rules + ri] = pts;
                }
            }
        } else if let Some(col) = attributes.categorical.get(&r.attribute) {
            if r.condition.is_numeric() == Some(true) {
                return Err(Error::param(field(), &r.attribute, "a numeric condition on a categorical attribute"));
            }
            for (l, x) in col.iter().enumerate() {
                if r.condition.matches_text(x) {
                    rules[l * n_rules + ri] = pts;
                }
            }
        } else {
            return Err(Error::param(field(), &r.attribute, "unknown attribute"));
        }
    }

    let ctx = Activity {
        n_rules,
        type_start: &type_start,
        type_rules: &type_rules,
        cap: &cap,
        any_cap,
        half_life: config.decay.map(|d| (d.half_life_days * DAY, d.mode)),
        as_of,
    };
    let (offsets, sorted) = events.lead_offsets();
    let mut last_activity = vec![None; n];
    let (ts, types) = (events.timestamps(), events.types());
    if sorted {
        ctx.run(&offsets, |i| (ts[i], types[i], events.value(i)), &mut rules, &mut last_activity);
    } else {
        // one scattered write per row, then every lead's rows are contiguous (reading the three
        // columns at random would miss the cache three times per row, twice)
        let mut next = offsets.clone();
        let mut packed = vec![(0i64, 0u32, 0.0f64); ts.len()];
        for (i, &l) in events.leads().iter().enumerate() {
            let slot = &mut next[l as usize];
            packed[*slot] = (ts[i], types[i], events.value(i));
            *slot += 1;
        }
        ctx.run(&offsets, |i| packed[i], &mut rules, &mut last_activity);
    }

    let rule_dimensions: Vec<Dimension> = config
        .attribute_rules
        .iter()
        .map(|r| r.dimension)
        .chain(config.event_rules.iter().map(|r| r.dimension))
        .collect();
    let mut dimensions = vec![[0.0; 5]; n];
    let (mut total, mut fit, mut activity) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let (mut grade, mut temperature) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for l in 0..n {
        let cells = &rules[l * n_rules..(l + 1) * n_rules];
        for (r, &p) in cells.iter().enumerate() {
            dimensions[l][rule_dimensions[r].index()] += p;
        }
        // folded from +0: `sum()` of no rules is -0 (Rust's float `Sum` starts there)
        fit[l] = cells[..n_attr].iter().fold(0.0, |a, b| a + b);
        activity[l] = cells[n_attr..].iter().fold(0.0, |a, b| a + b);
        total[l] = fit[l] + activity[l];
        let pick = |b: Basis| match b {
            Basis::Total => total[l],
            Basis::Fit => fit[l],
            Basis::Activity => activity[l],
        };
        let g = pick(config.grades.basis);
        let th = &config.grades.thresholds;
        grade.push(if g >= th[3] {
            Grade::APlus
        } else if g >= th[2] {
            Grade::A
        } else if g >= th[1] {
            Grade::B
        } else if g >= th[0] {
            Grade::C
        } else {
            Grade::D
        });
        let h = pick(config.temperature.basis);
        let th = &config.temperature.thresholds;
        temperature.push(if h >= th[1] {
            Temperature::Hot
        } else if h >= th[0] {
            Temperature::Warm
        } else {
            Temperature::Cold
        });
    }
    let rule_names =
        config.attribute_rules.iter().map(|r| r.name.clone()).chain(config.event_rules.iter().map(|r| r.name.clone())).collect();
    Ok(Scores { rule_names, rule_dimensions, total, fit, activity, dimensions, rules, grade, temperature, last_activity })
}

/// What the activity loop needs (see [`score`]).
struct Activity<'a> {
    n_rules: usize,
    /// rules of event type `t`: `type_rules[type_start[t]..type_start[t + 1]]`
    type_start: &'a [usize],
    /// (rule index, points, points per value, dimension weight)
    type_rules: &'a [(usize, f64, f64, f64)],
    cap: &'a [f64],
    any_cap: bool,
    half_life: Option<(f64, DecayMode)>,
    as_of: i64,
}

impl Activity<'_> {
    /// Adds every lead's activity points to its rule cells; `row(i)` is the `i`-th row in lead
    /// order, lead `l` owning rows `offsets[l]..offsets[l + 1]`.
    fn run(&self, offsets: &[usize], row: impl Fn(usize) -> (i64, u32, f64), rules: &mut [f64], last_activity: &mut [Option<i64>]) {
        let as_of = self.as_of;
        let r = self.n_rules;
        // the capped rows of the current lead: (type, day, raw points, row within the lead),
        // and each such row's cap scale (a sort by (type, day) groups them: no search per row)
        let mut capped: Vec<(u32, i64, f64, u32)> = Vec::new();
        let mut scale: Vec<f64> = Vec::new();
        for (l, last_out) in last_activity.iter_mut().enumerate() {
            let lead_rows = offsets[l]..offsets[l + 1];
            let mut last = i64::MIN;
            capped.clear();
            for i in lead_rows.clone() {
                let (t, ty, v) = row(i);
                if t > as_of {
                    continue;
                }
                last = last.max(t);
                if self.any_cap && self.cap[ty as usize].is_finite() {
                    let raw: f64 = self.rules_of(ty).iter().map(|&(_, p, pv, _)| p + pv * v).sum();
                    capped.push((ty, t.div_euclid(86_400), raw, (i - offsets[l]) as u32));
                }
            }
            if last == i64::MIN {
                continue;
            }
            *last_out = Some(last);
            if !capped.is_empty() {
                // stable: a day's points add up in row order
                capped.sort_by_key(|a| (a.0, a.1));
                scale.resize(lead_rows.len(), 1.0);
                for group in capped.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
                    let total: f64 = group.iter().map(|g| g.2).sum();
                    let c = self.cap[group[0].0 as usize];
                    let s = if total.abs() > c { c / total.abs() } else { 1.0 };
                    for g in group {
                        scale[g.3 as usize] = s;
                    }
                }
            }
            let lead_decay = match self.half_life {
                Some((h, DecayMode::Inactivity)) => (-age(as_of, last) / h).exp2(),
                _ => 1.0,
            };
            let cells = &mut rules[l * r..(l + 1) * r];
            for i in lead_rows.clone() {
                let (t, ty, v) = row(i);
                if t > as_of {
                    continue;
                }
                let mut f = match self.half_life {
                    Some((h, DecayMode::EventAge)) => (-age(as_of, t) / h).exp2(),
                    _ => lead_decay,
                };
                if self.any_cap && self.cap[ty as usize].is_finite() {
                    f *= scale[i - lead_rows.start];
                }
                for &(ri, p, pv, wd) in self.rules_of(ty) {
                    cells[ri] += wd * (p + pv * v) * f;
                }
            }
        }
    }

    fn rules_of(&self, ty: u32) -> &[(usize, f64, f64, f64)] {
        &self.type_rules[self.type_start[ty as usize]..self.type_start[ty as usize + 1]]
    }
}

/// Seconds from `t` to `as_of` (no overflow for any pair of `i64`).
fn age(as_of: i64, t: i64) -> f64 {
    (i128::from(as_of) - i128::from(t)) as f64
}

/// Flattens per-type rule lists into one array with offsets.
fn flatten<T: Copy>(lists: &[Vec<T>]) -> (Vec<usize>, Vec<T>) {
    let mut start = Vec::with_capacity(lists.len() + 1);
    let mut flat = Vec::new();
    start.push(0);
    for l in lists {
        flat.extend_from_slice(l);
        start.push(flat.len());
    }
    (start, flat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log<'a>(lead: &'a [u32], ts: &'a [i64], ty: &'a [u32], v: Option<&'a [f64]>) -> EventLog<'a> {
        EventLog::new(2, vec!["visit".into(), "demo".into()], lead, ts, ty, v).unwrap()
    }

    #[test]
    fn caps_scale_a_day_and_decay_by_age() {
        let cfg = ScoringConfig::default()
            .event_rule(EventRule::new("v", Dimension::Behavioural, "visit", 4.0))
            .event_rule(EventRule::new("d", Dimension::Intent, "demo", 10.0).per_value(2.0))
            .daily_cap("visit", 6.0)
            .decay(1.0, DecayMode::EventAge)
            .weights(Weights { intent: 2.0, ..Weights::default() });
        let day = 86_400;
        // lead 0: visits at day 0 (x2, raw 8 -> capped 6) and day 1 (raw 4); demo value 1 at day 2
        let s = score(
            &cfg,
            &Attributes::new(2),
            &log(&[0, 0, 0, 0], &[0, 100, day, 2 * day], &[0, 0, 0, 1], Some(&[0.0, 0.0, 0.0, 1.0])),
            2 * day,
        )
        .unwrap();
        let want_v = 6.0 * 0.25 + 4.0 * 0.5 * 1.0;
        // the two day-0 visits are a few seconds apart: their decays differ slightly
        let day0 = 3.0 * (0.0f64 / day as f64 - 2.0).exp2() + 3.0 * (100.0 / day as f64 - 2.0).exp2();
        assert!((s.rules[0] - (day0 + 4.0 * 0.5)).abs() < 1e-12, "{} vs {want_v}", s.rules[0]);
        assert_eq!(s.rules[1], 2.0 * 12.0);
        assert_eq!(s.dimensions[0][Dimension::Intent.index()], 24.0);
        assert_eq!(s.last_activity, vec![Some(2 * day), None]);
        assert_eq!(s.total[1], 0.0);
        assert_eq!(s.grade[1], Grade::D);
        assert_eq!(s.temperature[0], Temperature::Warm);
    }

    #[test]
    fn events_after_as_of_are_ignored() {
        let cfg = ScoringConfig::default().event_rule(EventRule::new("v", Dimension::Behavioural, "visit", 1.0));
        let s = score(&cfg, &Attributes::new(2), &log(&[0, 0], &[5, 50], &[0, 0], None), 10).unwrap();
        assert_eq!(s.total, vec![1.0, 0.0]);
        // no attribute rules: fit is +0, not the -0 an empty `sum()` gives (JS shows -0)
        assert!(s.fit.iter().chain(&s.total).chain(&s.activity).all(|x| x.is_sign_positive()));
    }

    #[test]
    fn bad_configs_name_the_field() {
        let l = log(&[0], &[0], &[0], None);
        let a = Attributes::new(2);
        let e = score(&ScoringConfig::default().event_rule(EventRule::new("x", Dimension::Intent, "nope", 1.0)), &a, &l, 0)
            .unwrap_err();
        assert!(e.to_string().starts_with("invalid event_rules[0].event_type: \"nope\" (unknown event type"), "{e}");
        let e = score(&ScoringConfig::default().daily_cap("visit", 0.0), &a, &l, 0).unwrap_err();
        assert_eq!(e.to_string(), "invalid daily_caps.visit: \"0\" (must be greater than 0)");
        let e = score(&ScoringConfig::default().temperature([5.0, 5.0], Basis::Total), &a, &l, 0).unwrap_err();
        assert!(e.to_string().contains("temperature.thresholds"));
        let rule = AttributeRule::new("x", Dimension::Demographic, "t", Condition::AtLeast { value: 1.0 }, 1.0);
        let e = score(&ScoringConfig::default().attribute_rule(rule.clone()), &a, &l, 0).unwrap_err();
        assert!(e.to_string().contains("unknown attribute"));
        let a2 = Attributes::new(2).categorical("t", &["a", "b"]).unwrap();
        let e = score(&ScoringConfig::default().attribute_rule(rule.clone()), &a2, &l, 0).unwrap_err();
        assert!(e.to_string().contains("numeric condition on a categorical"));
        let e = score(&ScoringConfig::default().attribute_rule(rule.clone()).attribute_rule(rule), &a2, &l, 0).unwrap_err();
        assert!(e.to_string().contains("unique"));
        let e = score(&ScoringConfig::default(), &Attributes::new(3), &l, 0).unwrap_err();
        assert_eq!(e.kind().code(), "length_mismatch");
        let w = Weights { engagement: -1.0, ..Weights::default() };
        assert_eq!(ScoringConfig::default().weights(w).validate().unwrap_err().kind().code(), "out_of_range");
        let bad = Condition::Between { min: 2.0, max: 1.0 };
        let cfg = ScoringConfig::default().attribute_rule(AttributeRule::new("b", Dimension::Demographic, "t", bad, 1.0));
        assert!(cfg.validate().unwrap_err().to_string().contains("attribute_rules[0].condition.max"));
    }

    #[test]
    fn missing_values_match_only_missing() {
        let a = Attributes::new(2).numeric("n", vec![f64::NAN, 3.0]).unwrap().categorical("c", &["", "x"]).unwrap();
        let cfg = ScoringConfig::default()
            .attribute_rule(AttributeRule::new("nm", Dimension::Firmographic, "n", Condition::Missing, 1.0))
            .attribute_rule(AttributeRule::new("lo", Dimension::Firmographic, "n", Condition::Below { value: 5.0 }, 2.0))
            .attribute_rule(AttributeRule::new("cm", Dimension::Demographic, "c", Condition::Missing, 4.0))
            .attribute_rule(AttributeRule::new("cx", Dimension::Demographic, "c", Condition::OneOf { values: vec!["x".into()] }, 8.0));
        let s = score(&cfg, &a, &log(&[], &[], &[], None), 0).unwrap();
        assert_eq!(s.total, vec![5.0, 10.0]);
        assert_eq!(s.fit, s.total);
        assert_eq!(s.explain(1).unwrap().rules, vec![("cx".to_string(), 8.0), ("lo".to_string(), 2.0)]);
        assert!(s.explain(2).is_none());
    }

    #[test]
    fn config_round_trips_through_json_shape() {
        let json = r#"{ "attribute_rules": [ { "name": "vp", "dimension": "demographic", "attribute": "title",
              "condition": { "op": "equals", "value": "VP" }, "points": 15 } ],
            "event_rules": [ { "name": "read", "dimension": "engagement", "event_type": "page_view", "points": 1, "per_value": 0.01 } ],
            "weights": { "intent": 1.5 }, "daily_caps": { "page_view": 10 },
            "decay": { "half_life_days": 30 }, "grades": { "thresholds": [1, 2, 3, 4] } }"#;
        let cfg: ScoringConfig = serde_json::from_str(json).unwrap();
        assert_eq!(cfg.weights.intent, 1.5);
        assert_eq!(cfg.weights.demographic, 1.0);
        assert_eq!(cfg.decay.unwrap().mode, DecayMode::Inactivity);
        assert_eq!(cfg.grades.basis, Basis::Total);
        assert_eq!(cfg.temperature, TemperatureScale::default());
        let back: ScoringConfig = serde_json::from_str(&serde_json::to_string(&cfg).unwrap()).unwrap();
        assert_eq!(back, cfg);
        assert!(serde_json::from_str::<ScoringConfig>(r#"{ "weight": {} }"#).is_err());
    }
}
