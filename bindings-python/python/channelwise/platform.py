"""Platforms, sans I/O: customer data normalised and SHA-256 hashed as Meta and Google document it,
webhook signatures checked over the raw body, a seeded simulated ad market, and the classifier of
vendor errors (the core's ``platform`` module; nothing here opens a socket).

>>> import channelwise as cw
>>> cw.platform.normalize("ph", "+1 (650) 555-1212")
'16505551212'
>>> cw.platform.hash_user_data({"em": "John_Smith@gmail.com"})["em"][:12]
'62a14e44f765'
>>> body = b'{"id": 1}'
>>> header = cw.platform.sign_webhook("meta", secret="s3cret", body=body)
>>> cw.platform.verify_webhook("meta", secret="s3cret", body=body, header=header)
True

**PII.** ``vendor="meta"`` (``em``, ``ph``, ``fn``, ``ln``, ``db``, ``ge``, ``ct``, ``st``,
``zp``, ``country``, ``external_id``) or ``"google"`` (``em`` / ``email_address``, ``ph`` /
``phone_number``, ``fn`` / ``given_name``, ``ln`` / ``family_name``); ``google_email`` picks
Google's email rule: its Data Manager page (``"documentation"``, the default), the
google-ads-python examples (``"sdk"``) or dots and ``+suffix`` removed for every domain
(``"all_domains"``). A value the vendor would not match raises
:class:`channelwise.InvalidParameterError` naming the field (``user_data.em``); no error shows the
value.

**Webhooks.** ``scheme="shopify"`` (``X-Shopify-Hmac-Sha256``), ``"meta"``
(``X-Hub-Signature-256``) or ``"timestamped"`` (``t=...,v1=...``, Stripe-style, with a window of
``tolerance`` seconds either side of ``now``, ``None`` for no window). Pass the body exactly as
received (``bytes``; a ``str`` is taken as its UTF-8). ``now`` is unix seconds, read from the clock
when ``None``. A wrong secret, a changed byte or a stale timestamp is ``False``; a header that
cannot be parsed raises :class:`channelwise.InvalidParameterError` naming the header.

**Simulated market.** :class:`SimMarket` takes the core's ``SimConfig`` as a dict (every key
optional). A vendor failure of its calls (a timeout, a 503, a throttle: the adapter's
``PlatformError``) raises :class:`PlatformCallError` with the error dict in ``.error``, to classify
with :func:`classify` and retry; bad input of the caller's own raises a
:class:`channelwise.ChannelwiseError` as everywhere else.
"""

from __future__ import annotations

import datetime as _dt
import json
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _channelwise as _cw
from . import _frames

__all__ = [
    "normalize",
    "hash",
    "hash_user_data",
    "verify_webhook",
    "check_timestamped",
    "sign_webhook",
    "classify",
    "SimMarket",
    "PlatformCallError",
]

Bytes = Union[bytes, bytearray, memoryview, str]


class PlatformCallError(Exception):
    """A vendor call of the simulated market failed (a timeout, an HTTP status, a Meta or Google
    Ads error): ``.error`` is the adapter's ``PlatformError`` as a dict (``{"kind": "meta",
    "code": 17, ...}``), ``.kind`` its kind. It is not a :class:`channelwise.ChannelwiseError`:
    the input was fine, the vendor said no; :func:`classify` says whether to retry."""

    def __init__(self, error: Dict[str, Any]) -> None:
        self.error = error
        self.kind = error.get("kind")
        super().__init__(f"vendor call failed: {json.dumps(error, sort_keys=True)}")


def normalize(field: str, value: str, vendor: str = "meta", google_email: str = "documentation") -> str:
    """The normalised text of ``value`` for ``field``: what :func:`hash` hashes."""
    return _cw.platform_normalize(field, value, vendor, google_email)


def hash(field: str, value: str, vendor: str = "meta", google_email: str = "documentation") -> str:  # noqa: A001
    """SHA-256 (64 lowercase hex digits) of the normalised ``value``; a value that already is a
    SHA-256 hex digest comes back lowercased."""
    return _cw.platform_hash(field, value, vendor, google_email)


def hash_user_data(user_data: Mapping[str, Union[str, Sequence[str]]], vendor: str = "meta",
                   google_email: str = "documentation") -> Dict[str, Union[str, List[str]]]:
    """Every field of ``user_data`` hashed, under the same keys (for Meta a list stays a list, in
    order)."""
    if isinstance(user_data, Mapping) and not isinstance(user_data, dict):
        user_data = dict(user_data)
    return _cw.platform_hash_user_data(user_data, vendor, google_email)


def _bytes(role: str, x: Any) -> bytes:
    if isinstance(x, str):
        return x.encode("utf-8")
    if isinstance(x, (bytes, bytearray, memoryview)):
        return bytes(x)
    from . import InvalidParameterError

    raise InvalidParameterError(f"invalid {role}: {type(x).__qualname__} (expected bytes or str)")


def _seconds(role: str, x: Any) -> int:
    """Whole unix seconds; ``None`` reads the clock."""
    if x is None:
        return int(time.time())
    if isinstance(x, _dt.datetime):
        return int(x.timestamp())
    if isinstance(x, bool) or not isinstance(x, (int, float)) or (isinstance(x, float) and not x.is_integer()):
        from . import InvalidParameterError

        raise InvalidParameterError(f"invalid {role}: {x!r} (expected whole unix seconds)")
    return int(x)


def _tolerance(x: Optional[int]) -> Optional[int]:
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, int):
        from . import InvalidParameterError

        raise InvalidParameterError(f"invalid tolerance: {x!r} (expected whole seconds >= 0, or None for no window)")
    return x


def verify_webhook(scheme: str, *, secret: Bytes, body: Bytes, header: str, now: Any = None,
                   tolerance: Optional[int] = 300) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` under ``scheme`` (``"shopify"``,
    ``"meta"`` or ``"timestamped"``); ``now`` (unix seconds or a datetime; default the clock) and
    ``tolerance`` are read by the timestamped scheme only."""
    return _cw.platform_verify_webhook(scheme, _bytes("secret", secret), _bytes("body", body), header,
                                       _seconds("now", now), _tolerance(tolerance))


def check_timestamped(*, secret: Bytes, body: Bytes, header: str, now: Any = None, tolerance: Optional[int] = 300) -> str:
    """The verdict on a timestamped (``t=...,v1=...``) header: ``"valid"``, ``"mismatch"`` (no
    signature matches) or ``"outside_tolerance"`` (a signature matches, the timestamp is stale)."""
    return _cw.platform_check_timestamped(_bytes("secret", secret), _bytes("body", body), header,
                                          _seconds("now", now), _tolerance(tolerance))


def sign_webhook(scheme: str, *, secret: Bytes, body: Bytes, t: Any = None) -> str:
    """The header value a sender attaches (for tests and simulators); ``t`` is the timestamped
    scheme's unix seconds (default the clock)."""
    return _cw.platform_sign_webhook(scheme, _bytes("secret", secret), _bytes("body", body), _seconds("t", t))


def classify(error: Mapping[str, Any], now_ms: int, classifier: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """Retry, back off or give up on a vendor failure (a ``PlatformError`` dict, e.g.
    ``PlatformCallError.error``) seen at ``now_ms``: ``{"action": "retry"}``,
    ``{"action": "back_off", "min_wait_ms": ...}`` or ``{"action": "give_up", "retry_at_ms": ...}``."""
    return json.loads(_cw.platform_classify(json.dumps(dict(error)), int(now_ms),
                                            None if classifier is None else json.dumps(dict(classifier))))


_METRICS = ("entity", "date", "spend", "impressions", "clicks", "conversions", "value", "currency")


def _day(role: str, x: Any) -> str:
    """A day as ``YYYY-MM-DD``: a string as given, a date, or a datetime (pandas Timestamp) by its date."""
    if isinstance(x, str):
        return x
    if isinstance(x, _dt.datetime):
        return x.date().isoformat()
    if isinstance(x, _dt.date):
        return x.isoformat()
    from . import InvalidParameterError

    raise InvalidParameterError(f"invalid {role}: {x!r} (expected 'YYYY-MM-DD' or a date)")


def _metrics_frame(rows: List[Dict[str, Any]], backend: str) -> Any:
    cols: Dict[str, Any] = {k: [r[k] for r in rows] for k in _METRICS}
    dates = [_dt.date.fromisoformat(d) for d in cols["date"]]
    if backend == "polars":
        import polars as pl

        cols["date"] = pl.Series("date", dates, dtype=pl.Date)
        return pl.DataFrame(cols)
    if backend != "pandas":
        from . import InvalidParameterError

        raise InvalidParameterError(f"invalid backend: {backend!r} (expected 'pandas' or 'polars')")
    import pandas as pd

    cols["date"] = pd.to_datetime(pd.Series(dates, dtype="object"))
    return _frames.frame(_frames.PANDAS, cols)


class SimMarket:
    """A seeded simulated ad market: campaigns on response curves with weekly seasonality, noise,
    reporting delay, rate limits and injected faults; the same seed gives the same market. The
    clock moves only through :meth:`step_day`, :meth:`run_days` and :meth:`advance`.

    ``config`` is the core's ``SimConfig`` as a dict, every key optional: ``seed`` (0), ``start``
    (``"2026-01-05"``), ``account``, ``currency`` (``"USD"``), ``campaigns`` (a list of
    ``{"id", "daily_budget", "curve": {"logistic": {"lam", "beta"}}, "adstock", "bid",
    "reference_bid", "status", "value_per_conversion", "cpm", "ctr"}``), ``weekly``, ``noise``,
    ``reporting_delay``, ``limits`` and ``faults`` (``{"timeout", "server_error", "item_failure",
    "lost_ack", "duplicate", "stale_read"}``, probabilities).

    >>> m = SimMarket({"seed": 7})
    >>> m.run_days(14)
    >>> len(m.read_metrics("2026-01-05", "2026-01-18"))
    28
    """

    def __init__(self, config: Optional[Mapping[str, Any]] = None) -> None:
        self._m = _cw.SimMarket(None if config is None else json.dumps(dict(config)))

    @staticmethod
    def _answer(answer: Any) -> Any:
        ok, text = answer
        value = json.loads(text)
        if not ok:
            raise PlatformCallError(value)
        return value

    def step_day(self) -> None:
        """Moves to the next midnight (UTC), simulating the day that ends."""
        self._m.step_day()

    def run_days(self, n: int) -> None:
        """:meth:`step_day` ``n`` times."""
        self._m.run_days(n)

    def advance(self, ms: int) -> None:
        """Moves the clock forward by ``ms`` milliseconds, simulating every day whose end is passed."""
        self._m.advance(ms)

    @property
    def now_ms(self) -> int:
        """Now, ms since the epoch."""
        return self._m.now_ms

    @property
    def today(self) -> _dt.date:
        """The current day (not yet simulated)."""
        return _dt.date.fromisoformat(self._m.today)

    @staticmethod
    def _query(start: Any, end: Any, entities: Optional[Sequence[str]], level: str) -> str:
        q: Dict[str, Any] = {"from": _day("start", start), "to": _day("end", end), "level": level}
        if entities is not None:
            q["entities"] = [entities] if isinstance(entities, str) else list(entities)
        return json.dumps(q)

    def read_metrics(self, start: Any, end: Any, entities: Optional[Sequence[str]] = None, level: str = "campaign",
                     backend: str = "pandas") -> Any:
        """Daily metrics from ``start`` to ``end`` (both included) as the platform reports them now
        (late conversions still missing; faults and rate limits apply): a DataFrame with columns
        ``entity``, ``date``, ``spend``, ``impressions``, ``clicks``, ``conversions``, ``value``,
        ``currency`` (pandas, or polars with ``backend="polars"``). Raises
        :class:`PlatformCallError` when the simulated vendor fails the call."""
        rows = self._answer(self._m.read_metrics(self._query(start, end, entities, level)))
        return _metrics_frame(rows, backend)

    def true_metrics(self, start: Any, end: Any, entities: Optional[Sequence[str]] = None, level: str = "campaign",
                     backend: str = "pandas") -> Any:
        """Every conversion however late its report, without faults or rate limits (the truth a
        decision is judged against); columns as :meth:`read_metrics`."""
        return _metrics_frame(json.loads(self._m.true_metrics(self._query(start, end, entities, level))), backend)

    def apply_changes(self, changes: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
        """Applies a batch of ``{"key", "entity", "action": {"kind": "budget", "daily": ...}}``
        (or ``{"kind": "bid", "amount"}``, ``{"kind": "status", "status": "paused"}``): one result
        dict per change, in order (``outcome.status`` ``"applied"``, ``"already_applied"`` or
        ``"failed"``). Raises :class:`PlatformCallError` when the whole call fails (some changes
        may have been applied all the same: retry with the same keys)."""
        return self._answer(self._m.apply_changes(json.dumps([dict(c) for c in changes])))

    def read_entity(self, entity: str) -> Dict[str, Any]:
        """The entity as the platform holds it now (``daily_budget``, ``bid``, ``status``,
        ``updated_ms``), to verify a change."""
        return self._answer(self._m.read_entity(entity))

    @property
    def applied(self) -> List[Dict[str, Any]]:
        """Every change applied, in order (once per key)."""
        return json.loads(self._m.applied)

    @property
    def fault_log(self) -> List[Dict[str, Any]]:
        """Every fault that fired, in order (``call``, ``at_ms``, ``kind``)."""
        return json.loads(self._m.fault_log)

    @property
    def config(self) -> Dict[str, Any]:
        """The settings in force, defaults filled in."""
        return json.loads(self._m.config)

    def __repr__(self) -> str:
        return f"SimMarket(today={self._m.today}, campaigns={len(self.config['campaigns'])})"
