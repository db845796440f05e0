//! The events Dialback sends, their names in each API's style, and what makes them happen.
//!
//! | event | AgentPhone | Talkover | when |
//! |---|---|---|---|
//! | a call ended | `agent.call_ended` | `event_phone_call_ended` | a call is recorded with a final
//! status (completed, failed, busy, no-answer, voicemail) |
//! | a message arrived | `agent.message` (`sms`) | — | an inbound message is recorded (Talkover
//! documents no message event) |
//! | a callback was routed | `agent.callback_routed` | `event_callback_routed` | an inbound call to
//! a callback agent is recorded: matched or not, with the reason |
//! | a test | `agent.message` with `"test": true` | `webhook.test` | someone asks for a test send |

use crate::agent::Direction;
use crate::call::{CallRecord, CallStatus, MessageRecord};
use crate::callback::RoutingDecision;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A call ended.
    CallEnded,
    /// A message arrived.
    Message,
    /// A callback was routed (or found no source call).
    CallbackRouted,
    /// A test send.
    Test,
}

impl EventKind {
    /// AgentPhone's name.
    pub fn agentphone_name(self) -> &'static str {
        match self {
            EventKind::CallEnded => "agent.call_ended",
            EventKind::Message | EventKind::Test => "agent.message",
            EventKind::CallbackRouted => "agent.callback_routed",
        }
    }

    /// Talkover's name.
    pub fn talkover_name(self) -> &'static str {
        match self {
            EventKind::CallEnded => "event_phone_call_ended",
            EventKind::Message => "event_message_received",
            EventKind::CallbackRouted => "event_callback_routed",
            EventKind::Test => "webhook.test",
        }
    }

    /// AgentPhone's `channel`.
    pub fn channel(self) -> &'static str {
        match self {
            EventKind::CallEnded | EventKind::CallbackRouted => "voice",
            EventKind::Message | EventKind::Test => "sms",
        }
    }
}

/// Talkover's `available_events`: the documented names (a Talkover client may subscribe to
/// any of them), then Dialback's own. Dialback places no calls, so of the documented ones only
/// `event_phone_call_ended` is ever sent; the rest are accepted and listed so that clients
/// written from the documents work, and [`SENT_TALKOVER_EVENTS`] says what really arrives.
pub const TALKOVER_EVENTS: &[(&str, &str)] = &[
    ("event_phone_call_started", "A phone call started."),
    (
        "event_phone_call_ended",
        "A phone call ended (sent when a call with a final status is recorded).",
    ),
    (
        "event_phone_call_did_not_connect",
        "A phone call did not connect.",
    ),
    ("event_phone_call_connected", "A phone call connected."),
    (
        "event_phone_call_disconnected",
        "A phone call was disconnected.",
    ),
    (
        "event_phone_call_error",
        "A phone call failed with an error.",
    ),
    ("event_participant_joined", "A participant joined."),
    ("event_participant_left", "A participant left."),
    ("event_voicemail_detected", "Voicemail was detected."),
    (
        "event_voicemail_message_left",
        "A voicemail message was left.",
    ),
    ("event_conversation_started", "A conversation started."),
    ("event_conversation_ended", "A conversation ended."),
    ("event_action", "An action ran."),
    ("event_action_failed", "An action failed."),
    ("event_recording", "A recording is ready."),
    (
        "event_connection_established",
        "A connection was established.",
    ),
    ("event_connection_closed", "A connection was closed."),
    ("event_connection_error", "A connection failed."),
    ("event_user_connected", "A user connected."),
    (
        "event_callback_routed",
        "Dialback: an inbound call to a callback agent was routed (matched to a source agent's \
         call, or unmatched with the reason).",
    ),
];

/// The Talkover events Dialback sends.
pub const SENT_TALKOVER_EVENTS: &[&str] = &["event_phone_call_ended", "event_callback_routed"];

/// Whether `name` is one of [`TALKOVER_EVENTS`].
pub fn is_talkover_event(name: &str) -> bool {
    TALKOVER_EVENTS.iter().any(|(n, _)| *n == name)
}

/// Whether a call recorded with `status` has ended.
pub fn has_ended(status: CallStatus) -> bool {
    !matches!(
        status,
        CallStatus::Initiated | CallStatus::Ringing | CallStatus::Answered
    )
}

/// The events recording `call` sends.
pub fn of_call(call: &CallRecord) -> impl Iterator<Item = EventKind> {
    let routed = matches!(
        call.routing,
        Some(RoutingDecision::Matched { .. } | RoutingDecision::Unmatched { .. })
    );
    [
        routed.then_some(EventKind::CallbackRouted),
        has_ended(call.status).then_some(EventKind::CallEnded),
    ]
    .into_iter()
    .flatten()
}

/// The events recording `message` sends: an inbound one arrived.
pub fn of_message(message: &MessageRecord) -> Option<EventKind> {
    (message.direction == Direction::Inbound).then_some(EventKind::Message)
}

/// What a test send may say instead of the sample's defaults (AgentPhone's SDK sends
/// `from`, `to`, `message` and `channel`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestSample {
    /// The sender.
    pub from: Option<String>,
    /// The recipient.
    pub to: Option<String>,
    /// The text.
    pub message: Option<String>,
    /// `sms`, `mms`, `imessage`, `whatsapp` or `rcs`.
    pub channel: Option<String>,
}
