//! Reading events and path tables from CSV.
//!
//! Each reader is a small spec of column names (defaults in its table) with [`read`] taking any
//! [`std::io::Read`] and [`read_path`] opening a file. Input has a header row; fields are
//! trimmed; columns are found by name, in any order, and extra columns are ignored. Every bad
//! row is an [`Error::InvalidRecord`] naming the 1-based data row (the first row after the
//! header is row 1), the column and the raw value.
//!
//! Timestamps ([`parse_timestamp`]) may be integer or fractional unix seconds, RFC 3339
//! (`2024-03-01T12:00:00Z`, `2024-03-01T14:00:00.5+02:00`), `YYYY-MM-DD HH:MM:SS` or
//! `YYYY-MM-DD` (both UTC).
//!
//! [`read`]: TouchpointCsv::read
//! [`read_path`]: TouchpointCsv::read_path

use std::io::Read;
use std::path::Path;

use csv::{ReaderBuilder, StringRecord};

use super::events::{Conversion, Touchpoint};
use super::path_table::{PathTable, PathTableBuilder};
use crate::error::{Error, Result};

/// Reads [`Touchpoint`]s from CSV.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `user_id` | `"user_id"` | user column | required, non-empty cells |
/// | `timestamp` | `"timestamp"` | time column (see [`parse_timestamp`]) | required |
/// | `channel` | `"channel"` | channel column | required, non-empty cells |
/// | `campaign` | `"campaign"` | campaign column | optional; empty cell = none |
/// | `cost` | `"cost"` | cost column | optional; empty cell = none; finite, >= 0 |
/// | `event_id` | `"event_id"` | event id column, for de-duplication | optional; empty cell = none |
///
/// An optional column missing from the header gives `None` in every row.
///
/// ```
/// use channelwise::journey::TouchpointCsv;
/// let csv = "uid,timestamp,channel,cost\nu1,2024-03-01,search,0.5\nu1,1709301600,email,\n";
/// let touches = TouchpointCsv::default().user_id("uid").read(csv.as_bytes())?;
/// assert_eq!(touches.len(), 2);
/// assert_eq!((touches[0].timestamp, touches[0].cost), (1_709_251_200, Some(0.5)));
/// assert_eq!((touches[1].channel.as_str(), touches[1].cost), ("email", None));
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchpointCsv {
    user_id: String,
    timestamp: String,
    channel: String,
    campaign: String,
    cost: String,
    event_id: String,
    delimiter: u8,
}

impl Default for TouchpointCsv {
    fn default() -> Self {
        TouchpointCsv {
            user_id: "user_id".into(),
            timestamp: "timestamp".into(),
            channel: "channel".into(),
            campaign: "campaign".into(),
            cost: "cost".into(),
            event_id: "event_id".into(),
            delimiter: b',',
        }
    }
}

impl TouchpointCsv {
    /// Sets the user id column name.
    pub fn user_id(mut self, name: impl Into<String>) -> Self {
        self.user_id = name.into();
        self
    }

    /// Sets the timestamp column name.
    pub fn timestamp(mut self, name: impl Into<String>) -> Self {
        self.timestamp = name.into();
        self
    }

    /// Sets the channel column name.
    pub fn channel(mut self, name: impl Into<String>) -> Self {
        self.channel = name.into();
        self
    }

    /// Sets the campaign column name.
    pub fn campaign(mut self, name: impl Into<String>) -> Self {
        self.campaign = name.into();
        self
    }

    /// Sets the cost column name.
    pub fn cost(mut self, name: impl Into<String>) -> Self {
        self.cost = name.into();
        self
    }

    /// Sets the event id column name.
    pub fn event_id(mut self, name: impl Into<String>) -> Self {
        self.event_id = name.into();
        self
    }

    /// Sets the field delimiter (`b','` by default; `b';'` and `b'\t'` are common).
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Reads all touchpoints.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if a required column is not in the header;
    /// [`Error::InvalidRecord`] for a bad row (empty user or channel, bad timestamp, cost that
    /// is not a finite non-negative number, wrong number of fields, invalid UTF-8);
    /// [`Error::Io`] if reading fails.
    ///
    /// ```
    /// use channelwise::{journey::TouchpointCsv, Error};
    /// let csv = "user_id,timestamp,channel\nu1,100,search\nu2,yesterday,email\n";
    /// match TouchpointCsv::default().read(csv.as_bytes()) {
    ///     Err(Error::InvalidRecord { row, column, value, .. }) => {
    ///         assert_eq!((row, column.as_str(), value.as_str()), (2, "timestamp", "yesterday"));
    ///     }
    ///     other => panic!("{other:?}"),
    /// }
    /// ```
    pub fn read(&self, reader: impl Read) -> Result<Vec<Touchpoint>> {
        self.rows(reader)?.collect()
    }

    /// The touchpoints one row at a time, for logs larger than memory (what
    /// [`JourneyStream::read_sorted`](super::JourneyStream::read_sorted) reads).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if a required column is not in the header; each item as
    /// [`TouchpointCsv::read`].
    pub fn rows<R: Read>(&self, reader: R) -> Result<TouchpointRows<R>> {
        let mut rdr = open(reader, self.delimiter);
        let headers = headers(&mut rdr)?;
        let cols = [require(&headers, &self.user_id, "user_id")?, require(&headers, &self.timestamp, "timestamp")?, require(&headers, &self.channel, "channel")?];
        let optional = [find(&headers, &self.campaign), find(&headers, &self.cost), find(&headers, &self.event_id)];
        Ok(TouchpointRows { rows: Rows::new(rdr, headers), spec: self.clone(), cols, optional })
    }

    /// Reads all touchpoints from the file at `path`.
    ///
    /// # Errors
    /// As [`TouchpointCsv::read`]; [`Error::Io`] if the file cannot be opened.
    pub fn read_path(&self, path: impl AsRef<Path>) -> Result<Vec<Touchpoint>> {
        self.read(open_file(path.as_ref())?)
    }
}

/// Reads [`Conversion`]s from CSV.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `user_id` | `"user_id"` | user column | required, non-empty cells |
/// | `timestamp` | `"timestamp"` | time column (see [`parse_timestamp`]) | required |
/// | `value` | `"value"` | conversion value column | optional (missing column or empty cell = 0); finite, >= 0 |
/// | `event_id` | `"event_id"` | event id column, for de-duplication | optional; empty cell = none |
/// | `kind` | `"type"` | event kind column (e.g. `lead`, `purchase`) | optional; empty cell = none |
///
/// ```
/// use channelwise::journey::ConversionCsv;
/// let csv = "user_id,timestamp,value,type\nu1,2024-03-01T10:00:00+01:00,99.5,purchase\nu2,0,,lead\n";
/// let conv = ConversionCsv::default().read(csv.as_bytes())?;
/// assert_eq!((conv[0].timestamp, conv[0].value), (1_709_283_600, 99.5));
/// assert_eq!((conv[1].value, conv[1].kind.as_deref()), (0.0, Some("lead")));
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionCsv {
    user_id: String,
    timestamp: String,
    value: String,
    event_id: String,
    kind: String,
    delimiter: u8,
}

impl Default for ConversionCsv {
    fn default() -> Self {
        ConversionCsv {
            user_id: "user_id".into(),
            timestamp: "timestamp".into(),
            value: "value".into(),
            event_id: "event_id".into(),
            kind: "type".into(),
            delimiter: b',',
        }
    }
}

impl ConversionCsv {
    /// Sets the user id column name.
    pub fn user_id(mut self, name: impl Into<String>) -> Self {
        self.user_id = name.into();
        self
    }

    /// Sets the timestamp column name.
    pub fn timestamp(mut self, name: impl Into<String>) -> Self {
        self.timestamp = name.into();
        self
    }

    /// Sets the value column name.
    pub fn value(mut self, name: impl Into<String>) -> Self {
        self.value = name.into();
        self
    }

    /// Sets the event id column name.
    pub fn event_id(mut self, name: impl Into<String>) -> Self {
        self.event_id = name.into();
        self
    }

    /// Sets the event kind column name.
    pub fn kind(mut self, name: impl Into<String>) -> Self {
        self.kind = name.into();
        self
    }

    /// Sets the field delimiter (`b','` by default; `b';'` and `b'\t'` are common).
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Reads all conversions.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if a required column is not in the header;
    /// [`Error::InvalidRecord`] for a bad row (empty user, bad timestamp, value that is not a
    /// finite non-negative number, wrong number of fields, invalid UTF-8); [`Error::Io`] if
    /// reading fails.
    ///
    /// ```
    /// use channelwise::{journey::ConversionCsv, ErrorKind};
    /// let err = ConversionCsv::default().read("user_id,timestamp,value\nu1,5,NaN\n".as_bytes()).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidRecord);
    /// assert_eq!(err.to_string(), "invalid record at row 1, column value: \"NaN\" (must be finite)");
    /// ```
    pub fn read(&self, reader: impl Read) -> Result<Vec<Conversion>> {
        self.rows(reader)?.collect()
    }

    /// The conversions one row at a time, for logs larger than memory.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if a required column is not in the header; each item as
    /// [`ConversionCsv::read`].
    pub fn rows<R: Read>(&self, reader: R) -> Result<ConversionRows<R>> {
        let mut rdr = open(reader, self.delimiter);
        let headers = headers(&mut rdr)?;
        let cols = [require(&headers, &self.user_id, "user_id")?, require(&headers, &self.timestamp, "timestamp")?];
        let optional = [find(&headers, &self.value), find(&headers, &self.event_id), find(&headers, &self.kind)];
        Ok(ConversionRows { rows: Rows::new(rdr, headers), spec: self.clone(), cols, optional })
    }

    /// Reads all conversions from the file at `path`.
    ///
    /// # Errors
    /// As [`ConversionCsv::read`]; [`Error::Io`] if the file cannot be opened.
    pub fn read_path(&self, path: impl AsRef<Path>) -> Result<Vec<Conversion>> {
        self.read(open_file(path.as_ref())?)
    }
}

/// Reads a [`PathTable`] from CSV, one row per path.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `path` | `"path"` | path column, channels joined by `sep` | required; no empty channel |
/// | `conversions` | `"conversions"` | conversions column | required; finite, >= 0 |
/// | `nulls` | `"nulls"` | non-converting journeys column | optional (missing column or empty cell = 0); finite, >= 0 |
/// | `value` | `"value"` | conversion value column | optional (missing column or empty cell = 0); finite, >= 0, 0 when conversions are 0 |
/// | `sep` | `">"` | channel separator inside a path | non-blank |
///
/// ```
/// use channelwise::journey::PathCsv;
/// let csv = "path,conversions,nulls,value\nsearch > email,3,1,120\nemail,0,7,\n";
/// let t = PathCsv::default().read(csv.as_bytes())?;
/// assert_eq!(t.channels(), ["search", "email"]);
/// assert_eq!(t.conversions(), [3.0, 0.0]);
/// assert_eq!(t.nulls(), [1.0, 7.0]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathCsv {
    path: String,
    conversions: String,
    nulls: String,
    value: String,
    sep: String,
    delimiter: u8,
}

impl Default for PathCsv {
    fn default() -> Self {
        PathCsv {
            path: "path".into(),
            conversions: "conversions".into(),
            nulls: "nulls".into(),
            value: "value".into(),
            sep: ">".into(),
            delimiter: b',',
        }
    }
}

impl PathCsv {
    /// Sets the path column name.
    pub fn path(mut self, name: impl Into<String>) -> Self {
        self.path = name.into();
        self
    }

    /// Sets the conversions column name.
    pub fn conversions(mut self, name: impl Into<String>) -> Self {
        self.conversions = name.into();
        self
    }

    /// Sets the nulls column name.
    pub fn nulls(mut self, name: impl Into<String>) -> Self {
        self.nulls = name.into();
        self
    }

    /// Sets the value column name.
    pub fn value(mut self, name: impl Into<String>) -> Self {
        self.value = name.into();
        self
    }

    /// Sets the channel separator used inside paths.
    pub fn sep(mut self, sep: impl Into<String>) -> Self {
        self.sep = sep.into();
        self
    }

    /// Sets the field delimiter (`b','` by default; `b';'` and `b'\t'` are common).
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Reads the table.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a blank `sep` or a required column missing from the
    /// header; [`Error::InvalidRecord`] for a bad row (empty path or channel, count or value
    /// that is not a finite non-negative number, value on a row without conversions, wrong
    /// number of fields, invalid UTF-8); [`Error::Io`] if reading fails.
    ///
    /// ```
    /// use channelwise::{journey::PathCsv, Error};
    /// let csv = "path,conversions\na>b,1\na>>b,2\n";
    /// match PathCsv::default().read(csv.as_bytes()) {
    ///     Err(Error::InvalidRecord { row, column, .. }) => assert_eq!((row, column.as_str()), (2, "path")),
    ///     other => panic!("{other:?}"),
    /// }
    /// ```
    pub fn read(&self, reader: impl Read) -> Result<PathTable> {
        let mut b = PathTableBuilder::with_separator(&self.sep)?;
        let mut rdr = open(reader, self.delimiter);
        let h = headers(&mut rdr)?;
        let path = require(&h, &self.path, "path")?;
        let conversions = require(&h, &self.conversions, "conversions")?;
        let nulls = find(&h, &self.nulls);
        let value = find(&h, &self.value);
        for_each_record(&mut rdr, &h, |row, rec| {
            let cell = Cell { row, rec };
            let raw_path = cell.get(path);
            let conv = number(row, &self.conversions, cell.get(conversions))?;
            let n = match cell.optional(nulls) {
                Some(raw) => number(row, &self.nulls, raw)?,
                None => 0.0,
            };
            let (raw_value, v) = match cell.optional(value) {
                Some(raw) => (raw, number(row, &self.value, raw)?),
                None => ("", 0.0),
            };
            if conv == 0.0 && v > 0.0 {
                return Err(record(row, &self.value, raw_value, "a row with 0 conversions cannot carry conversion value"));
            }
            b.push(raw_path, conv, n, v).map_err(|e| match e {
                Error::InvalidPath { reason, .. } => record(row, &self.path, raw_path, &reason),
                other => other,
            })
        })?;
        Ok(b.finish())
    }

    /// Reads the table from the file at `path`.
    ///
    /// # Errors
    /// As [`PathCsv::read`]; [`Error::Io`] if the file cannot be opened.
    pub fn read_path(&self, path: impl AsRef<Path>) -> Result<PathTable> {
        self.read(open_file(path.as_ref())?)
    }
}

/// Data records one at a time, with their 1-based row numbers.
#[derive(Debug)]
struct Rows<R> {
    rdr: csv::Reader<R>,
    headers: Vec<String>,
    rec: StringRecord,
    row: usize,
    done: bool,
}

impl<R: Read> Rows<R> {
    fn new(rdr: csv::Reader<R>, headers: Vec<String>) -> Self {
        Rows { rdr, headers, rec: StringRecord::new(), row: 0, done: false }
    }

    /// The next record as a [`Cell`], or the error of reading it; `None` at the end (and after
    /// an error, which ends the rows).
    fn next(&mut self) -> Option<Result<Cell<'_>>> {
        if self.done {
            return None;
        }
        self.row += 1;
        match self.rdr.read_record(&mut self.rec) {
            Ok(true) => Some(Ok(Cell { row: self.row, rec: &self.rec })),
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(csv_error(e, self.row, &self.headers)))
            }
        }
    }

    /// The next record made into a `T` by `f`; an error, reading or making, ends the rows.
    fn next_with<T>(&mut self, f: impl FnOnce(Cell<'_>) -> Result<T>) -> Option<Result<T>> {
        let item = self.next()?.and_then(f);
        self.done |= item.is_err();
        Some(item)
    }
}

/// Touchpoints read one row at a time ([`TouchpointCsv::rows`]); an error ends them.
#[derive(Debug)]
pub struct TouchpointRows<R> {
    rows: Rows<R>,
    spec: TouchpointCsv,
    /// user, timestamp, channel
    cols: [usize; 3],
    /// campaign, cost, event id
    optional: [Option<usize>; 3],
}

impl<R: Read> Iterator for TouchpointRows<R> {
    type Item = Result<Touchpoint>;

    fn next(&mut self) -> Option<Self::Item> {
        let (s, [user, ts, channel], [campaign, cost, event_id]) = (&self.spec, self.cols, self.optional);
        self.rows.next_with(|cell| {
            Ok(Touchpoint {
                user_id: cell.non_empty(user, &s.user_id)?.to_string(),
                timestamp: cell.timestamp(ts, &s.timestamp)?,
                channel: cell.non_empty(channel, &s.channel)?.to_string(),
                campaign: cell.optional(campaign).map(str::to_string),
                cost: match cell.optional(cost) {
                    Some(raw) => Some(number(cell.row, &s.cost, raw)?),
                    None => None,
                },
                event_id: cell.optional(event_id).map(str::to_string),
            })
        })
    }
}

/// Conversions read one row at a time ([`ConversionCsv::rows`]); an error ends them.
#[derive(Debug)]
pub struct ConversionRows<R> {
    rows: Rows<R>,
    spec: ConversionCsv,
    /// user, timestamp
    cols: [usize; 2],
    /// value, event id, kind
    optional: [Option<usize>; 3],
}

impl<R: Read> Iterator for ConversionRows<R> {
    type Item = Result<Conversion>;

    fn next(&mut self) -> Option<Self::Item> {
        let (s, [user, ts], [value, event_id, kind]) = (&self.spec, self.cols, self.optional);
        self.rows.next_with(|cell| {
            Ok(Conversion {
                user_id: cell.non_empty(user, &s.user_id)?.to_string(),
                timestamp: cell.timestamp(ts, &s.timestamp)?,
                value: match cell.optional(value) {
                    Some(raw) => number(cell.row, &s.value, raw)?,
                    None => 0.0,
                },
                event_id: cell.optional(event_id).map(str::to_string),
                kind: cell.optional(kind).map(str::to_string),
            })
        })
    }
}

fn open<R: Read>(reader: R, delimiter: u8) -> csv::Reader<R> {
    // Cells are trimmed as borrowed slices in `Cell::get`: csv's `Trim::All` rebuilds every record
    // and cost a third of the load time on a 1M-row path table.
    ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(false).from_reader(reader)
}

fn open_file(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))
}

fn headers<R: Read>(rdr: &mut csv::Reader<R>) -> Result<Vec<String>> {
    let h = rdr.headers().map_err(|e| csv_error(e, 0, &[]))?;
    Ok(h.iter().map(|s| s.trim_start_matches('\u{feff}').trim().to_string()).collect())
}

fn find(headers: &[String], name: &str) -> Option<usize> {
    headers.iter().position(|h| h == name)
}

fn require(headers: &[String], name: &str, role: &str) -> Result<usize> {
    find(headers, name).ok_or_else(|| {
        Error::param(format!("{role} column"), name, format!("not found in header {headers:?}"))
    })
}

/// Calls `f(row, record)` for every data record, `row` 1-based; stops at the first error.
fn for_each_record<R: Read>(
    rdr: &mut csv::Reader<R>,
    headers: &[String],
    mut f: impl FnMut(usize, &StringRecord) -> Result<()>,
) -> Result<()> {
    let mut rec = StringRecord::new();
    let mut row = 0;
    loop {
        row += 1;
        match rdr.read_record(&mut rec) {
            Ok(true) => f(row, &rec)?,
            Ok(false) => return Ok(()),
            Err(e) => return Err(csv_error(e, row, headers)),
        }
    }
}

fn csv_error(e: csv::Error, row: usize, headers: &[String]) -> Error {
    match e.kind() {
        csv::ErrorKind::Io(io) => Error::Io(io.to_string()),
        csv::ErrorKind::Utf8 { err, .. } => Error::InvalidRecord {
            row,
            column: headers.get(err.field()).cloned().unwrap_or_else(|| format!("#{}", err.field() + 1)),
            value: String::new(),
            reason: "invalid UTF-8".into(),
        },
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Error::InvalidRecord {
            row,
            column: String::new(),
            value: String::new(),
            reason: format!("expected {expected_len} fields, found {len}"),
        },
        _ => Error::Io(e.to_string()),
    }
}

fn record(row: usize, column: &str, value: &str, reason: &str) -> Error {
    Error::InvalidRecord { row, column: column.into(), value: value.into(), reason: reason.into() }
}

/// One data row, for field access with row-precise errors.
struct Cell<'a> {
    row: usize,
    rec: &'a StringRecord,
}

impl<'a> Cell<'a> {
    fn get(&self, i: usize) -> &'a str {
        self.rec.get(i).unwrap_or("").trim()
    }

    fn optional(&self, i: Option<usize>) -> Option<&'a str> {
        i.map(|i| self.get(i)).filter(|s| !s.is_empty())
    }

    fn non_empty(&self, i: usize, column: &str) -> Result<&'a str> {
        let s = self.get(i);
        if s.is_empty() {
            return Err(record(self.row, column, s, "empty"));
        }
        Ok(s)
    }

    fn timestamp(&self, i: usize, column: &str) -> Result<i64> {
        let s = self.get(i);
        parse_ts(s).map_err(|reason| record(self.row, column, s, &reason))
    }
}

/// A finite, non-negative number.
fn number(row: usize, column: &str, raw: &str) -> Result<f64> {
    let x: f64 = raw.parse().map_err(|_| record(row, column, raw, "not a number"))?;
    if !x.is_finite() {
        return Err(record(row, column, raw, "must be finite"));
    }
    if x < 0.0 {
        return Err(record(row, column, raw, "must be non-negative"));
    }
    Ok(x)
}

/// Parses a timestamp into unix seconds (UTC).
///
/// Accepted forms (surrounding whitespace ignored):
/// - integer unix seconds: `1709251200`, `-86400`;
/// - fractional unix seconds, rounded down: `1709251200.75`, `1.7e9`;
/// - RFC 3339: `2024-03-01T12:30:00Z`, `2024-03-01t12:30:00.250-05:00` (fractional seconds are
///   dropped, a leap second `:60` counts as `:59`; offsets `Z`, `+HH:MM` or `+HHMM`);
/// - `YYYY-MM-DD HH:MM:SS` (UTC, or with an offset as above) and `YYYY-MM-DD` (midnight UTC).
///
/// Dates are checked (month 1-12, the day exists in that month, leap years included).
///
/// # Errors
/// [`Error::InvalidParameter`] (field `timestamp`) naming the text and what is wrong.
///
/// ```
/// use channelwise::journey::parse_timestamp;
/// assert_eq!(parse_timestamp("1970-01-02")?, 86_400);
/// assert_eq!(parse_timestamp("2024-02-29 23:59:59")?, 1_709_251_199);
/// assert_eq!(parse_timestamp("2024-03-01T01:00:00+01:00")?, 1_709_251_200);
/// assert_eq!(parse_timestamp("1709251200.9")?, 1_709_251_200);
/// assert!(parse_timestamp("2023-02-29").is_err());
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn parse_timestamp(text: &str) -> Result<i64> {
    parse_ts(text).map_err(|reason| Error::param("timestamp", format!("{text:?}"), reason))
}

fn parse_ts(s: &str) -> std::result::Result<i64, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty timestamp".into());
    }
    if let Ok(v) = s.parse::<i64>() {
        return Ok(v);
    }
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        return parse_datetime(b);
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => {
            // i64 holds [-2^63, 2^63); both bounds are exact in f64.
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            let x = x.floor();
            if (-LIMIT..LIMIT).contains(&x) {
                Ok(x as i64)
            } else {
                Err("unix seconds out of range".into())
            }
        }
        Ok(_) => Err("unix seconds must be finite".into()),
        Err(_) => Err("expected unix seconds, RFC 3339, \"YYYY-MM-DD HH:MM:SS\" or \"YYYY-MM-DD\"".into()),
    }
}

/// Digits `b[r]` as a number, if they are all ASCII digits (and `r` is inside `b`).
fn digits(b: &[u8], r: std::ops::Range<usize>) -> Option<i64> {
    let d = b.get(r)?;
    if d.is_empty() {
        return None;
    }
    d.iter().try_fold(0i64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of the proleptic Gregorian date `y-m-d` (Howard Hinnant's
/// `days_from_civil`), for `m` in 1..=12 and `d` in 1..=31.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

fn parse_datetime(b: &[u8]) -> std::result::Result<i64, String> {
    let bad_date = || "expected a date YYYY-MM-DD".to_string();
    let y = digits(b, 0..4).ok_or_else(bad_date)?;
    let m = digits(b, 5..7).ok_or_else(bad_date)?;
    let d = digits(b, 8..10).ok_or_else(bad_date)?;
    if !(1..=12).contains(&m) {
        return Err(format!("month {m} is not in 1..=12"));
    }
    if d < 1 || d > days_in_month(y, m) {
        return Err(format!("day {d} does not exist in {y:04}-{m:02}"));
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    let rest = &b[10..];
    if rest.is_empty() {
        return Ok(secs);
    }
    if !matches!(rest[0], b'T' | b't' | b' ') {
        return Err("expected 'T' or ' ' between date and time".into());
    }
    let t = &rest[1..];
    let bad_time = || "expected a time HH:MM:SS".to_string();
    if t.get(2) != Some(&b':') || t.get(5) != Some(&b':') {
        return Err(bad_time());
    }
    let hh = digits(t, 0..2).ok_or_else(bad_time)?;
    let mm = digits(t, 3..5).ok_or_else(bad_time)?;
    let ss = digits(t, 6..8).ok_or_else(bad_time)?;
    if hh > 23 || mm > 59 || ss > 60 {
        return Err(format!("time {hh:02}:{mm:02}:{ss:02} is out of range"));
    }
    secs += hh * 3600 + mm * 60 + ss.min(59);
    let mut p = 8;
    if matches!(t.get(p), Some(b'.' | b',')) {
        let n = t[p + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return Err("expected digits after the decimal point".into());
        }
        p += 1 + n;
    }
    let off = &t[p..];
    match off {
        [] | [b'Z' | b'z'] => Ok(secs),
        [sign @ (b'+' | b'-'), ..] => {
            let (oh, om) = match off.len() {
                6 if off[3] == b':' => (digits(off, 1..3), digits(off, 4..6)),
                5 => (digits(off, 1..3), digits(off, 3..5)),
                _ => (None, None),
            };
            match (oh, om) {
                (Some(oh), Some(om)) if oh <= 23 && om <= 59 => {
                    let o = oh * 3600 + om * 60;
                    Ok(if *sign == b'+' { secs - o } else { secs + o })
                }
                _ => Err("expected a UTC offset Z, +HH:MM or +HHMM".into()),
            }
        }
        _ => Err("unexpected text after the time".into()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests a panic is the failure report
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn ts(s: &str) -> i64 {
        parse_ts(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn timestamp_forms() {
        // Reference values from `date -u -d '<text>' +%s` (GNU coreutils).
        assert_eq!(ts("0"), 0);
        assert_eq!(ts(" 1700000000 "), 1_700_000_000);
        assert_eq!(ts("-1"), -1);
        assert_eq!(ts("1700000000.999"), 1_700_000_000);
        assert_eq!(ts("-0.5"), -1);
        assert_eq!(ts("1.7e9"), 1_700_000_000);
        assert_eq!(ts("1970-01-01"), 0);
        assert_eq!(ts("2000-03-01"), 951_868_800);
        assert_eq!(ts("2024-02-29"), 1_709_164_800);
        assert_eq!(ts("1969-12-31 23:59:59"), -1);
        assert_eq!(ts("1900-03-01 00:00:00"), -2_203_891_200);
        assert_eq!(ts("2023-11-14T22:13:20Z"), 1_700_000_000);
        assert_eq!(ts("2023-11-14t22:13:20.123z"), 1_700_000_000);
        assert_eq!(ts("2023-11-14T23:13:20+01:00"), 1_700_000_000);
        assert_eq!(ts("2023-11-14T17:13:20-0500"), 1_700_000_000);
        assert_eq!(ts("2023-11-14 22:13:20,5"), 1_700_000_000);
        assert_eq!(ts("2016-12-31T23:59:60Z"), 1_483_228_799);
        assert_eq!(ts("9999-12-31T23:59:59Z"), 253_402_300_799);
        assert_eq!(ts("0000-01-01"), -62_167_219_200);
    }

    #[test]
    fn timestamp_rejections() {
        for bad in [
            "", "  ", "abc", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-01T",
            "2024-01-01T24:00:00", "2024-01-01T10:60:00", "2024-01-01T10:00", "2024-01-01X10:00:00",
            "2024-01-01T10:00:00+25:00", "2024-01-01T10:00:00+01", "2024-01-01T10:00:00.", "2024-01-01T10:00:00 Z",
            "NaN", "inf", "1e300", "2024-1-01", "２０２４-01-01", "2024-01-01T10:00:00ZZ",
        ] {
            assert!(parse_ts(bad).is_err(), "{bad:?} accepted");
        }
        let e = parse_timestamp("2023-02-29").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        assert!(e.to_string().contains("day 29 does not exist in 2023-02"), "{e}");
    }

    /// Days since the epoch by counting whole years and months: an independent check.
    fn brute_days(y: i64, m: i64, d: i64) -> i64 {
        let mut days = 0;
        if y >= 1970 {
            days += (1970..y).map(|yy| if is_leap(yy) { 366 } else { 365 }).sum::<i64>();
        } else {
            days -= (y..1970).map(|yy| if is_leap(yy) { 366 } else { 365 }).sum::<i64>();
        }
        days + (1..m).map(|mm| days_in_month(y, mm)).sum::<i64>() + d - 1
    }

    #[test]
    fn days_from_civil_matches_counting() {
        for y in (0..=9999).step_by(7).chain([1600, 1700, 1900, 2000, 2100, 2400]) {
            for m in 1..=12 {
                for d in [1, days_in_month(y, m)] {
                    assert_eq!(days_from_civil(y, m, d), brute_days(y, m, d), "{y}-{m}-{d}");
                }
            }
        }
    }

    #[test]
    fn touchpoints_with_all_columns_in_any_order() {
        let csv = "\u{feff}event_id,channel,user_id,extra,timestamp,campaign,cost\n\
                   e1, search ,u1,x,2024-03-01,brand,1.5\n\
                   ,email,u2,y,10,,\n";
        let t = TouchpointCsv::default().read(csv.as_bytes()).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0], Touchpoint::new("u1", 1_709_251_200, "search").campaign("brand").cost(1.5).event_id("e1"));
        assert_eq!(t[1], Touchpoint::new("u2", 10, "email"));
    }

    #[test]
    fn touchpoint_errors_name_row_column_value() {
        let check = |csv: &str, row: usize, column: &str, value: &str| match TouchpointCsv::default().read(csv.as_bytes())
        {
            Err(Error::InvalidRecord { row: r, column: c, value: v, .. }) => {
                assert_eq!((r, c.as_str(), v.as_str()), (row, column, value), "{csv}")
            }
            other => panic!("{csv}: {other:?}"),
        };
        let h = "user_id,timestamp,channel,cost\n";
        check(&format!("{h}u,1,a,\nu,2,b,-1\n"), 2, "cost", "-1");
        check(&format!("{h}u,1,a,inf\n"), 1, "cost", "inf");
        check(&format!("{h}u,1,a,abc\n"), 1, "cost", "abc");
        check(&format!("{h}u,1,,1\n"), 1, "channel", "");
        check(&format!("{h},1,a,1\n"), 1, "user_id", "");
        check(&format!("{h}u,1,a,1\nu,1,a,1\nu,2024-02-30,a,1\n"), 3, "timestamp", "2024-02-30");
        check(&format!("{h}u,1,a\n"), 1, "", "");
        let e = TouchpointCsv::default().channel("medium").read(h.as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        assert!(e.to_string().contains("\"medium\""), "{e}");
        let bytes = b"user_id,timestamp,channel\nu,1,\xff\n";
        match TouchpointCsv::default().read(&bytes[..]) {
            Err(Error::InvalidRecord { row: 1, column, .. }) => assert_eq!(column, "channel"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn conversions_read_and_custom_names() {
        let csv = "uid,when,revenue,id,event\nu1,5,10.5,o1,purchase\nu1,6,,,\n";
        let c = ConversionCsv::default()
            .user_id("uid")
            .timestamp("when")
            .value("revenue")
            .event_id("id")
            .kind("event")
            .read(csv.as_bytes())
            .unwrap();
        assert_eq!(c[0], Conversion::new("u1", 5, 10.5).event_id("o1").kind("purchase"));
        assert_eq!(c[1], Conversion::new("u1", 6, 0.0));
        let c = ConversionCsv::default().read("user_id,timestamp\nu,1\n".as_bytes()).unwrap();
        assert_eq!(c, [Conversion::new("u", 1, 0.0)]);
        let e = ConversionCsv::default().read("user_id,timestamp,value\nu,1,-3\n".as_bytes()).unwrap_err();
        assert_eq!(e.to_string(), "invalid record at row 1, column value: \"-3\" (must be non-negative)");
    }

    #[test]
    fn path_csv_reads_and_reports_rows() {
        let csv = "route;conv;lost;rev\n\"a | b\";2;1;20\nb;0;3;\n";
        let t = PathCsv::default()
            .path("route")
            .conversions("conv")
            .nulls("lost")
            .value("rev")
            .sep("|")
            .delimiter(b';')
            .read(csv.as_bytes())
            .unwrap();
        assert_eq!(t.channels(), ["a", "b"]);
        assert_eq!(t.path(0), [0, 1]);
        assert_eq!((t.conversions(), t.nulls(), t.values()), (&[2.0, 0.0][..], &[1.0, 3.0][..], &[20.0, 0.0][..]));

        let check = |csv: &str, row: usize, column: &str| match PathCsv::default().read(csv.as_bytes()) {
            Err(Error::InvalidRecord { row: r, column: c, .. }) => assert_eq!((r, c.as_str()), (row, column), "{csv}"),
            other => panic!("{csv}: {other:?}"),
        };
        check("path,conversions,nulls,value\na,1,0,1\n,1,0,0\n", 2, "path");
        check("path,conversions,nulls,value\na>,1,0,1\n", 1, "path");
        check("path,conversions,nulls,value\na,x,0,1\n", 1, "conversions");
        check("path,conversions,nulls,value\na,1,NaN,1\n", 1, "nulls");
        check("path,conversions,nulls,value\na,0,1,5\n", 1, "value");
        let e = PathCsv::default().sep(" ").read("path,conversions\na,1\n".as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        let e = PathCsv::default().read("path\na\n".as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        let t = PathCsv::default().read("path,conversions\n".as_bytes()).unwrap();
        assert!(t.is_empty());
    }

    #[test]
    fn from_path_reads_files_and_reports_io() {
        let dir = std::env::temp_dir().join(format!("channelwise-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("paths.csv");
        std::fs::write(&p, "path,conversions\na>b,1\n").unwrap();
        assert_eq!(PathCsv::default().read_path(&p).unwrap().len(), 1);
        let p = dir.join("touches.csv");
        std::fs::write(&p, "user_id,timestamp,channel\nu,1,a\n").unwrap();
        assert_eq!(TouchpointCsv::default().read_path(&p).unwrap().len(), 1);
        let p = dir.join("conversions.csv");
        std::fs::write(&p, "user_id,timestamp\nu,1\n").unwrap();
        assert_eq!(ConversionCsv::default().read_path(&p).unwrap().len(), 1);
        let e = ConversionCsv::default().read_path(dir.join("missing.csv")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert!(e.to_string().contains("missing.csv"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn timestamp_parser_never_panics(s in "\\PC{0,40}") {
                let _ = parse_timestamp(&s);
            }

            #[test]
            fn timestamp_like_strings_never_panic(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9:]{0,9}[.,]?[0-9]{0,3}([Zz]|[+-][0-9:]{0,6})?)?") {
                let _ = parse_timestamp(&s);
            }

            #[test]
            fn valid_datetimes_round_trip(days in -719_528i64..2_932_896, secs in 0i64..86_400) {
                // Format with the inverse (civil_from_days) and parse back.
                let (y, m, d) = civil_from_days(days);
                let text = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60);
                prop_assert_eq!(parse_timestamp(&text).ok(), Some(days * 86_400 + secs));
            }

            #[test]
            fn readers_never_panic(body in "[a-z0-9,;\"\\n\\r >.:\\-T+eE]{0,200}", bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
                for input in [body.as_bytes(), &bytes[..]] {
                    let _ = TouchpointCsv::default().read(input);
                    let _ = ConversionCsv::default().read(input);
                    let _ = PathCsv::default().read(input);
                    let mut with_header = b"user_id,timestamp,channel,campaign,cost,event_id,value,type,path,conversions,nulls\n".to_vec();
                    with_header.extend_from_slice(input);
                    let _ = TouchpointCsv::default().read(&with_header[..]);
                    let _ = ConversionCsv::default().read(&with_header[..]);
                    let _ = PathCsv::default().read(&with_header[..]);
                }
            }
        }

        /// Hinnant's `civil_from_days`, the inverse of `days_from_civil` (test only).
        fn civil_from_days(z: i64) -> (i64, i64, i64) {
            let z = z + 719_468;
            let era = z.div_euclid(146_097);
            let doe = z - era * 146_097;
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            let y = yoe + era * 400;
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            let mp = (5 * doy + 2) / 153;
            let d = doy - (153 * mp + 2) / 5 + 1;
            let m = if mp < 10 { mp + 3 } else { mp - 9 };
            (if m <= 2 { y + 1 } else { y }, m, d)
        }
    }
}
