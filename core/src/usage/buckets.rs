//! Usage per local day and per local month, for charts and AgentPhone's daily/monthly usage.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::time::{DateRange, Month, TimeError, Timestamp, Zone};
use crate::usage::activity::{ActivityLog, Counts};

/// The most buckets one call may ask for (ten years of days), so that no input can make the
/// core allocate without bound.
pub const MAX_BUCKETS: u64 = 3_660;

/// Usage on one local day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayUsage {
    /// The local date, written `YYYY-MM-DD`.
    pub date: NaiveDate,
    /// Messages.
    pub messages: u64,
    /// Completed calls.
    pub calls: u64,
    /// Their seconds.
    pub total_seconds: u64,
}

/// Usage in one local month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthUsage {
    /// The month, written `YYYY-MM`.
    pub month: Month,
    /// Messages.
    pub messages: u64,
    /// Completed calls.
    pub calls: u64,
    /// Their seconds.
    pub total_seconds: u64,
}

impl ActivityLog {
    /// Usage on each local day of `range` (every day listed, zeros included), days starting at
    /// [`Zone::day_start`]. A day that a zone skipped entirely is listed and always empty.
    pub fn daily(&self, range: &DateRange) -> Result<Vec<DayUsage>, TimeError> {
        let days: Vec<NaiveDate> = range.days().collect();
        let edges = day_edges(range)?;
        let counts = self.bucketed(&edges);
        Ok(days
            .iter()
            .zip(counts)
            .map(|(d, c)| DayUsage {
                date: *d,
                messages: c.messages,
                calls: c.calls,
                total_seconds: c.seconds,
            })
            .collect())
    }

    /// Usage in each of the `months` local months ending with the one containing `now`, oldest
    /// first.
    pub fn monthly(
        &self,
        zone: Zone,
        now: Timestamp,
        months: u32,
    ) -> Result<Vec<MonthUsage>, TimeError> {
        let starts = month_starts(zone, now, months)?;
        let edges: Vec<i64> = starts.iter().map(|d| zone.day_start_secs(*d)).collect();
        let counts = self.bucketed(&edges);
        Ok(starts
            .iter()
            .zip(counts)
            .map(|(d, c)| MonthUsage {
                month: Month::of(*d),
                messages: c.messages,
                calls: c.calls,
                total_seconds: c.seconds,
            })
            .collect())
    }

    /// Counters for the buckets `[edges[i], edges[i+1])` (Unix seconds); `edges` ascending
    /// (equal neighbours make an empty bucket).
    fn bucketed(&self, edges: &[i64]) -> Vec<Counts> {
        let n = edges.len().saturating_sub(1);
        let mut cells = vec![Counts::default(); n];
        let (Some(&lo), Some(&hi)) = (edges.first(), edges.last()) else {
            return cells;
        };
        self.each_in(lo, hi, |r| {
            let (Some(at), Some(seconds), Some(is_call)) =
                (self.at.get(r), self.seconds.get(r), self.is_call.get(r))
            else {
                return;
            };
            let i = edges.partition_point(|e| *e <= *at).saturating_sub(1);
            if let Some(c) = cells.get_mut(i) {
                c.add(*is_call, *seconds);
            }
        });
        cells
    }
}

/// Where each local day of `range` starts, and where the last one ends (Unix seconds): the
/// bucket edges of [`ActivityLog::daily`], for anything else counted by the same days.
pub fn day_edges(range: &DateRange) -> Result<Vec<i64>, TimeError> {
    if range.len_days() > MAX_BUCKETS {
        return Err(too_long(range.start(), range.end()));
    }
    let zone = range.zone();
    let mut edges: Vec<i64> = range.days().map(|d| zone.day_start_secs(d)).collect();
    edges.push(range.bounds_secs().1);
    Ok(edges)
}

/// The first days of the `months` local months ending with the one containing `now`, and of
/// the month after them.
fn month_starts(zone: Zone, now: Timestamp, months: u32) -> Result<Vec<NaiveDate>, TimeError> {
    let this_month = zone
        .date_of(now)
        .with_day(1)
        .unwrap_or_else(|| zone.date_of(now));
    let first = this_month.checked_sub_months(Months::new(months.saturating_sub(1)));
    let first = match first {
        Some(f) if u64::from(months) <= MAX_BUCKETS && months > 0 => f,
        _ => return Err(too_long(this_month, this_month)),
    };
    Ok((0..=months)
        .filter_map(|i| first.checked_add_months(Months::new(i)))
        .collect())
}

/// The bucket edges of [`ActivityLog::monthly`].
pub fn month_edges(zone: Zone, now: Timestamp, months: u32) -> Result<Vec<i64>, TimeError> {
    Ok(month_starts(zone, now, months)?
        .iter()
        .map(|d| zone.day_start_secs(*d))
        .collect())
}

/// `(instant, how many)` pairs summed into the buckets `[edges[i], edges[i+1])`.
pub fn count_into(edges: &[i64], points: &[(i64, u64)]) -> Vec<u64> {
    let mut cells = vec![0u64; edges.len().saturating_sub(1)];
    for (at, n) in points {
        if edges.first().is_some_and(|lo| at < lo) {
            continue;
        }
        let i = edges.partition_point(|e| *e <= *at).saturating_sub(1);
        if let Some(c) = cells.get_mut(i) {
            *c += n;
        }
    }
    cells
}

fn too_long(start: NaiveDate, end: NaiveDate) -> TimeError {
    TimeError::InvalidDateRange {
        start: start.to_string(),
        end: end.to_string(),
        why: "asks for more than 3660 buckets, or none",
    }
}
