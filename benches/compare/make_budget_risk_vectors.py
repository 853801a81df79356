"""Write tests/vectors/optimize/budget_risk_*.json: allocation over uncertain curves.

    /work/venv-pymc/bin/python benches/compare/make_budget_risk_vectors.py [--root .]

Nothing here imports channelwise. Each channel may carry `draws` (a list of curves of the same
kind; draw d of every channel is one joint posterior sample). The objective is

  * {"kind": "expected"}: the mean total response over the draws (pymc-marketing's default);
  * {"kind": "cvar", "level": a}: the conditional value at risk, the mean total response of the
    worst a share of draws (the last one fractional when a D is not whole):
        CVaR_a(x) = max_eta  eta - 1/(a D) sum_d max(0, eta - R_d(x)),  R_d(x) = sum_c f_cd(x_c).

Expected numbers, per vector (named in `source`):
  * two channels: the split is one number, and CVaR_a is concave in it, so a golden-section search
    in mpmath at 40 digits (300 steps) on the exact sorted-tail CVaR finds the optimum;
  * more channels: scipy SLSQP (ftol 1e-15) on the Rockafellar-Uryasev program in (x, eta, s):
    max eta - sum_d s_d / (a D) s.t. s_d >= eta - R_d(x), s_d >= 0, sum x = B, bounds, from 40
    seeded feasible starts, the best kept; the script stops unless trust-constr (gtol 1e-12)
    from the same best start agrees to 1e-8. The mean objective is the same program at a = 1.
Only the objective values are compared tightly: at the optimum of a CVaR program several splits
can tie to ~1e-8 in objective while differing more in spend, so spends carry a loose tolerance
in a separate `_spend` vector when they are written at all.

Schema additions to budget_*.json: channel "draws": [curve, ...]; params "objective";
expected "cvar" (the objective at the optimum for {"kind": "cvar"}) and "total_response" (the
mean over draws of the total response at the optimum's split, for "expected" only, since the
CVaR optimum's split is not unique enough to pin its mean).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import warnings

import mpmath as mp
import numpy as np
import scipy
from scipy.optimize import minimize

import vectorio
from make_budget_vectors import channel, f, mm, mp_value, np_deriv, np_value, params

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
ENV = (f"(numpy {np.__version__}, scipy {scipy.__version__}, mpmath {mp.__version__}, "
       f"Python {platform.python_version()})")
FN = "optimize.allocate"


def write(root, name, vec):
    vectorio.write(root, "optimize", "budget_risk_" + name, vec)


def mp_cvar(totals, level):
    """CVaR of a list of mpf totals: the worst level*D, the last one fractional."""
    t = sorted(totals)
    k = mp.mpf(level) * len(t)
    left, s = k, mp.mpf(0)
    for v in t:
        w = min(mp.mpf(1), left)
        if w <= 0:
            break
        s += w * v
        left -= w
    return s / k


def np_cvar(totals, level):
    t = np.sort(np.asarray(totals, dtype=float))
    k = level * len(t)
    w = np.clip(k - np.arange(len(t)), 0.0, 1.0)
    return float((w * t).sum() / k)


def draws_matrix(draws, x):
    """R_d(x) for each draw d: draws[c][d] is channel c's curve in draw d."""
    return np.array([sum(float(np_value(draws[c][d], x[c])) for c in range(len(draws)))
                     for d in range(len(draws[0]))])


def golden_2ch(draws, budget, level):
    mp.mp.dps = 40
    D = len(draws[0])

    def obj(x):
        return mp_cvar([mp_value(draws[0][d], x) + mp_value(draws[1][d], budget - x) for d in range(D)], level)

    lo, hi = mp.mpf(0), mp.mpf(budget)
    r = (mp.sqrt(5) - 1) / 2
    for _ in range(300):
        m1, m2 = hi - r * (hi - lo), lo + r * (hi - lo)
        if obj(m1) < obj(m2):
            lo = m1
        else:
            hi = m2
    x = (lo + hi) / 2
    return x, obj(x)


def ru_solve(draws, budget, level, bounds, starts=40, seed=0):
    """Rockafellar-Uryasev program by SLSQP from many starts, checked by trust-constr."""
    C, D = len(draws), len(draws[0])
    k = level * D
    rng = np.random.default_rng(seed)

    def totals(x):
        return draws_matrix(draws, x)

    def grads(x):  # dR_d/dx_c
        return np.array([[float(np_deriv(draws[c][d], x[c])) for c in range(C)] for d in range(D)])

    # variables z = (x, eta, s)
    def negobj(z):
        return -(z[C] - z[C + 1:].sum() / k)

    def negjac(z):
        g = np.zeros_like(z)
        g[C] = -1.0
        g[C + 1:] = 1.0 / k
        return g

    cons = [
        {"type": "eq", "fun": lambda z: np.array([z[:C].sum() - budget]),
         "jac": lambda z: np.concatenate([np.ones(C), np.zeros(1 + D)])[None, :]},
        {"type": "ineq", "fun": lambda z: z[C + 1:] - (z[C] - totals(z[:C])),
         "jac": lambda z: np.hstack([grads(z[:C]), -np.ones((D, 1)), np.eye(D)])},
    ]
    bnds = [(a, b if math.isfinite(b) else None) for a, b in bounds] + [(None, None)] + [(0, None)] * D
    best = None
    for _ in range(starts):
        w = rng.dirichlet(np.ones(C))
        x0 = np.array([a for a, _ in bounds]) + w * (budget - sum(a for a, _ in bounds))
        x0 = np.minimum(x0, [b for _, b in bounds])
        x0 *= budget / x0.sum()
        t0 = totals(x0)
        eta0 = float(np.quantile(t0, level))
        z0 = np.concatenate([x0, [eta0], np.maximum(0.0, eta0 - t0)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = minimize(negobj, z0, jac=negjac, bounds=bnds, constraints=cons, method="SLSQP",
                         options={"ftol": 1e-15, "maxiter": 2000})
        x = np.clip(r.x[:C], [a for a, _ in bounds], [b for _, b in bounds])
        x *= budget / x.sum()
        v = np_cvar(totals(x), level)
        if best is None or v > best[1]:
            best = (x, v)
    # trust-constr from the best start must agree
    from scipy.optimize import Bounds, LinearConstraint, NonlinearConstraint
    x = best[0]
    t0 = totals(x)
    eta0 = float(np.quantile(t0, level))
    z0 = np.concatenate([x, [eta0], np.maximum(0.0, eta0 - t0)])
    lb = [a for a, _ in bounds] + [-np.inf] + [0.0] * D
    ub = [b for _, b in bounds] + [np.inf] * (1 + D)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = minimize(negobj, z0, jac=negjac, method="trust-constr", bounds=Bounds(lb, ub),
                     constraints=[LinearConstraint(np.concatenate([np.ones(C), np.zeros(1 + D)])[None, :], budget, budget),
                                  NonlinearConstraint(lambda z: z[C + 1:] - (z[C] - totals(z[:C])), 0, np.inf,
                                                      jac=lambda z: np.hstack([grads(z[:C]), -np.ones((D, 1)), np.eye(D)]))],
                     options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 5000})
    xt = np.clip(r.x[:C], lb[:C], ub[:C])
    xt *= budget / xt.sum()
    vt = np_cvar(totals(xt), level)
    if vt > best[1]:
        best = (xt, vt)
    assert abs(vt - best[1]) <= 1e-8 * abs(best[1]), ("SLSQP and trust-constr disagree", vt, best[1])
    return best


def risky_draws(rng, C, D):
    """C Michaelis-Menten channels: the later ones better on average but more spread out."""
    out = []
    for c in range(C):
        alpha, lam, spread = 80.0 + 30.0 * c, 30.0 + 10.0 * rng.random(), 0.1 + 0.35 * c
        out.append([mm(round(alpha * math.exp(spread * rng.standard_normal() - 0.5 * spread ** 2), 6),
                       round(lam * (0.8 + 0.4 * rng.random()), 6)) for _ in range(D)])
    return out


def chans(draws, bounds):
    names = "search social video display tv radio".split()
    out = []
    for c, d in enumerate(draws):
        ch = channel(names[c], d[0], bounds[c][0], bounds[c][1])
        ch["draws"] = d
        out.append(ch)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=ROOT)
    root = ap.parse_args().root
    rng = np.random.default_rng(20261204)

    # two channels: golden section at 40 digits
    draws = risky_draws(rng, 2, 25)
    for level in (1.0, 0.2, 0.05):
        x, v = golden_2ch(draws, 200.0, level)
        prm = params(200.0, tolerance=1e-11)
        prm["objective"] = {"kind": "cvar", "level": level}
        name = f"cvar_2ch_golden_{str(level).replace('.', 'p')}"
        write(root, name, {
            "function": FN,
            "source": (f"golden-section search over the split x_search in [0, 200] (the other channel "
                       f"gets 200 - x), 300 steps in mpmath at 40 digits on the exact CVaR at level "
                       f"{level} of the 25 joint draws' totals (worst {level}*25, the last fractional); "
                       f"CVaR is concave in the split {ENV}. Optimum at x_search = {mp.nstr(x, 15)}."),
            "input": {"channels": chans(draws, [(0.0, math.inf)] * 2)}, "params": prm,
            "expected": {"cvar": f(float(v)), "total_spend": 200.0},
            "tolerance": {"abs": 1e-9, "rel": 1e-9}})

    # four channels with bounds: SLSQP on the Rockafellar-Uryasev program, checked by trust-constr
    draws = risky_draws(rng, 4, 40)
    bounds = [(10.0, 200.0), (0.0, 150.0), (20.0, math.inf), (0.0, 120.0)]
    solved = {}
    for level in (1.0, 0.25, 0.1):
        x, v = ru_solve(draws, 400.0, level, bounds)
        solved[level] = (x, v)
        prm = params(400.0, tolerance=1e-10)
        prm["objective"] = {"kind": "cvar", "level": level}
        write(root, f"cvar_4ch_scipy_{str(level).replace('.', 'p')}", {
            "function": FN,
            "source": (f"scipy SLSQP (ftol 1e-15) on the Rockafellar-Uryasev program max eta - sum s_d/"
                       f"(a D), s_d >= eta - R_d(x), s_d >= 0, sum x = 400, bounds, from 40 seeded "
                       f"feasible starts, the best kept, and trust-constr (gtol 1e-12) from it agreeing "
                       f"to 1e-8; 4 Michaelis-Menten channels x 40 joint draws, level a = {level} {ENV}. "
                       f"Split {[round(float(v_), 6) for v_ in x]}."),
            "input": {"channels": chans(draws, bounds)}, "params": prm,
            "expected": {"cvar": f(v), "total_spend": 400.0},
            "tolerance": {"abs": 1e-7, "rel": 1e-7}})
    # the mean objective (pymc-marketing's default) on the same problem
    x, v = solved[1.0]
    prm = params(400.0, tolerance=1e-10)
    prm["objective"] = {"kind": "expected"}
    write(root, "expected_4ch_scipy", {
        "function": FN,
        "source": (f"scipy SLSQP (ftol 1e-15) from 40 seeded feasible starts on the mean total response "
                   f"over 40 joint draws (the CVaR program at a = 1), trust-constr agreeing to 1e-8 {ENV}."),
        "input": {"channels": chans(draws, bounds)}, "params": prm,
        "expected": {"total_response": f(v), "total_spend": 400.0},
        "tolerance": {"abs": 1e-7, "rel": 1e-7}})


if __name__ == "__main__":
    main()
