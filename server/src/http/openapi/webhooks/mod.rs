//! The webhook operations of both APIs, described.

use serde_json::json;

use super::operations::{ok, op};
use super::route::{get, post};
use super::{Operation, Schemas};

mod agentphone;
mod talkover;

use agentphone::agentphone;
use talkover::talkover;

/// Both APIs' webhook operations, and the demo receiver's.
pub fn operations(s: &mut Schemas) -> Vec<Operation> {
    let mut ops = agentphone(s);
    ops.extend(talkover(s));
    ops.extend(demo());
    ops
}

/// The demo receiver (`serve --demo`).
fn demo() -> Vec<Operation> {
    let inbox = json!({"type": "object", "required": ["deliveries"],
        "properties": {"deliveries": {"type": "array", "items": {"type": "object"}}}});
    vec![
        op(
            get(crate::webhooks::inbox::list),
            "/demo/webhooks",
            "getDemoInbox",
            "Service",
            "What the demo receiver got (`serve --demo` only)",
            ok(
                200,
                "The last 50 deliveries, newest first, each with whether its signature verified.",
                inbox,
            ),
        )
        .public()
        .only_when(|s| s.webhooks.demo_receiver)
        .describe(
            "`serve --demo` points the demo environment's project webhook here, so its \
                events can be seen without a receiver of one's own. Not served without `--demo`.",
        ),
        op(
            post(crate::webhooks::inbox::receive),
            "/demo/webhooks",
            "receiveDemoWebhook",
            "Service",
            "The demo receiver (`serve --demo` only)",
            ok(
                200,
                "`{\"received\": true}`, always: it keeps what it got, verified or not.",
                json!({"type": "object"}),
            ),
        )
        .public()
        .only_when(|s| s.webhooks.demo_receiver)
        .describe(
            "Takes any body, as a receiver does; checks `X-Webhook-Signature` against \
                the environment's webhook secrets.",
        ),
    ]
}
