"""Leads: rule-based scores, funnels and cohort tables (the core's ``leads``).

Every function reads an event log: a DataFrame (pandas, polars, pyarrow or a dict of columns)
with a lead id, a timestamp (unix seconds, datetimes or timestamp strings) and an event name per
row, and optionally a value (revenue, duration). Rows may come in any order.

======================= ======================================================================
Function                What it returns
======================= ======================================================================
:func:`funnel`          a row per step: ``step``, ``count``, ``conversion_rate``,
                        ``drop_off``, ``median_seconds_from_previous`` (PostHog's semantics:
                        each lead counted once, at the furthest step any attempt reached within
                        the window from its first step)
:func:`cohorts`         a row per acquisition cohort: ``cohort``, ``size`` and per-period lists
                        ``retention_on``, ``retention_on_or_after``, ``conversion``,
                        ``revenue``, ``cumulative_value_per_customer``
:func:`score`           a row per lead: ``lead``, ``total``, ``fit``, ``activity``, ``grade``
                        (A+ .. D), ``temperature`` (hot/warm/cold), one column per dimension
======================= ======================================================================

The settings are the core's JSON shapes (documented in ``channelwise::leads``), given as dicts.

>>> import channelwise as cw
>>> events = {"lead": ["ann", "ann", "bob", "bob", "cy"], "timestamp": [0, 60, 0, 500, 0],
...           "event": ["visit", "signup", "visit", "signup", "visit"]}
>>> cw.leads.funnel(events, ["visit", "signup"], window_seconds=300)[["step", "count"]].values.tolist()
[['visit', 3], ['signup', 1]]
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _channelwise as _cw
from . import _frames

__all__ = ["funnel", "cohorts", "score", "Funnel"]

DIMENSIONS = ("demographic", "behavioural", "firmographic", "engagement", "intent")


def _log(events: Any, lead: str, timestamp: str, event: str, value: Optional[str], leads: Optional[Sequence[Any]],
         event_types: Optional[Sequence[str]]) -> Tuple[List[Any], str, Tuple[Any, ...]]:
    """The event log as the core's columns: lead ids (``leads`` or first-seen order), the frame
    kind, and ``(n_leads, event_types, lead, timestamp, event_type, value)``."""
    kind = _frames.kind_of(events)
    ids = _frames.as_list(_frames.raw_column(events, kind, "lead", lead), kind)
    names = [str(v) for v in _frames.strings(events, kind, "event", event)]
    ts = np.frombuffer(_frames.timestamps(events, kind, "timestamp", timestamp), dtype=np.int64).tolist()
    if leads is None:
        order: Dict[Any, int] = {}
        for x in ids:
            order.setdefault(x, len(order))
        all_leads = list(order)
    else:
        all_leads = list(leads)
        order = {x: i for i, x in enumerate(all_leads)}
        unknown = [x for x in ids if x not in order]
        if unknown:
            raise _cw.InvalidParameterError(f"invalid {lead}: {json.dumps(str(unknown[0]))} (not in leads)")
    vocab = list(event_types) if event_types is not None else list(dict.fromkeys(names))
    index = {n: i for i, n in enumerate(vocab)}
    bad = [n for n in names if n not in index]
    if bad:
        raise _cw.InvalidParameterError(f"invalid {event}: {json.dumps(bad[0])} (not in event_types)")
    vals = None
    if value is not None:
        vals = _frames.numbers(events, kind, "value", value).astype(np.float64).tolist()
    cols = (len(all_leads), vocab, [order[x] for x in ids], ts, [index[n] for n in names], vals)
    return all_leads, kind, cols


def _instant(role: str, x: Any) -> int:
    """Unix seconds from an int or a datetime / date (naive = UTC) or a pandas Timestamp."""
    if isinstance(x, bool):
        raise TypeError(f"{role}: expected unix seconds or a datetime, got bool")
    if isinstance(x, (int, np.integer)):
        return int(x)
    if hasattr(x, "to_pydatetime"):
        x = x.to_pydatetime()
    import datetime as _dt

    if isinstance(x, (_dt.datetime, _dt.date)):
        return _frames._to_unix(x)
    raise TypeError(f"{role}: expected unix seconds or a datetime, got {type(x).__qualname__}")


class Funnel:
    """A funnel's result: :attr:`table` (a row per step) and :attr:`furthest_step` (per lead, in
    the order of :attr:`leads`: how many steps it reached, 0 when it never did the first),
    :meth:`plot`."""

    def __init__(self, result: Dict[str, Any], leads: List[Any], kind: str) -> None:
        self.leads = leads
        self.furthest_step = list(result["furthest_step"])
        self.table = _frames.frame(kind, {
            "step": result["steps"],
            "count": result["counts"],
            "conversion_rate": result["conversion_rate"],
            "drop_off": result["drop_off"],
            "median_seconds_from_previous": [np.nan if m is None else m for m in result["median_seconds_from_previous"]],
        })

    def __getitem__(self, key: Any) -> Any:
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    def plot(self, title: Optional[str] = None) -> Any:
        """Bars of the leads reaching each step, labelled with the conversion rate."""
        from .plot import _pyplot

        plt = _pyplot()
        cols = _frames.to_columns(self.table)
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        ax.bar(cols["step"], cols["count"], color="#4c72b0")
        for i, (c, r) in enumerate(zip(cols["count"], cols["conversion_rate"])):
            ax.text(i, c, f"{100 * r:.0f}%", ha="center", va="bottom")
        ax.set_ylabel("leads")
        ax.set_title(title or "funnel")
        fig.tight_layout()
        return fig

    def __repr__(self) -> str:
        return f"<Funnel steps={len(self)}>\n{self.table}"


def funnel(events: Any, steps: Sequence[str], order: str = "sequential", window_seconds: int = 14 * 86400,
           relative_to: str = "first", exclusions: Optional[Sequence[Mapping[str, Any]]] = None,
           lead: str = "lead", timestamp: str = "timestamp", event: str = "event",
           leads: Optional[Sequence[Any]] = None, event_types: Optional[Sequence[str]] = None) -> Funnel:
    """A conversion funnel over ``steps`` (event names, at least two).

    ``order``: ``"sequential"`` (steps in order, other events between allowed), ``"strict"`` (no
    other event between) or ``"any"`` (the steps in any order); ``window_seconds`` from the first
    step; ``relative_to``: rates against the ``"first"`` or the ``"previous"`` step;
    ``exclusions``: ``[{"event_type": "refund", "from_step": 0, "to_step": 1}]`` (an excluded
    event between those steps disqualifies the attempt). ``leads``: every lead id in order
    (default: first seen); ``event_types``: the vocabulary (default: the names in the log).
    """
    ids, kind, log = _log(events, lead, timestamp, event, None, leads, event_types)
    cfg = {"steps": list(steps), "order": order, "window_seconds": int(window_seconds), "relative_to": relative_to,
           "exclusions": [dict(e) for e in (exclusions or [])]}
    return Funnel(json.loads(_cw.leads_funnel(log, json.dumps(cfg))), ids, kind)


def cohorts(events: Any, period: str = "month", acquisition_event: Optional[str] = None,
            activity_event: Optional[str] = None, conversion_event: Optional[str] = None,
            revenue_event: Optional[str] = None, as_of: Any = None, lead: str = "lead", timestamp: str = "timestamp",
            event: str = "event", value: Optional[str] = None, leads: Optional[Sequence[Any]] = None,
            event_types: Optional[Sequence[str]] = None) -> Any:
    """Acquisition cohorts by calendar ``period`` (``"day"``, ``"week"`` (ISO, Monday),
    ``"month"``): a DataFrame with a row per cohort, ``cohort`` (its label), ``period_start``,
    ``size``, and per period since acquisition the lists ``active``, ``retention_on``,
    ``retention_on_or_after``, ``converted``, ``conversion``, ``revenue`` (from ``value``) and
    ``cumulative_value_per_customer``. Each ``*_event`` names the event that counts (None: any);
    ``as_of`` (unix seconds or a datetime) ends the table."""
    _, kind, log = _log(events, lead, timestamp, event, value, leads, event_types)
    cfg: Dict[str, Any] = {"period": period}
    for k, v in (("acquisition_event", acquisition_event), ("activity_event", activity_event),
                 ("conversion_event", conversion_event), ("revenue_event", revenue_event)):
        if v is not None:
            cfg[k] = v
    if as_of is not None:
        cfg["as_of"] = _instant("as_of", as_of)
    t = json.loads(_cw.leads_cohorts(log, json.dumps(cfg)))
    rows = t["cohorts"]
    names = ("period_start", "size", "active", "retention_on", "retention_on_or_after", "converted", "conversion",
             "revenue", "cumulative_value_per_customer")
    cols: Dict[str, Any] = {"cohort": [r["label"] for r in rows]}
    cols.update({n: [r[n] for r in rows] for n in names})
    return _frames.frame(kind, cols)


def score(events: Any, config: Mapping[str, Any], as_of: Any, attributes: Any = None, lead: str = "lead",
          timestamp: str = "timestamp", event: str = "event", value: Optional[str] = None,
          event_types: Optional[Sequence[str]] = None) -> Any:
    """Rule-based scores: a DataFrame with a row per lead (the ``attributes`` table's ``lead``
    column in order, then leads only seen in events): ``lead``, ``total``, ``fit`` (attribute
    points), ``activity`` (event points after caps and decay), ``grade``, ``temperature``, a
    column per dimension, and ``rules`` (each rule's points, in the config's order).

    ``config`` is the core's ``ScoringConfig`` as a dict: ``attribute_rules`` (``name``,
    ``dimension``, ``attribute``, ``condition`` such as ``{"op": "one_of", "values": [...]}``,
    ``points``), ``event_rules`` (``name``, ``dimension``, ``event_type``, ``points``,
    ``per_value``), ``weights``, ``daily_caps``, ``decay`` (``half_life_days``, ``mode``),
    ``grades`` and ``temperature`` (increasing thresholds). Numeric attribute columns are read as
    numbers (NaN = missing), others as text ("" = missing)."""
    akind = None
    known: List[Any] = []
    numeric: List[Tuple[str, List[float]]] = []
    categorical: List[Tuple[str, List[str]]] = []
    if attributes is not None:
        akind = _frames.kind_of(attributes)
        known = _frames.as_list(_frames.raw_column(attributes, akind, "lead", lead), akind)
    ekind = _frames.kind_of(events)
    seen = _frames.as_list(_frames.raw_column(events, ekind, "lead", lead), ekind)
    all_leads = list(dict.fromkeys(list(known) + list(seen)))
    ids, kind, log = _log(events, lead, timestamp, event, value, all_leads, event_types)
    if attributes is not None:
        extra = len(all_leads) - len(known)
        for name in _frames.column_names(attributes, akind):
            if name == lead:
                continue
            col = _frames.raw_column(attributes, akind, "attribute", name)
            arr = np.asarray(_frames.as_list(col, akind), dtype=object)
            if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in arr):
                numeric.append((name, [float(v) for v in arr] + [float("nan")] * extra))
            else:
                categorical.append((name, ["" if v is None else str(v) for v in arr] + [""] * extra))
    s = json.loads(_cw.leads_score(log, json.dumps(dict(config)), numeric, categorical, _instant("as_of", as_of)))
    cols: Dict[str, Any] = {"lead": ids, "total": s["total"], "fit": s["fit"], "activity": s["activity"],
                            "grade": s["grade"], "temperature": s["temperature"]}
    for i, d in enumerate(DIMENSIONS):
        cols[d] = [row[i] for row in s["dimensions"]]
    k = len(s["rule_names"])
    cols["rules"] = [dict(zip(s["rule_names"], s["rules"][j * k:(j + 1) * k])) for j in range(len(ids))]
    return _frames.frame(akind or kind, cols)
