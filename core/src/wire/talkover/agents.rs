//! The agent object and the callback endpoints' views of an agent.
//!
//! Reading is lenient (a server may leave out what we do not need; ids are any string, as
//! the docs' own `agent-uuid-1` is), writing is exactly the documented shape.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::agent::{AgentRecord, AgentStatus, Direction};
use crate::callback::CallbackConfig;
#[cfg(feature = "regions")]
use crate::time::Timestamp;

/// An agent as `GET /api/v1/agents` and `GET /api/v1/agents/{id}` return it: the documented
/// agent object. Dialback has no voice, trainings or actions, so it writes `voice: null` and
/// empty lists; `callback_config` is the callback role (absent from the documented object,
/// as the callback endpoints show it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AgentBody {
    /// Id.
    pub id: String,
    /// Internal name.
    pub name: String,
    /// Display label.
    #[serde(default)]
    pub label: Option<String>,
    /// Purpose.
    #[serde(default)]
    pub description: Option<String>,
    /// Spoken language, e.g. `en-US`.
    #[serde(default)]
    pub language: Option<String>,
    /// Voice configuration (`null` here).
    #[serde(default)]
    pub voice: Value,
    /// First utterance.
    #[serde(default)]
    pub initial_message: Option<String>,
    /// `low`, `medium` or `high`.
    #[serde(default)]
    pub interrupt_sensitivity: Option<String>,
    /// Speech speed.
    #[serde(default)]
    pub conversation_speed: Option<f64>,
    /// Seconds before the first utterance.
    #[serde(default)]
    pub initial_message_delay: Option<u32>,
    /// Asks whether the caller is still there.
    #[serde(default)]
    pub ask_if_human_present_on_idle: Option<bool>,
    /// `inbound` or `outbound`.
    pub direction: Direction,
    /// `agent` or `user`.
    #[serde(default)]
    pub who_speaks_first: Option<String>,
    /// `draft` or `published`.
    #[serde(default)]
    pub current_status: AgentStatus,
    /// Sandbox agent.
    #[serde(default)]
    pub is_sandbox: bool,
    /// Whether it could be published.
    #[serde(default)]
    pub is_ready_to_publish: bool,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Trainings (none here).
    #[serde(default)]
    pub trainings: Vec<Value>,
    /// Actions (none here).
    #[serde(default)]
    pub actions: Vec<Value>,
    /// Its numbers.
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumberRef>,
    /// Its callback role; absent when it has none (the documented agent object has no such
    /// key; the callback endpoints show it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_config: Option<CallbackConfigBody>,
    /// Extension: the platform it was synced from and its id there; absent for agents made
    /// here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<crate::source::Origin>,
}

impl AgentBody {
    /// The label to show: the label, or the name when a server sent none.
    pub fn display_label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }

    /// Its numbers as written (`number` of each).
    pub fn numbers(&self) -> impl Iterator<Item = &str> {
        self.phone_numbers.iter().map(|n| n.number.as_str())
    }
}

/// A number inside an agent object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PhoneNumberRef {
    /// The number resource's id.
    #[serde(default)]
    pub id: String,
    /// E.164.
    pub number: String,
    /// ISO country, e.g. `US`.
    #[serde(default)]
    pub country_code: String,
    /// National form, e.g. `(415) 555-0100`.
    #[serde(default)]
    pub formatted_number: String,
    /// International form (absent in the calling-settings answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub international_number: Option<String>,
    /// `active`.
    #[serde(default)]
    pub current_status: String,
}

/// `{id, name, label}`: an agent named inside another object (a call's agent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AgentRef {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Label.
    #[serde(default)]
    pub label: Option<String>,
}

impl From<&AgentRecord> for AgentRef {
    fn from(r: &AgentRecord) -> Self {
        AgentRef {
            id: r.id.to_string(),
            name: r.name.clone(),
            label: Some(r.profile.label.clone()),
        }
    }
}

/// An agent's `callback_config`. Trigger statuses are written as Talkover's callback pages
/// spell them (`no_answer`); either spelling is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackConfigBody {
    /// Outbound agent ids.
    pub source_agent_ids: Vec<String>,
    /// Extension: present when it was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_days: Option<u16>,
    /// Extension: present when it was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_trigger_statuses: Option<Vec<String>>,
}

impl From<&CallbackConfig> for CallbackConfigBody {
    fn from(c: &CallbackConfig) -> Self {
        CallbackConfigBody {
            source_agent_ids: c.source_agent_ids.iter().map(|id| id.to_string()).collect(),
            lookback_days: c.lookback_days.map(|d| d.days()),
            callback_trigger_statuses: c
                .callback_trigger_statuses
                .as_ref()
                .map(|list| list.iter().map(|s| s.as_trigger_str().to_owned()).collect()),
        }
    }
}

/// The body of `POST` and `PUT /api/v1/agents/{id}/callback`: the seed's `source_agent_ids`,
/// and our two extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SetCallbackRequest {
    /// Outbound agent ids.
    pub source_agent_ids: Vec<String>,
    /// Extension: the lookback window in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_days: Option<u16>,
    /// Extension: statuses that make an outbound call count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_trigger_statuses: Option<Vec<String>>,
}

/// The body of `POST /api/v1/callback-agents/{id}/check-constraints`, as documented (none
/// of its fields is required), and our lookback extension.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CheckConstraintsRequest {
    /// Whether the agent should be a callback agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_callback_agent: Option<bool>,
    /// Outbound agent ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_source_agents: Option<Vec<String>>,
    /// Outcomes that make a contact eligible, e.g. `no_answer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_trigger_statuses: Option<Vec<String>>,
    /// Extension: the lookback window in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback_days: Option<u16>,
}

/// `POST /api/v1/agents/{id}/callback`'s `data` (the seed's shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackAgentCreated {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Always `inbound`.
    pub direction: Direction,
    /// The configuration now in force.
    pub callback_config: CallbackConfigBody,
}

/// `PUT /api/v1/agents/{id}/callback`'s `data`: only the id and the new configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackAgentUpdated {
    /// Id.
    pub id: String,
    /// The configuration now in force.
    pub callback_config: CallbackConfigBody,
}

/// One item of `GET /api/v1/callback-agents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackAgentItem {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Label.
    #[serde(default)]
    pub label: Option<String>,
    /// Always `inbound`.
    pub direction: Direction,
    /// `draft` or `published`.
    #[serde(default)]
    pub current_status: AgentStatus,
    /// Its configuration.
    pub callback_config: CallbackConfigBody,
}

/// `GET /api/v1/callback-agents/{id}`'s `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackAgentDetail {
    /// The agent.
    pub agent: CallbackAgentSummary,
    /// Its sources, named.
    pub source_agents: Vec<SourceAgent>,
    /// All-time totals.
    pub stats: CallbackAgentTotals,
    /// Extension: its configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_config: Option<CallbackConfigBody>,
}

/// `data.agent` of the callback-agent detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackAgentSummary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Always `inbound`.
    pub direction: Direction,
    /// `draft` or `published`.
    #[serde(default)]
    pub current_status: AgentStatus,
}

/// A source agent, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SourceAgent {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// `data.stats` of the callback-agent detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallbackAgentTotals {
    /// Callbacks it received, all time.
    pub total_callbacks_received: u64,
    /// Of those, answered.
    pub callbacks_answered: u64,
}

/// `PUT /api/v1/agents/{id}/calling`'s `data`: a partial agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallingSettings {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The direction now in force.
    pub direction: Direction,
    /// `draft` or `published`.
    pub current_status: AgentStatus,
    /// Its numbers now (without `international_number`, as documented).
    pub phone_numbers: Vec<PhoneNumberRef>,
    /// When it changed.
    pub updated_at: String,
}

#[cfg(feature = "regions")]
mod write {
    use super::*;
    use crate::phone::NumberResource;

    fn time(t: Timestamp) -> String {
        t.to_string()
    }

    impl PhoneNumberRef {
        /// A number as an agent object lists it.
        pub fn new(n: &NumberResource) -> Self {
            let f = n.number.formats();
            PhoneNumberRef {
                id: n.id.to_string(),
                number: n.number.to_string(),
                country_code: f.country,
                formatted_number: f.national,
                international_number: Some(f.international),
                current_status: super::super::numbers::ACTIVE.to_owned(),
            }
        }
    }

    impl AgentBody {
        /// The agent object of a stored agent and its numbers (in their order).
        pub fn new(r: &AgentRecord, numbers: &[NumberResource]) -> Self {
            let p = &r.profile;
            AgentBody {
                id: r.id.to_string(),
                name: r.name.clone(),
                label: Some(p.label.clone()),
                description: p.description.clone(),
                language: Some(p.language.clone()),
                voice: Value::Null,
                initial_message: p.initial_message.clone(),
                interrupt_sensitivity: Some(enum_str(&p.interrupt_sensitivity)),
                conversation_speed: Some(p.conversation_speed),
                initial_message_delay: Some(u32::from(p.initial_message_delay)),
                ask_if_human_present_on_idle: Some(p.ask_if_human_present_on_idle),
                direction: r.direction,
                who_speaks_first: Some(enum_str(&p.who_speaks_first)),
                current_status: r.status,
                is_sandbox: false,
                is_ready_to_publish: true,
                created_at: Some(time(r.created_at)),
                updated_at: Some(time(r.updated_at)),
                trainings: Vec::new(),
                actions: Vec::new(),
                phone_numbers: numbers.iter().map(PhoneNumberRef::new).collect(),
                callback_config: r.callback_config.as_ref().map(CallbackConfigBody::from),
                origin: p.origin.clone(),
            }
        }
    }

    impl CallingSettings {
        /// The answer to a calling-settings update.
        pub fn new(r: &AgentRecord, numbers: &[NumberResource]) -> Self {
            CallingSettings {
                id: r.id.to_string(),
                name: r.name.clone(),
                direction: r.direction,
                current_status: r.status,
                phone_numbers: numbers
                    .iter()
                    .map(|n| PhoneNumberRef {
                        international_number: None,
                        ..PhoneNumberRef::new(n)
                    })
                    .collect(),
                updated_at: time(r.updated_at),
            }
        }
    }

    /// The wire spelling of a unit enum.
    fn enum_str<T: Serialize>(v: &T) -> String {
        match serde_json::to_value(v) {
            Ok(Value::String(s)) => s,
            _ => String::new(),
        }
    }
}
