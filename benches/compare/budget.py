"""Budget allocation: channelwise (water-filling; branch and bound for S-curves) vs scipy's SLSQP
(the solver pymc-marketing's BudgetOptimizer and Robyn's allocator run), one run.

    cargo build --release -p channelwise-benches --bin cw-budget
    /work/venv-pymc/bin/python benches/compare/budget.py [--sizes 10,100,1000,10000]
        [--slsqp-max 1000] [--slsqp-cap 900] [--s-channels 100] [--s-starts 20] [--repeat 3]

Problems: `cw-budget gen N concave|s_curve 42` (benches/src/lib.rs `synthetic_budget`, the
criterion bench's problems), written once to benches/data/budget_{kind}_{N}_s42.json and read by
both sides: concave channels in turn logistic, Michaelis-Menten and Hill with slope in [0.3, 1];
S-curves Hill with slope in [2, 4]; upper bounds 2-5 curve scales, a lower bound on every fourth
channel, budget 30% of the upper bounds' sum, spent exactly.

- channelwise: `cw-budget solve` (its own process; reading the JSON untimed), the best wall time of
  --repeat solves of `Allocate::budget(B)` (default tolerance 1e-6 for S-curves).
- SLSQP: scipy.optimize.minimize(method="SLSQP") with pymc-marketing 0.19.2's
  BudgetOptimizer.DEFAULT_MINIMIZE_KWARGS (ftol 1e-9, maxiter 1000), the analytic gradient in
  numpy (as pymc-marketing compiles one), the channel bounds and sum(x) = B, from the equal split
  B/N (pymc-marketing's default x0; scipy clips it into the bounds). Wall time of minimize(),
  best of --repeat up to 100 channels, once above; runs above --slsqp-max channels are skipped (its
  dense N x N quasi-Newton matrix: 10,000 channels is 800 MB and O(N^3) per step) and a run is
  stopped at --slsqp-cap seconds (callback raising StopIteration; reported as not converged).
  The objective is evaluated at its x clipped to the bounds; `feasible` says whether sum(x) is the
  budget to 1e-6 relative.
- S-curves: SLSQP from --s-starts random feasible starts (numpy PCG64 seed 0: uniform in the
  box, shifted onto the budget), the best objective over the starts; its time is the sum over
  the starts (what finding that best cost).

Writes benches/compare/results/budget.json; `--report <json>` prints its table again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

# one BLAS thread (before numpy loads), as mmm.py: channelwise solves on one thread, and a
# multithreaded OpenBLAS on a busy 2-core machine spins on small products. Override from outside.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BIN = os.path.join(ROOT, "target", "release", "cw-budget")
DATA = os.path.join(ROOT, "benches", "data")
RESULTS = os.path.join(HERE, "results")
SEED = 42
PYMC_KWARGS = {"ftol": 1e-9, "maxiter": 1000}  # BudgetOptimizer.DEFAULT_MINIMIZE_KWARGS


def cw(*args: str) -> dict:
    return json.loads(subprocess.run([BIN, *args], check=True, capture_output=True, text=True).stdout)


def problem(n: int, kind: str) -> tuple[str, dict]:
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, f"budget_{kind}_{n}_s{SEED}.json")
    if not os.path.exists(path):
        cw("gen", str(n), kind, str(SEED), path)
    with open(path) as fh:
        return path, json.load(fh)


class Curves:
    """The problem's curves, vectorised by kind: value and gradient of the total response."""

    def __init__(self, p: dict):
        ch = p["channels"]
        self.n = len(ch)
        self.lower = np.array([float(c["lower"]) for c in ch])
        self.upper = np.array([np.inf if c["upper"] == "Infinity" else float(c["upper"]) for c in ch])
        self.budget = float(p["params"]["budget"])
        kinds = np.array([c["curve"]["kind"] for c in ch])
        self.idx = {k: np.flatnonzero(kinds == k) for k in ("logistic", "michaelis_menten", "hill")}
        assert sum(len(v) for v in self.idx.values()) == self.n, "unexpected curve kind"
        g = lambda k, name: np.array([float(ch[i]["curve"][name]) for i in self.idx[k]])
        self.lg = (g("logistic", "lam"), g("logistic", "beta"))
        self.mm = (g("michaelis_menten", "alpha"), g("michaelis_menten", "lam"))
        self.hl = (g("hill", "slope"), g("hill", "kappa"), g("hill", "beta"))

    def value_grad(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        x = np.maximum(x, 0.0)
        grad = np.empty(self.n)
        total = 0.0
        i = self.idx["logistic"]
        lam, beta = self.lg
        t = np.tanh(0.5 * lam * x[i])
        total += (beta * t).sum()
        grad[i] = beta * 0.5 * lam * (1 - t * t)
        i = self.idx["michaelis_menten"]
        a, lm = self.mm
        total += (a * x[i] / (lm + x[i])).sum()
        grad[i] = a * lm / (lm + x[i]) ** 2
        i = self.idx["hill"]
        s, k, b = self.hl
        xi = np.maximum(x[i], 1e-12)  # keep x^(s-1) finite at 0 for s < 1
        r = (k / xi) ** s
        total += (b / (1 + r)).sum()
        grad[i] = b * s * r / (xi * (1 + r) ** 2)
        return total, grad


def slsqp(cv: Curves, x0: np.ndarray, cap: float) -> dict:
    fun = lambda x: tuple(-v for v in cv.value_grad(x))
    cons = [{"type": "eq", "fun": lambda x: x.sum() - cv.budget, "jac": lambda x: np.ones(cv.n)}]
    t0 = time.perf_counter()
    capped = [False]

    def stop(_xk):
        if time.perf_counter() - t0 > cap:
            capped[0] = True
            raise StopIteration

    r = minimize(fun, x0, jac=True, method="SLSQP", bounds=list(zip(cv.lower, cv.upper)),
                 constraints=cons, options=PYMC_KWARGS, callback=stop)
    sec = time.perf_counter() - t0
    x = np.clip(r.x, cv.lower, cv.upper)
    return {"seconds": sec, "objective": float(cv.value_grad(x)[0]), "success": bool(r.success) and not capped[0],
            "message": ("stopped at the time cap: " if capped[0] else "") + str(r.message), "nit": int(r.nit),
            "feasible": bool(abs(x.sum() - cv.budget) <= 1e-6 * cv.budget), "capped": capped[0]}


def random_start(rng, cv: Curves) -> np.ndarray:
    a, b = cv.lower, np.minimum(cv.upper, cv.lower + 10 * cv.budget)
    x = rng.uniform(a, b)
    lo, hi = -10 * cv.budget, 10 * cv.budget
    for _ in range(200):
        t = 0.5 * (lo + hi)
        lo, hi = (lo, t) if np.clip(x + t, a, b).sum() > cv.budget else (t, hi)
    return np.clip(x + 0.5 * (lo + hi), a, b)


def concave_row(n: int, a) -> dict:
    path, p = problem(n, "concave")
    c = cw("solve", path, "--repeat", str(a.repeat))
    cv = Curves(p)
    row = {"kind": "concave", "channels": n, "cw_seconds": c["seconds"], "cw_objective": c["total_response"],
           "cw_kkt_residual": c["kkt_residual"]}
    if n > a.slsqp_max:
        row["slsqp"] = None
        row["slsqp_skipped"] = f"above --slsqp-max {a.slsqp_max} channels (dense {n}x{n} quasi-Newton matrix)"
        return row
    x0 = np.full(n, cv.budget / n)
    runs = [slsqp(cv, x0, a.slsqp_cap) for _ in range(a.repeat if n <= 100 else 1)]
    best = min(runs, key=lambda r: r["seconds"])
    row["slsqp"] = best
    row["slsqp_runs"] = len(runs)
    return row


def s_row(n: int, a) -> dict:
    path, p = problem(n, "s_curve")
    c = cw("solve", path, "--repeat", str(a.repeat))
    cv = Curves(p)
    rng = np.random.default_rng(0)
    runs = [slsqp(cv, random_start(rng, cv), a.slsqp_cap) for _ in range(a.s_starts)]
    ok = [r for r in runs if r["feasible"]]
    best = max(ok or runs, key=lambda r: r["objective"])
    total = sum(r["seconds"] for r in runs)
    return {"kind": "s_curve", "channels": n, "cw_seconds": c["seconds"], "cw_objective": c["total_response"],
            "cw_nodes": c["nodes"], "cw_suboptimality": c["suboptimality"],
            "slsqp": {**best, "seconds": total, "starts": len(runs), "converged_starts": sum(r["success"] for r in runs),
                      "feasible_starts": len(ok), "objectives": sorted((r["objective"] for r in runs), reverse=True)}}


def table(res: dict) -> str:
    out = ["| curves | channels | channelwise s | SLSQP s | ratio | channelwise objective | SLSQP objective | cw >= SLSQP | SLSQP converged |",
           "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in res["rows"]:
        s = r["slsqp"]
        name = "concave" if r["kind"] == "concave" else f"S-curve (best of {s['starts']} starts)"
        if s is None:
            out.append(f"| {name} | {r['channels']:,} | {r['cw_seconds']:.2e} | skipped | - | {r['cw_objective']:.10g} | - | - | {r['slsqp_skipped']} |")
            continue
        ratio = s["seconds"] / r["cw_seconds"]
        ge = r["cw_objective"] >= s["objective"] * (1 - 1e-12)
        conv = (f"{s['converged_starts']}/{s['starts']} starts" if r["kind"] == "s_curve"
                else ("yes" if s["success"] else f"no ({s['message']})")) + ("" if s["feasible"] else ", infeasible")
        out.append(f"| {name} | {r['channels']:,} | {r['cw_seconds']:.2e} | {s['seconds']:.3g} | {ratio:,.0f}x | "
                   f"{r['cw_objective']:.10g} | {s['objective']:.10g} | {'yes' if ge else 'NO'} "
                   f"({(r['cw_objective'] - s['objective']) / abs(s['objective']):+.1e}) | {conv} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--slsqp-max", type=int, default=1000)
    ap.add_argument("--slsqp-cap", type=float, default=900.0)
    ap.add_argument("--s-channels", type=int, default=100)
    ap.add_argument("--s-starts", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--report", help="print the table of a results JSON and exit")
    a = ap.parse_args()
    if a.report:
        with open(a.report) as fh:
            print(table(json.load(fh)))
        return
    rows = []
    for n in [int(s) for s in a.sizes.split(",") if s]:
        rows.append(concave_row(n, a))
        print(table({"rows": rows[-1:]}).splitlines()[-1], file=sys.stderr, flush=True)
    if a.s_channels:
        rows.append(s_row(a.s_channels, a))
    res = {"command": " ".join(sys.argv), "machine": platform.machine(), "python": platform.python_version(),
           "scipy": scipy.__version__, "numpy": np.__version__, "cpus": os.cpu_count(),
           "slsqp_options": PYMC_KWARGS, "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"), "rows": rows}
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "budget.json"), "w") as fh:
        json.dump(res, fh, indent=1)
        fh.write("\n")
    print(table(res))


if __name__ == "__main__":
    main()
