"""Logs past memory on one machine: path tables of disjoint users merge into the whole log's
table (cw.journey.merge), and polars lazy scans built bucket by bucket give it too."""

import numpy as np
import pandas as pd
import polars as pl
import pytest

import channelwise as cw
from _eventlog import event_log

DAY = 86_400
CHANNELS = ["search", "email", "display", "social", "direct"]


def log(n: int, seed: int):
    return event_log(n, seed, CHANNELS)


@pytest.mark.parametrize("lead_kind", [None, "lead"])
def test_merged_parts_equal_the_whole(lead_kind):
    touches, conversions = log(40_000, 3)
    kw = dict(lookback=7 * DAY, lead_kind=lead_kind)
    whole = cw.journey.path_table(touches, conversions, **kw)
    part = touches["user_id"].str[-1].isin(list("0123"))
    cpart = conversions["user_id"].str[-1].isin(list("0123"))
    a = cw.journey.path_table(touches[part], conversions[cpart], **kw)
    b = cw.journey.path_table(touches[~part], conversions[~cpart], **kw)
    got = cw.journey.merge([b, a])
    want = cw.journey.merge([whole])
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert len(want) == len(whole) and want["conversions"].sum() == whole["conversions"].sum()
    # polars in, polars out: the same rows
    got_pl = cw.journey.merge([pl.from_pandas(a), pl.from_pandas(b)])
    pd.testing.assert_frame_equal(got_pl.to_pandas(), want, check_exact=True, check_dtype=False)


def test_polars_lazy_buckets_equal_the_whole(tmp_path):
    touches, conversions = log(60_000, 4)
    touches.to_parquet(tmp_path / "t.parquet")
    conversions.to_parquet(tmp_path / "c.parquet")
    got = cw.journey.path_table_in_buckets(pl.scan_parquet(tmp_path / "t.parquet"), pl.scan_parquet(tmp_path / "c.parquet"), buckets=7, lookback=3 * DAY)
    want = cw.journey.merge([cw.journey.path_table(touches, conversions, lookback=3 * DAY)])
    pd.testing.assert_frame_equal(got.to_pandas(), want, check_exact=True, check_dtype=False)
    # and the credit on it is the credit on the whole
    pd.testing.assert_frame_equal(cw.attribution.markov(got.to_pandas()), cw.attribution.markov(want), check_exact=True)


def test_bad_input():
    with pytest.raises(cw.NotEnoughDataError):
        cw.journey.merge([])
    t = pd.DataFrame({"path": ["a"], "conversions": [1.0], "nulls": [0.0], "value": [1.0]})
    with pytest.raises(ValueError, match=r"tables\[1\]\.key_touch: in some tables but not all"):
        cw.journey.merge([t, t.assign(key_touch=pd.array([0], dtype="Int64"))])
    # a table without nulls (or value) has zeros there, as markov reads it and JS merges it
    pd.testing.assert_frame_equal(cw.journey.merge([t, t.drop(columns="nulls")]), cw.journey.merge([t, t.assign(nulls=0.0)]))
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid tables\[1\]\.path column: "path" \(not found'):
        cw.journey.merge([t, t.drop(columns="path")])
    with pytest.raises(cw.InvalidParameterError, match="buckets"):
        cw.journey.path_table_in_buckets(pl.LazyFrame(), pl.LazyFrame(), buckets=0)


def test_merge_checks_every_table_as_the_core_does():
    # Each table is read and checked as attribution.markov reads one (the core's PathTable),
    # the error naming the table; before, pandas summed a NaN count as 0, kept inf and negative
    # counts, and made a row of a missing path.
    t = pd.DataFrame({"path": ["a>b", "b"], "conversions": [1.0, 2.0], "nulls": [1.0, 0.0], "value": [10.0, 5.0]})
    with pytest.raises(cw.NonFiniteError, match=r"^tables\[1\]\.conversions\[1\] must be finite, got NaN"):
        cw.journey.merge([t, t.assign(conversions=[1.0, np.nan])])
    with pytest.raises(cw.OutOfRangeError, match=r"^tables\[1\]\.nulls\[0\] must be in \[0, inf\]"):
        cw.journey.merge([t, t.assign(nulls=[-1.0, 0.0])])
    with pytest.raises(cw.NonFiniteError, match=r"^tables\[0\]\.value\[0\] must be finite, got inf"):
        cw.journey.merge([t.assign(value=[np.inf, 0.0])])
    with pytest.raises(cw.InvalidPathError, match=r"^tables\[1\]: invalid path in row 1"):
        cw.journey.merge([t, t.assign(path=["a", None])])
    with pytest.raises(cw.InvalidPathError, match=r"^tables\[0\]: invalid path in row 0"):
        cw.journey.merge([t.assign(path=["a>>b", "b"])])
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid tables\[1\]\.conversions column: "conversions"'):
        cw.journey.merge([t, t.drop(columns="conversions")])
    # paths are parsed, so spacing around the separator is one path, not two rows (hand-derived)
    got = cw.journey.merge([t, t.assign(path=["a > b", " b "])])
    assert got.to_dict("list") == {"path": ["a>b", "b"], "conversions": [2.0, 4.0], "nulls": [2.0, 0.0], "value": [20.0, 10.0]}
    # records, with the defaults JS rows have
    got = cw.journey.merge([[{"path": "b", "conversions": 1}, {"path": "a>b", "conversions": 2, "nulls": 3}]])
    assert got.to_dict("list") == {"path": ["a>b", "b"], "conversions": [2.0, 1.0], "nulls": [3.0, 0.0], "value": [0.0, 0.0]}
