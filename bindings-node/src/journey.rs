//! `journey.*`: from event columns to a path table.

use channelwise::journey::{BuildReport, JourneyBuilder, Level};
use napi::bindgen_prelude::{Float64Array, Object, Unknown};
use napi_derive::napi;

use crate::convert::{self, get};
use crate::error::{guard, Result};

/// What building the journeys did with the events (nothing is dropped silently).
#[napi(object)]
pub struct BuildReportJs {
    /// Journeys built (converting and null).
    pub journeys: f64,
    /// Converting journeys.
    pub conversions: f64,
    /// Conversions with no touch inside their lookback.
    pub unattributed_conversions: f64,
    /// Total value of the unattributed conversions.
    pub unattributed_value: f64,
    /// Events dropped because their `eventId` was seen before.
    pub duplicates_dropped: f64,
    /// How many of `duplicatesDropped` were conversions.
    pub duplicate_conversions: f64,
    /// Touches dropped because they were older than the lookback.
    pub touches_outside_lookback: f64,
    /// Touches merged into the previous one by `sessionGap`.
    pub touches_collapsed: f64,
    /// Lead events (conversions of kind `leadKind`).
    pub leads: f64,
}

impl From<&BuildReport> for BuildReportJs {
    fn from(r: &BuildReport) -> Self {
        BuildReportJs {
            journeys: r.journeys as f64,
            conversions: r.conversions as f64,
            unattributed_conversions: r.unattributed_conversions as f64,
            unattributed_value: r.unattributed_value,
            duplicates_dropped: r.duplicates_dropped as f64,
            duplicate_conversions: r.duplicate_conversions as f64,
            touches_outside_lookback: r.touches_outside_lookback as f64,
            touches_collapsed: r.touches_collapsed as f64,
            leads: r.leads as f64,
        }
    }
}

/// A path table as columns, ready for `attribution.*`.
#[napi(object)]
pub struct PathTableColumns {
    /// Paths, channels joined by `sep`.
    pub path: Vec<String>,
    /// Converting journeys per row.
    pub conversions: Float64Array,
    /// Non-converting journeys per row.
    pub nulls: Float64Array,
    /// Conversion value per row.
    pub value: Float64Array,
    /// Index of the key (lead-creation) touch per row, or `null`.
    pub key_touch: Vec<Option<u32>>,
    /// What the build did with the events.
    pub report: BuildReportJs,
}

/// `{ lookback, sessionGap, level, leadKind }` into a journey spec.
pub(crate) fn journey_spec(opts: Option<&Object<'_>>) -> channelwise::Result<JourneyBuilder> {
    let mut b = JourneyBuilder::new();
    if let Some(v) = get(opts, "lookback", "options.lookback")? {
        b = b.lookback(convert::integer(v, "options.lookback")?);
    }
    if let Some(v) = get(opts, "sessionGap", "options.sessionGap")? {
        b = b.session_gap(convert::integer(v, "options.sessionGap")?);
    }
    if let Some(v) = get(opts, "level", "options.level")? {
        b = b.level(convert::string(v, "options.level")?.parse::<Level>()?);
    }
    if let Some(v) = get(opts, "leadKind", "options.leadKind")? {
        b = b.lead_kind(convert::string(v, "options.leadKind")?);
    }
    Ok(b)
}

/// Groups touchpoint and conversion columns into journeys and aggregates them to path-table
/// columns (one row per distinct path and key touch).
#[napi(namespace = "journey", js_name = "pathTable")]
pub fn path_table(
    touchpoints: Unknown<'_>,
    conversions: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> Result<PathTableColumns> {
    guard(|| {
        let opts = convert::options(
            options,
            "options",
            &["lookback", "sessionGap", "level", "leadKind", "sep"],
        )?;
        let spec = journey_spec(opts.as_ref())?;
        let sep = get(opts.as_ref(), "sep", "options.sep")?
            .map(|v| convert::string(v, "options.sep"))
            .transpose()?
            .unwrap_or_else(|| ">".into());
        let touches = convert::touchpoints(touchpoints)?;
        let conversions = convert::conversions(conversions)?;
        let journeys = spec.build(&touches, &conversions)?;
        let t = journeys.path_table();
        Ok(PathTableColumns {
            path: (0..t.len()).map(|i| t.path_string(i, &sep)).collect(),
            conversions: Float64Array::new(t.conversions().to_vec()),
            nulls: Float64Array::new(t.nulls().to_vec()),
            value: Float64Array::new(t.values().to_vec()),
            key_touch: (0..t.len())
                .map(|i| t.key_touch(i).and_then(|k| u32::try_from(k).ok()))
                .collect(),
            report: BuildReportJs::from(journeys.report()),
        })
    })
}
