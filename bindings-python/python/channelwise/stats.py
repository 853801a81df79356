"""Classical statistics: correlation and monotone-trend tests, computed in Rust.

Every function takes 1-D series: numpy arrays, pandas or polars Series, pyarrow arrays, or lists
of numbers. Values must be finite (NaN or a missing value is :class:`channelwise.NonFiniteError`
naming ``x[i]`` / ``y[i]``), paired series must have equal lengths
(:class:`channelwise.LengthMismatchError`), and a series too short or constant for the statistic is
:class:`channelwise.NotEnoughDataError` (where scipy would return NaN). P-values follow
``scipy.stats``; Mann-Kendall follows ``pymannkendall.original_test``.

>>> import channelwise as cw
>>> r = cw.stats.kendall([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
>>> round(r.statistic, 3), round(r.p_value, 3), r.n
(0.6, 0.233, 5)
"""

from __future__ import annotations

from typing import Any, NamedTuple

from . import _channelwise as _cw
from . import _frames

__all__ = [
    "pearson",
    "spearman",
    "kendall",
    "cross_correlation",
    "mann_kendall",
    "theil_sen",
    "Correlation",
    "MannKendall",
    "TheilSen",
]


class Correlation(NamedTuple):
    """A correlation coefficient with its two-sided p-value (as scipy's result objects)."""

    statistic: float
    """Pearson's r, Spearman's rho or Kendall's tau-b."""
    p_value: float
    """Two-sided p-value of no association."""
    n: int
    """Number of pairs."""


class MannKendall(NamedTuple):
    """Mann-Kendall trend test (fields as pymannkendall's ``original_test``)."""

    trend: str
    """``"increasing"``, ``"decreasing"`` or ``"no trend"``."""
    h: bool
    """Whether no-trend is rejected at level ``alpha``."""
    p: float
    """Two-sided p-value."""
    z: float
    """Normal score of ``s`` with continuity correction."""
    tau: float
    """Kendall's tau-a of the series against time."""
    s: float
    """The Mann-Kendall score."""
    var_s: float
    """Variance of ``s`` under no trend, corrected for ties."""
    n: int
    """Series length."""


class TheilSen(NamedTuple):
    """Theil-Sen line with a ``1 - alpha`` confidence interval of the slope (as
    ``scipy.stats.theilslopes``)."""

    slope: float
    intercept: float
    low_slope: float
    high_slope: float


def _pair(x: Any, y: Any) -> "tuple[bytes, bytes]":
    return _frames.series("x", x), _frames.series("y", y)


def pearson(x: Any, y: Any) -> Correlation:
    """Pearson's product-moment correlation and its two-sided p-value (``scipy.stats.pearsonr``)."""
    return Correlation(*_cw.stats_pearson(*_pair(x, y)))


def spearman(x: Any, y: Any) -> Correlation:
    """Spearman's rank correlation and its two-sided p-value (``scipy.stats.spearmanr``)."""
    return Correlation(*_cw.stats_spearman(*_pair(x, y)))


def kendall(x: Any, y: Any) -> Correlation:
    """Kendall's tau-b and its two-sided p-value (``scipy.stats.kendalltau``: exact without
    ties for small samples, asymptotic otherwise)."""
    return Correlation(*_cw.stats_kendall(*_pair(x, y)))


def cross_correlation(x: Any, y: Any, max_lag: int) -> Any:
    """Correlation of ``x[t + k]`` with ``y[t]`` for ``k = -max_lag..max_lag`` (R's ``ccf``).

    A peak at lag ``k > 0`` means ``x`` follows ``y`` by ``k`` steps. Returns a DataFrame with
    columns ``lag``, ``value`` (polars if an input was a polars Series, else pandas).
    ``max_lag`` must be below the series length (:class:`channelwise.OutOfRangeError`).
    """
    lags, values = _cw.stats_cross_correlation(*_pair(x, y), max_lag)
    kind = _frames.POLARS if _frames.POLARS in (_frames.series_kind(x), _frames.series_kind(y)) else _frames.PANDAS
    return _frames.frame(kind, {"lag": lags, "value": values})


def mann_kendall(x: Any, alpha: float = 0.05) -> MannKendall:
    """The Mann-Kendall test for a monotone trend in a series ordered in time.

    Matches ``pymannkendall.original_test(x, alpha)`` (tie-corrected variance, continuity
    correction); needs at least 3 values. A constant series gives ``p = 1``, ``"no trend"``.
    """
    return MannKendall(*_cw.stats_mann_kendall(_frames.series("x", x), alpha))


def theil_sen(x: Any, y: Any, alpha: float = 0.05) -> TheilSen:
    """Theil-Sen slope of ``y`` against ``x`` (median of pairwise slopes), its intercept and a
    ``1 - alpha`` confidence interval of the slope (``scipy.stats.theilslopes``,
    ``method="separate"``). ``alpha`` is in ``(0, 0.5]``.

    For a series against time pass ``x = range(len(y))``.
    """
    return TheilSen(*_cw.stats_theil_sen(*_pair(x, y), alpha))
