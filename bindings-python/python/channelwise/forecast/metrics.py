"""Forecast accuracy: point errors, interval scores and rolling-origin cross-validation.

Every metric takes ``actual`` first and the forecast second, as 1-D series (numpy arrays,
pandas or polars Series, pyarrow arrays, lists). Lengths must match
(:class:`channelwise.LengthMismatchError`), values must be finite
(:class:`channelwise.NonFiniteError` naming ``actual[i]``, ``predicted[i]``, ...) and no metric
returns NaN: where one is undefined (MAPE at a zero actual, MASE on a flat history) it raises.
Percentage metrics are fractions (0.05 is 5%), as in scikit-learn and utilsforecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .. import _channelwise as _cw
from .. import _frames

__all__ = [
    "mae",
    "rmse",
    "mape",
    "smape",
    "mase",
    "coverage",
    "winkler",
    "RollingOrigin",
    "RollingOriginResult",
]


def _pair(actual: Any, predicted: Any) -> "tuple[bytes, bytes]":
    return _frames.series("actual", actual), _frames.series("predicted", predicted)


def mae(actual: Any, predicted: Any) -> float:
    """Mean absolute error, ``mean |actual - predicted|``."""
    return _cw.forecast_mae(*_pair(actual, predicted))


def rmse(actual: Any, predicted: Any) -> float:
    """Root mean squared error, ``sqrt(mean (actual - predicted)^2)``."""
    return _cw.forecast_rmse(*_pair(actual, predicted))


def mape(actual: Any, predicted: Any) -> float:
    """Mean absolute percentage error as a fraction, ``mean |actual - predicted| / |actual|``.

    A zero actual is :class:`channelwise.InvalidRecordError` (use :func:`smape` or :func:`mase`).
    """
    return _cw.forecast_mape(*_pair(actual, predicted))


def smape(actual: Any, predicted: Any) -> float:
    """Symmetric MAPE as a fraction in [0, 2] (M3/M4 definition without the factor 100):
    ``mean 2 |actual - predicted| / (|actual| + |predicted|)``, a term with both zero counting 0.
    (utilsforecast's ``smape`` omits the 2; halve this to compare.)"""
    return _cw.forecast_smape(*_pair(actual, predicted))


def mase(actual: Any, predicted: Any, insample: Any, m: int = 1) -> float:
    """Mean absolute scaled error: MAE over the in-sample MAE of the seasonal naive forecast
    of period ``m`` (Hyndman & Koehler 2006; ``m = 1`` for non-seasonal data).

    A flat or exactly ``m``-periodic history has no scale: :class:`channelwise.InvalidParameterError`.
    """
    return _cw.forecast_mase(*_pair(actual, predicted), _frames.series("insample", insample), m)


def _interval(actual: Any, lower: Any, upper: Any) -> "tuple[bytes, bytes, bytes]":
    return (
        _frames.series("actual", actual),
        _frames.series("lower", lower),
        _frames.series("upper", upper),
    )


def coverage(actual: Any, lower: Any, upper: Any) -> float:
    """Fraction of actuals inside their prediction interval ``[lower, upper]`` (ends included).

    ``upper[i] < lower[i]`` is :class:`channelwise.OutOfRangeError`."""
    return _cw.forecast_coverage(*_interval(actual, lower, upper))


def winkler(actual: Any, lower: Any, upper: Any, alpha: float) -> float:
    """Mean Winkler (interval) score of ``1 - alpha`` prediction intervals: width plus
    ``2 / alpha`` times the miss (Gneiting & Raftery 2007, eq. 43). Lower is better;
    ``0 < alpha < 1`` (``alpha=0.05`` for 95% intervals)."""
    return _cw.forecast_winkler(*_interval(actual, lower, upper), alpha)


@dataclass(frozen=True)
class RollingOriginResult:
    """Forecast errors of a rolling-origin evaluation, by fold and by horizon."""

    origins: np.ndarray
    """Forecast origin of each fold (the length of its training window), int64."""
    errors: np.ndarray
    """``errors[fold, h]`` is ``actual - forecast`` at ``h + 1`` steps ahead (folds x horizon)."""
    mae: np.ndarray
    """Mean absolute error at each horizon ``1..horizon``, over folds."""
    rmse: np.ndarray
    """Root mean squared error at each horizon, over folds."""

    def summary(self) -> Any:
        """A pandas DataFrame with columns ``horizon`` (1-based), ``mae``, ``rmse``."""
        return _frames.frame(
            _frames.PANDAS,
            {"horizon": np.arange(1, len(self.mae) + 1), "mae": self.mae, "rmse": self.rmse},
        )


FitPredict = Callable[[np.ndarray, int], Any]


class RollingOrigin:
    """Rolling-origin (time-series) cross-validation.

    Fold ``i`` trains on ``y[:initial + i * step]`` and tests on the next ``horizon`` points;
    folds stop when the test window would run past the series. ``initial``, ``horizon`` and
    ``step`` are at least 1 (:class:`channelwise.OutOfRangeError`).

    >>> import channelwise as cw
    >>> naive = lambda train, h: [train[-1]] * h
    >>> cw.forecast.RollingOrigin(5, 3).evaluate(range(10), naive).mae.tolist()
    [1.0, 2.0, 3.0]
    """

    def __init__(self, initial: int, horizon: int, step: int = 1) -> None:
        self._cv = _cw.RollingOrigin(initial, horizon, step)

    @property
    def initial(self) -> int:
        return self._cv.initial

    @property
    def horizon(self) -> int:
        return self._cv.horizon

    @property
    def step(self) -> int:
        return self._cv.step

    def n_folds(self, n: int) -> int:
        """Number of folds for a series of length ``n`` (0 if ``n < initial + horizon``)."""
        return self._cv.n_folds(n)

    def evaluate(self, y: Any, fit_predict: FitPredict) -> RollingOriginResult:
        """Calls ``fit_predict(train, horizon)`` on every fold of ``y`` and collects the errors.

        ``train`` is a read-only float64 numpy array of the training window; ``fit_predict``
        returns ``horizon`` forecasts (array-like). An exception it raises propagates unchanged;
        a wrong number of forecasts is :class:`channelwise.LengthMismatchError`, a non-finite one
        :class:`channelwise.NonFiniteError` (``forecast[h]``). A series shorter than
        ``initial + horizon`` is :class:`channelwise.NotEnoughDataError`.
        """
        if not callable(fit_predict):
            raise TypeError(
                f"fit_predict: expected a callable (train, horizon) -> forecasts, got {type(fit_predict).__qualname__}"
            )

        def call(train: bytes, h: int) -> bytes:
            return _frames.series("forecast", fit_predict(np.frombuffer(train, dtype=np.float64), h))

        origins, errors, mae_, rmse_ = self._cv.evaluate(_frames.series("y", y), call)
        h = self.horizon
        return RollingOriginResult(
            origins=np.asarray(origins, dtype=np.int64),
            errors=np.frombuffer(errors, dtype=np.float64).reshape(len(origins), h),
            mae=np.asarray(mae_, dtype=np.float64),
            rmse=np.asarray(rmse_, dtype=np.float64),
        )

    def __repr__(self) -> str:
        return repr(self._cv)
