//! Agents, their numbers and callback configurations, as Talkover's agent object has them.

#![allow(missing_docs)] // the fields mirror documented core types one to one

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use super::*;

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
