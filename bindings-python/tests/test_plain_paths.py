"""Path columns of Python ``str`` objects: what pandas without pyarrow gives (``StringDtype
("python")``), object columns, numpy object arrays and lists. They are read with the GIL held
and parsed on a worker thread in chunks of 16k rows; the table, and every error, must be what
the Arrow route and a plain Python reading of the paths give."""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import channelwise as cw
from channelwise import _channelwise, _frames

pa = pytest.importorskip("pyarrow")

CHUNK = 1 << 14  # rows per chunk handed to the parser (attribution.rs)
PLAIN = pd.StringDtype("python", na_value=np.nan)  # what `str` is in pandas 3 without pyarrow

# How a path column of str objects reaches the compiled module.
OBJECT_ROUTES = {
    "pandas-python-str": lambda c: pd.DataFrame(c).astype({"path": PLAIN}),
    "pandas-object": lambda c: pd.DataFrame(c).astype({"path": object}),
    "numpy-object": lambda c: {**c, "path": np.array(c["path"] + [None], dtype=object)[:-1]},
    "list": lambda c: {**c, "path": list(c["path"])},
    "tuple": lambda c: {**c, "path": tuple(c["path"])},
}


def arrow(c):
    return pa.table({**c, "path": pa.array(c["path"], type=pa.string())})


def table(data, sep=">"):
    t, _ = _frames.path_table(data, sep=sep)
    return t


def reference(paths, sep=">"):
    """The table a plain Python reading gives: names trimmed, in order of first appearance."""
    channels, rows = [], []
    for p in paths:
        names = [x.strip() for x in p.split(sep)]
        assert all(names), p
        for n in names:
            if n not in channels:
                channels.append(n)
        rows.append(">".join(names))
    return channels, rows


def cols(paths, seed=0):
    rng = np.random.default_rng(seed)
    n = len(paths)
    conversions = rng.integers(0, 5, n).astype(np.float64)
    return {
        "path": list(paths),
        "conversions": conversions.tolist(),
        "nulls": rng.integers(0, 5, n).astype(np.float64).tolist(),
        "value": (conversions * rng.uniform(0, 50, n)).round(2).tolist(),
    }


def random_paths(n, seed, names):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = rng.randint(1, 8)
        out.append(">".join(rng.choice(names) for _ in range(k)))
    return out


UNICODE = [
    "Paid Search",
    "e\u0301mail",  # combining accent
    "电子邮件",
    "بريد",  # right to left
    "\U0001f4e7 news",  # 4-byte UTF-8
    "x" * 10_000,  # a long name
    "ü" * 3_000,
    "tab\tinside",
]


def assert_same(data, paths, sep=">"):
    t = table(data, sep=sep)
    channels, rows = reference(paths, sep)
    assert t.channels == channels
    got = t.to_columns(">")
    assert got[0] == rows
    return t


@pytest.mark.parametrize("route", sorted(OBJECT_ROUTES))
def test_object_routes_match_arrow_and_a_python_reference(route):
    paths = [
        "a>b",
        "  a  >\tb\n",
        "\u3000電話 > a\u00a0",  # ideographic and no-break spaces are trimmed (both sides agree)
        ">".join(UNICODE),
        ">".join(["a"] * 1000),  # a long path
        "b",
    ]
    c = cols(paths)
    t = assert_same(OBJECT_ROUTES[route](c), paths)
    a = table(arrow(c))
    assert t.channels == a.channels and t.to_columns() == a.to_columns()
    got = _frames.to_columns(cw.attribution.markov(OBJECT_ROUTES[route](c)))
    assert got == _frames.to_columns(cw.attribution.markov(arrow(c)))


@pytest.mark.parametrize("n", [CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 123])
@pytest.mark.parametrize("route", ["pandas-python-str", "numpy-object", "list"])
def test_tables_of_several_chunks_match_arrow_and_the_reference(route, n):
    paths = random_paths(n, seed=n, names=UNICODE[:5] + ["a", "b", " c ", "d"])
    c = cols(paths, seed=n)
    t = assert_same(OBJECT_ROUTES[route](c), paths)
    a = table(arrow(c))
    assert t.to_columns() == a.to_columns() and t.channels == a.channels
    # the counts travel with their own rows, across chunk boundaries
    conv = np.frombuffer(t.to_columns()[1], dtype=np.float64)
    assert conv.tolist() == c["conversions"]


def test_custom_separator_and_str_subclasses():
    class Tagged(str):
        def __str__(self):  # never called: the text of the str is read
            raise AssertionError

    paths = ["a | b", Tagged("b|c"), np.str_("c | a")]
    c = cols(paths)
    for data in (OBJECT_ROUTES["numpy-object"](c), OBJECT_ROUTES["list"](c)):
        t = table(data, sep="|")
        assert t.channels == ["a", "b", "c"]
        assert t.to_columns(">")[0] == ["a>b", "b>c", "c>a"]


@pytest.mark.parametrize("route", sorted(OBJECT_ROUTES))
def test_empty_tables(route):
    c = {"path": [], "conversions": [], "nulls": [], "value": []}
    data = OBJECT_ROUTES[route](c)
    assert len(table(data)) == 0
    for f in (cw.attribution.markov, cw.attribution.shapley):
        with pytest.raises(cw.NotEnoughDataError):
            f(data)


# The error the old route (read every row, then check lengths and separator, then parse) gives.
def reference_error(paths, n_conversions, sep=">"):
    for i, p in enumerate(paths):
        if not isinstance(p, str):
            return cw.InvalidPathError, f"invalid path in row {i}: expected a string, got "
        try:
            p.encode("utf-8")
        except UnicodeEncodeError:
            return cw.InvalidPathError, f"invalid path in row {i}: not encodable as UTF-8: 'utf-8' codec"
    if n_conversions != len(paths):
        return cw.LengthMismatchError, f"length mismatch: conversions has {n_conversions} entries"
    if not sep.strip():
        return cw.InvalidParameterError, "invalid sep"
    for i, p in enumerate(paths):
        if not all(x.strip() for x in p.split(sep)):
            return cw.InvalidPathError, f"invalid path in row {i}: empty channel name"
    return None, None


def check_error(paths, n_conversions=None, sep=">"):
    n_conv = len(paths) if n_conversions is None else n_conversions
    kind, prefix = reference_error(paths, n_conv, sep)
    assert kind is not None
    obj = np.empty(len(paths), dtype=object)
    obj[:] = paths
    conv = np.ones(n_conv)
    for path in (obj, list(paths)):
        with pytest.raises(kind) as e:
            _channelwise.PathTable.from_columns(path, conv, sep=sep)
        assert str(e.value).startswith(prefix), (str(e.value), prefix)
    return str(e.value)


@pytest.mark.parametrize("n", [10, 3 * CHUNK + 5])
def test_errors_name_their_row_and_keep_the_old_order(n):
    base = random_paths(n, seed=1, names=["a", "b", "c"])

    def with_(**rows):
        p = list(base)
        for k, v in rows.items():
            p[int(k[1:])] = v
        return p

    last = n - 1
    # an invalid path alone, early or late
    assert check_error(with_(r3="a>>b")) == 'invalid path in row 3: empty channel name at position 2 of "a>>b"'
    assert check_error(with_(**{f"r{last}": " > a"})).startswith(f"invalid path in row {last}: empty channel name")
    # the first of two invalid paths
    assert check_error(with_(r2="a>", **{f"r{last}": ">a"})).startswith("invalid path in row 2:")
    # a non-string after an invalid path still wins (it did when every row was read first)
    msg = check_error(with_(r1="a>>b", **{f"r{last}": None}))
    assert msg == f"invalid path in row {last}: expected a string, got None (NoneType)"
    assert check_error(with_(r0="a>>b", **{f"r{last}": math.nan})).endswith("got nan (float)")
    assert check_error(with_(**{f"r{last}": 3})).endswith("got 3 (int)")
    assert check_error(with_(r4=b"a")).endswith("got b'a' (bytes)")
    # a lone surrogate is a typed error naming its row, after an invalid path too
    msg = check_error(with_(r1="a>>b", **{f"r{last}": "a\ud800b"}))
    assert "surrogates not allowed" in msg
    # a non-string wins over a length mismatch and a bad separator; those over invalid paths
    assert check_error(with_(**{f"r{last}": 7}), n_conversions=n - 1).endswith("got 7 (int)")
    assert check_error(with_(r0="a>>b"), n_conversions=n + 1).startswith("length mismatch")
    assert check_error(with_(**{f"r{last}": 7}), sep=" ").endswith("got 7 (int)")
    assert check_error(with_(r0="a>>b"), sep=" ").startswith("invalid sep")


def test_missing_values_and_non_strings_from_frames_keep_their_messages():
    for col, got in (
        (pd.Series(["a", None], dtype=PLAIN), "nan (float)"),  # pandas stores None as NaN
        (pd.Series(["a", None], dtype=pd.StringDtype("python", na_value=pd.NA)), "<NA> (NAType)"),
        (pd.Series(["a", None], dtype=object), "None (NoneType)"),
        (pd.Series(["a", 2.5], dtype=object), "2.5 (float)"),
        (pd.Series(["a", "a\ud800"], dtype=object), None),
    ):
        df = pd.DataFrame({"path": col, "conversions": [1.0, 1.0]})
        with pytest.raises(cw.InvalidPathError) as e:
            cw.attribution.markov(df)
        if got is None:
            assert str(e.value).startswith("invalid path in row 1: not encodable as UTF-8")
            assert isinstance(e.value, ValueError)
        else:
            assert str(e.value) == f"invalid path in row 1: expected a string, got {got}"


def test_a_python_str_column_is_handed_over_in_place():
    df = pd.DataFrame({"path": pd.Series(["a>b", "b"] * 10, dtype=PLAIN), "conversions": 1.0})
    assert _frames.arrow_chunks(df["path"]) is None
    arr = _frames.path_objects(df["path"], _frames.PANDAS)
    assert isinstance(arr, np.ndarray) and arr.dtype == object
    assert np.shares_memory(arr, df["path"].to_numpy())  # no copy, no list
    mine = ["a", "b"]
    assert _frames.path_objects(mine, _frames.MAPPING) is mine
    # non-object arrays become lists of Python objects, as before (so messages name ints, not np.int64)
    assert _frames.path_objects(pd.Series([1, 2]), _frames.PANDAS) == [1, 2]


def test_other_threads_run_while_the_last_chunks_are_parsed():
    # The read holds the GIL throughout; the parse runs on a worker, so the call is correct
    # when other Python threads are busy (they only wait).
    import threading

    paths = random_paths(4 * CHUNK, seed=5, names=["a", "b", "c", "d"])
    c = cols(paths, seed=5)
    expected = table(arrow(c)).to_columns()
    stop = threading.Event()
    ticks = []

    def spin():
        while not stop.is_set():
            ticks.append(1)

    th = threading.Thread(target=spin)
    th.start()
    try:
        for _ in range(3):
            assert table(OBJECT_ROUTES["list"](c)).to_columns() == expected
    finally:
        stop.set()
        th.join()
    assert ticks


def test_a_plain_install_without_pyarrow_takes_the_object_route(tmp_path):
    # pandas decides its default string storage when imported: with pyarrow unimportable it is
    # "python", as on `pip install pandas channelwise`. The numbers must be the Arrow route's.
    paths = random_paths(CHUNK + 100, seed=9, names=UNICODE[:4] + ["a", "b"])
    c = cols(paths, seed=9)
    csv = tmp_path / "paths.csv"
    pd.DataFrame(c).to_csv(csv, index=False)
    expected = _frames.to_columns(cw.attribution.markov(pd.read_csv(csv)))
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.modules["pyarrow"] = None  # as if it were not installed
        import pandas as pd
        import channelwise as cw
        from channelwise import _frames, _channelwise

        def no_arrow(*a, **k):
            raise AssertionError("the Arrow route was taken")

        _channelwise.PathTable.from_arrow = no_arrow
        df = pd.read_csv({str(csv)!r})
        assert df["path"].dtype.storage == "python", df["path"].dtype
        out = _frames.to_columns(cw.attribution.markov(df))
        print(json.dumps(out))
        """
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    import json

    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got.keys() == expected.keys()
    assert got["channel"] == expected["channel"]
    for k in expected:
        if k != "channel":
            assert got[k] == pytest.approx(expected[k], rel=1e-12, abs=1e-12)
