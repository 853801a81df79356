"""Bids from predicted conversion probability: ``bid = P(conversion | context) x value per
conversion / target ROAS`` (or ``x target CPA``), each context factor's effect estimated from
outcome data by L2-regularised logistic regression (:class:`channelwise.glm.LogisticRegression`,
scikit-learn's objective) and explained factor by factor.

A level's multiplier is ``sigmoid(b + beta_level) / sigmoid(b)``; the penalty shrinks thin levels
toward 1 (``c`` sets how much data it takes). Floors, caps and a maximum change from the current
bid are applied last (the maximum change first, then the floor, then the cap), and each bid says
which held it.

============== ========= ================================================ ====================
Name           Default   Meaning                                          Range
============== ========= ================================================ ====================
``factors``    required  context columns, in order                        at least one
``target``     required  ``("roas", r)`` or ``("cpa", c)``                 ``> 0``
``c``          1.0       inverse shrinkage strength of the multipliers    ``> 0``
``floor``      0.0       least bid                                        ``>= 0``
``cap``        None      most bid (None: unbounded)                       ``>= floor``
``max_change`` None      most relative move from ``current`` (0.2 = 20%)  ``>= 0``
============== ========= ================================================ ====================

>>> import pandas as pd, channelwise as cw
>>> df = pd.DataFrame({"device": ["mobile", "mobile", "desktop", "desktop"],
...                    "daypart": ["evening", "morning", "evening", "morning"],
...                    "clicks": [4000, 3000, 2000, 1500], "conversions": [60, 30, 50, 30],
...                    "value": [3000.0, 1500.0, 2500.0, 1500.0]})
>>> model = cw.optimize.BidModel(["device", "daypart"], target=("roas", 4.0)).fit(df)
>>> b = model.bid({"device": "desktop", "daypart": "evening"}, current=0.25)
>>> bool(b.bid > 0.25)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from .. import _channelwise as _cw
from .. import _frames
from .response import _number

__all__ = ["BidModel", "FittedBids", "Bid"]


@dataclass(frozen=True)
class Bid:
    """A bid and why. ``factors`` holds one dict per factor (``factor``, ``level``,
    ``multiplier``, ``clicks``); their multipliers multiply out to ``probability /
    base_probability``. ``limited_by`` is ``"none"``, ``"floor"``, ``"cap"`` or ``"max_change"``."""

    bid: float
    unclamped: float
    probability: float
    base_probability: float
    value_per_conversion: float
    factors: List[Dict[str, Any]] = field(default_factory=list)
    limited_by: str = "none"
    explanation: str = ""


class BidModel:
    """The bid model's settings (see the module table); :meth:`fit` returns :class:`FittedBids`."""

    def __init__(
        self,
        factors: Sequence[str],
        target: Tuple[str, float],
        c: float = 1.0,
        floor: float = 0.0,
        cap: Optional[float] = None,
        max_change: Optional[float] = None,
    ) -> None:
        if isinstance(factors, str) or not hasattr(factors, "__iter__"):
            raise TypeError(f"factors: expected a list of column names, got {type(factors).__qualname__}")
        self.factors = [str(f) for f in factors]
        if not (isinstance(target, (tuple, list)) and len(target) == 2 and target[0] in ("roas", "cpa")):
            raise _cw.InvalidParameterError(f'invalid target = {target!r}: expected ("roas", r) or ("cpa", c)')
        self.target = (str(target[0]), _number("target", target[1]))
        self.c = _number("c", c)
        self.floor = _number("floor", floor)
        self.cap = None if cap is None else _number("cap", cap)
        self.max_change = None if max_change is None else _number("max_change", max_change)

    def __repr__(self) -> str:
        return (
            f"BidModel(factors={self.factors!r}, target={self.target!r}, c={self.c!r}, floor={self.floor!r}, "
            f"cap={self.cap!r}, max_change={self.max_change!r})"
        )

    def fit(self, df: Any, clicks: str = "clicks", conversions: str = "conversions", value: str = "value") -> "FittedBids":
        """Estimates the multipliers from outcome cells: ``df`` (pandas, polars or a dict of
        columns) has one column per factor plus the ``clicks``, ``conversions`` and ``value``
        columns. Errors name the cell (``cells[3].conversions``) or the setting."""
        df, kind = _frames.table(df, "df")
        levels = [_frames.labels(_frames.strings(df, kind, "factor", f), f, "level") for f in self.factors]
        counts = [_frames.numbers(df, kind, role, name).astype(np.float64).tolist()
                  for role, name in (("clicks", clicks), ("conversions", conversions), ("value", value))]
        n = len(counts[0])
        cells = [([lv[i] for lv in levels], counts[0][i], counts[1][i], counts[2][i]) for i in range(n)]
        cap = math.inf if self.cap is None else self.cap
        model = _cw.optimize_bids_fit(self.factors, self.target, cells, self.c, self.floor, cap, self.max_change)
        return FittedBids(model, self.factors, kind)


class FittedBids:
    """A fitted bid model: :meth:`multipliers`, :meth:`bid`, :meth:`bids`."""

    _MODEL = "channelwise.optimize.FittedBids"

    def __init__(self, model: Any, factors: List[str], kind: str) -> None:
        self._model = model
        self.factors = factors
        self._kind = kind

    def to_json(self) -> str:
        """The fitted model as JSON: ``{"model", "spec", "fitted"}`` with the core's form in
        ``fitted`` (settings, factors and levels: the document JS's ``toJSON()`` writes) and in
        ``spec`` the DataFrame library :meth:`multipliers` answers in (``{"kind": "pandas"}``
        or ``"polars"``); :meth:`from_json` restores it, bidding bit for bit."""
        kind = _frames.POLARS if self._kind == _frames.POLARS else _frames.PANDAS
        return _frames.model_document(self._MODEL, {"kind": kind}, self._model)

    @classmethod
    def from_json(cls, text: str) -> "FittedBids":
        """Restores a model written by :meth:`to_json` (here or in JS: a ``spec`` that is null
        gives pandas frames); a damaged document raises :class:`channelwise.InvalidParameterError`
        naming ``json``."""
        model, fitted, spec = _frames.load_model(text, cls._MODEL, "bid", _cw.FittedBids)
        kind = _frames.POLARS if spec.get("kind") == _frames.POLARS else _frames.PANDAS
        return cls(model, [str(f) for f in fitted["spec"]["factors"]], kind)

    def multipliers(self) -> Any:
        """Every level's multiplier, factor by factor (levels in first-seen order): a DataFrame
        with columns ``factor``, ``level``, ``multiplier``, ``clicks``, ``conversions``."""
        rows = self._model.multipliers()
        names = ["factor", "level", "multiplier", "clicks", "conversions"]
        return _frames.frame(self._kind, {n: [r[i] for r in rows] for i, n in enumerate(names)})

    def _context(self, context: Union[Mapping[str, Any], Sequence[Any]]) -> List[str]:
        if isinstance(context, Mapping):
            missing = [f for f in self.factors if f not in context]
            if missing:
                raise _cw.InvalidParameterError(f"invalid context = {dict(context)!r}: no level for {missing}")
            return [_frames.labels([context[f]], f, "level")[0] for f in self.factors]
        if isinstance(context, (str, bytes)) or not hasattr(context, "__iter__"):
            raise TypeError(f"context: expected a dict or a list of levels, got {type(context).__qualname__}")
        return _frames.labels(list(context), "context", "level")

    def bid(self, context: Union[Mapping[str, Any], Sequence[Any]], current: Optional[float] = None) -> Bid:
        """The bid for one context (a dict factor -> level, or a list of levels in factor order;
        a level never seen counts as average), moving from ``current`` at most by the maximum
        change."""
        cur = None if current is None else _number("current", current)
        return Bid(**self._model.bid(self._context(context), cur))

    def bids(self, contexts: Any, current: Any = None) -> Any:
        """One bid per row of ``contexts`` (a DataFrame with a column per factor), as a DataFrame:
        the factor columns, ``bid``, ``unclamped``, ``probability``, ``base_probability``,
        ``limited_by``, ``explanation``. ``current`` is None, one number, a column name or a
        sequence with one bid per row."""
        contexts, kind = _frames.table(contexts, "contexts")
        cols = {f: _frames.labels(_frames.strings(contexts, kind, "factor", f), f, "level") for f in self.factors}
        n = len(next(iter(cols.values()))) if cols else 0
        if current is None:
            cur: List[Optional[float]] = [None] * n
        elif isinstance(current, str):
            cur = _frames.numbers(contexts, kind, "current", current).astype(np.float64).tolist()
        elif isinstance(current, (int, float, np.integer, np.floating)) and not isinstance(current, bool):
            cur = [float(current)] * n
        else:
            cur = [None if v is None else _frames.real(f"current[{i}]", v) for i, v in enumerate(_frames.items("current", current))]
            if len(cur) != n:
                raise _cw.LengthMismatchError(f"length mismatch: current has {len(cur)} values, expected {n}")
        out: Dict[str, List[Any]] = {f: cols[f] for f in self.factors}
        for k in ("bid", "unclamped", "probability", "base_probability", "limited_by", "explanation"):
            out[k] = []
        for i in range(n):
            b = self._model.bid([cols[f][i] for f in self.factors], cur[i])
            for k in ("bid", "unclamped", "probability", "base_probability", "limited_by", "explanation"):
                out[k].append(b[k])
        return _frames.frame(kind if kind != _frames.ARROW else _frames.PANDAS, out)
