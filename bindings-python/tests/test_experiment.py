"""cw.experiment: A/B tests from dicts, tables (pandas, polars) and raw values, a row per
comparison; Bayesian comparisons, power, CUPED, sequential tests; the bandit's seeded state in
the core's JSON document; typed errors naming the field and value; plots (Agg). The reference
numbers are the shared vectors' job (tests/vectors/experiment/, run by test_vectors.py)."""

from __future__ import annotations

import json
import math
import pickle
from statistics import NormalDist

import numpy as np
import pandas as pd
import polars as pl
import pytest

import channelwise as cw


def test_readme_example(capsys):
    # START: readme-python-experiment
    import pandas as pd
    import channelwise as cw

    # Sufficient statistics per arm, as a warehouse query returns them
    arms = pd.DataFrame({"arm": ["control", "red", "blue"], "n": [5000, 5000, 5000], "successes": [500, 560, 610]})
    z = cw.experiment.ztest(arms)  # a row per arm against the control (the first row)
    print(z[["arm", "p_value", "rel_estimate", "rel_ci_lower", "rel_ci_upper"]].round(4))
    b = cw.experiment.bayes(arms, control="control")  # gbstats: chance to win, risk of each choice
    print(b[["arm", "chance_to_win", "risk_treatment"]].round(4))
    n1 = cw.experiment.power(p1=0.11, p2=0.10, power=0.8)  # units per arm (statsmodels' NormalIndPower)

    # Peek every day without inflating false positives: an always-valid confidence sequence
    days = pd.DataFrame({"look": pd.date_range("2026-03-01", periods=4), "n": [1000, 2000, 3000, 4000],
                         "successes": [100, 205, 300, 410]})
    treated = days.assign(successes=[125, 260, 390, 530])
    seq = cw.experiment.sequential(days, treated, tuning=8000)  # z.plot() and seq.plot() draw them

    # A bandit for the next impression; its state is the core's JSON, read by every binding
    bandit = cw.experiment.Bandit(policy="thompson", arms=["red", "blue"], seed=0)
    for _ in range(500):
        arm = bandit.choose()
        bandit.update(arm, reward=1.0 if arm == "blue" and bandit.decisions % 3 == 0 else 0.0)
    print(bandit.weights().round(2))
    resumed = cw.experiment.Bandit.from_json(bandit.to_json())
    assert resumed.choose() == bandit.choose()  # same state, same next choice
    # END: readme-python-experiment
    out = capsys.readouterr().out
    assert "blue" in out and "chance_to_win" in out
    t = z.table
    assert list(t["arm"]) == ["red", "blue"] and set(t["control"]) == {"control"}
    assert t["p_value"].iloc[1] < 0.01 < t["p_value"].iloc[0]
    # the one-tail closed form ((z_.975 + z_.8) / h)^2 * 2; the far tail's power makes the exact n a little smaller
    h = 2 * math.asin(math.sqrt(0.11)) - 2 * math.asin(math.sqrt(0.10))
    closed = (NormalDist().inv_cdf(0.975) + NormalDist().inv_cdf(0.8)) ** 2 * 2 / h**2
    assert closed - 0.1 < n1 < closed
    assert list(seq.table["look"]) == list(days["look"]) and seq.table["significant"].iloc[-1]
    assert bandit.weights().set_index("arm")["weight"]["blue"] > 0.9


def test_two_arms_tables_and_raw_values_agree():
    a, b = {"n": 300, "sum": 1500.0, "sum_squares": 10000.0}, {"n": 320, "sum": 1700.0, "sum_squares": 11500.0}
    two = cw.experiment.welch(a, b).table
    assert list(two["arm"]) == ["b"] and list(two["control"]) == ["a"]
    table = cw.experiment.welch({"arm": ["a", "b"], "n": [300, 320], "sum": [1500.0, 1700.0],
                                 "sum_squares": [10000.0, 11500.0]}).table
    pd.testing.assert_frame_equal(two, table)
    by_name = cw.experiment.welch({"a": a, "b": b}).table
    pd.testing.assert_frame_equal(two, by_name)
    polars = cw.experiment.welch(pl.DataFrame({"arm": ["a", "b"], "n": [300, 320], "sum": [1500.0, 1700.0],
                                               "sum_squares": [10000.0, 11500.0]})).table
    assert isinstance(polars, pl.DataFrame) and polars["p_value"].to_list() == two["p_value"].tolist()
    rng = np.random.default_rng(3)
    x, y = rng.normal(5, 2, 200), rng.normal(5.4, 2, 220)
    raw = cw.experiment.welch(x, pd.Series(y)).table
    sums = cw.experiment.welch({"n": 200, "sum": x.sum(), "sum_squares": (x * x).sum()},
                               {"n": 220, "sum": y.sum(), "sum_squares": (y * y).sum()}).table
    assert np.allclose(raw.drop(columns=["arm", "control"]).to_numpy(float), sums.drop(columns=["arm", "control"]).to_numpy(float), rtol=1e-9)
    outcomes = cw.experiment.ztest([1, 0, 0, 1, 0, 0, 0, 0], [1, 1, 0, 1, 0, 1, 1, 0]).table
    counts = cw.experiment.ztest({"n": 8, "successes": 2}, {"n": 8, "successes": 5}).table
    pd.testing.assert_frame_equal(outcomes, counts)
    # the relative effect needs a control mean; ztest leaves it NaN when the control never converts
    zero = cw.experiment.ztest({"n": 100, "successes": 0}, {"n": 100, "successes": 5}).table
    assert np.isnan(zero["rel_estimate"].iloc[0]) and zero["abs_estimate"].iloc[0] == 0.05


def test_alternatives_chi_square_and_beta_binomial():
    a, b = {"n": 5000, "successes": 500}, {"n": 5100, "successes": 560}
    two = cw.experiment.ztest(a, b)["p_value"].iloc[0]
    larger = cw.experiment.ztest(a, b, alternative="larger")["p_value"].iloc[0]
    assert cw.experiment.ztest(a, b, alternative="two-sided")["p_value"].iloc[0] == two
    assert abs(larger - two / 2) < 1e-15
    assert cw.experiment.ztest(a, b, alpha=0.01)["abs_ci_lower"].iloc[0] < cw.experiment.ztest(a, b)["abs_ci_lower"].iloc[0]
    chi = cw.experiment.chisq([a, b])
    assert isinstance(chi, cw.experiment.ChiSquare) and chi.df == 1.0
    assert abs(chi.statistic - cw.experiment.ztest(a, b)["statistic"].iloc[0] ** 2) < 1e-9  # 2 arms: z^2
    assert cw.experiment.chisq({"x": a, "y": b}) == chi
    bb = cw.experiment.beta_binomial(a, b, prior_alpha=1, prior_beta=1).table.iloc[0]
    assert 0.5 < bb["chance_to_beat_control"] < 1 and bb["loss_choosing_arm"] < bb["loss_choosing_control"]
    assert (bb["posterior_alpha"], bb["posterior_beta"]) == (561.0, 4541.0)
    eb = cw.experiment.bayes(a, b, prior=(0.0, 0.09)).table.iloc[0]
    flat = cw.experiment.bayes(a, b).table.iloc[0]
    assert abs(eb["estimate"]) < abs(flat["estimate"])  # a prior at 0 shrinks
    assert cw.experiment.bayes(a, b, inverse=True).table["chance_to_win"].iloc[0] == pytest.approx(1 - flat["chance_to_win"], abs=1e-12)


def test_power_cuped_and_group_sequential():
    n = cw.experiment.power(effect_size=0.1, power=0.8)
    assert cw.experiment.power(effect_size=0.1, nobs1=n) == pytest.approx(0.8, abs=1e-9)
    assert cw.experiment.power(nobs1=n, power=0.8) == pytest.approx(0.1, abs=1e-9)
    assert cw.experiment.power(effect_size=0.1, power=0.8, ratio=2.0) < n
    h = cw.experiment.proportion_effectsize(0.12, 0.10)
    assert cw.experiment.power(p1=0.12, p2=0.10, power=0.8) == cw.experiment.power(effect_size=h, power=0.8)
    with_cuped = cw.experiment.power(effect_size=cw.experiment.cuped_effect_size(0.1, 0.6), power=0.8)
    assert with_cuped / n == pytest.approx(0.64, rel=1e-9)
    a = {"n": 100, "sum": 1050.0, "sum_squares": 12000.0, "pre_sum": 1000.0, "pre_sum_squares": 11000.0, "sum_products": 11400.0}
    b = {"n": 100, "sum": 1120.0, "sum_squares": 13400.0, "pre_sum": 1010.0, "pre_sum_squares": 11200.0, "sum_products": 12100.0}
    c = cw.experiment.cuped(a, b)
    assert c.theta > 0 and list(c.table["arm"]) == ["a", "b"] and c.a["unadjusted_mean"] == 10.5
    plain = cw.experiment.welch({k: a[k] for k in ("n", "sum", "sum_squares")}, {k: b[k] for k in ("n", "sum", "sum_squares")})
    adjusted = c.welch()
    assert adjusted["abs_std_error"].iloc[0] < plain["abs_std_error"].iloc[0]
    assert c.welch()["p_value"].iloc[0] == cw.experiment.welch(c.a, c.b)["p_value"].iloc[0]
    assert len(c.bayes()) == 1 and len(c.sequential()) == 1
    bounds = cw.experiment.group_sequential([0.25, 0.5, 0.75, 1.0], spending="power", rho=1.0)
    assert list(bounds.table.columns) == ["look", "information", "z", "nominal_alpha", "spent"]
    assert bounds["spent"].iloc[-1] == pytest.approx(0.05, abs=1e-12)
    obf = cw.experiment.group_sequential(np.array([0.5, 1.0]), two_sided=False, alpha=0.025)
    assert obf["z"].iloc[0] > obf["z"].iloc[1]


def test_sequential_looks():
    control = [{"n": 1000 * k, "successes": 100 * k} for k in range(1, 6)]
    treated = [{"n": 1000 * k, "successes": 112 * k} for k in range(1, 6)]
    s = cw.experiment.sequential(control, treated, looks=["d1", "d2", "d3", "d4", "d5"], relative=False)
    t = s.table
    assert list(t["look"]) == ["d1", "d2", "d3", "d4", "d5"] and not s.relative
    widths = (t["ci_upper"] - t["ci_lower"]).to_numpy()
    assert (np.diff(widths) < 0).all()  # more data, a tighter sequence
    assert ((t["ci_lower"] <= t["estimate"]) & (t["estimate"] <= t["ci_upper"])).all()
    one = cw.experiment.sequential(control[-1], treated[-1], relative=False).table
    assert one["ci_lower"].iloc[0] == t["ci_lower"].iloc[-1]
    p = cw.experiment.sequential(pl.DataFrame(control), pl.DataFrame(treated)).table
    assert isinstance(p, pl.DataFrame) and p["look"].to_list() == [1, 2, 3, 4, 5]
    # tables with a look column are paired by look, not by row (b's rows were paired by
    # position, so b's day 2 met a's day 1); looks one arm lacks, or has twice, are refused
    days = [f"2024-01-0{k}" for k in range(1, 6)]
    a = pd.DataFrame(control).assign(look=days)
    b = pd.DataFrame(treated).assign(look=days)
    by_row = cw.experiment.sequential(a, b).table
    shuffled = cw.experiment.sequential(a, b.iloc[::-1]).table
    assert shuffled.equals(by_row) and list(shuffled["look"]) == days
    with pytest.raises(cw.InvalidParameterError, match=r'invalid b\.look: "2024-01-01" \(a has this look and b has not'):
        cw.experiment.sequential(a, b.assign(look=[f"2024-03-0{k}" for k in range(1, 6)]))
    with pytest.raises(cw.InvalidRecordError, match=r'row 4, column look: "2024-01-01" \(b has this look at row 0 too\)'):
        cw.experiment.sequential(a, b.assign(look=days[:4] + days[:1]))


def test_raw_values_far_from_zero_and_impossible_cuped_sums():
    # raw values with a large offset (micros, timestamps): the test of the shifted values. Their
    # sums cancelled before (t 2.38 against 7.78 at 1e8)
    a = np.array([i % 10 for i in range(1000)], dtype=float)
    b = a + 1.0
    base = cw.experiment.welch(a, b)["statistic"][0]
    assert base == pytest.approx(1.0 / (2 * 8.25 / 999) ** 0.5, rel=1e-12)
    for shift in (1e8, 1e10):
        assert cw.experiment.welch(a + shift, b + shift)["statistic"][0] == pytest.approx(base, rel=1e-6)
    arm = dict(n=100, sum=100, sum_squares=300, pre_sum=100, pre_sum_squares=300)
    with pytest.raises(cw.OutOfRangeError, match=r"^a\.sum_products must be in \[-100, 300\], got 1000000"):
        cw.experiment.cuped({**arm, "sum_products": 1e6}, {**arm, "sum_products": 150})


def test_bandit_same_seed_same_choices_and_state_round_trip():
    def run(seed):
        b = cw.experiment.Bandit("epsilon_greedy", ["a", "b", "c"], seed=seed, epsilon=0.3, decay=0.01)
        picks = []
        for i in range(300):
            arm = b.choose()
            picks.append(arm)
            b.update(arm, float(arm == "c") + 0.1 * (i % 3))
        return b, picks

    b1, p1 = run(7)
    b2, p2 = run(7)
    assert p1 == p2 and b1 == b2 and b1.to_json() == b2.to_json()
    assert run(8)[1] != p1
    doc = json.loads(b1.to_json())
    assert doc["policy"] == {"name": "epsilon_greedy", "epsilon": 0.3, "decay": 0.01} == b1.policy
    assert doc["rng"]["seed"] == 7 and [a["id"] for a in doc["arms"]] == ["a", "b", "c"]
    resumed = cw.experiment.Bandit.from_json(b1.to_json())
    copied = pickle.loads(pickle.dumps(b1))
    assert [resumed.choose() for _ in range(50)] == [b1.choose() for _ in range(50)] == [copied.choose() for _ in range(50)]
    # the document as the core writes it (its docs' example): any binding's state resumes here
    core_doc = ('{"format":1,"policy":{"name":"ucb1","alpha":1.0},"discount":1.0,"decisions":2,"updates":1,'
                '"rng":{"seed":7,"stream":0,"word_pos":2},'
                '"arms":[{"id":"a","n":1.0,"sum":1.0,"sum_sq":1.0},{"id":"b","n":0.0,"sum":0.0,"sum_sq":0.0}]}')
    u = cw.experiment.Bandit.from_json(core_doc)
    assert u.to_json() == core_doc and u.choose() == "b"  # UCB1 tries the untried arm
    assert repr(u) == "Bandit(policy='ucb1', arms=['a', 'b'], decisions=3, updates=1)"


def test_bandit_batches_weights_arms_and_contexts():
    one = cw.experiment.Bandit("thompson", ["x", "y"], seed=1)
    batch = cw.experiment.Bandit("thompson", ["x", "y"], seed=1)
    arms, rewards = ["x", "y", "y", "x", "y"], [0.0, 1.0, 1.0, 1.0, 0.0]
    for a, r in zip(arms, rewards):
        one.update(a, r)
    batch.update_batch(arms, np.array(rewards))
    assert one == batch
    table = cw.experiment.Bandit("thompson", ["x", "y"], seed=1)
    table.update_batch(pd.DataFrame({"arm": arms, "reward": rewards}))
    assert table == one
    s = one.summary()
    assert s.set_index("arm")["count"].to_dict() == {"x": 2.0, "y": 3.0}
    w = one.weights(draws=2000)
    assert list(w["arm"]) == ["x", "y"] and w["weight"].sum() == pytest.approx(1.0)
    assert list(one.weights(available=["y"])["weight"]) == [1.0]
    assert one.choose(available=["y"]) == "y"
    one.add_arm("z")
    assert one.arms == ["x", "y", "z"]
    one.remove_arm("x")
    assert one.arms == ["y", "z"]
    top = cw.experiment.Bandit("top_two_thompson", ["a", "b", "c"], floor=0.1)
    top.update_batch(["a"] * 50 + ["b"] * 50, [1.0] * 50 + [0.0] * 50)
    assert top.weights()["weight"].min() >= 0.1
    lin = cw.experiment.Bandit("lin_ucb", ["p", "q"], seed=0, dim=2, alpha=0.5)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    chosen = []
    for x in X:
        arm = lin.choose(context=x)
        chosen.append(arm)
        lin.update(arm, float(x[0] > 0) if arm == "p" else float(x[0] <= 0), context=x)
    assert lin.decisions == 200 and lin.policy["dim"] == 2
    again = cw.experiment.Bandit("lin_ucb", ["p", "q"], seed=0, dim=2, alpha=0.5)
    again.update_batch(chosen, [float(x[0] > 0) if a == "p" else float(x[0] <= 0) for a, x in zip(chosen, X)], X)
    assert json.loads(again.to_json())["arms"] == json.loads(lin.to_json())["arms"]
    assert cw.experiment.Bandit({"name": "softmax", "tau": 0.5}, ["a"]).policy == {"name": "softmax", "tau": 0.5}


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda: cw.experiment.ztest({"n": 10, "successes": 3}, {"n": 10, "successes": 11}), cw.OutOfRangeError,
         "b.successes must be in [0, 10], got 11"),
        (lambda: cw.experiment.ztest({"arm": ["ctl", "new"], "n": [0, 10], "successes": [0, 1]}), cw.OutOfRangeError, "ctl.n"),
        (lambda: cw.experiment.welch({"n": 3, "sum": 6.0, "sum_squares": 11.0}, {"n": 3, "sum": 6, "sum_squares": 14}),
         cw.OutOfRangeError, "a.sum_squares must be in [12, inf], got 11"),
        (lambda: cw.experiment.welch({"n": 3, "sum": float("nan"), "sum_squares": 1.0}, {"n": 3, "sum": 6, "sum_squares": 14}),
         cw.NonFiniteError, "a.sum"),
        (lambda: cw.experiment.ztest({"n": 10, "successes": 3}, {"n": 10, "successes": 4}, alpha=1.5), cw.OutOfRangeError, "alpha"),
        (lambda: cw.experiment.ztest({"n": 10, "successes": 3}, {"n": 10, "successes": 4}, alternative="bigger"),
         cw.InvalidParameterError, "alternative"),
        (lambda: cw.experiment.ztest([0, 1, 2], [1, 0]), cw.InvalidParameterError, "a.outcomes[2]"),
        (lambda: cw.experiment.ztest({"n": 10, "sum": 3, "sum_squares": 3}, {"n": 10, "successes": 4}),
         cw.InvalidParameterError, "invalid a"),
        (lambda: cw.experiment.ztest({"n": 10}, {"n": 10, "successes": 4}), cw.InvalidParameterError, "invalid a"),
        (lambda: cw.experiment.welch({"n": 10, "sum": 3}, {"n": 10, "successes": 4}), cw.InvalidParameterError, "a.sum_squares"),
        (lambda: cw.experiment.ztest({"n": "ten", "successes": 3}, {"n": 10, "successes": 4}), cw.InvalidParameterError, "a.n"),
        (lambda: cw.experiment.ztest({"arm": ["a"], "n": [10], "successes": [1]}), cw.NotEnoughDataError, "2 arms"),
        (lambda: cw.experiment.ztest({"arm": ["a", "b"], "n": [10, 10], "successes": [1, 2]}, control="c"),
         cw.InvalidParameterError, "control"),
        (lambda: cw.experiment.power(effect_size=0.1, power=1.0), cw.OutOfRangeError, "power"),
        (lambda: cw.experiment.power(effect_size=0.1), cw.InvalidParameterError, "exactly one"),
        (lambda: cw.experiment.group_sequential([0.5, 0.4, 1.0]), cw.OutOfRangeError, "information[1]"),
        (lambda: cw.experiment.group_sequential([1.0], spending="pocock"), cw.InvalidParameterError, "spending"),
        (lambda: cw.experiment.sequential({"n": 100, "successes": 10}, {"n": 100, "successes": 13}, tuning=0),
         cw.OutOfRangeError, "tuning"),
        (lambda: cw.experiment.sequential([{"n": 100, "successes": 10}] * 2, [{"n": 100, "successes": 13}]),
         cw.LengthMismatchError, "b has 1"),
        (lambda: cw.experiment.cuped({"n": 10}, {}), cw.InvalidParameterError, "a.sum"),
        (lambda: cw.experiment.beta_binomial({"n": 10, "successes": 2}, {"n": 10, "successes": 1}, prior_alpha=0.5, prior_beta=0.5),
         cw.InvalidParameterError, "prior"),
    ],
)
def test_bad_input_names_field_and_value(call, error, text):
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


@pytest.mark.parametrize(
    "call, error, text",
    [
        (lambda b: b.update("purple", 1.0), cw.InvalidParameterError, "purple"),
        (lambda b: b.update("red", 2.0), cw.OutOfRangeError, "reward must be in [0, 1], got 2"),
        (lambda b: b.update_batch(["red", "blue"], [1.0, -0.5]), cw.OutOfRangeError, "feedback[1].reward"),
        (lambda b: b.update_batch(["red", "blue"], [1.0]), cw.LengthMismatchError, "rewards"),
        (lambda b: b.choose(context=[1.0, 2.0]), cw.InvalidParameterError, "context"),
        (lambda b: b.choose(available=["red", "nope"]), cw.InvalidParameterError, "available[1]"),
        (lambda b: b.choose(available=[]), cw.NotEnoughDataError, "arms available"),
        (lambda b: b.add_arm("red"), cw.InvalidParameterError, "red"),
        (lambda b: cw.experiment.Bandit("lin_ucb", ["a"], dim=2).choose(context=[1.0]), cw.LengthMismatchError, "context"),
        (lambda b: cw.experiment.Bandit("lin_ucb", ["a"]), cw.InvalidParameterError, "dim"),
        (lambda b: cw.experiment.Bandit("thompson", ["a"], alpha=-1), cw.OutOfRangeError, "alpha"),
        (lambda b: cw.experiment.Bandit("thompson", ["a"], gamma=1), cw.InvalidParameterError, "gamma"),
        (lambda b: cw.experiment.Bandit("exp3", ["a"]), cw.InvalidParameterError, "exp3"),
        (lambda b: cw.experiment.Bandit("thompson", ["a", "a"]), cw.InvalidParameterError, "a"),
        (lambda b: cw.experiment.Bandit("thompson", ["a"], seed=-1), cw.OutOfRangeError, "seed"),
        (lambda b: cw.experiment.Bandit("thompson", ["a"], discount=0.0), cw.InvalidParameterError, "discount"),
        (lambda b: cw.experiment.Bandit.from_json('{"format": 1}'), cw.InvalidParameterError, "state"),
        (lambda b: b.weights(draws=-1), cw.OutOfRangeError, "draws"),
        (lambda b: b.weights(draws=0), cw.OutOfRangeError, "draws"),
    ],
)
def test_bandit_bad_input(call, error, text):
    b = cw.experiment.Bandit("thompson", ["red", "blue"], seed=0)
    before = b.to_json()
    with pytest.raises(error) as info:
        call(b)
    assert text in str(info.value)
    if not isinstance(info.value, cw.NotEnoughDataError):
        assert b.to_json() == before or text == "red"  # a refused batch changes nothing


def test_plots():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    arms = {"arm": ["c", "t1", "t2"], "n": [4000, 4000, 4000], "successes": [400, 450, 380]}
    ax = cw.experiment.ztest(arms).plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["t1 vs c", "t2 vs c"]
    assert cw.experiment.welch(arms).plot(effect="absolute").get_xlabel() == "absolute effect"
    assert "posterior" in cw.experiment.bayes(arms).plot().get_xlabel()
    assert len(cw.experiment.beta_binomial(arms).plot().get_lines()) == 3
    with pytest.raises(cw.InvalidParameterError, match="effect"):
        cw.experiment.ztest(arms).plot(effect="odds")
    seq = cw.experiment.sequential([{"n": 1000 * k, "successes": 100 * k} for k in range(1, 4)],
                                   [{"n": 1000 * k, "successes": 110 * k} for k in range(1, 4)])
    assert seq.plot().get_ylabel() == "relative effect"
    assert len(cw.experiment.group_sequential([0.5, 1.0]).plot().get_lines()) >= 2
    plt.close("all")


def test_docstring_examples_run():
    import doctest

    for mod in (cw.experiment, cw.platform):
        r = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert r.failed == 0 and r.attempted > 0, mod.__name__
