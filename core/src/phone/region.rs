//! Where a number is and how people write it, from Google's libphonenumber metadata (through
//! the `phonenumber` crate). Behind the `regions` feature: the metadata weighs more than the
//! whole npm package, and only the server writes these fields.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use phonenumber::Mode;

use super::PhoneNumber;

/// A number's country and its usual written forms, as Talkover's number objects and
/// AgentPhone's usage by number show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormats {
    /// ISO 3166-1 alpha-2 code (`US`, `GB`), or `ZZ` (libphonenumber's "unknown region")
    /// when the digits match no numbering plan.
    pub country: String,
    /// As dialled inside its country: `(415) 555-0100`, `020 7946 0958`.
    pub national: String,
    /// As dialled from abroad: `+1 415-555-0100`, `+44 20 7946 0958`.
    pub international: String,
}

/// libphonenumber's name for "no region".
pub const UNKNOWN_REGION: &str = "ZZ";

/// The formats of the numbers formatted lately. libphonenumber compiles its patterns as they
/// are used and keeps the last 100, so formatting a page of calls from many countries compiled
/// them again and again: most of a server's time under varied traffic (a page of 100 calls
/// formats 200 numbers). The formats are a pure function of the number, so they are kept,
/// up to [`FORMATS_KEPT`] numbers (a few MB), after which the memo starts over.
static FORMATS: Mutex<BTreeMap<PhoneNumber, NumberFormats>> = Mutex::new(BTreeMap::new());

/// How many numbers' formats are kept.
const FORMATS_KEPT: usize = 65_536;

/// The memo, also after a panic elsewhere while it was held (it holds only whole entries).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl PhoneNumber {
    /// The number's country and written forms. A number that matches no numbering plan keeps
    /// its E.164 form and region `ZZ`: it was still accepted, only not recognised.
    pub fn formats(self) -> NumberFormats {
        let known = lock(&FORMATS).get(&self).cloned();
        if let Some(f) = known {
            return f;
        }
        let f = self.formats_now();
        let mut memo = lock(&FORMATS);
        if memo.len() >= FORMATS_KEPT {
            memo.clear();
        }
        memo.insert(self, f.clone());
        f
    }

    fn formats_now(self) -> NumberFormats {
        let e164 = self.to_string();
        match phonenumber::parse(None, &e164) {
            Ok(parsed) => NumberFormats {
                country: parsed
                    .country()
                    .id()
                    .map_or_else(|| UNKNOWN_REGION.to_owned(), |id| format!("{id:?}")),
                national: parsed.format().mode(Mode::National).to_string(),
                international: parsed.format().mode(Mode::International).to_string(),
            },
            Err(_) => NumberFormats {
                country: UNKNOWN_REGION.to_owned(),
                national: e164.clone(),
                international: e164,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(number: &str, country: &str, national: &str, international: &str) {
        let f = PhoneNumber::parse(number).unwrap().formats();
        assert_eq!(
            (
                f.country.as_str(),
                f.national.as_str(),
                f.international.as_str()
            ),
            (country, national, international),
            "{number}"
        );
    }

    #[test]
    fn countries_and_forms() {
        check("+14155550100", "US", "(415) 555-0100", "+1 415-555-0100");
        check("+16135550123", "CA", "(613) 555-0123", "+1 613-555-0123");
        check("+442079460958", "GB", "020 7946 0958", "+44 20 7946 0958");
        check("+33123456789", "FR", "01 23 45 67 89", "+33 1 23 45 67 89");
    }

    #[test]
    fn kept_formats_are_the_formats() {
        for n in [
            "+14155550100",
            "+442079460958",
            "+1234567890",
            "+81312345678",
        ] {
            let n = PhoneNumber::parse(n).unwrap();
            let (first, again) = (n.formats(), n.formats());
            assert_eq!((&first, &again), (&n.formats_now(), &n.formats_now()));
        }
    }

    #[test]
    fn unrecognised_numbers_keep_their_digits() {
        let f = PhoneNumber::parse("+1234567890").unwrap().formats();
        assert_eq!(f.country, UNKNOWN_REGION);
        assert!(f.international.contains("234567890"), "{f:?}");
        let f = PhoneNumber::parse("+99912").unwrap().formats();
        assert_eq!(
            (f.country.as_str(), f.national.as_str()),
            (UNKNOWN_REGION, "+99912")
        );
    }
}
