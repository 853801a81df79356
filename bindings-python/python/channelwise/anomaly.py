"""Anomaly detection, computed in Rust: the isolation forest (scikit-learn's parameters and score
sign), robust z-scores (MAD), the Hampel filter, the generalized ESD and seasonal hybrid ESD
tests (Twitter's AnomalyDetection), and forecast-residual alerts.

>>> import channelwise as cw
>>> r = cw.anomaly.mad_outliers([10.0, 11.0, 9.0, 10.5, 9.5, 30.0])
>>> r.outliers.tolist(), r.median
([5], 10.25)

Series are 1-D (list, numpy, pandas or polars Series); values must be finite
(:class:`channelwise.NonFiniteError` naming ``x[i]``). Per-point outputs come back as the input's
kind (pandas Series on its index, polars Series, else numpy); tables as DataFrames (polars in,
polars out).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

from . import _channelwise as _cw
from . import _frames
from .forecast.ets import _alerts_frame

__all__ = [
    "IsolationForest",
    "FittedIsolationForest",
    "average_path_length",
    "mad",
    "mad_outliers",
    "MadOutliers",
    "hampel",
    "Hampel",
    "esd",
    "seasonal_esd",
    "Esd",
    "residual_alerts",
]

# ----------------------------------------------------------------------------- isolation forest


def feature_names(x: Any) -> Optional[List[str]]:
    """The column names of a frame given as a matrix (pandas, polars, pyarrow, a dict), else
    ``None`` (rows, numpy: no names)."""
    module = type(x).__module__.split(".")[0]
    if isinstance(x, dict) or (module in ("pandas", "polars", "pyarrow") and (hasattr(x, "columns") or hasattr(x, "column_names"))):
        return _frames.column_names(x, _frames.kind_of(x))
    return None


def same_features(fitted: Optional[List[str]], x: Any) -> None:
    """As scikit-learn: a model fitted on a frame reads a frame with the same columns in the same
    order (a matrix is read by position, so ``X[["b", "a"]]`` would be read as ``a, b``); a
    matrix without names, or a model fitted without them, is read as it is."""
    got = feature_names(x)
    if fitted is not None and got is not None and got != fitted:
        raise _cw.InvalidParameterError(
            f"invalid x: {json.dumps(got)} (the fit's columns were {json.dumps(fitted)}, in that order)"
        )


def _matrix(x: Any, n_features: Optional[int] = None) -> Tuple[bytes, int]:
    """A numeric matrix as flat row-major float64 bytes and its column count."""
    if n_features is not None:
        if isinstance(n_features, bool) or not isinstance(n_features, (int, np.integer)):
            raise TypeError(f"n_features: expected an int, got {type(n_features).__qualname__}")
        return _frames.series("x", x), int(n_features)
    module = type(x).__module__.split(".")[0]
    if module in ("pandas", "polars", "pyarrow") and not hasattr(x, "columns") and not hasattr(x, "column_names"):
        raise TypeError(f"x: expected a 2-D matrix (rows x features), got a 1-D {type(x).__qualname__}; use a DataFrame")
    if module in ("pandas", "polars", "pyarrow") or isinstance(x, dict):
        kind = _frames.kind_of(x)
        names = _frames.column_names(x, kind)
        if not names:
            raise _cw.NotEnoughDataError("not enough data for isolation forest features: need at least 1, got 0")
        if kind == _frames.PANDAS:  # column labels may be any hashable, and repeat: by position
            cols = [_frames._f64_array(_frames._as_numpy(x.iloc[:, i], kind), str(c)) for i, c in enumerate(x.columns)]
        else:
            cols = [np.frombuffer(_frames.floats(x, kind, "feature", c), dtype=np.float64) for c in names]
        return np.ascontiguousarray(np.column_stack(cols)).tobytes(), len(cols)
    if isinstance(x, np.ndarray):
        if x.ndim != 2:
            raise TypeError(
                f"x: expected a 2-D array (rows x features), got shape {x.shape}; "
                "for a flat row-major array pass n_features"
            )
        if x.dtype.kind not in "iufb":
            flat = _frames._f64_array(x.reshape(-1), "x").tobytes()
            return flat, x.shape[1]
        return np.ascontiguousarray(x, dtype=np.float64).tobytes(), x.shape[1]
    if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):
        raise TypeError(f"x: expected a 2-D matrix (rows x features), got {type(x).__qualname__}")
    rows = list(x)
    if not rows:
        return b"", 1  # no rows: the core reports not_enough_data
    width = None
    flat: List[Any] = []
    for i, r in enumerate(rows):
        if isinstance(r, (str, bytes)) or not hasattr(r, "__iter__"):
            raise TypeError(f"x: expected rows of numbers (a list of lists), row {i} is {type(r).__qualname__}")
        r = list(r)
        if width is None:
            width = len(r)
        elif len(r) != width:
            raise _cw.LengthMismatchError(f"length mismatch: rows[{i}] has {len(r)} values, expected {width}")
        flat.extend(r)
    return _frames.series("x", flat), int(width or 0)


def _count(role: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{role}: expected an int, got {type(v).__qualname__}")
    return int(v)


def _param(v: Any) -> Any:
    """numpy scalars as Python ones (the compiled module tells int from float)."""
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


@dataclass(frozen=True)
class IsolationForest:
    """Isolation forest (Liu, Ting & Zhou 2008) with scikit-learn's parameters and score sign.

    ============= ========== ============================================= ========================
    Name          Default    Meaning                                       Range
    ============= ========== ============================================= ========================
    n_estimators  100        number of trees                               ``>= 1``
    max_samples   ``"auto"`` rows per tree: ``min(256, n)``, an int count  count ``>= 1`` (clipped),
                             or a float fraction                           fraction in (0, 1]
    contamination ``"auto"`` expected outlier share: sets ``offset_``      (0, 0.5]
                             (``"auto"``: -0.5)
    max_features  1.0        features per tree: int count, float fraction  ``1..n_features``,
                                                                           (0, 1]
    bootstrap     False      draw rows with replacement                    bool
    seed          0          seed; same seed, same forest on any threads   ``>= 0``
    ============= ========== ============================================= ========================

    ``fit(X)`` returns a :class:`FittedIsolationForest`. ``X`` is a 2-D numpy array, a pandas or
    polars DataFrame of numeric columns, or a list of rows; or a flat row-major array with
    ``n_features=``.

    >>> import channelwise as cw
    >>> X = [[0.0, 0.1], [0.1, 0.0], [0.05, 0.05], [0.1, 0.1], [5.0, 5.0]]
    >>> model = cw.anomaly.IsolationForest(seed=0).fit(X)
    >>> model.predict([[0.05, 0.06], [6.0, 6.0]]).tolist()
    [1, -1]
    """

    n_estimators: int = 100
    max_samples: Union[str, int, float] = "auto"
    contamination: Union[str, float] = "auto"
    max_features: Union[int, float] = 1.0
    bootstrap: bool = False
    seed: int = 0

    def fit(self, x: Any, n_features: Optional[int] = None) -> "FittedIsolationForest":
        """Grows the forest on ``x`` (the GIL is released while growing). A frame's column
        names are kept (``feature_names_in_``): a frame scored later must have the same ones."""
        data, nf = _matrix(x, n_features)
        model = _cw.isolation_forest_fit(
            data,
            nf,
            n_estimators=_count("n_estimators", self.n_estimators),
            max_samples=_param(self.max_samples),
            contamination=_param(self.contamination),
            max_features=_param(self.max_features),
            bootstrap=bool(self.bootstrap),
            seed=_count("seed", self.seed),
        )
        return FittedIsolationForest(model, None if n_features is not None else feature_names(x))


def named(model: Any, names: Optional[List[str]]) -> Any:
    """The native fitted ``model`` carrying the frame's column ``names`` in its JSON (so a frame
    scored after :meth:`from_json`, here or in another stack, is checked against them)."""
    return model if names is None else model.with_feature_names([str(n) for n in names])


class FittedIsolationForest:
    """A grown isolation forest. Scores as scikit-learn's: ``score_samples`` in ``[-1, 0]``, lower
    is more abnormal; ``decision_function = score_samples - offset_`` is negative for outliers;
    ``predict`` gives int8 ``1`` (inlier) / ``-1`` (outlier)."""

    _MODEL = "channelwise.anomaly.FittedIsolationForest"

    def __init__(self, model: Any, names: Optional[List[str]] = None) -> None:
        self._model = named(model, names)
        self._names = self._model.feature_names

    @property
    def feature_names_in_(self) -> Optional[List[str]]:
        """The columns of the frame the forest was grown on (``None`` for a matrix without
        names). The JSON keeps them, so they hold after :meth:`from_json` too."""
        return self._names

    def _x(self, x: Any, n_features: Optional[int]) -> Tuple[bytes, int]:
        if n_features is None:
            same_features(self._names, x)
        return _matrix(x, n_features)

    def to_json(self) -> str:
        """The grown forest as JSON: ``{"model", "spec", "fitted"}`` with the core's form in
        ``fitted`` (the document JS's ``toJSON()`` writes; ``spec`` is null, the forest has no
        other state); :meth:`from_json` restores it, scoring bit for bit.

        >>> import channelwise as cw
        >>> X = [[0.0, 0.1], [0.1, 0.0], [0.05, 0.05], [5.0, 5.0]]
        >>> fit = cw.anomaly.IsolationForest(n_estimators=10).fit(X)
        >>> again = cw.anomaly.FittedIsolationForest.from_json(fit.to_json())
        >>> again.score_samples(X).tolist() == fit.score_samples(X).tolist()
        True
        """
        return _frames.model_document(self._MODEL, None, self._model)

    @classmethod
    def from_json(cls, text: str) -> "FittedIsolationForest":
        """Restores a forest written by :meth:`to_json` (here or in JS); a damaged document raises
        :class:`channelwise.InvalidParameterError` naming ``json``."""
        return cls(_frames.load_model(text, cls._MODEL, "isolation forest", _cw.FittedIsolationForest)[0])

    @property
    def offset_(self) -> float:
        """Threshold on ``score_samples``: -0.5 for ``contamination="auto"``, else that
        percentile of the training scores."""
        return self._model.offset

    offset = offset_

    @property
    def n_features_in_(self) -> int:
        return self._model.n_features

    @property
    def n_estimators(self) -> int:
        return self._model.n_estimators

    @property
    def max_samples_(self) -> int:
        """Rows each tree was grown from, resolved."""
        return self._model.max_samples

    @property
    def max_features_(self) -> int:
        return self._model.max_features

    @property
    def max_depth(self) -> int:
        return self._model.max_depth

    def score_samples(self, x: Any, n_features: Optional[int] = None) -> np.ndarray:
        """Anomaly score of each row (float64; lower is more abnormal). A different number of
        features than the training data is :class:`channelwise.LengthMismatchError`."""
        return np.frombuffer(self._model.score_samples(*self._x(x, n_features)), dtype=np.float64)

    def decision_function(self, x: Any, n_features: Optional[int] = None) -> np.ndarray:
        """``score_samples(x) - offset_``: negative for outliers."""
        return np.frombuffer(self._model.decision_function(*self._x(x, n_features)), dtype=np.float64)

    def predict(self, x: Any, n_features: Optional[int] = None) -> np.ndarray:
        """``1`` for inliers, ``-1`` for outliers (numpy int8)."""
        return np.frombuffer(self._model.predict(*self._x(x, n_features)), dtype=np.int8)

    def __repr__(self) -> str:
        return (
            f"<FittedIsolationForest n_estimators={self.n_estimators} max_samples={self.max_samples_} "
            f"n_features={self.n_features_in_} offset={self.offset_:.6g}>"
        )


def average_path_length(n: int) -> float:
    """``c(n)``: the average path length of an unsuccessful binary-search-tree search among ``n``
    points, which normalises isolation depths (``c(1) = 0``, ``c(2) = 1``).

    >>> import channelwise as cw
    >>> round(cw.anomaly.average_path_length(256), 6)
    10.244771
    """
    return _cw.anomaly_average_path_length(_count("n", n))


# ------------------------------------------------------------------------------ robust detectors


def mad(x: Any) -> float:
    """The normal-consistent median absolute deviation ``median |x - median(x)| / 0.6745`` (as
    ``scipy.stats.median_abs_deviation(x, scale="normal")``).

    >>> import channelwise as cw
    >>> round(cw.anomaly.mad([1.0, 2.0, 3.0, 4.0, 100.0]), 4)
    1.4826
    """
    return _cw.anomaly_mad(_frames.series("x", x))


def _plot_marked(series: "_frames.SeriesInput", idx: Any, ax: Any, title: Optional[str], extra: Any = None) -> Any:
    from . import plot

    return plot.anomalies(series.values(), idx, x=series.history_index(), ax=ax, title=title, band=extra)


@dataclass(frozen=True)
class MadOutliers:
    """Robust z-scores ``(x - median) / scale`` and the points with ``|z| > threshold``."""

    median: float
    mad: float
    """Normal-consistent MAD (may be 0)."""
    scale: float
    """The divisor: ``mad``, or the mean absolute deviation fallback when ``mad`` is 0."""
    scores: Any = field(repr=False)
    """Robust z-score per point (input's kind)."""
    outliers: np.ndarray
    """Outlier positions, ascending (int64)."""
    threshold: float
    _x: Any = field(repr=False, compare=False)

    def frame(self) -> Any:
        """One row per point: ``value``, ``score``, ``is_outlier``."""
        v = self._x.values()
        flag = np.zeros(len(v), dtype=bool)
        flag[self.outliers] = True
        return _point_frame(self._x, {"value": v, "score": np.asarray(self.scores, dtype=np.float64), "is_outlier": flag})

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """The series with the outliers marked (matplotlib Axes)."""
        return _plot_marked(self._x, self.outliers, ax, title or f"MAD outliers (|z| > {self.threshold:g})")


def mad_outliers(x: Any, threshold: float = 3.5) -> MadOutliers:
    """Outliers by robust z-score (Iglewicz & Hoaglin's modified z-score): a point is an outlier
    when ``|x - median| / scale > threshold`` (``scale`` the normal-consistent MAD, or when that
    is 0 the mean absolute deviation times ``sqrt(pi / 2)``). ``threshold >= 0``.

    >>> import channelwise as cw
    >>> cw.anomaly.mad_outliers([1.0, 1.2, 0.9, 1.1, 9.0]).outliers.tolist()
    [4]
    """
    s = _frames.SeriesInput("x", x)
    median, mad_, scale, scores, outliers = _cw.anomaly_mad_outliers(s.data, threshold=_float("threshold", threshold))
    return MadOutliers(
        median, mad_, scale, s.wrap(np.frombuffer(scores, dtype=np.float64), "score"),
        np.asarray(outliers, dtype=np.int64), float(threshold), s,
    )


@dataclass(frozen=True)
class Hampel:
    """What the Hampel filter finds: outliers and the series with them replaced by their window
    median."""

    filtered: Any = field(repr=False)
    """The series with every outlier replaced by its window median (input's kind)."""
    outliers: np.ndarray
    """Outlier positions, ascending (int64)."""
    is_outlier: np.ndarray = field(repr=False)
    """Outlier flag per point (bool)."""
    medians: Any = field(repr=False)
    """Rolling (truncated-window) median per point."""
    scales: Any = field(repr=False)
    """Rolling normal-consistent MAD per point."""
    _x: Any = field(repr=False, compare=False)
    _n_sigmas: float = field(repr=False, compare=False, default=3.0)

    def frame(self) -> Any:
        """One row per point: ``value``, ``filtered``, ``median``, ``scale``, ``is_outlier``."""
        f = lambda v: np.asarray(v, dtype=np.float64)  # noqa: E731
        return _point_frame(
            self._x,
            {"value": self._x.values(), "filtered": f(self.filtered), "median": f(self.medians),
             "scale": f(self.scales), "is_outlier": self.is_outlier},
        )

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """The series, the rolling median with its ``n_sigmas`` band, the outliers marked."""
        m = np.asarray(self.medians, dtype=np.float64)
        s = np.asarray(self.scales, dtype=np.float64) * self._n_sigmas
        return _plot_marked(self._x, self.outliers, ax, title or "Hampel filter", extra=(m, m - s, m + s))


def hampel(x: Any, half_window: int = 3, n_sigmas: float = 3.0) -> Hampel:
    """The Hampel filter: a point more than ``n_sigmas`` robust standard deviations
    (``1.4826 MAD``) from the median of its window ``x[i-k..=i+k]`` (truncated at the ends) is an
    outlier and replaced by that median. ``half_window >= 1``, ``n_sigmas >= 0``.

    >>> import channelwise as cw
    >>> r = cw.anomaly.hampel([1.0, 1.1, 0.9, 8.0, 1.0, 1.2, 0.8], half_window=2)
    >>> r.outliers.tolist(), float(r.filtered[3])
    ([3], 1.1)
    """
    s = _frames.SeriesInput("x", x)
    filtered, outliers, medians, scales = _cw.anomaly_hampel(
        s.data, half_window=_count("half_window", half_window), n_sigmas=_float("n_sigmas", n_sigmas)
    )
    out = np.asarray(outliers, dtype=np.int64)
    flag = np.zeros(s.n, dtype=bool)
    flag[out] = True
    f = lambda b, name: s.wrap(np.frombuffer(b, dtype=np.float64), name)  # noqa: E731
    return Hampel(f(filtered, "filtered"), out, flag, f(medians, "median"), f(scales, "scale"), s, float(n_sigmas))


@dataclass(frozen=True)
class Esd:
    """The result of :func:`esd` or :func:`seasonal_esd`."""

    anomalies: Any
    """One row per anomaly, by index: ``index``, ``value``, ``expected``, ``score`` (the step's
    statistic R), ``step`` (the ESD step that removed it)."""
    n_anomalies: int
    statistics: np.ndarray = field(repr=False)
    """Test statistic ``R_i`` of each step run."""
    critical_values: np.ndarray = field(repr=False)
    """Critical value ``lambda_i`` of each step run."""
    removed: np.ndarray = field(repr=False)
    """Index removed at each step (anomalous or not)."""
    seasonal: Any = field(default=None, repr=False)
    """Seasonal component removed (seasonal ESD only)."""
    median: Optional[float] = None
    """Median of the series (seasonal ESD only)."""
    resid: Any = field(default=None, repr=False)
    """The residual tested, ``x - seasonal - median`` (seasonal ESD only)."""
    _x: Any = field(repr=False, compare=False, default=None)

    @property
    def indices(self) -> np.ndarray:
        """Anomaly positions, ascending (int64)."""
        return np.asarray(_frames.to_columns(self.anomalies)["index"], dtype=np.int64)

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """The series with the anomalies marked (and the expected seasonal level, if any)."""
        band = None
        if self.seasonal is not None and self.median is not None:
            lvl = np.asarray(self.seasonal, dtype=np.float64) + self.median
            band = (lvl, None, None)
        name = "Seasonal hybrid ESD" if self.seasonal is not None else "Generalized ESD"
        return _plot_marked(self._x, self.indices, ax, title or f"{name}: {self.n_anomalies} anomalies", extra=band)


def _esd_result(d: Dict[str, Any], s: "_frames.SeriesInput", seasonal: bool) -> Esd:
    cols = {
        "index": np.asarray(d["index"], dtype=np.int64),
        "value": np.asarray(d["value"], dtype=np.float64),
        "expected": np.asarray(d["expected"], dtype=np.float64),
        "score": np.asarray(d["score"], dtype=np.float64),
        "step": np.asarray(d["step"], dtype=np.int64),
    }
    kw: Dict[str, Any] = {}
    if seasonal:
        kw = {
            "seasonal": s.wrap(np.frombuffer(d["seasonal"], dtype=np.float64), "seasonal"),
            "median": d["median"],
            "resid": s.wrap(np.frombuffer(d["resid"], dtype=np.float64), "resid"),
        }
    return Esd(
        anomalies=_frames.frame(s.kind, cols),
        n_anomalies=d["n_anomalies"],
        statistics=np.asarray(d["statistics"], dtype=np.float64),
        critical_values=np.asarray(d["critical_values"], dtype=np.float64),
        removed=np.asarray(d["removed"], dtype=np.int64),
        _x=s,
        **kw,
    )


def esd(x: Any, max_anoms: float = 0.1, alpha: float = 0.05, direction: str = "both") -> Esd:
    """The generalized ESD test (Rosner 1983) for up to ``floor(max_anoms * n)`` outliers.

    ``max_anoms`` in ``(0, 0.5]``, ``alpha`` in ``(0, 1)``, ``direction`` ``"pos"`` (only high
    values), ``"neg"`` or ``"both"``; at least 3 values and one step.

    >>> import channelwise as cw
    >>> y = [float((t * 7) % 11) for t in range(40)]
    >>> y[12] = 60.0
    >>> cw.anomaly.esd(y).indices.tolist()
    [12]
    """
    s = _frames.SeriesInput("x", x)
    d = _cw.anomaly_esd(
        s.data, max_anoms=_float("max_anoms", max_anoms), alpha=_float("alpha", alpha), direction=_str("direction", direction)
    )
    return _esd_result(d, s, False)


def seasonal_esd(x: Any, period: int, max_anoms: float = 0.1, alpha: float = 0.05, direction: str = "both") -> Esd:
    """Seasonal hybrid ESD (Hochenbaum, Vallis & Kejariwal 2017; Twitter's
    ``AnomalyDetectionVec``): the ESD test with median and MAD on ``x - seasonal - median(x)``,
    the seasonal component from a periodic robust STL. ``period >= 2``, ``len(x) >= 2 period``.

    >>> import channelwise as cw
    >>> y = [[1.0, 4.0, 2.0, 8.0, 3.0][t % 5] + 0.02 * ((t * 7) % 5) for t in range(60)]
    >>> y[21] -= 6.0
    >>> cw.anomaly.seasonal_esd(y, period=5, direction="neg").indices.tolist()
    [21]
    """
    s = _frames.SeriesInput("x", x)
    d = _cw.anomaly_seasonal_esd(
        s.data,
        _count("period", period),
        max_anoms=_float("max_anoms", max_anoms),
        alpha=_float("alpha", alpha),
        direction=_str("direction", direction),
    )
    return _esd_result(d, s, True)


def residual_alerts(actual: Any, expected: Any, lower: Any, upper: Any, level: float = 95) -> Any:
    """Actuals outside their interval ``[lower, upper]`` at ``level`` percent, one row each:
    ``index``, ``actual``, ``expected``, ``lower``, ``upper``, ``level``, ``score`` (standardised
    residual implied by the crossed side), ``direction`` (``"above"``/``"below"``), ``reason``.
    Works with any model's output. Polars in, polars out.

    >>> import channelwise as cw
    >>> a = cw.anomaly.residual_alerts([250.0, 310.0], [255.0, 265.2], [230.0, 240.1], [280.0, 290.3])
    >>> a["index"].tolist(), a["direction"].tolist()
    ([1], ['above'])
    """
    kinds = [_frames.series_kind(v) for v in (actual, expected, lower, upper)]
    kind = _frames.POLARS if _frames.POLARS in kinds else _frames.PANDAS
    cols = _cw.anomaly_residual_alerts(
        _frames.series("actual", actual),
        _frames.series("expected", expected),
        _frames.series("lower", lower),
        _frames.series("upper", upper),
        level=_float("level", level),
    )
    return _alerts_frame(cols, kind)


def _point_frame(s: "_frames.SeriesInput", cols: Dict[str, Any]) -> Any:
    if s.kind == _frames.POLARS:
        return _frames.frame(_frames.POLARS, cols)
    import pandas as pd

    return pd.DataFrame(cols, index=s.index)


def _float(role: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{role}: expected a number, got {type(v).__qualname__}")
    return float(v)


def _str(role: str, v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError(f"{role}: expected a string, got {type(v).__qualname__}")
    return v
