//! Each live event's body, built from stored records when the write that causes it is
//! stored (the server writes it into the event log in that write's transaction, and streams
//! send it byte for byte).

use serde_json::{Value, json};

use super::kind::EventType;
use crate::agent::{AgentId, AgentRecord};
use crate::call::{CallRecord, MessageRecord};
use crate::callback::RoutingDecision;
use crate::phone::NumberResource;
use crate::time::Timestamp;
use crate::webhook::event::{of_call, of_message};
use crate::webhook::payload::{Names, Subject, talkover_event, talkover_timestamp};
use crate::wire::talkover::{AgentBody, AgentRef, PhoneNumberBody};

/// An event ready to store: its type, the agents it involves (what `agent_id` filters on),
/// and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// Its type.
    pub kind: EventType,
    /// The agents it involves.
    pub agents: Vec<AgentId>,
    /// The exact body streamed.
    pub body: Vec<u8>,
}

fn bytes(value: &Value) -> Vec<u8> {
    // a Value always serializes
    serde_json::to_vec(value).unwrap_or_default()
}

/// The agents a call involves: the one it counts for, and the source agent a callback was
/// attributed to.
pub fn call_agents(call: &CallRecord) -> Vec<AgentId> {
    let mut agents: Vec<AgentId> = call.agent_id.into_iter().collect();
    match call.routing {
        Some(RoutingDecision::Matched {
            callback_agent_id,
            last_call,
            ..
        }) => {
            agents.extend([callback_agent_id, last_call.source_agent_id]);
        }
        Some(RoutingDecision::Unmatched {
            callback_agent_id, ..
        }) => agents.push(callback_agent_id),
        _ => {}
    }
    agents.sort_unstable();
    agents.dedup();
    agents
}

/// The events of a recorded call (a routed callback, and its end), in that order.
pub fn of_recorded_call(call: &CallRecord, names: &Names<'_>, at: Timestamp) -> Vec<Built> {
    of_call(call)
        .filter_map(|kind| {
            Some(Built {
                kind: EventType::of_webhook(kind)?,
                agents: call_agents(call),
                body: bytes(&Value::Object(talkover_event(
                    kind,
                    Subject::Call(call),
                    names,
                    at,
                ))),
            })
        })
        .collect()
}

/// The event of a recorded message, if it is one (a received message).
pub fn of_recorded_message(m: &MessageRecord, names: &Names<'_>, at: Timestamp) -> Option<Built> {
    let kind = of_message(m)?;
    Some(Built {
        kind: EventType::of_webhook(kind)?,
        agents: m.agent_id.into_iter().collect(),
        body: bytes(&Value::Object(talkover_event(
            kind,
            Subject::Message(m),
            names,
            at,
        ))),
    })
}

/// An agent after a change: its settings, numbers and callback role.
pub fn of_changed_agent(agent: &AgentRecord, numbers: &[NumberResource], at: Timestamp) -> Built {
    Built {
        kind: EventType::AgentChanged,
        agents: vec![agent.id],
        body: bytes(&json!({
            "event": EventType::AgentChanged.name(),
            "agent_id": agent.id.to_string(),
            "agent_name": agent.name,
            "timestamp": talkover_timestamp(at),
            "data": AgentBody::new(agent, numbers),
        })),
    }
}

/// A number now assigned to no agent: added so, or released by `released_by`.
pub fn of_unassigned_number(
    n: &NumberResource,
    released_by: Option<&AgentRecord>,
    at: Timestamp,
) -> Built {
    let body = PhoneNumberBody::new(n, None::<AgentRef>);
    Built {
        kind: EventType::NumberChanged,
        agents: released_by.map(|a| a.id).into_iter().collect(),
        body: bytes(&json!({
            "event": EventType::NumberChanged.name(),
            "agent_id": released_by.map(|a| a.id.to_string()),
            "agent_name": released_by.map(|a| a.name.clone()),
            "timestamp": talkover_timestamp(at),
            "data": body,
        })),
    }
}
