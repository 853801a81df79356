-- The path table channelwise builds (cw.journey.path_table with level "channel", no session gap,
-- no lead kind, no event ids), in SQL for a warehouse: the same rows and numbers as the Rust
-- journey builder, checked in bindings-python/tests/test_warehouse_sql.py with DuckDB.
--
-- Inputs: touchpoints(user_id, timestamp, channel, seq) and conversions(user_id, timestamp,
-- value, seq), timestamps in unix seconds; seq orders events of one user at the same second as
-- the input order does for channelwise (a load id or row number). Replace :lookback (seconds).
--
-- Rules (journey::JourneyBuilder): events of a user in time order, a touch before a conversion at
-- the same second; a journey ends at a conversion; touches more than :lookback seconds before
-- their conversion are dropped; a conversion with no touch left makes no journey (unattributed);
-- touches after a user's last conversion are a null journey, with no lookback.
WITH events AS (
    SELECT user_id, timestamp AS ts, 0 AS kind, seq, trim(channel) AS channel, NULL::DOUBLE AS value
    FROM touchpoints
    UNION ALL
    SELECT user_id, timestamp, 1, seq, NULL, value
    FROM conversions
),
numbered AS (
    -- journey k of a user: the events after its k-th conversion, up to and with the next one
    SELECT *,
           COALESCE(SUM(kind) OVER (PARTITION BY user_id ORDER BY ts, kind, seq
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS journey
    FROM events
),
ends AS (
    SELECT user_id, journey, ts AS conversion_ts, value FROM numbered WHERE kind = 1
),
journeys AS (
    SELECT string_agg(t.channel, '>' ORDER BY t.ts, t.seq) AS path,
           e.conversion_ts IS NOT NULL AS converted,
           e.value
    FROM numbered t
    LEFT JOIN ends e ON e.user_id = t.user_id AND e.journey = t.journey
    WHERE t.kind = 0 AND (e.conversion_ts IS NULL OR e.conversion_ts - t.ts <= :lookback)
    GROUP BY t.user_id, t.journey, e.conversion_ts, e.value
)
SELECT path,
       SUM(CASE WHEN converted THEN 1 ELSE 0 END)::DOUBLE AS conversions,
       SUM(CASE WHEN converted THEN 0 ELSE 1 END)::DOUBLE AS nulls,
       SUM(CASE WHEN converted THEN value ELSE 0 END)::DOUBLE AS value
FROM journeys
GROUP BY path
ORDER BY path
