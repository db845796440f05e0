//! `GET /api/v1/callback-agents/stats`: the seed's shape.

use serde::{Deserialize, Serialize};

use crate::agent::AgentDirectory;
use crate::callback::stats::{CallbackStats, UNKNOWN_AGENT};

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
        }
    }
}
