"""Write tests/vectors/glm/logistic_*.json (L2-regularised logistic regression) deterministically.

    /work/venv-pymc/bin/pip install -r benches/compare/requirements-optimize.txt
    /work/venv-pymc/bin/python benches/compare/make_glm_vectors.py [--root .]

Nothing here imports channelwise.  Expected numbers come from scikit-learn's
LogisticRegression(solver='newton-cholesky', tol=1e-12, max_iter=100000) (coef_, intercept_ and
predict_proba(x)[:, 1] on the fitted rows).  scikit-learn minimises

    C * sum_i w_i logloss_i + 0.5 * ||coef||^2        (the intercept is not penalised)

(divided by C * sum_i w_i, which leaves the minimiser unchanged); with penalty=None the
penalty term is dropped and C is ignored.  For every case the script
  * evaluates the gradient norm of that objective at scikit-learn's solution in numpy and stops
    if it is not below 1e-8 (the value goes into `source`),
  * re-solves the problem independently by Newton's method in numpy and stops if any stored
    number is further than a tenth of the tolerance from it, and
  * refits with solver='lbfgs' (same tol and max_iter) and stops if that answer is outside the
    tolerance (its distance goes into `source`).
Why not lbfgs for the stored numbers: scikit-learn hard-codes scipy's L-BFGS-B ftol to
64 * machine epsilon on the objective divided by C * sum_i w_i, so lbfgs stops on the relative
decrease of the objective long before tol=1e-12 bites; at its answer the gradient norm of the
objective above is up to 1.7e-3 here and it is up to 4.3e-6 off the optimum (0.6 of the
tolerance, in rare2000_c100).  newton-cholesky (same estimator, same objective) converges to a
gradient norm of <= ~1e-10.  The lbfgs answer is still inside the tolerance for every case.
scikit-learn 1.8 deprecated the `penalty` argument (removed in 1.10; the equivalents are
l1_ratio=0 for 'l2' and C=np.inf for None).  The pinned 1.9.1 still honours it, so it is passed
as written in `source` and its FutureWarning is silenced.

Every random input is drawn from numpy's PCG64 with a fixed seed and rounded to a few decimals
before fitting, so re-running reproduces the files byte for byte (given the pinned versions).

Schema (shared by every stack's runner):
  glm.logistic: input {"x": [[row], ...], "y": [0 | 1, ...], "sample_weight": [...] (optional)},
                params {"c": C > 0, "fit_intercept": bool, "penalty": "l2" | "none"},
                expected {"coef": [...], "intercept": number (0 without an intercept),
                          "proba": [P(y = 1) per input row]}
  errors:       expected {"error": "<kind>"}
  check |got - exp| <= abs + rel * |exp| for numbers; "NaN", "Infinity", "-Infinity" are the
  string spellings of non-finite numbers.
"""

from __future__ import annotations

import argparse
import os
import platform
import warnings

import numpy as np
import scipy
import sklearn
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from vectorio import arr, f, write  # noqa: E402  (shared vector writing)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SKL = f"scikit-learn {sklearn.__version__}"
NUMPY = f"numpy {np.__version__}"
SCIPY = f"scipy {scipy.__version__}"
PY = f"Python {platform.python_version()}"

# An iterative optimum: scikit-learn's answer is converged far below this (gradient < 1e-8,
# checked), the slack is for a different optimiser on the channelwise side.
TOL = {"abs": 1e-6, "rel": 1e-6}
ERR_TOL = {"abs": 0.0}
MAX_GRAD = 1e-8
TOL_ARGS = "solver='newton-cholesky', tol=1e-12, max_iter=100000"


def gradient(x, y, w, coef, intercept, c, fit_intercept, penalised):
    """Gradient of c * sum_i w_i logloss_i + 0.5 ||coef||^2 (no penalty term when unpenalised)."""
    r = w * (expit(x @ coef + intercept) - y)
    g = c * (x.T @ r)
    if penalised:
        g = g + coef
    if fit_intercept:
        g = np.append(g, c * r.sum())
    return g


def newton(x, y, w, c, fit_intercept, penalised):
    """Independent solve of the same convex problem by damped Newton steps."""
    n, p = x.shape
    a = np.hstack([x, np.ones((n, 1))]) if fit_intercept else x
    pen = np.zeros(a.shape[1])
    if penalised:
        pen[:p] = 1.0
    beta = np.zeros(a.shape[1])

    def obj(b):
        z = a @ b
        return c * np.sum(w * (np.logaddexp(0.0, z) - y * z)) + 0.5 * np.sum(pen * b * b)

    for _ in range(200):
        z = a @ beta
        mu = expit(z)
        g = c * (a.T @ (w * (mu - y))) + pen * beta
        if np.linalg.norm(g) < 1e-13:
            break
        h = c * (a.T * (w * mu * (1.0 - mu))) @ a + np.diag(pen)
        step = np.linalg.solve(h, g)
        t, f0 = 1.0, obj(beta)
        while obj(beta - t * step) > f0 + 1e-12 * abs(f0) and t > 1e-10:
            t *= 0.5
        beta = beta - t * step
    coef = beta[:p]
    intercept = beta[p] if fit_intercept else 0.0
    return coef, intercept, expit(x @ coef + intercept)


def close(got, want) -> bool:
    got, want = np.asarray(got, float), np.asarray(want, float)
    return bool(np.all(np.abs(got - want) <= 0.1 * (TOL["abs"] + TOL["rel"] * np.abs(want))))


def logistic_case(root, name, x, y, desc, c=1.0, fit_intercept=True, penalty="l2", w=None):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    assert set(np.unique(y)) <= {0.0, 1.0}
    penalised = penalty == "l2"
    sk_penalty = "l2" if penalised else None
    fits = {}
    for solver in ("newton-cholesky", "lbfgs"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a ConvergenceWarning must stop the script
            warnings.simplefilter("ignore", FutureWarning)  # `penalty` deprecated in 1.8
            fits[solver] = LogisticRegression(
                penalty=sk_penalty, C=c, fit_intercept=fit_intercept, solver=solver,
                tol=1e-12, max_iter=100000).fit(x, y.astype(int), sample_weight=w)
    m, lb = fits["newton-cholesky"], fits["lbfgs"]
    coef = m.coef_.ravel()
    intercept = float(m.intercept_[0]) if fit_intercept else 0.0
    proba = m.predict_proba(x)[:, 1]
    assert list(m.classes_) == [0, 1]

    ww = np.ones(len(y)) if w is None else np.asarray(w, float)
    cg = c if penalised else 1.0
    gnorm = float(np.linalg.norm(gradient(x, y, ww, coef, intercept, cg, fit_intercept,
                                          penalised)))
    if not gnorm < MAX_GRAD:
        raise SystemExit(f"{name}: gradient norm {gnorm:.3g} at the {SKL} solution")
    n_coef, n_int, n_proba = newton(x, y, ww, cg, fit_intercept, penalised)
    if not (close(coef, n_coef) and close(intercept, n_int) and close(proba, n_proba)):
        raise SystemExit(f"{name}: {SKL} and the numpy Newton solve disagree "
                         f"(coef {np.max(np.abs(coef - n_coef)):.3g})")
    diff = max(np.max(np.abs(coef - n_coef)), abs(intercept - n_int),
               np.max(np.abs(proba - n_proba)))
    lb_coef = lb.coef_.ravel()
    lb_int = float(lb.intercept_[0]) if fit_intercept else 0.0
    lb_proba = lb.predict_proba(x)[:, 1]
    lb_diff = max(np.max(np.abs(lb_coef - coef)), abs(lb_int - intercept),
                  np.max(np.abs(lb_proba - proba)))
    lb_rel = max(np.max(np.abs(lb_coef - coef) / (TOL["abs"] + TOL["rel"] * np.abs(coef))),
                 abs(lb_int - intercept) / (TOL["abs"] + TOL["rel"] * abs(intercept)),
                 np.max(np.abs(lb_proba - proba) / (TOL["abs"] + TOL["rel"] * proba)))
    lb_gnorm = float(np.linalg.norm(gradient(x, y, ww, lb_coef, lb_int, cg, fit_intercept,
                                             penalised)))
    if not lb_rel <= 1.0:
        raise SystemExit(f"{name}: solver='lbfgs' is {lb_diff:.3g} off, outside the tolerance")

    pen_src = "'l2'" if penalised else "None"
    objective = (f"C * sum_i w_i logloss_i + 0.5 ||coef||^2" if penalised
                 else "sum_i w_i logloss_i (C ignored)")
    inp = {"x": [arr(row) for row in x], "y": [int(v) for v in y]}
    if w is not None:
        inp["sample_weight"] = arr(w)
    write(root, "glm", f"logistic_{name}", {
        "function": "glm.logistic",
        "source": f"{SKL} LogisticRegression(penalty={pen_src}, C={c!r}, "
                  f"fit_intercept={fit_intercept}, {TOL_ARGS}) fitted to {desc}; "
                  f"predict_proba on the same rows ({NUMPY}, {SCIPY}, {PY}). Gradient norm of "
                  f"{objective} at the solution: {gnorm:.1e} (numpy); an independent numpy "
                  f"Newton solve agrees to {diff:.1e}; solver='lbfgs' (same tol, max_iter) is "
                  f"{lb_diff:.1e} away (gradient norm {lb_gnorm:.1e}: stopped by scikit-learn's fixed "
                  f"ftol)",
        "input": inp,
        "params": {"c": f(c), "fit_intercept": fit_intercept,
                   "penalty": "l2" if penalised else "none"},
        "expected": {"coef": arr(coef), "intercept": f(intercept), "proba": arr(proba)},
        "tolerance": TOL})
    print(f"logistic_{name}: |grad| {gnorm:.1e}, newton diff {diff:.1e}, lbfgs diff "
          f"{lb_diff:.1e} ({lb_rel:.2f} of tol, |grad| {lb_gnorm:.1e}), "
          f"coef {np.round(coef, 3)}, b {intercept:.3f}")


def draw_y(rng, x, beta, b0):
    return (rng.random(len(x)) < expit(x @ beta + b0)).astype(int)


def logistic_vectors(root: str) -> None:
    rng = np.random.default_rng(20261104)

    # small, hand-sized: 20 rows x 2 features
    xs = np.round(rng.normal(size=(20, 2)), 2)
    ys = draw_y(rng, xs, np.array([1.5, -1.0]), 0.3)
    d = "20 x 2 N(0,1) features (seeded), y ~ Bernoulli(expit(0.3 + 1.5 x1 - x2))"
    logistic_case(root, "small_c1", xs, ys, d, c=1.0)
    logistic_case(root, "small_c1_no_intercept", xs, ys, d, c=1.0, fit_intercept=False)

    # 500 x 5, correlated features (AR(1)-type correlation 0.8^|i-j|)
    idx = np.arange(5)
    cov = 0.8 ** np.abs(idx[:, None] - idx[None, :])
    xc = np.round(rng.multivariate_normal(np.zeros(5), cov, size=500, method="cholesky"), 4)
    yc = draw_y(rng, xc, np.array([1.0, -0.5, 0.0, 0.8, -1.2]), -0.4)
    d = ("500 x 5 correlated N(0, 0.8^|i-j|) features (seeded), "
         "y ~ Bernoulli(expit(-0.4 + x (1, -0.5, 0, 0.8, -1.2)))")
    logistic_case(root, "corr500_c0p01", xc, yc, d, c=0.01)
    logistic_case(root, "corr500_c1", xc, yc, d, c=1.0)
    logistic_case(root, "corr500_c100_no_intercept", xc, yc, d, c=100.0, fit_intercept=False)

    # sample weights, about 15% of them exactly zero
    wc = np.round(rng.exponential(size=500), 3)
    wc[rng.random(500) < 0.15] = 0.0
    logistic_case(root, "corr500_weighted_c1", xc, yc, d + "; weights Exp(1) rounded to 3 "
                  f"decimals, {int(np.sum(wc == 0))} of them zero", c=1.0, w=wc)
    ws = np.array([1, 0, 2, 1, 3, 0, 1, 1, 0.5, 2, 1, 0, 4, 1, 1, 2, 0, 1, 1.5, 1], float)
    logistic_case(root, "small_weighted_c100_no_intercept", xs, ys,
                  "the 20 x 2 rows of logistic_small_c1; hand-written weights, 5 of them zero",
                  c=100.0, fit_intercept=False, w=ws)

    # 2000 x 10: 7 continuous features and 3 rare one-hot levels of a categorical (base level
    # dropped) with prevalence 0.5%, 1% and 2%.  Every row of the rarest level has y = 1, so
    # without the L2 penalty its coefficient would run off to infinity.
    n = 2000
    xr = np.round(rng.normal(size=(n, 7)), 4)
    level = rng.choice(4, size=n, p=[0.005, 0.01, 0.02, 0.965])
    onehot = (level[:, None] == np.arange(3)[None, :]).astype(float)
    x10 = np.hstack([xr, onehot])
    beta = np.array([0.7, -0.4, 0.3, 0.0, 0.2, -0.6, 0.1, 1.0, -1.5, 0.8])
    y10 = draw_y(rng, x10, beta, -1.0)
    y10[level == 0] = 1
    d = (f"2000 x 10 (seeded): 7 N(0,1) features and 3 one-hot levels with "
         f"{int(onehot[:, 0].sum())}, {int(onehot[:, 1].sum())} and {int(onehot[:, 2].sum())} rows; "
         "y ~ Bernoulli(expit(-1 + x beta)), forced to 1 on every row of the rarest level")
    logistic_case(root, "rare2000_c0p01", x10, y10, d, c=0.01)
    logistic_case(root, "rare2000_c1", x10, y10, d, c=1.0)
    logistic_case(root, "rare2000_c100", x10, y10, d, c=100.0)

    # near-separable: labels are the side of a line, one row near the line flipped
    xn = np.round(rng.normal(size=(60, 2)), 3)
    score = 2.0 * xn[:, 0] - xn[:, 1] + 0.5
    yn = (score > 0).astype(int)
    k = int(np.argmin(np.abs(score)))
    yn[k] = 1 - yn[k]
    logistic_case(root, "near_separable_c1", xn, yn,
                  "60 x 2 N(0,1) rows (seeded) labelled by the sign of 0.5 + 2 x1 - x2, the row "
                  "closest to that line flipped (the unpenalised fit is nearly divergent)", c=1.0)

    # unpenalised, well-conditioned
    xu = np.round(rng.normal(size=(400, 3)), 4)
    yu = draw_y(rng, xu, np.array([0.8, -0.5, 0.3]), 0.2)
    logistic_case(root, "unpenalized", xu, yu,
                  "400 x 3 independent N(0,1) features (seeded), "
                  "y ~ Bernoulli(expit(0.2 + 0.8 x1 - 0.5 x2 + 0.3 x3))",
                  c=1.0, penalty="none")

    # errors
    base_x = [[0.5, 1.0], [-1.0, 0.2], [1.5, -0.3], [0.1, 0.4]]
    errors = {
        "error_y_not_binary": ({"x": base_x, "y": [0, 1, 2, 1]}, 1.0, "invalid_parameter",
                               "y must be 0 or 1"),
        "error_nan_x": ({"x": [[0.5, 1.0], [-1.0, "NaN"], [1.5, -0.3], [0.1, 0.4]],
                         "y": [0, 1, 0, 1]}, 1.0, "non_finite", "non-finite input is rejected"),
        "error_c_zero": ({"x": base_x, "y": [0, 1, 0, 1]}, 0.0, "out_of_range",
                         "C must be > 0"),
        "error_ragged_rows": ({"x": [[0.5, 1.0], [-1.0], [1.5, -0.3], [0.1, 0.4]],
                               "y": [0, 1, 0, 1]}, 1.0, "length_mismatch",
                              "every row of x must have the same length"),
    }
    for name, (inp, c, kind, why) in errors.items():
        write(root, "glm", f"logistic_{name}", {
            "function": "glm.logistic", "source": f"channelwise contract: {why}",
            "input": inp, "params": {"c": c, "fit_intercept": True, "penalty": "l2"},
            "expected": {"error": kind}, "tolerance": ERR_TOL})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=ROOT)
    a = ap.parse_args()
    logistic_vectors(a.root)


if __name__ == "__main__":
    main()
