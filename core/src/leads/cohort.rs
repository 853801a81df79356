//! Cohort tables: acquisition period x period since acquisition, for retention ("on" and "on or
//! after"), conversion, revenue and cumulative value per customer.
//!
//! Definitions (all times UTC):
//! - **Periods** are calendar periods: days, ISO weeks (Monday to Sunday) or calendar months.
//!   The offset of an event is `period(event) - period(acquisition)` counted in whole calendar
//!   periods (as pandas' `Period` difference), so an event on 31 January of a lead acquired on
//!   30 January is in month 0 and one on 1 February in month 1.
//! - A lead's **acquisition** is its first event of `acquisition_event` (of any type if unset);
//!   its cohort is that event's period. Leads with no such event are in no cohort. Events before
//!   the acquisition (in time) are ignored.
//! - **Active** in period `k`: at least one `activity_event` (any event if unset) in that
//!   period. `retention_on[k]` is the share of the cohort active in period `k`;
//!   `retention_on_or_after[k]` the share active in period `k` or any later observed period, so
//!   it is never below `retention_on[k]` and never increases with `k`.
//! - **Conversion** (only with a `conversion_event`): `conversion[k]` is the share of the cohort
//!   whose first conversion event is in period `k` or earlier (cumulative).
//! - **Revenue**: `revenue[k]` sums the values of the cohort's `revenue_event` events (of every
//!   event if unset) in period `k`; `cumulative_value_per_customer[k]` is the revenue of periods
//!   `0..=k` over the cohort size.
//! - **Observation end**: the period of `as_of` (events after it are ignored) or, without
//!   `as_of`, of the latest event. A cohort's row has one entry per period from its own period to
//!   the end, so later cohorts have shorter rows (the usual triangle).
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `period` | `"month"` | `"day"`, `"week"` (ISO) or `"month"` | |
//! | `acquisition_event` | any event | event type of the acquisition | known event type |
//! | `activity_event` | any event | event type counted as activity | known event type |
//! | `conversion_event` | none | event type counted as conversion | known event type |
//! | `revenue_event` | every event | event type whose values are revenue | known event type |
//! | `as_of` | latest event | end of observation (unix seconds) | |
//!
//! The table spans at most 100 000 periods (274 years of days) from the first cohort to the end.

use serde::{Deserialize, Serialize};

use super::events::EventLog;
use crate::calendar::{civil_from_days, days_from_civil};
use crate::error::{Error, Result};

const MAX_PERIODS: i64 = 100_000;

/// The period of a cohort table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// UTC calendar days.
    Day,
    /// ISO weeks, Monday to Sunday (UTC).
    Week,
    /// Calendar months (UTC).
    #[default]
    Month,
}

impl Period {
    /// The index of the period holding `t` (unix seconds): days since 1970-01-01, ISO weeks
    /// since the week of 1969-12-29, or months since January 1970.
    ///
    /// ```
    /// use channelwise::leads::cohort::Period;
    /// assert_eq!(Period::Day.index(86_399), 0);
    /// assert_eq!(Period::Week.index(4 * 86_400), 1); // Monday 1970-01-05
    /// assert_eq!(Period::Month.index(31 * 86_400), 1); // 1970-02-01
    /// assert_eq!(Period::Month.index(-1), -1);
    /// ```
    pub fn index(self, t: i64) -> i64 {
        let days = t.div_euclid(86_400);
        match self {
            Period::Day => days,
            Period::Week => (days + 3).div_euclid(7),
            Period::Month => {
                let (y, m, _) = civil_from_days(days);
                (y - 1970) * 12 + i64::from(m) - 1
            }
        }
    }

    /// The first day of period `index`, as days since 1970-01-01.
    fn start_day(self, index: i64) -> i64 {
        match self {
            Period::Day => index,
            Period::Week => index * 7 - 3,
            Period::Month => days_from_civil(1970 + index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1),
        }
    }

    /// A label of period `index`: `"YYYY-MM-DD"` of its first day, or `"YYYY-MM"` for months.
    ///
    /// ```
    /// use channelwise::leads::cohort::Period;
    /// assert_eq!(Period::Month.label(653), "2024-06");
    /// assert_eq!(Period::Week.label(Period::Week.index(1_718_064_000)), "2024-06-10");
    /// ```
    pub fn label(self, index: i64) -> String {
        let (y, m, d) = civil_from_days(self.start_day(index));
        match self {
            Period::Month => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}-{m:02}-{d:02}"),
        }
    }
}

/// A cohort-table definition (see the [module docs](self)).
///
/// ```
/// use channelwise::leads::{cohort::{Cohorts, Period}, EventLog};
/// let day = 86_400;
/// let types = vec!["visit".to_string(), "order".to_string()];
/// // two leads acquired on day 0, one active again on day 2 with an order of 30
/// let ts = [0, 0, 2 * day];
/// let log = EventLog::new(2, types, &[0, 1, 1], &ts, &[0, 0, 1], Some(&[0.0, 0.0, 30.0]))?;
/// let t = Cohorts::new(Period::Day).conversion_event("order").revenue_event("order").run(&log)?;
/// let row = &t.cohorts[0];
/// assert_eq!((row.label.as_str(), row.size), ("1970-01-01", 2));
/// assert_eq!(row.retention_on, vec![1.0, 0.0, 0.5]);
/// assert_eq!(row.retention_on_or_after, vec![1.0, 0.5, 0.5]);
/// assert_eq!(row.conversion, vec![0.0, 0.0, 0.5]);
/// assert_eq!(row.cumulative_value_per_customer, vec![0.0, 0.0, 15.0]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cohorts {
    /// Period of the table.
    #[serde(default)]
    pub period: Period,
    /// Event type of the acquisition (any event if `None`).
    #[serde(default)]
    pub acquisition_event: Option<String>,
    /// Event type counted as activity (any event if `None`).
    #[serde(default)]
    pub activity_event: Option<String>,
    /// Event type counted as conversion (no conversion table if `None`).
    #[serde(default)]
    pub conversion_event: Option<String>,
    /// Event type whose values are revenue (every event if `None`).
    #[serde(default)]
    pub revenue_event: Option<String>,
    /// End of observation, unix seconds (the latest event if `None`).
    #[serde(default)]
    pub as_of: Option<i64>,
}

/// One cohort's row of every table; entry `k` is `k` periods after acquisition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRow {
    /// Period index (see [`Period::index`]).
    pub period: i64,
    /// Unix seconds of the period's start.
    pub period_start: i64,
    /// `"YYYY-MM-DD"` of the period's start (`"YYYY-MM"` for months).
    pub label: String,
    /// Leads acquired in the period.
    pub size: u64,
    /// Leads active in each period.
    pub active: Vec<u64>,
    /// `active[k] / size`.
    pub retention_on: Vec<f64>,
    /// Share active in period `k` or later.
    pub retention_on_or_after: Vec<f64>,
    /// Leads converted by period `k` (cumulative; empty without a conversion event).
    pub converted: Vec<u64>,
    /// `converted[k] / size` (empty without a conversion event).
    pub conversion: Vec<f64>,
    /// Revenue in each period.
    pub revenue: Vec<f64>,
    /// Revenue of periods `0..=k` per lead of the cohort.
    pub cumulative_value_per_customer: Vec<f64>,
}

/// Cohort rows, earliest cohort first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortTable {
    /// The period.
    pub period: Period,
    /// One row per cohort with at least one lead.
    pub cohorts: Vec<CohortRow>,
}

impl Cohorts {
    /// Cohorts by `period`, every event counting as acquisition, activity and revenue.
    pub fn new(period: Period) -> Self {
        Cohorts { period, ..Default::default() }
    }

    /// Sets the acquisition event type.
    pub fn acquisition_event(mut self, event_type: impl Into<String>) -> Self {
        self.acquisition_event = Some(event_type.into());
        self
    }

    /// Sets the activity event type.
    pub fn activity_event(mut self, event_type: impl Into<String>) -> Self {
        self.activity_event = Some(event_type.into());
        self
    }

    /// Sets the conversion event type.
    pub fn conversion_event(mut self, event_type: impl Into<String>) -> Self {
        self.conversion_event = Some(event_type.into());
        self
    }

    /// Sets the revenue event type.
    pub fn revenue_event(mut self, event_type: impl Into<String>) -> Self {
        self.revenue_event = Some(event_type.into());
        self
    }

    /// Sets the end of observation.
    pub fn as_of(mut self, as_of: i64) -> Self {
        self.as_of = Some(as_of);
        self
    }

    /// Builds the tables.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown event type (naming e.g. `conversion_event`), or
    /// a table spanning more than 100 000 periods (naming `as_of` or `timestamp`).
    pub fn run(&self, events: &EventLog<'_>) -> Result<CohortTable> {
        let id = |field: &str, name: &Option<String>| name.as_ref().map(|s| events.type_id_for(field, s)).transpose();
        let acq = id("acquisition_event", &self.acquisition_event)?;
        let act = id("activity_event", &self.activity_event)?;
        let conv = id("conversion_event", &self.conversion_event)?;
        let rev = id("revenue_event", &self.revenue_event)?;
        let is = |want: Option<u32>, t: u32| want.is_none_or(|w| w == t);
        let p = self.period;
        let (ts, ty) = (events.timestamps(), events.types());
        let seen = |t: i64| self.as_of.is_none_or(|a| t <= a);
        let end = match self.as_of {
            Some(a) => p.index(a),
            None => match ts.iter().max() {
                Some(&t) => p.index(t),
                None => return Ok(CohortTable { period: p, cohorts: Vec::new() }),
            },
        };
        let groups = events.by_lead_in_time();
        // cohort period of each lead with an acquisition, and the earliest one
        let mut acquired: Vec<Option<(usize, i64)>> = vec![None; events.n_leads()];
        let mut first = i64::MAX;
        for (l, a) in acquired.iter_mut().enumerate() {
            let rows = groups.rows(l);
            if let Some(i) = rows.iter().position(|&e| is(acq, ty[e as usize]) && seen(ts[e as usize])) {
                let c = p.index(ts[rows[i] as usize]);
                first = first.min(c);
                *a = Some((i, c));
            }
        }
        if first == i64::MAX {
            return Ok(CohortTable { period: p, cohorts: Vec::new() });
        }
        if end - first >= MAX_PERIODS {
            let field = if self.as_of.is_some() { "as_of" } else { "timestamp" };
            return Err(Error::param(field, p.label(end), format!("the table would span more than {MAX_PERIODS} periods from {}", p.label(first))));
        }
        let width = (end - first + 1) as usize;
        // per cohort offset from `first`: size, active, last-active histogram, conversion histogram, revenue
        struct Acc {
            size: u64,
            active: Vec<u64>,
            last: Vec<u64>,
            conv: Vec<u64>,
            revenue: Vec<f64>,
        }
        let mut accs: Vec<Option<Acc>> = (0..width).map(|_| None).collect();
        for (l, a) in acquired.iter().enumerate() {
            let Some((i0, c)) = *a else { continue };
            let len = (end - c + 1) as usize;
            let acc = accs[(c - first) as usize].get_or_insert_with(|| Acc {
                size: 0,
                active: vec![0; len],
                last: vec![0; len],
                conv: vec![0; len],
                revenue: vec![0.0; len],
            });
            acc.size += 1;
            let (mut prev, mut converted) = (usize::MAX, false);
            for &e in &groups.rows(l)[i0..] {
                let e = e as usize;
                if !seen(ts[e]) {
                    break;
                }
                let k = (p.index(ts[e]) - c) as usize;
                if is(act, ty[e]) && k != prev {
                    acc.active[k] += 1;
                    prev = k;
                }
                if conv.is_some() && !converted && is(conv, ty[e]) {
                    acc.conv[k] += 1;
                    converted = true;
                }
                if is(rev, ty[e]) {
                    acc.revenue[k] += events.value(e);
                }
            }
            if prev != usize::MAX {
                acc.last[prev] += 1;
            }
        }
        let cohorts = accs
            .into_iter()
            .enumerate()
            .filter_map(|(off, acc)| {
                let acc = acc?;
                let c = first + off as i64;
                let n = acc.size as f64;
                let share = |v: &[u64]| v.iter().map(|&x| x as f64 / n).collect::<Vec<_>>();
                let mut after = acc.last.clone();
                for k in (0..after.len().saturating_sub(1)).rev() {
                    after[k] += after[k + 1];
                }
                let (converted, conversion) = if conv.is_some() {
                    let cum: Vec<u64> = acc.conv.iter().scan(0, |s, &x| { *s += x; Some(*s) }).collect();
                    let rate = share(&cum);
                    (cum, rate)
                } else {
                    (Vec::new(), Vec::new())
                };
                let cumulative_value_per_customer = acc.revenue.iter().scan(0.0, |s, &x| { *s += x; Some(*s / n) }).collect();
                let start = (i128::from(p.start_day(c)) * 86_400).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
                Some(CohortRow {
                    period: c,
                    period_start: start,
                    label: p.label(c),
                    size: acc.size,
                    retention_on: share(&acc.active),
                    retention_on_or_after: share(&after),
                    active: acc.active,
                    converted,
                    conversion,
                    revenue: acc.revenue,
                    cumulative_value_per_customer,
                })
            })
            .collect();
        Ok(CohortTable { period: p, cohorts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for z in [-800_000, -719_468, -1, 0, 59, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(Period::Month.index(1_709_164_800), 54 * 12 + 1); // 2024-02-29
        assert_eq!(Period::Week.label(0), "1969-12-29");
    }

    #[test]
    fn month_boundaries_and_as_of() {
        let day = 86_400;
        let types = vec!["e".to_string()];
        // lead 0 acquired 1970-01-30, active 01-31 (month 0) and 02-01 (month 1); lead 1 acquired in February
        let ts = [29 * day, 30 * day, 31 * day, 40 * day, 70 * day];
        let log = EventLog::new(2, types, &[0, 0, 0, 1, 1], &ts, &[0; 5], None).unwrap();
        let t = Cohorts::default().run(&log).unwrap();
        assert_eq!(t.cohorts.len(), 2);
        assert_eq!(t.cohorts[0].active, vec![1, 1, 0]);
        assert_eq!(t.cohorts[0].retention_on_or_after, vec![1.0, 1.0, 0.0]);
        assert_eq!(t.cohorts[1].label, "1970-02");
        assert_eq!(t.cohorts[1].active, vec![1, 1]);
        assert!(t.cohorts[0].conversion.is_empty());
        let t = Cohorts::default().as_of(35 * day).run(&log).unwrap();
        assert_eq!(t.cohorts.len(), 1);
        assert_eq!(t.cohorts[0].active, vec![1, 1]);
        let e = Cohorts::new(Period::Day).as_of(1_000_000 * day).run(&log).unwrap_err();
        assert!(e.to_string().starts_with("invalid as_of"), "{e}");
        assert!(Cohorts::default().conversion_event("nope").run(&log).unwrap_err().to_string().contains("conversion_event"));
    }
}
