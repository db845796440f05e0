//! Turning stored columns back into the core's values, the same way for every backend: a
//! value that does not parse is a `Corrupt` row, never a panic or a guess.

use dialback_core::{
    AgentId, AgentProfile, AgentRecord, AgentStatus, CallId, CallRecord, CallStatus,
    CallbackConfig, Direction, MessageRecord, NumberId, NumberResource, PhoneNumber,
    RoutingDecision, Timestamp,
};

use super::{Result, StoreError};

pub(super) fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

pub(super) fn ts(secs: i64) -> Result<Timestamp> {
    Timestamp::from_unix_seconds(secs).ok_or_else(|| corrupt(format!("timestamp {secs}")))
}

pub(super) fn agent_id(s: &str) -> Result<AgentId> {
    AgentId::parse(s).map_err(corrupt)
}

pub(super) fn number(s: &str) -> Result<PhoneNumber> {
    PhoneNumber::parse(s).map_err(corrupt)
}

pub(super) fn direction(s: &str) -> Result<Direction> {
    Direction::parse(s).ok_or_else(|| corrupt(format!("direction {s:?}")))
}

pub(super) fn json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| corrupt(format!("{what}: {e}")))
}

pub(super) fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(corrupt)
}

pub(crate) fn id64(id: u64) -> Result<i64> {
    i64::try_from(id).map_err(corrupt)
}

/// A `calls` row as stored.
pub(super) struct RawCall {
    pub id: i64,
    pub external_id: Option<String>,
    pub direction: String,
    pub agent_id: Option<String>,
    pub from: Option<String>,
    pub to: String,
    pub started_at: i64,
    pub status: String,
    pub duration_seconds: i64,
    pub routing: Option<String>,
}

impl RawCall {
    pub fn decode(self) -> Result<CallRecord> {
        Ok(CallRecord {
            id: CallId(u64::try_from(self.id).map_err(corrupt)?),
            external_id: self.external_id,
            direction: direction(&self.direction)?,
            agent_id: self.agent_id.as_deref().map(agent_id).transpose()?,
            from: self.from,
            to: number(&self.to)?,
            started_at: ts(self.started_at)?,
            status: CallStatus::parse(&self.status)
                .ok_or_else(|| corrupt(format!("status {:?}", self.status)))?,
            duration_seconds: u32::try_from(self.duration_seconds).map_err(corrupt)?,
            routing: self
                .routing
                .map(|r| json::<RoutingDecision>("routing", &r))
                .transpose()?,
        })
    }
}

/// An `agents` row as stored.
pub(super) struct RawAgent {
    pub id: String,
    pub name: String,
    pub direction: String,
    pub callback_config: Option<String>,
    pub status: String,
    pub profile: Option<String>,
    pub created_at: i64,
    pub updated_at: Option<i64>,
}

impl RawAgent {
    pub fn decode(self) -> Result<AgentRecord> {
        Ok(AgentRecord {
            id: agent_id(&self.id)?,
            profile: match self.profile {
                Some(p) => json::<AgentProfile>("profile", &p)?,
                None => AgentProfile::for_name(&self.name),
            },
            direction: direction(&self.direction)?,
            callback_config: self
                .callback_config
                .map(|c| json::<CallbackConfig>("callback_config", &c))
                .transpose()?,
            status: AgentStatus::parse(&self.status)
                .ok_or_else(|| corrupt(format!("status {:?}", self.status)))?,
            created_at: ts(self.created_at)?,
            updated_at: ts(self.updated_at.unwrap_or(self.created_at))?,
            name: self.name,
        })
    }
}

/// A `phone_numbers` row as stored.
pub(super) struct RawNumber {
    pub id: String,
    pub number: String,
    pub agent_id: Option<String>,
    pub position: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl RawNumber {
    pub fn decode(self) -> Result<NumberResource> {
        Ok(NumberResource {
            id: NumberId::parse(&self.id)
                .ok_or_else(|| corrupt(format!("number id {:?}", self.id)))?,
            number: number(&self.number)?,
            agent: self.agent_id.as_deref().map(agent_id).transpose()?,
            position: u32::try_from(self.position).map_err(corrupt)?,
            created_at: ts(self.created_at)?,
            updated_at: ts(self.updated_at)?,
        })
    }
}

/// A `messages` row as stored.
pub(super) struct RawMessage {
    pub id: i64,
    pub agent_id: Option<String>,
    pub direction: String,
    pub from: String,
    pub to: String,
    pub sent_at: i64,
}

impl RawMessage {
    pub fn decode(self) -> Result<MessageRecord> {
        Ok(MessageRecord {
            id: u64::try_from(self.id).map_err(corrupt)?,
            agent_id: self.agent_id.as_deref().map(agent_id).transpose()?,
            direction: direction(&self.direction)?,
            from: number(&self.from)?,
            to: number(&self.to)?,
            sent_at: ts(self.sent_at)?,
        })
    }
}
