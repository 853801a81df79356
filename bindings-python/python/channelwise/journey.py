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

import numpy as np

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
        elif isinstance(half_life, (int, float, np.integer, np.floating)) and not isinstance(half_life, bool):
            h = float(half_life)
        elif isinstance(half_life, np.timedelta64) and not np.isnat(half_life):
            h = float(half_life / np.timedelta64(1, "s"))  # a half-life may be a fraction of a second
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
    value: Optional[str] = "value",
    conversion_type: Optional[str] = "type",
) -> Journeys:
    """Groups events by user into journeys.

    ``level`` is ``"channel"`` or ``"channel_campaign"``; ``lead_kind`` names the conversion
    ``type`` that marks a lead (the W-shaped key touch) instead of ending the journey. The
    conversions' ``value`` is zero when its column is absent (or ``value=None``); a name given
    explicitly must exist, and a record that leaves it out has 0 there, as in JS.
    """
    touchpoints, tk = _frames.table(touchpoints, "touchpoints")
    conversions, ck = _frames.table(conversions, "conversions", [(value, 0.0)])
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
        _conversion_values(conversions, ck, value, user_id),
        _frames.optional_strings(conversions, ck, "conversions.event_id", event_id),
        _frames.optional_strings(conversions, ck, "conversions.type", conversion_type),
        lookback=_frames.seconds("lookback", lookback),
        session_gap=_frames.seconds("session_gap", session_gap),
        level=level,
        lead_kind=lead_kind,
    )
    return Journeys(j, kind, lead_kind)


def _conversion_values(conversions: Any, kind: str, value: Optional[str], user_id: str) -> bytes:
    """The conversions' values as float64 bytes: the column ``value``, or zeros when it is
    ``None`` or the default name and absent (as the core's CSV reader and the JS packages)."""
    if value is None or (value == "value" and not _frames.has_column(conversions, kind, value)):
        n = len(_frames.raw_column(conversions, kind, "conversions.user_id", user_id))
        return np.zeros(n).tobytes()
    return _frames.floats(conversions, kind, "conversions.value", value)


def path_table(touchpoints: Any, conversions: Any, sep: str = ">", **kwargs: Any) -> Any:
    """Shorthand for ``build(touchpoints, conversions, **kwargs).path_table(sep)``."""
    return build(touchpoints, conversions, **kwargs).path_table(sep)


def merge(tables: Any, sep: str = ">") -> Any:
    """The sum of path tables built from disjoint sets of users (the core's
    ``PathTable::merge``, as the JS packages' ``journey.merge``): one row per distinct path (and
    key touch), counts and values added, channels matched by name, rows sorted by path. Each
    table is read as :func:`channelwise.attribution.markov` reads one (a frame with the columns
    of :meth:`Journeys.path_table`, a pyarrow table, a dict of columns or records; ``nulls`` and
    ``value`` are zeros when absent) and checked the same way: an error names the table
    (``tables[1].conversions[3] must be finite``). The result is a polars frame if any table
    is one, else pandas. Merging the tables of a log split by user gives the table of the whole
    log; counts are exact, and values too when they are whole numbers (otherwise up to the
    rounding of the additions)."""
    compiled, kinds, keyed = [], set(), []
    for i, t in enumerate(tables):
        data, kind = _frames.table(t, f"tables[{i}]", [("nulls", 0.0), ("value", 0.0)])
        if kind == _frames.TABLE:
            raise TypeError("merge takes path-table frames (Journeys.path_table), not PathTable objects")
        keyed.append(_frames.has_column(data, kind, "key_touch"))
        if keyed[-1] != keyed[0]:
            raise ValueError(f"tables[{i}].key_touch: in some tables but not all (build them all with or all without lead_kind)")
        try:
            table, _ = _frames.path_table(data, sep=sep, key_touch="key_touch")
        except _cw.ChannelwiseError as e:
            raise _within(e, f"tables[{i}]") from None
        compiled.append(table)
        kinds.add(kind)
    if not compiled:
        raise _cw.NotEnoughDataError("not enough data for a merged path table (tables): need at least 1, got 0")
    cols = _frames.table_columns(_cw.PathTable.merge(compiled), sep)
    kind = _frames.POLARS if _frames.POLARS in kinds else _frames.PANDAS
    if not keyed[0]:
        del cols["key_touch"]
    elif kind == _frames.PANDAS:
        import pandas as pd

        cols["key_touch"] = pd.array(cols["key_touch"], dtype="Int64")
    return _frames.frame(kind, cols)


def _within(e: Exception, where: str) -> Exception:
    """Error ``e`` of reading one table of a list, naming the table: ``tables[1].value[3] must
    be finite``, ``invalid tables[1].path[0]: ...``, ``tables[1]: invalid path in row 2: ...``."""
    m = str(e)
    if m.startswith("invalid ") and not m.startswith("invalid path in row "):
        m = f"invalid {where}.{m[len('invalid '):]}"
    elif " must be " in m.split(",")[0] and not m.startswith("length mismatch"):
        m = f"{where}.{m}"
    else:
        m = f"{where}: {m}"
    return type(e)(m)


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
