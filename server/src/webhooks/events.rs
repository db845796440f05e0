//! What a write tells webhooks: for the calls and messages it stores, the deliveries to store
//! beside them, built by the core's rules (which events, which webhooks, which body).

use dialback_core::webhook::event::{of_call, of_message};
use dialback_core::webhook::payload::{Names, Subject, event_body};
use dialback_core::webhook::{Api, EventKind, Webhook, recipients};
use dialback_core::{CallRecord, MessageRecord, Timestamp, agent_side_number};

use super::delivery_id;
use crate::store::outbox::NewDelivery;
use crate::view::View;

fn number_id(view: &View, subject: Subject<'_>) -> Option<String> {
    let number = match subject {
        Subject::Call(c) => agent_side_number(
            c.direction,
            c.from
                .as_deref()
                .and_then(|f| dialback_core::PhoneNumber::parse(f).ok()),
            Some(c.to),
        ),
        Subject::Message(m) => agent_side_number(m.direction, Some(m.from), Some(m.to)),
    }?;
    view.numbers.find(number).map(|n| n.id.to_string())
}

fn deliveries(
    hooks: &[Webhook],
    view: &View,
    subject: Subject<'_>,
    kind: EventKind,
    at: Timestamp,
    now_ms: i64,
    out: &mut Vec<NewDelivery>,
) {
    let targets = recipients(hooks, subject.agent(), kind);
    if targets.is_empty() {
        return;
    }
    let names = Names {
        directory: &view.directory,
        number_id: number_id(view, subject),
    };
    for hook in targets {
        out.push(NewDelivery {
            id: delivery_id(),
            webhook_id: hook.id.clone(),
            event: match hook.api {
                Api::AgentPhone => kind.agentphone_name(),
                Api::Talkover => kind.talkover_name(),
            }
            .to_owned(),
            channel: (hook.api == Api::AgentPhone).then(|| kind.channel().to_owned()),
            message_id: match subject {
                Subject::Message(m) => Some(format!("msg_{}", m.id)),
                Subject::Call(_) => None,
            },
            body: event_body(kind, subject, hook, &names, at),
            attempts: hook.attempts.max(1),
            created_ms: now_ms,
            test: false,
        });
    }
}

/// The deliveries for stored calls and messages.
pub fn for_records(
    hooks: &[Webhook],
    view: &View,
    calls: &[CallRecord],
    messages: &[MessageRecord],
    at: Timestamp,
    now_ms: i64,
) -> Vec<NewDelivery> {
    let mut out = Vec::new();
    if hooks.iter().all(|h| !h.enabled) {
        return out;
    }
    for c in calls {
        for kind in of_call(c) {
            deliveries(hooks, view, Subject::Call(c), kind, at, now_ms, &mut out);
        }
    }
    for m in messages {
        if let Some(kind) = of_message(m) {
            deliveries(hooks, view, Subject::Message(m), kind, at, now_ms, &mut out);
        }
    }
    out
}
