//! From events to journeys: [`JourneyBuilder`] groups [`Touchpoint`]s and [`Conversion`]s by
//! user into [`Journeys`], which aggregate into a [`PathTable`].

use std::collections::hash_map::Entry;
use std::hash::BuildHasher;
use std::str::FromStr;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::events::{Conversion, ConversionColumns, TouchColumns, Touchpoint};
use super::path_table::{ChannelId, PathTable, PathTableBuilder};
use crate::attribution::CAMPAIGN_SEP;
use crate::error::{check_non_negative, Error, Result};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// What a touch is credited to: the channel, or the channel and its campaign.
///
/// ```
/// use channelwise::journey::Level;
/// assert_eq!("channel_campaign".parse::<Level>()?, Level::ChannelCampaign);
/// assert_eq!(Level::Channel.as_str(), "channel");
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// One node per channel (`"search"`).
    #[default]
    Channel,
    /// One node per channel and campaign, named `"channel | campaign"` (joined by
    /// [`CAMPAIGN_SEP`]); a touch without a campaign keeps the bare channel name.
    /// [`ChannelCredit::rollup_campaigns`](crate::attribution::ChannelCredit::rollup_campaigns)
    /// sums such credit back to channels.
    ChannelCampaign,
}

impl Level {
    /// The stable name: `"channel"` or `"channel_campaign"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Channel => "channel",
            Level::ChannelCampaign => "channel_campaign",
        }
    }
}

impl FromStr for Level {
    type Err = Error;

    /// Parses `"channel"` or `"channel_campaign"`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for any other text.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "channel" => Ok(Level::Channel),
            "channel_campaign" => Ok(Level::ChannelCampaign),
            _ => Err(Error::param("level", s, "expected \"channel\" or \"channel_campaign\"")),
        }
    }
}

/// How to cut event logs into journeys (the spec; [`JourneyBuilder::build`] applies it).
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `lookback` | 2 592 000 (30 days) | seconds before a conversion in which a touch still belongs to its journey; older touches are dropped from it | >= 0 |
/// | `session_gap` | `None` | if set, consecutive touches of the same node (channel or channel+campaign) at most this many seconds apart collapse into one | `None` or >= 0 |
/// | `level` | [`Level::Channel`] | channel, or channel + campaign (`"search \| brand"`) | either |
/// | `lead_kind` | `None` | a conversion whose `kind` equals this is a lead event: it does not end the journey, it marks its key touch | any text |
///
/// # Rules
/// - Events are grouped by `user_id` and ordered by timestamp. Input order does not matter,
///   except between events of one user at the same second: a touch and a conversion at the
///   same second count the touch first; otherwise ties keep input order (stable).
/// - A journey ends at a conversion; the next touch of that user starts a new one. Touches left
///   after a user's last conversion form a non-converting (*null*) journey, to which no
///   lookback applies.
/// - Touches more than `lookback` seconds before their conversion are dropped from the journey
///   and counted in [`BuildReport::touches_outside_lookback`].
/// - A conversion with no touch inside its lookback (no touch at all, or only older ones) is
///   *unattributed*: it makes no journey, and is counted in
///   [`BuildReport::unattributed_conversions`] and [`BuildReport::unattributed_value`], never
///   lost silently. So is a second conversion at the same second as the first.
/// - An `event_id` seen again (among touches, or among conversions; the two are separate
///   namespaces) is a duplicate: the copy with the earliest timestamp is kept (ties: the first
///   in input order), the others are dropped and counted in [`BuildReport::duplicates_dropped`].
/// - With `session_gap`, a collapsed touch keeps the timestamp of the first touch of its run and
///   the sum of the known costs; the gap is measured between successive touches of the run.
///   Collapsing happens after the lookback cut. Counted in [`BuildReport::touches_collapsed`].
/// - With `lead_kind`, the first lead event of a journey marks its key touch: the last touch at
///   or before it (none if the journey has no touch yet). Lead events are counted in
///   [`BuildReport::leads`], not as conversions. W-shaped attribution gives the key touch its
///   middle share.
/// - Channel and campaign names are trimmed; an empty campaign counts as none.
/// - Journeys come out ordered by user id (byte order), then time; channels are sorted by name.
///   Both orders are independent of input order.
///
/// ```
/// use channelwise::journey::{Conversion, JourneyBuilder, Touchpoint};
/// let touches = [
///     Touchpoint::new("u1", 100, "search"),
///     Touchpoint::new("u1", 50, "display"), // out of order: sorted
///     Touchpoint::new("u2", 10, "email"),   // never converts: a null journey
/// ];
/// let conversions = [Conversion::new("u1", 200, 80.0)];
/// let journeys = JourneyBuilder::default().build(&touches, &conversions)?;
/// let table = journeys.path_table();
/// assert_eq!(table.len(), 2);
/// assert_eq!(table.path_string(0, ">"), "display>search");
/// assert_eq!((table.conversions()[0], table.values()[0]), (1.0, 80.0));
/// assert_eq!((table.path_string(1, ">"), table.nulls()[1]), ("email".to_string(), 1.0));
/// assert_eq!(journeys.report().unattributed_conversions, 0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyBuilder {
    lookback: i64,
    session_gap: Option<i64>,
    level: Level,
    lead_kind: Option<String>,
}

impl Default for JourneyBuilder {
    fn default() -> Self {
        JourneyBuilder { lookback: 30 * DAY, session_gap: None, level: Level::Channel, lead_kind: None }
    }
}

/// What [`JourneyBuilder::build`] did with the events, so that nothing is dropped silently.
///
/// For the conversion events given: `conversions + unattributed_conversions + leads +
/// duplicate_conversions` equals their number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildReport {
    /// Journeys built (converting and null).
    pub journeys: usize,
    /// Converting journeys (one conversion each).
    pub conversions: usize,
    /// Conversions with no touch inside their lookback: they are in no journey.
    pub unattributed_conversions: usize,
    /// Total value of the unattributed conversions.
    pub unattributed_value: f64,
    /// Events (touches and conversions) dropped because their `event_id` was seen before.
    pub duplicates_dropped: usize,
    /// How many of `duplicates_dropped` were conversion events.
    pub duplicate_conversions: usize,
    /// Touches dropped from a journey because they were older than the lookback.
    pub touches_outside_lookback: usize,
    /// Touches merged into the previous touch by `session_gap`.
    pub touches_collapsed: usize,
    /// Lead events (conversions of kind `lead_kind`).
    pub leads: usize,
}

impl JourneyBuilder {
    /// The default spec (see the table on [`JourneyBuilder`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the lookback window in seconds (`30 * 86_400` by default).
    pub fn lookback(mut self, seconds: i64) -> Self {
        self.lookback = seconds;
        self
    }

    /// Sets (`Some(seconds)` or a plain number) or clears (`None`) the session gap.
    ///
    /// ```
    /// use channelwise::journey::{Conversion, JourneyBuilder, Touchpoint};
    /// let touches: Vec<_> = [0, 600, 1200, 9000].iter().map(|&t| Touchpoint::new("u", t, "search")).collect();
    /// let j = JourneyBuilder::new().session_gap(1800).build(&touches, &[Conversion::new("u", 9000, 1.0)])?;
    /// assert_eq!(j.path_table().path_string(0, ">"), "search>search"); // [0, 600, 1200] and [9000]
    /// assert_eq!(j.report().touches_collapsed, 2);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn session_gap(mut self, seconds: impl Into<Option<i64>>) -> Self {
        self.session_gap = seconds.into();
        self
    }

    /// Sets the level (channel, or channel + campaign).
    ///
    /// ```
    /// use channelwise::journey::{Conversion, JourneyBuilder, Level, Touchpoint};
    /// let touches = [Touchpoint::new("u", 0, "search").campaign("brand"), Touchpoint::new("u", 1, "email")];
    /// let j = JourneyBuilder::new().level(Level::ChannelCampaign).build(&touches, &[Conversion::new("u", 2, 1.0)])?;
    /// assert_eq!(j.channels(), ["email", "search | brand"]);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Sets the conversion kind that marks a lead (key touch) instead of ending the journey.
    ///
    /// ```
    /// use channelwise::journey::{Conversion, JourneyBuilder, Touchpoint};
    /// let touches: Vec<_> = ["a", "b", "c", "d"].iter().enumerate()
    ///     .map(|(i, c)| Touchpoint::new("u", i as i64 * 10, *c)).collect();
    /// let conversions = [Conversion::new("u", 15, 0.0).kind("lead"), Conversion::new("u", 40, 9.0)];
    /// let j = JourneyBuilder::new().lead_kind("lead").build(&touches, &conversions)?;
    /// assert_eq!(j.get(0).map(|x| x.key_touch), Some(Some(1))); // "b", the last touch before the lead
    /// assert_eq!(j.path_table().key_touch(0), Some(1));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn lead_kind(mut self, kind: impl Into<String>) -> Self {
        self.lead_kind = Some(kind.into());
        self
    }

    fn validate(&self) -> Result<()> {
        if self.lookback < 0 {
            return Err(Error::OutOfRange {
                field: "lookback".into(),
                value: self.lookback as f64,
                min: 0.0,
                max: f64::INFINITY,
            });
        }
        if let Some(g) = self.session_gap {
            if g < 0 {
                return Err(Error::OutOfRange {
                    field: "session_gap".into(),
                    value: g as f64,
                    min: 0.0,
                    max: f64::INFINITY,
                });
            }
        }
        Ok(())
    }

    /// Groups the events into journeys, following the rules on [`JourneyBuilder`].
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a negative `lookback` or `session_gap`;
    /// [`Error::NonFinite`] / [`Error::OutOfRange`] naming the event (`"touchpoints[3].cost"`,
    /// `"conversions[0].value"`) for a NaN, infinite or negative cost or value, or when the
    /// values or costs sum to infinity; [`Error::InvalidRecord`] (row = index of the touch) for
    /// an empty channel name.
    ///
    /// ```
    /// use channelwise::{journey::{Conversion, JourneyBuilder, Touchpoint}, ErrorKind};
    /// let err = JourneyBuilder::new()
    ///     .build(&[Touchpoint::new("u", 0, "a")], &[Conversion::new("u", 1, 2.0), Conversion::new("u", 2, -5.0)])
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::OutOfRange);
    /// assert_eq!(err.to_string(), "conversions[1].value must be in [0, inf], got -5");
    /// ```
    pub fn build(&self, touches: &[Touchpoint], conversions: &[Conversion]) -> Result<Journeys> {
        self.build_events(touches, conversions)
    }

    /// [`JourneyBuilder::build`] over borrowed columns: what a binding holds after reading a
    /// table, with no `String` per field. The same rules, errors and result.
    ///
    /// ```
    /// use channelwise::journey::{ConversionColumns, JourneyBuilder, TouchColumns};
    /// let touches = TouchColumns::new(&["u1", "u1", "u2"], &[100, 50, 10], &["search", "display", "email"]);
    /// let conversions = ConversionColumns::new(&["u1"], &[200], &[80.0]);
    /// let table = JourneyBuilder::default().build_columns(&touches, &conversions)?.path_table();
    /// assert_eq!(table.path_string(0, ">"), "display>search");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`JourneyBuilder::build`]; [`Error::LengthMismatch`] naming the column
    /// (`touchpoints.channel`) when the columns of a table differ in length.
    pub fn build_columns(&self, touches: &TouchColumns<'_>, conversions: &ConversionColumns<'_>) -> Result<Journeys> {
        touches.check()?;
        conversions.check()?;
        self.build_events(touches, conversions)
    }

    fn build_events<T: TouchEvents + ?Sized, C: ConversionEvents + ?Sized>(&self, touches: &T, conversions: &C) -> Result<Journeys> {
        self.validate()?;
        validate_events(touches, conversions)?;
        let (nt, nc) = (touches.len(), conversions.len());
        if nt + nc >= u32::MAX as usize {
            // events are numbered in 32 bits (a billion events take ~100 GB before this point)
            return Err(Error::OutOfRange {
                field: "touchpoints + conversions".into(),
                value: (nt + nc) as f64,
                min: 0.0,
                max: (u32::MAX - 1) as f64,
            });
        }
        let mut report = BuildReport::default();

        // Duplicates: keep the earliest copy of each event id.
        let keep_t = dedup((0..nt).map(|i| (touches.event_id(i), touches.timestamp(i))), nt);
        let keep_c = dedup((0..nc).map(|i| (conversions.event_id(i), conversions.timestamp(i))), nc);
        let dup_t = keep_t.iter().filter(|&&k| !k).count();
        report.duplicate_conversions = keep_c.iter().filter(|&&k| !k).count();
        report.duplicates_dropped = dup_t + report.duplicate_conversions;

        // Users: intern every kept event's (touches first, then conversions: event `e` is touch
        // `e` or conversion `e - nt`), then rank by id so that the output order does not depend
        // on input order.
        const DROPPED: u32 = u32::MAX;
        let user_of = |e: usize| if e < nt { touches.user_id(e) } else { conversions.user_id(e - nt) };
        let kept = |e: usize| if e < nt { keep_t[e] } else { keep_c[e - nt] };
        let mut names = Names::new();
        let mut ev_user = intern(&mut names, rustc_hash::FxBuildHasher, nt + nc, |e| kept(e).then(|| user_of(e)));
        let mut by_name: Vec<u32> = (0..names.len() as u32).collect();
        // Compared by their first 8 bytes as one number first (zero-padded, big-endian: the
        // bytes' order), and in full only on a tie.
        let head: Vec<u64> = by_name.iter().map(|&id| head8(names.get(id))).collect();
        let by_text = |a: u32, b: u32| names.get(a).cmp(names.get(b));
        crate::stats::sort_ids(&mut by_name, &mut |&a, &b| head[a as usize].cmp(&head[b as usize]).then_with(|| by_text(a, b)));
        let mut user_rank = vec![0u32; names.len()];
        for (rank, &id) in by_name.iter().enumerate() {
            user_rank[id as usize] = rank as u32;
        }
        let users: Vec<String> = by_name.iter().map(|&id| names.get(id).to_string()).collect();
        drop((by_name, names));

        // Channels: intern per level, then sort (and merge names that coincide).
        let (channels, chan) = self.intern_channels(touches, &keep_t);

        // Events ordered by (user, time, touch before conversion, input index): counted into
        // one segment per user, in event order, then each (short) segment sorted by
        // (time, event), since touches come before conversions in event numbering.
        let mut start = vec![0usize; users.len() + 1];
        for u in ev_user.iter_mut().filter(|u| **u != DROPPED) {
            *u = user_rank[*u as usize];
            start[*u as usize + 1] += 1;
        }
        drop(user_rank);
        for r in 0..users.len() {
            start[r + 1] += start[r];
        }
        let mut next = start.clone();
        // (time, event, node): the node travels with the touch, so the walk below reads no
        // column at random but the conversions' values.
        let mut events = vec![(0i64, 0u32, 0 as ChannelId); start[users.len()]];
        for (e, &u) in ev_user.iter().enumerate() {
            if u != DROPPED {
                let ev = if e < nt { (touches.timestamp(e), e as u32, chan[e]) } else { (conversions.timestamp(e - nt), e as u32, 0) };
                events[next[u as usize]] = ev;
                next[u as usize] += 1;
            }
        }
        drop((ev_user, next));
        // The touches' costs, in one column the journeys copy from (none when no cost is known).
        let costs: Option<Vec<Option<f64>>> =
            (0..nt).any(|i| touches.cost(i).is_some()).then(|| (0..nt).map(|i| touches.cost(i)).collect());

        let lead_kind = self.lead_kind.as_deref();
        let is_lead = |i: usize| lead_kind.is_some() && conversions.kind(i).map(str::trim) == lead_kind;
        let kept_touches = nt - dup_t;
        let mut out = Journeys::empty(channels, users);
        out.touches.reserve_exact(kept_touches);
        out.timestamps.reserve_exact(kept_touches);
        if costs.is_some() {
            out.costs.reserve_exact(kept_touches);
        }
        drop(chan);
        let mut buf: Vec<(i64, u32, ChannelId)> = Vec::new();
        let touch = Touches { costs: costs.as_deref(), gap: self.session_gap };
        for user in 0..out.users.len() {
            let segment = &mut events[start[user]..start[user + 1]];
            segment.sort_unstable();
            let mut key: Option<usize> = None;
            let mut lead_seen = false;
            for &(ts, e, ch) in segment.iter() {
                let e = e as usize;
                if e < nt {
                    buf.push((ts, e as u32, ch));
                    continue;
                }
                let c = e - nt;
                if is_lead(c) {
                    report.leads += 1;
                    if !lead_seen {
                        lead_seen = true;
                        key = buf.len().checked_sub(1);
                    }
                    continue;
                }
                let lookback = self.lookback;
                let first = buf.partition_point(|&(t, _, _)| ts.saturating_sub(t) > lookback);
                report.touches_outside_lookback += first;
                let value = conversions.value(c);
                if first == buf.len() {
                    report.unattributed_conversions += 1;
                    report.unattributed_value += value;
                } else {
                    let k = key.and_then(|k| k.checked_sub(first));
                    report.touches_collapsed += out.push(user as u32, &buf[first..], &touch, k, Some((ts, value)));
                    report.conversions += 1;
                }
                buf.clear();
                key = None;
                lead_seen = false;
            }
            if !buf.is_empty() {
                report.touches_collapsed += out.push(user as u32, &buf, &touch, key, None);
                buf.clear();
            }
        }
        report.journeys = out.len();
        out.report = report;
        out.has_costs = costs.is_some();
        let longest = out.offsets.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        out.nones = vec![None; if out.has_costs { 0 } else { longest }];
        Ok(out)
    }

    /// Per kept touch, its node id at the chosen level; and the sorted node names.
    fn intern_channels<T: TouchEvents + ?Sized>(&self, touches: &T, keep: &[bool]) -> (Vec<String>, Vec<ChannelId>) {
        let node = |i: usize| {
            keep[i].then(|| {
                let camp = match self.level {
                    Level::Channel => "",
                    Level::ChannelCampaign => touches.campaign(i).map_or("", str::trim),
                };
                (touches.channel(i).trim(), camp)
            })
        };
        let mut keys = Vec::new();
        let mut chan = intern(&mut keys, rustc_hash::FxBuildHasher, touches.len(), node);
        let names: Vec<String> = keys
            .iter()
            .map(|&(ch, camp)| if camp.is_empty() { ch.to_string() } else { format!("{ch}{CAMPAIGN_SEP}{camp}") })
            .collect();
        let mut order: Vec<u32> = (0..names.len() as u32).collect();
        crate::stats::sort_ids(&mut order, &mut |&a, &b| names[a as usize].cmp(&names[b as usize]));
        let mut sorted: Vec<String> = order.iter().map(|&i| names[i as usize].clone()).collect();
        sorted.dedup();
        // Every name is in `sorted`, so the search always succeeds.
        let remap: Vec<ChannelId> =
            names.iter().map(|n| sorted.binary_search(n).unwrap_or_else(|p| p) as ChannelId).collect();
        for c in chan.iter_mut().filter(|c| **c != u32::MAX) {
            *c = remap[*c as usize];
        }
        (sorted, chan)
    }
}

/// What [`Journeys::push`] reads of the touches besides their records: costs by touch index
/// (none when no cost is known), and the session gap.
struct Touches<'a> {
    costs: Option<&'a [Option<f64>]>,
    gap: Option<i64>,
}

/// Touchpoints by row, as [`JourneyBuilder`] reads them: from structs or from columns.
trait TouchEvents {
    fn len(&self) -> usize;
    fn user_id(&self, i: usize) -> &str;
    fn timestamp(&self, i: usize) -> i64;
    fn channel(&self, i: usize) -> &str;
    fn campaign(&self, i: usize) -> Option<&str>;
    fn cost(&self, i: usize) -> Option<f64>;
    fn event_id(&self, i: usize) -> Option<&str>;
}

/// Conversions by row, as [`JourneyBuilder`] reads them: from structs or from columns.
trait ConversionEvents {
    fn len(&self) -> usize;
    fn user_id(&self, i: usize) -> &str;
    fn timestamp(&self, i: usize) -> i64;
    fn value(&self, i: usize) -> f64;
    fn event_id(&self, i: usize) -> Option<&str>;
    fn kind(&self, i: usize) -> Option<&str>;
}

impl TouchEvents for [Touchpoint] {
    fn len(&self) -> usize {
        <[Touchpoint]>::len(self)
    }
    fn user_id(&self, i: usize) -> &str {
        &self[i].user_id
    }
    fn timestamp(&self, i: usize) -> i64 {
        self[i].timestamp
    }
    fn channel(&self, i: usize) -> &str {
        &self[i].channel
    }
    fn campaign(&self, i: usize) -> Option<&str> {
        self[i].campaign.as_deref()
    }
    fn cost(&self, i: usize) -> Option<f64> {
        self[i].cost
    }
    fn event_id(&self, i: usize) -> Option<&str> {
        self[i].event_id.as_deref()
    }
}

impl ConversionEvents for [Conversion] {
    fn len(&self) -> usize {
        <[Conversion]>::len(self)
    }
    fn user_id(&self, i: usize) -> &str {
        &self[i].user_id
    }
    fn timestamp(&self, i: usize) -> i64 {
        self[i].timestamp
    }
    fn value(&self, i: usize) -> f64 {
        self[i].value
    }
    fn event_id(&self, i: usize) -> Option<&str> {
        self[i].event_id.as_deref()
    }
    fn kind(&self, i: usize) -> Option<&str> {
        self[i].kind.as_deref()
    }
}

impl TouchEvents for TouchColumns<'_> {
    fn len(&self) -> usize {
        self.user_id.len()
    }
    fn user_id(&self, i: usize) -> &str {
        self.user_id[i]
    }
    fn timestamp(&self, i: usize) -> i64 {
        self.timestamp[i]
    }
    fn channel(&self, i: usize) -> &str {
        self.channel[i]
    }
    fn campaign(&self, i: usize) -> Option<&str> {
        self.campaign.and_then(|c| c[i])
    }
    fn cost(&self, i: usize) -> Option<f64> {
        self.cost.and_then(|c| c[i])
    }
    fn event_id(&self, i: usize) -> Option<&str> {
        self.event_id.and_then(|c| c[i])
    }
}

impl ConversionEvents for ConversionColumns<'_> {
    fn len(&self) -> usize {
        self.user_id.len()
    }
    fn user_id(&self, i: usize) -> &str {
        self.user_id[i]
    }
    fn timestamp(&self, i: usize) -> i64 {
        self.timestamp[i]
    }
    fn value(&self, i: usize) -> f64 {
        self.value[i]
    }
    fn event_id(&self, i: usize) -> Option<&str> {
        self.event_id.and_then(|c| c[i])
    }
    fn kind(&self, i: usize) -> Option<&str> {
        self.kind.and_then(|c| c[i])
    }
}

/// Where [`intern`] keeps the distinct keys: a `Vec` of them, or [`Names`] (strings packed).
trait KeyStore<K> {
    /// Stores `k`, giving its id (the number stored before it).
    fn push(&mut self, k: K) -> u32;
    /// Whether key `id` is `k`.
    fn holds(&self, id: u32, k: K) -> bool;
    /// Forgets every key.
    fn clear(&mut self);
}

impl<'a> KeyStore<(&'a str, &'a str)> for Vec<(&'a str, &'a str)> {
    fn push(&mut self, k: (&'a str, &'a str)) -> u32 {
        Vec::push(self, k);
        (self.len() - 1) as u32
    }
    fn holds(&self, id: u32, k: (&'a str, &'a str)) -> bool {
        let (a, b) = self[id as usize];
        same_text(a, k.0) && same_text(b, k.1)
    }
    fn clear(&mut self) {
        Vec::clear(self);
    }
}

/// The first 8 bytes of `s` as a big-endian number, zero-padded: `head8(a) < head8(b)` implies
/// `a < b` (a name shorter than 8 bytes pads with the least byte).
fn head8(s: &str) -> u64 {
    let mut h = [0u8; 8];
    let b = s.as_bytes();
    let k = b.len().min(8);
    h[..k].copy_from_slice(&b[..k]);
    u64::from_be_bytes(h)
}

/// `a == b`, comparing short texts (ids and channel names) byte by byte in line: a `memcmp`
/// call per row costs more than the comparison (it was a third of a build's time).
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && if a.len() <= 16 { a.iter().zip(b).all(|(x, y)| x == y) } else { a == b }
}

/// Each of the `n` items' index among the distinct keys (`u32::MAX` where `item` gives
/// `None`), the keys put in `store` in order of first appearance.
///
/// Hot with millions of rows and many distinct keys: a map from each key's 64-bit hash keeps
/// no reference into the rows (whose text lies far apart); then every row is compared with its
/// stored key, in one pass (with [`Names`], in one small buffer). Two keys with one hash fail
/// that comparison, and the rows are interned again by the keys themselves.
fn intern<K: std::hash::Hash + Eq + Copy>(store: &mut impl KeyStore<K>, hasher: impl BuildHasher, n: usize, item: impl Fn(usize) -> Option<K>) -> Vec<u32> {
    let mut ids = vec![u32::MAX; n];
    let mut by_hash: FxHashMap<u64, u32> = FxHashMap::default();
    for (i, id) in ids.iter_mut().enumerate() {
        if let Some(k) = item(i) {
            *id = *by_hash.entry(hasher.hash_one(k)).or_insert_with(|| store.push(k));
        }
    }
    drop(by_hash);
    if ids.iter().enumerate().any(|(i, &id)| item(i).is_some_and(|k| !store.holds(id, k))) {
        store.clear();
        let mut by_key: FxHashMap<K, u32> = FxHashMap::default();
        for (i, id) in ids.iter_mut().enumerate() {
            if let Some(k) = item(i) {
                *id = *by_key.entry(k).or_insert_with(|| store.push(k));
            }
        }
    }
    ids
}

/// Distinct strings in order of first appearance, packed in one buffer.
struct Names {
    text: String,
    ends: Vec<usize>,
}

impl Names {
    fn new() -> Self {
        Names { text: String::new(), ends: vec![0] }
    }

    fn len(&self) -> usize {
        self.ends.len() - 1
    }

    fn get(&self, id: u32) -> &str {
        &self.text[self.ends[id as usize]..self.ends[id as usize + 1]]
    }
}

impl KeyStore<&str> for Names {
    fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(self.text.len());
        (self.ends.len() - 2) as u32
    }
    fn holds(&self, id: u32, s: &str) -> bool {
        same_text(self.get(id), s)
    }
    fn clear(&mut self) {
        *self = Names::new();
    }
}

fn validate_events<T: TouchEvents + ?Sized, C: ConversionEvents + ?Sized>(touches: &T, conversions: &C) -> Result<()> {
    let mut cost_sum = 0.0;
    for i in 0..touches.len() {
        let channel = touches.channel(i);
        if channel.trim().is_empty() {
            return Err(Error::InvalidRecord {
                row: i,
                column: "channel".into(),
                value: channel.to_string(),
                reason: "empty channel name".into(),
            });
        }
        if let Some(c) = touches.cost(i) {
            cost_sum += check_non_negative(|| format!("touchpoints[{i}].cost"), c)?;
        }
    }
    if !cost_sum.is_finite() {
        return Err(Error::NonFinite { field: "sum of touchpoints.cost".into(), value: cost_sum });
    }
    let mut value_sum = 0.0;
    for i in 0..conversions.len() {
        value_sum += check_non_negative(|| format!("conversions[{i}].value"), conversions.value(i))?;
    }
    if !value_sum.is_finite() {
        return Err(Error::NonFinite { field: "sum of conversions.value".into(), value: value_sum });
    }
    Ok(())
}

/// Which events to keep: for each event id, the copy with the earliest timestamp (ties: first).
fn dedup<'a>(ids: impl Iterator<Item = (Option<&'a str>, i64)>, n: usize) -> Vec<bool> {
    let mut keep = vec![true; n];
    let mut best: FxHashMap<&'a str, (i64, usize)> = FxHashMap::default();
    for (i, (id, ts)) in ids.enumerate() {
        let Some(id) = id else { continue };
        match best.entry(id) {
            Entry::Vacant(e) => {
                e.insert((ts, i));
            }
            Entry::Occupied(mut e) => {
                let (best_ts, best_i) = *e.get();
                if ts < best_ts {
                    keep[best_i] = false;
                    e.insert((ts, i));
                } else {
                    keep[i] = false;
                }
            }
        }
    }
    keep
}

/// Journeys cut from event logs by [`JourneyBuilder::build`]: per journey its touches (node ids,
/// timestamps, costs), whether and when it converted, its value and its key touch.
///
/// Stored flat (one `Vec` per field, journeys delimited by offsets), so millions of journeys
/// cost a few allocations.
///
/// ```
/// use channelwise::journey::{Conversion, JourneyBuilder, Touchpoint};
/// let touches = [Touchpoint::new("u", 10, "a").cost(2.0), Touchpoint::new("u", 20, "b")];
/// let j = JourneyBuilder::new().build(&touches, &[Conversion::new("u", 30, 5.0)])?;
/// let first = j.get(0).expect("one journey");
/// assert_eq!(first.user_id, "u");
/// assert_eq!(first.touches, [0, 1]);
/// assert_eq!(first.timestamps, [10, 20]);
/// assert_eq!(first.costs, [Some(2.0), None]);
/// assert_eq!((first.converted, first.conversion_time, first.value), (true, Some(30), 5.0));
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Journeys {
    channels: Vec<String>,
    users: Vec<String>,
    user: Vec<u32>,
    offsets: Vec<usize>,
    touches: Vec<ChannelId>,
    timestamps: Vec<i64>,
    costs: Vec<Option<f64>>,
    conversion_time: Vec<Option<i64>>,
    values: Vec<f64>,
    key_touches: Vec<Option<usize>>,
    report: BuildReport,
    /// Whether any touch's cost is known; when none is, `costs` stays empty and each journey's
    /// costs are a slice of `nones`, as long as the longest journey.
    #[serde(skip)]
    has_costs: bool,
    #[serde(skip)]
    nones: Vec<Option<f64>>,
}

/// One journey of [`Journeys`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Journey<'a> {
    /// The user.
    pub user_id: &'a str,
    /// Node ids (indexes into [`Journeys::channels`]), in time order.
    pub touches: &'a [ChannelId],
    /// Timestamp of each touch (unix seconds).
    pub timestamps: &'a [i64],
    /// Cost of each touch, if known.
    pub costs: &'a [Option<f64>],
    /// Whether the journey ended in a conversion.
    pub converted: bool,
    /// When it converted.
    pub conversion_time: Option<i64>,
    /// Conversion value (0 for a null journey).
    pub value: f64,
    /// Index (into `touches`) of the key touch marked by a lead event, if any.
    pub key_touch: Option<usize>,
}

impl Journeys {
    fn empty(channels: Vec<String>, users: Vec<String>) -> Self {
        Journeys {
            channels,
            users,
            user: Vec::new(),
            offsets: vec![0],
            touches: Vec::new(),
            timestamps: Vec::new(),
            costs: Vec::new(),
            conversion_time: Vec::new(),
            values: Vec::new(),
            key_touches: Vec::new(),
            report: BuildReport::default(),
            has_costs: false,
            nones: Vec::new(),
        }
    }

    /// Appends a journey of the touches `idx` (`(timestamp, touch index, node)`, non-empty,
    /// time-ordered), collapsing sessions; returns how many touches were collapsed.
    fn push(&mut self, user: u32, idx: &[(i64, u32, ChannelId)], touches: &Touches<'_>, key: Option<usize>, conversion: Option<(i64, f64)>) -> usize {
        let base = self.touches.len();
        let mut collapsed = 0;
        let mut prev_ts = i64::MIN;
        let mut key_out = None;
        for (p, &(ts, t, ch)) in idx.iter().enumerate() {
            let cost = touches.costs.and_then(|c| c[t as usize]);
            let merge = match touches.gap {
                Some(g) => self.touches.len() > base && self.touches.last() == Some(&ch) && ts.saturating_sub(prev_ts) <= g,
                None => false,
            };
            if merge {
                if let (Some(last), true) = (self.costs.last_mut(), touches.costs.is_some()) {
                    *last = match (*last, cost) {
                        (Some(a), Some(b)) => Some(a + b),
                        (a, b) => a.or(b),
                    };
                }
                collapsed += 1;
            } else {
                self.touches.push(ch);
                self.timestamps.push(ts);
                if touches.costs.is_some() {
                    self.costs.push(cost);
                }
            }
            prev_ts = ts;
            if key == Some(p) {
                key_out = Some(self.touches.len() - 1 - base);
            }
        }
        self.offsets.push(self.touches.len());
        self.user.push(user);
        self.conversion_time.push(conversion.map(|c| c.0));
        self.values.push(conversion.map_or(0.0, |c| c.1));
        self.key_touches.push(key_out);
        collapsed
    }

    /// Number of journeys.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is no journey.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Node names (channels, or `"channel | campaign"`), sorted; a [`ChannelId`] indexes this.
    ///
    /// Every node of a touch kept after duplicates are dropped is here, also when all of its
    /// touches were older than the lookback: attribution over these journeys then gives it a
    /// row of zeros, which says it was touched and earned nothing, rather than leaving it out.
    ///
    /// ```
    /// use channelwise::journey::{Conversion, JourneyBuilder, Touchpoint};
    /// let touches = [Touchpoint::new("u", 0, "video"), Touchpoint::new("u", 9_000, "search")];
    /// let j = JourneyBuilder::new().lookback(3_600).build(&touches, &[Conversion::new("u", 10_000, 1.0)])?;
    /// assert_eq!(j.channels(), ["search", "video"]); // video's touch is outside the lookback
    /// assert_eq!(j.path_table().path_string(0, ">"), "search");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn channels(&self) -> &[String] {
        &self.channels
    }

    /// What the build dropped or counted aside.
    pub fn report(&self) -> &BuildReport {
        &self.report
    }

    /// Journey `i`, or `None` past the end.
    pub fn get(&self, i: usize) -> Option<Journey<'_>> {
        (i < self.len()).then(|| self.at(i))
    }

    /// Journey `i < self.len()`.
    fn at(&self, i: usize) -> Journey<'_> {
        let r = self.offsets[i]..self.offsets[i + 1];
        Journey {
            user_id: self.users.get(self.user[i] as usize).map_or("", String::as_str),
            touches: &self.touches[r.clone()],
            timestamps: &self.timestamps[r.clone()],
            costs: if self.has_costs { &self.costs[r] } else { &self.nones[..r.len()] },
            converted: self.conversion_time[i].is_some(),
            conversion_time: self.conversion_time[i],
            value: self.values[i],
            key_touch: self.key_touches[i],
        }
    }

    /// Iterates over the journeys in order (by user id, then time).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Journey<'_>> + '_ {
        (0..self.len()).map(move |i| self.at(i))
    }

    fn path(&self, i: usize) -> &[ChannelId] {
        &self.touches[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Aggregates journeys with the same path and key touch into one row each: converting
    /// journeys add to `conversions` and `value`, null journeys to `nulls`. Rows come in order
    /// of first appearance; channels are [`Journeys::channels`], with the same ids.
    ///
    /// ```
    /// use channelwise::journey::{Conversion, JourneyBuilder, Touchpoint};
    /// let touches = [Touchpoint::new("u1", 0, "a"), Touchpoint::new("u2", 0, "a"), Touchpoint::new("u3", 0, "a")];
    /// let conversions = [Conversion::new("u1", 5, 10.0), Conversion::new("u2", 5, 4.0)];
    /// let t = JourneyBuilder::new().build(&touches, &conversions)?.path_table();
    /// assert_eq!(t.len(), 1);
    /// assert_eq!((t.conversions()[0], t.nulls()[0], t.values()[0]), (2.0, 1.0, 14.0));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn path_table(&self) -> PathTable {
        let mut index: FxHashMap<(&[ChannelId], Option<usize>), usize> = FxHashMap::default();
        // Per row: (first journey, conversions, nulls, value).
        let mut rows: Vec<(usize, f64, f64, f64)> = Vec::new();
        for j in 0..self.len() {
            let row = *index.entry((self.path(j), self.key_touches[j])).or_insert_with(|| {
                rows.push((j, 0.0, 0.0, 0.0));
                rows.len() - 1
            });
            let r = &mut rows[row];
            if self.conversion_time[j].is_some() {
                r.1 += 1.0;
                r.3 += self.values[j];
            } else {
                r.2 += 1.0;
            }
        }
        let mut b = PathTableBuilder::new();
        for c in &self.channels {
            b.intern(c);
        }
        b.reserve(rows.len());
        for (j, conversions, nulls, value) in rows {
            // Journeys are only made by `build`: every path is non-empty with interned ids and a
            // key inside it, and values are finite (their total was checked) and zero on nulls.
            b.push_ids(self.path(j), conversions, nulls, value, self.key_touches[j])
                .expect("invariant: journeys from JourneyBuilder::build form valid path-table rows");
        }
        b.finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a panic is the failure report
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn t(u: &str, ts: i64, ch: &str) -> Touchpoint {
        Touchpoint::new(u, ts, ch)
    }

    fn c(u: &str, ts: i64, v: f64) -> Conversion {
        Conversion::new(u, ts, v)
    }

    /// Rows as (path, key, conversions, nulls, value), sorted.
    fn rows(j: &Journeys) -> Vec<(String, Option<usize>, f64, f64, f64)> {
        let p = j.path_table();
        let mut r: Vec<_> = (0..p.len())
            .map(|i| (p.path_string(i, ">"), p.key_touch(i), p.conversions()[i], p.nulls()[i], p.values()[i]))
            .collect();
        r.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        r
    }

    fn row(path: &str, conv: f64, nulls: f64, value: f64) -> (String, Option<usize>, f64, f64, f64) {
        (path.to_string(), None, conv, nulls, value)
    }

    #[test]
    fn groups_sorts_and_ends_journeys_at_conversions() {
        let touches = [t("u2", 30, "b"), t("u1", 20, "b"), t("u1", 10, "a"), t("u1", 50, "c"), t("u1", 70, "a")];
        let conversions = [c("u1", 60, 5.0), c("u1", 40, 7.0)];
        let j = JourneyBuilder::new().build(&touches, &conversions).unwrap();
        // u1: a(10) b(20) | conv 40 | c(50) | conv 60 | a(70) -> null; u2: b -> null.
        assert_eq!(j.len(), 4);
        let users: Vec<_> = j.iter().map(|x| x.user_id).collect();
        assert_eq!(users, ["u1", "u1", "u1", "u2"]);
        let first = j.get(0).unwrap();
        assert_eq!((first.timestamps, first.conversion_time, first.value), (&[10, 20][..], Some(40), 7.0));
        assert_eq!(j.get(1).unwrap().timestamps, [50]);
        assert!(!j.get(2).unwrap().converted && j.get(2).unwrap().conversion_time.is_none());
        assert!(j.get(4).is_none());
        assert_eq!(rows(&j), [row("a", 0.0, 1.0, 0.0), row("a>b", 1.0, 0.0, 7.0), row("b", 0.0, 1.0, 0.0), row("c", 1.0, 0.0, 5.0)]);
        let r = j.report();
        assert_eq!((r.journeys, r.conversions, r.unattributed_conversions), (4, 2, 0));
    }

    #[test]
    fn names_order_and_compare_as_text() {
        // the 8-byte head then the text orders as the text; the in-line comparison is `==`
        let names = ["", "a", "a\0", "a\0\0", "ab", "b", "abcdefgh", "abcdefgh\0", "abcdefghi", "abcdefgi", "é", "e\u{301}", "\u{10FFFF}", "zzzzzzzzzzzzzzzzz", "zzzzzzzzzzzzzzzzy"];
        for a in names {
            for b in names {
                assert_eq!(head8(a).cmp(&head8(b)).then_with(|| a.cmp(b)), a.cmp(b), "{a:?} {b:?}");
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn names_survive_hash_collisions() {
        // Every name hashes alike: the check after the first pass finds it and the rows are
        // interned again by their text.
        #[derive(Default)]
        struct Zero;
        impl std::hash::Hasher for Zero {
            fn finish(&self) -> u64 {
                0
            }
            fn write(&mut self, _: &[u8]) {}
        }
        let rows = [Some("b"), None, Some("a"), Some("b"), Some("c")];
        let mut names = Names::new();
        let ids = intern(&mut names, std::hash::BuildHasherDefault::<Zero>::default(), rows.len(), |i| rows[i]);
        assert_eq!(ids, [0, u32::MAX, 1, 0, 2]);
        assert_eq!((names.get(0), names.get(1), names.get(2), names.len()), ("b", "a", "c", 3));
        let mut keys = Vec::new();
        let ids = intern(&mut keys, std::hash::BuildHasherDefault::<Zero>::default(), rows.len(), |i| rows[i].map(|s| (s, "")));
        assert_eq!((ids, keys), (vec![0, u32::MAX, 1, 0, 2], vec![("b", ""), ("a", ""), ("c", "")]));
        let mut names = Names::new();
        let ids = intern(&mut names, rustc_hash::FxBuildHasher, rows.len(), |i| rows[i]);
        assert_eq!((ids, names.len()), (vec![0, u32::MAX, 1, 0, 2], 3));
    }

    #[test]
    fn columns_build_what_structs_build() {
        let touches = [
            t("u2", 30, " b ").campaign("x").cost(1.5).event_id("t1"),
            t("u1", 20, "b").event_id("t2"),
            t("u1", 10, "a").campaign(" y ").cost(2.0),
            t("u1", 10, "a").event_id("t2"),
            t("u1", 50, "c"),
            t("u1", 70, "a").cost(0.5),
        ];
        let conversions = [c("u1", 60, 5.0).kind("buy"), c("u1", 15, 0.0).kind("lead"), c("u1", 40, 7.0).event_id("o1"), c("u1", 41, 7.0).event_id("o1")];
        let users: Vec<&str> = touches.iter().map(|x| x.user_id.as_str()).collect();
        let ts: Vec<i64> = touches.iter().map(|x| x.timestamp).collect();
        let channels: Vec<&str> = touches.iter().map(|x| x.channel.as_str()).collect();
        let campaigns: Vec<Option<&str>> = touches.iter().map(|x| x.campaign.as_deref()).collect();
        let costs: Vec<Option<f64>> = touches.iter().map(|x| x.cost).collect();
        let ids: Vec<Option<&str>> = touches.iter().map(|x| x.event_id.as_deref()).collect();
        let c_users: Vec<&str> = conversions.iter().map(|x| x.user_id.as_str()).collect();
        let c_ts: Vec<i64> = conversions.iter().map(|x| x.timestamp).collect();
        let values: Vec<f64> = conversions.iter().map(|x| x.value).collect();
        let c_ids: Vec<Option<&str>> = conversions.iter().map(|x| x.event_id.as_deref()).collect();
        let kinds: Vec<Option<&str>> = conversions.iter().map(|x| x.kind.as_deref()).collect();
        let tc = TouchColumns { campaign: Some(&campaigns), cost: Some(&costs), event_id: Some(&ids), ..TouchColumns::new(&users, &ts, &channels) };
        let cc = ConversionColumns { event_id: Some(&c_ids), kind: Some(&kinds), ..ConversionColumns::new(&c_users, &c_ts, &values) };
        for b in [
            JourneyBuilder::new(),
            JourneyBuilder::new().session_gap(30).level(Level::ChannelCampaign).lead_kind("lead").lookback(35),
        ] {
            let (a, z) = (b.build(&touches, &conversions).unwrap(), b.build_columns(&tc, &cc).unwrap());
            assert_eq!(a, z);
            assert!(a.report().duplicates_dropped == 2 && a.len() >= 3);
        }
        let j = JourneyBuilder::new().build_columns(&tc, &cc).unwrap();
        assert_eq!(j.get(0).unwrap().costs, [Some(2.0), None]); // the dropped copy of t2 is not counted
        // No cost known: every journey's costs are None, one per touch.
        let plain = JourneyBuilder::new().build_columns(&TouchColumns::new(&users, &ts, &channels), &cc).unwrap();
        assert!(plain.iter().all(|x| x.costs.len() == x.touches.len() && x.costs.iter().all(Option::is_none)));
        // Columns of unequal length are refused by name.
        let short = TouchColumns::new(&users, &ts[..2], &channels);
        let e = JourneyBuilder::new().build_columns(&short, &cc).unwrap_err();
        assert_eq!(e.to_string(), Error::LengthMismatch { field: "touchpoints.timestamp".into(), expected: 6, got: 2 }.to_string());
        let e = JourneyBuilder::new().build_columns(&tc, &ConversionColumns { kind: Some(&kinds[..1]), ..cc }).unwrap_err();
        assert!(e.to_string().contains("conversions.type"), "{e}");
    }

    #[test]
    fn touch_at_conversion_second_counts_before_it() {
        let j = JourneyBuilder::new().build(&[t("u", 100, "b"), t("u", 90, "a")], &[c("u", 100, 1.0)]).unwrap();
        assert_eq!(rows(&j), [row("a>b", 1.0, 0.0, 1.0)]);
        // Conversion listed first, touch at the same second: same answer.
        let j2 = JourneyBuilder::new().build(&[t("u", 90, "a"), t("u", 100, "b")], &[c("u", 100, 1.0)]).unwrap();
        assert_eq!(j, j2);
    }

    #[test]
    fn same_second_ties_keep_input_order() {
        let j = JourneyBuilder::new().build(&[t("u", 5, "b"), t("u", 5, "a")], &[c("u", 6, 1.0)]).unwrap();
        assert_eq!(rows(&j)[0].0, "b>a");
    }

    #[test]
    fn lookback_drops_old_touches_and_counts_unattributed() {
        // lookback 100: conv at 200 keeps touches at >= 100 (dt = 100 is inside).
        let touches = [t("u", 50, "old"), t("u", 99, "old"), t("u", 100, "edge"), t("u", 150, "new"), t("v", 0, "x")];
        let conversions = [c("u", 200, 10.0), c("v", 500, 4.0), c("w", 10, 2.5), c("u", 300, 1.0)];
        let j = JourneyBuilder::new().lookback(100).build(&touches, &conversions).unwrap();
        assert_eq!(rows(&j), [row("edge>new", 1.0, 0.0, 10.0)]);
        let r = j.report();
        // v's touch is 500 s old; w has no touch; u's second conversion has none left.
        assert_eq!(r.touches_outside_lookback, 3);
        assert_eq!(r.unattributed_conversions, 3);
        assert_eq!(r.unattributed_value, 7.5);
        assert_eq!((r.conversions, r.journeys), (1, 1));
        assert_eq!(j.channels(), ["edge", "new", "old", "x"]);
    }

    #[test]
    fn default_lookback_is_30_days() {
        let b = JourneyBuilder::default();
        let day = 86_400;
        let j = b.build(&[t("u", 0, "a"), t("u", 1, "b")], &[c("u", 30 * day + 1, 1.0)]).unwrap();
        assert_eq!(rows(&j), [row("b", 1.0, 0.0, 1.0)]);
        assert_eq!(JourneyBuilder::new(), b);
    }

    #[test]
    fn duplicates_keep_earliest_copy_and_are_counted() {
        let touches = [
            t("u", 20, "late").event_id("e1"),
            t("u", 10, "early").event_id("e1"),
            t("u", 10, "again").event_id("e1"),
            t("u", 15, "other").event_id("e2"),
            t("u", 16, "noid"),
            t("u", 16, "noid"),
        ];
        let conversions = [
            c("u", 30, 9.0).event_id("e1"), // a conversion may reuse a touch id: other namespace
            c("u", 30, 9.0).event_id("e1"),
            c("u", 31, 1.0).event_id("o2"),
        ];
        let j = JourneyBuilder::new().build(&touches, &conversions).unwrap();
        assert_eq!(rows(&j), [row("early>other>noid>noid", 1.0, 0.0, 9.0)]);
        let r = j.report();
        assert_eq!((r.duplicates_dropped, r.duplicate_conversions), (3, 1));
        // The conversion at 31 finds no touch left.
        assert_eq!((r.conversions, r.unattributed_conversions), (1, 1));
        assert_eq!(j.channels(), ["early", "noid", "other"], "dropped copies add no channel");
    }

    #[test]
    fn session_gap_collapses_consecutive_runs() {
        let touches = [
            t("u", 0, "a").cost(1.0),
            t("u", 1000, "a").cost(2.0),
            t("u", 2000, "a"), // 1000 after the previous: still the same run
            t("u", 3000, "b"),
            t("u", 3100, "a"), // b in between: a new touch
            t("u", 9000, "a").cost(4.0), // too late: a new touch
        ];
        let j = JourneyBuilder::new().session_gap(1500).build(&touches, &[c("u", 9000, 1.0)]).unwrap();
        let x = j.get(0).unwrap();
        assert_eq!(x.touches.len(), 4);
        assert_eq!(x.timestamps, [0, 3000, 3100, 9000]);
        assert_eq!(x.costs, [Some(3.0), None, None, Some(4.0)]);
        assert_eq!(j.report().touches_collapsed, 2);
        assert_eq!(rows(&j), [row("a>b>a>a", 1.0, 0.0, 1.0)]);
        // gap 0 only merges touches in the same second; None merges nothing.
        let same = [t("u", 5, "a"), t("u", 5, "a"), t("u", 6, "a")];
        let j = JourneyBuilder::new().session_gap(0).build(&same, &[]).unwrap();
        assert_eq!(rows(&j), [row("a>a", 0.0, 1.0, 0.0)]);
        let j = JourneyBuilder::new().session_gap(0).session_gap(None).build(&same, &[]).unwrap();
        assert_eq!(rows(&j), [row("a>a>a", 0.0, 1.0, 0.0)]);
    }

    #[test]
    fn session_gap_applies_after_lookback() {
        // lookback 100 at conv 200 drops the touch at 50; the run's first kept touch is at 150.
        let touches = [t("u", 50, "a"), t("u", 150, "a"), t("u", 190, "a")];
        let j = JourneyBuilder::new().lookback(100).session_gap(1000).build(&touches, &[c("u", 200, 1.0)]).unwrap();
        assert_eq!(j.get(0).unwrap().timestamps, [150]);
        assert_eq!((j.report().touches_outside_lookback, j.report().touches_collapsed), (1, 1));
    }

    #[test]
    fn channel_campaign_level() {
        let touches = [
            t("u", 0, "search").campaign("brand"),
            t("u", 1, " search ").campaign(" brand "),
            t("u", 2, "search").campaign(""),
            t("u", 3, "email"),
            t("u", 4, "a | b"),
            t("u", 5, "a").campaign("b"),
        ];
        let j = JourneyBuilder::new().level(Level::ChannelCampaign).build(&touches, &[c("u", 9, 2.0)]).unwrap();
        assert_eq!(j.channels(), ["a | b", "email", "search", "search | brand"]);
        assert_eq!(rows(&j), [row("search | brand>search | brand>search>email>a | b>a | b", 1.0, 0.0, 2.0)]);
        // Same events at channel level ignore campaigns.
        let j = JourneyBuilder::new().build(&touches, &[c("u", 9, 2.0)]).unwrap();
        assert_eq!(j.channels(), ["a", "a | b", "email", "search"]);
    }

    #[test]
    fn lead_events_mark_the_key_touch() {
        let touches = [t("u", 10, "a"), t("u", 20, "b"), t("u", 30, "c"), t("u", 40, "d"), t("u", 50, "e")];
        let lead = |ts| c("u", ts, 0.0).kind("lead");
        // Lead at 30: last touch at or before it is c (index 2); the second lead is ignored.
        let conversions = [lead(30), lead(45), c("u", 60, 8.0).kind("purchase")];
        let j = JourneyBuilder::new().lead_kind("lead").build(&touches, &conversions).unwrap();
        assert_eq!(j.get(0).unwrap().key_touch, Some(2));
        assert_eq!(j.report().leads, 2);
        assert_eq!(j.report().conversions, 1);
        let p = j.path_table();
        assert_eq!((p.len(), p.key_touch(0), p.total_conversions()), (1, Some(2), 1.0));

        // Without lead_kind, the lead events are conversions that end journeys.
        let j = JourneyBuilder::new().build(&touches, &conversions).unwrap();
        assert_eq!(j.report().conversions, 3);
        assert_eq!(j.get(0).unwrap().key_touch, None);

        // A lead before any touch of the journey marks nothing; the key survives collapsing,
        // and a key touch cut by the lookback is gone.
        let j = JourneyBuilder::new().lead_kind("lead").build(&touches, &[lead(5), c("u", 60, 1.0)]).unwrap();
        assert_eq!(j.get(0).unwrap().key_touch, None);
        let same = [t("u", 10, "a"), t("u", 20, "a"), t("u", 30, "b")];
        let j = JourneyBuilder::new().lead_kind("lead").session_gap(100).build(&same, &[lead(25), c("u", 40, 1.0)]).unwrap();
        assert_eq!(j.get(0).unwrap().key_touch, Some(0));
        let j = JourneyBuilder::new().lead_kind("lead").lookback(15).build(&same, &[lead(12), c("u", 30, 1.0)]).unwrap();
        assert_eq!(j.get(0).unwrap().touches.len(), 2);
        assert_eq!(j.get(0).unwrap().key_touch, None);
        // A lead in a journey that never converts keeps its key on the null journey.
        let j = JourneyBuilder::new().lead_kind("lead").build(&same, &[lead(20)]).unwrap();
        assert_eq!(j.get(0).unwrap().key_touch, Some(1));
    }

    #[test]
    fn path_table_aggregates_by_path_and_key() {
        let touches = [
            t("u1", 0, "a"),
            t("u1", 1, "b"),
            t("u2", 0, "a"),
            t("u2", 1, "b"),
            t("u3", 0, "a"),
            t("u3", 1, "b"),
            t("u4", 0, "a"),
            t("u4", 1, "b"),
        ];
        let conversions = [c("u1", 2, 1.5), c("u2", 2, 2.5), c("u3", 0, 0.0).kind("lead"), c("u3", 2, 1.0)];
        let j = JourneyBuilder::new().lead_kind("lead").build(&touches, &conversions).unwrap();
        let mut want = vec![row("a>b", 2.0, 1.0, 4.0), row("a>b", 1.0, 0.0, 1.0)];
        want[1].1 = Some(0);
        assert_eq!(rows(&j), want);
        let p = j.path_table();
        assert_eq!(p.channels(), j.channels());
        assert_eq!((p.total_conversions(), p.total_nulls(), p.total_value()), (3.0, 1.0, 5.0));
    }

    #[test]
    fn two_conversions_in_one_second_leave_the_second_unattributed() {
        let j = JourneyBuilder::new().build(&[t("u", 0, "a")], &[c("u", 5, 1.0), c("u", 5, 2.0)]).unwrap();
        assert_eq!(rows(&j), [row("a", 1.0, 0.0, 1.0)]);
        assert_eq!((j.report().unattributed_conversions, j.report().unattributed_value), (1, 2.0));
    }

    #[test]
    fn bad_events_are_typed_errors() {
        let e = JourneyBuilder::new().build(&[t("u", 0, "a"), t("u", 0, "a").cost(f64::NAN)], &[]).unwrap_err();
        assert_eq!(e.to_string(), "touchpoints[1].cost must be finite, got NaN");
        let e = JourneyBuilder::new().build(&[t("u", 0, "a").cost(-1.0)], &[]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        let e = JourneyBuilder::new().build(&[], &[c("u", 0, f64::INFINITY)]).unwrap_err();
        assert_eq!(e.to_string(), "conversions[0].value must be finite, got inf");
        let e = JourneyBuilder::new().build(&[], &[c("u", 0, f64::MAX), c("u", 1, f64::MAX)]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        let e = JourneyBuilder::new().build(&[t("u", 0, "a").cost(f64::MAX), t("u", 0, "a").cost(f64::MAX)], &[]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        match JourneyBuilder::new().build(&[t("u", 0, "a"), t("u", 0, "  ")], &[]) {
            Err(Error::InvalidRecord { row: 1, column, .. }) => assert_eq!(column, "channel"),
            other => panic!("{other:?}"),
        }
        let e = JourneyBuilder::new().lookback(-1).build(&[], &[]).unwrap_err();
        assert_eq!(e.to_string(), "lookback must be in [0, inf], got -1");
        let e = JourneyBuilder::new().session_gap(-5).build(&[], &[]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
    }

    #[test]
    fn extreme_timestamps_do_not_panic() {
        let touches = [t("u", i64::MIN, "a"), t("u", i64::MAX, "b"), t("u", 0, "c")];
        let conversions = [c("u", i64::MAX, 1.0), c("u", i64::MIN, 1.0)];
        for b in [JourneyBuilder::new(), JourneyBuilder::new().lookback(i64::MAX).session_gap(i64::MAX)] {
            let j = b.build(&touches, &conversions).unwrap();
            let r = j.report();
            assert_eq!(r.conversions + r.unattributed_conversions, 2);
            let _ = j.path_table();
            let _ = crate::attribution::TimeDecay::default().fit(&j).unwrap();
        }
    }

    #[test]
    fn empty_input_gives_empty_journeys() {
        let j = JourneyBuilder::new().build(&[], &[]).unwrap();
        assert!(j.is_empty());
        assert!(j.path_table().is_empty());
        assert_eq!(j.report(), &BuildReport::default());
    }

    #[test]
    fn level_names_parse_and_serialise() {
        assert_eq!("channel".parse::<Level>().unwrap(), Level::Channel);
        assert_eq!("x".parse::<Level>().unwrap_err().kind(), ErrorKind::InvalidParameter);
        assert_eq!(serde_json::to_string(&Level::ChannelCampaign).unwrap(), "\"channel_campaign\"");
        for l in [Level::Channel, Level::ChannelCampaign] {
            assert_eq!(l.as_str().parse::<Level>().unwrap(), l);
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// Touches and conversions over 4 users with distinct timestamps per event (so that
        /// order cannot matter), optional ids with some repeats, and some lead events.
        fn events() -> impl Strategy<Value = (Vec<Touchpoint>, Vec<Conversion>)> {
            let touch = (0u8..4, 0i64..400, 0u8..4, proptest::option::of(0u8..30));
            let conv = (0u8..4, 0i64..400, 0.0f64..50.0, proptest::option::of(0u8..30), any::<bool>());
            (proptest::collection::vec(touch, 0..40), proptest::collection::vec(conv, 0..12)).prop_map(|(ts, cs)| {
                let n = ts.len() as i64;
                let touches = ts
                    .into_iter()
                    .enumerate()
                    .map(|(i, (u, time, ch, id))| Touchpoint {
                        user_id: format!("u{u}"),
                        timestamp: time * 100 + i as i64,
                        channel: ["a", "b", "c", "d"][ch as usize].into(),
                        campaign: (ch % 2 == 0).then(|| "k".to_string()),
                        cost: Some(f64::from(ch)),
                        event_id: id.map(|x| format!("t{x}")),
                    })
                    .collect();
                let conversions = cs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (u, time, v, id, lead))| Conversion {
                        user_id: format!("u{u}"),
                        timestamp: time * 100 + n + i as i64,
                        value: v,
                        event_id: id.map(|x| format!("c{x}")),
                        kind: lead.then(|| "lead".to_string()),
                    })
                    .collect();
                (touches, conversions)
            })
        }

        fn spec() -> impl Strategy<Value = JourneyBuilder> {
            (0i64..20_000, proptest::option::of(0i64..2_000), any::<bool>(), any::<bool>()).prop_map(|(lb, gap, camp, lead)| {
                let b = JourneyBuilder::new().lookback(lb).session_gap(gap);
                let b = if camp { b.level(Level::ChannelCampaign) } else { b };
                if lead { b.lead_kind("lead") } else { b }
            })
        }

        proptest! {
            #[test]
            fn journeys_do_not_depend_on_event_order(
                (touches, conversions) in events(),
                spec in spec(),
                seed in any::<u64>(),
            ) {
                let j = spec.build(&touches, &conversions).unwrap();
                // Shuffle both lists with a simple seeded LCG permutation.
                let mut t2 = touches.clone();
                let mut c2 = conversions.clone();
                let mut s = seed | 1;
                let mut next = |n: usize| { s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (s >> 33) as usize % n.max(1) };
                for i in (1..t2.len()).rev() { let k = next(i + 1); t2.swap(i, k); }
                for i in (1..c2.len()).rev() { let k = next(i + 1); c2.swap(i, k); }
                let j2 = spec.build(&t2, &c2).unwrap();
                prop_assert_eq!(&j, &j2);
                prop_assert_eq!(j.path_table(), j2.path_table());
            }

            #[test]
            fn every_conversion_is_accounted_for((touches, conversions) in events(), spec in spec()) {
                let j = spec.build(&touches, &conversions).unwrap();
                let r = j.report();
                prop_assert_eq!(r.conversions + r.unattributed_conversions + r.leads + r.duplicate_conversions, conversions.len());
                let p = j.path_table();
                prop_assert_eq!(p.total_conversions(), r.conversions as f64);
                prop_assert_eq!(p.total_conversions() + p.total_nulls(), r.journeys as f64);
                // Value: attributed + unattributed + leads' + duplicates' = input.
                let kept = j.iter().map(|x| x.value).sum::<f64>() + r.unattributed_value;
                let input: f64 = conversions.iter().map(|c| c.value).sum();
                prop_assert!(kept <= input + 1e-9);
                // Touches: kept + outside lookback + collapsed + duplicates = input.
                let kept_touches: usize = j.iter().map(|x| x.touches.len()).sum();
                prop_assert_eq!(
                    kept_touches + r.touches_outside_lookback + r.touches_collapsed + r.duplicates_dropped - r.duplicate_conversions,
                    touches.len()
                );
                for x in j.iter() {
                    prop_assert!(!x.touches.is_empty());
                    prop_assert!(x.timestamps.windows(2).all(|w| w[0] <= w[1]));
                    prop_assert!(x.key_touch.is_none_or(|k| k < x.touches.len()));
                }
            }

            #[test]
            fn exact_copies_are_dropped_and_counted(
                (touches, conversions) in events(),
                spec in spec(),
                pick in proptest::collection::vec(any::<proptest::sample::Index>(), 0..6),
            ) {
                let j = spec.build(&touches, &conversions).unwrap();
                let with_ids: Vec<&Touchpoint> = touches.iter().filter(|t| t.event_id.is_some()).collect();
                let mut t2 = touches.clone();
                let mut copies = 0;
                if !with_ids.is_empty() {
                    for p in &pick {
                        t2.push((*p.get(&with_ids)).clone());
                        copies += 1;
                    }
                }
                let cids: Vec<&Conversion> = conversions.iter().filter(|c| c.event_id.is_some()).collect();
                let mut c2 = conversions.clone();
                let mut ccopies = 0;
                if !cids.is_empty() {
                    for p in &pick {
                        c2.insert(0, (*p.get(&cids)).clone());
                        ccopies += 1;
                    }
                }
                let j2 = spec.build(&t2, &c2).unwrap();
                prop_assert_eq!(j2.report().duplicates_dropped, j.report().duplicates_dropped + copies + ccopies);
                prop_assert_eq!(j2.report().duplicate_conversions, j.report().duplicate_conversions + ccopies);
                prop_assert_eq!(j.path_table(), j2.path_table());
            }
        }
    }
}
