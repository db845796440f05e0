//! The TypeScript shapes of every value that crosses the boundary.
//!
//! The core's types carry no JS dependency, so they cannot derive `Tsify`. These mirrors carry
//! the same serde attributes and derive the declarations instead; `tests/shapes.rs` serialises
//! real core values, reads them back through each mirror with unknown fields denied and
//! compares the JSON, so a field renamed or added in the core fails the build's tests until
//! its mirror follows. API-shaped data keeps the APIs' snake_case; the package's own argument
//! and result objects are camelCase.

#![allow(missing_docs)] // the fields mirror documented core types one to one

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// `'week' | 'month' | 'year'`.
#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PeriodName {
    Week,
    Month,
    Year,
}

/// An IANA time zone name, such as `America/New_York`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct ZoneName(pub String);

/// An RFC 3339 instant, such as `2024-03-10T07:00:00Z`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct Rfc3339(pub String);

/// A local date, `YYYY-MM-DD`.
#[derive(Tsify, Serialize, Deserialize)]
pub struct LocalDate(pub String);

/// `{ period, periodStart, periodEnd }`, bounds in UTC with seconds.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeriodBounds {
    pub period: PeriodName,
    pub period_start: String,
    pub period_end: String,
}

#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    Initiated,
    Ringing,
    Answered,
    Completed,
    Failed,
    Busy,
    NoAnswer,
    Voicemail,
}

/// An agent status.
#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    Draft,
    Published,
}

/// A callback trigger status, spelled as Talkover's callback pages spell them.
#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TriggerStatus {
    Initiated,
    Ringing,
    Answered,
    Completed,
    Failed,
    Busy,
    NoAnswer,
    Voicemail,
}

/// An agent as `GET /api/v1/agents` returns it: Talkover's agent object.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct AgentBody {
    pub id: String,
    pub name: String,
    pub label: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    #[tsify(type = "unknown")]
    pub voice: serde_json::Value,
    pub initial_message: Option<String>,
    pub interrupt_sensitivity: Option<String>,
    pub conversation_speed: Option<f64>,
    pub initial_message_delay: Option<u32>,
    pub ask_if_human_present_on_idle: Option<bool>,
    pub direction: Direction,
    pub who_speaks_first: Option<String>,
    pub current_status: AgentStatus,
    pub is_sandbox: bool,
    pub is_ready_to_publish: bool,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    #[tsify(type = "unknown[]")]
    pub trainings: Vec<serde_json::Value>,
    #[tsify(type = "unknown[]")]
    pub actions: Vec<serde_json::Value>,
    pub phone_numbers: Vec<PhoneNumberRef>,
    /// Absent when the agent has no callback role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub callback_config: Option<CallbackConfigBody>,
}

/// What the package reads of an agent: any agent object from `GET /api/v1/agents` (Talkover's
/// or Dialback's) is one, and so is a hand-written `{ id, name, direction }`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
pub struct AgentInput {
    pub id: String,
    pub name: String,
    pub direction: Direction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub phone_numbers: Option<Vec<NumberInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "CallbackConfigBody | null")]
    pub callback_config: Option<CallbackConfigBody>,
}

/// `{ number }`: the part of a phone number object the package reads.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
pub struct NumberInput {
    pub number: String,
}

/// A number inside an agent object.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PhoneNumberRef {
    pub id: String,
    pub number: String,
    pub country_code: String,
    pub formatted_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub international_number: Option<String>,
    pub current_status: String,
}

/// An agent's `callback_config`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CallbackConfigBody {
    pub source_agent_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub lookback_days: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub callback_trigger_statuses: Option<Vec<TriggerStatus>>,
}

/// The body of `POST /api/v1/agents/{id}/callback`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SetCallbackRequest {
    pub source_agent_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub lookback_days: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub callback_trigger_statuses: Option<Vec<String>>,
}

/// One problem with an input, next to the field it is about.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    pub code: String,
    pub message: String,
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub index: Option<usize>,
}

/// `{ ok: true, config }` or `{ ok: false, errors }`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
pub enum ConfigCheck {
    Valid {
        #[tsify(type = "true")]
        ok: bool,
        config: CallbackConfigBody,
    },
    Invalid {
        #[tsify(type = "false")]
        ok: bool,
        errors: Vec<FieldError>,
    },
}

/// `{ ok: true }` or `{ ok: false, errors }`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
pub enum RequestCheck {
    Invalid {
        #[tsify(type = "false")]
        ok: bool,
        errors: Vec<FieldError>,
    },
    Valid {
        #[tsify(type = "true")]
        ok: bool,
    },
}

/// Which write request to check.
#[derive(Tsify, Serialize, Deserialize, Debug, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub enum RequestKind {
    NewAgent,
    AgentPatch,
    CallingUpdate,
    KnowledgeUpdate,
    NewNumber,
    NewCall,
    NewMessage,
    Simulation,
}

/// `{id, name, label}`: a call's agent.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct AgentRef {
    pub id: String,
    pub name: String,
    pub label: Option<String>,
}

/// A call as `GET /api/v1/calls` returns it (and its NDJSON export): Talkover's call item,
/// with Dialback's `external_id` and `routing`.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct CallBody {
    pub id: String,
    pub sid: Option<String>,
    pub to: String,
    pub to_formatted: Option<String>,
    pub from: Option<String>,
    pub from_formatted: Option<String>,
    pub is_testing: bool,
    pub direction: Direction,
    pub status: CallStatus,
    pub duration: u32,
    pub created_at: String,
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub routing: Option<RoutingBody>,
    /// The agent that placed or took it (absent in an agent's own call list).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[tsify(optional, type = "AgentRef | null")]
    pub agent: Option<Option<AgentRef>>,
}

/// A field that was present, `null` or not.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// An inbound call to route.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct InboundCall {
    /// The caller as presented; `null` when withheld.
    pub from: Option<String>,
    pub to: String,
    pub at: String,
}

/// A routing decision with its reason code and explanation.
#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
// an interface cannot extend a union: spell the intersection of the two generated types
#[tsify(type = "RoutingDecision & { reason_code: string; explanation: string }")]
pub struct RoutingBody {
    #[serde(flatten)]
    pub decision: RoutingDecision,
    pub reason_code: String,
    pub explanation: String,
}

#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RoutingDecision {
    Matched {
        callback_agent_id: String,
        last_call: LastCall,
        lookback_days: u16,
    },
    Unmatched {
        callback_agent_id: String,
        reason: Reason,
    },
    NotCallbackAgent {
        agent_id: String,
    },
    NumberNotOwned {
        number: String,
    },
}

#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LastCall {
    pub source_agent_id: String,
    pub outbound_call_id: u64,
    pub started_at: String,
    pub status: CallStatus,
    pub age_seconds: i64,
}

#[derive(Tsify, Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    CallerWithheld,
    CallerAnonymous,
    CallerInvalid,
    NoOutboundCall,
    OutsideLookback {
        last_call: LastCall,
        lookback_days: u16,
    },
    StatusNotTrigger {
        last_call: LastCall,
        trigger_statuses: Vec<CallStatus>,
    },
}

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
