//! Lifecycle stages: a configurable stage machine, replayed from timestamped transitions, with
//! time in stage per lead and a summary per stage.
//!
//! The default machine has the stages `new -> contacted -> qualified -> engaged -> opportunity ->
//! customer` and allows every move forward (skipping stages is allowed, going back is not); a
//! [`StageConfig`] with `transitions` lists the allowed `[from, to]` pairs instead (backward moves,
//! a `disqualified` stage reachable from anywhere, re-entry).
//!
//! A lead's first transition is its entry: it may enter at any stage (a lead imported as
//! `qualified`). Every later transition must be allowed from the lead's current stage, and a
//! lead's transitions must come in time order (equal times allowed, in row order); rows of
//! different leads may interleave.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `stages` | the six above | stage names, in order | `>= 1`, unique, non-empty |
//! | `transitions` | every forward move | allowed `[from, to]` pairs | known stages |
//!
//! JSON: `{ "stages": ["new", "won", "lost"], "transitions": [["new", "won"], ["new", "lost"]] }`.

use serde::{Deserialize, Serialize};

use super::record;
use crate::error::{Error, Result};

/// The serde form of a [`StageMachine`].
///
/// ```
/// use channelwise::leads::lifecycle::StageConfig;
/// let c = StageConfig::default();
/// assert_eq!(c.stages[0], "new");
/// assert!(c.transitions.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageConfig {
    /// Stage names in order.
    pub stages: Vec<String>,
    /// Allowed `[from, to]` pairs (every forward move if `None`).
    #[serde(default)]
    pub transitions: Option<Vec<[String; 2]>>,
}

impl Default for StageConfig {
    fn default() -> Self {
        StageConfig {
            stages: ["new", "contacted", "qualified", "engaged", "opportunity", "customer"].iter().map(|s| s.to_string()).collect(),
            transitions: None,
        }
    }
}

/// A validated stage machine.
///
/// ```
/// use channelwise::leads::lifecycle::{StageConfig, StageMachine};
/// let m = StageMachine::default();
/// assert!(m.allows("new", "qualified")?);
/// assert!(!m.allows("customer", "new")?);
/// let custom = StageMachine::new(StageConfig {
///     stages: vec!["open".into(), "won".into(), "lost".into()],
///     transitions: Some(vec![["open".into(), "won".into()], ["open".into(), "lost".into()], ["lost".into(), "open".into()]]),
/// })?;
/// assert!(custom.allows("lost", "open")?);
/// assert_eq!(custom.allows("open", "gone").unwrap_err().kind(), channelwise::ErrorKind::InvalidParameter);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StageConfig", into = "StageConfig")]
pub struct StageMachine {
    config: StageConfig,
    /// `allowed[from * n + to]`
    allowed: Vec<bool>,
}

impl Default for StageMachine {
    fn default() -> Self {
        let config = StageConfig::default();
        let n = config.stages.len();
        let allowed = (0..n * n).map(|i| i / n < i % n).collect();
        StageMachine { config, allowed }
    }
}

impl TryFrom<StageConfig> for StageMachine {
    type Error = Error;
    fn try_from(c: StageConfig) -> Result<Self> {
        StageMachine::new(c)
    }
}

impl From<StageMachine> for StageConfig {
    fn from(m: StageMachine) -> Self {
        m.config
    }
}

impl StageMachine {
    /// Validates a config.
    ///
    /// # Errors
    /// [`Error::NotEnoughData`] for no stages; [`Error::InvalidParameter`] for an empty or
    /// repeated stage name (naming `stages[i]`) or an unknown stage in `transitions[i]`, or
    /// naming `stages` when its stages x stages table needs more memory than can be had.
    pub fn new(config: StageConfig) -> Result<Self> {
        let n = config.stages.len();
        if n == 0 {
            return Err(Error::NotEnoughData { what: "lifecycle stages".into(), required: 1, got: 0 });
        }
        let mut seen = std::collections::HashSet::with_capacity(n);
        for (i, s) in config.stages.iter().enumerate() {
            if s.is_empty() {
                return Err(Error::param(format!("stages[{i}]"), "\"\"", "a stage needs a name"));
            }
            if !seen.insert(s.as_str()) {
                return Err(Error::param(format!("stages[{i}]"), s, "stage names must be unique"));
            }
        }
        let mut allowed = crate::memory::filled(&[n, n], false, "stages", "stages x stages", "a stage machine keeps every [from, to] pair: use fewer stages")?;
        match &config.transitions {
            None => (0..n * n).for_each(|i| allowed[i] = i / n < i % n),
            Some(pairs) => {
                for (i, [a, b]) in pairs.iter().enumerate() {
                    let id = |s: &str| {
                        config.stages.iter().position(|x| x == s).ok_or_else(|| Error::param(format!("transitions[{i}]"), s, "unknown stage"))
                    };
                    allowed[id(a)? * n + id(b)?] = true;
                }
            }
        }
        Ok(StageMachine { config, allowed })
    }

    /// The stage names.
    pub fn stages(&self) -> &[String] {
        &self.config.stages
    }

    /// The index of stage `name`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `stage` for an unknown stage.
    pub fn stage_id(&self, name: &str) -> Result<usize> {
        self.config
            .stages
            .iter()
            .position(|s| s == name)
            .ok_or_else(|| Error::param("stage", name, format!("unknown stage (known: {})", self.config.stages.join(", "))))
    }

    /// Whether the move `from -> to` is allowed.
    ///
    /// # Errors
    /// As [`StageMachine::stage_id`].
    pub fn allows(&self, from: &str, to: &str) -> Result<bool> {
        Ok(self.allowed[self.stage_id(from)? * self.config.stages.len() + self.stage_id(to)?])
    }

    /// Replays transitions (row `i`: lead `lead[i]` entered `stage[i]` at `timestamp[i]` for
    /// `reason[i]`) of leads `0..n_leads`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::InvalidRecord`] naming the row and column for a lead
    /// `>= n_leads`, an unknown stage, a transition the machine does not allow (value
    /// `"from -> to"`), or a timestamp before the lead's previous one.
    ///
    /// ```
    /// use channelwise::leads::lifecycle::StageMachine;
    /// let m = StageMachine::default();
    /// let h = m.replay(2, &[0, 1, 0], &[0, 5, 100], &["new", "qualified", "contacted"], None)?;
    /// assert_eq!(h.current_stage(0), Some("contacted"));
    /// let e = m.replay(1, &[0, 0], &[0, 10], &["contacted", "new"], None).unwrap_err();
    /// assert_eq!(e.to_string(), "invalid record at row 1, column stage: \"contacted -> new\" (transition not allowed)");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn replay<S: AsRef<str>>(
        &self,
        n_leads: usize,
        lead: &[u32],
        timestamp: &[i64],
        stage: &[S],
        reason: Option<&[S]>,
    ) -> Result<Lifecycle> {
        let rows = lead.len();
        for (field, got) in [("timestamp", timestamp.len()), ("stage", stage.len()), ("reason", reason.map_or(rows, <[S]>::len))] {
            if got != rows {
                return Err(Error::LengthMismatch { field: field.into(), expected: rows, got });
            }
        }
        let n = self.config.stages.len();
        let mut current: Vec<Option<usize>> = vec![None; n_leads];
        let mut last_time = vec![i64::MIN; n_leads];
        let mut transitions = Vec::with_capacity(rows);
        for i in 0..rows {
            let l = lead[i] as usize;
            if l >= n_leads {
                return Err(record(i, "lead", lead[i], &format!("must be < n_leads = {n_leads}")));
            }
            let name = stage[i].as_ref();
            let to = self.config.stages.iter().position(|s| s == name).ok_or_else(|| record(i, "stage", name, "unknown stage"))?;
            if timestamp[i] < last_time[l] {
                return Err(record(i, "timestamp", timestamp[i], &format!("before lead {l}'s previous transition at {}", last_time[l])));
            }
            if let Some(from) = current[l] {
                if !self.allowed[from * n + to] {
                    return Err(record(i, "stage", format!("{} -> {name}", self.config.stages[from]), "transition not allowed"));
                }
            }
            transitions.push(Transition {
                lead: lead[i],
                from: current[l],
                to,
                timestamp: timestamp[i],
                reason: reason.map(|r| r[i].as_ref().to_string()).filter(|r| !r.is_empty()),
            });
            current[l] = Some(to);
            last_time[l] = timestamp[i];
        }
        Ok(Lifecycle { stages: self.config.stages.clone(), current, transitions })
    }
}

/// One accepted transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The lead.
    pub lead: u32,
    /// Stage index before (`None` for the entry).
    pub from: Option<usize>,
    /// Stage index after.
    pub to: usize,
    /// When (unix seconds).
    pub timestamp: i64,
    /// Why, if given (an empty reason is none).
    pub reason: Option<String>,
}

/// The replayed history of every lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lifecycle {
    /// Stage names.
    pub stages: Vec<String>,
    /// Current stage index per lead (`None` if it never entered).
    pub current: Vec<Option<usize>>,
    /// Every transition, in row order.
    pub transitions: Vec<Transition>,
}

/// Time in stage per lead and a summary per stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeInStage {
    /// Stage names.
    pub stages: Vec<String>,
    /// Seconds per lead per stage, row-major (`seconds[lead * stages.len() + s]`), summed over
    /// re-entries; the current stay runs to `as_of`.
    pub seconds: Vec<f64>,
    /// One summary per stage.
    pub summary: Vec<StageSummary>,
}

/// What happened in one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSummary {
    /// The stage.
    pub stage: String,
    /// Entries into the stage (a re-entry counts again).
    pub entered: u64,
    /// Exits from the stage.
    pub exited: u64,
    /// Leads in the stage now.
    pub current: u64,
    /// Median seconds of completed stays (`None` without one).
    pub median_seconds: Option<f64>,
    /// Mean seconds of completed stays (`None` without one).
    pub mean_seconds: Option<f64>,
}

impl Lifecycle {
    /// The current stage of `lead`, if it has one.
    pub fn current_stage(&self, lead: usize) -> Option<&str> {
        self.current.get(lead).copied().flatten().map(|s| self.stages[s].as_str())
    }

    /// Time in stage as of `as_of` (unix seconds).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `as_of` if it is before a lead's last transition, or
    /// naming `leads` when leads x stages seconds need more memory than can be had.
    ///
    /// ```
    /// use channelwise::leads::lifecycle::StageMachine;
    /// let h = StageMachine::default().replay(1, &[0, 0], &[0, 100], &["new", "contacted"], None)?;
    /// let t = h.time_in_stage(250)?;
    /// assert_eq!(&t.seconds[..2], &[100.0, 150.0]);
    /// assert_eq!(t.summary[0].median_seconds, Some(100.0));
    /// assert_eq!(t.summary[1].current, 1);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn time_in_stage(&self, as_of: i64) -> Result<TimeInStage> {
        let k = self.stages.len();
        let n = self.current.len();
        let mut seconds = crate::memory::filled(&[n, k], 0.0, "leads", "leads x stages", "ask for the leads in batches")?;
        let mut stays: Vec<Vec<f64>> = vec![Vec::new(); k];
        let mut entered = vec![0u64; k];
        let mut open: Vec<Option<(usize, i64)>> = vec![None; n];
        for t in &self.transitions {
            let l = t.lead as usize;
            if let Some((s, since)) = open[l] {
                let d = (i128::from(t.timestamp) - i128::from(since)) as f64;
                seconds[l * k + s] += d;
                stays[s].push(d);
            }
            entered[t.to] += 1;
            open[l] = Some((t.to, t.timestamp));
        }
        let mut current = vec![0u64; k];
        for (l, o) in open.iter().enumerate() {
            if let Some((s, since)) = *o {
                if as_of < since {
                    return Err(Error::param("as_of", as_of, format!("is before lead {l}'s last transition at {since}")));
                }
                seconds[l * k + s] += (i128::from(as_of) - i128::from(since)) as f64;
                current[s] += 1;
            }
        }
        let summary = (0..k)
            .map(|s| StageSummary {
                stage: self.stages[s].clone(),
                entered: entered[s],
                exited: stays[s].len() as u64,
                current: current[s],
                median_seconds: crate::stats::median(&stays[s]),
                mean_seconds: (!stays[s].is_empty()).then(|| stays[s].iter().sum::<f64>() / stays[s].len() as f64),
            })
            .collect();
        Ok(TimeInStage { stages: self.stages.clone(), seconds, summary })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_errors_name_row_and_column() {
        let m = StageMachine::default();
        let e = m.replay(1, &[0], &[0], &["lead"], None).unwrap_err();
        assert_eq!(e.to_string(), "invalid record at row 0, column stage: \"lead\" (unknown stage)");
        let e = m.replay(1, &[0, 0], &[10, 5], &["new", "contacted"], None).unwrap_err();
        assert!(e.to_string().starts_with("invalid record at row 1, column timestamp: \"5\""), "{e}");
        let e = m.replay(1, &[0, 0], &[0, 5], &["new", "new"], None).unwrap_err();
        assert!(e.to_string().contains("new -> new"));
        let e = m.replay(1, &[3], &[0], &["new"], None).unwrap_err();
        assert!(e.to_string().contains("column lead"));
        assert_eq!(m.replay(1, &[0], &[0, 1], &["new"], None).unwrap_err().kind().code(), "length_mismatch");
        let h = m.replay(1, &[0], &[10], &["new"], None).unwrap();
        assert_eq!(h.time_in_stage(9).unwrap_err().kind().code(), "invalid_parameter");
    }

    #[test]
    fn re_entry_sums_and_reasons_are_kept() {
        let cfg: StageConfig =
            serde_json::from_str(r#"{ "stages": ["open", "won", "lost"], "transitions": [["open", "lost"], ["lost", "open"], ["open", "won"]] }"#)
                .unwrap();
        let m: StageMachine = serde_json::from_str(&serde_json::to_string(&cfg).unwrap()).unwrap();
        let h = m
            .replay(2, &[0, 0, 0, 0, 1], &[0, 10, 40, 100, 5], &["open", "lost", "open", "won", "lost"], Some(&["", "no budget", "budget", "", ""]))
            .unwrap();
        assert_eq!(h.transitions[1].reason.as_deref(), Some("no budget"));
        assert_eq!(h.transitions[1].from, Some(0));
        let t = h.time_in_stage(200).unwrap();
        assert_eq!(&t.seconds[..3], &[70.0, 100.0, 30.0]);
        assert_eq!(&t.seconds[3..], &[0.0, 0.0, 195.0]);
        assert_eq!(t.summary[0].entered, 2);
        assert_eq!(t.summary[0].median_seconds, Some(35.0));
        assert_eq!(t.summary[2].current, 1);
        assert!(serde_json::from_str::<StageMachine>(r#"{ "stages": ["a", "a"] }"#).is_err());
    }
}
