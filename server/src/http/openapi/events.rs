//! The live stream (an extension), described.

use dialback_core::wire::schema::params;
use serde_json::json;

use super::operations::op;
use super::route::get;
use super::{Operation, Success};
use crate::http::talkover as to;

/// `GET /api/v1/events`.
pub fn operations() -> Vec<Operation> {
    let stream = Success {
        status: 200,
        description: "Server-Sent Events: `retry:` first, then one message per event (`id:` the \
            event id, `event:` its type, `data:` one line of JSON: `event`, `agent_id`, \
            `agent_name`, `timestamp`, `data`), a `: heartbeat` comment when idle, and `event: \
            reset` when what was missed is no longer kept. The stream stays open.",
        content_type: "text/event-stream",
        schema: json!({"type": "string"}),
        example: None,
        links: json!({}),
    };
    vec![
        op(
            get(to::events::stream),
            "/api/v1/events",
            "streamEvents",
            "Live events",
            "Stream the environment's events",
            stream,
        )
        .query(params::events())
        .describe(
            "The environment's events as writes commit them: calls ended, callbacks \
                routed (with the reason code), messages received, agents and numbers changed, in \
                the bodies of Talkover's webhooks. Resume with `Last-Event-ID`: the stream first \
                sends, in order and once, every event after it that the log still keeps (24 hours \
                by default). Read it with `fetch` and the bearer header (browsers' `EventSource` \
                cannot send headers); each token may hold 16 streams.",
        )
        .errors(&[
            (
                422,
                "`types` names an unknown type, `agent_id` is not a UUID, or `Last-Event-ID` \
                    is not an event id (`INVALID_EVENT_TYPE`, `INVALID_AGENT_ID`, \
                    `INVALID_LAST_EVENT_ID`).",
            ),
            (
                429,
                "The token holds its limit of streams (`TOO_MANY_STREAMS`, with \
                    `Retry-After`).",
            ),
            (
                503,
                "The server holds its limit of streams, is shutting down, or cannot read the \
                    log now.",
            ),
        ]),
    ]
}
