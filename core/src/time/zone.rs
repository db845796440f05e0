//! [`Zone`]: an IANA time zone, and the one rule for where a local day starts.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::timestamp::days_from_civil;
use super::tzdb::{Database, database};
use super::{TimeError, Timestamp, clip};

/// A zone of the IANA tz database (the whole database is compiled in, so users can pick any
/// zone at run time). Two bytes, `Copy`: an index into the compiled-in table.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(u16);

/// The widest distance between local and UTC time any zone has ever had, with margin.
const MAX_OFFSET_SECS: i64 = 26 * 3600;

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone(0);

    /// Parses an IANA name exactly as the database spells it (`America/New_York`, `UTC`).
    pub fn parse(name: &str) -> Result<Self, TimeError> {
        database()
            .find(name)
            .map(Zone)
            .ok_or_else(|| TimeError::InvalidTimezone(clip(name)))
    }

    /// Every zone name the table in force knows, sorted (for pickers).
    pub fn all_names() -> impl ExactSizeIterator<Item = &'static str> {
        let db = database();
        db.sorted.iter().map(|z| db.name(*z))
    }

    /// The release of the tz database in force, e.g. `2026f`: the embedded one
    /// ([`Tzdata::embedded_version`](super::Tzdata::embedded_version)) unless a table was
    /// installed since.
    pub fn database_version() -> &'static str {
        database().version
    }

    /// The IANA name.
    pub fn name(self) -> &'static str {
        database().name(self.0)
    }

    /// The UTC offset, in seconds, in force at `t`.
    pub fn offset_at(self, t: Timestamp) -> i64 {
        i64::from(database().offset_at(self.0, t.unix_seconds()))
    }

    /// The local wall-clock date and time at `t`.
    pub fn local(self, t: Timestamp) -> NaiveDateTime {
        let secs = t.unix_seconds().saturating_add(self.offset_at(t));
        chrono::DateTime::from_timestamp(secs, 0)
            .unwrap_or_default()
            .naive_utc()
    }

    /// `2026-11-22 18:15:00`: the wall-clock time in this zone at `t`, as people read it.
    pub fn wall_clock(self, t: Timestamp) -> String {
        self.local(t).format("%Y-%m-%d %H:%M:%S").to_string()
    }

    /// The local calendar date at `t`.
    pub fn date_of(self, t: Timestamp) -> NaiveDate {
        self.local(t).date()
    }

    /// The instant local day `date` starts: **the earliest instant whose local wall-clock time
    /// is at or after local midnight of `date`**.
    ///
    /// - Usually that is plain local midnight.
    /// - If midnight happens twice (clocks go back across it, as in America/Santiago), the day
    ///   starts at the first one.
    /// - If midnight is skipped (clocks jump over it, as in America/Havana, or Pacific/Apia
    ///   skipping all of 2011-12-30), the day starts the moment the clock jumps. A day skipped
    ///   entirely therefore starts and ends at the same instant: it is empty.
    ///
    /// Usage periods, callback stats ranges and daily buckets all start their days here.
    pub fn day_start(self, date: NaiveDate) -> Timestamp {
        // The first and last representable days can start a few hours outside years
        // 0000–9999; clamp rather than fail, no real query reaches them.
        Timestamp::EPOCH.saturating_add_seconds(self.day_start_secs(date))
    }

    /// [`Zone::day_start`] in Unix seconds, unclamped: the day after 9999-12-31 starts past
    /// the last representable instant, and a range ending on that last day must still count
    /// its last second.
    pub fn day_start_secs(self, date: NaiveDate) -> i64 {
        let midnight = days_from_civil(i64::from(date.year()), date.month(), date.day()) * 86_400;
        // the earliest instant whose local time is exactly midnight, if the clock ever shows
        // it: each offset the zone is in near that time gives one candidate, kept if the zone
        // really is in that offset then
        let db = database();
        db.earliest_instant_at(self.0, midnight, MAX_OFFSET_SECS)
            .unwrap_or_else(|| self.first_instant_at_or_after(db, midnight))
    }

    /// Binary search for the earliest instant whose local time is at or after `local`, for the
    /// rare case where `local` itself never happens. Within ±26 h of `local` read as UTC, local
    /// time is below `local` on the left and above it on the right; a gap is a single jump, so
    /// the predicate flips once.
    fn first_instant_at_or_after(self, db: &Database, target: i64) -> i64 {
        let local_at = |u: i64| u + i64::from(db.offset_at(self.0, u));
        let (mut lo, mut hi) = (target - MAX_OFFSET_SECS, target + MAX_OFFSET_SECS);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if local_at(mid) >= target {
                hi = mid
            } else {
                lo = mid
            }
        }
        hi
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name())
    }
}

impl FromStr for Zone {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::UTC
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Zone::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(zone: &str, date: &str, expected: &str) {
        let z = Zone::parse(zone).unwrap();
        let d: NaiveDate = date.parse().unwrap();
        assert_eq!(z.day_start(d).to_string(), expected, "{zone} {date}");
    }

    #[test]
    fn plain_midnight() {
        check("UTC", "2024-06-01", "2024-06-01T00:00:00Z");
        check("America/New_York", "2024-06-01", "2024-06-01T04:00:00Z");
        check("Asia/Kathmandu", "2024-06-01", "2024-05-31T18:15:00Z");
        check("Pacific/Chatham", "2024-06-01", "2024-05-31T11:15:00Z");
    }

    #[test]
    fn skipped_midnight_starts_when_the_clock_jumps() {
        // Havana: 2024-03-10 00:00 EST(-5) jumps to 01:00 CDT(-4): the jump is at 05:00Z.
        check("America/Havana", "2024-03-10", "2024-03-10T05:00:00Z");
        // Santiago: 2024-09-08 00:00 (-4) jumps to 01:00 (-3).
        check("America/Santiago", "2024-09-08", "2024-09-08T04:00:00Z");
        // Apia skipped 2011-12-30 entirely: it starts and ends at the same instant.
        check("Pacific/Apia", "2011-12-30", "2011-12-30T10:00:00Z");
        check("Pacific/Apia", "2011-12-31", "2011-12-30T10:00:00Z");
    }

    #[test]
    fn repeated_midnight_starts_at_the_first() {
        // Havana falls back at 01:00 to 00:00: midnight of 2024-11-03 happens twice.
        check("America/Havana", "2024-11-03", "2024-11-03T04:00:00Z");
    }

    #[test]
    fn midnight_that_falls_back_to_the_previous_day() {
        // Santiago: at 2024-04-07 00:00 (-3) clocks go back to 2024-04-06 23:00 (-4). The wall
        // clock never shows 00:00 at -3, so the day starts at 00:00 -4.
        check("America/Santiago", "2024-04-07", "2024-04-07T04:00:00Z");
    }

    #[test]
    fn half_hour_dst() {
        // Lord Howe: +10:30 standard, +11 summer; transitions at 02:00, so midnight is plain.
        check("Australia/Lord_Howe", "2024-10-06", "2024-10-05T13:30:00Z");
        check("Australia/Lord_Howe", "2024-01-01", "2023-12-31T13:00:00Z");
    }

    #[test]
    fn parse_errors() {
        use crate::error::ErrorCode;
        assert_eq!(
            Zone::parse("Mars/Olympus").unwrap_err().code(),
            "INVALID_TIMEZONE"
        );
        assert!(Zone::parse("").is_err());
        assert!(Zone::parse("UTC").is_ok());
        assert!(Zone::all_names().len() > 500);
    }
}
