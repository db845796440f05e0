//! The event types of the live stream and their names.
//!
//! The three that are also webhook events keep Talkover's webhook names, so one switch on
//! `event` serves a receiver and a stream alike.

use serde::{Deserialize, Serialize};

use crate::webhook::EventKind;

/// What a live event says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventType {
    /// A call was recorded with a final status.
    #[serde(rename = "event_phone_call_ended")]
    CallEnded,
    /// An inbound call to a callback agent was routed: matched, or not with the reason.
    #[serde(rename = "event_callback_routed")]
    CallbackRouted,
    /// An inbound message was recorded.
    #[serde(rename = "event_message_received")]
    MessageReceived,
    /// An agent was created or changed: its settings, numbers or callback role.
    #[serde(rename = "event_agent_changed")]
    AgentChanged,
    /// A number was added, or released by its agent, and is now assigned to none.
    #[serde(rename = "event_number_changed")]
    NumberChanged,
}

impl EventType {
    /// Every type, in the order the README lists them.
    pub const ALL: [EventType; 5] = [
        EventType::CallEnded,
        EventType::CallbackRouted,
        EventType::MessageReceived,
        EventType::AgentChanged,
        EventType::NumberChanged,
    ];

    /// The name on the wire (SSE `event:` and the body's `event`).
    pub const fn name(self) -> &'static str {
        match self {
            EventType::CallEnded => "event_phone_call_ended",
            EventType::CallbackRouted => "event_callback_routed",
            EventType::MessageReceived => "event_message_received",
            EventType::AgentChanged => "event_agent_changed",
            EventType::NumberChanged => "event_number_changed",
        }
    }

    /// The type named `name`.
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Its bit in a set of types.
    pub(crate) const fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The live type of a webhook event (a test send has none).
    pub fn of_webhook(kind: EventKind) -> Option<EventType> {
        match kind {
            EventKind::CallEnded => Some(EventType::CallEnded),
            EventKind::CallbackRouted => Some(EventType::CallbackRouted),
            EventKind::Message => Some(EventType::MessageReceived),
            EventKind::Test => None,
        }
    }

    /// Whether this type tells about calls (and so moves callback stats and usage).
    pub const fn is_call(self) -> bool {
        matches!(self, EventType::CallEnded | EventType::CallbackRouted)
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.name()), Some(t));
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::Value::from(t.name())
            );
        }
        assert_eq!(EventType::parse("event_phone_call_started"), None);
    }

    #[test]
    fn webhook_events_keep_talkovers_names() {
        for kind in [
            EventKind::CallEnded,
            EventKind::CallbackRouted,
            EventKind::Message,
        ] {
            let live = EventType::of_webhook(kind).unwrap();
            assert_eq!(live.name(), kind.talkover_name());
        }
        assert_eq!(EventType::of_webhook(EventKind::Test), None);
    }
}
