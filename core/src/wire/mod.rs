//! The JSON shapes of the two APIs, exactly as their docs show them, and validators that check
//! responses received from any server that speaks them.
//!
//! Wire types are deliberately loose where the domain types are strict: ids are plain strings
//! (the Talkover docs themselves use `agent-uuid-1`), counts are signed (so a validator can say
//! "negative" instead of failing to parse). Strict parsing happens when a shell turns a request
//! into domain values; these types describe what is on the wire.
//!
//! The dependency goes one way: the domain returns typed results (ids, unsigned counts), and
//! this module converts them to the wire at the edge (`AgentBody::new`,
//! `CallbackStatsData::new`, `UsageByAgentResponse::from`, ...). Constructors that write a
//! number's country or formatted forms need the `regions` feature.

pub mod agentphone;
pub mod agents;
pub mod feed;
pub mod lines;
pub mod requests;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod talkover;
pub mod validate;

use serde::{Deserialize, Serialize};

/// One problem, in the form both shells put on the wire and the console shows beside a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// Stable code, e.g. `SOURCE_AGENT_NOT_FOUND`.
    pub code: String,
    /// Human message.
    pub message: String,
    /// The request field it is about.
    pub field: String,
    /// The array position, for per-entry problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

impl FieldError {
    /// From any core error that knows its field.
    pub fn new(code: &str, message: impl Into<String>, field: &str, index: Option<usize>) -> Self {
        FieldError {
            code: code.to_owned(),
            message: message.into(),
            field: field.to_owned(),
            index,
        }
    }
}

impl From<&crate::callback::ConfigError> for FieldError {
    fn from(e: &crate::callback::ConfigError) -> Self {
        use crate::error::ErrorCode;
        FieldError::new(e.code(), e.to_string(), e.field(), e.index())
    }
}

impl From<&crate::agent::DirectoryError> for FieldError {
    fn from(e: &crate::agent::DirectoryError) -> Self {
        use crate::error::ErrorCode;
        FieldError::new(e.code(), e.to_string(), "phone_numbers", None)
    }
}

impl From<&crate::time::TimeError> for FieldError {
    fn from(e: &crate::time::TimeError) -> Self {
        use crate::error::ErrorCode;
        FieldError::new(e.code(), e.to_string(), e.field(), None)
    }
}
