//! [`Month`]: a calendar month, as usage by month names it (`2024-03`).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month, held by its first day: a value that can only be a month, written
/// `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(NaiveDate);

impl Month {
    /// The month `date` is in.
    pub fn of(date: NaiveDate) -> Self {
        Month(date.with_day(1).unwrap_or(date))
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    /// Reads `YYYY-MM`, and nothing else.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        let plain = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if !plain(year, 4) || !plain(month, 2) {
            return None;
        }
        NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1).map(Month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.0.year(), self.0.month())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("expected a month, YYYY-MM: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_written_and_read_as_yyyy_mm() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 17).unwrap();
        let m = Month::of(day);
        assert_eq!(m.to_string(), "2024-03");
        assert_eq!(m.first_day(), NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        assert_eq!(Month::parse("2024-03"), Some(m));
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2024-03\"");
        assert_eq!(serde_json::from_str::<Month>("\"2024-03\"").unwrap(), m);
        for bad in [
            "2024-3",
            "2024-13",
            "24-03",
            "2024-03-01",
            "２０２４-03",
            "",
            "2024-+3",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad:?}");
        }
    }
}
