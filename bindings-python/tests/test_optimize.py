"""cw.optimize: response curves and adstock against their closed forms, and the media mix model
on seeded synthetic weekly data (known geometric adstock and logistic curves, as the Rust test
`synthetic` in core/src/optimize/mmm.rs): recovery, exact additivity, pandas and polars, dates,
stored models, every bad input of the issue, progress and Ctrl-C, plots."""

from __future__ import annotations

import _thread
import ast
import json
import math
import pathlib
import threading
import time

import numpy as np
import pandas as pd
import polars as pl
import pytest

import channelwise as cw
from channelwise import _channelwise
from channelwise.optimize import MMM, Adstock, FittedMMM, Saturation

X = np.array([0.0, 0.3, 1.0, 2.7, 9.0, 40.0])


# --- response curves ----------------------------------------------------------------------

CURVES = [
    (("logistic", dict(lam=0.8, beta=3.0)), lambda x: 3.0 * (1 - np.exp(-0.8 * x)) / (1 + np.exp(-0.8 * x))),
    (("hill", dict(slope=2.5, kappa=2.0, beta=5.0)), lambda x: 5.0 * x**2.5 / (2.0**2.5 + x**2.5)),
    (("michaelis_menten", dict(alpha=4.0, lam=1.5)), lambda x: 4.0 * x / (1.5 + x)),
    (("tanh", dict(b=2.0, c=0.5)), lambda x: 2.0 * np.tanh(x / (2.0 * 0.5))),
    (("power", dict(a=2.0, b=0.5)), lambda x: 2.0 * x**0.5),
    (("log", dict(beta=1.5, lam=0.7)), lambda x: 1.5 * np.log1p(0.7 * x)),
]


@pytest.mark.parametrize("spec, formula", CURVES, ids=[c[0][0] for c in CURVES])
def test_saturation_matches_its_closed_form(spec, formula):
    kind, params = spec
    s = Saturation(kind, **params)
    assert s.kind == kind and s.params == params
    np.testing.assert_allclose(s.value(X), formula(X), rtol=1e-13, atol=1e-14)
    # the marginal is the derivative of the value (central differences away from 0)
    x, h = X[1:], 1e-6 * X[1:]
    np.testing.assert_allclose(s.derivative(x), (formula(x + h) - formula(x - h)) / (2 * h), rtol=1e-6, atol=1e-9)
    # inverse_marginal inverts the falling branch
    beyond = s.inflection + np.array([0.5, 2.0, 7.0])
    np.testing.assert_allclose(s.inverse_marginal(s.derivative(beyond)), beyond, rtol=1e-8)
    assert s.inverse_marginal(0.0) == math.inf


def test_saturation_shapes_follow_the_input():
    s = Saturation("hill", slope=2, kappa=100, beta=1)
    assert s.value(100) == 0.5 and isinstance(s.value(100), np.floating)
    assert s.value([0, 100]).tolist() == [0.0, 0.5]
    assert s.value(np.array([[100.0], [0.0]])).shape == (2, 1)
    assert s.value(pd.Series([100.0])).tolist() == [0.5]
    assert s.value(pl.Series([100.0])).tolist() == [0.5]
    out = s.value([100.0])
    out += 1  # numpy arrays of their own
    assert s.is_s_shaped and s.inflection == pytest.approx(100 * (1 / 3) ** 0.5, rel=1e-15)
    assert s.max_marginal == pytest.approx(float(s.derivative(s.inflection)), rel=1e-15)
    assert not Saturation("logistic", lam=1, beta=1).is_s_shaped
    assert Saturation("power", a=2, b=0.5).derivative(0.0) == math.inf
    assert repr(s) == "Saturation('hill', slope=2.0, kappa=100.0, beta=1.0)"
    assert s == Saturation("hill", beta=1, kappa=100, slope=2)


def test_robyn_hill_converts_to_a_hill_curve():
    s = Saturation.robyn_hill(2.0, 0.5, [0.0, 10.0, 4.0])
    assert s.kind == "hill" and s.params == {"slope": 2.0, "kappa": 5.0, "beta": 1.0}
    assert s.value(5.0) == 0.5


def test_curve_is_a_frame_and_its_default_grid_reaches_the_flat_part():
    s = Saturation("logistic", lam=0.01, beta=50.0)
    c = s.curve()
    assert c.columns.tolist() == ["spend", "response", "marginal"]
    assert c["spend"].iloc[0] == 0.0 and c["response"].iloc[-1] > 0.9 * 50
    np.testing.assert_array_equal(c["marginal"], s.derivative(c["spend"]))
    assert isinstance(s.curve(pl.Series([0.0, 1.0])), pl.DataFrame)


def test_bad_curves_are_typed_errors_naming_the_field():
    with pytest.raises(cw.InvalidParameterError, match="cubic"):
        Saturation("cubic", a=1)
    with pytest.raises(cw.InvalidParameterError, match="saturation.kappa"):
        Saturation("logistic", lam=1, beta=1, kappa=2)
    with pytest.raises(cw.InvalidParameterError, match="saturation.beta"):
        Saturation("logistic", lam=1)
    with pytest.raises(cw.OutOfRangeError, match="saturation.lam"):
        Saturation("logistic", lam=0, beta=1)
    with pytest.raises(cw.NonFiniteError, match="saturation.kappa"):
        Saturation("hill", slope=1, kappa=float("nan"), beta=1)
    s = Saturation("tanh", b=1, c=0.5)
    with pytest.raises(cw.OutOfRangeError, match=r"x\[1\]"):
        s.value([1.0, -2.0])
    with pytest.raises(cw.NonFiniteError, match=r"x\[0\]"):
        s.derivative([float("nan")])
    with pytest.raises(cw.NonFiniteError, match=r"m\[0\]"):
        s.inverse_marginal(float("nan"))
    with pytest.raises(TypeError):
        Saturation("logistic", lam="1", beta=1)


def test_adstock_weights_and_carry_over_match_closed_forms():
    a = Adstock("geometric", l_max=4, normalize=False, alpha=0.5)
    assert a.weights.tolist() == [1.0, 0.5, 0.25, 0.125] and a.gain == 1.875
    n = Adstock("geometric", l_max=4, alpha=0.5)  # normalize=True by default, as pymc-marketing
    assert n.normalize and n.weights.sum() == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_allclose(n.weights, a.weights / 1.875, rtol=1e-15)
    d = Adstock("delayed", l_max=5, normalize=False, alpha=0.6, theta=1.5)
    np.testing.assert_allclose(d.weights, 0.6 ** ((np.arange(5) - 1.5) ** 2), rtol=1e-14)
    c = Adstock("weibull_cdf", l_max=3, normalize=False, lam=2.0, k=1.0)
    np.testing.assert_allclose(c.weights, [1.0, math.exp(-0.5), math.exp(-0.5) * math.exp(-1.0)], rtol=1e-15)
    p = Adstock("weibull_pdf", l_max=6, normalize=False, lam=3.0, k=2.0)
    assert p.weights.max() == 1.0 and p.weights.min() == 0.0
    x = np.array([1.0, 2.0, 0.0, 4.0])
    np.testing.assert_allclose(a.apply(x), np.convolve(x, a.weights)[: len(x)], rtol=1e-15)
    # spend before the window carries in exactly as the longer series would
    pre = [3.0, 0.0, 7.0]
    np.testing.assert_allclose(d.apply(x, pre=pre), d.apply(pre + x.tolist())[3:], rtol=1e-15, atol=1e-15)
    assert a.params == {"alpha": 0.5} and a.l_max == 4 and a.kind == "geometric"
    assert repr(a) == "Adstock('geometric', l_max=4, normalize=False, alpha=0.5)"


def test_bad_adstock_is_a_typed_error_naming_the_field():
    with pytest.raises(cw.InvalidParameterError, match="exponential"):
        Adstock("exponential", alpha=0.5)
    with pytest.raises(cw.OutOfRangeError, match="adstock.alpha"):
        Adstock("geometric", alpha=1.5)
    with pytest.raises(cw.OutOfRangeError, match="adstock.l_max"):
        Adstock("geometric", l_max=0, alpha=0.5)
    with pytest.raises(cw.OutOfRangeError, match="adstock.l_max"):
        Adstock("geometric", l_max=-3, alpha=0.5)
    with pytest.raises(cw.InvalidParameterError, match="adstock.theta"):
        Adstock("geometric", alpha=0.5, theta=1)
    with pytest.raises(cw.OutOfRangeError, match=r"pre\[0\]"):
        Adstock("geometric", alpha=0.5).apply([1.0], pre=[-1.0])
    # every weight zero (was all-zero weights, then a ZeroDivisionError in steady_state)
    with pytest.raises(cw.InvalidParameterError, match=r'invalid adstock: "weibull_pdf\(lam=0.000001, k=50\)" \(every lag weight is zero'):
        cw.optimize.WeibullPDFAdstock(lam=1e-6, k=50)
    with pytest.raises(cw.InvalidParameterError, match=r"delayed\(alpha=0, theta=1.5\)"):
        Adstock("delayed", l_max=4, alpha=0.0, theta=1.5)


# --- the media mix model ------------------------------------------------------------------


def synthetic(n: int = 156, seed: int = 7, noise: float = 1.0, start: str = "2022-01-02"):
    """Two channels with known geometric adstock and logistic curves, a trend and yearly
    seasonality, weekly rows; and the true shares of the media contribution."""
    rng = np.random.default_rng(seed)
    tv = rng.uniform(0, 100, n)
    search = 20 + 15 * np.abs(np.sin(np.arange(n) / 5)) + rng.uniform(0, 10, n)
    ctv = Saturation("logistic", lam=2.0, beta=40.0).value(Adstock("geometric", l_max=6, alpha=0.6).apply(tv / 100))
    cs = Saturation("logistic", lam=3.0, beta=25.0).value(
        Adstock("geometric", l_max=6, alpha=0.2).apply(search / search.max())
    )
    t = np.arange(n)
    y = 100 + 0.05 * t + 8 * np.sin(2 * np.pi * t / 52.1775) + ctv + cs + noise * rng.standard_normal(n)
    df = pd.DataFrame({"date": pd.date_range(start, periods=n, freq="W"), "tv": tv, "search": search, "y": y})
    share = ctv.sum() / (ctv.sum() + cs.sum())
    return df, {"tv": share, "search": 1 - share}


DF, SHARES = synthetic()
SPEC = MMM(channels=["tv", "search"], l_max=6, yearly_seasonality=1)


@pytest.fixture(scope="module")
def fit() -> FittedMMM:
    return SPEC.fit(DF)


def quick(**kw):
    return MMM(**{"channels": ["tv", "search"], "l_max": 4, "uncertainty": None, **kw})


def test_recovers_the_shares_and_intervals_hold_the_estimate(fit):
    s = fit.summary()
    assert s["channel"].tolist() == ["tv", "search"]
    for row in s.to_dict("records"):
        assert abs(row["share"] - SHARES[row["channel"]]) < 0.1, row
        for k in ("contribution", "share", "roas", "mroas"):
            assert row[f"{k}_lo"] <= row[k] <= row[f"{k}_hi"], (k, row)
            assert row[f"{k}_lo"] < row[f"{k}_hi"]
    np.testing.assert_allclose(s["spend"], [DF["tv"].sum(), DF["search"].sum()], rtol=1e-12)
    assert s["share"].sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(s["roas"], s["contribution"] / s["spend"], rtol=1e-12)
    # the curves at the mode, in scaled units
    assert {"adstock_alpha", "saturation_lam", "saturation_beta"} <= set(s.columns)
    assert s.loc[0, "adstock_alpha"] == pytest.approx(0.6, abs=0.1)
    p = fit.params
    assert p.columns.tolist() == ["name", "value", "lo", "hi"]
    assert p["name"].tolist()[:2] == ["intercept", "trend"] and p["name"].iloc[-1] == "sigma"
    assert ((p["lo"] <= p["value"]) & (p["value"] <= p["hi"])).all()
    assert fit.diagnostics["r2"] > 0.9 and fit.convergence["converged"]
    assert fit.warnings == []


def test_contributions_sum_exactly_to_the_fit(fit):
    c = fit.contributions()
    assert c.columns.tolist() == ["intercept", "trend", "seasonality", "tv", "search", "fitted"]
    assert isinstance(c.index, pd.DatetimeIndex) and c.index.name == "date"
    assert (c.index == DF["date"]).all()
    total = c["intercept"].to_numpy().copy()
    for k in ("trend", "seasonality", "tv", "search"):  # the core's order of addition
        total += c[k].to_numpy()
    np.testing.assert_array_equal(total, c["fitted"].to_numpy())
    # channel totals are the summary's contributions
    np.testing.assert_allclose(c[["tv", "search"]].sum().to_numpy(), fit.summary()["contribution"], rtol=1e-12)


def test_defaults_are_the_cores_and_js_no_yearly_seasonality_unless_asked():
    # Python's default was 2 Fourier pairs while the core and JS (and pymc-marketing, None) have
    # none: the same call gave different models in a notebook and in a Node service.
    assert MMM(channels=["tv"]).yearly_seasonality == 0
    names = quick().fit(DF).params["name"].tolist()
    assert not any(n.startswith("fourier.") for n in names), names
    assert [n for n in quick(yearly_seasonality=1).fit(DF).params["name"] if n.startswith("fourier.")] == [
        "fourier.sin1", "fourier.cos1"]


def test_controls_get_a_column_and_a_parameter():
    df = DF.assign(price=10 + (np.arange(len(DF)) % 7))
    f = quick(controls=["price"]).fit(df)
    c = f.contributions()
    assert c.columns.tolist() == ["intercept", "trend", "seasonality", "price", "tv", "search", "fitted"]
    assert "control.price" in f.params["name"].tolist()
    total = c["intercept"].to_numpy().copy()
    for k in ("trend", "seasonality", "price", "tv", "search"):
        total += c[k].to_numpy()
    np.testing.assert_array_equal(total, c["fitted"].to_numpy())


def test_polars_in_polars_out_with_the_same_numbers(fit):
    f = SPEC.fit(pl.from_pandas(DF))
    s = f.summary()
    assert isinstance(s, pl.DataFrame)
    assert s.to_pandas().equals(fit.summary())
    c = f.contributions()
    assert isinstance(c, pl.DataFrame) and c.columns[0] == "date"
    assert c.drop("date").to_pandas().equals(fit.contributions().reset_index(drop=True))
    assert isinstance(f.params, pl.DataFrame) and isinstance(f.response_curves([10.0]), pl.DataFrame)
    # a polars Date column stays a Date
    d = quick().fit(pl.from_pandas(DF).with_columns(pl.col("date").cast(pl.Date)))
    assert d.contributions()["date"].dtype == pl.Date


def test_dates_are_the_calendar():
    f = quick().fit(DF)
    # evenly spaced rows give the same fit as dates 7 days apart only up to the calendar: the
    # trend and seasonality of dates follow days, of rows follow row numbers
    rows = quick(date=None).fit(DF.drop(columns="date"))
    assert isinstance(rows.contributions().index, pd.RangeIndex)
    assert f.diagnostics["r2"] == pytest.approx(rows.diagnostics["r2"], abs=0.02)
    # an uneven gap is kept: the trend moves by the days between rows
    gap = DF.copy()
    gap.loc[gap.index >= 80, "date"] += pd.Timedelta(days=70)
    trend = quick(yearly_seasonality=0).fit(gap).contributions()["trend"].to_numpy()
    steps = np.diff(trend)
    assert steps[79] == pytest.approx(11 * steps[78], rel=1e-9)
    # strings, time zones and a date index
    strings = quick().fit(DF.assign(date=DF["date"].dt.strftime("%Y-%m-%d")))
    assert strings.contributions().equals(f.contributions())
    tz = quick().fit(DF.assign(date=DF["date"].dt.tz_localize("UTC").dt.tz_convert("Europe/Paris")))
    assert str(tz.contributions().index.tz) == "Europe/Paris"
    idx = quick().fit(DF.set_index("date"))
    assert idx.contributions().equals(f.contributions())
    # a dict of numpy columns (datetime64 dates) and a pyarrow Table give pandas results
    assert quick().fit({k: DF[k].to_numpy() for k in DF}).contributions().equals(f.contributions())
    pa = pytest.importorskip("pyarrow")
    assert quick().fit(pa.Table.from_pandas(DF)).contributions().equals(f.contributions())


def test_bad_dates_name_the_column():
    with pytest.raises(cw.InvalidParameterError, match='"date".*date=None'):
        quick().fit(DF.drop(columns="date"))
    with pytest.raises(cw.InvalidParameterError, match="not dates"):
        quick().fit(DF.assign(date=np.arange(len(DF))))
    with pytest.raises(cw.InvalidRecordError, match="row 5, column date"):
        quick().fit(DF.assign(date=DF["date"].astype(object).where(DF.index != 5, "someday")))
    with pytest.raises(cw.InvalidRecordError, match="row 3, column date"):
        quick().fit(DF.assign(date=DF["date"].where(DF.index != 3)))
    with pytest.raises(cw.InvalidParameterError, match=r"date\[1\].*increase"):
        quick().fit(DF.iloc[::-1])


def test_predict_reproduces_the_fit_and_continues_the_calendar(fit):
    back = fit.predict(DF.drop(columns="y"))
    assert back.equals(fit.contributions())
    future = pd.DataFrame({"date": pd.date_range(DF["date"].iloc[-1], periods=9, freq="W")[1:], "tv": 50.0,
                           "search": 30.0})
    p = fit.predict(future)
    assert (p.index == future["date"]).all() and np.isfinite(p.to_numpy()).all()
    step = fit.contributions()["trend"].diff().iloc[-1]
    assert p["trend"].iloc[0] - fit.contributions()["trend"].iloc[-1] == pytest.approx(step, rel=1e-9)
    assert isinstance(fit.predict(pl.from_pandas(future)), pl.DataFrame)
    with pytest.raises(cw.InvalidParameterError, match='"search"'):
        fit.predict(future.drop(columns="search"))
    with pytest.raises(cw.InvalidParameterError, match='"date"'):
        fit.predict(future.drop(columns="date"))


def test_response_curves_horizon_and_steady_state(fit):
    rc = fit.response_curves([0.0, 25.0, 50.0])
    assert rc.columns.tolist() == ["channel", "spend", "response", "lo", "hi", "marginal"]
    assert rc["channel"].tolist() == ["tv"] * 3 + ["search"] * 3
    assert (rc["lo"] <= rc["response"]).all() and (rc["response"] <= rc["hi"]).all()
    assert rc["response"].iloc[0] == 0.0
    curve = fit.steady_state_curve("tv")
    assert isinstance(curve, Saturation) and curve.kind == "logistic"
    np.testing.assert_allclose(curve.value([25.0, 50.0]), rc["response"].iloc[1:3], rtol=1e-9)
    np.testing.assert_allclose(curve.derivative([25.0, 50.0]), rc["marginal"].iloc[1:3], rtol=1e-9)
    default = fit.response_curves()
    assert len(default) == 2 * 51 and default.groupby("channel")["spend"].max()["tv"] == pytest.approx(
        1.5 * DF["tv"].max()
    )
    only = fit.response_curves({"search": [1.0, 2.0]})
    assert only["channel"].tolist() == ["search", "search"]
    h = fit.horizon_response("tv", [50.0] * 40)
    assert h.columns.tolist() == ["period", "spend", "response", "lo", "hi"]
    assert h["response"].iloc[-1] == pytest.approx(float(curve.value(50.0)), rel=1e-9)
    assert (h["lo"] <= h["hi"]).all()
    with pytest.raises(cw.InvalidParameterError, match="radio"):
        fit.horizon_response("radio", [1.0])
    with pytest.raises(cw.InvalidParameterError, match="radio"):
        fit.response_curves({"radio": [1.0]})
    with pytest.raises(cw.OutOfRangeError, match=r"grid\[0\]"):
        fit.response_curves([-1.0])


def test_bootstrap_intervals():
    f = quick(uncertainty="bootstrap", replicates=20, block=4).fit(DF)
    s = f.summary()
    assert (s["share_lo"] < s["share_hi"]).all()
    assert f.spec["uncertainty"] == {"bootstrap": {"replicates": 20, "block": 4}}


def test_priors_in_tuple_dict_and_name_forms():
    base = quick().fit(DF).params.set_index("name")["value"]
    tight = quick(priors={"adstock.alpha": ("beta", 50, 50), "tv.saturation.lam": {"dist": "gamma", "alpha": 3,
                                                                                 "beta": 1},
                          "trend": "flat"}).fit(DF)
    v = tight.params.set_index("name")["value"]
    assert abs(v["tv.adstock.alpha"] - 0.5) < abs(base["tv.adstock.alpha"] - 0.5)
    spec_priors = dict((k, p) for k, p in tight.spec["priors"])
    assert spec_priors["trend"] == "flat" and spec_priors["adstock.alpha"] == {"beta": {"alpha": 50.0, "beta": 50.0}}
    with pytest.raises(cw.InvalidParameterError, match=r"priors.adstock.alpha.*takes alpha, beta"):
        quick(priors={"adstock.alpha": ("beta", 2)}).fit(DF)
    with pytest.raises(cw.InvalidParameterError, match=r"priors.intercept"):
        quick(priors={"intercept": ("cauchy", 0, 1)}).fit(DF)
    with pytest.raises(cw.InvalidParameterError, match="adstock.kappa"):
        quick(priors={"adstock.kappa": "flat"}).fit(DF)
    with pytest.raises(cw.NonFiniteError, match=r"priors.intercept.sigma"):
        quick(priors={"intercept": {"dist": "normal", "mu": 0, "sigma": float("nan")}}).fit(DF)
    with pytest.raises(cw.OutOfRangeError, match=r"priors.sigma.sigma"):
        quick(priors={"sigma": ("half_normal", -1)}).fit(DF)


# --- stored models ------------------------------------------------------------------------


def test_json_round_trip_is_bit_for_bit(fit):
    text = fit.to_json()
    doc = json.loads(text)
    assert doc["model"] == "channelwise.optimize.FittedMMM"
    assert doc["columns"] == {"date": "date", "target": "y"} and len(doc["dates"]) == len(DF)
    assert {"spec", "data", "theta", "draws"} <= set(doc["fitted"])
    again = FittedMMM.from_json(text)
    assert again.to_json() == text
    for f in (lambda m: m.contributions(), lambda m: m.summary(), lambda m: m.params,
              lambda m: m.response_curves([10.0, 60.0]), lambda m: m.predict(DF.iloc[:20])):
        assert f(again).equals(f(fit))
    assert again.diagnostics == fit.diagnostics and again.warnings == fit.warnings


def test_json_with_only_model_and_fitted_loads(fit):
    doc = {"model": "channelwise.optimize.FittedMMM", "fitted": json.loads(fit.to_json())["fitted"]}
    bare = FittedMMM.from_json(json.dumps(doc))
    c = bare.contributions()
    assert isinstance(c.index, pd.RangeIndex)
    np.testing.assert_array_equal(c.to_numpy(), fit.contributions().to_numpy())
    assert bare.channels == ["tv", "search"]
    assert bare.predict(DF.iloc[:10]).reset_index(drop=True).equals(fit.predict(DF.iloc[:10]).reset_index(drop=True))


def test_json_keeps_polars_and_time_zones():
    f = quick().fit(pl.from_pandas(DF).with_columns(pl.col("date").cast(pl.Date)))
    again = FittedMMM.from_json(f.to_json())
    assert again.contributions().equals(f.contributions())
    tz = quick().fit(DF.assign(date=DF["date"].dt.tz_localize("America/New_York")))
    back = FittedMMM.from_json(tz.to_json())
    assert back.contributions().index.equals(tz.contributions().index)


def test_damaged_json_is_an_invalid_parameter_error(fit):
    bad = [
        "not json",
        json.dumps({"model": "channelwise.forecast.FittedEts", "fitted": {}}),
        json.dumps({"model": "channelwise.optimize.FittedMMM", "fitted": {"x": 1}}),
    ]
    doc = json.loads(fit.to_json())
    doc["dates"] = doc["dates"][:3]
    bad.append(json.dumps(doc))
    for text in bad:
        with pytest.raises(cw.InvalidParameterError):
            FittedMMM.from_json(text)
    # a damaged time zone or date type: refused on load (it failed at the first result before)
    tz = json.loads(quick().fit(DF.assign(date=DF["date"].dt.tz_localize("America/New_York"))).to_json())
    for key, value, match in (("tz", "America/Nowhere", r'"America/Nowhere" \(the stored tz'), ("tz", 5, r'"5" \(the stored tz'),
                              ("date_type", "day", r'"day" \(the stored date_type')):
        with pytest.raises(cw.InvalidParameterError, match=match):
            FittedMMM.from_json(json.dumps({**tz, key: value}))
    # shapes that do not fit together: the core checks them on load
    doc = json.loads(fit.to_json())
    doc["fitted"]["theta"] = doc["fitted"]["theta"][:3]
    with pytest.raises(cw.InvalidParameterError, match=r"parameters must be 11 finite numbers"):
        FittedMMM.from_json(json.dumps(doc))


# --- bad input ----------------------------------------------------------------------------


def test_fewer_rows_than_parameters():
    with pytest.raises(cw.NotEnoughDataError, match="parameters"):
        quick().fit(DF.head(8))


def test_a_channel_that_never_spends_gets_nothing_and_a_warning():
    f = quick(channels=["tv", "search", "radio"]).fit(DF.assign(radio=0.0))
    s = f.summary().set_index("channel")
    assert s.loc["radio", "contribution"] == 0.0 and math.isnan(s.loc["radio", "saturation_lam"])
    assert any("radio" in w for w in f.warnings)
    assert (f.contributions()["radio"] == 0.0).all()
    assert f.steady_state_curve("radio") is None


def test_negative_and_nan_spend_name_the_cell():
    with pytest.raises(cw.OutOfRangeError, match=r"spend.tv\[3\]"):
        quick().fit(DF.assign(tv=DF["tv"].where(DF.index != 3, -1.0)))
    with pytest.raises(cw.NonFiniteError, match=r"spend.search\[4\]"):
        quick().fit(DF.assign(search=DF["search"].where(DF.index != 4)))
    with pytest.raises(cw.NonFiniteError, match=r"target\[2\]"):
        quick().fit(DF.assign(y=DF["y"].where(DF.index != 2)))
    with pytest.raises(cw.NonFiniteError, match=r"spend.tv\[0\]"):
        quick().fit(pl.from_pandas(DF).with_columns(pl.when(pl.int_range(pl.len()) == 0).then(None)
                                                    .otherwise(pl.col("tv")).alias("tv")))


def test_collinear_channels_warn():
    f = quick(channels=["tv", "search", "tv2"]).fit(DF.assign(tv2=DF["tv"] * 2 + 0.01))
    assert any("tv" in w and "tv2" in w and "together" in w for w in f.warnings), f.warnings


def test_l_max_longer_than_the_series():
    with pytest.raises(cw.OutOfRangeError, match="l_max"):
        quick(l_max=len(DF) + 1).fit(DF)


def test_unknown_kinds_and_columns_name_themselves():
    with pytest.raises(cw.InvalidParameterError, match='adstock: "wavy"'):
        quick(adstock="wavy").fit(DF)
    with pytest.raises(cw.InvalidParameterError, match='saturation: "cubic"'):
        quick(saturation="cubic").fit(DF)
    with pytest.raises(cw.InvalidParameterError, match='uncertainty: "mcmc"'):
        quick(uncertainty="mcmc").fit(DF)
    with pytest.raises(cw.InvalidParameterError, match='channel column: "radio"'):
        quick(channels=["tv", "radio"]).fit(DF)
    with pytest.raises(cw.InvalidParameterError, match='target column: "sales"'):
        quick(target="sales").fit(DF)
    with pytest.raises(cw.InvalidParameterError, match='control column: "price"'):
        quick(controls=["price"]).fit(DF)
    with pytest.raises(cw.InvalidRecordError, match="column search"):
        quick().fit(DF.assign(search="lots"))
    with pytest.raises(cw.InvalidRecordError, match="column search"):
        quick().fit(pl.from_pandas(DF.assign(search="lots")))
    with pytest.raises(cw.InvalidParameterError, match='"trend"'):
        quick(channels=["trend"]).fit(DF.assign(trend=1.0))
    with pytest.raises(cw.InvalidParameterError, match="twice"):
        quick(channels=["tv", "tv"]).fit(DF)
    with pytest.raises(cw.InvalidParameterError, match="target"):
        quick().fit(DF.assign(y=5.0))
    with pytest.raises(cw.NotEnoughDataError, match="channels"):
        quick(channels=[]).fit(DF)
    with pytest.raises(TypeError, match="unexpected keyword"):
        MMM(chanels=["tv"])
    with pytest.raises(TypeError, match="channels"):
        quick(channels="tv").fit(DF)
    with pytest.raises(cw.OutOfRangeError, match="yearly_seasonality"):
        quick(yearly_seasonality=-1).fit(DF)
    with pytest.raises(cw.OutOfRangeError, match="uncertainty.draws"):
        quick(uncertainty="laplace", draws=3).fit(DF)
    with pytest.raises(cw.OutOfRangeError, match="level"):
        quick(level=1.5).fit(DF)


# --- progress, plots, stubs, docs ---------------------------------------------------------


def test_progress_counts_starts_and_replicates_and_can_stop():
    calls = []
    f = quick(uncertainty="bootstrap", replicates=40, starts=3).fit(DF, progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (43, 43)
    again = quick(uncertainty="bootstrap", replicates=40, starts=3).fit(DF)
    assert again.summary().equals(f.summary())
    with pytest.raises(cw.CancelledError):
        quick(uncertainty="bootstrap", replicates=2000).fit(DF, progress=lambda d, t: False)
    with pytest.raises(cw.InvalidParameterError, match="progress"):
        quick().fit(DF, progress="yes")


def test_progress_true_draws_a_bar(capsys):
    pytest.importorskip("tqdm")
    quick(starts=2).fit(DF, progress=True)
    err = capsys.readouterr().err
    assert "media mix model" in err and "2/2" in err, err


def test_ctrl_c_stops_a_long_bootstrap_promptly():
    big, _ = synthetic(n=520, seed=3)
    spec = dict(channels=["tv", "search"], l_max=8, yearly_seasonality=2, uncertainty="bootstrap")
    t0 = time.perf_counter()
    MMM(**spec, replicates=20).fit(big)
    per = (time.perf_counter() - t0) / 20
    replicates = min(100_000, max(2000, int(30 / max(per, 1e-6))))  # a full run takes 30 s or more
    timer = threading.Timer(0.3, _thread.interrupt_main)
    t0 = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt) as e:
            MMM(**spec, replicates=replicates).fit(big)
    finally:
        timer.cancel()
    assert time.perf_counter() - t0 < 10
    assert isinstance(e.value.__cause__, cw.CancelledError), repr(e.value.__cause__)


def test_plots_return_figures(fit):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = fit.plot()
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 2
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert {"baseline", "tv", "search", "actual"} <= set(labels)
    ax = Saturation("hill", slope=2, kappa=100, beta=1).plot()
    assert ax.get_lines()
    assert quick().fit(pl.from_pandas(DF)).plot(grid=[0.0, 10.0, 20.0])
    assert quick(date=None).fit(DF.drop(columns="date")).plot()
    plt.close("all")


def test_every_native_optimize_name_has_a_stub():
    stub = pathlib.Path(_channelwise.__file__).with_name("_channelwise.pyi")
    tree = ast.parse(stub.read_text())
    assert any(isinstance(n, ast.FunctionDef) and n.name == "optimize_mmm_fit" for n in tree.body)
    assert any(isinstance(n, ast.FunctionDef) and n.name == "optimize_allocate" for n in tree.body)
    for cls in ("Saturation", "Adstock", "FittedMmm"):
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
        members = {m.name for m in node.body if isinstance(m, ast.FunctionDef)}
        runtime = {m for m in dir(getattr(_channelwise, cls)) if not m.startswith("_")}
        assert runtime <= members, f"{cls}: stub lacks {sorted(runtime - members)}"


def test_names_are_exported():
    assert "optimize" in cw.__all__
    for name in cw.optimize.__all__:
        assert hasattr(cw.optimize, name)


def test_docstring_examples_run():
    import doctest

    for mod in (cw.optimize, cw.optimize.response, cw.optimize.mmm, cw.optimize.budget):
        r = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert r.failed == 0 and r.attempted > 0, mod.__name__


def test_readme_optimize_example():
    # START: readme-python-optimize
    import numpy as np
    import pandas as pd
    import channelwise as cw

    rng = np.random.default_rng(0)
    weeks = pd.date_range("2023-01-01", periods=156, freq="W")
    tv, search = rng.uniform(0, 100, 156), rng.uniform(10, 40, 156)
    carried = cw.optimize.Adstock("geometric", l_max=6, alpha=0.6).apply(tv / 100)
    sales = (100 + 8 * np.sin(2 * np.pi * np.arange(156) / 52)
             + cw.optimize.Saturation("logistic", lam=2.0, beta=40.0).value(carried)
             + 0.3 * search + rng.normal(0, 1, 156))
    df = pd.DataFrame({"date": weeks, "tv": tv, "search": search, "y": sales})

    mmm = cw.optimize.MMM(date="date", target="y", channels=["tv", "search"], adstock="geometric",
                          l_max=6, saturation="logistic", yearly_seasonality=2, seed=0).fit(df)
    print(mmm.summary()[["channel", "contribution", "share", "share_lo", "share_hi", "roas", "mroas"]])
    parts = mmm.contributions()  # intercept, trend, seasonality, tv, search, fitted: by date
    curves = mmm.response_curves([0, 25, 50, 100])  # spend per week -> response, lo, hi, marginal
    tv_curve = mmm.steady_state_curve("tv")  # a Saturation in dollars per week
    saved = cw.optimize.FittedMMM.from_json(mmm.to_json())  # the same numbers, no refit
    # mmm.plot() draws the contribution stack over time and the response curves with bands
    # END: readme-python-optimize
    assert mmm.diagnostics["r2"] > 0.9
    assert (parts[["intercept", "trend", "seasonality", "tv", "search"]].sum(axis=1) - parts["fitted"]).abs().max() < 1e-9
    assert set(curves["channel"]) == {"tv", "search"}
    assert tv_curve.value(100.0) > tv_curve.value(50.0)
    assert saved.summary().equals(mmm.summary())


# --- budget allocation ------------------------------------------------------------------------


def mm(alpha, lam):
    return cw.optimize.MichaelisMenten(alpha=alpha, lam=lam)


def test_allocate_over_a_fitted_mmm_spends_the_budget_with_a_certificate(fit):
    chans = fit._fit.budget_channels()
    mean = {"tv": DF["tv"].mean(), "search": DF["search"].mean()}
    budget = mean["tv"] + mean["search"]
    a = cw.optimize.allocate(fit, budget=budget)
    assert isinstance(a, cw.optimize.Allocation)
    t = a.table
    assert isinstance(t, pd.DataFrame) and t.columns.tolist() == ["channel", "spend", "response", "marginal_return", "bound"]
    assert t["channel"].tolist() == [c[0] for c in chans] == ["tv", "search"]
    assert abs(t["spend"].sum() - budget) < 1e-9 * budget and abs(a.total_spend - budget) < 1e-9 * budget
    c = a.certificate
    assert set(c) == {"method", "multiplier", "kkt_residual", "duality_gap", "upper_bound", "suboptimality", "nodes"}
    assert c["method"] == "water-filling" and c["kkt_residual"] < 1e-9 and c["duality_gap"] < 1e-9
    assert t.attrs["certificate"] == c
    # the responses are the model's steady-state curves at the chosen spend
    for name in ("tv", "search"):
        row = t[t["channel"] == name].iloc[0]
        assert row["response"] == pytest.approx(float(fit.steady_state_curve(name).value(row["spend"])), rel=1e-12)
    interior = t[t["bound"] == "interior"]
    assert len(interior) == 2 and interior["marginal_return"].max() - interior["marginal_return"].min() < 1e-9 * c["multiplier"]
    assert a.total_response >= sum(float(fit.steady_state_curve(n).value(mean[n])) for n in mean) - 1e-9
    # current spend is the model's mean spend: a relative move limit holds around it
    b = cw.optimize.allocate(fit, budget=budget, max_change=0.05)
    for name, spend in b.spend.items():
        assert abs(spend - mean[name]) <= 0.05 * mean[name] * (1 + 1e-12)
    assert set(b["bound"]) <= {"interior", "max_change_up", "max_change_down"}
    # polars in (the fit), polars out
    p = cw.optimize.allocate(quick().fit(pl.from_pandas(DF)), budget=budget)
    assert isinstance(p.table, pl.DataFrame) and p.table.columns == t.columns.tolist()


def test_factories_are_saturations_and_fold_the_adstock_gain():
    assert cw.optimize.Hill(beta=5.0, half_saturation=2.0, slope=2.5) == Saturation("hill", slope=2.5, kappa=2.0, beta=5.0)
    assert cw.optimize.Logistic(lam=0.8, beta=3.0) == Saturation("logistic", lam=0.8, beta=3.0)
    assert cw.optimize.Tanh(b=2.0, c=0.5) == Saturation("tanh", b=2.0, c=0.5)
    assert cw.optimize.Power(a=2.0, b=0.5) == Saturation("power", a=2.0, b=0.5)
    assert cw.optimize.Log(beta=1.5, lam=0.7) == Saturation("log", beta=1.5, lam=0.7)
    assert cw.optimize.GeometricAdstock(alpha=0.5, l_max=3, normalize=False).weights.tolist() == [1.0, 0.5, 0.25]
    adstocks = [
        cw.optimize.GeometricAdstock(alpha=0.6, l_max=6, normalize=False),
        cw.optimize.GeometricAdstock(alpha=0.6, l_max=6, normalize=True),
        cw.optimize.DelayedAdstock(alpha=0.7, theta=2.0, l_max=8, normalize=False),
        cw.optimize.WeibullCDFAdstock(lam=3.0, k=1.5, l_max=10, normalize=False),
    ]
    factories = [
        lambda a, f: cw.optimize.Hill(beta=5.0, half_saturation=20.0, slope=2.5, adstock=a, adstock_first=f),
        lambda a, f: cw.optimize.Logistic(lam=0.05, beta=3.0, adstock=a, adstock_first=f),
        lambda a, f: cw.optimize.MichaelisMenten(alpha=4.0, lam=15.0, adstock=a, adstock_first=f),
        lambda a, f: cw.optimize.Tanh(b=2.0, c=5.0, adstock=a, adstock_first=f),
        lambda a, f: cw.optimize.Power(a=2.0, b=0.5, adstock=a, adstock_first=f),
        lambda a, f: cw.optimize.Log(beta=1.5, lam=0.07, adstock=a, adstock_first=f),
    ]
    # the steady state of a long constant series, through Adstock.apply and the plain curve
    for a in adstocks:
        for make in factories:
            plain = make(None, True)
            for spend in (3.0, 17.0, 60.0):
                carried = a.apply(np.full(200, spend))[-1]
                assert make(a, True).value(spend) == pytest.approx(float(plain.value(carried)), rel=1e-12)
                assert make(a, False).value(spend) == pytest.approx(a.gain * float(plain.value(spend)), rel=1e-12)
    assert cw.optimize.steady_state(plain, None) is plain


def test_allocate_from_a_dict_of_factories_a_list_and_channel_dicts():
    curves = {"search": mm(1.0, 1.0), "social": {"kind": "michaelis_menten", "alpha": 4.0, "lam": 1.0}}
    a = cw.optimize.allocate(curves, budget=4.0)
    # alpha_i / (1 + x_i)^2 = lambda with x_1 + x_2 = 4: x = (1, 3), lambda = 1/4
    assert a.table["spend"].tolist() == pytest.approx([1.0, 3.0], abs=1e-12)
    assert a.certificate["multiplier"] == pytest.approx(0.25, abs=1e-12)
    assert a.total_response == pytest.approx(0.5 + 3.0, abs=1e-12)
    assert a["bound"].tolist() == ["interior", "interior"]
    b = cw.optimize.allocate([("search", mm(1.0, 1.0)), ("social", mm(4.0, 1.0))], budget=4.0)
    assert b.spend == pytest.approx(a.spend)
    c = cw.optimize.allocate([mm(1.0, 1.0), mm(4.0, 1.0)], budget=4.0)
    assert list(c.spend) == ["0", "1"]
    d = cw.optimize.allocate([{"name": "search", "curve": mm(1.0, 1.0), "upper": 0.5},
                              {"name": "social", "curve": mm(4.0, 1.0)}], budget=4.0)
    assert d.spend == pytest.approx({"search": 0.5, "social": 3.5}) and d["bound"].tolist() == ["upper", "interior"]
    # an S-curve goes to branch and bound, with a proven gap
    s = cw.optimize.allocate({"tv": cw.optimize.Hill(beta=3.0, half_saturation=4.0, slope=10.0),
                              "search": cw.optimize.Hill(beta=2.0, half_saturation=6.0, slope=12.0),
                              "social": mm(3.0, 2.0)}, budget=9.0, tolerance=1e-9)
    assert s.certificate["method"] == "branch and bound on concave envelopes"
    assert s.certificate["suboptimality"] <= 1e-9 and s.certificate["nodes"] > 1


def test_bounds_max_change_and_locks():
    curves = {"a": mm(1.0, 1.0), "b": mm(4.0, 1.0), "c": mm(9.0, 1.0)}
    cur = {"a": 2.0, "b": 2.0, "c": 1.0}
    a = cw.optimize.allocate(curves, budget=5.0, current=cur, upper={"b": 2.5}, locked={"c": True}, max_change=0.5)
    t = a.table.set_index("channel")
    assert t.loc["c", "bound"] == "locked" and t.loc["c", "spend"] == 1.0
    assert t.loc["b", "bound"] == "upper" and t.loc["b", "spend"] == pytest.approx(2.5)
    assert 1.0 <= t.loc["a", "spend"] <= 3.0 and a.total_spend == pytest.approx(5.0, abs=1e-12)
    # the same move limit, absolute; a scalar bound for every channel
    b = cw.optimize.allocate(curves, budget=5.0, current=cur, max_change=("absolute", 0.25), lower=0.5)
    assert all(abs(b.spend[k] - cur[k]) <= 0.25 + 1e-12 for k in cur)
    assert set(b["bound"]) <= {"interior", "max_change_up", "max_change_down"}
    assert cw.optimize.allocate(curves, budget=5.0, current=cur, max_change={"relative": 0.5}).spend == pytest.approx(
        cw.optimize.allocate(curves, budget=5.0, current=cur, max_change=("relative", 0.5)).spend)
    # at most: a budget the curves do not want to spend whole
    c = cw.optimize.allocate(curves, budget=100.0, spend_all=False, upper=3.0)
    assert c.total_spend == pytest.approx(9.0) and set(c["bound"]) == {"upper"}


def test_each_scenario():
    curves = {"a": mm(1.0, 1.0), "b": mm(4.0, 1.0)}
    # spend until the next unit returns 0.25: x = sqrt(alpha / 0.25) - 1
    m = cw.optimize.allocate(curves, scenario=("target_marginal_roas", 0.25))
    assert m.table["spend"].tolist() == pytest.approx([1.0, 3.0], abs=1e-9)
    assert m.table["marginal_return"].tolist() == pytest.approx([0.25, 0.25], abs=1e-9)
    # the same target, capped by a budget
    capped = cw.optimize.allocate(curves, budget=2.0, scenario={"kind": "target_marginal_roas", "value": 0.25})
    assert capped.total_spend <= 2.0 + 1e-9
    r = cw.optimize.allocate(curves, scenario=("target_roas", 0.6))
    assert r.total_response / r.total_spend == pytest.approx(0.6, abs=1e-9)
    q = cw.optimize.allocate(curves, scenario=("min_spend_for_response", 2.5))
    assert q.total_response == pytest.approx(2.5, abs=1e-9)
    # and the least spend is the max-response split of that spend
    again = cw.optimize.allocate(curves, budget=q.total_spend)
    assert again.total_response == pytest.approx(2.5, abs=1e-9)


def test_infeasible_budgets_and_bad_input_are_typed_errors_naming_the_constraint():
    curves = {"a": mm(1.0, 1.0), "b": mm(4.0, 1.0)}
    with pytest.raises(cw.InvalidParameterError, match=r"invalid budget: .*least spend .* sums to 3, 1 more than the budget"):
        cw.optimize.allocate(curves, budget=2.0, lower={"a": 1.0, "b": 2.0})
    with pytest.raises(cw.InvalidParameterError, match=r"invalid budget: .*most spend .* less than the budget"):
        cw.optimize.allocate(curves, budget=10.0, upper=1.0)
    with pytest.raises(cw.InvalidParameterError, match=r"invalid budget: .*max-response scenario needs a budget"):
        cw.optimize.allocate(curves)
    with pytest.raises(cw.InvalidParameterError, match=r"a\.current.*locked channel needs its current spend"):
        cw.optimize.allocate(curves, budget=2.0, locked={"a": True})
    with pytest.raises(cw.InvalidParameterError, match=r"b\.current.*maximum change needs the current spend"):
        cw.optimize.allocate(curves, budget=2.0, current={"a": 1.0}, max_change=0.1)
    with pytest.raises(cw.InvalidParameterError, match=r"target_roas.*unreachable"):
        cw.optimize.allocate(curves, scenario=("target_roas", 50.0))
    with pytest.raises(cw.InvalidParameterError, match=r"target_response.*unreachable"):
        cw.optimize.allocate(curves, scenario=("min_spend_for_response", 6.0))
    with pytest.raises(cw.OutOfRangeError, match=r"a\.upper"):
        cw.optimize.allocate(curves, budget=2.0, upper={"a": -1.0})
    with pytest.raises(cw.NonFiniteError, match=r"b\.lower"):
        cw.optimize.allocate(curves, budget=2.0, lower={"b": math.nan})
    with pytest.raises(cw.OutOfRangeError, match=r"budget"):
        cw.optimize.allocate(curves, budget=-1.0)
    # past every multiplier a float holds: was ~9.5e151 spent, the rest left silently
    for spend_all in (True, False):
        with pytest.raises(cw.InvalidParameterError, match=r'invalid budget: "1e300" \(more than the curves can take: past 9\.48\d*e151 '):
            cw.optimize.allocate(curves, budget=1e300, spend_all=spend_all)
    with pytest.raises(cw.InvalidParameterError, match=r"invalid upper: \"tv\" \(not a channel"):
        cw.optimize.allocate(curves, budget=2.0, upper={"tv": 1.0})
    with pytest.raises(cw.InvalidParameterError, match=r"scenario.*expected one of max_response"):
        cw.optimize.allocate(curves, budget=2.0, scenario="roas")
    with pytest.raises(cw.InvalidParameterError, match=r"max_change"):
        cw.optimize.allocate(curves, budget=2.0, current=1.0, max_change=("percent", 5))
    with pytest.raises(cw.OutOfRangeError, match=r"search\.saturation\.lam"):
        cw.optimize.allocate({"search": {"kind": "michaelis_menten", "alpha": 1.0, "lam": -1.0}}, budget=1.0)
    with pytest.raises(cw.InvalidParameterError, match=r"channels.*nothing to allocate"):
        cw.optimize.allocate({}, budget=1.0)
    with pytest.raises(TypeError, match=r"curves: expected a FittedMMM"):
        cw.optimize.allocate(mm(1.0, 1.0), budget=1.0)
    # draws of different lengths, adstock draws, a bad objective or CVaR level
    with pytest.raises(cw.LengthMismatchError, match=r"tv\.beta has 3 draws, expected 2"):
        cw.optimize.allocate({"tv": {"kind": "logistic", "lam": [1.0, 2.0], "beta": [1.0, 2.0, 3.0]}}, budget=1.0)
    with pytest.raises(cw.InvalidParameterError, match=r"geometric\.alpha.*adstock parameters are one number"):
        cw.optimize.GeometricAdstock(alpha=[0.5, 0.6])
    with pytest.raises(cw.InvalidParameterError, match=r"objective"):
        cw.optimize.allocate(curves, budget=2.0, objective="median")
    with pytest.raises(cw.OutOfRangeError, match=r"cvar"):
        cw.optimize.allocate(curves, budget=2.0, objective=("cvar", 1.5))


def test_posterior_draws_expected_and_cvar():
    rng = np.random.default_rng(3)
    # search is safe, social better on average and riskier; draw d of both is one joint sample
    search = cw.optimize.MichaelisMenten(alpha=rng.normal(100.0, 5.0, 200), lam=40.0)
    social = cw.optimize.MichaelisMenten(alpha=rng.lognormal(np.log(110.0), 0.5, 200), lam=40.0)
    assert isinstance(search, cw.optimize.CurveDraws) and len(search) == 200
    curves = {"search": search, "social": social}
    mean = cw.optimize.allocate(curves, budget=100.0)  # draws given: the expected response
    assert mean.objective == "expected" and mean.response_draws.shape == (200,)
    assert mean.total_response == pytest.approx(mean.response_draws.mean(), rel=1e-12)
    averse = cw.optimize.allocate(curves, budget=100.0, objective=("cvar", 0.1))
    worst = np.sort(averse.response_draws)[:20].mean()
    assert averse.cvar == pytest.approx(worst, rel=1e-9)
    assert averse.certificate["suboptimality"] <= 1e-6
    assert averse.spend["social"] < mean.spend["social"]
    # no split on a 201-point grid has a higher CVaR (it is concave in the split)
    def cvar(x):
        t = np.array([a.value(x) + b.value(100.0 - x) for a, b in zip(search.draws, social.draws)])
        return np.sort(t)[:20].mean()
    assert max(cvar(x) for x in np.linspace(0.0, 100.0, 201)) <= averse.cvar * (1 + 1e-9)
    # the central curve: each parameter's median
    central = cw.optimize.allocate(curves, budget=100.0, objective="curve")
    assert central.response_draws.size == 0 and central.cvar is None


def test_allocation_plot_marks_the_optimum(fit):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    a = cw.optimize.allocate(fit, budget=80.0)
    fig = a.plot()
    assert isinstance(fig, matplotlib.figure.Figure)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == ["tv", "search"]
    for ax, (name, spend) in zip(axes, a.spend.items()):
        marked = [line for line in ax.get_lines() if list(line.get_xdata()) == [spend]]
        assert marked, f"{name}: no marker at {spend}"
        assert any(lab.startswith("spend") for lab in ax.get_legend_handles_labels()[1])
    four = cw.optimize.allocate({k: mm(1.0 + i, 1.0) for i, k in enumerate("abcd")}, budget=4.0)
    assert four.plot(grid=[0.0, 1.0, 2.0])
    plt.close("all")


def test_readme_allocate_example():
    # START: readme-python-allocate
    import channelwise as cw

    # Response per week to weekly spend, in pymc-marketing's parameterisations
    curves = {
        "tv": cw.optimize.Logistic(lam=0.01, beta=400.0,
                                   adstock=cw.optimize.GeometricAdstock(alpha=0.6, l_max=8, normalize=True)),
        "search": cw.optimize.Hill(beta=300.0, half_saturation=150.0, slope=1.0),
        "social": cw.optimize.MichaelisMenten(alpha=150.0, lam=80.0),
    }
    plan = cw.optimize.allocate(curves, budget=500.0, current={"tv": 200, "search": 200, "social": 60},
                                max_change=0.25, upper={"social": 60})
    print(plan.table.round(2))  # a row per channel; bound: the constraint that holds its spend
    #   channel  spend  response  marginal_return          bound
    # 0      tv  250.0    339.31             0.56  max_change_up
    # 1  search  190.0    167.65             0.39       interior
    # 2  social   60.0     64.29             0.61          upper
    print(plan.certificate["kkt_residual"], plan.certificate["duality_gap"])  # both at rounding level
    # the most spend that still returns 1.5 per dollar, and the spend where the next dollar returns 1
    roas = cw.optimize.allocate(curves, scenario=("target_roas", 1.5))
    marginal = cw.optimize.allocate(curves, scenario=("target_marginal_roas", 1.0))
    # a fitted FittedMMM allocates over its steady-state curves: cw.optimize.allocate(mmm, budget=...)
    # plan.plot() draws each channel's response curve with its chosen spend marked
    # END: readme-python-allocate
    assert plan.total_spend == pytest.approx(500.0)
    assert plan["bound"].tolist() == ["max_change_up", "interior", "upper"]
    assert plan["spend"].round(2).tolist() == [250.0, 190.0, 60.0]
    assert plan.certificate["kkt_residual"] < 1e-9 and plan.certificate["duality_gap"] < 1e-9
    assert set(plan["bound"]) <= {"interior", "upper", "max_change_up", "max_change_down"}
    assert roas.total_response / roas.total_spend == pytest.approx(1.5, abs=1e-9)
    assert max(abs(m - 1.0) for m, b in zip(marginal["marginal_return"], marginal["bound"]) if b == "interior") < 1e-9


def test_contributions_with_bands_over_time():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    n = 80
    tv, search = rng.uniform(0, 100, n), rng.uniform(10, 40, n)
    carried = cw.optimize.Adstock("geometric", l_max=4, alpha=0.5).apply(tv / 100)
    y = 100 + cw.optimize.Saturation("logistic", lam=2.0, beta=30.0).value(carried) + 0.4 * search + rng.normal(0, 1, n)
    df = pd.DataFrame({"tv": tv, "search": search, "y": y})
    fit = cw.optimize.MMM(date=None, target="y", channels=["tv", "search"], l_max=4, seed=0).fit(df)
    parts = fit.contributions(interval=True)
    for c in ["tv", "search"]:
        assert (parts[f"{c}_lo"] <= parts[f"{c}_hi"]).all()
        assert (parts[f"{c}_lo"] <= parts[c] + 1e-9).mean() > 0.9 and (parts[c] <= parts[f"{c}_hi"] + 1e-9).mean() > 0.9
    plain = cw.optimize.MMM(date=None, target="y", channels=["tv", "search"], l_max=4, seed=0, uncertainty=None).fit(df)
    p = plain.contributions(interval=True)
    assert (p["tv_lo"] == p["tv"]).all() and (p["tv_hi"] == p["tv"]).all()


def test_settings_and_roles_are_checked_not_coerced():
    # found by the optimize audit of 2026-12-07: bool("false") is True, the target fitted itself
    rng = np.random.default_rng(0)
    n = 120
    df = pd.DataFrame({"date": pd.date_range("2023-01-01", periods=n, freq="D"), "tv": rng.uniform(0, 100, n), "search": rng.uniform(10, 40, n)})
    df["y"] = 100 + 0.3 * df["tv"] + 0.5 * df["search"] + rng.normal(0, 1, n)
    base = dict(date="date", target="y", channels=["tv", "search"], l_max=4, yearly_seasonality=0, uncertainty=None, starts=1)
    mmm = lambda **kw: cw.optimize.MMM(**{**base, **kw})  # noqa: E731
    for name in ("normalize", "trend", "adstock_first"):
        with pytest.raises(TypeError, match=rf"^{name}: expected True or False, got 'false'"):
            mmm(**{name: "false"}).fit(df)
    with pytest.raises(TypeError, match=r"^normalize: expected True or False"):
        cw.optimize.Adstock("geometric", alpha=0.5, normalize="no")
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid channels: "y" \(it is the target\)'):
        mmm(channels=["tv", "y"]).fit(df)
    with pytest.raises(TypeError, match=r"^level: expected a number"):
        mmm(level=None).fit(df)
    # dates with mixed UTC offsets are read as instants (pandas 2 raised from to_datetime)
    mixed = df.assign(date=[f"{t}{'+00:00' if i % 2 else '+05:00'}" for i, t in enumerate(df["date"])])
    assert mmm().fit(mixed).channels == ["tv", "search"]


def test_wrong_types_in_allocation_are_named():
    mm = cw.optimize.MichaelisMenten
    with pytest.raises(TypeError, match=r"^draws: expected Saturation curves, got int"):
        cw.optimize.CurveDraws([1, 2])
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid curve: "logistic" \(a Saturation of the draws\' kind, michaelis_menten\)'):
        cw.optimize.CurveDraws([mm(alpha=1.0, lam=1.0)] * 3, curve=cw.optimize.Logistic(lam=1.0, beta=1.0))
    curves = {"a": mm(alpha=100.0, lam=40.0), "b": mm(alpha=110.0, lam=40.0)}
    with pytest.raises(cw.InvalidParameterError, match=r"^invalid objective"):
        cw.optimize.allocate(curves, budget=100.0, objective=np.array([1, 2]))
    plan = cw.optimize.allocate(curves, budget=100.0, current={"a": 50.0, "b": 50.0})
    with pytest.raises(TypeError, match=r"^guardrails: expected a dict"):
        cw.optimize.recommend(allocation=plan, guardrails="alpha")
