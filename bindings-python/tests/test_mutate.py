"""Bad input found by mutation (mutate.py): every call of the shared vectors, made again with one
value replaced, must return or raise a typed error (see mutate.py for what counts)."""

from __future__ import annotations

import faulthandler
import types

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
