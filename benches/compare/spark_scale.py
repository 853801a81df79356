"""The Spark route at scale (issue 17): a seeded 10M-event log as parquet, its path table built by
cw.spark in local mode and by cw.journey on one process, timed in the same run, and checked equal.

    .venv/bin/python benches/compare/spark_scale.py [--events 10000000] [--cores 2]

Needs pyspark and Java (bindings-python/test.sh installs both). Prints one JSON line per route.
"""

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bindings-python", "tests"))
from _eventlog import event_log  # noqa: E402

import channelwise as cw  # noqa: E402
import channelwise.spark as cws  # noqa: E402

CHANNELS = ["search", "email", "display", "social", "direct", "affiliate", "video", "podcast"]
DAY = 86_400


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--cores", type=int, default=2)
    args = ap.parse_args()
    touches, conversions = event_log(args.events, 11, CHANNELS, days=90, per_user=10)
    conversions = conversions.drop(columns="type")
    n = len(touches) + len(conversions)
    with tempfile.TemporaryDirectory() as d:
        tp, cp = os.path.join(d, "t.parquet"), os.path.join(d, "c.parquet")
        touches.to_parquet(tp)
        conversions.to_parquet(cp)

        t0 = time.perf_counter()
        one = cw.journey.path_table(touches, conversions, lookback=14 * DAY, campaign=None, cost=None, event_id=None, conversion_type=None)
        single = time.perf_counter() - t0
        one = one.sort_values("path", kind="stable").reset_index(drop=True)
        print(json.dumps({"route": "cw.journey.path_table (one process, frames in memory)", "events": n, "seconds": round(single, 2), "events_per_second": round(n / single)}))

        os.environ["PYSPARK_PYTHON"] = sys.executable
        from pyspark.sql import SparkSession

        t0 = time.perf_counter()
        spark = (
            SparkSession.builder.master(f"local[{args.cores}]")
            .config("spark.sql.shuffle.partitions", str(4 * args.cores))
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        start = time.perf_counter() - t0
        t0 = time.perf_counter()
        got = cws.path_table(spark.read.parquet(tp), spark.read.parquet(cp), lookback=14 * DAY, buckets=8 * args.cores).toPandas()
        secs = time.perf_counter() - t0
        spark.stop()
        pd.testing.assert_frame_equal(got, one, check_exact=True)
        print(
            json.dumps(
                {
                    "route": f"cw.spark.path_table (local[{args.cores}], parquet in, table collected)",
                    "events": n,
                    "seconds": round(secs, 2),
                    "events_per_second": round(n / secs),
                    "session_start_seconds": round(start, 2),
                    "equal_to_one_process": True,
                    "paths": len(got),
                }
            )
        )


if __name__ == "__main__":
    main()
