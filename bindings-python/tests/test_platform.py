"""cw.platform: PII normalised and hashed (the vendors' own numbers are the shared vectors' job:
tests/vectors/platform/), errors that name the field and never the value, webhooks over raw bytes,
the simulated market (same seed, same market; vendor failures raise PlatformCallError) and the
classifier of vendor errors."""

from __future__ import annotations

import datetime as dt
import json
import time

import pandas as pd
import polars as pl
import pytest

import channelwise as cw

BODY = b'{"id":820982911946154508,"email":"jon@example.com","total_price":"598.94"}'


def test_readme_example(capsys):
    # An incoming Shopify orders/create webhook, as a web framework hands it over (signed here
    # with the app's secret, as Shopify would)
    SHOPIFY_SECRET = "shpss_example_secret"
    raw_body = b'{"id":820982911946154508,"email":" Jon@Example.com","phone":"+1 (650) 555-1212","total_price":"598.94"}'
    signer = __import__("channelwise").platform  # the snippet below imports channelwise itself
    headers = {"X-Shopify-Hmac-Sha256": signer.sign_webhook("shopify", secret=SHOPIFY_SECRET, body=raw_body)}

    # START: readme-python-platform
    import json

    import channelwise as cw

    def on_order(raw_body: bytes, headers) -> tuple:
        # Verify the raw bytes before parsing them (Flask: request.get_data(); Django: request.body)
        if not cw.platform.verify_webhook(
            "shopify",  # or "meta" (X-Hub-Signature-256), "timestamped" (t=...,v1=..., Stripe-style)
            secret=SHOPIFY_SECRET,
            body=raw_body,
            header=headers["X-Shopify-Hmac-Sha256"],
        ):
            return 401, None
        order = json.loads(raw_body)
        # Customer data for Meta's Conversions API: normalised as Meta documents it, then SHA-256
        user_data = cw.platform.hash_user_data({"em": order["email"], "ph": order["phone"]}, vendor="meta")
        return 200, user_data  # {"em": "<64 hex>", "ph": "<64 hex>"}, never the raw values

    status, user_data = on_order(raw_body, headers)
    print(status, cw.platform.normalize("ph", "+1 (650) 555-1212"))  # 200 16505551212
    print(on_order(raw_body.replace(b"598.94", b"0.01"), headers)[0])  # 401

    # A seeded simulated market for the decision engine's tests: vendor failures are data
    market = cw.platform.SimMarket({"seed": 7, "faults": {"timeout": 0.1}})
    market.run_days(28)
    try:
        df = market.read_metrics("2026-01-05", "2026-02-01")  # pandas; backend="polars" for polars
    except cw.platform.PlatformCallError as e:
        print(cw.platform.classify(e.error, market.now_ms))  # {'action': 'retry'}
    # END: readme-python-platform

    printed = capsys.readouterr().out.splitlines()
    assert printed[:2] == ["200 16505551212", "401"]
    assert status == 200
    assert user_data == {"em": cw.platform.hash("em", "jon@example.com"), "ph": cw.platform.hash("ph", "16505551212")}
    assert on_order(raw_body.replace(b"598.94", b"0.01"), headers) == (401, None)


def test_pii_normalize_hash_and_user_data():
    assert cw.platform.normalize("em", " John_Smith@Gmail.com ") == "john_smith@gmail.com"
    # Meta's own example on its Customer Information Parameters page
    assert cw.platform.hash("em", "John_Smith@gmail.com") == "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"
    assert cw.platform.normalize("ph", "+1 (800) 555-0100", vendor="google") == "+18005550100"
    email = "Jane.Doe+News@gmail.com"
    assert cw.platform.normalize("em", email, vendor="google") == "janedoe@gmail.com"
    assert cw.platform.normalize("em", email, vendor="google", google_email="sdk") == "janedoe+news@gmail.com"
    hashed = cw.platform.hash_user_data({"em": ["Jane@Example.com", " JOHN_SMITH@gmail.com"], "ph": "+1 650 555 1212", "country": "US"})
    assert sorted(hashed) == ["country", "em", "ph"]
    assert hashed["em"][1] == cw.platform.hash("em", "john_smith@gmail.com")
    assert hashed["ph"] == cw.platform.hash("ph", "+16505551212")
    assert cw.platform.hash("em", hashed["ph"].upper()) == hashed["ph"]  # pre-hashed passes through
    assert cw.platform.hash_user_data({"em": ("a@b.co",)}) == {"em": [cw.platform.hash("em", "a@b.co")]}


SECRET_PII = "jane.secret.person.example.com"


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: cw.platform.normalize("em", SECRET_PII), "user_data.em"),
        (lambda: cw.platform.hash("ph", "0207946001812"), "user_data.ph"),
        (lambda: cw.platform.hash_user_data({"em": ["ok@example.com", SECRET_PII]}), "user_data.em[1]"),
        (lambda: cw.platform.hash_user_data({"zp": 94035123}), "user_data.zp"),
        (lambda: cw.platform.normalize("em", 12345678), "user_data.em"),
        (lambda: cw.platform.hash_user_data({"em": [SECRET_PII, 12345678]}), "user_data.em[1]"),
        (lambda: cw.platform.hash_user_data({"em": ["a@b.co"]}, vendor="google"), "user_data.em"),
        (lambda: cw.platform.hash_user_data({"em": "a@b.co", "fbc": "fb.1.1554763741205.AbCdEfGh"}), "fbc"),
    ],
)
def test_pii_errors_name_the_field_never_the_value(call, field):
    with pytest.raises(cw.InvalidParameterError) as info:
        call()
    shown = f"{info.value} {info.value!r}"
    assert info.value.code == "invalid_parameter"
    assert field in shown
    for raw in (SECRET_PII, "94035123", "12345678", "0207946001812"):
        assert raw not in shown


def test_documents_name_the_place_of_a_bad_value_as_node_does():
    # the place under the argument, as Node's message gives it (it said "the document")
    bad = {"key": "k", "entity": "123", "action": {"kind": "budget", "daily": "x"}}
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid change\.action\.daily: "x" \(invalid type: string "x", expected f64\)$'):
        cw.platform.meta_change_request(bad, "USD")
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid change\.entity: "absent" \(required, but missing\)$'):
        cw.platform.meta_change_request({"key": "k", "action": {"kind": "budget", "daily": 1.0}}, "USD")
    with pytest.raises(cw.InvalidParameterError, match=r"^invalid config\.seed: "):
        cw.platform.SimMarket({"seed": "x"})
    # an unknown key by its own name and value, not the whole settings object
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid config\.sede: "3" \(unknown field `sede`, expected one of'):
        cw.platform.SimMarket({"sede": 3})
    # misspelt settings were ignored (no faults injected, the default classifier): refused now
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid config\.faults\.timout: "0\.5" \(unknown field `timout`'):
        cw.platform.SimMarket({"faults": {"timout": 0.5}})
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid classifier\.retyr: "1" \(unknown field `retyr`'):
        cw.platform.classify({"kind": "http", "status": 500}, 0, {"retyr": 1})
    # items and payloads that may carry customer data: the place and the kind, never the value
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid changes\[1\]\.action\.daily: "a string" \(expected f64, got a string\)$'):
        cw.platform.google_ads_mutate([{**bad, "entity": "customers/1/campaignBudgets/2", "action": {"kind": "budget", "daily": 5.0}},
                                       {**bad, "key": "k2", "entity": "customers/1/campaignBudgets/3"}])
    with pytest.raises(cw.InvalidParameterError, match=r'^invalid payload\.user_id: "a number" \(expected a string, got a number\)$') as e:
        cw.platform.ga4_requests({"client_id": "c", "user_id": 16505551212, "events": [{"name": "purchase"}]})
    assert "16505551212" not in str(e.value)


def test_pii_bad_options():
    with pytest.raises(cw.InvalidParameterError, match="vendor"):
        cw.platform.normalize("em", "a@b.co", vendor="tiktok")
    with pytest.raises(cw.InvalidParameterError, match="google_email"):
        cw.platform.normalize("em", "a@b.co", vendor="google", google_email="gmail")
    with pytest.raises(cw.InvalidParameterError, match="user_data"):
        cw.platform.hash_user_data(["em"])


@pytest.mark.parametrize("scheme", ["shopify", "meta", "timestamped"])
def test_webhooks_bytes_and_str_one_changed_byte(scheme):
    header = cw.platform.sign_webhook(scheme, secret="hush", body=BODY, t=1_700_000_000)
    assert cw.platform.sign_webhook(scheme, secret=b"hush", body=BODY.decode(), t=1_700_000_000) == header
    kw = dict(secret="hush", header=header, now=1_700_000_100)
    for body in (BODY, BODY.decode(), bytearray(BODY), memoryview(BODY)):
        assert cw.platform.verify_webhook(scheme, body=body, **kw) is True
    changed = bytearray(BODY)
    changed[10] ^= 1
    assert cw.platform.verify_webhook(scheme, body=bytes(changed), **kw) is False
    assert cw.platform.verify_webhook(scheme, body=BODY, **{**kw, "secret": "hush!"}) is False


def test_webhook_binary_body_and_the_timestamp_window():
    binary = bytes(range(256))
    h = cw.platform.sign_webhook("shopify", secret="hush", body=binary)
    assert cw.platform.verify_webhook("shopify", secret="hush", body=binary, header=h)
    t = 1_700_000_000
    header = cw.platform.sign_webhook("timestamped", secret="whsec", body=BODY, t=t)
    kw = dict(secret="whsec", body=BODY, header=header)
    assert cw.platform.verify_webhook("timestamped", now=t + 300, **kw)
    assert not cw.platform.verify_webhook("timestamped", now=t + 301, **kw)
    assert not cw.platform.verify_webhook("timestamped", now=t - 301, **kw)
    assert cw.platform.verify_webhook("timestamped", now=t + 10_000, tolerance=None, **kw)
    assert cw.platform.verify_webhook("timestamped", now=dt.datetime.fromtimestamp(t + 5, dt.timezone.utc), **kw)
    assert cw.platform.check_timestamped(now=t + 301, **kw) == "outside_tolerance"
    assert cw.platform.check_timestamped(now=t, **{**kw, "secret": "other"}) == "mismatch"
    assert cw.platform.check_timestamped(now=t + 5, tolerance=10, **kw) == "valid"
    # now=None reads the clock (the core reads none)
    fresh = cw.platform.sign_webhook("timestamped", secret="whsec", body=BODY)
    assert abs(int(fresh.split(",")[0][2:]) - time.time()) < 5
    assert cw.platform.verify_webhook("timestamped", secret="whsec", body=BODY, header=fresh)
    assert not cw.platform.verify_webhook("timestamped", **kw)


def test_webhook_bad_input():
    with pytest.raises(cw.InvalidParameterError, match="X-Hub-Signature-256"):
        cw.platform.verify_webhook("meta", secret="s", body=BODY, header="sha1=abc")
    with pytest.raises(cw.InvalidParameterError, match="X-Shopify-Hmac-Sha256"):
        cw.platform.verify_webhook("shopify", secret="s", body=BODY, header="not base64!")
    with pytest.raises(cw.InvalidParameterError, match="Stripe-Signature"):
        cw.platform.verify_webhook("timestamped", secret="s", body=BODY, header="v1=abc")
    with pytest.raises(cw.InvalidParameterError, match="scheme"):
        cw.platform.verify_webhook("github", secret="s", body=BODY, header="x")
    with pytest.raises(cw.InvalidParameterError, match="body"):
        cw.platform.verify_webhook("meta", secret="s", body=[1, 2], header="x")
    with pytest.raises(cw.OutOfRangeError, match="tolerance"):
        cw.platform.verify_webhook("timestamped", secret="s", body=BODY, header="t=1,v1=" + "0" * 64, tolerance=-1)
    with pytest.raises(cw.InvalidParameterError, match="now"):
        cw.platform.verify_webhook("timestamped", secret="s", body=BODY, header="t=1,v1=" + "0" * 64, now=1.5)
    # found by an audit: an empty secret verified what it signed; past 64 bits an OverflowError
    for scheme in ("meta", "shopify", "timestamped"):
        header = cw.platform.sign_webhook(scheme, secret="", body=BODY, t=1)
        with pytest.raises(cw.InvalidParameterError, match=r'invalid secret: "" \(empty'):
            cw.platform.verify_webhook(scheme, secret="", body=BODY, header=header, now=1)
    with pytest.raises(cw.OutOfRangeError, match=r"^now must be in"):
        cw.platform.verify_webhook("timestamped", secret="s", body=BODY, header="t=1,v1=" + "0" * 64, now=2**63)
    with pytest.raises(cw.OutOfRangeError, match=r"^tolerance must be in"):
        cw.platform.verify_webhook("timestamped", secret="s", body=BODY, header="t=1,v1=" + "0" * 64, tolerance=2**64)


def test_sim_market_same_seed_same_market():
    a, b = cw.platform.SimMarket({"seed": 11}), cw.platform.SimMarket({"seed": 11})
    assert a.today == dt.date(2026, 1, 5)
    assert a.now_ms == int(dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc).timestamp() * 1000)
    a.run_days(14)
    for _ in range(14):
        b.step_day()
    assert a.today == dt.date(2026, 1, 19)
    ra = a.read_metrics("2026-01-05", dt.date(2026, 1, 18))
    rb = b.read_metrics(dt.date(2026, 1, 5), "2026-01-18")
    assert isinstance(ra, pd.DataFrame) and len(ra) == 28
    assert list(ra.columns) == ["entity", "date", "spend", "impressions", "clicks", "conversions", "value", "currency"]
    assert str(ra["date"].dtype).startswith("datetime64")
    pd.testing.assert_frame_equal(ra, rb)
    pd.testing.assert_frame_equal(a.true_metrics("2026-01-05", "2026-01-18"), b.true_metrics("2026-01-05", "2026-01-18"))
    assert (a.true_metrics("2026-01-05", "2026-01-18")["conversions"].sum() >= ra["conversions"].sum())
    c = cw.platform.SimMarket({"seed": 12})
    c.advance(14 * 86_400_000)
    assert c.today == dt.date(2026, 1, 19)
    assert not c.read_metrics("2026-01-05", "2026-01-18").equals(ra)
    p = a.read_metrics("2026-01-05", "2026-01-18", entities=["search"], backend="polars")
    assert isinstance(p, pl.DataFrame) and p.height == 14 and p.schema["date"] == pl.Date
    assert p["spend"].to_list() == ra[ra["entity"] == "search"]["spend"].tolist()
    assert a.config["seed"] == 11


def test_sim_market_changes_and_vendor_failures():
    m = cw.platform.SimMarket({"seed": 3})
    m.run_days(2)
    change = {"key": "plan-1/search", "entity": "search", "action": {"kind": "budget", "daily": 120.0}}
    [r] = m.apply_changes([change])
    assert r["outcome"]["status"] == "applied" and r["outcome"]["state"]["daily_budget"] == 120.0
    assert m.apply_changes([change])[0]["outcome"]["status"] == "already_applied"
    assert m.read_entity("search")["daily_budget"] == 120.0
    assert [c["key"] for c in m.applied] == ["plan-1/search"]
    with pytest.raises(cw.platform.PlatformCallError) as info:
        m.read_entity("nope")
    assert info.value.kind == "meta" and info.value.error["code"] == 100
    assert not isinstance(info.value, cw.ChannelwiseError)
    f = cw.platform.SimMarket({"seed": 5, "faults": {"timeout": 1.0}})
    with pytest.raises(cw.platform.PlatformCallError) as info:
        f.read_metrics("2026-01-05", "2026-01-05")
    assert info.value.error == {"kind": "timeout"}
    assert cw.platform.classify(info.value.error, f.now_ms) == {"action": "retry"}
    assert f.fault_log[0]["kind"] == "timeout"
    # bad input of the caller's own is a ChannelwiseError
    with pytest.raises(cw.OutOfRangeError, match="faults.lost_ack"):
        cw.platform.SimMarket({"faults": {"lost_ack": 1.5}})
    with pytest.raises(cw.InvalidParameterError, match="config"):
        cw.platform.SimMarket({"seed": "x"})
    with pytest.raises(cw.OutOfRangeError, match="daily"):
        m.apply_changes([{**change, "action": {"kind": "budget", "daily": -1}}])
    with pytest.raises(cw.InvalidParameterError, match="query"):
        m.read_metrics("2026-02-30", "2026-03-01")
    with pytest.raises(cw.InvalidParameterError, match="backend"):
        m.read_metrics("2026-01-05", "2026-01-05", backend="arrow")
    with pytest.raises(cw.OutOfRangeError, match="ms"):
        m.advance(-1)


def test_sim_market_faulty_year_is_reproducible():
    cfg = {"seed": 9, "faults": {"timeout": 0.05, "server_error": 0.05, "item_failure": 0.1, "lost_ack": 0.05,
                                 "duplicate": 0.05, "stale_read": 0.1}}
    logs = []
    for _ in range(2):
        m = cw.platform.SimMarket(cfg)
        for day in range(365):
            m.step_day()
            try:
                m.apply_changes([{"key": f"d{day}", "entity": "search", "action": {"kind": "budget", "daily": 100.0 + day % 7}}])
            except cw.platform.PlatformCallError:
                pass
        logs.append((m.fault_log, m.applied))
    assert logs[0] == logs[1]
    assert len(logs[0][0]) > 10


def test_classify():
    assert cw.platform.classify({"kind": "meta", "code": 80004, "retry_after_ms": 300_000}, 0) == {"action": "back_off", "min_wait_ms": 300_000}
    assert cw.platform.classify({"kind": "http", "status": 429}, 0, {"http_429_wait_ms": 5000}) == {"action": "back_off", "min_wait_ms": 5000}
    assert cw.platform.classify({"kind": "google_ads", "code": "RESOURCE_EXHAUSTED"}, 1000) == {"action": "give_up", "retry_at_ms": 86_400_000}
    assert cw.platform.classify({"kind": "meta", "code": 190}, 0) == {"action": "give_up", "retry_at_ms": None}
    assert cw.platform.classify({"kind": "adapter", "message": "wrong shape"}, 0) == {"action": "give_up", "retry_at_ms": None}
    with pytest.raises(cw.InvalidParameterError, match="error"):
        cw.platform.classify({"kind": "carrier_pigeon"}, 0)
    with pytest.raises(cw.OutOfRangeError, match="quota_reset_offset_minutes"):
        cw.platform.classify({"kind": "timeout"}, 0, {"quota_reset_offset_minutes": 2000})


def test_readme_payloads_example(capsys):
    now_ms = 1_700_000_000_000  # the snippet reads the clock when now_ms is left out
    # START: readme-python-platform-payloads
    import channelwise as cw

    # Meta Conversions API: events checked as Meta documents them, customer data hashed,
    # split into bodies of at most 1,000 events (POST each to /{pixel_id}/events)
    bodies = cw.platform.meta_capi_events([{
        "event_name": "Purchase", "event_time": 1_699_996_400, "event_id": "order-1042",
        "action_source": "website", "event_source_url": "https://shop.example/thanks",
        "user_data": {"em": " Jane.Doe@Example.com", "ph": "+1 (650) 555-1212", "client_user_agent": "Mozilla/5.0"},
        "custom_data": {"currency": "USD", "value": 59.90},
    }], now_ms=now_ms)
    print(bodies[0]["data"][0]["user_data"]["em"][:16])  # SHA-256 hex, never the address

    # Google Ads: a click conversion at the account's offset, and a budget in micros
    when = cw.platform.google_ads_date_time(1_699_996_400_000, offset_minutes=-480)
    uploads = cw.platform.google_ads_click_conversions([{
        "gclid": "Cj0KCQjw", "conversion_action": "customers/1234567890/conversionActions/987",
        "conversion_date_time": when, "conversion_value": 59.90, "currency_code": "USD", "order_id": "order-1042",
    }], customer_id="1234567890")
    mutate = cw.platform.google_ads_mutate([{
        "key": "plan-7/brand", "entity": "customers/1234567890/campaignBudgets/111",
        "action": {"kind": "budget", "daily": 250.0},
    }])
    print(when, mutate[0]["body"]["operations"][0]["update"]["amountMicros"])

    # Reports from every vendor in one shape: a DataFrame of daily rows per entity
    insights = {"data": [{"campaign_id": "2384", "date_start": "2026-03-01", "date_stop": "2026-03-01",
                          "spend": "249.30", "impressions": "31012", "clicks": "402", "account_currency": "USD",
                          "actions": [{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "17"}]}]}
    daily = cw.platform.meta_insights(insights, time_zone="America/New_York")
    print(daily[["entity", "spend", "conversions", "time_zone"]].to_dict("records"))
    # END: readme-python-platform-payloads
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == cw.platform.hash("em", "jane.doe@example.com")[:16]
    assert printed[1] == "2023-11-14 13:13:20-08:00 250000000"
    assert printed[2] == "[{'entity': '2384', 'spend': 249.3, 'conversions': 17.0, 'time_zone': 'America/New_York'}]"
    [body] = uploads
    assert body["path"] == "customers/1234567890:uploadClickConversions"
    assert body["body"]["partialFailure"] is True and body["body"]["validateOnly"] is False
    assert body["body"]["conversions"][0]["conversionDateTime"] == when
    assert bodies[0]["data"][0]["user_data"]["ph"] == cw.platform.hash("ph", "16505551212")


def _payload_vectors():
    from conftest import VECTORS



    for f in sorted((VECTORS / "platform").glob("payloads_*.json")):
        v = json.loads(f.read_text())
        if "error" not in v["expected"] and v["function"] != "platform.payloads.google_ads_date_time":
            yield pytest.param(v, id=f.stem)


@pytest.mark.parametrize("v", list(_payload_vectors()))
def test_payloads_are_the_cores_bytes(v):
    """The core's request text, parsed and dumped compactly by Python, is the same bytes: the dicts
    cw.platform returns serialise to exactly what the core built (key order and numbers kept)."""
    from channelwise import _channelwise as native

    inp, p = v["input"], dict(v.get("params") or {})
    fn = v["function"].rsplit(".", 1)[1]
    dumps = json.dumps
    if fn == "meta_capi":
        text = native.platform_meta_capi_requests(dumps(inp["events"]), dumps(p))
        public = cw.platform.meta_capi_events(inp["events"], **p)
    elif fn == "meta_change":
        text = native.platform_meta_change_request(dumps(inp["change"]), inp["currency"])
        public = cw.platform.meta_change_request(inp["change"], inp["currency"])
    elif fn == "ga4_mp":
        split = p.pop("split", True)
        text = native.platform_ga4_requests(dumps(inp["payload"]), dumps(p), split)
        public = cw.platform.ga4_requests(inp["payload"], **p) if split else [cw.platform.ga4_body(inp["payload"], **p)]
    elif fn == "google_ads_click_conversions":
        text = native.platform_google_ads_click_conversions(dumps(inp["conversions"]), dumps(p))
        public = cw.platform.google_ads_click_conversions(inp["conversions"], **p)
    elif fn == "google_ads_user_identifiers":
        text = native.platform_google_ads_user_identifiers(dumps(inp["user_data"]), dumps(p.get("options", {})))
        public = cw.platform.google_ads_user_identifiers(inp["user_data"])
    elif fn == "google_ads_customer_match":
        text = native.platform_google_ads_customer_match(dumps(inp["users"]), dumps(p.get("options", {})))
        public = cw.platform.google_ads_customer_match(inp["users"])
    else:
        assert fn == "google_ads_mutate", fn
        text = native.platform_google_ads_mutate(dumps(inp["changes"]), dumps(p))
        public = cw.platform.google_ads_mutate(inp["changes"], **p)
    assert json.dumps(public, separators=(",", ":"), ensure_ascii=False) == text


def test_payload_options_and_clock():
    event = {"event_name": "Lead", "event_time": int(time.time()) - 60, "action_source": "system_generated",
             "user_data": {"external_id": "crm-17"}}
    [body] = cw.platform.meta_capi_events([event], test_event_code="TEST42")  # now_ms: the clock
    assert body["test_event_code"] == "TEST42" and body["data"][0]["user_data"]["external_id"] == cw.platform.hash("external_id", "crm-17")
    sent = dt.datetime.fromtimestamp(event["event_time"] + 3600, dt.timezone.utc)
    assert cw.platform.meta_capi_events([event], now_ms=sent) == cw.platform.meta_capi_events([event], now_ms=sent.timestamp() * 1000 // 1)
    assert [len(b["data"]) for b in cw.platform.meta_capi_events([event] * 5, batch_size=2)] == [2, 2, 1]
    assert cw.platform.meta_capi_events([]) == []
    payload = {"client_id": "555.1", "events": [{"name": "page_view", "params": {"n": i}} for i in range(30)]}
    assert [len(b["events"]) for b in cw.platform.ga4_requests(payload)] == [25, 5]
    assert cw.platform.ga4_body({**payload, "events": payload["events"][:3]})["client_id"] == "555.1"
    r = cw.platform.meta_change_request({"key": "k1", "entity": "120330000000000", "action": {"kind": "budget", "daily": 3000}}, "JPY")
    assert r["body"] == {"daily_budget": 3000} and r["path"] == "/120330000000000"
    ms = cw.platform.google_ads_parse_date_time("2026-03-01 12:32:45-08:00")
    assert cw.platform.google_ads_date_time(ms) == "2026-03-01 20:32:45+00:00"
    assert cw.platform.google_ads_date_time(dt.datetime(2026, 3, 1, 20, 32, 45)) == "2026-03-01 20:32:45+00:00"
    ids = cw.platform.google_ads_user_identifiers({"em": "Jane.Doe+news@gmail.com"}, google_email="sdk")
    assert ids == [{"hashedEmail": cw.platform.hash("em", "janedoe+news@gmail.com", vendor="google", google_email="sdk")}]
    import numpy as np

    c = {"gclid": "g", "conversion_action": "customers/1/conversionActions/2", "conversion_date_time": "2026-03-01 12:32:45+01:00",
         "conversion_value": np.float64(12.5)}
    [req] = cw.platform.google_ads_click_conversions([c], customer_id="1", validate_only=True)
    assert req["body"]["validateOnly"] is True and req["body"]["conversions"][0]["conversionValue"] == 12.5


def test_metrics_frames():
    response = {"data": [
        {"adset_id": "7", "date_start": "2026-03-01", "date_stop": "2026-03-01", "spend": "10.5", "impressions": "100",
         "clicks": "4", "actions": [{"action_type": "lead", "value": "2"}]},
        {"adset_id": "7", "date_start": "2026-03-02", "date_stop": "2026-03-02", "spend": "11", "impressions": "90"},
    ]}
    df = cw.platform.meta_insights(response, entity="adset_id", conversion_action_types=["lead"], currency="EUR", time_zone="Europe/Berlin")
    assert list(df.columns) == ["entity", "date", "spend", "impressions", "clicks", "conversions", "value", "currency", "time_zone"]
    assert str(df["date"].dtype).startswith("datetime64") and df["conversions"].tolist() == [2.0, 0.0]
    assert set(df["currency"]) == {"EUR"} and set(df["time_zone"]) == {"Europe/Berlin"}
    p = cw.platform.meta_insights(json.dumps(response).encode(), entity="adset_id", currency="EUR", time_zone="UTC", backend="polars")
    assert isinstance(p, pl.DataFrame) and p.schema["date"] == pl.Date and p["spend"].to_list() == [10.5, 11.0]
    ads = [{"results": [{"campaign": {"id": "1"}, "segments": {"date": "2026-03-01"}, "metrics": {"costMicros": "2500000", "clicks": "3"},
                         "customer": {"currencyCode": "USD", "timeZone": "America/Chicago"}}]}]
    g = cw.platform.google_ads_metrics(ads)
    assert g["spend"].tolist() == [2.5] and g["time_zone"].tolist() == ["America/Chicago"]
    empty = cw.platform.google_ads_metrics([], currency="USD", time_zone="UTC")
    assert len(empty) == 0 and "time_zone" in empty.columns
    with pytest.raises(cw.InvalidParameterError, match=r"data\[0\]\.spend"):
        cw.platform.meta_insights({"data": [{**response["data"][0], "spend": "12,50"}]}, entity="adset_id", currency="EUR", time_zone="UTC")
    with pytest.raises(cw.InvalidParameterError, match="time_zone"):
        cw.platform.meta_insights(response, entity="adset_id", currency="EUR")
    with pytest.raises(cw.InvalidParameterError, match="response"):
        cw.platform.ga4_run_report("{not json")


SECRET_PHONE = 6505551212


@pytest.mark.parametrize(
    "call, error, field",
    [
        # customer data that is not text: named by key, never shown
        (lambda: cw.platform.meta_capi_events([{"event_name": "Lead", "event_time": 1_700_000_000, "action_source": "email",
                                                "user_data": {"ph": SECRET_PHONE}}], now_ms=1_700_000_000_000),
         cw.InvalidParameterError, "events[0].user_data.ph"),
        (lambda: cw.platform.google_ads_customer_match([{"em": "a@example.com"}, {"ph": ["+16505550000", SECRET_PHONE]}]),
         cw.InvalidParameterError, "users[1].user_data.ph[1]"),
        (lambda: cw.platform.google_ads_user_identifiers({"ph": SECRET_PHONE}), cw.InvalidParameterError, "user_data.ph"),
        (lambda: cw.platform.google_ads_click_conversions([{"gclid": "g", "conversion_action": "customers/1/conversionActions/2",
                                                            "conversion_date_time": "2026-03-01 12:32:45+01:00",
                                                            "user_data": {"em": [SECRET_PHONE]}}], customer_id="1"),
         cw.InvalidParameterError, "conversions[0].user_data.em[0]"),
        # the core's own checks, named by path
        (lambda: cw.platform.meta_capi_events([{"event_name": "Lead", "event_time": 1_699_000_000, "action_source": "email",
                                                "user_data": {"em": "a@example.com"}}], now_ms=1_700_000_000_000),
         cw.InvalidParameterError, "events[0].event_time"),
        (lambda: cw.platform.meta_capi_events([{"event_name": "Lead", "action_source": "email"}]), cw.InvalidParameterError, "events[0]"),
        (lambda: cw.platform.meta_capi_events([{}], batch_size=1001), cw.InvalidParameterError, "events[0]"),
        (lambda: cw.platform.meta_capi_events([], batch_size=1001), cw.OutOfRangeError, "batch_size"),
        (lambda: cw.platform.meta_capi_events({"event_name": "Lead"}), cw.InvalidParameterError, "events"),
        (lambda: cw.platform.meta_change_request({"key": "k", "entity": "1", "action": {"kind": "budget", "daily": 5}}, "XXX"),
         cw.InvalidParameterError, "currency"),
        (lambda: cw.platform.meta_change_request({"key": "k", "entity": "1", "action": {"kind": "budget", "daily": float("nan")}}, "USD"),
         cw.NonFiniteError, "change"),
        (lambda: cw.platform.ga4_body({"client_id": "1", "events": [{"name": "p"}] * 26}), cw.InvalidParameterError, "events"),
        (lambda: cw.platform.google_ads_mutate([{"key": "k", "entity": "customers/1/campaigns/5", "action": {"kind": "budget", "daily": 1}}]),
         cw.InvalidParameterError, "changes[0].entity"),
        (lambda: cw.platform.google_ads_date_time(0, offset_minutes=900), cw.OutOfRangeError, "offset_minutes"),
        (lambda: cw.platform.google_ads_date_time(0, offset_minutes=2**40), cw.OutOfRangeError, "offset_minutes"),
        (lambda: cw.platform.google_ads_parse_date_time("2026-02-29 00:00:00+00:00"), cw.InvalidParameterError, "conversion_date_time"),
        (lambda: cw.platform.google_ads_date_time(1.5), cw.InvalidParameterError, "when"),
        (lambda: cw.platform.ga4_requests({"client_id": "1", "events": [{"name": object()}]}), cw.InvalidParameterError, "payload"),
    ],
)
def test_payload_bad_input(call, error, field):
    with pytest.raises(error) as info:
        call()
    shown = f"{info.value} {info.value!r}"
    assert field in shown
    assert str(SECRET_PHONE) not in shown


def test_a_naive_datetime_is_utc_whatever_the_machine_zone(monkeypatch):
    # datetime.timestamp() reads a naive datetime in the machine's zone: the same signature
    # was valid in UTC and outside the tolerance in New York
    import datetime as dt
    import time

    got = {}
    for zone in ("UTC", "America/New_York", "Asia/Tokyo"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        got[zone] = cw.platform.sign_webhook("timestamped", secret="s", body="{}", t=dt.datetime(2024, 1, 1, 12))
    monkeypatch.delenv("TZ")
    time.tzset()
    assert set(got.values()) == {got["UTC"]} and got["UTC"].startswith("t=1704110400,")
    aware = dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone.utc)
    assert cw.platform.sign_webhook("timestamped", secret="s", body="{}", t=aware) == got["UTC"]
