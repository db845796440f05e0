//! [`Timestamp`]: an instant at one-second resolution, parsed from RFC 3339 without allocating.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{TimeError, clip};

/// An instant, as whole seconds since the Unix epoch, within years 0000–9999 UTC.
///
/// The seed APIs write instants with second precision, so the core works in seconds: a
/// fractional part in the input is dropped (floored), which keeps "which day/period is this
/// in" exact at every boundary. The range limit means every `Timestamp` converts to a chrono
/// date without overflow, so no calendar arithmetic on one can panic.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

/// 0000-01-01T00:00:00Z.
const MIN_SECS: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z.
const MAX_SECS: i64 = 253_402_300_799;

impl Timestamp {
    /// The Unix epoch.
    pub const EPOCH: Timestamp = Timestamp(0);

    /// An instant from Unix seconds; `None` outside years 0000–9999.
    pub const fn from_unix_seconds(secs: i64) -> Option<Self> {
        if secs >= MIN_SECS && secs <= MAX_SECS {
            Some(Timestamp(secs))
        } else {
            None
        }
    }

    /// An instant from Unix milliseconds (floored to the second); `None` if out of range or not
    /// finite. This is the shape JavaScript's `Date.now()` gives.
    pub fn from_unix_millis_f64(ms: f64) -> Option<Self> {
        if !ms.is_finite() {
            return None;
        }
        let secs = (ms / 1000.0).floor();
        if secs < MIN_SECS as f64 || secs > MAX_SECS as f64 {
            return None;
        }
        Self::from_unix_seconds(secs as i64)
    }

    /// Unix seconds.
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// This instant moved by `secs`, saturating at the supported range.
    pub const fn saturating_add_seconds(self, secs: i64) -> Self {
        let s = self.0.saturating_add(secs);
        Timestamp(if s < MIN_SECS {
            MIN_SECS
        } else if s > MAX_SECS {
            MAX_SECS
        } else {
            s
        })
    }

    /// As a chrono UTC date-time.
    pub fn to_chrono(self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0, 0).unwrap_or_default()
    }

    /// From a chrono UTC date-time (sub-second part dropped); `None` out of range.
    pub fn from_chrono(dt: DateTime<Utc>) -> Option<Self> {
        Self::from_unix_seconds(dt.timestamp())
    }

    /// Parses RFC 3339 (`2024-06-01T04:00:00Z`, `2024-06-01t00:00:00.250-04:00`, a space for
    /// the `T`), any offset, any number of fraction digits.
    pub fn parse(input: &str) -> Result<Self, TimeError> {
        Self::parse_bytes(input.as_bytes()).ok_or_else(|| TimeError::InvalidTimestamp(clip(input)))
    }

    /// The allocation-free parser behind [`Timestamp::parse`], for bulk paths.
    pub fn parse_bytes(s: &[u8]) -> Option<Self> {
        let (head, rest) = s.split_at_checked(19)?;
        let &[
            y0,
            y1,
            y2,
            y3,
            b'-',
            mo0,
            mo1,
            b'-',
            d0,
            d1,
            sep,
            h0,
            h1,
            b':',
            mi0,
            mi1,
            b':',
            s0,
            s1,
        ] = head
        else {
            return None;
        };
        if !matches!(sep, b'T' | b't' | b' ') {
            return None;
        }
        let year = digits4(y0, y1, y2, y3)?;
        let month = digits2(mo0, mo1)?;
        let day = digits2(d0, d1)?;
        let (hour, minute, second) = (digits2(h0, h1)?, digits2(mi0, mi1)?, digits2(s0, s1)?);
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut rest = rest;
        if let [b'.', tail @ ..] = rest {
            let n = tail.iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            rest = tail.get(n..)?;
        }
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), oh0, oh1, b':', om0, om1] => {
                let (oh, om) = (digits2(*oh0, *oh1)?, digits2(*om0, *om1)?);
                if oh > 23 || om > 59 {
                    return None;
                }
                let secs = i64::from(oh * 3600 + om * 60);
                if *sign == b'-' { -secs } else { secs }
            }
            _ => return None,
        };
        // A leap second (:60) is read as :59, as chrono and POSIX time do.
        let second = second.min(59);
        let days = days_from_civil(i64::from(year), month, day);
        let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
        Self::from_unix_seconds(local - offset)
    }

    /// The UTC calendar date.
    pub fn utc_date(self) -> NaiveDate {
        self.to_chrono().date_naive()
    }
}

impl Timestamp {
    /// RFC 3339 in UTC with seconds (`2024-06-01T04:00:00Z`), written without allocating or
    /// going through `fmt`: bulk outputs and the npm package format many of these.
    pub fn rfc3339(self) -> Rfc3339 {
        // years are 0000–9999 by construction (MIN_SECS..=MAX_SECS), so days since
        // 0000-03-01 and seconds of the day are small non-negative numbers: u32 arithmetic,
        // cheaper than i64 in wasm
        let days = u32::try_from(self.0.div_euclid(86_400) + SHIFT).unwrap_or(0);
        let secs = self.0.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_shifted_days(days);
        let y = y - 400;
        let two = |n: u32| {
            let n = n % 100;
            [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]
        };
        let [y1, y2] = two(y / 100);
        let [y3, y4] = two(y);
        let [m1, m2] = two(m);
        let [d1, d2] = two(d);
        let [h1, h2] = two(secs / 3600);
        let [i1, i2] = two(secs / 60 % 60);
        let [s1, s2] = two(secs % 60);
        Rfc3339([
            y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, b'T', h1, h2, b':', i1, i2, b':', s1, s2,
            b'Z',
        ])
    }
}

/// A formatted [`Timestamp`]: 20 ASCII bytes on the stack.
#[derive(Clone, Copy)]
pub struct Rfc3339([u8; 20]);

impl Rfc3339 {
    /// The text.
    pub fn as_str(&self) -> &str {
        // only ASCII digits and separators are ever written
        std::str::from_utf8(&self.0).unwrap_or("0000-01-01T00:00:00Z")
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with seconds: `2024-06-01T04:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rfc3339().as_str())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl FromStr for Timestamp {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

fn digits2(a: u8, b: u8) -> Option<u32> {
    Some(digit(a)? * 10 + digit(b)?)
}

fn digits4(a: u8, b: u8, c: u8, d: u8) -> Option<u32> {
    Some(digits2(a, b)? * 100 + digits2(c, d)?)
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`], in i64: the reference the u32 version is tested
/// against.
#[cfg(test)]
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days from -0400-03-01 to 1970-01-01: counted from there, every representable day is a
/// small non-negative number.
const SHIFT: i64 = 719_468 + 146_097;

/// [`civil_from_days`] for days counted from -0400-03-01, in u32; the year comes back plus
/// 400.
fn civil_from_shifted_days(z: u32) -> (u32, u32, u32) {
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + u32::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_calendars_agree_over_the_whole_range() {
        let mut days = MIN_SECS.div_euclid(86_400);
        while days <= MAX_SECS.div_euclid(86_400) {
            let (y, m, d) = civil_from_days(days);
            let (sy, sm, sd) = civil_from_shifted_days(u32::try_from(days + SHIFT).unwrap());
            assert_eq!(
                (y, m, d),
                (i64::from(sy) - 400, i64::from(sm), i64::from(sd)),
                "{days}"
            );
            days += 1;
        }
    }

    fn check(input: &str, expected: Option<&str>) {
        let got = Timestamp::parse(input).ok().map(|t| t.to_string());
        assert_eq!(got.as_deref(), expected, "input {input:?}");
        if let Ok(t) = Timestamp::parse(input) {
            // chrono agrees wherever chrono accepts the input
            if let Ok(c) = DateTime::parse_from_rfc3339(input) {
                assert_eq!(
                    t.unix_seconds(),
                    c.timestamp(),
                    "chrono disagrees on {input:?}"
                );
            }
        }
    }

    #[test]
    fn parses_rfc3339() {
        check("2024-06-01T04:00:00Z", Some("2024-06-01T04:00:00Z"));
        check("2024-06-01T00:00:00-04:00", Some("2024-06-01T04:00:00Z"));
        check(
            "2024-06-01t00:00:00.999+05:45",
            Some("2024-05-31T18:15:00Z"),
        );
        check("2024-06-01 00:00:00z", Some("2024-06-01T00:00:00Z"));
        check("1969-12-31T23:59:59.5Z", Some("1969-12-31T23:59:59Z"));
        check("2024-02-29T12:00:00Z", Some("2024-02-29T12:00:00Z"));
        check("2016-12-31T23:59:60Z", Some("2016-12-31T23:59:59Z"));
        check("0000-01-01T00:00:00Z", Some("0000-01-01T00:00:00Z"));
        check("9999-12-31T23:59:59Z", Some("9999-12-31T23:59:59Z"));
    }

    #[test]
    fn rejects_non_rfc3339() {
        for bad in [
            "",
            "2024-06-01",
            "2024-06-01T04:00:00",
            "2024-06-01T04:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-06-31T00:00:00Z",
            "2024-06-01T24:00:00Z",
            "2024-06-01T00:00:00.Z",
            "2024-06-01T00:00:00+0400",
            "2024-06-01T00:00:00+24:00",
            "2024-06-01T00:00:00Zjunk",
            "+2024-06-01T00:00:00Z",
            "9999-12-31T23:59:59-01:00",
            "0000-01-01T00:00:00+01:00",
            "２０２４-06-01T00:00:00Z",
        ] {
            check(bad, None);
        }
    }

    #[test]
    fn error_code() {
        use crate::error::ErrorCode;
        assert_eq!(
            Timestamp::parse("x").unwrap_err().code(),
            "INVALID_TIMESTAMP"
        );
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m as u32, d as u32), days);
        }
    }

    #[test]
    fn millis() {
        assert_eq!(
            Timestamp::from_unix_millis_f64(1500.0).map(|t| t.0),
            Some(1)
        );
        assert_eq!(Timestamp::from_unix_millis_f64(-1.0).map(|t| t.0), Some(-1));
        assert_eq!(Timestamp::from_unix_millis_f64(f64::NAN), None);
        assert_eq!(Timestamp::from_unix_millis_f64(f64::INFINITY), None);
        assert_eq!(Timestamp::from_unix_millis_f64(1e300), None);
    }
}
