"""Forecasting: accuracy metrics and rolling-origin evaluation (models join later).

>>> import channelwise as cw
>>> cw.forecast.metrics.mae([1.0, 2.0, 3.0], [2.0, 2.0, 1.0])
1.0
"""

from . import metrics
from .metrics import RollingOrigin, RollingOriginResult

__all__ = ["metrics", "RollingOrigin", "RollingOriginResult"]
