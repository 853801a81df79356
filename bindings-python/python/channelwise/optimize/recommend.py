"""Recommendations and the insights digest (the core's ``optimize::recommend``).

:func:`recommend` turns an allocation, a fitted bid model, segment results and creative
histories into recommendations: what to change, from what to what, the impact with a 90%
interval, a confidence and a sentence citing the numbers. None of them steps outside the
guardrails it is given (a clipped change says so). :func:`insights` ranks what changed in a
metrics table by the money at stake.

========================= ===================================================================
Recommendation            How it is found
========================= ===================================================================
``budget``                the allocation's move per channel; impact = response gained, with a
                          90% interval over the curve draws; confidence = share of draws in
                          which the move beats the same money at the common margin
``bid``                   the bid model's bid per context; impact = margin per click
``targeting``             segments converting worse than the rest (two-proportion z-test,
                          Holm-corrected); impact = CPA saved; confidence = 1 - p
``creative``              a click-through rate falling (Mann-Kendall on daily CTR);
                          impact = clicks lost against the first week's rate
========================= ===================================================================

>>> import channelwise as cw
>>> a = cw.optimize.allocate({"search": cw.optimize.MichaelisMenten(alpha=1.0, lam=1.0),
...                           "social": cw.optimize.MichaelisMenten(alpha=4.0, lam=1.0)},
...                          budget=4.0, current={"search": 2.0, "social": 2.0})
>>> r = cw.optimize.recommend(allocation=a)
>>> r.table[["kind", "target", "from", "to"]].values.tolist()
[['budget', 'search', 2.0, 1.0], ['budget', 'social', 2.0, 3.0]]
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from .. import _channelwise as _cw
from .. import _frames
from .bids import FittedBids
from .budget import Allocation, _invalid

__all__ = ["recommend", "insights", "Recommendations"]

_COLUMNS = ("kind", "target", "from", "to", "impact", "impact_lo", "impact_hi", "confidence", "reason", "clipped")
_GUARDRAILS = ("max_budget_change", "max_bid_change", "min_confidence", "min_change", "alpha")


class Recommendations:
    """The recommendations: :attr:`table` (a DataFrame, one row each: ``kind``, ``target``,
    ``from``, ``to``, ``impact``, ``impact_lo``, ``impact_hi``, ``confidence``, ``reason``,
    ``clipped``), :attr:`reasons` (the sentences), ``len()`` and iteration over row dicts."""

    def __init__(self, rows: List[Tuple[Any, ...]], kind: str) -> None:
        self.table = _frames.frame(kind, {c: [r[i] for r in rows] for i, c in enumerate(_COLUMNS)})
        self._rows = [dict(zip(_COLUMNS, r)) for r in rows]

    @property
    def reasons(self) -> List[str]:
        return [r["reason"] for r in self._rows]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Any:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"<Recommendations n={len(self)}>\n" + "\n".join(f"- {r}" for r in self.reasons)

    def _repr_html_(self) -> Optional[str]:
        html = getattr(self.table, "_repr_html_", None)
        return None if html is None else html()


def _guardrails(g: Optional[Mapping[str, Any]]) -> Tuple[Optional[float], Optional[float], float, float, float]:
    if g is not None and not isinstance(g, Mapping):
        raise TypeError(f"guardrails: expected a dict of guardrail: value, got {type(g).__qualname__}")
    g = dict(g or {})
    unknown = [k for k in g if k not in _GUARDRAILS]
    if unknown:
        raise _invalid(f"guardrails.{unknown[0]}", unknown[0], f"expected one of {', '.join(_GUARDRAILS)}")

    def num(k: str, default: Optional[float]) -> Optional[float]:
        v = g.get(k, default)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"guardrails.{k}: expected a number, got {type(v).__qualname__}")
        return float(v)

    return (num("max_budget_change", None), num("max_bid_change", None), num("min_confidence", 0.0),
            num("min_change", 0.01), num("alpha", 0.05))  # type: ignore[return-value]


def _table(data: Any, role: str, names: Sequence[str]) -> Tuple[Any, str, Dict[str, Any]]:
    """The table (records as a dict of columns), its kind and its columns ``names``."""
    data, kind = _frames.table(data, role)
    return data, kind, {n: _frames.raw_column(data, kind, role, n) for n in names}


def recommend(
    allocation: Optional[Allocation] = None,
    bids: Optional[Tuple[FittedBids, Any]] = None,
    segments: Any = None,
    creatives: Any = None,
    guardrails: Optional[Mapping[str, Any]] = None,
    current_bid: str = "current_bid",
) -> Recommendations:
    """Recommendations from whatever is given, in the order budget, bids, targeting, creatives.

    ============ ===================================================================================
    Name         Meaning
    ============ ===================================================================================
    allocation   an :class:`Allocation` from :func:`allocate` whose channels have a current spend
                 (``current=``, or a FittedMMM's mean spend): one budget move per channel
    bids         ``(fitted_bids, contexts)``: a :class:`FittedBids` and a DataFrame with a column per
                 factor and a ``current_bid`` column (``current_bid=`` names another)
    segments     a DataFrame with ``segment``, ``clicks``, ``conversions``, ``cost``
    creatives    a DataFrame with ``creative``, ``impressions``, ``clicks``, one row per day in day
                 order within each creative
    guardrails   ``max_budget_change`` (relative, per channel), ``max_bid_change`` (relative),
                 ``min_confidence`` (0), ``min_change`` (0.01 of today's value), ``alpha`` (0.05)
    ============ ===================================================================================

    Errors are the core's, naming the field (``guardrails.min_change``, ``segments[2].cost``).
    """
    g = _guardrails(guardrails)
    kind = _frames.PANDAS
    request = None
    if allocation is not None:
        if not isinstance(allocation, Allocation) or getattr(allocation, "_request", None) is None:
            raise TypeError(f"allocation: expected an Allocation from cw.optimize.allocate, got {type(allocation).__qualname__}")
        request = allocation._request
    bid_in = None
    if bids is not None:
        if not (isinstance(bids, tuple) and len(bids) == 2 and isinstance(bids[0], FittedBids)):
            raise TypeError("bids: expected (FittedBids, contexts DataFrame)")
        model, contexts = bids
        contexts, ck, cols = _table(contexts, "bids", list(model.factors) + [current_bid])
        kind = ck
        levels = [_frames.as_list(cols[f], ck) for f in model.factors]
        cur = _frames.numbers(contexts, ck, "current_bid", current_bid).astype(np.float64).tolist()
        levels = [_frames.labels(lv, f, "level") for lv, f in zip(levels, model.factors)]
        bid_in = (model._model, [([l[i] for l in levels], float(cur[i])) for i in range(len(cur))])
    seg_in = None
    if segments is not None:
        segments, sk, cols = _table(segments, "segments", ["segment", "clicks", "conversions", "cost"])
        kind = sk
        names = _frames.labels(_frames.as_list(cols["segment"], sk), "segment", "segment name")
        nums = {k: _frames.numbers(segments, sk, k, k).astype(np.float64).tolist() for k in ("clicks", "conversions", "cost")}
        seg_in = [(n, nums["clicks"][i], nums["conversions"][i], nums["cost"][i]) for i, n in enumerate(names)]
    cre_in = None
    if creatives is not None:
        creatives, ck2, cols = _table(creatives, "creatives", ["creative", "impressions", "clicks"])
        kind = ck2
        names = _frames.labels(_frames.as_list(cols["creative"], ck2), "creative", "creative name")
        imp = _frames.numbers(creatives, ck2, "impressions", "impressions").astype(np.float64).tolist()
        clk = _frames.numbers(creatives, ck2, "clicks", "clicks").astype(np.float64).tolist()
        by: Dict[str, List[Tuple[float, float]]] = {}
        for n, i, c in zip(names, imp, clk):
            by.setdefault(n, []).append((i, c))
        cre_in = list(by.items())
    if allocation is not None and not any(x is not None for x in (bid_in, seg_in, cre_in)):
        kind = getattr(allocation, "_kind", _frames.PANDAS)
    rows = _cw.optimize_recommend(g, allocation=request, bids=bid_in, segments=seg_in, creatives=cre_in)
    return Recommendations(rows, kind)


def insights(metrics: Any, channel: str = "channel", period: str = "period", spend: str = "spend",
             conversions: str = "conversions", value: str = "value", alpha: float = 0.05) -> Any:
    """The insights digest over a metrics table (a row per channel and period), ranked by the money
    at stake: a DataFrame with ``kind`` (``"change"``, ``"trend"``, ``"anomaly"``,
    ``"correlation"``), ``channels``, ``money``, ``p_value`` and ``sentence``.

    - change: the last period's conversions per unit spent against the one before (Poisson
      rates, normal approximation);
    - trend: Mann-Kendall on cost per conversion, sized by Theil-Sen;
    - anomaly: the last period's value by a robust z-score (median, 1.4826 MAD) beyond 3.5;
    - correlation: one channel's spend against another's conversions (Pearson, Holm-corrected).

    Every channel needs the same periods (at least 4); rows are ordered by ``period`` within each
    channel.
    """
    metrics, kind = _frames.table(metrics, "metrics")
    ch = _frames.labels(_frames.strings(metrics, kind, "channel", channel), channel, "channel")
    per = _frames.present(_frames.as_list(_frames.raw_column(metrics, kind, "period", period), kind), period, "period")
    cols = {k: _frames.numbers(metrics, kind, k, name).astype(np.float64).tolist()
            for k, name in (("spend", spend), ("conversions", conversions), ("value", value))}
    rows_of: Dict[str, Dict[Any, int]] = {}  # channel (first seen first) -> period -> row
    for i, (c, t) in enumerate(zip(ch, per)):
        seen = rows_of.setdefault(c, {})
        if t in seen:
            raise _cw.InvalidRecordError(
                f"invalid record at row {i}, column {period}: {json.dumps(str(t))} "
                f"(channel {json.dumps(c)} has this period at row {seen[t]} too)")
        seen[t] = i
    try:
        periods = sorted(next(iter(rows_of.values()), {}))
    except TypeError:
        raise TypeError(f"{period}: expected periods of one comparable kind (numbers, dates or text)") from None
    first = next(iter(rows_of), None)
    for c, seen in rows_of.items():  # the core aligns the channels' series by position
        if seen.keys() != rows_of[first].keys():
            gap = next((t for t in periods if t not in seen), None)
            why = (f"no row for period {gap}, which {json.dumps(first)} has" if gap is not None else
                   f"period {next(t for t in seen if t not in rows_of[first])}, which {json.dumps(first)} has not")
            raise _invalid(period, c, f"this channel has {why}; every channel needs the same periods")
    by = [(c, *([cols[k][seen[t]] for t in periods] for k in ("spend", "conversions", "value"))) for c, seen in rows_of.items()]
    rows = _cw.optimize_insights(by, alpha=_frames.real("alpha", alpha))
    names = ("kind", "channels", "money", "p_value", "sentence")
    return _frames.frame(kind, {n: [r[i] for r in rows] for i, n in enumerate(names)})
