"""cw.platform: PII normalised and hashed (the vendors' own numbers are the shared vectors' job:
tests/vectors/platform/), errors that name the field and never the value, webhooks over raw bytes,
the simulated market (same seed, same market; vendor failures raise PlatformCallError) and the
classifier of vendor errors."""

from __future__ import annotations

import datetime as dt
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
    with pytest.raises(cw.InvalidParameterError, match="error"):
        cw.platform.classify({"kind": "carrier_pigeon"}, 0)
    with pytest.raises(cw.OutOfRangeError, match="quota_reset_offset_minutes"):
        cw.platform.classify({"kind": "timeout"}, 0, {"quota_reset_offset_minutes": 2000})
