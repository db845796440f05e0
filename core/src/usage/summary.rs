//! Usage totals over rolling windows, and usage per phone number: AgentPhone's `/v1/usage`
//! and `/v1/usage/by-number`.

use serde::{Deserialize, Serialize};

use crate::agent::AgentDirectory;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;
use crate::usage::activity::{ActivityLog, Counts};
use crate::usage::period::PeriodBounds;

/// Messages, completed calls and their seconds in some window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// `GET /v1/usage`: the current period's totals and rolling windows ending at "now".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageTotals {
    /// The current period's totals.
    #[serde(flatten)]
    pub period_totals: Window,
    /// The 24 hours before now.
    pub last24h: Window,
    /// The 7 days before now.
    pub last7d: Window,
    /// The 30 days before now.
    pub last30d: Window,
    /// `week`, `month` or `year`.
    pub period: String,
    /// RFC 3339 UTC.
    pub period_start: String,
    /// RFC 3339 UTC.
    pub period_end: String,
}

/// One row of usage by number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberUsage {
    /// The number's id (the caller's identifier for the number resource).
    pub number_id: String,
    /// E.164.
    pub phone_number: String,
    /// Messages sent from or received on it.
    pub messages: u64,
    /// Completed calls placed from or answered on it.
    pub calls: u64,
    /// Their seconds (our extension).
    pub total_seconds: u64,
    /// Its owner, if any.
    pub agent_id: Option<String>,
    /// Its owner's name, if any.
    pub agent_name: Option<String>,
}

impl ActivityLog {
    /// Totals over `[lo, hi)`.
    pub fn window(&self, lo: Timestamp, hi: Timestamp) -> Window {
        let mut c = Counts::default();
        self.each_in(lo.unix_seconds(), hi.unix_seconds(), |r| {
            if let (Some(is_call), Some(seconds)) = (self.is_call.get(r), self.seconds.get(r)) {
                c.add(*is_call, *seconds);
            }
        });
        c.into()
    }

    /// The current period's totals plus the last 24 hours, 7 days and 30 days before `now`.
    pub fn totals(&self, bounds: &PeriodBounds, now: Timestamp) -> UsageTotals {
        let after_now = now.saturating_add_seconds(1);
        let back = |secs: i64| self.window(now.saturating_add_seconds(1 - secs), after_now);
        UsageTotals {
            period_totals: self.window(bounds.period_start, bounds.end_exclusive()),
            last24h: back(86_400),
            last7d: back(7 * 86_400),
            last30d: back(30 * 86_400),
            period: bounds.period.as_str().to_owned(),
            period_start: bounds.period_start.to_string(),
            period_end: bounds.period_end.to_string(),
        }
    }

    /// Usage in the period for each of `numbers` (id and number), with its owner from the
    /// directory, in the order given.
    pub fn by_number(
        &self,
        bounds: &PeriodBounds,
        numbers: &[(String, PhoneNumber)],
        names: &AgentDirectory,
    ) -> Vec<NumberUsage> {
        let mut index: crate::hash::FastMap<u64, usize> = crate::hash::FastMap::default();
        for (i, (_, n)) in numbers.iter().enumerate() {
            index.insert(n.as_u64(), i);
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
            .map(|((id, number), c)| {
                let owner = names.owner_of(*number);
                NumberUsage {
                    number_id: id.clone(),
                    phone_number: number.to_string(),
                    messages: c.messages,
                    calls: c.calls,
                    total_seconds: c.seconds,
                    agent_id: owner.map(|a| a.id.to_string()),
                    agent_name: owner.map(|a| a.name.clone()),
                }
            })
            .collect()
    }
}
