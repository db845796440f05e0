//! What can be wrong with a stream's request or with an event a client reads.

use crate::error::ErrorCode;

/// A problem with a live stream, each with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// `types` names a type the stream does not carry.
    #[error("types: {0:?} is not an event type; the types are {list}",
        list = super::filter::type_list())]
    UnknownType(String),
    /// `agent_id` is not an agent id.
    #[error("agent_id: expected an agent id (a UUID), got {0:?}")]
    AgentId(String),
    /// `Last-Event-ID` is not an event id.
    #[error("Last-Event-ID: expected an event id (a decimal integer), got {0:?}")]
    LastEventId(String),
    /// An event the client cannot read: what is wrong, and where.
    #[error("event {id}: {problem}")]
    Unreadable {
        /// Its `id:` (empty if it had none).
        id: String,
        /// What is wrong.
        problem: String,
    },
}

impl ErrorCode for LiveError {
    fn code(&self) -> &'static str {
        match self {
            LiveError::UnknownType(_) => "INVALID_EVENT_TYPE",
            LiveError::AgentId(_) => "INVALID_AGENT_ID",
            LiveError::LastEventId(_) => "INVALID_LAST_EVENT_ID",
            LiveError::Unreadable { .. } => "EVENT_UNREADABLE",
        }
    }
}

impl LiveError {
    /// The query parameter or header it is about.
    pub fn field(&self) -> &'static str {
        match self {
            LiveError::UnknownType(_) => "types",
            LiveError::AgentId(_) => "agent_id",
            LiveError::LastEventId(_) => "Last-Event-ID",
            LiveError::Unreadable { .. } => "data",
        }
    }
}
