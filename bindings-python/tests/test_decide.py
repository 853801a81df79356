"""cw.decide.Engine: the decision engine on the simulated market and on a Python adapter."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sqlite3
import threading

import pandas as pd
import polars as pl
import numpy as np
import pytest

import channelwise as cw

DAY = 86_400_000


def _engine(market=None, **policy):
    return cw.decide.Engine(":memory:", adapters=market or cw.platform.SimMarket({"seed": 3}), **policy)


def _local(engine, keys):
    """The keys without the store's id, checked to be first in each."""
    sid = engine.store_id
    assert len(sid) == 16 and all(c in "0123456789abcdef" for c in sid), sid
    assert all(k.startswith(sid + "/") for k in keys), (sid, keys)
    return [k[len(sid) + 1:] for k in keys]


def _flow(engine, read_budget):
    """Some decisions auto-approved, one blocked by a cap, one rolled back; the audit verifies."""
    engine.observe("social")  # the account cap sums the entities the engine knows
    small = engine.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9,
                           impact=2.0, impact_lo=1.0, impact_hi=3.0, reason="marginal ROAS 2.1")
    assert (small["status"], small["risk"], small["approver"]) == ("approved", "low", "policy")
    assert small["reasons"] == ["marginal ROAS 2.1"] and small["impact_lo"] == 1.0
    assert engine.execute(small["id"]) == {"decision": small["id"], "outcome": "executed", "verified": True}
    cut = engine.propose({"kind": "budget", "entity": "social", "from": 150, "to": 145, "confidence": 0.95})
    assert cut["status"] == "approved"
    assert engine.run_due() == [{"decision": cut["id"], "outcome": "executed", "verified": True}]
    big = engine.propose(kind="budget", entity="search", from_=110, to=160, confidence=0.9)
    assert big["status"] == "pending"
    assert list(engine.pending()["id"]) == [big["id"]]
    engine.approve(big["id"], "ana")
    blocked = engine.execute(big["id"])
    assert blocked["outcome"] == "blocked" and blocked["guardrail"] == "account_daily_cap"
    assert blocked["reason"] == "account daily budget would be 305.00, above the cap of 300.00"
    assert engine.decision(big["id"])["status"] == "blocked"
    assert read_budget("search") == 110.0
    back = engine.rollback(small["id"], by="ana")
    assert back == {"decision": small["id"], "outcome": "rolled_back", "verified": True}
    assert read_budget("search") == 100.0
    frame = engine.decisions()
    assert list(frame["status"]) == ["rolled_back", "executed", "blocked"]
    assert list(frame.columns) == list(cw.decide.DECISION_COLUMNS)
    audit = engine.audit()
    assert list(audit.columns) == list(cw.decide.AUDIT_COLUMNS)
    assert {"propose", "approve", "send", "applied", "block", "rolled_back"} <= set(audit["action"])
    summary = engine.verify()
    assert summary["entries"] == len(audit) == summary["head_seq"]
    assert engine.verify(anchor=(summary["head_seq"], summary["head_hash"])) == summary
    return engine


def test_end_to_end_on_the_simulated_market():
    market = cw.platform.SimMarket({"seed": 3})
    engine = _flow(_engine(market, guardrails={"account_daily_cap": 300}), lambda e: market.read_entity(e)["daily_budget"])
    # the native market was used: each key applied once, in order
    assert _local(engine, [a["key"] for a in market.applied]) == ["d1/s1", "d2/s1", "d1/rollback"]
    d = engine.decisions(backend="polars")
    assert isinstance(d, pl.DataFrame) and d["status"].to_list()[-1] == "blocked"
    assert d["from"].to_list() == [100.0, 150.0, 110.0]
    assert isinstance(engine.audit(backend="polars"), pl.DataFrame)
    assert len(engine.audit(from_seq=3, limit=2)) == 2


class FakePlatform(cw.decide.Adapter):
    """A dict-backed platform with its own clock; it keeps the keys it applied, loses the first
    acknowledgement (applies, then raises a timeout) and can be told to fail an entity."""

    def __init__(self):
        self.entities = {"search": {"daily_budget": 100.0, "status": "active"},
                         "social": {"daily_budget": 150.0, "status": "active"}}
        self.clock = 1_767_571_200_000  # 2026-01-05
        self.keys = {}
        self.calls = 0
        self.lose_next_ack = True
        self.broken = set()

    def _state(self, entity):
        return {"entity": entity, "bid": None, "updated_ms": self.clock, **self.entities[entity]}

    def apply_changes(self, changes):
        self.calls += 1
        out = []
        for c in changes:
            if c["entity"] in self.broken:
                raise RuntimeError(f"connection reset talking about {c['entity']}")
            if c["key"] in self.keys:
                out.append({"outcome": {"status": "already_applied", "state": self._state(c["entity"])}})
                continue
            a = c["action"]
            e = self.entities[c["entity"]]
            if a["kind"] == "budget":
                e["daily_budget"] = a["daily"]
            elif a["kind"] == "status":
                e["status"] = a["status"]
            self.keys[c["key"]] = c
            out.append({"key": c["key"], "entity": c["entity"], "outcome": {"status": "applied", "state": self._state(c["entity"])}})
        if self.lose_next_ack:
            self.lose_next_ack = False
            raise TimeoutError("no answer within 30 s")  # applied, but the answer was lost
        return out

    def read_entity(self, entity):
        return self._state(entity)  # KeyError for an unknown entity

    def read_metrics(self, query):
        rows = pd.DataFrame({"entity": ["search"], "date": [dt.date(2026, 1, 4)], "spend": [100.0]})
        return rows[rows["entity"].isin(query["entities"] or ["search", "social"])]

    def now_ms(self):
        return self.clock

    def sleep_until(self, at_ms):
        self.clock = max(self.clock, at_ms)


def test_risk_is_judged_from_the_value_the_market_shows_and_bids_by_their_own_size():
    # found by an audit: a from of 190 for a budget at 100 passed a doubling as +5% (low risk,
    # approved by the policy, executed in one step)
    e = cw.decide.Engine(":memory:", adapters=cw.platform.SimMarket())
    d = e.propose(kind="budget", entity="search", from_=190, to=200, confidence=0.9)
    assert (d["status"], d["risk"], d["approver"]) == ("pending", "high", None)
    assert d["relative_change"] == pytest.approx(1.0)
    ok = e.propose(kind="budget", entity="search", from_=100, to=105, confidence=0.9)
    assert (ok["status"], ok["risk"]) == ("approved", "low")
    # a bid under 1 divides by itself: 0.10 -> 1.10 is a change of 10, not 1 (a 100% step limit passed it)
    step = {"entity": "s", "kind": "bid", "current": 0.10, "target": 1.10}
    v = cw.decide.check_guardrails(step, max_step_change=1.0)
    assert v["verdict"] == "block" and "a change of 1000.0%" in v["reason"], v


def test_the_same_flow_through_a_python_adapter():
    fake = FakePlatform()
    engine = _flow(_engine(fake, guardrails={"account_daily_cap": 300}), lambda e: fake.entities[e]["daily_budget"])
    # the lost acknowledgement was retried with the same key, which was applied once
    assert _local(engine, fake.keys) == ["d1/s1", "d2/s1", "d1/rollback"]
    assert fake.calls == 4
    assert isinstance(engine.adapters, FakePlatform)


def test_an_adapter_exception_reaches_the_audit_and_the_key_is_resent_once():
    fake = FakePlatform()
    fake.lose_next_ack = False
    engine = _engine(fake)
    fake.broken.add("search")
    d = engine.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
    out = engine.execute(d["id"])
    assert out["outcome"] == "in_doubt"
    assert "RuntimeError: connection reset talking about search" in out["error"]
    audit = engine.audit()
    assert "connection reset" in audit[audit["action"] == "in_doubt"]["detail"].iloc[0]
    assert engine.decision(d["id"])["status"] == "executing"
    fake.broken.clear()
    assert engine.execute(d["id"])["outcome"] == "executed"
    assert _local(engine, fake.keys) == ["d1/s1"]
    # a vendor error with its PlatformError is classified: HTTP 400 is not retried, and a refusal
    # applied nothing, raised for the whole call or answered as a failed item
    class Refusing(FakePlatform):
        def apply_changes(self, changes):
            self.calls += 1
            if self.calls == 1:
                raise cw.platform.PlatformCallError({"kind": "http", "status": 400})
            return [{"outcome": {"status": "failed", "error": {"kind": "http", "status": 400}}} for _ in changes]

    refusing = Refusing()
    e2 = _engine(refusing)
    for n in (1, 2):
        d2 = e2.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
        assert e2.execute(d2["id"]) == {"decision": d2["id"], "outcome": "failed", "error": "HTTP 400"}
        assert refusing.calls == n and e2.decision(d2["id"])["status"] == "failed"
    # a 503 for the whole call may have been applied: retried, then in doubt
    class Unavailable(FakePlatform):
        def apply_changes(self, changes):
            self.calls += 1
            raise cw.platform.PlatformCallError({"kind": "http", "status": 503})

    unavailable = Unavailable()
    e3 = _engine(unavailable)
    d3 = e3.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
    assert e3.execute(d3["id"]) == {"decision": d3["id"], "outcome": "in_doubt", "error": "HTTP 503"}
    assert unavailable.calls > 1 and e3.decision(d3["id"])["status"] == "executing"
    # an unknown entity (KeyError from read_entity) is said as such, with the exception as cause
    with pytest.raises(cw.InvalidParameterError, match="entity") as err:
        engine.propose(kind="budget", entity="nowhere", from_=1, to=2)
    assert isinstance(err.value.__cause__, KeyError)


def test_wrong_adapter_answers_name_the_method_and_the_field():
    class NoBudget(FakePlatform):
        def read_entity(self, entity):
            return {"status": "active"}

    with pytest.raises(ValueError, match=r"adapter.read_entity\('search'\).*'daily_budget'"):
        _engine(NoBudget()).observe("search")

    class BadStatus(FakePlatform):
        def apply_changes(self, changes):
            return [{"outcome": {"status": "done"}} for _ in changes]

    engine = _engine(BadStatus())
    d = engine.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
    with pytest.raises(ValueError, match=r"^adapter\.apply_changes\(\)\[0\]: .*outcome.status"):
        engine.execute(d["id"])
    # what the engine knew is recorded: the key was sent and is in doubt, not lost
    assert engine.decision(d["id"])["status"] == "executing"

    # the place is written as everywhere else (`conversions[3]`): found by the engine net (seed 187)
    class NotDicts(FakePlatform):
        def apply_changes(self, changes):
            return [0 for _ in changes]

    e2 = _engine(NotDicts())
    d2 = e2.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
    with pytest.raises(TypeError, match=r"^adapter\.apply_changes\(\)\[0\]: expected a dict, got int$"):
        e2.execute(d2["id"])

    class RowNotDict(FakePlatform):
        def read_metrics(self, query):
            return [3]

    e5 = _engine(RowNotDict(), guardrails={"performance": {"min_roas": 2.0, "min_spend": 50}})
    e5.observe("search")
    with pytest.raises(TypeError, match=r"^adapter\.read_metrics\(\)\[0\]: expected a dict, got int$"):
        e5.check_performance()

    class NotAList(FakePlatform):
        def apply_changes(self, changes):
            return "ok"

    e3 = _engine(NotAList())
    d3 = e3.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
    with pytest.raises(TypeError, match=r"adapter.apply_changes\(\) must return a list"):
        e3.execute(d3["id"])

    class Unfinished(cw.decide.Adapter):
        def read_entity(self, entity):
            return {"daily_budget": 1.0, "status": "active"}

    e4 = _engine(Unfinished())
    d4 = e4.propose(kind="budget", entity="x", from_=1, to=1.1, confidence=0.9)
    with pytest.raises(NotImplementedError, match="apply_changes"):
        e4.execute(d4["id"])
    with pytest.raises(TypeError, match="read_metrics"):
        cw.decide.Engine(adapters=object())
    with pytest.raises(TypeError, match="adapters"):
        cw.decide.Engine(":memory:")


def test_an_adapter_must_not_call_back_into_its_engine():
    class Reentrant(FakePlatform):
        engine = None

        def read_entity(self, entity):
            self.engine.pending()
            return super().read_entity(entity)

    r = Reentrant()
    engine = _engine(r)
    r.engine = engine
    with pytest.raises(RuntimeError, match="call back into the engine"):
        engine.observe("search")


def test_a_file_store_reopened_finds_the_pending_decisions(tmp_path):
    path = tmp_path / "decisions.db"
    market = cw.platform.SimMarket({"seed": 3})
    first = cw.decide.Engine(path, adapters=market)
    d = first.propose(kind="budget", entity="social", from_=150, to=200, confidence=0.9)
    assert d["status"] == "pending"
    del first
    second = cw.decide.Engine(str(path), adapters=market)
    assert list(second.pending()["id"]) == [d["id"]]
    second.approve(d["id"], "ana")
    assert second.execute(d["id"])["outcome"] == "executed"
    assert market.read_entity("social")["daily_budget"] == 200.0
    assert second.verify()["entries"] == len(second.audit())


def test_stop_blocks_execution_until_a_person_resumes():
    market = cw.platform.SimMarket({"seed": 3})
    engine = _engine(market)
    a = engine.propose(kind="budget", entity="search", from_=100, to=105, confidence=0.9)
    b = engine.propose(kind="budget", entity="social", from_=150, to=200, confidence=0.9)
    assert engine.stop("ana", reason="spend spike") == [a["id"], b["id"]]
    assert engine.stopped["by"] == "ana"
    assert engine.execute(a["id"]) == {"decision": a["id"], "outcome": "unchanged", "status": "cancelled"}
    with pytest.raises(cw.InvalidParameterError, match="emergency stop by ana"):
        engine.propose(kind="budget", entity="search", from_=100, to=105, confidence=0.9)
    with pytest.raises(cw.InvalidParameterError, match="emergency stop"):
        engine.run_due()
    assert market.applied == []
    with pytest.raises(cw.InvalidParameterError, match="by"):
        engine.resume(" ")
    engine.resume("bo")
    assert engine.stopped is None
    c = engine.propose(kind="budget", entity="search", from_=100, to=105, confidence=0.9)
    assert engine.execute(c["id"])["outcome"] == "executed"
    assert {"stop", "resume"} <= set(engine.audit()["action"])


def test_a_tampered_audit_row_is_found(tmp_path):
    path = tmp_path / "decisions.db"
    engine = cw.decide.Engine(path, adapters=cw.platform.SimMarket())
    d = engine.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
    engine.execute(d["id"])
    assert engine.verify()["entries"] >= 4
    del engine
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
    con.close()
    _sql(path, "DROP TRIGGER audit_no_update", "UPDATE audit SET actor = 'mallory' WHERE seq = 2")
    reopened = cw.decide.Engine(path, adapters=cw.platform.SimMarket())
    with pytest.raises(cw.InvalidRecordError, match="audit entry 2 was edited"):
        reopened.verify()
    assert reopened.audit()["actor"].iloc[1] == "mallory"


def test_a_second_store_on_the_same_market_sends_keys_of_its_own(tmp_path):
    # a recreated database numbers its decisions from 1 again; with the first store's keys the
    # market took its change as a replay of the first's and refused it
    market = cw.platform.SimMarket({"seed": 3})
    first = cw.decide.Engine(tmp_path / "first.db", adapters=market)
    assert first.execute(first.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)["id"])["outcome"] == "executed"
    second = cw.decide.Engine(tmp_path / "second.db", adapters=market)
    d = second.propose(kind="budget", entity="search", from_=110, to=115, confidence=0.9)
    assert d["id"] == 1
    assert second.execute(d["id"]) == {"decision": 1, "outcome": "executed", "verified": True}
    assert market.read_entity("search")["daily_budget"] == 115.0
    assert first.store_id != second.store_id
    assert [a["key"] for a in market.applied] == [f"{first.store_id}/d1/s1", f"{second.store_id}/d1/s1"]
    # the id is the store's: another engine on the first file reads the same one
    assert cw.decide.Engine(tmp_path / "first.db", adapters=market).store_id == first.store_id


def _sql(path, *statements):
    con = sqlite3.connect(path)
    for q in statements:
        con.execute(q)
    con.commit()
    con.close()


def test_bad_inputs_raise_typed_errors(tmp_path):
    market = cw.platform.SimMarket({"seed": 3})
    engine = _engine(market)
    with pytest.raises(cw.OutOfRangeError, match=r"^to must be in"):
        engine.propose(kind="budget", entity="search", from_=100, to=-5)
    with pytest.raises(cw.InvalidParameterError, match="decision"):
        engine.approve(99, "ana")
    with pytest.raises(cw.InvalidParameterError, match="entity"):
        engine.propose(kind="budget", entity="nowhere", from_=1, to=2)
    short = engine.propose(kind="budget", entity="search", from_=100, to=190, confidence=0.9, ttl=dt.timedelta(seconds=1))
    market.advance(2_000)
    with pytest.raises(cw.InvalidParameterError, match="expired"):
        engine.approve(short["id"], "ana")
    assert engine.decision(short["id"])["status"] == "expired"
    with pytest.raises(cw.InvalidParameterError, match="approver"):
        engine.approve(short["id"], "")
    with pytest.raises(cw.InvalidParameterError, match=r"proposal.entiy"):
        engine.propose(kind="budget", entiy="search", from_=1, to=2)
    with pytest.raises(cw.InvalidParameterError, match=r"proposal.kind"):
        engine.propose(kind="budgets", entity="search", from_=1, to=2)
    with pytest.raises(cw.InvalidParameterError, match=r"proposal.to.*money"):
        engine.propose(kind="budget", entity="search", from_=1, to="2")
    with pytest.raises(cw.NonFiniteError, match="confidence"):
        engine.propose(kind="budget", entity="search", from_=1, to=2, confidence=float("nan"))
    # ids, counts and names: each named, never truncated (1.7 is not decision 1) nor overflowing
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid decision: "1.7" \(expected a whole number\)'):
        engine.decision(1.7)
    for bad in (-1, 2**64, 1e300):
        with pytest.raises(cw.OutOfRangeError, match=r"^decision must be in \[0, 9223372036854775807\]"):
            engine.execute(bad)
    with pytest.raises(cw.NonFiniteError, match="^decision must be finite"):
        engine.rollback(float("inf"), "ana")
    with pytest.raises(TypeError, match="^decision: expected a whole number, got str"):
        engine.approve("3", "ana")
    with pytest.raises(cw.OutOfRangeError, match="^limit must be in"):
        engine.audit(1, -1)
    with pytest.raises(TypeError, match="^by: expected a str, got float 3.0"):
        engine.stop(3.0)
    with pytest.raises(TypeError, match="^entity: expected a str, got int"):
        engine.observe(5)
    assert engine.decision(np.int64(short["id"]))["id"] == engine.decision(float(short["id"]))["id"] == short["id"]
    # times: whole ms in the core's signed 64-bit range, never handed to pyo3 to overflow
    with pytest.raises(cw.OutOfRangeError, match=r"^since must be in \[-9223372036854775808, 9223372036854775807\], got 1e\+300"):
        engine.rollback_since(1e300, "ana")
    with pytest.raises(cw.NonFiniteError, match="^since must be finite"):
        engine.rollback_since(float("nan"), "ana")
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid since: "1\.5" \(expected whole milliseconds\)'):
        engine.rollback_since(1.5, "ana")
    assert engine.rollback_since(dt.datetime(2100, 1, 1, 0, 0, 0, 999_999), "ana") == []
    assert engine.rollback_since(np.datetime64("2100-01-01T00:00:00.999999999"), "ana") == []  # ns, read in ms
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid since: "NaT"'):
        engine.rollback_since(np.datetime64("NaT"), "ana")
    assert cw._frames.millis("t", np.datetime64("2026-03-01T12:00:00.123456789")) == cw._frames.millis(
        "t", dt.datetime(2026, 3, 1, 12, 0, 0, 123456)) == 1772366400123
    # the policy: unknown keys named at any depth, wrong values by their field
    with pytest.raises(cw.InvalidParameterError, match=r"policy.guardrails.*acount_daily_cap.*unknown key"):
        _engine(guardrails={"acount_daily_cap": 300})
    with pytest.raises(cw.InvalidParameterError, match=r"policy.auto_aprove"):
        cw.decide.Engine(adapters=market, policy={"auto_aprove": "medium"})
    with pytest.raises(cw.InvalidParameterError, match=r"policy.risk.low_spend"):
        _engine(risk={"low_spend": "lots"})
    with pytest.raises(cw.InvalidParameterError, match=r"policy.auto_approve"):
        _engine(auto_approve="sometimes")
    with pytest.raises(cw.OutOfRangeError, match="first_stage"):
        _engine(first_stage=1.5)
    with pytest.raises(cw.OutOfRangeError, match="guardrails.account_daily_cap"):
        _engine(guardrails={"account_daily_cap": -1})
    # stores that are not a channelwise store, or newer than this one
    text = tmp_path / "notes.txt"
    text.write_text("hello, not a database" * 100)
    with pytest.raises(cw.InvalidParameterError, match="not a SQLite database"):
        cw.decide.Engine(text, adapters=market)
    other = tmp_path / "other.db"
    _sql(other, "CREATE TABLE t (x)")
    with pytest.raises(cw.InvalidParameterError, match="not a channelwise store"):
        cw.decide.Engine(other, adapters=market)
    newer = tmp_path / "newer.db"
    cw.decide.Engine(newer, adapters=market).propose(kind="budget", entity="search", from_=100, to=101, confidence=0.9)
    _sql(newer, "PRAGMA user_version = 999")
    with pytest.raises(cw.InvalidParameterError, match="newer channelwise"):
        cw.decide.Engine(newer, adapters=market)
    # no server there (or a build without PostgreSQL): the error names the store, never its password
    with pytest.raises((cw.IoError, cw.InvalidParameterError), match="store") as err:
        cw.decide.Engine("postgresql://ana:s3cret@127.0.0.1:1/decisions", adapters=market)
    assert "s3cret" not in str(err.value)


def test_recommendations_become_proposals():
    a = cw.optimize.allocate({"search": cw.optimize.MichaelisMenten(alpha=1.0, lam=1.0),
                              "social": cw.optimize.MichaelisMenten(alpha=4.0, lam=1.0)},
                             budget=4.0, current={"search": 2.0, "social": 2.0})
    recs = cw.optimize.recommend(allocation=a)
    market = cw.platform.SimMarket({"campaigns": [
        {"id": "search", "daily_budget": 2.0, "curve": {"michaelis_menten": {"alpha": 1.0, "lam": 1.0}}},
        {"id": "social", "daily_budget": 2.0, "curve": {"michaelis_menten": {"alpha": 4.0, "lam": 1.0}}}]})
    engine = _engine(market, auto_approve="medium", guardrails={"max_step_change": 0.6})
    out = engine.propose_many(recs, metric="response/day")
    assert list(out["entity"]) == ["search", "social"]
    assert list(out["to"]) == [1.0, 3.0] and set(out["metric"]) == {"response/day"}
    assert all(len(r) == 1 for r in out["reasons"])
    # a polars table answers in polars; a bad row refuses the whole batch before any is proposed
    table = pl.DataFrame({"kind": ["budget", "budget"], "entity": ["search", "social"], "from": [2.0, 2.0],
                          "to": [2.2, -1.0], "confidence": [0.9, 0.9]})
    with pytest.raises(cw.OutOfRangeError, match=r"proposals\[1\]: to must be in"):
        engine.propose_many(table)
    assert len(engine.decisions()) == 2
    polars_out = engine.propose_many(table.head(1))
    assert isinstance(polars_out, pl.DataFrame) and polars_out["entity"].to_list() == ["search"]
    row = engine.propose(pd.DataFrame({"kind": ["status"], "entity": ["social"], "from": ["active"],
                                       "to": ["paused"]}).iloc[0])
    assert row["risk"] == "high" and row["spend_at_stake"] == float("inf")
    assert engine.decisions()["status"].iloc[-1] == "pending"


def test_outcomes_calibrate_and_the_anomaly_gate_blocks():
    market = cw.platform.SimMarket({"seed": 3})
    engine = _engine(market, feedback={"window_ms": dt.timedelta(days=1)})
    d = engine.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9, impact=4.0,
                       impact_lo=2.0, impact_hi=6.0)
    engine.execute(d["id"])
    with pytest.raises(cw.InvalidParameterError, match="window ends"):
        engine.record_outcome(d["id"], 2.0, method="holdout", by="ana")
    market.advance(DAY + 1)
    assert engine.record_outcome(d["id"], 2.0, method="holdout", by="ana")["actual"] == 2.0
    cal = engine.calibration()
    assert list(cal.columns) == list(cw.decide.CALIBRATION_COLUMNS)
    assert cal.iloc[0]["kind"] == "budget" and cal.iloc[0]["slope"] == pytest.approx(0.5)
    import matplotlib

    matplotlib.use("Agg")
    ax = engine.plot_calibration()
    assert ax.get_xlabel() == "expected impact" and len(ax.lines) >= 1
    engine.flag_anomaly(market.today, by="ana", reason="spend z = 5.1")
    up = engine.propose(kind="budget", entity="search", from_=110, to=115, confidence=0.9)
    out = engine.execute(up["id"])
    assert out["guardrail"] == "anomaly_gate" and "spend z = 5.1" in out["reason"]
    assert engine.check_performance() == []
    assert cw.decide.policy(dry_run=True)["dry_run"] is True
    assert cw.decide.policy()["guardrails"]["change_frequency"] == {"capacity": 4, "refill_ms": 900000}


def test_dry_run_sends_nothing():
    market = cw.platform.SimMarket()
    engine = _engine(market, dry_run=True)
    d = engine.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
    assert engine.execute(d["id"])["outcome"] == "dry_run"
    assert market.applied == [] and engine.decision(d["id"])["status"] == "dry_run"


def test_readme_python_decide(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the example's decisions.db lands here
    # START: readme-python-decide
    import channelwise as cw

    market = cw.platform.SimMarket({"seed": 7})  # or your own adapter: see cw.decide.Adapter
    engine = cw.decide.Engine(
        "decisions.db",  # SQLite, or "postgresql://..." for engines sharing one store
        adapters=market,
        auto_approve="low",  # low-risk decisions run alone, the rest wait for a person
        guardrails={"account_daily_cap": 300, "campaign_daily_cap": {"social": 180}},
    )
    engine.observe("social")  # the account cap sums the campaigns the engine knows
    small = engine.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9,
                           reasons=["search's marginal ROAS is 2.1"])
    engine.execute(small["id"])  # approved by the policy: sent with its idempotency key, read back
    big = engine.propose(kind="budget", entity="social", from_=150, to=200, confidence=0.8)
    engine.approve(big["id"], approver="ana")  # a 33% move waits for a named person
    print(engine.execute(big["id"])["reason"])  # social daily budget would be 200.00, above its cap of 180.00
    engine.rollback(small["id"], by="ana")  # search is back at 100 a day
    print(engine.decisions()[["id", "entity", "from", "to", "risk", "status"]])
    print(engine.verify())  # the hash-chained audit log: {'entries': ..., 'head_hash': ...}
    # END: readme-python-decide
    assert engine.decision(big["id"])["status"] == "blocked"
    assert list(engine.decisions()["status"]) == ["rolled_back", "blocked"]
    assert market.read_entity("search")["daily_budget"] == 100.0
    assert engine.verify()["entries"] == len(engine.audit())


def test_the_module_examples_run():
    import doctest

    r = doctest.testmod(cw.decide, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert r.attempted >= 15 and r.failed == 0


def test_the_rule_functions_refuse_unknown_keys():
    with pytest.raises(cw.InvalidParameterError, match=r"risk.low_chang"):
        cw.decide.risk(kind="budget", entity="s", from_=1, to=2, rule={"low_chang": 0.1})
    with pytest.raises(cw.InvalidParameterError, match="step"):
        cw.decide.check_guardrails({"entity": "s", "kind": "budget", "current": 1, "target": 2, "exposure": {}})
    # a budget step without its own exposure is at its current budget: a decrease passes a cap
    # it is still above, an increase past the cap is blocked
    down = {"entity": "s", "kind": "budget", "current": 200, "target": 170}
    assert cw.decide.check_guardrails(down, default_campaign_daily_cap=150) == {"verdict": "pass"}
    up = cw.decide.check_guardrails({**down, "target": 210}, default_campaign_daily_cap=150)
    assert up["guardrail"] == "campaign_daily_cap"
    assert cw.decide.auto_approves("high", auto_approve="high") is True
    with pytest.raises(cw.InvalidParameterError, match="level"):
        cw.decide.auto_approves("extreme")


def test_threads_share_one_engine_one_call_at_a_time():
    import threading
    import time

    class Slow(FakePlatform):
        def read_entity(self, entity):
            time.sleep(0.01)  # releases the GIL inside an engine call
            return super().read_entity(entity)

    fake = Slow()
    fake.lose_next_ack = False
    engine = _engine(fake)
    errors = []

    def work(entity, base):
        try:
            for k in range(3):
                d = engine.propose(kind="budget", entity=entity, from_=base + k, to=base + k + 1, confidence=0.9)
                engine.execute(d["id"])
        except Exception as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=work, args=("search", 100)), threading.Thread(target=work, args=("social", 150))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and len(engine.decisions()) == 6
    assert len(fake.keys) == 6 and engine.verify()["entries"] == len(engine.audit())


def test_the_performance_guard_reads_metrics_through_a_python_adapter():
    fake = FakePlatform()  # search spent 100 on 2026-01-04 for no value (read_metrics gives a DataFrame)
    fake.lose_next_ack = False
    engine = _engine(fake, guardrails={"performance": {"min_roas": 2.0, "min_spend": 50}})
    engine.observe("search")
    engine.observe("social")
    paused = engine.check_performance()
    assert [(d["entity"], d["to"], d["approver"]) for d in paused] == [("search", "paused", "guardrail:performance")]
    assert "ROAS 0.00 below 2.00" in paused[0]["reasons"][0]
    assert engine.execute(paused[0]["id"])["outcome"] == "executed"
    assert fake.entities["search"]["status"] == "paused"


def _pg_url(tag):
    """The store url of a schema of its own in the server CW_PG_URL names (scripts/postgres.sh
    starts one); skipped without it, failed with CW_REQUIRE_PG=1, as the core's suite does."""
    url = os.environ.get("CW_PG_URL")
    if not url:
        if os.environ.get("CW_REQUIRE_PG") == "1":
            pytest.fail("CW_REQUIRE_PG=1 but CW_PG_URL is not set")
        pytest.skip("CW_PG_URL not set: the PostgreSQL store is not tested (scripts/postgres.sh starts a server)")
    return f"{url}{'&' if '?' in url else '?'}schema=py_{os.getpid()}_{tag}"


def test_the_flow_on_postgresql_shared_by_two_engines():
    url = _pg_url("flow")
    market = cw.platform.SimMarket({"seed": 3})
    engine = _flow(cw.decide.Engine(url, adapters=market, guardrails={"account_daily_cap": 300}),
                   lambda e: market.read_entity(e)["daily_budget"])
    waiting = engine.propose(kind="budget", entity="social", from_=145, to=200, confidence=0.9)
    other = cw.decide.Engine(url, adapters=market, guardrails={"account_daily_cap": 300})
    assert list(other.pending()["id"]) == [waiting["id"]]
    assert other.stop("ana", reason="checking") == [waiting["id"]]
    with pytest.raises(cw.InvalidParameterError, match="emergency stop by ana"):
        engine.propose(kind="budget", entity="search", from_=100, to=101, confidence=0.9)
    other.resume("bo")
    assert engine.verify()["entries"] == len(other.audit())


# -- async adapters (the ..._async methods) ---------------------------------------------------

class AsyncPlatform(FakePlatform):
    """FakePlatform with async methods, each awaiting the loop first (as an HTTP client would),
    counting how often the loop ran something else meanwhile."""

    def __init__(self, delay=0.0):
        super().__init__()
        self.delay = delay
        self.threads = set()

    async def apply_changes(self, changes):
        self.threads.add(threading.get_ident())
        await asyncio.sleep(self.delay)
        return FakePlatform.apply_changes(self, changes)

    async def read_entity(self, entity):
        await asyncio.sleep(0)
        return FakePlatform.read_entity(self, entity)

    async def read_metrics(self, query):
        await asyncio.sleep(0)
        return FakePlatform.read_metrics(self, query)

    async def now_ms(self):
        return self.clock

    async def sleep_until(self, at_ms):
        await asyncio.sleep(0)
        self.clock = max(self.clock, at_ms)


def test_an_async_adapter_runs_on_the_callers_event_loop():
    fake = AsyncPlatform(delay=0.05)
    engine = _engine(fake, guardrails={"account_daily_cap": 300})

    async def flow():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        t = asyncio.create_task(ticker())
        await engine.observe_async("social")
        small = await engine.propose_async(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
        assert small["status"] == "approved"
        # the first answer is lost (a timeout after applying), the resend finds the key applied
        assert await engine.execute_async(small["id"]) == {"decision": small["id"], "outcome": "executed", "verified": True}
        cut = await engine.propose_async(kind="budget", entity="social", from_=150, to=145, confidence=0.95)
        assert await engine.run_due_async() == [{"decision": cut["id"], "outcome": "executed", "verified": True}]
        back = await engine.rollback_async(small["id"], by="ana")
        assert back == {"decision": small["id"], "outcome": "rolled_back", "verified": True}
        assert await engine.rollback_since_async(0, by="ana") == [{"decision": cut["id"], "outcome": "rolled_back", "verified": True}]
        assert await engine.check_performance_async() == []
        t.cancel()
        return ticks

    ticks = asyncio.run(flow())
    assert ticks >= 10  # the loop kept running while the adapter's calls were awaited (4 x 50 ms)
    assert fake.threads == {threading.main_thread().ident}  # the coroutines ran on the loop's thread
    assert _local(engine, fake.keys) == ["d1/s1", "d2/s1", "d1/rollback", "d2/rollback"]
    assert fake.entities["search"]["daily_budget"] == 100.0 and fake.entities["social"]["daily_budget"] == 150.0
    assert engine.verify()["entries"] > 5


def test_the_plain_methods_refuse_an_async_adapter_naming_the_method():
    fake = AsyncPlatform()
    engine = _engine(fake)
    with pytest.raises(TypeError, match=r"adapter.read_entity\(\) returned an awaitable: .*_async"):
        engine.observe("search")
    with pytest.raises(TypeError, match=r"adapter.read_entity\(\) returned an awaitable"):
        engine.propose(kind="budget", entity="search", from_=100, to=104, confidence=0.9)
    d = asyncio.run(engine.propose_async(kind="budget", entity="search", from_=100, to=104, confidence=0.9))
    assert d["status"] == "approved"
    with pytest.raises(TypeError, match=r"adapter.now_ms\(\) returned an awaitable"):
        engine.execute(d["id"])
    assert fake.calls == 0  # nothing was sent (the broken call leaves the decision in doubt, as any)


def test_an_async_adapter_failure_is_a_vendor_failure():
    class Refusing(AsyncPlatform):
        async def apply_changes(self, changes):
            await asyncio.sleep(0)
            raise cw.platform.PlatformCallError({"kind": "http", "status": 400})

    engine = _engine(Refusing())

    async def go():
        d = await engine.propose_async(kind="budget", entity="search", from_=100, to=104, confidence=0.9)
        return await engine.execute_async(d["id"])

    assert asyncio.run(go()) == {"decision": 1, "outcome": "failed", "error": "HTTP 400"}


def test_an_async_adapter_must_not_call_back_into_its_engine():
    class Plain(AsyncPlatform):
        engine = None

        async def read_entity(self, entity):
            self.engine.pending()
            return FakePlatform.read_entity(self, entity)

    class Awaiting(AsyncPlatform):
        engine = None

        async def read_entity(self, entity):
            await self.engine.observe_async("social")
            return FakePlatform.read_entity(self, entity)

    for cls in (Plain, Awaiting):
        a = cls()
        engine = _engine(a)
        a.engine = engine
        with pytest.raises(RuntimeError, match="call back into the engine"):
            asyncio.run(engine.observe_async("search"))


def test_a_plain_call_on_the_loop_while_an_async_call_is_in_flight_is_refused():
    fake = AsyncPlatform(delay=0.2)
    engine = _engine(fake)

    async def go():
        d = await _small_async(engine, "search", 100)
        call = asyncio.create_task(engine.execute_async(d["id"]))
        await asyncio.sleep(0.05)  # the adapter is awaiting now
        with pytest.raises(RuntimeError, match="in flight on this thread's event loop"):
            engine.pending()
        out = await call
        engine.pending()  # fine again
        return out

    assert asyncio.run(go())["outcome"] == "executed"


def _small_async(engine, entity, base):
    """A small budget step, proposed through the async path (approved by the policy)."""
    return engine.propose_async(kind="budget", entity=entity, from_=base, to=base + 4, confidence=0.9, spend_at_stake=10)


def test_a_cancelled_async_call_still_records_what_it_did():
    fake = AsyncPlatform(delay=0.2)
    fake.lose_next_ack = False
    engine = _engine(fake)

    async def go():
        d = await _small_async(engine, "search", 100)
        call = asyncio.create_task(engine.execute_async(d["id"]))
        await asyncio.sleep(0.05)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        # the engine work goes on; wait for it through another call, which waits its turn
        await engine.observe_async("social")
        return d["id"]

    i = asyncio.run(go())
    assert engine.decision(i)["status"] == "executed"
    assert _local(engine, fake.keys) == ["d1/s1"] and fake.entities["search"]["daily_budget"] == 104.0


def test_async_calls_on_one_engine_take_turns():
    fake = AsyncPlatform(delay=0.01)
    fake.lose_next_ack = False
    engine = _engine(fake)

    async def go():
        a, b = await _small_async(engine, "search", 100), await _small_async(engine, "social", 150)
        return await asyncio.gather(engine.execute_async(a["id"]), engine.execute_async(b["id"]))

    outs = asyncio.run(go())
    assert [o["outcome"] for o in outs] == ["executed", "executed"]
    assert sorted(_local(engine, fake.keys)) == ["d1/s1", "d2/s1"]
