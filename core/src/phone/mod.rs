//! E.164 phone numbers.
//!
//! A [`PhoneNumber`] can only hold a valid E.164 number, so everything downstream (routing,
//! number ownership, usage) compares numbers by value without re-checking them. Numbers are
//! stored as the integer value of their digits: E.164 allows at most 15 digits and forbids a
//! leading zero, so the integer is unambiguous, fits in a `u64`, and hashes in one step.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ErrorCode;

mod assign;
#[cfg(feature = "regions")]
mod region;
mod resource;

pub use assign::assignment;
#[cfg(feature = "regions")]
pub use region::NumberFormats;
pub use resource::{NumberError, NumberId, NumberResource};

/// A phone number in E.164 normal form (`+` then 2 to 15 digits, the first not `0`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(u64);

/// Why a string is not an E.164 phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// The input, once spaces, dashes, dots and parentheses are removed, is not E.164.
    #[error(
        "invalid phone number {input:?}: expected E.164, '+' then 2 to 15 digits, the first not 0"
    )]
    Invalid {
        /// The input as given (truncated to 64 characters).
        input: String,
    },
}

impl PhoneError {
    /// Its one code, for a shell that refuses a number before it can be parsed (the npm
    /// package's argument that is not a string).
    pub const CODE: &'static str = "INVALID_PHONE_NUMBER";
}

impl ErrorCode for PhoneError {
    fn code(&self) -> &'static str {
        Self::CODE
    }
}

impl PhoneNumber {
    /// Parses a number, ignoring the formatting people type: spaces, `-`, `.`, `(` and `)`.
    ///
    /// ```
    /// use dialback_core::PhoneNumber;
    /// let n = PhoneNumber::parse("+1 (415) 555-0100").unwrap();
    /// assert_eq!(n.to_string(), "+14155550100");
    /// assert!(PhoneNumber::parse("415 555 0100").is_err()); // no country code
    /// ```
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        Self::parse_bytes(input.as_bytes()).ok_or_else(|| PhoneError::Invalid {
            input: input.chars().take(64).collect(),
        })
    }

    /// The allocation-free parser behind [`PhoneNumber::parse`], for bulk paths.
    pub fn parse_bytes(input: &[u8]) -> Option<Self> {
        let mut value: u64 = 0;
        let mut digits = 0u32;
        let mut seen_plus = false;
        for &b in input {
            match b {
                b' ' | b'-' | b'.' | b'(' | b')' => {}
                b'+' if !seen_plus && digits == 0 => seen_plus = true,
                b'0'..=b'9' if seen_plus => {
                    if digits == 0 && b == b'0' {
                        return None;
                    }
                    digits += 1;
                    if digits > 15 {
                        return None;
                    }
                    value = value * 10 + u64::from(b - b'0');
                }
                _ => return None,
            }
        }
        (digits >= 2).then_some(PhoneNumber(value))
    }

    /// The digits as an integer (no leading zero, so this identifies the number).
    pub fn as_u64(self) -> u64 {
        self.0
    }

    /// Rebuilds a number from [`PhoneNumber::as_u64`]; `None` if it is not a valid value.
    pub fn from_u64(value: u64) -> Option<Self> {
        (10..=999_999_999_999_999)
            .contains(&value)
            .then_some(PhoneNumber(value))
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.0)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber(+{})", self.0)
    }
}

impl FromStr for PhoneNumber {
    type Err = PhoneError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        PhoneNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<&str>) {
        let got = PhoneNumber::parse(input).ok().map(|n| n.to_string());
        assert_eq!(got.as_deref(), expected, "input {input:?}");
    }

    #[test]
    fn normalises_formatting() {
        check("+14155550100", Some("+14155550100"));
        check("+1 415 555 0100", Some("+14155550100"));
        check("+1 (415) 555-0100", Some("+14155550100"));
        check("+44.20.7946.0958", Some("+442079460958"));
        check(" +12 ", Some("+12"));
        check("+123456789012345", Some("+123456789012345"));
    }

    #[test]
    fn rejects_what_is_not_e164() {
        check("", None);
        check("+", None);
        check("+1", None); // one digit
        check("+0123456", None); // leading zero
        check("4155550100", None); // no plus
        check("1+4155550100", None); // plus not first
        check("++14155550100", None);
        check("+1234567890123456", None); // 16 digits
        check("+1415555010a", None);
        check("+1/415", None);
        check("anonymous", None);
        check("+1٣", None); // non-ASCII digit
    }

    #[test]
    fn error_has_code_and_message() {
        let e = PhoneNumber::parse("12").unwrap_err();
        assert_eq!(e.code(), "INVALID_PHONE_NUMBER");
        assert!(e.to_string().contains("\"12\""));
    }

    #[test]
    fn u64_round_trip() {
        let n = PhoneNumber::parse("+4915112345678").unwrap();
        assert_eq!(PhoneNumber::from_u64(n.as_u64()), Some(n));
        assert_eq!(PhoneNumber::from_u64(9), None);
        assert_eq!(PhoneNumber::from_u64(1_000_000_000_000_000), None);
    }
}
