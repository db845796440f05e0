//! Agents: ids, directions, lifecycle, numbers, and the directory the rules look agents up in.
//!
//! - [`directory`]: every agent of an environment by id and by owned number, with the rules
//!   on number ownership and on changing an agent's direction;
//! - [`search`]: which agents a list query matches;
//! - [`profile`]: what an agent says and how (label, language, voice settings), stored and
//!   echoed but never used by a rule.

pub mod directory;
pub mod profile;
pub mod search;

pub use directory::{AgentDirectory, DirectoryError};
pub use profile::AgentProfile;
pub use search::AgentQuery;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::callback::CallbackConfig;
use crate::error::ErrorCode;
use crate::phone::PhoneNumber;
use crate::time::Timestamp;

/// An agent's id: a UUID, written in its hyphenated lowercase form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct AgentId(Uuid);

/// Why a string is not an agent id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid agent id {input:?}: expected a UUID")]
pub struct AgentIdError {
    /// The input as given (truncated to 64 characters).
    pub input: String,
}

impl ErrorCode for AgentIdError {
    fn code(&self) -> &'static str {
        "INVALID_AGENT_ID"
    }
}

impl AgentId {
    /// Parses a UUID in its one written form, `8-4-4-4-12` hex digits (either case): the form
    /// the API writes and its schema describes (`format: uuid`).
    pub fn parse(input: &str) -> Result<Self, AgentIdError> {
        Self::parse_hyphenated(input.as_bytes()).ok_or_else(|| AgentIdError {
            input: input.chars().take(64).collect(),
        })
    }

    /// [`AgentId::parse`] for bytes, for bulk paths.
    pub fn parse_bytes(input: &[u8]) -> Option<Self> {
        Self::parse_hyphenated(input)
    }

    /// `8-4-4-4-12` hex digits, read in one pass (bulk reading meets one or more ids per
    /// call).
    fn parse_hyphenated(b: &[u8]) -> Option<Self> {
        if b.len() != 36 {
            return None;
        }
        // two u64 halves: u128 arithmetic is emulated in wasm
        let (mut hi, mut lo): (u64, u64) = (0, 0);
        for (i, c) in b.iter().enumerate() {
            let digit = match c {
                b'-' if matches!(i, 8 | 13 | 18 | 23) => continue,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return None,
            };
            if matches!(i, 8 | 13 | 18 | 23) {
                return None;
            }
            hi = hi << 4 | lo >> 60;
            lo = lo << 4 | u64::from(digit);
        }
        Some(AgentId(Uuid::from_u64_pair(hi, lo)))
    }

    /// Wraps a UUID.
    pub const fn from_uuid(uuid: Uuid) -> Self {
        AgentId(uuid)
    }

    /// The UUID inside.
    pub const fn as_uuid(&self) -> &Uuid {
        &self.0
    }

    /// Builds an id from a number, for tests, benches and generated data.
    pub const fn from_u128(value: u128) -> Self {
        AgentId(Uuid::from_u128(value))
    }
}

impl fmt::Display for AgentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.as_hyphenated().fmt(f)
    }
}

impl fmt::Debug for AgentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AgentId({})", self.0.as_hyphenated())
    }
}

impl FromStr for AgentId {
    type Err = AgentIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Which way an agent's calls go. Only inbound agents can take callbacks; only outbound agents
/// can be callback sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Answers calls to the numbers it owns.
    Inbound,
    /// Places calls to contacts.
    Outbound,
}

impl Direction {
    /// The wire spelling, `inbound` or `outbound`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inbound" => Some(Direction::Inbound),
            "outbound" => Some(Direction::Outbound),
            _ => None,
        }
    }

    /// Whether an agent of this direction may be a callback agent: callbacks arrive on the
    /// numbers an agent answers, so only an inbound one. The configuration validator refuses
    /// any other (`INVALID_AGENT_DIRECTION`), and the console offers only these.
    pub const fn can_take_callbacks(self) -> bool {
        matches!(self, Direction::Inbound)
    }

    /// Whether an agent of this direction may be a source agent: a callback answers a call
    /// the source placed, so only an outbound one (`INVALID_SOURCE_AGENT_DIRECTION` otherwise).
    pub const fn can_be_callback_source(self) -> bool {
        matches!(self, Direction::Outbound)
    }
}

/// An agent as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// Its id.
    pub id: AgentId,
    /// Its display name.
    pub name: String,
    /// Inbound or outbound.
    pub direction: Direction,
    /// The numbers it owns (an inbound call to one of them is its call).
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumber>,
    /// Its callback role, if it is a callback agent.
    #[serde(default)]
    pub callback_config: Option<CallbackConfig>,
}

/// An agent as a server stores it. Its numbers are not here: they are resources of their own
/// ([`NumberResource`](crate::phone::NumberResource)), each naming the agent it is assigned to,
/// so that one list is the truth about who owns what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentRecord {
    /// Its id.
    pub id: AgentId,
    /// Its name.
    pub name: String,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Its callback role, if it is a callback agent.
    pub callback_config: Option<CallbackConfig>,
    /// Draft or published.
    pub status: AgentStatus,
    /// Label, language, voice settings.
    pub profile: AgentProfile,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl AgentRecord {
    /// The agent as the rules see it, owning `phone_numbers`.
    pub fn agent(&self, phone_numbers: Vec<PhoneNumber>) -> Agent {
        Agent {
            id: self.id,
            name: self.name.clone(),
            direction: self.direction,
            phone_numbers,
            callback_config: self.callback_config.clone(),
        }
    }
}

/// An agent's lifecycle state. New agents are drafts; publishing is recorded, shown and
/// filtered on, but it does not gate routing: Dialback routes the calls it is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    /// Being set up (every agent starts here).
    #[default]
    Draft,
    /// Live.
    Published,
}

impl AgentStatus {
    /// The wire spelling, `draft` or `published`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AgentStatus::Draft => "draft",
            AgentStatus::Published => "published",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(AgentStatus::Draft),
            "published" => Some(AgentStatus::Published),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AgentId;

    /// The one written form is read as the `uuid` crate reads it; the other forms that
    /// crate knows (simple, braced, URN) are refused, as the API's schema says.
    #[test]
    fn only_the_hyphenated_form_is_read_and_as_the_uuid_crate_reads_it() {
        for s in [
            "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c01",
            "5B0C2A36-8F4E-4A59-9D61-0F2D2F6A1C01",
            "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c0g",
            "5b0c2a36-8f4e-4a59-9d61+0f2d2f6a1c01",
            "5b0c2a3-68f4e-4a59-9d61-0f2d2f6a1c01",
            "5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c0",
            "",
        ] {
            let ours = AgentId::parse(s).ok().map(|a| *a.as_uuid());
            assert_eq!(ours, uuid::Uuid::try_parse(s).ok(), "{s}");
        }
        for other in [
            "5b0c2a368f4e4a599d610f2d2f6a1c01",
            "{5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c01}",
            "urn:uuid:5b0c2a36-8f4e-4a59-9d61-0f2d2f6a1c01",
        ] {
            assert!(uuid::Uuid::try_parse(other).is_ok());
            assert!(AgentId::parse(other).is_err(), "{other}");
        }
    }
}
