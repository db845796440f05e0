//! Usage totals over rolling windows, and usage per phone number: AgentPhone's `/v1/usage`
//! and `/v1/usage/by-number`.

use serde::{Deserialize, Serialize};

use crate::phone::NumberResource;
use crate::time::Timestamp;
use crate::usage::activity::{ActivityLog, Counts};
use crate::usage::period::PeriodBounds;

/// Messages, completed calls and their seconds in some window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Window {
    /// Messages.
    pub messages: u64,
    /// Completed calls.
    pub calls: u64,
    /// Their seconds.
    pub total_seconds: u64,
}

impl From<Counts> for Window {
    fn from(c: Counts) -> Self {
        Window {
            messages: c.messages,
            calls: c.calls,
            total_seconds: c.seconds,
        }
    }
}

/// What `GET /v1/usage` reports: usage over all time, over the current period, and over the
/// last 24 hours, 7 days and 30 days before "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageSummary {
    /// Everything ever recorded.
    pub all_time: Window,
    /// The current period.
    pub period: Window,
    /// The 24 hours before now.
    pub last24h: Window,
    /// The 7 days before now.
    pub last7d: Window,
    /// The 30 days before now.
    pub last30d: Window,
}

/// Usage of one number in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberUsage {
    /// The number.
    pub number: NumberResource,
    /// Its usage.
    pub usage: Window,
}

impl ActivityLog {
    /// Totals over `[lo, hi)`.
    pub fn window(&self, lo: Timestamp, hi: Timestamp) -> Window {
        self.window_secs(lo.unix_seconds(), hi.unix_seconds())
    }

    /// Totals over `[lo, hi)` in Unix seconds: an exclusive end may lie past the last
    /// representable instant.
    fn window_secs(&self, lo: i64, hi: i64) -> Window {
        let mut c = Counts::default();
        self.each_in(lo, hi, |r| {
            if let (Some(is_call), Some(seconds)) = (self.is_call.get(r), self.seconds.get(r)) {
                c.add(*is_call, *seconds);
            }
        });
        c.into()
    }

    /// Usage over all time, over the period, and over the windows before `now` (each ends at
    /// `now`, inclusive).
    pub fn summary(&self, bounds: &PeriodBounds, now: Timestamp) -> UsageSummary {
        let after_now = now.saturating_add_seconds(1);
        let back = |secs: i64| self.window(now.saturating_add_seconds(1 - secs), after_now);
        UsageSummary {
            all_time: self.window_secs(i64::MIN, i64::MAX),
            period: self.window(bounds.period_start, bounds.end_exclusive()),
            last24h: back(86_400),
            last7d: back(7 * 86_400),
            last30d: back(30 * 86_400),
        }
    }

    /// Usage in the period for each of `numbers`, in the order given: calls and messages
    /// whose agent-side number is that number.
    pub fn by_number(&self, bounds: &PeriodBounds, numbers: &[NumberResource]) -> Vec<NumberUsage> {
        let mut index: crate::hash::FastMap<u64, usize> = crate::hash::FastMap::default();
        for (i, n) in numbers.iter().enumerate() {
            index.insert(n.number.as_u64(), i);
        }
        let mut cells = vec![Counts::default(); numbers.len()];
        self.each_in(
            bounds.period_start.unix_seconds(),
            bounds.end_exclusive().unix_seconds(),
            |r| {
                let (Some(n), Some(is_call), Some(seconds)) =
                    (self.number.get(r), self.is_call.get(r), self.seconds.get(r))
                else {
                    return;
                };
                if let Some(c) = index.get(n).and_then(|&i| cells.get_mut(i)) {
                    c.add(*is_call, *seconds);
                }
            },
        );
        numbers
            .iter()
            .zip(cells)
            .map(|(n, c)| NumberUsage {
                number: *n,
                usage: c.into(),
            })
            .collect()
    }
}
