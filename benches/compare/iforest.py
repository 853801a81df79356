"""Isolation forest: channelwise vs scikit-learn, speed and ROC AUC in one run.

    cargo build --release -p channelwise-benches --bin cw-iforest
    /opt/cwvenv/bin/python benches/compare/iforest.py [--rows 100000] [--features 10] [--repeat 3]
    /opt/cwvenv/bin/python benches/compare/iforest.py --vectors [--seeds 20]

Default mode: a seeded labelled data set (gaussian blobs + 1% uniform outliers), fit + score of
the same rows with n_estimators=100, max_samples="auto", contamination="auto".  scikit-learn runs
with n_jobs=1; channelwise (`cw-iforest`, timed in-process, best of --repeat) runs on all cores and
with RAYON_NUM_THREADS=1 (the fair comparison with n_jobs=1).  Prints a markdown table with the
time ratios and both AUCs (roc_auc_score(labels, -score_samples)).

--vectors: for every tests/vectors/anomaly/iforest_*.json with an `auc`, the mean channelwise AUC
over --seeds seeds next to the vector's expected value (scikit-learn's mean over 20 seeds), to
check that the two forests agree in distribution, not just for the one seed a vector runs.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BIN = os.path.join(ROOT, "target", "release", "cw-iforest")


def dataset(rows: int, features: int, seed: int = 20260610):
    """Inliers from 4 gaussian blobs with random covariance, 1% outliers uniform over a box
    that covers the blobs (some fall inside them: AUC < 1)."""
    rng = np.random.default_rng(seed)
    n_out = rows // 100
    n_in = rows - n_out
    centers = rng.uniform(-4, 4, size=(4, features))
    mix = rng.normal(size=(4, features, features)) / np.sqrt(features)
    which = rng.integers(0, 4, size=n_in)
    z = rng.standard_normal((n_in, features))
    inl = centers[which] + np.einsum("nij,nj->ni", mix[which], z)
    lo, hi = inl.min(axis=0), inl.max(axis=0)
    out = rng.uniform(lo, hi, size=(n_out, features))
    x = np.vstack([inl, out])
    y = np.r_[np.zeros(n_in, int), np.ones(n_out, int)]
    perm = rng.permutation(rows)
    return np.ascontiguousarray(x[perm]), y[perm]


def run_cw(path: str, nf: int, threads: int | None, repeat: int, seed: int = 0, extra=()):
    env = dict(os.environ)
    if threads is not None:
        env["RAYON_NUM_THREADS"] = str(threads)
    else:
        env.pop("RAYON_NUM_THREADS", None)
    with tempfile.NamedTemporaryFile(suffix=".f64", delete=False) as tf:
        out = tf.name
    try:
        cmd = [BIN, path, "--n-features", str(nf), "--seed", str(seed), "--repeat", str(repeat),
               "--scores-out", out, *extra]
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout)
        scores = np.fromfile(out, dtype="<f8")
    finally:
        os.unlink(out)
    return res, scores


def bench(a) -> None:
    x, y = dataset(a.rows, a.features)
    fit_best, score_best, cpu_best, auc = float("inf"), float("inf"), float("inf"), None
    for r in range(a.repeat):
        m = IsolationForest(n_estimators=100, random_state=0, n_jobs=1)
        c0 = time.process_time()
        t0 = time.perf_counter()
        m.fit(x)
        t1 = time.perf_counter()
        s = m.score_samples(x)
        t2 = time.perf_counter()
        c1 = time.process_time()
        fit_best, score_best, cpu_best = min(fit_best, t1 - t0), min(score_best, t2 - t1), min(cpu_best, c1 - c0)
        auc = roc_auc_score(y, -s)
    sk_total = fit_best + score_best
    rows = [("scikit-learn " + sklearn.__version__ + " (n_jobs=1)", "1", fit_best, score_best, sk_total, cpu_best, auc)]

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "x.f64")
        x.astype("<f8").tofile(path)
        for threads, label in ((1, "1"), (None, str(os.cpu_count()))):
            res, s = run_cw(path, a.features, threads, a.repeat)
            rows.append(("channelwise", label, res["fit_seconds"], res["score_seconds"],
                         res["total_seconds"], res["cpu_seconds"] or float("nan"), roc_auc_score(y, -s)))
        # AUC noise of one forest: a few more channelwise seeds (all cores)
        cw_aucs = [roc_auc_score(y, -run_cw(path, a.features, None, 1, seed=s)[1]) for s in range(1, 5)]
    sk_aucs = [auc] + [roc_auc_score(y, -IsolationForest(random_state=s, n_jobs=1).fit(x).score_samples(x))
                       for s in range(1, 5)]

    print(f"\nfit + score_samples on the same {a.rows:,} x {a.features} rows (1% outliers), "
          f"n_estimators=100, max_samples=auto; best of {a.repeat}\n")
    print("| implementation | threads | fit s | score s | total s (wall) | wall speed-up | CPU s | CPU ratio | AUC |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, th, f, s, t, cpu, au in rows:
        print(f"| {name} | {th} | {f:.3f} | {s:.3f} | {t:.3f} | {sk_total / t:.1f}x | {cpu:.2f} | "
              f"{cpu_best / cpu:.1f}x | {au:.4f} |")
    print(f"\nwall: best of {a.repeat}; CPU: process CPU seconds of fit + score, all threads (channelwise "
          "from /proc/self/stat in 10 ms ticks), the fairer measure on a shared machine; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    cw_aucs = [rows[2][6]] + cw_aucs
    print(f"\nAUC over seeds 0-4: scikit-learn {np.mean(sk_aucs):.4f} (sd {np.std(sk_aucs, ddof=1):.4f}), "
          f"channelwise {np.mean(cw_aucs):.4f} (sd {np.std(cw_aucs, ddof=1):.4f})")


def vectors(a) -> None:
    print("| vector | expected (sklearn mean) | channelwise mean | diff | channelwise sd | seeds |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for f in sorted(glob.glob(os.path.join(ROOT, "tests", "vectors", "anomaly", "iforest_*.json"))):
            v = json.load(open(f))
            if "auc" not in v["expected"]:
                continue
            p, inp = v["params"], v["input"]
            if p.get("bootstrap") or "max_features_fraction" in p:
                continue  # cw-iforest exposes the common parameters only
            x = np.asarray(inp["x"], dtype="<f8")
            path = os.path.join(d, "x.f64")
            x.tofile(path)
            ms = str(p.get("max_samples_fraction", p["max_samples"]))
            extra = ("--n-estimators", str(p["n_estimators"]), "--max-samples", ms,
                     "--contamination", str(p["contamination"]))
            aucs = [roc_auc_score(inp["labels"], -run_cw(path, inp["n_features"], None, 1, seed=s, extra=extra)[1])
                    for s in range(a.seeds)]
            exp = v["expected"]["auc"]
            print(f"| {os.path.basename(f)} | {exp:.4f} | {np.mean(aucs):.4f} | {np.mean(aucs) - exp:+.4f} | "
                  f"{np.std(aucs, ddof=1):.4f} | {a.seeds} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--features", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--vectors", action="store_true")
    ap.add_argument("--seeds", type=int, default=20)
    a = ap.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit(f"build first: cargo build --release -p channelwise-benches --bin cw-iforest ({BIN})")
    vectors(a) if a.vectors else bench(a)


if __name__ == "__main__":
    main()
