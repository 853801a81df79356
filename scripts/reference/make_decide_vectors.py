"""Shared vectors for channelwise.decide (tests/vectors/decide/): risk levels, guardrail verdicts,
staged rollout values and auto-approval, from the rules as the core's docs state them.

Standard library only (python3 scripts/reference/make_decide_vectors.py [repo root]). The rules
are written here again from the documentation, not from the Rust code:

- risk: core/src/decide/decision.rs module docs (the RiskRule table and the three numbers);
- approval and stages: core/src/decide/policy.rs, Policy table and `Policy::stages` doc;
- guardrails: core/src/decide/policy.rs guardrail table; the vendor change frequency is the
  token bucket of core/src/platform/policy.rs's module docs (capacity tokens, one back every
  refill_ms, whole tokens and whole milliseconds), simulated change by change.

Where the doc was silent or said something else than the code, the choice is written in the
vector's `source` (and below, at NOTES).

NOTES
1. decision.rs says the relative change of a status, targeting or creative change is "1 (all
   or nothing)". The code gives 0 when `from == to` (a status set to what it already is), else
   1. A no-op is no change, so the code is right and the doc is loose: the vector
   `risk_status_noop` states 0 and low risk.
2. policy.rs's `max_step_change` / `max_window_change` say "(relative)" without the base. The
   code divides by `max(from, 1)` (the guardrail's own floor, not the risk rule's `min_base`);
   the vectors use bases well above 1, where both readings agree, and one budget raised from 0
   (`guardrail_step_from_zero`) where the base is the floor of 1.
3. Every guardrail comparison is strict ("exceed", "more than", "above"): a value exactly at
   a cap or a limit passes. The code allows 1e-9 (caps) and 1e-12 (changes) of rounding slack,
   which no vector here reaches.
"""

from __future__ import annotations

import json
import math
import os
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "tests", "vectors", "decide")

RISK_DOC = "the RiskRule table of core/src/decide/decision.rs, worked out by scripts/reference/make_decide_vectors.py (standard library, written from the doc)"
POLICY_DOC = "the Policy table and Policy::stages doc of core/src/decide/policy.rs, worked out by scripts/reference/make_decide_vectors.py (written from the doc)"
GUARD_DOC = "the guardrail table of core/src/decide/policy.rs, worked out by scripts/reference/make_decide_vectors.py (written from the doc)"
BUCKET_DOC = "the guardrail table of core/src/decide/policy.rs and the token bucket of core/src/platform/policy.rs's module docs (Meta: 4 budget changes, one back every 15 min), simulated change by change in scripts/reference/make_decide_vectors.py"

vectors: dict[str, dict] = {}


def write(name: str, vec: dict) -> None:
    """Keeps a vector to write (all at once, at the end; a name used twice is a script bug)."""
    assert name not in vectors, name
    vectors[name] = vec


def flush() -> None:
    """Writes every vector, and removes files of this folder the script no longer makes."""
    os.makedirs(OUT, exist_ok=True)
    for old in set(os.listdir(OUT)) - {n + ".json" for n in vectors}:
        os.remove(os.path.join(OUT, old))
    for name, vec in sorted(vectors.items()):
        with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8") as fh:
            fh.write(json.dumps(vec, indent=1) + "\n")


def enc(x: float):
    """A vector number: infinities as strings (JSON has none)."""
    if x == math.inf:
        return "Infinity"
    return x


# ---------------------------------------------------------------- risk

RULE = dict(low_change=0.2, high_change=0.5, low_spend=500.0, high_spend=5000.0, low_confidence=0.8, high_confidence=0.5, min_base=1.0)


def risk(p: dict, rule: dict | None = None) -> dict:
    """The documented rule: change, spend at stake, confidence -> level."""
    r = dict(RULE, **(rule or {}))
    a, b = p["from"], p["to"]
    money = isinstance(a, (int, float)) and isinstance(b, (int, float))
    if money:
        change = abs(b - a) / max(a, r["min_base"])
    else:
        change = 0.0 if a == b else 1.0  # NOTES 1
    if p.get("spend_at_stake") is not None:
        spend = p["spend_at_stake"]
    elif p["kind"] == "budget":
        spend = max(a, b)
    else:
        spend = math.inf  # unknown is treated as large
    c = p["confidence"]
    if change > r["high_change"] or spend > r["high_spend"] or c < r["high_confidence"]:
        level = "high"
    elif change <= r["low_change"] and spend <= r["low_spend"] and c >= r["low_confidence"]:
        level = "low"
    else:
        level = "medium"
    return {"level": level, "change": change, "spend": enc(spend), "confidence": c}


def proposal(kind, frm, to, confidence, entity="search", spend=None):
    p = {"kind": kind, "entity": entity, "from": frm, "to": to, "confidence": confidence}
    if spend is not None:
        p["spend_at_stake"] = spend
    return p


def risk_vector(name, p, why, rule=None):
    inp = {"proposal": p}
    if rule is not None:
        inp["rule"] = rule
    write(name, {"function": "decide.risk", "source": f"{RISK_DOC}: {why}", "input": inp, "params": {}, "expected": risk(p, rule), "tolerance": {"abs": 1e-12}})


def risk_vectors() -> None:
    risk_vector("risk_low_at_every_low_threshold", proposal("budget", 400.0, 480.0, 0.8, spend=500.0), "change 0.2 = low_change, spend 500 = low_spend, confidence 0.8 = low_confidence: each 'at most' / 'at least' holds, low")
    risk_vector("risk_medium_change_just_above_low", proposal("budget", 400.0, 480.4, 0.9), "change 0.201 > low_change 0.2 (spend max(from, to) = 480.4): medium")
    risk_vector("risk_medium_at_high_change", proposal("budget", 200.0, 300.0, 0.9), "change 0.5 = high_change is not above it: medium")
    risk_vector("risk_high_change_just_above_high", proposal("budget", 200.0, 300.2, 0.9), "change 0.501 > high_change 0.5: high")
    risk_vector("risk_medium_spend_just_above_low", proposal("bid", 2.0, 2.1, 0.9, spend=500.01), "bid change 0.05, spend at stake 500.01 > low_spend 500: medium")
    risk_vector("risk_medium_at_high_spend", proposal("budget", 5000.0, 4500.0, 0.95), "a decrease: spend max(from, to) = 5000 = high_spend is not above it, change 0.1: medium")
    risk_vector("risk_high_spend_just_above_high", proposal("budget", 5000.0, 5000.5, 0.95), "spend 5000.5 > high_spend 5000 with a change of 0.0001: high")
    risk_vector("risk_medium_confidence_just_below_low", proposal("budget", 100.0, 110.0, 0.79), "change 0.1, spend 110, confidence 0.79 < low_confidence 0.8: medium")
    risk_vector("risk_medium_at_high_confidence", proposal("budget", 100.0, 110.0, 0.5), "confidence 0.5 = high_confidence is not below it: medium")
    risk_vector("risk_high_confidence_just_below_high", proposal("budget", 100.0, 110.0, 0.499), "confidence 0.499 < high_confidence 0.5: high")
    risk_vector("risk_budget_from_zero_min_base", proposal("budget", 0.0, 0.15, 0.9), "a budget raised from 0: change 0.15 / max(0, min_base 1) = 0.15, spend 0.15: low")
    risk_vector("risk_bid_spend_unknown", proposal("bid", 1.0, 1.05, 0.95), "a bid change that does not give its spend at stake is taken as above high_spend (infinite): high")
    risk_vector("risk_status_pause_all_or_nothing", proposal("status", "active", "paused", 0.9, spend=100.0), "a status change counts as a relative change of 1 (all or nothing) > high_change: high")
    risk_vector("risk_status_noop", proposal("status", "active", "active", 0.9, spend=100.0), "a status set to what it already is: NOTES 1 of the script (the doc says 1 for any status change, the code 0 for from == to; no change is no change, so 0), spend 100: low")
    risk_vector("risk_creative_swap", proposal("creative", "cr_1", "cr_2", 0.95, spend=50.0), "a creative change counts as 1: high")
    risk_vector("risk_custom_rule", proposal("budget", 1000.0, 1300.0, 0.7, spend=900.0), "rule low_change 0.3, low_spend 1000, low_confidence 0.7 (each met at its threshold): low", rule={"low_change": 0.3, "low_spend": 1000.0, "low_confidence": 0.7})
    write("risk_error_rule_low_above_high", {
        "function": "decide.risk",
        "source": f"{RISK_DOC}: low_change must lie in [0, high_change] (the table's Range column); 0.6 > 0.5 is out of range, named risk.low_change",
        "input": {"proposal": proposal("budget", 100.0, 110.0, 0.9), "rule": {"low_change": 0.6}},
        "params": {},
        "expected": {"error": "out_of_range", "field": "risk.low_change"},
    })
    write("risk_error_negative_budget", {
        "function": "decide.risk",
        "source": "issue 16 'Bad input': a change to a negative budget is a typed error naming the field (Proposal::validate: out_of_range, field `to`)",
        "input": {"proposal": proposal("budget", 100.0, -5.0, 0.9)},
        "params": {},
        "expected": {"error": "out_of_range", "field": "to"},
    })


# ---------------------------------------------------------------- approval and stages

POLICY = dict(auto_approve="low", stage_above=0.5, first_stage=0.25)


def stages(frm, to, policy=None, min_base=1.0):
    p = dict(POLICY, **(policy or {}))
    if isinstance(frm, (int, float)) and isinstance(to, (int, float)):
        change = abs(to - frm) / max(frm, min_base)
        if change > p["stage_above"]:
            mid = frm + p["first_stage"] * (to - frm)
            cents = mid * 100.0
            assert abs(cents - round(cents)) != 0.5, "a half-cent tie: pick other numbers"
            return [math.floor(cents + 0.5) / 100.0 if cents >= 0 else -math.floor(-cents + 0.5) / 100.0, to]
    return [to]


def stage_vector(name, frm, to, why, policy=None):
    inp = {"from": frm, "to": to}
    if policy is not None:
        inp["policy"] = policy
    write(name, {"function": "decide.stages", "source": f"{POLICY_DOC}: {why}", "input": inp, "params": {}, "expected": {"stages": stages(frm, to, policy)}, "tolerance": {"abs": 1e-9}})


def stage_vectors() -> None:
    stage_vector("stages_at_threshold_one_stage", 100.0, 150.0, "change 0.5 = stage_above is not above it: one stage")
    stage_vector("stages_just_above_threshold", 100.0, 151.0, "change 0.51 > 0.5: first 25% of the change (112.75), then the rest")
    stage_vector("stages_decrease", 100.0, 40.0, "a cut of 0.6 is staged too: 100 - 0.25 * 60 = 85, then 40")
    stage_vector("stages_rounded_to_cents", 33.33, 100.0, "33.33 + 0.25 * 66.67 = 49.9975 -> 50.00 (cents), then 100")
    stage_vector("stages_custom_first_stage", 200.0, 500.0, "first_stage 0.4, stage_above 1.0: change 1.5 > 1: 200 + 0.4 * 300 = 320, then 500", policy={"first_stage": 0.4, "stage_above": 1.0})
    stage_vector("stages_status_never_staged", "active", "paused", "only money changes are staged: [to]")
    for name, level, policy, why in [
        ("auto_approves_low_by_default", "low", None, "auto_approve defaults to low: a low-risk decision is approved by the policy"),
        ("auto_approves_not_medium_by_default", "medium", None, "medium is above the default auto_approve (low): it waits for a person"),
        ("auto_approves_medium_when_allowed", "medium", {"auto_approve": "medium"}, "auto_approve medium approves every level at most medium"),
        ("auto_approves_none", "low", {"auto_approve": None}, "auto_approve none: every decision waits, low ones too"),
    ]:
        p = dict(POLICY, **(policy or {}))
        order = ["low", "medium", "high"]
        approved = p["auto_approve"] is not None and order.index(level) <= order.index(p["auto_approve"])
        inp = {"level": level}
        if policy is not None:
            inp["policy"] = policy
        write(name, {"function": "decide.auto_approves", "source": f"{POLICY_DOC}: {why}", "input": inp, "params": {}, "expected": {"approved": approved}})


# ---------------------------------------------------------------- guardrails

DAY = 86_400_000


def bucket_wait(changes: list[int], now: int, capacity=4, refill=900_000):
    """None if a change at `now` is allowed after `changes`, else the instant a token is back.

    The documented bucket: at most `capacity` tokens, one regained every `refill` ms of time
    spent below capacity, a change takes one; a full bucket's refill clock starts at the take.
    """
    tokens, clock = capacity, None
    def at(t):
        nonlocal tokens, clock
        if tokens < capacity and clock is not None and t > clock:
            gained = (t - clock) // refill
            tokens = min(capacity, tokens + gained)
            clock = t if tokens == capacity else clock + gained * refill
    for t in changes:
        at(t)
        assert tokens >= 1, "the vector's past changes must each have been allowed"
        if tokens == capacity:
            clock = t
        tokens -= 1
    at(now)
    if tokens >= 1:
        return None
    return clock + refill


def guard(g: dict, s: dict):
    """The verdict of the guardrail table (one guardrail breached per vector)."""
    gd = dict(max_step_change=1.0, max_window_change=2.0, anomaly_gate=True, change_frequency=True, window_ms=DAY)
    gd.update(g)
    e = s["entity"]
    exp = {k: (v["daily_budget"], v["active"]) for k, v in s.get("exposures", {}).items()}
    b0, on0 = exp.get(e, (0.0, True))
    b1, on1 = b0, on0
    if s["kind"] == "budget":
        b1 = s["target"]
    elif s["kind"] == "status":
        on1 = s["target"] == "active"
    raises = on1 and (not on0 or b1 > b0)
    block = lambda name: {"verdict": "block", "guardrail": name}
    if raises:
        cap = gd.get("campaign_daily_cap", {}).get(e, gd.get("default_campaign_daily_cap"))
        if cap is not None and b1 > cap:
            return block("campaign_daily_cap")
        after = dict(exp)
        after[e] = (b1, True)
        total = sum(b for b, on in after.values() if on)
        if gd.get("account_daily_cap") is not None and total > gd["account_daily_cap"]:
            return block("account_daily_cap")
        spent = s.get("lifetime_spend", {})
        lcap = gd.get("campaign_lifetime_cap", {}).get(e)
        if lcap is not None and spent.get(e, 0.0) + b1 > lcap:
            return block("campaign_lifetime_cap")
        if gd.get("account_lifetime_cap") is not None and sum(spent.values()) + total > gd["account_lifetime_cap"]:
            return block("account_lifetime_cap")
        if s.get("rollback"):
            return {"verdict": "pass"}
        if gd["anomaly_gate"] and s.get("anomaly"):
            return block("anomaly_gate")
        if s.get("performance_breach"):
            return block("performance")
    if s.get("rollback"):
        return {"verdict": "pass"}
    a, b = s["current"], s["target"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if gd["max_step_change"] is not None and abs(b - a) / max(a, 1.0) > gd["max_step_change"]:
            return block("max_step_change")
        w = s.get("window_start", a)
        if gd["max_window_change"] is not None and abs(b - w) / max(w, 1.0) > gd["max_window_change"]:
            return block("max_window_change")
    if s["kind"] == "budget" and gd["change_frequency"]:
        until = bucket_wait(s.get("recent_changes", []), s.get("now_ms", 0))
        if until is not None:
            return {"verdict": "defer", "guardrail": "change_frequency", "until_ms": until}
    return {"verdict": "pass"}


def step(kind, current, target, entity="search", exposures=None, **more):
    s = {"entity": entity, "kind": kind, "current": current, "target": target,
         "exposures": exposures if exposures is not None else {entity: {"daily_budget": current if isinstance(current, float) else 100.0, "active": True}, "social": {"daily_budget": 150.0, "active": True}}}
    s.update(more)
    return s


def guard_vector(name, g, s, why, source=GUARD_DOC, reason=None):
    exp = guard(g, s)
    if reason is not None:
        exp["reason"] = reason
    write(name, {"function": "decide.guardrails", "source": f"{source}: {why}", "input": {"guardrails": g, "step": s}, "params": {}, "expected": exp})


def guardrail_vectors() -> None:
    guard_vector("guardrail_account_daily_cap_doc_example", {"account_daily_cap": 300.0}, step("budget", 100.0, 180.0),
                 "the module example: search 100 -> 180 beside social at 150 sums to 330 > 300",
                 reason="account daily budget would be 330.00, above the cap of 300.00")
    guard_vector("guardrail_account_daily_cap_at_cap_passes", {"account_daily_cap": 300.0}, step("budget", 100.0, 150.0), "search 150 + social 150 = 300 does not exceed the cap of 300: pass")
    guard_vector("guardrail_campaign_daily_cap_blocks", {"campaign_daily_cap": {"search": 150.0}}, step("budget", 100.0, 150.5), "search's daily budget 150.5 would exceed its cap of 150")
    guard_vector("guardrail_default_cap_decrease_passes", {"default_campaign_daily_cap": 150.0}, step("budget", 200.0, 170.0), "a decrease passes a cap it is still above (caps apply to changes that can raise spend)")
    guard_vector("guardrail_resume_counts_against_account_cap", {"account_daily_cap": 250.0},
                 step("status", "paused", "active", exposures={"search": {"daily_budget": 200.0, "active": False}, "social": {"daily_budget": 100.0, "active": True}}),
                 "resuming search (200/day) beside social at 100 sums to 300 > 250: a resume raises spend")
    guard_vector("guardrail_pause_passes_caps", {"account_daily_cap": 100.0}, step("status", "active", "paused"), "a pause never raises spend: it passes caps already breached")
    guard_vector("guardrail_campaign_lifetime_cap", {"campaign_lifetime_cap": {"search": 1000.0}, "lifetime_from": "2026-01-01"},
                 step("budget", 100.0, 120.0, lifetime_spend={"search": 900.0}), "search has spent 900; a day at 120 reaches 1020 > 1000")
    guard_vector("guardrail_max_step_change_at_limit_passes", {}, step("budget", 100.0, 200.0), "a change of exactly 1.0 (the default max_step_change) is not more than it: pass")
    guard_vector("guardrail_max_step_change_blocks", {}, step("budget", 100.0, 201.0), "a change of 1.01 > max_step_change 1.0")
    guard_vector("guardrail_step_from_zero", {"max_step_change": 1.0}, step("budget", 0.0, 1.5), "a budget raised from 0: the base is the floor of 1 (NOTES 2), 1.5 > 1.0")
    guard_vector("guardrail_bid_step_change", {"max_step_change": 0.3}, step("bid", 2.0, 2.7), "a bid 2.00 -> 2.70 changes by 0.35 > 0.3")
    guard_vector("guardrail_max_window_change_blocks", {}, step("budget", 250.0, 320.0, window_start=100.0), "from 100 at the start of the window to 320 is a change of 2.2 > max_window_change 2.0 (the step itself, 0.28, passes)")
    guard_vector("guardrail_anomaly_gate_blocks_increase", {}, step("budget", 100.0, 110.0, anomaly="spend z = 5.1"), "a budget increase on a day the anomaly module flagged")
    guard_vector("guardrail_anomaly_gate_decrease_passes", {}, step("budget", 100.0, 90.0, anomaly="spend z = 5.1"), "a decrease passes the anomaly gate")
    guard_vector("guardrail_anomaly_gate_off", {"anomaly_gate": False}, step("budget", 100.0, 110.0, anomaly="spend z = 5.1"), "anomaly_gate false: the flag does not block")
    guard_vector("guardrail_performance_blocks_increase", {}, step("budget", 100.0, 110.0, performance_breach="ROAS 1.50 below 2.00 over 7 days"), "a spend increase on an entity breaching the performance guard")
    guard_vector("guardrail_frequency_defers_fifth_change", {}, step("budget", 100.0, 110.0, recent_changes=[0, 1, 2, 3], now_ms=60_000), "four changes at 0-3 ms empty the bucket; the first token is back 900 000 ms after the first take", source=BUCKET_DOC)
    guard_vector("guardrail_frequency_token_back", {}, step("budget", 100.0, 110.0, recent_changes=[0, 1, 2, 3], now_ms=900_000), "at 900 000 ms a token is back: pass", source=BUCKET_DOC)
    guard_vector("guardrail_frequency_spread_changes", {}, step("budget", 100.0, 110.0, recent_changes=[0, 600_000, 1_200_000, 1_500_000, 1_800_000, 1_900_000], now_ms=2_000_000), "six changes over 32 min (a token regained at 900 000 and another at 1 800 000) leave none at 2 000 000; the next is back at 2 700 000", source=BUCKET_DOC)
    guard_vector("guardrail_frequency_bid_not_limited", {}, step("bid", 2.0, 2.1, recent_changes=[0, 1, 2, 3], now_ms=60_000), "the vendor's limit counts budget changes only: a bid passes")
    guard_vector("guardrail_rollback_checks_caps_only", {}, step("budget", 100.0, 300.0, anomaly="spend z = 5.1", rollback=True), "a rollback is checked against the caps only: a 200% step on a flagged day passes")


def main() -> None:
    risk_vectors()
    stage_vectors()
    guardrail_vectors()
    flush()
    print(f"wrote {len(vectors)} vectors to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
