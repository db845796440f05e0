//! Talkover's shapes (snake_case): the `{"success": ..}` envelope, agents with their callback
//! configuration, and callback stats.

use serde::{Deserialize, Serialize};

use super::FieldError;
use crate::agent::{Agent, AgentDirectory, Direction};
use crate::call::CallStatus;
use crate::callback::{CallbackConfig, RoutingDecision};
use crate::time::Timestamp;

/// `{"success": true, "data": ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Always `true` on success.
    pub success: bool,
    /// The payload.
    pub data: T,
}

impl<T> Envelope<T> {
    /// A successful envelope.
    pub fn ok(data: T) -> Self {
        Envelope {
            success: true,
            data,
        }
    }
}

/// A Talkover list page's paging info.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMeta {
    /// 1-based page number.
    pub current_page: u64,
    /// Page size.
    pub per_page: u64,
    /// Items over all pages.
    pub total: u64,
    /// Last page number (at least 1).
    pub last_page: u64,
}

/// `{"success": true, "data": [...], "meta": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// Always `true`.
    pub success: bool,
    /// This page's items.
    pub data: Vec<T>,
    /// Paging.
    pub meta: PageMeta,
}

/// `{"success": false, "message": ..., "code": ...}` plus, as our extension, every problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Always `false`.
    pub success: bool,
    /// The first problem's message.
    pub message: String,
    /// The first problem's code.
    pub code: String,
    /// Every problem found (absent in the seed's example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl ErrorBody {
    /// The body for a list of problems (the first one leads); `None` if the list is empty.
    pub fn from_errors(errors: Vec<FieldError>) -> Option<Self> {
        let first = errors.first()?.clone();
        Some(ErrorBody {
            success: false,
            message: first.message,
            code: first.code,
            errors: Some(errors),
        })
    }
}

/// `{"success": true, "message": "Callback role removed"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageBody {
    /// Always `true`.
    pub success: bool,
    /// What happened.
    pub message: String,
}

/// The body of `POST /api/v1/agents/{agent_id}/callback` (and `PUT`, and check-constraints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetCallbackRequest {
    /// Outbound agent ids.
    pub source_agent_ids: Vec<String>,
    /// Extension: the lookback window in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_days: Option<u16>,
    /// Extension: statuses that make an outbound call count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_trigger_statuses: Option<Vec<String>>,
}

/// An agent's `callback_config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackConfigBody {
    /// Outbound agent ids.
    pub source_agent_ids: Vec<String>,
    /// Extension: present when it was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_days: Option<u16>,
    /// Extension: present when it was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_trigger_statuses: Option<Vec<String>>,
}

impl From<&CallbackConfig> for CallbackConfigBody {
    fn from(c: &CallbackConfig) -> Self {
        CallbackConfigBody {
            source_agent_ids: c.source_agent_ids.iter().map(|id| id.to_string()).collect(),
            lookback_days: c.lookback_days.map(|d| d.days()),
            callback_trigger_statuses: c
                .callback_trigger_statuses
                .as_ref()
                .map(|list| list.iter().map(|s| s.as_str().to_owned()).collect()),
        }
    }
}

/// An agent as the agents and callback endpoints return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentBody {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `inbound` or `outbound`.
    pub direction: Direction,
    /// Extension: E.164 numbers it owns (absent in the seed's example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<Vec<String>>,
    /// Its callback role, `null` if none.
    pub callback_config: Option<CallbackConfigBody>,
}

impl AgentBody {
    /// The wire form of an agent, numbers included.
    pub fn from_agent(a: &Agent) -> Self {
        AgentBody {
            id: a.id.to_string(),
            name: a.name.clone(),
            direction: a.direction,
            phone_numbers: Some(a.phone_numbers.iter().map(|n| n.to_string()).collect()),
            callback_config: a.callback_config.as_ref().map(CallbackConfigBody::from),
        }
    }
}

/// `period` of callback stats: the inclusive local dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsPeriod {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`.
    pub end: String,
}

/// One row of `callbacks_by_source_agent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceAgentCount {
    /// The source agent.
    pub source_agent_id: String,
    /// Its name.
    pub name: String,
    /// Matched callbacks attributed to it.
    pub count: i64,
}

/// `data` of `GET /api/v1/callback-agents/stats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// A routing decision as the API returns it: the decision's fields, its reason code, and the
/// sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingBody {
    /// The decision (`outcome` and its fields).
    #[serde(flatten)]
    pub decision: RoutingDecision,
    /// `MATCHED`, `OUTSIDE_LOOKBACK`, ...
    pub reason_code: String,
    /// The decision in plain words, with agent names.
    pub explanation: String,
}

impl RoutingBody {
    /// The body for a decision, explained with the directory's names.
    pub fn new(decision: RoutingDecision, names: &AgentDirectory) -> Self {
        RoutingBody {
            reason_code: decision.reason_code().to_owned(),
            explanation: decision.explain(names),
            decision,
        }
    }
}

/// A call as `GET /api/v1/calls` (and its NDJSON export) returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallBody {
    /// Server-assigned id, increasing.
    pub id: u64,
    /// Caller-supplied idempotency key.
    pub external_id: Option<String>,
    /// Which way.
    pub direction: Direction,
    /// Outbound: the agent that placed it.
    pub agent_id: Option<String>,
    /// The caller as presented (inbound calls may withhold it).
    pub from: Option<String>,
    /// The dialed number, E.164.
    pub to: String,
    /// When it started.
    pub started_at: Timestamp,
    /// How it went.
    pub status: CallStatus,
    /// How long it lasted.
    pub duration_seconds: u32,
    /// Inbound only: the decision made when the call was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<RoutingBody>,
}
