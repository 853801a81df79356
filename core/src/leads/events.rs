//! The columnar event log every `leads` computation reads: one row per event, as four parallel
//! columns (lead index, unix-second timestamp, event-type id, value) over a small vocabulary of
//! event-type names.
//!
//! Timestamps are unix seconds (UTC), as in [`journey::Touchpoint`](crate::journey::Touchpoint);
//! leads are dense indices `0..n_leads` (intern user ids once, as the journey module interns
//! channels), so a million leads with twenty events each are 20M rows of 24 bytes.

use super::record;
use crate::error::{Error, Result};

/// A validated, borrowed, columnar event log.
///
/// Rows may come in any order; each computation groups them by lead (a stable counting sort)
/// and, where order matters, sorts a lead's events by timestamp (ties keep row order).
///
/// ```
/// use channelwise::leads::EventLog;
/// let types = vec!["visit".to_string(), "signup".to_string()];
/// let log = EventLog::new(2, types, &[0, 0, 1], &[100, 200, 150], &[0, 1, 0], None)?;
/// assert_eq!(log.len(), 3);
/// assert_eq!(log.type_id("signup")?, 1);
/// assert_eq!(log.type_id("churn").unwrap_err().kind(), channelwise::ErrorKind::InvalidParameter);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct EventLog<'a> {
    n_leads: usize,
    event_types: Vec<String>,
    lead: &'a [u32],
    timestamp: &'a [i64],
    event_type: &'a [u32],
    value: Option<&'a [f64]>,
}

impl<'a> EventLog<'a> {
    /// A log of events of leads `0..n_leads`, whose `event_type[i]` indexes `event_types`.
    /// `value` (revenue, duration, ...) is optional; a missing column reads as 0.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] if the columns differ in length; [`Error::InvalidRecord`]
    /// naming the row for a lead `>= n_leads`, an event type out of the vocabulary or a
    /// non-finite value; [`Error::InvalidParameter`] for an empty or repeated event-type name.
    pub fn new(
        n_leads: usize,
        event_types: Vec<String>,
        lead: &'a [u32],
        timestamp: &'a [i64],
        event_type: &'a [u32],
        value: Option<&'a [f64]>,
    ) -> Result<Self> {
        let n = lead.len();
        for (field, got) in [("timestamp", timestamp.len()), ("event_type", event_type.len())] {
            if got != n {
                return Err(Error::LengthMismatch { field: field.into(), expected: n, got });
            }
        }
        if let Some(v) = value {
            if v.len() != n {
                return Err(Error::LengthMismatch { field: "value".into(), expected: n, got: v.len() });
            }
            if let Some(i) = v.iter().position(|x| !x.is_finite()) {
                return Err(record(i, "value", v[i], "must be finite"));
            }
        }
        for (i, name) in event_types.iter().enumerate() {
            if name.is_empty() {
                return Err(Error::param(format!("event_types[{i}]"), "\"\"", "an event type needs a name"));
            }
            if event_types[..i].contains(name) {
                return Err(Error::param(format!("event_types[{i}]"), name, "event type names must be unique"));
            }
        }
        if let Some(i) = lead.iter().position(|&l| l as usize >= n_leads) {
            return Err(record(i, "lead", lead[i], &format!("must be < n_leads = {n_leads}")));
        }
        let k = event_types.len();
        if let Some(i) = event_type.iter().position(|&t| t as usize >= k) {
            return Err(record(i, "event_type", event_type[i], &format!("must index the {k} event types")));
        }
        Ok(EventLog { n_leads, event_types, lead, timestamp, event_type, value })
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.lead.len()
    }

    /// Whether the log has no events.
    pub fn is_empty(&self) -> bool {
        self.lead.is_empty()
    }

    /// Number of leads (including leads without events).
    pub fn n_leads(&self) -> usize {
        self.n_leads
    }

    /// The event-type vocabulary.
    pub fn event_types(&self) -> &[String] {
        &self.event_types
    }

    /// The lead column.
    pub fn leads(&self) -> &'a [u32] {
        self.lead
    }

    /// The timestamp column (unix seconds).
    pub fn timestamps(&self) -> &'a [i64] {
        self.timestamp
    }

    /// The event-type column.
    pub fn types(&self) -> &'a [u32] {
        self.event_type
    }

    /// The value of event `i` (0 without a value column).
    pub fn value(&self, i: usize) -> f64 {
        self.value.map_or(0.0, |v| v[i])
    }

    /// The id of the event type `name`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `field` and `name` if the log has no such event type.
    pub fn type_id(&self, name: &str) -> Result<u32> {
        self.type_id_for("event_type", name)
    }

    /// [`EventLog::type_id`] with the config field to name in the error.
    pub(crate) fn type_id_for(&self, field: &str, name: &str) -> Result<u32> {
        self.event_types
            .iter()
            .position(|t| t == name)
            .map(|i| i as u32)
            .ok_or_else(|| Error::param(field, name, format!("unknown event type (known: {})", self.event_types.join(", "))))
    }

    /// Where each lead's rows start once grouped by lead (`n_leads + 1` offsets), and whether
    /// the rows already are grouped (lead non-decreasing).
    pub(crate) fn lead_offsets(&self) -> (Vec<usize>, bool) {
        let n = self.n_leads;
        let mut offsets = vec![0usize; n + 1];
        for &l in self.lead {
            offsets[l as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        (offsets, self.lead.windows(2).all(|w| w[0] <= w[1]))
    }

    /// Groups the rows by lead, keeping row order within a lead (counting sort, O(n)).
    pub(crate) fn by_lead(&self) -> LeadGroups {
        let (offsets, sorted) = self.lead_offsets();
        let order: Vec<u32> = if sorted {
            (0..self.lead.len() as u32).collect()
        } else {
            let mut next = offsets.clone();
            let mut order = vec![0u32; self.lead.len()];
            for (i, &l) in self.lead.iter().enumerate() {
                let slot = &mut next[l as usize];
                order[*slot] = i as u32;
                *slot += 1;
            }
            order
        };
        LeadGroups { offsets, order }
    }

    /// [`EventLog::by_lead`] with each lead's events sorted by timestamp (ties keep row order).
    pub(crate) fn by_lead_in_time(&self) -> LeadGroups {
        let mut g = self.by_lead();
        let ts = self.timestamp;
        for l in 0..self.n_leads {
            let s = &mut g.order[g.offsets[l]..g.offsets[l + 1]];
            if !s.windows(2).all(|w| ts[w[0] as usize] <= ts[w[1] as usize]) {
                s.sort_by_key(|&i| (ts[i as usize], i));
            }
        }
        g
    }
}

/// Row indices of the events of each lead.
pub(crate) struct LeadGroups {
    offsets: Vec<usize>,
    order: Vec<u32>,
}

impl LeadGroups {
    /// The rows of lead `l`.
    pub(crate) fn rows(&self, l: usize) -> &[u32] {
        &self.order[self.offsets[l]..self.offsets[l + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types() -> Vec<String> {
        vec!["a".into(), "b".into()]
    }

    #[test]
    fn groups_are_stable_and_time_sorted() {
        let log = EventLog::new(3, types(), &[2, 0, 2, 0], &[5, 9, 1, 3], &[0, 1, 1, 0], None).unwrap();
        let g = log.by_lead();
        assert_eq!(g.rows(0), &[1, 3]);
        assert_eq!(g.rows(1), &[] as &[u32]);
        assert_eq!(g.rows(2), &[0, 2]);
        let g = log.by_lead_in_time();
        assert_eq!(g.rows(0), &[3, 1]);
        assert_eq!(g.rows(2), &[2, 0]);
    }

    #[test]
    fn bad_logs_name_row_and_field() {
        let e = EventLog::new(1, types(), &[0, 1], &[0, 0], &[0, 0], None).unwrap_err();
        assert_eq!(e.to_string(), "invalid record at row 1, column lead: \"1\" (must be < n_leads = 1)");
        let e = EventLog::new(2, types(), &[0, 1], &[0, 0], &[0, 2], None).unwrap_err();
        assert!(e.to_string().contains("column event_type"));
        let e = EventLog::new(2, types(), &[0, 1], &[0], &[0, 0], None).unwrap_err();
        assert_eq!(e.kind().code(), "length_mismatch");
        let e = EventLog::new(2, types(), &[0, 1], &[0, 0], &[0, 0], Some(&[1.0, f64::NAN])).unwrap_err();
        assert!(e.to_string().contains("row 1, column value"));
        let e = EventLog::new(2, vec!["a".into(), "a".into()], &[], &[], &[], None).unwrap_err();
        assert_eq!(e.kind().code(), "invalid_parameter");
    }
}
