"""Journeys: from touchpoint and conversion event logs to a path table.

Each log is a pandas or polars DataFrame, a pyarrow Table, a dict of columns or records (a list
of dicts, one per event). Touchpoints need ``user_id``, ``timestamp`` and ``channel`` columns,
optionally ``campaign``, ``cost`` (NaN/None = unknown) and ``event_id``; conversions need
``user_id``, ``timestamp`` and ``value``, optionally ``event_id`` and ``type`` (the lead marker
compared with ``lead_kind``). Optional columns are used when present. Timestamps may be integer unix seconds, datetimes
(naive = UTC) or RFC 3339 strings. Durations (``lookback``, ``session_gap``, ``half_life``) are
seconds or timedeltas.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import _channelwise as _cw
from . import _frames

__all__ = ["build", "path_table", "path_table_in_buckets", "merge", "Journeys"]

DAY = 86_400


class Journeys:
    """Journeys cut from event logs (see :func:`build`)."""

    def __init__(self, journeys: Any, kind: str, lead_kind: Optional[str]) -> None:
        self._journeys = journeys
        self._kind = kind
        self._lead_kind = lead_kind

    def __len__(self) -> int:
        return len(self._journeys)

    def __repr__(self) -> str:
        return repr(self._journeys)

    @property
    def channels(self) -> list:
        """Channel (or ``"channel | campaign"``) names, sorted."""
        return self._journeys.channels

    @property
    def report(self) -> Dict[str, Any]:
        """What the build kept and dropped: journeys, conversions, unattributed conversions and
        value, duplicates, touches outside the lookback, collapsed touches, leads."""
        return self._journeys.report

    @property
    def table(self) -> Any:
        """The compiled :class:`channelwise.PathTable`; pass it to any attribution function
        (it keeps the W-shaped key touches a DataFrame round trip would lose)."""
        return self._journeys.path_table()

    def path_table(self, sep: str = ">") -> Any:
        """Columns ``path, conversions, nulls, value`` (plus ``key_touch`` when built with a
        ``lead_kind``), one row per distinct path (and key touch)."""
        cols = _frames.table_columns(self._journeys.path_table(), sep)
        if self._lead_kind is None:
            del cols["key_touch"]
        elif self._kind != _frames.POLARS:
            import pandas as pd

            cols["key_touch"] = pd.array(cols["key_touch"], dtype="Int64")
        return _frames.frame(self._kind, cols)

    def time_decay(self, half_life: Any = 7 * DAY) -> Any:
        """Time-decay credit: columns ``channel, conversions, value``."""
        if hasattr(half_life, "total_seconds"):
            h = float(half_life.total_seconds())
        elif isinstance(half_life, (int, float)) and not isinstance(half_life, bool):
            h = float(half_life)
        else:
            h = float(_frames.seconds("half_life", half_life) or 0)
        return _frames.frame(self._kind, self._journeys.time_decay(h))


def build(
    touchpoints: Any,
    conversions: Any,
    lookback: Any = 30 * DAY,
    session_gap: Any = None,
    level: str = "channel",
    lead_kind: Optional[str] = None,
    user_id: str = "user_id",
    timestamp: str = "timestamp",
    channel: str = "channel",
    campaign: Optional[str] = "campaign",
    cost: Optional[str] = "cost",
    event_id: Optional[str] = "event_id",
    value: str = "value",
    conversion_type: Optional[str] = "type",
) -> Journeys:
    """Groups events by user into journeys.

    ``level`` is ``"channel"`` or ``"channel_campaign"``; ``lead_kind`` names the conversion
    ``type`` that marks a lead (the W-shaped key touch) instead of ending the journey.
    """
    touchpoints, tk = _frames.table(touchpoints, "touchpoints")
    conversions, ck = _frames.table(conversions, "conversions")
    if _frames.TABLE in (tk, ck):
        raise TypeError("journeys are built from event tables, not from a PathTable")
    kind = _frames.POLARS if _frames.POLARS in (tk, ck) else _frames.PANDAS

    def opt_floats(data: Any, k: str, role: str, name: Optional[str]) -> Optional[bytes]:
        return _frames.floats(data, k, role, name) if _frames.has_column(data, k, name) else None

    j = _cw.build_journeys(
        _frames.text(touchpoints, tk, "touchpoints.user_id", user_id),
        _frames.timestamps(touchpoints, tk, "touchpoints.timestamp", timestamp),
        _frames.text(touchpoints, tk, "touchpoints.channel", channel),
        _frames.optional_strings(touchpoints, tk, "touchpoints.campaign", campaign),
        opt_floats(touchpoints, tk, "touchpoints.cost", cost),
        _frames.optional_strings(touchpoints, tk, "touchpoints.event_id", event_id),
        _frames.text(conversions, ck, "conversions.user_id", user_id),
        _frames.timestamps(conversions, ck, "conversions.timestamp", timestamp),
        _frames.floats(conversions, ck, "conversions.value", value),
        _frames.optional_strings(conversions, ck, "conversions.event_id", event_id),
        _frames.optional_strings(conversions, ck, "conversions.type", conversion_type),
        lookback=_frames.seconds("lookback", lookback),
        session_gap=_frames.seconds("session_gap", session_gap),
        level=level,
        lead_kind=lead_kind,
    )
    return Journeys(j, kind, lead_kind)


def path_table(touchpoints: Any, conversions: Any, sep: str = ">", **kwargs: Any) -> Any:
    """Shorthand for ``build(touchpoints, conversions, **kwargs).path_table(sep)``."""
    return build(touchpoints, conversions, **kwargs).path_table(sep)


def merge(tables: Any, sep: str = ">") -> Any:
    """The sum of path tables built from disjoint sets of users (pandas or polars frames with
    the columns of :meth:`Journeys.path_table`; pyarrow tables, dicts of columns and records are
    read as pandas frames): one row per distinct path (and key touch), counts and values added,
    rows sorted by path. Merging the tables of a log split by user gives the table of the whole
    log (the core's ``PathTable::merge``); counts are exact, and values too when they are whole
    numbers (otherwise up to the rounding of the additions)."""
    tables = [_merge_frame(t, i) for i, t in enumerate(tables)]
    if not tables:
        raise _cw.NotEnoughDataError("not enough data for a merged path table (tables): need at least 1, got 0")
    kinds = {_frames.kind_of(t) for t in tables}
    if _frames.TABLE in kinds:
        raise TypeError("merge takes path-table frames (Journeys.path_table), not PathTable objects")
    for i, t in enumerate(tables):
        missing = [c for c in ("path", "conversions", "nulls", "value") if c not in t.columns]
        if missing:
            raise KeyError(f"tables[{i}]: no column {missing[0]!r} (columns: {list(t.columns)}); a path table has path, conversions, nulls, value")
    keyed = all("key_touch" in t.columns for t in tables)
    if not keyed and any("key_touch" in t.columns for t in tables):
        first = next(i for i, t in enumerate(tables) if ("key_touch" in t.columns) != ("key_touch" in tables[0].columns))
        raise ValueError(f"tables[{first}].key_touch: in some tables but not all (build them all with or all without lead_kind)")
    keys = ["path", "key_touch"] if keyed else ["path"]
    cols = keys + ["conversions", "nulls", "value"]
    if _frames.POLARS in kinds:
        import polars as pl

        whole = pl.concat([t if _frames.kind_of(t) == _frames.POLARS else pl.from_pandas(t) for t in tables], how="vertical_relaxed")
        out = whole.group_by(keys).agg(pl.col("conversions").sum(), pl.col("nulls").sum(), pl.col("value").sum())
        return out.sort(keys, nulls_last=False).select(["path", "conversions", "nulls", "value"] + keys[1:])
    import pandas as pd

    whole = pd.concat([t[cols] for t in tables], ignore_index=True)
    out = whole.groupby(keys, sort=True, dropna=False).sum().reset_index()
    return out.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)[["path", "conversions", "nulls", "value"] + keys[1:]]


def _merge_frame(t: Any, i: int) -> Any:
    """Table ``i`` of :func:`merge` as a pandas or polars frame (a PathTable as it is, for the
    error)."""
    t, kind = _frames.table(t, f"tables[{i}]")
    if kind == _frames.MAPPING:
        import pandas as pd

        return pd.DataFrame(t)
    return t.to_pandas() if kind == _frames.ARROW else t


def path_table_in_buckets(touchpoints: Any, conversions: Any, buckets: int = 16, sep: str = ">", user_id: str = "user_id", **kwargs: Any) -> Any:
    """The path table of an event log larger than memory, on one machine: ``touchpoints`` and
    ``conversions`` are polars ``LazyFrame`` s (``pl.scan_parquet``, ``pl.scan_csv``), users are
    hashed into ``buckets``, and each bucket is collected with polars' streaming engine, built
    (:func:`build`, the same keyword arguments) and added (:func:`merge`). Memory holds one
    bucket's events and the table; the scans are read once per bucket. Returns a polars frame
    equal to ``merge([path_table(all events)])``, rows sorted by path."""
    import polars as pl

    if not isinstance(buckets, int) or buckets < 1:
        raise _cw.InvalidParameterError(f"invalid buckets: {buckets!r} (a whole number >= 1)")
    tables = []
    for b in range(buckets):
        def part(frame: Any) -> Any:
            frame = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
            return frame.filter(pl.col(user_id).cast(pl.String).hash(seed=0) % buckets == b).collect(engine="streaming")

        t, c = part(touchpoints), part(conversions)
        if t.height == 0 and c.height == 0:
            continue
        tables.append(build(t, c, user_id=user_id, **kwargs).path_table(sep))
    if not tables:
        raise _cw.NotEnoughDataError("not enough data for a path table (events): need at least 1, got 0")
    return merge(tables, sep)
