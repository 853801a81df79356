"""Shared vectors for channelwise.journey (tests/vectors/journey/reference_*.json): path tables,
build reports and time-decay credit of seeded random event logs, worked out by a second,
independent journey builder.

Standard library only (python3 scripts/reference/make_journey_vectors.py [repo root]). The
builder below is written again from the documentation, not from the Rust code: the "Rules" of
`JourneyBuilder` and the fields of `BuildReport` (core/src/journey/build.rs), and the weights of
`TimeDecay` (core/src/attribution/time_decay.rs), and the position rules of `Heuristics`
(core/src/attribution/heuristics.rs) for the tests' rule-based credit. It works event by event in the plainest way
(lists, a sort, a walk), where the core uses interned ids, one sort of packed keys and
in-place passes. `bindings-python/tests/test_journey_reference.py` runs it against the Python
binding on many more seeded logs than the vectors hold.

Readings of the doc (where it leaves a choice, and what this builder takes):
1. Duplicates are dropped first, over all users (an event id names an event, not a user's
   event): of the copies of one id, the earliest timestamp is kept, ties the first in input
   order. Lead events are conversion events, so their ids share the conversions' namespace.
2. "The first lead event of a journey marks its key touch": only the first. A first lead that
   comes before any touch of its journey marks none, and a later lead of the same journey does
   not mark one either.
3. The key touch is found among the journey's touches as they arrived; the lookback cut and
   the session collapse come later, at the conversion. A key touch cut by the lookback leaves
   the journey without one; a key touch collapsed into a run moves to the run's touch.
4. Touches of a journey whose conversion is unattributed (all of them older than the lookback)
   are counted in `touches_outside_lookback` too: they were dropped for their age.
5. A collapsed touch keeps the timestamp of its run's first touch, so time decay weighs the run
   by that first touch.
6. The nodes of the journeys (the rows of time-decay credit) are those of every touch kept
   after duplicates are dropped, also of touches cut by the lookback, which earn 0. The doc of
   `Journeys::channels` said only "node names, sorted"; this reading was checked against the
   core (a channel whose only touch is older than the lookback has a row of zeros) and written
   into that doc, since a zero row tells a user the channel was touched and earned nothing.
"""

from __future__ import annotations

import json
import os
import random
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "tests", "vectors", "journey")
SEP = " | "  # attribution::CAMPAIGN_SEP
DAY = 86_400
SOURCE = (
    "an independent journey builder (scripts/reference/make_journey_vectors.py, standard library, "
    "written from the Rules of core/src/journey/build.rs and the TimeDecay doc) on a seeded random log"
)


def node(channel, campaign, level):
    """The node a touch is credited to: its trimmed channel, with its trimmed campaign at level
    `channel_campaign` (an empty or missing campaign counts as none)."""
    channel = channel.strip()
    campaign = campaign.strip() if campaign is not None else ""
    if level == "channel_campaign" and campaign:
        return channel + SEP + campaign
    return channel


def dedup(events):
    """`events` (dicts with `event_id`, `timestamp`, `pos`) without the later copies of an id:
    (kept, dropped count)."""
    best = {}
    for e in events:
        i = e["event_id"]
        if i is None:
            continue
        b = best.get(i)
        if b is None or (e["timestamp"], e["pos"]) < (b["timestamp"], b["pos"]):
            best[i] = e
    kept = [e for e in events if e["event_id"] is None or best[e["event_id"]] is e]
    return kept, len(events) - len(kept)


def collapse(touches, key, gap):
    """Session runs: consecutive touches of one node, each at most `gap` seconds after the
    previous one, become the run's first touch. Returns (touches, key index, collapsed count)."""
    if gap is None or not touches:
        return touches, key, 0
    out, new_key = [], None
    for i, t in enumerate(touches):
        if out and out[-1]["node"] == t["node"] and t["timestamp"] - touches[i - 1]["timestamp"] <= gap:
            pass  # part of the run out[-1] heads
        else:
            out.append(t)
        if key == i:
            new_key = len(out) - 1
    return out, new_key, len(touches) - len(out)


def build(touchpoints, conversions, lookback=30 * DAY, session_gap=None, level="channel", lead_kind=None):
    """Journeys of the columnar event logs, as the Rules say: `(journeys, report, nodes)`, where
    a journey is `{"touches": [...], "key": index or None, "converted": bool, "value", "at"}`
    and `nodes` the sorted node names (reading 6)."""
    report = dict(
        journeys=0, conversions=0, unattributed_conversions=0, unattributed_value=0.0,
        duplicates_dropped=0, duplicate_conversions=0, touches_outside_lookback=0,
        touches_collapsed=0, leads=0,
    )
    n = len(touchpoints["user_id"])
    touches = [
        {
            "user": touchpoints["user_id"][i],
            "timestamp": touchpoints["timestamp"][i],
            "node": node(touchpoints["channel"][i], (touchpoints.get("campaign") or [None] * n)[i], level),
            "event_id": (touchpoints.get("event_id") or [None] * n)[i],
            "pos": i,
        }
        for i in range(n)
    ]
    m = len(conversions["user_id"])
    convs = [
        {
            "user": conversions["user_id"][i],
            "timestamp": conversions["timestamp"][i],
            "value": conversions["value"][i],
            "event_id": (conversions.get("event_id") or [None] * m)[i],
            "lead": lead_kind is not None and (conversions.get("type") or [None] * m)[i] == lead_kind,
            "pos": i,
        }
        for i in range(m)
    ]
    touches, dropped_t = dedup(touches)
    convs, dropped_c = dedup(convs)
    report["duplicates_dropped"] = dropped_t + dropped_c
    report["duplicate_conversions"] = dropped_c
    report["leads"] = sum(c["lead"] for c in convs)

    # one timeline per user: by time, a touch before a conversion at the same second, then input order
    timeline = {}
    for t in touches:
        timeline.setdefault(t["user"], []).append((t["timestamp"], 0, t["pos"], "touch", t))
    for c in convs:
        timeline.setdefault(c["user"], []).append((c["timestamp"], 1, c["pos"], "conversion", c))
    journeys = []
    for user in sorted(timeline, key=lambda u: u.encode()):
        current, key, marked = [], None, False
        for ts, _, _, what, e in sorted(timeline[user], key=lambda r: r[:3]):
            if what == "touch":
                current.append(e)
            elif e["lead"]:
                if not marked:
                    marked = True
                    key = len(current) - 1 if current else None
            else:
                kept = [t for t in current if ts - t["timestamp"] <= lookback]
                cut = len(current) - len(kept)
                report["touches_outside_lookback"] += cut
                if not kept:
                    report["unattributed_conversions"] += 1
                    report["unattributed_value"] += e["value"]
                else:
                    k = key - cut if key is not None and key >= cut else None
                    kept, k, merged = collapse(kept, k, session_gap)
                    report["touches_collapsed"] += merged
                    report["conversions"] += 1
                    journeys.append({"touches": kept, "key": k, "converted": True, "value": e["value"], "at": ts})
                current, key, marked = [], None, False
        if current:
            current, key, merged = collapse(current, key, session_gap)
            report["touches_collapsed"] += merged
            journeys.append({"touches": current, "key": key, "converted": False, "value": 0.0, "at": None})
    report["journeys"] = len(journeys)
    return journeys, report, sorted({t["node"] for t in touches})


def path_table(journeys, keyed):
    """Rows `(path, key touch or None, conversions, nulls, value)`, summed by path (and key touch
    when `keyed`), sorted by path, then key touch with None first."""
    rows = {}
    for j in journeys:
        path = ">".join(t["node"] for t in j["touches"])
        k = (path, j["key"] if keyed else None)
        r = rows.setdefault(k, [0, 0, 0.0])
        if j["converted"]:
            r[0] += 1
            r[2] += j["value"]
        else:
            r[1] += 1
    order = sorted(rows, key=lambda k: (k[0], -1 if k[1] is None else k[1]))
    return [(p, k, *rows[(p, k)]) for p, k in order]


def time_decay(journeys, nodes, half_life):
    """`{node: (conversions, value)}`: each converting journey's conversion and value split over
    its touches with weights 2^(-dt / half_life), normalised."""
    credit = {k: [0.0, 0.0] for k in nodes}
    for j in journeys:
        if not j["converted"]:
            continue
        w = [2.0 ** (-(j["at"] - t["timestamp"]) / half_life) for t in j["touches"]]
        s = sum(w)
        for t, wi in zip(j["touches"], w):
            credit[t["node"]][0] += wi / s
            credit[t["node"]][1] += j["value"] * wi / s
    return {k: tuple(v) for k, v in credit.items()}


def shares(n, key, u=(0.4, 0.4), w=(0.3, 0.3, 0.3)):
    """Each rule's share of every touch of an `n`-touch path with key touch `key`, as the doc of
    `attribution::Heuristics` states the rules: `{rule: [share per touch]}`."""
    first = [1.0] + [0.0] * (n - 1)
    last = [0.0] * (n - 1) + [1.0]
    linear = [1.0 / n] * n
    if n == 1:
        ushape = [1.0]
    elif n == 2:
        ushape = [u[0] / (u[0] + u[1]), u[1] / (u[0] + u[1])]
    else:
        middle = (1.0 - u[0] - u[1]) / (n - 2)
        ushape = [u[0]] + [middle] * (n - 2) + [u[1]]
    if n <= 3:
        wshape = [1.0 / n] * n
    else:
        k = key if key is not None and 0 < key < n - 1 else (n - 1) // 2
        rest = (1.0 - sum(w)) / (n - 3)
        wshape = [rest] * n
        wshape[0], wshape[k], wshape[n - 1] = w[0], w[1], w[2]
    return {"first_touch": first, "last_touch": last, "linear": linear, "u_shaped": ushape, "w_shaped": wshape}


def heuristics(journeys, nodes, u=(0.4, 0.4), w=(0.3, 0.3, 0.3)):
    """`{rule: {node: (conversions, value)}}` over the converting journeys, by touch (a node
    touched twice earns both shares)."""
    out = {}
    for j in journeys:
        if not j["converted"]:
            continue
        for rule, sh in shares(len(j["touches"]), j["key"], u, w).items():
            credit = out.setdefault(rule, {k: [0.0, 0.0] for k in nodes})
            for t, x in zip(j["touches"], sh):
                credit[t["node"]][0] += x
                credit[t["node"]][1] += x * j["value"]
    return out


CHANNELS = ["search", "email", " display", "social ", "direct", "vidéo"]
CAMPAIGNS = [None, "", "  ", "brand", " generic ", "promo"]


def random_log(seed, users=10, bursts=4, step=600, days=10, ids=True, types=True, campaigns=True):
    """A seeded log with what the Rules are about. Each user has a few bursts of touches (often
    one channel again within minutes: session runs), conversions soon after some bursts and at
    random times; times on a `step` grid (same-second ties between touches and conversions);
    names to trim, empty campaigns; event ids re-sent (later, or by another user: duplicates);
    lead events; whole values. Rows are shuffled (input order is the tie-break the Rules name)."""
    rng = random.Random(seed)
    slots = days * DAY // step
    t = {"user_id": [], "timestamp": [], "channel": [], "campaign": [], "event_id": []}
    c = {"user_id": [], "timestamp": [], "value": [], "event_id": [], "type": []}

    def add(table, row):
        for k, v in row.items():
            table[k].append(v)

    for u in range(users):
        user = f"u{u}"
        for _ in range(rng.randint(1, bursts)):
            at = rng.randrange(slots)
            channel = rng.choice(CHANNELS)
            for _ in range(rng.randint(1, 4)):
                if rng.random() < 0.4:
                    channel = rng.choice(CHANNELS)
                add(t, {"user_id": user, "timestamp": at * step, "channel": channel,
                        "campaign": rng.choice(CAMPAIGNS), "event_id": None if rng.random() < 0.3 else f"t{len(t['user_id'])}"})
                at += rng.choice([0, 1, 1, 2, 3, 12])
            if rng.random() < 0.6:
                at += rng.choice([0, 0, 1, 6, 36, 144])
                kind = rng.choice([None, "purchase", "lead", "lead"])
                add(c, {"user_id": user, "timestamp": at * step, "value": float(rng.randrange(0, 200)),
                        "event_id": None if rng.random() < 0.2 else f"o{len(c['user_id'])}", "type": kind})
        if rng.random() < 0.3:  # a conversion out of the blue (often unattributed)
            add(c, {"user_id": user, "timestamp": rng.randrange(slots) * step, "value": float(rng.randrange(0, 200)),
                    "event_id": None, "type": "purchase"})
    for table, prefix in ((t, "t"), (c, "o")):  # re-sent events: a copy later, or under another user
        for _ in range(max(1, len(table["user_id"]) // 8)):
            i = rng.randrange(len(table["user_id"]))
            row = {k: v[i] for k, v in table.items()}
            row["event_id"] = row["event_id"] or f"{prefix}{i}"
            table["event_id"][i] = row["event_id"]
            if rng.random() < 0.5:
                row["user_id"] = f"u{rng.randrange(users)}"
            row["timestamp"] += rng.choice([-1, 0, 0, 1, 3]) * step
            add(table, row)
    for table in (t, c):  # shuffle the rows
        order = list(range(len(table["user_id"])))
        rng.shuffle(order)
        for k in table:
            table[k] = [table[k][i] for i in order]
    if not campaigns:
        del t["campaign"]
    if not ids:
        del t["event_id"], c["event_id"]
    if not types:
        del c["type"]
    return t, c


# (name, seed, log options, build params, half-life): each exercises one rule hard.
CASES = [
    ("reference_defaults", 1, {"campaigns": False, "types": False}, {}, None),
    ("reference_lookback_1h", 2, {}, {"lookback": 3600}, None),
    ("reference_lookback_at_the_edge", 3, {}, {"lookback": 600}, None),
    ("reference_sessions_30m", 4, {}, {"lookback": DAY, "session_gap": 1800}, None),
    ("reference_sessions_0", 5, {}, {"session_gap": 0}, None),
    ("reference_campaigns", 6, {}, {"level": "channel_campaign", "lookback": 6 * 3600}, None),
    ("reference_leads", 7, {}, {"lead_kind": "lead", "lookback": 2 * 3600}, None),
    ("reference_leads_sessions_campaigns", 8, {}, {"lead_kind": "lead", "session_gap": 1200, "level": "channel_campaign", "lookback": 4 * 3600}, None),
    ("reference_time_decay", 9, {}, {"lookback": DAY, "session_gap": 600}, 3600),
    ("reference_time_decay_leads", 10, {}, {"lead_kind": "lead", "level": "channel_campaign"}, 6 * 3600),
]


def vector(name, seed, log_opts, params, half_life):
    touches, conversions = random_log(seed, **log_opts)
    full = {"lookback": 30 * DAY, "session_gap": None, "level": "channel", **params}
    journeys, report, nodes = build(touches, conversions, **full)
    source = f"{SOURCE} (seed {seed}); readings of the doc as its module docstring lists them"
    tolerance = {"abs": 1e-9}
    if half_life is None:
        keyed = full.get("lead_kind") is not None
        rows = path_table(journeys, keyed)
        expected = {
            "path": [r[0] for r in rows],
            "conversions": [r[2] for r in rows],
            "nulls": [r[3] for r in rows],
            "value": [r[4] for r in rows],
            "report": report,
        }
        if keyed:
            expected["key_touch"] = [r[1] for r in rows]
        return {"function": "journey.path_table", "source": source, "input": {"touchpoints": touches, "conversions": conversions},
                "params": full, "expected": expected, "tolerance": tolerance}
    credit = time_decay(journeys, nodes, half_life)
    names = sorted(credit)
    return {
        "function": "attribution.time_decay", "source": source,
        "input": {"touchpoints": touches, "conversions": conversions},
        "params": {**full, "half_life_seconds": half_life},
        "expected": {"channel": names, "conversions": [credit[k][0] for k in names], "value": [credit[k][1] for k in names]},
        "tolerance": tolerance,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, seed, log_opts, params, half_life in CASES:
        v = vector(name, seed, log_opts, params, half_life)
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(v, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(name)


if __name__ == "__main__":
    main()
