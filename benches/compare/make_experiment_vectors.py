"""Writes tests/vectors/experiment/*.json: A/B statistics checked against their references.

Run with the pins of requirements-experiment.txt (python3 -m venv /work/venv-ab &&
/work/venv-ab/bin/pip install -r benches/compare/requirements-experiment.txt):

    /work/venv-ab/bin/python benches/compare/make_experiment_vectors.py

Sources: scipy and statsmodels for the frequentist tests and power, gbstats 0.8.0 for the
relative effects, the Bayesian effect engine, CUPED and the sequential intervals, mpmath
quadrature for the beta-binomial quantities, and an independent numerical integration
(scipy.integrate.quad, nested) for the Lan-DeMets group-sequential bounds.
"""

from __future__ import annotations

import math
import os
import sys

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize, proportions_ztest

sys.path.insert(0, os.path.dirname(__file__))
from vectorio import arr, f, write  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MODULE = "experiment"
SCIPY = f"scipy {scipy.__version__}"
SM = f"statsmodels {statsmodels.__version__}"


def out(name: str, function: str, source: str, input: dict, params: dict, expected: dict, tol: dict) -> None:
    write(ROOT, MODULE, name, {"function": function, "source": source, "input": input, "params": params,
                               "expected": expected, "tolerance": tol})


def error(name: str, function: str, input: dict, params: dict, kind: str, field: str, why: str) -> None:
    out(name, function, f"bad input: {why} (the typed error of the issue's 'Bad input' list)", input, params,
        {"error": kind, "field": field}, {})


# ---------------------------------------------------------------- frequentist

def delta_relative(ma, va, na, mb, vb, nb):
    """gbstats' frequentist_variance (relative): estimate and standard error."""
    var = vb / (ma ** 2 * nb) + va * mb ** 2 / (ma ** 4 * na)
    return mb / ma - 1, math.sqrt(var)


def ztests():
    alt_sm = {"two_sided": "two-sided", "larger": "larger", "smaller": "smaller"}
    cases = [
        ("ztest_basic", (1000, 100), (1000, 130), 0.05, "two_sided"),
        ("ztest_unequal_n", (25000, 1210), (12000, 640), 0.1, "two_sided"),
        ("ztest_larger", (5000, 500), (5100, 560), 0.05, "larger"),
        ("ztest_smaller_small_counts", (40, 9), (35, 3), 0.01, "smaller"),
        ("ztest_large", (1_000_000, 31_000), (1_000_000, 31_450), 0.05, "two_sided"),
    ]
    for name, (na, sa), (nb, sb), alpha, alt in cases:
        z, p = proportions_ztest([sb, sa], [nb, na], alternative=alt_sm[alt])
        lo, hi = confint_proportions_2indep(sb, nb, sa, na, method="wald", compare="diff", alpha=alpha)
        pa, pb = sa / na, sb / nb
        se_abs = math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
        q = st.norm.isf(alpha / 2)

        def pv(x):
            return {"two_sided": 2 * st.norm.sf(abs(x)), "larger": st.norm.sf(x), "smaller": st.norm.cdf(x)}[alt]

        rel, se_rel = delta_relative(pa, pa * (1 - pa), na, pb, pb * (1 - pb), nb)
        out(name, "experiment.ztest",
            f"{SM} proportions_ztest (pooled) for z and p_value, confint_proportions_2indep(method='wald', "
            f"compare='diff') for the absolute interval; absolute p-value (unpooled Wald) and relative effect "
            f"(delta method, gbstats' frequentist_variance) with {SCIPY} norm",
            {"a": {"n": na, "successes": sa}, "b": {"n": nb, "successes": sb}},
            {"alpha": alpha, "alternative": alt},
            {"z": f(z), "p_value": f(p), "rate_a": pa, "rate_b": pb,
             "abs_estimate": pb - pa, "abs_std_error": se_abs, "abs_ci_lower": f(lo), "abs_ci_upper": f(hi),
             "abs_p_value": f(pv((pb - pa) / se_abs)),
             "rel_estimate": rel, "rel_std_error": se_rel, "rel_ci_lower": rel - q * se_rel,
             "rel_ci_upper": rel + q * se_rel, "rel_p_value": f(pv(rel / se_rel))},
            {"abs": 1e-12, "rel": 1e-9})
    error("ztest_error_successes_above_n", "experiment.ztest", {"a": {"n": 10, "successes": 3}, "b": {"n": 10, "successes": 11}},
          {}, "out_of_range", "b.successes", "more successes than trials")
    error("ztest_error_zero_n", "experiment.ztest", {"a": {"n": 0, "successes": 0}, "b": {"n": 10, "successes": 1}},
          {}, "out_of_range", "a.n", "an arm of zero units")
    error("ztest_error_alpha", "experiment.ztest", {"a": {"n": 10, "successes": 3}, "b": {"n": 10, "successes": 4}},
          {"alpha": 1.5}, "out_of_range", "alpha", "alpha outside (0, 1)")


def gbstats_stat(arm: dict):
    from gbstats.models.statistics import ProportionStatistic, SampleMeanStatistic
    if "successes" in arm:
        return ProportionStatistic(n=arm["n"], sum=arm["successes"])
    return SampleMeanStatistic(n=arm["n"], sum=arm["sum"], sum_squares=arm["sum_squares"])


def moments(xs) -> dict:
    xs = np.asarray(xs, dtype=float)
    return {"n": len(xs), "sum": float(xs.sum()), "sum_squares": float((xs * xs).sum())}


def welch_tests():
    from gbstats.frequentist.tests import (FrequentistConfig, OneSidedTreatmentGreaterTTest,
                                           OneSidedTreatmentLesserTTest, TwoSidedTTest)
    rng = np.random.default_rng(15)
    raw_a = rng.lognormal(1.0, 0.8, 40)
    raw_b = rng.lognormal(1.15, 1.0, 55)
    cases = [
        ("welch_moments", {"n": 1200, "sum": 36150.5, "sum_squares": 2_010_000.25},
         {"n": 1180, "sum": 37400.0, "sum_squares": 2_150_500.0}, 0.05, "two_sided"),
        ("welch_raw_values", {"values": arr(raw_a)}, {"values": arr(raw_b)}, 0.05, "two_sided"),
        ("welch_small_unequal", {"n": 6, "sum": 30.0, "sum_squares": 170.0},
         {"n": 25, "sum": 180.0, "sum_squares": 1700.0}, 0.1, "two_sided"),
        ("welch_larger", {"n": 300, "sum": 1500.0, "sum_squares": 10000.0},
         {"n": 320, "sum": 1700.0, "sum_squares": 11500.0}, 0.05, "larger"),
        ("welch_smaller", {"n": 300, "sum": 1500.0, "sum_squares": 10000.0},
         {"n": 320, "sum": 1500.0, "sum_squares": 10500.0}, 0.05, "smaller"),
        ("welch_proportions_gbstats", {"n": 3000, "successes": 300}, {"n": 3100, "successes": 352}, 0.05, "two_sided"),
    ]
    alt_sp = {"two_sided": "two-sided", "larger": "greater", "smaller": "less"}
    for name, a, b, alpha, alt in cases:
        ma = moments(a["values"]) if "values" in a else a
        mb = moments(b["values"]) if "values" in b else b
        expected = {}
        if "successes" not in a:
            # scipy: B against A, absolute effect
            mean_a, mean_b = ma["sum"] / ma["n"], mb["sum"] / mb["n"]
            var_a = (ma["sum_squares"] - ma["sum"] ** 2 / ma["n"]) / (ma["n"] - 1)
            var_b = (mb["sum_squares"] - mb["sum"] ** 2 / mb["n"]) / (mb["n"] - 1)
            if "values" in a:
                r = st.ttest_ind(np.array(b["values"]), np.array(a["values"]), equal_var=False, alternative=alt_sp[alt])
                r2 = st.ttest_ind(np.array(b["values"]), np.array(a["values"]), equal_var=False)
            else:
                r = st.ttest_ind_from_stats(mean_b, math.sqrt(var_b), mb["n"], mean_a, math.sqrt(var_a), ma["n"],
                                            equal_var=False, alternative=alt_sp[alt])
                r2 = None
            va_n, vb_n = var_a / ma["n"], var_b / mb["n"]
            df = (va_n + vb_n) ** 2 / (va_n ** 2 / (ma["n"] - 1) + vb_n ** 2 / (mb["n"] - 1))
            if r2 is not None:
                assert abs(r2.df - df) < 1e-9 * df
            expected.update({"t": f(r.statistic), "df": f(df), "p_value": f(r.pvalue),
                             "abs_estimate": mean_b - mean_a})
            if r2 is not None:
                ci = r2.confidence_interval(1 - alpha)
                expected.update({"abs_ci_lower": f(ci.low), "abs_ci_upper": f(ci.high)})
            else:
                se = math.sqrt(var_a / ma["n"] + var_b / mb["n"])
                q = st.t.isf(alpha / 2, df)
                expected.update({"abs_ci_lower": mean_b - mean_a - q * se, "abs_ci_upper": mean_b - mean_a + q * se})
        cls = {"two_sided": TwoSidedTTest, "larger": OneSidedTreatmentGreaterTTest, "smaller": OneSidedTreatmentLesserTTest}[alt]
        sa, sb = gbstats_stat(ma), gbstats_stat(mb)
        res = cls(sa, sb, FrequentistConfig(alpha=alpha, difference_type="relative")).compute_result()
        two = TwoSidedTTest(sa, sb, FrequentistConfig(alpha=alpha, difference_type="relative")).compute_result()
        absr = TwoSidedTTest(sa, sb, FrequentistConfig(alpha=alpha, difference_type="absolute")).compute_result()
        expected.update({"rel_estimate": res.expected, "rel_std_error": res.uplift.stddev,
                         "rel_ci_lower": two.ci[0], "rel_ci_upper": two.ci[1], "rel_p_value": f(res.p_value)})
        if "successes" in a:
            expected.update({"abs_estimate": absr.expected, "abs_ci_lower": absr.ci[0], "abs_ci_upper": absr.ci[1],
                             "p_value": f(absr.p_value), "abs_std_error": absr.uplift.stddev})
        src = (f"{SCIPY} ttest_ind / ttest_ind_from_stats(equal_var=False) (B against A) for t, p_value and the "
               f"absolute interval (t.isf with scipy's Welch-Satterthwaite df where scipy gives no interval); gbstats 0.8.0 TwoSidedTTest / OneSidedTreatment*TTest (difference_type "
               f"relative) for the relative effect, its two-sided interval and p-value")
        if "successes" in a:
            src = ("gbstats 0.8.0 TwoSidedTTest on ProportionStatistic (variance p(1-p), Welch df), "
                   "difference_type absolute and relative")
        out(name, "experiment.welch", src, {"a": a, "b": b}, {"alpha": alpha, "alternative": alt}, expected,
            {"abs": 1e-10, "rel": 1e-8})
    error("welch_error_negative_variance", "experiment.welch",
          {"a": {"n": 3, "sum": 6.0, "sum_squares": 11.0}, "b": {"n": 3, "sum": 6.0, "sum_squares": 14.0}},
          {}, "out_of_range", "a.sum_squares", "sum of squares below sum^2/n by more than rounding")
    error("welch_error_one_unit", "experiment.welch",
          {"a": {"n": 1, "sum": 6.0, "sum_squares": 36.0}, "b": {"n": 3, "sum": 6.0, "sum_squares": 14.0}},
          {}, "out_of_range", "a.n", "a variance needs two units")


def chisq_tests():
    cases = [
        ("chisq_three_arms", [(100, 10), (100, 20), (100, 15)]),
        ("chisq_four_arms", [(5230, 410), (5180, 455), (5301, 402), (4999, 470)]),
        ("chisq_two_arms", [(1234, 150), (1100, 171)]),
    ]
    for name, arms in cases:
        table = np.array([[s, n - s] for n, s in arms], dtype=float)
        stat, p, dof, _ = st.chi2_contingency(table, correction=False)
        out(name, "experiment.chisq", f"{SCIPY} chi2_contingency(correction=False) on the k x 2 table",
            {"arms": [{"n": n, "successes": s} for n, s in arms]}, {},
            {"statistic": f(stat), "df": f(dof), "p_value": f(p)}, {"abs": 1e-12, "rel": 1e-9})
    error("chisq_error_one_arm", "experiment.chisq", {"arms": [{"n": 10, "successes": 1}]}, {},
          "not_enough_data", "chi-square", "a single arm")


# ---------------------------------------------------------------- power

def power_vectors():
    alt_sm = {"two_sided": "two-sided", "larger": "larger", "smaller": "smaller"}
    cases = [
        ("power_nobs1_proportions", {"p1": 0.12, "p2": 0.10}, "nobs1", {"power": 0.8}, 0.05, 1.0, "two_sided"),
        ("power_nobs1_ratio", {"p1": 0.055, "p2": 0.05}, "nobs1", {"power": 0.9}, 0.05, 2.5, "two_sided"),
        ("power_nobs1_larger", {"effect_size": 0.05}, "nobs1", {"power": 0.8}, 0.1, 1.0, "larger"),
        ("power_power_means", {"effect_size": 0.2}, "power", {"nobs1": 250.0}, 0.05, 0.5, "two_sided"),
        ("power_power_smaller", {"effect_size": -0.1}, "power", {"nobs1": 1000.0}, 0.01, 1.0, "smaller"),
        ("power_effect_size", {}, "effect_size", {"nobs1": 5000.0, "power": 0.8}, 0.05, 1.0, "two_sided"),
        ("power_effect_size_ratio", {}, "effect_size", {"nobs1": 800.0, "power": 0.95}, 0.05, 3.0, "two_sided"),
    ]
    p = NormalIndPower()
    for name, eff, solve, given, alpha, ratio, alt in cases:
        d = eff.get("effect_size")
        if "p1" in eff:
            d = proportion_effectsize(eff["p1"], eff["p2"])
        kw = dict(alpha=alpha, ratio=ratio, alternative=alt_sm[alt])
        if solve == "power":
            value = p.power(d, given["nobs1"], **kw)
            note = "NormalIndPower.power"
        elif solve == "nobs1":
            sm = p.solve_power(effect_size=d, nobs1=None, power=given["power"], **kw)
            # statsmodels' solver stops near 1e-8 relative: refine on its own power function
            value = scipy.optimize.brentq(lambda n: p.power(d, n, **kw) - given["power"], sm * 0.9, sm * 1.1,
                                          xtol=1e-14, rtol=1e-15)
            assert abs(value - sm) < 1e-5 * sm
            note = "NormalIndPower.solve_power(nobs1=None), refined by scipy brentq on NormalIndPower.power (xtol 1e-14)"
        else:
            sm = p.solve_power(effect_size=None, nobs1=given["nobs1"], power=given["power"], **kw)
            value = scipy.optimize.brentq(lambda e: p.power(e, given["nobs1"], **kw) - given["power"], sm * 0.9,
                                          sm * 1.1, xtol=1e-15, rtol=1e-15)
            assert abs(value - sm) < 1e-3 * abs(sm)
            note = (f"NormalIndPower.solve_power(effect_size=None) gives {sm!r}, whose power is "
                    f"{p.power(sm, given['nobs1'], **kw)!r} (its solver's tolerance, not the target); the value is "
                    f"scipy brentq on NormalIndPower.power to 1e-15, which channelwise matches")
        expected = {"value": f(value)}
        if "p1" in eff:
            expected["effect_size"] = f(d)
            note += "; proportion_effectsize (Cohen's h)"
        out(name, "experiment.power", f"{SM} {note}", {**eff, **given}, {"solve": solve, "alpha": alpha, "ratio": ratio,
            "alternative": alt}, expected, {"abs": 1e-12, "rel": 1e-9})
    error("power_error_power_one", "experiment.power", {"effect_size": 0.1, "power": 1.0},
          {"solve": "nobs1"}, "out_of_range", "power", "power outside (0, 1)")
    error("power_error_alpha_zero", "experiment.power", {"effect_size": 0.1, "nobs1": 100.0},
          {"solve": "power", "alpha": 0.0}, "out_of_range", "alpha", "alpha outside (0, 1)")


# ---------------------------------------------------------------- Bayesian

def beta_binomial_vectors():
    import mpmath as mp
    mp.mp.dps = 30

    def quad_split(fn, a_shape, b_shape):
        # break the range at the posterior means +- a few sds so mpmath's tanh-sinh sees the peaks
        pts = {mp.mpf(0), mp.mpf(1)}
        for al, be in (a_shape, b_shape):
            m = mp.mpf(al) / (al + be)
            sd = mp.sqrt(m * (1 - m) / (al + be + 1))
            for k in (-12, -6, -3, -1, 0, 1, 3, 6, 12):
                x = m + k * sd
                if 0 < x < 1:
                    pts.add(x)
        return mp.quad(fn, sorted(pts))

    cases = [
        ("bayes_binomial_basic", (1000, 100), (1000, 125), (1, 1)),
        ("bayes_binomial_small", (20, 3), (25, 7), (1, 1)),
        ("bayes_binomial_prior", (400, 52), (380, 40), (3, 20)),
        ("bayes_binomial_equal", (50, 5), (50, 5), (1, 1)),
        ("bayes_binomial_half_prior_beta", (300, 31), (310, 45), (2, 0.5)),
        ("bayes_binomial_large", (8000, 244), (8000, 275), (1, 1)),
    ]
    for name, (na, sa), (nb, sb), (pa, pb) in cases:
        A = (mp.mpf(pa) + sa, mp.mpf(pb) + na - sa)
        B = (mp.mpf(pa) + sb, mp.mpf(pb) + nb - sb)

        def pdf(x, s):
            return mp.exp((s[0] - 1) * mp.log(x) + (s[1] - 1) * mp.log1p(-x) - mp.log(mp.beta(*s)))

        def cdf(x, s):
            return mp.betainc(s[0], s[1], 0, x, regularized=True)

        p = quad_split(lambda x: pdf(x, B) * cdf(x, A), A, B)
        mean_a = A[0] / (A[0] + A[1])
        up_a = (A[0] + 1, A[1])
        # E max(X_b - X_a, 0) = int f_B(x) [x F_A(x) - E[X_a] F_{A+1}(x)] dx
        loss_a = quad_split(lambda x: pdf(x, B) * (x * cdf(x, A) - mean_a * cdf(x, up_a)), A, B)
        mean_b = B[0] / (B[0] + B[1])
        loss_b = loss_a - (mean_b - mean_a)
        out(name, "experiment.bayes_binomial",
            f"mpmath {mp.__version__} tanh-sinh quadrature at 30 digits of P(X_b > X_a) = int f_B F_A and "
            f"E max(X_b - X_a, 0) = int f_B(x) (x F_A(x) - E[X_a] F_(A+1)(x)) dx; loss of B = loss of A - (E X_b - E X_a)",
            {"a": {"n": na, "successes": sa}, "b": {"n": nb, "successes": sb}}, {"prior": {"alpha": pa, "beta": pb}},
            {"chance_to_beat_a": float(p), "loss_choosing_a": float(loss_a), "loss_choosing_b": float(loss_b),
             "posterior_a": [float(A[0]), float(A[1])], "posterior_b": [float(B[0]), float(B[1])]},
            {"abs": 1e-11, "rel": 1e-9})
    error("bayes_binomial_error_successes", "experiment.bayes_binomial",
          {"a": {"n": 10, "successes": 12}, "b": {"n": 10, "successes": 1}}, {}, "out_of_range", "a.successes",
          "more successes than trials")
    error("bayes_binomial_error_jeffreys", "experiment.bayes_binomial",
          {"a": {"n": 10, "successes": 2}, "b": {"n": 10, "successes": 1}}, {"prior": {"alpha": 0.5, "beta": 0.5}},
          "invalid_parameter", "prior", "no whole-number posterior shape: the exact sum does not apply (not simulated)")


def effect_result(res) -> dict:
    return {"mean": res.expected, "std_dev": res.uplift.stddev, "ci_lower": res.ci[0], "ci_upper": res.ci[1],
            "chance_to_win": res.chance_to_win, "risk_control": res.risk[0], "risk_treatment": res.risk[1]}


def gbstats_effect_vectors():
    from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig, GaussianPrior
    cases = [
        ("gbstats_effect_flat_relative", {"n": 3000, "successes": 300}, {"n": 3100, "successes": 352},
         dict(difference_type="relative")),
        ("gbstats_effect_flat_absolute", {"n": 1200, "sum": 36150.5, "sum_squares": 2_010_000.25},
         {"n": 1180, "sum": 37400.0, "sum_squares": 2_150_500.0}, dict(difference_type="absolute")),
        ("gbstats_effect_gaussian_relative", {"n": 500, "successes": 60}, {"n": 520, "successes": 80},
         dict(difference_type="relative", prior_type="relative", prior=(0.0, 0.3 ** 2))),
        ("gbstats_effect_gaussian_absolute_prior_relative_effect", {"n": 800, "sum": 4000.0, "sum_squares": 42000.0},
         {"n": 790, "sum": 4150.0, "sum_squares": 45000.0},
         dict(difference_type="relative", prior_type="absolute", prior=(0.1, 0.25))),
        ("gbstats_effect_gaussian_relative_prior_absolute_effect", {"n": 800, "sum": 4000.0, "sum_squares": 42000.0},
         {"n": 790, "sum": 4150.0, "sum_squares": 45000.0},
         dict(difference_type="absolute", prior_type="relative", prior=(0.02, 0.01), alpha=0.1)),
        ("gbstats_effect_inverse", {"n": 2000, "sum": 9000.0, "sum_squares": 60000.0},
         {"n": 2050, "sum": 8900.0, "sum_squares": 58000.0}, dict(difference_type="relative", inverse=True)),
    ]
    for name, a, b, cfg in cases:
        prior = cfg.pop("prior", None)
        gp = GaussianPrior(mean=prior[0], variance=prior[1], proper=True) if prior else GaussianPrior()
        res = EffectBayesianABTest(gbstats_stat(a), gbstats_stat(b),
                                   EffectBayesianConfig(prior_effect=gp, **cfg)).compute_result()
        assert res.error_message is None, res.error_message
        params = {"alpha": cfg.get("alpha", 0.05), "relative": cfg["difference_type"] == "relative",
                  "inverse": cfg.get("inverse", False), "prior_relative": cfg.get("prior_type", "relative") == "relative",
                  "prior": {"mean": prior[0], "variance": prior[1]} if prior else None}
        out(name, "experiment.gbstats_effect",
            "gbstats 0.8.0 EffectBayesianABTest(...).compute_result() (BayesianTestResult: expected, uplift.stddev, ci, "
            "chance_to_win, risk)", {"a": a, "b": b}, params, effect_result(res), {"abs": 1e-12, "rel": 1e-9})
    error("gbstats_effect_error_zero_control", "experiment.gbstats_effect",
          {"a": {"n": 100, "successes": 0}, "b": {"n": 100, "successes": 3}}, {}, "invalid_parameter", "a.mean",
          "a relative effect over a control mean of 0 (gbstats returns its 'baseline is zero' default output)")
    error("gbstats_effect_error_prior_variance", "experiment.gbstats_effect",
          {"a": {"n": 100, "successes": 10}, "b": {"n": 100, "successes": 13}}, {"prior": {"mean": 0, "variance": -1}},
          "out_of_range", "prior.variance", "a prior variance below 0")


# ---------------------------------------------------------------- CUPED

def cuped_arm(rng, n, lift, rho):
    pre = rng.gamma(2.0, 5.0, n)
    post = 2.0 + 0.9 * pre * rho + rng.normal(0, 4.0, n) + lift
    return {"n": n, "sum": float(post.sum()), "sum_squares": float((post * post).sum()),
            "pre_sum": float(pre.sum()), "pre_sum_squares": float((pre * pre).sum()),
            "sum_products": float((post * pre).sum())}


def ra_stat(arm):
    from gbstats.models.statistics import RegressionAdjustedStatistic, SampleMeanStatistic
    return RegressionAdjustedStatistic(
        n=arm["n"], post_statistic=SampleMeanStatistic(n=arm["n"], sum=arm["sum"], sum_squares=arm["sum_squares"]),
        pre_statistic=SampleMeanStatistic(n=arm["n"], sum=arm["pre_sum"], sum_squares=arm["pre_sum_squares"]),
        post_pre_sum_of_products=arm["sum_products"], theta=0)


def cuped_vectors():
    from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig
    from gbstats.frequentist.tests import FrequentistConfig, SequentialConfig, SequentialTwoSidedTTest, TwoSidedTTest
    rng = np.random.default_rng(1504)
    arms = [(cuped_arm(rng, 400, 0.0, 1.0), cuped_arm(rng, 420, 0.8, 1.0)),
            (cuped_arm(rng, 3000, 0.0, 0.4), cuped_arm(rng, 2900, 0.3, 0.4))]
    for k, (a, b) in enumerate(arms):
        for test, rel in (("welch", True), ("welch", False), ("bayes", True), ("sequential", True)):
            sa, sb = ra_stat(a), ra_stat(b)
            dt = "relative" if rel else "absolute"
            if test == "welch":
                t = TwoSidedTTest(sa, sb, FrequentistConfig(difference_type=dt))
            elif test == "bayes":
                t = EffectBayesianABTest(sa, sb, EffectBayesianConfig(difference_type=dt))
            else:
                t = SequentialTwoSidedTTest(sa, sb, SequentialConfig(difference_type=dt, sequential_tuning_parameter=2000))
            res = t.compute_result()
            sa, sb = t.stat_a, t.stat_b
            expected = {"theta": sa.theta, "mean_a": sa.mean, "variance_a": sa.variance, "mean_b": sb.mean,
                        "variance_b": sb.variance, "mean": res.expected, "ci_lower": res.ci[0], "ci_upper": res.ci[1]}
            if test == "bayes":
                expected.update({"chance_to_win": res.chance_to_win, "risk_control": res.risk[0],
                                 "risk_treatment": res.risk[1], "std_dev": res.uplift.stddev})
            else:
                expected.update({"p_value": res.p_value, "std_dev": res.uplift.stddev})
            cls = type(t).__name__
            out(f"cuped_{k}_{test}_{dt}", "experiment.cuped",
                f"gbstats 0.8.0 RegressionAdjustedStatistic with theta from compute_theta (pooled), {cls} "
                f"(difference_type {dt}); arms drawn by numpy default_rng(1504)",
                {"a": a, "b": b}, {"test": test, "relative": rel, "tuning": 2000}, expected, {"abs": 1e-12, "rel": 1e-8})
    bad = dict(arms[0][0])
    bad["pre_sum_squares"] = bad["pre_sum"] ** 2 / bad["n"] * 0.5
    error("cuped_error_pre_variance", "experiment.cuped", {"a": bad, "b": arms[0][1]}, {"test": "welch"},
          "out_of_range", "a.pre_sum_squares", "a pre-period sum of squares below pre_sum^2/n")


# ---------------------------------------------------------------- sequential

def sequential_vectors():
    from gbstats.frequentist.tests import SequentialConfig, SequentialTwoSidedTTest
    cases = [
        ("sequential_relative", {"n": 3000, "successes": 300}, {"n": 3100, "successes": 352}, 0.05, 5000, "relative"),
        ("sequential_absolute", {"n": 1200, "sum": 36150.5, "sum_squares": 2_010_000.25},
         {"n": 1180, "sum": 37400.0, "sum_squares": 2_150_500.0}, 0.05, 5000, "absolute"),
        ("sequential_tuned_small", {"n": 150, "sum": 800.0, "sum_squares": 5200.0},
         {"n": 160, "sum": 1000.0, "sum_squares": 7500.0}, 0.1, 300, "relative"),
        ("sequential_significant", {"n": 5000, "successes": 500}, {"n": 5000, "successes": 600}, 0.05, 5000, "relative"),
        ("sequential_far_past_tuning", {"n": 200000, "successes": 20000}, {"n": 200000, "successes": 20350},
         0.05, 1000, "relative"),
    ]
    for name, a, b, alpha, tuning, dt in cases:
        t = SequentialTwoSidedTTest(gbstats_stat(a), gbstats_stat(b),
                                    SequentialConfig(alpha=alpha, sequential_tuning_parameter=tuning, difference_type=dt))
        res = t.compute_result()
        out(name, "experiment.sequential",
            "gbstats 0.8.0 SequentialTwoSidedTTest(...).compute_result() (Waudby-Smith et al. 2023 eq. 9, 155, 161)",
            {"a": a, "b": b}, {"alpha": alpha, "tuning": tuning, "relative": dt == "relative"},
            {"estimate": res.expected, "std_error": res.uplift.stddev, "ci_lower": res.ci[0], "ci_upper": res.ci[1],
             "p_value": res.p_value}, {"abs": 1e-12, "rel": 1e-9})
    error("sequential_error_tuning", "experiment.sequential", {"a": {"n": 100, "successes": 10}, "b": {"n": 100, "successes": 13}},
          {"tuning": 0}, "out_of_range", "tuning", "a tuning sample size of 0")


def spend(kind, rho, a_side, t):
    if kind == "obf":
        return 2 * st.norm.sf(st.norm.isf(a_side / 2) / math.sqrt(t))
    return a_side * t ** rho


def gs_bounds_legendre(ts, alpha, two_sided, kind, rho, nodes=400):
    """Lan-DeMets bounds by the Armitage-McPherson-Rowe recursion with Gauss-Legendre nodes
    (independent of channelwise's Simpson grid)."""
    sides = 2 if two_sided else 1
    a_side = alpha / sides
    x, w = np.polynomial.legendre.leggauss(nodes)
    bounds, spent, prev_spent = [], [], 0.0
    grid = None  # (points, weights, density) of Z_{k-1} on its continuation region
    for k, t in enumerate(ts):
        target = sides * spend(kind, rho, a_side, t) - prev_spent

        def cross(c):
            if grid is None:
                return sides * st.norm.sf(c)
            z, wz, h = grid
            tp = ts[k - 1]
            up = st.norm.sf((c * math.sqrt(t) - z * math.sqrt(tp)) / math.sqrt(t - tp))
            down = st.norm.sf((c * math.sqrt(t) + z * math.sqrt(tp)) / math.sqrt(t - tp)) if two_sided else 0
            return float(np.sum(wz * h * (up + down)))

        c = scipy.optimize.brentq(lambda c: cross(c) - target, 0.0, 40.0, xtol=1e-15, rtol=1e-15)
        prev_spent += cross(c)
        bounds.append(c)
        spent.append(prev_spent)
        lo = -c if two_sided else -12.0
        z = 0.5 * (c - lo) * x + 0.5 * (c + lo)
        wz = 0.5 * (c - lo) * w
        if grid is None:
            h = st.norm.pdf(z)
        else:
            z0, w0, h0 = grid
            tp = ts[k - 1]
            s = math.sqrt(t - tp)
            h = np.array([np.sum(w0 * h0 * st.norm.pdf((zz * math.sqrt(t) - z0 * math.sqrt(tp)) / s)) for zz in z])
            h *= math.sqrt(t) / s
        grid = (z, wz, h)
    return bounds, spent


def gs_bounds_quad(ts, alpha, two_sided, kind, rho):
    """The first two or three bounds by nested scipy.integrate.quad (a check of the recursion)."""
    sides = 2 if two_sided else 1
    a_side = alpha / sides
    c1 = st.norm.isf(spend(kind, rho, a_side, ts[0]))
    lo1 = -c1 if two_sided else -12.0
    s1, s2 = math.sqrt(ts[0]), math.sqrt(ts[1])
    d12 = math.sqrt(ts[1] - ts[0])

    def tail(c, z, sa, sb, d):
        up = st.norm.sf((c * sb - z * sa) / d)
        return up + (st.norm.sf((c * sb + z * sa) / d) if two_sided else 0)

    def cross2(c):
        return si.quad(lambda z: st.norm.pdf(z) * tail(c, z, s1, s2, d12), lo1, c1, epsabs=1e-15, epsrel=1e-13)[0]

    t2 = sides * (spend(kind, rho, a_side, ts[1]) - spend(kind, rho, a_side, ts[0]))
    c2 = scipy.optimize.brentq(lambda c: cross2(c) - t2, 0.0, 40.0, xtol=1e-14)
    out_b = [c1, c2]
    if len(ts) >= 3:
        s3, d23 = math.sqrt(ts[2]), math.sqrt(ts[2] - ts[1])
        lo2 = -c2 if two_sided else -12.0

        def cross3(c):
            return si.dblquad(lambda z2, z1: st.norm.pdf(z1) * st.norm.pdf((z2 * s2 - z1 * s1) / d12) * s2 / d12
                              * tail(c, z2, s2, s3, d23), lo1, c1, lo2, c2, epsabs=1e-13, epsrel=1e-11)[0]

        t3 = sides * (spend(kind, rho, a_side, ts[2]) - spend(kind, rho, a_side, ts[1]))
        out_b.append(scipy.optimize.brentq(lambda c: cross3(c) - t3, 0.5, 10.0, xtol=1e-12))
    return out_b


def group_sequential_vectors():
    import scipy.integrate as si_mod
    globals()["si"] = si_mod
    cases = [
        ("group_sequential_obf_5_two_sided", [0.2, 0.4, 0.6, 0.8, 1.0], 0.05, True, "obf", None),
        ("group_sequential_obf_3_one_sided", [1 / 3, 2 / 3, 1.0], 0.025, False, "obf", None),
        ("group_sequential_pocock_like_4", [0.25, 0.5, 0.75, 1.0], 0.05, True, "power", 1.0),
        ("group_sequential_power3_unequal", [0.1, 0.35, 0.7, 1.0], 0.05, True, "power", 3.0),
        ("group_sequential_power2_one_sided_partial", [0.3, 0.6, 0.9], 0.05, False, "power", 2.0),
        ("group_sequential_single_look", [1.0], 0.05, True, "obf", None),
    ]
    for name, ts, alpha, two, kind, rho in cases:
        b, spent = gs_bounds_legendre(ts, alpha, two, kind, rho)
        if len(ts) >= 2:
            q = gs_bounds_quad(ts, alpha, two, kind, rho)
            for x, y in zip(q, b):
                assert abs(x - y) < 1e-8, (name, q, b)
        sides = 2 if two else 1
        spending = "o_brien_fleming" if kind == "obf" else {"power": {"rho": rho}}
        out(name, "experiment.group_sequential",
            f"Lan-DeMets bounds (ldbounds' definition: spending per side, symmetric two-sided) by an independent "
            f"Armitage-McPherson-Rowe recursion with 400 Gauss-Legendre nodes per look in make_experiment_vectors.py, "
            f"the first three bounds checked against nested {SCIPY} integrate.quad/dblquad to 1e-8",
            {"information": ts}, {"alpha": alpha, "two_sided": two, "spending": spending},
            {"z": b, "nominal_alpha": [sides * st.norm.sf(c) for c in b], "spent": spent}, {"abs": 1e-8, "rel": 0})
    error("group_sequential_error_not_increasing", "experiment.group_sequential", {"information": [0.5, 0.4, 1.0]}, {},
          "out_of_range", "information[1]", "information fractions not increasing")
    error("group_sequential_error_alpha", "experiment.group_sequential", {"information": [0.5, 1.0]}, {"alpha": 1.0},
          "out_of_range", "alpha", "alpha outside (0, 1)")


if __name__ == "__main__":
    ztests()
    welch_tests()
    chisq_tests()
    power_vectors()
    beta_binomial_vectors()
    gbstats_effect_vectors()
    cuped_vectors()
    sequential_vectors()
    group_sequential_vectors()
