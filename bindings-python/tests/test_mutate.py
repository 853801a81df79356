"""Bad input found by mutation (mutate.py): every call of the shared vectors, made again with one
value replaced, must return or raise a typed error (see mutate.py for what counts)."""

from __future__ import annotations

import datetime as dt
import faulthandler
import types

import numpy as np
import pandas as pd
import pytest

import channelwise as cw
import test_vectors as tv
from mutate import NetError, mutating


@pytest.fixture(scope="module")
def net():
    with mutating(cw, seed=1) as n:
        yield n


@pytest.fixture(autouse=True)
def no_hang():
    """A mutated call that runs for good fails the run (with every thread's stack) instead of
    holding CI until its limit; the slowest vector takes a few seconds."""
    faulthandler.dump_traceback_later(300, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("path, kind", list(tv._cases()))
def test_vector_mutated(net, path, kind):
    tv.test_vector(path, kind)


BANDITS = [("thompson", {}), ("gaussian_thompson", {}), ("top_two_thompson", {}), ("ucb1", {}),
           ("epsilon_greedy", {}), ("softmax", {}), ("lin_ucb", {"dim": 2}), ("lin_thompson", {"dim": 2})]


@pytest.mark.parametrize("policy, params", BANDITS, ids=[p for p, _ in BANDITS])
def test_bandit_session_mutated(net, policy, params):
    """A bandit's life, every call also made mutated on a fork of it (mutate.FORK)."""
    b = cw.experiment.Bandit(policy, arms=["a", "b"], seed=3, **params)
    ctx = [1.0, 0.5] if "dim" in params else None
    rng = np.random.default_rng(0)
    for _ in range(12):
        b.update(b.choose(ctx), float(rng.random() < 0.5), ctx)
    b.add_arm("c")
    b.update_batch(["a", "c"], [1.0, 0.0], None if ctx is None else [ctx, ctx])
    table = {"arm": ["b", "c"], "reward": [1.0, 0.0]}
    if ctx is not None:
        table["context"] = [ctx, ctx]
    b.update_batch(pd.DataFrame(table))
    assert abs(b.weights(ctx, draws=200)["weight"].sum() - 1) < 1e-9
    assert b.choose(ctx, available=["a", "c"]) in ("a", "c")
    b.remove_arm("b")
    assert len(b.summary()) == 2
    back = cw.experiment.Bandit.from_json(b.to_json())
    assert back.choose(ctx) == b.choose(ctx)


def test_sim_market_session_mutated(net):
    """A simulated market's life, every call also made mutated on a fork of it."""
    m = cw.platform.SimMarket({"seed": 5})
    m.run_days(7)
    m.advance(3_600_000)
    m.step_day()
    start, end = m.today - dt.timedelta(days=8), m.today - dt.timedelta(days=1)
    assert len(m.read_metrics(start, end)) == 2 * 8
    assert len(m.true_metrics(str(start), str(end), entities=["search"], level="campaign")) == 8
    out = m.apply_changes([{"key": "k1", "entity": "search", "action": {"kind": "budget", "daily": 120.0}},
                           {"key": "k2", "entity": "social", "action": {"kind": "status", "status": "paused"}}])
    assert [r["outcome"]["status"] for r in out] == ["applied", "applied"]
    assert m.read_entity("search")["daily_budget"] == 120.0
    fork = m.copy()
    fork.run_days(2)
    assert fork.today == m.today + dt.timedelta(days=2)


def test_the_net_catches_an_untyped_error():
    """A function that fails with a KeyError on a non-finite number fails the net, named; one
    that raises a typed error passes."""
    def strict(x):
        if not isinstance(x, dict) or not isinstance(x.get("n"), int) or x["n"] > 10:
            return {}["n"]
        return x["n"]

    def typed(x):
        if not isinstance(x, dict) or not isinstance(x.get("n"), int) or x["n"] > 10:
            raise cw.OutOfRangeError("n must be a small whole number")
        return x["n"]

    fake = types.ModuleType("fakecw")
    fake.ERROR_CODES = cw.ERROR_CODES
    inner = types.ModuleType("fakecw.ns")
    strict.__module__ = typed.__module__ = "fakecw.ns"
    inner.strict, inner.typed = strict, typed
    fake.ns = inner
    with mutating(fake, seed=3, per_call=20):
        assert fake.ns.typed({"n": 2}) == 2
        with pytest.raises(NetError, match=r"^ns\.strict with .+ raised KeyError: 'n'"):
            fake.ns.strict({"n": 2})
    assert fake.ns.strict is strict
