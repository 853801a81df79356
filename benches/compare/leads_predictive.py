"""Logistic regression (the fit behind leads.predictive): channelwise vs scikit-learn, one run.

    cargo bench -p channelwise-benches --bench leads --no-run   # builds target/release/deps/leads-*
    /work/venv-pymc/bin/python benches/compare/leads_predictive.py [--n 100000] [--k 50] [--repeat 5]

Data: n x k features with correlation 0.5^|i-j| between columns (numpy PCG64, seed 11), labels
~ Bernoulli(expit(-1.5 + x beta)) with beta ~ U(-0.5, 0.5); written once to
benches/data/logistic_<n>x<k>_s11/ (x.f64 row-major, y.f64, shape.json) for the Rust side.

- channelwise: the criterion bench binary in its comparison mode (`CW_LOGISTIC_COMPARE`, its
  own process, reading the data untimed), best wall time of --repeat fits; it iterates to a
  gradient at rounding level (L2: Newton with the Hessian reused while steps contract; L1:
  proximal Newton with coordinate descent on the quadratic model).
- scikit-learn: LogisticRegression(C=1, solver=...) with its defaults (tol=1e-4) unless said,
  best wall time of --repeat fits; BLAS and OpenMP pinned to one thread (channelwise's fit is
  single-threaded), as in clv.py.

Each row reports the time ratio (scikit-learn / channelwise: > 1 means channelwise is faster),
the largest coefficient difference and the gradient norm (minimum-norm subgradient for L1) of
scikit-learn's objective at each answer. Writes benches/compare/results/leads_predictive.json;
`--report <json>` prints its table again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time
import warnings

from cwbench import DATA, RESULTS, bench_binary  # noqa: E402  (sets one BLAS thread first)

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from scipy.special import expit  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

# (label, channelwise penalty JSON, scikit-learn arguments)
CASES = [
    ("l2 lbfgs", "l2", dict(C=1.0, solver="lbfgs")),
    ("l2 lbfgs tol=1e-10", "l2", dict(C=1.0, solver="lbfgs", tol=1e-10, max_iter=10000)),
    ("l2 newton-cholesky", "l2", dict(C=1.0, solver="newton-cholesky")),
    ("l1 saga", "l1", dict(C=1.0, l1_ratio=1.0, solver="saga")),
    ("l1 liblinear (penalises the intercept)", "l1", dict(C=1.0, l1_ratio=1.0, solver="liblinear")),
]


def make_data(n: int, k: int) -> tuple[str, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    beta = rng.uniform(-0.5, 0.5, k)
    e = rng.normal(size=(n, k))
    x = np.empty((n, k))
    x[:, 0] = e[:, 0]
    for j in range(1, k):
        x[:, j] = 0.5 * x[:, j - 1] + np.sqrt(0.75) * e[:, j]
    y = (rng.random(n) < expit(-1.5 + x @ beta)).astype(float)
    d = os.path.join(DATA, f"logistic_{n}x{k}_s11")
    os.makedirs(d, exist_ok=True)
    x.astype("<f8").tofile(os.path.join(d, "x.f64"))
    y.astype("<f8").tofile(os.path.join(d, "y.f64"))
    return d, x, y


def optimality(x, y, coef, b, c, l1) -> float:
    """Largest entry of the minimum-norm (sub)gradient of C sum logloss + l1 |coef|_1 + 0.5 (1-l1) |coef|^2."""
    r = expit(x @ coef + b) - y
    g = c * (x.T @ r) + (1 - l1) * coef
    if l1 > 0:
        g = np.where(coef != 0, g + l1 * np.sign(coef), np.sign(g) * np.maximum(np.abs(g) - l1, 0))
    return float(max(np.max(np.abs(g)), abs(c * r.sum())))


def run(n: int, k: int, repeat: int) -> dict:
    d, x, y = make_data(n, k)
    penalties = sorted({p for _, p, _ in CASES})
    with open(os.path.join(d, "shape.json"), "w") as fh:
        json.dump({"n": n, "k": k, "fits": [{"penalty": p, "c": 1.0} for p in penalties]}, fh)
    env = dict(os.environ, CW_LOGISTIC_COMPARE=d, CW_LOGISTIC_REPEAT=str(repeat))
    cw = {r["penalty"]: r for r in json.loads(subprocess.run(
        [bench_binary("leads")], env=env, check=True, capture_output=True, text=True).stdout)}
    rows = []
    for label, pen, args in CASES:
        best, m = float("inf"), None
        warned = False
        for _ in range(repeat):
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always", ConvergenceWarning)
                t0 = time.perf_counter()
                m = LogisticRegression(**args).fit(x, y.astype(int))
                best = min(best, time.perf_counter() - t0)
                warned |= any(issubclass(i.category, ConvergenceWarning) for i in w)
        c = cw[pen]
        l1 = 1.0 if pen == "l1" else 0.0
        sk_coef, sk_b = m.coef_.ravel(), float(m.intercept_[0])
        cw_coef = np.asarray(c["coef"])
        rows.append({
            "case": label, "sklearn_seconds": best, "channelwise_seconds": c["seconds"],
            "ratio": best / c["seconds"],
            "max_coef_diff": float(max(np.max(np.abs(sk_coef - cw_coef)), abs(sk_b - c["intercept"]))),
            "sklearn_optimality": optimality(x, y, sk_coef, sk_b, 1.0, l1),
            "channelwise_optimality": optimality(x, y, cw_coef, c["intercept"], 1.0, l1),
            "sklearn_iterations": int(np.max(m.n_iter_)), "channelwise_iterations": c["iterations"],
            "sklearn_convergence_warning": warned,
        })
    return {"n": n, "k": k, "repeat": repeat, "sklearn": sklearn.__version__,
            "numpy": np.__version__, "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cpus", "rows": rows}


def report(res: dict) -> None:
    print(f"logistic regression fit, {res['n']} x {res['k']}, C=1, best of {res['repeat']} "
          f"(scikit-learn {res['sklearn']}, one BLAS/OpenMP thread)\n")
    print("| scikit-learn | sklearn s | channelwise s | ratio | max coef diff | sklearn optimality "
          "| channelwise optimality |")
    print("|---|---|---|---|---|---|---|")
    for r in res["rows"]:
        warn = " (ConvergenceWarning)" if r["sklearn_convergence_warning"] else ""
        print(f"| {r['case']}{warn} | {r['sklearn_seconds']:.3f} | {r['channelwise_seconds']:.3f} | "
              f"{r['ratio']:.2f} | {r['max_coef_diff']:.1e} | {r['sklearn_optimality']:.1e} | "
              f"{r['channelwise_optimality']:.1e} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--report")
    a = ap.parse_args()
    if a.report:
        with open(a.report) as fh:
            return report(json.load(fh))
    res = run(a.n, a.k, a.repeat)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "leads_predictive.json"), "w") as fh:
        json.dump(res, fh, indent=1)
        fh.write("\n")
    report(res)


if __name__ == "__main__":
    main()
