"""Write the decomposition and robust-anomaly vectors deterministically.

    /opt/cwvenv/bin/python benches/compare/make_decompose_vectors.py [--root .]

Writes tests/vectors/forecast/{stl,mstl,strength}_*.json and tests/vectors/anomaly/robust_*.json.
Nothing here imports channelwise.  Expected numbers come from:
  * statsmodels STL / MSTL (forecast.stl, forecast.mstl),
  * numpy on statsmodels' components (forecast.strength),
  * scipy.stats.median_abs_deviation + numpy (anomaly.mad),
  * pandas centred rolling windows (anomaly.hampel), cross-checked against the `hampel` PyPI
    package (1.0.2) on the interior points it handles when that package is importable,
  * a from-the-paper implementation below on scipy.stats.t.ppf (anomaly.esd, Rosner 1983) and
    on statsmodels STL (anomaly.seasonal_esd, Hochenbaum et al. 2017).
Data: pmdarima's airpassengers / wineind / woolyrnq, statsmodels' co2 (weekly, NaNs linearly
interpolated, the first 260 weeks) / nile / sunspots, and numpy PCG64 series with fixed seeds,
so re-running reproduces the files byte for byte (given the pinned versions).

Schema (shared by every stack's runner): {"function", "source", "input": {"y"}, "params",
"expected": {<field>: number | [numbers] | string | bool} | {"error": "<kind>"},
"tolerance": {"abs", "rel"}}. Non-finite numbers are the strings "NaN", "Infinity", "-Infinity".
Optional STL parameters absent from "params" mean "default".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys

import numpy as np
import pandas as pd
import pmdarima
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.tsa.seasonal import MSTL, STL

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SM = f"statsmodels {statsmodels.__version__}"
SCIPY = f"scipy {scipy.__version__}"
NUMPY = f"numpy {np.__version__}"
PANDAS = f"pandas {pd.__version__}"
PY = f"Python {platform.python_version()}"

# STL is deterministic arithmetic in the same order on both sides: rounding only.
STL_TOL = {"abs": 1e-8, "rel": 1e-10}
EXACT_TOL = {"abs": 1e-12, "rel": 1e-12}
# lambda_i goes through Student's t quantile: statrs' inverse vs scipy's Boost.
ESD_TOL = {"abs": 1e-9, "rel": 1e-8}


from vectorio import arr, f, write  # noqa: E402  (shared vector writing)


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------

def datasets() -> dict[str, np.ndarray]:
    co2 = sm.datasets.co2.load_pandas().data["co2"].interpolate(method="linear")
    return {
        "airpassengers": np.asarray(pmdarima.datasets.load_airpassengers(), dtype=float),
        "wineind": np.asarray(pmdarima.datasets.load_wineind(), dtype=float),
        "woolyrnq": np.asarray(pmdarima.datasets.load_woolyrnq(), dtype=float),
        # weekly co2, NaNs interpolated, the first 5 years (period 52)
        "co2": co2.to_numpy()[: 5 * 52].astype(float),
        "nile": sm.datasets.nile.load_pandas().data["volume"].to_numpy(dtype=float),
        "sunspots": sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(dtype=float),
    }


def synthetic(seed: int, n: int, periods: list[tuple[int, float]], outliers: int = 0,
              noise: float = 1.0, slope: float = 0.05) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    y = 50.0 + slope * t + noise * rng.normal(size=n)
    for p, amp in periods:
        y += amp * np.sin(2 * np.pi * t / p) + 0.3 * amp * np.cos(4 * np.pi * t / p)
    if outliers:
        idx = rng.choice(n, size=outliers, replace=False)
        y[idx] += rng.choice([-1.0, 1.0], size=outliers) * rng.uniform(8, 15, size=outliers) * noise
    return np.round(y, 6)


# ---------------------------------------------------------------------------------------------
# forecast.stl / forecast.strength
# ---------------------------------------------------------------------------------------------

STL_KEYS = ["seasonal", "trend", "low_pass", "seasonal_deg", "trend_deg", "low_pass_deg",
            "robust", "seasonal_jump", "trend_jump", "low_pass_jump"]


def stl_fit(y, period, params):
    kw = {k: params[k] for k in STL_KEYS if k in params}
    res = STL(y, period=period, **kw).fit(inner_iter=params.get("inner_iter"),
                                          outer_iter=params.get("outer_iter"))
    return res


def describe(params: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


def stl_vectors(root: str, d: dict) -> None:
    cases = {
        "airpassengers": (d["airpassengers"], {"period": 12}),
        "airpassengers_robust": (d["airpassengers"], {"period": 12, "robust": True}),
        "airpassengers_wide_seasonal": (d["airpassengers"], {"period": 12, "seasonal": 35,
                                                             "low_pass_deg": 0}),
        "wineind_jumps_robust": (d["wineind"], {"period": 12, "seasonal": 11, "robust": True,
                                                "seasonal_jump": 3, "trend_jump": 5,
                                                "low_pass_jump": 2}),
        "woolyrnq_deg0": (d["woolyrnq"], {"period": 4, "seasonal": 9, "seasonal_deg": 0,
                                          "trend_deg": 0}),
        "co2_weekly": (d["co2"], {"period": 52, "seasonal": 13, "trend": 105, "low_pass": 53}),
        "sunspots_robust": (d["sunspots"], {"period": 11, "seasonal": 7, "trend": 23,
                                            "robust": True}),
        "nile_p10": (d["nile"], {"period": 10}),
        "synthetic_outliers_robust": (synthetic(11, 210, [(7, 5.0)], outliers=8),
                                      {"period": 7, "robust": True}),
        "synthetic_iters": (synthetic(12, 96, [(12, 3.0)]),
                            {"period": 12, "seasonal": 9, "inner_iter": 3, "outer_iter": 2}),
        "synthetic_two_cycles": (synthetic(13, 24, [(12, 4.0)]), {"period": 12}),
    }
    for name, (y, params) in cases.items():
        params = dict(params)
        period = params.pop("period")
        res = stl_fit(y, period, params)
        write(root, "forecast", f"stl_{name}", {
            "function": "forecast.stl",
            "source": f"{SM} STL(y, period={period}{', ' if params else ''}{describe(params)}).fit() "
                      f"({NUMPY}, {PY})",
            "input": {"y": arr(y)},
            "params": {"period": period, **params},
            "expected": {"trend": arr(res.trend), "seasonal": arr(res.seasonal),
                         "resid": arr(res.resid), "weights": arr(res.weights)},
            "tolerance": STL_TOL})

        if name in ("airpassengers", "sunspots_robust", "nile_p10", "woolyrnq_deg0",
                    "synthetic_outliers_robust"):
            s, t, r = (np.asarray(res.seasonal), np.asarray(res.trend), np.asarray(res.resid))
            fs = max(0.0, 1.0 - np.var(r) / np.var(s + r))
            ft = max(0.0, 1.0 - np.var(r) / np.var(t + r))
            write(root, "forecast", f"strength_{name}", {
                "function": "forecast.strength",
                "source": f"numpy max(0, 1 - var(R)/var(S+R)) and max(0, 1 - var(R)/var(T+R)) "
                          f"(Wang, Smith & Hyndman 2006; FPP3 4.3) on the components of {SM} "
                          f"STL(y, period={period}{', ' if params else ''}{describe(params)}).fit()",
                "input": {"y": arr(y)},
                "params": {"period": period, **params},
                "expected": {"seasonal_strength": f(fs), "trend_strength": f(ft)},
                "tolerance": {"abs": 1e-10, "rel": 1e-10}})

    # white noise: seasonal strength clamps at (or near) 0
    y = np.round(np.random.default_rng(14).normal(size=120), 6)
    res = STL(y, period=12).fit()
    s, t, r = (np.asarray(res.seasonal), np.asarray(res.trend), np.asarray(res.resid))
    write(root, "forecast", "strength_white_noise", {
        "function": "forecast.strength",
        "source": f"numpy FPP3 strengths on {SM} STL(y, period=12).fit() of seeded white noise",
        "input": {"y": arr(y)}, "params": {"period": 12},
        "expected": {"seasonal_strength": f(max(0.0, 1 - np.var(r) / np.var(s + r))),
                     "trend_strength": f(max(0.0, 1 - np.var(r) / np.var(t + r)))},
        "tolerance": {"abs": 1e-10, "rel": 1e-10}})

    y = d["airpassengers"][:48]
    errors = {
        "period_1": (y, {"period": 1}, "out_of_range", "statsmodels raises ValueError"),
        "seasonal_even": (y, {"period": 12, "seasonal": 8}, "invalid_parameter",
                          "statsmodels raises ValueError (seasonal must be odd)"),
        "seasonal_1": (y, {"period": 12, "seasonal": 1}, "out_of_range",
                       "statsmodels raises ValueError (seasonal >= 3)"),
        "trend_not_above_period": (y, {"period": 12, "trend": 11}, "invalid_parameter",
                                   "statsmodels raises ValueError (trend > period)"),
        "low_pass_even": (y, {"period": 12, "low_pass": 14}, "invalid_parameter",
                          "statsmodels raises ValueError (low_pass odd)"),
        "degree_2": (y, {"period": 12, "trend_deg": 2}, "out_of_range",
                     "channelwise contract: LOESS degree 0 or 1 (statsmodels does not check)"),
        "jump_0": (y, {"period": 12, "seasonal_jump": 0}, "out_of_range",
                   "statsmodels raises ValueError (jump must be a positive integer)"),
        "short_series": (y[:23], {"period": 12}, "not_enough_data",
                         "channelwise contract: STL needs two full cycles (statsmodels runs)"),
        "nan": (np.concatenate([y[:30], [np.nan], y[31:]]), {"period": 12}, "non_finite",
                "channelwise contract: finite input (statsmodels propagates NaN)"),
        "infinite": (np.concatenate([y[:5], [np.inf], y[6:]]), {"period": 12}, "non_finite",
                     "channelwise contract: finite input"),
    }
    for name, (yy, params, kind, why) in errors.items():
        write(root, "forecast", f"stl_error_{name}", {
            "function": "forecast.stl", "source": why,
            "input": {"y": arr(yy)}, "params": params,
            "expected": {"error": kind}, "tolerance": {"abs": 0, "rel": 0}})


# ---------------------------------------------------------------------------------------------
# forecast.mstl
# ---------------------------------------------------------------------------------------------

def mstl_vectors(root: str, d: dict) -> None:
    hourly = synthetic(21, 360, [(24, 4.0), (168, 8.0)], noise=0.8, slope=0.01)
    cases = {
        "synthetic_24_168": (hourly, {"periods": [24, 168]}),
        "synthetic_7_30_windows_robust": (
            synthetic(22, 240, [(7, 3.0), (30, 5.0)], outliers=5),
            {"periods": [30, 7], "windows": [13, 9], "iterate": 3, "robust": True}),
        "airpassengers_single": (d["airpassengers"], {"periods": [12]}),
        "airpassengers_log_12_4": (d["airpassengers"], {"periods": [12, 4], "lmbda": 0.0}),
        "wineind_boxcox_half": (d["wineind"], {"periods": [12, 6], "lmbda": 0.5, "trend": 25,
                                               "inner_iter": 3}),
    }
    for name, (y, params) in cases.items():
        periods = params["periods"]
        stl_kwargs = {k: params[k] for k in STL_KEYS + ["inner_iter", "outer_iter"] if k in params}
        lmbda = params.get("lmbda")
        note = ""
        if lmbda == 0.0:
            # statsmodels tests `elif self.lmbda:`, so lmbda=0 (the log transform) silently means
            # no transform; Box-Cox at 0 is log (scipy.stats.boxcox(y, 0) == log y), so the
            # reference decomposes scipy's boxcox(y, 0) with lmbda=None.
            yy, lmbda = stats.boxcox(y, lmbda=0.0), None
            note = ("; statsmodels ignores lmbda=0 (falsy) and decomposes y itself, which is a "
                    "statsmodels bug: Box-Cox at 0 is log, so expected = MSTL(boxcox(y, 0), "
                    "lmbda=None)")
        else:
            yy = y
        res = MSTL(yy, periods=periods, windows=params.get("windows"), lmbda=lmbda,
                   iterate=params.get("iterate", 2), stl_kwargs=dict(stl_kwargs)).fit()
        seas = np.asarray(res.seasonal)
        if seas.ndim == 1:
            seas = seas[:, None]
        expected = {"trend": arr(res.trend), "resid": arr(res.resid)}
        for j, p in enumerate(sorted(periods)):
            expected[f"seasonal_{p}"] = arr(seas[:, j])
        extra = ", ".join(f"{k}={params[k]!r}" for k in ("windows", "lmbda", "iterate") if k in params)
        write(root, "forecast", f"mstl_{name}", {
            "function": "forecast.mstl",
            "source": f"{SM} MSTL(y, periods={periods}{', ' + extra if extra else ''}, "
                      f"stl_kwargs={stl_kwargs}).fit() ({SCIPY} boxcox, {NUMPY}, {PY}){note}",
            "input": {"y": arr(y)}, "params": params,
            "expected": expected, "tolerance": STL_TOL})

    y = d["airpassengers"]
    errors = {
        "period_too_long": (y, {"periods": [12, 72]}, "not_enough_data",
                            "channelwise contract: each period < n/2 (statsmodels drops it with a warning)"),
        "windows_mismatch": (y, {"periods": [12, 4], "windows": [11]}, "length_mismatch",
                             "statsmodels raises ValueError (periods and windows lengths)"),
        "boxcox_nonpositive": (np.concatenate([[0.0], y[1:]]), {"periods": [12], "lmbda": 0.0},
                               "out_of_range", "scipy boxcox raises ValueError (data must be positive)"),
        "even_window": (y, {"periods": [12, 4], "windows": [11, 8]}, "invalid_parameter",
                        "statsmodels STL raises ValueError (seasonal must be odd)"),
    }
    for name, (yy, params, kind, why) in errors.items():
        write(root, "forecast", f"mstl_error_{name}", {
            "function": "forecast.mstl", "source": why,
            "input": {"y": arr(yy)}, "params": params,
            "expected": {"error": kind}, "tolerance": {"abs": 0, "rel": 0}})


# ---------------------------------------------------------------------------------------------
# anomaly.*: independent references
# ---------------------------------------------------------------------------------------------

def ref_mad_detect(x: np.ndarray, threshold: float) -> dict:
    med = float(np.median(x))
    mad = float(stats.median_abs_deviation(x, scale="normal"))
    scale = mad if mad > 0 else float(np.mean(np.abs(x - med))) * math.sqrt(math.pi / 2)
    scores = (x - med) / scale if scale > 0 else np.zeros_like(x)
    out = np.flatnonzero(np.abs(scores) > threshold)
    return {"median": f(med), "mad": f(mad), "scale": f(scale), "scores": arr(scores),
            "outliers": [int(i) for i in out], "n_outliers": int(out.size)}


def ref_hampel(x: np.ndarray, k: int, t: float) -> dict:
    s = pd.Series(x)
    roll = s.rolling(2 * k + 1, center=True, min_periods=1)
    med = roll.median()
    scale = roll.apply(lambda w: np.median(np.abs(w - np.median(w))), raw=True) / stats.norm.ppf(0.75)
    flags = (s - med).abs() > t * scale
    filtered = s.where(~flags, med)
    return {"filtered": arr(filtered), "outliers": [int(i) for i in np.flatnonzero(flags)],
            "n_outliers": int(flags.sum()), "medians": arr(med), "scales": arr(scale)}


def hampel_crosscheck(x: np.ndarray, k: int, t: float, outliers: list[int]) -> str:
    """Compare with the `hampel` package on the interior points (it skips the k at each end,
    computes in float32 and uses 1.4826)."""
    try:
        sys.path.insert(0, "/tmp/stl-refpkgs")
        from hampel import hampel as hampel_pkg  # type: ignore
    except Exception:  # noqa: BLE001 - optional cross-check
        return ""
    r = hampel_pkg(np.asarray(x, dtype=float), window_size=2 * k + 1, n_sigma=float(t))
    theirs = sorted(int(i) for i in r.outlier_indices)
    ours = [i for i in outliers if k <= i < len(x) - k]
    if theirs != ours:
        raise SystemExit(f"hampel package disagrees on interior outliers: {theirs} vs {ours}")
    return "; interior outlier indices agree with the hampel 1.0.2 PyPI package"


def ref_esd(x: np.ndarray, max_anoms: float, alpha: float, direction: str, hybrid: bool):
    """Rosner (1983) generalized ESD; hybrid = Twitter's median/MAD variant."""
    n = len(x)
    r = int(math.floor(n * max_anoms))
    idx = list(range(n))
    vals = np.asarray(x, dtype=float).copy()
    stat, crit, removed, centres = [], [], [], []
    n_anoms = 0
    for i in range(1, r + 1):
        if hybrid:
            c = float(np.median(vals))
            sigma = float(stats.median_abs_deviation(vals, scale="normal"))
        else:
            c = float(np.mean(vals))
            sigma = float(np.std(vals, ddof=1))
        if not sigma > 0:
            break
        dev = {"pos": vals - c, "neg": c - vals, "both": np.abs(vals - c)}[direction]
        j = int(np.argmax(dev))
        R = float(dev[j] / sigma)
        p = 1 - alpha / (2 * (n - i + 1)) if direction == "both" else 1 - alpha / (n - i + 1)
        tq = float(stats.t.ppf(p, n - i - 1))
        lam = tq * (n - i) / math.sqrt((n - i - 1 + tq ** 2) * (n - i + 1))
        stat.append(R)
        crit.append(lam)
        removed.append(idx[j])
        centres.append(c)
        if R > lam:
            n_anoms = i
        del idx[j]
        vals = np.delete(vals, j)
    anomalies = sorted(removed[:n_anoms])
    return {"indices": anomalies, "n_anomalies": n_anoms, "statistics": stat,
            "critical_values": crit, "removed": removed}


def ref_seasonal_esd(x, period, max_anoms, alpha, direction):
    n = len(x)
    # R's stl(s.window="periodic", robust=TRUE): s.window = 10n+1, s.degree = 0, jumps
    # ceil(window/10), inner 1, outer 15 (low_pass: statsmodels' next odd > period)
    sw = 10 * n + 1
    tw = int(np.ceil(1.5 * period / (1 - 1.5 / sw)))
    tw += tw % 2 == 0
    lw = period + 1 + ((period + 1) % 2 == 0)
    res = STL(x, period=period, seasonal=sw, seasonal_deg=0, robust=True,
              seasonal_jump=math.ceil(sw / 10), trend_jump=math.ceil(tw / 10),
              low_pass_jump=math.ceil(lw / 10)).fit(inner_iter=1, outer_iter=15)
    s = np.asarray(res.seasonal)
    seasonal = np.empty(n)
    for j in range(period):
        seasonal[j::period] = s[j::period].mean()
    med = float(np.median(x))
    resid = x - seasonal - med
    out = ref_esd(resid, max_anoms, alpha, direction, hybrid=True)
    out["seasonal"] = seasonal
    out["median"] = med
    return out


def anomaly_vectors(root: str, d: dict) -> None:
    rng = np.random.default_rng(31)
    base = np.round(10 + rng.normal(size=80), 6)
    spiky = base.copy()
    spiky[[5, 33, 60]] += [9.0, -7.5, 12.0]
    spiky = np.round(spiky, 6)

    # anomaly.mad
    mad_cases = {
        "spiky": (spiky, 3.5),
        "nile": (d["nile"], 2.0),
        "mad_zero_fallback": (np.array([4.0] * 9 + [5.0, 40.0]), 3.5),
        "constant": (np.full(12, 2.5), 3.5),
        "single": (np.array([7.0]), 3.5),
    }
    for name, (x, thr) in mad_cases.items():
        write(root, "anomaly", f"robust_mad_{name}", {
            "function": "anomaly.mad",
            "source": f"{SCIPY} median_abs_deviation(x, scale='normal'), numpy median; robust z = "
                      "(x - median) / scale, outlier |z| > threshold; scale = MAD, or mean |x - "
                      "median| * sqrt(pi/2) when MAD = 0, scores 0 when that is 0 too",
            "input": {"x": arr(x)}, "params": {"threshold": thr},
            "expected": ref_mad_detect(np.asarray(x, dtype=float), thr), "tolerance": EXACT_TOL})

    # anomaly.hampel
    hampel_cases = {
        "spiky_k3": (spiky, 3, 3.0),
        "nile_k3": (d["nile"], 3, 3.0),
        "sunspots_k5_t2": (d["sunspots"][:150], 5, 2.0),
        "short_k4": (np.array([1.0, 1.2, 9.0, 0.9, 1.1]), 4, 3.0),
    }
    for name, (x, k, t) in hampel_cases.items():
        exp = ref_hampel(np.asarray(x, dtype=float), k, t)
        note = hampel_crosscheck(np.asarray(x, dtype=float), k, t, exp["outliers"])
        write(root, "anomaly", f"robust_hampel_{name}", {
            "function": "anomaly.hampel",
            "source": f"{PANDAS} Series.rolling(2k+1, center=True, min_periods=1): median, and "
                      f"median |w - median(w)| / {SCIPY} norm.ppf(0.75); outlier |x - m| > t * s, "
                      f"replaced by m{note}",
            "input": {"x": arr(x)}, "params": {"half_window": k, "n_sigmas": t},
            "expected": exp, "tolerance": EXACT_TOL})

    # anomaly.esd
    esd_cases = {
        "spiky_both": (spiky, 0.1, 0.05, "both"),
        "spiky_pos": (spiky, 0.1, 0.05, "pos"),
        "spiky_neg": (spiky, 0.2, 0.01, "neg"),
        "nile": (d["nile"], 0.05, 0.05, "both"),
        "heavy_tail": (np.round(np.random.default_rng(32).standard_t(3, size=150), 6), 0.5, 0.1, "both"),
    }
    for name, (x, ma, al, dirn) in esd_cases.items():
        exp = ref_esd(np.asarray(x, dtype=float), ma, al, dirn, hybrid=False)
        write(root, "anomaly", f"robust_esd_{name}", {
            "function": "anomaly.esd",
            "source": f"generalized ESD (Rosner 1983) written in numpy in this generator: mean, "
                      f"sample sd (ddof=1), lambda from {SCIPY} t.ppf; r = floor(n max_anoms). "
                      "(sesd 0.2 on PyPI is not usable as a reference: population sd, unscaled MAD, "
                      "and it reports nothing when only the first step is significant)",
            "input": {"x": arr(x)}, "params": {"max_anoms": ma, "alpha": al, "direction": dirn},
            "expected": exp, "tolerance": ESD_TOL})

    # anomaly.seasonal_esd
    hourly = synthetic(41, 240, [(24, 6.0)], noise=0.7)
    hourly[[30, 100, 101, 200]] += [6.0, -5.0, 7.0, 9.0]
    hourly = np.round(hourly, 6)
    weekly = synthetic(42, 140, [(7, 4.0)], outliers=6, noise=0.5, slope=0.0)
    sesd_cases = {
        "hourly_both": (hourly, 24, 0.05, 0.05, "both"),
        "hourly_pos": (hourly, 24, 0.05, 0.05, "pos"),
        "weekly_neg": (weekly, 7, 0.1, 0.05, "neg"),
        "weekly_both_max": (weekly, 7, 0.5, 0.01, "both"),
        "airpassengers": (d["airpassengers"], 12, 0.1, 0.05, "both"),
    }
    for name, (x, p, ma, al, dirn) in sesd_cases.items():
        out = ref_seasonal_esd(np.asarray(x, dtype=float), p, ma, al, dirn)
        exp = {k: (arr(v) if isinstance(v, (list, np.ndarray)) and k != "indices" and k != "removed"
                   else v) for k, v in out.items()}
        exp["median"] = f(out["median"])
        write(root, "anomaly", f"robust_seasonal_esd_{name}", {
            "function": "anomaly.seasonal_esd",
            "source": f"seasonal hybrid ESD (Hochenbaum et al. 2017) written in this generator: "
                      f"seasonal = {SM} STL(x, period, seasonal=10n+1, seasonal_deg=0, robust=True, "
                      "*_jump=ceil(window/10)).fit(inner_iter=1, outer_iter=15).seasonal averaged "
                      "per cycle position (R's stl(s.window='periodic', robust=TRUE), as Twitter's "
                      "AnomalyDetection), resid = x - seasonal - median(x), ESD with "
                      f"median and {SCIPY} median_abs_deviation(scale='normal'), lambda from t.ppf",
            "input": {"x": arr(x)},
            "params": {"period": p, "max_anoms": ma, "alpha": al, "direction": dirn},
            "expected": exp, "tolerance": ESD_TOL})

    # errors
    x = spiky[:30]
    errors = {
        "mad_empty": ("anomaly.mad", np.array([]), {"threshold": 3.5}, "not_enough_data"),
        "mad_nan": ("anomaly.mad", np.array([1.0, np.nan, 2.0]), {"threshold": 3.5}, "non_finite"),
        "mad_negative_threshold": ("anomaly.mad", x, {"threshold": -1.0}, "out_of_range"),
        "hampel_k0": ("anomaly.hampel", x, {"half_window": 0, "n_sigmas": 3.0}, "out_of_range"),
        "hampel_inf": ("anomaly.hampel", np.array([1.0, np.inf, 2.0]),
                       {"half_window": 1, "n_sigmas": 3.0}, "non_finite"),
        "hampel_nan_sigmas": ("anomaly.hampel", x, {"half_window": 2, "n_sigmas": "NaN"}, "non_finite"),
        "esd_alpha_above_1": ("anomaly.esd", x, {"max_anoms": 0.1, "alpha": 1.5, "direction": "both"},
                              "out_of_range"),
        "esd_alpha_0": ("anomaly.esd", x, {"max_anoms": 0.1, "alpha": 0.0, "direction": "both"},
                        "invalid_parameter"),
        "esd_max_anoms_above_half": ("anomaly.esd", x, {"max_anoms": 0.6, "alpha": 0.05,
                                                        "direction": "both"}, "out_of_range"),
        "esd_max_anoms_0": ("anomaly.esd", x, {"max_anoms": 0.0, "alpha": 0.05, "direction": "both"},
                            "invalid_parameter"),
        "esd_too_few_steps": ("anomaly.esd", x[:5], {"max_anoms": 0.1, "alpha": 0.05,
                                                     "direction": "both"}, "not_enough_data"),
        "esd_bad_direction": ("anomaly.esd", x, {"max_anoms": 0.1, "alpha": 0.05, "direction": "up"},
                              "invalid_parameter"),
        "esd_nan": ("anomaly.esd", np.concatenate([x, [np.nan]]),
                    {"max_anoms": 0.1, "alpha": 0.05, "direction": "both"}, "non_finite"),
        "seasonal_esd_period_1": ("anomaly.seasonal_esd", x, {"period": 1, "max_anoms": 0.1,
                                                              "alpha": 0.05, "direction": "both"},
                                  "out_of_range"),
        "seasonal_esd_short": ("anomaly.seasonal_esd", x, {"period": 16, "max_anoms": 0.1,
                                                           "alpha": 0.05, "direction": "both"},
                               "not_enough_data"),
    }
    for name, (fn, xx, params, kind) in errors.items():
        write(root, "anomaly", f"robust_error_{name}", {
            "function": fn, "source": "channelwise contract (STYLE.md 5): typed error for bad input",
            "input": {"x": arr(xx)}, "params": params,
            "expected": {"error": kind}, "tolerance": {"abs": 0, "rel": 0}})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=ROOT)
    a = ap.parse_args()
    d = datasets()
    stl_vectors(a.root, d)
    mstl_vectors(a.root, d)
    anomaly_vectors(a.root, d)


if __name__ == "__main__":
    main()
