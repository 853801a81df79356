"""Decisions: guarded, audited, reversible actions on the ad platforms (the core's ``decide``).

:class:`Engine` proposes decisions, approves the low-risk ones by its policy, waits for a named
person on the rest, checks the guardrails before every execution and again against the
platform's read-back, executes through an adapter with an idempotency key per stage, rolls back,
stops on one call, and writes every step to a hash-chained audit log in a real database.

>>> import channelwise as cw
>>> market = cw.platform.SimMarket()        # search at 100 a day, social at 150
>>> engine = cw.decide.Engine(":memory:", adapters=market, guardrails={"account_daily_cap": 300})
>>> engine.observe("social")["daily_budget"]  # the account cap sums the entities it knows
150.0
>>> d = engine.propose(kind="budget", entity="search", from_=100, to=110, confidence=0.9)
>>> d["status"], d["risk"], d["approver"]
('approved', 'low', 'policy')
>>> engine.execute(d["id"])
{'decision': 1, 'outcome': 'executed', 'verified': True}
>>> big = engine.propose(kind="budget", entity="search", from_=110, to=160, confidence=0.9)
>>> big["status"]
'pending'
>>> _ = engine.approve(big["id"], "ana")
>>> engine.execute(big["id"])["reason"]
'account daily budget would be 310.00, above the cap of 300.00'
>>> engine.rollback(d["id"], by="ana")["outcome"]
'rolled_back'
>>> engine.verify()["entries"] > 5
True

**Store.** ``store=`` is a SQLite file path (created if missing; WAL mode, ``synchronous=FULL``),
``":memory:"`` (gone with the engine), or a ``postgresql://`` url for several engine processes
sharing one store (``?schema=name`` picks the PostgreSQL schema, default ``channelwise``;
``sslmode`` and ``sslrootcert`` as libpq's: ``?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem``
checks the server's certificate and name, ``require`` only encrypts; a password in the url never
shows in an error).
Everything the engine needs is in the store: a second :class:`Engine` on the same file carries
on where the first stopped. A file that is not a channelwise store, or one written by a newer
channelwise, raises :class:`channelwise.InvalidParameterError` naming ``store``.

**Policy** (``policy=`` a dict, or the same keys as keyword arguments, which win): the core's
``Policy`` document. Every key is optional; an unknown key at any level raises
:class:`channelwise.InvalidParameterError` naming it (``policy.guardrails.acount_daily_cap``), a
wrong value names its field. Durations are milliseconds (``*_ms``) or ``datetime.timedelta``;
days are ``"YYYY-MM-DD"`` or ``datetime.date``.

=============== ============================ =====================================================
Key             Default                      Meaning
=============== ============================ =====================================================
``risk``        see below                    change, spend and confidence to a risk level
``auto_approve`` ``"low"``                   highest risk approved without a person
                                             (``"low"``, ``"medium"``, ``"high"``, ``None``: all wait)
``ttl_ms``      86 400 000 (24 h)            how long a decision may wait before it expires
``dry_run``     ``False``                    record would-be changes, send nothing
``stage_above`` 0.5                          relative money change above which it is staged
``first_stage`` 0.25                         share of the change in the first stage, in (0, 1)
``stage_wait_ms`` 3 600 000 (1 h)            least time between stages
``verify_reads`` 3                           read-backs tried to verify a change
``guardrails``  see below                    caps and gates checked before every execution
``retry``       ``{"backoff": {"base_ms": 1000, "cap_ms": 60000, "max_attempts": 6},
                "budget": {"max_tokens": 10, "token_ratio": 0.1}, "classifier":
                {"throttle_wait_ms", "http_429_wait_ms", "google_temporary_wait_ms",
                "quota_reset_offset_minutes"}}``: retries of platform calls
``feedback``    ``{"window_ms": 7 days, "prior_weight": 5, "min_outcomes": 3}``: outcomes and
                the shrinkage of later expected impacts
=============== ============================ =====================================================

``risk``: ``low_change`` (0.2), ``high_change`` (0.5), ``low_spend`` (500), ``high_spend``
(5000), ``low_confidence`` (0.8), ``high_confidence`` (0.5), ``min_base`` (1). A decision is
high risk when its relative change is above ``high_change``, its daily spend at stake above
``high_spend`` or its confidence below ``high_confidence``; low when all three are within the
``low_`` bounds; medium otherwise. A status, targeting or creative change is a change of 1;
without ``spend_at_stake`` its spend counts as unknown (high).

``guardrails``: ``campaign_daily_cap`` (``{entity: cap}``), ``default_campaign_daily_cap``,
``account_daily_cap``, ``campaign_lifetime_cap`` (``{entity: cap}``), ``account_lifetime_cap``,
``lifetime_from`` (first day of lifetime spend; required with a lifetime cap),
``max_step_change`` (1.0), ``max_window_change`` (2.0), ``window_ms`` (1 day),
``change_frequency`` (``{"capacity": 4, "refill_ms": 900000}``, Meta's budget limit; ``None``
for none), ``performance`` (``{"min_roas", "max_cpa", "min_spend": 500, "min_conversions": 0,
"lookback_days": 7}`` or ``None``), ``anomaly_gate`` (``True``).

**Proposals** (:meth:`Engine.propose`: a dict, keyword arguments, or a DataFrame row; many at once
with :meth:`Engine.propose_many` from a DataFrame, a list of dicts or
``cw.optimize.recommend(...)``, whose ``target``, ``impact``, ``impact_lo``, ``impact_hi`` and
``reason`` columns are read as ``entity``, the impact and a reason; ``clipped`` is ignored):

================== =========================================================================
Key                Meaning
================== =========================================================================
``kind``           ``"budget"``, ``"bid"``, ``"status"``, ``"targeting"`` or ``"creative"``
``entity``         the campaign or ad set (``target`` is read as ``entity``)
``from``, ``to``   money for a budget (>= 0) or a bid (> 0); ``"active"`` / ``"paused"`` for a
                   status; an id for targeting and creative (``from_=`` as a keyword argument)
``confidence``     in [0, 1]; default 0.5
``impact``         expected change, a number (with ``impact_lo``, ``impact_hi``, ``metric``)
                   or ``{"metric", "mean", "lo", "hi"}``; default 0 in ``"conversions/day"``
``reasons``        the sentences of the producing module (a list, or one string);
                   ``reason`` appends one
``spend_at_stake`` daily spend at stake, if known better than the rule's default
``ttl_ms``         time to live (``ttl``: a timedelta); default the policy's
================== =========================================================================

**What comes back.** Records of the store are DataFrames (:meth:`Engine.decisions`,
:meth:`Engine.pending`, :meth:`Engine.audit`, :meth:`Engine.calibration`; pandas, or polars with
``backend="polars"``; :meth:`Engine.propose_many` answers in the input's library). One decision
is a dict with the same keys as a row of those frames (``id``, ``kind``, ``entity``, ``from``,
``to``, ``status``, ``risk``, ``relative_change``, ``spend_at_stake``, ``confidence``,
``metric``, ``impact``, ``impact_lo``, ``impact_hi``, ``adjusted_impact``, ``reasons``,
``approver``, ``note``, ``created_ms``, ``expires_ms``, ``stages``, ``stages_done``,
``last_stage_ms``, ``prior``, ``verified``, ``actual``). What a call did is a dict
(:meth:`Engine.execute`, :meth:`Engine.rollback`: ``{"decision", "outcome", ...}`` with
``outcome`` one of ``executed``, ``staged``, ``dry_run``, ``blocked``, ``deferred``,
``expired``, ``failed``, ``in_doubt``, ``unchanged``, ``rolled_back`` and its fields), or a
list of them (:meth:`Engine.run_due`, :meth:`Engine.rollback_since`). Times are ms since the
epoch on the adapter's clock.

**Adapters.** ``adapters=`` is a :class:`channelwise.platform.SimMarket` (used natively, no
Python call), or any object with the methods of :class:`Adapter` (subclass it, or just write
the methods). The engine calls it under the GIL; one engine call at a time (another thread
waits), and an adapter must not call back into the engine that calls it.

**Async adapters.** An adapter's methods may be ``async def`` (an ``httpx.AsyncClient`` or
``aiohttp`` client): await the ``..._async`` form of the methods that reach the platform,
:meth:`Engine.observe_async`, :meth:`Engine.propose_async`, :meth:`Engine.execute_async`,
:meth:`Engine.run_due_async`, :meth:`Engine.rollback_async`, :meth:`Engine.rollback_since_async`
and :meth:`Engine.check_performance_async`. The engine then runs on a worker thread
(``asyncio.to_thread``) and each awaitable an adapter method returns runs on the caller's event
loop, which stays free meanwhile. The plain forms refuse an awaitable with a ``TypeError``
naming the method. While an ``..._async`` call is in flight, a plain call from the thread of
its event loop raises ``RuntimeError`` (it would block the loop that the adapter needs); a call
that is cancelled still finishes its engine work, as a half-sent change must be recorded.

An exception raised by an adapter method is a **vendor failure**, classified by the policy's
``retry.classifier`` as the native adapters' are: one with an ``.error`` dict in the core's
``PlatformError`` shape (:class:`channelwise.platform.PlatformCallError` has one:
``{"kind": "http", "status": 400}``, ``{"kind": "meta", "code": 17, "message": ...}``,
``{"kind": "timeout"}``, ...) is that error; a ``KeyError`` from ``read_entity`` is an unknown
entity (HTTP 404, not retried); any other is a transport failure
``{"kind": "transport", "message": "<Type>: <message>"}``, retried with the same idempotency
key. A refusal the vendor answered (an HTTP 4xx, a Meta or Google Ads error the classifier gives
up on) applied nothing, so the decision is ``failed``; after a failure that may have been applied
(a timeout, a 5xx, a transport failure) and its retries, the decision stays ``executing`` with
its key in doubt (resent by the next :meth:`Engine.execute`; a refused resend is settled by
reading the entity back). The message is in the audit log (``in_doubt``, ``failed``) and, when
the engine raises because of it, the exception is the raised error's ``__cause__``. A
``NotImplementedError``, a ``KeyboardInterrupt`` or a return value of the wrong shape is not a
vendor failure: the adapter is not called again in that call, its change stays in doubt (the
adapter may have acted), and the error (a ``TypeError`` or ``ValueError`` naming the method and
the field) is raised once the engine has recorded what it knows.

**Rules without an engine** (no store, no platform; what the engine applies, and what the shared
vectors check in every stack): :func:`risk` of a proposal under a risk rule, :func:`stages` of a
change, :func:`auto_approves`, :func:`check_guardrails` on one step, and :func:`policy` (the
policy with its defaults, checked). :meth:`Engine.plot_calibration` draws expected against
measured impacts once outcomes are recorded.

**Errors** are the core's, typed (:class:`channelwise.InvalidParameterError` for an unknown,
expired or not-pending decision, an empty approver, a refused call while stopped;
:class:`channelwise.OutOfRangeError` for a negative budget; :class:`channelwise.InvalidRecordError`
from :meth:`Engine.verify` naming the first edited, deleted or reordered audit entry;
:class:`channelwise.IoError` when the database or the platform cannot be reached).
"""

from __future__ import annotations

import datetime as _dt
import json
import asyncio
import concurrent.futures
import contextvars
import inspect
import math
import os
import threading
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _channelwise as _cw
from . import _frames
from .platform import SimMarket, _day

__all__ = ["Engine", "Adapter", "policy", "risk", "stages", "auto_approves", "check_guardrails", "DECISION_COLUMNS",
           "AUDIT_COLUMNS", "CALIBRATION_COLUMNS"]

DECISION_COLUMNS = (
    "id", "kind", "entity", "from", "to", "status", "risk", "relative_change", "spend_at_stake", "confidence",
    "metric", "impact", "impact_lo", "impact_hi", "adjusted_impact", "reasons", "approver", "note", "created_ms",
    "expires_ms", "stages", "stages_done", "last_stage_ms", "prior", "verified", "actual",
)
AUDIT_COLUMNS = ("seq", "at_ms", "actor", "action", "decision", "detail", "prev_hash", "hash")
CALIBRATION_COLUMNS = ("kind", "n", "mean_predicted", "mean_actual", "slope", "coverage", "shrink")

_PROPOSAL_KEYS = ("kind", "entity", "target", "from", "to", "confidence", "impact", "impact_lo", "impact_hi", "metric",
                  "reasons", "reason", "spend_at_stake", "ttl_ms", "ttl", "clipped")
_KINDS = ("budget", "bid", "status", "targeting", "creative")


def _invalid(field: str, value: Any, reason: str) -> Exception:
    return _cw.InvalidParameterError(f"invalid {field}: {json.dumps(str(value))} ({reason})")


def _plain(x: Any, role: str) -> Any:
    """Settings as JSON values: timedeltas as ms, dates as ``YYYY-MM-DD``, numpy numbers as
    Python ones, mappings as dicts."""
    if isinstance(x, _dt.timedelta):
        return int(round(x.total_seconds() * 1000))
    if isinstance(x, _dt.datetime):
        return x.date().isoformat()
    if isinstance(x, _dt.date):
        return x.isoformat()
    if isinstance(x, Mapping):
        return {str(k): _plain(v, f"{role}.{k}") for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v, f"{role}[{i}]") for i, v in enumerate(x)]
    if type(x).__module__ == "numpy" and hasattr(x, "tolist"):
        return x.tolist()
    if isinstance(x, float) and not math.isfinite(x):
        raise _cw.NonFiniteError(f"{role} must be finite, got {x}")
    return x


def policy(policy: Optional[Mapping[str, Any]] = None, **keywords: Any) -> Dict[str, Any]:
    """The policy with every default filled in, checked as :class:`Engine` checks it (see the
    module's table): handy to read the defaults or to check a policy before a store exists."""
    return json.loads(_cw.decide_policy(_policy_text(policy, keywords)))


def risk(proposal: Any = None, /, rule: Optional[Mapping[str, Any]] = None, **fields: Any) -> Dict[str, Any]:
    """The risk of a proposal (a dict or keyword arguments, as :meth:`Engine.propose` takes) under
    a risk rule (the policy's ``risk`` keys; default the core's): ``{"level", "change", "spend",
    "confidence"}``, ``spend`` infinite when unknown. No store, no platform.

    >>> risk(kind="budget", entity="search", from_=100, to=300, confidence=0.9)["level"]
    'high'
    """
    doc = _frames.mapping("proposal", {} if proposal is None else proposal)
    doc.update(fields)
    r = json.loads(_cw.decide_risk(_frames.json_text("proposal", _proposal(doc)),
                                   _frames.json_text("risk", _plain(_frames.mapping("rule", {} if rule is None else rule), "risk"))))
    if r.get("spend") is None:
        r["spend"] = math.inf
    return r


def stages(from_: Any, to: Any, policy: Optional[Mapping[str, Any]] = None, **keywords: Any) -> List[Any]:
    """The value after each stage of a change from ``from_`` to ``to`` under the policy: ``[to]``,
    or for a money change above ``stage_above``, ``[from + first_stage (to - from), to]``
    (rounded to cents).

    >>> stages(100, 300)
    [150.0, 300.0]
    """
    vals = [_frames.json_text(role, _plain(x, role)) for role, x in (("from", from_), ("to", to))]
    return json.loads(_cw.decide_stages(_policy_text(policy, keywords), *vals))


def auto_approves(level: str, policy: Optional[Mapping[str, Any]] = None, **keywords: Any) -> bool:
    """Whether the policy approves a decision of risk ``level`` (``"low"``, ``"medium"``,
    ``"high"``) without a person."""
    return _cw.decide_auto_approves(_policy_text(policy, keywords), level)


def check_guardrails(step: Mapping[str, Any], guardrails: Optional[Mapping[str, Any]] = None, **keywords: Any) -> Dict[str, Any]:
    """The guardrails' verdict on one step, as the engine checks it before an execution:
    ``{"verdict": "pass"}``, ``{"verdict": "block", "guardrail", "reason"}`` or
    ``{"verdict": "defer", "guardrail", "reason", "until_ms"}``. ``step`` is ``{"entity",
    "kind", "current", "target"}`` with what the engine would know: ``exposures``
    (``{entity: {"daily_budget", "active"}}``; for a budget step the step's own entity defaults
    to ``{"daily_budget": current, "active": True}``), ``lifetime_spend`` (``{entity: spend}``),
    ``window_start``, ``recent_changes`` (ms of the budget changes sent), ``now_ms``,
    ``anomaly`` and ``performance_breach`` (why, or absent), ``rollback``.

    >>> step = {"entity": "search", "kind": "budget", "current": 100, "target": 180,
    ...         "exposures": {"search": {"daily_budget": 100, "active": True},
    ...                       "social": {"daily_budget": 150, "active": True}}}
    >>> check_guardrails(step, account_daily_cap=300)["reason"]
    'account daily budget would be 330.00, above the cap of 300.00'
    """
    g = _frames.mapping("guardrails", {} if guardrails is None else guardrails)
    g.update(keywords)
    return json.loads(_cw.decide_check(_frames.json_text("guardrails", _plain(g, "guardrails")),
                                       _frames.json_text("step", _plain(_frames.mapping("step", step), "step"))))


def _policy_text(policy: Optional[Mapping[str, Any]], keywords: Mapping[str, Any]) -> str:
    if policy is not None and not isinstance(policy, Mapping):
        raise TypeError(f"policy: expected a dict, got {type(policy).__qualname__}")
    doc = dict(policy or {})
    doc.update(keywords)
    return _frames.json_text("policy", _plain(doc, "policy"))


def _ms(role: str, x: Any) -> int:
    """ms since the epoch (see :func:`_frames.millis`), or a duration in ms (a timedelta)."""
    if isinstance(x, _dt.timedelta):
        return int(round(x.total_seconds() * 1000))
    return _frames.millis(role, x)


def _number(role: str, x: Any) -> float:
    if type(x).__module__ == "numpy" and hasattr(x, "item"):
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{role}: expected a number, got {type(x).__qualname__} {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise _cw.NonFiniteError(f"{role} must be finite, got {x}")
    return x


def _whole(role: str, x: Any) -> int:
    """A decision id or a count: a whole number in [0, 2^63 - 1] (an int, a numpy integer or a
    whole float), never truncated (``1.7`` is not decision 1) nor handed to the engine to
    overflow."""
    if type(x).__module__ == "numpy" and hasattr(x, "item"):
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{role}: expected a whole number, got {type(x).__qualname__} {x!r}")
    if isinstance(x, float) and not math.isfinite(x):
        raise _cw.NonFiniteError(f"{role} must be finite, got {x}")
    if not 0 <= x <= 2**63 - 1:
        raise _cw.OutOfRangeError(f"{role} must be in [0, {2**63 - 1}], got {x}")
    if isinstance(x, float) and not x.is_integer():
        raise _invalid(role, x, "expected a whole number")
    return int(x)


def _text(role: str, x: Any) -> str:
    """A name or a reason: a ``str``."""
    if not isinstance(x, str):
        raise TypeError(f"{role}: expected a str, got {type(x).__qualname__} {x!r}"[:200])
    return x


def _value(role: str, kind: str, x: Any) -> Union[float, str]:
    if kind in ("budget", "bid"):
        if isinstance(x, str):
            raise _invalid(role, x, f"a {kind} is money: expected a number")
        return _number(role, x)
    if not isinstance(x, str):
        expected = "'active' or 'paused'" if kind == "status" else "an id"
        raise _invalid(role, x, f"a {kind} value is text ({expected})")
    return x


def _proposal(fields: Mapping[str, Any], where: str = "proposal") -> Dict[str, Any]:
    """A proposal dict (with the recommendation columns' names accepted) as the core's document."""
    f = dict(fields)
    if "from_" in f:
        if "from" in f:
            raise _invalid(f"{where}.from_", f["from_"], "give from or from_, not both")
        f["from"] = f.pop("from_")
    unknown = [k for k in f if k not in _PROPOSAL_KEYS]
    if unknown:
        raise _invalid(f"{where}.{unknown[0]}", unknown[0], f"unknown key (expected one of {', '.join(_PROPOSAL_KEYS)})")
    if "entity" in f and "target" in f and f["entity"] != f["target"]:
        raise _invalid(f"{where}.target", f["target"], "give entity or target, not two different ones")
    entity = f.get("entity", f.get("target"))
    for k, v in (("kind", f.get("kind")), ("entity", entity), ("from", f.get("from")), ("to", f.get("to"))):
        if v is None:
            raise _invalid(f"{where}.{k}", "none", "required")
    kind = f["kind"]
    if kind not in _KINDS:
        raise _invalid(f"{where}.kind", kind, f"expected one of {', '.join(_KINDS)}")
    if not isinstance(entity, str):
        raise _invalid(f"{where}.entity", entity, "expected a str")
    impact = f.get("impact", 0.0)
    if isinstance(impact, Mapping):
        extra = [k for k in impact if k not in ("metric", "mean", "lo", "hi")]
        if extra:
            raise _invalid(f"{where}.impact.{extra[0]}", extra[0], "unknown key (expected metric, mean, lo, hi)")
        mean = _number(f"{where}.impact.mean", impact.get("mean", 0.0))
        imp = {"metric": str(impact.get("metric", f.get("metric", "conversions/day"))), "mean": mean,
               "lo": _number(f"{where}.impact.lo", impact.get("lo", mean)),
               "hi": _number(f"{where}.impact.hi", impact.get("hi", mean))}
    else:
        mean = _number(f"{where}.impact", impact)
        lo, hi = f.get("impact_lo"), f.get("impact_hi")
        imp = {"metric": str(f.get("metric") or "conversions/day"), "mean": mean,
               "lo": mean if lo is None else _number(f"{where}.impact_lo", lo),
               "hi": mean if hi is None else _number(f"{where}.impact_hi", hi)}
    reasons = f.get("reasons", [])
    if reasons is None:
        reasons = []
    elif isinstance(reasons, str):
        reasons = [reasons]
    elif not isinstance(reasons, (list, tuple)) and not hasattr(reasons, "tolist"):
        raise TypeError(f"{where}.reasons: expected a list of str, got {type(reasons).__qualname__}")
    reasons = [str(r) for r in (reasons.tolist() if hasattr(reasons, "tolist") else reasons)]
    if f.get("reason") is not None:
        reasons.append(str(f["reason"]))
    doc: Dict[str, Any] = {
        "kind": kind, "entity": entity, "from": _value(f"{where}.from", kind, f["from"]),
        "to": _value(f"{where}.to", kind, f["to"]), "impact": imp,
        "confidence": _number(f"{where}.confidence", f.get("confidence", 0.5)), "reasons": reasons,
    }
    if f.get("spend_at_stake") is not None:
        doc["spend_at_stake"] = _number(f"{where}.spend_at_stake", f["spend_at_stake"])
    if f.get("ttl_ms") is not None and f.get("ttl") is not None:
        raise _invalid(f"{where}.ttl", f["ttl"], "give ttl or ttl_ms, not both")
    ttl = f.get("ttl_ms", f.get("ttl"))
    if ttl is not None:
        doc["ttl_ms"] = _ms(f"{where}.ttl_ms", ttl)
    return doc


def _rows(proposals: Any) -> Tuple[List[Dict[str, Any]], str]:
    """Proposal rows of a DataFrame, a Recommendations or a list of dicts; the library to answer in."""
    from .optimize.recommend import Recommendations

    if isinstance(proposals, Recommendations):
        return [dict(r) for r in proposals], _frames.kind_of(proposals.table)
    if isinstance(proposals, (list, tuple)):
        return [dict(r) for r in proposals], _frames.PANDAS
    kind = _frames.kind_of(proposals)
    cols = _frames.to_columns(proposals)
    n = len(next(iter(cols.values()), []))
    rows = [{k: v[i] for k, v in cols.items()} for i in range(n)]
    for r in rows:  # a missing cell in a table is no value
        for k, v in list(r.items()):
            if v is None or (isinstance(v, float) and math.isnan(v) and k not in ("from", "to", "impact", "confidence")):
                del r[k]
    return rows, kind


def _flat(d: Mapping[str, Any]) -> Dict[str, Any]:
    """The core's decision document as one flat dict (a row of :meth:`Engine.decisions`)."""
    p, r = d["proposal"], d["risk"]
    imp = p.get("impact") or {}
    adj, out = d.get("adjusted"), d.get("outcome")
    spend = r.get("spend")
    return {
        "id": d["id"], "kind": p["kind"], "entity": p["entity"], "from": p["from"], "to": p["to"],
        "status": d["status"], "risk": r["level"], "relative_change": r["change"],
        "spend_at_stake": math.inf if spend is None else spend, "confidence": p["confidence"],
        "metric": imp.get("metric"), "impact": imp.get("mean"), "impact_lo": imp.get("lo"), "impact_hi": imp.get("hi"),
        "adjusted_impact": None if adj is None else adj["mean"], "reasons": list(p.get("reasons") or []),
        "approver": d.get("approver"), "note": d.get("note"), "created_ms": d["created_ms"],
        "expires_ms": d["expires_ms"], "stages": list(d["stages"]), "stages_done": d.get("stages_done", 0),
        "last_stage_ms": d.get("last_stage_ms"), "prior": d.get("prior"), "verified": d.get("verified", False),
        "actual": None if out is None else out["actual"],
    }


def _uniform(values: List[Any]) -> List[Any]:
    """A column polars can hold: numbers mixed with text become text (lists item by item)."""
    if any(isinstance(v, (list, tuple)) for v in values):
        flat = [x for v in values if isinstance(v, (list, tuple)) for x in v]
        if any(isinstance(x, str) for x in flat) and any(isinstance(x, (int, float)) for x in flat):
            return [None if v is None else [str(x) for x in v] for v in values]
        return values
    if any(isinstance(v, str) for v in values) and any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return [None if v is None else str(v) for v in values]
    return values


def _frame(rows: List[Mapping[str, Any]], columns: Sequence[str], backend: str) -> Any:
    if backend not in (_frames.PANDAS, _frames.POLARS):
        raise _invalid("backend", backend, "expected 'pandas' or 'polars'")
    cols = {c: [r[c] for r in rows] for c in columns}
    if backend == _frames.POLARS:
        import polars as pl

        return pl.DataFrame({c: _uniform(v) for c, v in cols.items()}, strict=False)
    return _frames.frame(_frames.PANDAS, cols)


def _outcome(decision: int, o: Mapping[str, Any]) -> Dict[str, Any]:
    return {"decision": decision, **o}


class Adapter:
    """Base class of a platform adapter written in Python (subclass it, or write an object with
    the same methods). channelwise decides; the adapter talks to the vendor (sans I/O in the
    core: your own HTTP client goes here).

    An adapter must apply a key at most once: a change whose ``key`` it has seen before is not
    applied again, and answers ``"already_applied"`` with the entity's state (a retry after a
    timeout or a lost answer resends the same key).

    Raise to report a vendor failure (see the module docs): an exception with an ``.error`` dict
    in the ``PlatformError`` shape, e.g. ``cw.platform.PlatformCallError({"kind": "http",
    "status": 503})``, is classified as that error; a ``KeyError`` from :meth:`read_entity`
    means the entity does not exist; any other exception is a transport failure (retried). An
    exception from :meth:`apply_changes` fails the whole call: one whose error the vendor
    answered as a refusal (HTTP 4xx, a Meta or Google Ads error the classifier gives up on)
    fails the decision, and any other may have been applied all the same (a lost answer), so its
    change stays in doubt. A change refused on its own is a ``"failed"`` item.
    """

    def apply_changes(self, changes: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """Apply a batch of changes ``{"key", "entity", "action"}`` with ``action``
        ``{"kind": "budget", "daily": 120.0}``, ``{"kind": "bid", "amount": 1.5}`` or
        ``{"kind": "status", "status": "paused"}``. Return one result per change, in order:
        ``{"key", "entity", "outcome": {"status": "applied" | "already_applied", "state":
        <entity state>}}`` or ``{"outcome": {"status": "failed", "error": <PlatformError>}}``
        (``key`` and ``entity`` default to the change's)."""
        raise NotImplementedError("Adapter.apply_changes")

    def read_entity(self, entity: str) -> Dict[str, Any]:
        """The entity as the platform holds it now: ``{"entity", "daily_budget", "bid" (or
        None), "status": "active" | "paused", "updated_ms"}`` (``entity`` defaults to the one
        asked, ``bid`` to None, ``updated_ms`` to now). Raise ``KeyError`` for an unknown entity."""
        raise NotImplementedError("Adapter.read_entity")

    def read_metrics(self, query: Dict[str, Any]) -> Any:
        """Daily metrics for ``{"level": "campaign" | "ad_set", "entities": [...] (empty: all),
        "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}``: a list of dicts or a DataFrame with
        ``entity``, ``date``, ``spend`` and optionally ``impressions``, ``clicks``,
        ``conversions``, ``value`` (0 when absent), ``currency``. Read by the performance guard
        and the lifetime caps only."""
        raise NotImplementedError("Adapter.read_metrics")

    def now_ms(self) -> int:
        """Now, ms since the epoch (default: the wall clock)."""
        return int(time.time() * 1000)

    def sleep_until(self, at_ms: int) -> None:
        """Wait until ``at_ms`` before a retry (default: ``time.sleep`` on :meth:`now_ms`'s clock)."""
        wait = (at_ms - self.now_ms()) / 1000.0
        if wait > 0:
            time.sleep(wait)


class _Reentrant(RuntimeError):
    """An adapter called back into the engine that is calling it (a bug, not a vendor failure)."""


class _Contract(TypeError):
    """An adapter answered in a way the call cannot use (a bug, not a vendor failure)."""


# The engines (their ids) whose adapter's awaitable runs in this context (its task inherits it
# from the worker thread that scheduled it), so that an async adapter calling back into its
# engine is refused instead of waiting for itself.
_calling: contextvars.ContextVar[frozenset] = contextvars.ContextVar("channelwise_decide_calling", default=frozenset())


async def _awaited(x: Any) -> Any:
    return await x


def _is_number(x: Any) -> bool:
    return not isinstance(x, bool) and (isinstance(x, (int, float)) or (type(x).__module__ == "numpy" and hasattr(x, "item")))


def _is_ms(x: Any) -> bool:
    """Whether an adapter's answer is whole ms in the core's signed 64-bit range (``inf`` and
    ``1e300`` are not: they would overflow in ``int()`` or in pyo3)."""
    if not _is_number(x):
        return False
    v = x.item() if hasattr(x, "item") else x
    if isinstance(v, float) and not (math.isfinite(v) and v.is_integer()):
        return False
    return -(2**63) <= int(v) <= 2**63 - 1


class _Shim:
    """What the compiled engine calls: the user's adapter, its answers checked and put in the
    core's JSON shapes, its exceptions turned into ``PlatformError`` documents."""

    def __init__(self, adapter: Any) -> None:
        missing = [m for m in ("apply_changes", "read_entity", "read_metrics") if not callable(getattr(adapter, m, None))]
        if missing:
            raise TypeError(
                f"adapters: {type(adapter).__qualname__} has no {', '.join(missing)} method (expected a "
                "cw.platform.SimMarket or an object with apply_changes, read_entity and read_metrics: see cw.decide.Adapter)")
        self.adapter = adapter
        self.last_exception: Optional[BaseException] = None
        self.local = threading.local()  # .loop: the event loop of this thread's ..._async call
        self.engine = 0  # the id of the engine this serves

    def _settle(self, method: str, x: Any) -> Any:
        """``x``, or what it comes to when it is awaitable: run on the event loop of the
        ``..._async`` call this thread serves, the thread waiting meanwhile."""
        if not inspect.isawaitable(x):
            return x
        loop = getattr(self.local, "loop", None)
        if loop is None:
            if inspect.iscoroutine(x):
                x.close()  # never started: no "never awaited" warning
            raise _Contract(f"adapter.{method}() returned an awaitable: an async adapter needs the Engine's ..._async "
                            "methods (await engine.execute_async(...), ...)")
        token = _calling.set(_calling.get() | {self.engine})
        try:
            future = asyncio.run_coroutine_threadsafe(_awaited(x), loop)
        finally:
            _calling.reset(token)
        # (waited on apart from `result()`, whose TimeoutError would be the adapter's own)
        while not concurrent.futures.wait([future], timeout=0.5).done:
            if loop.is_closed() or not loop.is_running():
                future.cancel()
                raise _Contract(f"adapter.{method}(): the event loop of the ..._async call stopped before "
                                "the adapter answered")
        return future.result()

    # -- answers ---------------------------------------------------------------------------
    def _vendor(self, exc: Exception, method: str) -> Tuple[bool, str]:
        self.last_exception = exc
        err = getattr(exc, "error", None)
        if isinstance(err, Mapping) and isinstance(err.get("kind"), str):
            try:
                return False, json.dumps(_plain(dict(err), "error"))
            except (TypeError, ValueError):
                pass
        if method == "read_entity" and isinstance(exc, KeyError):
            return False, json.dumps({"kind": "http", "status": 404})
        return False, json.dumps({"kind": "transport", "message": f"{type(exc).__name__}: {exc}"})

    def _num(self, where: str, x: Any, key: str, optional: bool = False) -> Optional[float]:
        if x is None and optional:
            return None
        if not _is_number(x):
            raise TypeError(f"{where}: field {key!r} must be a number, got {x!r}")
        v = float(x)
        if not math.isfinite(v):
            raise ValueError(f"{where}: field {key!r} must be finite, got {v}")
        return v

    def _state(self, where: str, s: Any, entity: str) -> Dict[str, Any]:
        if not isinstance(s, Mapping):
            raise TypeError(f"{where}: expected an entity state dict, got {type(s).__qualname__}")
        if "daily_budget" not in s:
            raise ValueError(f"{where}: field 'daily_budget' is missing")
        status = s.get("status")
        if status not in ("active", "paused"):
            raise ValueError(f"{where}: field 'status' must be 'active' or 'paused', got {status!r}")
        updated = s.get("updated_ms")
        if updated is None:
            updated = self.now_ms()
        elif not _is_ms(updated):
            raise TypeError(f"{where}: field 'updated_ms' must be whole ms, got {updated!r}")
        ent = s.get("entity", entity)
        if not isinstance(ent, str):
            raise TypeError(f"{where}: field 'entity' must be a str, got {ent!r}")
        return {"entity": ent, "daily_budget": self._num(where, s["daily_budget"], "daily_budget"),
                "bid": self._num(where, s.get("bid"), "bid", optional=True), "status": status, "updated_ms": int(updated)}

    def _ask(self, method: str, arg: Any) -> Tuple[bool, Any]:
        """``(True, the adapter's answer)``, or ``(False, the PlatformError JSON)`` its exception
        stands for (a vendor failure is data for the engine, not a crash)."""
        try:
            return True, self._settle(method, getattr(self.adapter, method)(arg))
        except (NotImplementedError, _Reentrant, _Contract):
            raise
        except Exception as exc:
            return self._vendor(exc, method)

    # -- what the engine calls ----------------------------------------------------------------
    def apply_changes(self, text: str) -> Tuple[bool, str]:
        changes = json.loads(text)
        ok, out = self._ask("apply_changes", changes)
        if not ok:
            return ok, out
        if not isinstance(out, (list, tuple)):
            raise TypeError(f"adapter.apply_changes() must return a list of results, got {type(out).__qualname__}")
        results = []
        for i, r in enumerate(out):
            where = f"adapter.apply_changes()[{i}]"
            if not isinstance(r, Mapping):
                raise TypeError(f"{where}: expected a dict, got {type(r).__qualname__}")
            c = changes[i] if i < len(changes) else {}
            o = r.get("outcome")
            if not isinstance(o, Mapping):
                raise TypeError(f"{where}: field 'outcome' must be a dict ({{'status': 'applied', 'state': {{...}}}}), got {o!r}")
            status = o.get("status")
            key, entity = r.get("key", c.get("key")), r.get("entity", c.get("entity"))
            if not isinstance(key, str) or not isinstance(entity, str):
                raise TypeError(f"{where}: fields 'key' and 'entity' must be str, got {key!r}, {entity!r}")
            if status in ("applied", "already_applied"):
                outcome = {"status": status, "state": self._state(f"{where}.outcome.state", o.get("state"), entity)}
            elif status == "failed":
                error = o.get("error")
                if not isinstance(error, Mapping) or not isinstance(error.get("kind"), str):
                    raise TypeError(f"{where}: field 'outcome.error' must be a PlatformError dict ({{'kind': 'http', 'status': 400}}), got {error!r}")
                outcome = {"status": "failed", "error": _plain(dict(error), "error")}
            else:
                raise ValueError(f"{where}: field 'outcome.status' must be 'applied', 'already_applied' or 'failed', got {status!r}")
            results.append({"key": key, "entity": entity, "outcome": outcome})
        return True, json.dumps(results)

    def read_entity(self, entity: str) -> Tuple[bool, str]:
        ok, s = self._ask("read_entity", entity)
        if not ok:
            return ok, s
        return True, json.dumps(self._state(f"adapter.read_entity({entity!r})", s, entity))

    def read_metrics(self, text: str) -> Tuple[bool, str]:
        query = json.loads(text)
        ok, out = self._ask("read_metrics", query)
        if not ok:
            return ok, out
        where = "adapter.read_metrics()"
        if isinstance(out, (list, tuple)):
            rows = list(out)
        else:
            try:
                cols = _frames.to_columns(out)
            except TypeError:
                raise TypeError(f"{where} must return a list of dicts or a DataFrame, got {type(out).__qualname__}") from None
            n = len(next(iter(cols.values()), []))
            rows = [{k: v[i] for k, v in cols.items()} for i in range(n)]
        clean = []
        for i, r in enumerate(rows):
            at = f"{where}[{i}]"
            if not isinstance(r, Mapping):
                raise TypeError(f"{at}: expected a dict, got {type(r).__qualname__}")
            for k in ("entity", "date", "spend"):
                if k not in r:
                    raise ValueError(f"{at}: field {k!r} is missing")
            try:
                d = _day("date", r["date"])
            except _cw.ChannelwiseError:
                raise TypeError(f"{at}: field 'date' must be 'YYYY-MM-DD' or a date, got {r['date']!r}") from None
            clean.append({
                "entity": str(r["entity"]), "date": d, "spend": self._num(at, r["spend"], "spend"),
                "impressions": int(self._num(at, r.get("impressions", 0), "impressions")),
                "clicks": int(self._num(at, r.get("clicks", 0), "clicks")),
                "conversions": self._num(at, r.get("conversions", 0.0), "conversions"),
                "value": self._num(at, r.get("value", 0.0), "value"), "currency": str(r.get("currency", "") or ""),
            })
        return True, json.dumps(clean)

    def now_ms(self) -> int:
        now = getattr(self.adapter, "now_ms", None)
        if now is None:
            return int(time.time() * 1000)
        t = self._settle("now_ms", now() if callable(now) else now)
        if not _is_ms(t):
            raise TypeError(f"adapter.now_ms() must return whole ms since the epoch, got {t!r}")
        return int(t)

    def sleep_until(self, at_ms: int) -> None:
        sleep = getattr(self.adapter, "sleep_until", None)
        if callable(sleep):
            self._settle("sleep_until", sleep(at_ms))  # what it gives is not read
            return
        wait = (at_ms - self.now_ms()) / 1000.0
        if wait > 0:
            time.sleep(wait)


class Engine:
    """The decision engine over a store, under a policy, acting through an adapter (see the
    module docs for the policy keys, the proposal keys, what comes back and the adapter
    protocol).

    ``Engine(store=":memory:", policy=None, adapters=..., **policy_keywords)``: ``store`` a
    SQLite path (``str`` or ``os.PathLike``), ``":memory:"`` or a ``postgresql://`` url;
    ``policy`` a dict (keyword arguments are merged into it and win); ``adapters`` a
    :class:`channelwise.platform.SimMarket` or an :class:`Adapter`.
    """

    def __init__(self, store: Any = ":memory:", policy: Optional[Mapping[str, Any]] = None, adapters: Any = None,
                 **policy_keywords: Any) -> None:
        if adapters is None:
            raise TypeError("Engine(adapters=...) is required: a cw.platform.SimMarket, or an object with "
                            "apply_changes, read_entity and read_metrics (see cw.decide.Adapter)")
        if isinstance(store, os.PathLike):
            store = os.fspath(store)
        if not isinstance(store, str):
            raise TypeError(f"store: expected a path or url (str), got {type(store).__qualname__}")
        text = _policy_text(policy, policy_keywords)
        if isinstance(adapters, SimMarket):
            self._shim: Optional[_Shim] = None
            native: Any = adapters._m
        elif isinstance(adapters, _cw.SimMarket):
            self._shim, native = None, adapters
        else:
            self._shim = _Shim(adapters)
            self._shim.engine = id(self)
            native = self._shim
        self.adapters = adapters
        self.store = store
        self._in_call: set = set()  # threads inside a call (an adapter calling back is refused)
        self._loops: Dict[int, int] = {}  # event-loop threads with ..._async calls in flight: how many
        self._loops_lock = threading.Lock()
        self._e = _cw.DecideEngine(store, text, native)

    def _call(self, fn: Any, *args: Any) -> Any:
        shim = self._shim
        if shim is None:
            return fn(*args)
        me = threading.get_ident()
        if me in self._in_call or id(self) in _calling.get():
            raise _Reentrant("this Engine is in a call already: an adapter must not call back into the engine that calls it")
        if self._loops.get(me):
            raise RuntimeError("this Engine has an ..._async call in flight on this thread's event loop: a plain call "
                               "here would block the loop its adapter needs; await that call first, or use the "
                               "..._async form")
        shim.last_exception = None
        try:
            self._in_call.add(me)
            return fn(*args)
        except _cw.ChannelwiseError as e:
            if shim.last_exception is not None and e.__cause__ is None:
                raise e from shim.last_exception
            raise
        finally:
            self._in_call.discard(me)

    def _json(self, fn: Any, *args: Any) -> Any:
        return json.loads(self._call(fn, *args))

    async def _async(self, plain: Any, *args: Any, **kwargs: Any) -> Any:
        """``plain(*args, **kwargs)`` (one of the methods above) on a worker thread, the awaitables
        of an async adapter run on this event loop. A cancelled call still runs to its end (it
        may have sent a change: the store must record what came of it). An async adapter calling
        back is refused by :meth:`_call` in the worker, which inherits this context."""
        loop = asyncio.get_running_loop()
        me = threading.get_ident()
        shim = self._shim

        def work() -> Any:
            if shim is not None:
                shim.local.loop = loop
            try:
                return plain(*args, **kwargs)
            finally:
                if shim is not None:
                    shim.local.loop = None

        with self._loops_lock:
            self._loops[me] = self._loops.get(me, 0) + 1

        def done(_: Any) -> None:
            with self._loops_lock:
                left = self._loops.get(me, 1) - 1
                if left:
                    self._loops[me] = left
                else:
                    self._loops.pop(me, None)

        task = asyncio.ensure_future(asyncio.to_thread(work))
        task.add_done_callback(done)
        return await asyncio.shield(task)

    def __repr__(self) -> str:
        return f"<cw.decide.Engine store={self.store!r} adapters={type(self.adapters).__qualname__}>"

    # -- settings and state -----------------------------------------------------------------
    @property
    def policy(self) -> Dict[str, Any]:
        """The policy in force, every default filled in."""
        return json.loads(self._e.policy)

    @property
    def store_id(self) -> str:
        """The store's id: 16 random hex digits the database drew when the store was created,
        the same for every process on the store. Every idempotency key the engine sends starts
        with it (``{store_id}/d{decision}/s{stage}``, ``.../rollback``), so a second store on
        the same ad account never sends a key the platform already applied. Empty for a store
        that sent keys before channelwise gave stores ids; its keys stay ``d{decision}/s{stage}``."""
        return self._e.store_id

    @property
    def stopped(self) -> Optional[Dict[str, Any]]:
        """The emergency stop (``{"by", "at_ms", "reason"}``), or ``None`` when running."""
        s = self._call(self._e.stopped)
        return None if s is None else json.loads(s)

    def observe(self, entity: str) -> Dict[str, Any]:
        """The engine's known state of ``entity`` (read from the platform once and recorded). The
        account caps sum the entities the engine knows: observe every entity of the account."""
        return self._json(self._e.observe, _text("entity", entity))

    async def observe_async(self, entity: str) -> Dict[str, Any]:
        """:meth:`observe` for an async adapter (see the module docs)."""
        return await self._async(self.observe, entity)

    # -- decisions ----------------------------------------------------------------------------
    def propose(self, proposal: Any = None, /, **fields: Any) -> Dict[str, Any]:
        """Propose one change (a dict, a DataFrame row, or keyword arguments; see the module's
        table): the decision, ``"approved"`` by the policy when its risk allows, else
        ``"pending"`` for a named approver. The risk is the higher of the change from ``from``
        and the change from the value the engine last saw of the entity."""
        if proposal is None:
            doc: Dict[str, Any] = {}
        elif isinstance(proposal, Mapping):
            doc = dict(proposal)
        elif hasattr(proposal, "to_dict") and not hasattr(proposal, "columns"):
            doc = dict(proposal.to_dict())  # a pandas row
        else:
            raise TypeError(f"propose: expected a dict or a DataFrame row, got {type(proposal).__qualname__} "
                            "(propose_many takes tables)")
        doc.update(fields)
        p = _proposal(doc)
        return _flat(self._json(self._e.propose, _frames.json_text("proposal", p)))

    async def propose_async(self, proposal: Any = None, /, **fields: Any) -> Dict[str, Any]:
        """:meth:`propose` for an async adapter (it reads the entity the first time)."""
        return await self._async(self.propose, proposal, **fields)

    def propose_many(self, proposals: Any, metric: Optional[str] = None) -> Any:
        """Propose every row of a DataFrame (pandas or polars), a list of dicts, or
        ``cw.optimize.recommend(...)``; ``metric`` names the impact's metric where the rows do
        not. Every row is checked before any is proposed. A DataFrame of the decisions, in the
        input's library."""
        rows, kind = _rows(proposals)
        docs = []
        for i, r in enumerate(rows):
            if metric is not None and "metric" not in r:
                r["metric"] = metric
            d = _proposal(r, where=f"proposals[{i}]")
            text = _frames.json_text(f"proposals[{i}]", d)
            try:
                _cw.decide_check_proposal(text)
            except _cw.ChannelwiseError as e:
                raise type(e)(f"proposals[{i}]: {e}") from None
            docs.append(text)
        out = [_flat(json.loads(self._call(self._e.propose, t))) for t in docs]
        return _frame(out, DECISION_COLUMNS, _frames.POLARS if kind == _frames.POLARS else _frames.PANDAS)

    def decision(self, decision: int) -> Dict[str, Any]:
        """One decision by id."""
        return _flat(self._json(self._e.decision, _whole("decision", decision)))

    def decisions(self, backend: str = "pandas") -> Any:
        """Every decision, oldest first: a DataFrame (columns :data:`DECISION_COLUMNS`)."""
        return _frame([_flat(d) for d in self._json(self._e.decisions, False)], DECISION_COLUMNS, backend)

    def pending(self, backend: str = "pandas") -> Any:
        """The decisions waiting for a person: a DataFrame as :meth:`decisions`."""
        return _frame([_flat(d) for d in self._json(self._e.decisions, True)], DECISION_COLUMNS, backend)

    def approve(self, decision: int, approver: str) -> Dict[str, Any]:
        """Approve a pending decision, as ``approver`` (a named person). An expired, unknown or
        not-pending decision raises :class:`channelwise.InvalidParameterError` naming it."""
        return _flat(self._json(self._e.approve, _whole("decision", decision), _text("approver", approver)))

    def reject(self, decision: int, approver: str, reason: str = "") -> Dict[str, Any]:
        """Reject a pending decision, as ``approver``, saying why."""
        return _flat(self._json(self._e.reject, _whole("decision", decision), _text("approver", approver), _text("reason", reason)))

    def execute(self, decision: int) -> Dict[str, Any]:
        """Take an approved decision one stage further (guardrails, send with its idempotency key,
        read back): ``{"decision", "outcome", ...}``."""
        decision = _whole("decision", decision)
        return _outcome(decision, self._json(self._e.execute, decision))

    async def execute_async(self, decision: int) -> Dict[str, Any]:
        """:meth:`execute` for an async adapter."""
        return await self._async(self.execute, decision)

    def run_due(self) -> List[Dict[str, Any]]:
        """Execute every approved decision and every staged one that is due, oldest first: one
        outcome dict each."""
        return [_outcome(i, o) for i, o in self._json(self._e.run_due)]

    async def run_due_async(self) -> List[Dict[str, Any]]:
        """:meth:`run_due` for an async adapter."""
        return await self._async(self.run_due)

    # -- stop and undo ------------------------------------------------------------------------
    def stop(self, by: str, reason: str = "") -> List[int]:
        """The emergency stop, by a named person: cancels every pending and approved decision and
        every stage not yet sent, refuses proposals and executions until :meth:`resume`. The ids
        cancelled."""
        return list(self._call(self._e.stop, _text("by", by), _text("reason", reason)))

    def resume(self, by: str) -> None:
        """Clear the emergency stop, by a named person."""
        self._call(self._e.resume, _text("by", by))

    def rollback(self, decision: int, by: str) -> Dict[str, Any]:
        """Restore the value the entity had before the decision's first stage (allowed while
        stopped): ``{"decision", "outcome": "rolled_back", "verified"}`` or why not."""
        decision = _whole("decision", decision)
        return _outcome(decision, self._json(self._e.rollback, decision, _text("by", by)))

    async def rollback_async(self, decision: int, by: str) -> Dict[str, Any]:
        """:meth:`rollback` for an async adapter."""
        return await self._async(self.rollback, decision, by)

    def rollback_since(self, since: Any, by: str) -> List[Dict[str, Any]]:
        """Undo every stage started at or after ``since`` (ms since the epoch or a datetime),
        newest first: one outcome dict per decision."""
        return [_outcome(i, o) for i, o in self._json(self._e.rollback_since, _ms("since", since), _text("by", by))]

    async def rollback_since_async(self, since: Any, by: str) -> List[Dict[str, Any]]:
        """:meth:`rollback_since` for an async adapter."""
        return await self._async(self.rollback_since, since, by)

    # -- audit and feedback -------------------------------------------------------------------
    def audit(self, from_seq: int = 1, limit: Optional[int] = None, backend: str = "pandas") -> Any:
        """The audit log from entry ``from_seq`` on (at most ``limit`` entries): a DataFrame with
        ``seq``, ``at_ms``, ``actor``, ``action``, ``decision``, ``detail`` (the JSON text that
        is hashed), ``prev_hash``, ``hash``."""
        n = (1 << 62) if limit is None else _whole("limit", limit)
        entries = self._json(self._e.audit, _whole("from_seq", from_seq), n)
        return _frame(entries, AUDIT_COLUMNS, backend)

    def verify(self, anchor: Optional[Tuple[int, str]] = None) -> Dict[str, Any]:
        """Check the audit log's hash chain: ``{"entries", "head_seq", "head_hash"}``. An edited,
        deleted or reordered entry raises :class:`channelwise.InvalidRecordError` naming the
        first bad entry. A chain cannot show its newest entries cut off or rewritten together:
        keep ``(head_seq, head_hash)`` elsewhere and pass it back as ``anchor``."""
        a = None if anchor is None else (int(anchor[0]), str(anchor[1]))
        return self._json(self._e.verify, a)

    def record_outcome(self, decision: int, actual: float, *, method: str, by: str) -> Dict[str, Any]:
        """Record what an executed decision brought (the measured change in its impact's metric,
        by ``method``: ``"holdout"``, ``"mmm refit"``, ...) once its feedback window has passed."""
        return _flat(self._json(self._e.record_outcome, _whole("decision", decision), _number("actual", actual), _text("method", method), _text("by", by)))

    def calibration(self, backend: str = "pandas") -> Any:
        """Expected impacts against recorded outcomes per decision type: a DataFrame with
        ``kind``, ``n``, ``mean_predicted``, ``mean_actual``, ``slope`` (least squares through 0),
        ``coverage`` (share inside the interval) and ``shrink`` (the factor later expectations
        of the type are multiplied by)."""
        return _frame(self._json(self._e.calibration), CALIBRATION_COLUMNS, backend)

    def plot_calibration(self, ax: Any = None, title: Optional[str] = None) -> Any:
        """Expected against measured impact of every decision with an outcome, by type, with the
        line of perfect calibration (:func:`channelwise.plot.calibration`; matplotlib)."""
        from . import plot

        return plot.calibration(self.decisions(), ax=ax, title=title)

    def flag_anomaly(self, day: Any, by: str, reason: str = "") -> None:
        """Flag a day (``"YYYY-MM-DD"`` or a date) for the anomaly gate: no budget increase then."""
        self._call(self._e.flag_anomaly, _day("day", day), _text("by", by), _text("reason", reason))

    def check_performance(self) -> List[Dict[str, Any]]:
        """Propose (approved by the guardrail) a pause of every known active entity whose ROAS or
        CPA breaches ``guardrails.performance``: the decisions."""
        return [_flat(d) for d in self._json(self._e.check_performance)]

    async def check_performance_async(self) -> List[Dict[str, Any]]:
        """:meth:`check_performance` for an async adapter (it reads metrics)."""
        return await self._async(self.check_performance)
