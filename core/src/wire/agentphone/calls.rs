//! AgentPhone's call object and call lists (`GET /v1/calls`, `/v1/calls/{id}`,
//! `/v1/agents/{id}/calls`, `/v1/numbers/{id}/calls`), read-only: Dialback places no calls.

use serde::{Deserialize, Serialize};

/// A call as AgentPhone lists it: the documented example's keys (every key the official SDK
/// requires among them), plus `direction` and `agentName`, which its clients read too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CallObject {
    /// Id.
    pub id: String,
    /// The agent that placed or took it.
    #[serde(default)]
    pub agent_id: Option<String>,
    /// The id of the agent-side number, if it is one of the environment's numbers.
    #[serde(default)]
    pub phone_number_id: Option<String>,
    /// The agent-side number.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The caller as presented (`""` when withheld).
    pub from_number: String,
    /// The dialed number.
    pub to_number: String,
    /// `inbound` or `outbound`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// How it went (Dialback's call statuses).
    pub status: String,
    /// When it started.
    pub started_at: String,
    /// When it ended.
    #[serde(default)]
    pub ended_at: Option<String>,
    /// Its length.
    #[serde(default)]
    pub duration_seconds: Option<u64>,
    /// The last thing said (`null`: Dialback keeps no transcripts).
    #[serde(default)]
    pub last_transcript_snippet: Option<String>,
    /// The agent's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    /// Transcript turns (`GET /v1/calls/{id}` only; always empty here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcripts: Option<Vec<serde_json::Value>>,
    /// Whether a recording can be fetched (`GET /v1/calls/{id}` only; never here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_available: Option<bool>,
}

/// `{"data": [...], "hasMore": ..., "total": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CallList {
    /// This page.
    pub data: Vec<CallObject>,
    /// Whether more follow.
    pub has_more: bool,
    /// Calls over all pages.
    pub total: u64,
}

impl CallObject {
    /// The object for a stored call; `number_id` is the agent-side number's resource id,
    /// `agent_name` its agent's name.
    pub fn new(
        c: &crate::call::CallRecord,
        number_id: Option<String>,
        agent_name: Option<String>,
    ) -> Self {
        let agent_side = crate::usage::agent_side_number(
            c.direction,
            c.from
                .as_deref()
                .and_then(|f| crate::phone::PhoneNumber::parse(f).ok()),
            Some(c.to),
        );
        CallObject {
            id: c.id.to_string(),
            agent_id: c.agent_id.map(|a| a.to_string()),
            phone_number_id: number_id,
            phone_number: agent_side.map(|n| n.to_string()),
            from_number: c.from.clone().unwrap_or_default(),
            to_number: c.to.to_string(),
            direction: Some(c.direction.as_str().to_owned()),
            status: c.status.as_str().to_owned(),
            started_at: c.started_at.to_string(),
            ended_at: Some(c.ended_at().to_string()),
            duration_seconds: Some(u64::from(c.duration_seconds)),
            last_transcript_snippet: None,
            agent_name,
            transcripts: None,
            recording_available: None,
        }
    }

    /// With the fields only `GET /v1/calls/{id}` shows.
    pub fn detailed(mut self) -> Self {
        self.transcripts = Some(Vec::new());
        self.recording_available = Some(false);
        self
    }
}
