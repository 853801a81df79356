"""Seasonal-trend decomposition: STL and MSTL (statsmodels' parameters and numbers) and the
strength measures of Wang, Smith & Hyndman (2006).

>>> import channelwise as cw
>>> y = [10 + 0.5 * t + [3, -1, -2, 0][t % 4] for t in range(48)]
>>> d = cw.forecast.stl(y, period=4)
>>> round(d.seasonal_strength, 3), round(d.trend_strength, 3)
(1.0, 1.0)

``y`` is a 1-D series (list, numpy, pandas or polars Series). Components come back as the input's
kind: a pandas Series on the input's index, a polars Series, else numpy arrays.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .. import _channelwise as _cw
from .. import _frames

__all__ = ["stl", "mstl", "Decomposition", "seasonal_strength", "trend_strength"]

_STL_KEYS = (
    "trend",
    "low_pass",
    "seasonal_deg",
    "trend_deg",
    "low_pass_deg",
    "robust",
    "seasonal_jump",
    "trend_jump",
    "low_pass_jump",
    "inner_iter",
    "outer_iter",
)


def _f64(b: bytes) -> np.ndarray:
    return np.frombuffer(b, dtype=np.float64)


class Decomposition:
    """The result of :func:`stl` or :func:`mstl`: ``observed = trend + seasonal + resid``.

    For MSTL ``seasonal`` is a DataFrame with one column ``seasonal_<p>`` per period (ascending),
    ``periods``/``windows`` list them and ``seasonal_strengths`` holds one strength per period
    (``seasonal_strength`` is then the strength of their sum).
    """

    def __init__(
        self,
        y: "_frames.SeriesInput",
        observed: np.ndarray,
        trend: np.ndarray,
        seasonal: Dict[str, np.ndarray],
        resid: np.ndarray,
        weights: np.ndarray,
        seasonal_strengths: List[float],
        trend_strength: float,
        periods: List[int],
        windows: List[int],
        multiple: bool,
    ) -> None:
        self._y = y
        self._observed = observed
        self._trend = trend
        self._seasonal = seasonal
        self._resid = resid
        self._weights = weights
        self.seasonal_strengths: List[float] = list(seasonal_strengths)
        """Strength of each seasonal component against the remainder, in ``periods`` order."""
        self.trend_strength: float = trend_strength
        """``max(0, 1 - Var(resid) / Var(trend + resid))``."""
        self.periods: List[int] = list(periods)
        """Seasonal periods (ascending for MSTL)."""
        self.windows: List[int] = list(windows)
        """Seasonal window of each period."""
        self._multiple = multiple
        if multiple:
            total = np.sum(list(seasonal.values()), axis=0)
            self.seasonal_strength: float = _cw.forecast_seasonal_strength(total.tobytes(), resid.tobytes())
        else:
            self.seasonal_strength = seasonal_strengths[0]
        """``max(0, 1 - Var(resid) / Var(seasonal + resid))`` (all seasonal components summed)."""

    @property
    def observed(self) -> Any:
        """The series decomposed (Box-Cox transformed when ``lmbda`` was given)."""
        return self._y.wrap(self._observed, "observed")

    @property
    def trend(self) -> Any:
        return self._y.wrap(self._trend, "trend")

    @property
    def seasonal(self) -> Any:
        """The seasonal component (STL), or a DataFrame of ``seasonal_<p>`` columns (MSTL)."""
        if not self._multiple:
            return self._y.wrap(next(iter(self._seasonal.values())), "seasonal")
        return self._frame(dict(self._seasonal))

    @property
    def resid(self) -> Any:
        return self._y.wrap(self._resid, "resid")

    @property
    def weights(self) -> Any:
        """Robustness weights (all 1 without robust fitting)."""
        return self._y.wrap(self._weights, "weights")

    def _frame(self, cols: Dict[str, np.ndarray]) -> Any:
        if self._y.kind == _frames.POLARS:
            return _frames.frame(_frames.POLARS, cols)
        import pandas as pd

        return pd.DataFrame(cols, index=self._y.index)

    def frame(self) -> Any:
        """A DataFrame with columns ``observed``, ``trend``, the seasonal column(s) and ``resid``
        (``seasonal`` for STL, ``seasonal_<p>`` for MSTL). Polars in, polars out."""
        cols: Dict[str, np.ndarray] = {"observed": self._observed, "trend": self._trend}
        cols.update(self._seasonal)
        cols["resid"] = self._resid
        return self._frame(cols)

    def plot(self, title: Optional[str] = None) -> Any:
        """One panel per component (matplotlib Figure)."""
        from .. import plot

        return plot.decomposition(self, title=title)

    def __repr__(self) -> str:
        kind = "MSTL" if self._multiple else "STL"
        return (
            f"<{kind} decomposition: n={len(self._trend)}, periods={self.periods}, "
            f"seasonal_strength={self.seasonal_strength:.3f}, trend_strength={self.trend_strength:.3f}>"
        )


def stl(
    y: Any,
    period: int,
    seasonal: int = 7,
    trend: Optional[int] = None,
    low_pass: Optional[int] = None,
    seasonal_deg: int = 1,
    trend_deg: int = 1,
    low_pass_deg: int = 1,
    robust: bool = False,
    seasonal_jump: int = 1,
    trend_jump: int = 1,
    low_pass_jump: int = 1,
    inner_iter: Optional[int] = None,
    outer_iter: Optional[int] = None,
) -> Decomposition:
    """STL decomposition (Cleveland et al. 1990) with statsmodels' ``STL`` parameters and defaults.

    ============== ============================================ =================================
    Name           Default                                      Range
    ============== ============================================ =================================
    period         (required)                                   ``>= 2``; ``len(y) >= 2 period``
    seasonal       7                                            odd, ``>= 3``
    trend          smallest odd ``>= 1.5 period / (1 - 1.5 /    odd, ``>= 3``, ``> period``
                   seasonal)``
    low_pass       smallest odd ``> period``                    odd, ``>= 3``, ``> period``
    \\*_deg         1                                            0 or 1
    robust         False (sets inner 2 / outer 15 iterations)   bool
    \\*_jump        1                                            ``>= 1``
    inner_iter     5 (2 if robust)                              1 to 100
    outer_iter     0 (15 if robust)                             0 to 100
    ============== ============================================ =================================

    An even or too small window is :class:`channelwise.InvalidParameterError` /
    :class:`channelwise.OutOfRangeError`; a short series :class:`channelwise.NotEnoughDataError`.

    >>> import channelwise as cw
    >>> d = cw.forecast.stl([1.0, 3.0, 2.0, 4.0] * 6, period=4)
    >>> d.frame().columns.tolist()
    ['observed', 'trend', 'seasonal', 'resid']
    """
    s = _frames.SeriesInput("y", y)
    t, se, r, w, fs, ft = _cw.forecast_stl(
        s.data,
        _int("period", period),
        seasonal=_int("seasonal", seasonal),
        trend=_opt_int("trend", trend),
        low_pass=_opt_int("low_pass", low_pass),
        seasonal_deg=_int("seasonal_deg", seasonal_deg),
        trend_deg=_int("trend_deg", trend_deg),
        low_pass_deg=_int("low_pass_deg", low_pass_deg),
        robust=bool(robust),
        seasonal_jump=_int("seasonal_jump", seasonal_jump),
        trend_jump=_int("trend_jump", trend_jump),
        low_pass_jump=_int("low_pass_jump", low_pass_jump),
        inner_iter=_opt_int("inner_iter", inner_iter),
        outer_iter=_opt_int("outer_iter", outer_iter),
    )
    p = int(period)
    return Decomposition(
        s, s.values(), _f64(t), {"seasonal": _f64(se)}, _f64(r), _f64(w), [fs], ft, [p], [int(seasonal)], False
    )


def mstl(
    y: Any,
    periods: Sequence[int],
    windows: Optional[Sequence[int]] = None,
    iterate: int = 2,
    lmbda: Optional[float] = None,
    **stl_kwargs: Any,
) -> Decomposition:
    """MSTL decomposition (Bandara, Hyndman & Bergmeir 2021) as statsmodels' ``MSTL``.

    ``periods`` are sorted ascending; ``windows`` (default ``7 + 4 i``: 11, 15, ...) gives one
    odd seasonal window per period; ``iterate`` passes over the components (1 to 100; 1 with one period);
    ``lmbda`` applies a Box-Cox transform first (``y > 0``; ``"auto"`` is not offered).
    ``stl_kwargs`` are :func:`stl`'s other parameters (``trend``, ``low_pass``, degrees, jumps,
    ``robust``, iterations), shared by every component; ``period`` and ``seasonal`` are not
    accepted there (use ``periods`` and ``windows``). A period with ``2 * period >= len(y)`` is
    :class:`channelwise.NotEnoughDataError` (statsmodels drops it with a warning).

    >>> import channelwise as cw
    >>> y = [50 + [0, 2, 1][t % 3] + [0, 1, 3, 1, 0, -1, -2][t % 7] for t in range(84)]
    >>> d = cw.forecast.mstl(y, periods=[7, 3])
    >>> d.seasonal.columns.tolist()
    ['seasonal_3', 'seasonal_7']
    """
    unknown = sorted(set(stl_kwargs) - set(_STL_KEYS))
    if unknown:
        raise _cw.InvalidParameterError(
            f"invalid stl_kwargs: {unknown} (accepted: {', '.join(_STL_KEYS)}; "
            "the seasonal windows are `windows`, the periods `periods`)"
        )
    if isinstance(periods, (int, np.integer)):
        periods = [int(periods)]
    kw: Dict[str, Any] = {}
    for k, v in stl_kwargs.items():
        if k == "robust":
            kw[k] = bool(v)
        elif k in ("trend", "low_pass", "inner_iter", "outer_iter"):
            kw[k] = _opt_int(k, v)
        else:
            kw[k] = _int(k, v)
    if lmbda is not None:
        if isinstance(lmbda, bool) or not isinstance(lmbda, (int, float, np.integer, np.floating)):
            raise TypeError(f"lmbda: expected a number or None, got {type(lmbda).__qualname__}")
        lmbda = float(lmbda)
    s = _frames.SeriesInput("y", y)
    ps, ws, obs, t, seas, r, w, fss, ft = _cw.forecast_mstl(
        s.data,
        [_int(f"periods[{i}]", p) for i, p in enumerate(_frames.items("periods", periods))],
        windows=None if windows is None else [_int(f"windows[{i}]", v) for i, v in enumerate(_frames.items("windows", windows))],
        iterate=_int("iterate", iterate),
        lmbda=lmbda,
        **kw,
    )
    seasonal = {f"seasonal_{p}": _f64(b) for p, b in zip(ps, seas)}
    return Decomposition(s, _f64(obs), _f64(t), seasonal, _f64(r), _f64(w), fss, ft, ps, ws, True)


def seasonal_strength(seasonal: Any, resid: Any) -> float:
    """``max(0, 1 - Var(resid) / Var(seasonal + resid))`` (Wang, Smith & Hyndman 2006; FPP3 4.3)."""
    return _cw.forecast_seasonal_strength(_frames.series("seasonal", seasonal), _frames.series("resid", resid))


def trend_strength(trend: Any, resid: Any) -> float:
    """``max(0, 1 - Var(resid) / Var(trend + resid))`` (Wang, Smith & Hyndman 2006; FPP3 4.3)."""
    return _cw.forecast_trend_strength(_frames.series("trend", trend), _frames.series("resid", resid))


def _int(role: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{role}: expected an int, got {type(v).__qualname__}")
    return int(v)


def _opt_int(role: str, v: Any) -> Optional[int]:
    return None if v is None else _int(role, v)
