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
    with pytest.raises(KeyError, match=r"tables\[1\]: no column 'nulls'"):
        cw.journey.merge([t, t.drop(columns="nulls")])
    with pytest.raises(cw.InvalidParameterError, match="buckets"):
        cw.journey.path_table_in_buckets(pl.LazyFrame(), pl.LazyFrame(), buckets=0)
