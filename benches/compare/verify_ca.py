"""Empirical check that ChannelAttribution 2.2.5's markov_model converges to reference.py's
*truncated-horizon* chain (and not the infinite-horizon one), and that its default max_step is
reference.ca_default_max_step.

    /opt/cwvenv/bin/python benches/compare/verify_ca.py [--nsim 1e6] [--seeds 0,100,200]

For each small data set, order and max_step it runs CA with large nsim_start and several seeds
and prints, per channel, CA's removal effect, the exact truncated value, the exact infinite
value and the deviation in Monte-Carlo standard errors.  Notes on CA's sampler, read off
cypack/functions.cpp (W_markov_model_1 / markov_model_cpp):

* nsim_start is split into nfold=10 folds of nsim_start/nfold journeys, fold f seeded with
  mt19937(seed + f); CA reports the single fold closest to the fold median.  So the effective
  sample size is nsim_start/nfold, and seeds s and s+1 share 9 of their 10 folds: use seeds
  at least nfold apart for independent runs.
* If the folds disagree by more than conv_par, nsim_start grows by rate_step_sim and the folds
  are rerun from the *same* seeds, accumulating into the same counters.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402


def ca_markov(df, order, nsim, seed, max_step=None, use_nulls=True, ncore=1):
    """Run CA markov_model(out_more=True) quietly; return DataFrame indexed by channel."""
    import ChannelAttribution as ca

    with contextlib.redirect_stdout(io.StringIO()) as log:
        r = ca.markov_model(df, "path", "conversions", var_value="value",
                            var_null="nulls" if use_nulls else None, order=order,
                            nsim_start=nsim, max_step=max_step, out_more=True, ncore=ncore,
                            seed=seed, flg_pro=False, verbose=True)
    out = r["removal_effects"].set_index("channel_name").join(
        r["result"].set_index("channel_name"))
    out.columns = ["removal_effect", "removal_effect_value", "conversions", "value"]
    return out, log.getvalue()


def small_sets():
    """Hand case plus two seeded random sets with varied values (so value RE != conv RE)."""
    sets = {"loop_ab": pd.DataFrame({"path": ["a>b>a", "b"], "conversions": [1, 0],
                                     "nulls": [0, 1], "value": [1.0, 0.0]})}
    for seed, (n, k) in {7: (25, 4), 11: (40, 5)}.items():
        rng = np.random.default_rng(seed)
        chans = [chr(ord("a") + i) for i in range(k)]
        paths = set()
        while len(paths) < n:
            L = rng.integers(1, 7)
            paths.add(">".join(rng.choice(chans, L, p=np.arange(k, 0, -1) / (k * (k + 1) / 2))))
        paths = sorted(paths)
        conv = rng.integers(0, 4, n)
        nulls = rng.integers(0, 5, n)
        nulls[(conv == 0) & (nulls == 0)] = 1
        value = conv * rng.uniform(1, 20, n).round(2)
        sets[f"random_seed{seed}"] = pd.DataFrame(
            {"path": paths, "conversions": conv, "nulls": nulls, "value": value})
    return sets


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nsim", type=float, default=1e6)
    ap.add_argument("--seeds", default="0,100,200")
    ap.add_argument("--orders", default="1,2,3")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    worst = 0.0
    for name, df in small_sets().items():
        t = R.make_table(df.path.tolist(), df.conversions, df.nulls, df.value)
        for order in [int(o) for o in args.orders.split(",")]:
            for use_nulls in (True, False):
                ch = R.build_chain(t, order, use_nulls)
                for max_step in (None, 2, ch.ca_max_step + 1):
                    T = ch.ca_max_step if max_step is None else max_step
                    exact_T = R.markov(t, order, T, use_nulls)
                    exact_inf = R.markov(t, order, None, use_nulls)
                    n_conv_paths = exact_T["conversion_probability"] * args.nsim / 10
                    for seed in seeds:
                        got, log = ca_markov(df, order, args.nsim, seed, max_step, use_nulls)
                        devs = []
                        for c in t.channels:
                            if c not in got.index:
                                continue
                            re = exact_T["removal_effect"][c]
                            se = max(np.sqrt(re * (1 - re) / n_conv_paths), 1e-12)
                            d = (got.removal_effect[c] - re) / se
                            devs.append(abs(d))
                            dinf = got.removal_effect[c] - exact_inf["removal_effect"][c]
                            if seed == seeds[0]:
                                print(f"{name:16s} k={order} nulls={use_nulls!s:5s} "
                                      f"max_step={str(max_step):4s}(T={T:2d}) {c}: CA RE "
                                      f"{got.removal_effect[c]:.5f} truncated {re:.5f} "
                                      f"({d:+.2f} SE) infinite "
                                      f"{exact_inf['removal_effect'][c]:.5f} ({dinf:+.4f}) | "
                                      f"credit CA {got.conversions[c]:.4f} ref "
                                      f"{exact_T['conversions'][c]:.4f} | value RE CA "
                                      f"{got.removal_effect_value[c]:.4f} ref "
                                      f"{exact_T['removal_effect_value'][c]:.4f}")
                        worst = max(worst, max(devs))
                        steps = log.split("maximum number of steps (")[-1].split(")")[0]
                        if int(steps) != T:
                            print(f"!! CA reports max steps {steps}, reference says {T}")
    print(f"worst |CA - truncated reference| over all runs: {worst:.2f} Monte-Carlo SE")


if __name__ == "__main__":
    main()
