//! Journeys: touchpoint and conversion columns -> `Journeys` -> path table, time decay.

use channelwise::attribution::TimeDecay;
use channelwise::journey::{
    parse_timestamp, Conversion, JourneyBuilder, Journeys, Level, Touchpoint,
};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::attribution::PyPathTable;
use crate::columns::{check_len, f64s, i64s, optional_strings, strings};
use crate::error::{core, guard};

/// Journeys built from event logs (the core's `Journeys`).
#[pyclass(frozen, name = "Journeys", module = "channelwise._channelwise")]
pub(crate) struct PyJourneys(Journeys);

fn record(table: &'static str, column: &'static str) -> impl Fn(usize, String) -> Error {
    move |row, got| Error::InvalidRecord {
        row,
        column: format!("{table}.{column}"),
        value: got,
        reason: "expected a string".into(),
    }
}

/// Builds journeys from touchpoint and conversion columns.
///
/// Timestamps are int64 unix seconds as bytes; `t_cost` is float64 bytes with NaN for
/// "unknown"; optional string columns hold `None` for missing.
#[pyfunction]
#[pyo3(signature = (
    t_user_id, t_timestamp, t_channel, t_campaign, t_cost, t_event_id,
    c_user_id, c_timestamp, c_value, c_event_id, c_kind,
    lookback=2_592_000, session_gap=None, level="channel", lead_kind=None,
))]
#[allow(clippy::too_many_arguments)]
fn build_journeys(
    py: Python<'_>,
    t_user_id: &Bound<'_, PyAny>,
    t_timestamp: &[u8],
    t_channel: &Bound<'_, PyAny>,
    t_campaign: Option<&Bound<'_, PyAny>>,
    t_cost: Option<&[u8]>,
    t_event_id: Option<&Bound<'_, PyAny>>,
    c_user_id: &Bound<'_, PyAny>,
    c_timestamp: &[u8],
    c_value: &[u8],
    c_event_id: Option<&Bound<'_, PyAny>>,
    c_kind: Option<&Bound<'_, PyAny>>,
    lookback: i64,
    session_gap: Option<i64>,
    level: &str,
    lead_kind: Option<String>,
) -> PyResult<PyJourneys> {
    guard(|| {
        let level: Level = core(level.parse())?;
        let users = strings(t_user_id, record("touchpoints", "user_id"))?;
        let n = users.len();
        let channels = strings(t_channel, record("touchpoints", "channel"))?;
        let ts = core(i64s("touchpoints.timestamp", t_timestamp))?;
        let campaigns = optional_strings(t_campaign, n, record("touchpoints", "campaign"))?;
        let costs = core(t_cost.map(|b| f64s("touchpoints.cost", b)).transpose())?;
        let ids = optional_strings(t_event_id, n, record("touchpoints", "event_id"))?;
        core(check_len("touchpoints.channel", channels.len(), n))?;
        core(check_len("touchpoints.timestamp", ts.len(), n))?;
        core(check_len("touchpoints.campaign", campaigns.len(), n))?;
        core(check_len("touchpoints.event_id", ids.len(), n))?;
        if let Some(c) = &costs {
            core(check_len("touchpoints.cost", c.len(), n))?;
        }
        let touches: Vec<Touchpoint> = campaigns
            .into_iter()
            .zip(ids)
            .enumerate()
            .map(|(i, (campaign, event_id))| Touchpoint {
                user_id: users.get(i).to_string(),
                timestamp: ts[i],
                channel: channels.get(i).to_string(),
                campaign,
                cost: costs.as_ref().map(|c| c[i]).filter(|x| !x.is_nan()),
                event_id,
            })
            .collect();

        let users = strings(c_user_id, record("conversions", "user_id"))?;
        let m = users.len();
        let ts = core(i64s("conversions.timestamp", c_timestamp))?;
        let values = core(f64s("conversions.value", c_value))?;
        let ids = optional_strings(c_event_id, m, record("conversions", "event_id"))?;
        let kinds = optional_strings(c_kind, m, record("conversions", "type"))?;
        core(check_len("conversions.timestamp", ts.len(), m))?;
        core(check_len("conversions.value", values.len(), m))?;
        core(check_len("conversions.event_id", ids.len(), m))?;
        core(check_len("conversions.type", kinds.len(), m))?;
        let conversions: Vec<Conversion> = ids
            .into_iter()
            .zip(kinds)
            .enumerate()
            .map(|(i, (event_id, kind))| Conversion {
                user_id: users.get(i).to_string(),
                timestamp: ts[i],
                value: values[i],
                event_id,
                kind,
            })
            .collect();

        let mut b = JourneyBuilder::new()
            .lookback(lookback)
            .session_gap(session_gap)
            .level(level);
        if let Some(k) = lead_kind {
            b = b.lead_kind(k);
        }
        Ok(PyJourneys(core(
            py.detach(|| b.build(&touches, &conversions)),
        )?))
    })
}

/// Parses timestamp strings (RFC 3339 / ISO 8601 or unix seconds, as the core's
/// `parse_timestamp`) into int64 unix seconds, as bytes.
#[pyfunction]
fn parse_timestamps<'py>(
    py: Python<'py>,
    column: &Bound<'py, PyAny>,
    name: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    guard(|| {
        let text = strings(column, |row, got| Error::InvalidRecord {
            row,
            column: name.to_string(),
            value: got,
            reason: "expected a timestamp string".into(),
        })?;
        let mut raw = Vec::with_capacity(text.len() * 8);
        for (row, s) in text.iter().enumerate() {
            let ts = core(parse_timestamp(s).map_err(|e| Error::InvalidRecord {
                row,
                column: name.to_string(),
                value: s.to_string(),
                reason: e.to_string(),
            }))?;
            raw.extend_from_slice(&ts.to_ne_bytes());
        }
        Ok(PyBytes::new(py, &raw))
    })
}

#[pymethods]
impl PyJourneys {
    fn __len__(&self) -> usize {
        self.0.len()
    }

    /// Channel (or channel | campaign) names, sorted.
    #[getter]
    fn channels(&self) -> Vec<String> {
        self.0.channels().to_vec()
    }

    /// The build report as a dict (journeys, conversions, unattributed, duplicates, ...).
    #[getter]
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let r = self.0.report();
            let d = PyDict::new(py);
            d.set_item("journeys", r.journeys)?;
            d.set_item("conversions", r.conversions)?;
            d.set_item("unattributed_conversions", r.unattributed_conversions)?;
            d.set_item("unattributed_value", r.unattributed_value)?;
            d.set_item("duplicates_dropped", r.duplicates_dropped)?;
            d.set_item("duplicate_conversions", r.duplicate_conversions)?;
            d.set_item("touches_outside_lookback", r.touches_outside_lookback)?;
            d.set_item("touches_collapsed", r.touches_collapsed)?;
            d.set_item("leads", r.leads)?;
            Ok(d)
        })
    }

    /// Aggregates the journeys into a path table.
    fn path_table(&self, py: Python<'_>) -> PyResult<PyPathTable> {
        guard(|| Ok(PyPathTable(py.detach(|| self.0.path_table()))))
    }

    /// Time-decay credit with a half-life in seconds, as a dict of columns.
    fn time_decay<'py>(
        &self,
        py: Python<'py>,
        half_life_seconds: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let c = core(py.detach(|| {
                TimeDecay::default()
                    .half_life_seconds(half_life_seconds)
                    .fit(&self.0)
            }))?;
            let d = PyDict::new(py);
            d.set_item("channel", &c.channels)?;
            d.set_item("conversions", &c.conversions)?;
            d.set_item("value", &c.value)?;
            Ok(d)
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Journeys(journeys={}, channels={})",
            self.0.len(),
            self.0.channels().len()
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyJourneys>()?;
    m.add_function(wrap_pyfunction!(build_journeys, m)?)?;
    m.add_function(wrap_pyfunction!(parse_timestamps, m)?)?;
    Ok(())
}
