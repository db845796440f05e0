//! What an agent says and how: its label, description, language and voice settings.
//!
//! Talkover's agent object carries these and its create body accepts more. Dialback runs no
//! voice, so no rule reads them; they are validated as Talkover documents them, stored, and
//! echoed back, so a client that sets them reads them back unchanged.

use serde::{Deserialize, Serialize};

/// The languages Talkover's create-agent page lists.
pub const LANGUAGES: [&str; 12] = [
    "pt-BR", "pt-PT", "en-US", "en-CA", "es-ES", "fr-FR", "de-DE", "it-IT", "nl-NL", "ja-JP",
    "ko-KR", "zh-TW",
];

/// An agent's profile: the agent object's fields that are not rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentProfile {
    /// Display label (defaults to the name).
    pub label: String,
    /// What the agent is for.
    #[serde(default)]
    pub description: Option<String>,
    /// Spoken language, one of [`LANGUAGES`].
    pub language: String,
    /// First utterance of a call.
    #[serde(default)]
    pub initial_message: Option<String>,
    /// `low`, `medium` or `high`.
    pub interrupt_sensitivity: Sensitivity,
    /// Speech speed, 0.1 to 3.0.
    pub conversation_speed: f64,
    /// Seconds before the first utterance, 0 to 60.
    pub initial_message_delay: u8,
    /// Ask "are you still there?" when the line is idle.
    pub ask_if_human_present_on_idle: bool,
    /// `agent` or `user`.
    pub who_speaks_first: WhoSpeaksFirst,
    /// Settings the create body accepts that the agent object does not show; kept so that
    /// nothing a client sent is lost.
    #[serde(default)]
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// The platform it was synced from, and its id there (none for agents made here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<crate::source::Origin>,
}

impl AgentProfile {
    /// The profile of an agent created with only a name: Talkover's documented defaults.
    pub fn for_name(name: &str) -> Self {
        AgentProfile {
            label: name.to_owned(),
            description: None,
            language: "en-US".to_owned(),
            initial_message: None,
            interrupt_sensitivity: Sensitivity::Medium,
            conversation_speed: 1.0,
            initial_message_delay: 0,
            ask_if_human_present_on_idle: false,
            who_speaks_first: WhoSpeaksFirst::Agent,
            settings: serde_json::Map::new(),
            origin: None,
        }
    }
}

/// How readily the agent lets itself be interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// Rarely.
    Low,
    /// The default.
    Medium,
    /// Readily.
    High,
}

impl Sensitivity {
    /// Parses `low`, `medium` or `high`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "low" => Some(Sensitivity::Low),
            "medium" => Some(Sensitivity::Medium),
            "high" => Some(Sensitivity::High),
            _ => None,
        }
    }
}

/// Who opens the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhoSpeaksFirst {
    /// The agent greets.
    Agent,
    /// The agent waits for the caller.
    User,
}

impl WhoSpeaksFirst {
    /// Parses `agent` or `user`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "agent" => Some(WhoSpeaksFirst::Agent),
            "user" => Some(WhoSpeaksFirst::User),
            _ => None,
        }
    }
}
