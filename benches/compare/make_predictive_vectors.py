"""Write the predictive lead score vectors deterministically:

  tests/vectors/glm/logistic_l1_*.json, logistic_elasticnet_*.json   L1 / elastic-net penalties
  tests/vectors/leads/predictive_*.json                               leads.predictive (fit,
      calibration, contributions, evaluation) and leads.predictive_metrics (AUC, log-loss, Brier,
      reliability table on given scores)

    /work/venv-pymc/bin/python benches/compare/make_predictive_vectors.py [--root .]

Nothing here imports channelwise.  Expected numbers come from scikit-learn (version in every
`source`):

* coefficients: LogisticRegression(C=C, l1_ratio=r, solver='saga', tol=1e-12,
  max_iter=1_000_000, random_state=0) (the 1.8+ spelling: l1_ratio=1 is penalty='l1', 0 < r < 1 'elasticnet',
  0 'l2'; L2 and unpenalised fits use solver='newton-cholesky', tol=1e-12 as in
  make_glm_vectors.py).  saga, not liblinear: liblinear penalises the intercept, saga does not,
  like channelwise.  scikit-learn minimises
      C * sum_i w_i logloss_i + r ||coef||_1 + 0.5 (1 - r) ||coef||^2   (intercept unpenalised).
  For every fit the script checks in numpy that the minimum-norm subgradient of that objective is
  below 1e-7 at scikit-learn's answer and re-solves it independently (scipy L-BFGS-B on the
  split coef = u - v, u, v >= 0, gtol 1e-14, then polished by the same split on the active
  set) and stops when the two differ by more than a tenth of the tolerance.
* calibration: CalibratedClassifierCV(FrozenEstimator(model), method='sigmoid' | 'isotonic')
  fitted on the calibration rows; probabilities from its predict_proba[:, 1].  Platt's sigmoid is
  fitted by scipy L-BFGS-B with gtol=1e-6 inside scikit-learn, so its (a, b) are re-solved here
  by Newton's method on the same objective (targets (n+ + 1)/(n+ + 2) and 1/(n- + 2)); the
  stored numbers are scikit-learn's when they agree with that solve within the tolerance,
  otherwise the script stops.
* metrics: roc_auc_score, log_loss, brier_score_loss and calibration_curve (sklearn.calibration)
  with the bin counts from the same np.searchsorted(bins[1:-1], p) rule.

Schema (shared by every stack's runner):
  glm.logistic: as make_glm_vectors.py, params {"c", "fit_intercept", "penalty": "l1" |
                "elasticnet" | "l2" | "none", "l1_ratio" (elasticnet only)}
  leads.predictive:
    input  {"features": [[row], ...], "feature_names": [...], "y": [0|1, ...],
            "calibration": {"features", "y"} (optional: calibrate on the training rows if absent),
            "evaluation": {"features", "y"}}
    params {"score": <LogisticScore JSON: penalty, c, calibration, class_weight>,
            "reliability": {"n_bins", "strategy": "uniform" | "quantile"}}
    expected {"coef", "intercept", "reference" (training means), "base_logit",
              "proba" (calibrated P(y=1) of the evaluation rows), "logit" (their linear
              predictor), "contributions" (row-major, n_eval x k), "auc", "log_loss", "brier",
              "reliability_bin", "reliability_count", "reliability_fraction_positive",
              "reliability_mean_predicted", and "platt_a", "platt_b" for Platt}
  leads.predictive_metrics:
    input {"y": [...], "proba": [...]}, params {"reliability": {...}}
    expected {"auc", "log_loss", "brier", "reliability_*"}
  errors: expected {"error": "<kind>", "field": "<the field the message names>"}
"""

from __future__ import annotations

import argparse
import os
import platform
import warnings

import numpy as np
import scipy
import sklearn
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from vectorio import arr, f, write  # noqa: E402  (shared vector writing)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SKL = f"scikit-learn {sklearn.__version__}"
VERSIONS = f"numpy {np.__version__}, scipy {scipy.__version__}, Python {platform.python_version()}"

TOL = {"abs": 1e-6, "rel": 1e-6}
ERR_TOL = {"abs": 0.0}
MAX_SUBGRAD = 1e-7


# ------------------------------------------------------------------ logistic regression


def penalty_weights(penalty: str, l1_ratio: float | None) -> tuple[float, float]:
    return {"l2": (0.0, 1.0), "none": (0.0, 0.0), "l1": (1.0, 0.0),
            "elasticnet": (l1_ratio, 1.0 - (l1_ratio or 0.0))}[penalty]


def smooth_grad(x, y, w, coef, b, c, l2, fit_intercept):
    r = w * (expit(x @ coef + b) - y)
    g = c * (x.T @ r) + l2 * coef
    gb = c * r.sum() if fit_intercept else 0.0
    return g, gb


def min_subgradient(x, y, w, coef, b, c, l1, l2, fit_intercept) -> float:
    g, gb = smooth_grad(x, y, w, coef, b, c, l2, fit_intercept)
    sub = np.where(coef != 0, np.abs(g + l1 * np.sign(coef)), np.maximum(np.abs(g) - l1, 0.0))
    return float(max(np.max(sub), abs(gb)))


def split_solve(x, y, w, c, l1, l2, fit_intercept):
    """Independent solve: coef = u - v with u, v >= 0 (a smooth bound-constrained problem)."""
    n, p = x.shape

    def fg(t):
        u, v = t[:p], t[p:2 * p]
        b = t[2 * p] if fit_intercept else 0.0
        coef = u - v
        z = x @ coef + b
        val = c * np.sum(w * (np.logaddexp(0.0, z) - y * z)) + l1 * np.sum(u + v) + 0.5 * l2 * coef @ coef
        g, gb = smooth_grad(x, y, w, coef, b, c, l2, fit_intercept)
        grad = np.concatenate([g + l1, -g + l1] + ([[gb]] if fit_intercept else []))
        return val, grad

    t0 = np.zeros(2 * p + int(fit_intercept))
    bounds = [(0, None)] * (2 * p) + [(None, None)] * int(fit_intercept)
    res = minimize(fg, t0, jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 100000, "maxfun": 200000, "ftol": 0.0, "gtol": 1e-14,
                            "maxcor": 30})
    t = res.x
    coef = t[:p] - t[p:2 * p]
    b = t[2 * p] if fit_intercept else 0.0
    # polish on the active set by Newton (the smooth problem restricted to non-zero coefs)
    for _ in range(50):
        act = np.flatnonzero(np.abs(coef) > 1e-10)
        coef[np.abs(coef) <= 1e-10] = 0.0
        a = x[:, act]
        if fit_intercept:
            a = np.hstack([a, np.ones((n, 1))])
        mu = expit(x @ coef + b)
        g, gb = smooth_grad(x, y, w, coef, b, c, l2, fit_intercept)
        gg = np.concatenate([g[act] + l1 * np.sign(coef[act])] + ([[gb]] if fit_intercept else []))
        if np.max(np.abs(gg), initial=0.0) < 1e-13:
            break
        h = c * (a.T * (w * mu * (1 - mu))) @ a
        h[:len(act), :len(act)] += l2 * np.eye(len(act))
        step = np.linalg.solve(h, gg)
        coef[act] -= step[:len(act)]
        if fit_intercept:
            b -= step[-1]
    return coef, b


def sk_logistic(x, y, w, c, penalty, l1_ratio, fit_intercept):
    l1, _ = penalty_weights(penalty, l1_ratio)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        if penalty in ("l1", "elasticnet"):
            args = dict(C=c, l1_ratio=l1, solver="saga", tol=1e-12, max_iter=1_000_000,
                        random_state=0)
            call = (f"LogisticRegression(C={c!r}, l1_ratio={l1!r}, solver='saga', tol=1e-12, "
                    f"max_iter=1_000_000, random_state=0, fit_intercept={fit_intercept})")
        else:
            args = dict(C=(np.inf if penalty == "none" else c), l1_ratio=0.0,
                        solver="newton-cholesky", tol=1e-12, max_iter=100000)
            call = (f"LogisticRegression(C={'np.inf' if penalty == 'none' else repr(c)}, "
                    f"l1_ratio=0.0, solver='newton-cholesky', tol=1e-12, max_iter=100000, "
                    f"fit_intercept={fit_intercept})")
        m = LogisticRegression(fit_intercept=fit_intercept, **args).fit(x, y.astype(int),
                                                                       sample_weight=w)
    return m, call


def checked_fit(name, x, y, w, c, penalty, l1_ratio, fit_intercept):
    """scikit-learn's fit, checked by its subgradient and an independent solve."""
    m, call = sk_logistic(x, y, w, c, penalty, l1_ratio, fit_intercept)
    coef = m.coef_.ravel().copy()
    b = float(m.intercept_[0]) if fit_intercept else 0.0
    ww = np.ones(len(y)) if w is None else np.asarray(w, float)
    l1, l2 = penalty_weights(penalty, l1_ratio)
    cc = 1.0 if penalty == "none" else c
    sub = min_subgradient(x, y, ww, coef, b, cc, l1, l2, fit_intercept)
    if not sub < MAX_SUBGRAD:
        raise SystemExit(f"{name}: min-norm subgradient {sub:.3g} at the {SKL} solution")
    s_coef, s_b = split_solve(x, y, ww, cc, l1, l2, fit_intercept)
    diff = max(float(np.max(np.abs(s_coef - coef))), abs(s_b - b))
    if not diff <= 0.1 * TOL["abs"]:
        raise SystemExit(f"{name}: {SKL} and the split L-BFGS-B solve differ by {diff:.3g}")
    note = (f"min-norm subgradient of the objective at its answer {sub:.1e} (numpy); an independent "
            f"scipy L-BFGS-B solve on coef = u - v (polished by Newton on the active set) agrees to "
            f"{diff:.1e}; {int(np.sum(coef == 0))} of {len(coef)} coefficients exactly 0")
    return m, coef, b, call, note


def glm_case(root, name, x, y, desc, c, penalty, l1_ratio=None, fit_intercept=True, w=None):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    m, coef, b, call, note = checked_fit(name, x, y, w, c, penalty, l1_ratio, fit_intercept)
    proba = m.predict_proba(x)[:, 1]
    inp = {"x": [arr(r) for r in x], "y": [int(v) for v in y]}
    if w is not None:
        inp["sample_weight"] = arr(w)
    params = {"c": f(c), "fit_intercept": fit_intercept, "penalty": penalty}
    if penalty == "elasticnet":
        params["l1_ratio"] = f(l1_ratio)
    write(root, "glm", f"logistic_{name}", {
        "function": "glm.logistic",
        "source": f"{SKL} {call} fitted to {desc}; predict_proba on the same rows ({VERSIONS}). "
                  f"{note}",
        "input": inp, "params": params,
        "expected": {"coef": arr(coef), "intercept": f(b), "proba": arr(proba)},
        "tolerance": TOL})
    print(f"logistic_{name}: {note}; coef {np.round(coef, 4)}")


def draw_y(rng, x, beta, b0):
    return (rng.random(len(x)) < expit(x @ beta + b0)).astype(int)


def glm_vectors(root: str) -> None:
    rng = np.random.default_rng(20261204)
    idx = np.arange(6)
    cov = 0.7 ** np.abs(idx[:, None] - idx[None, :])
    x = np.round(rng.multivariate_normal(np.zeros(6), cov, size=400, method="cholesky"), 4)
    y = draw_y(rng, x, np.array([1.2, 0.0, -0.8, 0.0, 0.3, 0.0]), -0.3)
    d = ("400 x 6 correlated N(0, 0.7^|i-j|) features (seeded), "
         "y ~ Bernoulli(expit(-0.3 + x (1.2, 0, -0.8, 0, 0.3, 0)))")
    glm_case(root, "l1_corr400_c0p05", x, y, d, c=0.05, penalty="l1")
    glm_case(root, "l1_corr400_c1", x, y, d, c=1.0, penalty="l1")
    glm_case(root, "l1_corr400_c0p2_no_intercept", x, y, d, c=0.2, penalty="l1",
             fit_intercept=False)
    glm_case(root, "elasticnet_corr400_r0p5_c0p1", x, y, d, c=0.1, penalty="elasticnet",
             l1_ratio=0.5)
    glm_case(root, "elasticnet_corr400_r0p9_c2", x, y, d, c=2.0, penalty="elasticnet",
             l1_ratio=0.9)
    w = np.round(rng.exponential(size=400), 3)
    w[rng.random(400) < 0.1] = 0.0
    glm_case(root, "elasticnet_corr400_weighted_r0p3_c0p5", x, y,
             d + f"; weights Exp(1) rounded to 3 decimals, {int(np.sum(w == 0))} of them zero",
             c=0.5, penalty="elasticnet", l1_ratio=0.3, w=w)
    # a rare one-hot level whose rows are all positive: finite under L1 too
    n = 600
    xr = np.round(rng.normal(size=(n, 3)), 3)
    level = (rng.random(n) < 0.02).astype(float)
    x4 = np.hstack([xr, level[:, None]])
    y4 = draw_y(rng, x4, np.array([0.6, -0.4, 0.0, 1.0]), -1.0)
    y4[level == 1] = 1
    glm_case(root, "l1_rare600_c0p5", x4, y4,
             f"600 x 4 (seeded): 3 N(0,1) features and a one-hot level with {int(level.sum())} "
             "rows, all of them y = 1; y ~ Bernoulli(expit(-1 + 0.6 x1 - 0.4 x2 + x4)) elsewhere",
             c=0.5, penalty="l1")

    base_x = [[0.5, 1.0], [-1.0, 0.2], [1.5, -0.3], [0.1, 0.4]]
    for nm, params, kind, field, why in [
        ("error_l1_ratio_above_one", {"penalty": "elasticnet", "l1_ratio": 1.5}, "out_of_range",
         "l1_ratio", "l1_ratio must be in [0, 1]"),
        ("error_l1_ratio_nan", {"penalty": "elasticnet", "l1_ratio": "NaN"}, "non_finite",
         "l1_ratio", "l1_ratio must be finite"),
        ("error_l1_c_negative", {"penalty": "l1", "c": -1.0}, "out_of_range", "c",
         "C must be > 0"),
    ]:
        p = {"c": 1.0, "fit_intercept": True, **params}
        write(root, "glm", f"logistic_{nm}", {
            "function": "glm.logistic", "source": f"channelwise contract: {why}",
            "input": {"x": base_x, "y": [0, 1, 0, 1]}, "params": p,
            "expected": {"error": kind, "field": field}, "tolerance": ERR_TOL})


# ------------------------------------------------------------------ lead scores

NAMES = ["pages_viewed", "email_opens", "log_employees", "days_since_visit", "demo_requested",
         "webinar"]


def leads_data(rng, n, base=-2.0):
    pages = rng.poisson(3.0, n).astype(float)
    opens = rng.poisson(1.5, n).astype(float)
    emp = np.round(rng.normal(4.0, 1.2, n), 3)
    days = np.round(rng.exponential(2.0, n), 2)
    demo = (rng.random(n) < 0.15).astype(float)
    web = (rng.random(n) < 0.3).astype(float)
    x = np.column_stack([pages, opens, emp, days, demo, web])
    beta = np.array([0.25, 0.3, 0.2, -0.35, 1.4, 0.0])
    return x, draw_y(rng, x, beta, base - 0.8)


def platt_newton(dec, y):
    """scikit-learn's _sigmoid_calibration objective solved by Newton to rounding level."""
    n1 = float(np.sum(y > 0))
    n0 = len(y) - n1
    t = np.where(y > 0, (n1 + 1) / (n1 + 2), 1 / (n0 + 2))
    ab = np.array([0.0, np.log((n0 + 1) / (n1 + 1))])
    for _ in range(100):
        p = expit(-(ab[0] * dec + ab[1]))  # P(y=1)
        r = t - p  # d loss / d raw where raw = a F + b (loss in terms of -raw)
        g = np.array([r @ dec, r.sum()])
        s = p * (1 - p)
        h = np.array([[s @ (dec * dec), s @ dec], [s @ dec, s.sum()]])
        step = np.linalg.solve(h, g)
        ab = ab - step
        if np.max(np.abs(step)) < 1e-15 * (1 + np.max(np.abs(ab))):
            break
    return ab


def reliability(y, p, n_bins, strategy):
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    if strategy == "quantile":
        bins = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], p)
    counts = np.bincount(ids, minlength=n_bins)
    nz = np.flatnonzero(counts)
    return {"reliability_bin": [int(i) for i in nz],
            "reliability_count": [int(counts[i]) for i in nz],
            "reliability_fraction_positive": arr(prob_true),
            "reliability_mean_predicted": arr(prob_pred)}


def metrics(y, p, n_bins, strategy):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        ll = log_loss(y, p)
    return {"auc": f(roc_auc_score(y, p)), "log_loss": f(ll), "brier": f(brier_score_loss(y, p)),
            **reliability(y, p, n_bins, strategy)}


def rows(x):
    return [arr(r) for r in x]


def predictive_case(root, name, desc, train, cal, ev, score, rel):
    (x, y), (xe, ye) = train, ev
    pen = score["penalty"]
    if isinstance(pen, dict):
        penalty, l1_ratio = "elasticnet", pen["elasticnet"]["l1_ratio"]
    else:
        penalty, l1_ratio = pen, None
    w = None
    cw = ""
    if score.get("class_weight") == "balanced":
        n1 = y.sum()
        w = np.where(y == 1, len(y) / (2 * n1), len(y) / (2 * (len(y) - n1)))
        cw = ", class_weight='balanced' (passed as the equivalent sample_weight n / (2 n_class))"
    m, coef, b, call, note = checked_fit(name, x, y.astype(float), w, score["c"], penalty,
                                         l1_ratio, True)
    method = score.get("calibration", "none")
    ref = x.mean(axis=0)
    logit = xe @ coef + b
    exp = {"coef": arr(coef), "intercept": f(b), "reference": arr(ref),
           "base_logit": f(b + coef @ ref), "logit": arr(logit),
           "contributions": arr(coef[None, :] * (xe - ref[None, :]))}
    cal_src = ""
    xc, yc = cal if cal is not None else (x, y)
    if method == "none":
        proba = m.predict_proba(xe)[:, 1]
    else:
        sk_method = {"platt": "sigmoid", "isotonic": "isotonic"}[method]
        cc = CalibratedClassifierCV(FrozenEstimator(m), method=sk_method).fit(xc, yc)
        proba = cc.predict_proba(xe)[:, 1]
        cal_src = (f"; calibrated by CalibratedClassifierCV(FrozenEstimator(model), "
                   f"method='{sk_method}') fitted on "
                   + ("the calibration rows" if cal is not None else "the training rows"))
        if method == "platt":
            calib = cc.calibrated_classifiers_[0].calibrators[0]
            a_sk, b_sk = float(calib.a_), float(calib.b_)
            a_n, b_n = platt_newton(xc @ coef + b, yc)
            p_n = expit(-(a_n * logit + b_n))
            dp = float(np.max(np.abs(p_n - proba)))
            dab = max(abs(a_n - a_sk), abs(b_n - b_sk))
            if not (dp <= TOL["abs"] and dab <= TOL["abs"]):
                raise SystemExit(f"{name}: scikit-learn's Platt fit is {dab:.3g} from the Newton "
                                 f"solve ({dp:.3g} in probability)")
            exp["platt_a"], exp["platt_b"] = f(a_sk), f(b_sk)
            cal_src += (f" (its L-BFGS-B (a, b) = ({a_sk:.9f}, {b_sk:.9f}) are {dab:.1e} from a "
                        f"Newton solve of the same objective to rounding level, {dp:.1e} in "
                        "probability)")
    exp["proba"] = arr(proba)
    exp.update(metrics(ye, proba, rel["n_bins"], rel["strategy"]))
    inp = {"features": rows(x), "feature_names": NAMES, "y": [int(v) for v in y],
           "evaluation": {"features": rows(xe), "y": [int(v) for v in ye]}}
    if cal is not None:
        inp["calibration"] = {"features": rows(xc), "y": [int(v) for v in yc]}
    write(root, "leads", f"predictive_{name}", {
        "function": "leads.predictive",
        "source": f"{SKL} {call}{cw} fitted to {desc}{cal_src}; on the evaluation rows "
                  f"predict_proba, roc_auc_score, log_loss, brier_score_loss, "
                  f"calibration_curve(n_bins={rel['n_bins']}, strategy='{rel['strategy']}'); "
                  f"contributions coef_j (x_ij - mean_j) with the training means in numpy "
                  f"({VERSIONS}). {note}",
        "input": inp, "params": {"score": score, "reliability": rel},
        "expected": exp, "tolerance": TOL})
    print(f"predictive_{name}: {note}; auc {exp['auc']:.4f}")


def metrics_case(root, name, desc, y, p, rel):
    write(root, "leads", f"predictive_metrics_{name}", {
        "function": "leads.predictive_metrics",
        "source": f"{SKL} roc_auc_score, log_loss, brier_score_loss, "
                  f"calibration_curve(n_bins={rel['n_bins']}, strategy='{rel['strategy']}') "
                  f"(bin counts by its np.searchsorted(bins[1:-1], p) rule) on {desc} ({VERSIONS})",
        "input": {"y": [int(v) for v in y], "proba": arr(p)}, "params": {"reliability": rel},
        "expected": metrics(np.asarray(y), np.asarray(p, float), rel["n_bins"], rel["strategy"]),
        "tolerance": {"abs": 1e-12, "rel": 1e-12}})


def leads_vectors(root: str) -> None:
    rng = np.random.default_rng(20261205)
    x, y = leads_data(rng, 1500)
    xc, yc = leads_data(rng, 500)
    xe, ye = leads_data(rng, 500)
    d = ("1500 seeded leads x 6 features (pages_viewed ~ Poisson(3), email_opens ~ Poisson(1.5), "
         "log_employees ~ N(4, 1.2), days_since_visit ~ Exp(mean 2), demo_requested ~ "
         "Bernoulli(0.15), webinar ~ Bernoulli(0.3)), y ~ Bernoulli(expit(-2.8 + x (0.25, 0.3, "
         "0.2, -0.35, 1.4, 0))); 500 calibration and 500 evaluation leads from the same process")
    uni = {"n_bins": 10, "strategy": "uniform"}
    quant = {"n_bins": 5, "strategy": "quantile"}
    predictive_case(root, "l2_platt", d, (x, y), (xc, yc), (xe, ye),
                    {"penalty": "l2", "c": 1.0, "calibration": "platt"}, uni)
    predictive_case(root, "l1_isotonic", d, (x, y), (xc, yc), (xe, ye),
                    {"penalty": "l1", "c": 0.05, "calibration": "isotonic"}, quant)
    predictive_case(root, "elasticnet_uncalibrated", d, (x, y), None, (xe, ye),
                    {"penalty": {"elasticnet": {"l1_ratio": 0.5}}, "c": 0.2,
                     "calibration": "none"}, uni)
    predictive_case(root, "l2_balanced_platt_on_training", d, (x, y), None, (xe, ye),
                    {"penalty": "l2", "c": 0.5, "calibration": "platt",
                     "class_weight": "balanced"}, quant)
    predictive_case(root, "l2_isotonic_on_training", d, (x, y), None, (xe, ye),
                    {"penalty": "l2", "c": 10.0, "calibration": "isotonic"}, uni)

    # metrics on given scores: heavy ties (one decimal), scores at exactly 0 and 1
    ym = (rng.random(300) < 0.35).astype(int)
    pm = np.clip(np.round(0.35 + 0.25 * (ym - 0.35) + rng.normal(0, 0.2, 300), 1), 0.0, 1.0)
    metrics_case(root, "ties_uniform", "300 seeded labels (35% positive) with scores rounded to "
                 "one decimal (heavy ties, some exactly 0 and 1)", ym, pm,
                 {"n_bins": 10, "strategy": "uniform"})
    metrics_case(root, "ties_quantile", "the same 300 labels and tied scores", ym, pm,
                 {"n_bins": 8, "strategy": "quantile"})
    pc = np.round(expit(rng.normal(-1, 1.5, 200)), 6)
    yc2 = (rng.random(200) < pc).astype(int)
    metrics_case(root, "continuous_uniform5", "200 seeded scores expit(N(-1, 1.5^2)) rounded to 6 "
                 "decimals, labels ~ Bernoulli(score)", yc2, pc,
                 {"n_bins": 5, "strategy": "uniform"})

    # errors
    small = [[1.0, 0.0], [2.0, 1.0], [0.0, 1.0], [3.0, 0.0]]
    names = ["a", "b"]
    ev = {"features": small, "y": [0, 1, 0, 1]}
    base = {"features": small, "feature_names": names, "y": [0, 1, 0, 1], "evaluation": ev}
    rel = {"n_bins": 5, "strategy": "uniform"}
    errors = [
        ("error_c_zero", base, {"penalty": "l2", "c": 0.0}, rel, "out_of_range", "c",
         "C must be > 0"),
        ("error_label_two", {**base, "y": [0, 1, 2, 1]}, {"penalty": "l2", "c": 1.0}, rel,
         "invalid_parameter", "y[2]", "labels must be 0 or 1"),
        ("error_nan_feature", {**base, "features": [[1.0, 0.0], ["NaN", 1.0], [0.0, 1.0],
                                                    [3.0, 0.0]]},
         {"penalty": "l2", "c": 1.0}, rel, "non_finite", "features[1][0]",
         "features must be finite"),
        ("error_names_length", {**base, "feature_names": ["a"]}, {"penalty": "l2", "c": 1.0},
         rel, "length_mismatch", "feature_names", "one name per feature"),
        ("error_duplicate_name", {**base, "feature_names": ["a", "a"]},
         {"penalty": "l2", "c": 1.0}, rel, "invalid_parameter", "feature_names[1]",
         "feature names must be unique"),
        ("error_l1_ratio", base, {"penalty": {"elasticnet": {"l1_ratio": -0.1}}, "c": 1.0}, rel,
         "out_of_range", "l1_ratio", "l1_ratio must be in [0, 1]"),
        ("error_n_bins_zero", base, {"penalty": "l2", "c": 1.0}, {"n_bins": 0,
                                                                  "strategy": "uniform"},
         "out_of_range", "n_bins", "n_bins must be >= 1"),
        ("error_one_class_evaluation", {**base, "evaluation": {"features": small,
                                                              "y": [1, 1, 1, 1]}},
         {"penalty": "l2", "c": 1.0}, rel, "not_enough_data", "y",
         "the AUC needs both classes (roc_auc_score raises ValueError)"),
        ("error_calibration_width", {**base, "calibration": {"features": [[1.0], [2.0]],
                                                             "y": [0, 1]}},
         {"penalty": "l2", "c": 1.0, "calibration": "platt"}, rel, "length_mismatch",
         "calibration.features", "calibration rows need the training features"),
    ]
    for nm, inp, score, r, kind, field, why in errors:
        write(root, "leads", f"predictive_{nm}", {
            "function": "leads.predictive", "source": f"channelwise contract: {why}",
            "input": inp, "params": {"score": score, "reliability": r},
            "expected": {"error": kind, "field": field}, "tolerance": ERR_TOL})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=ROOT)
    a = ap.parse_args()
    glm_vectors(a.root)
    leads_vectors(a.root)


if __name__ == "__main__":
    main()
