//! Raw events: [`Touchpoint`]s (a user met a channel) and [`Conversion`]s (a user converted).
//!
//! These are the rows of an event log, before any grouping. [`JourneyBuilder`](super::JourneyBuilder)
//! turns them into [`Journeys`](super::Journeys); [`TouchpointCsv`](super::TouchpointCsv) and
//! [`ConversionCsv`](super::ConversionCsv) read them from CSV.

use serde::{Deserialize, Serialize};

/// One marketing touch: user `user_id` met `channel` (optionally a `campaign` of it) at
/// `timestamp` (unix seconds, UTC).
///
/// `cost`, when known, must be finite and non-negative; `event_id`, when given, identifies the
/// event so that a resent copy is dropped (see [`JourneyBuilder`](super::JourneyBuilder)).
///
/// ```
/// use channelwise::journey::Touchpoint;
/// let t = Touchpoint::new("u1", 1_700_000_000, "search").campaign("brand").cost(0.35).event_id("t-1");
/// assert_eq!(t.channel, "search");
/// assert_eq!(t.campaign.as_deref(), Some("brand"));
/// assert_eq!(t.cost, Some(0.35));
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    /// The user (or any journey key: cookie, account, household).
    pub user_id: String,
    /// When the touch happened, in unix seconds (UTC).
    pub timestamp: i64,
    /// The channel, e.g. `"search"`.
    pub channel: String,
    /// The campaign within the channel, if known.
    #[serde(default)]
    pub campaign: Option<String>,
    /// What the touch cost, if known.
    #[serde(default)]
    pub cost: Option<f64>,
    /// A unique id of the event, used to drop duplicates.
    #[serde(default)]
    pub event_id: Option<String>,
}

impl Touchpoint {
    /// A touch with no campaign, cost or event id.
    pub fn new(user_id: impl Into<String>, timestamp: i64, channel: impl Into<String>) -> Self {
        Touchpoint {
            user_id: user_id.into(),
            timestamp,
            channel: channel.into(),
            campaign: None,
            cost: None,
            event_id: None,
        }
    }

    /// Sets the campaign.
    pub fn campaign(mut self, campaign: impl Into<String>) -> Self {
        self.campaign = Some(campaign.into());
        self
    }

    /// Sets the cost.
    pub fn cost(mut self, cost: f64) -> Self {
        self.cost = Some(cost);
        self
    }

    /// Sets the event id.
    pub fn event_id(mut self, id: impl Into<String>) -> Self {
        self.event_id = Some(id.into());
        self
    }
}

/// One conversion (or, with a `kind` matching
/// [`JourneyBuilder::lead_kind`](super::JourneyBuilder::lead_kind), a lead event) of user
/// `user_id` at `timestamp` (unix seconds, UTC), worth `value`.
///
/// `value` must be finite and non-negative.
///
/// ```
/// use channelwise::journey::Conversion;
/// let c = Conversion::new("u1", 1_700_003_600, 120.0).event_id("order-9").kind("purchase");
/// assert_eq!(c.kind.as_deref(), Some("purchase"));
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    /// The user (the same key as in [`Touchpoint::user_id`]).
    pub user_id: String,
    /// When the conversion happened, in unix seconds (UTC).
    pub timestamp: i64,
    /// Conversion value (revenue); 0 when only the count matters.
    pub value: f64,
    /// A unique id of the event, used to drop duplicates.
    #[serde(default)]
    pub event_id: Option<String>,
    /// The kind of event (`"purchase"`, `"lead"`, ...), if known.
    #[serde(default)]
    pub kind: Option<String>,
}

impl Conversion {
    /// A conversion with no event id or kind.
    pub fn new(user_id: impl Into<String>, timestamp: i64, value: f64) -> Self {
        Conversion { user_id: user_id.into(), timestamp, value, event_id: None, kind: None }
    }

    /// Sets the event id.
    pub fn event_id(mut self, id: impl Into<String>) -> Self {
        self.event_id = Some(id.into());
        self
    }

    /// Sets the kind.
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }
}

/// Touchpoints as borrowed columns, for
/// [`JourneyBuilder::build_columns`](super::JourneyBuilder::build_columns): what a binding holds
/// after reading a table (string slices into its buffers), with no `String` per field. Row `i`
/// of every column is touch `i`; an optional column left `None` is unknown for every touch.
#[derive(Debug, Clone, Copy)]
pub struct TouchColumns<'a> {
    /// [`Touchpoint::user_id`] of each touch.
    pub user_id: &'a [&'a str],
    /// [`Touchpoint::timestamp`] of each touch.
    pub timestamp: &'a [i64],
    /// [`Touchpoint::channel`] of each touch.
    pub channel: &'a [&'a str],
    /// [`Touchpoint::campaign`] of each touch.
    pub campaign: Option<&'a [Option<&'a str>]>,
    /// [`Touchpoint::cost`] of each touch.
    pub cost: Option<&'a [Option<f64>]>,
    /// [`Touchpoint::event_id`] of each touch.
    pub event_id: Option<&'a [Option<&'a str>]>,
}

impl<'a> TouchColumns<'a> {
    /// The three required columns; no campaign, cost or event id.
    pub fn new(user_id: &'a [&'a str], timestamp: &'a [i64], channel: &'a [&'a str]) -> Self {
        TouchColumns { user_id, timestamp, channel, campaign: None, cost: None, event_id: None }
    }

    /// `Err` naming the first column whose length differs from `user_id`'s.
    pub(crate) fn check(&self) -> crate::Result<()> {
        let n = self.user_id.len();
        same_length("touchpoints.timestamp", self.timestamp.len(), n)?;
        same_length("touchpoints.channel", self.channel.len(), n)?;
        same_length("touchpoints.campaign", self.campaign.map_or(n, <[_]>::len), n)?;
        same_length("touchpoints.cost", self.cost.map_or(n, <[_]>::len), n)?;
        same_length("touchpoints.event_id", self.event_id.map_or(n, <[_]>::len), n)
    }
}

/// Conversions as borrowed columns, for
/// [`JourneyBuilder::build_columns`](super::JourneyBuilder::build_columns) (see
/// [`TouchColumns`]).
#[derive(Debug, Clone, Copy)]
pub struct ConversionColumns<'a> {
    /// [`Conversion::user_id`] of each conversion.
    pub user_id: &'a [&'a str],
    /// [`Conversion::timestamp`] of each conversion.
    pub timestamp: &'a [i64],
    /// [`Conversion::value`] of each conversion.
    pub value: &'a [f64],
    /// [`Conversion::event_id`] of each conversion.
    pub event_id: Option<&'a [Option<&'a str>]>,
    /// [`Conversion::kind`] of each conversion.
    pub kind: Option<&'a [Option<&'a str>]>,
}

impl<'a> ConversionColumns<'a> {
    /// The three required columns; no event id or kind.
    pub fn new(user_id: &'a [&'a str], timestamp: &'a [i64], value: &'a [f64]) -> Self {
        ConversionColumns { user_id, timestamp, value, event_id: None, kind: None }
    }

    /// `Err` naming the first column whose length differs from `user_id`'s.
    pub(crate) fn check(&self) -> crate::Result<()> {
        let n = self.user_id.len();
        same_length("conversions.timestamp", self.timestamp.len(), n)?;
        same_length("conversions.value", self.value.len(), n)?;
        same_length("conversions.event_id", self.event_id.map_or(n, <[_]>::len), n)?;
        same_length("conversions.type", self.kind.map_or(n, <[_]>::len), n)
    }
}

fn same_length(field: &str, got: usize, expected: usize) -> crate::Result<()> {
    if got == expected {
        Ok(())
    } else {
        Err(crate::Error::LengthMismatch { field: field.into(), expected, got })
    }
}
