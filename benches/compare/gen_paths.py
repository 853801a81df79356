"""Seeded generator of synthetic path tables for the attribution benchmarks.

    /opt/cwvenv/bin/python benches/compare/gen_paths.py --n 100000 [--channels 12] [--seed 42]

Writes ``benches/data/paths_<n>_<channels>ch_s<seed>.csv`` (git-ignored) with columns
``path,conversions,nulls,value``: ``n`` *distinct* paths of 1-10 touches over ``channels``
channels (8-20).  Realism, cheaply:

* channel popularity is Zipf-like (p_i ~ 1 / i) and a touch repeats the previous channel
  with probability 0.3 (journeys dwell on a channel);
* path lengths are geometric-ish on 1..10 (P(L) ~ 0.85^L among distinct paths) and the number
  of users per path is heavy-tailed (lognormal), larger for short paths;
* conversion probability depends on the channels: 1 - (1 - base) * prod over distinct
  channels (1 - lift_c), lifts drawn once per seed; conversions ~ Binomial(users, p),
  nulls = users - conversions (integers: ChannelAttribution truncates fractional counts);
* value = conversions * mean order value, lognormal around a per-last-channel level.

Everything is numpy-vectorised; 1M distinct paths take a few seconds.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.abspath(os.path.join(HERE, "..", "data"))
NAMES = ["search", "social", "email", "display", "video", "affiliate", "direct", "referral",
         "tv", "radio", "print", "podcast", "push", "sms", "influencer", "partner",
         "retargeting", "shopping", "app", "organic"]
MAX_LEN = 10


def default_path(n: int, channels: int = 12, seed: int = 42) -> str:
    return os.path.join(DATA, f"paths_{n}_{channels}ch_s{seed}.csv")


def _candidates(rng, m, k, pop):
    """m random paths as (length, channel matrix m x MAX_LEN with -1 padding)."""
    # P(L = l) ~ 0.85^l on 1..10: short paths are few as *distinct* paths (they are common
    # journeys, which shows in their user counts instead), so draws are not wasted on them
    pl = 0.85 ** np.arange(1, MAX_LEN + 1)
    L = rng.choice(np.arange(1, MAX_LEN + 1), size=m, p=pl / pl.sum())
    fresh = rng.choice(k, size=(m, MAX_LEN), p=pop)
    stay = rng.random((m, MAX_LEN)) < 0.3
    ch = fresh.copy()
    for j in range(1, MAX_LEN):  # repeat previous channel with prob 0.3
        ch[:, j] = np.where(stay[:, j], ch[:, j - 1], fresh[:, j])
    ch[np.arange(MAX_LEN)[None, :] >= L[:, None]] = -1
    return L, ch


def generate(n: int, channels: int = 12, seed: int = 42):
    """Return (paths list[str], conversions, nulls, value) numpy arrays for n distinct paths."""
    if not 8 <= channels <= len(NAMES):
        raise ValueError(f"channels must be in [8, {len(NAMES)}], got {channels}")
    rng = np.random.default_rng(seed)
    k = channels
    pop = 1.0 / np.arange(1, k + 1)
    pop /= pop.sum()
    lift = rng.uniform(0.01, 0.12, k)
    aov = rng.uniform(20, 120, k)          # mean order value by last channel
    base = 0.02

    # draw candidates in a few large batches; keep the first n distinct ones (in draw order)
    codes, Ls, chs = [], [], []
    m = int(1.5 * n) + 1000
    while True:
        L, ch = _candidates(rng, m, k, pop)
        code = np.zeros(m, np.int64)  # base-32 digits (channel + 1): distinct path <-> code
        for j in range(MAX_LEN):
            code = code * 32 + (ch[:, j] + 1)
        codes.append(code)
        Ls.append(L)
        chs.append(ch)
        _, first = np.unique(np.concatenate(codes), return_index=True)
        if len(first) >= n:
            break
        m = max(2 * (n - len(first)), n // 2) + 1000  # saturated short paths: oversample more
    keep = np.sort(first)[:n]
    L = np.concatenate(Ls)[keep]
    ch = np.concatenate(chs)[keep]

    # conversion probability from the distinct channels on the path
    present = np.zeros((n, k), bool)
    rows = np.repeat(np.arange(n), MAX_LEN)
    flat = ch.ravel()
    ok = flat >= 0
    present[rows[ok], flat[ok]] = True
    p = 1 - (1 - base) * np.prod(np.where(present, 1 - lift[None, :], 1.0), axis=1)
    users = np.maximum(1, np.round(rng.lognormal(1.2 - 0.12 * L, 1.0))).astype(np.int64)
    conv = rng.binomial(users, p)
    nulls = users - conv
    last = ch[np.arange(n), L - 1]
    value = np.round(conv * aov[last] * rng.lognormal(0.0, 0.3, n), 2)

    names = np.array(NAMES[:k], dtype=object)
    paths = [">".join(names[row[:l]]) for row, l in zip(ch, L)]
    return paths, conv, nulls, value


def write(path: str, n: int, channels: int = 12, seed: int = 42) -> str:
    import pandas as pd

    paths, conv, nulls, value = generate(n, channels, seed)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pd.DataFrame({"path": paths, "conversions": conv, "nulls": nulls, "value": value}).to_csv(
        path, index=False)
    return path


def ensure(n: int, channels: int = 12, seed: int = 42) -> str:
    """Path of the CSV for (n, channels, seed), generating it if missing."""
    path = default_path(n, channels, seed)
    if not os.path.exists(path):
        write(path, n, channels, seed)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000],
                    help="number of distinct paths (several sizes allowed)")
    ap.add_argument("--channels", type=int, default=12, help="8..20")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=None, help="output CSV (single --n only)")
    args = ap.parse_args()
    for n in args.n:
        t = time.perf_counter()
        out = args.out if args.out and len(args.n) == 1 else default_path(n, args.channels, args.seed)
        write(out, n, args.channels, args.seed)
        print(f"{out}: {n} paths in {time.perf_counter() - t:.1f}s")


if __name__ == "__main__":
    main()
