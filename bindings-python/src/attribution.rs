//! Path tables and attribution models.

use channelwise::attribution::{
    ordered_shapley, shapley, Bootstrap, ChannelCredit, CreditIntervals, FittedMarkov, Heuristics,
    Horizon, Markov, ShapleyMethod, ShapleySampler,
};
use channelwise::journey::{build_pipelined, PackedRows, PathTable, PathTableBuilder};
use channelwise::Error;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::columns::{check_len, from_json, read_path, to_json};
use crate::error::{core, guard};

/// A path table: interned channels and, per row, a path with its conversions, nulls and value.
#[pyclass(frozen, name = "PathTable", module = "channelwise._channelwise")]
pub(crate) struct PyPathTable(pub(crate) PathTable);

/// Float64 column as native-endian bytes (`numpy.frombuffer` reads it without a copy per item).
pub(crate) fn f64_bytes<'py>(py: Python<'py>, xs: &[f64]) -> Bound<'py, PyBytes> {
    let raw: Vec<u8> = xs.iter().flat_map(|x| x.to_ne_bytes()).collect();
    PyBytes::new(py, &raw)
}

/// A numeric column of a path table, borrowed from a numpy array (float64 or int64, the dtypes
/// pandas, polars and pyarrow give; anything else is cast to float64 in Python). It is read
/// without the GIL: the Python layer (`_frames.numbers`, `_frames.arrow_chunks`) passes only
/// read-only views (Arrow buffers; pandas 3, polars and pyarrow columns) or its own copies, so
/// no Python code writes the memory meanwhile.
#[derive(FromPyObject)]
pub(crate) enum NumberArray<'py> {
    F64(PyReadonlyArray1<'py, f64>),
    I64(PyReadonlyArray1<'py, i64>),
}

impl<'py> NumberArray<'py> {
    /// The values in place; a non-contiguous array is an internal error (the Python layer
    /// passes contiguous ones).
    fn slice(&self, field: &str) -> channelwise::Result<Numbers<'_>> {
        let bad = |_| Error::Internal(format!("{field}: the array is not contiguous"));
        Ok(match self {
            NumberArray::F64(a) => Numbers::F64(a.as_slice().map_err(bad)?),
            NumberArray::I64(a) => Numbers::I64(a.as_slice().map_err(bad)?),
        })
    }
}

/// A borrowed numeric column, read as `f64` row by row.
#[derive(Clone, Copy)]
enum Numbers<'a> {
    F64(&'a [f64]),
    I64(&'a [i64]),
}

impl Numbers<'_> {
    fn len(self) -> usize {
        match self {
            Numbers::F64(x) => x.len(),
            Numbers::I64(x) => x.len(),
        }
    }

    #[inline]
    fn get(self, i: usize) -> f64 {
        match self {
            Numbers::F64(x) => x[i],
            Numbers::I64(x) => x[i] as f64,
        }
    }
}

/// The numeric columns of a path table, read in place as the table is built (no `Vec<f64>`
/// copies first).
struct Counts<'a> {
    conversions: Numbers<'a>,
    nulls: Option<Numbers<'a>>,
    values: Option<Numbers<'a>>,
}

impl<'a> Counts<'a> {
    fn read(
        conversions: &'a NumberArray<'_>,
        nulls: Option<&'a NumberArray<'_>>,
        value: Option<&'a NumberArray<'_>>,
    ) -> PyResult<Self> {
        Ok(Counts {
            conversions: core(conversions.slice("conversions"))?,
            nulls: core(nulls.map(|a| a.slice("nulls")).transpose())?,
            values: core(value.map(|a| a.slice("value")).transpose())?,
        })
    }

    fn check_lengths(&self, n: usize) -> channelwise::Result<()> {
        check_len("conversions", self.conversions.len(), n)?;
        if let Some(x) = self.nulls {
            check_len("nulls", x.len(), n)?;
        }
        if let Some(x) = self.values {
            check_len("value", x.len(), n)?;
        }
        Ok(())
    }

    /// Adds row `row` (its path as bytes, checked as UTF-8 name by name by the builder).
    #[inline]
    fn push(&self, b: &mut PathTableBuilder, row: usize, path: &[u8]) -> channelwise::Result<()> {
        let null = self.nulls.map_or(0.0, |x| x.get(row));
        let value = self.values.map_or(0.0, |x| x.get(row));
        b.push_utf8(path, self.conversions.get(row), null, value)
    }

    /// A table from `n` rows of path bytes streamed from any source (no `Vec<String>`).
    fn build<'s>(
        &self,
        n: usize,
        paths: impl Iterator<Item = &'s [u8]>,
        sep: &str,
    ) -> channelwise::Result<PathTable> {
        self.check_lengths(n)?;
        let mut b = PathTableBuilder::with_separator(sep)?;
        b.reserve(n);
        for (i, p) in paths.enumerate() {
            self.push(&mut b, i, p)?;
        }
        Ok(b.finish())
    }
}

/// A path column of Python objects, each to be a `str`: a 1-D numpy object array read in
/// place (pandas object and `StringDtype("python")` columns), or the items of any other
/// sequence or iterable.
enum PathObjects<'a, 'py> {
    Array(Python<'py>, &'a [Py<PyAny>]),
    Items(&'a [Bound<'py, PyAny>]),
}

impl<'py> PathObjects<'_, 'py> {
    fn len(&self) -> usize {
        match self {
            PathObjects::Array(_, xs) => xs.len(),
            PathObjects::Items(xs) => xs.len(),
        }
    }

    #[inline]
    fn get(&self, i: usize) -> &Bound<'py, PyAny> {
        match self {
            PathObjects::Array(py, xs) => xs[i].bind(*py),
            PathObjects::Items(xs) => &xs[i],
        }
    }
}

/// Rows per chunk handed from the reader to the parser: 16k rows (about half a megabyte of
/// typical paths), small enough that the parse of the last chunk adds little after the read.
const CHUNK: usize = 1 << 14;

/// A table from a column of `str` objects, reading them with the GIL held, in one pass, while
/// a scoped worker thread (which never touches Python) parses the chunks already read: the
/// read costs little more than the parse it overlaps (the core's `journey::build_pipelined`, which
/// the Node addon uses too). Tables of one chunk or less are read, then parsed without the GIL.
///
/// Errors come in the order of the read-everything-then-parse route this replaces: the first
/// row that is not a `str` (or cannot be encoded as UTF-8) wins over a column length
/// mismatch or a bad separator, which win over an invalid path; so once the parser has
/// stopped at an invalid path, the reader still checks the rest of the column.
fn table_from_objects(
    py: Python<'_>,
    rows: &PathObjects<'_, '_>,
    counts: &Counts<'_>,
    sep: &str,
) -> PyResult<PathTable> {
    let n = rows.len();
    let check_from = |start: usize| -> PyResult<()> {
        (start..n).try_for_each(|i| read_path(rows.get(i), i, None))
    };
    let start = counts
        .check_lengths(n)
        .and_then(|()| PathTableBuilder::with_separator(sep));
    let mut b = match start {
        Ok(b) => b,
        Err(e) => {
            check_from(0)?;
            return core(Err(e));
        }
    };
    b.reserve(n);
    if n <= CHUNK {
        let mut all = PackedRows::with_capacity(n);
        for i in 0..n {
            read_path(rows.get(i), i, Some(&mut all))?;
        }
        let table = py.detach(|| {
            for (i, p) in all.iter().enumerate() {
                counts.push(&mut b, i, p)?;
            }
            Ok(b.finish())
        });
        return core(table);
    }
    let built = build_pipelined(
        b,
        n,
        CHUNK,
        |i, out| read_path(rows.get(i), i, out),
        |b, row, p| counts.push(b, row, p),
        // The parse of the last chunks is waited for without the GIL.
        |join| py.detach(join),
    )?;
    core(built)
}

/// Offsets of an Arrow string chunk: `int32` (`string`) or `int64` (`large_string`).
#[derive(FromPyObject)]
pub(crate) enum OffsetArray<'py> {
    I32(PyReadonlyArray1<'py, i32>),
    I64(PyReadonlyArray1<'py, i64>),
}

/// One chunk of an Arrow string column, borrowed: the text buffer and the `rows + 1` offsets
/// into it, checked to be non-negative, non-decreasing and in bounds. The text is not checked
/// as a whole: the builder checks each channel name the first time it meets it.
pub(crate) struct Utf8Chunk<'a> {
    data: &'a [u8],
    offsets: Offsets<'a>,
}

#[derive(Clone, Copy)]
pub(crate) enum Offsets<'a> {
    I32(&'a [i32]),
    I64(&'a [i64]),
}

impl<'a> Utf8Chunk<'a> {
    /// A chunk of numpy views: `uint8` text and `int32`/`int64` offsets (see `from_arrow`).
    pub(crate) fn of(data: &'a PyReadonlyArray1<'_, u8>, offsets: &'a OffsetArray<'_>) -> channelwise::Result<Self> {
        let not_contiguous = |_| Error::Internal("string column buffers: not contiguous".into());
        let offsets = match offsets {
            OffsetArray::I32(o) => Offsets::I32(o.as_slice().map_err(not_contiguous)?),
            OffsetArray::I64(o) => Offsets::I64(o.as_slice().map_err(not_contiguous)?),
        };
        Utf8Chunk::new(data.as_slice().map_err(not_contiguous)?, offsets)
    }

    /// Every row as `&str`: the text between the first and last offsets is checked as UTF-8
    /// once, and each offset to fall on a character boundary (Arrow promises both; a broken
    /// buffer is `internal`, never undefined behaviour).
    pub(crate) fn strs(&self, out: &mut Vec<&'a str>) -> channelwise::Result<()> {
        let n = self.rows();
        let at = |i: usize| match self.offsets {
            Offsets::I32(o) => o[i] as usize,
            Offsets::I64(o) => o[i] as usize,
        };
        let (lo, hi) = (at(0), at(n));
        let text = std::str::from_utf8(&self.data[lo..hi])
            .map_err(|e| Error::Internal(format!("string column: not UTF-8 ({e})")))?;
        out.reserve(n);
        let mut start = 0;
        for i in 1..=n {
            let end = at(i) - lo;
            if !text.is_char_boundary(end) {
                return Err(Error::Internal("string column: an offset inside a character".into()));
            }
            out.push(&text[start..end]);
            start = end;
        }
        Ok(())
    }

    fn new(data: &'a [u8], offsets: Offsets<'a>) -> channelwise::Result<Self> {
        fn check<T: Copy + Into<i64>>(xs: &[T], len: usize) -> channelwise::Result<()> {
            let bad = |what: &str| Error::Internal(format!("string column offsets: {what}"));
            let Some(&first) = xs.first() else {
                return Err(bad("none"));
            };
            let mut prev: i64 = first.into();
            if prev < 0 {
                return Err(bad("negative"));
            }
            for &x in xs {
                let x: i64 = x.into();
                if x < prev {
                    return Err(bad("out of order"));
                }
                prev = x;
            }
            if prev as u64 > len as u64 {
                return Err(bad("past the end of the text"));
            }
            Ok(())
        }
        match offsets {
            Offsets::I32(o) => check(o, data.len())?,
            Offsets::I64(o) => check(o, data.len())?,
        }
        Ok(Utf8Chunk { data, offsets })
    }

    pub(crate) fn rows(&self) -> usize {
        match self.offsets {
            Offsets::I32(o) => o.len() - 1,
            Offsets::I64(o) => o.len() - 1,
        }
    }

    /// Row `i`'s bytes (offsets were checked in `new`).
    #[inline]
    fn row(&self, i: usize) -> &'a [u8] {
        let (start, end) = match self.offsets {
            Offsets::I32(o) => (o[i] as usize, o[i + 1] as usize),
            Offsets::I64(o) => (o[i] as usize, o[i + 1] as usize),
        };
        &self.data[start..end]
    }
}

#[pymethods]
impl PyPathTable {
    /// Builds a table from a column of path strings and numeric numpy arrays. The path column
    /// is a 1-D numpy object array (read in place) or any sequence or iterable of `str`; each
    /// `str` is read as UTF-8 with the GIL held, and parsed on a worker thread without it.
    #[staticmethod]
    #[pyo3(signature = (path, conversions, nulls=None, value=None, sep=">"))]
    fn from_columns(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        conversions: NumberArray<'_>,
        nulls: Option<NumberArray<'_>>,
        value: Option<NumberArray<'_>>,
        sep: &str,
    ) -> PyResult<Self> {
        guard(|| {
            let array = path.extract::<PyReadonlyArray1<'_, Py<PyAny>>>().ok();
            let items: Vec<Bound<'_, PyAny>>;
            let rows = match array.as_ref().and_then(|a| a.as_slice().ok()) {
                Some(xs) => PathObjects::Array(py, xs),
                None => {
                    items = path.try_iter()?.collect::<PyResult<_>>()?;
                    PathObjects::Items(&items)
                }
            };
            let counts = Counts::read(&conversions, nulls.as_ref(), value.as_ref())?;
            Ok(PyPathTable(table_from_objects(py, &rows, &counts, sep)?))
        })
    }

    /// Builds a table from an Arrow string column without nulls, read in place: its chunks as
    /// `(data, offsets)` numpy views of the Arrow buffers (`uint8` text; `int32` or `int64`
    /// offsets, `rows + 1` of them, indexing `data`), and numeric numpy arrays. No copy of the
    /// text and no `str` per row; each channel name is checked as UTF-8 the first time it is
    /// met.
    #[staticmethod]
    #[pyo3(signature = (chunks, conversions, nulls=None, value=None, sep=">"))]
    fn from_arrow(
        py: Python<'_>,
        chunks: Vec<(PyReadonlyArray1<'_, u8>, OffsetArray<'_>)>,
        conversions: NumberArray<'_>,
        nulls: Option<NumberArray<'_>>,
        value: Option<NumberArray<'_>>,
        sep: &str,
    ) -> PyResult<Self> {
        guard(|| {
            let chunks = chunks.iter().map(|(data, offsets)| Utf8Chunk::of(data, offsets));
            let chunks = core(chunks.collect::<channelwise::Result<Vec<_>>>())?;
            let counts = Counts::read(&conversions, nulls.as_ref(), value.as_ref())?;
            let table = py.detach(|| {
                let n = chunks.iter().map(Utf8Chunk::rows).sum();
                let rows = chunks
                    .iter()
                    .flat_map(|c| (0..c.rows()).map(move |r| c.row(r)));
                counts.build(n, rows, sep)
            });
            Ok(PyPathTable(core(table)?))
        })
    }

    /// The sum of `tables` (the core's `PathTable::merge`): one row per distinct path and key
    /// touch, channels matched by name, rows sorted by path.
    #[staticmethod]
    fn merge(py: Python<'_>, tables: Vec<PyRef<'_, PyPathTable>>) -> PyResult<Self> {
        guard(|| {
            let tables: Vec<&PathTable> = tables.iter().map(|t| &t.0).collect();
            Ok(PyPathTable(core(py.detach(|| PathTable::merge(tables)))?))
        })
    }

    /// Channel names in interning order (order of first appearance).
    #[getter]
    fn channels(&self) -> Vec<String> {
        self.0.channels().to_vec()
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    /// Rows as `(paths, conversions, nulls, value, key_touch)`; numbers as float64 bytes. A `sep`
    /// that a channel name holds is an error (the paths would not read back).
    #[pyo3(signature = (sep=">"))]
    fn to_columns<'py>(&self, py: Python<'py>, sep: &str) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let t = &self.0;
            let paths = core(py.detach(|| t.path_strings(sep)))?;
            let keys: Vec<Option<usize>> = (0..t.len()).map(|i| t.key_touch(i)).collect();
            let out = (
                paths,
                f64_bytes(py, t.conversions()),
                f64_bytes(py, t.nulls()),
                f64_bytes(py, t.values()),
                keys,
            );
            Ok(out.into_pyobject(py)?.into_any())
        })
    }

    /// The table with each row's W-shaped key (lead-creation) touch from `keys`, float64 with
    /// NaN for none and otherwise a whole index into the row's path: the `key_touch` column of
    /// a path-table frame, named `column` in errors.
    #[pyo3(signature = (keys, column="key_touch"))]
    fn with_key_touches(&self, keys: PyReadonlyArray1<'_, f64>, column: &str) -> PyResult<Self> {
        guard(|| {
            let keys: Vec<Option<f64>> = keys.as_array().iter().map(|&k| (!k.is_nan()).then_some(k)).collect();
            Ok(PyPathTable(core(self.0.clone().with_key_touches(&keys, column))?))
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "PathTable(rows={}, channels={})",
            self.0.len(),
            self.0.n_channels()
        )
    }
}

/// Channel credit as a dict of columns: `channel`, `conversions`, `value`.
fn credit_dict<'py>(py: Python<'py>, c: &ChannelCredit) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("channel", &c.channels)?;
    d.set_item("conversions", &c.conversions)?;
    d.set_item("value", &c.value)?;
    Ok(d)
}

fn intervals_dict<'py>(py: Python<'py>, ci: &CreditIntervals) -> PyResult<Bound<'py, PyDict>> {
    let d = credit_dict(py, &ci.estimate)?;
    d.set_item("conversions_lo", &ci.conversions_lower)?;
    d.set_item("conversions_hi", &ci.conversions_upper)?;
    d.set_item("conversions_std_error", &ci.conversions_std_error)?;
    d.set_item("value_lo", &ci.value_lower)?;
    d.set_item("value_hi", &ci.value_upper)?;
    d.set_item("value_std_error", &ci.value_std_error)?;
    d.set_item("level", ci.level)?;
    d.set_item("replicates", ci.replicates)?;
    Ok(d)
}

/// A Python int as a non-negative count (`OutOfRange` below `min`, not an `OverflowError`).
pub(crate) fn count(field: &str, value: i64, min: usize) -> channelwise::Result<usize> {
    if value < min as i64 {
        return Err(Error::OutOfRange {
            field: field.into(),
            value: value as f64,
            min: min as f64,
            max: f64::INFINITY,
        });
    }
    Ok(value as usize)
}

/// `None` -> exact, `"ca"` -> ChannelAttribution's default cap, an int -> that many steps.
fn horizon(h: Option<&Bound<'_, PyAny>>) -> PyResult<Horizon> {
    let Some(h) = h.filter(|h| !h.is_none()) else {
        return Ok(Horizon::Infinite);
    };
    if let Ok(s) = h.cast::<PyString>() {
        let s = s.to_cow()?;
        return match s.as_ref() {
            "ca" => Ok(Horizon::ChannelAttributionDefault),
            other => core(Err(Error::InvalidParameter {
                field: "horizon".into(),
                value: format!("{other:?}"),
                reason: "expected None, a positive int or \"ca\"".into(),
            })),
        };
    }
    let is_bool = h.is_instance_of::<pyo3::types::PyBool>();
    match h.extract::<i64>() {
        Ok(t) if !is_bool => Ok(Horizon::Steps(core(count("horizon", t, 1))?)),
        _ => core(Err(Error::InvalidParameter {
            field: "horizon".into(),
            value: h.repr().map(|r| r.to_string()).unwrap_or_default(),
            reason: "expected None, a positive int or \"ca\"".into(),
        })),
    }
}

fn markov_spec(
    order: i64,
    horizon_: Option<&Bound<'_, PyAny>>,
    use_nulls: bool,
) -> PyResult<Markov> {
    Ok(Markov::default()
        .order(core(count("order", order, 1))?)
        .horizon(horizon(horizon_)?)
        .use_nulls(use_nulls))
}

fn bootstrap(replicates: i64, level: f64, seed: i64) -> PyResult<Bootstrap> {
    let seed = core(count("seed", seed, 0))? as u64;
    Ok(Bootstrap::default()
        .replicates(core(count("replicates", replicates, 0))?)
        .level(level)
        .seed(seed))
}

/// First/last touch, linear, U- and W-shaped credit as a dict of columns.
#[pyfunction]
#[pyo3(signature = (table, u_first=0.4, u_last=0.4, w_first=0.3, w_key=0.3, w_last=0.3))]
fn heuristics<'py>(
    py: Python<'py>,
    table: PyRef<'py, PyPathTable>,
    u_first: f64,
    u_last: f64,
    w_first: f64,
    w_key: f64,
    w_last: f64,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let t = &table.0;
        let spec = Heuristics::default()
            .u_shaped(u_first, u_last)
            .w_shaped(w_first, w_key, w_last);
        let h = core(py.detach(|| spec.fit(t)))?;
        let d = PyDict::new(py);
        d.set_item("channel", t.channels())?;
        for (name, c) in [
            ("first_touch", &h.first_touch),
            ("last_touch", &h.last_touch),
            ("linear", &h.linear),
            ("u_shaped", &h.u_shaped),
            ("w_shaped", &h.w_shaped),
        ] {
            d.set_item(format!("{name}_conversions"), &c.conversions)?;
            d.set_item(format!("{name}_value"), &c.value)?;
        }
        Ok(d)
    })
}

/// A fitted Markov chain (the core's `FittedMarkov`).
#[pyclass(frozen, name = "FittedMarkov", module = "channelwise._channelwise")]
pub(crate) struct PyFittedMarkov(FittedMarkov);

/// Fits a Markov chain of `order` with `horizon` (None, an int or "ca").
#[pyfunction]
#[pyo3(signature = (table, order=1, horizon=None, use_nulls=true))]
fn markov_fit(
    py: Python<'_>,
    table: PyRef<'_, PyPathTable>,
    order: i64,
    horizon: Option<&Bound<'_, PyAny>>,
    use_nulls: bool,
) -> PyResult<PyFittedMarkov> {
    guard(|| {
        let spec = markov_spec(order, horizon, use_nulls)?;
        let t = &table.0;
        Ok(PyFittedMarkov(core(py.detach(|| spec.fit(t)))?))
    })
}

/// Markov credit with bootstrap intervals, as a dict of columns. `progress(done, total)` is
/// called as replicates finish; Ctrl-C stops the work (see `progress.rs`).
#[pyfunction]
#[pyo3(signature = (table, order=1, horizon=None, use_nulls=true, replicates=200, level=0.95, seed=0, progress=None))]
#[allow(clippy::too_many_arguments)]
fn markov_intervals<'py>(
    py: Python<'py>,
    table: PyRef<'py, PyPathTable>,
    order: i64,
    horizon: Option<&Bound<'py, PyAny>>,
    use_nulls: bool,
    replicates: i64,
    level: f64,
    seed: i64,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let spec = markov_spec(order, horizon, use_nulls)?;
        let b = bootstrap(replicates, level, seed)?;
        let t = &table.0;
        let ci = crate::progress::run(py, progress, |m| b.markov_with_progress(&spec, t, m))?;
        intervals_dict(py, &ci)
    })
}

/// Shapley credit of the subset game (closed form), as a dict of columns.
#[pyfunction(name = "shapley")]
fn shapley_credit<'py>(
    py: Python<'py>,
    table: PyRef<'py, PyPathTable>,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let t = &table.0;
        let c = core(py.detach(|| shapley(t)))?;
        credit_dict(py, &c)
    })
}

/// Subset-game Shapley credit with bootstrap intervals; `progress` as `markov_intervals`.
#[pyfunction]
#[pyo3(signature = (table, replicates=200, level=0.95, seed=0, progress=None))]
fn shapley_intervals<'py>(
    py: Python<'py>,
    table: PyRef<'py, PyPathTable>,
    replicates: i64,
    level: f64,
    seed: i64,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let b = bootstrap(replicates, level, seed)?;
        let t = &table.0;
        let ci = crate::progress::run(py, progress, |m| b.shapley_with_progress(t, m))?;
        intervals_dict(py, &ci)
    })
}

/// Ordered Shapley: `channel`, and `conversions`/`value` as one list per channel (by position).
#[pyfunction(name = "ordered_shapley")]
fn ordered_shapley_credit<'py>(
    py: Python<'py>,
    table: PyRef<'py, PyPathTable>,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let t = &table.0;
        let o = core(py.detach(|| ordered_shapley(t)))?;
        let d = PyDict::new(py);
        d.set_item("channel", &o.channels)?;
        d.set_item("conversions", &o.conversions)?;
        d.set_item("value", &o.value)?;
        Ok(d)
    })
}

#[pymethods]
impl PyFittedMarkov {
    /// Channel names, in table order.
    #[getter]
    fn channels(&self) -> Vec<String> {
        self.0.channels().to_vec()
    }

    /// Order of the chain.
    #[getter]
    fn order(&self) -> usize {
        self.0.order()
    }

    /// Step cap used (`None` for the exact answer).
    #[getter]
    fn horizon_steps(&self) -> Option<usize> {
        self.0.horizon_steps()
    }

    /// Number of channel states.
    #[getter]
    fn n_states(&self) -> usize {
        self.0.n_states()
    }

    /// Total conversions and value of the table.
    #[getter]
    fn totals(&self) -> (f64, f64) {
        self.0.totals()
    }

    /// Probability that a journey from start converts.
    #[getter]
    fn conversion_probability(&self) -> f64 {
        self.0.conversion_probability()
    }

    /// Removal effect of each channel, in channel order.
    #[getter]
    fn removal_effects(&self) -> Vec<f64> {
        self.0.removal_effects().to_vec()
    }

    /// Removal effect of each channel on value.
    #[getter]
    fn removal_effects_value(&self) -> Vec<f64> {
        self.0.removal_effects_value().to_vec()
    }

    /// Credit as a dict of columns: `channel`, `removal_effect`, `removal_effect_value`,
    /// `conversions`, `value`.
    fn credit<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let d = credit_dict(py, self.0.credit())?;
            d.set_item("removal_effect", self.0.removal_effects())?;
            d.set_item("removal_effect_value", self.0.removal_effects_value())?;
            Ok(d)
        })
    }

    /// Credit with bootstrap intervals, re-weighting this chain (no second fit); `table` must
    /// be the one it was fitted on. A dict of columns as `markov_intervals` gives; `progress`
    /// as there.
    #[pyo3(signature = (table, replicates=200, level=0.95, seed=0, progress=None))]
    fn intervals<'py>(
        &self,
        py: Python<'py>,
        table: PyRef<'py, PyPathTable>,
        replicates: i64,
        level: f64,
        seed: i64,
        progress: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let b = bootstrap(replicates, level, seed)?;
            let t = &table.0;
            let fitted = &self.0;
            let ci = crate::progress::run(py, progress, |m| {
                b.fitted_markov_with_progress(fitted, t, m)
            })?;
            intervals_dict(py, &ci)
        })
    }

    /// Nonzero transitions as `(from, to, probability)` columns.
    fn transitions(&self, py: Python<'_>) -> PyResult<(Vec<String>, Vec<String>, Vec<f64>)> {
        guard(|| {
            let ts = py.detach(|| self.0.transitions());
            let mut out = (
                Vec::with_capacity(ts.len()),
                Vec::with_capacity(ts.len()),
                Vec::with_capacity(ts.len()),
            );
            for t in ts {
                out.0.push(t.from);
                out.1.push(t.to);
                out.2.push(t.probability);
            }
            Ok(out)
        })
    }

    /// `(P(conversion), expected value)` with only the channels where `active` is true.
    fn conversion_probability_with(
        &self,
        py: Python<'_>,
        active: Vec<bool>,
    ) -> PyResult<(f64, f64)> {
        guard(|| core(py.detach(|| self.0.conversion_probability_with(&active))))
    }

    /// Shapley credit of the Markov game: `method` "exact" or "sampled"; `progress(done,
    /// total)` is called as coalitions or permutations finish, Ctrl-C stops the work.
    #[pyo3(signature = (method="exact", permutations=1000, seed=0, progress=None))]
    fn shapley<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        permutations: i64,
        seed: i64,
        progress: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let method = match method {
                "exact" => ShapleyMethod::Exact,
                "sampled" => ShapleyMethod::Sampled(
                    ShapleySampler::default()
                        .permutations(core(count("permutations", permutations, 0))?)
                        .seed(core(count("seed", seed, 0))? as u64),
                ),
                other => {
                    return core(Err(Error::InvalidParameter {
                        field: "method".into(),
                        value: format!("{other:?}"),
                        reason: "expected \"exact\" or \"sampled\"".into(),
                    }))
                }
            };
            let fitted = &self.0;
            let s =
                crate::progress::run(py, progress, |m| fitted.shapley_with_progress(method, m))?;
            let d = credit_dict(py, &s.credit)?;
            d.set_item("conversions_std_error", &s.conversions_std_error)?;
            d.set_item("value_std_error", &s.value_std_error)?;
            Ok(d)
        })
    }

    /// The fitted chain as JSON (structure, probabilities and results; no refit on load).
    fn to_json(&self) -> PyResult<String> {
        guard(|| core(to_json(&self.0)))
    }

    /// Restores a chain written by `to_json`; a damaged document is an `InvalidParameterError`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(|| Ok(PyFittedMarkov(core(from_json(py, text))?)))
    }

    fn __repr__(&self) -> String {
        format!(
            "FittedMarkov(order={}, horizon_steps={:?}, channels={}, states={}, conversion_probability={:.6})",
            self.0.order(),
            self.0.horizon_steps(),
            self.0.channels().len(),
            self.0.n_states(),
            self.0.conversion_probability()
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPathTable>()?;
    m.add_class::<PyFittedMarkov>()?;
    m.add_function(wrap_pyfunction!(heuristics, m)?)?;
    m.add_function(wrap_pyfunction!(markov_fit, m)?)?;
    m.add_function(wrap_pyfunction!(markov_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(shapley_credit, m)?)?;
    m.add_function(wrap_pyfunction!(shapley_intervals, m)?)?;
    m.add_function(wrap_pyfunction!(ordered_shapley_credit, m)?)?;
    Ok(())
}
