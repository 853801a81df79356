"""cw.forecast (ETS, STL/MSTL) and cw.anomaly beyond the shared vectors: the API shapes, every
input kind, bad input as typed errors naming the field, plots (Agg), the GIL released, and stubs
for every compiled name."""

from __future__ import annotations

import ast
import math
import pathlib
import threading

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import polars as pl
import pytest

import channelwise as cw
from channelwise import _channelwise

AIR = [112., 118., 132., 129., 121., 135., 148., 148., 136., 119., 104., 118., 115., 126., 141., 135., 125., 149.,
       170., 170., 158., 133., 114., 140., 145., 150., 178., 163., 172., 178., 199., 199., 184., 162., 146., 166.,
       171., 180., 193., 181., 183., 218., 230., 242., 209., 191., 172., 194.]


def monthly():
    return pd.Series(AIR, index=pd.date_range("2000-01-01", periods=len(AIR), freq="MS"), name="air")


# ------------------------------------------------------------------------------------------ ETS


def test_auto_ets_api_and_predict_frame():
    fit = cw.forecast.AutoEts(season_length=12).fit(monthly())
    assert fit.model.startswith("ETS(") and fit.n_params > 0
    assert math.isfinite(fit.aic) and math.isfinite(fit.aicc) and math.isfinite(fit.bic) and math.isfinite(fit.loglik)
    assert fit.sigma2 > 0
    assert set(fit.params) == {"alpha", "beta", "gamma", "phi", "initial_level", "initial_trend", "initial_seasonal"}
    for arr in (fit.fitted, fit.residuals, fit.innovations):
        assert isinstance(arr, np.ndarray) and arr.shape == (len(AIR),)
    np.testing.assert_allclose(fit.residuals, np.asarray(AIR) - fit.fitted)
    f = fit.predict(6, level=[80, 95])
    assert list(f.columns) == ["mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    assert f.index[0] == pd.Timestamp("2004-01-01") and len(f) == 6
    assert (f["lo-95"] <= f["lo-80"]).all() and (f["lo-80"] <= f["mean"]).all() and (f["mean"] <= f["hi-80"]).all()
    assert (f["hi-80"] <= f["hi-95"]).all()
    assert "AICc" in fit.summary() and fit.model in repr(fit)


def test_predict_index_without_dates_and_polars_out():
    fit = cw.forecast.Ets(error="A", trend="A").fit(AIR)
    f = fit.predict(3, level=90)
    assert list(f.index) == [48, 49, 50] and list(f.columns) == ["mean", "lo-90", "hi-90"]
    pf = cw.forecast.Ets().fit(pl.Series(AIR)).predict(2)
    assert isinstance(pf, pl.DataFrame) and pf.columns == ["mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    assert list(cw.forecast.Ets().fit(AIR).predict(2, level=[]).columns) == ["mean"]
    assert len(cw.forecast.Ets().fit(AIR).predict(0)) == 0


@pytest.mark.parametrize(
    "series",
    [
        monthly(),  # DatetimeIndex with a frequency
        pd.Series(AIR, index=pd.date_range("2000-01-01", periods=len(AIR), freq="MS", tz="Europe/Paris")),
        pd.Series(AIR, index=pd.RangeIndex(10, 10 + 2 * len(AIR), 2)),
        pd.Series(AIR, index=[f"m{i}" for i in range(len(AIR))], name=("a", 1)),
        pl.Series("air", AIR),
        np.asarray(AIR),
    ],
    ids=["dates", "dates-tz", "range", "labels", "polars", "numpy"],
)
def test_fitted_ets_round_trips_through_json_without_refitting(series):
    fit = cw.forecast.AutoEts(season_length=12, model="ZZM").fit(series)
    again = cw.forecast.FittedEts.from_json(fit.to_json())
    assert again.model == fit.model and again.aicc == fit.aicc and again.params == fit.params
    np.testing.assert_array_equal(again.fitted, fit.fitted)
    a, b = fit.predict(6), again.predict(6)  # simulated intervals too (ZZM): same seed, same paths
    assert type(a) is type(b)
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        pd.testing.assert_frame_equal(fit.alerts(95), again.alerts(95), check_exact=True)
    else:
        assert a.equals(b)
    assert again.to_json() == fit.to_json()


def test_fitted_ets_from_damaged_json_is_typed():
    text = cw.forecast.Ets(error="A", trend="A").fit(AIR).to_json()
    import json

    d = json.loads(text)
    for broken in (
        "not json",
        json.dumps({"model": "something else"}),
        json.dumps({**d, "fitted": {**d["fitted"], "params": "x"}}),
        json.dumps({**d, "series": {**d["series"], "values": d["series"]["values"][:-1]}}),
        json.dumps({**d, "series": {**d["series"], "values": ["a"] * len(AIR)}}),
        json.dumps({**d, "series": {**d["series"], "index": {"range": [0, 3, 1]}}}),
    ):
        with pytest.raises(cw.InvalidParameterError, match="invalid json"):
            cw.forecast.FittedEts.from_json(broken)


def test_ets_one_model_components_and_same_numbers_for_every_input():
    fit = cw.forecast.Ets(error="M", trend="A", damped=True, season="M", season_length=12).fit(AIR)
    assert fit.model == "ETS(M,Ad,M)"
    p = fit.params
    assert p["phi"] is not None and p["beta"] is not None and len(p["initial_seasonal"]) == 12
    base = cw.forecast.Ets(trend="A").fit(AIR).predict(4)
    for y in (np.asarray(AIR), pd.Series(AIR), pl.Series(AIR), tuple(AIR), [int(v) for v in AIR]):
        got = cw.forecast.Ets(trend="A").fit(y).predict(4)
        assert np.allclose(np.asarray(got["mean"]), base["mean"].to_numpy(), rtol=0, atol=0)


def test_ets_alerts_frame():
    y = [10.0, 10.4, 9.8, 10.1, 10.3, 9.9, 10.2, 10.0, 25.0, 10.1, 10.2, 9.9]
    a = cw.forecast.Ets().fit(y).alerts(level=95)
    assert list(a.columns) == ["index", "actual", "expected", "lower", "upper", "level", "score", "direction", "reason"]
    assert 8 in a["index"].tolist()
    row = a[a["index"] == 8].iloc[0]
    assert row["direction"] == "above" and row["score"] > 0 and "above the 95% interval" in row["reason"]
    assert isinstance(cw.forecast.Ets().fit(pl.Series(y)).alerts(), pl.DataFrame)


@pytest.mark.parametrize(
    "make, err, field",
    [
        (lambda: cw.forecast.Ets(error="X").fit(AIR), cw.InvalidParameterError, "error"),
        (lambda: cw.forecast.Ets(trend="M").fit(AIR), cw.InvalidParameterError, "trend"),
        (lambda: cw.forecast.Ets(season="Q", season_length=4).fit(AIR), cw.InvalidParameterError, "season"),
        (lambda: cw.forecast.Ets(damped=True).fit(AIR), cw.InvalidParameterError, "damped"),
        (lambda: cw.forecast.Ets(season="A").fit(AIR), cw.InvalidParameterError, "season"),
        (lambda: cw.forecast.Ets(season_length=-1).fit(AIR), cw.OutOfRangeError, "season_length"),
        (lambda: cw.forecast.AutoEts(season_length=0).fit(AIR), cw.OutOfRangeError, "season_length"),
        (lambda: cw.forecast.AutoEts(model="ZZ").fit(AIR), cw.InvalidParameterError, "model"),
        (lambda: cw.forecast.AutoEts(ic="hqc").fit(AIR), cw.InvalidParameterError, "ic"),
        (lambda: cw.forecast.AutoEts(seed=-3).fit(AIR), cw.OutOfRangeError, "seed"),
        (lambda: cw.forecast.AutoEts().fit([1.0, math.nan, 2.0, 3.0, 4.0]), cw.NonFiniteError, "y[1]"),
        (lambda: cw.forecast.AutoEts().fit(pd.Series([1.0, None, 2.0, 3.0, 4.0])), cw.NonFiniteError, "y[1]"),
        (lambda: cw.forecast.AutoEts().fit([]), cw.NotEnoughDataError, ""),
        (lambda: cw.forecast.AutoEts().fit([1.0, 2.0, 3.0]), cw.NotEnoughDataError, ""),
        (lambda: cw.forecast.Ets(error="M").fit([1.0, 2.0, 0.0, 3.0, 4.0, 2.0]), cw.InvalidRecordError, "row 2, column y"),
        (lambda: cw.forecast.Ets().fit(AIR).predict(3, level=[100]), cw.OutOfRangeError, "levels[0]"),
        (lambda: cw.forecast.Ets().fit(AIR).predict(3, level=[math.nan]), cw.NonFiniteError, "levels[0]"),
        (lambda: cw.forecast.Ets().fit(AIR).predict(-1), cw.OutOfRangeError, "h"),
        (lambda: cw.forecast.Ets().fit(AIR).alerts(level=0), cw.OutOfRangeError, "level"),
        (lambda: cw.forecast.AutoEts().fit(["a", 1.0, 2.0, 3.0]), cw.InvalidRecordError, "row 0"),
    ],
)
def test_ets_bad_input_is_typed(make, err, field):
    with pytest.raises(err) as info:
        make()
    assert field in str(info.value)


def test_ets_wrong_types():
    for bad in (lambda: cw.forecast.AutoEts().fit("abc"), lambda: cw.forecast.AutoEts().fit(5.0),
                lambda: cw.forecast.AutoEts().fit(np.ones((4, 2)))):
        with pytest.raises(TypeError):
            bad()
    with pytest.raises(TypeError):
        cw.forecast.AutoEts(season_length=1.5).fit(AIR)
    with pytest.raises(TypeError):
        cw.forecast.Ets().fit(AIR).predict(2, level="95")
    with pytest.raises(TypeError):
        cw.forecast.AutoEts(model=3).fit(AIR)


def test_same_seed_same_simulated_intervals():
    # additive error with multiplicative season: intervals are simulated from seeded paths
    spec = dict(error="A", season="M", season_length=12)
    a = cw.forecast.Ets(**spec, seed=1).fit(AIR).forecast(6)
    b = cw.forecast.Ets(**spec, seed=1).fit(AIR).forecast(6)
    assert a["simulated"] and np.array_equal(a["lo-95"], b["lo-95"])


# ------------------------------------------------------------------------------ decomposition


def test_stl_api_follows_the_input():
    d = cw.forecast.stl(monthly(), period=12, robust=True)
    assert isinstance(d.trend, pd.Series) and d.trend.index.equals(monthly().index)
    np.testing.assert_allclose(d.trend + d.seasonal + d.resid, AIR, atol=1e-9)
    assert 0 <= d.seasonal_strength <= 1 and 0 <= d.trend_strength <= 1
    assert list(d.frame().columns) == ["observed", "trend", "seasonal", "resid"]
    assert d.weights.min() < 1.0  # robust weights
    assert isinstance(cw.forecast.stl(AIR, 12).trend, np.ndarray)
    pd_ = cw.forecast.stl(pl.Series(AIR), 12)
    assert isinstance(pd_.trend, pl.Series) and isinstance(pd_.frame(), pl.DataFrame)
    assert d.seasonal_strength == pytest.approx(cw.forecast.seasonal_strength(d.seasonal, d.resid))
    assert d.trend_strength == pytest.approx(cw.forecast.trend_strength(d.trend, d.resid))


def test_mstl_api():
    y = [50 + [0, 2, 1][t % 3] + [0, 1, 3, 1, 0, -1, -2][t % 7] + 0.01 * t for t in range(84)]
    d = cw.forecast.mstl(y, periods=[7, 3], robust=True, trend=41)
    assert d.periods == [3, 7] and d.windows == [11, 15]
    assert list(d.seasonal.columns) == ["seasonal_3", "seasonal_7"]
    assert list(d.frame().columns) == ["observed", "trend", "seasonal_3", "seasonal_7", "resid"]
    assert len(d.seasonal_strengths) == 2
    total = np.asarray(d.trend) + d.seasonal.sum(axis=1).to_numpy() + np.asarray(d.resid)
    np.testing.assert_allclose(total, y, atol=1e-9)
    assert isinstance(cw.forecast.mstl(pl.Series(y), [7]).seasonal, pl.DataFrame)


@pytest.mark.parametrize(
    "make, err, field",
    [
        (lambda: cw.forecast.stl(AIR, period=1), cw.OutOfRangeError, "period"),
        (lambda: cw.forecast.stl(AIR, period=-12), cw.OutOfRangeError, "period"),
        (lambda: cw.forecast.stl(AIR, period=12, seasonal=8), cw.InvalidParameterError, "seasonal"),
        (lambda: cw.forecast.stl(AIR, period=12, trend=11), cw.InvalidParameterError, "trend"),
        (lambda: cw.forecast.stl(AIR, period=12, trend_deg=2), cw.OutOfRangeError, "trend_deg"),
        (lambda: cw.forecast.stl(AIR, period=12, seasonal_jump=0), cw.OutOfRangeError, "seasonal_jump"),
        (lambda: cw.forecast.stl(AIR, period=12, inner_iter=-1), cw.OutOfRangeError, "inner_iter"),
        (lambda: cw.forecast.stl(AIR[:20], period=12), cw.NotEnoughDataError, ""),
        (lambda: cw.forecast.stl([1.0, math.inf] * 12, period=4), cw.NonFiniteError, "y[1]"),
        (lambda: cw.forecast.mstl(AIR, periods=[12, 4], windows=[11]), cw.LengthMismatchError, "windows"),
        (lambda: cw.forecast.mstl(AIR, periods=[30]), cw.NotEnoughDataError, ""),
        (lambda: cw.forecast.mstl(AIR, periods=[]), cw.NotEnoughDataError, ""),
        (lambda: cw.forecast.mstl(AIR, periods=[12], iterate=0), cw.OutOfRangeError, "iterate"),
        (lambda: cw.forecast.mstl([0.0] + AIR[1:], periods=[12], lmbda=0), cw.OutOfRangeError, "y[0]"),
        (lambda: cw.forecast.mstl(AIR, periods=[12], seasonal=7), cw.InvalidParameterError, "seasonal"),
        (lambda: cw.forecast.seasonal_strength([1.0, 2.0], [1.0]), cw.LengthMismatchError, "resid"),
    ],
)
def test_decomposition_bad_input_is_typed(make, err, field):
    with pytest.raises(err) as info:
        make()
    assert field in str(info.value)


def test_decomposition_wrong_types():
    with pytest.raises(TypeError):
        cw.forecast.stl(AIR, period=12.0)
    with pytest.raises(TypeError):
        cw.forecast.stl(AIR, period=12, trend="23")
    with pytest.raises(TypeError):
        cw.forecast.mstl(AIR, periods=[12], lmbda="auto")


# ---------------------------------------------------------------------------- isolation forest


def blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    x[:5] += 8.0
    return x


@pytest.mark.parametrize(
    "make",
    [np.asarray, lambda a: a.tolist(), lambda a: pd.DataFrame(a, columns=["a", "b"]),
     lambda a: pd.DataFrame(a), lambda a: pl.DataFrame({"a": a[:, 0], "b": a[:, 1]}),
     lambda a: np.asfortranarray(a), lambda a: a.astype(np.float32).astype(np.float64)],
    ids=["numpy", "rows", "pandas", "pandas-int-columns", "polars", "fortran", "roundtrip"],
)
def test_isolation_forest_every_matrix_kind(make):
    x = blobs()
    base = cw.anomaly.IsolationForest(seed=3).fit(x)
    m = cw.anomaly.IsolationForest(seed=3).fit(make(x))
    np.testing.assert_array_equal(m.score_samples(make(x)), base.score_samples(x))
    assert m.score_samples(x.reshape(-1), n_features=2).tolist() == base.score_samples(x).tolist()


def test_isolation_forest_api():
    x = blobs()
    m = cw.anomaly.IsolationForest(n_estimators=50, max_samples=64, contamination=0.05, max_features=2, seed=1).fit(x)
    s, d, p = m.score_samples(x), m.decision_function(x), m.predict(x)
    assert s.dtype == np.float64 and p.dtype == np.int8 and set(p.tolist()) <= {1, -1}
    np.testing.assert_allclose(d, s - m.offset_)
    assert ((d < 0) == (p == -1)).all() and 5 <= (p == -1).sum() <= 15
    assert (p[:5] == -1).all()
    assert (m.n_estimators, m.max_samples_, m.max_features_, m.n_features_in_) == (50, 64, 2, 2)
    assert cw.anomaly.IsolationForest(max_samples=0.5).fit(x).max_samples_ == 100
    assert cw.anomaly.IsolationForest(max_features=0.5).fit(x).max_features_ == 1
    assert cw.anomaly.IsolationForest().fit(x).offset_ == -0.5
    assert cw.anomaly.IsolationForest(max_samples=np.int64(32)).fit(x).max_samples_ == 32
    assert "FittedIsolationForest" in repr(m)
    assert cw.anomaly.average_path_length(2) == 1.0


@pytest.mark.parametrize(
    "make, err, field",
    [
        (lambda: cw.anomaly.IsolationForest(n_estimators=0).fit([[1.0], [2.0]]), cw.OutOfRangeError, "n_estimators"),
        (lambda: cw.anomaly.IsolationForest(max_samples=0).fit([[1.0], [2.0]]), cw.OutOfRangeError, "max_samples"),
        (lambda: cw.anomaly.IsolationForest(max_samples=-5).fit([[1.0], [2.0]]), cw.OutOfRangeError, "max_samples"),
        (lambda: cw.anomaly.IsolationForest(max_samples=1.5).fit([[1.0], [2.0]]), cw.OutOfRangeError, "max_samples"),
        (lambda: cw.anomaly.IsolationForest(max_samples="all").fit([[1.0]]), cw.InvalidParameterError, "max_samples"),
        (lambda: cw.anomaly.IsolationForest(max_samples=True).fit([[1.0]]), cw.InvalidParameterError, "max_samples"),
        (lambda: cw.anomaly.IsolationForest(contamination=0.6).fit([[1.0], [2.0]]), cw.OutOfRangeError, "contamination"),
        (lambda: cw.anomaly.IsolationForest(contamination=0.0).fit([[1.0], [2.0]]), cw.InvalidParameterError, "contamination"),
        (lambda: cw.anomaly.IsolationForest(contamination="high").fit([[1.0]]), cw.InvalidParameterError, "contamination"),
        (lambda: cw.anomaly.IsolationForest(contamination=math.nan).fit([[1.0], [2.0]]), cw.NonFiniteError, "contamination"),
        (lambda: cw.anomaly.IsolationForest(max_features=3).fit([[1.0, 2.0]]), cw.OutOfRangeError, "max_features"),
        (lambda: cw.anomaly.IsolationForest(max_features="sqrt").fit([[1.0]]), cw.InvalidParameterError, "max_features"),
        (lambda: cw.anomaly.IsolationForest(seed=-1).fit([[1.0]]), cw.OutOfRangeError, "seed"),
        (lambda: cw.anomaly.IsolationForest().fit([]), cw.NotEnoughDataError, ""),
        (lambda: cw.anomaly.IsolationForest().fit(np.empty((0, 3))), cw.NotEnoughDataError, ""),
        (lambda: cw.anomaly.IsolationForest().fit([[1.0, 2.0], [3.0]]), cw.LengthMismatchError, "rows[1]"),
        (lambda: cw.anomaly.IsolationForest().fit([[1.0, math.nan]]), cw.NonFiniteError, "x[row 0, column 1]"),
        (lambda: cw.anomaly.IsolationForest().fit(pd.DataFrame({"a": [1.0, None]})), cw.NonFiniteError, "row 1"),
        (lambda: cw.anomaly.IsolationForest().fit(pd.DataFrame({"a": ["x", "y"]})), cw.InvalidRecordError, "a"),
        (lambda: cw.anomaly.IsolationForest().fit([1.0, 2.0, 3.0], n_features=2), cw.LengthMismatchError, ""),
        (lambda: cw.anomaly.IsolationForest().fit([1.0, 2.0], n_features=0), cw.OutOfRangeError, "n_features"),
        (lambda: cw.anomaly.IsolationForest().fit([[1.0, 2.0]]).score_samples([[1.0]]), cw.LengthMismatchError, "n_features"),
        (lambda: cw.anomaly.IsolationForest().fit([[1.0]]).predict([[math.inf]]), cw.NonFiniteError, "x[row 0, column 0]"),
        (lambda: cw.anomaly.average_path_length(-1), cw.OutOfRangeError, "n"),
    ],
)
def test_isolation_forest_bad_input_is_typed(make, err, field):
    with pytest.raises(err) as info:
        make()
    assert field in str(info.value)


def test_isolation_forest_wrong_types():
    for bad in (lambda: cw.anomaly.IsolationForest().fit("abc"), lambda: cw.anomaly.IsolationForest().fit(np.ones(4)),
                lambda: cw.anomaly.IsolationForest().fit(pd.Series([1.0, 2.0])), lambda: cw.anomaly.IsolationForest().fit([1.0, 2.0]),
                lambda: cw.anomaly.IsolationForest(n_estimators=10.0).fit([[1.0]])):
        with pytest.raises(TypeError):
            bad()


# ---------------------------------------------------------------------------- robust detectors


def spiky():
    y = [10.0 + ((t * 7) % 5) * 0.2 for t in range(60)]
    y[20] = 30.0
    y[45] = -5.0
    return y


def test_robust_detectors_api():
    y = spiky()
    assert cw.anomaly.mad(y) > 0
    r = cw.anomaly.mad_outliers(y)
    assert r.outliers.tolist() == [20, 45] and len(r.scores) == 60
    assert list(r.frame().columns) == ["value", "score", "is_outlier"]
    h = cw.anomaly.hampel(pd.Series(y), half_window=3)
    assert h.outliers.tolist() == [20, 45] and isinstance(h.filtered, pd.Series)
    assert h.is_outlier.sum() == 2 and list(h.frame().columns) == ["value", "filtered", "median", "scale", "is_outlier"]
    e = cw.anomaly.esd(y, max_anoms=0.1, direction="both")
    assert e.indices.tolist() == [20, 45] and e.n_anomalies == 2
    assert list(e.anomalies.columns) == ["index", "value", "expected", "score", "step"]
    assert cw.anomaly.esd(y, direction="pos").indices.tolist() == [20]
    assert cw.anomaly.esd(y, direction="neg").indices.tolist() == [45]
    s = cw.anomaly.seasonal_esd(pl.Series(y), period=5)
    assert isinstance(s.anomalies, pl.DataFrame) and isinstance(s.seasonal, pl.Series)
    assert 20 in s.indices.tolist() and s.median is not None


def test_residual_alerts_api():
    a = cw.anomaly.residual_alerts([250.0, 310.0, 100.0], [255.0, 265.2, 150.0], [230.0, 240.1, 120.0],
                                   [280.0, 290.3, 180.0], level=95)
    assert a["index"].tolist() == [1, 2] and a["direction"].tolist() == ["above", "below"]
    assert a["score"].iloc[0] > 0 > a["score"].iloc[1]
    empty = cw.anomaly.residual_alerts([1.0], [1.0], [0.0], [2.0])
    assert len(empty) == 0 and "reason" in empty.columns
    assert isinstance(cw.anomaly.residual_alerts(pl.Series([5.0]), [1.0], [0.0], [2.0]), pl.DataFrame)


@pytest.mark.parametrize(
    "make, err, field",
    [
        (lambda: cw.anomaly.mad([]), cw.NotEnoughDataError, ""),
        (lambda: cw.anomaly.mad([1.0, math.nan]), cw.NonFiniteError, "x[1]"),
        (lambda: cw.anomaly.mad_outliers([1.0, 2.0], threshold=-1), cw.OutOfRangeError, "threshold"),
        (lambda: cw.anomaly.mad_outliers([1.0, 2.0], threshold=math.nan), cw.NonFiniteError, "threshold"),
        (lambda: cw.anomaly.hampel([1.0, 2.0], half_window=0), cw.OutOfRangeError, "half_window"),
        (lambda: cw.anomaly.hampel([1.0, 2.0], half_window=-2), cw.OutOfRangeError, "half_window"),
        (lambda: cw.anomaly.hampel([1.0, 2.0], n_sigmas=-1.0), cw.OutOfRangeError, "n_sigmas"),
        (lambda: cw.anomaly.hampel([], half_window=2), cw.NotEnoughDataError, ""),
        (lambda: cw.anomaly.esd(spiky(), direction="up"), cw.InvalidParameterError, "direction"),
        (lambda: cw.anomaly.esd(spiky(), max_anoms=0.6), cw.OutOfRangeError, "max_anoms"),
        (lambda: cw.anomaly.esd(spiky(), max_anoms=0.0), cw.InvalidParameterError, "max_anoms"),
        (lambda: cw.anomaly.esd(spiky(), alpha=1.0), cw.InvalidParameterError, "alpha"),
        (lambda: cw.anomaly.esd([1.0, 2.0]), cw.NotEnoughDataError, ""),
        (lambda: cw.anomaly.esd([1.0] * 5), cw.NotEnoughDataError, ""),
        (lambda: cw.anomaly.seasonal_esd(spiky(), period=1), cw.OutOfRangeError, "period"),
        (lambda: cw.anomaly.seasonal_esd(spiky(), period=-4), cw.OutOfRangeError, "period"),
        (lambda: cw.anomaly.seasonal_esd(spiky()[:10], period=7), cw.NotEnoughDataError, ""),
        (lambda: cw.anomaly.residual_alerts([1.0, 2.0], [1.0], [0.0], [2.0]), cw.LengthMismatchError, "expected"),
        (lambda: cw.anomaly.residual_alerts([1.0], [1.0], [0.0], [2.0], level=100), cw.OutOfRangeError, "level"),
        (lambda: cw.anomaly.residual_alerts([1.0], [3.0], [0.0], [2.0]), cw.OutOfRangeError, "expected[0]"),
        (lambda: cw.anomaly.residual_alerts([math.nan], [1.0], [0.0], [2.0]), cw.NonFiniteError, "actual[0]"),
    ],
)
def test_robust_bad_input_is_typed(make, err, field):
    with pytest.raises(err) as info:
        make()
    assert field in str(info.value)


def test_robust_wrong_types():
    for bad in (lambda: cw.anomaly.mad("abc"), lambda: cw.anomaly.esd(spiky(), direction=1),
                lambda: cw.anomaly.hampel(spiky(), half_window=2.5), lambda: cw.anomaly.esd(spiky(), alpha="0.05"),
                lambda: cw.anomaly.mad_outliers({"a": 1.0})):
        with pytest.raises(TypeError):
            bad()


# ------------------------------------------------------------------------------------ plots


def test_plots(tmp_path):
    import matplotlib.pyplot as plt

    fit = cw.forecast.AutoEts(season_length=12).fit(monthly())
    ax = fit.plot(h=12, level=[80, 95])
    assert len(ax.collections) == 2 and ax.get_title() == fit.model
    ax.figure.savefig(tmp_path / "fan.png")
    ax2 = cw.forecast.Ets().fit(AIR).plot(h=5)
    assert len(ax2.lines) == 2
    fig = cw.forecast.mstl(AIR, periods=[12, 4]).plot(title="mstl")
    assert len(fig.axes) == 5
    fig.savefig(tmp_path / "mstl.png")
    assert len(cw.forecast.stl(monthly(), 12).plot().axes) == 4
    for r in (cw.anomaly.mad_outliers(spiky()), cw.anomaly.hampel(spiky()), cw.anomaly.esd(spiky()),
              cw.anomaly.seasonal_esd(spiky(), period=5)):
        ax = r.plot()
        assert any(len(c.get_offsets()) >= 1 for c in ax.collections)
    plt.close("all")


# ------------------------------------------------------------------------------ GIL and stubs


def test_gil_is_released_during_fits():
    y = np.asarray(AIR * 4)
    x = np.random.default_rng(0).normal(size=(3000, 4))
    results = []
    work = [lambda: results.append(cw.forecast.AutoEts(season_length=12).fit(y).aicc),
            lambda: results.append(cw.anomaly.IsolationForest(seed=1).fit(x).score_samples(x).sum())] * 2
    threads = [threading.Thread(target=w) for w in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4


def test_every_compiled_name_has_a_stub():
    stub = pathlib.Path(_channelwise.__file__).with_name("_channelwise.pyi")
    tree = ast.parse(stub.read_text())
    declared = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    declared |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target] if isinstance(t, ast.Name)}
    declared |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    public = {n for n in dir(_channelwise) if not n.startswith("__")}
    missing = sorted(public - declared)
    assert not missing, f"names of the compiled module without a stub in _channelwise.pyi: {missing}"
    for cls in ("FittedEts", "FittedIsolationForest"):
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
        members = {m.name for m in node.body if isinstance(m, ast.FunctionDef)}
        runtime = {m for m in dir(getattr(_channelwise, cls)) if not m.startswith("_")}
        assert runtime <= members, f"{cls}: stub lacks {sorted(runtime - members)}"


def test_new_names_are_exported():
    for name in ("AutoEts", "Ets", "FittedEts", "stl", "mstl", "Decomposition", "seasonal_strength", "trend_strength"):
        assert name in cw.forecast.__all__ and hasattr(cw.forecast, name)
    for name in cw.anomaly.__all__:
        assert hasattr(cw.anomaly, name)
    assert "anomaly" in cw.__all__


def test_docstring_examples_run():
    import doctest

    for mod in (cw.forecast.ets, cw.forecast.decompose, cw.anomaly):
        r = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert r.failed == 0 and r.attempted > 0, mod.__name__
