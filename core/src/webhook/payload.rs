//! What a delivery's body says, in the dialect of the API its webhook belongs to. Bodies are
//! written once, when the event is stored, and sent byte for byte on every attempt (only the
//! timestamp header and the signature over it change), so a receiver that de-duplicates by
//! `X-Webhook-ID` sees one body per id.
//!
//! - AgentPhone: `{event, channel, timestamp, agentId, data}` as documented; `agent.call_ended`
//!   with the documented `data` keys (Dialback keeps no transcripts, summaries or sentiment:
//!   those are empty or `null`), `agent.message` with the documented sms keys (Dialback stores
//!   no message text: `message` is `""`).
//! - Talkover documents only its test body; its events follow that body's keys
//!   (`event, agent_id, agent_name, webhook_id, webhook_name, timestamp`) and carry the call
//!   as `GET /api/v1/calls` lists it in `data`.

use serde_json::{Value, json};

use super::endpoint::{Api, Webhook};
use super::event::{EventKind, TestSample};
use crate::agent::{AgentDirectory, AgentId};
use crate::call::{CallRecord, CallStatus, MessageRecord};
use crate::phone::PhoneNumber;
use crate::time::Timestamp;
use crate::wire::talkover::{CallBody, RoutingBody};

/// What an event is about.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A recorded call.
    Call(&'a CallRecord),
    /// A recorded message.
    Message(&'a MessageRecord),
}

impl Subject<'_> {
    /// The agent it counts for.
    pub fn agent(&self) -> Option<AgentId> {
        match self {
            Subject::Call(c) => c.agent_id,
            Subject::Message(m) => m.agent_id,
        }
    }
}

/// What a body names besides the subject: agent names and the agent-side number's resource
/// id, both from the environment's directory.
pub struct Names<'a> {
    /// Agents by id (names, for Talkover's `agent_name` and routing explanations).
    pub directory: &'a AgentDirectory,
    /// The resource id of the subject's agent-side number, if it is one of the environment's.
    pub number_id: Option<String>,
}

/// Talkover writes webhook timestamps with milliseconds (`2025-09-03T23:19:51.000Z`).
fn talkover_time(at: Timestamp) -> String {
    let s = at.to_string();
    match s.strip_suffix('Z') {
        Some(head) => format!("{head}.000Z"),
        None => s,
    }
}

fn agent_name(names: &Names<'_>, agent: Option<AgentId>) -> Option<String> {
    agent.and_then(|a| names.directory.get(&a).map(|a| a.name.clone()))
}

/// The body of `kind` about `subject`, for `hook`, at `at`.
pub fn event_body(
    kind: EventKind,
    subject: Subject<'_>,
    hook: &Webhook,
    names: &Names<'_>,
    at: Timestamp,
) -> Vec<u8> {
    let agent = subject.agent();
    let value = match hook.api {
        Api::AgentPhone => {
            let mut v = json!({
                "event": kind.agentphone_name(),
                "channel": kind.channel(),
                "timestamp": at.to_string(),
                "agentId": agent.map(|a| a.to_string()),
                "data": agentphone_data(kind, subject, names),
            });
            // a message event's context, as documented: Dialback keeps no message text or
            // conversation state, so both are empty
            if kind == EventKind::Message
                && let Some(obj) = v.as_object_mut()
            {
                obj.insert("conversationState".into(), Value::Null);
                obj.insert("recentHistory".into(), json!([]));
            }
            v
        }
        Api::Talkover => {
            let mut body = talkover_event(kind, subject, names, at);
            body.insert("webhook_id".into(), json!(hook.id));
            body.insert("webhook_name".into(), json!(hook.name));
            Value::Object(body)
        }
    };
    // a Value always serializes
    serde_json::to_vec(&value).unwrap_or_default()
}

/// A Talkover event's body without the webhook's keys: `event`, `agent_id`, `agent_name`,
/// `timestamp` and `data` (the live stream's body; a webhook's adds `webhook_id` and
/// `webhook_name`).
pub fn talkover_event(
    kind: EventKind,
    subject: Subject<'_>,
    names: &Names<'_>,
    at: Timestamp,
) -> serde_json::Map<String, Value> {
    let agent = subject.agent();
    let mut body = serde_json::Map::new();
    body.insert("event".into(), json!(kind.talkover_name()));
    body.insert("agent_id".into(), json!(agent.map(|a| a.to_string())));
    body.insert("agent_name".into(), json!(agent_name(names, agent)));
    body.insert("timestamp".into(), json!(talkover_time(at)));
    body.insert("data".into(), talkover_data(subject, names));
    body
}

/// Talkover writes webhook timestamps with milliseconds; so does the live stream.
pub fn talkover_timestamp(at: Timestamp) -> String {
    talkover_time(at)
}

fn agentphone_data(kind: EventKind, subject: Subject<'_>, names: &Names<'_>) -> Value {
    match subject {
        Subject::Call(c) => {
            let mut data = json!({
                "callId": c.id.to_string(),
                "numberId": names.number_id,
                "from": c.from.clone().unwrap_or_default(),
                "to": c.to.to_string(),
                "contact": null,
                "direction": c.direction.as_str(),
                "status": c.status.as_str(),
                "startedAt": c.started_at.to_string(),
                "endedAt": c.ended_at().to_string(),
                "durationSeconds": c.duration_seconds,
                "disconnectionReason": null,
                "transcript": [],
                "summary": null,
                "userSentiment": null,
                "callSuccessful": c.status == CallStatus::Completed,
            });
            if kind == EventKind::CallbackRouted
                && let (Some(decision), Some(obj)) = (c.routing, data.as_object_mut())
            {
                obj.insert(
                    "routing".into(),
                    json!(RoutingBody::new(decision, names.directory)),
                );
            }
            data
        }
        Subject::Message(m) => message_data(m, names.number_id.as_deref()),
    }
}

fn message_data(m: &MessageRecord, number_id: Option<&str>) -> Value {
    json!({
        "conversationId": conversation_id(m.from, m.to),
        "messageId": format!("msg_{}", m.id),
        "numberId": number_id,
        "from": m.from.to_string(),
        "to": m.to.to_string(),
        "message": "",
        "mediaUrl": null,
        "mediaUrls": [],
        "contact": null,
        "direction": m.direction.as_str(),
        "receivedAt": m.sent_at.to_string(),
    })
}

/// A conversation is a contact and one of the environment's numbers, whichever way a
/// message went.
fn conversation_id(a: PhoneNumber, b: PhoneNumber) -> String {
    let (x, y) = if a.to_string() <= b.to_string() {
        (a, b)
    } else {
        (b, a)
    };
    format!(
        "conv_{}_{}",
        x.to_string().trim_start_matches('+'),
        y.to_string().trim_start_matches('+')
    )
}

fn talkover_data(subject: Subject<'_>, names: &Names<'_>) -> Value {
    match subject {
        Subject::Call(c) => json!(CallBody::new(c, names.directory)),
        Subject::Message(m) => message_data(m, names.number_id.as_deref()),
    }
}

/// The body of a test send to `hook`, about `agent` (its id and name) when there is one:
/// AgentPhone's sample `agent.message` marked `"test": true`, Talkover's documented
/// `webhook.test`.
pub fn test_body(
    hook: &Webhook,
    agent: Option<(AgentId, &str)>,
    sample: &TestSample,
    at: Timestamp,
) -> Vec<u8> {
    let value = match hook.api {
        Api::AgentPhone => json!({
            "event": EventKind::Test.agentphone_name(),
            "channel": sample.channel.as_deref().unwrap_or(EventKind::Test.channel()),
            "timestamp": at.to_string(),
            "agentId": agent.map(|(id, _)| id.to_string()),
            "test": true,
            "data": {
                "conversationId": "conv_test",
                "messageId": "msg_test",
                "numberId": null,
                "from": sample.from.as_deref().unwrap_or("+15555550100"),
                "to": sample.to.as_deref().unwrap_or("+15555550199"),
                "message":
                    sample.message.as_deref().unwrap_or("This is a test webhook from Dialback."),
                "mediaUrl": null,
                "direction": "inbound",
                "receivedAt": at.to_string(),
            },
        }),
        Api::Talkover => json!({
            "event": EventKind::Test.talkover_name(),
            "agent_id": agent.map(|(id, _)| id.to_string()),
            "agent_name": agent.map(|(_, name)| name),
            "webhook_id": hook.id,
            "webhook_name": hook.name,
            "timestamp": talkover_time(at),
            "test": true,
        }),
    };
    serde_json::to_vec(&value).unwrap_or_default()
}
