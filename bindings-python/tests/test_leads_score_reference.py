"""Lead scores against a brute-force scorer: `score_brute` in benches/compare/make_leads_vectors.py
follows the steps of the core's scoring doc event by event (caps per type and UTC day by scaling,
then decay, then weights; grades and temperature from thresholds). Here both score 300 seeded
cases, many more than the shared vectors hold: several rules per event type, negative and
per-value points, caps that bind, both decay modes, zero weights, every condition with missing
values, events before the epoch and after `as_of`, and scales on every basis."""

import importlib.util
import math
import pathlib

import pandas as pd
import pytest

import channelwise as cw

_PATH = pathlib.Path(__file__).resolve().parents[2] / "benches" / "compare" / "make_leads_vectors.py"
_spec = importlib.util.spec_from_file_location("leads_reference", _PATH)
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


@pytest.mark.parametrize("seed", range(100, 400))
def test_scores_equal_the_brute_force(seed):
    log, attributes, as_of, cfg = ref.random_score_case(seed)
    want = ref.score_brute(log, attributes, as_of, cfg)
    n = log["n_leads"]
    events = pd.DataFrame({"lead": log["lead"], "timestamp": log["timestamp"], "event": log["event"], "value": log["value"]})
    attrs = pd.DataFrame({"lead": list(range(n)), **attributes["numeric"], **attributes["categorical"]})
    got = cw.leads.score(events, cfg, as_of, attributes=attrs, value="value", event_types=ref.SCORE_TYPES)
    assert list(got["lead"]) == list(range(n))
    for k in ("total", "fit", "activity"):
        assert all(close(g, w) for g, w in zip(got[k], want[k])), (k, list(got[k]), want[k])
    rules = [x for r in got["rules"] for x in r.values()]
    assert len(rules) == len(want["rules"]) and all(close(g, w) for g, w in zip(rules, want["rules"])), (rules, want["rules"])
    dims = [got[d][i] for i in range(n) for d in ref.DIMENSIONS]
    assert all(close(g, w) for g, w in zip(dims, want["dimensions"])), (dims, want["dimensions"])
    assert ",".join(got["grade"]) == want["grade"]
    assert ",".join(got["temperature"]) == want["temperature"]


def test_the_cases_reach_every_step():
    """Over the seeds above caps bind, both decay modes and every condition are drawn, and the
    grades and temperatures spread."""
    bound = modes = 0
    grades, temps, ops = set(), set(), set()
    for seed in range(100, 400):
        log, attributes, as_of, cfg = ref.random_score_case(seed)
        want = ref.score_brute(log, attributes, as_of, cfg)
        grades.update(want["grade"].split(","))
        temps.update(want["temperature"].split(","))
        ops.update(r["condition"]["op"] for r in cfg["attribute_rules"])
        modes |= {"inactivity": 1, "event_age": 2}.get((cfg.get("decay") or {}).get("mode"), 0)
        # a cap binds when some (lead, type, day) total exceeds it
        totals = {}
        for i in range(len(log["lead"])):
            if log["timestamp"][i] <= as_of:
                for r in cfg["event_rules"]:
                    if r["event_type"] == log["event"][i]:
                        k = (log["lead"][i], log["event"][i], log["timestamp"][i] // ref.DAY)
                        totals[k] = totals.get(k, 0.0) + r["points"] + r["per_value"] * log["value"][i]
        caps = cfg.get("daily_caps", {})
        bound += sum(abs(t) > caps[k[1]] for k, t in totals.items() if k[1] in caps)
    assert bound >= 100 and modes == 3
    assert grades == {"A+", "A", "B", "C", "D"} and temps == {"hot", "warm", "cold"}
    assert ops == {"equals", "one_of", "missing", "at_least", "below", "between"}
