"""Journeys: event logs to a path table, channelwise against DuckDB running the warehouse recipe
(`sql/path_table.sql`, the same rows, checked equal here), one run, each as a ratio.

    python benches/compare/journey.py [--sizes 1000000,5000000] [--repeat 3] [--stacks python,node,wasm]

Both get the same seeded pandas frames (`bindings-python/tests/_eventlog.py`: 90 days, ~10
events per user, 85% touches, five channels, a 30-day lookback) already in memory and return a
pandas DataFrame: `cw.journey.path_table(touches, conversions)` on one thread, and DuckDB's query
over the registered frames with `.df()` on all of the machine's threads (2 here). Best of
`--repeat` calls each, interleaved. Needs duckdb (`pip install duckdb`); the result goes to
`benches/compare/results/journey.json`.

`--stacks` adds the JS packages (`node`: the addon, built by `bindings-node/scripts/build.mjs`;
`wasm`: the WebAssembly build run in Node, built by `bindings-wasm/build.sh`). They get the
same log as CSV files, split into JS columns before timing (`journey.mjs`), and their tables
are checked equal to Python's too; each is timed again on the log as rows (an array of objects),
and on `journey.merge` of its path table's two halves.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bindings-python", "tests"))

import channelwise as cw  # noqa: E402
import duckdb  # noqa: E402
from _eventlog import event_log  # noqa: E402

DAY = 86_400
LOOKBACK = 30 * DAY
CHANNELS = ["search", "email", "display", "social", "direct"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,5000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stacks", default="python", help="python, plus node and/or wasm")
    args = ap.parse_args()
    js = [s for s in args.stacks.split(",") if s != "python"]
    sql = open(os.path.join(ROOT, "sql", "path_table.sql")).read().replace(":lookback", str(LOOKBACK))
    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        touches, conversions = event_log(n, 1, CHANNELS, days=90, per_user=10)
        conversions = conversions.drop(columns="type")
        con.register("touchpoints", touches.assign(seq=np.arange(len(touches))))
        con.register("conversions", conversions.assign(seq=np.arange(len(conversions))))
        best = {"channelwise": float("inf"), "duckdb": float("inf")}
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            ours = cw.journey.path_table(touches, conversions, lookback=LOOKBACK, campaign=None, cost=None, event_id=None, conversion_type=None)
            best["channelwise"] = min(best["channelwise"], time.perf_counter() - t0)
            t0 = time.perf_counter()
            theirs = con.execute(sql).df()
            best["duckdb"] = min(best["duckdb"], time.perf_counter() - t0)
        a = ours.sort_values("path", kind="stable").reset_index(drop=True)
        b = theirs.sort_values("path", kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        row = {"events": len(touches) + len(conversions), "rows": len(a), "channelwise_s": round(best["channelwise"], 4),
               "duckdb_s": round(best["duckdb"], 4), "duckdb_threads": int(threads),
               "ratio": round(best["duckdb"] / best["channelwise"], 2)}
        for stack, (seconds, rows_seconds, merge_seconds) in js_stacks(js, touches, conversions, a, args.repeat).items():
            row[f"{stack}_s"] = round(seconds, 4)
            row[f"{stack}_rows_s"] = round(rows_seconds, 4)
            row[f"{stack}_merge_s"] = round(merge_seconds, 4)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n| events | path rows | channelwise, 1 thread (s) | DuckDB, {threads} threads (s) | DuckDB / channelwise |"
          + "".join(f" {s}, 1 thread (s) | {s} from rows (s) | {s} merge (s) |" for s in js))
    print("|---:|---:|---:|---:|---:|" + "---:|---:|---:|" * len(js))
    for r in rows:
        print(f"| {r['events']:,} | {r['rows']:,} | {r['channelwise_s']:.3f} | {r['duckdb_s']:.3f} | {r['ratio']:.1f}x |"
              + "".join(f" {r[s + '_s']:.3f} | {r[s + '_rows_s']:.3f} | {r[s + '_merge_s']:.3f} |" for s in js))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "journey.json"), "w") as f:
        json.dump({"duckdb": duckdb.__version__, "pandas": pd.__version__, "rows": rows}, f, indent=1)
        f.write("\n")


def js_stacks(stacks, touches, conversions, expected, repeat):
    """(seconds, seconds from rows, seconds of `journey.merge` of the path table's two halves) per
    JS stack for the same log (best of `repeat` calls), each table checked equal to `expected`
    (Python's, sorted by path); `journey.mjs` checks the table from rows equal to the one from
    columns, and the merged halves equal to the table."""
    out = {}
    if not stacks:
        return out
    with tempfile.TemporaryDirectory() as tmp:
        t_csv, c_csv = os.path.join(tmp, "touches.csv"), os.path.join(tmp, "conversions.csv")
        touches[["user_id", "timestamp", "channel"]].to_csv(t_csv, index=False)
        conversions[["user_id", "timestamp", "value"]].to_csv(c_csv, index=False)
        for stack in stacks:
            table = os.path.join(tmp, f"{stack}.json")
            cmd = ["node", os.path.join(HERE, "journey.mjs"), stack, t_csv, c_csv, str(LOOKBACK), table, str(repeat)]
            p = subprocess.run(cmd, capture_output=True, text=True, check=True)
            got = json.loads(p.stdout.strip().splitlines()[-1])
            out[stack] = (got["seconds"], got["rowsSeconds"], got["mergeSeconds"])
            with open(table) as f:
                got = pd.DataFrame(json.load(f)).sort_values("path", kind="stable").reset_index(drop=True)
            pd.testing.assert_frame_equal(got, expected[list(got.columns)], check_exact=True, check_dtype=False)
    return out


if __name__ == "__main__":
    main()
