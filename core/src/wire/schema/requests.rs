//! The request bodies' schemas, written beside their parsers from the same limits and lists.
//!
//! Conventions the parsers share: `null` counts as absent (so an optional field may be
//! `null`); keys a body does not list are ignored (`additionalProperties` is left open) except
//! in `PATCH`, which refuses what it cannot change.

use serde_json::{Value, json};

use super::PHONE_PATTERN;
use crate::agent::profile::LANGUAGES;
use crate::callback::config::{LookbackDays, MAX_SOURCES};
use crate::wire::requests::agents::{MAX_GREETING_CHARS, MAX_ID_CHARS};
use crate::wire::requests::{
    INVISIBLE, MAX_DURATION_SECONDS, MAX_EXTERNAL_ID_CHARS, MAX_FROM_CHARS, MAX_NAME_CHARS,
    MAX_NUMBERS_PER_AGENT, MAX_TEXT_CHARS,
};

/// A character class's ranges for an ECMA-262 pattern (no `u` flag, so `\uXXXX` escapes and
/// only the Basic Multilingual Plane): control characters (`char::is_control`), less
/// `allowed`, then every [`INVISIBLE`] range of the BMP. The parser refuses the same, and
/// also the few invisible characters beyond the BMP, which such a pattern cannot name.
fn hidden(allowed: &[char]) -> String {
    let controls = ('\u{0}'..='\u{1F}').chain('\u{7F}'..='\u{9F}');
    let mut ranges: Vec<(char, char)> = Vec::new();
    for c in controls.filter(|c| !allowed.contains(c)) {
        match ranges.last_mut() {
            Some((_, high)) if u32::from(*high) + 1 == u32::from(c) => *high = c,
            _ => ranges.push((c, c)),
        }
    }
    ranges.extend(
        INVISIBLE
            .iter()
            .filter(|(_, high)| u32::from(*high) <= 0xFFFF),
    );
    let escape = |c: char| format!("\\u{:04x}", u32::from(c));
    ranges
        .iter()
        .map(|&(low, high)| match high {
            h if h == low => escape(low),
            h if u32::from(h) == u32::from(low) + 1 => escape(low) + &escape(h),
            h => format!("{}-{}", escape(low), escape(h)),
        })
        .collect()
}

/// Refused in names: every control character and invisible one.
fn names_class() -> String {
    hidden(&[])
}

/// Refused in free text: the same, but line breaks and tabs.
fn text_class() -> String {
    hidden(&['\t', '\n', '\r'])
}

/// A name or label: up to 255 characters, at least one of them not white space, none hidden.
pub fn name() -> Value {
    json!({
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_NAME_CHARS,
        "pattern": format!("^[^{h}]*[^\\s{h}][^{h}]*$", h = names_class()),
    })
}

/// Free text of at most `max` characters.
pub(super) fn text(max: usize) -> Value {
    json!({"type": "string", "maxLength": max, "pattern": format!("^[^{}]*$", text_class())})
}

/// A phone number in any common formatting.
pub fn phone() -> Value {
    json!({"type": "string", "pattern": PHONE_PATTERN, "examples": ["+1 (415) 555-0100"]})
}

fn nullable(mut schema: Value) -> Value {
    let kind = schema.get("type").cloned();
    if let (Some(map), Some(Value::String(kind))) = (schema.as_object_mut(), kind) {
        map.insert("type".into(), json!([kind, "null"]));
    }
    schema
}

fn uuid() -> Value {
    json!({"type": "string", "format": "uuid"})
}

fn direction() -> Value {
    json!({"type": "string", "enum": ["inbound", "outbound"]})
}

/// Call statuses as requests may spell them (`no-answer` or `no_answer`).
pub fn call_status() -> Value {
    json!({"type": "string", "enum": ["initiated", "ringing", "answered", "completed", "failed",
        "busy", "no-answer", "no_answer", "voicemail"]})
}

fn timestamp() -> Value {
    json!({"type": "string", "format": "date-time"})
}

fn phone_list() -> Value {
    json!({"type": "array", "items": {"type": "string", "pattern": super::E164_PATTERN},
        "maxItems": MAX_NUMBERS_PER_AGENT, "uniqueItems": true,
        "description": "Numbers to own, in order, each once, written in E.164 without formatting."})
}

/// The profile fields a create or patch body may set, all optional.
fn profile() -> serde_json::Map<String, Value> {
    let integer =
        |lo: u64, hi: u64| nullable(json!({"type": "integer", "minimum": lo, "maximum": hi}));
    let number =
        |lo: f64, hi: f64| nullable(json!({"type": "number", "minimum": lo, "maximum": hi}));
    let boolean = || json!({"type": ["boolean", "null"]});
    let languages: Vec<Value> = LANGUAGES
        .iter()
        .map(|l| Value::from(*l))
        .chain([Value::Null])
        .collect();
    let fields = json!({
        "label": nullable(name()),
        "description": nullable(text(MAX_TEXT_CHARS)),
        "language": {"type": ["string", "null"], "enum": languages},
        "initial_message": nullable(text(MAX_GREETING_CHARS)),
        "interrupt_sensitivity": {"type": ["string", "null"],
            "enum": ["low", "medium", "high", null]},
        "conversation_speed": number(0.1, 3.0),
        "initial_message_delay": integer(0, 60),
        "ask_if_human_present_on_idle": boolean(),
        "who_speaks_first": {"type": ["string", "null"], "enum": ["agent", "user", null]},
        "endpointing_sensitivity": nullable(text(255)),
        "ivr_navigation_mode": nullable(text(255)),
        "idle_time_seconds": integer(1, 60),
        "max_call_duration_seconds": integer(1, 3600),
        "say_goodbye_on_max_duration": boolean(),
        "user_inactivity_timeout_seconds": integer(5, 120),
        "initial_idle_time_seconds": integer(1, 60),
        "initial_max_idle_check_count": integer(0, 10),
        "llm_temperature": number(0.0, 2.0),
        "enable_recording": boolean(),
    });
    match fields {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// `POST /api/v1/agents`.
pub fn new_agent() -> Value {
    let mut properties = profile();
    properties.insert("name".into(), name());
    properties.insert("direction".into(), direction());
    properties.insert("phone_numbers".into(), nullable(phone_list()));
    json!({"type": "object", "required": ["name", "direction"], "properties": properties})
}

/// `PATCH /api/v1/agents/{id}` (our extension): any of these, and nothing else.
pub fn agent_patch() -> Value {
    let mut properties = profile();
    properties.insert("name".into(), nullable(name()));
    properties.insert(
        "current_status".into(),
        json!({"type": ["string", "null"], "enum": ["draft", "published", null]}),
    );
    properties.insert("phone_numbers".into(), nullable(phone_list()));
    json!({"type": "object", "properties": properties, "additionalProperties": false})
}

/// `PUT /api/v1/agents/{id}/calling`.
pub fn calling_update() -> Value {
    json!({
        "type": "object",
        "required": ["direction"],
        "properties": {
            "direction": direction(),
            "phone_number_ids": {
                "type": ["array", "null"],
                "items": {"type": "string", "minLength": 1, "maxLength": MAX_ID_CHARS},
                "maxItems": MAX_NUMBERS_PER_AGENT,
                "uniqueItems": true,
                "description": "The numbers the agent owns from now on; absent keeps them, `[]` \
                    releases them all."
            }
        }
    })
}

/// `PUT /api/v1/agents/{id}/knowledge`.
pub fn knowledge_update() -> Value {
    let at_least_five = |max: usize| {
        json!({"type": "string", "minLength": 5, "maxLength": max,
            "pattern": format!("^[^{}]*$", text_class()),
            "description": "At least 5 characters besides white space at the ends."})
    };
    json!({
        "type": "object",
        "required": ["description", "interrupt_sensitivity", "ask_if_human_present_on_idle",
            "llm_temperature", "initial_message_delay"],
        "properties": {
            "description": at_least_five(MAX_TEXT_CHARS),
            "initial_message": nullable(at_least_five(MAX_GREETING_CHARS)),
            "interrupt_sensitivity": {"type": "string", "enum": ["low", "medium", "high"]},
            "ask_if_human_present_on_idle": {"type": "boolean"},
            "llm_temperature": {"type": "number", "minimum": 0, "maximum": 2},
            "initial_message_delay": {"type": "integer", "minimum": 0, "maximum": 60}
        }
    })
}

fn sources() -> Value {
    json!({"type": "array", "items": uuid(), "minItems": 1, "maxItems": MAX_SOURCES,
        "uniqueItems": true,
        "description": "Outbound agents of this environment, each once."})
}

fn lookback() -> Value {
    nullable(
        json!({"type": "integer", "minimum": 1, "maximum": LookbackDays::MAX.days(),
            "description": format!("Days; {} when absent.", LookbackDays::DEFAULT.days())}),
    )
}

fn triggers() -> Value {
    nullable(
        json!({"type": "array", "items": call_status(), "minItems": 1,
            "description":
                "Outcomes of the source agent's call after which a return counts; absent: \
            every outcome."}),
    )
}

/// `POST` and `PUT /api/v1/agents/{id}/callback`.
pub fn callback_config() -> Value {
    json!({
        "type": "object",
        "required": ["source_agent_ids"],
        "properties": {
            "source_agent_ids": sources(),
            "lookback_days": lookback(),
            "callback_trigger_statuses": triggers()
        }
    })
}

/// `POST /api/v1/callback-agents/{id}/check-constraints`: the documented body. Proposing
/// `is_callback_agent: false` is checked for the agent alone (the rest is then ignored);
/// otherwise the sources are required, once: as `callback_source_agents` or as our
/// `source_agent_ids`.
pub fn check_constraints() -> Value {
    json!({
        "oneOf": [
            {
                "title": "Not a callback agent",
                "type": "object",
                "required": ["is_callback_agent"],
                "properties": {"is_callback_agent": {"const": false}}
            },
            {
                "title": "A callback agent",
                "type": "object",
                "properties": {
                    "is_callback_agent": {"enum": [true, null]},
                    "lookback_days": lookback(),
                    "callback_trigger_statuses": triggers()
                },
                "oneOf": [
                    {"required": ["callback_source_agents"],
                     "properties": {"callback_source_agents": sources(),
                         "source_agent_ids": {"type": "null"}}},
                    {"required": ["source_agent_ids"],
                     "properties": {"source_agent_ids": sources(),
                         "callback_source_agents": {"type": "null"}}}
                ]
            }
        ]
    })
}

/// `POST /api/v1/phone-numbers` (our extension).
pub fn new_number() -> Value {
    json!({"type": "object", "required": ["number"], "properties": {"number": phone()}})
}

/// The inbound caller as presented: a number, or what the network said instead.
fn caller() -> Value {
    json!({"type": ["string", "null"], "maxLength": MAX_FROM_CHARS,
        "description": "A number, or what the network presented instead (`anonymous`, a SIP URI): \
            routed as withheld or invalid. `null` or absent: withheld."})
}

fn external_id() -> Value {
    json!({"type": ["string", "null"], "minLength": 1, "maxLength": MAX_EXTERNAL_ID_CHARS,
        "description": "Your telephony's id for the call: the same call sent again is stored once. \
            `sid` is read in its place when `external_id` is absent."})
}

/// `POST /api/v1/calls` and each line of `POST /api/v1/calls/import` (our extensions).
pub fn new_call() -> Value {
    let common = json!({
        "to": phone(),
        "started_at": timestamp(),
        "status": call_status(),
        "duration_seconds": {"type": ["integer", "null"], "minimum": 0,
            "maximum": MAX_DURATION_SECONDS},
        "external_id": external_id(),
        "sid": external_id()
    });
    let with = |extra: Value| -> Value {
        let mut properties = common.as_object().cloned().unwrap_or_default();
        if let Value::Object(extra) = extra {
            properties.extend(extra);
        }
        Value::Object(properties)
    };
    json!({
        "oneOf": [
            {
                "title": "Outbound call",
                "type": "object",
                "required": ["direction", "agent_id", "to", "started_at", "status"],
                "properties": with(json!({
                    "direction": {"const": "outbound"},
                    "agent_id": uuid(),
                    "from": nullable(phone())
                }))
            },
            {
                "title": "Inbound call",
                "type": "object",
                "required": ["direction", "to", "started_at", "status"],
                "properties": with(json!({
                    "direction": {"const": "inbound"},
                    "agent_id": {"type": "null", "description": "An inbound call belongs to the \
                        owner of the dialed number."},
                    "from": caller()
                }))
            }
        ]
    })
}

/// `POST /api/v1/messages` (our extension).
pub fn new_message() -> Value {
    json!({
        "type": "object",
        "required": ["direction", "from", "to", "sent_at"],
        "properties": {
            "agent_id": nullable(uuid()),
            "direction": direction(),
            "from": phone(),
            "to": phone(),
            "sent_at": timestamp()
        }
    })
}

/// `POST /api/v1/routing/simulate` (our extension).
pub fn simulation() -> Value {
    json!({
        "type": "object",
        "required": ["to"],
        "properties": {
            "from": caller(),
            "to": phone(),
            "at": nullable(timestamp())
        }
    })
}

/// AgentPhone's `POST /v1/agents` (`creating`) and `PATCH /v1/agents/{id}`: the keys that map
/// onto Dialback's agent, checked as Talkover's are; any other key (the voice runtime's
/// settings) is accepted.
pub fn agentphone_agent(creating: bool) -> Value {
    let talkover = profile();
    let mut properties = serde_json::Map::new();
    for (ours, theirs) in [
        ("description", "description"),
        ("beginMessage", "initial_message"),
        ("language", "language"),
    ] {
        if let Some(schema) = talkover.get(theirs) {
            properties.insert(ours.into(), schema.clone());
        }
    }
    if creating {
        properties.insert("name".into(), name());
        properties.insert("direction".into(), direction());
        json!({"type": "object", "required": ["name"], "properties": properties})
    } else {
        properties.insert("name".into(), nullable(name()));
        json!({"type": "object", "properties": properties})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::requests::{hidden_in_name, hidden_in_text, is_invisible};

    /// The patterns and the parser come from one table; this checks the generated classes
    /// refuse exactly what the parser refuses, on every character a pattern can name (the
    /// Basic Multilingual Plane), and that beyond it the parser refuses only the table's.
    #[test]
    fn the_hidden_character_patterns_are_the_parsers_rule() {
        let class = |ranges: String| {
            regex::Regex::new(&format!("^[^{ranges}]$")).unwrap_or_else(|_| unreachable!())
        };
        let (names, text) = (class(names_class()), class(text_class()));
        let mut refused = 0;
        for c in (0..=0xFFFF_u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(!names.is_match(&s), hidden_in_name(c), "{c:?} in a name");
            assert_eq!(!text.is_match(&s), hidden_in_text(c), "{c:?} in text");
            refused += usize::from(hidden_in_name(c));
        }
        assert!(refused > 100, "the classes refuse {refused} characters");
        for c in (0x10000..=0x10FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(hidden_in_name(c), is_invisible(c), "{c:?}");
        }
    }
}
