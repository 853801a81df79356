"""Generalised linear models: :class:`LogisticRegression`, regularised logistic regression on
scikit-learn's objective (``C sum_i w_i logloss_i + r ||beta||_1 + 0.5 (1 - r) ||beta||^2``, the
intercept unpenalised; ``r`` is 0 for ``"l2"``, 1 for ``"l1"`` and ``l1_ratio`` for
``"elasticnet"``), solved by (proximal) Newton steps to scikit-learn's converged coefficients.
It is what :class:`channelwise.optimize.BidModel` shrinks its context multipliers with.

================= ======= ============================================================ ==========
Name              Default Meaning                                                      Range
================= ======= ============================================================ ==========
``c``             1.0     inverse regularisation strength (sklearn C)                  ``> 0``
``penalty``       "l2"    ``"l2"``, ``"l1"``, ``"elasticnet"`` or ``None`` (maximum likelihood)
``l1_ratio``      None    the elastic net's L1 share (needed by ``"elasticnet"`` only) ``[0, 1]``
``fit_intercept`` True    fit an unpenalised intercept
================= ======= ============================================================ ==========

>>> import channelwise as cw
>>> fit = cw.glm.LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], [0, 0, 1, 0, 1, 1])
>>> bool(fit.coef_[0] > 0)
True

``predict_proba`` returns ``P(y = 1)`` as a 1-D array, not scikit-learn's two columns
``[P(y = 0), P(y = 1)]``; ``predict_proba2`` gives those. Separable data without a penalty has
no finite optimum and raises :class:`channelwise.NotConvergedError`.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from . import _channelwise as _cw
from . import _frames
from .anomaly import _matrix, feature_names, named, same_features

__all__ = ["LogisticRegression", "FittedLogistic"]


def _number(role: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{role}: expected a number, got {type(v).__qualname__}")
    return float(v)


class LogisticRegression:
    """The model's settings; :meth:`fit` returns a :class:`FittedLogistic`."""

    def __init__(self, c: float = 1.0, penalty: Optional[str] = "l2", fit_intercept: bool = True,
                 l1_ratio: Optional[float] = None) -> None:
        if penalty is not None and penalty not in ("l2", "l1", "elasticnet"):
            raise _cw.InvalidParameterError(
                f'invalid penalty = {penalty!r}: expected "l2", "l1", "elasticnet" or None')
        if penalty == "elasticnet" and l1_ratio is None:
            raise _cw.InvalidParameterError('invalid l1_ratio = None: penalty="elasticnet" needs l1_ratio in [0, 1]')
        self.c = _number("c", c)
        self.penalty = penalty
        self.fit_intercept = bool(fit_intercept)
        self.l1_ratio = None if l1_ratio is None else _number("l1_ratio", l1_ratio)

    def __repr__(self) -> str:
        extra = "" if self.l1_ratio is None else f", l1_ratio={self.l1_ratio!r}"
        return (f"LogisticRegression(c={self.c!r}, penalty={self.penalty!r}, "
                f"fit_intercept={self.fit_intercept!r}{extra})")

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "FittedLogistic":
        """Fits to ``X`` (rows x features: numpy, pandas, polars or a list of rows), labels ``y``
        (0 or 1) and optional non-negative ``sample_weight``.

        Raises :class:`channelwise.InvalidParameterError` for a label other than 0/1 (``y[4]``),
        :class:`channelwise.NonFiniteError` for NaN (``x[3][1]``), :class:`OutOfRangeError` for
        ``c <= 0``, ``l1_ratio`` outside ``[0, 1]`` or a negative weight,
        :class:`LengthMismatchError` when the lengths disagree."""
        data, k = _matrix(X)
        yb = _frames.series("y", y)
        wb = None if sample_weight is None else _frames.series("sample_weight", sample_weight)
        return FittedLogistic(_cw.glm_logistic_fit(data, k, yb, wb, self.c, self.penalty, self.fit_intercept,
                                                   self.l1_ratio), feature_names(X))


class FittedLogistic:
    """A fitted logistic regression: ``coef_``, ``intercept_``, :meth:`predict_proba`."""

    _MODEL = "channelwise.glm.FittedLogistic"

    def __init__(self, model: Any, names: Optional[List[str]] = None) -> None:
        self._model = named(model, names)
        self._names = self._model.feature_names

    @property
    def feature_names_in_(self) -> Optional[List[str]]:
        """The columns of the frame it was fitted on (``None`` for a matrix without names); a
        frame given to :meth:`predict_proba` must have the same. The JSON keeps them, so they
        hold after :meth:`from_json` too."""
        return self._names

    def to_json(self) -> str:
        """The fitted regression as JSON: ``{"model", "spec", "fitted"}`` with the core's form in
        ``fitted`` (the document JS's ``toJSON()`` writes; ``spec`` is null); :meth:`from_json`
        restores it, predicting bit for bit."""
        return _frames.model_document(self._MODEL, None, self._model)

    @classmethod
    def from_json(cls, text: str) -> "FittedLogistic":
        """Restores a regression written by :meth:`to_json` (here or in JS); a damaged document
        raises :class:`channelwise.InvalidParameterError` naming ``json``."""
        return cls(_frames.load_model(text, cls._MODEL, "logistic regression", _cw.FittedLogistic)[0])

    @property
    def coef_(self) -> np.ndarray:
        """The coefficients, one per feature (1-D; scikit-learn's ``coef_[0]``)."""
        return np.frombuffer(self._model.coef(), dtype=np.float64)

    @property
    def intercept_(self) -> float:
        """The intercept (0 without one)."""
        return float(self._model.intercept)

    @property
    def n_iter_(self) -> int:
        """Newton steps taken."""
        return int(self._model.iterations)

    def predict_proba(self, X: Any) -> np.ndarray:
        """``P(y = 1)`` per row, a 1-D array (not scikit-learn's two columns: see
        :meth:`predict_proba2`)."""
        same_features(self._names, X)
        data, k = _matrix(X)
        return np.frombuffer(self._model.predict_proba(data, k), dtype=np.float64)

    def predict_proba2(self, X: Any) -> np.ndarray:
        """scikit-learn's form: rows ``[P(y = 0), P(y = 1)]``."""
        p = self.predict_proba(X)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """``1`` where ``P(y = 1) > 0.5``, else ``0``."""
        return (self.predict_proba(X) > 0.5).astype(np.int64)

    def __repr__(self) -> str:
        return f"FittedLogistic(coef_={self.coef_.tolist()!r}, intercept_={self.intercept_!r})"
