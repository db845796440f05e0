//! An event as a client reads it: the message's name and id, and its body checked against
//! the shape its type promises. Clients act on events (a console refreshes its figures), so
//! an event that does not add up is refused with the reason, never half-read.

use serde::{Deserialize, Serialize};

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

/// A body, read straight from its text into its type: `from_str` for each type, so a client
/// that already reads these types from API answers (the console) shares that code.
#[derive(Deserialize)]
struct Envelope<T> {
    event: String,
    #[serde(default)]
    agent_id: Option<String>,
    #[serde(default)]
    agent_name: Option<String>,
    timestamp: String,
    data: T,
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
    let problem = |e: serde_json::Error| bad(format!("body: {e}"));
    let text = message.data.as_str();
    let (head, data) = match kind {
        EventType::CallEnded | EventType::CallbackRouted => {
            let b: Envelope<CallBody> = serde_json::from_str(text).map_err(problem)?;
            (Head::of(&b), EventData::Call(b.data))
        }
        EventType::MessageReceived => {
            let b: Envelope<MessageBody> = serde_json::from_str(text).map_err(problem)?;
            (Head::of(&b), EventData::Message(b.data))
        }
        EventType::AgentChanged => {
            let b: Envelope<AgentBody> = serde_json::from_str(text).map_err(problem)?;
            (Head::of(&b), EventData::Agent(Box::new(b.data)))
        }
        EventType::NumberChanged => {
            let b: Envelope<PhoneNumberBody> = serde_json::from_str(text).map_err(problem)?;
            (Head::of(&b), EventData::Number(b.data))
        }
    };
    if head.event != kind.name() {
        return Err(bad(format!(
            "the body says {:?}, the stream {:?}",
            crate::time::clip(&head.event),
            kind.name()
        )));
    }
    Timestamp::parse(&head.timestamp).map_err(|e| bad(format!("timestamp: {e}")))?;
    check_data(kind, &data).map_err(bad)?;
    Ok(StreamItem::Event(Box::new(LiveEvent {
        id,
        event: kind,
        agent_id: head.agent_id,
        agent_name: head.agent_name,
        timestamp: head.timestamp,
        data,
    })))
}

/// The envelope's fields besides `data`.
struct Head {
    event: String,
    agent_id: Option<String>,
    agent_name: Option<String>,
    timestamp: String,
}

impl Head {
    fn of<T>(b: &Envelope<T>) -> Head {
        Head {
            event: b.event.clone(),
            agent_id: b.agent_id.clone(),
            agent_name: b.agent_name.clone(),
            timestamp: b.timestamp.clone(),
        }
    }
}

/// What a type promises beyond its shape.
fn check_data(kind: EventType, data: &EventData) -> Result<(), String> {
    match (kind, data) {
        (EventType::CallEnded, EventData::Call(call)) if !has_ended(call.status) => Err(format!(
            "data.status: a call that ended, got {:?}",
            call.status.as_str()
        )),
        (EventType::CallbackRouted, EventData::Call(call))
            if call.direction != Direction::Inbound || call.routing.is_none() =>
        {
            Err("data: a routed callback is an inbound call with its routing".into())
        }
        (EventType::MessageReceived, EventData::Message(m))
            if m.direction != Direction::Inbound =>
        {
            Err("data.direction: a received message is inbound".into())
        }
        _ => Ok(()),
    }
}
