"""Glue between DataFrame libraries and the compiled module.

Inputs: pandas DataFrame, polars DataFrame, pyarrow Table, a mapping of column name to numpy
array or list, or (for attribution) an already built :class:`channelwise.PathTable`.
Numeric columns become contiguous native-endian float64/int64 buffers handed to Rust (no Python
call per number; path-table columns as numpy arrays read in place); string columns become lists
of ``str``, except path columns: an Arrow-backed one (pandas ``str`` with pyarrow, polars,
pyarrow) as its text and offsets buffers, which Rust reads where they are
(:func:`arrow_chunks`), any other as a numpy object array or list whose ``str`` items Rust
reads one by one (:func:`path_objects`).

Outputs follow the input: polars in, polars out; anything else gives a pandas DataFrame.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Dict, Hashable, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _channelwise as _cw

POLARS = "polars"
PANDAS = "pandas"
ARROW = "arrow"
MAPPING = "mapping"
TABLE = "table"


def kind_of(data: Any) -> str:
    """Which library a table comes from; TypeError for anything that is not a table."""
    if isinstance(data, _cw.PathTable):
        return TABLE
    module = type(data).__module__.split(".")[0]
    if module == "polars" and hasattr(data, "get_column"):
        return POLARS
    if module == "pandas" and hasattr(data, "columns") and hasattr(data, "iloc"):
        return PANDAS
    if module == "pyarrow" and hasattr(data, "column_names"):
        return ARROW
    if isinstance(data, Mapping):
        return MAPPING
    raise TypeError(
        "expected a pandas or polars DataFrame, a pyarrow Table or a dict of columns, "
        f"got {type(data).__module__}.{type(data).__qualname__}"
    )


def table(data: Any, role: str, defaults: Sequence[Tuple[Any, float]] = ()) -> "tuple[Any, str]":
    """``data`` and its kind (:func:`kind_of`); records (a non-empty list of dicts, as a JSON API
    or a database driver gives them) are first turned into a dict of columns, as
    ``pd.DataFrame(records)`` would make them: one column per key some record has, in order of
    first appearance, ``None`` (missing) where a record has no such key. A column of
    ``defaults`` (``[("nulls", 0.0)]``; a name that is ``None`` or no possible key is skipped)
    that a record leaves out or gives as ``None`` has its default there instead, as the JS
    packages read rows: the cell says what the whole column's absence says. ``role`` names the
    argument in the error for a record that is no dict (``touchpoints[3]``)."""
    if isinstance(data, list) and not (data and isinstance(data[0], Mapping)):
        got = f"a list of {type(data[0]).__qualname__}" if data else "an empty list (an empty table is given as columns)"
        raise TypeError(f"{role}: expected a pandas or polars DataFrame, a pyarrow Table, a dict of columns or records "
                        f"(a list of dicts), got {got}")
    if not isinstance(data, list):
        return data, kind_of(data)
    names: Dict[Any, None] = {}
    for i, r in enumerate(data):
        if not isinstance(r, Mapping):
            raise TypeError(f"{role}[{i}]: expected a record (a dict of column: value), got {_what(r)}")
        if len(r) != len(names) or r.keys() != names.keys():
            names.update(dict.fromkeys(r))
    cols = {k: [r.get(k) for r in data] for k in names}
    for k, d in defaults:
        if k is not None and isinstance(k, Hashable) and k in cols:
            cols[k] = [d if x is None else x for x in cols[k]]
    return cols, MAPPING


def column_names(data: Any, kind: str) -> List[str]:
    if kind == PANDAS:
        return [str(c) for c in data.columns]
    if kind == POLARS:
        return list(data.columns)
    if kind == ARROW:
        return list(data.column_names)
    return [str(k) for k in data.keys()]


def has_column(data: Any, kind: str, name: Optional[str]) -> bool:
    return name is not None and name in column_names(data, kind)


def _missing(data: Any, kind: str, role: str, name: Any) -> Exception:
    return _cw.InvalidParameterError(
        f"invalid {role} column: {json.dumps(str(name))} "
        f"(not found in columns {json.dumps(column_names(data, kind))})"
    )


def n_rows(data: Any, kind: str) -> int:
    if kind == PANDAS:
        return len(data.index)
    if kind == POLARS:
        return data.height
    if kind == ARROW:
        return data.num_rows
    for k, v in data.items():
        return len(_mapping_column(v, "column", k))
    return 0


def _mapping_column(col: Any, role: str, name: Any) -> Any:
    """A dict's column as it is, once it is known to be a 1-D sequence of values (a list, tuple,
    range, numpy array or Series); TypeError naming the column otherwise."""
    if isinstance(col, np.ndarray) and col.ndim != 1:
        raise TypeError(f"{role} column {json.dumps(str(name))}: expected a 1-D array, got shape {col.shape}")
    if isinstance(col, (str, bytes, bytearray, Mapping)) or not (hasattr(col, "__len__") and hasattr(col, "__iter__")):
        raise TypeError(
            f"{role} column {json.dumps(str(name))}: expected a list or 1-D array of values, "
            f"got {type(col).__qualname__} {repr(col)[:60]}"
        )
    return col


def raw_column(data: Any, kind: str, role: str, name: Any) -> Any:
    """The column as a numpy array (numbers) or list (objects); error naming it if missing. A
    column is named by its label's text; an int name is read as its text (pandas' label 0)."""
    if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
        name = str(name)
    if kind in (PANDAS, ARROW) and isinstance(name, str):
        # by the label's text, as column_names shows it (a pandas label may be 0 for "0"); two
        # columns of that name are refused, not read as a frame
        at = [i for i, c in enumerate(column_names(data, kind)) if c == name]
        if not at:
            raise _missing(data, kind, role, name)
        if len(at) > 1:
            raise _cw.InvalidParameterError(f"invalid {role} column: {json.dumps(name)} ({len(at)} columns have that name)")
        return data.iloc[:, at[0]] if kind == PANDAS else data.column(at[0])
    if not isinstance(name, str) or not has_column(data, kind, name):
        raise _missing(data, kind, role, name)
    if kind == POLARS:
        return data.get_column(name)
    return _mapping_column(data[name], role, name)


def _as_numpy(col: Any, kind: str) -> np.ndarray:
    if kind == PANDAS:
        dtype = col.dtype
        if getattr(dtype, "kind", "O") in "iufb" and not isinstance(dtype, np.dtype):
            # Nullable extension dtypes (Int64, Float64, boolean): missing -> NaN.
            return col.to_numpy(dtype=np.float64, na_value=np.nan)
        return col.to_numpy()
    if kind == POLARS:
        return _polars_numpy(col)
    if kind == ARROW:
        return col.to_numpy()
    if isinstance(col, np.ndarray):
        return col
    # A list: keep the items as they are, so a stray string is reported at its own row.
    arr = np.empty(len(col), dtype=object)
    arr[:] = list(col)
    return arr


def _polars_numpy(col: Any) -> np.ndarray:
    """A polars Series as numpy; 128-bit integers (which numpy has not) as float64, as a list of
    Python ints past 64 bits would be read."""
    if str(col.dtype) in ("Int128", "UInt128"):
        import polars as pl

        col = col.cast(pl.Float64)
    return col.to_numpy()


def _not_a_number(column: str, row: int, value: Any) -> Exception:
    return _cw.InvalidRecordError(
        f"invalid record at row {row}, column {column}: {json.dumps(repr(value))} (not a number)"
    )


def floats(data: Any, kind: str, role: str, name: Any) -> bytes:
    """A numeric column as float64 bytes; missing values become NaN (rejected by the core)."""
    return _f64_array(_as_numpy(raw_column(data, kind, role, name), kind), name).tobytes()


def numbers(data: Any, kind: str, role: str, name: Any) -> np.ndarray:
    """A numeric column as a contiguous native float64 or int64 array that no other code can
    write while the compiled module reads it without the GIL: the column's own memory when that
    is read-only (pandas 3, polars and pyarrow hand out read-only views: no copy), else a copy."""
    arr = _as_numpy(raw_column(data, kind, role, name), kind)
    if arr.dtype == np.int64 or arr.dtype == np.float64:
        out = np.require(arr, requirements=["C", "A"])
        return out.copy() if out is arr and out.flags.writeable else out
    return _f64_array(arr, name)


def _f64_array(arr: np.ndarray, name: Any) -> np.ndarray:
    if arr.dtype.kind in "iufb":
        return np.ascontiguousarray(arr, dtype=np.float64)
    if arr.dtype.kind == "O":
        out = np.empty(len(arr), dtype=np.float64)
        for i, x in enumerate(arr):
            if x is None:
                out[i] = np.nan
            elif isinstance(x, (int, float, np.integer, np.floating, np.bool_)):
                out[i] = float(x)
            else:
                raise _not_a_number(name, i, x)
        return out
    raise _not_a_number(name, 0, arr[0] if len(arr) else arr.dtype)


def series_kind(x: Any) -> str:
    """``POLARS`` for a polars Series, else ``PANDAS`` (the library results are built with)."""
    return POLARS if type(x).__module__.split(".")[0] == "polars" else PANDAS


def series(role: str, x: Any) -> bytes:
    """A 1-D numeric series as float64 bytes: a numpy array, a pandas or polars Series, a pyarrow
    array, or a list/tuple/range of numbers. Missing values become NaN (rejected by the core as
    non-finite); a non-number is :class:`InvalidRecordError` naming ``role`` and its row; anything
    that is not a 1-D series is a ``TypeError``."""
    t = type(x)
    module = t.__module__.split(".")[0]
    if module == "pandas" and t.__name__ in ("Series", "Index"):
        arr = _as_numpy(x, PANDAS)
    elif module == "polars" and t.__name__ == "Series":
        arr = _polars_numpy(x)
    elif module == "pyarrow" and hasattr(x, "to_numpy") and not hasattr(x, "column_names"):
        arr = x.to_numpy(zero_copy_only=False)
    elif isinstance(x, np.ndarray):
        arr = x
    elif (
        isinstance(x, (str, bytes, bytearray, Mapping))
        or module in ("pandas", "polars", "pyarrow")  # a DataFrame or Table: pick a column
        or not hasattr(x, "__iter__")
    ):
        raise TypeError(
            f"{role}: expected a 1-D series of numbers (numpy array, pandas/polars Series, list), "
            f"got {t.__module__}.{t.__qualname__}"
        )
    else:
        items = list(x)
        try:
            arr = np.asarray(items)  # fast path: a list of plain numbers
        except (ValueError, TypeError):  # ragged: report the offending row below
            arr = None
        if arr is None or arr.dtype.kind not in "iufb":
            arr = _as_numpy(items, MAPPING)  # object array: a stray item is reported at its row
    if arr.ndim != 1:
        raise TypeError(f"{role}: expected a 1-D series of numbers, got an array of shape {arr.shape}")
    return _f64_array(arr, role).tobytes()


def strings(data: Any, kind: str, role: str, name: Any) -> List[Any]:
    """A column as a list (the compiled module checks every item is a ``str``)."""
    return as_list(raw_column(data, kind, role, name), kind)


def is_missing(x: Any) -> bool:
    """Whether cell ``x`` is missing: ``None``, a float NaN, ``pd.NA`` or ``pd.NaT``."""
    if x is None:
        return True
    if isinstance(x, (float, np.floating)):
        return bool(x != x)
    return type(x).__name__ in ("NAType", "NaTType")


def _absent(row: int, x: Any, column: Any, what: str) -> Exception:
    return _cw.InvalidRecordError(
        f"invalid record at row {row}, column {column}: {json.dumps(str(x))} (a missing {what}; every row needs one)"
    )


def present(values: List[Any], column: Any, what: str) -> List[Any]:
    """``values`` if no cell is missing (:func:`is_missing`), else :class:`InvalidRecordError`
    naming the first missing cell's row and ``column``: an id or a label that is missing must
    not become one (pandas' ``groupby`` would drop its rows, ``str`` would make it ``"nan"``)."""
    for row, x in enumerate(values):
        if not isinstance(x, str) and is_missing(x):
            raise _absent(row, x, column, what)
    return values


def labels(values: List[Any], column: Any, what: str) -> List[str]:
    """The cells of a label column (a customer id, a level, an arm) as text: a string as it is,
    a whole float as the whole number (``2.0`` is ``"2"``, as pandas makes an int column with a
    missing cell float), any other value as ``str`` gives it. A missing cell is
    :class:`InvalidRecordError` naming its row, as in :func:`present`."""
    out = []
    for row, x in enumerate(values):
        if isinstance(x, str):
            out.append(x)
        elif is_missing(x):
            raise _absent(row, x, column, what)
        elif isinstance(x, (float, np.floating)) and float(x).is_integer():
            out.append(str(int(x)))
        else:
            out.append(str(x))
    return out


def text(data: Any, kind: str, role: str, name: Any) -> Any:
    """A required text column for the compiled module: an Arrow-backed one as
    ``("arrow", chunks)`` (:func:`arrow_chunks`: its buffers, read in place), any other as
    :func:`strings` gives it (a list, every item checked to be a ``str``)."""
    col = raw_column(data, kind, role, name)
    chunks = arrow_chunks(col)
    return ("arrow", chunks) if chunks is not None else as_list(col, kind)


def as_list(col: Any, kind: str) -> List[Any]:
    """The items of column ``col`` (of a ``kind`` frame) as a Python list."""
    if kind == PANDAS:
        return col.tolist()
    if kind == POLARS:
        return col.to_list()
    if kind == ARROW:
        return col.to_pylist()
    if isinstance(col, np.ndarray):
        return col.tolist()
    return list(col)


def optional_strings(data: Any, kind: str, role: str, name: Optional[str]) -> Optional[List[Any]]:
    """Like :func:`strings` for an optional column: NaN and None both mean missing."""
    if not has_column(data, kind, name):
        return None
    return [None if (isinstance(x, float) and x != x) else x for x in strings(data, kind, role, name)]


def timestamps(data: Any, kind: str, role: str, name: Any) -> bytes:
    """Unix seconds as int64 bytes from ints, datetimes (UTC) or timestamp strings."""
    col = raw_column(data, kind, role, name)
    if kind == PANDAS and getattr(col.dtype, "tz", None) is not None:
        col = col.dt.tz_convert("UTC").dt.tz_localize(None)
    if kind == POLARS and col.dtype.__class__.__name__ in ("Datetime", "Date"):
        col = col.dt.epoch("s")
    arr = _as_numpy(col, kind)
    if arr.dtype.kind == "M":
        if np.isnat(arr).any():
            row = int(np.argmax(np.isnat(arr)))
            raise _cw.InvalidRecordError(
                f"invalid record at row {row}, column {name}: \"NaT\" (missing timestamp)"
            )
        return arr.astype("datetime64[s]").astype(np.int64).tobytes()
    if arr.dtype.kind == "u" and len(arr) and arr.max() > np.iinfo(np.int64).max:
        row = int(np.argmax(arr > np.iinfo(np.int64).max))
        raise _cw.InvalidRecordError(
            f"invalid record at row {row}, column {name}: {json.dumps(repr(int(arr[row])))} "
            "(expected whole unix seconds within 64 bits)"
        )
    if arr.dtype.kind in "iu":
        return np.ascontiguousarray(arr, dtype=np.int64).tobytes()
    if arr.dtype.kind == "f":
        # 2^63 and past would wrap in the int64 cast: out of range, like a fraction
        bad = ~np.isfinite(arr) | (arr != np.floor(arr)) | (np.abs(arr) >= 2.0**63)
        if bad.any():
            row = int(np.argmax(bad))
            raise _cw.InvalidRecordError(
                f"invalid record at row {row}, column {name}: {json.dumps(repr(arr[row]))} "
                "(expected whole unix seconds)"
            )
        return arr.astype(np.int64).tobytes()
    values = arr.tolist()
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        for row, v in enumerate(values):
            if isinstance(v, int) and not -(2**63) <= v < 2**63:
                raise _cw.InvalidRecordError(
                    f"invalid record at row {row}, column {name}: {json.dumps(repr(v))} "
                    "(expected whole unix seconds within 64 bits)"
                )
        return timestamps({name: np.asarray(values)}, MAPPING, role, name)
    if values and all(isinstance(v, (_dt.datetime, _dt.date)) for v in values):
        return np.asarray(
            [_to_unix(v) for v in values], dtype=np.int64
        ).tobytes()
    return _cw.parse_timestamps(values, str(name))


def _to_unix(v: Any) -> int:
    """Whole unix seconds of a datetime (naive: UTC) or a date (midnight UTC), the fraction of a
    second dropped as the core's parser and numpy's ``datetime64[s]`` drop it: rounded down, so
    ``1969-12-31 23:59:59.5`` is -1 (``int(v.timestamp())`` would round it toward zero, to 0),
    by exact integer arithmetic (no float rounding past 2^53 microseconds)."""
    if isinstance(v, _dt.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=_dt.timezone.utc)
        return (v - _EPOCH) // _dt.timedelta(seconds=1)
    return (_dt.datetime(v.year, v.month, v.day, tzinfo=_dt.timezone.utc) - _EPOCH) // _dt.timedelta(seconds=1)


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_I64 = (-(2**63), 2**63 - 1)


def millis(role: str, x: Any) -> int:
    """Whole milliseconds since the epoch from an int, a whole float, a numpy number or a
    datetime (naive = UTC; the sub-millisecond part dropped, exactly: no float rounding), in
    the core's signed 64-bit range. NaN and infinities are ``NonFiniteError``, values past the
    range ``OutOfRangeError`` and fractions or other types ``InvalidParameterError``, each naming
    ``role``: never truncated, nor handed to pyo3 to overflow."""
    if isinstance(x, _dt.datetime):
        if x.tzinfo is None:
            x = x.replace(tzinfo=_dt.timezone.utc)
        return (x - _EPOCH) // _dt.timedelta(milliseconds=1)
    if isinstance(x, np.datetime64):
        # (its `item()` is an int of nanoseconds at ns precision: read in ms, never as ms)
        if np.isnat(x):
            raise _cw.InvalidParameterError(f"invalid {role}: \"NaT\" (expected a time)")
        return int(x.astype("datetime64[ms]").astype(np.int64))
    if type(x).__module__ == "numpy" and hasattr(x, "item"):
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise _cw.InvalidParameterError(
            f"invalid {role}: {json.dumps(repr(x)[:40])} (expected whole milliseconds since the epoch or a datetime)")
    if isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
        raise _cw.NonFiniteError(f"{role} must be finite, got {x}")
    if not _I64[0] <= x <= _I64[1]:
        raise _cw.OutOfRangeError(f"{role} must be in [{_I64[0]}, {_I64[1]}], got {x}")
    if isinstance(x, float) and not x.is_integer():
        raise _cw.InvalidParameterError(f"invalid {role}: {json.dumps(repr(x))} (expected whole milliseconds)")
    return int(x)


def seconds(role: str, x: Any) -> Optional[int]:
    """A duration in whole seconds from an int, a float, a timedelta or a numpy/pandas timedelta:
    never truncated (``0.5`` or 1.5 s is :class:`InvalidParameterError` naming ``role``), NaN /
    NaT :class:`NonFiniteError`, past the core's 64 bits :class:`OutOfRangeError`."""
    if x is None:
        return None
    if isinstance(x, bool):
        raise _cw.InvalidParameterError(f"invalid {role}: {json.dumps(repr(x))} (expected seconds or a timedelta)")
    if is_missing(x) or (isinstance(x, np.timedelta64) and np.isnat(x)):
        raise _cw.NonFiniteError(f"{role} must be finite, got {x}")
    if hasattr(x, "total_seconds"):
        x = x.total_seconds()
    elif isinstance(x, np.timedelta64):
        x = x / np.timedelta64(1, "s")
    if isinstance(x, (int, np.integer)):
        v = int(x)
    elif isinstance(x, (float, np.floating)):
        if not np.isfinite(x):
            raise _cw.NonFiniteError(f"{role} must be finite, got {x}")
        if not float(x).is_integer():
            raise _cw.InvalidParameterError(f"invalid {role}: {json.dumps(repr(float(x)))} (expected whole seconds)")
        v = int(x)
    else:
        raise _cw.InvalidParameterError(f"invalid {role}: {json.dumps(repr(x))} (expected seconds or a timedelta)")
    if not -(2**63) <= v < 2**63:
        raise _cw.OutOfRangeError(f"{role} must be in [-9223372036854775808, 9223372036854775807], got {v}")
    return v


def path_table(
    data: Any,
    path: str = "path",
    conversions: str = "conversions",
    nulls: Optional[str] = "nulls",
    value: Optional[str] = "value",
    sep: str = ">",
    key_touch: Optional[str] = None,
) -> "tuple[Any, str]":
    """A compiled PathTable from a frame, and the frame's kind (for the output type).

    ``nulls`` and ``value`` are optional: the default names are used when present (zeros when
    absent, like the core's CSV reader); a name given explicitly must exist; ``None`` skips it.
    ``key_touch`` (W-shaped's key touch per row, missing for none) is read the same way, by the
    callers that use it.
    """
    data, kind = table(data, "table", [(nulls, 0.0), (value, 0.0)])
    if kind == TABLE:
        return data, PANDAS
    paths = _path_table(data, kind, path, conversions, nulls, value, sep)
    if key_touch is None or (key_touch == "key_touch" and not has_column(data, kind, key_touch)):
        return paths, kind
    keys = np.frombuffer(floats(data, kind, "key_touch", key_touch), dtype=np.float64)
    return paths.with_key_touches(keys, key_touch), kind


def _path_table(data: Any, kind: str, path: str, conversions: str, nulls: Optional[str], value: Optional[str], sep: str) -> Any:
    col = raw_column(data, kind, "path", path)
    chunks = arrow_chunks(col)
    paths = None if chunks is not None else path_objects(col, kind)
    conv = numbers(data, kind, "conversions", conversions)

    def optional(role: str, name: Optional[str]) -> Optional[np.ndarray]:
        if name is None or (name == role and not has_column(data, kind, name)):
            return None
        return numbers(data, kind, role, name)

    counts = (conv, optional("nulls", nulls), optional("value", value), sep)
    if chunks is not None:
        return _cw.PathTable.from_arrow(chunks, *counts)
    return _cw.PathTable.from_columns(paths, *counts)


def path_objects(col: Any, kind: str) -> Any:
    """A path column that is not read as Arrow buffers, for ``PathTable.from_columns``: a 1-D
    numpy object array, which the compiled module reads in place (pandas ``object`` columns and
    the ``StringDtype("python")`` strings of pandas without pyarrow hand theirs out without a
    copy), a list as it is, or else the items as a list (as :func:`strings` gives them, so a
    non-string is reported as the same Python object). Every item is checked to be a ``str``
    in Rust, with the GIL held."""
    if kind == PANDAS:
        arr = col.to_numpy()
    elif kind == MAPPING and isinstance(col, (np.ndarray, list)):
        arr = col
    else:
        arr = None
    if isinstance(arr, list) or (isinstance(arr, np.ndarray) and arr.dtype == object and arr.ndim == 1):
        return arr
    return as_list(col, kind)


def arrow_chunks(col: Any) -> Optional[List["tuple[np.ndarray, np.ndarray]"]]:
    """An Arrow-backed string column without missing values as ``(data, offsets)`` chunks that
    view the Arrow buffers in place (``uint8`` text, ``int32``/``int64`` offsets), or ``None``.

    pyarrow-backed pandas strings (the default ``str`` dtype of pandas 3), polars strings and
    pyarrow string arrays hold their text in buffers with row offsets: the compiled module reads
    those buffers where they are, instead of a Python ``str`` per row or a copy. Anything else
    (object columns, lists, columns with nulls, non-strings) gives ``None`` and goes through
    :func:`strings`, which checks every item.
    """
    module = type(col).__module__.split(".")[0]
    try:
        if module == "pandas":
            dtype = col.dtype
            if getattr(dtype, "storage", None) != "pyarrow" and not hasattr(dtype, "pyarrow_dtype"):
                return None
            import pyarrow as pa

            arr = pa.array(col.array)
        elif module == "polars":
            if col.dtype.__class__.__name__ not in ("String", "Utf8") or col.null_count():
                return None
            arr = col.to_arrow()
        elif module == "pyarrow" and hasattr(col, "null_count") and hasattr(col, "type"):
            arr = col
        else:
            return None
        import pyarrow as pa

        if arr.null_count or len(arr) == 0:
            return None
        chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
        out = []
        for chunk in chunks:
            if len(chunk) == 0:
                continue
            if pa.types.is_string_view(chunk.type):
                chunk = chunk.cast(pa.large_string())
            if pa.types.is_large_string(chunk.type):
                width = np.int64
            elif pa.types.is_string(chunk.type):
                width = np.int32
            else:
                return None
            _, offsets, data = chunk.buffers()[:3]
            off = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
            text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
            off = np.require(off, requirements=["C", "A"])
            for view in (text, off):  # Arrow arrays are immutable; say so on these views
                view.flags.writeable = False
            out.append((text, off))
        return out
    except Exception:  # e.g. polars without pyarrow: the list route reads (and checks) every item
        return None


def frame(kind: str, columns: Dict[str, Any]) -> Any:
    """A DataFrame of the input's library: polars for polars, else pandas. Ids users gave (lead
    ids, entities) may mix ints and floats: polars widens such a column (``strict=False``)
    instead of refusing it."""
    if kind == POLARS:
        import polars as pl

        return pl.DataFrame(columns, strict=False)
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "channelwise returns pandas DataFrames for non-polars input: pip install 'channelwise[pandas]'"
        ) from e
    return pd.DataFrame(columns)


def to_columns(df: Any) -> Dict[str, List[Any]]:
    """Columns of a result frame (pandas or polars) as lists, for plotting and tests."""
    kind = kind_of(df)
    if kind == POLARS:
        return df.to_dict(as_series=False)
    if kind == PANDAS:
        out = {}
        for c in df.columns:
            col = df[c]
            if not isinstance(col.dtype, np.dtype):  # nullable extension dtype: NA -> None
                missing = col.isna().tolist()
                out[str(c)] = [None if m else x for x, m in zip(col.astype(object).tolist(), missing)]
            else:
                out[str(c)] = col.tolist()
        return out
    if kind == ARROW:
        return df.to_pydict()
    return {k: items(f"column {k!r}", v) for k, v in df.items()}


def table_columns(table: Any, sep: str = ">") -> Dict[str, Any]:
    """A compiled PathTable's rows as columns (path, conversions, nulls, value, key_touch)."""
    paths, conv, nulls, value, keys = table.to_columns(sep)
    return {
        "path": paths,
        "conversions": np.frombuffer(conv, dtype=np.float64),
        "nulls": np.frombuffer(nulls, dtype=np.float64),
        "value": np.frombuffer(value, dtype=np.float64),
        "key_touch": keys,
    }


def stored_model(text: Any, model: str, what: str) -> Dict[str, Any]:
    """The document of a stored model (``to_json``): a dict whose ``model`` is ``model`` and
    that has a ``fitted`` part; ``InvalidParameterError`` naming ``what`` otherwise."""
    try:
        d = json.loads(text)
    except (TypeError, ValueError) as e:
        raise _cw.InvalidParameterError(f"invalid json: {e}") from None
    if not isinstance(d, dict) or d.get("model") != model or "fitted" not in d:
        raise _cw.InvalidParameterError(f"invalid json: not a channelwise {what} model")
    return d


def model_document(model: str, spec: Optional[Dict[str, Any]], native: Any) -> str:
    """A stored model's JSON, as the JS packages write it too: ``{"model", "spec", "fitted"}``
    with the compiled model's serde form (its ``to_json()``) in ``fitted`` and the Python
    wrapper's own state in ``spec`` (``None`` when it has none)."""
    return json.dumps({"model": model, "spec": spec, "fitted": json.loads(native.to_json())}, allow_nan=False)


def load_model(text: Any, model: str, what: str, native: Any) -> "tuple[Any, Dict[str, Any], Dict[str, Any]]":
    """The compiled model (``native.from_json``), its serde form and the wrapper's ``spec`` of a
    document from :func:`model_document` or JS. A ``spec`` that is null, absent or not an object
    reads as ``{}`` (the wrapper's defaults); a damaged document raises
    ``InvalidParameterError`` naming ``json``."""
    d = stored_model(text, model, what)
    spec = d.get("spec")
    return native.from_json(json.dumps(d["fitted"])), d["fitted"], spec if isinstance(spec, dict) else {}


class SeriesInput:
    """A 1-D series handed to the compiled module, with what the outputs need from it: the
    float64 bytes, the library to answer in, and a pandas index (``None`` for other inputs)."""

    __slots__ = ("data", "kind", "index", "n", "name")

    def __init__(self, role: str, x: Any) -> None:
        self.data = series(role, x)
        self.kind = series_kind(x)
        self.n = len(self.data) // 8
        t = type(x)
        is_pandas = t.__module__.split(".")[0] == "pandas" and t.__name__ == "Series"
        self.index = x.index if is_pandas else None
        self.name = getattr(x, "name", None) if self.kind == POLARS or is_pandas else None
        if is_pandas and type(x.index).__name__ == "DatetimeIndex" and not (x.index.is_monotonic_increasing and x.index.is_unique):
            # fitted in row order, a reversed series would be forecast backwards in time
            back = np.diff(x.index.asi8) <= 0  # NaT alone (no step back) is reported at 0
            i = int(np.argmax(back)) + 1 if back.any() else 0
            raise _cw.InvalidParameterError(
                f"invalid {role}.index[{i}]: {json.dumps(str(x.index[i]))} (the times must increase, "
                f"each once; sort the series first: {role}.sort_index())"
            )

    def values(self) -> np.ndarray:
        """The series as a read-only float64 numpy array."""
        return np.frombuffer(self.data, dtype=np.float64)

    def to_dict(self) -> Dict[str, Any]:
        """The series as JSON-ready data (values, library, name, pandas index), for stored
        models. A datetime index keeps its time zone and frequency; an index of other values is
        kept if JSON can hold them, else the restored series is positional."""
        index: Optional[Dict[str, Any]] = None
        idx = self.index
        if idx is not None:
            import pandas as pd

            if isinstance(idx, pd.RangeIndex):
                index = {"range": [int(idx.start), int(idx.stop), int(idx.step)]}
            elif isinstance(idx, pd.DatetimeIndex):
                utc = idx.tz_convert("UTC").tz_localize(None) if idx.tz is not None else idx
                index = {
                    "datetime": [t.isoformat() for t in utc],
                    "tz": None if idx.tz is None else str(idx.tz),
                    "freq": idx.freqstr,
                }
            else:
                try:
                    values = idx.tolist()
                    json.dumps(values, allow_nan=False)
                    index = {"values": values}
                except (TypeError, ValueError):
                    index = None
        name = self.name if self.name is None or isinstance(self.name, (str, int, float)) else str(self.name)
        return {"values": self.values().tolist(), "kind": self.kind, "name": name, "index": index}

    @classmethod
    def from_dict(cls, d: Any) -> "SeriesInput":
        """The series :meth:`to_dict` stored; ``InvalidParameterError`` if it is damaged."""
        bad = _cw.InvalidParameterError
        if not isinstance(d, dict) or not isinstance(d.get("values"), list):
            raise bad("invalid json: the stored series has no values")
        try:
            values = np.array(d["values"], dtype=np.float64)
        except (TypeError, ValueError):
            raise bad("invalid json: the stored series values are not numbers") from None
        if values.ndim != 1 or not np.isfinite(values).all():
            raise bad("invalid json: the stored series values are not finite numbers")
        s = cls.__new__(cls)
        s.data, s.n, s.name = values.tobytes(), len(values), d.get("name")
        s.kind = POLARS if d.get("kind") == POLARS else PANDAS
        s.index = None
        index = d.get("index")
        if index is not None:
            import pandas as pd

            try:
                if "range" in index:
                    s.index = pd.RangeIndex(*index["range"])
                elif "datetime" in index:
                    idx = pd.DatetimeIndex(index["datetime"])
                    if index.get("tz") is not None:
                        idx = idx.tz_localize("UTC").tz_convert(index["tz"])
                    s.index = pd.DatetimeIndex(idx, freq=index.get("freq"))
                else:
                    s.index = pd.Index(index["values"])
            except (TypeError, ValueError, KeyError) as e:
                raise bad(f"invalid json: the stored series index: {e}") from None
            if len(s.index) != s.n:
                raise bad(f"invalid json: the stored index has {len(s.index)} entries for {s.n} values")
        return s

    def wrap(self, values: Any, name: Optional[str] = None) -> Any:
        """``values`` as the input's kind: a polars Series, a pandas Series on the input's index,
        else a numpy array."""
        arr = np.asarray(values, dtype=np.float64)
        if self.kind == POLARS:
            import polars as pl

            return pl.Series(name or "", arr)
        if self.index is not None:
            import pandas as pd

            return pd.Series(arr, index=self.index, name=name)
        return arr

    def future_index(self, h: int) -> Any:
        """Index of ``h`` steps after the history: the input's DatetimeIndex continued when it
        has (or implies) a frequency, else positions ``n .. n + h - 1``."""
        import pandas as pd

        idx = self.index
        if isinstance(idx, pd.DatetimeIndex) and len(idx) > 0:
            freq = idx.freq
            if freq is None and len(idx) >= 3:
                try:
                    freq = _infer_freq(pd, idx)
                except (TypeError, ValueError):
                    freq = None
            if freq is not None:
                return pd.date_range(idx[-1], periods=h + 1, freq=freq)[1:]
        if isinstance(idx, pd.RangeIndex):
            return pd.RangeIndex(idx.stop, idx.stop + h * idx.step, idx.step)
        return pd.RangeIndex(self.n, self.n + h)

    def history_index(self) -> Any:
        """The x positions of the history for plots: the pandas index, else ``0 .. n - 1``."""
        return self.index if self.index is not None else np.arange(self.n)


def _infer_freq(pd: Any, idx: Any) -> Any:
    """``pd.infer_freq(idx)`` as the offset pandas 4 returns (pandas 3.1 warns that its string
    is going away; ``date_range`` takes either); older pandas have no such option."""
    try:
        with pd.option_context("future.infer_freq_returns_offset", True):
            return pd.infer_freq(idx)
    except pd.errors.OptionError:
        return pd.infer_freq(idx)


def _plain(x: Any) -> Any:
    """numpy scalars and arrays as Python numbers and lists, for ``json.dumps``."""
    if type(x).__module__ == "numpy" and hasattr(x, "tolist"):
        return x.tolist()
    raise TypeError(f"a {type(x).__qualname__} is not JSON (expected dicts, lists, str, numbers, bool, None)")


def json_text(role: str, x: Any) -> str:
    """``x`` (dicts, lists, str, numbers, numpy numbers) as JSON text for the compiled module;
    NaN and infinity raise :class:`NonFiniteError` naming ``role`` (JSON has neither), anything
    else that is not JSON :class:`InvalidParameterError`."""
    try:
        return json.dumps(x, allow_nan=False, default=_plain)
    except TypeError as e:
        raise _cw.InvalidParameterError(f"invalid {role}: {e}") from None
    except ValueError as e:
        if "Out of range float" in str(e):
            raise _cw.NonFiniteError(f"{role} must be finite, got NaN or infinity (JSON has neither)") from None
        raise _cw.InvalidParameterError(f"invalid {role}: {e}") from None


def _what(x: Any) -> str:
    return f"{type(x).__qualname__} {repr(x)[:60]}"


def items(role: str, x: Any) -> List[Any]:
    """The items of a list-like argument (list, tuple, set, range, numpy array, Series) as a
    list; ``TypeError`` naming ``role`` for a string, a dict or anything that is not a collection."""
    if isinstance(x, (str, bytes, bytearray, Mapping)) or not hasattr(x, "__iter__"):
        raise TypeError(f"{role}: expected a list, got {_what(x)}")
    return list(x)


def keys(role: str, x: Any) -> List[Any]:
    """Like :func:`items`, for ids that index a table (lead ids, event types): each must be
    hashable (a string or a number), ``TypeError`` naming ``role[i]`` otherwise."""
    out = items(role, x)
    for i, v in enumerate(out):
        try:
            hash(v)
        except TypeError:
            raise TypeError(f"{role}[{i}]: expected a string or a number, got {_what(v)}") from None
    return out


def mapping(role: str, x: Any) -> Dict[Any, Any]:
    """A dict argument (or a pandas row, a Series by field name) as a ``dict``; ``TypeError``
    naming ``role`` for anything else."""
    if type(x).__module__.split(".")[0] == "pandas" and type(x).__name__ == "Series":
        return x.to_dict()
    if not isinstance(x, Mapping):
        raise TypeError(f"{role}: expected a dict, got {_what(x)}")
    return dict(x)


def flag(role: str, v: Any) -> bool:
    """A True / False setting (numpy's bool too); anything else is a ``TypeError`` naming
    ``role`` and the value, where ``bool("false")`` would be True."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    raise TypeError(f"{role}: expected True or False, got {v!r}")


def real(role: str, x: Any) -> float:
    """A number argument as a ``float`` (NaN and infinities pass: the core names them);
    ``TypeError`` naming ``role`` for a bool, a string or anything else."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{role}: expected a number, got {_what(x)}")
    return float(x)


def whole(role: str, x: Any) -> int:
    """A whole-number argument as an ``int`` (an integral float such as ``8.0`` too; range
    checks are the core's, naming ``role``): :class:`InvalidParameterError` naming ``role`` for
    a fraction, NaN or an infinity (never truncated), ``TypeError`` for a bool or a non-number."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{role}: expected a whole number, got {_what(x)}")
    if isinstance(x, (float, np.floating)) and not (np.isfinite(x) and float(x).is_integer()):
        raise _cw.InvalidParameterError(f"invalid {role} = {x!r}: expected a whole number")
    return int(x)
