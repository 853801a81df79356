"""Forecasting: ETS models, STL/MSTL decomposition, accuracy metrics and rolling-origin
evaluation. Names follow statsforecast (``AutoEts``, ``predict(h, level=[80, 95])`` with
``lo-80``/``hi-80`` columns) and statsmodels (``stl``/``mstl`` parameters).

>>> import channelwise as cw
>>> cw.forecast.metrics.mae([1.0, 2.0, 3.0], [2.0, 2.0, 1.0])
1.0
"""

from . import decompose, ets, metrics
from .decompose import Decomposition, mstl, seasonal_strength, stl, trend_strength
from .ets import AutoEts, Ets, FittedEts
from .metrics import RollingOrigin, RollingOriginResult

__all__ = [
    "metrics",
    "decompose",
    "ets",
    "AutoEts",
    "Ets",
    "FittedEts",
    "stl",
    "mstl",
    "Decomposition",
    "seasonal_strength",
    "trend_strength",
    "RollingOrigin",
    "RollingOriginResult",
]
