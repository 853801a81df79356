"""Write tests/vectors/optimize/budget_periods_*.json (multi-period plans with adstock).

    /work/venv-pymc/bin/python benches/compare/make_periods_vectors.py [--root .]

Nothing here imports channelwise.  The objective is written from the documented definition
(`core/src/optimize/budget/periods.rs`, module docs), not from the Rust code:

  * channel i, period t: the input to its curve is the adstocked spend
    a_it = sum_l w_il x_i,t-l (l = 0..l_max-1), where the spend sequence is `pre` (oldest first,
    the periods just before the horizon), then the plan, then zeros; the response is p_t f_i(a_it);
  * saturation first: p_t sum_l w_il f_i(x_i,t-l) over the same sequence (f(0) = 0);
  * adstock weights: geometric w_l = alpha^l, delayed w_l = alpha^((l - theta)^2), l = 0..l_max-1,
    divided by their sum when `normalize`;
  * the periods counted: the horizon, plus, with `tail`, the l_max - 1 periods after it (the
    carry-over of the last spends). The documentation gives no profile weight past the horizon,
    so every vector with `tail` and a profile ends its profile at 1 (weight 1 and "the last
    weight" agree there); see `check_tail_profile`;
  * constraints: per-period budgets (sum_i x_it = b_t) or one total (sum_it x_it = total), and
    lower <= x_it <= upper per channel.

The objective is concave (concave curves, linear adstock), so a local optimum is global.
Expected numbers: scipy SLSQP (ftol 1e-15) from 32 seeded feasible starts, exact gradients, the
best kept; then trust-constr (gtol 1e-13, xtol 1e-15) from the start whose SLSQP run was best.
The script stops if trust-constr lands above SLSQP's best by more than 1e-10 relative (then
SLSQP had not converged) and records the spread of the objective over the SLSQP runs and the
largest spend difference between SLSQP's best and trust-constr in each vector's `source`.
A problem is written twice, `<name>_total` (total response, rel 1e-8) and `<name>_spend` (the
spends, looser: scipy's spends are known only to about sqrt(ftol)), since a vector has one
tolerance.

Schema (optimize.plan, shared by every stack's runner):
  input  {"channels": [{"name", "curve": {"kind", <parameters>}, "adstock": {"kind", "l_max",
          "normalize", <parameters>}, "pre": [...] (oldest first), "lower", "upper" (number or
          "Infinity"), "saturation_first"}]}
  params {"budgets": [...]} or {"periods", "total"}, plus "profile" (list or null), "tail",
         "tolerance" (the planner's relative Frank-Wolfe gap)
  expected {"spend": [[per channel, per period]]} or {"total_response"} or {"error": code}
  tolerance {"abs", "rel"}: |got - exp| <= abs + rel |exp| for every expected number.
"""

from __future__ import annotations

import argparse
import math
import warnings

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, minimize

import vectorio
from make_budget_vectors import ENV, INF, ROOT, feasible_start, np_deriv, np_value
from vectorio import arr, f

FN = "optimize.plan"
STARTS = 32


def write(root: str, name: str, vec: dict) -> None:
    vectorio.write(root, "optimize", "budget_periods_" + name, vec)


# ---------------------------------------------------------------------------------------------
# the documented objective
# ---------------------------------------------------------------------------------------------

def weights(ad: dict) -> np.ndarray:
    l = np.arange(ad["l_max"], dtype=float)
    if ad["kind"] == "geometric":
        w = ad["alpha"] ** l
    elif ad["kind"] == "delayed":
        w = ad["alpha"] ** ((l - ad["theta"]) ** 2)
    else:
        raise ValueError(ad["kind"])
    return w / w.sum() if ad["normalize"] else w


class Problem:
    """The plan's objective over x flattened channel-major (x[i * h + t])."""

    def __init__(self, chans: list, prm: dict):
        self.chans = chans
        self.budgets = prm.get("budgets")
        self.h = len(self.budgets) if self.budgets is not None else prm["periods"]
        self.total = prm.get("total")
        self.tail = prm["tail"]
        h = self.h
        prof = prm.get("profile") or [1.0] * h
        check_tail_profile(prof, self.tail, prm.get("profile") is not None)
        self.parts = []
        for c in chans:
            w = weights(c["adstock"])
            L, pre = len(w), list(c["pre"])
            P = len(pre)
            counted = h + (L - 1 if self.tail else 0)
            p = np.array([prof[t] if t < h else 1.0 for t in range(counted)])
            # adstocked input a = A x_i + c0 over the counted periods, from the sum's definition
            A = np.zeros((counted, h))
            c0 = np.zeros(counted)
            for t in range(counted):
                for l in range(L):
                    j = P + t - l  # index into pre ++ plan ++ zeros
                    if j < 0:
                        continue
                    if j < P:
                        c0[t] += w[l] * pre[j]
                    elif j - P < h:
                        A[t, j - P] += w[l]
            # saturation first: weight q_s of f(x_s) for each plan period, and the constant from
            # pre: sum_t p_t sum_l w_l f(pre_j)
            q = np.array([sum(w[l] * p[s + l] for l in range(L) if s + l < counted) for s in range(h)])
            const = 0.0
            for t in range(counted):
                for l in range(L):
                    j = P + t - l
                    if 0 <= j < P:
                        const += p[t] * w[l] * float(np_value(c["curve"], pre[j]))
            self.parts.append((A, c0, p, q, const))

    def value(self, x) -> float:
        h, tot = self.h, 0.0
        for i, (c, (A, c0, p, q, const)) in enumerate(zip(self.chans, self.parts)):
            xi = np.asarray(x[i * h:(i + 1) * h], dtype=float)
            if c["saturation_first"]:
                tot += float(q @ np_value(c["curve"], np.maximum(xi, 0.0))) + const
            else:
                tot += float(p @ np_value(c["curve"], np.maximum(A @ xi + c0, 0.0)))
        return tot

    def grad(self, x) -> np.ndarray:
        h = self.h
        g = np.zeros(len(x))
        for i, (c, (A, c0, p, q, const)) in enumerate(zip(self.chans, self.parts)):
            xi = np.asarray(x[i * h:(i + 1) * h], dtype=float)
            if c["saturation_first"]:
                g[i * h:(i + 1) * h] = q * np_deriv(c["curve"], xi)
            else:
                g[i * h:(i + 1) * h] = A.T @ (p * np_deriv(c["curve"], A @ xi + c0))
        return g

    def groups(self):
        n, h = len(self.chans), self.h
        if self.budgets is not None:
            return [([i * h + t for i in range(n)], float(self.budgets[t])) for t in range(h)]
        return [(list(range(n * h)), float(self.total))]

    def box(self):
        h = self.h
        lo = np.array([float(c["lower"]) for c in self.chans for _ in range(h)])
        hi = np.array([math.inf if c["upper"] == "Infinity" else float(c["upper"]) for c in self.chans for _ in range(h)])
        return lo, hi


def check_tail_profile(prof, tail, given):
    # the documentation leaves the weight of the periods after the horizon open; vectors only
    # use profiles on which "1" and "the last period's weight" agree
    if tail and given and prof[-1] != 1.0:
        raise SystemExit("a tail vector's profile must end at 1 (the weight past the horizon is undocumented)")


def start(rng, lo, hi, groups):
    """A random feasible plan: each budget group drawn by make_budget_vectors.feasible_start."""
    x = np.zeros(len(lo))
    for idx, b in groups:
        x[idx] = feasible_start(rng, list(zip(lo[idx], hi[idx])), b)
    return x


def solve(prob: Problem, seed: int):
    lo, hi = prob.box()
    groups = prob.groups()
    m = len(lo)
    G = np.zeros((len(groups), m))
    for g, (idx, _) in enumerate(groups):
        G[g, idx] = 1.0
    b = np.array([bb for _, bb in groups])
    fun = lambda x: -prob.value(x)
    jac = lambda x: -prob.grad(x)
    bounds = Bounds(lo, hi)
    cons = [{"type": "eq", "fun": lambda x: G @ x - b, "jac": lambda x: G}]
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(STARTS):
        x0 = start(rng, lo, hi, groups)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = minimize(fun, x0, jac=jac, method="SLSQP", bounds=bounds, constraints=cons,
                         options={"ftol": 1e-15, "maxiter": 5000})
        x = np.clip(r.x, lo, hi)
        if np.max(np.abs(G @ x - b)) > 1e-9 * max(1.0, b.max()):
            continue  # infeasible end point: not a candidate
        runs.append((prob.value(x), x, x0, bool(r.success)))
    assert runs, "no feasible SLSQP run"
    runs.sort(key=lambda r: -r[0])
    best_v, best_x, best_x0, _ = runs[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tr = minimize(fun, best_x0, jac=jac, method="trust-constr", bounds=bounds,
                      constraints=[LinearConstraint(G, b, b)],
                      options={"gtol": 1e-13, "xtol": 1e-15, "maxiter": 20000})
    tx = np.clip(tr.x, lo, hi)
    tv = prob.value(tx)
    feas = np.max(np.abs(G @ tx - b)) <= 1e-8 * max(1.0, b.max())
    if feas and tv > best_v * (1 + 1e-10):
        raise SystemExit(f"trust-constr beat SLSQP by {(tv - best_v) / best_v:.2e}: SLSQP not converged")
    spread = (best_v - runs[-1][0]) / abs(best_v)
    close = [r for r in runs if r[0] >= best_v * (1 - 1e-12)]
    dx = max(float(np.max(np.abs(r[1] - best_x))) for r in close)
    dtr = float(np.max(np.abs(tx - best_x)))
    info = {"slsqp_ok": sum(r[3] for r in runs), "runs": len(runs), "spread": spread,
            "close": len(close), "dx_close": dx, "tr_rel": (best_v - tv) / abs(best_v),
            "tr_dx": dtr, "tr_feasible": feas}
    return best_v, best_x, info


# ---------------------------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------------------------

def mm(alpha, lam):
    return {"kind": "michaelis_menten", "alpha": alpha, "lam": lam}


def logistic(lam, beta):
    return {"kind": "logistic", "lam": lam, "beta": beta}


def hill(slope, kappa, beta):
    return {"kind": "hill", "slope": slope, "kappa": kappa, "beta": beta}


def geo(alpha, l_max, normalize=False):
    return {"kind": "geometric", "alpha": alpha, "l_max": l_max, "normalize": normalize}


def delayed(alpha, theta, l_max, normalize=False):
    return {"kind": "delayed", "alpha": alpha, "theta": theta, "l_max": l_max, "normalize": normalize}


def ch(name, curve, adstock, pre=(), lower=0.0, upper=INF, saturation_first=False):
    return {"name": name, "curve": curve, "adstock": adstock, "pre": [float(v) for v in pre],
            "lower": f(lower), "upper": f(upper), "saturation_first": saturation_first}


def per_period(budgets, profile=None, tail=True):
    return {"budgets": [float(b) for b in budgets], "profile": profile, "tail": tail, "tolerance": 1e-9}


def total(periods, amount, profile=None, tail=True):
    return {"periods": periods, "total": float(amount), "profile": profile, "tail": tail, "tolerance": 1e-9}


PROBLEMS = [
    ("mm_geometric_2ch", "two Michaelis-Menten channels, one with geometric carry-over (alpha 0.6, "
     "l_max 4), one without, four per-period budgets, tail counted",
     [ch("tv", mm(60.0, 40.0), geo(0.6, 4)), ch("search", mm(30.0, 10.0), geo(0.0, 1))],
     per_period([40.0, 30.0, 50.0, 35.0])),
    ("mixed_delayed_norm_profile_pre", "logistic, Michaelis-Menten and concave Hill (slope 0.8); "
     "delayed (normalised) and geometric (normalised) adstock; a seasonal profile; spend before "
     "the horizon on two channels; six per-period budgets",
     [ch("tv", logistic(0.02, 80.0), delayed(0.5, 1.5, 5, True), pre=[30.0, 50.0, 40.0]),
      ch("radio", mm(40.0, 25.0), geo(0.5, 3, True), pre=[10.0, 20.0]),
      ch("search", hill(0.8, 20.0, 35.0), geo(0.0, 1))],
     per_period([60.0, 60.0, 80.0, 70.0, 50.0, 60.0], profile=[1.0, 1.2, 0.8, 1.5, 1.0, 1.0])),
    ("total_bounds_no_tail", "a total over five periods, three channels with per-period bounds "
     "(some binding), a profile, the tail not counted",
     [ch("tv", mm(80.0, 30.0), geo(0.7, 5), lower=5.0, upper=40.0),
      ch("social", logistic(0.05, 30.0), geo(0.3, 3), upper=25.0),
      ch("email", mm(15.0, 4.0), geo(0.0, 1), lower=2.0)],
     total(5, 180.0, profile=[0.8, 1.0, 1.6, 1.1, 0.7], tail=False)),
    ("total_4ch_8periods_pre", "four channels over eight periods, a total, a seasonal profile "
     "ending at 1, carry-over in, unnormalised delayed adstock, tail counted",
     [ch("tv", mm(120.0, 60.0), delayed(0.6, 2.0, 6), pre=[20.0, 0.0, 35.0, 25.0, 30.0]),
      ch("radio", hill(0.7, 30.0, 50.0), geo(0.4, 4), pre=[5.0]),
      ch("search", logistic(0.04, 40.0), geo(0.0, 1)),
      ch("display", mm(25.0, 15.0), geo(0.8, 6, True), upper=20.0)],
     total(8, 400.0, profile=[1.0, 0.9, 0.9, 1.3, 1.6, 1.2, 0.8, 1.0])),
    ("saturation_first", "saturation before adstock on two of three channels (geometric, with "
     "carry-over in), a profile, per-period budgets",
     [ch("tv", mm(50.0, 20.0), geo(0.6, 4), pre=[15.0, 25.0], saturation_first=True),
      ch("radio", logistic(0.03, 40.0), delayed(0.4, 1.0, 4, True), saturation_first=True),
      ch("search", mm(25.0, 8.0), geo(0.2, 2))],
     per_period([50.0, 40.0, 60.0, 45.0, 55.0], profile=[1.0, 1.4, 0.9, 1.2, 1.0])),
    ("hill_delayed_bounds_3periods", "concave Hill curves (slope 0.6 and 1) under unnormalised "
     "delayed adstock, bounds that bind at both ends, three per-period budgets, tail counted",
     [ch("a", hill(0.6, 25.0, 40.0), delayed(0.7, 1.0, 4), lower=4.0, upper=30.0),
      ch("b", hill(1.0, 15.0, 30.0), geo(0.5, 3), upper=12.0),
      ch("c", mm(20.0, 50.0), geo(0.0, 1), lower=6.0)],
     per_period([40.0, 25.0, 45.0])),
    ("total_no_tail_sat_first_mixed", "a total over four periods, one saturation-first channel "
     "beside adstock-first ones, carry-over in, no tail",
     [ch("tv", logistic(0.03, 60.0), geo(0.5, 5, True), pre=[40.0, 40.0, 40.0, 40.0], saturation_first=True),
      ch("radio", mm(30.0, 12.0), delayed(0.3, 1.0, 3), pre=[8.0, 12.0]),
      ch("search", hill(0.9, 10.0, 20.0), geo(0.0, 1), upper=30.0)],
     total(4, 150.0, profile=[1.0, 2.0, 1.0, 0.5], tail=False)),
]


def plan_vectors(root):
    worst = {"total": 0.0, "spend": 0.0}
    for k, (name, what, chans, prm) in enumerate(PROBLEMS):
        prob = Problem(chans, prm)
        v, x, info = solve(prob, seed=1000 + k)
        h, n = prob.h, len(chans)
        spend = [[f(x[i * h + t]) for t in range(h)] for i in range(n)]
        # spends: the looser of 1e-6 relative and 10x what scipy's runs disagree by
        dx = max(info["dx_close"], info["tr_dx"])
        scale = max(1.0, float(np.max(x)))
        spend_tol = {"abs": max(1e-5, 10 * dx), "rel": 1e-5}
        src = (f"scipy SLSQP (ftol 1e-15, exact gradients) from {STARTS} seeded feasible starts "
               f"(seed {1000 + k}), {info['runs']} feasible end points ({info['slsqp_ok']} reporting "
               f"success), best objective kept; the objective written from the documented definition "
               f"in periods.rs (see benches/compare/make_periods_vectors.py), not from the Rust code. "
               f"The objective is concave, so the local optimum is global. Objective spread over the "
               f"starts {info['spread']:.1e} relative; {info['close']} starts within 1e-12 of the best, "
               f"their spends within {info['dx_close']:.1e}; trust-constr (gtol 1e-13, xtol 1e-15) "
               f"from the best start lands {info['tr_rel']:.1e} relative below it (feasible: "
               f"{info['tr_feasible']}), spends within {info['tr_dx']:.1e}. Problem: {what}. {ENV}")
        base = {"function": FN, "input": {"channels": chans}, "params": prm}
        write(root, name + "_total", {**base, "source": src + " This file checks the total response.",
                                      "expected": {"total_response": f(v)},
                                      "tolerance": {"abs": 0.0, "rel": 1e-8}})
        write(root, name + "_spend", {**base, "source": src + " This file checks the spends, to "
                                      "10x the spread of scipy's own answers (at least 1e-5).",
                                      "expected": {"spend": spend}, "tolerance": spend_tol})
        worst["total"] = max(worst["total"], abs(info["tr_rel"]), info["spread"] if info["close"] < 2 else 0.0)
        print(f"{name}: total {v:.12g}, spread {info['spread']:.1e}, close {info['close']}/{info['runs']}, "
              f"dx {info['dx_close']:.1e}, trust-constr {info['tr_rel']:.1e} / dx {info['tr_dx']:.1e}, "
              f"spend tol abs {spend_tol['abs']:.1e} (max spend {scale:.3g})")


def error_vectors(root):
    good = [ch("tv", mm(60.0, 40.0), geo(0.6, 4)), ch("search", mm(30.0, 10.0), geo(0.0, 1))]
    cases = [
        ("error_negative_budget", "budgets[1] is -5", good, per_period([40.0, -5.0, 30.0]), "out_of_range"),
        ("error_profile_length", "a profile of 2 weights for 3 periods", good,
         per_period([40.0, 30.0, 30.0], profile=[1.0, 1.2]), "length_mismatch"),
        ("error_pre_nan", "channels[1].pre[2] is NaN",
         [good[0], {**good[1], "pre": [1.0, 2.0, "NaN"]}], per_period([40.0, 30.0]), "non_finite"),
        ("error_periods_zero", "a total over 0 periods", good, total(0, 100.0), "invalid_parameter"),
    ]
    for name, what, chans, prm, code in cases:
        write(root, name, {"function": FN, "source": f"bad input by construction: {what}; the documented error code.",
                           "input": {"channels": chans}, "params": prm,
                           "expected": {"error": code}, "tolerance": {"abs": 0.0}})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=ROOT)
    a = ap.parse_args()
    plan_vectors(a.root)
    error_vectors(a.root)


if __name__ == "__main__":
    main()
