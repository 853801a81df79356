//! `leads.*`: funnels, cohort tables, rule-based scores, lifecycle stages and journey health
//! (the core's `leads`), over an event log given as columns.
//!
//! The core reads dense lead indices and event-type ids; here, as in Python's `cw.leads`, lead
//! ids (strings or numbers) are interned in first-seen order (or in the order of
//! `events.leads`) and event names in first-seen order (or that of `events.eventTypes`), and
//! results carry the ids back. Option objects are camelCase; core field names in errors are
//! renamed to the JS names (`funnel.windowSeconds`, `config.eventRules[0].eventType`).

use std::collections::HashMap;

pub mod predictive;

use channelwise::leads::cohort::{Cohorts, Period};
use channelwise::leads::funnel::{Exclusion, Funnel as CoreFunnel, RelativeTo, StepOrder};
use channelwise::leads::health::Health;
use channelwise::leads::lifecycle::{StageConfig, StageMachine};
use channelwise::leads::scoring::{self, Attributes, Dimension, ScoringConfig};
use channelwise::leads::EventLog;
use channelwise::{Error, Result};
use serde_json::Value;

use crate::api::{arg, job, Job};
use crate::decl::{Fixed, FromJs, Time};
use crate::host::{Host, Kind};
use crate::keys::camel;
use crate::optimize::renamed;
use crate::out::{F64s, IntoOut, Nullable, Out};
use crate::{js_options, js_result, read};

// ---- lead ids and the event log ------------------------------------------------------------

/// A lead id as the caller gave it: a string or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum LeadId {
    /// A string id.
    Text(String),
    /// A numeric id.
    Number(f64),
}

/// The hashable form of a [`LeadId`] (numbers by their bits, `-0` as `0`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Text(String),
    Number(u64),
}

impl LeadId {
    fn key(&self) -> Key {
        match self {
            LeadId::Text(s) => Key::Text(s.clone()),
            LeadId::Number(x) => Key::Number((x + 0.0).to_bits()),
        }
    }

    fn shown(&self) -> String {
        match self {
            LeadId::Text(s) => s.clone(),
            LeadId::Number(x) => x.to_string(),
        }
    }
}

impl IntoOut for LeadId {
    fn into_out(self) -> Out {
        match self {
            LeadId::Text(s) => Out::String(s),
            LeadId::Number(x) => Out::Number(x),
        }
    }
    fn ts() -> String {
        "string | number".into()
    }
}

/// Lead ids: `string[]`, `number[]` (mixed allowed) or a typed array of numbers.
fn lead_ids<H: Host>(h: H, v: &H::V, field: &str) -> Result<Vec<LeadId>> {
    let finite = |x: f64, i: usize| {
        if x.is_finite() {
            Ok(LeadId::Number(x))
        } else {
            Err(Error::NonFinite {
                field: format!("{field}[{i}]"),
                value: x,
            })
        }
    };
    if h.kind(v) == Kind::Object && !read::is_array(h, v, field)? {
        let xs = read::numbers(h, v, field)?;
        return xs
            .into_iter()
            .enumerate()
            .map(|(i, x)| finite(x, i))
            .collect();
    }
    let n = read::array_len(h, v, field, "an array of lead ids (strings or numbers)")?;
    (0..n)
        .map(|i| {
            let x = read::element(h, v, i, field)?;
            let at = format!("{field}[{i}]");
            match h.kind(&x) {
                Kind::String => read::string(h, &x, &at).map(LeadId::Text),
                Kind::Number => finite(h.number(&x), i as usize),
                _ => Err(read::wrong(h, &at, &x, "a lead id (a string or a number)")),
            }
        })
        .collect()
}

/// Lead ids in index order and their indices.
#[derive(Default)]
struct Interner {
    ids: Vec<LeadId>,
    index: HashMap<Key, u32>,
}

impl Interner {
    /// Adds ids that must be new (`field` names the list for a repeated one).
    fn add_unique(&mut self, ids: Vec<LeadId>, field: &str) -> Result<()> {
        for (i, id) in ids.into_iter().enumerate() {
            if self.index.contains_key(&id.key()) {
                return Err(Error::InvalidRecord {
                    row: i,
                    column: field.into(),
                    value: id.shown(),
                    reason: "a lead id may appear once".into(),
                });
            }
            self.push(id);
        }
        Ok(())
    }

    fn push(&mut self, id: LeadId) -> u32 {
        let next = self.ids.len() as u32;
        self.index.insert(id.key(), next);
        self.ids.push(id);
        next
    }

    /// The index of every id, adding new ones unless `closed` (then an unknown id is an error
    /// naming `field` and `row`).
    fn indices(
        &mut self,
        ids: &[LeadId],
        closed: bool,
        field: &str,
        list: &str,
    ) -> Result<Vec<u32>> {
        ids.iter()
            .enumerate()
            .map(|(row, id)| match self.index.get(&id.key()) {
                Some(&i) => Ok(i),
                None if closed => Err(Error::InvalidRecord {
                    row,
                    column: field.into(),
                    value: id.shown(),
                    reason: format!("not in {list}"),
                }),
                None => Ok(self.push(id.clone())),
            })
            .collect()
    }
}

/// An event log read from JS: the lead ids in index order and the core's columns.
pub struct Events {
    ids: Vec<LeadId>,
    types: Vec<String>,
    lead: Vec<u32>,
    ts: Vec<i64>,
    ty: Vec<u32>,
    value: Option<Vec<f64>>,
}

impl Events {
    fn log(&self) -> Result<EventLog<'_>> {
        EventLog::new(
            self.ids.len(),
            self.types.clone(),
            &self.lead,
            &self.ts,
            &self.ty,
            self.value.as_deref(),
        )
        .map_err(|e| column_error(e, "events"))
    }
}

/// A core error about a column of a log (`value`, `event_type`) named as the JS caller wrote it
/// (`events.value`, `events.event`; `log.stage`).
fn column_error(e: Error, arg: &str) -> Error {
    let name = |c: &str| format!("{arg}.{}", if c == "event_type" { "event" } else { c });
    match e {
        Error::InvalidRecord {
            row,
            column,
            value,
            reason,
        } => Error::InvalidRecord {
            row,
            column: name(&column),
            value,
            reason,
        },
        e => renamed(e, |f| {
            matches!(
                f,
                "lead" | "timestamp" | "value" | "event_type" | "stage" | "reason"
            )
            .then(|| name(f))
        }),
    }
}

const EVENT_KEYS: &[&str] = &["lead", "timestamp", "event", "value", "leads", "eventTypes"];

/// The columns of an event table's row, when the table is given as rows (`leads` and
/// `eventTypes` are the whole table's).
pub const EVENT_ROW_COLUMNS: &[&str] = &["lead", "timestamp", "event", "value"];

/// Reads `{ lead, timestamp, event, value?, leads?, eventTypes? }` at `field`; the leads of
/// `first` (an attributes table's) come first.
fn events<H: Host>(h: H, v: &H::V, field: &str, first: Vec<LeadId>) -> Result<Events> {
    let obj = read::table(h, v, field, EVENT_KEYS)?.ok_or_else(|| read::missing(field))?;
    let at = |k: &str| format!("{field}.{k}");
    let ids = lead_ids(
        h,
        &read::require(h, &obj, "lead", &at("lead"))?,
        &at("lead"),
    )?;
    let ts = read::timestamps(
        h,
        &read::require(h, &obj, "timestamp", &at("timestamp"))?,
        &at("timestamp"),
    )
    .map_err(|e| column_error(e, field))?;
    let names = read::strings(
        h,
        &read::require(h, &obj, "event", &at("event"))?,
        &at("event"),
    )?;
    let value = read::get(h, &obj, "value", &at("value"))?
        .map(|x| read::numbers(h, &x, &at("value")))
        .transpose()?;
    read::check_len(&at("timestamp"), ts.len(), ids.len())?;
    read::check_len(&at("event"), names.len(), ids.len())?;
    if let Some(x) = &value {
        read::check_len(&at("value"), x.len(), ids.len())?;
    }
    let mut leads = Interner::default();
    leads.add_unique(first, "attributes.lead")?;
    let listed = read::get(h, &obj, "leads", &at("leads"))?;
    if let Some(l) = &listed {
        let l = lead_ids(h, l, &at("leads"))?;
        let fresh = l
            .into_iter()
            .filter(|id| !leads.index.contains_key(&id.key()))
            .collect();
        leads.add_unique(fresh, &at("leads"))?;
    }
    let lead = leads.indices(&ids, listed.is_some(), &at("lead"), &at("leads"))?;
    let (types, ty) = match read::get(h, &obj, "eventTypes", &at("eventTypes"))? {
        Some(t) => {
            let types = read::strings(h, &t, &at("eventTypes"))?;
            let index: HashMap<&str, u32> = types
                .iter()
                .enumerate()
                .map(|(i, t)| (t.as_str(), i as u32))
                .collect();
            let ty = names
                .iter()
                .enumerate()
                .map(|(row, n)| {
                    index
                        .get(n.as_str())
                        .copied()
                        .ok_or_else(|| Error::InvalidRecord {
                            row,
                            column: at("event"),
                            value: n.clone(),
                            reason: format!("not in {}", at("eventTypes")),
                        })
                })
                .collect::<Result<Vec<u32>>>()?;
            (types, ty)
        }
        None => {
            let mut types: Vec<String> = Vec::new();
            let mut index: HashMap<String, u32> = HashMap::new();
            let ty = names
                .into_iter()
                .map(|n| {
                    *index.entry(n).or_insert_with_key(|n| {
                        types.push(n.clone());
                        types.len() as u32 - 1
                    })
                })
                .collect();
            (types, ty)
        }
    };
    Ok(Events {
        ids: leads.ids,
        types,
        lead,
        ts,
        ty,
        value,
    })
}

/// A core setting `f` of the JS argument `arg` (`window_seconds` -> `funnel.windowSeconds`).
fn setting(arg: &str, f: &str) -> String {
    format!("{arg}.{}", camel(f))
}

/// `s` as the enum `T` (its serde name), or `invalid_parameter` naming `field`.
fn variant<T: serde::de::DeserializeOwned>(field: &str, s: &str, expected: &str) -> Result<T> {
    serde_json::from_value(Value::String(s.into())).map_err(|_| Error::InvalidParameter {
        field: field.into(),
        value: s.into(),
        reason: format!("expected one of {expected}"),
    })
}

/// `string[]`, for option fields.
pub struct Names(pub Vec<String>);

impl FromJs for Names {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        read::strings(h, v, field).map(Names)
    }
    fn ts() -> String {
        "string[]".into()
    }
}

// ---- funnel --------------------------------------------------------------------------------

js_options! {
    /// An event between two steps that disqualifies the attempt.
    pub struct FunnelExclusion {
        /// The excluded event name.
        eventType: String = required,
        /// The step after which it disqualifies (0-based).
        fromStep: usize = required,
        /// The step before which it disqualifies (after `fromStep`).
        toStep: usize = required,
    }
}

/// `FunnelExclusion[]`.
pub struct Exclusions(pub Vec<Exclusion>);

impl FromJs for Exclusions {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let n = read::array_len(h, v, field, "an array of exclusions")?;
        (0..n)
            .map(|i| {
                let x = FunnelExclusion::read(
                    h,
                    &read::element(h, v, i, field)?,
                    &format!("{field}[{i}]"),
                )?;
                Ok(Exclusion::new(
                    x.eventType.unwrap_or_default(),
                    x.fromStep.unwrap_or_default(),
                    x.toStep.unwrap_or_default(),
                ))
            })
            .collect::<Result<_>>()
            .map(Exclusions)
    }
    fn ts() -> String {
        "FunnelExclusion[]".into()
    }
}

js_options! {
    /// A funnel (PostHog's semantics: each lead counted once, at the furthest step any attempt
    /// reached within the window from its first step).
    pub struct FunnelOptions {
        /// Event names of the steps, in order (at least two).
        steps: Names = required,
        /// `'sequential'` (default: in order, other events between allowed), `'strict'` (no
        /// other event between) or `'any'` (in any order).
        order: String,
        /// Conversion window from the first step, in seconds (default 14 days).
        windowSeconds: i64,
        /// Rates against the `'first'` (default) or the `'previous'` step.
        relativeTo: String,
        /// Events that disqualify an attempt between two steps.
        exclusions: Exclusions,
    }
}

js_result! {
    /// One step of a funnel.
    pub struct FunnelStep {
        /// The step's event name.
        step: String,
        /// Leads that reached it.
        count: usize,
        /// `count` over the first (or previous) step's count.
        conversionRate: f64,
        /// Leads of the previous step that did not reach it (0 for the first step).
        dropOff: usize,
        /// Median seconds from the previous step (`null` for the first step or when no lead
        /// reached it).
        medianSecondsFromPrevious: Nullable<f64>,
    }
}

js_result! {
    /// A funnel's result.
    pub struct Funnel {
        /// One row per step.
        steps: Vec<FunnelStep>,
        /// Every lead id, in the order of `furthestStep`.
        leads: Vec<LeadId>,
        /// Steps each lead reached (0: it never did the first).
        furthestStep: Vec<usize>,
    }
}

/// `leads.funnel(events, funnel)`.
pub fn funnel<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = FunnelOptions::read(h, &arg(h, a, 1)?, "funnel")?;
    let mut f = CoreFunnel::new(&o.steps.map(|s| s.0).unwrap_or_default());
    if let Some(s) = &o.order {
        f = f.order(variant::<StepOrder>(
            "funnel.order",
            s,
            "'sequential', 'strict', 'any'",
        )?);
    }
    if let Some(w) = o.windowSeconds {
        f = f.window_seconds(w);
    }
    if let Some(s) = &o.relativeTo {
        f = f.relative_to(variant::<RelativeTo>(
            "funnel.relativeTo",
            s,
            "'first', 'previous'",
        )?);
    }
    for x in o.exclusions.map(|x| x.0).unwrap_or_default() {
        f = f.exclude(x);
    }
    let ev = events(h, &arg(h, a, 0)?, "events", Vec::new())?;
    job(move || {
        let r = f.run(&ev.log()?).map_err(|e| settings_error(e, "funnel"))?;
        let steps = (0..r.steps.len())
            .map(|i| FunnelStep {
                step: r.steps[i].clone(),
                count: r.counts[i] as usize,
                conversionRate: r.conversion_rate[i],
                dropOff: r.drop_off[i] as usize,
                medianSecondsFromPrevious: Nullable(r.median_seconds_from_previous[i]),
            })
            .collect();
        Ok(Funnel {
            steps,
            leads: ev.ids,
            furthestStep: r.furthest_step.iter().map(|&s| s as usize).collect(),
        })
    })
}

/// A core error with its setting fields renamed for the JS argument `arg`.
fn settings_error(e: Error, arg: &str) -> Error {
    renamed(e, |f| Some(setting(arg, f)))
}

// ---- cohorts -------------------------------------------------------------------------------

js_options! {
    /// A cohort table (all times UTC).
    pub struct CohortOptions {
        /// `'day'`, `'week'` (ISO, from Monday) or `'month'` (default).
        period: String,
        /// Event of the acquisition (default: any event).
        acquisitionEvent: String,
        /// Event counted as activity (default: any event).
        activityEvent: String,
        /// Event counted as conversion (default: none).
        conversionEvent: String,
        /// Event whose values are revenue (default: every event).
        revenueEvent: String,
        /// End of observation, unix seconds or a `Date` (default: the latest event).
        asOf: Time,
    }
}

js_result! {
    /// One acquisition cohort: lists by period since acquisition (0 = the cohort's own period).
    pub struct CohortRow {
        /// Its label: `'YYYY-MM'` for months, else the first day `'YYYY-MM-DD'`.
        cohort: String,
        /// Start of the cohort's period, unix seconds.
        periodStart: i64,
        /// Leads acquired in it.
        size: usize,
        /// Leads active in each period.
        active: Vec<usize>,
        /// Share of the cohort active in each period.
        retentionOn: F64s,
        /// Share active in that period or any later one.
        retentionOnOrAfter: F64s,
        /// Leads converted by each period (cumulative; zeros without a `conversionEvent`).
        converted: Vec<usize>,
        /// `converted` over `size`.
        conversion: F64s,
        /// Revenue in each period.
        revenue: F64s,
        /// Revenue of periods `0..=k` over `size`.
        cumulativeValuePerCustomer: F64s,
    }
}

/// `leads.cohorts(events, options?)`.
pub fn cohorts<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = CohortOptions::read(h, &arg(h, a, 1)?, "options")?;
    let period = match &o.period {
        Some(p) => variant::<Period>("options.period", p, "'day', 'week', 'month'")?,
        None => Period::default(),
    };
    let mut c = Cohorts::new(period);
    for (set, ev) in [
        (
            Cohorts::acquisition_event as fn(Cohorts, String) -> Cohorts,
            o.acquisitionEvent,
        ),
        (Cohorts::activity_event, o.activityEvent),
        (Cohorts::conversion_event, o.conversionEvent),
        (Cohorts::revenue_event, o.revenueEvent),
    ] {
        if let Some(ev) = ev {
            c = set(c, ev);
        }
    }
    if let Some(Time(t)) = o.asOf {
        c = c.as_of(t);
    }
    let ev = events(h, &arg(h, a, 0)?, "events", Vec::new())?;
    job(move || {
        let t = c
            .run(&ev.log()?)
            .map_err(|e| settings_error(e, "options"))?;
        Ok(t.cohorts
            .into_iter()
            .map(|r| CohortRow {
                cohort: r.label,
                periodStart: r.period_start,
                size: r.size as usize,
                active: r.active.iter().map(|&x| x as usize).collect(),
                retentionOn: F64s(r.retention_on),
                retentionOnOrAfter: F64s(r.retention_on_or_after),
                converted: r.converted.iter().map(|&x| x as usize).collect(),
                conversion: F64s(r.conversion),
                revenue: F64s(r.revenue),
                cumulativeValuePerCustomer: F64s(r.cumulative_value_per_customer),
            })
            .collect::<Vec<_>>())
    })
}

// ---- scores --------------------------------------------------------------------------------

/// An object with keys known only at run time (rule names, stage names): `Record<string, T>`.
pub struct Record<T>(pub Vec<(String, T)>);

impl<T: IntoOut> IntoOut for Record<T> {
    fn into_out(self) -> Out {
        Out::Object(
            self.0
                .into_iter()
                .map(|(k, v)| (k.into(), Some(v.into_out())))
                .collect(),
        )
    }
    fn ts() -> String {
        format!("Record<string, {}>", T::ts())
    }
}

js_result! {
    /// One lead's score, with its breakdown.
    pub struct LeadScore {
        /// The lead id.
        lead: LeadId,
        /// `fit + activity`.
        total: f64,
        /// Attribute-rule points.
        fit: f64,
        /// Event-rule points after caps, decay and weights.
        activity: f64,
        /// `'A+'`, `'A'`, `'B'`, `'C'` or `'D'`.
        grade: String,
        /// `'hot'`, `'warm'` or `'cold'`.
        temperature: String,
        /// Points of the demographic dimension.
        demographic: f64,
        /// Points of the behavioural dimension.
        behavioural: f64,
        /// Points of the firmographic dimension.
        firmographic: f64,
        /// Points of the engagement dimension.
        engagement: f64,
        /// Points of the intent dimension.
        intent: f64,
        /// Each rule's points, by rule name (attribute rules, then event rules).
        rules: Record<f64>,
        /// Latest event at or before `asOf` (unix seconds), `null` without one.
        lastActivity: Nullable<i64>,
    }
}

/// Object keys as snake_case, except the keys of `dailyCaps` (event names).
fn snake_keys(v: Value, keep: bool) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| {
                    let caps = !keep && (k == "dailyCaps" || k == "daily_caps");
                    (
                        if keep { k } else { crate::keys::snake(&k) },
                        snake_keys(x, caps),
                    )
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| snake_keys(x, false)).collect()),
        x => x,
    }
}

/// The scoring config (camelCase or the core's snake_case keys).
fn scoring_config<H: Host>(h: H, v: &H::V) -> Result<ScoringConfig> {
    read::object(h, v, "config")?;
    let raw = crate::keys::tree(h, v, "config")?;
    crate::keys::from_tree(&snake_keys(raw.clone(), false), &raw, "config")
}

/// A config field of the core (`event_rules[0].event_type`) as JS names it.
fn config_field(f: &str) -> String {
    match f.strip_prefix("daily_caps") {
        Some(rest) => format!("config.dailyCaps{rest}"),
        None => setting("config", f),
    }
}

/// An attributes table: the lead ids and the numeric and categorical columns.
type AttributeColumns = (
    Vec<LeadId>,
    Vec<(String, Vec<f64>)>,
    Vec<(String, Vec<String>)>,
);

/// `{ lead, [column]: Numbers | (number | null)[] | (string | null)[] }`.
fn attributes<H: Host>(h: H, v: &H::V) -> Result<AttributeColumns> {
    let Some(v) = read::given(h, v.clone()) else {
        return Ok(Default::default());
    };
    read::object(h, &v, "attributes")?;
    let ids = lead_ids(
        h,
        &read::require(h, &v, "lead", "attributes.lead")?,
        "attributes.lead",
    )?;
    let (mut numeric, mut categorical) = (Vec::new(), Vec::new());
    for k in h.keys(&v).map_err(|e| read::unreadable("attributes", e))? {
        if k == "lead" {
            continue;
        }
        let field = format!("attributes.{k}");
        let col = read::require(h, &v, &k, &field)?;
        let text = read::is_array(h, &col, &field)? && {
            let n = h.length(&col).map_err(|e| read::unreadable(&field, e))?;
            let mut kinds = (0..n).map(|i| read::element(h, &col, i, &field).map(|x| h.kind(&x)));
            kinds.try_fold(false, |seen, k| k.map(|k| seen || k == Kind::String))?
        };
        if text {
            let vals = read::optional_strings(h, &col, &field)?;
            read::check_len(&field, vals.len(), ids.len())?;
            categorical.push((k, vals.into_iter().map(Option::unwrap_or_default).collect()));
        } else {
            let vals = read::optional_numbers(h, &col, &field)?;
            read::check_len(&field, vals.len(), ids.len())?;
            numeric.push((k, vals.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()));
        }
    }
    Ok((ids, numeric, categorical))
}

/// `leads.score(events, config, asOf, attributes?)`.
pub fn score<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let cfg = scoring_config(h, &arg(h, a, 1)?)?;
    let as_of = read::time(h, &arg(h, a, 2)?, "asOf")?;
    let (known, numeric, categorical) = attributes(h, &arg(h, a, 3)?)?;
    let ev = events(h, &arg(h, a, 0)?, "events", known)?;
    job(move || {
        let n = ev.ids.len();
        let mut attrs = Attributes::new(n);
        for (name, mut v) in numeric {
            v.resize(n, f64::NAN);
            attrs = attrs.numeric(name, v).map_err(attribute_error)?;
        }
        for (name, mut v) in categorical {
            v.resize(n, String::new());
            attrs = attrs.categorical(name, &v).map_err(attribute_error)?;
        }
        let s = scoring::score(&cfg, &attrs, &ev.log()?, as_of)
            .map_err(|e| renamed(e, |f| Some(config_field(f))))?;
        let k = s.rule_names.len();
        Ok(ev
            .ids
            .into_iter()
            .enumerate()
            .map(|(i, lead)| {
                let d = s.dimensions[i];
                let at =
                    |dim: Dimension| d[Dimension::ALL.iter().position(|x| *x == dim).unwrap_or(0)];
                LeadScore {
                    lead,
                    total: s.total[i],
                    fit: s.fit[i],
                    activity: s.activity[i],
                    grade: s.grade[i].as_str().into(),
                    temperature: s.temperature[i].as_str().into(),
                    demographic: at(Dimension::Demographic),
                    behavioural: at(Dimension::Behavioural),
                    firmographic: at(Dimension::Firmographic),
                    engagement: at(Dimension::Engagement),
                    intent: at(Dimension::Intent),
                    rules: Record(
                        s.rule_names
                            .iter()
                            .cloned()
                            .zip(s.rules[i * k..(i + 1) * k].iter().copied())
                            .collect(),
                    ),
                    lastActivity: Nullable(s.last_activity[i]),
                }
            })
            .collect::<Vec<_>>())
    })
}

/// An attribute column's error, named as the JS caller wrote it (`attributes.employees[2]`).
fn attribute_error(e: Error) -> Error {
    renamed(e, |f| Some(format!("attributes.{f}")))
}

// ---- lifecycle -----------------------------------------------------------------------------

/// `[from, to][]`.
pub struct Pairs(pub Vec<[String; 2]>);

impl FromJs for Pairs {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        let n = read::array_len(h, v, field, "an array of [from, to] pairs")?;
        (0..n)
            .map(|i| {
                let at = format!("{field}[{i}]");
                let pair = read::strings(h, &read::element(h, v, i, field)?, &at)?;
                <[String; 2]>::try_from(pair).map_err(|p| Error::LengthMismatch {
                    field: at,
                    expected: 2,
                    got: p.len(),
                })
            })
            .collect::<Result<_>>()
            .map(Pairs)
    }
    fn ts() -> String {
        "[string, string][]".into()
    }
}

js_options! {
    /// The stage machine and the time in stage.
    pub struct LifecycleOptions {
        /// Stage names in order (default `new, contacted, qualified, engaged, opportunity,
        /// customer`).
        stages: Names,
        /// Allowed `[from, to]` moves (default: every forward move).
        transitions: Pairs,
        /// End of the current stays, unix seconds or a `Date` (default: the latest transition).
        asOf: Time,
    }
}

js_result! {
    /// One accepted transition.
    pub struct LifecycleTransition {
        /// The lead id.
        lead: LeadId,
        /// Stage before (`null` for the lead's entry).
        from: Nullable<String>,
        /// Stage after.
        to: String,
        /// When, unix seconds.
        timestamp: i64,
        /// Why, if given.
        reason: Nullable<String>,
    }
}

js_result! {
    /// What happened in one stage.
    pub struct StageSummary {
        /// The stage.
        stage: String,
        /// Entries into it (a re-entry counts again).
        entered: usize,
        /// Exits from it.
        exited: usize,
        /// Leads in it now.
        current: usize,
        /// Median seconds of completed stays (`null` without one).
        medianSeconds: Nullable<f64>,
        /// Mean seconds of completed stays (`null` without one).
        meanSeconds: Nullable<f64>,
    }
}

js_result! {
    /// Lifecycle histories replayed through a stage machine.
    pub struct Lifecycle {
        /// Stage names, in order.
        stages: Vec<String>,
        /// Every lead id, in the order of `current` and `timeInStage`.
        leads: Vec<LeadId>,
        /// Each lead's current stage.
        current: Vec<Nullable<String>>,
        /// Every transition, in row order.
        transitions: Vec<LifecycleTransition>,
        /// Seconds each lead spent in each stage (re-entries summed; the current stay runs to
        /// `asOf`), by stage.
        timeInStage: Record<F64s>,
        /// One row per stage.
        summary: Vec<StageSummary>,
        /// The end of the current stays, unix seconds.
        asOf: i64,
    }
}

const STAGE_LOG_KEYS: &[&str] = &["lead", "timestamp", "stage", "reason", "leads"];

/// The columns of a stage log's row, when the log is given as rows (`leads` is the whole log's).
pub const STAGE_ROW_COLUMNS: &[&str] = &["lead", "timestamp", "stage", "reason"];

/// `leads.lifecycle(log, options?)`.
pub fn lifecycle<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = LifecycleOptions::read(h, &arg(h, a, 1)?, "options")?;
    let mut config = StageConfig::default();
    if let Some(s) = o.stages {
        config.stages = s.0;
    }
    config.transitions = o.transitions.map(|p| p.0);
    let machine =
        StageMachine::new(config).map_err(|e| renamed(e, |f| Some(format!("options.{f}"))))?;
    let v = arg(h, a, 0)?;
    let obj = read::table(h, &v, "log", STAGE_LOG_KEYS)?.ok_or_else(|| read::missing("log"))?;
    let ids = lead_ids(h, &read::require(h, &obj, "lead", "log.lead")?, "log.lead")?;
    let ts = read::timestamps(
        h,
        &read::require(h, &obj, "timestamp", "log.timestamp")?,
        "log.timestamp",
    )
    .map_err(|e| column_error(e, "log"))?;
    let stage = read::strings(
        h,
        &read::require(h, &obj, "stage", "log.stage")?,
        "log.stage",
    )?;
    let reason = read::get(h, &obj, "reason", "log.reason")?
        .map(|x| read::optional_strings(h, &x, "log.reason"))
        .transpose()?
        .map(|r| {
            r.into_iter()
                .map(Option::unwrap_or_default)
                .collect::<Vec<String>>()
        });
    let mut leads = Interner::default();
    let listed = read::get(h, &obj, "leads", "log.leads")?;
    if let Some(l) = &listed {
        leads.add_unique(lead_ids(h, l, "log.leads")?, "log.leads")?;
    }
    let lead = leads.indices(&ids, listed.is_some(), "log.lead", "log.leads")?;
    let ids = leads.ids;
    let given_as_of = o.asOf.map(|t| t.0);
    job(move || {
        let hist = machine
            .replay(ids.len(), &lead, &ts, &stage, reason.as_deref())
            .map_err(|e| column_error(e, "log"))?;
        let as_of = given_as_of
            .or_else(|| ts.iter().copied().max())
            .unwrap_or(0);
        let t = hist
            .time_in_stage(as_of)
            .map_err(|e| renamed(e, |_| Some("options.asOf".into())))?;
        let k = t.stages.len();
        let name = |s: Option<usize>| Nullable(s.map(|s| hist.stages[s].clone()));
        Ok(Lifecycle {
            stages: hist.stages.clone(),
            current: hist.current.iter().map(|&c| name(c)).collect(),
            transitions: hist
                .transitions
                .iter()
                .map(|x| LifecycleTransition {
                    lead: ids[x.lead as usize].clone(),
                    from: name(x.from),
                    to: hist.stages[x.to].clone(),
                    timestamp: x.timestamp,
                    reason: Nullable(x.reason.clone()),
                })
                .collect(),
            timeInStage: Record(
                (0..k)
                    .map(|s| {
                        let per_lead = t.seconds.iter().skip(s).step_by(k).copied().collect();
                        (t.stages[s].clone(), F64s(per_lead))
                    })
                    .collect(),
            ),
            summary: t
                .summary
                .into_iter()
                .map(|s| StageSummary {
                    stage: s.stage,
                    entered: s.entered as usize,
                    exited: s.exited as usize,
                    current: s.current as usize,
                    medianSeconds: Nullable(s.median_seconds),
                    meanSeconds: Nullable(s.mean_seconds),
                })
                .collect(),
            leads: ids,
            asOf: as_of,
        })
    })
}

// ---- health --------------------------------------------------------------------------------

/// P(alive) per lead: aligned with the leads, or by lead id.
pub enum PAlive {
    /// One per lead, in lead order (`null` / NaN: no model for that lead).
    Aligned(Vec<f64>),
    /// By lead id (string keys; a lead not listed has no model).
    ById(Vec<(String, f64)>),
}

impl FromJs for PAlive {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        if h.kind(v) == Kind::Object
            && !read::is_array(h, v, field)?
            && !matches!(h.typed_numbers(v), Ok(crate::host::Typed::Numbers(_)))
        {
            let keys = h.keys(v).map_err(|e| read::unreadable(field, e))?;
            return keys
                .into_iter()
                .map(|k| {
                    let at = format!("{field}.{k}");
                    let x = read::number(h, &read::require(h, v, &k, &at)?, &at)?;
                    Ok((k, x))
                })
                .collect::<Result<_>>()
                .map(PAlive::ById);
        }
        let xs = read::optional_numbers(h, v, field)?;
        Ok(PAlive::Aligned(
            xs.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect(),
        ))
    }
    fn ts() -> String {
        "Numbers | (number | null)[] | Record<string, number>".into()
    }
}

js_options! {
    /// Journey-health settings (the core's `leads::health` table).
    pub struct HealthOptions {
        /// Days per period of the activity series (default 7).
        periodDays: f64,
        /// Periods in the series (default 8, 3 to 1000).
        periods: usize,
        /// Level of the Mann-Kendall test (default 0.05).
        alpha: f64,
        /// Days of silence after which the recency churn risk is 1/2 (default 30).
        recencyHalfLifeDays: f64,
        /// Event counted as activity (default: any event).
        activityEvent: String,
        /// Weight of `1 - churnRisk` in the score (default 0.6).
        churnWeight: f64,
        /// Weight of `(1 + tau) / 2` in the score (default 0.4).
        trendWeight: f64,
        /// Lower bounds of `'at_risk'` and `'healthy'` (default `[40, 70]`).
        thresholds: Fixed<2>,
        /// P(alive) from a CLV model (e.g. `FittedBetaGeo.pAlive`), one per lead in lead order
        /// or by lead id; a lead without one gets its churn risk from recency.
        pAlive: PAlive,
    }
}

js_result! {
    /// One lead's health.
    pub struct LeadHealth {
        /// The lead id.
        lead: LeadId,
        /// Health score in [0, 100].
        score: f64,
        /// `'healthy'`, `'at_risk'` or `'critical'`.
        status: String,
        /// Probability the lead has churned.
        churnRisk: f64,
        /// `'p_alive'` or `'recency'`.
        churnSource: String,
        /// Mann-Kendall trend of the activity: `'increasing'`, `'decreasing'` or `'no trend'`.
        trend: String,
        /// Kendall's tau of the activity against time.
        tau: f64,
        /// Mann-Kendall two-sided p-value.
        pValue: f64,
        /// Theil-Sen slope, events per period per period.
        slope: f64,
        /// Latest activity at or before `asOf` (unix seconds), `null` without one.
        lastActivity: Nullable<i64>,
        /// Activity events per period, oldest first.
        activity: F64s,
    }
}

/// The serde name of a unit enum variant.
fn serde_name<T: serde::Serialize>(x: &T) -> String {
    match serde_json::to_value(x) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `leads.health(events, asOf, options?)`.
pub fn health<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = HealthOptions::read(h, &arg(h, a, 2)?, "options")?;
    let as_of = read::time(h, &arg(h, a, 1)?, "asOf")?;
    let mut spec = Health::default();
    if let Some(x) = o.periodDays {
        spec.period_days = x;
    }
    if let Some(x) = o.periods {
        spec.periods = x;
    }
    if let Some(x) = o.alpha {
        spec.alpha = x;
    }
    if let Some(x) = o.recencyHalfLifeDays {
        spec.recency_half_life_days = x;
    }
    spec.activity_event = o.activityEvent;
    if let Some(x) = o.churnWeight {
        spec.churn_weight = x;
    }
    if let Some(x) = o.trendWeight {
        spec.trend_weight = x;
    }
    if let Some(Fixed(t)) = o.thresholds {
        spec.thresholds = t;
    }
    let ev = events(h, &arg(h, a, 0)?, "events", Vec::new())?;
    let p_alive = match o.pAlive {
        None => None,
        Some(PAlive::Aligned(p)) => Some(p),
        Some(PAlive::ById(pairs)) => {
            let index: HashMap<String, usize> = ev
                .ids
                .iter()
                .enumerate()
                .map(|(i, id)| (id.shown(), i))
                .collect();
            let mut p = vec![f64::NAN; ev.ids.len()];
            for (k, x) in pairs {
                let i = *index.get(&k).ok_or_else(|| Error::InvalidParameter {
                    field: format!("options.pAlive.{k}"),
                    value: k.clone(),
                    reason: "no such lead in events".into(),
                })?;
                p[i] = x;
            }
            Some(p)
        }
    };
    job(move || {
        let r = spec
            .run(&ev.log()?, as_of, p_alive.as_deref())
            .map_err(|e| settings_error(e, "options"))?;
        Ok(ev
            .ids
            .into_iter()
            .zip(r.leads)
            .map(|(lead, x)| LeadHealth {
                lead,
                score: x.score,
                status: serde_name(&x.status),
                churnRisk: x.churn_risk,
                churnSource: serde_name(&x.churn_source),
                trend: serde_name(&x.trend),
                tau: x.tau,
                pValue: x.p_value,
                slope: x.slope,
                lastActivity: Nullable(x.last_activity),
                activity: F64s(x.activity),
            })
            .collect::<Vec<_>>())
    })
}

// ---- declarations --------------------------------------------------------------------------

/// The TypeScript declarations of this module's types.
pub fn declarations() -> Vec<String> {
    use crate::decl::{interface, Declared};
    vec![
        interface(
            &[
                " An event log, one event per row (columns of equal length; rows in any order).",
                " Lead ids are interned in first-seen order (or that of `leads`), event names in",
                " first-seen order (or that of `eventTypes`).",
            ],
            "LeadEvents",
            &[
                (&[" The lead of each event (strings or numbers)."], "lead: (string | number)[] | Numbers".into()),
                (&[" Event times, whole unix seconds or `Date`s."], "timestamp: Timestamps".into()),
                (&[" Event names."], "event: string[]".into()),
                (&[" Event values (revenue, duration; default 0)."], "value?: Numbers | null".into()),
                (&[" Every lead id, in result order (leads without events included); a `lead` not in it is an error."], "leads?: (string | number)[] | Numbers | null".into()),
                (&[" The event-name vocabulary; an `event` not in it is an error."], "eventTypes?: string[] | null".into()),
            ],
        ),
        FunnelExclusion::declaration(),
        FunnelOptions::declaration(),
        FunnelStep::declaration(),
        Funnel::declaration(),
        CohortOptions::declaration(),
        CohortRow::declaration(),
        SCORING_TS.to_string(),
        interface(
            &[
                " Lead attributes: `lead` ids and one column per attribute, numeric (`null` / NaN",
                " missing) or text (`null` / `''` missing). Leads only in the events have every",
                " attribute missing.",
            ],
            "LeadAttributes",
            &[
                (&[" The lead ids, in result order."], "lead: (string | number)[] | Numbers".into()),
                (&[" An attribute column."], "[column: string]: (string | number)[] | Numbers | (string | null)[] | (number | null)[]".into()),
            ],
        ),
        LeadScore::declaration(),
        interface(
            &[" Stage transitions, one per row: lead `lead[i]` entered `stage[i]` at `timestamp[i]`."],
            "StageLog",
            &[
                (&[" The lead of each transition."], "lead: (string | number)[] | Numbers".into()),
                (&[" Transition times, whole unix seconds or `Date`s (in time order per lead)."], "timestamp: Timestamps".into()),
                (&[" The stage entered."], "stage: string[]".into()),
                (&[" Why (`null` / `''`: none given)."], "reason?: (string | null)[] | null".into()),
                (&[" Every lead id, in result order."], "leads?: (string | number)[] | Numbers | null".into()),
            ],
        ),
        LifecycleOptions::declaration(),
        LifecycleTransition::declaration(),
        StageSummary::declaration(),
        Lifecycle::declaration(),
        HealthOptions::declaration(),
        LeadHealth::declaration(),
    ]
}

/// The scoring config's types: the core's `ScoringConfig` with camelCase keys.
const SCORING_TS: &str = r#"/** A condition on an attribute (numeric conditions on numeric columns, text ones on text). */
export type AttributeCondition =
  | { op: 'equals'; value: string }
  | { op: 'one_of'; values: string[] }
  | { op: 'at_least'; value: number }
  | { op: 'below'; value: number }
  | { op: 'between'; min: number; max: number }
  | { op: 'missing' };
/** A scoring dimension. */
export type ScoringDimension = 'demographic' | 'behavioural' | 'firmographic' | 'engagement' | 'intent';
/** Points for leads whose attribute meets a condition. */
export interface AttributeRule {
  /** A unique rule name. */
  name: string;
  dimension: ScoringDimension;
  /** The attribute column. */
  attribute: string;
  condition: AttributeCondition;
  points: number;
}
/** Points per event of a type (plus `perValue` times its value), subject to caps and decay. */
export interface EventRule {
  /** A unique rule name. */
  name: string;
  dimension: ScoringDimension;
  /** The event name. */
  eventType: string;
  points: number;
  /** Extra points per unit of the event's value (default 0). */
  perValue?: number;
}
/**
 * Rule-based lead scoring (the core's `ScoringConfig`, keys in camelCase; snake_case keys are
 * read too). Weights default to 1; grades A+..D by `grades.thresholds` (4, increasing), hot /
 * warm / cold by `temperature.thresholds` (2, increasing).
 */
export interface ScoringConfig {
  attributeRules?: AttributeRule[];
  eventRules?: EventRule[];
  weights?: Partial<Record<ScoringDimension, number>>;
  /** Points per day at most, by event name. */
  dailyCaps?: Record<string, number>;
  /** Halves points every `halfLifeDays` since the lead's last activity (`'inactivity'`) or each event (`'event_age'`). */
  decay?: { halfLifeDays: number; mode?: 'inactivity' | 'event_age' } | null;
  grades?: { thresholds: [number, number, number, number]; basis?: 'total' | 'fit' | 'activity' };
  temperature?: { thresholds: [number, number]; basis?: 'total' | 'fit' | 'activity' };
}
"#;
