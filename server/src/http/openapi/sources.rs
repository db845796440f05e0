//! Sources (an extension) and AgentPhone's webhooks received, described.

use dialback_core::wire::talkover::sources::SourceBody;
use dialback_core::wire::talkover::{Envelope, MessageEnvelope};
use serde_json::json;

use super::operations::{json_body, ok, op};
use super::route::{get, post};
use super::{Api, Operation, Schemas};
use crate::http::talkover as to;

const TAG: &str = "Sources";

/// The sources' operations and the receiver.
pub fn operations(s: &mut Schemas) -> Vec<Operation> {
    let mut receive = op(
        post(crate::http::hooks::agentphone),
        "/hooks/agentphone/{source_id}",
        "receiveAgentPhoneWebhook",
        TAG,
        "Receive an AgentPhone webhook",
        ok(
            200,
            "`{\"received\": true, \"stored\": ...}`; `\"duplicate\": true` for a delivery stored \
             before and sent again signed anew (a retry); `\"stored\": null` with a `reason` for \
             events Dialback does not record (tests, web calls, other events).",
            json!({"type": "object", "required": ["received"],
                "properties": {"received": {"type": "boolean"}}}),
        ),
    )
    .public()
    .describe(
        "Point an AgentPhone webhook here (the source's `webhook_path`). \
        `X-Webhook-Signature` must be `sha256=` + the hex HMAC-SHA256 of \
        `\"{X-Webhook-Timestamp}.{raw body}\"` under the source's `whsec_` secret, the timestamp \
        at most 300 s from the server's clock, and `X-Webhook-ID` present: it is stored with what \
        the delivery carries, so a delivery sent again stores nothing twice. `agent.call_ended` \
        records the call and routes it as `POST /api/v1/calls` does; `agent.message` on a text \
        channel records the message.",
    )
    .body(json_body(
        json!({"type": "object", "required": ["event"],
            "properties": {"event": {"type": "string"}, "agentId": {"type": ["string", "null"]},
            "data": {"type": "object"}}}),
        Some(json!({"event": "agent.call_ended", "channel": "voice",
            "timestamp": "2025-06-01T10:10:01Z", "agentId": "agt_1",
            "data": {"callId": "call_abc", "from": "+15551234567", "to": "+15559876543",
            "direction": "inbound", "status": "completed", "startedAt": "2025-06-01T10:05:00Z",
            "durationSeconds": 300}})),
    ))
    .errors(&[
        (
            400,
            "The delivery verified but cannot be read (the field is named).",
        ),
        (
            401,
            "A signature header is missing, the signature does not match, or the timestamp is \
            more than 300 s off: nothing is stored.",
        ),
        (
            404,
            "No AgentPhone source with this id takes webhooks here.",
        ),
        (
            409,
            "The very same request (same `X-Webhook-ID` and signature) was received before: a \
            replay. A retry, signed anew, is 200 with `\"duplicate\": true`.",
        ),
        (
            503,
            "Storage, or the source's webhook secret, cannot be read now.",
        ),
    ]);
    receive.api = Api::AgentPhone;
    vec![
        op(
            get(to::sources::list),
            "/api/v1/sources",
            "listSources",
            TAG,
            "List the sources",
            ok(
                200,
                "The environment's sources, oldest first, with where their runs stand.",
                s.of::<Envelope<Vec<SourceBody>>>(),
            ),
        )
        .describe(
            "The platforms this environment syncs from (added with `dialback source \
                add`). Credentials show as the references they are stored by.",
        ),
        op(
            post(to::sources::sync_now),
            "/api/v1/sources/{id}/sync",
            "syncSource",
            TAG,
            "Sync a source now",
            ok(
                202,
                "`Sync started`, with the source; its outcome shows in the list.",
                s.of::<MessageEnvelope<SourceBody>>(),
            ),
        )
        .on("The source's id.")
        .describe(
            "Reads the platform's agents, numbers and (Talkover) callback roles, then \
                its calls since the last run, in the background.",
        )
        .errors(&[
            (404, "No such source in this environment."),
            (409, "The source is already syncing (`SOURCE_BUSY`)."),
        ]),
        receive,
    ]
}
