"""Write tests/vectors/anomaly/iforest_*.json deterministically.

    /opt/cwvenv/bin/python benches/compare/make_iforest_vectors.py [--root .] [--seeds 20]

Needs numpy and scikit-learn (1.9.1 on the dev box).  Nothing here imports channelwise.

An isolation forest is random, and channelwise's trees are not scikit-learn's (another random
stream, f64 instead of f32), so scores cannot be compared digit by digit.  What is compared:

  * "anomaly.isolation_forest": the ROC AUC of -score_samples(x) (x = the training data) against
    `labels` (1 = anomaly), computed as the Mann-Whitney statistic with ties counting 1/2
    (= sklearn.metrics.roc_auc_score).  `expected.auc` is the MEAN of scikit-learn's AUC over
    `--seeds` random_state values (0..seeds-1); the tolerance covers the seed-to-seed spread of
    one forest (written in `source`).  Data sets are chosen so that the AUC is not pinned at 1.0
    and well inside the tolerance of the reference mean, so a channelwise AUC above the mean by
    more than the tolerance would be a real difference, not luck.
    With a contamination fraction, `expected.n_flagged` is the number of training rows with
    decision_function < 0.  It follows from numpy's percentile (linear) of the training scores:
    with scores distinct around that percentile it is ceil((n - 1) * contamination), whatever
    the trees (ties deep among the inliers do not matter); the script
    checks scikit-learn gives that count for every seed.  With contamination "auto",
    `expected.offset` is -0.5.
  * "anomaly.average_path_length": sklearn.ensemble._iforest._average_path_length(n), exact up to
    the last bits of log.
  * error vectors: channelwise's conventions for bad input (the kind code of channelwise::Error).

Input: `x` flat row-major, `n_features`, `labels`; for a scoring error also `x_score` and
`n_features_score` (score those with the model fitted on `x`).  Params: `n_estimators`,
`max_samples` ("auto" or an integer count), optional `max_samples_fraction` (a fraction in
(0, 1], used instead), `contamination` ("auto" or a fraction), optional `max_features_fraction`,
`bootstrap` (bool), `seed`.  Inputs are rounded to 4 decimals before anything is computed, so the
file holds exactly the data the reference saw.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SK = f"scikit-learn {sklearn.__version__}"
NUMPY = f"numpy {np.__version__}"
PY = f"Python {platform.python_version()}"
AUC_TOL = 0.02


from vectorio import arr, f  # noqa: E402  (shared vector writing)


def write(root: str, name: str, vec: dict) -> None:
    d = os.path.join(root, "tests", "vectors", "anomaly")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, f"iforest_{name}.json")
    with open(path, "w") as fh:
        json.dump(vec, fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    size = os.path.getsize(path)
    assert size < 60_000, f"{path} is {size} bytes"


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------

def blobs(seed: int, n_in: int, n_out: int, dim: int, centers: list, sd: float, box: float):
    """Gaussian blobs (inliers, label 0) and uniform points in [-box, box]^dim (label 1)."""
    rng = np.random.default_rng(seed)
    c = np.asarray(centers, dtype=float)
    which = rng.integers(0, len(c), size=n_in)
    inl = c[which] + sd * rng.standard_normal((n_in, dim))
    out = rng.uniform(-box, box, size=(n_out, dim))
    x = np.vstack([inl, out])
    y = np.r_[np.zeros(n_in, int), np.ones(n_out, int)]
    perm = rng.permutation(len(x))
    return np.round(x[perm], 4), y[perm]


def breast_cancer(seed: int, n_malignant: int, n_feat: int):
    """sklearn's breast cancer data: every benign case, a seeded subsample of malignant ones
    (the anomalies), the first `n_feat` features (the 'mean ...' columns)."""
    d = load_breast_cancer()
    x, target = d.data[:, :n_feat], d.target  # target 1 = benign
    rng = np.random.default_rng(seed)
    mal = np.flatnonzero(target == 0)
    keep = np.r_[np.flatnonzero(target == 1), rng.choice(mal, n_malignant, replace=False)]
    keep = np.sort(keep)
    return np.round(x[keep], 4), (target[keep] == 0).astype(int)


# ---------------------------------------------------------------------------------------------
# reference
# ---------------------------------------------------------------------------------------------

def sk_params(p: dict) -> dict:
    ms = p.get("max_samples_fraction", p["max_samples"])
    return dict(
        n_estimators=p["n_estimators"],
        max_samples=ms,
        contamination=p["contamination"],
        max_features=p.get("max_features_fraction", 1.0),
        bootstrap=p["bootstrap"],
    )


def reference(x, labels, p: dict, seeds: int):
    aucs, flagged = [], set()
    for s in range(seeds):
        m = IsolationForest(random_state=s, n_jobs=1, **sk_params(p)).fit(x)
        aucs.append(roc_auc_score(labels, -m.score_samples(x)))
        if p["contamination"] != "auto":
            flagged.add(int(np.sum(m.decision_function(x) < 0)))
    return np.asarray(aucs), flagged


def iforest_vector(root: str, name: str, what: str, x, labels, p: dict, seeds: int) -> None:
    aucs, flagged = reference(x, labels, p, seeds)
    mean, sd = float(aucs.mean()), float(aucs.std(ddof=1))
    assert AUC_TOL >= 4 * sd, f"{name}: seed spread {sd:.4f} too wide for tol {AUC_TOL}"
    assert mean < 1.0 - AUC_TOL, f"{name}: AUC {mean:.4f} saturated"
    expected = {"auc": round(mean, 6)}
    how = ""
    if p["contamination"] == "auto":
        expected["offset"] = -0.5
        how = "; offset -0.5 for contamination 'auto' (sklearn's convention)"
    else:
        n = len(x)
        k = math.ceil((n - 1) * p["contamination"])
        assert flagged == {k}, f"{name}: sklearn flagged {flagged}, expected {k}"
        expected["n_flagged"] = k
        how = (f"; n_flagged = rows with decision_function < 0 = ceil((n-1)*contamination) = {k} "
               f"for scores distinct around the threshold (numpy linear percentile; ties among inliers deep in the bulk do not matter), identical for all {seeds} sklearn seeds")
    src = (f"{SK} IsolationForest({', '.join(f'{k}={v!r}' for k, v in sk_params(p).items())}, n_jobs=1): "
           f"expected auc = mean over random_state 0..{seeds - 1} of roc_auc_score(labels, -score_samples(x)) "
           f"on the training data (seed-to-seed sd {sd:.4f}, range {aucs.min():.4f}..{aucs.max():.4f}); "
           f"tolerance abs {AUC_TOL} (>= 4 sd of one forest; data chosen with AUC well below 1 so a "
           f"higher channelwise AUC would show) {how}. Data: {what} ({NUMPY}, {PY})")
    write(root, name, {
        "function": "anomaly.isolation_forest",
        "source": src,
        "input": {"x": arr(x), "n_features": int(x.shape[1]), "labels": [int(v) for v in labels]},
        "params": p,
        "expected": expected,
        "tolerance": {"abs": AUC_TOL, "rel": 0.0},
    })
    print(f"{name:28s} n={len(x):4d} d={x.shape[1]:2d} sklearn auc {mean:.4f} (sd {sd:.4f}) {expected}")


def params(n_estimators=100, max_samples="auto", contamination="auto", seed=0, bootstrap=False, **extra):
    p = {"n_estimators": n_estimators, "max_samples": max_samples, "contamination": contamination,
         "bootstrap": bootstrap, "seed": seed}
    p.update(extra)
    return p


def auc_vectors(root: str, seeds: int) -> None:
    x, y = blobs(20260601, 270, 30, 2, [[-2, -2], [2, 2]], 0.8, 6.0)
    what = "seeded numpy PCG64: 270 points in two gaussian blobs (sd 0.8 at (-2,-2), (2,2)) + 30 uniform in [-6,6]^2"
    iforest_vector(root, "blobs2d_auto", what, x, y, params(), seeds)
    iforest_vector(root, "blobs2d_contamination", what, x, y,
                   params(n_estimators=200, max_samples=128, contamination=0.1, seed=3), seeds)

    x, y = blobs(20260602, 380, 20, 5, [[0] * 5, [3, 3, 0, 0, 0], [0, 0, 3, 3, 3]], 1.0, 5.0)
    what = "seeded numpy PCG64: 380 points in three gaussian blobs in 5-d (sd 1) + 20 uniform in [-5,5]^5"
    iforest_vector(root, "blobs5d_auto", what, x, y, params(n_estimators=500, seed=1), seeds)
    iforest_vector(root, "blobs5d_bootstrap_features", what, x, y,
                   params(n_estimators=1000, max_samples=64, bootstrap=True, max_features_fraction=0.6, contamination=0.05, seed=2),
                   seeds)
    iforest_vector(root, "blobs5d_fraction", what, x, y,
                   params(n_estimators=500, max_samples_fraction=0.25, seed=5), seeds)

    x, y = breast_cancer(20260603, 20, 10)
    what = (f"{SK} load_breast_cancer(): all 357 benign + 20 malignant (numpy PCG64 seed 20260603, the "
            "anomalies), the 10 'mean' features")
    iforest_vector(root, "breast_cancer", what, x, y, params(n_estimators=800, seed=4), seeds)
    iforest_vector(root, "breast_cancer_contamination", what, x, y,
                   params(n_estimators=500, contamination=0.05, seed=6), seeds)


def path_length_vector(root: str) -> None:
    n = [0, 1, 2, 3, 4, 5, 10, 100, 255, 256, 257, 1000, 100000, 10 ** 9]
    write(root, "average_path_length", {
        "function": "anomaly.average_path_length",
        "source": f"{SK} sklearn.ensemble._iforest._average_path_length(n) ({NUMPY}): "
                  "2 (ln(n-1) + euler_gamma) - 2 (n-1)/n, 1 at n = 2, 0 at n <= 1",
        "input": {"n": n},
        "params": {},
        "expected": {"value": arr(_average_path_length(np.asarray(n, dtype=float)))},
        "tolerance": {"abs": 1e-13, "rel": 1e-14},
    })


def error_vectors(root: str) -> None:
    ok_x = [0.0, 1.0, 0.5, 0.2, 0.9, 0.3, 0.1, 0.7]  # 4 rows x 2
    lab = [0, 0, 0, 1]

    def err(name, kind, why, x=ok_x, nf=2, labels=lab, **kw):
        extra = {k: kw.pop(k) for k in ("x_score", "n_features_score") if k in kw}
        write(root, f"error_{name}", {
            "function": "anomaly.isolation_forest",
            "source": f"convention (channelwise): {why}",
            "input": {"x": arr(x), "n_features": nf, "labels": labels, **extra},
            "params": params(**kw),
            "expected": {"error": kind},
            "tolerance": {"abs": 0.0, "rel": 0.0},
        })

    err("nan", "non_finite", f"NaN in x is rejected, naming row and column ({SK} accepts NaN)",
        x=[0.0, 1.0, float("nan"), 0.2, 0.9, 0.3, 0.1, 0.7])
    err("inf", "non_finite", "an infinite value in x is rejected, naming row and column",
        x=[0.0, 1.0, 0.5, 0.2, 0.9, float("-inf"), 0.1, 0.7])
    err("empty", "not_enough_data", "no rows to fit", x=[], labels=[])
    err("ragged", "length_mismatch", "len(x) must be a multiple of n_features", x=ok_x[:7])
    err("n_features_zero", "out_of_range", "n_features must be >= 1", nf=0)
    err("n_estimators_zero", "out_of_range", f"n_estimators must be >= 1 ({SK} raises ValueError)",
        n_estimators=0)
    err("contamination_high", "out_of_range",
        f"contamination must be 'auto' or in (0, 0.5] ({SK} raises ValueError)", contamination=0.6)
    err("contamination_zero", "invalid_parameter",
        f"contamination 0 is excluded from (0, 0.5] ({SK} raises ValueError)", contamination=0.0)
    err("max_samples_zero", "out_of_range", f"max_samples must be >= 1 ({SK} raises ValueError)",
        max_samples=0)
    err("max_samples_fraction_high", "out_of_range",
        f"a max_samples fraction must be in (0, 1] ({SK} raises ValueError)", max_samples_fraction=1.5)
    err("score_n_features", "length_mismatch",
        f"scoring data must have the training n_features ({SK} raises ValueError)",
        x_score=[0.0, 1.0, 2.0], n_features_score=3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--seeds", type=int, default=20)
    a = ap.parse_args()
    path_length_vector(a.root)
    error_vectors(a.root)
    auc_vectors(a.root, a.seeds)


if __name__ == "__main__":
    main()
