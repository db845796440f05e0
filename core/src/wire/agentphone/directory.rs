//! AgentPhone's agents and numbers (`GET /v1/agents`, `/v1/agents/{id}`, `/v1/numbers`,
//! `/v1/numbers/{id}`), read-only, over Dialback's own agents and numbers: one agent, seen
//! through either API, is the same agent. The official SDK's models are the contract (its
//! `Agent`, `AgentNumber`, `PhoneNumber` and their lists): every key they require is here,
//! with the optional ones Dialback has an answer for.

use serde::{Deserialize, Serialize};

use crate::agent::AgentRecord;
use crate::phone::NumberResource;

/// What every number of Dialback's is: a voice line the environment answers on or calls from.
pub const VOICE: &str = "voice";

/// A number as an agent lists it (the SDK's `AgentNumber`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AgentNumberObject {
    /// The number resource's id.
    pub id: String,
    /// E.164.
    pub phone_number: String,
    /// `active`.
    pub status: String,
    /// `voice`.
    #[serde(rename = "type")]
    pub kind: String,
}

impl From<&NumberResource> for AgentNumberObject {
    fn from(n: &NumberResource) -> Self {
        AgentNumberObject {
            id: n.id.to_string(),
            phone_number: n.number.to_string(),
            status: crate::wire::talkover::numbers::ACTIVE.to_owned(),
            kind: VOICE.to_owned(),
        }
    }
}

/// An agent (the SDK's `Agent`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AgentObject {
    /// The agent's id (the same as in `/api/v1/agents`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description, if it has one.
    pub description: Option<String>,
    /// When it was created.
    pub created_at: String,
    /// Its language (BCP 47, as `/api/v1/agents` has it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// What it says first, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub begin_message: Option<String>,
    /// Its numbers, in their order.
    pub numbers: Vec<AgentNumberObject>,
    /// Extension: `inbound` or `outbound`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// Extension: the platform it was synced from and its id there; absent for agents made
    /// here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<crate::source::Origin>,
}

impl AgentObject {
    /// The agent with its numbers.
    pub fn new(agent: &AgentRecord, numbers: &[NumberResource]) -> Self {
        AgentObject {
            id: agent.id.to_string(),
            name: agent.name.clone(),
            description: agent.profile.description.clone(),
            created_at: agent.created_at.to_string(),
            language: Some(agent.profile.language.clone()),
            begin_message: agent.profile.initial_message.clone(),
            numbers: numbers.iter().map(AgentNumberObject::from).collect(),
            direction: Some(agent.direction.as_str().to_owned()),
            origin: agent.profile.origin.clone(),
        }
    }
}

/// `GET /v1/agents` (the SDK's `AgentList`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AgentListResponse {
    /// This page, in the order agents were created.
    pub data: Vec<AgentObject>,
    /// Whether more follow.
    pub has_more: bool,
    /// How many there are.
    pub total: u64,
}

/// A number (the SDK's `PhoneNumber`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NumberObject {
    /// The number resource's id (the same as in `/api/v1/phone-numbers`).
    pub id: String,
    /// E.164.
    pub phone_number: String,
    /// ISO country (`ZZ` if unknown).
    pub country: String,
    /// `active`.
    pub status: String,
    /// The agent it is assigned to.
    pub agent_id: Option<String>,
    /// When it was added.
    pub created_at: String,
    /// `voice`.
    #[serde(rename = "type")]
    pub kind: String,
}

#[cfg(feature = "regions")]
impl From<&NumberResource> for NumberObject {
    fn from(n: &NumberResource) -> Self {
        NumberObject {
            id: n.id.to_string(),
            phone_number: n.number.to_string(),
            country: n.number.formats().country,
            status: crate::wire::talkover::numbers::ACTIVE.to_owned(),
            agent_id: n.agent.map(|a| a.to_string()),
            created_at: n.created_at.to_string(),
            kind: VOICE.to_owned(),
        }
    }
}

/// `GET /v1/numbers` (the SDK's `PhoneNumberList`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NumberListResponse {
    /// This page, in the order numbers were added.
    pub data: Vec<NumberObject>,
    /// Whether more follow.
    pub has_more: bool,
    /// How many there are.
    pub total: u64,
}
