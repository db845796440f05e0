//! Where a number is and how people write it, from Google's libphonenumber metadata (through
//! the `phonenumber` crate). Behind the `regions` feature: the metadata weighs more than the
//! whole npm package, and only the server writes these fields.

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

impl PhoneNumber {
    /// The number's country and written forms. A number that matches no numbering plan keeps
    /// its E.164 form and region `ZZ`: it was still accepted, only not recognised.
    pub fn formats(self) -> NumberFormats {
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
