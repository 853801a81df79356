//! Path tables and event columns: the large inputs, read with as few copies as each engine
//! allows.
//!
//! A path table `{ path: string[], conversions, nulls?, value? }` is read by one of two routes,
//! with the same errors in the same order (a non-string path element wins over a bad count
//! column, which wins over a length mismatch, which wins over an invalid path):
//! - **joined** (the browser): the JS side hands over `path.join("\n")` as UTF-8 bytes, one
//!   copy across the boundary; used only if it splits into exactly `path.length` rows;
//! - **chunked**: each string is appended to a packed buffer; with the `threads` feature (Node)
//!   the chunks already read are parsed on a worker thread while the JS thread reads on, so
//!   reading and parsing overlap instead of adding up.

use channelwise::journey::{Conversion, PathTable, PathTableBuilder, Touchpoint};
use channelwise::Result;

use crate::host::{Host, Kind};
use crate::read::{self, check_len, element, get, numbers, object, require, wrong};

/// Rows per chunk of packed path strings.
const CHUNK: usize = 1 << 14;

/// A chunk of a `string[]` column packed into one buffer: one allocation for all the text.
struct Packed {
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl Packed {
    fn with_capacity(rows: usize) -> Self {
        Packed {
            text: Vec::with_capacity(rows * 64),
            ends: Vec::with_capacity(rows),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(a, b)| &self.text[a..b])
    }

    /// Appends `path[i]`, which must be a string.
    fn push<H: Host>(&mut self, h: H, arr: &H::V, i: u32) -> Result<()> {
        let el = element(h, arr, i, "path")?;
        match h.append_utf8(&el, &mut self.text) {
            Ok(true) => {
                self.ends.push(self.text.len());
                Ok(())
            }
            Ok(false) => Err(wrong(h, &format!("path[{i}]"), &el, "a string")),
            Err(e) => Err(read::unreadable(&format!("path[{i}]"), e)),
        }
    }
}

type Counts = (Vec<f64>, Option<Vec<f64>>, Option<Vec<f64>>);

/// A path table from columns `{ path, conversions, nulls?, value? }`, paths split on `sep`.
pub fn path_table<H: Host>(h: H, v: &H::V, sep: &str) -> Result<PathTable> {
    let joined = h.joined_paths();
    object(h, v, "table")?;
    let arr = require(h, v, "path", "path")?;
    let n = read::array_len(h, &arr, "path", "an array of strings")?;
    let type_errors = || -> Result<()> {
        for i in 0..n {
            let el = element(h, &arr, i, "path")?;
            if h.kind(&el) != Kind::String {
                return Err(wrong(h, &format!("path[{i}]"), &el, "a string"));
            }
        }
        Ok(())
    };
    let counts = (|| -> Result<Counts> {
        let conversions = numbers(
            h,
            &require(h, v, "conversions", "conversions")?,
            "conversions",
        )?;
        let nulls = get(h, v, "nulls", "nulls")?
            .map(|x| numbers(h, &x, "nulls"))
            .transpose()?;
        let value = get(h, v, "value", "value")?
            .map(|x| numbers(h, &x, "value"))
            .transpose()?;
        Ok((conversions, nulls, value))
    })();
    let counts = match counts {
        Ok(c) => c,
        Err(e) => return type_errors().and(Err(e)),
    };
    let rows = n as usize;
    let lengths = (|| -> Result<()> {
        check_len("conversions", counts.0.len(), rows)?;
        if let Some(x) = &counts.1 {
            check_len("nulls", x.len(), rows)?;
        }
        if let Some(x) = &counts.2 {
            check_len("value", x.len(), rows)?;
        }
        Ok(())
    })();
    if let Err(e) = lengths {
        return type_errors().and(Err(e));
    }
    if let Some(joined) = joined {
        if let Some(table) = joined_table(&joined, rows, sep, &counts)? {
            return Ok(table);
        }
    }
    chunked(h, &arr, n, sep, &counts)
}

/// Pushes one chunk's rows into `b`, starting at table row `row`.
fn push_chunk(
    b: &mut PathTableBuilder,
    chunk: &Packed,
    row: &mut usize,
    counts: &Counts,
) -> Result<()> {
    let (conversions, nulls, value) = counts;
    for p in chunk.iter() {
        let null = nulls.as_ref().map_or(0.0, |x| x[*row]);
        let v = value.as_ref().map_or(0.0, |x| x[*row]);
        b.push_utf8(p, conversions[*row], null, v)?;
        *row += 1;
    }
    Ok(())
}

/// Reads the rest of `path` after the parse stopped, for the type error that wins over it.
fn rest_types<H: Host>(h: H, arr: &H::V, from: u32, n: u32) -> Result<()> {
    for i in from..n {
        let el = element(h, arr, i, "path")?;
        if h.kind(&el) != Kind::String {
            return Err(wrong(h, &format!("path[{i}]"), &el, "a string"));
        }
    }
    Ok(())
}

#[cfg(not(feature = "threads"))]
fn chunked<H: Host>(h: H, arr: &H::V, n: u32, sep: &str, counts: &Counts) -> Result<PathTable> {
    let mut b = PathTableBuilder::with_separator(sep)?;
    b.reserve(n as usize);
    let mut chunk = Packed::with_capacity(CHUNK.min(n as usize));
    let mut row = 0;
    let mut i = 0;
    while i < n {
        chunk.push(h, arr, i)?;
        i += 1;
        if chunk.ends.len() == CHUNK || i == n {
            if let Err(e) = push_chunk(&mut b, &chunk, &mut row, counts) {
                return rest_types(h, arr, i, n).and(Err(e));
            }
            chunk.text.clear();
            chunk.ends.clear();
        }
    }
    Ok(b.finish())
}

#[cfg(feature = "threads")]
fn chunked<H: Host>(h: H, arr: &H::V, n: u32, sep: &str, counts: &Counts) -> Result<PathTable> {
    let mut b = PathTableBuilder::with_separator(sep)?;
    b.reserve(n as usize);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Packed>(4);
    // Parsed chunks go back to the reader to be filled again: a handful of buffers in all.
    let (recycle, reuse) = std::sync::mpsc::channel::<Packed>();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || -> Result<PathTable> {
            let mut row = 0;
            for mut chunk in rx {
                push_chunk(&mut b, &chunk, &mut row, counts)?;
                chunk.text.clear();
                chunk.ends.clear();
                // The reader may be done already; then the buffer is simply dropped.
                let _ = recycle.send(chunk);
            }
            Ok(b.finish())
        });
        // Read on this thread; once the worker has stopped (an invalid path), only check types.
        let mut tx = Some(tx);
        let mut read = Ok(());
        let mut chunk = Packed::with_capacity(CHUNK.min(n as usize));
        for i in 0..n {
            if tx.is_none() {
                read = rest_types(h, arr, i, n);
                break;
            }
            if let Err(e) = chunk.push(h, arr, i) {
                read = Err(e);
                break;
            }
            if chunk.ends.len() == CHUNK {
                let empty = reuse
                    .try_recv()
                    .unwrap_or_else(|_| Packed::with_capacity(CHUNK));
                let full = std::mem::replace(&mut chunk, empty);
                if tx.as_ref().is_some_and(|t| t.send(full).is_err()) {
                    tx = None;
                }
            }
        }
        if let Some(t) = tx.take() {
            if read.is_ok() && !chunk.ends.is_empty() {
                // A failed send means the worker stopped; its error is reported below.
                let _ = t.send(chunk);
            }
        }
        let built = worker.join().unwrap_or_else(|_| {
            Err(channelwise::Error::Internal(
                "path table worker panicked".into(),
            ))
        });
        read.and(built)
    })
}

/// The table of `joined`'s rows, if it splits on `"\n"` into exactly `n` rows; `None` (read the
/// strings one by one) if a path holds a newline. An error stands only once the rows are known
/// to line up with `path`, so its row number is the caller's.
fn joined_table(joined: &[u8], n: usize, sep: &str, counts: &Counts) -> Result<Option<PathTable>> {
    if n == 0 && !joined.is_empty() {
        return Ok(None);
    }
    let (conversions, nulls, values) = counts;
    let mut rows = 0;
    let built = (|| -> Result<PathTable> {
        let mut b = PathTableBuilder::with_separator(sep)?;
        b.reserve(n);
        for row in joined
            .split(|&b| b == b'\n')
            .take(if n == 0 { 0 } else { usize::MAX })
        {
            if rows == n {
                rows += 1; // more rows than paths: a path holds a newline
                break;
            }
            let null = nulls.as_ref().map_or(0.0, |x| x[rows]);
            let value = values.as_ref().map_or(0.0, |x| x[rows]);
            b.push_utf8(row, conversions[rows], null, value)?;
            rows += 1;
        }
        Ok(b.finish())
    })();
    let newlines = joined.iter().filter(|&&b| b == b'\n').count();
    match built {
        Ok(_) if rows != n => Ok(None),
        Ok(table) => Ok(Some(table)),
        Err(e) => (n > 0 && newlines == n - 1).then_some(Err(e)).transpose(),
    }
}

/// Optional column `key` of `obj` (field `prefix.key`), of length `n`.
fn optional_column<H: Host, T>(
    h: H,
    obj: &H::V,
    key: &str,
    prefix: &str,
    n: usize,
    read: impl FnOnce(H, &H::V, &str) -> Result<Vec<Option<T>>>,
) -> Result<Vec<Option<T>>> {
    let field = format!("{prefix}.{key}");
    match get(h, obj, key, &field)? {
        None => Ok((0..n).map(|_| None).collect()),
        Some(v) => {
            let col = read(h, &v, &field)?;
            check_len(&field, col.len(), n)?;
            Ok(col)
        }
    }
}

/// The required columns `userId` and `timestamp` of an event table at `prefix`.
fn users_and_times<H: Host>(h: H, obj: &H::V, prefix: &str) -> Result<(Vec<String>, Vec<i64>)> {
    let field = |k: &str| format!("{prefix}.{k}");
    let users = read::strings(
        h,
        &require(h, obj, "userId", &field("userId"))?,
        &field("userId"),
    )?;
    let ts = read::timestamps(
        h,
        &require(h, obj, "timestamp", &field("timestamp"))?,
        &field("timestamp"),
    )?;
    check_len(&field("timestamp"), ts.len(), users.len())?;
    Ok((users, ts))
}

/// Touchpoints from columns `{ userId, timestamp, channel, campaign?, cost?, eventId? }`.
pub fn touchpoints<H: Host>(h: H, v: &H::V) -> Result<Vec<Touchpoint>> {
    let p = "touchpoints";
    object(h, v, p)?;
    let (users, ts) = users_and_times(h, v, p)?;
    let n = users.len();
    let channels = read::strings(
        h,
        &require(h, v, "channel", "touchpoints.channel")?,
        "touchpoints.channel",
    )?;
    check_len("touchpoints.channel", channels.len(), n)?;
    let campaigns = optional_column(h, v, "campaign", p, n, read::optional_strings)?;
    let costs = optional_column(h, v, "cost", p, n, read::optional_numbers)?;
    let ids = optional_column(h, v, "eventId", p, n, read::optional_strings)?;
    Ok(users
        .into_iter()
        .zip(ts)
        .zip(channels)
        .zip(campaigns)
        .zip(costs)
        .zip(ids)
        .map(
            |(((((user_id, timestamp), channel), campaign), cost), event_id)| Touchpoint {
                user_id,
                timestamp,
                channel,
                campaign,
                cost,
                event_id,
            },
        )
        .collect())
}

/// Conversions from columns `{ userId, timestamp, value?, eventId?, type? }` (`value` 0 when
/// not given).
pub fn conversions<H: Host>(h: H, v: &H::V) -> Result<Vec<Conversion>> {
    let p = "conversions";
    object(h, v, p)?;
    let (users, ts) = users_and_times(h, v, p)?;
    let n = users.len();
    let values = match get(h, v, "value", "conversions.value")? {
        None => vec![0.0; n],
        Some(x) => numbers(h, &x, "conversions.value")?,
    };
    check_len("conversions.value", values.len(), n)?;
    let ids = optional_column(h, v, "eventId", p, n, read::optional_strings)?;
    let kinds = optional_column(h, v, "type", p, n, read::optional_strings)?;
    Ok(users
        .into_iter()
        .zip(ts)
        .zip(values)
        .zip(ids)
        .zip(kinds)
        .map(
            |((((user_id, timestamp), value), event_id), kind)| Conversion {
                user_id,
                timestamp,
                value,
                event_id,
                kind,
            },
        )
        .collect())
}
