//! Calls as the call list returns them, calls to route, and routing decisions.

#![allow(missing_docs)] // the fields mirror documented core types one to one

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::*;

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
