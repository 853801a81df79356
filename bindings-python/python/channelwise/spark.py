"""Event logs past one machine, through Spark: the heavy part runs where the data is, and
channelwise solves the small aggregate once.

A path table is a sum over journeys and a journey belongs to one user; an RFM row belongs to one
customer. So Spark hashes users (customers) into buckets, each bucket's events go to one Python
worker as a pandas frame (``groupBy(bucket).applyInPandas``), channelwise builds that bucket's
journeys (or RFM rows) with exactly the single-machine rules, and Spark adds the buckets' path
tables up (``groupBy(path).sum``). Spark partitions, shuffles and aggregates; nothing of it is
reimplemented here.

>>> import channelwise.spark as cws                                  # doctest: +SKIP
>>> table = cws.path_table(events, conversions, lookback="30d")     # doctest: +SKIP
>>> cw.attribution.markov(table.toPandas(), order=1)                # doctest: +SKIP

The result is a Spark DataFrame with the single-machine columns (``path``, ``conversions``,
``nulls``, ``value``, and ``key_touch`` with ``lead_kind``); collected, it feeds every attribution
and CLV function unchanged. Counts are exact. Spark adds the buckets' values in the order its
tasks finish, so values are exact when they are whole numbers (e.g. cents) and otherwise equal
the single-machine ones up to the rounding of the additions.

Needs ``pyspark`` (``pip install channelwise[spark]``) and Java 17+; channelwise must be
installed on the executors (the same wheel). ``buckets`` sets how many groups the users are
hashed into: each group is one pandas frame in one worker's memory, so on a large log choose
it so that a group fits (default: 4 x ``spark.sql.shuffle.partitions``).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

DAY = 86_400

__all__ = ["path_table", "rfm"]


def _spark() -> Any:
    try:
        import pyspark.sql.functions as F
    except ImportError as e:  # pragma: no cover - depends on the install
        raise ImportError("channelwise.spark needs pyspark: pip install 'channelwise[spark]'") from e
    return F


def _require(df: Any, role: str, columns: Dict[str, Optional[str]]) -> None:
    have = set(df.columns)
    for what, name in columns.items():
        if name is not None and name not in have:
            raise KeyError(f"{role}.{what}: column {name!r} is not in the DataFrame (columns: {sorted(have)})")


def _seconds(F: Any, df: Any, name: str) -> Any:
    """A column as whole unix seconds (long): timestamps and dates converted, numbers kept."""
    kind = dict(df.dtypes)[name]
    col = F.col(name)
    if kind in ("timestamp", "timestamp_ntz"):
        return F.unix_timestamp(col).cast("long")
    if kind == "date":
        return F.unix_timestamp(col.cast("timestamp")).cast("long")
    if kind == "string":
        return F.unix_timestamp(F.to_timestamp(col)).cast("long")
    return col.cast("long")


def _buckets(df: Any, buckets: Optional[int]) -> int:
    if buckets is None:
        return 4 * int(df.sparkSession.conf.get("spark.sql.shuffle.partitions", "200"))
    if not isinstance(buckets, int) or buckets < 1:
        raise ValueError(f"invalid buckets: {buckets!r} (a whole number >= 1)")
    return buckets


def _null_row(pdf: Any, columns: Dict[str, str], role: str) -> None:
    """Raise naming the column (as the caller named it: ``columns`` maps ours to theirs) and the
    row when a key column holds a null."""
    for c, theirs in columns.items():
        bad = pdf[c].isna()
        if bad.any():
            row = pdf[bad].iloc[0].to_dict()
            row.pop("__cw_bucket", None)
            raise ValueError(f"{role}.{theirs}: a null value, in the row {row}")


def path_table(
    touchpoints: Any,
    conversions: Any,
    sep: str = ">",
    lookback: Any = 30 * DAY,
    session_gap: Any = None,
    level: str = "channel",
    lead_kind: Optional[str] = None,
    user_id: str = "user_id",
    timestamp: str = "timestamp",
    channel: str = "channel",
    campaign: Optional[str] = None,
    event_id: Optional[str] = None,
    value: str = "value",
    conversion_type: Optional[str] = None,
    buckets: Optional[int] = None,
) -> Any:
    """The path table of Spark event tables, built as :func:`channelwise.journey.path_table`
    builds it on one machine (the same options), one bucket of users per task.

    Columns are named as in :func:`channelwise.journey.build`; timestamps may be Spark
    timestamps, dates, ISO strings or unix seconds. ``campaign``, ``event_id`` and
    ``conversion_type`` are read only when named. Returns a Spark DataFrame ``path``,
    ``conversions``, ``nulls``, ``value`` (and ``key_touch`` with ``lead_kind``), one row per
    distinct path (and key touch), sorted by path.

    Raises ``KeyError`` here for a column that is missing; inside Spark (the job fails with it)
    ``ValueError`` naming the column and the row for a null user or time, and for a channel
    whose name holds ``sep`` (its paths could not be read back), and channelwise's own errors
    for what :func:`channelwise.journey.build` refuses."""
    F = _spark()
    import channelwise as cw

    _require(touchpoints, "touchpoints", {"user_id": user_id, "timestamp": timestamp, "channel": channel, "campaign": campaign, "event_id": event_id})
    _require(conversions, "conversions", {"user_id": user_id, "timestamp": timestamp, "value": value, "event_id": event_id, "type": conversion_type})
    if not isinstance(sep, str) or not sep.strip():
        raise ValueError(f"invalid sep: {sep!r} (a separator with a non-whitespace character)")
    n = _buckets(touchpoints, buckets)
    null_str = F.lit(None).cast("string")
    t = touchpoints.select(
        F.lit(0).alias("__cw_kind"),
        F.col(user_id).cast("string").alias("user_id"),
        _seconds(F, touchpoints, timestamp).alias("timestamp"),
        F.col(channel).cast("string").alias("channel"),
        (F.col(campaign).cast("string") if campaign else null_str).alias("campaign"),
        (F.col(event_id).cast("string") if event_id else null_str).alias("event_id"),
        F.lit(None).cast("double").alias("value"),
        null_str.alias("type"),
    )
    c = conversions.select(
        F.lit(1).alias("__cw_kind"),
        F.col(user_id).cast("string").alias("user_id"),
        _seconds(F, conversions, timestamp).alias("timestamp"),
        null_str.alias("channel"),
        null_str.alias("campaign"),
        (F.col(event_id).cast("string") if event_id else null_str).alias("event_id"),
        F.col(value).cast("double").alias("value"),
        (F.col(conversion_type).cast("string") if conversion_type else null_str).alias("type"),
    )
    events = t.unionByName(c).withColumn("__cw_bucket", F.pmod(F.xxhash64("user_id"), F.lit(n)))
    keyed = lead_kind is not None
    schema = "path string, conversions double, nulls double, value double" + (", key_touch long" if keyed else "")
    trimmed_sep = sep.strip()

    def bucket(pdf: Any) -> Any:
        import pandas as pd

        touches = pdf[pdf["__cw_kind"] == 0]
        convs = pdf[pdf["__cw_kind"] == 1]
        _null_row(touches, {"user_id": user_id, "timestamp": timestamp, "channel": channel}, "touchpoints")
        _null_row(convs, {"user_id": user_id, "timestamp": timestamp, "value": value}, "conversions")
        holds = touches["channel"].str.contains(trimmed_sep, regex=False)
        if holds.any():
            row = touches[holds].iloc[0]
            raise ValueError(
                f"touchpoints.{channel}: the channel {row['channel']!r} holds the separator {trimmed_sep!r}, so its paths "
                f"could not be read back (user {row['user_id']!r}, time {int(row['timestamp'])}); choose another sep"
            )
        if touches.empty and convs.empty:
            return pd.DataFrame({k: [] for k in ("path", "conversions", "nulls", "value") + (("key_touch",) if keyed else ())})
        out = cw.journey.path_table(
            touches,
            convs,
            sep=sep,
            lookback=lookback,
            session_gap=session_gap,
            level=level,
            lead_kind=lead_kind,
            campaign="campaign" if campaign else None,
            cost=None,
            event_id="event_id" if event_id else None,
            conversion_type="type" if conversion_type else None,
        )
        if keyed:
            out["key_touch"] = out["key_touch"].astype("float64")
        return out

    parts = events.groupBy("__cw_bucket").applyInPandas(bucket, schema)
    keys = ["path", "key_touch"] if keyed else ["path"]
    return (
        parts.groupBy(*keys)
        .agg(F.sum("conversions").alias("conversions"), F.sum("nulls").alias("nulls"), F.sum("value").alias("value"))
        .select("path", "conversions", "nulls", "value", *keys[1:])
        .orderBy(*keys)
    )


def rfm(
    transactions: Any,
    customer_id: str = "customer_id",
    datetime: str = "date",
    monetary_value: Optional[str] = None,
    freq: str = "D",
    freq_multiplier: float = 1.0,
    observation_end: Any = None,
    buckets: Optional[int] = None,
) -> Any:
    """The RFM summary of a Spark transaction table, as :func:`channelwise.clv.rfm` computes it
    on one machine (the same options), one bucket of customers per task. ``observation_end``
    defaults to the latest transaction, found by Spark first. Returns a Spark DataFrame
    ``customer_id``, ``frequency``, ``recency``, ``T`` (and ``monetary_value``), sorted by
    customer; every number equals the single-machine one exactly, since each customer's row is
    computed whole in one task. Count the ``(frequency, recency, T)`` triples
    (``groupBy(...).count()``) to fit the BG/NBD or Pareto/NBD model with ``weights``.

    Raises ``KeyError`` here for a missing column; inside Spark ``ValueError`` naming the column
    and the row for a null customer or time, and channelwise's own errors otherwise."""
    F = _spark()
    import channelwise as cw

    _require(transactions, "transactions", {"customer_id": customer_id, "datetime": datetime, "monetary_value": monetary_value})
    n = _buckets(transactions, buckets)
    cols = [
        F.col(customer_id).cast("string").alias("customer_id"),
        _seconds(F, transactions, datetime).alias("date"),
    ]
    if monetary_value is not None:
        cols.append(F.col(monetary_value).cast("double").alias("monetary_value"))
    tx = transactions.select(*cols)
    end = observation_end
    if end is None:
        end = tx.agg(F.max("date")).first()[0]
        if end is None:
            raise cw.NotEnoughDataError("not enough data for an RFM summary (transactions): need at least 1, got 0")
    tx = tx.withColumn("__cw_bucket", F.pmod(F.xxhash64("customer_id"), F.lit(n)))
    mv = monetary_value is not None
    schema = "customer_id string, frequency double, recency double, T double" + (", monetary_value double" if mv else "")

    def bucket(pdf: Any) -> Any:
        import pandas as pd

        _null_row(pdf, {"customer_id": customer_id, "date": datetime}, "transactions")
        empty = pd.DataFrame({k: [] for k in ("customer_id", "frequency", "recency", "T") + (("monetary_value",) if mv else ())})
        if pdf.empty:
            return empty
        try:
            return cw.clv.rfm(
                pdf,
                customer_id="customer_id",
                datetime="date",
                monetary_value="monetary_value" if mv else None,
                freq=freq,
                freq_multiplier=freq_multiplier,
                observation_end=end,
            )
        except cw.NotEnoughDataError:
            # every transaction of this bucket's customers is after the observation end
            return empty

    return tx.groupBy("__cw_bucket").applyInPandas(bucket, schema).orderBy("customer_id")
