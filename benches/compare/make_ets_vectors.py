"""Writes tests/vectors/forecast/ets_*.json and tests/vectors/anomaly/residual_*.json.

Expected numbers come from statsforecast 2.1.1 (AutoETS / ETS via `statsforecast.ets.ets_f`)
and, for residual alerts, from scipy's normal quantile with the formula written out here.
Re-runnable and deterministic: `/opt/cwvenv/bin/python benches/compare/make_ets_vectors.py`.
"""
import json
import math
from pathlib import Path

import numpy as np
import scipy
import statsforecast
from pmdarima.datasets import load_airpassengers, load_wineind, load_woolyrnq
import statsmodels.api as sm
from scipy.stats import norm
from statsforecast.models import AutoETS

ROOT = Path(__file__).resolve().parents[2] / "tests" / "vectors"
SF = f"statsforecast {statsforecast.__version__}"
LEVELS = [80, 95]


def enc(x):
    if isinstance(x, (list, tuple, np.ndarray)):
        return [enc(v) for v in x]
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def write(module, name, v):
    p = ROOT / module / f"{name}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(v, indent=1) + "\n")


def series():
    rng = np.random.default_rng(20240601)
    t = np.arange(96)
    trend_season = 200 + 1.5 * t + 15 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 4, 96)
    mult = (100 + 0.8 * np.arange(120)) * (1 + 0.25 * np.sin(2 * np.pi * np.arange(120) / 12)) * np.exp(rng.normal(0, 0.02, 120))
    nonpos = 5 * np.sin(2 * np.pi * np.arange(48) / 4) + rng.normal(0, 1, 48) - 1.0
    short = 50 + 10 * np.sin(2 * np.pi * np.arange(20) / 12) + rng.normal(0, 1, 20)
    return {
        "airpassengers": (load_airpassengers().astype(float), 12),
        "wineind": (load_wineind().astype(float), 12),
        "woolyrnq": (load_woolyrnq().astype(float), 4),
        "nile": (sm.datasets.nile.load_pandas().data["volume"].to_numpy(float), 1),
        "synthetic_trend_season": (trend_season, 12),
        "synthetic_multiplicative": (mult, 12),
        "synthetic_nonpositive": (nonpos, 4),
        "synthetic_short": (short, 12),
    }


def auto_case(name, y, m, h, model="ZZZ", damped=None, note="", tol=None):
    fit = AutoETS(season_length=m, model=model, damped=damped).fit(y)
    fc = fit.predict(h, level=LEVELS)
    mod = fit.model_
    exp = {"model": mod["method"], "aicc": mod["aicc"], "mean": fc["mean"]}
    comps = mod["components"]
    class3 = comps[0] == "M" and comps[2] == "M"
    maa = comps[:3] in ("MAA",)
    if not class3 and not maa and not (comps[0] == "A" and comps[2] == "M"):
        for lv in LEVELS:
            exp[f"lo_{lv}"] = fc[f"lo-{lv}"]
            exp[f"hi_{lv}"] = fc[f"hi-{lv}"]
    src = f"{SF} AutoETS(season_length={m}, model={model!r}, damped={damped}).fit(y).predict({h}, level={LEVELS})"
    if class3:
        src += "; intervals not compared: statsforecast 2.1.1 _class3models updates its mean matrix outside the horizon loop (R's class3 and Hyndman et al. 2008 update it every step)"
    return {
        "function": "forecast.auto_ets",
        "source": src + (f"; {note}" if note else ""),
        "input": {"y": enc(y)},
        "params": {"season_length": m, "model": model, "damped": damped, "h": h, "levels": LEVELS},
        "expected": {k: (v if isinstance(v, str) else enc(v)) for k, v in exp.items()},
        "tolerance": tol or {"abs": 1e-6, "rel": 5e-3},
    }


def error_case(function, y, params, kind, why):
    return {"function": function, "source": f"convention: {why}", "input": {"y": enc(y)},
            "params": params, "expected": {"error": kind}, "tolerance": {"abs": 0.0}}


def residual_cases():
    actual = [100.0, 131.0, 95.0, 60.0, 101.0]
    expected = [101.0, 102.0, 100.0, 99.0, 100.0]
    sd = [5.0, 5.0, 4.0, 4.0, 3.0]
    out = {}
    for lv in (80, 95):
        z = norm.ppf(0.5 + lv / 200)
        lo = [e - z * s for e, s in zip(expected, sd)]
        hi = [e + z * s for e, s in zip(expected, sd)]
        idx, scores, dirs = [], [], []
        for i, (a, e, l, u) in enumerate(zip(actual, expected, lo, hi)):
            if a > u:
                idx.append(i); scores.append((a - e) / ((u - e) / z)); dirs.append(1.0)
            elif a < l:
                idx.append(i); scores.append((a - e) / ((e - l) / z)); dirs.append(-1.0)
        out[f"residual_symmetric_{lv}"] = {
            "function": "anomaly.residual_alerts",
            "source": f"hand formula: interval expected +- z sd with z = scipy {scipy.__version__} norm.ppf(0.5 + level/200); flagged outside [lower, upper]; score (actual - expected) / ((bound - expected) / z)",
            "input": {"actual": actual, "expected": expected, "lower": lo, "upper": hi},
            "params": {"level": lv},
            "expected": {"index": [float(i) for i in idx], "score": scores, "direction": dirs},
            "tolerance": {"abs": 1e-9, "rel": 1e-9},
        }
    out["residual_error_level"] = {"function": "anomaly.residual_alerts", "source": "convention: level must be in (0, 100)",
        "input": {"actual": [1.0], "expected": [1.0], "lower": [0.0], "upper": [2.0]}, "params": {"level": 100},
        "expected": {"error": "out_of_range"}, "tolerance": {"abs": 0.0}}
    out["residual_error_nan"] = {"function": "anomaly.residual_alerts", "source": "convention: non-finite input is rejected",
        "input": {"actual": [1.0, "NaN"], "expected": [1.0, 1.0], "lower": [0.0, 0.0], "upper": [2.0, 2.0]}, "params": {"level": 95},
        "expected": {"error": "non_finite"}, "tolerance": {"abs": 0.0}}
    out["residual_error_length"] = {"function": "anomaly.residual_alerts", "source": "convention: columns must have equal length",
        "input": {"actual": [1.0, 2.0], "expected": [1.0], "lower": [0.0], "upper": [2.0]}, "params": {"level": 95},
        "expected": {"error": "length_mismatch"}, "tolerance": {"abs": 0.0}}
    return out


def main():
    for p in list((ROOT / "forecast").glob("ets_*.json")) + list((ROOT / "anomaly").glob("residual_*.json")):
        p.unlink()
    s = series()
    noise = "tolerance widened for optimiser noise (Nelder-Mead from the same start, different stopping and region checks)"
    special = {
        "wineind": dict(note=noise, tol={"abs": 1e-6, "rel": 1e-2}),
        "synthetic_nonpositive": dict(note=noise + "; abs tolerance on the data scale (sd ~4)", tol={"abs": 0.05, "rel": 1e-2}),
    }
    for name, (y, m) in s.items():
        if name == "airpassengers":
            # channelwise finds ETS(M,A,M) with AICc 1400.7 and, for ETS(M,N,M) itself, AICc 1403.3;
            # statsforecast 2.1.1 stops at ETS(M,N,M) AICc 1458.1: its optimum is not a reference
            # for channelwise (see the ETS module docs). Not written as a vector.
            continue
        write("forecast", f"ets_auto_{name}", auto_case(name, y, m, 2 * m if m > 1 else 10, **special.get(name, {})))
    y, m = s["nile"]
    write("forecast", "ets_auto_nile_AAN_damped", auto_case("nile", y, m, 10, model="AAN", damped=True))
    y, m = s["woolyrnq"]
    write("forecast", "ets_auto_woolyrnq_ANA", auto_case("woolyrnq", y, m, 8, model="ANA", note=noise, tol={"abs": 1e-6, "rel": 3e-2}))
    y, m = s["wineind"]
    write("forecast", "ets_auto_wineind_MNA", auto_case("wineind", y, m, 12, model="MNA"))
    const = [7.0] * 20
    fit = AutoETS(season_length=4).fit(np.array(const))
    assert fit.model_["components"] == "ANNN", fit.model_["components"]
    assert abs(fit.predict(4)["mean"][0] - 7.0) < 1e-6
    c = {"function": "forecast.auto_ets", "input": {"y": const},
         "params": {"season_length": 4, "model": "ZZZ", "damped": None, "h": 4, "levels": LEVELS},
         "tolerance": {"abs": 1e-6, "rel": 1e-9}}
    c["expected"] = {"model": "ETS(A,N,N)", "mean": [7.0] * 4, "lo_95": [7.0] * 4, "hi_95": [7.0] * 4}
    c["source"] = f"{SF} AutoETS on a constant series fits ETS(A,N,N) with alpha 0.9999: constant mean; zero-width intervals are the documented channelwise convention (statsforecast leaves a tiny optimiser-noise sigma2)"
    write("forecast", "ets_auto_constant", c)
    base = {"season_length": 1, "model": "ZZZ", "damped": None, "h": 3, "levels": LEVELS}
    write("forecast", "ets_error_nan", error_case("forecast.auto_ets", [1.0, "NaN", 2.0, 3.0, 4.0], base, "non_finite", "non-finite input is rejected"))
    write("forecast", "ets_error_season_zero", error_case("forecast.auto_ets", [1.0, 2.0, 3.0, 4.0, 5.0], {**base, "season_length": 0}, "out_of_range", "season_length must be >= 1"))
    write("forecast", "ets_error_too_short", error_case("forecast.auto_ets", [1.0, 2.0, 3.0], base, "not_enough_data", "ETS needs at least 4 observations"))
    write("forecast", "ets_error_multiplicative_zero", error_case("forecast.auto_ets", [1.0, 2.0, 0.0, 3.0, 4.0, 5.0, 4.0], {**base, "model": "MNN"}, "invalid_record", "multiplicative error needs positive data (statsforecast raises too)"))
    write("forecast", "ets_error_level", error_case("forecast.auto_ets", [1.0, 2.0, 1.5, 3.0, 4.0, 5.0, 4.0], {**base, "levels": [100]}, "out_of_range", "interval levels must be in (0, 100)"))
    write("forecast", "ets_error_model", error_case("forecast.auto_ets", [1.0, 2.0, 1.5, 3.0, 4.0, 5.0, 4.0], {**base, "model": "AMN"}, "invalid_parameter", "multiplicative trend is not supported; model strings are three letters"))
    for k, v in residual_cases().items():
        write("anomaly", k, v)


if __name__ == "__main__":
    main()
