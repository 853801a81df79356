"""cw.spark: journeys and RFM built inside Spark (local[2]) give the single-machine numbers.

Needs pyspark and Java; skipped without them unless CW_REQUIRE_SPARK=1 (what .ci/run sets, so CI
cannot skip it). CW_SPARK_EVENTS sets the size of the seeded log (default 2,000,000 events).
"""

import os
import shutil
import sys

import numpy as np
import pandas as pd
import pytest

import channelwise as cw

REQUIRED = os.environ.get("CW_REQUIRE_SPARK") == "1"
try:
    import pyspark  # noqa: F401
    from pyspark.sql import SparkSession

    HAVE = shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
except ImportError:  # pragma: no cover
    HAVE = False
if not HAVE and not REQUIRED:
    pytest.skip("pyspark or java not installed (CW_REQUIRE_SPARK=1 makes this a failure)", allow_module_level=True)

import channelwise.spark as cws  # noqa: E402
from _eventlog import event_log  # noqa: E402

CHANNELS = ["search", "email", "display", "social", "direct", "affiliate", "video", "podcast"]
DAY = 86_400
EVENTS = int(os.environ.get("CW_SPARK_EVENTS", "2000000"))


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("channelwise-tests")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def log():
    return event_log(EVENTS, 17, CHANNELS, days=90, per_user=10)


def by_path(df: pd.DataFrame, keys=("path",)) -> pd.DataFrame:
    return df.sort_values(list(keys), kind="stable", na_position="first").reset_index(drop=True)


def test_path_table_equals_the_single_machine_one(spark, log):
    touches, conversions = log
    one = by_path(cw.journey.path_table(touches, conversions, lookback=14 * DAY, campaign=None, cost=None, event_id=None, conversion_type=None))
    st = cws.path_table(spark.createDataFrame(touches), spark.createDataFrame(conversions), lookback=14 * DAY, buckets=16)
    got = st.toPandas()
    pd.testing.assert_frame_equal(got, one, check_exact=True)
    assert got["conversions"].sum() > 0.5 * len(conversions)  # not a degenerate log
    # the credits of the two tables agree to the last bit
    for model in (lambda t: cw.attribution.markov(t, order=1), lambda t: cw.attribution.heuristics(t)):
        pd.testing.assert_frame_equal(model(got), model(one), check_exact=True)


def test_leads_key_touches_and_sessions(spark, log):
    touches, conversions = (x.iloc[: len(x) // 5] for x in log)
    kw = dict(lookback=30 * DAY, session_gap=3600, lead_kind="lead")
    one = by_path(cw.journey.path_table(touches, conversions, campaign=None, cost=None, event_id=None, **kw), ("path", "key_touch"))
    got = cws.path_table(spark.createDataFrame(touches), spark.createDataFrame(conversions), conversion_type="type", buckets=8, **kw).toPandas()
    one["key_touch"] = one["key_touch"].astype("float64")
    pd.testing.assert_frame_equal(got, one, check_exact=True, check_dtype=False)
    assert got["key_touch"].notna().any()


def test_rfm_and_the_clv_fit_equal_the_single_machine_ones(spark):
    # a BG/NBD-like log: each customer buys at a gamma-distributed rate and may drop out after
    # each purchase (beta-distributed), so the fit has an interior optimum
    rng = np.random.default_rng(5)
    customers = max(200, EVENTS // 40)
    ids, days = [], []
    lam = rng.gamma(0.8, 1 / 20, customers)  # purchases per day
    p = rng.beta(1.0, 4.0, customers)
    for i in range(customers):
        t = rng.uniform(0, 120)
        while t < 365:
            ids.append(f"c{i}")
            days.append(t)
            if rng.random() < p[i]:
                break
            t += rng.exponential(1 / lam[i])
    n = len(ids)
    tx = pd.DataFrame(
        {
            "customer_id": ids,
            "date": pd.to_datetime((np.array(days) * DAY).astype(np.int64), unit="s"),
            "spend": np.round(rng.gamma(2.0, 30.0, n), 2),  # not whole numbers: each row is computed whole
        }
    )
    one = cw.clv.rfm(tx, monetary_value="spend", freq="W")
    got = cws.rfm(spark.createDataFrame(tx), monetary_value="spend", freq="W", buckets=8).toPandas()
    pd.testing.assert_frame_equal(got, one.reset_index(drop=True), check_exact=True)
    # the fit on counts of (frequency, recency, T) triples, counted by Spark, is the fit on rows
    triples = (
        cws.rfm(spark.createDataFrame(tx), freq="W", buckets=8).groupBy("frequency", "recency", "T").count().orderBy("frequency", "recency", "T").toPandas()
    )
    full = cw.clv.BetaGeo().fit(one)
    weighted = cw.clv.BetaGeo().fit(triples, weights="count")
    for k in ("r", "alpha", "a", "b"):
        assert weighted.params[k] == pytest.approx(full.params[k], rel=1e-6), k


def test_bad_input_is_named_from_inside_spark(spark):
    touches = pd.DataFrame({"user_id": ["a", None], "timestamp": [0, 5], "channel": ["search", "email"]})
    conversions = pd.DataFrame({"user_id": ["a"], "timestamp": [9], "value": [1.0]})
    with pytest.raises(Exception, match=r"touchpoints\.user_id: a null value, in the row .*'email'"):
        cws.path_table(spark.createDataFrame(touches), spark.createDataFrame(conversions), buckets=2).collect()
    touches = pd.DataFrame({"uid": ["a", "b"], "timestamp": [0, 5], "channel": ["search", "paid>social"]})
    conversions = pd.DataFrame({"uid": ["a"], "timestamp": [9], "value": [1.0]})
    with pytest.raises(Exception, match=r"touchpoints\.channel: the channel 'paid>social' holds the separator '>'.*user 'b'"):
        cws.path_table(spark.createDataFrame(touches), spark.createDataFrame(conversions), user_id="uid", buckets=2).collect()
    with pytest.raises(KeyError, match=r"conversions\.value: column 'value' is not in the DataFrame"):
        cws.path_table(spark.createDataFrame(touches), spark.createDataFrame(conversions.drop(columns="value")), user_id="uid")
    tx = pd.DataFrame({"customer_id": ["a", "b"], "date": [0.0, None]})
    with pytest.raises(Exception, match=r"transactions\.date: a null value"):
        cws.rfm(spark.createDataFrame(tx), observation_end=10, buckets=1).collect()


def test_readme_python_spark(spark, tmp_path):
    pd_touches, pd_conversions = event_log(20_000, 3, CHANNELS, days=30)
    pd_touches.to_parquet(tmp_path / "touchpoints.parquet")
    pd_conversions.drop(columns="type").to_parquet(tmp_path / "conversions.parquet")
    events_dir = str(tmp_path)
    # START: readme-python-spark
    import channelwise as cw
    import channelwise.spark as cws

    # spark = SparkSession.builder.master("spark://...").getOrCreate()  # or local[*]
    touchpoints = spark.read.parquet(f"{events_dir}/touchpoints.parquet")
    conversions = spark.read.parquet(f"{events_dir}/conversions.parquet")
    table = cws.path_table(touchpoints, conversions, lookback=14 * 86_400)  # built in Spark
    credit = cw.attribution.markov(table.toPandas(), order=1)  # solved once, here
    # END: readme-python-spark
    one = cw.journey.path_table(pd_touches, pd_conversions, lookback=14 * 86_400, campaign=None, cost=None, event_id=None, conversion_type=None)
    pd.testing.assert_frame_equal(credit, cw.attribution.markov(by_path(one), order=1), check_exact=True)
