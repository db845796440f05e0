//! An event as a client reads it: the message's name and id, and its body checked against
//! the shape its type promises. Clients act on events (a console refreshes its figures), so
//! an event that does not add up is refused with the reason, never half-read.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::LiveError;
use super::kind::EventType;
use super::sse::{RESET, SseMessage};
use crate::agent::Direction;
use crate::time::Timestamp;
use crate::webhook::event::has_ended;
use crate::wire::talkover::{AgentBody, CallBody, PhoneNumberBody};

/// A received message, as the message body of Talkover's webhooks writes it (Dialback keeps
/// no message text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageBody {
    /// `msg_…`.
    pub message_id: String,
    /// The contact and the number, whichever way.
    #[serde(default)]
    pub conversation_id: Option<String>,
    /// The environment's number's resource id.
    #[serde(default)]
    pub number_id: Option<String>,
    /// The sender.
    pub from: String,
    /// The recipient.
    pub to: String,
    /// `inbound`.
    pub direction: Direction,
    /// When it arrived.
    pub received_at: Timestamp,
}

/// What an event is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EventData {
    /// A call (ended, or routed): the call as `GET /api/v1/calls` shows it.
    Call(CallBody),
    /// A message.
    Message(MessageBody),
    /// An agent as `GET /api/v1/agents/{id}` shows it, after the change.
    Agent(Box<AgentBody>),
    /// A number as `GET /api/v1/phone-numbers` lists it.
    Number(PhoneNumberBody),
}

/// An event, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveEvent {
    /// Its id: what `Last-Event-ID` resumes after.
    pub id: String,
    /// Its type.
    pub event: EventType,
    /// The agent it counts for.
    pub agent_id: Option<String>,
    /// That agent's name.
    pub agent_name: Option<String>,
    /// When it happened.
    pub timestamp: String,
    /// What it is about.
    pub data: EventData,
}

/// The stream cannot replay what was missed (see `sse::reset_frame`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reset {
    /// `reset`.
    pub event: &'static str,
    /// The newest event stored: the stream goes on after it.
    pub id: String,
    /// `EVENTS_EXPIRED` or `EVENTS_AHEAD`.
    pub code: String,
    /// Why, in words.
    pub message: String,
}

/// What a message from the stream is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StreamItem {
    /// An event.
    Event(Box<LiveEvent>),
    /// Reload what you show; the stream goes on.
    Reset(Reset),
    /// A type this reader does not know (a newer server's): skip it.
    Other {
        /// Its `event:`.
        event: String,
    },
}

#[derive(Deserialize)]
struct Envelope {
    event: String,
    #[serde(default)]
    agent_id: Option<String>,
    #[serde(default)]
    agent_name: Option<String>,
    timestamp: String,
    data: Value,
}

/// Reads one message of the stream.
pub fn read_message(message: &SseMessage) -> Result<StreamItem, LiveError> {
    let id = message.id.clone().unwrap_or_default();
    let bad = |problem: String| LiveError::Unreadable {
        id: id.clone(),
        problem,
    };
    if message.event == RESET {
        #[derive(Deserialize)]
        struct Body {
            code: String,
            message: String,
        }
        let body: Body =
            serde_json::from_str(&message.data).map_err(|e| bad(format!("reset: {e}")))?;
        return Ok(StreamItem::Reset(Reset {
            event: RESET,
            id,
            code: body.code,
            message: body.message,
        }));
    }
    let Some(kind) = EventType::parse(&message.event) else {
        return Ok(StreamItem::Other {
            event: message.event.clone(),
        });
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 19 {
        return Err(bad(format!(
            "the id must be a decimal integer, got {:?}",
            crate::time::clip(&id)
        )));
    }
    let body: Envelope =
        serde_json::from_str(&message.data).map_err(|e| bad(format!("body: {e}")))?;
    if body.event != kind.name() {
        return Err(bad(format!(
            "the body says {:?}, the stream {:?}",
            crate::time::clip(&body.event),
            kind.name()
        )));
    }
    Timestamp::parse(&body.timestamp).map_err(|e| bad(format!("timestamp: {e}")))?;
    let data = read_data(kind, body.data).map_err(bad)?;
    Ok(StreamItem::Event(Box::new(LiveEvent {
        id,
        event: kind,
        agent_id: body.agent_id,
        agent_name: body.agent_name,
        timestamp: body.timestamp,
        data,
    })))
}

fn read_data(kind: EventType, data: Value) -> Result<EventData, String> {
    fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| format!("data: {e}"))
    }
    Ok(match kind {
        EventType::CallEnded | EventType::CallbackRouted => {
            let call: CallBody = parse(data)?;
            if kind == EventType::CallEnded && !has_ended(call.status) {
                return Err(format!(
                    "data.status: a call that ended, got {:?}",
                    call.status.as_str()
                ));
            }
            if kind == EventType::CallbackRouted
                && (call.direction != Direction::Inbound || call.routing.is_none())
            {
                return Err("data: a routed callback is an inbound call with its routing".into());
            }
            EventData::Call(call)
        }
        EventType::MessageReceived => {
            let m: MessageBody = parse(data)?;
            if m.direction != Direction::Inbound {
                return Err("data.direction: a received message is inbound".into());
            }
            EventData::Message(m)
        }
        EventType::AgentChanged => EventData::Agent(Box::new(parse(data)?)),
        EventType::NumberChanged => EventData::Number(parse(data)?),
    })
}
