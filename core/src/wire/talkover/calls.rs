//! The call object of `GET /api/v1/calls` and `GET /api/v1/agents/{id}/calls`, with
//! Dialback's extensions (`external_id`, the routing decision), the import report, and the
//! message object.

use serde::{Deserialize, Serialize};

use super::agents::AgentRef;
use crate::agent::{AgentDirectory, AgentId, Direction};
use crate::call::{CallId, CallRecord, CallStatus, MessageRecord};
use crate::callback::RoutingDecision;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;
use crate::wire::FieldError;

/// A call as the per-agent list returns it (the documented item without `agent`).
///
/// `created_at` is when the call started and `updated_at` when it ended (start plus
/// duration), as in the documented example; `sid` is the call's `external_id`, the
/// telephony provider's id when the client sent one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallBody {
    /// Id (a string; Dialback's are decimal integers).
    pub id: String,
    /// The telephony provider's call id (`external_id`), if known.
    #[serde(default)]
    pub sid: Option<String>,
    /// The dialed number.
    pub to: String,
    /// Its national form.
    #[serde(default)]
    pub to_formatted: Option<String>,
    /// The caller as presented; `null` when withheld.
    #[serde(default)]
    pub from: Option<String>,
    /// Its national form, when it is a number.
    #[serde(default)]
    pub from_formatted: Option<String>,
    /// A test call.
    #[serde(default)]
    pub is_testing: bool,
    /// Which way.
    pub direction: Direction,
    /// How it went.
    pub status: CallStatus,
    /// Seconds.
    #[serde(default)]
    pub duration: u32,
    /// When it started.
    pub created_at: Timestamp,
    /// When it ended.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// Extension: the idempotency key it was recorded with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Extension: inbound only, the decision made when the call was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<RoutingBody>,
}

/// A call as `GET /api/v1/calls` returns it: with its agent (`null` when it has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallItem {
    /// The call.
    #[serde(flatten)]
    pub call: CallBody,
    /// The agent that placed or took it.
    #[serde(default)]
    pub agent: Option<AgentRef>,
}

/// What routing reads of a listed call: a call item has more, and a client routing against
/// a long history need not read it. Reads the documented item and the shape Dialback wrote
/// before (`started_at`, `agent_id`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RoutingFields {
    /// Id (a string; a number is read too).
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    /// Which way.
    pub direction: Direction,
    /// The call's agent.
    #[serde(default)]
    pub agent: Option<AgentIdField>,
    /// The call's agent, as Dialback wrote it before.
    #[serde(default)]
    pub agent_id: Option<String>,
    /// The dialed number.
    pub to: String,
    /// When it started.
    #[serde(alias = "started_at")]
    pub created_at: Timestamp,
    /// How it went.
    pub status: CallStatus,
}

/// `{"id": ...}` of a call's agent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AgentIdField {
    /// The agent's id.
    pub id: String,
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(match Id::deserialize(d)? {
        Id::Text(s) => s,
        Id::Number(n) => n.to_string(),
    })
}

impl RoutingFields {
    /// The call as a record for the rules (routing looks outbound calls up through
    /// [`CallRecord::outbound_entry`]). A server whose ids are not numbers (the docs'
    /// `call-uuid-1`) gets `position` as the call's id: ids only break ties between calls
    /// started in the same second, and list order does that too.
    pub fn to_record(&self, position: u64) -> Result<CallRecord, String> {
        let agent = self
            .agent
            .as_ref()
            .map(|a| a.id.as_str())
            .or(self.agent_id.as_deref());
        let agent_id = agent
            .map(AgentId::parse)
            .transpose()
            .map_err(|e| format!("agent.id: {e}"))?;
        Ok(CallRecord {
            id: CallId(self.id.parse().unwrap_or(position)),
            external_id: None,
            direction: self.direction,
            agent_id,
            from: None,
            to: PhoneNumber::parse(&self.to).map_err(|e| format!("to: {e}"))?,
            started_at: self.created_at,
            status: self.status,
            duration_seconds: 0,
            routing: None,
        })
    }
}

/// A routing decision as the API returns it: the decision's fields, its reason code, and the
/// sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
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

#[cfg(feature = "regions")]
impl CallBody {
    /// The object for a stored call, its decision explained with the directory's names.
    pub fn new(c: &CallRecord, names: &AgentDirectory) -> Self {
        let from_formatted = c
            .from
            .as_deref()
            .and_then(|f| PhoneNumber::parse(f).ok())
            .map(|n| n.formats().national);
        CallBody {
            id: c.id.to_string(),
            sid: c.external_id.clone(),
            to: c.to.to_string(),
            to_formatted: Some(c.to.formats().national),
            from: c.from.clone(),
            from_formatted,
            is_testing: false,
            direction: c.direction,
            status: c.status,
            duration: c.duration_seconds,
            created_at: c.started_at,
            updated_at: Some(c.ended_at()),
            external_id: c.external_id.clone(),
            routing: c.routing.map(|d| RoutingBody::new(d, names)),
        }
    }
}

/// What `POST /api/v1/calls/import` did with an NDJSON body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ImportReport {
    /// Lines read (the file's physical lines, blank ones included).
    pub lines: u64,
    /// Calls stored.
    pub created: u64,
    /// Lines whose `external_id` was stored before, with the same content.
    pub existing: u64,
    /// Lines refused.
    pub rejected: u64,
    /// The first refused lines, each with its number and problems.
    pub rejections: Vec<Rejection>,
    /// `true` if the body was cut short by the size limit: lines before were processed.
    pub truncated: bool,
}

/// One refused import line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Rejection {
    /// Its line number in the file (1-based).
    pub line: u64,
    /// Why.
    pub errors: Vec<FieldError>,
}

/// A message as `POST /api/v1/messages` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "openapi", schemars(rename = "RecordedMessage"))]
pub struct MessageBody {
    /// Id.
    pub id: u64,
    /// Its agent.
    pub agent_id: Option<String>,
    /// Which way.
    pub direction: Direction,
    /// Sender.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// When.
    pub sent_at: Timestamp,
}

impl From<&MessageRecord> for MessageBody {
    fn from(m: &MessageRecord) -> Self {
        MessageBody {
            id: m.id,
            agent_id: m.agent_id.map(|a| a.to_string()),
            direction: m.direction,
            from: m.from.to_string(),
            to: m.to.to_string(),
            sent_at: m.sent_at,
        }
    }
}
