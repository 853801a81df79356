"""Times cw.attribution.markov(df, order=1) on a path CSV (argv[1]), loaded with pandas first.

Prints {"stack": "python", "seconds": s, "route": ..., "pandas": ..., "pyarrow": ...}: the best
of 3 calls, conversion of the frame included (that is the binding's overhead on top of the
core's solve), and which route the path column took: "arrow" (pandas with pyarrow: the Arrow
buffers read in place) or "objects" (pandas without pyarrow: one Python str per row).
"""

import json
import sys
import time

import pandas as pd

import channelwise as cw
from channelwise import _frames


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python bench_overhead.py PATHS.csv")
    df = pd.read_csv(sys.argv[1])
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        cw.attribution.markov(df, order=1)
        best = min(best, time.perf_counter() - t0)
    try:
        import pyarrow

        arrow = pyarrow.__version__
    except ImportError:
        arrow = None
    route = "arrow" if _frames.arrow_chunks(df["path"]) is not None else "objects"
    print(json.dumps({"stack": "python", "seconds": best, "route": route,
                      "pandas": pd.__version__, "pyarrow": arrow}))


if __name__ == "__main__":
    main()
