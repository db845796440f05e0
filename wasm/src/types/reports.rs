//! Date ranges, callback stats and usage by agent, and the lists the package returns.

#![allow(missing_docs)] // the fields mirror documented core types one to one

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::*;

/// Local dates (inclusive) and the zone whose days they are; missing dates default as the
/// stats endpoint's do (this month so far).
#[derive(Tsify, Serialize, Deserialize, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DateRangeInput {
    #[serde(default)]
    #[tsify(optional)]
    pub start_date: Option<String>,
    #[serde(default)]
    #[tsify(optional)]
    pub end_date: Option<String>,
    #[serde(default)]
    #[tsify(optional)]
    pub tz: Option<String>,
}

/// `data` of `GET /api/v1/callback-agents/stats`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CallbackStatsData {
    pub period: StatsPeriod,
    pub total_callbacks_received: i64,
    pub callbacks_answered: i64,
    pub callbacks_unmatched: i64,
    pub callbacks_by_source_agent: Vec<SourceAgentCount>,
    /// Dialback's `group_by=day` extension: each local day's counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub days: Option<Vec<CallbackStatsDay>>,
}

/// One day of `days`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CallbackStatsDay {
    pub date: String,
    pub total_callbacks_received: i64,
    pub callbacks_answered: i64,
    pub callbacks_unmatched: i64,
}

#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StatsPeriod {
    pub start: String,
    pub end: String,
}

#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceAgentCount {
    pub source_agent_id: String,
    pub name: String,
    pub count: i64,
}

/// The whole stats response, `{ success, data }`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
pub struct CallbackStatsResponse {
    pub success: bool,
    pub data: CallbackStatsData,
}

/// `GET /v1/usage/by-agent`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UsageByAgentResponse {
    pub data: Vec<AgentUsageRow>,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
}

#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct AgentUsageRow {
    pub agent_id: Option<String>,
    pub agent_name: String,
    pub messages: i64,
    pub calls: i64,
    pub total_seconds: i64,
    pub is_orphan: bool,
}

/// Usage on one local day.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DayUsage {
    pub date: String,
    pub messages: u64,
    pub calls: u64,
    pub total_seconds: u64,
}

/// Something in a response that does not add up.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Inconsistency {
    pub code: String,
    pub message: String,
    pub path: String,
}

/// Bytes as a JavaScript user holds them: from `fetch`, a file, or a string.
#[derive(Tsify, Serialize, Deserialize)]
#[tsify(type = "Uint8Array | ArrayBuffer | string")]
pub struct Bytes;

/// `AgentInput[]`: an agent list as `GET /api/v1/agents` returns it in `data`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct AgentList(pub Vec<AgentInput>);

/// `CallBody[]`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct CallList(pub Vec<CallBody>);

/// `InboundCall[]`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct InboundCallList(pub Vec<InboundCall>);

/// `RoutingBody[]`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct RoutingList(pub Vec<RoutingBody>);

/// `Inconsistency[]`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct InconsistencyList(pub Vec<Inconsistency>);

/// `DayUsage[]`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct DayUsageList(pub Vec<DayUsage>);
