//! RFM summaries from a transaction log, with lifetimes 0.11.3's semantics
//! (`summary_data_from_transaction_data`, `calibration_and_holdout_data`).
//!
//! Timestamps are seconds since the Unix epoch (UTC, or any fixed offset the caller applies to
//! all of them). Each timestamp is first truncated to the start of its period (pandas
//! `to_period(freq).to_timestamp()`): the hour, the day, or the week starting on Monday (pandas'
//! `W` = weeks ending on Sunday). Several purchases of one customer in one period count once (their
//! spend summed). Then per customer:
//!
//! - `frequency`: purchase periods after the first;
//! - `recency`: last purchase period minus first, in periods divided by `freq_multiplier`;
//! - `T`: the observation end's period minus the first purchase period, likewise;
//! - `monetary_value`: mean spend of the repeat periods (the first excluded), 0 without repeats.
//!
//! Transactions whose period starts after the observation end's period are dropped. The
//! calibration/holdout split summarises transactions at or before `calibration_end` as above
//! (observation end = `calibration_end`), and for those customers counts the distinct purchase
//! periods in `(calibration_end, observation_end]` (`frequency_holdout`), the mean of those raw
//! transactions' values (`monetary_value_holdout`) and `duration_holdout`, the number of periods
//! between the two ends over `freq_multiplier`.
//!
//! Customers are returned sorted by id (byte order).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The period purchases are counted in (lifetimes' `freq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Hours (`"H"`).
    Hour,
    /// Calendar days (`"D"`).
    Day,
    /// Weeks starting on Monday (`"W"`, pandas' W-SUN).
    Week,
}

impl Period {
    /// Parses `"H"`, `"D"` or `"W"`.
    ///
    /// # Errors
    /// `invalid_parameter` for another code (months have no fixed length; lifetimes' `"M"`
    /// summary divides by a 30.4-day numpy month, which this module does not imitate).
    ///
    /// ```
    /// use channelwise::clv::rfm::Period;
    /// assert_eq!(Period::parse("W")?, Period::Week);
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn parse(code: &str) -> Result<Self> {
        match code {
            "H" => Ok(Period::Hour),
            "D" => Ok(Period::Day),
            "W" => Ok(Period::Week),
            other => Err(Error::param("freq", other, "one of H, D, W")),
        }
    }

    fn seconds(self) -> i64 {
        match self {
            Period::Hour => 3600,
            Period::Day => 86_400,
            Period::Week => 604_800,
        }
    }

    /// The index of the period holding timestamp `ts` (periods since the epoch's period).
    fn index(self, ts: i64) -> i64 {
        match self {
            Period::Hour | Period::Day => ts.div_euclid(self.seconds()),
            // 1970-01-01 was a Thursday: shift so weeks start on Monday (1969-12-29)
            Period::Week => (ts + 3 * 86_400).div_euclid(604_800),
        }
    }
}

/// Options of [`summary`] and [`calibration_and_holdout`].
///
/// | Name | Default | Meaning |
/// |---|---|---|
/// | `freq` | `Day` | period purchases are counted in |
/// | `freq_multiplier` | 1 | recency and `T` are divided by it (e.g. 7 with `Day` for weeks in days' resolution) |
/// | `observation_end` | latest timestamp | end of observation (seconds since the epoch) |
///
/// ```
/// use channelwise::clv::rfm::{Period, RfmOptions};
/// let o = RfmOptions { freq: Period::Week, ..RfmOptions::default() };
/// assert_eq!(o.freq_multiplier, 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RfmOptions {
    /// Period purchases are counted in.
    pub freq: Period,
    /// Divisor of recency and `T`.
    pub freq_multiplier: f64,
    /// End of observation; the latest timestamp when `None`.
    pub observation_end: Option<i64>,
}

impl Default for RfmOptions {
    fn default() -> Self {
        RfmOptions { freq: Period::Day, freq_multiplier: 1.0, observation_end: None }
    }
}

/// One row per customer: lifetimes' `frequency`, `recency`, `T`, `monetary_value`.
///
/// ```
/// use channelwise::clv::rfm::{summary, RfmOptions};
/// let day = 86_400;
/// let s = summary(&["a", "a", "b"], &[0, 3 * day, day], Some(&[10.0, 30.0, 5.0]), &RfmOptions::default())?;
/// assert_eq!(s.customer_id, ["a", "b"]);
/// assert_eq!(s.frequency, [1.0, 0.0]);
/// assert_eq!(s.t, [3.0, 2.0]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rfm {
    /// Customer ids, sorted.
    pub customer_id: Vec<String>,
    /// Repeat purchase periods.
    pub frequency: Vec<f64>,
    /// Time from the first to the last purchase period.
    pub recency: Vec<f64>,
    /// Time from the first purchase period to the end of observation (lifetimes' `T`).
    pub t: Vec<f64>,
    /// Mean spend of the repeat periods (0 without repeats); all 0 without spend data.
    pub monetary_value: Vec<f64>,
}

/// A calibration summary with the holdout period's counts (lifetimes'
/// `calibration_and_holdout_data`).
///
/// ```
/// use channelwise::clv::rfm::{calibration_and_holdout, RfmOptions};
/// let day = 86_400;
/// let c = calibration_and_holdout(&["a", "a", "a"], &[0, 2 * day, 6 * day], None, 3 * day, &RfmOptions::default())?;
/// assert_eq!(c.calibration.frequency, [1.0]);
/// assert_eq!(c.frequency_holdout, [1.0]);
/// assert_eq!(c.duration_holdout, 3.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationHoldout {
    /// The calibration period's summary (lifetimes' `*_cal` columns).
    pub calibration: Rfm,
    /// Distinct purchase periods in the holdout.
    pub frequency_holdout: Vec<f64>,
    /// Mean value of the holdout transactions (0 without any).
    pub monetary_value_holdout: Vec<f64>,
    /// Length of the holdout in periods over `freq_multiplier`.
    pub duration_holdout: f64,
}

fn check_log<S: AsRef<str>>(customer_id: &[S], timestamp: &[i64], monetary_value: Option<&[f64]>, opts: &RfmOptions) -> Result<()> {
    let n = customer_id.len();
    if n == 0 {
        return Err(Error::NotEnoughData { what: "an RFM summary (transactions)".into(), required: 1, got: 0 });
    }
    if timestamp.len() != n {
        return Err(Error::LengthMismatch { field: "datetime".into(), expected: n, got: timestamp.len() });
    }
    if let Some(m) = monetary_value {
        if m.len() != n {
            return Err(Error::LengthMismatch { field: "monetary_value".into(), expected: n, got: m.len() });
        }
        if let Some(i) = m.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite { field: format!("monetary_value[{i}]"), value: m[i] });
        }
    }
    if !(opts.freq_multiplier.is_finite() && opts.freq_multiplier > 0.0) {
        return Err(Error::OutOfRange { field: "freq_multiplier".into(), value: opts.freq_multiplier, min: f64::MIN_POSITIVE, max: f64::INFINITY });
    }
    Ok(())
}

/// Per customer: period index -> summed spend, for transactions in periods `<= last_period`
/// and (for the holdout) raw timestamps in `(after, until]`.
fn periods<'a, S: AsRef<str>>(customer_id: &'a [S], timestamp: &[i64], monetary_value: Option<&[f64]>, freq: Period, keep: impl Fn(i64) -> bool) -> BTreeMap<&'a str, BTreeMap<i64, f64>> {
    let mut by: BTreeMap<&str, BTreeMap<i64, f64>> = BTreeMap::new();
    for (i, id) in customer_id.iter().enumerate() {
        if !keep(timestamp[i]) {
            continue;
        }
        *by.entry(id.as_ref()).or_default().entry(freq.index(timestamp[i])).or_insert(0.0) += monetary_value.map_or(0.0, |m| m[i]);
    }
    by
}

fn summarise(by: &BTreeMap<&str, BTreeMap<i64, f64>>, end_period: i64, mult: f64) -> Rfm {
    let mut out = Rfm { customer_id: Vec::new(), frequency: Vec::new(), recency: Vec::new(), t: Vec::new(), monetary_value: Vec::new() };
    for (id, ps) in by {
        let (Some((&first, _)), Some((&last, _))) = (ps.first_key_value(), ps.last_key_value()) else { continue };
        let repeat: Vec<f64> = ps.values().skip(1).copied().collect();
        out.customer_id.push((*id).to_string());
        out.frequency.push(repeat.len() as f64);
        out.recency.push((last - first) as f64 / mult);
        out.t.push((end_period - first) as f64 / mult);
        out.monetary_value.push(if repeat.is_empty() { 0.0 } else { repeat.iter().sum::<f64>() / repeat.len() as f64 });
    }
    out
}

/// Summarises a transaction log into one RFM row per customer (module docs give the rules).
///
/// # Errors
/// `not_enough_data` for an empty log or none at or before the observation end;
/// `length_mismatch` for columns of unequal length; `non_finite` for a spend
/// (`monetary_value[5]`); `out_of_range` for `freq_multiplier <= 0`.
///
/// ```
/// use channelwise::clv::rfm::{summary, Period, RfmOptions};
/// let day = 86_400;
/// // two purchases on one day count once; weeks start on Monday (1970-01-05 is one)
/// let ts = [4 * day, 4 * day + 3600, 11 * day, 25 * day];
/// let s = summary(&["c1", "c1", "c1", "c1"], &ts, None, &RfmOptions { freq: Period::Week, ..RfmOptions::default() })?;
/// assert_eq!((s.frequency[0], s.recency[0], s.t[0]), (2.0, 3.0, 3.0));
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn summary<S: AsRef<str>>(customer_id: &[S], timestamp: &[i64], monetary_value: Option<&[f64]>, opts: &RfmOptions) -> Result<Rfm> {
    check_log(customer_id, timestamp, monetary_value, opts)?;
    let end = opts.observation_end.unwrap_or_else(|| timestamp.iter().copied().max().unwrap_or(0));
    let end_period = opts.freq.index(end);
    let by = periods(customer_id, timestamp, monetary_value, opts.freq, |ts| opts.freq.index(ts) <= end_period);
    if by.is_empty() {
        return Err(Error::NotEnoughData { what: "an RFM summary (transactions at or before the observation end)".into(), required: 1, got: 0 });
    }
    Ok(summarise(&by, end_period, opts.freq_multiplier))
}

/// Splits a transaction log at `calibration_end`: the calibration summary and the holdout
/// period's counts for the customers seen in calibration (module docs give the rules).
///
/// # Errors
/// As [`summary`]; `out_of_range` when `calibration_end` is not before the observation end;
/// `not_enough_data` when no transaction falls in either period (lifetimes raises there too).
pub fn calibration_and_holdout<S: AsRef<str>>(customer_id: &[S], timestamp: &[i64], monetary_value: Option<&[f64]>, calibration_end: i64, opts: &RfmOptions) -> Result<CalibrationHoldout> {
    check_log(customer_id, timestamp, monetary_value, opts)?;
    let end = opts.observation_end.unwrap_or_else(|| timestamp.iter().copied().max().unwrap_or(0));
    if calibration_end >= end {
        return Err(Error::OutOfRange { field: "calibration_end".into(), value: calibration_end as f64, min: f64::NEG_INFINITY, max: (end - 1) as f64 });
    }
    let f = opts.freq;
    let cal_period = f.index(calibration_end);
    let cal = periods(customer_id, timestamp, monetary_value, f, |ts| ts <= calibration_end);
    if cal.is_empty() {
        return Err(Error::NotEnoughData { what: "a calibration period (transactions at or before calibration_end)".into(), required: 1, got: 0 });
    }
    let calibration = summarise(&cal, cal_period, opts.freq_multiplier);
    // holdout: raw timestamps in (calibration_end, end]; periods counted, raw values averaged
    let mut hold: BTreeMap<&str, (std::collections::BTreeSet<i64>, f64, usize)> = BTreeMap::new();
    for (i, id) in customer_id.iter().enumerate() {
        let ts = timestamp[i];
        if ts > calibration_end && ts <= end {
            let e = hold.entry(id.as_ref()).or_default();
            e.0.insert(f.index(ts));
            e.1 += monetary_value.map_or(0.0, |m| m[i]);
            e.2 += 1;
        }
    }
    if hold.is_empty() {
        return Err(Error::NotEnoughData { what: "a holdout period (transactions after calibration_end)".into(), required: 1, got: 0 });
    }
    let (mut fh, mut mh) = (Vec::new(), Vec::new());
    for id in &calibration.customer_id {
        match hold.get(id.as_str()) {
            Some((ps, sum, count)) => {
                fh.push(ps.len() as f64);
                mh.push(sum / *count as f64);
            }
            None => {
                fh.push(0.0);
                mh.push(0.0);
            }
        }
    }
    let duration = (f.index(end) - cal_period) as f64 / opts.freq_multiplier;
    Ok(CalibrationHoldout { calibration, frequency_holdout: fh, monetary_value_holdout: mh, duration_holdout: duration })
}

/// Customers summarised part by part (all the transactions of some customers at a time), as a
/// Spark task or a bucketed log on one machine gives them; [`RfmStream::finish`] returns
/// exactly what [`summary`] returns for the whole log with the same options.
///
/// The observation end must be given ([`RfmOptions::observation_end`]): by default it is the
/// latest timestamp of the log, which no part knows. Every transaction of a customer must come
/// in the same call; a customer in two calls is an error at [`finish`](RfmStream::finish).
///
/// ```
/// use channelwise::clv::rfm::{summary, RfmOptions, RfmStream};
/// let day = 86_400;
/// let (ids, ts, spend) = (["a", "a", "b", "b", "c"], [0, 3 * day, day, 9 * day, 2 * day], [10.0, 30.0, 5.0, 7.0, 1.0]);
/// let opts = RfmOptions { observation_end: Some(10 * day), ..RfmOptions::default() };
/// let mut s = RfmStream::new(&opts)?;
/// s.push(&ids[2..], &ts[2..], Some(&spend[2..]))?; // b and c
/// s.push(&ids[..2], &ts[..2], Some(&spend[..2]))?; // a
/// assert_eq!(s.finish()?, summary(&ids, &ts, Some(&spend), &opts)?);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RfmStream {
    opts: RfmOptions,
    end_period: i64,
    parts: Vec<Rfm>,
}

impl RfmStream {
    /// A stream with these options.
    ///
    /// # Errors
    /// `invalid_parameter` (field `observation_end`) when it is not given; `out_of_range` for
    /// `freq_multiplier <= 0`.
    pub fn new(opts: &RfmOptions) -> Result<Self> {
        let Some(end) = opts.observation_end else {
            return Err(Error::param("observation_end", "None", "required when the log is summarised in parts (no part knows the latest timestamp of the whole log)"));
        };
        check_log(&["x"], &[end], None, opts)?;
        Ok(RfmStream { opts: *opts, end_period: opts.freq.index(end), parts: Vec::new() })
    }

    /// Adds the transactions of some whole customers (columns as in [`summary`]). Customers
    /// with no transaction at or before the observation end add nothing.
    ///
    /// # Errors
    /// As [`summary`] for the columns (`monetary_value[i]` is the index in this call).
    pub fn push<S: AsRef<str>>(&mut self, customer_id: &[S], timestamp: &[i64], monetary_value: Option<&[f64]>) -> Result<()> {
        if customer_id.is_empty() && timestamp.is_empty() && monetary_value.is_none_or(<[f64]>::is_empty) {
            return Ok(());
        }
        check_log(customer_id, timestamp, monetary_value, &self.opts)?;
        let (f, end) = (self.opts.freq, self.end_period);
        let by = periods(customer_id, timestamp, monetary_value, f, |ts| f.index(ts) <= end);
        self.parts.push(summarise(&by, end, self.opts.freq_multiplier));
        Ok(())
    }

    /// The summary of every customer pushed, sorted by id.
    ///
    /// # Errors
    /// As [`merge`].
    pub fn finish(self) -> Result<Rfm> {
        merge(&self.parts)
    }
}

/// Summaries of disjoint sets of customers (made with the same options and an explicit
/// observation end) as one summary, customers sorted by id: what [`summary`] gives for the
/// whole log.
///
/// # Errors
/// `invalid_parameter` naming `customer_id` and the id when a customer is in two parts (its
/// transactions were split, so neither row is its summary); `not_enough_data` when the parts
/// hold no customer.
pub fn merge(parts: &[Rfm]) -> Result<Rfm> {
    let mut rows: Vec<(&str, usize, usize)> = parts.iter().enumerate().flat_map(|(p, r)| r.customer_id.iter().enumerate().map(move |(i, id)| (id.as_str(), p, i))).collect();
    if rows.is_empty() {
        return Err(Error::NotEnoughData { what: "an RFM summary (customers in the parts)".into(), required: 1, got: 0 });
    }
    rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::param("customer_id", w[0].0, format!("in two parts ({} and {}): every transaction of a customer must be summarised in one part", w[0].1, w[1].1)));
    }
    let pick = |col: fn(&Rfm) -> &Vec<f64>| rows.iter().map(|&(_, p, i)| col(&parts[p])[i]).collect::<Vec<f64>>();
    Ok(Rfm {
        customer_id: rows.iter().map(|r| r.0.to_string()).collect(),
        frequency: pick(|r| &r.frequency),
        recency: pick(|r| &r.recency),
        t: pick(|r| &r.t),
        monetary_value: pick(|r| &r.monetary_value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let day = 86_400;
        // 1970-01-04 (Sunday) and 1970-01-05 (Monday) fall in different weeks
        assert_ne!(Period::Week.index(3 * day), Period::Week.index(4 * day));
        assert_eq!(Period::Week.index(4 * day), Period::Week.index(10 * day + 86_399));
        // before the epoch
        assert_eq!(Period::Day.index(-1), -1);
    }

    #[test]
    fn bad_logs_are_errors() {
        let o = RfmOptions::default();
        assert_eq!(summary::<&str>(&[], &[], None, &o).unwrap_err().kind().code(), "not_enough_data");
        assert_eq!(summary(&["a"], &[0, 1], None, &o).unwrap_err().kind().code(), "length_mismatch");
        assert_eq!(summary(&["a"], &[0], Some(&[f64::NAN]), &o).unwrap_err().to_string(), "monetary_value[0] must be finite, got NaN");
        assert_eq!(calibration_and_holdout(&["a", "a"], &[0, 5], None, 10, &o).unwrap_err().kind().code(), "out_of_range");
    }
}
