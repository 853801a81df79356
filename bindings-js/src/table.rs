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

#[cfg(feature = "threads")]
use channelwise::journey::build_pipelined;
use channelwise::journey::{
    ConversionColumns, JourneyBuilder, Journeys, PackedRows, PathTable, PathTableBuilder,
    TouchColumns,
};
use channelwise::Result;

use crate::host::{Host, Kind};
use crate::read::{self, check_len, element, get, numbers, require, texts, wrong, Texts};

/// Rows per chunk of packed path strings.
const CHUNK: usize = 1 << 14;

type Counts = (Vec<f64>, Option<Vec<f64>>, Option<Vec<f64>>);

/// The columns a path table may have: `report` is `journey.pathTable`'s summary, passed along
/// with its table and not read.
const PATH_TABLE_COLUMNS: &[&str] = &["path", "conversions", "nulls", "value", "keyTouch", "report"];

/// The columns of a path table's row, when the table is given as rows (`report` is the whole
/// table's).
pub const PATH_ROW_COLUMNS: &[&str] = &["path", "conversions", "nulls", "value", "keyTouch"];

/// The columns a touchpoint table may have.
pub const TOUCH_COLUMNS: &[&str] = &["userId", "timestamp", "channel", "campaign", "cost", "eventId"];

/// The columns a conversion table may have.
pub const CONVERSION_COLUMNS: &[&str] = &["userId", "timestamp", "value", "eventId", "type"];

/// A path table from columns `{ path, conversions, nulls?, value?, keyTouch? }`, paths split on
/// `sep`; `keyTouch` (as `journey.pathTable` gives it) is each row's W-shaped key touch.
pub fn path_table<H: Host>(h: H, v: &H::V, sep: &str) -> Result<PathTable> {
    path_table_joined(h, v, sep, "path")
}

/// [`path_table`], its paths handed over joined as `joined` ([`crate::host::stash_joined`]):
/// `path`, or `tables[1].path` for the second table of `journey.merge`.
pub fn path_table_joined<H: Host>(h: H, v: &H::V, sep: &str, joined: &str) -> Result<PathTable> {
    let table = paths_and_counts(h, v, sep, joined)?;
    let Some(keys) = get(h, v, "keyTouch", "keyTouch")? else {
        return Ok(table);
    };
    table.with_key_touches(&read::optional_numbers(h, &keys, "keyTouch")?, "keyTouch")
}

/// The path table of `path` and the count columns.
fn paths_and_counts<H: Host>(h: H, v: &H::V, sep: &str, joined: &str) -> Result<PathTable> {
    let joined = crate::host::take_joined(joined);
    read::columns(h, v, "table", PATH_TABLE_COLUMNS)?;
    let arr = require(h, v, "path", "path")?;
    let n = read::array_len(h, &arr, "path", "an array of strings")? as usize;
    let type_errors = || rest_types(h, &arr, 0, n);
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
    let lengths = (|| -> Result<()> {
        check_len("conversions", counts.0.len(), n)?;
        if let Some(x) = &counts.1 {
            check_len("nulls", x.len(), n)?;
        }
        if let Some(x) = &counts.2 {
            check_len("value", x.len(), n)?;
        }
        Ok(())
    })();
    if let Err(e) = lengths {
        return type_errors().and(Err(e));
    }
    if let Some(joined) = joined {
        if let Some(table) = joined_table(&joined, n, sep, &counts)? {
            return Ok(table);
        }
    }
    chunked(h, &arr, n, sep, &counts)
}

/// Adds row `row` of the table (its path bytes `p`) with its counts.
fn push_row(b: &mut PathTableBuilder, counts: &Counts, row: usize, p: &[u8]) -> Result<()> {
    let (conversions, nulls, value) = counts;
    let null = nulls.as_ref().map_or(0.0, |x| x[row]);
    let v = value.as_ref().map_or(0.0, |x| x[row]);
    b.push_utf8(p, conversions[row], null, v)
}

/// Reads `path[i]`, which must be a string, appending its UTF-8 to `out` (or only checking it).
fn read_row<H: Host>(h: H, arr: &H::V, i: usize, out: Option<&mut PackedRows>) -> Result<()> {
    let el = element(h, arr, i as u32, "path")?;
    let Some(out) = out else {
        return match h.kind(&el) {
            Kind::String => Ok(()),
            _ => Err(wrong(h, &format!("path[{i}]"), &el, "a string")),
        };
    };
    match h.append_utf8(&el, out.text_mut()) {
        Ok(true) => {
            out.end_row();
            Ok(())
        }
        Ok(false) => Err(wrong(h, &format!("path[{i}]"), &el, "a string")),
        Err(e) => Err(read::unreadable(&format!("path[{i}]"), e)),
    }
}

/// Checks that `path[from..n]` are strings: the type error wins over any count, length or parse
/// error found first.
fn rest_types<H: Host>(h: H, arr: &H::V, from: usize, n: usize) -> Result<()> {
    (from..n).try_for_each(|i| read_row(h, arr, i, None))
}

#[cfg(not(feature = "threads"))]
fn chunked<H: Host>(h: H, arr: &H::V, n: usize, sep: &str, counts: &Counts) -> Result<PathTable> {
    let mut b = PathTableBuilder::with_separator(sep)?;
    b.reserve(n);
    let mut chunk = PackedRows::with_capacity(CHUNK.min(n));
    let mut row = 0;
    for i in 0..n {
        read_row(h, arr, i, Some(&mut chunk))?;
        if chunk.len() == CHUNK || i + 1 == n {
            for p in chunk.iter() {
                if let Err(e) = push_row(&mut b, counts, row, p) {
                    return rest_types(h, arr, i + 1, n).and(Err(e));
                }
                row += 1;
            }
            chunk.clear();
        }
    }
    Ok(b.finish())
}

#[cfg(feature = "threads")]
fn chunked<H: Host>(h: H, arr: &H::V, n: usize, sep: &str, counts: &Counts) -> Result<PathTable> {
    let mut b = PathTableBuilder::with_separator(sep)?;
    b.reserve(n);
    build_pipelined(
        b,
        n,
        CHUNK,
        |i, out| read_row(h, arr, i, out),
        |b, row, p| push_row(b, counts, row, p),
        |join| join(),
    )?
}

/// The table of `joined`'s rows, if it splits on `"\n"` into exactly `n` rows; `None` (read the
/// strings one by one) if a path holds a newline. An error stands only once the rows are known
/// to line up with `path`, so its row number is the caller's.
fn joined_table(joined: &[u8], n: usize, sep: &str, counts: &Counts) -> Result<Option<PathTable>> {
    if n == 0 && !joined.is_empty() {
        return Ok(None);
    }
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
            push_row(&mut b, counts, rows, row)?;
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
    read: impl FnOnce(H, &H::V, &str) -> Result<T>,
    len: impl FnOnce(&T) -> usize,
) -> Result<Option<T>> {
    let field = format!("{prefix}.{key}");
    let Some(v) = get(h, obj, key, &field)? else {
        return Ok(None);
    };
    let col = read(h, &v, &field)?;
    check_len(&field, len(&col), n)?;
    Ok(Some(col))
}

/// An optional string column (`campaign`, `eventId`, `type`).
fn optional_texts<H: Host>(
    h: H,
    obj: &H::V,
    key: &str,
    prefix: &str,
    n: usize,
) -> Result<Option<Texts>> {
    optional_column(
        h,
        obj,
        key,
        prefix,
        n,
        |h, v, f| texts(h, v, f, true),
        Texts::len,
    )
}

/// The required columns `userId` and `timestamp` of an event table at `prefix`.
fn users_and_times<H: Host>(h: H, obj: &H::V, prefix: &str) -> Result<(Texts, Vec<i64>)> {
    let field = |k: &str| format!("{prefix}.{k}");
    let users = texts(
        h,
        &require(h, obj, "userId", &field("userId"))?,
        &field("userId"),
        false,
    )?;
    let ts = read::timestamps(
        h,
        &require(h, obj, "timestamp", &field("timestamp"))?,
        &field("timestamp"),
    )?;
    check_len(&field("timestamp"), ts.len(), users.len())?;
    Ok((users, ts))
}

/// Touchpoints as read from JS columns `{ userId, timestamp, channel, campaign?, cost?,
/// eventId? }`: strings packed ([`Texts`]), lengths checked; [`build`] borrows them.
pub struct TouchData {
    users: Texts,
    ts: Vec<i64>,
    channels: Texts,
    campaigns: Option<Texts>,
    costs: Option<Vec<Option<f64>>>,
    ids: Option<Texts>,
}

/// Conversions as read from JS columns `{ userId, timestamp, value?, eventId?, type? }`
/// (`value` 0 when not given).
pub struct ConversionData {
    users: Texts,
    ts: Vec<i64>,
    values: Vec<f64>,
    ids: Option<Texts>,
    kinds: Option<Texts>,
}

/// Reads the touchpoint columns.
pub fn touchpoints<H: Host>(h: H, v: &H::V) -> Result<TouchData> {
    let p = "touchpoints";
    read::columns(h, v, p, TOUCH_COLUMNS)?;
    let (users, ts) = users_and_times(h, v, p)?;
    let n = users.len();
    let channels = texts(
        h,
        &require(h, v, "channel", "touchpoints.channel")?,
        "touchpoints.channel",
        false,
    )?;
    check_len("touchpoints.channel", channels.len(), n)?;
    Ok(TouchData {
        campaigns: optional_texts(h, v, "campaign", p, n)?,
        costs: optional_column(h, v, "cost", p, n, read::optional_numbers, Vec::len)?,
        ids: optional_texts(h, v, "eventId", p, n)?,
        users,
        ts,
        channels,
    })
}

/// Reads the conversion columns.
pub fn conversions<H: Host>(h: H, v: &H::V) -> Result<ConversionData> {
    let p = "conversions";
    read::columns(h, v, p, CONVERSION_COLUMNS)?;
    let (users, ts) = users_and_times(h, v, p)?;
    let n = users.len();
    let values = match get(h, v, "value", "conversions.value")? {
        None => vec![0.0; n],
        Some(x) => numbers(h, &x, "conversions.value")?,
    };
    check_len("conversions.value", values.len(), n)?;
    Ok(ConversionData {
        ids: optional_texts(h, v, "eventId", p, n)?,
        kinds: optional_texts(h, v, "type", p, n)?,
        users,
        ts,
        values,
    })
}

/// The journeys of the events read, built by `spec` straight from the packed columns.
pub fn build(spec: &JourneyBuilder, t: &TouchData, c: &ConversionData) -> Result<Journeys> {
    let (t_users, t_channels) = (t.users.strs(), t.channels.strs());
    let t_campaigns = t.campaigns.as_ref().map(Texts::optional);
    let t_ids = t.ids.as_ref().map(Texts::optional);
    let touches = TouchColumns {
        campaign: t_campaigns.as_deref(),
        cost: t.costs.as_deref(),
        event_id: t_ids.as_deref(),
        ..TouchColumns::new(&t_users, &t.ts, &t_channels)
    };
    let c_users = c.users.strs();
    let (c_ids, c_kinds) = (
        c.ids.as_ref().map(Texts::optional),
        c.kinds.as_ref().map(Texts::optional),
    );
    let conversions = ConversionColumns {
        event_id: c_ids.as_deref(),
        kind: c_kinds.as_deref(),
        ..ConversionColumns::new(&c_users, &c.ts, &c.values)
    };
    spec.build_columns(&touches, &conversions)
}
