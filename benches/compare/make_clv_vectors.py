"""Write tests/vectors/clv/*.json (BG/NBD, MBG/NBD, BG/BB, Pareto/NBD, Gamma-Gamma, sBG, RFM, 2F1) deterministically.

    python3 -m venv /work/venv-clv && /work/venv-clv/bin/pip install -r benches/compare/requirements-clv.txt
    /work/venv-clv/bin/python benches/compare/make_clv_vectors.py [--root .]

Nothing here imports channelwise.  Sources of the expected numbers:
  * lifetimes 0.11.3 (ships CDNOW: load_cdnow_summary, load_cdnow_summary_data_with_monetary_value,
    load_transaction_data).  Its fits stop early (scipy BFGS on the mean log-likelihood, tol
    1e-7), so the *exact* MLE is computed here independently from lifetimes' own objective
    functions: BG/NBD, MBG/NBD and Gamma-Gamma by Newton's method with autograd's exact gradient and
    Hessian of lifetimes' `_negative_log_likelihood` (lifetimes' own autograd dependency);
    Pareto/NBD (lifetimes' objective calls scipy's hyp2f1, which autograd cannot differentiate)
    by Newton on central differences of that objective in float64 to a mean gradient of 1e-10,
    then polished in mpmath at 40 digits (`mp_polish_pareto`; sBG likewise, `mp_sbg`).  The
    distance of lifetimes' own fit from that optimum is written into `source`.  Standard errors:
    lifetimes' formula (BG/NBD, Gamma-Gamma), the 40-digit observed information (Pareto/NBD and
    sBG, which lifetimes does not give).
  * penalizer_coef (penalized_cases): the same, on lifetimes' penalised objectives.
  * predictions (P(alive), conditional and unconditional expected purchases, P(n purchases),
    expected spend, CLV) are lifetimes 0.11.3's functions evaluated at the exact-MLE parameters.
  * customers with 300+ purchases and the hypergeometric function: mpmath (50 digits).
  * customers who hardly differ: a seeded set (numpy default_rng(0)) with no maximum-likelihood
    point (not_converged; what lifetimes does with it is in `source`), and Pareto/NBD predictions
    at parameters where the 2F1 series needs 10^4 to 10^7 terms: mpmath (50 digits).
  * the published CDNOW estimates: Fader, Hardie & Lee (2005) "Counting your customers the easy
    way", Marketing Science 24(2) (BG/NBD); Fader, Hardie & Lee (2005b) "RFM and CLV", JMR 42(4)
    (Pareto/NBD, Gamma-Gamma); Fader & Hardie (2007) "How to project customer retention",
    J. Interactive Marketing 21(1) (sBG, "regular" and "highend" survivors, years 0-7), each at
    the digits the paper prints.

Schema (shared by every stack's runner):
  clv.bg_nbd.fit / clv.mbg_nbd.fit / clv.pareto_nbd.fit: input {frequency, recency, T, weights?}
      expected {r, alpha, a, b | r, alpha, s, beta, log_likelihood, std_errors? (in that order)},
      params {penalizer_coef?}
  clv.bg_bb.fit: input {frequency, recency, n_periods, weights?}, expected {alpha, beta, gamma, delta,
      log_likelihood, std_errors?}, params {penalizer_coef?}
  clv.bg_bb.predict: params {alpha, beta, gamma, delta, m_periods, n_periods}, input {frequency, recency,
      n_periods}, expected {p_alive (at n_periods + m_periods), expected_purchases (next m_periods),
      expected_purchases_unconditional (first n_periods), probability_of_purchases (x = 0..n_periods)}
  clv.gamma_gamma.fit: input {frequency, monetary_value}, expected {p, q, v, log_likelihood, std_errors?},
      params {penalizer_coef?}
  clv.sbg.fit: input {survivors}, expected {alpha, beta, log_likelihood, std_errors?}, params {penalizer_coef?}
  clv.bg_nbd.predict / clv.mbg_nbd.predict / clv.pareto_nbd.predict: params {r, alpha, a|s, b|beta, horizon, t, n_max?},
      input {frequency, recency, T}, expected {p_alive, expected_purchases,
      expected_purchases_unconditional, probability_of_purchases? (n = 0..n_max at t),
      log_likelihood?}
  clv.gamma_gamma.predict: params {p, q, v, bg: {r, alpha, a, b}, months, discount_rate, freq},
      input {frequency, recency, T, monetary_value}, expected {expected_spend, clv}
  clv.sbg.predict: params {alpha, beta, periods}, expected {survival, retention}
  clv.rfm.summary: input {customer_id, datetime (seconds since epoch), monetary_value?},
      params {freq, freq_multiplier, observation_end?}, expected {customer_id, frequency, recency,
      T, monetary_value}
  clv.rfm.calibration_and_holdout: as summary plus params.calibration_end; expected
      {customer_id, frequency_cal, recency_cal, T_cal, monetary_value_cal, frequency_holdout,
      monetary_value_holdout, duration_holdout}
  clv.hyp2f1: input {a, b, c, z} (arrays), expected {ln_value}
  errors: expected {"error": "<kind>"}
  check |got - exp| <= abs + rel * |exp|; strings exactly.
"""

from __future__ import annotations

import argparse
import os
import platform
import warnings

import autograd.numpy as anp
import lifetimes
import mpmath as mp
import numpy as np
import pandas as pd
import scipy
from scipy.special import hyp2f1 as sc_hyp2f1
from autograd import grad, hessian
from lifetimes import BetaGeoBetaBinomFitter, BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.datasets import load_donations, load_cdnow_summary, load_cdnow_summary_data_with_monetary_value, load_transaction_data
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data

from vectorio import arr, f, write  # noqa: E402

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
LT = f"lifetimes {lifetimes.__version__}"
ENV = f"{LT}, scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}, mpmath {mp.__version__}, Python {platform.python_version()}"
mp.mp.dps = 50


def cdnow():
    d = load_cdnow_summary(index_col=[0])
    return d["frequency"].to_numpy(float), d["recency"].to_numpy(float), d["T"].to_numpy(float)


def newton(nll, x0, g=None, h=None, tol=1e-11, what=""):
    """Newton on a convex-near-optimum objective in log-parameters; g, h analytic or differenced."""
    x = np.array(x0, dtype=float)
    for _ in range(100):
        gx, hx = g(x), h(x)
        if np.max(np.abs(gx)) < tol:
            break
        step = np.linalg.solve(hx, gx)
        t = 1.0
        while nll(x - t * step) > nll(x) + 1e-15 and t > 1e-8:
            t /= 2
        x = x - t * step
    gn = float(np.max(np.abs(g(x))))
    assert gn < max(1e-9, 10 * tol), f"{what}: Newton stopped at gradient {gn}"
    return x, gn


def fd_grad(fun, x, h=1e-5):
    out = np.zeros_like(x)
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (fun(x + e) - fun(x - e)) / (2 * h)
    return out


def fd_hess(fun, x, h=1e-4):
    n = len(x)
    H = np.zeros((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = h
        H[:, i] = (fd_grad(fun, x + e) - fd_grad(fun, x - e)) / (2 * h)
    return 0.5 * (H + H.T)


def std_errors(theta, hess_of_mean, total_weight):
    """lifetimes' standard errors (BaseFitter._compute_variance_matrix): theta^2 inv(H) / sum(w),
    H the Hessian of the mean objective in log-parameters (the same in any time unit)."""
    return theta * np.sqrt(np.diag(np.linalg.inv(hess_of_mean)) / total_weight)


def heavy_buyers(p, horizon, shift):
    """P(alive) and conditional expected purchases of four customers with 120-800 repeat purchases
    in mpmath at 50 digits: Fader, Hardie & Lee (2005) eq. 10-11 (shift 0), and lifetimes'
    ModifiedBetaGeoFitter formulas (shift 1: the Beta part's x read as x + 1)."""
    r, al, a, b = (mp.mpf(float(v)) for v in p)
    hx = np.array([300.0, 450.0, 800.0, 120.0])
    htx = np.array([37.5, 38.0, 30.0, 10.0])
    hT = np.array([38.86, 38.86, 38.0, 38.5])
    pa, ep = [], []
    for xi, ti, Ti in zip(hx, htx, hT):
        xi, ti, Ti = mp.mpf(xi), mp.mpf(ti), mp.mpf(Ti)
        xb = xi + shift
        alive = 1 / (1 + a / (b + xb - 1) * ((al + Ti) / (al + ti)) ** (r + xi))
        z = horizon / (al + Ti + horizon)
        hyp = mp.hyp2f1(r + xi, b + xb, a + b + xb - 1, z)
        pa.append(float(alive))
        ep.append(float((a + b + xb - 1) / (a - 1) * (1 - hyp * ((al + Ti) / (al + Ti + horizon)) ** (r + xi)) * alive))
    return hx, htx, hT, pa, ep


def bg_cases(out):
    x, tx, T = cdnow()
    w = np.ones_like(x)
    lt = BetaGeoFitter().fit(x, tx, T)
    lt_p = lt.params_[["r", "alpha", "a", "b"]].to_numpy()
    nll = lambda lp: BetaGeoFitter._negative_log_likelihood(lp, x, tx, T, w, 0.0)
    lp, gn = newton(nll, np.log(lt_p), grad(nll), hessian(nll), what="BG/NBD")
    p = np.exp(lp)
    ll = -nll(lp) * len(x)
    lt_ll = -nll(np.log(lt_p)) * len(x)
    src = (f"CDNOW summary (2357 customers, weeks) from {LT}. Exact MLE: Newton with autograd's exact gradient and "
           f"Hessian of lifetimes' own BetaGeoFitter._negative_log_likelihood from lifetimes' fit, to a mean-LL gradient "
           f"of {gn:.1e}. lifetimes' own fit stops at r={lt_p[0]:.7f} alpha={lt_p[1]:.7f} a={lt_p[2]:.7f} b={lt_p[3]:.7f} "
           f"(largest relative distance {np.max(np.abs(lt_p / p - 1)):.1e}), LL {lt_ll:.9f} vs the exact {ll:.9f} ({ll - lt_ll:.1e} higher). "
           f"Fader, Hardie & Lee (2005) print r=0.243, alpha=4.414, a=0.793, b=2.426, LL=-9582.4. std_errors (r, alpha, a, b): "
           f"lifetimes' formula (params^2 inv(H) / sum w, H autograd's Hessian of its objective) at the exact MLE. {ENV}")
    out.append(("bg_nbd_fit_cdnow", {
        "function": "clv.bg_nbd.fit", "source": src,
        "input": {"frequency": arr(x), "recency": arr(tx), "T": arr(T)},
        "expected": {"r": f(p[0]), "alpha": f(p[1]), "a": f(p[2]), "b": f(p[3]), "log_likelihood": f(ll),
                     "std_errors": arr(std_errors(p, hessian(nll)(lp), len(x)))},
        "tolerance": {"abs": 0.0, "rel": 1e-6}}))
    out.append(("bg_nbd_fit_cdnow_paper", {
        "function": "clv.bg_nbd.fit",
        "source": "Fader, Hardie & Lee (2005), Counting your customers the easy way, Marketing Science 24(2), CDNOW "
                  "estimates as printed (r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4); tolerance is the "
                  "printed rounding. Data: CDNOW summary shipped by " + LT,
        "input": {"frequency": arr(x), "recency": arr(tx), "T": arr(T)},
        "expected": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "log_likelihood": -9582.4},
        "tolerance": {"abs": 0.05, "rel": 0.0}}))
    # weighted: collapse CDNOW into distinct rows, fit the weighted rows; same exact MLE
    df = pd.DataFrame({"x": x, "tx": tx, "T": T}).groupby(["x", "tx", "T"]).size().reset_index()
    out.append(("bg_nbd_fit_cdnow_weighted", {
        "function": "clv.bg_nbd.fit",
        "source": f"CDNOW summary collapsed into {len(df)} distinct (frequency, recency, T) rows with counts as weights; "
                  f"expected = the unweighted exact MLE of bg_nbd_fit_cdnow (same likelihood). {ENV}",
        "input": {"frequency": arr(df.x), "recency": arr(df.tx), "T": arr(df["T"]), "weights": arr(df[0])},
        "expected": {"r": f(p[0]), "alpha": f(p[1]), "a": f(p[2]), "b": f(p[3]), "log_likelihood": f(ll)},
        "tolerance": {"abs": 0.0, "rel": 1e-6}}))
    # predictions at the exact MLE: lifetimes' functions, and mpmath for heavy buyers
    family_predict_cases(out, "bg_nbd", BetaGeoFitter, p, "Fader, Hardie & Lee (2005) eq. 10-11")
    for name, inp, kind in [
        ("recency_above_T", {"frequency": [1.0, 2.0], "recency": [3.0, 9.0], "T": [5.0, 8.0]}, "out_of_range"),
        ("negative_frequency", {"frequency": [-1.0], "recency": [0.0], "T": [5.0]}, "out_of_range"),
        ("zero_frequency_positive_recency", {"frequency": [0.0], "recency": [2.0], "T": [5.0]}, "invalid_parameter"),
        ("nan_T", {"frequency": [1.0], "recency": [1.0], "T": ["NaN"]}, "non_finite"),
        ("length_mismatch", {"frequency": [1.0, 2.0], "recency": [1.0], "T": [5.0, 5.0]}, "length_mismatch"),
        ("empty", {"frequency": [], "recency": [], "T": []}, "not_enough_data"),
    ]:
        out.append((f"bg_nbd_error_{name}", {
            "function": "clv.bg_nbd.fit", "source": f"input rule (lifetimes {lifetimes.__version__} _check_inputs raises "
                                                    f"ValueError on the same input, except NaN and empty ones it passes on)",
            "input": inp, "expected": {"error": kind}, "tolerance": {"abs": 0.0}}))
    return p


def family_predict_cases(out, model, fitter, p, formulas):
    """Predictions of a BG/NBD-family model at its exact CDNOW MLE `p`: lifetimes' own functions
    (`fitter`'s) on 60 CDNOW customers, and `formulas` in mpmath for heavy buyers (where scipy's
    hyp2f1 overflows)."""
    x, tx, T = cdnow()
    m = fitter()
    m.params_ = pd.Series(dict(zip(["r", "alpha", "a", "b"], p)))
    idx = np.r_[0:40, np.flatnonzero(x >= 10)[:20]]
    xs, txs, Ts = x[idx], tx[idx], T[idx]
    horizon, t = 39.0, 39.0
    params = {"r": f(p[0]), "alpha": f(p[1]), "a": f(p[2]), "b": f(p[3]), "horizon": horizon, "t": t}
    out.append((f"{model}_predict_cdnow", {
        "function": f"clv.{model}.predict",
        "source": f"{LT} {fitter.__name__}.conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time, "
                  f"expected_number_of_purchases_up_to_time and probability_of_n_purchases_up_to_time evaluated at the "
                  f"exact CDNOW MLE of {model}_fit_cdnow, on 60 CDNOW customers. {ENV}",
        "params": {**params, "n_max": 10},
        "input": {"frequency": arr(xs), "recency": arr(txs), "T": arr(Ts)},
        "expected": {"p_alive": arr(m.conditional_probability_alive(xs, txs, Ts)),
                     "expected_purchases": arr(m.conditional_expected_number_of_purchases_up_to_time(horizon, xs, txs, Ts)),
                     "expected_purchases_unconditional": f(m.expected_number_of_purchases_up_to_time(t)),
                     "probability_of_purchases": arr([m.probability_of_n_purchases_up_to_time(t, n) for n in range(11)])},
        "tolerance": {"abs": 1e-12, "rel": 1e-9}}))
    hx, htx, hT, pa, ep = heavy_buyers(p, horizon, 1 if fitter is ModifiedBetaGeoFitter else 0)
    out.append((f"{model}_predict_heavy_buyers", {
        "function": f"clv.{model}.predict",
        "source": f"{formulas} evaluated in mpmath {mp.__version__} at 50 digits "
                  f"(mp.hyp2f1), at the exact CDNOW MLE, customers with 120-800 repeat purchases "
                  f"(scipy's hyp2f1 overflows to inf there).",
        "params": params,
        "input": {"frequency": arr(hx), "recency": arr(htx), "T": arr(hT)},
        "expected": {"p_alive": arr(pa), "expected_purchases": arr(ep),
                     "expected_purchases_unconditional": f(m.expected_number_of_purchases_up_to_time(t))},
        "tolerance": {"abs": 1e-12, "rel": 1e-10}}))


def mp_family(p, shift, x, tx, T, horizon, t, n_max):
    """A BG/NBD-family model (shift 0: Fader, Hardie & Lee 2005; shift 1: MBG/NBD, the Beta part's
    x read as x + 1) in mpmath at 50 digits: each history's log-likelihood (eq. 6), P(alive)
    (eq. 11), the conditional expectation (eq. 10, mp.hyp2f1), the unconditional one (eq. 9)
    and P(X(t) = n) (eq. 8, its incomplete sum at 50 digits)."""
    r, al, a, b = (mp.mpf(v) for v in p)
    lg = mp.loggamma
    lb = lambda u, v: lg(u) + lg(v) - lg(u + v)
    ll, pa, ep = [], [], []
    for xi, ti, Ti in zip(x, tx, T):
        xi, ti, Ti = mp.mpf(float(xi)), mp.mpf(float(ti)), mp.mpf(float(Ti))
        xb = xi + shift
        a1 = lg(r + xi) - lg(r) + r * mp.log(al) + lb(a, b + xb) - lb(a, b)
        a3 = -(r + xi) * mp.log(al + Ti)
        a4 = mp.log(a) - mp.log(b + xb - 1) - (r + xi) * mp.log(al + ti) if xb > 0 else mp.ninf
        ll.append(float(a1 + mp.log(mp.exp(a3) + (mp.exp(a4) if xb > 0 else 0))))
        alive = 1 / (1 + (a / (b + xb - 1) * ((al + Ti) / (al + ti)) ** (r + xi) if xb > 0 else 0))
        z = horizon / (al + Ti + horizon)
        hyp = mp.hyp2f1(r + xi, b + xb, a + b + xb - 1, z)
        pa.append(float(alive))
        ep.append(float((a + b + xb - 1) / (a - 1) * (1 - hyp * ((al + Ti) / (al + Ti + horizon)) ** (r + xi)) * alive))
    tz = mp.mpf(t)
    # a new customer: x = t_x = T = 0, alive with probability b / (a + b) under MBG/NBD (she may
    # drop out at time 0), 1 under BG/NBD
    alive0 = b / (a + b) if shift else 1
    unc = alive0 * (a + b + shift - 1) / (a - 1) * (1 - mp.hyp2f1(r, b + shift, a + b + shift - 1, tz / (al + tz)) * (al / (al + tz)) ** r)
    pp, q = al / (al + tz), tz / (al + tz)
    nb_term = lambda j: mp.exp(lg(r + j) - lg(r) - lg(j + 1)) * pp ** r * q ** j
    probs = []
    for n in range(n_max + 1):
        nb = n + shift
        v = mp.exp(lb(a, b + nb) - lb(a, b)) * nb_term(n)
        if nb > 0:
            at_least = 1 - mp.fsum(nb_term(j) for j in range(n))
            v += mp.exp(lb(a + 1, b + nb - 1) - lb(a, b)) * at_least
        probs.append(float(v))
    return ll, pa, ep, float(unc), probs


def large_params_cases(out):
    """BG/NBD and MBG/NBD where `ln G(r + x) - ln G(r)`, `r ln alpha - (r + x) ln(alpha + T)` and
    the Beta part's `ln G` differences cancel in double precision: r and alpha near the Poisson
    limit (4e7, 8e8: a purchase rate of 0.05 a week shared by all), a and b near a single dropout
    probability (3e6, 9e6: 0.25). Differencing `ln G` there loses 7 to 8 digits."""
    x = np.array([0.0, 1.0, 2.0, 3.0, 5.0, 12.0, 40.0, 1.0])
    tx = np.array([0.0, 4.5, 20.0, 37.0, 30.25, 38.0, 38.5, 0.5])
    T = np.array([39.0, 39.0, 38.0, 38.5, 39.0, 39.0, 39.0, 30.0])
    p = (4e7, 8e8, 3e6, 9e6)
    horizon, t, n_max = 39.0, 39.0, 8
    for model, shift, who in (("bg_nbd", 0, "Fader, Hardie & Lee (2005) eq. 6, 8-11"), ("mbg_nbd", 1, "lifetimes' ModifiedBetaGeoFitter formulas")):
        ll, pa, ep, unc, probs = mp_family(p, shift, x, tx, T, horizon, t, n_max)
        out.append((f"{model}_predict_large_params", {
            "function": f"clv.{model}.predict",
            "source": f"{who} evaluated in mpmath {mp.__version__} at 50 digits (mp.loggamma, mp.hyp2f1) at r=4e7, "
                      f"alpha=8e8, a=3e6, b=9e6: every customer buys at about 0.05 a week and drops out at a purchase "
                      f"with probability about 0.25. lnGamma(r + x) - lnGamma(r), r ln alpha - (r + x) ln(alpha + T) and "
                      f"the Beta part's lnGamma differences cancel there: differencing lnGamma in double precision "
                      f"(lifetimes' gammaln, channelwise before 2026-12-06) is off by 1e-8 relative.",
            **family_vector(p, (horizon, t, n_max), (x, tx, T), (ll, pa, ep, unc, probs), rel=1e-11)}))


def family_vector(p, when, hist, results, rel):
    """A predict vector's params, input, expected (mp_family's results) and tolerance."""
    (horizon, t, n_max), (x, tx, T), (ll, pa, ep, unc, probs) = when, hist, results
    return {
        "params": {"r": p[0], "alpha": p[1], "a": p[2], "b": p[3], "horizon": horizon, "t": t, "n_max": n_max},
        "input": {"frequency": arr(x), "recency": arr(tx), "T": arr(T)},
        "expected": {"p_alive": arr(pa), "expected_purchases": arr(ep), "expected_purchases_unconditional": f(unc),
                     "probability_of_purchases": arr(probs), "log_likelihood": arr(ll)},
        "tolerance": {"abs": 1e-13, "rel": rel}}


def small_ab_cases(out):
    """BG/NBD where a + b <= 1: a customer with no repeat purchase has eq. 10's 2F1 at
    c = a + b - 1 <= 0. Below 0 the series is summed as for any c (mpmath and scipy's hyp2f1
    agree); at 0 2F1 has a pole, but (a + b - 1) 2F1 tends to A B z 2F1(A + 1, B + 1; 2; z), which
    mpmath reaches by evaluating at b + 1e-30 (50 digits: the limit to 30)."""
    x = np.array([0.0, 0.0, 0.0, 1.0, 2.0, 7.0])
    tx = np.array([0.0, 0.0, 0.0, 4.5, 20.0, 36.0])
    T = np.array([38.0, 10.0, 0.5, 39.0, 38.0, 38.5])
    horizon, t, n_max = 10.0, 39.0, 6
    for name, p, mp_b, about in (
            ("bg_nbd_predict_a_plus_b_below_one", (0.24, 4.4, 0.3, 0.4), None, "a + b = 0.7, so c = -0.3 for the customers with no repeat purchase"),
            ("bg_nbd_predict_a_plus_b_one", (0.24, 4.4, 0.5, 0.5), mp.mpf(0.5) + mp.mpf("1e-30"), "a + b = 1, so c = 0 (a pole of 2F1) for the customers with no repeat purchase")):
        m = BetaGeoFitter()
        m.params_ = pd.Series(dict(zip(["r", "alpha", "a", "b"], p)))
        with np.errstate(all="ignore"):
            lt = m.conditional_expected_number_of_purchases_up_to_time(horizon, x, tx, T)
        ll, pa, ep, unc, probs = mp_family((p[0], p[1], p[2], mp_b if mp_b is not None else p[3]), 0, x, tx, T, horizon, t, n_max)
        if mp_b is None:
            said = f"lifetimes {lifetimes.__version__}'s conditional_expected_number_of_purchases_up_to_time (scipy {scipy.__version__} hyp2f1) is within {np.max(np.abs(lt / np.array(ep) - 1)):.0e} relative"
        else:
            said = f"lifetimes {lifetimes.__version__} gives {sorted(set(str(v) for v in lt[x == 0]))} for them (scipy's hyp2f1 at c = 0)"
        out.append((name, {
            "function": "clv.bg_nbd.predict",
            "source": f"Fader, Hardie & Lee (2005) eq. 6, 8-11 evaluated in mpmath {mp.__version__} at 50 digits (mp.hyp2f1) at "
                      f"r={p[0]}, alpha={p[1]}, a={p[2]}, b={p[3]}: {about}" + (" (b + 1e-30 in mpmath, the limit to 30 digits)" if mp_b is not None else "") +
                      f". {said}.",
            **family_vector(p, (horizon, t, n_max), (x, tx, T), (ll, pa, ep, unc, probs), rel=1e-12)}))


def steady_rate_cases(out):
    """BG/NBD and MBG/NBD with little heterogeneity in the purchase rate (r = 400, alpha = 80: five
    a week; r = 4e7, alpha = 8e6). Eq. 10's 2F1 has c - a about -r there: Euler's series, chosen
    before 2026-12-08 for its shorter terms, alternates and cancels to nothing (the expectation
    came out as -1.2e10 and -4e301)."""
    x = np.array([0.0, 1.0, 5.0, 20.0, 2.0])
    tx = np.array([0.0, 30.0, 30.0, 38.0, 1.0])
    T = np.array([39.0, 39.0, 39.0, 39.0, 39.0])
    horizon, t, n_max = 39.0, 39.0, 4
    for model, shift, fitter in (("bg_nbd", 0, BetaGeoFitter), ("mbg_nbd", 1, ModifiedBetaGeoFitter)):
        for tag, p in (("", (400.0, 80.0, 3.0, 9.0)), ("_4e7", (4e7, 8e6, 3.0, 9.0))):
            m = fitter()
            m.params_ = pd.Series(dict(zip(["r", "alpha", "a", "b"], p)))
            with np.errstate(all="ignore"):
                lt = np.asarray(m.conditional_expected_number_of_purchases_up_to_time(horizon, x, tx, T), dtype=float)
            res = mp_family(p, shift, x, tx, T, horizon, t, n_max)
            said = (f"its conditional expectations are within {np.max(np.abs(lt / np.array(res[2]) - 1)):.0e} of these, relative"
                    if np.all(np.isfinite(lt)) else f"its conditional expectations are {sorted(set(str(v) for v in lt[~np.isfinite(lt)]))} for "
                    f"{int(np.sum(~np.isfinite(lt)))} of the {len(lt)} customers (scipy's hyp2f1 overflows)")
            out.append((f"{model}_predict_steady_rate{tag}", {
                "function": f"clv.{model}.predict",
                "source": f"{fitter.__name__}'s formulas evaluated in mpmath {mp.__version__} at 50 digits (mp.hyp2f1) at "
                          f"r={p[0]:g}, alpha={p[1]:g}, a={p[2]:g}, b={p[3]:g}: customers who all buy at about five a week, "
                          f"where Euler's form of eq. 10's 2F1 cancels to nothing. lifetimes {lifetimes.__version__} "
                          f"(scipy {scipy.__version__} hyp2f1): {said}.",
                **family_vector(p, (horizon, t, n_max), (x, tx, T), res, rel=1e-11)}))


def mbg_error_cases(out):
    """An MBG/NBD input error (the rules are BG/NBD's, whose vectors check them all)."""
    out.append(("mbg_nbd_error_recency_above_T", {
        "function": "clv.mbg_nbd.fit", "source": f"input rule (lifetimes {lifetimes.__version__} _check_inputs raises ValueError)",
        "input": {"frequency": [1.0, 2.0], "recency": [3.0, 9.0], "T": [5.0, 8.0]}, "expected": {"error": "out_of_range"},
        "tolerance": {"abs": 0.0}}))


def bb_terms(x, tx, n):
    """The (u, c, v) of each term of a BG/BB history's likelihood (Fader, Hardie & Shang 2010,
    eq. 5): alive throughout, then gone before opportunity tx + i + 1."""
    return [(n - x, 0, n)] + [(tx - x + i, 1, tx + i) for i in range(n - tx)]


def bb_nll(rows, c=0.0):
    """The mean negative log-likelihood of eq. 5, exactly (lifetimes' `_loglikelihood` adds 1e-15
    to the sum before its log), plus lifetimes' penalty c * sum(params^2), in autograd."""
    from autograd.scipy.special import betaln

    def nll(lp):
        al, be, ga, de = anp.exp(lp)
        tot, wsum = 0.0, 0.0
        for x, tx, n, w in rows:
            ts = [betaln(al + x, be + u) - betaln(al, be) + betaln(ga + cc, de + v) - betaln(ga, de) for u, cc, v in bb_terms(x, tx, n)]
            ll = ts[0]
            for t in ts[1:]:
                ll = anp.logaddexp(ll, t)
            tot = tot + w * ll
            wsum += w
        return -tot / wsum + c * anp.sum(anp.exp(lp) ** 2)
    return nll


def bg_bb_cases(out):
    """BG/BB on the donations lifetimes ships (Fader, Hardie & Shang 2010: 11,104 donors of
    1995, six repeat opportunities): the exact MLE of eq. 5, the published estimates, the
    penalised optimum, lifetimes' predictions, eq. 9 and 7 in mpmath."""
    d = load_donations()
    x, tx, n, w = (d[k].to_numpy(int) for k in ("frequency", "recency", "periods", "weights"))
    rows = list(zip(x.tolist(), tx.tolist(), n.tolist(), w.astype(float).tolist()))
    inp = {"frequency": arr(x.astype(float)), "recency": arr(tx.astype(float)), "n_periods": arr(n.astype(float)), "weights": arr(w.astype(float))}
    lt = BetaGeoBetaBinomFitter().fit(x, tx, n, weights=w)
    lt_p = lt.params_[["alpha", "beta", "gamma", "delta"]].to_numpy()
    lt_nll = lambda lp: BetaGeoBetaBinomFitter._negative_log_likelihood(lp, x, tx, n, w, 0.0)
    lq, _ = newton(lt_nll, np.log(lt_p), grad(lt_nll), hessian(lt_nll), what="BG/BB (lifetimes' objective)")
    names = ("alpha", "beta", "gamma", "delta")
    fits = {}
    for c in (0.0, 0.01):
        nll = bb_nll(rows, c)
        lp, gn = newton(nll, np.log(lt_p), grad(nll), hessian(nll), what=f"BG/BB penalizer {c}")
        p = np.exp(lp)
        ll = -bb_nll(rows)(lp) * w.sum()
        fits[c] = p
        about = (f"lifetimes' own fit stops at {', '.join(f'{k}={v:.7f}' for k, v in zip(names, lt_p))} (largest relative distance "
                 f"{np.max(np.abs(lt_p / p - 1)):.1e}); the exact optimum of lifetimes' own objective, whose 1e-15 added to the "
                 f"sum moves it, is {np.max(np.abs(np.exp(lq) / p - 1)):.1e} from this one") if c == 0.0 else \
                f"BetaGeoBetaBinomFitter(penalizer_coef={c}): mean negative log-likelihood plus {c} times the sum of the squared parameters"
        out.append(("bg_bb_fit_donations" + ("_penalized" if c else ""), {
            "function": "clv.bg_bb.fit",
            "source": f"Donations from {LT} (load_donations: 22 weighted rows, 11,104 donors). Exact optimum: Newton with autograd's "
                      f"gradient and Hessian of Fader, Hardie & Shang (2010) eq. 5 as a mean over the donors, summed in log space, to a "
                      f"gradient of {gn:.1e}; log_likelihood the data's at that point; std_errors lifetimes' formula (params^2 inv(H) / "
                      f"sum w). {about}. {ENV}",
            "params": {"penalizer_coef": c}, "input": inp,
            "expected": {**{k: f(v) for k, v in zip(names, p)}, "log_likelihood": f(ll),
                         "std_errors": arr(std_errors(p, hessian(nll)(lp), w.sum()))},
            "tolerance": {"abs": 0.0, "rel": 1e-8}}))
    out.append(("bg_bb_fit_donations_paper", {
        "function": "clv.bg_bb.fit",
        "source": "Fader, Hardie & Shang (2010), Customer-base analysis in a discrete-time noncontractual setting, Marketing "
                  "Science 29(6), the 1995 donors' estimates as printed (alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, "
                  f"LL -33,225.6); tolerance the printed rounding. Data: load_donations from {LT}",
        "input": inp,
        "expected": {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783, "log_likelihood": -33225.6},
        "tolerance": {"abs": 5e-4, "rel": 2e-6}}))
    # predictions at the exact MLE: lifetimes' functions; eq. 9 and eq. 7 in mpmath
    p = fits[0.0]
    m = BetaGeoBetaBinomFitter()
    m.params_ = pd.Series(dict(zip(names, p)))
    m.data = pd.DataFrame({"frequency": x, "recency": tx, "n_periods": n, "weights": w})
    al, be, ga, de = (mp.mpf(float(v)) for v in p)
    B = lambda a, b: mp.beta(a, b)  # noqa: E731

    def mp_expected(nn):
        return al / (al + be) * de / (ga - 1) * (1 - mp.gamma(ga + de) / mp.gamma(ga + de + nn) * mp.gamma(1 + de + nn) / mp.gamma(1 + de))

    def mp_prob(k, nn):
        v = mp.binomial(nn, k) * B(al + k, be + nn - k) / B(al, be) * B(ga, de + nn) / B(ga, de)
        return v + sum(mp.binomial(i, k) * B(al + k, be + i - k) / B(al, be) * B(ga + 1, de + i) / B(ga, de) for i in range(k, nn))

    lt_counts = m.expected_number_of_transactions_in_first_n_periods(6)["model"].to_numpy() / w.sum()
    probs = [mp_prob(k, 6) for k in range(7)]
    assert np.allclose(lt_counts, [float(v) for v in probs], rtol=1e-10, atol=0), (lt_counts, probs)
    for mm in (1, 5):
        out.append((f"bg_bb_predict_donations_m{mm}", {
            "function": "clv.bg_bb.predict",
            "source": f"{LT} BetaGeoBetaBinomFitter.conditional_probability_alive({mm}, ...) and "
                      f"conditional_expected_number_of_purchases_up_to_time({mm}, ...) (eq. A10, 13) on the 22 donation histories, "
                      f"at the exact MLE of bg_bb_fit_donations; expected_purchases_unconditional (eq. 9) and probability_of_purchases "
                      f"(eq. 7, x = 0..6 of n = 6) in mpmath at 50 digits, the latter equal to lifetimes' "
                      f"expected_number_of_transactions_in_first_n_periods(6) over the donors to 1e-10. {ENV}",
            "params": {**{k: f(v) for k, v in zip(names, p)}, "m_periods": mm, "n_periods": 6},
            "input": {"frequency": arr(x.astype(float)), "recency": arr(tx.astype(float)), "n_periods": arr(n.astype(float))},
            "expected": {"p_alive": arr(m.conditional_probability_alive(mm, x, tx, n)),
                         "expected_purchases": arr(m.conditional_expected_number_of_purchases_up_to_time(mm, x, tx, n)),
                         "expected_purchases_unconditional": f(float(mp_expected(6))),
                         "probability_of_purchases": [f(float(v)) for v in probs]},
            "tolerance": {"abs": 1e-12, "rel": 1e-9}}))
    out.append(("bg_bb_error_frequency_above_recency", {
        "function": "clv.bg_bb.fit",
        "source": "input rule: one transaction an opportunity at most (Fader, Hardie & Shang 2010), so frequency <= recency; "
                  f"lifetimes {lifetimes.__version__} does not check it and fits such rows",
        "input": {"frequency": [2.0, 3.0], "recency": [2.0, 2.0], "n_periods": [6.0, 6.0]}, "expected": {"error": "invalid_parameter"},
        "tolerance": {"abs": 0.0}}))


def mp_pareto(params, hx, htx, hT):
    """P(alive) and per-customer log-likelihoods of the Pareto/NBD in mpmath (note 009, eq. 17-22),
    A0 by mp.hyp2f1 and checked against mp.quad on 40 pieces."""
    r_, al_, s_, be_ = (mp.mpf(float(v)) for v in params)
    pa, lls = [], []
    for xi, ti, Ti in zip(hx, htx, hT):
        xi, ti, Ti = mp.mpf(xi), mp.mpf(ti), mp.mpf(Ti)
        n_ = r_ + s_ + xi
        if al_ >= be_:
            F = lambda tau: (al_ + tau) ** (-n_) / n_ * mp.hyp2f1(s_ + 1, n_, n_ + 1, (al_ - be_) / (al_ + tau), maxterms=10**7, maxprec=20000)
        else:
            F = lambda tau: (be_ + tau) ** (-n_) / n_ * mp.hyp2f1(r_ + xi, n_, n_ + 1, (be_ - al_) / (be_ + tau), maxterms=10**7, maxprec=20000)
        a0 = F(ti) - F(Ti)
        if ti < Ti:
            quad = mp.quad(lambda y: (al_ + y) ** (-(r_ + xi)) * (be_ + y) ** (-(s_ + 1)), mp.linspace(ti, Ti, 41))
            assert abs(quad / a0 - 1) < 1e-6, (quad, a0)
        b1 = (al_ + Ti) ** (-(r_ + xi)) * (be_ + Ti) ** (-s_)
        lead = mp.exp(mp.loggamma(r_ + xi) - mp.loggamma(r_)) * al_ ** r_ * be_ ** s_
        lls.append(float(mp.log(lead * (b1 + s_ * a0))))
        pa.append(float(b1 / (b1 + s_ * a0)))
    return pa, lls


def mp_polish_pareto(fx, ftx, fT, w, lp0, c=0.0, pen_weight=1.0, scale=(1.0, 1.0, 1.0, 1.0)):
    """The optimum of the (penalised) Pareto/NBD log-likelihood polished in mpmath at 40 digits:
    Newton on central differences (h 1e-8, accurate to ~1e-16 there) from `lp0` (log-parameters),
    over the distinct histories with their weights. Returns the parameters, the data's
    log-likelihood there, the standard errors (inverse of the penalised observed information in
    log-parameters, delta method), how far the polish moved the start (largest relative) and the
    largest gradient entry left, per unit weight."""
    with mp.workdps(40):
        d = pd.DataFrame({"x": fx, "tx": ftx, "T": fT, "w": w}).groupby(["x", "tx", "T"], as_index=False)["w"].sum()
        rows = [(mp.mpf(float(a)), mp.mpf(float(b)), mp.mpf(float(c_)), mp.mpf(float(e))) for a, b, c_, e in zip(d.x, d.tx, d["T"], d.w)]
        k = [mp.mpf(float(v)) for v in scale]

        def data_ll(lp):
            r_, al_, s_, be_ = (mp.exp(v) for v in lp)
            acc = mp.mpf(0)
            for xi, ti, Ti, wi in rows:
                n_ = r_ + s_ + xi
                if al_ >= be_:
                    F = lambda tau: (al_ + tau) ** (-n_) / n_ * mp.hyp2f1(s_ + 1, n_, n_ + 1, (al_ - be_) / (al_ + tau))
                else:
                    F = lambda tau: (be_ + tau) ** (-n_) / n_ * mp.hyp2f1(r_ + xi, n_, n_ + 1, (be_ - al_) / (be_ + tau))
                b1 = (al_ + Ti) ** (-(r_ + xi)) * (be_ + Ti) ** (-s_)
                lead = mp.exp(mp.loggamma(r_ + xi) - mp.loggamma(r_)) * al_ ** r_ * be_ ** s_
                acc += wi * mp.log(lead * (b1 + s_ * (F(ti) - F(Ti))))
            return acc

        obj = lambda lp: data_ll(lp) - pen_weight * c * sum((k[j] * mp.exp(lp[j])) ** 2 for j in range(4))
        lp, se, moved, gn = mp_newton(obj, lp0, sum(r[3] for r in rows))
        return np.array([float(mp.exp(v)) for v in lp]), float(data_ll(lp)), se, moved, gn


def mp_newton(obj, lp0, total_weight):
    """Maximises `obj` (an mpmath function of log-parameters, at the working precision) by Newton
    on central differences (h 1e-8: ~1e-16 accurate at 40 digits) from `lp0`. Returns the
    log-parameters, the standard errors (delta method on the inverse of -Hessian), how far it moved
    `lp0` (largest relative) and the largest gradient entry left per unit weight."""
    m = len(lp0)
    h = mp.mpf("1e-8")

    def derivatives(lp):
        f0 = obj(lp)
        g, H = mp.matrix(m, 1), mp.matrix(m, m)
        shifted = lambda steps: obj([lp[j] + steps.get(j, 0) for j in range(m)])
        for i in range(m):
            fp, fm = shifted({i: h}), shifted({i: -h})
            g[i] = (fp - fm) / (2 * h)
            H[i, i] = (fp - 2 * f0 + fm) / h ** 2
            for j in range(i):
                H[i, j] = H[j, i] = (shifted({i: h, j: h}) - shifted({i: h, j: -h}) - shifted({i: -h, j: h}) + shifted({i: -h, j: -h})) / (4 * h * h)
        return g, H

    lp = [mp.mpf(float(v)) for v in lp0]
    for _ in range(6):
        g, H = derivatives(lp)
        step = mp.lu_solve(H, g)
        lp = [lp[j] - step[j] for j in range(m)]
        if max(abs(v) for v in step) < mp.mpf("1e-14"):
            break
    g, H = derivatives(lp)
    inv = mp.inverse(-H)
    se = [float(mp.exp(lp[j]) * mp.sqrt(inv[j, j])) for j in range(m)]
    moved = float(max(abs(mp.exp(lp[j] - mp.mpf(float(lp0[j]))) - 1) for j in range(m)))
    gn = float(max(abs(g[j]) for j in range(m)) / total_weight)
    return lp, se, moved, gn


def mp_sbg(lp0, n, c=0.0):
    """The sBG optimum (Fader & Hardie 2007, eq. 6; penalised per customer of the cohort)
    polished by mp_newton at 40 digits: (alpha, beta), the log-likelihood there, the standard
    errors, how far it moved and the gradient left."""
    with mp.workdps(40):
        nn = [mp.mpf(float(v)) for v in n]

        def ll(lp):
            a, b = mp.exp(lp[0]), mp.exp(lp[1])
            lb = mp.log(mp.beta(a, b))
            acc = sum((nn[t - 1] - nn[t]) * (mp.log(mp.beta(a + 1, b + t - 1)) - lb) for t in range(1, len(nn)))
            return acc + nn[-1] * (mp.log(mp.beta(a, b + len(nn) - 1)) - lb)

        lp, se, moved, gn = mp_newton(lambda lp: ll(lp) - nn[0] * c * (mp.exp(2 * lp[0]) + mp.exp(2 * lp[1])), lp0, nn[0])
        return np.array([float(mp.exp(v)) for v in lp]), float(ll(lp)), se, moved, gn


def pareto_cases(out):
    x, tx, T = cdnow()
    w = np.ones_like(x)
    lt = ParetoNBDFitter().fit(x, tx, T)
    lt_p = lt.params_[["r", "alpha", "s", "beta"]].to_numpy()
    # lifetimes' Pareto/NBD objective takes natural parameters and returns the total (not mean) -LL
    nll = lambda lp: ParetoNBDFitter._negative_log_likelihood(np.exp(lp), x, tx, T, w, 0.0) / len(x)
    g = lambda lp: fd_grad(nll, lp, 1e-6)
    h = lambda lp: fd_hess(nll, lp)
    lp, gn = newton(nll, np.log(lt_p), g, h, tol=1e-10, what="Pareto/NBD")
    p, ll, se, moved, gn_mp = mp_polish_pareto(x, tx, T, w, lp)
    lt_ll = -nll(np.log(lt_p)) * len(x)
    src = (f"CDNOW summary from {LT}. Exact MLE: Newton on central differences of lifetimes' own "
           f"ParetoNBDFitter._negative_log_likelihood (scipy hyp2f1) from lifetimes' fit, to a mean-LL gradient of {gn:.1e}, "
           f"then polished in mpmath {mp.__version__} at 40 digits (Newton on central differences of note 009's eq. 17-22 "
           f"over the distinct histories; the polish moved it {moved:.1e}, gradient per customer now {gn_mp:.1e}); "
           f"std_errors (r, alpha, s, beta) from the inverse of that 40-digit observed information (lifetimes' "
           f"ParetoNBDFitter has none). lifetimes' own fit: r={lt_p[0]:.7f} "
           f"alpha={lt_p[1]:.7f} s={lt_p[2]:.7f} beta={lt_p[3]:.7f} (largest relative distance "
           f"{np.max(np.abs(lt_p / p - 1)):.1e}), LL {lt_ll:.9f} vs the exact {ll:.9f} ({ll - lt_ll:.1e} higher). Fader, Hardie & Lee (2005b) print "
           f"r=0.55, alpha=10.58, s=0.61, beta=11.67, LL -9595.0. {ENV}")
    out.append(("pareto_nbd_fit_cdnow", {
        "function": "clv.pareto_nbd.fit", "source": src,
        "input": {"frequency": arr(x), "recency": arr(tx), "T": arr(T)},
        "expected": {"r": f(p[0]), "alpha": f(p[1]), "s": f(p[2]), "beta": f(p[3]), "log_likelihood": f(ll),
                     "std_errors": arr(se)},
        "tolerance": {"abs": 0.0, "rel": 1e-9}}))
    out.append(("pareto_nbd_fit_cdnow_paper", {
        "function": "clv.pareto_nbd.fit",
        "source": "Fader, Hardie & Lee (2005b), RFM and CLV: using iso-value curves for customer base analysis, JMR 42(4), "
                  "CDNOW estimates as printed (r 0.55, alpha 10.58, s 0.61, beta 11.67, LL -9595.0); tolerance is the "
                  "printed rounding. Data: CDNOW summary shipped by " + LT,
        "input": {"frequency": arr(x), "recency": arr(tx), "T": arr(T)},
        "expected": {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67, "log_likelihood": -9595.0},
        "tolerance": {"abs": 0.05, "rel": 0.0}}))
    m = ParetoNBDFitter()
    m.params_ = pd.Series(dict(zip(["r", "alpha", "s", "beta"], p)))
    idx = np.r_[0:40, np.flatnonzero(x >= 10)[:20]]
    xs, txs, Ts = x[idx], tx[idx], T[idx]
    horizon, t = 39.0, 39.0
    out.append(("pareto_nbd_predict_cdnow", {
        "function": "clv.pareto_nbd.predict",
        "source": f"{LT} ParetoNBDFitter.conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time "
                  f"and expected_number_of_purchases_up_to_time at the exact CDNOW MLE of pareto_nbd_fit_cdnow, 60 "
                  f"CDNOW customers. {ENV}",
        "params": {"r": f(p[0]), "alpha": f(p[1]), "s": f(p[2]), "beta": f(p[3]), "horizon": horizon, "t": t},
        "input": {"frequency": arr(xs), "recency": arr(txs), "T": arr(Ts)},
        "expected": {"p_alive": arr(m.conditional_probability_alive(xs, txs, Ts)),
                     "expected_purchases": arr(m.conditional_expected_number_of_purchases_up_to_time(horizon, xs, txs, Ts)),
                     "expected_purchases_unconditional": f(m.expected_number_of_purchases_up_to_time(t))},
        "tolerance": {"abs": 1e-12, "rel": 1e-9}}))
    # heavy buyers in both branches (alpha > beta and alpha < beta): mpmath likelihood and P(alive)
    rows = []
    for (r, al, s, be) in [(p[0], p[1], p[2], p[3]), (0.8, 14.0, 0.7, 6.0)]:
        hx = [300.0, 450.0, 800.0, 2.0]
        htx = [37.5, 38.0, 30.0, 20.0]
        hT = [38.86, 38.86, 38.0, 38.5]
        pa, lls = mp_pareto((r, al, s, be), hx, htx, hT)
        rows.append(((r, al, s, be), hx, htx, hT, pa, lls))
    for k, ((r, al, s, be), hx, htx, hT, pa, lls) in enumerate(rows):
        branch = "alpha_below_beta" if al < be else "alpha_above_beta"
        out.append((f"pareto_nbd_predict_heavy_buyers_{branch}", mp_pareto_vector(
            (r, al, s, be), (hx, htx, hT), (pa, lls),
            "the integral A0 in closed form with mp.hyp2f1 (cross-checked by mp.quad on 40 pieces to 1e-6), for "
            "customers with up to 800 repeat purchases (lifetimes issue #25 overflows there); log_likelihood is per customer.",
            1e-12)))
    return p


def mp_pareto_vector(params, hist, expected, about, abs_tol):
    """A clv.pareto_nbd.predict vector of mp_pareto's numbers."""
    (r, al, s, be), (hx, htx, hT), (pa, lls) = params, hist, expected
    return {
        "function": "clv.pareto_nbd.predict",
        "source": f"Pareto/NBD likelihood and P(alive) (Fader & Hardie note 009, eq. 17 and 22) in mpmath {mp.__version__} "
                  f"at 50 digits, {about}",
        "params": {"r": f(r), "alpha": f(al), "s": f(s), "beta": f(be)},
        "input": {"frequency": arr(hx), "recency": arr(htx), "T": arr(hT)},
        "expected": {"p_alive": arr(pa), "log_likelihood": arr(lls)},
        "tolerance": {"abs": abs_tol, "rel": 1e-10}}


def pareto_limit_cases(out):
    """Where customers hardly differ: the fit's supremum lies at infinity, and the tails need
    their quadratures (millions of series terms)."""
    x, tx, T = no_heterogeneity()
    inp = {"frequency": arr(x), "recency": arr(tx), "T": arr(T)}
    lt = ParetoNBDFitter().fit(x, tx, T)
    q = lt.params_
    try:
        BetaGeoFitter().fit(x, tx, T)
        bg_says = "BetaGeoFitter fits"
    except Exception as e:  # lifetimes.utils.ConvergenceError
        bg_says = f"BetaGeoFitter raises {type(e).__name__}"
    data = ("50 customers who all buy at one rate: numpy default_rng(0), T ~ U(20, 40), frequency ~ Poisson(2), "
            "recency = T U(0.1, 1) for frequency > 0, else 0")
    for model, fn in (("bg_nbd", "clv.bg_nbd.fit"), ("pareto_nbd", "clv.pareto_nbd.fit")):
        out.append((f"{model}_error_no_heterogeneity", {
            "function": fn,
            "source": f"{data}. Customers who hardly differ let the likelihood rise without end as a mixing distribution "
                      f"shrinks to one value (r and alpha growing together, the Poisson limit; for BG/NBD here a and b), so "
                      f"there is no maximum to report: not_converged. {LT}: {bg_says}; "
                      f"ParetoNBDFitter stops on that road at r {q['r']:.4g}, alpha {q['alpha']:.4g}, s {q['s']:.4g}, "
                      f"beta {q['beta']:.4g} (scipy's BFGS tolerance). {ENV}",
            "input": inp, "expected": {"error": "not_converged"}, "tolerance": {"abs": 0.0}}))
    # predictions where the tails are integrated: both rates nearly alike across customers
    # (Gauss-Laguerre), the purchase rate alone (alpha / beta in the hundred thousands) or beta a
    # million times alpha (the double-exponential rule)
    hx, htx, hT = [0.0, 1.0, 4.0, 12.0, 40.0], [0.0, 10.0, 30.0, 35.5, 38.0], [38.0, 38.0, 39.0, 36.0, 38.5]
    for name, params in (("poisson_limit", (2e4, 2e5, 500.0, 1e4)), ("purchase_rate_poisson_limit", (2e5, 2e6, 0.6, 12.0)),
                         ("beta_far_above_alpha", (0.5, 2.0, 3e3, 3e6))):
        pa, lls = mp_pareto(params, hx, htx, hT)
        out.append((f"pareto_nbd_predict_{name}", mp_pareto_vector(
            params, (hx, htx, hT), (pa, lls),
            "A0 in closed form with mp.hyp2f1 (cross-checked by mp.quad on 40 pieces to 1e-6), at parameters where the "
            "2F1 series needs 10^4 to 10^7 terms (Gauss-Laguerre in the first, the double-exponential rule in the others); "
            "log_likelihood is per customer. Its terms r ln alpha and -(r + x) ln(alpha + T) are up to 3e6 each and cancel "
            "to O(1), so a double-precision evaluation carries ~1e-9 of absolute error: abs 1e-8.",
            1e-8)))


def no_heterogeneity():
    """pareto_limit_cases' 50 customers who all buy at one rate."""
    rng = np.random.default_rng(0)
    n = 50
    T = rng.uniform(20, 40, n)
    x = rng.poisson(2, n).astype(float)
    tx = np.where(x > 0, T * rng.uniform(0.1, 1, n), 0.0)
    return x, tx, T


def histories_input(fx, ftx, fT, weights=None):
    """A fit vector's input: the three columns, and the weights where there are some."""
    inp = {"frequency": arr(fx), "recency": arr(ftx), "T": arr(fT)}
    if weights is not None:
        inp["weights"] = arr(weights)
    return inp


def penalized_cases(out):
    """lifetimes' penalizer_coef: the exact optimum of lifetimes' own penalised objective (the
    data's time axis divided by its largest T, as lifetimes fits it), then alpha (and beta)
    back in the data's unit; the log-likelihood reported is the data's, without the penalty."""
    x, tx, T = cdnow()
    nh = no_heterogeneity()
    collapsed = pd.DataFrame({"x": x, "tx": tx, "T": T}).groupby(["x", "tx", "T"]).size().reset_index()
    cw_ = (collapsed.x.to_numpy(float), collapsed.tx.to_numpy(float), collapsed["T"].to_numpy(float), collapsed[0].to_numpy(float))
    about = ("lifetimes 0.11.3's objective is the mean negative log-likelihood plus penalizer_coef times the sum of the squared "
             "parameters, alpha in units of the largest T (it fits T / max T)")

    def bg(name, data, c, what, weights=None, fitter=BetaGeoFitter):
        fx, ftx, fT = data
        w = np.ones_like(fx) if weights is None else weights
        sc = 1.0 / fT.max()
        nll = lambda lp, c=c: fitter._negative_log_likelihood(lp, fx, ftx * sc, fT * sc, w, c)
        lt = fitter(penalizer_coef=c).fit(fx, ftx, fT, weights=None if weights is None else w.astype(int))
        start = np.log(lt.params_[["r", "alpha", "a", "b"]].to_numpy() * np.array([1, sc, 1, 1]))
        lp, gn = newton(nll, start, grad(nll), hessian(nll), what=name)
        p = np.exp(lp) / np.array([1, sc, 1, 1])
        # the data's log-likelihood in its own time unit (T / max T shifts it by x ln max T a customer)
        ll = -fitter._negative_log_likelihood(np.log(p), fx, ftx, fT, w, 0.0) * w.sum()
        ltp = lt.params_[["r", "alpha", "a", "b"]].to_numpy()
        inp = histories_input(fx, ftx, fT, weights)
        out.append((name, {
            "function": "clv.mbg_nbd.fit" if fitter is ModifiedBetaGeoFitter else "clv.bg_nbd.fit",
            "source": f"{what}, {fitter.__name__}(penalizer_coef={c}). {about}. Exact optimum: Newton with autograd's gradient "
                      f"and Hessian of lifetimes' own {fitter.__name__}._negative_log_likelihood at penalizer_coef {c}, to a "
                      f"gradient of {gn:.1e}; log_likelihood is the same function at penalizer 0, in the data's time unit, times the total weight; "
                      f"std_errors (r, alpha, a, b) lifetimes' formula (params^2 inv(H) / sum w) on the penalised Hessian. "
                      f"lifetimes' own fit stops at r={ltp[0]:.7f} alpha={ltp[1]:.7f} a={ltp[2]:.7f} b={ltp[3]:.7f} (largest "
                      f"relative distance {np.max(np.abs(ltp / p - 1)):.1e}). {ENV}",
            "params": {"penalizer_coef": c}, "input": inp,
            "expected": {"r": f(p[0]), "alpha": f(p[1]), "a": f(p[2]), "b": f(p[3]), "log_likelihood": f(ll),
                         "std_errors": arr(std_errors(p, hessian(nll)(lp), w.sum()))},
            "tolerance": {"abs": 0.0, "rel": 1e-6}}))
        return p

    cd = "CDNOW summary (2357 customers, weeks) from " + LT
    nhd = "pareto_limit_cases' 50 customers who all buy at one rate (no maximum without a penalty: bg_nbd_error_no_heterogeneity)"
    p = bg("bg_nbd_fit_cdnow_penalized", (x, tx, T), 0.01, cd)
    q = bg("bg_nbd_fit_cdnow_penalized_weighted", cw_[:3], 0.01, f"CDNOW collapsed into {len(collapsed)} weighted rows", cw_[3])
    assert np.allclose(p, q, rtol=1e-8), (p, q)
    bg("bg_nbd_fit_no_heterogeneity_penalized", nh, 0.001, nhd)
    # MBG/NBD (lifetimes' ModifiedBetaGeoFitter), plain (penalizer 0: the same exact MLE in any
    # time unit) and penalised
    m = bg("mbg_nbd_fit_cdnow", (x, tx, T), 0.0, cd, fitter=ModifiedBetaGeoFitter)
    mw = bg("mbg_nbd_fit_cdnow_weighted", cw_[:3], 0.0, f"CDNOW collapsed into {len(collapsed)} weighted rows", cw_[3], fitter=ModifiedBetaGeoFitter)
    assert np.allclose(m, mw, rtol=1e-8), (m, mw)
    bg("mbg_nbd_fit_cdnow_penalized", (x, tx, T), 0.01, cd, fitter=ModifiedBetaGeoFitter)
    family_predict_cases(out, "mbg_nbd", ModifiedBetaGeoFitter, m, "lifetimes' ModifiedBetaGeoFitter formulas "
                         "(conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time)")
    mbg_error_cases(out)

    def pareto(name, data, c, what, weights=None, rel=1e-9):
        fx, ftx, fT = data
        w = np.ones_like(fx) if weights is None else weights
        sc = 1.0 / fT.max()
        k = np.array([1, sc, 1, sc])
        obj = lambda lp, c=c: ParetoNBDFitter._negative_log_likelihood(np.exp(lp), fx, ftx * sc, fT * sc, w, c)
        nll = lambda lp: obj(lp) / len(fx)
        lt = ParetoNBDFitter(penalizer_coef=c).fit(fx, ftx, fT, weights=None if weights is None else w.astype(int))
        ltp = lt.params_[["r", "alpha", "s", "beta"]].to_numpy()
        # central differences of a mean near 8 carry ~1e-9 of rounding at this step: tol 1e-9
        lp, gn = newton(nll, np.log(ltp * k), lambda v: fd_grad(nll, v, 1e-6), lambda v: fd_hess(nll, v), tol=1e-9, what=name)
        p, ll, se, moved, gn_mp = mp_polish_pareto(fx, ftx, fT, w, lp - np.log(k), c, w.mean(), k)
        inp = histories_input(fx, ftx, fT, weights)
        out.append((name, {
            "function": "clv.pareto_nbd.fit",
            "source": f"{what}, ParetoNBDFitter(penalizer_coef={c}). lifetimes 0.11.3's Pareto/NBD objective is the weighted "
                      f"total negative log-likelihood divided by the mean weight (not the sum, as its BG/NBD's) plus "
                      f"penalizer_coef times the sum of the squared parameters, alpha and beta in units of the largest T. Exact "
                      f"optimum: Newton on central differences of lifetimes' own ParetoNBDFitter._negative_log_likelihood, to a "
                      f"mean gradient of {gn:.1e}, then polished in mpmath at 40 digits (see pareto_nbd_fit_cdnow; moved {moved:.1e}, "
                      f"gradient per customer now {gn_mp:.1e}); log_likelihood is the data's at that point (no penalty), std_errors "
                      f"(r, alpha, s, beta) the inverse of the penalised 40-digit observed information. lifetimes' own fit stops at "
                      f"r={ltp[0]:.7f} alpha={ltp[1]:.7f} s={ltp[2]:.7f} beta={ltp[3]:.7f} (largest relative distance "
                      f"{np.max(np.abs(ltp / p - 1)):.1e}). {ENV}",
            "params": {"penalizer_coef": c}, "input": inp,
            "expected": {"r": f(p[0]), "alpha": f(p[1]), "s": f(p[2]), "beta": f(p[3]), "log_likelihood": f(ll),
                         "std_errors": arr(se)},
            "tolerance": {"abs": 0.0, "rel": rel}}))
        return p

    p = pareto("pareto_nbd_fit_cdnow_penalized", (x, tx, T), 0.1, cd)
    q = pareto("pareto_nbd_fit_cdnow_penalized_weighted", cw_[:3], 0.1,
               f"CDNOW collapsed into {len(collapsed)} weighted rows: the mean weight is {cw_[3].mean():.4f}, so the "
               f"penalty weighs {cw_[3].mean():.4f} times more than on one row per customer (pareto_nbd_fit_cdnow_penalized) "
               f"and the optimum moves", cw_[3])
    assert not np.allclose(p, q, rtol=1e-4), "the mean weight should move the Pareto/NBD optimum"
    pareto("pareto_nbd_fit_no_heterogeneity_penalized", nh, 0.01, nhd.replace("bg_nbd", "pareto_nbd"))

    d = load_cdnow_summary_data_with_monetary_value()
    rep = d[d.frequency > 0]
    gx, gm = rep.frequency.to_numpy(float), rep.monetary_value.to_numpy(float)
    c = 0.01
    w = np.ones_like(gx)
    nll = lambda lp, c=c: GammaGammaFitter._negative_log_likelihood(lp, gx, gm, w, c)
    lt = GammaGammaFitter(penalizer_coef=c).fit(rep.frequency, rep.monetary_value)
    ltp = lt.params_[["p", "q", "v"]].to_numpy()
    lp, gn = newton(nll, np.log(ltp), grad(nll), hessian(nll), what="Gamma-Gamma penalized")
    p = np.exp(lp)
    out.append(("gamma_gamma_fit_cdnow_penalized", {
        "function": "clv.gamma_gamma.fit",
        "source": f"CDNOW repeat buyers (946) of load_cdnow_summary_data_with_monetary_value, {LT}, "
                  f"GammaGammaFitter(penalizer_coef={c}): the mean negative log-likelihood plus penalizer_coef (p^2 + q^2 + v^2), "
                  f"v in the data's money. Exact optimum: Newton with autograd's gradient and Hessian of lifetimes' own "
                  f"GammaGammaFitter._negative_log_likelihood, gradient {gn:.1e}; log_likelihood at penalizer 0; std_errors (p, q, v) "
                  f"lifetimes' formula (params^2 inv(H) / sum w) on the penalised Hessian. lifetimes' own "
                  f"fit p={ltp[0]:.7f} q={ltp[1]:.7f} v={ltp[2]:.7f} (largest relative distance {np.max(np.abs(ltp / p - 1)):.1e}). {ENV}",
        "params": {"penalizer_coef": c},
        "input": {"frequency": arr(d.frequency), "monetary_value": arr(d.monetary_value)},
        "expected": {"p": f(p[0]), "q": f(p[1]), "v": f(p[2]), "log_likelihood": f(-nll(lp, 0.0) * len(gx)),
                     "std_errors": arr(std_errors(p, hessian(nll)(lp), len(gx)))},
        "tolerance": {"abs": 0.0, "rel": 1e-6}}))

    # sBG: lifetimes has none; the same definition (mean over the cohort plus c (alpha^2 + beta^2)),
    # minimised here by scipy's Nelder-Mead and Newton on the paper's eq. 6 (sbg_nll)
    for name, n, c, what in [
        ("regular", [1000, 631, 468, 382, 326, 289, 262, 241], 0.01, "Fader & Hardie (2007) 'regular' survivors (sbg_fit_regular)"),
        ("no_heterogeneity", [1024, 768, 576, 432, 324, 243], 0.001,
         "a cohort losing exactly a quarter a period, every customer alike (alpha and beta run off together without a penalty: sbg_error_no_heterogeneity)"),
    ]:
        n = np.array(n, float)
        obj = lambda v, n=n, c=c: sbg_nll(v, n) / n[0] + c * np.sum(np.exp(2 * v))
        r = scipy.optimize.minimize(obj, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 20000})
        lp, gn = newton(obj, r.x, lambda v: fd_grad(obj, v, 1e-6), lambda v: fd_hess(obj, v), tol=1e-9, what="sBG penalized")
        (a, b), ll, se, moved, gn_mp = mp_sbg(lp, n, c)
        out.append((f"sbg_fit_{name}_penalized", {
            "function": "clv.sbg.fit",
            "source": f"{what}, penalizer_coef {c}. lifetimes has no sBG; channelwise defines its penalty as lifetimes' BG/NBD's: "
                      f"the mean negative log-likelihood per customer of the cohort plus penalizer_coef (alpha^2 + beta^2). "
                      f"Expected: that objective on Fader & Hardie (2007) eq. 6, minimised by scipy {scipy.__version__} "
                      f"Nelder-Mead then Newton on differenced derivatives (gradient {gn:.1e}), polished in mpmath at 40 digits "
                      f"(moved {moved:.1e}, gradient per customer now {gn_mp:.1e}); log_likelihood without the penalty; std_errors "
                      f"(alpha, beta) from the inverse of the penalised 40-digit observed information. {ENV}",
            "params": {"penalizer_coef": c}, "input": {"survivors": arr(n)},
            "expected": {"alpha": f(a), "beta": f(b), "log_likelihood": f(ll), "std_errors": arr(se)},
            "tolerance": {"abs": 0.0, "rel": 1e-9}}))
    out.append(("sbg_error_no_heterogeneity", {
        "function": "clv.sbg.fit",
        "source": "a cohort losing exactly a quarter a period (1024 (3/4)^t), every customer alike: the geometric model with "
                  "p = 1/4 predicts every period's share exactly, which the beta-geometric reaches only as alpha and beta grow "
                  "together without end (the beta mixing distribution shrinking to p = 1/4), so there is no maximum: not_converged",
        "input": {"survivors": [1024.0, 768.0, 576.0, 432.0, 324.0, 243.0]}, "expected": {"error": "not_converged"},
        "tolerance": {"abs": 0.0}}))
    for model, fn, c, kind in (("bg_nbd", "clv.bg_nbd.fit", -0.1, "out_of_range"), ("pareto_nbd", "clv.pareto_nbd.fit", "NaN", "non_finite")):
        out.append((f"{model}_error_penalizer_{kind}", {
            "function": fn, "source": f"input rule: penalizer_coef is a finite number >= 0 ({LT} takes {c} and fits on)",
            "params": {"penalizer_coef": c}, "input": {"frequency": [0.0, 2.0, 5.0], "recency": [0.0, 10.0, 30.0], "T": [40.0, 40.0, 38.0]},
            "expected": {"error": kind}, "tolerance": {"abs": 0.0}}))


def gamma_gamma_cases(out, bg):
    d = load_cdnow_summary_data_with_monetary_value()
    rep = d[d.frequency > 0]
    x, m = rep.frequency.to_numpy(float), rep.monetary_value.to_numpy(float)
    lt = GammaGammaFitter().fit(rep.frequency, rep.monetary_value)
    lt_p = lt.params_[["p", "q", "v"]].to_numpy()
    w = np.ones_like(x)
    nll = lambda lp: GammaGammaFitter._negative_log_likelihood(lp, x, m, w, 0.0)
    lp, gn = newton(nll, np.log(lt_p), grad(nll), hessian(nll), what="Gamma-Gamma")
    p = np.exp(lp)
    ll = -nll(lp) * len(x)
    lt_ll = -nll(np.log(lt_p)) * len(x)
    src = (f"CDNOW repeat buyers (946) of load_cdnow_summary_data_with_monetary_value, {LT}. Exact MLE: Newton with "
           f"autograd's gradient and Hessian of lifetimes' GammaGammaFitter._negative_log_likelihood, gradient {gn:.1e}. "
           f"lifetimes' own fit p={lt_p[0]:.7f} q={lt_p[1]:.7f} v={lt_p[2]:.7f} (largest relative distance "
           f"{np.max(np.abs(lt_p / p - 1)):.1e}), LL {lt_ll:.9f} vs the exact {ll:.9f} ({ll - lt_ll:.1e} higher). Fader, Hardie & Lee (2005b) print "
           f"p=6.25, q=3.74, v=15.44. std_errors (p, q, v): lifetimes' formula (params^2 inv(H) / sum w) at the exact MLE. {ENV}")
    out.append(("gamma_gamma_fit_cdnow", {
        "function": "clv.gamma_gamma.fit", "source": src,
        "input": {"frequency": arr(d.frequency), "monetary_value": arr(d.monetary_value)},
        "expected": {"p": f(p[0]), "q": f(p[1]), "v": f(p[2]), "log_likelihood": f(ll),
                     "std_errors": arr(std_errors(p, hessian(nll)(lp), len(x)))},
        "tolerance": {"abs": 0.0, "rel": 1e-6}}))
    out.append(("gamma_gamma_fit_cdnow_paper", {
        "function": "clv.gamma_gamma.fit",
        "source": "Fader, Hardie & Lee (2005b), RFM and CLV, JMR 42(4), CDNOW spend model as printed (p 6.25, q 3.74, "
                  "v 15.44); the exact MLE's v is 15.4477 (lifetimes' own fit agrees), which rounds to 15.45, so v is checked "
                  "to 0.01 and p, q to the printed rounding. Data: " + LT + " load_cdnow_summary_data_with_monetary_value",
        "input": {"frequency": arr(d.frequency), "monetary_value": arr(d.monetary_value)},
        "expected": {"p": 6.25, "q": 3.74, "v": 15.44},
        "tolerance": {"abs": 0.01, "rel": 0.0}}))
    g = GammaGammaFitter()
    g.params_ = pd.Series(dict(zip(["p", "q", "v"], p)))
    b = BetaGeoFitter()
    b.params_ = pd.Series(dict(zip(["r", "alpha", "a", "b"], bg)))
    b.predict = b.conditional_expected_number_of_purchases_up_to_time  # what BetaGeoFitter.fit sets
    sub = d.iloc[:50]
    for freq, months, rate in [("W", 12, 0.01), ("W", 24, 0.0)]:
        clv = g.customer_lifetime_value(b, sub.frequency, sub.recency, sub["T"], sub.monetary_value, time=months,
                                        discount_rate=rate, freq=freq)
        out.append((f"gamma_gamma_predict_cdnow_{months}m", {
            "function": "clv.gamma_gamma.predict",
            "source": f"{LT} GammaGammaFitter.conditional_expected_average_profit and customer_lifetime_value(BetaGeoFitter, "
                      f"time={months}, discount_rate={rate}, freq='{freq}') at the exact CDNOW MLEs of gamma_gamma_fit_cdnow "
                      f"and bg_nbd_fit_cdnow, first 50 CDNOW customers. {ENV}",
            "params": {"p": f(p[0]), "q": f(p[1]), "v": f(p[2]), "bg": {"r": f(bg[0]), "alpha": f(bg[1]), "a": f(bg[2]), "b": f(bg[3])},
                       "months": months, "discount_rate": rate, "freq": freq},
            "input": {"frequency": arr(sub.frequency), "recency": arr(sub.recency), "T": arr(sub["T"]), "monetary_value": arr(sub.monetary_value)},
            "expected": {"expected_spend": arr(g.conditional_expected_average_profit(sub.frequency, sub.monetary_value)),
                         "clv": arr(clv)},
            "tolerance": {"abs": 1e-9, "rel": 1e-9}}))
    out.append(("gamma_gamma_error_zero_spend", {
        "function": "clv.gamma_gamma.fit", "source": f"input rule ({LT} _check_inputs: non-positive monetary_value)",
        "input": {"frequency": [1.0, 2.0, 3.0], "monetary_value": [10.0, 0.0, 5.0]}, "expected": {"error": "out_of_range"},
        "tolerance": {"abs": 0.0}}))


def sbg_nll(lp, n):
    a, b = np.exp(lp)
    from scipy.special import betaln
    T = len(n) - 1
    t = np.arange(1, T + 1)
    lost = n[:-1] - n[1:]
    lp_t = betaln(a + 1, b + t - 1) - betaln(a, b)
    return -(lost @ lp_t + n[-1] * (betaln(a, b + T) - betaln(a, b)))


def sbg_cases(out):
    # the paper's pairing: "regular" (lower retention) alpha 0.704 beta 1.182, "highend" alpha 0.668 beta 3.806
    data = {"regular": ([1000, 631, 468, 382, 326, 289, 262, 241], (0.704, 1.182)),
            "highend": ([1000, 869, 743, 653, 593, 551, 517, 491], (0.668, 3.806))}
    for name, (n, paper) in data.items():
        n = np.array(n, float)
        r = scipy.optimize.minimize(sbg_nll, np.zeros(2), args=(n,), method="Nelder-Mead",
                                    options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000})
        mean = lambda v: sbg_nll(v, n) / n[0]
        lp, gn = newton(mean, r.x, lambda v: fd_grad(mean, v, 1e-6), lambda v: fd_hess(mean, v), tol=1e-9, what="sBG")
        (a, b), ll, se, moved, gn_mp = mp_sbg(lp, n)
        out.append((f"sbg_fit_{name}", {
            "function": "clv.sbg.fit",
            "source": f"Fader & Hardie (2007), How to project customer retention, J. Interactive Marketing 21(1): '{name}' "
                      f"survivors years 0-7 (Table 1) and the printed estimates alpha={paper[0]}, beta={paper[1]}; expected "
                      f"= the exact MLE of the paper's eq. 6 (scipy Nelder-Mead then Newton on differenced derivatives, "
                      f"gradient {gn:.1e}, then polished in mpmath at 40 digits by Newton on central differences: moved "
                      f"{moved:.1e}, gradient per customer now {gn_mp:.1e}), which rounds to the printed values; std_errors "
                      f"(alpha, beta) from the inverse of the 40-digit observed information. {ENV}",
            "input": {"survivors": arr(n)},
            "expected": {"alpha": f(a), "beta": f(b), "log_likelihood": f(ll), "std_errors": arr(se)},
            "tolerance": {"abs": 0.0, "rel": 1e-9}}))
        assert abs(a - paper[0]) < 6e-4 and abs(b - paper[1]) < 6e-4, (name, a, b)
        S = [float(mp.beta(a, b + t) / mp.beta(a, b)) for t in range(13)]
        R = [(b + t - 1) / (a + b + t - 1) for t in range(1, 13)]
        out.append((f"sbg_predict_{name}", {
            "function": "clv.sbg.predict",
            "source": f"Fader & Hardie (2007) eq. 7-8 (S(t) = B(alpha, beta+t)/B(alpha, beta) in mpmath, "
                      f"r_t = (beta+t-1)/(alpha+beta+t-1)) at the MLE of sbg_fit_{name}, 12 years ahead",
            "params": {"alpha": f(a), "beta": f(b), "periods": 12},
            "expected": {"survival": arr(S), "retention": arr(R)},
            "tolerance": {"abs": 1e-14, "rel": 1e-12}}))
    out.append(("sbg_error_increasing", {
        "function": "clv.sbg.fit", "source": "input rule: survivor counts cannot increase",
        "input": {"survivors": [1000.0, 800.0, 900.0]}, "expected": {"error": "out_of_range"}, "tolerance": {"abs": 0.0}}))


def rfm_cases(out):
    t = load_transaction_data()
    t["date"] = pd.to_datetime(t["date"])
    ids = sorted(t.id.unique())[:150]
    t = t[t.id.isin(ids)].copy()
    rng = np.random.default_rng(7)
    t["spend"] = np.round(rng.gamma(2.0, 20.0, len(t)), 2)
    secs = (t.date.astype("int64") // 10**9).to_numpy()
    cid = [str(i) for i in t.id]
    for freq in ["D", "W"]:
        s = summary_data_from_transaction_data(t.assign(id=cid), "id", "date", monetary_value_col="spend", freq=freq)
        s = s.sort_index()
        out.append((f"rfm_summary_{freq}", {
            "function": "clv.rfm.summary",
            "source": f"{LT} summary_data_from_transaction_data(freq='{freq}', monetary_value_col) on the first 150 "
                      f"customers of load_transaction_data, with spend drawn from numpy PCG64 seed 7 Gamma(2, 20) rounded to "
                      f"cents; customer ids as strings, rows sorted by id. {ENV}",
            "params": {"freq": freq, "freq_multiplier": 1.0},
            "input": {"customer_id": cid, "datetime": [int(v) for v in secs], "monetary_value": arr(t.spend)},
            "expected": {"customer_id": list(s.index), "frequency": arr(s.frequency), "recency": arr(s.recency),
                         "T": arr(s["T"]), "monetary_value": arr(s.monetary_value)},
            "tolerance": {"abs": 1e-9, "rel": 1e-12}}))
    cal_end, obs_end = pd.Timestamp("2014-09-01"), pd.Timestamp("2014-12-31")
    c = calibration_and_holdout_data(t.assign(id=cid), "id", "date", calibration_period_end=cal_end,
                                     observation_period_end=obs_end, freq="W", monetary_value_col="spend").sort_index()
    out.append(("rfm_calibration_holdout_W", {
        "function": "clv.rfm.calibration_and_holdout",
        "source": f"{LT} calibration_and_holdout_data(calibration_period_end='2014-09-01', observation_period_end="
                  f"'2014-12-31', freq='W', monetary_value_col) on the data of rfm_summary_W; rows sorted by id. {ENV}",
        "params": {"freq": "W", "freq_multiplier": 1.0, "calibration_end": int(cal_end.value // 10**9),
                   "observation_end": int(obs_end.value // 10**9)},
        "input": {"customer_id": cid, "datetime": [int(v) for v in secs], "monetary_value": arr(t.spend)},
        "expected": {"customer_id": list(c.index), "frequency_cal": arr(c.frequency_cal), "recency_cal": arr(c.recency_cal),
                     "T_cal": arr(c.T_cal), "monetary_value_cal": arr(c.monetary_value_cal),
                     "frequency_holdout": arr(c.frequency_holdout), "monetary_value_holdout": arr(c.monetary_value_holdout),
                     "duration_holdout": f(c.duration_holdout.iloc[0])},
        "tolerance": {"abs": 1e-9, "rel": 1e-12}}))


def hyp_cases(out):
    cases = [(1.0, 1.0, 2.0, 0.5), (0.55, 1.61, 2.2, 0.9), (300.24, 302.4, 301.2, 0.5), (800.2, 802.4, 801.2, 0.6),
             (0.24, 2.43, 2.22, 0.999), (5.5, -3.0, 2.5, 0.7), (1200.0, 2.0, 1201.0, 0.3)]
    out.append(("hyp2f1_mpmath", {
        "function": "clv.hyp2f1",
        "source": f"mpmath {mp.__version__} hyp2f1 at 50 digits, natural log",
        "input": {"a": [c[0] for c in cases], "b": [c[1] for c in cases], "c": [c[2] for c in cases], "z": [c[3] for c in cases]},
        "expected": {"ln_value": [f(mp.log(abs(mp.hyp2f1(*c)))) for c in cases]},
        "tolerance": {"abs": 1e-12, "rel": 1e-12}}))
    # c below 0 (not a pole): the BG/NBD expectation of a customer with no repeat purchase when
    # a + b < 1; 2F1 may be negative there, so its sign is checked too
    neg = [(0.24, 0.4, -0.3, 10 / 52.4), (1.0, 1.0, -0.5, 0.5), (2.5, 3.0, -1.5, 0.7), (0.5, 0.5, -0.999, 0.3),
           (0.24, 0.4, -1e-10, 0.2), (3.0, -2.0, -2.5, 0.9), (1.5, 2.0, -3.7, 0.95), (0.3, 0.7, -0.01, 0.0)]
    out.append(("hyp2f1_negative_c_mpmath", {
        "function": "clv.hyp2f1",
        "source": f"mpmath {mp.__version__} hyp2f1 at 50 digits, natural log of its absolute value and its sign; "
                  f"scipy {scipy.__version__} hyp2f1 agrees to {max(abs(float(sc_hyp2f1(*c)) / float(mp.hyp2f1(*c)) - 1) for c in neg):.0e} relative",
        "input": {"a": [c[0] for c in neg], "b": [c[1] for c in neg], "c": [c[2] for c in neg], "z": [c[3] for c in neg]},
        "expected": {"ln_value": [f(mp.log(abs(mp.hyp2f1(*c)))) for c in neg], "sign": [f(mp.sign(mp.hyp2f1(*c))) for c in neg]},
        "tolerance": {"abs": 1e-12, "rel": 1e-12}}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=ROOT)
    ap.add_argument("--only", nargs="*", help="write only these vectors (names without .json)")
    a = ap.parse_args()
    # ParetoNBDFitter starts from np.random.normal(1, 0.05) of numpy's global generator: seeded,
    # so its fit, the Newton polish from it and every `source` are the same on every run
    np.random.seed(0)
    out = []
    bg = bg_cases(out)
    pareto_cases(out)
    pareto_limit_cases(out)
    large_params_cases(out)
    gamma_gamma_cases(out, bg)
    bg_bb_cases(out)
    sbg_cases(out)
    penalized_cases(out)
    rfm_cases(out)
    hyp_cases(out)
    small_ab_cases(out)
    steady_rate_cases(out)
    for name, v in out:
        if a.only and name not in a.only:
            continue
        write(a.root, "clv", name, v)
        print("wrote", name)


if __name__ == "__main__":
    main()
