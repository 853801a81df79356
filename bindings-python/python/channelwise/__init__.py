"""channelwise: multi-touch attribution, journeys, statistics, forecasting (ETS, STL/MSTL, metrics),
anomaly detection, response curves and the media mix model, customer lifetime value, experiments
and bandits, platform payloads, and the decision engine that acts on the platforms (guarded,
audited, reversible), computed in Rust.

>>> import channelwise as cw
>>> cw.attribution.markov(df, order=1)            # doctest: +SKIP

Errors are :class:`ChannelwiseError` (a ``ValueError``) subclasses, one per kind, each with a
stable ``.code`` (``OutOfRangeError.code == "out_of_range"``).

Long calls (bootstrap intervals, sampled Shapley, ``AutoEts.fit_many``, ``MMM.fit``) take
``progress=True`` (a tqdm bar) or ``progress=callable``; Ctrl-C stops them and raises
``KeyboardInterrupt`` (its ``__cause__`` a :class:`CancelledError` saying how far the work got),
and a callable that returns ``False`` stops them with :class:`CancelledError`.
"""

from ._channelwise import (
    ERROR_CODES,
    CancelledError,
    ChannelwiseError,
    FittedMarkov as _CoreFittedMarkov,  # noqa: F401  (reachable for advanced use)
    InternalError,
    InvalidParameterError,
    InvalidPathError,
    InvalidRecordError,
    IoError,
    LengthMismatchError,
    NonFiniteError,
    NotConvergedError,
    NotEnoughDataError,
    OutOfRangeError,
    PathTable,
    __version__,
)
# spark imports pyspark only when one of its functions is called (the extra channelwise[spark])
from . import anomaly, attribution, clv, decide, experiment, forecast, glm, journey, leads, optimize, platform, plot, spark, stats

__all__ = [
    "anomaly",
    "attribution",
    "clv",
    "decide",
    "experiment",
    "forecast",
    "glm",
    "journey",
    "leads",
    "optimize",
    "platform",
    "plot",
    "spark",
    "stats",
    "PathTable",
    "ChannelwiseError",
    "OutOfRangeError",
    "NonFiniteError",
    "NotEnoughDataError",
    "InvalidPathError",
    "InvalidRecordError",
    "InvalidParameterError",
    "LengthMismatchError",
    "NotConvergedError",
    "IoError",
    "InternalError",
    "CancelledError",
    "ERROR_CODES",
    "__version__",
]
