"""cw.optimize.plan: budgets over several periods with carry-over (the shared vectors, run by
test_vectors.py, check the numbers against scipy; these check the Python surface)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import channelwise as cw

o = cw.optimize


def _channels():
    return {
        "tv": o.Channel(o.MichaelisMenten(alpha=60.0, lam=40.0), o.GeometricAdstock(alpha=0.6, l_max=4, normalize=False)),
        "search": o.MichaelisMenten(alpha=30.0, lam=10.0),
    }


def _brute(budgets, tail=True):
    """tv and search over 2 periods by grid: tv's two spends, search takes the rest."""
    w = [0.6**l for l in range(4)]
    tv, se = o.MichaelisMenten(alpha=60.0, lam=40.0), o.MichaelisMenten(alpha=30.0, lam=10.0)
    best = -1.0
    for a in np.linspace(0, budgets[0], 401):
        for b in np.linspace(0, budgets[1], 401):
            x = [a, b, 0.0, 0.0, 0.0]
            counted = 5 if tail else 2
            ad = [sum(w[l] * x[t - l] for l in range(4) if t - l >= 0) for t in range(counted)]
            r = float(np.sum(tv.value(np.array(ad)))) + float(se.value(budgets[0] - a)) + float(se.value(budgets[1] - b))
            best = max(best, r)
    return best


def test_plan_beats_a_grid_and_holds_every_budget():
    p = o.plan(_channels(), budgets=[40.0, 30.0])
    assert p.certificate["suboptimality"] <= 1e-9
    assert p.total_response >= _brute([40.0, 30.0]) - 1e-9
    np.testing.assert_allclose(p.spend.sum(axis=0).to_numpy(), [40.0, 30.0], rtol=1e-12)
    assert list(p.table.columns) == ["channel", "period", "spend", "response"]
    assert len(p.table) == 4
    assert p.tail["search"] == 0.0 and p.tail["tv"] > 0.0
    assert p.total_response == pytest.approx(p.table["response"].sum() + sum(p.tail.values()), rel=1e-12)
    # without the tail, less response is counted and tv spends less late
    q = o.plan(_channels(), budgets=[40.0, 30.0], tail=False)
    assert q.total_response >= _brute([40.0, 30.0], tail=False) - 1e-9
    assert q.spend.loc["tv", 1] < p.spend.loc["tv", 1]


def test_total_profile_pre_and_bounds():
    free = o.plan(_channels(), total=70.0, periods=2, profile=[1.0, 2.0])
    fixed = o.plan(_channels(), budgets=[35.0, 35.0], profile=[1.0, 2.0])
    assert free.total_response >= fixed.total_response * (1 - 1e-12)
    assert free.spend.to_numpy().sum() == pytest.approx(70.0, rel=1e-12)
    # carry-over in: the same budgets return more
    more = o.plan(_channels(), budgets=[35.0, 35.0], profile=[1.0, 2.0], pre={"tv": [50.0, 50.0]})
    assert more.total_response > fixed.total_response
    # bounds hold in every period, as a scalar or per channel
    b = o.plan(_channels(), budgets=[35.0, 35.0], lower={"search": 20.0}, upper=30.0)
    assert (b.spend.loc["search"] >= 20.0 - 1e-12).all() and (b.spend.to_numpy() <= 30.0 + 1e-12).all()


def test_channel_dicts_series_labels_and_plain_curves():
    budgets = pd.Series([40.0, 30.0, 50.0], index=pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19"]))
    chans = {
        "tv": {"curve": {"kind": "michaelis_menten", "alpha": 60.0, "lam": 40.0},
               "adstock": o.GeometricAdstock(alpha=0.6, l_max=4, normalize=False), "pre": [10.0]},
        "search": o.MichaelisMenten(alpha=30.0, lam=10.0),
    }
    p = o.plan(chans, budgets=budgets)
    assert list(p.spend.columns) == list(budgets.index)
    same = o.plan({"tv": o.Channel(o.MichaelisMenten(alpha=60.0, lam=40.0), o.GeometricAdstock(alpha=0.6, l_max=4, normalize=False),
                                   pre=[10.0]), "search": o.MichaelisMenten(alpha=30.0, lam=10.0)}, budgets=budgets.to_numpy())
    assert same.total_response == pytest.approx(p.total_response, rel=1e-12)


def test_saturation_first_differs_from_adstock_first():
    a = o.plan(_channels(), budgets=[40.0, 30.0, 20.0])
    ch = _channels()
    ch["tv"] = o.Channel(ch["tv"].curve, ch["tv"].adstock, saturation_first=True)
    b = o.plan(ch, budgets=[40.0, 30.0, 20.0])
    assert not math.isclose(a.total_response, b.total_response, rel_tol=1e-6)
    assert b.certificate["suboptimality"] <= 1e-9


def test_fitted_mmm_plans_its_own_channels():
    rng = np.random.default_rng(3)
    n = 80
    tv, search = rng.uniform(0, 100, n), rng.uniform(0, 50, n)
    y = 200 + 3 * np.sqrt(tv) + 4 * np.sqrt(search) + rng.normal(0, 1, n)
    df = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=n, freq="W"), "y": y, "tv": tv, "search": search})
    fit = o.MMM(channels=["tv", "search"], l_max=4, uncertainty=None).fit(df)
    p = o.plan(fit, budgets=[80.0] * 4)
    assert p.channels == ["tv", "search"]
    assert p.certificate["suboptimality"] <= 1e-6
    np.testing.assert_allclose(p.spend.sum(axis=0).to_numpy(), [80.0] * 4, rtol=1e-12)
    # the model's carry-over can be replaced: none before the horizon returns less
    none = o.plan(fit, budgets=[80.0] * 4, pre={"tv": [], "search": []})
    assert none.total_response < p.total_response


def test_errors_are_typed_and_name_the_field():
    with pytest.raises(cw.OutOfRangeError, match=r"budgets\[1\]"):
        o.plan(_channels(), budgets=[40.0, -5.0])
    with pytest.raises(cw.LengthMismatchError, match="profile"):
        o.plan(_channels(), budgets=[40.0, 30.0, 30.0], profile=[1.0, 1.2])
    with pytest.raises(cw.NonFiniteError, match=r"search\.pre\[2\]"):
        o.plan(_channels(), budgets=[40.0, 30.0], pre={"search": [1.0, 2.0, math.nan]})
    with pytest.raises(cw.InvalidParameterError, match="periods"):
        o.plan(_channels(), total=100.0, periods=0)
    with pytest.raises(cw.InvalidParameterError, match="budgets"):
        o.plan(_channels(), budgets=[1.0], total=1.0)
    with pytest.raises(cw.InvalidParameterError, match="periods"):
        o.plan(_channels(), total=1.0)
    with pytest.raises(cw.InvalidParameterError, match=r"tv\.curve"):
        o.plan({"tv": o.Channel(o.Hill(beta=10.0, half_saturation=5.0, slope=2.0), o.GeometricAdstock(alpha=0.5))}, budgets=[1.0])
    with pytest.raises(cw.InvalidParameterError, match="lower"):
        o.plan(_channels(), budgets=[1.0], lower={"radio": 1.0})
    with pytest.raises(cw.InvalidParameterError, match=r"budgets\[0\].*lower bounds"):
        o.plan(_channels(), budgets=[1.0, 10.0], lower=2.0)
    with pytest.raises(TypeError, match="Channel"):
        o.plan({"tv": 3.0}, budgets=[1.0])
    with pytest.raises(TypeError, match="FittedMMM"):
        o.plan([o.MichaelisMenten(alpha=1.0, lam=1.0)], budgets=[1.0])


def test_max_iter_reached_warns():
    with pytest.warns(RuntimeWarning, match="max_iter"):
        p = o.plan(_channels(), budgets=[40.0, 30.0], max_iter=1, tolerance=1e-15)
    assert p.certificate["iterations"] == 1


def test_plot_stacks_spend_per_period():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    p = o.plan(_channels(), budgets=[40.0, 30.0, 50.0])
    fig = p.plot()
    ax = fig.axes[0]
    assert len(ax.patches) == 6  # 2 channels x 3 periods
    tops = {round(r.get_x() + r.get_width() / 2): r.get_y() + r.get_height() for r in ax.patches}
    assert [tops[i] for i in range(3)] == pytest.approx([40.0, 30.0, 50.0], rel=1e-9)
