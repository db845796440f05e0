//! Calendar periods (ISO week, month, year) in a zone, and their exact bounds.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::time::{TimeError, Timestamp, Zone, clip};

/// A calendar period kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// ISO week, Monday first.
    Week,
    /// Calendar month.
    Month,
    /// Calendar year.
    Year,
}

impl Period {
    /// Parses `week`, `month` or `year`.
    pub fn parse(s: &str) -> Result<Self, TimeError> {
        match s {
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            "year" => Ok(Period::Year),
            _ => Err(TimeError::InvalidPeriod(clip(s))),
        }
    }

    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// The first local day of the period containing `date`.
    pub fn first_day(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
            Period::Month => date.with_day(1).unwrap_or(date),
            Period::Year => date.with_ordinal(1).unwrap_or(date),
        }
    }

    /// The first local day of the next period, given a period's first day.
    pub fn next_first_day(self, first: NaiveDate) -> NaiveDate {
        match self {
            Period::Week => first.checked_add_days(Days::new(7)),
            Period::Month => first.checked_add_months(Months::new(1)),
            Period::Year => first.checked_add_months(Months::new(12)),
        }
        .unwrap_or(first)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Period {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The bounds of one period, as AgentPhone writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodBounds {
    /// Which kind of period.
    pub period: Period,
    /// The first instant of the period ([`Zone::day_start`] of its first local day).
    pub period_start: Timestamp,
    /// The last second of the period: the next period's start minus one second.
    pub period_end: Timestamp,
}

impl PeriodBounds {
    /// The first instant after the period (the next period's start).
    pub fn end_exclusive(&self) -> Timestamp {
        self.period_end.saturating_add_seconds(1)
    }

    /// Whether `t` falls in the period.
    pub fn contains(&self, t: Timestamp) -> bool {
        t >= self.period_start && t <= self.period_end
    }
}

/// The calendar `period` containing `now` in `zone`.
///
/// `periodStart` is the earliest instant whose local wall-clock time in `zone` is at or after
/// local midnight of the period's first day ([`Zone::day_start`]); `periodEnd` is the next
/// period's start minus one second.
///
/// ```
/// use dialback_core::{usage_period, Period, Timestamp, Zone};
/// let now = Timestamp::parse("2024-06-15T12:00:00Z").unwrap();
/// let b = usage_period(Period::Month, Zone::parse("America/New_York").unwrap(), now);
/// assert_eq!(b.period_start.to_string(), "2024-06-01T04:00:00Z");
/// assert_eq!(b.period_end.to_string(), "2024-07-01T03:59:59Z");
/// ```
pub fn usage_period(period: Period, zone: Zone, now: Timestamp) -> PeriodBounds {
    let first = period.first_day(zone.date_of(now));
    let next = period.next_first_day(first);
    PeriodBounds {
        period,
        period_start: zone.day_start(first),
        period_end: zone.day_start(next).saturating_add_seconds(-1),
    }
}

/// How many local days of the `period` containing `now` in `zone` have begun, today included
/// (1 on the period's first day): what a chart of the period so far shows, day by day.
///
/// ```
/// use dialback_core::{Period, Timestamp, Zone, usage::period::days_begun};
/// let now = Timestamp::parse("2024-03-03T12:00:00Z").unwrap();
/// assert_eq!(days_begun(Period::Month, Zone::UTC, now), 3);
/// assert_eq!(days_begun(Period::Week, Zone::UTC, now), 7); // a Sunday
/// ```
pub fn days_begun(period: Period, zone: Zone, now: Timestamp) -> u32 {
    let first = zone.date_of(usage_period(period, zone, now).period_start);
    let days = (zone.date_of(now) - first).num_days() + 1;
    u32::try_from(days).unwrap_or(1).max(1)
}

/// How many local months of the year containing `now` in `zone` have begun (1 in January).
pub fn months_begun(zone: Zone, now: Timestamp) -> u32 {
    use chrono::Datelike;
    zone.date_of(now).month()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn check(period: &str, tz: &str, now: &str, start: &str, end: &str) {
        let b = usage_period(
            Period::parse(period).unwrap(),
            Zone::parse(tz).unwrap(),
            Timestamp::parse(now).unwrap(),
        );
        assert_eq!(
            (
                b.period_start.to_string().as_str(),
                b.period_end.to_string().as_str()
            ),
            (start, end),
            "{period} {tz} {now}"
        );
    }

    #[test]
    fn seed_shape_in_utc() {
        check(
            "month",
            "UTC",
            "2024-06-15T10:00:00Z",
            "2024-06-01T00:00:00Z",
            "2024-06-30T23:59:59Z",
        );
    }

    #[test]
    fn local_now_decides_the_period() {
        // 2024-07-01T02:00Z is still June 30 in New York.
        check(
            "month",
            "America/New_York",
            "2024-07-01T02:00:00Z",
            "2024-06-01T04:00:00Z",
            "2024-07-01T03:59:59Z",
        );
        check(
            "year",
            "Pacific/Kiritimati",
            "2023-12-31T10:00:00Z",
            "2023-12-31T10:00:00Z",
            "2024-12-31T09:59:59Z",
        );
    }

    #[test]
    fn iso_weeks_start_monday() {
        // 2024-01-01 is a Monday; Sunday 2024-01-07 belongs to the same week.
        check(
            "week",
            "UTC",
            "2024-01-07T23:59:59Z",
            "2024-01-01T00:00:00Z",
            "2024-01-07T23:59:59Z",
        );
        check(
            "week",
            "UTC",
            "2024-01-08T00:00:00Z",
            "2024-01-08T00:00:00Z",
            "2024-01-14T23:59:59Z",
        );
    }

    #[test]
    fn dst_edges() {
        // Havana's 2024-03-10 midnight is skipped; the week starting Monday 03-11 is plain.
        check(
            "week",
            "America/Havana",
            "2024-03-10T12:00:00Z",
            "2024-03-04T05:00:00Z",
            "2024-03-11T03:59:59Z",
        );
        // Apia: December 2011 lost the 30th; January 2012 starts at +14.
        check(
            "month",
            "Pacific/Apia",
            "2011-12-15T00:00:00Z",
            "2011-12-01T10:00:00Z",
            "2011-12-31T09:59:59Z",
        );
        // Lord Howe in summer (+11).
        check(
            "month",
            "Australia/Lord_Howe",
            "2024-01-15T00:00:00Z",
            "2023-12-31T13:00:00Z",
            "2024-01-31T12:59:59Z",
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            Period::parse("quarter").unwrap_err().code(),
            "INVALID_PERIOD"
        );
        assert_eq!(Period::parse("Week").unwrap_err().code(), "INVALID_PERIOD");
    }
}
