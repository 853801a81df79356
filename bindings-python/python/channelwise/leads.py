"""Leads: rule-based scores, funnels, cohort tables, lifecycle stages and journey health (the
core's ``leads``).

Every function reads an event log: a DataFrame (pandas, polars, pyarrow, a dict of columns or
records) with a lead id, a timestamp (unix seconds, datetimes or timestamp strings) and an event
name per row, and optionally a value (revenue, duration). Rows may come in any order.

======================= ======================================================================
Function                What it returns
======================= ======================================================================
:func:`funnel`          a row per step: ``step``, ``count``, ``conversion_rate``,
                        ``drop_off``, ``median_seconds_from_previous`` (PostHog's semantics:
                        each lead counted once, at the furthest step any attempt reached within
                        the window from its first step)
:func:`cohorts`         a :class:`CohortTable`: a row per acquisition cohort, ``cohort``,
                        ``size`` and per-period lists ``retention_on``,
                        ``retention_on_or_after``, ``conversion``, ``revenue``,
                        ``cumulative_value_per_customer``; ``.plot()`` is a heatmap
:func:`score`           a row per lead: ``lead``, ``total``, ``fit``, ``activity``, ``grade``
                        (A+ .. D), ``temperature`` (hot/warm/cold), one column per dimension
:func:`lifecycle`       a :class:`Lifecycle` from stage transitions (``lead``, ``timestamp``,
                        ``stage``, ``reason``): ``current``, ``transitions``,
                        ``time_in_stage`` (seconds, a column per stage) and ``summary``
:func:`health`          a row per lead: ``score`` (0..100), ``status`` (healthy / at_risk /
                        critical), ``churn_risk`` (from P(alive) or recency), the activity
                        ``trend`` (Mann-Kendall), ``tau``, ``p_value``, ``slope`` (Theil-Sen)
:class:`LogisticScore`  the predictive lead score: a regularised logistic regression of
                        conversion on lead features (scikit-learn's names), calibrated, with
                        per-lead contributions and an :class:`Evaluation` (AUC, log-loss,
                        Brier, reliability table)
:func:`metrics`         the same :class:`Evaluation` of given probabilities
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

__all__ = ["funnel", "cohorts", "score", "lifecycle", "health", "Funnel", "CohortTable", "Lifecycle",
           "LogisticScore", "FittedLogisticScore", "Evaluation", "metrics"]

DIMENSIONS = ("demographic", "behavioural", "firmographic", "engagement", "intent")


def _log(events: Any, lead: str, timestamp: str, event: str, value: Optional[str], leads: Optional[Sequence[Any]],
         event_types: Optional[Sequence[str]]) -> Tuple[List[Any], str, Tuple[Any, ...]]:
    """The event log as the core's columns: lead ids (``leads`` or first-seen order), the frame
    kind, and ``(n_leads, event_types, lead, timestamp, event_type, value)``."""
    events, kind = _frames.table(events, "events", [(value, 0.0)])
    ids, ts, all_leads, index_of = _leads_and_times(events, kind, lead, timestamp, leads)
    names = _frames.labels(_frames.strings(events, kind, "event", event), event, "event type")
    vocab = _frames.keys("event_types", event_types) if event_types is not None else list(dict.fromkeys(names))
    index = {n: i for i, n in enumerate(vocab)}
    bad = [n for n in names if n not in index]
    if bad:
        raise _cw.InvalidParameterError(f"invalid {event}: {json.dumps(bad[0])} (not in event_types)")
    vals = None
    if value is not None:
        arr = _frames.numbers(events, kind, "value", value).astype(np.float64)
        bad = np.flatnonzero(~np.isfinite(arr))
        if len(bad):  # named by the caller's column (the core names its role, "value")
            x = arr[bad[0]]
            raise _cw.InvalidRecordError(f"invalid record at row {bad[0]}, column {value}: {json.dumps('NaN' if x != x else str(x))} (must be finite)")
        vals = arr.tolist()
    cols = (len(all_leads), vocab, index_of, ts, [index[n] for n in names], vals)
    return all_leads, kind, cols


def _check_ids(lead: str, ids: List[Any]) -> None:
    """Each lead id of column ``lead`` is hashable (a string or a number), or
    :class:`InvalidRecordError` naming its row. Called only once indexing the ids has raised
    ``TypeError``, to say which row: the ids are hashed once on the way that works."""
    for row, x in enumerate(ids):
        try:
            hash(x)
        except TypeError:
            raise _cw.InvalidRecordError(
                f"invalid record at row {row}, column {lead}: {json.dumps(repr(x))} (a lead id is a string or a number)"
            ) from None


def _leads_and_times(data: Any, kind: str, lead: str, timestamp: str,
                     leads: Optional[Sequence[Any]]) -> Tuple[List[Any], List[int], List[Any], List[int]]:
    """The lead ids and unix-second timestamps of every row, every lead id in order (``leads`` or
    first seen) and each row's lead index."""
    ids = _frames.present(_frames.as_list(_frames.raw_column(data, kind, "lead", lead), kind), lead, "lead id")
    ts = np.frombuffer(_frames.timestamps(data, kind, "timestamp", timestamp), dtype=np.int64).tolist()
    all_leads = None if leads is None else _frames.keys("leads", leads)
    try:
        if all_leads is None:
            order: Dict[Any, int] = {}
            for x in ids:
                order.setdefault(x, len(order))
            all_leads = list(order)
        else:
            order = {x: i for i, x in enumerate(all_leads)}
            unknown = [x for x in ids if x not in order]
            if unknown:
                raise _cw.InvalidParameterError(f"invalid {lead}: {json.dumps(str(unknown[0]))} (not in leads)")
        return ids, ts, all_leads, [order[x] for x in ids]
    except TypeError:
        _check_ids(lead, ids)
        raise


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


class CohortTable:
    """Cohort tables: :attr:`table` (a row per acquisition cohort, per-period lists), :attr:`period`
    (``"day"``, ``"week"`` or ``"month"``), :meth:`plot` (a heatmap of cohort x period since
    acquisition). ``table[...]`` and ``len`` go to the table."""

    METRICS = ("retention_on", "retention_on_or_after", "conversion", "revenue", "cumulative_value_per_customer")

    def __init__(self, table: Any, period: str) -> None:
        self.table = table
        self.period = period

    def __getitem__(self, key: Any) -> Any:
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    def matrix(self, metric: str = "retention_on") -> np.ndarray:
        """``metric`` as a cohort x period array (NaN past each cohort's observed periods)."""
        if metric not in self.METRICS:
            raise ValueError(f"metric must be one of {', '.join(self.METRICS)}, got {metric!r}")
        rows = _frames.to_columns(self.table)[metric]
        width = max((len(r) for r in rows), default=0)
        out = np.full((len(rows), width), np.nan)
        for i, r in enumerate(rows):
            out[i, : len(r)] = r
        return out

    def plot(self, metric: str = "retention_on", ax: Any = None, title: Optional[str] = None,
             annotate: Optional[bool] = None, cmap: str = "Blues") -> Any:
        """A heatmap of ``metric`` (default ``"retention_on"``; shares shown as percentages) by
        acquisition cohort (rows) and period since acquisition (columns); cells past a cohort's
        observed periods are grey. ``annotate`` writes the values in the cells (default: when the
        table is at most 15 x 15). Returns the matplotlib Axes."""
        from .plot import _pyplot

        plt = _pyplot()
        z = self.matrix(metric)
        labels = [str(c) for c in _frames.to_columns(self.table)["cohort"]]
        share = metric in ("retention_on", "retention_on_or_after", "conversion")
        if ax is None:
            _, ax = plt.subplots(figsize=(min(14.0, 3.0 + 0.6 * z.shape[1]), min(10.0, 2.2 + 0.4 * max(1, z.shape[0]))))
        colours = plt.get_cmap(cmap).with_extremes(bad="#e0e0e0")  # grey: not observed yet
        im = ax.imshow(np.ma.masked_invalid(z), aspect="auto", cmap=colours, vmin=0.0, vmax=1.0 if share else None)
        ax.figure.colorbar(im, ax=ax, label=metric.replace("_", " "))
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels)
        ax.set_xticks(range(z.shape[1]))
        ax.set_xlabel(f"{self.period}s since acquisition")
        ax.set_ylabel("cohort")
        if annotate if annotate is not None else z.shape[0] <= 15 and z.shape[1] <= 15:
            top = np.nanmax(z) if np.isfinite(z).any() else 0.0
            for (i, j), v in np.ndenumerate(z):
                if np.isfinite(v):
                    text = f"{100 * v:.0f}%" if share else f"{v:.3g}"
                    dark = v > (0.6 if share else 0.6 * top)
                    ax.text(j, i, text, ha="center", va="center", fontsize="small", color="white" if dark else "black")
        ax.set_title(title or f"{metric.replace('_', ' ')} by {self.period} cohort")
        ax.figure.tight_layout()
        return ax

    def __repr__(self) -> str:
        return f"<CohortTable period={self.period} cohorts={len(self)}>\n{self.table}"


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
    cfg = {"steps": _frames.items("steps", steps), "order": order, "window_seconds": _frames.whole("window_seconds", window_seconds),
           "relative_to": relative_to,
           "exclusions": [_frames.mapping(f"exclusions[{i}]", e)
                          for i, e in enumerate(_frames.items("exclusions", exclusions or []))]}
    return Funnel(json.loads(_cw.leads_funnel(log, json.dumps(cfg))), ids, kind)


def cohorts(events: Any, period: str = "month", acquisition_event: Optional[str] = None,
            activity_event: Optional[str] = None, conversion_event: Optional[str] = None,
            revenue_event: Optional[str] = None, as_of: Any = None, lead: str = "lead", timestamp: str = "timestamp",
            event: str = "event", value: Optional[str] = None, leads: Optional[Sequence[Any]] = None,
            event_types: Optional[Sequence[str]] = None) -> "CohortTable":
    """Acquisition cohorts by calendar ``period`` (``"day"``, ``"week"`` (ISO, Monday),
    ``"month"``): a DataFrame with a row per cohort, ``cohort`` (its label), ``period_start``,
    ``size``, and per period since acquisition the lists ``active``, ``retention_on``,
    ``retention_on_or_after``, ``converted``, ``conversion``, ``revenue`` (from ``value``) and
    ``cumulative_value_per_customer``, as a :class:`CohortTable` (its ``.table``; indexing and
    ``len`` go to the table; ``.plot()`` draws a heatmap). Each ``*_event`` names the event that
    counts (None: any); ``as_of`` (unix seconds or a datetime) ends the table."""
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
    return CohortTable(_frames.frame(kind, cols), t["period"])


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
        attributes, akind = _frames.table(attributes, "attributes")
        known = _frames.present(_frames.as_list(_frames.raw_column(attributes, akind, "lead", lead), akind), lead, "lead id")
    events, ekind = _frames.table(events, "events", [(value, 0.0)])
    seen = _frames.as_list(_frames.raw_column(events, ekind, "lead", lead), ekind)  # checked by _log
    try:
        all_leads = list(dict.fromkeys(list(known) + list(seen)))
    except TypeError:
        _check_ids(lead, known)
        _check_ids(lead, seen)
        raise
    if len(set(known)) != len(known):  # one row of attributes per lead: which would count?
        first: Dict[Any, int] = {}
        for row, k in enumerate(known):
            if k in first:
                raise _cw.InvalidRecordError(
                    f"invalid record at row {row}, column {lead}: {json.dumps(str(k))} (a lead listed twice in attributes, "
                    f"first at row {first[k]})")
            first[k] = row
    ids, kind, log = _log(events, lead, timestamp, event, value, all_leads, event_types)
    if attributes is not None:
        extra = len(all_leads) - len(known)
        for name in _frames.column_names(attributes, akind):
            if name == lead:
                continue
            col = _frames.raw_column(attributes, akind, "attribute", name)
            arr = _frames.as_list(col, akind)
            gone = [_frames.is_missing(v) for v in arr]  # None, NaN, pd.NA: missing in either kind
            # numbers, or missing only as NaN (a float column): None alone says nothing of the kind
            if all(g or (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)) for v, g in zip(arr, gone)) \
                    and (not all(gone) or all(isinstance(v, (float, np.floating)) for v in arr)):
                numeric.append((name, [float("nan") if g else float(v) for v, g in zip(arr, gone)] + [float("nan")] * extra))
            else:
                categorical.append((name, ["" if g else str(v) for v, g in zip(arr, gone)] + [""] * extra))
    s = json.loads(_cw.leads_score(log, json.dumps(_frames.mapping("config", config)), numeric, categorical, _instant("as_of", as_of)))
    cols: Dict[str, Any] = {"lead": ids, "total": s["total"], "fit": s["fit"], "activity": s["activity"],
                            "grade": s["grade"], "temperature": s["temperature"]}
    for i, d in enumerate(DIMENSIONS):
        cols[d] = [row[i] for row in s["dimensions"]]
    k = len(s["rule_names"])
    cols["rules"] = [dict(zip(s["rule_names"], s["rules"][j * k:(j + 1) * k])) for j in range(len(ids))]
    return _frames.frame(akind or kind, cols)


class Lifecycle:
    """Stage histories replayed through a stage machine.

    - :attr:`stages`: the stage names, in order; :attr:`leads`: every lead id; :attr:`as_of`
    - :attr:`current`: a row per lead, ``lead``, ``stage`` (None if it never entered), ``since``
      (unix seconds of its last transition)
    - :attr:`transitions`: a row per accepted transition, ``lead``, ``from_stage`` (None for the
      entry), ``to_stage``, ``timestamp`` (unix seconds), ``reason``
    - :attr:`time_in_stage`: a row per lead, ``lead`` and a column of seconds per stage (re-entries
      summed, the current stay running to ``as_of``)
    - :attr:`summary`: a row per stage, ``stage``, ``entered``, ``exited``, ``current``,
      ``median_seconds``, ``mean_seconds`` (of completed stays; NaN without one)
    """

    def __init__(self, result: Dict[str, Any], leads: List[Any], kind: str) -> None:
        h, t = result["lifecycle"], result["time_in_stage"]
        self.stages: List[str] = list(h["stages"])
        self.leads = leads
        self.as_of: int = result["as_of"]
        k = len(self.stages)
        name = lambda s: None if s is None else self.stages[s]  # noqa: E731
        tr = h["transitions"]
        since: List[Optional[int]] = [None] * len(leads)
        for x in tr:
            since[x["lead"]] = x["timestamp"]
        self.current = _frames.frame(kind, {"lead": leads, "stage": [name(c) for c in h["current"]], "since": since})
        self.transitions = _frames.frame(kind, {
            "lead": [leads[x["lead"]] for x in tr],
            "from_stage": [name(x["from"]) for x in tr],
            "to_stage": [self.stages[x["to"]] for x in tr],
            "timestamp": [x["timestamp"] for x in tr],
            "reason": [x["reason"] for x in tr],
        })
        sec = t["seconds"]
        cols: Dict[str, Any] = {"lead": leads}
        for j, s in enumerate(self.stages):
            cols[s] = [float(sec[i * k + j]) for i in range(len(leads))]
        self.time_in_stage = _frames.frame(kind, cols)
        rows = t["summary"]
        nan = lambda v: np.nan if v is None else float(v)  # noqa: E731
        self.summary = _frames.frame(kind, {
            "stage": [r["stage"] for r in rows],
            "entered": [r["entered"] for r in rows],
            "exited": [r["exited"] for r in rows],
            "current": [r["current"] for r in rows],
            "median_seconds": [nan(r["median_seconds"]) for r in rows],
            "mean_seconds": [nan(r["mean_seconds"]) for r in rows],
        })

    def __repr__(self) -> str:
        return f"<Lifecycle stages={len(self.stages)} leads={len(self.leads)} as_of={self.as_of}>\n{self.summary}"


def lifecycle(transitions: Any, stages: Optional[Sequence[str]] = None,
              allowed: Optional[Sequence[Tuple[str, str]]] = None, as_of: Any = None, lead: str = "lead",
              timestamp: str = "timestamp", stage: str = "stage", reason: Optional[str] = "reason",
              leads: Optional[Sequence[Any]] = None) -> Lifecycle:
    """Replays stage transitions (a table with a row per transition: ``lead``, ``timestamp``
    (unix seconds or datetimes), the ``stage`` entered and, if the column exists, a ``reason``)
    through a stage machine: ``stages`` in order (default ``new, contacted, qualified, engaged,
    opportunity, customer``) and the ``allowed`` ``(from, to)`` moves (default: every forward
    move). A lead's first row is its entry (at any stage); later rows must be allowed moves, in
    time order per lead. ``as_of`` (default: the latest transition) ends the current stays.

    A forbidden move is an :class:`InvalidRecordError` naming the row, the ``stage`` column and
    ``"from -> to"``; an unknown stage likewise.

    >>> import channelwise as cw
    >>> t = {"lead": ["a", "a", "b"], "timestamp": [0, 3600, 0], "stage": ["new", "qualified", "new"]}
    >>> lc = cw.leads.lifecycle(t, as_of=7200)
    >>> lc.current["stage"].tolist(), lc.time_in_stage["new"].tolist()
    (['qualified', 'new'], [3600.0, 7200.0])
    """
    transitions, kind = _frames.table(transitions, "transitions")
    _, ts, all_leads, index_of = _leads_and_times(transitions, kind, lead, timestamp, leads)
    names = _frames.labels(_frames.strings(transitions, kind, "stage", stage), stage, "stage")
    given = None if reason is None else _frames.optional_strings(transitions, kind, "reason", reason)
    why = None if given is None else ["" if v is None else str(v) for v in given]
    machine: Dict[str, Any] = {"stages": _frames.items("stages", stages) if stages is not None else list(_DEFAULT_STAGES)}
    if allowed is not None:
        pairs = _frames.items("allowed", allowed)
        for i, p in enumerate(pairs):
            if isinstance(p, (str, bytes)) or not hasattr(p, "__len__") or len(p) != 2:
                raise TypeError(f"allowed[{i}]: expected a (from, to) pair of stage names, got {type(p).__qualname__} {repr(p)[:60]}")
        machine["transitions"] = [[str(a), str(b)] for a, b in pairs]
    at = None if as_of is None else _instant("as_of", as_of)
    out = json.loads(_cw.leads_lifecycle(len(all_leads), index_of, ts, names, why, json.dumps(machine), at))
    return Lifecycle(out, all_leads, kind)


_DEFAULT_STAGES = ("new", "contacted", "qualified", "engaged", "opportunity", "customer")


def health(events: Any, as_of: Any, p_alive: Any = None, period_days: float = 7.0, periods: int = 8,
           alpha: float = 0.05, recency_half_life_days: float = 30.0, activity_event: Optional[str] = None,
           churn_weight: float = 0.6, trend_weight: float = 0.4, thresholds: Sequence[float] = (40.0, 70.0),
           lead: str = "lead", timestamp: str = "timestamp", event: str = "event",
           leads: Optional[Sequence[Any]] = None, event_types: Optional[Sequence[str]] = None) -> Any:
    """Journey health of every lead as of ``as_of``: a DataFrame with a row per lead, ``lead``,
    ``score`` (0..100), ``status`` (``healthy`` / ``at_risk`` / ``critical`` by ``thresholds``),
    ``churn_risk``, ``churn_source`` (``p_alive`` or ``recency``), ``trend`` (Mann-Kendall at
    ``alpha`` on the counts of ``activity_event`` (any event if None) in the last ``periods``
    periods of ``period_days``), ``tau``, ``p_value``, ``slope`` (Theil-Sen, events per period per
    period), ``last_activity`` (unix seconds, None without activity) and ``activity`` (the counts,
    oldest first).

    ``score = 100 (churn_weight (1 - churn_risk) + trend_weight (1 + tau) / 2) / (churn_weight +
    trend_weight)``. ``p_alive`` (from a fitted CLV model, e.g. ``FittedBetaGeo.p_alive``): a dict
    or pandas Series by lead id, or a sequence in the order of ``leads`` (which must then be
    given); a lead without one (or NaN) gets ``1 - 2^(-days since its last activity /
    recency_half_life_days)``."""
    ids, kind, log = _log(events, lead, timestamp, event, None, leads, event_types)
    pa = None
    if p_alive is not None:
        if isinstance(p_alive, Mapping) or (hasattr(p_alive, "items") and hasattr(p_alive, "index")):
            by_id = dict(p_alive.items())
            unknown = [k for k in by_id if k not in set(ids)]
            if unknown:
                raise _cw.InvalidParameterError(f"invalid p_alive: {json.dumps(str(unknown[0]))} (no such lead in events)")
            pa = [float(by_id.get(x, np.nan)) for x in ids]
        elif leads is None:
            raise TypeError("p_alive: a sequence needs leads= (the lead ids in its order); or pass a dict by lead id")
        else:
            pa = np.frombuffer(_frames.series("p_alive", p_alive), dtype=np.float64).tolist()
    cfg = {"period_days": _frames.real("period_days", period_days), "periods": _frames.whole("periods", periods),
           "alpha": _frames.real("alpha", alpha),
           "recency_half_life_days": _frames.real("recency_half_life_days", recency_half_life_days),
           "churn_weight": _frames.real("churn_weight", churn_weight),
           "trend_weight": _frames.real("trend_weight", trend_weight), "thresholds": [_frames.real(f"thresholds[{i}]", t) for i, t in enumerate(_frames.items("thresholds", thresholds))]}
    if activity_event is not None:
        cfg["activity_event"] = activity_event
    r = json.loads(_cw.leads_health(log, json.dumps(cfg), _instant("as_of", as_of), pa))["leads"]
    return _frames.frame(kind, {
        "lead": ids,
        "score": [x["score"] for x in r],
        "status": [x["status"] for x in r],
        "churn_risk": [x["churn_risk"] for x in r],
        "churn_source": [x["churn_source"] for x in r],
        "trend": [x["trend"] for x in r],
        "tau": [x["tau"] for x in r],
        "p_value": [x["p_value"] for x in r],
        "slope": [x["slope"] for x in r],
        "last_activity": [x["last_activity"] for x in r],
        "activity": [x["activity"] for x in r],
    })


# ---- the predictive lead score (core: leads::predictive) ----

_PENALTIES = ("l2", "l1", "elasticnet", "none")
_CALIBRATIONS = {None: "none", "none": "none", "platt": "platt", "sigmoid": "platt", "isotonic": "isotonic"}


def _features(X: Any, feature_names: Optional[Sequence[str]], order: Optional[Sequence[str]] = None
              ) -> Tuple[bytes, List[str], str, Any]:
    """A feature matrix as flat row-major float64 bytes, its column names, the library to answer
    in and a pandas index (or ``None``). A DataFrame names its columns (and is read in ``order``
    when given: the fit's columns, by name); other matrices take ``feature_names`` or ``order``."""
    from .anomaly import _matrix

    module = type(X).__module__.split(".")[0]
    is_frame = module in ("pandas", "polars", "pyarrow") and (hasattr(X, "columns") or hasattr(X, "column_names"))
    kind = _frames.kind_of(X) if is_frame else _frames.PANDAS
    index = getattr(X, "index", None) if module == "pandas" else None
    if is_frame or isinstance(X, dict):
        names = [str(c) for c in (X.columns if module == "pandas" else _frames.column_names(X, _frames.kind_of(X)))]
        if order is not None:
            missing = [c for c in order if c not in names]
            if missing:
                raise _cw.InvalidParameterError(
                    f"invalid X = {missing[0]!r}: the model's feature {missing[0]!r} is not a column of X "
                    f"(columns: {names[:10]})")
            if names != list(order):
                if module == "pandas":
                    X = X[[c for c in X.columns if str(c) in order]]
                    X = X[sorted(X.columns, key=lambda c: list(order).index(str(c)))]
                elif isinstance(X, dict):
                    X = {c: X[c] for c in order}
                else:
                    X = X.select(list(order))
                names = list(order)
        elif feature_names is not None and list(feature_names) != names:
            raise _cw.InvalidParameterError(
                f"invalid feature_names = {list(feature_names)[:10]}: a DataFrame names its features by its columns")
        data, _ = _matrix(X)
        return data, names, kind if is_frame else _frames.PANDAS, index
    data, k = _matrix(X)
    names = _frames.items("feature_names", feature_names) if feature_names is not None else (list(order) if order is not None else None)
    if names is None:
        names = [f"x{j}" for j in range(k)]
    return data, [str(n) for n in names], _frames.PANDAS, None


def _labels(role: str, y: Any) -> bytes:
    return _frames.series(role, y)


def _reliability(n_bins: int, strategy: str) -> str:
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)):
        raise TypeError(f"n_bins: expected an int, got {type(n_bins).__qualname__}")
    if strategy not in ("uniform", "quantile"):
        raise _cw.InvalidParameterError(f'invalid strategy = {strategy!r}: expected "uniform" or "quantile"')
    return json.dumps({"n_bins": max(int(n_bins), 0), "strategy": strategy})


class Evaluation(dict):
    """How calibrated probabilities rank and fit labels: a dict with ``auc``, ``log_loss``,
    ``brier``, ``n`` and ``positives``; :attr:`reliability` is the reliability table (a
    DataFrame: ``bin``, ``lower``, ``upper``, ``count``, ``fraction_positive``,
    ``mean_predicted``, non-empty bins only) and :meth:`plot` draws it."""

    def __init__(self, doc: Dict[str, Any], kind: str = _frames.PANDAS) -> None:
        table = doc.pop("reliability")
        super().__init__(doc)
        cols = ("bin", "lower", "upper", "count", "fraction_positive", "mean_predicted")
        self.reliability = _frames.frame(kind, {c: [b[c] for b in table] for c in cols})

    def plot(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """The reliability diagram (needs matplotlib): the share of positives against the mean
        predicted probability per bin, with the diagonal of perfect calibration. Returns the Axes."""
        from .plot import _pyplot

        plt = _pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(4.8, 4.8))
        t = _frames.to_columns(self.reliability)
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfectly calibrated")
        ax.plot(t["mean_predicted"], t["fraction_positive"], marker="o", label="model")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("mean predicted probability")
        ax.set_ylabel("fraction of positives")
        ax.set_title(title or f"Reliability (AUC {self['auc']:.3f}, Brier {self['brier']:.3f})")
        ax.legend(loc="upper left")
        return ax


def metrics(y: Any, proba: Any, n_bins: int = 5, strategy: str = "uniform") -> Evaluation:
    """ROC AUC (ties count half), log-loss (probabilities clipped as scikit-learn does), Brier
    score and the reliability table (scikit-learn's ``calibration_curve`` with counts and edges)
    of probabilities ``proba`` against 0/1 labels ``y``.

    Raises :class:`channelwise.NotEnoughDataError` naming ``y`` when a class is missing (no
    AUC), :class:`channelwise.InvalidParameterError` for a label other than 0 or 1 (``y[3]``),
    :class:`channelwise.OutOfRangeError` for a probability outside [0, 1] or ``n_bins = 0``."""
    doc = json.loads(_cw.leads_metrics(_labels("y", y), _labels("proba", proba), _reliability(n_bins, strategy)))
    return Evaluation(doc, _frames.POLARS if _frames.series_kind(proba) == _frames.POLARS else _frames.PANDAS)


class LogisticScore:
    """The predictive lead score's settings (scikit-learn's ``LogisticRegression`` and
    ``CalibratedClassifierCV`` names); :meth:`fit` returns a :class:`FittedLogisticScore`.

    ================ ======= ============================================================ ==========
    Name             Default Meaning                                                      Range
    ================ ======= ============================================================ ==========
    ``penalty``      "l2"    ``"l2"``, ``"l1"``, ``"elasticnet"`` or ``None`` (none)
    ``C``            1.0     inverse regularisation strength                              ``> 0``
    ``l1_ratio``     None    the elastic net's L1 share (``"elasticnet"`` only)           ``[0, 1]``
    ``class_weight`` None    ``None`` or ``"balanced"`` (rows weigh ``n / (2 n_class)``)
    ``calibration``  None    ``None``, ``"platt"`` (alias ``"sigmoid"``) or ``"isotonic"``
    ``max_iter``     200     most Newton steps                                            ``>= 1``
    ================ ======= ============================================================ ==========

    >>> import channelwise as cw
    >>> X = {"pages": [1, 2, 3, 5, 0, 4, 6, 2], "demo": [0, 0, 1, 1, 0, 0, 1, 1]}
    >>> fit = cw.leads.LogisticScore(calibration="platt").fit(X, [0, 0, 1, 1, 0, 0, 1, 1])
    >>> sorted(fit.coef_)
    ['demo', 'pages']
    >>> bool(fit.coef_["demo"] > 0)
    True
    """

    def __init__(self, penalty: Optional[str] = "l2", C: float = 1.0, l1_ratio: Optional[float] = None,
                 class_weight: Optional[str] = None, calibration: Optional[str] = None, max_iter: int = 200) -> None:
        from .glm import _number

        if penalty is not None and penalty not in _PENALTIES:
            raise _cw.InvalidParameterError(
                f'invalid penalty = {penalty!r}: expected "l2", "l1", "elasticnet" or None')
        if penalty == "elasticnet" and l1_ratio is None:
            raise _cw.InvalidParameterError('invalid l1_ratio = None: penalty="elasticnet" needs l1_ratio in [0, 1]')
        if class_weight not in (None, "balanced"):
            raise _cw.InvalidParameterError(f'invalid class_weight = {class_weight!r}: expected None or "balanced"')
        if not (calibration is None or isinstance(calibration, str)) or calibration not in _CALIBRATIONS:
            raise _cw.InvalidParameterError(
                f'invalid calibration = {calibration!r}: expected None, "platt" ("sigmoid") or "isotonic"')
        if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)):
            raise TypeError(f"max_iter: expected an int, got {type(max_iter).__qualname__}")
        self.penalty = penalty
        self.C = _number("C", C)
        self.l1_ratio = None if l1_ratio is None else _number("l1_ratio", l1_ratio)
        self.class_weight = class_weight
        self.calibration = calibration
        self.max_iter = max(int(max_iter), 0)

    def get_params(self) -> Dict[str, Any]:
        """The settings, as given to the constructor."""
        return {"penalty": self.penalty, "C": self.C, "l1_ratio": self.l1_ratio, "class_weight": self.class_weight,
                "calibration": self.calibration, "max_iter": self.max_iter}

    def __repr__(self) -> str:
        return "LogisticScore(" + ", ".join(f"{k}={v!r}" for k, v in self.get_params().items()) + ")"

    def _core(self) -> str:
        """The core's ``LogisticScore`` JSON."""
        p = "none" if self.penalty in (None, "none") else self.penalty
        penalty: Any = {"elasticnet": {"l1_ratio": self.l1_ratio}} if p == "elasticnet" else p
        return json.dumps({"penalty": penalty, "c": self.C, "calibration": _CALIBRATIONS[self.calibration],
                           "class_weight": self.class_weight or "none", "max_iter": self.max_iter})

    def fit(self, X: Any, y: Any, feature_names: Optional[Sequence[str]] = None, X_calibration: Any = None,
            y_calibration: Any = None) -> "FittedLogisticScore":
        """Fits to features ``X`` (a pandas / polars DataFrame or dict of columns, named by its
        columns; or a 2-D numpy array / list of rows with ``feature_names``, default ``x0, x1,
        ...``) and 0/1 labels ``y``. The calibration (if any) is fitted on ``X_calibration``,
        ``y_calibration`` when given (held-out rows, as ``CalibratedClassifierCV`` on a frozen
        model), else on the training rows.

        Raises :class:`channelwise.OutOfRangeError` for ``C <= 0`` (``c``) or ``l1_ratio``
        outside [0, 1], :class:`channelwise.NonFiniteError` naming ``features[i][j]``,
        :class:`channelwise.InvalidParameterError` for a label other than 0/1 (``y[i]``) or a
        repeated name (``feature_names[j]``), :class:`channelwise.LengthMismatchError` when the
        shapes disagree, :class:`channelwise.NotConvergedError` for separable data without a
        penalty."""
        data, names, kind, _ = _features(X, feature_names)
        cal = None
        if X_calibration is not None or y_calibration is not None:
            if X_calibration is None or y_calibration is None:
                raise _cw.InvalidParameterError(
                    "invalid X_calibration: give both X_calibration and y_calibration, or neither")
            cal = (_features(X_calibration, None, order=names)[0], _labels("calibration.y", y_calibration))
        fitted = _cw.leads_logistic_score_fit(data, names, _labels("y", y), self._core(), cal)
        return FittedLogisticScore(fitted, self.get_params(), kind)


class FittedLogisticScore:
    """A fitted predictive lead score: ``coef_`` (by name), ``intercept_``, :meth:`predict_proba`
    (calibrated), :meth:`contributions` (per-lead log-odds by feature, adding up to the logit),
    :meth:`evaluate`, :meth:`plot`, :meth:`to_json` / :meth:`from_json`."""

    _MODEL = "channelwise.leads.LogisticScore"

    def __init__(self, fitted: Any, params: Dict[str, Any], kind: str = _frames.PANDAS) -> None:
        self._fitted = fitted
        self._params = params
        self._kind = kind
        self._doc = json.loads(fitted.to_json())

    @property
    def feature_names_(self) -> List[str]:
        """The features, in the fit's column order."""
        return list(self._doc["feature_names"])

    @property
    def coef_(self) -> Dict[str, float]:
        """The coefficients (log-odds per unit) by feature name."""
        return dict(zip(self._doc["feature_names"], self._doc["coef"]))

    @property
    def intercept_(self) -> float:
        """The intercept."""
        return float(self._doc["intercept"])

    @property
    def reference_(self) -> Dict[str, float]:
        """The training means of the features: the reference lead of :meth:`contributions`."""
        return dict(zip(self._doc["feature_names"], self._doc["reference"]))

    @property
    def base_logit_(self) -> float:
        """The logit of the reference lead, ``intercept_ + coef . reference_``."""
        return self.intercept_ + sum(c * r for c, r in zip(self._doc["coef"], self._doc["reference"]))

    @property
    def calibrator_(self) -> Dict[str, Any]:
        """The calibration map: ``{"method": "none"}``, ``{"method": "platt", "a", "b"}`` or
        ``{"method": "isotonic", "x", "y"}`` (scikit-learn's ``X_thresholds_``, ``y_thresholds_``)."""
        return json.loads(json.dumps(self._doc["calibrator"]))

    @property
    def n_iter_(self) -> int:
        """Newton steps the fit took."""
        return int(self._doc["iterations"])

    def get_params(self) -> Dict[str, Any]:
        """The settings it was fitted with."""
        return dict(self._params)

    def _rows(self, X: Any) -> Tuple[bytes, str, Any]:
        data, _, kind, index = _features(X, None, order=self.feature_names_)
        return data, kind, index

    def _series(self, values: np.ndarray, kind: str, index: Any, name: str) -> Any:
        if kind == _frames.POLARS:
            import polars as pl

            return pl.Series(name, values)
        if index is not None:
            import pandas as pd

            return pd.Series(values, index=index, name=name)
        return values

    def decision_function(self, X: Any) -> Any:
        """The logit (uncalibrated linear predictor) of each row: a numpy array (a Series for a
        pandas or polars frame)."""
        data, kind, index = self._rows(X)
        return self._series(np.frombuffer(self._fitted.decision(data), dtype=np.float64), kind, index, "logit")

    def predict_proba(self, X: Any) -> Any:
        """The calibrated ``P(conversion)`` of each row, in [0, 1]: a numpy array (a Series for a
        pandas or polars frame). A DataFrame's columns are read by name."""
        data, kind, index = self._rows(X)
        return self._series(np.frombuffer(self._fitted.predict_proba(data), dtype=np.float64), kind, index, "proba")

    def contributions(self, X: Any) -> Any:
        """Each row's contributions to its logit: a DataFrame (polars for polars input) with a
        column per feature, ``coef_j (x_ij - reference_j)``, and ``base`` (the reference lead's
        logit); every row adds up to :meth:`decision_function`. Calibration maps the logit
        monotonically afterwards, so contributions explain the ranking."""
        data, kind, index = self._rows(X)
        base, values, _ = self._fitted.contributions(data)
        names = self.feature_names_
        v = np.frombuffer(values, dtype=np.float64).reshape(-1, len(names))
        cols: Dict[str, Any] = {n: v[:, j] for j, n in enumerate(names)}
        cols["base"] = np.full(v.shape[0], base)
        df = _frames.frame(kind, cols)
        if index is not None and kind == _frames.PANDAS:
            df.index = index
        return df

    def evaluate(self, X: Any, y: Any, n_bins: int = 5, strategy: str = "uniform") -> Evaluation:
        """AUC, log-loss, Brier score and reliability table (``n_bins`` bins, ``"uniform"`` or
        ``"quantile"``) of the calibrated probabilities of ``X`` against 0/1 labels ``y``.

        Raises :class:`channelwise.NotEnoughDataError` naming ``y`` when a class is missing,
        :class:`channelwise.OutOfRangeError` for ``n_bins = 0``."""
        data, kind, _ = self._rows(X)
        doc = json.loads(self._fitted.evaluate(data, _labels("y", y), _reliability(n_bins, strategy)))
        return Evaluation(doc, kind)

    def plot(self, X: Any, y: Any, n_bins: int = 10, strategy: str = "uniform", ax: Any = None,
             title: Optional[str] = None) -> Any:
        """The reliability diagram of ``X`` against ``y`` (needs matplotlib); returns the Axes."""
        return self.evaluate(X, y, n_bins=n_bins, strategy=strategy).plot(ax=ax, title=title)

    def to_json(self) -> str:
        """The fitted model as JSON: ``{"model", "spec", "fitted"}`` with the core's form in
        ``fitted`` (the document JS's ``toJSON()`` writes); :meth:`from_json` restores it bit
        for bit."""
        return json.dumps({"model": self._MODEL, "spec": self._params, "fitted": self._doc})

    @classmethod
    def from_json(cls, text: str) -> "FittedLogisticScore":
        """Restores a model written by :meth:`to_json` (here or in JS); a damaged document raises
        :class:`channelwise.InvalidParameterError`."""
        d = _frames.stored_model(text, cls._MODEL, "LogisticScore")
        fitted = _cw.FittedLogisticScore.from_json(json.dumps(d["fitted"]))
        spec = d.get("spec")
        return cls(fitted, spec if isinstance(spec, dict) else {})

    def __repr__(self) -> str:
        coef = ", ".join(f"{n}={c:.4g}" for n, c in self.coef_.items())
        return f"FittedLogisticScore({coef}; intercept_={self.intercept_:.4g}, calibration={self.calibrator_['method']!r})"
