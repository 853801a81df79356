"""Benchmark channelwise against ChannelAttribution 2.2.5 on the same files, in the same run.

    /opt/cwvenv/bin/python benches/compare/attribution.py [--sizes 10000,100000] [--orders 1,2,3]
                                                          [--quick] [--cw-bin PATH]

For each size a synthetic path table is generated (gen_paths.py, seeded; cached in
benches/data/).  Every measurement runs in its own child process; wall time is measured
around the child and peak RSS comes from the child's rusage (os.wait4 -> ru_maxrss), so the
numbers include reading the CSV and process start-up for both sides.  The Python side also
reports the time spent inside the CA call alone.

* CA: ``heuristic_models`` and ``markov_model(order=k)`` with CA's defaults (nsim_start=1e5,
  ncore=1, max_step=None), var_null and var_value given.
* channelwise: ``cw-attribution <csv> --model heuristics|markov --order K [--horizon ca]``
  (the Rust CLI in the ``benches`` crate, printing JSON).  Markov is timed twice: with
  ``--horizon ca`` (the truncated chain CA simulates; used for the agreement check) and with
  the default exact horizon.  If the binary is missing the channelwise half is skipped.

Printed: a markdown table with CA time / channelwise time and CA peak MB / channelwise peak
MB, and the agreement between the two: max |diff| of heuristic credits (exact, should be
~1e-9) and of Markov credits (CA is a simulation, so differences of ~1% of a channel's credit
are Monte-Carlo noise; CA reports a single fold of nsim/nfold = 1e4 journeys by default).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

CW_CANDIDATES = [os.path.join(ROOT, "benches", "target", "release", "cw-attribution"),
                 os.path.join(ROOT, "target", "release", "cw-attribution")]


# --------------------------------------------------------------------------------------------
# Child process runner
# --------------------------------------------------------------------------------------------


def run_child(cmd: list[str]) -> tuple[float, float, str, str, int]:
    """Run cmd; return (wall seconds, peak RSS MB, stdout, stderr, exit code)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (wall, ru.ru_maxrss / 1024.0, out.read().decode(), err.read().decode(),
                p.returncode)


# --------------------------------------------------------------------------------------------
# CA worker (runs in the child)
# --------------------------------------------------------------------------------------------


def ca_worker(csv: str, model: str, order: int, nsim: float, ncore: int) -> None:
    import contextlib
    import io

    import pandas as pd

    with contextlib.redirect_stdout(io.StringIO()):
        import ChannelAttribution as ca
    df = pd.read_csv(csv)
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        if model == "heuristics":
            r = ca.heuristic_models(df, "path", "conversions", var_value="value", flg_pro=False)
            r = r.rename(columns={"channel_name": "channel",
                                  "linear_touch_conversions": "linear_conversions",
                                  "linear_touch_value": "linear_value"})
        else:
            r = ca.markov_model(df, "path", "conversions", var_value="value", var_null="nulls",
                                order=order, nsim_start=nsim, ncore=ncore, flg_pro=False,
                                verbose=False)
            r = r.rename(columns={"channel_name": "channel", "total_conversions": "conversions",
                                  "total_conversion_value": "value"})
    secs = time.perf_counter() - t0
    cols = {c: r[c].tolist() for c in r.columns}
    json.dump({"seconds_in_call": secs, "result": cols}, sys.stdout)


# --------------------------------------------------------------------------------------------
# channelwise output parsing (tolerant of a few reasonable JSON layouts)
# --------------------------------------------------------------------------------------------


def to_columns(obj) -> dict[str, list]:
    """Normalise cw JSON to {"channel": [...], col: [...]}.

    Accepts columns ({"channel": [..], "conversions": [..]}), records ([{"channel": ..}, ..]),
    or either nested under "result"/"results"/"credit"; heuristics may be nested per rule
    ({"first_touch": {"conversions": [..], ...}, ...}) and are flattened to first_touch_*.
    """
    if isinstance(obj, dict):
        for key in ("result", "results", "credit"):
            if key in obj and not ("channel" in obj or "channels" in obj):
                return to_columns(obj[key])
        if "channels" in obj and "channel" not in obj:
            obj = dict(obj, channel=obj["channels"])
        flat = {}
        for k, v in obj.items():
            if isinstance(v, dict):  # per-rule nesting
                for kk, vv in v.items():
                    if isinstance(vv, list):
                        flat[f"{k}_{kk}"] = vv
                    if kk in ("channel", "channels") and "channel" not in obj:
                        flat["channel"] = vv
            elif isinstance(v, list):
                flat[k] = v
        return flat
    if isinstance(obj, list):
        cols: dict[str, list] = {}
        for rec in obj:
            for k, v in rec.items():
                cols.setdefault(k, []).append(v)
        return cols
    raise ValueError("unrecognised channelwise JSON")


def by_channel(cols: dict, col: str) -> dict[str, float]:
    return dict(zip(cols["channel"], (float(x) for x in cols[col])))


def max_abs_diff(a: dict, b: dict, col_a: str, col_b: str | None = None):
    """max over channels of |a - b| for one column; (diff, channel)."""
    col_b = col_b or col_a
    if col_a not in a or col_b not in b:
        return None
    da, db = by_channel(a, col_a), by_channel(b, col_b)
    worst = (0.0, "–")
    for c in set(da) | set(db):
        d = abs(da.get(c, 0.0) - db.get(c, 0.0))
        if d > worst[0]:
            worst = (d, c)
    return worst


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def find_cw(explicit: str | None) -> str | None:
    for cand in ([explicit] if explicit else []) + [os.environ.get("CW_ATTRIBUTION_BIN")] + \
            CW_CANDIDATES:
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return shutil.which("cw-attribution")


def fmt(x, spec=".2f"):
    return "–" if x is None else format(x, spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000",
                    help="comma-separated numbers of distinct paths (e.g. 10000,100000,1000000)")
    ap.add_argument("--orders", default="1,2,3", help="Markov orders")
    ap.add_argument("--quick", action="store_true",
                    help="smallest size only, order 1 only, no exact-horizon channelwise run")
    ap.add_argument("--channels", type=int, default=12)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--nsim", type=float, default=1e5, help="CA nsim_start (CA default 1e5)")
    ap.add_argument("--ncore", type=int, default=1, help="CA ncore (CA default 1)")
    ap.add_argument("--cw-bin", default=None, help="path to cw-attribution")
    ap.add_argument("--worker", nargs=5, metavar=("CSV", "MODEL", "ORDER", "NSIM", "NCORE"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        csv, model, order, nsim, ncore = args.worker
        ca_worker(csv, model, int(order), float(nsim), int(ncore))
        return

    import gen_paths

    sizes = [int(s) for s in args.sizes.split(",")]
    orders = [int(o) for o in args.orders.split(",")]
    if args.quick:
        sizes, orders = sizes[:1], orders[:1]
    cw = find_cw(args.cw_bin)
    if cw is None:
        print("NOTE: channelwise CLI cw-attribution not found (looked in "
              + ", ".join(CW_CANDIDATES) + ", $CW_ATTRIBUTION_BIN and PATH). Build it with "
              "`cargo build --release -p channelwise-benches --bin cw-attribution`. "
              "Running the ChannelAttribution half only.\n", file=sys.stderr)

    rows, agree = [], []
    for n in sizes:
        t0 = time.perf_counter()
        csv = gen_paths.ensure(n, args.channels, args.seed)
        print(f"[{n}] data {csv} ({time.perf_counter() - t0:.1f}s)", file=sys.stderr)
        jobs = [("heuristics", None)] + [("markov", k) for k in orders]
        for model, k in jobs:
            label = "heuristics" if model == "heuristics" else f"markov o{k}"
            ca_cmd = [sys.executable, os.path.abspath(__file__), "--worker", csv, model,
                      str(k or 1), str(args.nsim), str(args.ncore)]
            wall, rss, out, err, rc = run_child(ca_cmd)
            if rc != 0:
                print(f"CA {label} failed:\n{err}", file=sys.stderr)
                ca_res, ca_call = None, None
            else:
                payload = json.loads(out)
                ca_res, ca_call = payload["result"], payload["seconds_in_call"]
            print(f"[{n}] CA {label}: {wall:.2f}s wall, {rss:.0f} MB", file=sys.stderr)
            ca_row = (wall, rss, ca_call)

            cw_runs = []
            if cw:
                variants = [("", [])] if model == "heuristics" else \
                    [(" (cw horizon ca)", ["--horizon", "ca"])] + \
                    ([] if args.quick else [(" (cw exact)", [])])
                for suffix, extra in variants:
                    cmd = [cw, csv, "--model", model] + (["--order", str(k)] if k else []) + extra
                    w2, r2, o2, e2, rc2 = run_child(cmd)
                    if rc2 != 0:
                        print(f"channelwise {label}{suffix} failed ({rc2}):\n{e2}", file=sys.stderr)
                        cw_runs.append((suffix, None, None, None, None))
                        continue
                    print(f"[{n}] cw {label}{suffix}: {w2:.3f}s wall, {r2:.0f} MB", file=sys.stderr)
                    try:
                        raw = json.loads(o2)
                        cols = to_columns(raw)
                        in_model = raw.get("model_seconds") if isinstance(raw, dict) else None
                    except Exception as ex:  # noqa: BLE001
                        print(f"cannot parse cw JSON for {label}: {ex}", file=sys.stderr)
                        cols, in_model = None, None
                    cw_runs.append((suffix, w2, r2, cols, in_model))
            if not cw_runs:
                cw_runs = [("", None, None, None, None)]
            for suffix, w2, r2, cols, in_model in cw_runs:
                rows.append((n, label + suffix, ca_row, w2, r2, in_model))
                if ca_res is None or cols is None:
                    continue
                if model == "heuristics":
                    for col in ("first_touch_conversions", "last_touch_conversions",
                                "linear_conversions", "first_touch_value", "last_touch_value",
                                "linear_value"):
                        d = max_abs_diff(ca_res, cols, col)
                        if d:
                            agree.append((n, label, col, d[0], d[1], None))
                elif "horizon ca" in suffix:
                    tot = sum(ca_res["conversions"])
                    for col in ("conversions", "value"):
                        d = max_abs_diff(ca_res, cols, col)
                        if d:
                            ref = by_channel(ca_res, col).get(d[1], 0.0)
                            agree.append((n, label, col, d[0], d[1],
                                          d[0] / abs(ref) if ref else None))
                    del tot

    print("\n### channelwise vs ChannelAttribution 2.2.5\n")
    print(f"Synthetic tables from gen_paths.py ({args.channels} channels, seed {args.seed}); "
          f"CA defaults (nsim_start={args.nsim:g}, ncore={args.ncore}); wall time and peak RSS "
          "of separate processes, CSV parsing included.\n")
    print("| paths | model | CA s | cw s | CA / cw time | CA s in call | cw s in model "
          "| CA / cw (in call) | CA MB | cw MB | CA / cw MB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, label, (cw_, cr, cc), w2, r2, im in rows:
        tr = cw_ / w2 if w2 else None
        tc = cc / im if (im and cc is not None) else None
        mr = cr / r2 if r2 else None
        print(f"| {n:,} | {label} | {cw_:.2f} | {fmt(w2, '.3f')} | "
              f"{fmt(tr, '.1f')}{'x' if tr else ''} | {fmt(cc, '.3f')} | {fmt(im, '.4f')} | "
              f"{fmt(tc, '.0f')}{'x' if tc else ''} | "
              f"{cr:.0f} | {fmt(r2, '.0f')} | {fmt(mr, '.1f')}{'x' if mr else ''} |")
    print("\nCA s / cw s = whole child process (start-up, imports, CSV read, model); in call / "
          "in model = the ChannelAttribution call alone / channelwise's model_seconds (no CSV).")
    if agree:
        print("\n### Agreement (max over channels of |CA - channelwise|)\n")
        print("| paths | model | column | max abs diff | channel | relative |")
        print("|---:|---|---|---:|---|---:|")
        for n, label, col, d, ch, rel in agree:
            print(f"| {n:,} | {label} | {col} | {d:.3g} | {ch} | {fmt(rel, '.2%')} |")
        print("\nHeuristics are exact on both sides. Markov: channelwise --horizon ca is the exact "
              "truncated-chain answer; CA simulates it and reports one of 10 folds of "
              f"nsim/10 = {args.nsim / 10:g} journeys, so relative differences of a few percent "
              "are CA's Monte-Carlo error (it shrinks like 1/sqrt(nsim): try --nsim 1e6).")
    elif cw is None:
        print("\n(channelwise skipped: cw-attribution not built)")


if __name__ == "__main__":
    main()
