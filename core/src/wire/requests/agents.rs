//! Agent requests: `POST /api/v1/agents` (Talkover's documented body), `PATCH
//! /api/v1/agents/{id}` (ours), `PUT .../calling` and `PUT .../knowledge`.

use serde_json::{Map, Value};

use super::{Expected, MAX_NUMBERS_PER_AGENT, MAX_TEXT_CHARS, Reader, RequestError};
use crate::agent::profile::{AgentProfile, LANGUAGES, Sensitivity, WhoSpeaksFirst};
use crate::agent::{AgentStatus, Direction};
use crate::phone::PhoneNumber;

/// The longest greeting, in characters (the knowledge page's limit).
pub const MAX_GREETING_CHARS: usize = 255;

/// `POST /api/v1/agents`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAgent {
    /// Name, trimmed.
    pub name: String,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Label, language and voice settings (defaults for what was not sent).
    pub profile: AgentProfile,
    /// Extension: numbers to add and assign, in E.164, without repeats.
    pub phone_numbers: Vec<PhoneNumber>,
}

/// `PATCH /api/v1/agents/{id}`: what to change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgentPatch {
    /// New name.
    pub name: Option<String>,
    /// New status (publish or unpublish).
    pub status: Option<AgentStatus>,
    /// Profile fields to change, as the body sent them (applied by [`AgentPatch::apply`]).
    profile: Map<String, Value>,
    /// New numbers (replacing the old ones).
    pub phone_numbers: Option<Vec<PhoneNumber>>,
}

impl AgentPatch {
    /// The profile with this patch's changes.
    pub fn apply(&self, profile: &AgentProfile) -> AgentProfile {
        let mut out = profile.clone();
        let body = Value::Object(self.profile.clone());
        let mut r = Reader::new(&body);
        read_profile(&mut r, &mut out);
        out
    }
}

/// `PUT /api/v1/agents/{id}/calling`: `{direction, phone_number_ids?}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallingUpdate {
    /// The direction to take.
    pub direction: Direction,
    /// The numbers to own from now on (replacing the old ones), or `None` to keep them. Ids
    /// are any string, as the docs' own `phone-uuid-1`; one that names no number of this
    /// environment is refused when the update is applied.
    pub phone_number_ids: Option<Vec<String>>,
}

/// The longest phone number id read, in characters.
pub const MAX_ID_CHARS: usize = 100;

/// `PUT /api/v1/agents/{id}/knowledge`.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeUpdate {
    /// What the agent is for (at least 5 characters).
    pub description: String,
    /// First utterance (5 to 255 characters), if sent.
    pub initial_message: Option<String>,
    /// `low`, `medium` or `high`.
    pub interrupt_sensitivity: Sensitivity,
    /// Ask whether the caller is still there.
    pub ask_if_human_present_on_idle: bool,
    /// 0 to 2.
    pub llm_temperature: f64,
    /// 0 to 60 seconds.
    pub initial_message_delay: u8,
}

impl KnowledgeUpdate {
    /// The agent with this knowledge, changed at `at`. Like Talkover, new knowledge takes the
    /// agent back to draft: what it says changed, so it is published again on purpose.
    pub fn apply_to(
        &self,
        agent: &crate::agent::AgentRecord,
        at: crate::time::Timestamp,
    ) -> crate::agent::AgentRecord {
        crate::agent::AgentRecord {
            profile: self.apply(&agent.profile),
            status: crate::agent::AgentStatus::Draft,
            updated_at: at,
            ..agent.clone()
        }
    }

    /// The profile with this knowledge.
    pub fn apply(&self, profile: &AgentProfile) -> AgentProfile {
        let mut out = profile.clone();
        out.description = Some(self.description.clone());
        if self.initial_message.is_some() {
            out.initial_message = self.initial_message.clone();
        }
        out.interrupt_sensitivity = self.interrupt_sensitivity;
        out.ask_if_human_present_on_idle = self.ask_if_human_present_on_idle;
        out.initial_message_delay = self.initial_message_delay;
        out.settings.insert(
            "llm_temperature".to_owned(),
            Value::from(self.llm_temperature),
        );
        out
    }
}

/// Settings the create body documents that the agent object does not show: each with its
/// range (`None` for a boolean, `Some(None)` for text).
const SETTINGS: [(&str, Setting); 10] = [
    ("endpointing_sensitivity", Setting::Text),
    ("ivr_navigation_mode", Setting::Text),
    ("idle_time_seconds", Setting::Integer(1, 60)),
    ("max_call_duration_seconds", Setting::Integer(1, 3600)),
    ("say_goodbye_on_max_duration", Setting::Boolean),
    ("user_inactivity_timeout_seconds", Setting::Integer(5, 120)),
    ("initial_idle_time_seconds", Setting::Integer(1, 60)),
    ("initial_max_idle_check_count", Setting::Integer(0, 10)),
    ("llm_temperature", Setting::Number(0.0, 2.0, "0 to 2")),
    ("enable_recording", Setting::Boolean),
];

#[derive(Clone, Copy)]
enum Setting {
    Text,
    Boolean,
    Integer(u64, u64),
    Number(f64, f64, &'static str),
}

/// The profile fields a body may set, read into `profile` (fields not sent keep their value).
fn read_profile(r: &mut Reader<'_>, profile: &mut AgentProfile) {
    fn set<T>(slot: &mut T, value: Option<T>) {
        if let Some(v) = value {
            *slot = v;
        }
    }
    let v = r.get("label");
    set(&mut profile.label, r.name("label", v, Expected::Label));
    let v = r.get("description");
    set(
        &mut profile.description,
        r.text("description", v, MAX_TEXT_CHARS).map(Some),
    );
    let v = r.get("language");
    let language = r.parsed("language", v, Expected::Language, |s| {
        LANGUAGES.contains(&s).then(|| s.to_owned())
    });
    set(&mut profile.language, language);
    let v = r.get("initial_message");
    set(
        &mut profile.initial_message,
        r.text("initial_message", v, MAX_GREETING_CHARS).map(Some),
    );
    let v = r.get("interrupt_sensitivity");
    let sensitivity = r.parsed(
        "interrupt_sensitivity",
        v,
        Expected::Sensitivity,
        Sensitivity::parse,
    );
    set(&mut profile.interrupt_sensitivity, sensitivity);
    let v = r.get("conversation_speed");
    set(
        &mut profile.conversation_speed,
        r.float("conversation_speed", v, 0.1, 3.0, "0.1 to 3.0"),
    );
    let v = r.get("initial_message_delay");
    let delay = r.integer("initial_message_delay", v, 0, 60);
    set(
        &mut profile.initial_message_delay,
        delay.map(|d| u8::try_from(d).unwrap_or(60)),
    );
    let v = r.get("ask_if_human_present_on_idle");
    set(
        &mut profile.ask_if_human_present_on_idle,
        r.boolean("ask_if_human_present_on_idle", v),
    );
    let v = r.get("who_speaks_first");
    let first = r.parsed(
        "who_speaks_first",
        v,
        Expected::WhoSpeaksFirst,
        WhoSpeaksFirst::parse,
    );
    set(&mut profile.who_speaks_first, first);
    for (field, kind) in SETTINGS {
        let Some(v) = r.get(field) else { continue };
        let ok = match kind {
            Setting::Text => r.text(field, Some(v), 255).is_some(),
            Setting::Boolean => r.boolean(field, Some(v)).is_some(),
            Setting::Integer(lo, hi) => r.integer(field, Some(v), lo, hi).is_some(),
            Setting::Number(lo, hi, range) => r.float(field, Some(v), lo, hi, range).is_some(),
        };
        if ok {
            profile.settings.insert(field.to_owned(), v.clone());
        }
    }
}

/// Parses `POST /api/v1/agents`: Talkover's documented body, of which only `name` and
/// `direction` are required here (voice settings mean nothing without voice); `label`
/// defaults to the name. Keys the docs do not list are ignored. `phone_numbers`, a list of
/// numbers to add and assign, is our extension.
pub fn parse_new_agent(body: &Value) -> Result<NewAgent, Vec<RequestError>> {
    let mut r = Reader::new(body);
    let name = r.required("name");
    let name = r.name("name", name, Expected::Name);
    let direction = r.required("direction");
    let direction = r.direction(direction);
    let mut profile = AgentProfile::for_name(name.as_deref().unwrap_or_default());
    read_profile(&mut r, &mut profile);
    let numbers = r.get("phone_numbers");
    let phone_numbers = match numbers {
        Some(_) => r.numbers("phone_numbers", numbers),
        None => Some(Vec::new()),
    };
    let value = match (name, direction, phone_numbers) {
        (Some(name), Some(direction), Some(phone_numbers)) => Some(NewAgent {
            name,
            direction,
            profile,
            phone_numbers,
        }),
        _ => None,
    };
    r.finish(value)
}

/// Parses `PATCH /api/v1/agents/{id}`: any of `name`, `current_status`, the profile fields
/// and `phone_numbers`. `direction` is changed through `PUT .../calling`, which checks the
/// callback roles; `id` and timestamps cannot change.
pub fn parse_agent_patch(body: &Value) -> Result<AgentPatch, Vec<RequestError>> {
    let mut r = Reader::new(body);
    let mut patch = AgentPatch::default();
    if let Some(map) = r.body {
        for key in map.keys() {
            let editable = matches!(key.as_str(), "name" | "current_status" | "phone_numbers")
                || is_profile_field(key);
            if !editable {
                r.errors.push(RequestError::NotEditable {
                    field: crate::time::clip(key),
                });
            } else if is_profile_field(key) {
                patch
                    .profile
                    .insert(key.clone(), map.get(key).cloned().unwrap_or(Value::Null));
            }
        }
    }
    // check the profile fields now, so that a bad one is refused with the rest
    let mut scratch = AgentProfile::for_name("");
    read_profile(&mut r, &mut scratch);
    if let Some(v) = r.get("name") {
        patch.name = r.name("name", Some(v), Expected::Name);
    }
    if let Some(v) = r.get("current_status") {
        patch.status = r.parsed(
            "current_status",
            Some(v),
            Expected::AgentStatus,
            AgentStatus::parse,
        );
    }
    if let Some(v) = r.get("phone_numbers") {
        patch.phone_numbers = r.numbers("phone_numbers", Some(v));
    }
    r.finish(Some(patch))
}

fn is_profile_field(key: &str) -> bool {
    matches!(
        key,
        "label"
            | "description"
            | "language"
            | "initial_message"
            | "interrupt_sensitivity"
            | "conversation_speed"
            | "initial_message_delay"
            | "ask_if_human_present_on_idle"
            | "who_speaks_first"
    ) || SETTINGS.iter().any(|(f, _)| *f == key)
}

/// Parses `PUT /api/v1/agents/{id}/calling`: `direction` (required) and `phone_number_ids`
/// (optional: absent keeps the agent's numbers, `[]` releases them all).
pub fn parse_calling_update(body: &Value) -> Result<CallingUpdate, Vec<RequestError>> {
    let mut r = Reader::new(body);
    let direction = r.required("direction");
    let direction = r.direction(direction);
    let ids = match r.get("phone_number_ids") {
        None => Some(None),
        Some(v) => number_ids(&mut r, v).map(Some),
    };
    let value = match (direction, ids) {
        (Some(direction), Some(phone_number_ids)) => Some(CallingUpdate {
            direction,
            phone_number_ids,
        }),
        _ => None,
    };
    r.finish(value)
}

fn number_ids<'a>(r: &mut Reader<'a>, v: &'a Value) -> Option<Vec<String>> {
    const FIELD: &str = "phone_number_ids";
    let items = r.array(FIELD, Some(v), MAX_NUMBERS_PER_AGENT)?;
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    let mut first: std::collections::HashMap<&str, usize> = Default::default();
    let mut ok = true;
    for (index, item) in items.iter().enumerate() {
        match item
            .as_str()
            .filter(|s| !s.is_empty() && s.chars().count() <= MAX_ID_CHARS)
        {
            Some(id) => match first.get(id) {
                Some(&f) => {
                    ok = false;
                    r.errors.push(RequestError::Duplicate {
                        field: FIELD,
                        index,
                        first: f,
                        value: id.to_owned(),
                    });
                }
                None => {
                    first.insert(id, index);
                    out.push(id.to_owned());
                }
            },
            None => {
                ok = false;
                r.errors.push(RequestError::Invalid {
                    field: FIELD,
                    index: Some(index),
                    expected: Expected::NumberId,
                    got: super::clip(item),
                });
            }
        }
    }
    ok.then_some(out)
}

/// Parses `PUT /api/v1/agents/{id}/knowledge`, every documented constraint included.
pub fn parse_knowledge_update(body: &Value) -> Result<KnowledgeUpdate, Vec<RequestError>> {
    let mut r = Reader::new(body);
    let description = r.required("description");
    let description = r.text("description", description, MAX_TEXT_CHARS);
    let description = match description {
        Some(d) if d.chars().count() < 5 => {
            r.fail(
                "description",
                Expected::Text(MAX_TEXT_CHARS),
                &Value::from(d.as_str()),
            );
            None
        }
        other => other,
    };
    let greeting = r.get("initial_message");
    let initial_message = match greeting {
        None => Some(None),
        Some(v) => match r.text("initial_message", Some(v), MAX_GREETING_CHARS) {
            Some(g) if g.chars().count() >= 5 => Some(Some(g)),
            Some(g) => {
                r.fail(
                    "initial_message",
                    Expected::Text(MAX_GREETING_CHARS),
                    &Value::from(g),
                );
                None
            }
            None => None,
        },
    };
    let sensitivity = r.required("interrupt_sensitivity");
    let sensitivity = r.parsed(
        "interrupt_sensitivity",
        sensitivity,
        Expected::Sensitivity,
        Sensitivity::parse,
    );
    let ask = r.required("ask_if_human_present_on_idle");
    let ask = r.boolean("ask_if_human_present_on_idle", ask);
    let temperature = r.required("llm_temperature");
    let temperature = r.float("llm_temperature", temperature, 0.0, 2.0, "0 to 2");
    let delay = r.required("initial_message_delay");
    let delay = r.integer("initial_message_delay", delay, 0, 60);
    let value = match (
        description,
        initial_message,
        sensitivity,
        ask,
        temperature,
        delay,
    ) {
        (Some(description), Some(initial_message), Some(s), Some(ask), Some(t), Some(d)) => {
            Some(KnowledgeUpdate {
                description,
                initial_message,
                interrupt_sensitivity: s,
                ask_if_human_present_on_idle: ask,
                llm_temperature: t,
                initial_message_delay: u8::try_from(d).unwrap_or(60),
            })
        }
        _ => None,
    };
    r.finish(value)
}

#[cfg(test)]
#[path = "agents_tests.rs"]
mod tests;
