"""Write tests/vectors/stats/*.json and tests/vectors/forecast/*.json deterministically.

    /opt/cwvenv/bin/python benches/compare/make_stats_vectors.py [--root .]

Needs numpy, scipy (pinned in requirements.txt) and pymannkendall==1.4.3 (pip).  Nothing here
imports channelwise.  Expected numbers come from:
  * scipy.stats pearsonr / spearmanr / kendalltau (method='auto') / theilslopes,
  * pymannkendall.original_test,
  * numpy for the lagged cross-correlation (np.correlate of the centred series) and forecast
    metrics, written out below from their textbook definitions.
Every random input is drawn from numpy's PCG64 with a fixed seed, so re-running reproduces the
files byte for byte (given the pinned versions).

Schema (shared by every stack's runner):
  {"function", "source", "input": {"x", "y"} | {"actual", "predicted", ...}, "params",
   "expected": {<field>: number | [numbers] | string | bool} | {"error": "<kind>"},
   "tolerance": {"abs", "rel"}}
  check |got - exp| <= abs + rel * |exp| for numbers; strings and bools must be equal.
Non-finite inputs are written as the strings "NaN", "Infinity", "-Infinity".
"""

from __future__ import annotations

import argparse
import os
import platform

import numpy as np
import pymannkendall as pmk
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SCIPY = f"scipy {scipy.__version__}"
NUMPY = f"numpy {np.__version__}"
PMK = f"pymannkendall {pmk.__version__}"
PY = f"Python {platform.python_version()}"

# Statistics are sums and sorts: agree to ~1e-15; p-values go through special functions
# (incomplete beta, erfc) implemented differently on each side.
STAT_TOL = {"abs": 1e-12, "rel": 1e-12}
P_TOL = {"abs": 1e-14, "rel": 1e-10}


from vectorio import arr, f, write  # noqa: E402  (shared vector writing)


def corr_tol():
    # statrs' incomplete beta (t p-values) agrees with scipy's Boost ibeta to ~1e-12 relative
    return {"abs": 1e-12, "rel": 1e-10}


# ---------------------------------------------------------------------------------------------
# stats: correlation
# ---------------------------------------------------------------------------------------------

def correlation_vectors(root: str) -> None:
    rng = np.random.default_rng(20260501)
    cases = {}
    # small textbook pair
    cases["small"] = (np.array([1.0, 2, 3, 4, 5]), np.array([2.0, 4, 5, 4, 5]))
    # moderate n, continuous, correlated
    x = rng.normal(size=50)
    cases["n50"] = (x, 0.4 * x + rng.normal(size=50))
    # many ties: small integers
    x = rng.integers(0, 5, size=40).astype(float)
    cases["ties"] = (x, np.round(x + rng.normal(scale=1.5, size=40)))
    # large n, weak association (p-value of moderate size)
    x = rng.normal(size=3000)
    cases["n3000"] = (x, 0.03 * x + rng.normal(size=3000))
    # scale and offset far from 1 (a marketing spend series in currency units)
    x = 1e6 + 1e3 * rng.normal(size=25)
    cases["offset"] = (x, 5e-3 * x + rng.normal(size=25))
    # perfect negative: p = 0 exactly
    x = np.arange(10.0)
    cases["perfect"] = (x, 3.0 - 2.0 * x)

    exact_note = {
        "perfect": "; y is exactly linear in x, so the true statistic is -1 and p = 0: the "
                   "reference's rounding leaves |r| just below 1 and a tiny positive p, channelwise "
                   "gives exactly -1 and 0, and the abs tolerance admits both",
    }
    for name, (x, y) in cases.items():
        note = exact_note.get(name, "")
        r = stats.pearsonr(x, y)
        write(root, "stats", f"pearson_{name}", {
            "function": "stats.pearson",
            "source": f"{SCIPY} scipy.stats.pearsonr(x, y) ({NUMPY}, {PY}){note}",
            "input": {"x": arr(x), "y": arr(y)}, "params": {},
            "expected": {"statistic": f(r.statistic), "p_value": f(r.pvalue), "n": len(x)},
            "tolerance": corr_tol()})
        r = stats.spearmanr(x, y)
        write(root, "stats", f"spearman_{name}", {
            "function": "stats.spearman",
            "source": f"{SCIPY} scipy.stats.spearmanr(x, y) (average ranks, t approximation){note}",
            "input": {"x": arr(x), "y": arr(y)}, "params": {},
            "expected": {"statistic": f(r.statistic), "p_value": f(r.pvalue), "n": len(x)},
            "tolerance": corr_tol()})

    # Kendall: every branch of scipy's method='auto'
    kc = {}
    x = rng.permutation(10).astype(float)
    kc["exact_n10"] = (x, x + rng.normal(scale=3, size=10), "exact (no ties, n <= 33)")
    x = rng.normal(size=33)
    kc["exact_n33"] = (x, x + rng.normal(scale=1.5, size=33), "exact (no ties, n = 33)")
    x = rng.normal(size=34)
    kc["asymptotic_n34"] = (x, x + rng.normal(scale=1.5, size=34), "asymptotic (no ties, n = 34)")
    x = np.arange(60.0)
    y = x.copy()
    y[[20, 21]] = y[[21, 20]]
    kc["exact_one_discordant_n60"] = (x, y, "exact (no ties, n > 33 but one discordant pair)")
    x = rng.integers(0, 6, size=45).astype(float)
    kc["ties"] = (x, np.round(x + rng.normal(scale=2, size=45)), "asymptotic, tie-corrected variance")
    x = rng.integers(0, 30, size=4000).astype(float)
    kc["ties_n4000"] = (x, np.round(0.05 * x + rng.normal(scale=2, size=4000)),
                        "asymptotic, tie-corrected variance")
    kc["scipy_doc"] = (np.array([12.0, 2, 1, 12, 2]), np.array([1.0, 4, 7, 1, 0]),
                       "asymptotic (ties); the scipy docstring example")
    x = rng.normal(size=8)
    kc["exact_n8_negative"] = (x, -x + rng.normal(scale=0.5, size=8), "exact (no ties)")
    for name, (x, y, path) in kc.items():
        r = stats.kendalltau(x, y)
        write(root, "stats", f"kendall_{name}", {
            "function": "stats.kendall",
            "source": f"{SCIPY} scipy.stats.kendalltau(x, y) tau-b, method='auto' -> {path}",
            "input": {"x": arr(x), "y": arr(y)}, "params": {},
            "expected": {"statistic": f(r.statistic), "p_value": f(r.pvalue), "n": len(x)},
            "tolerance": corr_tol()})

    # errors
    for fn in ("pearson", "spearman", "kendall"):
        write(root, "stats", f"error_{fn}_constant", {
            "function": f"stats.{fn}",
            "source": f"convention: a constant series has no correlation ({SCIPY} returns NaN with "
                      "ConstantInputWarning); channelwise returns not_enough_data",
            "input": {"x": [1.0, 2.0, 3.0, 4.0], "y": [7.0, 7.0, 7.0, 7.0]}, "params": {},
            "expected": {"error": "not_enough_data"}, "tolerance": {"abs": 0.0}})
    write(root, "stats", "error_pearson_nan", {
        "function": "stats.pearson", "source": "convention: non-finite input is rejected",
        "input": {"x": [1.0, "NaN", 3.0], "y": [1.0, 2.0, 3.0]}, "params": {},
        "expected": {"error": "non_finite"}, "tolerance": {"abs": 0.0}})
    write(root, "stats", "error_kendall_length", {
        "function": "stats.kendall", "source": "convention: paired series must have equal length",
        "input": {"x": [1.0, 2.0, 3.0], "y": [1.0, 2.0]}, "params": {},
        "expected": {"error": "length_mismatch"}, "tolerance": {"abs": 0.0}})
    write(root, "stats", "error_spearman_short", {
        "function": "stats.spearman", "source": "convention: a t test on n - 2 df needs n >= 3",
        "input": {"x": [1.0, 2.0], "y": [2.0, 1.0]}, "params": {},
        "expected": {"error": "not_enough_data"}, "tolerance": {"abs": 0.0}})

    # lagged cross-correlation: numpy, R's ccf convention
    def ccf(x, y, k):
        n = len(x)
        xo, yo = x - x.mean(), y - y.mean()
        full = np.correlate(xo, yo, mode="full")  # full[n-1+k] = sum_t xo[t+k] yo[t]
        den = n * x.std() * y.std()
        lags = np.arange(-k, k + 1)
        return lags, full[n - 1 + lags] / den

    spend = np.clip(rng.normal(100, 30, size=120), 0, None)
    sales = 50 + 0.8 * np.r_[np.zeros(3), spend[:-3]] + rng.normal(0, 10, size=120)
    for name, (x, y, k) in {"lead3": (sales, spend, 8),
                            "short": (np.array([1.0, 3, 2, 5, 4]), np.array([2.0, 1, 4, 3, 6]), 4)}.items():
        lags, vals = ccf(x, y, k)
        write(root, "stats", f"ccf_{name}", {
            "function": "stats.cross_correlation",
            "source": f"{NUMPY}: np.correlate(x - mean(x), y - mean(y), 'full')[n-1+k] / "
                      "(n std(x) std(y)), k = -max_lag..max_lag (R's ccf(x, y) convention; equals "
                      "statsmodels ccf(x, y, adjusted=False) for k >= 0)",
            "input": {"x": arr(x), "y": arr(y)}, "params": {"max_lag": k},
            "expected": {"lags": [int(v) for v in lags], "values": arr(vals)},
            "tolerance": STAT_TOL})
    write(root, "stats", "error_ccf_lag_too_long", {
        "function": "stats.cross_correlation", "source": "convention: max_lag must be < n",
        "input": {"x": [1.0, 2.0, 4.0], "y": [1.0, 3.0, 2.0]}, "params": {"max_lag": 3},
        "expected": {"error": "out_of_range"}, "tolerance": {"abs": 0.0}})


# ---------------------------------------------------------------------------------------------
# stats: trend
# ---------------------------------------------------------------------------------------------

def trend_vectors(root: str) -> None:
    rng = np.random.default_rng(20260502)
    series = {
        "increasing_n40": (np.arange(40) * 0.1 + rng.normal(size=40), 0.05),
        "ties_n60": (np.round(np.arange(60) * 0.02 + rng.normal(scale=0.8, size=60)), 0.05),
        "no_trend_n100": (rng.normal(size=100), 0.05),
        "decreasing_n500": (-0.003 * np.arange(500) + rng.normal(size=500), 0.01),
        "small_n5": (np.array([3.0, 1.0, 4.0, 1.0, 5.0]), 0.1),
        "constant": (np.full(8, 2.5), 0.05),
    }
    for name, (x, alpha) in series.items():
        r = pmk.original_test(x, alpha=alpha)
        src = f"{PMK} pymannkendall.original_test(x, alpha) ({SCIPY} norm, {NUMPY})"
        # pymannkendall's p = 2*(1 - norm.cdf(|z|)) cancels catastrophically in the tail (1 - cdf
        # keeps only the digits of cdf below 1): where it differs from the accurate tail
        # 2*norm.sf(|z|) the vector uses the latter and records pymannkendall's number.
        p = r.p
        p_tail = 2 * stats.norm.sf(abs(r.z))
        if abs(p - p_tail) > 1e-12 * p_tail:
            src += (f"; p = 2*scipy.stats.norm.sf(|z|) = {p_tail!r} from pymannkendall's z, not "
                    f"pymannkendall's own p = {p!r}, which loses digits to 1 - norm.cdf(|z|) "
                    "cancellation (channelwise agrees with the sf value to ~1e-14)")
            p = p_tail
        write(root, "stats", f"mann_kendall_{name}", {
            "function": "stats.mann_kendall",
            "source": src,
            "input": {"x": arr(x)}, "params": {"alpha": alpha},
            "expected": {"trend": r.trend, "h": bool(r.h), "p": f(p), "z": f(r.z),
                         "tau": f(r.Tau), "s": f(r.s), "var_s": f(r.var_s)},
            "tolerance": P_TOL})

    cases = {
        "index_n30": (None, np.arange(30) * 0.5 + rng.standard_t(2, size=30), 0.05),
        "outliers": (np.arange(12.0), np.r_[1 + 2 * np.arange(10.0), 200.0, -50.0], 0.05),
        "ties_in_x": (np.repeat(np.arange(10.0), 3), np.round(np.repeat(np.arange(10.0), 3) * 1.5
                                                              + rng.normal(size=30)), 0.1),
        "n200": (np.sort(rng.uniform(0, 50, size=200)), None, 0.01),
    }
    for name, (x, y, alpha) in cases.items():
        if y is None:
            y = 3.0 - 0.7 * x + rng.normal(scale=4, size=len(x))
        xs = np.arange(len(y), dtype=float) if x is None else x
        r = stats.theilslopes(y, xs, alpha=1 - alpha)
        write(root, "stats", f"theil_sen_{name}", {
            "function": "stats.theil_sen",
            "source": f"{SCIPY} scipy.stats.theilslopes(y, x, alpha={1 - alpha:g}) "
                      f"(scipy's alpha is the confidence level; channelwise alpha = {alpha:g})",
            "input": {"x": arr(xs), "y": arr(y)}, "params": {"alpha": alpha},
            "expected": {"slope": f(r.slope), "intercept": f(r.intercept),
                         "low_slope": f(r.low_slope), "high_slope": f(r.high_slope)},
            "tolerance": STAT_TOL})
    write(root, "stats", "error_theil_sen_same_x", {
        "function": "stats.theil_sen",
        "source": f"convention: no two distinct x, no slope ({SCIPY} warns and returns NaN)",
        "input": {"x": [2.0, 2.0, 2.0], "y": [1.0, 2.0, 3.0]}, "params": {"alpha": 0.05},
        "expected": {"error": "not_enough_data"}, "tolerance": {"abs": 0.0}})
    write(root, "stats", "error_mann_kendall_inf", {
        "function": "stats.mann_kendall", "source": "convention: non-finite input is rejected",
        "input": {"x": [1.0, 2.0, "Infinity", 3.0]}, "params": {"alpha": 0.05},
        "expected": {"error": "non_finite"}, "tolerance": {"abs": 0.0}})


# ---------------------------------------------------------------------------------------------
# forecast: metrics and rolling origin
# ---------------------------------------------------------------------------------------------

def forecast_vectors(root: str) -> None:
    rng = np.random.default_rng(20260503)
    n, m = 28, 7
    t = np.arange(n + 14)
    y = 100 + 10 * np.sin(2 * np.pi * t / m) + 0.5 * t + rng.normal(scale=3, size=len(t))
    insample, actual = y[:n], y[n:]
    predicted = actual + rng.normal(scale=4, size=len(actual))
    half = 1.645 * 4
    lower, upper = predicted - half, predicted + half
    err = actual - predicted
    src = f"{NUMPY}, textbook definition: "
    metric = {
        "mae": (np.mean(np.abs(err)), "mean(|a - p|)", {}),
        "rmse": (np.sqrt(np.mean(err ** 2)), "sqrt(mean((a - p)^2))", {}),
        "mape": (np.mean(np.abs(err / actual)), "mean(|(a - p) / a|) (a fraction)", {}),
        "smape": (np.mean(2 * np.abs(err) / (np.abs(actual) + np.abs(predicted))),
                  "mean(2 |a - p| / (|a| + |p|)) (M4 sMAPE / 100)", {}),
        "mase": (np.mean(np.abs(err)) / np.mean(np.abs(insample[m:] - insample[:-m])),
                 f"mean(|a - p|) / mean(|insample[t] - insample[t-{m}]|) (Hyndman & Koehler 2006)",
                 {"m": m}),
        "mase_m1": (np.mean(np.abs(err)) / np.mean(np.abs(np.diff(insample))),
                    "mean(|a - p|) / mean(|diff(insample)|)", {"m": 1}),
        "coverage": (np.mean((lower <= actual) & (actual <= upper)), "mean(l <= a <= u)", {}),
        "winkler": (np.mean((upper - lower) + 2 / 0.1 * (np.clip(lower - actual, 0, None)
                                                          + np.clip(actual - upper, 0, None))),
                    "mean((u - l) + 2/alpha (max(l - a, 0) + max(a - u, 0))) "
                    "(Gneiting & Raftery 2007 eq. 43)", {"alpha": 0.1}),
    }
    for name, (val, how, params) in metric.items():
        fn = name.split("_")[0]
        inp = {"actual": arr(actual), "predicted": arr(predicted)}
        if fn == "mase":
            inp["insample"] = arr(insample)
        if fn in ("coverage", "winkler"):
            inp = {"actual": arr(actual), "lower": arr(lower), "upper": arr(upper)}
        write(root, "forecast", f"metric_{name}", {
            "function": f"forecast.{fn}", "source": src + how,
            "input": inp, "params": params, "expected": {"value": f(val)},
            "tolerance": STAT_TOL})

    # rolling origin with two simple deterministic forecasters
    initial, horizon, step = 14, 5, 3
    for model in ("naive", "mean"):
        origins, errs = [], []
        o = initial
        while o + horizon <= len(y):
            train = y[:o]
            fc = np.full(horizon, train[-1] if model == "naive" else train.mean())
            errs.append(y[o:o + horizon] - fc)
            origins.append(o)
            o += step
        e = np.array(errs)
        write(root, "forecast", f"rolling_origin_{model}", {
            "function": "forecast.rolling_origin",
            "source": f"{NUMPY}: explicit loop, origins initial + i*step while origin + horizon <= n; "
                      f"forecast = {'last training value' if model == 'naive' else 'training mean'}",
            "input": {"y": arr(y)},
            "params": {"initial": initial, "horizon": horizon, "step": step, "model": model},
            "expected": {"origins": origins, "mae": arr(np.mean(np.abs(e), axis=0)),
                         "rmse": arr(np.sqrt(np.mean(e ** 2, axis=0)))},
            "tolerance": STAT_TOL})

    write(root, "forecast", "error_mape_zero_actual", {
        "function": "forecast.mape", "source": "convention: MAPE is undefined at a zero actual",
        "input": {"actual": [1.0, 0.0, 2.0], "predicted": [1.0, 1.0, 1.0]}, "params": {},
        "expected": {"error": "invalid_record"}, "tolerance": {"abs": 0.0}})
    write(root, "forecast", "error_mase_flat_history", {
        "function": "forecast.mase", "source": "convention: a zero naive scale leaves MASE undefined",
        "input": {"actual": [1.0], "predicted": [2.0], "insample": [3.0, 3.0, 3.0]},
        "params": {"m": 1}, "expected": {"error": "invalid_parameter"}, "tolerance": {"abs": 0.0}})
    write(root, "forecast", "error_mae_nan", {
        "function": "forecast.mae", "source": "convention: non-finite input is rejected",
        "input": {"actual": [1.0, 2.0], "predicted": [1.0, "NaN"]}, "params": {},
        "expected": {"error": "non_finite"}, "tolerance": {"abs": 0.0}})
    write(root, "forecast", "error_rolling_origin_short", {
        "function": "forecast.rolling_origin", "source": "convention: need initial + horizon points",
        "input": {"y": [1.0, 2.0, 3.0]},
        "params": {"initial": 3, "horizon": 1, "step": 1, "model": "naive"},
        "expected": {"error": "not_enough_data"}, "tolerance": {"abs": 0.0}})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=ROOT)
    a = ap.parse_args()
    correlation_vectors(a.root)
    trend_vectors(a.root)
    forecast_vectors(a.root)


if __name__ == "__main__":
    main()
