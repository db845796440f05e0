//! [`TzdataVersion`]: a tz database release name, and which of two releases is older.

use std::cmp::Ordering;
use std::fmt;

use super::TzdataError;

/// A tz database release: a year and one or more letters (`2026f`; after `z` comes `za`),
/// optionally followed by a build suffix (`2026f-3-g1a2b3c`, as `zic` writes for a release
/// built from a git checkout). Releases are ordered by year, then letters; the suffix is
/// kept to be shown, not compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TzdataVersion {
    text: String,
    year: u16,
    letters: String,
}

impl TzdataVersion {
    /// Parses a release name.
    pub fn parse(text: &str) -> Result<Self, TzdataError> {
        let b = text.as_bytes();
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let letters = b
            .iter()
            .skip(digits)
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        let suffix = b.get(digits + letters..).unwrap_or_default();
        let year = text
            .get(..4)
            .and_then(|y| y.parse::<u16>().ok())
            .unwrap_or(0);
        let suffix_ok = suffix.first().is_none_or(|c| *c == b'-')
            && suffix.iter().all(|c| c.is_ascii_graphic());
        if digits != 4 || year < 1986 || !(1..=3).contains(&letters) || !suffix_ok || b.len() > 40 {
            return Err(TzdataError::Version(crate::time::clip(text)));
        }
        Ok(TzdataVersion {
            text: text.to_owned(),
            year,
            letters: text.get(4..4 + letters).unwrap_or_default().to_owned(),
        })
    }

    /// A table whose release is not known (only the empty fallback table).
    pub(crate) fn unknown() -> Self {
        TzdataVersion {
            text: "unknown".to_owned(),
            year: 0,
            letters: String::new(),
        }
    }

    /// As written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Compares the releases (year, then letters: `2026z` < `2026za`), ignoring suffixes.
    pub fn cmp_release(&self, other: &TzdataVersion) -> Ordering {
        (self.year, self.letters.len(), &self.letters).cmp(&(
            other.year,
            other.letters.len(),
            &other.letters,
        ))
    }
}

impl fmt::Display for TzdataVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn v(s: &str) -> TzdataVersion {
        TzdataVersion::parse(s).unwrap()
    }

    #[test]
    fn releases_order_by_year_then_letters() {
        assert_eq!(v("2025b").cmp_release(&v("2026f")), Ordering::Less);
        assert_eq!(v("2026f").cmp_release(&v("2026e")), Ordering::Greater);
        assert_eq!(v("2026z").cmp_release(&v("2026za")), Ordering::Less);
        assert_eq!(v("2027a").cmp_release(&v("2026za")), Ordering::Greater);
        assert_eq!(
            v("2026f-3-g1a2b3c").cmp_release(&v("2026f")),
            Ordering::Equal
        );
        assert_eq!(v("2026f-3-g1a2b3c").as_str(), "2026f-3-g1a2b3c");
    }

    #[test]
    fn other_text_is_refused() {
        for s in [
            "", "2026", "26f", "2026F", "2026f b", "1970a", "2026abcd", "2026f_", "v2026f",
        ] {
            assert_eq!(
                TzdataVersion::parse(s).unwrap_err().code(),
                "TZDATA_VERSION_INVALID",
                "{s:?}"
            );
        }
    }
}
