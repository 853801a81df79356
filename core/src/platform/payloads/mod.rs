//! Request bodies for Meta, GA4 and Google Ads, built and checked as each vendor documents them
//! (sans-I/O: the caller sends the bytes).
//!
//! Every builder validates what the vendor validates and refuses, with a typed [`Error`] naming
//! the field by its path in the input (`events[3].event_time`, `conversions[0].gclid`), what
//! the vendor would reject: the whole request rather than a
//! silently dropped event. Customer data goes through [`crate::platform::pii`] (normalised,
//! then SHA-256), so raw PII never reaches a body, an error or a log.
//!
//! | Module | Builds | Vendor limit per request |
//! |---|---|---|
//! | [`meta`] | Conversions API `{"data": [...]}` bodies; ad set / campaign budget, bid and status updates in the currency's minor unit | 1,000 events |
//! | [`ga4`] | Measurement Protocol `/mp/collect` bodies | 25 events, 130 kB |
//! | [`google_ads`] | `uploadClickConversions` bodies, enhanced conversions / Customer Match `userIdentifiers`; budget, bid and status `mutate` bodies in micros with an update mask | 2,000 conversions |
//!
//! Times come in as `now_ms` (milliseconds since the Unix epoch, what
//! [`Clock::now_ms`](crate::platform::adapter::Clock::now_ms) gives), so the age checks are exact
//! and testable. Money comes in currency units (dollars, not cents) and leaves in the vendor's
//! unit: minor units with Meta's offset ([`meta_offset`]), micros for Google Ads.
//!
//! ```
//! use channelwise::platform::payloads::{batches, meta_offset};
//! assert_eq!(meta_offset("USD"), Some(100));
//! assert_eq!(meta_offset("JPY"), Some(1));
//! let split = batches(&[1, 2, 3, 4, 5], 2)?;
//! assert_eq!(split, vec![vec![1, 2], vec![3, 4], vec![5]]);
//! # Ok::<(), channelwise::Error>(())
//! ```

pub mod ga4;
pub mod google_ads;
pub mod meta;

use crate::error::{Error, Result};

/// The largest safe integer, 2^53 - 1 (JS's `Number.MAX_SAFE_INTEGER`): from 2^53 on, integers
/// are no longer all exact in an `f64`, and JSON readers in JS refuse them. Amounts in minor
/// units (Meta) and micros (Google Ads) stop here.
pub(crate) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Splits `items` into consecutive requests of at most `max` items, in order: nothing lost,
/// nothing repeated. No items give no requests.
///
/// # Errors
/// [`Error::OutOfRange`] (field `batch_size`) when `max` is 0.
pub fn batches<T: Clone>(items: &[T], max: usize) -> Result<Vec<Vec<T>>> {
    if max == 0 {
        return Err(Error::OutOfRange { field: "batch_size".into(), value: 0.0, min: 1.0, max: f64::INFINITY });
    }
    Ok(items.chunks(max).map(<[T]>::to_vec).collect())
}

/// Meta's currency offset: how many of the amounts Meta's Marketing API takes make one unit
/// of the currency (100 for USD: budgets in cents; 1 for JPY). `None` for a currency Meta's
/// ad accounts do not support.
///
/// From Meta's "Currency codes" page
/// (<https://developers.facebook.com/docs/marketing-api/currencies>).
pub fn meta_offset(currency: &str) -> Option<u32> {
    META_CURRENCIES.iter().find(|(c, _)| *c == currency).map(|&(_, o)| o)
}

/// Meta's supported ad account currencies and their offsets, in the order of the "Currency
/// codes" page (updated Apr 16, 2024): the eleven zero-decimal currencies have offset 1.
pub const META_CURRENCIES: [(&str, u32); 63] = [
    ("DZD", 100), ("ARS", 100), ("AUD", 100), ("BHD", 100), ("BDT", 100), ("BOB", 100), ("BGN", 100),
    ("BRL", 100), ("GBP", 100), ("CAD", 100), ("CLP", 1), ("CNY", 100), ("COP", 1), ("CRC", 1),
    ("HRK", 100), ("CZK", 100), ("DKK", 100), ("EGP", 100), ("EUR", 100), ("GTQ", 100), ("HNL", 100),
    ("HKD", 100), ("HUF", 1), ("ISK", 1), ("INR", 100), ("IDR", 1), ("ILS", 100), ("JPY", 1),
    ("JOD", 100), ("KES", 100), ("KRW", 1), ("LVL", 100), ("LTL", 100), ("MOP", 100), ("MYR", 100),
    ("MXN", 100), ("NZD", 100), ("NIO", 100), ("NGN", 100), ("NOK", 100), ("PKR", 100), ("PYG", 1),
    ("PEN", 100), ("PHP", 100), ("PLN", 100), ("QAR", 100), ("RON", 100), ("RUB", 100), ("SAR", 100),
    ("RSD", 100), ("SGD", 100), ("SKK", 100), ("ZAR", 100), ("SEK", 100), ("CHF", 100), ("TWD", 1),
    ("THB", 100), ("TRY", 100), ("AED", 100), ("USD", 100), ("UYU", 100), ("VEF", 100), ("VND", 1),
];

/// Checks an ISO 4217 code: three ASCII capital letters.
pub(crate) fn check_currency(field: impl FnOnce() -> String, code: &str) -> Result<()> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Ok(());
    }
    Err(Error::param(field(), code, "must be an ISO 4217 code of three capital letters, e.g. USD"))
}

/// Checks a money amount: finite and `>= 0`.
pub(crate) fn check_amount(field: impl FnOnce() -> String, value: f64) -> Result<()> {
    crate::error::check_non_negative(field, value).map(|_| ())
}

/// Puts `prefix` in front of the field an error names (`em` -> `events[2].user_data.em`).
pub(crate) fn within(prefix: &str, e: Error) -> Error {
    let join = |f: String| if f.is_empty() { prefix.to_string() } else { format!("{prefix}.{f}") };
    match e {
        Error::InvalidParameter { field, value, reason } => Error::InvalidParameter { field: join(field), value, reason },
        Error::OutOfRange { field, value, min, max } => Error::OutOfRange { field: join(field), value, min, max },
        Error::NonFinite { field, value } => Error::NonFinite { field: join(field), value },
        Error::LengthMismatch { field, expected, got } => Error::LengthMismatch { field: join(field), expected, got },
        other => other,
    }
}

/// Refuses a body bigger than `max` bytes.
pub(crate) fn check_len(field: &str, what: &str, got: usize, max: usize) -> Result<()> {
    if got > max {
        return Err(Error::param(field, got, format!("{what} has {got}, at most {max} allowed")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_currencies() {
        let mut codes: Vec<&str> = META_CURRENCIES.iter().map(|c| c.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), META_CURRENCIES.len());
        let zero_decimal: Vec<&str> = META_CURRENCIES.iter().filter(|c| c.1 == 1).map(|c| c.0).collect();
        assert_eq!(zero_decimal, ["CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"]);
        assert_eq!(meta_offset("XXX"), None);
        assert!(check_currency(|| "c".into(), "usd").is_err());
        assert!(check_currency(|| "c".into(), "USD").is_ok());
    }

    #[test]
    fn prefixes_name_the_path() {
        let e = within("events[2]", Error::param("user_data.em", "[redacted]", "x"));
        assert!(e.to_string().starts_with("invalid events[2].user_data.em"));
        assert!(batches::<u8>(&[], 0).is_err());
        assert!(batches::<u8>(&[], 3).unwrap().is_empty());
    }
}
