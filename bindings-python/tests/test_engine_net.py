"""A net over ``cw.decide.Engine``, which the mutation net (``mutate.py``) leaves out for its store
and adapter calls: the Python twin of ``bindings-node/test/engine_net.test.mjs``.

Seeded random sequences of every Engine method, with sensible arguments and now and then a
hostile one (NaN, 1e300, 2**64, an object, bytes, a lambda, 5000 characters, an unknown key), on
the simulated market directly and through a Python adapter that now and then answers wrongly (a
hostile value, a list cut short or doubled, a raise), and through the ``..._async`` calls with
an adapter of coroutines. Every call must return, or raise a
``ChannelwiseError`` that is not ``InternalError``, or a ``TypeError`` / ``ValueError`` naming the
argument (``by: expected a str, got ...``) or the call's arity; the audit chain must verify at
the end. It found ids of ``-1`` or ``2**64`` reaching pyo3's bare ``OverflowError`` and ``1.7``
read as decision 1 (CHANGELOG 2026-12-06).
"""

from __future__ import annotations

import asyncio
import math
import random
import re

import pytest

import channelwise as cw

HOSTILE = [math.nan, math.inf, -math.inf, -1, -0.0, 1e300, 2**53, 2**63, 2**64, 0.5, 1e-300, "", "x" * 5000,
           None, {}, [], True, "2026-13-45", "\0", "search", "💥", object(), lambda: 1, b"bytes", (1, 2)]
# a TypeError / ValueError is typed when it names its place (`by: expected a str, got int 3`,
# `adapter.apply_changes() must return a list of results, ...`) or is Python's own for a call
# that does not fit
NAMED = re.compile(r"^[^\s:]+(: | must )|positional argument|unexpected keyword")
STATES = {"propose": 18, "approve": 9, "execute": 9, "record_outcome": 9, "run_due": 6, "rollback": 2,
          "resume": 6, "days_pass": 6, "stop": 1}


async def life(seed: int, rate: float, with_adapter: bool, use_async: bool = False):
    """One seed's life of an engine: what went wrong, and which calls returned how often. With
    ``use_async``, the ``..._async`` twin of a call is awaited where there is one, and the adapter's
    methods are coroutines (answering wrongly now and then, or raising)."""
    r = random.Random(seed)

    def maybe(good):
        return r.choice(HOSTILE) if r.random() < rate else good

    def num(lo, hi):
        return maybe(lo + r.random() * (hi - lo))

    def person():
        return maybe(r.choice(["ana", "bo", "cy"]))

    ids, status = [], {}

    def did(*wanted):
        # mostly a decision in the state the call needs (as last seen), else any id or a made-up one
        fit = [k for k, s in status.items() if s in wanted]
        if fit and r.random() < 0.85:
            return maybe(r.choice(fit))
        return maybe(r.choice(ids) if ids and r.random() < 0.8 else r.randrange(50))

    def proposal():
        kind = maybe(r.choice(["budget", "bid", "status", "budget"]))

        def value():
            return maybe(r.choice(["active", "paused"])) if kind == "status" else num(0, 400)

        p = dict(kind=kind, entity=maybe(r.choice(["search", "social", "search", "social", "display"])),
                 from_=value(), to=value(), confidence=num(0, 1))
        if r.random() < 0.3:
            p["impact"] = maybe({"metric": maybe("conversions/day"), "mean": num(-100, 100), "lo": num(-200, -100),
                                 "hi": num(100, 200)})
        if r.random() < 0.3:
            p["reasons"] = maybe([maybe("because"), maybe("again")])
        if r.random() < 0.2:
            p["ttl_ms"] = maybe(int(r.random() * 1e9))
        if r.random() < 0.1:
            p[r.choice(["extra", "Kind"])] = 1
        return r.choice(HOSTILE) if r.random() < 0.03 else p

    market = cw.platform.SimMarket({"seed": seed})

    class Spoiling:
        """The market, answering wrongly now and then."""

        def _now_and_then(self, v):
            if r.random() >= 0.2:
                return v
            k = r.random()
            if k < 0.3:
                return r.choice(HOSTILE)
            if k < 0.5 and isinstance(v, list):
                return v[1:] if r.random() < 0.5 else v + v
            if k < 0.7:
                raise RuntimeError("adapter broke")
            return v

        def apply_changes(self, changes):
            return self._now_and_then(market.apply_changes(changes))

        def read_entity(self, e):
            return self._now_and_then(market.read_entity(e))

        def read_metrics(self, q):
            return self._now_and_then(market.read_metrics(q))

        def now_ms(self):
            return self._now_and_then(market.now_ms)

        def sleep_until(self, at_ms):
            pass

    class AsyncSpoiling(Spoiling):
        """The same, as coroutines (an adapter written with an async HTTP client)."""

        async def apply_changes(self, changes):
            await asyncio.sleep(0)
            return Spoiling.apply_changes(self, changes)

        async def read_entity(self, e):
            await asyncio.sleep(0)
            return Spoiling.read_entity(self, e)

        async def read_metrics(self, q):
            await asyncio.sleep(0)
            return Spoiling.read_metrics(self, q)

    adapter = (AsyncSpoiling() if use_async else Spoiling()) if with_adapter else market
    eng = cw.decide.Engine(":memory:", adapters=adapter)
    calls = {
        "propose": lambda: ([proposal()], {}),
        "approve": lambda: ([did("pending"), person()], {}),
        "reject": lambda: ([did("pending"), person(), maybe("no")], {}),
        "execute": lambda: ([did("approved")], {}),
        "run_due": lambda: ([], {}),
        "stop": lambda: ([person(), maybe("why")], {}),
        "resume": lambda: ([person()], {}),
        "rollback": lambda: ([did("executed", "executing"), person()], {}),
        "rollback_since": lambda: ([maybe(int(r.random() * 2e12)), person()], {}),
        "record_outcome": lambda: ([did("executed"), num(-100, 100)],
                                   {"method": maybe(r.choice(["holdout", "pre-post"])), "by": person()}),
        "calibration": lambda: ([], {}),
        "flag_anomaly": lambda: ([maybe(r.choice(["2026-12-06", "2026-12-05"])), person(), maybe("spike")], {}),
        "check_performance": lambda: ([], {}),
        "observe": lambda: ([maybe(r.choice(["search", "social"]))], {}),
        "decision": lambda: ([did()], {}),
        "pending": lambda: ([], {}),
        "decisions": lambda: ([], {}),
        "audit": lambda: ([], {}),
        # not the engine's: days pass on the market, so measurement windows end
        "days_pass": lambda: ([1 + r.randrange(8)], {}),
    }
    names = [c for c in calls for _ in range(STATES.get(c, 3))]
    failures, returned = [], {}
    for step in range(300):
        name = r.choice(names)
        args, kwargs = calls[name]()
        if r.random() < 0.05:
            args.append(r.choice(HOSTILE))
        try:
            twin = getattr(eng, f"{name}_async", None) if use_async else None
            if name == "days_pass":
                out = market.run_days(*args)
            elif twin is not None:
                out = await twin(*args, **kwargs)
            else:
                out = getattr(eng, name)(*args, **kwargs)
        except cw.InternalError as e:
            failures.append(f"seed {seed} step {step} {name}{tuple(args)!r:.200}: InternalError {e}")
            continue
        except cw.ChannelwiseError:
            continue
        except (TypeError, ValueError) as e:
            if not NAMED.search(str(e)):
                failures.append(f"seed {seed} step {step} {name}{tuple(args)!r:.200}: {type(e).__name__} {e}")
            continue
        except RuntimeError as e:
            # the adapter's own exception from its clock passes through as is (a vendor
            # call's is a failed result for the engine); any other RuntimeError is the net's
            if str(e) != "adapter broke" or not with_adapter:
                failures.append(f"seed {seed} step {step} {name}{tuple(args)!r:.200}: {type(e).__name__} {e}")
            continue
        except Exception as e:  # noqa: BLE001 - anything else (a panic included) is what the net is for
            failures.append(f"seed {seed} step {step} {name}{tuple(args)!r:.200}: {type(e).__name__} {e}")
            continue
        returned[name] = returned.get(name, 0) + 1
        # the decisions it touched, and their state now (execute answers with an outcome)
        touched = [d.get("id") for d in (out if isinstance(out, list) else [out]) if isinstance(d, dict)]
        if args and args[0] in ids:
            touched.append(args[0])
        for k in touched:
            if isinstance(k, int) and not isinstance(k, bool):
                if k not in ids:
                    ids.append(k)
                status[k] = eng.decision(k)["status"]
    try:
        eng.verify()
    except Exception as e:  # noqa: BLE001
        failures.append(f"seed {seed} verify: {type(e).__name__} {e}")
    return failures, returned


@pytest.mark.parametrize("rate, with_adapter, use_async", [(0.06, False, False), (0.03, True, False), (0.03, True, True)],
                         ids=["market", "spoiling-adapter", "async-spoiling-adapter"])
def test_engine_net(rate, with_adapter, use_async):
    returned = {}
    for seed in range(1, 25):
        failures, got = asyncio.run(life(seed, rate, with_adapter, use_async))
        assert failures == []
        for k, n in got.items():
            returned[k] = returned.get(k, 0) + n
    # the net reached the engine's work, not only its argument checks (with an async adapter,
    # the synchronous calls that ask it, approve among them, refuse by design)
    reached = ("propose", "execute", "rollback", "observe") if use_async else (
        "propose", "approve", "execute", "rollback", "record_outcome", "observe")
    for call in reached:
        assert returned.get(call, 0) > 0, f"no {call} returned: {returned}"
