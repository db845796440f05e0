//! `GET /api/v1/callback-agents/stats`: the seed's shape.

use serde::{Deserialize, Serialize};

use crate::agent::AgentDirectory;
use crate::callback::stats::{CallbackDay, CallbackStats, UNKNOWN_AGENT};

/// `period` of callback stats: the inclusive local dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct StatsPeriod {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`.
    pub end: String,
}

/// One row of `callbacks_by_source_agent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SourceAgentCount {
    /// The source agent.
    pub source_agent_id: String,
    /// Its name.
    pub name: String,
    /// Matched callbacks attributed to it.
    pub count: i64,
}

/// `data` of `GET /api/v1/callback-agents/stats`. Counts are signed, so that a validator can
/// say "negative" about another server's answer instead of failing to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackStatsData {
    /// The days covered.
    pub period: StatsPeriod,
    /// Inbound calls routed to callback agents, matched or not.
    pub total_callbacks_received: i64,
    /// Of those, picked up.
    pub callbacks_answered: i64,
    /// Of those, matching no recent outbound call.
    pub callbacks_unmatched: i64,
    /// Matched callbacks per source agent, most first, then by id.
    pub callbacks_by_source_agent: Vec<SourceAgentCount>,
    /// Extension, with `group_by=day` only: the same counts for each local day of the
    /// period, oldest first, every day listed; they add up to the totals above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<CallbackStatsDay>>,
}

/// One day of `days` (`group_by=day`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackStatsDay {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// Callbacks received that day.
    pub total_callbacks_received: i64,
    /// Of those, picked up.
    pub callbacks_answered: i64,
    /// Of those, matching no recent outbound call.
    pub callbacks_unmatched: i64,
}

impl CallbackStatsDay {
    /// Callbacks that matched a recent outbound call: received less unmatched (0 if a server
    /// sent more unmatched than received; the validator reports that).
    pub fn matched(&self) -> i64 {
        self.total_callbacks_received
            .saturating_sub(self.callbacks_unmatched)
            .max(0)
    }
}

impl From<&CallbackDay> for CallbackStatsDay {
    fn from(d: &CallbackDay) -> Self {
        CallbackStatsDay {
            date: d.date.to_string(),
            total_callbacks_received: signed(d.received),
            callbacks_answered: signed(d.answered),
            callbacks_unmatched: signed(d.unmatched),
        }
    }
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl CallbackStatsData {
    /// The wire form of stats, source agents named from `names` ([`UNKNOWN_AGENT`] for one
    /// no longer in the directory).
    pub fn new(stats: &CallbackStats, names: &AgentDirectory) -> Self {
        CallbackStatsData {
            period: StatsPeriod {
                start: stats.range.start().to_string(),
                end: stats.range.end().to_string(),
            },
            total_callbacks_received: signed(stats.received),
            callbacks_answered: signed(stats.answered),
            callbacks_unmatched: signed(stats.unmatched),
            callbacks_by_source_agent: stats
                .by_source
                .iter()
                .map(|(id, count)| SourceAgentCount {
                    source_agent_id: id.to_string(),
                    name: names
                        .get(id)
                        .map_or_else(|| UNKNOWN_AGENT.to_owned(), |a| a.name.clone()),
                    count: signed(*count),
                })
                .collect(),
            days: None,
        }
    }

    /// The same, with the daily breakdown (`group_by=day`).
    pub fn with_days(mut self, days: &[CallbackDay]) -> Self {
        self.days = Some(days.iter().map(CallbackStatsDay::from).collect());
        self
    }
}
