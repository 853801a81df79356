//! Journeys: touchpoint and conversion columns -> `Journeys` -> path table, time decay.

use channelwise::attribution::TimeDecay;
use channelwise::journey::{
    parse_timestamp, ConversionColumns, JourneyBuilder, Journeys, Level, TouchColumns,
};
use channelwise::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use numpy::PyReadonlyArray1;

use crate::attribution::{OffsetArray, PyPathTable, Utf8Chunk};
use crate::columns::{check_len, f64s, i64s, optional_strings, strings, Strings};
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

/// A required text column: an Arrow-backed one as `("arrow", [(data, offsets), ...])`, the
/// numpy views of its buffers (`_frames.text`), read where they are; or a list of `str`,
/// checked item by item.
enum Text<'py> {
    Arrow(Vec<(PyReadonlyArray1<'py, u8>, OffsetArray<'py>)>),
    Items(Bound<'py, PyAny>),
}

impl<'py> FromPyObject<'_, 'py> for Text<'py> {
    type Error = PyErr;

    fn extract(ob: pyo3::Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(t) = ob.cast::<pyo3::types::PyTuple>() {
            if t.len() == 2 && t.get_item(0)?.extract::<String>().is_ok_and(|tag| tag == "arrow") {
                return Ok(Text::Arrow(t.get_item(1)?.extract()?));
            }
        }
        Ok(Text::Items(ob.to_owned()))
    }
}

/// A text column's rows as `&str`, borrowing its Arrow buffers or `packed` (the text of its
/// `str` items, read into one buffer).
fn text_rows<'a>(
    column: &'a Text<'_>,
    packed: &'a mut Option<Strings>,
    bad: impl Fn(usize, String) -> Error,
) -> PyResult<Vec<&'a str>> {
    match column {
        Text::Arrow(chunks) => {
            let mut out = Vec::new();
            for (data, offsets) in chunks {
                core(Utf8Chunk::of(data, offsets).and_then(|c| c.strs(&mut out)))?;
            }
            Ok(out)
        }
        Text::Items(items) => {
            let s = packed.insert(strings(items, bad)?);
            Ok(s.iter().collect())
        }
    }
}

/// Builds journeys from touchpoint and conversion columns, read into borrowed columns (no
/// `String` per field) and built with the GIL released.
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
    t_user_id: Text<'_>,
    t_timestamp: &[u8],
    t_channel: Text<'_>,
    t_campaign: Option<&Bound<'_, PyAny>>,
    t_cost: Option<&[u8]>,
    t_event_id: Option<&Bound<'_, PyAny>>,
    c_user_id: Text<'_>,
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
        let (mut t_users, mut t_channels, mut c_users) = (None, None, None);
        let users = text_rows(&t_user_id, &mut t_users, record("touchpoints", "user_id"))?;
        let n = users.len();
        let channels = text_rows(&t_channel, &mut t_channels, record("touchpoints", "channel"))?;
        let ts = core(i64s("touchpoints.timestamp", t_timestamp))?;
        let campaigns = t_campaign
            .map(|c| optional_strings(Some(c), n, record("touchpoints", "campaign")))
            .transpose()?;
        let costs = core(t_cost.map(|b| f64s("touchpoints.cost", b)).transpose())?;
        let ids = t_event_id
            .map(|c| optional_strings(Some(c), n, record("touchpoints", "event_id")))
            .transpose()?;
        core(check_len("touchpoints.channel", channels.len(), n))?;
        core(check_len("touchpoints.timestamp", ts.len(), n))?;
        if let Some(c) = &campaigns {
            core(check_len("touchpoints.campaign", c.len(), n))?;
        }
        if let Some(c) = &ids {
            core(check_len("touchpoints.event_id", c.len(), n))?;
        }
        if let Some(c) = &costs {
            core(check_len("touchpoints.cost", c.len(), n))?;
        }
        let campaigns: Option<Vec<Option<&str>>> = campaigns.as_ref().map(|c| c.iter().map(Option::as_deref).collect());
        let ids: Option<Vec<Option<&str>>> = ids.as_ref().map(|c| c.iter().map(Option::as_deref).collect());
        let costs: Option<Vec<Option<f64>>> =
            costs.map(|c| c.iter().map(|&x| Some(x).filter(|x| !x.is_nan())).collect());

        let conv_users = text_rows(&c_user_id, &mut c_users, record("conversions", "user_id"))?;
        let m = conv_users.len();
        let c_ts = core(i64s("conversions.timestamp", c_timestamp))?;
        let values = core(f64s("conversions.value", c_value))?;
        let c_ids_raw = c_event_id
            .map(|c| optional_strings(Some(c), m, record("conversions", "event_id")))
            .transpose()?;
        let kinds_raw = c_kind
            .map(|c| optional_strings(Some(c), m, record("conversions", "type")))
            .transpose()?;
        core(check_len("conversions.timestamp", c_ts.len(), m))?;
        core(check_len("conversions.value", values.len(), m))?;
        if let Some(c) = &c_ids_raw {
            core(check_len("conversions.event_id", c.len(), m))?;
        }
        if let Some(c) = &kinds_raw {
            core(check_len("conversions.type", c.len(), m))?;
        }
        let c_ids: Option<Vec<Option<&str>>> = c_ids_raw.as_ref().map(|c| c.iter().map(Option::as_deref).collect());
        let kinds: Option<Vec<Option<&str>>> = kinds_raw.as_ref().map(|c| c.iter().map(Option::as_deref).collect());

        let touches = TouchColumns {
            user_id: &users,
            timestamp: &ts,
            channel: &channels,
            campaign: campaigns.as_deref(),
            cost: costs.as_deref(),
            event_id: ids.as_deref(),
        };
        let conversions = ConversionColumns {
            user_id: &conv_users,
            timestamp: &c_ts,
            value: &values,
            event_id: c_ids.as_deref(),
            kind: kinds.as_deref(),
        };
        let mut b = JourneyBuilder::new()
            .lookback(lookback)
            .session_gap(session_gap)
            .level(level);
        if let Some(k) = lead_kind {
            b = b.lead_kind(k);
        }
        Ok(PyJourneys(core(
            py.detach(|| b.build_columns(&touches, &conversions)),
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
