//! Instants, time zones, local days and date ranges: the time vocabulary every rule shares.
//!
//! The core never reads a clock. "Now" arrives as a [`Timestamp`] argument and "today" is
//! derived from it in a [`Zone`]. One rule decides where a local day starts
//! ([`Zone::day_start`]); callback stats ranges, usage periods and daily buckets all use it, so
//! they can never disagree about which day an instant belongs to.

mod month;
mod range;
mod timestamp;
mod tzdata;
mod tzdb;
mod zone;

pub use month::Month;
pub use range::{DEFAULT_RANGE_DAYS, DateRange, parse_date};
pub use timestamp::{Rfc3339, Timestamp};
#[cfg(feature = "tzif")]
pub use tzdata::Completion;
pub use tzdata::{Tzdata, TzdataError, TzdataVersion};
pub use tzdb::{Installed, OlderTables};
pub use zone::Zone;

use crate::error::ErrorCode;

/// Why a time-related input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not an RFC 3339 instant within years 0000–9999.
    #[error("invalid timestamp {0:?}: expected RFC 3339, e.g. 2024-06-01T04:00:00Z")]
    InvalidTimestamp(String),
    /// Not a zone name of the IANA tz database.
    #[error("invalid timezone {0:?}: expected an IANA name such as America/New_York")]
    InvalidTimezone(String),
    /// Not `week`, `month` or `year`.
    #[error("invalid period {0:?}: expected week, month or year")]
    InvalidPeriod(String),
    /// Not a `YYYY-MM-DD` calendar date.
    #[error("invalid {field} {input:?}: expected a date as YYYY-MM-DD")]
    InvalidDate {
        /// Which parameter (`start_date`, `end_date`).
        field: &'static str,
        /// The input as given.
        input: String,
    },
    /// The range ends before it starts, or is longer than the caller allows.
    #[error("invalid date range {start}..{end}: {why}")]
    InvalidDateRange {
        /// First day.
        start: String,
        /// Last day.
        end: String,
        /// What is wrong with it.
        why: &'static str,
    },
}

impl TimeError {
    /// The parameter the error is about, as the wire names it.
    pub fn field(&self) -> &'static str {
        match self {
            TimeError::InvalidTimestamp(_) => "now",
            TimeError::InvalidTimezone(_) => "tz",
            TimeError::InvalidPeriod(_) => "period",
            TimeError::InvalidDate { field, .. } => field,
            TimeError::InvalidDateRange { .. } => "start_date",
        }
    }
}

impl ErrorCode for TimeError {
    fn code(&self) -> &'static str {
        match self {
            TimeError::InvalidTimestamp(_) => "INVALID_TIMESTAMP",
            TimeError::InvalidTimezone(_) => "INVALID_TIMEZONE",
            TimeError::InvalidPeriod(_) => "INVALID_PERIOD",
            TimeError::InvalidDate { .. } => "INVALID_DATE",
            TimeError::InvalidDateRange { .. } => "INVALID_DATE_RANGE",
        }
    }
}

/// Keeps user input in error messages short.
pub fn clip(input: &str) -> String {
    input.chars().take(64).collect()
}
