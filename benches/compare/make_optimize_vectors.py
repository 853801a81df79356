"""Write tests/vectors/optimize/*.json (response curves and adstock) deterministically.

    python3.11 -m venv /work/venv-pymc
    /work/venv-pymc/bin/pip install -r benches/compare/requirements-optimize.txt
    /work/venv-pymc/bin/python benches/compare/make_optimize_vectors.py [--root .]

Nothing here imports channelwise.  Expected numbers come from:
  * pymc-marketing 0.19.2 (pymc_marketing.mmm.transformers, evaluated by pytensor in float64):
    logistic_saturation, hill_function, michaelis_menten, tanh_saturation, root_saturation,
    geometric_adstock, delayed_adstock, weibull_adstock; derivatives by pytensor.grad;
  * closed forms where pymc-marketing has no function (log curve, Robyn's saturation_hill and
    adstock_geometric, written out below from Robyn's R source), evaluated in mpmath at 50 digits
    with derivatives by mpmath.diff (numerical differentiation, not a hand-written derivative);
  * scipy.optimize.brentq on the reference derivative for inverse_marginal.
Every number is also recomputed independently in mpmath at 50 digits (curves from their formula,
derivatives by mpmath.diff, roots by mpmath.findroot, adstock as an exact convolution) and the
script stops if any stored number is further than a tenth of its tolerance from that.

Every random input is drawn from numpy's PCG64 with a fixed seed, so re-running reproduces the
files byte for byte (given the pinned versions).

Schema (shared by every stack's runner):
  optimize.saturation: input {"x": [spend >= 0], "m": [marginal values] (optional),
                              "x_fit": [spend series] (robyn_hill only)},
                       params {"kind", <curve parameters>},
                       expected {"value", "derivative", "inverse_marginal" (when m is given)}
  optimize.adstock:    input {"x": [spend], "pre": [spend before the window, oldest first]
                              (optional)}, params {"kind", <parameters>},
                       expected {"value", "weights"}
  errors:              expected {"error": "<kind>"}
  check |got - exp| <= abs + rel * |exp| for numbers; "NaN", "Infinity", "-Infinity" are the
  string spellings of non-finite numbers.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import warnings

warnings.filterwarnings("ignore")  # pytensor.xtensor: "experimental" banner on import

import pytensor  # noqa: E402

pytensor.config.floatX = "float64"

import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
import pymc_marketing  # noqa: E402
import pytensor.tensor as pt  # noqa: E402
import scipy  # noqa: E402
from pymc_marketing.mmm import transformers as T  # noqa: E402
from pytensor.graph import rewrite_graph  # noqa: E402
from pytensor.xtensor import as_xtensor  # noqa: E402
from scipy.optimize import brentq  # noqa: E402

import vectorio  # noqa: E402
from vectorio import arr, f  # noqa: E402

mp.mp.dps = 50

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PMM = f"pymc-marketing {pymc_marketing.__version__}"
PTV = f"pytensor {pytensor.__version__}"
SCIPY = f"scipy {scipy.__version__}"
MPM = f"mpmath {mp.__version__}"
NUMPY = f"numpy {np.__version__}"
PY = f"Python {platform.python_version()}"

# Curves and convolutions of O(1)..O(1e3) numbers: the references agree with the exact answer to a
# few ulps (checked below against mpmath); abs covers values that cancel to ~0.
TOL = {"abs": 1e-12, "rel": 1e-10}
ERR_TOL = {"abs": 0.0}

CHECK = (
    f"Cross-checked against {MPM} at 50 digits (formula; derivative by mpmath.diff; root by "
    "mpmath.findroot): every number within a tenth of the tolerance."
)


def write(root: str, name: str, vec: dict) -> None:
    vectorio.write(root, "optimize", name, vec)


def f64(v) -> np.ndarray:
    # pytensor's cast_policy 'custom' turns a Python float that float32 holds exactly (0.5, 2.0)
    # into a float32 constant, so kappa**slope would be computed in float32: pass 0-d float64.
    return np.asarray(v, dtype=np.float64)


def close(name: str, got, exact, tol=TOL, frac=0.1) -> None:
    got = np.asarray(got, dtype=float).ravel()
    exact = list(exact)
    assert len(got) == len(exact), (name, len(got), len(exact))
    for i, (g, e) in enumerate(zip(got, exact)):
        if isinstance(e, float) and math.isinf(e):
            assert g == e, (name, i, g, e)
            continue
        e = mp.mpf(e)
        bound = frac * (tol["abs"] + tol["rel"] * abs(e))
        assert abs(mp.mpf(float(g)) - e) <= bound, (name, i, g, mp.nstr(e, 20), bound)


# ---------------------------------------------------------------------------------------------
# saturation curves
# ---------------------------------------------------------------------------------------------

def mpx(v):
    return v if isinstance(v, mp.mpf) else mp.mpf(float(v))


def pymc_curve(kind: str, p: dict):
    """pymc-marketing function of an xtensor X (as the Saturation components call it)."""
    if kind == "logistic":
        return lambda X: T.logistic_saturation(X, f64(p["lam"])) * f64(p["beta"])
    if kind == "hill":
        return lambda X: T.hill_function(X, f64(p["slope"]), f64(p["kappa"])) * f64(p["beta"])
    if kind == "michaelis_menten":
        return lambda X: T.michaelis_menten(X, f64(p["alpha"]), f64(p["lam"]))
    if kind == "tanh":
        return lambda X: T.tanh_saturation(X, f64(p["b"]), f64(p["c"]))
    if kind == "power":
        return lambda X: T.root_saturation(X, f64(p["b"])) * f64(p["a"])
    return None


def robyn_inflexion(gamma: float, x_fit) -> float:
    # Robyn: inflexion <- c(range(x) %*% c(1 - gamma, gamma)), in double precision like R
    x_fit = np.asarray(x_fit, dtype=float)
    return float((1.0 - gamma) * x_fit.min() + gamma * x_fit.max())


def mp_curve(kind: str, p: dict, x_fit=None):
    """The same curve written in mpmath (the independent check, and the reference for log and
    robyn_hill)."""
    if kind == "logistic":
        lam, beta = mpx(p["lam"]), mpx(p["beta"])
        return lambda x: beta * (1 - mp.exp(-lam * x)) / (1 + mp.exp(-lam * x))
    if kind == "hill":
        s, k, beta = mpx(p["slope"]), mpx(p["kappa"]), mpx(p["beta"])
        return lambda x: beta * x**s / (k**s + x**s)
    if kind == "michaelis_menten":
        a, lam = mpx(p["alpha"]), mpx(p["lam"])
        return lambda x: a * x / (lam + x)
    if kind == "tanh":
        b, c = mpx(p["b"]), mpx(p["c"])
        return lambda x: b * mp.tanh(x / (b * c))
    if kind == "power":
        a, b = mpx(p["a"]), mpx(p["b"])
        return lambda x: a * x**b
    if kind == "log":
        beta, lam = mpx(p["beta"]), mpx(p["lam"])
        return lambda x: beta * mp.log(1 + lam * x)
    if kind == "robyn_hill":
        a = mpx(p["alpha"])
        inf = mpx(robyn_inflexion(p["gamma"], x_fit))
        return lambda x: x**a / (x**a + inf**a)
    raise ValueError(kind)


def mp_deriv(F, x, n=1):
    x = mpx(x)
    # one-sided at 0: the curves are defined for x >= 0 only (x**s is complex below 0)
    return mp.diff(F, x, n, direction=1 if x == 0 else 0)


def s_curve_inflection(kind: str, p: dict, x_fit=None) -> float:
    """Start of the concave branch: the inflection point of an S-shaped Hill, else 0."""
    if kind == "hill" and p["slope"] > 1:
        s, k = p["slope"], p["kappa"]
        return k * ((s - 1) / (s + 1)) ** (1 / s)
    if kind == "robyn_hill" and p["alpha"] > 1:
        a, k = p["alpha"], robyn_inflexion(p["gamma"], x_fit)
        return k * ((a - 1) / (a + 1)) ** (1 / a)
    return 0.0


def inverse_marginal(deriv, m: float, lo: float) -> float:
    """x >= lo with deriv(x) = m, deriv decreasing on [lo, inf): scipy brentq."""
    hi = max(1.0, 2 * lo)
    while deriv(hi) > m:
        hi *= 2
    if lo > 0:
        a = lo
        if deriv(a) <= m:  # cannot happen for m inside the derivative's range on the branch
            raise ValueError(f"m = {m} above the derivative's range on [{lo}, inf)")
    else:  # shrink towards 0 (the slope there may be +infinity, which brentq cannot take)
        a = hi
        while deriv(a) <= m:
            a /= 2
            if a < 1e-300:
                raise ValueError(f"m = {m} above the derivative's range on [0, inf)")
    return brentq(lambda x: deriv(x) - m, a, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps,
                  maxiter=500)


def saturation_case(root: str, name: str, kind: str, p: dict, x, m_fracs=(), x_fit=None,
                    m_at=()) -> None:
    """m_fracs: marginal values as fractions of the derivative's supremum on the concave branch
    (bounded derivatives); m_at: marginal values as the derivative at these spends, rounded to
    4 significant digits (derivatives unbounded at 0)."""
    x = np.asarray(x, dtype=float)
    F = mp_curve(kind, p, x_fit)
    lo = s_curve_inflection(kind, p, x_fit)
    build = pymc_curve(kind, p)

    def mp_d(xi):
        if xi == 0 and ((kind == "hill" and p["slope"] < 1) or (kind == "power" and p["b"] < 1)
                        or (kind == "robyn_hill" and p["alpha"] < 1)):
            return math.inf  # x**s with s < 1: the slope at 0 is +infinity
        return mp_deriv(F, xi)

    if build is not None:
        value = build(as_xtensor(x, dims=("spend",))).eval()
        xv = pt.dvector("x")
        # xtensor Ops have no gradient: lower them to tensor Ops first (as pymc-marketing's
        # BudgetOptimizer does), then differentiate the summed output (elementwise curve)
        y = rewrite_graph(build(as_xtensor(xv, dims=("spend",))).values,
                          include=("lower_xtensor",))
        gfun = pytensor.function([xv], pytensor.grad(y.sum(), xv))
        derivative = gfun(x)

        def deriv(xi: float) -> float:
            return float(gfun(np.array([xi]))[0])
    else:
        value = np.array([float(F(mpx(xi))) for xi in x])
        derivative = np.array([float(mp_d(xi)) for xi in x])

        def deriv(xi: float) -> float:
            return float(mp_deriv(F, xi))

    # pymc's hill_function is 1 - kappa^s/(kappa^s + x^s): for x << kappa it cancels and keeps
    # only ~beta*1e-16 absolute accuracy, so its values are held to half the tolerance
    close(f"{name} value", value, [F(mpx(xi)) for xi in x], frac=0.5 if kind == "hill" else 0.1)
    close(f"{name} derivative", derivative, [mp_d(xi) for xi in x])
    if kind == "log":  # the numpy closed form agrees too
        close(f"{name} numpy", p["beta"] * np.log1p(p["lam"] * x), value)
    if kind == "robyn_hill":
        inf = robyn_inflexion(p["gamma"], x_fit)
        close(f"{name} numpy", x ** p["alpha"] / (x ** p["alpha"] + inf ** p["alpha"]), value)
    expected = {"value": arr(value), "derivative": arr(derivative)}
    inp = {"x": arr(x)}
    if x_fit is not None:
        inp["x_fit"] = arr(x_fit)

    ms = []
    if m_fracs:
        sup = float(mp_deriv(F, lo)) if lo > 0 else float(mp_deriv(F, 0))
        ms += [float(f"{r * sup:.6g}") for r in m_fracs]
    ms += [float(f"{float(mp_deriv(F, t)):.4g}") for t in m_at]
    if ms:
        roots = [inverse_marginal(deriv, mi, lo) for mi in ms]
        # exact roots (50 digits) and the conditioning of the inverse: |d ln x / d ln m|
        exact = []
        for mi, r in zip(ms, roots):
            xr = mp.findroot(lambda t: mp_deriv(F, t) - mpx(mi), mpx(r), tol=mp.mpf(10) ** -60)
            assert xr >= lo, (name, mi, xr, lo)
            cond = abs(mpx(mi) / (xr * mp_deriv(F, xr, 2)))
            assert cond < 1e3, (name, mi, float(cond))  # keep inverses well-conditioned
            exact.append(xr)
        close(f"{name} inverse_marginal", roots, exact)
        inp["m"] = arr(ms)
        expected["inverse_marginal"] = arr(roots)

    src = SAT_SOURCE[kind]
    if ms:
        k, s = ("kappa", "slope") if kind == "hill" else ("inflexion", "alpha")
        branch = (f" on the concave branch x >= {k}*(({s}-1)/({s}+1))^(1/{s}) (the "
                  "inflection point)" if lo > 0 else "")
        src += (f" inverse_marginal: {SCIPY} scipy.optimize.brentq(derivative(x) - m)"
                f"{branch}, bracket grown by doubling.")
    check = CHECK if kind != "hill" else CHECK.replace(
        "every number within a tenth", "values within half, the rest within a tenth")
    src += " " + check + f" ({NUMPY}, {PY})"
    write(root, f"saturation_{name}", {
        "function": "optimize.saturation", "source": src,
        "input": inp, "params": {"kind": kind, **p}, "expected": expected, "tolerance": TOL})


def _pm(fn: str, formula: str) -> str:
    return (f"{PMM} ({PTV}, float64): value = (pymc_marketing.mmm.transformers.{fn}).eval() "
            f"[{formula}]; derivative = pytensor.grad of the summed output w.r.t. x after "
            "rewrite_graph(y.values, include=('lower_xtensor',)).")


ROBYN_HILL_R = (
    "saturation_hill <- function(x, alpha, gamma, x_marginal = NULL) { "
    "inflexion <- c(range(x) %*% c(1 - gamma, gamma)); "
    "if (is.null(x_marginal)) x_scurve <- x**alpha / (x**alpha + inflexion**alpha) "
    "else x_scurve <- x_marginal**alpha / (x_marginal**alpha + inflexion**alpha); "
    "return(x_scurve) }"
)

SAT_SOURCE = {
    "logistic": _pm("logistic_saturation(x, lam) * beta",
                    "beta*(1-exp(-lam x))/(1+exp(-lam x)), as LogisticSaturation.function"),
    "hill": _pm("hill_function(x, slope, kappa) * beta",
                "beta*(1 - kappa^slope/(kappa^slope + x^slope)) = beta*x^slope/(kappa^slope + "
                "x^slope), as HillSaturation.function (lookup_name 'hill'); pymc's 1 - ... "
                "form cancels for x << kappa (about beta*1e-16 absolute error, up to 1e-9 "
                "relative on the smallest values here), within half the abs tolerance"),
    "michaelis_menten": _pm("michaelis_menten(x, alpha, lam)", "alpha*x/(lam+x)"),
    "tanh": _pm("tanh_saturation(x, b, c)", "b*tanh(x/(b*c))"),
    "power": _pm("root_saturation(x, alpha=b) * a",
                 "a*x^b; RootSaturation.function(x, alpha, beta) = beta*root_saturation(x, alpha),"
                 " so pymc's alpha is our b and pymc's beta our a"),
    "log": (f"numpy/mpmath closed form (pymc-marketing has no log curve): value = "
            f"beta*ln(1+lam*x) evaluated in {MPM} at 50 digits and rounded to float64 (numpy "
            "beta*log1p(lam*x) agrees to the tolerance); derivative = mpmath.diff of that "
            "expression (numerical, one-sided at x = 0)."),
    "robyn_hill": (f"Robyn (R package, R/transformation.R): {ROBYN_HILL_R}. There is no R here: "
                   f"x_fit plays R's x (the range), input x plays x_marginal; inflexion = "
                   f"(1-gamma)*min(x_fit) + gamma*max(x_fit) in float64, value = x^alpha/(x^alpha"
                   f" + inflexion^alpha) evaluated in {MPM} at 50 digits; derivative = "
                   "mpmath.diff of that expression (one-sided at x = 0; +Infinity at x = 0 when "
                   "alpha < 1, the limit)."),
}


def saturation_vectors(root: str) -> None:
    rng = np.random.default_rng(20260611)

    def grid(scale: float, n: int = 12, big: float | None = None):
        g = np.concatenate([[0.0], np.sort(rng.uniform(0, 3 * scale, n - 2)).round(6),
                            [big if big is not None else 50 * scale]])
        return g

    # logistic: lam*x from 0 to ~60 (value ~beta, derivative underflowing smoothly)
    saturation_case(root, "logistic_lam0p7_beta2", "logistic", {"lam": 0.7, "beta": 2.0},
                    grid(2.0, big=1e6), m_fracs=(0.9, 0.5, 0.1, 1e-3))
    saturation_case(root, "logistic_lam1e-3_beta350", "logistic", {"lam": 1e-3, "beta": 350.0},
                    grid(2000.0), m_fracs=(0.99, 0.6, 0.2, 1e-4))
    saturation_case(root, "logistic_lam4_beta0p3", "logistic", {"lam": 4.0, "beta": 0.3},
                    grid(0.4, n=8), m_fracs=(0.5,))

    # hill: slope < 1 (concave, infinite slope at 0), = 1 (Michaelis-Menten), > 1 (S-curve)
    saturation_case(root, "hill_slope0p5", "hill", {"slope": 0.5, "kappa": 2.0, "beta": 1.5},
                    grid(2.0, big=1e6), m_at=(0.01, 0.7, 3.0, 40.0))
    saturation_case(root, "hill_slope1", "hill", {"slope": 1.0, "kappa": 150.0, "beta": 80.0},
                    grid(150.0), m_fracs=(0.9, 0.4, 0.05, 1e-3))
    saturation_case(root, "hill_slope2p5", "hill", {"slope": 2.5, "kappa": 3.0, "beta": 4.0},
                    grid(3.0, big=1e5), m_fracs=(0.6, 0.3, 0.05, 1e-4))
    saturation_case(root, "hill_slope4_kappa1e4", "hill",
                    {"slope": 4.0, "kappa": 1e4, "beta": 2500.0}, grid(1e4, n=14),
                    m_fracs=(0.5, 0.1, 1e-3))

    saturation_case(root, "michaelis_menten_a10_l50", "michaelis_menten",
                    {"alpha": 10.0, "lam": 50.0}, grid(50.0, big=1e7),
                    m_fracs=(0.95, 0.5, 0.1, 1e-4))
    saturation_case(root, "michaelis_menten_a0p8_l0p05", "michaelis_menten",
                    {"alpha": 0.8, "lam": 0.05}, grid(0.05, n=9), m_fracs=(0.3,))

    saturation_case(root, "tanh_b0p75_c0p25", "tanh", {"b": 0.75, "c": 0.25}, grid(0.5, big=1e3),
                    m_fracs=(0.9, 0.5, 0.1, 1e-3))
    saturation_case(root, "tanh_b500_c2", "tanh", {"b": 500.0, "c": 2.0}, grid(1000.0),
                    m_fracs=(0.8, 0.2, 0.01))

    saturation_case(root, "power_a3_b0p5", "power", {"a": 3.0, "b": 0.5}, grid(10.0, big=1e8),
                    m_at=(0.05, 2.0, 30.0, 1e4))
    saturation_case(root, "power_a0p02_b0p85", "power", {"a": 0.02, "b": 0.85},
                    grid(1000.0), m_at=(1.0, 500.0, 1e5))
    saturation_case(root, "power_a1p5_b1", "power", {"a": 1.5, "b": 1.0}, grid(10.0, n=6))

    saturation_case(root, "log_beta2_lam0p1", "log", {"beta": 2.0, "lam": 0.1},
                    grid(20.0, big=1e9), m_fracs=(0.9, 0.5, 0.01, 1e-6))
    saturation_case(root, "log_beta120_lam3e-4", "log", {"beta": 120.0, "lam": 3e-4},
                    grid(5000.0, n=9), m_fracs=(0.7, 0.05))

    # Robyn: x_fit is the channel's (adstocked) spend series, x the grid the curve is read at
    x_fit = rng.gamma(2.0, 400.0, 52).round(2)
    x_fit[[5, 17]] = 0.0
    saturation_case(root, "robyn_hill_a2p2_g0p4", "robyn_hill", {"alpha": 2.2, "gamma": 0.4},
                    grid(700.0, big=1e6), x_fit=x_fit, m_fracs=(0.6, 0.2, 1e-3))
    x_fit2 = (1e4 + rng.gamma(3.0, 2e3, 30)).round(2)
    saturation_case(root, "robyn_hill_a0p7_g0p9", "robyn_hill", {"alpha": 0.7, "gamma": 0.9},
                    grid(1e4, n=10), x_fit=x_fit2, m_at=(10.0, 5e3, 5e4))
    saturation_case(root, "robyn_hill_a1_g0p3", "robyn_hill", {"alpha": 1.0, "gamma": 0.3},
                    grid(500.0, n=8), x_fit=x_fit, m_fracs=(0.5, 0.01))


# ---------------------------------------------------------------------------------------------
# adstock
# ---------------------------------------------------------------------------------------------

def pymc_adstock(kind: str, p: dict):
    """pymc-marketing adstock (mode After) of a 1-d float64 array."""
    def run(x: np.ndarray) -> np.ndarray:
        X = as_xtensor(np.asarray(x, dtype=float), dims=("date",))
        if kind == "geometric":
            y = T.geometric_adstock(X, alpha=f64(p["alpha"]), l_max=p["l_max"], dim="date",
                                    normalize=p["normalize"], mode=T.ConvMode.After)
        elif kind == "delayed":
            y = T.delayed_adstock(X, alpha=f64(p["alpha"]), theta=f64(p["theta"]),
                                  l_max=p["l_max"], normalize=p["normalize"], dim="date",
                                  mode=T.ConvMode.After)
        elif kind == "weibull_pdf":
            y = T.weibull_adstock(X, lam=f64(p["lam"]), k=f64(p["k"]), l_max=p["l_max"],
                                  dim="date", mode=T.ConvMode.After, type=T.WeibullType.PDF,
                                  normalize=p["normalize"])
        elif kind == "weibull_cdf":
            # pymc's CDF kernel has l_max + 1 taps ([1, S(1), S(1)S(2), ...]): ask it for
            # l_max - 1 to get the l_max taps w_0..w_{l_max-1}
            y = T.weibull_adstock(X, lam=f64(p["lam"]), k=f64(p["k"]), l_max=p["l_max"] - 1,
                                  dim="date", mode=T.ConvMode.After, type=T.WeibullType.CDF,
                                  normalize=p["normalize"])
        else:
            raise ValueError(kind)
        out = y.eval()
        assert out.dtype == np.float64
        return out
    return run


def robyn_geometric(x: np.ndarray, theta: float) -> np.ndarray:
    # Robyn adstock_geometric: x_decayed <- c(x[1], rep(0, length(x) - 1));
    # for (xi in 2:length(x_decayed)) x_decayed[xi] <- x[xi] + theta * x_decayed[xi - 1]
    out = np.empty(len(x))
    out[0] = x[0]
    for i in range(1, len(x)):
        out[i] = x[i] + theta * out[i - 1]
    return out


def mp_weights(kind: str, p: dict) -> list:
    L = p["l_max"]
    if kind == "geometric":
        a = mpx(p["alpha"])
        w = [a**i if i else mp.mpf(1) for i in range(L)]
    elif kind == "delayed":
        a, th = mpx(p["alpha"]), mpx(p["theta"])
        w = [a ** ((i - th) ** 2) if (i - th) != 0 else mp.mpf(1) for i in range(L)]
    elif kind == "weibull_pdf":
        lam, k = mpx(p["lam"]), mpx(p["k"])
        d = [k / lam * (t / lam) ** (k - 1) * mp.exp(-((t / lam) ** k))
             for t in (mp.mpf(i + 1) for i in range(L))]
        lo, hi = min(d), max(d)
        w = [(v - lo) / (hi - lo) for v in d]
    elif kind == "weibull_cdf":
        lam, k = mpx(p["lam"]), mpx(p["k"])
        w, acc = [], mp.mpf(1)
        for i in range(L):
            w.append(acc)
            acc *= mp.exp(-((mp.mpf(i + 1) / lam) ** k))  # survival S(i+1)
    else:
        raise ValueError(kind)
    if p.get("normalize"):
        s = mp.fsum(w)
        w = [v / s for v in w]
    return w


def mp_convolve(x, w) -> list:
    x = [mpx(v) for v in x]
    return [mp.fsum(w[j] * x[t - j] for j in range(len(w)) if t - j >= 0) for t in range(len(x))]


ADSTOCK_SOURCE = {
    "geometric": ("geometric_adstock(x, alpha, l_max, dim, normalize, mode=ConvMode.After)",
                  "w_l = alpha^l, l = 0..l_max-1, divided by their sum when normalize"),
    "delayed": ("delayed_adstock(x, alpha, theta, l_max=l_max, normalize, dim, "
                "mode=ConvMode.After)",
                "w_l = alpha^((l - theta)^2), l = 0..l_max-1, divided by their sum when normalize"),
    "weibull_pdf": ("weibull_adstock(x, lam, k, l_max=l_max, dim, mode=ConvMode.After, "
                    "type=WeibullType.PDF, normalize)",
                    "d_l = Weibull pdf (shape k, scale lam) at t = l+1, l = 0..l_max-1, then "
                    "MIN-MAX normalised w_l = (d_l - min d)/(max d - min d) (so the smallest "
                    "weight is exactly 0 and the largest 1), then divided by their sum when "
                    "normalize"),
    "weibull_cdf": ("weibull_adstock(x, lam, k, l_max=l_max - 1, dim, mode=ConvMode.After, "
                    "type=WeibullType.CDF, normalize)",
                    "w_0 = 1, w_l = prod_{i=1..l} (1 - F(i)), F the Weibull cdf (shape k, scale "
                    "lam); pymc 0.19.2 builds this kernel with l_max + 1 taps (it prepends 1 to "
                    "1 - F(1..l_max) before the cumulative product), so it is called with "
                    "l_max - 1 to give the l_max taps w_0..w_{l_max-1}; divided by their sum when "
                    "normalize"),
}


def adstock_case(root: str, name: str, kind: str, p: dict, x, pre=None, robyn=False) -> None:
    x = np.asarray(x, dtype=float)
    pre = None if pre is None else np.asarray(pre, dtype=float)
    full = x if pre is None else np.concatenate([pre, x])
    npre = 0 if pre is None else len(pre)
    L = p["l_max"]
    impulse = np.zeros(L + 2)
    impulse[0] = 1.0
    if robyn:
        assert kind == "geometric" and not p["normalize"] and L == len(full)
        value = robyn_geometric(full, p["alpha"])[npre:]
        kernel = robyn_geometric(impulse, p["alpha"])
        weights = kernel[:L]
        # the same numbers from pymc-marketing's geometric_adstock with l_max = the whole series
        close(f"{name} robyn vs pymc", value, pymc_adstock(kind, p)(full)[npre:])
    else:
        run = pymc_adstock(kind, p)
        value = run(full)[npre:]
        kernel = run(impulse)
        weights = kernel[:L]
        assert np.all(kernel[L:] == 0.0), (name, kernel)  # exactly l_max taps
    w_exact = mp_weights(kind, p)
    close(f"{name} weights", weights, w_exact)
    close(f"{name} value", value, mp_convolve(full, w_exact)[npre:])

    if robyn:
        src = (f"Robyn (R/transformation.R) adstock_geometric(x, theta): x_decayed <- c(x[1], "
               "rep(0, length(x) - 1)); for (xi in 2:length(x_decayed)) x_decayed[xi] <- x[xi] "
               "+ theta * x_decayed[xi - 1]. No R here: that recursion run in numpy on "
               "concat(pre, x) (theta = params.alpha; unnormalised, untruncated, i.e. our "
               "geometric with normalize false and l_max = len(pre) + len(x)); weights = its "
               f"response to a unit impulse, theta^l. Equals {PMM} geometric_adstock with that "
               "l_max and normalize=False to the tolerance.")
    else:
        fn, w = ADSTOCK_SOURCE[kind]
        src = (f"{PMM} ({PTV}, float64): value = pymc_marketing.mmm.transformers.{fn}.eval() "
               f"[{w}; causal convolution y_t = sum_l w_l x_(t-l), l_max - 1 zeros padded before "
               "the series]; weights = the same call on a unit impulse of length l_max + 2 (the "
               "last two outputs checked to be 0).")
    if pre is not None:
        src += (" With pre: the reference was run on concat(pre, x) and its first len(pre) "
                "outputs dropped, so the carry-over of spend before the window is taken, not "
                "dropped.")
    src += (f" Cross-checked against an exact convolution in {MPM} at 50 digits: every number "
            f"within a tenth of the tolerance. ({NUMPY}, {PY})")
    inp = {"x": arr(x)}
    if pre is not None:
        inp["pre"] = arr(pre)
    write(root, f"adstock_{name}", {
        "function": "optimize.adstock", "source": src, "input": inp,
        "params": {"kind": kind, **p},
        "expected": {"value": arr(value), "weights": arr(weights)}, "tolerance": TOL})


def adstock_vectors(root: str) -> None:
    rng = np.random.default_rng(20260612)

    def spend(n: int, scale: float = 100.0, zeros: int = 2):
        s = rng.gamma(2.0, scale / 2.0, n).round(2)
        s[rng.choice(n, size=zeros, replace=False)] = 0.0
        return s

    g = "geometric"
    adstock_case(root, "geometric_a0p5_l4_norm", g,
                 {"alpha": 0.5, "l_max": 4, "normalize": True}, spend(20))
    adstock_case(root, "geometric_a0p7_l8_pre", g,
                 {"alpha": 0.7, "l_max": 8, "normalize": False}, spend(24), pre=spend(6, zeros=0))
    adstock_case(root, "geometric_a0p85_l12_norm_pre", g,
                 {"alpha": 0.85, "l_max": 12, "normalize": True}, spend(30, 5e4),
                 pre=spend(12, 5e4, zeros=1))
    adstock_case(root, "geometric_l1", g, {"alpha": 0.6, "l_max": 1, "normalize": False},
                 spend(10))
    adstock_case(root, "geometric_l1_norm_pre", g, {"alpha": 0.6, "l_max": 1, "normalize": True},
                 spend(10), pre=spend(3, zeros=0))
    adstock_case(root, "geometric_lmax_longer_than_x", g,
                 {"alpha": 0.9, "l_max": 25, "normalize": True}, spend(8))
    adstock_case(root, "geometric_lmax_longer_than_pre_and_x", g,
                 {"alpha": 0.6, "l_max": 20, "normalize": False}, spend(7), pre=spend(4, zeros=1))
    adstock_case(root, "geometric_a0", g, {"alpha": 0.0, "l_max": 5, "normalize": True},
                 spend(10))
    adstock_case(root, "geometric_a1_norm", g, {"alpha": 1.0, "l_max": 4, "normalize": True},
                 spend(12), pre=spend(5, zeros=0))

    d = "delayed"
    adstock_case(root, "delayed_a0p6_t2_l8", d,
                 {"alpha": 0.6, "theta": 2.0, "l_max": 8, "normalize": False}, spend(20))
    adstock_case(root, "delayed_a0p8_t1p5_l10_norm_pre", d,
                 {"alpha": 0.8, "theta": 1.5, "l_max": 10, "normalize": True}, spend(26),
                 pre=spend(10, zeros=2))
    adstock_case(root, "delayed_a0p3_t0_l6_norm", d,
                 {"alpha": 0.3, "theta": 0.0, "l_max": 6, "normalize": True}, spend(15))
    adstock_case(root, "delayed_a0_t2_pure_delay", d,
                 {"alpha": 0.0, "theta": 2.0, "l_max": 4, "normalize": False}, spend(9),
                 pre=spend(3, zeros=0))
    adstock_case(root, "delayed_l1", d,
                 {"alpha": 0.5, "theta": 0.0, "l_max": 1, "normalize": True}, spend(6))
    adstock_case(root, "delayed_lmax_longer_than_x", d,
                 {"alpha": 0.9, "theta": 3.0, "l_max": 16, "normalize": False}, spend(6))

    wp = "weibull_pdf"
    adstock_case(root, "weibull_pdf_lam3_k1p5_l10", wp,
                 {"lam": 3.0, "k": 1.5, "l_max": 10, "normalize": False}, spend(25))
    adstock_case(root, "weibull_pdf_lam2_k0p8_l8_pre", wp,
                 {"lam": 2.0, "k": 0.8, "l_max": 8, "normalize": False}, spend(20),
                 pre=spend(8, zeros=1))
    adstock_case(root, "weibull_pdf_lam10_k4_l12_norm", wp,
                 {"lam": 10.0, "k": 4.0, "l_max": 12, "normalize": True}, spend(30, 2e3))
    adstock_case(root, "weibull_pdf_l2", wp,
                 {"lam": 1.5, "k": 2.0, "l_max": 2, "normalize": False}, spend(8))
    adstock_case(root, "weibull_pdf_lmax_longer_than_x", wp,
                 {"lam": 4.0, "k": 1.2, "l_max": 15, "normalize": False}, spend(7))

    wc = "weibull_cdf"
    adstock_case(root, "weibull_cdf_lam3_k1p5_l10", wc,
                 {"lam": 3.0, "k": 1.5, "l_max": 10, "normalize": False}, spend(25))
    adstock_case(root, "weibull_cdf_lam6_k0p7_l12_norm_pre", wc,
                 {"lam": 6.0, "k": 0.7, "l_max": 12, "normalize": True}, spend(30),
                 pre=spend(12, zeros=2))
    adstock_case(root, "weibull_cdf_lam2_k5_l6", wc,
                 {"lam": 2.0, "k": 5.0, "l_max": 6, "normalize": False}, spend(14))
    adstock_case(root, "weibull_cdf_l1", wc,
                 {"lam": 2.0, "k": 1.0, "l_max": 1, "normalize": False}, spend(6))
    adstock_case(root, "weibull_cdf_lmax_longer_than_x", wc,
                 {"lam": 8.0, "k": 1.0, "l_max": 20, "normalize": True}, spend(9),
                 pre=spend(4, zeros=0))

    x, pre = spend(15), spend(5, zeros=0)
    adstock_case(root, "robyn_geometric_theta0p3_pre", g,
                 {"alpha": 0.3, "l_max": len(pre) + len(x), "normalize": False}, x, pre=pre,
                 robyn=True)
    x = spend(40, 1e4)
    adstock_case(root, "robyn_geometric_theta0p8", g,
                 {"alpha": 0.8, "l_max": len(x), "normalize": False}, x, robyn=True)


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------

def error_vectors(root: str) -> None:
    grid = [0.0, 1.0, 2.5, 10.0]
    spend = [10.0, 0.0, 25.0, 5.0, 40.0]
    cases = [
        ("saturation_logistic_lam_zero", "optimize.saturation", {"x": grid},
         {"kind": "logistic", "lam": 0.0, "beta": 1.0}, "out_of_range"),
        ("saturation_logistic_beta_negative", "optimize.saturation", {"x": grid},
         {"kind": "logistic", "lam": 0.5, "beta": -1.0}, "out_of_range"),
        ("saturation_hill_kappa_nan", "optimize.saturation", {"x": grid},
         {"kind": "hill", "slope": 1.5, "kappa": "NaN", "beta": 1.0}, "non_finite"),
        ("saturation_negative_spend", "optimize.saturation", {"x": [0.0, 1.0, -0.5, 2.0]},
         {"kind": "michaelis_menten", "alpha": 10.0, "lam": 5.0}, "out_of_range"),
        ("saturation_nan_spend", "optimize.saturation", {"x": [0.0, "NaN", 2.0]},
         {"kind": "tanh", "b": 1.0, "c": 0.5}, "non_finite"),
        ("saturation_unknown_kind", "optimize.saturation", {"x": grid},
         {"kind": "gompertz", "beta": 1.0, "lam": 0.5}, "invalid_parameter"),
        ("saturation_power_b_above_one", "optimize.saturation", {"x": grid},
         {"kind": "power", "a": 2.0, "b": 1.5}, "out_of_range"),
        ("saturation_power_b_zero", "optimize.saturation", {"x": grid},
         {"kind": "power", "a": 2.0, "b": 0.0}, "out_of_range"),
        ("adstock_geometric_alpha_above_one", "optimize.adstock", {"x": spend},
         {"kind": "geometric", "alpha": 1.2, "l_max": 4, "normalize": False}, "out_of_range"),
        ("adstock_delayed_alpha_negative", "optimize.adstock", {"x": spend},
         {"kind": "delayed", "alpha": -0.1, "theta": 1.0, "l_max": 4, "normalize": True},
         "out_of_range"),
        ("adstock_l_max_zero", "optimize.adstock", {"x": spend},
         {"kind": "geometric", "alpha": 0.5, "l_max": 0, "normalize": True}, "out_of_range"),
        ("adstock_unknown_kind", "optimize.adstock", {"x": spend},
         {"kind": "exponential", "alpha": 0.5, "l_max": 4}, "invalid_parameter"),
    ]
    for name, fn, inp, params, kind in cases:
        write(root, f"error_{name}", {
            "function": fn, "source": "channelwise contract", "input": inp, "params": params,
            "expected": {"error": kind}, "tolerance": ERR_TOL})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=ROOT)
    a = ap.parse_args()
    assert pymc_marketing.__version__ == "0.19.2", pymc_marketing.__version__
    saturation_vectors(a.root)
    adstock_vectors(a.root)
    error_vectors(a.root)


if __name__ == "__main__":
    main()
