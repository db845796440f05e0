//! Where a record came from: the platform and the record's id there.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A platform Dialback reads from, by the API it documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Talkover's REST API (`/api/v1/...`).
    Talkover,
    /// AgentPhone's REST API (`/v1/...`).
    Agentphone,
}

impl Platform {
    /// Its name on the wire and in the command line: `talkover` or `agentphone`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Platform::Talkover => "talkover",
            Platform::Agentphone => "agentphone",
        }
    }

    /// Parses [`Platform::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "talkover" => Some(Platform::Talkover),
            "agentphone" => Some(Platform::Agentphone),
            _ => None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A synced agent's platform and its id there, kept beside Dialback's own id so that both are
/// visible (a platform id that is not a UUID, such as AgentPhone's `agt_…`, is mapped to a
/// Dialback id that cannot be read back into it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Origin {
    /// The platform.
    pub platform: Platform,
    /// The agent's id there.
    pub id: String,
}
