"""AutoETS timing and agreement: channelwise (cw-ets binary) vs statsforecast AutoETS.

Series: airpassengers plus 50 seeded monthly series of length 144 (trend, multiplicative or
additive season, noise). statsforecast is timed after a JIT/warm-up fit, best of 3 per series;
channelwise in-process by `cw-ets` (multi-thread rayon and RAYON_NUM_THREADS=1).

    cargo build --release -p channelwise-benches --bin cw-ets
    /opt/cwvenv/bin/python benches/compare/ets.py
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import statsforecast
from pmdarima.datasets import load_airpassengers
from statsforecast.models import AutoETS

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "target" / "release" / "cw-ets"


def make_series(n_series=50, n=144, seed=7):
    rng = np.random.default_rng(seed)
    out = [load_airpassengers().astype(float)]
    t = np.arange(n)
    for _ in range(n_series):
        level = rng.uniform(50, 500)
        slope = rng.uniform(-0.2, 1.5) * level / 100
        amp = rng.uniform(0.05, 0.3)
        season = np.sin(2 * np.pi * (t + rng.integers(12)) / 12)
        base = level + slope * t
        if rng.random() < 0.5:
            y = base * (1 + amp * season) * np.exp(rng.normal(0, rng.uniform(0.01, 0.05), n))
        else:
            y = base + amp * level * season + rng.normal(0, rng.uniform(0.01, 0.05) * level, n)
        out.append(np.maximum(y, 1.0))
    return out


def time_sf(series):
    AutoETS(season_length=12).fit(series[0])  # warm-up
    models, secs = [], []
    for y in series:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            fit = AutoETS(season_length=12).fit(y)
            best = min(best, time.perf_counter() - t)
        models.append(fit.model_["method"])
        secs.append(best)
    return models, secs


def time_cw(series, threads=None):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"season_length": 12, "series": [list(map(float, y)) for y in series]}, f)
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    out = subprocess.run([str(BIN), f.name], capture_output=True, text=True, env=env, check=True)
    os.unlink(f.name)
    r = json.loads(out.stdout)
    return r["models"], r["seconds"]


def main():
    if not BIN.exists():
        sys.exit(f"build first: cargo build --release -p channelwise-benches --bin cw-ets ({BIN} missing)")
    series = make_series()
    sf_models, sf_secs = time_sf(series)
    cw_models, cw_secs = time_cw(series)
    cw1_models, cw1_secs = time_cw(series, threads=1)
    agree = np.mean([a == b for a, b in zip(sf_models, cw_models)])
    print(f"statsforecast {statsforecast.__version__}; {len(series)} monthly series, n=144")
    print(f"{'impl':<28}{'median ms/series':>18}{'total s':>10}{'ratio vs sf':>13}")
    med_sf = np.median(sf_secs)
    for name, s in (("statsforecast AutoETS", sf_secs), ("channelwise (rayon)", cw_secs), ("channelwise (1 thread)", cw1_secs)):
        print(f"{name:<28}{1e3 * np.median(s):>18.2f}{np.sum(s):>10.3f}{med_sf / np.median(s):>12.1f}x")
    ratios = np.array(sf_secs) / np.array(cw1_secs)
    print(f"per-series speed-up (1 thread): min {ratios.min():.1f}x median {np.median(ratios):.1f}x max {ratios.max():.1f}x")
    print(f"chosen-model agreement: {agree:.0%}")
    assert cw_models == cw1_models, "thread count changed a chosen model"
    dis = [(i, a, b) for i, (a, b) in enumerate(zip(sf_models, cw_models)) if a != b]
    for i, a, b in dis[:10]:
        print(f"  series {i}: statsforecast {a} channelwise {b}")


if __name__ == "__main__":
    main()
