//! Path tables as sums: partial tables built where the data is (one per partition of users, on
//! a Spark executor or one bucket at a time on one machine) add up to the table built in one go.
//!
//! A path table is a sum over journeys, and a journey belongs to one user, so a log split by
//! user (every event of a user in the same part) gives partial tables whose sum is the whole
//! table. [`PathTableSum`] adds tables that each carry their own channel ids (matched by name)
//! and returns the sum in the *canonical* form [`PathTable::canonical`]: channels sorted by
//! name, one row per distinct (path, key touch), rows sorted by path (channel names in order,
//! a shorter path before its extensions) and then key touch (none first). The canonical form
//! does not depend on how the log was split or in which order the parts arrive, so any two
//! routes to the same journeys meet in the same table.
//!
//! Counts (`conversions`, `nulls`) are whole numbers and add exactly (up to 2^53). Values add
//! in floating point in the order the parts arrive: exact when every value is a whole number
//! (or a multiple of a power of two, such as amounts in cents stored as cents), otherwise equal
//! to the one-go table up to the rounding of the additions (a relative difference of the order
//! of the number of journeys on a path times 1.1e-16).
//!
//! [`JourneyStream`] builds journeys user by user with a [`JourneyBuilder`]'s rules and keeps
//! only the running sum, so memory is bounded by the users in one call and the distinct paths,
//! not by the number of events.

use rustc_hash::FxHashMap;

use super::{BuildReport, ChannelId, Conversion, JourneyBuilder, PathTable, PathTableBuilder, Touchpoint};
use crate::error::{Error, Result};

/// "No key touch" as a row key.
const NO_KEY: u32 = u32::MAX;

/// A running sum of path tables: tables built from disjoint sets of users add up to the table
/// of the whole log, in the canonical form of [`PathTable::canonical`].
///
/// ```
/// use channelwise::journey::{PathTable, PathTableSum};
/// let a = PathTable::from_strings(&["email > search", "search"], &[1.0, 2.0], Some(&[0.0, 1.0]), Some(&[10.0, 30.0]), ">")?;
/// let b = PathTable::from_strings(&["search", "display"], &[1.0, 0.0], Some(&[2.0, 5.0]), Some(&[20.0, 0.0]), ">")?;
/// let mut sum = PathTableSum::new();
/// sum.add(&a);
/// sum.add(&b);
/// let t = sum.finish()?;
/// assert_eq!(t.channels(), ["display", "email", "search"]);
/// assert_eq!((t.path_string(2, ">"), t.conversions()[2], t.nulls()[2], t.values()[2]), ("search".to_string(), 3.0, 3.0, 50.0));
/// assert_eq!(t, PathTable::merge([&b, &a])?);
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct PathTableSum {
    names: Vec<String>,
    ids: FxHashMap<String, ChannelId>,
    rows: FxHashMap<(Box<[ChannelId]>, u32), [f64; 3]>,
    scratch: Vec<ChannelId>,
}

impl PathTableSum {
    /// An empty sum.
    pub fn new() -> Self {
        Self::default()
    }

    /// Distinct (path, key touch) rows so far.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether nothing was added (or only empty tables).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds every row of `table`, matching its channels to the sum's by name.
    pub fn add(&mut self, table: &PathTable) {
        let map: Vec<ChannelId> = table
            .channels()
            .iter()
            .map(|name| match self.ids.get(name) {
                Some(&id) => id,
                None => {
                    let id = self.names.len() as ChannelId;
                    self.names.push(name.clone());
                    self.ids.insert(name.clone(), id);
                    id
                }
            })
            .collect();
        for row in 0..table.len() {
            self.scratch.clear();
            self.scratch.extend(table.path(row).iter().map(|&c| map[c as usize]));
            let key = table.key_touch(row).map_or(NO_KEY, |k| k as u32);
            let counts = [table.conversions()[row], table.nulls()[row], table.values()[row]];
            match self.rows.get_mut(&(self.scratch.as_slice().into(), key)) {
                Some(acc) => acc.iter_mut().zip(counts).for_each(|(a, c)| *a += c),
                None => {
                    self.rows.insert((self.scratch.as_slice().into(), key), counts);
                }
            }
        }
    }

    /// The sum as a canonical [`PathTable`].
    ///
    /// # Errors
    /// [`Error::NonFinite`] naming the row's path when a sum overflowed to infinity.
    pub fn finish(self) -> Result<PathTable> {
        // Channels by name; `rank[old id]` is the new id.
        let mut order: Vec<ChannelId> = (0..self.names.len() as ChannelId).collect();
        crate::stats::sort_ids(&mut order, &mut |&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        let mut rank = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            rank[old as usize] = new as ChannelId;
        }
        let rows: Vec<(Vec<ChannelId>, u32, [f64; 3])> = self
            .rows
            .into_iter()
            .map(|((path, key), counts)| (path.iter().map(|&c| rank[c as usize]).collect(), key, counts))
            .collect();
        let mut sorted: Vec<u32> = (0..rows.len() as u32).collect();
        crate::stats::sort_ids(&mut sorted, &mut |&a, &b| {
            let (a, b) = (&rows[a as usize], &rows[b as usize]);
            a.0.cmp(&b.0).then(key_order(a.1).cmp(&key_order(b.1)))
        });
        let mut b = PathTableBuilder::new();
        for &old in &order {
            b.intern(&self.names[old as usize]);
        }
        b.reserve(rows.len());
        for (path, key, [conversions, nulls, value]) in sorted.into_iter().map(|r| &rows[r as usize]).map(|(p, k, c)| (p, *k, *c)) {
            if let Some((field, x)) = [("conversions", conversions), ("nulls", nulls), ("value", value)].into_iter().find(|(_, x)| !x.is_finite()) {
                let names: Vec<&str> = path.iter().map(|&c| self.names[order[c as usize] as usize].as_str()).collect();
                return Err(Error::NonFinite { field: format!("{field} of path {:?}", names.join(" > ")), value: x });
            }
            // Rows come from valid tables: non-empty paths of interned ids, a key inside the
            // path, finite non-negative counts (checked above) and value only with conversions.
            b.push_ids(path, conversions, nulls, value, (key != NO_KEY).then_some(key as usize))?;
        }
        Ok(b.finish())
    }
}

/// Rows without a key touch sort before those with one.
fn key_order(key: u32) -> (bool, u32) {
    (key != NO_KEY, key)
}

impl PathTable {
    /// The sum of `tables` (each with its own channel ids, matched by name), canonical
    /// ([`PathTableSum`]): merging the tables of a log split by user gives the table of the
    /// whole log.
    ///
    /// # Errors
    /// As [`PathTableSum::finish`].
    pub fn merge<'a>(tables: impl IntoIterator<Item = &'a PathTable>) -> Result<PathTable> {
        let mut sum = PathTableSum::new();
        for t in tables {
            sum.add(t);
        }
        sum.finish()
    }

    /// The same journeys in canonical form: channels sorted by name, repeated (path, key)
    /// rows added into one, rows sorted by path and key (what [`PathTableSum`] returns).
    ///
    /// # Errors
    /// As [`PathTableSum::finish`] (only when repeated rows add up past `f64::MAX`).
    ///
    /// ```
    /// use channelwise::journey::PathTable;
    /// let t = PathTable::from_strings(&["b > a", "a", "b > a"], &[1.0, 2.0, 3.0], None, None, ">")?;
    /// let c = t.canonical()?;
    /// assert_eq!(c.channels(), ["a", "b"]);
    /// assert_eq!((c.len(), c.path_string(1, ">"), c.conversions()[1]), (2, "b>a".to_string(), 4.0));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn canonical(&self) -> Result<PathTable> {
        Self::merge([self])
    }
}

/// Builds journeys part by part (all the events of some users at a time) and keeps only their
/// running path table: what a Spark task or a bucketed log on one machine does.
///
/// Every event of a user must come in the same [`push`](JourneyStream::push): a user whose
/// events were split over two calls would become two users. Duplicate events (the same
/// `event_id`) are dropped within a call, so keep an event's copies with its user (they are
/// copies of one event, so they share it).
///
/// ```
/// use channelwise::journey::{Conversion, JourneyBuilder, Touchpoint};
/// let touches = [Touchpoint::new("u1", 0, "search"), Touchpoint::new("u1", 5, "email"), Touchpoint::new("u2", 0, "search")];
/// let conversions = [Conversion::new("u1", 9, 40.0)];
/// let mut s = JourneyBuilder::new().stream();
/// s.push(&touches[..2], &conversions)?; // u1
/// s.push(&touches[2..], &[])?; // u2
/// let (table, report) = s.finish()?;
/// let whole = JourneyBuilder::new().build(&touches, &conversions)?;
/// assert_eq!(table, whole.path_table().canonical()?);
/// assert_eq!(&report, whole.report());
/// # Ok::<(), channelwise::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct JourneyStream {
    builder: JourneyBuilder,
    sum: PathTableSum,
    report: BuildReport,
}

impl JourneyBuilder {
    /// A [`JourneyStream`] with these rules.
    pub fn stream(&self) -> JourneyStream {
        JourneyStream { builder: self.clone(), sum: PathTableSum::new(), report: BuildReport::default() }
    }
}

impl JourneyStream {
    /// Adds the events of some whole users.
    ///
    /// # Errors
    /// As [`JourneyBuilder::build`]; the event named (`touchpoints[3].cost`) is the index in
    /// this call's slices. Nothing of a failed call is added.
    pub fn push(&mut self, touches: &[Touchpoint], conversions: &[Conversion]) -> Result<()> {
        if touches.is_empty() && conversions.is_empty() {
            return Ok(());
        }
        let journeys = self.builder.build(touches, conversions)?;
        self.sum.add(&journeys.path_table());
        add_report(&mut self.report, journeys.report());
        Ok(())
    }

    /// Reads two event streams sorted by user id (byte order, as `sort` with `LC_ALL=C` or
    /// `ORDER BY user_id` in a byte collation leave them) and pushes them `batch_users` users at
    /// a time, so memory holds one batch and the running table, never the log. The streams are
    /// typically [`TouchpointCsv::rows`](super::TouchpointCsv::rows) and
    /// [`ConversionCsv::rows`](super::ConversionCsv::rows); within a user, events may come in
    /// any order.
    ///
    /// # Errors
    /// The first error of either stream; [`Error::InvalidRecord`] (column
    /// `touchpoints.user_id` or `conversions.user_id`, row = the 1-based item) where a stream
    /// is not sorted by user; [`Error::InvalidParameter`] for `batch_users` 0; as
    /// [`JourneyStream::push`] (whose event index is within the batch).
    ///
    /// ```
    /// use channelwise::journey::{ConversionCsv, JourneyBuilder, TouchpointCsv};
    /// let touches = "user_id,timestamp,channel\na,0,search\na,5,email\nb,1,display\nc,2,search\n";
    /// let conversions = "user_id,timestamp,value\na,9,40\nc,3,10\n";
    /// let mut s = JourneyBuilder::new().stream();
    /// s.read_sorted(TouchpointCsv::default().rows(touches.as_bytes())?, ConversionCsv::default().rows(conversions.as_bytes())?, 2)?;
    /// let (table, report) = s.finish()?;
    /// assert_eq!((table.len(), report.journeys, report.conversions), (3, 3, 2));
    /// # Ok::<(), channelwise::Error>(())
    /// ```
    pub fn read_sorted(
        &mut self,
        touches: impl IntoIterator<Item = Result<Touchpoint>>,
        conversions: impl IntoIterator<Item = Result<Conversion>>,
        batch_users: usize,
    ) -> Result<()> {
        if batch_users == 0 {
            return Err(Error::param("batch_users", 0, "at least 1 user per batch"));
        }
        let mut t = Sorted::new(touches.into_iter(), "touchpoints.user_id", |x: &Touchpoint| x.user_id.as_str());
        let mut c = Sorted::new(conversions.into_iter(), "conversions.user_id", |x: &Conversion| x.user_id.as_str());
        t.pull()?;
        c.pull()?;
        let (mut bt, mut bc, mut users) = (Vec::new(), Vec::new(), 0);
        loop {
            let user = match (t.head_user(), c.head_user()) {
                (None, None) => break,
                (Some(a), None) => a.to_string(),
                (None, Some(b)) => b.to_string(),
                (Some(a), Some(b)) => a.min(b).to_string(),
            };
            while t.head_user() == Some(user.as_str()) {
                bt.extend(t.head.take());
                t.pull()?;
            }
            while c.head_user() == Some(user.as_str()) {
                bc.extend(c.head.take());
                c.pull()?;
            }
            users += 1;
            if users == batch_users {
                self.push(&bt, &bc)?;
                bt.clear();
                bc.clear();
                users = 0;
            }
        }
        self.push(&bt, &bc)
    }

    /// What the builder did with the events so far.
    pub fn report(&self) -> &BuildReport {
        &self.report
    }

    /// Distinct (path, key touch) rows so far.
    pub fn rows(&self) -> usize {
        self.sum.len()
    }

    /// The path table of every user pushed (canonical), and the summed report.
    ///
    /// # Errors
    /// As [`PathTableSum::finish`].
    pub fn finish(self) -> Result<(PathTable, BuildReport)> {
        Ok((self.sum.finish()?, self.report))
    }
}

/// `into += part`, field by field.
pub(crate) fn add_report(into: &mut BuildReport, part: &BuildReport) {
    into.journeys += part.journeys;
    into.conversions += part.conversions;
    into.unattributed_conversions += part.unattributed_conversions;
    into.unattributed_value += part.unattributed_value;
    into.duplicates_dropped += part.duplicates_dropped;
    into.duplicate_conversions += part.duplicate_conversions;
    into.touches_outside_lookback += part.touches_outside_lookback;
    into.touches_collapsed += part.touches_collapsed;
    into.leads += part.leads;
}

/// One stream of [`JourneyStream::read_sorted`]: its next item, checked to be in user order.
struct Sorted<I, T, F> {
    items: I,
    head: Option<T>,
    last: String,
    row: usize,
    column: &'static str,
    user: F,
}

impl<I: Iterator<Item = Result<T>>, T, F: Fn(&T) -> &str> Sorted<I, T, F> {
    fn new(items: I, column: &'static str, user: F) -> Self {
        Sorted { items, head: None, last: String::new(), row: 0, column, user }
    }

    fn head_user(&self) -> Option<&str> {
        self.head.as_ref().map(&self.user)
    }

    /// Reads the next item into `head` (`None` at the end).
    fn pull(&mut self) -> Result<()> {
        self.head = self.items.next().transpose()?;
        self.row += 1;
        if let Some(u) = self.head.as_ref().map(&self.user) {
            if self.row > 1 && u < self.last.as_str() {
                return Err(Error::InvalidRecord {
                    row: self.row,
                    column: self.column.into(),
                    value: u.into(),
                    reason: format!("the log is not sorted by user: {u:?} comes after {:?}", self.last),
                });
            }
            if u != self.last {
                self.last.clear();
                self.last.push_str(u);
            }
        }
        Ok(())
    }
}
