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


if __name__ == "__main__":
    ztests()
    welch_tests()
    chisq_tests()
    power_vectors()
