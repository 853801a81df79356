"""Journeys against an independent builder: scripts/reference/make_journey_vectors.py works the
Rules of the core's `JourneyBuilder` out again from its documentation (lists, a sort, a walk),
and here both build the same seeded logs, many more than the shared vectors hold: same-second
ties, re-sent event ids, session runs, lookback edges, campaigns and lead key touches, under
every combination of the options."""

import importlib.util
import math
import pathlib

import pandas as pd
import pytest

import channelwise as cw

_PATH = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "reference" / "make_journey_vectors.py"
_spec = importlib.util.spec_from_file_location("journey_reference", _PATH)
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

DAY = 86_400
LOOKBACKS = [0, 600, 3600, 6 * 3600, DAY, 30 * DAY]
GAPS = [None, 0, 600, 1800, 7200]


def options(seed):
    """The build options of seed `seed`: each one cycles on its own period, so 240 seeds cover
    every pair of lookback and session gap with both levels and lead kinds."""
    return {
        "lookback": LOOKBACKS[seed % len(LOOKBACKS)],
        "session_gap": GAPS[(seed // len(LOOKBACKS)) % len(GAPS)],
        "level": ["channel", "channel_campaign"][seed % 2],
        "lead_kind": [None, "lead", "purchase"][seed % 3],
    }


def by_path_and_key(row):
    return (row[0], -1 if row[1] is None else row[1])


def frames(touches, conversions):
    return pd.DataFrame(touches), pd.DataFrame(conversions)


@pytest.mark.parametrize("seed", range(240))
def test_path_table_and_report_equal_the_reference(seed):
    touches, conversions = ref.random_log(seed, users=6 + seed % 9, bursts=2 + seed % 4, step=[1, 60, 600, 3600][seed % 4])
    o = options(seed)
    journeys, report, nodes = ref.build(touches, conversions, **o)
    keyed = o["lead_kind"] is not None
    want = sorted(ref.path_table(journeys, keyed), key=by_path_and_key)

    got = cw.journey.build(*frames(touches, conversions), **o)
    table = got.path_table()
    rows = sorted(
        (
            (
                r.path,
                (None if pd.isna(r.key_touch) else int(r.key_touch)) if keyed else None,
                r.conversions,
                r.nulls,
                r.value,
            )
            for r in table.itertuples()
        ),
        key=by_path_and_key,
    )
    if not keyed:  # without a lead kind the table has one row per path already
        assert len(rows) == len({r[0] for r in rows})
    assert [r[:2] for r in rows] == [w[:2] for w in want]
    for g, w in zip(rows, want):
        assert (g[2], g[3]) == (w[2], w[3]), (g, w)
        assert g[4] == w[4], (g, w)  # whole values: sums are exact in any order
    r = got.report
    for k, v in report.items():
        assert r[k] == v, (k, r[k], v)
    assert got.channels == nodes


@pytest.mark.parametrize("seed", range(60))
def test_time_decay_equals_the_reference(seed):
    touches, conversions = ref.random_log(1000 + seed, users=8, step=[60, 600, 3600][seed % 3])
    o = options(seed)
    half_life = [600, 3600, 6 * 3600, 7 * DAY][seed % 4]
    journeys, _, nodes = ref.build(touches, conversions, **o)
    want = ref.time_decay(journeys, nodes, half_life)
    got = cw.journey.build(*frames(touches, conversions), **o).time_decay(half_life)
    assert list(got["channel"]) == sorted(want)
    for row in got.itertuples():
        c, v = want[row.channel]
        assert math.isclose(row.conversions, c, rel_tol=1e-12, abs_tol=1e-12), (row.channel, row.conversions, c)
        assert math.isclose(row.value, v, rel_tol=1e-12, abs_tol=1e-9), (row.channel, row.value, v)


def test_the_logs_reach_every_rule():
    """The seeds above are not idle: over them every counter of the report moves, key touches
    are marked and some are lost to the lookback."""
    totals = dict.fromkeys(["duplicates_dropped", "duplicate_conversions", "touches_outside_lookback", "touches_collapsed", "leads", "unattributed_conversions"], 0)
    keys = 0
    for seed in range(240):
        touches, conversions = ref.random_log(seed, users=6 + seed % 9, bursts=2 + seed % 4, step=[1, 60, 600, 3600][seed % 4])
        journeys, report, _ = ref.build(touches, conversions, **options(seed))
        for k in totals:
            totals[k] += report[k]
        keys += sum(j["key"] is not None for j in journeys)
    assert all(v >= 20 for v in totals.values()), totals
    assert keys >= 50


@pytest.mark.parametrize("seed", range(120))
def test_rule_based_credit_over_the_journeys_equals_the_reference(seed):
    """First, last, linear, U- and W-shaped credit of the journeys' table (which keeps each
    path's key touch for W-shaped), against the rules of `attribution::Heuristics`' doc
    applied journey by journey."""
    touches, conversions = ref.random_log(2000 + seed, users=8, bursts=4 + seed % 4, step=600)
    # a long lookback, so that many converting journeys have four touches or more and a lead
    o = {**options(seed), "lookback": 30 * DAY, "lead_kind": ["lead", "lead", None][seed % 3]}
    u = [(0.4, 0.4), (0.5, 0.2), (0.0, 1.0)][seed % 3]
    w = [(0.3, 0.3, 0.3), (0.2, 0.5, 0.2), (0.25, 0.25, 0.25), (1.0, 0.0, 0.0)][seed % 4]
    journeys, _, nodes = ref.build(touches, conversions, **o)
    want = ref.heuristics(journeys, nodes, u, w)
    got = cw.attribution.heuristics(cw.journey.build(*frames(touches, conversions), **o).table, u_shaped=u, w_shaped=w)
    assert list(got["channel"]) == nodes
    for rule in ["first_touch", "last_touch", "linear", "u_shaped", "w_shaped"]:
        for row in got.itertuples():
            c, v = want.get(rule, {}).get(row.channel, (0.0, 0.0))
            gc, gv = getattr(row, f"{rule}_conversions"), getattr(row, f"{rule}_value")
            assert math.isclose(gc, c, rel_tol=1e-12, abs_tol=1e-12), (rule, row.channel, gc, c)
            assert math.isclose(gv, v, rel_tol=1e-12, abs_tol=1e-9), (rule, row.channel, gv, v)
