//! `journey.*`: from event columns to a path table.

use channelwise::journey::{BuildReport as CoreReport, JourneyBuilder, Level, PathTable};
use channelwise::{Error, Result};

use crate::api::{arg, job, Job};
use crate::host::Host;
use crate::out::{F64s, Nullable};
use crate::table::{conversions, touchpoints};
use crate::{js_options, js_result};

js_options! {
    /// Options of `journey.pathTable`.
    pub struct JourneyOptions {
        /// Lookback window in seconds: older touches are dropped.
        lookback: i64,
        /// Touches closer than this many seconds to the previous one are merged.
        sessionGap: i64,
        /// `"channel"` (default) or `"channel_campaign"` (nodes named `"channel | campaign"`).
        level: LevelOption,
        /// Conversion type that marks the lead-creation (key) touch.
        leadKind: String,
        /// Separator the paths are joined with (default `">"`).
        sep: String,
    }
}

/// The node level of journeys: `'channel'` or `'channel_campaign'`.
#[derive(Clone, Copy)]
pub struct LevelOption(pub Level);

impl crate::decl::FromJs for LevelOption {
    fn from_js<H: Host>(h: H, v: &H::V, field: &str) -> Result<Self> {
        Ok(LevelOption(
            crate::read::string(h, v, field)?.parse::<Level>()?,
        ))
    }
    fn ts() -> String {
        "'channel' | 'channel_campaign'".into()
    }
}

js_result! {
    /// What building the journeys did with the events (nothing is dropped silently).
    pub struct BuildReport {
        /// Journeys built (converting and null).
        journeys: usize,
        /// Converting journeys.
        conversions: usize,
        /// Conversions with no touch inside their lookback.
        unattributedConversions: usize,
        /// Total value of the unattributed conversions.
        unattributedValue: f64,
        /// Events dropped because their `eventId` was seen before.
        duplicatesDropped: usize,
        /// How many of `duplicatesDropped` were conversions.
        duplicateConversions: usize,
        /// Touches dropped because they were older than the lookback.
        touchesOutsideLookback: usize,
        /// Touches merged into the previous one by `sessionGap`.
        touchesCollapsed: usize,
        /// Lead events (conversions of kind `leadKind`).
        leads: usize,
    }
}

js_result! {
    /// A path table as columns, ready for `attribution.*`.
    pub struct PathTableColumns {
        /// Paths, channels joined by `sep`.
        path: Vec<String>,
        /// Converting journeys per row.
        conversions: F64s,
        /// Non-converting journeys per row.
        nulls: F64s,
        /// Conversion value per row.
        value: F64s,
        /// Index of the key (lead-creation) touch per row, or `null`.
        keyTouch: Vec<Nullable<usize>>,
        /// What the build did with the events.
        report: BuildReport,
    }
}

impl From<&CoreReport> for BuildReport {
    fn from(r: &CoreReport) -> Self {
        BuildReport {
            journeys: r.journeys,
            conversions: r.conversions,
            unattributedConversions: r.unattributed_conversions,
            unattributedValue: r.unattributed_value,
            duplicatesDropped: r.duplicates_dropped,
            duplicateConversions: r.duplicate_conversions,
            touchesOutsideLookback: r.touches_outside_lookback,
            touchesCollapsed: r.touches_collapsed,
            leads: r.leads,
        }
    }
}

/// The journey spec from `{ lookback, sessionGap, level, leadKind }`.
pub(crate) fn journey_spec(o: &JourneyOptions) -> Result<JourneyBuilder> {
    let mut b = JourneyBuilder::new();
    if let Some(l) = o.lookback {
        b = b.lookback(l);
    }
    if let Some(g) = o.sessionGap {
        b = b.session_gap(g);
    }
    if let Some(LevelOption(level)) = o.level {
        b = b.level(level);
    }
    if let Some(kind) = &o.leadKind {
        b = b.lead_kind(kind.clone());
    }
    Ok(b)
}

/// `journey.pathTable(touchpoints, conversions, options?)`.
pub fn path_table<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = JourneyOptions::read(h, &arg(h, a, 2)?, "options")?;
    let spec = journey_spec(&o)?;
    let sep = o.sep.unwrap_or_else(|| ">".into());
    let touches = touchpoints(h, &arg(h, a, 0)?)?;
    let conversions = conversions(h, &arg(h, a, 1)?)?;
    job(move || {
        let journeys = crate::table::build(&spec, &touches, &conversions)?;
        let t = journeys.path_table();
        Ok(PathTableColumns {
            path: crate::attribution::path_strings(&t, &sep)?,
            conversions: F64s(t.conversions().to_vec()),
            nulls: F64s(t.nulls().to_vec()),
            value: F64s(t.values().to_vec()),
            keyTouch: (0..t.len()).map(|i| Nullable(t.key_touch(i))).collect(),
            report: BuildReport::from(journeys.report()),
        })
    })
}

js_options! {
    /// Options of `journey.merge`.
    pub struct MergeOptions {
        /// Separator the paths are split on and joined with (default `">"`).
        sep: String,
    }
}

/// `journey.merge(tables, options?)`: the core's `PathTable::merge`, rows sorted by path.
pub fn merge<H: Host>(h: H, a: &[H::V]) -> Result<Job> {
    let o = MergeOptions::read(h, &arg(h, a, 1)?, "options")?;
    let sep = o.sep.unwrap_or_else(|| ">".into());
    let list = arg(h, a, 0)?;
    let n = crate::read::array_len(h, &list, "tables", "an array of path tables")?;
    if n == 0 {
        return Err(Error::NotEnoughData {
            what: "a merged path table (tables)".into(),
            required: 1,
            got: 0,
        });
    }
    let mut tables = Vec::with_capacity(n as usize);
    for i in 0..n {
        let t = crate::read::element(h, &list, i, "tables")?;
        let joined = format!("tables[{i}].path");
        tables.push(crate::table::path_table_joined(h, &t, &sep, &joined).map_err(|e| within(i, e))?);
    }
    job(move || {
        crate::attribution::table_data(&PathTable::merge(&tables)?, &sep)
    })
}

/// `e`, read from `tables[i]`, with its field named from the list (`tables[1].conversions[3]`).
fn within(i: u32, e: Error) -> Error {
    // the kinds that name a field, as every binding renames them; then the two that name a row
    match crate::optimize::renamed(e, |f| Some(format!("tables[{i}].{f}"))) {
        Error::InvalidRecord {
            row,
            column,
            value,
            reason,
        } => Error::InvalidRecord {
            row,
            column: format!("tables[{i}].{column}"),
            value,
            reason,
        },
        Error::InvalidPath { row, reason } => Error::InvalidPath {
            row,
            reason: format!("tables[{i}]: {reason}"),
        },
        e => e,
    }
}
