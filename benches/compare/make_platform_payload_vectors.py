"""Shared vectors for channelwise.platform.payloads and channelwise.platform.metrics
(tests/vectors/platform/payloads_*.json, metrics_*.json).

Standard library only (python3 make_platform_payload_vectors.py [repo root]). Every vector
names its source: a vendor's documented example (request payloads and report responses,
adapted where said), with the expected values worked out here from the vendor's stated rules
(hashes by hashlib from hand-normalised text, minor units and micros by integer arithmetic,
date-times by datetime, sums of report rows by float addition in row order), never from
channelwise itself. Sibling of make_platform_vectors.py (PII and webhooks).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")

CAPI_SERVER_EVENT = "https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event"
CAPI_USING = "https://developers.facebook.com/docs/marketing-api/conversions-api/using-the-api"
CAPI_CUSTOMER = "https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters"
META_CURRENCIES = "https://developers.facebook.com/docs/marketing-api/currencies"
META_ADSET = "https://developers.facebook.com/docs/marketing-api/reference/ad-campaign (daily_budget, bid_amount in the currency's minor unit)"
META_INSIGHTS = "https://developers.facebook.com/docs/marketing-api/insights"
GA4_REF = "https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference"
GA4_SENDING = "https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events"
GA4_REPORT = "https://developers.google.com/analytics/devguides/reporting/data/v1/basics"
GA4_RESPONSE = "https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/RunReportResponse"
GADS_UPLOAD = "https://developers.google.com/google-ads/api/docs/conversions/upload-clicks"
GADS_CLICK = "https://developers.google.com/google-ads/api/reference/rpc/latest/ClickConversion"
GADS_ENHANCED = "https://developers.google.com/google-ads/api/docs/conversions/upload-identifiers"
GADS_MUTATE = "https://developers.google.com/google-ads/api/docs/mutating/overview (update operations with update_mask)"
GADS_BUDGET = "https://developers.google.com/google-ads/api/reference/rpc/latest/CampaignBudget (amount_micros)"
GADS_STREAM = "https://developers.google.com/google-ads/api/docs/reporting/streaming (SearchStream returns a list of batches of results)"
GADS_REST = "https://developers.google.com/google-ads/api/rest/common/search (REST JSON: camelCase fields, int64 as strings)"

written: list[str] = []


def write(name: str, vec: dict, compact: bool = False) -> None:
    d = os.path.join(ROOT, "tests", "vectors", "platform")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(vec, fh, indent=None if compact else 1, ensure_ascii=False)
        fh.write("\n")
    written.append(name)


def sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def chunks(xs, n):
    return [xs[i:i + n] for i in range(0, len(xs), n)]


def err(field: str, kind: str = "invalid_parameter") -> dict:
    return {"error": kind, "field": field}


# ---------------------------------------------------------------- Meta Conversions API

NOW = 1_700_000_000  # seconds; every vector's now_ms is NOW * 1000 unless said
NOW_MS = NOW * 1000

# Meta's "Using the API" payload example (the hashed em/ph values pass through unchanged).
doc_event = {
    "event_name": "Purchase",
    "event_time": NOW - 3600,
    "event_id": "event.id.123",
    "event_source_url": "http://jaspers-market.com/product/123",
    "action_source": "website",
    "user_data": {
        "client_ip_address": "192.19.9.9",
        "client_user_agent": "test ua",
        "em": ["309a0a5c3e211326ae75ca18196d301a9bdbd1a882a4d2569511033da23f0abd"],
        "ph": ["254aa248acb47dd654ca3ea53f48c2c26d641d23d7e2e93a1ec56258df7674c4",
               "6f4fcb9deaeadc8f9746ae76d97ce1239e98b404efe5da3ee0b7149740f89ad6"],
        "fbc": "fb.1.1554763741205.AbCdEfGhIjKlMnOpQrStUvWxYz1234567890",
        "fbp": "fb.1.1558571054389.1098115397",
    },
    "custom_data": {"value": 100.2, "currency": "USD", "content_ids": ["product.id.123"], "content_type": "product"},
    "opt_out": False,
}
write("payloads_meta_capi_doc_example", {
    "function": "platform.payloads.meta_capi",
    "source": CAPI_USING + " (payload example; event_time moved to an hour before the vector's now); "
              "already-hashed values pass through as " + CAPI_CUSTOMER + " allows",
    "input": {"events": [doc_event]}, "params": {"now_ms": NOW_MS},
    "expected": {"sizes": [1], "requests": [{"data": [doc_event]}]},
})

# Raw customer data hashed: normalised by hand from Meta's rules, hashed by hashlib.
raw = {"em": " Jane.Doe@Example.COM ", "ph": "+1 (650) 555-1212", "fn": "Mary-Ann", "ct": "New York",
       "country": "US", "external_id": " CRM-42 ", "client_user_agent": "Mozilla/5.0", "fbp": "fb.1.1.2"}
normalised = {"em": "jane.doe@example.com", "ph": "16505551212", "fn": "maryann", "ct": "newyork",
              "country": "us", "external_id": "crm-42"}
hashed_ud = {k: sha(v) for k, v in normalised.items()}
hashed_ud.update({"client_user_agent": "Mozilla/5.0", "fbp": "fb.1.1.2"})
raw_event = {"event_name": "Lead", "event_time": NOW - 7 * 86400, "event_id": "lead-9", "action_source": "website",
             "event_source_url": "https://shop.example/signup", "user_data": raw}
out_event = dict(raw_event, user_data=dict(sorted(hashed_ud.items())))
write("payloads_meta_capi_hash_user_data", {
    "function": "platform.payloads.meta_capi",
    "source": CAPI_CUSTOMER + " (normalisation rules, applied by hand); SHA-256 by Python hashlib; "
              "event_time exactly 7 days before now, the oldest " + CAPI_SERVER_EVENT + " allows",
    "input": {"events": [raw_event]}, "params": {"now_ms": NOW_MS, "test_event_code": "TEST123"},
    "expected": {"sizes": [1], "requests": [{"data": [out_event], "test_event_code": "TEST123"}]},
})

# The 1,000-event batch limit: 1,001 events make two requests, nothing lost or repeated.
many = [{"event_name": "Lead", "event_time": NOW, "event_id": f"e{i}", "action_source": "system_generated",
         "user_data": {"external_id": sha(str(i))}} for i in range(1001)]
write("payloads_meta_capi_batch_1001", {
    "function": "platform.payloads.meta_capi",
    "source": CAPI_USING + " (at most 1,000 events a request); split computed by Python slicing",
    "input": {"events": many}, "params": {"now_ms": NOW_MS},
    "expected": {"sizes": [len(c) for c in chunks(many, 1000)],
                 "event_ids": [e["event_id"] for e in many]},
}, compact=True)
write("payloads_meta_capi_batch_size_2", {
    "function": "platform.payloads.meta_capi",
    "source": "batch_size option; split computed by Python slicing",
    "input": {"events": many[:5]}, "params": {"now_ms": NOW_MS, "batch_size": 2},
    "expected": {"sizes": [2, 2, 1], "event_ids": [e["event_id"] for e in many[:5]]},
})

web = {"event_name": "Purchase", "event_time": NOW, "action_source": "website", "event_source_url": "https://shop.example/",
       "user_data": {"client_user_agent": "UA", "em": "jane@example.com"}, "custom_data": {"currency": "USD", "value": 5.0}}
for name, change, field, source in [
    ("event_time_too_old", {"event_time": NOW - 7 * 86400 - 1}, "events[1].event_time",
     CAPI_SERVER_EVENT + " (event_time up to 7 days before sending; an older one fails the whole request)"),
    ("action_source_unknown", {"action_source": "web"}, "events[1].action_source", CAPI_SERVER_EVENT + " (action_source values)"),
    ("website_no_user_agent", {"user_data": {"em": "jane@example.com"}}, "events[1].user_data.client_user_agent",
     "https://developers.facebook.com/docs/marketing-api/conversions-api/parameters (website events require client_user_agent, action_source and event_source_url)"),
    ("website_no_url", {"event_source_url": None}, "events[1].event_source_url",
     "https://developers.facebook.com/docs/marketing-api/conversions-api/parameters (website events require event_source_url)"),
    ("purchase_no_currency", {"custom_data": {"value": 5.0}}, "events[1].custom_data.currency",
     "https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/custom-data (value and currency required for Purchase)"),
    ("em_no_at", {"user_data": {"client_user_agent": "UA", "em": "jane.example.com"}}, "events[1].user_data.em",
     CAPI_CUSTOMER + " (em must be an email address); the value never appears in the error"),
]:
    bad = dict(web, **change)
    if bad.get("event_source_url") is None:
        bad.pop("event_source_url")
    write(f"payloads_meta_capi_error_{name}", {
        "function": "platform.payloads.meta_capi", "source": source,
        "input": {"events": [web, bad]}, "params": {"now_ms": NOW_MS}, "expected": err(field),
    })
write("payloads_meta_capi_error_batch_size", {
    "function": "platform.payloads.meta_capi", "source": CAPI_USING + " (at most 1,000 events a request)",
    "input": {"events": [web]}, "params": {"now_ms": NOW_MS, "batch_size": 1001}, "expected": err("batch_size", "out_of_range"),
})

# ---------------------------------------------------------------- Meta budget / bid / status

OFFSETS = {"USD": 100, "EUR": 100, "JPY": 1, "KRW": 1, "GBP": 100}


def minor(amount: float, cur: str) -> int:
    x = amount * OFFSETS[cur]
    return int(math.floor(x + 0.5))  # halves away from zero (amounts are >= 0)


for name, action, cur, body in [
    ("budget_usd", {"kind": "budget", "daily": 250.0}, "USD", "daily_budget"),
    ("budget_jpy", {"kind": "budget", "daily": 3000.0}, "JPY", "daily_budget"),
    ("budget_eur_rounds", {"kind": "budget", "daily": 19.999}, "EUR", "daily_budget"),
    ("bid_krw", {"kind": "bid", "amount": 1234.4}, "KRW", "bid_amount"),
    ("bid_gbp", {"kind": "bid", "amount": 0.35}, "GBP", "bid_amount"),
]:
    amount = action.get("daily", action.get("amount"))
    change = {"key": f"d1/{name}", "entity": "120330000000000", "action": action}
    write(f"payloads_meta_change_{name}", {
        "function": "platform.payloads.meta_change",
        "source": META_CURRENCIES + f" ({cur} offset {OFFSETS[cur]}); " + META_ADSET,
        "input": {"change": change, "currency": cur}, "params": {},
        "expected": {"request": {"key": change["key"], "method": "POST", "path": "/120330000000000", "body": {body: minor(amount, cur)}}},
    })
write("payloads_meta_change_status_paused", {
    "function": "platform.payloads.meta_change", "source": META_ADSET.split(" (")[0] + " (status ACTIVE / PAUSED)",
    "input": {"change": {"key": "k", "entity": "238", "action": {"kind": "status", "status": "paused"}}, "currency": "USD"},
    "params": {}, "expected": {"request": {"key": "k", "method": "POST", "path": "/238", "body": {"status": "PAUSED"}}},
})
write("payloads_meta_change_error_currency", {
    "function": "platform.payloads.meta_change", "source": META_CURRENCIES + " (XYZ is not in the table)",
    "input": {"change": {"key": "k", "entity": "238", "action": {"kind": "budget", "daily": 5.0}}, "currency": "XYZ"},
    "params": {}, "expected": err("currency"),
})

# ---------------------------------------------------------------- GA4 Measurement Protocol

login = {"client_id": "CLIENT_ID", "events": [{"name": "login", "params": {"method": "Google", "session_id": "SESSION_ID", "engagement_time_msec": 100}}]}
write("payloads_ga4_doc_login", {
    "function": "platform.payloads.ga4_mp", "source": GA4_SENDING + " (request body example)",
    "input": {"payload": login}, "params": {"now_ms": NOW_MS},
    "expected": {"sizes": [1], "requests": [login]},
})
purchase = {"client_id": "123.456", "user_id": "u-1", "timestamp_micros": NOW_MS * 1000 - 72 * 3600 * 10**6,
            "user_properties": {"tier": {"value": "gold"}},
            "events": [{"name": "purchase", "params": {"currency": "USD", "value": 30.03, "transaction_id": "T-1",
                                                        "items": [{"item_id": "SKU_1", "item_name": "Socks", "price": 10.01, "quantity": 3}]}}]}
write("payloads_ga4_purchase_72h_edge", {
    "function": "platform.payloads.ga4_mp",
    "source": GA4_REF + " (timestamp_micros up to 72 hours back: exactly 72 h here); " + GA4_SENDING + " (purchase with items)",
    "input": {"payload": purchase}, "params": {"now_ms": NOW_MS},
    "expected": {"sizes": [1], "requests": [purchase]},
})
sixty = {"client_id": "1", "events": [{"name": "page_view", "params": {"n": i}} for i in range(60)]}
write("payloads_ga4_split_60", {
    "function": "platform.payloads.ga4_mp", "source": GA4_REF + " (Limitations: at most 25 events a request); split by Python slicing",
    "input": {"payload": sixty}, "params": {"now_ms": NOW_MS},
    "expected": {"sizes": [len(c) for c in chunks(sixty["events"], 25)],
                 "requests": [{"client_id": "1", "events": c} for c in chunks(sixty["events"], 25)]},
})
write("payloads_ga4_error_26_events_one_body", {
    "function": "platform.payloads.ga4_mp", "source": GA4_REF + " (Limitations: at most 25 events a request)",
    "input": {"payload": {"client_id": "1", "events": sixty["events"][:26]}}, "params": {"now_ms": NOW_MS, "split": False},
    "expected": err("events"),
})
long_value = "v" * 101
for name, payload, field, params, source in [
    ("reserved_event", {"client_id": "1", "events": [{"name": "page_view"}, {"name": "session_start"}]}, "events[1].name", {},
     GA4_REF + " (Reserved names: session_start)"),
    ("reserved_prefix", {"client_id": "1", "events": [{"name": "firebase_thing"}]}, "events[0].name", {},
     GA4_REF + " (names may not begin with google_, ga_, firebase_)"),
    ("event_name_41", {"client_id": "1", "events": [{"name": "e" * 41}]}, "events[0].name", {},
     GA4_REF + " (Limitations: event names 40 characters or fewer)"),
    ("event_name_digit_first", {"client_id": "1", "events": [{"name": "1st_purchase"}]}, "events[0].name", {},
     GA4_REF + " (names start with an alphabetic character)"),
    ("param_value_101", {"client_id": "1", "events": [{"name": "x", "params": {"note": long_value}}]}, "events[0].params.note", {},
     GA4_REF + " (Limitations: parameter values 100 characters or fewer)"),
    ("param_26", {"client_id": "1", "events": [{"name": "x", "params": {f"p{i}": i for i in range(26)}}]}, "events[0].params", {},
     GA4_REF + " (Limitations: at most 25 parameters an event)"),
    ("user_property_reserved", {"client_id": "1", "user_properties": {"first_open_time": {"value": 1}}, "events": [{"name": "x"}]},
     "user_properties.first_open_time", {}, GA4_REF + " (Reserved user property names)"),
    ("user_property_value_37", {"client_id": "1", "user_properties": {"tier": {"value": "g" * 37}}, "events": [{"name": "x"}]},
     "user_properties.tier.value", {}, GA4_REF + " (Limitations: user property values 36 characters or fewer)"),
    ("timestamp_72h_plus_1us", dict(purchase, timestamp_micros=NOW_MS * 1000 - 72 * 3600 * 10**6 - 1), "timestamp_micros", {},
     GA4_REF + " (timestamp_micros up to 72 hours back)"),
    ("no_client_id", {"user_id": "u", "events": [{"name": "x"}]}, "client_id", {}, GA4_SENDING + " (client_id required for web streams)"),
]:
    write(f"payloads_ga4_error_{name}", {
        "function": "platform.payloads.ga4_mp", "source": source,
        "input": {"payload": payload}, "params": dict({"now_ms": NOW_MS}, **params), "expected": err(field),
    })
write("payloads_ga4_param_value_101_ga360", {
    "function": "platform.payloads.ga4_mp", "source": GA4_REF + " (Limitations: 500 characters for GA4 360 properties)",
    "input": {"payload": {"client_id": "1", "events": [{"name": "x", "params": {"note": long_value}}]}},
    "params": {"now_ms": NOW_MS, "ga360": True},
    "expected": {"sizes": [1], "requests": [{"client_id": "1", "events": [{"name": "x", "params": {"note": long_value}}]}]},
})

page = "https://shop.example/" + "p" * 979  # 1,000 characters exactly
write("payloads_ga4_page_location_1000", {
    "function": "platform.payloads.ga4_mp",
    "source": "https://support.google.com/analytics/answer/9234069 (page_location up to 1,000 characters, page_title 300, page_referrer 420)",
    "input": {"payload": {"client_id": "1", "events": [{"name": "page_view", "params": {"page_location": page, "page_title": "t" * 300}}]}},
    "params": {"now_ms": NOW_MS},
    "expected": {"sizes": [1], "requests": [{"client_id": "1", "events": [{"name": "page_view", "params": {"page_location": page, "page_title": "t" * 300}}]}]},
})
write("payloads_ga4_error_page_title_301", {
    "function": "platform.payloads.ga4_mp", "source": "https://support.google.com/analytics/answer/9234069 (page_title up to 300 characters)",
    "input": {"payload": {"client_id": "1", "events": [{"name": "page_view", "params": {"page_title": "t" * 301}}]}},
    "params": {"now_ms": NOW_MS}, "expected": err("events[0].params.page_title"),
})

# ---------------------------------------------------------------- Google Ads


def gdt(ms: int, offset_minutes: int) -> str:
    tz = dt.timezone(dt.timedelta(minutes=offset_minutes))
    t = dt.datetime.fromtimestamp(ms // 1000, tz)
    s = t.strftime("%Y-%m-%d %H:%M:%S%z")
    return s[:-2] + ":" + s[-2:]


for name, ms, off in [("utc", 1_700_000_000_123, 0), ("pacific", 1_709_296_365_000, -480), ("india", 0, 330),
                      ("before_epoch", -1_000, 0), ("nepal_leap_day", 1_709_164_800_000, 345)]:
    write(f"payloads_google_ads_date_time_{name}", {
        "function": "platform.payloads.google_ads_date_time",
        "source": GADS_CLICK + " (conversion_date_time yyyy-mm-dd hh:mm:ss+|-hh:mm); expected by Python datetime",
        "input": {"ms": ms, "offset_minutes": off}, "params": {},
        "expected": {"formatted": gdt(ms, off), "parsed_ms": ms // 1000 * 1000},
    })

conv = {"gclid": "Cj0KCQiA", "conversion_action": "customers/1234567890/conversionActions/987654",
        "conversion_date_time": "2024-03-01 12:32:45-08:00", "conversion_value": 49.5, "currency_code": "USD",
        "order_id": "T-1001", "user_data": {"em": "Jane.Doe+news@GMAIL.com", "ph": "+1 (800) 555-0100"}}
conv_out = {"gclid": "Cj0KCQiA", "conversionAction": conv["conversion_action"], "conversionDateTime": conv["conversion_date_time"],
            "conversionValue": 49.5, "currencyCode": "USD", "orderId": "T-1001",
            "userIdentifiers": [{"hashedEmail": sha("janedoe@gmail.com")}, {"hashedPhoneNumber": sha("+18005550100")}]}
write("payloads_google_ads_click_conversion", {
    "function": "platform.payloads.google_ads_click_conversions",
    "source": GADS_UPLOAD + " and " + GADS_ENHANCED + " (email: gmail dots and +suffix removed, per "
              "https://developers.google.com/data-manager/api/devguides/concepts/formatting; phone E.164); SHA-256 by hashlib",
    "input": {"conversions": [conv]}, "params": {"customer_id": "1234567890"},
    "expected": {"sizes": [1], "requests": [{"path": "customers/1234567890:uploadClickConversions",
                                             "body": {"conversions": [conv_out], "partialFailure": True, "validateOnly": False}}]},
})
five = [dict(conv, order_id=f"T-{i}", user_data={}) for i in range(5)]
five_out = [{k: v for k, v in conv_out.items() if k != "userIdentifiers"} | {"orderId": f"T-{i}"} for i in range(5)]
write("payloads_google_ads_click_conversion_batches", {
    "function": "platform.payloads.google_ads_click_conversions",
    "source": GADS_UPLOAD + " (at most 2,000 conversions a request; batch_size 2 here); split by Python slicing",
    "input": {"conversions": five}, "params": {"customer_id": "1234567890", "batch_size": 2, "validate_only": True},
    "expected": {"sizes": [2, 2, 1], "requests": [
        {"path": "customers/1234567890:uploadClickConversions", "body": {"conversions": c, "partialFailure": True, "validateOnly": True}}
        for c in chunks(five_out, 2)]},
})
for name, change, field, source in [
    ("two_click_ids", {"gbraid": "gb"}, "conversions[1].gbraid", GADS_CLICK + " (gclid, gbraid and wbraid are exclusive)"),
    ("date_time_iso", {"conversion_date_time": "2024-03-01T12:32:45Z"}, "conversions[1].conversion_date_time",
     GADS_CLICK + " (format yyyy-mm-dd hh:mm:ss+|-hh:mm)"),
    ("no_such_day", {"conversion_date_time": "2023-02-29 10:00:00+00:00"}, "conversions[1].conversion_date_time", GADS_CLICK),
    ("action_not_resource", {"conversion_action": "987654"}, "conversions[1].conversion_action",
     GADS_CLICK + " (conversion_action is a resource name)"),
    ("currency_lowercase", {"currency_code": "usd"}, "conversions[1].currency_code", GADS_CLICK + " (ISO 4217 currency code)"),
    ("phone_national", {"user_data": {"ph": "(800) 555-0100"}}, "conversions[1].user_data.ph",
     GADS_ENHANCED + " (E.164 with country code)"),
]:
    bad = dict(conv, **change)
    write(f"payloads_google_ads_click_conversion_error_{name}", {
        "function": "platform.payloads.google_ads_click_conversions", "source": source,
        "input": {"conversions": [conv, bad]}, "params": {"customer_id": "1234567890"}, "expected": err(field),
    })
nogclid = {k: v for k, v in conv.items() if k not in ("gclid", "user_data")}
write("payloads_google_ads_click_conversion_error_no_click_id", {
    "function": "platform.payloads.google_ads_click_conversions",
    "source": GADS_CLICK + " (a click id, or user identifiers for enhanced conversions for leads)",
    "input": {"conversions": [nogclid]}, "params": {"customer_id": "1234567890"}, "expected": err("conversions[0].gclid"),
})
ud = {"em": "jane@example.com", "fn": " Jane ", "ln": "Doe", "country_code": "us", "postal_code": "94045"}
write("payloads_google_ads_user_identifiers_address", {
    "function": "platform.payloads.google_ads_user_identifiers",
    "source": GADS_ENHANCED + " (hashed email; address_info with hashed first and last name, country code and postal code unhashed); SHA-256 by hashlib",
    "input": {"user_data": ud}, "params": {},
    "expected": {"user_identifiers": [{"hashedEmail": sha("jane@example.com")},
                                      {"addressInfo": {"hashedFirstName": sha("jane"), "hashedLastName": sha("doe"),
                                                       "countryCode": "US", "postalCode": "94045"}}]},
})

users = [{"em": "Cloudy.SanFrancisco+shopping@gmail.com"}, {"ph": "+44 20 7946 0018", "email_address": "user.name+NYC@Example.com"}]
write("payloads_google_ads_customer_match", {
    "function": "platform.payloads.google_ads_customer_match",
    "source": "https://developers.google.com/google-ads/api/docs/remarketing/audience-segments/customer-match/get-started "
              "(OfflineUserDataJobOperation create with user_identifiers) and "
              "https://developers.google.com/data-manager/api/devguides/concepts/formatting (the page's email examples); SHA-256 by hashlib",
    "input": {"users": users}, "params": {},
    "expected": {"operations": [
        {"create": {"userIdentifiers": [{"hashedEmail": sha("cloudysanfrancisco@gmail.com")}]}},
        {"create": {"userIdentifiers": [{"hashedEmail": sha("user.name+nyc@example.com")}, {"hashedPhoneNumber": sha("+442079460018")}]}},
    ]},
})
write("payloads_google_ads_customer_match_error_no_identifier", {
    "function": "platform.payloads.google_ads_customer_match", "source": "a Customer Match member needs at least one identifier",
    "input": {"users": [users[0], {}]}, "params": {}, "expected": err("users[1].user_data"),
})


def micros(x: float) -> str:
    return str(int(math.floor(x * 1_000_000 + 0.5)))


changes = [
    {"key": "d7/1", "entity": "customers/1234567890/campaignBudgets/111", "action": {"kind": "budget", "daily": 250.0}},
    {"key": "d7/2", "entity": "customers/1234567890/adGroups/222", "action": {"kind": "bid", "amount": 0.35}},
    {"key": "d7/3", "entity": "customers/1234567890/campaigns/333", "action": {"kind": "status", "status": "paused"}},
    {"key": "d7/4", "entity": "customers/1234567890/adGroups/223", "action": {"kind": "status", "status": "active"}},
    {"key": "d7/5", "entity": "customers/1234567890/campaignBudgets/112", "action": {"kind": "budget", "daily": 19.999999}},
]
write("payloads_google_ads_mutate", {
    "function": "platform.payloads.google_ads_mutate",
    "source": GADS_MUTATE + "; " + GADS_BUDGET + "; https://developers.google.com/google-ads/api/reference/rpc/latest/AdGroup "
              "(cpc_bid_micros, status ENABLED/PAUSED); micros by Python arithmetic; grouped by collection in first-appearance order",
    "input": {"changes": changes}, "params": {"partial_failure": True, "validate_only": True},
    "expected": {"requests": [
        {"path": "customers/1234567890/campaignBudgets:mutate", "keys": ["d7/1", "d7/5"], "body": {"operations": [
            {"update": {"resourceName": changes[0]["entity"], "amountMicros": micros(250.0)}, "updateMask": "amountMicros"},
            {"update": {"resourceName": changes[4]["entity"], "amountMicros": micros(19.999999)}, "updateMask": "amountMicros"}],
            "partialFailure": True, "validateOnly": True}},
        {"path": "customers/1234567890/adGroups:mutate", "keys": ["d7/2", "d7/4"], "body": {"operations": [
            {"update": {"resourceName": changes[1]["entity"], "cpcBidMicros": micros(0.35)}, "updateMask": "cpcBidMicros"},
            {"update": {"resourceName": changes[3]["entity"], "status": "ENABLED"}, "updateMask": "status"}],
            "partialFailure": True, "validateOnly": True}},
        {"path": "customers/1234567890/campaigns:mutate", "keys": ["d7/3"], "body": {"operations": [
            {"update": {"resourceName": changes[2]["entity"], "status": "PAUSED"}, "updateMask": "status"}],
            "partialFailure": True, "validateOnly": True}},
    ]},
})
write("payloads_google_ads_mutate_error_budget_on_campaign", {
    "function": "platform.payloads.google_ads_mutate", "source": GADS_BUDGET + " (a budget is its own resource, not the campaign)",
    "input": {"changes": [changes[0], {"key": "x", "entity": "customers/1/campaigns/5", "action": {"kind": "budget", "daily": 1.0}}]},
    "params": {}, "expected": err("changes[1].entity"),
})

# ---------------------------------------------------------------- metrics


def acc(values):
    t = 0.0
    for v in values:
        t += float(v)
    return t


write("metrics_meta_insights_doc_example_multi_day", {
    "function": "platform.metrics.meta_insights",
    "source": META_INSIGHTS + " (example response: one row 2025-03-14 to 2025-04-12; not a daily row, so refused)",
    "input": {"response": {"data": [{"account_id": "<AD_ACCOUNT_ID>", "campaign_id": "<CAMPAIGN_ID>", "date_start": "2025-03-14",
                                     "date_stop": "2025-04-12", "impressions": "361324", "spend": "5339.5"}],
                           "paging": {"cursors": {"before": "MAZDZD", "after": "MAZDZD"}}}},
    "params": {"time_zone": "America/Los_Angeles", "currency": "USD"}, "expected": err("data[0].date_stop"),
})
write("metrics_meta_insights_doc_example_daily", {
    "function": "platform.metrics.meta_insights",
    "source": META_INSIGHTS + " (example response with date_stop set to date_start, as time_increment=1 returns)",
    "input": {"response": {"data": [{"account_id": "<AD_ACCOUNT_ID>", "campaign_id": "<CAMPAIGN_ID>", "date_start": "2025-03-14",
                                     "date_stop": "2025-03-14", "impressions": "361324", "spend": "5339.5"}]}},
    "params": {"time_zone": "America/Los_Angeles", "currency": "USD"},
    "expected": {"time_zone": "America/Los_Angeles", "rows": [{"entity": "<CAMPAIGN_ID>", "date": "2025-03-14", "spend": 5339.5,
                 "impressions": 361324, "clicks": 0, "conversions": 0.0, "value": 0.0, "currency": "USD"}]},
})
PUR = "offsite_conversion.fb_pixel_purchase"
meta_rows = [
    {"adset_id": "A1", "date_start": "2026-03-01", "date_stop": "2026-03-01", "spend": "249.30", "impressions": "31012", "clicks": "402",
     "account_currency": "USD",
     "actions": [{"action_type": "link_click", "value": "350"}, {"action_type": PUR, "value": "17"}, {"action_type": "purchase", "value": "17"}],
     "action_values": [{"action_type": PUR, "value": "1190.5"}, {"action_type": "purchase", "value": "1190.5"}]},
    {"adset_id": "A2", "date_start": "2026-03-01", "date_stop": "2026-03-01", "spend": "80.1", "impressions": "9001", "clicks": "77",
     "account_currency": "USD", "actions": [{"action_type": "lead", "value": "4"}]},
    {"adset_id": "A1", "date_start": "2026-03-02", "date_stop": "2026-03-02", "spend": "0.07", "impressions": "12", "account_currency": "USD",
     "actions": [{"action_type": PUR, "value": "1"}, {"action_type": "lead", "value": "2"}],
     "action_values": [{"action_type": PUR, "value": "19.99"}]},
]
types = [PUR, "lead"]
expected_rows = []
for r in meta_rows:
    expected_rows.append({"entity": r["adset_id"], "date": r["date_start"], "spend": float(r["spend"]),
                          "impressions": int(r["impressions"]), "clicks": int(r.get("clicks", "0")),
                          "conversions": acc(a["value"] for a in r.get("actions", []) if a["action_type"] in types),
                          "value": acc(a["value"] for a in r.get("action_values", []) if a["action_type"] in types),
                          "currency": "USD"})
write("metrics_meta_insights_adsets_actions", {
    "function": "platform.metrics.meta_insights",
    "source": META_INSIGHTS + " and https://developers.facebook.com/docs/marketing-api/reference/ads-action-stats "
              "(string numbers, actions/action_values lists); hand-made ad set rows, sums by Python float addition",
    "input": {"response": {"data": meta_rows}},
    "params": {"entity": "adset_id", "conversion_action_types": types, "time_zone": "Europe/Berlin"},
    "expected": {"time_zone": "Europe/Berlin", "rows": expected_rows}, "tolerance": {"abs": 1e-9},
})
for name, row_change, field in [
    ("spend_comma", {"spend": "12,50"}, "data[1].spend"),
    ("action_value_text", {"actions": [{"action_type": "lead", "value": "4"}, {"action_type": PUR, "value": "n/a"}]}, "data[1].actions[1].value"),
    ("no_currency", {"account_currency": None}, "data[1].account_currency"),
    ("bad_date", {"date_start": "2026-02-30", "date_stop": "2026-02-30"}, "data[1].date_start"),
]:
    bad = dict(meta_rows[1], **row_change)
    bad = {k: v for k, v in bad.items() if v is not None}
    write(f"metrics_meta_insights_error_{name}", {
        "function": "platform.metrics.meta_insights", "source": META_INSIGHTS + " (hand-made malformed row)",
        "input": {"response": {"data": [meta_rows[0], bad]}},
        "params": {"entity": "adset_id", "time_zone": "UTC"}, "expected": err(field),
    })

stream = [
    {"results": [
        {"customer": {"resourceName": "customers/1234567890", "currencyCode": "EUR", "timeZone": "Europe/Paris"},
         "campaign": {"resourceName": "customers/1234567890/campaigns/111", "id": "111", "name": "Brand"},
         "metrics": {"clicks": "120", "costMicros": "45670000", "impressions": "3400", "conversions": 6.5, "conversionsValue": 310.25},
         "segments": {"date": "2026-03-01"}},
        {"customer": {"resourceName": "customers/1234567890", "currencyCode": "EUR", "timeZone": "Europe/Paris"},
         "campaign": {"resourceName": "customers/1234567890/campaigns/222", "id": "222", "name": "Generic"},
         "metrics": {"impressions": "80", "costMicros": "1000"},
         "segments": {"date": "2026-03-01"}}],
     "fieldMask": "customer.currencyCode,customer.timeZone,campaign.id,campaign.name,metrics.clicks,metrics.costMicros,"
                  "metrics.impressions,metrics.conversions,metrics.conversionsValue,segments.date",
     "requestId": "fake-request-id-1"},
    {"results": [
        {"customer": {"resourceName": "customers/1234567890", "currencyCode": "EUR", "timeZone": "Europe/Paris"},
         "campaign": {"resourceName": "customers/1234567890/campaigns/111", "id": "111", "name": "Brand"},
         "metrics": {"clicks": "98", "costMicros": "39990001", "impressions": "2950", "conversions": 4.0, "conversionsValue": 188.0},
         "segments": {"date": "2026-03-02"}}],
     "requestId": "fake-request-id-1"},
]
g_rows = []
for batch in stream:
    for r in batch["results"]:
        m = r["metrics"]
        g_rows.append({"entity": r["campaign"]["id"], "date": r["segments"]["date"], "spend": int(m.get("costMicros", "0")) / 1e6,
                       "impressions": int(m.get("impressions", "0")), "clicks": int(m.get("clicks", "0")),
                       "conversions": float(m.get("conversions", 0.0)), "value": float(m.get("conversionsValue", 0.0)),
                       "currency": r["customer"]["currencyCode"]})
write("metrics_google_ads_search_stream", {
    "function": "platform.metrics.google_ads",
    "source": GADS_STREAM + "; " + GADS_REST + "; zero metrics left out as proto3 JSON does; spend = costMicros / 1e6 by Python",
    "input": {"response": stream}, "params": {},
    "expected": {"time_zone": "Europe/Paris", "rows": g_rows}, "tolerance": {"abs": 1e-12},
})
bad_stream = json.loads(json.dumps(stream))
bad_stream[1]["results"][0]["metrics"]["costMicros"] = "3.9e7x"
write("metrics_google_ads_error_cost_micros", {
    "function": "platform.metrics.google_ads", "source": GADS_REST + " (int64 as a decimal string; this one is malformed)",
    "input": {"response": bad_stream}, "params": {}, "expected": err("[1].results[0].metrics.costMicros"),
})
no_tz = [{"results": [{"campaign": {"id": "1"}, "segments": {"date": "2026-03-01"}, "metrics": {}}]}]
write("metrics_google_ads_error_no_currency", {
    "function": "platform.metrics.google_ads", "source": "customer.currency_code neither selected nor given as an option",
    "input": {"response": no_tz}, "params": {"time_zone": "UTC"}, "expected": err("[0].results[0].customer.currencyCode"),
})

ga4 = {
    "dimensionHeaders": [{"name": "date"}, {"name": "sessionCampaignId"}, {"name": "sessionCampaignName"}],
    "metricHeaders": [{"name": "advertiserAdCost", "type": "TYPE_CURRENCY"}, {"name": "advertiserAdClicks", "type": "TYPE_INTEGER"},
                      {"name": "advertiserAdImpressions", "type": "TYPE_INTEGER"}, {"name": "keyEvents", "type": "TYPE_FLOAT"},
                      {"name": "totalRevenue", "type": "TYPE_CURRENCY"}],
    "rows": [
        {"dimensionValues": [{"value": "20260301"}, {"value": "111"}, {"value": "Brand"}],
         "metricValues": [{"value": "45.67"}, {"value": "120"}, {"value": "3400"}, {"value": "6.5"}, {"value": "310.25"}]},
        {"dimensionValues": [{"value": "20260301"}, {"value": "111"}, {"value": "Brand (old name)"}],
         "metricValues": [{"value": "0.33"}, {"value": "2"}, {"value": "40"}, {"value": "0"}, {"value": "0"}]},
        {"dimensionValues": [{"value": "20260302"}, {"value": "(not set)"}, {"value": "(not set)"}],
         "metricValues": [{"value": "0"}, {"value": "0"}, {"value": "0"}, {"value": "3"}, {"value": "99.5"}]},
    ],
    "rowCount": 3,
    "metadata": {"currencyCode": "USD", "timeZone": "America/Los_Angeles"},
    "kind": "analyticsData#runReport",
}
cols = {"spend": 0, "clicks": 1, "impressions": 2, "conversions": 3, "value": 4}
ga_rows: list[dict] = []
for r in ga4["rows"]:
    d, e = r["dimensionValues"][0]["value"], r["dimensionValues"][1]["value"]
    date = f"{d[:4]}-{d[4:6]}-{d[6:]}"
    mv = [x["value"] for x in r["metricValues"]]
    row = {"entity": e, "date": date, "spend": float(mv[0]), "impressions": int(mv[2]), "clicks": int(mv[1]),
           "conversions": float(mv[3]), "value": float(mv[4]), "currency": "USD"}
    same = [x for x in ga_rows if x["entity"] == e and x["date"] == date]
    if same:
        for k in ("spend", "impressions", "clicks", "conversions", "value"):
            same[0][k] += row[k]
    else:
        ga_rows.append(row)
write("metrics_ga4_run_report", {
    "function": "platform.metrics.ga4_run_report",
    "source": GA4_REPORT + " and " + GA4_RESPONSE + " (response shape; metadata currencyCode and timeZone); hand-made rows, "
              "the two rows of campaign 111 on 2026-03-01 (two names) summed by Python",
    "input": {"response": ga4}, "params": {},
    "expected": {"time_zone": "America/Los_Angeles", "rows": ga_rows}, "tolerance": {"abs": 1e-9},
})
write("metrics_ga4_doc_country_report_no_date", {
    "function": "platform.metrics.ga4_run_report",
    "source": GA4_REPORT + " (the basic report example: country by activeUsers, no date or campaign dimension, so refused)",
    "input": {"response": {"dimensionHeaders": [{"name": "country"}], "metricHeaders": [{"name": "activeUsers", "type": "TYPE_INTEGER"}],
                           "rows": [{"dimensionValues": [{"value": "Japan"}], "metricValues": [{"value": "2541"}]}],
                           "rowCount": 1, "metadata": {"currencyCode": "USD", "timeZone": "America/Los_Angeles"},
                           "kind": "analyticsData#runReport"}},
    "params": {}, "expected": err("dimensionHeaders"),
})
bad_ga4 = json.loads(json.dumps(ga4))
bad_ga4["rows"][2]["dimensionValues"][0]["value"] = "2026-03-02"
bad_ga4["rows"][2]["dimensionValues"][0]["value"] = "20260230"
write("metrics_ga4_error_bad_date", {
    "function": "platform.metrics.ga4_run_report", "source": GA4_REPORT + " (date dimension YYYYMMDD; 20260230 does not exist)",
    "input": {"response": bad_ga4}, "params": {}, "expected": err("rows[2].dimensionValues[0].value"),
})
bad_ga4 = json.loads(json.dumps(ga4))
bad_ga4["rows"][1]["metricValues"][2]["value"] = "40.5"
write("metrics_ga4_error_fractional_impressions", {
    "function": "platform.metrics.ga4_run_report", "source": GA4_RESPONSE + " (TYPE_INTEGER metric with a fraction)",
    "input": {"response": bad_ga4}, "params": {}, "expected": err("rows[1].metricValues[2].value"),
})

print(f"wrote {len(written)} vectors to tests/vectors/platform")
