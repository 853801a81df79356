"""Time STL and MSTL in statsmodels and channelwise in the same run, and check they agree.

    /opt/cwvenv/bin/python benches/compare/decompose.py [--sizes 144,1000,10000] [--repeat 5]
                                                        [--cw-bin PATH]

For each size a seeded synthetic series (trend + period-12 and period-168 cycles + noise +
1% spikes; numpy PCG64, seed 7) is written to a temporary file.  statsmodels is timed in this
process (best of --repeat fits, `STL(y, period=12, robust=r).fit()` and
`MSTL(y, periods=(12, 168), stl_kwargs={"robust": r}).fit()`); channelwise is timed inside
`cw-decompose` (best of --repeat fits in-process, reading excluded), so both sides measure the
fit alone.  Printed: a markdown table with both times, the ratio statsmodels / channelwise
(> 1 means channelwise is faster) and the largest absolute difference of any component.

Build the binary first: cargo build --release -p channelwise-benches --bin cw-decompose
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import statsmodels
from statsmodels.tsa.seasonal import MSTL, STL

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CW_CANDIDATES = [os.path.join(ROOT, "target", "release", "cw-decompose"),
                 os.path.join(ROOT, "benches", "target", "release", "cw-decompose")]


def series(n: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    y = (100 + 0.01 * t + 5 * np.sin(2 * np.pi * t / 12) + 3 * np.sin(2 * np.pi * t / 168)
         + rng.normal(size=n))
    spikes = rng.random(n) < 0.01
    y[spikes] += 15
    return y


def best_of(repeat: int, fn):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def run_cw(cw: str, path: str, args: list[str], repeat: int) -> dict:
    p = subprocess.run([cw, path, *args, "--repeat", str(repeat)], capture_output=True, text=True,
                       check=True)
    return json.loads(p.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="144,1000,10000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cw-bin", default=None)
    a = ap.parse_args()
    cw = a.cw_bin or next((c for c in CW_CANDIDATES if os.path.exists(c)), None)
    if cw is None:
        raise SystemExit("cw-decompose not found: cargo build --release -p channelwise-benches --bin cw-decompose")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in a.sizes.split(",")]:
            y = series(n)
            path = os.path.join(tmp, f"y{n}.txt")
            np.savetxt(path, y, fmt="%.17g")
            for robust in (False, True):
                sm_t, res = best_of(a.repeat, lambda: STL(y, period=12, robust=robust).fit())
                c = run_cw(cw, path, ["--method", "stl", "--period", "12"] + (["--robust"] if robust else []),
                           a.repeat)
                diff = max(float(np.max(np.abs(np.asarray(c["result"][k]) - np.asarray(getattr(res, k)))))
                           for k in ("trend", "seasonal", "resid", "weights"))
                rows.append((f"STL p=12{' robust' if robust else ''}", n, sm_t, c["seconds"], diff))
                if n > 2 * 168:
                    sm_t, res = best_of(a.repeat, lambda: MSTL(y, periods=(12, 168),
                                                                 stl_kwargs={"robust": robust}).fit())
                    c = run_cw(cw, path, ["--method", "mstl", "--periods", "12,168"]
                               + (["--robust"] if robust else []), a.repeat)
                    seas = np.asarray(res.seasonal)
                    diff = max(
                        float(np.max(np.abs(np.asarray(c["result"]["trend"]) - np.asarray(res.trend)))),
                        float(np.max(np.abs(np.asarray(c["result"]["resid"]) - np.asarray(res.resid)))),
                        float(np.max(np.abs(np.asarray(c["result"]["seasonal_12"]) - seas[:, 0]))),
                        float(np.max(np.abs(np.asarray(c["result"]["seasonal_168"]) - seas[:, 1]))))
                    rows.append((f"MSTL (12, 168){' robust' if robust else ''}", n, sm_t, c["seconds"], diff))
    print(f"statsmodels {statsmodels.__version__} vs channelwise (best of {a.repeat}, fit only)\n")
    print("| case | n | statsmodels ms | channelwise ms | ratio (sm / cw) | max abs diff |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, n, s, c, d in rows:
        print(f"| {name} | {n} | {s * 1e3:.3f} | {c * 1e3:.3f} | {s / c:.1f}x | {d:.1e} |")


if __name__ == "__main__":
    main()
