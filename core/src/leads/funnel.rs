//! Funnels with the semantics of PostHog's funnel insight (which Mixpanel and GA4's closed
//! funnels share in the sequential case).
//!
//! A funnel is two or more steps, each an event type. Each lead's events are read in time order
//! (ties keep row order). Every event that can start the funnel starts an **attempt**:
//!
//! - [`StepOrder::Sequential`] (PostHog "sequential", Mixpanel's default): an attempt starts at
//!   an event of step 0; step `k + 1` is the *earliest* event of its type after step `k`'s event
//!   (later in the lead's sequence); other events may come between.
//! - [`StepOrder::Strict`] (PostHog "strict"): as sequential, but step `k + 1` must be the very
//!   next event of the lead after step `k`'s event; *any* other event in the log (of any type)
//!   in between ends the attempt at step `k`.
//! - [`StepOrder::Any`] (PostHog "any order"): an attempt starts at an event of any step; it
//!   reaches as many steps as there are distinct step types among its events in the window
//!   (from the start event on); "step `k`" then means "k + 1 distinct steps done" and the
//!   steps' times are the first time each was done, in time order.
//!
//! **Window**: an attempt's events lie within `window_seconds` of its start, inclusive
//! (`t - t_start <= window_seconds`). Default 14 days (PostHog's default).
//!
//! **Exclusions** (PostHog's exclusion steps; sequential and strict order only): an exclusion
//! `{ event_type: E, from_step: a, to_step: b }` disqualifies an attempt that reached step `a`
//! if an `E` event lies strictly between the attempt's step-`a` and step-`b` events; if the
//! attempt never reached step `b`, any `E` event after its step-`a` event within the window
//! disqualifies it (the user was "between" the steps when they did `E`). A disqualified
//! attempt counts for nothing; a lead whose every attempt is disqualified is not in the funnel
//! at all (not even in step 0), as in PostHog.
//!
//! **Counting** (PostHog's "furthest step reached within any window starting at a first-step
//! event"): each lead counts once, at the furthest step reached by any of its valid attempts, and
//! is counted in every step up to it, so `counts` never increases along the steps. The times
//! between steps come from the lead's counted attempt: the furthest one, the earliest-starting
//! among equals. `median_seconds_from_previous[k]` is the median, over the leads that reached
//! step `k`, of the time from step `k - 1` to step `k` (mean of the middle two for an even count).
//!
//! **Conversion rate** relative to the first step is `counts[k] / counts[0]`; relative to the
//! previous step `counts[k] / counts[k - 1]`; step 0 has rate 1; a zero denominator gives 0.
//!
//! Time grows with the events each attempt scans (at most the lead's events in one window per
//! attempt).
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `steps` | (required) | event types, in funnel order | `>= 2`, known event types |
//! | `order` | `"sequential"` | `"sequential"`, `"strict"` or `"any"` | |
//! | `window_seconds` | 1 209 600 (14 days) | conversion window from the first step | `> 0` |
//! | `relative_to` | `"first"` | conversion rate against `"first"` or `"previous"` step | |
//! | `exclusions` | `[]` | `{ "event_type", "from_step", "to_step" }` (0-based steps) | `from_step < to_step < steps` |

use serde::{Deserialize, Serialize};

use super::events::EventLog;
use crate::error::{Error, Result};

/// How the steps must be ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOrder {
    /// In order, other events allowed between.
    #[default]
    Sequential,
    /// In order, nothing between.
    Strict,
    /// In any order.
    Any,
}

/// What a step's conversion rate is relative to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelativeTo {
    /// The first step.
    #[default]
    First,
    /// The previous step.
    Previous,
}

/// An exclusion step: `event_type` between steps `from_step` and `to_step` (0-based)
/// disqualifies the attempt (see the [module docs](self)).
///
/// ```
/// use channelwise::leads::funnel::Exclusion;
/// let x = Exclusion::new("cancel", 0, 1);
/// assert_eq!((x.from_step, x.to_step), (0, 1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The excluded event type.
    pub event_type: String,
    /// The step after which it disqualifies.
    pub from_step: usize,
    /// The step before which it disqualifies.
    pub to_step: usize,
}

impl Exclusion {
    /// An exclusion of `event_type` between steps `from_step` and `to_step`.
    pub fn new(event_type: impl Into<String>, from_step: usize, to_step: usize) -> Self {
        Exclusion { event_type: event_type.into(), from_step, to_step }
    }
}

fn two_weeks() -> i64 {
    14 * 86_400
}

/// A funnel definition (see the [module docs](self) for the exact semantics).
///
/// ```
/// use channelwise::leads::{funnel::{Funnel, RelativeTo, StepOrder}, EventLog};
/// let types: Vec<String> = ["view", "cart", "buy"].iter().map(|s| s.to_string()).collect();
/// // lead 0: view, cart, buy; lead 1: view, buy, cart (strict and sequential disagree)
/// let log = EventLog::new(2, types, &[0, 0, 0, 1, 1, 1], &[0, 10, 20, 0, 10, 20], &[0, 1, 2, 0, 2, 1], None)?;
/// let seq = Funnel::new(&["view", "cart", "buy"]).run(&log)?;
/// assert_eq!(seq.counts, vec![2, 2, 1]);
/// let any = Funnel::new(&["view", "cart", "buy"]).order(StepOrder::Any).relative_to(RelativeTo::Previous).run(&log)?;
/// assert_eq!(any.counts, vec![2, 2, 2]);
/// assert_eq!(any.conversion_rate, vec![1.0, 1.0, 1.0]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funnel {
    /// Event types, in funnel order.
    pub steps: Vec<String>,
    /// Step order.
    #[serde(default)]
    pub order: StepOrder,
    /// Conversion window from the first step, in seconds.
    #[serde(default = "two_weeks")]
    pub window_seconds: i64,
    /// Conversion rate relative to the first or previous step.
    #[serde(default)]
    pub relative_to: RelativeTo,
    /// Exclusion steps.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
}

/// A funnel's counts, rates, drop-offs and step times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelResult {
    /// The steps.
    pub steps: Vec<String>,
    /// Leads that reached each step.
    pub counts: Vec<u64>,
    /// Conversion rate of each step (relative to the first or the previous step).
    pub conversion_rate: Vec<f64>,
    /// Leads lost at each step: `counts[k - 1] - counts[k]` (0 for step 0).
    pub drop_off: Vec<u64>,
    /// Median seconds from the previous step to this one (`None` for step 0 and empty steps).
    pub median_seconds_from_previous: Vec<Option<f64>>,
    /// Per lead, the number of steps reached (0 = not in the funnel).
    pub furthest_step: Vec<u32>,
}

impl Funnel {
    /// A sequential funnel over `steps` with a 14-day window, rates relative to the first step.
    pub fn new<S: AsRef<str>>(steps: &[S]) -> Self {
        Funnel {
            steps: steps.iter().map(|s| s.as_ref().to_string()).collect(),
            order: StepOrder::Sequential,
            window_seconds: two_weeks(),
            relative_to: RelativeTo::First,
            exclusions: Vec::new(),
        }
    }

    /// Sets the step order.
    pub fn order(mut self, order: StepOrder) -> Self {
        self.order = order;
        self
    }

    /// Sets the conversion window in seconds.
    pub fn window_seconds(mut self, seconds: i64) -> Self {
        self.window_seconds = seconds;
        self
    }

    /// Sets what conversion rates are relative to.
    pub fn relative_to(mut self, relative_to: RelativeTo) -> Self {
        self.relative_to = relative_to;
        self
    }

    /// Adds an exclusion step.
    pub fn exclude(mut self, exclusion: Exclusion) -> Self {
        self.exclusions.push(exclusion);
        self
    }

    /// Runs the funnel over every lead of `events`.
    ///
    /// # Errors
    /// [`Error::NotEnoughData`] for fewer than two steps; [`Error::InvalidParameter`] for an
    /// unknown event type (naming `steps[i]` or `exclusions[i].event_type`), a window `<= 0`, an
    /// exclusion whose steps are not `from_step < to_step < steps`, exclusions with
    /// [`StepOrder::Any`], or a step repeated in an any-order funnel.
    pub fn run(&self, events: &EventLog<'_>) -> Result<FunnelResult> {
        let k = self.steps.len();
        if k < 2 {
            return Err(Error::NotEnoughData { what: "funnel steps".into(), required: 2, got: k });
        }
        if self.window_seconds <= 0 {
            return Err(Error::param("window_seconds", self.window_seconds, "must be greater than 0"));
        }
        let steps: Vec<u32> =
            self.steps.iter().enumerate().map(|(i, s)| events.type_id_for(&format!("steps[{i}]"), s)).collect::<Result<_>>()?;
        let mut excl = Vec::with_capacity(self.exclusions.len());
        for (i, x) in self.exclusions.iter().enumerate() {
            if self.order == StepOrder::Any {
                return Err(Error::param("exclusions", &x.event_type, "exclusions need an ordered funnel (sequential or strict)"));
            }
            if x.from_step >= x.to_step || x.to_step >= k {
                return Err(Error::param(
                    format!("exclusions[{i}]"),
                    format!("{} -> {}", x.from_step, x.to_step),
                    format!("steps must satisfy from_step < to_step < {k}"),
                ));
            }
            excl.push((events.type_id_for(&format!("exclusions[{i}].event_type"), &x.event_type)?, x.from_step, x.to_step));
        }
        // step of each event type (any order only; there every step type is distinct)
        let mut step_of = vec![usize::MAX; events.event_types().len()];
        if self.order == StepOrder::Any {
            for (i, &s) in steps.iter().enumerate() {
                if step_of[s as usize] != usize::MAX {
                    return Err(Error::param(format!("steps[{i}]"), &self.steps[i], "a step repeats in an any-order funnel"));
                }
                step_of[s as usize] = i;
            }
        }

        let n = events.n_leads();
        let groups = events.by_lead_in_time();
        let (all_ts, all_ty) = (events.timestamps(), events.types());
        let window = i128::from(self.window_seconds);
        let mut furthest_step = vec![0u32; n];
        let mut gaps: Vec<Vec<f64>> = vec![Vec::new(); k];
        let (mut ts, mut ty) = (Vec::new(), Vec::new());
        let (mut times, mut best_times) = (Vec::with_capacity(k), Vec::with_capacity(k));
        let mut pos = Vec::with_capacity(k);
        for (l, out) in furthest_step.iter_mut().enumerate() {
            ts.clear();
            ty.clear();
            for &e in groups.rows(l) {
                ts.push(all_ts[e as usize]);
                ty.push(all_ty[e as usize]);
            }
            let within = |t0: i64, t: i64| i128::from(t) - i128::from(t0) <= window;
            let mut best = 0usize;
            best_times.clear();
            for start in 0..ts.len() {
                times.clear();
                match self.order {
                    StepOrder::Sequential | StepOrder::Strict => {
                        if ty[start] != steps[0] {
                            continue;
                        }
                        pos.clear();
                        pos.push(start);
                        let mut j = start + 1;
                        while pos.len() < k && j < ts.len() && within(ts[start], ts[j]) {
                            if ty[j] == steps[pos.len()] {
                                pos.push(j);
                            } else if self.order == StepOrder::Strict {
                                break;
                            }
                            j += 1;
                        }
                        let excluded = excl.iter().any(|&(e, a, b)| {
                            if a >= pos.len() {
                                return false;
                            }
                            let from = pos[a] + 1;
                            let to = if b < pos.len() {
                                pos[b]
                            } else {
                                from + ts[from..].iter().take_while(|&&t| within(ts[start], t)).count()
                            };
                            ty[from..to].contains(&e)
                        });
                        if excluded {
                            continue;
                        }
                        times.extend(pos.iter().map(|&p| ts[p]));
                    }
                    StepOrder::Any => {
                        if step_of[ty[start] as usize] == usize::MAX {
                            continue;
                        }
                        let mut done = vec![false; k];
                        for j in start..ts.len() {
                            if !within(ts[start], ts[j]) || times.len() == k {
                                break;
                            }
                            let s = step_of[ty[j] as usize];
                            if s != usize::MAX && !done[s] {
                                done[s] = true;
                                times.push(ts[j]);
                            }
                        }
                    }
                }
                if times.len() > best {
                    best = times.len();
                    std::mem::swap(&mut best_times, &mut times);
                    if best == k {
                        break;
                    }
                }
            }
            *out = best as u32;
            for s in 1..best {
                gaps[s].push((i128::from(best_times[s]) - i128::from(best_times[s - 1])) as f64);
            }
        }

        let mut counts = vec![0u64; k];
        for &f in &furthest_step {
            for c in counts.iter_mut().take(f as usize) {
                *c += 1;
            }
        }
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let conversion_rate = (0..k)
            .map(|s| match (s, self.relative_to) {
                (0, _) => ratio(counts[0], counts[0]),
                (_, RelativeTo::First) => ratio(counts[s], counts[0]),
                (_, RelativeTo::Previous) => ratio(counts[s], counts[s - 1]),
            })
            .collect();
        let drop_off = (0..k).map(|s| if s == 0 { 0 } else { counts[s - 1] - counts[s] }).collect();
        let median_seconds_from_previous = gaps.iter().map(|g| crate::stats::median(g)).collect();
        Ok(FunnelResult { steps: self.steps.clone(), counts, conversion_rate, drop_off, median_seconds_from_previous, furthest_step })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types() -> Vec<String> {
        ["a", "b", "c", "x"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn window_and_attempts() {
        // lead 0: a at 0, b at 100 (outside a 50 s window), a at 90, b at 100 -> second attempt reaches b
        let log = EventLog::new(1, types(), &[0, 0, 0], &[0, 100, 90], &[0, 1, 0], None).unwrap();
        let r = Funnel::new(&["a", "b"]).window_seconds(50).run(&log).unwrap();
        assert_eq!(r.counts, vec![1, 1]);
        assert_eq!(r.median_seconds_from_previous, vec![None, Some(10.0)]);
        let r = Funnel::new(&["a", "b"]).window_seconds(5).run(&log).unwrap();
        assert_eq!((r.counts.clone(), r.drop_off.clone()), (vec![1, 0], vec![0, 1]));
        assert_eq!(r.conversion_rate, vec![1.0, 0.0]);
    }

    #[test]
    fn strict_breaks_on_any_other_event() {
        let log = EventLog::new(1, types(), &[0, 0, 0], &[0, 1, 2], &[0, 3, 1], None).unwrap();
        assert_eq!(Funnel::new(&["a", "b"]).order(StepOrder::Strict).run(&log).unwrap().counts, vec![1, 0]);
        assert_eq!(Funnel::new(&["a", "b"]).run(&log).unwrap().counts, vec![1, 1]);
    }

    #[test]
    fn exclusions_disqualify_attempts_not_leads() {
        // attempt 1: a(0) x(1) b(2) is excluded; attempt 2: a(3) b(4) is clean
        let log = EventLog::new(2, types(), &[0, 0, 0, 0, 0, 1, 1], &[0, 1, 2, 3, 4, 0, 1], &[0, 3, 1, 0, 1, 0, 3], None).unwrap();
        let r = Funnel::new(&["a", "b"]).exclude(Exclusion::new("x", 0, 1)).run(&log).unwrap();
        // lead 1: a then x and never b -> excluded entirely
        assert_eq!(r.furthest_step, vec![2, 0]);
        assert_eq!(r.counts, vec![1, 1]);
    }

    #[test]
    fn bad_funnels_are_typed_errors() {
        let log = EventLog::new(1, types(), &[0], &[0], &[0], None).unwrap();
        assert_eq!(Funnel::new(&["a"]).run(&log).unwrap_err().kind().code(), "not_enough_data");
        let e = Funnel::new(&["a", "zz"]).run(&log).unwrap_err();
        assert!(e.to_string().starts_with("invalid steps[1]: \"zz\""), "{e}");
        assert!(Funnel::new(&["a", "b"]).window_seconds(0).run(&log).is_err());
        assert!(Funnel::new(&["a", "b"]).exclude(Exclusion::new("x", 1, 1)).run(&log).is_err());
        assert!(Funnel::new(&["a", "b"]).order(StepOrder::Any).exclude(Exclusion::new("x", 0, 1)).run(&log).is_err());
        assert!(Funnel::new(&["a", "a"]).order(StepOrder::Any).run(&log).is_err());
        let f: Funnel = serde_json::from_str(r#"{ "steps": ["a", "b"], "order": "strict" }"#).unwrap();
        assert_eq!(f.window_seconds, 14 * 86_400);
        assert_eq!(f, Funnel::new(&["a", "b"]).order(StepOrder::Strict));
    }
}
