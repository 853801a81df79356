"""Exponential smoothing (ETS) state-space models, with statsforecast's names.

``AutoEts(season_length=12).fit(y)`` fits every admissible ETS model and keeps the one with the
lowest AICc (R's ``forecast::ets``, statsforecast's ``AutoETS``); ``Ets(error="M", trend="A",
damped=True, season="M", season_length=12).fit(y)`` fits one. Both return a :class:`FittedEts`.

``y`` is a 1-D series: a list, numpy array, pandas Series (its DatetimeIndex, when it has a
frequency, is continued by :meth:`FittedEts.predict`) or polars Series (polars in, polars out).
Values must be finite (:class:`channelwise.NonFiniteError` naming ``y[i]``); multiplicative
components need positive data (:class:`channelwise.InvalidRecordError`).

>>> import channelwise as cw
>>> y = [112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118,
...      115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140]
>>> fit = cw.forecast.Ets(error="A", trend="A", season="N").fit(y)
>>> fit.model
'ETS(A,A,N)'
>>> list(fit.predict(3, level=[80, 95]).columns)
['mean', 'lo-80', 'hi-80', 'lo-95', 'hi-95']
"""

from __future__ import annotations

import json

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np

from .. import _channelwise as _cw
from .. import _frames

__all__ = ["Ets", "AutoEts", "FittedEts"]

Level = Union[float, Sequence[float]]


def _levels(level: Optional[Level]) -> List[float]:
    if level is None:
        return []
    if isinstance(level, (int, float, np.integer, np.floating)) and not isinstance(level, bool):
        return [float(level)]
    if isinstance(level, (str, bytes)) or not hasattr(level, "__iter__"):
        raise TypeError(f"level: expected a number or a list of numbers (percent), got {type(level).__qualname__}")
    out = []
    for v in level:
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"level: expected numbers (percent), got {v!r}")
        out.append(float(v))
    return out


def _label(level: float) -> str:
    return f"{level:g}"


def _count(role: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{role}: expected an int, got {type(v).__qualname__}")
    return int(v)


@dataclass(frozen=True)
class Ets:
    """One ETS model with fixed components, fitted by maximum likelihood.

    ============= ======= ============================================ =========================
    Name          Default Meaning                                      Range
    ============= ======= ============================================ =========================
    error         ``"A"`` error component                              ``"A"``, ``"M"``
    trend         ``"N"`` trend component                              ``"N"``, ``"A"``
    damped        False   damp the trend by ``phi``                    bool (needs trend ``"A"``)
    season        ``"N"`` seasonal component                           ``"N"``, ``"A"``, ``"M"``
    season_length 1       observations per season                      ``>= 1`` (> 1 if seasonal)
    seed          0       seed of simulated prediction intervals       ``>= 0``
    ============= ======= ============================================ =========================

    A bad letter is :class:`channelwise.InvalidParameterError`; too short a series
    :class:`channelwise.NotEnoughDataError`.

    >>> import channelwise as cw
    >>> fit = cw.forecast.Ets(error="A", trend="A", damped=True).fit([3, 5, 4, 6, 7, 6, 8, 9, 8, 10])
    >>> fit.model
    'ETS(A,Ad,N)'
    """

    error: str = "A"
    trend: str = "N"
    damped: bool = False
    season: str = "N"
    season_length: int = 1
    seed: int = 0

    def fit(self, y: Any) -> "FittedEts":
        """Fits the model to ``y`` (the GIL is released while fitting)."""
        s = _frames.SeriesInput("y", y)
        fit = _cw.ets_fit(
            s.data,
            error=self.error,
            trend=self.trend,
            damped=bool(self.damped),
            season=self.season,
            season_length=_count("season_length", self.season_length),
            seed=_count("seed", self.seed),
        )
        return FittedEts(fit, s)


@dataclass(frozen=True)
class AutoEts:
    """Automatic ETS: fits every admissible candidate, keeps the lowest information criterion.

    ============= ========== =============================================== ======================
    Name          Default    Meaning                                         Range
    ============= ========== =============================================== ======================
    season_length 1          observations per season                         ``>= 1``
    model         ``"ZZZ"``  error, trend, season letters; ``Z`` = choose    ``[AMZ][NAZ][NAMZ]``
    damped        None       damped trend: None tries both, bool forces      None, bool
    restrict      True       exclude additive error with multiplicative      bool
                             season
    ic            ``"aicc"`` criterion minimised                             aic, aicc, bic
    seed          0          seed of simulated prediction intervals          ``>= 0``
    ============= ========== =============================================== ======================

    >>> import channelwise as cw
    >>> y = [float(10 + (t % 4) * 3 + 0.1 * t) for t in range(40)]
    >>> cw.forecast.AutoEts(season_length=4).fit(y).model.startswith("ETS(")
    True
    """

    season_length: int = 1
    model: str = "ZZZ"
    damped: Optional[bool] = None
    restrict: bool = True
    ic: str = "aicc"
    seed: int = 0

    def fit(self, y: Any) -> "FittedEts":
        """Fits every candidate to ``y`` and returns the best (the GIL is released)."""
        if not isinstance(self.model, str):
            raise TypeError(f"model: expected a string such as \"ZZZ\", got {type(self.model).__qualname__}")
        if not isinstance(self.ic, str):
            raise TypeError(f"ic: expected \"aic\", \"aicc\" or \"bic\", got {type(self.ic).__qualname__}")
        s = _frames.SeriesInput("y", y)
        fit = _cw.auto_ets_fit(
            s.data,
            season_length=_count("season_length", self.season_length),
            model=self.model,
            damped=self.damped,
            restrict=bool(self.restrict),
            ic=self.ic,
            seed=_count("seed", self.seed),
        )
        return FittedEts(fit, s)


class FittedEts:
    """A fitted ETS model: criteria, parameters, in-sample fit, forecasts and alerts.

    Conventions are R's and statsforecast's: ``loglik`` with sigma concentrated out,
    ``aicc``/``aic``/``bic`` counting ``n_params`` (smoothing parameters, initial states and the
    variance), ``sigma2 = SSE / (n - n_params - 1)``.
    """

    def __init__(self, fit: Any, series: "_frames.SeriesInput") -> None:
        self._fit = fit
        self._y = series

    def to_json(self) -> str:
        """The fitted model as JSON: the core's model (spec, parameters, states, in-sample fit)
        and the series it was fitted to (values, index, name), so :meth:`from_json` restores it
        without refitting: the same forecasts, intervals and alerts, bit for bit.

        >>> import channelwise as cw
        >>> fit = cw.forecast.Ets(error="A", trend="A").fit([10.0, 12, 13, 15, 16, 18, 19, 21])
        >>> again = cw.forecast.FittedEts.from_json(fit.to_json())
        >>> list(again.forecast(3)["mean"]) == list(fit.forecast(3)["mean"])
        True
        """
        return json.dumps(
            {
                "model": "channelwise.forecast.FittedEts",
                "fitted": json.loads(self._fit.to_json()),
                "series": self._y.to_dict(),
            },
            allow_nan=False,
        )

    @classmethod
    def from_json(cls, text: str) -> "FittedEts":
        """Restores a model written by :meth:`to_json`; a damaged document raises
        :class:`InvalidParameterError`."""
        d = _frames.stored_model(text, "channelwise.forecast.FittedEts", "ETS")
        fit = _cw.FittedEts.from_json(json.dumps(d["fitted"]))
        series = _frames.SeriesInput.from_dict(d.get("series"))
        n = len(fit.fitted) // 8
        if series.n != n:
            raise _cw.InvalidParameterError(f"invalid json: the stored series has {series.n} values, the model {n}")
        return cls(fit, series)

    @property
    def model(self) -> str:
        """The model's name, e.g. ``"ETS(M,Ad,M)"``."""
        return self._fit.model

    @property
    def season_length(self) -> int:
        return self._fit.season_length

    @property
    def loglik(self) -> float:
        return self._fit.loglik

    @property
    def aic(self) -> float:
        return self._fit.aic

    @property
    def aicc(self) -> float:
        return self._fit.aicc

    @property
    def bic(self) -> float:
        return self._fit.bic

    @property
    def sigma2(self) -> float:
        return self._fit.sigma2

    @property
    def n_params(self) -> int:
        return self._fit.n_params

    @property
    def params(self) -> Dict[str, Any]:
        """``alpha``, ``beta``, ``gamma``, ``phi``, ``initial_level``, ``initial_trend``
        (``None`` for an absent component) and ``initial_seasonal`` (time order; empty without
        season)."""
        return dict(self._fit.params)

    @property
    def fitted(self) -> np.ndarray:
        """One-step-ahead in-sample forecasts (numpy)."""
        return np.frombuffer(self._fit.fitted, dtype=np.float64)

    @property
    def residuals(self) -> np.ndarray:
        """``y - fitted`` (numpy)."""
        return np.frombuffer(self._fit.residuals, dtype=np.float64)

    @property
    def innovations(self) -> np.ndarray:
        """The model's errors: ``y - fitted`` (additive) or ``(y - fitted) / fitted``
        (multiplicative), statsforecast's ``residuals``."""
        return np.frombuffer(self._fit.innovations, dtype=np.float64)

    def forecast(self, h: int, level: Optional[Level] = (80, 95)) -> Dict[str, Any]:
        """Point forecasts and bounds as numpy arrays: ``{"mean", "lo-80", "hi-80", ...,
        "simulated"}`` (``simulated`` says whether intervals come from simulated paths)."""
        mean, levels, lower, upper, simulated = self._fit.forecast(_count("h", h), _levels(level))
        out: Dict[str, Any] = {"mean": np.frombuffer(mean, dtype=np.float64)}
        for lv, lo, hi in zip(levels, lower, upper):
            out[f"lo-{_label(lv)}"] = np.frombuffer(lo, dtype=np.float64)
            out[f"hi-{_label(lv)}"] = np.frombuffer(hi, dtype=np.float64)
        out["simulated"] = simulated
        return out

    def predict(self, h: int, level: Optional[Level] = (80, 95)) -> Any:
        """Forecasts ``h`` steps ahead with prediction intervals at each ``level`` (percent).

        Returns a DataFrame with columns ``mean``, ``lo-<level>``, ``hi-<level>`` (statsforecast's
        names). Its index continues the input's pandas DatetimeIndex when that has a frequency,
        else counts positions after the history (``n .. n + h - 1``); polars in, polars out.
        ``h >= 0``; a level outside ``(0, 100)`` is :class:`channelwise.OutOfRangeError`.

        >>> import channelwise as cw
        >>> fit = cw.forecast.Ets().fit([5.0, 6.0, 5.5, 6.5, 6.0, 5.8])
        >>> fit.predict(2, level=95).round(2).columns.tolist()
        ['mean', 'lo-95', 'hi-95']
        """
        f = self.forecast(h, level)
        f.pop("simulated")
        if self._y.kind == _frames.POLARS:
            return _frames.frame(_frames.POLARS, f)
        import pandas as pd

        return pd.DataFrame(f, index=self._y.future_index(len(f["mean"])))

    def alerts(self, level: float = 95) -> Any:
        """In-sample points outside their one-step-ahead prediction interval at ``level``.

        One row per alert: ``index`` (position), ``actual``, ``expected`` (the fitted value),
        ``lower``, ``upper``, ``level``, ``score`` (standardised residual), ``direction``
        (``"above"``/``"below"``) and ``reason`` (a sentence). Polars in, polars out.
        """
        return _alerts_frame(self._fit.alerts(float(level)), self._y.kind)

    def summary(self) -> str:
        """A plain-text report: model, parameters, initial states and criteria."""
        p = self.params
        lines = [f"{self.model}  (n = {self._y.n}, season length {self.season_length})", "", "Smoothing parameters:"]
        for k in ("alpha", "beta", "gamma", "phi"):
            if p[k] is not None:
                lines.append(f"  {k:<6} = {p[k]:.4f}")
        lines.append("Initial states:")
        lines.append(f"  l = {p['initial_level']:.4f}")
        if p["initial_trend"] is not None:
            lines.append(f"  b = {p['initial_trend']:.4f}")
        if p["initial_seasonal"]:
            lines.append("  s = " + " ".join(f"{v:.4f}" for v in p["initial_seasonal"]))
        if self._fit.seasonal_states_fixed:
            lines.append("  (seasonal states kept at the decomposition heuristic: season length > 24)")
        lines += [
            "",
            f"sigma2 = {self.sigma2:.6g}",
            f"loglik = {self.loglik:.4f}   n_params = {self.n_params}",
            f"AIC = {self.aic:.4f}   AICc = {self.aicc:.4f}   BIC = {self.bic:.4f}",
        ]
        return "\n".join(lines)

    def plot(self, h: int = 12, level: Optional[Level] = (80, 95), ax: Any = None, title: Optional[str] = None) -> Any:
        """History, point forecasts and a fan of the prediction intervals (matplotlib Axes)."""
        from .. import plot

        return plot.forecast(self, h=h, level=level, ax=ax, title=title)

    def __repr__(self) -> str:
        return f"<FittedEts {self._fit}>"

    def __str__(self) -> str:
        return str(self._fit)


def _alerts_frame(cols: Dict[str, List[Any]], kind: str) -> Any:
    cols = dict(cols)
    cols["index"] = np.asarray(cols["index"], dtype=np.int64)
    for k in ("actual", "expected", "lower", "upper", "level", "score"):
        cols[k] = np.asarray(cols[k], dtype=np.float64)
    if kind == _frames.POLARS:
        import polars as pl

        return pl.DataFrame(
            {k: (pl.Series(k, v, dtype=pl.String) if k in ("direction", "reason") else v) for k, v in cols.items()}
        )
    import pandas as pd

    return pd.DataFrame({k: (pd.Series(v, dtype=object) if k in ("direction", "reason") else v) for k, v in cols.items()})
