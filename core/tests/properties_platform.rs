//! Properties of the platform module's parsers and normalisers: no panic on any input (Unicode
//! emails, phone numbers, dates, signature headers); normalisation is idempotent and the hash is
//! the SHA-256 of the normalised text; errors and `Debug` prints never show the raw value; a
//! signature verifies its own body and fails once any one byte of the body changes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failed test

use channelwise::platform::pii::{self, Field, GoogleEmail, OneOrMany, Options, Pii, UserData, Vendor};
use channelwise::platform::webhook::{self, Scheme};
use proptest::prelude::*;

fn vendor() -> impl Strategy<Value = Vendor> {
    prop_oneof![Just(Vendor::Meta), Just(Vendor::Google)]
}

fn options() -> impl Strategy<Value = Options> {
    prop_oneof![Just(GoogleEmail::Documentation), Just(GoogleEmail::Sdk), Just(GoogleEmail::AllDomains)]
        .prop_map(|rule| Options::default().google_email(rule))
}

/// Field keys, including Google's names, Meta's unhashed keys and unknown ones.
fn key() -> impl Strategy<Value = String> {
    let known: Vec<String> = Field::ALL.iter().map(|f| f.key().to_string()).collect();
    prop_oneof![
        4 => prop::sample::select(known),
        1 => prop::sample::select(vec!["email_address", "phone_number", "given_name", "family_name", "fbc", "nick"])
            .prop_map(String::from),
    ]
}

/// Values shaped like each field, and anything at all (any Unicode).
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,8}[@.+]{0,3}\\PC{0,8}@?(gmail|googlemail|example|ЯНДЕКС)\\.(com|рф)",
        "[ +0(]{0,3}[0-9 ()\\-.]{0,22}[a-zA-Z]{0,2}",
        "[0-9]{0,4}[\\-/. ]?[0-9]{0,4}[\\-/. ]?[0-9]{0,4}",
        "[ \\PC]{0,3}[\\p{L}\\p{M}\\p{P} ]{0,16}",
        "[0-9a-fA-F]{62,66}",
    ]
}

fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(sha256=)?[0-9a-fA-F]{0,66}",
        "[A-Za-z0-9+/=]{0,48}",
        "(t=-?[0-9+]{0,20},?)?(v[01]=[0-9a-f]{0,66},?){0,3}( |=|,)?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalisation_never_panics_is_idempotent_and_hashes_what_it_shows(
        key in key(), value in value(), vendor in vendor(), options in options(),
    ) {
        match pii::normalize_with(&key, &value, vendor, &options) {
            Ok(n) => {
                prop_assert!(!n.is_empty());
                let again = pii::normalize_with(&key, &n, vendor, &options);
                prop_assert_eq!(again.as_ref(), Ok(&n), "not idempotent: {:?} -> {:?}", value, n);
                let h = pii::hash_with(&key, &value, vendor, &options).unwrap();
                prop_assert_eq!(h.len(), 64);
                prop_assert!(h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
                let prehashed = value.trim().len() == 64 && value.trim().bytes().all(|b| b.is_ascii_hexdigit());
                prop_assert!(prehashed || h == pii::hash_with(&key, &n, vendor, &options).unwrap());
            }
            Err(e) => {
                prop_assert_eq!(e.kind().code(), "invalid_parameter");
                let shown = format!("{e} {e:?}");
                prop_assert!(shown.contains(&format!("user_data.{key}")), "{}", shown);
                let raw = value.trim();
                prop_assert!(raw.chars().count() < 6 || !shown.contains(raw), "{}", shown);
            }
        }
    }

    #[test]
    fn user_data_errors_and_prints_never_show_values(
        values in prop::collection::vec(value(), 1..4), keys in prop::collection::vec(key(), 1..4), vendor in vendor(),
    ) {
        let data: UserData = keys.iter().zip(&values).map(|(k, v)| (k.clone(), OneOrMany::One(Pii::new(v.clone())))).collect();
        let printed = format!("{data:?}");
        for v in &values {
            let wrapped = Pii::new(v.clone());
            prop_assert_eq!(format!("{wrapped:?}"), "[redacted]");
            prop_assert_eq!(format!("{wrapped}"), "[redacted]");
            prop_assert!(v.chars().count() < 6 || !printed.contains(v.as_str()), "{}", printed);
        }
        if let Err(e) = pii::hash_user_data(&data, vendor) {
            let shown = format!("{e} {e:?}");
            prop_assert!(values.iter().all(|v| v.trim().chars().count() < 6 || !shown.contains(v.trim())), "{}", shown);
        }
    }

    #[test]
    fn header_parsers_never_panic(
        h in header(), secret in prop::collection::vec(any::<u8>(), 0..40), body in prop::collection::vec(any::<u8>(), 0..64),
        now in any::<i64>(), tol in prop::option::of(any::<u64>()),
    ) {
        for scheme in [Scheme::Shopify, Scheme::Meta, Scheme::Timestamped { tolerance_seconds: tol }] {
            if let Err(e) = webhook::verify(scheme, &secret, &body, &h, now) {
                prop_assert_eq!(e.kind().code(), "invalid_parameter");
                // an empty secret is refused before the header is read
                let field = if secret.is_empty() { "secret".to_string() } else { scheme.header().to_string() };
                prop_assert!(e.to_string().starts_with(&format!("invalid {field}")), "{}", e);
            }
        }
    }

    #[test]
    fn a_signature_fails_once_one_body_byte_changes(
        secret in prop::collection::vec(any::<u8>(), 1..70), body in prop::collection::vec(any::<u8>(), 1..300),
        at in any::<prop::sample::Index>(), flip in 1u8..=255, t in -10_000_000_000i64..10_000_000_000,
    ) {
        let mut changed = body.clone();
        let i = at.index(body.len());
        changed[i] ^= flip;
        for scheme in [Scheme::Shopify, Scheme::Meta, Scheme::timestamped()] {
            let h = webhook::sign(scheme, &secret, &body, t);
            prop_assert!(webhook::verify(scheme, &secret, &body, &h, t).unwrap());
            prop_assert!(!webhook::verify(scheme, &secret, &changed, &h, t).unwrap());
        }
    }
}
