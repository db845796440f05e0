//! Phone numbers as resources: an environment's numbers, each with an id, assigned to at
//! most one agent.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::PhoneNumber;
use crate::agent::AgentId;
use crate::time::Timestamp;

/// A phone number resource's id: a UUID, written hyphenated and lowercase.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NumberId(Uuid);

impl NumberId {
    /// Parses a UUID; `None` for anything else (such an id names no number here).
    pub fn parse(input: &str) -> Option<Self> {
        Uuid::try_parse(input).ok().map(NumberId)
    }

    /// Wraps a UUID.
    pub const fn from_uuid(uuid: Uuid) -> Self {
        NumberId(uuid)
    }

    /// Builds an id from a number, for tests and generated data.
    pub const fn from_u128(value: u128) -> Self {
        NumberId(Uuid::from_u128(value))
    }
}

impl fmt::Display for NumberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.as_hyphenated().fmt(f)
    }
}

impl fmt::Debug for NumberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NumberId({})", self.0.as_hyphenated())
    }
}

/// One of an environment's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberResource {
    /// Its id.
    pub id: NumberId,
    /// The number.
    pub number: PhoneNumber,
    /// The agent it is assigned to, if any.
    pub agent: Option<AgentId>,
    /// Its place among its agent's numbers (0 when unassigned).
    pub position: u32,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it was last assigned or released.
    pub updated_at: Timestamp,
}

/// A problem with an environment's numbers as resources.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Adding a number the environment has already.
    #[error("{0} is already one of this environment's numbers")]
    AlreadyExists(String),
    /// A number id that names none of the environment's numbers (or not the agent's own).
    #[error("no number {0:?} in this environment")]
    NotFound(String),
}

impl crate::error::ErrorCode for NumberError {
    fn code(&self) -> &'static str {
        match self {
            NumberError::AlreadyExists(_) => "NUMBER_ALREADY_EXISTS",
            NumberError::NotFound(_) => "PHONE_NUMBER_NOT_FOUND",
        }
    }
}

impl NumberError {
    /// A number id not found; the id is clipped for the message.
    pub fn not_found(id: &str) -> NumberError {
        NumberError::NotFound(crate::time::clip(id))
    }
}

#[cfg(test)]
mod number_error_tests {
    use super::NumberError;
    use crate::error::ErrorCode;

    #[test]
    fn codes_and_words() {
        let e = NumberError::AlreadyExists("+14155550100".into());
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            (
                "NUMBER_ALREADY_EXISTS",
                "+14155550100 is already one of this environment's numbers"
            )
        );
        let e = NumberError::not_found(&"x".repeat(100));
        assert_eq!(e.code(), "PHONE_NUMBER_NOT_FOUND");
        assert!(e.to_string().len() < 100, "the id is clipped: {e}");
    }
}
