//! Webhook signatures: Shopify, Meta and timestamped (Stripe-style) HMAC-SHA256, checked over
//! the raw body bytes in constant time.
//!
//! | Scheme | Header | Signed bytes | Header value |
//! |---|---|---|---|
//! | [`Scheme::Shopify`] | `X-Shopify-Hmac-Sha256` | the body | standard base64 of the 32-byte MAC |
//! | [`Scheme::Meta`] | `X-Hub-Signature-256` | the body | `sha256=` and 64 hex digits |
//! | [`Scheme::Timestamped`] | `Stripe-Signature` | `"{t}.{body}"` | `t=<unix seconds>,v1=<hex>[,v1=<hex>...]` |
//!
//! Verify the bytes exactly as received, before any JSON parsing: a re-serialised body differs
//! by a space and fails. The comparison is `hmac`'s `verify_slice` (constant time); every `v1`
//! of a timestamped header is compared, so a signature rotation (old and new secret both
//! signing) passes with either.
//!
//! **Results.** A well-formed header gives `Ok(true)` or `Ok(false)`: a wrong secret, a body
//! altered by one byte, and for the timestamped scheme a timestamp outside the tolerance window
//! are all `Ok(false)`, so a Node or Python handler answers 400/401 on `false` alone and treats
//! an error as a malformed request. (Stripe's SDKs raise on a stale timestamp; here it is
//! `false`, and [`check_timestamped`] says which of the two failed.) A header that cannot be
//! parsed is an [`Error::InvalidParameter`] naming the header.
//! Unlike Stripe's SDKs, the window is two-sided: a timestamp more than `tolerance_seconds` in
//! the future fails too. `v1` values that are not 64 hex digits and other schemes (`v0=`) are
//! ignored, as Stripe's SDKs do.
//!
//! | Name | Default | Meaning | Range |
//! |---|---|---|---|
//! | `tolerance_seconds` | 300 (Stripe's default) | largest `\|now - t\|` accepted; `None` turns the check off | `>= 0` |
//!
//! ```
//! use channelwise::platform::webhook::{sign, verify, Scheme};
//! let body = br#"{"id":"evt_1"}"#;
//! let header = sign(Scheme::Meta, b"app-secret", body, 0);
//! assert!(verify(Scheme::Meta, b"app-secret", body, &header, 0)?);
//! assert!(!verify(Scheme::Meta, b"app-secret", br#"{"id":"evt_2"}"#, &header, 0)?);
//! assert!(verify(Scheme::Meta, b"app-secret", body, "sha1=abc", 0).is_err());
//!
//! let stripe = Scheme::timestamped();
//! let header = sign(stripe, b"whsec_test", body, 1_700_000_000);
//! assert!(verify(stripe, b"whsec_test", body, &header, 1_700_000_100)?);
//! assert!(!verify(stripe, b"whsec_test", body, &header, 1_700_000_301)?); // 301 s late
//! # Ok::<(), channelwise::Error>(())
//! ```

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::pii::hex;
use crate::error::{Error, Result};

type HmacSha256 = Hmac<Sha256>;

/// Shopify's header.
pub const SHOPIFY_HEADER: &str = "X-Shopify-Hmac-Sha256";
/// Meta's (and GitHub's) header.
pub const META_HEADER: &str = "X-Hub-Signature-256";
/// The timestamped scheme's header, as Stripe names it.
pub const TIMESTAMPED_HEADER: &str = "Stripe-Signature";
/// Stripe's default tolerance, in seconds.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;

/// A signature scheme. As JSON: `{"scheme": "shopify"}`, `{"scheme": "meta"}`,
/// `{"scheme": "timestamped", "tolerance_seconds": 300}` (`null` turns the window off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scheme {
    /// `X-Shopify-Hmac-Sha256`: base64 of HMAC-SHA256(secret, body).
    Shopify,
    /// `X-Hub-Signature-256`: `sha256=` + hex of HMAC-SHA256(secret, body).
    Meta,
    /// `t=<seconds>,v1=<hex>,...`: hex of HMAC-SHA256(secret, `"{t}.{body}"`), `t` within the
    /// tolerance of `now`.
    Timestamped {
        /// Largest `|now - t|` in seconds; `None` accepts any timestamp.
        #[serde(default = "default_tolerance")]
        tolerance_seconds: Option<u64>,
    },
}

// serde's `default = "..."` needs a function.
#[allow(clippy::unnecessary_wraps)]
fn default_tolerance() -> Option<u64> {
    Some(DEFAULT_TOLERANCE_SECONDS)
}

impl Scheme {
    /// The timestamped scheme with Stripe's default tolerance (300 s).
    pub fn timestamped() -> Self {
        Scheme::Timestamped { tolerance_seconds: Some(DEFAULT_TOLERANCE_SECONDS) }
    }

    /// The header the scheme's signature travels in.
    pub fn header(self) -> &'static str {
        match self {
            Scheme::Shopify => SHOPIFY_HEADER,
            Scheme::Meta => META_HEADER,
            Scheme::Timestamped { .. } => TIMESTAMPED_HEADER,
        }
    }
}

/// The outcome of a timestamped check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A `v1` signature matches and the timestamp is in the window.
    Valid,
    /// No `v1` signature matches (wrong secret, altered body, altered timestamp).
    Mismatch,
    /// A signature matches but the timestamp lies outside the tolerance window (a replay or a
    /// skewed clock).
    OutsideTolerance,
}

/// An empty secret is a missing setting, not a key: with it anyone can sign.
fn keyed(secret: &[u8]) -> Result<()> {
    if secret.is_empty() {
        return Err(Error::InvalidParameter { field: "secret".into(), value: String::new(), reason: "empty: a missing setting would let anyone sign".into() });
    }
    Ok(())
}

/// Checks `header` against `body` with `secret` under `scheme`; `now` (unix seconds) is read by
/// the timestamped scheme only.
///
/// # Errors
/// [`Error::InvalidParameter`] naming `secret` when it is empty (every verifier here);
/// [`Error::InvalidParameter`] naming the scheme's header when it cannot be parsed (Meta: no
/// `sha256=` prefix or not 64 hex digits; Shopify: not base64 of 32 bytes; timestamped: no
/// integer `t=` or no `v1=`).
pub fn verify(scheme: Scheme, secret: &[u8], body: &[u8], header: &str, now: i64) -> Result<bool> {
    match scheme {
        Scheme::Shopify => verify_shopify(secret, body, header),
        Scheme::Meta => verify_meta(secret, body, header),
        Scheme::Timestamped { tolerance_seconds } => {
            Ok(check_timestamped(secret, body, header, now, tolerance_seconds)? == Verdict::Valid)
        }
    }
}

/// The header value a sender would attach (for tests and the simulated market); `t` is the
/// timestamp of the timestamped scheme, ignored by the others.
///
/// ```
/// use channelwise::platform::webhook::{sign, Scheme};
/// // GitHub's published example for the X-Hub-Signature-256 scheme Meta shares.
/// assert_eq!(
///     sign(Scheme::Meta, b"It's a Secret to Everybody", b"Hello, World!", 0),
///     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
/// );
/// ```
pub fn sign(scheme: Scheme, secret: &[u8], body: &[u8], t: i64) -> String {
    match scheme {
        Scheme::Shopify => base64::engine::general_purpose::STANDARD.encode(mac(secret, &[body]).finalize().into_bytes()),
        Scheme::Meta => format!("sha256={}", hex(&mac(secret, &[body]).finalize().into_bytes())),
        Scheme::Timestamped { .. } => {
            format!("t={t},v1={}", hex(&mac(secret, &[t.to_string().as_bytes(), b".", body]).finalize().into_bytes()))
        }
    }
}

/// Shopify: `X-Shopify-Hmac-Sha256` is the standard base64 of HMAC-SHA256(secret, body).
///
/// # Errors
/// [`Error::InvalidParameter`] naming the header when it is not base64 of 32 bytes.
pub fn verify_shopify(secret: &[u8], body: &[u8], header: &str) -> Result<bool> {
    keyed(secret)?;
    let tag = base64::engine::general_purpose::STANDARD
        .decode(header.trim())
        .map_err(|_| malformed(SHOPIFY_HEADER, header, "not standard base64"))?;
    if tag.len() != 32 {
        return Err(malformed(SHOPIFY_HEADER, header, "an HMAC-SHA256 is 32 bytes (44 base64 characters)"));
    }
    Ok(mac(secret, &[body]).verify_slice(&tag).is_ok())
}

/// Meta: `X-Hub-Signature-256` is `sha256=` followed by the hex of HMAC-SHA256(app secret, body).
///
/// # Errors
/// [`Error::InvalidParameter`] naming the header without the `sha256=` prefix or 64 hex digits.
pub fn verify_meta(secret: &[u8], body: &[u8], header: &str) -> Result<bool> {
    keyed(secret)?;
    let hex_tag = header.trim().strip_prefix("sha256=").ok_or_else(|| malformed(META_HEADER, header, "must start with sha256="))?;
    let tag = unhex32(hex_tag).ok_or_else(|| malformed(META_HEADER, header, "needs 64 hex digits after sha256="))?;
    Ok(mac(secret, &[body]).verify_slice(&tag).is_ok())
}

/// Timestamped (Stripe-style): which of [`Verdict`] the header earns. A timestamp outside the
/// window is reported only when a signature matches, so a forged header learns nothing about
/// the window.
///
/// # Errors
/// [`Error::InvalidParameter`] naming `Stripe-Signature` when it has no integer `t=` (or two),
/// no `v1=`, or an element that is not `key=value`.
pub fn check_timestamped(secret: &[u8], body: &[u8], header: &str, now: i64, tolerance_seconds: Option<u64>) -> Result<Verdict> {
    keyed(secret)?;
    let (t, t_text, signatures) = parse_timestamped(header)?;
    let expected = mac(secret, &[t_text.as_bytes(), b".", body]);
    // Compare every candidate (no early exit), each in constant time.
    let matched = signatures.iter().fold(false, |acc, s| expected.clone().verify_slice(s).is_ok() | acc);
    if !matched {
        return Ok(Verdict::Mismatch);
    }
    let in_window = tolerance_seconds.is_none_or(|tol| now.abs_diff(t) <= tol);
    Ok(if in_window { Verdict::Valid } else { Verdict::OutsideTolerance })
}

/// `(t, t as written, v1 signatures that are 32 bytes of hex)`.
fn parse_timestamped(header: &str) -> Result<(i64, &str, Vec<[u8; 32]>)> {
    let bad = |reason: &str| malformed(TIMESTAMPED_HEADER, header, reason);
    let mut t = None;
    let mut any_v1 = false;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        let (key, value) = item.trim().split_once('=').ok_or_else(|| bad("every element must be key=value"))?;
        match key {
            "t" => {
                if t.is_some() {
                    return Err(bad("has two timestamps t="));
                }
                let parsed = value.parse::<i64>().ok().filter(|_| !value.starts_with('+'));
                t = Some((parsed.ok_or_else(|| bad("t= must be an integer of unix seconds"))?, value));
            }
            "v1" => {
                any_v1 = true;
                signatures.extend(unhex32(value));
            }
            _ => {}
        }
    }
    let (t, t_text) = t.ok_or_else(|| bad("has no timestamp t="))?;
    if !any_v1 {
        return Err(bad("has no v1= signature"));
    }
    Ok((t, t_text, signatures))
}

fn mac(secret: &[u8], parts: &[&[u8]]) -> HmacSha256 {
    #[allow(clippy::expect_used)]
    let mut m = HmacSha256::new_from_slice(secret).expect("invariant: HMAC accepts keys of any length");
    for p in parts {
        m.update(p);
    }
    m
}

/// 64 hex digits (either case) as 32 bytes.
fn unhex32(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks_exact(2).enumerate() {
        out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

/// A malformed-header error; the value is cut to 100 characters (a header is no secret, but it
/// can be long).
fn malformed(header_name: &str, value: &str, reason: &str) -> Error {
    let shown: String = value.chars().take(100).collect();
    Error::param(header_name, shown, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_one_byte_changes_fail() {
        let body = b"{\"a\":1}";
        for scheme in [Scheme::Shopify, Scheme::Meta, Scheme::timestamped()] {
            let h = sign(scheme, b"k", body, 100);
            assert!(verify(scheme, b"k", body, &h, 100).unwrap(), "{scheme:?}");
            assert!(!verify(scheme, b"k", b"{\"a\":2}", &h, 100).unwrap(), "{scheme:?}");
            assert!(!verify(scheme, b"K", body, &h, 100).unwrap(), "{scheme:?}");
            // an empty secret (a missing setting) verified what it signed: refused (an audit)
            let e = verify(scheme, b"", body, &sign(scheme, b"", body, 100), 100).unwrap_err();
            assert_eq!(e.to_string(), "invalid secret: \"\" (empty: a missing setting would let anyone sign)");
        }
    }

    #[test]
    fn malformed_headers_name_the_header() {
        let e = verify_meta(b"k", b"", "sha256=zz").unwrap_err();
        assert!(e.to_string().starts_with("invalid X-Hub-Signature-256"), "{e}");
        let e = verify_shopify(b"k", b"", "not base64!").unwrap_err();
        assert!(e.to_string().starts_with("invalid X-Shopify-Hmac-Sha256"), "{e}");
        for h in ["", "t=1", "v1=00", "t=x,v1=00", "t=1,t=2,v1=00", "t=1,v1", "t=+1,v1=00"] {
            let e = check_timestamped(b"k", b"", h, 0, None).unwrap_err();
            assert!(e.to_string().starts_with("invalid Stripe-Signature"), "{h}: {e}");
        }
    }

    #[test]
    fn timestamped_window_and_several_signatures() {
        let body = b"payload";
        let good = sign(Scheme::timestamped(), b"new", body, 1000);
        let old = sign(Scheme::timestamped(), b"old", body, 1000);
        let v1_old = old.split_once(",v1=").unwrap().1;
        let both = format!("{good},v1={v1_old},v0=abc,v1=bad_signature");
        assert_eq!(check_timestamped(b"old", body, &both, 1000, Some(10)).unwrap(), Verdict::Valid);
        assert_eq!(check_timestamped(b"new", body, &both, 1010, Some(10)).unwrap(), Verdict::Valid);
        assert_eq!(check_timestamped(b"new", body, &both, 1011, Some(10)).unwrap(), Verdict::OutsideTolerance);
        assert_eq!(check_timestamped(b"new", body, &both, 989, Some(10)).unwrap(), Verdict::OutsideTolerance);
        assert_eq!(check_timestamped(b"new", body, &both, i64::MIN, None).unwrap(), Verdict::Valid);
        assert_eq!(check_timestamped(b"other", body, &both, 1000, Some(10)).unwrap(), Verdict::Mismatch);
        // The signed payload uses t as written.
        let shifted = good.replacen("t=1000", "t=1001", 1);
        assert_eq!(check_timestamped(b"new", body, &shifted, 1000, Some(10)).unwrap(), Verdict::Mismatch);
    }

    #[test]
    fn schemes_read_as_json() {
        let s: Scheme = serde_json::from_str(r#"{"scheme": "timestamped"}"#).unwrap();
        assert_eq!(s, Scheme::timestamped());
        let s: Scheme = serde_json::from_str(r#"{"scheme": "timestamped", "tolerance_seconds": null}"#).unwrap();
        assert_eq!(s, Scheme::Timestamped { tolerance_seconds: None });
        let s: Scheme = serde_json::from_str(r#"{"scheme": "shopify"}"#).unwrap();
        assert_eq!(s.header(), SHOPIFY_HEADER);
    }
}
