"""Write tests/vectors/optimize/bids_*.json (bids from P(conversion | context)) deterministically.

    /work/venv-pymc/bin/python benches/compare/make_bids_vectors.py [--root .]

Nothing here imports channelwise.  The multipliers come from scikit-learn's
LogisticRegression(C=c, solver='newton-cholesky', tol=1e-12, max_iter=100000) (L2 penalty, the
intercept unpenalised) fitted to the one-hot design of the cells' contexts (one column per level,
levels in first-seen order, factor by factor) with two weighted rows per cell: the conversions as
y = 1 and the clicks without a conversion as y = 0 (rows of weight 0 are dropped: they add nothing
to the objective).  The gradient norm of C * sum_i w_i logloss_i + 0.5 ||coef||^2 at the solution
is checked below 1e-8.  Then, as core/src/optimize/bids.rs documents:

  multiplier(level) = sigmoid(b + beta_level) / sigmoid(b)
  probability       = sigmoid(b + sum of the context's betas)   (a level never seen adds 0)
  value/conversion  = sum(value) / sum(conversions)
  bid (formula)     = probability * value/conversion / roas     or   probability * cpa
  then, with max_change m and a current bid: held to [current (1 - m), current (1 + m)]
  (the lower end at least 0); then raised to the floor; then held at the cap.

Schema (shared by every stack's runner):
  optimize.bids: input {"factors": [...], "cells": [{"context": [...], "clicks", "conversions",
                 "value"}], "queries": [{"context": [...], "current": number | null}]},
                 params {"target": {"roas": r} | {"cpa": c}, "c": C, "floor": number,
                 "cap": number | "Infinity", "max_change": number | null},
                 expected {"multiplier": [per level, first-seen order, factor by factor],
                 "bid": [per query], "probability": [per query]}
"""

from __future__ import annotations

import argparse
import os
import platform
import warnings

import numpy as np
import sklearn
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from vectorio import f, write  # noqa: E402  (shared vector writing)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TOL = {"abs": 1e-6, "rel": 1e-6}
MAX_GRAD = 1e-8
VERSIONS = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, Python {platform.python_version()}"


def levels_of(factors, cells):
    levels = [[] for _ in factors]
    for c in cells:
        for j, lv in enumerate(c["context"]):
            if lv not in levels[j]:
                levels[j].append(lv)
    return levels


def fit(factors, cells, c, centre=False):
    levels = levels_of(factors, cells)
    offsets = np.cumsum([0] + [len(l) for l in levels])[:-1]
    k = sum(len(l) for l in levels)
    rows, ys, ws = [], [], []
    for cell in cells:
        row = np.zeros(k)
        for j, lv in enumerate(cell["context"]):
            row[offsets[j] + levels[j].index(lv)] = 1.0
        for label, weight in ((1.0, cell["conversions"]), (0.0, cell["clicks"] - cell["conversions"])):
            if weight > 0:
                rows.append(row)
                ys.append(label)
                ws.append(weight)
    x, y, w = np.array(rows), np.array(ys), np.array(ws, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        m = LogisticRegression(C=c, solver="newton-cholesky", tol=1e-12, max_iter=100000).fit(x, y, sample_weight=w)
    beta, b = m.coef_[0], float(m.intercept_[0])
    r = w * (expit(x @ beta + b) - y)
    grad = np.append(c * (x.T @ r) + beta, c * r.sum())
    gn = float(np.abs(grad).max())
    assert gn < MAX_GRAD, f"gradient norm {gn}"
    if centre:
        # each factor's effects less their clicks-weighted mean, the mean moved into the
        # intercept (predictions unchanged; the base rate becomes the typical context's)
        beta = beta.copy()
        for j, ls in enumerate(levels):
            clicks = np.array([sum(cl["clicks"] for cl in cells if cl["context"][j] == lv) for lv in ls], dtype=float)
            if clicks.sum() > 0:
                at = slice(offsets[j], offsets[j] + len(ls))
                mean = float((beta[at] * clicks).sum() / clicks.sum())
                beta[at] -= mean
                b += mean
    return levels, offsets, beta, b, gn


CENTRE = True  # channelwise centres the effects (bids.rs); --raw writes the uncentred form


def case(factors, cells, queries, target, c, floor=0.0, cap=np.inf, max_change=None):
    levels, offsets, beta, b, gn = fit(factors, cells, c, CENTRE)
    mult = [float(expit(b + beta[offsets[j] + i]) / expit(b)) for j, ls in enumerate(levels) for i in range(len(ls))]
    vpc = sum(cl["value"] for cl in cells) / sum(cl["conversions"] for cl in cells)
    bids, probs = [], []
    for q in queries:
        z = b
        for j, lv in enumerate(q["context"]):
            if lv in levels[j]:
                z += beta[offsets[j] + levels[j].index(lv)]
        p = float(expit(z))
        bid = p * vpc / target["roas"] if "roas" in target else p * target["cpa"]
        cur = q["current"]
        if max_change is not None and cur is not None:
            lo, hi = cur * (1 - max_change), cur * (1 + max_change)
            if bid > hi:
                bid = hi
            elif bid < lo:
                bid = max(lo, 0.0)
        bid = max(bid, floor)
        bid = min(bid, cap)
        bids.append(bid)
        probs.append(p)
    source = (
        f"{VERSIONS}: LogisticRegression(C={c}, solver='newton-cholesky', tol=1e-12, max_iter=100000) on the "
        "one-hot design (levels in first-seen order) with two weighted rows per cell (conversions as y=1, "
        f"clicks - conversions as y=0; gradient norm at the solution {gn:.1e}); multiplier = "
        + ("sigmoid(b + beta) / sigmoid(b) with each factor's betas centred on their clicks-weighted mean "
           "(the mean moved into b); bid" if CENTRE else "sigmoid(b + beta) / sigmoid(b); bid")
        + " = P x value per conversion / ROAS (or P x CPA), then the "
        "maximum change, the floor and the cap (benches/compare/make_bids_vectors.py)"
    )
    return {
        "function": "optimize.bids",
        "source": source,
        "input": {"factors": factors, "cells": cells, "queries": queries},
        "params": {"target": target, "c": c, "floor": floor, "cap": f(cap), "max_change": max_change},
        "expected": {"multiplier": [f(v) for v in mult], "bid": [f(v) for v in bids], "probability": [f(v) for v in probs]},
        "tolerance": TOL,
    }


def cell(context, clicks, conversions, value):
    return {"context": context, "clicks": clicks, "conversions": conversions, "value": value}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--raw", action="store_true", help="uncentred multipliers sigmoid(b + beta) / sigmoid(b) (not what channelwise reports)")
    args = ap.parse_args()
    root = args.root
    global CENTRE
    CENTRE = not args.raw
    rng = np.random.Generator(np.random.PCG64(20261204))

    # two factors, a thin tablet cell, an unseen level in the queries; no clamps
    cells = [
        cell(["mobile", "evening"], 4000, 60, 3000.0),
        cell(["mobile", "morning"], 3000, 30, 1500.0),
        cell(["desktop", "evening"], 2000, 50, 2500.0),
        cell(["desktop", "morning"], 1500, 30, 1500.0),
        cell(["tablet", "evening"], 20, 2, 100.0),
    ]
    queries = [{"context": ctx, "current": None} for ctx in (
        ["desktop", "evening"], ["mobile", "morning"], ["tablet", "evening"], ["tv", "morning"], ["tv", "night"])]
    write(root, "optimize", "bids_roas_two_factors", case(["device", "daypart"], cells, queries, {"roas": 4.0}, 1.0))

    # three factors drawn at random, strong shrinkage, CPA target with a floor and a cap
    devices, hours, geos = ["mobile", "desktop", "tablet"], ["h0", "h6", "h12", "h18"], ["us", "uk", "de"]
    base = {"mobile": 0.012, "desktop": 0.02, "tablet": 0.015}
    hour = {"h0": 0.6, "h6": 0.9, "h12": 1.1, "h18": 1.3}
    geo = {"us": 1.2, "uk": 1.0, "de": 0.8}
    cells3 = []
    for d in devices:
        for h in hours:
            for g in geos:
                clicks = int(rng.integers(50, 3000))
                conv = int(rng.binomial(clicks, base[d] * hour[h] * geo[g]))
                cells3.append(cell([d, h, g], clicks, conv, round(float(conv * rng.uniform(40, 60)), 2)))
    q3 = [{"context": [d, h, g], "current": None} for d, h, g in (
        ("desktop", "h18", "us"), ("mobile", "h0", "de"), ("tablet", "h12", "uk"), ("desktop", "h6", "fr"))]
    write(root, "optimize", "bids_cpa_three_factors_floor_cap",
          case(["device", "hour", "geo"], cells3, q3, {"cpa": 40.0}, 0.01, floor=0.4, cap=0.7))

    # weak shrinkage, ROAS target, maximum change from current bids, no cap
    q4 = [{"context": ctx, "current": cur} for ctx, cur in (
        (["desktop", "h18", "us"], 0.2), (["mobile", "h0", "de"], 2.0), (["tablet", "h12", "uk"], 0.3),
        (["mobile", "h12", "us"], None), (["desktop", "h0", "uk"], 0.0))]
    write(root, "optimize", "bids_roas_max_change",
          case(["device", "hour", "geo"], cells3, q4, {"roas": 2.0}, 100.0, max_change=0.2))

    # everything at once: floor, cap and maximum change, thin cells, zero-conversion cells
    cells5 = cells + [cell(["desktop", "night"], 300, 0, 0.0), cell(["mobile", "night"], 5, 0, 0.0)]
    q5 = [{"context": ctx, "current": cur} for ctx, cur in (
        (["desktop", "evening"], 1.0), (["mobile", "night"], 0.5), (["desktop", "night"], None),
        (["tablet", "morning"], 0.9), (["mobile", "evening"], 0.8))]
    write(root, "optimize", "bids_cpa_floor_cap_max_change",
          case(["device", "daypart"], cells5, q5, {"cpa": 25.0}, 1.0, floor=0.3, cap=1.1, max_change=0.25))


if __name__ == "__main__":
    main()
