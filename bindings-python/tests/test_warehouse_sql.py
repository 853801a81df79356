"""The warehouse recipe (sql/path_table.sql) gives channelwise's path table exactly: run in
DuckDB (embedded) on seeded logs and compared with cw.journey.path_table."""

import pathlib

import numpy as np
import pandas as pd
import pytest

import channelwise as cw
from _eventlog import event_log

duckdb = pytest.importorskip("duckdb")

SQL = (pathlib.Path(__file__).resolve().parents[2] / "sql" / "path_table.sql").read_text()
CHANNELS = ["search", "email", "display", "social", " direct "]  # names are trimmed
DAY = 86_400


def log(n: int, seed: int):
    # hourly times, so that ties (same second: touch and conversion, two conversions) happen
    return event_log(n, seed, CHANNELS, days=400 * 3600 // DAY, step=3600)


@pytest.mark.parametrize("seed,n,lookback", [(1, 2_000, 7 * DAY), (2, 50_000, 2 * DAY), (3, 200_000, 30 * DAY), (4, 20_000, 0)])
def test_the_sql_builds_the_same_path_table(seed, n, lookback):
    touches, conversions = log(n, seed)
    want = cw.journey.path_table(touches, conversions, lookback=lookback, campaign=None, cost=None, event_id=None, conversion_type=None)
    want = want.sort_values("path", kind="stable").reset_index(drop=True)
    con = duckdb.connect()
    con.register("touchpoints", touches.assign(seq=np.arange(len(touches))))
    con.register("conversions", conversions.drop(columns="type").assign(seq=np.arange(len(conversions))))
    got = con.execute(SQL.replace(":lookback", str(int(lookback)))).df()
    got = got.sort_values("path", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert want["nulls"].sum() > 0 and want["conversions"].sum() > 0
