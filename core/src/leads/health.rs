//! Journey health: is a lead's engagement rising or fading, how likely is it gone, and one
//! health score that combines both.
//!
//! For each lead, as of `as_of`:
//! - **Activity series**: the counts of its activity events in the last `periods` periods of
//!   `period_days` days each, oldest first; period `j` before `as_of` holds events with
//!   `floor((as_of - t) / period) = j` (events after `as_of` are ignored).
//! - **Trend**: the Mann-Kendall test on that series ([`stats::mann_kendall`](crate::stats::mann_kendall)
//!   at level `alpha`: trend, Kendall's tau, p-value) and the Theil-Sen slope in events per
//!   period per period ([`stats::theil_sen`](crate::stats::theil_sen) against `0..periods`).
//! - **Churn risk**: `1 - p_alive[i]` when a P(alive) is supplied for the lead (from a fitted CLV
//!   model, e.g. BG/NBD); otherwise from recency, `1 - 2^(-(as_of - last) / half_life)` with `last`
//!   the lead's latest activity event (risk 1 for a lead with none).
//! - **Health score** in [0, 100]:
//!   `100 * (w_churn * (1 - churn_risk) + w_trend * (1 + tau) / 2) / (w_churn + w_trend)`: the
//!   chance the lead is still there, blended with the direction of its engagement (tau = 1 all
//!   rising, 0 flat or no activity, -1 all falling).
//! - **Status**: `critical` below `thresholds[0]`, `at_risk` below `thresholds[1]`, else `healthy`.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `period_days` | 7 | length of a period of the activity series | finite, `> 0` |
//! | `periods` | 8 | periods in the series | `3..=1000` (each lead's series is that long, and its trend test pairs every two periods) |
//! | `alpha` | 0.05 | level of the trend test (and `1 - alpha` slope interval) | `(0, 0.5]` |
//! | `recency_half_life_days` | 30 | days of silence after which recency churn risk is 1/2 | finite, `> 0` |
//! | `activity_event` | any event | event type counted as activity | known event type |
//! | `churn_weight` | 0.6 | weight of `1 - churn_risk` in the score | finite, `>= 0` |
//! | `trend_weight` | 0.4 | weight of `(1 + tau) / 2` in the score | finite, `>= 0`, sum with `churn_weight` `> 0` |
//! | `thresholds` | `[40, 70]` | lower bounds of `at_risk` and `healthy` | finite, strictly increasing |

use serde::{Deserialize, Serialize};

use super::{events::EventLog, increasing, positive};
use crate::error::{check_non_negative, check_range, Error, Result};
use crate::stats::{mann_kendall, theil_sen, Trend};

/// Where a churn risk came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChurnSource {
    /// `1 - P(alive)` from a supplied model.
    PAlive,
    /// From the time since the last activity.
    Recency,
}

/// A lead's health band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// At or above `thresholds[1]`.
    Healthy,
    /// At or above `thresholds[0]`.
    AtRisk,
    /// Below `thresholds[0]`.
    Critical,
}

/// The most periods in a lead's activity series (see [`Health::window`]).
pub const MAX_PERIODS: usize = 1000;

/// Health settings (see the [module table](self)).
///
/// ```
/// use channelwise::leads::{health::{Health, HealthStatus}, EventLog};
/// let day = 86_400;
/// // lead 0: more visits every week; lead 1: one visit ten weeks ago
/// let mut lead = vec![];
/// let mut ts = vec![];
/// for w in 0..8i64 {
///     for _ in 0..=w {
///         lead.push(0);
///         ts.push(w * 7 * day);
///     }
/// }
/// lead.push(1);
/// ts.push(-14 * 7 * day);
/// let ty = vec![0; ts.len()];
/// let log = EventLog::new(2, vec!["visit".into()], &lead, &ts, &ty, None)?;
/// let h = Health::default().run(&log, 8 * 7 * day - 1, None)?;
/// assert_eq!(h.leads[0].status, HealthStatus::Healthy);
/// assert!(h.leads[0].tau > 0.9 && h.leads[0].slope == 1.0);
/// assert_eq!(h.leads[1].status, HealthStatus::Critical);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Health {
    /// Days per period.
    #[serde(default = "seven")]
    pub period_days: f64,
    /// Periods in the activity series.
    #[serde(default = "eight")]
    pub periods: usize,
    /// Level of the trend test.
    #[serde(default = "five_percent")]
    pub alpha: f64,
    /// Half-life of the recency churn risk, in days.
    #[serde(default = "thirty")]
    pub recency_half_life_days: f64,
    /// Event type counted as activity (any event if `None`).
    #[serde(default)]
    pub activity_event: Option<String>,
    /// Weight of `1 - churn_risk`.
    #[serde(default = "churn_weight")]
    pub churn_weight: f64,
    /// Weight of the trend.
    #[serde(default = "trend_weight")]
    pub trend_weight: f64,
    /// Lower bounds of `at_risk` and `healthy`.
    #[serde(default = "thresholds")]
    pub thresholds: [f64; 2],
}

fn seven() -> f64 {
    7.0
}
fn eight() -> usize {
    8
}
fn five_percent() -> f64 {
    0.05
}
fn thirty() -> f64 {
    30.0
}
fn churn_weight() -> f64 {
    0.6
}
fn trend_weight() -> f64 {
    0.4
}
fn thresholds() -> [f64; 2] {
    [40.0, 70.0]
}

impl Default for Health {
    fn default() -> Self {
        Health {
            period_days: seven(),
            periods: eight(),
            alpha: five_percent(),
            recency_half_life_days: thirty(),
            activity_event: None,
            churn_weight: churn_weight(),
            trend_weight: trend_weight(),
            thresholds: thresholds(),
        }
    }
}

/// One lead's health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadHealth {
    /// Activity events per period, oldest first.
    pub activity: Vec<f64>,
    /// Latest activity event at or before `as_of`, if any.
    pub last_activity: Option<i64>,
    /// Mann-Kendall trend of the activity series.
    pub trend: Trend,
    /// Kendall's tau of the series against time.
    pub tau: f64,
    /// Mann-Kendall two-sided p-value.
    pub p_value: f64,
    /// Theil-Sen slope, events per period per period.
    pub slope: f64,
    /// Probability the lead has churned.
    pub churn_risk: f64,
    /// Where the churn risk came from.
    pub churn_source: ChurnSource,
    /// Health score in [0, 100].
    pub score: f64,
    /// Health band.
    pub status: HealthStatus,
}

/// Health of every lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthReport {
    /// One entry per lead.
    pub leads: Vec<LeadHealth>,
}

impl Health {
    /// Sets the period length and the number of periods (3 to [`MAX_PERIODS`]).
    pub fn window(mut self, period_days: f64, periods: usize) -> Self {
        self.period_days = period_days;
        self.periods = periods;
        self
    }

    /// Sets the recency half-life in days.
    pub fn recency_half_life_days(mut self, days: f64) -> Self {
        self.recency_half_life_days = days;
        self
    }

    /// Sets the activity event type.
    pub fn activity_event(mut self, event_type: impl Into<String>) -> Self {
        self.activity_event = Some(event_type.into());
        self
    }

    /// Health of every lead of `events` as of `as_of` (unix seconds). `p_alive`, if given, has
    /// one entry per lead; NaN marks a lead without a model (its risk comes from recency).
    ///
    /// # Errors
    /// [`Error::NonFinite`], [`Error::OutOfRange`] or [`Error::InvalidParameter`] for a setting
    /// out of its range (naming it); [`Error::LengthMismatch`] for a `p_alive` of the wrong
    /// length; [`Error::OutOfRange`] naming `p_alive[i]` for a value outside [0, 1] (infinities
    /// included); [`Error::InvalidParameter`] for an unknown `activity_event`.
    ///
    /// ```
    /// use channelwise::leads::{health::{ChurnSource, Health}, EventLog};
    /// let log = EventLog::new(2, vec!["visit".into()], &[0], &[0], &[0], None)?;
    /// let h = Health::default().run(&log, 30 * 86_400, Some(&[0.9, f64::NAN]))?;
    /// assert!((h.leads[0].churn_risk - 0.1).abs() < 1e-12);
    /// assert_eq!(h.leads[1].churn_source, ChurnSource::Recency);
    /// assert_eq!(h.leads[1].churn_risk, 1.0); // no activity at all
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn run(&self, events: &EventLog<'_>, as_of: i64, p_alive: Option<&[f64]>) -> Result<HealthReport> {
        let period = positive("period_days", self.period_days)? * 86_400.0;
        if self.periods < 3 {
            return Err(Error::param("periods", self.periods, "the trend test needs at least 3 periods"));
        }
        // Each lead's series holds `periods` counts and its Theil-Sen slope pairs every two:
        // 2^32 periods asked for 34 GB per lead and aborted the process (found by mutating the
        // JS vectors).
        if self.periods > MAX_PERIODS {
            return Err(Error::OutOfRange { field: "periods".into(), value: self.periods as f64, min: 3.0, max: MAX_PERIODS as f64 });
        }
        check_range("alpha", self.alpha, 0.0, 0.5)?;
        if self.alpha == 0.0 {
            return Err(Error::param("alpha", self.alpha, "must be greater than 0"));
        }
        let half_life = positive("recency_half_life_days", self.recency_half_life_days)? * 86_400.0;
        check_non_negative(|| "churn_weight".into(), self.churn_weight)?;
        check_non_negative(|| "trend_weight".into(), self.trend_weight)?;
        let wsum = self.churn_weight + self.trend_weight;
        if !(wsum > 0.0 && wsum.is_finite()) {
            return Err(Error::param("trend_weight", self.trend_weight, "churn_weight + trend_weight must be positive and finite"));
        }
        increasing("thresholds", &self.thresholds)?;
        let n = events.n_leads();
        if let Some(p) = p_alive {
            if p.len() != n {
                return Err(Error::LengthMismatch { field: "p_alive".into(), expected: n, got: p.len() });
            }
            for (i, &v) in p.iter().enumerate() {
                if !v.is_nan() {
                    check_range(format!("p_alive[{i}]"), v, 0.0, 1.0)?;
                }
            }
        }
        let act = self.activity_event.as_ref().map(|s| events.type_id_for("activity_event", s)).transpose()?;
        let groups = events.by_lead();
        let (ts, ty) = (events.timestamps(), events.types());
        let k = self.periods;
        let x: Vec<f64> = (0..k).map(|i| i as f64).collect();
        let mut leads = Vec::with_capacity(n);
        for l in 0..n {
            let mut activity = vec![0.0; k];
            let mut last = None::<i64>;
            for &e in groups.rows(l) {
                let e = e as usize;
                if ts[e] > as_of || act.is_some_and(|a| a != ty[e]) {
                    continue;
                }
                last = Some(last.map_or(ts[e], |m| m.max(ts[e])));
                let j = ((i128::from(as_of) - i128::from(ts[e])) as f64 / period).floor();
                if j < k as f64 {
                    activity[k - 1 - j as usize] += 1.0;
                }
            }
            let mk = mann_kendall(&activity, self.alpha)?;
            let slope = theil_sen(&x, &activity, self.alpha)?.slope;
            let (churn_risk, churn_source) = match p_alive.map(|p| p[l]).filter(|p| !p.is_nan()) {
                Some(p) => (1.0 - p, ChurnSource::PAlive),
                None => {
                    let risk = last.map_or(1.0, |t| 1.0 - (-((i128::from(as_of) - i128::from(t)) as f64) / half_life).exp2());
                    (risk, ChurnSource::Recency)
                }
            };
            let score = 100.0 * (self.churn_weight * (1.0 - churn_risk) + self.trend_weight * (1.0 + mk.tau) / 2.0) / wsum;
            let status = if score >= self.thresholds[1] {
                HealthStatus::Healthy
            } else if score >= self.thresholds[0] {
                HealthStatus::AtRisk
            } else {
                HealthStatus::Critical
            };
            leads.push(LeadHealth {
                activity,
                last_activity: last,
                trend: mk.trend,
                tau: mk.tau,
                p_value: mk.p,
                slope,
                churn_risk,
                churn_source,
                score,
                status,
            });
        }
        Ok(HealthReport { leads })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fading_lead_scores_below_rising_lead() {
        let day = 86_400;
        let (mut lead, mut ts) = (vec![], vec![]);
        for w in 0..8i64 {
            for _ in 0..(8 - w) {
                lead.push(0);
                ts.push(w * 7 * day + 1);
            }
            for _ in 0..=w {
                lead.push(1);
                ts.push(w * 7 * day + 1);
            }
        }
        let ty = vec![0; ts.len()];
        let log = EventLog::new(2, vec!["e".into()], &lead, &ts, &ty, None).unwrap();
        let h = Health::default().run(&log, 8 * 7 * day, None).unwrap();
        let (a, b) = (&h.leads[0], &h.leads[1]);
        assert_eq!(a.trend, Trend::Decreasing);
        assert_eq!(b.trend, Trend::Increasing);
        assert_eq!(a.activity, vec![8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]);
        assert!(a.score < b.score);
        // same last activity -> same recency risk; the score differs by the trend term only
        assert_eq!(a.churn_risk, b.churn_risk);
        assert!((b.score - a.score - 100.0 * 0.4 * (b.tau - a.tau) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn bad_settings_name_their_field() {
        let log = EventLog::new(1, vec!["e".into()], &[0], &[0], &[0], None).unwrap();
        let run = |h: Health| h.run(&log, 0, None).unwrap_err().to_string();
        assert!(run(Health::default().window(0.0, 8)).contains("period_days"));
        assert!(run(Health::default().window(7.0, 2)).contains("periods"));
        assert_eq!(run(Health::default().window(7.0, 1 << 32)), "periods must be in [3, 1000], got 4294967296");
        assert!(Health::default().window(1.0, MAX_PERIODS).run(&log, 0, None).is_ok());
        assert!(run(Health { thresholds: [70.0, 40.0], ..Health::default() }).contains("thresholds"));
        assert!(run(Health { alpha: 0.0, ..Health::default() }).contains("alpha"));
        assert!(run(Health { churn_weight: 0.0, trend_weight: 0.0, ..Health::default() }).contains("trend_weight"));
        assert!(run(Health::default().activity_event("x")).contains("activity_event"));
        let e = Health::default().run(&log, 0, Some(&[1.5])).unwrap_err();
        assert_eq!(e.to_string(), "p_alive[0] must be in [0, 1], got 1.5");
        assert!(Health::default().run(&log, 0, Some(&[f64::INFINITY])).is_err());
        assert_eq!(Health::default().run(&log, 0, Some(&[])).unwrap_err().kind().code(), "length_mismatch");
    }
}
