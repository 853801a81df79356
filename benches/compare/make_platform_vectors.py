"""Shared vectors for channelwise.platform (tests/vectors/platform/): PII normalisation and
SHA-256 hashing for Meta and Google, and webhook signatures (Shopify, Meta, timestamped).

Standard library only (python3 make_platform_vectors.py [repo root]). Three kinds of expected
values, each vector naming its own:

- the vendors' published examples, copied with their page (Meta's Customer Information
  Parameters table, Google's Data Manager "Format user data" page, GitHub's X-Hub-Signature-256
  test values), each re-checked here with hashlib/hmac before it is written;
- the SDKs' test scenarios (stripe-python tests/test_webhook.py) rebuilt with fixed timestamps;
- values computed here with hashlib / hmac / base64 from normalised text written out by hand
  from the vendors' rules (not from channelwise's code).

Inputs are JSON-friendly: secrets and bodies are UTF-8 strings (`body_base64` where the bytes
are not UTF-8), so the Python and JS runners read them as they are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")

META_PAGE = "https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters"
GOOGLE_PAGE = "https://developers.google.com/data-manager/api/devguides/concepts/formatting"
GOOGLE_SDK = "googleads/google-ads-python examples/remarketing/upload_enhanced_conversions_for_web.py normalize_and_hash_email_address"
GITHUB_PAGE = "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries"
STRIPE_TEST = "stripe/stripe-python tests/test_webhook.py"
STRIPE_PAGE = "https://docs.stripe.com/webhooks#verify-manually"
SHOPIFY_PAGE = "https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook"

written: list[str] = []


def write(name: str, vec: dict) -> None:
    d = os.path.join(ROOT, "tests", "vectors", "platform")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(vec, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    written.append(name)


def sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- PII


def pii(name, vendor, field, value, normalized, source, published_hash=None, options=None):
    """A normalize vector and a hash vector for one value; a published hash is checked first."""
    digest = sha(normalized)
    if published_hash is not None:
        assert digest == published_hash, (name, digest, published_hash)
    inp = {"vendor": vendor, "field": field, "value": value}
    params = {"options": options} if options else {}
    write(f"pii_{name}_normalize", {"function": "platform.pii.normalize", "source": source,
                                     "input": inp, "params": params, "expected": {"normalized": normalized}})
    hash_source = source if published_hash is not None else source + "; SHA-256 by Python hashlib"
    write(f"pii_{name}_hash", {"function": "platform.pii.hash", "source": hash_source,
                                "input": inp, "params": params, "expected": {"hash": digest}})


def pii_error(name, vendor, field, value, err_field, source, options=None):
    write(f"pii_error_{name}", {
        "function": "platform.pii.normalize", "source": source,
        "input": {"vendor": vendor, "field": field, "value": value},
        "params": {"options": options} if options else {},
        "expected": {"error": "invalid_parameter", "field": err_field},
    })


# Meta's own examples (the page's table), hashes as published.
pii("meta_em_doc", "meta", "em", "John_Smith@gmail.com", "john_smith@gmail.com", META_PAGE + " (em example)",
    "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f")
pii("meta_ph_doc", "meta", "ph", "+1 (650)555-1212", "16505551212",
    META_PAGE + " (ph example: the page's US number (650)555-1212, written here with its country code +1 as the page requires)",
    "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176")
pii("meta_fn_doc_mary", "meta", "fn", "Mary", "mary", META_PAGE + " (fn example)",
    "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec")
pii("meta_fn_doc_hangul", "meta", "fn", "정", "정", META_PAGE + " (fn example, UTF-8)",
    "8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14")
pii("meta_fn_doc_valery", "meta", "fn", "Valéry", "valéry", META_PAGE + " (fn example, UTF-8)",
    "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c")
pii("meta_db_doc", "meta", "db", "2/16/1997", "19970216", META_PAGE + " (db example)",
    "01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c")
pii("meta_country_doc", "meta", "country", "US", "us",
    META_PAGE + " (country example; the page's input is the name United States, channelwise takes the ISO code only)",
    "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621")
# The page's normalised examples without a published hash.
pii("meta_ct_doc", "meta", "ct", "New York", "newyork", META_PAGE + " (ct example newyork)")
pii("meta_st_doc", "meta", "st", "AZ", "az", META_PAGE + " (st example az)")
pii("meta_zp_doc_uk", "meta", "zp", "M1 1AE", "m11ae", META_PAGE + " (zp example, UK m11ae)")
pii("meta_zp_doc_us", "meta", "zp", "94035", "94035", META_PAGE + " (zp example, US 94035)")
pii("meta_ge_doc", "meta", "ge", "f", "f", META_PAGE + " (ge: f for female)")
# Meta's rules applied by hand: (name, field, input, normalised, the rule).
for name, field, value, normalized, rule in [
    ("em_trim_case", "em", "  Jane.Doe+Shop@Example.COM ", "jane.doe+shop@example.com", "em: trim, lowercase; nothing else is removed"),
    ("ph_international_prefix", "ph", "0044 20 7946 0018", "442079460018", "ph: remove symbols and leading zeros"),
    ("fn_punctuation", "fn", " O'Brien-Smith ", "obriensmith", "fn/ln: lowercase, no punctuation"),
    ("ln_unicode", "ln", "MÜLLER", "müller", "ln: lowercase, UTF-8 letters kept"),
    ("db_iso", "db", "1984-11-03", "19841103", "db: YYYYMMDD with or without punctuation"),
    ("db_day_first", "db", "25.12.1990", "19901225", "db: day 25 cannot be a month, so 25.12.1990 is read day first"),
    ("ge_word", "ge", "Male", "m", "ge: initial in lowercase"),
    ("st_punct", "st", "N.Y.", "ny", "st: lowercase, no punctuation, no spaces"),
    ("zp_zip4", "zp", "94035-1234", "94035", "zp: only the first 5 digits of a US zip code"),
]:
    pii("meta_" + name, "meta", field, value, normalized, META_PAGE + f" ({rule})")
pii("meta_external_id", "meta", "external_id", " CRM-00042 ", "crm-00042",
    "facebook/facebook-python-business-sdk facebook_business/adobjects/serverside/normalize.py (trim, lowercase; the page names no rule)")
# A SHA-256 hex digest passes through, lowercased (Meta's em example, upper-cased).
PREHASHED = "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"
for fn_name, key in [("normalize", "normalized"), ("hash", "hash")]:
    write(f"pii_meta_prehashed_{fn_name}", {"function": f"platform.pii.{fn_name}",
          "source": "channelwise contract: a SHA-256 hex digest passes through lowercased, as facebook-python-business-sdk's "
                    "Normalize.is_already_hashed; the digest is Meta's em example from " + META_PAGE,
          "input": {"vendor": "meta", "field": "em", "value": PREHASHED.upper()}, "params": {}, "expected": {key: PREHASHED}})

# Google: the Data Manager page's examples, and the SDK's variant as an option.
pii("google_em_doc_gmail", "google", "email_address", "cloudy.sanfrancisco+shopping@gmail.com", "cloudysanfrancisco@gmail.com",
    GOOGLE_PAGE + " (email_address example, gmail.com)")
pii("google_em_doc_other", "google", "email_address", "user.name+NYC@Example.com", "user.name+nyc@example.com",
    GOOGLE_PAGE + " (email_address example, other domain)")
pii("google_em_doc_whitespace", "google", "em", " Jane .Doe@GoogleMail.com ", "janedoe@googlemail.com",
    GOOGLE_PAGE + " (email_address: lowercase; trim leading, trailing and intermediate whitespace; googlemail.com dots)")
pii("google_em_sdk", "google", "em", "Jane.Doe+News@gmail.com", "janedoe+news@gmail.com",
    GOOGLE_SDK + " (Gmail dots removed, +suffix kept)", options={"google_email": "sdk"})
pii("google_em_all_domains", "google", "em", "user.name+NYC@Example.com", "username@example.com",
    "googleads/google-ads-php#1119 (the Google Ads upload-online page read as removing dots and +suffix for every domain)",
    options={"google_email": "all_domains"})
pii("google_ph_doc", "google", "phone_number", "+1 (800)555-0100", "+18005550100",
    GOOGLE_PAGE + " (phone_number example: (800)555-0100 in E.164 with the + and country code)")
pii("google_ph_e164", "google", "ph", " +44 20 7946 0018 ", "+442079460018", GOOGLE_PAGE + " (phone_number: E.164)")
pii("google_given_name", "google", "given_name", " Jane ", "jane", GOOGLE_PAGE + " (given_name: lowercase, trim)")
pii("google_family_name", "google", "family_name", "Doe-Smith", "doesmith",
    "https://developers.google.com/data-manager/api/reference/rest/v1/AddressInfo (family_name: lowercase, no punctuation)")

# Errors: typed, naming the field, never the value: (name, vendor, field, input, field named, source).
for name, vendor, field, value, err_field, source in [
    ("meta_em_no_at", "meta", "em", "john_smith.gmail.com", "user_data.em", META_PAGE + " (an email address has an @)"),
    ("meta_ph_national", "meta", "ph", "020 7946 0018", "user_data.ph", META_PAGE + " (phone numbers must include a country code)"),
    ("meta_ph_short", "meta", "ph", "555-121", "user_data.ph", "ITU-T E.164: 7 to 15 digits with the country code"),
    ("meta_db_invalid", "meta", "db", "19970230", "user_data.db", META_PAGE + " (db: day 01 to 31 of a real date)"),
    ("meta_db_before_1900", "meta", "db", "18991231", "user_data.db", META_PAGE + " (db: year from 1900)"),
    ("meta_db_ambiguous", "meta", "db", "03/04/1990", "user_data.db",
     "channelwise contract: a year-last date whose day and month could be swapped is refused"),
    ("meta_ge_other", "meta", "ge", "x", "user_data.ge", META_PAGE + " (ge: f or m)"),
    ("meta_country_name", "meta", "country", "United States", "user_data.country",
     META_PAGE + " (country: 2-letter ISO 3166-1 alpha-2; names are not mapped by channelwise)"),
    ("meta_unknown_field", "meta", "nickname", "Jo", "user_data.nickname", META_PAGE + " (not a user_data parameter)"),
    ("meta_unhashed_field", "meta", "fbc", "fb.1.1554763741205.AbCdEf", "user_data.fbc", META_PAGE + " (fbc: do not hash)"),
    ("google_ph_no_country", "google", "phone_number", "(800)555-0100", "user_data.phone_number",
     GOOGLE_PAGE + " (phone_number: include the plus sign and the country code)"),
    ("google_em_no_at", "google", "em", "jane.doe.gmail.com", "user_data.em", GOOGLE_PAGE + " (email_address)"),
    ("google_zip_not_hashed", "google", "zp", "94035", "user_data.zp", GOOGLE_PAGE + " (postal_code is sent unhashed)"),
]:
    pii_error(name, vendor, field, value, err_field, source)

# A whole user_data object.
meta_user = {"em": ["Jane@Example.com", " JOHN_SMITH@gmail.com"], "ph": "+1 650 555 1212", "fn": "Mary", "ge": "F",
             "country": "us", "zp": "94035-1234"}
meta_hashed = {"em": [sha("jane@example.com"), sha("john_smith@gmail.com")], "ph": sha("16505551212"), "fn": sha("mary"),
               "ge": sha("f"), "country": sha("us"), "zp": sha("94035")}
write("pii_meta_hash_user_data", {"function": "platform.pii.hash_user_data",
      "source": META_PAGE + " (rules per field; lists allowed); SHA-256 by Python hashlib",
      "input": {"vendor": "meta", "user_data": meta_user}, "params": {}, "expected": meta_hashed})
google_user = {"email_address": "Cloudy.SanFrancisco+shopping@gmail.com", "phone_number": "+1 800 555 0100",
               "given_name": "Cloudy"}
google_hashed = {"email_address": sha("cloudysanfrancisco@gmail.com"), "phone_number": sha("+18005550100"),
                 "given_name": sha("cloudy")}
write("pii_google_hash_user_data", {"function": "platform.pii.hash_user_data",
      "source": GOOGLE_PAGE + "; SHA-256 by Python hashlib",
      "input": {"vendor": "google", "user_data": google_user}, "params": {}, "expected": google_hashed})
write("pii_error_meta_hash_user_data_list", {"function": "platform.pii.hash_user_data",
      "source": META_PAGE + " (the second email has no @: the error names the list element)",
      "input": {"vendor": "meta", "user_data": {"em": ["jane@example.com", "not-an-email"]}}, "params": {},
      "expected": {"error": "invalid_parameter", "field": "user_data.em[1]"}})


# ---------------------------------------------------------------- webhooks


def mac(secret: str, msg: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), msg, hashlib.sha256).digest()


def verify_vec(name, scheme, secret, body, header, now, expected, source, body_bytes=None):
    inp = {"scheme": scheme, "secret": secret, "header": header, "now": now}
    if body_bytes is not None:
        inp["body_base64"] = base64.b64encode(body_bytes).decode()
    else:
        inp["body"] = body
    write(f"webhook_{name}", {"function": "platform.webhook.verify", "source": source, "input": inp, "params": {},
                              "expected": expected})


def one_byte_changed(body: str) -> str:
    return body[:-1] + chr(ord(body[-1]) ^ 1)


# GitHub's published test values for the X-Hub-Signature-256 scheme Meta's webhooks share.
gh_secret, gh_body = "It's a Secret to Everybody", "Hello, World!"
gh_header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
assert "sha256=" + mac(gh_secret, gh_body.encode()).hex() == gh_header
META = {"scheme": "meta"}
verify_vec("meta_github_doc", META, gh_secret, gh_body, gh_header, 0, {"valid": True},
           GITHUB_PAGE + " (test values; the same X-Hub-Signature-256 scheme as https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads)")
verify_vec("meta_github_doc_one_byte", META, gh_secret, one_byte_changed(gh_body), gh_header, 0, {"valid": False},
           GITHUB_PAGE + " (test values with the body's last byte changed)")
verify_vec("meta_wrong_secret", META, "another secret", gh_body, gh_header, 0, {"valid": False},
           GITHUB_PAGE + " (test values with another secret)")
write("webhook_meta_sign_github_doc", {"function": "platform.webhook.sign", "source": GITHUB_PAGE + " (test values)",
      "input": {"scheme": META, "secret": gh_secret, "body": gh_body, "t": 0}, "params": {}, "expected": {"header": gh_header}})
for nm, h in [("no_prefix", gh_header[7:]), ("short", "sha256=757107ea"), ("sha1", "sha1=" + "0" * 40)]:
    verify_vec(f"error_meta_{nm}", META, gh_secret, gh_body, h, 0,
               {"error": "invalid_parameter", "field": "X-Hub-Signature-256"},
               "https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads (sha256=<64 hex>)")

# Shopify: base64 of HMAC-SHA256(client secret, raw body).
SHOPIFY = {"scheme": "shopify"}
sh_secret = "hush"
sh_body = '{"id":820982911946154508,"email":"jon@example.com","total_price":"598.94"}'
sh_header = base64.b64encode(mac(sh_secret, sh_body.encode())).decode()
verify_vec("shopify_valid", SHOPIFY, sh_secret, sh_body, sh_header, 0, {"valid": True}, SHOPIFY_PAGE + "; HMAC by Python hmac")
verify_vec("shopify_one_byte", SHOPIFY, sh_secret, one_byte_changed(sh_body), sh_header, 0, {"valid": False},
           SHOPIFY_PAGE + "; HMAC by Python hmac, body's last byte changed")
raw = bytes(range(256))
verify_vec("shopify_binary_body", SHOPIFY, sh_secret, None, base64.b64encode(mac(sh_secret, raw)).decode(), 0,
           {"valid": True}, SHOPIFY_PAGE + " (raw bytes, not text); HMAC by Python hmac", body_bytes=raw)
write("webhook_shopify_sign", {"function": "platform.webhook.sign", "source": SHOPIFY_PAGE + "; HMAC by Python hmac",
      "input": {"scheme": SHOPIFY, "secret": sh_secret, "body": sh_body, "t": 0}, "params": {}, "expected": {"header": sh_header}})
verify_vec("error_shopify_not_base64", SHOPIFY, sh_secret, sh_body, "not base64!", 0,
           {"error": "invalid_parameter", "field": "X-Shopify-Hmac-Sha256"}, SHOPIFY_PAGE + " (base64 of 32 bytes)")
verify_vec("error_shopify_hex", SHOPIFY, sh_secret, sh_body, mac(sh_secret, sh_body.encode()).hex(), 0,
           {"error": "invalid_parameter", "field": "X-Shopify-Hmac-Sha256"},
           SHOPIFY_PAGE + " (a hex digest is not the base64 the header carries)")

# Timestamped: stripe-python's test scenarios with fixed timestamps.
st_secret = "whsec_test_secret"
st_body = '{\n  "id": "evt_test_webhook",\n  "object": "event",\n  "data": { "object": { "id": "rdr_123", "object": "terminal.reader" } }\n}'
T = 1_700_000_000


def stripe_header(t: int, secret: str = st_secret, body: str = st_body, scheme: str = "v1") -> str:
    return f"t={t},{scheme}=" + mac(secret, f"{t}.{body}".encode()).hex()


TS = {"scheme": "timestamped", "tolerance_seconds": 10}
verify_vec("timestamped_valid", TS, st_secret, st_body, stripe_header(T), T + 3, {"valid": True},
           STRIPE_TEST + " test_valid_header_and_signature (t fixed); signed payload per " + STRIPE_PAGE)
verify_vec("timestamped_extra_bad_v1", TS, st_secret, st_body, stripe_header(T) + ",v1=bad_signature", T, {"valid": True},
           STRIPE_TEST + " test_header_contains_valid_signature")
verify_vec("timestamped_bad_signature", TS, st_secret, st_body, f"t={T},v1=bad_signature", T, {"valid": False},
           STRIPE_TEST + " test_raise_on_no_valid_signatures_for_payload (false here, the SDK raises)")
verify_vec("timestamped_outside_tolerance", TS, st_secret, st_body, stripe_header(T - 15), T, {"valid": False},
           STRIPE_TEST + " test_raise_on_timestamp_outside_tolerance (false here, the SDK raises)")
verify_vec("timestamped_future_outside_tolerance", TS, st_secret, st_body, stripe_header(T + 11), T, {"valid": False},
           "channelwise contract: the window is two-sided (Stripe's SDKs check only the past)")
verify_vec("timestamped_no_tolerance", {"scheme": "timestamped", "tolerance_seconds": None}, st_secret, st_body,
           stripe_header(12345), T, {"valid": True}, STRIPE_TEST + " test_timestamp_off_but_no_tolerance")
verify_vec("timestamped_one_byte", TS, st_secret, one_byte_changed(st_body), stripe_header(T), T, {"valid": False},
           STRIPE_PAGE + " (signed payload t.body); body's last byte changed; HMAC by Python hmac")
rotated = stripe_header(T, "whsec_old") + ",v1=" + mac(st_secret, f"{T}.{st_body}".encode()).hex()
verify_vec("timestamped_rotated_secret", TS, st_secret, st_body, rotated, T, {"valid": True},
           STRIPE_PAGE + " (several v1 signatures while a secret rolls); HMAC by Python hmac")
write("webhook_timestamped_outside_tolerance_verdict", {"function": "platform.webhook.check_timestamped",
      "source": STRIPE_TEST + " test_raise_on_timestamp_outside_tolerance",
      "input": {"secret": st_secret, "body": st_body, "header": stripe_header(T - 15), "now": T, "tolerance_seconds": 10},
      "params": {}, "expected": {"verdict": "outside_tolerance"}})
write("webhook_timestamped_sign", {"function": "platform.webhook.sign", "source": STRIPE_PAGE + " (t=...,v1=...); HMAC by Python hmac",
      "input": {"scheme": TS, "secret": st_secret, "body": st_body, "t": T}, "params": {}, "expected": {"header": stripe_header(T)}})
verify_vec("error_timestamped_malformed", TS, st_secret, st_body, "i'm not even a real signature header", T,
           {"error": "invalid_parameter", "field": "Stripe-Signature"}, STRIPE_TEST + " test_raise_on_malformed_header")
verify_vec("error_timestamped_no_v1", TS, st_secret, st_body, stripe_header(T, scheme="v0"), T,
           {"error": "invalid_parameter", "field": "Stripe-Signature"},
           STRIPE_TEST + " test_raise_on_no_signatures_with_expected_scheme")
verify_vec("error_timestamped_no_t", TS, st_secret, st_body, "v1=" + "0" * 64, T,
           {"error": "invalid_parameter", "field": "Stripe-Signature"}, STRIPE_PAGE + " (t= is required)")

print(f"wrote {len(written)} vectors to tests/vectors/platform")
