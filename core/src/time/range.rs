//! [`DateRange`]: an inclusive range of local calendar days in a zone.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::{TimeError, Timestamp, Zone, clip};

/// Inclusive local days `start..=end` in `zone` — the stats endpoint's `start_date`,
/// `end_date` and `tz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
    zone: Zone,
}

/// How far back the default range reaches from today: the seed's "Default: 30 days ago".
pub const DEFAULT_RANGE_DAYS: u64 = 30;

impl DateRange {
    /// A range from parts already parsed; refuses `start > end`.
    pub fn new(start: NaiveDate, end: NaiveDate, zone: Zone) -> Result<Self, TimeError> {
        if start > end {
            return Err(TimeError::InvalidDateRange {
                start: start.to_string(),
                end: end.to_string(),
                why: "start_date is after end_date",
            });
        }
        Ok(DateRange { start, end, zone })
    }

    /// Parses the stats query: `start_date`/`end_date` as `YYYY-MM-DD` (defaults: 30 days
    /// before today, and today), `tz` an IANA name (default UTC). "Today" is the local date of
    /// `now` in that zone. Returns every problem found.
    ///
    /// ```
    /// use dialback_core::{DateRange, Timestamp};
    /// let now = Timestamp::parse("2024-02-01T03:00:00Z").unwrap();
    /// let r = DateRange::parse(None, None, Some("America/New_York"), now).unwrap();
    /// assert_eq!((r.start().to_string(), r.end().to_string()),
    ///            ("2024-01-01".into(), "2024-01-31".into())); // still Jan 31 in New York
    /// ```
    pub fn parse(
        start_date: Option<&str>,
        end_date: Option<&str>,
        tz: Option<&str>,
        now: Timestamp,
    ) -> Result<Self, Vec<TimeError>> {
        let mut errors = Vec::new();
        let zone = match tz {
            None => Zone::UTC,
            Some(name) => Zone::parse(name).unwrap_or_else(|e| {
                errors.push(e);
                Zone::UTC
            }),
        };
        let today = zone.date_of(now);
        let mut date = |field: &'static str, input: Option<&str>, default: NaiveDate| match input {
            None => Some(default),
            Some(s) => parse_date(s).or_else(|| {
                errors.push(TimeError::InvalidDate {
                    field,
                    input: clip(s),
                });
                None
            }),
        };
        let start = date(
            "start_date",
            start_date,
            today - Days::new(DEFAULT_RANGE_DAYS),
        );
        let end = date("end_date", end_date, today);
        match (start, end) {
            (Some(start), Some(end)) if errors.is_empty() => {
                DateRange::new(start, end, zone).map_err(|e| vec![e])
            }
            _ => Err(errors),
        }
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// The zone the days are local to.
    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// Number of days, counting both ends.
    pub fn len_days(&self) -> u64 {
        (self.end - self.start).num_days().unsigned_abs() + 1
    }

    /// The instants covered: from the start of the first day (inclusive) to the start of the
    /// day after the last (exclusive), by [`Zone::day_start`]. The end is clamped to the last
    /// representable instant; aggregations use [`DateRange::bounds_secs`], which is not.
    pub fn instants(&self) -> (Timestamp, Timestamp) {
        let (lo, hi) = self.bounds_secs();
        (
            Timestamp::EPOCH.saturating_add_seconds(lo),
            Timestamp::EPOCH.saturating_add_seconds(hi),
        )
    }

    /// The instants covered, `[lo, hi)` in Unix seconds.
    pub fn bounds_secs(&self) -> (i64, i64) {
        (
            self.zone.day_start_secs(self.start),
            Self::day_end_secs(self.zone, self.end),
        )
    }

    /// Where local day `date` ends in `zone` (the next day's start), in Unix seconds.
    pub fn day_end_secs(zone: Zone, date: NaiveDate) -> i64 {
        date.checked_add_days(Days::new(1))
            .map_or(i64::MAX, |next| zone.day_start_secs(next))
    }

    /// From the first day of the local month of `now` in `zone` to that day: "this month so
    /// far".
    pub fn month_to_date(zone: Zone, now: Timestamp) -> Self {
        let today = zone.date_of(now);
        let first = today.with_day(1).unwrap_or(today);
        DateRange {
            start: first,
            end: today,
            zone,
        }
    }

    /// The last `days` local days in `zone`, the day of `now` included: what "last 30 days"
    /// and AgentPhone's `days` mean.
    ///
    /// ```
    /// use dialback_core::{DateRange, Timestamp, Zone};
    /// let now = Timestamp::parse("2024-03-01T02:00:00Z").unwrap();
    /// let r = DateRange::last_days(Zone::parse("America/New_York").unwrap(), now, 7).unwrap();
    /// assert_eq!((r.start().to_string(), r.end().to_string()),
    ///     ("2024-02-23".into(), "2024-02-29".into()));
    /// ```
    pub fn last_days(zone: Zone, now: Timestamp, days: u32) -> Result<Self, TimeError> {
        let today = zone.date_of(now);
        let first = today
            .checked_sub_days(Days::new(u64::from(days.max(1)) - 1))
            .ok_or(TimeError::InvalidDateRange {
                start: today.to_string(),
                end: today.to_string(),
                why: "reaches before year 0",
            })?;
        DateRange::new(first, today, zone)
    }

    /// The range just before this one, as many days long, in the same zone: what a "change
    /// against the previous period" compares with. `None` before year 0.
    ///
    /// ```
    /// use dialback_core::{DateRange, Timestamp, Zone};
    /// let now = Timestamp::parse("2024-03-01T12:00:00Z").unwrap();
    /// let r = DateRange::last_days(Zone::UTC, now, 30).unwrap().previous().unwrap();
    /// assert_eq!((r.start().to_string(), r.end().to_string()),
    ///     ("2024-01-02".into(), "2024-01-31".into()));
    /// ```
    pub fn previous(&self) -> Option<DateRange> {
        let end = self.start.checked_sub_days(Days::new(1))?;
        let start = end.checked_sub_days(Days::new(self.len_days() - 1))?;
        DateRange::new(start, end, self.zone).ok()
    }

    /// Each day of the range.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let end = self.end;
        self.start.iter_days().take_while(move |d| *d <= end)
    }
}

/// Strict `YYYY-MM-DD` (four-digit year, two-digit month and day), nothing around it.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !ok {
        return None;
    }
    // digits checked above; read them by hand (chrono's format parser costs ~15 KB of wasm)
    let num = |r: std::ops::Range<usize>| {
        b.get(r)?.iter().try_fold(0u32, |n, d| {
            n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn now() -> Timestamp {
        Timestamp::parse("2024-01-31T12:00:00Z").unwrap()
    }

    fn codes(r: Result<DateRange, Vec<TimeError>>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.code())
            .collect()
    }

    #[test]
    fn defaults_are_the_last_thirty_days_and_today() {
        let r = DateRange::parse(None, None, None, now()).unwrap();
        assert_eq!(r.start().to_string(), "2024-01-01");
        assert_eq!(r.end().to_string(), "2024-01-31");
        assert_eq!(r.len_days(), 31);
    }

    #[test]
    fn instants_follow_the_zone() {
        let r = DateRange::parse(
            Some("2024-01-01"),
            Some("2024-01-31"),
            Some("America/New_York"),
            now(),
        )
        .unwrap();
        let (a, b) = r.instants();
        assert_eq!(a.to_string(), "2024-01-01T05:00:00Z");
        assert_eq!(b.to_string(), "2024-02-01T05:00:00Z");
    }

    #[test]
    fn errors_are_all_reported() {
        assert_eq!(
            codes(DateRange::parse(Some("2024-1-1"), None, None, now())),
            ["INVALID_DATE"]
        );
        assert_eq!(
            codes(DateRange::parse(
                Some("x"),
                Some("2024-02-30"),
                Some("Nowhere"),
                now()
            )),
            ["INVALID_TIMEZONE", "INVALID_DATE", "INVALID_DATE"]
        );
        assert_eq!(
            codes(DateRange::parse(
                Some("2024-02-01"),
                Some("2024-01-31"),
                None,
                now()
            )),
            ["INVALID_DATE_RANGE"]
        );
        assert_eq!(
            codes(DateRange::parse(Some(" 2024-01-01"), None, None, now())),
            ["INVALID_DATE"]
        );
        assert_eq!(
            codes(DateRange::parse(Some("+2024-01-01"), None, None, now())),
            ["INVALID_DATE"]
        );
    }

    #[test]
    fn single_day() {
        let r = DateRange::parse(Some("2024-01-05"), Some("2024-01-05"), None, now()).unwrap();
        assert_eq!(r.days().count(), 1);
    }
}
