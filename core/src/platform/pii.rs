//! Customer data (PII) normalised, then SHA-256 hashed, as Meta and Google document it.
//!
//! Meta's Conversions API and Google's enhanced conversions / Customer Match match people on the
//! SHA-256 (lowercase hex) of *normalised* identifiers; a value normalised differently hashes to
//! something nobody can match, and the conversion is lost without an error. [`normalize`] shows
//! the text that is hashed, [`hash`] hashes one value and [`hash_user_data`] a whole `user_data`
//! object (same keys, each value a string or, for Meta, a list of strings).
//!
//! The rules follow each vendor's documentation over its SDK where they differ, and the SDK where
//! the documentation is silent:
//!
//! | Field | Meta (Customer Information Parameters page) | Normalised |
//! |---|---|---|
//! | `em` | trim, lowercase; must hold an `@`, no inner whitespace | `john_smith@gmail.com` |
//! | `ph` | digits only (symbols and letters removed), leading zeros removed, country code required | `16505551212` |
//! | `fn`, `ln` | trim, lowercase, punctuation removed; UTF-8 letters kept (`valéry`, `정`) | `mary` |
//! | `db` | `YYYYMMDD`, from `YYYYMMDD`, `YYYY-MM-DD` or `M/D/YYYY` (any of `-/. `) | `19970216` |
//! | `ge` | `f` or `m` (also `female` / `male`) | `f` |
//! | `ct`, `st` | lowercase; spaces and punctuation removed | `newyork`, `ca` |
//! | `zp` | lowercase, spaces and dashes removed; nine digits (US ZIP+4) cut to the first 5 | `94035`, `m11ae` |
//! | `country` | lowercase ISO 3166-1 alpha-2 code (names are not mapped) | `us` |
//! | `external_id` | trim, lowercase (the SDK's rule; the page names none) | |
//!
//! | Field | Google (Data Manager "Format user data" page) | Normalised |
//! |---|---|---|
//! | `em` / `email_address` | see [`GoogleEmail`] (default: lowercase, all whitespace removed; for gmail.com and googlemail.com dots and `+suffix` removed from the local part) | `janedoe@gmail.com` |
//! | `ph` / `phone_number` | E.164: `+`, country code, digits (spaces, dashes, dots, parentheses removed); 7 to 15 digits | `+18005550100` |
//! | `fn` / `given_name`, `ln` / `family_name` | trim, lowercase, punctuation removed | `jane` |
//!
//! Google takes country, postal code, city and state unhashed, so they are not fields here.
//!
//! A value that already is a SHA-256 hex digest (64 hexadecimal digits after trimming) passes
//! through, lowercased, so pre-hashed and raw data mix. Bad input is an
//! [`Error::InvalidParameter`] naming the field
//! (`user_data.em`, `user_data.ph[1]`) and the reason; its value is always `"[redacted]"`: raw
//! PII never reaches an error message. Hold raw values in a [`Pii`] so that a `Debug` print or a
//! log line shows `[redacted]` too.
//!
//! Where the documentation and the SDK differ, and what this module does:
//!
//! - Google email: the Data Manager page removes dots and the `+suffix` for Gmail only and keeps
//!   them for other domains; the google-ads-python examples remove only Gmail dots and keep the
//!   `+suffix`; the Google Ads "upload online conversions" page has been read as removing both
//!   for every domain (googleads/google-ads-php#1119). All three are offered as
//!   [`GoogleEmail`]; the Data Manager page is the default.
//! - Meta `fn`/`ln`: the page says "no punctuation"; the SDK only trims and lowercases. We remove
//!   punctuation.
//! - Meta `ct`/`st`: the SDK removes digits, dots, spaces, dashes and parentheses; the page says
//!   no punctuation, special characters or spaces. We remove spaces and punctuation, keep digits.
//! - Meta `ph`: the page removes symbols, letters and leading zeros; the SDK does not check for a
//!   country code. We also refuse a number written in national format (a single leading trunk
//!   `0`, e.g. `020 7946 0018`) or with fewer than 7 or more than 15 digits; a national number
//!   without its trunk zero (a US `6505551212`) cannot be told apart and is hashed as given.
//! - Meta `db`: the page accepts "a range of month, day and year combinations"; a year-last date
//!   whose day and month could be swapped (`03/04/1990`) is refused rather than guessed. The
//!   page's upper bound "current year" is not checked (the core reads no clock).
//!
//! ```
//! use channelwise::platform::pii::{hash, normalize, Vendor};
//! assert_eq!(normalize("em", " John_Smith@gmail.com ", Vendor::Meta)?, "john_smith@gmail.com");
//! // Meta's own example on its Customer Information Parameters page:
//! assert_eq!(
//!     hash("em", "John_Smith@gmail.com", Vendor::Meta)?,
//!     "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"
//! );
//! assert_eq!(normalize("ph", "+1 (800) 555-0100", Vendor::Google)?, "+18005550100");
//! let e = normalize("em", "no-at-sign.example.com", Vendor::Meta).unwrap_err();
//! assert_eq!(e.to_string(), "invalid user_data.em: \"[redacted]\" (an email address needs an @)");
//! # Ok::<(), channelwise::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// What every error of this module shows instead of the value.
pub const REDACTED: &str = "[redacted]";

/// A raw personal value whose `Debug` and `Display` print `[redacted]`.
///
/// Wrap customer data as soon as it is read, so that a `{:?}` of a struct holding it, a log
/// line or a panic message cannot leak it; read it with [`Pii::expose`] only where it is
/// normalised. Serde reads and writes the bare value (`"jane@example.com"`), so JSON crosses
/// bindings unchanged.
///
/// ```
/// use channelwise::platform::pii::Pii;
/// let email = Pii::new("jane@example.com".to_string());
/// assert_eq!(format!("{email:?} {email}"), "[redacted] [redacted]");
/// assert_eq!(email.expose(), "jane@example.com");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pii<T>(T);

impl<T> Pii<T> {
    /// Wraps a raw value.
    pub fn new(value: T) -> Self {
        Pii(value)
    }

    /// The raw value, for the code that normalises it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the raw value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Pii<T> {
    fn from(value: T) -> Self {
        Pii(value)
    }
}

impl<T> fmt::Debug for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Whose rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    /// Meta Conversions API `user_data` (and Custom Audiences, which share the rules).
    Meta,
    /// Google Ads enhanced conversions, enhanced conversions for leads and Customer Match.
    Google,
}

/// Which of Google's email rules to apply (see the module docs for where each is written).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoogleEmail {
    /// Google's Data Manager "Format user data" page: lowercase, remove all whitespace; for
    /// `gmail.com` and `googlemail.com` remove every `.` and the `+suffix` of the local part;
    /// keep both for other domains (`user.name+NYC@Example.com` -> `user.name+nyc@example.com`).
    #[default]
    Documentation,
    /// The google-ads-python examples (`normalize_and_hash_email_address`): trim, lowercase,
    /// remove dots of the local part for `gmail.com` and `googlemail.com`; keep any `+suffix`.
    Sdk,
    /// Dots and `+suffix` removed from the local part for every domain, as the Google Ads
    /// "upload online conversions" page has been read (googleads/google-ads-php#1119).
    AllDomains,
}

/// Options of the normalisation.
///
/// | Name | Default | Meaning | Range |
/// |---|---|---|---|
/// | `google_email` | `"documentation"` | Google email rule, see [`GoogleEmail`] | `"documentation"`, `"sdk"`, `"all_domains"` |
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Google email rule.
    pub google_email: GoogleEmail,
}

impl Options {
    /// Sets the Google email rule.
    pub fn google_email(mut self, rule: GoogleEmail) -> Self {
        self.google_email = rule;
        self
    }
}

/// A customer-data field, named by Meta's `user_data` keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// Email (`em`).
    Email,
    /// Phone number (`ph`).
    Phone,
    /// First name (`fn`).
    FirstName,
    /// Last name (`ln`).
    LastName,
    /// Date of birth (`db`), Meta only.
    DateOfBirth,
    /// Gender (`ge`), Meta only.
    Gender,
    /// City (`ct`), Meta only.
    City,
    /// State (`st`), Meta only.
    State,
    /// Zip or postal code (`zp`), Meta only.
    Zip,
    /// Country (`country`), Meta only.
    Country,
    /// The advertiser's own id (`external_id`), Meta only.
    ExternalId,
}

/// Meta `user_data` keys that are sent unhashed.
pub(crate) const META_UNHASHED: [&str; 14] = [
    "client_ip_address", "client_user_agent", "fbc", "fbp", "subscription_id", "fb_login_id", "lead_id",
    "anon_id", "madid", "page_id", "page_scoped_user_id", "ctwa_clid", "ig_account_id", "ig_sid",
];

impl Field {
    /// Every field, in Meta's order.
    pub const ALL: [Field; 11] = [
        Field::Email,
        Field::Phone,
        Field::FirstName,
        Field::LastName,
        Field::DateOfBirth,
        Field::Gender,
        Field::City,
        Field::State,
        Field::Zip,
        Field::Country,
        Field::ExternalId,
    ];

    /// Meta's key for the field (`"em"`, `"ph"`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Field::Email => "em",
            Field::Phone => "ph",
            Field::FirstName => "fn",
            Field::LastName => "ln",
            Field::DateOfBirth => "db",
            Field::Gender => "ge",
            Field::City => "ct",
            Field::State => "st",
            Field::Zip => "zp",
            Field::Country => "country",
            Field::ExternalId => "external_id",
        }
    }

    /// The field a key names for `vendor`: Meta's keys for both vendors, and for Google also
    /// its Data Manager names (`email_address`, `phone_number`, `given_name`, `family_name`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a key the vendor does not hash (an unknown key, a Meta key
    /// sent unhashed such as `fbc`, or a Meta-only field asked for Google).
    pub fn parse(key: &str, vendor: Vendor) -> Result<Field> {
        let meta = Field::ALL.into_iter().find(|f| f.key() == key);
        let field = match vendor {
            Vendor::Meta => meta,
            Vendor::Google => match key {
                "email_address" => Some(Field::Email),
                "phone_number" => Some(Field::Phone),
                "given_name" => Some(Field::FirstName),
                "family_name" => Some(Field::LastName),
                _ => meta.filter(|f| matches!(f, Field::Email | Field::Phone | Field::FirstName | Field::LastName)),
            },
        };
        field.ok_or_else(|| {
            let reason = match vendor {
                Vendor::Meta if META_UNHASHED.contains(&key) => {
                    "Meta takes this field unhashed; send it as it is".to_string()
                }
                Vendor::Meta => format!("not a Meta user_data field to hash; expected one of {}", meta_keys()),
                Vendor::Google if meta.is_some() => {
                    "Google hashes only email, phone, first and last name (country and postal code go unhashed)".to_string()
                }
                Vendor::Google => "not a Google field to hash; expected em, ph, fn, ln or email_address, \
                                   phone_number, given_name, family_name"
                    .to_string(),
            };
            Error::param(format!("user_data.{key}"), REDACTED, reason)
        })
    }
}

fn meta_keys() -> String {
    Field::ALL.map(Field::key).join(", ")
}

/// The normalised text of `value` for the field named `field` (see the module table), with the
/// default [`Options`].
///
/// # Errors
/// [`Error::InvalidParameter`] naming `user_data.<field>` (value `"[redacted]"`) for an unknown
/// field or a value the vendor would not match: an email without `@`, a phone without a country
/// code, an impossible date, a gender other than f/m, an empty value.
///
/// ```
/// use channelwise::platform::pii::{normalize, Vendor};
/// assert_eq!(normalize("db", "2/16/1997", Vendor::Meta)?, "19970216");
/// assert_eq!(normalize("ct", "New York", Vendor::Meta)?, "newyork");
/// assert!(normalize("ph", "020 7946 0018", Vendor::Meta).is_err()); // national format
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn normalize(field: &str, value: &str, vendor: Vendor) -> Result<String> {
    normalize_with(field, value, vendor, &Options::default())
}

/// [`normalize`] with explicit [`Options`].
///
/// # Errors
/// As [`normalize`].
///
/// ```
/// use channelwise::platform::pii::{normalize_with, GoogleEmail, Options, Vendor};
/// let sdk = Options::default().google_email(GoogleEmail::Sdk);
/// let email = "Jane.Doe+News@gmail.com";
/// assert_eq!(normalize_with("em", email, Vendor::Google, &Options::default())?, "janedoe@gmail.com");
/// assert_eq!(normalize_with("em", email, Vendor::Google, &sdk)?, "janedoe+news@gmail.com");
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn normalize_with(field: &str, value: &str, vendor: Vendor, options: &Options) -> Result<String> {
    let f = Field::parse(field, vendor)?;
    normalize_field(f, value, vendor, options).map_err(|reason| Error::param(format!("user_data.{field}"), REDACTED, reason))
}

/// The SHA-256 (64 lowercase hex digits) of the normalised `value`; a value that already is a
/// SHA-256 hex digest comes back lowercased.
///
/// # Errors
/// As [`normalize`].
///
/// ```
/// use channelwise::platform::pii::{hash, Vendor};
/// // Meta's example: (650)555-1212 with the US country code.
/// assert_eq!(
///     hash("ph", "+1 (650) 555-1212", Vendor::Meta)?,
///     "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"
/// );
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn hash(field: &str, value: &str, vendor: Vendor) -> Result<String> {
    hash_with(field, value, vendor, &Options::default())
}

/// [`hash`] with explicit [`Options`].
///
/// # Errors
/// As [`normalize`].
pub fn hash_with(field: &str, value: &str, vendor: Vendor, options: &Options) -> Result<String> {
    let f = Field::parse(field, vendor)?;
    digest(f, value, vendor, options).map_err(|reason| Error::param(format!("user_data.{field}"), REDACTED, reason))
}

/// One value or, where the vendor allows it (Meta), a list of values.
///
/// A value of neither shape is refused with "expected a string or a list of strings" (the field
/// values are strings wherever this is used), not serde's "did not match any variant".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, expecting = "expected a string or a list of strings")]
pub enum OneOrMany<T> {
    /// A single value.
    One(T),
    /// Several values of the same field.
    Many(Vec<T>),
}

/// Raw customer data keyed as the vendor names it (`{"em": "...", "ph": ["...", "..."]}`).
pub type UserData = BTreeMap<String, OneOrMany<Pii<String>>>;

/// Hashed customer data under the same keys.
pub type HashedUserData = BTreeMap<String, OneOrMany<String>>;

/// Hashes every field of `data` (same keys; lists stay lists, in order), with the default
/// [`Options`].
///
/// # Errors
/// The first bad field or value in key order, as [`normalize`]; a list element is named
/// `user_data.<field>[i]`; a list for Google is refused (one identifier per field).
///
/// ```
/// use channelwise::platform::pii::{hash_user_data, OneOrMany, UserData, Vendor};
/// let data: UserData = serde_json::from_str(r#"{"em": "Jane@Example.com", "ge": ["F", "female"]}"#).unwrap();
/// let hashed = hash_user_data(&data, Vendor::Meta)?;
/// let OneOrMany::Many(ge) = &hashed["ge"] else { unreachable!() };
/// assert_eq!(ge[0], ge[1]);
/// assert!(!format!("{data:?}").contains("Jane"));
/// # Ok::<(), channelwise::Error>(())
/// ```
pub fn hash_user_data(data: &UserData, vendor: Vendor) -> Result<HashedUserData> {
    hash_user_data_with(data, vendor, &Options::default())
}

/// [`hash_user_data`] with explicit [`Options`].
///
/// # Errors
/// As [`hash_user_data`].
pub fn hash_user_data_with(data: &UserData, vendor: Vendor, options: &Options) -> Result<HashedUserData> {
    data.iter()
        .map(|(key, values)| {
            let hashed = match values {
                OneOrMany::One(v) => OneOrMany::One(hash_with(key, v.expose(), vendor, options)?),
                OneOrMany::Many(vs) => {
                    if vendor == Vendor::Google {
                        return Err(Error::param(format!("user_data.{key}"), REDACTED, "Google takes one value per identifier, not a list"));
                    }
                    let f = Field::parse(key, vendor)?;
                    let one = |(i, v): (usize, &Pii<String>)| {
                        digest(f, v.expose(), vendor, options)
                            .map_err(|reason| Error::param(format!("user_data.{key}[{i}]"), REDACTED, reason))
                    };
                    OneOrMany::Many(vs.iter().enumerate().map(one).collect::<Result<_>>()?)
                }
            };
            Ok((key.clone(), hashed))
        })
        .collect()
}

/// The SHA-256 of `bytes` as 64 lowercase hex digits.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * bytes.len());
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

/// The hash of one value: a SHA-256 hex digest (after trimming) passes through lowercased,
/// anything else is normalised and hashed; the error is the reason only.
fn digest(field: Field, value: &str, vendor: Vendor, options: &Options) -> Result<String, String> {
    let trimmed = value.trim();
    if is_sha256_hex(trimmed) {
        return Ok(trimmed.to_ascii_lowercase());
    }
    normalize_field(field, value, vendor, options).map(|n| sha256_hex(n.as_bytes()))
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Normalises one value; the error is the reason only (the caller names the field).
fn normalize_field(field: Field, value: &str, vendor: Vendor, options: &Options) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("is empty".into());
    }
    if is_sha256_hex(trimmed) {
        return Ok(trimmed.to_ascii_lowercase());
    }
    let out = match (vendor, field) {
        (Vendor::Meta, Field::Email) => meta_email(trimmed)?,
        (Vendor::Google, Field::Email) => google_email(trimmed, options.google_email)?,
        (Vendor::Meta, Field::Phone) => meta_phone(trimmed)?,
        (Vendor::Google, Field::Phone) => e164(trimmed)?,
        (_, Field::FirstName | Field::LastName) => name(trimmed),
        (_, Field::DateOfBirth) => date_of_birth(trimmed)?,
        (_, Field::Gender) => gender(trimmed)?,
        (_, Field::City | Field::State) => squeeze(trimmed),
        (_, Field::Zip) => zip(trimmed),
        (_, Field::Country) => country(trimmed)?,
        (_, Field::ExternalId) => trimmed.to_lowercase(),
    };
    if out.is_empty() {
        return Err("is empty after normalisation".into());
    }
    Ok(out)
}

/// Splits at the last `@` into non-empty local part and domain.
fn split_email(email: &str) -> Result<(&str, &str), String> {
    let (local, domain) = email.rsplit_once('@').ok_or("an email address needs an @")?;
    if local.is_empty() || domain.is_empty() {
        return Err("an email address needs text before and after the @".into());
    }
    Ok((local, domain))
}

fn meta_email(trimmed: &str) -> Result<String, String> {
    if trimmed.chars().any(char::is_whitespace) {
        return Err("an email address holds no whitespace".into());
    }
    let email = trimmed.to_lowercase();
    split_email(&email)?;
    Ok(email)
}

fn google_email(trimmed: &str, rule: GoogleEmail) -> Result<String, String> {
    let email: String = match rule {
        GoogleEmail::Sdk => trimmed.to_lowercase(),
        GoogleEmail::Documentation | GoogleEmail::AllDomains => trimmed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase(),
    };
    let (local, domain) = split_email(&email)?;
    let gmail = domain == "gmail.com" || domain == "googlemail.com";
    let (dots, plus) = match rule {
        GoogleEmail::Documentation => (gmail, gmail),
        GoogleEmail::Sdk => (gmail, false),
        GoogleEmail::AllDomains => (true, true),
    };
    if !dots && !plus {
        return Ok(email);
    }
    let local = if plus { local.split('+').next().unwrap_or_default() } else { local };
    let local: String = if dots { local.chars().filter(|&c| c != '.').collect() } else { local.to_string() };
    if local.is_empty() {
        return Err("the local part of the email address is empty once dots and the +suffix are removed".into());
    }
    Ok(format!("{local}@{domain}"))
}

/// Meta's phone rule: digits only, no leading zeros, country code included.
/// An international number without the national trunk `(0)` some write after the country
/// code (`+44 (0) 20 7946 0018` is `+44 20 7946 0018`); an extension (`ext. 23`, `x23`, `#23`)
/// is an error, since its digits would join the number's.
fn without_trunk(trimmed: &str) -> Result<String, String> {
    let lower = trimmed.to_ascii_lowercase();
    if lower.contains("ext") || lower.contains('x') || lower.contains('#') {
        return Err("has an extension: hash the number without it".into());
    }
    let international = trimmed.starts_with('+') || trimmed.starts_with("00");
    let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    Ok(if international { compact.replacen("(0)", "", 1) } else { compact })
}

fn meta_phone(trimmed: &str) -> Result<String, String> {
    let trimmed = &without_trunk(trimmed)?;
    let international = trimmed.starts_with('+') || trimmed.starts_with("00");
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if !international && digits.starts_with('0') && !digits.starts_with("00") {
        return Err("is in national format (leading trunk 0): phone numbers need their country code".into());
    }
    let digits = digits.trim_start_matches('0');
    check_phone_length(digits.len())?;
    Ok(digits.to_string())
}

/// E.164: `+`, country code (not starting with 0), 7 to 15 digits in all.
fn e164(trimmed: &str) -> Result<String, String> {
    let trimmed = &without_trunk(trimmed)?;
    let Some(rest) = trimmed.strip_prefix('+') else {
        return Err("has no country code: E.164 needs a leading + and the country code".into());
    };
    let mut digits = String::with_capacity(rest.len() + 1);
    digits.push('+');
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            c if c.is_whitespace() => {}
            _ => return Err("holds characters other than digits, spaces, dashes, dots and parentheses".into()),
        }
    }
    if digits.starts_with("+0") {
        return Err("country codes do not start with 0".into());
    }
    check_phone_length(digits.len() - 1)?;
    Ok(digits)
}

fn check_phone_length(n: usize) -> Result<(), String> {
    if !(7..=15).contains(&n) {
        return Err(format!("has {n} digits; a number with its country code has 7 to 15"));
    }
    Ok(())
}

/// Punctuation: ASCII punctuation and symbols, and the common Unicode punctuation blocks
/// (Latin-1, General Punctuation, CJK, full-width forms).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{a1}' | '\u{a7}' | '\u{ab}' | '\u{b6}' | '\u{b7}' | '\u{bb}' | '\u{bf}'
            | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}'
            | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301f}'
            | '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}' | '\u{ff3b}'..='\u{ff40}' | '\u{ff5b}'..='\u{ff65}')
}

/// Names: lowercase, punctuation removed, trimmed.
fn name(trimmed: &str) -> String {
    let s: String = trimmed.to_lowercase().chars().filter(|&c| !is_punctuation(c)).collect();
    s.trim().to_string()
}

/// City and state: lowercase, no spaces, no punctuation.
fn squeeze(trimmed: &str) -> String {
    trimmed.to_lowercase().chars().filter(|&c| !is_punctuation(c) && !c.is_whitespace()).collect()
}

/// Zip: lowercase without spaces and dashes; nine digits (a US ZIP+4) keep their first five.
fn zip(trimmed: &str) -> String {
    let z: String = trimmed.to_lowercase().chars().filter(|&c| c != '-' && !c.is_whitespace()).collect();
    if z.len() == 9 && z.bytes().all(|b| b.is_ascii_digit()) {
        return z[..5].to_string();
    }
    z
}

fn country(trimmed: &str) -> Result<String, String> {
    if trimmed.len() == 2 && trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(trimmed.to_ascii_lowercase())
    } else {
        Err("must be a 2-letter ISO 3166-1 alpha-2 code such as us".into())
    }
}

fn gender(trimmed: &str) -> Result<String, String> {
    match trimmed.to_lowercase().as_str() {
        "f" | "female" => Ok("f".into()),
        "m" | "male" => Ok("m".into()),
        _ => Err("must be f or m".into()),
    }
}

/// `YYYYMMDD` from `YYYYMMDD`, `YYYY?MM?DD` or `MM?DD?YYYY` (`?` any of `-/. `).
fn date_of_birth(trimmed: &str) -> Result<String, String> {
    const FORMAT: &str = "must be a date as YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY";
    let (y, m, d) = if trimmed.len() == 8 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| trimmed[r].parse::<u32>().map_err(|_| FORMAT.to_string());
        (n(0..4)?, n(4..6)?, n(6..8)?)
    } else {
        let parts: Vec<&str> = trimmed.split(['-', '/', '.', ' ']).filter(|p| !p.is_empty()).collect();
        let ok = parts.len() == 3 && parts.iter().all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(FORMAT.into());
        }
        let n: Vec<u32> = parts.iter().map(|p| p.parse::<u32>().map_err(|_| FORMAT.to_string())).collect::<Result<_, _>>()?;
        if parts[0].len() == 4 {
            (n[0], n[1], n[2])
        } else if parts[2].len() == 4 {
            match (n[0] <= 12, n[1] <= 12) {
                (true, false) => (n[2], n[0], n[1]),
                (false, true) => (n[2], n[1], n[0]),
                (true, true) if n[0] == n[1] => (n[2], n[0], n[1]),
                (true, true) => return Err("is ambiguous (day and month could be swapped): write it as YYYYMMDD".into()),
                (false, false) => return Err("has no valid month".into()),
            }
        } else {
            return Err(FORMAT.into());
        }
    };
    if y < 1900 {
        return Err("year must be 1900 or later".into());
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err("month must be 01 to 12".into()),
    };
    if d == 0 || d > days {
        return Err("day does not exist in that month".into());
    }
    Ok(format!("{y:04}{m:02}{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(field: &str, value: &str) -> Result<String> {
        normalize(field, value, Vendor::Meta)
    }

    /// Found by an audit: the `(0)` trunk written inside an international number stayed in
    /// (`4402079460018`, never a match), and an extension's digits joined the number's.
    #[test]
    fn a_written_trunk_zero_is_dropped_and_an_extension_refused() {
        assert_eq!(meta("ph", "+44 (0) 20 7946 0018").unwrap(), meta("ph", "+44 20 7946 0018").unwrap());
        assert_eq!(normalize("ph", "+44 (0)20 7946 0018", Vendor::Google).unwrap(), "+442079460018");
        assert_eq!(normalize("ph", "0044 (0)20 7946 0018", Vendor::Meta).unwrap(), "442079460018");
        // a national number keeps being refused, and an area code in parentheses is kept
        assert!(meta("ph", "(0)20 7946 0018").is_err());
        assert_eq!(normalize("ph", "+1 (650) 555-1212", Vendor::Google).unwrap(), "+16505551212");
        for ext in ["+1 650 555 1212 ext. 23", "+1 650 555 1212 x23", "+1 650 555 1212 #23"] {
            for vendor in [Vendor::Meta, Vendor::Google] {
                let e = normalize("ph", ext, vendor).unwrap_err().to_string();
                assert!(e.contains("has an extension") && !e.contains("555"), "{e}");
            }
        }
    }

    #[test]
    fn redacted_everywhere() {
        let p = Pii::new(String::from("jane@example.com"));
        assert_eq!(format!("{p:?}"), REDACTED);
        assert_eq!(format!("{p}"), REDACTED);
        assert_eq!(format!("{:?}", vec![p.clone()]), "[[redacted]]");
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"jane@example.com\"");
        let data: UserData = [("em".to_string(), OneOrMany::One(p))].into();
        assert!(!format!("{data:?}").contains("jane"));
    }

    #[test]
    fn errors_name_the_field_never_the_value() {
        let cases = [
            ("em", "secret.example.com"),
            ("ph", "0207946001"),
            ("db", "19970230"),
            ("ge", "secret"),
            ("country", "secretland"),
        ];
        for (field, value) in cases {
            let e = meta(field, value).unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains(&format!("user_data.{field}")), "{msg}");
            assert!(!msg.contains(value) && !format!("{e:?}").contains(value), "{msg}");
            assert_eq!(e.kind().code(), "invalid_parameter");
        }
        let e = meta("nickname", "x").unwrap_err();
        assert!(e.to_string().contains("user_data.nickname"));
        let e = meta("fbc", "fb.1.2.3").unwrap_err();
        assert!(e.to_string().contains("unhashed"), "{e}");
        let e = normalize("db", "19900101", Vendor::Google).unwrap_err();
        assert!(e.to_string().contains("Google hashes only"), "{e}");
    }

    /// `(field, input, normalised or None for an error)`, run for Meta.
    const META_CASES: [(&str, &str, Option<&str>); 25] = [
        ("ph", "(650)555-1212", Some("6505551212")),
        ("ph", "+44 844 412 4653", Some("448444124653")),
        ("ph", "0044 844 412 4653", Some("448444124653")),
        ("ph", "020 7946 0018", None),
        ("ph", "12345", None),
        ("fn", "  Mary-Ann O'Neil ", Some("maryann oneil")),
        ("fn", "Valéry", Some("valéry")),
        ("fn", "...", None),
        ("db", "1997-02-16", Some("19970216")),
        ("db", "16.02.1997", Some("19970216")),
        ("db", "20000229", Some("20000229")),
        ("db", "19000229", None),
        ("db", "03/04/1990", None),
        ("db", "04/04/1990", Some("19900404")),
        ("db", "18991231", None),
        ("ge", " Female ", Some("f")),
        ("ge", "x", None),
        ("st", "C.A.", Some("ca")),
        ("zp", "94035-1234", Some("94035")),
        ("zp", "M1 1AE", Some("m11ae")),
        ("zp", "01310-100", Some("01310100")),
        ("country", "US", Some("us")),
        ("country", "United States", None),
        ("external_id", " ABC-123 ", Some("abc-123")),
        ("em", "a b@example.com", None),
    ];

    #[test]
    fn meta_rules() {
        for (field, input, want) in META_CASES {
            assert_eq!(meta(field, input).ok().as_deref(), want, "{field} {input:?}");
        }
        assert!(meta("em", "@example.com").is_err());
    }

    #[test]
    fn google_rules() {
        let g = |f: &str, v: &str, rule| normalize_with(f, v, Vendor::Google, &Options::default().google_email(rule));
        let doc = GoogleEmail::Documentation;
        assert_eq!(g("email_address", "cloudy.sanfrancisco+shopping@gmail.com", doc).unwrap(), "cloudysanfrancisco@gmail.com");
        assert_eq!(g("em", "user.name+NYC@Example.com", doc).unwrap(), "user.name+nyc@example.com");
        assert_eq!(g("em", " Jane. Doe@GoogleMail.com", doc).unwrap(), "janedoe@googlemail.com");
        assert_eq!(g("em", "user.name+NYC@Example.com", GoogleEmail::AllDomains).unwrap(), "username@example.com");
        assert_eq!(g("em", "jane.doe+x@gmail.com", GoogleEmail::Sdk).unwrap(), "janedoe+x@gmail.com");
        assert!(g("em", "+x@gmail.com", doc).is_err());
        assert_eq!(g("phone_number", "+1 (800) 555-0100", doc).unwrap(), "+18005550100");
        assert!(g("ph", "(800) 555-0100", doc).is_err());
        assert!(g("ph", "+1 800 CALL NOW", doc).is_err());
        assert!(g("ph", "+0123456789", doc).is_err());
        assert_eq!(g("given_name", " Jane ", doc).unwrap(), "jane");
    }

    #[test]
    fn hashes_pass_through_and_lists_keep_order() {
        let h = "62A14E44F765419D10FEA99367361A727C12365E2520F32218D505ED9AA0F62F";
        assert_eq!(hash("em", h, Vendor::Meta).unwrap(), h.to_ascii_lowercase());
        assert_eq!(hash("ph", h, Vendor::Google).unwrap(), h.to_ascii_lowercase());
        let data: UserData = serde_json::from_str(r#"{"em": ["a@x.com", "B@x.com"], "zp": "94035"}"#).unwrap();
        let out = hash_user_data(&data, Vendor::Meta).unwrap();
        assert_eq!(out["em"], OneOrMany::Many(vec![sha256_hex(b"a@x.com"), sha256_hex(b"b@x.com")]));
        let bad: UserData = serde_json::from_str(r#"{"em": ["a@x.com", "nope"]}"#).unwrap();
        let e = hash_user_data(&bad, Vendor::Meta).unwrap_err();
        assert!(e.to_string().contains("user_data.em[1]") && !e.to_string().contains("nope"), "{e}");
        assert!(hash_user_data(&data, Vendor::Google).is_err());
    }
}
