"""cw.optimize.recommend and cw.optimize.insights: budget moves from an allocation (with an
interval and a confidence from posterior draws), bid changes from a fitted bid model, targeting
and creative rotation by their tests, the insights digest, guardrails that hold, and bad input
named by its field."""

import doctest
import importlib
import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

import channelwise as cw


def mm(alpha, lam):
    return cw.optimize.MichaelisMenten(alpha=alpha, lam=lam)


def test_budget_moves_follow_the_allocation_and_cite_it():
    a = cw.optimize.allocate({"search": mm(1.0, 1.0), "social": mm(4.0, 1.0)}, budget=4.0,
                             current={"search": 2.0, "social": 2.0})
    r = cw.optimize.recommend(allocation=a)
    rows = list(r)
    assert [(x["kind"], x["target"], x["from"]) for x in rows] == [("budget", "search", 2.0), ("budget", "social", 2.0)]
    # the moves are the allocation's (x = (1, 3) by hand) and the impact is the curve's change
    assert [x["to"] for x in rows] == pytest.approx([1.0, 3.0], abs=1e-9)
    assert rows[1]["impact"] == pytest.approx(4 * 3 / 4 - 4 * 2 / 3, rel=1e-9)
    assert rows[0]["impact"] == pytest.approx(1 / 2 - 2 / 3, rel=1e-9)
    assert all(not x["clipped"] for x in rows)
    assert "social" in rows[1]["reason"] and "3" in rows[1]["reason"]
    assert list(r.table.columns) == ["kind", "target", "from", "to", "impact", "impact_lo", "impact_hi",
                                     "confidence", "reason", "clipped"]
    # a guardrail of 20% clips both moves and says so; nothing leaves [0.8, 1.2] x today
    g = cw.optimize.recommend(allocation=a, guardrails={"max_budget_change": 0.2})
    for x in g:
        assert x["clipped"] and 0.8 * x["from"] - 1e-12 <= x["to"] <= 1.2 * x["from"] + 1e-12
    # min_change drops moves smaller than it
    assert len(cw.optimize.recommend(allocation=a, guardrails={"min_change": 0.9})) == 0


def test_budget_moves_with_draws_have_an_interval_and_a_confidence():
    rng = np.random.default_rng(5)
    curves = {"search": mm(rng.normal(1.0, 0.1, 300), 1.0), "social": mm(rng.normal(4.0, 0.4, 300), 1.0)}
    a = cw.optimize.allocate(curves, budget=4.0, current={"search": 2.0, "social": 2.0})
    r = list(cw.optimize.recommend(allocation=a))
    social = next(x for x in r if x["target"] == "social")
    assert social["impact_lo"] < social["impact"] < social["impact_hi"]
    assert 0.5 < social["confidence"] <= 1.0


def test_bid_changes_targeting_creatives_together():
    cells = pd.DataFrame({
        "device": ["mobile", "mobile", "desktop", "desktop"],
        "daypart": ["evening", "morning", "evening", "morning"],
        "clicks": [4000, 3000, 2000, 1500],
        "conversions": [60, 30, 50, 30],
        "value": [3000.0, 1500.0, 2500.0, 1500.0],
    })
    model = cw.optimize.BidModel(["device", "daypart"], target=("cpa", 40.0)).fit(cells)
    contexts = pd.DataFrame({"device": ["mobile", "desktop"], "daypart": ["evening", "morning"], "current_bid": [0.5, 0.5]})
    segments = pl.DataFrame({"segment": ["a", "b", "c"], "clicks": [5000.0, 5000.0, 5000.0],
                             "conversions": [150.0, 140.0, 40.0], "cost": [2500.0, 2500.0, 2500.0]})
    days = 28
    creatives = pd.DataFrame({
        "creative": ["tired"] * days + ["fresh"] * days,
        "impressions": [10000.0] * (2 * days),
        "clicks": [300.0 - 8.0 * d for d in range(days)] + [200.0 + (d % 3) for d in range(days)],
    })
    r = cw.optimize.recommend(bids=(model, contexts), segments=segments, creatives=creatives,
                              guardrails={"max_bid_change": 0.5})
    kinds = [x["kind"] for x in r]
    assert kinds == sorted(kinds, key=["bid", "targeting", "creative"].index)
    bids = [x for x in r if x["kind"] == "bid"]
    for x in bids:
        assert abs(x["to"] - 0.5) <= 0.25 + 1e-12  # the guardrail holds
        want = model.bid(x["target"].split(" / "), 0.5).bid
        assert x["to"] == pytest.approx(min(max(want, 0.25), 0.75), rel=1e-12)
    targeting = [x for x in r if x["kind"] == "targeting"]
    assert [x["target"] for x in targeting] == ["c"] and targeting[0]["confidence"] > 0.99
    assert "z" in targeting[0]["reason"] or "test" in targeting[0]["reason"]
    creative = [x for x in r if x["kind"] == "creative"]
    assert [x["target"] for x in creative] == ["tired"] and "Mann-Kendall" in creative[0]["reason"]
    # the same tables as records (lists of dicts) give the same recommendations
    records = lambda df: (df.to_pandas() if isinstance(df, pl.DataFrame) else df).to_dict("records")  # noqa: E731
    again = cw.optimize.recommend(bids=(model, records(contexts)), segments=records(segments),
                                  creatives=records(creatives), guardrails={"max_bid_change": 0.5})
    assert list(again) == list(r)


def test_insights_rank_by_money_and_cite_the_test():
    periods = 8
    rows = []
    for ch, base in (("search", 100.0), ("social", 50.0)):
        for p in range(periods):
            conv = base if not (ch == "search" and p == periods - 1) else base * 0.4
            rows.append({"channel": ch, "period": p, "spend": 1000.0, "conversions": conv, "value": conv * 20.0})
    df = pd.DataFrame(rows).sample(frac=1.0, random_state=1)  # order does not matter
    out = cw.optimize.insights(df)
    assert list(out.columns) == ["kind", "channels", "money", "p_value", "sentence"]
    assert len(out) >= 1
    assert list(out["money"]) == sorted(out["money"], reverse=True)
    top = out.iloc[0]
    assert "search" in top["channels"] and top["p_value"] < 0.05
    assert out.equals(cw.optimize.insights(df.to_dict("records")))  # records: the same
    assert isinstance(top["sentence"], str) and len(top["sentence"]) > 20


def test_bad_input_is_typed_and_named():
    a = cw.optimize.allocate({"search": mm(1.0, 1.0), "social": mm(4.0, 1.0)}, budget=4.0)
    with pytest.raises(cw.InvalidParameterError, match=r"current"):
        cw.optimize.recommend(allocation=a)  # no current spend to move from
    b = cw.optimize.allocate({"search": mm(1.0, 1.0), "social": mm(4.0, 1.0)}, budget=4.0, current=2.0)
    with pytest.raises(cw.OutOfRangeError, match=r"guardrails\.min_change"):
        cw.optimize.recommend(allocation=b, guardrails={"min_change": 2.0})
    with pytest.raises(cw.InvalidParameterError, match=r"guardrails\.max_move"):
        cw.optimize.recommend(allocation=b, guardrails={"max_move": 0.1})
    with pytest.raises(TypeError, match=r"allocation"):
        cw.optimize.recommend(allocation={"search": 1.0})
    with pytest.raises(cw.NonFiniteError, match=r"segments\[1\]"):
        cw.optimize.recommend(segments=pd.DataFrame({"segment": ["a", "b"], "clicks": [10.0, math.nan],
                                                     "conversions": [1.0, 1.0], "cost": [1.0, 1.0]}))
    with pytest.raises(cw.NotEnoughDataError):
        cw.optimize.insights(pd.DataFrame({"channel": ["a"] * 3, "period": [0, 1, 2], "spend": [1.0] * 3,
                                           "conversions": [1.0] * 3, "value": [1.0] * 3}))


def test_insights_periods_must_line_up_across_channels():
    # The core pairs the channels' series by position; a channel with another period set (or a
    # period twice, or a missing channel or period) would be compared with the wrong period.
    def table(rows):
        return pd.DataFrame(rows, columns=["channel", "period", "spend", "conversions", "value"])
    base = [(c, p, 100.0, 10.0 + p, 50.0) for c in ("search", "social") for p in range(5)]
    ok = cw.optimize.insights(table(base))
    assert ok.equals(cw.optimize.insights(table(base[4::-1] + base[:4:-1])))  # period order does not matter
    shifted = base[:5] + [("social", p + 1, 100.0, 11.0 + p, 50.0) for p in range(5)]
    with pytest.raises(cw.InvalidParameterError, match=r'invalid period: "social" \(this channel has no row for period 0, which "search" has'):
        cw.optimize.insights(table(shifted))
    extra = base[:9] + [("social", 7, 100.0, 10.0, 50.0)]
    with pytest.raises(cw.InvalidParameterError, match=r"has no row for period 4"):
        cw.optimize.insights(table(extra))
    with pytest.raises(cw.InvalidRecordError, match=r'row 9, column period: "3" \(channel "social" has this period at row 8 too\)'):
        cw.optimize.insights(table(base[:9] + [("social", 3, 100.0, 10.0, 50.0)]))
    with pytest.raises(cw.InvalidRecordError, match=r"row 2, column channel: .*a missing channel"):
        cw.optimize.insights(table(base[:2] + [(None, 2, 100.0, 12.0, 50.0)] + base[3:]))
    with pytest.raises(cw.InvalidRecordError, match=r"row 1, column period: .*a missing period"):
        cw.optimize.insights(table(base[:1] + [("search", math.nan, 100.0, 11.0, 50.0)] + base[2:]))
    with pytest.raises(TypeError, match=r"period: expected periods of one comparable kind"):
        cw.optimize.insights(table([(c, p if p else "0", 1.0, 1.0, 1.0) for c, p, *_ in base]))


def test_docstring_examples_run():
    mod = importlib.import_module("channelwise.optimize.recommend")
    r = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert r.failed == 0 and r.attempted > 0


def test_readme_risk_and_recommend_example():
    # START: readme-python-risk
    import numpy as np
    import channelwise as cw

    rng = np.random.default_rng(0)
    # posterior draws: any curve parameter may be an array (draw d of every channel is one sample)
    curves = {
        "search": cw.optimize.MichaelisMenten(alpha=rng.normal(100.0, 5.0, 500), lam=40.0),
        "social": cw.optimize.MichaelisMenten(alpha=rng.lognormal(np.log(110.0), 0.5, 500), lam=40.0),
    }
    today = {"search": 50.0, "social": 50.0}
    mean = cw.optimize.allocate(curves, budget=100.0, current=today)  # the mean over draws
    safe = cw.optimize.allocate(curves, budget=100.0, current=today, objective=("cvar", 0.1))
    print(np.quantile(safe.response_draws, [0.05, 0.5, 0.95]))  # the split's response distribution
    print(safe.cvar, safe.certificate["suboptimality"])  # worst-10% mean, and its proven gap
    for r in cw.optimize.recommend(allocation=safe, guardrails={"max_budget_change": 0.3}):
        print(r["reason"])  # "cut social from 50.00 to 35.00 a period (-30.0%): the risk-averse split ..."
    # END: readme-python-risk
    assert safe.spend["social"] < mean.spend["social"]
    assert safe.cvar <= mean.total_response
    assert safe.certificate["suboptimality"] <= 1e-6
    recs = list(cw.optimize.recommend(allocation=safe, guardrails={"max_budget_change": 0.3}))
    assert recs and all(abs(r["to"] - r["from"]) <= 0.3 * r["from"] + 1e-9 for r in recs)
    assert all("CVaR" in r["reason"] for r in recs)
    social = next(r for r in recs if r["target"] == "social")
    gains = [d.value(social["to"]) - d.value(social["from"]) for d in curves["social"].draws]
    assert social["impact"] == pytest.approx(np.mean(gains), rel=1e-12)
