//! Parsing requests (bodies and query strings) into domain values, reporting every problem
//! with its field: the same rules for the server, the console and npm users.
//!
//! - [`agents`]: creating, editing, publishing agents, their calling settings and knowledge;
//! - [`numbers`]: adding numbers;
//! - [`calls`]: recording calls and messages;
//! - [`callback`]: the check-constraints body;
//! - [`queries`]: the list endpoints' query strings;
//! - [`simulation`]: the routing simulator.
//!
//! Every problem is a [`RequestError`], whose `code()` is stable.

pub mod agentphone_agents;
pub mod agents;
pub mod callback;
pub mod calls;
pub mod numbers;
pub mod queries;
pub mod simulation;
pub mod stats;
pub mod usage;
pub mod webhooks;

mod error;
mod reader;

pub use agents::{AgentPatch, CallingUpdate, KnowledgeUpdate, NewAgent};
pub use calls::{ExternalIdConflict, NewCall, NewMessage, check_agent_reference};
pub use error::{Expected, RequestError, clip, field_errors};
pub use numbers::NewNumber;
pub use reader::{INVISIBLE, hidden_in_name, hidden_in_text, is_invisible};
pub(crate) use reader::{Reader, whole_number};
pub use simulation::Simulation;

/// The longest name or label accepted, in characters (Talkover's documented limit).
pub const MAX_NAME_CHARS: usize = 255;
/// The longest `external_id` accepted, in characters.
pub const MAX_EXTERNAL_ID_CHARS: usize = 200;
/// The longest inbound `from` accepted, in characters (a SIP URI with parameters fits).
pub const MAX_FROM_CHARS: usize = 256;
/// The longest call accepted: one day.
pub const MAX_DURATION_SECONDS: u64 = 86_400;
/// The most numbers one agent may own.
pub const MAX_NUMBERS_PER_AGENT: usize = 1_000;
/// The longest free text (description, prompt) accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The longest `search` of a list, in characters: it travels in the address, which servers
/// and proxies cut at a few kilobytes.
pub const MAX_SEARCH_CHARS: usize = 256;

/// What the parsers' tests compare: each problem's code and field.
#[cfg(test)]
pub(crate) mod test_support {
    use super::RequestError;
    use crate::error::ErrorCode;

    /// The `(code, field)` of each problem of a parse, none if it succeeded.
    pub fn codes<T: std::fmt::Debug>(
        r: Result<T, Vec<RequestError>>,
    ) -> Vec<(&'static str, String)> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(|e| (e.code(), e.field().to_owned()))
            .collect()
    }

    /// Expected `(code, field)` pairs, written as string slices.
    pub fn pairs(list: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        list.iter().map(|(a, b)| (*a, (*b).to_owned())).collect()
    }
}
