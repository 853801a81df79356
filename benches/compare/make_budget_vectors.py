"""Write tests/vectors/optimize/budget_*.json (budget allocation) deterministically.

    /work/venv-pymc/bin/python benches/compare/make_budget_vectors.py [--root .] [--no-pymc]

Nothing here imports channelwise.  Expected numbers come from, per vector (named in `source`):
  * closed forms: every concave curve here has an explicit inverse marginal x_i(lam) (Michaelis-
    Menten sqrt(alpha lam_i / lam) - lam_i, log beta/lam - 1/lam_i, power, logistic, tanh); the
    spend is x_i(lam) clamped to the channel's interval and lam solves sum_i x_i(lam) = budget,
    bisected in mpmath at 50 digits (water-filling, written out here), then rounded to float64;
  * scipy SLSQP and trust-constr from 50 seeded feasible starts each, ftol/gtol 1e-15, the best
    objective kept; cross-checked against the mpmath water-filling (the script stops if scipy is
    further from it than the vector's tolerance allows);
  * S-curves (Hill slope > 1): an exhaustive grid over the simplex of the free spends, the best
    cell refined by SLSQP (ftol 1e-15) and then by mpmath.findroot on the KKT equations (equal
    marginals) at 50 digits; the script checks that no other grid basin comes within 1e-3 of it;
  * scenarios: target marginal ROAS in closed form; target ROAS and least spend for a response by
    scipy.optimize.brentq over the budget on top of the mpmath water-filling;
  * pymc-marketing 0.19.2's BudgetOptimizer (SLSQP) on a one-draw custom PyMC model of the same
    curves (CustomModelWrapper), run offline;
  * errors: the code the schema documents for each bad input.

Schema (optimize.allocate, shared by every stack's runner):
  input  {"channels": [{"name", "curve": {"kind", <parameters>}, "lower", "upper" (number or
          "Infinity"), "current" (optional), "locked" (optional, default false)}]}
  params {"budget" (optional for the target scenarios), "spend_all", "max_change": null |
          {"relative": r} | {"absolute": d}, "scenario": {"kind": "max_response"} |
          {"kind": "target_marginal_roas" | "target_roas" | "min_spend_for_response",
          "value": v}, "tolerance": relative branch-and-bound gap}
  expected {"spend": [...] (omitted where the optimum is not unique), "total_response",
            "total_spend"} or {"error": "invalid_parameter" | "out_of_range" | "non_finite"}
  tolerance {"abs", "rel"}: |got - exp| <= abs + rel |exp| for every expected number.
Where the spends are known less precisely than the total response (scipy optima, whose spends
are only ~sqrt(ftol) accurate), a problem is written twice: `<name>_spend` (the spends, loose)
and `<name>_total` (total response and spend, tight), since a vector has one tolerance.
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
from scipy.optimize import Bounds, LinearConstraint, brentq, minimize

import vectorio
from vectorio import arr, f

mp.mp.dps = 50

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SCIPY = f"scipy {scipy.__version__}"
MPM = f"mpmath {mp.__version__}"
ENV = f"(numpy {np.__version__}, {SCIPY}, {MPM}, Python {platform.python_version()})"
INF = math.inf
FN = "optimize.allocate"


def write(root: str, name: str, vec: dict) -> None:
    vectorio.write(root, "optimize", "budget_" + name, vec)


# ---------------------------------------------------------------------------------------------
# curves: mpmath value, derivative and (concave curves) inverse marginal; numpy for scipy
# ---------------------------------------------------------------------------------------------

def M(v):
    return v if isinstance(v, mp.mpf) else mp.mpf(float(v))


def mp_value(c: dict, x):
    k, x = c["kind"], M(x)
    if k == "logistic":
        lam, b = M(c["lam"]), M(c["beta"])
        return b * (1 - mp.exp(-lam * x)) / (1 + mp.exp(-lam * x))
    if k == "hill":
        s, kk, b = M(c["slope"]), M(c["kappa"]), M(c["beta"])
        return b * x**s / (kk**s + x**s) if x > 0 else mp.mpf(0)
    if k == "michaelis_menten":
        return M(c["alpha"]) * x / (M(c["lam"]) + x)
    if k == "tanh":
        b, cc = M(c["b"]), M(c["c"])
        return b * mp.tanh(x / (b * cc))
    if k == "power":
        return M(c["a"]) * x ** M(c["b"]) if x > 0 else mp.mpf(0)
    if k == "log":
        return M(c["beta"]) * mp.log(1 + M(c["lam"]) * x)
    raise ValueError(k)


def mp_deriv(c: dict, x):
    k, x = c["kind"], M(x)
    if k == "logistic":
        lam, b = M(c["lam"]), M(c["beta"])
        return b * lam / 2 / mp.cosh(lam * x / 2) ** 2
    if k == "hill":
        s, kk, b = M(c["slope"]), M(c["kappa"]), M(c["beta"])
        if x == 0:
            return mp.inf if s < 1 else (b / kk if s == 1 else mp.mpf(0))
        return b * s * kk**s * x ** (s - 1) / (kk**s + x**s) ** 2
    if k == "michaelis_menten":
        a, lam = M(c["alpha"]), M(c["lam"])
        return a * lam / (lam + x) ** 2
    if k == "tanh":
        b, cc = M(c["b"]), M(c["c"])
        return 1 / (cc * mp.cosh(x / (b * cc)) ** 2)
    if k == "power":
        a, b = M(c["a"]), M(c["b"])
        if b == 1:
            return a
        return mp.inf if x == 0 else a * b * x ** (b - 1)
    if k == "log":
        b, lam = M(c["beta"]), M(c["lam"])
        return b * lam / (1 + lam * x)
    raise ValueError(k)


def mp_inverse(c: dict, m):
    """Spend where the (falling) marginal equals m > 0, explicit per curve; 0 when even the
    first unit returns less than m. Hill slope < 1 by mpmath.findroot (no closed form)."""
    k, m = c["kind"], M(m)
    top = mp_deriv(c, 0)
    if m >= top:
        return mp.mpf(0)
    if k == "logistic":
        lam, b = M(c["lam"]), M(c["beta"])
        return 2 / lam * mp.acosh(mp.sqrt(b * lam / (2 * m)))
    if k == "michaelis_menten" or (k == "hill" and c["slope"] == 1):
        a, lam = (M(c["alpha"]), M(c["lam"])) if k != "hill" else (M(c["beta"]), M(c["kappa"]))
        return mp.sqrt(a * lam / m) - lam
    if k == "tanh":
        b, cc = M(c["b"]), M(c["c"])
        return b * cc * mp.acosh(1 / mp.sqrt(m * cc))
    if k == "power":
        a, b = M(c["a"]), M(c["b"])
        return (m / (a * b)) ** (1 / (b - 1))
    if k == "log":
        b, lam = M(c["beta"]), M(c["lam"])
        return b / m - 1 / lam
    if k == "hill" and c["slope"] < 1:
        # bracket then bisect in mpmath (monotone falling marginal)
        lo, hi = mp.mpf(0), mp.mpf(1)
        while mp_deriv(c, hi) > m:
            lo, hi = hi, 2 * hi
        for _ in range(400):
            mid = (lo + hi) / 2
            if mp_deriv(c, mid) > m:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2
    raise ValueError(f"no inverse marginal for {c}")


def np_value(c: dict, x):
    k = c["kind"]
    x = np.asarray(x, dtype=float)
    if k == "logistic":
        return c["beta"] * np.tanh(0.5 * c["lam"] * x)
    if k == "hill":
        with np.errstate(divide="ignore"):
            return np.where(x > 0, c["beta"] / (1 + (c["kappa"] / np.maximum(x, 1e-300)) ** c["slope"]), 0.0)
    if k == "michaelis_menten":
        return c["alpha"] * x / (c["lam"] + x)
    if k == "tanh":
        return c["b"] * np.tanh(x / (c["b"] * c["c"]))
    if k == "power":
        return c["a"] * np.maximum(x, 0) ** c["b"]
    if k == "log":
        return c["beta"] * np.log1p(c["lam"] * x)
    raise ValueError(k)


def np_deriv(c: dict, x):
    k = c["kind"]
    x = np.maximum(np.asarray(x, dtype=float), 1e-12)  # keep x^(s-1) finite at 0 for s < 1
    if k == "logistic":
        return c["beta"] * 0.5 * c["lam"] / np.cosh(0.5 * c["lam"] * x) ** 2
    if k == "hill":
        s, kk, b = c["slope"], c["kappa"], c["beta"]
        r = (kk / x) ** s
        return b * s * r / (x * (1 + r) ** 2)
    if k == "michaelis_menten":
        return c["alpha"] * c["lam"] / (c["lam"] + x) ** 2
    if k == "tanh":
        return 1 / (c["c"] * np.cosh(x / (c["b"] * c["c"])) ** 2)
    if k == "power":
        return c["a"] * c["b"] * x ** (c["b"] - 1)
    if k == "log":
        return c["beta"] * c["lam"] / (1 + c["lam"] * x)
    raise ValueError(k)


# ---------------------------------------------------------------------------------------------
# problems
# ---------------------------------------------------------------------------------------------

def channel(name, curve, lower=0.0, upper=INF, current=None, locked=None) -> dict:
    ch = {"name": name, "curve": curve, "lower": f(lower), "upper": f(upper)}
    if current is not None:
        ch["current"] = f(current)
    if locked is not None:
        ch["locked"] = locked
    return ch


def intervals(chs: list, max_change) -> list:
    """Each channel's effective [a, b]: bounds, the move window, a lock."""
    out = []
    for c in chs:
        lo = float(c["lower"])
        hi = INF if c["upper"] == "Infinity" else float(c["upper"])
        if c.get("locked"):
            out.append((float(c["current"]), float(c["current"])))
            continue
        if max_change is not None:
            cur = float(c["current"])
            d = max_change.get("absolute", None)
            if d is None:
                d = max_change["relative"] * cur
            lo, hi = max(lo, cur - d), min(hi, cur + d)
            assert lo <= hi, (c["name"], "the move window misses the bounds")
        out.append((lo, hi))
    return out


def params(budget=None, spend_all=True, max_change=None, scenario=None, tolerance=1e-9) -> dict:
    p = {}
    if budget is not None:
        p["budget"] = f(budget)
    p["spend_all"] = spend_all
    p["max_change"] = max_change
    p["scenario"] = scenario or {"kind": "max_response"}
    p["tolerance"] = tolerance
    return p


def mp_clamp(x, a, b):
    return max(M(a), min(M(b), x)) if b != INF else max(M(a), x)


def mp_fill(chs_curves, iv, budget, spend_all=True):
    """Water-filling in mpmath: lam with sum_i clamp(x_i(lam)) = budget, by bisection on ln lam
    (the sum is monotone). Returns (spends, lam). Concave curves only."""
    least = sum(M(a) for a, _ in iv)
    most = sum(M(b) for _, b in iv) if all(b != INF for _, b in iv) else mp.inf
    B = M(budget)
    if most <= B:  # every channel at its most spend (an at-most budget that does not bind)
        assert most == B or not spend_all
        return [M(b) for _, b in iv], mp.mpf(0)
    assert least <= B

    def spend(lam):
        return [mp_clamp(mp_inverse(c, lam), a, b) for c, (a, b) in zip(chs_curves, iv)]

    lo, hi = mp.mpf(-80), mp.mpf(80)  # ln lam
    assert mp.fsum(spend(mp.exp(lo))) >= B >= mp.fsum(spend(mp.exp(hi)))
    for _ in range(260):
        mid = (lo + hi) / 2
        if mp.fsum(spend(mp.exp(mid))) > B:
            lo = mid
        else:
            hi = mid
    lam = mp.exp((lo + hi) / 2)
    return spend(lam), lam


def totals(curves, x) -> tuple:
    return mp.fsum(mp_value(c, xi) for c, xi in zip(curves, x)), mp.fsum(M(xi) for xi in x)


def expected(curves, x, with_spend=True) -> dict:
    tr, ts = totals(curves, x)
    e = {}
    if with_spend:
        e["spend"] = [f(float(xi)) for xi in x]
    e["total_response"] = f(float(tr))
    e["total_spend"] = f(float(ts))
    return e


# ---------------------------------------------------------------------------------------------
# closed-form water-filling
# ---------------------------------------------------------------------------------------------

CLOSED = (f"closed-form water-filling: the KKT conditions give each channel's spend as its curve's "
          f"explicit inverse marginal x_i(lam) (Michaelis-Menten sqrt(alpha*lam_i/lam) - lam_i; log "
          f"beta/lam - 1/lam_i; power (lam/(a b))^(1/(b-1)); logistic (2/lam_i) acosh(sqrt(beta "
          f"lam_i/(2 lam))); tanh b c acosh(1/sqrt(lam c))) clamped to the channel's interval "
          f"(bounds, then the maximum change window, a locked channel fixed at current); lam solves "
          f"sum_i x_i(lam) = budget by bisection on ln lam in {MPM} at 50 digits (260 halvings), "
          f"spends and totals rounded to float64 from the 50-digit values {ENV}.")
TIGHT = {"abs": 1e-9, "rel": 1e-9}


def closed_case(root, name, chs, prm, note="", with_spend=True):
    curves = [c["curve"] for c in chs]
    iv = intervals(chs, prm["max_change"])
    x, lam = mp_fill(curves, iv, float(prm["budget"]), prm["spend_all"])
    write(root, name, {
        "function": FN, "source": CLOSED + (" " + note if note else "") + f" Multiplier lam = {mp.nstr(lam, 20)}.",
        "input": {"channels": chs}, "params": prm,
        "expected": expected(curves, x, with_spend), "tolerance": TIGHT})
    return x


def mm(alpha, lam):
    return {"kind": "michaelis_menten", "alpha": alpha, "lam": lam}


def logc(beta, lam):
    return {"kind": "log", "beta": beta, "lam": lam}


def closed_vectors(root):
    # the hand example: alpha 1 and 4, lam 1, budget 4 -> lam = 1/4, x = (1, 3)
    closed_case(root, "closed_mm_2ch_by_hand",
                [channel("a", mm(1.0, 1.0)), channel("b", mm(4.0, 1.0))], params(4.0),
                note="By hand: 3/sqrt(lam) - 2 = 4 gives lam = 1/4, x = (1, 3).")
    closed_case(root, "closed_mm_5ch_bounds",
                [channel("search", mm(500.0, 100.0), lower=50.0, upper=400.0),
                 channel("social", mm(300.0, 50.0), upper=120.0),
                 channel("video", mm(900.0, 400.0), lower=200.0),
                 channel("display", mm(60.0, 30.0), lower=10.0, upper=25.0),
                 channel("email", mm(40.0, 5.0))],
                params(1000.0),
                note="Bounds bind at both ends (display held at its upper bound, email ...).")
    closed_case(root, "closed_log_4ch",
                [channel("a", logc(120.0, 0.01)), channel("b", logc(80.0, 0.05)),
                 channel("c", logc(30.0, 0.5), upper=40.0), channel("d", logc(200.0, 0.002), lower=100.0)],
                params(900.0))
    closed_case(root, "closed_mixed_6ch",
                [channel("mm", mm(250.0, 60.0)), channel("log", logc(40.0, 0.02)),
                 channel("power", {"kind": "power", "a": 3.0, "b": 0.5}, upper=300.0),
                 channel("logistic", {"kind": "logistic", "lam": 0.01, "beta": 150.0}),
                 channel("tanh", {"kind": "tanh", "b": 90.0, "c": 1.5}),
                 channel("hill1", {"kind": "hill", "slope": 1.0, "kappa": 80.0, "beta": 120.0}, lower=20.0)],
                params(600.0))
    closed_case(root, "closed_max_change_relative_locked",
                [channel("a", mm(100.0, 20.0), current=30.0),
                 channel("b", mm(400.0, 50.0), current=40.0, upper=55.0),
                 channel("c", mm(900.0, 10.0), current=15.0, locked=True),
                 channel("d", logc(50.0, 0.1), current=60.0),
                 channel("e", mm(20.0, 100.0), current=25.0)],
                params(180.0, max_change={"relative": 0.3}),
                note="Windows [0.7, 1.3] x current within the bounds; c locked at 15.")
    closed_case(root, "closed_max_change_absolute",
                [channel("a", mm(10.0, 2.0), current=3.0),
                 channel("b", mm(30.0, 8.0), current=10.0, lower=9.0),
                 channel("c", logc(5.0, 1.0), current=1.0),
                 channel("d", mm(50.0, 40.0), current=0.5)],
                params(20.0, max_change={"absolute": 4.0}),
                note="Windows current +/- 4, cut at 0 and at b's lower bound 9.")
    closed_case(root, "closed_at_most_not_binding",
                [channel("a", mm(100.0, 10.0), upper=30.0, current=29.0),
                 channel("b", logc(20.0, 0.2), upper=15.0, current=14.0),
                 channel("c", mm(5.0, 50.0), current=8.0)],
                params(100.0, spend_all=False, max_change={"absolute": 2.0}),
                note="An at-most budget of 100 that does not bind: every channel at the most it may "
                     "spend (a min(30, 29 + 2) = 30, b min(15, 14 + 2) = 15, c 8 + 2 = 10: 55), which the water-filling reaches at lam = 0.")
    closed_case(root, "closed_at_most_binding",
                [channel("a", mm(100.0, 10.0), upper=30.0), channel("b", logc(20.0, 0.2), upper=15.0),
                 channel("c", mm(5.0, 50.0))],
                params(40.0, spend_all=False),
                note="An at-most budget that binds (increasing curves spend it all): the same as "
                     "spending exactly 40.")
    # a tie: two identical linear curves share the money any way; only the totals are unique
    lin = {"kind": "power", "a": 0.5, "b": 1.0}
    chs = [channel("lin1", lin, upper=50.0), channel("lin2", lin, upper=50.0),
           channel("mm", mm(100.0, 20.0))]
    curves = [c["curve"] for c in chs]
    # marginal of mm equals 0.5 at x = sqrt(100*20/0.5) - 20 = 43.2456; the rest (budget 100)
    # splits over the two linear channels in any proportion
    xm = mp.sqrt(mp.mpf(100) * 20 / mp.mpf("0.5")) - 20
    rest = 100 - xm
    x = [rest / 2, rest / 2, xm]
    write(root, "closed_linear_tie", {
        "function": FN,
        "source": ("closed form: two identical linear curves (power b = 1, slope 0.5) and a "
                   "Michaelis-Menten one; the Michaelis-Menten channel spends until its marginal "
                   "falls to 0.5 (x = sqrt(100*20/0.5) - 20 = 43.2456...), the rest of the budget "
                   "goes to the linear channels in any proportion (every split is optimal), so "
                   f"only the totals are checked; evaluated in {MPM} at 50 digits {ENV}."),
        "input": {"channels": chs}, "params": params(100.0),
        "expected": expected(curves, x, with_spend=False), "tolerance": TIGHT})


# ---------------------------------------------------------------------------------------------
# scipy multi-start (concave, 5-20 channels)
# ---------------------------------------------------------------------------------------------

def feasible_start(rng, iv, budget):
    """A random point of the box with sum = budget: uniform in the box, then shifted by a common
    t and clamped (bisection on t)."""
    a = np.array([v[0] for v in iv])
    b = np.array([min(v[1], a_ + 10 * budget + 1) for v, a_ in zip(iv, a)])
    x = rng.uniform(a, b)
    lo, hi = -10 * budget - 1e3, 10 * budget + 1e3
    for _ in range(200):
        t = 0.5 * (lo + hi)
        if np.clip(x + t, a, b).sum() > budget:
            hi = t
        else:
            lo = t
    return np.clip(x + 0.5 * (lo + hi), a, b)


def scipy_best(curves, iv, budget, spend_all=True, starts=50, seed=0):
    n = len(curves)
    fun = lambda x: -sum(float(np_value(c, xi)) for c, xi in zip(curves, x))
    jac = lambda x: -np.array([float(np_deriv(c, xi)) for c, xi in zip(curves, x)])
    hess_zero = None  # trust-constr uses BFGS-free exact gradients + its own quasi-Newton
    bounds = Bounds([v[0] for v in iv], [v[1] for v in iv])
    lin = LinearConstraint(np.ones((1, n)), budget if spend_all else -np.inf, budget)
    cons = [{"type": "eq" if spend_all else "ineq", "fun": lambda x: budget - x.sum(),
             "jac": lambda x: -np.ones(n)}]
    rng = np.random.default_rng(seed)
    best, runs = None, {"SLSQP": 0, "trust-constr": 0}
    for s in range(starts):
        x0 = feasible_start(rng, iv, budget)
        for method in ("SLSQP", "trust-constr"):
            if method == "SLSQP":
                r = minimize(fun, x0, jac=jac, method="SLSQP", bounds=bounds, constraints=cons,
                             options={"ftol": 1e-15, "maxiter": 2000})
            else:
                r = minimize(fun, x0, jac=jac, method="trust-constr", bounds=bounds,
                             constraints=[lin], hess=hess_zero,
                             options={"gtol": 1e-13, "xtol": 1e-15, "maxiter": 5000})
            x = np.clip(r.x, bounds.lb, bounds.ub)
            viol = abs(x.sum() - budget) if spend_all else max(0.0, x.sum() - budget)
            if viol > 1e-9 * max(budget, 1):
                continue
            runs[method] += 1
            v = -fun(x)
            if best is None or v > best[0]:
                best = (v, x, method, s)
    return best, runs


SCIPY_SRC = (f"{SCIPY} scipy.optimize.minimize, SLSQP (ftol 1e-15, maxiter 2000) and trust-constr "
             "(gtol 1e-13, xtol 1e-15) each from 50 feasible starts drawn from numpy PCG64 (seed "
             "{seed}: uniform in the box, shifted onto the budget), analytic gradients; the best "
             "objective over all {nruns} feasible runs ({best}) is the reference. Cross-checked "
             f"against a 50-digit mpmath water-filling (explicit inverse marginals, bisection on "
             "ln lam): scipy's spends within {dx:.1e} relative (of the largest spend), its total "
             f"response within {{dv:.1e}} relative {ENV}.")


def scipy_case(root, name, chs, prm, seed, spend_rel=1e-6):
    curves = [c["curve"] for c in chs]
    iv = intervals(chs, prm["max_change"])
    budget = float(prm["budget"])
    (v, x, method, s), runs = scipy_best(curves, iv, budget, prm["spend_all"], seed=seed)
    exact, lam = mp_fill(curves, iv, budget, prm["spend_all"])
    big = max(float(abs(e)) for e in exact)
    dx = max(abs(float(xi) - float(e)) for xi, e in zip(x, exact)) / big
    tr, _ = totals(curves, exact)
    dv = abs(float(totals(curves, x)[0]) - float(tr)) / float(tr)
    spend_tol = {"abs": spend_rel * big, "rel": spend_rel}
    total_tol = {"abs": 1e-9, "rel": 1e-9}
    # the reference must be what it claims: scipy within its tolerance of the exact answer
    assert dx * big <= 0.5 * spend_tol["abs"], (name, dx)
    assert dv <= 0.5 * total_tol["rel"], (name, dv)
    src = SCIPY_SRC.format(seed=seed, nruns=sum(runs.values()), best=f"{method} from start {s}",
                           dx=dx, dv=dv)
    base = {"function": FN, "input": {"channels": chs}, "params": prm}
    write(root, name + "_spend", {**base, "source": src + " This file checks the spends (to what "
                                  "scipy achieves); <name>_total checks the totals tightly.",
                                  "expected": {"spend": [f(xi) for xi in x]}, "tolerance": spend_tol})
    tr_s, ts_s = totals(curves, x)
    write(root, name + "_total", {**base, "source": src + " This file checks the totals (scipy's "
                                  "best objective; total spend = the budget).",
                                  "expected": {"total_response": f(float(tr_s)), "total_spend": f(float(ts_s))},
                                  "tolerance": total_tol})
    print(f"{name}: {method} start {s}, spends {dx:.1e}, total {dv:.1e}, runs {runs}")


def random_concave(rng, n, kinds=("logistic", "michaelis_menten", "hill", "log", "tanh", "power")):
    out = []
    for i in range(n):
        k = kinds[i % len(kinds)]
        scale = round(float(rng.uniform(20, 200)), 3)
        top = round(float(rng.uniform(50, 500)), 3)
        if k == "logistic":
            c = {"kind": k, "lam": round(2.0 / scale, 6), "beta": top}
        elif k == "michaelis_menten":
            c = mm(top, scale)
        elif k == "hill":
            c = {"kind": k, "slope": round(float(rng.uniform(0.4, 1.0)), 3), "kappa": scale, "beta": top}
        elif k == "log":
            c = logc(top / 5, round(1.0 / scale, 6))
        elif k == "tanh":
            c = {"kind": k, "b": top, "c": round(scale / top, 6)}
        else:
            c = {"kind": k, "a": round(top / scale**0.5, 4), "b": round(float(rng.uniform(0.3, 0.8)), 3)}
        out.append(c)
    return out


def scipy_vectors(root):
    rng = np.random.default_rng(20260612)
    # 5 channels, bounds
    cur = random_concave(rng, 5)
    chs = [channel(f"c{i}", c, lower=[0, 30, 0, 10, 0][i], upper=[80, INF, 150, 40, INF][i])
           for i, c in enumerate(cur)]
    scipy_case(root, "scipy_5ch_bounds", chs, params(400.0), seed=1)
    # 10 channels, relative max change
    cur = random_concave(rng, 10)
    spend = rng.uniform(20, 120, 10).round(2)
    chs = [channel(f"c{i}", c, current=float(spend[i]), upper=(INF if i % 3 else float(spend[i]) * 1.1))
           for i, c in enumerate(cur)]
    scipy_case(root, "scipy_10ch_max_change", chs,
               params(round(float(spend.sum()) * 1.05, 2), max_change={"relative": 0.25}), seed=2)
    # 15 channels, locked + bounds, absolute max change
    cur = random_concave(rng, 15)
    spend = rng.uniform(10, 90, 15).round(2)
    chs = [channel(f"c{i}", c, current=float(spend[i]), lower=(5.0 if i % 4 == 1 else 0.0),
                   locked=(True if i in (2, 9) else None)) for i, c in enumerate(cur)]
    scipy_case(root, "scipy_15ch_locked_absolute", chs,
               params(float(spend.sum().round(2)) * 0.9, max_change={"absolute": 30.0}), seed=3)
    # 20 channels, mixed bounds, at most budget (binds)
    cur = random_concave(rng, 20)
    chs = [channel(f"c{i}", c, lower=round(float(rng.uniform(0, 20)), 2) if i % 5 == 0 else 0.0,
                   upper=round(float(rng.uniform(40, 200)), 2) if i % 2 == 0 else INF)
           for i, c in enumerate(cur)]
    scipy_case(root, "scipy_20ch_at_most", chs, params(1500.0, spend_all=False), seed=4)


# ---------------------------------------------------------------------------------------------
# S-curves: exhaustive grid, SLSQP refinement, KKT polish in mpmath
# ---------------------------------------------------------------------------------------------

def grid_search(curves, iv, budget, n):
    """Best point of a grid over the spends of the first k-1 channels (the last takes the rest),
    within the intervals. Returns (value, x) for the best and the best of points whose spend
    differs from it by more than 10% of the budget in some channel (another basin)."""
    k = len(curves)
    axes = [np.linspace(a, min(b, budget), n) for a, b in iv[:-1]]
    mesh = np.meshgrid(*axes, indexing="ij")
    pts = np.stack([m.ravel() for m in mesh], axis=1)
    last = budget - pts.sum(axis=1)
    a, b = iv[-1]
    ok = (last >= a - 1e-12) & (last <= b + 1e-12)
    pts, last = pts[ok], np.clip(last[ok], a, b)
    X = np.column_stack([pts, last])
    val = sum(np_value(c, X[:, i]) for i, c in enumerate(curves))
    i = int(np.argmax(val))
    far = np.abs(X - X[i]).max(axis=1) > 0.1 * budget
    j = int(np.argmax(np.where(far, val, -np.inf)))
    return (val[i], X[i]), (val[j], X[j]), len(X)


def kkt_polish(curves, iv, budget, x):
    """mpmath.findroot on f_i'(x_i) = lam for the interior channels, sum = budget."""
    free = [i for i, (a, b) in enumerate(iv) if x[i] > a + 1e-7 * budget and x[i] < b - 1e-7 * budget]
    fixed = {i: (iv[i][0] if x[i] <= iv[i][0] + 1e-7 * budget else iv[i][1]) for i in range(len(x)) if i not in free}
    lam0 = float(np.mean([float(mp_deriv(curves[i], x[i])) for i in free]))

    def eqs(*v):
        xs, lam = v[:-1], v[-1]
        out = [mp_deriv(curves[i], xi) - lam for i, xi in zip(free, xs)]
        out.append(mp.fsum(xs) + mp.fsum(M(v) for v in fixed.values()) - budget)
        return out

    sol = mp.findroot(eqs, [M(x[i]) for i in free] + [M(lam0)], tol=mp.mpf(10) ** -45)
    sol = list(sol) if hasattr(sol, "__len__") else [sol]
    out = [None] * len(x)
    for i, v in zip(free, sol[:-1]):
        out[i] = v
    for i, v in fixed.items():
        out[i] = M(v)
    lam = sol[-1]
    # KKT at the bounds and second order on the interior (each interior curve concave there)
    for i, v in fixed.items():
        d = mp_deriv(curves[i], v)
        assert (d <= lam) if v == iv[i][0] else (d >= lam), (i, d, lam)
    return out, lam


def s_case(root, name, chs, prm, n):
    curves = [c["curve"] for c in chs]
    iv = intervals(chs, prm["max_change"])
    budget = float(prm["budget"])
    (gv, gx), (ov, ox), npts = grid_search(curves, iv, budget, n)
    fun = lambda x: -float(sum(np_value(c, xi) for c, xi in zip(curves, x)))
    r = minimize(fun, gx, method="SLSQP", bounds=iv,
                 constraints=[{"type": "eq", "fun": lambda x: x.sum() - budget}],
                 options={"ftol": 1e-15, "maxiter": 1000})
    x, lam = kkt_polish(curves, iv, budget, r.x)
    tr, ts = totals(curves, x)
    # the polished point is at least as good as every grid point, and the next basin is worse
    assert float(tr) >= gv - 1e-12 * abs(gv), (name, float(tr), gv)
    assert float(tr) - ov > 1e-3 * float(tr), (name, "another basin is too close", ov, float(tr))
    src = (f"S-curves: exhaustive grid search over the free spends ({npts} feasible points, {n} per "
           f"axis, the last channel takes the rest of the budget) in numpy, the best point refined "
           f"by {SCIPY} SLSQP (ftol 1e-15), then the KKT equations (equal marginals of the "
           f"interior channels, the budget) solved by mpmath.findroot at 50 digits, every curve "
           f"concave at its spend (second order holds); the best point of another basin (a spend "
           f"differing by > 10% of the budget) is {100 * (1 - ov / float(tr)):.3f}% worse, so the "
           f"optimum is unique; multiplier {mp.nstr(lam, 15)} {ENV}.")
    base = {"function": FN, "input": {"channels": chs}, "params": prm}
    write(root, name, {**base, "source": src, "expected": expected(curves, x),
                       "tolerance": {"abs": 1e-9, "rel": 1e-9}})
    print(f"{name}: grid {gv:.12g} -> {float(tr):.15g}, other basin {ov:.6g}, x {[float(v) for v in x]}")


def hill(s, k, b):
    return {"kind": "hill", "slope": s, "kappa": k, "beta": b}


def s_vectors(root):
    s_case(root, "s_curve_2ch", [channel("a", hill(3.0, 4.0, 10.0)), channel("b", hill(2.0, 6.0, 12.0))],
           params(9.0), n=200001)
    s_case(root, "s_curve_3ch_mixed",
           [channel("a", hill(3.0, 4.0, 10.0)), channel("b", hill(2.0, 6.0, 12.0)),
            channel("c", mm(3.0, 2.0))], params(9.0), n=2001)
    s_case(root, "s_curve_4ch_bounds",
           [channel("tv", hill(4.0, 300.0, 900.0), upper=600.0),
            channel("search", hill(2.0, 80.0, 300.0), lower=20.0),
            channel("social", {"kind": "logistic", "lam": 0.008, "beta": 250.0}),
            channel("radio", hill(2.5, 150.0, 260.0), upper=250.0)],
           params(700.0), n=161)
    s_case(root, "s_curve_3ch_small_budget",
           [channel("a", hill(2.0, 50.0, 100.0)), channel("b", hill(3.0, 40.0, 90.0)),
            channel("c", logc(10.0, 0.05))], params(60.0), n=2001)


# ---------------------------------------------------------------------------------------------
# scenarios
# ---------------------------------------------------------------------------------------------

def best_response(curves, iv, B):
    x, _ = mp_fill(curves, iv, B)
    return totals(curves, x)[0], x


def scenario_vectors(root):
    chs = [channel("a", mm(200.0, 40.0), upper=150.0), channel("b", logc(30.0, 0.05), lower=10.0),
           channel("c", mm(500.0, 300.0)), channel("d", mm(80.0, 10.0))]
    curves = [c["curve"] for c in chs]
    iv = intervals(chs, None)
    # target marginal ROAS 0.4: each channel's x_i(0.4) clamped; no budget
    m = mp.mpf("0.4")
    x = [mp_clamp(mp_inverse(c, m), a, b) for c, (a, b) in zip(curves, iv)]
    write(root, "scenario_target_marginal_roas", {
        "function": FN,
        "source": ("closed form: spend each channel until its marginal return falls to 0.4, "
                   "x_i = clamp(x_i(0.4)) with x_i(m) = sqrt(alpha lam_i / m) - lam_i (Michaelis-"
                   "Menten) and beta/m - 1/lam_i (log), clamped to the bounds (a at its upper 150, "
                   f"b at its lower 10: its first unit returns 1.5 > 0.4, so b spends 50); {MPM} at "
                   f"50 digits {ENV}."),
        "input": {"channels": chs}, "params": params(None, scenario={"kind": "target_marginal_roas", "value": 0.4}),
        "expected": expected(curves, x), "tolerance": TIGHT})
    # the same with a budget below that spend: the budget caps it (at most, water-filling)
    spent = float(mp.fsum(x))
    B = 500.0
    assert B < spent
    xb, lam = mp_fill(curves, iv, B, spend_all=False)
    assert lam > m
    write(root, "scenario_target_marginal_roas_capped", {
        "function": FN,
        "source": (f"closed form: at marginal 0.4 the channels would spend {spent:.6f} > the budget "
                   f"500, so the budget caps the total: water-filling of 500 (the multiplier "
                   f"{mp.nstr(lam, 12)} > 0.4), explicit inverse marginals clamped to the bounds, "
                   f"bisection on ln lam in {MPM} at 50 digits {ENV}."),
        "input": {"channels": chs},
        "params": params(B, scenario={"kind": "target_marginal_roas", "value": 0.4}),
        "expected": expected(curves, xb), "tolerance": TIGHT})
    # target ROAS 1.2: the most spend B with R*(B)/B >= 1.2 (R*(B)/B falls in B)
    r = 1.2
    g = lambda B: float(best_response(curves, iv, B)[0]) / B - r
    Bs = brentq(g, 20.0, 1e5, xtol=1e-12, rtol=4 * np.finfo(float).eps, maxiter=200)
    _, xs = best_response(curves, iv, Bs)
    write(root, "scenario_target_roas", {
        "function": FN,
        "source": (f"{SCIPY} scipy.optimize.brentq (xtol 1e-12, rtol 4 eps) over the budget B of "
                   f"R*(B)/B - 1.2, R*(B) the best response for B from the 50-digit mpmath "
                   f"water-filling (explicit inverse marginals, clamped to the bounds); R*(B)/B "
                   f"falls in B (concave R*, R*(0) >= 0), so the root is the most spend keeping a "
                   f"ROAS of 1.2: B = {Bs!r}; spends the water-filling of that B {ENV}."),
        "input": {"channels": chs}, "params": params(None, scenario={"kind": "target_roas", "value": r}),
        "expected": expected(curves, xs), "tolerance": {"abs": 1e-10, "rel": 1e-10}})
    # least spend for a response of 600
    target = 600.0
    h = lambda B: float(best_response(curves, iv, B)[0]) - target
    Bt = brentq(h, 10.0, 1e5, xtol=1e-12, rtol=4 * np.finfo(float).eps, maxiter=200)
    _, xt = best_response(curves, iv, Bt)
    write(root, "scenario_min_spend_for_response", {
        "function": FN,
        "source": (f"{SCIPY} scipy.optimize.brentq (xtol 1e-12, rtol 4 eps) over the budget B of "
                   f"R*(B) - 600, R*(B) the best response for B from the 50-digit mpmath "
                   f"water-filling (explicit inverse marginals, clamped to the bounds; R* increases "
                   f"in B): B = {Bt!r}; spends the water-filling of that B {ENV}."),
        "input": {"channels": chs},
        "params": params(None, scenario={"kind": "min_spend_for_response", "value": target}),
        "expected": expected(curves, xt), "tolerance": {"abs": 1e-10, "rel": 1e-10}})
    # unreachable: the curves' ceilings sum to 200 + 500 + 80 + (log at a's... ) -> ask for more
    # than the ceilings of a bounded problem
    chs2 = [channel("a", mm(200.0, 40.0), upper=150.0), channel("d", mm(80.0, 10.0), upper=100.0)]
    top = float(totals([c["curve"] for c in chs2], [150.0, 100.0])[0])
    write(root, "scenario_min_spend_unreachable", {
        "function": FN,
        "source": (f"by hand: with both channels at their upper bounds the response is "
                   f"200*150/190 + 80*100/110 = {top:.6f} < 300, the target: unreachable, an "
                   "invalid_parameter error (target_response)."),
        "input": {"channels": chs2},
        "params": params(None, scenario={"kind": "min_spend_for_response", "value": 300.0}),
        "expected": {"error": "invalid_parameter"}, "tolerance": {"abs": 0.0}})


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------

def error_vectors(root):
    ok = [channel("a", mm(10.0, 5.0)), channel("b", mm(20.0, 5.0))]
    cases = [
        ("lower_above_budget", [channel("a", mm(10.0, 5.0), lower=60.0), channel("b", mm(20.0, 5.0), lower=50.0)],
         params(100.0), "invalid_parameter", "lower bounds 60 + 50 = 110 exceed the budget 100"),
        ("max_change_cannot_hold", [channel("a", mm(10.0, 5.0), current=10.0), channel("b", mm(20.0, 5.0), current=20.0)],
         params(100.0, max_change={"relative": 0.2}), "invalid_parameter",
         "the move windows [8, 12] and [16, 24] hold at most 36 < the budget 100 (spend all)"),
        ("lower_above_upper", [channel("a", mm(10.0, 5.0), lower=30.0, upper=20.0), channel("b", mm(20.0, 5.0))],
         params(100.0), "invalid_parameter", "a.lower 30 above a.upper 20"),
        ("negative_budget", ok, params(-5.0), "out_of_range", "budget -5 < 0"),
        ("nan_bound", [channel("a", mm(10.0, 5.0), upper=math.nan), channel("b", mm(20.0, 5.0))],
         params(100.0), "non_finite", "a.upper is NaN"),
        ("unknown_curve_kind", [channel("a", {"kind": "gompertz", "a": 1.0, "b": 2.0}), channel("b", mm(20.0, 5.0))],
         params(100.0), "invalid_parameter", "curve kind 'gompertz' is not one of the six"),
        ("empty_channels", [], params(100.0), "invalid_parameter", "no channels: nothing to allocate"),
    ]
    for name, chs, prm, code, why in cases:
        write(root, "error_" + name, {
            "function": FN, "source": f"bad input by construction: {why}; the documented error code.",
            "input": {"channels": chs}, "params": prm, "expected": {"error": code},
            "tolerance": {"abs": 0.0}})


# ---------------------------------------------------------------------------------------------
# pymc-marketing 0.19.2 BudgetOptimizer on plain curves
# ---------------------------------------------------------------------------------------------

def pymc_vector(root):
    warnings.filterwarnings("ignore")
    import arviz as az
    import pymc as pm
    import pymc_marketing
    import pytensor
    import pytensor.tensor as pt
    import xarray as xr
    from pymc_marketing.mmm.budget_optimizer import BudgetOptimizer, CustomModelWrapper

    pytensor.config.floatX = "float64"
    names = ["tv", "search", "social", "display"]
    lam = np.array([0.004, 0.02, 0.01, 0.05])
    beta = np.array([400.0, 150.0, 220.0, 60.0])
    lo = np.array([50.0, 0.0, 20.0, 0.0])
    hi = np.array([600.0, 200.0, 400.0, 100.0])
    budget = 800.0
    import pymc.dims as pmd
    from pytensor.xtensor import as_xtensor as ax

    with pm.Model(coords={"channel": names, "date": [0]}) as model:
        data = pmd.Data("channel_data", np.zeros((1, 4)), dims=("date", "channel"))
        lam_v = pmd.Normal("lam", ax(lam, dims=("channel",)), 1.0, dims="channel")
        beta_v = pmd.Normal("beta", ax(beta, dims=("channel",)), 1.0, dims="channel")
        e = pmd.math.exp(-lam_v * data)
        contrib = pmd.Deterministic("channel_contribution", beta_v * (1 - e) / (1 + e))
        pmd.Deterministic("total_contribution", contrib.sum())
    # a posterior of one draw at the curve parameters: the mean response is the curve itself
    post = xr.Dataset({"lam": (("chain", "draw", "channel"), lam[None, None, :]),
                       "beta": (("chain", "draw", "channel"), beta[None, None, :])},
                      coords={"chain": [0], "draw": [0], "channel": names})
    idata = az.InferenceData(posterior=post)
    wrapper = CustomModelWrapper(base_model=model, idata=idata, channels=names)
    opt = BudgetOptimizer(model=wrapper, num_periods=1)
    bounds = {n: (float(a), float(b)) for n, a, b in zip(names, lo, hi)}
    alloc, res = opt.allocate_budget(total_budget=budget, budget_bounds=bounds,
                                     minimize_kwargs={"options": {"ftol": 1e-15, "maxiter": 1000}})
    x = np.asarray(alloc.values, dtype=float)
    chs = [channel(n, {"kind": "logistic", "lam": float(l), "beta": float(b)}, lower=float(a), upper=float(u))
           for n, l, b, a, u in zip(names, lam, beta, lo, hi)]
    curves = [c["curve"] for c in chs]
    exact, mlam = mp_fill(curves, intervals(chs, None), budget)
    dx = max(abs(float(a) - float(b)) for a, b in zip(x, exact)) / max(float(e) for e in exact)
    tr_p = -float(res.fun)
    tr, _ = totals(curves, exact)
    dv = abs(tr_p - float(tr)) / float(tr)
    tol = {"abs": 1e-6, "rel": 1e-6}
    assert dx * max(float(e) for e in exact) <= 0.5 * tol["abs"] + 0.5 * tol["rel"] * max(float(e) for e in exact), dx
    write(root, "pymc_marketing_logistic_4ch", {
        "function": FN,
        "source": (f"pymc-marketing {pymc_marketing.__version__} BudgetOptimizer(num_periods=1) on a "
                   "CustomModelWrapper of a PyMC model whose channel_contribution is "
                   "beta*(1-exp(-lam x))/(1+exp(-lam x)) (LogisticSaturation's function) with a "
                   "posterior of one draw at these parameters (the mean response is the curve), "
                   "allocate_budget(800, budget_bounds=the bounds, minimize_kwargs ftol 1e-15): "
                   f"SLSQP, success={bool(res.success)} ({res.message}); spends as it returned them, "
                   f"total_response = -res.fun. Cross-checked against the 50-digit mpmath "
                   f"water-filling: spends within {dx:.1e} relative, total within {dv:.1e} {ENV}."),
        "input": {"channels": chs}, "params": params(budget),
        "expected": {"spend": [f(v) for v in x], "total_response": f(tr_p), "total_spend": f(float(x.sum()))},
        "tolerance": tol})
    print(f"pymc-marketing: success {res.success}, spends {dx:.1e}, total {dv:.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--no-pymc", action="store_true", help="skip the pymc-marketing vector")
    a = ap.parse_args()
    closed_vectors(a.root)
    scenario_vectors(a.root)
    error_vectors(a.root)
    s_vectors(a.root)
    scipy_vectors(a.root)
    if not a.no_pymc:
        pymc_vector(a.root)


if __name__ == "__main__":
    main()
