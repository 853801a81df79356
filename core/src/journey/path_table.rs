//! [`PathTable`]: distinct journeys with their conversion, null and value counts.
//!
//! Channels are interned to `u32` once; paths are stored flat (`touches` + `offsets`), so the
//! attribution models walk plain slices and never touch a string in their hot loops.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{check_non_negative, Error, Num, Result};

/// A channel identifier: the index of the channel's name in [`PathTable::channels`].
pub type ChannelId = u32;

/// Journeys aggregated to paths: one row per path (duplicates allowed, they add up), with the
/// number of journeys on that path that converted, that did not (nulls), and the conversion value.
///
/// Build one from path strings with [`PathTable::from_strings`] or [`PathTableBuilder`], or from
/// interned ids with [`PathTableBuilder::push_ids`] (what journey aggregation does).
///
/// ```
/// use channelwise::journey::PathTable;
/// let t = PathTable::from_strings(
///     &["search > display", "email", "search>search>email"],
///     &[3.0, 1.0, 2.0],
///     Some(&[1.0, 4.0, 0.0]),
///     Some(&[300.0, 50.0, 180.0]),
///     ">",
/// )?;
/// assert_eq!(t.channels(), ["search", "display", "email"]);
/// assert_eq!(t.path(2), [0, 0, 2]);
/// assert_eq!(t.total_conversions(), 6.0);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathTable {
    channels: Vec<String>,
    offsets: Vec<usize>,
    touches: Vec<ChannelId>,
    conversions: Vec<f64>,
    nulls: Vec<f64>,
    values: Vec<f64>,
    /// Per row: index of the key (lead-creation) touch used by W-shaped, or `u32::MAX` for none.
    key_touches: Vec<u32>,
}

/// Marker for "no key touch" in [`PathTable::key_touch`].
const NO_KEY: u32 = u32::MAX;

impl PathTable {
    /// Builds a table from column slices of path strings and counts.
    ///
    /// `nulls` and `values` default to zeros. Each path is split on `sep` (any non-empty string;
    /// surrounding whitespace of each channel is trimmed).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] if the columns differ in length; [`Error::InvalidPath`] for an
    /// empty path or an empty channel name; [`Error::NonFinite`] / [`Error::OutOfRange`] for a
    /// NaN, infinite or negative count or value; [`Error::InvalidParameter`] for an empty `sep`
    /// or a positive value on a row with zero conversions.
    ///
    /// ```
    /// use channelwise::{journey::PathTable, ErrorKind};
    /// let err = PathTable::from_strings(&["a > > b"], &[1.0], None, None, ">").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidPath);
    /// assert_eq!(err.to_string(), "invalid path in row 0: empty channel name at position 2 of \"a > > b\"");
    /// ```
    pub fn from_strings<S: AsRef<str>>(
        paths: &[S],
        conversions: &[f64],
        nulls: Option<&[f64]>,
        values: Option<&[f64]>,
        sep: &str,
    ) -> Result<Self> {
        let n = paths.len();
        check_len("conversions", conversions.len(), n)?;
        if let Some(x) = nulls {
            check_len("nulls", x.len(), n)?;
        }
        if let Some(x) = values {
            check_len("value", x.len(), n)?;
        }
        let mut b = PathTableBuilder::with_separator(sep)?;
        b.reserve(n);
        for (i, p) in paths.iter().enumerate() {
            b.push(
                p.as_ref(),
                conversions[i],
                nulls.map_or(0.0, |x| x[i]),
                values.map_or(0.0, |x| x[i]),
            )?;
        }
        Ok(b.finish())
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.conversions.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.conversions.is_empty()
    }

    /// Interned channel names; a [`ChannelId`] indexes this slice.
    pub fn channels(&self) -> &[String] {
        &self.channels
    }

    /// Number of distinct channels.
    pub fn n_channels(&self) -> usize {
        self.channels.len()
    }

    /// The id of a channel name, if it occurs.
    pub fn channel_id(&self, name: &str) -> Option<ChannelId> {
        self.channels.iter().position(|c| c == name).map(|i| i as ChannelId)
    }

    /// The touches of row `row`, in order.
    ///
    /// # Panics
    /// If `row >= self.len()`.
    pub fn path(&self, row: usize) -> &[ChannelId] {
        &self.touches[self.offsets[row]..self.offsets[row + 1]]
    }

    /// Iterates over `(touches, conversions, nulls, value)` per row.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = (&[ChannelId], f64, f64, f64)> + '_ {
        (0..self.len()).map(move |i| (self.path(i), self.conversions[i], self.nulls[i], self.values[i]))
    }

    /// Conversions per row.
    pub fn conversions(&self) -> &[f64] {
        &self.conversions
    }

    /// Non-converting journeys per row.
    pub fn nulls(&self) -> &[f64] {
        &self.nulls
    }

    /// Conversion value per row (total over the row's conversions).
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The key (lead-creation) touch index of a row, used by W-shaped attribution, if known.
    pub fn key_touch(&self, row: usize) -> Option<usize> {
        let k = self.key_touches[row];
        (k != NO_KEY).then_some(k as usize)
    }

    /// The table with each row's key (lead-creation) touch set from `keys`, one per row (`None`:
    /// none, and W-shaped takes the middle touch): how a table written out as columns (the
    /// bindings' `key_touch` / `keyTouch`, named `column` in errors) keeps its key touches when
    /// it comes back.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming `column` unless there is one key per row;
    /// [`Error::InvalidRecord`] naming the row and `column` for a key that is not a whole index
    /// into its row's path.
    ///
    /// ```
    /// use channelwise::journey::PathTable;
    /// let t = PathTable::from_strings(&["a>b>c>d"], &[1.0], None, None, ">")?;
    /// assert_eq!(t.clone().with_key_touches(&[Some(1.0)], "key_touch")?.key_touch(0), Some(1));
    /// let e = t.with_key_touches(&[Some(4.0)], "key_touch").unwrap_err();
    /// assert_eq!(e.to_string(), "invalid record at row 0, column key_touch: \"4\" (expected the index of a touch of the path (0 to 3), or none)");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn with_key_touches(mut self, keys: &[Option<f64>], column: &str) -> Result<Self> {
        check_len(column, keys.len(), self.len())?;
        for (row, &k) in keys.iter().enumerate() {
            let len = self.path(row).len();
            self.key_touches[row] = match k {
                None => NO_KEY,
                Some(k) if k >= 0.0 && k.fract() == 0.0 && k < len as f64 => k as u32,
                Some(k) => {
                    let reason = format!("expected the index of a touch of the path (0 to {}), or none", len - 1);
                    return Err(Error::InvalidRecord { row, column: column.into(), value: Num(k).to_string(), reason });
                }
            };
        }
        Ok(self)
    }

    /// Sum of conversions over all rows.
    pub fn total_conversions(&self) -> f64 {
        self.conversions.iter().sum()
    }

    /// Sum of nulls over all rows.
    pub fn total_nulls(&self) -> f64 {
        self.nulls.iter().sum()
    }

    /// Sum of value over all rows.
    pub fn total_value(&self) -> f64 {
        self.values.iter().sum()
    }

    /// Length of the longest path, in touches.
    pub fn max_path_len(&self) -> usize {
        self.offsets.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0)
    }

    /// The same paths with new counts (used by the bootstrap).
    ///
    /// # Errors
    /// As [`PathTableBuilder::push`] for each count, and [`Error::LengthMismatch`].
    pub fn with_counts(&self, conversions: Vec<f64>, nulls: Vec<f64>, values: Vec<f64>) -> Result<Self> {
        check_len("conversions", conversions.len(), self.len())?;
        check_len("nulls", nulls.len(), self.len())?;
        check_len("value", values.len(), self.len())?;
        for i in 0..self.len() {
            check_counts(i, conversions[i], nulls[i], values[i])?;
        }
        Ok(PathTable { conversions, nulls, values, ..self.clone() })
    }

    /// Every row's path as text, channels joined by `sep`: text that reads back (with the same
    /// `sep`) as this table.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `sep` when it is blank, or when a channel name holds
    /// it (trimmed, as the reader splits): those paths would read back as other channels.
    ///
    /// ```
    /// use channelwise::journey::PathTableBuilder;
    /// let mut b = PathTableBuilder::with_separator("|")?;
    /// b.push("tv>radio | search", 1.0, 0.0, 0.0)?;
    /// let t = b.finish();
    /// assert_eq!(t.path_strings(" | ")?, ["tv>radio | search"]);
    /// assert_eq!(t.path_strings(">").unwrap_err().kind().code(), "invalid_parameter");
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn path_strings(&self, sep: &str) -> Result<Vec<String>> {
        let cut = sep.trim();
        if cut.is_empty() {
            return Err(Error::param("sep", format!("{sep:?}"), "separator must contain a non-whitespace character"));
        }
        // (a plain window search, not `str::contains`: names are short, and its code is not
        // worth its size in the browser build)
        let holds = |c: &String| c.as_bytes().windows(cut.len()).any(|w| w == cut.as_bytes());
        if let Some(c) = self.channels.iter().find(|c| holds(c)) {
            let reason = format!("channel {c:?} contains it, so the paths would read back as other channels; choose another separator");
            return Err(Error::param("sep", sep.to_string(), reason));
        }
        Ok((0..self.len()).map(|r| self.path_string(r, sep)).collect())
    }

    /// Renders row `row` as a path string joined by `sep`.
    pub fn path_string(&self, row: usize, sep: &str) -> String {
        let mut s = String::new();
        for (i, &c) in self.path(row).iter().enumerate() {
            if i > 0 {
                s.push_str(sep);
            }
            s.push_str(&self.channels[c as usize]);
        }
        s
    }
}

fn check_len(field: &str, got: usize, expected: usize) -> Result<()> {
    if got != expected {
        return Err(Error::LengthMismatch { field: field.into(), expected, got });
    }
    Ok(())
}

fn check_counts(row: usize, conversions: f64, nulls: f64, value: f64) -> Result<()> {
    check_non_negative(|| format!("conversions[{row}]"), conversions)?;
    check_non_negative(|| format!("nulls[{row}]"), nulls)?;
    check_non_negative(|| format!("value[{row}]"), value)?;
    if conversions == 0.0 && value > 0.0 {
        return Err(Error::param(
            format!("value[{row}]"),
            value,
            "a row with 0 conversions cannot carry conversion value",
        ));
    }
    Ok(())
}

/// Incremental builder of a [`PathTable`]; interns channel names as rows arrive.
///
/// ```
/// use channelwise::journey::PathTableBuilder;
/// let mut b = PathTableBuilder::with_separator(" > ")?;
/// b.push("a > b", 1.0, 0.0, 10.0)?;
/// let c = b.intern("c");
/// b.push_ids(&[c, 0], 0.0, 2.0, 0.0, None)?;
/// let t = b.finish();
/// assert_eq!(t.channels(), ["a", "b", "c"]);
/// assert_eq!(t.path(1), [2, 0]);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PathTableBuilder {
    sep: Separator,
    names: Interner,
    /// Trimmed token ranges of the row being parsed (reused, so a push allocates nothing).
    scratch: Vec<(usize, usize)>,
    table: PathTable,
}

impl Default for PathTableBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl PathTableBuilder {
    /// A builder splitting paths on `">"`.
    pub fn new() -> Self {
        PathTableBuilder {
            sep: Separator::new(">"),
            names: Interner::default(),
            scratch: Vec::new(),
            table: PathTable {
                channels: Vec::new(),
                offsets: vec![0],
                touches: Vec::new(),
                conversions: Vec::new(),
                nulls: Vec::new(),
                values: Vec::new(),
                key_touches: Vec::new(),
            },
        }
    }

    /// A builder splitting paths on `sep`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `sep` is empty or only whitespace (channel names are
    /// trimmed, so such a separator could never be told apart from padding).
    pub fn with_separator(sep: &str) -> Result<Self> {
        if sep.trim().is_empty() {
            return Err(Error::param("sep", format!("{sep:?}"), "separator must contain a non-whitespace character"));
        }
        let mut b = Self::new();
        b.sep = Separator::new(sep.trim());
        Ok(b)
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.table.conversions.reserve(rows);
        self.table.nulls.reserve(rows);
        self.table.values.reserve(rows);
        self.table.key_touches.reserve(rows);
        self.table.offsets.reserve(rows);
    }

    /// The id of channel `name`, interning it if new. The name is used as given (not trimmed).
    pub fn intern(&mut self, name: &str) -> ChannelId {
        let new = |_: &[u8]| Ok::<_, std::convert::Infallible>(name.to_string());
        match self.names.intern(name.as_bytes(), &mut self.table.channels, new) {
            Ok(id) => id,
            Err(never) => match never {},
        }
    }

    /// Number of rows pushed so far.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether no row has been pushed.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Parses `path` and appends a row.
    ///
    /// # Errors
    /// [`Error::InvalidPath`] for an empty path or empty channel name (the row is not added);
    /// count errors as in [`PathTable::from_strings`].
    pub fn push(&mut self, path: &str, conversions: f64, nulls: f64, value: f64) -> Result<()> {
        self.push_keyed(path, conversions, nulls, value, None)
    }

    /// Parses `path` and appends a row whose key (lead-creation) touch is `key_touch`, for
    /// W-shaped attribution of path tables that round-trip through strings.
    ///
    /// # Errors
    /// As [`PathTableBuilder::push`]; [`Error::InvalidPath`] if `key_touch` is past the end.
    pub fn push_keyed(
        &mut self,
        path: &str,
        conversions: f64,
        nulls: f64,
        value: f64,
        key_touch: Option<usize>,
    ) -> Result<()> {
        self.push_parsed(path.as_bytes(), conversions, nulls, value, key_touch)
    }

    /// Parses `path`, UTF-8 bytes that have not been checked, and appends a row. Only the
    /// channel names met for the first time are checked (a name already interned is valid), so
    /// a column of known-good text costs no separate validation pass.
    ///
    /// # Errors
    /// As [`PathTableBuilder::push`], and [`Error::InvalidPath`] for a channel name that is not
    /// valid UTF-8.
    pub fn push_utf8(&mut self, path: &[u8], conversions: f64, nulls: f64, value: f64) -> Result<()> {
        self.push_parsed(path, conversions, nulls, value, None)
    }

    /// Splits, trims, checks and interns one row; a rejected row leaves no trace (no touches,
    /// no channel interned).
    fn push_parsed(
        &mut self,
        path: &[u8],
        conversions: f64,
        nulls: f64,
        value: f64,
        key_touch: Option<usize>,
    ) -> Result<()> {
        let row = self.table.len();
        check_counts(row, conversions, nulls, value)?;
        let invalid = |reason: String| Err(Error::InvalidPath { row, reason });
        // Pass 1: token ranges, trimmed; the first empty one is the error.
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let mut empty = None;
        let mut utf8 = None;
        self.sep.split(path, |start, end| {
            let (s, e) = trim(path, start, end);
            if s == e && empty.is_none() {
                empty = Some(scratch.len());
            }
            if s == usize::MAX && utf8.is_none() {
                utf8 = Some(scratch.len());
            }
            scratch.push((s, e));
        });
        let len = scratch.len();
        let reason = match (empty, utf8, key_touch) {
            (Some(0), _, _) if len == 1 => Some("path is empty".to_string()),
            (Some(pos), u, _) if u.is_none_or(|u| pos < u) => {
                Some(format!("empty channel name at position {} of {:?}", pos + 1, lossy(path)))
            }
            (_, Some(pos), _) => Some(format!("channel name at position {} of {:?} is not valid UTF-8", pos + 1, lossy(path))),
            (None, None, Some(k)) if k >= len => Some(format!("key touch {k} is past the end of a path of {len} touches")),
            _ => None,
        };
        if let Some(reason) = reason {
            self.scratch = scratch;
            return invalid(reason);
        }
        // Pass 2: intern. Only a name seen for the first time can be invalid UTF-8 (one that
        // matches an interned name is that name); such a row is rolled back.
        let (touches_before, channels_before) = (self.table.touches.len(), self.table.channels.len());
        let mut failed = None;
        for (pos, &(s, e)) in scratch.iter().enumerate() {
            let token = &path[s..e];
            let new = |b: &[u8]| match std::str::from_utf8(b) {
                Ok(name) => Ok(name.to_string()),
                Err(_) => Err(pos),
            };
            match self.names.intern(token, &mut self.table.channels, new) {
                Ok(id) => self.table.touches.push(id),
                Err(pos) => {
                    failed = Some(pos);
                    break;
                }
            }
        }
        self.scratch = scratch;
        if let Some(pos) = failed {
            self.table.touches.truncate(touches_before);
            if self.table.channels.len() > channels_before {
                self.table.channels.truncate(channels_before);
                self.names.rebuild(&self.table.channels);
            }
            return invalid(format!("channel name at position {} of {:?} is not valid UTF-8", pos + 1, lossy(path)));
        }
        self.end_row(conversions, nulls, value, key_touch.map_or(NO_KEY, |k| k as u32));
        Ok(())
    }
    /// Appends a row of already-interned channel ids.
    ///
    /// `key_touch` marks the lead-creation touch for W-shaped attribution.
    ///
    /// # Errors
    /// [`Error::InvalidPath`] for an empty path, an unknown id or a `key_touch` past the end;
    /// count errors as in [`PathTable::from_strings`].
    pub fn push_ids(
        &mut self,
        path: &[ChannelId],
        conversions: f64,
        nulls: f64,
        value: f64,
        key_touch: Option<usize>,
    ) -> Result<()> {
        let row = self.table.len();
        check_counts(row, conversions, nulls, value)?;
        if path.is_empty() {
            return Err(Error::InvalidPath { row, reason: "path is empty".into() });
        }
        let n = self.table.channels.len();
        if let Some(&bad) = path.iter().find(|&&c| c as usize >= n) {
            return Err(Error::InvalidPath { row, reason: format!("channel id {bad} is not interned ({n} channels)") });
        }
        let key = match key_touch {
            Some(k) if k >= path.len() => {
                return Err(Error::InvalidPath {
                    row,
                    reason: format!("key touch {k} is past the end of a path of {} touches", path.len()),
                })
            }
            Some(k) => k as u32,
            None => NO_KEY,
        };
        self.table.touches.extend_from_slice(path);
        self.end_row(conversions, nulls, value, key);
        Ok(())
    }

    fn end_row(&mut self, conversions: f64, nulls: f64, value: f64, key: u32) {
        self.table.offsets.push(self.table.touches.len());
        self.table.conversions.push(conversions);
        self.table.nulls.push(nulls);
        self.table.values.push(value);
        self.table.key_touches.push(key);
    }

    /// The finished table.
    pub fn finish(self) -> PathTable {
        self.table
    }
}

/// A path separator: one byte (found with `memchr`) or a longer string (`memmem`).
#[derive(Debug, Clone)]
enum Separator {
    Byte(u8),
    Bytes(Box<memchr::memmem::Finder<'static>>),
}

impl Separator {
    fn new(sep: &str) -> Self {
        match sep.as_bytes() {
            [b] => Separator::Byte(*b),
            s => Separator::Bytes(Box::new(memchr::memmem::Finder::new(s).into_owned())),
        }
    }

    /// Calls `token(start, end)` for each token of `path`, in order (as `str::split`: `n`
    /// separators give `n + 1` tokens, empty ones included).
    #[inline]
    fn split(&self, path: &[u8], mut token: impl FnMut(usize, usize)) {
        let mut start = 0;
        match self {
            Separator::Byte(b) => {
                for i in memchr::memchr_iter(*b, path) {
                    token(start, i);
                    start = i + 1;
                }
            }
            Separator::Bytes(finder) => {
                let n = finder.needle().len();
                for i in finder.find_iter(path) {
                    token(start, i);
                    start = i + n;
                }
            }
        }
        token(start, path.len());
    }
}

/// `path[start..end]` trimmed exactly as `str::trim` would: ASCII whitespace off both ends
/// first, then, only if a non-ASCII byte is left at either end, Unicode whitespace. Gives
/// `(usize::MAX, 0)` when that end is not valid UTF-8.
#[inline]
fn trim(path: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    // char::is_whitespace's ASCII members: U+0009..U+000D and U+0020.
    let space = |b: u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    while start < end && space(path[start]) {
        start += 1;
    }
    while end > start && space(path[end - 1]) {
        end -= 1;
    }
    if start < end && (path[start] >= 0x80 || path[end - 1] >= 0x80) {
        let Ok(t) = std::str::from_utf8(&path[start..end]) else {
            return (usize::MAX, 0);
        };
        let lead = t.len() - t.trim_start().len();
        return (start + lead, start + lead + t.trim().len());
    }
    (start, end)
}

fn lossy(path: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(path)
}

/// Channel name -> id. Names of 1 to 16 bytes (nearly all) sit in an open-addressing table
/// keyed by their bytes packed into two words, so a lookup is a multiply, a probe and three
/// integer compares, never a string comparison; other names go to a hash map. This lookup is
/// the hot loop of building a table (one per touch).
#[derive(Debug, Clone, Default)]
struct Interner {
    slots: Vec<Slot>,
    used: usize,
    long: FxHashMap<Box<[u8]>, ChannelId>,
}

/// A packed short name; `len == 0` marks an empty slot.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    a: u64,
    b: u64,
    len: u32,
    id: ChannelId,
}

impl Interner {
    /// The id of `name`. A new name is stored in `channels` as `new(name)` gives it; if that
    /// fails nothing changes.
    #[inline]
    fn intern<E>(
        &mut self,
        name: &[u8],
        channels: &mut Vec<String>,
        new: impl FnOnce(&[u8]) -> std::result::Result<String, E>,
    ) -> std::result::Result<ChannelId, E> {
        let found = match pack(name) {
            Some((a, b)) => self.find(name.len(), a, b),
            None => self.long.get(name).copied(),
        };
        if let Some(id) = found {
            return Ok(id);
        }
        let id = channels.len() as ChannelId;
        channels.push(new(name)?);
        self.insert(name, id);
        Ok(id)
    }

    #[inline]
    fn find(&self, len: usize, a: u64, b: u64) -> Option<ChannelId> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = slot_hash(len, a, b) & mask;
        loop {
            let s = &self.slots[i];
            if s.len == 0 {
                return None;
            }
            if s.len as usize == len && s.a == a && s.b == b {
                return Some(s.id);
            }
            i = (i + 1) & mask;
        }
    }

    fn insert(&mut self, name: &[u8], id: ChannelId) {
        let Some((a, b)) = pack(name) else {
            self.long.insert(name.into(), id);
            return;
        };
        if (self.used + 1) * 2 > self.slots.len() {
            let cap = (self.slots.len() * 2).max(16);
            let old = std::mem::replace(&mut self.slots, vec![Slot::default(); cap]);
            for s in old.into_iter().filter(|s| s.len > 0) {
                Self::place(&mut self.slots, s);
            }
        }
        Self::place(&mut self.slots, Slot { a, b, len: name.len() as u32, id });
        self.used += 1;
    }

    fn place(slots: &mut [Slot], slot: Slot) {
        let mask = slots.len() - 1;
        let mut i = slot_hash(slot.len as usize, slot.a, slot.b) & mask;
        while slots[i].len != 0 {
            i = (i + 1) & mask;
        }
        slots[i] = slot;
    }

    /// Forgets everything and interns `channels` again (after a rejected row is rolled back).
    fn rebuild(&mut self, channels: &[String]) {
        *self = Interner::default();
        for (id, name) in channels.iter().enumerate() {
            self.insert(name.as_bytes(), id as ChannelId);
        }
    }
}

/// A name of 1 to 16 bytes as two words that, with its length, determine it: every byte is
/// covered (the two halves may overlap). `None` for other lengths.
#[inline(always)]
fn pack(t: &[u8]) -> Option<(u64, u64)> {
    // Fixed-size loads, forced inline: wasm32 builds (opt-level "s") otherwise call a
    // variable-length copy or the closure out of line, per touch.
    #[inline(always)]
    fn w4(t: &[u8], i: usize) -> u64 {
        u64::from(u32::from_le_bytes([t[i], t[i + 1], t[i + 2], t[i + 3]]))
    }
    #[inline(always)]
    fn w8(t: &[u8], i: usize) -> u64 {
        u64::from_le_bytes([t[i], t[i + 1], t[i + 2], t[i + 3], t[i + 4], t[i + 5], t[i + 6], t[i + 7]])
    }
    let n = t.len();
    Some(match n {
        1..=3 => (u64::from(t[0]) | u64::from(t[n / 2]) << 8 | u64::from(t[n - 1]) << 16, 0),
        4..=7 => (w4(t, 0) | w4(t, n - 4) << 32, 0),
        8..=16 => (w8(t, 0), w8(t, n - 8)),
        _ => return None,
    })
}

#[inline(always)]
fn slot_hash(len: usize, a: u64, b: u64) -> usize {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let h = (a.wrapping_mul(K) ^ b ^ len as u64).wrapping_mul(K);
    (h >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn trims_and_interns() {
        let t = PathTable::from_strings(&["  a >b>  c ", "b"], &[1.0, 2.0], None, None, ">").unwrap();
        assert_eq!(t.channels(), ["a", "b", "c"]);
        assert_eq!(t.path(0), [0, 1, 2]);
        assert_eq!(t.path(1), [1]);
        assert_eq!(t.path_string(0, " > "), "a > b > c");
        assert_eq!(t.max_path_len(), 3);
    }

    #[test]
    fn multi_char_separator() {
        let t = PathTable::from_strings(&["a -> b -> a"], &[1.0], None, None, "->").unwrap();
        assert_eq!(t.path(0), [0, 1, 0]);
    }

    #[test]
    fn bad_inputs_are_typed() {
        let e = PathTable::from_strings(&[""], &[1.0], None, None, ">").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidPath);
        let e = PathTable::from_strings(&["a>"], &[1.0], None, None, ">").unwrap_err();
        assert!(e.to_string().contains("position 2"), "{e}");
        let e = PathTable::from_strings(&["a"], &[f64::NAN], None, None, ">").unwrap_err();
        assert_eq!(e.to_string(), "conversions[0] must be finite, got NaN");
        let e = PathTable::from_strings(&["a"], &[1.0], Some(&[-2.0]), None, ">").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        let e = PathTable::from_strings(&["a"], &[1.0, 2.0], None, None, ">").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LengthMismatch);
        let e = PathTable::from_strings(&["a"], &[1.0], None, None, "  ").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        let e = PathTable::from_strings(&["a"], &[0.0], None, Some(&[5.0]), ">").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
    }

    #[test]
    fn keyed_rows_from_strings() {
        let mut b = PathTableBuilder::new();
        b.push_keyed("a>b>c>d", 1.0, 0.0, 0.0, Some(2)).unwrap();
        assert!(b.push_keyed("x>y", 1.0, 0.0, 0.0, Some(2)).is_err());
        let t = b.finish();
        assert_eq!(t.key_touch(0), Some(2));
        assert_eq!(t.channels(), ["a", "b", "c", "d"]);
    }

    #[test]
    fn key_touches_set_on_a_built_table() {
        let t = PathTable::from_strings(&["a>b>c>d", "x>y"], &[1.0, 1.0], None, None, ">").unwrap();
        let keyed = t.clone().with_key_touches(&[Some(1.0), None], "k").unwrap();
        assert_eq!((keyed.key_touch(0), keyed.key_touch(1)), (Some(1), None));
        assert_eq!(keyed.clone().with_key_touches(&[None, Some(1.0)], "k").unwrap().key_touch(0), None);
        let e = t.clone().with_key_touches(&[Some(1.0)], "k").unwrap_err();
        assert_eq!(e.to_string(), "length mismatch: k has 1 entries, expected 2");
        for bad in [2.0, -1.0, 0.5, f64::NAN, f64::INFINITY] {
            let e = t.clone().with_key_touches(&[Some(3.0), Some(bad)], "k").unwrap_err();
            assert!(e.to_string().starts_with("invalid record at row 1, column k: "), "{e}");
        }
    }

    #[test]
    fn failed_push_leaves_builder_clean() {
        let mut b = PathTableBuilder::new();
        assert!(b.push("a>>b", 1.0, 0.0, 0.0).is_err());
        b.push("c", 1.0, 0.0, 0.0).unwrap();
        let t = b.finish();
        assert_eq!(t.len(), 1);
        assert_eq!(t.channels(), ["c"]);
    }
}
