"""Times cw.attribution.markov(df, order=1) on a path CSV (argv[1]), loaded with pandas first.

Prints {"stack": "python", "seconds": s}: the best of 3 calls, conversion of the frame included
(that is the binding's overhead on top of the core's solve).
"""

import json
import sys
import time

import pandas as pd

import channelwise as cw


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python bench_overhead.py PATHS.csv")
    df = pd.read_csv(sys.argv[1])
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        cw.attribution.markov(df, order=1)
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"stack": "python", "seconds": best}))


if __name__ == "__main__":
    main()
