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
from .._progress import Progress

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

    def fit_many(
        self,
        data: Any,
        id_col: str = "unique_id",
        time_col: Optional[str] = "ds",
        target_col: str = "y",
        progress: Any = False,
    ) -> Dict[Any, "FittedEts"]:
        """Fits every series of ``data`` independently, in parallel over series (the GIL is
        released); returns ``{unique_id: FittedEts}`` in order of first appearance, each model
        the one :meth:`fit` gives for that series alone.

        ``data`` is a long-format pandas or polars DataFrame in statsforecast's layout: columns
        ``unique_id`` (``id_col``), ``ds`` (``time_col``; rows are sorted by it within each
        series; ``None`` keeps the row order) and ``y`` (``target_col``); or a dict
        ``{id: series}``; or a list of series (ids ``0, 1, ...``). ``progress=True`` shows a bar
        over the series (tqdm if installed, else a plain counter on stderr), a callable gets
        ``(done, total)`` and may return ``False`` to stop (:class:`channelwise.CancelledError`);
        Ctrl-C stops the fits and raises ``KeyboardInterrupt``. A series that cannot be fitted
        raises its error (the class of its kind, the message naming the series) once all are
        done.

        >>> import channelwise as cw
        >>> ys = {"a": [float(10 + t % 4 + 0.1 * t) for t in range(40)], "b": [float(5 + t % 4) for t in range(24)]}
        >>> fits = cw.forecast.AutoEts(season_length=4).fit_many(ys)
        >>> sorted(fits) == ["a", "b"] and all(f.model.startswith("ETS(") for f in fits.values())
        True
        """
        if not isinstance(self.model, str):
            raise TypeError(f"model: expected a string such as \"ZZZ\", got {type(self.model).__qualname__}")
        if not isinstance(self.ic, str):
            raise TypeError(f"ic: expected \"aic\", \"aicc\" or \"bic\", got {type(self.ic).__qualname__}")
        ids, inputs = _many_series(data, id_col, time_col, target_col)
        with Progress(progress, "AutoETS", "series") as cb:
            out = _cw.auto_ets_fit_many(
                [s.data for s in inputs],
                season_length=_count("season_length", self.season_length),
                model=self.model,
                damped=self.damped,
                restrict=bool(self.restrict),
                ic=self.ic,
                seed=_count("seed", self.seed),
                progress=cb,
            )
        fits: Dict[Any, FittedEts] = {}
        for uid, s, f in zip(ids, inputs, out):
            if isinstance(f, BaseException):
                raise type(f)(f"series {uid!r}: {f}")
            fits[uid] = FittedEts(f, s)
        return fits


def _many_series(data: Any, id_col: str, time_col: Optional[str], target_col: str) -> Any:
    """``(ids, [SeriesInput])`` from a long DataFrame, a dict of series or a list of series."""
    if isinstance(data, dict):
        return list(data), [_frames.SeriesInput(f"y[{k!r}]", v) for k, v in data.items()]
    if isinstance(data, (list, tuple)):
        return list(range(len(data))), [_frames.SeriesInput(f"y[{i}]", v) for i, v in enumerate(data)]
    module = type(data).__module__.split(".")[0]
    if module not in ("pandas", "polars") or not hasattr(data, "columns"):
        raise TypeError(
            f"data: expected a pandas or polars DataFrame (columns {id_col}, {time_col}, {target_col}), "
            f"a dict of series or a list of series, got {type(data).__qualname__}"
        )
    needed = [c for c in (id_col, time_col, target_col) if c is not None]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise _cw.InvalidParameterError(f"invalid data: no column {missing[0]!r} (columns: {list(data.columns)})")
    for col, what in ((id_col, "series id"), (time_col, "time")):
        # pandas' groupby would drop the rows of a missing id, and a missing time has no place
        gone = np.flatnonzero((data[col].isna() if module == "pandas" else data[col].is_null()).to_numpy()) if col is not None else []
        if len(gone):
            raise _cw.InvalidParameterError(f"invalid data.{col}[{gone[0]}]: None (a missing {what}; every row needs one)")
    ids: list = []
    inputs: list = []
    if module == "pandas":
        for uid, g in data.groupby(id_col, sort=False):
            if time_col is not None:
                g = g.sort_values(time_col, kind="stable")
                _once(g[time_col].tolist(), uid, time_col)
                y = g[target_col].set_axis(_time_index(g[time_col]))
            else:
                y = g[target_col].reset_index(drop=True)
            ids.append(uid)
            inputs.append(_frames.SeriesInput(f"y[{uid!r}]", y.rename(target_col)))
    else:
        for key, g in data.partition_by(id_col, maintain_order=True, as_dict=True).items():
            uid = key[0] if isinstance(key, tuple) else key
            if time_col is not None:
                g = g.sort(time_col, maintain_order=True)
                _once(g[time_col].to_list(), uid, time_col)
            ids.append(uid)
            inputs.append(_frames.SeriesInput(f"y[{uid!r}]", g[target_col]))
    return ids, inputs


def _once(times: List[Any], uid: Any, time_col: str) -> None:
    """Each time of series ``uid`` (sorted) once: a repeated one would be fitted as one more
    step of the series."""
    for a, b in zip(times, times[1:]):
        if a == b:
            raise _cw.InvalidParameterError(
                f"invalid data.{time_col}: {json.dumps(str(b))} (series {uid!r} has two rows at that time)"
            )


def _time_index(ds: Any) -> Any:
    """A pandas index for the ``ds`` column (a DatetimeIndex for times, which
    :meth:`FittedEts.predict` continues when they are regular)."""
    import pandas as pd

    return pd.DatetimeIndex(ds) if pd.api.types.is_datetime64_any_dtype(ds.dtype) else pd.Index(ds)


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
