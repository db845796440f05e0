//! Talkover's webhook operations in the route table: an agent's webhooks.

use dialback_core::wire::schema::webhooks;
use dialback_core::wire::talkover::webhooks::{TestSentBody, WebhookBody, WebhookListBody};
use dialback_core::wire::talkover::{Envelope, MessageBody, MessageEnvelope};
use serde_json::json;

use crate::http::openapi::operations::{BAD_JSON, INVALID, NOT_JSON, TOO_LARGE, json_body, ok, op};
use crate::http::openapi::route::{delete, get, patch, post, put};
use crate::http::openapi::{Operation, Schemas};
use crate::http::talkover as to;

const TALKOVER_TAG: &str = "Webhooks";
const NO_TALKOVER_AGENT: (u16, &str) = (
    404,
    "No agent with this id here: `Agent not found in this environment.`",
);
const NO_WEBHOOK: (u16, &str) = (404, "No such webhook of this agent (`Webhook not found.`).");

/// Talkover's: an agent's webhooks.
pub(super) fn talkover(s: &mut Schemas) -> Vec<Operation> {
    let body_errors = [BAD_JSON, TOO_LARGE, NOT_JSON, NO_TALKOVER_AGENT, INVALID];
    let on_webhook = |served, path, id, summary, success| {
        op(served, path, id, TALKOVER_TAG, summary, success).on("The agent's id.")
    };
    vec![
        on_webhook(
            get(to::webhooks::list),
            "/api/v1/agents/{id}/webhooks",
            "listWebhooks",
            "List an agent's webhooks",
            ok(
                200,
                "Its webhooks, oldest first, and `available_events`.",
                s.of::<Envelope<WebhookListBody>>(),
            ),
        )
        .errors(&[NO_TALKOVER_AGENT]),
        on_webhook(
            post(to::webhooks::create),
            "/api/v1/agents/{id}/webhooks",
            "createWebhook",
            "Create a webhook",
            ok(
                201,
                "The webhook (`webhook_secret` is never echoed).",
                s.of::<MessageEnvelope<WebhookBody>>(),
            ),
        )
        .describe(
            "Events of this agent that the webhook subscribes to are delivered, signed \
                with `webhook_secret` when one is given. Of the documented events Dialback sends \
                `event_phone_call_ended`, and its own `event_callback_routed`.",
        )
        .body(json_body(
            webhooks::talkover_webhook(true),
            Some(
                json!({"name": "My Webhook", "webhook_url": "https://example.com/webhook",
                    "webhook_secret": "optional_secret_for_hmac",
                    "events": ["event_phone_call_started", "event_phone_call_ended"], "timeout": 30,
                    "max_retries": 3, "enabled": true}),
            ),
        ))
        .errors(&body_errors),
        on_webhook(
            get(to::webhooks::get),
            "/api/v1/agents/{id}/webhooks/{webhook_id}",
            "getWebhookById",
            "Get a webhook",
            ok(200, "The webhook.", s.of::<Envelope<WebhookBody>>()),
        )
        .errors(&[NO_TALKOVER_AGENT, NO_WEBHOOK]),
        on_webhook(
            put(to::webhooks::update),
            "/api/v1/agents/{id}/webhooks/{webhook_id}",
            "updateWebhook",
            "Update a webhook",
            ok(
                200,
                "The webhook as changed.",
                s.of::<MessageEnvelope<WebhookBody>>(),
            ),
        )
        .describe("Every field optional; `webhook_secret: \"\"` removes the secret.")
        .body(json_body(
            webhooks::talkover_webhook(false),
            Some(json!({"max_retries": 5})),
        ))
        .errors(&[
            BAD_JSON,
            TOO_LARGE,
            NOT_JSON,
            NO_TALKOVER_AGENT,
            NO_WEBHOOK,
            INVALID,
        ]),
        on_webhook(
            patch(to::webhooks::toggle),
            "/api/v1/agents/{id}/webhooks/{webhook_id}/toggle",
            "toggleWebhook",
            "Enable or disable a webhook",
            ok(
                200,
                "`Webhook enabled` or `Webhook disabled`, with the webhook.",
                s.of::<MessageEnvelope<WebhookBody>>(),
            ),
        )
        .errors(&[NO_TALKOVER_AGENT, NO_WEBHOOK]),
        on_webhook(
            post(to::webhooks::test),
            "/api/v1/agents/{id}/webhooks/{webhook_id}/test",
            "testWebhookById",
            "Send a test",
            ok(
                200,
                "The receiver's status and time; `success` is false when it did not answer 2xx.",
                s.of::<MessageEnvelope<TestSentBody>>(),
            ),
        )
        .describe("The documented `webhook.test` body, sent now (to a disabled webhook too).")
        .errors(&[NO_TALKOVER_AGENT, NO_WEBHOOK]),
        on_webhook(
            delete(to::webhooks::delete),
            "/api/v1/agents/{id}/webhooks/{webhook_id}",
            "deleteWebhookById",
            "Delete a webhook",
            ok(
                200,
                "`Webhook deleted successfully`.",
                s.of::<MessageBody>(),
            ),
        )
        .describe("Its pending deliveries fail with `the webhook was deleted`.")
        .errors(&[NO_TALKOVER_AGENT, NO_WEBHOOK]),
    ]
}
