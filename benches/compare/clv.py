"""CLV fits: channelwise vs lifetimes 0.11.3 (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma, BG/BB), one run.

    cargo bench -p channelwise-benches --bench clv --no-run   # builds target/release/deps/clv-*
    /work/venv-clv/bin/python benches/compare/clv.py [--repeat 5] [--synthetic 1000000] [--lifetimes-synthetic]

Data: CDNOW as lifetimes ships it (load_cdnow_summary_data_with_monetary_value: 2357 customers,
weeks; Gamma-Gamma on the 946 repeat buyers), BG/BB on lifetimes' donations (load_donations: 22
weighted rows, 11,104 donors; both answers scored by the exact eq. 5, since lifetimes' objective
adds 1e-15 to each history's sum) and a seeded synthetic set of --synthetic customers
simulated from BG/NBD by the criterion bench (`CW_CLV_GEN`, benches/benches/clv.rs), written once
to benches/data/clv_synthetic_<n>_s42.json.

- channelwise: the criterion bench binary in its comparison mode (`CW_CLV_COMPARE`, its own
  process, reading the JSON untimed), best wall time of --repeat fits of each model (default
  settings: collapse identical histories, L-BFGS then Newton).
- lifetimes: BetaGeoFitter().fit, ModifiedBetaGeoFitter().fit, ParetoNBDFitter().fit, GammaGammaFitter().fit with their
  defaults, best wall time of --repeat fits (one fit for the synthetic set). Its log-likelihood is
  evaluated at its answer with its own objective, like channelwise's at its own.
Writes benches/compare/results/clv.json; `--report <json>` prints its table again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time

from cwbench import DATA, RESULTS, bench_binary  # noqa: E402  (sets one BLAS thread first)

import lifetimes  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from lifetimes import BetaGeoBetaBinomFitter, BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter  # noqa: E402
from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value, load_donations  # noqa: E402

def cw(path: str, repeat: int, skip_pareto: bool = False) -> dict:
    env = dict(os.environ, CW_CLV_COMPARE=path, CW_CLV_REPEAT=str(repeat))
    if skip_pareto:
        env["CW_CLV_SKIP_PARETO"] = "1"
    return json.loads(subprocess.run([bench_binary("clv")], env=env, check=True, capture_output=True, text=True).stdout)


def timed(repeat, fn):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def lifetimes_side(d: dict, repeat: int, pareto: bool = True) -> dict:
    x, tx, T, m = (np.asarray(d[k], float) for k in ("frequency", "recency", "T", "monetary_value"))
    w = np.ones_like(x)
    out = {}
    for model, fitter in (("bg_nbd", BetaGeoFitter), ("mbg_nbd", ModifiedBetaGeoFitter)):
        s, b = timed(repeat, lambda: fitter().fit(x, tx, T))
        p = b.params_[["r", "alpha", "a", "b"]].to_numpy()
        out[model] = {"seconds": s, "params": p.tolist(),
                      "log_likelihood": float(-fitter._negative_log_likelihood(np.log(p), x, tx, T, w, 0.0) * len(x))}
    if pareto:
        s, pn = timed(repeat, lambda: ParetoNBDFitter().fit(x, tx, T))
        p = pn.params_[["r", "alpha", "s", "beta"]].to_numpy()
        out["pareto_nbd"] = {"seconds": s, "params": p.tolist(),
                             "log_likelihood": float(-ParetoNBDFitter._negative_log_likelihood(p, x, tx, T, w, 0.0))}
    rep = x > 0
    s, g = timed(repeat, lambda: GammaGammaFitter().fit(x[rep], m[rep]))
    p = g.params_[["p", "q", "v"]].to_numpy()
    out["gamma_gamma"] = {"seconds": s, "params": p.tolist(),
                          "log_likelihood": float(-GammaGammaFitter._negative_log_likelihood(np.log(p), x[rep], m[rep], w[rep], 0.0) * rep.sum())}
    return out


def donations_rows(repeat: int) -> dict:
    """BG/BB on the donations, both sides."""
    d = load_donations()
    x, tx, n, w = (d[k].to_numpy(int) for k in ("frequency", "recency", "periods", "weights"))
    path = os.path.join(DATA, "clv_donations.json")
    os.makedirs(DATA, exist_ok=True)
    with open(path, "w") as fh:
        json.dump({"frequency": x.tolist(), "recency": tx.tolist(), "n_periods": n.tolist(), "weights": w.tolist()}, fh)
    env = dict(os.environ, CW_CLV_COMPARE_BB=path, CW_CLV_REPEAT=str(repeat))
    c = json.loads(subprocess.run([bench_binary("clv")], env=env, check=True, capture_output=True, text=True).stdout)["bg_bb"]
    s, b = timed(repeat, lambda: BetaGeoBetaBinomFitter().fit(x, tx, n, weights=w))
    p = b.params_[["alpha", "beta", "gamma", "delta"]].to_numpy()
    # lifetimes' objective adds 1e-15 to each history's sum: its answer is scored by the exact eq. 5,
    # the function channelwise maximises
    from make_clv_vectors import bb_nll

    ll = float(-bb_nll(list(zip(x.tolist(), tx.tolist(), n.tolist(), w.astype(float).tolist())))(np.log(p)) * w.sum())
    return {"data": "donations", "model": "bg_bb", "n": int(w.sum()), "cw": c, "lt": {"seconds": s, "params": p.tolist(), "log_likelihood": ll}}


def cdnow_json() -> tuple[str, dict]:
    d = load_cdnow_summary_data_with_monetary_value()
    data = {"frequency": d.frequency.astype(float).tolist(), "recency": d.recency.tolist(), "T": d["T"].tolist(),
            "monetary_value": d.monetary_value.tolist()}
    path = os.path.join(DATA, "clv_cdnow.json")
    os.makedirs(DATA, exist_ok=True)
    with open(path, "w") as fh:
        json.dump(data, fh)
    return path, data


def synthetic_json(n: int) -> tuple[str, dict]:
    path = os.path.join(DATA, f"clv_synthetic_{n}_s42.json")
    if not os.path.exists(path):
        env = dict(os.environ, CW_CLV_GEN=f"{n}:42:{path}")
        subprocess.run([bench_binary("clv")], env=env, check=True)
    with open(path) as fh:
        return path, json.load(fh)


def table(res: dict) -> str:
    out = ["| data | model | customers | channelwise s | lifetimes s | ratio | channelwise LL | lifetimes LL | cw LL - lt LL | largest relative parameter gap |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in res["rows"]:
        c, l = row["cw"], row.get("lt")
        if l is None:
            out.append(f"| {row['data']} | {row['model']} | {row['n']:,} | {c['seconds']:.3g} | not run | - | {c['log_likelihood']:.6f} | - | - | - |")
            continue
        gap = max(abs(a / b - 1) for a, b in zip(c["params"], l["params"]))
        out.append(f"| {row['data']} | {row['model']} | {row['n']:,} | {c['seconds']:.3g} | {l['seconds']:.3g} | "
                   f"{l['seconds'] / c['seconds']:,.0f}x | {c['log_likelihood']:.6f} | {l['log_likelihood']:.6f} | "
                   f"{c['log_likelihood'] - l['log_likelihood']:+.2e} | {gap:.1e} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--synthetic", type=int, default=1_000_000)
    ap.add_argument("--lifetimes-synthetic", action="store_true", help="also fit lifetimes' BG/NBD and Gamma-Gamma on the synthetic set")
    ap.add_argument("--report")
    a = ap.parse_args()
    if a.report:
        with open(a.report) as fh:
            print(table(json.load(fh)))
        return
    rows = []
    path, d = cdnow_json()
    c, l = cw(path, a.repeat), lifetimes_side(d, a.repeat)
    n = len(d["frequency"])
    reps = int(sum(1 for v in d["frequency"] if v > 0))
    for model in ("bg_nbd", "mbg_nbd", "pareto_nbd", "gamma_gamma"):
        rows.append({"data": "CDNOW", "model": model, "n": reps if model == "gamma_gamma" else n, "cw": c[model], "lt": l[model]})
    rows.append(donations_rows(a.repeat))
    if a.synthetic:
        path, d = synthetic_json(a.synthetic)
        c = cw(path, 3, skip_pareto=True)
        l = lifetimes_side(d, 1, pareto=False) if a.lifetimes_synthetic else {}
        reps = int(sum(1 for v in d["frequency"] if v > 0))
        for model in ("bg_nbd", "mbg_nbd", "gamma_gamma"):
            rows.append({"data": f"synthetic (seed 42, {c['bg_nbd']['rows']:,} distinct histories)", "model": model,
                         "n": reps if model == "gamma_gamma" else len(d["frequency"]), "cw": c[model], "lt": l.get(model)})
    res = {"rows": rows, "env": f"lifetimes {lifetimes.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
                                f"Python {platform.python_version()}, {os.cpu_count()} cpus"}
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "clv.json"), "w") as fh:
        json.dump(res, fh, indent=1)
    print(table(res))
    print(res["env"])


if __name__ == "__main__":
    main()
