"""cw.glm.LogisticRegression and cw.optimize.BidModel: a fit, explanations that multiply out,
floors / caps / maximum change, an unseen level, and bad input named by its field (the values
against scikit-learn are the shared vectors' job: tests/vectors/glm/, tests/vectors/optimize/bids_*)."""

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

import channelwise as cw

CELLS = {
    "device": ["mobile", "mobile", "desktop", "desktop", "tablet"],
    "daypart": ["evening", "morning", "evening", "morning", "evening"],
    "clicks": [4000, 3000, 2000, 1500, 20],
    "conversions": [60, 30, 50, 30, 2],
    "value": [3000.0, 1500.0, 2500.0, 1500.0, 100.0],
}
FACTORS = ["device", "daypart"]


def test_logistic_fit_coef_intercept_and_probabilities():
    x = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    y = [0, 0, 1, 0, 1, 1]
    fit = cw.glm.LogisticRegression().fit(x, y)
    assert fit.coef_.shape == (1,) and fit.coef_[0] > 0
    p = fit.predict_proba([[2.5]])
    assert p.shape == (1,) and 0.3 < p[0] < 0.7
    assert fit.predict_proba2([[2.5]]).shape == (1, 2)
    # pandas and polars give the same model as numpy
    for frame in (pd.DataFrame({"a": x[:, 0]}), pl.DataFrame({"a": x[:, 0]})):
        assert cw.glm.LogisticRegression().fit(frame, y).coef_.tolist() == fit.coef_.tolist()
    # a weight of 2 is the row twice
    w = cw.glm.LogisticRegression(c=10.0).fit(x, y, sample_weight=[1, 1, 1, 1, 1, 2])
    twice = cw.glm.LogisticRegression(c=10.0).fit(np.vstack([x, [[5.0]]]), y + [1])
    assert w.coef_[0] == pytest.approx(twice.coef_[0], rel=1e-9)
    assert cw.glm.LogisticRegression(fit_intercept=False).fit(x, y).intercept_ == 0.0


def test_logistic_bad_input_is_typed_and_named():
    x = [[0.0], [1.0], [2.0], [3.0]]
    with pytest.raises(cw.InvalidParameterError, match=r"y\[2\]"):
        cw.glm.LogisticRegression().fit(x, [0, 1, 2, 1])
    with pytest.raises(cw.NonFiniteError, match=r"x\[1\]\[0\]"):
        cw.glm.LogisticRegression().fit([[0.0], [math.nan]], [0, 1])
    with pytest.raises(cw.OutOfRangeError, match="c"):
        cw.glm.LogisticRegression(c=0.0).fit(x, [0, 1, 0, 1])
    with pytest.raises(cw.OutOfRangeError, match=r"sample_weight\[3\]"):
        cw.glm.LogisticRegression().fit(x, [0, 1, 0, 1], sample_weight=[1, 1, 1, -1])
    with pytest.raises(cw.InvalidParameterError, match="penalty"):
        cw.glm.LogisticRegression(penalty="l3")
    with pytest.raises(cw.NotConvergedError):
        cw.glm.LogisticRegression(penalty=None).fit(x, [0, 0, 1, 1])
    fit = cw.glm.LogisticRegression().fit(x, [0, 1, 0, 1])
    with pytest.raises(cw.LengthMismatchError, match="n_features"):
        fit.predict_proba([[1.0, 2.0]])


@pytest.mark.parametrize("frame", [pd.DataFrame, pl.DataFrame])
def test_bids_fit_multipliers_and_explanations_multiply_out(frame):
    model = cw.optimize.BidModel(FACTORS, target=("cpa", 40.0)).fit(frame(CELLS))
    m = model.multipliers()
    assert type(m).__module__.split(".")[0] == frame.__module__.split(".")[0]
    cols = cw._frames.to_columns(m)
    assert list(cols) == ["factor", "level", "multiplier", "clicks", "conversions"]
    assert cols["level"] == ["mobile", "desktop", "tablet", "evening", "morning"]
    assert cols["clicks"][0] == 7000 and cols["conversions"][0] == 90
    b = model.bid({"device": "desktop", "daypart": "evening"})
    assert math.prod(f["multiplier"] for f in b.factors) == pytest.approx(b.probability / b.base_probability, rel=1e-12)
    assert b.bid == pytest.approx(40.0 * b.probability, rel=1e-12)
    assert b.limited_by == "none" and "device=desktop" in b.explanation
    assert model.bid(["desktop", "evening"]) == b  # a list of levels in factor order
    # a thin level is shrunk toward 1, more so with less c
    tablet = cols["multiplier"][2]
    assert 1.0 < tablet < 0.75 * ((2 / 20) / (172 / 10520))  # 6x the average raw, 20 clicks earn far less
    strong = cw._frames.to_columns(cw.optimize.BidModel(FACTORS, target=("cpa", 40.0), c=0.001).fit(frame(CELLS)).multipliers())
    assert abs(strong["multiplier"][2] - 1) < abs(tablet - 1)
    # ROAS: bid = P x value per conversion / ROAS
    r = cw.optimize.BidModel(FACTORS, target=("roas", 4.0)).fit(frame(CELLS)).bid(["mobile", "morning"])
    assert r.value_per_conversion == pytest.approx(8600 / 172)
    assert r.bid == pytest.approx(r.probability * r.value_per_conversion / 4.0, rel=1e-12)


def test_bids_unseen_level_counts_as_average():
    model = cw.optimize.BidModel(FACTORS, target=("cpa", 40.0)).fit(pd.DataFrame(CELLS))
    b = model.bid({"device": "tv", "daypart": "evening"})
    assert b.factors[0]["multiplier"] == 1.0 and b.factors[0]["clicks"] == 0.0
    assert "never seen" in b.explanation


def test_bids_floor_cap_and_max_change():
    model = cw.optimize.BidModel(FACTORS, target=("roas", 2.0), floor=0.1, cap=0.5, max_change=0.2).fit(pd.DataFrame(CELLS))
    b = model.bid(["desktop", "evening"], current=0.2)
    assert b.unclamped > 0.24 and b.limited_by == "max_change" and b.bid == pytest.approx(0.24)
    b = model.bid(["desktop", "evening"], current=2.0)
    assert b.limited_by == "cap" and b.bid == 0.5 and "cap" in b.explanation
    low = cw.optimize.BidModel(FACTORS, target=("roas", 100.0), floor=0.1).fit(pd.DataFrame(CELLS)).bid(["mobile", "morning"])
    assert low.limited_by == "floor" and low.bid == 0.1
    # bids(): one row per context, the same numbers as bid()
    contexts = pd.DataFrame({"device": ["desktop", "mobile"], "daypart": ["evening", "morning"], "now": [0.2, 2.0]})
    table = model.bids(contexts, current="now")
    assert list(table["bid"]) == [model.bid(["desktop", "evening"], 0.2).bid, model.bid(["mobile", "morning"], 2.0).bid]
    assert list(table["limited_by"]) == [model.bid(["desktop", "evening"], 0.2).limited_by, model.bid(["mobile", "morning"], 2.0).limited_by]
    assert len(model.bids(contexts, current=[0.2, None])) == 2
    assert len(model.bids(contexts)) == 2


def test_bids_bad_input_is_typed_and_named():
    bad = dict(CELLS, conversions=[60, 30, 5000, 30, 2])
    with pytest.raises(cw.InvalidParameterError, match=r"cells\[2\]\.conversions"):
        cw.optimize.BidModel(FACTORS, target=("cpa", 1.0)).fit(pd.DataFrame(bad))
    with pytest.raises(cw.OutOfRangeError, match=r"cells\[3\]\.clicks"):
        cw.optimize.BidModel(FACTORS, target=("cpa", 1.0)).fit(pd.DataFrame(dict(CELLS, clicks=[4000, 3000, 2000, -1, 20])))
    with pytest.raises(cw.OutOfRangeError, match="target"):
        cw.optimize.BidModel(FACTORS, target=("roas", 0.0)).fit(pd.DataFrame(CELLS))
    with pytest.raises(cw.InvalidParameterError, match="cap"):
        cw.optimize.BidModel(FACTORS, target=("cpa", 1.0), floor=2.0, cap=1.0).fit(pd.DataFrame(CELLS))
    with pytest.raises(cw.OutOfRangeError, match="max_change"):
        cw.optimize.BidModel(FACTORS, target=("cpa", 1.0), max_change=-1.0).fit(pd.DataFrame(CELLS))
    with pytest.raises(cw.InvalidParameterError, match="target"):
        cw.optimize.BidModel(FACTORS, target=("cpc", 1.0))
    with pytest.raises(cw.ChannelwiseError, match="hour"):
        cw.optimize.BidModel(["device", "hour"], target=("cpa", 1.0)).fit(pd.DataFrame(CELLS))
    model = cw.optimize.BidModel(FACTORS, target=("cpa", 1.0)).fit(pd.DataFrame(CELLS))
    with pytest.raises(cw.InvalidParameterError, match="context"):
        model.bid(["mobile"])
    with pytest.raises(cw.InvalidParameterError, match="daypart"):
        model.bid({"device": "mobile"})
    with pytest.raises(cw.OutOfRangeError, match="current"):
        model.bid(["mobile", "evening"], current=-1.0)
