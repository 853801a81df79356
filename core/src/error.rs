//! The one error type of channelwise.
//!
//! Every variant names the field (or row and column) and the offending value, so a message read
//! in a notebook, a Node log or a browser console says what to fix. [`Error::kind`] gives a
//! stable, machine-readable code that every binding exposes (Python exception subclass, JS
//! `error.code`).

use std::fmt;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in channelwise.
///
/// Match on [`Error::kind`] rather than on the message text: the codes are stable across
/// releases, the wording is not.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A number lies outside its allowed range.
    #[error("{field} must be in {}, got {}", interval(*.min, *.max), Num(*.value))]
    OutOfRange {
        /// The parameter or column, e.g. `"conversions[3]"`.
        field: String,
        /// The value given.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// A number is NaN or infinite where a finite one is required.
    #[error("{field} must be finite, got {}", Num(*.value))]
    NonFinite {
        /// The parameter or column.
        field: String,
        /// The value given.
        value: f64,
    },
    /// Too little data for the requested computation.
    #[error("not enough data for {what}: need at least {required}, got {got}")]
    NotEnoughData {
        /// What was being computed.
        what: String,
        /// How many items are needed.
        required: usize,
        /// How many were given.
        got: usize,
    },
    /// A path string could not be split into channels.
    #[error("invalid path in row {row}: {reason}")]
    InvalidPath {
        /// Zero-based row of the path table.
        row: usize,
        /// What is wrong, quoting the offending text.
        reason: String,
    },
    /// A record (CSV row or event) holds a value that cannot be used.
    #[error("invalid record at row {row}, column {column}: {value:?} ({reason})")]
    InvalidRecord {
        /// Row number (1-based data row for CSV input, index for in-memory events).
        row: usize,
        /// Column name.
        column: String,
        /// The raw value.
        value: String,
        /// Why it is rejected.
        reason: String,
    },
    /// A parameter that is not a plain number is invalid (a separator, a name, a choice).
    #[error("invalid {field}: {value:?} ({reason})")]
    InvalidParameter {
        /// The parameter.
        field: String,
        /// The value given.
        value: String,
        /// Why it is rejected.
        reason: String,
    },
    /// Columns that must have the same length do not.
    #[error("length mismatch: {field} has {got} entries, expected {expected}")]
    LengthMismatch {
        /// The column whose length is wrong.
        field: String,
        /// The length it must have.
        expected: usize,
        /// The length it has.
        got: usize,
    },
    /// An iterative method stopped before reaching its tolerance.
    #[error("{what} did not converge after {iterations} iterations (residual {residual:e})")]
    NotConverged {
        /// The computation.
        what: String,
        /// Iterations run.
        iterations: usize,
        /// Residual when it stopped.
        residual: f64,
    },
    /// Reading input failed.
    #[error("I/O error: {0}")]
    Io(String),
    /// A bug in channelwise (a panic caught at a binding boundary, a broken invariant).
    #[error("internal error (please report): {0}")]
    Internal(String),
    /// A long computation was stopped by its caller (a [`CancelToken`](crate::progress::CancelToken)
    /// or a progress callback returning `Break`); no partial result is returned.
    #[error("{what} cancelled after {done} of {total} {unit}")]
    Cancelled {
        /// The computation, e.g. `"bootstrap intervals"`.
        what: String,
        /// Units finished when the stop was seen.
        done: usize,
        /// Units in the whole computation.
        total: usize,
        /// What a unit is (plural), e.g. `"replicates"`.
        unit: String,
    },
}

/// The stable code of an [`Error`], as returned by [`Error::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::OutOfRange`]
    OutOfRange,
    /// [`Error::NonFinite`]
    NonFinite,
    /// [`Error::NotEnoughData`]
    NotEnoughData,
    /// [`Error::InvalidPath`]
    InvalidPath,
    /// [`Error::InvalidRecord`]
    InvalidRecord,
    /// [`Error::InvalidParameter`]
    InvalidParameter,
    /// [`Error::LengthMismatch`]
    LengthMismatch,
    /// [`Error::NotConverged`]
    NotConverged,
    /// [`Error::Io`]
    Io,
    /// [`Error::Internal`]
    Internal,
    /// [`Error::Cancelled`]
    Cancelled,
}

impl ErrorKind {
    /// Every kind, in declaration order (bindings build one exception class per kind from it).
    /// New kinds are appended, so a code keeps its position.
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::OutOfRange,
        ErrorKind::NonFinite,
        ErrorKind::NotEnoughData,
        ErrorKind::InvalidPath,
        ErrorKind::InvalidRecord,
        ErrorKind::InvalidParameter,
        ErrorKind::LengthMismatch,
        ErrorKind::NotConverged,
        ErrorKind::Io,
        ErrorKind::Internal,
        ErrorKind::Cancelled,
    ];

    /// The stable snake_case code, e.g. `"out_of_range"`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::OutOfRange => "out_of_range",
            ErrorKind::NonFinite => "non_finite",
            ErrorKind::NotEnoughData => "not_enough_data",
            ErrorKind::InvalidPath => "invalid_path",
            ErrorKind::InvalidRecord => "invalid_record",
            ErrorKind::InvalidParameter => "invalid_parameter",
            ErrorKind::LengthMismatch => "length_mismatch",
            ErrorKind::NotConverged => "not_converged",
            ErrorKind::Io => "io",
            ErrorKind::Internal => "internal",
            ErrorKind::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// `[min, max]` as a reader wants it: the bounds that stand for "above 0" and "below 1"
/// (`f64::MIN_POSITIVE`, `1 - eps/2`) as open ends, `f64::MAX` as `inf`.
/// A number in a message as JS and Python print it: `1e300`, not its 301 digits, and `1e-7`,
/// not `0.0000001` (an exponent from 1e21 up and below 1e-6, as JavaScript's `String(x)`);
/// every other number as Rust's shortest round-trip `Display`.
pub(crate) struct Num(pub(crate) f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0.abs();
        if a.is_finite() && a != 0.0 && !(1e-6..1e21).contains(&a) {
            write!(f, "{:e}", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// A value as an error message shows it: numbers as [`Num`] (`1e300`), the rest by `Display`.
pub(crate) trait Shown {
    /// The text.
    fn shown(&self) -> String;
}

impl Shown for f64 {
    fn shown(&self) -> String {
        Num(*self).to_string()
    }
}

macro_rules! shown_by_display {
    ($($t:ty),*) => { $(impl Shown for $t { fn shown(&self) -> String { self.to_string() } })* };
}
shown_by_display!(str, String, bool, char, usize, u64, u32, u16, u8, i64, i32, i16, i8, fmt::Arguments<'_>,
    std::path::Display<'_>, serde_json::Value, crate::decide::decision::Value, crate::platform::adapter::Date);

impl<T: Shown + ?Sized> Shown for &T {
    fn shown(&self) -> String {
        (**self).shown()
    }
}

fn interval(min: f64, max: f64) -> String {
    let (min, max) = (Num(min), Num(max));
    let lo = if min.0 > 0.0 && min.0 <= f64::MIN_POSITIVE { "(0".to_string() } else { format!("[{min}") };
    let hi = if max.0 >= f64::MAX {
        "inf]".to_string()
    } else if (1.0 - 2.0 * f64::EPSILON..1.0).contains(&max.0) {
        "1)".to_string()
    } else {
        format!("{max}]")
    };
    format!("{lo}, {hi}")
}

impl Error {
    /// The kind of this error, whose [`ErrorKind::code`] is stable.
    ///
    /// ```
    /// use channelwise::{Error, ErrorKind};
    /// let e = Error::NonFinite { field: "value[0]".into(), value: f64::NAN };
    /// assert_eq!(e.kind(), ErrorKind::NonFinite);
    /// assert_eq!(e.kind().code(), "non_finite");
    /// assert_eq!(e.to_string(), "value[0] must be finite, got NaN");
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::OutOfRange { .. } => ErrorKind::OutOfRange,
            Error::NonFinite { .. } => ErrorKind::NonFinite,
            Error::NotEnoughData { .. } => ErrorKind::NotEnoughData,
            Error::InvalidPath { .. } => ErrorKind::InvalidPath,
            Error::InvalidRecord { .. } => ErrorKind::InvalidRecord,
            Error::InvalidParameter { .. } => ErrorKind::InvalidParameter,
            Error::LengthMismatch { .. } => ErrorKind::LengthMismatch,
            Error::NotConverged { .. } => ErrorKind::NotConverged,
            Error::Io(_) => ErrorKind::Io,
            Error::Internal(_) => ErrorKind::Internal,
            Error::Cancelled { .. } => ErrorKind::Cancelled,
        }
    }

    /// Shorthand for an [`Error::InvalidParameter`].
    pub(crate) fn param(field: impl Into<String>, value: impl Shown, reason: impl Into<String>) -> Self {
        Error::InvalidParameter { field: field.into(), value: value.shown(), reason: reason.into() }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

/// Checks that `value` is finite and within `[min, max]`.
pub(crate) fn check_range(field: impl Into<String>, value: f64, min: f64, max: f64) -> Result<f64> {
    if !value.is_finite() {
        return Err(Error::NonFinite { field: field.into(), value });
    }
    if value < min || value > max {
        return Err(Error::OutOfRange { field: field.into(), value, min, max });
    }
    Ok(value)
}

/// Checks that `value` is finite and non-negative.
pub(crate) fn check_non_negative(field: impl FnOnce() -> String, value: f64) -> Result<f64> {
    if !value.is_finite() {
        return Err(Error::NonFinite { field: field(), value });
    }
    if value < 0.0 {
        return Err(Error::OutOfRange { field: field(), value, min: 0.0, max: f64::INFINITY });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages_read_as_in_js() {
        let oor = |value, min, max| Error::OutOfRange { field: "x".into(), value, min, max }.to_string();
        assert_eq!(oor(1e300, 0.0, 1.0), "x must be in [0, 1], got 1e300");
        assert_eq!(oor(-2.5e-300, 0.0, 1e30), "x must be in [0, 1e30], got -2.5e-300");
        assert_eq!(oor(9007199254740992.0, 1.0, 3650.0), "x must be in [1, 3650], got 9007199254740992");
        assert_eq!(oor(1e-7, 1e-6, 0.5), "x must be in [0.000001, 0.5], got 1e-7");
        assert_eq!(oor(f64::NAN, 0.0, f64::INFINITY), "x must be in [0, inf], got NaN");
        let nf = Error::NonFinite { field: "y[2]".into(), value: f64::NEG_INFINITY }.to_string();
        assert_eq!(nf, "y[2] must be finite, got -inf");
        assert_eq!(Error::param("x", 1e300, "too big").to_string(), "invalid x: \"1e300\" (too big)");
        assert_eq!(Error::param("x", 2.5, "r").to_string(), "invalid x: \"2.5\" (r)");
        assert_eq!(Error::param("n", 7usize, "r").to_string(), "invalid n: \"7\" (r)");
    }

    #[test]
    fn ranges_read_as_a_person_writes_them() {
        let e = |min, max| Error::OutOfRange { field: "x".into(), value: -1.0, min, max }.to_string();
        assert_eq!(e(0.0, 1.0), "x must be in [0, 1], got -1");
        assert_eq!(e(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0), "x must be in (0, 1), got -1");
        assert_eq!(e(0.0, f64::MAX), "x must be in [0, inf], got -1");
        assert_eq!(e(1.0, f64::INFINITY), "x must be in [1, inf], got -1");
        assert_eq!(e(f64::NEG_INFINITY, 0.5), "x must be in [-inf, 0.5], got -1");
    }

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut codes: Vec<_> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        assert!(codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
    }

    /// Bindings and stored logs rely on the order: a new kind goes at the end.
    #[test]
    fn codes_keep_their_positions() {
        let codes: Vec<_> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "out_of_range",
                "non_finite",
                "not_enough_data",
                "invalid_path",
                "invalid_record",
                "invalid_parameter",
                "length_mismatch",
                "not_converged",
                "io",
                "internal",
                "cancelled",
            ]
        );
        let e = Error::Cancelled { what: "bootstrap intervals".into(), done: 3, total: 200, unit: "replicates".into() };
        assert_eq!(e.kind().code(), "cancelled");
        assert_eq!(e.to_string(), "bootstrap intervals cancelled after 3 of 200 replicates");
    }

    #[test]
    fn range_check_names_field_and_value() {
        let e = check_range("level", 1.5, 0.0, 1.0).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        assert_eq!(e.to_string(), "level must be in [0, 1], got 1.5");
        let e = check_non_negative(|| "nulls[2]".into(), -1.0).unwrap_err();
        assert_eq!(e.to_string(), "nulls[2] must be in [0, inf], got -1");
        assert!(check_non_negative(|| "x".into(), f64::INFINITY).is_err());
    }
}
