"""The warehouse recipe (sql/path_table.sql) gives channelwise's path table exactly: run in
DuckDB (embedded) on seeded logs and compared with cw.journey.path_table."""

import pathlib

import numpy as np
import pandas as pd
import pytest

import channelwise as cw

duckdb = pytest.importorskip("duckdb")

SQL = (pathlib.Path(__file__).resolve().parents[2] / "sql" / "path_table.sql").read_text()
CHANNELS = ["search", "email", "display", "social", " direct "]  # names are trimmed
DAY = 86_400


def log(n: int, seed: int):
    rng = np.random.default_rng(seed)
    users = max(1, n // 8)
    n_t, n_c = int(n * 0.85), n - int(n * 0.85)
    # coarse times so that ties (same second, touch and conversion, two conversions) happen
    touches = pd.DataFrame(
        {
            "user_id": np.char.add("u", rng.integers(0, users, n_t).astype(str)),
            "timestamp": rng.integers(0, 400, n_t) * 3600,
            "channel": np.array(CHANNELS)[rng.integers(0, len(CHANNELS), n_t)],
        }
    )
    conversions = pd.DataFrame(
        {
            "user_id": np.char.add("u", rng.integers(0, users, n_c).astype(str)),
            "timestamp": rng.integers(0, 400, n_c) * 3600,
            "value": rng.integers(0, 50_000, n_c).astype(np.float64),
        }
    )
    return touches, conversions


@pytest.mark.parametrize("seed,n,lookback", [(1, 2_000, 7 * DAY), (2, 50_000, 2 * DAY), (3, 200_000, 30 * DAY), (4, 20_000, 0)])
def test_the_sql_builds_the_same_path_table(seed, n, lookback):
    touches, conversions = log(n, seed)
    want = cw.journey.path_table(touches, conversions, lookback=lookback, campaign=None, cost=None, event_id=None, conversion_type=None)
    want = want.sort_values("path", kind="stable").reset_index(drop=True)
    con = duckdb.connect()
    con.register("touchpoints", touches.assign(seq=np.arange(len(touches))))
    con.register("conversions", conversions.assign(seq=np.arange(len(conversions))))
    got = con.execute(SQL.replace(":lookback", str(int(lookback)))).df()
    got = got.sort_values("path", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert want["nulls"].sum() > 0 and want["conversions"].sum() > 0
