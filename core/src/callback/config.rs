//! A callback agent's configuration, and the validation that creates, replaces and dry-runs it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::agent::{AgentDirectory, AgentId};
use crate::call::{CallStatus, StatusSet};
use crate::error::ErrorCode;

/// A valid callback configuration: which outbound agents' contacts this inbound agent takes
/// back, how far back their calls count, and which outcomes make a contact's return a callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackConfig {
    /// The outbound source agents: at least one, no repeats, in the order given.
    pub source_agent_ids: Vec<AgentId>,
    /// Days an outbound call stays "recent" (1–365); `None` means the default, 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_days: Option<LookbackDays>,
    /// Only outbound calls that ended in one of these count; `None` means any outcome counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_trigger_statuses: Option<Vec<CallStatus>>,
}

impl CallbackConfig {
    /// The lookback in force (the default when none was set).
    pub fn lookback(&self) -> LookbackDays {
        self.lookback_days.unwrap_or_default()
    }

    /// Whether an outbound call that ended with `status` can make a later callback match.
    pub fn triggers_on(&self, status: CallStatus) -> bool {
        self.triggers().contains(status)
    }

    /// The statuses that make an outbound call count (all of them when none were set).
    pub fn triggers(&self) -> StatusSet {
        match &self.callback_trigger_statuses {
            None => StatusSet::ALL,
            Some(list) => list.iter().copied().collect(),
        }
    }
}

/// The most source agents one callback agent may list.
pub const MAX_SOURCES: usize = 1_000;

/// How many days back an outbound call still counts as recent: 1 to 365.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(try_from = "u16", into = "u16")]
pub struct LookbackDays(u16);

impl LookbackDays {
    /// The default window: 30 days.
    pub const DEFAULT: LookbackDays = LookbackDays(30);
    /// The longest window: 365 days.
    pub const MAX: LookbackDays = LookbackDays(365);

    /// A window of `days` days, if within 1..=365.
    pub const fn new(days: u16) -> Option<Self> {
        if days >= 1 && days <= Self::MAX.0 {
            Some(LookbackDays(days))
        } else {
            None
        }
    }

    /// The number of days.
    pub const fn days(self) -> u16 {
        self.0
    }

    /// The window in seconds.
    pub const fn seconds(self) -> i64 {
        self.0 as i64 * 86_400
    }
}

impl Default for LookbackDays {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u16> for LookbackDays {
    type Error = String;
    fn try_from(v: u16) -> Result<Self, Self::Error> {
        LookbackDays::new(v).ok_or_else(|| format!("lookback_days must be 1 to 365, got {v}"))
    }
}

impl From<LookbackDays> for u16 {
    fn from(v: LookbackDays) -> u16 {
        v.0
    }
}

/// One problem with a callback configuration request. Every problem found is reported, in
/// the order: target agent, `source_agent_ids` (by index), `lookback_days`,
/// `callback_trigger_statuses` (by index).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The target agent does not exist (or its id is not even a UUID).
    #[error("Agent not found")]
    AgentNotFound(String),
    /// The target agent is outbound. The message is the seed's, word for word.
    #[error("Agent must have direction=inbound to serve as a callback")]
    InvalidAgentDirection,
    /// The agent exists but has no callback role (asked for its role). The message is the
    /// seed's.
    #[error("Agent is not configured as a callback agent")]
    NotACallbackAgent,
    /// `source_agent_ids` is missing, not an array, or empty.
    #[error("source_agent_ids is required: a non-empty array of outbound agent ids")]
    SourceAgentIdsRequired,
    /// An entry is not a UUID string.
    #[error("source_agent_ids[{index}] is not a valid agent id: {value}")]
    InvalidSourceAgentId {
        /// Position in the array.
        index: usize,
        /// The entry, as JSON.
        value: String,
    },
    /// An entry names no agent of this environment.
    #[error("source_agent_ids[{index}]: agent {id} not found")]
    SourceAgentNotFound {
        /// Position in the array.
        index: usize,
        /// The id.
        id: AgentId,
    },
    /// An entry names an inbound agent.
    #[error(
        "source_agent_ids[{index}]: agent {id} ({name}) must have direction=outbound to be a \
         callback source"
    )]
    InvalidSourceAgentDirection {
        /// Position in the array.
        index: usize,
        /// The id.
        id: AgentId,
        /// Its name.
        name: String,
    },
    /// An entry repeats an earlier one.
    #[error("source_agent_ids[{index}]: agent {id} is already listed at index {first}")]
    DuplicateSourceAgentId {
        /// Position of the repeat.
        index: usize,
        /// Position of the first occurrence.
        first: usize,
        /// The id.
        id: AgentId,
    },
    /// `lookback_days` is not an integer from 1 to 365.
    #[error("lookback_days must be an integer from 1 to 365, got {0}")]
    InvalidLookbackDays(String),
    /// More source agents than one configuration may list.
    #[error("source_agent_ids may list at most {max} agents, got {got}")]
    TooManySources {
        /// The limit.
        max: usize,
        /// How many were sent.
        got: usize,
    },
    /// `is_callback_agent` (check-constraints) is not a boolean.
    #[error("is_callback_agent must be true or false, got {0}")]
    InvalidIsCallbackAgent(String),
    /// Both names of the source list were sent (check-constraints): which one counts would be
    /// a guess.
    #[error("send the source agents once: callback_source_agents or source_agent_ids, not both")]
    BothSourceFields,
    /// A trigger status is unknown, or the list is not a non-empty array of strings.
    #[error("{}", match index {
        Some(i) => format!("callback_trigger_statuses[{i}]: unknown call status {value}; expected \
            initiated, ringing, answered, completed, failed, busy, no-answer (or no_answer) or \
            voicemail"),
        None => format!("callback_trigger_statuses must be a non-empty array of call statuses \
            (omit it to count every outbound call), got {value}"),
    })]
    InvalidCallStatus {
        /// Position in the array, if the problem is one entry.
        index: Option<usize>,
        /// The offending JSON.
        value: String,
    },
}

impl ErrorCode for ConfigError {
    fn code(&self) -> &'static str {
        match self {
            ConfigError::AgentNotFound(_) => "AGENT_NOT_FOUND",
            ConfigError::InvalidAgentDirection => "INVALID_AGENT_DIRECTION",
            ConfigError::NotACallbackAgent => "NOT_A_CALLBACK_AGENT",
            ConfigError::SourceAgentIdsRequired => "SOURCE_AGENT_IDS_REQUIRED",
            ConfigError::InvalidSourceAgentId { .. } => "INVALID_SOURCE_AGENT_ID",
            ConfigError::SourceAgentNotFound { .. } => "SOURCE_AGENT_NOT_FOUND",
            ConfigError::InvalidSourceAgentDirection { .. } => "INVALID_SOURCE_AGENT_DIRECTION",
            ConfigError::DuplicateSourceAgentId { .. } => "DUPLICATE_SOURCE_AGENT_ID",
            ConfigError::InvalidLookbackDays(_) => "INVALID_LOOKBACK_DAYS",
            ConfigError::InvalidCallStatus { .. } => "INVALID_CALL_STATUS",
            ConfigError::TooManySources { .. } => "TOO_MANY_ITEMS",
            ConfigError::InvalidIsCallbackAgent(_) => "INVALID_BOOLEAN",
            ConfigError::BothSourceFields => "CONFLICTING_FIELDS",
        }
    }
}

impl ConfigError {
    /// The request field the problem is about (`agent_id` is the path parameter).
    pub fn field(&self) -> &'static str {
        match self {
            ConfigError::AgentNotFound(_)
            | ConfigError::InvalidAgentDirection
            | ConfigError::NotACallbackAgent => "agent_id",
            ConfigError::SourceAgentIdsRequired
            | ConfigError::InvalidSourceAgentId { .. }
            | ConfigError::SourceAgentNotFound { .. }
            | ConfigError::InvalidSourceAgentDirection { .. }
            | ConfigError::DuplicateSourceAgentId { .. }
            | ConfigError::TooManySources { .. } => "source_agent_ids",
            ConfigError::InvalidLookbackDays(_) => "lookback_days",
            ConfigError::InvalidCallStatus { .. } => "callback_trigger_statuses",
            ConfigError::InvalidIsCallbackAgent(_) => "is_callback_agent",
            ConfigError::BothSourceFields => "source_agent_ids",
        }
    }

    /// The field a problem code is about, for answers that carry only a `code` (the seed's
    /// error shape): a client can still put the message next to the right input.
    pub fn field_of_code(code: &str) -> Option<&'static str> {
        Some(match code {
            "AGENT_NOT_FOUND" | "INVALID_AGENT_DIRECTION" => "agent_id",
            "SOURCE_AGENT_IDS_REQUIRED"
            | "INVALID_SOURCE_AGENT_ID"
            | "SOURCE_AGENT_NOT_FOUND"
            | "INVALID_SOURCE_AGENT_DIRECTION"
            | "DUPLICATE_SOURCE_AGENT_ID" => "source_agent_ids",
            "INVALID_LOOKBACK_DAYS" => "lookback_days",
            "INVALID_CALL_STATUS" => "callback_trigger_statuses",
            "NOT_A_CALLBACK_AGENT" => "agent_id",
            _ => return None,
        })
    }

    /// The array position the problem is about, for per-entry problems.
    pub fn index(&self) -> Option<usize> {
        match self {
            ConfigError::InvalidSourceAgentId { index, .. }
            | ConfigError::SourceAgentNotFound { index, .. }
            | ConfigError::InvalidSourceAgentDirection { index, .. }
            | ConfigError::DuplicateSourceAgentId { index, .. } => Some(*index),
            ConfigError::InvalidCallStatus { index, .. } => *index,
            _ => None,
        }
    }

    /// Whether the problem is that the target agent does not exist (rather than that the
    /// configuration is wrong): servers answer that with "not found".
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            ConfigError::AgentNotFound(_) | ConfigError::NotACallbackAgent
        )
    }
}

/// Validates a callback configuration request for `target` (the `{agent_id}` path parameter)
/// against the environment's agents. `body` is the JSON request body as received, so that a
/// missing field, a wrong type and a bad value are each reported precisely.
///
/// The same validation serves create (POST), replace (PUT) and the dry-run check-constraints
/// call. Returns the valid configuration, or every problem found.
///
/// ```
/// use dialback_core::{validate_callback_config, AgentDirectory, ErrorCode};
/// let dir = AgentDirectory::default();
/// let errs = validate_callback_config("not-a-uuid", &serde_json::json!({}), &dir).unwrap_err();
/// let codes: Vec<_> = errs.iter().map(|e| e.code()).collect();
/// assert_eq!(codes, ["AGENT_NOT_FOUND", "SOURCE_AGENT_IDS_REQUIRED"]);
/// ```
pub fn validate_callback_config(
    target: &str,
    body: &Value,
    directory: &AgentDirectory,
) -> Result<CallbackConfig, Vec<ConfigError>> {
    let mut errors = Vec::new();

    match AgentId::parse(target)
        .ok()
        .and_then(|id| directory.get(&id))
    {
        None => errors.push(ConfigError::AgentNotFound(crate::time::clip(target))),
        Some(agent) if !agent.direction.can_take_callbacks() => {
            errors.push(ConfigError::InvalidAgentDirection)
        }
        Some(_) => {}
    }

    let source_agent_ids = sources(body.get("source_agent_ids"), directory, &mut errors);
    let lookback_days = lookback(body.get("lookback_days"), &mut errors);
    let callback_trigger_statuses = triggers(body.get("callback_trigger_statuses"), &mut errors);

    if errors.is_empty() {
        Ok(CallbackConfig {
            source_agent_ids,
            lookback_days,
            callback_trigger_statuses,
        })
    } else {
        Err(errors)
    }
}

fn sources(
    value: Option<&Value>,
    dir: &AgentDirectory,
    errors: &mut Vec<ConfigError>,
) -> Vec<AgentId> {
    let Some(Value::Array(items)) = value else {
        errors.push(ConfigError::SourceAgentIdsRequired);
        return Vec::new();
    };
    if items.is_empty() {
        errors.push(ConfigError::SourceAgentIdsRequired);
    }
    if items.len() > MAX_SOURCES {
        errors.push(ConfigError::TooManySources {
            max: MAX_SOURCES,
            got: items.len(),
        });
        return Vec::new();
    }
    let mut ids: Vec<AgentId> = Vec::with_capacity(items.len());
    // first position of each id: a map, so a long list is checked in linear time
    let mut first_at: std::collections::HashMap<AgentId, usize> = Default::default();
    for (index, item) in items.iter().enumerate() {
        let Some(id) = item.as_str().and_then(|s| AgentId::parse(s).ok()) else {
            errors.push(ConfigError::InvalidSourceAgentId {
                index,
                value: json_clip(item),
            });
            continue;
        };
        if let Some(first) = first_at.get(&id) {
            errors.push(ConfigError::DuplicateSourceAgentId {
                index,
                first: *first,
                id,
            });
            continue;
        }
        first_at.insert(id, index);
        match dir.get(&id) {
            None => errors.push(ConfigError::SourceAgentNotFound { index, id }),
            Some(agent) if !agent.direction.can_be_callback_source() => {
                errors.push(ConfigError::InvalidSourceAgentDirection {
                    index,
                    id,
                    name: agent.name.clone(),
                })
            }
            Some(_) => {}
        }
        ids.push(id);
    }
    ids
}

fn lookback(value: Option<&Value>, errors: &mut Vec<ConfigError>) -> Option<LookbackDays> {
    match value {
        None | Some(Value::Null) => None,
        Some(v) => {
            let days = crate::wire::requests::whole_number(v)
                .and_then(|n| u16::try_from(n).ok())
                .and_then(LookbackDays::new);
            if days.is_none() {
                errors.push(ConfigError::InvalidLookbackDays(json_clip(v)));
            }
            days
        }
    }
}

fn triggers(value: Option<&Value>, errors: &mut Vec<ConfigError>) -> Option<Vec<CallStatus>> {
    let items = match value {
        None | Some(Value::Null) => return None,
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(other) => {
            errors.push(ConfigError::InvalidCallStatus {
                index: None,
                value: json_clip(other),
            });
            return None;
        }
    };
    let mut statuses = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item.as_str().and_then(CallStatus::parse) {
            Some(s) if !statuses.contains(&s) => statuses.push(s),
            Some(_) => {} // `no_answer` next to `no-answer` is the same status, said twice
            None => errors.push(ConfigError::InvalidCallStatus {
                index: Some(index),
                value: json_clip(item),
            }),
        }
    }
    Some(statuses)
}

/// A JSON value written compactly and cut to a readable length, for error messages.
fn json_clip(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 64 {
        format!("{}…", s.chars().take(64).collect::<String>())
    } else {
        s
    }
}
