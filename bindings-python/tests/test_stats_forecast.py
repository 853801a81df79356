"""cw.stats and cw.forecast beyond the shared vectors: every series type gives the same numbers,
bad input is a typed error naming the field, and the rolling-origin callable is called as
documented."""

from __future__ import annotations

import math
import threading

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import channelwise as cw

X = [1.0, 3.0, 2.0, 5.0, 4.0, 7.0, 6.0, 8.0]
Y = [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0]

SERIES = [
    lambda v: list(v),
    lambda v: tuple(v),
    lambda v: np.asarray(v),
    lambda v: np.asarray(v, dtype=np.float32),
    lambda v: pd.Series(v),
    lambda v: pd.Series(v).astype("Float64"),
    lambda v: pl.Series(v),
    lambda v: pa.array(v),
    lambda v: pa.chunked_array([v[:3], v[3:]]),
]
IDS = ["list", "tuple", "numpy", "float32", "pandas", "pandas-Float64", "polars", "arrow", "arrow-chunked"]


@pytest.mark.parametrize("make", SERIES, ids=IDS)
def test_every_series_type_gives_the_same_numbers(make):
    for f in (cw.stats.pearson, cw.stats.spearman, cw.stats.kendall):
        assert f(make(X), make(Y)) == f(X, Y)
    assert cw.stats.mann_kendall(make(X)) == cw.stats.mann_kendall(X)
    assert cw.stats.theil_sen(make(X), make(Y)) == cw.stats.theil_sen(X, Y)
    assert cw.forecast.metrics.rmse(make(X), make(Y)) == cw.forecast.metrics.rmse(X, Y)


def test_integer_series_and_ranges():
    assert cw.stats.kendall(range(8), [int(v) for v in Y]) == cw.stats.kendall([float(i) for i in range(8)], Y)
    assert cw.forecast.metrics.mae([1, 2, 3], [2, 2, 1]) == 1.0


def test_result_types():
    r = cw.stats.kendall(X, Y)
    assert isinstance(r, cw.stats.Correlation) and isinstance(r, tuple)
    statistic, p_value, n = r
    assert (statistic, p_value, n) == (r.statistic, r.p_value, r.n) and n == 8
    with pytest.raises(AttributeError):
        r.statistic = 0.0  # type: ignore[misc]
    mk = cw.stats.mann_kendall(X, alpha=0.05)
    assert mk.trend == "increasing" and mk.h is True and mk.n == 8
    ts = cw.stats.theil_sen(range(8), X)
    assert ts.low_slope <= ts.slope <= ts.high_slope


def test_cross_correlation_frame_follows_the_input():
    out = cw.stats.cross_correlation(X, Y, 2)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["lag", "value"]
    assert out["lag"].tolist() == [-2, -1, 0, 1, 2]
    assert out.loc[out["lag"] == 0, "value"].item() == pytest.approx(cw.stats.pearson(X, Y).statistic)
    pl_out = cw.stats.cross_correlation(pl.Series(X), Y, 2)
    assert isinstance(pl_out, pl.DataFrame) and pl_out["value"].to_list() == out["value"].tolist()


def test_nan_and_missing_are_non_finite_naming_the_field():
    with pytest.raises(cw.NonFiniteError, match=r"^y\[2\] must be finite, got NaN$") as e:
        cw.stats.kendall(X, Y[:2] + [math.nan] + Y[3:])
    assert e.value.code == "non_finite"
    with pytest.raises(cw.NonFiniteError, match=r"x\[1\]"):
        cw.stats.pearson([1.0, None, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(cw.NonFiniteError, match=r"x\[0\]"):
        cw.stats.mann_kendall(pd.Series([None, 1.0, 2.0, 3.0], dtype="Float64"))
    with pytest.raises(cw.NonFiniteError, match=r"x\[1\]"):
        cw.stats.spearman(pl.Series([1.0, None, 3.0]), [1.0, 2.0, 3.0])
    with pytest.raises(cw.NonFiniteError, match=r"predicted\[0\].*inf"):
        cw.forecast.metrics.mae([1.0], [math.inf])
    with pytest.raises(cw.NonFiniteError, match=r"insample\[1\]"):
        cw.forecast.metrics.mase([1.0], [1.0], [1.0, math.nan, 2.0])
    with pytest.raises(cw.NonFiniteError, match=r"y\[3\]"):
        cw.forecast.RollingOrigin(2, 1).evaluate([1.0, 2.0, 3.0, math.nan], lambda t, h: [0.0] * h)


def test_length_mismatch():
    with pytest.raises(cw.LengthMismatchError, match="y has 2 entries, expected 3") as e:
        cw.stats.kendall([1.0, 2.0, 3.0], [1.0, 2.0])
    assert e.value.code == "length_mismatch"
    with pytest.raises(cw.LengthMismatchError, match="predicted"):
        cw.forecast.metrics.rmse([1.0, 2.0], [1.0])
    with pytest.raises(cw.LengthMismatchError, match="upper"):
        cw.forecast.metrics.coverage([1.0, 2.0], [0.0, 0.0], [3.0])
    with pytest.raises(cw.LengthMismatchError, match="y"):
        cw.stats.cross_correlation(X, Y[:-1], 1)


def test_too_short_and_degenerate():
    with pytest.raises(cw.NotEnoughDataError):
        cw.stats.pearson([1.0, 2.0], [2.0, 1.0])
    with pytest.raises(cw.NotEnoughDataError):
        cw.stats.kendall([], [])
    with pytest.raises(cw.NotEnoughDataError):
        cw.stats.spearman([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])  # constant: scipy would give NaN
    with pytest.raises(cw.NotEnoughDataError):
        cw.stats.mann_kendall([1.0, 2.0])
    with pytest.raises(cw.NotEnoughDataError):
        cw.forecast.metrics.mae([], [])
    with pytest.raises(cw.NotEnoughDataError):
        cw.forecast.RollingOrigin(3, 2).evaluate([1.0, 2.0, 3.0, 4.0], lambda t, h: [0.0] * h)
    with pytest.raises(cw.InvalidRecordError, match="row 1, column actual"):
        cw.forecast.metrics.mape([1.0, 0.0], [1.0, 1.0])


def test_out_of_range_parameters():
    with pytest.raises(cw.OutOfRangeError, match="max_lag"):
        cw.stats.cross_correlation(X, Y, len(X))
    with pytest.raises(cw.OutOfRangeError, match="max_lag"):
        cw.stats.cross_correlation(X, Y, -1)
    with pytest.raises(cw.OutOfRangeError, match="alpha"):
        cw.stats.mann_kendall(X, alpha=1.5)
    with pytest.raises(cw.ChannelwiseError, match="alpha"):
        cw.stats.theil_sen(X, Y, alpha=0.9)
    with pytest.raises(cw.ChannelwiseError, match="alpha"):
        cw.forecast.metrics.winkler([1.0], [0.0], [2.0], 1.0)
    with pytest.raises(cw.OutOfRangeError, match="m must be"):
        cw.forecast.metrics.mase([1.0], [1.0], [1.0, 2.0], m=0)
    for args in ((0, 1, 1), (1, 0, 1), (1, 1, 0), (-3, 1, 1)):
        with pytest.raises(cw.OutOfRangeError):
            cw.forecast.RollingOrigin(*args)


def test_wrong_types():
    for bad in ("1,2,3", b"123", 42, 4.2, None, {"x": [1.0]}, pd.DataFrame({"x": X}), np.ones((2, 4))):
        with pytest.raises(TypeError, match="x: expected a 1-D series"):
            cw.stats.kendall(bad, Y)
    with pytest.raises(cw.InvalidRecordError, match=r"row 2, column y") as e:
        cw.stats.kendall(X[:3], [1.0, 2.0, "3"])
    assert e.value.code == "invalid_record"
    with pytest.raises(cw.InvalidRecordError, match="column actual"):
        cw.forecast.metrics.mae(np.array(["a", "b"]), [1.0, 2.0])
    with pytest.raises(cw.InvalidRecordError, match="row 0"):
        cw.stats.pearson([[1.0], [2.0, 3.0]], [1.0, 2.0])
    with pytest.raises(TypeError):
        cw.stats.mann_kendall(X, alpha="0.05")
    with pytest.raises(TypeError):
        cw.stats.cross_correlation(X, Y, 1.5)
    with pytest.raises(TypeError, match="fit_predict"):
        cw.forecast.RollingOrigin(2, 1).evaluate(X, "naive")


def test_rolling_origin_calls_fit_predict_per_fold():
    seen = []

    def fit_predict(train, h):
        assert isinstance(train, np.ndarray) and train.dtype == np.float64
        assert not train.flags.writeable
        seen.append((len(train), h))
        return np.full(h, train.mean())

    cv = cw.forecast.RollingOrigin(initial=4, horizon=2, step=2)
    assert (cv.initial, cv.horizon, cv.step) == (4, 2, 2)
    assert cv.n_folds(10) == 3 and cv.n_folds(5) == 0
    r = cv.evaluate(pd.Series(np.arange(10.0)), fit_predict)
    assert seen == [(4, 2), (6, 2), (8, 2)]
    assert r.origins.tolist() == [4, 6, 8]
    assert r.errors.shape == (3, 2)
    # a ramp: the mean of 0..n-1 is (n-1)/2, so the error at h steps is (n-1)/2 + h
    assert r.errors[0].tolist() == [2.5, 3.5]
    assert r.summary()["horizon"].tolist() == [1, 2]
    assert repr(cv) == "RollingOrigin(initial=4, horizon=2, step=2)"
    assert cw.forecast.metrics.RollingOrigin is cw.forecast.RollingOrigin


def test_rolling_origin_forecast_errors():
    cv = cw.forecast.RollingOrigin(2, 2)
    with pytest.raises(ZeroDivisionError):
        cv.evaluate(X, lambda t, h: 1 / 0)  # the callable's own exception, unchanged
    with pytest.raises(cw.LengthMismatchError, match="forecast has 1 entries, expected 2"):
        cv.evaluate(X, lambda t, h: [1.0])
    with pytest.raises(cw.NonFiniteError, match=r"forecast\[1\]"):
        cv.evaluate(X, lambda t, h: [1.0, math.nan])
    with pytest.raises(cw.InvalidRecordError, match="column forecast"):
        cv.evaluate(X, lambda t, h: [1.0, "x"])
    with pytest.raises(TypeError, match="forecast"):
        cv.evaluate(X, lambda t, h: None)
    # the binding is reusable after a failing callable
    assert cv.evaluate(X, lambda t, h: [t[-1]] * h).origins.tolist() == list(range(2, 7))


def test_gil_is_released_during_stats():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=200_000), rng.normal(size=200_000)
    results = []
    threads = [threading.Thread(target=lambda: results.append(cw.stats.kendall(x, y))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and len(set(results)) == 1
