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

**Request payloads** (sans I/O: the caller sends them): :func:`meta_capi_events` (Conversions
API bodies of at most 1,000 events, ``user_data`` hashed), :func:`meta_change_request` (budgets
and bids in the currency's minor unit), :func:`ga4_requests` / :func:`ga4_body` (Measurement
Protocol, 25 events a body), :func:`google_ads_click_conversions`,
:func:`google_ads_user_identifiers`, :func:`google_ads_customer_match`,
:func:`google_ads_mutate` (micros with an update mask) and :func:`google_ads_date_time`. Each
checks what the vendor checks and raises naming the field by its path (``events[3].event_time``)
rather than letting the vendor drop an event; the bodies are dicts and lists which
``json.dumps(body, separators=(",", ":"), ensure_ascii=False)`` turns into the core's bytes.

**Reports**: :func:`meta_insights`, :func:`google_ads_metrics` and :func:`ga4_run_report` read
each vendor's report response into one DataFrame of daily rows per entity: ``entity``, ``date``,
``spend`` (currency units), ``impressions``, ``clicks``, ``conversions``, ``value``,
``currency``, ``time_zone``.

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
    "meta_capi_events",
    "meta_change_request",
    "ga4_requests",
    "ga4_body",
    "google_ads_click_conversions",
    "google_ads_user_identifiers",
    "google_ads_customer_match",
    "google_ads_mutate",
    "google_ads_date_time",
    "google_ads_parse_date_time",
    "meta_insights",
    "google_ads_metrics",
    "ga4_run_report",
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
    """Whole unix seconds; ``None`` reads the clock. A naive datetime is UTC, as everywhere in
    channelwise (``datetime.timestamp()`` would read it in the machine's zone); a fraction of a
    second is dropped toward the past."""
    if x is None:
        return int(time.time())
    if isinstance(x, _dt.datetime):
        aware = x if x.tzinfo is not None else x.replace(tzinfo=_dt.timezone.utc)
        return (aware - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)) // _dt.timedelta(seconds=1)
    if isinstance(x, bool) or not isinstance(x, (int, float)) or (isinstance(x, float) and not x.is_integer()):
        from . import InvalidParameterError

        raise InvalidParameterError(f"invalid {role}: {x!r} (expected whole unix seconds)")
    if not -2**63 <= x < 2**63:  # the compiled module's i64 (an OverflowError before)
        from . import OutOfRangeError

        raise OutOfRangeError(f"{role} must be in [-9223372036854775808, 9223372036854775807], got {int(x)}")
    return int(x)


def _tolerance(x: Optional[int]) -> Optional[int]:
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, int):
        from . import InvalidParameterError

        raise InvalidParameterError(f"invalid tolerance: {x!r} (expected whole seconds >= 0, or None for no window)")
    if not 0 <= x < 2**64:  # the compiled module's u64 (an OverflowError before)
        from . import OutOfRangeError

        raise OutOfRangeError(f"tolerance must be in [0, 18446744073709551615], got {x}")
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
    return json.loads(_cw.platform_classify(
        _frames.json_text("error", _frames.mapping("error", error)), _frames.whole("now_ms", now_ms),
        None if classifier is None else _frames.json_text("classifier", _frames.mapping("classifier", classifier))))


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


def _metrics_frame(rows: List[Dict[str, Any]], backend: str, time_zone: Optional[str] = None) -> Any:
    cols: Dict[str, Any] = {k: [r[k] for r in rows] for k in _METRICS}
    if time_zone is not None:
        cols["time_zone"] = [time_zone] * len(rows)
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
    clock moves only through :meth:`step_day`, :meth:`run_days` and :meth:`advance`. A market
    simulates at most 36,525 days (100 years) and its clock stays within the years 1 to 9999 (what
    ``datetime.date`` holds): moving past either is ``out_of_range`` naming ``n`` or ``ms``, and
    leaves the market as it was.

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
        self._m = _cw.SimMarket(None if config is None else _frames.json_text("config", _frames.mapping("config", config)))

    @staticmethod
    def _answer(answer: Any) -> Any:
        ok, text = answer
        value = json.loads(text)
        if not ok:
            raise PlatformCallError(value)
        return value

    def copy(self) -> "SimMarket":
        """A fork of the market: the same state, clock and random streams, so it answers as this
        one would from here on (two plans tried from the same day). ``copy.copy`` gives the same.

        >>> m = SimMarket({"seed": 7})
        >>> m.run_days(3)
        >>> fork = m.copy()
        >>> fork.run_days(2)
        >>> (str(m.today), str(fork.today))
        ('2026-01-08', '2026-01-10')
        """
        fork = type(self).__new__(type(self))
        fork._m = self._m.copy()
        return fork

    __copy__ = copy

    def __deepcopy__(self, memo: Any) -> "SimMarket":
        return self.copy()

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
            q["entities"] = [entities] if isinstance(entities, str) else _frames.items("entities", entities)
        return _frames.json_text("query", q)

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
        changes = [_frames.mapping(f"changes[{i}]", c) for i, c in enumerate(_frames.items("changes", changes))]
        return self._answer(self._m.apply_changes(_frames.json_text("changes", changes)))

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


# ---- request payloads (the core's platform::payloads) and report readers (platform::metrics) ----


def _items(role: str, xs: Any) -> str:
    """A list of JSON objects (dicts or any mappings) as JSON text."""
    if isinstance(xs, (Mapping, str, bytes)) or not hasattr(xs, "__iter__"):
        from . import InvalidParameterError

        raise InvalidParameterError(f"invalid {role}: a {type(xs).__qualname__} (expected a list of dicts)")
    return _frames.json_text(role, [dict(x) if isinstance(x, Mapping) else x for x in xs])


def _ms(role: str, x: Any) -> int:
    """Whole milliseconds since the epoch; ``None`` reads the clock, a datetime (naive = UTC) converts."""
    if x is None:
        return int(time.time() * 1000)
    return _frames.millis(role, x)


def _given(**options: Any) -> str:
    """The options that were given (``None`` leaves the core's default) as JSON text."""
    return _frames.json_text("options", {k: v for k, v in options.items() if v is not None})


def _pii(google_email: Optional[str]) -> Dict[str, Any]:
    return {} if google_email is None else {"google_email": google_email}


def meta_capi_events(events: Sequence[Mapping[str, Any]], *, now_ms: Any = None, batch_size: Optional[int] = None,
                     test_event_code: Optional[str] = None) -> List[Dict[str, Any]]:
    """Meta Conversions API request bodies: ``{"data": [...]}`` with at most ``batch_size``
    events each (default and most 1,000), in order, every event checked as Meta's "Server Event
    Parameters" page states and its ``user_data`` normalised and SHA-256 hashed (``em``, ``ph``,
    ``fn``, ...; ``client_user_agent``, ``client_ip_address``, ``fbc``, ``fbp`` pass as they are;
    already-hashed values pass through). ``now_ms`` is the time of sending (default the clock): an
    ``event_time`` more than 7 days before it is refused, as Meta refuses the whole request.

    Each event is a dict as Meta names its fields (``event_name``, ``event_time`` in unix seconds,
    ``event_id``, ``action_source``, ``event_source_url``, ``user_data``, ``custom_data``, and any
    other field, passed through). A bad event raises :class:`channelwise.ChannelwiseError` naming it
    (``events[3].event_time``; customer data by key only, ``events[0].user_data.em``). POST each
    body to ``/{pixel_id}/events``; ``json.dumps(body, separators=(",", ":"), ensure_ascii=False)``
    is the core's text byte for byte."""
    options = _given(now_ms=_ms("now_ms", now_ms), batch_size=batch_size, test_event_code=test_event_code)
    return json.loads(_cw.platform_meta_capi_requests(_items("events", events), options))


def meta_change_request(change: Mapping[str, Any], currency: str) -> Dict[str, Any]:
    """The Marketing API request applying ``change`` (``{"key", "entity", "action": {"kind":
    "budget", "daily": 250.0}}``, or ``{"kind": "bid", "amount"}``, ``{"kind": "status", "status":
    "paused"}``; amounts in currency units) to a campaign or ad set whose account bills in
    ``currency``: ``{"key", "method": "POST", "path": "/<entity>", "body": {...}}`` with
    ``daily_budget`` / ``bid_amount`` in the currency's minor unit (Meta's offset: USD 100, JPY 1)
    or ``status``. An unknown currency raises :class:`channelwise.InvalidParameterError` naming
    ``currency``."""
    return json.loads(_cw.platform_meta_change_request(_frames.json_text("change", _frames.mapping("change", change)), currency))


def _ga4(payload: Mapping[str, Any], now_ms: Any, ga360: Optional[bool], split: bool) -> List[Dict[str, Any]]:
    options = _given(now_ms=_ms("now_ms", now_ms), ga360=ga360)
    return json.loads(_cw.platform_ga4_requests(_frames.json_text("payload", _frames.mapping("payload", payload)), options, split))


def ga4_requests(payload: Mapping[str, Any], *, now_ms: Any = None, ga360: Optional[bool] = None) -> List[Dict[str, Any]]:
    """GA4 Measurement Protocol ``/mp/collect`` bodies for ``payload`` (``{"client_id" or
    "app_instance_id", "user_id", "timestamp_micros", "user_properties", "events": [{"name",
    "params"}], ...}``): as many as its events need, at most 25 events each, each repeating the
    identity and user properties. Checked as Google documents (names, reserved names and
    prefixes, 25 parameters an event, value lengths, 500 characters with ``ga360=True``,
    ``timestamp_micros`` within 72 hours of ``now_ms``, 130 kB a body): the endpoint answers 2xx
    to malformed data, so the refusal comes here, naming the field (``events[3].params.value``)."""
    return _ga4(payload, now_ms, ga360, True)


def ga4_body(payload: Mapping[str, Any], *, now_ms: Any = None, ga360: Optional[bool] = None) -> Dict[str, Any]:
    """One Measurement Protocol body, as :func:`ga4_requests`, but more than 25 events is an
    error naming ``events`` instead of a second body."""
    return _ga4(payload, now_ms, ga360, False)[0]


def google_ads_click_conversions(conversions: Sequence[Mapping[str, Any]], *, customer_id: str,
                                 validate_only: Optional[bool] = None, batch_size: Optional[int] = None,
                                 google_email: Optional[str] = None) -> List[Dict[str, Any]]:
    """Google Ads ``uploadClickConversions`` requests: ``{"path":
    "customers/<id>:uploadClickConversions", "body": {"conversions": [...], "partialFailure": true,
    "validateOnly": ...}}``, at most ``batch_size`` (default and most 2,000) conversions each.
    Each conversion is ``{"gclid" | "gbraid" | "wbraid", "conversion_action":
    "customers/<id>/conversionActions/<id>", "conversion_date_time": "yyyy-mm-dd hh:mm:ss+hh:mm"
    (see :func:`google_ads_date_time`), "conversion_value", "currency_code", "order_id",
    "user_data"}``; ``user_data`` (``em``, ``ph``, ``fn``, ``ln``, ``country_code``,
    ``postal_code``) becomes hashed ``userIdentifiers`` under Google's rules (``google_email`` as
    in :func:`normalize`)."""
    options = _given(customer_id=customer_id, validate_only=validate_only, batch_size=batch_size,
                     pii=_pii(google_email) or None)
    return json.loads(_cw.platform_google_ads_click_conversions(_items("conversions", conversions), options))


def google_ads_user_identifiers(user_data: Mapping[str, str], *, google_email: Optional[str] = None) -> List[Dict[str, Any]]:
    """One person's ``userIdentifiers`` for enhanced conversions and Customer Match:
    ``hashedEmail``, ``hashedPhoneNumber`` (E.164) and one ``addressInfo`` (hashed names, country
    and postal code as they are), in that order."""
    data = _frames.json_text("user_data", dict(user_data) if isinstance(user_data, Mapping) else user_data)
    return json.loads(_cw.platform_google_ads_user_identifiers(data, _given(**_pii(google_email))))


def google_ads_customer_match(users: Sequence[Mapping[str, str]], *, google_email: Optional[str] = None) -> List[Dict[str, Any]]:
    """Customer Match ``create`` operations for ``OfflineUserDataJobService``, one per person:
    ``[{"create": {"userIdentifiers": [...]}}, ...]``; a person without an identifier is an error
    naming ``users[i].user_data``."""
    return json.loads(_cw.platform_google_ads_customer_match(_items("users", users), _given(**_pii(google_email))))


def google_ads_mutate(changes: Sequence[Mapping[str, Any]], *, partial_failure: Optional[bool] = None,
                      validate_only: Optional[bool] = None) -> List[Dict[str, Any]]:
    """Google Ads ``mutate`` requests for budget, bid and status changes (the ``change`` shape of
    :func:`meta_change_request`, ``entity`` a resource name: a budget on
    ``customers/<id>/campaignBudgets/<id>``, a bid on ``customers/<id>/adGroups/<id>``, a status
    on an ad group or campaign): one ``{"path": "customers/<id>/<collection>:mutate", "keys",
    "body": {"operations", "partialFailure" (default true), "validateOnly"}}`` per customer and
    collection, amounts in micros with an ``updateMask``."""
    options = _given(partial_failure=partial_failure, validate_only=validate_only)
    return json.loads(_cw.platform_google_ads_mutate(_items("changes", changes), options))


def google_ads_date_time(when: Any, offset_minutes: int = 0) -> str:
    """``when`` (ms since the epoch, or a datetime; naive = UTC) as Google Ads'
    ``yyyy-mm-dd hh:mm:ss+hh:mm`` at the account's UTC offset in minutes (-840 to 840)."""
    if isinstance(offset_minutes, bool) or not isinstance(offset_minutes, int) or abs(offset_minutes) > 840:
        from . import OutOfRangeError

        raise OutOfRangeError(f"offset_minutes must be in [-840, 840], got {offset_minutes!r}")
    return _cw.platform_google_ads_format_date_time(_ms("when", when), offset_minutes)


def google_ads_parse_date_time(text: str) -> int:
    """Google Ads' ``yyyy-mm-dd hh:mm:ss+hh:mm`` as ms since the epoch; another layout, a date
    that does not exist or an offset beyond ±14:00 raises naming ``conversion_date_time``."""
    return _cw.platform_google_ads_parse_date_time(text)


def _report(source: str, response: Any, backend: str, options: Dict[str, Any]) -> Any:
    if isinstance(response, (bytes, bytearray, memoryview)):
        response = bytes(response).decode("utf-8")
    text = response if isinstance(response, str) else _frames.json_text("response", response)
    report = json.loads(_cw.platform_metrics_report(source, text, _given(**options)))
    return _metrics_frame(report["rows"], backend, report["time_zone"])


def meta_insights(response: Any, *, time_zone: Optional[str] = None, entity: Optional[str] = None,
                  conversion_action_types: Optional[Sequence[str]] = None, currency: Optional[str] = None,
                  backend: str = "pandas") -> Any:
    """A Meta Ads Insights response (``{"data": [...]}`` or a list of such pages, as parsed JSON
    or its text; ask for ``time_increment=1``) as daily metrics rows: a DataFrame with ``entity``
    (the ``entity`` field, default ``campaign_id``), ``date``, ``spend``, ``impressions``,
    ``clicks``, ``conversions`` and ``value`` (sums of ``actions`` / ``action_values`` over
    ``conversion_action_types``, default the pixel's purchases), ``currency``
    (``account_currency`` or ``currency``) and ``time_zone`` (the account's, which Insights rows
    do not carry: required). A malformed field raises naming its path (``data[3].spend``)."""
    types = None if conversion_action_types is None else _frames.items("conversion_action_types", conversion_action_types)
    return _report("meta_insights", response, backend, dict(time_zone=time_zone, entity=entity,
                   conversion_action_types=types, currency=currency))


def google_ads_metrics(response: Any, *, entity: Optional[str] = None, currency: Optional[str] = None,
                       time_zone: Optional[str] = None, backend: str = "pandas") -> Any:
    """A Google Ads report (``searchStream`` batches or one ``search`` page, REST JSON, camelCase
    or snake_case) as daily metrics rows (columns as :func:`meta_insights`): spend from
    ``metrics.costMicros``, the day from ``segments.date``, currency and time zone from
    ``customer.currencyCode`` / ``customer.timeZone`` or the options; ``entity`` is a dotted path
    (default ``campaign.id``)."""
    return _report("google_ads", response, backend, dict(entity=entity, currency=currency, time_zone=time_zone))


def ga4_run_report(response: Any, *, entity: Optional[str] = None, date: Optional[str] = None,
                   spend: Optional[str] = None, impressions: Optional[str] = None, clicks: Optional[str] = None,
                   conversions: Optional[str] = None, value: Optional[str] = None, currency: Optional[str] = None,
                   time_zone: Optional[str] = None, backend: str = "pandas") -> Any:
    """A GA4 Data API ``runReport`` response as daily metrics rows (columns as
    :func:`meta_insights`). ``entity`` and ``date`` name dimensions (default
    ``sessionCampaignId`` and ``date``), the others the metric read as each column (defaults
    ``advertiserAdCost``, ``advertiserAdImpressions``, ``advertiserAdClicks``, ``keyEvents``,
    ``totalRevenue``; a metric not in the report is 0); currency and time zone from ``metadata``
    or the options."""
    return _report("ga4_run_report", response, backend, dict(
        entity=entity, date=date, spend=spend, impressions=impressions, clicks=clicks, conversions=conversions,
        value=value, currency=currency, time_zone=time_zone))
