"""Bandits: channelwise vs mabwiser 2.7.4, cumulative regret and speed, one run.

    cargo bench -p channelwise-benches --bench bandit --no-run   # builds target/release/deps/bandit-*
    /work/venv-bandit/bin/python benches/compare/bandit.py [--seeds 8] [--horizon 5000] [--calls 2000]

Simulations (numpy default_rng per scenario and seed, written to benches/data/bandit_sims.json and
played by both sides, so each policy meets the same rewards on both: common random numbers):
- bernoulli: 5 arms, success rates uniform in [0.1, 0.6], rewards 0/1;
- gaussian: 5 arms, means N(0, 1), rewards mean + N(0, 1);
- linear: 4 arms, contexts U(0, 1)^5, coefficients N(0, 1/5) per arm, rewards x'theta + N(0, 0.25^2),
  horizon 2/5 of the others.
Each run pulls every arm once in turn (mabwiser must be fit before it predicts), then decides and
is rewarded at once until the horizon. Regret is pseudo-regret: the best arm's expected reward
minus the chosen arm's, summed. Policies with the same settings on both sides: Thompson sampling
(Beta(1, 1)), UCB1 (alpha 1), epsilon-greedy (0.1), softmax (tau 0.1; mabwiser plays the largest
component of a Dirichlet draw with the softmax probabilities as concentrations, channelwise
samples the softmax distribution), LinUCB and LinTS (alpha 1, l2 1, no scaling). channelwise-only
rows (Gaussian Thompson, epsilon with decay, top-two Thompson) have no mabwiser counterpart.
mabwiser's LinTS draws one normal vector for all arms at a decision (each arm's model holds a deep
copy of one generator, all at the same state), so channelwise's LinTS runs both ways: independent
draws per arm (its default) and `shared_draw`, each against the same mabwiser runs, at alpha 1
and at alpha 0.25 (the noise's standard deviation).

Speed, for the first seed from each policy's final state: channelwise, the criterion bench binary
in its comparison mode (`CW_BANDIT_COMPARE`, its own process), best of 3 of --calls decisions and
of --calls updates; mabwiser, best of 3 of --calls/4 predict() and partial_fit() calls of one
decision each (the online use), on copies of its final state.
Writes benches/compare/results/bandit.json; `--report <json>` prints its table again.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import subprocess
import time

from cwbench import DATA, RESULTS, bench_binary  # noqa: I001 (first: one BLAS thread before numpy)
import numpy as np  # noqa: E402
from mabwiser._version import __version__ as mabwiser_version  # noqa: E402
from mabwiser.mab import MAB, LearningPolicy  # noqa: E402

# scenario -> [(label, channelwise policy JSON, key of the mabwiser policy it is compared with or None)]
POLICIES = {
    "bernoulli": [
        ("thompson", {"name": "beta_thompson", "alpha": 1.0, "beta": 1.0}, "thompson"),
        ("ucb1", {"name": "ucb1", "alpha": 1.0}, "ucb1"),
        ("epsilon_greedy", {"name": "epsilon_greedy", "epsilon": 0.1, "decay": 0.0}, "epsilon_greedy"),
        ("softmax", {"name": "softmax", "tau": 0.1}, "softmax"),
        ("epsilon_greedy_decay", {"name": "epsilon_greedy", "epsilon": 0.1, "decay": 0.01}, None),
        ("top_two_thompson", {"name": "top_two_thompson", "alpha": 1.0, "beta": 1.0, "leader": 0.5, "floor": 0.0}, None),
    ],
    "gaussian": [
        ("ucb1", {"name": "ucb1", "alpha": 1.0}, "ucb1"),
        ("epsilon_greedy", {"name": "epsilon_greedy", "epsilon": 0.1, "decay": 0.0}, "epsilon_greedy"),
        ("softmax", {"name": "softmax", "tau": 0.1}, "softmax"),
        ("gaussian_thompson", {"name": "gaussian_thompson", "mean": 0.0, "count": 1.0, "shape": 1.0, "rate": 1.0}, None),
    ],
    "linear": [
        ("lin_ucb", {"name": "lin_ucb", "dim": 5, "alpha": 1.0, "l2": 1.0}, "lin_ucb"),
        ("lin_ts", {"name": "lin_thompson", "dim": 5, "alpha": 1.0, "l2": 1.0}, "lin_ts"),
        ("lin_ts shared_draw", {"name": "lin_thompson", "dim": 5, "alpha": 1.0, "l2": 1.0, "shared_draw": True}, "lin_ts"),
        ("lin_ts alpha 0.25", {"name": "lin_thompson", "dim": 5, "alpha": 0.25, "l2": 1.0}, "lin_ts alpha 0.25"),
        ("lin_ts alpha 0.25 shared_draw", {"name": "lin_thompson", "dim": 5, "alpha": 0.25, "l2": 1.0, "shared_draw": True}, "lin_ts alpha 0.25"),
    ],
}

# scenario -> mabwiser key -> learning policy
MABWISER = {
    "bernoulli": {"thompson": LearningPolicy.ThompsonSampling(), "ucb1": LearningPolicy.UCB1(alpha=1.0),
                  "epsilon_greedy": LearningPolicy.EpsilonGreedy(epsilon=0.1), "softmax": LearningPolicy.Softmax(tau=0.1)},
    "gaussian": {"ucb1": LearningPolicy.UCB1(alpha=1.0), "epsilon_greedy": LearningPolicy.EpsilonGreedy(epsilon=0.1),
                 "softmax": LearningPolicy.Softmax(tau=0.1)},
    "linear": {"lin_ucb": LearningPolicy.LinUCB(alpha=1.0, l2_lambda=1.0), "lin_ts": LearningPolicy.LinTS(alpha=1.0, l2_lambda=1.0),
               "lin_ts alpha 0.25": LearningPolicy.LinTS(alpha=0.25, l2_lambda=1.0)},
}


def simulate(scenario: str, seed: int, horizon: int) -> dict:
    rng = np.random.default_rng([seed, {"bernoulli": 1, "gaussian": 2, "linear": 3}[scenario]])
    if scenario == "bernoulli":
        k = 5
        means = rng.uniform(0.1, 0.6, k)
        rewards = (rng.random((horizon, k)) < means).astype(float)
        return {"scenario": scenario, "seed": seed, "arms": k, "means": means.tolist(), "rewards": rewards.tolist()}
    if scenario == "gaussian":
        k = 5
        means = rng.normal(0.0, 1.0, k)
        rewards = means + rng.normal(0.0, 1.0, (horizon, k))
        return {"scenario": scenario, "seed": seed, "arms": k, "means": means.tolist(), "rewards": rewards.tolist()}
    k, d, t = 4, 5, horizon * 2 // 5
    thetas = rng.normal(0.0, 1.0 / np.sqrt(d), (k, d))
    x = rng.random((t, d))
    rewards = x @ thetas.T + rng.normal(0.0, 0.25, (t, k))
    return {"scenario": scenario, "seed": seed, "arms": k, "thetas": thetas.tolist(), "contexts": x.tolist(), "rewards": rewards.tolist()}


def expected(sim: dict) -> np.ndarray:
    r = np.asarray(sim["rewards"])
    if "contexts" in sim:
        return np.asarray(sim["contexts"]) @ np.asarray(sim["thetas"]).T
    return np.broadcast_to(np.asarray(sim["means"]), r.shape)


def mw_play(lp, sim: dict, seed: int):
    k = sim["arms"]
    r = np.asarray(sim["rewards"])
    x = np.asarray(sim["contexts"]) if "contexts" in sim else None
    mab = MAB(arms=list(range(k)), learning_policy=lp, seed=seed)
    mab.fit(list(range(k)), [r[t, t] for t in range(k)], x[:k] if x is not None else None)
    chosen = list(range(k))
    for t in range(k, len(r)):
        arm = int(mab.predict(x[t:t + 1]) if x is not None else mab.predict())
        mab.partial_fit([arm], [r[t, arm]], x[t:t + 1] if x is not None else None)
        chosen.append(arm)
    e = expected(sim)
    regret = float((e.max(axis=1) - e[np.arange(len(r)), chosen]).sum())
    return mab, regret, np.bincount(chosen, minlength=k).tolist()


def mw_speed(mab, sim: dict, calls: int) -> tuple[float, float]:
    r = np.asarray(sim["rewards"])
    x = np.asarray(sim["contexts"]) if "contexts" in sim else None
    k = sim["arms"]
    best_c = best_u = float("inf")
    for _ in range(3):
        m = copy.deepcopy(mab)
        t0 = time.perf_counter()
        for t in range(calls):
            m.predict(x[t % len(r):t % len(r) + 1]) if x is not None else m.predict()
        best_c = min(best_c, (time.perf_counter() - t0) / calls)
        m = copy.deepcopy(mab)
        t0 = time.perf_counter()
        for t in range(calls):
            i, a = t % len(r), t % k
            m.partial_fit([a], [r[i, a]], x[i:i + 1] if x is not None else None)
        best_u = min(best_u, (time.perf_counter() - t0) / calls)
    return best_c, best_u


def summarise(res: dict) -> list[dict]:
    rows = []
    cw_runs = {(r["scenario"], r["label"], r["seed"]): r for r in res["cw"]["runs"]}
    speed = {(s["scenario"], s["label"]): s for s in res["cw"]["speed"]}
    mw_runs = {(r["scenario"], r["label"], r["seed"]): r for r in res["mw"]["runs"]}
    mw_speed_ = {(s["scenario"], s["label"]): s for s in res["mw"]["speed"]}
    for scenario, pols in res["policies"].items():
        for label, _, key in pols:
            seeds = sorted(s for (sc, lb, s) in cw_runs if sc == scenario and lb == label)
            c = np.array([cw_runs[(scenario, label, s)]["regret"] for s in seeds])
            row = {"scenario": scenario, "policy": label, "seeds": len(seeds), "cw_regret": c.mean(), "cw_se": c.std(ddof=1) / np.sqrt(len(c)),
                   "cw_choose_us": speed[(scenario, label)]["choose_s"] * 1e6, "cw_update_us": speed[(scenario, label)]["update_s"] * 1e6}
            if key is not None:
                m = np.array([mw_runs[(scenario, key, s)]["regret"] for s in seeds])
                d = c - m
                se = d.std(ddof=1) / np.sqrt(len(d))
                row.update({"mw_regret": m.mean(), "mw_se": m.std(ddof=1) / np.sqrt(len(m)), "diff": d.mean(), "diff_se": se,
                            "no_worse": bool(d.mean() <= 2 * se),
                            "mw_choose_us": mw_speed_[(scenario, key)]["choose_s"] * 1e6, "mw_update_us": mw_speed_[(scenario, key)]["update_s"] * 1e6})
            rows.append(row)
    return rows


def table(res: dict) -> str:
    out = [f"horizon {res['horizon']} (linear {res['horizon'] * 2 // 5}), {res['seeds']} seeds; regret: mean ± standard error over seeds; "
           "difference paired by seed (same rewards); speed per call in µs, ratio = mabwiser / channelwise",
           "",
           "| scenario | policy | channelwise regret | mabwiser regret | cw - mw (± se) | no worse | cw decide µs | mw decide µs | ratio | cw update µs | mw update µs | ratio |",
           "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in summarise(res):
        cw = f"{r['cw_regret']:.1f} ± {r['cw_se']:.1f}"
        if "mw_regret" in r:
            out.append(f"| {r['scenario']} | {r['policy']} | {cw} | {r['mw_regret']:.1f} ± {r['mw_se']:.1f} | {r['diff']:+.1f} ± {r['diff_se']:.1f} | "
                       f"{'yes' if r['no_worse'] else 'NO'} | {r['cw_choose_us']:.3f} | {r['mw_choose_us']:.1f} | {r['mw_choose_us'] / r['cw_choose_us']:,.0f}x | "
                       f"{r['cw_update_us']:.3f} | {r['mw_update_us']:.1f} | {r['mw_update_us'] / r['cw_update_us']:,.0f}x |")
        else:
            out.append(f"| {r['scenario']} | {r['policy']} (channelwise only) | {cw} | - | - | - | {r['cw_choose_us']:.3f} | - | - | {r['cw_update_us']:.3f} | - | - |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--horizon", type=int, default=5000)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--report")
    a = ap.parse_args()
    if a.report:
        with open(a.report) as fh:
            print(table(json.load(fh)))
        return
    sims = []
    for scenario in POLICIES:
        for seed in range(a.seeds):
            s = simulate(scenario, seed, a.horizon)
            s["timed"] = seed == 0
            sims.append(s)
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, "bandit_sims.json")
    with open(path, "w") as fh:
        json.dump({"sims": sims, "policies": {sc: [{"label": lb, "policy": p} for lb, p, _ in pols] for sc, pols in POLICIES.items()}}, fh)
    t0 = time.perf_counter()
    env = dict(os.environ, CW_BANDIT_COMPARE=path, CW_BANDIT_CALLS=str(a.calls))
    cw = json.loads(subprocess.run([bench_binary("bandit")], env=env, check=True, capture_output=True, text=True).stdout)
    cw_wall = time.perf_counter() - t0
    mw = {"runs": [], "speed": []}
    t0 = time.perf_counter()
    for s in sims:
        for label, lp in MABWISER[s["scenario"]].items():
            mab, regret, counts = mw_play(lp, s, s["seed"])
            mw["runs"].append({"scenario": s["scenario"], "seed": s["seed"], "label": label, "regret": regret, "counts": counts})
            if s["timed"]:
                c, u = mw_speed(mab, s, max(a.calls // 4, 1))
                mw["speed"].append({"scenario": s["scenario"], "label": label, "choose_s": c, "update_s": u})
    mw_wall = time.perf_counter() - t0
    res = {"horizon": a.horizon, "seeds": a.seeds, "calls": a.calls,
           "policies": POLICIES,
           "cw": cw, "mw": mw, "wall_seconds": {"channelwise": cw_wall, "mabwiser": mw_wall},
           "env": f"mabwiser {mabwiser_version}, numpy {np.__version__}, Python {platform.python_version()}, {os.cpu_count()} cpus"}
    res["summary"] = summarise(res)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "bandit.json"), "w") as fh:
        json.dump(res, fh, indent=1)
    print(table(res))
    print(f"whole run: channelwise {cw_wall:.2f} s (all policies, incl. cw-only), mabwiser {mw_wall:.1f} s; {res['env']}")


if __name__ == "__main__":
    main()
