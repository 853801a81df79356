"""Shared vectors for channelwise.leads (tests/vectors/leads/): funnels and cohorts computed by a
brute-force reading of the documented semantics (core/src/leads/funnel.rs and cohort.rs module
docs) on small seeded event logs, lead scores derived by hand, lifecycle replays by brute force
(core/src/leads/lifecycle.rs docs: a walk over the allowed moves, stays summed pair by pair) and
journey health (core/src/leads/health.rs docs) with the Mann-Kendall statistic counted over every
pair and pymannkendall's `original_test` formulas, p-values from scipy.stats.norm, slopes from
scipy.stats.theilslopes.

Funnels, cohorts, scores and lifecycles need only the standard library; the health vectors need
scipy (/work/venv-pymc/bin/python make_leads_vectors.py [repo root]; without scipy they are left
as they are). Nothing here is a port of the
Rust code: the funnel's furthest step is found by enumerating every increasing tuple of events (and
checked against the "earliest next event" reading that gives the step times), periods come from
`datetime` (not the day-count arithmetic the core uses), and the scores are written out as sums.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import statistics
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
DAY = 86_400


def write(name: str, vec: dict) -> None:
    d = os.path.join(ROOT, "tests", "vectors", "leads")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".json"), "w") as fh:
        json.dump(vec, fh, indent=1)
        fh.write("\n")


def random_log(seed: int, n_leads: int, types: list[str], max_events: int, t_lo: int, t_hi: int, values=False) -> dict:
    rng = random.Random(seed)
    rows = []
    for lead in range(n_leads):
        for _ in range(rng.randint(0, max_events)):
            rows.append((lead, rng.randint(t_lo, t_hi), rng.choice(types), round(rng.uniform(1, 100), 2) if values else 0.0))
    rng.shuffle(rows)  # row order is not time order
    log = {
        "n_leads": n_leads,
        "event_types": types,
        "lead": [r[0] for r in rows],
        "timestamp": [r[1] for r in rows],
        "event": [r[2] for r in rows],
    }
    if values:
        log["value"] = [r[3] for r in rows]
    return log


def lead_sequences(log: dict) -> list[list[tuple[int, str]]]:
    """Each lead's (timestamp, event) in time order, ties in row order."""
    rows = sorted(range(len(log["lead"])), key=lambda i: (log["timestamp"][i], i))
    seqs: list[list[tuple[int, str]]] = [[] for _ in range(log["n_leads"])]
    for i in rows:
        seqs[log["lead"][i]].append((log["timestamp"][i], log["event"][i]))
    return seqs


# ---------------------------------------------------------------- funnels


def ordered_attempt(seq, start, steps, window, strict):
    """Positions of the attempt from `start`: each next step the earliest matching event after the
    previous one (strict: the very next event), within the window."""
    t0 = seq[start][0]
    pos = [start]
    j = start + 1
    while len(pos) < len(steps) and j < len(seq) and seq[j][0] - t0 <= window:
        if seq[j][1] == steps[len(pos)]:
            pos.append(j)
        elif strict:
            break
        j += 1
    return pos


def furthest_by_enumeration(seq, steps, window, strict):
    """Max k such that some increasing tuple of k events matches steps[:k] inside one window
    (strict: consecutive positions). Independent of the attempt construction."""
    best = 0
    n = len(seq)
    for k in range(1, len(steps) + 1):
        found = False
        for tup in itertools.combinations(range(n), k):
            if strict and any(tup[i + 1] != tup[i] + 1 for i in range(k - 1)):
                continue
            if all(seq[p][1] == steps[i] for i, p in enumerate(tup)) and seq[tup[-1]][0] - seq[tup[0]][0] <= window:
                found = True
                break
        if not found:
            break
        best = k
    return best


def excluded(seq, pos, start, window, exclusions):
    t0 = seq[start][0]
    for ev, a, b in exclusions:
        if a >= len(pos):
            continue
        if b < len(pos):
            between = range(pos[a] + 1, pos[b])
        else:
            between = [j for j in range(pos[a] + 1, len(seq)) if seq[j][0] - t0 <= window]
        if any(seq[j][1] == ev for j in between):
            return True
    return False


def funnel(log, steps, order, window, relative_to, exclusions=()):
    seqs = lead_sequences(log)
    k = len(steps)
    furthest, gaps = [], [[] for _ in range(k)]
    for seq in seqs:
        best, best_times = 0, []
        for start in range(len(seq)):
            if order in ("sequential", "strict"):
                if seq[start][1] != steps[0]:
                    continue
                pos = ordered_attempt(seq, start, steps, window, order == "strict")
                if excluded(seq, pos, start, window, exclusions):
                    continue
                times = [seq[p][0] for p in pos]
            else:
                if seq[start][1] not in steps:
                    continue
                t0 = seq[start][0]
                first = {}
                for t, e in seq[start:]:
                    if t - t0 <= window and e in steps and e not in first:
                        first[e] = t
                times = sorted(first.values())
            if len(times) > best:
                best, best_times = len(times), times
        if order in ("sequential", "strict") and not exclusions:
            # the attempts reach exactly what any matching tuple can
            assert best == furthest_by_enumeration(seq, steps, window, order == "strict"), (seq, steps)
        furthest.append(best)
        for s in range(1, best):
            gaps[s].append(best_times[s] - best_times[s - 1])
    counts = [sum(1 for f in furthest if f > s) for s in range(k)]
    rate = []
    for s in range(k):
        den = counts[0] if (s == 0 or relative_to == "first") else counts[s - 1]
        rate.append(counts[s] / den if den else 0.0)
    return {
        "counts": counts,
        "conversion_rate": rate,
        "drop_off": [0] + [counts[s - 1] - counts[s] for s in range(1, k)],
        "median_seconds_from_previous": [float(statistics.median(g)) if g else -1.0 for g in gaps],
        "furthest_step": furthest,
    }


FUNNEL_SRC = (
    "brute force in make_leads_vectors.py from the funnel module docs (PostHog semantics): furthest step by "
    "enumerating every increasing tuple of events, step times from the earliest-next-event attempt; "
    "median_seconds_from_previous -1 = no lead reached the step"
)


def funnel_vectors():
    types = ["a", "b", "c", "d", "x"]
    cases = [
        ("funnel_sequential_w50_first", 1, ["a", "b", "c"], "sequential", 50, "first", []),
        ("funnel_sequential_w1000_previous", 2, ["a", "b", "c", "d"], "sequential", 1000, "previous", []),
        ("funnel_sequential_repeat_step", 3, ["a", "b", "a", "c"], "sequential", 120, "first", []),
        ("funnel_strict_w100", 4, ["a", "b", "c"], "strict", 100, "first", []),
        ("funnel_strict_w30_previous", 5, ["b", "a"], "strict", 30, "previous", []),
        ("funnel_any_w60", 6, ["a", "b", "c"], "any", 60, "first", []),
        ("funnel_any_w500_previous", 7, ["c", "a", "d", "b"], "any", 500, "previous", []),
        ("funnel_sequential_exclusions", 8, ["a", "b", "c"], "sequential", 150, "first", [("x", 0, 1), ("d", 1, 2)]),
        ("funnel_sequential_exclusion_wide", 9, ["a", "b", "c"], "sequential", 1000, "previous", [("x", 0, 2)]),
        ("funnel_strict_exclusion", 10, ["a", "b"], "strict", 80, "first", [("b", 0, 1)]),
    ]
    for name, seed, steps, order, window, rel, excl in cases:
        log = random_log(seed, 40, types, 9, 0, 200)
        write(
            name,
            {
                "function": "leads.funnel",
                "source": FUNNEL_SRC,
                "input": log,
                "params": {
                    "funnel": {
                        "steps": steps,
                        "order": order,
                        "window_seconds": window,
                        "relative_to": rel,
                        "exclusions": [{"event_type": e, "from_step": a, "to_step": b} for e, a, b in excl],
                    }
                },
                "expected": funnel(log, steps, order, window, rel, excl),
                "tolerance": {"abs": 1e-12},
            },
        )
    log = random_log(1, 3, types, 3, 0, 10)
    for name, params, kind, why in [
        ("funnel_error_one_step", {"steps": ["a"]}, "not_enough_data", "a funnel needs two steps"),
        ("funnel_error_unknown_step", {"steps": ["a", "zz"]}, "invalid_parameter", "unknown event type"),
        ("funnel_error_window", {"steps": ["a", "b"], "window_seconds": 0}, "invalid_parameter", "window must be > 0"),
        (
            "funnel_error_any_exclusion",
            {"steps": ["a", "b"], "order": "any", "exclusions": [{"event_type": "x", "from_step": 0, "to_step": 1}]},
            "invalid_parameter",
            "exclusions need an ordered funnel",
        ),
    ]:
        write(
            name,
            {
                "function": "leads.funnel",
                "source": f"channelwise contract: {why}",
                "input": log,
                "params": {"funnel": params},
                "expected": {"error": kind},
            },
        )


# ---------------------------------------------------------------- cohorts


def period_key(t: int, period: str):
    d = dt.datetime.fromtimestamp(t, tz=dt.timezone.utc).date()
    if period == "day":
        return d
    if period == "week":
        return d - dt.timedelta(days=d.weekday())
    return (d.year, d.month)


def period_diff(a, b, period: str) -> int:
    """Whole periods from a to b."""
    if period == "day":
        return (b - a).days
    if period == "week":
        return (b - a).days // 7
    return (b[0] - a[0]) * 12 + b[1] - a[1]


def label(key, period: str) -> str:
    return f"{key[0]:04d}-{key[1]:02d}" if period == "month" else key.isoformat()


def cohorts(log, period, acquisition=None, activity=None, conversion=None, revenue=None, as_of=None):
    seqs = []
    rows = sorted(range(len(log["lead"])), key=lambda i: (log["timestamp"][i], i))
    per_lead = [[] for _ in range(log["n_leads"])]
    for i in rows:
        if as_of is None or log["timestamp"][i] <= as_of:
            per_lead[log["lead"][i]].append((log["timestamp"][i], log["event"][i], log.get("value", [0.0] * len(rows))[i]))
    seqs = per_lead
    end_t = as_of if as_of is not None else max(log["timestamp"])
    end = period_key(end_t, period)
    table = {}
    for seq in seqs:
        acq = next((k for k, (t, e, _) in enumerate(seq) if acquisition is None or e == acquisition), None)
        if acq is None:
            continue
        c = period_key(seq[acq][0], period)
        width = period_diff(c, end, period) + 1
        row = table.setdefault(c, {"size": 0, "active_sets": [], "conv": [], "rev": [0.0] * width, "width": width})
        row["size"] += 1
        active = set()
        conv_at = None
        for t, e, v in seq[acq:]:
            k = period_diff(c, period_key(t, period), period)
            if activity is None or e == activity:
                active.add(k)
            if conversion is not None and conv_at is None and e == conversion:
                conv_at = k
            if revenue is None or e == revenue:
                row["rev"][k] += v
        row["active_sets"].append(active)
        row["conv"].append(conv_at)
    out = {
        "labels": [],
        "sizes": [],
        "row_lengths": [],
        "retention_on": [],
        "retention_on_or_after": [],
        "conversion": [],
        "revenue": [],
        "cumulative_value_per_customer": [],
    }
    for c in sorted(table):
        r = table[c]
        n, w = r["size"], r["width"]
        out["labels"].append(label(c, period))
        out["sizes"].append(n)
        out["row_lengths"].append(w)
        for k in range(w):
            out["retention_on"].append(sum(1 for s in r["active_sets"] if k in s) / n)
            out["retention_on_or_after"].append(sum(1 for s in r["active_sets"] if any(j >= k for j in s)) / n)
            if conversion is not None:
                out["conversion"].append(sum(1 for j in r["conv"] if j is not None and j <= k) / n)
            out["revenue"].append(r["rev"][k])
            out["cumulative_value_per_customer"].append(sum(r["rev"][: k + 1]) / n)
    out["labels"] = ",".join(out["labels"])
    return out


COHORT_SRC = (
    "brute force in make_leads_vectors.py from the cohort module docs: calendar periods from Python's datetime "
    "(ISO weeks from date.weekday()), shares counted lead by lead; tables flattened row by row (row_lengths)"
)


def cohort_vectors():
    start = int(dt.datetime(2023, 11, 20, tzinfo=dt.timezone.utc).timestamp())
    stop = int(dt.datetime(2024, 4, 10, tzinfo=dt.timezone.utc).timestamp())
    cases = [
        ("cohort_month_all_events", 11, ["visit", "signup", "purchase"], {"period": "month"}),
        (
            "cohort_week_signup_visit_purchase",
            12,
            ["visit", "signup", "purchase"],
            {
                "period": "week",
                "acquisition_event": "signup",
                "activity_event": "visit",
                "conversion_event": "purchase",
                "revenue_event": "purchase",
            },
        ),
        (
            "cohort_day_as_of",
            13,
            ["visit", "purchase"],
            {"period": "day", "conversion_event": "purchase", "revenue_event": "purchase", "as_of": start + 20 * DAY + 3600},
        ),
        (
            "cohort_month_purchase_acquisition",
            14,
            ["visit", "purchase"],
            {"period": "month", "acquisition_event": "purchase", "activity_event": "purchase", "conversion_event": "purchase"},
        ),
    ]
    for name, seed, types, params in cases:
        hi = start + 25 * DAY if params["period"] == "day" else stop
        log = random_log(seed, 60, types, 8, start, hi, values=True)
        expected = cohorts(
            log,
            params["period"],
            params.get("acquisition_event"),
            params.get("activity_event"),
            params.get("conversion_event"),
            params.get("revenue_event"),
            params.get("as_of"),
        )
        write(
            name,
            {
                "function": "leads.cohorts",
                "source": COHORT_SRC,
                "input": log,
                "params": {"cohorts": params},
                "expected": expected,
                "tolerance": {"abs": 1e-9},
            },
        )
    write(
        "cohort_error_unknown_event",
        {
            "function": "leads.cohorts",
            "source": "channelwise contract: unknown event type",
            "input": random_log(1, 3, ["visit"], 3, start, stop),
            "params": {"cohorts": {"conversion_event": "purchase"}},
            "expected": {"error": "invalid_parameter"},
        },
    )


# ---------------------------------------------------------------- scores (hand-derived)


def score_vectors():
    # Rules: visit +5 (behavioural), demo +30 (intent, weight 1.5), email_click +3 per click plus 0.5 per
    # unit of value (engagement), unsubscribe -20 (engagement); visit capped at 12 raw points per day.
    base_rules = [
        {"name": "visit", "dimension": "behavioural", "event_type": "visit", "points": 5},
        {"name": "demo", "dimension": "intent", "event_type": "demo", "points": 30},
        {"name": "click", "dimension": "engagement", "event_type": "email_click", "points": 3, "per_value": 0.5},
        {"name": "unsub", "dimension": "engagement", "event_type": "unsubscribe", "points": -20},
    ]
    attr_rules = [
        {"name": "vp", "dimension": "demographic", "attribute": "title", "condition": {"op": "one_of", "values": ["VP", "CMO"]}, "points": 15},
        {"name": "big", "dimension": "firmographic", "attribute": "employees", "condition": {"op": "at_least", "value": 200}, "points": 10},
        {"name": "tiny", "dimension": "firmographic", "attribute": "employees", "condition": {"op": "below", "value": 10}, "points": -5},
        {"name": "no_size", "dimension": "firmographic", "attribute": "employees", "condition": {"op": "missing"}, "points": -2},
    ]
    types = ["visit", "demo", "email_click", "unsubscribe"]
    attributes = {"numeric": {"employees": [500, 5, "NaN"]}, "categorical": {"title": ["VP", "Intern", ""]}}
    # lead 0: visits at day 0 (x3: 15 raw, capped to 12) and day 1 (5); demo at day 2 + 1 h
    # lead 1: two clicks of value 4 on day 5 (2 x (3 + 0.5*4) = 10); unsubscribe on day 6
    # lead 2: nothing
    events = [
        (0, 0 * DAY + 100, "visit", 0),
        (0, 0 * DAY + 200, "visit", 0),
        (0, 0 * DAY + 300, "visit", 0),
        (0, 1 * DAY + 50, "visit", 0),
        (0, 2 * DAY + 3600, "demo", 0),
        (1, 5 * DAY, "email_click", 4),
        (1, 5 * DAY + 10, "email_click", 4),
        (1, 6 * DAY, "unsubscribe", 0),
    ]
    log = {
        "n_leads": 3,
        "event_types": types,
        "lead": [e[0] for e in events][::-1],  # reversed rows: order must not matter
        "timestamp": [e[1] for e in events][::-1],
        "event": [e[2] for e in events][::-1],
        "value": [float(e[3]) for e in events][::-1],
    }
    as_of = 12 * DAY + 3600  # lead 0 silent 10 days after the demo, lead 1 6 days + 1 h after unsubscribing
    h = 10.0
    f0 = 2 ** (-10.0 / h)  # inactivity decay of lead 0: exactly one half-life
    f1 = 2 ** (-(6 * DAY + 3600) / (h * DAY))
    fit = [15 + 10, -5, -2]
    visit0 = (12 + 5) * f0
    demo0 = 30 * 1.5 * f0
    click1 = 2 * (3 + 0.5 * 4) * f1
    unsub1 = -20 * f1
    rules = [
        [15, 10, 0, 0, visit0, demo0, 0, 0],
        [0, 0, -5, 0, 0, 0, click1, unsub1],
        [0, 0, 0, -2, 0, 0, 0, 0],
    ]
    totals = [sum(r) for r in rules]
    dims = [[r[0], r[4], r[1] + r[2] + r[3], r[6] + r[7], r[5]] for r in rules]
    # grades on the total: thresholds C 0, B 20, A 40, A+ 50 -> lead 0 (25 + 8.5 + 22.5 = 56) A+
    cfg = {
        "attribute_rules": attr_rules,
        "event_rules": base_rules,
        "weights": {"intent": 1.5},
        "daily_caps": {"visit": 12},
        "decay": {"half_life_days": h, "mode": "inactivity"},
        "grades": {"thresholds": [0, 20, 40, 50], "basis": "total"},
        "temperature": {"thresholds": [5, 25], "basis": "activity"},
    }

    def grade(x):
        return "A+" if x >= 50 else "A" if x >= 40 else "B" if x >= 20 else "C" if x >= 0 else "D"

    def temp(x):
        return "hot" if x >= 25 else "warm" if x >= 5 else "cold"

    activity = [sum(r[4:]) for r in rules]
    write(
        "score_caps_inactivity_decay_grades",
        {
            "function": "leads.score",
            "source": "hand-derived (make_leads_vectors.py): visit cap 15 -> 12 raw on day 0, inactivity decay "
            "2^(-(as_of - last)/10 d), intent weight 1.5, grade/temperature thresholds applied by hand",
            "input": {"log": log, "attributes": attributes, "as_of": as_of},
            "params": {"config": cfg},
            "expected": {
                "total": totals,
                "fit": fit,
                "activity": activity,
                "rules": [x for r in rules for x in r],
                "dimensions": [x for d in dims for x in d],
                "grade": ",".join(grade(t) for t in totals),
                "temperature": ",".join(temp(a) for a in activity),
            },
            "tolerance": {"abs": 1e-9},
        },
    )
    # event-age decay (half-life 2 days), no caps, unit weights: every event decays by its own age
    cfg2 = {"event_rules": base_rules, "decay": {"half_life_days": 2, "mode": "event_age"}, "grades": {"thresholds": [1, 2, 3, 4]}}
    age = lambda t: 2 ** (-(as_of - t) / (2 * DAY))  # noqa: E731
    visit0 = 5 * (age(100) + age(200) + age(300) + age(DAY + 50))
    demo0 = 30 * age(2 * DAY + 3600)
    click1 = 5 * (age(5 * DAY) + age(5 * DAY + 10))
    unsub1 = -20 * age(6 * DAY)
    rules2 = [[visit0, demo0, 0, 0], [0, 0, click1, unsub1], [0, 0, 0, 0]]
    totals2 = [sum(r) for r in rules2]
    write(
        "score_event_age_decay_no_caps",
        {
            "function": "leads.score",
            "source": "hand-derived (make_leads_vectors.py): each event's points times 2^(-(as_of - t)/2 d); "
            "grades by thresholds [1, 2, 3, 4] on the total",
            "input": {"log": log, "attributes": {}, "as_of": as_of},
            "params": {"config": cfg2},
            "expected": {
                "total": totals2,
                "rules": [x for r in rules2 for x in r],
                "grade": ",".join(
                    "A+" if x >= 4 else "A" if x >= 3 else "B" if x >= 2 else "C" if x >= 1 else "D" for x in totals2
                ),
            },
            "tolerance": {"abs": 1e-9},
        },
    )
    # events after as_of are ignored; a negative-point cap: unsubscribe capped at 10 per day, twice on one day
    log3 = {
        "n_leads": 1,
        "event_types": types,
        "lead": [0, 0, 0, 0],
        "timestamp": [DAY, DAY + 5, DAY + 9, 3 * DAY],
        "event": ["unsubscribe", "unsubscribe", "visit", "demo"],
    }
    write(
        "score_negative_cap_future_ignored",
        {
            "function": "leads.score",
            "source": "hand-derived: two unsubscribes (-40 raw) capped at |10| -> -10; visit +5; the demo after as_of "
            "does not count; no decay",
            "input": {"log": log3, "attributes": {}, "as_of": 2 * DAY},
            "params": {"config": {"event_rules": base_rules, "daily_caps": {"unsubscribe": 10}}},
            "expected": {"total": [-5.0], "rules": [5.0, 0.0, 0.0, -10.0], "grade": "D", "temperature": "cold"},
            "tolerance": {"abs": 1e-12},
        },
    )
    for name, cfg_err, kind, why in [
        ("score_error_thresholds_not_increasing", {"grades": {"thresholds": [10, 50, 40, 90]}}, "invalid_parameter", "grade thresholds not increasing"),
        ("score_error_unknown_event_type", {"event_rules": [{"name": "r", "dimension": "intent", "event_type": "webinar", "points": 1}]}, "invalid_parameter", "unknown event type"),
        ("score_error_cap_unknown_event_type", {"daily_caps": {"webinar": 5}}, "invalid_parameter", "a cap on an unknown event type"),
        ("score_error_negative_weight", {"weights": {"intent": -1}}, "out_of_range", "weights must be >= 0"),
        ("score_error_zero_half_life", {"decay": {"half_life_days": 0}}, "invalid_parameter", "half-life must be > 0"),
    ]:
        write(
            name,
            {
                "function": "leads.score",
                "source": f"channelwise contract: {why}",
                "input": {"log": log3, "attributes": {}, "as_of": 0},
                "params": {"config": cfg_err},
                "expected": {"error": kind},
            },
        )


# ---------------------------------------------------------------- scores (brute force, seeded)

DIMENSIONS = ["demographic", "behavioural", "firmographic", "engagement", "intent"]


def meets(cond: dict, x) -> bool:
    """Whether attribute value `x` (a float, NaN = missing, or a str, "" = missing) meets `cond`."""
    op = cond["op"]
    missing = x == "" if isinstance(x, str) else x != x
    if op == "missing":
        return missing
    if missing:
        return False
    if op == "equals":
        return isinstance(x, str) and x == cond["value"]
    if op == "one_of":
        return isinstance(x, str) and x in cond["values"]
    if isinstance(x, str):
        return False
    if op == "at_least":
        return x >= cond["value"]
    if op == "below":
        return x < cond["value"]
    return cond["min"] <= x < cond["max"]  # between


def score_brute(log: dict, attributes: dict, as_of: int, cfg: dict) -> dict:
    """Scores from the steps of core/src/leads/scoring.rs's module doc, written out per lead and
    per event: caps per (type, UTC day) by scaling, then decay, then weights; grades and
    temperature from the thresholds. Returns the vector's `expected` fields."""
    weights = {d: cfg.get("weights", {}).get(d, 1.0) for d in DIMENSIONS}
    caps = cfg.get("daily_caps", {})
    decay = cfg.get("decay")
    a_rules, e_rules = cfg.get("attribute_rules", []), cfg.get("event_rules", [])
    columns = {**attributes.get("numeric", {}), **attributes.get("categorical", {})}
    out = {k: [] for k in ("total", "fit", "activity", "rules", "dimensions", "grade", "temperature")}
    for lead in range(log["n_leads"]):
        rule_pts = []
        for r in a_rules:
            x = columns[r["attribute"]][lead]
            x = float(x) if r["attribute"] in attributes.get("numeric", {}) else x
            rule_pts.append(r["points"] * weights[r["dimension"]] if meets(r["condition"], x) else 0.0)
        events = [
            (log["timestamp"][i], log["event"][i], log.get("value", [0.0] * len(log["lead"]))[i])
            for i in range(len(log["lead"]))
            if log["lead"][i] == lead and log["timestamp"][i] <= as_of
        ]
        # raw contributions (event, rule) and their per-(type, day) totals
        contrib = [(e, j, r["points"] + r.get("per_value", 0.0) * e[2]) for e in events for j, r in enumerate(e_rules) if r["event_type"] == e[1]]
        day_total = {}
        for e, _, p in contrib:
            day_total[(e[1], e[0] // DAY)] = day_total.get((e[1], e[0] // DAY), 0.0) + p
        last = max((e[0] for e in events), default=None)
        event_pts = [0.0] * len(e_rules)
        for e, j, p in contrib:
            c = caps.get(e[1])
            t = day_total[(e[1], e[0] // DAY)]
            if c is not None and abs(t) > c:
                p *= c / abs(t)
            if decay is not None:
                h = decay["half_life_days"] * DAY
                age = as_of - (last if decay.get("mode", "inactivity") == "inactivity" else e[0])
                p *= 2.0 ** (-age / h)
            event_pts[j] += p * weights[e_rules[j]["dimension"]]
        fit, activity = sum(rule_pts), sum(event_pts)
        total = fit + activity
        dims = dict.fromkeys(DIMENSIONS, 0.0)
        for r, p in zip(a_rules + e_rules, rule_pts + event_pts):
            dims[r["dimension"]] += p
        basis = {"total": total, "fit": fit, "activity": activity}
        g = cfg.get("grades", {})
        gt, gx = g.get("thresholds", [25, 50, 75, 90]), basis[g.get("basis", "total")]
        tc = cfg.get("temperature", {})
        tt, tx = tc.get("thresholds", [10, 30]), basis[tc.get("basis", "activity")]
        out["total"].append(total)
        out["fit"].append(fit)
        out["activity"].append(activity)
        out["rules"].extend(rule_pts + event_pts)
        out["dimensions"].extend(dims[d] for d in DIMENSIONS)
        out["grade"].append("A+" if gx >= gt[3] else "A" if gx >= gt[2] else "B" if gx >= gt[1] else "C" if gx >= gt[0] else "D")
        out["temperature"].append("hot" if tx >= tt[1] else "warm" if tx >= tt[0] else "cold")
    out["grade"] = ",".join(out["grade"])
    out["temperature"] = ",".join(out["temperature"])
    return out


SCORE_TYPES = ["visit", "demo", "email_click", "unsubscribe", "webinar"]


def random_score_case(seed: int) -> tuple[dict, dict, int, dict]:
    """A seeded (log, attributes, as_of, config): several rules per event type, negative points,
    per-value points, caps that bind (positive and negative days), both decay modes or none,
    weights, every condition on numeric and text attributes with missing values, events on both
    sides of `as_of` and of the epoch, and grades and temperature on any basis."""
    rng = random.Random(seed)
    n = rng.randint(1, 8)
    log = random_log(seed, n, SCORE_TYPES, 12, -3 * DAY, 20 * DAY, values=True)
    dims = DIMENSIONS
    e_rules = [
        {"name": f"e{j}", "dimension": rng.choice(dims), "event_type": rng.choice(SCORE_TYPES),
         "points": rng.choice([5, 3, 30, -20, 0.5, 12]), "per_value": rng.choice([0.0, 0.0, 0.1, -0.05])}
        for j in range(rng.randint(1, 6))
    ]
    numeric = {"employees": [rng.choice([5, 50, 200, 500, 10, float("nan")]) for _ in range(n)],
               "revenue": [rng.choice([0.0, 1e6, 2.5e5, float("nan")]) for _ in range(n)]}
    categorical = {"title": [rng.choice(["VP", "CMO", "Intern", "", "vp"]) for _ in range(n)],
                   "country": [rng.choice(["US", "CA", "DE", ""]) for _ in range(n)]}
    conds = [
        ("title", {"op": "equals", "value": "VP"}), ("title", {"op": "one_of", "values": ["VP", "CMO"]}),
        ("country", {"op": "missing"}), ("employees", {"op": "at_least", "value": 200}),
        ("employees", {"op": "below", "value": 10}), ("revenue", {"op": "between", "min": 1e5, "max": 1e6}),
        ("employees", {"op": "missing"}), ("country", {"op": "one_of", "values": ["US", "CA"]}),
    ]
    a_rules = [
        {"name": f"a{j}", "dimension": rng.choice(dims), "attribute": attr, "condition": cond, "points": rng.choice([15, 10, -5, -2, 7.5])}
        for j, (attr, cond) in enumerate(rng.sample(conds, rng.randint(0, len(conds))))
    ]
    cfg = {"attribute_rules": a_rules, "event_rules": e_rules}
    if rng.random() < 0.7:
        cfg["weights"] = {d: rng.choice([0.0, 0.5, 1.5, 2.0]) for d in rng.sample(dims, rng.randint(1, 3))}
    if rng.random() < 0.8:
        cfg["daily_caps"] = {t: rng.choice([1, 5, 12, 40]) for t in rng.sample(SCORE_TYPES, rng.randint(1, 3))}
    if rng.random() < 0.7:
        cfg["decay"] = {"half_life_days": rng.choice([0.5, 3, 14]), "mode": rng.choice(["inactivity", "event_age"])}
    lo = rng.choice([-10, 0, 5])
    cfg["grades"] = {"thresholds": [lo, lo + 10, lo + 25, lo + 40], "basis": rng.choice(["total", "fit", "activity"])}
    cfg["temperature"] = {"thresholds": [lo + 2, lo + 20], "basis": rng.choice(["total", "fit", "activity"])}
    as_of = rng.choice([10 * DAY, 20 * DAY, 5 * DAY + 3600])
    return log, {"numeric": numeric, "categorical": categorical}, as_of, cfg


def json_safe(attributes: dict) -> dict:
    """NaN written as the vectors write it ("NaN")."""
    return {"numeric": {k: ["NaN" if x != x else x for x in v] for k, v in attributes["numeric"].items()},
            "categorical": attributes["categorical"]}


def score_random_vectors():
    for seed in range(1, 7):
        log, attributes, as_of, cfg = random_score_case(seed)
        write(
            f"score_random_{seed}",
            {
                "function": "leads.score",
                "source": f"brute force in make_leads_vectors.py (score_brute, written from the steps of "
                f"core/src/leads/scoring.rs's module doc) on random_score_case({seed})",
                "input": {"log": log, "attributes": json_safe(attributes), "as_of": as_of},
                "params": {"config": cfg},
                "expected": score_brute(log, attributes, as_of, cfg),
                "tolerance": {"abs": 1e-9},
            },
        )


# ---- lifecycle -------------------------------------------------------------------------------

DEFAULT_STAGES = ["new", "contacted", "qualified", "engaged", "opportunity", "customer"]


def lifecycle(n_leads, lead, timestamp, stage, stages, allowed, as_of):
    """Replays transitions row by row (brute force from the lifecycle module docs): the first
    transition of a lead is its entry, later ones must be allowed moves in time order. Returns the
    expected fields, or the error kind."""
    current = [None] * n_leads
    last = [None] * n_leads
    history = [[] for _ in range(n_leads)]
    from_stage = []
    for i in range(len(lead)):
        l, t, s = lead[i], timestamp[i], stage[i]
        if s not in stages:
            return "invalid_record"
        if last[l] is not None and t < last[l]:
            return "invalid_record"
        if current[l] is not None and (current[l], s) not in allowed:
            return "invalid_record"
        from_stage.append(-1 if current[l] is None else stages.index(current[l]))
        current[l], last[l] = s, t
        history[l].append((t, s))
    if any(x is not None and as_of < x for x in last):
        return "invalid_parameter"
    k = len(stages)
    seconds = [[0.0] * k for _ in range(n_leads)]
    stays = [[] for _ in range(k)]
    entered = [0] * k
    for l in range(n_leads):
        h = history[l]
        for j, (t, s) in enumerate(h):
            entered[stages.index(s)] += 1
            end = h[j + 1][0] if j + 1 < len(h) else as_of
            seconds[l][stages.index(s)] += end - t
            if j + 1 < len(h):
                stays[stages.index(s)].append(float(end - t))
    in_stage = [sum(1 for c in current if c == s) for s in stages]
    return {
        "current_stage": [-1 if c is None else stages.index(c) for c in current],
        "from_stage": from_stage,
        "seconds": [x for row in seconds for x in row],
        "entered": entered,
        "exited": [len(x) for x in stays],
        "in_stage": in_stage,
        "median_seconds": [statistics.median(x) if x else -1.0 for x in stays],
        "mean_seconds": [statistics.fmean(x) if x else -1.0 for x in stays],
    }


def random_walks(seed, n_leads, stages, allowed, max_steps, reasons):
    """Valid histories: each lead enters at a random stage and takes random allowed moves."""
    rng = random.Random(seed)
    rows = []
    for l in range(n_leads):
        if rng.random() < 0.1:
            continue  # a lead that never entered
        s = rng.choice(stages)
        t = rng.randint(0, 50 * DAY)
        rows.append((l, t, s))
        for _ in range(rng.randint(0, max_steps)):
            moves = [b for (a, b) in allowed if a == s]
            if not moves:
                break
            s = rng.choice(sorted(moves))
            t += rng.choice([0, rng.randint(1, 20 * DAY)])
            rows.append((l, t, s))
    # interleave leads but keep each lead's rows in order
    queues = {l: [r for r in rows if r[0] == l] for l in range(n_leads)}
    out = []
    while any(queues.values()):
        l = rng.choice([l for l, q in queues.items() if q])
        out.append(queues[l].pop(0))
    reason = [rng.choice(reasons) for _ in out]
    return [r[0] for r in out], [r[1] for r in out], [r[2] for r in out], reason


def lifecycle_vectors():
    forward = {(a, b) for i, a in enumerate(DEFAULT_STAGES) for b in DEFAULT_STAGES[i + 1:]}
    custom_stages = ["open", "working", "won", "lost", "disqualified"]
    custom_pairs = [["open", "working"], ["working", "won"], ["working", "lost"], ["lost", "open"],
                    ["open", "disqualified"], ["working", "disqualified"], ["lost", "disqualified"], ["working", "open"]]
    custom = {tuple(p) for p in custom_pairs}
    cases = [
        ("lifecycle_default_forward", 11, 25, DEFAULT_STAGES, forward, None, 4, "the default machine (every forward move)"),
        ("lifecycle_custom_reentry", 12, 20, custom_stages, custom, custom_pairs, 6,
         "a custom machine with backward moves and re-entry (open -> working -> lost -> open ...)"),
    ]
    for name, seed, n, stages, allowed, pairs, steps, what in cases:
        lead, ts, stage, reason = random_walks(seed, n, stages, allowed, steps, ["", "", "call", "email", "no budget"])
        as_of = max(ts) + 3 * DAY
        exp = lifecycle(n, lead, ts, stage, stages, allowed, as_of)
        params = {"as_of": as_of}
        if pairs is not None:
            params["config"] = {"stages": stages, "transitions": pairs}
        write(name, {
            "function": "leads.lifecycle",
            "source": f"brute force in make_leads_vectors.py from the lifecycle module docs: {what}; random walks "
            "over the allowed moves, each lead's stays summed pair by pair (current stay to as_of), medians from "
            "Python's statistics; -1 = none (current_stage: never entered; from_stage: the entry; median/mean: no "
            "completed stay)",
            "input": {"n_leads": n, "lead": lead, "timestamp": ts, "stage": stage, "reason": reason},
            "params": params,
            "expected": exp,
            "tolerance": {"abs": 1e-9},
        })
    # errors: a forbidden move, an unknown stage, time going back, as_of before a transition
    base = {"n_leads": 2, "lead": [0, 1, 0], "timestamp": [0, 10, 100]}
    for name, stage, ts, as_of, why in [
        ("lifecycle_error_backward_move", ["qualified", "new", "contacted"], None, 1000, "qualified -> contacted is not a forward move"),
        ("lifecycle_error_unknown_stage", ["new", "lead", "contacted"], None, 1000, "an unknown stage"),
        ("lifecycle_error_time_goes_back", ["new", "new", "contacted"], [100, 10, 50], 1000, "a lead's transition before its previous one"),
        ("lifecycle_error_as_of_before_last", ["new", "new", "contacted"], None, 50, "as_of before a lead's last transition"),
    ]:
        inp = dict(base, stage=stage)
        if ts is not None:
            inp["timestamp"] = ts
        exp = lifecycle(2, inp["lead"], inp["timestamp"], stage, DEFAULT_STAGES, forward, as_of)
        assert isinstance(exp, str), name
        write(name, {
            "function": "leads.lifecycle",
            "source": f"channelwise contract: {why}",
            "input": inp,
            "params": {"as_of": as_of},
            "expected": {"error": exp},
        })


# ---- health ----------------------------------------------------------------------------------

def mann_kendall(x, alpha):
    """pymannkendall.original_test's formulas, with S counted over every pair."""
    from scipy.stats import norm

    n = len(x)
    s = sum((x[j] > x[i]) - (x[j] < x[i]) for i in range(n) for j in range(i + 1, n))
    ties = [x.count(v) for v in set(x)]
    var_s = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    z = (s - 1) / var_s ** 0.5 if s > 0 else (s + 1) / var_s ** 0.5 if s < 0 else 0.0
    p = 2 * norm.sf(abs(z))
    h = abs(z) > norm.ppf(1 - alpha / 2)
    trend = "no trend" if not h else "increasing" if z > 0 else "decreasing"
    return trend, s / (n * (n - 1) / 2), float(p)


def health(log, as_of, cfg, p_alive=None):
    from scipy.stats import theilslopes

    period = cfg.get("period_days", 7) * DAY
    k = cfg.get("periods", 8)
    alpha = cfg.get("alpha", 0.05)
    hl = cfg.get("recency_half_life_days", 30) * DAY
    act = cfg.get("activity_event")
    wc, wt = cfg.get("churn_weight", 0.6), cfg.get("trend_weight", 0.4)
    lo, hi = cfg.get("thresholds", [40, 70])
    out = {k_: [] for k_ in ("activity", "tau", "p_value", "slope", "churn_risk", "score", "last_activity")}
    trends, statuses, sources = [], [], []
    for l in range(log["n_leads"]):
        series = [0.0] * k
        last = None
        for i in range(len(log["lead"])):
            t = log["timestamp"][i]
            if log["lead"][i] != l or t > as_of or (act is not None and log["event"][i] != act):
                continue
            last = t if last is None else max(last, t)
            j = int((as_of - t) // period)
            if j < k:
                series[k - 1 - j] += 1
        trend, tau, p = mann_kendall(series, alpha)
        slope = float(theilslopes(series, list(range(k))).slope)
        pa = None if p_alive is None or p_alive[l] == "NaN" else p_alive[l]
        if pa is not None:
            risk, source = 1 - pa, "p_alive"
        else:
            risk, source = (1.0 if last is None else 1 - 2 ** (-(as_of - last) / hl)), "recency"
        score = 100 * (wc * (1 - risk) + wt * (1 + tau) / 2) / (wc + wt)
        out["activity"] += series
        out["tau"].append(tau)
        out["p_value"].append(p)
        out["slope"].append(slope)
        out["churn_risk"].append(risk)
        out["score"].append(score)
        out["last_activity"].append(-1 if last is None else last)
        trends.append(trend)
        statuses.append("healthy" if score >= hi else "at_risk" if score >= lo else "critical")
        sources.append(source)
    out["trend"] = ",".join(trends)
    out["status"] = ",".join(statuses)
    out["churn_source"] = ",".join(sources)
    return out


def health_log(seed):
    """Leads with rising, fading, flat, bursty and no activity over ten weeks, plus random ones;
    two event types, some events after as_of."""
    rng = random.Random(seed)
    rows = []
    start = 1_700_000_000
    patterns = [
        lambda w: w,  # rising
        lambda w: 9 - w,  # fading
        lambda w: 2,  # flat
        lambda w: 5 if w in (3, 4) else 0,  # a burst
        lambda w: 0,  # nothing
        lambda w: 1 if w < 3 else 0,  # early only (recency risk high)
    ]
    n = len(patterns) + 6
    for l in range(n):
        for w in range(10):
            c = patterns[l](w) if l < len(patterns) else rng.randint(0, 4)
            for _ in range(c):
                rows.append((l, start + w * 7 * DAY + rng.randint(0, 7 * DAY - 1), rng.choice(["visit", "visit", "email_open"])))
    rows.append((0, start + 10 * 7 * DAY + 5, "visit"))  # after as_of
    rng.shuffle(rows)
    return {
        "n_leads": n,
        "event_types": ["visit", "email_open"],
        "lead": [r[0] for r in rows],
        "timestamp": [r[1] for r in rows],
        "event": [r[2] for r in rows],
    }, start + 10 * 7 * DAY


def health_vectors():
    try:
        import scipy  # noqa: F401
    except ImportError:
        print("scipy not found: the health vectors are left as they are")
        return
    import scipy

    log, as_of = health_log(21)
    p_alive = [0.9, 0.2, "NaN", 0.5, 0.05, "NaN", 0.7, "NaN", 0.33, "NaN", 1.0, 0.0]
    cases = [
        ("health_defaults_recency", {}, None, "default settings (7-day periods, 8 of them, recency half-life 30 days)"),
        ("health_p_alive_visits_only", {"activity_event": "visit", "period_days": 14, "periods": 5, "alpha": 0.1,
                                        "churn_weight": 0.5, "trend_weight": 0.5, "thresholds": [30, 60]},
         p_alive, "P(alive) for some leads (NaN: recency), visits only, 14-day periods"),
        ("health_short_half_life", {"periods": 10, "recency_half_life_days": 3.5, "alpha": 0.01}, None,
         "ten periods, a 3.5-day recency half-life, alpha 0.01"),
    ]
    for name, cfg, pa, what in cases:
        exp = health(log, as_of, cfg, pa)
        inp = {"log": log, "as_of": as_of}
        if pa is not None:
            inp["p_alive"] = pa
        write(name, {
            "function": "leads.health",
            "source": f"make_leads_vectors.py from the health module docs ({what}): activity binned by "
            "floor((as_of - t) / period), Mann-Kendall S over every pair with pymannkendall original_test's "
            f"tie-corrected variance and tau = S / (n(n-1)/2), p = 2 sf(|z|) from scipy.stats.norm (scipy "
            f"{scipy.__version__}), slope from scipy.stats.theilslopes; last_activity -1 = none",
            "input": inp,
            "params": {"health": cfg},
            "expected": exp,
            "tolerance": {"abs": 1e-9},
        })
    for name, cfg, why in [
        ("health_error_two_periods", {"periods": 2}, "the trend test needs at least 3 periods"),
        ("health_error_thresholds", {"thresholds": [70, 40]}, "thresholds must increase"),
        ("health_error_unknown_activity_event", {"activity_event": "webinar"}, "an unknown activity event"),
    ]:
        write(name, {
            "function": "leads.health",
            "source": f"channelwise contract: {why}",
            "input": {"log": log, "as_of": as_of},
            "params": {"health": cfg},
            "expected": {"error": "invalid_parameter"},
        })
    write("health_error_p_alive_out_of_range", {
        "function": "leads.health",
        "source": "channelwise contract: P(alive) must be in [0, 1]",
        "input": {"log": log, "as_of": as_of, "p_alive": [1.5] + [0.5] * (log["n_leads"] - 1)},
        "params": {"health": {}},
        "expected": {"error": "out_of_range"},
    })


if __name__ == "__main__":
    funnel_vectors()
    cohort_vectors()
    score_vectors()
    score_random_vectors()
    lifecycle_vectors()
    health_vectors()
    print("wrote", len(os.listdir(os.path.join(ROOT, "tests", "vectors", "leads"))), "vectors")
